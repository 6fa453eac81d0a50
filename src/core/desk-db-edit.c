/* desk-db-edit.c — the edited copy saved, cleaned up and the sponsor
 * decision recorded on a team desk
 *
 * The SQLite desk saves a revision inside BEGIN IMMEDIATE, which holds
 * the whole file (desk_store_save_revision()).  A team desk takes the
 * release's row instead (SELECT … FOR UPDATE) and reads it then: an
 * editor whose save waited on another's finds, once that commits, the
 * revision the other saved, and is told, instead of writing over it.
 * What each save compares is the revision the editor's copy was made
 * from, so a copy made from an older revision is never saved over a
 * newer one; the refused editor keeps their copy (the file it was read
 * from) and nothing stored changes.
 *
 * As on SQLite, an edit does not read the copy again for sponsored
 * content: the findings are the original's.  The clean-up is
 * desk_cleanup_text(), the detector's findings removed as the house
 * wants.
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <inttypes.h>
#include <glib/gi18n-lib.h>

#include "desk-cleanup.h"
#include "desk-db-edit.h"
#include "desk-db-locks.h"
#include "desk-db-releases.h"
#include "desk-error.h"
#include "desk-pg-schema.h"
#include "desk-pg-search.h"

typedef struct {
  DeskStatus  status;
  char       *headline;
  char       *text;       /* current: edited, else original */
  char       *original;
  char       *language;
  gint64      number;     /* the current revision's; 0: none */
  char       *author;     /* the current revision's */
  gint64      saved_at;
} Current;

static void
current_clear (Current *current)
{
  g_clear_pointer (&current->headline, g_free);
  g_clear_pointer (&current->text, g_free);
  g_clear_pointer (&current->original, g_free);
  g_clear_pointer (&current->language, g_free);
  g_clear_pointer (&current->author, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Current, current_clear)

/* Reads the release in the transaction under way, its row taken first
 * when @lock (see the top of the file).  The current revision is read
 * by a statement of its own, after the row is ours: a join in the
 * statement that waited for the row would give the revision as it was
 * when that statement began (PostgreSQL re-reads only the locked row),
 * not the one the editor who held the row had just saved. */
static gboolean
read_current (DeskDb      *db,
              gint64       release_id,
              gboolean     lock,
              Current     *out,
              GError     **error)
{
  gint64 revision_id = 0;

  {
    g_autoptr(DeskDbStmt) stmt = desk_db_prepare (db, lock
      ? "SELECT status, headline, coalesce (edited, original), original, language,"
        " coalesce (current_revision_id, 0) FROM releases WHERE id = ? FOR UPDATE"
      : "SELECT status, headline, coalesce (edited, original), original, language,"
        " coalesce (current_revision_id, 0) FROM releases WHERE id = ?", error);
    DeskDbStep step;

    if (stmt == NULL)
      return FALSE;
    desk_db_bind_int64 (stmt, 1, release_id);
    step = desk_db_step (stmt, error);
    if (step == DESK_DB_ERROR)
      return FALSE;
    if (step == DESK_DB_DONE)
      {
        g_set_error (error, DESK_ERROR, DESK_ERROR_NOT_FOUND, _("There is no release #%" PRId64), release_id);
        return FALSE;
      }
    out->status = DESK_STATUS_NEW;
    desk_status_from_string (desk_db_column_text (stmt, 0), &out->status);
    out->headline = desk_db_column_dup (stmt, 1);
    out->text = desk_db_column_dup (stmt, 2);
    out->original = desk_db_column_dup (stmt, 3);
    out->language = desk_db_column_dup (stmt, 4);
    revision_id = desk_db_column_int64 (stmt, 5);
  }
  if (revision_id != 0)
    {
      g_autoptr(DeskDbStmt) stmt = desk_db_prepare (db,
        "SELECT number, author, created_at FROM revisions WHERE id = ?", error);

      if (stmt == NULL)
        return FALSE;
      desk_db_bind_int64 (stmt, 1, revision_id);
      if (desk_db_step (stmt, error) != DESK_DB_ROW)
        {
          if (error != NULL && *error == NULL)
            g_set_error (error, DESK_ERROR, DESK_ERROR_NOT_FOUND,
                         _("There is no revision #%" PRId64), revision_id);
          return FALSE;
        }
      out->number = desk_db_column_int64 (stmt, 0);
      out->author = desk_db_column_dup (stmt, 1);
      out->saved_at = desk_db_column_int64 (stmt, 2);
    }
  return TRUE;
}

gboolean
desk_db_get_current_revision (DeskDb   *db,
                              gint64    release_id,
                              gint64   *out_number,
                              GError  **error)
{
  g_auto(Current) current = { 0 };

  g_return_val_if_fail (DESK_IS_DB (db), FALSE);

  if (!read_current (db, release_id, FALSE, &current, error))
    return FALSE;
  *out_number = current.number;
  return TRUE;
}

/* Published copy edited starts a correction, which takes a chief (the
 * server's guard refuses it to any other role): said in words first. */
static gboolean
check_may_correct (DeskDb      *db,
                   gint64       release_id,
                   GError     **error)
{
  g_autofree char *role = NULL;
  g_autoptr(GError) local_error = NULL;

  if (desk_db_is_chief (db, &role, &local_error))
    return TRUE;
  if (role == NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  g_set_error (error, DESK_PG_ERROR, DESK_PG_ERROR_PERMISSION,
               _("Release #%" PRId64 " is published, and editing it starts a correction: %s may not do that; "
                 "only a chief editor (role %s) may correct a release. Nothing was saved"),
               release_id, role, DESK_PG_ROLE_CHIEF);
  return FALSE;
}

/* Saves a revision in the transaction under way; the caller commits, or
 * rolls back on failure.  @base_number < 0 takes whatever is current. */
static gboolean
save_in_transaction (DeskDb      *db,
                     gint64       release_id,
                     gint64       base_number,
                     const char  *headline,
                     const char  *text,
                     gint64      *out_number,
                     GError     **error)
{
  g_auto(Current) current = { 0 };
  g_autofree char *sha256 = NULL;
  g_autofree char *document = NULL;
  DeskStatus to;
  gint64 revision_id = 0;
  gint64 number = 0;

  *out_number = 0;
  if (!read_current (db, release_id, TRUE, &current, error))
    return FALSE;
  /* Another editor holding the release's soft lock (or who took it over
   * from us) keeps our copy from being saved over theirs. */
  if (!desk_db_lock_check_save (db, release_id, error))
    return FALSE;

  if (base_number > current.number)
    {
      g_set_error (error, DESK_ERROR, DESK_ERROR_INVALID_INPUT,
                   _("Release #%" PRId64 " has no revision %" PRId64 " (its latest is %" PRId64 "); nothing was saved"),
                   release_id, base_number, current.number);
      return FALSE;
    }
  if (base_number >= 0 && base_number < current.number)
    {
      g_autoptr(GDateTime) at = g_date_time_new_from_unix_local (current.saved_at / G_USEC_PER_SEC);
      g_autofree char *when = at != NULL ? g_date_time_format (at, "%Y-%m-%d %H:%M:%S") : g_strdup ("?");

      g_set_error (error, DESK_ERROR, DESK_ERROR_SAVED_MEANWHILE,
                   _("Release #%" PRId64 " was saved as revision %" PRId64 " by %s at %s, after revision %" PRId64
                     " your copy was made from; your copy was not saved, and nothing on the desk changed: "
                     "read revision %" PRId64 ", make your changes there and save again"),
                   release_id, current.number, current.author != NULL ? current.author : "?", when,
                   base_number, current.number);
      return FALSE;
    }

  if (headline == NULL)
    headline = current.headline;
  if (g_strcmp0 (headline, current.headline) == 0 && g_strcmp0 (text, current.text) == 0)
    return TRUE;

  to = current.status == DESK_STATUS_APPROVED ? DESK_STATUS_IN_REVIEW
       : current.status == DESK_STATUS_PUBLISHED ? DESK_STATUS_CORRECTED
       : current.status;
  if (to == DESK_STATUS_CORRECTED && !check_may_correct (db, release_id, error))
    return FALSE;

  sha256 = g_compute_checksum_for_string (G_CHECKSUM_SHA256, text, -1);
  number = current.number + 1;
  {
    g_autoptr(DeskDbStmt) stmt = desk_db_prepare (db,
      "INSERT INTO revisions (release_id, number, headline, text, sha256, created_at)"
      " VALUES (?, ?, ?, ?, ?, ?) RETURNING id", error);

    if (stmt == NULL)
      return FALSE;
    desk_db_bind_int64 (stmt, 1, release_id);
    desk_db_bind_int64 (stmt, 2, number);
    desk_db_bind_text (stmt, 3, headline);
    desk_db_bind_text (stmt, 4, text);
    desk_db_bind_text (stmt, 5, sha256);
    desk_db_bind_int64 (stmt, 6, g_get_real_time ());
    if (!desk_db_step_done (stmt, &revision_id, error))
      return FALSE;
  }

  /* Approved copy edited goes back to review without its approval, as
   * update_status() in desk-store.c has it; a correction keeps the
   * approval of what was published. */
  document = desk_pg_search_document (headline, current.original, text);
  {
    g_autoptr(DeskDbStmt) stmt = desk_db_prepare (db,
      "UPDATE releases SET headline = ?1, edited = ?2, current_revision_id = ?3, updated_at = ?4,"
      " search = ?5::tsvector, status = ?6,"
      " approved_revision_id = CASE WHEN ?6 = 'in_review' THEN NULL ELSE approved_revision_id END,"
      " approved_sha256 = CASE WHEN ?6 = 'in_review' THEN NULL ELSE approved_sha256 END"
      " WHERE id = ?7", error);

    if (stmt == NULL)
      return FALSE;
    desk_db_bind_text (stmt, 1, headline);
    desk_db_bind_text (stmt, 2, text);
    desk_db_bind_int64 (stmt, 3, revision_id);
    desk_db_bind_int64 (stmt, 4, g_get_real_time ());
    desk_db_bind_text (stmt, 5, document);
    desk_db_bind_text (stmt, 6, desk_status_to_string (to));
    desk_db_bind_int64 (stmt, 7, release_id);
    if (!desk_db_step_done (stmt, NULL, error))
      return FALSE;
  }
  if (!desk_db_show_copy (db, release_id, error))
    return FALSE;
  if (to != current.status &&
      !desk_db_insert_event (db, release_id, NULL, "edited", desk_status_to_string (current.status),
                             desk_status_to_string (to), NULL, error))
    return FALSE;

  *out_number = number;
  return TRUE;
}

/* The server's refusals of a role are said with the release's number. */
static void
prefix_desk_error (GError **error,
                   gint64   release_id)
{
  if (error != NULL && *error != NULL && (*error)->domain == DESK_PG_ERROR &&
      (*error)->code != DESK_PG_ERROR_PERMISSION)
    g_prefix_error (error, _("Release #%" PRId64 " was not saved: "), release_id);
}

gboolean
desk_db_save_revision (DeskDb      *db,
                       gint64       release_id,
                       gint64       base_number,
                       const char  *headline,
                       const char  *text,
                       gint64      *out_number,
                       GError     **error)
{
  const char *bad;

  g_return_val_if_fail (DESK_IS_DB (db), FALSE);
  g_return_val_if_fail (desk_db_get_dialect (db) == DESK_DB_POSTGRESQL, FALSE);
  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (out_number != NULL, FALSE);

  *out_number = 0;
  if (!g_utf8_validate (text, -1, &bad) || (headline != NULL && !g_utf8_validate (headline, -1, NULL)))
    {
      g_set_error (error, DESK_ERROR, DESK_ERROR_INVALID_INPUT,
                   _("The edited copy is not valid UTF-8 (byte offset %zu)"),
                   (gsize) (bad - text));
      return FALSE;
    }

  if (!desk_db_begin (db, error))
    return FALSE;
  if (!save_in_transaction (db, release_id, base_number, headline, text, out_number, error))
    {
      desk_db_rollback (db);
      prefix_desk_error (error, release_id);
      *out_number = 0;
      return FALSE;
    }
  if (*out_number == 0)
    {
      desk_db_rollback (db);
      return TRUE;
    }
  if (!desk_db_commit (db, error))
    {
      desk_db_rollback (db);
      prefix_desk_error (error, release_id);
      *out_number = 0;
      return FALSE;
    }
  return TRUE;
}

gboolean
desk_db_clean_up_release (DeskDb   *db,
                          gint64    release_id,
                          gint64   *out_number,
                          GError  **error)
{
  g_auto(Current) current = { 0 };
  g_autoptr(DeskCleanup) cleanup = NULL;
  g_autofree char *note = NULL;

  g_return_val_if_fail (DESK_IS_DB (db), FALSE);
  g_return_val_if_fail (desk_db_get_dialect (db) == DESK_DB_POSTGRESQL, FALSE);
  g_return_val_if_fail (out_number != NULL, FALSE);

  *out_number = 0;
  if (!desk_db_begin (db, error))
    return FALSE;
  /* The row taken first: the copy cleaned is the copy saved over. */
  if (!read_current (db, release_id, TRUE, &current, error))
    goto failed;
  cleanup = desk_cleanup_text (desk_detector_get_default (), current.text, current.language);
  if (cleanup->n_removed == 0)
    {
      desk_db_rollback (db);
      return TRUE;
    }
  if (!save_in_transaction (db, release_id, current.number, NULL, cleanup->text, out_number, error))
    goto failed;
  if (*out_number == 0)
    {
      desk_db_rollback (db);
      return TRUE;
    }

  for (guint i = 0; cleanup->tags[i] != NULL; i++)
    {
      g_autoptr(DeskDbStmt) stmt = desk_db_prepare (db,
        "INSERT INTO release_tags (release_id, position, tag)"
        " SELECT ?1, (SELECT coalesce (max (position), -1) + 1 FROM release_tags WHERE release_id = ?1), ?2"
        " WHERE NOT EXISTS (SELECT 1 FROM release_tags WHERE release_id = ?1 AND tag = ?2)", error);

      if (stmt == NULL)
        goto failed;
      desk_db_bind_int64 (stmt, 1, release_id);
      desk_db_bind_text (stmt, 2, cleanup->tags[i]);
      if (!desk_db_step_done (stmt, NULL, error))
        goto failed;
    }

  note = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "removed %u piece of wire furniture",
                                       "removed %u pieces of wire furniture", cleanup->n_removed),
                          cleanup->n_removed);
  if (!desk_db_insert_event (db, release_id, NULL, "cleaned-up", NULL, NULL, note, error) ||
      !desk_db_commit (db, error))
    goto failed;
  return TRUE;

failed:
  desk_db_rollback (db);
  prefix_desk_error (error, release_id);
  *out_number = 0;
  return FALSE;
}

gboolean
desk_db_set_sponsor_decision (DeskDb               *db,
                              gint64                release_id,
                              DeskSponsorDecision   decision,
                              const char           *reason,
                              GError              **error)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (reason != NULL ? reason : ""));
  const char *action;
  gint64 changes;

  g_return_val_if_fail (DESK_IS_DB (db), FALSE);
  g_return_val_if_fail (desk_db_get_dialect (db) == DESK_DB_POSTGRESQL, FALSE);
  g_return_val_if_fail (decision <= DESK_SPONSOR_DECISION_THIRD_PARTY, FALSE);

  if (!desk_sponsor_decision_check_reason (decision, trimmed, error))
    return FALSE;

  action = desk_sponsor_decision_event (decision);

  if (!desk_db_begin (db, error))
    return FALSE;
  {
    /* sponsored as SPONSORED_FROM_DECISION in desk-store.c has it. */
    g_autoptr(DeskDbStmt) stmt = desk_db_prepare (db,
      "UPDATE releases SET decision = ?2::text, decision_reason = ?3::text,"
      " decided_by = CASE WHEN ?2::text IS NULL THEN NULL ELSE session_user END,"
      " decided_at = ?4::bigint,"
      " sponsored = CASE ?2::text WHEN 'sponsored' THEN 1 WHEN 'third_party' THEN 1 WHEN 'not_sponsored' THEN 0"
      "  ELSE (verdict <> 'none')::int END,"
      " updated_at = ?5 WHERE id = ?1", error);

    if (stmt == NULL)
      goto failed;
    desk_db_bind_int64 (stmt, 1, release_id);
    if (decision != DESK_SPONSOR_DECISION_NONE)
      {
        desk_db_bind_text (stmt, 2, desk_sponsor_decision_to_string (decision));
        desk_db_bind_text (stmt, 3, trimmed);
        desk_db_bind_int64 (stmt, 4, g_get_real_time ());
      }
    else
      {
        desk_db_bind_null (stmt, 2);
        desk_db_bind_null (stmt, 3);
        desk_db_bind_null (stmt, 4);
      }
    desk_db_bind_int64 (stmt, 5, g_get_real_time ());
    if (!desk_db_step_done (stmt, NULL, error))
      goto failed;
    changes = desk_db_stmt_changes (stmt);
  }
  if (changes == 0)
    {
      g_set_error (error, DESK_ERROR, DESK_ERROR_NOT_FOUND, _("There is no release #%" PRId64), release_id);
      goto failed;
    }
  if (!desk_db_insert_event (db, release_id, NULL, action, NULL, NULL, trimmed, error) ||
      !desk_db_commit (db, error))
    goto failed;
  return TRUE;

failed:
  desk_db_rollback (db);
  return FALSE;
}
