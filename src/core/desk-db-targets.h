/* desk-db-targets.h — a team desk's publish targets
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "desk-db.h"
#include "desk-outbox.h"

G_BEGIN_DECLS

/* The targets not removed, oldest first: anyone on the desk may read them
 * (they hold no secret). */
GPtrArray  *desk_db_list_targets       (DeskDb            *db,
                                        GError           **error);
/* The target named @name, not removed; DESK_ERROR_NOT_FOUND if none. */
DeskTarget *desk_db_find_target        (DeskDb            *db,
                                        const char        *name,
                                        GError           **error);

/* As desk_store_add_target() and desk_store_remove_target() on a SQLite
 * desk: the same checks, a removed target of the same name and kind
 * brought back with its id, a target with jobs waiting not removed.
 * Only a chief may (the server's grants): anyone else is told so in
 * words (DESK_PG_ERROR_PERMISSION) before anything is written. */
gint64      desk_db_add_target         (DeskDb            *db,
                                        DeskTargetKind     kind,
                                        const char        *name,
                                        JsonObject        *settings,
                                        GError           **error);
gboolean    desk_db_remove_target      (DeskDb            *db,
                                        gint64             target_id,
                                        GError           **error);

/* As desk_store_edit_target() on a SQLite desk: @changes set settings
 * (a null member clears one), @new_name renames; the same checks, a
 * removed target not changed.  A chief's only, said in words first, also
 * when nothing is to change on the server (a chief storing the secret of
 * a target on another machine: desk_db_set_target_secret()). */
gboolean    desk_db_edit_target        (DeskDb            *db,
                                        gint64             target_id,
                                        const char        *new_name,
                                        JsonObject        *changes,
                                        GError           **error);

/* A target's secret stays in this machine's Secret Service, under the
 * desk's own identity (store_info's uuid), never on the server. */
gboolean    desk_db_set_target_secret  (DeskDb            *db,
                                        const DeskTarget  *target,
                                        const char        *secret,
                                        gboolean          *out_session_only,
                                        GError           **error);
void        desk_db_clear_target_secret (DeskDb           *db,
                                         const DeskTarget *target);

G_END_DECLS
