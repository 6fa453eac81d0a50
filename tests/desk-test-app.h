/* desk-test-app.h — running the real app under Xvfb, driven by xdotool
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

gboolean     desk_test_app_can_run   (void);
GSubprocess *desk_test_app_start     (const char         *db_path,
                                      const char * const *extra_args);
void         desk_test_app_xdotool   (const char *first,
                                      ...) G_GNUC_NULL_TERMINATED;
void         desk_test_app_settle    (guint       ms);

G_END_DECLS
