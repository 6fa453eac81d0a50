/* test-secrets.c — targets' secrets in a real Secret Service
 *
 * Run by with-keyring.sh inside its own D-Bus session with an unlocked
 * gnome-keyring; skipped when none can start.  The secret must come back
 * from the Secret Service (not from this process's memory), and must be
 * gone after it is cleared.  Secrets are keyed by the store's UUID, the
 * target's id and its kind: two stores whose targets share an id never
 * see each other's secret, and a webhook's key is never a WordPress
 * password.
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <libsecret/secret.h>

#include "desk-outbox.h"
#include "desk-secrets.h"

static const SecretSchema schema = {
  DESK_SECRET_SCHEMA_NAME, SECRET_SCHEMA_NONE,
  {
    { "store", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "target", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "kind", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  },
};

static gboolean
have_keyring (void)
{
  if (g_getenv ("COPYDESK_TEST_KEYRING") != NULL)
    return TRUE;
  g_test_skip ("no Secret Service could be started (gnome-keyring in a D-Bus session)");
  return FALSE;
}

static void
test_secret_is_kept_in_the_secret_service (void)
{
  g_autoptr(GError) error = NULL;
  gboolean session_only = TRUE;
  g_autofree char *found = NULL;
  char *stored;

  if (!have_keyring ())
    return;

  g_assert_true (desk_secrets_store ("store-a", 42, "wordpress", "Copydesk test", "app pass 1234", &session_only, &error));
  g_assert_no_error (error);
  g_assert_false (session_only);
  g_assert_false (desk_secrets_session_only ());

  /* Straight from the Secret Service, under our schema and the full key. */
  stored = secret_password_lookup_sync (&schema, NULL, &error,
                                        "store", "store-a", "target", "42", "kind", "wordpress", NULL);
  g_assert_no_error (error);
  g_assert_cmpstr (stored, ==, "app pass 1234");
  secret_password_free (stored);

  found = desk_secrets_lookup ("store-a", 42, "wordpress", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (found, ==, "app pass 1234");

  desk_secrets_clear ("store-a", 42, "wordpress");
  g_clear_pointer (&found, g_free);
  found = desk_secrets_lookup ("store-a", 42, "wordpress", NULL, &error);
  g_assert_null (found);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
}

static DeskStore *
open_store (const char *dir,
            const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (dir, name, NULL);
  DeskStore *store = desk_store_open (path, &error);

  g_assert_no_error (error);
  return store;
}

static DeskTarget *
add_target (DeskStore      *store,
            DeskTargetKind  kind,
            const char     *name,
            const char     *secret)
{
  g_autoptr(JsonObject) settings = json_object_new ();
  g_autoptr(GError) error = NULL;
  gboolean session_only = TRUE;
  gint64 id;
  DeskTarget *target;

  json_object_set_string_member (settings, "url", "https://example.org/");
  json_object_set_string_member (settings, "user", "editor");
  id = desk_store_add_target (store, kind, name, settings, &error);
  g_assert_no_error (error);
  target = desk_store_get_target (store, id, &error);
  g_assert_no_error (error);
  g_assert_true (desk_store_set_target_secret (store, target, secret, &session_only, &error));
  g_assert_no_error (error);
  g_assert_false (session_only);
  return target;
}

static void
test_two_stores_never_share_a_secret (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autoptr(DeskStore) first = NULL;
  g_autoptr(DeskStore) second = NULL;
  g_autoptr(DeskTarget) site = NULL;
  g_autoptr(DeskTarget) hook = NULL;
  g_autoptr(DeskTarget) other_site = NULL;
  g_autoptr(DeskTarget) other_hook = NULL;
  g_autofree char *first_uuid = NULL;
  g_autofree char *second_uuid = NULL;
  g_autofree char *found = NULL;

  if (!have_keyring ())
    return;

  dir = g_dir_make_tmp ("copydesk-secrets-XXXXXX", &error);
  g_assert_no_error (error);
  first = open_store (dir, "first.db");
  second = open_store (dir, "second.db");
  first_uuid = desk_store_dup_uuid (first, &error);
  second_uuid = desk_store_dup_uuid (second, &error);
  g_assert_no_error (error);
  g_assert_nonnull (first_uuid);
  g_assert_cmpstr (first_uuid, !=, second_uuid);

  /* The same ids in both stores (the local folder is #1 in each). */
  site = add_target (first, DESK_TARGET_WORDPRESS, "site", "wp app password one");
  other_hook = add_target (second, DESK_TARGET_WEBHOOK, "hook", "webhook shared key");
  g_assert_cmpint (site->id, ==, other_hook->id);
  hook = add_target (first, DESK_TARGET_WEBHOOK, "hook", "first store's hook key");
  other_site = add_target (second, DESK_TARGET_WORDPRESS, "site", "wp app password two");
  g_assert_cmpint (hook->id, ==, other_site->id);

  /* Each store finds its own, and the webhook key added later in the
   * second store did not replace the first store's WordPress password. */
  found = desk_store_dup_target_secret (first, site, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (found, ==, "wp app password one");
  g_clear_pointer (&found, g_free);
  found = desk_store_dup_target_secret (second, other_hook, &error);
  g_assert_cmpstr (found, ==, "webhook shared key");
  g_clear_pointer (&found, g_free);
  found = desk_store_dup_target_secret (second, other_site, &error);
  g_assert_cmpstr (found, ==, "wp app password two");
  g_clear_pointer (&found, g_free);

  /* A webhook's key is never found as the WordPress password of a
   * target with the same id, even in the same store. */
  found = desk_secrets_lookup (second_uuid, other_hook->id, "wordpress", NULL, &error);
  g_assert_null (found);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Clearing one store's secret leaves the other's. */
  desk_store_clear_target_secret (second, other_hook);
  found = desk_store_dup_target_secret (first, site, &error);
  g_assert_cmpstr (found, ==, "wp app password one");
  g_clear_pointer (&found, g_free);

  desk_store_clear_target_secret (first, site);
  desk_store_clear_target_secret (first, hook);
  desk_store_clear_target_secret (second, other_site);
  g_clear_object (&first);
  g_clear_object (&second);
  for (const char *const *name = (const char *const[]) { "first.db", "first.db-wal", "first.db-shm", "second.db",
                                                         "second.db-wal", "second.db-shm", NULL }; *name; name++)
    {
      g_autofree char *path = g_build_filename (dir, *name, NULL);
      g_unlink (path);
    }
  g_rmdir (dir);
}

/* An item an earlier Copydesk kept under the target's id alone is taken
 * over by the store whose target it names, and only then. */
static void
test_items_keyed_by_target_alone_are_taken_over (void)
{
  static const SecretSchema legacy = {
    DESK_SECRET_SCHEMA_NAME, SECRET_SCHEMA_NONE,
    { { "target", SECRET_SCHEMA_ATTRIBUTE_STRING }, { NULL, 0 } },
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *found = NULL;
  char *left;

  if (!have_keyring ())
    return;

  g_assert_true (secret_password_store_sync (&legacy, SECRET_COLLECTION_DEFAULT, "Copydesk: site",
                                             "old app password", NULL, &error, "target", "7", NULL));
  g_assert_no_error (error);

  /* Another target #7, named otherwise: not its secret. */
  found = desk_secrets_lookup ("store-c", 7, "webhook", "Copydesk: hook", &error);
  g_assert_null (found);
  g_clear_error (&error);

  found = desk_secrets_lookup ("store-c", 7, "wordpress", "Copydesk: site", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (found, ==, "old app password");

  /* Moved: under the full key now, and no longer under the old one. */
  left = secret_password_lookup_sync (&schema, NULL, &error,
                                      "store", "store-c", "target", "7", "kind", "wordpress", NULL);
  g_assert_cmpstr (left, ==, "old app password");
  secret_password_free (left);
  {
    GList *items = secret_password_search_sync (&legacy, SECRET_SEARCH_ALL, NULL, &error, "target", "7", NULL);

    for (GList *l = items; l != NULL; l = l->next)
      {
        g_autoptr(GHashTable) attributes = secret_retrievable_get_attributes (l->data);

        g_assert_true (g_hash_table_contains (attributes, "store"));
      }
    g_list_free_full (items, g_object_unref);
  }
  desk_secrets_clear ("store-c", 7, "wordpress");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/secrets/kept-in-the-secret-service", test_secret_is_kept_in_the_secret_service);
  g_test_add_func ("/secrets/two-stores-never-share-a-secret", test_two_stores_never_share_a_secret);
  g_test_add_func ("/secrets/items-keyed-by-target-alone-are-taken-over", test_items_keyed_by_target_alone_are_taken_over);
  return g_test_run ();
}
