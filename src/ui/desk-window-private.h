/* desk-window-private.h — the window's internals shared between its files
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "desk-window.h"

G_BEGIN_DECLS

DeskStore       *_desk_window_get_store          (DeskWindow     *self);
AdwToastOverlay *_desk_window_get_toasts         (DeskWindow     *self);
GCancellable    *_desk_window_get_cancellable    (DeskWindow     *self);

/* desk-window-backup.c */
void             _desk_window_class_init_backup  (GtkWidgetClass *widget_class);

G_END_DECLS
