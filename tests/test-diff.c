/* test-diff.c — the word-level diff behind the review window, and its counters
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib.h>
#include <stdarg.h>
#include <string.h>

#include "desk-diff.h"
#include "desk-diff-private.h"
#include "desk-release.h"

static char *
substring (const char *text,
           guint       start,
           guint       end)
{
  const char *from = g_utf8_offset_to_pointer (text, start);
  const char *to = g_utf8_offset_to_pointer (text, end);

  return g_strndup (from, to - from);
}

/* What must hold for any pair: spans in order, back to back, covering
 * both texts; EQUAL spans select the same text on both sides; DELETE and
 * INSERT are empty on the side they are not in; no empty span and no two
 * EQUAL spans in a row. */
static void
assert_spans_cover (const char *old_text,
                    const char *new_text,
                    GArray     *spans)
{
  guint old_at = 0, new_at = 0;

  for (guint i = 0; i < spans->len; i++)
    {
      const DeskDiffSpan *span = &g_array_index (spans, DeskDiffSpan, i);

      g_assert_cmpuint (span->old_start, ==, old_at);
      g_assert_cmpuint (span->new_start, ==, new_at);
      g_assert_cmpuint (span->old_end, >=, span->old_start);
      g_assert_cmpuint (span->new_end, >=, span->new_start);
      g_assert_true (span->old_end > span->old_start || span->new_end > span->new_start);
      switch (span->op)
        {
        case DESK_DIFF_EQUAL:
          {
            g_autofree char *old_part = substring (old_text, span->old_start, span->old_end);
            g_autofree char *new_part = substring (new_text, span->new_start, span->new_end);

            g_assert_cmpstr (old_part, ==, new_part);
            if (i > 0)
              g_assert_cmpint (g_array_index (spans, DeskDiffSpan, i - 1).op, !=, DESK_DIFF_EQUAL);
          }
          break;
        case DESK_DIFF_DELETE:
          g_assert_cmpuint (span->new_end, ==, span->new_start);
          break;
        case DESK_DIFF_INSERT:
          g_assert_cmpuint (span->old_end, ==, span->old_start);
          break;
        default:
          g_assert_not_reached ();
        }
      old_at = span->old_end;
      new_at = span->new_end;
    }
  g_assert_cmpuint (old_at, ==, g_utf8_strlen (old_text, -1));
  g_assert_cmpuint (new_at, ==, g_utf8_strlen (new_text, -1));
}

/* Diffs @old_text against @new_text and checks the spans against the
 * expected ones, each written as "=text", "-text" or "+text" (what the span
 * selects in the old text for = and -, in the new text for +), then NULL. */
static GArray *
assert_diff (const char *old_text,
             const char *new_text,
             ...)
{
  g_autoptr(GArray) spans = desk_diff_words (old_text, new_text);
  g_autoptr(GString) got = g_string_new (NULL);
  g_autoptr(GString) expected = g_string_new (NULL);
  const char *item;
  va_list args;

  assert_spans_cover (old_text, new_text, spans);

  for (guint i = 0; i < spans->len; i++)
    {
      const DeskDiffSpan *span = &g_array_index (spans, DeskDiffSpan, i);
      g_autofree char *part = span->op == DESK_DIFF_INSERT
        ? substring (new_text, span->new_start, span->new_end)
        : substring (old_text, span->old_start, span->old_end);

      g_string_append_printf (got, "%c%s|", "=-+"[span->op], part);
    }

  va_start (args, new_text);
  while ((item = va_arg (args, const char *)) != NULL)
    g_string_append_printf (expected, "%s|", item);
  va_end (args);

  g_assert_cmpstr (got->str, ==, expected->str);
  return g_steal_pointer (&spans);
}

#define check_diff(old_text, new_text, ...) \
  g_array_unref (assert_diff (old_text, new_text, __VA_ARGS__))

/* ---- semantic clean-up and placement ---- */

static void
test_replaced_phrase (void)
{
  check_diff ("the quick brown fox", "a slow red fox",
              "-the quick brown", "+a slow red", "= fox", NULL);
}

static void
test_separate_words_stay_separate (void)
{
  /* " jumps over the " holds three words: never folded, both edits show
   * on their own. */
  check_diff ("the quick fox jumps over the lazy dog",
              "the slow fox jumps over the sleepy dog",
              "=the ", "-quick", "+slow", "= fox jumps over the ", "-lazy", "+sleepy", "= dog", NULL);
}

static void
test_short_equality_kept_beside_short_changes (void)
{
  /* The equality " b " is no shorter than the one-letter changes around
   * it, so it is not folded. */
  check_diff ("a b c", "x b y", "-a", "+x", "= b ", "-c", "+y", NULL);
}

static void
test_one_word_in_long_paragraph (void)
{
  const char *old_text =
    "Putaran berikutnya dari pembicaraan Rusia-AS yang bertujuan untuk meningkatkan "
    "hubungan diplomatik akan berlangsung di Istanbul, Turkiye dalam beberapa hari "
    "mendatang, Kementerian Luar Negeri Rusia mengkonfirmasi pada hari Selasa. Kedua "
    "negara telah mengadakan beberapa putaran pertemuan tingkat tinggi sejak Presiden "
    "AS Donald Trump menjabat pada bulan Januari.";
  const char *new_text =
    "Putaran berikutnya dari pembicaraan Rusia-AS yang bertujuan untuk meningkatkan "
    "hubungan diplomatik akan berlangsung di Istanbul, Turkiye dalam beberapa hari "
    "mendatang, Kementerian Luar Negeri Rusia menegaskan pada hari Selasa. Kedua "
    "negara telah mengadakan beberapa putaran pertemuan tingkat tinggi sejak Presiden "
    "AS Donald Trump menjabat pada bulan Januari.";
  g_autoptr(GArray) spans = desk_diff_words (old_text, new_text);
  const DeskDiffSpan *deleted, *inserted;
  g_autofree char *old_word = NULL;
  g_autofree char *new_word = NULL;

  assert_spans_cover (old_text, new_text, spans);
  g_assert_cmpuint (spans->len, ==, 4);
  deleted = &g_array_index (spans, DeskDiffSpan, 1);
  inserted = &g_array_index (spans, DeskDiffSpan, 2);
  g_assert_cmpint (deleted->op, ==, DESK_DIFF_DELETE);
  g_assert_cmpint (inserted->op, ==, DESK_DIFF_INSERT);
  old_word = substring (old_text, deleted->old_start, deleted->old_end);
  new_word = substring (new_text, inserted->new_start, inserted->new_end);
  g_assert_cmpstr (old_word, ==, "mengkonfirmasi");
  g_assert_cmpstr (new_word, ==, "menegaskan");
  g_assert_cmpuint (inserted->old_start, ==, deleted->old_end);
  g_assert_cmpuint (deleted->new_start, ==, inserted->new_start);
}

static void
test_changed_letters_highlight_whole_word (void)
{
  check_diff ("one word here", "one words here", "=one ", "-word", "+words", "= here", NULL);
  check_diff ("the recieve path", "the receive path", "=the ", "-recieve", "+receive", "= path", NULL);
}

static void
test_inserted_word_starts_on_the_word (void)
{
  check_diff ("the cat sat", "the big cat sat", "=the ", "+big ", "=cat sat", NULL);
  check_diff ("the big cat sat", "the cat sat", "=the ", "-big ", "=cat sat", NULL);
  check_diff ("it was good. We left.", "it was very good. We left.",
              "=it was ", "+very ", "=good. We left.", NULL);
}

static void
test_edit_at_start (void)
{
  check_diff ("Moskow konfirmasi pembicaraan", "Kremlin konfirmasi pembicaraan",
              "-Moskow", "+Kremlin", "= konfirmasi pembicaraan", NULL);
  check_diff ("konfirmasi pembicaraan", "Moskow konfirmasi pembicaraan",
              "+Moskow ", "=konfirmasi pembicaraan", NULL);
  check_diff ("Moskow konfirmasi pembicaraan", "konfirmasi pembicaraan",
              "-Moskow ", "=konfirmasi pembicaraan", NULL);
}

static void
test_edit_at_end (void)
{
  check_diff ("pembicaraan baru Rusia-AS", "pembicaraan baru Rusia-Ukraina",
              "=pembicaraan baru Rusia-", "-AS", "+Ukraina", NULL);
  check_diff ("pembicaraan baru", "pembicaraan baru Rusia-AS",
              "=pembicaraan baru", "+ Rusia-AS", NULL);
  check_diff ("pembicaraan baru Rusia-AS.", "pembicaraan baru.",
              "=pembicaraan baru", "- Rusia-AS", "=.", NULL);
  check_diff ("Selasa.\n", "Selasa.", "=Selasa.", "-\n", NULL);
}

static void
test_empty_old_text (void)
{
  check_diff ("", "Kedua negara", "+Kedua negara", NULL);
}

static void
test_null_is_empty (void)
{
  g_autoptr(GArray) spans = desk_diff_words (NULL, "Kedua");
  g_autoptr(GArray) none = desk_diff_words (NULL, NULL);

  assert_spans_cover ("", "Kedua", spans);
  g_assert_cmpuint (spans->len, ==, 1);
  g_assert_cmpint (g_array_index (spans, DeskDiffSpan, 0).op, ==, DESK_DIFF_INSERT);
  g_assert_cmpuint (none->len, ==, 0);
}

static void
test_empty_new_text (void)
{
  check_diff ("Kedua negara", "", "-Kedua negara", NULL);
}

static void
test_both_empty (void)
{
  check_diff ("", "", NULL);
}

static void
test_identical (void)
{
  const char *text = "Moskow konfirmasi\npembicaraan baru 北京 ภาษาไทย\n";
  g_autoptr(GArray) spans = desk_diff_words (text, text);

  check_diff (text, text, "=Moskow konfirmasi\npembicaraan baru 北京 ภาษาไทย\n", NULL);
  g_assert_cmpuint (spans->len, ==, 1);
  g_assert_cmpuint (g_array_index (spans, DeskDiffSpan, 0).old_end, ==, g_utf8_strlen (text, -1));
}

static void
test_crlf_is_text (void)
{
  check_diff ("satu\r\ndua\r\n", "satu\ndua\r\n", "=satu", "-\r\n", "+\n", "=dua\r\n", NULL);
  check_diff ("satu\r\ndua", "satu\r\ntiga", "=satu\r\n", "-dua", "+tiga", NULL);
}

static void
test_paragraphs (void)
{
  /* Whole paragraphs come and go whole, and a change in one paragraph
   * never reaches into the next. */
  check_diff ("Satu.\nDua.\nTiga.\n", "Satu.\nTiga.\n", "=Satu.\n", "-Dua.\n", "=Tiga.\n", NULL);
  check_diff ("Satu.\nTiga.\n", "Satu.\nDua.\nTiga.\n", "=Satu.\n", "+Dua.\n", "=Tiga.\n", NULL);
  check_diff ("Satu dua\ntiga empat", "Satu lima\nenam empat",
              "=Satu ", "-dua", "+lima", "=\n", "-tiga", "+enam", "= empat", NULL);
}

static void
test_invalid_utf8 (void)
{
  g_autoptr(GArray) spans = desk_diff_words ("bad \xff\xfe bytes", "bad \xfe bytes \xc3");
  g_autofree char *old_valid = g_utf8_make_valid ("bad \xff\xfe bytes", -1);
  g_autofree char *new_valid = g_utf8_make_valid ("bad \xfe bytes \xc3", -1);
  guint words, chars;

  /* Offsets count each stray byte as one character, U+FFFD. */
  assert_spans_cover (old_valid, new_valid, spans);
  desk_text_count ("caf\xc3 ok", &words, &chars);
  g_assert_cmpuint (chars, ==, 7);
}

static void
test_surrogate_pairs (void)
{
  /* 😀 is two UTF-16 units inside ICU but one character for GtkTextBuffer. */
  check_diff ("😀 kucing 𠮷 tidur", "😀 anjing 𠮷 tidur",
              "=😀 ", "-kucing", "+anjing", "= 𠮷 tidur", NULL);
}

/* ---- scripts ---- */

static void
test_english (void)
{
  check_diff ("The ministry confirmed the talks on Tuesday.",
              "The ministry denied the talks on Wednesday.",
              "=The ministry ", "-confirmed", "+denied", "= the talks on ",
              "-Tuesday", "+Wednesday", "=.", NULL);
}

static void
test_indonesian (void)
{
  check_diff ("Kedua negara telah mengadakan beberapa putaran pertemuan tingkat tinggi.",
              "Kedua negara sudah mengadakan tiga putaran pertemuan tingkat tinggi.",
              "=Kedua negara ", "-telah", "+sudah", "= mengadakan ",
              "-beberapa", "+tiga", "= putaran pertemuan tingkat tinggi.", NULL);
}

static void
test_chinese (void)
{
  /* Every Han character is a token; the one-character equality 们 between
   * two changes is not, but 天去 (two words) is kept. */
  check_diff ("我们今天去北京。", "我们明天去上海。",
              "=我们", "-今", "+明", "=天去", "-北京", "+上海", "=。", NULL);
  check_diff ("他说：我们今天很好。", "她说：我们今天很好。", "-他", "+她", "=说：我们今天很好。", NULL);
}

static void
test_japanese (void)
{
  check_diff ("東京で新製品を発表しました。", "大阪で新製品を発表しました。",
              "-東京", "+大阪", "=で新製品を発表しました。", NULL);
  check_diff ("来週発売します。", "来月発売します。", "=来", "-週", "+月", "=発売します。", NULL);
}

static void
test_thai (void)
{
  /* Thai is written without spaces: ICU's dictionary finds the words. */
  check_diff ("ฉันกินข้าวที่บ้าน", "ฉันกินก๋วยเตี๋ยวที่บ้าน",
              "=ฉันกิน", "-ข้าว", "+ก๋วยเตี๋ยว", "=ที่บ้าน", NULL);
}

static void
test_arabic (void)
{
  check_diff ("ذهب الولد إلى المدرسة", "ذهب الطفل إلى المدرسة",
              "=ذهب ", "-الولد", "+الطفل", "= إلى المدرسة", NULL);
}

/* ---- long and unrelated texts ---- */

static void
test_unrelated_long_texts (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  g_autoptr(GString) old_text = g_string_new (NULL);
  g_autoptr(GString) new_text = g_string_new (NULL);
  g_autoptr(GArray) spans = NULL;
  gint64 start;

  /* Rewritten from scratch: the search is bounded, the answer still whole. */
  for (guint i = 0; i < 6000; i++)
    {
      g_string_append_printf (old_text, "w%u ", g_rand_int_range (rand, 0, 300));
      g_string_append_printf (new_text, "w%u ", g_rand_int_range (rand, 0, 300));
    }
  start = g_get_monotonic_time ();
  spans = desk_diff_words (old_text->str, new_text->str);
  g_test_message ("two unrelated 6,000-word texts: %.1f ms", (g_get_monotonic_time () - start) / 1000.0);
  assert_spans_cover (old_text->str, new_text->str, spans);
}

static void
test_rewritten_paragraph_leaves_others_sharp (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  g_autoptr(GString) old_text = g_string_new (NULL);
  g_autoptr(GString) new_text = g_string_new (NULL);
  g_autoptr(GArray) spans = NULL;
  const DeskDiffSpan *last_change = NULL;
  g_autofree char *word = NULL;

  /* A paragraph rewritten from scratch, long enough to exhaust the
   * search, and further down a paragraph with two words changed. */
  for (guint i = 0; i < 6000; i++)
    {
      g_string_append_printf (old_text, "w%u ", g_rand_int_range (rand, 0, 300));
      g_string_append_printf (new_text, "w%u ", g_rand_int_range (rand, 0, 300));
    }
  g_string_append (old_text, "\nTidak berubah.\nKedua negara telah mengadakan beberapa pertemuan.\n");
  g_string_append (new_text, "\nTidak berubah.\nKedua negara sudah mengadakan tiga pertemuan.\n");

  spans = desk_diff_words (old_text->str, new_text->str);
  assert_spans_cover (old_text->str, new_text->str, spans);
  for (guint i = 0; i < spans->len; i++)
    if (g_array_index (spans, DeskDiffSpan, i).op == DESK_DIFF_DELETE)
      last_change = &g_array_index (spans, DeskDiffSpan, i);
  g_assert_nonnull (last_change);
  word = substring (old_text->str, last_change->old_start, last_change->old_end);
  g_assert_cmpstr (word, ==, "beberapa");
}

/* Every sequence of up to four bytes of the values where UTF-8's rules
 * change, amid ASCII, counts as many characters as g_utf8_make_valid()
 * makes of it: what the diff takes as valid, GLib does too. */
static void
test_utf8_validation_agrees_with_glib (void)
{
  static const guchar edges[] = {
    0x41, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc1, 0xc2, 0xdf,
    0xe0, 0xe1, 0xec, 0xed, 0xee, 0xef, 0xf0, 0xf1, 0xf3, 0xf4, 0xf5, 0xff,
  };
  const guint n = G_N_ELEMENTS (edges);

  for (guint length = 1; length <= 4; length++)
    {
      guint total = 1;

      for (guint k = 0; k < length; k++)
        total *= n;
      for (guint combination = 0; combination < total; combination++)
        {
          char text[64] = "aaaaaaaaaaaaaaaa";
          guint at = 16, rest = combination, chars = 0;
          g_autofree char *valid = NULL;

          /* Lead bytes of four-byte forms only at the start, to keep the
           * count of strings to some tens of thousands. */
          if (length == 4 && edges[combination % n] < 0xf0)
            continue;
          for (guint k = 0; k < length; k++, rest /= n)
            text[at++] = (char) edges[rest % n];
          memcpy (text + at, "bbbbbbbbbbbbbbbb", 17);
          valid = g_utf8_make_valid (text, -1);
          desk_text_count (text, NULL, &chars);
          g_assert_cmpuint (chars, ==, g_utf8_strlen (valid, -1));
        }
    }

  /* Three bytes before Thai letters, which are checked two characters at
   * a look: the first of the two, and after a letter the second. */
  for (guint letters = 0; letters < 2; letters++)
    for (guint combination = 0; combination < n * n * n; combination++)
      {
        char text[64] = "aaaaaaaa";
        guint at = strlen (text), chars = 0;
        g_autofree char *valid = NULL;

        if (letters > 0)
          {
            memcpy (text + at, "ก", strlen ("ก"));
            at += strlen ("ก");
          }
        text[at++] = (char) edges[combination % n];
        text[at++] = (char) edges[combination / n % n];
        text[at++] = (char) edges[combination / n / n];
        memcpy (text + at, "กกbbbbbbbb", strlen ("กกbbbbbbbb") + 1);
        valid = g_utf8_make_valid (text, -1);
        desk_text_count (text, NULL, &chars);
        g_assert_cmpuint (chars, ==, g_utf8_strlen (valid, -1));
      }
}

/* A paragraph rewritten from scratch in a newsroom's common words shares
 * some of them with the old one by chance ("dan", "yang"); kept, they
 * cut the change into pieces that mean nothing.  It reads as replaced
 * whole, while a paragraph edited as heavily as one word in three stays
 * word by word, and so does a short phrase around the word it keeps. */
static const char *const common_words[] = {
  "dan", "yang", "di", "ini", "itu", "dengan", "untuk", "dari", "pada", "akan",
  "harga", "pasar", "bank", "kota", "rupiah", "proyek", "energi", "daerah",
  "tahun", "persen", "negara", "menteri", "kata", "ekonomi", "baru", "juga",
  "sudah", "lebih", "masih", "tidak",
};

static GString *
common_paragraph (GRand *rand,
                  guint  n_words)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < n_words; i++)
    g_string_append_printf (text, "%s%s", i > 0 ? " " : "",
                            common_words[g_rand_int_range (rand, 0, G_N_ELEMENTS (common_words))]);
  return text;
}

static guint
count_ops (GArray     *spans,
           DeskDiffOp  op)
{
  guint n = 0;

  for (guint i = 0; i < spans->len; i++)
    n += g_array_index (spans, DeskDiffSpan, i).op == op;
  return n;
}

static void
test_rewritten_paragraph_is_replaced_whole (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (12);

  for (guint round = 0; round < 20; round++)
    {
      g_autoptr(GString) old_text = common_paragraph (rand, 40);
      g_autoptr(GString) new_text = common_paragraph (rand, 40);
      g_autoptr(GArray) spans = NULL;

      g_string_prepend (old_text, "Tetap.\n");
      g_string_prepend (new_text, "Tetap.\n");
      g_string_append (old_text, "\nJuga tetap.\n");
      g_string_append (new_text, "\nJuga tetap.\n");
      spans = desk_diff_words (old_text->str, new_text->str);
      assert_spans_cover (old_text->str, new_text->str, spans);
      /* Kept, deleted, inserted, kept: nothing kept in between. */
      g_assert_cmpuint (count_ops (spans, DESK_DIFF_EQUAL), <=, 2);
      g_assert_cmpuint (count_ops (spans, DESK_DIFF_DELETE), ==, 1);
      g_assert_cmpuint (count_ops (spans, DESK_DIFF_INSERT), ==, 1);
    }
}

/* Chinese is cut into characters, and the characters of its common
 * words stand side by side in any two paragraphs: a rewritten one still
 * reads as replaced whole. */
static const char *const chinese_words[] = {
  "的", "是", "在", "了", "和", "有", "我们", "公司", "市场", "发展", "中国", "经济", "政府",
  "企业", "技术", "服务", "产品", "客户", "合作", "投资", "增长", "全球", "领先", "提供",
  "宣布", "今天", "平台", "行业", "数据", "安全", "能源", "项目", "国际", "地区", "报告",
  "季度", "收入", "百分之", "亿元", "人民币", "表示", "根据", "但是", "同时", "以及", "通过",
  "进一步", "推动", "创新", "数字化", "金融", "银行", "价格", "需求", "供应", "消费者",
};

static void
test_rewritten_chinese_paragraph_is_replaced_whole (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (14);

  for (guint round = 0; round < 20; round++)
    {
      g_autoptr(GString) old_text = g_string_new ("不变。\n");
      g_autoptr(GString) new_text = g_string_new ("不变。\n");
      g_autoptr(GArray) spans = NULL;

      for (guint i = 0; i < 40; i++)
        {
          g_string_append (old_text, chinese_words[g_rand_int_range (rand, 0, G_N_ELEMENTS (chinese_words))]);
          g_string_append (new_text, chinese_words[g_rand_int_range (rand, 0, G_N_ELEMENTS (chinese_words))]);
        }
      g_string_append (old_text, "\n也不变。\n");
      g_string_append (new_text, "\n也不变。\n");
      spans = desk_diff_words (old_text->str, new_text->str);
      assert_spans_cover (old_text->str, new_text->str, spans);
      g_assert_cmpuint (count_ops (spans, DESK_DIFF_EQUAL), <=, 2);
      g_assert_cmpuint (count_ops (spans, DESK_DIFF_DELETE), ==, 1);
      g_assert_cmpuint (count_ops (spans, DESK_DIFF_INSERT), ==, 1);
    }
}

static void
test_heavily_edited_paragraph_stays_word_by_word (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (13);
  g_autoptr(GString) old_text = common_paragraph (rand, 60);
  g_autoptr(GString) new_text = g_string_new (NULL);
  g_auto(GStrv) words = g_strsplit (old_text->str, " ", -1);
  g_autoptr(GArray) spans = NULL;

  /* One word in three replaced by a word of no common list. */
  for (guint i = 0; words[i] != NULL; i++)
    g_string_append_printf (new_text, "%s%s", i > 0 ? " " : "", i % 3 == 1 ? "tertentu" : words[i]);
  spans = desk_diff_words (old_text->str, new_text->str);
  assert_spans_cover (old_text->str, new_text->str, spans);
  g_assert_cmpuint (count_ops (spans, DESK_DIFF_DELETE), ==, 20);
  g_assert_cmpuint (count_ops (spans, DESK_DIFF_INSERT), ==, 20);

  /* A short phrase rewritten around one word keeps it. */
  g_clear_pointer (&spans, g_array_unref);
  spans = desk_diff_words ("harga pasar naik\n", "kota pasar turun\n");
  g_assert_cmpuint (count_ops (spans, DESK_DIFF_EQUAL), >=, 1);
}

/* The seed release with some words deleted, some added and some doubled
 * by "baru", in paragraphs of 40 words: the kind of copy where a fold once
 * left a space replaced by a space. */
static void
edit_seed (char **out_old,
           char **out_new)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fixtures", "seaprwire-id-moskow-konfirmasi.txt", NULL);
  g_autofree char *seed = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (3);
  g_autoptr(GString) old_text = g_string_new (NULL);
  g_autoptr(GString) new_text = g_string_new (NULL);
  g_auto(GStrv) words = NULL;
  guint n_words;

  g_file_get_contents (path, &seed, NULL, &error);
  g_assert_no_error (error);
  words = g_strsplit_set (seed, " \n", -1);
  n_words = g_strv_length (words);
  for (guint i = 0; i < n_words; i++)
    {
      guint roll = g_rand_int_range (rand, 0, 100);

      if (*words[i] == '\0')
        continue;
      g_string_append_printf (old_text, "%s ", words[i]);
      if (roll < 3)
        g_string_append_printf (new_text, "%s ", words[g_rand_int_range (rand, 0, n_words)]);
      else if (roll < 5)
        ;
      else if (roll < 7)
        g_string_append_printf (new_text, "%s baru ", words[i]);
      else
        g_string_append_printf (new_text, "%s ", words[i]);
      if (i % 40 == 39)
        {
          g_string_append_c (old_text, '\n');
          g_string_append_c (new_text, '\n');
        }
    }
  *out_old = g_string_free (g_steal_pointer (&old_text), FALSE);
  *out_new = g_string_free (g_steal_pointer (&new_text), FALSE);
}

static void
test_no_space_replaced_by_space (void)
{
  g_autofree char *old_text = NULL;
  g_autofree char *new_text = NULL;
  g_autoptr(GArray) spans = NULL;

  edit_seed (&old_text, &new_text);
  spans = desk_diff_words (old_text, new_text);
  assert_spans_cover (old_text, new_text, spans);

  /* A replacement never starts or ends with the same space on both sides:
   * that space belongs to the text around it. */
  for (guint i = 1; i < spans->len; i++)
    {
      const DeskDiffSpan *deleted = &g_array_index (spans, DeskDiffSpan, i - 1);
      const DeskDiffSpan *inserted = &g_array_index (spans, DeskDiffSpan, i);
      g_autofree char *old_part = NULL;
      g_autofree char *new_part = NULL;

      if (deleted->op != DESK_DIFF_DELETE || inserted->op != DESK_DIFF_INSERT)
        continue;
      old_part = substring (old_text, deleted->old_start, deleted->old_end);
      new_part = substring (new_text, inserted->new_start, inserted->new_end);
      g_assert_false (old_part[0] == ' ' && new_part[0] == ' ');
      g_assert_false (g_str_has_suffix (old_part, " ") && g_str_has_suffix (new_part, " "));
    }
}

/* ---- chunks ---- */

static GArray *
chunks_of (const char *old_text,
           const char *new_text)
{
  g_autoptr(GArray) spans = desk_diff_words (old_text, new_text);

  return desk_diff_chunks (spans);
}

static void
assert_chunk (GArray     *chunks,
              guint       index,
              const char *old_text,
              const char *new_text,
              const char *old_part,
              const char *new_part)
{
  const DeskDiffChunk *chunk = &g_array_index (chunks, DeskDiffChunk, index);
  g_autofree char *got_old = substring (old_text, chunk->old_start, chunk->old_end);
  g_autofree char *got_new = substring (new_text, chunk->new_start, chunk->new_end);

  g_assert_cmpstr (got_old, ==, old_part);
  g_assert_cmpstr (got_new, ==, new_part);
}

static void
test_chunks_merge_nearby (void)
{
  const char *old_text = "Kedua negara telah mengadakan beberapa putaran pertemuan tingkat tinggi.\n";
  const char *new_text = "Kedua negara sudah mengadakan tiga putaran pertemuan tingkat tinggi.\n";
  g_autoptr(GArray) chunks = chunks_of (old_text, new_text);

  g_assert_cmpuint (chunks->len, ==, 1);
  assert_chunk (chunks, 0, old_text, new_text, "telah mengadakan beberapa", "sudah mengadakan tiga");
}

static void
test_chunks_separate_paragraphs (void)
{
  const char *old_text = "Satu dua tiga.\nEmpat lima.\n\nEnam tujuh delapan.\n";
  const char *new_text = "Satu DUA tiga.\nEmpat lima.\n\nEnam tujuh SEMBILAN.\n";
  g_autoptr(GArray) chunks = chunks_of (old_text, new_text);

  g_assert_cmpuint (chunks->len, ==, 2);
  assert_chunk (chunks, 0, old_text, new_text, "dua", "DUA");
  assert_chunk (chunks, 1, old_text, new_text, "delapan", "SEMBILAN");
  g_clear_pointer (&chunks, g_array_unref);

  /* Adjacent paragraphs too: Alt+Down goes paragraph by paragraph. */
  chunks = chunks_of ("Satu dua.\nTiga empat.\n", "Satu DUA.\nTIGA empat.\n");
  g_assert_cmpuint (chunks->len, ==, 2);
}

static void
test_chunks_of_pure_insertion (void)
{
  const char *old_text = "Satu.\nTiga.\n";
  const char *new_text = "Satu.\nDua.\nTiga.\n";
  g_autoptr(GArray) chunks = chunks_of (old_text, new_text);

  g_assert_cmpuint (chunks->len, ==, 1);
  assert_chunk (chunks, 0, old_text, new_text, "", "Dua.\n");
  g_assert_cmpuint (g_array_index (chunks, DeskDiffChunk, 0).old_start, ==, 6);
}

static void
test_no_chunks_when_identical (void)
{
  g_autoptr(GArray) chunks = chunks_of ("Sama.\nSama.\n", "Sama.\nSama.\n");
  g_autoptr(GArray) empty = chunks_of ("", "");

  g_assert_cmpuint (chunks->len, ==, 0);
  g_assert_cmpuint (empty->len, ==, 0);
}

static void
test_chunks_of_hand_made_spans (void)
{
  /* Spans built without desk_diff_words() never merge across EQUAL. */
  g_autoptr(GArray) spans = g_array_new (FALSE, TRUE, sizeof (DeskDiffSpan));
  g_autoptr(GArray) chunks = NULL;
  DeskDiffSpan list[] = {
    { DESK_DIFF_DELETE, 0, 3, 0, 0 },
    { DESK_DIFF_INSERT, 3, 3, 0, 2 },
    { DESK_DIFF_EQUAL, 3, 4, 2, 3 },
    { DESK_DIFF_INSERT, 4, 4, 3, 5 },
  };

  g_array_append_vals (spans, list, G_N_ELEMENTS (list));
  chunks = desk_diff_chunks (spans);
  g_assert_cmpuint (chunks->len, ==, 2);
  g_assert_cmpuint (g_array_index (chunks, DeskDiffChunk, 0).old_end, ==, 3);
  g_assert_cmpuint (g_array_index (chunks, DeskDiffChunk, 0).new_end, ==, 2);
  g_assert_cmpuint (g_array_index (chunks, DeskDiffChunk, 1).new_start, ==, 3);
}

/* ---- counters ---- */

static void
assert_count (const char *text,
              guint       words,
              guint       chars)
{
  guint got_words = G_MAXUINT, got_chars = G_MAXUINT;

  desk_text_count (text, &got_words, &got_chars);
  g_assert_cmpuint (got_words, ==, words);
  g_assert_cmpuint (got_chars, ==, chars);
}

static void
test_count_latin (void)
{
  assert_count ("Kementerian Luar Negeri Rusia mengkonfirmasi pada hari Selasa.", 8, 62);
  assert_count ("Hello, world! It's 2026.", 4, 24);
  assert_count ("Rusia-AS, 27 Februari", 4, 21);
  assert_count ("  ...  ", 0, 7);
  assert_count ("", 0, 0);
  assert_count ("ذهب الولد إلى المدرسة", 4, 21);
}

static void
test_count_cjk (void)
{
  assert_count ("我们今天去北京。", 7, 8);
  assert_count ("東京で新製品を発表しました。", 13, 14);
  assert_count ("北京 Beijing 2026", 4, 15);
}

static void
test_count_thai (void)
{
  /* ฉัน กิน ข้าว ที่ บ้าน: five words; vowel and tone marks are characters. */
  assert_count ("ฉันกินข้าวที่บ้าน", 5, 17);
}

/* ---- random pairs ---- */

static const char *const pool[] = {
  "Moskow", "konfirmasi", "pembicaraan", "baru", "Rusia-AS", "the", "talks", "Tuesday",
  "北", "京", "我们", "今天", "東京", "タワー", "発表", "しました", "ฉัน", "กิน", "ข้าว",
  "ที่", "บ้าน", "ذهب", "الولد", "المدرسة", "😀", "𠮷", "27", "3.14", "café", "naïve",
  " ", " ", " ", "  ", ", ", ". ", "\n", "\r\n", "\n\n", "“", "”", "-", "(", ")", "。",
};

static void
append_random_piece (GString *text,
                     GRand   *rand)
{
  g_string_append (text, pool[g_rand_int_range (rand, 0, G_N_ELEMENTS (pool))]);
}

static char *
random_text (GRand *rand)
{
  GString *text = g_string_new (NULL);
  guint n = g_rand_int_range (rand, 0, 80);

  for (guint i = 0; i < n; i++)
    append_random_piece (text, rand);
  return g_string_free (text, FALSE);
}

/* An edited copy: pieces replaced, inserted and deleted, and now and then
 * single characters, so edits also land inside words. */
static char *
random_edit (const char *old_text,
             GRand      *rand)
{
  GString *text = g_string_new (NULL);
  const char *p = old_text;

  while (*p != '\0')
    {
      guint roll = g_rand_int_range (rand, 0, 100);
      const char *next = g_utf8_next_char (p);

      if (roll < 3)
        append_random_piece (text, rand);          /* insert before */
      else if (roll < 5)
        {
          p = next;                                /* delete a character */
          continue;
        }
      else if (roll < 6)
        g_string_append_unichar (text, 'a' + g_rand_int_range (rand, 0, 26));
      g_string_append_len (text, p, next - p);
      p = next;
    }
  if (g_rand_int_range (rand, 0, 4) == 0)
    append_random_piece (text, rand);
  return g_string_free (text, FALSE);
}

static void
test_random_pairs (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261129);

  for (guint i = 0; i < 500; i++)
    {
      g_autofree char *old_text = random_text (rand);
      g_autofree char *new_text = NULL;
      g_autoptr(GArray) spans = NULL;
      g_autoptr(GArray) chunks = NULL;
      g_autoptr(GString) old_rebuilt = g_string_new (NULL);
      g_autoptr(GString) new_rebuilt = g_string_new (NULL);

      if (g_rand_int_range (rand, 0, 10) == 0)
        new_text = random_text (rand);
      else
        new_text = random_edit (old_text, rand);

      spans = desk_diff_words (old_text, new_text);
      assert_spans_cover (old_text, new_text, spans);

      /* Applying the spans rebuilds both texts exactly. */
      for (guint s = 0; s < spans->len; s++)
        {
          const DeskDiffSpan *span = &g_array_index (spans, DeskDiffSpan, s);
          g_autofree char *old_part = substring (old_text, span->old_start, span->old_end);
          g_autofree char *new_part = substring (new_text, span->new_start, span->new_end);

          if (span->op != DESK_DIFF_INSERT)
            g_string_append (old_rebuilt, old_part);
          if (span->op != DESK_DIFF_DELETE)
            g_string_append (new_rebuilt, new_part);
        }
      g_assert_cmpstr (old_rebuilt->str, ==, old_text);
      g_assert_cmpstr (new_rebuilt->str, ==, new_text);

      /* Chunks are ordered, disjoint and cover every change. */
      chunks = desk_diff_chunks (spans);
      for (guint c = 1; c < chunks->len; c++)
        {
          g_assert_cmpuint (g_array_index (chunks, DeskDiffChunk, c).old_start, >,
                            g_array_index (chunks, DeskDiffChunk, c - 1).old_end);
          g_assert_cmpuint (g_array_index (chunks, DeskDiffChunk, c).new_start, >,
                            g_array_index (chunks, DeskDiffChunk, c - 1).new_end);
        }
      if (strcmp (old_text, new_text) != 0)
        g_assert_cmpuint (chunks->len, >, 0);
    }
}

/* The review window diffs big releases in a GTask: several threads may
 * diff at once, the first ones racing to load ICU's word rules. */
static gpointer
diff_in_thread (gpointer data)
{
  const char *old_text = "Moskow konfirmasi pembicaraan baru 我们今天去北京 ฉันกินข้าวที่บ้าน";
  const char *new_text = "Moskow menolak pembicaraan baru 我们明天去北京 ฉันกินก๋วยเตี๋ยวที่บ้าน";

  for (guint i = 0; i < 200; i++)
    {
      g_autoptr(GArray) spans = desk_diff_words (old_text, new_text);

      if (spans->len != 10)
        return GUINT_TO_POINTER (FALSE);
    }
  return GUINT_TO_POINTER (TRUE);
}

static void
test_threads (void)
{
  GThread *threads[4];

  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("diff", diff_in_thread, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    g_assert_true (GPOINTER_TO_UINT (g_thread_join (threads[i])));
}

/* The cursor gives what g_utf8_offset_to_pointer() gives, asked forwards,
 * backwards and past the end, over one- to four-byte characters. */
static void
test_char_cursor_agrees_with_glib (void)
{
  static const char text[] = "a é 中文 ไทย 😀 end\n";
  glong n_chars = g_utf8_strlen (text, -1);
  const gsize order[] = { 0, 3, 4, 9, 2, 12, 1, 16, 15, 0, 17, 19, 19, 5 };
  DeskCharCursor cursor;

  desk_char_cursor_init (&cursor, text);
  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    {
      gsize offset = MIN (order[i], (gsize) n_chars);

      g_assert_true (desk_char_cursor_seek (&cursor, order[i]) == g_utf8_offset_to_pointer (text, (glong) offset));
    }
  for (glong offset = 0; offset <= n_chars; offset++)
    g_assert_true (desk_char_cursor_seek (&cursor, (gsize) offset) == g_utf8_offset_to_pointer (text, offset));
  for (glong offset = n_chars; offset >= 0; offset--)
    g_assert_true (desk_char_cursor_seek (&cursor, (gsize) offset) == g_utf8_offset_to_pointer (text, offset));
  /* Beyond the last character: the end of the text. */
  g_assert_true (desk_char_cursor_seek (&cursor, (gsize) n_chars + 40) == text + strlen (text));
  g_assert_true (desk_char_cursor_seek (&cursor, 2) == g_utf8_offset_to_pointer (text, 2));
}

/* ---- the shortcuts against ICU ---- */

static void
assert_tokens_as_reference (const char *text)
{
  g_autoptr(GArray) fast = _desk_diff_tokens (text, FALSE);
  g_autoptr(GArray) reference = _desk_diff_tokens (text, TRUE);
  gboolean same = fast->len == reference->len;

  for (guint i = 0; same && i < fast->len; i++)
    {
      const DeskDiffToken *a = &g_array_index (fast, DeskDiffToken, i);
      const DeskDiffToken *b = &g_array_index (reference, DeskDiffToken, i);

      same = a->start == b->start && a->end == b->end
             && a->word == b->word && a->paragraph == b->paragraph;
    }
  if (!same)
    {
      g_autofree char *escaped = g_strescape (text, NULL);

      g_error ("\"%s\" is cut into %u tokens without ICU, %u by ICU, or not in the same places",
               escaped, fast->len, reference->len);
    }
}

/* Every ASCII character alone, between letters and between digits; and
 * every string of up to four characters of the kinds the cut without ICU
 * knows (letters, digits, the connector, @, spaces, each middle mark, line
 * breaks, other punctuation, Han and kana) and of some it leaves to ICU
 * (a Latin letter with an accent, a combining mark, a vertical tab) is
 * cut as ICU cuts it. */
static void
test_plain_cut_as_icu (void)
{
  static const char *const alphabet[] = {
    "a", "Z", "7", "_", "@", " ", ".", "'", ":", ",", ";", "-", "\"", "\t", "\n", "\r",
    "中", "あ", "カ", "ー", "é", "\xcc\x81", "\v",
  };
  const guint n = G_N_ELEMENTS (alphabet);
  guint count = 1;

  for (char c = 1; c > 0; c++)
    {
      /* # stands for the character. */
      const char *const contexts[] = { "#", "##", "a#a", "1#1", "a#", "#a", "1#", "#1" };

      for (guint i = 0; i < G_N_ELEMENTS (contexts); i++)
        {
          g_autofree char *text = g_strdup (contexts[i]);

          g_strdelimit (text, "#", c);
          assert_tokens_as_reference (text);
        }
    }

  for (guint length = 1; length <= 4; length++)
    {
      count *= n;
      for (guint k = 0; k < count; k++)
        {
          char text[64] = "";
          guint rest = k;

          for (guint i = 0; i < length; i++, rest /= n)
            g_strlcat (text, alphabet[rest % n], sizeof text);
          assert_tokens_as_reference (text);
        }
    }
}

static const char *const mixed_pool[] = {
  "Moskow", "konfirmasi", "Rusia-AS", "the", "don't", "e.g.", "U.S.", "3.14", "1,000", "12:30",
  "snake_case", "__", "a_1", "x'", "'y", "Grüße", "Straße", "naïve", "café", "“quoted”", "’s",
  "北", "京", "我们", "今天", "東京", "タワー", "カタカナ", "発表", "しました", "々", "𠮷",
  "ฉัน", "กิน", "ข้าว", "ที่", "บ้าน", "ذهب", "الولد", "😀", "👍🏽", "e\xcc\x81", "中\xcc\x81",
  " ", " ", " ", "  ", "\t", ", ", ". ", ": ", "; ", "\n", "\r\n", "\r", "\n\n", "\v", "\xe2\x80\xa9",
  "\xc2\xa0", "-", "(", ")", "。", "、", "「", "」", "？", "!", "?", "...", "—", "#", "@", "&",
};

/* Plain text alone, few words and many repeats: what the diff leaves out
 * at the ends of a block before cutting it into tokens, and changes that
 * slide over repeated words. */
static const char *const plain_pool[] = {
  "a", "a", "b", "the", "the ", " a", "don't", "1,000", "U.S.", "中", "文", "@", "_",
  " ", " ", " ", " ", "  ", ". ", ", ", "\n", "\n", "\n\n", "\r\n",
};

static const char *const *pool_in_use = mixed_pool;
static guint pool_size = G_N_ELEMENTS (mixed_pool);

static char *
mixed_text (GRand *rand)
{
  GString *text = g_string_new (NULL);
  guint n = g_rand_int_range (rand, 0, 120);

  for (guint i = 0; i < n; i++)
    g_string_append (text, pool_in_use[g_rand_int_range (rand, 0, pool_size)]);
  return g_string_free (text, FALSE);
}

static char *
mixed_edit (const char *old_text,
            GRand      *rand)
{
  GString *text = g_string_new (NULL);
  const char *p = old_text;

  while (*p != '\0')
    {
      guint roll = g_rand_int_range (rand, 0, 100);
      const char *next = g_utf8_next_char (p);

      if (roll < 3)
        g_string_append (text, pool_in_use[g_rand_int_range (rand, 0, pool_size)]);
      else if (roll < 5)
        {
          p = next;
          continue;
        }
      g_string_append_len (text, p, next - p);
      p = next;
    }
  return g_string_free (text, FALSE);
}

/* On texts that mix every script and kind of punctuation, and on plain
 * texts of repeated words, the diff with its shortcuts (lines cut one by
 * one, plain text without ICU, the ends both texts share left out) gives
 * the very spans the diff gives with every block cut by ICU whole, and
 * the same counts. */
static void
assert_spans_as_reference (const char *old_text,
                           const char *new_text)
{
  g_autoptr(GArray) spans = desk_diff_words (old_text, new_text);
  g_autoptr(GArray) reference = _desk_diff_words_reference (old_text, new_text);

  g_assert_cmpuint (spans->len, ==, reference->len);
  for (guint s = 0; s < spans->len; s++)
    {
      const DeskDiffSpan *a = &g_array_index (spans, DeskDiffSpan, s);
      const DeskDiffSpan *b = &g_array_index (reference, DeskDiffSpan, s);

      g_assert_cmpint (a->op, ==, b->op);
      g_assert_cmpuint (a->old_start, ==, b->old_start);
      g_assert_cmpuint (a->old_end, ==, b->old_end);
      g_assert_cmpuint (a->new_start, ==, b->new_start);
      g_assert_cmpuint (a->new_end, ==, b->new_end);
      g_assert_cmpint (a->inside_paragraph, ==, b->inside_paragraph);
    }
}

/* Whether two blocks were rewritten rather than edited is asked of what
 * lies between their shared ends, whichever way the words are cut: the
 * diff, which leaves those ends out, and its reference, which cuts the
 * whole block, decide alike (fuzz-diff found pairs where the ends' words
 * tipped one and not the other). */
static void
test_rewritten_asked_alike_with_shared_ends (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fixtures", "seaprwire-id-moskow-konfirmasi.txt", NULL);
  g_autofree char *old_path = g_test_build_filename (G_TEST_DIST, "fixtures", "diff-ends-old.txt", NULL);
  g_autofree char *new_path = g_test_build_filename (G_TEST_DIST, "fixtures", "diff-ends-new.txt", NULL);
  g_autofree char *text = NULL;
  g_autofree char *old_found = NULL;
  g_autofree char *new_found = NULL;
  g_auto(GStrv) words = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261207);
  guint n_words;

  /* The pair fuzz-diff found: two cuts of one release, mutated. */
  g_assert_true (g_file_get_contents (old_path, &old_found, NULL, NULL));
  g_assert_true (g_file_get_contents (new_path, &new_found, NULL, NULL));
  assert_spans_as_reference (old_found, new_found);

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  g_strdelimit (text, "\n", ' ');
  words = g_strsplit (text, " ", -1);
  n_words = g_strv_length (words);
  for (guint round = 0; round < 400; round++)
    {
      g_autoptr(GString) old_text = g_string_new (NULL);
      g_autoptr(GString) new_text = g_string_new (NULL);
      guint from = g_rand_int_range (rand, 0, n_words - 80);
      guint length = g_rand_int_range (rand, 20, 60);
      guint head = g_rand_int_range (rand, 0, 14), tail = g_rand_int_range (rand, 0, 14);
      guint middle = g_rand_int_range (rand, 16, 50);

      for (guint i = 0; i < length; i++)
        g_string_append_printf (old_text, "%s%s", i > 0 ? " " : "", words[from + i]);
      for (guint i = 0; i < head && i < length; i++)
        g_string_append_printf (new_text, "%s ", words[from + i]);
      for (guint i = 0; i < middle; i++)
        g_string_append_printf (new_text, "%s ", words[g_rand_int_range (rand, 0, n_words)]);
      for (guint i = length - MIN (tail, length); i < length; i++)
        g_string_append_printf (new_text, "%s%s", words[from + i], i + 1 < length ? " " : "");
      assert_spans_as_reference (old_text->str, new_text->str);
    }
}

/* An edited Thai paragraph is cut by ICU only around its edit, the rest
 * of its words taken from the old one's (see tokenize_new_in_window());
 * the spans must be those of the whole paragraph cut by ICU, wherever
 * the edit falls, at the start, in the middle, near the end, and with
 * spaces between some phrases. */
static const char *const thai_words[] = {
  "การ", "ที่", "และ", "ใน", "ของ", "เป็น", "ได้", "มี", "ให้", "ไม่", "จะ", "นี้", "กับ",
  "บริษัท", "ตลาด", "การเติบโต", "ลูกค้า", "ประกาศ", "วันนี้", "โซลูชัน", "ทั่วโลก", "ชั้นนำ",
  "ผู้ให้บริการ", "แพลตฟอร์ม", "ไตรมาส", "รายได้", "เปอร์เซ็นต์", "ล้าน", "พันล้าน", "อุตสาหกรรม",
  "เทคโนโลยี", "บริการ", "รัฐบาล", "รัฐมนตรี", "กล่าว", "ใหม่", "ปี", "ประชาชน", "การลงทุน",
  "พลังงาน", "ความร่วมมือ", "เครือข่าย", "ภูมิภาค", "ตาม", "รายงาน", "หุ้น", "ราคา", "ความต้องการ",
  "ข้อมูล", "ความปลอดภัย", "การเงิน", "ผลลัพธ์", "ประเทศไทย", "กรุงเทพ", "เศรษฐกิจ", "ธนาคาร",
  "นอกจากนี้", "อย่างไรก็ตาม", "โครงการ", "พัฒนา", "ๆ", "ฯ", "2569", " ",
};

static void
test_edited_thai_paragraph_as_reference (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (69);

  for (guint round = 0; round < 600; round++)
    {
      g_autoptr(GPtrArray) words = g_ptr_array_new ();
      g_autoptr(GPtrArray) edited = NULL;
      g_autoptr(GString) old_text = g_string_new ("ย่อหน้าแรก\n");
      g_autoptr(GString) new_text = g_string_new ("ย่อหน้าแรก\n");
      guint n = g_rand_int_range (rand, 20, 120);
      guint n_edits = g_rand_int_range (rand, 1, 4);

      for (guint i = 0; i < n; i++)
        g_ptr_array_add (words, (gpointer) thai_words[g_rand_int_range (rand, 0, G_N_ELEMENTS (thai_words) - (round % 2 ? 0 : 1))]);
      edited = g_ptr_array_copy (words, NULL, NULL);
      for (guint e = 0; e < n_edits; e++)
        {
          guint at = g_rand_int_range (rand, 0, edited->len);
          const char *word = thai_words[g_rand_int_range (rand, 0, G_N_ELEMENTS (thai_words))];

          switch (g_rand_int_range (rand, 0, 3))
            {
            case 0:
              edited->pdata[at] = (gpointer) word;
              break;
            case 1:
              g_ptr_array_insert (edited, at, (gpointer) word);
              break;
            default:
              if (edited->len > 1)
                g_ptr_array_remove_index (edited, at);
              break;
            }
        }
      for (guint i = 0; i < words->len; i++)
        g_string_append (old_text, words->pdata[i]);
      for (guint i = 0; i < edited->len; i++)
        g_string_append (new_text, edited->pdata[i]);
      g_string_append (old_text, "\nย่อหน้าสุดท้าย\n");
      g_string_append (new_text, "\nย่อหน้าสุดท้าย\n");
      assert_spans_as_reference (old_text->str, new_text->str);
      assert_spans_as_reference (new_text->str, old_text->str);
    }
}

/* A Thai word put in or taken out of a run of the same word, beside a
 * word replaced, slides to the run's end, past where both lines stop
 * being cut into words (the windows of tokenize_pair_in_windows()): the
 * lines are cut again, and the spans are the reference's, as they are
 * where the run ends in reach. */
static void
test_thai_slide_into_the_shared_tail (void)
{
  for (guint n = 1; n <= 24; n++)
    for (guint inserted = 0; inserted < 2; inserted++)
      {
        g_autoptr(GString) old_text = g_string_new (NULL);
        g_autoptr(GString) new_text = g_string_new (NULL);

        for (guint k = 0; k < 10; k++)
          {
            g_string_append (old_text, "บริษัทประกาศวันนี้");
            g_string_append (new_text, "บริษัทประกาศวันนี้");
          }
        g_string_append (old_text, "ตลาดใน");
        g_string_append (new_text, "ลูกค้าใน");
        for (guint k = 0; k < n; k++)
          {
            g_string_append (old_text, "การ");
            g_string_append (new_text, "การ");
          }
        g_string_append (inserted ? new_text : old_text, "การ");
        for (guint k = 0; k < 10; k++)
          {
            g_string_append (old_text, "ตลาดเทคโนโลยีรายได้");
            g_string_append (new_text, "ตลาดเทคโนโลยีรายได้");
          }
        g_string_append_c (old_text, '\n');
        g_string_append_c (new_text, '\n');
        assert_spans_as_reference (old_text->str, new_text->str);
        assert_spans_as_reference (new_text->str, old_text->str);
      }
}

/* A word put in or taken out of a run of the same word slides to the
 * run's end, past where the diff stops cutting the shared tail into
 * tokens: the tail is cut again, and the spans are the reference's. */
static void
test_slide_into_the_shared_tail (void)
{
  for (guint n = 1; n <= 8; n++)
    for (guint words_after = 0; words_after <= 4; words_after++)
      {
        g_autoptr(GString) old_text = g_string_new ("b c ");
        g_autoptr(GString) new_text = g_string_new ("B c ");

        for (guint k = 0; k < n; k++)
          g_string_append (old_text, "a ");
        for (guint k = 0; k <= n; k++)
          g_string_append (new_text, "a ");
        for (guint k = 0; k < words_after; k++)
          {
            g_string_append (old_text, "q ");
            g_string_append (new_text, "q ");
          }
        g_string_append (old_text, "end\n");
        g_string_append (new_text, "end\n");
        assert_spans_as_reference (old_text->str, new_text->str);
        assert_spans_as_reference (new_text->str, old_text->str);
      }
}

static void
test_shortcuts_give_the_reference_spans (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261207);

  for (guint i = 0; i < 1200; i++)
    {
      g_autofree char *old_text = NULL;
      g_autofree char *new_text = NULL;
      g_autoptr(GArray) spans = NULL;
      g_autoptr(GArray) reference = NULL;
      guint words, chars, reference_words, reference_chars;

      /* Half the pairs of every script, half plain. */
      pool_in_use = i % 2 == 0 ? mixed_pool : plain_pool;
      pool_size = i % 2 == 0 ? G_N_ELEMENTS (mixed_pool) : G_N_ELEMENTS (plain_pool);
      old_text = mixed_text (rand);
      new_text = g_rand_int_range (rand, 0, 10) == 0 ? mixed_text (rand) : mixed_edit (old_text, rand);
      spans = desk_diff_words (old_text, new_text);
      reference = _desk_diff_words_reference (old_text, new_text);

      assert_tokens_as_reference (old_text);
      assert_tokens_as_reference (new_text);
      g_assert_cmpuint (spans->len, ==, reference->len);
      for (guint s = 0; s < spans->len; s++)
        {
          const DeskDiffSpan *a = &g_array_index (spans, DeskDiffSpan, s);
          const DeskDiffSpan *b = &g_array_index (reference, DeskDiffSpan, s);

          g_assert_cmpint (a->op, ==, b->op);
          g_assert_cmpuint (a->old_start, ==, b->old_start);
          g_assert_cmpuint (a->old_end, ==, b->old_end);
          g_assert_cmpuint (a->new_start, ==, b->new_start);
          g_assert_cmpuint (a->new_end, ==, b->new_end);
          g_assert_cmpint (a->inside_paragraph, ==, b->inside_paragraph);
        }
      desk_text_count (new_text, &words, &chars);
      _desk_text_count_reference (new_text, &reference_words, &reference_chars);
      g_assert_cmpuint (words, ==, reference_words);
      g_assert_cmpuint (chars, ==, reference_chars);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/diff/words/replaced-phrase-is-one-delete-and-one-insert", test_replaced_phrase);
  g_test_add_func ("/diff/offsets/char-cursor-agrees-with-glib", test_char_cursor_agrees_with_glib);
  g_test_add_func ("/diff/words/edits-separated-by-several-words-stay-separate", test_separate_words_stay_separate);
  g_test_add_func ("/diff/words/equality-as-long-as-the-changes-is-kept", test_short_equality_kept_beside_short_changes);
  g_test_add_func ("/diff/words/one-word-edit-in-a-long-paragraph-highlights-exactly-that-word", test_one_word_in_long_paragraph);
  g_test_add_func ("/diff/words/changed-letters-highlight-the-whole-word", test_changed_letters_highlight_whole_word);
  g_test_add_func ("/diff/words/inserted-word-is-highlighted-from-the-word-to-its-space", test_inserted_word_starts_on_the_word);
  g_test_add_func ("/diff/words/edits-at-the-very-start", test_edit_at_start);
  g_test_add_func ("/diff/words/edits-at-the-very-end", test_edit_at_end);
  g_test_add_func ("/diff/words/empty-old-text-is-all-insert", test_empty_old_text);
  g_test_add_func ("/diff/words/empty-new-text-is-all-delete", test_empty_new_text);
  g_test_add_func ("/diff/words/null-is-the-empty-text", test_null_is_empty);
  g_test_add_func ("/diff/words/two-empty-texts-have-no-spans", test_both_empty);
  g_test_add_func ("/diff/words/identical-texts-are-one-equal-span", test_identical);
  g_test_add_func ("/diff/words/crlf-is-compared-as-text", test_crlf_is_text);
  g_test_add_func ("/diff/words/paragraphs-come-and-go-whole", test_paragraphs);
  g_test_add_func ("/diff/words/invalid-utf8-counts-each-bad-byte-as-a-character", test_invalid_utf8);
  g_test_add_func ("/diff/words/utf8-validation-agrees-with-glib", test_utf8_validation_agrees_with_glib);
  g_test_add_func ("/diff/words/edited-thai-paragraph-gives-the-reference-spans", test_edited_thai_paragraph_as_reference);
  g_test_add_func ("/diff/words/characters-outside-the-bmp-count-as-one", test_surrogate_pairs);
  g_test_add_func ("/diff/words/english-words", test_english);
  g_test_add_func ("/diff/words/indonesian-words", test_indonesian);
  g_test_add_func ("/diff/words/chinese-characters-are-words", test_chinese);
  g_test_add_func ("/diff/words/japanese-kanji-and-kana-are-words", test_japanese);
  g_test_add_func ("/diff/words/thai-words-come-from-the-dictionary", test_thai);
  g_test_add_func ("/diff/words/arabic-words", test_arabic);
  g_test_add_func ("/diff/words/unrelated-long-texts-still-cover-both", test_unrelated_long_texts);
  g_test_add_func ("/diff/words/rewritten-paragraph-leaves-the-others-word-by-word", test_rewritten_paragraph_leaves_others_sharp);
  g_test_add_func ("/diff/words/rewritten-paragraph-of-common-words-is-replaced-whole", test_rewritten_paragraph_is_replaced_whole);
  g_test_add_func ("/diff/words/rewritten-chinese-paragraph-is-replaced-whole", test_rewritten_chinese_paragraph_is_replaced_whole);
  g_test_add_func ("/diff/words/heavily-edited-paragraph-stays-word-by-word", test_heavily_edited_paragraph_stays_word_by_word);
  g_test_add_func ("/diff/words/folded-replacement-gives-shared-spaces-back", test_no_space_replaced_by_space);
  g_test_add_func ("/diff/words/random-pairs-rebuild-both-texts", test_random_pairs);
  g_test_add_func ("/diff/words/threads-can-diff-at-once", test_threads);
  g_test_add_func ("/diff/words/plain-text-is-cut-without-icu-as-icu-cuts-it", test_plain_cut_as_icu);
  g_test_add_func ("/diff/words/shortcuts-give-the-spans-of-icu-on-whole-blocks", test_shortcuts_give_the_reference_spans);
  g_test_add_func ("/diff/words/a-change-slides-into-the-shared-tail-as-before", test_slide_into_the_shared_tail);
  g_test_add_func ("/diff/words/a-thai-word-slides-past-the-windows-as-before", test_thai_slide_into_the_shared_tail);
  g_test_add_func ("/diff/chunks/nearby-edits-in-a-paragraph-are-one-chunk", test_chunks_merge_nearby);
  g_test_add_func ("/diff/chunks/edits-in-different-paragraphs-are-separate-chunks", test_chunks_separate_paragraphs);
  g_test_add_func ("/diff/chunks/inserted-paragraph-is-a-chunk-empty-in-the-old-text", test_chunks_of_pure_insertion);
  g_test_add_func ("/diff/chunks/identical-texts-have-no-chunks", test_no_chunks_when_identical);
  g_test_add_func ("/diff/chunks/hand-made-spans-never-merge-across-equal", test_chunks_of_hand_made_spans);
  g_test_add_func ("/diff/rewritten-asked-alike-with-shared-ends", test_rewritten_asked_alike_with_shared_ends);
  g_test_add_func ("/diff/count/latin-and-arabic-words-and-characters", test_count_latin);
  g_test_add_func ("/diff/count/han-and-kana-characters-are-one-word-each", test_count_cjk);
  g_test_add_func ("/diff/count/thai-words-by-dictionary", test_count_thai);

  return g_test_run ();
}
