/* test-pg-ingest.c — copydesk-cli ingest on a team desk
 *
 * A real PostgreSQL 15 (pg-harness.c) and the real copydesk-cli.  Two
 * `ingest --folder` processes of one folder of 200 releases and one desk,
 * held by an uncommitted claim of the test's own on a file in the middle;
 * one of them killed there with SIGKILL and started again: every file in
 * exactly once, with its release, event and record, nothing half-written.
 * Then `ingest --watch`: a file closed in the folder becomes a release,
 * and SIGTERM ends the service.  And copies of one story grouped on the
 * team desk as on a SQLite desk.
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <utime.h>
#include <sqlite3.h>
#include <glib/gstdio.h>

#include "desk-pg.h"
#include "desk-test-util.h"
#include "pg-cli.h"
#include "pg-harness.h"

#define N_FILES 200
#define HELD_FILE 100     /* the ingesters wait at this file */

static DeskPgHarness *server;

/* A new team desk with an editor's role, ana; its superuser's address. */
static char *
new_desk (const char *name)
{
  char *address = desk_pg_harness_create_database (server, name);
  g_auto(DeskTestRun) init = DESK_PG_RUN_CLI ("desk", "init", address);

  g_assert_cmpint (init.status, ==, 0);
  desk_pg_harness_sql (server, "postgres",
                       "DO $$ BEGIN"
                       " IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'ana') THEN CREATE ROLE ana LOGIN IN ROLE copydesk_editor; END IF;"
                       " END $$");
  return address;
}

static char *
generated_release (guint i)
{
  return g_strdup_printf ("Ferry line %u sails again\n\n"
                          "The ferry line number %u between the two islands sails again from Monday, "
                          "%u weeks after the storm, its operator said.\n\n"
                          "The boats of line %u carry up to %u passengers.\n",
                          i + 1, i + 1, i % 7 + 2, i + 1, 100 + i);
}

/* Writes @name in @dir, last changed an hour ago: complete, for a folder
 * that was not watched while it was written.  Its mtime in µs. */
static gint64
write_old_file (const char *dir,
                const char *name,
                const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (dir, name, NULL);
  struct utimbuf times;
  struct stat st;

  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
  times.actime = times.modtime = time (NULL) - 3600;
  g_assert_cmpint (utime (path, &times), ==, 0);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  return (gint64) st.st_mtim.tv_sec * G_USEC_PER_SEC + st.st_mtim.tv_nsec / 1000;
}

/* How many of the desk's server processes for role ana wait for a lock. */
static gint64
ingesters_waiting (DeskPg *pg)
{
  return desk_pg_query_int (pg, "SELECT count(*) FROM pg_stat_activity WHERE usename = 'ana' AND wait_event_type = 'Lock'");
}

static void
assert_ran_clean (const DeskTestRun *run,
                  guint             *out_new)
{
  g_autofree char *prefix = NULL;
  const char *line;
  guint n_new = 0, n_updated = 9, n_seen = 0, n_failed = 9;

  g_assert_cmpint (run->status, ==, 0);
  line = strstr (run->out, ": ");
  g_assert_nonnull (line);
  g_assert_cmpint (sscanf (line, ": %u new, %u updated, %u seen before, %u not read",
                           &n_new, &n_updated, &n_seen, &n_failed), ==, 4);
  g_assert_cmpuint (n_updated, ==, 0);
  g_assert_cmpuint (n_failed, ==, 0);
  *out_new = n_new;
}

static void
test_two_ingesters_one_killed_bring_each_file_once (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *made = g_dir_make_tmp (NULL, &error);
  g_autofree char *dir = g_canonicalize_filename (made, NULL);
  g_autofree char *admin_address = new_desk ("ingest_race");
  g_autofree char *editor = desk_pg_harness_address (server, "ingest_race", "ana");
  g_autoptr(DeskPg) admin = desk_pg_new (admin_address);
  g_autoptr(DeskPg) holder = desk_pg_new (admin_address);
  g_autofree char *held_path = NULL;
  g_autofree char *held_size = NULL;
  g_autofree char *held_mtime = NULL;
  DeskPgCli ingesters[2];
  guint stored = 0;

  g_assert_no_error (error);
  for (guint i = 0; i < N_FILES; i++)
    {
      g_autofree char *name = g_strdup_printf ("release-%03u.txt", i);
      g_autofree char *text = generated_release (i);
      gint64 mtime = write_old_file (dir, name, text);

      if (i == HELD_FILE)
        {
          held_path = g_build_filename (dir, name, NULL);
          held_size = g_strdup_printf ("%zu", strlen (text));
          held_mtime = g_strdup_printf ("%" G_GINT64_FORMAT, mtime);
        }
    }
  g_assert_true (desk_pg_connect (admin, &error));
  g_assert_true (desk_pg_connect (holder, &error));
  g_assert_no_error (error);

  /* A claim on the held file, written and not committed: an ingester
   * that reaches that file waits to learn whether it stays. */
  {
    const char *params[] = { held_path, held_size, held_mtime };
    g_autoptr(PGresult) begun = desk_pg_query (holder, "BEGIN", 0, NULL, &error);
    g_autoptr(PGresult) row = NULL;

    g_assert_no_error (error);
    row = desk_pg_query (holder, "INSERT INTO seen_files (path, size, mtime, seen_at) VALUES ($1, $2, $3, 0)",
                         3, params, &error);
    g_assert_no_error (error);
  }

  for (guint i = 0; i < G_N_ELEMENTS (ingesters); i++)
    desk_pg_cli_start (&ingesters[i], "ingest", "--database", editor, "--folder", dir, "--no-feeds", NULL);
  /* Both at the held file, each in its transaction, every file before it
   * stored. */
  while (ingesters_waiting (admin) < (gint64) G_N_ELEMENTS (ingesters))
    {
      for (guint i = 0; i < G_N_ELEMENTS (ingesters); i++)
        g_assert_false (ingesters[i].done);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (G_USEC_PER_SEC / 50);
    }
  g_assert_cmpint (desk_pg_query_int (admin, "SELECT count(*) FROM releases"), ==, HELD_FILE);
  g_assert_cmpint (desk_pg_query_int (admin, "SELECT count(*) FROM seen_files"), ==, HELD_FILE);

  /* kill -9 of one, in the middle of the held file's transaction. */
  g_subprocess_send_signal (ingesters[0].process, SIGKILL);
  {
    g_auto(DeskTestRun) killed = desk_pg_cli_finish (&ingesters[0]);

    g_assert_cmpint (killed.status, ==, -1);
  }
  /* The held claim goes: the file is the ingesters' again. */
  {
    g_autoptr(PGresult) rolled_back = desk_pg_query (holder, "ROLLBACK", 0, NULL, &error);

    g_assert_no_error (error);
  }
  /* The killed one starts again beside the one that lived. */
  desk_pg_cli_start (&ingesters[0], "ingest", "--database", editor, "--folder", dir, "--no-feeds", NULL);
  for (guint i = 0; i < G_N_ELEMENTS (ingesters); i++)
    {
      g_auto(DeskTestRun) run = desk_pg_cli_finish (&ingesters[i]);
      guint n_new = 0;

      assert_ran_clean (&run, &n_new);
      stored += n_new;
    }
  /* The two that lived stored the held file and every one after it, and
   * some before it, beside the one killed. */
  g_assert_cmpuint (stored, >=, N_FILES - HELD_FILE);
  g_assert_cmpuint (stored, <=, N_FILES);
  /* Once more: nothing new. */
  {
    g_auto(DeskTestRun) again = DESK_PG_RUN_CLI ("ingest", "--database", editor, "--folder", dir, "--no-feeds");
    guint n_new = 9;

    assert_ran_clean (&again, &n_new);
    g_assert_cmpuint (n_new, ==, 0);
  }

  /* Every file once, and whole: its release, with its folder as its
   * source, its event, its search document and its record. */
  g_assert_cmpint (desk_pg_query_int (admin, "SELECT count(*) FROM releases"), ==, N_FILES);
  g_assert_cmpint (desk_pg_query_int (admin, "SELECT count(DISTINCT content_hash) FROM releases"), ==, N_FILES);
  g_assert_cmpint (desk_pg_query_int (admin, "SELECT count(DISTINCT source_path) FROM releases"), ==, N_FILES);
  g_assert_cmpint (desk_pg_query_int (admin, "SELECT count(*) FROM seen_files"), ==, N_FILES);
  g_assert_cmpint (desk_pg_query_int (admin, "SELECT count(*) FROM seen_files s JOIN releases r"
                                     " ON r.id = s.release_id AND r.source_path = s.path"
                                     " WHERE s.note IS NULL"), ==, N_FILES);
  {
    g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM releases WHERE source_kind = 'folder'"
                                            " AND source_name = '%s'", dir);

    g_assert_cmpint (desk_pg_query_int (admin, sql), ==, N_FILES);
  }
  g_assert_cmpint (desk_pg_query_int (admin, "SELECT count(*) FROM releases r WHERE"
                                     " (SELECT count(*) FROM events e WHERE e.release_id = r.id"
                                     "  AND e.action = 'imported' AND e.actor = 'ana') <> 1"
                                     " OR r.search = ''::tsvector"), ==, 0);
  g_assert_cmpint (desk_pg_query_int (admin, "SELECT count(*) FROM events"), ==, N_FILES);
  desk_test_remove_tree (dir);
}

static void
test_watch_brings_a_closed_file_and_stops_on_sigterm (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *made = g_dir_make_tmp (NULL, &error);
  g_autofree char *dir = g_canonicalize_filename (made, NULL);
  g_autofree char *admin_address = new_desk ("ingest_watch");
  g_autofree char *editor = desk_pg_harness_address (server, "ingest_watch", "ana");
  g_autoptr(DeskPg) admin = desk_pg_new (admin_address);
  g_autofree char *text = generated_release (7);
  g_autofree char *path = g_build_filename (dir, "arrived.txt", NULL);
  DeskPgCli watch;

  g_assert_no_error (error);
  g_assert_true (desk_pg_connect (admin, &error));
  /* The actor is the role that logs in, as for import; and a folder is
   * named, for only the folder runs there yet. */
  {
    g_auto(DeskTestRun) named = DESK_PG_RUN_CLI ("ingest", "--database", editor, "--editor", "Budi",
                                                 "--folder", dir, "--no-feeds");
    g_auto(DeskTestRun) unnamed = DESK_PG_RUN_CLI ("ingest", "--database", editor);

    g_assert_cmpint (named.status, ==, 2);
    g_assert_nonnull (strstr (named.err, "--editor is not taken"));
    g_assert_cmpint (unnamed.status, ==, 2);
    g_assert_nonnull (strstr (unnamed.err, "ingest reads a folder only"));
  }
  desk_pg_cli_start (&watch, "ingest", "--watch", "--database", editor, "--folder", dir, "--no-feeds", NULL);
  /* The service is connected when the server shows its session. */
  while (desk_pg_query_int (admin, "SELECT count(*) FROM pg_stat_activity WHERE usename = 'ana'") == 0)
    {
      g_assert_false (watch.done);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (G_USEC_PER_SEC / 50);
    }

  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
  while (desk_pg_query_int (admin, "SELECT count(*) FROM releases") == 0)
    {
      g_assert_false (watch.done);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (G_USEC_PER_SEC / 50);
    }

  g_subprocess_send_signal (watch.process, SIGTERM);
  {
    g_auto(DeskTestRun) run = desk_pg_cli_finish (&watch);

    g_assert_cmpint (run.status, ==, 0);
    g_assert_nonnull (strstr (run.out, "1 new"));
  }
  g_assert_cmpint (desk_pg_query_int (admin, "SELECT count(*) FROM releases WHERE headline = 'Ferry line 8 sails again'"
                                     " AND source_kind = 'folder'"), ==, 1);
  g_assert_cmpint (desk_pg_query_int (admin, "SELECT count(*) FROM seen_files WHERE release_id IS NOT NULL"), ==, 1);
  desk_test_remove_tree (dir);
}

/* Each file's name and the file of the release it is a copy of, or "-",
 * in the order of the names: the same SELECT on either engine. */
#define COPIES_SQL "SELECT r.source_path, coalesce ((SELECT o.source_path FROM releases o WHERE o.id = r.copy_of), '-')" \
  " FROM releases r ORDER BY r.source_path"

static char *
copies_of (sqlite3 *lite,
           DeskPg  *pg)
{
  GString *out = g_string_new (NULL);

  if (pg != NULL)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(PGresult) result = desk_pg_query (pg, COPIES_SQL, 0, NULL, &error);

      g_assert_no_error (error);
      for (int r = 0; r < PQntuples (result); r++)
        g_string_append_printf (out, "%s %s\n", strrchr (PQgetvalue (result, r, 0), '/'),
                                strrchr (PQgetvalue (result, r, 1), '/') ? strrchr (PQgetvalue (result, r, 1), '/') : "-");
    }
  else
    {
      sqlite3_stmt *stmt = NULL;

      g_assert_cmpint (sqlite3_prepare_v2 (lite, COPIES_SQL, -1, &stmt, NULL), ==, SQLITE_OK);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          const char *path = (const char *) sqlite3_column_text (stmt, 0);
          const char *of = (const char *) sqlite3_column_text (stmt, 1);

          g_string_append_printf (out, "%s %s\n", strrchr (path, '/'), strrchr (of, '/') ? strrchr (of, '/') : "-");
        }
      sqlite3_finalize (stmt);
    }
  return g_string_free (out, FALSE);
}

static void
test_copies_grouped_as_on_sqlite (void)
{
  static const char *story =
    "The river port of Samarinda opens a second container quay on Monday, after two years of "
    "building work, the port authority said. The quay takes ships of up to 140 metres and doubles "
    "the port's yearly capacity to 400,000 containers, its director told reporters at the opening.";
  g_autoptr(GError) error = NULL;
  g_autofree char *made = g_dir_make_tmp (NULL, &error);
  g_autofree char *dir = g_canonicalize_filename (made, NULL);
  g_autofree char *lite_path = g_build_filename (dir, "desk.db", NULL);
  g_autofree char *folder = g_build_filename (dir, "in", NULL);
  g_autofree char *admin_address = new_desk ("ingest_copies");
  g_autofree char *editor = desk_pg_harness_address (server, "ingest_copies", "ana");
  g_autoptr(DeskPg) admin = desk_pg_new (admin_address);
  g_autofree char *a = g_strdup_printf ("Samarinda opens a second quay\n\nSAMARINDA (Wire One) - %s\n", story);
  g_autofree char *b = g_strdup_printf ("Second container quay for Samarinda\n\nSAMARINDA, Indonesia (Wire Two) - %s"
                                        " Shipping lines welcomed it.\n", story);
  g_autofree char *c = g_strdup ("Rain closes the mountain road\n\nHeavy rain closed the mountain road between "
                                 "the two towns on Sunday night, and crews cleared the mud by the morning, the "
                                 "regency's public works office said in a statement on its website.\n");
  g_autofree char *on_pg = NULL;
  g_autofree char *on_sqlite = NULL;
  sqlite3 *lite = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (g_mkdir (folder, 0700), ==, 0);
  write_old_file (folder, "a.txt", a);
  write_old_file (folder, "b.txt", b);
  write_old_file (folder, "c.txt", c);
  g_assert_true (desk_pg_connect (admin, &error));
  {
    g_auto(DeskTestRun) team = DESK_PG_RUN_CLI ("ingest", "--database", editor, "--folder", folder, "--no-feeds");
    g_auto(DeskTestRun) solo = DESK_PG_RUN_CLI ("ingest", "--database", lite_path, "--folder", folder, "--no-feeds");

    g_assert_cmpint (team.status, ==, 0);
    g_assert_cmpint (solo.status, ==, 0);
  }
  g_assert_cmpint (sqlite3_open (lite_path, &lite), ==, SQLITE_OK);
  on_sqlite = copies_of (lite, NULL);
  sqlite3_close (lite);
  on_pg = copies_of (NULL, admin);
  g_assert_cmpstr (on_sqlite, ==, "/a.txt -\n/b.txt /a.txt\n/c.txt -\n");
  g_assert_cmpstr (on_pg, ==, on_sqlite);
  /* `copies` lists the story's copies, and compares two, as on SQLite. */
  {
    g_auto(DeskTestRun) team_list = DESK_PG_RUN_CLI ("copies", "--database", editor, "2");
    g_auto(DeskTestRun) solo_list = DESK_PG_RUN_CLI ("copies", "--database", lite_path, "2");
    g_auto(DeskTestRun) team_diff = DESK_PG_RUN_CLI ("copies", "--database", editor, "1", "2");
    g_auto(DeskTestRun) solo_diff = DESK_PG_RUN_CLI ("copies", "--database", lite_path, "1", "2");

    g_assert_cmpint (team_list.status, ==, 0);
    g_assert_cmpint (team_diff.status, ==, 0);
    g_assert_nonnull (strstr (team_list.out, "#1\tnew\t"));
    g_assert_nonnull (strstr (team_list.out, "#2\tnew\t"));
    g_assert_cmpstr (team_list.out, ==, solo_list.out);
    g_assert_nonnull (strstr (team_diff.out, "{+"));
    g_assert_cmpstr (team_diff.out, ==, solo_diff.out);
  }
  /* One group of two signatures, and its bands. */
  g_assert_cmpint (desk_pg_query_int (admin, "SELECT count(DISTINCT group_id) FROM copy_signatures"), ==, 2);
  g_assert_cmpint (desk_pg_query_int (admin, "SELECT count(*) FROM copy_bands"), >, 0);
  desk_test_remove_tree (dir);
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  server = desk_pg_harness_start ();
  g_test_add_func ("/pg-ingest/two-ingesters-one-killed", test_two_ingesters_one_killed_bring_each_file_once);
  g_test_add_func ("/pg-ingest/watch", test_watch_brings_a_closed_file_and_stops_on_sigterm);
  g_test_add_func ("/pg-ingest/copies-grouped-as-on-sqlite", test_copies_grouped_as_on_sqlite);
  status = g_test_run ();
  desk_pg_harness_stop (server);
  return status;
}
