/* test-backup.c — a copy of the desk while other processes write to it,
 * and noticing what they changed
 *
 * The other processes are the real copydesk-cli (COPYDESK_CLI), started
 * while the backup is half-way through.
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "desk-detector.h"
#include "desk-error.h"
#include "desk-store.h"
#include "desk-test-util.h"

typedef struct {
  char      *dir;
  char      *db_path;
  DeskStore *store;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("copydesk-backup-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->db_path = g_build_filename (fixture->dir, "desk.db", NULL);
  fixture->store = desk_store_open (fixture->db_path, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->store);
  desk_test_remove_tree (fixture->dir);
  g_free (fixture->db_path);
  g_free (fixture->dir);
}

static GSubprocess *
spawn_cli (Fixture     *fixture,
           GError     **error,
           const char  *first,
           ...)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                       G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  const char *cli = g_getenv ("COPYDESK_CLI");
  va_list ap;

  g_assert_nonnull (cli);
  g_ptr_array_add (argv, (gpointer) cli);
  va_start (ap, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (argv, NULL);

  g_subprocess_launcher_setenv (launcher, "COPYDESK_DB", fixture->db_path, TRUE);
  g_subprocess_launcher_setenv (launcher, "COPYDESK_EDITOR", "Editor CLI", TRUE);
  return g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, error);
}

/* Waits for @process and returns what it printed. */
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

#define run_cli(fixture, ...) \
  ({ g_autoptr(GError) spawn_error_ = NULL; \
     g_autoptr(GSubprocess) process_ = spawn_cli ((fixture), &spawn_error_, __VA_ARGS__, NULL); \
     g_assert_no_error (spawn_error_); \
     finish_cli (process_); })

/* A folder of @n small releases, each unlike any other. */
static char *
write_releases (Fixture    *fixture,
                const char *name,
                guint       n)
{
  char *folder = g_build_filename (fixture->dir, name, NULL);

  g_assert_cmpint (g_mkdir (folder, 0700), ==, 0);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *file = g_strdup_printf ("%s/%03u.txt", folder, i);
      g_autofree char *text = g_strdup_printf ("Release %s %u from the wire\n\n"
                                               "JAKARTA — The %s desk received item %u today. "
                                               "It says little, but it says it in its own words.\n",
                                               name, i, name, i);

      g_assert_true (g_file_set_contents (file, text, -1, NULL));
    }
  return folder;
}

/* Many releases straight into the tables, as a busy desk's database would
 * hold: big enough that a backup takes several chunks. */
static void
fill (Fixture *fixture,
      guint    n)
{
  g_autofree char *sql = NULL;
  sqlite3 *db = NULL;
  char *message = NULL;

  sql = g_strdup_printf (
    "BEGIN;"
    "WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %u)"
    " INSERT INTO releases (source, received_at, content_hash, original, original_headline, headline,"
    "   language, status, updated_at, structure)"
    " SELECT 'SeaPRwire', 1700000000000000 + i * 1000000, printf ('%%064x', i),"
    "   printf ('Rilis nomor %%d tentang pembicaraan Rusia-AS\nPutaran berikutnya akan berlangsung di Istanbul.\n"
    "Kedua negara telah mengadakan beberapa putaran pertemuan tingkat tinggi. Kode %%d.', i, i),"
    "   printf ('Rilis nomor %%d', i), printf ('Rilis nomor %%d', i),"
    "   'id', 'new', 1700000000000000 + i * 1000000, '1,0,44'"
    " FROM n;"
    "COMMIT;", n);
  g_assert_cmpint (sqlite3_open (fixture->db_path, &db), ==, SQLITE_OK);
  sqlite3_exec (db, sql, NULL, NULL, &message);
  if (message != NULL)
    g_error ("%s", message);
  sqlite3_close (db);
}

/* The checks a restore would want: every page sound, every reference
 * kept, every imported release with the event that says so. */
static void
assert_consistent (const char *path)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA integrity_check", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "ok");
  sqlite3_finalize (stmt);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA foreign_key_check", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  g_assert_cmpint (desk_test_sql_int (path,
                                      "SELECT count(*) FROM releases r WHERE source_path IS NOT NULL"
                                      " AND NOT EXISTS (SELECT 1 FROM events e WHERE e.release_id = r.id)"), ==, 0);
}

static void
test_data_version_follows_other_processes_only (Fixture       *fixture,
                                                gconstpointer  data)
{
  gint64 id = desk_test_add_text (fixture->store, "Headline\n\nThe body of it.\n");
  gint64 before = desk_store_get_data_version (fixture->store);
  g_autofree char *id_text = g_strdup_printf ("%" G_GINT64_FORMAT, id);

  g_assert_cmpint (before, >=, 0);

  /* Its own writes: nothing to follow (a window must not refresh itself
   * in a loop). */
  g_assert_true (desk_store_set_status (fixture->store, id, DESK_STATUS_IN_REVIEW, "Ed", NULL, NULL));
  desk_test_add_text (fixture->store, "Another\n\nWith a body.\n");
  g_assert_cmpint (desk_store_get_data_version (fixture->store), ==, before);

  /* Reading from another process changes nothing either. */
  {
    g_auto(DeskTestRun) run = run_cli (fixture, "list");
    g_assert_cmpint (run.status, ==, 0);
  }
  g_assert_cmpint (desk_store_get_data_version (fixture->store), ==, before);

  /* Another process's write does. */
  {
    g_auto(DeskTestRun) run = run_cli (fixture, "set-status", id_text, "approved");
    g_assert_cmpint (run.status, ==, 0);
  }
  g_assert_cmpint (desk_store_get_data_version (fixture->store), !=, before);
}

typedef struct {
  Fixture   *fixture;
  gint64     rows_at_start;
  GPtrArray *writers;       /* of GSubprocess */
  guint      steps;
} Race;

/* After the first chunk: imports start in other processes, and the backup
 * goes on only once one of them has committed, which it could not if the
 * backup held writers off. */
static void
race_progress (guint    copied,
               guint    total,
               gpointer user_data)
{
  Race *race = user_data;

  race->steps++;
  if (race->steps != 1)
    return;

  g_assert_cmpuint (copied, <, total);
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *name = g_strdup_printf ("wire%u", i);
      g_autofree char *folder = write_releases (race->fixture, name, 40);
      GSubprocess *process = spawn_cli (race->fixture, &error, "import", folder, NULL);

      g_assert_no_error (error);
      g_ptr_array_add (race->writers, process);
    }
  while (desk_test_sql_int (race->fixture->db_path, "SELECT count(*) FROM releases") == race->rows_at_start)
    g_usleep (2000);
}

static void
test_backup_while_other_processes_import_is_a_consistent_copy (Fixture       *fixture,
                                                               gconstpointer  data)
{
  g_autofree char *backup = g_build_filename (fixture->dir, "backup.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskStore) copy = NULL;
  g_autoptr(GPtrArray) listed = NULL;
  g_autoptr(GDir) dir = NULL;
  DeskQuery all = DESK_QUERY_INIT;
  Race race = { fixture, 0, g_ptr_array_new_with_free_func (g_object_unref), 0 };
  const char *name;

  fill (fixture, 40000);
  race.rows_at_start = desk_test_sql_int (fixture->db_path, "SELECT count(*) FROM releases");

  g_assert_true (desk_store_backup (fixture->store, backup, race_progress, &race, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (race.steps, >, 1);

  /* Every writer got through, none was told the database is locked. */
  for (guint i = 0; i < race.writers->len; i++)
    {
      g_auto(DeskTestRun) run = finish_cli (g_ptr_array_index (race.writers, i));

      g_assert_cmpint (run.status, ==, 0);
      g_assert_nonnull (strstr (run.out, "imported 40,"));
    }
  g_ptr_array_unref (race.writers);
  g_assert_cmpint (desk_test_sql_int (fixture->db_path, "SELECT count(*) FROM releases"), ==,
                   race.rows_at_start + 120);

  /* The copy is the desk as it was when the backup began: whole. */
  assert_consistent (backup);
  g_assert_cmpint (desk_test_sql_int (backup, "SELECT count(*) FROM releases"), ==, race.rows_at_start);
  /* One file: its header says rollback journal (1), not WAL (2). */
  {
    g_autofree char *bytes = NULL;
    gsize length = 0;

    g_assert_true (g_file_get_contents (backup, &bytes, &length, NULL));
    g_assert_cmpuint (length, >, 100);
    g_assert_cmpint (bytes[18], ==, 1);
    g_assert_cmpint (bytes[19], ==, 1);
  }

  /* It opens as a desk and lists what it holds. */
  copy = desk_store_open (backup, &error);
  g_assert_no_error (error);
  all.limit = 1;
  listed = desk_store_list_releases (copy, &all, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (listed->len, ==, 1);
  g_assert_cmpstr (desk_release_get_headline (g_ptr_array_index (listed, 0)), ==, "Rilis nomor 40000");

  /* Nothing temporary is left beside it. */
  dir = g_dir_open (fixture->dir, 0, &error);
  g_assert_no_error (error);
  while ((name = g_dir_read_name (dir)) != NULL)
    g_assert_false (g_str_has_prefix (name, ".backup.db."));

  /* A second backup over the first, after the imports, has them all. */
  g_clear_object (&copy);
  g_assert_true (desk_store_backup (fixture->store, backup, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  assert_consistent (backup);
  g_assert_cmpint (desk_test_sql_int (backup, "SELECT count(*) FROM releases"), ==, race.rows_at_start + 120);
}

static void
test_backup_refuses_the_live_database_and_names_the_file (Fixture       *fixture,
                                                          gconstpointer  data)
{
  g_autofree char *wal = g_strconcat (fixture->db_path, "-wal", NULL);
  g_autofree char *link = g_build_filename (fixture->dir, "link.db", NULL);
  g_autofree char *missing = g_build_filename (fixture->dir, "no-such-folder", "b.db", NULL);
  g_autofree char *size_before = NULL;
  gint64 id = desk_test_add_text (fixture->store, "Headline\n\nThe body of it.\n");
  const char *refused[] = { fixture->db_path, wal, link };

  g_assert_cmpint (id, >, 0);
  g_assert_cmpint (symlink (fixture->db_path, link), ==, 0);
  for (gsize i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (desk_store_backup (fixture->store, refused[i], NULL, NULL, NULL, &error));
      g_assert_error (error, DESK_ERROR, DESK_ERROR_INVALID_INPUT);
      g_assert_nonnull (strstr (error->message, refused[i]));
      g_assert_nonnull (strstr (error->message, "own database"));
    }
  /* The desk is untouched. */
  g_assert_cmpint (desk_test_sql_int (fixture->db_path, "SELECT count(*) FROM releases"), ==, 1);

  {
    g_autoptr(GError) error = NULL;

    g_assert_false (desk_store_backup (fixture->store, fixture->dir, NULL, NULL, NULL, &error));
    g_assert_nonnull (error);
    g_assert_nonnull (strstr (error->message, "is a folder"));
  }
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *notes = g_build_filename (fixture->dir, "notes.txt", NULL);
    g_autofree char *contents = NULL;

    /* A file that is not an earlier backup is not replaced. */
    g_assert_true (g_file_set_contents (notes, "Call the Istanbul desk at five.\n", -1, NULL));
    g_assert_false (desk_store_backup (fixture->store, notes, NULL, NULL, NULL, &error));
    g_assert_error (error, DESK_ERROR, DESK_ERROR_INVALID_INPUT);
    g_assert_nonnull (strstr (error->message, notes));
    g_assert_nonnull (strstr (error->message, "not a database"));
    g_assert_true (g_file_get_contents (notes, &contents, NULL, NULL));
    g_assert_cmpstr (contents, ==, "Call the Istanbul desk at five.\n");
  }
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *folder = g_path_get_dirname (missing);

    g_assert_false (desk_store_backup (fixture->store, missing, NULL, NULL, NULL, &error));
    g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
    g_assert_nonnull (strstr (error->message, folder));
  }
}

static void
cancel_after_first_chunk (guint    copied,
                          guint    total,
                          gpointer user_data)
{
  g_cancellable_cancel (user_data);
}

static void
test_cancelled_backup_leaves_the_old_one_in_place (Fixture       *fixture,
                                                   gconstpointer  data)
{
  g_autofree char *backup = g_build_filename (fixture->dir, "backup.db", NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = NULL;
  const char *name;

  desk_test_add_text (fixture->store, "Headline\n\nThe body of it.\n");
  g_assert_true (desk_store_backup (fixture->store, backup, NULL, NULL, NULL, &error));
  g_assert_no_error (error);

  fill (fixture, 40000);
  g_assert_false (desk_store_backup (fixture->store, backup, cancel_after_first_chunk, cancellable,
                                     cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);

  /* The earlier backup is still there, whole; no half copy beside it. */
  assert_consistent (backup);
  g_assert_cmpint (desk_test_sql_int (backup, "SELECT count(*) FROM releases"), ==, 1);
  dir = g_dir_open (fixture->dir, 0, &error);
  g_assert_no_error (error);
  while ((name = g_dir_read_name (dir)) != NULL)
    g_assert_false (g_str_has_prefix (name, ".backup.db."));
}

static void
test_cli_backup_writes_a_copy_and_refuses_the_live_database (Fixture       *fixture,
                                                             gconstpointer  data)
{
  g_autofree char *backup = g_build_filename (fixture->dir, "copy.db", NULL);

  desk_test_add_text (fixture->store, "Headline\n\nThe body of it.\n");
  {
    g_auto(DeskTestRun) run = run_cli (fixture, "backup", backup);

    g_assert_cmpint (run.status, ==, 0);
    g_assert_nonnull (strstr (run.out, backup));
  }
  assert_consistent (backup);
  g_assert_cmpint (desk_test_sql_int (backup, "SELECT count(*) FROM releases"), ==, 1);

  {
    g_auto(DeskTestRun) run = run_cli (fixture, "backup", fixture->db_path);

    g_assert_cmpint (run.status, ==, 1);
    g_assert_nonnull (strstr (run.err, fixture->db_path));
    g_assert_nonnull (strstr (run.err, "own database"));
  }
  {
    g_auto(DeskTestRun) run = run_cli (fixture, "backup");

    g_assert_cmpint (run.status, ==, 2);
  }
  g_assert_cmpint (desk_test_sql_int (fixture->db_path, "SELECT count(*) FROM releases"), ==, 1);
}

/* Removes what a killed backup left under a temporary name; TRUE if it
 * left something (it was killed while copying). */
static gboolean
remove_leftovers (const char *dir,
                  const char *prefix)
{
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  const char *name;
  gboolean found = FALSE;

  while ((name = g_dir_read_name (listing)) != NULL)
    if (g_str_has_prefix (name, prefix))
      {
        g_autofree char *path = g_build_filename (dir, name, NULL);

        g_assert_cmpint (g_unlink (path), ==, 0);
        found = TRUE;
      }
  return found;
}

/* copydesk-cli backup killed with SIGKILL at random moments: the file under
 * the backup's name is always a whole database, the old backup or the new
 * one, never a part. */
static void
test_backup_killed_midway_never_leaves_a_partial_file (Fixture       *fixture,
                                                       gconstpointer  data)
{
  g_autofree char *backup = g_build_filename (fixture->dir, "backup.db", NULL);
  g_autoptr(GRand) rand = g_rand_new_with_seed (10);
  g_autoptr(GError) error = NULL;
  gint64 old_rows, new_rows;
  guint killed = 0;
  guint midway = 0;

  fill (fixture, 40000);
  g_assert_true (desk_store_backup (fixture->store, backup, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  old_rows = desk_test_sql_int (backup, "SELECT count(*) FROM releases");
  desk_test_add_text (fixture->store, "One more\n\nSo that the new backup differs.\n");
  new_rows = old_rows + 1;

  for (guint i = 0; i < 12; i++)
    {
      g_autoptr(GSubprocess) process = spawn_cli (fixture, &error, "backup", backup, NULL);
      gint64 rows;

      g_assert_no_error (error);
      g_usleep (g_rand_int_range (rand, 0, 400000));
      g_subprocess_force_exit (process);
      g_subprocess_wait (process, NULL, &error);
      g_assert_no_error (error);
      if (!g_subprocess_get_if_exited (process))
        killed++;
      midway += remove_leftovers (fixture->dir, ".backup.db.");

      assert_consistent (backup);
      rows = desk_test_sql_int (backup, "SELECT count(*) FROM releases");
      g_assert_true (rows == old_rows || rows == new_rows);
    }
  g_test_message ("%u of 12 backups killed before they ended, %u of them while copying", killed, midway);
  /* The desk itself is untouched by all that. */
  assert_consistent (fixture->db_path);
  g_assert_cmpint (desk_test_sql_int (fixture->db_path, "SELECT count(*) FROM releases"), ==, new_rows);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define add(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  add ("/store/data-version/changes-for-other-processes-only", test_data_version_follows_other_processes_only);
  add ("/store/backup/while-other-processes-import-is-consistent", test_backup_while_other_processes_import_is_a_consistent_copy);
  add ("/store/backup/refuses-the-live-database-and-names-the-file", test_backup_refuses_the_live_database_and_names_the_file);
  add ("/store/backup/cancelled-leaves-the-old-one-in-place", test_cancelled_backup_leaves_the_old_one_in_place);
  add ("/cli/backup/writes-a-copy-and-refuses-the-live-database", test_cli_backup_writes_a_copy_and_refuses_the_live_database);
  add ("/cli/backup/killed-midway-never-leaves-a-partial-file", test_backup_killed_midway_never_leaves_a_partial_file);

  return g_test_run ();
}
