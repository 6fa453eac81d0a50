/* desk-history-window.h — a release's revisions and events
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "desk-store.h"

G_BEGIN_DECLS

#define DESK_TYPE_HISTORY_WINDOW (desk_history_window_get_type ())

G_DECLARE_FINAL_TYPE (DeskHistoryWindow, desk_history_window, DESK, HISTORY_WINDOW, AdwWindow)

GtkWindow *desk_history_window_new              (GtkWindow         *parent,
                                                 DeskStore         *store,
                                                 gint64             release_id);
void       desk_history_window_select_revision  (DeskHistoryWindow *self,
                                                 guint              index);
gboolean   desk_history_window_restore_selected (DeskHistoryWindow *self,
                                                 GError           **error);
GtkTextBuffer *desk_history_window_get_diff_buffer (DeskHistoryWindow *self);
guint      desk_history_window_get_n_revisions  (DeskHistoryWindow *self);
guint      desk_history_window_get_n_events     (DeskHistoryWindow *self);

G_END_DECLS
