/* desk-preferences.h — the desk's settings: the editor, and where copy is
 * published
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "desk-outbox.h"
#include "desk-store.h"

G_BEGIN_DECLS

#define DESK_TYPE_PREFERENCES_WINDOW (desk_preferences_window_get_type ())

G_DECLARE_FINAL_TYPE (DeskPreferencesWindow, desk_preferences_window, DESK, PREFERENCES_WINDOW, AdwPreferencesWindow)

GtkWindow *desk_preferences_window_new           (GtkWindow             *parent,
                                                  DeskStore             *store);
guint      desk_preferences_window_get_n_targets (DeskPreferencesWindow *self);
gboolean   desk_preferences_add_target           (DeskStore             *store,
                                                  DeskTargetKind         kind,
                                                  const char            *name,
                                                  const char            *url,
                                                  const char            *user,
                                                  const char            *post_status,
                                                  const char            *folder,
                                                  const char            *secret,
                                                  gboolean              *out_session_only,
                                                  GError               **error);
gboolean   desk_preferences_edit_target          (DeskStore             *store,
                                                  gint64                 target_id,
                                                  const char            *url,
                                                  const char            *user,
                                                  const char            *post_status,
                                                  const char            *folder,
                                                  const char            *secret,
                                                  gboolean              *out_session_only,
                                                  GError               **error);

G_END_DECLS
