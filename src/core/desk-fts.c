/* desk-fts.c — the full-text index's tokenizer and query syntax
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Why a tokenizer of our own: the desk handles releases in Indonesian and
 * English next to Chinese, Japanese and Thai ones, and FTS5's built-in
 * tokenizers serve the latter badly.  "unicode61" cuts text only at spaces
 * and punctuation, so a whole Chinese or Thai clause becomes one token and
 * a word inside it cannot be found.  "trigram" finds substrings, but never
 * a word shorter than three characters (北京, 日本, 発売 have two) and it
 * indexes Latin text as trigrams too: twice the index, and five or more
 * times the indexing time of unicode61 on Indonesian text.
 *
 * So "desk" wraps unicode61 (case folding, diacritics removed, Thai vowel
 * signs and other combining marks kept inside tokens) and only splits the
 * tokens of scripts written without spaces — Han, kana, Bopomofo, Thai,
 * Lao, Khmer, Myanmar — into one token per character.  Everything else,
 * Latin, Hangul (Korean puts spaces between words) and so on, keeps
 * unicode61's tokens.  FTS5 treats a quoted string that yields several
 * tokens as a phrase, which matches only where the tokens stand next to
 * each other: "北京" finds 北 directly followed by 京.  That is substring
 * search for Chinese, Japanese and Thai, one- and two-character words
 * included, from an index of single characters that is smaller and about
 * twice as fast to build as a trigram one.  No dictionary is involved, so
 * there is no word segmentation to get wrong; the price is that a query
 * also matches across word boundaries, which is what editors searching as
 * they type expect anyway.
 *
 * Phrases need positions, so the table must keep FTS5's default
 * detail=full: with detail=column or detail=none FTS5 rejects every
 * query for a word of more than one character of these scripts. */

#include "config.h"

#include "desk-fts.h"
#include "desk-error.h"

#include <string.h>
#include <glib/gi18n-lib.h>

/* The arguments the wrapped unicode61 is created with, before any given
 * to "desk" itself.  Mn and Mc are token characters so that Thai vowel
 * signs and the combining marks of Indic scripts do not cut words apart. */
static const char * const unicode61_args[] = {
  "remove_diacritics", "2",
  "categories", "L* N* Co Mn Mc",
};

/* What xCreateTokenizer() hands every "desk" tokenizer it creates: the
 * built-in unicode61, as FTS5 gave it to us. */
typedef struct
{
  fts5_tokenizer  unicode61;
  void           *unicode61_data;
} DeskFtsModule;

typedef struct
{
  const DeskFtsModule *module;
  Fts5Tokenizer       *unicode61;
} DeskFtsTokenizer;

typedef int (*DeskFtsTokenFunc) (void       *ctx,
                                 int         tflags,
                                 const char *token,
                                 int         token_len,
                                 int         start,
                                 int         end);

/* Passed through unicode61 to split_token(): where FTS5 wants the tokens,
 * and the text they come from, to map pieces back onto it. */
typedef struct
{
  void             *ctx;
  DeskFtsTokenFunc  x_token;
  const guchar     *text;
  int               text_len;
} DeskFtsSplit;

/* Whether @c belongs to a script written without spaces between words.
 * Explicit ranges rather than g_unichar_get_script(): this runs for every
 * character of every CJK or Thai token (they take half the time), and
 * they also take in the marks that Unicode files under the Common or
 * Inherited script although they belong to kana text: ー 〆 〱 ﾞ ﾟ and
 * the combining (semi-)voiced sound marks. */
static inline gboolean
is_unspaced (gunichar c)
{
  if (c < 0x3005)
    return (c >= 0x0E00 && c <= 0x0EFF)     /* Thai, Lao */
        || (c >= 0x1000 && c <= 0x109F)     /* Myanmar */
        || (c >= 0x1780 && c <= 0x17FF)     /* Khmer */
        || (c >= 0x19E0 && c <= 0x19FF);    /* Khmer Symbols */

  if (c < 0xA000)
    return c <= 0x3007                      /* 々 〆 〇 */
        || (c >= 0x3021 && c <= 0x3029)     /* Hangzhou numerals */
        || (c >= 0x3031 && c <= 0x3035)     /* kana repeat marks */
        || (c >= 0x3038 && c <= 0x303C)
        || (c >= 0x3040 && c <= 0x312F)     /* Hiragana, Katakana, Bopomofo */
        || (c >= 0x31A0 && c <= 0x31BF)     /* Bopomofo Extended */
        || (c >= 0x31F0 && c <= 0x31FF)     /* Katakana Phonetic Extensions */
        || (c >= 0x3400 && c <= 0x4DBF)     /* CJK Extension A */
        || c >= 0x4E00;                     /* CJK Unified Ideographs */

  if (c < 0x10000)
    return (c >= 0xA9E0 && c <= 0xA9FF)     /* Myanmar Extended-B */
        || (c >= 0xAA60 && c <= 0xAA7F)     /* Myanmar Extended-A */
        || (c >= 0xF900 && c <= 0xFAFF)     /* CJK Compatibility Ideographs */
        || (c >= 0xFF65 && c <= 0xFF9F);    /* Halfwidth Katakana */

  return (c >= 0x16FE0 && c <= 0x16FFF)     /* Ideographic Symbols */
      || (c >= 0x1AFF0 && c <= 0x1B16F)     /* Kana Supplement, Extended… */
      || (c >= 0x20000 && c <= 0x323AF);    /* CJK Extensions B–H,
                                             * Compatibility Supplement */
}

/* Variation selectors pick a glyph for the character before them (the
 * 葛󠄀 of 葛󠄀飾区 in official Japanese texts); searching should not care. */
static inline gboolean
is_variation_selector (gunichar c)
{
  return (c >= 0xFE00 && c <= 0xFE0F) || (c >= 0xE0100 && c <= 0xE01EF);
}

/* Reads the character at @s[@i], with @len the end of the buffer, into @c
 * and returns its length in bytes.  It decodes exactly like unicode61's
 * READ_UTF8 — a lead byte swallows every continuation byte after it — so
 * that malformed text splits into the same characters unicode61 saw.  The
 * unsigned arithmetic may wrap on such text; the result is then merely an
 * unusual code point. */
static inline int
utf8_next (const guchar *s,
           int           len,
           int           i,
           gunichar     *c)
{
  int start = i;
  gunichar v = s[i++];

  if (v >= 0xC0)
    {
      if (v < 0xE0)
        v &= 0x1F;
      else if (v < 0xF0)
        v &= 0x0F;
      else if (v < 0xF8)
        v &= 0x07;
      else if (v < 0xFC)
        v &= 0x03;
      else if (v < 0xFE)
        v &= 0x01;
      else
        v = 0;

      while (i < len && (s[i] & 0xC0) == 0x80)
        v = (v << 6) + (s[i++] & 0x3F);
    }

  *c = v;
  return i - start;
}

static int
count_chars (const guchar *s,
             int           start,
             int           end)
{
  int n = 0;
  int i = start;
  gunichar c;

  while (i < end)
    {
      i += utf8_next (s, end, i, &c);
      n++;
    }

  return n;
}

/* The slow path of split_token(), for a token that may hold characters of
 * an unspaced script.  Emits each such character on its own and each run
 * of other characters as one token.  unicode61 folds one character of the
 * original into one character of the token (or none, for combining accents
 * it drops), so when the counts agree the two can be walked side by side
 * to give every piece its own offsets, which highlight() and snippet()
 * rely on.  When they do not, every piece gets the offsets of the whole
 * token: coarser highlighting, but never a wrong or out-of-range one.
 *
 * Kept out of line so that split_token()'s fast path stays a small leaf
 * function: inlined, it made Latin text tokenize a few per cent slower. */
G_GNUC_NO_INLINE static int
split_unspaced (DeskFtsSplit *split,
                int           tflags,
                const char   *token,
                int           token_len,
                int           start,
                int           end)
{
  const guchar *fold = (const guchar *) token;
  const guchar *text = split->text;
  gboolean any_unspaced = FALSE;
  gboolean aligned;
  int n_chars = 0;
  int run_f = -1;           /* where the pending run of other chars began, */
  int run_o = 0;            /* in the token and in the text */
  int f;                    /* byte position in the folded token */
  int o;                    /* byte position in the original text */
  int rc;

  for (f = 0; f < token_len; n_chars++)
    {
      gunichar c;

      f += utf8_next (fold, token_len, f, &c);
      any_unspaced |= is_unspaced (c);
    }

  if (!any_unspaced)
    return split->x_token (split->ctx, tflags, token, token_len, start, end);

  aligned = start >= 0 && start <= end && end <= split->text_len
            && count_chars (text, start, end) == n_chars;

  f = 0;
  o = start;
  while (f < token_len)
    {
      gunichar c;
      gunichar original;
      int f_len = utf8_next (fold, token_len, f, &c);
      int o_len = aligned ? utf8_next (text, end, o, &original) : 0;
      int char_f = f;
      int char_o = o;

      if (!is_unspaced (c))
        {
          if (run_f < 0)
            {
              run_f = f;
              run_o = o;
            }
          f += f_len;
          o += o_len;
          continue;
        }

      if (run_f >= 0)
        {
          rc = split->x_token (split->ctx, tflags, token + run_f, f - run_f,
                               aligned ? run_o : start, aligned ? o : end);
          if (rc != SQLITE_OK)
            return rc;
          /* Only the first piece can be a synonym of the token before. */
          tflags &= ~FTS5_TOKEN_COLOCATED;
          run_f = -1;
        }

      f += f_len;
      o += o_len;
      while (f < token_len)
        {
          gunichar next;
          int next_len = utf8_next (fold, token_len, f, &next);

          if (!is_variation_selector (next))
            break;
          f += next_len;
          if (aligned)
            o += utf8_next (text, end, o, &original);
        }

      rc = split->x_token (split->ctx, tflags, token + char_f, f_len,
                           aligned ? char_o : start, aligned ? o : end);
      if (rc != SQLITE_OK)
        return rc;
      tflags &= ~FTS5_TOKEN_COLOCATED;
    }

  if (run_f >= 0)
    return split->x_token (split->ctx, tflags, token + run_f, token_len - run_f,
                           aligned ? run_o : start, end);

  return SQLITE_OK;
}

/* unicode61's xToken callback.  Characters of the unspaced scripts all
 * lie at U+0E00 and above, which UTF-8 writes with a lead byte of 0xE0 or
 * more, so a token without such a byte — any Latin, Cyrillic, Greek or
 * Arabic word — goes straight through after one cheap scan of its bytes. */
static int
split_token (void       *user_data,
             int         tflags,
             const char *token,
             int         token_len,
             int         start,
             int         end)
{
  DeskFtsSplit *split = user_data;
  int i;

  for (i = 0; i < token_len; i++)
    {
      if ((guchar) token[i] >= 0xE0)
        return split_unspaced (split, tflags, token, token_len, start, end);
    }

  /* unicode61 emits an empty token where a combining accent follows a
   * separator, having folded the accent away.  It holds nothing to search
   * for, and in a query it would make a phrase demand that empty term. */
  if (token_len == 0)
    return SQLITE_OK;

  return split->x_token (split->ctx, tflags, token, token_len, start, end);
}

static int
desk_fts_tokenizer_create (void           *user_data,
                           const char    **argv,
                           int             argc,
                           Fts5Tokenizer **out)
{
  const DeskFtsModule *module = user_data;
  g_autofree const char **args = NULL;
  DeskFtsTokenizer *self;
  int n_args = 0;
  int rc;
  int i;

  /* Arguments given to "desk" go on to unicode61 after its defaults, so
   * tokenize="desk tokenchars '-'" works, and unicode61 rejects nonsense. */
  args = g_new (const char *, G_N_ELEMENTS (unicode61_args) + (gsize) MAX (argc, 0));
  for (i = 0; i < (int) G_N_ELEMENTS (unicode61_args); i++)
    args[n_args++] = unicode61_args[i];
  for (i = 0; i < argc; i++)
    args[n_args++] = argv[i];

  self = g_new0 (DeskFtsTokenizer, 1);
  self->module = module;
  rc = module->unicode61.xCreate (module->unicode61_data, args, n_args,
                                  &self->unicode61);
  if (rc != SQLITE_OK)
    {
      g_free (self);
      *out = NULL;
      return rc;
    }

  *out = (Fts5Tokenizer *) self;
  return SQLITE_OK;
}

static void
desk_fts_tokenizer_delete (Fts5Tokenizer *tokenizer)
{
  DeskFtsTokenizer *self = (DeskFtsTokenizer *) tokenizer;

  if (self == NULL)
    return;

  self->module->unicode61.xDelete (self->unicode61);
  g_free (self);
}

static int
desk_fts_tokenizer_tokenize (Fts5Tokenizer    *tokenizer,
                             void             *ctx,
                             int               flags,
                             const char       *text,
                             int               text_len,
                             DeskFtsTokenFunc  x_token)
{
  DeskFtsTokenizer *self = (DeskFtsTokenizer *) tokenizer;
  DeskFtsSplit split = { ctx, x_token, (const guchar *) text, text_len };

  /* The flags pass through untouched: a prefix query marks the last
   * token FTS5 receives as the prefix, which is the last piece. */
  return self->module->unicode61.xTokenize (self->unicode61, &split, flags,
                                            text, text_len, split_token);
}

/* "desk_rank": the rank of a search's newest matches, BM25 as FTS5's
 * bm25() computes it (k1 = 1.2, b = 0.75, one weight a column given as
 * the arguments, the headline's first) but for each word's rarity.
 * bm25() finds how many releases hold each word of the query by walking
 * every one of them (xQueryPhrase), once per query: at 500,000 releases a
 * common Thai or Chinese word is in tens of thousands, each checked
 * character by character as a phrase, and that walk cost more than half a
 * second however few matches are ranked.  The store ranks only the
 * newest matches, which all hold every word, so a word's rarity weighs
 * the same in each of them; dropping it leaves the order of a one-word
 * search as bm25() gives it, and in a search of several words makes each
 * word count alike.  A smaller value is a better match, as with bm25(). */
static void
desk_fts_rank (const Fts5ExtensionApi  *api,
               Fts5Context             *fts,
               sqlite3_context         *ctx,
               int                      n_args,
               sqlite3_value          **args)
{
  const double k1 = 1.2;
  const double b = 0.75;
  int n_phrases = api->xPhraseCount (fts);
  g_autofree double *freq = g_new0 (double, MAX (n_phrases, 1));
  sqlite3_int64 n_rows = 0;
  sqlite3_int64 n_tokens = 0;
  int doc_len = 0;
  int n_inst = 0;
  double avg_len;
  double score = 0;
  int rc;

  rc = api->xRowCount (fts, &n_rows);
  if (rc == SQLITE_OK)
    rc = api->xColumnTotalSize (fts, -1, &n_tokens);
  if (rc == SQLITE_OK)
    rc = api->xColumnSize (fts, -1, &doc_len);
  if (rc == SQLITE_OK)
    rc = api->xInstCount (fts, &n_inst);
  if (rc != SQLITE_OK)
    {
      sqlite3_result_error_code (ctx, rc);
      return;
    }

  for (int i = 0; i < n_inst; i++)
    {
      int phrase, column, offset;

      rc = api->xInst (fts, i, &phrase, &column, &offset);
      if (rc != SQLITE_OK)
        {
          sqlite3_result_error_code (ctx, rc);
          return;
        }
      if (phrase >= 0 && phrase < n_phrases)
        freq[phrase] += column < n_args ? sqlite3_value_double (args[column]) : 1.0;
    }

  avg_len = n_rows > 0 && n_tokens > 0 ? (double) n_tokens / (double) n_rows : 1.0;
  for (int i = 0; i < n_phrases; i++)
    score += freq[i] * (k1 + 1.0) / (freq[i] + k1 * (1.0 - b + b * doc_len / avg_len));

  sqlite3_result_double (ctx, -score);
}

static fts5_api *
get_fts5_api (sqlite3  *db,
              GError  **error)
{
  sqlite3_stmt *stmt = NULL;
  fts5_api *api = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (db, "SELECT fts5(?1)", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_bind_pointer (stmt, 1, &api, "fts5_api_ptr", NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW || api == NULL)
    {
      g_set_error (error, DESK_ERROR, DESK_ERROR_DATABASE,
                   _("SQLite’s FTS5 full-text search is not available: %s"),
                   rc == SQLITE_ROW ? "no fts5_api" : sqlite3_errmsg (db));
      api = NULL;
    }

  sqlite3_finalize (stmt);
  return api;
}

gboolean
desk_fts_register (sqlite3  *db,
                   GError  **error)
{
  /* FTS5 copies this. */
  fts5_tokenizer desk_tokenizer = {
    desk_fts_tokenizer_create,
    desk_fts_tokenizer_delete,
    desk_fts_tokenizer_tokenize,
  };
  g_autofree DeskFtsModule *module = NULL;
  fts5_api *api;
  int rc;

  g_return_val_if_fail (db != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  api = get_fts5_api (db, error);
  if (api == NULL)
    return FALSE;

  module = g_new0 (DeskFtsModule, 1);
  rc = api->xFindTokenizer (api, "unicode61", &module->unicode61_data,
                            &module->unicode61);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, DESK_ERROR, DESK_ERROR_DATABASE,
                   _("FTS5 has no unicode61 tokenizer: %s"),
                   sqlite3_errstr (rc));
      return FALSE;
    }

  /* FTS5 keeps the module until the connection closes, then frees it
   * with g_free(); if registration fails, it is ours to free. */
  rc = api->xCreateTokenizer (api, DESK_FTS_TOKENIZER, module,
                              &desk_tokenizer, g_free);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, DESK_ERROR, DESK_ERROR_DATABASE,
                   _("Could not register the “%s” full-text tokenizer: %s"),
                   DESK_FTS_TOKENIZER, sqlite3_errstr (rc));
      return FALSE;
    }

  g_steal_pointer (&module);

  rc = api->xCreateFunction (api, DESK_FTS_RANK, NULL, desk_fts_rank, NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, DESK_ERROR, DESK_ERROR_DATABASE,
                   _("Could not register the “%s” full-text rank function: %s"),
                   DESK_FTS_RANK, sqlite3_errstr (rc));
      return FALSE;
    }
  return TRUE;
}

/* Whether unicode61, as "desk" sets it up, keeps @c in a token.  A word
 * without any such character tokenizes to nothing; in an FTS5 query that
 * is an empty phrase "", which matches no row at all when it stands alone,
 * so such words are dropped and a query of nothing else becomes NULL. */
static gboolean
is_token_char (gunichar c)
{
  if (c < 0x80)
    return g_ascii_isalnum (c);

  /* Combining accents that unicode61 folds away to nothing. */
  if (c >= 0x0300 && c <= 0x0331)
    return FALSE;

  switch (g_unichar_type (c))
    {
    case G_UNICODE_LOWERCASE_LETTER:
    case G_UNICODE_MODIFIER_LETTER:
    case G_UNICODE_OTHER_LETTER:
    case G_UNICODE_TITLECASE_LETTER:
    case G_UNICODE_UPPERCASE_LETTER:
    case G_UNICODE_DECIMAL_NUMBER:
    case G_UNICODE_LETTER_NUMBER:
    case G_UNICODE_OTHER_NUMBER:
    case G_UNICODE_PRIVATE_USE:
    case G_UNICODE_NON_SPACING_MARK:
    case G_UNICODE_SPACING_MARK:
      return TRUE;
    default:
      return FALSE;
    }
}

/* Whether the last character of @query, a string of quoted words,
 * that the tokenizer keeps is one of an unspaced script (variation
 * selectors go with the character before them). */
static gboolean
ends_in_unspaced (const char *query,
                  gsize       len)
{
  const char *p = query + len;

  while (p > query)
    {
      gunichar c;

      p = g_utf8_prev_char (p);
      c = g_utf8_get_char (p);
      if (is_variation_selector (c) || !is_token_char (c))
        continue;
      return is_unspaced (c);
    }
  return FALSE;
}

char *
desk_fts_build_query (const char *user_query)
{
  g_autofree char *valid = NULL;
  g_autoptr(GString) query = NULL;
  const char *p;

  if (user_query == NULL)
    return NULL;

  /* FTS5 would cope with broken UTF-8, but g_utf8_get_char() would not. */
  valid = g_utf8_make_valid (user_query, -1);
  query = g_string_new (NULL);

  p = valid;
  while (*p != '\0')
    {
      const char *word;
      gboolean searchable = FALSE;

      while (*p != '\0' && g_unichar_isspace (g_utf8_get_char (p)))
        p = g_utf8_next_char (p);

      word = p;
      while (*p != '\0')
        {
          gunichar c = g_utf8_get_char (p);

          if (g_unichar_isspace (c))
            break;
          searchable = searchable || is_token_char (c);
          p = g_utf8_next_char (p);
        }

      if (!searchable)
        continue;

      /* Inside a string FTS5 gives no character a meaning but the quote
       * itself, which is escaped by doubling it: AND, NEAR(, *, ^, :,
       * parentheses all become plain text for the tokenizer. */
      if (query->len > 0)
        g_string_append_c (query, ' ');
      g_string_append_c (query, '"');
      for (; word < p; word++)
        {
          if (*word == '"')
            g_string_append_c (query, '"');
          g_string_append_c (query, *word);
        }
      g_string_append_c (query, '"');
    }

  if (query->len == 0)
    return NULL;

  /* The word being typed matches as a prefix; but where it ends in a
   * character of an unspaced script, that character is a token of its
   * own, which only itself begins, and a prefix would merely make FTS5
   * gather the whole index's list of every release holding it before the
   * first match could come. */
  if (!ends_in_unspaced (query->str, query->len))
    g_string_append_c (query, '*');
  return g_string_free (g_steal_pointer (&query), FALSE);
}
