/* desk-pg-search.c — search on a PostgreSQL desk with Copydesk's tokenizer
 *
 * PostgreSQL's text search parsers cut text at spaces and punctuation
 * only, so a Chinese or Thai clause would be one word that nothing finds.
 * Rather than a second tokenizer that may drift from the first, the
 * document is made of the tokens Copydesk's own FTS5 tokenizer ("desk",
 * desk-fts.c) gives, with their positions, and handed to the server as a
 * tsvector literal: the tsvector input function takes lexemes as they are,
 * with no parser or dictionary in between (the effect of the `simple`
 * configuration without its own cutting).  A query is made the same way:
 * each word's tokens as a phrase (<->), the words together (&), the last
 * token a prefix (:*), which is what desk_fts_build_query() asks FTS5.
 *
 * The tokenizer is FTS5's, so it runs inside SQLite: one in-memory
 * connection for the process, used under a lock.
 *
 * Limits of tsvector that FTS5 does not have: a position is at most
 * 16,383 (later ones are that number: a phrase beyond it may be missed),
 * a lexeme keeps at most 256 positions and is at most 2,047 bytes long
 * (longer tokens are left out).
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>

#include "desk-fts.h"
#include "desk-pg-search.h"

#define MAX_POSITION 16383
#define MAX_POSITIONS 256
#define MAX_LEXEME 2046

G_LOCK_DEFINE_STATIC (tokenizer);
static sqlite3 *tokenizer_db;
static fts5_tokenizer tokenizer_api;
static Fts5Tokenizer *tokenizer_instance;

static gboolean
ensure_tokenizer (void)
{
  sqlite3_stmt *stmt = NULL;
  fts5_api *api = NULL;
  void *data = NULL;
  g_autoptr(GError) error = NULL;

  if (tokenizer_instance != NULL)
    return TRUE;

  if (sqlite3_open_v2 (":memory:", &tokenizer_db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_MEMORY, NULL) != SQLITE_OK ||
      !desk_fts_register (tokenizer_db, &error))
    g_error ("desk-pg-search: no tokenizer: %s", error != NULL ? error->message : sqlite3_errmsg (tokenizer_db));

  if (sqlite3_prepare_v2 (tokenizer_db, "SELECT fts5(?1)", -1, &stmt, NULL) != SQLITE_OK ||
      sqlite3_bind_pointer (stmt, 1, &api, "fts5_api_ptr", NULL) != SQLITE_OK ||
      sqlite3_step (stmt) != SQLITE_ROW || api == NULL ||
      api->xFindTokenizer (api, DESK_FTS_TOKENIZER, &data, &tokenizer_api) != SQLITE_OK ||
      tokenizer_api.xCreate (data, NULL, 0, &tokenizer_instance) != SQLITE_OK)
    g_error ("desk-pg-search: cannot create the “%s” tokenizer", DESK_FTS_TOKENIZER);
  sqlite3_finalize (stmt);
  return TRUE;
}

static int
add_token (void       *ctx,
           int         tflags,
           const char *token,
           int         token_len,
           int         start,
           int         end)
{
  GPtrArray *tokens = ctx;

  /* A synonym of the token before takes no position of its own; the
   * desk tokenizer makes none, but a later one might. */
  if ((tflags & FTS5_TOKEN_COLOCATED) == 0)
    g_ptr_array_add (tokens, g_strndup (token, (gsize) token_len));
  return SQLITE_OK;
}

static GPtrArray *
tokens_of (const char *text,
           int         flags)
{
  GPtrArray *tokens = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *valid = NULL;

  if (text == NULL || *text == '\0')
    return tokens;
  /* unicode61 passes broken UTF-8 on into its tokens, and the server
   * refuses a tsvector that holds any (found by fuzz-pg-search). */
  if (!g_utf8_validate (text, -1, NULL))
    text = valid = g_utf8_make_valid (text, -1);

  G_LOCK (tokenizer);
  ensure_tokenizer ();
  tokenizer_api.xTokenize (tokenizer_instance, tokens, flags, text, (int) strlen (text), add_token);
  G_UNLOCK (tokenizer);
  return tokens;
}

GPtrArray *
desk_pg_search_tokens (const char *text)
{
  return tokens_of (text, FTS5_TOKENIZE_DOCUMENT);
}

static void
append_lexeme (GString    *out,
               const char *token)
{
  g_string_append_c (out, '\'');
  for (const char *p = token; *p != '\0'; p++)
    {
      if (*p == '\'' || *p == '\\')
        g_string_append_c (out, *p);
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '\'');
}

typedef struct {
  GString *positions;
  guint    count;
  guint    last;
} Lexeme;

static void
lexeme_free (gpointer data)
{
  Lexeme *lexeme = data;

  g_string_free (lexeme->positions, TRUE);
  g_free (lexeme);
}

/* Adds @text's tokens at positions from *@position on, with @weight. */
static void
add_field (GHashTable *lexemes,
           GPtrArray  *order,
           const char *text,
           char        weight,
           guint      *position)
{
  g_autoptr(GPtrArray) tokens = desk_pg_search_tokens (text);

  for (guint i = 0; i < tokens->len; i++)
    {
      const char *token = g_ptr_array_index (tokens, i);
      guint at = MIN (*position + i, MAX_POSITION);
      Lexeme *lexeme;

      if (*token == '\0' || strlen (token) > MAX_LEXEME)
        continue;
      lexeme = g_hash_table_lookup (lexemes, token);
      if (lexeme == NULL)
        {
          lexeme = g_new0 (Lexeme, 1);
          lexeme->positions = g_string_new (NULL);
          g_hash_table_insert (lexemes, g_strdup (token), lexeme);
          g_ptr_array_add (order, g_strdup (token));
        }
      if (lexeme->count >= MAX_POSITIONS || lexeme->last == at)
        continue;
      g_string_append_printf (lexeme->positions, "%s%u%c", lexeme->count > 0 ? "," : "", at, weight);
      lexeme->count++;
      lexeme->last = at;
    }
  /* One position left empty: a phrase never runs into the next field. */
  *position += tokens->len + 1;
}

char *
desk_pg_search_document (const char *headline,
                         const char *original,
                         const char *edited)
{
  g_autoptr(GHashTable) lexemes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, lexeme_free);
  g_autoptr(GPtrArray) order = g_ptr_array_new_with_free_func (g_free);
  GString *out = g_string_new (NULL);
  guint position = 1;

  add_field (lexemes, order, headline, 'A', &position);
  add_field (lexemes, order, original, 'B', &position);
  add_field (lexemes, order, edited, 'C', &position);

  for (guint i = 0; i < order->len; i++)
    {
      const char *token = g_ptr_array_index (order, i);
      Lexeme *lexeme = g_hash_table_lookup (lexemes, token);

      if (out->len > 0)
        g_string_append_c (out, ' ');
      append_lexeme (out, token);
      g_string_append_c (out, ':');
      g_string_append (out, lexeme->positions->str);
    }
  return g_string_free (out, FALSE);
}

char *
desk_pg_search_query (const char *user_query)
{
  g_autofree char *valid = NULL;
  g_autoptr(GString) query = NULL;
  g_auto(GStrv) words = NULL;
  gboolean any = FALSE;

  if (user_query == NULL)
    return NULL;

  valid = g_utf8_make_valid (user_query, -1);
  query = g_string_new (NULL);
  /* Words are what lies between white space, as desk_fts_build_query()
   * has them: "Jakarta-Bogor" is one word of two tokens, a phrase. */
  for (char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    if (g_unichar_isspace (g_utf8_get_char (p)))
      *p = ' ';
  words = g_strsplit (valid, " ", -1);

  for (guint w = 0; words[w] != NULL; w++)
    {
      g_autofree char *fts_word = desk_fts_build_query (words[w]);
      g_autoptr(GPtrArray) tokens = NULL;
      guint kept = 0;

      /* The words the SQLite store searches for, no others: it leaves
       * out a word without a letter or digit as GLib knows them, which
       * unicode61's older tables may still cut into tokens. */
      if (fts_word == NULL)
        continue;
      tokens = tokens_of (words[w], FTS5_TOKENIZE_QUERY);

      for (guint i = 0; i < tokens->len; i++)
        {
          const char *token = g_ptr_array_index (tokens, i);

          if (*token == '\0' || strlen (token) > MAX_LEXEME)
            continue;
          g_string_append (query, kept > 0 ? " <-> " : any ? " & (" : "(");
          append_lexeme (query, token);
          kept++;
        }
      if (kept > 0)
        {
          g_string_append_c (query, ')');
          any = TRUE;
        }
    }

  if (!any)
    return NULL;
  /* The word being typed matches as a prefix: its last token. */
  g_string_insert (query, query->len - 1, ":*");
  return g_string_free (g_steal_pointer (&query), FALSE);
}

GArray *
desk_pg_search_ids (DeskPg      *pg,
                    const char  *user_query,
                    guint        limit,
                    GError     **error)
{
  g_autofree char *query = desk_pg_search_query (user_query);
  g_autofree char *limit_text = limit > 0 ? g_strdup_printf ("%u", limit) : NULL;
  const char *params[] = { query, limit_text };
  g_autoptr(PGresult) result = NULL;
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  if (query == NULL)
    return ids;

  /* The rule of the SQLite store (desk-store.c, RANKED_WINDOW): the
   * newest 1,000 matches ranked, the headline (weight A) ten times the
   * texts as bm25(10.0, 1.0, 1.0) has it (ts_rank's weights are
   * {D, C, B, A}), then older matches, newest first.  Ranking every match
   * of a common word costs a tsvector read each. */
  result = desk_pg_query (pg,
                          "WITH q AS (SELECT $1::tsquery AS q),"
                          " newest AS (SELECT r.id FROM releases r, q WHERE r.search @@ q.q"
                          "            ORDER BY r.id DESC LIMIT 1000),"
                          " ranked AS (SELECT r.id, ts_rank ('{0.1, 0.1, 0.1, 1.0}', r.search, q.q) AS score"
                          "            FROM newest n JOIN releases r ON r.id = n.id, q)"
                          " SELECT id FROM ("
                          "   SELECT id, 0 AS tier, score FROM ranked"
                          "   UNION ALL"
                          "   SELECT r.id, 1, 0 FROM releases r, q WHERE r.search @@ q.q"
                          "   AND r.id < (SELECT min (id) FROM newest)) matches"
                          " ORDER BY tier, score DESC, id DESC LIMIT $2::bigint",
                          2, params, error);
  if (result == NULL)
    {
      g_array_unref (ids);
      return NULL;
    }
  for (int i = 0; i < PQntuples (result); i++)
    {
      gint64 id = g_ascii_strtoll (PQgetvalue (result, i, 0), NULL, 10);

      g_array_append_val (ids, id);
    }
  return ids;
}
