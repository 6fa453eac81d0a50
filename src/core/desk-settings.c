/* desk-settings.c
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "desk-settings.h"

/* Copydesk's settings, or NULL when its schema is not installed (an
 * uninstalled build, a script) or is too old to have @key (NULL: any
 * key).  g_settings_new() would abort in both cases. */
GSettings *
desk_settings_new_if_installed (const char *key)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source == NULL)
    return NULL;
  schema = g_settings_schema_source_lookup (source, APPLICATION_ID, TRUE);
  if (schema == NULL || (key != NULL && !g_settings_schema_has_key (schema, key)))
    return NULL;
  return g_settings_new_full (schema, NULL, NULL);
}
