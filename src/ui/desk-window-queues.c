/* desk-window-queues.c — the sidebar's queues, their counts, and releases read again when the rules changed
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "desk-worker.h"
#include "desk-outbox.h"
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

/* ---- counts -------------------------------------------------------------- */

typedef struct {
  gint64 counts[DESK_N_STATUSES];
  gint64 all;
  gint64 sponsored;
} Counts;

/* Counting a large store takes a while: a thread with its own connection
 * does it, and the sidebar fills in when it is done. */
static gpointer
count_thread (DeskStore     *store,
              gpointer       data,
              GCancellable  *cancellable,
              GError       **error)
{
  g_autofree Counts *counts = g_new0 (Counts, 1);
  DeskQuery sponsored = DESK_QUERY_INIT;

  desk_store_set_cache_size (store, 512);   /* one scan: no point keeping its pages */
  if (!desk_store_count_by_status (store, counts->counts, error))
    return NULL;
  for (guint i = 0; i < DESK_N_STATUSES; i++)
    counts->all += counts->counts[i];
  sponsored.sponsored_only = TRUE;
  counts->sponsored = MAX (desk_store_count_releases (store, &sponsored, NULL), 0);
  return g_steal_pointer (&counts);
}

static void
counts_ready (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree Counts *counts = desk_worker_finish (result, &error);
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
      _desk_window_refresh_counts (self);
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
      /* "100,000" or "100.000", as the locale writes it. */
      g_autofree char *text = n > 0 ? g_strdup_printf ("%'" G_GINT64_FORMAT, n) : g_strdup ("");

      gtk_label_set_text (self->queue_counts[i], text);
    }
}

void
_desk_window_refresh_counts (DeskWindow *self)
{
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

  desk_worker_run (self->store, self, self->cancellable, count_thread, NULL, NULL, g_free, counts_ready, NULL);
}

/* ---- re-reading releases when the rules changed -------------------------- */

/* The detector's rules changed (an update, or the editor's own rules file):
 * releases read with the old ones are read again on a thread, a batch at a
 * time, and the window follows when it is done. */
static gpointer
redetect_thread (DeskStore     *store,
                 gpointer       data,
                 GCancellable  *cancellable,
                 GError       **error)
{
  gint64 *total = g_new0 (gint64, 1);
  int n;

  while ((n = desk_store_redetect_stale (store, 500, cancellable, error)) > 0)
    *total += n;
  if (n < 0)
    g_clear_pointer (&total, g_free);
  return total;
}

static void
redetect_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  DeskWindow *self = DESK_WINDOW (source);
  g_autoptr(GError) error = NULL;
  g_autofree gint64 *total = desk_worker_finish (result, &error);
  gint64 n = total != NULL ? *total : -1;

  if (g_cancellable_is_cancelled (g_task_get_cancellable (G_TASK (result))))
    return;
  if (n < 0)
    {
      g_warning ("Could not read the releases again with the new rules: %s", error->message);
      return;
    }
  if (n == 0)
    return;
  _desk_window_release_changed (self, desk_review_view_get_release_id (self->review_view));
}

static void
redetect_stale (DeskWindow *self)
{
  /* Finding the stale ones is a scan of the store: the thread does it. */
  if (self->store == NULL || g_cancellable_is_cancelled (self->cancellable))
    return;

  desk_worker_run (self->store, self, self->cancellable, redetect_thread, NULL, NULL, g_free, redetect_done, NULL);
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

  _desk_window_refresh_counts (self);
  redetect_stale (self);
  report_user_rules_error (self);
  /* What a previous run left in the outbox, if anything (0: nothing). */
  if (self->store != NULL && desk_store_get_next_try_at (self->store, NULL) != 0)
    _desk_window_run_publisher (self);
  return G_SOURCE_REMOVE;
}

void
_desk_window_refresh_counts_later (DeskWindow *self)
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
  _desk_window_update_list_view (self);
  if (_desk_window_is_folded (self))
    adw_leaflet_set_visible_child (self->leaflet, self->list_pane);
}

/* Folded, choosing the queue already chosen still shows its list. */
static void
queue_activated (DeskWindow    *self,
                 GtkListBoxRow *row)
{
  if (_desk_window_is_folded (self))
    adw_leaflet_set_visible_child (self->leaflet, self->list_pane);
}

void
_desk_window_build_queues (DeskWindow *self)
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
desk_window_select_queue_sponsored (DeskWindow *self)
{
  g_return_if_fail (DESK_IS_WINDOW (self));

  for (guint i = 0; i < G_N_ELEMENTS (queues); i++)
    if (queues[i].sponsored)
      gtk_list_box_select_row (self->queues, gtk_list_box_get_row_at_index (self->queues, i));
}

void
_desk_window_class_init_queues (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_callback (widget_class, queue_selected);
  gtk_widget_class_bind_template_callback (widget_class, queue_activated);
}
