/* bench-pg.c — a desk copied to PostgreSQL and back, and searched on both
 *
 * The mixed corpus (bench-util.c), COPYDESK_BENCH_PG_RELEASES releases
 * (10,000 unless told), stored in a SQLite desk; copied to a real
 * PostgreSQL 15 (tests/pg-harness.c) and back; then the same words of
 * each language searched on both, each five times, the median reported.
 * No targets yet: the team desk is a foundation (see the README).
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "bench-util.h"
#include "desk-parser.h"
#include "desk-pg-copy.h"
#include "desk-pg-schema.h"
#include "desk-pg-search.h"
#include "desk-store.h"
#include "desk-test-util.h"
#include "pg-harness.h"

static void
fill_store (const char *path,
            guint       n)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskStore) store = desk_store_open (path, &error);
  g_autoptr(GPtrArray) corpus = bench_corpus_generate (n, BENCH_SEED, NULL);

  g_assert_no_error (error);
  for (guint i = 0; i < corpus->len; i++)
    {
      BenchRelease *release = g_ptr_array_index (corpus, i);
      g_autoptr(DeskParsedRelease) parsed = desk_parse_release_text (release->text, NULL);

      if (i % 1000 == 0)
        {
          if (i > 0)
            g_assert_true (desk_store_commit_batch (store, &error));
          g_assert_true (desk_store_begin_batch (store, &error));
        }
      if (parsed != NULL)
        desk_store_add_release (store, parsed, NULL, "Bench", NULL, NULL);
    }
  g_assert_true (desk_store_commit_batch (store, &error));
}

int
main (int    argc,
      char **argv)
{
  const char *env = g_getenv ("COPYDESK_BENCH_PG_RELEASES");
  guint n = env != NULL ? (guint) g_ascii_strtoull (env, NULL, 10) : 10000;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("copydesk-bench-pg-XXXXXX", NULL);
  g_autofree char *from = g_build_filename (dir, "from.db", NULL);
  g_autofree char *back = g_build_filename (dir, "back.db", NULL);
  g_autofree char *address = NULL;
  g_autoptr(DeskStore) store = NULL;
  g_autoptr(DeskPg) pg = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (BENCH_SEED);
  DeskPgHarness *server;
  BenchClock clock;
  double wall, cpu;
  gint64 copied = 0;

  g_setenv ("COPYDESK_SECRETS", "memory", TRUE);
  server = desk_pg_harness_start ();
  address = desk_pg_harness_create_database (server, "bench");

  bench_clock_start (&clock);
  fill_store (from, n);
  bench_clock_stop (&clock, &wall, &cpu);
  printf ("# %u releases stored in SQLite: wall %.2f s\n", n, wall);

  pg = desk_pg_new (address);
  g_assert_true (desk_pg_connect (pg, &error));
  g_assert_true (desk_pg_schema_init (pg, NULL, &error));

  bench_clock_start (&clock);
  g_assert_true (desk_pg_copy_desk (from, address, FALSE, &copied, &error));
  g_assert_no_error (error);
  bench_clock_stop (&clock, &wall, &cpu);
  printf ("# desk copy SQLite → PostgreSQL, %" G_GINT64_FORMAT " releases: wall %.2f s, CPU (ours) %.2f s\n",
          copied, wall, cpu);
  g_assert_true (desk_pg_exec (pg, "ANALYZE", &error));

  bench_clock_start (&clock);
  g_assert_true (desk_pg_copy_desk (address, back, FALSE, &copied, &error));
  g_assert_no_error (error);
  bench_clock_stop (&clock, &wall, &cpu);
  printf ("# desk copy PostgreSQL → SQLite, %" G_GINT64_FORMAT " releases: wall %.2f s, CPU (ours) %.2f s\n",
          copied, wall, cpu);

  store = desk_store_open (from, &error);
  g_assert_no_error (error);
  for (const char * const *language = bench_corpus_languages (); *language != NULL; language++)
    {
      const char *word = bench_corpus_word (rand, *language);
      BenchRuns on_pg, on_sqlite;
      g_autofree char *pg_text = NULL;
      g_autofree char *sqlite_text = NULL;
      guint pg_found = 0, sqlite_found = 0;

      bench_runs_init (&on_pg);
      bench_runs_init (&on_sqlite);
      for (guint run = 0; run < 5; run++)
        {
          DeskQuery query = DESK_QUERY_INIT;
          g_autoptr(GArray) ids = NULL;
          g_autoptr(GPtrArray) found = NULL;

          bench_clock_start (&clock);
          ids = desk_pg_search_ids (pg, word, 50, &error);
          bench_clock_stop (&clock, &wall, &cpu);
          g_assert_no_error (error);
          bench_runs_add (&on_pg, wall * 1000);
          pg_found = ids->len;

          query.search = word;
          query.limit = 50;
          bench_clock_start (&clock);
          found = desk_store_list_releases (store, &query, &error);
          bench_clock_stop (&clock, &wall, &cpu);
          g_assert_no_error (error);
          bench_runs_add (&on_sqlite, wall * 1000);
          sqlite_found = found->len;
        }
      pg_text = bench_runs_format (&on_pg, "%.1f ms");
      sqlite_text = bench_runs_format (&on_sqlite, "%.1f ms");
      printf ("# search “%s” (%s), first 50: PostgreSQL %s, %u found; SQLite %s, %u found\n",
              word, *language, pg_text, pg_found, sqlite_text, sqlite_found);
      bench_runs_clear (&on_pg);
      bench_runs_clear (&on_sqlite);
    }

  g_clear_object (&pg);
  desk_pg_harness_stop (server);
  desk_test_remove_tree (dir);
  printf ("1..1\nok 1 /benchmark/pg\n");
  return 0;
}
