/* desk-history-window.c — a release's revisions and events
 *
 * Every saved state of the copy, each shown as its diff against the one
 * before (removed words struck out, added words marked), with Restore; and
 * every decision: who, when, what, and the note.
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <inttypes.h>
#include <glib/gi18n.h>
#include <gtksourceview/gtksource.h>

#include "desk-describe.h"
#include "desk-dialogs.h"
#include "desk-diff.h"
#include "desk-history-window.h"
#include "desk-review-view.h"

struct _DeskHistoryWindow
{
  AdwWindow      parent_instance;

  DeskStore     *store;
  gint64         release_id;
  GPtrArray     *revisions;
  GPtrArray     *events;
  char          *original;
  int            selected;

  GtkListBox    *revision_list;
  GtkListBox    *event_list;
  GtkTextView   *diff_view;
  GtkTextTag    *removed_tag;
  GtkTextTag    *added_tag;
  GtkWidget     *restore_button;
  GtkLabel      *against_label;
};

G_DEFINE_FINAL_TYPE (DeskHistoryWindow, desk_history_window, ADW_TYPE_WINDOW)

enum {
  RESTORED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static char *
format_when (gint64 usec)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (usec / G_USEC_PER_SEC);
  g_autoptr(GDateTime) local = utc != NULL ? g_date_time_to_local (utc) : NULL;

  return local != NULL ? g_date_time_format (local, "%e %b %Y, %H:%M") : g_strdup ("");
}

/* The revision's text as its diff against the previous revision (or the
 * original, for the first): both sides' words in one text, tagged. */
static void
show_revision (DeskHistoryWindow *self,
               int                index)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->diff_view);
  const DeskRevision *revision;
  const char *before;
  g_autoptr(GArray) spans = NULL;
  DeskCharCursor old_cursor;
  DeskCharCursor new_cursor;
  GtkTextIter end;

  gtk_text_buffer_set_text (buffer, "", -1);
  gtk_label_set_text (self->against_label, "");
  self->selected = index;
  gtk_widget_set_sensitive (self->restore_button, index >= 0);
  if (index < 0 || (guint) index >= self->revisions->len)
    return;

  revision = g_ptr_array_index (self->revisions, index);
  if (index > 0)
    {
      const DeskRevision *previous = g_ptr_array_index (self->revisions, index - 1);
      /* Translators: %u is a revision number */
      g_autofree char *against = g_strdup_printf (_("Revision %u, against revision %u"),
                                                  revision->number, previous->number);

      gtk_label_set_text (self->against_label, against);
    }
  else
    {
      /* Translators: %u is a revision number */
      g_autofree char *against = g_strdup_printf (_("Revision %u, against the original"), revision->number);

      gtk_label_set_text (self->against_label, against);
    }
  before = index > 0 ? ((DeskRevision *) g_ptr_array_index (self->revisions, index - 1))->text : self->original;
  spans = desk_diff_words (before, revision->text);

  /* The spans come in the order of both texts: one walk along each. */
  desk_char_cursor_init (&old_cursor, before);
  desk_char_cursor_init (&new_cursor, revision->text);
  for (guint i = 0; i < spans->len; i++)
    {
      const DeskDiffSpan *span = &g_array_index (spans, DeskDiffSpan, i);
      DeskCharCursor *cursor = span->op == DESK_DIFF_DELETE ? &old_cursor : &new_cursor;
      guint start = span->op == DESK_DIFF_DELETE ? span->old_start : span->new_start;
      guint stop = span->op == DESK_DIFF_DELETE ? span->old_end : span->new_end;
      const char *a = desk_char_cursor_seek (cursor, start);
      const char *b = desk_char_cursor_seek (cursor, stop);

      gtk_text_buffer_get_end_iter (buffer, &end);
      if (span->op == DESK_DIFF_EQUAL)
        gtk_text_buffer_insert (buffer, &end, a, (int) (b - a));
      else
        gtk_text_buffer_insert_with_tags (buffer, &end, a, (int) (b - a),
                                          span->op == DESK_DIFF_DELETE ? self->removed_tag : self->added_tag,
                                          NULL);
    }
}

/* The list shows the newest revision first: row 0 is the last one. */
static void
revision_selected (DeskHistoryWindow *self,
                   GtkListBoxRow     *row)
{
  /* The list empties as the window goes: nothing to show it in. */
  if (self->diff_view == NULL)
    return;
  show_revision (self, row != NULL ? (int) self->revisions->len - 1 - gtk_list_box_row_get_index (row) : -1);
}

void
desk_history_window_select_revision (DeskHistoryWindow *self,
                                     guint              index)
{
  g_return_if_fail (DESK_IS_HISTORY_WINDOW (self));

  g_return_if_fail (index < self->revisions->len);

  gtk_list_box_select_row (self->revision_list,
                           gtk_list_box_get_row_at_index (self->revision_list, (int) (self->revisions->len - 1 - index)));
}

/* Makes the selected revision's text the edited copy again, as a new
 * revision: history is never rewritten. */
gboolean
desk_history_window_restore_selected (DeskHistoryWindow  *self,
                                      GError            **error)
{
  const DeskRevision *revision;

  g_return_val_if_fail (DESK_IS_HISTORY_WINDOW (self), FALSE);

  if (self->selected < 0)
    return TRUE;
  revision = g_ptr_array_index (self->revisions, self->selected);
  if (!desk_store_save_revision (self->store, self->release_id, revision->headline, revision->text,
                                 NULL, NULL, error))
    return FALSE;
  g_signal_emit (self, signals[RESTORED], 0, self->release_id);
  return TRUE;
}

static void
restore_clicked (DeskHistoryWindow *self)
{
  g_autoptr(GError) error = NULL;

  if (!desk_history_window_restore_selected (self, &error))
    {
      desk_error_dialog_present (GTK_WINDOW (self), _("The revision was not restored"), error->message);
      return;
    }
  gtk_window_close (GTK_WINDOW (self));
}

static GtkWidget *
row_new (const char *title,
         const char *subtitle)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  return row;
}

static void
fill (DeskHistoryWindow *self)
{
  /* Revisions and events alike, the newest first. */
  for (guint i = self->revisions->len; i > 0; i--)
    {
      const DeskRevision *revision = g_ptr_array_index (self->revisions, i - 1);
      g_autofree char *when = format_when (revision->created_at);
      g_autofree char *title = g_strdup_printf (_("Revision %u"), revision->number);
      g_autofree char *subtitle = g_strdup_printf ("%s · %s", revision->author, g_strstrip (when));

      gtk_list_box_append (self->revision_list, row_new (title, subtitle));
    }

  for (guint i = self->events->len; i > 0; i--)
    {
      const DeskEvent *event = g_ptr_array_index (self->events, i - 1);
      g_autofree char *when = format_when (event->created_at);
      g_autofree char *title = desk_event_describe (event);
      g_autofree char *subtitle = event->note != NULL
        ? g_strdup_printf ("%s · %s · “%s”", event->actor, g_strstrip (when), event->note)
        : g_strdup_printf ("%s · %s", event->actor, g_strstrip (when));

      gtk_list_box_append (self->event_list, row_new (title, subtitle));
    }

  if (self->revisions->len > 0)
    desk_history_window_select_revision (self, self->revisions->len - 1);
  else
    show_revision (self, -1);
}

static void
desk_history_window_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), DESK_TYPE_HISTORY_WINDOW);

  G_OBJECT_CLASS (desk_history_window_parent_class)->dispose (object);
}

static void
desk_history_window_finalize (GObject *object)
{
  DeskHistoryWindow *self = (DeskHistoryWindow *) object;

  g_clear_object (&self->store);
  g_clear_pointer (&self->revisions, g_ptr_array_unref);
  g_clear_pointer (&self->events, g_ptr_array_unref);
  g_free (self->original);

  G_OBJECT_CLASS (desk_history_window_parent_class)->finalize (object);
}

static void
desk_history_window_class_init (DeskHistoryWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = desk_history_window_dispose;
  object_class->finalize = desk_history_window_finalize;

  /* Closed as any other window of the desk: Escape, or Ctrl+W. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK, "window.close", NULL);

  g_type_ensure (GTK_SOURCE_TYPE_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/copydesk/Copydesk/desk-history-window.ui");
  gtk_widget_class_bind_template_child (widget_class, DeskHistoryWindow, revision_list);
  gtk_widget_class_bind_template_child (widget_class, DeskHistoryWindow, event_list);
  gtk_widget_class_bind_template_child (widget_class, DeskHistoryWindow, diff_view);
  gtk_widget_class_bind_template_child (widget_class, DeskHistoryWindow, restore_button);
  gtk_widget_class_bind_template_child (widget_class, DeskHistoryWindow, against_label);
  gtk_widget_class_bind_template_callback (widget_class, revision_selected);
  gtk_widget_class_bind_template_callback (widget_class, restore_clicked);

  /* Emitted with the release's id after a revision was restored. */
  signals[RESTORED] = g_signal_new ("restored", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);
}

static void
update_scheme (DeskHistoryWindow *self)
{
  desk_copy_scheme_apply (GTK_SOURCE_BUFFER (gtk_text_view_get_buffer (self->diff_view)),
                          self->removed_tag, self->added_tag, NULL);
}

static void
desk_history_window_init (DeskHistoryWindow *self)
{
  GtkTextBuffer *buffer;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->selected = -1;

  buffer = gtk_text_view_get_buffer (self->diff_view);
  self->removed_tag = gtk_text_buffer_create_tag (buffer, "removed", NULL);
  self->added_tag = gtk_text_buffer_create_tag (buffer, "added", NULL);
  update_scheme (self);
  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (update_scheme), self, G_CONNECT_SWAPPED);
}

GtkWindow *
desk_history_window_new (GtkWindow *parent,
                         DeskStore *store,
                         gint64     release_id)
{
  DeskHistoryWindow *self = g_object_new (DESK_TYPE_HISTORY_WINDOW,
                                          "transient-for", parent,
                                          "modal", TRUE,
                                          NULL);
  g_autoptr(DeskRelease) release = desk_store_get_release (store, release_id, NULL);
  g_autofree char *title = NULL;

  self->store = g_object_ref (store);
  self->release_id = release_id;
  self->revisions = desk_store_list_revisions (store, release_id, NULL);
  self->events = desk_store_list_events (store, release_id, NULL);
  if (self->revisions == NULL)
    self->revisions = g_ptr_array_new_with_free_func ((GDestroyNotify) desk_revision_free);
  if (self->events == NULL)
    self->events = g_ptr_array_new_with_free_func ((GDestroyNotify) desk_event_free);
  self->original = g_strdup (release != NULL ? desk_release_get_original (release) : "");

  title = g_strdup_printf (_("History of #%" PRId64), release_id);
  gtk_window_set_title (GTK_WINDOW (self), title);
  fill (self);
  return GTK_WINDOW (self);
}

GtkTextBuffer *
desk_history_window_get_diff_buffer (DeskHistoryWindow *self)
{
  return gtk_text_view_get_buffer (self->diff_view);
}

guint
desk_history_window_get_n_revisions (DeskHistoryWindow *self)
{
  return self->revisions->len;
}

guint
desk_history_window_get_n_events (DeskHistoryWindow *self)
{
  return self->events->len;
}
