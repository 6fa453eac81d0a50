/* desk-window-live.c — the window follows what other processes write
 *
 * Another window, copydesk-cli or a watched folder may write to the store
 * at any time.  The window asks SQLite, a few times a second, whether any
 * other connection committed since it last looked (PRAGMA data_version:
 * one look at the WAL index in shared memory, 7–12 µs on a store of a
 * million releases in bench-backup, so an idle window reads nothing).
 * Only then does it read the list and the counts again.  Its own writes do
 * not count, and following only reads, so it never feeds itself.
 *
 * A team desk (PostgreSQL) has no data_version to look at: its server
 * NOTIFYs the id of every release changed (desk-pg-schema.c), and the
 * window LISTENs on a connection of its own on the main loop, so an idle
 * window sends nothing.  A notification is followed at once (the first of
 * a burst; the rest wait until that has been read, so a CLI importing
 * thousands costs one reading at a time).  A notification names the
 * server process that wrote: the window's own writes, on its store's
 * connection, are left out as on SQLite.  When the connection is
 * lost, DeskPg makes it again and LISTENs again; then everything is read
 * again, since what changed meanwhile was not told.
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <glib/gi18n.h>

#include "desk-pg.h"
#include "desk-pg-schema.h"
#include "desk-window-private.h"

#define FOLLOW_INTERVAL_MS 400
/* A burst of notifications (one statement changing many releases sends
 * one a release) is followed once, this long after the first. */
#define FOLLOW_NOTIFIED_MS 20

struct _DeskWindowFollow
{
  DeskWindow *window;             /* owns this */
  guint       source;
  gint64      data_version;       /* the store's, when last followed */
  gint64      warned_updated_at;  /* the change kept out of unsaved copy */

  double      list_scroll;        /* where the list was before following */
  gboolean    list_count_arrived;
  gulong      list_range_id;
  gulong      list_items_id;

  DeskPg       *listener;         /* a team desk's LISTEN, or NULL */
  GCancellable *cancellable;
  guint         notified_source;  /* a notification waiting to be followed */
};

/* Whether @a and @b, two readings of one release, differ in anything the
 * review shows. */
static gboolean
release_differs (DeskRelease *a,
                 DeskRelease *b)
{
  return desk_release_get_updated_at (a) != desk_release_get_updated_at (b) ||
         desk_release_get_status (a) != desk_release_get_status (b) ||
         desk_release_get_current_revision_id (a) != desk_release_get_current_revision_id (b) ||
         desk_release_get_sponsor_decision (a) != desk_release_get_sponsor_decision (b) ||
         desk_release_get_effective_verdict (a) != desk_release_get_effective_verdict (b) ||
         g_strcmp0 (desk_release_get_rules_hash (a), desk_release_get_rules_hash (b)) != 0 ||
         g_strcmp0 (desk_release_get_headline (a), desk_release_get_headline (b)) != 0;
}

/* The release under review changed elsewhere: shown again where the editor
 * was, unless the editor has typed since the last save; then the editor's
 * copy stays (it is saved over the other as a new revision, and the other
 * stays in the history) and a toast says so, once per change. */
static void
follow_release_on_screen (DeskWindowFollow *follow)
{
  DeskWindow *window = follow->window;
  DeskReviewView *review = desk_window_get_review_view (window);
  gint64 id = desk_review_view_get_release_id (review);
  DeskRelease *shown = desk_review_view_get_release (review);
  g_autoptr(DeskRelease) stored = NULL;

  if (id <= 0 || shown == NULL)
    return;
  stored = desk_store_get_release (_desk_window_get_store (window), id, NULL);
  if (stored == NULL || !release_differs (shown, stored))
    return;

  if (desk_review_view_has_unsaved_changes (review))
    {
      g_autofree char *number = NULL;
      g_autofree char *message = NULL;
      AdwToast *toast;

      if (desk_release_get_updated_at (stored) == follow->warned_updated_at)
        return;
      follow->warned_updated_at = desk_release_get_updated_at (stored);
      number = g_strdup_printf ("%" G_GINT64_FORMAT, id);
      /* Translators: %s is a release's number */
      message = g_strdup_printf (_("#%s was changed elsewhere. Your unsaved edits are kept; "
                                   "the other version is in its history."), number);
      toast = adw_toast_new (message);
      adw_toast_set_timeout (toast, 0);
      adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
      adw_toast_overlay_add_toast (_desk_window_get_toasts (window), toast);
      return;
    }

  desk_review_view_keep_place (review);
  _desk_window_show_release (window, id);
}

/* ---- the list's scroll ----------------------------------------------------- */

/* The list is read again only after a change: the same release stays
 * selected (the window's reload sees to that), the search stays, and the
 * list stays scrolled where it was.  A list read again at its old length
 * stays where it was by itself; a long queue first comes back a screenful
 * long and grows when its count arrives (desk-release-list.c), and is
 * scrolled back once it is laid out at its full length again.  Any other
 * reload of the list (another queue, a search) gives that up. */
static GtkAdjustment *
list_adjustment (DeskWindowFollow *follow)
{
  return gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (_desk_window_get_list_view (follow->window)));
}

static void
stop_keeping_list_scroll (DeskWindowFollow *follow)
{
  if (follow->list_range_id != 0)
    g_signal_handler_disconnect (list_adjustment (follow), follow->list_range_id);
  if (follow->list_items_id != 0)
    g_signal_handler_disconnect (desk_window_get_releases (follow->window), follow->list_items_id);
  follow->list_range_id = 0;
  follow->list_items_id = 0;
}

static void
list_range_changed (GtkAdjustment    *adjustment,
                    DeskWindowFollow *follow)
{
  if (!follow->list_count_arrived)
    return;
  gtk_adjustment_set_value (adjustment, follow->list_scroll);
  stop_keeping_list_scroll (follow);
}

static void
list_items_changed (GListModel       *releases,
                    guint             position,
                    guint             removed,
                    guint             added,
                    DeskWindowFollow *follow)
{
  /* The count arriving appends: the list is laid out again at its full
   * length, and then scrolled back.  Anything else is a new list. */
  if (position > 0 && removed == 0)
    follow->list_count_arrived = TRUE;
  else
    stop_keeping_list_scroll (follow);
}

static void
keep_list_scroll (DeskWindowFollow *follow,
                  double            value)
{
  GtkAdjustment *adjustment = list_adjustment (follow);
  DeskReleaseList *releases = desk_window_get_releases (follow->window);

  stop_keeping_list_scroll (follow);
  if (adjustment == NULL || value <= 0 || !desk_release_list_is_counting (releases))
    return;
  follow->list_scroll = value;
  follow->list_count_arrived = FALSE;
  follow->list_range_id = g_signal_connect (adjustment, "changed", G_CALLBACK (list_range_changed), follow);
  follow->list_items_id = g_signal_connect (releases, "items-changed", G_CALLBACK (list_items_changed), follow);
}

/* ---- looking ----------------------------------------------------------------- */

static void
follow_other_processes (DeskWindowFollow *follow)
{
  GtkAdjustment *adjustment = list_adjustment (follow);
  double scrolled = adjustment != NULL ? gtk_adjustment_get_value (adjustment) : 0;

  stop_keeping_list_scroll (follow);
  _desk_window_reload_list (follow->window);
  keep_list_scroll (follow, scrolled);
  _desk_window_refresh_counts (follow->window);
  follow_release_on_screen (follow);
  g_signal_emit_by_name (follow->window, "followed");
}

static gboolean
follow_poll (gpointer user_data)
{
  DeskWindowFollow *follow = user_data;
  DeskReleaseList *releases = desk_window_get_releases (follow->window);
  gint64 version = desk_store_get_data_version (_desk_window_get_store (follow->window));

  if (version < 0 || version == follow->data_version)
    return G_SOURCE_CONTINUE;
  /* The list is still counting after the last change (a fifth of a second
   * for an Inbox of 600,000): it follows this one at a later look, so a
   * process that never stops writing costs one count at a time. */
  if (releases != NULL && desk_release_list_is_counting (releases))
    return G_SOURCE_CONTINUE;
  follow->data_version = version;
  follow_other_processes (follow);
  return G_SOURCE_CONTINUE;
}

/* ---- a team desk: LISTEN ------------------------------------------------------ */

static gboolean
follow_notified (gpointer user_data)
{
  DeskWindowFollow *follow = user_data;
  DeskReleaseList *releases = desk_window_get_releases (follow->window);

  /* Still counting after the last change: this one is followed after. */
  if (releases != NULL && desk_release_list_is_counting (releases))
    return G_SOURCE_CONTINUE;
  follow->notified_source = 0;
  follow_other_processes (follow);
  return G_SOURCE_REMOVE;
}

static void
on_notification (DeskPg           *listener,
                 const char       *channel,
                 const char       *payload,
                 DeskWindowFollow *follow)
{
  const char *pid = payload != NULL ? strchr (payload, ' ') : NULL;
  int own;

  /* A lock changed (its payload the release id): the window asks again
   * who holds the open release (desk-window-locks.c). */
  if (g_strcmp0 (channel, DESK_DB_LOCK_CHANNEL) == 0)
    {
      if (payload != NULL)
        _desk_window_lock_changed (follow->window, g_ascii_strtoll (payload, NULL, 10));
      return;
    }
  own = desk_store_get_backend_pid (_desk_window_get_store (follow->window));

  if (pid != NULL && own != 0 && atoi (pid + 1) == own)
    return;
  if (follow->notified_source != 0)
    return;
  follow->notified_source = g_timeout_add (FOLLOW_NOTIFIED_MS, follow_notified, follow);
}

static void
on_reconnected (DeskPg           *listener,
                DeskWindowFollow *follow)
{
  on_notification (listener, DESK_PG_RELEASE_CHANNEL, NULL, follow);
}

static void
listened (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  /* A desk the window could open, that it could not LISTEN to (a server
   * gone meanwhile): DeskPg tries again, and says "reconnected". */
  if (!desk_pg_listen_finish (DESK_PG (source), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_message ("Not following the team desk yet: %s", error->message);
}

static void
listen_to_team_desk (DeskWindowFollow *follow)
{
  follow->cancellable = g_cancellable_new ();
  follow->listener = desk_pg_new (desk_store_get_path (_desk_window_get_store (follow->window)));
  g_signal_connect (follow->listener, "notification", G_CALLBACK (on_notification), follow);
  g_signal_connect (follow->listener, "reconnected", G_CALLBACK (on_reconnected), follow);
  /* LISTEN waits for the connection, queued behind it. */
  desk_pg_connect_async (follow->listener, follow->cancellable, NULL, NULL);
  desk_pg_listen_async (follow->listener, DESK_PG_RELEASE_CHANNEL, follow->cancellable, listened, NULL);
  desk_pg_listen_async (follow->listener, DESK_DB_LOCK_CHANNEL, follow->cancellable, listened, NULL);
}

/* Starts following the store of @window, which has one. */
DeskWindowFollow *
_desk_window_follow_new (DeskWindow *window)
{
  DeskWindowFollow *follow = g_new0 (DeskWindowFollow, 1);

  follow->window = window;
  if (desk_store_is_team_desk (_desk_window_get_store (window)))
    {
      listen_to_team_desk (follow);
      return follow;
    }
  follow->data_version = desk_store_get_data_version (_desk_window_get_store (window));
  follow->source = g_timeout_add (FOLLOW_INTERVAL_MS, follow_poll, follow);
  return follow;
}

/* Stops following; called while the window's widgets are still there. */
void
_desk_window_follow_free (DeskWindowFollow *follow)
{
  stop_keeping_list_scroll (follow);
  g_clear_handle_id (&follow->source, g_source_remove);
  g_clear_handle_id (&follow->notified_source, g_source_remove);
  if (follow->listener != NULL)
    {
      g_cancellable_cancel (follow->cancellable);
      g_signal_handlers_disconnect_by_data (follow->listener, follow);
    }
  g_clear_object (&follow->listener);
  g_clear_object (&follow->cancellable);
  g_free (follow);
}

void
_desk_window_class_init_follow (GtkWidgetClass *widget_class)
{
  /* Emitted when the window has followed what other processes changed. */
  g_signal_new ("followed", G_TYPE_FROM_CLASS (widget_class), G_SIGNAL_RUN_LAST,
                0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}
