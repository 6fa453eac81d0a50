/* desk-sha256.h — SHA-256 and HMAC-SHA256 of text, as GLib writes them
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char *desk_sha256_hex      (const void *data,
                            gsize       len);
char *desk_hmac_sha256_hex (const void *key,
                            gsize       key_len,
                            const void *data,
                            gsize       len);

G_END_DECLS
