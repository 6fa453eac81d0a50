/* desk-test-ui.h — what the in-process window tests share
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "desk-store.h"
#include "desk-window.h"

G_BEGIN_DECLS

/* A window test's world: a temporary folder with a store in it, and the
 * window the test opens on it (destroyed at the end). */
typedef struct {
  char       *dir;
  char       *db_path;
  DeskStore  *store;
  DeskWindow *window;
} DeskTestWindowFixture;

void     desk_test_window_fixture_set_up    (DeskTestWindowFixture *fixture,
                                             gconstpointer          data);
void     desk_test_window_fixture_tear_down (DeskTestWindowFixture *fixture,
                                             gconstpointer          data);


void     desk_test_ui_spin             (guint       ms);
gboolean desk_test_ui_shows            (GtkWidget  *widget,
                                        const char *text);
void     desk_test_ui_xdotool          (const char *first,
                                        ...) G_GNUC_NULL_TERMINATED;
void     desk_test_ui_focus_window     (GtkWindow  *window);
gboolean desk_test_ui_wait_until_shown (GtkWidget  *widget,
                                        const char *text);
gboolean desk_test_ui_click_button    (GtkWidget  *widget,
                                       const char *label);

G_END_DECLS
