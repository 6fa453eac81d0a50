/* desk-copy-view.c — a pane of copy that marks where text is missing
 *
 * Text taken out of one side of a comparison leaves nothing to highlight
 * on the other: Meld draws a connector there.  A DeskCopyView draws a
 * gap marker — a caret in the colour of the change — at each character
 * offset it is given, over the text, for the lines in view only, so a
 * long release with many changes costs what a screenful costs.
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "desk-copy-view.h"

#define GAP_WIDTH 3.0f

struct _DeskCopyView
{
  GtkSourceView parent_instance;

  GArray       *gaps;        /* guint character offsets, ascending */
  GdkRGBA       gap_color;
};

G_DEFINE_FINAL_TYPE (DeskCopyView, desk_copy_view, GTK_SOURCE_TYPE_VIEW)

static void
desk_copy_view_snapshot_layer (GtkTextView      *text_view,
                               GtkTextViewLayer  layer,
                               GtkSnapshot      *snapshot)
{
  DeskCopyView *self = DESK_COPY_VIEW (text_view);
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (text_view);
  GdkRectangle visible;

  GTK_TEXT_VIEW_CLASS (desk_copy_view_parent_class)->snapshot_layer (text_view, layer, snapshot);

  if (layer != GTK_TEXT_VIEW_LAYER_ABOVE_TEXT || self->gaps == NULL || self->gaps->len == 0)
    return;

  gtk_text_view_get_visible_rect (text_view, &visible);
  for (guint i = 0; i < self->gaps->len; i++)
    {
      GtkTextIter iter;
      GdkRectangle where;
      float x, y, h;

      gtk_text_buffer_get_iter_at_offset (buffer, &iter, (int) g_array_index (self->gaps, guint, i));
      gtk_text_view_get_iter_location (text_view, &iter, &where);
      if (where.y + where.height < visible.y)
        continue;
      if (where.y > visible.y + visible.height)
        break;

      /* A bar where the text was, with a foot either side: a caret. */
      x = (float) where.x - GAP_WIDTH / 2;
      y = (float) where.y;
      h = (float) MAX (where.height, 8);
      gtk_snapshot_append_color (snapshot, &self->gap_color,
                                 &GRAPHENE_RECT_INIT (x, y, GAP_WIDTH, h));
      gtk_snapshot_append_color (snapshot, &self->gap_color,
                                 &GRAPHENE_RECT_INIT (x - 3, y + h - GAP_WIDTH, GAP_WIDTH * 3, GAP_WIDTH));
    }
}

static void
desk_copy_view_finalize (GObject *object)
{
  DeskCopyView *self = DESK_COPY_VIEW (object);

  g_clear_pointer (&self->gaps, g_array_unref);

  G_OBJECT_CLASS (desk_copy_view_parent_class)->finalize (object);
}

static void
desk_copy_view_class_init (DeskCopyViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkTextViewClass *text_view_class = GTK_TEXT_VIEW_CLASS (klass);

  object_class->finalize = desk_copy_view_finalize;
  text_view_class->snapshot_layer = desk_copy_view_snapshot_layer;
}

static void
desk_copy_view_init (DeskCopyView *self)
{
  gdk_rgba_parse (&self->gap_color, "#c01c28");
}

/* Marks a gap before each of the character @offsets (ascending; taken
 * over, may be NULL). */
void
desk_copy_view_set_gaps (DeskCopyView *self,
                         GArray       *offsets)
{
  g_return_if_fail (DESK_IS_COPY_VIEW (self));

  g_clear_pointer (&self->gaps, g_array_unref);
  self->gaps = offsets;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* The offsets marked, or NULL when none is. */
GArray *
desk_copy_view_get_gaps (DeskCopyView *self)
{
  g_return_val_if_fail (DESK_IS_COPY_VIEW (self), NULL);

  return self->gaps;
}

void
desk_copy_view_set_gap_color (DeskCopyView  *self,
                              const GdkRGBA *color)
{
  g_return_if_fail (DESK_IS_COPY_VIEW (self));

  self->gap_color = *color;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}
