/* desk-outbox.c — publish targets and the outbox of publish jobs
 *
 * Publishing is two steps.  desk_store_publish() queues a job: a row, so
 * that it survives quitting; the release stays approved.  The publisher
 * (desk-publisher.c) sends it, and desk_store_job_complete() records where
 * the copy went and moves the release to published, in one transaction.
 * A job whose attempt started ("sending") may have reached the target: the
 * publisher looks for it there before sending it again.
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <inttypes.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "desk-error.h"
#include "desk-export.h"
#include "desk-outbox.h"
#include "desk-store-private.h"

static const char * const kind_names[] = { "local-folder", "wordpress", "webhook" };
static const char * const state_names[] = { "pending", "sending", "done", "failed" };

const char *
desk_target_kind_to_string (DeskTargetKind kind)
{
  g_return_val_if_fail (kind <= DESK_TARGET_WEBHOOK, NULL);
  return kind_names[kind];
}

gboolean
desk_target_kind_from_string (const char     *name,
                              DeskTargetKind *out_kind)
{
  for (guint i = 0; name != NULL && i < G_N_ELEMENTS (kind_names); i++)
    if (g_str_equal (name, kind_names[i]))
      {
        *out_kind = (DeskTargetKind) i;
        return TRUE;
      }
  return FALSE;
}

const char *
desk_job_state_to_string (DeskJobState state)
{
  g_return_val_if_fail (state <= DESK_JOB_FAILED, NULL);
  return state_names[state];
}

static DeskJobState
job_state_from_string (const char *name)
{
  for (guint i = 0; name != NULL && i < G_N_ELEMENTS (state_names); i++)
    if (g_str_equal (name, state_names[i]))
      return (DeskJobState) i;
  return DESK_JOB_FAILED;
}

/* A string setting, or NULL. */
const char *
desk_target_get_setting (const DeskTarget *target,
                         const char       *name)
{
  JsonNode *node;

  if (target->settings == NULL || (node = json_object_get_member (target->settings, name)) == NULL ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

void
desk_target_free (DeskTarget *target)
{
  if (target == NULL)
    return;
  g_free (target->name);
  g_clear_pointer (&target->settings, json_object_unref);
  g_free (target);
}

void
desk_outbox_job_free (DeskOutboxJob *job)
{
  if (job == NULL)
    return;
  g_free (job->target_name);
  g_free (job->sha256);
  g_free (job->slug);
  g_free (job->idempotency_key);
  g_free (job->payload);
  g_free (job->remote_id);
  g_free (job->remote_url);
  g_free (job->last_error);
  g_free (job->actor);
  g_free (job);
}

/* The outbox has SQLite copy what it binds, so that no binding depends on
 * how long the caller keeps its strings. */
#define bind_text(stmt, index, text) _desk_bind_text ((stmt), (index), (text), SQLITE_TRANSIENT)

/* ---- targets ------------------------------------------------------------- */

static DeskTarget *
target_from_row (sqlite3_stmt *stmt)
{
  DeskTarget *target = g_new0 (DeskTarget, 1);
  g_autoptr(JsonParser) parser = json_parser_new ();

  target->id = sqlite3_column_int64 (stmt, 0);
  desk_target_kind_from_string ((const char *) sqlite3_column_text (stmt, 1), &target->kind);
  target->name = _desk_column_dup (stmt, 2);
  if (json_parser_load_from_data (parser, (const char *) sqlite3_column_text (stmt, 3), -1, NULL) &&
      JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    target->settings = json_object_ref (json_node_get_object (json_parser_get_root (parser)));
  else
    target->settings = json_object_new ();
  target->enabled = sqlite3_column_int (stmt, 4) != 0;
  return target;
}

#define TARGET_COLUMNS "id, kind, name, settings, enabled"

/* Adds a target.  @settings must hold no secret: see desk-secrets.h. */
gint64
desk_store_add_target (DeskStore       *store,
                       DeskTargetKind   kind,
                       const char      *name,
                       JsonObject      *settings,
                       GError         **error)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autofree char *json = NULL;
  g_auto(DeskStmt) stmt = NULL;

  g_return_val_if_fail (DESK_IS_STORE (store), 0);

  if (name == NULL || *name == '\0' || !g_utf8_validate (name, -1, NULL))
    {
      g_set_error (error, DESK_ERROR, DESK_ERROR_INVALID_INPUT, _("A target needs a name"));
      return 0;
    }
  if (settings != NULL)
    json_node_set_object (node, settings);
  else
    json_node_take_object (node, json_object_new ());
  json = json_to_string (node, FALSE);

  stmt = _desk_store_prepare (store,
    "INSERT INTO targets (kind, name, settings, enabled, created_at) VALUES (?, ?, ?, 1, ?)", error);
  if (stmt == NULL)
    return 0;
  bind_text (stmt, 1, desk_target_kind_to_string (kind));
  bind_text (stmt, 2, name);
  bind_text (stmt, 3, json);
  sqlite3_bind_int64 (stmt, 4, g_get_real_time ());
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      if (sqlite3_extended_errcode (_desk_store_get_db (store)) == SQLITE_CONSTRAINT_UNIQUE)
        g_set_error (error, DESK_ERROR, DESK_ERROR_DUPLICATE,
                     _("There is already a target named “%s”"), name);
      else
        _desk_store_set_db_error (store, error, _("Could not add the target"));
      return 0;
    }
  return sqlite3_last_insert_rowid (_desk_store_get_db (store));
}

/* Removes a target that has no job waiting.  Its finished jobs go with
 * it. */
gboolean
desk_store_remove_target (DeskStore  *store,
                          gint64      target_id,
                          GError    **error)
{
  g_return_val_if_fail (DESK_IS_STORE (store), FALSE);

  if (!_desk_store_begin (store, error))
    return FALSE;

  {
    g_auto(DeskStmt) stmt = _desk_store_prepare (store,
      "SELECT count(*) FROM outbox WHERE target_id = ? AND state IN ('pending', 'sending')", error);

    if (stmt == NULL)
      goto failed;
    sqlite3_bind_int64 (stmt, 1, target_id);
    if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_int64 (stmt, 0) > 0)
      {
        g_set_error (error, DESK_ERROR, DESK_ERROR_INVALID_INPUT,
                     _("The target still has jobs waiting in the outbox"));
        goto failed;
      }
  }
  {
    g_auto(DeskStmt) stmt = _desk_store_prepare (store, "DELETE FROM targets WHERE id = ?", error);

    if (stmt == NULL)
      goto failed;
    sqlite3_bind_int64 (stmt, 1, target_id);
    if (!_desk_store_step_done (store, stmt, _("Could not remove the target"), error))
      goto failed;
    if (sqlite3_changes (_desk_store_get_db (store)) == 0)
      {
        g_set_error (error, DESK_ERROR, DESK_ERROR_NOT_FOUND,
                     _("There is no target #%" PRId64), target_id);
        goto failed;
      }
  }
  return _desk_store_commit (store, error);

failed:
  _desk_store_rollback (store);
  return FALSE;
}

GPtrArray *
desk_store_list_targets (DeskStore  *store,
                         GError    **error)
{
  g_autoptr(GPtrArray) targets = g_ptr_array_new_with_free_func ((GDestroyNotify) desk_target_free);
  g_auto(DeskStmt) stmt = _desk_store_prepare (store,
    "SELECT " TARGET_COLUMNS " FROM targets ORDER BY id", error);
  int rc;

  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (targets, target_from_row (stmt));
  if (rc != SQLITE_DONE)
    {
      _desk_store_set_db_error (store, error, _("Could not read the targets"));
      return NULL;
    }
  return g_steal_pointer (&targets);
}

DeskTarget *
desk_store_get_target (DeskStore  *store,
                       gint64      target_id,
                       GError    **error)
{
  g_auto(DeskStmt) stmt = _desk_store_prepare (store,
    "SELECT " TARGET_COLUMNS " FROM targets WHERE id = ?", error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, target_id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      g_set_error (error, DESK_ERROR, DESK_ERROR_NOT_FOUND,
                   _("There is no target #%" PRId64), target_id);
      return NULL;
    }
  return target_from_row (stmt);
}

DeskTarget *
desk_store_find_target (DeskStore   *store,
                        const char  *name,
                        GError     **error)
{
  g_auto(DeskStmt) stmt = _desk_store_prepare (store,
    "SELECT " TARGET_COLUMNS " FROM targets WHERE name = ?", error);

  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, name != NULL ? name : DESK_DEFAULT_TARGET_NAME);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      g_set_error (error, DESK_ERROR, DESK_ERROR_NOT_FOUND,
                   _("There is no target named “%s”"), name);
      return NULL;
    }
  return target_from_row (stmt);
}

/* ---- jobs ---------------------------------------------------------------- */

/* Queues release @release_id for @target_id and returns the job's id.  The
 * copy must be approved, exactly as approved (see desk_approved_copy_load());
 * the release stays approved until the job succeeds.  Queueing copy that
 * already waits for the same target returns the waiting job. */
gint64
desk_store_publish (DeskStore   *store,
                    gint64       release_id,
                    gint64       target_id,
                    const char  *actor,
                    GError     **error)
{
  g_autoptr(DeskApprovedCopy) copy = NULL;
  g_autoptr(DeskTarget) target = NULL;
  g_autofree char *default_actor = NULL;
  g_autofree char *payload = NULL;
  g_autofree char *slug = NULL;
  g_autofree char *key = NULL;
  g_autofree char *note = NULL;
  gint64 now = g_get_real_time ();
  gint64 job_id = 0;

  g_return_val_if_fail (DESK_IS_STORE (store), 0);

  target = desk_store_get_target (store, target_id, error);
  if (target == NULL)
    return 0;
  if (!target->enabled)
    {
      g_set_error (error, DESK_ERROR, DESK_ERROR_INVALID_INPUT,
                   _("The target “%s” is switched off"), target->name);
      return 0;
    }
  copy = desk_approved_copy_load (store, release_id, error);
  if (copy == NULL)
    return 0;
  /* Published copy may still go to a target it has not reached. */
  if (copy->status == DESK_STATUS_PUBLISHED)
    {
      g_autofree char *remote_id = desk_store_dup_remote_id (store, release_id, target_id, NULL);

      if (remote_id == NULL)
        copy->status = DESK_STATUS_APPROVED;
    }
  if (copy->status != DESK_STATUS_APPROVED)
    {
      g_set_error (error, DESK_ERROR, DESK_ERROR_NOT_APPROVED,
                   copy->status == DESK_STATUS_PUBLISHED
                   ? _("Release #%" PRId64 " is already published there; correct and approve it to publish it again")
                   : _("Release #%" PRId64 " was corrected: approve it again to publish it"),
                   release_id);
      return 0;
    }
  if (actor == NULL)
    actor = default_actor = desk_get_default_actor ();

  payload = desk_export_render (copy, DESK_EXPORT_NINJS);
  slug = desk_approved_copy_dup_slug (copy);
  /* The same approved text to the same target is the same delivery. */
  key = g_strdup_printf ("copydesk-%.16s-%" G_GINT64_FORMAT "-%.16s",
                         copy->content_hash, target_id, copy->sha256);

  if (!_desk_store_begin (store, error))
    return 0;

  {
    g_auto(DeskStmt) stmt = _desk_store_prepare (store,
      "SELECT id FROM outbox WHERE release_id = ? AND target_id = ? AND state IN ('pending', 'sending')", error);

    if (stmt == NULL)
      goto failed;
    sqlite3_bind_int64 (stmt, 1, release_id);
    sqlite3_bind_int64 (stmt, 2, target_id);
    if (sqlite3_step (stmt) == SQLITE_ROW)
      job_id = sqlite3_column_int64 (stmt, 0);
  }
  if (job_id > 0)
    {
      _desk_store_rollback (store);
      return job_id;
    }

  {
    g_auto(DeskStmt) stmt = _desk_store_prepare (store,
      "INSERT INTO outbox (release_id, target_id, revision_id, sha256, slug, idempotency_key, payload,"
      " state, attempts, next_try_at, actor, created_at, updated_at)"
      " SELECT ?1, ?2, approved_revision_id, ?3, ?4, ?5, ?6, 'pending', 0, ?7, ?8, ?7, ?7"
      " FROM releases WHERE id = ?1", error);

    if (stmt == NULL)
      goto failed;
    sqlite3_bind_int64 (stmt, 1, release_id);
    sqlite3_bind_int64 (stmt, 2, target_id);
    bind_text (stmt, 3, copy->sha256);
    bind_text (stmt, 4, slug);
    bind_text (stmt, 5, key);
    bind_text (stmt, 6, payload);
    sqlite3_bind_int64 (stmt, 7, now);
    bind_text (stmt, 8, actor);
    if (!_desk_store_step_done (store, stmt, _("Could not queue the release"), error))
      goto failed;
    job_id = sqlite3_last_insert_rowid (_desk_store_get_db (store));
  }

  note = g_strdup_printf (_("to %s"), target->name);
  if (!_desk_store_insert_event (store, release_id, actor, "publish-queued", NULL, NULL, note, error) ||
      !_desk_store_commit (store, error))
    goto failed;
  return job_id;

failed:
  _desk_store_rollback (store);
  return 0;
}

#define JOB_COLUMNS "o.id, o.release_id, o.target_id, o.revision_id, t.name, o.sha256, o.slug," \
  " o.idempotency_key, o.payload, o.state, o.attempts, o.next_try_at, o.remote_id, o.remote_url," \
  " o.last_error, o.actor, o.created_at, o.updated_at"

static DeskOutboxJob *
job_from_row (sqlite3_stmt *stmt)
{
  DeskOutboxJob *job = g_new0 (DeskOutboxJob, 1);

  job->id = sqlite3_column_int64 (stmt, 0);
  job->release_id = sqlite3_column_int64 (stmt, 1);
  job->target_id = sqlite3_column_int64 (stmt, 2);
  job->revision_id = sqlite3_column_int64 (stmt, 3);
  job->target_name = _desk_column_dup (stmt, 4);
  job->sha256 = _desk_column_dup (stmt, 5);
  job->slug = _desk_column_dup (stmt, 6);
  job->idempotency_key = _desk_column_dup (stmt, 7);
  job->payload = _desk_column_dup (stmt, 8);
  job->state = job_state_from_string ((const char *) sqlite3_column_text (stmt, 9));
  job->attempts = (guint) sqlite3_column_int (stmt, 10);
  job->next_try_at = sqlite3_column_int64 (stmt, 11);
  job->remote_id = _desk_column_dup (stmt, 12);
  job->remote_url = _desk_column_dup (stmt, 13);
  job->last_error = _desk_column_dup (stmt, 14);
  job->actor = _desk_column_dup (stmt, 15);
  job->created_at = sqlite3_column_int64 (stmt, 16);
  job->updated_at = sqlite3_column_int64 (stmt, 17);
  return job;
}

/* The jobs of @release_id (0: all), oldest first. */
GPtrArray *
desk_store_list_jobs (DeskStore  *store,
                      gint64      release_id,
                      GError    **error)
{
  g_autoptr(GPtrArray) jobs = g_ptr_array_new_with_free_func ((GDestroyNotify) desk_outbox_job_free);
  g_auto(DeskStmt) stmt = _desk_store_prepare (store,
    "SELECT " JOB_COLUMNS " FROM outbox o JOIN targets t ON t.id = o.target_id"
    " WHERE ?1 = 0 OR o.release_id = ?1 ORDER BY o.id", error);
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, release_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (jobs, job_from_row (stmt));
  if (rc != SQLITE_DONE)
    {
      _desk_store_set_db_error (store, error, _("Could not read the outbox"));
      return NULL;
    }
  return g_steal_pointer (&jobs);
}

DeskOutboxJob *
desk_store_get_job (DeskStore  *store,
                    gint64      job_id,
                    GError    **error)
{
  g_auto(DeskStmt) stmt = _desk_store_prepare (store,
    "SELECT " JOB_COLUMNS " FROM outbox o JOIN targets t ON t.id = o.target_id WHERE o.id = ?", error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, job_id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      g_set_error (error, DESK_ERROR, DESK_ERROR_NOT_FOUND,
                   _("There is no job #%" PRId64 " in the outbox"), job_id);
      return NULL;
    }
  return job_from_row (stmt);
}

/* The ids of the jobs due at @now, in the order they fell due. */
GArray *
desk_store_list_due_jobs (DeskStore  *store,
                          gint64      now,
                          guint       limit,
                          GError    **error)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_auto(DeskStmt) stmt = _desk_store_prepare (store,
    "SELECT id FROM outbox WHERE state IN ('pending', 'sending') AND next_try_at <= ?"
    " ORDER BY next_try_at, id LIMIT ?", error);
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, now);
  sqlite3_bind_int64 (stmt, 2, limit);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      g_array_append_val (ids, id);
    }
  if (rc != SQLITE_DONE)
    {
      _desk_store_set_db_error (store, error, _("Could not read the outbox"));
      return NULL;
    }
  return g_steal_pointer (&ids);
}

/* When the next waiting job falls due; 0 when none waits. */
gint64
desk_store_get_next_try_at (DeskStore  *store,
                            GError    **error)
{
  g_auto(DeskStmt) stmt = _desk_store_prepare (store,
    "SELECT coalesce (min (next_try_at), 0) FROM outbox WHERE state IN ('pending', 'sending')", error);

  if (stmt == NULL || sqlite3_step (stmt) != SQLITE_ROW)
    return -1;
  return sqlite3_column_int64 (stmt, 0);
}

/* Where the release already is on the target: the remote id of its last
 * finished job there, or NULL. */
char *
desk_store_dup_remote_id (DeskStore  *store,
                          gint64      release_id,
                          gint64      target_id,
                          char      **out_url)
{
  g_auto(DeskStmt) stmt = _desk_store_prepare (store,
    "SELECT remote_id, remote_url FROM outbox WHERE release_id = ? AND target_id = ?"
    " AND state = 'done' AND remote_id IS NOT NULL ORDER BY id DESC LIMIT 1", NULL);

  if (out_url != NULL)
    *out_url = NULL;
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, release_id);
  sqlite3_bind_int64 (stmt, 2, target_id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return NULL;
  if (out_url != NULL)
    *out_url = _desk_column_dup (stmt, 1);
  return _desk_column_dup (stmt, 0);
}

static gboolean
update_job (DeskStore   *store,
            const char  *sql,
            gint64       job_id,
            gint64       when,
            const char  *text1,
            const char  *text2,
            GError     **error)
{
  g_auto(DeskStmt) stmt = _desk_store_prepare (store, sql, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, job_id);
  sqlite3_bind_int64 (stmt, 2, g_get_real_time ());
  sqlite3_bind_int64 (stmt, 3, when);
  bind_text (stmt, 4, text1);
  bind_text (stmt, 5, text2);
  if (!_desk_store_step_done (store, stmt, _("Could not update the outbox"), error))
    return FALSE;
  if (sqlite3_changes (_desk_store_get_db (store)) == 0)
    {
      g_set_error (error, DESK_ERROR, DESK_ERROR_NOT_FOUND,
                   _("There is no job #%" PRId64 " waiting in the outbox"), job_id);
      return FALSE;
    }
  return TRUE;
}

/* An attempt starts: from now on the copy may reach the target even if
 * no answer comes back, so the job is "sending" until it is settled.  It
 * is leased until @lease_until: another publisher (or this one after a
 * crash) takes it up again only then, and looks for it at the target
 * first. */
gboolean
desk_store_job_begin_attempt (DeskStore  *store,
                              gint64      job_id,
                              gint64      lease_until,
                              GError    **error)
{
  return update_job (store,
    "UPDATE outbox SET state = 'sending', attempts = attempts + 1, next_try_at = ?3, updated_at = ?2"
    " WHERE id = ?1 AND state IN ('pending', 'sending')", job_id, lease_until, NULL, NULL, error);
}

gboolean
desk_store_job_retry_later (DeskStore   *store,
                            gint64       job_id,
                            gint64       next_try_at,
                            const char  *message,
                            GError     **error)
{
  return update_job (store,
    "UPDATE outbox SET next_try_at = ?3, last_error = ?4, updated_at = ?2"
    " WHERE id = ?1 AND state IN ('pending', 'sending')", job_id, next_try_at, message, NULL, error);
}

/* The job failed for good: recorded on the job and as an event. */
gboolean
desk_store_job_fail (DeskStore   *store,
                     gint64       job_id,
                     const char  *message,
                     GError     **error)
{
  g_autoptr(DeskOutboxJob) job = desk_store_get_job (store, job_id, error);

  if (job == NULL || !_desk_store_begin (store, error))
    return FALSE;
  if (!update_job (store,
        "UPDATE outbox SET state = 'failed', last_error = ?4, updated_at = ?2"
        " WHERE id = ?1 AND state IN ('pending', 'sending')", job_id, 0, message, NULL, error) ||
      !_desk_store_insert_event (store, job->release_id, job->actor, "publish-failed", NULL, NULL,
                                 message, error) ||
      !_desk_store_commit (store, error))
    {
      _desk_store_rollback (store);
      return FALSE;
    }
  return TRUE;
}

/* The job reached its target: records where, and moves the release from
 * approved to published, with an event, in one transaction.  (A release
 * published to another target first is published already.) */
gboolean
desk_store_job_complete (DeskStore   *store,
                         gint64       job_id,
                         const char  *remote_id,
                         const char  *remote_url,
                         GError     **error)
{
  g_autoptr(DeskOutboxJob) job = desk_store_get_job (store, job_id, error);
  g_autofree char *note = NULL;
  DeskStatus from = DESK_STATUS_APPROVED;
  gboolean moved = FALSE;

  if (job == NULL || !_desk_store_begin (store, error))
    return FALSE;
  if (!update_job (store,
        "UPDATE outbox SET state = 'done', last_error = NULL, remote_id = ?4, remote_url = ?5,"
        " updated_at = ?2 WHERE id = ?1 AND state IN ('pending', 'sending')",
        job_id, 0, remote_id, remote_url, error) ||
      !_desk_store_move_status (store, job->release_id, DESK_STATUS_PUBLISHED, &from, &moved, error))
    goto failed;

  note = remote_url != NULL ? g_strdup_printf ("%s: %s", job->target_name, remote_url)
                            : g_strdup (job->target_name);
  if (!_desk_store_insert_event (store, job->release_id, job->actor, "published",
                                 moved ? desk_status_to_string (from) : NULL,
                                 moved ? desk_status_to_string (DESK_STATUS_PUBLISHED) : NULL,
                                 note, error) ||
      !_desk_store_commit (store, error))
    goto failed;
  return TRUE;

failed:
  _desk_store_rollback (store);
  return FALSE;
}

/* Queues a failed job again, at once (the window's Retry). */
gboolean
desk_store_retry_job (DeskStore  *store,
                      gint64      job_id,
                      GError    **error)
{
  g_auto(DeskStmt) stmt = _desk_store_prepare (store,
    "UPDATE outbox SET state = 'pending', next_try_at = ?2, updated_at = ?2"
    " WHERE id = ?1 AND state = 'failed'", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, job_id);
  sqlite3_bind_int64 (stmt, 2, g_get_real_time ());
  if (!_desk_store_step_done (store, stmt, _("Could not update the outbox"), error))
    return FALSE;
  if (sqlite3_changes (_desk_store_get_db (store)) == 0)
    {
      g_set_error (error, DESK_ERROR, DESK_ERROR_NOT_FOUND,
                   _("There is no failed job #%" PRId64), job_id);
      return FALSE;
    }
  return TRUE;
}
