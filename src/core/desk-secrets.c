/* desk-secrets.c — targets' passwords and keys, in the Secret Service
 *
 * A WordPress application password or a webhook's key never goes into the
 * database, a log or an error message: it lives in the Secret Service
 * (libsecret), under the schema io.github.copydesk.Copydesk.Secret with
 * the target's id as attribute.  Where no Secret Service runs, secrets are
 * kept in memory for this session only, and desk_secrets_store() says so.
 * COPYDESK_SECRETS=memory keeps them in memory from the start (tests).
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <libsecret/secret.h>

#include "desk-secrets.h"

static const SecretSchema *
get_schema (void)
{
  static const SecretSchema schema = {
    DESK_SECRET_SCHEMA_NAME, SECRET_SCHEMA_NONE,
    {
      { "target", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    },
  };
  return &schema;
}

G_LOCK_DEFINE_STATIC (session);
static GHashTable *session_secrets;   /* target id (string) → secret */
static gboolean session_only;

static gboolean
memory_only (void)
{
  return session_only || g_strcmp0 (g_getenv ("COPYDESK_SECRETS"), "memory") == 0;
}

static void
keep_for_session (const char *key,
                  const char *secret)
{
  G_LOCK (session);
  if (session_secrets == NULL)
    session_secrets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                             (GDestroyNotify) secret_password_free);
  if (secret != NULL)
    g_hash_table_insert (session_secrets, g_strdup (key), g_strdup (secret));
  else
    g_hash_table_remove (session_secrets, key);
  G_UNLOCK (session);
}

/* TRUE when secrets are kept for this session only. */
gboolean
desk_secrets_session_only (void)
{
  return memory_only ();
}

/* Keeps @secret for @target_id.  *@out_session_only is TRUE when no
 * Secret Service could take it: then it lasts until the program quits. */
gboolean
desk_secrets_store (gint64       target_id,
                    const char  *label,
                    const char  *secret,
                    gboolean    *out_session_only,
                    GError     **error)
{
  g_autofree char *key = g_strdup_printf ("%" G_GINT64_FORMAT, target_id);
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (secret != NULL, FALSE);

  if (out_session_only != NULL)
    *out_session_only = FALSE;
  if (!memory_only () &&
      secret_password_store_sync (get_schema (), SECRET_COLLECTION_DEFAULT, label, secret,
                                  NULL, &local_error, "target", key, NULL))
    {
      keep_for_session (key, NULL);
      return TRUE;
    }

  if (local_error != NULL)
    g_debug ("No Secret Service: %s", local_error->message);
  session_only = TRUE;
  keep_for_session (key, secret);
  if (out_session_only != NULL)
    *out_session_only = TRUE;
  return TRUE;
}

/* The secret of @target_id, or NULL (with @error set) when there is none. */
char *
desk_secrets_lookup (gint64   target_id,
                     GError **error)
{
  g_autofree char *key = g_strdup_printf ("%" G_GINT64_FORMAT, target_id);
  g_autoptr(GError) local_error = NULL;
  char *secret = NULL;

  G_LOCK (session);
  if (session_secrets != NULL)
    secret = g_strdup (g_hash_table_lookup (session_secrets, key));
  G_UNLOCK (session);
  if (secret != NULL || memory_only ())
    goto out;

  {
    char *stored = secret_password_lookup_sync (get_schema (), NULL, &local_error, "target", key, NULL);

    secret = g_strdup (stored);
    secret_password_free (stored);
  }

out:
  if (secret == NULL)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                 local_error != NULL
                 ? _("The target’s password could not be read: no Secret Service is running")
                 : _("The target has no password stored: add it again with its password"));
  return secret;
}

void
desk_secrets_clear (gint64 target_id)
{
  g_autofree char *key = g_strdup_printf ("%" G_GINT64_FORMAT, target_id);

  keep_for_session (key, NULL);
  if (!memory_only ())
    secret_password_clear_sync (get_schema (), NULL, NULL, "target", key, NULL);
}
