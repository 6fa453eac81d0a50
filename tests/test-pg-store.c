/* test-pg-store.c — one core on two stores: a SQLite file and a team
 * desk on a real PostgreSQL 15
 *
 * The statement layer (desk-db.c) on both engines; then the CLI's list,
 * show, search and workflow moves run on the same desk as a SQLite file
 * and as a copy of it on PostgreSQL, with the same output; two CLIs
 * moving one release at once, of which exactly one wins; and an editor's
 * CLI that the server does not let approve.
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "desk-db.h"
#include "desk-db-releases.h"
#include "desk-error.h"
#include "desk-pg.h"
#include "desk-pg-schema.h"
#include "desk-store.h"
#include "desk-test-util.h"
#include "pg-harness.h"

#define PASSWORD "Sekr3t-Pw"

static DeskPgHarness *server;
static guint n_databases;

typedef struct {
  char *dir;
  char *database;
  char *address;      /* the superuser's, who prepares the desk */
  char *sqlite_path;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("copydesk-test-pg-store-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->database = g_strdup_printf ("store_%u", ++n_databases);
  fixture->address = desk_pg_harness_create_database (server, fixture->database);
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
  g_free (fixture->sqlite_path);
}

static void
make_roles (void)
{
  desk_pg_harness_sql (server, "postgres",
                       "DO $$ BEGIN"
                       " IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'ana') THEN CREATE ROLE ana LOGIN IN ROLE copydesk_editor; END IF;"
                       " IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'budi') THEN CREATE ROLE budi LOGIN IN ROLE copydesk_chief; END IF;"
                       " IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'citra') THEN CREATE ROLE citra LOGIN IN ROLE copydesk_chief; END IF;"
                       " END $$");
}

static GSubprocess *
spawn_cli (const char * const *env,
           const char         *first,
           va_list             ap)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                       G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  const char *cli = g_getenv ("COPYDESK_CLI");
  GSubprocess *process;

  g_assert_nonnull (cli);
  for (guint i = 0; env != NULL && env[i] != NULL; i += 2)
    g_subprocess_launcher_setenv (launcher, env[i], env[i + 1], TRUE);
  g_ptr_array_add (argv, (gpointer) cli);
  for (const char *arg = first; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  g_ptr_array_add (argv, NULL);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  return process;
}

static DeskTestRun
finish_cli (GSubprocess *process)
{
  g_autoptr(GError) error = NULL;
  DeskTestRun run = { 0 };

  g_subprocess_communicate_utf8 (process, NULL, NULL, &run.out, &run.err, &error);
  g_assert_no_error (error);
  run.status = g_subprocess_get_exit_status (process);
  if (g_test_verbose ())
    g_printerr ("%s%s(exit %d)\n", run.out, run.err, run.status);
  return run;
}

static DeskTestRun
run_cli_env (const char * const *env,
             const char         *first,
             ...)
{
  g_autoptr(GSubprocess) process = NULL;
  va_list ap;

  va_start (ap, first);
  process = spawn_cli (env, first, ap);
  va_end (ap);
  return finish_cli (process);
}

#define run_cli(...) run_cli_env (NULL, __VA_ARGS__)

static GSubprocess *
start_cli (const char *first,
           ...)
{
  GSubprocess *process;
  va_list ap;

  va_start (ap, first);
  process = spawn_cli (NULL, first, ap);
  va_end (ap);
  return process;
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

static DeskPg *
connect_sync (const char *address)
{
  g_autoptr(GError) error = NULL;
  DeskPg *pg = desk_pg_new (address);

  g_assert_true (desk_pg_connect (pg, &error));
  g_assert_no_error (error);
  return pg;
}

#define STORY \
  "Dock workers at the city's container port returned to work on Thursday after three days of talks " \
  "between their union and the port authority ended with an agreement on shift pay and overtime. " \
  "Ships that had waited at anchor since Monday began to berth in the afternoon, the authority said, " \
  "and the backlog of containers should be cleared by the end of next week.\n\n" \
  "The union said the agreement raises night shift pay by eight percent and limits overtime to " \
  "ten hours a week. The port authority said it would publish the full text of the agreement.\n"

/* A SQLite desk of a few releases (one with wire furniture, two copies
 * of one story), and the same desk copied to PostgreSQL by the CLI. */
static void
make_both_desks (Fixture *fixture)
{
  static const char * const texts[] = {
    "Harbour bridge reopens after repairs\n\nThe harbour bridge reopened on Monday after six weeks of repairs, the city said.\n",
    "School meals programme widened\n\nThe school meals programme will reach forty more schools next term, the ministry said.\n",
    "Library extends opening hours\n\nThe central library will open until nine in the evening from March, its director said.\n",
    /* One story from two wires: copies of each other. */
    "Port strike ends after three days of talks\n\n" STORY,
    "Port strike over after talks\n\n" STORY "Reporting by the desk.\n",
  };
  g_autoptr(GError) error = NULL;

  {
    g_autoptr(DeskStore) store = desk_store_open (fixture->sqlite_path, &error);

    g_assert_no_error (error);
    for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
      desk_test_add_text (store, texts[i]);
    desk_test_add_seed (store);
  }
  /* The two wires' copies are one story. */
  g_assert_cmpint (desk_test_sql_int (fixture->sqlite_path,
                                      "SELECT count(DISTINCT group_id) FROM copy_signatures WHERE release_id IN (4, 5)"), ==, 1);

  {
    g_auto(DeskTestRun) init = run_cli ("desk", "init", fixture->address, NULL);
    g_auto(DeskTestRun) copy = run_cli ("desk", "copy", fixture->sqlite_path, fixture->address, NULL);

    g_assert_cmpint (init.status, ==, 0);
    g_assert_cmpint (copy.status, ==, 0);
  }
  make_roles ();
}

/* ---- the statement layer ------------------------------------------------- */

static void
test_placeholders_are_rewritten_outside_quotes (void)
{
  g_autofree char *plain = desk_db_rewrite_placeholders ("SELECT a FROM t WHERE b = ? AND c = ?");
  g_autofree char *numbered = desk_db_rewrite_placeholders ("UPDATE t SET a = ?2 WHERE id = ?1 AND b = ?2");
  g_autofree char *quoted = desk_db_rewrite_placeholders ("SELECT '?', \"a?\" FROM t WHERE x = ? AND y = '?" "?'");
  g_autofree char *cast = desk_db_rewrite_placeholders ("UPDATE t SET s = ?::tsvector WHERE id = ?");

  g_assert_cmpstr (plain, ==, "SELECT a FROM t WHERE b = $1 AND c = $2");
  g_assert_cmpstr (numbered, ==, "UPDATE t SET a = $2 WHERE id = $1 AND b = $2");
  g_assert_cmpstr (quoted, ==, "SELECT '?', \"a?\" FROM t WHERE x = $1 AND y = '?" "?'");
  g_assert_cmpstr (cast, ==, "UPDATE t SET s = $1::tsvector WHERE id = $2");
}

/* The same statements, the same answers, on both engines. */
static void
exercise_db (DeskDb *db)
{
  g_autoptr(GError) error = NULL;
  gint64 first = 0;
  gint64 second = 0;

  g_assert_true (desk_db_exec (db, desk_db_get_dialect (db) == DESK_DB_SQLITE
                                 ? "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT, n INTEGER, x REAL)"
                                 : "CREATE TABLE notes (id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
                                   " body text, n bigint, x double precision)", &error));
  g_assert_no_error (error);

  for (int i = 0; i < 2; i++)
    {
      g_autoptr(DeskDbStmt) stmt = desk_db_prepare (db, "INSERT INTO notes (body, n, x) VALUES (?, ?, ?) RETURNING id", &error);

      g_assert_no_error (error);
      if (i == 0)
        {
          desk_db_bind_text (stmt, 1, "héllo ‘world’ ?");
          desk_db_bind_int64 (stmt, 2, G_GINT64_CONSTANT (9007199254740993));
          desk_db_bind_double (stmt, 3, 0.25);
        }
      else
        {
          desk_db_bind_null (stmt, 1);
          desk_db_bind_int64 (stmt, 2, -7);
          desk_db_bind_null (stmt, 3);
        }
      g_assert_true (desk_db_step_done (stmt, i == 0 ? &first : &second, &error));
      g_assert_no_error (error);
    }
  g_assert_cmpint (first, >, 0);
  g_assert_cmpint (second, ==, first + 1);

  {
    g_autoptr(DeskDbStmt) stmt = desk_db_prepare (db, "SELECT id, body, n, x FROM notes WHERE id >= ?1 AND n <> ?2 ORDER BY id", &error);
    DeskDbStmt *again;

    g_assert_no_error (error);
    desk_db_bind_int64 (stmt, 1, first);
    desk_db_bind_int64 (stmt, 2, 0);
    g_assert_cmpint (desk_db_step (stmt, &error), ==, DESK_DB_ROW);
    g_assert_cmpint (desk_db_column_int64 (stmt, 0), ==, first);
    g_assert_cmpstr (desk_db_column_text (stmt, 1), ==, "héllo ‘world’ ?");
    g_assert_cmpint (desk_db_column_int64 (stmt, 2), ==, G_GINT64_CONSTANT (9007199254740993));
    g_assert_cmpfloat (desk_db_column_double (stmt, 3), ==, 0.25);

    /* The same text while the first is in use: a statement of its own. */
    again = desk_db_prepare (db, "SELECT id, body, n, x FROM notes WHERE id >= ?1 AND n <> ?2 ORDER BY id", &error);
    g_assert_no_error (error);
    g_assert_true (again != stmt);
    desk_db_bind_int64 (again, 1, second);
    desk_db_bind_int64 (again, 2, 0);
    g_assert_cmpint (desk_db_step (again, &error), ==, DESK_DB_ROW);
    g_assert_cmpint (desk_db_column_int64 (again, 2), ==, -7);
    desk_db_stmt_reset (again);

    g_assert_cmpint (desk_db_step (stmt, &error), ==, DESK_DB_ROW);
    g_assert_true (desk_db_column_is_null (stmt, 1));
    g_assert_null (desk_db_column_text (stmt, 1));
    g_assert_true (desk_db_column_is_null (stmt, 3));
    g_assert_cmpint (desk_db_step (stmt, &error), ==, DESK_DB_DONE);
    g_assert_no_error (error);
  }

  /* Cached: the same text gives the same statement back once reset. */
  {
    DeskDbStmt *a = desk_db_prepare (db, "SELECT count(*) FROM notes", &error);
    DeskDbStmt *b;

    desk_db_stmt_reset (a);
    b = desk_db_prepare (db, "SELECT count(*) FROM notes", &error);
    g_assert_true (a == b);
    g_assert_cmpint (desk_db_step (b, &error), ==, DESK_DB_ROW);
    g_assert_cmpint (desk_db_column_int64 (b, 0), ==, 2);
    desk_db_stmt_reset (b);
  }

  /* A rolled-back change leaves nothing; a write says what it changed. */
  g_assert_true (desk_db_begin (db, &error));
  {
    g_autoptr(DeskDbStmt) stmt = desk_db_prepare (db, "UPDATE notes SET n = n + 1 WHERE id IN (?, ?)", &error);

    desk_db_bind_int64 (stmt, 1, first);
    desk_db_bind_int64 (stmt, 2, second);
    g_assert_true (desk_db_step_done (stmt, NULL, &error));
    g_assert_cmpint (desk_db_stmt_changes (stmt), ==, 2);
  }
  desk_db_rollback (db);
  {
    g_autoptr(DeskDbStmt) stmt = desk_db_prepare (db, "SELECT n FROM notes WHERE id = ?", &error);

    desk_db_bind_int64 (stmt, 1, second);
    g_assert_cmpint (desk_db_step (stmt, &error), ==, DESK_DB_ROW);
    g_assert_cmpint (desk_db_column_int64 (stmt, 0), ==, -7);
  }

  /* A bad statement's error names the desk. */
  g_assert_null (desk_db_prepare (db, "SELECT nothing FROM nowhere", &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, desk_db_get_display_address (db)));
  g_assert_null (strstr (error->message, PASSWORD));
}

static void
test_statements_run_alike_on_both_engines (Fixture       *fixture,
                                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskDb) lite = NULL;
  g_autoptr(DeskDb) pg = NULL;
  g_autofree char *with_password = NULL;

  g_file_set_contents (fixture->sqlite_path, "", 0, &error);
  g_assert_no_error (error);
  lite = desk_db_open (fixture->sqlite_path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (desk_db_get_dialect (lite), ==, DESK_DB_SQLITE);
  exercise_db (lite);

  /* The server asks for no password here; one in the address must still
   * never be shown. */
  {
    const char *at = strchr (fixture->address, '@');

    with_password = g_strdup_printf ("%.*s:" PASSWORD "%s", (int) (at - fixture->address),
                                     fixture->address, at);
  }
  pg = desk_db_open (with_password, &error);
  g_assert_no_error (error);
  g_assert_cmpint (desk_db_get_dialect (pg), ==, DESK_DB_POSTGRESQL);
  g_assert_null (strstr (desk_db_get_display_address (pg), PASSWORD));
  g_assert_nonnull (strstr (desk_db_get_display_address (pg), fixture->database));
  exercise_db (pg);

  {
    g_autoptr(DeskDb) unreachable = desk_db_open ("postgresql://ana:" PASSWORD "@/nowhere?host=/nonexistent-folder&port=5432",
                                                  &error);

    g_assert_null (unreachable);
    g_assert_error (error, DESK_PG_ERROR, DESK_PG_ERROR_CONNECT);
    g_assert_nonnull (strstr (error->message, "nowhere"));
    g_assert_null (strstr (error->message, PASSWORD));
    g_clear_error (&error);
  }

  {
    g_autofree char *missing = g_build_filename (fixture->dir, "missing.db", NULL);
    g_autoptr(DeskDb) none = desk_db_open (missing, &error);

    g_assert_null (none);
    g_assert_error (error, DESK_ERROR, DESK_ERROR_NOT_FOUND);
    g_assert_nonnull (strstr (error->message, missing));
    g_assert_false (g_file_test (missing, G_FILE_TEST_EXISTS));
  }
}

/* ---- one scenario, two stores -------------------------------------------- */

static void
strip_times (JsonNode *node)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      g_autoptr(GList) members = json_object_get_members (object);

      for (GList *l = members; l != NULL; l = l->next)
        {
          if (g_str_equal (l->data, "created_at") || g_str_equal (l->data, "updated_at"))
            json_object_remove_member (object, l->data);
          else
            strip_times (json_object_get_member (object, l->data));
        }
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        strip_times (json_array_get_element (array, i));
    }
}

/* @json without the times of the moves, which are made one after the
 * other on the two desks. */
static char *
without_times (const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (json_parser_load_from_data (parser, json, -1, &error));
  g_assert_no_error (error);
  strip_times (json_parser_get_root (parser));
  return json_to_string (json_parser_get_root (parser), TRUE);
}

static int
compare_lines (const void *a,
               const void *b)
{
  return strcmp (*(char * const *) a, *(char * const *) b);
}

static char *
sorted_lines (const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  qsort (lines, g_strv_length (lines), sizeof (char *), compare_lines);
  return g_strjoinv ("\n", lines);
}

/* Runs one command on both desks: the same exit status, output and
 * error (JSON without the moves' times); with @as_set, the same lines in
 * any order. */
static void
assert_same_on_both_full (Fixture    *fixture,
                          const char *chief,
                          gboolean    as_set,
                          const char *a,
                          const char *b,
                          const char *c,
                          const char *d)
{
  g_autoptr(GPtrArray) on_sqlite = g_ptr_array_new ();
  g_autoptr(GPtrArray) on_pg = g_ptr_array_new ();
  const char *args[] = { a, b, c, d };
  gboolean json = FALSE;
  gboolean move = g_strcmp0 (a, "set-status") == 0;
  DeskTestRun lite = { 0 };
  DeskTestRun pg = { 0 };

  for (guint i = 0; i < G_N_ELEMENTS (args) && args[i] != NULL; i++)
    json |= g_str_equal (args[i], "--json");

  /* The same actor on both: on SQLite by --editor, on PostgreSQL by the
   * role that logs in. */
  if (move)
    lite = run_cli (a, "--database", fixture->sqlite_path, "--editor", "budi", b, c, d, NULL);
  else
    lite = run_cli (a, "--database", fixture->sqlite_path, b, c, d, NULL);
  pg = run_cli (a, "--database", chief, b, c, d, NULL);

  g_assert_cmpint (lite.status, ==, pg.status);
  if (json && lite.status == 0)
    {
      g_autofree char *x = without_times (lite.out);
      g_autofree char *y = without_times (pg.out);

      g_assert_cmpstr (x, ==, y);
    }
  else if (as_set)
    {
      g_autofree char *x = sorted_lines (lite.out);
      g_autofree char *y = sorted_lines (pg.out);

      g_assert_cmpstr (x, ==, y);
    }
  else
    g_assert_cmpstr (lite.out, ==, pg.out);
  /* The pre-publish check's refusal and its hint ("copydesk-cli clean
   * …", which runs on a team desk too) alike. */
  g_assert_cmpstr (lite.err, ==, pg.err);
  desk_test_run_clear (&lite);
  desk_test_run_clear (&pg);
}

#define assert_same_on_both(fixture, chief, a, b, c, d) assert_same_on_both_full (fixture, chief, FALSE, a, b, c, d)

static void
test_list_show_search_and_moves_alike_on_both_stores (Fixture       *fixture,
                                                      gconstpointer  data)
{
  g_autofree char *chief = desk_pg_harness_address (server, fixture->database, "budi");

  make_both_desks (fixture);

  assert_same_on_both (fixture, chief, "list", NULL, NULL, NULL);
  assert_same_on_both (fixture, chief, "list", "--json", NULL, NULL);
  assert_same_on_both (fixture, chief, "list", "--limit", "2", NULL);
  assert_same_on_both (fixture, chief, "list", "--sponsored", NULL, NULL);
  assert_same_on_both (fixture, chief, "list", "--search", "harbour", NULL);
  assert_same_on_both (fixture, chief, "list", "--search", "Moskow", "--json");
  /* Several matches of equal weight: PostgreSQL's ts_rank and FTS5's
   * desk_rank do not order them alike yet (desk-pg-search.c). */
  assert_same_on_both_full (fixture, chief, TRUE, "list", "--search", "said", NULL);
  assert_same_on_both (fixture, chief, "list", "--search", "nowhere-to-be-found", NULL);
  for (int id = 1; id <= 6; id++)
    {
      char number[8];

      g_snprintf (number, sizeof number, "%d", id);
      assert_same_on_both (fixture, chief, "show", number, "--json", NULL);
      assert_same_on_both (fixture, chief, "show", number, NULL, NULL);
    }
  assert_same_on_both (fixture, chief, "show", "99", NULL, NULL);

  /* The moves: review, approve, request changes, reject, and those the
   * workflow or the pre-publish check refuse. */
  assert_same_on_both (fixture, chief, "set-status", "1", "in_review", NULL);
  assert_same_on_both (fixture, chief, "set-status", "1", "approved", NULL);
  assert_same_on_both (fixture, chief, "set-status", "2", "in_review", NULL);
  assert_same_on_both (fixture, chief, "set-status", "2", "changes_requested", NULL);
  assert_same_on_both (fixture, chief, "set-status", "3", "rejected", NULL);
  assert_same_on_both (fixture, chief, "set-status", "3", "published", NULL);
  assert_same_on_both (fixture, chief, "set-status", "6", "in_review", NULL);
  assert_same_on_both (fixture, chief, "set-status", "6", "approved", NULL);
  assert_same_on_both (fixture, chief, "set-status", "6", "approved", "--override=Desk policy allows it");
  /* Approving one copy of a story sets the other aside. */
  assert_same_on_both (fixture, chief, "set-status", "4", "in_review", NULL);
  assert_same_on_both (fixture, chief, "set-status", "4", "approved", NULL);

  assert_same_on_both (fixture, chief, "list", NULL, NULL, NULL);
  assert_same_on_both (fixture, chief, "list", "--status", "approved", NULL);
  assert_same_on_both (fixture, chief, "list", "--status", "in_review", "--json");
  assert_same_on_both (fixture, chief, "list", "--search", "library", "--json");
  for (int id = 1; id <= 6; id++)
    {
      char number[8];

      g_snprintf (number, sizeof number, "%d", id);
      assert_same_on_both (fixture, chief, "show", number, "--json", NULL);
    }
  {
    g_autofree char *set_aside = NULL;
    g_autoptr(DeskPg) pg = connect_sync (chief);

    set_aside = query_value (pg, "SELECT status || ' ' || (SELECT string_agg (action || ' ' || actor, ',') FROM events"
                                 " WHERE release_id = r.id AND to_status = 'rejected') FROM releases r WHERE id = 5");
    g_assert_cmpstr (set_aside, ==, "rejected set-aside budi");
  }
}

/* ---- several editors ------------------------------------------------------ */

static gboolean
count_waiting (DeskPg *pg,
               guint   n)
{
  g_autofree char *waiting = query_value (pg,
    "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'UPDATE releases SET status%'");

  return g_ascii_strtoull (waiting, NULL, 10) >= n;
}

static void
test_two_clis_moving_one_release_exactly_one_wins (Fixture       *fixture,
                                                   gconstpointer  data)
{
  g_autofree char *chief = desk_pg_harness_address (server, fixture->database, "budi");
  g_autofree char *other_chief = desk_pg_harness_address (server, fixture->database, "citra");
  g_autoptr(DeskPg) holder = NULL;
  g_autoptr(DeskPg) admin = NULL;
  g_autoptr(GSubprocess) first = NULL;
  g_autoptr(GSubprocess) second = NULL;
  g_autoptr(GError) error = NULL;
  DeskTestRun a = { 0 };
  DeskTestRun b = { 0 };

  make_both_desks (fixture);
  {
    g_auto(DeskTestRun) review = run_cli ("set-status", "--database", chief, "1", "in_review", NULL);

    g_assert_cmpint (review.status, ==, 0);
  }

  /* Another editor holds the release's row: both CLIs read it in
   * review, and both wait at their update until the holder lets go. */
  holder = desk_pg_new (fixture->address);
  g_assert_true (desk_pg_connect (holder, &error));
  g_assert_true (desk_pg_exec (holder, "BEGIN; SELECT id FROM releases WHERE id = 1 FOR UPDATE", &error));
  g_assert_no_error (error);
  admin = desk_pg_new (fixture->address);
  g_assert_true (desk_pg_connect (admin, &error));

  first = start_cli ("set-status", "--database", chief, "1", "approved", NULL);
  second = start_cli ("set-status", "--database", other_chief, "1", "changes_requested", NULL);
  while (!count_waiting (admin, 2))
    g_usleep (20 * 1000);
  g_assert_true (desk_pg_exec (holder, "COMMIT", &error));

  a = finish_cli (first);
  b = finish_cli (second);
  g_assert_cmpint ((a.status == 0) + (b.status == 0), ==, 1);
  {
    DeskTestRun *loser = a.status == 0 ? &b : &a;
    g_autofree char *moves = query_value (admin,
      "SELECT count(*) FROM events WHERE release_id = 1 AND action = 'status' AND from_status = 'in_review'");
    g_autofree char *status = query_value (admin, "SELECT status FROM releases WHERE id = 1");

    g_assert_cmpint (loser->status, ==, 1);
    g_assert_nonnull (strstr (loser->err, "#1"));
    /* Told who moved it first, and to what. */
    g_assert_nonnull (strstr (loser->err, a.status == 0 ? "from in_review to approved by budi first"
                                                        : "from in_review to changes_requested by citra first"));
    g_assert_cmpstr (moves, ==, "1");
    g_assert_cmpstr (status, ==, a.status == 0 ? "approved" : "changes_requested");
  }
  desk_test_run_clear (&a);
  desk_test_run_clear (&b);
}

static gboolean
has_backends_of (DeskPg     *pg,
                 const char *role)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM pg_stat_activity WHERE usename = '%s'", role);
  g_autofree char *count = query_value (pg, sql);

  return !g_str_equal (count, "0");
}

/* A CLI killed in the middle of its move (its update sent, the row not
 * yet its own) leaves the release as it was, and no lock behind. */
static void
test_a_cli_killed_while_it_moves_writes_nothing (Fixture       *fixture,
                                                 gconstpointer  data)
{
  g_autofree char *chief = desk_pg_harness_address (server, fixture->database, "budi");
  g_autoptr(DeskPg) holder = NULL;
  g_autoptr(DeskPg) admin = NULL;
  g_autoptr(GSubprocess) mover = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  make_both_desks (fixture);
  admin = connect_sync (fixture->address);
  before = query_value (admin, "SELECT status || ' ' || updated_at || ' ' || (SELECT count(*) FROM events WHERE release_id = 1)"
                               " FROM releases WHERE id = 1");

  holder = connect_sync (fixture->address);
  g_assert_true (desk_pg_exec (holder, "BEGIN; SELECT id FROM releases WHERE id = 1 FOR UPDATE", &error));
  g_assert_no_error (error);
  mover = start_cli ("set-status", "--database", chief, "1", "in_review", NULL);
  while (!count_waiting (admin, 1))
    g_usleep (20 * 1000);
  g_subprocess_force_exit (mover);
  g_assert_true (g_subprocess_wait (mover, NULL, &error));
  g_assert_true (g_subprocess_get_if_signaled (mover));
  g_assert_true (desk_pg_exec (holder, "COMMIT", &error));

  /* The server ends the killed CLI's session, and its transaction with it. */
  while (has_backends_of (admin, "budi"))
    g_usleep (20 * 1000);
  after = query_value (admin, "SELECT status || ' ' || updated_at || ' ' || (SELECT count(*) FROM events WHERE release_id = 1)"
                              " FROM releases WHERE id = 1");
  g_assert_cmpstr (after, ==, before);

  {
    g_auto(DeskTestRun) again = run_cli ("set-status", "--database", chief, "1", "in_review", NULL);

    g_assert_cmpint (again.status, ==, 0);
    g_assert_cmpstr (again.out, ==, "#1: new → in_review\n");
  }
}

static void
test_an_editors_cli_cannot_approve (Fixture       *fixture,
                                    gconstpointer  data)
{
  g_autofree char *editor = desk_pg_harness_address (server, fixture->database, "ana");
  g_autoptr(DeskPg) admin = NULL;

  make_both_desks (fixture);
  admin = connect_sync (fixture->address);

  {
    g_auto(DeskTestRun) review = run_cli ("set-status", "--database", editor, "1", "in_review", NULL);
    g_auto(DeskTestRun) approve = run_cli ("set-status", "--database", editor, "1", "approved", NULL);
    g_auto(DeskTestRun) named = run_cli ("set-status", "--database", editor, "--editor", "budi", "2", "in_review", NULL);
    g_autofree char *status = query_value (admin, "SELECT status || ' ' || coalesce (approved_sha256, '-') FROM releases WHERE id = 1");
    g_autofree char *actor = query_value (admin, "SELECT string_agg (actor, ',') FROM events WHERE release_id = 1 AND action = 'status'");

    g_assert_cmpint (review.status, ==, 0);
    g_assert_cmpstr (review.out, ==, "#1: new → in_review\n");
    g_assert_cmpint (approve.status, ==, 1);
    g_assert_cmpstr (approve.out, ==, "");
    g_assert_nonnull (strstr (approve.err, "Release #1 was not moved to approved"));
    g_assert_nonnull (strstr (approve.err, "only a chief editor (role copydesk_chief)"));
    g_assert_nonnull (strstr (approve.err, "ana may not do that"));
    g_assert_cmpstr (status, ==, "in_review -");
    /* The actor is who logged in. */
    g_assert_cmpstr (actor, ==, "ana");
    g_assert_cmpint (named.status, ==, 2);
    g_assert_nonnull (strstr (named.err, "--editor is not taken"));
  }

  /* The role is said before any check runs: the seed's wire furniture
   * (the pre-publish check) and a move the workflow refuses (new to
   * approved) are not what an editor who may not approve is told. */
  {
    g_auto(DeskTestRun) review = run_cli ("set-status", "--database", editor, "6", "in_review", NULL);
    g_auto(DeskTestRun) approve = run_cli ("set-status", "--database", editor, "6", "approved", NULL);
    g_auto(DeskTestRun) from_new = run_cli ("set-status", "--database", editor, "3", "approved", NULL);
    g_auto(DeskTestRun) publish = run_cli ("set-status", "--database", editor, "3", "published", NULL);

    g_assert_cmpint (review.status, ==, 0);
    g_assert_cmpint (approve.status, ==, 1);
    g_assert_nonnull (strstr (approve.err, "Release #6 was not moved to approved: ana may not do that; "
                                           "only a chief editor (role copydesk_chief) may approve"));
    g_assert_null (strstr (approve.err, "--override"));
    g_assert_null (strstr (approve.err, "furniture"));
    g_assert_cmpint (from_new.status, ==, 1);
    g_assert_nonnull (strstr (from_new.err, "ana may not do that"));
    g_assert_null (strstr (from_new.err, "cannot"));
    g_assert_cmpint (publish.status, ==, 1);
    g_assert_nonnull (strstr (publish.err, "Release #3 was not moved to published: ana may not do that"));
  }
}

/* The loser of two editors moving one release at once may read it only
 * after the winner's commit: it is told that someone moved it first, to
 * what and by whom, not that the workflow refuses a move from a status
 * it never saw.  Here the loser comes after the winner, which is that
 * race's outcome without its timing. */
static void
test_a_move_after_another_editors_names_who_moved_it_first (Fixture       *fixture,
                                                            gconstpointer  data)
{
  g_autofree char *budi = desk_pg_harness_address (server, fixture->database, "budi");
  g_autofree char *citra = desk_pg_harness_address (server, fixture->database, "citra");

  make_both_desks (fixture);
  {
    g_auto(DeskTestRun) review = run_cli ("set-status", "--database", budi, "1", "in_review", NULL);
    g_auto(DeskTestRun) approve = run_cli ("set-status", "--database", budi, "1", "approved", NULL);

    g_assert_cmpint (review.status, ==, 0);
    g_assert_cmpint (approve.status, ==, 0);
  }
  {
    g_auto(DeskTestRun) again = run_cli ("set-status", "--database", citra, "1", "approved", NULL);
    g_auto(DeskTestRun) changes = run_cli ("set-status", "--database", citra, "1", "changes_requested", NULL);
    g_auto(DeskTestRun) own = run_cli ("set-status", "--database", budi, "1", "approved", NULL);
    g_autoptr(DeskPg) admin = connect_sync (fixture->address);
    g_autofree char *moves = query_value (admin, "SELECT count(*) FROM events WHERE release_id = 1 AND action = 'status'");

    g_assert_cmpint (again.status, ==, 1);
    g_assert_nonnull (strstr (again.err, "Release #1 is already approved: budi moved it there first"));
    g_assert_null (strstr (again.err, "from approved to approved"));
    g_assert_cmpint (changes.status, ==, 1);
    g_assert_nonnull (strstr (changes.err, "Release #1 was moved to approved by budi first"));
    g_assert_nonnull (strstr (changes.err, "it was not moved"));
    g_assert_cmpint (own.status, ==, 1);
    g_assert_nonnull (strstr (own.err, "Release #1 is already approved: budi moved it there first"));
    g_assert_cmpstr (moves, ==, "2");
  }
}

/* Copying a whole desk into a team desk is its owner's: an editor or a
 * chief is told in words what the role may not do, and no table of the
 * server's is named. */
static void
test_a_desk_copy_by_an_editor_says_what_the_role_may_not_do (Fixture       *fixture,
                                                             gconstpointer  data)
{
  g_autofree char *editor = desk_pg_harness_address (server, fixture->database, "ana");
  g_autofree char *chief = desk_pg_harness_address (server, fixture->database, "budi");
  g_autoptr(DeskPg) admin = NULL;

  make_both_desks (fixture);
  admin = connect_sync (fixture->address);
  {
    g_auto(DeskTestRun) forced = run_cli ("desk", "copy", fixture->sqlite_path, editor, "--force", NULL);
    g_auto(DeskTestRun) by_chief = run_cli ("desk", "copy", fixture->sqlite_path, chief, "--force", NULL);
    g_autofree char *releases = query_value (admin, "SELECT count(*) FROM releases");

    g_assert_cmpint (forced.status, ==, 1);
    g_assert_nonnull (strstr (forced.err, "ana (an editor) may not replace the whole desk at"));
    g_assert_nonnull (strstr (forced.err, "only the role that prepared the desk"));
    g_assert_nonnull (strstr (forced.err, "nothing was copied"));
    g_assert_cmpint (by_chief.status, ==, 1);
    g_assert_nonnull (strstr (by_chief.err, "budi (a chief editor) may not replace the whole desk"));
    for (guint i = 0; i < 2; i++)
      {
        const char *err = i == 0 ? forced.err : by_chief.err;

        g_assert_null (strstr (err, "store_info"));
        g_assert_null (strstr (err, "permission denied"));
        g_assert_null (strstr (err, "TRUNCATE"));
      }
    g_assert_cmpstr (releases, ==, "6");
  }
  {
    g_autofree char *empty_database = g_strdup_printf ("%s_empty", fixture->database);
    g_autofree char *empty = desk_pg_harness_create_database (server, empty_database);
    g_autofree char *empty_as_editor = desk_pg_harness_address (server, empty_database, "ana");
    g_auto(DeskTestRun) init = run_cli ("desk", "init", empty, NULL);
    g_auto(DeskTestRun) copy = run_cli ("desk", "copy", fixture->sqlite_path, empty_as_editor, NULL);

    g_assert_cmpint (init.status, ==, 0);
    g_assert_cmpint (copy.status, ==, 1);
    g_assert_nonnull (strstr (copy.err, "ana (an editor) may not copy a whole desk into"));
    g_assert_null (strstr (copy.err, "store_info"));
  }
}

/* ---- editing ------------------------------------------------------------------ */

static char *
write_copy (Fixture    *fixture,
            const char *name,
            const char *text)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (fixture->dir, name, NULL);

  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
  return path;
}

static char *
sqlite_edited (Fixture *fixture,
               gint64   id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskStore) store = desk_store_open (fixture->sqlite_path, &error);
  g_autoptr(DeskRelease) release = NULL;

  g_assert_no_error (error);
  release = desk_store_get_release (store, id, &error);
  g_assert_no_error (error);
  return g_strdup (desk_release_get_current_text (release));
}

/* edit, clean and decide on a team desk say and store what they do on
 * the SQLite desk it was copied from; the author and the actor are the
 * login role, and the search finds the edited words. */
static void
test_edit_clean_and_decide_alike_on_both_stores (Fixture       *fixture,
                                                 gconstpointer  data)
{
  g_autofree char *editor = desk_pg_harness_address (server, fixture->database, "ana");
  g_autofree char *copy = NULL;
  g_autoptr(DeskPg) admin = NULL;

  make_both_desks (fixture);
  admin = connect_sync (fixture->address);
  copy = write_copy (fixture, "bridge.txt",
                     "Harbour bridge reopens after repairs\n\nThe harbour bridge reopened on Monday after six weeks "
                     "of repairs by Zanzibarco, the city said.\n");
  {
    g_auto(DeskTestRun) on_sqlite = run_cli ("edit", "--database", fixture->sqlite_path, "--editor", "ana",
                                             "1", "--from-file", copy, NULL);
    g_auto(DeskTestRun) on_pg = run_cli ("edit", "--database", editor, "1", "--from-file", copy, NULL);
    g_auto(DeskTestRun) again = run_cli ("edit", "--database", editor, "1", "--from-file", copy, NULL);
    g_auto(DeskTestRun) found = run_cli ("list", "--database", editor, "--search", "Zanzibarco", NULL);
    g_auto(DeskTestRun) named = run_cli ("edit", "--database", editor, "--editor", "budi", "1", "--from-file", copy, NULL);
    g_autofree char *author = query_value (admin, "SELECT author || ' ' || number FROM revisions WHERE release_id = 1");
    g_autofree char *edited = query_value (admin, "SELECT edited FROM releases WHERE id = 1");
    g_autofree char *on_sqlite_text = sqlite_edited (fixture, 1);

    g_assert_cmpint (on_pg.status, ==, 0);
    g_assert_cmpstr (on_pg.out, ==, on_sqlite.out);
    g_assert_cmpstr (on_pg.out, ==, "#1: saved revision 1\n#1: status new\n");
    g_assert_cmpstr (again.out, ==, "#1: no change, no new revision\n");
    g_assert_cmpstr (author, ==, "ana 1");
    g_assert_cmpstr (edited, ==, on_sqlite_text);
    g_assert_cmpint (found.status, ==, 0);
    g_assert_nonnull (strstr (found.out, "Harbour bridge reopens"));
    g_assert_cmpint (named.status, ==, 2);
  }

  /* The seed's wire furniture, cleaned up by the same code on both. */
  {
    g_auto(DeskTestRun) on_sqlite = run_cli ("clean", "--database", fixture->sqlite_path, "--editor", "ana", "6", NULL);
    g_auto(DeskTestRun) on_pg = run_cli ("clean", "--database", editor, "6", NULL);
    g_auto(DeskTestRun) again = run_cli ("clean", "--database", editor, "6", NULL);
    g_autofree char *edited = query_value (admin, "SELECT edited FROM releases WHERE id = 6");
    g_autofree char *event = query_value (admin, "SELECT actor || ' ' || note FROM events"
                                                 " WHERE release_id = 6 AND action = 'cleaned-up'");
    g_autofree char *on_sqlite_text = sqlite_edited (fixture, 6);

    g_assert_cmpint (on_pg.status, ==, 0);
    g_assert_cmpstr (on_pg.out, ==, on_sqlite.out);
    g_assert_true (g_str_has_prefix (on_pg.out, "#6: cleaned up, saved revision 1"));
    g_assert_cmpstr (again.out, ==, "#6: nothing to clean up, no new revision\n");
    g_assert_cmpstr (edited, ==, on_sqlite_text);
    g_assert_true (g_str_has_prefix (event, "ana removed "));
  }

  /* The editor's verdict, with its reason, as an event by the role. */
  {
    g_auto(DeskTestRun) on_sqlite = run_cli ("decide", "--database", fixture->sqlite_path, "--editor", "ana",
                                             "2", "sponsored", "--reason", "paid by the ministry", NULL);
    g_auto(DeskTestRun) on_pg = run_cli ("decide", "--database", editor, "2", "sponsored",
                                         "--reason", "paid by the ministry", NULL);
    g_autofree char *decided = query_value (admin, "SELECT decision || ' ' || decided_by || ' ' || sponsored"
                                                   " FROM releases WHERE id = 2");
    g_autofree char *event = query_value (admin, "SELECT actor || ' ' || note FROM events"
                                                 " WHERE release_id = 2 AND action = 'marked-sponsored'");
    g_auto(DeskTestRun) back = run_cli ("decide", "--database", editor, "2", "detector", NULL);
    g_autofree char *cleared = query_value (admin, "SELECT coalesce (decision, '-') || ' ' || sponsored"
                                                   " FROM releases WHERE id = 2");

    g_assert_cmpint (on_pg.status, ==, 0);
    g_assert_cmpstr (on_pg.out, ==, on_sqlite.out);
    g_assert_cmpstr (decided, ==, "sponsored ana 1");
    g_assert_cmpstr (event, ==, "ana paid by the ministry");
    g_assert_cmpint (back.status, ==, 0);
    g_assert_cmpstr (cleared, ==, "- 0");
  }
}

/* Approved copy an editor edits goes back to review without its
 * approval; published copy takes a chief to correct, and an editor is
 * told so, with nothing saved. */
static void
test_editing_approved_and_published_copy_keeps_the_roles (Fixture       *fixture,
                                                          gconstpointer  data)
{
  g_autofree char *editor = desk_pg_harness_address (server, fixture->database, "ana");
  g_autofree char *chief = desk_pg_harness_address (server, fixture->database, "budi");
  g_autofree char *copy = NULL;
  g_autoptr(DeskPg) admin = NULL;

  make_both_desks (fixture);
  admin = connect_sync (fixture->address);
  copy = write_copy (fixture, "school.txt",
                     "School meals programme widened\n\nThe school meals programme will reach forty-two more "
                     "schools next term, the ministry said.\n");
  {
    g_auto(DeskTestRun) review = run_cli ("set-status", "--database", chief, "2", "in_review", NULL);
    g_auto(DeskTestRun) approve = run_cli ("set-status", "--database", chief, "2", "approved", NULL);
    g_auto(DeskTestRun) edit = run_cli ("edit", "--database", editor, "2", "--from-file", copy, NULL);
    g_autofree char *state = query_value (admin, "SELECT status || ' ' || (approved_sha256 IS NULL)"
                                                 " FROM releases WHERE id = 2");
    g_autofree char *event = query_value (admin, "SELECT actor || ' ' || from_status || ' ' || to_status"
                                                 " FROM events WHERE release_id = 2 AND action = 'edited'");

    g_assert_cmpint (approve.status, ==, 0);
    g_assert_cmpint (edit.status, ==, 0);
    g_assert_cmpstr (edit.out, ==, "#2: saved revision 2\n#2: status in_review\n");
    g_assert_cmpstr (state, ==, "in_review true");
    g_assert_cmpstr (event, ==, "ana approved in_review");
  }

  desk_pg_harness_sql (server, fixture->database, "UPDATE releases SET status = 'published' WHERE id = 3");
  {
    g_auto(DeskTestRun) by_editor = run_cli ("edit", "--database", editor, "3", "--headline", "Library opens longer", NULL);
    g_autofree char *revisions = query_value (admin, "SELECT count(*) FROM revisions WHERE release_id = 3");
    g_auto(DeskTestRun) by_chief = run_cli ("edit", "--database", chief, "3", "--headline", "Library opens longer", NULL);
    g_autofree char *status = query_value (admin, "SELECT status || ' ' || headline FROM releases WHERE id = 3");

    g_assert_cmpint (by_editor.status, ==, 1);
    g_assert_nonnull (strstr (by_editor.err, "Release #3 is published, and editing it starts a correction: ana may not do that"));
    g_assert_nonnull (strstr (by_editor.err, "Nothing was saved"));
    g_assert_cmpstr (revisions, ==, "0");
    g_assert_cmpint (by_chief.status, ==, 0);
    g_assert_cmpstr (by_chief.out, ==, "#3: saved revision 1\n");
    g_assert_cmpstr (status, ==, "corrected Library opens longer");
  }

  /* Hand-written SQL is no way around it: the server's guard refuses an
   * editor's correction. */
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *editor_address = desk_pg_harness_address (server, fixture->database, "ana");
    g_autoptr(DeskPg) pg = connect_sync (editor_address);

    desk_pg_harness_sql (server, fixture->database, "UPDATE releases SET status = 'published' WHERE id = 3");
    g_assert_false (desk_pg_exec (pg, "UPDATE releases SET status = 'corrected', edited = 'x' WHERE id = 3", &error));
    g_assert_error (error, DESK_PG_ERROR, DESK_PG_ERROR_PERMISSION);
  }
}

static gboolean
count_waiting_saves (DeskPg *pg,
                     guint   n)
{
  g_autofree char *waiting = query_value (pg,
    "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND (query LIKE 'SELECT status, headline%FOR UPDATE'"
    " OR query LIKE '%copydesk_lock_take%')");

  return g_ascii_strtoull (waiting, NULL, 10) >= n;
}

/* Two editors save their copies of one revision at once: exactly one is
 * saved, and the other is told who saved which revision, and when,
 * with nothing of either lost. */
static void
test_two_editors_saving_from_one_revision_exactly_one_wins (Fixture       *fixture,
                                                            gconstpointer  data)
{
  g_autofree char *editor = desk_pg_harness_address (server, fixture->database, "ana");
  g_autofree char *other = desk_pg_harness_address (server, fixture->database, "citra");
  g_autofree char *copy_a = NULL;
  g_autofree char *copy_b = NULL;
  g_autoptr(DeskPg) holder = NULL;
  g_autoptr(DeskPg) admin = NULL;
  g_autoptr(GSubprocess) first = NULL;
  g_autoptr(GSubprocess) second = NULL;
  g_autoptr(GError) error = NULL;
  DeskTestRun a = { 0 };
  DeskTestRun b = { 0 };

  make_both_desks (fixture);
  copy_a = write_copy (fixture, "a.txt", "Harbour bridge reopens\n\nThe bridge reopened on Monday, said ana's copy.\n");
  copy_b = write_copy (fixture, "b.txt", "Harbour bridge open again\n\nThe bridge is open again, said citra's copy.\n");
  admin = connect_sync (fixture->address);

  /* Another connection holds the release's row: both editors have read
   * revision 0 and wait, to take the release's lock or to save, until
   * it lets go.  Then one takes the lock and saves, and the other is
   * told that the first is editing the release. */
  holder = connect_sync (fixture->address);
  g_assert_true (desk_pg_exec (holder, "BEGIN; SELECT id FROM releases WHERE id = 1 FOR UPDATE", &error));
  g_assert_no_error (error);
  first = start_cli ("edit", "--database", editor, "1", "--revision", "0", "--from-file", copy_a, NULL);
  second = start_cli ("edit", "--database", other, "1", "--revision", "0", "--from-file", copy_b, NULL);
  while (!count_waiting_saves (admin, 2))
    g_usleep (20 * 1000);
  g_assert_true (desk_pg_exec (holder, "COMMIT", &error));

  a = finish_cli (first);
  b = finish_cli (second);
  g_assert_cmpint ((a.status == 0) + (b.status == 0), ==, 1);
  {
    DeskTestRun *loser = a.status == 0 ? &b : &a;
    const char *winner = a.status == 0 ? "ana" : "citra";
    g_autofree char *told = g_strdup_printf ("%s is editing release #1 since ", winner);
    g_autofree char *revisions = query_value (admin, "SELECT count(*) || ' ' || max (author) FROM revisions WHERE release_id = 1");
    g_autofree char *expected = g_strdup_printf ("1 %s", winner);
    g_autofree char *edited = query_value (admin, "SELECT edited FROM releases WHERE id = 1");
    g_autofree char *winners_copy = NULL;

    g_assert_true (g_file_get_contents (a.status == 0 ? copy_a : copy_b, &winners_copy, NULL, NULL));
    g_assert_cmpint (loser->status, ==, 1);
    g_assert_nonnull (strstr (loser->err, told));
    g_assert_cmpstr (revisions, ==, expected);
    g_assert_cmpstr (edited, ==, winners_copy);
  }

  /* Later, the same: a copy of revision 0 is refused, one of revision 1
   * saved; a revision that is not there yet is named. */
  {
    g_auto(DeskTestRun) stale = run_cli ("edit", "--database", editor, "1", "--revision", "0", "--from-file", copy_b, NULL);
    g_auto(DeskTestRun) ahead = run_cli ("edit", "--database", editor, "1", "--revision", "5", "--from-file", copy_b, NULL);
    g_auto(DeskTestRun) fresh = run_cli ("edit", "--database", editor, "1", "--revision", "1", "--headline", "Bridge open", NULL);

    g_assert_cmpint (stale.status, ==, 1);
    g_assert_nonnull (strstr (stale.err, "was saved as revision 1 by"));
    g_assert_cmpint (ahead.status, ==, 1);
    g_assert_nonnull (strstr (ahead.err, "Release #1 has no revision 5 (its latest is 1)"));
    g_assert_cmpint (fresh.status, ==, 0);
    g_assert_cmpstr (fresh.out, ==, "#1: saved revision 2\n");
  }
  desk_test_run_clear (&a);
  desk_test_run_clear (&b);
}

/* ---- export ------------------------------------------------------------------- */

static void
assert_same_files (const char *expected_dir,
                   const char *dir,
                   guint       n)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) expected = g_dir_open (expected_dir, 0, &error);
  const char *name;
  guint files = 0;

  g_assert_no_error (error);
  while ((name = g_dir_read_name (expected)) != NULL)
    {
      g_autofree char *a_path = g_build_filename (expected_dir, name, NULL);
      g_autofree char *b_path = g_build_filename (dir, name, NULL);
      g_autofree char *a = NULL;
      g_autofree char *b = NULL;

      g_assert_true (g_file_get_contents (a_path, &a, NULL, NULL));
      g_assert_true (g_file_get_contents (b_path, &b, NULL, NULL));
      g_assert_cmpstr (b, ==, a);
      files++;
    }
  g_assert_cmpuint (files, ==, n);
}

/* export on a team desk writes the files the SQLite desk it was copied
 * from writes, in every format, the sponsored copy with its label; copy
 * approved on the team desk itself is written as approved, and copy
 * not approved is refused in words. */
static void
test_export_writes_the_files_sqlite_writes (Fixture       *fixture,
                                            gconstpointer  data)
{
  static const char * const formats[] = { "txt", "md", "html", "ninjs" };
  g_autofree char *editor = desk_pg_harness_address (server, fixture->database, "ana");
  g_autofree char *chief = desk_pg_harness_address (server, fixture->database, "budi");

  make_both_desks (fixture);
  {
    const char * const moves[][3] = {
      { "1", "in_review", NULL }, { "1", "approved", NULL },
      { "6", "in_review", NULL }, { "6", "approved", "labelled as sponsored" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (moves); i++)
      {
        g_auto(DeskTestRun) move = moves[i][2] != NULL
          ? run_cli ("set-status", "--database", fixture->sqlite_path, "--editor", "budi", moves[i][0], moves[i][1],
                     "--override", moves[i][2], NULL)
          : run_cli ("set-status", "--database", fixture->sqlite_path, "--editor", "budi", moves[i][0], moves[i][1], NULL);

        g_assert_cmpint (move.status, ==, 0);
      }
  }
  {
    g_auto(DeskTestRun) copy = run_cli ("desk", "copy", "--force", fixture->sqlite_path, fixture->address, NULL);

    g_assert_cmpint (copy.status, ==, 0);
  }

  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_autofree char *from_sqlite = g_build_filename (fixture->dir, "sqlite", formats[i], NULL);
      g_autofree char *from_pg = g_build_filename (fixture->dir, "pg", formats[i], NULL);
      g_auto(DeskTestRun) on_sqlite = run_cli ("export", "--database", fixture->sqlite_path, "--status", "approved",
                                               "--format", formats[i], "--to", from_sqlite, NULL);
      g_auto(DeskTestRun) on_pg = run_cli ("export", "--database", editor, "--status", "approved",
                                           "--format", formats[i], "--to", from_pg, NULL);

      g_assert_cmpint (on_sqlite.status, ==, 0);
      g_assert_cmpint (on_pg.status, ==, 0);
      assert_same_files (from_sqlite, from_pg, 2);
      if (g_str_equal (formats[i], "txt"))
        {
          g_autoptr(GDir) dir = g_dir_open (from_pg, 0, NULL);
          const char *name;
          gboolean labelled = FALSE;

          while ((name = g_dir_read_name (dir)) != NULL)
            {
              g_autofree char *path = g_build_filename (from_pg, name, NULL);
              g_autofree char *text = NULL;

              g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
              labelled = labelled || strstr (text, "Sponsored") != NULL || strstr (text, "Advertorial") != NULL
                         || strstr (text, "Konten") != NULL;
            }
          g_assert_true (labelled);
        }
    }

  /* Approved on the team desk, by its chief; exported by an editor. */
  {
    g_autofree char *folder = g_build_filename (fixture->dir, "pg-approved", NULL);
    g_auto(DeskTestRun) review = run_cli ("set-status", "--database", chief, "2", "in_review", NULL);
    g_auto(DeskTestRun) approve = run_cli ("set-status", "--database", chief, "2", "approved", NULL);
    g_auto(DeskTestRun) export = run_cli ("export", "--database", editor, "2", "--to", folder, NULL);
    g_auto(DeskTestRun) not_approved = run_cli ("export", "--database", editor, "3", "--to", folder, NULL);
    g_autofree char *text = NULL;

    g_assert_cmpint (approve.status, ==, 0);
    g_assert_cmpint (export.status, ==, 0);
    g_assert_true (g_str_has_prefix (export.out, "#2: "));
    g_assert_true (g_str_has_suffix (export.out, "-school-meals-programme-widened.txt\n"));
    {
      g_autofree char *path = g_strndup (export.out + 4, strlen (export.out) - 5);

      g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
    }
    g_assert_nonnull (strstr (text, "forty more schools next term"));
    g_assert_cmpint (not_approved.status, ==, 1);
    g_assert_nonnull (strstr (not_approved.err, "#3: "));
  }
}

/* ---- what does not run there yet -------------------------------------------- */

static void
test_other_commands_say_they_do_not_run_on_a_team_desk (Fixture       *fixture,
                                                        gconstpointer  data)
{
  g_autofree char *chief = desk_pg_harness_address (server, fixture->database, "budi");
  g_autofree char *with_password = NULL;
  g_autofree char *file = g_build_filename (fixture->dir, "release.txt", NULL);
  g_autoptr(GError) error = NULL;

  make_both_desks (fixture);
  {
    const char *at = strchr (chief, '@');

    with_password = g_strdup_printf ("%.*s:" PASSWORD "%s", (int) (at - chief), chief, at);
  }
  g_file_set_contents (file, "Headline\n\nBody of the release.\n", -1, &error);
  g_assert_no_error (error);

  {
    g_auto(DeskTestRun) export = run_cli ("mailbox", "list", "--database", with_password, NULL);
    g_auto(DeskTestRun) backup = run_cli ("backup", "--database", with_password, file, NULL);
    g_auto(DeskTestRun) target = run_cli ("feed", "list", "--database", with_password, NULL);
    const char * const env[] = { "COPYDESK_DB", with_password, NULL };
    g_auto(DeskTestRun) by_env = run_cli_env (env, "list", "--status", "new", NULL);
    g_auto(DeskTestRun) check = run_cli_env (env, "check", NULL);

    g_assert_cmpint (export.status, ==, 1);
    g_assert_nonnull (strstr (export.err, "“mailbox” does not run on a team desk (PostgreSQL) yet"));
    g_assert_cmpint (backup.status, ==, 1);
    g_assert_nonnull (strstr (backup.err, "“backup” does not run on a team desk"));
    g_assert_cmpint (target.status, ==, 1);
    g_assert_nonnull (strstr (target.err, "“feed” does not run on a team desk"));
    g_assert_cmpint (check.status, ==, 1);
    g_assert_nonnull (strstr (check.err, "“check” does not run on a team desk"));
    /* COPYDESK_DB chooses the team desk as --database does. */
    g_assert_cmpint (by_env.status, ==, 0);
    g_assert_nonnull (strstr (by_env.out, "Harbour bridge reopens"));
    g_assert_null (strstr (export.err, PASSWORD));
    g_assert_null (strstr (backup.err, PASSWORD));
    g_assert_null (strstr (by_env.err, PASSWORD));
    /* Nothing was written on the way. */
    g_assert_false (g_file_test ("postgresql:", G_FILE_TEST_EXISTS));
  }

  {
    g_autofree char *not_a_desk = desk_pg_harness_create_database (server, "not_a_desk");
    g_auto(DeskTestRun) list = run_cli ("list", "--database", not_a_desk, NULL);

    g_assert_cmpint (list.status, ==, 1);
    g_assert_nonnull (strstr (list.err, "is not a desk yet: run “copydesk-cli desk init"));
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
  g_test_add_func ("/pg-store/db/placeholders-are-rewritten-outside-quotes", test_placeholders_are_rewritten_outside_quotes);
  ADD ("/pg-store/db/statements-run-alike-on-both-engines", test_statements_run_alike_on_both_engines);
  ADD ("/pg-store/cli/list-show-search-and-moves-alike-on-both-stores", test_list_show_search_and_moves_alike_on_both_stores);
  ADD ("/pg-store/cli/two-clis-moving-one-release-exactly-one-wins", test_two_clis_moving_one_release_exactly_one_wins);
  ADD ("/pg-store/cli/a-cli-killed-while-it-moves-writes-nothing", test_a_cli_killed_while_it_moves_writes_nothing);
  ADD ("/pg-store/cli/a-move-after-another-editors-names-who-moved-it-first",
       test_a_move_after_another_editors_names_who_moved_it_first);
  ADD ("/pg-store/cli/an-editors-cli-cannot-approve", test_an_editors_cli_cannot_approve);
  ADD ("/pg-store/cli/a-desk-copy-by-an-editor-says-what-the-role-may-not-do",
       test_a_desk_copy_by_an_editor_says_what_the_role_may_not_do);
  ADD ("/pg-store/cli/edit-clean-and-decide-alike-on-both-stores", test_edit_clean_and_decide_alike_on_both_stores);
  ADD ("/pg-store/cli/editing-approved-and-published-copy-keeps-the-roles",
       test_editing_approved_and_published_copy_keeps_the_roles);
  ADD ("/pg-store/cli/two-editors-saving-from-one-revision-exactly-one-wins",
       test_two_editors_saving_from_one_revision_exactly_one_wins);
  ADD ("/pg-store/cli/export-writes-the-files-sqlite-writes", test_export_writes_the_files_sqlite_writes);
  ADD ("/pg-store/cli/other-commands-say-they-do-not-run-on-a-team-desk", test_other_commands_say_they_do_not_run_on_a_team_desk);
#undef ADD

  status = g_test_run ();
  desk_pg_harness_stop (server);
  return status;
}
