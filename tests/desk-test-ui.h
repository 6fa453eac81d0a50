/* desk-test-ui.h — what the in-process window tests share
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void     desk_test_ui_spin             (guint       ms);
gboolean desk_test_ui_shows            (GtkWidget  *widget,
                                        const char *text);
gboolean desk_test_ui_wait_until_shown (GtkWidget  *widget,
                                        const char *text);

G_END_DECLS
