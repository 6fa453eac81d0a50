/* desk-sha256.h — SHA-256 of text, as GLib's GChecksum writes it
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char *desk_sha256_hex (const void *data,
                       gsize       len);

G_END_DECLS
