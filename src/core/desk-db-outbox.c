/* desk-db-outbox.c — publishing on a team desk: the outbox on PostgreSQL,
 * taken with FOR UPDATE SKIP LOCKED
 *
 * A SQLite desk's publisher (desk-publisher.c) leases each job with a
 * compare-and-set and writes its result later; a team desk has what a
 * file does not: row locks that die with their session.  A publisher
 * takes the first due job that no other holds (SELECT … FOR UPDATE SKIP
 * LOCKED), marks it sending, sends it and records the result, all in one
 * transaction.  Any number of publishers, on any number of machines,
 * take different jobs; one that dies, kill -9 included, has its
 * transaction rolled back by the server when its connection drops, and
 * the job is due again as it was.
 *
 * Exactly once: that publisher's request may have reached the target
 * before it died, and the attempt it marked is rolled back with it.  So
 * on a team desk every attempt is sent as one that may have been made
 * before: a webhook's delivery carries the idempotency key of the job's
 * approved text and target, the same at every attempt, by which the
 * receiver tells a delivery it already has; the local folder writes the
 * same file again; a WordPress post is looked for by its slug before it
 * is made, at every attempt.
 *
 * Only a chief queues and publishes: the server grants the outbox to
 * copydesk_chief only, and the role is asked first so that an editor is
 * told in words.  Secrets are looked up in this machine's Secret Service
 * under the desk's own UUID (store_info), which desk copy carries over.
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <inttypes.h>
#include <string.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "desk-check.h"
#include "desk-db-outbox.h"
#include "desk-db-releases.h"
#include "desk-describe.h"
#include "desk-error.h"
#include "desk-export.h"
#include "desk-pg-schema.h"
#include "desk-publisher.h"
#include "desk-redact.h"
#include "desk-secrets.h"

/* A job another publisher holds is looked at again after this long;
 * one that waits to be tried again, when it falls due. */
#define HELD_POLL_MS 100
#define BACKOFF_FIRST_MS 1000
#define BACKOFF_MAX_MS (5 * 60 * 1000)

#define JOB_COLUMNS "o.id, o.release_id, o.target_id, o.revision_id, t.name, o.sha256, o.slug," \
  " o.idempotency_key, o.payload, o.state, o.attempts, o.next_try_at, o.remote_id, o.remote_url," \
  " o.last_error, o.actor, o.created_at, o.updated_at, o.lease_owner"


static DeskOutboxJob *
job_from_row (DeskDbStmt *stmt)
{
  DeskOutboxJob *job = g_new0 (DeskOutboxJob, 1);
  const char *state = desk_db_column_text (stmt, 9);

  job->id = desk_db_column_int64 (stmt, 0);
  job->release_id = desk_db_column_int64 (stmt, 1);
  job->target_id = desk_db_column_int64 (stmt, 2);
  job->revision_id = desk_db_column_int64 (stmt, 3);
  job->target_name = desk_db_column_dup (stmt, 4);
  job->sha256 = desk_db_column_dup (stmt, 5);
  job->slug = desk_db_column_dup (stmt, 6);
  job->idempotency_key = desk_db_column_dup (stmt, 7);
  job->payload = desk_db_column_dup (stmt, 8);
  job->state = state != NULL ? desk_job_state_from_string (state) : DESK_JOB_PENDING;
  job->attempts = (guint) desk_db_column_int64 (stmt, 10);
  job->next_try_at = desk_db_column_int64 (stmt, 11);
  job->remote_id = desk_db_column_dup (stmt, 12);
  job->remote_url = desk_db_column_dup (stmt, 13);
  job->last_error = desk_db_column_dup (stmt, 14);
  job->actor = desk_db_column_dup (stmt, 15);
  job->created_at = desk_db_column_int64 (stmt, 16);
  job->updated_at = desk_db_column_int64 (stmt, 17);
  job->lease_owner = desk_db_column_dup (stmt, 18);
  return job;
}

DeskOutboxJob *
desk_db_get_job (DeskDb  *db,
                 gint64   job_id,
                 GError **error)
{
  g_autoptr(DeskDbStmt) stmt = desk_db_prepare (db,
    "SELECT " JOB_COLUMNS " FROM outbox o JOIN targets t ON t.id = o.target_id WHERE o.id = ?", error);
  DeskDbStep step;

  if (stmt == NULL)
    return NULL;
  desk_db_bind_int64 (stmt, 1, job_id);
  step = desk_db_step (stmt, error);
  if (step == DESK_DB_ERROR)
    return NULL;
  if (step == DESK_DB_DONE)
    {
      g_set_error (error, DESK_ERROR, DESK_ERROR_NOT_FOUND, _("There is no job #%" PRId64 " in the outbox"), job_id);
      return NULL;
    }
  return job_from_row (stmt);
}

GPtrArray *
desk_db_list_jobs (DeskDb  *db,
                   GError **error)
{
  g_autoptr(GPtrArray) jobs = g_ptr_array_new_with_free_func ((GDestroyNotify) desk_outbox_job_free);
  g_autoptr(DeskDbStmt) stmt = desk_db_prepare (db,
    "SELECT " JOB_COLUMNS " FROM outbox o JOIN targets t ON t.id = o.target_id ORDER BY o.id", error);
  DeskDbStep step;

  if (stmt == NULL)
    return NULL;
  while ((step = desk_db_step (stmt, error)) == DESK_DB_ROW)
    g_ptr_array_add (jobs, job_from_row (stmt));
  return step == DESK_DB_ERROR ? NULL : g_steal_pointer (&jobs);
}

/* ---- what a job needs ------------------------------------------------------- */

static DeskTarget *
find_target (DeskDb      *db,
             const char  *name,
             gint64       id,
             GError     **error)
{
  g_autoptr(DeskDbStmt) stmt = desk_db_prepare (db, name != NULL
    ? "SELECT id, kind, name, settings, enabled, removed_at IS NOT NULL FROM targets WHERE name = ?1"
    : "SELECT id, kind, name, settings, enabled, removed_at IS NOT NULL FROM targets WHERE id = ?1::bigint", error);
  g_autoptr(JsonParser) parser = json_parser_new ();
  DeskTarget *target;
  DeskDbStep step;

  if (stmt == NULL)
    return NULL;
  if (name != NULL)
    desk_db_bind_text (stmt, 1, name);
  else
    desk_db_bind_int64 (stmt, 1, id);
  step = desk_db_step (stmt, error);
  if (step == DESK_DB_ERROR)
    return NULL;
  if (step == DESK_DB_DONE || desk_db_column_int64 (stmt, 5) != 0)
    {
      if (name != NULL)
        g_set_error (error, DESK_ERROR, DESK_ERROR_NOT_FOUND, _("There is no publish target “%s” on the desk at %s"),
                     name, desk_db_get_display_address (db));
      else
        g_set_error (error, DESK_ERROR, DESK_ERROR_NOT_FOUND, _("The job’s target was removed from the desk at %s"),
                     desk_db_get_display_address (db));
      return NULL;
    }

  target = g_new0 (DeskTarget, 1);
  target->id = desk_db_column_int64 (stmt, 0);
  desk_target_kind_from_string (desk_db_column_text (stmt, 1), &target->kind);
  target->name = desk_db_column_dup (stmt, 2);
  if (json_parser_load_from_data (parser, desk_db_column_text (stmt, 3), -1, NULL) &&
      JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    target->settings = json_object_ref (json_node_get_object (json_parser_get_root (parser)));
  else
    target->settings = json_object_new ();
  target->enabled = desk_db_column_int64 (stmt, 4) != 0;
  return target;
}

DeskApprovedCopy *
desk_db_load_approved_copy (DeskDb  *db,
                            gint64   release_id,
                            GError **error)
{
  g_autoptr(DeskRelease) release = desk_db_get_release (db, release_id, error);
  g_autoptr(DeskRevision) revision = NULL;
  g_autofree char *embargoed = NULL;
  gint64 approved_at = 0;

  if (release == NULL)
    return NULL;
  {
    g_autoptr(DeskDbStmt) stmt = desk_db_prepare (db,
      "SELECT id, release_id, number, headline, text, sha256, author, created_at FROM revisions"
      " WHERE id = (SELECT approved_revision_id FROM releases WHERE id = ?)", error);
    DeskDbStep step;

    if (stmt == NULL)
      return NULL;
    desk_db_bind_int64 (stmt, 1, release_id);
    if ((step = desk_db_step (stmt, error)) == DESK_DB_ERROR)
      return NULL;
    if (step == DESK_DB_ROW)
      {
        revision = g_new0 (DeskRevision, 1);
        revision->id = desk_db_column_int64 (stmt, 0);
        revision->release_id = desk_db_column_int64 (stmt, 1);
        revision->number = (guint) desk_db_column_int64 (stmt, 2);
        revision->headline = desk_db_column_dup (stmt, 3);
        revision->text = desk_db_column_dup (stmt, 4);
        revision->sha256 = desk_db_column_dup (stmt, 5);
        revision->author = desk_db_column_dup (stmt, 6);
        revision->created_at = desk_db_column_int64 (stmt, 7);
      }
  }
  {
    g_autoptr(DeskDbStmt) stmt = desk_db_prepare (db,
      "SELECT (SELECT max (created_at) FROM events WHERE release_id = ?1 AND to_status = 'approved'),"
      " embargo_at, embargo_offset FROM releases WHERE id = ?1", error);

    if (stmt == NULL)
      return NULL;
    desk_db_bind_int64 (stmt, 1, release_id);
    if (desk_db_step (stmt, error) != DESK_DB_ROW)
      {
        if (error != NULL && *error == NULL)
          g_set_error (error, DESK_ERROR, DESK_ERROR_NOT_FOUND, _("There is no release #%" PRId64), release_id);
        return NULL;
      }
    approved_at = desk_db_column_int64 (stmt, 0);
    if (!desk_db_column_is_null (stmt, 1))
      {
        g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (desk_db_column_int64 (stmt, 1) / G_USEC_PER_SEC);
        g_autoptr(GTimeZone) zone = g_time_zone_new_offset ((gint32) desk_db_column_int64 (stmt, 2));
        g_autoptr(GDateTime) local = utc != NULL ? g_date_time_to_timezone (utc, zone) : NULL;

        if (local != NULL)
          embargoed = g_date_time_format (local, "%Y-%m-%dT%H:%M:%S%:z");
      }
  }
  return desk_approved_copy_new (release, revision, approved_at, embargoed, error);
}

/* In words, before anything runs: the server would refuse it anyway. */
static gboolean
check_may_publish (DeskDb  *db,
                   GError **error)
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
               _("%s may not publish on the desk at %s: only a chief editor (role %s) may queue "
                 "or send approved copy"),
               role, desk_db_get_display_address (db), DESK_PG_ROLE_CHIEF);
  return FALSE;
}

/* ---- queueing ------------------------------------------------------------------ */

gint64
desk_db_queue_release (DeskDb      *db,
                       gint64       release_id,
                       const char  *target_name,
                       const char  *override_reason,
                       GError     **error)
{
  g_autoptr(DeskTarget) target = NULL;
  g_autoptr(DeskApprovedCopy) copy = NULL;
  g_autoptr(DeskCheck) check = NULL;
  g_autofree char *payload = NULL;
  g_autofree char *slug = NULL;
  g_autofree char *key = NULL;
  g_autofree char *note = NULL;
  g_autofree char *recorded_reason = NULL;
  gboolean overridden;
  gint64 now = g_get_real_time ();
  gint64 job_id = 0;

  g_return_val_if_fail (DESK_IS_DB (db), 0);
  g_return_val_if_fail (desk_db_get_dialect (db) == DESK_DB_POSTGRESQL, 0);

  if (!check_may_publish (db, error))
    return 0;

  target = find_target (db, target_name != NULL ? target_name : DESK_DEFAULT_TARGET_NAME, 0, error);
  if (target == NULL)
    return 0;
  if (!target->enabled)
    {
      g_set_error (error, DESK_ERROR, DESK_ERROR_INVALID_INPUT, _("The target “%s” is switched off"), target->name);
      return 0;
    }

  copy = desk_db_load_approved_copy (db, release_id, error);
  if (copy == NULL)
    return 0;
  if (copy->status != DESK_STATUS_APPROVED)
    {
      g_set_error (error, DESK_ERROR, DESK_ERROR_NOT_APPROVED,
                   copy->status == DESK_STATUS_PUBLISHED
                   ? _("Release #%" PRId64 " is already published; correct and approve it to publish it again")
                   : _("Release #%" PRId64 " was corrected: approve it again to publish it"),
                   release_id);
      return 0;
    }

  /* The pre-publish check, as desk_publish_release() runs it: an
   * override given at the approval stands. */
  {
    g_autoptr(DeskDbStmt) stmt = desk_db_prepare (db,
      "WITH approval AS (SELECT max (id) AS id FROM events"
      "  WHERE release_id = ?1 AND action = 'status' AND to_status = 'approved')"
      " SELECT e.note FROM events e, approval a"
      " WHERE e.release_id = ?1 AND e.action = '" DESK_EVENT_CHECK_OVERRIDDEN "'"
      "  AND (e.id > a.id OR e.id = (SELECT max (id) FROM events WHERE release_id = ?1 AND id < a.id))"
      " ORDER BY e.id DESC LIMIT 1", error);
    DeskDbStep step;

    if (stmt == NULL)
      return 0;
    desk_db_bind_int64 (stmt, 1, release_id);
    if ((step = desk_db_step (stmt, error)) == DESK_DB_ERROR)
      return 0;
    if (step == DESK_DB_ROW)
      recorded_reason = g_strdup (desk_db_column_text (stmt, 0) != NULL ? desk_db_column_text (stmt, 0) : "");
  }
  overridden = desk_check_has_reason (override_reason) || recorded_reason != NULL;
  check = desk_check_copy (desk_detector_get_default (), copy->headline, copy->text, copy->language);
  if (!desk_check_allows (check, release_id, overridden, error))
    return 0;

  payload = desk_export_render (copy, DESK_EXPORT_NINJS);
  slug = desk_approved_copy_dup_slug (copy);
  /* The same approved text to the same target is the same delivery. */
  key = g_strdup_printf ("copydesk-%.16s-%" G_GINT64_FORMAT "-%.16s", copy->content_hash, target->id, copy->sha256);

  if (!desk_db_begin (db, error))
    return 0;

  if (check->n_furniture > 0 && desk_check_has_reason (override_reason) && recorded_reason == NULL)
    {
      g_autofree char *reason = g_strstrip (g_strdup (override_reason));

      if (!desk_db_insert_event (db, release_id, NULL, DESK_EVENT_CHECK_OVERRIDDEN, NULL, NULL, reason, error))
        goto failed;
    }

  /* The release's identity on the target, its slug chosen once. */
  {
    g_autoptr(DeskDbStmt) stmt = desk_db_prepare (db,
      "INSERT INTO remote_identities (release_id, target_id, slug, idempotency_key, attempted,"
      " created_at, updated_at) VALUES (?1, ?2, ?3, ?4, 0, ?5, ?5)"
      " ON CONFLICT (release_id, target_id) DO UPDATE SET idempotency_key = excluded.idempotency_key,"
      " updated_at = excluded.updated_at RETURNING slug", error);

    if (stmt == NULL)
      goto failed;
    desk_db_bind_int64 (stmt, 1, release_id);
    desk_db_bind_int64 (stmt, 2, target->id);
    desk_db_bind_text (stmt, 3, slug);
    desk_db_bind_text (stmt, 4, key);
    desk_db_bind_int64 (stmt, 5, now);
    if (desk_db_step (stmt, error) != DESK_DB_ROW)
      goto failed;
    g_free (slug);
    slug = desk_db_column_dup (stmt, 0);
  }

  /* One live job a release and target (outbox_one_live_job): copy that
   * already waits gives the waiting job. */
  {
    g_autoptr(DeskDbStmt) stmt = desk_db_prepare (db,
      "INSERT INTO outbox (release_id, target_id, revision_id, sha256, slug, idempotency_key, payload,"
      " state, attempts, next_try_at, created_at, updated_at)"
      " SELECT ?1, ?2, approved_revision_id, ?3, ?4, ?5, ?6, 'pending', 0,"
      "   greatest (?7, coalesce (embargo_at, 0)), ?7, ?7 FROM releases WHERE id = ?1"
      " ON CONFLICT (release_id, target_id) WHERE state IN ('pending', 'sending') DO NOTHING"
      " RETURNING id", error);

    if (stmt == NULL)
      goto failed;
    desk_db_bind_int64 (stmt, 1, release_id);
    desk_db_bind_int64 (stmt, 2, target->id);
    desk_db_bind_text (stmt, 3, copy->sha256);
    desk_db_bind_text (stmt, 4, slug);
    desk_db_bind_text (stmt, 5, key);
    desk_db_bind_text (stmt, 6, payload);
    desk_db_bind_int64 (stmt, 7, now);
    if (!desk_db_step_done (stmt, &job_id, error))
      goto failed;
  }
  if (job_id == 0)
    {
      g_autoptr(DeskDbStmt) stmt = desk_db_prepare (db,
        "SELECT id FROM outbox WHERE release_id = ? AND target_id = ? AND state IN ('pending', 'sending')", error);

      desk_db_rollback (db);
      if (stmt == NULL)
        return 0;
      desk_db_bind_int64 (stmt, 1, release_id);
      desk_db_bind_int64 (stmt, 2, target->id);
      if (!desk_db_step_done (stmt, &job_id, error))
        return 0;
      return job_id;
    }

  note = g_strdup_printf (_("to %s"), desk_target_get_display_name (target->name));
  if (!desk_db_insert_event (db, release_id, NULL, "publish-queued", NULL, NULL, note, error) ||
      !desk_db_commit (db, error))
    goto failed;
  return job_id;

failed:
  desk_db_rollback (db);
  if (error != NULL && *error != NULL && (*error)->domain == DESK_PG_ERROR)
    g_prefix_error (error, _("Release #%" PRId64 " was not queued: "), release_id);
  return 0;
}

/* ---- sending ------------------------------------------------------------------- */

typedef struct {
  DeskDb      *db;
  SoupSession *session;
  GHashTable  *secrets;   /* target id → secret, for this run */
  char        *uuid;      /* the desk's, which keys its secrets */
} Run;

typedef struct {
  DeskJobState  state;    /* done, failed, or pending: tried again later */
  char         *remote_id;
  char         *remote_url;
  char         *message;
} Outcome;

static void
outcome_clear (Outcome *outcome)
{
  g_clear_pointer (&outcome->remote_id, g_free);
  g_clear_pointer (&outcome->remote_url, g_free);
  g_clear_pointer (&outcome->message, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Outcome, outcome_clear)

static void
fail (Outcome     *outcome,
      DeskJobState state,
      const char  *message)
{
  outcome->state = state;
  g_free (outcome->message);
  outcome->message = g_strdup (message);
}

static const char *
dup_secret (Run               *run,
            const DeskTarget  *target,
            GError           **error)
{
  gint64 key = target->id;
  char *secret = g_hash_table_lookup (run->secrets, &key);
  g_autofree char *label = NULL;

  if (secret != NULL)
    return secret;
  label = g_strdup_printf (_("Copydesk: %s"), target->name);
  secret = desk_secrets_lookup (run->uuid, target->id, desk_target_kind_to_string (target->kind), label, error);
  if (secret != NULL)
    g_hash_table_insert (run->secrets, g_memdup2 (&key, sizeof key), secret);
  return secret;
}

static const char *
json_string_member (JsonNode   *root,
                    const char *name)
{
  JsonNode *member;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  member = json_object_get_member (json_node_get_object (root), name);
  if (member == NULL || !JSON_NODE_HOLDS_VALUE (member) || json_node_get_value_type (member) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (member);
}

static void
send_webhook (Run                 *run,
              const DeskOutboxJob *job,
              const DeskTarget    *target,
              Outcome             *outcome)
{
  const char *url = desk_target_get_setting (target, "url");
  g_autoptr(SoupMessage) message = url != NULL ? soup_message_new ("POST", url) : NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GBytes) answer = NULL;
  g_autofree char *hmac = NULL;
  g_autofree char *signature = NULL;
  SoupMessageHeaders *headers;
  const char *secret;
  guint status;

  if (message == NULL)
    {
      fail (outcome, DESK_JOB_FAILED, _("The webhook’s address is not a valid URL"));
      return;
    }
  secret = dup_secret (run, target, &error);
  if (secret == NULL)
    {
      fail (outcome, DESK_JOB_FAILED, error->message);
      return;
    }
  hmac = g_compute_hmac_for_data (G_CHECKSUM_SHA256, (const guchar *) secret, strlen (secret),
                                  (const guchar *) job->payload, strlen (job->payload));
  signature = g_strconcat ("sha256=", hmac, NULL);
  headers = soup_message_get_request_headers (message);
  soup_message_headers_replace (headers, "X-Copydesk-Signature", signature);
  soup_message_headers_replace (headers, "Idempotency-Key", job->idempotency_key);
  body = g_bytes_new (job->payload, strlen (job->payload));
  soup_message_set_request_body_from_bytes (message, "application/json", body);

  answer = soup_session_send_and_read (run->session, message, NULL, &error);
  status = soup_message_get_status (message);
  if (answer == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("%s could not be reached: %s"), url, error->message);

      fail (outcome, DESK_JOB_PENDING, text);
      return;
    }
  if (SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonNode *root = NULL;
      const char *id;
      const char *remote_url;

      if (json_parser_load_from_data (parser, g_bytes_get_data (answer, NULL), (gssize) g_bytes_get_size (answer), NULL))
        root = json_parser_get_root (parser);
      id = json_string_member (root, "id");
      remote_url = json_string_member (root, "url");
      if (remote_url == NULL)
        remote_url = soup_message_headers_get_one (soup_message_get_response_headers (message), "Location");
      outcome->state = DESK_JOB_DONE;
      outcome->remote_id = g_strdup (id != NULL ? id : job->idempotency_key);
      outcome->remote_url = g_strdup (remote_url);
      return;
    }
  {
    g_autofree char *text = g_strdup_printf (_("%s answered %u %s"), url, status,
                                             soup_message_get_reason_phrase (message));

    /* A server's trouble or a rate limit passes; anything else is the
     * request's own and would be refused again. */
    fail (outcome, status >= 500 || status == 429 ? DESK_JOB_PENDING : DESK_JOB_FAILED,
          text);
  }
}

/* ---- WordPress ----------------------------------------------------------------- */

/* A WordPress site's REST API, as desk-publisher.c speaks to it, one
 * request at a time in the transaction that holds the job.  The post is
 * looked for by its slug before it is made, at every attempt: one that
 * died (kill -9 included) may have made it, and its attempt is rolled
 * back with it. */
typedef struct {
  Run              *run;
  const DeskTarget *target;
  const char       *secret;
  gboolean          rest_route;
} WordPress;

static SoupMessage *
wordpress_message (WordPress  *wp,
                   const char *method,
                   const char *route,
                   const char *query,
                   JsonNode   *body)
{
  g_autofree char *base = g_strdup (desk_target_get_setting (wp->target, "url"));
  g_autofree char *url = NULL;
  g_autofree char *credentials = NULL;
  g_autofree char *encoded = NULL;
  g_autofree char *authorization = NULL;
  gsize len = strlen (base);
  SoupMessage *message;

  while (len > 0 && base[len - 1] == '/')
    base[--len] = '\0';
  if (wp->rest_route)
    url = g_strdup_printf ("%s/?rest_route=%s%s%s", base, route, query != NULL ? "&" : "", query != NULL ? query : "");
  else
    url = g_strdup_printf ("%s/wp-json%s%s%s", base, route, query != NULL ? "?" : "", query != NULL ? query : "");
  message = soup_message_new (method, url);
  if (message == NULL)
    return NULL;
  credentials = g_strdup_printf ("%s:%s", desk_target_get_setting (wp->target, "user"), wp->secret);
  encoded = g_base64_encode ((const guchar *) credentials, strlen (credentials));
  authorization = g_strconcat ("Basic ", encoded, NULL);
  soup_message_headers_replace (soup_message_get_request_headers (message), "Authorization", authorization);
  soup_message_headers_replace (soup_message_get_request_headers (message), "Accept", "application/json");
  if (body != NULL)
    {
      char *text = json_to_string (body, FALSE);
      g_autoptr(GBytes) bytes = g_bytes_new_take (text, strlen (text));

      soup_message_set_request_body_from_bytes (message, "application/json", bytes);
    }
  explicit_bzero (credentials, strlen (credentials));
  explicit_bzero (authorization, strlen (authorization));
  return message;
}

/* Sends @message: its status, and its answer's JSON in *@out_root
 * (@parser's); 0 with @error when no answer came. */
static guint
wordpress_send (WordPress    *wp,
                SoupMessage  *message,
                JsonParser   *parser,
                JsonNode    **out_root,
                GError      **error)
{
  g_autoptr(GBytes) body = soup_session_send_and_read (wp->run->session, message, NULL, error);

  *out_root = NULL;
  if (body == NULL)
    return 0;
  if (g_bytes_get_size (body) > 0 &&
      json_parser_load_from_data (parser, g_bytes_get_data (body, NULL), (gssize) g_bytes_get_size (body), NULL))
    *out_root = json_parser_get_root (parser);
  return soup_message_get_status (message);
}

/* A failed exchange, settled as desk-publisher.c's handle_failure()
 * settles it: later for what may pass, for good for what will not. */
static void
wordpress_failed (Outcome      *outcome,
                  SoupMessage  *message,
                  JsonNode     *root,
                  const GError *error)
{
  guint status = message != NULL ? soup_message_get_status (message) : 0;
  const char *said = json_string_member (root, "message");
  g_autofree char *text = NULL;

  if (error != NULL)
    {
      text = g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT)
             ? g_strdup_printf (_("%s did not answer in time"), "WordPress")
             : g_strdup_printf (_("Could not reach %s: %s"), "WordPress", error->message);
      fail (outcome, DESK_JOB_PENDING, text);
    }
  else if (status >= 500 || status == SOUP_STATUS_REQUEST_TIMEOUT || status == 429)
    {
      text = said != NULL
             ? g_strdup_printf (_("%s had a problem (HTTP %u): %s"), "WordPress", status, said)
             : g_strdup_printf (_("%s had a problem (HTTP %u %s)"), "WordPress", status,
                                soup_message_get_reason_phrase (message));
      fail (outcome, DESK_JOB_PENDING, text);
    }
  else if (status == SOUP_STATUS_UNAUTHORIZED)
    fail (outcome, DESK_JOB_FAILED, _("WordPress rejected the user name or application password"));
  else
    {
      text = said != NULL
             ? g_strdup_printf (_("%s refused the post: %s (HTTP %u)"), "WordPress", said, status)
             : g_strdup_printf (_("%s refused the post (HTTP %u %s)"), "WordPress", status,
                                soup_message_get_reason_phrase (message));
      fail (outcome, DESK_JOB_FAILED, text);
    }
}

static char *
post_id (JsonNode *root)
{
  JsonObject *post = root != NULL && JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;

  if (post == NULL || !json_object_has_member (post, "id"))
    return NULL;
  return g_strdup_printf ("%" G_GINT64_FORMAT, json_object_get_int_member (post, "id"));
}

/* Who the password logs in as (WordPress 6.1 runs a request with a wrong
 * one as nobody), and where the API is: /wp-json/, else ?rest_route=. */
static gboolean
wordpress_verify (WordPress *wp,
                  Outcome   *outcome)
{
  for (;;)
    {
      g_autoptr(SoupMessage) message = wordpress_message (wp, "GET", "/wp/v2/users/me", NULL, NULL);
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GError) error = NULL;
      JsonNode *root = NULL;
      guint status;

      if (message == NULL)
        {
          fail (outcome, DESK_JOB_FAILED, _("The WordPress address is not a valid URL"));
          return FALSE;
        }
      status = wordpress_send (wp, message, parser, &root, &error);
      if (status == SOUP_STATUS_NOT_FOUND)
        {
          if (!wp->rest_route && g_strcmp0 (json_string_member (root, "code"), "rest_no_route") != 0)
            {
              wp->rest_route = TRUE;
              continue;
            }
          fail (outcome, DESK_JOB_FAILED, _("There is no WordPress REST API at this address"));
          return FALSE;
        }
      if (!SOUP_STATUS_IS_SUCCESSFUL (status))
        {
          wordpress_failed (outcome, error != NULL ? NULL : message, root, error);
          return FALSE;
        }
      return TRUE;
    }
}

/* The post with the job's slug, made by an earlier attempt whose answer
 * was lost: TRUE, with the outcome done, when there is one. */
static gboolean
wordpress_find (WordPress           *wp,
                const DeskOutboxJob *job,
                Outcome             *outcome,
                gboolean            *out_failed)
{
  g_autofree char *escaped = g_uri_escape_string (job->slug, NULL, FALSE);
  g_autofree char *query = g_strdup_printf ("slug=%s&status=any&per_page=100", escaped);
  g_autoptr(SoupMessage) message = wordpress_message (wp, "GET", "/wp/v2/posts", query, NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonNode *root = NULL;
  JsonArray *posts;
  guint status;

  *out_failed = FALSE;
  status = wordpress_send (wp, message, parser, &root, &error);
  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      wordpress_failed (outcome, error != NULL ? NULL : message, root, error);
      *out_failed = TRUE;
      return FALSE;
    }
  posts = root != NULL && JSON_NODE_HOLDS_ARRAY (root) ? json_node_get_array (root) : NULL;
  for (guint i = 0; posts != NULL && i < json_array_get_length (posts); i++)
    {
      JsonNode *node = json_array_get_element (posts, i);

      if (g_strcmp0 (json_string_member (node, "slug"), job->slug) == 0)
        {
          outcome->state = DESK_JOB_DONE;
          outcome->remote_id = post_id (node);
          outcome->remote_url = g_strdup (json_string_member (node, "link"));
          return outcome->remote_id != NULL;
        }
    }
  return FALSE;
}

/* The WordPress id of tag @name, made if new; 0 after a failure. */
static gint64
wordpress_tag (WordPress  *wp,
               const char *name,
               Outcome    *outcome)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *object;
  JsonNode *root = NULL;
  gint64 id = 0;
  guint status;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, name);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);
  message = wordpress_message (wp, "POST", "/wp/v2/tags", NULL, body);
  soup_message_add_flags (message, SOUP_MESSAGE_IDEMPOTENT);
  status = wordpress_send (wp, message, parser, &root, &error);
  object = root != NULL && JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
  if (status == SOUP_STATUS_BAD_REQUEST && g_strcmp0 (json_string_member (root, "code"), "term_exists") == 0)
    {
      /* The tag is there: data.term_id names it. */
      JsonNode *data = object != NULL ? json_object_get_member (object, "data") : NULL;

      if (data != NULL && JSON_NODE_HOLDS_OBJECT (data) && json_object_has_member (json_node_get_object (data), "term_id"))
        id = json_object_get_int_member (json_node_get_object (data), "term_id");
    }
  else if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      wordpress_failed (outcome, error != NULL ? NULL : message, root, error);
      return 0;
    }
  else if (object != NULL && json_object_has_member (object, "id"))
    id = json_object_get_int_member (object, "id");
  if (id <= 0)
    fail (outcome, DESK_JOB_PENDING, _("WordPress answered without the tag’s id"));
  return id;
}

static void
send_wordpress (Run                    *run,
                const DeskOutboxJob    *job,
                const DeskTarget       *target,
                const DeskApprovedCopy *copy,
                Outcome                *outcome)
{
  WordPress wp = { run, target, NULL, g_strcmp0 (desk_target_get_setting (target, "api"), "rest_route") == 0 };
  g_autoptr(GArray) tag_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GPtrArray) tag_names = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *remote_id = NULL;
  gboolean failed = FALSE;

  if (desk_target_get_setting (target, "url") == NULL)
    {
      fail (outcome, DESK_JOB_FAILED, _("The WordPress target has no address"));
      return;
    }
  wp.secret = dup_secret (run, target, &error);
  if (wp.secret == NULL)
    {
      fail (outcome, DESK_JOB_FAILED, error->message);
      return;
    }
  if (!wordpress_verify (&wp, outcome))
    return;

  /* The post this release has on the site already (a correction's job
   * updates it), else one an earlier attempt made. */
  {
    g_autoptr(DeskDbStmt) stmt = desk_db_prepare (run->db,
      "SELECT remote_id FROM remote_identities WHERE release_id = ? AND target_id = ?", &error);

    if (stmt == NULL)
      {
        fail (outcome, DESK_JOB_PENDING, error->message);
        return;
      }
    desk_db_bind_int64 (stmt, 1, job->release_id);
    desk_db_bind_int64 (stmt, 2, target->id);
    if (desk_db_step (stmt, NULL) == DESK_DB_ROW)
      remote_id = desk_db_column_dup (stmt, 0);
  }
  if (remote_id == NULL && (wordpress_find (&wp, job, outcome, &failed) || failed))
    return;

  for (guint i = 0; copy->tags[i] != NULL; i++)
    g_ptr_array_add (tag_names, copy->tags[i]);
  if (copy->disclosure != DESK_VERDICT_NONE)
    g_ptr_array_add (tag_names, (gpointer) "sponsored");
  for (guint i = 0; i < tag_names->len; i++)
    {
      gint64 id = wordpress_tag (&wp, g_ptr_array_index (tag_names, i), outcome);

      if (id <= 0)
        return;
      g_array_append_val (tag_ids, id);
    }

  for (;;)
    {
      g_autoptr(JsonNode) body = desk_publisher_wordpress_post (copy, target, job->slug, tag_ids);
      g_autofree char *route = remote_id != NULL ? g_strdup_printf ("/wp/v2/posts/%s", remote_id)
                                                 : g_strdup ("/wp/v2/posts");
      g_autoptr(SoupMessage) message = wordpress_message (&wp, "POST", route, NULL, body);
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GError) send_error = NULL;
      JsonNode *root = NULL;
      guint status;

      if (remote_id != NULL)
        soup_message_add_flags (message, SOUP_MESSAGE_IDEMPOTENT);
      status = wordpress_send (&wp, message, parser, &root, &send_error);
      if (status == SOUP_STATUS_NOT_FOUND && remote_id != NULL)
        {
          /* The post was deleted on the site: make it anew. */
          g_clear_pointer (&remote_id, g_free);
          continue;
        }
      if (!SOUP_STATUS_IS_SUCCESSFUL (status))
        {
          wordpress_failed (outcome, send_error != NULL ? NULL : message, root, send_error);
          return;
        }
      outcome->remote_id = post_id (root);
      if (outcome->remote_id == NULL)
        {
          fail (outcome, DESK_JOB_PENDING, _("WordPress answered without the post’s id"));
          return;
        }
      outcome->state = DESK_JOB_DONE;
      outcome->remote_url = g_strdup (json_string_member (root, "link"));
      return;
    }
}

static void
publish_to_folder (const DeskApprovedCopy *copy,
                   const DeskTarget       *target,
                   Outcome                *outcome)
{
  DeskExportFormat format;
  g_autofree char *folder = desk_target_dup_folder (target, &format);
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  path = desk_export_copy_to_folder (copy, format, folder, &error);
  if (path == NULL)
    {
      fail (outcome, DESK_JOB_FAILED, error->message);
      return;
    }
  outcome->state = DESK_JOB_DONE;
  outcome->remote_id = g_strdup (path);
  outcome->remote_url = g_filename_to_uri (path, NULL, NULL);
}

static gint64
backoff_us (guint attempts)
{
  guint ms = BACKOFF_FIRST_MS;

  for (guint i = 1; i < attempts && ms < BACKOFF_MAX_MS; i++)
    ms *= 2;
  return (gint64) MIN (ms, BACKOFF_MAX_MS) * 1000;
}

static gboolean
record_outcome (Run                 *run,
                const DeskOutboxJob *job,
                const DeskTarget    *target,
                Outcome             *outcome,
                GError             **error)
{
  DeskDb *db = run->db;
  gint64 now = g_get_real_time ();
  g_autofree char *message = desk_redact (outcome->message, g_hash_table_lookup (run->secrets, &target->id));

  if (outcome->state == DESK_JOB_PENDING && job->attempts + 1 >= DESK_PUBLISHER_MAX_ATTEMPTS)
    outcome->state = DESK_JOB_FAILED;

  if (outcome->state == DESK_JOB_PENDING)
    {
      g_autoptr(DeskDbStmt) stmt = desk_db_prepare (db,
        "UPDATE outbox SET state = 'pending', next_try_at = ?2, last_error = ?3, lease_owner = NULL,"
        " updated_at = ?4 WHERE id = ?1", error);

      if (stmt == NULL)
        return FALSE;
      desk_db_bind_int64 (stmt, 1, job->id);
      desk_db_bind_int64 (stmt, 2, now + backoff_us (job->attempts + 1));
      desk_db_bind_text (stmt, 3, message);
      desk_db_bind_int64 (stmt, 4, now);
      return desk_db_step_done (stmt, NULL, error);
    }

  if (outcome->state == DESK_JOB_FAILED)
    {
      g_autoptr(DeskDbStmt) stmt = desk_db_prepare (db,
        "UPDATE outbox SET state = 'failed', last_error = ?2, lease_owner = NULL, updated_at = ?3 WHERE id = ?1",
        error);

      if (stmt == NULL)
        return FALSE;
      desk_db_bind_int64 (stmt, 1, job->id);
      desk_db_bind_text (stmt, 2, message);
      desk_db_bind_int64 (stmt, 3, now);
      return desk_db_step_done (stmt, NULL, error) &&
             desk_db_insert_event (db, job->release_id, job->actor, "publish-failed", NULL, NULL, message, error);
    }

  {
    g_autoptr(DeskDbStmt) stmt = desk_db_prepare (db,
      "UPDATE outbox SET state = 'done', last_error = NULL, remote_id = ?2, remote_url = ?3,"
      " lease_owner = NULL, updated_at = ?4 WHERE id = ?1", error);

    if (stmt == NULL)
      return FALSE;
    desk_db_bind_int64 (stmt, 1, job->id);
    desk_db_bind_text (stmt, 2, outcome->remote_id);
    desk_db_bind_text (stmt, 3, outcome->remote_url);
    desk_db_bind_int64 (stmt, 4, now);
    if (!desk_db_step_done (stmt, NULL, error))
      return FALSE;
  }
  {
    g_autoptr(DeskDbStmt) stmt = desk_db_prepare (db,
      "UPDATE remote_identities SET remote_id = ?3, remote_url = ?4, attempted = 1, updated_at = ?5"
      " WHERE release_id = ?1 AND target_id = ?2", error);

    if (stmt == NULL)
      return FALSE;
    desk_db_bind_int64 (stmt, 1, job->release_id);
    desk_db_bind_int64 (stmt, 2, job->target_id);
    desk_db_bind_text (stmt, 3, outcome->remote_id);
    desk_db_bind_text (stmt, 4, outcome->remote_url);
    desk_db_bind_int64 (stmt, 5, now);
    if (!desk_db_step_done (stmt, NULL, error))
      return FALSE;
  }
  {
    /* Approved copy that went out is published; a correction's job
     * leaves the release where it is, as on SQLite. */
    g_autoptr(DeskDbStmt) stmt = desk_db_prepare (db,
      "UPDATE releases SET status = 'published', updated_at = ?2 WHERE id = ?1 AND status = 'approved'", error);
    g_autofree char *note = NULL;
    gboolean moved;

    if (stmt == NULL)
      return FALSE;
    desk_db_bind_int64 (stmt, 1, job->release_id);
    desk_db_bind_int64 (stmt, 2, now);
    if (!desk_db_step_done (stmt, NULL, error))
      return FALSE;
    moved = desk_db_stmt_changes (stmt) > 0;
    note = outcome->remote_url != NULL
           ? g_strdup_printf ("%s: %s", desk_target_get_display_name (job->target_name), outcome->remote_url)
           : g_strdup (desk_target_get_display_name (job->target_name));
    return desk_db_insert_event (db, job->release_id, job->actor, "published",
                         moved ? desk_status_to_string (DESK_STATUS_APPROVED) : NULL,
                         moved ? desk_status_to_string (DESK_STATUS_PUBLISHED) : NULL,
                         note, error);
  }
}

/* Takes one due job no other publisher holds and sends it, in one
 * transaction.  1: a job was sent (or its failure recorded), 0: none
 * could be taken, -1: the desk failed. */
static int
send_one (Run     *run,
          GError **error)
{
  DeskDb *db = run->db;
  g_autoptr(DeskOutboxJob) job = NULL;
  g_autoptr(DeskTarget) target = NULL;
  g_autoptr(DeskApprovedCopy) copy = NULL;
  g_autoptr(GError) job_error = NULL;
  g_auto(Outcome) outcome = { DESK_JOB_FAILED, NULL, NULL, NULL };
  g_autofree char *lease = g_uuid_string_random ();
  gint64 now = g_get_real_time ();

  if (!desk_db_begin (db, error))
    return -1;
  {
    g_autoptr(DeskDbStmt) stmt = desk_db_prepare (db,
      "SELECT " JOB_COLUMNS " FROM outbox o JOIN targets t ON t.id = o.target_id"
      " WHERE o.id = (SELECT id FROM outbox WHERE state IN ('pending', 'sending') AND next_try_at <= ?"
      "  ORDER BY next_try_at, id LIMIT 1 FOR UPDATE SKIP LOCKED)", error);
    DeskDbStep step;

    if (stmt == NULL)
      goto failed;
    desk_db_bind_int64 (stmt, 1, now);
    if ((step = desk_db_step (stmt, error)) == DESK_DB_ERROR)
      goto failed;
    if (step == DESK_DB_DONE)
      {
        desk_db_rollback (db);
        return 0;
      }
    job = job_from_row (stmt);
  }

  /* Marked for whoever reads the outbox meanwhile; undone with the rest
   * if this publisher dies before its commit. */
  {
    g_autoptr(DeskDbStmt) stmt = desk_db_prepare (db,
      "UPDATE outbox SET state = 'sending', attempts = attempts + 1, lease_owner = ?2, updated_at = ?3"
      " WHERE id = ?1", error);

    if (stmt == NULL)
      goto failed;
    desk_db_bind_int64 (stmt, 1, job->id);
    desk_db_bind_text (stmt, 2, lease);
    desk_db_bind_int64 (stmt, 3, now);
    if (!desk_db_step_done (stmt, NULL, error))
      goto failed;
  }

  target = find_target (db, NULL, job->target_id, &job_error);
  if (target != NULL)
    copy = desk_db_load_approved_copy (db, job->release_id, &job_error);
  if (target == NULL || copy == NULL)
    fail (&outcome, DESK_JOB_FAILED, job_error->message);
  else if (g_strcmp0 (copy->sha256, job->sha256) != 0)
    fail (&outcome, DESK_JOB_FAILED, _("The approved text changed after it was queued: publish it again"));
  else if (target->kind == DESK_TARGET_WEBHOOK)
    send_webhook (run, job, target, &outcome);
  else if (target->kind == DESK_TARGET_LOCAL_FOLDER)
    publish_to_folder (copy, target, &outcome);
  else if (target->kind == DESK_TARGET_WORDPRESS)
    send_wordpress (run, job, target, copy, &outcome);

  if (target == NULL)
    {
      /* Recorded against a target that is gone: the job's own name. */
      target = g_new0 (DeskTarget, 1);
      target->id = job->target_id;
      target->name = g_strdup (job->target_name);
      target->settings = json_object_new ();
    }
  if (!record_outcome (run, job, target, &outcome, error) ||
      !desk_db_commit (db, error))
    goto failed;
  return 1;

failed:
  desk_db_rollback (db);
  return -1;
}

gboolean
desk_db_run_outbox (DeskDb   *db,
                    guint     timeout,
                    GError  **error)
{
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(GHashTable) secrets = NULL;
  g_autofree char *uuid = NULL;
  Run run = { 0 };

  g_return_val_if_fail (DESK_IS_DB (db), FALSE);
  g_return_val_if_fail (desk_db_get_dialect (db) == DESK_DB_POSTGRESQL, FALSE);

  if (!check_may_publish (db, error))
    return FALSE;
  {
    g_autoptr(DeskDbStmt) stmt = desk_db_prepare (db, "SELECT value FROM store_info WHERE name = 'uuid'", error);

    if (stmt == NULL || desk_db_step (stmt, error) == DESK_DB_ERROR)
      return FALSE;
    uuid = desk_db_column_dup (stmt, 0);
  }

  session = soup_session_new_with_options ("timeout", timeout > 0 ? timeout : DESK_PUBLISHER_TIMEOUT,
                                           "user-agent", "Copydesk", NULL);
  secrets = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  run.db = db;
  run.session = session;
  run.secrets = secrets;
  run.uuid = uuid;

  for (;;)
    {
      int sent = send_one (&run, error);
      gint64 waiting;
      gint64 next_try_at;

      if (sent < 0)
        return FALSE;
      if (sent > 0)
        continue;

      /* None could be taken: done, unless jobs wait to be tried again or
       * another publisher holds them (and may die holding them). */
      {
        g_autoptr(DeskDbStmt) stmt = desk_db_prepare (db,
          "SELECT count(*), coalesce (min (next_try_at), 0) FROM outbox WHERE state IN ('pending', 'sending')",
          error);

        if (stmt == NULL || desk_db_step (stmt, error) != DESK_DB_ROW)
          return FALSE;
        waiting = desk_db_column_int64 (stmt, 0);
        next_try_at = desk_db_column_int64 (stmt, 1);
      }
      if (waiting == 0)
        return TRUE;
      {
        gint64 wait_us = next_try_at - g_get_real_time ();

        g_usleep ((gulong) CLAMP (wait_us, HELD_POLL_MS * 1000, 1000 * 1000));
      }
    }
}
