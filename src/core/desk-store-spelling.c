/* desk-store-spelling.c — the desk's dictionary, and spelling by release
 *
 * Words an editor adds to the desk's dictionary are the desk's, by
 * language ("id", "en"): every editor of the store sees them, and nothing
 * is written into enchant's personal word lists.  Spelling is checked in
 * every release unless an editor turned it off in that one.
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <sqlite3.h>

#include "desk-error.h"
#include "desk-store.h"
#include "desk-store-private.h"

static gboolean
check_word (const char  *language,
            const char  *word,
            GError     **error)
{
  if (language == NULL || *language == '\0')
    {
      g_set_error (error, DESK_ERROR, DESK_ERROR_INVALID_INPUT,
                   _("A dictionary word needs a language"));
      return FALSE;
    }
  if (word == NULL || *word == '\0' || !g_utf8_validate (word, -1, NULL) ||
      g_utf8_strlen (word, -1) > 100 || strpbrk (word, " \t\r\n") != NULL)
    {
      g_set_error (error, DESK_ERROR, DESK_ERROR_INVALID_INPUT,
                   _("“%s” is not one word of text"), word != NULL ? word : "");
      return FALSE;
    }
  return TRUE;
}

/* Steps @stmt as a change of its own, as every write of the store is: a
 * store that may not be written (read-only, damaged) says why first. */
static gboolean
write_one (DeskStore     *self,
           sqlite3_stmt  *stmt,
           const char    *what,
           GError       **error)
{
  if (!_desk_store_begin (self, error))
    return FALSE;
  if (!_desk_store_step_done (self, stmt, what, error))
    {
      _desk_store_rollback (self);
      return FALSE;
    }
  return _desk_store_commit (self, error);
}

/* Adds @word to the desk's dictionary for @language (a key such as "id",
 * see desk_spelling_language_key()) as @added_by's (NULL: the editor in
 * settings, as every other change); a word already there stays as it
 * was. */
gboolean
desk_store_add_dictionary_word (DeskStore   *self,
                                const char  *language,
                                const char  *word,
                                const char  *added_by,
                                GError     **error)
{
  g_auto(DeskStmt) stmt = NULL;
  g_autofree char *default_actor = NULL;

  g_return_val_if_fail (DESK_IS_STORE (self), FALSE);

  if (added_by == NULL)
    added_by = default_actor = desk_get_default_actor ();
  if (!check_word (language, word, error))
    return FALSE;
  stmt = _desk_store_prepare (self,
                              "INSERT INTO dictionary_words (language, word, added_by, added_at)"
                              " VALUES (?, ?, ?, ?) ON CONFLICT (language, word) DO NOTHING",
                              error);
  if (stmt == NULL)
    return FALSE;
  _desk_bind_text (stmt, 1, language, SQLITE_STATIC);
  _desk_bind_text (stmt, 2, word, SQLITE_STATIC);
  _desk_bind_text (stmt, 3, added_by, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, g_get_real_time ());
  return write_one (self, stmt, _("Could not add the word to the desk’s dictionary"), error);
}

/* The desk's words for @language, in the order they were added. */
GStrv
desk_store_list_dictionary_words (DeskStore   *self,
                                  const char  *language,
                                  GError     **error)
{
  g_autoptr(GStrvBuilder) words = g_strv_builder_new ();
  g_auto(DeskStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (DESK_IS_STORE (self), NULL);

  stmt = _desk_store_prepare (self,
                              "SELECT word FROM dictionary_words WHERE language = ? ORDER BY added_at, word",
                              error);
  if (stmt == NULL)
    return NULL;
  _desk_bind_text (stmt, 1, language, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_strv_builder_add (words, (const char *) sqlite3_column_text (stmt, 0));
  if (rc != SQLITE_DONE)
    {
      _desk_store_set_db_error (self, error, _("Could not read the desk’s dictionary"));
      return NULL;
    }
  return g_strv_builder_end (words);
}

/* Whether spelling is checked in release @release_id: yes unless an
 * editor turned it off there. */
gboolean
desk_store_get_spelling_checked (DeskStore *self,
                                 gint64     release_id)
{
  g_auto(DeskStmt) stmt = NULL;

  g_return_val_if_fail (DESK_IS_STORE (self), TRUE);

  stmt = _desk_store_prepare (self, "SELECT checked FROM release_spelling WHERE release_id = ?", NULL);
  if (stmt == NULL)
    return TRUE;
  sqlite3_bind_int64 (stmt, 1, release_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    return sqlite3_column_int (stmt, 0) != 0;
  return TRUE;
}

gboolean
desk_store_set_spelling_checked (DeskStore  *self,
                                 gint64      release_id,
                                 gboolean    checked,
                                 GError    **error)
{
  g_auto(DeskStmt) stmt = NULL;

  g_return_val_if_fail (DESK_IS_STORE (self), FALSE);

  stmt = _desk_store_prepare (self,
                              "INSERT INTO release_spelling (release_id, checked) VALUES (?, ?)"
                              " ON CONFLICT (release_id) DO UPDATE SET checked = excluded.checked",
                              error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, release_id);
  sqlite3_bind_int (stmt, 2, checked ? 1 : 0);
  /* A release that is not there fails its foreign key. */
  return write_one (self, stmt, _("Could not record whether spelling is checked"), error);
}
