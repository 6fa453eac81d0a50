/* fuzz-parser.c — the text check and the parser on any bytes
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "desk-parser.h"
#include "fuzz-common.h"

#include <string.h>

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  desk_fuzz_setup ();
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskParsedRelease) parsed = NULL;
  g_autoptr(GArray) spans = NULL;
  gsize skip = 0;
  gboolean text_ok;
  guint n_chars, last_end = 0;
  gsize len;

  text_ok = desk_check_text ((const char *) data, size, &skip, NULL);
  g_assert (skip <= size);

  parsed = desk_parse_release ((const char *) data, size, "fuzz.txt", &error);
  /* Either a release or an error that says why, never both or neither. */
  g_assert ((parsed == NULL) != (error == NULL));
  if (parsed == NULL)
    {
      g_assert (error->message != NULL && error->message[0] != '\0');
      return 0;
    }
  g_assert (text_ok);

  len = strlen (parsed->text);
  g_assert (g_utf8_validate (parsed->text, len, NULL));
  g_assert (parsed->headline != NULL && g_utf8_validate (parsed->headline, -1, NULL));
  g_assert (parsed->standfirst == NULL || g_utf8_validate (parsed->standfirst, -1, NULL));
  g_assert (parsed->language != NULL);
  g_assert (parsed->content_hash != NULL && strlen (parsed->content_hash) == 64);
  g_assert (parsed->tags != NULL);
  g_assert (strchr (parsed->text, '\r') == NULL);

  /* The parts lie inside the text, in order. */
  n_chars = (guint) g_utf8_strlen (parsed->text, len);
  for (guint i = 0; i < parsed->parts->len; i++)
    {
      const DeskPart *part = &g_array_index (parsed->parts, DeskPart, i);

      g_assert (part->start <= part->end);
      g_assert (part->end <= n_chars);
      g_assert (desk_part_kind_to_string (part->kind) != NULL);
      /* The credit lies inside the standfirst; the rest do not overlap. */
      if (part->kind != DESK_PART_CREDIT)
        {
          g_assert (part->start >= last_end);
          last_end = part->end;
        }
    }

  /* The detector's split of the same text: byte spans inside it. */
  spans = desk_split_release (parsed->text, len);
  for (guint i = 0; i < spans->len; i++)
    {
      const DeskByteSpan *span = &g_array_index (spans, DeskByteSpan, i);

      g_assert (span->start <= span->end && span->end <= len);
      g_assert (g_utf8_validate (parsed->text + span->start, span->end - span->start, NULL));
    }

  /* The hash is of the text alone: the same text hashes the same. */
  {
    g_autofree char *again = desk_content_hash (parsed->text);
    g_assert_cmpstr (again, ==, parsed->content_hash);
  }
  return 0;
}
