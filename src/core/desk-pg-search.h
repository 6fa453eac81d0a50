/* desk-pg-search.h — search on a PostgreSQL desk with Copydesk's tokenizer
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "desk-pg.h"

G_BEGIN_DECLS

/* The tokens Copydesk's full-text tokenizer ("desk", desk-fts.c) makes
 * of @text, in order: folded, without diacritics, one a character in
 * Chinese, Japanese and Thai. */
GPtrArray *desk_pg_search_tokens   (const char  *text);

/* A release's search document, in tsvector's text form, for
 * releases.search: the tokens of @headline (weight A), @original (B) and
 * @edited (C, may be NULL) with their positions, each field apart from
 * the next so that no phrase runs from one into another. */
char      *desk_pg_search_document (const char  *headline,
                                    const char  *original,
                                    const char  *edited);

/* What an editor typed as a tsquery, with the meaning
 * desk_fts_build_query() gives it on SQLite: every word must be there,
 * a word of several tokens as a phrase, the last one as a prefix.
 * NULL when @user_query holds nothing to search for. */
char      *desk_pg_search_query    (const char  *user_query);

/* The ids of the releases matching @user_query in the SQLite store's
 * order: the newest 1,000 matches best first (the headline counts ten
 * times, as bm25(10, 1, 1) has it on SQLite), then older ones, newest
 * first; at most @limit (0: all). */
GArray    *desk_pg_search_ids      (DeskPg      *pg,
                                    const char  *user_query,
                                    guint        limit,
                                    GError     **error);

G_END_DECLS
