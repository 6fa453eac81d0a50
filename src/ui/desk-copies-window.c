/* desk-copies-window.c — two copies of one story side by side
 *
 * The copies of a story (desk-copies.c) as they were received, any two of
 * them side by side, with the word diff the review uses: words only the
 * left copy has are marked removed, words only the right one has are
 * marked added, in the review's colours.  The release under review starts
 * on the right and the first other copy on the left; each side's copy is
 * picked from a list.  Escape (or Ctrl+W) goes back to the review.
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <inttypes.h>
#include <glib/gi18n.h>
#include <gtksourceview/gtksource.h>

#include "desk-copies.h"
#include "desk-copies-window.h"
#include "desk-diff.h"
#include "desk-error.h"
#include "desk-review-view.h"

struct _DeskCopiesWindow
{
  AdwWindow       parent_instance;

  DeskStore      *store;
  GPtrArray      *copies;     /* DeskCopy, oldest first */
  guint           n_changes;

  AdwWindowTitle *window_title;
  GtkDropDown    *left_choice;
  GtkDropDown    *right_choice;
  GtkTextView    *left_view;
  GtkTextView    *right_view;
  GtkTextTag     *removed_tag;
  GtkTextTag     *added_tag;
};

G_DEFINE_FINAL_TYPE (DeskCopiesWindow, desk_copies_window, ADW_TYPE_WINDOW)

static DeskCopy *
chosen (DeskCopiesWindow *self,
        GtkDropDown      *choice)
{
  guint index = gtk_drop_down_get_selected (choice);

  if (self->copies == NULL || index >= self->copies->len)
    return NULL;
  return g_ptr_array_index (self->copies, index);
}

static void
tag_chars (GtkTextBuffer *buffer,
           GtkTextTag    *tag,
           guint          start,
           guint          end)
{
  GtkTextIter a, b;

  gtk_text_buffer_get_iter_at_offset (buffer, &a, (int) start);
  gtk_text_buffer_get_iter_at_offset (buffer, &b, (int) end);
  gtk_text_buffer_apply_tag (buffer, tag, &a, &b);
}

/* The two chosen copies' originals, and their word diff. */
static void
compare (DeskCopiesWindow *self)
{
  GtkTextBuffer *left_buffer = gtk_text_view_get_buffer (self->left_view);
  GtkTextBuffer *right_buffer = gtk_text_view_get_buffer (self->right_view);
  DeskCopy *left = chosen (self, self->left_choice);
  DeskCopy *right = chosen (self, self->right_choice);
  g_autoptr(DeskRelease) a = NULL;
  g_autoptr(DeskRelease) b = NULL;
  g_autoptr(GArray) spans = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *subtitle = NULL;
  gboolean in_change = FALSE;

  gtk_text_buffer_set_text (left_buffer, "", -1);
  gtk_text_buffer_set_text (right_buffer, "", -1);
  self->n_changes = 0;
  if (left == NULL || right == NULL)
    return;
  if ((a = desk_store_get_release (self->store, left->id, &error)) == NULL ||
      (b = desk_store_get_release (self->store, right->id, &error)) == NULL)
    {
      adw_window_title_set_subtitle (self->window_title, error->message);
      return;
    }

  gtk_text_buffer_set_text (left_buffer, desk_release_get_original (a), -1);
  gtk_text_buffer_set_text (right_buffer, desk_release_get_original (b), -1);
  spans = desk_diff_words (desk_release_get_original (a), desk_release_get_original (b));
  for (guint i = 0; i < spans->len; i++)
    {
      const DeskDiffSpan *span = &g_array_index (spans, DeskDiffSpan, i);

      if (span->op == DESK_DIFF_EQUAL)
        {
          in_change = FALSE;
          continue;
        }
      /* A word replaced by another is one change, not two. */
      if (!in_change)
        self->n_changes++;
      in_change = TRUE;
      if (span->op == DESK_DIFF_DELETE)
        tag_chars (left_buffer, self->removed_tag, span->old_start, span->old_end);
      else
        tag_chars (right_buffer, self->added_tag, span->new_start, span->new_end);
    }

  if (self->n_changes == 0)
    subtitle = g_strdup (_("The two copies are the same"));
  else
    /* Translators: how two copies of a story differ, e.g. "#12 and #15: 3 changes" */
    subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "#%" PRId64 " and #%" PRId64 ": %u change",
                                             "#%" PRId64 " and #%" PRId64 ": %u changes", self->n_changes),
                                left->id, right->id, self->n_changes);
  adw_window_title_set_subtitle (self->window_title, subtitle);
}

/* "#12 · PR Newswire · Rejected" */
static char *
describe_copy (const DeskCopy *copy)
{
  return g_strdup_printf ("#%" G_GINT64_FORMAT " · %s · %s", copy->id,
                          copy->source != NULL && *copy->source != '\0' ? copy->source : _("No wire"),
                          desk_status_get_label (copy->status));
}

static void
update_scheme (DeskCopiesWindow *self)
{
  desk_copy_scheme_apply (GTK_SOURCE_BUFFER (gtk_text_view_get_buffer (self->left_view)),
                          self->removed_tag, NULL, NULL);
  desk_copy_scheme_apply (GTK_SOURCE_BUFFER (gtk_text_view_get_buffer (self->right_view)),
                          NULL, self->added_tag, NULL);
}

static void
desk_copies_window_dispose (GObject *object)
{
  DeskCopiesWindow *self = DESK_COPIES_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), DESK_TYPE_COPIES_WINDOW);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (desk_copies_window_parent_class)->dispose (object);
}

static void
desk_copies_window_finalize (GObject *object)
{
  DeskCopiesWindow *self = DESK_COPIES_WINDOW (object);

  g_clear_pointer (&self->copies, g_ptr_array_unref);

  G_OBJECT_CLASS (desk_copies_window_parent_class)->finalize (object);
}

static void
desk_copies_window_class_init (DeskCopiesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = desk_copies_window_dispose;
  object_class->finalize = desk_copies_window_finalize;

  /* Back to the review: Escape, or Ctrl+W. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK, "window.close", NULL);

  g_type_ensure (GTK_SOURCE_TYPE_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/copydesk/Copydesk/desk-copies-window.ui");
  gtk_widget_class_bind_template_child (widget_class, DeskCopiesWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, DeskCopiesWindow, left_choice);
  gtk_widget_class_bind_template_child (widget_class, DeskCopiesWindow, right_choice);
  gtk_widget_class_bind_template_child (widget_class, DeskCopiesWindow, left_view);
  gtk_widget_class_bind_template_child (widget_class, DeskCopiesWindow, right_view);
}

static void
desk_copies_window_init (DeskCopiesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->removed_tag = gtk_text_buffer_create_tag (gtk_text_view_get_buffer (self->left_view), "removed", NULL);
  self->added_tag = gtk_text_buffer_create_tag (gtk_text_view_get_buffer (self->right_view), "added", NULL);
  update_scheme (self);
  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (update_scheme), self, G_CONNECT_SWAPPED);
}

/* The copies of @release_id's story over @parent, @release_id on the
 * right; NULL with @error when it has no copies. */
GtkWindow *
desk_copies_window_new (GtkWindow  *parent,
                        DeskStore  *store,
                        gint64      release_id,
                        GError    **error)
{
  g_autoptr(GPtrArray) copies = NULL;
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);
  DeskCopiesWindow *self;
  guint right = 0;

  g_return_val_if_fail (DESK_IS_STORE (store), NULL);

  copies = desk_store_list_copies (store, release_id, error);
  if (copies == NULL)
    return NULL;
  if (copies->len < 2)
    {
      g_set_error (error, DESK_ERROR, DESK_ERROR_NOT_FOUND,
                   _("Release #%" PRId64 " has no copies from other wires"), release_id);
      return NULL;
    }

  self = g_object_new (DESK_TYPE_COPIES_WINDOW, "transient-for", parent, NULL);
  self->store = g_object_ref (store);
  self->copies = g_steal_pointer (&copies);
  for (guint i = 0; i < self->copies->len; i++)
    {
      DeskCopy *copy = g_ptr_array_index (self->copies, i);
      g_autofree char *label = describe_copy (copy);

      gtk_string_list_append (labels, label);
      if (copy->id == release_id)
        right = i;
    }
  gtk_drop_down_set_model (self->left_choice, G_LIST_MODEL (labels));
  gtk_drop_down_set_model (self->right_choice, G_LIST_MODEL (labels));
  gtk_drop_down_set_selected (self->right_choice, right);
  gtk_drop_down_set_selected (self->left_choice, right == 0 ? 1 : 0);
  compare (self);
  g_signal_connect_object (self->left_choice, "notify::selected", G_CALLBACK (compare), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->right_choice, "notify::selected", G_CALLBACK (compare), self, G_CONNECT_SWAPPED);
  gtk_window_set_focus (GTK_WINDOW (self), GTK_WIDGET (self->left_choice));
  return GTK_WINDOW (self);
}

gint64
desk_copies_window_get_left (DeskCopiesWindow *self)
{
  DeskCopy *copy;

  g_return_val_if_fail (DESK_IS_COPIES_WINDOW (self), 0);

  copy = chosen (self, self->left_choice);
  return copy != NULL ? copy->id : 0;
}

gint64
desk_copies_window_get_right (DeskCopiesWindow *self)
{
  DeskCopy *copy;

  g_return_val_if_fail (DESK_IS_COPIES_WINDOW (self), 0);

  copy = chosen (self, self->right_choice);
  return copy != NULL ? copy->id : 0;
}

/* Puts copy @release_id on the left, as picking it from the list does;
 * FALSE when it is not a copy of this story. */
gboolean
desk_copies_window_set_left (DeskCopiesWindow *self,
                             gint64            release_id)
{
  g_return_val_if_fail (DESK_IS_COPIES_WINDOW (self), FALSE);

  for (guint i = 0; i < self->copies->len; i++)
    if (((DeskCopy *) g_ptr_array_index (self->copies, i))->id == release_id)
      {
        gtk_drop_down_set_selected (self->left_choice, i);
        return TRUE;
      }
  return FALSE;
}

guint
desk_copies_window_get_n_copies (DeskCopiesWindow *self)
{
  g_return_val_if_fail (DESK_IS_COPIES_WINDOW (self), 0);

  return self->copies->len;
}

/* How many runs of words differ between the two copies shown. */
guint
desk_copies_window_get_n_changes (DeskCopiesWindow *self)
{
  g_return_val_if_fail (DESK_IS_COPIES_WINDOW (self), 0);

  return self->n_changes;
}

GtkTextBuffer *
desk_copies_window_get_buffer (DeskCopiesWindow *self,
                               gboolean          left)
{
  g_return_val_if_fail (DESK_IS_COPIES_WINDOW (self), NULL);

  return gtk_text_view_get_buffer (left ? self->left_view : self->right_view);
}
