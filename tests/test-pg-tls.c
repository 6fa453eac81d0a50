/* test-pg-tls.c — a team desk over TLS with sslmode=verify-full
 *
 * The test makes a throwaway certificate authority and a server
 * certificate for "localhost" with the openssl command line in its own
 * temporary folder, starts a real PostgreSQL 15 with ssl=on listening on
 * localhost (pg-harness.c), and connects to it as an editor would: by a
 * postgresql:// address with sslmode=verify-full and sslrootcert.  A
 * root certificate that did not sign the server's, and a host name the
 * certificate is not made out to, are refused with an error that names
 * the address and says what is wrong, not libpq's report of every
 * address it tried.
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <pwd.h>
#include <sys/wait.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "desk-db.h"
#include "desk-pg.h"
#include "desk-test-util.h"
#include "pg-harness.h"

static DeskPgHarness *server;
static char *dir;
static char *root_cert;        /* the CA that signed the server's certificate */
static char *other_root_cert;  /* a CA that signed nothing of the server's */

static void
openssl (const char *first,
         ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  int status = 0;
  va_list ap;

  g_ptr_array_add (argv, (gpointer) "openssl");
  va_start (ap, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (argv, NULL);

  if (!g_spawn_sync (dir, (char **) argv->pdata, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                     NULL, NULL, NULL, &err, &status, &error) ||
      !g_spawn_check_wait_status (status, &error))
    g_error ("openssl %s failed: %s\n%s", first, error->message, err != NULL ? err : "");
}

static char *
in_dir (const char *name)
{
  return g_build_filename (dir, name, NULL);
}

/* A CA of its own, and a key and certificate for "localhost" signed by
 * it; the key readable by the server only, as PostgreSQL requires. */
static void
make_certificates (void)
{
  g_autofree char *ext = in_dir ("server.ext");
  g_autofree char *key = in_dir ("server.key");

  openssl ("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
           "-keyout", "ca.key", "-out", "ca.crt", "-days", "2", "-subj", "/CN=Copydesk test CA", NULL);
  openssl ("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
           "-keyout", "other-ca.key", "-out", "other-ca.crt", "-days", "2", "-subj", "/CN=Copydesk test CA", NULL);
  openssl ("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
           "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=localhost", NULL);
  g_assert_true (g_file_set_contents (ext, "subjectAltName=DNS:localhost\n", -1, NULL));
  openssl ("x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
           "-out", "server.crt", "-days", "2", "-extfile", "server.ext", NULL);

  g_assert_cmpint (g_chmod (dir, 0755), ==, 0);
  g_assert_cmpint (g_chmod (key, 0600), ==, 0);
  if (geteuid () == 0)
    {
      struct passwd *nobody = getpwnam ("nobody");

      g_assert_nonnull (nobody);
      g_assert_cmpint (chown (key, nobody->pw_uid, nobody->pw_gid), ==, 0);
    }
  root_cert = in_dir ("ca.crt");
  other_root_cert = in_dir ("other-ca.crt");
}

/* A port no one listens on now, for the server's TCP socket. */
static guint
free_port (void)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_socket_bind (socket, any, FALSE, &error));
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

static char *
tls_address (const char *host,
             const char *sslmode,
             const char *root)
{
  g_autofree char *escaped = g_uri_escape_string (root, NULL, FALSE);

  return g_strdup_printf ("postgresql://%s@%s:%s/postgres?sslmode=%s&sslrootcert=%s",
                          desk_pg_harness_get_superuser (server), host, desk_pg_harness_get_port (server),
                          sslmode, escaped);
}

static void
test_verify_full_connects_over_tls (void)
{
  g_autofree char *address = tls_address ("localhost", "verify-full", root_cert);
  g_autoptr(DeskDb) db = NULL;
  g_autoptr(DeskDbStmt) stmt = NULL;
  g_autoptr(GError) error = NULL;

  db = desk_db_open (address, &error);
  g_assert_no_error (error);
  g_assert_nonnull (db);

  /* Over TLS indeed, not a plain connection that sslmode let through. */
  stmt = desk_db_prepare (db, "SELECT ssl, version FROM pg_stat_ssl WHERE pid = pg_backend_pid ()", &error);
  g_assert_no_error (error);
  g_assert_cmpint (desk_db_step (stmt, &error), ==, DESK_DB_ROW);
  g_assert_no_error (error);
  g_assert_cmpint (desk_db_column_int64 (stmt, 0), ==, 1);
  g_assert_true (g_str_has_prefix (desk_db_column_text (stmt, 1), "TLS"));
}

static void
test_a_wrong_root_certificate_is_refused_in_words (void)
{
  g_autofree char *address = tls_address ("localhost", "verify-full", other_root_cert);
  g_autoptr(DeskDb) db = NULL;
  g_autoptr(GError) error = NULL;

  db = desk_db_open (address, &error);
  g_assert_null (db);
  g_assert_error (error, DESK_PG_ERROR, DESK_PG_ERROR_CONNECT);
  if (g_test_verbose ())
    g_printerr ("%s\n", error->message);
  g_assert_nonnull (strstr (error->message, "Could not connect to the desk at "));
  g_assert_nonnull (strstr (error->message, address));
  g_assert_nonnull (strstr (error->message, "the server’s certificate is not signed by the root certificate in "));
  g_assert_nonnull (strstr (error->message, other_root_cert));
  /* Not libpq's report, one line for each address "localhost" had. */
  g_assert_null (strchr (error->message, '\n'));
  g_assert_null (strstr (error->message, "connection to server at"));
  g_assert_null (strstr (error->message, "SSL error"));
}

static void
test_a_certificate_for_another_host_name_is_refused_in_words (void)
{
  g_autofree char *address = tls_address ("127.0.0.1", "verify-full", root_cert);
  g_autofree char *lenient = tls_address ("127.0.0.1", "verify-ca", root_cert);
  g_autoptr(DeskDb) db = NULL;
  g_autoptr(GError) error = NULL;

  db = desk_db_open (address, &error);
  g_assert_null (db);
  g_assert_error (error, DESK_PG_ERROR, DESK_PG_ERROR_CONNECT);
  g_assert_nonnull (strstr (error->message, address));
  g_assert_nonnull (strstr (error->message, "made out to another host name"));
  g_assert_null (strstr (error->message, "connection to server at"));
  g_clear_error (&error);

  /* verify-ca checks the signature only: the same server is taken. */
  db = desk_db_open (lenient, &error);
  g_assert_no_error (error);
  g_assert_nonnull (db);
}

static void
test_a_missing_root_certificate_file_is_named (void)
{
  g_autofree char *missing = in_dir ("no-such-ca.crt");
  g_autofree char *address = tls_address ("localhost", "verify-full", missing);
  g_autoptr(DeskDb) db = NULL;
  g_autoptr(GError) error = NULL;

  db = desk_db_open (address, &error);
  g_assert_null (db);
  g_assert_error (error, DESK_PG_ERROR, DESK_PG_ERROR_CONNECT);
  g_assert_nonnull (strstr (error->message, address));
  g_assert_nonnull (strstr (error->message, "does not exist"));
  g_assert_nonnull (strstr (error->message, missing));
}

static DeskTestRun
run_cli (const char *first,
         ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  DeskTestRun run = { 0 };
  va_list ap;

  g_ptr_array_add (argv, (gpointer) g_getenv ("COPYDESK_CLI"));
  va_start (ap, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (argv, NULL);
  g_assert_nonnull (argv->pdata[0]);
  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               &run.out, &run.err, &run.status, &error));
  g_assert_no_error (error);
  run.status = WIFEXITED (run.status) ? WEXITSTATUS (run.status) : -1;
  return run;
}

/* The CLI takes the same address, and says the same. */
static void
test_the_cli_lists_a_desk_over_verify_full (void)
{
  g_autofree char *address = tls_address ("localhost", "verify-full", root_cert);
  g_autofree char *wrong = tls_address ("localhost", "verify-full", other_root_cert);
  g_auto(DeskTestRun) init = run_cli ("desk", "init", address, NULL);
  g_auto(DeskTestRun) list = run_cli ("list", "--database", address, NULL);
  g_auto(DeskTestRun) refused = run_cli ("list", "--database", wrong, NULL);

  g_assert_cmpint (init.status, ==, 0);
  g_assert_cmpint (list.status, ==, 0);
  g_assert_cmpint (refused.status, ==, 1);
  g_assert_nonnull (strstr (refused.err, "the server’s certificate is not signed by the root certificate in "));
  g_assert_null (strstr (refused.err, "connection to server at"));
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *options = NULL;
  g_autofree char *quoted_cert = NULL;
  g_autofree char *quoted_key = NULL;
  int status;

  g_setenv ("COPYDESK_SECRETS", "memory", TRUE);
  g_test_init (&argc, &argv, NULL);

  dir = g_dir_make_tmp (NULL, &error);
  g_assert_no_error (error);
  make_certificates ();
  {
    g_autofree char *cert = in_dir ("server.crt");
    g_autofree char *key = in_dir ("server.key");

    quoted_cert = g_shell_quote (cert);
    quoted_key = g_shell_quote (key);
  }
  options = g_strdup_printf ("-c listen_addresses=localhost -c ssl=on -c ssl_cert_file=%s -c ssl_key_file=%s",
                             quoted_cert, quoted_key);
  server = desk_pg_harness_start_full (options, free_port ());

  g_test_add_func ("/pg-tls/verify-full-connects-over-tls", test_verify_full_connects_over_tls);
  g_test_add_func ("/pg-tls/a-wrong-root-certificate-is-refused-in-words", test_a_wrong_root_certificate_is_refused_in_words);
  g_test_add_func ("/pg-tls/a-certificate-for-another-host-name-is-refused-in-words",
                   test_a_certificate_for_another_host_name_is_refused_in_words);
  g_test_add_func ("/pg-tls/a-missing-root-certificate-file-is-named", test_a_missing_root_certificate_file_is_named);
  g_test_add_func ("/pg-tls/the-cli-lists-a-desk-over-verify-full", test_the_cli_lists_a_desk_over_verify_full);

  status = g_test_run ();
  desk_pg_harness_stop (server);
  desk_test_remove_tree (dir);
  g_free (dir);
  g_free (root_cert);
  g_free (other_root_cert);
  return status;
}
