/* bench-diff.c — the word diff, whole process against whole process
 *
 * Pairs of texts from the corpus's words (bench-util.c), in paragraphs of
 * 20 to 60 words, the second with 2% of its words changed, inserted or
 * deleted at random places all through the text, so that nearly every
 * paragraph is touched (the hard case for a diff that compares paragraphs
 * first).  bench-diff-words (the core's desk_diff_words() in a program of
 * its own, printing every span) and `git diff --no-index
 * --word-diff=porcelain` each run as a whole process on the same files,
 * five times, alternating; medians with min–max, wall and CPU time.
 * Also Thai (no spaces: ICU's dictionary cuts the words), and pairs with
 * whole paragraphs edited (one in ten rewritten, one taken out, one put
 * in) instead of words all through.  Then
 * a pathological pair (two unrelated texts: the cost bound), and the diff
 * the window redoes on a keystroke in a 1 MB release, in process.
 *
 * It never fails on time, only when something does not work (the spans
 * do not rebuild both texts, git cannot run); each figure says its target
 * and whether it is met.
 *
 * `bench-diff --write-pairs DIR` writes the pairs it compares with git as
 * files (NN-what.old, NN-what.new) into DIR and does nothing else: to
 * profile bench-diff-words on them, or to see that a change of the diff
 * leaves its output as it was.
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gio/gio.h>
#include <glib/gstdio.h>

#include "bench-util.h"
#include "desk-diff.h"

#define N_RUNS 5
#define N_INPROCESS_RUNS 11

/* Words in paragraphs of 20 to 60; a NULL in the list ends a paragraph. */
static GPtrArray *
generate_words (GRand      *rand,
                const char *language,
                guint       n_words)
{
  GPtrArray *words = g_ptr_array_new ();
  guint left_in_paragraph = 0;

  for (guint i = 0; i < n_words; i++)
    {
      if (left_in_paragraph == 0)
        {
          if (i > 0)
            g_ptr_array_add (words, NULL);
          left_in_paragraph = g_rand_int_range (rand, 20, 61);
        }
      g_ptr_array_add (words, (gpointer) bench_corpus_word (rand, language));
      left_in_paragraph--;
    }
  return words;
}

/* Changes, inserts or deletes @per_mille of the words, at random places. */
static GPtrArray *
edit_words (GRand      *rand,
            const char *language,
            GPtrArray  *words,
            guint       n_edits)
{
  GPtrArray *edited = g_ptr_array_copy (words, NULL, NULL);

  for (guint e = 0; e < n_edits; e++)
    {
      guint at = g_rand_int_range (rand, 0, edited->len);
      const char *word = bench_corpus_word (rand, language);

      if (edited->pdata[at] == NULL)
        {
          e--;
          continue;
        }
      switch (g_rand_int_range (rand, 0, 3))
        {
        case 0:
          if (g_str_equal (edited->pdata[at], word))
            e--;
          edited->pdata[at] = (gpointer) word;
          break;
        case 1:
          g_ptr_array_insert (edited, at, (gpointer) word);
          break;
        default:
          g_ptr_array_remove_index (edited, at);
          break;
        }
    }
  return edited;
}

/* Paragraph edits, as a desk makes them: one paragraph in @every_nth
 * rewritten, one taken out, one put in, the rest untouched. */
static GPtrArray *
edit_paragraphs (GRand      *rand,
                 const char *language,
                 GPtrArray  *words,
                 guint       every_nth)
{
  GPtrArray *edited = g_ptr_array_new ();
  guint paragraph = 0;
  guint i = 0;

  while (i < words->len)
    {
      guint end = i;
      guint kind = g_rand_int_range (rand, 0, (gint32) every_nth);

      while (end < words->len && words->pdata[end] != NULL)
        end++;
      if (kind == 0)
        {
          /* Rewritten: as many new words. */
          for (guint k = i; k < end; k++)
            g_ptr_array_add (edited, (gpointer) bench_corpus_word (rand, language));
        }
      else if (kind == 1 && paragraph > 0)
        {
          /* Taken out, with its break. */
          i = end + 1;
          paragraph++;
          continue;
        }
      else
        {
          for (guint k = i; k < end; k++)
            g_ptr_array_add (edited, words->pdata[k]);
          if (kind == 2)
            {
              /* A new paragraph after it. */
              guint n = (guint) g_rand_int_range (rand, 20, 61);

              g_ptr_array_add (edited, NULL);
              for (guint k = 0; k < n; k++)
                g_ptr_array_add (edited, (gpointer) bench_corpus_word (rand, language));
            }
        }
      if (end < words->len)
        g_ptr_array_add (edited, NULL);
      i = end + 1;
      paragraph++;
    }
  return edited;
}

static char *
join_words (GPtrArray  *words,
            const char *separator)
{
  GString *text = g_string_new (NULL);
  gboolean line_start = TRUE;

  for (guint i = 0; i < words->len; i++)
    {
      if (words->pdata[i] == NULL)
        {
          g_string_append_c (text, '\n');
          line_start = TRUE;
          continue;
        }
      if (!line_start)
        g_string_append (text, separator);
      g_string_append (text, words->pdata[i]);
      line_start = FALSE;
    }
  g_string_append_c (text, '\n');
  return g_string_free (text, FALSE);
}

/* The spans must rebuild both texts: a benchmark of a wrong answer is
 * worth nothing. */
static void
check_spans (const char *old_text,
             const char *new_text,
             GArray     *spans)
{
  GString *old_rebuilt = g_string_new (NULL);
  GString *new_rebuilt = g_string_new (NULL);

  for (guint i = 0; i < spans->len; i++)
    {
      const DeskDiffSpan *span = &g_array_index (spans, DeskDiffSpan, i);
      const char *o0 = g_utf8_offset_to_pointer (old_text, span->old_start);
      const char *o1 = g_utf8_offset_to_pointer (o0, span->old_end - span->old_start);
      const char *n0 = g_utf8_offset_to_pointer (new_text, span->new_start);
      const char *n1 = g_utf8_offset_to_pointer (n0, span->new_end - span->new_start);

      g_string_append_len (old_rebuilt, o0, o1 - o0);
      g_string_append_len (new_rebuilt, n0, n1 - n0);
    }
  if (strcmp (old_rebuilt->str, old_text) != 0 || strcmp (new_rebuilt->str, new_text) != 0)
    {
      printf ("1..1\nnot ok 1 /benchmark/diff - the spans do not rebuild the texts\n");
      exit (1);
    }
  g_string_free (old_rebuilt, TRUE);
  g_string_free (new_rebuilt, TRUE);
}

static void
write_pair (const char *dir,
            guint       number,
            const char *name,
            const char *old_text,
            const char *new_text)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *old_path = g_strdup_printf ("%s/%02u-%s.old", dir, number, name);
  g_autofree char *new_path = g_strdup_printf ("%s/%02u-%s.new", dir, number, name);

  if (!g_file_set_contents (old_path, old_text, -1, &error) ||
      !g_file_set_contents (new_path, new_text, -1, &error))
    g_error ("%s", error->message);
}

/* Both programs on the same two files, alternating; TRUE when ours is no
 * slower than git in wall and in CPU time (medians). */
static gboolean
versus_git (const char *dir,
            const char *what,
            const char *old_text,
            const char *new_text,
            gboolean    check)
{
  const char *program = g_getenv ("COPYDESK_BENCH_DIFF_WORDS");
  g_autofree char *old_path = g_build_filename (dir, "old.txt", NULL);
  g_autofree char *new_path = g_build_filename (dir, "new.txt", NULL);
  g_autoptr(GError) error = NULL;
  const char *ours[] = { program, old_path, new_path, NULL };
  const char *git[] = { "git", "diff", "--no-index", "--word-diff=porcelain", old_path, new_path, NULL };
  BenchRuns ours_wall, ours_cpu, git_wall, git_cpu;
  g_autofree char *a = NULL, *b = NULL, *c = NULL, *d = NULL;
  double wall_ratio, cpu_ratio;
  gboolean met;

  g_assert_nonnull (program);
  if (check)
    {
      g_autoptr(GArray) spans = desk_diff_words (old_text, new_text);

      check_spans (old_text, new_text, spans);
    }
  if (!g_file_set_contents (old_path, old_text, -1, &error) ||
      !g_file_set_contents (new_path, new_text, -1, &error))
    g_error ("%s", error->message);

  bench_runs_init (&ours_wall);
  bench_runs_init (&ours_cpu);
  bench_runs_init (&git_wall);
  bench_runs_init (&git_cpu);
  for (guint r = 0; r < N_RUNS; r++)
    {
      double wall, cpu;

      bench_run_process (git, NULL, &wall, &cpu, NULL);
      bench_runs_add (&git_wall, wall * 1e3);
      bench_runs_add (&git_cpu, cpu * 1e3);
      bench_run_process (ours, NULL, &wall, &cpu, NULL);
      bench_runs_add (&ours_wall, wall * 1e3);
      bench_runs_add (&ours_cpu, cpu * 1e3);
    }
  g_unlink (old_path);
  g_unlink (new_path);

  wall_ratio = bench_runs_median (&ours_wall) / bench_runs_median (&git_wall);
  cpu_ratio = bench_runs_median (&ours_cpu) / bench_runs_median (&git_cpu);
  met = wall_ratio <= 1.0 && cpu_ratio <= 1.0;
  a = bench_runs_format (&ours_wall, "%.1f ms");
  b = bench_runs_format (&ours_cpu, "%.1f ms");
  c = bench_runs_format (&git_wall, "%.1f ms");
  d = bench_runs_format (&git_cpu, "%.1f ms");
  printf ("# %s (%zu and %zu bytes)\n", what, strlen (old_text), strlen (new_text));
  printf ("#   bench-diff-words: wall %s, CPU %s\n", a, b);
  printf ("#   git diff --word-diff=porcelain: wall %s, CPU %s\n", c, d);
  printf ("#   ours / git: wall %.2fx, CPU %.2fx (target <= 1x in both): %s\n", wall_ratio, cpu_ratio, bench_verdict (met));
  bench_runs_clear (&ours_wall);
  bench_runs_clear (&ours_cpu);
  bench_runs_clear (&git_wall);
  bench_runs_clear (&git_cpu);
  return met;
}

/* desk_diff_words() in this process, median of N_INPROCESS_RUNS, in ms. */
static double
in_process (const char *what,
            const char *old_text,
            const char *new_text,
            double      target_ms)
{
  g_autofree char *text = NULL;
  BenchRuns runs;
  double median;

  bench_runs_init (&runs);
  for (guint r = 0; r < N_INPROCESS_RUNS; r++)
    {
      BenchClock clock;
      double cpu;
      g_autoptr(GArray) spans = NULL;

      bench_clock_start (&clock);
      spans = desk_diff_words (old_text, new_text);
      bench_clock_stop (&clock, NULL, &cpu);
      bench_runs_add (&runs, cpu * 1e3);
      if (r == 0)
        check_spans (old_text, new_text, spans);
    }
  median = bench_runs_median (&runs);
  text = bench_runs_format (&runs, "%.2f ms");
  printf ("# %s: desk_diff_words CPU %s (target < %.0f ms): %s\n", what, text, target_ms,
          bench_verdict (median < target_ms));
  bench_runs_clear (&runs);
  return median;
}

typedef struct {
  const char *language;
  const char *separator;
  guint       n_words;
  gboolean    paragraphs;   /* whole paragraphs edited, not words all through */
} Pair;

int
main (int    argc,
      char **argv)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (BENCH_SEED);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  static const Pair pairs[] = {
    { "id", " ", 10000, FALSE },
    { "en", " ", 10000, FALSE },
    { "zh", "", 10000, FALSE },
    { "th", "", 10000, FALSE },
    { "id", " ", 100000, FALSE },
    { "id", " ", 10000, TRUE },
    { "zh", "", 10000, TRUE },
    { "id", " ", 100000, TRUE },
  };
  const char *pairs_dir = NULL;

  if (argc == 3 && g_str_equal (argv[1], "--write-pairs"))
    {
      pairs_dir = argv[2];
      g_mkdir_with_parents (pairs_dir, 0700);
    }
  else
    g_test_init (&argc, &argv, NULL);
  dir = g_dir_make_tmp ("copydesk-bench-diff-XXXXXX", &error);
  g_assert_no_error (error);

  for (guint p = 0; p < G_N_ELEMENTS (pairs); p++)
    {
      g_autoptr(GPtrArray) words = generate_words (rand, pairs[p].language, pairs[p].n_words);
      g_autoptr(GPtrArray) edited = pairs[p].paragraphs
                                    ? edit_paragraphs (rand, pairs[p].language, words, 10)
                                    : edit_words (rand, pairs[p].language, words, pairs[p].n_words / 50);
      g_autofree char *old_text = join_words (words, pairs[p].separator);
      g_autofree char *new_text = join_words (edited, pairs[p].separator);
      g_autofree char *what = pairs[p].paragraphs
                              ? g_strdup_printf ("%u %s words, one paragraph in ten rewritten, one taken out, one put in",
                                                 pairs[p].n_words, pairs[p].language)
                              : g_strdup_printf ("%u %s words, 2%% edited all through", pairs[p].n_words, pairs[p].language);

      if (pairs_dir != NULL)
        {
          g_autofree char *name = g_strdup_printf ("%s-%u-%s", pairs[p].language, pairs[p].n_words,
                                                   pairs[p].paragraphs ? "paragraphs" : "words");

          write_pair (pairs_dir, p, name, old_text, new_text);
        }
      else
        versus_git (dir, what, old_text, new_text, TRUE);
    }

  /* The cost bound: nothing in common. */
  {
    g_autoptr(GPtrArray) a = generate_words (rand, "id", 100000);
    g_autoptr(GPtrArray) b = generate_words (rand, "id", 100000);
    g_autofree char *old_text = join_words (a, " ");
    g_autofree char *new_text = join_words (b, " ");

    if (pairs_dir != NULL)
      {
        write_pair (pairs_dir, G_N_ELEMENTS (pairs), "id-100000-unrelated", old_text, new_text);
        g_rmdir (dir);
        return 0;
      }
    versus_git (dir, "two unrelated texts of 100000 id words (the cost bound)", old_text, new_text, TRUE);
  }

  /* A keystroke in a 1 MB release: one word changed, everything diffed
   * again, as the review view asks. */
  {
    g_autoptr(GPtrArray) words = generate_words (rand, "id", 140000);
    g_autoptr(GPtrArray) edited = edit_words (rand, "id", words, 1);
    g_autofree char *old_text = join_words (words, " ");
    g_autofree char *new_text = join_words (edited, " ");
    g_autofree char *what = g_strdup_printf ("a keystroke in a %zu KB release", strlen (old_text) / 1024);

    in_process (what, old_text, new_text, 16);
  }

  /* A typical release. */
  {
    g_autoptr(GPtrArray) words = generate_words (rand, "id", 800);
    g_autoptr(GPtrArray) edited = edit_words (rand, "id", words, 16);
    g_autofree char *old_text = join_words (words, " ");
    g_autofree char *new_text = join_words (edited, " ");

    in_process ("800 id words, 2% edited", old_text, new_text, 1);
  }

  g_rmdir (dir);
  printf ("1..1\nok 1 /benchmark/diff\n");
  return 0;
}
