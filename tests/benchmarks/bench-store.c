/* bench-store.c — the store of the mixed corpus that bench-search and
 * bench-window measure: built once through the importer, kept
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdio.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "bench-store.h"
#include "bench-util.h"
#include "desk-fts.h"
#include "desk-importer.h"
#include "desk-store.h"

void
bench_store_remove (const char *path)
{
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);

  g_unlink (path);
  g_unlink (wal);
  g_unlink (shm);
}

void
bench_store_checkpoint (const char *path)
{
  sqlite3 *db = NULL;

  sqlite3_open (path, &db);
  sqlite3_exec (db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL);
  sqlite3_close (db);
}

static void
check (int         rc,
       sqlite3    *db,
       const char *what)
{
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW)
    g_error ("%s: %s", what, sqlite3_errmsg (db));
}

/* The baseline of bench-import and bench-copies: every file read, then
 * plain SQL into the store's FTS settings and durability. */
void
bench_store_plain_sql_import (const char *path,
                              GPtrArray  *files,
                              double     *wall_s,
                              double     *cpu_s)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *row = NULL;
  sqlite3_stmt *fts = NULL;
  static const char schema[] =
    "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;"
    "PRAGMA cache_size = -32768; PRAGMA wal_autocheckpoint = 8192;"
    "CREATE TABLE releases (id INTEGER PRIMARY KEY, received_at INTEGER NOT NULL,"
    "  headline TEXT NOT NULL, original TEXT NOT NULL, edited TEXT);"
    "CREATE VIRTUAL TABLE releases_fts USING fts5 (headline, original, edited,"
    "  content = 'releases', content_rowid = 'id', tokenize = '" DESK_FTS_TOKENIZER "');"
    "INSERT INTO releases_fts (releases_fts, rank) VALUES ('automerge', 16);"
    "INSERT INTO releases_fts (releases_fts, rank) VALUES ('hashsize', 8388608);";
  BenchClock clock;

  bench_clock_start (&clock);
  check (sqlite3_open (path, &db), db, "open");
  if (!desk_fts_register (db, NULL))
    g_error ("could not register the tokenizer");
  check (sqlite3_exec (db, schema, NULL, NULL, NULL), db, "schema");
  check (sqlite3_prepare_v2 (db, "INSERT INTO releases (received_at, headline, original) VALUES (?, ?, ?)", -1, &row, NULL), db, "prepare");
  check (sqlite3_prepare_v2 (db, "INSERT INTO releases_fts (rowid, headline, original) VALUES (?, ?, ?)", -1, &fts, NULL), db, "prepare");

  check (sqlite3_exec (db, "BEGIN", NULL, NULL, NULL), db, "begin");
  for (guint i = 0; i < files->len; i++)
    {
      g_autofree char *text = NULL;
      g_autoptr(GError) error = NULL;
      const char *nl;
      gsize len;
      int headline_len;

      if (!g_file_get_contents (files->pdata[i], &text, &len, &error))
        g_error ("%s", error->message);
      nl = strchr (text, '\n');
      headline_len = nl != NULL ? (int) (nl - text) : (int) len;

      sqlite3_bind_int64 (row, 1, g_get_real_time ());
      sqlite3_bind_text (row, 2, text, headline_len, SQLITE_STATIC);
      sqlite3_bind_text (row, 3, text, (int) len, SQLITE_STATIC);
      check (sqlite3_step (row), db, "insert");
      sqlite3_reset (row);

      sqlite3_bind_int64 (fts, 1, sqlite3_last_insert_rowid (db));
      sqlite3_bind_text (fts, 2, text, headline_len, SQLITE_STATIC);
      sqlite3_bind_text (fts, 3, text, (int) len, SQLITE_STATIC);
      check (sqlite3_step (fts), db, "index");
      sqlite3_reset (fts);
    }
  check (sqlite3_exec (db, "COMMIT", NULL, NULL, NULL), db, "commit");
  sqlite3_finalize (row);
  sqlite3_finalize (fts);
  sqlite3_close (db);
  /* Both sides are timed until their rows are in the database file, not
   * just in the write-ahead log. */
  bench_store_checkpoint (path);
  bench_clock_stop (&clock, wall_s, cpu_s);
}

static gint64
count_releases (const char *db_path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskStore) store = NULL;

  if (!g_file_test (db_path, G_FILE_TEST_EXISTS))
    return 0;
  store = desk_store_open (db_path, &error);
  if (store == NULL)
    return -1;
  return desk_store_count_releases (store, NULL, NULL);
}

/* The store of @target releases of the corpus: grown 20,000 at a time
 * through the importer, as files dropped in an inbox would be. */
void
bench_store_build (const char *dir,
                   const char *db_path,
                   guint       target)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskStore) store = NULL;
  g_autofree char *inbox = g_build_filename (dir, "inbox", NULL);
  const char *paths[] = { inbox, NULL };
  gint64 start = g_get_monotonic_time ();
  gint64 have = count_releases (db_path);

  if (have == target)
    {
      printf ("# the store of %u releases kept from an earlier run: %s\n", target, db_path);
      return;
    }
  /* A smaller store (an earlier run's, or one stopped half-way) is grown;
   * a larger one, or one that cannot be read, is built again. */
  if (have < 0 || have > target)
    {
      bench_store_remove (db_path);
      have = 0;
    }
  store = desk_store_open (db_path, &error);
  g_assert_no_error (error);
  g_mkdir (inbox, 0700);
  for (guint first = (guint) have; first < target; first += 20000)
    {
      guint chunk = MIN (20000, target - first);
      g_autoptr(GPtrArray) more = bench_corpus_generate_from (first, chunk, BENCH_SEED + first, NULL);
      g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(DeskImportReport) report = NULL;

      for (guint i = 0; i < more->len; i++)
        {
          BenchRelease *release = g_ptr_array_index (more, i);
          g_autofree char *name = g_strdup_printf ("release-%06u.txt", i);
          char *path = g_build_filename (inbox, name, NULL);

          if (!g_file_set_contents (path, release->text, release->len, &error))
            g_error ("%s", error->message);
          g_ptr_array_add (files, path);
        }
      report = desk_import_paths (store, paths, "Benchmark", NULL, NULL, NULL);
      for (guint i = 0; i < files->len; i++)
        g_unlink (files->pdata[i]);
      if (report->imported != chunk)
        g_error ("imported %u of %u", report->imported, chunk);
    }
  g_rmdir (inbox);
  g_clear_object (&store);
  bench_store_checkpoint (db_path);
  printf ("# a store of %u releases of the mixed corpus built through the importer (from %" G_GINT64_FORMAT ") in %.0f s: %s\n",
          target, have, (g_get_monotonic_time () - start) / 1e6, db_path);
}

