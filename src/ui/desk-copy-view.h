/* desk-copy-view.h — a pane of copy that marks where text is missing
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtksourceview/gtksource.h>

G_BEGIN_DECLS

#define DESK_TYPE_COPY_VIEW (desk_copy_view_get_type ())

G_DECLARE_FINAL_TYPE (DeskCopyView, desk_copy_view, DESK, COPY_VIEW, GtkSourceView)

void    desk_copy_view_set_gaps      (DeskCopyView  *self,
                                      GArray        *offsets);
GArray *desk_copy_view_get_gaps      (DeskCopyView  *self);
void    desk_copy_view_set_gap_color (DeskCopyView  *self,
                                      const GdkRGBA *color);

G_END_DECLS
