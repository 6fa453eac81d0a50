/* desk-window-backup.c — Back Up Desk…: a copy of the open desk, made on a
 * thread while the window goes on working
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "desk-window-private.h"

typedef struct {
  DeskStore *store;   /* only its path is read on the thread */
  char      *path;
} BackupJob;

static void
backup_job_free (BackupJob *job)
{
  g_clear_object (&job->store);
  g_free (job->path);
  g_free (job);
}

static void
backup_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  BackupJob *job = task_data;
  g_autoptr(GError) error = NULL;

  if (desk_store_backup (job->store, job->path, NULL, NULL, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

static void
set_backup_enabled (DeskWindow *self,
                    gboolean    enabled)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.back-up", enabled);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.back-up-to", enabled);
}

static void
backup_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  DeskWindow *self = DESK_WINDOW (source);
  BackupJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  AdwToast *toast;

  /* A window closed meanwhile: the copy was abandoned, nothing to tell. */
  if (!g_task_propagate_boolean (G_TASK (result), &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  set_backup_enabled (self, TRUE);
  if (error == NULL)
    message = g_strdup_printf (_("Desk backed up to %s"), job->path);
  else
    message = g_strdup_printf (_("The desk was not backed up: %s"), error->message);

  toast = adw_toast_new (message);
  if (error != NULL)
    {
      adw_toast_set_timeout (toast, 0);
      adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
    }
  adw_toast_overlay_add_toast (_desk_window_get_toasts (self), toast);
  g_signal_emit_by_name (self, "backed-up", job->path, error != NULL ? error->message : NULL);
}

/**
 * desk_window_back_up:
 * @self: the window
 * @path: the file to write the backup to
 *
 * Copies the open desk to @path on a thread; a toast says where it went or
 * why it did not, and ::backed-up is emitted.
 */
void
desk_window_back_up (DeskWindow *self,
                     const char *path)
{
  g_autoptr(GTask) task = NULL;
  DeskStore *store;
  BackupJob *job;

  g_return_if_fail (DESK_IS_WINDOW (self));
  g_return_if_fail (path != NULL);

  store = _desk_window_get_store (self);
  if (store == NULL)
    return;

  job = g_new0 (BackupJob, 1);
  job->store = g_object_ref (store);
  job->path = g_strdup (path);

  set_backup_enabled (self, FALSE);
  task = g_task_new (self, _desk_window_get_cancellable (self), backup_done, NULL);
  g_task_set_task_data (task, job, (GDestroyNotify) backup_job_free);
  g_task_run_in_thread (task, backup_thread);
}

static void
backup_chosen (GtkNativeDialog *chooser,
               int              response,
               DeskWindow      *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;

      if (path != NULL)
        desk_window_back_up (self, path);
    }
  g_object_unref (chooser);
}

static void
back_up_activated (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  DeskWindow *self = DESK_WINDOW (widget);
  GtkFileChooserNative *chooser;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *date = g_date_time_format (now, "%Y-%m-%d");
  /* Translators: the suggested file name of a backup; %s is today's date */
  g_autofree char *name = g_strdup_printf (_("copydesk-backup-%s.db"), date);
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  const char *documents = g_get_user_special_dir (G_USER_DIRECTORY_DOCUMENTS);

  if (_desk_window_get_store (self) == NULL)
    return;

  chooser = gtk_file_chooser_native_new (_("Back Up Desk"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Back Up"), _("_Cancel"));
  if (documents != NULL && g_file_test (documents, G_FILE_TEST_IS_DIR))
    {
      g_autoptr(GFile) folder = g_file_new_for_path (documents);

      gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), folder, NULL);
    }
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  gtk_file_filter_set_name (filter, _("Copydesk databases (.db)"));
  gtk_file_filter_add_pattern (filter, "*.db");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  g_signal_connect (chooser, "response", G_CALLBACK (backup_chosen), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* "win.back-up-to" takes the file's path: what the dialog does once a file
 * is chosen, for a caller that already knows where. */
static void
back_up_to_activated (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  desk_window_back_up (DESK_WINDOW (widget), g_variant_get_string (parameter, NULL));
}

void
_desk_window_class_init_backup (GtkWidgetClass *widget_class)
{
  /* Emitted when a backup ends, with its file and, if it failed, why. */
  g_signal_new ("backed-up", G_TYPE_FROM_CLASS (widget_class), G_SIGNAL_RUN_LAST,
                0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);

  gtk_widget_class_install_action (widget_class, "win.back-up", NULL, back_up_activated);
  gtk_widget_class_install_action (widget_class, "win.back-up-to", "s", back_up_to_activated);
}
