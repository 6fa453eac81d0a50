/* desk-diff-private.h — the word diff as it was before its shortcuts, for
 * the tests that compare both
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* desk_diff_words() and desk_text_count() with every block of text cut
 * into words by ICU whole: no line cut on its own, no plain text cut
 * without ICU.  Their results must be the same as the others'. */
GArray *_desk_diff_words_reference (const char *old_text,
                                    const char *new_text);
void    _desk_text_count_reference (const char *text,
                                    guint      *out_words,
                                    guint      *out_chars);

/* The tokens the diff compares, as character offsets and what they hold:
 * the way desk_diff_words() cuts @text, or with @reference the way
 * _desk_diff_words_reference() does. */
typedef struct {
  guint    start, end;
  gboolean word;        /* holds a letter or a digit */
  gboolean paragraph;   /* starts with a paragraph break */
} DeskDiffToken;

GArray *_desk_diff_tokens (const char *text,
                           gboolean    reference);   /* of DeskDiffToken */

G_END_DECLS
