/* desk-store-wire.c — what a wire item or e-mail states of itself
 *
 * Urgency and copyright, as a ninjs or NewsML-G2 item states them, kept
 * beside the release in release_wire (one row, only for releases whose
 * source states either), and the release's embargo in releases.embargo_at,
 * in the transaction that stores the release.
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

/* The release's embargo, kept in releases.embargo_at alone (schema 12),
 * whichever way the release came: as a ninjs or NewsML-G2 item states it
 * (@source), else as the top of its text says it ("EMBARGOED UNTIL 10:00
 * WIB 5 March 2026", "Sperrfrist: …", "HOLD FOR RELEASE"; a time without
 * a zone is the desk's local time).  The outbox, exports, `show` and the
 * window all read it there.  Reading the top of the text costs a release
 * about 16 µs (the seed release, on the shared two-core test machine):
 * 2–3% of an import there. */
static gboolean
add_embargo (DeskStore         *self,
             gint64             id,
             const DeskSource  *source,
             const char        *text,
             GError           **error)
{
  g_autoptr(GTimeZone) local = NULL;
  g_autoptr(GDateTime) found = NULL;
  g_autofree char *zone = NULL;
  gboolean hold = FALSE;

  if (source->embargo != NULL)
    return desk_source_set_embargo (self, id, source->embargo, NULL, error);
  if (!desk_source_may_find_embargo (text))
    return TRUE;
  local = g_time_zone_new_local ();
  found = desk_source_find_embargo (text, local, &zone, &hold);
  if (found != NULL)
    return desk_source_set_embargo (self, id, found, zone, error);
  if (hold)
    return desk_source_set_hold (self, id, error);
  return TRUE;
}

gboolean
_desk_store_add_wire_info (DeskStore         *self,
                           gint64             id,
                           const DeskSource  *source,
                           const char        *text,
                           GError           **error)
{
  g_auto(DeskStmt) stmt = NULL;

  /* A store kept at an older schema (desk_store_open_at_version()) has
   * no place for them: release_wire came with schema 11. */
  if (!_desk_store_has_schema (self, 11))
    return TRUE;
  if (!add_embargo (self, id, source, text, error))
    return FALSE;
  if (source->urgency == 0 && source->copyright == NULL)
    return TRUE;

  stmt = _desk_store_prepare (self,
    "INSERT INTO release_wire (release_id, urgency, copyright) VALUES (?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  if (source->urgency > 0)
    sqlite3_bind_int (stmt, 2, source->urgency);
  _desk_bind_text (stmt, 3, source->copyright, SQLITE_STATIC);
  return _desk_store_step_done (self, stmt, _("Could not store the release’s urgency and copyright"), error);
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
    "SELECT urgency, copyright FROM release_wire WHERE release_id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, release_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      out_info->urgency = sqlite3_column_int (stmt, 0);
      out_info->copyright = _desk_column_dup (stmt, 1);
    }
  else if (rc != SQLITE_DONE)
    {
      _desk_store_set_db_error (store, error, _("Could not read the release’s urgency, copyright and embargo"));
      return FALSE;
    }
  _desk_stmt_reset (stmt);
  /* The embargo is the release's own, whichever way it was stated. */
  {
    g_autoptr(GError) local_error = NULL;

    if (!desk_source_get_embargo (store, release_id, &out_info->embargo, NULL, &local_error) &&
        local_error != NULL)
      {
        g_propagate_error (error, g_steal_pointer (&local_error));
        return FALSE;
      }
  }
  return TRUE;
}

void
desk_wire_info_clear (DeskWireInfo *info)
{
  g_clear_pointer (&info->copyright, g_free);
  g_clear_pointer (&info->embargo, g_date_time_unref);
}
