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

static void
check_parsed (const DeskParsedRelease *parsed)
{
  g_autoptr(GArray) spans = NULL;
  g_autofree char *again = NULL;
  guint n_chars, last_end = 0;
  gsize len;

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
  again = desk_content_hash (parsed->text);
  g_assert_cmpstr (again, ==, parsed->content_hash);
}

/* The store keeps parsed->text as the original and reads its structure
 * from it again (when it upgrades a database): that must give the same
 * release, part for part. */
static void
check_parsed_again (const DeskParsedRelease *parsed,
                    const char              *display_name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskParsedRelease) again = NULL;

  again = desk_parse_release (parsed->text, strlen (parsed->text), display_name, &error);
  if (again == NULL)
    g_error ("The parsed text does not parse again: %s", error->message);
  g_assert_cmpstr (again->text, ==, parsed->text);
  g_assert_cmpstr (again->headline, ==, parsed->headline);
  g_assert_cmpstr (again->standfirst, ==, parsed->standfirst);
  g_assert_cmpstr (again->wire, ==, parsed->wire);
  g_assert_cmpstr (again->content_hash, ==, parsed->content_hash);
  g_assert_cmpuint (again->parts->len, ==, parsed->parts->len);
  g_assert (memcmp (again->parts->data, parsed->parts->data,
                    parsed->parts->len * sizeof (DeskPart)) == 0);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  /* As a plain-text file and as a Markdown one. */
  static const char * const names[] = { "fuzz.txt", "fuzz.md" };
  gsize skip = 0;
  gboolean text_ok;

  text_ok = desk_check_text ((const char *) data, size, &skip, NULL);
  g_assert (skip <= size);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(DeskParsedRelease) parsed = NULL;

      parsed = desk_parse_release ((const char *) data, size, names[i], &error);
      /* Either a release or an error that says why, never both or neither. */
      g_assert ((parsed == NULL) != (error == NULL));
      if (parsed == NULL)
        {
          g_assert (error->message != NULL && error->message[0] != '\0');
          continue;
        }
      /* A file that is not UTF-8 is parsed only when it was read from
       * UTF-16 or Windows-1252, and then as UTF-8. */
      g_assert (text_ok || parsed->read_as != NULL);
      g_assert (g_utf8_validate (parsed->text, -1, NULL));
      check_parsed (parsed);
      check_parsed_again (parsed, names[i]);
    }
  return 0;
}
