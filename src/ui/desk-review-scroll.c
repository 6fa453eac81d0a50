/* desk-review-scroll.c — where the two panes stand
 *
 * Moving between changes (Alt+Down, Alt+Up), the panes scrolling in step
 * anchored on the text they share, the evidence list's jump into the
 * original, and the editor's place kept across a reload.
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "desk-diff.h"
#include "desk-review-view-private.h"

#define original_buffer _desk_review_view_original_buffer
#define edited_buffer _desk_review_view_edited_buffer

/* Where @offset in one text lies in the other, through the spans. */
static guint
map_offset (GArray  *spans,
            guint    offset,
            gboolean from_old)
{
  for (guint i = 0; spans != NULL && i < spans->len; i++)
    {
      const DeskDiffSpan *span = &g_array_index (spans, DeskDiffSpan, i);
      guint start = from_old ? span->old_start : span->new_start;
      guint end = from_old ? span->old_end : span->new_end;

      if (offset < start)
        return from_old ? span->new_start : span->old_start;
      if (offset < end || (offset == end && i + 1 == spans->len))
        {
          if (span->op == DESK_DIFF_EQUAL)
            return (from_old ? span->new_start : span->old_start) + (offset - start);
          return from_old ? span->new_start : span->old_start;
        }
    }
  return offset;
}

static void
scroll_to_offset (GtkSourceView *view,
                  guint          offset)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (view));
  GtkTextIter iter;

  gtk_text_buffer_get_iter_at_offset (buffer, &iter, (int) offset);
  gtk_text_view_scroll_to_iter (GTK_TEXT_VIEW (view), &iter, 0.0, TRUE, 0.0, 0.25);
}

/* Alt+Down / Alt+Up: the next or previous changed chunk after the cursor in
 * the edited copy; both panes scroll to it. */
gboolean
desk_review_view_next_change (DeskReviewView *self,
                              int             direction)
{
  GtkTextBuffer *edited = GTK_TEXT_BUFFER (edited_buffer (self));
  GtkTextIter cursor;
  guint offset;
  int target = -1;

  g_return_val_if_fail (DESK_IS_REVIEW_VIEW (self), FALSE);

  if (self->diff_source != 0)
    desk_review_view_flush_diff (self);
  if (self->chunks == NULL || self->chunks->len == 0)
    return FALSE;

  gtk_text_buffer_get_iter_at_mark (edited, &cursor, gtk_text_buffer_get_insert (edited));
  offset = (guint) gtk_text_iter_get_offset (&cursor);

  if (direction > 0)
    {
      for (guint i = 0; i < self->chunks->len && target < 0; i++)
        {
          const DeskDiffChunk *chunk = &g_array_index (self->chunks, DeskDiffChunk, i);
          if (chunk->new_start > offset)
            target = (int) i;
        }
    }
  else
    {
      for (guint i = self->chunks->len; i > 0 && target < 0; i--)
        {
          const DeskDiffChunk *chunk = &g_array_index (self->chunks, DeskDiffChunk, i - 1);
          if (chunk->new_start < offset)
            target = (int) i - 1;
        }
    }

  if (target < 0)
    {
      gtk_widget_error_bell (GTK_WIDGET (self));
      return FALSE;
    }

  _desk_review_view_show_chunk (self, (guint) target);
  return TRUE;
}

/* Puts the cursor at the start of change @index and scrolls both panes
 * to it. */
void
_desk_review_view_show_chunk (DeskReviewView *self,
                              guint           index)
{
  GtkTextBuffer *edited = GTK_TEXT_BUFFER (edited_buffer (self));
  const DeskDiffChunk *chunk = &g_array_index (self->chunks, DeskDiffChunk, index);
  GtkTextIter iter;

  gtk_text_buffer_get_iter_at_offset (edited, &iter, (int) chunk->new_start);
  gtk_text_buffer_place_cursor (edited, &iter);
  self->syncing_scroll = TRUE;
  scroll_to_offset (GTK_SOURCE_VIEW (self->edited_view), chunk->new_start);
  scroll_to_offset (GTK_SOURCE_VIEW (self->original_view), chunk->old_start);
  self->syncing_scroll = FALSE;
}

/* ---- scrolling in step --------------------------------------------------- */

static gboolean
end_follow (gpointer user_data)
{
  DeskReviewView *self = user_data;

  self->follower = NULL;
  self->follow_source = 0;
  return G_SOURCE_REMOVE;
}

/* Brings the text at the top of @from_view to the top of @to_view.  The
 * other view's lines may not be laid out yet, so it is scrolled with
 * scroll_to_iter(), which lays them out first; its own scrolling, which
 * follows, is not echoed back. */
static void
sync_scroll (DeskReviewView *self,
             GtkSourceView  *from_view,
             GtkSourceView  *to_view,
             gboolean        from_old)
{
  GtkAdjustment *from_adj = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (from_view));
  GtkTextBuffer *to_buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (to_view));
  GtkTextIter top, other;
  guint offset;

  if (self->loading || self->follower == from_view || self->syncing_scroll)
    return;

  gtk_text_view_get_iter_at_location (GTK_TEXT_VIEW (from_view), &top, 0,
                                      (int) gtk_adjustment_get_value (from_adj));
  offset = map_offset (self->spans, (guint) gtk_text_iter_get_offset (&top), from_old);
  gtk_text_buffer_get_iter_at_offset (to_buffer, &other, (int) offset);

  self->follower = to_view;
  g_clear_handle_id (&self->follow_source, g_source_remove);
  self->follow_source = g_timeout_add (100, end_follow, self);
  gtk_text_view_scroll_to_iter (GTK_TEXT_VIEW (to_view), &other, 0.0, TRUE, 0.0, 0.0);
}

static void
original_scrolled (GtkAdjustment  *adjustment,
                   DeskReviewView *self)
{
  sync_scroll (self, GTK_SOURCE_VIEW (self->original_view), GTK_SOURCE_VIEW (self->edited_view), TRUE);
}

static void
edited_scrolled (GtkAdjustment  *adjustment,
                 DeskReviewView *self)
{
  sync_scroll (self, GTK_SOURCE_VIEW (self->edited_view), GTK_SOURCE_VIEW (self->original_view), FALSE);
}

/* Shows characters @start to @end of the original, selected, as the
 * evidence list's "jump to it" does. */
void
desk_review_view_reveal_original (DeskReviewView *self,
                                  guint           start,
                                  guint           end)
{
  GtkTextBuffer *original;
  GtkTextIter a, b;

  g_return_if_fail (DESK_IS_REVIEW_VIEW (self));

  original = GTK_TEXT_BUFFER (original_buffer (self));
  gtk_text_buffer_get_iter_at_offset (original, &a, (int) start);
  gtk_text_buffer_get_iter_at_offset (original, &b, (int) end);
  gtk_text_buffer_select_range (original, &b, &a);
  gtk_text_view_scroll_to_iter (GTK_TEXT_VIEW (self->original_view), &a, 0.0, TRUE, 0.0, 0.3);
}

/* The panes go back to where they were once the new text is laid out. */
static gboolean
put_back_scroll (gpointer user_data)
{
  DeskReviewView *self = user_data;

  self->place_source = 0;
  self->syncing_scroll = TRUE;
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->edited_scroller), self->kept_edited_scroll);
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->original_scroller), self->kept_original_scroll);
  self->syncing_scroll = FALSE;
  return G_SOURCE_REMOVE;
}

void
_desk_review_view_put_back_place (DeskReviewView *self)
{
  GtkTextBuffer *edited = GTK_TEXT_BUFFER (edited_buffer (self));
  GtkTextIter cursor;

  gtk_text_buffer_get_iter_at_offset (edited, &cursor, self->kept_cursor);
  gtk_text_buffer_place_cursor (edited, &cursor);
  g_clear_handle_id (&self->place_source, g_source_remove);
  self->place_source = g_idle_add_full (GDK_PRIORITY_REDRAW + 10, put_back_scroll, self, NULL);
}

/* The next desk_review_view_load() of the release on screen (it changed in
 * the store, under another editor's hand) keeps the editor's place: the
 * cursor in the edited copy and where both panes are scrolled to. */
void
desk_review_view_keep_place (DeskReviewView *self)
{
  GtkTextBuffer *edited;
  GtkTextIter cursor;

  g_return_if_fail (DESK_IS_REVIEW_VIEW (self));

  if (self->release == NULL)
    return;
  edited = GTK_TEXT_BUFFER (edited_buffer (self));
  gtk_text_buffer_get_iter_at_mark (edited, &cursor, gtk_text_buffer_get_insert (edited));
  self->kept_release_id = desk_release_get_id (self->release);
  self->kept_cursor = gtk_text_iter_get_offset (&cursor);
  self->kept_original_scroll = gtk_adjustment_get_value (gtk_scrolled_window_get_vadjustment (self->original_scroller));
  self->kept_edited_scroll = gtk_adjustment_get_value (gtk_scrolled_window_get_vadjustment (self->edited_scroller));
}

void
_desk_review_view_scroll_init (DeskReviewView *self)
{
  g_signal_connect_object (gtk_scrolled_window_get_vadjustment (self->original_scroller), "value-changed",
                           G_CALLBACK (original_scrolled), self, 0);
  g_signal_connect_object (gtk_scrolled_window_get_vadjustment (self->edited_scroller), "value-changed",
                           G_CALLBACK (edited_scrolled), self, 0);
}
