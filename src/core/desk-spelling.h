/* desk-spelling.h — the edited copy's spelling, by enchant's dictionaries
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define DESK_TYPE_SPELLING (desk_spelling_get_type ())

G_DECLARE_FINAL_TYPE (DeskSpelling, desk_spelling, DESK, SPELLING, GObject)

/* A misspelled word: character (code point) offsets in the text checked. */
typedef struct {
  guint start, end;
} DeskSpellingRange;

char         *desk_spelling_language_key    (const char    *language);
DeskSpelling *desk_spelling_new             (const char    *language,
                                             GError       **error);
const char   *desk_spelling_get_dictionary  (DeskSpelling  *self);
const char   *desk_spelling_get_language    (DeskSpelling  *self);
GArray       *desk_spelling_check           (DeskSpelling  *self,
                                             const char    *text,
                                             gssize         length);
gboolean      desk_spelling_check_word      (DeskSpelling  *self,
                                             const char    *word);
GStrv         desk_spelling_suggest         (DeskSpelling  *self,
                                             const char    *word);
void          desk_spelling_accept          (DeskSpelling  *self,
                                             const char    *word);

G_END_DECLS
