/* test-check.c — the pre-publish check, the editor's verdict and the
 * disclosure labels every desk has
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>
#include <sqlite3.h>

#include "desk-check.h"
#include "desk-disclosure.h"
#include "desk-error.h"
#include "desk-export.h"
#include "desk-outbox.h"
#include "desk-settings.h"
#include "desk-test-util.h"

typedef struct {
  char      *dir;
  char      *path;
  DeskStore *store;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("copydesk-check-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "desk.db", NULL);
  fixture->store = desk_store_open (fixture->path, &error);
  g_assert_no_error (error);
  g_setenv ("COPYDESK_PUBLISH_DIR", fixture->dir, TRUE);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->store);
  desk_test_remove_tree (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->dir);
}

static DeskStatus
status_of (Fixture *fixture,
           gint64   id)
{
  g_autoptr(DeskRelease) release = desk_store_get_release (fixture->store, id, NULL);

  return desk_release_get_status (release);
}

static void
move (Fixture    *fixture,
      gint64      id,
      DeskStatus  to)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (desk_move_release (fixture->store, id, to, "Ana", NULL, NULL, &error));
  g_assert_no_error (error);
}

/* The actions of the release's events, oldest first, joined by spaces. */
static char *
actions_of (Fixture *fixture,
            gint64   id)
{
  g_autoptr(GPtrArray) events = desk_store_list_events (fixture->store, id, NULL);
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < events->len; i++)
    {
      DeskEvent *event = g_ptr_array_index (events, i);

      g_string_append_printf (out, "%s%s", i ? " " : "", event->action);
    }
  return g_string_free (out, FALSE);
}

static gint64
local_target (Fixture *fixture)
{
  g_autoptr(DeskTarget) target = desk_store_find_target (fixture->store, DESK_DEFAULT_TARGET_NAME, NULL);

  return target->id;
}

static void
test_furniture_names_each_piece_with_its_place (Fixture       *fixture,
                                                gconstpointer  data)
{
  gint64 id = desk_test_add_seed (fixture->store);
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskCheck) check = desk_check_release (fixture->store, id, &error);
  g_autoptr(DeskRelease) release = desk_store_get_release (fixture->store, id, NULL);
  g_autofree char *description = NULL;
  gboolean credit = FALSE;

  g_assert_no_error (error);
  g_assert_false (desk_check_passes (check));
  g_assert_cmpuint (check->n_refusals, ==, 0);
  g_assert_cmpuint (check->n_furniture, >=, 3);
  for (guint i = 0; i < check->problems->len; i++)
    {
      DeskCheckProblem *problem = g_ptr_array_index (check->problems, i);
      const char *text = desk_release_get_current_text (release);
      g_autofree char *span = g_utf8_substring (text, problem->start, problem->end);

      g_assert_cmpint (problem->kind, ==, DESK_CHECK_FURNITURE);
      g_assert_cmpstr (span, ==, problem->evidence);
      if (g_str_has_prefix (problem->evidence, "(SeaPRwire)"))
        credit = TRUE;
    }
  g_assert_true (credit);
  description = desk_check_describe (check);
  g_assert_nonnull (strstr (description, "wire credit “(SeaPRwire) –”"));
  g_assert_nonnull (strstr (description, "disclaimer"));
  g_assert_nonnull (strstr (description, "sector line"));
}

/* The seed as received may not be approved; cleaned up it may. */
static void
test_furniture_stops_approval_until_cleaned_up (Fixture       *fixture,
                                                gconstpointer  data)
{
  gint64 id = desk_test_add_seed (fixture->store);
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskCheck) check = NULL;
  gint64 revision_id = 0;

  move (fixture, id, DESK_STATUS_IN_REVIEW);
  g_assert_false (desk_move_release (fixture->store, id, DESK_STATUS_APPROVED, "Ana", NULL, NULL, &error));
  g_assert_error (error, DESK_ERROR, DESK_ERROR_CHECK_NEEDS_OVERRIDE);
  g_assert_nonnull (strstr (error->message, "(SeaPRwire)"));
  g_clear_error (&error);
  /* A blank reason is no reason. */
  g_assert_false (desk_move_release (fixture->store, id, DESK_STATUS_APPROVED, "Ana", NULL, "  \n", &error));
  g_assert_error (error, DESK_ERROR, DESK_ERROR_CHECK_NEEDS_OVERRIDE);
  g_clear_error (&error);
  g_assert_cmpint (status_of (fixture, id), ==, DESK_STATUS_IN_REVIEW);

  g_assert_true (desk_store_clean_up_release (fixture->store, id, "Ana", &revision_id, &error));
  g_assert_no_error (error);
  g_assert_cmpint (revision_id, >, 0);
  check = desk_check_release (fixture->store, id, &error);
  g_assert_true (desk_check_passes (check));

  move (fixture, id, DESK_STATUS_APPROVED);
  g_assert_cmpint (status_of (fixture, id), ==, DESK_STATUS_APPROVED);
  g_assert_false (desk_store_get_check_override (fixture->store, id, NULL, NULL));
  g_assert_cmpint (desk_publish_release (fixture->store, id, local_target (fixture), "Ana", NULL, &error), >, 0);
  g_assert_no_error (error);
}

/* An override is a reason, recorded with the approval it lets through;
 * publishing that approval needs no second one, a new approval does. */
static void
test_override_is_recorded_and_holds_for_its_approval_only (Fixture       *fixture,
                                                           gconstpointer  data)
{
  gint64 id = desk_test_add_seed (fixture->store);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(DeskRelease) release = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *actions = NULL;
  DeskEvent *event;

  move (fixture, id, DESK_STATUS_IN_REVIEW);
  g_assert_true (desk_move_release (fixture->store, id, DESK_STATUS_APPROVED, "Ana", "Looks fine",
                                    "  The chief runs it as the wire sent it  ", &error));
  g_assert_no_error (error);
  events = desk_store_list_events (fixture->store, id, NULL);
  event = g_ptr_array_index (events, events->len - 2);
  g_assert_cmpstr (event->action, ==, DESK_EVENT_CHECK_OVERRIDDEN);
  g_assert_cmpstr (event->actor, ==, "Ana");
  g_assert_cmpstr (event->note, ==, "The chief runs it as the wire sent it");
  g_assert_true (desk_store_get_check_override (fixture->store, id, &reason, NULL));
  g_assert_cmpstr (reason, ==, "The chief runs it as the wire sent it");

  /* The approval stays undoable: it is the last event. */
  event = g_ptr_array_index (events, events->len - 1);
  g_assert_cmpstr (event->to_status, ==, "approved");

  /* Back to review and approved again: the old reason no longer counts. */
  move (fixture, id, DESK_STATUS_IN_REVIEW);
  g_assert_false (desk_move_release (fixture->store, id, DESK_STATUS_APPROVED, "Ana", NULL, NULL, &error));
  g_assert_error (error, DESK_ERROR, DESK_ERROR_CHECK_NEEDS_OVERRIDE);
  g_clear_error (&error);

  /* Approved by a path that skipped the check (an older Copydesk): the
   * publish is stopped until a reason is given, then recorded. */
  g_assert_true (desk_store_set_status (fixture->store, id, DESK_STATUS_APPROVED, "Ana", NULL, &error));
  g_assert_cmpint (desk_publish_release (fixture->store, id, local_target (fixture), "Ana", NULL, &error), ==, 0);
  g_assert_error (error, DESK_ERROR, DESK_ERROR_CHECK_NEEDS_OVERRIDE);
  g_clear_error (&error);
  g_assert_cmpint (desk_publish_release (fixture->store, id, local_target (fixture), "Budi", "Chief's call", &error), >, 0);
  g_assert_no_error (error);
  actions = actions_of (fixture, id);
  g_assert_true (g_str_has_suffix (actions, "status check-overridden publish-queued"));

  /* What goes out carries the disclosure in the release's language. */
  release = desk_store_get_release (fixture->store, id, NULL);
  g_assert_cmpint (desk_release_get_effective_verdict (release), !=, DESK_VERDICT_NONE);
  {
    g_autoptr(DeskApprovedCopy) copy = desk_approved_copy_load (fixture->store, id, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (copy->disclosure_label, ==, "Konten bersponsor");
  }
}

/* Furniture above the headline is the editor's to let go: the check
 * names the letterhead's wire credit, never the headline, and an
 * approval over it is recorded with its reason. */
static void
test_check_never_names_the_headline_under_a_letterhead (Fixture       *fixture,
                                                        gconstpointer  data)
{
  gint64 id = desk_test_add_text (fixture->store, DESK_TEST_LETTERHEAD_RELEASE);
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskCheck) check = desk_check_release (fixture->store, id, &error);
  g_autoptr(DeskRelease) release = desk_store_get_release (fixture->store, id, NULL);
  g_autofree char *description = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (desk_release_get_headline (release), ==, DESK_TEST_LETTERHEAD_HEADLINE);
  g_assert_false (desk_check_passes (check));
  g_assert_cmpuint (check->n_refusals, ==, 0);
  for (guint i = 0; i < check->problems->len; i++)
    {
      DeskCheckProblem *problem = g_ptr_array_index (check->problems, i);

      g_assert_null (strstr (problem->evidence != NULL ? problem->evidence : "", DESK_TEST_LETTERHEAD_HEADLINE));
      g_assert_null (strstr (problem->message, DESK_TEST_LETTERHEAD_HEADLINE));
    }
  description = desk_check_describe (check);
  g_assert_null (strstr (description, DESK_TEST_LETTERHEAD_HEADLINE));
  g_assert_nonnull (strstr (description, "(SeaPRwire)"));

  move (fixture, id, DESK_STATUS_IN_REVIEW);
  g_assert_true (desk_move_release (fixture->store, id, DESK_STATUS_APPROVED, "Ana", NULL,
                                    "The ministry's credit line stays", &error));
  g_assert_no_error (error);
  g_assert_true (desk_store_get_check_override (fixture->store, id, NULL, NULL));
}

/* Where the detector reads a letterhead's lines otherwise than the
 * editor, who set the headline in its field, the check still never
 * names the headline; and a body is what stands beside the headline's
 * own line, wherever that is. */
static void
test_check_reads_the_headline_where_the_view_does (void)
{
  const char *headline = "Tarif kapal feri dibekukan hingga akhir 2027";
  const char *text = "KEMENTERIAN PERHUBUNGAN\nREPUBLIK INDONESIA\n"
                     "Tarif kapal feri dibekukan hingga akhir 2027\n"
                     "JAKARTA, 3 Desember 2026 (SeaPRwire) – Kementerian membekukan tarif.\n";
  g_autoptr(DeskCheck) check = desk_check_copy (NULL, headline, text, "id");
  g_autoptr(DeskCheck) empty = desk_check_copy (NULL, "Harbour reopens", "\n\nHarbour reopens\n", "en");
  gboolean letterhead = FALSE;

  for (guint i = 0; i < check->problems->len; i++)
    {
      DeskCheckProblem *problem = g_ptr_array_index (check->problems, i);

      g_assert_null (strstr (problem->evidence != NULL ? problem->evidence : "", headline));
      if (g_strcmp0 (problem->evidence, "KEMENTERIAN PERHUBUNGAN") == 0)
        letterhead = TRUE;
    }
  g_assert_true (letterhead);

  g_assert_cmpuint (empty->problems->len, ==, 1);
  g_assert_cmpint (((DeskCheckProblem *) g_ptr_array_index (empty->problems, 0))->kind, ==, DESK_CHECK_EMPTY_BODY);
}

static void
test_empty_body_and_long_headline_are_refused_whatever_the_reason (Fixture       *fixture,
                                                                   gconstpointer  data)
{
  g_autofree char *long_headline = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  gint64 empty = desk_test_add_text (fixture->store, "Harbour reopens\n\n   \n");
  gint64 id;

  move (fixture, empty, DESK_STATUS_IN_REVIEW);
  g_assert_false (desk_move_release (fixture->store, empty, DESK_STATUS_APPROVED, "Ana", NULL, "Run it", &error));
  g_assert_error (error, DESK_ERROR, DESK_ERROR_CHECK_REFUSED);
  g_assert_nonnull (strstr (error->message, "no body"));
  g_clear_error (&error);
  g_assert_cmpint (status_of (fixture, empty), ==, DESK_STATUS_IN_REVIEW);

  long_headline = g_strnfill (desk_check_get_headline_max () + 1, 'x');
  text = g_strdup_printf ("%s\nThe harbour reopened on Monday.\n", long_headline);
  id = desk_test_add_text (fixture->store, text);
  move (fixture, id, DESK_STATUS_IN_REVIEW);
  g_assert_false (desk_move_release (fixture->store, id, DESK_STATUS_APPROVED, "Ana", NULL, "Run it", &error));
  g_assert_error (error, DESK_ERROR, DESK_ERROR_CHECK_REFUSED);
  g_assert_nonnull (strstr (error->message, "at most 200"));
  g_clear_error (&error);

  /* A shorter headline, as a revision, and it goes. */
  g_assert_true (desk_store_save_revision (fixture->store, id, "Harbour reopens", text, "Ana", NULL, &error));
  move (fixture, id, DESK_STATUS_APPROVED);
}

/* Plain news passes: no furniture, nothing to override. */
static void
test_plain_news_passes (Fixture       *fixture,
                        gconstpointer  data)
{
  gint64 id = desk_test_add_text (fixture->store,
                                  "Harbour reopens after the storm\n"
                                  "The harbour reopened on Monday, three days after the storm.\n"
                                  "Ships that had queued outside came in during the morning.\n");

  g_autofree char *actions = NULL;

  move (fixture, id, DESK_STATUS_IN_REVIEW);
  move (fixture, id, DESK_STATUS_APPROVED);
  actions = actions_of (fixture, id);
  g_assert_cmpstr (actions, ==, "imported status status");
}

/* The editor's verdict: third-party copy (a press release, not paid)
 * is labelled as such and wins over the detector. */
static void
test_editor_decides_third_party (Fixture       *fixture,
                                 gconstpointer  data)
{
  gint64 id = desk_test_add_text (fixture->store,
                                  "Harbour reopens after the storm\n"
                                  "The harbour reopened on Monday, three days after the storm.\n");
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskRelease) release = NULL;
  DeskSponsorDecision decision;

  g_assert_true (desk_sponsor_decision_from_string ("third_party", &decision));
  g_assert_cmpint (decision, ==, DESK_SPONSOR_DECISION_THIRD_PARTY);
  g_assert_true (desk_store_set_sponsor_decision (fixture->store, id, decision, "The port authority's own release",
                                                  "Ana", &error));
  g_assert_no_error (error);
  release = desk_store_get_release (fixture->store, id, NULL);
  g_assert_cmpint (desk_release_get_effective_verdict (release), ==, DESK_VERDICT_THIRD_PARTY);
  g_assert_true (desk_release_get_sponsored (release));
  g_assert_cmpstr (desk_release_get_sponsor_decision_reason (release), ==, "The port authority's own release");
  g_assert_cmpint (desk_test_sql_int (fixture->path, "SELECT count(*) FROM releases WHERE decision = 'third_party'"), ==, 1);
}

/* A desk at schema 5 takes the new verdict after its upgrade, its
 * releases intact. */
static void
test_schema_5_store_upgrades_to_take_third_party (Fixture       *fixture,
                                                  gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "old.db", NULL);
  g_autoptr(GError) error = NULL;
  DeskStore *store = desk_store_open_at_version (path, 5, &error);
  gint64 id;

  g_assert_no_error (error);
  id = desk_test_add_text (store, "Harbour reopens\nThe harbour reopened on Monday.\n");
  g_assert_false (desk_store_set_sponsor_decision (store, id, DESK_SPONSOR_DECISION_THIRD_PARTY, "why", "Ana", &error));
  g_clear_error (&error);
  g_object_unref (store);

  store = desk_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (desk_store_get_schema_version (store), ==, DESK_STORE_SCHEMA_VERSION);
  g_assert_true (desk_store_set_sponsor_decision (store, id, DESK_SPONSOR_DECISION_THIRD_PARTY, "why", "Ana", &error));
  g_assert_no_error (error);
  g_object_unref (store);
  g_assert_cmpint (desk_test_sql_int (path, "SELECT count(*) FROM pragma_integrity_check WHERE integrity_check = 'ok'"), ==, 1);
  g_assert_cmpint (desk_test_sql_int (path, "SELECT count(*) FROM releases WHERE decision = 'third_party'"), ==, 1);
}

/* The labels built into the core are the schema's default, so copy
 * published from a build without the schema installed is labelled the
 * same. */
static void
test_built_in_disclosure_labels_are_the_schemas_default (void)
{
  g_autoptr(GSettings) settings = desk_settings_new_if_installed ("disclosure-labels");
  g_autoptr(GVariant) schema_default = NULL;
  g_autoptr(GVariant) built_in = desk_disclosure_dup_default_labels ();

  g_assert_nonnull (settings);   /* the tests run with the build's schema */
  schema_default = g_settings_get_default_value (settings, "disclosure-labels");
  g_assert_true (g_variant_equal (schema_default, built_in));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/check/furniture-names-each-piece-with-its-place", test_furniture_names_each_piece_with_its_place);
  ADD ("/check/furniture-stops-approval-until-cleaned-up", test_furniture_stops_approval_until_cleaned_up);
  ADD ("/check/override-is-recorded-and-holds-for-its-approval-only", test_override_is_recorded_and_holds_for_its_approval_only);
  ADD ("/check/empty-body-and-long-headline-are-refused-whatever-the-reason", test_empty_body_and_long_headline_are_refused_whatever_the_reason);
  ADD ("/check/never-names-the-headline-under-a-letterhead", test_check_never_names_the_headline_under_a_letterhead);
  ADD ("/check/plain-news-passes", test_plain_news_passes);
  ADD ("/decision/editor-decides-third-party", test_editor_decides_third_party);
  ADD ("/decision/schema-5-store-upgrades-to-take-third-party", test_schema_5_store_upgrades_to_take_third_party);
  g_test_add_func ("/check/reads-the-headline-where-the-view-does", test_check_reads_the_headline_where_the_view_does);
  g_test_add_func ("/disclosure/built-in-labels-are-the-schemas-default", test_built_in_disclosure_labels_are_the_schemas_default);

#undef ADD

  return g_test_run ();
}
