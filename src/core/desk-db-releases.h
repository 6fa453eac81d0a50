/* desk-db-releases.h — releases listed, shown, searched and moved through
 * a DeskDb: the slice of the store that runs on a team desk
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "desk-db.h"
#include "desk-release.h"
#include "desk-store.h"

G_BEGIN_DECLS

/* Reads run on either engine and give what DeskStore gives for the same
 * rows; a search (query->search) runs on PostgreSQL only
 * (desk-pg-search.c), as SQLite's runs in DeskStore with FTS5. */
GPtrArray   *desk_db_list_releases  (DeskDb           *db,
                                     const DeskQuery  *query,
                                     GError          **error);
DeskRelease *desk_db_get_release    (DeskDb           *db,
                                     gint64            id,
                                     GError          **error);
GPtrArray   *desk_db_list_revisions (DeskDb           *db,
                                     gint64            release_id,
                                     GError          **error);
GPtrArray   *desk_db_list_events    (DeskDb           *db,
                                     gint64            release_id,
                                     GError          **error);
GPtrArray   *desk_db_list_findings  (DeskDb           *db,
                                     gint64            release_id,
                                     GError          **error);

/* Moves release @release_id to @to on a team desk, as desk_move_release()
 * does on a SQLite desk: the workflow's table, the pre-publish check
 * before an approval (@override_reason past its furniture), the approved
 * revision and its SHA-256, an event.  The move is a conditional update:
 * when another editor moved the release (or saved a revision) since it
 * was read, nothing is written and the error is DESK_ERROR_MOVED_MEANWHILE,
 * naming the status it has now.  The actor is the connection's
 * session_user; the server refuses a move the role may not make
 * (DESK_PG_ERROR_PERMISSION).  *@out_from is the status moved from. */
gboolean     desk_db_move_release   (DeskDb           *db,
                                     gint64            release_id,
                                     DeskStatus        to,
                                     const char       *note,
                                     const char       *override_reason,
                                     DeskStatus       *out_from,
                                     GError          **error);

G_END_DECLS
