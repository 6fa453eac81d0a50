/* desk-pg-schema.h — a team desk's tables, roles and rights on PostgreSQL
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "desk-pg.h"

G_BEGIN_DECLS

/* The PostgreSQL schema's own version, in its schema_version table;
 * version 1 holds what the SQLite store holds at its schema 12. */
#define DESK_PG_SCHEMA_VERSION 3

/* The group roles a team desk's editors are members of. */
#define DESK_PG_ROLE_EDITOR "copydesk_editor"
#define DESK_PG_ROLE_CHIEF "copydesk_chief"

/* The first key of every soft lock's advisory lock (the second is the
 * release id), and the channel a lock's change is told on, its payload
 * the release id. */
#define DESK_PG_LOCK_KEY "7340162"
#define DESK_PG_LOCK_CHANNEL "copydesk_lock"

/* Prepares the database @pg is connected to as a desk: the roles, the
 * migrations up to DESK_PG_SCHEMA_VERSION, the rights.  Idempotent, and
 * safe when several run at once.  *@out_from is the version found. */
gboolean desk_pg_schema_init        (DeskPg   *pg,
                                     int      *out_from,
                                     GError  **error);

/* The version of the desk @pg is connected to; 0 if it is none. */
int      desk_pg_schema_get_version (DeskPg   *pg,
                                     GError  **error);

/* Fails with a message naming the address unless @pg's database is a
 * desk at DESK_PG_SCHEMA_VERSION. */
gboolean desk_pg_schema_check       (DeskPg   *pg,
                                     GError  **error);

G_END_DECLS
