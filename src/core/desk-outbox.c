/* desk-outbox.c — publish targets and the outbox of publish jobs
 *
 * Publishing is two steps.  desk_store_publish() queues a job: a row, so
 * that it survives quitting; the release stays approved.  The publisher
 * (desk-publisher.c) sends it, and desk_store_job_complete() records where
 * the copy went and moves the release to published, in one transaction.
 * A job whose attempt started ("sending") may have reached the target: the
 * publisher looks for it there before sending it again.
 *
 * Several publishers (windows, command lines, machines) may share one
 * store.  An attempt takes its job with a compare-and-set that names a
 * lease token and an expiry (next_try_at); every later write of the job
 * names the token, so that a publisher whose lease ran out and was taken
 * over cannot record a stale result.  A release has one remote identity
 * per target (remote_identities) for its whole life: its slug and
 * idempotency key, whether any attempt may have reached the target, and
 * the remote id as soon as it is known.  It outlives jobs, so that every
 * later job, after a failure, a give-up, a new publish or a target's
 * removal and return, looks the copy up or updates it and never makes a
 * second post.
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
#include "desk-describe.h"
#include "desk-outbox.h"
#include "desk-redact.h"
#include "desk-secrets.h"
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

DeskJobState
desk_job_state_from_string (const char *name)
{
  for (guint i = 0; name != NULL && i < G_N_ELEMENTS (state_names); i++)
    if (g_str_equal (name, state_names[i]))
      return (DeskJobState) i;
  return DESK_JOB_FAILED;
}

char *
desk_target_dup_folder (const DeskTarget *target,
                        DeskExportFormat *out_format)
{
  const char *folder = desk_target_get_setting (target, "folder");
  const char *format_name = desk_target_get_setting (target, "format");
  const char *env = g_getenv ("COPYDESK_PUBLISH_DIR");
  const char *documents = g_get_user_special_dir (G_USER_DIRECTORY_DOCUMENTS);

  *out_format = DESK_EXPORT_HTML;
  if (format_name != NULL)
    desk_export_format_from_string (format_name, out_format);
  if (folder != NULL && *folder != '\0')
    return g_strdup (folder);
  if (env != NULL && *env != '\0')
    return g_strdup (env);
  if (documents != NULL)
    return g_build_filename (documents, "Copydesk", NULL);
  return g_build_filename (g_get_user_data_dir (), "copydesk", "published", NULL);
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
  g_free (job->lease_owner);
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
  target->removed = sqlite3_column_int (stmt, 5) != 0;
  return target;
}

#define TARGET_COLUMNS "id, kind, name, settings, enabled, removed_at IS NOT NULL"

static gboolean
is_web_address (const char *text)
{
  g_autoptr(GUri) uri = text != NULL ? g_uri_parse (text, G_URI_FLAGS_NONE, NULL) : NULL;

  return uri != NULL && g_uri_get_host (uri) != NULL && *g_uri_get_host (uri) != '\0' &&
         (g_ascii_strcasecmp (g_uri_get_scheme (uri), "http") == 0 ||
          g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") == 0);
}

static gboolean
is_blank (const char *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    if (!g_unichar_isspace (g_utf8_get_char (p)))
      return FALSE;
  return TRUE;
}

/* The one rule for what a target needs, asked by the command line and
 * the window alike, when a target is added and when it is edited: a name;
 * for WordPress an http(s) address and a user, for a webhook an http(s)
 * address; a known post status, API form and file format; a numeric
 * category.  @needs_secret: the target is new, so a WordPress or webhook
 * target needs its @secret too.  @settings never holds the secret. */
gboolean
desk_target_check (DeskTargetKind   kind,
                   const char      *name,
                   JsonObject      *settings,
                   gboolean         needs_secret,
                   const char      *secret,
                   GError         **error)
{
  DeskTarget probe = { 0, kind, (char *) name, settings, TRUE, FALSE };
  const char *url = desk_target_get_setting (&probe, "url");
  const char *user = desk_target_get_setting (&probe, "user");
  const char *status = desk_target_get_setting (&probe, "status");
  const char *api = desk_target_get_setting (&probe, "api");
  const char *format = desk_target_get_setting (&probe, "format");
  const char *category = desk_target_get_setting (&probe, "category");
  DeskExportFormat export_format;
  guint64 number;

  if (name == NULL || !g_utf8_validate (name, -1, NULL) || is_blank (name))
    {
      g_set_error (error, DESK_ERROR, DESK_ERROR_INVALID_INPUT, _("A target needs a name"));
      return FALSE;
    }
  for (const char *p = name; *p != '\0'; p = g_utf8_next_char (p))
    if (g_unichar_iscntrl (g_utf8_get_char (p)))
      {
        g_set_error (error, DESK_ERROR, DESK_ERROR_INVALID_INPUT,
                     _("A target’s name cannot hold control characters"));
        return FALSE;
      }
  if (kind != DESK_TARGET_LOCAL_FOLDER && (url == NULL || *url == '\0'))
    {
      g_set_error (error, DESK_ERROR, DESK_ERROR_INVALID_INPUT,
                   kind == DESK_TARGET_WORDPRESS ? _("A WordPress target needs the site’s address")
                                                 : _("A webhook target needs the address to POST to"));
      return FALSE;
    }
  if (kind != DESK_TARGET_LOCAL_FOLDER && !is_web_address (url))
    {
      g_set_error (error, DESK_ERROR, DESK_ERROR_INVALID_INPUT,
                   _("“%s” is not an http:// or https:// address"), url);
      return FALSE;
    }
  if (kind == DESK_TARGET_WORDPRESS && (user == NULL || *user == '\0'))
    {
      g_set_error (error, DESK_ERROR, DESK_ERROR_INVALID_INPUT,
                   _("A WordPress target needs the user name"));
      return FALSE;
    }
  if (status != NULL && !g_str_equal (status, "draft") && !g_str_equal (status, "pending") &&
      !g_str_equal (status, "publish"))
    {
      g_set_error (error, DESK_ERROR, DESK_ERROR_INVALID_INPUT,
                   _("The post status is draft, pending or publish, not “%s”"), status);
      return FALSE;
    }
  if (api != NULL && !g_str_equal (api, "wp-json") && !g_str_equal (api, "rest_route"))
    {
      g_set_error (error, DESK_ERROR, DESK_ERROR_INVALID_INPUT,
                   _("The API form is wp-json or rest_route, not “%s”"), api);
      return FALSE;
    }
  if (format != NULL && !desk_export_format_from_string (format, &export_format))
    {
      g_set_error (error, DESK_ERROR, DESK_ERROR_INVALID_INPUT,
                   _("The file format is txt, md, html or ninjs, not “%s”"), format);
      return FALSE;
    }
  if (category != NULL && !g_ascii_string_to_unsigned (category, 10, 1, G_MAXINT64, &number, NULL))
    {
      g_set_error (error, DESK_ERROR, DESK_ERROR_INVALID_INPUT,
                   _("The category is a WordPress category’s number, not “%s”"), category);
      return FALSE;
    }
  if (needs_secret && kind != DESK_TARGET_LOCAL_FOLDER && (secret == NULL || *secret == '\0'))
    {
      g_set_error (error, DESK_ERROR, DESK_ERROR_INVALID_INPUT,
                   kind == DESK_TARGET_WORDPRESS ? _("A WordPress target needs its application password")
                                                 : _("A webhook target needs its shared secret"));
      return FALSE;
    }
  return TRUE;
}

/* A target's settings as the targets table keeps them, on either desk. */
char *
desk_target_settings_to_json (JsonObject *settings)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  if (settings != NULL)
    json_node_set_object (node, settings);
  else
    json_node_take_object (node, json_object_new ());
  return json_to_string (node, FALSE);
}

/* @changes applied to @target's settings as an edit makes them (a null
 * member clears that setting), and the result checked as an added target
 * is, under its name after the edit (@new_name, or its own).  Its settings
 * as the table keeps them, or NULL, having said why: a removed target is
 * not edited.  Both desks edit a target through this. */
char *
desk_target_apply_changes (DeskTarget  *target,
                           const char  *new_name,
                           JsonObject  *changes,
                           GError     **error)
{
  if (target->removed)
    {
      g_set_error (error, DESK_ERROR, DESK_ERROR_NOT_FOUND,
                   _("The target “%s” was removed: add it again to use it"), target->name);
      return NULL;
    }
  if (changes != NULL)
    {
      g_autoptr(GList) members = json_object_get_members (changes);

      for (GList *l = members; l != NULL; l = l->next)
        {
          JsonNode *value = json_object_get_member (changes, l->data);

          if (JSON_NODE_HOLDS_NULL (value))
            json_object_remove_member (target->settings, l->data);
          else
            json_object_set_member (target->settings, l->data, json_node_copy (value));
        }
    }
  if (!desk_target_check (target->kind, new_name != NULL ? new_name : target->name,
                          target->settings, FALSE, NULL, error))
    return NULL;
  return desk_target_settings_to_json (target->settings);
}

/* Brings back the removed target named @name, of @kind, with @json as its
 * settings: the same id, so its jobs and remote identities are its own
 * again and nothing it published is posted twice.  0 when there is none. */
static gint64
revive_target (DeskStore       *store,
               DeskTargetKind   kind,
               const char      *name,
               const char      *json,
               GError         **error)
{
  g_auto(DeskStmt) stmt = _desk_store_prepare (store,
    "SELECT id, kind FROM targets WHERE name = ? AND removed_at IS NOT NULL", error);
  gint64 id;

  if (stmt == NULL)
    return -1;
  bind_text (stmt, 1, name);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return 0;
  id = sqlite3_column_int64 (stmt, 0);
  if (g_strcmp0 ((const char *) sqlite3_column_text (stmt, 1), desk_target_kind_to_string (kind)) != 0)
    {
      g_set_error (error, DESK_ERROR, DESK_ERROR_DUPLICATE,
                   _("A removed target named “%s” was a %s target: give this one another name"),
                   name, (const char *) sqlite3_column_text (stmt, 1));
      return -1;
    }
  sqlite3_reset (stmt);

  {
    g_auto(DeskStmt) update = _desk_store_prepare (store,
      "UPDATE targets SET settings = ?2, enabled = 1, removed_at = NULL WHERE id = ?1 AND removed_at IS NOT NULL",
      error);

    if (update == NULL)
      return -1;
    sqlite3_bind_int64 (update, 1, id);
    bind_text (update, 2, json);
    if (!_desk_store_step_done (store, update, _("Could not add the target"), error))
      return -1;
  }
  return id;
}

/* Adds a target.  @settings must hold no secret: see desk-secrets.h.  A
 * target removed before under the same name (and of the same kind) comes
 * back with its id, its history and its remote identities. */
gint64
desk_store_add_target (DeskStore       *store,
                       DeskTargetKind   kind,
                       const char      *name,
                       JsonObject      *settings,
                       GError         **error)
{
  g_autofree char *json = NULL;
  gint64 id;

  g_return_val_if_fail (DESK_IS_STORE (store), 0);

  if (!desk_target_check (kind, name, settings, FALSE, NULL, error))
    return 0;
  json = desk_target_settings_to_json (settings);

  if (!_desk_store_begin (store, error))
    return 0;
  id = revive_target (store, kind, name, json, error);
  if (id < 0)
    goto failed;
  if (id == 0)
    {
      g_auto(DeskStmt) stmt = _desk_store_prepare (store,
        "INSERT INTO targets (kind, name, settings, enabled, created_at) VALUES (?, ?, ?, 1, ?)", error);

      if (stmt == NULL)
        goto failed;
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
          goto failed;
        }
      id = sqlite3_last_insert_rowid (_desk_store_get_db (store));
    }
  if (!_desk_store_commit (store, error))
    goto failed;
  return id;

failed:
  _desk_store_rollback (store);
  return 0;
}

/* Changes a target in place: its id, jobs and remote identities stay, so
 * the copy it already published is updated, never posted again.  Each
 * member of @changes replaces that setting (a null member removes it);
 * @new_name, if not NULL, renames it.  The result must pass
 * desk_target_check().  The secret is not a setting: see
 * desk_store_set_target_secret(). */
gboolean
desk_store_edit_target (DeskStore    *store,
                        gint64        target_id,
                        const char   *new_name,
                        JsonObject   *changes,
                        GError      **error)
{
  g_autoptr(DeskTarget) target = NULL;
  g_autofree char *json = NULL;
  const char *name;

  g_return_val_if_fail (DESK_IS_STORE (store), FALSE);

  target = desk_store_get_target (store, target_id, error);
  if (target == NULL)
    return FALSE;
  json = desk_target_apply_changes (target, new_name, changes, error);
  if (json == NULL)
    return FALSE;
  name = new_name != NULL ? new_name : target->name;

  {
    g_auto(DeskStmt) stmt = _desk_store_prepare (store,
      "UPDATE targets SET name = ?2, settings = ?3 WHERE id = ?1 AND removed_at IS NULL", error);

    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_int64 (stmt, 1, target_id);
    bind_text (stmt, 2, name);
    bind_text (stmt, 3, json);
    if (sqlite3_step (stmt) != SQLITE_DONE)
      {
        if (sqlite3_extended_errcode (_desk_store_get_db (store)) == SQLITE_CONSTRAINT_UNIQUE)
          g_set_error (error, DESK_ERROR, DESK_ERROR_DUPLICATE,
                       _("There is already a target named “%s”"), name);
        else
          _desk_store_set_db_error (store, error, _("Could not change the target"));
        return FALSE;
      }
    if (sqlite3_changes (_desk_store_get_db (store)) == 0)
      {
        g_set_error (error, DESK_ERROR, DESK_ERROR_NOT_FOUND,
                     _("There is no target #%" PRId64), target_id);
        return FALSE;
      }
  }
  return TRUE;
}

/* Removes a target that has no job waiting.  It is kept, marked
 * removed, with its finished jobs and remote identities: adding a target
 * of the same name again brings it back without posting anything twice. */
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
    g_auto(DeskStmt) stmt = _desk_store_prepare (store,
      "UPDATE targets SET removed_at = ?2 WHERE id = ?1 AND removed_at IS NULL", error);

    if (stmt == NULL)
      goto failed;
    sqlite3_bind_int64 (stmt, 1, target_id);
    sqlite3_bind_int64 (stmt, 2, g_get_real_time ());
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
    "SELECT " TARGET_COLUMNS " FROM targets WHERE removed_at IS NULL ORDER BY id", error);
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
    "SELECT " TARGET_COLUMNS " FROM targets WHERE name = ? AND removed_at IS NULL", error);

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
  if (target->removed)
    {
      g_set_error (error, DESK_ERROR, DESK_ERROR_NOT_FOUND,
                   _("The target “%s” was removed"), target->name);
      return 0;
    }
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

  /* The release's identity on the target: its slug is chosen once, at
   * the first queueing, and every later job looks for that slug. */
  {
    g_auto(DeskStmt) stmt = _desk_store_prepare (store,
      "INSERT INTO remote_identities (release_id, target_id, slug, idempotency_key, attempted,"
      " created_at, updated_at) VALUES (?1, ?2, ?3, ?4, 0, ?5, ?5)"
      " ON CONFLICT (release_id, target_id) DO UPDATE SET idempotency_key = excluded.idempotency_key,"
      " updated_at = excluded.updated_at", error);

    if (stmt == NULL)
      goto failed;
    sqlite3_bind_int64 (stmt, 1, release_id);
    sqlite3_bind_int64 (stmt, 2, target_id);
    bind_text (stmt, 3, slug);
    bind_text (stmt, 4, key);
    sqlite3_bind_int64 (stmt, 5, now);
    if (!_desk_store_step_done (store, stmt, _("Could not queue the release"), error))
      goto failed;
  }
  {
    g_auto(DeskStmt) stmt = _desk_store_prepare (store,
      "SELECT slug FROM remote_identities WHERE release_id = ? AND target_id = ?", error);

    if (stmt == NULL)
      goto failed;
    sqlite3_bind_int64 (stmt, 1, release_id);
    sqlite3_bind_int64 (stmt, 2, target_id);
    if (sqlite3_step (stmt) == SQLITE_ROW)
      {
        g_free (slug);
        slug = _desk_column_dup (stmt, 0);
      }
  }

  {
    g_auto(DeskStmt) stmt = _desk_store_prepare (store,
      "INSERT INTO outbox (release_id, target_id, revision_id, sha256, slug, idempotency_key, payload,"
      " state, attempts, next_try_at, actor, created_at, updated_at)"
      " SELECT ?1, ?2, approved_revision_id, ?3, ?4, ?5, ?6, 'pending', 0,"
      /* an embargoed release waits in the outbox until its embargo ends */
      "   max (?7, coalesce (embargo_at, 0)), ?8, ?7, ?7"
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

  /* The target as the editor knows it: the desk's own folder in words,
   * not its id. */
  note = g_strdup_printf (_("to %s"), desk_target_get_display_name (target->name));
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
  " o.last_error, o.actor, o.created_at, o.updated_at, o.lease_owner"

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
  job->state = desk_job_state_from_string ((const char *) sqlite3_column_text (stmt, 9));
  job->attempts = (guint) sqlite3_column_int (stmt, 10);
  job->next_try_at = sqlite3_column_int64 (stmt, 11);
  job->remote_id = _desk_column_dup (stmt, 12);
  job->remote_url = _desk_column_dup (stmt, 13);
  job->last_error = _desk_column_dup (stmt, 14);
  job->actor = _desk_column_dup (stmt, 15);
  job->created_at = sqlite3_column_int64 (stmt, 16);
  job->updated_at = sqlite3_column_int64 (stmt, 17);
  job->lease_owner = _desk_column_dup (stmt, 18);
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

/* The ids of the jobs due at @now, in the order they fell due.  A job an
 * attempt holds is due only when its lease has run out (next_try_at is
 * the lease's end), so jobs another publisher holds are not listed. */
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

/* The SHA-256 of release @release_id's approval, for a job that carries
 * its payload (a webhook's): what goes out is the payload, rendered from
 * the approved copy and checked against its SHA-256 when it was queued,
 * so the text need not be read and hashed again.  Still refused, with
 * desk_approved_copy_load()'s errors, is copy that is no longer approved
 * and an approval whose revision is not the release's or not of that
 * SHA-256.  Loading the release and its revision and hashing the text was
 * a sixth of the publisher's instructions a delivery (bench-publish). */
char *
desk_store_dup_approved_sha256 (DeskStore  *store,
                                gint64      release_id,
                                GError    **error)
{
  g_auto(DeskStmt) stmt = _desk_store_prepare (store,
    "SELECT r.status, r.approved_sha256, v.release_id, v.sha256 FROM releases r"
    " LEFT JOIN revisions v ON v.id = r.approved_revision_id WHERE r.id = ?", error);
  const char *approved_sha256;
  DeskStatus status = DESK_STATUS_NEW;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, release_id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      g_set_error (error, DESK_ERROR, DESK_ERROR_NOT_FOUND,
                   _("There is no release #%" PRId64), release_id);
      return NULL;
    }
  desk_status_from_string ((const char *) sqlite3_column_text (stmt, 0), &status);
  if (!desk_status_has_approved_copy (status))
    {
      g_set_error (error, DESK_ERROR, DESK_ERROR_NOT_APPROVED,
                   _("Release #%" PRId64 " is %s, not approved: only approved copy goes out"),
                   release_id, desk_status_get_label (status));
      return NULL;
    }
  approved_sha256 = (const char *) sqlite3_column_text (stmt, 1);
  if (approved_sha256 == NULL || sqlite3_column_type (stmt, 2) == SQLITE_NULL)
    {
      g_set_error (error, DESK_ERROR, DESK_ERROR_NOT_APPROVED,
                   _("Release #%" PRId64 " names no approved revision: approve it again"),
                   release_id);
      return NULL;
    }
  if (sqlite3_column_int64 (stmt, 2) != release_id ||
      g_strcmp0 ((const char *) sqlite3_column_text (stmt, 3), approved_sha256) != 0)
    {
      g_set_error (error, DESK_ERROR, DESK_ERROR_NOT_AS_APPROVED,
                   _("The text of release #%" PRId64 " is not the text that was approved "
                     "(its SHA-256 differs): approve it again before it goes out"),
                   release_id);
      return NULL;
    }
  return g_strdup (approved_sha256);
}

/* Where the release already is on the target: the remote id of its
 * remote identity there, or NULL. */
char *
desk_store_dup_remote_id (DeskStore  *store,
                          gint64      release_id,
                          gint64      target_id,
                          char      **out_url)
{
  g_auto(DeskStmt) stmt = _desk_store_prepare (store,
    "SELECT remote_id, remote_url FROM remote_identities WHERE release_id = ? AND target_id = ?"
    " AND remote_id IS NOT NULL", NULL);

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

/* Explains why a write of job @job_id under @lease_owner changed
 * nothing: another attempt holds it now, or took it over and settled it
 * (DESK_ERROR_LEASE_LOST), or no attempt held it and it is settled. */
static void
set_not_held_error (DeskStore   *store,
                    gint64       job_id,
                    const char  *lease_owner,
                    GError     **error)
{
  g_autoptr(DeskOutboxJob) job = desk_store_get_job (store, job_id, NULL);

  if (job != NULL && (job->state <= DESK_JOB_SENDING || lease_owner != NULL))
    g_set_error (error, DESK_ERROR, DESK_ERROR_LEASE_LOST,
                 _("Another publisher took over job #%" PRId64 " when this one’s lease ran out; "
                   "this attempt’s result is not recorded"), job_id);
  else
    g_set_error (error, DESK_ERROR, DESK_ERROR_NOT_FOUND,
                 _("There is no job #%" PRId64 " waiting in the outbox"), job_id);
}

/* Runs @sql, an UPDATE of job ?1 that holds only while lease ?6 holds it:
 * ?2 is now, ?3 a time, ?4 and ?5 texts. */
static gboolean
update_held_job (DeskStore   *store,
                 const char  *sql,
                 gint64       job_id,
                 const char  *lease_owner,
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
  bind_text (stmt, 6, lease_owner);
  if (!_desk_store_step_done (store, stmt, _("Could not update the outbox"), error))
    return FALSE;
  if (sqlite3_changes (_desk_store_get_db (store)) == 0)
    {
      set_not_held_error (store, job_id, lease_owner, error);
      return FALSE;
    }
  return TRUE;
}

/* Records that an attempt of @job_id may reach its target, giving it a
 * remote identity if it was queued before they were kept; says in
 * @out_may_have_reached whether an earlier attempt may have reached it. */
static gboolean
record_attempt (DeskStore  *store,
                gint64      job_id,
                gint64      now,
                gboolean   *out_may_have_reached,
                GError    **error)
{
  {
    g_auto(DeskStmt) stmt = _desk_store_prepare (store,
      "INSERT INTO remote_identities (release_id, target_id, slug, idempotency_key, attempted,"
      " created_at, updated_at) SELECT release_id, target_id, slug, idempotency_key, 0, ?2, ?2"
      " FROM outbox WHERE id = ?1 ON CONFLICT (release_id, target_id) DO NOTHING", error);

    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_int64 (stmt, 1, job_id);
    sqlite3_bind_int64 (stmt, 2, now);
    if (!_desk_store_step_done (store, stmt, _("Could not update the outbox"), error))
      return FALSE;
  }
  {
    g_auto(DeskStmt) stmt = _desk_store_prepare (store,
      "SELECT i.attempted FROM remote_identities i JOIN outbox o"
      " ON o.release_id = i.release_id AND o.target_id = i.target_id WHERE o.id = ?", error);

    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_int64 (stmt, 1, job_id);
    if (sqlite3_step (stmt) == SQLITE_ROW && out_may_have_reached != NULL)
      *out_may_have_reached = sqlite3_column_int (stmt, 0) != 0;
  }
  {
    g_auto(DeskStmt) stmt = _desk_store_prepare (store,
      "UPDATE remote_identities SET attempted = 1, updated_at = ?2"
      " WHERE (release_id, target_id) = (SELECT release_id, target_id FROM outbox WHERE id = ?1)", error);

    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_int64 (stmt, 1, job_id);
    sqlite3_bind_int64 (stmt, 2, now);
    return _desk_store_step_done (store, stmt, _("Could not update the outbox"), error);
  }
}

/* The jobs taken under lease ?1 until ?3, found by the due jobs' index. */
#define JUST_TAKEN "next_try_at = ?3 AND state IN ('pending', 'sending') AND lease_owner = ?1"

/* record_attempt() for every job just taken under @lease_owner (a token
 * of this batch's own, so the jobs it names are exactly @claims), in three
 * statements for the batch rather than three a job: the same remote
 * identities made, the same "may have reached" read before it is set.
 * (A release has at most one job waiting for a target, so no two of a
 * batch share a remote identity.) */
static gboolean
record_attempts (DeskStore   *store,
                 const char  *lease_owner,
                 gint64       lease_until,
                 gint64       now,
                 GArray      *claims,
                 GError     **error)
{
  g_autoptr(GHashTable) index = g_hash_table_new (g_int64_hash, g_int64_equal);
  int rc;

  for (guint i = 0; i < claims->len; i++)
    {
      DeskJobClaim *claim = &g_array_index (claims, DeskJobClaim, i);

      g_hash_table_insert (index, &claim->job_id, claim);
    }
  {
    g_auto(DeskStmt) stmt = _desk_store_prepare (store,
      "INSERT INTO remote_identities (release_id, target_id, slug, idempotency_key, attempted,"
      " created_at, updated_at) SELECT release_id, target_id, slug, idempotency_key, 0, ?2, ?2"
      " FROM outbox WHERE " JUST_TAKEN
      " ON CONFLICT (release_id, target_id) DO NOTHING", error);

    if (stmt == NULL)
      return FALSE;
    bind_text (stmt, 1, lease_owner);
    sqlite3_bind_int64 (stmt, 2, now);
    sqlite3_bind_int64 (stmt, 3, lease_until);
    if (!_desk_store_step_done (store, stmt, _("Could not update the outbox"), error))
      return FALSE;
  }
  {
    g_auto(DeskStmt) stmt = _desk_store_prepare (store,
      "SELECT o.id, i.attempted FROM outbox o JOIN remote_identities i"
      " ON i.release_id = o.release_id AND i.target_id = o.target_id"
      " WHERE o.next_try_at = ?3 AND o.state IN ('pending', 'sending') AND o.lease_owner = ?1", error);

    if (stmt == NULL)
      return FALSE;
    bind_text (stmt, 1, lease_owner);
    sqlite3_bind_int64 (stmt, 3, lease_until);
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
      {
        gint64 job_id = sqlite3_column_int64 (stmt, 0);
        DeskJobClaim *claim = g_hash_table_lookup (index, &job_id);

        if (claim != NULL)
          claim->may_have_reached = sqlite3_column_int (stmt, 1) != 0;
      }
    if (rc != SQLITE_DONE)
      {
        _desk_store_set_db_error (store, error, _("Could not read the outbox"));
        return FALSE;
      }
  }
  {
    g_auto(DeskStmt) stmt = _desk_store_prepare (store,
      "UPDATE remote_identities SET attempted = 1, updated_at = ?2"
      " WHERE (release_id, target_id) IN"
      " (SELECT release_id, target_id FROM outbox WHERE " JUST_TAKEN ")", error);

    if (stmt == NULL)
      return FALSE;
    bind_text (stmt, 1, lease_owner);
    sqlite3_bind_int64 (stmt, 2, now);
    sqlite3_bind_int64 (stmt, 3, lease_until);
    return _desk_store_step_done (store, stmt, _("Could not update the outbox"), error);
  }
}

/* An attempt starts: from now on the copy may reach the target even if
 * no answer comes back, so the job is "sending" until it is settled.  The
 * attempt takes the job by a compare-and-set: only a job that waits, or
 * whose last attempt's lease has run out, and only one publisher of all
 * that try at once.  It then holds the job until @lease_until under the
 * token @lease_owner; another publisher (or this one after a crash)
 * takes it up again only then, and looks for it at the target first.
 * FALSE with DESK_ERROR_LEASE_LOST when another publisher holds it.
 * *@out_may_have_reached: some attempt of any job of this release and
 * target started before, so the copy may be there already. */
gboolean
desk_store_job_begin_attempt (DeskStore  *store,
                              gint64      job_id,
                              const char *lease_owner,
                              gint64      lease_until,
                              gboolean   *out_may_have_reached,
                              GError    **error)
{
  gint64 now = g_get_real_time ();

  g_return_val_if_fail (lease_owner != NULL, FALSE);

  if (out_may_have_reached != NULL)
    *out_may_have_reached = FALSE;
  if (!_desk_store_begin (store, error))
    return FALSE;

  {
    g_auto(DeskStmt) stmt = _desk_store_prepare (store,
      "UPDATE outbox SET state = 'sending', attempts = attempts + 1, next_try_at = ?3, lease_owner = ?4,"
      " updated_at = ?2 WHERE id = ?1 AND state IN ('pending', 'sending') AND next_try_at <= ?2"
      " AND NOT EXISTS (SELECT 1 FROM releases r WHERE r.id = outbox.release_id AND r.embargo_at > ?2)", error);

    if (stmt == NULL)
      goto failed;
    sqlite3_bind_int64 (stmt, 1, job_id);
    sqlite3_bind_int64 (stmt, 2, now);
    sqlite3_bind_int64 (stmt, 3, lease_until);
    bind_text (stmt, 4, lease_owner);
    if (!_desk_store_step_done (store, stmt, _("Could not update the outbox"), error))
      goto failed;
    if (sqlite3_changes (_desk_store_get_db (store)) == 0)
      {
        g_autoptr(DeskOutboxJob) job = desk_store_get_job (store, job_id, NULL);

        if (job != NULL && job->state <= DESK_JOB_SENDING)
          g_set_error (error, DESK_ERROR, DESK_ERROR_LEASE_LOST,
                       job->lease_owner != NULL
                       ? _("Job #%" PRId64 " is held by another publisher")
                       : _("Job #%" PRId64 " is not due yet"), job_id);
        else
          g_set_error (error, DESK_ERROR, DESK_ERROR_NOT_FOUND,
                       _("There is no job #%" PRId64 " waiting in the outbox"), job_id);
        goto failed;
      }
  }
  if (!record_attempt (store, job_id, now, out_may_have_reached, error))
    goto failed;
  return _desk_store_commit (store, error);

failed:
  _desk_store_rollback (store);
  return FALSE;
}

/* Holds the job longer, while @lease_owner still holds it: before a
 * request that may make a post, so that no other publisher takes the job
 * up while it is on its way. */
gboolean
desk_store_job_renew_lease (DeskStore   *store,
                            gint64       job_id,
                            const char  *lease_owner,
                            gint64       lease_until,
                            GError     **error)
{
  return update_held_job (store,
    "UPDATE outbox SET next_try_at = ?3, updated_at = ?2"
    " WHERE id = ?1 AND state = 'sending' AND lease_owner IS ?6",
    job_id, lease_owner, lease_until, NULL, NULL, error);
}

/* Where the job's copy is on its target, as soon as that is known: kept
 * in the release's remote identity there, whether or not the attempt
 * still holds the job, since it is a fact about the target. */
gboolean
desk_store_job_record_remote (DeskStore   *store,
                              gint64       job_id,
                              const char  *remote_id,
                              const char  *remote_url,
                              GError     **error)
{
  g_auto(DeskStmt) stmt = _desk_store_prepare (store,
    "UPDATE remote_identities SET remote_id = ?2, remote_url = ?3, attempted = 1, updated_at = ?4"
    " WHERE (release_id, target_id) = (SELECT release_id, target_id FROM outbox WHERE id = ?1)", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, job_id);
  bind_text (stmt, 2, remote_id);
  bind_text (stmt, 3, remote_url);
  sqlite3_bind_int64 (stmt, 4, g_get_real_time ());
  return _desk_store_step_done (store, stmt, _("Could not update the outbox"), error);
}

/* The attempt failed for now: the job waits until @next_try_at, held by
 * no one.  @message is stored redacted. */
gboolean
desk_store_job_retry_later (DeskStore   *store,
                            gint64       job_id,
                            const char  *lease_owner,
                            gint64       next_try_at,
                            const char  *message,
                            GError     **error)
{
  g_autofree char *redacted = desk_redact (message, NULL);

  return update_held_job (store,
    "UPDATE outbox SET next_try_at = ?3, last_error = ?4, lease_owner = NULL, updated_at = ?2"
    " WHERE id = ?1 AND state IN ('pending', 'sending') AND lease_owner IS ?6",
    job_id, lease_owner, next_try_at, redacted, NULL, error);
}

/* The job failed for good: recorded on the job and as an event, with
 * @message redacted. */
gboolean
desk_store_job_fail (DeskStore   *store,
                     gint64       job_id,
                     const char  *lease_owner,
                     const char  *message,
                     GError     **error)
{
  g_autoptr(DeskOutboxJob) job = desk_store_get_job (store, job_id, error);
  g_autofree char *redacted = desk_redact (message, NULL);

  if (job == NULL || !_desk_store_begin (store, error))
    return FALSE;
  if (!update_held_job (store,
        "UPDATE outbox SET state = 'failed', last_error = ?4, lease_owner = NULL, updated_at = ?2"
        " WHERE id = ?1 AND state IN ('pending', 'sending') AND lease_owner IS ?6",
        job_id, lease_owner, 0, redacted, NULL, error) ||
      !_desk_store_insert_event (store, job->release_id, job->actor, "publish-failed", NULL, NULL,
                                 redacted, error) ||
      !_desk_store_commit (store, error))
    {
      _desk_store_rollback (store);
      return FALSE;
    }
  return TRUE;
}

/* The job reached its target: records where (on the job and in the
 * release's remote identity), and moves the release from approved to
 * published, with an event, in one transaction, while @lease_owner still
 * holds the job.  (A release published to another target first is
 * published already.) */
gboolean
desk_store_job_complete (DeskStore   *store,
                         gint64       job_id,
                         const char  *lease_owner,
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
  if (!update_held_job (store,
        "UPDATE outbox SET state = 'done', last_error = NULL, remote_id = ?4, remote_url = ?5,"
        " lease_owner = NULL, updated_at = ?2"
        " WHERE id = ?1 AND state IN ('pending', 'sending') AND lease_owner IS ?6",
        job_id, lease_owner, 0, remote_id, remote_url, error) ||
      !desk_store_job_record_remote (store, job_id, remote_id, remote_url, error) ||
      !_desk_store_move_status (store, job->release_id, DESK_STATUS_PUBLISHED, &from, &moved, error))
    goto failed;

  note = remote_url != NULL ? g_strdup_printf ("%s: %s", desk_target_get_display_name (job->target_name), remote_url)
                            : g_strdup (desk_target_get_display_name (job->target_name));
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

/* ---- many jobs at a time ------------------------------------------------- */

/* Takes up to @limit due jobs by one lease, @lease_owner until
 * @lease_until, in one transaction: what desk_store_job_begin_attempt()
 * does for one job, for as many as the publisher has room for.  Listing
 * the due jobs and taking each by a transaction of its own was two
 * statements and a commit a job, and every commit a wait for the
 * store's lock while other publishers write.  The jobs are taken by the
 * same compare-and-set: a job another publisher took meanwhile is simply
 * not among them.  An array of DeskJobClaim, in the order the jobs fell
 * due (empty when none is due). */
static GArray *
claim_due (DeskStore   *store,
           guint        limit,
           const char  *lease_owner,
           gint64       lease_until,
           GError     **error)
{
  g_autoptr(GArray) claims = g_array_new (FALSE, FALSE, sizeof (DeskJobClaim));
  gint64 now = g_get_real_time ();
  int rc;

  if (limit == 0)
    return g_steal_pointer (&claims);
  /* The due jobs are listed, then each taken by an update of its own
   * row, in the same transaction: one update of many rows kept a
   * statement journal of every page it changed, and a job's row holds
   * its payload, so that journal spilled into a temporary file at every
   * batch (created, written and removed: a fifth of the batch's writes). */
  {
    g_auto(DeskStmt) stmt = _desk_store_prepare (store,
      "SELECT o.id FROM outbox o WHERE o.state IN ('pending', 'sending') AND o.next_try_at <= ?1"
      " AND NOT EXISTS (SELECT 1 FROM releases r WHERE r.id = o.release_id AND r.embargo_at > ?1)"
      " ORDER BY o.next_try_at, o.id LIMIT ?2", error);

    if (stmt == NULL)
      goto failed;
    sqlite3_bind_int64 (stmt, 1, now);
    sqlite3_bind_int64 (stmt, 2, limit);
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
      {
        DeskJobClaim claim = { sqlite3_column_int64 (stmt, 0), FALSE };

        g_array_append_val (claims, claim);
      }
    if (rc != SQLITE_DONE)
      {
        _desk_store_set_db_error (store, error, _("Could not read the outbox"));
        goto failed;
      }
  }
  for (guint i = 0; i < claims->len; i++)
    {
      g_auto(DeskStmt) stmt = _desk_store_prepare (store,
        "UPDATE outbox SET state = 'sending', attempts = attempts + 1, next_try_at = ?3, lease_owner = ?4,"
        " updated_at = ?2 WHERE id = ?1 AND state IN ('pending', 'sending') AND next_try_at <= ?2", error);

      if (stmt == NULL)
        goto failed;
      sqlite3_bind_int64 (stmt, 1, g_array_index (claims, DeskJobClaim, i).job_id);
      sqlite3_bind_int64 (stmt, 2, now);
      sqlite3_bind_int64 (stmt, 3, lease_until);
      bind_text (stmt, 4, lease_owner);
      if (!_desk_store_step_done (store, stmt, _("Could not update the outbox"), error))
        goto failed;
      /* Listed and taken in one write transaction, the job cannot have
       * been taken meanwhile; should it have been, it is not among them. */
      if (sqlite3_changes (_desk_store_get_db (store)) == 0)
        g_array_remove_index (claims, i--);
    }

  if (claims->len > 0 && !record_attempts (store, lease_owner, lease_until, now, claims, error))
    goto failed;
  return g_steal_pointer (&claims);

failed:
  return NULL;
}

GArray *
desk_store_job_claim_due (DeskStore   *store,
                          guint        limit,
                          const char  *lease_owner,
                          gint64       lease_until,
                          GError     **error)
{
  GArray *claims;

  g_return_val_if_fail (lease_owner != NULL, NULL);

  if (!_desk_store_begin (store, error))
    return NULL;
  claims = claim_due (store, limit, lease_owner, lease_until, error);
  if (claims == NULL || !_desk_store_commit (store, error))
    {
      g_clear_pointer (&claims, g_array_unref);
      _desk_store_rollback (store);
      return NULL;
    }
  return claims;
}

/* One result's writes, inside the batch's transaction.  FALSE with
 * DESK_ERROR_LEASE_LOST or DESK_ERROR_NOT_FOUND when the attempt no
 * longer holds its job (nothing of it is then written but where the copy
 * is, which is a fact about the target), FALSE with another error when
 * the store failed. */
static gboolean
settle_one (DeskStore      *store,
            DeskJobResult  *result,
            GError        **error)
{
  g_autofree char *redacted = desk_redact (result->message, NULL);
  g_autofree char *note = NULL;
  g_autofree char *target_name = NULL;
  g_autofree char *actor = NULL;
  gint64 release_id = 0;
  DeskStatus from = DESK_STATUS_APPROVED;
  gboolean moved = FALSE;

  if (result->state == DESK_JOB_PENDING || result->state == DESK_JOB_SENDING)
    return update_held_job (store,
      "UPDATE outbox SET next_try_at = ?3, last_error = ?4, lease_owner = NULL, updated_at = ?2"
      " WHERE id = ?1 AND state IN ('pending', 'sending') AND lease_owner IS ?6",
      result->job_id, result->lease_owner, result->next_try_at, redacted, NULL, error);

  {
    g_auto(DeskStmt) stmt = _desk_store_prepare (store,
      "SELECT o.release_id, o.actor, t.name FROM outbox o JOIN targets t ON t.id = o.target_id WHERE o.id = ?", error);

    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_int64 (stmt, 1, result->job_id);
    if (sqlite3_step (stmt) != SQLITE_ROW)
      {
        g_set_error (error, DESK_ERROR, DESK_ERROR_NOT_FOUND,
                     _("There is no job #%" PRId64 " in the outbox"), result->job_id);
        return FALSE;
      }
    release_id = sqlite3_column_int64 (stmt, 0);
    actor = _desk_column_dup (stmt, 1);
    target_name = _desk_column_dup (stmt, 2);
  }

  if (result->state == DESK_JOB_FAILED)
    return update_held_job (store,
             "UPDATE outbox SET state = 'failed', last_error = ?4, lease_owner = NULL, updated_at = ?2"
             " WHERE id = ?1 AND state IN ('pending', 'sending') AND lease_owner IS ?6",
             result->job_id, result->lease_owner, 0, redacted, NULL, error) &&
           _desk_store_insert_event (store, release_id, actor, "publish-failed", NULL, NULL, redacted, error);

  /* Where the copy is, first: whoever holds the job now must find it. */
  if (!desk_store_job_record_remote (store, result->job_id, result->remote_id, result->remote_url, error) ||
      !update_held_job (store,
        "UPDATE outbox SET state = 'done', last_error = NULL, remote_id = ?4, remote_url = ?5,"
        " lease_owner = NULL, updated_at = ?2"
        " WHERE id = ?1 AND state IN ('pending', 'sending') AND lease_owner IS ?6",
        result->job_id, result->lease_owner, 0, result->remote_id, result->remote_url, error) ||
      !_desk_store_move_status (store, release_id, DESK_STATUS_PUBLISHED, &from, &moved, error))
    return FALSE;
  note = result->remote_url != NULL
         ? g_strdup_printf ("%s: %s", desk_target_get_display_name (target_name), result->remote_url)
         : g_strdup (desk_target_get_display_name (target_name));
  return _desk_store_insert_event (store, release_id, actor, "published",
                                   moved ? desk_status_to_string (from) : NULL,
                                   moved ? desk_status_to_string (DESK_STATUS_PUBLISHED) : NULL,
                                   note, error);
}

/* Records the results of @n_results attempts in one transaction, each as
 * desk_store_job_complete(), desk_store_job_fail() or
 * desk_store_job_retry_later() would (by its state: done, failed, or
 * pending until its next_try_at).  A result whose attempt no longer
 * holds its job is not recorded, and says so in its own error; the
 * others are.  FALSE when the store failed: then none is recorded.
 *
 * The publisher writes the results of every job that finished in one
 * turn of its main loop together: a commit a job was most of the
 * store's work for a webhook's delivery.  A job counts as done only
 * once its result is committed; until then it is leased, and another
 * publisher (or this one after a crash) looks it up at the target
 * before it sends it again. */
static gboolean
settle (DeskStore      *store,
        DeskJobResult  *results,
        guint           n_results,
        GError        **error)
{
  for (guint i = 0; i < n_results; i++)
    {
      g_autoptr(GError) local_error = NULL;

      g_clear_error (&results[i].error);
      if (settle_one (store, &results[i], &local_error))
        continue;
      if (!g_error_matches (local_error, DESK_ERROR, DESK_ERROR_LEASE_LOST) &&
          !g_error_matches (local_error, DESK_ERROR, DESK_ERROR_NOT_FOUND))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          for (guint j = 0; j < i; j++)
            g_clear_error (&results[j].error);
          return FALSE;
        }
      results[i].error = g_steal_pointer (&local_error);
    }
  return TRUE;
}

gboolean
desk_store_jobs_settle (DeskStore      *store,
                        DeskJobResult  *results,
                        guint           n_results,
                        GError        **error)
{
  if (n_results == 0)
    return TRUE;
  if (!_desk_store_begin (store, error))
    return FALSE;
  if (!settle (store, results, n_results, error) || !_desk_store_commit (store, error))
    {
      for (guint i = 0; i < n_results; i++)
        g_clear_error (&results[i].error);
      _desk_store_rollback (store);
      return FALSE;
    }
  return TRUE;
}

/* desk_store_jobs_settle() and then desk_store_job_claim_due(), in one
 * transaction: a publisher's turn is one commit, whatever came back and
 * however many places it frees.  *@out_claims: the jobs taken.  FALSE
 * when the store failed: then nothing is recorded and nothing taken. */
gboolean
desk_store_jobs_settle_and_claim (DeskStore      *store,
                                  DeskJobResult  *results,
                                  guint           n_results,
                                  guint           limit,
                                  const char     *lease_owner,
                                  gint64          lease_until,
                                  GArray        **out_claims,
                                  GError        **error)
{
  g_autoptr(GArray) claims = NULL;

  g_return_val_if_fail (lease_owner != NULL, FALSE);
  g_return_val_if_fail (out_claims != NULL, FALSE);

  *out_claims = NULL;
  if (!_desk_store_begin (store, error))
    return FALSE;
  if (!settle (store, results, n_results, error) ||
      (claims = claim_due (store, limit, lease_owner, lease_until, error)) == NULL ||
      !_desk_store_commit (store, error))
    {
      for (guint i = 0; i < n_results; i++)
        g_clear_error (&results[i].error);
      _desk_store_rollback (store);
      return FALSE;
    }
  *out_claims = g_steal_pointer (&claims);
  return TRUE;
}

/* The job that waits longest for nothing it can do: the first one not
 * due yet, either held by another publisher's attempt (lease_owner set,
 * next_try_at the end of its lease) or waiting to be tried again.  NULL
 * (without an error) when no job waits. */
DeskOutboxJob *
desk_store_get_next_waiting (DeskStore  *store,
                             GError    **error)
{
  g_auto(DeskStmt) stmt = _desk_store_prepare (store,
    "SELECT " JOB_COLUMNS " FROM outbox o JOIN targets t ON t.id = o.target_id"
    " WHERE o.state IN ('pending', 'sending') ORDER BY o.next_try_at, o.id LIMIT 1", error);
  int rc;

  if (stmt == NULL)
    return NULL;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return job_from_row (stmt);
  if (rc != SQLITE_DONE)
    _desk_store_set_db_error (store, error, _("Could not read the outbox"));
  return NULL;
}

/* ---- secrets ------------------------------------------------------------- */

/* The store's own UUID, made when the store was upgraded to schema 6 (or
 * now, if it has gone missing).  It keys the store's secrets. */
char *
desk_store_dup_uuid (DeskStore  *store,
                     GError    **error)
{
  g_return_val_if_fail (DESK_IS_STORE (store), NULL);

  for (int round = 0; round < 2; round++)
    {
      {
        g_auto(DeskStmt) stmt = _desk_store_prepare (store,
          "SELECT value FROM store_info WHERE name = 'uuid'", error);

        if (stmt == NULL)
          return NULL;
        if (sqlite3_step (stmt) == SQLITE_ROW)
          return _desk_column_dup (stmt, 0);
      }
      {
        g_auto(DeskStmt) stmt = _desk_store_prepare (store,
          "INSERT INTO store_info (name, value) VALUES ('uuid', ?) ON CONFLICT (name) DO NOTHING", error);
        g_autofree char *uuid = g_uuid_string_random ();

        if (stmt == NULL)
          return NULL;
        bind_text (stmt, 1, uuid);
        if (!_desk_store_step_done (store, stmt, _("Could not give the store its identity"), error))
          return NULL;
      }
    }
  g_set_error (error, DESK_ERROR, DESK_ERROR_DATABASE, _("Could not give the store its identity"));
  return NULL;
}

/* Keeps @secret for @target of the desk whose identity is @desk_uuid, in
 * the Secret Service, under the same label on either desk. */
gboolean
desk_target_store_secret (const char        *desk_uuid,
                          const DeskTarget  *target,
                          const char        *secret,
                          gboolean          *out_session_only,
                          GError           **error)
{
  g_autofree char *label = g_strdup_printf (_("Copydesk: %s"), target->name);

  return desk_secrets_store (desk_uuid, target->id, desk_target_kind_to_string (target->kind),
                             label, secret, out_session_only, error);
}

/* Keeps @secret for @target of this store, in the Secret Service. */
gboolean
desk_store_set_target_secret (DeskStore         *store,
                              const DeskTarget  *target,
                              const char        *secret,
                              gboolean          *out_session_only,
                              GError           **error)
{
  g_autofree char *uuid = desk_store_dup_uuid (store, error);

  return uuid != NULL && desk_target_store_secret (uuid, target, secret, out_session_only, error);
}

/* The secret of @target of this store, or NULL with @error set. */
char *
desk_store_dup_target_secret (DeskStore         *store,
                              const DeskTarget  *target,
                              GError           **error)
{
  g_autofree char *uuid = desk_store_dup_uuid (store, error);
  g_autofree char *label = NULL;

  if (uuid == NULL)
    return NULL;
  label = g_strdup_printf (_("Copydesk: %s"), target->name);
  return desk_secrets_lookup (uuid, target->id, desk_target_kind_to_string (target->kind), label, error);
}

void
desk_store_clear_target_secret (DeskStore         *store,
                                const DeskTarget  *target)
{
  g_autofree char *uuid = desk_store_dup_uuid (store, NULL);

  if (uuid != NULL)
    desk_secrets_clear (uuid, target->id, desk_target_kind_to_string (target->kind));
}

/* Queues a failed job again, at once (the window's Retry). */
gboolean
desk_store_retry_job (DeskStore  *store,
                      gint64      job_id,
                      GError    **error)
{
  g_auto(DeskStmt) stmt = _desk_store_prepare (store,
    "UPDATE outbox SET state = 'pending', updated_at = ?2,"
    " next_try_at = max (?2, coalesce ((SELECT embargo_at FROM releases r WHERE r.id = outbox.release_id), 0))"
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
