/* bench-copies.c — what grouping copies of one story costs an import
 *
 * 50,000 releases of the mixed corpus (bench-util.c), one in five of them
 * a copy of an earlier one as another wire or a second sending would
 * bring it (its own headline, a sentence added at the end), imported
 * four ways, alternating, on one core:
 *
 * - plain SQL, one table: every file read and inserted with one prepared
 *   statement into a table indexed by FTS5 with the store's tokenizer and
 *   FTS settings, page cache and durability, in one transaction
 *   (bench-import's baseline);
 * - plain SQL, the same rows: what a plain importer of these files into
 *   the store's own tables does (same_rows_import()): the release's row
 *   with the columns such an importer has, under the indexes the queues
 *   and the duplicate check read, its FTS5 row and its "imported" event,
 *   committed every BATCH_ROWS rows as the importer commits at most;
 * - the core on a store kept at schema 10, which has no copies index:
 *   the same import without grouping (nor what came with schemas 11 to
 *   14: the embargo search, learned boilerplate; callgrind tells
 *   grouping's own share, _desk_store_index_copy);
 * - the core on a current store: signatures, bands, groups, and a copy
 *   left out of the queues (copy_of).
 *
 * The target (issue 14): the import with grouping ≤ 1.5× plain SQL, in
 * CPU and in wall time (medians), against the same rows; the ratio to
 * one table is printed beside it.  The cost of grouping is the third
 * against the second.  It never fails on time; each figure says its
 * target and whether it is met.  COPYDESK_BENCH_COPIES_RELEASES sets the
 * number of releases (default 50000), COPYDESK_BENCH_RUNS the runs of
 * each side (default 5).
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdio.h>
#include <string.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "bench-store.h"
#include "bench-util.h"
#include "desk-fts.h"
#include "desk-importer.h"
#include "desk-store.h"

/* The last schema without the copies index. */
#define SCHEMA_WITHOUT_COPIES 10

/* The corpus with one release in five a copy of an earlier one: the
 * same news text under another headline, with a sentence more. */
static GPtrArray *
corpus_with_copies (guint  n,
                    guint *out_copies)
{
  guint n_originals = n - n / 5;
  g_autoptr(GPtrArray) originals = bench_corpus_generate (n_originals, BENCH_SEED, NULL);
  g_autoptr(GRand) rand = g_rand_new_with_seed (BENCH_SEED + 14);
  GPtrArray *texts = g_ptr_array_new_with_free_func (g_free);
  guint next = 0;

  *out_copies = 0;
  while (texts->len < n)
    {
      if (next > 0 && (texts->len % 5 == 4 || next >= n_originals))
        {
          BenchRelease *of = g_ptr_array_index (originals, g_rand_int_range (rand, 0, next));
          const char *body = strchr (of->text, '\n');

          g_ptr_array_add (texts, g_strdup_printf ("%s (%u)%s\n\nThis version was sent again by another wire.\n",
                                                   of->headline, texts->len, body != NULL ? body : ""));
          (*out_copies)++;
        }
      else
        {
          BenchRelease *release = g_ptr_array_index (originals, next++);

          g_ptr_array_add (texts, g_strndup (release->text, release->len));
        }
    }
  return texts;
}

static GPtrArray *
write_inbox (const char *inbox,
             GPtrArray  *texts)
{
  GPtrArray *files = g_ptr_array_new_with_free_func (g_free);

  g_mkdir (inbox, 0700);
  for (guint i = 0; i < texts->len; i++)
    {
      g_autofree char *name = g_strdup_printf ("release-%06u.txt", i);
      char *path = g_build_filename (inbox, name, NULL);
      g_autoptr(GError) error = NULL;

      if (!g_file_set_contents (path, texts->pdata[i], -1, &error))
        g_error ("%s", error->message);
      g_ptr_array_add (files, path);
    }
  return files;
}

static void
check (int         rc,
       sqlite3    *db,
       const char *what)
{
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW)
    g_error ("%s: %s", what, sqlite3_errmsg (db));
}

/* The importer's largest batch (BATCH_MAX_FILES in desk-importer.c; it
 * also commits every half second, which is more often). */
#define BATCH_ROWS 5000

/* Plain SQL writing the rows the core writes for each file, without
 * reading the file as the core does (no zones, language, detection,
 * copies): the store's schema, made by the store as the core side makes
 * it; each file's release row (its first line the headline, its SHA-256
 * the content hash the duplicate check's unique index needs), its FTS5
 * row and its "imported" event; the store's page cache and durability,
 * timed until the rows are in the database file. */
static void
same_rows_import (const char *path,
                  GPtrArray  *files,
                  double     *wall_s,
                  double     *cpu_s)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskStore) store = NULL;
  sqlite3 *db = NULL;
  sqlite3_stmt *row = NULL, *fts = NULL, *event = NULL;
  BenchClock clock;

  bench_clock_start (&clock);
  store = desk_store_open (path, &error);
  g_assert_no_error (error);
  g_clear_object (&store);

  check (sqlite3_open (path, &db), db, "open");
  if (!desk_fts_register (db, NULL))
    g_error ("could not register the tokenizer");
  check (sqlite3_exec (db, "PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;"
                           "PRAGMA cache_size = -32768; PRAGMA wal_autocheckpoint = 8192;",
                       NULL, NULL, NULL), db, "settings");
  check (sqlite3_prepare_v2 (db, "INSERT INTO releases (source, source_path, received_at, content_hash,"
                                 " original, original_headline, headline, status, updated_at)"
                                 " VALUES ('', ?, ?, ?, ?, ?, ?, 'new', ?)", -1, &row, NULL), db, "prepare");
  check (sqlite3_prepare_v2 (db, "INSERT INTO releases_fts (rowid, headline, original, edited) VALUES (?, ?, ?, NULL)",
                             -1, &fts, NULL), db, "prepare");
  check (sqlite3_prepare_v2 (db, "INSERT INTO events (release_id, actor, action, from_status, to_status, note, created_at)"
                                 " VALUES (?, 'Benchmark', 'imported', NULL, 'new', ?, ?)", -1, &event, NULL), db, "prepare");

  for (guint i = 0; i < files->len; i++)
    {
      g_autofree char *text = NULL;
      g_autofree char *hash = NULL;
      const char *file = files->pdata[i];
      const char *nl;
      gint64 now = g_get_real_time ();
      gint64 id;
      gsize len;
      int headline_len;

      if (i % BATCH_ROWS == 0)
        check (sqlite3_exec (db, i > 0 ? "COMMIT; BEGIN" : "BEGIN", NULL, NULL, NULL), db, "begin");
      if (!g_file_get_contents (file, &text, &len, &error))
        g_error ("%s", error->message);
      hash = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) text, len);
      nl = strchr (text, '\n');
      headline_len = nl != NULL ? (int) (nl - text) : (int) len;

      sqlite3_bind_text (row, 1, file, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (row, 2, now);
      sqlite3_bind_text (row, 3, hash, -1, SQLITE_STATIC);
      sqlite3_bind_text (row, 4, text, (int) len, SQLITE_STATIC);
      sqlite3_bind_text (row, 5, text, headline_len, SQLITE_STATIC);
      sqlite3_bind_text (row, 6, text, headline_len, SQLITE_STATIC);
      sqlite3_bind_int64 (row, 7, now);
      check (sqlite3_step (row), db, "insert");
      sqlite3_reset (row);
      id = sqlite3_last_insert_rowid (db);

      sqlite3_bind_int64 (fts, 1, id);
      sqlite3_bind_text (fts, 2, text, headline_len, SQLITE_STATIC);
      sqlite3_bind_text (fts, 3, text, (int) len, SQLITE_STATIC);
      check (sqlite3_step (fts), db, "index");
      sqlite3_reset (fts);

      sqlite3_bind_int64 (event, 1, id);
      sqlite3_bind_text (event, 2, file, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (event, 3, now);
      check (sqlite3_step (event), db, "event");
      sqlite3_reset (event);
    }
  check (sqlite3_exec (db, "COMMIT", NULL, NULL, NULL), db, "commit");
  sqlite3_finalize (row);
  sqlite3_finalize (fts);
  sqlite3_finalize (event);
  sqlite3_close (db);
  bench_store_checkpoint (path);
  bench_clock_stop (&clock, wall_s, cpu_s);
}

/* The core's import of the folder into a new store at @version. */
static void
core_import (const char *path,
             const char *inbox,
             int         version,
             guint       expected,
             double     *wall_s,
             double     *cpu_s,
             gint64     *out_stories)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskStore) store = NULL;
  g_autoptr(DeskImportReport) report = NULL;
  const char *paths[] = { inbox, NULL };
  BenchClock clock;

  bench_clock_start (&clock);
  store = desk_store_open_at_version (path, version, &error);
  g_assert_no_error (error);
  report = desk_import_paths (store, paths, "Benchmark", NULL, NULL, NULL);
  g_clear_object (&store);
  bench_store_checkpoint (path);
  bench_clock_stop (&clock, wall_s, cpu_s);
  if (report->imported != expected)
    g_error ("imported %u of %u", report->imported, expected);

  if (out_stories != NULL)
    {
      store = desk_store_open (path, &error);
      g_assert_no_error (error);
      *out_stories = desk_store_count_releases (store, NULL, &error);
      g_assert_no_error (error);
    }
}

int
main (int    argc,
      char **argv)
{
  const char *n_env = g_getenv ("COPYDESK_BENCH_COPIES_RELEASES");
  const char *runs_env = g_getenv ("COPYDESK_BENCH_RUNS");
  guint n = n_env != NULL ? (guint) g_ascii_strtoull (n_env, NULL, 10) : 50000;
  guint n_runs = runs_env != NULL ? MAX ((guint) g_ascii_strtoull (runs_env, NULL, 10), 1) : 5;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *inbox = NULL;
  g_autofree char *plain_db = NULL, *rows_db = NULL, *bare_db = NULL, *grouped_db = NULL;
  g_autoptr(GPtrArray) texts = NULL;
  g_autoptr(GPtrArray) files = NULL;
  BenchRuns plain_wall, plain_cpu, rows_wall, rows_cpu, bare_wall, bare_cpu, grouped_wall, grouped_cpu;
  g_autofree char *pw = NULL, *pc = NULL, *rw = NULL, *rc = NULL, *bw = NULL, *bc = NULL, *gw = NULL, *gc = NULL;
  guint n_copies = 0;
  gint64 stories = 0;
  double wall_ratio, cpu_ratio, table_wall_ratio, table_cpu_ratio;
  gboolean pinned;

  g_test_init (&argc, &argv, NULL);
  pinned = bench_pin_to_one_core ();

  dir = g_dir_make_tmp ("copydesk-bench-copies-XXXXXX", &error);
  g_assert_no_error (error);
  inbox = g_build_filename (dir, "inbox", NULL);
  plain_db = g_build_filename (dir, "plain.db", NULL);
  rows_db = g_build_filename (dir, "rows.db", NULL);
  bare_db = g_build_filename (dir, "bare.db", NULL);
  grouped_db = g_build_filename (dir, "grouped.db", NULL);

  texts = corpus_with_copies (n, &n_copies);
  files = write_inbox (inbox, texts);
  printf ("# %u releases of the mixed corpus, %u of them copies of an earlier one; %s\n",
          n, n_copies, pinned ? "on one core" : "COULD NOT PIN TO ONE CORE");

  bench_runs_init (&plain_wall);
  bench_runs_init (&plain_cpu);
  bench_runs_init (&rows_wall);
  bench_runs_init (&rows_cpu);
  bench_runs_init (&bare_wall);
  bench_runs_init (&bare_cpu);
  bench_runs_init (&grouped_wall);
  bench_runs_init (&grouped_cpu);
  for (guint r = 0; r < n_runs; r++)
    {
      double wall, cpu;

      bench_store_remove (plain_db);
      bench_store_plain_sql_import (plain_db, files, &wall, &cpu);
      bench_runs_add (&plain_wall, wall);
      bench_runs_add (&plain_cpu, cpu);
      bench_store_remove (plain_db);

      bench_store_remove (rows_db);
      same_rows_import (rows_db, files, &wall, &cpu);
      bench_runs_add (&rows_wall, wall);
      bench_runs_add (&rows_cpu, cpu);
      bench_store_remove (rows_db);

      bench_store_remove (bare_db);
      core_import (bare_db, inbox, SCHEMA_WITHOUT_COPIES, n, &wall, &cpu, NULL);
      bench_runs_add (&bare_wall, wall);
      bench_runs_add (&bare_cpu, cpu);
      bench_store_remove (bare_db);

      bench_store_remove (grouped_db);
      core_import (grouped_db, inbox, DESK_STORE_SCHEMA_VERSION, n, &wall, &cpu, &stories);
      bench_runs_add (&grouped_wall, wall);
      bench_runs_add (&grouped_cpu, cpu);
      bench_store_remove (grouped_db);
    }
  for (guint i = 0; i < files->len; i++)
    g_unlink (files->pdata[i]);
  g_rmdir (inbox);
  g_rmdir (dir);

  pw = bench_runs_format (&plain_wall, "%.2f s");
  pc = bench_runs_format (&plain_cpu, "%.2f s");
  rw = bench_runs_format (&rows_wall, "%.2f s");
  rc = bench_runs_format (&rows_cpu, "%.2f s");
  bw = bench_runs_format (&bare_wall, "%.2f s");
  bc = bench_runs_format (&bare_cpu, "%.2f s");
  gw = bench_runs_format (&grouped_wall, "%.2f s");
  gc = bench_runs_format (&grouped_cpu, "%.2f s");
  wall_ratio = bench_runs_median (&grouped_wall) / bench_runs_median (&rows_wall);
  cpu_ratio = bench_runs_median (&grouped_cpu) / bench_runs_median (&rows_cpu);
  table_wall_ratio = bench_runs_median (&grouped_wall) / bench_runs_median (&plain_wall);
  table_cpu_ratio = bench_runs_median (&grouped_cpu) / bench_runs_median (&plain_cpu);

  printf ("# the queues hold %" G_GINT64_FORMAT " stories for %u releases (%u copies grouped of %u sent)\n",
          stories, n, n - (guint) stories, n_copies);
  printf ("#   plain SQL, one table:      wall %s, CPU %s\n", pw, pc);
  printf ("#   plain SQL, the same rows:  wall %s, CPU %s\n", rw, rc);
  printf ("#   core without grouping:     wall %s, CPU %s (a store at schema %d)\n", bw, bc, SCHEMA_WITHOUT_COPIES);
  printf ("#   core with grouping:        wall %s, CPU %s\n", gw, gc);
  printf ("#   grouping costs the import %+.1f%% CPU, %+.1f%% wall (%.1f µs CPU a release)\n",
          100 * (bench_runs_median (&grouped_cpu) / bench_runs_median (&bare_cpu) - 1),
          100 * (bench_runs_median (&grouped_wall) / bench_runs_median (&bare_wall) - 1),
          1e6 * (bench_runs_median (&grouped_cpu) - bench_runs_median (&bare_cpu)) / n);
  printf ("#   with grouping / plain SQL of the same rows: wall %.2fx, CPU %.2fx (target <= 1.5x in both): %s\n",
          wall_ratio, cpu_ratio, bench_verdict (wall_ratio <= 1.5 && cpu_ratio <= 1.5));
  printf ("#   with grouping / plain SQL, one table:       wall %.2fx, CPU %.2fx\n",
          table_wall_ratio, table_cpu_ratio);

  bench_runs_clear (&plain_wall);
  bench_runs_clear (&plain_cpu);
  bench_runs_clear (&rows_wall);
  bench_runs_clear (&rows_cpu);
  bench_runs_clear (&bare_wall);
  bench_runs_clear (&bare_cpu);
  bench_runs_clear (&grouped_wall);
  bench_runs_clear (&grouped_cpu);

  printf ("1..1\nok 1 /benchmark/copies-grouped-on-import\n");
  return 0;
}
