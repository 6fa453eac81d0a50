/* test-spelling.c — spelling in the core: enchant's real dictionaries
 * (hunspell-id, hunspell-en-us from Debian) and the desk's dictionary in a
 * real temporary SQLite store
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>
#include <glib/gstdio.h>

#include "desk-error.h"
#include "desk-spelling.h"
#include "desk-store.h"
#include "desk-test-util.h"

static gboolean
have (const char *language)
{
  g_autoptr(DeskSpelling) spelling = desk_spelling_new (language, NULL);

  if (spelling == NULL)
    g_test_skip ("the dictionary is not installed (hunspell-id, hunspell-en-us)");
  return spelling != NULL;
}

/* The text of each range, joined by "|". */
static char *
misspelled (DeskSpelling *spelling,
            const char   *text)
{
  g_autoptr(GArray) ranges = desk_spelling_check (spelling, text, -1);
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < ranges->len; i++)
    {
      const DeskSpellingRange *range = &g_array_index (ranges, DeskSpellingRange, i);
      const char *start = g_utf8_offset_to_pointer (text, range->start);
      const char *end = g_utf8_offset_to_pointer (text, range->end);

      g_string_append_printf (out, "%s%.*s", out->len ? "|" : "", (int) (end - start), start);
    }
  return g_string_free (out, FALSE);
}

static void
test_language_to_dictionary (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskSpelling) none = NULL;

  if (!have ("id") || !have ("en"))
    return;
  {
    g_autoptr(DeskSpelling) id = desk_spelling_new ("id", NULL);
    g_autoptr(DeskSpelling) id_id = desk_spelling_new ("id-ID", NULL);
    g_autoptr(DeskSpelling) en_gb = desk_spelling_new ("en-GB", NULL);
    g_autoptr(DeskSpelling) en_us = desk_spelling_new ("en-US", NULL);

    g_assert_cmpstr (desk_spelling_get_dictionary (id), ==, "id_ID");
    g_assert_cmpstr (desk_spelling_get_language (id), ==, "id");
    g_assert_cmpstr (desk_spelling_get_dictionary (id_id), ==, "id_ID");
    g_assert_cmpstr (desk_spelling_get_dictionary (en_us), ==, "en_US");
    /* No British dictionary here: any English one. */
    g_assert_nonnull (en_gb);
    g_assert_true (g_str_has_prefix (desk_spelling_get_dictionary (en_gb), "en"));
    g_assert_cmpstr (desk_spelling_get_language (en_gb), ==, "en");
  }

  none = desk_spelling_new ("und", &error);
  g_assert_null (none);
  g_assert_error (error, DESK_ERROR, DESK_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "“und”"));
  g_clear_error (&error);
  none = desk_spelling_new ("tlh", &error);
  g_assert_null (none);
  g_assert_error (error, DESK_ERROR, DESK_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "“tlh”"));

  g_assert_null (desk_spelling_language_key (NULL));
  g_assert_null (desk_spelling_language_key ("und"));
  {
    g_autofree char *zh = desk_spelling_language_key ("zh-Hans");
    g_autofree char *en = desk_spelling_language_key ("EN_gb");

    g_assert_cmpstr (zh, ==, "zh");
    g_assert_cmpstr (en, ==, "en");
  }
}

/* Misspellings in character offsets, past curly quotes and non-ASCII
 * letters; names and codes left alone; suggestions. */
static void
test_check_and_suggest (void)
{
  g_autoptr(DeskSpelling) id = NULL;
  g_autofree char *found = NULL;
  g_auto(GStrv) suggestions = NULL;

  if (!have ("id"))
    return;
  id = desk_spelling_new ("id", NULL);

  found = misspelled (id, "“Pekerjaan untuk menghilangkan banyak hambatan teknis” kata kementrian "
                          "di Istanbul, Turkiye — misi diplomatk kedua negara, COVID-19, B2B, 2025, AS.\n"
                          "Diplomatk itu pergi ke 北京 dan 서울 bersama мосвка.");
  g_assert_cmpstr (found, ==, "kementrian|diplomatk|Diplomatk");

  suggestions = desk_spelling_suggest (id, "diplomatk");
  g_assert_true (g_strv_contains ((const char * const *) suggestions, "diplomatik"));
  g_assert_true (desk_spelling_check_word (id, "diplomatik"));
  g_assert_false (desk_spelling_check_word (id, "diplomatk"));

  /* An accepted word is correct from then on. */
  desk_spelling_accept (id, "diplomatk");
  g_assert_true (desk_spelling_check_word (id, "diplomatk"));
}

/* The desk's dictionary and spelling by release, kept in the store, and
 * the store upgraded from schema 7. */
static void
test_store_keeps_words_and_choices (void)
{
  g_autofree char *dir = g_dir_make_tmp ("copydesk-spelling-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "desk.db", NULL);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) words = NULL;
  gint64 id;

  {
    g_autoptr(DeskStore) old = desk_store_open_at_version (path, 7, &error);

    g_assert_no_error (error);
    id = desk_test_add_seed (old);
  }
  {
    g_autoptr(DeskStore) store = desk_store_open (path, &error);

    g_assert_no_error (error);
    g_assert_cmpint (desk_store_get_schema_version (store), ==, DESK_STORE_SCHEMA_VERSION);
    g_assert_true (desk_store_get_spelling_checked (store, id));
    g_assert_true (desk_store_set_spelling_checked (store, id, FALSE, &error));
    g_assert_no_error (error);
    g_assert_false (desk_store_set_spelling_checked (store, id + 100, FALSE, &error));
    g_assert_error (error, DESK_ERROR, DESK_ERROR_DATABASE);
    g_clear_error (&error);

    g_assert_true (desk_store_add_dictionary_word (store, "id", "gotongroyongisasi", "Ed", &error));
    g_assert_true (desk_store_add_dictionary_word (store, "id", "gotongroyongisasi", "Ana", &error));
    g_assert_true (desk_store_add_dictionary_word (store, "en", "Copydesk", "Ed", &error));
    g_assert_no_error (error);
    g_assert_false (desk_store_add_dictionary_word (store, "id", "dua kata", "Ed", &error));
    g_assert_error (error, DESK_ERROR, DESK_ERROR_INVALID_INPUT);
    g_clear_error (&error);
    g_assert_false (desk_store_add_dictionary_word (store, "", "kata", "Ed", &error));
    g_assert_error (error, DESK_ERROR, DESK_ERROR_INVALID_INPUT);
    g_clear_error (&error);
  }
  {
    g_autoptr(DeskStore) store = desk_store_open (path, &error);

    g_assert_no_error (error);
    g_assert_false (desk_store_get_spelling_checked (store, id));
    words = desk_store_list_dictionary_words (store, "id", &error);
    g_assert_no_error (error);
    g_assert_cmpuint (g_strv_length (words), ==, 1);
    g_assert_cmpstr (words[0], ==, "gotongroyongisasi");
  }
  desk_test_remove_tree (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/spelling/language-to-dictionary", test_language_to_dictionary);
  g_test_add_func ("/spelling/check-and-suggest", test_check_and_suggest);
  g_test_add_func ("/spelling/store-keeps-words-and-choices", test_store_keeps_words_and_choices);

  return g_test_run ();
}
