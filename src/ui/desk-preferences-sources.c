/* desk-preferences-sources.c — the Sources page: inbox folder and feeds
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "desk-feed.h"
#include "desk-preferences.h"

typedef struct {
  AdwPreferencesWindow *window;
  DeskStore            *store;
  AdwPreferencesGroup  *feeds_group;
  GPtrArray            *feed_rows;
  GtkEditable          *url;
  GtkEditable          *name;
} SourcesPage;

static void fill_feeds (SourcesPage *page);

static void
sources_page_free (SourcesPage *page)
{
  g_object_unref (page->store);
  g_ptr_array_unref (page->feed_rows);
  g_free (page);
}

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
remove_clicked (GtkButton   *button,
                SourcesPage *page)
{
  const char *url = g_object_get_data (G_OBJECT (button), "url");
  g_autoptr(GError) error = NULL;

  if (!desk_feed_remove (page->store, url, &error))
    adw_preferences_window_add_toast (page->window, adw_toast_new (error->message));
  fill_feeds (page);
}

static void
fill_feeds (SourcesPage *page)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) feeds = desk_feed_list (page->store, &error);

  for (guint i = 0; i < page->feed_rows->len; i++)
    adw_preferences_group_remove (page->feeds_group, g_ptr_array_index (page->feed_rows, i));
  g_ptr_array_set_size (page->feed_rows, 0);
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
      g_object_set_data_full (G_OBJECT (remove), "url", g_strdup (info->url), g_free);
      g_signal_connect (remove, "clicked", G_CALLBACK (remove_clicked), page);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);
      adw_preferences_group_add (page->feeds_group, row);
      g_ptr_array_add (page->feed_rows, row);
    }
}

static void
add_clicked (GtkButton   *button,
             SourcesPage *page)
{
  g_autoptr(GError) error = NULL;
  const char *url = gtk_editable_get_text (page->url);
  const char *name = gtk_editable_get_text (page->name);

  if (desk_feed_add (page->store, url, *name != '\0' ? name : NULL, &error) == 0)
    {
      adw_preferences_window_add_toast (page->window, adw_toast_new (error->message));
      return;
    }
  gtk_editable_set_text (page->url, "");
  gtk_editable_set_text (page->name, "");
  fill_feeds (page);
}

/* Adds the Sources page to @window: the inbox folder, how often feeds are
 * read, and the feeds with when each was last read and its last error. */
void
desk_preferences_add_sources_page (AdwPreferencesWindow *window,
                                   DeskStore            *store,
                                   GSettings            *settings)
{
  SourcesPage *page = g_new0 (SourcesPage, 1);
  GtkWidget *sources_page = adw_preferences_page_new ();
  GtkWidget *inbox_group = adw_preferences_group_new ();
  GtkWidget *add_group = adw_preferences_group_new ();
  GtkWidget *add_button = gtk_button_new_with_mnemonic (_("_Subscribe"));

  page->window = window;
  page->store = g_object_ref (store);
  page->feed_rows = g_ptr_array_new ();
  g_object_set_data_full (G_OBJECT (sources_page), "sources-page", page, (GDestroyNotify) sources_page_free);

  adw_preferences_page_set_title (ADW_PREFERENCES_PAGE (sources_page), _("Sources"));
  adw_preferences_page_set_icon_name (ADW_PREFERENCES_PAGE (sources_page), "folder-download-symbolic");

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (inbox_group), _("Arriving by Themselves"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (inbox_group),
                                         _("Read while this window is open, or by “copydesk-cli ingest --watch” when it is not."));
  if (settings != NULL)
    {
      GtkWidget *folder = adw_entry_row_new ();
      GtkWidget *interval_row = adw_action_row_new ();
      GtkWidget *interval = gtk_spin_button_new_with_range (1, 1440, 1);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (folder), _("Inbox folder"));
      g_settings_bind (settings, "inbox-folder", folder, "text", G_SETTINGS_BIND_DEFAULT);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (inbox_group), folder);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (interval_row), _("Read feeds every"));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (interval_row), _("Minutes"));
      gtk_widget_set_valign (interval, GTK_ALIGN_CENTER);
      g_settings_bind (settings, "feed-refresh-interval", interval, "value", G_SETTINGS_BIND_DEFAULT);
      adw_action_row_add_suffix (ADW_ACTION_ROW (interval_row), interval);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (inbox_group), interval_row);
    }
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (sources_page), ADW_PREFERENCES_GROUP (inbox_group));

  page->feeds_group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_set_title (page->feeds_group, _("Feeds"));
  adw_preferences_group_set_description (page->feeds_group, _("RSS and Atom feeds whose items become releases."));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (sources_page), page->feeds_group);

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (add_group), _("Subscribe to a Feed"));
  page->url = GTK_EDITABLE (adw_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (page->url), _("Address"));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (add_group), GTK_WIDGET (page->url));
  page->name = GTK_EDITABLE (adw_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (page->name), _("Name (optional)"));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (add_group), GTK_WIDGET (page->name));
  gtk_widget_set_halign (add_button, GTK_ALIGN_END);
  gtk_widget_set_margin_top (add_button, 12);
  gtk_widget_add_css_class (add_button, "suggested-action");
  g_signal_connect (add_button, "clicked", G_CALLBACK (add_clicked), page);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (add_group), add_button);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (sources_page), ADW_PREFERENCES_GROUP (add_group));

  adw_preferences_window_add (window, ADW_PREFERENCES_PAGE (sources_page));
  fill_feeds (page);
}
