/* desk-workflow.h — a release's statuses and the moves between them
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  DESK_STATUS_NEW,
  DESK_STATUS_IN_REVIEW,
  DESK_STATUS_CHANGES_REQUESTED,
  DESK_STATUS_APPROVED,
  DESK_STATUS_REJECTED,
  DESK_STATUS_PUBLISHED,
  DESK_STATUS_CORRECTED,
  DESK_STATUS_WITHDRAWN,
} DeskStatus;

#define DESK_N_STATUSES (DESK_STATUS_WITHDRAWN + 1)

const char *desk_status_to_string        (DeskStatus   status);
gboolean    desk_status_from_string      (const char  *name,
                                          DeskStatus  *out_status);
const char *desk_status_get_label        (DeskStatus   status);

gboolean    desk_status_has_approved_copy (DeskStatus  status);

gboolean    desk_workflow_can_move       (DeskStatus   from,
                                          DeskStatus   to);
gboolean    desk_workflow_check_move     (DeskStatus   from,
                                          DeskStatus   to,
                                          GError     **error);
guint       desk_workflow_get_moves_from (DeskStatus   from,
                                          DeskStatus  *out_moves);

G_END_DECLS
