/* desk-eval.c — measures the sponsor detector on a labelled folder
 *
 * The folder holds releases and a manifest.json that says, for each file,
 * the verdict expected and what a clean-up must remove:
 *
 *   { "releases": [
 *       { "file": "seaprwire-id.txt", "verdict": "third_party",
 *         "credit": "(SeaPRwire) – ",
 *         "end_matter": [ "Sektor: Top Story, Daily News", … ] },
 *       { "file": "news-en.txt", "verdict": "none" } ] }
 *
 * An entry may also say its "language" (else the one detected), its
 * "layout" ("prnewswire", "institution", "news-agency" …), the "zones"
 * it holds, and "top_matter": the lines above the story a clean-up must
 * remove ("FOR IMMEDIATE RELEASE", a site label, a contact block).
 *
 * Precision and recall count a release as flagged when its verdict is not
 * "none".  A clean-up is right when the cleaned copy is the original
 * without the credit and without the top- and end-matter lines, and
 * nothing else; the dash after a credit that follows a dateline may stay
 * with the dateline or go with the credit (see
 * same_but_for_the_dateline_dash ()).  The figures are given for the whole set, per language and
 * per layout, and each miss names the zone or the rule responsible.
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "desk-cleanup.h"
#include "desk-error.h"
#include "desk-eval.h"
#include "desk-parser.h"

static void
eval_group_free (DeskEvalGroup *group)
{
  g_free (group->name);
  g_free (group);
}

void
desk_eval_report_free (DeskEvalReport *report)
{
  if (report == NULL)
    return;
  g_clear_pointer (&report->misses, g_ptr_array_unref);
  g_clear_pointer (&report->languages, g_ptr_array_unref);
  g_clear_pointer (&report->layouts, g_ptr_array_unref);
  g_free (report);
}

static DeskEvalGroup *
group_for (GPtrArray  *groups,
           const char *name)
{
  DeskEvalGroup *group;

  for (guint i = 0; i < groups->len; i++)
    {
      group = g_ptr_array_index (groups, i);
      if (g_str_equal (group->name, name))
        return group;
    }
  group = g_new0 (DeskEvalGroup, 1);
  group->name = g_strdup (name);
  g_ptr_array_add (groups, group);
  return group;
}

static int
compare_groups (gconstpointer a,
                gconstpointer b)
{
  const DeskEvalGroup *x = *(DeskEvalGroup * const *) a;
  const DeskEvalGroup *y = *(DeskEvalGroup * const *) b;

  return strcmp (x->name, y->name);
}

/* The rule and the kind of finding that removed the line @line of the
 * original, or NULL. */
static const DeskFinding *
finding_over (const DeskDetection *detection,
              const char          *line)
{
  for (guint i = 0; i < detection->findings->len; i++)
    {
      const DeskFinding *f = g_ptr_array_index (detection->findings, i);

      if (f->removable && f->evidence != NULL && *line != '\0' &&
          (strstr (f->evidence, line) != NULL || strstr (line, f->evidence) != NULL))
        return f;
    }
  return NULL;
}

/* Lines of @expected (stripped, not blank) that @cleaned does not hold,
 * each with the zone the manifest gives it, joined by " | ". */
static char *
lines_removed_wrongly (const char          *expected,
                       const char          *cleaned,
                       const DeskDetection *detection)
{
  g_auto(GStrv) lines_a = g_strsplit (expected, "\n", -1);
  g_auto(GStrv) lines_b = g_strsplit (cleaned, "\n", -1);
  g_autoptr(GHashTable) in_b = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; lines_b[i] != NULL; i++)
    g_hash_table_add (in_b, g_strstrip (g_strdup (lines_b[i])));
  for (guint i = 0; lines_a[i] != NULL; i++)
    {
      g_autofree char *line = g_strstrip (g_strdup (lines_a[i]));
      const DeskFinding *by;

      if (*line == '\0' || g_hash_table_contains (in_b, line))
        continue;
      by = finding_over (detection, line);
      g_string_append_printf (out, "%s“%.60s%s” (%s)", out->len ? " | " : "", line,
                              g_utf8_strlen (line, -1) > 60 ? "…" : "",
                              by != NULL ? by->rule : _("changed"));
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* Lines of @cleaned that should have gone, each with its zone. */
static char *
lines_left_in (const char *cleaned,
               const char *expected,
               GHashTable *top_matter,
               GHashTable *end_matter)
{
  g_auto(GStrv) lines_a = g_strsplit (cleaned, "\n", -1);
  g_auto(GStrv) lines_b = g_strsplit (expected, "\n", -1);
  g_autoptr(GHashTable) in_b = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; lines_b[i] != NULL; i++)
    g_hash_table_add (in_b, g_strstrip (g_strdup (lines_b[i])));
  for (guint i = 0; lines_a[i] != NULL; i++)
    {
      g_autofree char *line = g_strstrip (g_strdup (lines_a[i]));
      const char *zone;

      if (*line == '\0' || g_hash_table_contains (in_b, line))
        continue;
      if (g_hash_table_contains (top_matter, line))
        zone = _("top matter");
      else if (g_hash_table_contains (end_matter, line))
        zone = _("end matter");
      else
        zone = _("dateline or credit");
      g_string_append_printf (out, "%s“%.60s%s” (%s)", out->len ? " | " : "", line,
                              g_utf8_strlen (line, -1) > 60 ? "…" : "", zone);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* "credit-prnewswire, boilerplate-about-heading": the rules that decided. */
static char *
rules_of (const DeskDetection *detection)
{
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; i < detection->findings->len; i++)
    {
      const DeskFinding *f = g_ptr_array_index (detection->findings, i);

      if (strstr (out->str, f->rule) != NULL)
        continue;
      g_string_append_printf (out, "%s%s", out->len ? ", " : "", f->rule);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* Paragraph breaks of any length compare equal, and so do the ends. */
static char *
normalise_breaks (const char *text)
{
  g_autoptr(GRegex) breaks = g_regex_new ("\\n(?:[ \\t]*\\n)+", 0, 0, NULL);
  char *out = g_regex_replace_literal (breaks, text, -1, 0, "\n\n", 0, NULL);

  return g_strstrip (out);
}

static char *
expected_cleanup (const char *text,
                  const char *credit,
                  GHashTable *end_matter)
{
  g_autoptr(GString) without_credit = g_string_new (text);
  g_autoptr(GString) out = g_string_new (NULL);
  g_auto(GStrv) lines = NULL;

  if (credit != NULL && *credit != '\0')
    {
      const char *at = strstr (without_credit->str, credit);

      if (at != NULL)
        g_string_erase (without_credit, at - without_credit->str, (gssize) strlen (credit));
    }

  lines = g_strsplit (without_credit->str, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autofree char *stripped = g_strstrip (g_strdup (lines[i]));

      if (g_hash_table_contains (end_matter, stripped))
        continue;
      g_string_append_printf (out, "%s\n", lines[i]);
    }
  return normalise_breaks (out->str);
}

static gboolean
is_dash_or_space (gunichar c)
{
  return c == ' ' || c == '\t' || c == '-' || (c >= 0x2010 && c <= 0x2015) || c == 0x2212;
}

/* @text with the run of dashes and spaces between @dateline and @follows
 * (the words the story goes on with after the credit) made one space. */
static char *
without_dateline_dash (const char *text,
                       const char *dateline,
                       const char *follows)
{
  GString *out = g_string_new (NULL);
  const char *at = text;
  const char *found;

  while ((found = strstr (at, dateline)) != NULL)
    {
      const char *gap = found + strlen (dateline);
      const char *next = gap;

      while (*next != '\0' && is_dash_or_space (g_utf8_get_char (next)))
        next = g_utf8_next_char (next);
      g_string_append_len (out, at, gap - at);
      if (g_str_has_prefix (next, follows))
        {
          g_string_append_c (out, ' ');
          at = next;
        }
      else
        at = gap;
    }
  g_string_append (out, at);
  return g_string_free (out, FALSE);
}

/* The one convention for the dash after a removed credit: it may stay
 * with the dateline ("JAKARTA, 5 March 2026 -- Acme …", as a clean-up
 * leaves it, and as news style wants a dateline) or go with the credit
 * ("JAKARTA, 5 March 2026 Acme …", when a manifest's credit is
 * "/PRNewswire/ -- "); either is right.  So @expected and @cleaned are
 * compared with the dashes and spaces between the dateline and the words
 * after the credit made one space, where @text had a dateline before
 * @credit.  Nothing else is forgiven. */
static gboolean
same_but_for_the_dateline_dash (const char *text,
                                const char *credit,
                                const char *expected,
                                const char *cleaned)
{
  const char *at = credit != NULL && *credit != '\0' ? strstr (text, credit) : NULL;
  const char *line;
  const char *dateline_end;
  const char *follows;
  const char *follows_end;
  g_autofree char *dateline = NULL;
  g_autofree char *words = NULL;
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;

  if (at == NULL)
    return FALSE;
  line = at;
  while (line > text && line[-1] != '\n')
    line--;
  dateline_end = at;
  while (dateline_end > line)
    {
      const char *prev = g_utf8_find_prev_char (line, dateline_end);

      if (prev == NULL || !is_dash_or_space (g_utf8_get_char (prev)))
        break;
      dateline_end = prev;
    }
  follows = at + strlen (credit);
  while (*follows != '\0' && is_dash_or_space (g_utf8_get_char (follows)))
    follows = g_utf8_next_char (follows);
  follows_end = follows;
  while (*follows_end != '\0' && *follows_end != '\n' && follows_end - follows < 24)
    follows_end = g_utf8_next_char (follows_end);
  if (dateline_end == line || follows_end == follows)
    return FALSE;   /* no dateline before the credit: nothing to place */

  dateline = g_strndup (line, dateline_end - line);
  words = g_strndup (follows, follows_end - follows);
  a = without_dateline_dash (expected, dateline, words);
  b = without_dateline_dash (cleaned, dateline, words);
  return g_str_equal (a, b);
}

static double
ratio (guint part,
       guint whole)
{
  return whole > 0 ? (double) part / whole : 1.0;
}

/* Runs @detector over the releases that DIR/manifest.json lists. */
DeskEvalReport *
desk_eval_run (DeskDetector  *detector,
               const char    *dir,
               GError       **error)
{
  g_autofree char *manifest_path = g_build_filename (dir, "manifest.json", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;
  g_autoptr(DeskEvalReport) report = g_new0 (DeskEvalReport, 1);
  JsonNode *root;
  JsonNode *list;
  JsonArray *releases;

  g_return_val_if_fail (DESK_IS_DETECTOR (detector), NULL);

  if (!json_parser_load_from_file (parser, manifest_path, &local_error))
    {
      g_set_error (error, DESK_ERROR, DESK_ERROR_INVALID_INPUT,
                   _("%s cannot be read: %s"), manifest_path, local_error->message);
      return NULL;
    }
  root = json_parser_get_root (parser);
  list = root != NULL && JSON_NODE_HOLDS_OBJECT (root)
         ? json_object_get_member (json_node_get_object (root), "releases") : NULL;
  if (list == NULL || !JSON_NODE_HOLDS_ARRAY (list))
    {
      g_set_error (error, DESK_ERROR, DESK_ERROR_INVALID_INPUT,
                   _("%s must hold an object with a “releases” list"), manifest_path);
      return NULL;
    }

  report->misses = g_ptr_array_new_with_free_func (g_free);
  report->languages = g_ptr_array_new_with_free_func ((GDestroyNotify) eval_group_free);
  report->layouts = g_ptr_array_new_with_free_func ((GDestroyNotify) eval_group_free);
  releases = json_node_get_array (list);
  for (guint i = 0; i < json_array_get_length (releases); i++)
    {
      JsonObject *entry = json_array_get_object_element (releases, i);
      const char *file = entry != NULL ? json_object_get_string_member_with_default (entry, "file", NULL) : NULL;
      const char *verdict_name = entry != NULL ? json_object_get_string_member_with_default (entry, "verdict", NULL) : NULL;
      const char *credit = entry != NULL ? json_object_get_string_member_with_default (entry, "credit", NULL) : NULL;
      JsonArray *end_matter = entry != NULL && json_object_has_member (entry, "end_matter")
                              ? json_object_get_array_member (entry, "end_matter") : NULL;
      JsonArray *top_matter = entry != NULL && json_object_has_member (entry, "top_matter")
                              ? json_object_get_array_member (entry, "top_matter") : NULL;
      const char *language_label = entry != NULL ? json_object_get_string_member_with_default (entry, "language", NULL) : NULL;
      const char *layout_label = entry != NULL ? json_object_get_string_member_with_default (entry, "layout", NULL) : NULL;
      g_autoptr(GHashTable) expected_lines = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      g_autoptr(GHashTable) top_lines = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      g_autoptr(GHashTable) furniture_lines = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      DeskEvalGroup *groups[2];
      gboolean cleanup_right;
      g_autofree char *path = NULL;
      g_autofree char *data = NULL;
      g_autofree char *expected_text = NULL;
      g_autofree char *cleaned_text = NULL;
      g_autoptr(DeskParsedRelease) parsed = NULL;
      g_autoptr(DeskDetection) detection = NULL;
      g_autoptr(DeskCleanup) cleanup = NULL;
      DeskVerdict expected;
      gsize length = 0;
      gboolean flagged;
      gboolean should_flag;

      if (file == NULL || !desk_verdict_from_string (verdict_name, &expected))
        {
          g_set_error (error, DESK_ERROR, DESK_ERROR_INVALID_INPUT,
                       _("%s: release %u needs a “file” and a “verdict” (none, third_party or sponsored)"),
                       manifest_path, i + 1);
          return NULL;
        }

      path = g_build_filename (dir, file, NULL);
      if (!g_file_get_contents (path, &data, &length, &local_error) ||
          (parsed = desk_parse_release (data, length, path, &local_error)) == NULL)
        {
          g_set_error (error, DESK_ERROR, DESK_ERROR_INVALID_INPUT, "%s: %s", path, local_error->message);
          return NULL;
        }

      for (guint l = 0; end_matter != NULL && l < json_array_get_length (end_matter); l++)
        g_hash_table_add (expected_lines, g_strstrip (g_strdup (json_array_get_string_element (end_matter, l))));
      for (guint l = 0; top_matter != NULL && l < json_array_get_length (top_matter); l++)
        g_hash_table_add (top_lines, g_strstrip (g_strdup (json_array_get_string_element (top_matter, l))));
      for (guint l = 0; top_matter != NULL && l < json_array_get_length (top_matter); l++)
        g_hash_table_add (furniture_lines, g_strstrip (g_strdup (json_array_get_string_element (top_matter, l))));
      for (guint l = 0; end_matter != NULL && l < json_array_get_length (end_matter); l++)
        g_hash_table_add (furniture_lines, g_strstrip (g_strdup (json_array_get_string_element (end_matter, l))));

      detection = desk_detector_detect (detector, parsed->text, parsed->language);
      cleanup = desk_cleanup_apply (parsed->text, detection);
      report->n_releases++;
      groups[0] = group_for (report->languages, language_label != NULL ? language_label : parsed->language);
      groups[1] = group_for (report->layouts, layout_label != NULL ? layout_label : "unlabelled");

      flagged = detection->verdict != DESK_VERDICT_NONE;
      should_flag = expected != DESK_VERDICT_NONE;
      if (flagged && should_flag)
        report->true_positives++;
      else if (flagged)
        report->false_positives++;
      else if (should_flag)
        report->false_negatives++;
      for (guint g = 0; g < G_N_ELEMENTS (groups); g++)
        {
          groups[g]->n_releases++;
          groups[g]->true_positives += flagged && should_flag;
          groups[g]->false_positives += flagged && !should_flag;
          groups[g]->false_negatives += !flagged && should_flag;
        }

      if (detection->verdict == expected)
        report->verdicts_right++;
      else if (flagged)
        {
          g_autofree char *rules = rules_of (detection);

          g_ptr_array_add (report->misses,
                           g_strdup_printf (_("%s: expected %s, found %s (score %.2f, language %s; rules %s)"), file,
                                            desk_verdict_to_string (expected),
                                            desk_verdict_to_string (detection->verdict),
                                            detection->score, parsed->language, rules));
        }
      else
        g_ptr_array_add (report->misses,
                         g_strdup_printf (_("%s: expected %s, found %s (score %.2f, language %s)"), file,
                                          desk_verdict_to_string (expected),
                                          desk_verdict_to_string (detection->verdict),
                                          detection->score, parsed->language));

      expected_text = expected_cleanup (parsed->text, credit, furniture_lines);
      cleaned_text = normalise_breaks (cleanup->text);
      cleanup_right = g_str_equal (expected_text, cleaned_text) ||
                      same_but_for_the_dateline_dash (parsed->text, credit, expected_text, cleaned_text);
      if (cleanup_right)
        report->cleanups_right++;
      else
        {
          g_autofree char *kept = lines_removed_wrongly (expected_text, cleaned_text, detection);
          g_autofree char *removed = lines_left_in (cleaned_text, expected_text, top_lines, expected_lines);

          g_ptr_array_add (report->misses,
                           g_strdup_printf (_("%s: the clean-up differs; removed too much: %s; left in: %s"),
                                            file, *kept ? kept : "—", *removed ? removed : "—"));
        }
      for (guint g = 0; g < G_N_ELEMENTS (groups); g++)
        groups[g]->cleanups_right += cleanup_right;
    }

  for (guint which = 0; which < 2; which++)
    {
      GPtrArray *groups = which == 0 ? report->languages : report->layouts;

      g_ptr_array_sort (groups, compare_groups);
      for (guint g = 0; g < groups->len; g++)
        {
          DeskEvalGroup *group = g_ptr_array_index (groups, g);

          group->precision = ratio (group->true_positives, group->true_positives + group->false_positives);
          group->recall = ratio (group->true_positives, group->true_positives + group->false_negatives);
          group->cleanup_accuracy = ratio (group->cleanups_right, group->n_releases);
        }
    }

  report->precision = ratio (report->true_positives, report->true_positives + report->false_positives);
  report->recall = ratio (report->true_positives, report->true_positives + report->false_negatives);
  report->verdict_accuracy = ratio (report->verdicts_right, report->n_releases);
  report->cleanup_accuracy = ratio (report->cleanups_right, report->n_releases);
  return g_steal_pointer (&report);
}
