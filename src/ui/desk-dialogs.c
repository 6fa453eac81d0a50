/* desk-dialogs.c — dialogs made from the .ui files in the resource
 *
 * A dialog that is made anew for each question (a target's fields, the
 * pre-publish check, where to publish, what was not imported) is an
 * AdwMessageDialog described in its own .ui file and built here with
 * the callbacks it names; the C code fills in only what changes from one
 * question to the next.  Every such dialog has a close response, so
 * Escape closes it.
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "desk-dialogs.h"

#define RESOURCE_PATH "/io/github/copydesk/Copydesk/"

/* Builds @name (a file in the app's resource, "desk-check-dialog.ui")
 * with the callbacks given as pairs of a name and a GCallback, ended by
 * NULL. */
GtkBuilder *
desk_builder_new_from_resource (const char *name,
                                const char *first_callback_name,
                                ...)
{
  g_autoptr(GtkBuilderScope) scope = gtk_builder_cscope_new ();
  g_autofree char *path = g_strconcat (RESOURCE_PATH, name, NULL);
  g_autoptr(GError) error = NULL;
  GtkBuilder *builder = gtk_builder_new ();
  va_list ap;

  va_start (ap, first_callback_name);
  for (const char *callback = first_callback_name; callback != NULL; callback = va_arg (ap, const char *))
    gtk_builder_cscope_add_callback_symbol (GTK_BUILDER_CSCOPE (scope), callback, va_arg (ap, GCallback));
  va_end (ap);

  gtk_builder_set_scope (builder, scope);
  if (!gtk_builder_add_from_resource (builder, path, &error))
    g_error ("%s: %s", name, error->message);   /* compiled in: cannot fail */
  return builder;
}

/* Tells the editor why something was not done: @heading, and @message
 * (the error's own words) below it, with Close (desk-error-dialog.ui). */
AdwMessageDialog *
desk_error_dialog_present (GtkWindow  *parent,
                           const char *heading,
                           const char *message)
{
  g_autoptr(GtkBuilder) builder = desk_builder_new_from_resource ("desk-error-dialog.ui", NULL);
  AdwMessageDialog *dialog = ADW_MESSAGE_DIALOG (gtk_builder_get_object (builder, "dialog"));

  gtk_window_set_transient_for (GTK_WINDOW (dialog), parent);
  adw_message_dialog_set_heading (dialog, heading);
  adw_message_dialog_set_body (dialog, message);
  gtk_window_present (GTK_WINDOW (dialog));
  return dialog;
}
