/* fuzz-pg-search.c — whatever a release holds or an editor types, made
 * into a PostgreSQL desk's search document and query
 *
 * The document goes to the server as tsvector's text form, built by hand
 * (desk-pg-search.c): read back here as the server reads it, it must hold
 * exactly the tokenizer's tokens, each quote and backslash escaped.  The
 * query exists exactly when the SQLite store's would.
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "desk-fts.h"
#include "desk-pg-search.h"
#include "fuzz-common.h"

#include <string.h>

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  desk_fuzz_setup ();
  return 0;
}

/* The lexemes of tsvector text @doc, as tsvector_in reads them; aborts
 * on anything it would refuse. */
static GHashTable *
read_document (const char *doc)
{
  GHashTable *lexemes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  const char *p = doc;

  while (*p != '\0')
    {
      GString *lexeme = g_string_new (NULL);

      g_assert (*p == '\'');
      for (p++; ; p++)
        {
          g_assert (*p != '\0');
          if (*p == '\\')
            {
              p++;
              g_assert (*p != '\0');
              g_string_append_c (lexeme, *p);
            }
          else if (*p == '\'' && p[1] == '\'')
            {
              g_string_append_c (lexeme, '\'');
              p++;
            }
          else if (*p == '\'')
            break;
          else
            g_string_append_c (lexeme, *p);
        }
      p++;
      g_assert (*p == ':');
      p++;
      /* Positions 1 to 16383, each with a weight, comma-separated. */
      while (TRUE)
        {
          char *end;
          guint64 position = g_ascii_strtoull (p, &end, 10);

          g_assert (end != p && position >= 1 && position <= 16383);
          g_assert (*end == 'A' || *end == 'B' || *end == 'C');
          p = end + 1;
          if (*p != ',')
            break;
          p++;
        }
      g_assert (*p == ' ' || *p == '\0');
      if (*p == ' ')
        p++;
      g_assert (lexeme->len > 0 && lexeme->len <= 2046);
      g_assert (g_utf8_validate (lexeme->str, (gssize) lexeme->len, NULL));
      g_assert (!g_hash_table_contains (lexemes, lexeme->str));
      g_hash_table_add (lexemes, g_string_free (lexeme, FALSE));
    }
  return lexemes;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = desk_fuzz_dup_text (data, size);
  g_autofree char *fts = desk_fts_build_query (text);
  g_autofree char *query = desk_pg_search_query (text);
  g_autofree char *doc = desk_pg_search_document (text, text, NULL);
  g_autoptr(GPtrArray) tokens = desk_pg_search_tokens (text);
  g_autoptr(GHashTable) lexemes = read_document (doc);
  guint expected = 0;

  /* Exactly the tokens, once each. */
  for (guint i = 0; i < tokens->len; i++)
    {
      const char *token = g_ptr_array_index (tokens, i);

      if (*token == '\0' || strlen (token) > 2046)
        continue;
      g_assert (g_hash_table_contains (lexemes, token));
    }
  {
    g_autoptr(GHashTable) distinct = g_hash_table_new (g_str_hash, g_str_equal);

    for (guint i = 0; i < tokens->len; i++)
      {
        const char *token = g_ptr_array_index (tokens, i);

        if (*token != '\0' && strlen (token) <= 2046)
          g_hash_table_add (distinct, (gpointer) token);
      }
    expected = g_hash_table_size (distinct);
  }
  g_assert_cmpuint (g_hash_table_size (lexemes), ==, expected);

  /* What is searched for on PostgreSQL is searched for on SQLite too.
   * (The other way round, a word that the tokenizer folds to nothing, a
   * lone combining mark, is an FTS5 phrase that matches nothing.) */
  g_assert (query == NULL || fts != NULL);
  if (query != NULL)
    {
      int depth = 0;
      gboolean quoted = FALSE;

      g_assert (g_utf8_validate (query, -1, NULL));
      g_assert (g_str_has_suffix (query, ":*)"));
      for (const char *p = query; *p != '\0'; p++)
        {
          if (quoted && *p == '\\')
            p++;
          else if (*p == '\'' && quoted && p[1] == '\'')
            p++;            /* a quote inside a lexeme */
          else if (*p == '\'')
            quoted = !quoted;
          else if (!quoted && *p == '(')
            depth++;
          else if (!quoted && *p == ')')
            depth--;
          g_assert (depth >= 0);
        }
      g_assert (!quoted && depth == 0);
    }
  return 0;
}
