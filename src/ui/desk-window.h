/* desk-window.h
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "desk-release-list.h"
#include "desk-review-view.h"
#include "desk-store.h"

G_BEGIN_DECLS

#define DESK_TYPE_WINDOW (desk_window_get_type ())

G_DECLARE_FINAL_TYPE (DeskWindow, desk_window, DESK, WINDOW, AdwApplicationWindow)

DeskWindow      *desk_window_new             (GtkApplication     *application,
                                              DeskStore          *store);
DeskReleaseList *desk_window_get_releases    (DeskWindow         *self);
/* Whether the window shows a team desk (PostgreSQL). */
gboolean         desk_window_is_team_desk    (DeskWindow         *self);
DeskReviewView  *desk_window_get_review_view (DeskWindow         *self);
void             desk_window_show_release    (DeskWindow         *self,
                                              gint64              id);
void             desk_window_reload          (DeskWindow         *self);
void             desk_window_import          (DeskWindow         *self,
                                              const char * const *paths);
void             desk_window_select_queue    (DeskWindow         *self,
                                              int                 status);
void             desk_window_select_position (DeskWindow         *self,
                                              guint               position);
gboolean         desk_window_move_current    (DeskWindow         *self,
                                              DeskStatus          to,
                                              const char         *note,
                                              GError            **error);

gboolean         desk_window_decide_sponsored (DeskWindow         *self,
                                               DeskSponsorDecision decision,
                                               const char         *reason,
                                               GError            **error);
gboolean         desk_window_clean_up        (DeskWindow         *self,
                                              GError            **error);
gboolean         desk_window_undo_clean_up   (DeskWindow         *self,
                                              GError            **error);
gboolean         desk_window_publish_to      (DeskWindow         *self,
                                              gint64              target_id,
                                              GError            **error);
gboolean         desk_window_export          (DeskWindow         *self,
                                              char              **out_folder,
                                              GError            **error);
GtkWidget       *desk_window_get_sponsor_banner (DeskWindow      *self);
void             desk_window_select_queue_sponsored (DeskWindow  *self);
void             desk_window_back_up         (DeskWindow         *self,
                                              const char         *path);

G_END_DECLS
