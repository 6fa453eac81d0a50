/* copydesk-cli-common.h — what every copydesk-cli command shares: exit
 * statuses, the --database and --editor options, option parsing and
 * opening the store (defined in copydesk-cli.c)
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "desk-db.h"
#include "desk-store.h"

G_BEGIN_DECLS

enum {
  EXIT_OK = 0,
  EXIT_FAILED = 1,
  EXIT_USAGE = 2,
};

extern char *opt_database;
extern char *opt_editor;

int             usage_error     (GOptionContext     *context,
                                 const char         *message);
GOptionContext *command_context (const char         *parameters,
                                 const char         *summary,
                                 const GOptionEntry *entries);
gboolean        parse_options   (GOptionContext     *context,
                                 int                *argc,
                                 char             ***argv);
/* The desk's address: --database, else COPYDESK_DB, else the default file. */
char           *dup_database_address (void);
DeskStore      *open_store      (void);
/* *@out_db is the team desk --database names, or NULL for a SQLite
 * desk; FALSE, after saying why, when the team desk cannot be opened. */
gboolean        open_team_desk  (DeskDb            **out_db);
/* A release number, "12" or "#12". */
gboolean        parse_id        (const char         *text,
                                 gint64             *out_id);
int             command_failed  (const GError       *error);

G_END_DECLS
