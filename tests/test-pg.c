/* test-pg.c — the team desk's foundation against a real PostgreSQL 15
 *
 * One server for the program (pg-harness.c), a database per test.  The
 * connection on the main loop, its errors, NOTIFY and reconnection after
 * the server ends the session; desk init through copydesk-cli; the rights
 * of the two roles under hand-written SQL; search with the same results
 * as the SQLite store's; and a desk copied to PostgreSQL and back, every
 * table compared.
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <sqlite3.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "desk-error.h"
#include "desk-feed.h"
#include "desk-outbox.h"
#include "desk-pg.h"
#include "desk-pg-copy.h"
#include "desk-pg-schema.h"
#include "desk-pg-search.h"
#include "desk-publisher.h"
#include "desk-release.h"
#include "desk-store.h"
#include "desk-store-private.h"
#include "desk-test-util.h"
#include "pg-harness.h"

static DeskPgHarness *server;
static guint n_databases;

typedef struct {
  char *dir;
  char *database;
  char *address;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("copydesk-test-pg-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->database = g_strdup_printf ("desk_%u", ++n_databases);
  fixture->address = desk_pg_harness_create_database (server, fixture->database);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  desk_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->database);
  g_free (fixture->address);
}

static char *
fixture_path (Fixture    *fixture,
              const char *name)
{
  return g_build_filename (fixture->dir, name, NULL);
}

static DeskPg *
connect_sync (const char *address)
{
  g_autoptr(GError) error = NULL;
  DeskPg *pg = desk_pg_new (address);

  g_assert_true (desk_pg_connect (pg, &error));
  g_assert_no_error (error);
  return pg;
}

static char *
query_value (DeskPg     *pg,
             const char *sql)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PGresult) result = desk_pg_query (pg, sql, 0, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpint (PQntuples (result), ==, 1);
  return g_strdup (PQgetvalue (result, 0, 0));
}

static void
init_desk (const char *address)
{
  g_autoptr(DeskPg) pg = connect_sync (address);
  g_autoptr(GError) error = NULL;

  g_assert_true (desk_pg_schema_init (pg, NULL, &error));
  g_assert_no_error (error);
}

static DeskTestRun
run_cli (const char *first,
         ...)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                       G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  const char *cli = g_getenv ("COPYDESK_CLI");
  DeskTestRun run = { 0 };
  va_list ap;

  g_assert_nonnull (cli);
  g_ptr_array_add (argv, (gpointer) cli);
  va_start (ap, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &run.out, &run.err, &error);
  g_assert_no_error (error);
  run.status = g_subprocess_get_exit_status (process);
  if (g_test_verbose ())
    g_printerr ("%s%s(exit %d)\n", run.out, run.err, run.status);
  return run;
}

/* ---- the connection ----------------------------------------------------- */

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

static void
test_connect_async_uri_and_keywords (Fixture       *fixture,
                                     gconstpointer  data)
{
  g_autofree char *keywords = g_strdup_printf ("host=%s port=5432 dbname=%s user=%s sslmode=prefer",
                                               desk_pg_harness_get_dir (server), fixture->database,
                                               desk_pg_harness_get_superuser (server));
  const char *addresses[] = { fixture->address, keywords };

  for (guint i = 0; i < G_N_ELEMENTS (addresses); i++)
    {
      g_autoptr(DeskPg) pg = desk_pg_new (addresses[i]);
      g_autoptr(GAsyncResult) connected = NULL;
      g_autoptr(GAsyncResult) first = NULL;
      g_autoptr(GAsyncResult) second = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(PGresult) one = NULL;
      g_autoptr(PGresult) two = NULL;
      const char *params[] = { "copy desk", NULL };

      desk_pg_connect_async (pg, NULL, on_done, &connected);
      g_assert_false (desk_pg_is_connected (pg));
      g_assert_true (desk_pg_connect_finish (pg, wait_for (&connected), &error));
      g_assert_no_error (error);
      g_assert_true (desk_pg_is_connected (pg));

      /* Two queries at once: they run in turn, each gets its own result. */
      desk_pg_query_async (pg, "SELECT upper ($1), $2::text IS NULL", 2, params, NULL, on_done, &first);
      desk_pg_query_async (pg, "SELECT session_user", 0, NULL, NULL, on_done, &second);
      one = desk_pg_query_finish (pg, wait_for (&first), &error);
      g_assert_no_error (error);
      two = desk_pg_query_finish (pg, wait_for (&second), &error);
      g_assert_no_error (error);
      g_assert_cmpstr (PQgetvalue (one, 0, 0), ==, "COPY DESK");
      g_assert_cmpstr (PQgetvalue (one, 0, 1), ==, "t");
      g_assert_cmpstr (PQgetvalue (two, 0, 0), ==, desk_pg_harness_get_superuser (server));
    }
}

static void
test_connect_errors_name_the_desk_without_password (Fixture       *fixture,
                                                    gconstpointer  data)
{
  struct sockaddr_in addr = { 0 };
  socklen_t len = sizeof addr;
  int sock = socket (AF_INET, SOCK_STREAM, 0);
  g_autofree char *unreachable = NULL;
  g_autofree char *bad_sslmode = NULL;
  g_autoptr(GError) error = NULL;

  /* A port nobody listens on: bound, never listened to. */
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  g_assert_cmpint (bind (sock, (struct sockaddr *) &addr, sizeof addr), ==, 0);
  g_assert_cmpint (getsockname (sock, (struct sockaddr *) &addr, &len), ==, 0);
  unreachable = g_strdup_printf ("postgresql://ana:Sekr3t-Pw@127.0.0.1:%u/desk", ntohs (addr.sin_port));

  {
    g_autoptr(DeskPg) pg = desk_pg_new (unreachable);
    g_autoptr(GAsyncResult) connected = NULL;
    g_autoptr(GAsyncResult) queued = NULL;
    g_autoptr(PGresult) result = NULL;

    desk_pg_connect_async (pg, NULL, on_done, &connected);
    /* A query asked for meanwhile fails with the connection. */
    desk_pg_query_async (pg, "SELECT 1", 0, NULL, NULL, on_done, &queued);
    g_assert_false (desk_pg_connect_finish (pg, wait_for (&connected), &error));
    g_assert_error (error, DESK_PG_ERROR, DESK_PG_ERROR_CONNECT);
    g_assert_nonnull (strstr (error->message, "127.0.0.1"));
    g_assert_null (strstr (error->message, "Sekr3t-Pw"));
    g_clear_error (&error);
    result = desk_pg_query_finish (pg, wait_for (&queued), &error);
    g_assert_null (result);
    g_assert_error (error, DESK_PG_ERROR, DESK_PG_ERROR_CONNECT);
    g_clear_error (&error);
  }
  {
    g_autoptr(DeskPg) pg = desk_pg_new (unreachable);

    g_assert_false (desk_pg_connect (pg, &error));
    g_assert_error (error, DESK_PG_ERROR, DESK_PG_ERROR_CONNECT);
    g_assert_null (strstr (error->message, "Sekr3t-Pw"));
    g_clear_error (&error);
  }
  close (sock);

  /* sslmode goes to libpq as it is written. */
  bad_sslmode = g_strdup_printf ("%s&sslmode=sometimes", fixture->address);
  {
    g_autoptr(DeskPg) pg = desk_pg_new (bad_sslmode);

    g_assert_false (desk_pg_connect (pg, &error));
    g_assert_nonnull (strstr (error->message, "sslmode"));
    g_clear_error (&error);
  }
  {
    g_autoptr(DeskPg) pg = desk_pg_new ("postgresql://[::1");

    g_assert_false (desk_pg_connect (pg, &error));
    g_assert_error (error, DESK_PG_ERROR, DESK_PG_ERROR_ADDRESS);
    g_clear_error (&error);
  }
}

static void
test_query_error_carries_the_server_message (Fixture       *fixture,
                                             gconstpointer  data)
{
  g_autoptr(DeskPg) pg = connect_sync (fixture->address);
  g_autoptr(GAsyncResult) done = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PGresult) result = NULL;
  g_autofree char *after = NULL;

  desk_pg_query_async (pg, "SELECT * FROM no_such_table", 0, NULL, NULL, on_done, &done);
  result = desk_pg_query_finish (pg, wait_for (&done), &error);
  g_assert_null (result);
  g_assert_error (error, DESK_PG_ERROR, DESK_PG_ERROR_QUERY);
  g_assert_nonnull (strstr (error->message, "relation \"no_such_table\" does not exist"));
  g_clear_error (&error);

  /* The connection goes on. */
  after = query_value (pg, "SELECT 40 + 2");
  g_assert_cmpstr (after, ==, "42");
}

typedef struct {
  GPtrArray *payloads;
  guint      lost;
  guint      reconnected;
} Heard;

static void
on_notification (DeskPg     *pg,
                 const char *channel,
                 const char *payload,
                 Heard      *heard)
{
  g_assert_cmpstr (channel, ==, "releases");
  g_ptr_array_add (heard->payloads, g_strdup (payload));
}

static void
on_lost (DeskPg *pg,
         GError *error,
         Heard  *heard)
{
  g_assert_error (error, DESK_PG_ERROR, DESK_PG_ERROR_LOST);
  heard->lost++;
}

static void
on_reconnected (DeskPg *pg,
                Heard  *heard)
{
  heard->reconnected++;
}

static void
test_notify_arrives_and_survives_reconnection (Fixture       *fixture,
                                               gconstpointer  data)
{
  g_autoptr(DeskPg) listener = desk_pg_new (fixture->address);
  g_autoptr(DeskPg) other = connect_sync (fixture->address);
  g_autoptr(GAsyncResult) connected = NULL;
  g_autoptr(GAsyncResult) listening = NULL;
  g_autoptr(GAsyncResult) pending = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PGresult) gone = NULL;
  g_autofree char *pid = NULL;
  g_autofree char *terminate = NULL;
  Heard heard = { g_ptr_array_new_with_free_func (g_free), 0, 0 };

  g_signal_connect (listener, "notification", G_CALLBACK (on_notification), &heard);
  g_signal_connect (listener, "connection-lost", G_CALLBACK (on_lost), &heard);
  g_signal_connect (listener, "reconnected", G_CALLBACK (on_reconnected), &heard);
  desk_pg_connect_async (listener, NULL, on_done, &connected);
  g_assert_true (desk_pg_connect_finish (listener, wait_for (&connected), &error));
  desk_pg_listen_async (listener, "releases", NULL, on_done, &listening);
  g_assert_true (desk_pg_listen_finish (listener, wait_for (&listening), &error));
  g_assert_no_error (error);

  g_assert_true (desk_pg_exec (other, "NOTIFY releases, '17'", &error));
  while (heard.payloads->len < 1)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpstr (g_ptr_array_index (heard.payloads, 0), ==, "17");

  /* The server ends the listener's session, as at a restart: a query in
   * flight fails, the loss is said, and the connection comes back. */
  {
    g_autoptr(GAsyncResult) pid_done = NULL;
    g_autoptr(PGresult) pid_result = NULL;

    desk_pg_query_async (listener, "SELECT pg_backend_pid ()", 0, NULL, NULL, on_done, &pid_done);
    pid_result = desk_pg_query_finish (listener, wait_for (&pid_done), &error);
    g_assert_no_error (error);
    pid = g_strdup (PQgetvalue (pid_result, 0, 0));
  }
  desk_pg_query_async (listener, "SELECT pg_sleep (3600)", 0, NULL, NULL, on_done, &pending);
  /* Let it reach the server before its session is ended. */
  while (TRUE)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM pg_stat_activity WHERE pid = %s"
                                              " AND query LIKE 'SELECT pg_sleep%%'", pid);
      g_autofree char *running = query_value (other, sql);

      if (g_str_equal (running, "1"))
        break;
      g_usleep (10000);
    }
  terminate = g_strdup_printf ("SELECT pg_terminate_backend (%s)", pid);
  gone = desk_pg_query (other, terminate, 0, NULL, &error);
  g_assert_no_error (error);

  g_assert_null (desk_pg_query_finish (listener, wait_for (&pending), &error));
  g_assert_true (g_error_matches (error, DESK_PG_ERROR, DESK_PG_ERROR_LOST) ||
                 g_error_matches (error, DESK_PG_ERROR, DESK_PG_ERROR_QUERY));
  g_clear_error (&error);
  while (heard.lost < 1 || heard.reconnected < 1)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (heard.lost, ==, 1);

  /* LISTEN was made again: a NOTIFY after the reconnection arrives.  (The
   * LISTEN goes first on the new connection, so once this query is back,
   * it is in place.) */
  {
    g_autoptr(GAsyncResult) ready = NULL;
    g_autoptr(PGresult) result = NULL;

    desk_pg_query_async (listener, "SELECT 1", 0, NULL, NULL, on_done, &ready);
    result = desk_pg_query_finish (listener, wait_for (&ready), &error);
    g_assert_no_error (error);
  }
  g_assert_true (desk_pg_exec (other, "NOTIFY releases, '18'", &error));
  while (heard.payloads->len < 2)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpstr (g_ptr_array_index (heard.payloads, 1), ==, "18");
  g_ptr_array_unref (heard.payloads);
}

/* ---- the harness -------------------------------------------------------- */

static int
harness_child (void)
{
  DeskPgHarness *harness = desk_pg_harness_start ();
  g_autofree char *pid_path = g_build_filename (desk_pg_harness_get_dir (harness), "data", "postmaster.pid", NULL);
  g_autofree char *pid_file = NULL;
  g_auto(GStrv) lines = NULL;

  g_assert_true (g_file_get_contents (pid_path, &pid_file, NULL, NULL));
  lines = g_strsplit (pid_file, "\n", 2);
  g_print ("%s %s\n", desk_pg_harness_get_dir (harness), lines[0]);
  fflush (stdout);
  while (TRUE)
    pause ();
  return 0;
}

static void
test_harness_leaves_no_server_after_kill_9 (void)
{
  g_autoptr(GSubprocess) child = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  g_auto(GStrv) parts = NULL;
  pid_t postmaster;

  child = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                            g_test_get_filename (G_TEST_BUILT, "test-pg", NULL), "--harness-child", NULL);
  g_assert_no_error (error);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (child));
  line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  parts = g_strsplit (line, " ", 2);
  postmaster = (pid_t) g_ascii_strtoll (parts[1], NULL, 10);
  g_assert_cmpint (postmaster, >, 0);
  g_assert_cmpint (kill (postmaster, 0), ==, 0);

  g_subprocess_send_signal (child, SIGKILL);
  g_subprocess_wait (child, NULL, NULL);

  /* The guard stops the server and removes its folder. */
  while (kill (postmaster, 0) == 0 || g_file_test (parts[0], G_FILE_TEST_EXISTS))
    g_usleep (20000);
}

/* ---- desk init, the schema ---------------------------------------------- */

static void
test_init_is_idempotent_and_says_why_it_fails (Fixture       *fixture,
                                               gconstpointer  data)
{
  g_auto(DeskTestRun) first = run_cli ("desk", "init", fixture->address, NULL);
  g_auto(DeskTestRun) again = { 0 };
  g_auto(DeskTestRun) unreachable = { 0 };
  g_auto(DeskTestRun) no_rights = { 0 };
  g_autofree char *weak = NULL;
  g_autofree char *other_db = NULL;
  g_autoptr(DeskPg) pg = NULL;
  g_autofree char *version = NULL;
  g_autofree char *host = g_uri_escape_string (desk_pg_harness_get_dir (server), NULL, FALSE);
  g_autofree char *prepared = NULL;
  g_autofree char *already = NULL;

  g_assert_cmpint (first.status, ==, 0);
  prepared = g_strdup_printf ("prepared (schema %d)", DESK_PG_SCHEMA_VERSION);
  already = g_strdup_printf ("already at schema %d", DESK_PG_SCHEMA_VERSION);
  g_assert_nonnull (strstr (first.out, prepared));
  again = run_cli ("desk", "init", fixture->address, NULL);
  g_assert_cmpint (again.status, ==, 0);
  g_assert_nonnull (strstr (again.out, already));

  pg = connect_sync (fixture->address);
  /* Each migration once, in order, though init ran twice. */
  version = query_value (pg, "SELECT string_agg (version::text, ',' ORDER BY version) FROM schema_version");
  g_assert_cmpstr (version, ==, "1,2,3");

  unreachable = run_cli ("desk", "init", "postgresql://desk@/nowhere?host=/nonexistent-folder&port=5432", NULL);
  g_assert_cmpint (unreachable.status, ==, 1);
  g_assert_nonnull (strstr (unreachable.err, "Could not connect to the desk at postgresql://desk@/nowhere"));

  /* A role that may neither create roles nor tables here. */
  other_db = desk_pg_harness_create_database (server, "desk_weak");
  desk_pg_harness_sql (server, "postgres", "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'weak')"
                                           " THEN CREATE ROLE weak LOGIN; END IF; END $$");
  weak = g_strdup_printf ("postgresql://weak@/desk_weak?host=%s&port=5432", host);
  no_rights = run_cli ("desk", "init", weak, NULL);
  g_assert_cmpint (no_rights.status, ==, 1);
  g_assert_nonnull (strstr (no_rights.err, "Preparing a desk takes a role that may create roles and tables"));
  g_assert_nonnull (strstr (no_rights.err, "desk_weak"));

  /* The database's owner with CREATEROLE, no superuser: it prepares the
   * desk and copies approved copy into it. */
  {
    g_autofree char *owner = g_strdup_printf ("postgresql://deskowner@/desk_owned?host=%s&port=5432", host);
    g_autofree char *path = fixture_path (fixture, "owned.db");
    g_auto(DeskTestRun) init = { 0 };
    g_auto(DeskTestRun) copy = { 0 };
    g_autoptr(GError) error = NULL;

    {
      g_autoptr(DeskStore) store = desk_store_open (path, &error);

      g_assert_no_error (error);
      desk_test_add_approved (store, "Jalan tol dibuka", "Jalan tol baru dibuka pagi ini.");
    }
    desk_pg_harness_sql (server, "postgres", "CREATE ROLE deskowner LOGIN CREATEROLE");
    desk_pg_harness_sql (server, "postgres", "CREATE DATABASE desk_owned OWNER deskowner");
    init = run_cli ("desk", "init", owner, NULL);
    g_assert_cmpint (init.status, ==, 0);
    copy = run_cli ("desk", "copy", path, owner, NULL);
    g_assert_cmpint (copy.status, ==, 0);
    g_assert_cmpstr (copy.out, ==, "copied 1 release\n");
  }
}

/* Every table and column of the SQLite store is on PostgreSQL: a copy
 * between them leaves nothing behind.  (A new SQLite migration makes this
 * fail until the PostgreSQL schema has it too.) */
static void
test_schema_has_every_sqlite_table_and_column (Fixture       *fixture,
                                               gconstpointer  data)
{
  g_autofree char *path = fixture_path (fixture, "desk.db");
  g_autoptr(DeskStore) store = NULL;
  g_autoptr(DeskPg) pg = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *tables = NULL;
  guint n_tables = 0;

  init_desk (fixture->address);
  pg = connect_sync (fixture->address);
  store = desk_store_open (path, &error);
  g_assert_no_error (error);

  g_assert_cmpint (sqlite3_prepare_v2 (_desk_store_get_db (store),
                   "SELECT m.name, p.name FROM sqlite_schema m, pragma_table_info (m.name) p"
                   " WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite%' AND m.name NOT LIKE 'releases_fts%'",
                   -1, &tables, NULL), ==, SQLITE_OK);
  while (sqlite3_step (tables) == SQLITE_ROW)
    {
      const char *params[] = { (const char *) sqlite3_column_text (tables, 0),
                               (const char *) sqlite3_column_text (tables, 1) };
      g_autoptr(PGresult) found = desk_pg_query (pg, "SELECT count(*) FROM information_schema.columns"
                                                 " WHERE table_schema = 'public' AND table_name = $1 AND column_name = $2",
                                                 2, params, &error);

      g_assert_no_error (error);
      if (!g_str_equal (PQgetvalue (found, 0, 0), "1"))
        g_error ("%s.%s is not in the PostgreSQL desk's schema", params[0], params[1]);
      n_tables++;
    }
  sqlite3_finalize (tables);
  g_assert_cmpuint (n_tables, >, 100);
}

/* Until the store reads PostgreSQL, a command given a team desk's
 * address says so, and makes no folder named after it. */
static void
test_store_refuses_a_team_desk_address (Fixture       *fixture,
                                        gconstpointer  data)
{
  g_autofree char *made = g_build_filename (fixture->dir, "postgresql:", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskStore) store = NULL;
  g_autofree char *cwd = g_get_current_dir ();

  g_assert_cmpint (g_chdir (fixture->dir), ==, 0);
  store = desk_store_open ("postgresql://ana:Sekr3t-Pw@db.example/desk", &error);
  g_assert_cmpint (g_chdir (cwd), ==, 0);
  g_assert_null (store);
  g_assert_error (error, DESK_ERROR, DESK_ERROR_UNSUPPORTED_TYPE);
  g_assert_nonnull (strstr (error->message, "team desk on PostgreSQL"));
  g_assert_null (strstr (error->message, "Sekr3t-Pw"));
  g_assert_false (g_file_test (made, G_FILE_TEST_EXISTS));
}

/* ---- rights ------------------------------------------------------------- */

static void
assert_refused (const char *address,
                const char *sql)
{
  g_autoptr(DeskPg) pg = connect_sync (address);
  g_autoptr(GError) error = NULL;

  g_assert_false (desk_pg_exec (pg, sql, &error));
  if (!g_error_matches (error, DESK_PG_ERROR, DESK_PG_ERROR_PERMISSION))
    g_error ("%s: expected a permission error, got: %s", sql, error->message);
}

static void
assert_allowed (const char *address,
                const char *sql)
{
  g_autoptr(DeskPg) pg = connect_sync (address);
  g_autoptr(GError) error = NULL;

  if (!desk_pg_exec (pg, sql, &error))
    g_error ("%s: %s", sql, error->message);
}

static void
test_editor_cannot_approve_or_publish_even_with_sql (Fixture       *fixture,
                                                     gconstpointer  data)
{
  g_autofree char *host = g_uri_escape_string (desk_pg_harness_get_dir (server), NULL, FALSE);
  g_autofree char *editor = g_strdup_printf ("postgresql://ana@/%s?host=%s&port=5432", fixture->database, host);
  g_autofree char *chief = g_strdup_printf ("postgresql://budi@/%s?host=%s&port=5432", fixture->database, host);
  g_autoptr(DeskPg) admin = NULL;
  g_autofree char *actor = NULL;
  g_autofree char *status = NULL;

  init_desk (fixture->address);
  desk_pg_harness_sql (server, "postgres",
                       "DO $$ BEGIN"
                       " IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'ana') THEN CREATE ROLE ana LOGIN IN ROLE copydesk_editor; END IF;"
                       " IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'budi') THEN CREATE ROLE budi LOGIN IN ROLE copydesk_chief; END IF;"
                       " END $$");
  admin = connect_sync (fixture->address);
  g_assert_true (desk_pg_exec (admin,
    "INSERT INTO releases (received_at, content_hash, original, original_headline, headline, updated_at)"
    "  VALUES (1, 'h1', 'Body.', 'Title', 'Title', 1);"
    "INSERT INTO revisions (release_id, number, headline, text, sha256, author, created_at)"
    "  VALUES (1, 1, 'Title', 'Body.', 's1', 'Ana', 1)", NULL));

  /* What an editor does. */
  assert_allowed (editor, "UPDATE releases SET status = 'in_review' WHERE id = 1");
  assert_allowed (editor, "INSERT INTO revisions (release_id, number, headline, text, sha256, author, created_at)"
                          " VALUES (1, 2, 'Title', 'Body, edited.', 's2', 'budi', 2)");
  assert_allowed (editor, "INSERT INTO events (release_id, actor, action, from_status, to_status, created_at)"
                          " VALUES (1, 'budi', 'moved', 'new', 'in_review', 2)");
  /* An editor signs as herself, whatever the statement says. */
  actor = query_value (admin, "SELECT actor || '/' || (SELECT author FROM revisions WHERE number = 2) FROM events");
  g_assert_cmpstr (actor, ==, "ana/ana");

  /* What only a chief does, tried by an editor with hand-written SQL. */
  assert_refused (editor, "UPDATE releases SET status = 'approved' WHERE id = 1");
  assert_refused (editor, "UPDATE releases SET status = 'published' WHERE id = 1");
  assert_refused (editor, "UPDATE releases SET approved_revision_id = 2, approved_sha256 = 's2' WHERE id = 1");
  assert_refused (editor, "INSERT INTO releases (received_at, content_hash, original, original_headline, headline,"
                          " updated_at, status) VALUES (1, 'h2', 'B', 'T', 'T', 1, 'published')");
  assert_refused (editor, "INSERT INTO outbox (release_id, target_id, revision_id, sha256, slug, idempotency_key,"
                          " payload, next_try_at, created_at, updated_at) VALUES (1, 1, 1, 's1', 'title', 'k', '{}', 0, 0, 0)");
  assert_refused (editor, "UPDATE targets SET enabled = 0");
  assert_refused (editor, "SET ROLE copydesk_chief");
  assert_refused (editor, "ALTER TABLE releases DISABLE TRIGGER releases_guard");
  status = query_value (admin, "SELECT status || coalesce (approved_sha256, '-') FROM releases WHERE id = 1");
  g_assert_cmpstr (status, ==, "in_review-");

  /* A chief may. */
  assert_allowed (chief, "UPDATE releases SET status = 'approved', approved_revision_id = 2, approved_sha256 = 's2' WHERE id = 1");
  assert_allowed (chief, "INSERT INTO outbox (release_id, target_id, revision_id, sha256, slug, idempotency_key,"
                         " payload, next_try_at, created_at, updated_at) VALUES (1, 1, 2, 's2', 'title', 'k', '{}', 0, 0, 0)");
  assert_allowed (chief, "UPDATE releases SET status = 'published' WHERE id = 1");
  g_free (status);
  status = query_value (admin, "SELECT status || ' ' || (SELECT actor FROM outbox) FROM releases WHERE id = 1");
  g_assert_cmpstr (status, ==, "published budi");
}

/* ---- search ------------------------------------------------------------- */

static const char * const corpus[] = {
  "Pemerintah Jakarta membuka jalur sepeda baru\nJAKARTA — Pemerintah Provinsi DKI Jakarta membuka jalur sepeda sepanjang 20 kilometer di Sudirman.\n",
  "Harga beras naik di Surabaya\nSURABAYA — Harga beras medium naik menjadi Rp13.000 per kilogram, kata pedagang.\n",
  "City council approves new bicycle lanes\nThe council approved bicycle lanes on the river road on Tuesday, the mayor said.\n",
  "Café owners protest rent increase\nOwners of cafés in the old town protested on Monday against a rent increase.\n",
  "北京发布新的空气质量标准\n北京市政府周二发布了新的空气质量标准，要求工厂减少排放。\n",
  "上海举办国际电影节\n上海国际电影节今天开幕，来自世界各地的电影人参加。北京的导演也来了。\n",
  "กรุงเทพฯ เปิดเส้นทางจักรยานใหม่\nกรุงเทพมหานครเปิดเส้นทางจักรยานใหม่ในสวนลุมพินี\n",
  "ราคาข้าวในประเทศไทยสูงขึ้น\nราคาข้าวหอมมะลิสูงขึ้นในสัปดาห์นี้ตามรายงานของกระทรวงพาณิชย์\n",
  "東京で新しい自転車道が開通\n東京都は火曜日、新しい自転車道を開通したと発表した。\n",
  "日本の新製品が発売された\n大阪の会社は新しい製品を発売した。東京でも販売される。\n",
  "Jakarta dan Tokyo bekerja sama\nJakarta dan 東京 menandatangani kerja sama transportasi sepeda.\n",
};

static const char * const queries[] = {
  "jakarta", "Jakarta sepeda", "sepe", "bicycle", "bicycle lanes", "cafe", "CAFÉ", "owners rent",
  "北京", "北", "空气质量", "电影", "กรุงเทพ", "จักรยาน", "ข้าว", "東京", "自転車", "発売", "京",
  "東京 sepeda", "Rp13.000", "kilo", "\"council\" OR", "no-such-word", "sur",
};

static gint
compare_ids (gconstpointer a,
             gconstpointer b)
{
  gint64 x = *(const gint64 *) a;
  gint64 y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

static void
test_search_finds_what_sqlite_finds (Fixture       *fixture,
                                     gconstpointer  data)
{
  guint n_found = 0;
  g_autofree char *path = fixture_path (fixture, "desk.db");
  g_autoptr(DeskStore) store = NULL;
  g_autoptr(DeskPg) pg = NULL;
  g_autoptr(GError) error = NULL;

  store = desk_store_open (path, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (corpus); i++)
    desk_test_add_text (store, corpus[i]);
  g_clear_object (&store);

  init_desk (fixture->address);
  g_assert_true (desk_pg_copy_desk (path, fixture->address, FALSE, NULL, &error));
  g_assert_no_error (error);
  store = desk_store_open (path, &error);
  pg = connect_sync (fixture->address);

  for (guint q = 0; q < G_N_ELEMENTS (queries); q++)
    {
      DeskQuery query = DESK_QUERY_INIT;
      g_autoptr(GPtrArray) found = NULL;
      g_autoptr(GArray) ids = NULL;
      g_autoptr(GString) sqlite_ids = g_string_new (NULL);
      g_autoptr(GString) pg_ids = g_string_new (NULL);
      g_autoptr(GArray) sorted = g_array_new (FALSE, FALSE, sizeof (gint64));

      query.search = queries[q];
      found = desk_store_list_releases (store, &query, &error);
      g_assert_no_error (error);
      for (guint i = 0; i < found->len; i++)
        {
          gint64 id = desk_release_get_id (g_ptr_array_index (found, i));

          g_array_append_val (sorted, id);
        }
      ids = desk_pg_search_ids (pg, queries[q], 0, &error);
      g_assert_no_error (error);

      g_array_sort (sorted, compare_ids);
      g_array_sort (ids, compare_ids);
      for (guint i = 0; i < sorted->len; i++)
        g_string_append_printf (sqlite_ids, " %" G_GINT64_FORMAT, g_array_index (sorted, gint64, i));
      for (guint i = 0; i < ids->len; i++)
        g_string_append_printf (pg_ids, " %" G_GINT64_FORMAT, g_array_index (ids, gint64, i));
      g_test_message ("%s: SQLite%s, PostgreSQL%s", queries[q], sqlite_ids->str, pg_ids->str);
      if (!g_str_equal (sqlite_ids->str, pg_ids->str))
        g_error ("“%s” finds%s on SQLite but%s on PostgreSQL", queries[q], sqlite_ids->str, pg_ids->str);
      if (sorted->len > 0)
        n_found++;
    }
  /* Most queries find something, in every script. */
  g_assert_cmpuint (n_found, >=, G_N_ELEMENTS (queries) - 3);

  /* Why not PostgreSQL's own parser: it finds none of these words inside
   * an unspaced sentence. */
  {
    const char *words[] = { "北京", "จักรยาน", "東京" };

    for (guint i = 0; i < G_N_ELEMENTS (words); i++)
      {
        const char *params[] = { words[i] };
        g_autoptr(PGresult) own = desk_pg_query (pg, "SELECT count(*) FROM releases WHERE"
                                                 " to_tsvector ('simple', headline || ' ' || original)"
                                                 " @@ plainto_tsquery ('simple', $1)", 1, params, &error);
        g_autoptr(GArray) ours = desk_pg_search_ids (pg, words[i], 0, &error);

        g_assert_no_error (error);
        g_test_message ("%s: PostgreSQL's simple parser finds %s, Copydesk's tokens %u",
                        words[i], PQgetvalue (own, 0, 0), ours->len);
        g_assert_cmpuint (ours->len, >, g_ascii_strtoull (PQgetvalue (own, 0, 0), NULL, 10));
      }
  }
}

/* ---- desk copy ---------------------------------------------------------- */

/* Every row of every table of the SQLite desk at @path, in a stable order. */
static char *
dump_sqlite (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskStore) store = desk_store_open (path, &error);
  sqlite3 *db;
  sqlite3_stmt *tables = NULL;
  GString *out = g_string_new (NULL);

  g_assert_no_error (error);
  db = _desk_store_get_db (store);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT name FROM sqlite_schema WHERE type = 'table'"
                                           " AND name NOT LIKE 'sqlite%' AND name NOT LIKE 'releases_fts%' ORDER BY name",
                                       -1, &tables, NULL), ==, SQLITE_OK);
  while (sqlite3_step (tables) == SQLITE_ROW)
    {
      const char *table = (const char *) sqlite3_column_text (tables, 0);
      g_autofree char *probe_sql = g_strdup_printf ("SELECT * FROM \"%s\"", table);
      g_autoptr(GString) sql = g_string_new ("SELECT ");
      sqlite3_stmt *probe = NULL;
      sqlite3_stmt *rows = NULL;
      int n;

      g_assert_cmpint (sqlite3_prepare_v2 (db, probe_sql, -1, &probe, NULL), ==, SQLITE_OK);
      n = sqlite3_column_count (probe);
      for (int i = 0; i < n; i++)
        g_string_append_printf (sql, "%squote (\"%s\")", i > 0 ? " || '|' || " : "", sqlite3_column_name (probe, i));
      g_string_append_printf (sql, " FROM \"%s\" ORDER BY ", table);
      for (int i = 0; i < n; i++)
        g_string_append_printf (sql, "%s\"%s\"", i > 0 ? ", " : "", sqlite3_column_name (probe, i));
      sqlite3_finalize (probe);

      g_string_append_printf (out, "== %s\n", table);
      g_assert_cmpint (sqlite3_prepare_v2 (db, sql->str, -1, &rows, NULL), ==, SQLITE_OK);
      while (sqlite3_step (rows) == SQLITE_ROW)
        g_string_append_printf (out, "%s\n", (const char *) sqlite3_column_text (rows, 0));
      sqlite3_finalize (rows);
    }
  sqlite3_finalize (tables);
  return g_string_free (out, FALSE);
}

static void
make_desk (DeskStore  *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) settings = json_object_new ();
  g_autoptr(DeskPublisher) publisher = NULL;
  gint64 seed = desk_test_add_seed (store);
  gint64 edited = desk_test_add_text (store, "Harga cabai turun\nHarga cabai rawit turun di pasar induk, kata pedagang.\n");
  gint64 approved = desk_test_add_approved (store, "Kereta cepat menambah jadwal",
                                            "Operator kereta cepat menambah empat jadwal perjalanan mulai pekan depan.");
  gint64 published[2];
  gint64 hook;

  desk_test_add_text (store, "北京发布新的空气质量标准\n北京市政府周二发布了新的空气质量标准。\n");
  desk_test_add_text (store, "ราคาข้าวในประเทศไทยสูงขึ้น\nราคาข้าวหอมมะลิสูงขึ้นในสัปดาห์นี้\n");
  g_assert_true (desk_store_save_revision (store, edited, "Harga cabai rawit turun",
                                           "Harga cabai rawit turun di pasar induk Jakarta, kata pedagang.\n",
                                           "Ana", NULL, &error));
  g_assert_no_error (error);
  g_assert_true (desk_store_set_status (store, edited, DESK_STATUS_IN_REVIEW, "Ana", "Cek angka", &error));
  g_assert_true (desk_store_set_status (store, edited, DESK_STATUS_CHANGES_REQUESTED, "Budi", "Sumber?", &error));
  g_assert_no_error (error);
  g_assert_true (desk_store_set_sponsor_decision (store, seed, DESK_SPONSOR_DECISION_THIRD_PARTY,
                                                  "Rilis pers dari distributor", "Budi", &error));
  g_assert_no_error (error);
  g_assert_true (desk_store_add_dictionary_word (store, "id", "SeaPRwire", "Ana", &error));
  g_assert_no_error (error);
  g_assert_cmpint (desk_feed_add (store, "https://wire.example/rss.xml", "Wire", &error), >, 0);
  g_assert_no_error (error);

  /* A target with a secret: the secret stays in the keyring. */
  json_object_set_string_member (settings, "url", "https://hooks.example/copydesk");
  hook = desk_store_add_target (store, DESK_TARGET_WEBHOOK, "hook", settings, &error);
  g_assert_no_error (error);
  desk_test_set_secret (store, hook, "Hook-Secret-0451");

  /* Two published to the local folder, one approved and waiting. */
  published[0] = desk_test_add_approved (store, "Bandara baru dibuka", "Bandara baru dibuka untuk penerbangan domestik.");
  published[1] = desk_test_add_approved (store, "Museum memperpanjang jam buka", "Museum nasional buka sampai pukul 21.00.");
  for (guint i = 0; i < G_N_ELEMENTS (published); i++)
    {
      g_assert_cmpint (desk_store_publish (store, published[i], 1, "Budi", &error), >, 0);
      g_assert_no_error (error);
    }
  publisher = desk_publisher_new (store);
  g_assert_true (desk_publisher_run_sync (publisher, NULL, &error));
  g_assert_no_error (error);
  {
    g_autoptr(DeskRelease) release = desk_store_get_release (store, published[1], &error);

    g_assert_cmpint (desk_release_get_status (release), ==, DESK_STATUS_PUBLISHED);
  }
  (void) approved;
}

static void
test_copy_to_postgresql_and_back_keeps_every_table (Fixture       *fixture,
                                                    gconstpointer  data)
{
  g_autofree char *from = fixture_path (fixture, "from.db");
  g_autofree char *back = fixture_path (fixture, "back.db");
  g_autofree char *from_dump = NULL;
  g_autofree char *back_dump = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskPg) pg = NULL;
  gint64 n_releases;

  {
    g_autoptr(DeskStore) store = desk_store_open (from, &error);

    g_assert_no_error (error);
    make_desk (store);
    n_releases = desk_test_sql_int (from, "SELECT count(*) FROM releases");
  }
  from_dump = dump_sqlite (from);
  g_assert_nonnull (strstr (from_dump, "'published'"));
  g_assert_nonnull (strstr (from_dump, "== outbox\n"));

  {
    g_auto(DeskTestRun) not_yet = run_cli ("desk", "copy", from, fixture->address, NULL);
    g_auto(DeskTestRun) init = run_cli ("desk", "init", fixture->address, NULL);
    g_auto(DeskTestRun) copy = { 0 };
    g_auto(DeskTestRun) again = { 0 };
    g_auto(DeskTestRun) forced = { 0 };
    g_autofree char *expected = g_strdup_printf ("copied %" G_GINT64_FORMAT " releases\n", n_releases);

    g_assert_cmpint (not_yet.status, ==, 1);
    g_assert_nonnull (strstr (not_yet.err, "is not a desk yet: run “copydesk-cli desk init"));
    g_assert_cmpint (init.status, ==, 0);
    copy = run_cli ("desk", "copy", from, fixture->address, NULL);
    g_assert_cmpint (copy.status, ==, 0);
    g_assert_cmpstr (copy.out, ==, expected);
    again = run_cli ("desk", "copy", from, fixture->address, NULL);
    g_assert_cmpint (again.status, ==, 1);
    g_assert_nonnull (strstr (again.err, "is not empty; give --force"));
    forced = run_cli ("desk", "copy", "--force", from, fixture->address, NULL);
    g_assert_cmpint (forced.status, ==, 0);
  }

  pg = connect_sync (fixture->address);
  {
    g_autofree char *count = query_value (pg, "SELECT count(*) FROM releases");
    g_autofree char *jobs = query_value (pg, "SELECT count(*) FROM outbox WHERE state = 'done'");
    g_autofree char *secret = query_value (pg, "SELECT count(*) FROM targets WHERE settings LIKE '%Hook-Secret%'");
    g_autofree char *next_id = NULL;
    g_autoptr(GArray) found = desk_pg_search_ids (pg, "Moskow", 0, &error);

    g_assert_cmpint (g_ascii_strtoll (count, NULL, 10), ==, n_releases);
    g_assert_cmpstr (jobs, ==, "2");
    g_assert_cmpstr (secret, ==, "0");
    g_assert_no_error (error);
    g_assert_cmpuint (found->len, ==, 1);
    /* New rows take ids after the copied ones (the row taken back:
     * history is never deleted). */
    g_assert_true (desk_pg_exec (pg, "BEGIN; INSERT INTO events (release_id, action, created_at) VALUES (1, 'note', 0)", &error));
    g_assert_no_error (error);
    next_id = query_value (pg, "SELECT max (id) > (SELECT count(*) FROM events) - 1 FROM events");
    g_assert_cmpstr (next_id, ==, "t");
    g_assert_true (desk_pg_exec (pg, "ROLLBACK", &error));
  }

  {
    g_auto(DeskTestRun) copy = run_cli ("desk", "copy", fixture->address, back, NULL);
    g_auto(DeskTestRun) again = { 0 };

    g_assert_cmpint (copy.status, ==, 0);
    again = run_cli ("desk", "copy", fixture->address, back, NULL);
    g_assert_cmpint (again.status, ==, 1);
    g_assert_nonnull (strstr (again.err, "is not an empty desk; give --force"));
  }
  back_dump = dump_sqlite (back);
  g_assert_cmpstr (back_dump, ==, from_dump);

  /* The copy's search index was built. */
  {
    g_autoptr(DeskStore) store = desk_store_open (back, &error);
    DeskQuery query = DESK_QUERY_INIT;
    g_autoptr(GPtrArray) found = NULL;

    query.search = "空气";
    found = desk_store_list_releases (store, &query, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (found->len, ==, 1);
  }
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *export_dir = NULL;
  int status;

  if (argc > 1 && g_str_equal (argv[1], "--harness-child"))
    return harness_child ();

  g_setenv ("COPYDESK_SECRETS", "memory", TRUE);
  /* Where the local folder target publishes, before any thread starts. */
  export_dir = g_dir_make_tmp ("copydesk-test-pg-export-XXXXXX", NULL);
  g_assert_nonnull (export_dir);
  g_setenv ("COPYDESK_EXPORT_DIR", export_dir, TRUE);
  g_test_init (&argc, &argv, NULL);
  server = desk_pg_harness_start ();

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/pg/connect/async-with-a-uri-or-keywords", test_connect_async_uri_and_keywords);
  ADD ("/pg/connect/errors-name-the-desk-without-its-password", test_connect_errors_name_the_desk_without_password);
  ADD ("/pg/query/error-carries-the-server-message", test_query_error_carries_the_server_message);
  ADD ("/pg/notify/arrives-and-survives-a-lost-connection", test_notify_arrives_and_survives_reconnection);
  g_test_add_func ("/pg/harness/leaves-no-server-after-kill-9", test_harness_leaves_no_server_after_kill_9);
  ADD ("/pg/init/is-idempotent-and-says-why-it-fails", test_init_is_idempotent_and_says_why_it_fails);
  ADD ("/pg/schema/has-every-sqlite-table-and-column", test_schema_has_every_sqlite_table_and_column);
  ADD ("/pg/store/refuses-a-team-desk-address", test_store_refuses_a_team_desk_address);
  ADD ("/pg/roles/editor-cannot-approve-or-publish-even-with-sql", test_editor_cannot_approve_or_publish_even_with_sql);
  ADD ("/pg/search/finds-what-sqlite-finds-in-every-script", test_search_finds_what_sqlite_finds);
  ADD ("/pg/copy/to-postgresql-and-back-keeps-every-table", test_copy_to_postgresql_and_back_keeps_every_table);
#undef ADD

  status = g_test_run ();
  desk_pg_harness_stop (server);
  desk_test_remove_tree (export_dir);
  return status;
}
