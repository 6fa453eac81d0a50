/* desk-db-releases.c — releases listed, shown, searched and moved through
 * a DeskDb: the slice of the store that runs on a team desk
 *
 * The SQL is DeskStore's (desk-store.c), written once for both engines;
 * tests/test-pg-store.c runs the same desk through both and compares.
 *
 * A move on PostgreSQL cannot hold the whole desk as SQLite's BEGIN
 * IMMEDIATE does, and need not: the release's row is updated only where
 * its status (and its current revision) are still those the move was
 * decided on, and the update's row lock orders two editors moving the
 * same release at once.  The second finds the row changed, changes
 * nothing, and is told who got there first.
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <inttypes.h>
#include <glib/gi18n-lib.h>

#include "desk-check.h"
#include "desk-copies.h"
#include "desk-db-releases.h"
#include "desk-error.h"
#include "desk-pg-schema.h"
#include "desk-pg-search.h"
#include "desk-store-private.h"

#define SUMMARY_COLUMNS "r.id, r.headline, r.source, r.language, r.status, r.received_at, r.sponsored," \
  " r.verdict, r.score, r.decision"

static DeskRelease *
release_from_summary_row (DeskDbStmt *stmt)
{
  DeskReleaseSummary summary = {
    .id = desk_db_column_int64 (stmt, 0),
    .headline = desk_db_column_text (stmt, 1),
    .source = desk_db_column_text (stmt, 2),
    .language = desk_db_column_text (stmt, 3),
    .status = DESK_STATUS_NEW,
    .received_at = desk_db_column_int64 (stmt, 5),
    .sponsored = desk_db_column_int64 (stmt, 6) != 0,
    .verdict = DESK_VERDICT_NONE,
    .score = desk_db_column_double (stmt, 8),
    .decision = DESK_SPONSOR_DECISION_NONE,
  };

  desk_status_from_string (desk_db_column_text (stmt, 4), &summary.status);
  desk_verdict_from_string (desk_db_column_text (stmt, 7), &summary.verdict);
  desk_sponsor_decision_from_string (desk_db_column_text (stmt, 9), &summary.decision);
  return _desk_release_new (&summary);
}

static void
set_not_found (GError **error,
               gint64   id)
{
  g_set_error (error, DESK_ERROR, DESK_ERROR_NOT_FOUND, _("There is no release #%" PRId64), id);
}

/* ---- lists --------------------------------------------------------------- */

/* By [status][sponsored]; a queue leaves out copies another copy stands
 * for, as DeskStore's does.  Parameters are numbered from the first one
 * used: PostgreSQL cannot prepare a statement with a gap in them. */
static const char * const list_sqls[2][2] = {
  {
    "SELECT " SUMMARY_COLUMNS " FROM releases r WHERE r.copy_of IS NULL"
    " ORDER BY r.received_at DESC, r.id DESC LIMIT ?1 OFFSET ?2",
    "SELECT " SUMMARY_COLUMNS " FROM releases r WHERE r.sponsored = 1 AND r.copy_of IS NULL"
    " ORDER BY r.received_at DESC, r.id DESC LIMIT ?1 OFFSET ?2",
  },
  {
    "SELECT " SUMMARY_COLUMNS " FROM releases r WHERE r.status = ?1 AND r.copy_of IS NULL"
    " ORDER BY r.received_at DESC, r.id DESC LIMIT ?2 OFFSET ?3",
    "SELECT " SUMMARY_COLUMNS " FROM releases r WHERE r.status = ?1 AND r.sponsored = 1 AND r.copy_of IS NULL"
    " ORDER BY r.received_at DESC, r.id DESC LIMIT ?2 OFFSET ?3",
  },
};

static gboolean
list_search (DeskDb           *db,
             const DeskQuery  *query,
             GPtrArray        *releases,
             GError          **error)
{
  g_autoptr(GArray) ids = NULL;
  guint skipped = 0;

  if (desk_db_get_dialect (db) != DESK_DB_POSTGRESQL)
    {
      g_set_error (error, DESK_ERROR, DESK_ERROR_FAILED,
                   _("%s: a SQLite desk is searched through its store"), desk_db_get_display_address (db));
      return FALSE;
    }

  /* Every match, in the SQLite store's order; the filters and the page
   * are applied to them here, so that the order is the same as there. */
  ids = desk_pg_search_ids (desk_db_get_pg (db), query->search, 0, error);
  if (ids == NULL)
    return FALSE;

  if (ids->len == 0)
    return TRUE;

  /* The matches' rows in one statement, then in the search's order. */
  {
    g_autoptr(GString) array = g_string_new ("{");
    g_autoptr(GHashTable) found = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_object_unref);
    g_autoptr(DeskDbStmt) stmt = NULL;
    DeskDbStep step;

    for (guint i = 0; i < ids->len; i++)
      g_string_append_printf (array, "%s%" G_GINT64_FORMAT, i > 0 ? "," : "", g_array_index (ids, gint64, i));
    g_string_append_c (array, '}');

    stmt = desk_db_prepare (db, "SELECT " SUMMARY_COLUMNS " FROM releases r WHERE r.id = ANY (?::bigint[])", error);
    if (stmt == NULL)
      return FALSE;
    desk_db_bind_text (stmt, 1, array->str);
    while ((step = desk_db_step (stmt, error)) == DESK_DB_ROW)
      {
        DeskRelease *release = release_from_summary_row (stmt);
        gint64 id = desk_release_get_id (release);

        g_hash_table_insert (found, g_memdup2 (&id, sizeof id), release);
      }
    if (step == DESK_DB_ERROR)
      return FALSE;

    for (guint i = 0; i < ids->len && (query->limit == 0 || releases->len < query->limit); i++)
      {
        DeskRelease *release = g_hash_table_lookup (found, &g_array_index (ids, gint64, i));

        /* A release gone since the search is left out. */
        if (release == NULL)
          continue;
        if (query->status >= 0 && desk_release_get_status (release) != (DeskStatus) query->status)
          continue;
        if (query->sponsored_only && !desk_release_get_sponsored (release))
          continue;
        if (skipped++ < query->offset)
          continue;
        g_ptr_array_add (releases, g_object_ref (release));
      }
  }
  return TRUE;
}

GPtrArray *
desk_db_list_releases (DeskDb           *db,
                       const DeskQuery  *query,
                       GError          **error)
{
  static const DeskQuery all = DESK_QUERY_INIT;
  g_autoptr(GPtrArray) releases = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(DeskDbStmt) stmt = NULL;
  DeskDbStep step;
  int param = 1;

  g_return_val_if_fail (DESK_IS_DB (db), NULL);

  if (query == NULL)
    query = &all;
  if (query->search != NULL)
    return list_search (db, query, releases, error) ? g_steal_pointer (&releases) : NULL;

  stmt = desk_db_prepare (db, list_sqls[query->status >= 0][query->sponsored_only != FALSE], error);
  if (stmt == NULL)
    return NULL;
  if (query->status >= 0)
    desk_db_bind_text (stmt, param++, desk_status_to_string ((DeskStatus) query->status));
  /* LIMIT ALL is a NULL on PostgreSQL and -1 on SQLite. */
  if (query->limit > 0)
    desk_db_bind_int64 (stmt, param++, query->limit);
  else if (desk_db_get_dialect (db) == DESK_DB_SQLITE)
    desk_db_bind_int64 (stmt, param++, -1);
  else
    desk_db_bind_null (stmt, param++);
  desk_db_bind_int64 (stmt, param, query->offset);

  while ((step = desk_db_step (stmt, error)) == DESK_DB_ROW)
    g_ptr_array_add (releases, release_from_summary_row (stmt));
  if (step == DESK_DB_ERROR)
    return NULL;
  return g_steal_pointer (&releases);
}

static const char * const count_sqls[2][2] = {
  {
    "SELECT count(*) FROM releases r WHERE r.copy_of IS NULL",
    "SELECT count(*) FROM releases r WHERE r.sponsored = 1 AND r.copy_of IS NULL",
  },
  {
    "SELECT count(*) FROM releases r WHERE r.status = ?1 AND r.copy_of IS NULL",
    "SELECT count(*) FROM releases r WHERE r.status = ?1 AND r.sponsored = 1 AND r.copy_of IS NULL",
  },
};

gint64
desk_db_count_releases (DeskDb           *db,
                        const DeskQuery  *query,
                        GError          **error)
{
  static const DeskQuery all = DESK_QUERY_INIT;
  g_autoptr(DeskDbStmt) stmt = NULL;

  g_return_val_if_fail (DESK_IS_DB (db), -1);

  if (query == NULL)
    query = &all;
  if (query->search != NULL)
    {
      g_autoptr(GPtrArray) releases = g_ptr_array_new_with_free_func (g_object_unref);
      DeskQuery every = *query;

      every.offset = 0;
      every.limit = 0;
      if (!list_search (db, &every, releases, error))
        return -1;
      return releases->len;
    }

  stmt = desk_db_prepare (db, count_sqls[query->status >= 0][query->sponsored_only != FALSE], error);
  if (stmt == NULL)
    return -1;
  if (query->status >= 0)
    desk_db_bind_text (stmt, 1, desk_status_to_string ((DeskStatus) query->status));
  if (desk_db_step (stmt, error) != DESK_DB_ROW)
    return -1;
  return desk_db_column_int64 (stmt, 0);
}

gboolean
desk_db_count_by_status (DeskDb   *db,
                         gint64    counts[DESK_N_STATUSES],
                         GError  **error)
{
  g_autoptr(DeskDbStmt) stmt = NULL;
  DeskDbStep step;

  g_return_val_if_fail (DESK_IS_DB (db), FALSE);

  for (int i = 0; i < DESK_N_STATUSES; i++)
    counts[i] = 0;
  stmt = desk_db_prepare (db, "SELECT status, count(*) FROM releases WHERE copy_of IS NULL GROUP BY status", error);
  if (stmt == NULL)
    return FALSE;
  while ((step = desk_db_step (stmt, error)) == DESK_DB_ROW)
    {
      DeskStatus status;

      if (desk_status_from_string (desk_db_column_text (stmt, 0), &status))
        counts[status] = desk_db_column_int64 (stmt, 1);
    }
  return step == DESK_DB_DONE;
}

DeskDetection *
desk_db_get_detection (DeskDb  *db,
                       gint64   release_id,
                       GError **error)
{
  g_autoptr(DeskDbStmt) stmt = NULL;
  DeskDetection *detection;
  DeskDbStep step;

  g_return_val_if_fail (DESK_IS_DB (db), NULL);

  stmt = desk_db_prepare (db,
    "SELECT verdict, score, sponsor_findings, original,"
    " (SELECT hash FROM sponsor_rules WHERE id = rules_version), wire"
    " FROM releases WHERE id = ?", error);
  if (stmt == NULL)
    return NULL;
  desk_db_bind_int64 (stmt, 1, release_id);
  step = desk_db_step (stmt, error);
  if (step == DESK_DB_ERROR)
    return NULL;
  if (step == DESK_DB_DONE)
    {
      set_not_found (error, release_id);
      return NULL;
    }
  detection = g_new0 (DeskDetection, 1);
  desk_verdict_from_string (desk_db_column_text (stmt, 0), &detection->verdict);
  detection->score = desk_db_column_double (stmt, 1);
  detection->findings = desk_findings_decode (desk_db_column_text (stmt, 2), desk_db_column_text (stmt, 3));
  detection->rules_hash = desk_db_column_is_null (stmt, 4) ? NULL : desk_db_column_dup (stmt, 4);
  detection->wire = desk_db_column_is_null (stmt, 5) ? NULL : desk_db_column_dup (stmt, 5);
  detection->tags = g_new0 (char *, 1);
  return detection;
}

/* ---- one release ----------------------------------------------------------- */

DeskRelease *
desk_db_get_release (DeskDb  *db,
                     gint64   id,
                     GError **error)
{
  g_autoptr(DeskDbStmt) stmt = NULL;
  g_autoptr(DeskRelease) release = NULL;
  g_autoptr(GStrvBuilder) tags = g_strv_builder_new ();
  DeskReleaseDetails details = { 0 };
  DeskDbStep step;

  g_return_val_if_fail (DESK_IS_DB (db), NULL);

  {
    g_autoptr(DeskDbStmt) tag_stmt = desk_db_prepare (db,
      "SELECT tag FROM release_tags WHERE release_id = ? ORDER BY position", error);

    if (tag_stmt == NULL)
      return NULL;
    desk_db_bind_int64 (tag_stmt, 1, id);
    while ((step = desk_db_step (tag_stmt, error)) == DESK_DB_ROW)
      g_strv_builder_add (tags, desk_db_column_text (tag_stmt, 0));
    if (step == DESK_DB_ERROR)
      return NULL;
  }

  stmt = desk_db_prepare (db,
    "SELECT " SUMMARY_COLUMNS ", r.original, r.edited, r.original_headline, r.standfirst,"
    " r.wire, r.source_uid, r.source_path, r.content_hash, r.updated_at,"
    " r.current_revision_id, r.approved_revision_id, r.approved_sha256, r.structure,"
    " r.decision_reason, r.decided_by, r.decided_at,"
    " (SELECT hash FROM sponsor_rules WHERE id = r.rules_version)"
    " FROM releases r WHERE r.id = ?", error);
  if (stmt == NULL)
    return NULL;
  desk_db_bind_int64 (stmt, 1, id);
  step = desk_db_step (stmt, error);
  if (step == DESK_DB_ERROR)
    return NULL;
  if (step == DESK_DB_DONE)
    {
      set_not_found (error, id);
      return NULL;
    }

  release = release_from_summary_row (stmt);
  details.original = desk_db_column_text (stmt, 10);
  details.edited = desk_db_column_text (stmt, 11);
  details.original_headline = desk_db_column_text (stmt, 12);
  details.standfirst = desk_db_column_text (stmt, 13);
  details.wire = desk_db_column_text (stmt, 14);
  details.source_uid = desk_db_column_text (stmt, 15);
  details.source_path = desk_db_column_text (stmt, 16);
  details.content_hash = desk_db_column_text (stmt, 17);
  details.updated_at = desk_db_column_int64 (stmt, 18);
  details.current_revision_id = desk_db_column_int64 (stmt, 19);
  details.approved_revision_id = desk_db_column_int64 (stmt, 20);
  details.approved_sha256 = desk_db_column_text (stmt, 21);
  details.parts = _desk_store_decode_structure (desk_db_column_text (stmt, 22));
  details.decision_reason = desk_db_column_text (stmt, 23);
  details.decided_by = desk_db_column_text (stmt, 24);
  details.decided_at = desk_db_column_int64 (stmt, 25);
  details.rules_hash = desk_db_column_text (stmt, 26);
  details.tags = g_strv_builder_end (tags);

  /* Copies the strings while the statement still holds them. */
  _desk_release_set_details (release, &details);
  return g_steal_pointer (&release);
}

GPtrArray *
desk_db_list_revisions (DeskDb  *db,
                        gint64   release_id,
                        GError **error)
{
  g_autoptr(GPtrArray) revisions = g_ptr_array_new_with_free_func ((GDestroyNotify) desk_revision_free);
  g_autoptr(DeskDbStmt) stmt = desk_db_prepare (db,
    "SELECT id, release_id, number, headline, text, sha256, author, created_at"
    " FROM revisions WHERE release_id = ? ORDER BY number", error);
  DeskDbStep step;

  if (stmt == NULL)
    return NULL;
  desk_db_bind_int64 (stmt, 1, release_id);
  while ((step = desk_db_step (stmt, error)) == DESK_DB_ROW)
    {
      DeskRevision *revision = g_new0 (DeskRevision, 1);

      revision->id = desk_db_column_int64 (stmt, 0);
      revision->release_id = desk_db_column_int64 (stmt, 1);
      revision->number = (guint) desk_db_column_int64 (stmt, 2);
      revision->headline = desk_db_column_dup (stmt, 3);
      revision->text = desk_db_column_dup (stmt, 4);
      revision->sha256 = desk_db_column_dup (stmt, 5);
      revision->author = desk_db_column_dup (stmt, 6);
      revision->created_at = desk_db_column_int64 (stmt, 7);
      g_ptr_array_add (revisions, revision);
    }
  return step == DESK_DB_ERROR ? NULL : g_steal_pointer (&revisions);
}

GPtrArray *
desk_db_list_events (DeskDb  *db,
                     gint64   release_id,
                     GError **error)
{
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func ((GDestroyNotify) desk_event_free);
  g_autoptr(DeskDbStmt) stmt = desk_db_prepare (db,
    "SELECT id, release_id, actor, action, from_status, to_status, note, created_at"
    " FROM events WHERE release_id = ? ORDER BY id", error);
  DeskDbStep step;

  if (stmt == NULL)
    return NULL;
  desk_db_bind_int64 (stmt, 1, release_id);
  while ((step = desk_db_step (stmt, error)) == DESK_DB_ROW)
    {
      DeskEvent *event = g_new0 (DeskEvent, 1);

      event->id = desk_db_column_int64 (stmt, 0);
      event->release_id = desk_db_column_int64 (stmt, 1);
      event->actor = desk_db_column_dup (stmt, 2);
      event->action = desk_db_column_dup (stmt, 3);
      event->from_status = desk_db_column_dup (stmt, 4);
      event->to_status = desk_db_column_dup (stmt, 5);
      event->note = desk_db_column_dup (stmt, 6);
      event->created_at = desk_db_column_int64 (stmt, 7);
      g_ptr_array_add (events, event);
    }
  return step == DESK_DB_ERROR ? NULL : g_steal_pointer (&events);
}

GPtrArray *
desk_db_list_findings (DeskDb  *db,
                       gint64   release_id,
                       GError **error)
{
  g_autoptr(DeskDbStmt) stmt = desk_db_prepare (db, "SELECT sponsor_findings, original FROM releases WHERE id = ?", error);
  DeskDbStep step;

  if (stmt == NULL)
    return NULL;
  desk_db_bind_int64 (stmt, 1, release_id);
  step = desk_db_step (stmt, error);
  if (step == DESK_DB_ERROR)
    return NULL;
  if (step == DESK_DB_DONE)
    {
      set_not_found (error, release_id);
      return NULL;
    }
  return desk_findings_decode (desk_db_column_text (stmt, 0), desk_db_column_text (stmt, 1));
}

/* ---- moves ------------------------------------------------------------------ */

gboolean
desk_db_insert_event (DeskDb      *db,
                      gint64       release_id,
                      const char  *actor,
                      const char  *action,
                      const char  *from_status,
                      const char  *to_status,
                      const char  *note,
                      GError     **error)
{
  /* On a team desk the server writes session_user whatever @actor says
   * (copydesk_sign in desk-pg-schema.c): a job's "published" event names
   * the chief who ran the publisher, where SQLite names who queued it. */
  g_autoptr(DeskDbStmt) stmt = desk_db_prepare (db,
    "INSERT INTO events (release_id, actor, action, from_status, to_status, note, created_at)"
    " VALUES (?1, coalesce (?2, session_user), ?3, ?4, ?5, ?6, ?7)", error);

  if (stmt == NULL)
    return FALSE;
  desk_db_bind_int64 (stmt, 1, release_id);
  desk_db_bind_text (stmt, 2, actor);
  desk_db_bind_text (stmt, 3, action);
  desk_db_bind_text (stmt, 4, from_status);
  desk_db_bind_text (stmt, 5, to_status);
  desk_db_bind_text (stmt, 6, note != NULL && *note != '\0' ? note : NULL);
  desk_db_bind_int64 (stmt, 7, g_get_real_time ());
  return desk_db_step_done (stmt, NULL, error);
}

/* As _desk_store_show_copy(): a copy the queues did not show stands
 * for its story once an editor works on it. */
gboolean
desk_db_show_copy (DeskDb      *db,
                   gint64       release_id,
                   GError     **error)
{
  g_autoptr(DeskDbStmt) stmt = desk_db_prepare (db,
    "UPDATE releases SET copy_of = CASE WHEN id = ?1 THEN NULL"
    "   WHEN copy_of IS NULL AND status IN ('approved', 'published', 'corrected', 'withdrawn') THEN NULL"
    "   ELSE ?1 END"
    " WHERE (SELECT copy_of IS NOT NULL FROM releases WHERE id = ?1)"
    "  AND id IN (SELECT release_id FROM copy_signatures WHERE group_id ="
    "   (SELECT group_id FROM copy_signatures WHERE release_id = ?1))", error);

  if (stmt == NULL)
    return FALSE;
  desk_db_bind_int64 (stmt, 1, release_id);
  return desk_db_step_done (stmt, NULL, error);
}

/* Unedited copy gets its first revision when approved, so that the
 * approval names one: as insert_revision() in desk-store.c, with the
 * search document in place of the FTS5 row. */
static gint64
insert_first_revision (DeskDb      *db,
                       gint64       release_id,
                       char       **out_sha256,
                       GError     **error)
{
  g_autofree char *headline = NULL;
  g_autofree char *text = NULL;
  g_autofree char *original = NULL;
  g_autofree char *document = NULL;
  gint64 revision_id = 0;

  {
    g_autoptr(DeskDbStmt) stmt = desk_db_prepare (db,
      "SELECT headline, coalesce (edited, original), original FROM releases WHERE id = ?", error);

    if (stmt == NULL)
      return 0;
    desk_db_bind_int64 (stmt, 1, release_id);
    if (desk_db_step (stmt, error) != DESK_DB_ROW)
      {
        if (error != NULL && *error == NULL)
          set_not_found (error, release_id);
        return 0;
      }
    headline = desk_db_column_dup (stmt, 0);
    text = desk_db_column_dup (stmt, 1);
    original = desk_db_column_dup (stmt, 2);
  }

  *out_sha256 = g_compute_checksum_for_string (G_CHECKSUM_SHA256, text, -1);
  {
    g_autoptr(DeskDbStmt) stmt = desk_db_prepare (db,
      "INSERT INTO revisions (release_id, number, headline, text, sha256, created_at)"
      " VALUES (?1, (SELECT coalesce (max (number), 0) + 1 FROM revisions WHERE release_id = ?1),"
      " ?2, ?3, ?4, ?5) RETURNING id", error);

    if (stmt == NULL)
      return 0;
    desk_db_bind_int64 (stmt, 1, release_id);
    desk_db_bind_text (stmt, 2, headline);
    desk_db_bind_text (stmt, 3, text);
    desk_db_bind_text (stmt, 4, *out_sha256);
    desk_db_bind_int64 (stmt, 5, g_get_real_time ());
    if (!desk_db_step_done (stmt, &revision_id, error))
      return 0;
  }

  document = desk_pg_search_document (headline, original, text);
  {
    g_autoptr(DeskDbStmt) stmt = desk_db_prepare (db,
      "UPDATE releases SET edited = ?, current_revision_id = ?, search = ?::tsvector WHERE id = ?", error);

    if (stmt == NULL)
      return 0;
    desk_db_bind_text (stmt, 1, text);
    desk_db_bind_int64 (stmt, 2, revision_id);
    desk_db_bind_text (stmt, 3, document);
    desk_db_bind_int64 (stmt, 4, release_id);
    if (!desk_db_step_done (stmt, NULL, error))
      return 0;
  }
  return revision_id;
}

/* The release's last move: who made it (the session_user the event
 * recorded), to what, and when; FALSE when it has none. */
typedef struct {
  char   *actor;
  char   *to_status;
  gint64  at;
  gboolean by_us;     /* the actor is this connection's session_user */
} LastMove;

static void
last_move_clear (LastMove *move)
{
  g_clear_pointer (&move->actor, g_free);
  g_clear_pointer (&move->to_status, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (LastMove, last_move_clear)

static gboolean
find_last_move (DeskDb   *db,
                gint64    release_id,
                LastMove *out_move)
{
  g_autoptr(DeskDbStmt) stmt = desk_db_prepare (db,
    "SELECT actor, to_status, created_at, actor = session_user FROM events"
    " WHERE release_id = ? AND action IN ('status', 'set-aside') ORDER BY id DESC LIMIT 1", NULL);

  if (stmt == NULL)
    return FALSE;
  desk_db_bind_int64 (stmt, 1, release_id);
  if (desk_db_step (stmt, NULL) != DESK_DB_ROW)
    return FALSE;
  out_move->actor = desk_db_column_dup (stmt, 0);
  out_move->to_status = desk_db_column_dup (stmt, 1);
  out_move->at = desk_db_column_int64 (stmt, 2);
  out_move->by_us = desk_db_column_int64 (stmt, 3) != 0;
  return out_move->actor != NULL && out_move->to_status != NULL;
}

static char *
format_move_time (gint64 at)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (at / G_USEC_PER_SEC);

  return time != NULL ? g_date_time_format (time, "%Y-%m-%d %H:%M:%S") : g_strdup ("?");
}

/* A move the workflow refuses from the status the release has now,
 * after another editor moved it there first: said as that, with who
 * moved it, to what and when, not as a move from a status the editor
 * never saw.  FALSE when the release was not moved by someone else (or
 * is already where it was to go, by anyone). */
static gboolean
set_moved_first (DeskDb      *db,
                 gint64       release_id,
                 DeskStatus   now,
                 DeskStatus   to,
                 GError     **error)
{
  g_auto(LastMove) move = { 0 };
  g_autofree char *when = NULL;

  if (!find_last_move (db, release_id, &move) ||
      g_strcmp0 (move.to_status, desk_status_to_string (now)) != 0 ||
      (move.by_us && now != to))
    return FALSE;
  when = format_move_time (move.at);
  if (now == to)
    g_set_error (error, DESK_ERROR, DESK_ERROR_MOVED_MEANWHILE,
                 _("Release #%" PRId64 " is already %s: %s moved it there first, at %s; "
                   "nothing was changed"),
                 release_id, desk_status_to_string (now), move.actor, when);
  else
    g_set_error (error, DESK_ERROR, DESK_ERROR_MOVED_MEANWHILE,
                 _("Release #%" PRId64 " was moved to %s by %s first, at %s; from %s it cannot move to %s, "
                   "so it was not moved"),
                 release_id, desk_status_to_string (now), move.actor, when,
                 desk_status_to_string (now), desk_status_to_string (to));
  return TRUE;
}

/* Why a conditional move changed nothing: the release's status now, and
 * who moved it there. */
static void
set_moved_meanwhile (DeskDb      *db,
                     gint64       release_id,
                     DeskStatus   from,
                     DeskStatus   to,
                     GError     **error)
{
  g_autoptr(DeskDbStmt) stmt = desk_db_prepare (db, "SELECT status FROM releases WHERE id = ?", error);
  g_auto(LastMove) move = { 0 };
  DeskDbStep step;

  if (stmt == NULL)
    return;
  desk_db_bind_int64 (stmt, 1, release_id);
  step = desk_db_step (stmt, error);
  if (step == DESK_DB_ERROR)
    return;
  if (step == DESK_DB_DONE)
    {
      set_not_found (error, release_id);
      return;
    }
  if (g_strcmp0 (desk_db_column_text (stmt, 0), desk_status_to_string (from)) != 0 &&
      find_last_move (db, release_id, &move) &&
      g_strcmp0 (move.to_status, desk_db_column_text (stmt, 0)) == 0)
    {
      g_autofree char *when = format_move_time (move.at);

      g_set_error (error, DESK_ERROR, DESK_ERROR_MOVED_MEANWHILE,
                   _("Release #%" PRId64 " was moved from %s to %s by %s first, at %s, while you moved it; "
                     "it was not moved to %s"),
                   release_id, desk_status_to_string (from), move.to_status, move.actor, when,
                   desk_status_to_string (to));
    }
  else if (g_strcmp0 (desk_db_column_text (stmt, 0), desk_status_to_string (from)) != 0)
    g_set_error (error, DESK_ERROR, DESK_ERROR_MOVED_MEANWHILE,
                 _("Release #%" PRId64 " was moved from %s to %s by another editor meanwhile; "
                   "it was not moved to %s"),
                 release_id, desk_status_to_string (from), desk_db_column_text (stmt, 0),
                 desk_status_to_string (to));
  else
    g_set_error (error, DESK_ERROR, DESK_ERROR_MOVED_MEANWHILE,
                 _("Release #%" PRId64 " was edited by another editor meanwhile; it was not moved to %s"),
                 release_id, desk_status_to_string (to));
}

/* One story from several wires: approving one copy sets the others that
 * wait (new, in review, changes requested) aside, each with an event, as
 * desk_store_set_aside_copies() does, in one statement that takes their
 * rows.  The approval stands if this fails. */
static void
set_aside_copies (DeskDb *db,
                  gint64  kept_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskDbStmt) stmt = desk_db_prepare (db,
    "WITH copies AS ("
    "  SELECT r.id, r.status FROM releases r JOIN copy_signatures c ON c.release_id = r.id"
    "  WHERE c.group_id = (SELECT group_id FROM copy_signatures WHERE release_id = ?1)"
    "   AND r.id <> ?1 AND r.status IN ('new', 'in_review', 'changes_requested')"
    "  FOR UPDATE OF r),"
    " moved AS ("
    "  UPDATE releases r SET status = 'rejected', approved_revision_id = NULL, approved_sha256 = NULL,"
    "   updated_at = ?2"
    "  FROM copies WHERE r.id = copies.id AND r.status = copies.status"
    "  RETURNING r.id, copies.status AS from_status)"
    " INSERT INTO events (release_id, action, from_status, to_status, note, created_at)"
    " SELECT id, 'set-aside', from_status, 'rejected', ?3, ?2 FROM moved ORDER BY id", &error);
  /* Translators: the note of the event that sets a copy aside */
  g_autofree char *note = g_strdup_printf (_("a copy of #%" PRId64 ", which was approved"), kept_id);

  if (stmt != NULL)
    {
      desk_db_bind_int64 (stmt, 1, kept_id);
      desk_db_bind_int64 (stmt, 2, g_get_real_time ());
      desk_db_bind_text (stmt, 3, note);
      if (desk_db_step_done (stmt, NULL, &error))
        return;
    }
  g_message ("Release %" G_GINT64_FORMAT ": its copies were not set aside: %s", kept_id, error->message);
}

/* The statuses only a chief may move a release to: as the server's
 * guard (copydesk_guard () in desk-pg-schema.c) has them. */
static gboolean
takes_a_chief (DeskStatus to)
{
  return to == DESK_STATUS_APPROVED || to == DESK_STATUS_PUBLISHED ||
         to == DESK_STATUS_CORRECTED || to == DESK_STATUS_WITHDRAWN;
}

gboolean
desk_db_is_chief (DeskDb    *db,
                  char     **out_role,
                  GError   **error)
{
  g_autoptr(DeskDbStmt) stmt = NULL;
  gboolean chief;

  g_return_val_if_fail (DESK_IS_DB (db), FALSE);

  if (out_role != NULL)
    *out_role = NULL;
  stmt = desk_db_prepare (db, "SELECT session_user, pg_has_role (session_user, '" DESK_PG_ROLE_CHIEF "', 'MEMBER')",
                          error);
  if (stmt == NULL || desk_db_step (stmt, error) != DESK_DB_ROW)
    return FALSE;
  chief = desk_db_column_int64 (stmt, 1) != 0;
  if (out_role != NULL)
    *out_role = desk_db_column_dup (stmt, 0);
  return chief;
}

gboolean
desk_db_check_may_move (DeskDb      *db,
                        gint64       release_id,
                        DeskStatus   to,
                        GError     **error)
{
  g_autofree char *role = NULL;
  g_autoptr(GError) local_error = NULL;

  if (!takes_a_chief (to))
    return TRUE;
  if (desk_db_is_chief (db, &role, &local_error))
    return TRUE;
  if (role == NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  g_set_error (error, DESK_PG_ERROR, DESK_PG_ERROR_PERMISSION,
               _("Release #%" PRId64 " was not moved to %s: %s may not do that; "
                 "only a chief editor (role %s) may approve, publish, correct or withdraw a release"),
               release_id, desk_status_to_string (to), role, DESK_PG_ROLE_CHIEF);
  return FALSE;
}

gboolean
desk_db_move_release (DeskDb      *db,
                      gint64       release_id,
                      DeskStatus   to,
                      const char  *note,
                      const char  *override_reason,
                      DeskStatus  *out_from,
                      GError     **error)
{
  g_autoptr(DeskRelease) release = NULL;
  g_autofree char *approved_sha256 = NULL;
  g_autofree char *reason = NULL;
  gint64 approved_revision_id = 0;
  DeskStatus from;
  gint64 changes;

  g_return_val_if_fail (DESK_IS_DB (db), FALSE);
  /* A SQLite desk moves through DeskStore (desk_move_release()), which
   * keeps its FTS5 index. */
  g_return_val_if_fail (desk_db_get_dialect (db) == DESK_DB_POSTGRESQL, FALSE);

  /* The role first: an editor who may not approve is told that, not
   * what the pre-publish check or the workflow would say of a move it
   * could never make. */
  if (!desk_db_check_may_move (db, release_id, to, error))
    return FALSE;

  release = desk_db_get_release (db, release_id, error);
  if (release == NULL)
    return FALSE;
  from = desk_release_get_status (release);
  if (out_from != NULL)
    *out_from = from;
  if (!desk_workflow_check_move (from, to, NULL))
    {
      /* Two editors moving it at once, the other's commit read first. */
      if (!set_moved_first (db, release_id, from, to, error))
        desk_workflow_check_move (from, to, error);
      return FALSE;
    }

  if (to == DESK_STATUS_APPROVED)
    {
      g_autoptr(DeskCheck) check = desk_check_copy (desk_detector_get_default (),
                                                    desk_release_get_headline (release),
                                                    desk_release_get_current_text (release),
                                                    desk_release_get_language (release));

      if (!desk_check_allows (check, release_id, desk_check_has_reason (override_reason), error))
        return FALSE;
      if (check->n_furniture > 0)
        reason = g_strstrip (g_strdup (override_reason));
    }

  if (!desk_db_begin (db, error))
    return FALSE;

  /* The move itself first: its row lock decides between two editors,
   * and the server's guard refuses it to a role without the right. */
  {
    g_autoptr(DeskDbStmt) stmt = desk_db_prepare (db,
      "UPDATE releases SET status = ?1,"
      " approved_revision_id = CASE WHEN ?1 IN ('in_review', 'changes_requested', 'rejected', 'new')"
      "   THEN NULL ELSE approved_revision_id END,"
      " approved_sha256 = CASE WHEN ?1 IN ('in_review', 'changes_requested', 'rejected', 'new')"
      "   THEN NULL ELSE approved_sha256 END,"
      " updated_at = ?2"
      " WHERE id = ?3 AND status = ?4 AND coalesce (current_revision_id, 0) = ?5", error);

    if (stmt == NULL)
      goto failed;
    desk_db_bind_text (stmt, 1, desk_status_to_string (to));
    desk_db_bind_int64 (stmt, 2, g_get_real_time ());
    desk_db_bind_int64 (stmt, 3, release_id);
    desk_db_bind_text (stmt, 4, desk_status_to_string (from));
    desk_db_bind_int64 (stmt, 5, desk_release_get_current_revision_id (release));
    if (!desk_db_step_done (stmt, NULL, error))
      goto failed;
    changes = desk_db_stmt_changes (stmt);
  }
  if (changes == 0)
    {
      desk_db_rollback (db);
      set_moved_meanwhile (db, release_id, from, to, error);
      return FALSE;
    }

  if (to == DESK_STATUS_APPROVED)
    {
      if (desk_release_get_current_revision_id (release) == 0)
        {
          approved_revision_id = insert_first_revision (db, release_id, &approved_sha256, error);
          if (approved_revision_id == 0)
            goto failed;
        }
      else
        {
          approved_revision_id = desk_release_get_current_revision_id (release);
          approved_sha256 = g_compute_checksum_for_string (G_CHECKSUM_SHA256,
                                                           desk_release_get_current_text (release), -1);
        }

      {
        g_autoptr(DeskDbStmt) stmt = desk_db_prepare (db,
          "UPDATE releases SET approved_revision_id = ?, approved_sha256 = ? WHERE id = ?", error);

        if (stmt == NULL)
          goto failed;
        desk_db_bind_int64 (stmt, 1, approved_revision_id);
        desk_db_bind_text (stmt, 2, approved_sha256);
        desk_db_bind_int64 (stmt, 3, release_id);
        if (!desk_db_step_done (stmt, NULL, error))
          goto failed;
      }
    }

  if (to != DESK_STATUS_REJECTED && !desk_db_show_copy (db, release_id, error))
    goto failed;

  if ((reason != NULL &&
       !desk_db_insert_event (db, release_id, NULL, DESK_EVENT_CHECK_OVERRIDDEN, NULL, NULL, reason, error)) ||
      !desk_db_insert_event (db, release_id, NULL, "status", desk_status_to_string (from), desk_status_to_string (to), note, error) ||
      !desk_db_commit (db, error))
    goto failed;
  if (to == DESK_STATUS_APPROVED)
    set_aside_copies (db, release_id);
  return TRUE;

failed:
  desk_db_rollback (db);
  if (error != NULL && *error != NULL && (*error)->domain == DESK_PG_ERROR)
    g_prefix_error (error, _("Release #%" PRId64 " was not moved to %s: "), release_id, desk_status_to_string (to));
  return FALSE;
}

GPtrArray *
desk_db_list_copies (DeskDb      *db,
                     gint64       release_id,
                     GError     **error)
{
  g_autoptr(GPtrArray) copies = g_ptr_array_new_with_free_func ((GDestroyNotify) desk_copy_free);
  g_autoptr(DeskDbStmt) stmt = NULL;
  DeskDbStep step;

  g_return_val_if_fail (DESK_IS_DB (db), NULL);

  stmt = desk_db_prepare (db, DESK_COPIES_LIST_SQL, error);
  if (stmt == NULL)
    return NULL;
  desk_db_bind_int64 (stmt, 1, release_id);
  while ((step = desk_db_step (stmt, error)) == DESK_DB_ROW)
    {
      DeskCopy *copy = g_new0 (DeskCopy, 1);

      copy->id = desk_db_column_int64 (stmt, 0);
      copy->headline = desk_db_column_dup (stmt, 1);
      copy->source = desk_db_column_dup (stmt, 2);
      desk_status_from_string (desk_db_column_text (stmt, 3), &copy->status);
      copy->received_at = desk_db_column_int64 (stmt, 4);
      copy->shown = desk_db_column_int64 (stmt, 5) != 0;
      g_ptr_array_add (copies, copy);
    }
  if (step == DESK_DB_ERROR)
    return NULL;
  if (copies->len == 0)
    {
      g_set_error (error, DESK_ERROR, DESK_ERROR_NOT_FOUND, _("There is no release #%" PRId64), release_id);
      return NULL;
    }
  return g_steal_pointer (&copies);
}
