/* desk-window-import.c — importing releases: the file chooser, drag and drop, the sample releases
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "desk-dialogs.h"
#include "desk-importer.h"
#include "desk-worker.h"
#include "desk-window-private.h"

/* ---- importing ----------------------------------------------------------- */

typedef struct {
  GStrv              paths;
  DeskWindow        *self;     /* for progress; a strong ref lives in the task */
} ImportJob;

static void
import_job_free (ImportJob *job)
{
  g_strfreev (job->paths);
  g_free (job);
}

typedef struct {
  DeskWindow *self;
  guint       done;
  guint       total;
} Progress;

static gboolean
show_progress (gpointer data)
{
  Progress *progress = data;
  g_autofree char *text = g_strdup_printf (_("Importing %u of %u…"), progress->done, progress->total);

  gtk_progress_bar_set_fraction (progress->self->import_progress,
                                 progress->total > 0 ? (double) progress->done / progress->total : 0);
  gtk_label_set_text (progress->self->import_label, text);
  return G_SOURCE_REMOVE;
}

static void
progress_free (Progress *progress)
{
  g_object_unref (progress->self);
  g_free (progress);
}

static void
import_progress_cb (guint    done,
                    guint    total,
                    gpointer user_data)
{
  ImportJob *job = user_data;
  Progress *progress;

  /* About a hundred updates, however long the import. */
  if (done != total && done % MAX (total / 100, 1) != 0)
    return;

  progress = g_new0 (Progress, 1);
  progress->self = g_object_ref (job->self);
  progress->done = done;
  progress->total = total;
  g_main_context_invoke_full (NULL, G_PRIORITY_DEFAULT, show_progress, progress, (GDestroyNotify) progress_free);
}

static gpointer
import_thread (DeskStore     *store,
               gpointer       data,
               GCancellable  *cancellable,
               GError       **error)
{
  ImportJob *job = data;

  return desk_import_paths (store, (const char * const *) job->paths, NULL,
                            cancellable, import_progress_cb, job);
}

/* What was not imported, and why (desk-import-failures-dialog.ui). */
static void
show_import_failures (DeskWindow       *self,
                      DeskImportReport *report)
{
  GString *text = g_string_new (NULL);
  g_autoptr(GtkBuilder) builder = NULL;
  AdwMessageDialog *dialog;
  g_autofree char *heading = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                           "%u file was not imported",
                                                           "%u files were not imported",
                                                           report->failed), report->failed);

  for (guint i = 0; i < report->items->len; i++)
    {
      DeskImportItem *item = g_ptr_array_index (report->items, i);

      if (item->outcome == DESK_IMPORT_FAILED)
        g_string_append_printf (text, "%s%s: %s", text->len ? "\n" : "", item->path, item->message);
    }
  if (report->stopped != NULL)
    g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE,
                                               "\n\nThe import stopped there: %u file was not tried.",
                                               "\n\nThe import stopped there: %u files were not tried.",
                                               report->not_tried), report->not_tried);

  builder = desk_builder_new_from_resource ("desk-import-failures-dialog.ui", NULL);
  dialog = ADW_MESSAGE_DIALOG (gtk_builder_get_object (builder, "dialog"));
  gtk_window_set_transient_for (GTK_WINDOW (dialog), GTK_WINDOW (self));
  adw_message_dialog_set_heading (dialog, heading);
  gtk_label_set_text (GTK_LABEL (gtk_builder_get_object (builder, "failures")), text->str);
  gtk_window_present (GTK_WINDOW (dialog));
  g_string_free (text, TRUE);
}

static void
import_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  DeskWindow *self = DESK_WINDOW (source);
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskImportReport) report = desk_worker_finish (result, &error);
  g_autofree char *message = NULL;

  /* The window was closed meanwhile: what was imported is stored; there is
   * nothing left to show it in. */
  if (g_cancellable_is_cancelled (g_task_get_cancellable (G_TASK (result))))
    return;

  self->importing = FALSE;
  gtk_revealer_set_reveal_child (self->import_revealer, FALSE);
  _desk_window_update_actions (self);

  if (report == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        _desk_window_show_error (self, _("Nothing was imported"), error);
      return;
    }

  _desk_window_refresh_queue (self);

  if (report->duplicates > 0)
    message = g_strdup_printf (_("Imported %u, %u already in the queue"), report->imported, report->duplicates);
  else if (report->imported > 0 || report->failed == 0)
    message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Imported %u release", "Imported %u releases",
                                            report->imported), report->imported);
  /* A file that was not UTF-8 was converted (desk_parse_release()): the
   * editor is told, as an odd letter would otherwise go unexplained. */
  if (message != NULL)
    {
      const char *converted = NULL;
      guint n_converted = 0;

      for (guint i = 0; i < report->items->len; i++)
        {
          DeskImportItem *item = g_ptr_array_index (report->items, i);

          if (item->outcome == DESK_IMPORT_IMPORTED && item->message != NULL)
            {
              converted = converted != NULL ? converted : item->message;
              n_converted++;
            }
        }
      if (n_converted > 0)
        {
          g_autofree char *first = g_steal_pointer (&message);

          /* Translators: "Imported 3 releases; 1 of them read as Windows-1252" */
          message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s; %u of them %s", "%s; %u of them %s",
                                                  n_converted), first, n_converted, converted);
        }
    }
  /* Nothing taken and something failed: the dialog says so, not a toast
   * of "Imported 0 releases" beside it. */
  if (message != NULL)
    adw_toast_overlay_add_toast (self->toasts, adw_toast_new (message));

  if (report->failed > 0)
    show_import_failures (self, report);
  g_signal_emit_by_name (self, "imported", report->imported);
}

/* Imports files and folders off the main thread; the list follows. */
void
desk_window_import (DeskWindow         *self,
                    const char * const *paths)
{
  ImportJob *job;

  g_return_if_fail (DESK_IS_WINDOW (self));

  if (self->store == NULL || paths == NULL || paths[0] == NULL)
    return;

  job = g_new0 (ImportJob, 1);
  job->paths = g_strdupv ((char **) paths);
  job->self = self;

  self->importing = TRUE;
  _desk_window_update_actions (self);
  gtk_progress_bar_set_fraction (self->import_progress, 0);
  gtk_label_set_text (self->import_label, _("Importing…"));
  gtk_revealer_set_reveal_child (self->import_revealer, TRUE);

  desk_worker_run (self->store, self, self->cancellable, import_thread, job, (GDestroyNotify) import_job_free,
                   (GDestroyNotify) desk_import_report_free, import_done, NULL);
}

static void
import_chosen (GtkNativeDialog *chooser,
               int              response,
               DeskWindow      *self)
{
  g_autoptr(GListModel) files = NULL;
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);

  if (response == GTK_RESPONSE_ACCEPT)
    {
      files = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (chooser));
      for (guint i = 0; i < g_list_model_get_n_items (files); i++)
        {
          g_autoptr(GFile) file = g_list_model_get_item (files, i);
          char *path = g_file_get_path (file);

          if (path != NULL)
            g_ptr_array_add (paths, path);
        }
      g_ptr_array_add (paths, NULL);
      desk_window_import (self, (const char * const *) paths->pdata);
    }
  g_object_unref (chooser);
}

static void
import_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  DeskWindow *self = DESK_WINDOW (widget);
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_autofree char *filter_name = NULL;
  g_auto(GStrv) suffixes = desk_import_dup_suffixes ();
  g_autoptr(GString) name = g_string_new (NULL);

  chooser = gtk_file_chooser_native_new (_("Import Releases"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Import"), _("_Cancel"));
  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (chooser), TRUE);

  /* Exactly the files the importer reads, named as it names them. */
  for (guint i = 0; suffixes[i] != NULL; i++)
    {
      g_string_append_printf (name, "%s%s", i > 0 ? ", " : "", suffixes[i]);
      gtk_file_filter_add_suffix (filter, suffixes[i] + 1);
    }
  /* Translators: %s is a list of file name endings, ".txt, .md" */
  filter_name = g_strdup_printf (_("Press releases (%s)"), name->str);
  gtk_file_filter_set_name (filter, filter_name);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  g_signal_connect (chooser, "response", G_CALLBACK (import_chosen), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static char *
samples_dir (void)
{
  const char *env = g_getenv ("COPYDESK_SAMPLES_DIR");
  char *installed = g_build_filename (PKGDATADIR, "samples", NULL);

  if (env != NULL && *env != '\0')
    {
      g_free (installed);
      return g_strdup (env);
    }
  if (g_file_test (installed, G_FILE_TEST_IS_DIR))
    return installed;
  g_free (installed);
  return g_build_filename (COPYDESK_SOURCE_DATADIR, "samples", NULL);
}

static void
load_samples_activated (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  g_autofree char *dir = samples_dir ();
  const char *paths[] = { dir, NULL };

  desk_window_import (DESK_WINDOW (widget), paths);
}

static gboolean
files_dropped (GtkDropTarget *target,
               const GValue  *value,
               double         x,
               double         y,
               DeskWindow    *self)
{
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  GSList *files;

  if (!G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    return FALSE;

  files = g_value_get_boxed (value);
  for (GSList *l = files; l != NULL; l = l->next)
    {
      char *path = g_file_get_path (l->data);

      if (path != NULL)
        g_ptr_array_add (paths, path);
    }
  if (paths->len == 0)
    return FALSE;
  g_ptr_array_add (paths, NULL);
  desk_window_import (self, (const char * const *) paths->pdata);
  return TRUE;
}

void
_desk_window_class_init_import (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.import", NULL, import_activated);
  gtk_widget_class_install_action (widget_class, "win.load-samples", NULL, load_samples_activated);
}

/* Files and folders dropped anywhere on the window are imported. */
void
_desk_window_init_import (DeskWindow *self)
{
  GtkDropTarget *drop = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);

  g_signal_connect_object (drop, "drop", G_CALLBACK (files_dropped), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));
}
