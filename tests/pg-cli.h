/* pg-cli.h — the real copydesk-cli, run beside a test's own PostgreSQL
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "desk-pg.h"
#include "desk-test-util.h"

G_BEGIN_DECLS

/* A copydesk-cli ($COPYDESK_CLI) under way, its output gathered. */
typedef struct {
  GSubprocess *process;
  gboolean     done;
  char        *out;
  char        *err;
} DeskPgCli;

void        desk_pg_cli_start  (DeskPgCli  *cli,
                                const char *first,
                                ...) G_GNUC_NULL_TERMINATED;
/* Waits for it, running the main context; status -1 when it was killed. */
DeskTestRun desk_pg_cli_finish (DeskPgCli  *cli);

#define DESK_PG_RUN_CLI(...) \
  ({ DeskPgCli _cli; desk_pg_cli_start (&_cli, __VA_ARGS__, NULL); desk_pg_cli_finish (&_cli); })

/* The one value of @sql's one row, as a number; the test fails otherwise. */
gint64      desk_pg_query_int  (DeskPg     *pg,
                                const char *sql);

G_END_DECLS
