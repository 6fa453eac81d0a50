/* desk-db.h — SQL statements on either engine: a SQLite file or a team
 * desk's PostgreSQL server
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "desk-pg.h"

G_BEGIN_DECLS

typedef enum {
  DESK_DB_SQLITE,
  DESK_DB_POSTGRESQL,
} DeskDbDialect;

typedef enum {
  DESK_DB_ERROR = -1,
  DESK_DB_DONE = 0,
  DESK_DB_ROW = 1,
} DeskDbStep;

#define DESK_TYPE_DB (desk_db_get_type ())
G_DECLARE_FINAL_TYPE (DeskDb, desk_db, DESK, DB, GObject)

typedef struct _DeskDbStmt DeskDbStmt;

/* Opens @address: a "postgresql://…" address (connected at once, and
 * waiting for it: see below) or the path of an existing SQLite file.
 *
 * Every call on a DeskDb waits for its engine.  That is what the CLI and
 * a worker thread (desk_worker_run()) want; the window must call it from
 * such a thread, never from the main loop, or use DeskPg's asynchronous
 * queries directly. */
DeskDb        *desk_db_open                 (const char    *address,
                                             GError       **error);
/* A DeskDb on @pg, which must be connected. */
DeskDb        *desk_db_new_for_pg           (DeskPg        *pg);

DeskDbDialect  desk_db_get_dialect          (DeskDb        *self);
/* The address without its password: for messages. */
const char    *desk_db_get_display_address  (DeskDb        *self);
/* The connection, on PostgreSQL; NULL on SQLite. */
DeskPg        *desk_db_get_pg               (DeskDb        *self);

/* A statement of @sql, which writes its parameters as "?" or "?N" (N
 * from 1) on either engine.  Statements are cached by their text for the
 * connection's life: prepare the same text again, and bind anew.  A
 * statement stays the caller's until desk_db_stmt_reset(). */
DeskDbStmt    *desk_db_prepare              (DeskDb        *self,
                                             const char    *sql,
                                             GError       **error);

/* Parameters count from 1; text is copied. */
void           desk_db_bind_text            (DeskDbStmt    *stmt,
                                             int            index,
                                             const char    *value);
void           desk_db_bind_int64           (DeskDbStmt    *stmt,
                                             int            index,
                                             gint64         value);
void           desk_db_bind_double          (DeskDbStmt    *stmt,
                                             int            index,
                                             double         value);
void           desk_db_bind_null            (DeskDbStmt    *stmt,
                                             int            index);

DeskDbStep     desk_db_step                 (DeskDbStmt    *stmt,
                                             GError       **error);
/* Steps a statement that returns no rows, or one row whose first column
 * is what *@out_value gets (an "INSERT … RETURNING id"; may be NULL). */
gboolean       desk_db_step_done            (DeskDbStmt    *stmt,
                                             gint64        *out_value,
                                             GError       **error);
/* The rows the last step of a write changed. */
gint64         desk_db_stmt_changes         (DeskDbStmt    *stmt);

/* Columns count from 0.  Text is the statement's until it steps on or
 * is reset. */
gboolean       desk_db_column_is_null       (DeskDbStmt    *stmt,
                                             int            column);
const char    *desk_db_column_text          (DeskDbStmt    *stmt,
                                             int            column);
char          *desk_db_column_dup           (DeskDbStmt    *stmt,
                                             int            column);
gint64         desk_db_column_int64         (DeskDbStmt    *stmt,
                                             int            column);
double         desk_db_column_double        (DeskDbStmt    *stmt,
                                             int            column);

/* Gives the statement back to its cache, its parameters cleared. */
void           desk_db_stmt_reset           (DeskDbStmt    *stmt);

/* Runs @sql, which may hold several statements and no parameters. */
gboolean       desk_db_exec                 (DeskDb        *self,
                                             const char    *sql,
                                             GError       **error);
/* A write transaction (BEGIN IMMEDIATE on SQLite). */
gboolean       desk_db_begin                (DeskDb        *self,
                                             GError       **error);
gboolean       desk_db_commit               (DeskDb        *self,
                                             GError       **error);
void           desk_db_rollback             (DeskDb        *self);

/* @sql with its "?" and "?N" as libpq's "$N", outside quoted strings
 * and identifiers. */
char          *desk_db_rewrite_placeholders (const char    *sql);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DeskDbStmt, desk_db_stmt_reset)

G_END_DECLS
