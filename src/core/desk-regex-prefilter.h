/* desk-regex-prefilter.h — literals a regular expression cannot match without
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _DeskRegexPrefilter DeskRegexPrefilter;

GPtrArray          *desk_regex_required_literals    (const char         *regex);

DeskRegexPrefilter *desk_regex_prefilter_new        (void);
gboolean            desk_regex_prefilter_add        (DeskRegexPrefilter *prefilter,
                                                     const char         *regex);
gboolean            desk_regex_prefilter_may_match  (const DeskRegexPrefilter *prefilter,
                                                     const char         *text,
                                                     gsize               length);
gboolean            desk_regex_prefilter_which      (const DeskRegexPrefilter *prefilter,
                                                     const char         *text,
                                                     gsize               length,
                                                     guint64            *owners,
                                                     guint               n_words);
void                desk_regex_prefilter_free       (DeskRegexPrefilter *prefilter);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DeskRegexPrefilter, desk_regex_prefilter_free)

G_END_DECLS
