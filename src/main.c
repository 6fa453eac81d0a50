/* main.c — Copydesk's entry point
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "desk-application.h"
#include "desk-i18n.h"

int
main (int    argc,
      char **argv)
{
  g_autoptr(DeskApplication) app = NULL;

  desk_i18n_init ();
  app = desk_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
