/* desk-release-row.h — one release in the list
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "desk-release.h"

G_BEGIN_DECLS

#define DESK_TYPE_RELEASE_ROW (desk_release_row_get_type ())

G_DECLARE_FINAL_TYPE (DeskReleaseRow, desk_release_row, DESK, RELEASE_ROW, GtkWidget)

DeskRelease *desk_release_row_get_release (DeskReleaseRow *self);
void         desk_release_row_set_release (DeskReleaseRow *self,
                                           DeskRelease    *release);

/* Shared with the window's action bar and banner. */
const char  *desk_verdict_get_label       (DeskVerdict     verdict);
void         desk_status_badge_set        (GtkLabel       *label,
                                           DeskStatus      status);
void         desk_verdict_badge_set       (GtkLabel       *label,
                                           DeskVerdict     verdict);
char        *desk_format_received         (gint64          usec);

G_END_DECLS
