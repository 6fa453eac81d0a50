/* bench-import.c — importing, searching, listing and showing releases of
 * the mixed corpus (bench-util.c)
 *
 * Import is compared, in the same run and on one core, with a baseline
 * doing the least the same job needs: read each file, insert it with plain
 * SQL (one prepared statement, one transaction) into a table indexed by
 * FTS5 with the same tokenizer, the same FTS settings (automerge, hash
 * size), the same page cache and the same durability (WAL, synchronous =
 * NORMAL, checkpointed at the end).  Both sides alternate, five runs each;
 * the medians are compared, in wall time and in CPU time.  Then per
 * language.  Then the store the mixed import made is searched (Latin, CJK
 * and Thai, the first query after opening it timed on its own), listed
 * with copydesk-cli (time to the first line, the whole list, its memory
 * against a tenth of the list) and a release of 125 KB to 1 MB is shown.
 *
 * It never fails on time, only when something does not work; each figure
 * says its target and whether it is met.
 *
 * COPYDESK_BENCH_RELEASES sets the size of the mixed corpus (default
 * 20000); COPYDESK_BENCH_RUNS the runs of each side (default 5);
 * COPYDESK_BENCH_SEARCH_RELEASES the size of the store searched, listed
 * and shown (default 500000: the mixed import's store is grown to it).
 * `bench-import --write-corpus DIR N` writes N releases of the corpus as
 * files into DIR and does nothing else.
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdio.h>
#include <string.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "bench-util.h"
#include "desk-fts.h"
#include "desk-importer.h"
#include "desk-store.h"

static void
check (int         rc,
       sqlite3    *db,
       const char *what)
{
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW)
    g_error ("%s: %s", what, sqlite3_errmsg (db));
}

static void
remove_database (const char *path)
{
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);

  g_unlink (path);
  g_unlink (wal);
  g_unlink (shm);
}

static void
checkpoint (const char *path)
{
  sqlite3 *db = NULL;

  sqlite3_open (path, &db);
  sqlite3_exec (db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL);
  sqlite3_close (db);
}

/* The baseline: every file read, then plain SQL into the store's FTS
 * settings and durability. */
static void
plain_sql_import (const char *path,
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
  checkpoint (path);
  bench_clock_stop (&clock, wall_s, cpu_s);
}

/* Writes the releases as files, as they would arrive in an inbox folder. */
static GPtrArray *
write_inbox (const char *inbox,
             GPtrArray  *releases)
{
  GPtrArray *files = g_ptr_array_new_with_free_func (g_free);

  g_mkdir (inbox, 0700);
  for (guint i = 0; i < releases->len; i++)
    {
      BenchRelease *release = g_ptr_array_index (releases, i);
      g_autofree char *name = g_strdup_printf ("release-%06u.txt", i);
      char *path = g_build_filename (inbox, name, NULL);
      g_autoptr(GError) error = NULL;

      if (!g_file_set_contents (path, release->text, release->len, &error))
        g_error ("%s", error->message);
      g_ptr_array_add (files, path);
    }
  return files;
}

static void
remove_inbox (const char *inbox,
              GPtrArray  *files)
{
  for (guint i = 0; i < files->len; i++)
    g_unlink (files->pdata[i]);
  g_rmdir (inbox);
}

/* The import an editor runs on a folder: read, parse, detect the
 * language, the zones and the sponsor, store and index every file. */
static void
core_import (const char *path,
             const char *inbox,
             guint       expected,
             double     *wall_s,
             double     *cpu_s)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskStore) store = NULL;
  g_autoptr(DeskImportReport) report = NULL;
  const char *paths[] = { inbox, NULL };
  BenchClock clock;

  bench_clock_start (&clock);
  store = desk_store_open (path, &error);
  g_assert_no_error (error);
  report = desk_import_paths (store, paths, "Benchmark", NULL, NULL, NULL);
  g_clear_object (&store);
  checkpoint (path);
  bench_clock_stop (&clock, wall_s, cpu_s);
  if (report->imported != expected)
    g_error ("imported %u of %u (first failure: %s)", report->imported, expected,
             report->failed ? ((DeskImportItem *) report->items->pdata[0])->message : "none");
}

typedef struct {
  BenchRuns core_wall, core_cpu, plain_wall, plain_cpu;
} ImportRuns;

/* Five runs of each side, alternating; TRUE when the core's medians are
 * within 1.3x the baseline's in wall and in CPU time. */
static gboolean
compare_import (const char *dir,
                const char *what,
                GPtrArray  *releases,
                guint       n_runs,
                gboolean    keep_core_db)
{
  g_autofree char *inbox = g_build_filename (dir, "inbox", NULL);
  g_autofree char *core_db = g_build_filename (dir, "core.db", NULL);
  g_autofree char *plain_db = g_build_filename (dir, "plain.db", NULL);
  g_autoptr(GPtrArray) files = write_inbox (inbox, releases);
  g_autofree char *core_wall = NULL, *core_cpu = NULL, *plain_wall = NULL, *plain_cpu = NULL;
  ImportRuns runs;
  double wall_ratio, cpu_ratio;
  gboolean met;

  bench_runs_init (&runs.core_wall);
  bench_runs_init (&runs.core_cpu);
  bench_runs_init (&runs.plain_wall);
  bench_runs_init (&runs.plain_cpu);
  for (guint r = 0; r < n_runs; r++)
    {
      double wall, cpu;

      remove_database (plain_db);
      plain_sql_import (plain_db, files, &wall, &cpu);
      bench_runs_add (&runs.plain_wall, wall);
      bench_runs_add (&runs.plain_cpu, cpu);
      remove_database (core_db);
      core_import (core_db, inbox, releases->len, &wall, &cpu);
      bench_runs_add (&runs.core_wall, wall);
      bench_runs_add (&runs.core_cpu, cpu);
    }
  remove_database (plain_db);
  if (!keep_core_db)
    remove_database (core_db);
  remove_inbox (inbox, files);

  core_wall = bench_runs_format (&runs.core_wall, "%.2f s");
  core_cpu = bench_runs_format (&runs.core_cpu, "%.2f s");
  plain_wall = bench_runs_format (&runs.plain_wall, "%.2f s");
  plain_cpu = bench_runs_format (&runs.plain_cpu, "%.2f s");
  wall_ratio = bench_runs_median (&runs.core_wall) / bench_runs_median (&runs.plain_wall);
  cpu_ratio = bench_runs_median (&runs.core_cpu) / bench_runs_median (&runs.plain_cpu);
  met = wall_ratio <= 1.3 && cpu_ratio <= 1.3;

  printf ("# import %s, %u releases: core %.0f releases/s\n", what, releases->len,
          releases->len / bench_runs_median (&runs.core_wall));
  printf ("#   core:     wall %s, CPU %s\n", core_wall, core_cpu);
  printf ("#   baseline: wall %s, CPU %s\n", plain_wall, plain_cpu);
  printf ("#   core / baseline: wall %.2fx, CPU %.2fx (target <= 1.3x in both): %s\n",
          wall_ratio, cpu_ratio, bench_verdict (met));

  bench_runs_clear (&runs.core_wall);
  bench_runs_clear (&runs.core_cpu);
  bench_runs_clear (&runs.plain_wall);
  bench_runs_clear (&runs.plain_cpu);
  return met;
}

/* More releases of the corpus imported into @db_path, 20,000 at a time,
 * until it holds @target. */
static void
grow_store (const char *dir,
            const char *db_path,
            guint       have,
            guint       target)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskStore) store = desk_store_open (db_path, &error);
  g_autofree char *inbox = g_build_filename (dir, "more", NULL);
  const char *paths[] = { inbox, NULL };
  gint64 start = g_get_monotonic_time ();

  g_assert_no_error (error);
  if (have >= target)
    return;
  for (guint first = have; first < target; first += 20000)
    {
      guint chunk = MIN (20000, target - first);
      g_autoptr(GPtrArray) more = bench_corpus_generate_from (first, chunk, BENCH_SEED + first, NULL);
      g_autoptr(GPtrArray) files = write_inbox (inbox, more);
      g_autoptr(DeskImportReport) report = desk_import_paths (store, paths, "Benchmark", NULL, NULL, NULL);

      remove_inbox (inbox, files);
      if (report->imported != chunk)
        g_error ("imported %u of %u", report->imported, chunk);
    }
  g_clear_object (&store);
  checkpoint (db_path);
  printf ("# the store grown to %u releases of the same corpus for searching and listing (%.0f s)\n",
          target, (g_get_monotonic_time () - start) / 1e6);
}

/* A first page of 50, as the window asks: the first query on a store just
 * opened on its own, then the median of seven more. */
static void
time_search (const char *db_path,
             const char *script,
             const char *words,
             double     *out_worst)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskStore) store = desk_store_open (db_path, &error);
  g_autofree char *runs_text = NULL;
  DeskQuery query = DESK_QUERY_INIT;
  BenchRuns runs;
  double first_ms = 0;
  guint found = 0;

  g_assert_no_error (error);
  bench_runs_init (&runs);
  query.search = words;
  query.limit = 50;
  for (guint r = 0; r < 8; r++)
    {
      gint64 start = g_get_monotonic_time ();
      g_autoptr(GPtrArray) page = desk_store_list_releases (store, &query, &error);
      double ms = (g_get_monotonic_time () - start) / 1e3;

      g_assert_no_error (error);
      found = page->len;
      if (r == 0)
        first_ms = ms;
      else
        bench_runs_add (&runs, ms);
    }
  runs_text = bench_runs_format (&runs, "%.2f ms");
  printf ("# search %-5s “%s”: first after opening %.2f ms, then %s; %u on the first page\n",
          script, words, first_ms, runs_text, found);
  g_assert_cmpuint (found, >, 0);
  *out_worst = MAX (*out_worst, MAX (first_ms, bench_runs_max (&runs)));
  bench_runs_clear (&runs);
}

/* `copydesk-cli list` read through a pipe: when its first line comes, and
 * how many lines in all. */
static double
time_to_first_line (const char *db_path,
                    guint      *out_lines)
{
  const char *cli = g_getenv ("COPYDESK_CLI");
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) process = NULL;
  GInputStream *out;
  char buffer[65536];
  gint64 start = g_get_monotonic_time ();
  double first = -1;
  gssize n;

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, cli, "list", "--database", db_path, NULL);
  g_assert_no_error (error);
  out = g_subprocess_get_stdout_pipe (process);
  *out_lines = 0;
  while ((n = g_input_stream_read (out, buffer, sizeof buffer, NULL, &error)) > 0)
    {
      const char *nl = memchr (buffer, '\n', n);

      if (nl != NULL && first < 0)
        first = (g_get_monotonic_time () - start) / 1e6;
      for (const char *p = buffer; (p = memchr (p, '\n', buffer + n - p)) != NULL; p++)
        (*out_lines)++;
    }
  g_assert_no_error (error);
  g_subprocess_wait_check (process, NULL, &error);
  g_assert_no_error (error);
  return first;
}

static void
bench_list (const char *dir,
            const char *db_path,
            guint       n)
{
  const char *cli = g_getenv ("COPYDESK_CLI");
  g_autofree char *out_path = g_build_filename (dir, "list.txt", NULL);
  g_autofree char *tenth = g_strdup_printf ("%u", MAX (n / 10, 1));
  const char *all_argv[] = { cli, "list", "--database", db_path, NULL };
  const char *tenth_argv[] = { cli, "list", "--database", db_path, "--limit", tenth, NULL };
  g_autofree char *wall_text = NULL, *cpu_text = NULL;
  BenchRuns wall_runs, cpu_runs;
  gsize rss_all = 0, rss_tenth = 0;
  double first, wall, cpu, per_500k;
  g_autofree char *contents = NULL;
  guint lines = 0;

  g_assert_nonnull (cli);
  bench_runs_init (&wall_runs);
  bench_runs_init (&cpu_runs);
  for (guint r = 0; r < 5; r++)
    {
      bench_run_process (all_argv, out_path, &wall, &cpu, &rss_all);
      bench_runs_add (&wall_runs, wall);
      bench_runs_add (&cpu_runs, cpu);
    }
  bench_run_process (tenth_argv, NULL, NULL, NULL, &rss_tenth);
  g_file_get_contents (out_path, &contents, NULL, NULL);
  for (const char *p = contents; (p = strchr (p, '\n')) != NULL; p++)
    lines++;
  g_assert_cmpuint (lines, ==, n);
  g_unlink (out_path);

  first = time_to_first_line (db_path, &lines);
  g_assert_cmpuint (lines, ==, n);

  wall_text = bench_runs_format (&wall_runs, "%.3f s");
  cpu_text = bench_runs_format (&cpu_runs, "%.3f s");
  per_500k = bench_runs_median (&wall_runs) * 500000.0 / n;
  printf ("# copydesk-cli list of %u releases: wall %s, CPU %s\n", n, wall_text, cpu_text);
  printf ("#   at 500k releases that is %.2f s of wall time (target < 1 s): %s\n",
          per_500k, bench_verdict (per_500k < 1.0));
  printf ("#   first line after %.3f s (target < 0.1 s): %s\n", first, bench_verdict (first < 0.1));
  printf ("#   peak memory: %zu KiB for all, %zu KiB for a tenth: %.2fx (target <= 1.2x, constant): %s\n",
          rss_all, rss_tenth, (double) rss_all / rss_tenth, bench_verdict (rss_all <= 1.2 * rss_tenth));
  bench_runs_clear (&wall_runs);
  bench_runs_clear (&cpu_runs);
}

/* Releases of 125 KB to 1 MB, imported, then shown by copydesk-cli: each
 * size should cost about twice the one before, and 1 MB < 100 ms. */
static void
bench_show (const char *dir,
            const char *db_path)
{
  const char *cli = g_getenv ("COPYDESK_CLI");
  g_autoptr(GRand) rand = g_rand_new_with_seed (BENCH_SEED);
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskStore) store = desk_store_open (db_path, &error);
  double last_ms = 0;

  g_assert_no_error (error);
  for (guint kb = 125; kb <= 1000; kb *= 2)
    {
      g_autofree char *body = bench_corpus_words (rand, "id", kb * 1000 / 7);
      g_autofree char *text = g_strdup_printf ("Rilis panjang %u KB\n\n(SeaPRwire) – JAKARTA, 7 Des 2026 – %s\n"
                                               "Sektor: Bisnis, Keuangan\n\nThe article is provided by a "
                                               "third-party content provider.\n", kb, body);
      g_autofree char *name = g_strdup_printf ("long-%u.txt", kb);
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autoptr(DeskImportItem) item = NULL;
      g_autofree char *id = NULL;
      g_autofree char *runs_text = NULL;
      BenchRuns runs;

      if (!g_file_set_contents (path, text, -1, &error))
        g_error ("%s", error->message);
      item = desk_import_file (store, path, "Benchmark");
      g_unlink (path);
      if (item->release_id <= 0)
        g_error ("%s: %s", path, item->message);
      id = g_strdup_printf ("%" G_GINT64_FORMAT, item->release_id);

      bench_runs_init (&runs);
      for (guint r = 0; r < 5; r++)
        {
          const char *argv[] = { cli, "show", "--database", db_path, id, NULL };
          double wall;

          bench_run_process (argv, NULL, &wall, NULL, NULL);
          bench_runs_add (&runs, wall * 1e3);
        }
      runs_text = bench_runs_format (&runs, "%.1f ms");
      printf ("# copydesk-cli show of a %u KB release (%zu KB): wall %s%s", kb, strlen (text) / 1024, runs_text,
              last_ms > 0 ? "" : "\n");
      if (last_ms > 0)
        printf (", %.2fx the half size (linear: about 2x)\n", bench_runs_median (&runs) / last_ms);
      if (kb * 2 > 1000)
        printf ("#   1 MB shown in %.1f ms (target < 100 ms): %s\n", bench_runs_median (&runs),
                bench_verdict (bench_runs_median (&runs) < 100));
      last_ms = bench_runs_median (&runs);
      bench_runs_clear (&runs);
    }
}

int
main (int    argc,
      char **argv)
{
  const char *n_env = g_getenv ("COPYDESK_BENCH_RELEASES");
  const char *runs_env = g_getenv ("COPYDESK_BENCH_RUNS");
  guint n = n_env != NULL ? (guint) g_ascii_strtoull (n_env, NULL, 10) : 20000;
  guint n_runs = runs_env != NULL ? (guint) g_ascii_strtoull (runs_env, NULL, 10) : 5;
  const char *search_env = g_getenv ("COPYDESK_BENCH_SEARCH_RELEASES");
  guint search_n = search_env != NULL ? (guint) g_ascii_strtoull (search_env, NULL, 10) : 500000;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *core_db = NULL;
  g_autofree char *description = NULL;
  g_autoptr(GPtrArray) releases = NULL;
  const char *const *languages = bench_corpus_languages ();
  double worst_search = 0;
  g_autofree char *unique = NULL;
  gboolean pinned;

  /* bench-import --write-corpus DIR N: the corpus as files, to look at or
   * to import by hand. */
  if (argc == 4 && g_str_equal (argv[1], "--write-corpus"))
    {
      g_autoptr(GPtrArray) corpus = bench_corpus_generate ((guint) g_ascii_strtoull (argv[3], NULL, 10), BENCH_SEED, NULL);
      g_autoptr(GPtrArray) files = write_inbox (argv[2], corpus);

      return 0;
    }

  g_test_init (&argc, &argv, NULL);
  pinned = bench_pin_to_one_core ();

  dir = g_dir_make_tmp ("copydesk-bench-XXXXXX", &error);
  g_assert_no_error (error);
  core_db = g_build_filename (dir, "core.db", NULL);

  releases = bench_corpus_generate (n, BENCH_SEED, NULL);
  description = bench_corpus_describe (releases);
  printf ("# mixed corpus: %s\n", description);
  printf ("# %s; wall and CPU time (user + system, every thread) of the same runs\n",
          pinned ? "on one core" : "COULD NOT PIN TO ONE CORE");

  compare_import (dir, "of the mixed corpus", releases, n_runs, TRUE);
  for (guint l = 0; languages[l] != NULL; l++)
    {
      g_autoptr(GPtrArray) one = bench_corpus_generate (MAX (n / 10, 1), BENCH_SEED + l + 1, languages[l]);
      g_autofree char *sub = g_build_filename (dir, languages[l], NULL);
      g_autofree char *what = g_strdup_printf ("of %s only", languages[l]);

      g_mkdir (sub, 0700);
      compare_import (sub, what, one, n_runs, FALSE);
      g_rmdir (sub);
    }

  /* Searching and listing are measured at the size of a desk's store after
   * a few years: the mixed import's store grown, in chunks, to
   * COPYDESK_BENCH_SEARCH_RELEASES (default 500,000). */
  unique = g_strdup_printf ("Ref. %u-%s", n / 2, ((BenchRelease *) releases->pdata[n / 2])->language);
  grow_store (dir, core_db, n, search_n);
  n = search_n;

  /* Searches on the store of the mixed corpus. */
  time_search (core_db, "Latin", "pertumbuhan", &worst_search);
  time_search (core_db, "Latin", "global platform", &worst_search);
  time_search (core_db, "Latin", "Unternehmen", &worst_search);
  time_search (core_db, "Latin", unique, &worst_search);
  time_search (core_db, "CJK", "市场", &worst_search);
  time_search (core_db, "CJK", "技术合作", &worst_search);
  time_search (core_db, "CJK", "株式会社", &worst_search);
  time_search (core_db, "Thai", "เทคโนโลยี", &worst_search);
  time_search (core_db, "Thai", "การลงทุน", &worst_search);
  printf ("# slowest first page of a search at %u releases: %.2f ms (target < 20 ms): %s\n",
          n, worst_search, bench_verdict (worst_search < 20));

  bench_list (dir, core_db, n);
  bench_show (dir, core_db);

  remove_database (core_db);
  g_rmdir (dir);

  printf ("1..1\nok 1 /benchmark/import-search-list-show\n");
  return 0;
}
