/* test-regex-prefilter.c — the detector's prefilter never hides a match
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <json-glib/json-glib.h>

#include "desk-regex-prefilter.h"

static char *
literals_text (const char *regex)
{
  g_autoptr(GPtrArray) set = desk_regex_required_literals (regex);
  g_autoptr(GString) out = g_string_new (NULL);

  if (set == NULL)
    return NULL;
  for (guint i = 0; i < set->len; i++)
    g_string_append_printf (out, "%s[%s]", i ? " " : "", (const char *) set->pdata[i]);
  return g_strdup (out->str);
}

static void
test_literals_read_from_the_expression (void)
{
  static const struct {
    const char *regex;
    const char *literals;   /* NULL: none can be relied on */
  } cases[] = {
    { "PR Newswire|prnewswire\\.com", "[pr newswire] [prnewswire.com]" },
    { "colou?r", "[colo]" },
    { "ab*cdef", "[cdef]" },
    { "ab+cd", "[ab]" },
    { "x{0,3}yz", "[yz]" },
    { "#{3}ab", "[ab]" },
    { "ab{2}cd", "[ab]" },
    { "ab{,3}cd", "[cd]" },
    { "a{x}bc|de", "[a{x}bc] [de]" },
    { "ab{2,}|c{d}e", "[ab] [c{d}e]" },
    { "\\bmaakt (?:vandaag )?bekend", "[maakt ]" },
    { "\\S\\s*(?:について|소개)$", "[について] [소개]" },
    { "Сектор(?:ы)?", "[сектор]" },
    { "ΣΟΦΙΑ", "[σοφια]" },
    { "^(?:About|Om)\\s*\\S", "[about] [om]" },
    { "(?:foo)?bar", "[bar]" },
    { "(?=abc)d", NULL },
    { "(?!abc)de", "[de]" },
    { "(?<name>abc)", "[abc]" },
    { "a|bc", NULL },
    { "[abc]+\\d", NULL },
    { "(?i)abc", NULL },
    { "\\Qabc\\E", NULL },
    { "(a)\\1bc", NULL },
    { "abc(", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *got = literals_text (cases[i].regex);

      g_test_message ("%s", cases[i].regex);
      g_assert_cmpstr (got, ==, cases[i].literals);
    }
}

static DeskRegexPrefilter *
prefilter_for (const char *regex)
{
  DeskRegexPrefilter *prefilter = desk_regex_prefilter_new ();

  desk_regex_prefilter_add (prefilter, regex);
  return prefilter;
}

static void
test_text_without_a_literal_is_turned_away (void)
{
  g_autoptr(DeskRegexPrefilter) wire = prefilter_for ("PR Newswire|prnewswire\\.com");
  g_autoptr(DeskRegexPrefilter) sector = prefilter_for ("Сектор(?:ы)?");
  g_autoptr(DeskRegexPrefilter) unread = prefilter_for ("[abc]+\\d");

  g_assert_false (desk_regex_prefilter_may_match (wire, "Acme Robotics makes robots.", 27));
  g_assert_true (desk_regex_prefilter_may_match (wire, "Source: PR NEWSWIRE", 19));
  g_assert_true (desk_regex_prefilter_may_match (wire, "see PRNewswire.COM now", 22));
  /* Only the bytes given are read. */
  g_assert_false (desk_regex_prefilter_may_match (wire, "Source: PR NEWSWIRE", 14));
  g_assert_true (desk_regex_prefilter_may_match (sector, "СЕКТОР: банки", strlen ("СЕКТОР: банки")));
  g_assert_false (desk_regex_prefilter_may_match (sector, "Отрасль: банки", strlen ("Отрасль: банки")));
  /* An expression it cannot read lets everything through. */
  g_assert_true (desk_regex_prefilter_may_match (unread, "xyz", 3));
}

/* Texts PCRE matches caselessly in ways a byte fold would miss. */
static const char * const unicode_case_texts[] = {
  "LIN\xe2\x84\xaa to the newsroom",   /* the Kelvin sign for "k" */
  "Bu\xc3\x9f" "e \xc5\xbf" "ponsored",  /* "ſ" for "s" */
  "\xce\xa3\xce\x9f\xce\xa6\xce\x99\xce\x91 \xcf\x83\xce\xbf\xcf\x86\xce\xb9\xce\xb1 \xcf\x82",
  "\xc4\xb0ST\xc4\xb0KLAL dostlu\xc4\x9fu",
};

static void
check_never_hides (const char *regex,
                   GRegex     *compiled,
                   const char *text,
                   gsize       length,
                   guint      *n_matched,
                   guint      *n_turned_away)
{
  g_autoptr(DeskRegexPrefilter) prefilter = prefilter_for (regex);
  gboolean matches = g_regex_match_full (compiled, text, (gssize) length, 0, 0, NULL, NULL);
  gboolean may = desk_regex_prefilter_may_match (prefilter, text, length);

  if (matches && !may)
    g_error ("the prefilter hides a match of “%s” in “%.*s”", regex, (int) length, text);
  *n_matched += matches;
  *n_turned_away += !may;
}

/* Every shipped rule against every paragraph of the labelled sets, as they
 * are, in upper case and in lower case: wherever the expression matches,
 * the prefilter lets the text through. */
static void
test_shipped_rules_never_hidden (void)
{
  g_autofree char *rules_path = g_test_build_filename (G_TEST_DIST, "..", "data", "sponsor-rules.json", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  static const char * const dirs[] = { "eval", "eval-layouts", "eval-heldout", "eval-real" };
  JsonNode *root;
  JsonArray *rules;
  guint n_matched = 0;
  guint n_turned_away = 0;
  guint n_rules = 0;

  json_parser_load_from_file (parser, rules_path, &error);
  g_assert_no_error (error);
  root = json_parser_get_root (parser);
  rules = JSON_NODE_HOLDS_ARRAY (root) ? json_node_get_array (root)
                                       : json_object_get_array_member (json_node_get_object (root), "rules");

  for (guint d = 0; d < G_N_ELEMENTS (dirs); d++)
    {
      g_autofree char *dir_path = g_test_build_filename (G_TEST_DIST, dirs[d], NULL);
      g_autoptr(GDir) dir = g_dir_open (dir_path, 0, &error);
      const char *name;

      g_assert_no_error (error);
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *path = g_build_filename (dir_path, name, NULL);
          g_autofree char *contents = NULL;
          g_auto(GStrv) paragraphs = NULL;

          if (g_str_has_suffix (name, ".json") ||
              !g_file_get_contents (path, &contents, NULL, NULL) ||
              !g_utf8_validate (contents, -1, NULL))
            continue;
          /* Paragraphs, and the lines of each: the detector reads both. */
          paragraphs = g_regex_split_simple ("\\n\\s*\\n", contents, 0, 0);
          for (guint p = 0; paragraphs[p] != NULL; p++)
            {
              g_ptr_array_add (texts, g_strdup (paragraphs[p]));
              g_ptr_array_add (texts, g_utf8_strup (paragraphs[p], -1));
              g_ptr_array_add (texts, g_utf8_strdown (paragraphs[p], -1));
              if (strchr (paragraphs[p], '\n') != NULL)
                {
                  g_auto(GStrv) lines = g_strsplit (paragraphs[p], "\n", -1);

                  for (guint l = 0; lines[l] != NULL; l++)
                    g_ptr_array_add (texts, g_strdup (lines[l]));
                }
            }
        }
    }
  for (guint i = 0; i < G_N_ELEMENTS (unicode_case_texts); i++)
    g_ptr_array_add (texts, g_strdup (unicode_case_texts[i]));
  g_assert_cmpuint (texts->len, >, 1000);

  for (guint r = 0; r < json_array_get_length (rules); r++)
    {
      JsonObject *rule = json_array_get_object_element (rules, r);
      const char *pattern = json_object_get_string_member (rule, "pattern");
      g_autoptr(GRegex) compiled = NULL;

      if (!json_object_get_boolean_member_with_default (rule, "regex", FALSE))
        continue;
      compiled = g_regex_new (pattern, G_REGEX_CASELESS | G_REGEX_OPTIMIZE, 0, &error);
      g_assert_no_error (error);
      n_rules++;
      for (guint i = 0; i < texts->len; i++)
        check_never_hides (pattern, compiled, texts->pdata[i], strlen (texts->pdata[i]),
                           &n_matched, &n_turned_away);
    }

  /* The prefilter is worth having: most texts are turned away. */
  g_test_message ("%u rules, %u texts: %u matches, %u turned away",
                  n_rules, texts->len, n_matched, n_turned_away);
  g_assert_cmpuint (n_rules, >, 50);
  g_assert_cmpuint (n_matched, >, 100);
  g_assert_cmpuint (n_turned_away, >, n_rules * texts->len / 2);
}

/* Which expressions may match: each one whose literal the text holds, in
 * any case, two-byte literals and a literal two expressions share
 * included; none whose literal it lacks. */
static void
test_which_names_the_expressions_that_may_match (void)
{
  static const char * const expressions[] = {
    "PR Newswire|prnewswire\\.com", "(?:about|tentang) us", "ab", "colou?r", "us\\b",
  };
  static const struct {
    const char *text;
    guint64     bits;
  } cases[] = {
    { "Nothing here.", 0 },
    { "Source: PRNEWSWIRE.COM", 1 << 0 },
    { "ABOUT US and colours", 1 << 1 | 1 << 2 | 1 << 3 | 1 << 4 },   /* "ab" in "about" */
    { "tentang us", 1 << 1 | 1 << 4 },
    { "a crab", 1 << 2 },
    { "pr newswire, about us, color", 0x1f },
    { "x", 0 },
  };
  g_autoptr(DeskRegexPrefilter) prefilter = desk_regex_prefilter_new ();
  g_autoptr(DeskRegexPrefilter) without = desk_regex_prefilter_new ();
  guint64 bits[2];

  for (guint i = 0; i < G_N_ELEMENTS (expressions); i++)
    g_assert_true (desk_regex_prefilter_add (prefilter, expressions[i]));
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_assert_true (desk_regex_prefilter_which (prefilter, cases[i].text, strlen (cases[i].text), bits, 2));
      g_assert_cmphex (bits[0], ==, cases[i].bits);
      g_assert_cmphex (bits[1], ==, 0);
      g_assert_cmpint (desk_regex_prefilter_may_match (prefilter, cases[i].text, strlen (cases[i].text)), ==,
                       cases[i].bits != 0);
    }

  /* An expression without literals may match any text. */
  g_assert_true (desk_regex_prefilter_add (without, "ab"));
  g_assert_false (desk_regex_prefilter_add (without, "\\d+"));
  g_assert_true (desk_regex_prefilter_add (without, "cd"));
  g_assert_true (desk_regex_prefilter_which (without, "ab 12", 5, bits, 2));
  g_assert_cmphex (bits[0], ==, 1 << 0 | 1 << 1);
  g_assert_true (desk_regex_prefilter_which (without, "x", 1, bits, 2));
  g_assert_cmphex (bits[0], ==, 1 << 1);
  g_assert_true (desk_regex_prefilter_may_match (without, "x", 1));
}

/* Characters PCRE folds together, one expression a character. */
static void
test_unicode_case_never_hidden (void)
{
  static const char * const cases[][2] = {
    { "link to", "LIN\xe2\x84\xaa TO" },
    { "ksponsored", "\xe2\x84\xaa\xc5\xbfPONSORED" },
    { "\xcf\x83\xce\xbf\xcf\x86", "\xce\xa3\xce\x9f\xce\xa6" },
    { "\xcf\x82\xce\xbf", "\xce\xa3\xce\x9f" },
    { "stra\xc3\x9f" "e", "STRA\xe1\xba\x9e" "E" },
    { "\xc2\xb5m", "\xce\x9cM" },
    { "\xc7\x86" "ab", "\xc7\x85" "AB" },
  };
  guint n_matched = 0;
  guint n_turned_away = 0;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GRegex) compiled = g_regex_new (cases[i][0], G_REGEX_CASELESS, 0, NULL);

      check_never_hides (cases[i][0], compiled, cases[i][1], strlen (cases[i][1]),
                         &n_matched, &n_turned_away);
    }
  g_assert_cmpuint (n_turned_away, ==, 0);

  /* The prefilter copies kana, Han, Hangul syllables and Thai without
   * folding them: they have no case. */
  for (gunichar c = 0x3000; c <= 0xD7FF; c++)
    if (c < 0xA000 || c >= 0xAC00)
      g_assert_cmpuint (g_unichar_tolower (g_unichar_toupper (c)), ==, c);
  for (gunichar c = 0x0E00; c <= 0x0E7F; c++)
    g_assert_cmpuint (g_unichar_tolower (g_unichar_toupper (c)), ==, c);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/regex-prefilter/literals-are-read-from-the-expression", test_literals_read_from_the_expression);
  g_test_add_func ("/regex-prefilter/text-without-a-literal-is-turned-away", test_text_without_a_literal_is_turned_away);
  g_test_add_func ("/regex-prefilter/shipped-rules-are-never-hidden", test_shipped_rules_never_hidden);
  g_test_add_func ("/regex-prefilter/unicode-case-is-never-hidden", test_unicode_case_never_hidden);
  g_test_add_func ("/regex-prefilter/which-names-the-expressions-that-may-match",
                   test_which_names_the_expressions_that_may_match);

  return g_test_run ();
}
