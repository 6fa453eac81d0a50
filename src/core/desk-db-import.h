/* desk-db-import.h — release files imported into a team desk
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "desk-db.h"
#include "desk-importer.h"

G_BEGIN_DECLS

/* Imports files and folders into the team desk @db as
 * desk_import_paths() imports them into a SQLite desk: the same reading,
 * parsing, language and detection, the same report.  Each file is
 * stored in one transaction of its own, whole or not at all; a release
 * already on the desk (the same content, or the same sender's id) is a
 * duplicate, told by the server's unique indexes, so that importers
 * running at once on any number of machines store it once.  The actor
 * is the role logged in (session_user). */
DeskImportReport *desk_db_import_paths (DeskDb             *db,
                                        const char * const *paths);

G_END_DECLS
