/* desk-store-team.c — DeskStore on a team desk: its calls sent to DeskDb
 *
 * A store opened on a "postgresql://…" address holds a DeskDb on the
 * team desk instead of a SQLite file, and the functions the window uses
 * send their work to the desk_db_* functions (desk-db-releases.c,
 * desk-db-edit.c), written once for both engines; the CLI calls the same.
 * What a team desk does not do yet (copies, spelling, publishing targets
 * from the window, backup) answers as an empty desk would, or with
 * DESK_ERROR_UNSUPPORTED_TYPE in words, and the window hides it.
 *
 * Each DeskStore has its connection: the window's on its main thread, and
 * each desk_worker_run() one of its own on its thread.  A connection the
 * server dropped (a restart, pg_terminate_backend) is made again at the
 * next call, and a read that met the loss is asked once more: its
 * statements were prepared on the old connection, so a new DeskDb is
 * opened rather than the old one reconnected under its cache.
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <inttypes.h>
#include <glib/gi18n-lib.h>

#include "desk-db-edit.h"
#include "desk-db-locks.h"
#include "desk-db-releases.h"
#include "desk-error.h"
#include "desk-pg-schema.h"
#include "desk-redact.h"
#include "desk-store-private.h"

/* DeskPg makes a lost connection again by itself, on the main loop; the
 * statements DeskDb prepared on the old one are gone with it, so the
 * DeskDb is marked and let go at the next call. */
static void
team_connection_lost (DeskPg       *pg,
                      const GError *error,
                      DeskDb       *db)
{
  g_object_set_data (G_OBJECT (db), "copydesk-lost", GINT_TO_POINTER (TRUE));
}

static DeskDb *
watch_team_db (DeskDb *db)
{
  g_signal_connect_object (desk_db_get_pg (db), "connection-lost", G_CALLBACK (team_connection_lost), db, 0);
  return db;
}

gboolean
_desk_store_team_open (DeskStore  *self,
                       GError    **error)
{
  g_autoptr(DeskDb) db = desk_db_open (desk_store_get_path (self), error);

  if (db == NULL || !desk_pg_schema_check (desk_db_get_pg (db), error))
    return FALSE;
  _desk_store_set_team (self, watch_team_db (db));
  return TRUE;
}

/* Whether the team desk's connection is gone; then it is let go, and
 * the next call makes a new one. */
gboolean
_desk_store_team_lost (DeskStore *self)
{
  DeskDb *db = _desk_store_get_team (self);
  PGconn *conn;

  if (db == NULL)
    return TRUE;
  conn = desk_pg_get_conn (desk_db_get_pg (db));
  if (conn != NULL && PQstatus (conn) == CONNECTION_OK && g_object_get_data (G_OBJECT (db), "copydesk-lost") == NULL)
    return FALSE;
  _desk_store_set_team (self, NULL);
  return TRUE;
}

/* How long a store waits after a failed reconnection before it tries
 * again: a server that is away is asked once in that time, not by every
 * call the window makes meanwhile (each would wait for it). */
#define RETRY_AFTER_US (2 * G_USEC_PER_SEC)

/* The team desk's connection, made again if it was lost. */
DeskDb *
_desk_store_team_db (DeskStore  *self,
                     GError    **error)
{
  _desk_store_team_lost (self);
  if (_desk_store_get_team (self) == NULL)
    {
      gint64 *retry_at = g_object_get_data (G_OBJECT (self), "copydesk-retry-at");
      g_autoptr(DeskDb) db = NULL;
      g_autoptr(GError) local_error = NULL;

      if (retry_at != NULL && g_get_monotonic_time () < *retry_at)
        {
          g_autofree char *shown = desk_redact (desk_store_get_path (self), NULL);

          g_set_error (error, DESK_PG_ERROR, DESK_PG_ERROR_LOST,
                       _("Not connected to the desk at %s; trying again"), shown);
          return NULL;
        }
      db = desk_db_open (desk_store_get_path (self), &local_error);
      if (db == NULL)
        {
          gint64 next = g_get_monotonic_time () + RETRY_AFTER_US;

          g_object_set_data_full (G_OBJECT (self), "copydesk-retry-at", g_memdup2 (&next, sizeof next), g_free);
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      g_object_set_data (G_OBJECT (self), "copydesk-retry-at", NULL);
      _desk_store_set_team (self, watch_team_db (db));
    }
  return _desk_store_get_team (self);
}

gboolean
_desk_store_team_unsupported (GError **error)
{
  g_set_error_literal (error, DESK_ERROR, DESK_ERROR_UNSUPPORTED_TYPE,
                       _("Not on a team desk yet"));
  return FALSE;
}

/* Runs @call, a read on `db` that fails with @fail setting `local_`, and
 * once more on a new connection when the first met a lost one. */
#define TEAM_READ(self, error, type, fail, call)                               \
  G_STMT_START {                                                               \
    for (guint attempt_ = 0; ; attempt_++)                                     \
      {                                                                        \
        g_autoptr(GError) local_ = NULL;                                       \
        DeskDb *db = _desk_store_team_db (self, &local_);                      \
        type result_ = db != NULL ? (call) : (fail);                           \
                                                                               \
        if (result_ != (fail))                                                 \
          return result_;                                                      \
        if (attempt_ > 0 || !_desk_store_team_lost (self))                     \
          {                                                                    \
            g_propagate_error (error, g_steal_pointer (&local_));              \
            return (fail);                                                     \
          }                                                                    \
      }                                                                        \
  } G_STMT_END

DeskRelease *
_desk_store_team_get_release (DeskStore  *self,
                              gint64      id,
                              GError    **error)
{
  TEAM_READ (self, error, DeskRelease *, NULL, desk_db_get_release (db, id, &local_));
}

GPtrArray *
_desk_store_team_list_releases (DeskStore        *self,
                                const DeskQuery  *query,
                                GError          **error)
{
  TEAM_READ (self, error, GPtrArray *, NULL, desk_db_list_releases (db, query, &local_));
}

gint64
_desk_store_team_count_releases (DeskStore        *self,
                                 const DeskQuery  *query,
                                 GError          **error)
{
  TEAM_READ (self, error, gint64, -1, desk_db_count_releases (db, query, &local_));
}

gboolean
_desk_store_team_count_by_status (DeskStore  *self,
                                  gint64      counts[DESK_N_STATUSES],
                                  GError    **error)
{
  TEAM_READ (self, error, gboolean, FALSE, desk_db_count_by_status (db, counts, &local_));
}

GPtrArray *
_desk_store_team_list_revisions (DeskStore  *self,
                                 gint64      release_id,
                                 GError    **error)
{
  TEAM_READ (self, error, GPtrArray *, NULL, desk_db_list_revisions (db, release_id, &local_));
}

GPtrArray *
_desk_store_team_list_events (DeskStore  *self,
                              gint64      release_id,
                              GError    **error)
{
  TEAM_READ (self, error, GPtrArray *, NULL, desk_db_list_events (db, release_id, &local_));
}

GPtrArray *
_desk_store_team_list_findings (DeskStore  *self,
                                gint64      release_id,
                                GError    **error)
{
  TEAM_READ (self, error, GPtrArray *, NULL, desk_db_list_findings (db, release_id, &local_));
}

DeskDetection *
_desk_store_team_get_detection (DeskStore  *self,
                                gint64      release_id,
                                GError    **error)
{
  TEAM_READ (self, error, DeskDetection *, NULL, desk_db_get_detection (db, release_id, &local_));
}

/* The row id of release @release_id's revision numbered @number. */
static gint64
revision_id_of (DeskDb  *db,
                gint64   release_id,
                gint64   number,
                GError **error)
{
  g_autoptr(DeskDbStmt) stmt = desk_db_prepare (db, "SELECT id FROM revisions WHERE release_id = ? AND number = ?",
                                                error);

  if (stmt == NULL)
    return 0;
  desk_db_bind_int64 (stmt, 1, release_id);
  desk_db_bind_int64 (stmt, 2, number);
  if (desk_db_step (stmt, error) != DESK_DB_ROW)
    return 0;
  return desk_db_column_int64 (stmt, 0);
}

/* The window saves what the editor sees over whatever is current, as
 * on SQLite (a change made elsewhere meanwhile stays in the history, and
 * the window said so when it came); the author is session_user. */
gboolean
_desk_store_team_save_revision (DeskStore   *self,
                                gint64       release_id,
                                const char  *headline,
                                const char  *text,
                                gint64      *out_revision_id,
                                GError     **error)
{
  DeskDb *db = _desk_store_team_db (self, error);
  gint64 base = 0;
  gint64 number = 0;

  if (out_revision_id != NULL)
    *out_revision_id = 0;
  if (db == NULL)
    return FALSE;
  if (!desk_db_get_current_revision (db, release_id, &base, error) ||
      !desk_db_save_revision (db, release_id, base, headline, text, &number, error))
    {
      _desk_store_team_lost (self);
      return FALSE;
    }
  if (number > 0 && out_revision_id != NULL)
    *out_revision_id = revision_id_of (db, release_id, number, NULL);
  return TRUE;
}

gboolean
_desk_store_team_clean_up_release (DeskStore  *self,
                                   gint64      release_id,
                                   gint64     *out_revision_id,
                                   GError    **error)
{
  DeskDb *db = _desk_store_team_db (self, error);
  gint64 number = 0;

  if (out_revision_id != NULL)
    *out_revision_id = 0;
  if (db == NULL)
    return FALSE;
  if (!desk_db_clean_up_release (db, release_id, &number, error))
    {
      _desk_store_team_lost (self);
      return FALSE;
    }
  if (number > 0 && out_revision_id != NULL)
    *out_revision_id = revision_id_of (db, release_id, number, NULL);
  return TRUE;
}

gboolean
_desk_store_team_set_sponsor_decision (DeskStore           *self,
                                       gint64               release_id,
                                       DeskSponsorDecision  decision,
                                       const char          *reason,
                                       GError             **error)
{
  DeskDb *db = _desk_store_team_db (self, error);

  if (db == NULL)
    return FALSE;
  if (!desk_db_set_sponsor_decision (db, release_id, decision, reason, error))
    {
      _desk_store_team_lost (self);
      return FALSE;
    }
  return TRUE;
}

gboolean
_desk_store_team_move_release (DeskStore   *self,
                               gint64       release_id,
                               DeskStatus   to,
                               const char  *note,
                               const char  *override_reason,
                               GError     **error)
{
  DeskDb *db = _desk_store_team_db (self, error);

  if (db == NULL)
    return FALSE;
  if (!desk_db_move_release (db, release_id, to, note, override_reason, NULL, error))
    {
      _desk_store_team_lost (self);
      return FALSE;
    }
  return TRUE;
}

int
desk_store_get_backend_pid (DeskStore *self)
{
  DeskDb *db;
  PGconn *conn;

  g_return_val_if_fail (DESK_IS_STORE (self), 0);

  db = _desk_store_get_team (self);
  conn = db != NULL ? desk_pg_get_conn (desk_db_get_pg (db)) : NULL;
  return conn != NULL ? PQbackendPID (conn) : 0;
}

gboolean
desk_store_is_team_desk (DeskStore *self)
{
  g_return_val_if_fail (DESK_IS_STORE (self), FALSE);

  return desk_pg_is_address (desk_store_get_path (self));
}

char *
desk_store_dup_actor (DeskStore  *self,
                      GError    **error)
{
  g_autofree char *role = NULL;
  g_autoptr(GError) local_error = NULL;
  DeskDb *db;

  g_return_val_if_fail (DESK_IS_STORE (self), NULL);

  if (!desk_store_is_team_desk (self))
    return desk_get_default_actor ();
  db = _desk_store_team_db (self, error);
  if (db == NULL)
    return NULL;
  desk_db_is_chief (db, &role, &local_error);
  if (role == NULL)
    {
      _desk_store_team_lost (self);
      g_propagate_error (error, g_steal_pointer (&local_error));
    }
  return g_steal_pointer (&role);
}

/* ---- soft locks ------------------------------------------------------------ */

gboolean
desk_store_lock_take (DeskStore  *self,
                      gint64      release_id,
                      gboolean    take_over,
                      DeskLock  **out_lock,
                      GError    **error)
{
  DeskDb *db;

  if (out_lock != NULL)
    *out_lock = NULL;
  if (!desk_store_is_team_desk (self))
    return TRUE;
  /* Not asked twice on a lost connection: a lock taken on a connection
   * that died is gone with it, and the caller asks again. */
  db = _desk_store_team_db (self, error);
  return db != NULL && desk_db_lock_take (db, release_id, take_over, out_lock, error);
}

gboolean
desk_store_lock_get (DeskStore  *self,
                     gint64      release_id,
                     DeskLock  **out_lock,
                     GError    **error)
{
  if (out_lock != NULL)
    *out_lock = NULL;
  if (!desk_store_is_team_desk (self))
    return TRUE;
  TEAM_READ (self, error, gboolean, FALSE, desk_db_lock_get (db, release_id, out_lock, &local_));
}

gboolean
desk_store_lock_release (DeskStore  *self,
                         gint64      release_id,
                         GError    **error)
{
  DeskDb *db;

  if (!desk_store_is_team_desk (self) || _desk_store_team_lost (self))
    return TRUE;   /* a lost connection's locks went with it */
  db = _desk_store_team_db (self, error);
  return db != NULL && desk_db_lock_release (db, release_id, error);
}
