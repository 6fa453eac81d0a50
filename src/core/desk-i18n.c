/* desk-i18n.c
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <glib/gi18n-lib.h>

#include "desk-i18n.h"

/* Takes the user's locale and binds Copydesk's catalogue, from
 * $COPYDESK_LOCALEDIR when set (an uninstalled build's, for tests), else
 * from where it was installed. Both programs call this first. */
void
desk_i18n_init (void)
{
  const char *localedir = g_getenv ("COPYDESK_LOCALEDIR");

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL && *localedir != '\0' ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
}
