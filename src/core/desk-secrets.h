/* desk-secrets.h — targets' passwords and keys, in the Secret Service
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define DESK_SECRET_SCHEMA_NAME "io.github.copydesk.Copydesk.Secret"

/* A secret is keyed by the store's UUID, the target's id in that store
 * and the target's kind ("wordpress", "webhook"): desk_store_*_secret()
 * in desk-outbox.h fill these in. */
gboolean  desk_secrets_store        (const char  *store_uuid,
                                     gint64       target_id,
                                     const char  *kind,
                                     const char  *label,
                                     const char  *secret,
                                     gboolean    *out_session_only,
                                     GError     **error);
char     *desk_secrets_lookup       (const char  *store_uuid,
                                     gint64       target_id,
                                     const char  *kind,
                                     const char  *legacy_label,
                                     GError     **error);
void      desk_secrets_clear        (const char  *store_uuid,
                                     gint64       target_id,
                                     const char  *kind);
gboolean  desk_secrets_session_only (void);

G_END_DECLS
