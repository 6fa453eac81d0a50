/* desk-diff.h — word-level differences between an original and its edited copy
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  DESK_DIFF_EQUAL,
  DESK_DIFF_DELETE,   /* only in the old text */
  DESK_DIFF_INSERT,   /* only in the new text */
} DeskDiffOp;

typedef struct {
  DeskDiffOp op;
  guint      old_start, old_end;   /* character (code point) offsets in the old text; empty for INSERT */
  guint      new_start, new_end;   /* character offsets in the new text; empty for DELETE */
  /* Added: for EQUAL spans, TRUE when the text holds no paragraph break
   * (\n, \r or U+2029), so the changes on both sides belong to one chunk.
   * FALSE for DELETE and INSERT, and in spans made by hand, which then
   * never merge into one chunk across an EQUAL span. */
  gboolean   inside_paragraph;
} DeskDiffSpan;

/* A changed region, for navigation (Alt+Down/Alt+Up) and the gutter: a
 * maximal run of non-EQUAL spans, merged with neighbours closer than a
 * paragraph; character offsets in both texts. */
typedef struct {
  guint old_start, old_end;
  guint new_start, new_end;
} DeskDiffChunk;

/* Spans that cover both texts completely and in order. A replaced phrase is
 * a DELETE followed by an INSERT at the same place.
 *
 * Invalid UTF-8 does not crash: each byte that is not part of a valid
 * sequence counts as one character (U+FFFD), as g_utf8_make_valid() sees
 * it. NULL is taken as the empty text. Safe to call from any thread. */
GArray *desk_diff_words  (const char *old_text, const char *new_text);   /* of DeskDiffSpan; never NULL */
GArray *desk_diff_chunks (GArray *spans);                                 /* of DeskDiffChunk */
/* Words and characters, as the window's counters show them (words by ICU word boundaries: runs containing a letter or digit; Han/kana characters count one word each). */
void    desk_text_count  (const char *text, guint *out_words, guint *out_chars);

G_END_DECLS
