/* desk-window-publish.c — publishing, the pre-publish check, and export
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include <errno.h>
#include <string.h>

#include "desk-check.h"
#include "desk-describe.h"
#include "desk-dialogs.h"
#include "desk-error.h"
#include "desk-export.h"
#include "desk-outbox.h"
#include "desk-publisher.h"
#include "desk-window-private.h"

/* ---- the pre-publish check ------------------------------------------------ */

/* What the editor asked for when the check stopped it: an approval or a
 * publish, done again after Clean Up or with the editor's reason. */
typedef struct {
  DeskWindow  *self;
  const DeskWindowMove  *move;         /* or NULL: a publish */
  gint64       release_id;
  gint64       target_id;
  char        *note;
  GtkEditable *reason;
} CheckRequest;

static gboolean publish_release (DeskWindow *self, gint64 release_id, gint64 target_id,
                                 const char *override_reason, GError **error);

static void
check_request_free (CheckRequest *request)
{
  g_object_unref (request->self);
  g_free (request->note);
  g_free (request);
}

static void
check_reason_changed (GtkEditable      *reason,
                      AdwMessageDialog *dialog)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (reason)));

  adw_message_dialog_set_response_enabled (dialog, "override", *text != '\0');
}

static void
retry_checked (CheckRequest *request,
               const char   *override_reason)
{
  g_autoptr(GError) error = NULL;

  if (request->move != NULL)
    _desk_window_do_move (request->self, request->move, request->release_id, request->note, override_reason);
  else if (!publish_release (request->self, request->release_id, request->target_id, override_reason, &error))
    _desk_window_show_error (request->self, _("The release was not queued for publishing"), error);
}

static void
check_response (AdwMessageDialog *dialog,
                const char       *response,
                CheckRequest     *request)
{
  g_autoptr(GError) error = NULL;

  /* Once: closing the dialog after a response must not answer again. */
  g_signal_handlers_disconnect_by_func (dialog, check_response, request);
  if (g_strcmp0 (response, "clean") == 0)
    {
      /* Clean Up, then the same approval or publish again: it goes if
       * nothing is left, and this dialog comes back if something is. */
      if (desk_review_view_get_release_id (request->self->review_view) == request->release_id &&
          desk_window_clean_up (request->self, &error))
        retry_checked (request, NULL);
      else if (error != NULL)
        _desk_window_show_error (request->self, _("The copy was not cleaned up"), error);
    }
  else if (g_strcmp0 (response, "override") == 0)
    {
      g_autofree char *reason = g_strstrip (g_strdup (gtk_editable_get_text (request->reason)));

      if (*reason != '\0')
        retry_checked (request, reason);
    }
  check_request_free (request);
}

/* Enter in the reason: with a reason, go ahead with it; without, Clean Up. */
static void
check_reason_activated (GtkEntry         *entry,
                        AdwMessageDialog *dialog)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry))));

  /* As a click on the button does: the response, then the dialog goes. */
  adw_message_dialog_response (dialog, *text != '\0' ? "override" : "clean");
  gtk_window_close (GTK_WINDOW (dialog));
}

/* The check stopped the copy: says what it found, each piece on a line,
 * and offers Clean Up, or going ahead with a reason for the desk
 * (desk-check-dialog.ui). */
void
_desk_window_present_check (DeskWindow *self,
               const DeskWindowMove *move,
               gint64      release_id,
               gint64      target_id,
               const char *note)
{
  g_autoptr(DeskCheck) check = desk_check_release (self->store, release_id, NULL);
  g_autoptr(GString) body = g_string_new (NULL);
  g_autoptr(GtkBuilder) builder = NULL;
  CheckRequest *request;
  AdwMessageDialog *dialog;
  GtkWidget *entry;

  g_string_append (body, move != NULL ? _("The copy still carries wire furniture. Approve it only as it should go out:")
                                      : _("The approved copy still carries wire furniture. Publish it only as it should go out:"));
  for (guint i = 0; check != NULL && i < check->problems->len; i++)
    {
      const DeskCheckProblem *problem = g_ptr_array_index (check->problems, i);
      g_autofree char *evidence = problem->evidence != NULL ? g_strstrip (g_strdup (problem->evidence)) : NULL;

      if (evidence != NULL && g_utf8_strlen (evidence, -1) > 60)
        {
          char *cut = g_utf8_offset_to_pointer (evidence, 58);

          strcpy (cut, "…");
        }
      g_string_append_printf (body, "\n• %s%s%s%s", problem->message,
                              evidence != NULL ? ": “" : "", evidence != NULL ? evidence : "",
                              evidence != NULL ? "”" : "");
    }

  builder = desk_builder_new_from_resource ("desk-check-dialog.ui",
                                            "check_reason_changed", G_CALLBACK (check_reason_changed),
                                            "check_reason_activated", G_CALLBACK (check_reason_activated),
                                            NULL);
  dialog = ADW_MESSAGE_DIALOG (gtk_builder_get_object (builder, "dialog"));
  entry = GTK_WIDGET (gtk_builder_get_object (builder, "reason"));
  gtk_window_set_transient_for (GTK_WINDOW (dialog), GTK_WINDOW (self));
  adw_message_dialog_set_body (dialog, body->str);
  adw_message_dialog_set_response_label (dialog, "override",
                                         move != NULL ? _("_Approve Anyway") : _("_Publish Anyway"));

  request = g_new0 (CheckRequest, 1);
  request->self = g_object_ref (self);
  request->move = move;
  request->release_id = release_id;
  request->target_id = target_id;
  request->note = g_strdup (note);
  request->reason = GTK_EDITABLE (entry);
  g_signal_connect (dialog, "response", G_CALLBACK (check_response), request);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (entry);
}

/* ---- publishing ---------------------------------------------------------- */

/* What the outbox says of the release on screen: publishing, published
 * (with its link), or failed (with the reason, and Retry). */
void
_desk_window_update_publish_state (DeskWindow *self)
{
  gint64 id = desk_review_view_get_release_id (self->review_view);
  g_autoptr(GPtrArray) jobs = id > 0 ? desk_store_list_jobs (self->store, id, NULL) : NULL;
  const DeskOutboxJob *last = jobs != NULL && jobs->len > 0 ? g_ptr_array_index (jobs, jobs->len - 1) : NULL;
  g_autofree char *text = NULL;
  gboolean failed = FALSE;
  const char *url = NULL;

  if (last != NULL)
    {
      switch (last->state)
        {
        case DESK_JOB_PENDING:
        case DESK_JOB_SENDING:
          text = g_strdup_printf (_("Publishing to %s…"), desk_target_get_display_name (last->target_name));
          break;
        case DESK_JOB_DONE:
          text = g_strdup_printf (_("Published to %s"), desk_target_get_display_name (last->target_name));
          url = last->remote_url;
          break;
        case DESK_JOB_FAILED:
        default:
          text = g_strdup_printf (_("Not published to %s: %s"), desk_target_get_display_name (last->target_name),
                                  last->last_error != NULL ? last->last_error : "");
          failed = TRUE;
          break;
        }
    }

  gtk_label_set_text (self->publish_state, text != NULL ? text : "");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->publish_state), text);
  gtk_widget_set_visible (self->retry_button, failed);
  gtk_widget_set_visible (self->open_link_button, url != NULL);
  g_object_set_data_full (G_OBJECT (self->open_link_button), "url", g_strdup (url), g_free);
}

static void
publisher_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(DeskWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  desk_publisher_run_finish (DESK_PUBLISHER (source), result, &error);
  self->publishing = FALSE;
  if (g_cancellable_is_cancelled (self->cancellable) || self->store == NULL)
    return;
  if (error != NULL)
    g_warning ("Publishing stopped: %s", error->message);
  if (self->publish_again)
    {
      /* A job queued while this run was going: send it too. */
      self->publish_again = FALSE;
      _desk_window_run_publisher (self);
    }

  _desk_window_release_changed (self, desk_review_view_get_release_id (self->review_view));
  g_signal_emit_by_name (self, "published");
}

/* Sends what waits in the outbox: jobs queued now, and those left by a
 * previous run.  The publisher works asynchronously on the main context. */
void
_desk_window_run_publisher (DeskWindow *self)
{
  /* A team desk's outbox is sent by "copydesk-cli outbox --run" yet. */
  if (self->store == NULL || self->team_desk)
    return;
  if (self->publishing)
    {
      self->publish_again = TRUE;
      return;
    }
  if (self->publisher == NULL)
    self->publisher = desk_publisher_new (self->store);
  self->publishing = TRUE;
  desk_publisher_run_async (self->publisher, self->cancellable, publisher_done, g_object_ref (self));
}

static gboolean
publish_release (DeskWindow  *self,
                 gint64       release_id,
                 gint64       target_id,
                 const char  *override_reason,
                 GError     **error)
{
  g_autoptr(GError) local_error = NULL;

  if (desk_publish_release (self->store, release_id, target_id, NULL, override_reason, &local_error) == 0)
    {
      if (!g_error_matches (local_error, DESK_ERROR, DESK_ERROR_CHECK_NEEDS_OVERRIDE))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      _desk_window_present_check (self, NULL, release_id, target_id, NULL);
      return TRUE;
    }
  _desk_window_update_publish_state (self);
  _desk_window_run_publisher (self);
  return TRUE;
}

/* Queues the release on screen for @target_id and sends it; copy that
 * the pre-publish check stops is shown to the editor first, with Clean
 * Up and Publish Anyway. */
gboolean
desk_window_publish_to (DeskWindow  *self,
                        gint64       target_id,
                        GError     **error)
{
  gint64 id = desk_review_view_get_release_id (self->review_view);

  g_return_val_if_fail (DESK_IS_WINDOW (self), FALSE);

  if (id == 0)
    return TRUE;
  if (!desk_review_view_save (self->review_view, error))
    return FALSE;
  return publish_release (self, id, target_id, NULL, error);
}

static void
publish_response (AdwMessageDialog *dialog,
                  const char       *response,
                  DeskWindow       *self)
{
  g_autoptr(GError) error = NULL;
  gint64 target_id = g_ascii_strtoll (response, NULL, 10);

  if (target_id > 0 && !desk_window_publish_to (self, target_id, &error))
    _desk_window_show_error (self, _("The release was not queued for publishing"), error);
}

static void
publish_activated (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  DeskWindow *self = DESK_WINDOW (widget);
  g_autoptr(GPtrArray) targets = desk_store_list_targets (self->store, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GtkBuilder) builder = NULL;
  AdwMessageDialog *dialog;

  if (targets == NULL || targets->len == 0)
    return;
  if (targets->len == 1)
    {
      if (!desk_window_publish_to (self, ((DeskTarget *) targets->pdata[0])->id, &error))
        _desk_window_show_error (self, _("The release was not queued for publishing"), error);
      return;
    }

  builder = desk_builder_new_from_resource ("desk-publish-dialog.ui", NULL);
  dialog = ADW_MESSAGE_DIALOG (gtk_builder_get_object (builder, "dialog"));
  gtk_window_set_transient_for (GTK_WINDOW (dialog), GTK_WINDOW (self));
  for (guint i = 0; i < targets->len && i < 5; i++)
    {
      const DeskTarget *target = g_ptr_array_index (targets, i);
      g_autofree char *response = g_strdup_printf ("%" G_GINT64_FORMAT, target->id);

      adw_message_dialog_add_response (dialog, response, desk_target_get_display_name (target->name));
    }
  g_signal_connect_object (dialog, "response", G_CALLBACK (publish_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
retry_clicked (DeskWindow *self)
{
  gint64 id = desk_review_view_get_release_id (self->review_view);
  g_autoptr(GPtrArray) jobs = id > 0 ? desk_store_list_jobs (self->store, id, NULL) : NULL;
  g_autoptr(GError) error = NULL;

  if (jobs == NULL || jobs->len == 0)
    return;
  if (!desk_store_retry_job (self->store, ((DeskOutboxJob *) jobs->pdata[jobs->len - 1])->id, &error))
    {
      _desk_window_show_error (self, _("The release was not queued again"), error);
      return;
    }
  _desk_window_update_publish_state (self);
  _desk_window_run_publisher (self);
}

static void
open_link_clicked (DeskWindow *self,
                   GtkWidget  *button)
{
  const char *url = g_object_get_data (G_OBJECT (button), "url");

  if (url != NULL)
    gtk_show_uri (GTK_WINDOW (self), url, GDK_CURRENT_TIME);
}

/* ---- export -------------------------------------------------------------- */

/* Exports the approved copy on screen in every format, as the approved
 * revision has it, byte for byte, with its disclosure if it needs one. */
gboolean
desk_window_export (DeskWindow  *self,
                    char       **out_folder,
                    GError     **error)
{
  gint64 id = desk_review_view_get_release_id (self->review_view);
  g_autofree char *folder = desk_export_default_folder ();

  g_return_val_if_fail (DESK_IS_WINDOW (self), FALSE);

  if (id == 0)
    return TRUE;
  if (g_mkdir_with_parents (folder, 0755) != 0)
    {
      int saved_errno = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   _("Could not create the folder %s: %s"), folder, g_strerror (saved_errno));
      return FALSE;
    }
  for (int format = 0; format < DESK_N_EXPORT_FORMATS; format++)
    {
      g_autofree char *path = desk_export_to_folder (self->store, id, (DeskExportFormat) format, folder, error);

      if (path == NULL)
        return FALSE;
    }
  if (out_folder != NULL)
    *out_folder = g_steal_pointer (&folder);
  return TRUE;
}

static void
export_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  DeskWindow *self = DESK_WINDOW (widget);
  g_autoptr(GError) error = NULL;
  g_autofree char *folder = NULL;
  g_autofree char *message = NULL;

  if (!desk_window_export (self, &folder, &error))
    {
      _desk_window_show_error (self, _("The copy was not exported"), error);
      return;
    }
  /* Translators: %s is a folder */
  message = g_strdup_printf (_("Exported as text, Markdown, HTML and ninjs to %s"), folder);
  adw_toast_overlay_add_toast (self->toasts, adw_toast_new (message));
}

void
_desk_window_class_init_publish (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.export", NULL, export_activated);
  gtk_widget_class_install_action (widget_class, "win.publish", NULL, publish_activated);
  gtk_widget_class_bind_template_callback (widget_class, retry_clicked);
  gtk_widget_class_bind_template_callback (widget_class, open_link_clicked);
}
