/* desk-db-import.h — release files imported into a team desk
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "desk-db.h"
#include "desk-source.h"
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

/* Whether a watched folder brought in the file at @path with this size
 * and mtime (µs) before, on either engine's seen_files. */
gboolean          desk_db_seen_file    (DeskDb             *db,
                                        const char         *path,
                                        gint64              size,
                                        gint64              mtime,
                                        GError            **error);

/* Brings one complete file a source found and read (@data, or NULL when
 * it could not be read, and @unread says why) into the team desk @db, read and stored as
 * desk_db_import_paths() reads and stores a file, each release carrying
 * @kind and @name as its source: its releases and the record that the
 * source has seen it (seen_files: path, @size, @mtime) in one
 * transaction.  That record is claimed by INSERT … ON CONFLICT DO
 * NOTHING: of several processes on any number of machines that read the
 * file at once, one stores it, the others wait for its transaction and
 * find it seen; one that dies (kill -9) leaves nothing, and the file to
 * the next.  A file that is not a release is noted with why, once.
 * Adds to @counts; FALSE with @error only when the desk failed. */
gboolean          desk_db_ingest_file  (DeskDb             *db,
                                        const char         *path,
                                        const char         *data,
                                        gsize               len,
                                        const char         *unread,
                                        gboolean            as_mail,
                                        gint64              size,
                                        gint64              mtime,
                                        const char         *kind,
                                        const char         *name,
                                        DeskIngestCounts   *counts,
                                        GError            **error);

G_END_DECLS
