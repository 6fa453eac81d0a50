/* desk-preferences-sources.c — the Sources page: inbox folder and feeds
 *
 * The page is in desk-preferences.ui; the feeds' rows are the store's,
 * made here.
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "desk-feed.h"
#include "desk-preferences-private.h"

static char *
describe_feed (const DeskFeedInfo *info)
{
  g_autofree char *when = NULL;

  if (info->last_fetched_at > 0)
    {
      g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (info->last_fetched_at / G_USEC_PER_SEC);
      g_autoptr(GDateTime) local = g_date_time_to_local (utc);

      when = g_date_time_format (local, "%Y-%m-%d %H:%M");
    }
  if (info->last_error != NULL)
    return g_markup_printf_escaped ("%s\n%s", info->url, info->last_error);
  if (when != NULL)
    return g_markup_printf_escaped (_("%s\nLast read %s"), info->url, when);
  return g_markup_printf_escaped (_("%s\nNot read yet"), info->url);
}

static void
remove_clicked (GtkButton             *button,
                DeskPreferencesWindow *self)
{
  const char *url = g_object_get_data (G_OBJECT (button), "url");
  g_autoptr(GError) error = NULL;

  if (!desk_feed_remove (self->store, url, &error))
    adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (error->message));
  _desk_preferences_fill_feeds (self);
}

/* The feeds, each with when it was last read or its last error. */
void
_desk_preferences_fill_feeds (DeskPreferencesWindow *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) feeds = desk_feed_list (self->store, &error);

  for (guint i = 0; i < self->feed_rows->len; i++)
    adw_preferences_group_remove (self->feeds_group, g_ptr_array_index (self->feed_rows, i));
  g_ptr_array_set_size (self->feed_rows, 0);
  if (feeds == NULL)
    return;

  for (guint i = 0; i < feeds->len; i++)
    {
      DeskFeedInfo *info = g_ptr_array_index (feeds, i);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");
      g_autofree char *subtitle = describe_feed (info);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), info->name);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      if (info->last_error != NULL)
        gtk_widget_add_css_class (row, "error");
      gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (remove, "flat");
      gtk_widget_set_tooltip_text (remove, _("Unsubscribe"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Unsubscribe"), -1);
      g_object_set_data_full (G_OBJECT (remove), "url", g_strdup (info->url), g_free);
      g_signal_connect_object (remove, "clicked", G_CALLBACK (remove_clicked), self, 0);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);
      adw_preferences_group_add (self->feeds_group, row);
      g_ptr_array_add (self->feed_rows, row);
    }
}

static void
subscribe_clicked (DeskPreferencesWindow *self)
{
  g_autoptr(GError) error = NULL;
  const char *url = gtk_editable_get_text (GTK_EDITABLE (self->feed_url));
  const char *name = gtk_editable_get_text (GTK_EDITABLE (self->feed_name));

  if (desk_feed_add (self->store, url, *name != '\0' ? name : NULL, &error) == 0)
    {
      adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (error->message));
      return;
    }
  gtk_editable_set_text (GTK_EDITABLE (self->feed_url), "");
  gtk_editable_set_text (GTK_EDITABLE (self->feed_name), "");
  _desk_preferences_fill_feeds (self);
}

/* The inbox folder and how often feeds are read are settings; without
 * the schema installed, there is nothing to show for them. */
void
_desk_preferences_init_sources (DeskPreferencesWindow *self)
{
  if (self->settings != NULL)
    {
      g_settings_bind (self->settings, "inbox-folder", self->inbox_folder, "text", G_SETTINGS_BIND_DEFAULT);
      g_settings_bind (self->settings, "feed-refresh-interval", self->feed_interval, "value", G_SETTINGS_BIND_DEFAULT);
    }
  else
    {
      gtk_widget_set_visible (GTK_WIDGET (self->inbox_folder), FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->feed_interval_row), FALSE);
    }
}

void
_desk_preferences_class_init_sources (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_child (widget_class, DeskPreferencesWindow, inbox_folder);
  gtk_widget_class_bind_template_child (widget_class, DeskPreferencesWindow, feed_interval_row);
  gtk_widget_class_bind_template_child (widget_class, DeskPreferencesWindow, feed_interval);
  gtk_widget_class_bind_template_child (widget_class, DeskPreferencesWindow, feeds_group);
  gtk_widget_class_bind_template_child (widget_class, DeskPreferencesWindow, feed_url);
  gtk_widget_class_bind_template_child (widget_class, DeskPreferencesWindow, feed_name);
  gtk_widget_class_bind_template_child (widget_class, DeskPreferencesWindow, subscribe_button);
  gtk_widget_class_bind_template_callback (widget_class, subscribe_clicked);
}
