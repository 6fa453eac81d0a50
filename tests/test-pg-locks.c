/* test-pg-locks.c — identities the server guarantees, and soft locks, on
 * a team desk on a real PostgreSQL 15
 *
 * Hand-written SQL by an editor and by a chief: every actor stored is
 * the session_user, and history is never rewritten; desk copy still
 * carries other people's history over as it was, and an editor cannot
 * use its door.  Soft locks through two connections, a holder killed
 * with SIGKILL, a take-over that refuses the old holder's save and is
 * told by NOTIFY, and the CLI's edit, lock and locks.
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <signal.h>
#include <string.h>
#include <glib/gstdio.h>

#include "desk-db.h"
#include "desk-db-edit.h"
#include "desk-db-locks.h"
#include "desk-error.h"
#include "desk-pg.h"
#include "desk-pg-schema.h"
#include "desk-store.h"
#include "desk-test-util.h"
#include "pg-harness.h"

static DeskPgHarness *server;
static guint n_databases;

typedef struct {
  char *dir;
  char *database;
  char *address;      /* the superuser's, who prepares the desk */
  char *ana;          /* an editor's */
  char *budi;         /* a chief's */
  char *sqlite_path;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp (NULL, &error);
  g_assert_no_error (error);
  fixture->database = g_strdup_printf ("locks_%u", ++n_databases);
  fixture->address = desk_pg_harness_create_database (server, fixture->database);
  fixture->ana = desk_pg_harness_address (server, fixture->database, "ana");
  fixture->budi = desk_pg_harness_address (server, fixture->database, "budi");
  fixture->sqlite_path = g_build_filename (fixture->dir, "desk.db", NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  desk_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->database);
  g_free (fixture->address);
  g_free (fixture->ana);
  g_free (fixture->budi);
  g_free (fixture->sqlite_path);
}

static GSubprocess *
spawn_cli_v (const char *first,
             va_list     ap)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                       G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  const char *cli = g_getenv ("COPYDESK_CLI");
  GSubprocess *process;

  g_assert_nonnull (cli);
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  g_ptr_array_add (argv, (gpointer) cli);
  for (const char *arg = first; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  g_ptr_array_add (argv, NULL);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  return process;
}

static GSubprocess *
start_cli (const char *first,
           ...)
{
  GSubprocess *process;
  va_list ap;

  va_start (ap, first);
  process = spawn_cli_v (first, ap);
  va_end (ap);
  return process;
}

static DeskTestRun
finish_cli (GSubprocess *process)
{
  g_autoptr(GError) error = NULL;
  DeskTestRun run = { 0 };

  g_subprocess_communicate_utf8 (process, NULL, NULL, &run.out, &run.err, &error);
  g_assert_no_error (error);
  run.status = g_subprocess_get_if_exited (process) ? g_subprocess_get_exit_status (process) : -1;
  if (g_test_verbose ())
    g_printerr ("%s%s(exit %d)\n", run.out, run.err, run.status);
  return run;
}

static DeskTestRun
run_cli (const char *first,
         ...)
{
  g_autoptr(GSubprocess) process = NULL;
  va_list ap;

  va_start (ap, first);
  process = spawn_cli_v (first, ap);
  va_end (ap);
  return finish_cli (process);
}

/* The first line a process prints: that it took its lock. */
static char *
read_first_line (GSubprocess *process)
{
  g_autoptr(GDataInputStream) in = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  g_autoptr(GError) error = NULL;
  char *line;

  g_filter_input_stream_set_close_base_stream (G_FILTER_INPUT_STREAM (in), FALSE);
  line = g_data_input_stream_read_line_utf8 (in, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  if (g_test_verbose ())
    g_printerr ("first line: %s\n", line);
  return line;
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

static DeskDb *
open_db (const char *address)
{
  g_autoptr(GError) error = NULL;
  DeskDb *db = desk_db_open (address, &error);

  g_assert_no_error (error);
  return db;
}

static char *
query_value (DeskPg     *pg,
             const char *sql)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PGresult) result = desk_pg_query (pg, sql, 0, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpint (PQntuples (result), ==, 1);
  return g_strdup (PQgetisnull (result, 0, 0) ? "(null)" : PQgetvalue (result, 0, 0));
}

static void
exec_as (const char *address,
         const char *sql)
{
  g_autoptr(DeskPg) pg = connect_sync (address);
  g_autoptr(GError) error = NULL;

  if (!desk_pg_exec (pg, sql, &error))
    g_error ("%s: %s", sql, error->message);
}

static void
assert_refused (const char *address,
                const char *sql)
{
  g_autoptr(DeskPg) pg = connect_sync (address);
  g_autoptr(GError) error = NULL;

  if (desk_pg_exec (pg, sql, &error))
    g_error ("%s: allowed, should have been refused", sql);
  g_assert_error (error, DESK_PG_ERROR, DESK_PG_ERROR_PERMISSION);
}

static void
make_roles (void)
{
  desk_pg_harness_sql (server, "postgres",
                       "DO $$ BEGIN"
                       " IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'ana') THEN CREATE ROLE ana LOGIN IN ROLE copydesk_editor; END IF;"
                       " IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'budi') THEN CREATE ROLE budi LOGIN IN ROLE copydesk_chief; END IF;"
                       " END $$");
}

/* A SQLite desk of two releases, release 1 edited by sari and decided
 * by tono, copied to the team desk by the CLI as its owner. */
static void
make_desk (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;

  {
    g_autoptr(DeskStore) store = desk_store_open (fixture->sqlite_path, &error);
    gint64 revision = 0;

    g_assert_no_error (error);
    desk_test_add_text (store, "Harbour bridge reopens after repairs\n\nThe harbour bridge reopened on Monday after six weeks of repairs, the city said.\n");
    desk_test_add_text (store, "Library extends opening hours\n\nThe central library will open until nine in the evening from March, its director said.\n");
    g_assert_true (desk_store_save_revision (store, 1, NULL, "The harbour bridge reopened on Monday.\n", "sari", &revision, &error));
    g_assert_no_error (error);
    g_assert_true (desk_store_set_sponsor_decision (store, 1, DESK_SPONSOR_DECISION_NOT_SPONSORED,
                                                    "city press office", "tono", &error));
    g_assert_no_error (error);
  }
  {
    g_auto(DeskTestRun) init = run_cli ("desk", "init", fixture->address, NULL);
    g_auto(DeskTestRun) copy = run_cli ("desk", "copy", fixture->sqlite_path, fixture->address, NULL);

    g_assert_cmpint (init.status, ==, 0);
    g_assert_cmpint (copy.status, ==, 0);
  }
  make_roles ();
}

/* ---- identities ------------------------------------------------------------ */

static void
test_actors_are_the_session_user_whatever_the_sql_says (Fixture       *fixture,
                                                        gconstpointer  data)
{
  g_autoptr(DeskPg) admin = NULL;

  make_desk (fixture);
  admin = connect_sync (fixture->address);

  /* An editor names her chief; a chief names his editor; an editor
   * tries the copy's door. */
  exec_as (fixture->ana, "INSERT INTO revisions (release_id, number, headline, text, sha256, author, created_at)"
                         " VALUES (2, 1, 'T', 'By ana.', 's', 'budi', 1)");
  exec_as (fixture->ana, "INSERT INTO events (release_id, actor, action, created_at) VALUES (2, 'budi', 'note-a', 1)");
  exec_as (fixture->ana, "UPDATE releases SET decision = 'sponsored', decision_reason = 'r', decided_by = 'budi' WHERE id = 2");
  exec_as (fixture->ana, "BEGIN; SET LOCAL copydesk.copying = 'on';"
                         " INSERT INTO events (release_id, actor, action, created_at) VALUES (2, 'tono', 'note-b', 1); COMMIT");
  exec_as (fixture->budi, "INSERT INTO revisions (release_id, number, headline, text, sha256, author, created_at)"
                          " VALUES (2, 2, 'T', 'By budi.', 's', 'ana', 2)");
  exec_as (fixture->budi, "INSERT INTO events (release_id, actor, action, created_at) VALUES (2, 'ana', 'note-c', 2)");
  exec_as (fixture->budi, "BEGIN; SET LOCAL copydesk.copying = 'on';"
                          " INSERT INTO events (release_id, actor, action, created_at) VALUES (2, 'tono', 'note-d', 2); COMMIT");
  exec_as (fixture->budi, "INSERT INTO outbox (release_id, target_id, revision_id, sha256, slug, idempotency_key,"
                          " payload, next_try_at, created_at, updated_at, actor) VALUES (2, 1, 1, 's', 'x', 'k', '{}', 0, 0, 0, 'ana')");
  {
    g_autofree char *authors = query_value (admin, "SELECT string_agg (author, ',' ORDER BY number) FROM revisions WHERE release_id = 2");
    g_autofree char *actors = query_value (admin, "SELECT string_agg (action || ' ' || actor, ',' ORDER BY id) FROM events"
                                                  " WHERE action LIKE 'note-%'");
    g_autofree char *decided = query_value (admin, "SELECT decision || ' ' || decided_by FROM releases WHERE id = 2");
    g_autofree char *queued = query_value (admin, "SELECT actor FROM outbox");

    g_assert_cmpstr (authors, ==, "ana,budi");
    g_assert_cmpstr (actors, ==, "note-a ana,note-b ana,note-c budi,note-d budi");
    g_assert_cmpstr (decided, ==, "sponsored ana");
    g_assert_cmpstr (queued, ==, "budi");
  }

  /* A chief rewriting who decided signs it himself; a change elsewhere
   * in the row leaves the decision's author alone. */
  exec_as (fixture->budi, "UPDATE releases SET decided_by = 'ana' WHERE id = 1");
  exec_as (fixture->ana, "UPDATE releases SET headline = 'Bridge reopens' WHERE id = 2");
  exec_as (fixture->budi, "UPDATE outbox SET actor = 'ana', attempts = 1");
  {
    g_autofree char *decided = query_value (admin, "SELECT string_agg (decided_by, ',' ORDER BY id) FROM releases");
    g_autofree char *queued = query_value (admin, "SELECT actor || ' ' || attempts FROM outbox");

    g_assert_cmpstr (decided, ==, "budi,ana");
    g_assert_cmpstr (queued, ==, "budi 1");
  }

  /* The CLI's own paths sign with the login role. */
  {
    g_autofree char *file = g_build_filename (fixture->dir, "copy.txt", NULL);
    g_autoptr(GError) error = NULL;

    g_file_set_contents (file, "The central library will open until nine.\n", -1, &error);
    g_assert_no_error (error);
    {
      g_auto(DeskTestRun) edit = run_cli ("edit", "--database", fixture->ana, "1", "--from-file", file, NULL);
      g_auto(DeskTestRun) decide = run_cli ("decide", "--database", fixture->budi, "2", "third-party",
                                            "--reason", "a ministry's release", NULL);

      g_assert_cmpint (edit.status, ==, 0);
      g_assert_cmpint (decide.status, ==, 0);
    }
  }
  {
    g_autofree char *author = query_value (admin, "SELECT author FROM revisions WHERE release_id = 1 ORDER BY number DESC LIMIT 1");
    g_autofree char *decided = query_value (admin, "SELECT decision || ' ' || decided_by FROM releases WHERE id = 2");

    g_assert_cmpstr (author, ==, "ana");
    g_assert_cmpstr (decided, ==, "third_party budi");
  }
}

static void
test_history_cannot_be_rewritten_by_any_role (Fixture       *fixture,
                                              gconstpointer  data)
{
  g_autoptr(DeskPg) admin = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  const char *history = "SELECT (SELECT string_agg (author || text, ',' ORDER BY id) FROM revisions)"
                        " || '|' || (SELECT string_agg (actor || action, ',' ORDER BY id) FROM events)";

  make_desk (fixture);
  admin = connect_sync (fixture->address);
  before = query_value (admin, history);

  for (guint i = 0; i < 3; i++)
    {
      const char *role = i == 0 ? fixture->ana : i == 1 ? fixture->budi : fixture->address;

      assert_refused (role, "UPDATE events SET actor = 'ana'");
      assert_refused (role, "UPDATE events SET note = 'rewritten' WHERE release_id = 1");
      assert_refused (role, "DELETE FROM events WHERE release_id = 1");
      assert_refused (role, "UPDATE revisions SET text = 'rewritten'");
      assert_refused (role, "DELETE FROM revisions");
    }
  /* A release's history goes with it no more than by itself. */
  assert_refused (fixture->budi, "DELETE FROM releases WHERE id = 1");

  after = query_value (admin, history);
  g_assert_cmpstr (after, ==, before);
}

static void
test_desk_copy_keeps_the_actors_of_the_history_it_carries (Fixture       *fixture,
                                                           gconstpointer  data)
{
  g_autoptr(DeskPg) admin = NULL;
  g_autofree char *author = NULL;
  g_autofree char *decided = NULL;
  g_autofree char *actors = NULL;

  make_desk (fixture);
  admin = connect_sync (fixture->address);
  author = query_value (admin, "SELECT string_agg (author, ',') FROM revisions WHERE release_id = 1");
  decided = query_value (admin, "SELECT decided_by FROM releases WHERE id = 1");
  actors = query_value (admin, "SELECT string_agg (DISTINCT actor, ',') FROM events WHERE release_id = 1 AND action <> 'imported'");
  g_assert_cmpstr (author, ==, "sari");
  g_assert_cmpstr (decided, ==, "tono");
  g_assert_cmpstr (actors, ==, "tono");

  /* Back to SQLite and over again, --force: the same names. */
  {
    g_autofree char *back = g_build_filename (fixture->dir, "back.db", NULL);
    g_auto(DeskTestRun) out = run_cli ("desk", "copy", fixture->address, back, NULL);
    g_auto(DeskTestRun) in = run_cli ("desk", "copy", back, fixture->address, "--force", NULL);
    g_autofree char *again = NULL;

    g_assert_cmpint (out.status, ==, 0);
    g_assert_cmpint (in.status, ==, 0);
    again = query_value (admin, "SELECT (SELECT string_agg (author, ',') FROM revisions WHERE release_id = 1)"
                                " || ' ' || (SELECT decided_by FROM releases WHERE id = 1)");
    g_assert_cmpstr (again, ==, "sari tono");
  }
}

/* ---- soft locks ------------------------------------------------------------ */

static void
test_a_second_connection_sees_the_first_ones_lock (Fixture       *fixture,
                                                   gconstpointer  data)
{
  g_autoptr(DeskDb) ana = NULL;
  g_autoptr(DeskDb) budi = NULL;
  g_autoptr(DeskLock) taken = NULL;
  g_autoptr(DeskLock) seen = NULL;
  g_autoptr(DeskLock) refused = NULL;
  g_autoptr(DeskLock) free_lock = NULL;
  g_autoptr(GPtrArray) locks = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *held = NULL;
  gint64 before, after;

  make_desk (fixture);
  ana = open_db (fixture->ana);
  budi = open_db (fixture->budi);

  before = g_get_real_time () - G_USEC_PER_SEC;
  g_assert_true (desk_db_lock_take (ana, 1, FALSE, &taken, &error));
  g_assert_no_error (error);
  after = g_get_real_time () + G_USEC_PER_SEC;
  g_assert_cmpstr (taken->holder, ==, "ana");
  g_assert_true (taken->mine);
  /* Taken again by its holder: nothing changes. */
  g_assert_true (desk_db_lock_take (ana, 1, FALSE, NULL, &error));
  g_assert_no_error (error);

  g_assert_true (desk_db_lock_get (budi, 1, &seen, &error));
  g_assert_no_error (error);
  g_assert_nonnull (seen);
  g_assert_cmpstr (seen->holder, ==, "ana");
  g_assert_false (seen->mine);
  g_assert_cmpint (seen->since, ==, taken->since);
  g_assert_cmpint (seen->since, >=, before);
  g_assert_cmpint (seen->since, <=, after);
  g_assert_true (desk_db_lock_get (budi, 2, &free_lock, &error));
  g_assert_null (free_lock);

  g_assert_false (desk_db_lock_take (budi, 1, FALSE, &refused, &error));
  g_assert_error (error, DESK_ERROR, DESK_ERROR_LOCKED);
  held = desk_lock_describe (seen);
  g_assert_nonnull (strstr (error->message, held));
  g_assert_nonnull (strstr (held, "ana is editing release #1 since "));
  g_assert_cmpstr (refused->holder, ==, "ana");
  g_clear_error (&error);

  locks = desk_db_lock_list (budi, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (locks->len, ==, 1);
  g_assert_cmpstr (((DeskLock *) locks->pdata[0])->headline, ==, "Harbour bridge reopens after repairs");

  /* Let go: the other takes it. */
  g_assert_true (desk_db_lock_release (ana, 1, &error));
  g_assert_true (desk_db_lock_take (budi, 1, FALSE, NULL, &error));
  g_assert_no_error (error);
}

static void
test_a_holder_killed_with_sigkill_frees_its_lock (Fixture       *fixture,
                                                  gconstpointer  data)
{
  g_autoptr(DeskDb) budi = NULL;
  g_autoptr(GSubprocess) holder = NULL;
  g_autoptr(DeskLock) seen = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  gint64 killed, freed;

  make_desk (fixture);
  budi = open_db (fixture->budi);
  holder = start_cli ("lock", "--database", fixture->ana, "1", NULL);
  line = read_first_line (holder);
  g_assert_nonnull (strstr (line, "#1: locked for editing by ana since "));
  g_assert_true (desk_db_lock_get (budi, 1, &seen, &error));
  g_assert_nonnull (seen);
  g_clear_pointer (&seen, desk_lock_free);

  killed = g_get_monotonic_time ();
  g_subprocess_send_signal (holder, SIGKILL);
  g_subprocess_wait (holder, NULL, &error);
  g_assert_no_error (error);
  do
    {
      g_clear_pointer (&seen, desk_lock_free);
      g_assert_true (desk_db_lock_get (budi, 1, &seen, &error));
      g_assert_no_error (error);
      if (seen != NULL)
        g_usleep (5000);
    }
  while (seen != NULL);
  freed = g_get_monotonic_time ();
  g_test_message ("the lock was free %.3f s after kill -9", (double) (freed - killed) / G_USEC_PER_SEC);
  if (g_test_verbose ())
    g_printerr ("the lock was free %.3f s after kill -9\n", (double) (freed - killed) / G_USEC_PER_SEC);

  g_assert_true (desk_db_lock_take (budi, 1, FALSE, NULL, &error));
  g_assert_no_error (error);
}

typedef struct {
  GPtrArray *payloads;
  gboolean   listening;
} Listener;

static void
on_notification (DeskPg     *pg,
                 const char *channel,
                 const char *payload,
                 gpointer    user_data)
{
  Listener *listener = user_data;

  if (g_str_equal (channel, DESK_DB_LOCK_CHANNEL))
    g_ptr_array_add (listener->payloads, g_strdup (payload));
}

static void
on_listening (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Listener *listener = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (desk_pg_listen_finish (DESK_PG (source), result, &error));
  g_assert_no_error (error);
  listener->listening = TRUE;
}

static void
test_a_take_over_refuses_the_old_holders_save_and_is_told (Fixture       *fixture,
                                                           gconstpointer  data)
{
  g_autoptr(DeskDb) ana = NULL;
  g_autoptr(DeskDb) budi = NULL;
  g_autoptr(DeskPg) window = NULL;
  g_autoptr(DeskLock) lock = NULL;
  g_autoptr(GError) error = NULL;
  Listener listener = { g_ptr_array_new_with_free_func (g_free), FALSE };
  gint64 number = 0;

  make_desk (fixture);
  ana = open_db (fixture->ana);
  budi = open_db (fixture->budi);
  window = connect_sync (fixture->address);
  g_signal_connect (window, "notification", G_CALLBACK (on_notification), &listener);
  desk_pg_listen_async (window, DESK_DB_LOCK_CHANNEL, NULL, on_listening, &listener);
  while (!listener.listening)
    g_main_context_iteration (NULL, TRUE);

  g_assert_true (desk_db_lock_take (ana, 1, FALSE, NULL, &error));
  g_assert_no_error (error);
  while (listener.payloads->len < 1)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpstr (listener.payloads->pdata[0], ==, "1");

  /* The holder saves. */
  g_assert_true (desk_db_save_revision (ana, 1, -1, NULL, "Ana's copy.\n", &number, &error));
  g_assert_no_error (error);
  g_assert_cmpint (number, ==, 2);

  /* Another editor saving without the lock is refused. */
  g_assert_false (desk_db_save_revision (budi, 1, -1, NULL, "Budi's copy.\n", &number, &error));
  g_assert_error (error, DESK_ERROR, DESK_ERROR_LOCKED);
  g_assert_nonnull (strstr (error->message, "ana is editing release #1 since "));
  g_clear_error (&error);

  /* He takes it over: the window is told, and the old holder's next
   * save is refused, saying who took it over and when. */
  g_assert_true (desk_db_lock_take (budi, 1, TRUE, &lock, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (lock->holder, ==, "budi");
  while (listener.payloads->len < 2)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpstr (listener.payloads->pdata[1], ==, "1");

  g_assert_false (desk_db_save_revision (ana, 1, -1, NULL, "Ana's copy, again.\n", &number, &error));
  g_assert_error (error, DESK_ERROR, DESK_ERROR_LOCKED);
  {
    g_autofree char *when = desk_lock_format_time (lock->since);
    g_autofree char *expected = g_strdup_printf ("budi took over release #1 at %s", when);

    g_assert_nonnull (strstr (error->message, expected));
  }
  g_clear_error (&error);
  g_assert_true (desk_db_save_revision (budi, 1, -1, NULL, "Budi's copy.\n", &number, &error));
  g_assert_no_error (error);
  g_assert_cmpint (number, ==, 3);

  /* The old holder lets go of what it no longer holds: nothing changes. */
  g_assert_true (desk_db_lock_release (ana, 1, &error));
  g_clear_pointer (&lock, desk_lock_free);
  g_assert_true (desk_db_lock_get (ana, 1, &lock, &error));
  g_assert_cmpstr (lock->holder, ==, "budi");

  /* Released: told too. */
  g_assert_true (desk_db_lock_release (budi, 1, &error));
  while (listener.payloads->len < 3)
    g_main_context_iteration (NULL, TRUE);
  g_clear_pointer (&lock, desk_lock_free);
  g_assert_true (desk_db_lock_get (ana, 1, &lock, &error));
  g_assert_null (lock);
  g_ptr_array_unref (listener.payloads);
}

static void
test_the_cli_edits_under_the_lock_and_lists_locks (Fixture       *fixture,
                                                   gconstpointer  data)
{
  g_autoptr(GSubprocess) holder = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  g_autofree char *file = g_build_filename (fixture->dir, "copy.txt", NULL);
  g_autoptr(DeskPg) admin = NULL;

  make_desk (fixture);
  admin = connect_sync (fixture->address);
  g_file_set_contents (file, "The harbour bridge reopened.\n", -1, &error);
  g_assert_no_error (error);

  {
    g_auto(DeskTestRun) none = run_cli ("locks", "--database", fixture->budi, NULL);

    g_assert_cmpint (none.status, ==, 0);
    g_assert_cmpstr (none.out, ==, "no release is locked for editing\n");
  }

  holder = start_cli ("lock", "--database", fixture->ana, "1", NULL);
  line = read_first_line (holder);
  g_assert_nonnull (strstr (line, "#1: locked for editing by ana since "));

  {
    g_auto(DeskTestRun) list = run_cli ("locks", "--database", fixture->budi, NULL);
    g_auto(DeskTestRun) refused = run_cli ("edit", "--database", fixture->budi, "1", "--from-file", file, NULL);
    g_autofree char *revisions = query_value (admin, "SELECT count(*) FROM revisions WHERE release_id = 1");

    g_assert_cmpint (list.status, ==, 0);
    g_assert_true (g_str_has_prefix (list.out, "#1\tHarbour bridge reopens after repairs\tana\tsince "));
    g_assert_cmpint (refused.status, ==, 1);
    g_assert_nonnull (strstr (refused.err, "ana is editing release #1 since "));
    g_assert_nonnull (strstr (refused.err, "--take-over"));
    g_assert_cmpstr (revisions, ==, "1");
  }

  /* Taken over: the edit is saved, and the holder is told. */
  {
    g_auto(DeskTestRun) edit = run_cli ("edit", "--database", fixture->budi, "1", "--from-file", file, "--take-over", NULL);
    g_auto(DeskTestRun) told = finish_cli (holder);
    g_autofree char *author = query_value (admin, "SELECT author FROM revisions WHERE release_id = 1 ORDER BY number DESC LIMIT 1");

    g_assert_cmpint (edit.status, ==, 0);
    g_assert_nonnull (strstr (edit.out, "#1: saved revision 2"));
    g_assert_cmpstr (author, ==, "budi");
    g_assert_cmpint (told.status, ==, 1);
    g_assert_nonnull (strstr (told.out, "budi took over release #1 at "));
  }
  /* The edit let its lock go. */
  {
    g_auto(DeskTestRun) none = run_cli ("locks", "--database", fixture->budi, NULL);

    g_assert_cmpstr (none.out, ==, "no release is locked for editing\n");
  }

  /* A holder stopped with SIGTERM lets go. */
  g_clear_object (&holder);
  holder = start_cli ("lock", "--database", fixture->ana, "2", NULL);
  g_free (line);
  line = read_first_line (holder);
  g_subprocess_send_signal (holder, SIGTERM);
  {
    g_auto(DeskTestRun) stopped = finish_cli (holder);
    g_auto(DeskTestRun) none = run_cli ("locks", "--database", fixture->budi, "--json", NULL);

    g_assert_cmpint (stopped.status, ==, 0);
    g_assert_cmpstr (g_strstrip (none.out), ==, "[]");
  }
}

static void
test_a_sqlite_desk_takes_no_locks (Fixture       *fixture,
                                   gconstpointer  data)
{
  g_autoptr(DeskDb) db = NULL;
  g_autoptr(DeskLock) lock = NULL;
  g_autoptr(GPtrArray) locks = NULL;
  g_autoptr(GError) error = NULL;

  {
    g_autoptr(DeskStore) store = desk_store_open (fixture->sqlite_path, &error);

    g_assert_no_error (error);
    desk_test_add_text (store, "Harbour bridge reopens after repairs\n\nThe harbour bridge reopened on Monday.\n");
  }
  db = open_db (fixture->sqlite_path);
  g_assert_true (desk_db_lock_take (db, 1, FALSE, &lock, &error));
  g_assert_no_error (error);
  g_assert_null (lock);
  g_assert_true (desk_db_lock_get (db, 1, &lock, &error));
  g_assert_null (lock);
  g_assert_true (desk_db_lock_check_save (db, 1, &error));
  locks = desk_db_lock_list (db, &error);
  g_assert_cmpuint (locks->len, ==, 0);
  g_assert_true (desk_db_lock_release (db, 1, &error));
  g_assert_no_error (error);
  {
    g_auto(DeskTestRun) list = run_cli ("locks", "--database", fixture->sqlite_path, NULL);
    g_auto(DeskTestRun) hold = run_cli ("lock", "--database", fixture->sqlite_path, "1", NULL);

    g_assert_cmpint (list.status, ==, 0);
    g_assert_cmpint (hold.status, ==, 0);
  }
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_setenv ("COPYDESK_SECRETS", "memory", TRUE);
  g_test_init (&argc, &argv, NULL);
  server = desk_pg_harness_start ();

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/pg-guard/actors-are-the-session-user-whatever-the-sql-says", test_actors_are_the_session_user_whatever_the_sql_says);
  ADD ("/pg-guard/history-cannot-be-rewritten-by-any-role", test_history_cannot_be_rewritten_by_any_role);
  ADD ("/pg-guard/desk-copy-keeps-the-actors-of-the-history-it-carries",
       test_desk_copy_keeps_the_actors_of_the_history_it_carries);
  ADD ("/pg-locks/a-second-connection-sees-the-first-ones-lock", test_a_second_connection_sees_the_first_ones_lock);
  ADD ("/pg-locks/a-holder-killed-with-sigkill-frees-its-lock", test_a_holder_killed_with_sigkill_frees_its_lock);
  ADD ("/pg-locks/a-take-over-refuses-the-old-holders-save-and-is-told",
       test_a_take_over_refuses_the_old_holders_save_and_is_told);
  ADD ("/pg-locks/the-cli-edits-under-the-lock-and-lists-locks", test_the_cli_edits_under_the_lock_and_lists_locks);
  ADD ("/pg-locks/a-sqlite-desk-takes-no-locks", test_a_sqlite_desk_takes_no_locks);
#undef ADD

  status = g_test_run ();
  desk_pg_harness_stop (server);
  return status;
}
