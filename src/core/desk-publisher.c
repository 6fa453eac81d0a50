/* desk-publisher.c — sends the outbox's jobs, each exactly once
 *
 * The publisher takes due jobs from the outbox and sends up to
 * max-concurrent of them at a time over one SoupSession (with an I/O
 * timeout), on the main context.  A 5xx answer, a timeout or a dropped
 * connection is tried again later, with exponential backoff and jitter;
 * a 4xx answer fails the job for good with the server's message.
 *
 * Exactly once: an attempt may reach the target even when its answer is
 * lost.  So a job that was attempted before is looked for at the target
 * first — on WordPress by its slug (status=any; every post is created with
 * an explicit slug), on a webhook by its idempotency key, which is the
 * same at every attempt and which the receiver deduplicates by — and only
 * sent when it is not there.  A corrected release updates the post its
 * earlier job made.
 *
 * Several publishers may share a store.  Each attempt takes its job by a
 * lease (desk_store_job_begin_attempt(): a compare-and-set with a token
 * of this attempt's own), renews it before each request that may make a
 * post, and names it when it records the result; a publisher that lost
 * its lease records nothing.  Whether to look first is the release's
 * remote identity's to say (any earlier attempt of any job may have
 * reached the target), not this job's attempt count.  Every message from
 * a target is redacted (desk-redact.h) before it is stored or shown.
 *
 * The store is written once a turn of the main loop: the results of
 * every job that came back in that turn, and the due jobs taken for the
 * places they free, in one transaction (desk_store_jobs_settle_and_claim()).
 * A result waits in memory until then, its job still leased: a crash
 * before the commit leaves the job to be looked up at the target and
 * never posted twice.  A commit a job (three before: lease, where the
 * copy went, result) was most of what a webhook's delivery cost.
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

#include "desk-error.h"
#include "desk-export.h"
#include "desk-outbox.h"
#include "desk-publisher.h"
#include "desk-redact.h"
#include "desk-sha256.h"

struct _DeskPublisher
{
  GObject       parent_instance;

  DeskStore    *store;
  SoupSession  *session;
  guint         max_concurrent;
  guint         timeout;
  guint         first_backoff_ms;
  guint         max_backoff_ms;
  guint         max_attempts;
  guint         max_wait;      /* seconds; 0: as long as jobs wait */

  GTask        *task;          /* the run, while one goes on */
  GHashTable   *in_flight;     /* job id → JobRun */
  GPtrArray    *settled;       /* JobRun whose results wait to be written */
  GHashTable   *secrets;       /* target id → secret, for this run */
  GHashTable   *targets;       /* target id → DeskTarget, for this run */
  GHashTable   *verified;      /* target id → "rest_route" or "wp-json" */
  GHashTable   *tag_ids;       /* "target id\x1fname" → term id */
  guint         pump_source;
  guint         timer_source;
  gint64        run_started;
  gint64        waiting_job;   /* the job last said to be waited for */
  gint64        waiting_until;
};

enum {
  SIGNAL_WAITING,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (DeskPublisher, desk_publisher, G_TYPE_OBJECT)

typedef enum {
  STEP_VERIFY,
  STEP_FIND,
  STEP_TAG,
  STEP_CREATE,
  STEP_UPDATE,
  STEP_WEBHOOK,
} Step;

typedef struct {
  DeskPublisher    *self;
  DeskOutboxJob    *job;
  DeskTarget       *target;
  DeskApprovedCopy *copy;
  const char       *secret;    /* owned by self->secrets */
  char             *lease;     /* this attempt's lease token */
  gint64            leased_at; /* monotonic time it was taken or last renewed */
  Step              step;
  gboolean          rest_route;
  char             *remote_id;
  GPtrArray        *tag_names;
  GArray           *tag_ids;
  guint             tag_index;
  gboolean          may_have_reached;
  /* The result, once settled, until it is written. */
  DeskJobState      result;
  char             *result_id;
  char             *result_url;
  char             *result_message;
  gint64            next_try_at;
} JobRun;

#define HELD_JOB_POLL_MS 1000

static void schedule_pump (DeskPublisher *self);
static void run_step      (JobRun        *run);

static void
job_run_free (JobRun *run)
{
  desk_outbox_job_free (run->job);
  desk_target_free (run->target);
  desk_approved_copy_free (run->copy);
  g_free (run->remote_id);
  g_free (run->lease);
  g_free (run->result_id);
  g_free (run->result_url);
  g_free (run->result_message);
  g_clear_pointer (&run->tag_names, g_ptr_array_unref);
  g_clear_pointer (&run->tag_ids, g_array_unref);
  g_object_unref (run->self);
  g_free (run);
}

/* ---- settling a job ------------------------------------------------------ */

static void
finish_run (JobRun *run)
{
  DeskPublisher *self = run->self;
  gint64 id = run->job->id;

  schedule_pump (self);
  g_hash_table_remove (self->in_flight, &id);  /* frees @run */
}

/* A write of the job failed: that another publisher took it over is no
 * fault of anyone's (it settles the job), anything else is. */
static void
warn_unrecorded (JobRun     *run,
                 const char *what,
                 GError     *error)
{
  if (g_error_matches (error, DESK_ERROR, DESK_ERROR_LEASE_LOST))
    g_debug ("%s", error->message);
  else
    g_warning ("Could not record job #%" G_GINT64_FORMAT " as %s: %s", run->job->id, what, error->message);
}

/* The attempt is over: its result waits, with the others that end in
 * this turn of the main loop, to be written in one transaction
 * (write_results()).  Until then the job stays leased: a job counts as
 * done only when its result is stored. */
static void
settle (JobRun       *run,
        DeskJobState  result,
        const char   *remote_id,
        const char   *remote_url,
        const char   *message,
        gint64        next_try_at)
{
  DeskPublisher *self = run->self;
  gint64 id = run->job->id;
  gpointer key = NULL;

  run->result = result;
  run->result_id = g_strdup (remote_id);
  run->result_url = g_strdup (remote_url);
  run->result_message = desk_redact (message, run->secret);
  run->next_try_at = next_try_at;
  if (g_hash_table_steal_extended (self->in_flight, &id, &key, NULL))
    g_free (key);
  g_ptr_array_add (self->settled, run);
  schedule_pump (self);
}

static const char *
result_word (DeskJobState result)
{
  return result == DESK_JOB_DONE ? "done" : result == DESK_JOB_FAILED ? "failed" : "waiting";
}

static gboolean start_job (DeskPublisher *self,
                           gint64         job_id,
                           const char    *lease,
                           gint64         taken_at,
                           gboolean       may_have_reached);
static gint64   lease_end (DeskPublisher *self);

/* Writes the results settled since the last time and, with @claim, takes
 * as many due jobs as there are free places and starts them: one
 * transaction a turn of the main loop, whatever came back.  Should that
 * fail, each result is written on its own, and the jobs taken alone.
 * FALSE (with @error) when no job could be taken. */
static gboolean
write_results (DeskPublisher  *self,
               gboolean        claim,
               GError        **error)
{
  g_autoptr(GPtrArray) runs = g_steal_pointer (&self->settled);
  g_autofree DeskJobResult *results = NULL;
  g_autofree char *lease = g_uuid_string_random ();
  g_autoptr(GArray) claims = NULL;
  g_autoptr(GError) local_error = NULL;
  guint in_flight = g_hash_table_size (self->in_flight);
  guint limit = claim && in_flight < self->max_concurrent ? self->max_concurrent - in_flight : 0;
  gint64 taken_at = g_get_monotonic_time ();
  gboolean ok;

  self->settled = g_ptr_array_new_with_free_func ((GDestroyNotify) job_run_free);
  if (runs->len == 0 && limit == 0)
    return TRUE;
  results = g_new0 (DeskJobResult, runs->len);
  for (guint i = 0; i < runs->len; i++)
    {
      JobRun *run = g_ptr_array_index (runs, i);

      results[i].job_id = run->job->id;
      results[i].lease_owner = run->lease;
      results[i].state = run->result;
      results[i].remote_id = run->result_id;
      results[i].remote_url = run->result_url;
      results[i].next_try_at = run->next_try_at;
      results[i].message = run->result_message;
    }

  ok = limit > 0
       ? desk_store_jobs_settle_and_claim (self->store, results, runs->len, limit, lease, lease_end (self),
                                           &claims, &local_error)
       : desk_store_jobs_settle (self->store, results, runs->len, &local_error);
  if (ok)
    {
      for (guint i = 0; i < runs->len; i++)
        {
          if (results[i].error != NULL)
            warn_unrecorded (g_ptr_array_index (runs, i), result_word (results[i].state), results[i].error);
          g_clear_error (&results[i].error);
        }
    }
  else
    {
      g_debug ("Could not record %u results at once: %s", runs->len, local_error->message);
      for (guint i = 0; i < runs->len; i++)
        {
          JobRun *run = g_ptr_array_index (runs, i);
          DeskJobResult *result = &results[i];
          g_autoptr(GError) one_error = NULL;

          if (result->state == DESK_JOB_DONE &&
              !desk_store_job_record_remote (self->store, result->job_id, result->remote_id, result->remote_url,
                                             &one_error))
            {
              g_warning ("Could not record where job #%" G_GINT64_FORMAT " went: %s", run->job->id,
                         one_error->message);
              g_clear_error (&one_error);
            }
          if (!(result->state == DESK_JOB_DONE
                ? desk_store_job_complete (self->store, result->job_id, result->lease_owner,
                                           result->remote_id, result->remote_url, &one_error)
                : result->state == DESK_JOB_FAILED
                ? desk_store_job_fail (self->store, result->job_id, result->lease_owner, result->message,
                                       &one_error)
                : desk_store_job_retry_later (self->store, result->job_id, result->lease_owner,
                                              result->next_try_at, result->message, &one_error)))
            warn_unrecorded (run, result_word (result->state), one_error);
        }
      if (limit > 0)
        {
          claims = desk_store_job_claim_due (self->store, limit, lease, lease_end (self), error);
          if (claims == NULL)
            return FALSE;
        }
    }

  for (guint i = 0; claims != NULL && i < claims->len; i++)
    {
      DeskJobClaim *taken = &g_array_index (claims, DeskJobClaim, i);

      /* Still on its way after its lease ran out: this attempt goes on,
       * and the lease just taken runs out unused. */
      if (g_hash_table_contains (self->in_flight, &taken->job_id))
        g_debug ("Job #%" G_GINT64_FORMAT " is still on its way", taken->job_id);
      else
        start_job (self, taken->job_id, lease, taken_at, taken->may_have_reached);
    }
  return TRUE;
}

static void
succeed (JobRun     *run,
         const char *remote_id,
         const char *remote_url)
{
  settle (run, DESK_JOB_DONE, remote_id, remote_url, NULL, 0);
}

static void
fail_for_good (JobRun     *run,
               const char *message)
{
  settle (run, DESK_JOB_FAILED, NULL, NULL, message, 0);
}

/* Exponential, capped, with jitter: half the delay, plus up to half. */
static gint64
backoff_us (DeskPublisher *self,
            guint          attempts)
{
  guint64 delay = self->first_backoff_ms;

  for (guint i = 1; i < attempts && delay < self->max_backoff_ms; i++)
    delay *= 2;
  delay = MIN (delay, self->max_backoff_ms);
  delay = delay / 2 + (guint64) g_random_int_range (0, (gint32) (delay / 2) + 1);
  return (gint64) delay * 1000;
}

static void
fail_for_now (JobRun     *run,
              const char *message)
{
  DeskPublisher *self = run->self;
  guint attempts = run->job->attempts + 1;

  if (attempts >= self->max_attempts)
    {
      g_autofree char *final = g_strdup_printf (_("Gave up after %u attempts: %s"), attempts, message);
      fail_for_good (run, final);
      return;
    }
  settle (run, DESK_JOB_PENDING, NULL, NULL, message, g_get_real_time () + backoff_us (self, attempts));
}

/* ---- HTTP ---------------------------------------------------------------- */

static const char *
target_label (JobRun *run)
{
  switch (run->target->kind)
    {
    case DESK_TARGET_WORDPRESS: return "WordPress";
    case DESK_TARGET_WEBHOOK: return _("The webhook");
    case DESK_TARGET_LOCAL_FOLDER:
    default: return run->target->name;
    }
}

/* The string member @name of the object @root (a WordPress-style error's
 * "code" and "message", a post's "link", a webhook's answer), or NULL if @root is no
 * object or the member is missing or not a string.  The member must be a
 * value before json_object_get_string_member_with_default() is asked:
 * json-glib 1.6 warns about objects and arrays. */
static const char *
string_member (JsonNode   *root,
               const char *name)
{
  JsonObject *object;
  JsonNode *member;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  object = json_node_get_object (root);
  member = json_object_get_member (object, name);
  if (member == NULL || !JSON_NODE_HOLDS_VALUE (member))
    return NULL;
  return json_object_get_string_member_with_default (object, name, NULL);
}

/* Settles a failed exchange: later for what may pass (5xx, timeouts,
 * dropped connections), for good for what will not (4xx). */
static void
handle_failure (JobRun      *run,
                SoupMessage *message,
                JsonNode    *root,
                GError      *error)
{
  guint status = message != NULL ? soup_message_get_status (message) : 0;
  g_autofree char *text = NULL;
  const char *said = string_member (root, "message");

  if (error != NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          /* Stopped: the job stays leased, and is looked for first next time. */
          finish_run (run);
          return;
        }
      text = g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT)
             ? g_strdup_printf (_("%s did not answer in time"), target_label (run))
             : g_strdup_printf (_("Could not reach %s: %s"), target_label (run), error->message);
      fail_for_now (run, text);
      return;
    }

  if (status >= 500 || status == SOUP_STATUS_REQUEST_TIMEOUT || status == 429)
    {
      text = said != NULL
             ? g_strdup_printf (_("%s had a problem (HTTP %u): %s"), target_label (run), status, said)
             : g_strdup_printf (_("%s had a problem (HTTP %u %s)"), target_label (run), status,
                                soup_message_get_reason_phrase (message));
      fail_for_now (run, text);
      return;
    }

  if (run->target->kind == DESK_TARGET_WORDPRESS && status == SOUP_STATUS_UNAUTHORIZED)
    text = g_strdup (_("WordPress rejected the user name or application password"));
  else if (run->target->kind == DESK_TARGET_WEBHOOK && status == SOUP_STATUS_UNAUTHORIZED)
    text = g_strdup (_("The webhook rejected the signature: check the shared secret"));
  else if (said != NULL)
    text = g_strdup_printf (_("%s refused the post: %s (HTTP %u)"), target_label (run), said, status);
  else
    text = g_strdup_printf (_("%s refused the post (HTTP %u %s)"), target_label (run), status,
                            soup_message_get_reason_phrase (message));
  fail_for_good (run, text);
}

typedef void (*ReplyFunc) (JobRun      *run,
                           SoupMessage *message,
                           JsonNode    *root);

typedef struct {
  JobRun    *run;
  ReplyFunc  reply;
} Exchange;

static void
on_sent (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Exchange *exchange = user_data;
  JobRun *run = exchange->run;
  ReplyFunc reply = exchange->reply;
  SoupMessage *message = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root = NULL;
  guint status;

  g_free (exchange);
  if (body == NULL)
    {
      handle_failure (run, NULL, NULL, error);
      return;
    }

  if (g_bytes_get_size (body) > 0 &&
      json_parser_load_from_data (parser, g_bytes_get_data (body, NULL), (gssize) g_bytes_get_size (body), NULL))
    root = json_parser_get_root (parser);

  status = soup_message_get_status (message);
  if (SOUP_STATUS_IS_SUCCESSFUL (status) ||
      (status == SOUP_STATUS_NOT_FOUND && run->step == STEP_UPDATE) ||
      (status == SOUP_STATUS_NOT_FOUND && run->step == STEP_VERIFY) ||
      (status == SOUP_STATUS_BAD_REQUEST && run->step == STEP_TAG && g_strcmp0 (string_member (root, "code"), "term_exists") == 0))
    reply (run, message, root);
  else
    handle_failure (run, message, root, NULL);
}

static void
send_message (JobRun      *run,
              SoupMessage *message,
              ReplyFunc    reply)
{
  Exchange *exchange = g_new0 (Exchange, 1);

  exchange->run = run;
  exchange->reply = reply;
  soup_session_send_and_read_async (run->self->session, message, G_PRIORITY_DEFAULT,
                                    run->self->task != NULL ? g_task_get_cancellable (run->self->task) : NULL,
                                    on_sent, exchange);
  g_object_unref (message);
}

static void
set_json_body (SoupMessage *message,
               JsonNode    *root)
{
  char *text = json_to_string (root, FALSE);
  gsize len = strlen (text);
  g_autoptr(GBytes) bytes = g_bytes_new_take (text, len);

  soup_message_set_request_body_from_bytes (message, "application/json", bytes);
}

/* ---- WordPress ----------------------------------------------------------- */

/* The URL of a route of the REST API, in the form the site serves:
 * /wp-json/wp/v2/posts?x=y or /?rest_route=/wp/v2/posts&x=y. */
static char *
wordpress_url (JobRun     *run,
               const char *route,
               const char *query)
{
  g_autofree char *base = g_strdup (desk_target_get_setting (run->target, "url"));
  gsize len = strlen (base);

  while (len > 0 && base[len - 1] == '/')
    base[--len] = '\0';
  if (run->rest_route)
    return g_strdup_printf ("%s/?rest_route=%s%s%s", base, route, query != NULL ? "&" : "", query != NULL ? query : "");
  return g_strdup_printf ("%s/wp-json%s%s%s", base, route, query != NULL ? "?" : "", query != NULL ? query : "");
}

static SoupMessage *
wordpress_message (JobRun     *run,
                   const char *method,
                   const char *route,
                   const char *query,
                   JsonNode   *body)
{
  g_autofree char *url = wordpress_url (run, route, query);
  g_autofree char *credentials = g_strdup_printf ("%s:%s", desk_target_get_setting (run->target, "user"), run->secret);
  g_autofree char *encoded = g_base64_encode ((const guchar *) credentials, strlen (credentials));
  g_autofree char *authorization = g_strconcat ("Basic ", encoded, NULL);
  SoupMessage *message = soup_message_new (method, url);

  if (message == NULL)
    return NULL;
  soup_message_headers_replace (soup_message_get_request_headers (message), "Authorization", authorization);
  soup_message_headers_replace (soup_message_get_request_headers (message), "Accept", "application/json");
  if (body != NULL)
    set_json_body (message, body);
  explicit_bzero (credentials, strlen (credentials));
  return message;
}

static char *
post_id (JsonNode *root)
{
  JsonObject *post = root != NULL && JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;

  if (post == NULL || !json_object_has_member (post, "id"))
    return NULL;
  return g_strdup_printf ("%" G_GINT64_FORMAT, json_object_get_int_member (post, "id"));
}

static void
on_post_saved (JobRun      *run,
               SoupMessage *message,
               JsonNode    *root)
{
  g_autofree char *id = post_id (root);

  if (run->step == STEP_UPDATE && soup_message_get_status (message) == SOUP_STATUS_NOT_FOUND)
    {
      /* The post was deleted on the site: make it anew. */
      g_clear_pointer (&run->remote_id, g_free);
      run->step = STEP_CREATE;
      run_step (run);
      return;
    }
  if (id == NULL)
    {
      fail_for_now (run, _("WordPress answered without the post’s id"));
      return;
    }
  succeed (run, id, string_member (root, "link"));
}

/* The post WordPress is sent for @copy: shared with a team desk's
 * publisher (desk-db-outbox.c). */
JsonNode *
desk_publisher_wordpress_post (const DeskApprovedCopy *copy,
                               const DeskTarget       *target,
                               const char             *slug,
                               GArray                 *tag_ids)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *content = desk_export_render_html_body (copy);
  g_autofree char *title = desk_html_escape (copy->headline);
  g_autofree char *excerpt = desk_html_escape (copy->standfirst);
  const char *status = desk_target_get_setting (target, "status");
  const char *category = desk_target_get_setting (target, "category");

  json_builder_begin_object (builder);
  /* WordPress reads title and excerpt as HTML, as it reads the content:
   * each is escaped, so that a headline shows as the editor wrote it and
   * never runs as markup on the site. */
  json_builder_set_member_name (builder, "title");
  json_builder_add_string_value (builder, title);
  json_builder_set_member_name (builder, "content");
  json_builder_add_string_value (builder, content);
  json_builder_set_member_name (builder, "excerpt");
  json_builder_add_string_value (builder, excerpt);
  json_builder_set_member_name (builder, "slug");
  json_builder_add_string_value (builder, slug);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, status != NULL ? status : "draft");
  json_builder_set_member_name (builder, "tags");
  json_builder_begin_array (builder);
  for (guint i = 0; i < tag_ids->len; i++)
    json_builder_add_int_value (builder, g_array_index (tag_ids, gint64, i));
  json_builder_end_array (builder);
  if (category != NULL && *category != '\0')
    {
      json_builder_set_member_name (builder, "categories");
      json_builder_begin_array (builder);
      json_builder_add_int_value (builder, g_ascii_strtoll (category, NULL, 10));
      json_builder_end_array (builder);
    }
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static JsonNode *
post_body (JobRun *run)
{
  return desk_publisher_wordpress_post (run->copy, run->target, run->job->slug, run->tag_ids);
}

static void
on_tag (JobRun      *run,
        SoupMessage *message,
        JsonNode    *root)
{
  JsonObject *object = root != NULL && JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
  gint64 id = 0;

  if (object != NULL && soup_message_get_status (message) == SOUP_STATUS_BAD_REQUEST)
    {
      /* term_exists: the tag is there, data.term_id names it. */
      JsonObject *data = json_object_has_member (object, "data") ? json_object_get_object_member (object, "data") : NULL;

      if (data != NULL && json_object_has_member (data, "term_id"))
        id = json_object_get_int_member (data, "term_id");
    }
  else if (object != NULL && json_object_has_member (object, "id"))
    id = json_object_get_int_member (object, "id");

  if (id <= 0)
    {
      fail_for_now (run, _("WordPress answered without the tag’s id"));
      return;
    }
  g_hash_table_insert (run->self->tag_ids,
                       g_strdup_printf ("%" G_GINT64_FORMAT "\x1f%s", run->target->id,
                                        (const char *) g_ptr_array_index (run->tag_names, run->tag_index)),
                       g_memdup2 (&id, sizeof id));
  g_array_append_val (run->tag_ids, id);
  run->tag_index++;
  run_step (run);
}

static void
on_found (JobRun      *run,
          SoupMessage *message,
          JsonNode    *root)
{
  JsonArray *posts = root != NULL && JSON_NODE_HOLDS_ARRAY (root) ? json_node_get_array (root) : NULL;

  for (guint i = 0; posts != NULL && i < json_array_get_length (posts); i++)
    {
      JsonNode *node = json_array_get_element (posts, i);

      if (g_strcmp0 (string_member (node, "slug"), run->job->slug) == 0)
        {
          g_autofree char *id = post_id (node);

          /* An earlier attempt made it; its answer was lost. */
          succeed (run, id, string_member (node, "link"));
          return;
        }
    }
  run->step = STEP_TAG;
  run_step (run);
}

static void
on_verified (JobRun      *run,
             SoupMessage *message,
             JsonNode    *root)
{
  if (soup_message_get_status (message) == SOUP_STATUS_NOT_FOUND)
    {
      /* No /wp-json/ (plain permalinks): the same API is at ?rest_route=. */
      if (!run->rest_route && g_strcmp0 (string_member (root, "code"), "rest_no_route") != 0)
        {
          run->rest_route = TRUE;
          run_step (run);
          return;
        }
      fail_for_good (run, _("There is no WordPress REST API at this address"));
      return;
    }
  g_hash_table_insert (run->self->verified, g_memdup2 (&run->target->id, sizeof (gint64)),
                       g_strdup (run->rest_route ? "rest_route" : "wp-json"));
  run->step = run->remote_id == NULL && run->may_have_reached ? STEP_FIND : STEP_TAG;
  run_step (run);
}

/* ---- the steps of a job ------------------------------------------------- */

static void
on_webhook (JobRun      *run,
            SoupMessage *message,
            JsonNode    *root)
{
  const char *id = string_member (root, "id");
  const char *url = string_member (root, "url");

  if (url == NULL)
    url = soup_message_headers_get_one (soup_message_get_response_headers (message), "Location");
  succeed (run, id != NULL ? id : run->job->idempotency_key, url);
}

static void
send_webhook (JobRun *run)
{
  const char *url = desk_target_get_setting (run->target, "url");
  SoupMessage *message = url != NULL ? soup_message_new ("POST", url) : NULL;
  g_autofree char *hmac = NULL;
  g_autofree char *signature = NULL;
  g_autoptr(GBytes) body = NULL;
  SoupMessageHeaders *headers;

  if (message == NULL)
    {
      fail_for_good (run, _("The webhook’s address is not a valid URL"));
      return;
    }
  hmac = desk_hmac_sha256_hex (run->secret, strlen (run->secret), run->job->payload, strlen (run->job->payload));
  signature = g_strconcat ("sha256=", hmac, NULL);
  headers = soup_message_get_request_headers (message);
  soup_message_headers_replace (headers, "X-Copydesk-Signature", signature);
  soup_message_headers_replace (headers, "Idempotency-Key", run->job->idempotency_key);
  body = g_bytes_new (run->job->payload, strlen (run->job->payload));
  soup_message_set_request_body_from_bytes (message, "application/json", body);
  /* libsoup opens a new connection for every POST unless told that it may
   * send the request again (on a kept-alive connection the server closed
   * meanwhile): a delivery may, its idempotency key makes a second one
   * harmless.  A connection a post cost the publisher five times curl's
   * keep-alive rate (bench-publish: 94 against 557 posts a second). */
  soup_message_add_flags (message, SOUP_MESSAGE_IDEMPOTENT);
  send_message (run, message, on_webhook);
}

static void
publish_to_folder (JobRun *run)
{
  DeskExportFormat format;
  g_autofree char *folder = desk_target_dup_folder (run->target, &format);
  g_autofree char *path = NULL;
  g_autofree char *uri = NULL;
  g_autoptr(GError) error = NULL;

  path = desk_export_copy_to_folder (run->copy, format, folder, &error);
  if (path == NULL)
    {
      fail_for_good (run, error->message);
      return;
    }
  uri = g_filename_to_uri (path, NULL, NULL);
  succeed (run, path, uri);
}

static gint64
lease_end (DeskPublisher *self)
{
  return g_get_real_time () + (gint64) self->timeout * 3 * G_USEC_PER_SEC;
}

/* Before a request that may make a post: still ours?  If another
 * publisher took the job over meanwhile, this attempt stops here and
 * records nothing. */
static gboolean
renew_lease (JobRun *run)
{
  g_autoptr(GError) error = NULL;

  /* Taken or renewed less than a request's timeout ago, the lease has two
   * timeouts to run: no other publisher can have it.  A webhook's
   * delivery comes straight after the lease is taken, and this write was
   * a third of the store's work for it. */
  if (g_get_monotonic_time () - run->leased_at < (gint64) run->self->timeout * G_USEC_PER_SEC)
    return TRUE;
  if (desk_store_job_renew_lease (run->self->store, run->job->id, run->lease, lease_end (run->self), &error))
    {
      run->leased_at = g_get_monotonic_time ();
      return TRUE;
    }
  warn_unrecorded (run, "sending", error);
  finish_run (run);
  return FALSE;
}

/* A POST that may be sent twice with no harm (a tag that exists is
 * answered term_exists; an update of a post to the same text changes
 * nothing) may go over a kept-alive connection, as a webhook's delivery
 * does.  A new post may not: sent again, it would be a second post. */
static SoupMessage *
repeatable (SoupMessage *message)
{
  if (message != NULL)
    soup_message_add_flags (message, SOUP_MESSAGE_IDEMPOTENT);
  return message;
}

static void
run_step (JobRun *run)
{
  if ((run->step == STEP_CREATE || run->step == STEP_UPDATE || run->step == STEP_WEBHOOK) && !renew_lease (run))
    return;

  switch (run->step)
    {
    case STEP_WEBHOOK:
      send_webhook (run);
      return;

    case STEP_VERIFY:
      {
        /* A wrong application password is not refused by WordPress 6.1: the
         * request just runs as nobody.  Who am I? tells. */
        SoupMessage *message = wordpress_message (run, "GET", "/wp/v2/users/me", NULL, NULL);

        if (message == NULL)
          fail_for_good (run, _("The WordPress address is not a valid URL"));
        else
          send_message (run, message, on_verified);
        return;
      }

    case STEP_FIND:
      {
        g_autofree char *escaped = g_uri_escape_string (run->job->slug, NULL, FALSE);
        g_autofree char *query = g_strdup_printf ("slug=%s&status=any&per_page=100", escaped);

        send_message (run, wordpress_message (run, "GET", "/wp/v2/posts", query, NULL), on_found);
        return;
      }

    case STEP_TAG:
      while (run->tag_index < run->tag_names->len)
        {
          const char *name = g_ptr_array_index (run->tag_names, run->tag_index);
          g_autofree char *key = g_strdup_printf ("%" G_GINT64_FORMAT "\x1f%s", run->target->id, name);
          gint64 *known = g_hash_table_lookup (run->self->tag_ids, key);
          g_autoptr(JsonBuilder) builder = NULL;
          g_autoptr(JsonNode) body = NULL;

          if (known != NULL)
            {
              g_array_append_val (run->tag_ids, *known);
              run->tag_index++;
              continue;
            }
          builder = json_builder_new ();
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "name");
          json_builder_add_string_value (builder, name);
          json_builder_end_object (builder);
          body = json_builder_get_root (builder);
          send_message (run, repeatable (wordpress_message (run, "POST", "/wp/v2/tags", NULL, body)), on_tag);
          return;
        }
      run->step = run->remote_id != NULL ? STEP_UPDATE : STEP_CREATE;
      run_step (run);
      return;

    case STEP_CREATE:
      {
        g_autoptr(JsonNode) body = post_body (run);

        send_message (run, wordpress_message (run, "POST", "/wp/v2/posts", NULL, body), on_post_saved);
        return;
      }

    case STEP_UPDATE:
      {
        g_autofree char *route = g_strdup_printf ("/wp/v2/posts/%s", run->remote_id);
        g_autoptr(JsonNode) body = post_body (run);

        send_message (run, repeatable (wordpress_message (run, "POST", route, NULL, body)), on_post_saved);
        return;
      }

    default:
      g_assert_not_reached ();
    }
}

/* The target @target_id, read once a run (as its secret is): a copy of
 * its own for the job.  Reading it (a row and its settings' JSON) for
 * every job was a tenth of the store's reads a delivery. */
static DeskTarget *
dup_target (DeskPublisher  *self,
            gint64          target_id,
            GError        **error)
{
  DeskTarget *known = g_hash_table_lookup (self->targets, &target_id);
  DeskTarget *target;

  if (known == NULL)
    {
      known = desk_store_get_target (self->store, target_id, error);
      if (known == NULL)
        return NULL;
      g_hash_table_insert (self->targets, g_memdup2 (&target_id, sizeof target_id), known);
    }
  target = g_new0 (DeskTarget, 1);
  *target = *known;
  target->name = g_strdup (known->name);
  if (known->settings != NULL)
    target->settings = json_object_ref (known->settings);
  return target;
}

/* Loads what the job @job_id, just taken under @lease at @taken_at,
 * needs and makes its first move.  @may_have_reached: an earlier attempt,
 * of this job or of an earlier one for the same release and target, may
 * have made the post, so it is looked for first.  FALSE when it could not
 * be read. */
static gboolean
start_job (DeskPublisher *self,
           gint64         job_id,
           const char    *lease,
           gint64         taken_at,
           gboolean       may_have_reached)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sha256 = NULL;
  JobRun *run;

  run = g_new0 (JobRun, 1);
  run->self = g_object_ref (self);
  run->lease = g_strdup (lease);
  run->leased_at = taken_at;
  run->may_have_reached = may_have_reached;
  run->job = desk_store_get_job (self->store, job_id, &error);
  if (run->job == NULL)
    {
      g_warning ("%s", error->message);
      job_run_free (run);
      return FALSE;
    }
  /* The attempt just begun is counted: the job's attempts before it. */
  run->job->attempts = run->job->attempts > 0 ? run->job->attempts - 1 : 0;
  g_hash_table_insert (self->in_flight, g_memdup2 (&job_id, sizeof job_id), run);

  run->target = dup_target (self, run->job->target_id, &error);
  if (run->target == NULL)
    {
      fail_for_good (run, error->message);
      return TRUE;
    }

  /* A webhook's job carries its payload: the approval need only be checked. */
  if (run->target->kind == DESK_TARGET_WEBHOOK)
    sha256 = desk_store_dup_approved_sha256 (self->store, run->job->release_id, &error);
  else if ((run->copy = desk_approved_copy_load (self->store, run->job->release_id, &error)) != NULL)
    sha256 = g_strdup (run->copy->sha256);
  if (sha256 == NULL)
    {
      fail_for_good (run, error->message);
      return TRUE;
    }
  if (g_strcmp0 (sha256, run->job->sha256) != 0)
    {
      fail_for_good (run, _("The approved text changed after it was queued: publish it again"));
      return TRUE;
    }

  if (run->target->kind != DESK_TARGET_LOCAL_FOLDER)
    {
      gint64 key = run->target->id;

      run->secret = g_hash_table_lookup (self->secrets, &key);
      if (run->secret == NULL)
        {
          char *secret = desk_store_dup_target_secret (self->store, run->target, &error);

          if (secret == NULL)
            {
              fail_for_good (run, error->message);
              return TRUE;
            }
          g_hash_table_insert (self->secrets, g_memdup2 (&key, sizeof key), secret);
          run->secret = secret;
        }
    }

  switch (run->target->kind)
    {
    case DESK_TARGET_LOCAL_FOLDER:
      publish_to_folder (run);
      return TRUE;

    case DESK_TARGET_WEBHOOK:
      /* Sent again with the same idempotency key, a delivery that did
       * arrive is recognised by the receiver: the key is the look-up. */
      run->step = STEP_WEBHOOK;
      run_step (run);
      return TRUE;

    case DESK_TARGET_WORDPRESS:
    default:
      {
        gint64 key = run->target->id;
        const char *form = g_hash_table_lookup (self->verified, &key);
        const char *api = desk_target_get_setting (run->target, "api");

        run->tag_names = g_ptr_array_new_with_free_func (g_free);
        run->tag_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
        for (guint i = 0; run->copy->tags[i] != NULL; i++)
          g_ptr_array_add (run->tag_names, g_strdup (run->copy->tags[i]));
        if (run->copy->disclosure != DESK_VERDICT_NONE)
          g_ptr_array_add (run->tag_names, g_strdup ("sponsored"));

        run->remote_id = desk_store_dup_remote_id (self->store, run->job->release_id, run->target->id, NULL);
        run->rest_route = form != NULL ? g_str_equal (form, "rest_route") : g_strcmp0 (api, "rest_route") == 0;
        if (desk_target_get_setting (run->target, "url") == NULL)
          {
            fail_for_good (run, _("The WordPress target has no address"));
            return TRUE;
          }
        run->step = form == NULL ? STEP_VERIFY
                    : run->remote_id == NULL && run->may_have_reached ? STEP_FIND : STEP_TAG;
        run_step (run);
        return TRUE;
      }
    }
}

/* ---- the run ------------------------------------------------------------- */

static gboolean
on_timer (gpointer user_data)
{
  DeskPublisher *self = user_data;

  self->timer_source = 0;
  schedule_pump (self);
  return G_SOURCE_REMOVE;
}

static void
end_run (DeskPublisher *self,
         GError        *error)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->task);

  g_clear_handle_id (&self->timer_source, g_source_remove);
  g_hash_table_remove_all (self->secrets);
  g_hash_table_remove_all (self->targets);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/* What the publisher waits for, in words: "waiting for job #12: another
 * publisher holds it until 10:42:05", or "…: it is tried again at …". */
char *
desk_publisher_dup_waiting_text (gint64   job_id,
                                 gint64   until,
                                 gboolean held)
{
  g_autoptr(GDateTime) when = g_date_time_new_from_unix_local (until / G_USEC_PER_SEC);
  g_autofree char *clock = when != NULL ? g_date_time_format (when, "%H:%M:%S") : g_strdup ("?");

  return held ? g_strdup_printf (_("waiting for job #%" PRId64 ": another publisher holds it until %s"),
                                 job_id, clock)
              : g_strdup_printf (_("waiting for job #%" PRId64 ": it is tried again at %s"),
                                 job_id, clock);
}

/* Nothing in flight, and @job falls due at @next: says so (once per job
 * and time), and ends the run if that is beyond the longest wait.  FALSE
 * when the run ended. */
static gboolean
say_waiting (DeskPublisher *self,
             DeskOutboxJob *job,
             gint64         next)
{
  if (job == NULL)
    return TRUE;
  if (self->max_wait > 0 && next > self->run_started + (gint64) self->max_wait * G_USEC_PER_SEC)
    {
      g_autofree char *text = desk_publisher_dup_waiting_text (job->id, job->next_try_at, job->lease_owner != NULL);

      end_run (self, g_error_new (G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                                  _("Stopped after waiting %u s (%s); the job stays in the outbox"),
                                  self->max_wait, text));
      return FALSE;
    }
  if (job->id != self->waiting_job || job->next_try_at != self->waiting_until)
    {
      self->waiting_job = job->id;
      self->waiting_until = job->next_try_at;
      g_signal_emit (self, signals[SIGNAL_WAITING], 0, job->id, job->next_try_at, job->lease_owner != NULL);
    }
  return TRUE;
}

static gboolean
pump (gpointer user_data)
{
  DeskPublisher *self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean held = FALSE;
  gint64 next;

  self->pump_source = 0;
  /* What ended since the last turn is written whether or not a run goes on. */
  if (self->task == NULL)
    {
      write_results (self, FALSE, NULL);
      return G_SOURCE_REMOVE;
    }

  if (g_cancellable_is_cancelled (g_task_get_cancellable (self->task)))
    {
      write_results (self, FALSE, NULL);
      /* Jobs in flight settle as their replies are cancelled. */
      end_run (self, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Publishing was stopped")));
      return G_SOURCE_REMOVE;
    }

  /* One pass: a job settled at once (a local folder) schedules the next. */
  if (!write_results (self, TRUE, &error))
    {
      end_run (self, g_steal_pointer (&error));
      return G_SOURCE_REMOVE;
    }

  next = desk_store_get_next_try_at (self->store, NULL);
  if (next == 0 && g_hash_table_size (self->in_flight) == 0)
    {
      end_run (self, NULL);
      return G_SOURCE_REMOVE;
    }
  if (next > g_get_real_time ())
    {
      g_autoptr(DeskOutboxJob) waiting = desk_store_get_next_waiting (self->store, NULL);

      held = waiting != NULL && waiting->lease_owner != NULL;
      if (g_hash_table_size (self->in_flight) == 0 && !say_waiting (self, waiting, next))
        return G_SOURCE_REMOVE;
    }
  /* Wake up when the next job falls due; while every slot is taken, the
   * next job to settle wakes the publisher instead. */
  g_clear_handle_id (&self->timer_source, g_source_remove);
  if (next > 0 && g_hash_table_size (self->in_flight) < self->max_concurrent)
    {
      gint64 wait_ms = MAX ((next - g_get_real_time ()) / 1000, 1);

      /* Another publisher settles the job it holds long before its lease
       * runs out, and tells no one: look again every second. */
      if (held)
        wait_ms = MIN (wait_ms, HELD_JOB_POLL_MS);

      self->timer_source = g_timeout_add ((guint) MIN (wait_ms, G_MAXUINT), on_timer, self);
    }
  return G_SOURCE_REMOVE;
}

static void
schedule_pump (DeskPublisher *self)
{
  if (self->pump_source == 0)
    self->pump_source = g_idle_add (pump, self);
}

/* Sends every job in the outbox, and those queued meanwhile, until none
 * waits: each is then done or failed.  Jobs failed for good stay failed
 * (desk_store_retry_job() queues one again). */
void
desk_publisher_run_async (DeskPublisher       *self,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_return_if_fail (DESK_IS_PUBLISHER (self));
  g_return_if_fail (self->task == NULL);

  self->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (self->task, desk_publisher_run_async);
  g_hash_table_remove_all (self->verified);
  g_hash_table_remove_all (self->targets);
  self->run_started = g_get_real_time ();
  self->waiting_job = 0;
  self->waiting_until = 0;
  schedule_pump (self);
}

gboolean
desk_publisher_run_finish (DeskPublisher  *self,
                           GAsyncResult   *result,
                           GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

typedef struct {
  GMainContext *context;
  GAsyncResult *result;
} SyncRun;

static void
on_run_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  SyncRun *sync = user_data;

  sync->result = g_object_ref (result);
  g_main_context_wakeup (sync->context);
}

/* desk_publisher_run_async(), waiting on the thread-default main context
 * (for the command line and tests). */
gboolean
desk_publisher_run_sync (DeskPublisher  *self,
                         GCancellable   *cancellable,
                         GError        **error)
{
  SyncRun sync = { g_main_context_ref_thread_default (), NULL };
  gboolean ok;

  desk_publisher_run_async (self, cancellable, on_run_done, &sync);
  while (sync.result == NULL)
    g_main_context_iteration (sync.context, TRUE);
  /* Let the last replies' sources go, and their results be written. */
  while (g_hash_table_size (self->in_flight) > 0 || self->settled->len > 0)
    g_main_context_iteration (sync.context, TRUE);
  ok = desk_publisher_run_finish (self, sync.result, error);
  g_object_unref (sync.result);
  g_main_context_unref (sync.context);
  return ok;
}

/* ---- the object ---------------------------------------------------------- */

static void
desk_publisher_dispose (GObject *object)
{
  DeskPublisher *self = (DeskPublisher *) object;

  g_clear_handle_id (&self->pump_source, g_source_remove);
  g_clear_handle_id (&self->timer_source, g_source_remove);
  if (self->settled != NULL && self->store != NULL)
    write_results (self, FALSE, NULL);
  if (self->session != NULL)
    soup_session_abort (self->session);
  g_clear_object (&self->session);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (desk_publisher_parent_class)->dispose (object);
}

static void
desk_publisher_finalize (GObject *object)
{
  DeskPublisher *self = (DeskPublisher *) object;

  g_clear_pointer (&self->in_flight, g_hash_table_unref);
  g_clear_pointer (&self->settled, g_ptr_array_unref);
  g_clear_pointer (&self->secrets, g_hash_table_unref);
  g_clear_pointer (&self->targets, g_hash_table_unref);
  g_clear_pointer (&self->verified, g_hash_table_unref);
  g_clear_pointer (&self->tag_ids, g_hash_table_unref);

  G_OBJECT_CLASS (desk_publisher_parent_class)->finalize (object);
}

static void
desk_publisher_class_init (DeskPublisherClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = desk_publisher_dispose;
  object_class->finalize = desk_publisher_finalize;

  /**
   * DeskPublisher::waiting:
   * @job_id: the job that falls due next
   * @until: when, in µs since the epoch
   * @held: TRUE if another publisher holds it until then, FALSE if it
   *   waits to be tried again
   *
   * Nothing is being sent, and the run waits for a job; emitted once for
   * each job and time waited for.
   */
  signals[SIGNAL_WAITING] = g_signal_new ("waiting", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 3,
                                          G_TYPE_INT64, G_TYPE_INT64, G_TYPE_BOOLEAN);
}

static void
free_secret (gpointer secret)
{
  explicit_bzero (secret, strlen (secret));
  g_free (secret);
}

static void
desk_publisher_init (DeskPublisher *self)
{
  self->max_concurrent = DESK_PUBLISHER_MAX_CONCURRENT;
  self->timeout = DESK_PUBLISHER_TIMEOUT;
  self->first_backoff_ms = 1000;
  self->max_backoff_ms = 5 * 60 * 1000;
  self->max_attempts = DESK_PUBLISHER_MAX_ATTEMPTS;
  self->in_flight = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, (GDestroyNotify) job_run_free);
  self->settled = g_ptr_array_new_with_free_func ((GDestroyNotify) job_run_free);
  self->secrets = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, free_secret);
  self->targets = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, (GDestroyNotify) desk_target_free);
  self->verified = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  self->tag_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

static void
update_session (DeskPublisher *self)
{
  if (self->session != NULL)
    soup_session_abort (self->session);
  g_clear_object (&self->session);
  self->session = soup_session_new_with_options ("timeout", self->timeout,
                                                 "idle-timeout", 60,
                                                 "max-conns", self->max_concurrent * 2,
                                                 "max-conns-per-host", self->max_concurrent,
                                                 "user-agent", "Copydesk/" PACKAGE_VERSION " ",
                                                 NULL);
}

DeskPublisher *
desk_publisher_new (DeskStore *store)
{
  DeskPublisher *self;

  g_return_val_if_fail (DESK_IS_STORE (store), NULL);

  self = g_object_new (DESK_TYPE_PUBLISHER, NULL);
  self->store = g_object_ref (store);
  update_session (self);
  return self;
}

/* How long to wait for a target to answer (default 30 s). */
void
desk_publisher_set_timeout (DeskPublisher *self,
                            guint          seconds)
{
  g_return_if_fail (DESK_IS_PUBLISHER (self));
  g_return_if_fail (self->task == NULL);

  self->timeout = MAX (seconds, 1);
  update_session (self);
}

/* The first wait before another attempt, the longest wait, and how many
 * attempts a job gets before it fails for good. */
void
desk_publisher_set_backoff (DeskPublisher *self,
                            guint          first_ms,
                            guint          max_ms,
                            guint          max_attempts)
{
  g_return_if_fail (DESK_IS_PUBLISHER (self));

  self->first_backoff_ms = MAX (first_ms, 1);
  self->max_backoff_ms = MAX (max_ms, self->first_backoff_ms);
  self->max_attempts = MAX (max_attempts, 1);
}

/* How long a run waits, at most, for jobs that are not due (held by
 * another publisher, or waiting to be tried again) while it has nothing
 * to send: then it ends with G_IO_ERROR_TIMED_OUT, and the jobs stay in
 * the outbox.  0 (the default): as long as they wait. */
void
desk_publisher_set_max_wait (DeskPublisher *self,
                             guint          seconds)
{
  g_return_if_fail (DESK_IS_PUBLISHER (self));

  self->max_wait = seconds;
}
