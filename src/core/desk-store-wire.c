/* desk-store-wire.c — what a wire item or e-mail states of itself
 *
 * Urgency, copyright and embargo, as a ninjs or NewsML-G2 item states
 * them, kept beside the release in release_wire (one row, only for
 * releases whose source states any of them), in the transaction that
 * stores the release.
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "desk-source.h"
#include "desk-store-private.h"
#include "desk-store-wire.h"

gboolean
_desk_store_add_wire_info (DeskStore         *self,
                           gint64             id,
                           const DeskSource  *source,
                           GError           **error)
{
  g_auto(DeskStmt) stmt = NULL;
  g_autofree char *embargo = NULL;

  if (source->urgency == 0 && source->copyright == NULL && source->embargo == NULL)
    return TRUE;
  /* A store kept at an older schema (desk_store_open_at_version()) has
   * no place for them. */
  if (desk_store_get_schema_version (self) < DESK_STORE_SCHEMA_VERSION)
    return TRUE;

  stmt = _desk_store_prepare (self,
    "INSERT INTO release_wire (release_id, urgency, copyright, embargo_at, embargo_text)"
    " VALUES (?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  if (source->urgency > 0)
    sqlite3_bind_int (stmt, 2, source->urgency);
  _desk_bind_text (stmt, 3, source->copyright, SQLITE_STATIC);
  if (source->embargo != NULL)
    {
      embargo = g_date_time_format_iso8601 (source->embargo);
      sqlite3_bind_int64 (stmt, 4, g_date_time_to_unix (source->embargo) * G_USEC_PER_SEC);
      _desk_bind_text (stmt, 5, embargo, SQLITE_STATIC);
    }
  if (!_desk_store_step_done (self, stmt, _("Could not store the release’s urgency, copyright and embargo"), error))
    return FALSE;
  /* The embargo the outbox keeps to is the release's own: a ninjs or
   * NewsML-G2 item's holds its publishing as a stated one does. */
  return source->embargo == NULL || desk_source_set_embargo (self, id, source->embargo, NULL, error);
}

/* FALSE with @error only on a database error; a release without any of
 * them has urgency 0 and NULLs. */
gboolean
desk_store_get_wire_info (DeskStore     *store,
                          gint64         release_id,
                          DeskWireInfo  *out_info,
                          GError       **error)
{
  g_auto(DeskStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (DESK_IS_STORE (store), FALSE);

  memset (out_info, 0, sizeof *out_info);
  stmt = _desk_store_prepare (store,
    "SELECT urgency, copyright, embargo_text FROM release_wire WHERE release_id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, release_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      out_info->urgency = sqlite3_column_int (stmt, 0);
      out_info->copyright = _desk_column_dup (stmt, 1);
      if (sqlite3_column_type (stmt, 2) != SQLITE_NULL)
        out_info->embargo = g_date_time_new_from_iso8601 ((const char *) sqlite3_column_text (stmt, 2), NULL);
      return TRUE;
    }
  if (rc != SQLITE_DONE)
    {
      _desk_store_set_db_error (store, error, _("Could not read the release’s urgency, copyright and embargo"));
      return FALSE;
    }
  return TRUE;
}

void
desk_wire_info_clear (DeskWireInfo *info)
{
  g_clear_pointer (&info->copyright, g_free);
  g_clear_pointer (&info->embargo, g_date_time_unref);
}
