/* desk-db-targets.c — a team desk's publish targets
 *
 * The targets table as desk-outbox.c keeps it on SQLite: a removed target
 * stays, marked removed, with its jobs and remote identities, and comes
 * back with its id when a target of its name and kind is added again, so
 * that nothing it published is posted twice.  Settings are checked by
 * desk_target_check(), the window's and the SQLite desk's rule.  Only a
 * chief may write the table (GRANT in desk-pg-schema.c); the role is
 * asked first, so that an editor is told in words.  A secret never goes
 * to the server: it stays in the Secret Service of the machine that adds
 * the target, under the desk's identity, where desk-db-outbox.c finds it.
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <inttypes.h>
#include <glib/gi18n-lib.h>

#include "desk-db-releases.h"
#include "desk-db-targets.h"
#include "desk-error.h"
#include "desk-pg-schema.h"
#include "desk-secrets.h"

#define TARGET_COLUMNS "id, kind, name, settings, enabled, removed_at IS NOT NULL"

static DeskTarget *
target_from_row (DeskDbStmt *stmt)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  DeskTarget *target = g_new0 (DeskTarget, 1);

  target->id = desk_db_column_int64 (stmt, 0);
  desk_target_kind_from_string (desk_db_column_text (stmt, 1), &target->kind);
  target->name = desk_db_column_dup (stmt, 2);
  if (json_parser_load_from_data (parser, desk_db_column_text (stmt, 3), -1, NULL) &&
      JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    target->settings = json_object_ref (json_node_get_object (json_parser_get_root (parser)));
  else
    target->settings = json_object_new ();
  target->enabled = desk_db_column_int64 (stmt, 4) != 0;
  target->removed = desk_db_column_int64 (stmt, 5) != 0;
  return target;
}

GPtrArray *
desk_db_list_targets (DeskDb  *db,
                      GError **error)
{
  g_autoptr(GPtrArray) targets = g_ptr_array_new_with_free_func ((GDestroyNotify) desk_target_free);
  g_autoptr(DeskDbStmt) stmt = desk_db_prepare (db,
    "SELECT " TARGET_COLUMNS " FROM targets WHERE removed_at IS NULL ORDER BY id", error);
  DeskDbStep step;

  if (stmt == NULL)
    return NULL;
  while ((step = desk_db_step (stmt, error)) == DESK_DB_ROW)
    g_ptr_array_add (targets, target_from_row (stmt));
  return step == DESK_DB_ERROR ? NULL : g_steal_pointer (&targets);
}

DeskTarget *
desk_db_find_target (DeskDb      *db,
                     const char  *name,
                     GError     **error)
{
  g_autoptr(DeskDbStmt) stmt = desk_db_prepare (db,
    "SELECT " TARGET_COLUMNS " FROM targets WHERE name = ? AND removed_at IS NULL", error);
  DeskDbStep step;

  if (stmt == NULL)
    return NULL;
  desk_db_bind_text (stmt, 1, name);
  step = desk_db_step (stmt, error);
  if (step == DESK_DB_ERROR)
    return NULL;
  if (step == DESK_DB_DONE)
    {
      g_set_error (error, DESK_ERROR, DESK_ERROR_NOT_FOUND,
                   _("There is no target named “%s”"), name);
      return NULL;
    }
  return target_from_row (stmt);
}

/* Only a chief manages targets: said in words before anything is
 * written (the server's grants refuse it whatever a client sends). */
static gboolean
check_chief (DeskDb  *db,
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
               _("%s may not change the publish targets of the desk at %s: only a chief editor (role %s) "
                 "may add, change or remove them"),
               role, desk_db_get_display_address (db), DESK_PG_ROLE_CHIEF);
  return FALSE;
}

/* In the transaction under way: the removed target named @name brought
 * back with @json, its id; 0 when there is none; -1 on error. */
static gint64
revive_target (DeskDb          *db,
               DeskTargetKind   kind,
               const char      *name,
               const char      *json,
               GError         **error)
{
  g_autofree char *old_kind = NULL;
  gint64 id;

  {
    g_autoptr(DeskDbStmt) stmt = desk_db_prepare (db,
      "SELECT id, kind FROM targets WHERE name = ? AND removed_at IS NOT NULL FOR UPDATE", error);
    DeskDbStep step;

    if (stmt == NULL)
      return -1;
    desk_db_bind_text (stmt, 1, name);
    step = desk_db_step (stmt, error);
    if (step != DESK_DB_ROW)
      return step == DESK_DB_ERROR ? -1 : 0;
    id = desk_db_column_int64 (stmt, 0);
    old_kind = desk_db_column_dup (stmt, 1);
  }
  if (g_strcmp0 (old_kind, desk_target_kind_to_string (kind)) != 0)
    {
      g_set_error (error, DESK_ERROR, DESK_ERROR_DUPLICATE,
                   _("A removed target named “%s” was a %s target: give this one another name"),
                   name, old_kind);
      return -1;
    }
  {
    g_autoptr(DeskDbStmt) stmt = desk_db_prepare (db,
      "UPDATE targets SET settings = ?2, enabled = 1, removed_at = NULL WHERE id = ?1", error);

    if (stmt == NULL)
      return -1;
    desk_db_bind_int64 (stmt, 1, id);
    desk_db_bind_text (stmt, 2, json);
    if (!desk_db_step_done (stmt, NULL, error))
      return -1;
  }
  return id;
}

gint64
desk_db_add_target (DeskDb          *db,
                    DeskTargetKind   kind,
                    const char      *name,
                    JsonObject      *settings,
                    GError         **error)
{
  g_autofree char *json = NULL;
  gint64 id;

  g_return_val_if_fail (DESK_IS_DB (db), 0);

  if (!desk_target_check (kind, name, settings, FALSE, NULL, error) ||
      !check_chief (db, error))
    return 0;
  json = desk_target_settings_to_json (settings);

  if (!desk_db_begin (db, error))
    return 0;
  id = revive_target (db, kind, name, json, error);
  if (id < 0)
    goto failed;
  if (id == 0)
    {
      /* Of two chiefs adding one name at once, the unique index keeps
       * the first. */
      g_autoptr(DeskDbStmt) stmt = desk_db_prepare (db,
        "INSERT INTO targets (kind, name, settings, enabled, created_at) VALUES (?, ?, ?, 1, ?)"
        " ON CONFLICT (name) DO NOTHING RETURNING id", error);

      if (stmt == NULL)
        goto failed;
      desk_db_bind_text (stmt, 1, desk_target_kind_to_string (kind));
      desk_db_bind_text (stmt, 2, name);
      desk_db_bind_text (stmt, 3, json);
      desk_db_bind_int64 (stmt, 4, g_get_real_time ());
      if (!desk_db_step_done (stmt, &id, error))
        goto failed;
      if (id == 0)
        {
          g_set_error (error, DESK_ERROR, DESK_ERROR_DUPLICATE,
                       _("There is already a target named “%s”"), name);
          goto failed;
        }
    }
  if (!desk_db_commit (db, error))
    return 0;
  return id;

failed:
  desk_db_rollback (db);
  return 0;
}

gboolean
desk_db_remove_target (DeskDb  *db,
                       gint64   target_id,
                       GError **error)
{
  g_return_val_if_fail (DESK_IS_DB (db), FALSE);

  if (!check_chief (db, error) ||
      !desk_db_begin (db, error))
    return FALSE;

  /* The row locked first: a job being queued for it meanwhile (whose
   * foreign key shares the row) is waited for, and then counted. */
  {
    g_autoptr(DeskDbStmt) stmt = desk_db_prepare (db,
      "SELECT id FROM targets WHERE id = ? AND removed_at IS NULL FOR UPDATE", error);
    DeskDbStep step;

    if (stmt == NULL)
      goto failed;
    desk_db_bind_int64 (stmt, 1, target_id);
    step = desk_db_step (stmt, error);
    if (step == DESK_DB_ERROR)
      goto failed;
    if (step == DESK_DB_DONE)
      {
        g_set_error (error, DESK_ERROR, DESK_ERROR_NOT_FOUND,
                     _("There is no target #%" PRId64), target_id);
        goto failed;
      }
  }
  {
    g_autoptr(DeskDbStmt) stmt = desk_db_prepare (db,
      "SELECT count(*) FROM outbox WHERE target_id = ? AND state IN ('pending', 'sending')", error);

    if (stmt == NULL)
      goto failed;
    desk_db_bind_int64 (stmt, 1, target_id);
    if (desk_db_step (stmt, error) != DESK_DB_ROW)
      goto failed;
    if (desk_db_column_int64 (stmt, 0) > 0)
      {
        g_set_error (error, DESK_ERROR, DESK_ERROR_INVALID_INPUT,
                     _("The target still has jobs waiting in the outbox"));
        goto failed;
      }
  }
  {
    g_autoptr(DeskDbStmt) stmt = desk_db_prepare (db,
      "UPDATE targets SET removed_at = ?2 WHERE id = ?1 AND removed_at IS NULL", error);

    if (stmt == NULL)
      goto failed;
    desk_db_bind_int64 (stmt, 1, target_id);
    desk_db_bind_int64 (stmt, 2, g_get_real_time ());
    if (!desk_db_step_done (stmt, NULL, error))
      goto failed;
  }
  return desk_db_commit (db, error);

failed:
  desk_db_rollback (db);
  return FALSE;
}

gboolean
desk_db_edit_target (DeskDb      *db,
                     gint64       target_id,
                     const char  *new_name,
                     JsonObject  *changes,
                     GError     **error)
{
  g_autoptr(DeskTarget) target = NULL;
  g_autofree char *json = NULL;
  const char *name;

  g_return_val_if_fail (DESK_IS_DB (db), FALSE);

  if (!check_chief (db, error))
    return FALSE;
  if (new_name == NULL && (changes == NULL || json_object_get_size (changes) == 0))
    return TRUE;
  if (!desk_db_begin (db, error))
    return FALSE;

  /* The row taken first, its settings read then: two chiefs changing
   * one target at once each change what the other left. */
  {
    g_autoptr(DeskDbStmt) stmt = desk_db_prepare (db,
      "SELECT " TARGET_COLUMNS " FROM targets WHERE id = ? FOR UPDATE", error);
    DeskDbStep step;

    if (stmt == NULL)
      goto failed;
    desk_db_bind_int64 (stmt, 1, target_id);
    step = desk_db_step (stmt, error);
    if (step == DESK_DB_ERROR)
      goto failed;
    if (step == DESK_DB_DONE)
      {
        g_set_error (error, DESK_ERROR, DESK_ERROR_NOT_FOUND, _("There is no target #%" PRId64), target_id);
        goto failed;
      }
    target = target_from_row (stmt);
  }
  /* The changes as desk_store_edit_target() makes them. */
  json = desk_target_apply_changes (target, new_name, changes, error);
  if (json == NULL)
    goto failed;
  name = new_name != NULL ? new_name : target->name;

  {
    g_autoptr(DeskDbStmt) stmt = desk_db_prepare (db,
      "SELECT 1 FROM targets WHERE name = ? AND id <> ?", error);
    DeskDbStep step;

    if (stmt == NULL)
      goto failed;
    desk_db_bind_text (stmt, 1, name);
    desk_db_bind_int64 (stmt, 2, target_id);
    step = desk_db_step (stmt, error);
    if (step == DESK_DB_ERROR)
      goto failed;
    if (step == DESK_DB_ROW)
      {
        g_set_error (error, DESK_ERROR, DESK_ERROR_DUPLICATE, _("There is already a target named “%s”"), name);
        goto failed;
      }
  }
  {
    g_autoptr(DeskDbStmt) stmt = desk_db_prepare (db,
      "UPDATE targets SET name = ?2, settings = ?3 WHERE id = ?1", error);

    if (stmt == NULL)
      goto failed;
    desk_db_bind_int64 (stmt, 1, target_id);
    desk_db_bind_text (stmt, 2, name);
    desk_db_bind_text (stmt, 3, json);
    if (!desk_db_step_done (stmt, NULL, error))
      goto failed;
  }
  return desk_db_commit (db, error);

failed:
  desk_db_rollback (db);
  return FALSE;
}

static char *
dup_uuid (DeskDb  *db,
          GError **error)
{
  g_autoptr(DeskDbStmt) stmt = desk_db_prepare (db, "SELECT value FROM store_info WHERE name = 'uuid'", error);
  DeskDbStep step;

  if (stmt == NULL)
    return NULL;
  step = desk_db_step (stmt, error);
  if (step == DESK_DB_ROW)
    return desk_db_column_dup (stmt, 0);
  if (step == DESK_DB_DONE)
    g_set_error (error, DESK_ERROR, DESK_ERROR_DATABASE,
                 _("The desk at %s has no identity to keep its secrets under"), desk_db_get_display_address (db));
  return NULL;
}

gboolean
desk_db_set_target_secret (DeskDb            *db,
                           const DeskTarget  *target,
                           const char        *secret,
                           gboolean          *out_session_only,
                           GError           **error)
{
  g_autofree char *uuid = dup_uuid (db, error);

  return uuid != NULL && desk_target_store_secret (uuid, target, secret, out_session_only, error);
}

void
desk_db_clear_target_secret (DeskDb           *db,
                             const DeskTarget *target)
{
  g_autofree char *uuid = dup_uuid (db, NULL);

  if (uuid != NULL)
    desk_secrets_clear (uuid, target->id, desk_target_kind_to_string (target->kind));
}
