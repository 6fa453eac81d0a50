/* desk-db-locks.c — soft locks on a team desk
 *
 * The server does the work (desk-pg-schema.c, copydesk_lock_*): a row
 * names the holder and since when, and counts only while the holder's
 * connection holds a session advisory lock, which dies with it.  Here
 * are the calls and the words.
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <inttypes.h>
#include <glib/gi18n-lib.h>

#include "desk-db-locks.h"
#include "desk-error.h"

void
desk_lock_free (DeskLock *lock)
{
  if (lock == NULL)
    return;
  g_free (lock->holder);
  g_free (lock->headline);
  g_free (lock);
}

char *
desk_lock_format_time (gint64 since)
{
  g_autoptr(GDateTime) at = g_date_time_new_from_unix_local (since / G_USEC_PER_SEC);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  if (at == NULL)
    return g_strdup ("?");
  if (g_date_time_get_year (at) == g_date_time_get_year (now) &&
      g_date_time_get_day_of_year (at) == g_date_time_get_day_of_year (now))
    return g_date_time_format (at, "%H:%M");
  return g_date_time_format (at, "%Y-%m-%d %H:%M");
}

char *
desk_lock_describe (const DeskLock *lock)
{
  g_autofree char *when = NULL;

  g_return_val_if_fail (lock != NULL, NULL);

  when = desk_lock_format_time (lock->since);
  /* Translators: "Sari is editing release #12 since 10:42" */
  return g_strdup_printf (_("%s is editing release #%" PRId64 " since %s"), lock->holder, lock->release_id, when);
}

static gboolean
is_team_desk (DeskDb *db)
{
  return desk_db_get_dialect (db) == DESK_DB_POSTGRESQL;
}

static gboolean
check_release_exists (DeskDb   *db,
                      gint64    release_id,
                      GError  **error)
{
  g_autoptr(DeskDbStmt) stmt = desk_db_prepare (db, "SELECT count(*) FROM releases WHERE id = ?", error);

  if (stmt == NULL)
    return FALSE;
  desk_db_bind_int64 (stmt, 1, release_id);
  if (desk_db_step (stmt, error) != DESK_DB_ROW)
    return FALSE;
  if (desk_db_column_int64 (stmt, 0) == 0 || release_id > G_MAXINT32)
    {
      g_set_error (error, DESK_ERROR, DESK_ERROR_NOT_FOUND, _("There is no release #%" PRId64), release_id);
      return FALSE;
    }
  return TRUE;
}

static void
set_locked_error (const DeskLock  *lock,
                  GError         **error)
{
  g_autofree char *held = desk_lock_describe (lock);

  g_set_error (error, DESK_ERROR, DESK_ERROR_LOCKED,
               _("%s; give --take-over to take the release over (%s is told)"), held, lock->holder);
}

gboolean
desk_db_lock_take (DeskDb     *db,
                   gint64      release_id,
                   gboolean    take_over,
                   DeskLock  **out_lock,
                   GError    **error)
{
  g_autoptr(DeskDbStmt) stmt = NULL;
  g_autoptr(DeskLock) lock = NULL;
  gboolean taken;

  g_return_val_if_fail (DESK_IS_DB (db), FALSE);

  if (out_lock != NULL)
    *out_lock = NULL;
  if (!is_team_desk (db))
    return TRUE;
  if (!check_release_exists (db, release_id, error))
    return FALSE;

  stmt = desk_db_prepare (db, "SELECT taken, holder, since FROM copydesk_lock_take (?1, ?2::boolean)", error);
  if (stmt == NULL)
    return FALSE;
  desk_db_bind_int64 (stmt, 1, release_id);
  desk_db_bind_text (stmt, 2, take_over ? "true" : "false");
  if (desk_db_step (stmt, error) != DESK_DB_ROW)
    return FALSE;
  taken = desk_db_column_int64 (stmt, 0) != 0;
  lock = g_new0 (DeskLock, 1);
  lock->release_id = release_id;
  lock->holder = desk_db_column_dup (stmt, 1);
  lock->since = desk_db_column_int64 (stmt, 2);
  lock->mine = taken;
  if (!taken)
    set_locked_error (lock, error);
  if (out_lock != NULL)
    *out_lock = g_steal_pointer (&lock);
  return taken;
}

gboolean
desk_db_lock_get (DeskDb     *db,
                  gint64      release_id,
                  DeskLock  **out_lock,
                  GError    **error)
{
  g_autoptr(DeskDbStmt) stmt = NULL;
  DeskDbStep step;

  g_return_val_if_fail (DESK_IS_DB (db), FALSE);
  g_return_val_if_fail (out_lock != NULL, FALSE);

  *out_lock = NULL;
  if (!is_team_desk (db))
    return TRUE;
  stmt = desk_db_prepare (db, "SELECT holder, since, mine FROM release_locks_held WHERE release_id = ?", error);
  if (stmt == NULL)
    return FALSE;
  desk_db_bind_int64 (stmt, 1, release_id);
  step = desk_db_step (stmt, error);
  if (step == DESK_DB_ERROR)
    return FALSE;
  if (step == DESK_DB_ROW)
    {
      DeskLock *lock = g_new0 (DeskLock, 1);

      lock->release_id = release_id;
      lock->holder = desk_db_column_dup (stmt, 0);
      lock->since = desk_db_column_int64 (stmt, 1);
      lock->mine = desk_db_column_int64 (stmt, 2) != 0;
      *out_lock = lock;
    }
  return TRUE;
}

gboolean
desk_db_lock_release (DeskDb     *db,
                      gint64      release_id,
                      GError    **error)
{
  g_autoptr(DeskDbStmt) stmt = NULL;

  g_return_val_if_fail (DESK_IS_DB (db), FALSE);

  if (!is_team_desk (db))
    return TRUE;
  stmt = desk_db_prepare (db, "SELECT copydesk_lock_release (?)", error);
  if (stmt == NULL)
    return FALSE;
  desk_db_bind_int64 (stmt, 1, release_id);
  return desk_db_step (stmt, error) == DESK_DB_ROW;
}

GPtrArray *
desk_db_lock_list (DeskDb   *db,
                   GError  **error)
{
  g_autoptr(GPtrArray) locks = g_ptr_array_new_with_free_func ((GDestroyNotify) desk_lock_free);
  g_autoptr(DeskDbStmt) stmt = NULL;
  DeskDbStep step;

  g_return_val_if_fail (DESK_IS_DB (db), NULL);

  if (!is_team_desk (db))
    return g_steal_pointer (&locks);
  stmt = desk_db_prepare (db,
    "SELECT l.release_id, l.holder, l.since, l.mine, r.headline FROM release_locks_held l"
    " JOIN releases r ON r.id = l.release_id ORDER BY l.since, l.release_id", error);
  if (stmt == NULL)
    return NULL;
  while ((step = desk_db_step (stmt, error)) == DESK_DB_ROW)
    {
      DeskLock *lock = g_new0 (DeskLock, 1);

      lock->release_id = desk_db_column_int64 (stmt, 0);
      lock->holder = desk_db_column_dup (stmt, 1);
      lock->since = desk_db_column_int64 (stmt, 2);
      lock->mine = desk_db_column_int64 (stmt, 3) != 0;
      lock->headline = desk_db_column_dup (stmt, 4);
      g_ptr_array_add (locks, lock);
    }
  if (step == DESK_DB_ERROR)
    return NULL;
  return g_steal_pointer (&locks);
}

gboolean
desk_db_lock_check_save (DeskDb     *db,
                         gint64      release_id,
                         GError    **error)
{
  g_autoptr(DeskDbStmt) stmt = NULL;
  g_autofree char *when = NULL;
  const char *holder;

  g_return_val_if_fail (DESK_IS_DB (db), FALSE);

  if (!is_team_desk (db))
    return TRUE;
  stmt = desk_db_prepare (db, "SELECT holder, since, mine, taken_from_me FROM copydesk_lock_check (?)", error);
  if (stmt == NULL)
    return FALSE;
  desk_db_bind_int64 (stmt, 1, release_id);
  if (desk_db_step (stmt, error) != DESK_DB_ROW)
    return FALSE;
  holder = desk_db_column_text (stmt, 0);
  if (holder == NULL || desk_db_column_int64 (stmt, 2) != 0)
    return TRUE;

  when = desk_lock_format_time (desk_db_column_int64 (stmt, 1));
  if (desk_db_column_int64 (stmt, 3) != 0)
    g_set_error (error, DESK_ERROR, DESK_ERROR_LOCKED,
                 /* Translators: "Budi took over release #12 at 10:45; …" */
                 _("%s took over release #%" PRId64 " at %s; your copy was not saved"),
                 holder, release_id, when);
  else
    g_set_error (error, DESK_ERROR, DESK_ERROR_LOCKED,
                 _("%s is editing release #%" PRId64 " since %s; your copy was not saved "
                   "(take the release over first)"),
                 holder, release_id, when);
  return FALSE;
}
