/* bench-import.c — importing releases of the mixed corpus (bench-util.c)
 *
 * Import is compared, in the same run and on one core, with a baseline
 * doing the least the same job needs: read each file, insert it with plain
 * SQL (one prepared statement, one transaction) into a table indexed by
 * FTS5 with the same tokenizer, the same FTS settings (automerge, hash
 * size), the same page cache and the same durability (WAL, synchronous =
 * NORMAL, checkpointed at the end).  Both sides alternate, five runs each;
 * the medians are compared, in wall time and in CPU time.  Then per
 * language.  (Searching, listing and showing are bench-search's.)
 *
 * It never fails on time, only when something does not work; each figure
 * says its target and whether it is met.
 *
 * COPYDESK_BENCH_RELEASES sets the size of the mixed corpus (default
 * 20000); COPYDESK_BENCH_RUNS the runs of each side (default 5).
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

#include "bench-store.h"
#include "bench-util.h"
#include "desk-fts.h"
#include "desk-importer.h"
#include "desk-store.h"

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
  bench_store_checkpoint (path);
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

      bench_store_remove (plain_db);
      bench_store_plain_sql_import (plain_db, files, &wall, &cpu);
      bench_runs_add (&runs.plain_wall, wall);
      bench_runs_add (&runs.plain_cpu, cpu);
      bench_store_remove (core_db);
      core_import (core_db, inbox, releases->len, &wall, &cpu);
      bench_runs_add (&runs.core_wall, wall);
      bench_runs_add (&runs.core_cpu, cpu);
    }
  bench_store_remove (plain_db);
  if (!keep_core_db)
    bench_store_remove (core_db);
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

int
main (int    argc,
      char **argv)
{
  const char *n_env = g_getenv ("COPYDESK_BENCH_RELEASES");
  const char *runs_env = g_getenv ("COPYDESK_BENCH_RUNS");
  guint n = n_env != NULL ? (guint) g_ascii_strtoull (n_env, NULL, 10) : 20000;
  guint n_runs = runs_env != NULL ? (guint) g_ascii_strtoull (runs_env, NULL, 10) : 5;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *core_db = NULL;
  g_autofree char *description = NULL;
  g_autoptr(GPtrArray) releases = NULL;
  const char *const *languages = bench_corpus_languages ();
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

  bench_store_remove (core_db);
  g_rmdir (dir);

  printf ("1..1\nok 1 /benchmark/import\n");
  return 0;
}
