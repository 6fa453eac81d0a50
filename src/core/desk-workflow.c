/* desk-workflow.c — a release's statuses and the moves between them
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "desk-error.h"
#include "desk-workflow.h"

static const char * const status_names[DESK_N_STATUSES] = {
  [DESK_STATUS_NEW] = "new",
  [DESK_STATUS_IN_REVIEW] = "in_review",
  [DESK_STATUS_CHANGES_REQUESTED] = "changes_requested",
  [DESK_STATUS_APPROVED] = "approved",
  [DESK_STATUS_REJECTED] = "rejected",
  [DESK_STATUS_PUBLISHED] = "published",
  [DESK_STATUS_CORRECTED] = "corrected",
  [DESK_STATUS_WITHDRAWN] = "withdrawn",
};

/* The one table of allowed moves: the store refuses every other one and the
 * window enables its actions from it.  A correction of published copy is
 * approved again before it goes out, so that what is published is always an
 * approved revision. */
#define MOVE(s) (1u << (s))
static const guint allowed_moves[DESK_N_STATUSES] = {
  [DESK_STATUS_NEW] = MOVE (DESK_STATUS_IN_REVIEW) | MOVE (DESK_STATUS_REJECTED),
  [DESK_STATUS_IN_REVIEW] = MOVE (DESK_STATUS_APPROVED) |
                            MOVE (DESK_STATUS_CHANGES_REQUESTED) |
                            MOVE (DESK_STATUS_REJECTED),
  [DESK_STATUS_CHANGES_REQUESTED] = MOVE (DESK_STATUS_IN_REVIEW) |
                                    MOVE (DESK_STATUS_REJECTED),
  [DESK_STATUS_APPROVED] = MOVE (DESK_STATUS_IN_REVIEW) |
                           MOVE (DESK_STATUS_PUBLISHED),
  [DESK_STATUS_REJECTED] = MOVE (DESK_STATUS_IN_REVIEW),
  [DESK_STATUS_PUBLISHED] = MOVE (DESK_STATUS_CORRECTED) |
                            MOVE (DESK_STATUS_WITHDRAWN),
  [DESK_STATUS_CORRECTED] = MOVE (DESK_STATUS_APPROVED) |
                            MOVE (DESK_STATUS_WITHDRAWN),
  [DESK_STATUS_WITHDRAWN] = 0,
};
#undef MOVE

static gboolean
status_is_valid (DeskStatus status)
{
  return (guint) status < DESK_N_STATUSES;
}

const char *
desk_status_to_string (DeskStatus status)
{
  g_return_val_if_fail (status_is_valid (status), NULL);

  return status_names[status];
}

gboolean
desk_status_from_string (const char *name,
                         DeskStatus *out_status)
{
  g_return_val_if_fail (out_status != NULL, FALSE);

  if (name == NULL)
    return FALSE;

  for (guint i = 0; i < DESK_N_STATUSES; i++)
    {
      if (g_strcmp0 (name, status_names[i]) == 0)
        {
          *out_status = (DeskStatus) i;
          return TRUE;
        }
    }

  return FALSE;
}

const char *
desk_status_get_label (DeskStatus status)
{
  switch (status)
    {
    case DESK_STATUS_NEW:
      return _("New");
    case DESK_STATUS_IN_REVIEW:
      return _("In review");
    case DESK_STATUS_CHANGES_REQUESTED:
      return _("Changes requested");
    case DESK_STATUS_APPROVED:
      return _("Approved");
    case DESK_STATUS_REJECTED:
      return _("Rejected");
    case DESK_STATUS_PUBLISHED:
      return _("Published");
    case DESK_STATUS_CORRECTED:
      return _("Corrected");
    case DESK_STATUS_WITHDRAWN:
      return _("Withdrawn");
    default:
      g_return_val_if_reached (NULL);
    }
}

gboolean
desk_workflow_can_move (DeskStatus from,
                        DeskStatus to)
{
  if (!status_is_valid (from) || !status_is_valid (to))
    return FALSE;

  return (allowed_moves[from] & (1u << to)) != 0;
}

/* Whether a release in @status has approved copy that may go out (be
 * exported or published): approved, and what was published or corrected
 * after publication. */
gboolean
desk_status_has_approved_copy (DeskStatus status)
{
  return status == DESK_STATUS_APPROVED || status == DESK_STATUS_PUBLISHED ||
         status == DESK_STATUS_CORRECTED;
}

gboolean
desk_workflow_check_move (DeskStatus   from,
                          DeskStatus   to,
                          GError     **error)
{
  if (desk_workflow_can_move (from, to))
    return TRUE;

  g_set_error (error, DESK_ERROR, DESK_ERROR_ILLEGAL_TRANSITION,
               /* Translators: both are status names, e.g. "new" and "published" */
               _("A release cannot move from “%s” to “%s”"),
               status_is_valid (from) ? status_names[from] : "?",
               status_is_valid (to) ? status_names[to] : "?");
  return FALSE;
}

/* Fills @out_moves (room for DESK_N_STATUSES) with the statuses @from may
 * move to, in the order of the enum, and returns how many there are. */
guint
desk_workflow_get_moves_from (DeskStatus  from,
                              DeskStatus *out_moves)
{
  guint n = 0;

  g_return_val_if_fail (out_moves != NULL, 0);

  for (guint to = 0; to < DESK_N_STATUSES; to++)
    if (desk_workflow_can_move (from, (DeskStatus) to))
      out_moves[n++] = (DeskStatus) to;

  return n;
}
