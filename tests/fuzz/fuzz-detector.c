/* fuzz-detector.c — sponsor detection and clean-up on any text
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "desk-cleanup.h"
#include "desk-detector.h"
#include "fuzz-common.h"

#include <string.h>

static DeskDetector *detector;

/* The rules are written per language: the first byte picks one, so the
 * fuzzer reaches the rules of each. */
static const char * const languages[] = {
  "und", "en", "id", "de", "fr", "es", "it", "pt", "ms", "ru", "vi",
  "zh-Hans", "zh-Hant", "ja", "ko", "th",
};

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  desk_fuzz_setup ();
  detector = desk_detector_new ();
  g_assert (desk_detector_get_n_rules (detector) > 0);
  return 0;
}

/* Whether @part is @whole with some bytes taken out. */
static gboolean
is_cut_from (const char *part,
             const char *whole)
{
  for (; *part != '\0'; part++, whole++)
    {
      whole = strchr (whole, *part);
      if (whole == NULL)
        return FALSE;
    }
  return TRUE;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(DeskDetection) detection = NULL;
  g_autoptr(DeskCleanup) cleanup = NULL;
  g_autoptr(GPtrArray) decoded = NULL;
  g_autofree char *text = NULL;
  g_autofree char *encoded = NULL;
  g_autofree char *described = NULL;
  const char *language;
  guint n_chars, last_start = 0;

  if (size == 0)
    return 0;

  /* Stored text is valid UTF-8: the parser and the editor see to that. */
  language = languages[data[0] % G_N_ELEMENTS (languages)];
  text = g_utf8_make_valid ((const char *) data + 1, size - 1);
  n_chars = (guint) g_utf8_strlen (text, -1);

  detection = desk_detector_detect (detector, text, language);
  g_assert (detection != NULL);
  g_assert (detection->findings != NULL && detection->tags != NULL);
  g_assert (desk_verdict_to_string (detection->verdict) != NULL);
  g_assert (detection->verdict != DESK_VERDICT_NONE || detection->findings->len == 0);

  /* Findings: in the text, in text order, each with its rule. */
  for (guint i = 0; i < detection->findings->len; i++)
    {
      const DeskFinding *finding = g_ptr_array_index (detection->findings, i);

      g_assert (finding->start <= finding->end);
      g_assert (finding->end <= n_chars);
      g_assert (finding->start >= last_start);
      g_assert (finding->rule != NULL && finding->rule[0] != '\0');
      g_assert (desk_finding_kind_to_string (finding->kind) != NULL);
      g_assert (finding->evidence == NULL || g_utf8_validate (finding->evidence, -1, NULL));
      last_start = finding->start;
    }

  /* What the store keeps reads back as the same spans. */
  encoded = desk_findings_encode (detection->findings);
  decoded = desk_findings_decode (encoded, text);
  g_assert (decoded != NULL);
  g_assert_cmpuint (decoded->len, ==, detection->findings->len);
  for (guint i = 0; i < decoded->len; i++)
    {
      const DeskFinding *a = g_ptr_array_index (detection->findings, i);
      const DeskFinding *b = g_ptr_array_index (decoded, i);

      g_assert_cmpint (a->kind, ==, b->kind);
      g_assert_cmpuint (a->start, ==, b->start);
      g_assert_cmpuint (a->end, ==, b->end);
      g_assert_cmpstr (a->rule, ==, b->rule);
    }

  described = desk_detection_describe (detection);

  /* The clean-up keeps valid text and removes no more than it found. */
  cleanup = desk_cleanup_apply (text, detection);
  g_assert (cleanup != NULL && cleanup->text != NULL && cleanup->tags != NULL);
  g_assert (g_utf8_validate (cleanup->text, -1, NULL));
  g_assert_cmpuint (cleanup->n_removed, <=, detection->findings->len);

  /* It "leaves every other byte as it was" (desk-cleanup.c): what is left
   * is the text with pieces cut out, and the text itself when nothing
   * was removed. */
  g_assert (is_cut_from (cleanup->text, text));
  if (cleanup->n_removed == 0)
    g_assert_cmpstr (cleanup->text, ==, text);
  return 0;
}
