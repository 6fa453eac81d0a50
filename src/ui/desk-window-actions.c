/* desk-window-actions.c — workflow moves, sponsor decisions, clean-up, and the window's other actions and shortcuts
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "desk-check.h"
#include "desk-copies.h"
#include "desk-error.h"
#include "desk-history-window.h"
#include "desk-preferences.h"
#include "desk-release-row.h"
#include "desk-window-private.h"

/* The workflow moves the window offers, and where each goes. */
static const DeskWindowMove moves[] = {
  { "win.start-review", DESK_STATUS_IN_REVIEW, N_("Start Review?"), N_("_Start Review"), N_("Review started") },
  { "win.approve", DESK_STATUS_APPROVED, N_("Approve This Revision?"), N_("_Approve"), N_("Approved") },
  { "win.request-changes", DESK_STATUS_CHANGES_REQUESTED, N_("Request Changes?"), N_("Request _Changes"), N_("Changes requested") },
  { "win.reject", DESK_STATUS_REJECTED, N_("Reject This Release?"), N_("Re_ject"), N_("Rejected") },
};

static void
evidence_activated (GtkListBox    *list,
                    GtkListBoxRow *row,
                    DeskWindow    *self)
{
  guint start = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (row), "start"));
  guint end = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (row), "end"));

  gtk_menu_button_popdown (self->evidence_button);
  desk_review_view_reveal_original (self->review_view, start, end);
}

static const char *
finding_kind_label (DeskFindingKind kind)
{
  switch (kind)
    {
    case DESK_FINDING_DISCLAIMER: return _("Disclaimer");
    case DESK_FINDING_CREDIT: return _("Wire credit");
    case DESK_FINDING_BOILERPLATE: return _("Boilerplate");
    case DESK_FINDING_LABEL: return _("Label");
    case DESK_FINDING_SECTOR: return _("Sector line");
    case DESK_FINDING_ANNOUNCEMENT: return _("Announcement");
    default: return _("Finding");
    }
}

/* The banner says what was found and by whom it was decided; the evidence
 * list holds every finding, each a click (or Enter) away from its place in
 * the original. */
void
_desk_window_update_sponsor_banner (DeskWindow *self)
{
  DeskRelease *release;
  DeskDetection *detection;
  g_autofree char *description = NULL;
  GtkWidget *child;
  DeskVerdict verdict;
  DeskSponsorDecision decision;
  gboolean cleared;
  int width, height;

  /* A window going away has no banner left to show. */
  if (self->review_view == NULL || self->evidence_list == NULL)
    return;
  release = desk_review_view_get_release (self->review_view);
  detection = desk_review_view_get_detection (self->review_view);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->evidence_list))) != NULL)
    gtk_list_box_remove (self->evidence_list, child);

  if (release == NULL)
    {
      gtk_revealer_set_reveal_child (self->sponsor_revealer, FALSE);
      return;
    }

  verdict = desk_release_get_effective_verdict (release);
  decision = desk_release_get_sponsor_decision (release);

  if (detection != NULL)
    description = desk_detection_describe (detection);
  if (description == NULL && verdict != DESK_VERDICT_NONE)
    description = g_strdup (verdict == DESK_VERDICT_SPONSORED ? _("Sponsored content") : _("Third-party content"));
  if (decision == DESK_SPONSOR_DECISION_NOT_SPONSORED && verdict == DESK_VERDICT_NONE)
    {
      const char *reason = desk_release_get_sponsor_decision_reason (release);

      /* Translators: "Not sponsored — by Ed: “our own reporter wrote it”" */
      g_free (description);
      description = g_strdup_printf (_("Not sponsored — by %s: “%s”"),
                                     desk_release_get_sponsor_decided_by (release),
                                     reason != NULL ? reason : "");
    }
  else if (decision != DESK_SPONSOR_DECISION_NONE && description != NULL)
    {
      const char *reason = desk_release_get_sponsor_decision_reason (release);
      char *with = g_strdup_printf (_("%s — decided by %s: “%s”"), description,
                                    desk_release_get_sponsor_decided_by (release),
                                    reason != NULL ? reason : "");
      g_free (description);
      description = with;
    }

  for (guint i = 0; detection != NULL && i < detection->findings->len; i++)
    {
      const DeskFinding *finding = g_ptr_array_index (detection->findings, i);
      GtkWidget *row = adw_action_row_new ();
      const char *text = finding->evidence != NULL ? finding->evidence : "";
      g_autofree char *evidence = g_utf8_substring (text, 0, MIN (g_utf8_strlen (text, -1), 90));

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), finding_kind_label (finding->kind));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), evidence);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      g_object_set_data (G_OBJECT (row), "start", GUINT_TO_POINTER (finding->start));
      g_object_set_data (G_OBJECT (row), "end", GUINT_TO_POINTER (finding->end));
      gtk_list_box_append (self->evidence_list, row);
    }
  gtk_widget_set_sensitive (GTK_WIDGET (self->evidence_button),
                            detection != NULL && detection->findings->len > 0);

  /* Overruled, the banner stays as a quiet note of who decided and why. */
  cleared = decision == DESK_SPONSOR_DECISION_NOT_SPONSORED && verdict == DESK_VERDICT_NONE;
  if (cleared)
    gtk_widget_add_css_class (self->sponsor_banner, "cleared");
  else
    gtk_widget_remove_css_class (self->sponsor_banner, "cleared");
  gtk_image_set_from_icon_name (self->sponsor_icon, cleared ? "object-select-symbolic" : "dialog-warning-symbolic");
  /* On a phone's width the banner keeps to what fits; the menu has the
   * rest.  (The width asked for, not the fold: the fold follows from the
   * banner's own width.) */
  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  gtk_widget_set_visible (self->not_sponsored_button, !cleared && (width <= 0 || width >= 600));
  gtk_label_set_text (self->sponsor_label, description != NULL ? description : "");
  gtk_revealer_set_reveal_child (self->sponsor_revealer, verdict != DESK_VERDICT_NONE || cleared);
  desk_verdict_badge_set (self->sponsor_badge, verdict);
}

/* ---- workflow moves ------------------------------------------------------ */

typedef struct {
  DeskWindow *self;
  const DeskWindowMove *move;
  gint64      release_id;
  GtkTextView *note;
} MoveRequest;

static void
undo_move (AdwToast   *toast,
           DeskWindow *self)
{
  g_autoptr(GError) error = NULL;
  gint64 id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (toast), "release-id"));

  if (!desk_undo_move (self->store, id, NULL, &error))
    {
      _desk_window_show_error (self, _("The move cannot be undone"), error);
      return;
    }
  _desk_window_release_changed (self, id);
}

void
_desk_window_do_move (DeskWindow *self,
         const DeskWindowMove *move,
         gint64      release_id,
         const char *note,
         const char *override_reason)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;
  AdwToast *toast;
  guint waiting = move->to == DESK_STATUS_APPROVED ? _desk_window_count_waiting_copies (self, release_id) : 0;

  /* What is approved is what is on screen: save it first.  Approval
   * passes the pre-publish check, or the editor says why not. */
  if (!desk_review_view_save (self->review_view, &error) ||
      !desk_move_release (self->store, release_id, move->to, NULL, note, override_reason, &error))
    {
      if (g_error_matches (error, DESK_ERROR, DESK_ERROR_CHECK_NEEDS_OVERRIDE))
        _desk_window_present_check (self, move, release_id, 0, note);
      else
        _desk_window_show_error (self, _("The release was not moved"), error);
      _desk_window_show_release (self, release_id);
      return;
    }

  _desk_window_show_release (self, release_id);
  _desk_window_refresh_queue (self);

  /* Approving one copy of a story sets the others aside: say so. */
  waiting -= MIN (waiting, move->to == DESK_STATUS_APPROVED ? _desk_window_count_waiting_copies (self, release_id) : 0);
  title = waiting == 0 ? g_strdup (_(move->done))
                       /* Translators: after "Approved" (or another move), e.g. "Approved; 2 copies set aside" */
                       : g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s; %u copy set aside", "%s; %u copies set aside", waiting),
                                          _(move->done), waiting);
  toast = adw_toast_new (title);
  /* A team desk has no undo of a move yet: the toast only tells. */
  if (!self->team_desk)
    {
      adw_toast_set_button_label (toast, _("_Undo"));
      g_object_set_data (G_OBJECT (toast), "release-id", GSIZE_TO_POINTER (release_id));
      g_signal_connect_object (toast, "button-clicked", G_CALLBACK (undo_move), self, 0);
    }
  adw_toast_overlay_add_toast (self->toasts, toast);
}

static char *note_get_text (GtkTextView *note);

static void
move_dialog_response (AdwMessageDialog *dialog,
                      const char       *response,
                      MoveRequest      *request)
{
  /* Once: closing the dialog after a response must not answer again. */
  g_signal_handlers_disconnect_by_func (dialog, move_dialog_response, request);
  if (g_strcmp0 (response, "go") == 0)
    {
      g_autofree char *note = note_get_text (request->note);

      _desk_window_do_move (request->self, request->move, request->release_id,
                            *note != '\0' ? note : NULL, NULL);
    }
  g_object_unref (request->self);
  g_free (request);
}

/* In the note, Enter confirms (as in the other dialogs, when it may) and
 * Shift+Enter starts a new line. */
static gboolean
note_key_pressed (GtkEventControllerKey *controller,
                  guint                  keyval,
                  guint                  keycode,
                  GdkModifierType        state,
                  AdwMessageDialog      *dialog)
{
  if (keyval != GDK_KEY_Return && keyval != GDK_KEY_KP_Enter && keyval != GDK_KEY_ISO_Enter)
    return GDK_EVENT_PROPAGATE;
  if (state & (GDK_SHIFT_MASK | GDK_CONTROL_MASK))
    return GDK_EVENT_PROPAGATE;

  if (adw_message_dialog_get_response_enabled (dialog, "go"))
    {
      adw_message_dialog_response (dialog, "go");
      gtk_window_close (GTK_WINDOW (dialog));
    }
  return GDK_EVENT_STOP;
}

static char *
note_get_text (GtkTextView *note)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (note);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return g_strstrip (gtk_text_buffer_get_text (buffer, &start, &end, FALSE));
}

/* A reason is required: the button waits for one. */
static void
reason_changed (GtkTextBuffer    *buffer,
                AdwMessageDialog *dialog)
{
  GtkTextIter start, end;
  g_autofree char *text = NULL;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = g_strstrip (gtk_text_buffer_get_text (buffer, &start, &end, FALSE));
  adw_message_dialog_set_response_enabled (dialog, "go", *text != '\0');
}

/* The note dialog (desk-note-dialog.ui) over the window, its "go" button
 * labelled @verb; with @required, it waits for a reason. */
static AdwMessageDialog *
note_dialog_new (DeskWindow             *self,
                 const char             *heading,
                 const char             *body,
                 const char             *verb,
                 AdwResponseAppearance   appearance,
                 gboolean                required,
                 GtkTextView           **out_note)
{
  g_autoptr(GtkBuilderScope) scope = gtk_builder_cscope_new ();
  g_autoptr(GtkBuilder) builder = gtk_builder_new ();
  g_autoptr(GError) error = NULL;
  AdwMessageDialog *dialog;
  GtkTextView *note;

  gtk_builder_cscope_add_callback_symbol (GTK_BUILDER_CSCOPE (scope), "note_key_pressed", G_CALLBACK (note_key_pressed));
  gtk_builder_set_scope (builder, scope);
  if (!gtk_builder_add_from_resource (builder, "/io/github/copydesk/Copydesk/desk-note-dialog.ui", &error))
    g_error ("desk-note-dialog.ui: %s", error->message);   /* compiled in: cannot fail */
  dialog = ADW_MESSAGE_DIALOG (gtk_builder_get_object (builder, "dialog"));
  note = GTK_TEXT_VIEW (gtk_builder_get_object (builder, "note"));

  gtk_window_set_transient_for (GTK_WINDOW (dialog), GTK_WINDOW (self));
  adw_message_dialog_set_heading (dialog, heading);
  adw_message_dialog_set_body (dialog, body);
  adw_message_dialog_set_response_label (dialog, "go", verb);
  adw_message_dialog_set_response_appearance (dialog, "go", appearance);
  gtk_accessible_update_property (GTK_ACCESSIBLE (note), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  required ? _("Reason") : _("Note (optional)"), -1);
  if (required)
    {
      adw_message_dialog_set_response_enabled (dialog, "go", FALSE);
      g_signal_connect_object (gtk_text_view_get_buffer (note), "changed", G_CALLBACK (reason_changed), dialog, 0);
    }
  *out_note = note;
  return dialog;
}

/* Every move but Start Review asks for an optional note, as long as it
 * needs to be; Enter confirms at once. */
static void
request_move (DeskWindow           *self,
              const DeskWindowMove *move)
{
  DeskRelease *release = desk_review_view_get_release (self->review_view);
  g_autofree char *body = NULL;
  MoveRequest *request;
  AdwMessageDialog *dialog;
  GtkTextView *note;

  if (release == NULL)
    return;

  body = g_strdup_printf (_("“%s”. Add a note for the desk, or leave it empty."),
                          desk_release_get_headline (release));
  dialog = note_dialog_new (self, _(move->title), body, _(move->verb),
                            move->to == DESK_STATUS_REJECTED ? ADW_RESPONSE_DESTRUCTIVE : ADW_RESPONSE_SUGGESTED,
                            FALSE, &note);

  request = g_new0 (MoveRequest, 1);
  request->self = g_object_ref (self);
  request->move = move;
  request->release_id = desk_release_get_id (release);
  request->note = note;
  g_signal_connect (dialog, "response", G_CALLBACK (move_dialog_response), request);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (GTK_WIDGET (note));
}

static void
move_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  DeskWindow *self = DESK_WINDOW (widget);

  for (gsize i = 0; i < G_N_ELEMENTS (moves); i++)
    {
      DeskRelease *release = desk_review_view_get_release (self->review_view);

      if (!g_str_equal (moves[i].action, action_name))
        continue;
      /* Starting the review needs no note: it goes at once, with Undo. */
      if (moves[i].to == DESK_STATUS_IN_REVIEW && release != NULL)
        _desk_window_do_move (self, &moves[i], desk_release_get_id (release), NULL, NULL);
      else
        request_move (self, &moves[i]);
    }
}

/* Moves the release on screen without asking for a note, as tests and
 * scripts do. */
gboolean
desk_window_move_current (DeskWindow  *self,
                          DeskStatus   to,
                          const char  *note,
                          GError     **error)
{
  DeskRelease *release = desk_review_view_get_release (self->review_view);

  g_return_val_if_fail (DESK_IS_WINDOW (self), FALSE);

  for (gsize i = 0; i < G_N_ELEMENTS (moves); i++)
    {
      if (moves[i].to != to || release == NULL)
        continue;
      if (!desk_workflow_check_move (desk_release_get_status (release), to, error))
        return FALSE;
      _desk_window_do_move (self, &moves[i], desk_release_get_id (release), note, NULL);
      return TRUE;
    }
  g_set_error (error, DESK_ERROR, DESK_ERROR_ILLEGAL_TRANSITION, _("The window does not offer that move"));
  return FALSE;
}

/* ---- sponsored content ---------------------------------------------------- */

typedef struct {
  DeskWindow          *self;
  gint64               release_id;
  DeskSponsorDecision  decision;
  GtkTextView         *reason;
} DecisionRequest;

/* Decides a release sponsored or not, wins over the detector, and is an
 * event with the reason. */
gboolean
desk_window_decide_sponsored (DeskWindow           *self,
                              DeskSponsorDecision   decision,
                              const char           *reason,
                              GError              **error)
{
  gint64 id = desk_review_view_get_release_id (self->review_view);

  g_return_val_if_fail (DESK_IS_WINDOW (self), FALSE);

  if (id == 0)
    return TRUE;
  if (!desk_store_set_sponsor_decision (self->store, id, decision, reason, NULL, error))
    return FALSE;
  _desk_window_release_changed (self, id);
  adw_toast_overlay_add_toast (self->toasts,
                               adw_toast_new (decision == DESK_SPONSOR_DECISION_SPONSORED
                                              ? _("Marked sponsored") : _("Marked not sponsored")));
  return TRUE;
}

static void
decision_response (AdwMessageDialog *dialog,
                   const char       *response,
                   DecisionRequest  *request)
{
  /* Once: closing the dialog after a response must not answer again. */
  g_signal_handlers_disconnect_by_func (dialog, decision_response, request);
  if (g_strcmp0 (response, "go") == 0 &&
      desk_review_view_get_release_id (request->self->review_view) == request->release_id)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *reason = note_get_text (request->reason);

      if (!desk_window_decide_sponsored (request->self, request->decision, reason, &error))
        _desk_window_show_error (request->self, _("The decision was not recorded"), error);
    }
  g_object_unref (request->self);
  g_free (request);
}

static void
decide_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  DeskWindow *self = DESK_WINDOW (widget);
  gboolean sponsored = g_str_equal (action_name, "win.mark-sponsored");
  DecisionRequest *request;
  AdwMessageDialog *dialog;
  GtkTextView *reason;

  if (desk_review_view_get_release (self->review_view) == NULL)
    return;

  dialog = note_dialog_new (self,
                            sponsored ? _("Mark This Release Sponsored?") : _("Mark This Release Not Sponsored?"),
                            sponsored ? _("It will carry its disclosure wherever it goes. Say why, for the desk.")
                                      : _("This overrules the detector. Say why, for the desk."),
                            sponsored ? _("_Mark Sponsored") : _("Mark _Not Sponsored"),
                            ADW_RESPONSE_SUGGESTED, TRUE, &reason);

  request = g_new0 (DecisionRequest, 1);
  request->self = g_object_ref (self);
  request->release_id = desk_review_view_get_release_id (self->review_view);
  request->decision = sponsored ? DESK_SPONSOR_DECISION_SPONSORED : DESK_SPONSOR_DECISION_NOT_SPONSORED;
  request->reason = reason;
  g_signal_connect (dialog, "response", G_CALLBACK (decision_response), request);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (GTK_WIDGET (reason));
}

/* The Undo of the last Clean Up is gone: its toast was dismissed, or the
 * copy changed since. */
void
_desk_window_forget_clean_up (DeskWindow *self)
{
  self->clean_up_release = 0;
  g_clear_pointer (&self->clean_up_headline, g_free);
  g_clear_pointer (&self->clean_up_text, g_free);
  self->clean_up_toast = NULL;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.undo-clean-up", FALSE);
}

static void
clean_up_toast_dismissed (AdwToast   *toast,
                          DeskWindow *self)
{
  if (self->clean_up_toast == toast)
    _desk_window_forget_clean_up (self);
}

/* Undo of a Clean Up: the copy as it was, saved again as a new revision
 * (history is never rewritten). */
gboolean
desk_window_undo_clean_up (DeskWindow  *self,
                           GError     **error)
{
  gint64 id = self->clean_up_release;
  g_autofree char *headline = g_steal_pointer (&self->clean_up_headline);
  g_autofree char *text = g_steal_pointer (&self->clean_up_text);

  g_return_val_if_fail (DESK_IS_WINDOW (self), FALSE);

  if (id == 0 || text == NULL)
    return TRUE;
  /* Its toast may stay a moment: its Undo is no longer offered. */
  _desk_window_forget_clean_up (self);
  if (!desk_store_save_revision (self->store, id, headline, text, NULL, NULL, error))
    return FALSE;
  _desk_window_release_changed (self, id);
  return TRUE;
}

static void
undo_clean_up_activated (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  DeskWindow *self = DESK_WINDOW (widget);
  g_autoptr(GError) error = NULL;

  if (!desk_window_undo_clean_up (self, &error))
    _desk_window_show_error (self, _("The clean-up was not undone"), error);
}

/* Clean-up: a new revision of the edited copy without the wire furniture;
 * the diff then shows exactly what went, and Undo (or Ctrl+Z) brings it
 * back. */
gboolean
desk_window_clean_up (DeskWindow  *self,
                      GError     **error)
{
  gint64 id = desk_review_view_get_release_id (self->review_view);
  gint64 revision_id = 0;
  g_autoptr(DeskRelease) before = NULL;
  AdwToast *toast;

  g_return_val_if_fail (DESK_IS_WINDOW (self), FALSE);

  if (id == 0)
    return TRUE;
  if (!desk_review_view_save (self->review_view, error))
    return FALSE;
  before = desk_store_get_release (self->store, id, error);
  if (before == NULL ||
      !desk_store_clean_up_release (self->store, id, NULL, &revision_id, error))
    return FALSE;

  _desk_window_release_changed (self, id);
  if (revision_id == 0)
    {
      adw_toast_overlay_add_toast (self->toasts, adw_toast_new (_("Nothing to clean up")));
      return TRUE;
    }

  _desk_window_forget_clean_up (self);
  toast = adw_toast_new (_("Wire furniture removed"));
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_action_name (toast, "win.undo-clean-up");
  g_signal_connect_object (toast, "dismissed", G_CALLBACK (clean_up_toast_dismissed), self, 0);
  self->clean_up_release = id;
  self->clean_up_headline = g_strdup (desk_release_get_headline (before));
  /* Never edited, the copy is still the original. */
  self->clean_up_text = g_strdup (desk_release_get_edited (before) != NULL ? desk_release_get_edited (before)
                                                                         : desk_release_get_original (before));
  self->clean_up_toast = toast;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.undo-clean-up", TRUE);
  adw_toast_overlay_add_toast (self->toasts, toast);
  return TRUE;
}

static void
clean_up_activated (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  DeskWindow *self = DESK_WINDOW (widget);
  g_autoptr(GError) error = NULL;

  if (!desk_window_clean_up (self, &error))
    _desk_window_show_error (self, _("The copy was not cleaned up"), error);
}

static void
evidence_shortcut_activated (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *parameter)
{
  DeskWindow *self = DESK_WINDOW (widget);

  if (gtk_widget_get_sensitive (GTK_WIDGET (self->evidence_button)) &&
      gtk_revealer_get_reveal_child (self->sponsor_revealer))
    gtk_menu_button_popup (self->evidence_button);
}

static void
preferences_activated (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  DeskWindow *self = DESK_WINDOW (widget);

  if (self->store != NULL)
    gtk_window_present (desk_preferences_window_new (GTK_WINDOW (self), self->store));
}

/* ---- other actions ------------------------------------------------------- */

static void
change_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  DeskWindow *self = DESK_WINDOW (widget);

  desk_review_view_next_change (self->review_view, g_str_equal (action_name, "win.next-change") ? 1 : -1);
}

static void
save_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  DeskWindow *self = DESK_WINDOW (widget);
  g_autoptr(GError) error = NULL;

  if (!desk_review_view_save (self->review_view, &error))
    _desk_window_show_error (self, _("The edited copy was not saved"), error);
}

static void
search_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  DeskWindow *self = DESK_WINDOW (widget);

  if (_desk_window_is_folded (self))
    adw_leaflet_set_visible_child (self->leaflet, self->list_pane);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
edit_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  DeskWindow *self = DESK_WINDOW (widget);

  if (desk_review_view_get_release (self->review_view) == NULL)
    return;
  if (_desk_window_is_folded (self))
    adw_leaflet_set_visible_child (self->leaflet, self->review_pane);
  desk_review_view_focus_edited (self->review_view);
}

static void
list_activated_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  DeskWindow *self = DESK_WINDOW (widget);

  _desk_window_show_list (self);
}

static void
history_activated (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  DeskWindow *self = DESK_WINDOW (widget);
  g_autoptr(GError) error = NULL;
  GtkWindow *history;

  if (!desk_review_view_save (self->review_view, &error))
    {
      _desk_window_show_error (self, _("The edited copy was not saved"), error);
      return;
    }
  history = desk_history_window_new (GTK_WINDOW (self), self->store,
                                     desk_review_view_get_release_id (self->review_view));
  g_signal_connect_object (history, "restored", G_CALLBACK (_desk_window_release_changed), self, G_CONNECT_SWAPPED);
  gtk_window_present (history);
}

/* The desk's shortcuts work wherever the focus is, even in the edited copy
 * (whose text view would otherwise take Ctrl+Return or Alt+Down for
 * itself): they are caught on the way down, before the focused widget. */
static const struct {
  guint            key;
  GdkModifierType  modifiers;
  const char      *action;
} shortcuts[] = {
  { GDK_KEY_r, GDK_CONTROL_MASK, "win.start-review" },
  { GDK_KEY_Return, GDK_CONTROL_MASK, "win.approve" },
  { GDK_KEY_KP_Enter, GDK_CONTROL_MASK, "win.approve" },
  { GDK_KEY_R, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "win.request-changes" },
  { GDK_KEY_X, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "win.reject" },
  { GDK_KEY_Down, GDK_ALT_MASK, "win.next-change" },
  { GDK_KEY_Up, GDK_ALT_MASK, "win.previous-change" },
  { GDK_KEY_s, GDK_CONTROL_MASK, "win.save" },
  { GDK_KEY_f, GDK_CONTROL_MASK, "win.search" },
  { GDK_KEY_e, GDK_CONTROL_MASK, "win.edit" },
  { GDK_KEY_l, GDK_CONTROL_MASK, "win.focus-list" },
  { GDK_KEY_h, GDK_CONTROL_MASK, "win.history" },
  { GDK_KEY_C, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "win.compare-copies" },
  { GDK_KEY_o, GDK_CONTROL_MASK, "win.import" },
  { GDK_KEY_K, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "win.clean-up" },
  /* Only while a Clean Up can be undone; the copy's own Undo otherwise. */
  { GDK_KEY_z, GDK_CONTROL_MASK, "win.undo-clean-up" },
  { GDK_KEY_i, GDK_CONTROL_MASK, "win.evidence" },
  { GDK_KEY_E, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "win.export" },
  { GDK_KEY_P, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "win.publish" },
  { GDK_KEY_comma, GDK_CONTROL_MASK, "win.preferences" },
};

void
_desk_window_add_shortcuts (DeskWindow *self)
{
  GtkEventController *controller = gtk_shortcut_controller_new ();

  gtk_event_controller_set_name (controller, "desk-shortcuts");
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  for (gsize i = 0; i < G_N_ELEMENTS (shortcuts); i++)
    gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller),
                                          gtk_shortcut_new (gtk_keyval_trigger_new (shortcuts[i].key, shortcuts[i].modifiers),
                                                            gtk_named_action_new (shortcuts[i].action)));
  gtk_widget_add_controller (GTK_WIDGET (self), controller);
}

void
_desk_window_class_init_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.start-review", NULL, move_activated);
  gtk_widget_class_install_action (widget_class, "win.approve", NULL, move_activated);
  gtk_widget_class_install_action (widget_class, "win.request-changes", NULL, move_activated);
  gtk_widget_class_install_action (widget_class, "win.reject", NULL, move_activated);
  gtk_widget_class_install_action (widget_class, "win.next-change", NULL, change_activated);
  gtk_widget_class_install_action (widget_class, "win.previous-change", NULL, change_activated);
  gtk_widget_class_install_action (widget_class, "win.save", NULL, save_activated);
  gtk_widget_class_install_action (widget_class, "win.search", NULL, search_activated);
  gtk_widget_class_install_action (widget_class, "win.edit", NULL, edit_activated);
  gtk_widget_class_install_action (widget_class, "win.focus-list", NULL, list_activated_action);
  gtk_widget_class_install_action (widget_class, "win.history", NULL, history_activated);
  gtk_widget_class_install_action (widget_class, "win.mark-sponsored", NULL, decide_activated);
  gtk_widget_class_install_action (widget_class, "win.mark-not-sponsored", NULL, decide_activated);
  gtk_widget_class_install_action (widget_class, "win.clean-up", NULL, clean_up_activated);
  gtk_widget_class_install_action (widget_class, "win.undo-clean-up", NULL, undo_clean_up_activated);
  gtk_widget_class_install_action (widget_class, "win.evidence", NULL, evidence_shortcut_activated);
  gtk_widget_class_install_action (widget_class, "win.preferences", NULL, preferences_activated);
  gtk_widget_class_bind_template_callback (widget_class, evidence_activated);
}
