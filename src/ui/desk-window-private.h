/* desk-window-private.h — the window's internals shared between its files
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "desk-window.h"

G_BEGIN_DECLS

DeskStore       *_desk_window_get_store          (DeskWindow     *self);
GtkListView     *_desk_window_get_list_view      (DeskWindow     *self);
AdwToastOverlay *_desk_window_get_toasts         (DeskWindow     *self);
GCancellable    *_desk_window_get_cancellable    (DeskWindow     *self);
void             _desk_window_reload_list        (DeskWindow     *self);
void             _desk_window_refresh_counts     (DeskWindow     *self);
void             _desk_window_show_release       (DeskWindow     *self,
                                                  gint64          id);

/* desk-window-backup.c */
void             _desk_window_class_init_backup  (GtkWidgetClass *widget_class);

/* desk-window-live.c: following what other processes write */
typedef struct _DeskWindowFollow DeskWindowFollow;

DeskWindowFollow *_desk_window_follow_new        (DeskWindow       *window);
void             _desk_window_follow_free        (DeskWindowFollow *follow);
void             _desk_window_class_init_follow  (GtkWidgetClass   *widget_class);

/* desk-window-ingest.c: the desk's sources, running while the window is open */
typedef struct _DeskWindowIngest DeskWindowIngest;

DeskWindowIngest *_desk_window_ingest_new        (DeskWindow       *window);
void             _desk_window_ingest_free        (DeskWindowIngest *ingest);
/* desk-window-copies.c: one story from several wires */
char            *_desk_window_describe_copies    (DeskWindow       *self,
                                                  gint64            release_id);

G_END_DECLS
