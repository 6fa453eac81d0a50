/* desk-preferences-private.h — what desk-preferences.c and
 * desk-preferences-sources.c share
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "desk-preferences.h"

G_BEGIN_DECLS

struct _DeskPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  DeskStore            *store;
  GSettings            *settings;
  GPtrArray            *target_rows;
  GPtrArray            *feed_rows;

  /* template children */
  AdwEntryRow          *editor_name;
  AdwPreferencesGroup  *editor_group;
  GtkWidget            *publishing_page;
  GtkWidget            *sources_page;
  AdwPreferencesGroup  *targets_group;
  AdwActionRow         *add_wordpress_row;
  AdwActionRow         *add_webhook_row;
  AdwActionRow         *add_folder_row;
  AdwEntryRow          *inbox_folder;
  AdwActionRow         *feed_interval_row;
  GtkSpinButton        *feed_interval;
  AdwPreferencesGroup  *feeds_group;
  AdwEntryRow          *feed_url;
  AdwEntryRow          *feed_name;
  GtkButton            *subscribe_button;
};

/* desk-preferences-sources.c */
void _desk_preferences_class_init_sources (GtkWidgetClass        *widget_class);
void _desk_preferences_init_sources       (DeskPreferencesWindow *self);
void _desk_preferences_fill_feeds         (DeskPreferencesWindow *self);

G_END_DECLS
