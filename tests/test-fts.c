/* test-fts.c — the full-text tokenizer and query syntax, against SQLite
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include "desk-fts.h"

/* A real database file in a temporary directory, with the table the
 * tests search: the same shape as Copydesk's own index. */
typedef struct
{
  char    *dir;
  char    *path;
  sqlite3 *db;
} TestDb;

static void
exec_sql (sqlite3    *db,
          const char *sql)
{
  char *message = NULL;
  int rc = sqlite3_exec (db, sql, NULL, NULL, &message);

  if (rc != SQLITE_OK)
    g_error ("%s: %s", sql, message);
}

static TestDb *
test_db_new (void)
{
  g_autoptr(GError) error = NULL;
  TestDb *self = g_new0 (TestDb, 1);

  self->dir = g_dir_make_tmp ("copydesk-test-fts-XXXXXX", &error);
  g_assert_no_error (error);
  self->path = g_build_filename (self->dir, "index.db", NULL);
  g_assert_cmpint (sqlite3_open (self->path, &self->db), ==, SQLITE_OK);

  desk_fts_register (self->db, &error);
  g_assert_no_error (error);

  exec_sql (self->db,
            "CREATE VIRTUAL TABLE t USING fts5(headline, body, tokenize='desk')");
  return self;
}

static void
test_db_free (TestDb *self)
{
  g_assert_cmpint (sqlite3_close (self->db), ==, SQLITE_OK);
  g_assert_no_errno (g_remove (self->path));
  g_assert_no_errno (g_rmdir (self->dir));
  g_free (self->path);
  g_free (self->dir);
  g_free (self);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TestDb, test_db_free)

static void
insert (TestDb     *self,
        gint64      rowid,
        const char *headline,
        const char *body)
{
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (self->db,
                                       "INSERT INTO t (rowid, headline, body) VALUES (?, ?, ?)",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_int64 (stmt, 1, rowid);
  sqlite3_bind_text (stmt, 2, headline, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, body, -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_finalize (stmt);
}

/* Runs "SELECT @column FROM t WHERE t MATCH @match ORDER BY @order" and
 * returns the values joined by "|", "" for no rows.  Any SQLite error
 * fails the test: that is what the query syntax must never produce. */
static char *
select_matching (TestDb     *self,
                 const char *column,
                 const char *match,
                 const char *order)
{
  g_autoptr(GString) result = g_string_new (NULL);
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt = NULL;
  int rc;

  sql = g_strdup_printf ("SELECT %s FROM t WHERE t MATCH ?1 ORDER BY %s",
                         column, order);
  g_assert_cmpint (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, match, -1, SQLITE_STATIC);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      if (result->len > 0)
        g_string_append_c (result, '|');
      g_string_append (result, (const char *) sqlite3_column_text (stmt, 0));
    }
  if (rc != SQLITE_DONE)
    g_error ("MATCH '%s' failed: %s", match, sqlite3_errmsg (self->db));

  sqlite3_finalize (stmt);
  return g_string_free (g_steal_pointer (&result), FALSE);
}

/* The rowids matching an FTS5 expression, in rowid order. */
static char *
match_expr (TestDb     *self,
            const char *match)
{
  return select_matching (self, "rowid", match, "rowid");
}

/* The rowids matching what an editor typed into the search field. */
static char *
search (TestDb     *self,
        const char *typed)
{
  g_autofree char *match = desk_fts_build_query (typed);

  g_assert_nonnull (match);
  return match_expr (self, match);
}

#define assert_search(db, typed, expected) \
  G_STMT_START { \
    g_autofree char *_found = search ((db), (typed)); \
    g_assert_cmpstr (_found, ==, (expected)); \
  } G_STMT_END

#define assert_match(db, match, expected) \
  G_STMT_START { \
    g_autofree char *_found = match_expr ((db), (match)); \
    g_assert_cmpstr (_found, ==, (expected)); \
  } G_STMT_END

/* Calling the tokenizer directly, to see its tokens and offsets. */

static fts5_api *
get_fts5_api (sqlite3 *db)
{
  sqlite3_stmt *stmt = NULL;
  fts5_api *api = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT fts5(?1)", -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_pointer (stmt, 1, &api, "fts5_api_ptr", NULL);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  sqlite3_finalize (stmt);
  g_assert_nonnull (api);
  return api;
}

typedef struct
{
  GString    *out;
  const char *text;
  int         text_len;
  int         last_start;
} Tokens;

/* Checks the tokenizer contract on every token and writes it down as
 * "token@start-end", or "token@start-end=original" when the original
 * differs from the token. */
static int
collect_token (void       *user_data,
               int         tflags,
               const char *token,
               int         token_len,
               int         start,
               int         end)
{
  Tokens *tokens = user_data;
  g_autofree char *original = NULL;

  g_assert_cmpint (tflags, ==, 0);
  g_assert_cmpint (token_len, >, 0);
  g_assert_cmpint (start, >=, 0);
  g_assert_cmpint (start, <, end);
  g_assert_cmpint (end, <=, tokens->text_len);
  g_assert_cmpint (start, >=, tokens->last_start);
  tokens->last_start = start;

  if (tokens->out->len > 0)
    g_string_append_c (tokens->out, ' ');
  g_string_append_len (tokens->out, token, token_len);
  g_string_append_printf (tokens->out, "@%d-%d", start, end);

  original = g_strndup (tokens->text + start, end - start);
  if (token_len != end - start || memcmp (token, original, token_len) != 0)
    g_string_append_printf (tokens->out, "=%s", original);

  return SQLITE_OK;
}

static char *
tokenize_len (sqlite3    *db,
              int         flags,
              const char *text,
              int         text_len)
{
  fts5_api *api = get_fts5_api (db);
  fts5_tokenizer tokenizer;
  Fts5Tokenizer *instance = NULL;
  void *user_data = NULL;
  Tokens tokens = { g_string_new (NULL), text, text_len, 0 };

  g_assert_cmpint (api->xFindTokenizer (api, DESK_FTS_TOKENIZER, &user_data, &tokenizer), ==, SQLITE_OK);
  g_assert_cmpint (tokenizer.xCreate (user_data, NULL, 0, &instance), ==, SQLITE_OK);
  g_assert_cmpint (tokenizer.xTokenize (instance, &tokens, flags, text, text_len, collect_token), ==, SQLITE_OK);
  tokenizer.xDelete (instance);

  return g_string_free (tokens.out, FALSE);
}

static char *
tokenize (sqlite3    *db,
          const char *text)
{
  return tokenize_len (db, FTS5_TOKENIZE_DOCUMENT, text, strlen (text));
}

#define assert_tokens(db, text, expected) \
  G_STMT_START { \
    g_autofree char *_tokens = tokenize ((db), (text)); \
    g_assert_cmpstr (_tokens, ==, (expected)); \
  } G_STMT_END

/* The tests */

static void
test_latin_words_match_ignoring_case_and_diacritics (void)
{
  g_autoptr(TestDb) db = test_db_new ();

  insert (db, 1, "Rusia dan AS sepakat gencatan senjata",
          "Perundingan di Istanbul, Türkiye, berlangsung tertutup.");
  insert (db, 2, "Harga beras naik menjelang Lebaran",
          "The government says rice prices will stabilise after the harvest.");

  assert_match (db, "\"Turkiye\"", "1");
  assert_match (db, "\"TÜRKIYE\"", "1");
  assert_match (db, "\"turkíye\"", "1");
  assert_match (db, "\"istanbul\"", "1");
  assert_match (db, "\"BERAS\"", "2");
  assert_match (db, "\"rice\"", "2");
  assert_match (db, "\"harvest\"", "2");
  assert_match (db, "\"Jakarta\"", "");
  /* A Latin word is a whole word, not a substring. */
  assert_match (db, "\"ras\"", "");
}

static void
test_last_typed_word_matches_as_prefix (void)
{
  g_autoptr(TestDb) db = test_db_new ();

  insert (db, 1, "Rusia dan AS sepakat gencatan senjata",
          "Perundingan di Istanbul, Türkiye, berlangsung tertutup.");
  insert (db, 2, "Harga beras naik menjelang Lebaran", "Rice prices stabilise.");

  assert_search (db, "Rusia AS", "1");
  assert_search (db, "rusia gencat", "1");
  assert_search (db, "stabilis", "2");
  assert_search (db, "turk", "1");
  assert_search (db, "Türk", "1");
  /* Every word must be there: the words are ANDed. */
  assert_search (db, "harga senjata", "");
  /* Only the last word is a prefix. */
  assert_search (db, "gencat senjata", "");
}

static void
test_chinese_word_is_found_inside_unspaced_sentence (void)
{
  g_autoptr(TestDb) db = test_db_new ();

  insert (db, 1, "北京时间今天上午国家主席在人民大会堂会见了来访的代表团", "");
  insert (db, 2, "上海证券交易所今日开市", "");

  assert_match (db, "\"北京\"", "1");
  assert_match (db, "\"人民大会堂\"", "1");
  assert_match (db, "\"上海\"", "2");
  assert_match (db, "\"今\"", "1|2");
  assert_search (db, "北京", "1");
  assert_search (db, "会见 代表团", "1");
}

static void
test_chinese_word_absent_from_text_is_not_found (void)
{
  g_autoptr(TestDb) db = test_db_new ();

  insert (db, 1, "北京时间今天上午国家主席在人民大会堂会见了来访的代表团", "");

  assert_match (db, "\"广州\"", "");
  assert_search (db, "广州", "");
  assert_search (db, "北京 广州", "");
}

static void
test_chinese_characters_that_are_not_adjacent_do_not_match (void)
{
  g_autoptr(TestDb) db = test_db_new ();

  /* 北 and 上 both occur, six characters apart; 京 and 北 only the other
   * way round. */
  insert (db, 1, "北京时间今天上午国家主席在人民大会堂会见了来访的代表团", "");

  assert_match (db, "\"北上\"", "");
  assert_match (db, "\"京北\"", "");
  assert_search (db, "北上", "");
  /* As separate words they are both there. */
  assert_search (db, "北 上", "1");
}

static void
test_japanese_mixing_kanji_kana_and_latin_is_searchable (void)
{
  g_autoptr(TestDb) db = test_db_new ();

  insert (db, 1, "アップルが9月にiPhone発売を発表",
          "新型スマートフォンは東京でも販売される。");
  insert (db, 2, "日本銀行が金利を据え置き", "");

  assert_search (db, "発売", "1");
  assert_search (db, "iphone", "1");
  assert_search (db, "iPhone発売", "1");
  assert_search (db, "スマートフォン", "1");
  assert_search (db, "アップル", "1");
  assert_search (db, "東京", "1");
  assert_search (db, "日本", "2");
  assert_search (db, "据え置き", "2");
  assert_search (db, "アンドロイド", "");
  assert_search (db, "大阪", "");
  /* Halfwidth katakana are split like their fullwidth forms. */
  assert_tokens (db->db, "ｱｯﾌﾟﾙ", "ｱ@0-3 ｯ@3-6 ﾌ@6-9 ﾟ@9-12 ﾙ@12-15");
}

static void
test_thai_words_are_found_inside_unspaced_text (void)
{
  g_autoptr(TestDb) db = test_db_new ();

  insert (db, 1, "ภาษาไทยเป็นภาษาราชการของประเทศไทย", "");
  insert (db, 2, "กรุงเทพมหานครเป็นเมืองหลวง", "");

  assert_search (db, "ภาษาไทย", "1");
  assert_search (db, "ราชการ", "1");
  assert_search (db, "เป็น", "1|2");
  assert_search (db, "เมืองหลวง", "2");
  assert_search (db, "ภาษาลาว", "");
  assert_search (db, "ญี่ปุ่น", "");
  /* The vowel and tone marks are part of what must match: เปน is not เป็น. */
  assert_search (db, "เปน", "");
}

static void
test_korean_word_separated_by_spaces_is_found (void)
{
  g_autoptr(TestDb) db = test_db_new ();

  insert (db, 1, "대한민국 정부는 오늘 새 경제 정책을 발표했다", "");

  assert_match (db, "\"정부는\"", "1");
  assert_match (db, "\"경제\"", "1");
  assert_match (db, "\"일본\"", "");
  /* Hangul keeps whole words, like Latin: a stem finds them only as the
   * prefix that desk_fts_build_query() makes of the last word. */
  assert_match (db, "\"정부\"", "");
  assert_search (db, "정부", "1");
  assert_tokens (db->db, "정부는 오늘", "정부는@0-9 오늘@10-16");
}

static void
test_tokens_split_unspaced_scripts_into_characters (void)
{
  g_autoptr(TestDb) db = test_db_new ();

  assert_tokens (db->db, "Türkiye MENANG", "turkiye@0-8=Türkiye menang@9-15=MENANG");
  assert_tokens (db->db, "iPhone発売", "iphone@0-6=iPhone 発@6-9 売@9-12");
  assert_tokens (db->db, "9月に東京", "9@0-1 月@1-4 に@4-7 東@7-10 京@10-13");
  assert_tokens (db->db, "北京，上海", "北@0-3 京@3-6 上@9-12 海@12-15");
  assert_tokens (db->db, "ไทย", "ไ@0-3 ท@3-6 ย@6-9");
  /* Combining marks stay with Thai, as characters of their own. */
  assert_tokens (db->db, "เป็น", "เ@0-3 ป@3-6 ็@6-9 น@9-12");
  /* Hindi keeps its vowel signs inside the word, untouched. */
  assert_tokens (db->db, "हिन्दी भाषा", "हिन्दी@0-18 भाषा@19-31");
  /* Extension B ideographs and compatibility ideographs. */
  assert_tokens (db->db, "𠮷野家", "𠮷@0-4 野@4-7 家@7-10");
  assert_tokens (db->db, "ABC\xef\xa4\x80", "abc@0-3=ABC \xef\xa4\x80@3-6");
  /* A variation selector goes with its ideograph and out of the token. */
  assert_tokens (db->db, "葛\xf3\xa0\x84\x80飾区", "葛@0-7=葛\xf3\xa0\x84\x80 飾@7-10 区@10-13");
  /* A combining accent that unicode61 folds away leaves the token one
   * character shorter than the text: every piece gets the whole span. */
  assert_tokens (db->db, "e\xcc\x81北京",
                 "e@0-9=e\xcc\x81北京 北@0-9=e\xcc\x81北京 京@0-9=e\xcc\x81北京");
  /* … and on its own it makes no empty token. */
  assert_tokens (db->db, "a \xcc\x81 b", "a@0-1 b@5-6");
}

static void
test_highlight_and_snippet_bracket_exactly_the_found_word (void)
{
  g_autoptr(TestDb) db = test_db_new ();
  g_autofree char *highlight = NULL;
  g_autofree char *snippet = NULL;

  insert (db, 1, "天气", "今天北京天气很好，上海有雨。");
  insert (db, 2, "新闻", "アップルが9月にiPhone発売を発表した。");
  insert (db, 3, "ไทย", "ภาษาไทยเป็นภาษาราชการ");
  insert (db, 4, "IVS", "葛\xf3\xa0\x84\x80飾区役所");
  insert (db, 5, "天气", "据新华社报道，今天北京天气很好，上海有雨，广州多云转晴，深圳气温较高。");
  insert (db, 6, "accent", "Cafe\xcc\x81東京");

  highlight = select_matching (db, "highlight(t, 1, '[', ']')", "\"北京\"", "rowid");
  g_assert_cmpstr (highlight, ==, "今天[北京]天气很好，上海有雨。|"
                   "据新华社报道，今天[北京]天气很好，上海有雨，广州多云转晴，深圳气温较高。");
  g_clear_pointer (&highlight, g_free);

  highlight = select_matching (db, "highlight(t, 1, '[', ']')", "(\"上海\" OR \"天\") NOT \"广州\"", "rowid");
  g_assert_cmpstr (highlight, ==, "今[天]北京[天]气很好，[上海]有雨。");
  g_clear_pointer (&highlight, g_free);

  highlight = select_matching (db, "highlight(t, 1, '[', ']')", "\"iphone発売\"", "rowid");
  g_assert_cmpstr (highlight, ==, "アップルが9月に[iPhone発売]を発表した。");
  g_clear_pointer (&highlight, g_free);

  highlight = select_matching (db, "highlight(t, 1, '[', ']')", "\"ราชการ\"", "rowid");
  g_assert_cmpstr (highlight, ==, "ภาษาไทยเป็นภาษา[ราชการ]");
  g_clear_pointer (&highlight, g_free);

  highlight = select_matching (db, "highlight(t, 1, '[', ']')", "\"葛飾\"", "rowid");
  g_assert_cmpstr (highlight, ==, "[葛\xf3\xa0\x84\x80飾]区役所");
  g_clear_pointer (&highlight, g_free);

  /* A combining accent unicode61 drops leaves the pieces of its token
   * without offsets of their own: the whole token is highlighted. */
  highlight = select_matching (db, "highlight(t, 1, '[', ']')", "\"東京\"", "rowid");
  g_assert_cmpstr (highlight, ==, "[Cafe\xcc\x81東京]");
  g_clear_pointer (&highlight, g_free);

  /* snippet() counts tokens, which in Chinese are characters. */
  snippet = select_matching (db, "snippet(t, 1, '[', ']', '…', 8)", "\"广州\"", "rowid");
  g_assert_cmpstr (snippet, ==, "…海有雨，[广州]多云转…");
}

static void
test_bm25_ranks_headline_match_first (void)
{
  g_autoptr(TestDb) db = test_db_new ();
  g_autofree char *ranked = NULL;

  insert (db, 1, "Cuaca ekstrem melanda pesisir",
          "Hujan deras memicu banjir di sejumlah kelurahan; banjir surut malam hari.");
  insert (db, 2, "Banjir rendam Jakarta Utara",
          "Warga mengungsi ke masjid terdekat.");
  insert (db, 3, "Harga cabai naik", "Pedagang mengeluh sepi pembeli.");
  insert (db, 4, "天气", "北京暴雨，北京多地积水。");
  insert (db, 5, "北京暴雨", "市民出行受阻。");

  ranked = select_matching (db, "rowid", "\"banjir\"", "bm25(t, 5.0, 1.0)");
  g_assert_cmpstr (ranked, ==, "2|1");
  g_clear_pointer (&ranked, g_free);

  ranked = select_matching (db, "rowid", "\"北京\"", "bm25(t, 5.0, 1.0)");
  g_assert_cmpstr (ranked, ==, "5|4");
}

/* desk_rank() is bm25() without the words' rarity: for a search of one
 * word it orders the matches exactly as bm25() does, headline matches
 * first. */
static void
test_desk_rank_orders_one_word_as_bm25 (void)
{
  g_autoptr(TestDb) db = test_db_new ();
  const char *words[] = { "\"banjir\"", "\"北京\"", "\"เทคโนโลยี\"", "\"ban\"*" };

  insert (db, 1, "Cuaca ekstrem melanda pesisir",
          "Hujan deras memicu banjir di sejumlah kelurahan; banjir surut malam hari.");
  insert (db, 2, "Banjir rendam Jakarta Utara",
          "Warga mengungsi ke masjid terdekat.");
  insert (db, 3, "Harga cabai naik", "Pedagang mengeluh sepi pembeli. Banjir?");
  insert (db, 4, "天气", "北京暴雨，北京多地积水。");
  insert (db, 5, "北京暴雨", "市民出行受阻。");
  insert (db, 6, "ข่าวเทคโนโลยี", "บริษัทเปิดตัวเทคโนโลยีใหม่");
  insert (db, 7, "ข่าวธุรกิจ", "เทคโนโลยี เทคโนโลยี และการลงทุน banjir banjir banjir banjir");
  insert (db, 8, "Banjir bandang", "Banjir lagi, bantuan datang. 北京");

  for (gsize i = 0; i < G_N_ELEMENTS (words); i++)
    {
      g_autofree char *by_bm25 = select_matching (db, "rowid", words[i], "bm25(t, 10.0, 1.0), rowid DESC");
      g_autofree char *by_desk = select_matching (db, "rowid", words[i], DESK_FTS_RANK "(t, 10.0, 1.0), rowid DESC");

      g_assert_cmpstr (by_desk, ==, by_bm25);
      g_assert_cmpstr (by_desk, !=, "");
    }

  {
    g_autofree char *ranked = select_matching (db, "rowid", "\"banjir\"", DESK_FTS_RANK "(t, 10.0, 1.0)");
    g_assert_true (g_str_has_prefix (ranked, "8|2|"));
  }
}

/* A word ending in a character of an unspaced script finds what it found
 * when it was a prefix: that character is a token only itself begins. */
static void
test_unspaced_last_word_finds_what_its_prefix_found (void)
{
  g_autoptr(TestDb) db = test_db_new ();
  const char *typed[] = { "上海", "北京 上海", "株式会社", "การลงทุน", "ที่", "ข่าว", "Jakarta 上海", "海" };

  insert (db, 1, "上海车展", "上海市，上海人");
  insert (db, 2, "北京", "北京上海高铁");
  insert (db, 3, "株式会社トヨタ", "株式会社の決算");
  insert (db, 4, "การลงทุนในไทย", "ที่ประชุมเห็นชอบการลงทุน");
  insert (db, 5, "ข่าวเทคโนโลยี", "ที่นี่");
  insert (db, 6, "Jakarta", "Jakarta 上海 上海x 上海1");
  insert (db, 7, "海外", "no");

  for (gsize i = 0; i < G_N_ELEMENTS (typed); i++)
    {
      g_autofree char *query = desk_fts_build_query (typed[i]);
      g_autofree char *prefixed = g_strconcat (query, "*", NULL);
      g_autofree char *found = match_expr (db, query);
      g_autofree char *found_as_prefix = match_expr (db, prefixed);

      g_assert_false (g_str_has_suffix (query, "*"));
      g_assert_cmpstr (found, ==, found_as_prefix);
      g_assert_cmpstr (found, !=, "");
    }
}

static void
test_query_quotes_every_word_and_prefixes_the_last (void)
{
  const struct {
    const char *typed;
    const char *expected;
  } cases[] = {
    { "Rusia AS", "\"Rusia\" \"AS\"*" },
    { "  banjir \t Jakarta\n", "\"banjir\" \"Jakarta\"*" },
    { "say \"hello\"", "\"say\" \"\"\"hello\"\"\"*" },
    { "AND", "\"AND\"*" },
    { "a OR b", "\"a\" \"OR\" \"b\"*" },
    { "NEAR(a b)", "\"NEAR(a\" \"b)\"*" },
    { "a*b", "\"a*b\"*" },
    { "headline:x", "\"headline:x\"*" },
    { "- banjir", "\"banjir\"*" },
    { "banjir -", "\"banjir\"*" },
    /* A last word ending in Chinese, Japanese or Thai ends in a token of
     * one character, which only itself begins: no prefix. */
    { "北京\u3000上海", "\"北京\" \"上海\"" },
    { "上海 Jakar", "\"上海\" \"Jakar\"*" },
    { "Jakarta 上海。", "\"Jakarta\" \"上海。\"" },
    { "北京abc", "\"北京abc\"*" },
    { "การลงทุน", "\"การลงทุน\"" },
    { "ที่", "\"ที่\"" },
    { "葛\xf3\xa0\x84\x80", "\"葛\xf3\xa0\x84\x80\"" },
    { "Türkiye", "\"Türkiye\"*" },
    { "🎉banjir", "\"🎉banjir\"*" },
    { "", NULL },
    { " \t\n\u3000\u00a0", NULL },
    { "\"", NULL },
    { "(", NULL },
    { "^", NULL },
    { "-", NULL },
    { "*", NULL },
    { "\"\" () ^ - * : +", NULL },
    { "🎉", NULL },
    { "\xcc\x81", NULL },
  };
  gsize i;

  g_assert_null (desk_fts_build_query (NULL));

  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *query = desk_fts_build_query (cases[i].typed);

      g_assert_cmpstr (query, ==, cases[i].expected);
    }
}

static void
test_query_from_hostile_input_never_fails (void)
{
  g_autoptr(TestDb) db = test_db_new ();
  const char *hostile[] = {
    "\"", "\"\"", "\"\"\"", "(", ")", "()", "AND", "OR", "NOT", "a AND", "OR b",
    "NOT x", "NEAR(", "NEAR(a b, 2)", "NEAR", "a*b", "*", "**a", "a*", "^", "^a",
    "headline:x", "body:", ":", "{headline body}: x", "-", "-x", "+", "a + b",
    "🎉", "🎉🎉 banjir", "", "   ", "\t\n", "北京\"上海", "\"北京", "ภาษา\"",
    "\xcc\x81", "a \xcc\x81", "\xcc\x81 a", "\xff\xfe", "abc\xff", "\xe5\x8c",
    "\x01\x02", "x\x7f", "a:b:c", "col:\"x\"", "'", "';--", "%", "_", "\\",
  };
  const char *alphabet[] = {
    "\"", "(", ")", "*", "^", ":", "-", "+", " ", "\t", "AND", "OR", "NOT",
    "NEAR", ",", "a", "é", "北", "京", "ภ", "🎉", "\xcc\x81", "headline",
  };
  gsize i;

  insert (db, 1, "Banjir Jakarta", "北京 ภาษา AND OR NOT near headline a");

  for (i = 0; i < G_N_ELEMENTS (hostile); i++)
    {
      g_autofree char *query = desk_fts_build_query (hostile[i]);

      if (query != NULL)
        g_free (match_expr (db, query));
    }

  for (i = 0; i < (g_test_thorough () ? 100000 : 2000); i++)
    {
      g_autoptr(GString) typed = g_string_new (NULL);
      g_autofree char *query = NULL;
      int n = g_test_rand_int_range (0, 8);
      int j;

      for (j = 0; j < n; j++)
        g_string_append (typed, alphabet[g_test_rand_int_range (0, G_N_ELEMENTS (alphabet))]);

      query = desk_fts_build_query (typed->str);
      if (query != NULL)
        g_free (match_expr (db, query));
    }
}

static void
test_tokenizer_keeps_contract_on_malformed_text (void)
{
  g_autoptr(TestDb) db = test_db_new ();
  const guchar pieces[][4] = {
    { 'a' }, { 'Z' }, { ' ' }, { 0xe5, 0x8c, 0x97 }, { 0xe0, 0xb8, 0xa0 },
    { 0xcc, 0x81 }, { 0xc3, 0xa9 }, { 0x80 }, { 0xbf }, { 0xc0 }, { 0xe5 },
    { 0xf0, 0xa0 }, { 0xf8 }, { 0xfe }, { 0xff }, { 0xef, 0xb8, 0x8f },
    { 0xf3, 0xa0, 0x84, 0x80 }, { 0xef, 0xbd, 0xb1 }, { 0xea, 0xb0, 0x80 },
    { 0xf0, 0xa0, 0xae, 0xb7 },
  };
  int i;

  /* Lead bytes that swallow more continuation bytes than they should, or
   * fewer, or none at all, next to ideographs, Thai and accents: every
   * token must still be non-empty and lie inside the text. */
  for (i = 0; i < (g_test_thorough () ? 300000 : 3000); i++)
    {
      g_autoptr(GString) text = g_string_new (NULL);
      int n = g_test_rand_int_range (1, 16);
      int j;

      for (j = 0; j < n; j++)
        {
          const guchar *piece = pieces[g_test_rand_int_range (0, G_N_ELEMENTS (pieces))];
          gsize len = strnlen ((const char *) piece, sizeof pieces[0]);

          g_string_append_len (text, (const char *) piece, len);
        }

      g_free (tokenize_len (db->db, FTS5_TOKENIZE_DOCUMENT, text->str, text->len));
      g_free (tokenize_len (db->db, FTS5_TOKENIZE_QUERY | FTS5_TOKENIZE_PREFIX,
                            text->str, text->len));
    }

  /* And FTS5 itself indexes and highlights such text without trouble. */
  insert (db, 1, "\xe5\x8c\x97\x80\x80\xe4\xba\xac\xc3\xa9\x80\x80\x80", "\xff\xe5\x8c\x97");
  g_free (select_matching (db, "highlight(t, 0, '[', ']')", "\"\xe5\x8c\x97\"", "rowid"));
}

static int
query_int (sqlite3    *db,
           const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  int value;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  return value;
}

static void
test_tokenizer_arguments_go_to_unicode61 (void)
{
  g_autoptr(TestDb) db = test_db_new ();
  char *message = NULL;
  int rc;

  /* With '-' a token character, COVID-19 is one token: the whole of it
   * is found, "covid" on its own is not. */
  exec_sql (db->db,
            "CREATE VIRTUAL TABLE u USING fts5(x, tokenize='desk tokenchars ''-''');"
            "INSERT INTO u VALUES ('COVID-19 di 北京')");
  g_assert_cmpint (query_int (db->db, "SELECT count(*) FROM u WHERE u MATCH '\"covid-19\" \"京\"'"), ==, 1);
  g_assert_cmpint (query_int (db->db, "SELECT count(*) FROM u WHERE u MATCH '\"covid\"'"), ==, 0);

  rc = sqlite3_exec (db->db, "CREATE VIRTUAL TABLE v USING fts5(x, tokenize='desk bogus')",
                     NULL, NULL, &message);
  g_assert_cmpint (rc, !=, SQLITE_OK);
  g_test_message ("tokenize='desk bogus': %s", message);
  sqlite3_free (message);
}

static void
test_registering_twice_is_harmless (void)
{
  g_autoptr(TestDb) db = test_db_new ();
  g_autoptr(GError) error = NULL;

  insert (db, 1, "北京", "Banjir");
  g_assert_true (desk_fts_register (db->db, &error));
  g_assert_no_error (error);

  exec_sql (db->db, "CREATE VIRTUAL TABLE u USING fts5(x, tokenize='desk')");
  assert_search (db, "北京 banjir", "1");
  g_assert_cmpint (query_int (db->db, "SELECT count(*) FROM t WHERE t MATCH '\"京\"'"), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/fts/latin/words-match-ignoring-case-and-diacritics",
                   test_latin_words_match_ignoring_case_and_diacritics);
  g_test_add_func ("/fts/latin/last-typed-word-matches-as-prefix",
                   test_last_typed_word_matches_as_prefix);
  g_test_add_func ("/fts/chinese/word-is-found-inside-unspaced-sentence",
                   test_chinese_word_is_found_inside_unspaced_sentence);
  g_test_add_func ("/fts/chinese/word-absent-from-text-is-not-found",
                   test_chinese_word_absent_from_text_is_not_found);
  g_test_add_func ("/fts/chinese/characters-that-are-not-adjacent-do-not-match",
                   test_chinese_characters_that_are_not_adjacent_do_not_match);
  g_test_add_func ("/fts/japanese/mixing-kanji-kana-and-latin-is-searchable",
                   test_japanese_mixing_kanji_kana_and_latin_is_searchable);
  g_test_add_func ("/fts/thai/words-are-found-inside-unspaced-text",
                   test_thai_words_are_found_inside_unspaced_text);
  g_test_add_func ("/fts/korean/word-separated-by-spaces-is-found",
                   test_korean_word_separated_by_spaces_is_found);
  g_test_add_func ("/fts/tokenizer/splits-unspaced-scripts-into-characters",
                   test_tokens_split_unspaced_scripts_into_characters);
  g_test_add_func ("/fts/tokenizer/keeps-contract-on-malformed-text",
                   test_tokenizer_keeps_contract_on_malformed_text);
  g_test_add_func ("/fts/tokenizer/arguments-go-to-unicode61",
                   test_tokenizer_arguments_go_to_unicode61);
  g_test_add_func ("/fts/tokenizer/can-be-registered-twice",
                   test_registering_twice_is_harmless);
  g_test_add_func ("/fts/highlight/brackets-exactly-the-found-word",
                   test_highlight_and_snippet_bracket_exactly_the_found_word);
  g_test_add_func ("/fts/rank/bm25-ranks-headline-match-first",
                   test_bm25_ranks_headline_match_first);
  g_test_add_func ("/fts/rank/desk-rank-orders-one-word-as-bm25",
                   test_desk_rank_orders_one_word_as_bm25);
  g_test_add_func ("/fts/query/unspaced-last-word-finds-what-its-prefix-found",
                   test_unspaced_last_word_finds_what_its_prefix_found);
  g_test_add_func ("/fts/query/quotes-every-word-and-prefixes-the-last",
                   test_query_quotes_every_word_and_prefixes_the_last);
  g_test_add_func ("/fts/query/hostile-input-never-fails",
                   test_query_from_hostile_input_never_fails);

  return g_test_run ();
}
