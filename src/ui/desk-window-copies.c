/* desk-window-copies.c — the list says when a story came from several wires
 *
 * A release with copies (desk-copies.c) says so in its row: how many, and
 * from which sources; a queue holds one row a story, and a copy found by a
 * search says which release stands for its story.  The review's header
 * has the same "3 copies" as a button (Ctrl+Shift+C) that shows any two
 * of them side by side (desk-copies-window.c).
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include <inttypes.h>

#include "desk-copies.h"
#include "desk-copies-window.h"
#include "desk-review-view.h"
#include "desk-window-private.h"

/* "3 copies: SeaPRwire, PR Newswire", or NULL when @release_id has no
 * copies; "Copy of #12 · 3 copies: …" for a copy the queues show behind
 * another (a search finds it). */
char *
_desk_window_describe_copies (DeskWindow *self,
                              gint64      release_id)
{
  DeskStore *store = _desk_window_get_store (self);
  g_autoptr(GPtrArray) copies = NULL;
  g_autoptr(GPtrArray) sources = NULL;
  g_autofree char *joined = NULL;

  if (store == NULL || desk_store_count_copies (store, release_id, NULL) < 2)
    return NULL;
  copies = desk_store_list_copies (store, release_id, NULL);
  if (copies == NULL || copies->len < 2)
    return NULL;

  sources = g_ptr_array_new ();
  for (guint i = 0; i < copies->len; i++)
    {
      DeskCopy *copy = g_ptr_array_index (copies, i);
      const char *source = copy->source != NULL && *copy->source != '\0' ? copy->source : _("No wire");
      gboolean seen = FALSE;

      for (guint j = 0; j < sources->len && !seen; j++)
        seen = g_str_equal (g_ptr_array_index (sources, j), source);
      if (!seen)
        g_ptr_array_add (sources, (gpointer) source);
    }
  g_ptr_array_add (sources, NULL);
  joined = g_strjoinv (", ", (char **) sources->pdata);
  {
    /* Translators: "3 copies: SeaPRwire, PR Newswire" in a release's row */
    g_autofree char *all = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u copy: %s", "%u copies: %s", copies->len),
                                            copies->len, joined);
    gint64 story = desk_store_get_story (store, release_id, NULL);

    if (story <= 0 || story == release_id)
      return g_steal_pointer (&all);
    /* Translators: a search result that the queues show as another copy of its story */
    return g_strdup_printf (_("Copy of #%" PRId64 " · %s"), story, all);
  }
}

/* How many of @release_id's copies wait for a decision (new, in review,
 * changes requested). */
guint
_desk_window_count_waiting_copies (DeskWindow *self,
                                   gint64      release_id)
{
  DeskStore *store = _desk_window_get_store (self);
  g_autoptr(GPtrArray) copies = NULL;
  guint waiting = 0;

  if (store == NULL || desk_store_count_copies (store, release_id, NULL) < 2)
    return 0;
  copies = desk_store_list_copies (store, release_id, NULL);
  for (guint i = 0; copies != NULL && i < copies->len; i++)
    {
      DeskCopy *copy = g_ptr_array_index (copies, i);

      if (copy->id != release_id &&
          (copy->status == DESK_STATUS_NEW || copy->status == DESK_STATUS_IN_REVIEW ||
           copy->status == DESK_STATUS_CHANGES_REQUESTED))
        waiting++;
    }
  return waiting;
}

/* The header's "3 copies" for the release under review, or nothing. */
void
_desk_window_update_copies (DeskWindow *self)
{
  DeskStore *store = _desk_window_get_store (self);
  gint64 id = desk_review_view_get_release_id (self->review_view);
  gint64 n = store != NULL && id > 0 ? desk_store_count_copies (store, id, NULL) : 0;

  gtk_widget_set_visible (GTK_WIDGET (self->copies_button), n > 1);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.compare-copies", n > 1);
  if (n > 1)
    {
      /* Translators: the review's header button that compares a story's copies */
      g_autofree char *label = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u Copy", "%u Copies", (gulong) n),
                                                (guint) n);

      gtk_button_set_label (self->copies_button, label);
    }
}

static void
compare_copies_activated (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  DeskWindow *self = DESK_WINDOW (widget);
  DeskStore *store = _desk_window_get_store (self);
  gint64 id = desk_review_view_get_release_id (self->review_view);
  g_autoptr(GError) error = NULL;
  GtkWindow *copies;

  if (store == NULL || id <= 0)
    return;
  copies = desk_copies_window_new (GTK_WINDOW (self), store, id, &error);
  if (copies == NULL)
    {
      _desk_window_show_error (self, _("The copies cannot be compared"), error);
      return;
    }
  gtk_window_present (copies);
}

void
_desk_window_class_init_copies (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.compare-copies", NULL, compare_copies_activated);
  gtk_widget_class_bind_template_child_full (widget_class, "copies_button", FALSE,
                                             G_STRUCT_OFFSET (DeskWindow, copies_button));
}
