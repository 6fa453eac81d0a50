/* fuzz-diff.c — the word diff on two texts made of one input
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "desk-diff.h"
#include "desk-diff-private.h"
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
  g_autoptr(GArray) spans = NULL;
  g_autoptr(GArray) chunks = NULL;
  g_autofree char *old_text = NULL;
  g_autofree char *new_text = NULL;
  g_autofree char *old_valid = NULL;
  g_autofree char *new_valid = NULL;
  const uint8_t *nul;
  size_t split;
  guint n_old, n_new, old_pos = 0, new_pos = 0;
  const char *old_p, *new_p;
  guint words, chars;

  /* The old text, a NUL, the new text (as the seeds are made); without
   * a NUL, the two halves. */
  nul = memchr (data, '\0', size);
  split = nul != NULL ? (size_t) (nul - data) : size / 2;
  old_text = desk_fuzz_dup_text (data, split);
  new_text = nul != NULL ? desk_fuzz_dup_text (data + split + 1, size - split - 1)
                         : desk_fuzz_dup_text (data + split, size - split);

  old_valid = g_utf8_make_valid (old_text, -1);
  new_valid = g_utf8_make_valid (new_text, -1);
  n_old = (guint) g_utf8_strlen (old_valid, -1);
  n_new = (guint) g_utf8_strlen (new_valid, -1);

  spans = desk_diff_words (old_text, new_text);
  g_assert (spans != NULL);

  /* The spans cover both texts completely and in order, and what they
   * call equal is equal.  old_p and new_p walk the texts along. */
  old_p = old_valid;
  new_p = new_valid;
  for (guint i = 0; i < spans->len; i++)
    {
      const DeskDiffSpan *span = &g_array_index (spans, DeskDiffSpan, i);
      const char *old_end, *new_end;

      g_assert_cmpuint (span->old_start, ==, old_pos);
      g_assert_cmpuint (span->new_start, ==, new_pos);
      g_assert_cmpuint (span->old_end, >=, span->old_start);
      g_assert_cmpuint (span->new_end, >=, span->new_start);
      g_assert_cmpuint (span->old_end, <=, n_old);
      g_assert_cmpuint (span->new_end, <=, n_new);
      old_end = g_utf8_offset_to_pointer (old_p, span->old_end - span->old_start);
      new_end = g_utf8_offset_to_pointer (new_p, span->new_end - span->new_start);
      switch (span->op)
        {
        case DESK_DIFF_EQUAL:
          g_assert_cmpint (old_end - old_p, ==, new_end - new_p);
          g_assert (memcmp (old_p, new_p, old_end - old_p) == 0);
          break;
        case DESK_DIFF_DELETE:
          g_assert_cmpuint (span->new_end, ==, span->new_start);
          g_assert_false (span->inside_paragraph);
          break;
        case DESK_DIFF_INSERT:
          g_assert_cmpuint (span->old_end, ==, span->old_start);
          g_assert_false (span->inside_paragraph);
          break;
        default:
          g_assert_not_reached ();
        }
      old_pos = span->old_end;
      new_pos = span->new_end;
      old_p = old_end;
      new_p = new_end;
    }
  g_assert_cmpuint (old_pos, ==, n_old);
  g_assert_cmpuint (new_pos, ==, n_new);

  /* Chunks lie inside both texts, in order. */
  chunks = desk_diff_chunks (spans);
  old_pos = new_pos = 0;
  for (guint i = 0; i < chunks->len; i++)
    {
      const DeskDiffChunk *chunk = &g_array_index (chunks, DeskDiffChunk, i);

      g_assert_cmpuint (chunk->old_start, >=, old_pos);
      g_assert_cmpuint (chunk->new_start, >=, new_pos);
      g_assert_cmpuint (chunk->old_end, >=, chunk->old_start);
      g_assert_cmpuint (chunk->new_end, >=, chunk->new_start);
      g_assert_cmpuint (chunk->old_end, <=, n_old);
      g_assert_cmpuint (chunk->new_end, <=, n_new);
      old_pos = chunk->old_end;
      new_pos = chunk->new_end;
    }

  /* The shortcuts (lines cut one by one, plain text without ICU) change
   * nothing: the same spans as with every block cut by ICU whole. */
  {
    g_autoptr(GArray) reference = _desk_diff_words_reference (old_text, new_text);

    g_assert_cmpuint (reference->len, ==, spans->len);
    for (guint i = 0; i < spans->len; i++)
      g_assert (memcmp (&g_array_index (spans, DeskDiffSpan, i),
                        &g_array_index (reference, DeskDiffSpan, i), sizeof (DeskDiffSpan)) == 0);
  }

  /* A text compared with itself has no changes. */
  {
    g_autoptr(GArray) same = desk_diff_words (old_text, old_text);

    for (guint i = 0; i < same->len; i++)
      g_assert_cmpint (g_array_index (same, DeskDiffSpan, i).op, ==, DESK_DIFF_EQUAL);
  }

  desk_text_count (old_text, &words, &chars);
  g_assert_cmpuint (words, <=, chars);
  desk_text_count (new_text, &words, &chars);
  g_assert_cmpuint (words, <=, chars);
  return 0;
}
