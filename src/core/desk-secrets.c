/* desk-secrets.c — targets' passwords and keys, in the Secret Service
 *
 * A WordPress application password or a webhook's key never goes into the
 * database, a log or an error message: it lives in the Secret Service
 * (libsecret), under the schema io.github.copydesk.Copydesk.Secret with
 * the store's UUID, the target's id and the target's kind as attributes:
 * two stores with a target of the same id never see each other's secret,
 * and a webhook's key is never found for a WordPress target.  Items kept
 * by earlier versions, keyed by the target's id alone, are taken over at
 * their first look-up, if their label names the target (the label is all
 * that tells which store they were made for).  Where no Secret Service runs, secrets are
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
      { "store", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "target", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "kind", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    },
  };
  return &schema;
}

G_LOCK_DEFINE_STATIC (session);
static GHashTable *session_secrets;   /* "store/target/kind" → secret */
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

static char *
session_key (const char *store_uuid,
             const char *target,
             const char *kind)
{
  return g_strdup_printf ("%s/%s/%s", store_uuid, target, kind);
}

/* Keeps @secret for the target @target_id of kind @kind in the store
 * @store_uuid.  *@out_session_only is TRUE when no Secret Service could
 * take it: then it lasts until the program quits. */
gboolean
desk_secrets_store (const char  *store_uuid,
                    gint64       target_id,
                    const char  *kind,
                    const char  *label,
                    const char  *secret,
                    gboolean    *out_session_only,
                    GError     **error)
{
  g_autofree char *target = g_strdup_printf ("%" G_GINT64_FORMAT, target_id);
  g_autofree char *key = session_key (store_uuid, target, kind);
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (store_uuid != NULL && kind != NULL, FALSE);
  g_return_val_if_fail (secret != NULL, FALSE);

  if (out_session_only != NULL)
    *out_session_only = FALSE;
  if (!memory_only () &&
      secret_password_store_sync (get_schema (), SECRET_COLLECTION_DEFAULT, label, secret, NULL, &local_error,
                                  "store", store_uuid, "target", target, "kind", kind, NULL))
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

/* An item an earlier Copydesk kept for target @target (by its id alone),
 * if its label is @legacy_label: moved under the full key and taken out
 * of the old one.  NULL when there is none. */
static char *
take_over_legacy_item (const char *store_uuid,
                       const char *target,
                       const char *kind,
                       const char *legacy_label)
{
  g_autoptr(GError) error = NULL;
  GList *found;
  char *secret = NULL;

  if (legacy_label == NULL)
    return NULL;
  found = secret_password_search_sync (get_schema (), SECRET_SEARCH_ALL | SECRET_SEARCH_UNLOCK, NULL, &error,
                                       "target", target, NULL);
  for (GList *l = found; l != NULL && secret == NULL; l = l->next)
    {
      SecretRetrievable *item = l->data;
      g_autoptr(GHashTable) attributes = secret_retrievable_get_attributes (item);
      g_autofree char *label = secret_retrievable_get_label (item);
      g_autoptr(SecretValue) value = NULL;

      if (g_hash_table_contains (attributes, "store") || g_strcmp0 (label, legacy_label) != 0)
        continue;
      value = secret_retrievable_retrieve_secret_sync (item, NULL, NULL);
      if (value == NULL || secret_value_get_text (value) == NULL)
        continue;
      secret = g_strdup (secret_value_get_text (value));
      if (!secret_password_store_sync (get_schema (), SECRET_COLLECTION_DEFAULT, label, secret, NULL, NULL,
                                       "store", store_uuid, "target", target, "kind", kind, NULL))
        break;
      if (SECRET_IS_ITEM (item))
        secret_item_delete_sync (SECRET_ITEM (item), NULL, NULL);
    }
  g_list_free_full (found, g_object_unref);
  return secret;
}

/* The secret of the target @target_id of kind @kind in the store
 * @store_uuid, or NULL (with @error set) when there is none.  An item of
 * an earlier Copydesk labelled @legacy_label is taken over. */
char *
desk_secrets_lookup (const char  *store_uuid,
                     gint64       target_id,
                     const char  *kind,
                     const char  *legacy_label,
                     GError     **error)
{
  g_autofree char *target = g_strdup_printf ("%" G_GINT64_FORMAT, target_id);
  g_autofree char *key = session_key (store_uuid, target, kind);
  g_autoptr(GError) local_error = NULL;
  char *secret = NULL;

  g_return_val_if_fail (store_uuid != NULL && kind != NULL, NULL);

  G_LOCK (session);
  if (session_secrets != NULL)
    secret = g_strdup (g_hash_table_lookup (session_secrets, key));
  G_UNLOCK (session);
  if (secret != NULL || memory_only ())
    goto out;

  {
    char *stored = secret_password_lookup_sync (get_schema (), NULL, &local_error,
                                                "store", store_uuid, "target", target, "kind", kind, NULL);

    secret = g_strdup (stored);
    secret_password_free (stored);
  }
  if (secret == NULL && local_error == NULL)
    secret = take_over_legacy_item (store_uuid, target, kind, legacy_label);

out:
  if (secret == NULL)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                 local_error != NULL
                 ? _("The target’s password could not be read: no Secret Service is running")
                 : _("The target has no password stored: add it again with its password"));
  return secret;
}

void
desk_secrets_clear (const char *store_uuid,
                    gint64      target_id,
                    const char *kind)
{
  g_autofree char *target = g_strdup_printf ("%" G_GINT64_FORMAT, target_id);
  g_autofree char *key = session_key (store_uuid, target, kind);

  keep_for_session (key, NULL);
  if (!memory_only ())
    secret_password_clear_sync (get_schema (), NULL, NULL,
                                "store", store_uuid, "target", target, "kind", kind, NULL);
}
