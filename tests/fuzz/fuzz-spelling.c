/* fuzz-spelling.c — the spelling check on any text, with any language tag
 *
 * An input is a language tag (as a ninjs item or the detector may give
 * it), a NUL, and the text.  Whatever the tag, a checker is made or an
 * error says why; whatever the text, the misspelled words come back in
 * order, inside the text, each a run of letters.
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "desk-spelling.h"
#include "fuzz-common.h"

static DeskSpelling *indonesian;

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  desk_fuzz_setup ();
  /* Made once: the text is what is fuzzed, not enchant's loading. */
  indonesian = desk_spelling_new ("id", NULL);
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const uint8_t *nul = memchr (data, '\0', size);
  g_autofree char *tag = NULL;
  g_autofree char *text = NULL;
  g_autoptr(DeskSpelling) spelling = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ranges = NULL;
  glong n_chars;
  guint last_end = 0;

  if (nul == NULL)
    return 0;
  tag = g_utf8_make_valid ((const char *) data, nul - data);
  text = g_utf8_make_valid ((const char *) nul + 1, size - (nul - data) - 1);

  /* Any tag: a checker, or an error that says so. */
  if (strlen (tag) <= 35)
    {
      g_autofree char *key = desk_spelling_language_key (tag);

      spelling = desk_spelling_new (tag, &error);
      g_assert ((spelling != NULL) != (error != NULL));
      g_assert (spelling == NULL || key != NULL);
    }
  if (indonesian == NULL)
    return 0;

  n_chars = g_utf8_strlen (text, -1);
  ranges = desk_spelling_check (indonesian, text, -1);
  for (guint i = 0; i < ranges->len; i++)
    {
      const DeskSpellingRange *range = &g_array_index (ranges, DeskSpellingRange, i);

      g_assert (range->start >= last_end);
      g_assert (range->start < range->end);
      g_assert (range->end <= (guint) n_chars);
      for (const char *p = g_utf8_offset_to_pointer (text, range->start);
           p < g_utf8_offset_to_pointer (text, range->end); p = g_utf8_next_char (p))
        g_assert (!g_unichar_isspace (g_utf8_get_char (p)));
      last_end = range->end;
    }
  return 0;
}
