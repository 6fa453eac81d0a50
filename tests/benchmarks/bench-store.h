/* bench-store.h — the store of the mixed corpus that bench-search and
 * bench-window measure
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Makes @db_path a store of @target releases of the mixed corpus
 * (bench-util.c), imported through the core 20,000 at a time with files
 * written in @dir: kept as it is when it holds @target already, grown
 * when it holds fewer, built again otherwise. */
void bench_store_build  (const char *dir,
                         const char *db_path,
                         guint       target);
/* Removes a database with its -wal and -shm files. */
void bench_store_remove (const char *path);
/* Moves the write-ahead log into the database file. */
void bench_store_checkpoint (const char *path);
/* The plain-SQL baseline: @files read and stored with the store's FTS
 * tokenizer, settings and durability, timed until in the file. */
void bench_store_plain_sql_import (const char *path,
                                   GPtrArray  *files,
                                   double     *wall_s,
                                   double     *cpu_s);

G_END_DECLS
