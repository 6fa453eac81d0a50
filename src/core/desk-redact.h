/* desk-redact.h — credentials out of messages that are stored or shown
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define DESK_REDACTED "[redacted]"

char *desk_redact (const char *text,
                   const char *secret);

G_END_DECLS
