/* main.c — Copydesk's entry point
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <glib/gi18n.h>

#include "desk-application.h"

int
main (int    argc,
      char **argv)
{
  g_autoptr(DeskApplication) app = NULL;
  const char *localedir;

  setlocale (LC_ALL, "");
  /* COPYDESK_LOCALEDIR: the catalogues of an uninstalled build (tests). */
  localedir = g_getenv ("COPYDESK_LOCALEDIR");
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL && *localedir != '\0' ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = desk_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
