/* desk-window.c — the main window: the queue of releases
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "desk-window.h"

struct _DeskWindow
{
  AdwApplicationWindow  parent_instance;

  DeskStore            *store;
  DeskReleaseList      *releases;

  AdwWindowTitle       *window_title;
  GtkStack             *stack;
  GtkListView          *list_view;
  AdwStatusPage        *empty_page;
};

G_DEFINE_FINAL_TYPE (DeskWindow, desk_window, ADW_TYPE_APPLICATION_WINDOW)

static void
setup_row (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           gpointer                  user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *headline = gtk_label_new (NULL);
  GtkWidget *meta = gtk_label_new (NULL);

  gtk_widget_add_css_class (box, "release-row");
  gtk_widget_add_css_class (headline, "headline");
  gtk_widget_add_css_class (meta, "dim-label");
  gtk_widget_add_css_class (meta, "caption");
  gtk_label_set_xalign (GTK_LABEL (headline), 0);
  gtk_label_set_xalign (GTK_LABEL (meta), 0);
  gtk_label_set_wrap (GTK_LABEL (headline), TRUE);
  gtk_label_set_ellipsize (GTK_LABEL (meta), PANGO_ELLIPSIZE_END);
  gtk_box_append (GTK_BOX (box), headline);
  gtk_box_append (GTK_BOX (box), meta);
  gtk_list_item_set_child (item, box);
}

static void
bind_row (GtkSignalListItemFactory *factory,
          GtkListItem              *item,
          gpointer                  user_data)
{
  DeskRelease *release = gtk_list_item_get_item (item);
  GtkWidget *box = gtk_list_item_get_child (item);
  GtkWidget *headline = gtk_widget_get_first_child (box);
  GtkWidget *meta = gtk_widget_get_next_sibling (headline);
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (desk_release_get_received_at (release) / G_USEC_PER_SEC);
  g_autoptr(GDateTime) local = g_date_time_to_local (utc);
  g_autofree char *when = g_date_time_format (local, "%e %b %Y, %H:%M");
  const char *source = desk_release_get_source (release);
  g_autofree char *text = g_strdup_printf ("%s · %s · %s · %s",
                                           source != NULL && *source ? source : _("Unknown source"),
                                           desk_release_get_language (release),
                                           g_strstrip (when),
                                           desk_status_get_label (desk_release_get_status (release)));

  gtk_label_set_text (GTK_LABEL (headline), desk_release_get_headline (release));
  gtk_label_set_text (GTK_LABEL (meta), text);
}

static void
update_view (DeskWindow *self)
{
  guint n = self->releases != NULL ? g_list_model_get_n_items (G_LIST_MODEL (self->releases)) : 0;
  g_autofree char *subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u release", "%u releases", n), n);

  adw_window_title_set_subtitle (self->window_title, n > 0 ? subtitle : "");
  gtk_stack_set_visible_child_name (self->stack, n > 0 ? "list" : "empty");
}

static void
desk_window_dispose (GObject *object)
{
  DeskWindow *self = DESK_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), DESK_TYPE_WINDOW);
  g_clear_object (&self->releases);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (desk_window_parent_class)->dispose (object);
}

static void
desk_window_class_init (DeskWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = desk_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/copydesk/Copydesk/desk-window.ui");
  gtk_widget_class_bind_template_child (widget_class, DeskWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, DeskWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, DeskWindow, list_view);
  gtk_widget_class_bind_template_child (widget_class, DeskWindow, empty_page);
}

static void
desk_window_init (DeskWindow *self)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect (factory, "setup", G_CALLBACK (setup_row), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row), NULL);
  gtk_list_view_set_factory (self->list_view, factory);
}

DeskWindow *
desk_window_new (GtkApplication *application,
                 DeskStore      *store)
{
  DeskWindow *self = g_object_new (DESK_TYPE_WINDOW, "application", application, NULL);

  if (store != NULL)
    {
      GtkSelectionModel *selection;

      self->store = g_object_ref (store);
      self->releases = desk_release_list_new (store);
      selection = GTK_SELECTION_MODEL (gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->releases))));
      gtk_list_view_set_model (self->list_view, selection);
      g_object_unref (selection);
      g_signal_connect_object (self->releases, "items-changed", G_CALLBACK (update_view), self, G_CONNECT_SWAPPED);
    }
  else
    {
      adw_status_page_set_icon_name (self->empty_page, "dialog-error-symbolic");
      adw_status_page_set_title (self->empty_page, _("No Database"));
      adw_status_page_set_description (self->empty_page, _("Copydesk could not open its database."));
    }

  update_view (self);
  return self;
}

DeskReleaseList *
desk_window_get_releases (DeskWindow *self)
{
  g_return_val_if_fail (DESK_IS_WINDOW (self), NULL);

  return self->releases;
}

void
desk_window_reload (DeskWindow *self)
{
  g_return_if_fail (DESK_IS_WINDOW (self));

  if (self->releases != NULL)
    desk_release_list_reload (self->releases);
}
