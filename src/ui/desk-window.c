/* desk-window.c — the copy desk: queues, the list of releases, the review
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include <errno.h>
#include <string.h>

#include "desk-check.h"
#include "desk-error.h"
#include "desk-export.h"
#include "desk-outbox.h"
#include "desk-preferences.h"
#include "desk-publisher.h"
#include "desk-history-window.h"
#include "desk-importer.h"
#include "desk-review-view.h"
#include "desk-settings.h"
#include "desk-window.h"
#include "desk-window-private.h"

/* A queue in the sidebar: a status, or every release. */
typedef struct {
  const char *name;
  int         status;
  gboolean    sponsored;
  const char *icon;
} Queue;

static const Queue queues[] = {
  { N_("Inbox"), DESK_STATUS_NEW, FALSE, "mail-unread-symbolic" },
  { N_("In Review"), DESK_STATUS_IN_REVIEW, FALSE, "document-edit-symbolic" },
  { N_("Changes Requested"), DESK_STATUS_CHANGES_REQUESTED, FALSE, "mail-reply-sender-symbolic" },
  { N_("Approved"), DESK_STATUS_APPROVED, FALSE, "emblem-ok-symbolic" },
  { N_("Published"), DESK_STATUS_PUBLISHED, FALSE, "send-to-symbolic" },
  { N_("Rejected"), DESK_STATUS_REJECTED, FALSE, "action-unavailable-symbolic" },
  { N_("Sponsored"), -1, TRUE, "dialog-warning-symbolic" },
  { N_("All"), -1, FALSE, "view-list-symbolic" },
};

/* The workflow actions the window offers, and where each goes. */
typedef struct {
  const char *action;
  DeskStatus  to;
  const char *title;      /* dialog heading */
  const char *verb;       /* dialog button */
  const char *done;       /* toast */
} Move;

static const Move moves[] = {
  { "win.start-review", DESK_STATUS_IN_REVIEW, N_("Start Review?"), N_("_Start Review"), N_("Review started") },
  { "win.approve", DESK_STATUS_APPROVED, N_("Approve This Revision?"), N_("_Approve"), N_("Approved") },
  { "win.request-changes", DESK_STATUS_CHANGES_REQUESTED, N_("Request Changes?"), N_("Request _Changes"), N_("Changes requested") },
  { "win.reject", DESK_STATUS_REJECTED, N_("Reject This Release?"), N_("Re_ject"), N_("Rejected") },
};

struct _DeskWindow
{
  AdwApplicationWindow  parent_instance;

  DeskStore            *store;
  DeskReleaseList      *releases;
  GtkSingleSelection   *selection;
  GtkLabel             *queue_counts[G_N_ELEMENTS (queues)];
  GCancellable         *cancellable;
  gboolean              restoring_selection;
  guint                 refresh_source;   /* a queue refresh asked for later */
  gboolean              importing;

  AdwToastOverlay      *toasts;
  AdwLeaflet           *leaflet;
  GtkWidget            *list_pane;
  GtkWidget            *review_pane;
  GtkListBox           *queues;
  GtkSearchEntry       *search_entry;
  GtkStack             *list_stack;
  GtkListView          *list_view;
  AdwStatusPage        *empty_page;
  GtkWidget            *samples_button;
  GtkStack             *review_stack;
  AdwWindowTitle       *review_title;
  DeskReviewView       *review_view;
  GtkLabel             *status_label;
  GtkRevealer          *import_revealer;
  GtkLabel             *import_label;
  GtkProgressBar       *import_progress;
  GtkWidget            *back_to_queues;
  GtkWidget            *back_to_list;
  GtkRevealer          *sponsor_revealer;
  GtkLabel             *sponsor_label;
  GtkListBox           *evidence_list;
  GtkMenuButton        *evidence_button;
  GtkLabel             *sponsor_badge;

  GSettings            *settings;     /* NULL when the schema is not installed */
  DeskPublisher        *publisher;
  gboolean              publishing;
  gboolean              publish_again;  /* jobs were queued during a run */
  GtkLabel             *publish_state;
  GtkWidget            *retry_button;
  GtkWidget            *open_link_button;

  DeskWindowFollow     *follow;           /* other processes' changes */
  DeskWindowIngest     *ingest;           /* the desk's sources */
  gboolean              counting;         /* a count of the queues is running */
  gboolean              count_again;      /* and another is wanted after it */
};

G_DEFINE_FINAL_TYPE (DeskWindow, desk_window, ADW_TYPE_APPLICATION_WINDOW)

/* What desk-window-backup.c and desk-window-live.c share. */
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

static void update_actions (DeskWindow *self);
static void refresh_counts (DeskWindow *self);
static void update_sponsor_banner (DeskWindow *self);
static void update_publish_state (DeskWindow *self);
static void run_publisher (DeskWindow *self);

static void
show_error (DeskWindow   *self,
            const char   *heading,
            const GError *error)
{
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), heading, error->message);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- the list ------------------------------------------------------------ */

/* "5 minutes ago", "yesterday, 14:02", "3 Mar 2025". */
static char *
format_received (gint64 usec)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (usec / G_USEC_PER_SEC);
  g_autoptr(GDateTime) when = utc != NULL ? g_date_time_to_local (utc) : NULL;
  GTimeSpan ago;

  if (when == NULL)
    return g_strdup ("");

  ago = g_date_time_difference (now, when);
  if (ago < G_TIME_SPAN_MINUTE)
    return g_strdup (_("just now"));
  if (ago < G_TIME_SPAN_HOUR)
    {
      int minutes = (int) (ago / G_TIME_SPAN_MINUTE);
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d minute ago", "%d minutes ago", minutes), minutes);
    }
  if (g_date_time_get_year (now) == g_date_time_get_year (when) &&
      g_date_time_get_day_of_year (now) == g_date_time_get_day_of_year (when))
    return g_date_time_format (when, _("today, %H:%M"));
  if (ago < 2 * G_TIME_SPAN_DAY && g_date_time_get_day_of_year (now) - g_date_time_get_day_of_year (when) == 1)
    return g_date_time_format (when, _("yesterday, %H:%M"));
  return g_date_time_format (when, "%e %b %Y");
}

static const char *
status_css_class (DeskStatus status)
{
  switch (status)
    {
    case DESK_STATUS_APPROVED:
    case DESK_STATUS_PUBLISHED:
      return "success";
    case DESK_STATUS_CHANGES_REQUESTED:
    case DESK_STATUS_CORRECTED:
      return "warning";
    case DESK_STATUS_REJECTED:
    case DESK_STATUS_WITHDRAWN:
      return "error";
    case DESK_STATUS_NEW:
    case DESK_STATUS_IN_REVIEW:
    default:
      return "accent";
    }
}

static void
set_status_badge (GtkLabel   *label,
                  DeskStatus  status)
{
  static const char * const classes[] = { "success", "warning", "error", "accent" };

  for (gsize i = 0; i < G_N_ELEMENTS (classes); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (label), classes[i]);
  gtk_widget_add_css_class (GTK_WIDGET (label), status_css_class (status));
  gtk_label_set_text (label, desk_status_get_label (status));
}

/* "Sponsored" or "Third-party", as the editor decided or the detector
 * found; NULL for the newsroom's own kind of copy. */
static const char *
verdict_label (DeskVerdict verdict)
{
  switch (verdict)
    {
    case DESK_VERDICT_SPONSORED:
      return _("Sponsored");
    case DESK_VERDICT_THIRD_PARTY:
      return _("Third-party");
    case DESK_VERDICT_NONE:
    default:
      return NULL;
    }
}

static void
setup_row (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           gpointer                  user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *headline = gtk_label_new (NULL);
  GtkWidget *bottom = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *meta = gtk_label_new (NULL);
  GtkWidget *sponsor = gtk_label_new (NULL);
  GtkWidget *badge = gtk_label_new (NULL);

  gtk_widget_add_css_class (sponsor, "status-badge");
  gtk_widget_add_css_class (sponsor, "caption");
  gtk_widget_add_css_class (sponsor, "warning");
  gtk_widget_add_css_class (box, "release-row");
  gtk_widget_add_css_class (headline, "headline");
  gtk_widget_add_css_class (meta, "dim-label");
  gtk_widget_add_css_class (meta, "caption");
  gtk_widget_add_css_class (badge, "status-badge");
  gtk_widget_add_css_class (badge, "caption");
  gtk_label_set_xalign (GTK_LABEL (headline), 0);
  gtk_label_set_xalign (GTK_LABEL (meta), 0);
  gtk_label_set_ellipsize (GTK_LABEL (headline), PANGO_ELLIPSIZE_END);
  gtk_label_set_ellipsize (GTK_LABEL (meta), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (meta, TRUE);
  gtk_box_append (GTK_BOX (box), headline);
  gtk_box_append (GTK_BOX (bottom), meta);
  gtk_box_append (GTK_BOX (bottom), sponsor);
  gtk_box_append (GTK_BOX (bottom), badge);
  gtk_box_append (GTK_BOX (box), bottom);
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
  GtkWidget *bottom = gtk_widget_get_next_sibling (headline);
  GtkWidget *meta = gtk_widget_get_first_child (bottom);
  GtkWidget *sponsor = gtk_widget_get_next_sibling (meta);
  GtkWidget *badge = gtk_widget_get_next_sibling (sponsor);
  const char *verdict = verdict_label (desk_release_get_effective_verdict (release));
  g_autofree char *when = format_received (desk_release_get_received_at (release));
  const char *source = desk_release_get_source (release);
  g_autofree char *copies = _desk_window_describe_copies (DESK_WINDOW (user_data), desk_release_get_id (release));
  g_autofree char *text = g_strdup_printf ("%s · %s · %s%s%s",
                                           source != NULL && *source ? source : _("No wire"),
                                           desk_release_get_language (release),
                                           when, copies != NULL ? " · " : "", copies != NULL ? copies : "");

  gtk_label_set_text (GTK_LABEL (headline), desk_release_get_headline (release));
  gtk_label_set_text (GTK_LABEL (meta), text);
  gtk_label_set_text (GTK_LABEL (sponsor), verdict != NULL ? verdict : "");
  gtk_widget_set_visible (sponsor, verdict != NULL);
  set_status_badge (GTK_LABEL (badge), desk_release_get_status (release));
}

static void
update_list_view (DeskWindow *self)
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

  gtk_widget_set_visible (self->samples_button, store_empty && self->store != NULL);
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
static void
reload_list (DeskWindow *self)
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
  update_list_view (self);
}

/* The list and the counts read afresh, now (a refresh asked for later is
 * then not needed). */
static void
refresh_queue (DeskWindow *self)
{
  g_clear_handle_id (&self->refresh_source, g_source_remove);
  reload_list (self);
  refresh_counts (self);
}

static gboolean
refresh_queue_idle (gpointer user_data)
{
  DeskWindow *self = user_data;

  self->refresh_source = 0;
  reload_list (self);
  refresh_counts (self);
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

static void
show_release (DeskWindow *self,
              gint64      id)
{
  g_autoptr(GError) error = NULL;
  DeskRelease *release;
  g_autofree char *subtitle = NULL;

  if (!desk_review_view_load (self->review_view, id, &error))
    {
      show_error (self, _("The release cannot be shown"), error);
      return;
    }

  release = desk_review_view_get_release (self->review_view);
  subtitle = g_strdup_printf ("#%" G_GINT64_FORMAT " · %s · %s", id,
                              *desk_release_get_source (release) ? desk_release_get_source (release) : _("No wire"),
                              desk_release_get_language (release));
  adw_window_title_set_title (self->review_title, desk_release_get_headline (release));
  adw_window_title_set_subtitle (self->review_title, subtitle);
  gtk_stack_set_visible_child_name (self->review_stack, "review");
  update_sponsor_banner (self);
  update_publish_state (self);
  update_actions (self);
}

/* Release @id changed in the store: shown again if it is on screen, and
 * the queue follows. */
static void
release_changed (DeskWindow *self,
                 gint64      id)
{
  if (id > 0 && id == desk_review_view_get_release_id (self->review_view))
    show_release (self, id);
  refresh_queue (self);
}

/* What desk-window-live.c asks of the window. */
void
_desk_window_reload_list (DeskWindow *self)
{
  reload_list (self);
}

void
_desk_window_refresh_counts (DeskWindow *self)
{
  refresh_counts (self);
}

void
_desk_window_show_release (DeskWindow *self,
                           gint64      id)
{
  show_release (self, id);
}

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
static void
update_sponsor_banner (DeskWindow *self)
{
  DeskRelease *release = desk_review_view_get_release (self->review_view);
  DeskDetection *detection = desk_review_view_get_detection (self->review_view);
  g_autofree char *description = NULL;
  GtkWidget *child;
  DeskVerdict verdict;
  DeskSponsorDecision decision;

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
  if (decision != DESK_SPONSOR_DECISION_NONE && description != NULL)
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

  gtk_label_set_text (self->sponsor_label, description != NULL ? description : "");
  gtk_revealer_set_reveal_child (self->sponsor_revealer, verdict != DESK_VERDICT_NONE);
  gtk_label_set_text (self->sponsor_badge, verdict_label (verdict) != NULL ? verdict_label (verdict) : "");
  gtk_widget_set_visible (GTK_WIDGET (self->sponsor_badge), verdict != DESK_VERDICT_NONE);
}

static void
selection_changed (DeskWindow *self)
{
  DeskRelease *release = gtk_single_selection_get_selected_item (self->selection);

  if (self->restoring_selection || release == NULL)
    return;
  if (desk_release_get_id (release) == desk_review_view_get_release_id (self->review_view))
    return;

  show_release (self, desk_release_get_id (release));
  adw_leaflet_set_visible_child (self->leaflet, self->review_pane);
}

static void
list_activated (DeskWindow *self,
                guint       position)
{
  adw_leaflet_set_visible_child (self->leaflet, self->review_pane);
  desk_review_view_focus_edited (self->review_view);
}

static void
release_saved (DeskWindow *self,
               gint64      revision_id,
               gboolean    listing_changed)
{
  /* A save can move the release (edited approved copy goes back to review)
   * or rename it: then the list and the counts follow.  Other saves change
   * nothing a queue shows. */
  update_actions (self);
  if (listing_changed)
    refresh_queue_later (self);
}

static void
update_actions (DeskWindow *self)
{
  DeskRelease *release = desk_review_view_get_release (self->review_view);
  gboolean have = release != NULL;
  DeskStatus status = have ? desk_release_get_status (release) : DESK_STATUS_NEW;

  for (gsize i = 0; i < G_N_ELEMENTS (moves); i++)
    gtk_widget_action_set_enabled (GTK_WIDGET (self), moves[i].action,
                                   have && !self->importing && desk_workflow_can_move (status, moves[i].to));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.history", have);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.next-change", have);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.previous-change", have);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.save", have);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.mark-sponsored", have);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.mark-not-sponsored", have);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.clean-up", have);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.evidence", have);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.publish",
                                 have && desk_workflow_can_move (status, DESK_STATUS_PUBLISHED));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.export",
                                 have && desk_status_has_approved_copy (status));
  if (have)
    set_status_badge (self->status_label, status);
}

/* ---- counts -------------------------------------------------------------- */

typedef struct {
  gint64 counts[DESK_N_STATUSES];
  gint64 all;
  gint64 sponsored;
} Counts;

/* Counting a large store takes a while: a thread with its own connection
 * does it, and the sidebar fills in when it is done. */
static void
count_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  const char *path = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskStore) store = NULL;
  Counts *counts;

  if (g_task_return_error_if_cancelled (task))
    return;
  store = desk_store_open (path, &error);
  counts = g_new0 (Counts, 1);

  if (store != NULL)
    desk_store_set_cache_size (store, 512);   /* one scan: no point keeping its pages */
  if (store == NULL || !desk_store_count_by_status (store, counts->counts, &error))
    {
      g_free (counts);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  for (guint i = 0; i < DESK_N_STATUSES; i++)
    counts->all += counts->counts[i];
  {
    DeskQuery sponsored = DESK_QUERY_INIT;

    sponsored.sponsored_only = TRUE;
    counts->sponsored = MAX (desk_store_count_releases (store, &sponsored, NULL), 0);
  }
  g_task_return_pointer (task, counts, g_free);
}

static void
counts_ready (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree Counts *counts = g_task_propagate_pointer (G_TASK (result), &error);
  DeskWindow *self = DESK_WINDOW (source);

  self->counting = FALSE;
  /* A window closed meanwhile wants no answer, nor a failure. */
  if (g_cancellable_is_cancelled (g_task_get_cancellable (G_TASK (result))))
    return;
  /* The store changed while this count ran: count again (and show this
   * one meanwhile). */
  if (self->count_again)
    {
      self->count_again = FALSE;
      refresh_counts (self);
    }
  if (counts == NULL)
    {
      g_warning ("Could not count the releases: %s", error->message);
      return;
    }

  for (gsize i = 0; i < G_N_ELEMENTS (queues); i++)
    {
      gint64 n = queues[i].sponsored ? counts->sponsored
                 : queues[i].status >= 0 ? counts->counts[queues[i].status] : counts->all;
      g_autofree char *text = n > 0 ? g_strdup_printf ("%" G_GINT64_FORMAT, n) : g_strdup ("");

      gtk_label_set_text (self->queue_counts[i], text);
    }
}

static void
refresh_counts (DeskWindow *self)
{
  g_autoptr(GTask) task = NULL;

  /* Not for a window already closed. */
  if (self->store == NULL || g_cancellable_is_cancelled (self->cancellable))
    return;
  /* One count at a time: on a store of a million releases it takes about
   * a third of a second, and a window following another process that
   * keeps writing would otherwise start one every time it looks. */
  if (self->counting)
    {
      self->count_again = TRUE;
      return;
    }
  self->counting = TRUE;

  task = g_task_new (self, self->cancellable, counts_ready, NULL);
  g_task_set_task_data (task, g_strdup (desk_store_get_path (self->store)), g_free);
  g_task_run_in_thread (task, count_thread);
}

/* ---- re-reading releases when the rules changed -------------------------- */

/* The detector's rules changed (an update, or the editor's own rules file):
 * releases read with the old ones are read again on a thread, a batch at a
 * time, and the window follows when it is done. */
static void
redetect_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskStore) store = NULL;
  gint64 total = 0;
  int n;

  if (g_task_return_error_if_cancelled (task))
    return;
  store = desk_store_open (task_data, &error);
  if (store == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  while ((n = desk_store_redetect_stale (store, 500, cancellable, &error)) > 0)
    total += n;
  if (n < 0)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_int (task, total);
}

static void
redetect_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  DeskWindow *self = DESK_WINDOW (source);
  g_autoptr(GError) error = NULL;
  gssize n = g_task_propagate_int (G_TASK (result), &error);

  if (g_cancellable_is_cancelled (g_task_get_cancellable (G_TASK (result))))
    return;
  if (n < 0)
    {
      g_warning ("Could not read the releases again with the new rules: %s", error->message);
      return;
    }
  if (n == 0)
    return;
  release_changed (self, desk_review_view_get_release_id (self->review_view));
}

static void
redetect_stale (DeskWindow *self)
{
  g_autoptr(GTask) task = NULL;

  /* Finding the stale ones is a scan of the store: the thread does it. */
  if (self->store == NULL || g_cancellable_is_cancelled (self->cancellable))
    return;

  task = g_task_new (self, self->cancellable, redetect_done, NULL);
  g_task_set_task_data (task, g_strdup (desk_store_get_path (self->store)), g_free);
  g_task_run_in_thread (task, redetect_thread);
}

/* The editor's own sponsor rules could not be used: say so once, with the
 * file and the problem; the shipped rules go on working meanwhile. */
static void
report_user_rules_error (DeskWindow *self)
{
  const GError *problem;
  AdwToast *toast;

  if (self->store == NULL)
    return;
  problem = desk_detector_get_user_rules_error (desk_store_get_detector (self->store));
  if (problem == NULL)
    return;

  toast = adw_toast_new (problem->message);
  adw_toast_set_timeout (toast, 0);
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  adw_toast_overlay_add_toast (self->toasts, toast);
}

static gboolean
refresh_counts_idle (gpointer user_data)
{
  DeskWindow *self = user_data;

  refresh_counts (self);
  redetect_stale (self);
  report_user_rules_error (self);
  /* What a previous run left in the outbox, if anything (0: nothing). */
  if (self->store != NULL && desk_store_get_next_try_at (self->store, NULL) != 0)
    run_publisher (self);
  return G_SOURCE_REMOVE;
}

static void
refresh_counts_later (DeskWindow *self)
{
  g_timeout_add_full (G_PRIORITY_LOW, 100, refresh_counts_idle, g_object_ref (self), g_object_unref);
}

static void
queue_selected (DeskWindow    *self,
                GtkListBoxRow *row)
{
  int index;

  if (row == NULL || self->releases == NULL)
    return;

  index = gtk_list_box_row_get_index (row);
  desk_release_list_set_queue (self->releases, queues[index].status, queues[index].sponsored);
  update_list_view (self);
  adw_leaflet_set_visible_child (self->leaflet, self->list_pane);
}

static void
build_queues (DeskWindow *self)
{
  for (gsize i = 0; i < G_N_ELEMENTS (queues); i++)
    {
      GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
      GtkWidget *icon = gtk_image_new_from_icon_name (queues[i].icon);
      GtkWidget *label = gtk_label_new (_(queues[i].name));
      GtkWidget *count = gtk_label_new (NULL);

      gtk_widget_set_hexpand (label, TRUE);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_widget_add_css_class (count, "dim-label");
      gtk_widget_add_css_class (count, "numeric");
      gtk_box_append (GTK_BOX (row), icon);
      gtk_box_append (GTK_BOX (row), label);
      gtk_box_append (GTK_BOX (row), count);
      gtk_list_box_append (self->queues, row);
      self->queue_counts[i] = GTK_LABEL (count);
    }
}

/* ---- workflow moves ------------------------------------------------------ */

typedef struct {
  DeskWindow *self;
  const Move *move;
  gint64      release_id;
  GtkEditable *note;
} MoveRequest;

static void
undo_move (AdwToast   *toast,
           DeskWindow *self)
{
  g_autoptr(GError) error = NULL;
  gint64 id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (toast), "release-id"));

  if (!desk_store_undo_last_move (self->store, id, NULL, &error))
    {
      show_error (self, _("The move cannot be undone"), error);
      return;
    }
  release_changed (self, id);
}

/* ---- the pre-publish check ------------------------------------------------ */

/* What the editor asked for when the check stopped it: an approval or a
 * publish, done again after Clean Up or with the editor's reason. */
typedef struct {
  DeskWindow  *self;
  const Move  *move;         /* or NULL: a publish */
  gint64       release_id;
  gint64       target_id;
  char        *note;
  GtkEditable *reason;
} CheckRequest;

static void do_move (DeskWindow *self, const Move *move, gint64 release_id,
                     const char *note, const char *override_reason);
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
    do_move (request->self, request->move, request->release_id, request->note, override_reason);
  else if (!publish_release (request->self, request->release_id, request->target_id, override_reason, &error))
    show_error (request->self, _("The release was not queued for publishing"), error);
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
        show_error (request->self, _("The copy was not cleaned up"), error);
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
 * and offers Clean Up, or going ahead with a reason for the desk. */
static void
present_check (DeskWindow *self,
               const Move *move,
               gint64      release_id,
               gint64      target_id,
               const char *note)
{
  g_autoptr(DeskCheck) check = desk_check_release (self->store, release_id, NULL);
  g_autoptr(GString) body = g_string_new (NULL);
  CheckRequest *request;
  GtkWidget *dialog;
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

  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Wire Furniture in the Copy"), body->str);
  gtk_widget_set_name (dialog, "pre-publish-check");
  entry = gtk_entry_new ();
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("Reason to let it go as it is"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Reason"), -1);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "override", move != NULL ? _("_Approve Anyway") : _("_Publish Anyway"),
                                    "clean", _("C_lean Up"),
                                    NULL);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "clean");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "clean", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "override", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), "override", FALSE);
  g_signal_connect (entry, "changed", G_CALLBACK (check_reason_changed), dialog);
  g_signal_connect (entry, "activate", G_CALLBACK (check_reason_activated), dialog);

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

static void
do_move (DeskWindow *self,
         const Move *move,
         gint64      release_id,
         const char *note,
         const char *override_reason)
{
  g_autoptr(GError) error = NULL;
  AdwToast *toast;

  /* What is approved is what is on screen: save it first.  Approval
   * passes the pre-publish check, or the editor says why not. */
  if (!desk_review_view_save (self->review_view, &error) ||
      !desk_move_release (self->store, release_id, move->to, NULL, note, override_reason, &error))
    {
      if (g_error_matches (error, DESK_ERROR, DESK_ERROR_CHECK_NEEDS_OVERRIDE))
        present_check (self, move, release_id, 0, note);
      else
        show_error (self, _("The release was not moved"), error);
      show_release (self, release_id);
      return;
    }

  show_release (self, release_id);
  refresh_queue (self);

  toast = adw_toast_new (_(move->done));
  adw_toast_set_button_label (toast, _("_Undo"));
  g_object_set_data (G_OBJECT (toast), "release-id", GSIZE_TO_POINTER (release_id));
  g_signal_connect_object (toast, "button-clicked", G_CALLBACK (undo_move), self, 0);
  adw_toast_overlay_add_toast (self->toasts, toast);
}

static void
move_dialog_response (AdwMessageDialog *dialog,
                      const char       *response,
                      MoveRequest      *request)
{
  if (g_strcmp0 (response, "move") == 0)
    do_move (request->self, request->move, request->release_id,
             gtk_editable_get_text (request->note), NULL);
  g_object_unref (request->self);
  g_free (request);
}

/* Every move asks for an optional note; Enter confirms at once. */
static void
request_move (DeskWindow *self,
              const Move *move)
{
  DeskRelease *release = desk_review_view_get_release (self->review_view);
  MoveRequest *request;
  GtkWidget *dialog;
  GtkWidget *entry;
  g_autofree char *body = NULL;

  if (release == NULL)
    return;

  body = g_strdup_printf (_("“%s”. Add a note for the desk, or leave it empty."),
                          desk_release_get_headline (release));
  dialog = adw_message_dialog_new (GTK_WINDOW (self), _(move->title), body);
  entry = gtk_entry_new ();
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("Note (optional)"));
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Note"), -1);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "move", _(move->verb),
                                    NULL);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "move");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "move",
                                              move->to == DESK_STATUS_REJECTED ? ADW_RESPONSE_DESTRUCTIVE
                                                                               : ADW_RESPONSE_SUGGESTED);

  request = g_new0 (MoveRequest, 1);
  request->self = g_object_ref (self);
  request->move = move;
  request->release_id = desk_release_get_id (release);
  request->note = GTK_EDITABLE (entry);
  g_signal_connect (dialog, "response", G_CALLBACK (move_dialog_response), request);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (entry);
}

static void
move_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  DeskWindow *self = DESK_WINDOW (widget);

  for (gsize i = 0; i < G_N_ELEMENTS (moves); i++)
    if (g_str_equal (moves[i].action, action_name))
      request_move (self, &moves[i]);
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
      do_move (self, &moves[i], desk_release_get_id (release), note, NULL);
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
  GtkEditable         *reason;
} DecisionRequest;

static void
reason_changed (GtkEditable      *reason,
                AdwMessageDialog *dialog)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (reason)));

  adw_message_dialog_set_response_enabled (dialog, "decide", *text != '\0');
}

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
  release_changed (self, id);
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
  if (g_strcmp0 (response, "decide") == 0 &&
      desk_review_view_get_release_id (request->self->review_view) == request->release_id)
    {
      g_autoptr(GError) error = NULL;

      if (!desk_window_decide_sponsored (request->self, request->decision,
                                         gtk_editable_get_text (request->reason), &error))
        show_error (request->self, _("The decision was not recorded"), error);
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
  GtkWidget *dialog;
  GtkWidget *entry;

  if (desk_review_view_get_release (self->review_view) == NULL)
    return;

  dialog = adw_message_dialog_new (GTK_WINDOW (self),
                                   sponsored ? _("Mark This Release Sponsored?") : _("Mark This Release Not Sponsored?"),
                                   sponsored ? _("It will carry its disclosure wherever it goes. Say why, for the desk.")
                                             : _("This overrules the detector. Say why, for the desk."));
  entry = gtk_entry_new ();
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("Reason"));
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Reason"), -1);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "decide", sponsored ? _("_Mark Sponsored") : _("Mark _Not Sponsored"),
                                    NULL);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "decide");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "decide", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), "decide", FALSE);
  g_signal_connect (entry, "changed", G_CALLBACK (reason_changed), dialog);

  request = g_new0 (DecisionRequest, 1);
  request->self = g_object_ref (self);
  request->release_id = desk_review_view_get_release_id (self->review_view);
  request->decision = sponsored ? DESK_SPONSOR_DECISION_SPONSORED : DESK_SPONSOR_DECISION_NOT_SPONSORED;
  request->reason = GTK_EDITABLE (entry);
  g_signal_connect (dialog, "response", G_CALLBACK (decision_response), request);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (entry);
}

/* Clean-up: a new revision of the edited copy without the wire furniture;
 * the diff then shows exactly what went. */
gboolean
desk_window_clean_up (DeskWindow  *self,
                      GError     **error)
{
  gint64 id = desk_review_view_get_release_id (self->review_view);
  gint64 revision_id = 0;

  g_return_val_if_fail (DESK_IS_WINDOW (self), FALSE);

  if (id == 0)
    return TRUE;
  if (!desk_review_view_save (self->review_view, error) ||
      !desk_store_clean_up_release (self->store, id, NULL, &revision_id, error))
    return FALSE;

  release_changed (self, id);
  adw_toast_overlay_add_toast (self->toasts,
                               adw_toast_new (revision_id > 0 ? _("Wire furniture removed")
                                                              : _("Nothing to clean up")));
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
    show_error (self, _("The copy was not cleaned up"), error);
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

/* ---- publishing ---------------------------------------------------------- */

/* What the outbox says of the release on screen: publishing, published
 * (with its link), or failed (with the reason, and Retry). */
static void
update_publish_state (DeskWindow *self)
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
          text = g_strdup_printf (_("Publishing to %s…"), last->target_name);
          break;
        case DESK_JOB_DONE:
          text = g_strdup_printf (_("Published to %s"), last->target_name);
          url = last->remote_url;
          break;
        case DESK_JOB_FAILED:
        default:
          text = g_strdup_printf (_("Not published to %s: %s"), last->target_name,
                                  last->last_error != NULL ? last->last_error : "");
          failed = TRUE;
          break;
        }
    }

  gtk_label_set_text (self->publish_state, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->publish_state), text != NULL);
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
      run_publisher (self);
    }

  release_changed (self, desk_review_view_get_release_id (self->review_view));
  g_signal_emit_by_name (self, "published");
}

/* Sends what waits in the outbox: jobs queued now, and those left by a
 * previous run.  The publisher works asynchronously on the main context. */
static void
run_publisher (DeskWindow *self)
{
  if (self->store == NULL)
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
      present_check (self, NULL, release_id, target_id, NULL);
      return TRUE;
    }
  update_publish_state (self);
  run_publisher (self);
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
    show_error (self, _("The release was not queued for publishing"), error);
}

static void
publish_activated (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  DeskWindow *self = DESK_WINDOW (widget);
  g_autoptr(GPtrArray) targets = desk_store_list_targets (self->store, NULL);
  g_autoptr(GError) error = NULL;
  GtkWidget *dialog;

  if (targets == NULL || targets->len == 0)
    return;
  if (targets->len == 1)
    {
      if (!desk_window_publish_to (self, ((DeskTarget *) targets->pdata[0])->id, &error))
        show_error (self, _("The release was not queued for publishing"), error);
      return;
    }

  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Publish Where?"),
                                   _("The approved revision goes out exactly as approved."));
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"));
  for (guint i = 0; i < targets->len && i < 5; i++)
    {
      const DeskTarget *target = g_ptr_array_index (targets, i);
      g_autofree char *response = g_strdup_printf ("%" G_GINT64_FORMAT, target->id);

      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), response, target->name);
    }
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
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
      show_error (self, _("The release was not queued again"), error);
      return;
    }
  update_publish_state (self);
  run_publisher (self);
}

static void
open_link_clicked (GtkWidget  *button,
                   DeskWindow *self)
{
  const char *url = g_object_get_data (G_OBJECT (button), "url");

  if (url != NULL)
    gtk_show_uri (GTK_WINDOW (self), url, GDK_CURRENT_TIME);
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

/* ---- export -------------------------------------------------------------- */

/* Where Ctrl+Shift+E puts approved copy: COPYDESK_EXPORT_DIR, else
 * Documents/Copydesk. */
static char *
export_folder (void)
{
  const char *env = g_getenv ("COPYDESK_EXPORT_DIR");
  const char *documents = g_get_user_special_dir (G_USER_DIRECTORY_DOCUMENTS);

  if (env != NULL && *env != '\0')
    return g_strdup (env);
  return g_build_filename (documents != NULL ? documents : g_get_home_dir (), "Copydesk", NULL);
}

/* Exports the approved copy on screen in every format, as the approved
 * revision has it, byte for byte, with its disclosure if it needs one. */
gboolean
desk_window_export (DeskWindow  *self,
                    char       **out_folder,
                    GError     **error)
{
  gint64 id = desk_review_view_get_release_id (self->review_view);
  g_autofree char *folder = export_folder ();

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
      show_error (self, _("The copy was not exported"), error);
      return;
    }
  /* Translators: %s is a folder */
  message = g_strdup_printf (_("Exported as text, Markdown, HTML and ninjs to %s"), folder);
  adw_toast_overlay_add_toast (self->toasts, adw_toast_new (message));
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
    show_error (self, _("The edited copy was not saved"), error);
}

static void
search_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  DeskWindow *self = DESK_WINDOW (widget);

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
  adw_leaflet_set_visible_child (self->leaflet, self->review_pane);
  desk_review_view_focus_edited (self->review_view);
}

static void
list_activated_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  DeskWindow *self = DESK_WINDOW (widget);

  adw_leaflet_set_visible_child (self->leaflet, self->list_pane);
  gtk_widget_grab_focus (GTK_WIDGET (self->list_view));
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
      show_error (self, _("The edited copy was not saved"), error);
      return;
    }
  history = desk_history_window_new (GTK_WINDOW (self), self->store,
                                     desk_review_view_get_release_id (self->review_view));
  g_signal_connect_object (history, "restored", G_CALLBACK (release_changed), self, G_CONNECT_SWAPPED);
  gtk_window_present (history);
}

static void
search_changed (DeskWindow *self)
{
  if (self->releases == NULL)
    return;
  desk_release_list_set_search (self->releases, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
  update_list_view (self);
}

static void
search_stopped (DeskWindow *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  gtk_widget_grab_focus (GTK_WIDGET (self->list_view));
}

/* ---- importing ----------------------------------------------------------- */

typedef struct {
  char              *db_path;
  GStrv              paths;
  DeskWindow        *self;     /* for progress; a strong ref lives in the task */
} ImportJob;

static void
import_job_free (ImportJob *job)
{
  g_free (job->db_path);
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

static void
import_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ImportJob *job = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskStore) store = desk_store_open (job->db_path, &error);

  if (store == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_pointer (task,
                         desk_import_paths (store, (const char * const *) job->paths, NULL,
                                            cancellable, import_progress_cb, job),
                         (GDestroyNotify) desk_import_report_free);
}

static void
show_import_failures (DeskWindow       *self,
                      DeskImportReport *report)
{
  GString *text = g_string_new (NULL);
  GtkWidget *dialog;
  GtkWidget *scroller;
  GtkWidget *label;
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

  dialog = adw_message_dialog_new (GTK_WINDOW (self), heading, NULL);
  label = gtk_label_new (text->str);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scroller), 300);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scroller), TRUE);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), label);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), scroller);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
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
  g_autoptr(DeskImportReport) report = g_task_propagate_pointer (G_TASK (result), &error);
  g_autofree char *message = NULL;

  /* The window was closed meanwhile: what was imported is stored; there is
   * nothing left to show it in. */
  if (g_cancellable_is_cancelled (g_task_get_cancellable (G_TASK (result))))
    return;

  self->importing = FALSE;
  gtk_revealer_set_reveal_child (self->import_revealer, FALSE);
  update_actions (self);

  if (report == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_error (self, _("Nothing was imported"), error);
      return;
    }

  refresh_queue (self);

  if (report->duplicates > 0)
    message = g_strdup_printf (_("Imported %u, %u already in the queue"), report->imported, report->duplicates);
  else
    message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Imported %u release", "Imported %u releases",
                                            report->imported), report->imported);
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
  g_autoptr(GTask) task = NULL;
  ImportJob *job;

  g_return_if_fail (DESK_IS_WINDOW (self));

  if (self->store == NULL || paths == NULL || paths[0] == NULL)
    return;

  job = g_new0 (ImportJob, 1);
  job->db_path = g_strdup (desk_store_get_path (self->store));
  job->paths = g_strdupv ((char **) paths);
  job->self = self;

  self->importing = TRUE;
  update_actions (self);
  gtk_progress_bar_set_fraction (self->import_progress, 0);
  gtk_label_set_text (self->import_label, _("Importing…"));
  gtk_revealer_set_reveal_child (self->import_revealer, TRUE);

  task = g_task_new (self, self->cancellable, import_done, NULL);
  g_task_set_task_data (task, job, (GDestroyNotify) import_job_free);
  g_task_run_in_thread (task, import_thread);
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

  chooser = gtk_file_chooser_native_new (_("Import Releases"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Import"), _("_Cancel"));
  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (chooser), TRUE);
  gtk_file_filter_set_name (filter, _("Press releases (.txt, .md, e-mail, ninjs, NewsML-G2)"));
  gtk_file_filter_add_pattern (filter, "*.txt");
  gtk_file_filter_add_pattern (filter, "*.md");
  gtk_file_filter_add_mime_type (filter, "text/plain");
  gtk_file_filter_add_mime_type (filter, "text/markdown");
  gtk_file_filter_add_pattern (filter, "*.eml");
  gtk_file_filter_add_pattern (filter, "*.mbox");
  gtk_file_filter_add_pattern (filter, "*.json");
  gtk_file_filter_add_pattern (filter, "*.xml");
  gtk_file_filter_add_mime_type (filter, "message/rfc822");
  gtk_file_filter_add_mime_type (filter, "application/mbox");
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

  G_OBJECT_CLASS (desk_window_parent_class)->dispose (object);
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
  gtk_widget_class_install_action (widget_class, "win.import", NULL, import_activated);
  gtk_widget_class_install_action (widget_class, "win.load-samples", NULL, load_samples_activated);
  gtk_widget_class_install_action (widget_class, "win.mark-sponsored", NULL, decide_activated);
  gtk_widget_class_install_action (widget_class, "win.mark-not-sponsored", NULL, decide_activated);
  gtk_widget_class_install_action (widget_class, "win.clean-up", NULL, clean_up_activated);
  gtk_widget_class_install_action (widget_class, "win.evidence", NULL, evidence_shortcut_activated);
  gtk_widget_class_install_action (widget_class, "win.export", NULL, export_activated);
  gtk_widget_class_install_action (widget_class, "win.publish", NULL, publish_activated);
  gtk_widget_class_install_action (widget_class, "win.preferences", NULL, preferences_activated);
  _desk_window_class_init_backup (widget_class);

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
  { GDK_KEY_o, GDK_CONTROL_MASK, "win.import" },
  { GDK_KEY_K, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "win.clean-up" },
  { GDK_KEY_i, GDK_CONTROL_MASK, "win.evidence" },
  { GDK_KEY_E, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "win.export" },
  { GDK_KEY_P, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "win.publish" },
  { GDK_KEY_comma, GDK_CONTROL_MASK, "win.preferences" },
};

static void
add_shortcuts (DeskWindow *self)
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

static void
go_back (DeskWindow *self)
{
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

static void
desk_window_init (DeskWindow *self)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  GtkDropTarget *drop;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->settings = desk_settings_new_if_installed ("window-maximized");
  restore_window_state (self);

  g_signal_connect (factory, "setup", G_CALLBACK (setup_row), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row), self);
  gtk_list_view_set_factory (self->list_view, factory);
  g_signal_connect_object (self->list_view, "activate", G_CALLBACK (list_activated), self, G_CONNECT_SWAPPED);

  build_queues (self);
  g_signal_connect_object (self->queues, "row-selected", G_CALLBACK (queue_selected), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->search_entry, "search-changed", G_CALLBACK (search_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->search_entry, "stop-search", G_CALLBACK (search_stopped), self, G_CONNECT_SWAPPED);
  gtk_search_entry_set_key_capture_widget (self->search_entry, GTK_WIDGET (self->list_view));
  g_signal_connect_object (self->review_view, "saved", G_CALLBACK (release_saved), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->evidence_list, "row-activated", G_CALLBACK (evidence_activated), self, 0);
  g_signal_connect_object (self->retry_button, "clicked", G_CALLBACK (retry_clicked), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->open_link_button, "clicked", G_CALLBACK (open_link_clicked), self, 0);
  g_signal_connect_object (self->back_to_queues, "clicked", G_CALLBACK (go_back), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->back_to_list, "clicked", G_CALLBACK (go_back), self, G_CONNECT_SWAPPED);

  add_shortcuts (self);

  drop = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
  g_signal_connect_object (drop, "drop", G_CALLBACK (files_dropped), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));

  update_actions (self);
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
      g_signal_connect_object (self, "map", G_CALLBACK (refresh_counts_later), self, G_CONNECT_SWAPPED);
      self->follow = _desk_window_follow_new (self);
      self->ingest = _desk_window_ingest_new (self);
    }

  update_list_view (self);
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

/* Selects a queue by its position in the sidebar (0: Inbox … last: All). */
void
desk_window_select_queue (DeskWindow *self,
                          int         status)
{
  g_return_if_fail (DESK_IS_WINDOW (self));

  for (gsize i = 0; i < G_N_ELEMENTS (queues); i++)
    if (queues[i].status == status && !queues[i].sponsored)
      gtk_list_box_select_row (self->queues, gtk_list_box_get_row_at_index (self->queues, (int) i));
}

void
desk_window_select_position (DeskWindow *self,
                             guint       position)
{
  g_return_if_fail (DESK_IS_WINDOW (self));

  if (self->selection != NULL)
    gtk_single_selection_set_selected (self->selection, position);
}

/* Opens release @id for review, as "copydesk --release ID" does. */
void
desk_window_show_release (DeskWindow *self,
                          gint64      id)
{
  g_return_if_fail (DESK_IS_WINDOW (self));

  if (self->store == NULL)
    return;
  show_release (self, id);
  adw_leaflet_set_visible_child (self->leaflet, self->review_pane);
}

void
desk_window_reload (DeskWindow *self)
{
  g_return_if_fail (DESK_IS_WINDOW (self));

  refresh_queue (self);
}

GtkWidget *
desk_window_get_sponsor_banner (DeskWindow *self)
{
  g_return_val_if_fail (DESK_IS_WINDOW (self), NULL);

  return GTK_WIDGET (self->sponsor_revealer);
}

void
desk_window_select_queue_sponsored (DeskWindow *self)
{
  g_return_if_fail (DESK_IS_WINDOW (self));

  for (guint i = 0; i < G_N_ELEMENTS (queues); i++)
    if (queues[i].sponsored)
      gtk_list_box_select_row (self->queues, gtk_list_box_get_row_at_index (self->queues, i));
}
