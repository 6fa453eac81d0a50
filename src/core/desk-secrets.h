/* desk-secrets.h — targets' passwords and keys, in the Secret Service
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define DESK_SECRET_SCHEMA_NAME "io.github.copydesk.Copydesk.Secret"

gboolean  desk_secrets_store        (gint64       target_id,
                                     const char  *label,
                                     const char  *secret,
                                     gboolean    *out_session_only,
                                     GError     **error);
char     *desk_secrets_lookup       (gint64       target_id,
                                     GError     **error);
void      desk_secrets_clear        (gint64       target_id);
gboolean  desk_secrets_session_only (void);

G_END_DECLS
