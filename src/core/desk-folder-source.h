/* desk-folder-source.h — the watched inbox folder
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "desk-source.h"

G_BEGIN_DECLS

/* A file whose last change is older than this is complete even if no
 * process was seen closing it (a scan at start, a copy over the network). */
#define DESK_FOLDER_STABLE_USEC (2 * G_USEC_PER_SEC)

/* A folder's file is seen once for its path, size and mtime: the same
 * statements on a SQLite desk and a team desk. */
#define DESK_SEEN_FILE_LOOKUP_SQL \
  "SELECT 1 FROM seen_files WHERE path = ? AND size = ? AND mtime = ?"
#define DESK_SEEN_FILE_RECORD_SQL \
  "INSERT INTO seen_files (path, size, mtime, release_id, note, seen_at) VALUES (?, ?, ?, ?, ?, ?)" \
  " ON CONFLICT DO NOTHING"

#define DESK_TYPE_FOLDER_SOURCE (desk_folder_source_get_type ())
G_DECLARE_FINAL_TYPE (DeskFolderSource, desk_folder_source, DESK, FOLDER_SOURCE, GObject)

DeskIngestSource *desk_folder_source_new     (const char        *path);
/* Starts following the folder (a GFileMonitor in the thread-default main
 * context): a file closed after writing wakes the source. */
gboolean          desk_folder_source_watch   (DeskFolderSource  *self,
                                              GError           **error);
const char       *desk_folder_source_get_path (DeskFolderSource *self);

G_END_DECLS
