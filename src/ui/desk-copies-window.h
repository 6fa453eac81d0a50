/* desk-copies-window.h — two copies of one story side by side
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "desk-store.h"

G_BEGIN_DECLS

#define DESK_TYPE_COPIES_WINDOW (desk_copies_window_get_type ())

G_DECLARE_FINAL_TYPE (DeskCopiesWindow, desk_copies_window, DESK, COPIES_WINDOW, AdwWindow)

GtkWindow     *desk_copies_window_new          (GtkWindow        *parent,
                                                DeskStore        *store,
                                                gint64            release_id,
                                                GError          **error);
gint64         desk_copies_window_get_left     (DeskCopiesWindow *self);
gint64         desk_copies_window_get_right    (DeskCopiesWindow *self);
gboolean       desk_copies_window_set_left     (DeskCopiesWindow *self,
                                                gint64            release_id);
guint          desk_copies_window_get_n_copies (DeskCopiesWindow *self);
guint          desk_copies_window_get_n_changes (DeskCopiesWindow *self);
GtkTextBuffer *desk_copies_window_get_buffer   (DeskCopiesWindow *self,
                                                gboolean          left);

G_END_DECLS
