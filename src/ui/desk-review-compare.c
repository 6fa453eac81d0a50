/* desk-review-compare.c — the changes one by one, as in Meld
 *
 * The change in hand (the one the cursor is in) is shaded in both panes
 * and counted ("Change 2 of 5").  Text taken out leaves a gap marker in
 * the edited pane where it was; text put in leaves one in the original.
 * Each change can be taken back (the original's words replace the
 * edit, one step of the edited copy's undo) or kept (the editor has seen
 * it: it says so, and Alt+Down skips no further than it did).  Both are
 * undone with Ctrl+Z or the toast's Undo.
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "desk-diff.h"
#include "desk-review-view-private.h"

static char *
buffer_range (GtkTextBuffer *buffer,
              guint          start,
              guint          end)
{
  GtkTextIter a, b;

  gtk_text_buffer_get_iter_at_offset (buffer, &a, (int) start);
  gtk_text_buffer_get_iter_at_offset (buffer, &b, (int) end);
  return gtk_text_buffer_get_text (buffer, &a, &b, TRUE);
}

/* A change is known by its words on both sides, so a kept change stays
 * kept while the copy around it is edited. */
static char *
chunk_key (DeskReviewView      *self,
           const DeskDiffChunk *chunk)
{
  g_autofree char *old_words = buffer_range (GTK_TEXT_BUFFER (_desk_review_view_original_buffer (self)),
                                             chunk->old_start, chunk->old_end);
  g_autofree char *new_words = buffer_range (GTK_TEXT_BUFFER (_desk_review_view_edited_buffer (self)),
                                             chunk->new_start, chunk->new_end);

  return g_strdup_printf ("%s\x1f%s", old_words, new_words);
}

static gboolean
chunk_is_kept (DeskReviewView *self,
               guint           index)
{
  g_autofree char *key = NULL;

  if (self->kept == NULL || g_hash_table_size (self->kept) == 0)
    return FALSE;
  key = chunk_key (self, &g_array_index (self->chunks, DeskDiffChunk, index));
  return g_hash_table_contains (self->kept, key);
}

/* The change the cursor is in, or -1. */
static int
chunk_at_cursor (DeskReviewView *self)
{
  GtkTextBuffer *edited = GTK_TEXT_BUFFER (_desk_review_view_edited_buffer (self));
  GtkTextIter cursor;
  guint offset;

  if (self->chunks == NULL)
    return -1;
  gtk_text_buffer_get_iter_at_mark (edited, &cursor, gtk_text_buffer_get_insert (edited));
  offset = (guint) gtk_text_iter_get_offset (&cursor);
  for (guint i = 0; i < self->chunks->len; i++)
    {
      const DeskDiffChunk *chunk = &g_array_index (self->chunks, DeskDiffChunk, i);

      if (offset < chunk->new_start)
        break;
      if (offset <= chunk->new_end)
        return (int) i;
    }
  return -1;
}

/* Shades the whole lines of @start to @end (the line of @start when the
 * range is empty). */
static void
shade_lines (GtkTextBuffer *buffer,
             GtkTextTag    *tag,
             guint          start,
             guint          end)
{
  GtkTextIter a, b;

  gtk_text_buffer_get_iter_at_offset (buffer, &a, (int) start);
  gtk_text_buffer_get_iter_at_offset (buffer, &b, (int) end);
  gtk_text_iter_set_line_offset (&a, 0);
  if (!gtk_text_iter_ends_line (&b))
    gtk_text_iter_forward_to_line_end (&b);
  if (gtk_text_iter_equal (&a, &b))
    gtk_text_iter_forward_char (&b);
  gtk_text_buffer_apply_tag (buffer, tag, &a, &b);
}

static void
show_current (DeskReviewView *self)
{
  GtkTextBuffer *original = GTK_TEXT_BUFFER (_desk_review_view_original_buffer (self));
  GtkTextBuffer *edited = GTK_TEXT_BUFFER (_desk_review_view_edited_buffer (self));
  guint n = self->chunks != NULL ? self->chunks->len : 0;
  GtkTextIter start, end;
  g_autofree char *text = NULL;

  /* Going away: the bar is gone. */
  if (self->change_label == NULL)
    return;
  self->current_chunk = chunk_at_cursor (self);

  gtk_text_buffer_get_bounds (original, &start, &end);
  gtk_text_buffer_remove_tag (original, self->original_current_tag, &start, &end);
  gtk_text_buffer_get_bounds (edited, &start, &end);
  gtk_text_buffer_remove_tag (edited, self->edited_current_tag, &start, &end);

  if (self->current_chunk >= 0)
    {
      const DeskDiffChunk *chunk = &g_array_index (self->chunks, DeskDiffChunk, self->current_chunk);
      gboolean kept = chunk_is_kept (self, (guint) self->current_chunk);

      shade_lines (original, self->original_current_tag, chunk->old_start, chunk->old_end);
      shade_lines (edited, self->edited_current_tag, chunk->new_start, chunk->new_end);
      /* TRANSLATORS: the change the cursor is in, among all changes */
      text = kept ? g_strdup_printf (_("Change %u of %u, kept"), self->current_chunk + 1, n)
                  : g_strdup_printf (_("Change %u of %u"), self->current_chunk + 1, n);
    }
  else if (n == 0)
    text = g_strdup (_("No changes"));
  else
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u change", "%u changes", n), n);

  gtk_label_set_text (self->change_label, text);
  /* A copy another editor holds is read-only: nothing to take back or keep. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "review.take-back",
                                 self->current_chunk >= 0 && !self->read_only);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "review.keep",
                                 self->current_chunk >= 0 && !self->read_only &&
                                 !chunk_is_kept (self, (guint) self->current_chunk));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "review.next-change", n > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "review.previous-change", n > 0);
}

/* Gap markers: where a run of the original was taken out with nothing
 * put in its place, in the edited pane; where a run was put in with
 * nothing taken out, in the original. */
static void
mark_gaps (DeskReviewView *self)
{
  GArray *in_edited = g_array_new (FALSE, FALSE, sizeof (guint));
  GArray *in_original = g_array_new (FALSE, FALSE, sizeof (guint));

  for (guint i = 0; self->spans != NULL && i < self->spans->len; i++)
    {
      const DeskDiffSpan *span = &g_array_index (self->spans, DeskDiffSpan, i);
      const DeskDiffSpan *before = i > 0 ? &g_array_index (self->spans, DeskDiffSpan, i - 1) : NULL;
      const DeskDiffSpan *after = i + 1 < self->spans->len ? &g_array_index (self->spans, DeskDiffSpan, i + 1) : NULL;

      if (span->op == DESK_DIFF_EQUAL)
        continue;
      /* A replacement highlights words on both sides: no gap. */
      if ((before != NULL && before->op != DESK_DIFF_EQUAL && before->op != span->op) ||
          (after != NULL && after->op != DESK_DIFF_EQUAL && after->op != span->op))
        continue;
      if (span->op == DESK_DIFF_DELETE)
        g_array_append_val (in_edited, span->new_start);
      else
        g_array_append_val (in_original, span->old_start);
    }

  desk_copy_view_set_gaps (self->edited_view, in_edited);
  desk_copy_view_set_gaps (self->original_view, in_original);
}

/* The change the cursor is in, counted from 1; 0 when it is in none. */
guint
desk_review_view_get_current_change (DeskReviewView *self)
{
  g_return_val_if_fail (DESK_IS_REVIEW_VIEW (self), 0);

  return self->current_chunk >= 0 ? (guint) self->current_chunk + 1 : 0;
}

/* What the compare bar says: "Change 2 of 5". */
const char *
desk_review_view_get_change_text (DeskReviewView *self)
{
  g_return_val_if_fail (DESK_IS_REVIEW_VIEW (self), NULL);

  return gtk_label_get_text (self->change_label);
}

/* Where gap markers stand (character offsets), in the original or in the
 * edited copy. */
GArray *
desk_review_view_get_gaps (DeskReviewView *self,
                           gboolean        in_original)
{
  g_return_val_if_fail (DESK_IS_REVIEW_VIEW (self), NULL);

  return desk_copy_view_get_gaps (in_original ? self->original_view : self->edited_view);
}

void
_desk_review_compare_update (DeskReviewView *self)
{
  mark_gaps (self);
  show_current (self);
}

static void
cursor_moved (DeskReviewView *self)
{
  if (!self->loading)
    show_current (self);
}

/* ---- doing and undoing ---------------------------------------------------- */

static void
forget_done (DeskReviewView *self)
{
  self->last_done = DESK_COMPARE_DONE_NOTHING;
  if (self->done_toast != NULL)
    adw_toast_dismiss (self->done_toast);
  g_clear_object (&self->done_toast);
}

static void
announce_done (DeskReviewView  *self,
               DeskCompareDone  done,
               const char      *title)
{
  AdwToast *toast = adw_toast_new (title);

  forget_done (self);
  self->last_done = done;
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_action_name (toast, "review.undo-change");
  self->done_toast = g_object_ref (toast);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

void
_desk_review_compare_copy_changed (DeskReviewView *self)
{
  if (!self->taking_back)
    forget_done (self);
}

/* Puts the original's words back in place of the change in hand, as one
 * step of the edited copy's undo. */
static void
take_back_activated (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  DeskReviewView *self = DESK_REVIEW_VIEW (widget);
  GtkTextBuffer *edited = GTK_TEXT_BUFFER (_desk_review_view_edited_buffer (self));
  g_autofree char *words = NULL;
  DeskDiffChunk chunk;
  GtkTextIter a, b;

  if (self->read_only)
    return;
  if (self->diff_source != 0)
    desk_review_view_flush_diff (self);
  self->current_chunk = chunk_at_cursor (self);
  if (self->current_chunk < 0)
    return;

  chunk = g_array_index (self->chunks, DeskDiffChunk, self->current_chunk);
  words = buffer_range (GTK_TEXT_BUFFER (_desk_review_view_original_buffer (self)),
                        chunk.old_start, chunk.old_end);

  self->taking_back = TRUE;
  gtk_text_buffer_begin_user_action (edited);
  gtk_text_buffer_get_iter_at_offset (edited, &a, (int) chunk.new_start);
  gtk_text_buffer_get_iter_at_offset (edited, &b, (int) chunk.new_end);
  gtk_text_buffer_delete (edited, &a, &b);
  gtk_text_buffer_insert (edited, &a, words, -1);
  gtk_text_buffer_end_user_action (edited);
  gtk_text_buffer_place_cursor (edited, &a);
  self->taking_back = FALSE;

  desk_review_view_update_diff (self);
  announce_done (self, DESK_COMPARE_DONE_TAKE_BACK, _("The original’s words are back"));
}

/* The editor has seen the change in hand and keeps it: it is marked
 * kept, and the cursor goes on to the next change not yet kept. */
static void
keep_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  DeskReviewView *self = DESK_REVIEW_VIEW (widget);
  char *key;

  if (self->diff_source != 0)
    desk_review_view_flush_diff (self);
  self->current_chunk = chunk_at_cursor (self);
  if (self->current_chunk < 0)
    return;

  key = chunk_key (self, &g_array_index (self->chunks, DeskDiffChunk, self->current_chunk));
  if (!g_hash_table_add (self->kept, key))
    return;
  g_ptr_array_add (self->kept_order, key);

  for (guint i = (guint) self->current_chunk + 1; i < self->chunks->len; i++)
    if (!chunk_is_kept (self, i))
      {
        _desk_review_view_show_chunk (self, i);
        break;
      }
  show_current (self);
  announce_done (self, DESK_COMPARE_DONE_KEEP, _("Edit kept"));
}

/* Undoes the last take-back or keep, if nothing was done since. */
static gboolean
undo_done (DeskReviewView *self)
{
  GtkTextBuffer *edited = GTK_TEXT_BUFFER (_desk_review_view_edited_buffer (self));
  DeskCompareDone done = self->last_done;

  forget_done (self);
  if (done == DESK_COMPARE_DONE_TAKE_BACK && gtk_text_buffer_get_can_undo (edited))
    {
      gtk_text_buffer_undo (edited);
      desk_review_view_update_diff (self);
      return TRUE;
    }
  if (done == DESK_COMPARE_DONE_KEEP && self->kept_order->len > 0)
    {
      const char *key = g_ptr_array_index (self->kept_order, self->kept_order->len - 1);

      g_ptr_array_remove_index (self->kept_order, self->kept_order->len - 1);
      g_hash_table_remove (self->kept, key);
      show_current (self);
      return TRUE;
    }
  return FALSE;
}

static void
undo_change_activated (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  undo_done (DESK_REVIEW_VIEW (widget));
}

/* Ctrl+Z in the edited copy undoes a keep too; a take-back is the
 * buffer's own undo. */
static gboolean
edited_key_pressed (GtkEventControllerKey *controller,
                    guint                  keyval,
                    guint                  keycode,
                    GdkModifierType        state,
                    DeskReviewView        *self)
{
  if ((keyval == GDK_KEY_z || keyval == GDK_KEY_Z) &&
      (state & (GDK_CONTROL_MASK | GDK_SHIFT_MASK | GDK_ALT_MASK)) == GDK_CONTROL_MASK &&
      self->last_done == DESK_COMPARE_DONE_KEEP)
    return undo_done (self);
  if ((keyval == GDK_KEY_z || keyval == GDK_KEY_Z) &&
      (state & (GDK_CONTROL_MASK | GDK_SHIFT_MASK | GDK_ALT_MASK)) == GDK_CONTROL_MASK)
    forget_done (self);
  return FALSE;
}

static void
move_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  desk_review_view_next_change (DESK_REVIEW_VIEW (widget),
                                g_str_equal (action_name, "review.next-change") ? 1 : -1);
}

/* ---- the widget ----------------------------------------------------------- */

static void
set_tag_paragraph_background (GtkSourceStyleScheme *scheme,
                              const char           *style_id,
                              GtkTextTag           *tag)
{
  GtkSourceStyle *style = gtk_source_style_scheme_get_style (scheme, style_id);
  g_autofree char *background = NULL;

  if (style != NULL)
    g_object_get (style, "background", &background, NULL);
  if (background != NULL)
    g_object_set (tag, "paragraph-background", background, NULL);
}

static void
set_gap_color (GtkSourceStyleScheme *scheme,
               const char           *style_id,
               DeskCopyView         *view)
{
  GtkSourceStyle *style = gtk_source_style_scheme_get_style (scheme, style_id);
  g_autofree char *foreground = NULL;
  GdkRGBA color;

  if (style != NULL)
    g_object_get (style, "foreground", &foreground, NULL);
  if (foreground != NULL && gdk_rgba_parse (&color, foreground))
    desk_copy_view_set_gap_color (view, &color);
}

void
_desk_review_compare_scheme (DeskReviewView       *self,
                             GtkSourceStyleScheme *scheme)
{
  if (scheme == NULL || self->edited_current_tag == NULL)
    return;

  set_tag_paragraph_background (scheme, "copydesk:current-chunk", self->original_current_tag);
  set_tag_paragraph_background (scheme, "copydesk:current-chunk", self->edited_current_tag);
  /* Removed text leaves its mark in the edited pane; added text in the
   * original. */
  set_gap_color (scheme, "copydesk:removed-word", self->edited_view);
  set_gap_color (scheme, "copydesk:added-word", self->original_view);
}

/* A release loaded: kept changes are forgotten unless it is the same one
 * again (reloaded after another process changed it). */
void
_desk_review_compare_load (DeskReviewView *self)
{
  gint64 id = desk_release_get_id (self->release);

  forget_done (self);
  if (self->kept_for_release != id)
    {
      g_hash_table_remove_all (self->kept);
      g_ptr_array_set_size (self->kept_order, 0);
      self->kept_for_release = id;
    }
}

void
_desk_review_compare_dispose (DeskReviewView *self)
{
  g_clear_object (&self->done_toast);
  g_clear_pointer (&self->kept_order, g_ptr_array_unref);
  g_clear_pointer (&self->kept, g_hash_table_unref);
}

void
_desk_review_compare_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "review.next-change", NULL, move_activated);
  gtk_widget_class_install_action (widget_class, "review.previous-change", NULL, move_activated);
  gtk_widget_class_install_action (widget_class, "review.take-back", NULL, take_back_activated);
  gtk_widget_class_install_action (widget_class, "review.keep", NULL, keep_activated);
  gtk_widget_class_install_action (widget_class, "review.undo-change", NULL, undo_change_activated);
  /* Meld's keys: Alt+← brings the left pane's words over. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "review.take-back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_ALT_MASK, "review.keep", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, GDK_ALT_MASK, "review.keep", NULL);
}

void
_desk_review_compare_init (DeskReviewView *self)
{
  GtkTextBuffer *original = GTK_TEXT_BUFFER (_desk_review_view_original_buffer (self));
  GtkTextBuffer *edited = GTK_TEXT_BUFFER (_desk_review_view_edited_buffer (self));
  GtkEventController *keys = gtk_event_controller_key_new ();

  self->current_chunk = -1;
  self->kept = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->kept_order = g_ptr_array_new ();
  self->original_current_tag = gtk_text_buffer_create_tag (original, "current-change", NULL);
  self->edited_current_tag = gtk_text_buffer_create_tag (edited, "current-change", NULL);
  gtk_text_tag_set_priority (self->original_current_tag, 0);
  gtk_text_tag_set_priority (self->edited_current_tag, 0);
  _desk_review_compare_scheme (self, gtk_source_buffer_get_style_scheme (GTK_SOURCE_BUFFER (edited)));

  g_signal_connect_object (edited, "notify::cursor-position", G_CALLBACK (cursor_moved), self, G_CONNECT_SWAPPED);
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect_object (keys, "key-pressed", G_CALLBACK (edited_key_pressed), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (self->edited_view), keys);
  show_current (self);
}
