/* pg-harness.h — a real PostgreSQL 15 of a test's own
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _DeskPgHarness DeskPgHarness;

/* Starts a server in a new temporary folder (initdb, pg_ctl; Unix socket
 * only, in that folder; as "nobody" when the test runs as root), and a
 * guard process that stops it and removes the folder as soon as the test
 * process ends, however it ends (kill -9 included).  Fails the test if
 * the server does not start. */
DeskPgHarness *desk_pg_harness_start        (void);
/* The same, with @extra_options for the server ("-c ssl=on …", given
 * after the harness's own, so that they win) and on @port (0: the
 * harness's own). */
DeskPgHarness *desk_pg_harness_start_full   (const char    *extra_options,
                                             guint          port);
void           desk_pg_harness_stop         (DeskPgHarness *harness);
/* The server's port, on its socket and on any address it listens on. */
const char    *desk_pg_harness_get_port     (DeskPgHarness *harness);

/* The server's superuser. */
const char    *desk_pg_harness_get_superuser (DeskPgHarness *harness);
/* The folder of the server's socket (and data). */
const char    *desk_pg_harness_get_dir      (DeskPgHarness *harness);

/* Creates database @name; returns its postgresql:// address for @user
 * (NULL: the superuser). */
char          *desk_pg_harness_create_database (DeskPgHarness *harness,
                                                const char    *name);
char          *desk_pg_harness_address      (DeskPgHarness *harness,
                                             const char    *database,
                                             const char    *user);
/* Runs @sql as the superuser in @database; the test fails if it fails. */
void           desk_pg_harness_sql          (DeskPgHarness *harness,
                                             const char    *database,
                                             const char    *sql);

G_END_DECLS
