/* desk-application.c — the Copydesk application
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "desk-application.h"
#include "desk-dialogs.h"
#include "desk-window.h"

struct _DeskApplication
{
  AdwApplication  parent_instance;

  char           *database_path;
  DeskStore      *store;
  gint64          release_id;
};

G_DEFINE_FINAL_TYPE (DeskApplication, desk_application, ADW_TYPE_APPLICATION)

static int
desk_application_handle_local_options (GApplication *application,
                                       GVariantDict *options)
{
  DeskApplication *self = DESK_APPLICATION (application);
  const char *path = NULL;

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("copydesk %s\n", PACKAGE_VERSION);
      return 0;
    }

  g_variant_dict_lookup (options, "release", "x", &self->release_id);

  if (g_variant_dict_lookup (options, "database", "^&ay", &path))
    {
      g_free (self->database_path);
      self->database_path = g_strdup (path);
      /* Another profile is another desk: do not hand over to a running one. */
      g_application_set_flags (application,
                               g_application_get_flags (application) | G_APPLICATION_NON_UNIQUE);
    }

  return -1;
}

static GtkWindow *
ensure_window (DeskApplication *self);

static void
desk_application_activate (GApplication *application)
{
  DeskApplication *self = DESK_APPLICATION (application);
  GtkWindow *window = ensure_window (self);

  gtk_window_present (window);
  if (self->release_id > 0 && DESK_IS_WINDOW (window))
    desk_window_show_release (DESK_WINDOW (window), self->release_id);
}

/* "copydesk FILE…" and Open With: the files are imported into the desk. */
static void
desk_application_open (GApplication  *application,
                       GFile        **files,
                       int            n_files,
                       const char    *hint)
{
  GtkWindow *window = ensure_window (DESK_APPLICATION (application));
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);

  for (int i = 0; i < n_files; i++)
    {
      char *path = g_file_get_path (files[i]);

      if (path != NULL)
        g_ptr_array_add (paths, path);
    }
  g_ptr_array_add (paths, NULL);

  gtk_window_present (window);
  if (DESK_IS_WINDOW (window))
    desk_window_import (DESK_WINDOW (window), (const char * const *) paths->pdata);
}

static GtkWindow *
ensure_window (DeskApplication *self)
{
  GtkApplication *application = GTK_APPLICATION (self);
  GtkWindow *window = gtk_application_get_active_window (application);
  g_autoptr(GError) error = NULL;

  if (window == NULL)
    {
      if (self->store == NULL)
        self->store = desk_store_open (self->database_path, &error);
      if (self->store == NULL)
        g_printerr ("copydesk: %s\n", error->message);

      window = GTK_WINDOW (desk_window_new (GTK_APPLICATION (application), self->store));
      if (error != NULL)
        {
          gtk_window_present (window);
          desk_error_dialog_present (window, _("The database cannot be opened"), error->message);
        }
    }

  return window;
}

static void
desk_application_startup (GApplication *application)
{
  g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();
  const char *quit_accels[] = { "<Control>q", NULL };
  const char *help_accels[] = { "<Control>question", NULL };

  G_APPLICATION_CLASS (desk_application_parent_class)->startup (application);

  gtk_application_set_accels_for_action (GTK_APPLICATION (application), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (application), "win.show-help-overlay", help_accels);

  gtk_css_provider_load_from_resource (css, "/io/github/copydesk/Copydesk/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                              GTK_STYLE_PROVIDER (css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
}

/* Closing the windows, not quitting outright, so each saves its copy. */
static void
quit_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  GList *windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (user_data)));

  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (l->data);
  g_list_free (windows);
}

static void
about_activated (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  GtkApplication *application = GTK_APPLICATION (user_data);
  GtkWidget *about = adw_about_window_new ();
  const char *developers[] = { "The Copydesk authors", NULL };

  gtk_window_set_transient_for (GTK_WINDOW (about), gtk_application_get_active_window (application));
  adw_about_window_set_application_name (ADW_ABOUT_WINDOW (about), _("Copydesk"));
  adw_about_window_set_application_icon (ADW_ABOUT_WINDOW (about), APPLICATION_ID);
  adw_about_window_set_version (ADW_ABOUT_WINDOW (about), PACKAGE_VERSION);
  adw_about_window_set_developer_name (ADW_ABOUT_WINDOW (about), _("The Copydesk authors"));
  adw_about_window_set_developers (ADW_ABOUT_WINDOW (about), developers);
  adw_about_window_set_comments (ADW_ABOUT_WINDOW (about),
                                 _("Review press releases and wire copy beside the original, flag sponsored content, approve and publish."));
  adw_about_window_set_license_type (ADW_ABOUT_WINDOW (about), GTK_LICENSE_GPL_3_0);
  adw_about_window_set_translator_credits (ADW_ABOUT_WINDOW (about), _("translator-credits"));
  gtk_window_present (GTK_WINDOW (about));
}

static void
dark_style_changed (GSimpleAction *action,
                    GVariant      *state,
                    gpointer       user_data)
{
  g_simple_action_set_state (action, state);
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      g_variant_get_boolean (state) ? ADW_COLOR_SCHEME_FORCE_DARK
                                                                    : ADW_COLOR_SCHEME_DEFAULT);
}

static void
desk_application_finalize (GObject *object)
{
  DeskApplication *self = (DeskApplication *) object;

  g_clear_object (&self->store);
  g_free (self->database_path);

  G_OBJECT_CLASS (desk_application_parent_class)->finalize (object);
}

static void
desk_application_class_init (DeskApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = desk_application_finalize;
  app_class->activate = desk_application_activate;
  app_class->open = desk_application_open;
  app_class->startup = desk_application_startup;
  app_class->handle_local_options = desk_application_handle_local_options;
}

static void
desk_application_init (DeskApplication *self)
{
  static const GOptionEntry entries[] = {
    { "database", 'd', 0, G_OPTION_ARG_FILENAME, NULL,
      N_("Use the database at PATH (default: $COPYDESK_DB, else the user data folder)"), N_("PATH") },
    { "release", 'r', 0, G_OPTION_ARG_INT64, NULL, N_("Open release number ID"), N_("ID") },
    { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Print the version and exit"), NULL },
    { NULL }
  };
  static const GActionEntry actions[] = {
    { "quit", quit_activated },
    { "about", about_activated },
    { "dark-style", NULL, NULL, "false", dark_style_changed },
  };

  g_application_add_main_option_entries (G_APPLICATION (self), entries);
  g_action_map_add_action_entries (G_ACTION_MAP (self), actions, G_N_ELEMENTS (actions), self);
}

DeskApplication *
desk_application_new (void)
{
  return g_object_new (DESK_TYPE_APPLICATION,
                       "application-id", APPLICATION_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN,
                       "resource-base-path", "/io/github/copydesk/Copydesk",
                       NULL);
}

DeskStore *
desk_application_get_store (DeskApplication *self)
{
  g_return_val_if_fail (DESK_IS_APPLICATION (self), NULL);

  return self->store;
}
