/* desk-window.c — the copy desk: the list of releases and the release under review
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "desk-dialogs.h"
#include "desk-history-window.h"
#include "desk-language.h"
#include "desk-release-row.h"
#include "desk-review-view.h"
#include "desk-settings.h"
#include "desk-window.h"
#include "desk-source.h"
#include "desk-window-private.h"

G_DEFINE_FINAL_TYPE (DeskWindow, desk_window, ADW_TYPE_APPLICATION_WINDOW)

/* What the window's other files share. */
DeskStore *
_desk_window_get_store (DeskWindow *self)
{
  return self->store;
}

GtkListView *
_desk_window_get_list_view (DeskWindow *self)
{
  return self->list_view;
}

AdwToastOverlay *
_desk_window_get_toasts (DeskWindow *self)
{
  return self->toasts;
}

GCancellable *
_desk_window_get_cancellable (DeskWindow *self)
{
  return self->cancellable;
}

void
_desk_window_show_error (DeskWindow   *self,
            const char   *heading,
            const GError *error)
{
  desk_error_dialog_present (GTK_WINDOW (self), heading, error->message);
}

void
_desk_window_update_list_view (DeskWindow *self)
{
  guint n = self->releases != NULL ? g_list_model_get_n_items (G_LIST_MODEL (self->releases)) : 0;
  const char *search = self->releases != NULL ? desk_release_list_get_search (self->releases) : NULL;
  int status = self->releases != NULL ? desk_release_list_get_status (self->releases) : -1;
  gboolean store_empty = FALSE;

  if (n == 0 && search == NULL && self->store != NULL)
    {
      DeskQuery any = DESK_QUERY_INIT;
      g_autoptr(GPtrArray) one = NULL;

      any.limit = 1;
      one = desk_store_list_releases (self->store, &any, NULL);
      store_empty = one != NULL && one->len == 0;
    }

  gtk_stack_set_visible_child_name (self->list_stack, n > 0 ? "list" : "empty");
  if (n > 0)
    return;

  gtk_widget_set_visible (self->samples_button, store_empty && self->store != NULL && !self->team_desk);
  if (self->store == NULL)
    {
      adw_status_page_set_icon_name (self->empty_page, "dialog-error-symbolic");
      adw_status_page_set_title (self->empty_page, _("No Database"));
      adw_status_page_set_description (self->empty_page, _("Copydesk could not open its database."));
    }
  else if (search != NULL)
    {
      adw_status_page_set_icon_name (self->empty_page, "edit-find-symbolic");
      adw_status_page_set_title (self->empty_page, _("No Results"));
      adw_status_page_set_description (self->empty_page, _("No release in this queue has those words. Try fewer words, or the All queue."));
    }
  else if (store_empty)
    {
      adw_status_page_set_icon_name (self->empty_page, "mail-unread-symbolic");
      adw_status_page_set_title (self->empty_page, _("No Releases Yet"));
      adw_status_page_set_description (self->empty_page, _("Drop press releases here or press Ctrl+O to import them."));
    }
  else
    {
      adw_status_page_set_icon_name (self->empty_page, "object-select-symbolic");
      adw_status_page_set_title (self->empty_page, status == DESK_STATUS_NEW ? _("Inbox Empty") : _("Queue Empty"));
      adw_status_page_set_description (self->empty_page, _("Nothing is waiting here."));
    }
}

/* Reads the list afresh, keeping the release under review selected if it
 * is still in the queue. */
void
_desk_window_reload_list (DeskWindow *self)
{
  gint64 current = desk_review_view_get_release_id (self->review_view);
  guint n;

  if (self->releases == NULL)
    return;

  self->restoring_selection = TRUE;
  desk_release_list_reload (self->releases);
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  n = MIN (g_list_model_get_n_items (G_LIST_MODEL (self->releases)), 512);
  for (guint i = 0; i < n && current > 0; i++)
    {
      g_autoptr(DeskRelease) release = g_list_model_get_item (G_LIST_MODEL (self->releases), i);

      if (desk_release_get_id (release) == current)
        {
          gtk_single_selection_set_selected (self->selection, i);
          break;
        }
    }
  self->restoring_selection = FALSE;
  _desk_window_update_list_view (self);
}

/* The list and the counts read afresh, now (a refresh asked for later is
 * then not needed). */
void
_desk_window_refresh_queue (DeskWindow *self)
{
  g_clear_handle_id (&self->refresh_source, g_source_remove);
  _desk_window_reload_list (self);
  _desk_window_refresh_counts (self);
}

static gboolean
refresh_queue_idle (gpointer user_data)
{
  DeskWindow *self = user_data;

  self->refresh_source = 0;
  _desk_window_reload_list (self);
  _desk_window_refresh_counts (self);
  return G_SOURCE_REMOVE;
}

/* Once the event being handled is done: a save made on the way to another
 * release refreshes the queue after that release is on screen, so the
 * list keeps the new one selected. */
static void
refresh_queue_later (DeskWindow *self)
{
  if (self->refresh_source == 0)
    self->refresh_source = g_idle_add (refresh_queue_idle, self);
}

/* ---- the release under review --------------------------------------------- */

void
_desk_window_show_release (DeskWindow *self,
              gint64      id)
{
  g_autoptr(GError) error = NULL;
  DeskRelease *release;
  g_autofree char *subtitle = NULL;
  g_autofree char *language = NULL;

  if (!desk_review_view_load (self->review_view, id, &error))
    {
      _desk_window_show_error (self, _("The release cannot be shown"), error);
      return;
    }

  release = desk_review_view_get_release (self->review_view);
  language = desk_language_get_display_name (desk_release_get_language (release));
  subtitle = g_strdup_printf ("#%" G_GINT64_FORMAT " · %s · %s", id,
                              *desk_release_get_source (release) ? desk_release_get_source (release) : _("No wire"),
                              language);
  {
    /* The embargo, while it holds, where the editor looks first. */
    g_autofree char *embargo = desk_source_describe_embargo (_desk_window_get_store (self), id);

    if (embargo != NULL)
      {
        g_autofree char *plain = g_steal_pointer (&subtitle);

        subtitle = g_strdup_printf ("%s · %s", plain, embargo);
      }
  }
  adw_window_title_set_title (self->review_title, desk_release_get_headline (release));
  adw_window_title_set_subtitle (self->review_title, subtitle);
  gtk_stack_set_visible_child_name (self->review_stack, "review");
  _desk_window_update_lock (self);
  _desk_window_update_sponsor_banner (self);
  _desk_window_update_publish_state (self);
  _desk_window_update_copies (self);
  _desk_window_update_actions (self);
}

/* Release @id changed in the store: shown again if it is on screen, and
 * the queue follows. */
void
_desk_window_release_changed (DeskWindow *self,
                 gint64      id)
{
  if (id > 0 && id == desk_review_view_get_release_id (self->review_view))
    _desk_window_show_release (self, id);
  _desk_window_refresh_queue (self);
}

/* One pane at a time: a narrow window, or a phone. */
gboolean
_desk_window_is_folded (DeskWindow *self)
{
  return adw_leaflet_get_folded (self->leaflet);
}

/* The keyboard on the row of the release at @position, so that Up and Down
 * go on from there (GTK 4.8 has no call for it: the list's rows are
 * asked which release each shows). */
static void
focus_row (DeskWindow *self,
           guint       position)
{
  g_autoptr(DeskRelease) wanted = g_list_model_get_item (G_LIST_MODEL (self->releases), position);

  for (GtkWidget *item = gtk_widget_get_first_child (GTK_WIDGET (self->list_view));
       item != NULL; item = gtk_widget_get_next_sibling (item))
    {
      GtkWidget *row = gtk_widget_get_first_child (item);
      DeskRelease *shown = DESK_IS_RELEASE_ROW (row) ? desk_release_row_get_release (DESK_RELEASE_ROW (row)) : NULL;

      if (shown != NULL && wanted != NULL && desk_release_get_id (shown) == desk_release_get_id (wanted) &&
          gtk_widget_grab_focus (item))
        return;
    }
  gtk_widget_grab_focus (GTK_WIDGET (self->list_view));
}

/* The list, with the keyboard in it on the selected release (or the first). */
void
_desk_window_show_list (DeskWindow *self)
{
  guint position = self->selection != NULL ? gtk_single_selection_get_selected (self->selection)
                                           : GTK_INVALID_LIST_POSITION;

  if (_desk_window_is_folded (self))
    adw_leaflet_set_visible_child (self->leaflet, self->list_pane);
  if (position == GTK_INVALID_LIST_POSITION)
    position = 0;
  if (self->releases == NULL || position >= g_list_model_get_n_items (G_LIST_MODEL (self->releases)))
    {
      gtk_widget_grab_focus (GTK_WIDGET (self->list_view));
      return;
    }
  gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u", position);
  focus_row (self, position);
}

/* A release picked in the list is shown beside it.  Folded, a click opens
 * its page; moving through the list with the keys does not, so the editor
 * can go on moving (Enter opens). */
static void
selection_changed (DeskWindow *self)
{
  DeskRelease *release = gtk_single_selection_get_selected_item (self->selection);

  if (self->restoring_selection || release == NULL)
    return;
  if (desk_release_get_id (release) == desk_review_view_get_release_id (self->review_view))
    return;

  _desk_window_show_release (self, desk_release_get_id (release));
  if (_desk_window_is_folded (self) && !self->list_key_moving)
    adw_leaflet_set_visible_child (self->leaflet, self->review_pane);
}

/* Enter (or a double click) opens the release: the keyboard goes to its
 * edited copy, and Escape comes back. */
static void
list_activated (DeskWindow *self,
                guint       position)
{
  if (position != gtk_single_selection_get_selected (self->selection))
    gtk_single_selection_set_selected (self->selection, position);
  if (desk_review_view_get_release (self->review_view) == NULL)
    return;
  if (_desk_window_is_folded (self))
    adw_leaflet_set_visible_child (self->leaflet, self->review_pane);
  desk_review_view_focus_edited (self->review_view);
}

static gboolean
list_key_done (gpointer user_data)
{
  DeskWindow *self = user_data;

  self->list_key_moving = FALSE;
  return G_SOURCE_REMOVE;
}

/* The keys that move through the list select as they go; while they do,
 * the window does not leave the list (see selection_changed()). */
static gboolean
list_key_pressed (DeskWindow      *self,
                  guint            keyval,
                  guint            keycode,
                  GdkModifierType  state)
{
  switch (keyval)
    {
    case GDK_KEY_Up: case GDK_KEY_KP_Up:
    case GDK_KEY_Down: case GDK_KEY_KP_Down:
    case GDK_KEY_Home: case GDK_KEY_KP_Home:
    case GDK_KEY_End: case GDK_KEY_KP_End:
    case GDK_KEY_Page_Up: case GDK_KEY_KP_Page_Up:
    case GDK_KEY_Page_Down: case GDK_KEY_KP_Page_Down:
      if (!self->list_key_moving)
        g_idle_add_full (G_PRIORITY_DEFAULT, list_key_done, g_object_ref (self), g_object_unref);
      self->list_key_moving = TRUE;
      break;
    default:
      break;
    }
  return GDK_EVENT_PROPAGATE;
}

static void
release_saved (DeskWindow *self,
               gint64      revision_id,
               gboolean    listing_changed)
{
  /* A save can move the release (edited approved copy goes back to review)
   * or rename it: then the list and the counts follow.  Other saves change
   * nothing a queue shows. */
  /* The copy changed since the Clean Up: its Undo would lose the edit. */
  if (self->clean_up_release != 0)
    _desk_window_forget_clean_up (self);
  _desk_window_update_actions (self);
  if (listing_changed)
    refresh_queue_later (self);
}

/* The one move the action bar offers, the next in the release's life:
 * Start Review, Approve, Publish; the other moves are in its menu. */
static void
update_next_step (DeskWindow *self,
                  int         status)
{
  const char *action = NULL;
  const char *label = NULL;
  const char *tooltip = NULL;

  switch (status)
    {
    case DESK_STATUS_NEW:
      action = "win.start-review";
      label = _("_Start Review");
      tooltip = _("Start review (Ctrl+R)");
      break;
    case DESK_STATUS_IN_REVIEW:
    case DESK_STATUS_CHANGES_REQUESTED:
      action = "win.approve";
      label = _("_Approve…");
      tooltip = _("Approve this revision (Ctrl+Return)");
      break;
    case DESK_STATUS_APPROVED:
      action = "win.publish";
      label = _("_Publish…");
      tooltip = self->team_desk ? _("Not on a team desk yet: publish with “copydesk-cli publish”")
                                : _("Publish the approved copy (Ctrl+Shift+P)");
      break;
    default:
      break;
    }

  gtk_widget_set_visible (self->next_step_button, action != NULL);
  if (action == NULL)
    return;
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->next_step_button), action);
  gtk_button_set_label (GTK_BUTTON (self->next_step_button), label);
  gtk_widget_set_tooltip_text (self->next_step_button, tooltip);
}

void
_desk_window_update_actions (DeskWindow *self)
{
  DeskRelease *release = desk_review_view_get_release (self->review_view);
  gboolean have = release != NULL;
  DeskStatus status = have ? desk_release_get_status (release) : DESK_STATUS_NEW;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.start-review",
                                 have && !self->importing && desk_workflow_can_move (status, DESK_STATUS_IN_REVIEW));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.approve",
                                 have && !self->importing && desk_workflow_can_move (status, DESK_STATUS_APPROVED));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.request-changes",
                                 have && !self->importing && desk_workflow_can_move (status, DESK_STATUS_CHANGES_REQUESTED));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.reject",
                                 have && !self->importing && desk_workflow_can_move (status, DESK_STATUS_REJECTED));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.history", have);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.next-change", have);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.previous-change", have);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.save", have);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.mark-sponsored", have);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.mark-not-sponsored", have);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.clean-up", have);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.evidence", have);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.publish",
                                 have && !self->team_desk && desk_workflow_can_move (status, DESK_STATUS_PUBLISHED));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.export",
                                 have && !self->team_desk && desk_status_has_approved_copy (status));
  if (have)
    desk_status_badge_set (self->status_label, status);
  update_next_step (self, have ? (int) status : -1);
}

/* New results start at the top, where the best matches are. */
static void
search_changed (DeskWindow *self)
{
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (self->list_scroller));

  if (self->releases == NULL)
    return;
  /* To the top first, while the rows there still exist. */
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_lower (adjustment));
  desk_release_list_set_search (self->releases, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
  _desk_window_update_list_view (self);
}

/* Enter in the search field opens the first result. */
static void
search_activate (DeskWindow *self)
{
  if (self->releases == NULL || g_list_model_get_n_items (G_LIST_MODEL (self->releases)) == 0)
    return;
  gtk_single_selection_set_selected (self->selection, 0);
  list_activated (self, 0);
}

/* Down in the search field selects the first result and goes to it. */
static gboolean
search_key_pressed (DeskWindow      *self,
                    guint            keyval,
                    guint            keycode,
                    GdkModifierType  state)
{
  if ((keyval != GDK_KEY_Down && keyval != GDK_KEY_KP_Down) ||
      (state & (GDK_CONTROL_MASK | GDK_ALT_MASK | GDK_SHIFT_MASK)) != 0)
    return GDK_EVENT_PROPAGATE;
  if (self->releases == NULL || g_list_model_get_n_items (G_LIST_MODEL (self->releases)) == 0)
    return GDK_EVENT_PROPAGATE;

  self->list_key_moving = TRUE;
  gtk_single_selection_set_selected (self->selection, 0);
  self->list_key_moving = FALSE;
  _desk_window_show_list (self);
  return GDK_EVENT_STOP;
}

static void
search_stopped (DeskWindow *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  gtk_widget_grab_focus (GTK_WIDGET (self->list_view));
}

/* ---- the window ---------------------------------------------------------- */

/* The window's size and state live in GSettings.  An uninstalled build run
 * without GSETTINGS_SCHEMA_DIR has no schema: the window then simply opens
 * at its default size, rather than aborting as g_settings_new() would. */
static void
restore_window_state (DeskWindow *self)
{
  int width, height;

  if (self->settings == NULL)
    return;

  width = g_settings_get_int (self->settings, "window-width");
  height = g_settings_get_int (self->settings, "window-height");
  if (width > 0 && height > 0)
    gtk_window_set_default_size (GTK_WINDOW (self), width, height);
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
}

static void
save_window_state (DeskWindow *self)
{
  int width, height;

  if (self->settings == NULL)
    return;

  /* The default size is the size the window had before it was maximized:
   * the size to come back to. */
  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  g_settings_delay (self->settings);
  if (width > 0 && height > 0)
    {
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
    }
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (GTK_WINDOW (self)));
  g_settings_apply (self->settings);
}

static gboolean
desk_window_close_request (GtkWindow *window)
{
  DeskWindow *self = DESK_WINDOW (window);
  g_autoptr(GError) error = NULL;

  if (!desk_review_view_save (self->review_view, &error))
    g_warning ("Could not save the edited copy: %s", error->message);
  save_window_state (self);

  return GTK_WINDOW_CLASS (desk_window_parent_class)->close_request (window);
}

/* A closed window (gtk_window_destroy() only drops GTK's reference; a
 * running count may still hold one) stops its background work at once. */
static void
desk_window_unrealize (GtkWidget *widget)
{
  DeskWindow *self = DESK_WINDOW (widget);

  g_cancellable_cancel (self->cancellable);
  GTK_WIDGET_CLASS (desk_window_parent_class)->unrealize (widget);
}

static void
desk_window_realize (GtkWidget *widget)
{
  DeskWindow *self = DESK_WINDOW (widget);

  if (g_cancellable_is_cancelled (self->cancellable))
    {
      g_clear_object (&self->cancellable);
      self->cancellable = g_cancellable_new ();
    }
  GTK_WIDGET_CLASS (desk_window_parent_class)->realize (widget);
}

static void
desk_window_dispose (GObject *object)
{
  DeskWindow *self = DESK_WINDOW (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->refresh_source, g_source_remove);
  g_clear_pointer (&self->follow, _desk_window_follow_free);
  _desk_window_let_lock_go (self);
  g_clear_handle_id (&self->lock_poll_source, g_source_remove);
  g_clear_pointer (&self->lock, desk_lock_free);
  g_clear_pointer (&self->ingest, _desk_window_ingest_free);
  /* The review view saves its copy as it goes; the window, going too, no
   * longer listens. */
  if (self->review_view != NULL)
    g_signal_handlers_disconnect_by_data (self->review_view, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), DESK_TYPE_WINDOW);
  g_clear_object (&self->publisher);
  g_clear_object (&self->selection);
  g_clear_object (&self->releases);
  g_clear_object (&self->store);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->clean_up_headline, g_free);
  g_clear_pointer (&self->clean_up_text, g_free);

  G_OBJECT_CLASS (desk_window_parent_class)->dispose (object);
}

static void
go_back (DeskWindow *self)
{
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

static void
desk_window_class_init (DeskWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = desk_window_dispose;
  widget_class->realize = desk_window_realize;
  widget_class->unrealize = desk_window_unrealize;
  window_class->close_request = desk_window_close_request;

  /* Emitted with the number of releases imported when an import ends. */
  g_signal_new ("imported", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);
  /* Emitted when the outbox has sent what it could. */
  g_signal_new ("published", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  _desk_window_class_init_follow (widget_class);

  g_type_ensure (DESK_TYPE_REVIEW_VIEW);
  g_type_ensure (DESK_TYPE_RELEASE_ROW);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/copydesk/Copydesk/desk-window.ui");
  gtk_widget_class_bind_template_child (widget_class, DeskWindow, toasts);
  gtk_widget_class_bind_template_child (widget_class, DeskWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, DeskWindow, list_pane);
  gtk_widget_class_bind_template_child (widget_class, DeskWindow, review_pane);
  gtk_widget_class_bind_template_child (widget_class, DeskWindow, queues);
  gtk_widget_class_bind_template_child (widget_class, DeskWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, DeskWindow, list_stack);
  gtk_widget_class_bind_template_child (widget_class, DeskWindow, list_view);
  gtk_widget_class_bind_template_child (widget_class, DeskWindow, empty_page);
  gtk_widget_class_bind_template_child (widget_class, DeskWindow, samples_button);
  gtk_widget_class_bind_template_child (widget_class, DeskWindow, import_button);
  gtk_widget_class_bind_template_child (widget_class, DeskWindow, desk_title);
  gtk_widget_class_bind_template_child (widget_class, DeskWindow, primary_menu);
  gtk_widget_class_bind_template_child (widget_class, DeskWindow, release_menu);
  gtk_widget_class_bind_template_child (widget_class, DeskWindow, review_stack);
  gtk_widget_class_bind_template_child (widget_class, DeskWindow, review_title);
  gtk_widget_class_bind_template_child (widget_class, DeskWindow, review_view);
  gtk_widget_class_bind_template_child (widget_class, DeskWindow, status_label);
  gtk_widget_class_bind_template_child (widget_class, DeskWindow, import_revealer);
  gtk_widget_class_bind_template_child (widget_class, DeskWindow, import_label);
  gtk_widget_class_bind_template_child (widget_class, DeskWindow, import_progress);
  gtk_widget_class_bind_template_child (widget_class, DeskWindow, back_to_queues);
  gtk_widget_class_bind_template_child (widget_class, DeskWindow, back_to_list);
  gtk_widget_class_bind_template_child (widget_class, DeskWindow, publish_state);
  gtk_widget_class_bind_template_child (widget_class, DeskWindow, retry_button);
  gtk_widget_class_bind_template_child (widget_class, DeskWindow, open_link_button);
  gtk_widget_class_bind_template_child (widget_class, DeskWindow, sponsor_badge);
  gtk_widget_class_bind_template_child (widget_class, DeskWindow, evidence_button);
  gtk_widget_class_bind_template_child (widget_class, DeskWindow, evidence_list);
  gtk_widget_class_bind_template_child (widget_class, DeskWindow, sponsor_label);
  gtk_widget_class_bind_template_child (widget_class, DeskWindow, sponsor_revealer);
  gtk_widget_class_bind_template_child (widget_class, DeskWindow, sponsor_banner);
  gtk_widget_class_bind_template_child (widget_class, DeskWindow, sponsor_icon);
  gtk_widget_class_bind_template_child (widget_class, DeskWindow, not_sponsored_button);
  gtk_widget_class_bind_template_child (widget_class, DeskWindow, next_step_button);
  gtk_widget_class_bind_template_child (widget_class, DeskWindow, list_scroller);
  /* Named for tests and tools that look for it; the code needs no pointer. */
  gtk_widget_class_bind_template_child_full (widget_class, "release_menu_button", FALSE, 0);

  gtk_widget_class_bind_template_callback (widget_class, go_back);
  gtk_widget_class_bind_template_callback (widget_class, search_changed);
  gtk_widget_class_bind_template_callback (widget_class, search_stopped);
  gtk_widget_class_bind_template_callback (widget_class, list_activated);
  gtk_widget_class_bind_template_callback (widget_class, list_key_pressed);
  gtk_widget_class_bind_template_callback (widget_class, search_activate);
  gtk_widget_class_bind_template_callback (widget_class, search_key_pressed);

  _desk_window_class_init_queues (widget_class);
  _desk_window_class_init_actions (widget_class);
  _desk_window_class_init_publish (widget_class);
  _desk_window_class_init_import (widget_class);
  _desk_window_class_init_backup (widget_class);
  _desk_window_class_init_copies (widget_class);
  _desk_window_class_init_locks (widget_class);

}

static void
desk_window_init (DeskWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->settings = desk_settings_new_if_installed ("window-maximized");
  restore_window_state (self);


  _desk_window_build_queues (self);
  gtk_search_entry_set_key_capture_widget (self->search_entry, GTK_WIDGET (self->list_view));
  g_signal_connect_object (self->review_view, "saved", G_CALLBACK (release_saved), self, G_CONNECT_SWAPPED);

  _desk_window_add_shortcuts (self);
  g_signal_connect_object (self, "notify::default-width", G_CALLBACK (_desk_window_update_sponsor_banner),
                           self, G_CONNECT_SWAPPED);

  _desk_window_init_import (self);

  _desk_window_update_actions (self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.undo-clean-up", FALSE);
}

/* Takes the items of @actions out of @menu and its sections. */
static void
remove_menu_items (GMenu              *menu,
                   const char * const *actions)
{
  for (int i = g_menu_model_get_n_items (G_MENU_MODEL (menu)) - 1; i >= 0; i--)
    {
      g_autoptr(GMenuModel) section = g_menu_model_get_item_link (G_MENU_MODEL (menu), i, G_MENU_LINK_SECTION);
      g_autofree char *action = NULL;

      if (section != NULL && G_IS_MENU (section))
        remove_menu_items (G_MENU (section), actions);
      if (g_menu_model_get_item_attribute (G_MENU_MODEL (menu), i, G_MENU_ATTRIBUTE_ACTION, "s", &action) &&
          g_strv_contains (actions, action))
        g_menu_remove (menu, i);
    }
}

/* A team desk (PostgreSQL) does not import, back up, publish or export
 * from the window yet, nor watch folders, feeds and mailboxes: those are
 * taken out of the menus, and the buttons say so. */
static void
set_up_team_desk (DeskWindow *self)
{
  static const char * const not_yet[] = { "win.import", "win.back-up", "win.publish", "win.export", NULL };
  g_autofree char *role = desk_store_dup_actor (self->store, NULL);
  g_autofree char *subtitle = NULL;

  self->team_desk = TRUE;
  /* Who the server records as the editor: the role logged in. */
  if (role != NULL)
    {
      /* Translators: under the window's title; %s is the editor's login role */
      subtitle = g_strdup_printf (_("Team desk · %s"), role);
      adw_window_title_set_subtitle (self->desk_title, subtitle);
    }
  remove_menu_items (self->primary_menu, not_yet);
  remove_menu_items (self->release_menu, not_yet);
  for (guint i = 0; not_yet[i] != NULL; i++)
    gtk_widget_action_set_enabled (GTK_WIDGET (self), not_yet[i], FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.load-samples", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.back-up-to", FALSE);
  gtk_widget_set_tooltip_text (self->import_button,
                               _("Not on a team desk yet: import with “copydesk-cli import”"));
}

gboolean
desk_window_is_team_desk (DeskWindow *self)
{
  g_return_val_if_fail (DESK_IS_WINDOW (self), FALSE);

  return self->team_desk;
}

DeskWindow *
desk_window_new (GtkApplication *application,
                 DeskStore      *store)
{
  DeskWindow *self = g_object_new (DESK_TYPE_WINDOW, "application", application, NULL);

  if (store != NULL)
    {
      self->store = g_object_ref (store);
      self->releases = desk_release_list_new_full (store, DESK_STATUS_NEW, TRUE);
      self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->releases)));
      gtk_single_selection_set_autoselect (self->selection, FALSE);
      gtk_single_selection_set_can_unselect (self->selection, TRUE);
      gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
      gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));
      g_signal_connect_object (self->selection, "notify::selected-item", G_CALLBACK (selection_changed),
                               self, G_CONNECT_SWAPPED);
      desk_review_view_set_store (self->review_view, store);
      gtk_list_box_select_row (self->queues, gtk_list_box_get_row_at_index (self->queues, 0));
      /* Counting waits until the window is on screen: on a large store the
       * first frame need not share the processor with it. */
      g_signal_connect_object (self, "map", G_CALLBACK (_desk_window_refresh_counts_later), self, G_CONNECT_SWAPPED);
      if (desk_store_is_team_desk (store))
        set_up_team_desk (self);
      self->follow = _desk_window_follow_new (self);
      if (!self->team_desk)
        self->ingest = _desk_window_ingest_new (self);
    }

  _desk_window_update_list_view (self);
  return self;
}

DeskReleaseList *
desk_window_get_releases (DeskWindow *self)
{
  g_return_val_if_fail (DESK_IS_WINDOW (self), NULL);

  return self->releases;
}

DeskReviewView *
desk_window_get_review_view (DeskWindow *self)
{
  g_return_val_if_fail (DESK_IS_WINDOW (self), NULL);

  return self->review_view;
}

void
desk_window_select_position (DeskWindow *self,
                             guint       position)
{
  g_return_if_fail (DESK_IS_WINDOW (self));

  if (self->selection != NULL)
    gtk_single_selection_set_selected (self->selection, position);
}

/* The list shows release @id selected: the queue it is in, and its row
 * if it is among the first rows there. */
static void
select_release_row (DeskWindow *self,
                    gint64      id)
{
  DeskRelease *release = desk_review_view_get_release (self->review_view);
  guint n;

  if (release == NULL || desk_release_get_id (release) != id || self->releases == NULL)
    return;
  if (desk_release_list_get_status (self->releases) != (int) desk_release_get_status (release) &&
      desk_release_list_get_status (self->releases) != -1)
    desk_window_select_queue (self, desk_release_get_status (release));

  n = MIN (g_list_model_get_n_items (G_LIST_MODEL (self->releases)), 512);
  self->restoring_selection = TRUE;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DeskRelease) row = g_list_model_get_item (G_LIST_MODEL (self->releases), i);

      if (desk_release_get_id (row) == id)
        {
          gtk_single_selection_set_selected (self->selection, i);
          gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u", i);
          break;
        }
    }
  self->restoring_selection = FALSE;
}

/* Opens release @id for review, as "copydesk --release ID" does. */
void
desk_window_show_release (DeskWindow *self,
                          gint64      id)
{
  g_return_if_fail (DESK_IS_WINDOW (self));

  if (self->store == NULL)
    return;
  _desk_window_show_release (self, id);
  select_release_row (self, id);
  /* The page shown when the window is (or becomes) folded. */
  adw_leaflet_set_visible_child (self->leaflet, self->review_pane);
}

void
desk_window_reload (DeskWindow *self)
{
  g_return_if_fail (DESK_IS_WINDOW (self));

  _desk_window_refresh_queue (self);
}

GtkWidget *
desk_window_get_sponsor_banner (DeskWindow *self)
{
  g_return_val_if_fail (DESK_IS_WINDOW (self), NULL);

  return GTK_WIDGET (self->sponsor_revealer);
}
