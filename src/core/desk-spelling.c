/* desk-spelling.c — the edited copy's spelling, by enchant's dictionaries
 *
 * A release's language is a BCP-47 tag ("id", "en-GB", "zh-Hans"); enchant
 * names its dictionaries "id_ID", "en_GB".  The tag's region is tried
 * first, then any dictionary of its language (the language's own country
 * first: "id" → "id_ID", "de" → "de_DE"), then none: spelling is off for
 * that release, and the caller says so.
 *
 * Words are found with ICU's word boundaries, as the diff finds them; a
 * word is checked when it holds letters only, in the language's script
 * (numbers, codes such as "B2B" or "COVID-19", and "北京" in Indonesian
 * copy are not).  News
 * copy is full of names no dictionary has: a word with a capital inside
 * ("AS", "SeaPRwire") is not checked, nor a capitalised word inside a
 * sentence ("di Istanbul"); at a sentence's start it is.  Words
 * the desk accepted are added to the checker's session, never to a file:
 * the store keeps the desk's dictionary.
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <enchant.h>
#include <glib/gi18n-lib.h>
#include <unicode/ubrk.h>
#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/utf16.h>

#include "desk-error.h"
#include "desk-spelling.h"

struct _DeskSpelling
{
  GObject      parent_instance;

  char        *language;     /* the key: "id", "en" */
  char        *dictionary;   /* enchant's tag: "id_ID" */
  EnchantDict *dict;
  UScriptCode  scripts[8];   /* the scripts the language is written in */
  int          n_scripts;
};

G_DEFINE_FINAL_TYPE (DeskSpelling, desk_spelling, G_TYPE_OBJECT)

/* One broker for the process: it loads enchant's providers once.  Used
 * from the main thread only. */
static EnchantBroker *
broker (void)
{
  static EnchantBroker *the_broker;

  if (the_broker == NULL)
    the_broker = enchant_broker_init ();
  return the_broker;
}

/* The language subtag of @language, lower case ("en-GB" → "en"), or NULL
 * for none ("und", "", NULL): the key of the desk's dictionary. */
char *
desk_spelling_language_key (const char *language)
{
  g_autofree char *lower = NULL;
  char *dash;

  if (language == NULL || *language == '\0')
    return NULL;
  lower = g_ascii_strdown (language, -1);
  g_strdelimit (lower, "_", '-');
  dash = strchr (lower, '-');
  if (dash != NULL)
    *dash = '\0';
  if (*lower == '\0' || g_str_equal (lower, "und") || g_str_equal (lower, "mul") ||
      g_str_equal (lower, "zxx"))
    return NULL;
  return g_steal_pointer (&lower);
}

typedef struct {
  const char *language;
  char       *own_country;   /* "id_ID" */
  char       *first;
} DictSearch;

static void
consider_dict (const char *tag,
               const char *provider_name,
               const char *provider_desc,
               const char *provider_file,
               void       *user_data)
{
  DictSearch *search = user_data;
  gsize n = strlen (search->language);

  if (g_ascii_strncasecmp (tag, search->language, n) != 0 || (tag[n] != '\0' && tag[n] != '_'))
    return;
  if (search->first == NULL)
    search->first = g_strdup (tag);
  if (search->own_country != NULL && g_ascii_strcasecmp (tag, search->own_country) == 0)
    {
      g_free (search->first);
      search->first = g_strdup (tag);
    }
}

/* Enchant's tag for BCP-47 @language, or NULL when no dictionary is
 * installed for it. */
static char *
dictionary_for (const char *language)
{
  g_autofree char *key = desk_spelling_language_key (language);
  g_auto(GStrv) subtags = NULL;
  DictSearch search = { 0 };

  if (key == NULL)
    return NULL;

  /* "en-GB" → "en_GB"; a script subtag ("zh-Hans") is not a region. */
  subtags = g_strsplit_set (language, "-_", -1);
  for (guint i = 1; subtags[i] != NULL; i++)
    if (strlen (subtags[i]) == 2)
      {
        g_autofree char *region = g_ascii_strup (subtags[i], -1);
        g_autofree char *tag = g_strdup_printf ("%s_%s", key, region);

        if (enchant_broker_dict_exists (broker (), tag))
          return g_steal_pointer (&tag);
      }

  search.language = key;
  {
    g_autofree char *upper = g_ascii_strup (key, -1);

    search.own_country = g_strdup_printf ("%s_%s", key, upper);
  }
  if (enchant_broker_dict_exists (broker (), key))
    search.first = g_strdup (key);
  else
    enchant_broker_list_dicts (broker (), consider_dict, &search);
  g_free (search.own_country);
  return search.first;
}

/* A checker for BCP-47 @language, or NULL with DESK_ERROR_NOT_FOUND when
 * no dictionary for it is installed. */
DeskSpelling *
desk_spelling_new (const char  *language,
                   GError     **error)
{
  g_autofree char *dictionary = dictionary_for (language);
  g_autoptr(DeskSpelling) self = NULL;

  if (dictionary == NULL)
    {
      g_set_error (error, DESK_ERROR, DESK_ERROR_NOT_FOUND,
                   _("No spelling dictionary for the language “%s” is installed"),
                   language != NULL && *language != '\0' ? language : "und");
      return NULL;
    }

  self = g_object_new (DESK_TYPE_SPELLING, NULL);
  self->dict = enchant_broker_request_dict (broker (), dictionary);
  if (self->dict == NULL)
    {
      g_set_error (error, DESK_ERROR, DESK_ERROR_NOT_FOUND,
                   _("The spelling dictionary %s could not be opened: %s"), dictionary,
                   enchant_broker_get_error (broker ()) != NULL ? enchant_broker_get_error (broker ()) : "");
      return NULL;
    }
  self->language = desk_spelling_language_key (language);
  self->dictionary = g_steal_pointer (&dictionary);
  {
    UErrorCode status = U_ZERO_ERROR;

    self->n_scripts = uscript_getCode (self->language, self->scripts, G_N_ELEMENTS (self->scripts), &status);
    if (U_FAILURE (status))
      self->n_scripts = 0;
  }
  return g_steal_pointer (&self);
}

/* Enchant's name of the dictionary in use: "id_ID". */
const char *
desk_spelling_get_dictionary (DeskSpelling *self)
{
  g_return_val_if_fail (DESK_IS_SPELLING (self), NULL);

  return self->dictionary;
}

/* The language key of the desk's dictionary words: "id". */
const char *
desk_spelling_get_language (DeskSpelling *self)
{
  g_return_val_if_fail (DESK_IS_SPELLING (self), NULL);

  return self->language;
}

gboolean
desk_spelling_check_word (DeskSpelling *self,
                          const char   *word)
{
  g_return_val_if_fail (DESK_IS_SPELLING (self), TRUE);

  return word == NULL || *word == '\0' || enchant_dict_check (self->dict, word, -1) == 0;
}

/* Whether @word is one a dictionary can judge: letters, more than one. */
static gboolean
is_checkable (const char *word)
{
  guint n = 0;

  for (const char *p = word; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isdigit (c) || c == '_')
        return FALSE;
      if (g_unichar_isalpha (c))
        n++;
    }
  return n > 1;
}

/* Whether every letter of @word is in a script the language is written
 * in: a word in another script ("北京" in Indonesian copy) is not the
 * dictionary's to judge.  A language ICU knows no script for checks
 * every word. */
static gboolean
in_language_script (DeskSpelling *self,
                    const char   *word)
{
  if (self->n_scripts <= 0)
    return TRUE;
  for (const char *p = word; *p != '\0'; p = g_utf8_next_char (p))
    {
      UErrorCode status = U_ZERO_ERROR;
      UScriptCode script = uscript_getScript ((UChar32) g_utf8_get_char (p), &status);
      gboolean found = script == USCRIPT_COMMON || script == USCRIPT_INHERITED;

      for (int i = 0; i < self->n_scripts && !found; i++)
        found = self->scripts[i] == script;
      if (!found)
        return FALSE;
    }
  return TRUE;
}

/* Whether the word at unit @start of @units begins a sentence (or a
 * paragraph, or the text): what comes before it, past spaces and opening
 * quotes and brackets, ends a sentence. */
static gboolean
starts_sentence (const gunichar2 *units,
                 int32_t          start)
{
  while (start > 0)
    {
      UChar32 c;

      U16_PREV (units, 0, start, c);
      if (u_isspace (c) && c != '\n' && c != '\r' && c != 0x2029)
        continue;
      if (c == '"' || c == '\'' || c == '(' || c == '[' || c == 0x201C || c == 0x2018 || c == 0xAB)
        continue;
      return c == '.' || c == '!' || c == '?' || c == 0x2026 || c == ':' ||
             c == '\n' || c == '\r' || c == 0x2029;
    }
  return TRUE;
}

/* A name or an acronym, not a word for the dictionary: a capital after
 * the first letter, or a capital first letter inside a sentence. */
static gboolean
is_name (const char      *word,
         const gunichar2 *units,
         int32_t          start)
{
  for (const char *p = g_utf8_next_char (word); *p != '\0'; p = g_utf8_next_char (p))
    if (g_unichar_isupper (g_utf8_get_char (p)))
      return TRUE;
  return g_unichar_isupper (g_utf8_get_char (word)) && !starts_sentence (units, start);
}

/* The misspelled words of the first @length bytes of @text (-1: all of
 * it), as DeskSpellingRange in characters from its start. */
GArray *
desk_spelling_check (DeskSpelling *self,
                     const char   *text,
                     gssize        length)
{
  GArray *misspelled = g_array_new (FALSE, FALSE, sizeof (DeskSpellingRange));
  g_autofree gunichar2 *units = NULL;
  glong n_units = 0;
  UErrorCode status = U_ZERO_ERROR;
  UBreakIterator *words;
  guint chars = 0;
  int32_t at = 0;

  g_return_val_if_fail (DESK_IS_SPELLING (self), misspelled);

  units = g_utf8_to_utf16 (text, length, NULL, &n_units, NULL);
  if (units == NULL || n_units == 0)
    return misspelled;
  words = ubrk_open (UBRK_WORD, "", (const UChar *) units, (int32_t) n_units, &status);
  if (U_FAILURE (status))
    return misspelled;

  for (int32_t start = ubrk_first (words), end = ubrk_next (words);
       end != UBRK_DONE;
       start = end, end = ubrk_next (words))
    {
      int32_t kind = ubrk_getRuleStatus (words);
      guint word_start;
      guint word_chars = 0;

      /* Characters up to the word's start, then through it. */
      for (; at < start; chars++)
        U16_FWD_1 (units, at, n_units);
      word_start = chars;
      for (; at < end; word_chars++)
        U16_FWD_1 (units, at, n_units);
      chars += word_chars;

      if (kind >= UBRK_WORD_LETTER && kind < UBRK_WORD_LETTER_LIMIT)
        {
          g_autofree char *word = g_utf16_to_utf8 (units + start, end - start, NULL, NULL, NULL);

          if (word != NULL && is_checkable (word) && in_language_script (self, word) &&
              !is_name (word, units, start) &&
              !desk_spelling_check_word (self, word))
            {
              DeskSpellingRange range = { word_start, word_start + word_chars };

              g_array_append_val (misspelled, range);
            }
        }
    }
  ubrk_close (words);
  return misspelled;
}

/* What the dictionary suggests for @word, best first; never NULL. */
GStrv
desk_spelling_suggest (DeskSpelling *self,
                       const char   *word)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  char **suggestions;
  size_t n = 0;

  g_return_val_if_fail (DESK_IS_SPELLING (self), NULL);

  suggestions = enchant_dict_suggest (self->dict, word, -1, &n);
  for (size_t i = 0; suggestions != NULL && i < n; i++)
    g_strv_builder_add (builder, suggestions[i]);
  if (suggestions != NULL)
    enchant_dict_free_string_list (self->dict, suggestions);
  return g_strv_builder_end (builder);
}

/* Takes @word as correct from now on (the desk's dictionary has it). */
void
desk_spelling_accept (DeskSpelling *self,
                      const char   *word)
{
  g_return_if_fail (DESK_IS_SPELLING (self));

  if (word != NULL && *word != '\0')
    enchant_dict_add_to_session (self->dict, word, -1);
}

static void
desk_spelling_finalize (GObject *object)
{
  DeskSpelling *self = DESK_SPELLING (object);

  if (self->dict != NULL)
    enchant_broker_free_dict (broker (), self->dict);
  g_free (self->language);
  g_free (self->dictionary);

  G_OBJECT_CLASS (desk_spelling_parent_class)->finalize (object);
}

static void
desk_spelling_class_init (DeskSpellingClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = desk_spelling_finalize;
}

static void
desk_spelling_init (DeskSpelling *self)
{
}
