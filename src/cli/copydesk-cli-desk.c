/* copydesk-cli-desk.c — `copydesk-cli desk`: a team desk on PostgreSQL
 *
 *   desk init postgresql://…     prepares the database as a desk: roles,
 *                                tables, rights; again, it upgrades it
 *   desk copy FROM TO [--force]  a whole desk from a SQLite file to a
 *                                PostgreSQL desk, or back
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <inttypes.h>
#include <glib/gi18n.h>

#include "copydesk-cli-common.h"
#include "copydesk-cli-desk.h"
#include "desk-pg.h"
#include "desk-pg-copy.h"
#include "desk-pg-schema.h"

static int
desk_init (int    argc,
           char **argv)
{
  g_autoptr(GOptionContext) context =
    command_context (_("postgresql://…"),
                     _("Prepare a PostgreSQL database as a team desk: the roles copydesk_editor and "
                       "copydesk_chief, the tables and their rights. Running it again upgrades the desk."),
                     NULL);
  g_autoptr(DeskPg) pg = NULL;
  g_autoptr(GError) error = NULL;
  int from = 0;

  if (!parse_options (context, &argc, &argv))
    return EXIT_USAGE;
  if (argc != 2)
    return usage_error (context, _("name one postgresql:// address"));
  if (!desk_pg_is_address (argv[1]))
    return usage_error (context, _("a team desk’s address begins with postgresql://"));

  pg = desk_pg_new (argv[1]);
  if (!desk_pg_connect (pg, &error) ||
      !desk_pg_schema_init (pg, &from, &error))
    return command_failed (error);
  if (from == DESK_PG_SCHEMA_VERSION)
    g_print (_("desk %s: already at schema %d\n"), desk_pg_get_display_address (pg), from);
  else
    g_print (_("desk %s: prepared (schema %d)\n"), desk_pg_get_display_address (pg), DESK_PG_SCHEMA_VERSION);
  return EXIT_OK;
}

static int
desk_copy (int    argc,
           char **argv)
{
  gboolean force = FALSE;
  const GOptionEntry entries[] = {
    { "force", 0, 0, G_OPTION_ARG_NONE, &force, N_("Replace what the receiving desk holds"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context =
    command_context (_("FROM TO"),
                     _("Copy a whole desk from a SQLite file to a PostgreSQL desk, or back: releases, "
                       "revisions, events, findings, the outbox and targets (secrets stay in the keyring)."),
                     entries);
  g_autoptr(GError) error = NULL;
  gint64 releases = 0;

  if (!parse_options (context, &argc, &argv))
    return EXIT_USAGE;
  if (argc != 3)
    return usage_error (context, _("name the desk to copy from and the desk to copy to"));

  if (!desk_pg_copy_desk (argv[1], argv[2], force, &releases, &error))
    return command_failed (error);
  g_print (g_dngettext (GETTEXT_PACKAGE, "copied %" PRId64 " release\n",
                        "copied %" PRId64 " releases\n", (gulong) releases), (int64_t) releases);
  return EXIT_OK;
}

int
copydesk_cli_desk (int    argc,
                   char **argv)
{
  if (argc >= 2 && g_str_equal (argv[1], "init"))
    return desk_init (argc - 1, argv + 1);
  if (argc >= 2 && g_str_equal (argv[1], "copy"))
    return desk_copy (argc - 1, argv + 1);

  g_printerr ("%s\n", _("Usage: copydesk-cli desk init postgresql://… | desk copy FROM TO [--force]"));
  return EXIT_USAGE;
}
