/* desk-disclosure.c — the label sponsored copy goes out with
 *
 * The labels are a setting (disclosure-labels, language tag → label), so
 * a newsroom words them as its readers expect.  Export and publishing ask
 * for the label of the copy's language.
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <gio/gio.h>
#include <glib/gi18n-lib.h>

#include "desk-disclosure.h"
#include "desk-settings.h"

/* The settings' labels, or NULL where the schema is not installed. */
static GVariant *
load_labels (void)
{
  g_autoptr(GSettings) settings = desk_settings_new_if_installed ("disclosure-labels");

  if (settings == NULL)
    return NULL;
  return g_settings_get_value (settings, "disclosure-labels");
}

static char *
lookup (GVariant   *labels,
        const char *tag)
{
  const char *label = NULL;

  if (labels != NULL && g_variant_lookup (labels, tag, "&s", &label) && *label != '\0')
    return g_strdup (label);
  return NULL;
}

/* The disclosure label for copy in @language (BCP-47): the setting for
 * the whole tag ("zh-Hant-TW"), else for shorter forms of it ("zh-Hant",
 * "zh"), else the English one, else "Sponsored content" in the user's
 * language.  Never NULL. */
char *
desk_disclosure_label_for_language (const char *language)
{
  g_autoptr(GVariant) labels = load_labels ();
  g_autofree char *tag = g_strdup (language != NULL ? language : "");
  char *label;

  g_strdelimit (tag, "_", '-');
  while (*tag != '\0')
    {
      char *dash;

      if ((label = lookup (labels, tag)) != NULL)
        return label;
      dash = strrchr (tag, '-');
      if (dash == NULL)
        break;
      *dash = '\0';
    }

  if ((label = lookup (labels, "en")) != NULL)
    return label;
  return g_strdup (_("Sponsored content"));
}
