/* desk-store-check.c — is the store whole, and can its index be rebuilt
 *
 * Two checks, both SQLite's own: PRAGMA integrity_check reads every page
 * of the file, and FTS5's 'integrity-check' command (with rank 1, which
 * also compares the index with the releases it was built from) reads the
 * whole search index.  Both run in transactions of their own beside other
 * processes (WAL): the window may have the store open.  The index is
 * derived from the releases, so it can always be rebuilt from them; the
 * releases themselves cannot be repaired here, only reported.
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "desk-error.h"
#include "desk-store-check.h"
#include "desk-store-private.h"

/* At most this many problems of the file are listed: a badly damaged
 * file has one per page. */
#define MAX_PROBLEMS 100

void
desk_store_check_free (DeskStoreCheck *check)
{
  if (check == NULL)
    return;
  g_clear_pointer (&check->database, g_ptr_array_unref);
  g_clear_pointer (&check->search_index, g_ptr_array_unref);
  g_free (check);
}

gboolean
desk_store_check_is_ok (const DeskStoreCheck *check)
{
  return check->database->len == 0 && check->search_index->len == 0;
}

static gboolean
check_database (DeskStore  *self,
                GPtrArray  *problems,
                GError    **error)
{
  sqlite3 *db = _desk_store_get_db (self);
  g_autofree char *sql = g_strdup_printf ("PRAGMA integrity_check(%d)", MAX_PROBLEMS);
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      /* A file too damaged to prepare even this is itself the finding. */
      g_ptr_array_add (problems, g_strdup (sqlite3_errmsg (db)));
      return TRUE;
    }
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *text = (const char *) sqlite3_column_text (stmt, 0);
      g_auto(GStrv) lines = g_strsplit (text != NULL ? text : "", "\n", -1);

      /* One finding may be several lines, under a heading that names the
       * schema ("*** in database main ***"). */
      for (guint i = 0; lines[i] != NULL; i++)
        if (*lines[i] != '\0' && !g_str_equal (lines[i], "ok") && !g_str_has_prefix (lines[i], "*** "))
          g_ptr_array_add (problems, g_strdup (lines[i]));
    }
  if (rc != SQLITE_DONE)
    {
      int code = sqlite3_errcode (db) & 0xff;

      if (code == SQLITE_CORRUPT || code == SQLITE_NOTADB)
        g_ptr_array_add (problems, g_strdup (sqlite3_errmsg (db)));
      else
        {
          _desk_store_set_db_error (self, error, _("Could not check the database"));
          sqlite3_finalize (stmt);
          return FALSE;
        }
    }
  sqlite3_finalize (stmt);
  return TRUE;
}

static gboolean
check_search_index (DeskStore  *self,
                    GPtrArray  *problems,
                    gboolean   *out_unchecked,
                    GError    **error)
{
  sqlite3 *db = _desk_store_get_db (self);
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (db, "INSERT INTO releases_fts (releases_fts, rank) VALUES ('integrity-check', 1)",
                          -1, &stmt, NULL) != SQLITE_OK)
    {
      g_ptr_array_add (problems, g_strdup_printf (_("cannot be read: %s"), sqlite3_errmsg (db)));
      return TRUE;
    }
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc == SQLITE_DONE)
    return TRUE;

  rc &= 0xff;
  if (rc == SQLITE_CORRUPT)
    {
      g_ptr_array_add (problems, g_strdup (_("does not match the releases")));
      return TRUE;
    }
  if (rc == SQLITE_READONLY || rc == SQLITE_CANTOPEN)
    {
      g_autoptr(GError) local_error = NULL;

      /* FTS5 checks in a write transaction: a store that can only be
       * read has its index unchecked, which is no clean bill of health. */
      _desk_store_set_db_error (self, &local_error, _("not checked"));
      *out_unchecked = TRUE;
      g_ptr_array_add (problems, g_strdup (local_error->message));
      return TRUE;
    }
  _desk_store_set_db_error (self, error, _("Could not check the search index"));
  return FALSE;
}

static gboolean
rebuild_search_index (DeskStore  *self,
                      GError    **error)
{
  g_auto(DeskStmt) stmt = NULL;

  if (!_desk_store_begin (self, error))
    return FALSE;
  stmt = _desk_store_prepare (self, "INSERT INTO releases_fts (releases_fts) VALUES ('rebuild')", error);
  if (stmt == NULL ||
      !_desk_store_step_done (self, stmt, _("Could not rebuild the search index"), error))
    {
      _desk_store_rollback (self);
      return FALSE;
    }
  return _desk_store_commit (self, error);
}

/* FTS5 reads its structure record (the row with id 10 of its data table)
 * before it does anything, 'rebuild' included: with that record damaged
 * the index can be neither read nor rebuilt.  Its shadow tables are
 * ordinary tables, though: emptied, with the structure record of an
 * empty index (a cookie and three zero counts), the index is empty and
 * whole, and 'rebuild' fills it from the releases. */
static gboolean
empty_search_index (DeskStore  *self,
                    GError    **error)
{
  sqlite3 *db = _desk_store_get_db (self);

  if (!_desk_store_begin (self, error))
    return FALSE;
  if (sqlite3_exec (db,
                    "DELETE FROM releases_fts_data;"
                    "DELETE FROM releases_fts_idx;"
                    "INSERT INTO releases_fts_data (id, block) VALUES (10, x'00000000000000');",
                    NULL, NULL, NULL) != SQLITE_OK)
    {
      _desk_store_set_db_error (self, error, _("Could not rebuild the search index"));
      _desk_store_rollback (self);
      return FALSE;
    }
  return _desk_store_commit (self, error);
}

static gboolean
repair_search_index (DeskStore  *self,
                     GError    **error)
{
  g_autoptr(GError) local_error = NULL;

  if (rebuild_search_index (self, &local_error))
    return TRUE;
  if (!g_error_matches (local_error, DESK_ERROR, DESK_ERROR_DAMAGED))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return empty_search_index (self, error) && rebuild_search_index (self, error);
}

/* Checks the database file and its search index; with @repair_index, a
 * search index found wrong is rebuilt from the releases and checked
 * again.  NULL (with @error) only when the checks could not run, such as
 * when another process held the store too long. */
DeskStoreCheck *
desk_store_check (DeskStore  *self,
                  gboolean    repair_index,
                  GError    **error)
{
  g_autoptr(DeskStoreCheck) check = g_new0 (DeskStoreCheck, 1);

  g_return_val_if_fail (DESK_IS_STORE (self), NULL);

  check->database = g_ptr_array_new_with_free_func (g_free);
  check->search_index = g_ptr_array_new_with_free_func (g_free);

  if (!check_database (self, check->database, error) ||
      !check_search_index (self, check->search_index, &check->index_unchecked, error))
    return NULL;

  if (repair_index && check->search_index->len > 0 && !check->index_unchecked)
    {
      if (!repair_search_index (self, error))
        return NULL;
      check->index_rebuilt = TRUE;
      g_ptr_array_set_size (check->search_index, 0);
      if (!check_search_index (self, check->search_index, &check->index_unchecked, error))
        return NULL;
    }

  return g_steal_pointer (&check);
}
