/* bench-detect.c — sponsor detection and clean-up throughput on one core
 *
 * Reads generated seed-like releases (the seed's paragraphs in another
 * order, words swapped, its wire furniture kept) through the detector and
 * the clean-up, on one thread, and compares in the same run with a
 * baseline: one combined GRegex of every rule's pattern, run over the whole
 * text of each release, the way a detector without structure would.  It
 * never fails on time; it fails only when something does not work.
 *
 * COPYDESK_BENCH_RELEASES sets how many releases (default 20000).
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdio.h>
#include <string.h>
#include <json-glib/json-glib.h>

#include "desk-cleanup.h"
#include "desk-detector.h"

static char *
read_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *data = NULL;

  if (!g_file_get_contents (path, &data, NULL, &error))
    g_error ("%s", error->message);
  return data;
}

/* Seed-like releases: body paragraphs shuffled and some words swapped for
 * made-up ones, headline, credit and end matter as the seed has them. */
static GPtrArray *
generate (const char *seed,
          guint       n)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261129);
  g_auto(GStrv) lines = g_strsplit (seed, "\n", -1);
  guint n_lines = g_strv_length (lines);
  guint n_body = n_lines - 5;   /* headline, standfirst, three lines of end matter */
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);
  static const char *syllables[] = { "ka", "ta", "ri", "mu", "sa", "lo", "ne", "pi", "ba", "du" };

  for (guint i = 0; i < n; i++)
    {
      GString *text = g_string_sized_new (4096);

      g_string_append_printf (text, "%s %u\n%s\n", lines[0], i, lines[1]);
      for (guint l = 0; l < n_body; l++)
        {
          g_auto(GStrv) words = g_strsplit (lines[2 + (l + i) % n_body], " ", -1);

          for (guint w = 0; words[w] != NULL; w++)
            {
              if (w > 0)
                g_string_append_c (text, ' ');
              if (g_rand_int_range (rand, 0, 100) < 15)
                for (guint s = 0; s < 3; s++)
                  g_string_append (text, syllables[g_rand_int_range (rand, 0, G_N_ELEMENTS (syllables))]);
              else
                g_string_append (text, words[w]);
            }
          g_string_append_c (text, '\n');
        }
      g_string_append_printf (text, "%s\n%s\n%s", lines[n_lines - 3], lines[n_lines - 2], lines[n_lines - 1]);
      g_ptr_array_add (out, g_string_free (text, FALSE));
    }
  return out;
}

/* Every rule's pattern in one alternation: literals escaped, regexes as
 * they are. */
static GRegex *
combined_regex (const char *rules_json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GString) source = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  JsonArray *rules;
  GRegex *regex;

  if (!json_parser_load_from_data (parser, rules_json, -1, &error))
    g_error ("%s", error->message);
  rules = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "rules");
  for (guint i = 0; i < json_array_get_length (rules); i++)
    {
      JsonObject *rule = json_array_get_object_element (rules, i);
      const char *pattern = json_object_get_string_member (rule, "pattern");
      g_autofree char *escaped = json_object_get_boolean_member_with_default (rule, "regex", FALSE)
                                 ? g_strdup (pattern) : g_regex_escape_string (pattern, -1);

      g_string_append_printf (source, "%s(?:%s)", i ? "|" : "", escaped);
    }
  regex = g_regex_new (source->str, G_REGEX_CASELESS | G_REGEX_OPTIMIZE | G_REGEX_MULTILINE, 0, &error);
  if (regex == NULL)
    g_error ("%s", error->message);
  return regex;
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
  const char *n_env = g_getenv ("COPYDESK_BENCH_RELEASES");
  guint n = n_env != NULL ? (guint) g_ascii_strtoull (n_env, NULL, 10) : 20000;
  g_autofree char *seed = NULL;
  g_autofree char *rules_json = NULL;
  g_autoptr(GPtrArray) releases = NULL;
  g_autoptr(DeskDetector) detector = NULL;
  g_autoptr(GRegex) baseline = NULL;
  gint64 start;
  double detect_s;
  double baseline_s;
  guint64 removed = 0;
  guint64 matches = 0;
  gsize bytes = 0;

  g_test_init (&argc, &argv, NULL);

  {
    g_autofree char *seed_path = g_test_build_filename (G_TEST_DIST, "..", "fixtures", "seaprwire-id-moskow-konfirmasi.txt", NULL);
    g_autofree char *rules_path = g_test_build_filename (G_TEST_DIST, "..", "..", "data", "sponsor-rules.json", NULL);

    seed = read_file (seed_path);
    rules_json = read_file (rules_path);
  }
  releases = generate (seed, n);
  for (guint i = 0; i < releases->len; i++)
    bytes += strlen (g_ptr_array_index (releases, i));
  detector = desk_detector_new ();
  baseline = combined_regex (rules_json);

  printf ("# %u seed-like releases of about %zu bytes, %u rules, one thread\n",
          n, bytes / MAX (n, 1), desk_detector_get_n_rules (detector));

  start = g_get_monotonic_time ();
  for (guint i = 0; i < releases->len; i++)
    {
      const char *text = g_ptr_array_index (releases, i);
      g_autoptr(DeskDetection) detection = desk_detector_detect (detector, text, "id");
      g_autoptr(DeskCleanup) cleanup = desk_cleanup_apply (text, detection);

      if (detection->verdict != DESK_VERDICT_THIRD_PARTY || cleanup->n_removed != 4)
        g_error ("release %u: %s, %u removed", i, desk_verdict_to_string (detection->verdict), cleanup->n_removed);
      removed += cleanup->n_removed;
    }
  detect_s = (g_get_monotonic_time () - start) / 1e6;

  start = g_get_monotonic_time ();
  for (guint i = 0; i < releases->len; i++)
    {
      g_autoptr(GMatchInfo) info = NULL;

      g_regex_match (baseline, g_ptr_array_index (releases, i), 0, &info);
      while (g_match_info_matches (info))
        {
          matches++;
          g_match_info_next (info, NULL);
        }
    }
  baseline_s = (g_get_monotonic_time () - start) / 1e6;

  printf ("# detection + clean-up:                              %8.0f releases/s (%.2f s, %" G_GUINT64_FORMAT " findings removed)\n",
          n / detect_s, detect_s, removed);
  printf ("# baseline, one combined GRegex over the whole text: %8.0f releases/s (%.2f s, %" G_GUINT64_FORMAT " matches)\n",
          n / baseline_s, baseline_s, matches);
  printf ("# detector / baseline time: %.2fx\n", detect_s / baseline_s);
  printf ("# detection + clean-up at >= 2000 releases/s on one core: %s\n", verdict (n / detect_s >= 2000));

  printf ("1..1\nok 1 /benchmark/detect-and-clean-up\n");
  return 0;
}
