/* bench-detect.c — sponsor detection and clean-up on one core, against the
 * same rules run one by one
 *
 * Reads the mixed corpus (bench-util.c: six languages, five wire layouts,
 * 0.5 to 20 KB) through the detector and the clean-up, on one thread, and
 * compares in the same run with a baseline doing the rules' matching the
 * plain way: each rule that applies to the release's language, compiled
 * once as a GRegex (literals escaped; case-insensitive unless the rule
 * says otherwise), run over the whole text, every match counted.  The
 * baseline finds the same wire furniture but places nothing in zones, so
 * it is the least the detector's matching could cost.  Medians of five
 * runs, CPU time.  It never fails on time; it fails only when something
 * does not work.
 *
 * COPYDESK_BENCH_RELEASES sets how many releases (default 20000).
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdio.h>
#include <string.h>
#include <json-glib/json-glib.h>

#include "bench-util.h"
#include "desk-cleanup.h"
#include "desk-detector.h"

#define N_RUNS 5

typedef struct {
  GRegex *regex;
  GStrv   languages;   /* NULL: every language */
} Rule;

static char *
read_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *data = NULL;

  if (!g_file_get_contents (path, &data, NULL, &error))
    g_error ("%s", error->message);
  return data;
}

static void
rule_free (gpointer data)
{
  Rule *rule = data;

  g_regex_unref (rule->regex);
  g_strfreev (rule->languages);
  g_free (rule);
}

/* Every rule of the shipped file, each a regex of its own. */
static GPtrArray *
load_rules (const char *rules_json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  GPtrArray *out = g_ptr_array_new_with_free_func (rule_free);
  JsonArray *rules;

  if (!json_parser_load_from_data (parser, rules_json, -1, &error))
    g_error ("%s", error->message);
  rules = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "rules");
  for (guint i = 0; i < json_array_get_length (rules); i++)
    {
      JsonObject *object = json_array_get_object_element (rules, i);
      const char *pattern = json_object_get_string_member (object, "pattern");
      JsonNode *languages = json_object_get_member (object, "languages");
      g_autofree char *escaped = json_object_get_boolean_member_with_default (object, "regex", FALSE)
                                 ? g_strdup (pattern) : g_regex_escape_string (pattern, -1);
      gboolean case_sensitive = json_object_get_boolean_member_with_default (object, "case_sensitive", FALSE);
      Rule *rule = g_new0 (Rule, 1);

      rule->regex = g_regex_new (escaped, (case_sensitive ? 0 : G_REGEX_CASELESS) | G_REGEX_OPTIMIZE | G_REGEX_MULTILINE,
                                 0, &error);
      if (rule->regex == NULL)
        g_error ("%s: %s", json_object_get_string_member (object, "id"), error->message);
      if (JSON_NODE_HOLDS_ARRAY (languages))
        {
          JsonArray *tags = json_node_get_array (languages);
          GStrvBuilder *builder = g_strv_builder_new ();

          for (guint t = 0; t < json_array_get_length (tags); t++)
            g_strv_builder_add (builder, json_array_get_string_element (tags, t));
          rule->languages = g_strv_builder_end (builder);
          g_strv_builder_unref (builder);
        }
      g_ptr_array_add (out, rule);
    }
  return out;
}

static gboolean
rule_applies (const Rule *rule,
              const char *language)
{
  if (rule->languages == NULL)
    return TRUE;
  for (guint i = 0; rule->languages[i] != NULL; i++)
    if (g_str_equal (rule->languages[i], language) ||
        (g_str_has_prefix (language, rule->languages[i]) && language[strlen (rule->languages[i])] == '-'))
      return TRUE;
  return FALSE;
}

int
main (int    argc,
      char **argv)
{
  const char *n_env = g_getenv ("COPYDESK_BENCH_RELEASES");
  guint n = n_env != NULL ? (guint) g_ascii_strtoull (n_env, NULL, 10) : 20000;
  g_autofree char *rules_json = NULL;
  g_autofree char *description = NULL;
  g_autofree char *detect_text = NULL, *cleanup_text = NULL, *baseline_text = NULL;
  g_autoptr(GPtrArray) releases = NULL;
  g_autoptr(DeskDetector) detector = NULL;
  g_autoptr(GPtrArray) rules = NULL;
  BenchRuns detect_runs, cleanup_runs, baseline_runs;
  guint64 findings = 0, removed = 0, flagged = 0, matches = 0;
  double ratio, rate;
  gboolean pinned;

  g_test_init (&argc, &argv, NULL);
  pinned = bench_pin_to_one_core ();
  {
    g_autofree char *rules_path = g_test_build_filename (G_TEST_DIST, "..", "..", "data", "sponsor-rules.json", NULL);

    rules_json = read_file (rules_path);
  }

  releases = bench_corpus_generate (n, BENCH_SEED, NULL);
  description = bench_corpus_describe (releases);
  detector = desk_detector_new ();
  rules = load_rules (rules_json);
  printf ("# mixed corpus: %s\n", description);
  printf ("# %u rules, one thread%s; CPU time, median of %d runs\n", rules->len,
          pinned ? " on one core" : "", N_RUNS);

  bench_runs_init (&detect_runs);
  bench_runs_init (&cleanup_runs);
  bench_runs_init (&baseline_runs);
  for (guint r = 0; r < N_RUNS; r++)
    {
      BenchClock clock;
      double cpu, cleanup_cpu = 0;

      findings = removed = flagged = matches = 0;
      bench_clock_start (&clock);
      for (guint i = 0; i < releases->len; i++)
        {
          const BenchRelease *release = g_ptr_array_index (releases, i);
          g_autoptr(DeskDetection) detection = desk_detector_detect (detector, release->text, release->language);
          BenchClock cleanup_clock;
          double one;

          bench_clock_start (&cleanup_clock);
          {
            g_autoptr(DeskCleanup) cleanup = desk_cleanup_apply (release->text, detection);

            removed += cleanup->n_removed;
          }
          bench_clock_stop (&cleanup_clock, NULL, &one);
          cleanup_cpu += one;
          findings += detection->findings->len;
          flagged += detection->verdict != DESK_VERDICT_NONE;
        }
      bench_clock_stop (&clock, NULL, &cpu);
      bench_runs_add (&detect_runs, cpu - cleanup_cpu);
      bench_runs_add (&cleanup_runs, cleanup_cpu);

      bench_clock_start (&clock);
      for (guint i = 0; i < releases->len; i++)
        {
          const BenchRelease *release = g_ptr_array_index (releases, i);

          for (guint k = 0; k < rules->len; k++)
            {
              const Rule *rule = g_ptr_array_index (rules, k);
              g_autoptr(GMatchInfo) info = NULL;

              if (!rule_applies (rule, release->language))
                continue;
              g_regex_match_full (rule->regex, release->text, release->len, 0, 0, &info, NULL);
              while (g_match_info_matches (info))
                {
                  matches++;
                  g_match_info_next (info, NULL);
                }
            }
        }
      bench_clock_stop (&clock, NULL, &cpu);
      bench_runs_add (&baseline_runs, cpu);
    }

  /* Four of the five layouts are syndicated; agency copy is not. */
  if (flagged == 0 || findings == 0 || matches == 0)
    g_error ("the detector flagged %" G_GUINT64_FORMAT " releases with %" G_GUINT64_FORMAT
             " findings, the rules matched %" G_GUINT64_FORMAT " times", flagged, findings, matches);

  detect_text = bench_runs_format (&detect_runs, "%.2f s");
  cleanup_text = bench_runs_format (&cleanup_runs, "%.2f s");
  baseline_text = bench_runs_format (&baseline_runs, "%.2f s");
  ratio = bench_runs_median (&detect_runs) / bench_runs_median (&baseline_runs);
  rate = n / (bench_runs_median (&detect_runs) + bench_runs_median (&cleanup_runs));
  printf ("# detection: CPU %s; %" G_GUINT64_FORMAT " of %u flagged, %" G_GUINT64_FORMAT " findings\n",
          detect_text, flagged, n, findings);
  printf ("# clean-up: CPU %s; %" G_GUINT64_FORMAT " findings removed\n", cleanup_text, removed);
  printf ("# baseline, each applicable rule's regex over the whole text: CPU %s; %" G_GUINT64_FORMAT " matches\n",
          baseline_text, matches);
  printf ("# detector / baseline: %.2fx (target <= 1x): %s\n", ratio, bench_verdict (ratio <= 1.0));
  printf ("# detection + clean-up: %.0f releases/s on one core (target >= 2000/s): %s\n", rate, bench_verdict (rate >= 2000));

  bench_runs_clear (&detect_runs);
  bench_runs_clear (&cleanup_runs);
  bench_runs_clear (&baseline_runs);
  printf ("1..1\nok 1 /benchmark/detect-and-clean-up\n");
  return 0;
}
