/* bench-diff.c — the word-level diff on a long release while an editor types
 *
 * A 10,000-word Indonesian-like text made of the seed release's words, and
 * a copy with 2% of its words changed, inserted or deleted, spread through
 * the text.  Prints the median time of desk_diff_words() and compares it,
 * in the same run, with `git diff --no-index --word-diff=porcelain` on the
 * same pair; then the median for an 800-word pair, the size of a typical
 * release.  It never fails on time; it fails only when something does not
 * work (the spans do not rebuild both texts, git cannot run).
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdio.h>
#include <string.h>
#include <gio/gio.h>
#include <glib/gstdio.h>

#include "desk-diff.h"

#define N_RUNS 21
#define N_GIT_RUNS 5

static GPtrArray *
read_vocabulary (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "fixtures", "seaprwire-id-moskow-konfirmasi.txt", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *seed = NULL;
  g_auto(GStrv) words = NULL;
  GPtrArray *vocabulary = g_ptr_array_new_with_free_func (g_free);

  if (!g_file_get_contents (path, &seed, NULL, &error))
    g_error ("%s", error->message);
  g_strdelimit (seed, "\n\t", ' ');
  words = g_strsplit (seed, " ", -1);
  for (guint i = 0; words[i] != NULL; i++)
    if (*words[i] != '\0')
      g_ptr_array_add (vocabulary, g_strdup (words[i]));
  return vocabulary;
}

/* Words in paragraphs of 20 to 60, as the seed's are; a NULL in the list
 * ends a paragraph. */
static GPtrArray *
generate_words (GRand     *rand,
                GPtrArray *vocabulary,
                guint      n_words)
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
      g_ptr_array_add (words, vocabulary->pdata[g_rand_int_range (rand, 0, vocabulary->len)]);
      left_in_paragraph--;
    }
  return words;
}

/* Changes, inserts or deletes @percent of the words, at random places. */
static GPtrArray *
edit_words (GRand     *rand,
            GPtrArray *vocabulary,
            GPtrArray *words,
            guint      n_words,
            guint      percent)
{
  GPtrArray *edited = g_ptr_array_copy (words, NULL, NULL);
  guint n_edits = n_words * percent / 100;

  for (guint e = 0; e < n_edits; e++)
    {
      guint at = g_rand_int_range (rand, 0, edited->len);
      const char *word = vocabulary->pdata[g_rand_int_range (rand, 0, vocabulary->len)];

      if (edited->pdata[at] == NULL)
        {
          e--;
          continue;
        }
      switch (g_rand_int_range (rand, 0, 3))
        {
        case 0:
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

static char *
join_words (GPtrArray *words)
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
        g_string_append_c (text, ' ');
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
      const char *o1 = g_utf8_offset_to_pointer (old_text, span->old_end);
      const char *n0 = g_utf8_offset_to_pointer (new_text, span->new_start);
      const char *n1 = g_utf8_offset_to_pointer (new_text, span->new_end);

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

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
median_diff_ms (const char *old_text,
                const char *new_text,
                guint      *out_spans,
                guint      *out_chunks)
{
  double times[N_RUNS];

  for (guint r = 0; r < N_RUNS; r++)
    {
      gint64 start = g_get_monotonic_time ();
      g_autoptr(GArray) spans = desk_diff_words (old_text, new_text);
      gint64 end = g_get_monotonic_time ();

      times[r] = (end - start) / 1000.0;
      if (r == 0)
        {
          g_autoptr(GArray) chunks = desk_diff_chunks (spans);

          check_spans (old_text, new_text, spans);
          *out_spans = spans->len;
          *out_chunks = chunks->len;
        }
    }
  qsort (times, N_RUNS, sizeof (double), compare_doubles);
  return times[N_RUNS / 2];
}

static double
median_git_ms (const char *old_text,
               const char *new_text)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("copydesk-bench-diff-XXXXXX", &error);
  g_autofree char *old_path = NULL;
  g_autofree char *new_path = NULL;
  double times[N_GIT_RUNS];

  g_assert_no_error (error);
  old_path = g_build_filename (dir, "old.txt", NULL);
  new_path = g_build_filename (dir, "new.txt", NULL);
  if (!g_file_set_contents (old_path, old_text, -1, &error)
      || !g_file_set_contents (new_path, new_text, -1, &error))
    g_error ("%s", error->message);

  for (guint r = 0; r < N_GIT_RUNS; r++)
    {
      gint64 start = g_get_monotonic_time ();
      g_autoptr(GSubprocess) git = NULL;
      g_autoptr(GBytes) out = NULL;

      git = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error,
                              "git", "diff", "--no-index", "--word-diff=porcelain", old_path, new_path, NULL);
      if (git == NULL || !g_subprocess_communicate (git, NULL, NULL, &out, NULL, &error))
        {
          printf ("1..1\nnot ok 1 /benchmark/diff - git: %s\n", error->message);
          exit (1);
        }
      /* Exit status 1 means "the files differ", which they do. */
      if (g_subprocess_get_exit_status (git) != 1)
        {
          printf ("1..1\nnot ok 1 /benchmark/diff - git diff exited with %d\n",
                  g_subprocess_get_exit_status (git));
          exit (1);
        }
      times[r] = (g_get_monotonic_time () - start) / 1000.0;
    }

  g_unlink (old_path);
  g_unlink (new_path);
  g_rmdir (dir);
  qsort (times, N_GIT_RUNS, sizeof (double), compare_doubles);
  return times[N_GIT_RUNS / 2];
}

static const char *
verdict (gboolean met)
{
  return met ? "target met" : "TARGET MISSED";
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261129);
  g_autoptr(GPtrArray) vocabulary = NULL;
  g_autoptr(GPtrArray) long_words = NULL;
  g_autoptr(GPtrArray) long_edited = NULL;
  g_autoptr(GPtrArray) short_words = NULL;
  g_autoptr(GPtrArray) short_edited = NULL;
  g_autofree char *long_old = NULL;
  g_autofree char *long_new = NULL;
  g_autofree char *short_old = NULL;
  g_autofree char *short_new = NULL;
  guint n_spans, n_chunks, short_spans, short_chunks;
  double long_ms, git_ms, short_ms;

  g_test_init (&argc, &argv, NULL);
  vocabulary = read_vocabulary ();

  long_words = generate_words (rand, vocabulary, 10000);
  long_edited = edit_words (rand, vocabulary, long_words, 10000, 2);
  long_old = join_words (long_words);
  long_new = join_words (long_edited);

  short_words = generate_words (rand, vocabulary, 800);
  short_edited = edit_words (rand, vocabulary, short_words, 800, 2);
  short_old = join_words (short_words);
  short_new = join_words (short_edited);

  long_ms = median_diff_ms (long_old, long_new, &n_spans, &n_chunks);
  git_ms = median_git_ms (long_old, long_new);
  short_ms = median_diff_ms (short_old, short_new, &short_spans, &short_chunks);

  printf ("# 10,000-word pair (%zu and %zu bytes), 2%% of words edited: %u spans, %u chunks\n",
          strlen (long_old), strlen (long_new), n_spans, n_chunks);
  printf ("# desk_diff_words, median of %d: %.3f ms (target < 5 ms): %s\n",
          N_RUNS, long_ms, verdict (long_ms < 5.0));
  printf ("# git diff --no-index --word-diff=porcelain, median of %d: %.3f ms; desk / git: %.3fx\n",
          N_GIT_RUNS, git_ms, long_ms / git_ms);
  printf ("# 800-word pair: %u spans, %u chunks; desk_diff_words, median of %d: %.3f ms (target < 1 ms): %s\n",
          short_spans, short_chunks, N_RUNS, short_ms, verdict (short_ms < 1.0));

  printf ("1..1\nok 1 /benchmark/diff\n");
  return 0;
}
