/* test-secrets.c — targets' secrets in a real Secret Service
 *
 * Run by with-keyring.sh inside its own D-Bus session with an unlocked
 * gnome-keyring; skipped when none can start.  The secret must come back
 * from the Secret Service (not from this process's memory), and must be
 * gone after it is cleared.
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <libsecret/secret.h>

#include "desk-secrets.h"

static const SecretSchema schema = {
  DESK_SECRET_SCHEMA_NAME, SECRET_SCHEMA_NONE,
  { { "target", SECRET_SCHEMA_ATTRIBUTE_STRING }, { NULL, 0 } },
};

static void
test_secret_is_kept_in_the_secret_service (void)
{
  g_autoptr(GError) error = NULL;
  gboolean session_only = TRUE;
  g_autofree char *found = NULL;
  char *stored;

  if (g_getenv ("COPYDESK_TEST_KEYRING") == NULL)
    {
      g_test_skip ("no Secret Service could be started (gnome-keyring in a D-Bus session)");
      return;
    }

  g_assert_true (desk_secrets_store (42, "Copydesk test", "app pass 1234", &session_only, &error));
  g_assert_no_error (error);
  g_assert_false (session_only);
  g_assert_false (desk_secrets_session_only ());

  /* Straight from the Secret Service, under our schema and the target id. */
  stored = secret_password_lookup_sync (&schema, NULL, &error, "target", "42", NULL);
  g_assert_no_error (error);
  g_assert_cmpstr (stored, ==, "app pass 1234");
  secret_password_free (stored);

  found = desk_secrets_lookup (42, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (found, ==, "app pass 1234");

  desk_secrets_clear (42);
  g_clear_pointer (&found, g_free);
  found = desk_secrets_lookup (42, &error);
  g_assert_null (found);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/secrets/kept-in-the-secret-service", test_secret_is_kept_in_the_secret_service);
  return g_test_run ();
}
