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
/* The number of releases desk_db_list_releases() gives for @query, its
 * offset and limit aside; -1 with @error set. */
gint64       desk_db_count_releases (DeskDb           *db,
                                     const DeskQuery  *query,
                                     GError          **error);
/* The queues' counts, as desk_store_count_by_status() gives them. */
gboolean     desk_db_count_by_status (DeskDb          *db,
                                      gint64           counts[DESK_N_STATUSES],
                                      GError         **error);
/* What the detector found when it last read release @release_id, as
 * desk_store_get_detection() gives it. */
DeskDetection *desk_db_get_detection (DeskDb          *db,
                                      gint64           release_id,
                                      GError         **error);
DeskRelease *desk_db_get_release    (DeskDb           *db,
                                     gint64            id,
                                     GError          **error);
/* The copies of release @release_id's story (DeskCopy), as
 * desk_store_list_copies() gives them, by the same statement. */
GPtrArray   *desk_db_list_copies    (DeskDb           *db,
                                     gint64            release_id,
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

/* Whether the role logged in on @db's team desk is a chief editor
 * (a member of copydesk_chief); *@out_role is its name (session_user).
 * FALSE with @error set when the server could not be asked. */
gboolean     desk_db_is_chief       (DeskDb           *db,
                                     char            **out_role,
                                     GError          **error);
/* Fails with DESK_PG_ERROR_PERMISSION, in words naming the role, when
 * moving release @release_id to @to takes a chief and the role logged
 * in is none: asked before anything else, so that an editor learns that
 * first.  The server's guard refuses such a move whatever a client asks. */
gboolean     desk_db_check_may_move (DeskDb           *db,
                                     gint64            release_id,
                                     DeskStatus        to,
                                     GError          **error);

/* Records an event on release @release_id, by @actor (NULL: the
 * connection's own role, session_user). */
gboolean    desk_db_insert_event        (DeskDb      *db,
                                         gint64       release_id,
                                         const char  *actor,
                                         const char  *action,
                                         const char  *from_status,
                                         const char  *to_status,
                                         const char  *note,
                                         GError     **error);

/* In the transaction under way: a copy of a story that the queues did
 * not show stands for its story once an editor works on it, as
 * _desk_store_show_copy() has it on SQLite. */
gboolean    desk_db_show_copy           (DeskDb      *db,
                                         gint64       release_id,
                                         GError     **error);

G_END_DECLS
