/* desk-describe.c — what the desk keeps, said in an editor's words
 *
 * Events are stored with short ids ("publish-queued", "check-overridden")
 * so that any version can read them; the window and the command line show
 * them as sentences in the editor's language, written here once.
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "desk-describe.h"
#include "desk-store.h"
#include "desk-workflow.h"

/* A move, named by where it went. */
static char *
describe_move (DeskStatus from,
               DeskStatus to)
{
  switch (to)
    {
    case DESK_STATUS_IN_REVIEW:
      return g_strdup (from == DESK_STATUS_NEW ? _("Review started") : _("Back in review"));
    case DESK_STATUS_APPROVED:
      return g_strdup (_("Approved"));
    case DESK_STATUS_CHANGES_REQUESTED:
      return g_strdup (_("Changes requested"));
    case DESK_STATUS_REJECTED:
      return g_strdup (_("Rejected"));
    case DESK_STATUS_PUBLISHED:
      return g_strdup (_("Published"));
    case DESK_STATUS_CORRECTED:
      return g_strdup (_("Corrected"));
    case DESK_STATUS_WITHDRAWN:
      return g_strdup (_("Withdrawn"));
    case DESK_STATUS_NEW:
    default:
      /* Translators: %s is a status, e.g. "New" */
      return g_strdup_printf (_("Moved to %s"), desk_status_get_label (to));
    }
}

/* "Approved", "Queued for publishing", "Pre-publish check overridden":
 * an event in words, in the language of the user interface.  An action
 * this version does not know is shown as it was stored. */
char *
desk_event_describe (const DeskEvent *event)
{
  DeskStatus from = DESK_STATUS_NEW;
  DeskStatus to = DESK_STATUS_NEW;
  gboolean has_from, has_to;
  const char *action;

  g_return_val_if_fail (event != NULL, NULL);

  action = event->action != NULL ? event->action : "";
  has_from = desk_status_from_string (event->from_status, &from);
  has_to = desk_status_from_string (event->to_status, &to);

  if (g_str_equal (action, "imported"))
    return g_strdup (_("Imported"));
  if (g_str_equal (action, "edited"))
    {
      if (has_from && has_to)
        /* Translators: %s is a status, e.g. "In Review" */
        return g_strdup_printf (_("Edited, back to %s"), desk_status_get_label (to));
      return g_strdup (_("Edited"));
    }
  if (g_str_equal (action, "undo"))
    {
      if (has_to)
        /* Translators: %s is a status, e.g. "New" */
        return g_strdup_printf (_("Move undone, back to %s"), desk_status_get_label (to));
      return g_strdup (_("Move undone"));
    }
  if (g_str_equal (action, "status") && has_to)
    return describe_move (has_from ? from : DESK_STATUS_NEW, to);
  if (g_str_equal (action, DESK_EVENT_CHECK_OVERRIDDEN))
    return g_strdup (_("Pre-publish check overridden"));
  if (g_str_equal (action, "marked-sponsored"))
    return g_strdup (_("Marked sponsored"));
  if (g_str_equal (action, "marked-third-party"))
    return g_strdup (_("Marked third-party"));
  if (g_str_equal (action, "marked-not-sponsored"))
    return g_strdup (_("Marked not sponsored"));
  if (g_str_equal (action, "sponsor-decision-cleared"))
    return g_strdup (_("Sponsor decision cleared"));
  if (g_str_equal (action, "sponsor-decision"))
    return g_strdup (_("Sponsor decision recorded"));
  if (g_str_equal (action, "cleaned-up"))
    return g_strdup (_("Wire furniture cleaned up"));
  if (g_str_equal (action, "publish-queued"))
    return g_strdup (_("Queued for publishing"));
  if (g_str_equal (action, "publish-failed"))
    return g_strdup (_("Publishing failed"));
  if (g_str_equal (action, "published"))
    return g_strdup (_("Published"));
  /* Approving one copy of a story sets the others aside (desk-copies.c). */
  if (g_str_equal (action, "set-aside"))
    return g_strdup (_("Set aside: another copy of the story was approved"));
  if (has_to)
    return describe_move (has_from ? from : DESK_STATUS_NEW, to);
  return g_strdup (action);
}

/* A publish target's name as the editor reads it: the name typed when it
 * was set up, or, for the local folder every desk starts with (stored as
 * "local"), "Local Folder". */
const char *
desk_target_get_display_name (const char *name)
{
  if (name == NULL || g_str_equal (name, "local"))
    return _("Local Folder");
  return name;
}
