/* test-workflow.c — the table of allowed moves, in full
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "desk-error.h"
#include "desk-workflow.h"

/* The workflow as DESIGN.md draws it, written out independently of the
 * core's table so that a change to either shows here. */
static const struct { const char *from; const char *to; } expected_moves[] = {
  { "new", "in_review" },
  { "new", "rejected" },
  { "in_review", "approved" },
  { "in_review", "changes_requested" },
  { "in_review", "rejected" },
  { "changes_requested", "in_review" },
  { "changes_requested", "rejected" },
  { "approved", "in_review" },
  { "approved", "published" },
  { "rejected", "in_review" },
  { "published", "corrected" },
  { "published", "withdrawn" },
  { "corrected", "approved" },
  { "corrected", "withdrawn" },
};

static gboolean
expected (DeskStatus from,
          DeskStatus to)
{
  for (gsize i = 0; i < G_N_ELEMENTS (expected_moves); i++)
    if (g_str_equal (expected_moves[i].from, desk_status_to_string (from)) &&
        g_str_equal (expected_moves[i].to, desk_status_to_string (to)))
      return TRUE;
  return FALSE;
}

static void
test_status_names_round_trip (void)
{
  const char *names[] = { "new", "in_review", "changes_requested", "approved",
                          "rejected", "published", "corrected", "withdrawn" };

  g_assert_cmpint (G_N_ELEMENTS (names), ==, DESK_N_STATUSES);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      DeskStatus status;

      g_assert_true (desk_status_from_string (names[i], &status));
      g_assert_cmpstr (desk_status_to_string (status), ==, names[i]);
      g_assert_nonnull (desk_status_get_label (status));
    }
}

static void
test_unknown_status_names_are_refused (void)
{
  DeskStatus status = DESK_STATUS_APPROVED;

  g_assert_false (desk_status_from_string ("Approved", &status));
  g_assert_false (desk_status_from_string ("", &status));
  g_assert_false (desk_status_from_string (NULL, &status));
  g_assert_false (desk_status_from_string ("in review", &status));
  g_assert_cmpint (status, ==, DESK_STATUS_APPROVED);
}

static void
test_every_pair_of_statuses_follows_the_table (void)
{
  guint allowed = 0;

  for (guint from = 0; from < DESK_N_STATUSES; from++)
    for (guint to = 0; to < DESK_N_STATUSES; to++)
      {
        g_autoptr(GError) error = NULL;
        gboolean want = expected (from, to);
        gboolean ok = desk_workflow_check_move (from, to, &error);

        g_assert_cmpint (desk_workflow_can_move (from, to), ==, want);
        g_assert_cmpint (ok, ==, want);
        if (want)
          {
            g_assert_no_error (error);
            allowed++;
          }
        else
          {
            g_assert_error (error, DESK_ERROR, DESK_ERROR_ILLEGAL_TRANSITION);
            /* The message names both statuses. */
            g_assert_nonnull (strstr (error->message, desk_status_to_string (from)));
            g_assert_nonnull (strstr (error->message, desk_status_to_string (to)));
          }
      }

  g_assert_cmpuint (allowed, ==, G_N_ELEMENTS (expected_moves));
}

static void
test_no_status_moves_to_itself (void)
{
  for (guint s = 0; s < DESK_N_STATUSES; s++)
    g_assert_false (desk_workflow_can_move (s, s));
}

static void
test_moves_from_lists_what_can_move (void)
{
  DeskStatus moves[DESK_N_STATUSES];
  guint n = desk_workflow_get_moves_from (DESK_STATUS_IN_REVIEW, moves);

  g_assert_cmpuint (n, ==, 3);
  g_assert_cmpint (moves[0], ==, DESK_STATUS_CHANGES_REQUESTED);
  g_assert_cmpint (moves[1], ==, DESK_STATUS_APPROVED);
  g_assert_cmpint (moves[2], ==, DESK_STATUS_REJECTED);
  g_assert_cmpuint (desk_workflow_get_moves_from (DESK_STATUS_WITHDRAWN, moves), ==, 0);
}

static void
test_out_of_range_statuses_never_move (void)
{
  g_assert_false (desk_workflow_can_move (DESK_N_STATUSES, DESK_STATUS_NEW));
  g_assert_false (desk_workflow_can_move (DESK_STATUS_NEW, DESK_N_STATUSES));
  g_assert_false (desk_workflow_can_move ((DeskStatus) -1, DESK_STATUS_NEW));
}

/* Copy may go out from these three statuses and no other: export and
 * the window's Export both ask this. */
static void
test_only_approved_copy_may_go_out (void)
{
  for (int status = 0; status < DESK_N_STATUSES; status++)
    g_assert_cmpint (desk_status_has_approved_copy (status), ==,
                     status == DESK_STATUS_APPROVED || status == DESK_STATUS_PUBLISHED ||
                     status == DESK_STATUS_CORRECTED);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/workflow/status-names/round-trip", test_status_names_round_trip);
  g_test_add_func ("/workflow/status-names/unknown-are-refused", test_unknown_status_names_are_refused);
  g_test_add_func ("/workflow/moves/every-pair-follows-the-table", test_every_pair_of_statuses_follows_the_table);
  g_test_add_func ("/workflow/moves/no-status-moves-to-itself", test_no_status_moves_to_itself);
  g_test_add_func ("/workflow/moves/listed-from-a-status", test_moves_from_lists_what_can_move);
  g_test_add_func ("/workflow/moves/out-of-range-never-move", test_out_of_range_statuses_never_move);
  g_test_add_func ("/workflow/only-approved-copy-may-go-out", test_only_approved_copy_may_go_out);

  return g_test_run ();
}
