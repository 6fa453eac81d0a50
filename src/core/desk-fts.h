/* desk-fts.h — the full-text index's tokenizer and query syntax
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <sqlite3.h>

G_BEGIN_DECLS

/* The name under which desk_fts_register() registers the tokenizer, for
 * "CREATE VIRTUAL TABLE … USING fts5(…, tokenize='desk')". */
#define DESK_FTS_TOKENIZER "desk"

/* The rank function desk_fts_register() registers: rank(table, headline
 * weight, original weight, edited weight), BM25 without the words'
 * rarity, which bm25() finds by walking every release that holds them. */
#define DESK_FTS_RANK "desk_rank"

/* Registers the "desk" FTS5 tokenizer and the desk_rank() function on @db. */
gboolean desk_fts_register   (sqlite3     *db,
                              GError     **error);

/* Turns what an editor typed into the search field into an FTS5 MATCH
 * expression that never has a syntax error: every word is quoted, and the
 * last one matches as a prefix while it is being typed. Returns NULL when
 * @user_query holds nothing to search for. */
char    *desk_fts_build_query (const char *user_query);

G_END_DECLS
