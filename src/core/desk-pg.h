/* desk-pg.h — one connection to a team desk's PostgreSQL server
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <libpq-fe.h>

G_BEGIN_DECLS

#define DESK_PG_ERROR (desk_pg_error_quark ())

typedef enum {
  DESK_PG_ERROR_ADDRESS,        /* the address cannot be read */
  DESK_PG_ERROR_CONNECT,        /* the server cannot be reached, or refused us */
  DESK_PG_ERROR_QUERY,          /* the server refused a statement */
  DESK_PG_ERROR_PERMISSION,     /* … because the role lacks the right (42501) */
  DESK_PG_ERROR_LOST,           /* the connection went away */
  DESK_PG_ERROR_BUSY,           /* a synchronous call while a query is under way */
} DeskPgError;

GQuark desk_pg_error_quark (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PGresult, PQclear)

/* Whether @address names a PostgreSQL desk ("postgresql://…",
 * "postgres://…") rather than a SQLite file. */
gboolean     desk_pg_is_address          (const char  *address);

#define DESK_TYPE_PG (desk_pg_get_type ())
G_DECLARE_FINAL_TYPE (DeskPg, desk_pg, DESK, PG, GObject)

/* A connection, not yet made, to @address: a URI ("postgresql://…", with
 * sslmode and every other libpq parameter passed through) or libpq's
 * keyword form ("host=… dbname=…").  Its socket is watched on the thread
 * default main context of the caller. */
DeskPg      *desk_pg_new                 (const char          *address);

/* The address with its password replaced by "[redacted]": for messages. */
const char  *desk_pg_get_display_address (DeskPg              *self);
gboolean     desk_pg_is_connected        (DeskPg              *self);
/* The connection itself, for COPY; NULL when not connected. */
PGconn      *desk_pg_get_conn            (DeskPg              *self);

void         desk_pg_connect_async       (DeskPg              *self,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
gboolean     desk_pg_connect_finish      (DeskPg              *self,
                                          GAsyncResult        *result,
                                          GError             **error);

/* Runs @sql with @n_params text parameters (NULL entries are SQL NULL;
 * with none, @sql may hold several statements).  Queries run one after
 * another in the order they were asked for.  The result is the last
 * statement's; free it with PQclear(). */
void         desk_pg_query_async         (DeskPg              *self,
                                          const char          *sql,
                                          int                  n_params,
                                          const char * const  *params,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
PGresult    *desk_pg_query_finish        (DeskPg              *self,
                                          GAsyncResult        *result,
                                          GError             **error);

/* LISTEN on @channel, now and again after every reconnection; each
 * NOTIFY arrives as the "notification" signal. */
void         desk_pg_listen_async        (DeskPg              *self,
                                          const char          *channel,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
gboolean     desk_pg_listen_finish       (DeskPg              *self,
                                          GAsyncResult        *result,
                                          GError             **error);

/* The same, waiting: for the CLI, which has no main loop to keep. */
gboolean     desk_pg_connect             (DeskPg              *self,
                                          GError             **error);
PGresult    *desk_pg_query               (DeskPg              *self,
                                          const char          *sql,
                                          int                  n_params,
                                          const char * const  *params,
                                          GError             **error);
gboolean     desk_pg_exec                (DeskPg              *self,
                                          const char          *sql,
                                          GError             **error);

/* A GError from a failed @result (its SQLSTATE decides the code), the
 * server's message with the password redacted. */
void         desk_pg_set_result_error    (DeskPg              *self,
                                          const PGresult      *result,
                                          GError             **error);
/* The same for an error libpq reports on the connection itself. */
void         desk_pg_set_conn_error      (DeskPg              *self,
                                          int                  code,
                                          GError             **error);

/* @name quoted as an SQL identifier. */
char        *desk_pg_quote_ident         (const char          *name);

G_END_DECLS
