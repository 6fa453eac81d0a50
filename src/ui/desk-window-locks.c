/* desk-window-locks.c — soft locks on a team desk, from the window
 *
 * Opening a release on a team desk takes its lock (desk-db-locks.h) on
 * the store's own connection, the one its saves are made on; taking it
 * at opening rather than at the first keystroke lets the editor see at
 * once, before typing, whether another editor holds the release.  The
 * lock is let go when another release is opened or the window closes.
 * A release another editor holds is read-only, under a banner naming
 * the holder, with Take Over (after a confirmation; the holder is told
 * by the server's NOTIFY).  The window hears every lock change on
 * DESK_DB_LOCK_CHANNEL (desk-window-live.c) and asks again; a lock
 * freed by a holder's connection that died is not told, so while the
 * banner shows the window asks again every few seconds.
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "desk-window-private.h"

#define LOCK_POLL_MS 2000

static gboolean lock_poll (gpointer user_data);

static void
show_banner (DeskWindow *self,
             const char *text,
             gboolean    can_take_over)
{
  gtk_label_set_text (self->lock_label, text);
  gtk_widget_set_visible (self->take_over_button, can_take_over);
  gtk_revealer_set_reveal_child (self->lock_revealer, TRUE);
  desk_review_view_set_read_only (self->review_view, TRUE);
  if (self->lock_poll_source == 0)
    self->lock_poll_source = g_timeout_add (LOCK_POLL_MS, lock_poll, self);
}

static void
hide_banner (DeskWindow *self)
{
  g_clear_handle_id (&self->lock_poll_source, g_source_remove);
  g_clear_pointer (&self->lock, desk_lock_free);
  gtk_revealer_set_reveal_child (self->lock_revealer, FALSE);
  desk_review_view_set_read_only (self->review_view, FALSE);
}

static void
show_held (DeskWindow *self,
           DeskLock   *lock)
{
  g_autofree char *when = desk_lock_format_time (lock->since);
  g_autofree char *text = NULL;

  /* Translators: "Sari is editing since 10:42" */
  text = g_strdup_printf (_("%s is editing since %s"), lock->holder, when);
  show_banner (self, text, TRUE);
}

/* Lets the open release's lock go, if the window holds it. */
void
_desk_window_let_lock_go (DeskWindow *self)
{
  g_autoptr(GError) error = NULL;
  gint64 id = self->locked_release;

  self->locked_release = 0;
  if (id > 0 && self->store != NULL && !desk_store_lock_release (self->store, id, &error))
    g_message ("The lock on release #%" G_GINT64_FORMAT " was not let go: %s", id, error->message);
}

static void
hold (DeskWindow *self,
      DeskLock   *lock)
{
  self->locked_release = lock->release_id;
  self->locked_since = lock->since;
  self->taken_from_us = FALSE;
  hide_banner (self);
}

/* The lock of release @id was ours and another editor took it over, and
 * may have let it go already (a CLI's edit --take-over saves and goes):
 * the copy stays on screen, read-only, with who took it over and when,
 * until the editor takes it again or opens another release. */
static void
show_taken_over (DeskWindow *self,
                 gint64      id,
                 DeskLock   *lock)
{
  g_autofree char *holder = lock != NULL ? g_strdup (lock->holder) : NULL;
  g_autofree char *when = NULL;
  g_autofree char *text = NULL;
  gint64 since = lock != NULL ? lock->since : 0;

  if (holder == NULL)
    {
      /* Gone already: the one who took it over is who saved after us. */
      g_autoptr(GPtrArray) revisions = desk_store_list_revisions (self->store, id, NULL);

      for (guint i = 0; revisions != NULL && i < revisions->len; i++)
        {
          DeskRevision *revision = g_ptr_array_index (revisions, i);

          if (revision->created_at >= self->locked_since && revision->created_at >= since)
            {
              g_free (holder);
              holder = g_strdup (revision->author);
              since = revision->created_at;
            }
        }
    }
  self->locked_release = 0;
  self->taken_from_us = TRUE;
  if (holder != NULL)
    {
      when = desk_lock_format_time (since);
      /* Translators: "Budi took over this release at 10:45" */
      text = g_strdup_printf (_("%s took over this release at %s"), holder, when);
    }
  else
    text = g_strdup (_("Another editor took over this release"));
  show_banner (self, text, TRUE);
}

/* Asks who holds the open release, and takes its lock when nobody does. */
static void
ask_again (DeskWindow *self,
           gboolean    opening)
{
  gint64 id = desk_review_view_get_release_id (self->review_view);
  gboolean was_ours = !opening && self->locked_release == id;
  g_autoptr(DeskLock) lock = NULL;
  g_autoptr(GError) error = NULL;

  if (!desk_store_is_team_desk (self->store) || id <= 0)
    return;
  if (!desk_store_lock_get (self->store, id, &lock, &error))
    {
      g_message ("Who edits release #%" G_GINT64_FORMAT " is not known: %s", id, error->message);
      return;
    }
  if (lock != NULL && lock->mine)
    {
      hold (self, lock);
      return;
    }
  if (lock == NULL)
    {
      if (self->taken_from_us)
        return;   /* the editor takes it again, with the button */
      if (was_ours)
        {
          show_taken_over (self, id, NULL);
          return;
        }
      if (desk_store_lock_take (self->store, id, FALSE, &lock, &error))
        {
          hold (self, lock);
          return;
        }
      if (lock == NULL)
        {
          g_message ("Release #%" G_GINT64_FORMAT " was not locked: %s", id, error->message);
          return;
        }
    }

  /* Another editor holds it. */
  if (was_ours)
    show_taken_over (self, id, lock);
  else if (self->lock == NULL || g_strcmp0 (self->lock->holder, lock->holder) != 0 ||
           self->lock->since != lock->since)
    {
      self->taken_from_us = FALSE;
      show_held (self, lock);
    }
  g_clear_pointer (&self->lock, desk_lock_free);
  self->lock = g_steal_pointer (&lock);
}

static gboolean
lock_poll (gpointer user_data)
{
  /* hide_banner() ends this when the lock is ours again. */
  ask_again (user_data, FALSE);
  return G_SOURCE_CONTINUE;
}

/* A release is on screen: its lock taken, or the banner shown. */
void
_desk_window_update_lock (DeskWindow *self)
{
  gint64 id = desk_review_view_get_release_id (self->review_view);

  if (!desk_store_is_team_desk (self->store))
    return;
  if (id == self->shown_lock_release)
    {
      /* Shown again after a change elsewhere. */
      if (self->locked_release != id)
        ask_again (self, FALSE);
      return;
    }
  _desk_window_let_lock_go (self);
  self->taken_from_us = FALSE;
  hide_banner (self);
  self->shown_lock_release = id;
  ask_again (self, TRUE);
}

/* A lock changed on the desk (its NOTIFY's payload). */
void
_desk_window_lock_changed (DeskWindow *self,
                           gint64      release_id)
{
  if (release_id > 0 && release_id == desk_review_view_get_release_id (self->review_view))
    ask_again (self, FALSE);
}

static void
take_over_answered (AdwMessageDialog *dialog,
                    const char       *response,
                    DeskWindow       *self)
{
  gint64 id = desk_review_view_get_release_id (self->review_view);
  g_autoptr(DeskLock) lock = NULL;
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (response, "take-over") != 0 || id <= 0)
    return;
  if (!desk_store_lock_take (self->store, id, TRUE, &lock, &error))
    {
      _desk_window_show_error (self, _("The release was not taken over"), error);
      return;
    }
  hold (self, lock);
  /* The holder's last saved copy is what the editor now edits. */
  if (!desk_review_view_has_unsaved_changes (self->review_view))
    _desk_window_show_release (self, id);
}

static void
take_over_activated (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  DeskWindow *self = DESK_WINDOW (widget);
  AdwMessageDialog *dialog;
  g_autofree char *body = NULL;

  /* Taken over from us and let go since: nobody to ask, nobody to tell. */
  if (self->lock == NULL)
    {
      take_over_answered (NULL, "take-over", self);
      return;
    }
  /* Translators: %s is the editor who holds the release */
  body = g_strdup_printf (_("%s is editing this release and is told that you took it over. "
                            "Their next save is refused."), self->lock->holder);
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), _("Take Over This Release?"), body));
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "take-over", _("_Take Over"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "take-over", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (take_over_answered), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

void
_desk_window_class_init_locks (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.take-over", NULL, take_over_activated);
  gtk_widget_class_bind_template_child (widget_class, DeskWindow, lock_revealer);
  gtk_widget_class_bind_template_child (widget_class, DeskWindow, lock_label);
  gtk_widget_class_bind_template_child (widget_class, DeskWindow, take_over_button);
}
