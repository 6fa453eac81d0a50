/* bench-window.c — the window with a desk's store of several years, and
 * the diff on screen
 *
 * Each measurement runs in a fresh process (this program again, with
 * --child), so start-up and resident memory are compared fairly:
 *  - launch to the window's first frame, timed from before the process
 *    is started, the large store against an empty one (target: at most
 *    1.2× and under 1 s);
 *  - resident memory after the same work in each store — a release
 *    selected, the list scrolled to its end, a search — the large store
 *    against one of 1,000 releases (target: at most 1.2×);
 *  - selecting a typical 800-word release with an edited copy and
 *    highlighting its diff (target: under 16 ms).
 * Figures are printed; it fails only if something does not work.
 *
 * The large store is bench-search's: the mixed corpus (bench-util.c) with
 * real-sized texts and a full search index, imported through the core, of
 * COPYDESK_BENCH_WINDOW_RELEASES releases (default 500,000: a million
 * took too long to build for CI on two cores), kept under
 * COPYDESK_BENCH_CACHE_DIR when that is set.  The store of 1,000 is the
 * same corpus.
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <adwaita.h>

#include "bench-store.h"
#include "desk-detector.h"
#include "desk-release-list.h"
#include "desk-window.h"
#include "desk-window-private.h"

static gboolean painted;

static void
after_paint (GdkFrameClock *clock,
             gpointer       user_data)
{
  painted = TRUE;
}

static void
window_realized (GtkWidget *widget)
{
  g_signal_connect (gtk_widget_get_frame_clock (widget), "after-paint", G_CALLBACK (after_paint), NULL);
}

static long
resident_kb (void)
{
  g_autofree char *statm = NULL;
  long pages = 0;
  long resident = 0;

  if (g_file_get_contents ("/proc/self/statm", &statm, NULL, NULL))
    sscanf (statm, "%ld %ld", &pages, &resident);
  return resident * (sysconf (_SC_PAGESIZE) / 1024);
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return x < y ? -1 : x > y;
}

/* In a child: open the window on @path, report the first frame, memory, and
 * (when @select_id > 0) how long selecting that release takes. */
/* Lets the window do what it has queued (rows, counts) for a while. */
static void
settle (guint ms)
{
  gint64 until = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, FALSE);
}

/* The work every store gets before its memory is read: a release
 * selected, the list scrolled to its very end, a search. */
static void
same_work (DeskWindow *window,
           gint64      select_id)
{
  GtkWidget *scroller = gtk_widget_get_parent (GTK_WIDGET (_desk_window_get_list_view (window)));
  GtkAdjustment *adjustment = GTK_IS_SCROLLED_WINDOW (scroller)
                              ? gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller)) : NULL;

  desk_window_show_release (window, select_id);
  settle (200);
  g_assert_nonnull (adjustment);
  /* The list view learns its height as it goes: to the end until it
   * stays there. */
  for (guint i = 0; i < 200; i++)
    {
      double end = gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment);

      if (i > 0 && gtk_adjustment_get_value (adjustment) >= end)
        break;
      gtk_adjustment_set_value (adjustment, end);
      settle (20);
    }
  desk_release_list_set_search (desk_window_get_releases (window), "pertumbuhan");
  settle (500);
}

static int
child (const char *path,
       gint64      select_id,
       gint64      other_id,
       gint64      work_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskStore) store = NULL;
  DeskWindow *window;
  gint64 start;
  double first_frame_ms;
  double select_ms = 0;
  gint64 launched_at;

  gtk_init ();
  adw_init ();

  start = g_get_monotonic_time ();
  store = desk_store_open (path, &error);
  g_assert_no_error (error);
  if (g_getenv ("COPYDESK_BENCH_TRACE"))
    g_printerr ("store open %.1f ms\n", (g_get_monotonic_time () - start) / 1e3);
  window = desk_window_new (NULL, store);
  if (g_getenv ("COPYDESK_BENCH_TRACE"))
    g_printerr ("window new %.1f ms\n", (g_get_monotonic_time () - start) / 1e3);
  g_signal_connect (window, "realize", G_CALLBACK (window_realized), NULL);
  gtk_window_present (GTK_WINDOW (window));
  while (!painted)
    g_main_context_iteration (NULL, TRUE);
  first_frame_ms = (g_get_monotonic_time () - start) / 1e3;
  /* The clock is the machine's: the parent takes the launch from it. */
  launched_at = g_get_monotonic_time ();

  /* Let the counts and the rows on screen settle. */
  {
    gint64 until = g_get_monotonic_time () + 500 * 1000;
    while (g_get_monotonic_time () < until)
      g_main_context_iteration (NULL, FALSE);
  }

  if (select_id > 0)
    {
      double runs[11];

      for (guint i = 0; i < G_N_ELEMENTS (runs); i++)
        {
          gint64 t = g_get_monotonic_time ();

          desk_window_show_release (window, (i % 2 == 0) ? select_id : other_id);
          runs[i] = (g_get_monotonic_time () - t) / 1e3;
          while (g_main_context_iteration (NULL, FALSE))
            ;
        }
      qsort (runs, G_N_ELEMENTS (runs), sizeof (double), compare_doubles);
      select_ms = runs[G_N_ELEMENTS (runs) / 2];
    }

  if (work_id > 0)
    same_work (window, work_id);

  printf ("%.3f %ld %.3f %" G_GINT64_FORMAT "\n", first_frame_ms, resident_kb (), select_ms, launched_at);
  gtk_window_destroy (GTK_WINDOW (window));
  return 0;
}

/* An 800-word release, and an edited copy with about 2% of words changed. */
static gint64
add_typical_release (const char *path,
                     guint       seed_number)
{
  g_autofree char *seed_path = g_test_build_filename (G_TEST_DIST, "..", "fixtures", "seaprwire-id-moskow-konfirmasi.txt", NULL);
  g_autofree char *seed = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed_number);
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskStore) store = desk_store_open (path, &error);
  g_autoptr(DeskParsedRelease) parsed = NULL;
  g_auto(GStrv) words = NULL;
  GString *original = g_string_new (NULL);
  GString *edited = g_string_new (NULL);
  gint64 id;
  guint n_words;

  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (seed_path, &seed, NULL, NULL));
  words = g_strsplit_set (seed, " \n", -1);
  n_words = g_strv_length (words);

  g_string_append_printf (original, "Rilis khas nomor %u tentang pembicaraan Rusia-AS\n", seed_number);
  for (guint i = 0; i < 800; i++)
    {
      const char *word = words[g_rand_int_range (rand, 0, n_words)];
      const char *sep = (i + 1) % 60 == 0 ? "\n" : " ";

      if (*word == '\0')
        word = "kata";
      g_string_append_printf (original, "%s%s", word, sep);
      if (g_rand_int_range (rand, 0, 100) < 2)
        g_string_append_printf (edited, "%s%s", "diganti", sep);
      else
        g_string_append_printf (edited, "%s%s", word, sep);
    }

  parsed = desk_parse_release_text (original->str, &error);
  g_assert_no_error (error);
  id = desk_store_add_release (store, parsed, NULL, "Benchmark", NULL, &error);
  g_assert_no_error (error);
  {
    GString *full = g_string_new (NULL);

    g_string_append_printf (full, "Rilis khas nomor %u tentang pembicaraan Rusia-AS\n%s", seed_number, edited->str);
    g_assert_true (desk_store_save_revision (store, id, NULL, full->str, "Benchmark", NULL, &error));
    g_string_free (full, TRUE);
  }
  g_string_free (original, TRUE);
  g_string_free (edited, TRUE);
  return id;
}

typedef struct {
  double first_frame_ms;
  double launch_ms;
  long   rss_kb;
  double select_ms;
} Figures;

static Figures
run_child (const char *self_path,
           const char *db,
           gint64      select_id,
           gint64      other_id,
           gint64      work_id)
{
  g_autofree char *select = g_strdup_printf ("%" G_GINT64_FORMAT, select_id);
  g_autofree char *other = g_strdup_printf ("%" G_GINT64_FORMAT, other_id);
  g_autofree char *work = g_strdup_printf ("%" G_GINT64_FORMAT, work_id);
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autofree char *out = NULL;
  Figures figures = { 0 };
  gint64 launched_at = 0;
  gint64 start = g_get_monotonic_time ();

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                              self_path, "--child", db, select, other, work, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_successful (process));
  g_assert_cmpint (sscanf (out, "%lf %ld %lf %" G_GINT64_FORMAT, &figures.first_frame_ms, &figures.rss_kb,
                           &figures.select_ms, &launched_at), ==, 4);
  figures.launch_ms = (launched_at - start) / 1e3;
  return figures;
}

/* The better of two runs: on a shared machine one can be off. */
static Figures
measure (const char *self_path,
         const char *db,
         gint64      select_id,
         gint64      other_id,
         gint64      work_id)
{
  Figures a = run_child (self_path, db, select_id, other_id, work_id);
  Figures b = run_child (self_path, db, select_id, other_id, work_id);

  a.first_frame_ms = MIN (a.first_frame_ms, b.first_frame_ms);
  a.launch_ms = MIN (a.launch_ms, b.launch_ms);
  a.rss_kb = MIN (a.rss_kb, b.rss_kb);
  a.select_ms = MIN (a.select_ms, b.select_ms);
  return a;
}

static const char *
verdict (gboolean met)
{
  return met ? "target met" : "TARGET MISSED";
}

static void
remove_db (const char *path)
{
  const char *suffixes[] = { "", "-wal", "-shm" };

  for (gsize i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);
      g_unlink (file);
    }
}

int
main (int    argc,
      char **argv)
{
  const char *n_env = g_getenv ("COPYDESK_BENCH_WINDOW_RELEASES");
  const char *cache_dir = g_getenv ("COPYDESK_BENCH_CACHE_DIR");
  guint million = n_env != NULL ? (guint) g_ascii_strtoull (n_env, NULL, 10) : 500000;
  g_autofree char *large_name = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *empty_db = NULL;
  g_autofree char *small_db = NULL;
  g_autofree char *large_db = NULL;
  g_autofree char *self_path = NULL;
  Figures empty, small, large;
  g_autoptr(DeskStore) empty_store = NULL;
  gint64 typical, other;
  double frame_ratio, rss_ratio;

  if (argc == 6 && g_str_equal (argv[1], "--child"))
    return child (argv[2], g_ascii_strtoll (argv[3], NULL, 10), g_ascii_strtoll (argv[4], NULL, 10),
                  g_ascii_strtoll (argv[5], NULL, 10));

  g_test_init (&argc, &argv, NULL);
  if (g_getenv ("DISPLAY") == NULL)
    {
      printf ("1..0 # SKIP needs a display (run under xvfb-run)\n");
      return 0;
    }

  self_path = g_canonicalize_filename (argv[0], NULL);
  dir = g_dir_make_tmp ("copydesk-bench-window-XXXXXX", &error);
  g_assert_no_error (error);
  empty_db = g_build_filename (dir, "empty.db", NULL);
  small_db = g_build_filename (dir, "thousand.db", NULL);
  /* bench-search's store, when it has built one. */
  large_name = g_strdup_printf ("bench-search-%u.db", million);
  large_db = g_build_filename (cache_dir != NULL ? cache_dir : dir, large_name, NULL);

  g_clear_object (&empty_store);
  empty_store = desk_store_open (empty_db, &error);
  g_assert_no_error (error);
  g_clear_object (&empty_store);
  bench_store_build (dir, small_db, 1000);
  typical = add_typical_release (small_db, 1);
  other = add_typical_release (small_db, 2);
  {
    gint64 t = g_get_monotonic_time ();
    bench_store_build (dir, large_db, million);
    printf ("# the store of %u releases of the mixed corpus ready in %.1f s\n", million, (g_get_monotonic_time () - t) / 1e6);
  }

  empty = measure (self_path, empty_db, 0, 0, 0);
  small = measure (self_path, small_db, typical, other, 500);
  large = measure (self_path, large_db, 0, 0, million / 2);

  frame_ratio = large.launch_ms / empty.launch_ms;
  rss_ratio = (double) large.rss_kb / small.rss_kb;
  printf ("# launch to the first frame (wall): empty store %.1f ms, 1000 releases %.1f ms, %u releases %.1f ms"
          " (of it after gtk_init: %.1f / %.1f / %.1f ms)\n",
          empty.launch_ms, small.launch_ms, million, large.launch_ms,
          empty.first_frame_ms, small.first_frame_ms, large.first_frame_ms);
  printf ("# launch to the first frame, %u releases against an empty store: %.2fx (target <= 1.2x and < 1 s): %s\n",
          million, frame_ratio, verdict (frame_ratio <= 1.2 && large.launch_ms < 1000));
  printf ("# resident memory after selecting a release, scrolling to the end and a search: 1000 releases %.1f MB,"
          " %u releases %.1f MB: %.2fx (target <= 1.2x): %s\n",
          small.rss_kb / 1024.0, million, large.rss_kb / 1024.0, rss_ratio, verdict (rss_ratio <= 1.2));
  printf ("# selecting an 800-word release and highlighting its diff: %.2f ms (target < 16 ms): %s\n",
          small.select_ms, verdict (small.select_ms < 16));

  /* COPYDESK_BENCH_KEEP keeps the stores, to look at them afterwards. */
  if (g_getenv ("COPYDESK_BENCH_KEEP") == NULL)
    {
      remove_db (empty_db);
      remove_db (small_db);
      if (cache_dir == NULL)
        remove_db (large_db);
      g_rmdir (dir);
    }
  else
    printf ("# stores kept in %s\n", dir);

  printf ("1..1\nok 1 /benchmark/window\n");
  return 0;
}
