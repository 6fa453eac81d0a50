/* test-ui-keyboard.c — the review flow with the keyboard alone
 *
 * The real app under Xvfb, driven only by key events: pick a release in
 * the list, edit the copy, jump between changes, start the review and
 * approve it with a note on two lines.
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdio.h>
#include <string.h>
#include <glib/gstdio.h>

#include "desk-importer.h"
#include "desk-store.h"
#include "desk-test-app.h"
#include "desk-test-util.h"

static char *dir;
static char *db_path;
static char *export_dir;

static void
test_review_flow_with_keys_only (void)
{
  g_autoptr(GSubprocess) app = desk_test_app_start (db_path, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskStore) store = NULL;
  g_autoptr(DeskRelease) release = NULL;
  g_autoptr(GPtrArray) events = NULL;
  const DeskEvent *start_event = NULL;
  const DeskEvent *approve_event = NULL;

  /* The list: to its end, the seed (the older release), which opens. */
  desk_test_app_xdotool ("key", "--delay", "150", "ctrl+l", "End", NULL);
  desk_test_app_settle (400);

  /* Edit at the end of the copy; then back to the change just made. */
  desk_test_app_xdotool ("key", "--delay", "80", "ctrl+e", "ctrl+End", NULL);
  desk_test_app_xdotool ("type", "--delay", "15", " Disunting dengan papan ketik.", NULL);
  desk_test_app_xdotool ("key", "--delay", "150", "ctrl+Home", "alt+Down", NULL);

  /* Start the review (at once, no note asked), then approve with a note
   * on two lines: Shift+Enter starts the second, Enter confirms.  The
   * copy still carries its wire furniture: the pre-publish check asks,
   * and a reason typed there with Enter lets it go. */
  desk_test_app_xdotool ("key", "--delay", "300", "ctrl+r", "ctrl+Return", NULL);
  desk_test_app_settle (400);
  desk_test_app_xdotool ("type", "--delay", "15", "mulai", NULL);
  desk_test_app_xdotool ("key", "--delay", "150", "shift+Return", NULL);
  desk_test_app_xdotool ("type", "--delay", "15", "baris dua", NULL);
  desk_test_app_xdotool ("key", "--delay", "300", "Return", NULL);
  desk_test_app_settle (600);
  desk_test_app_xdotool ("type", "--delay", "15", "Kantor berita minta apa adanya", NULL);
  desk_test_app_xdotool ("key", "--delay", "300", "Return", NULL);
  desk_test_app_settle (600);

  /* Export the approved copy. */
  desk_test_app_xdotool ("key", "ctrl+shift+e", NULL);
  desk_test_app_settle (600);

  desk_test_app_xdotool ("key", "ctrl+q", NULL);
  g_subprocess_wait (app, NULL, NULL);
  g_assert_true (g_subprocess_get_successful (app));

  store = desk_store_open (db_path, &error);
  g_assert_no_error (error);
  release = desk_store_get_release (store, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (desk_release_get_status (release), ==, DESK_STATUS_APPROVED);
  g_assert_true (g_str_has_suffix (desk_release_get_edited (release), " Disunting dengan papan ketik."));
  /* What was approved is the edited copy, byte for byte. */
  {
    g_autofree char *sha256 = g_compute_checksum_for_string (G_CHECKSUM_SHA256, desk_release_get_edited (release), -1);
    g_assert_cmpstr (desk_release_get_approved_sha256 (release), ==, sha256);
  }

  events = desk_store_list_events (store, 1, &error);
  for (guint i = 0; i < events->len; i++)
    {
      const DeskEvent *event = g_ptr_array_index (events, i);
      if (g_strcmp0 (event->to_status, "in_review") == 0)
        start_event = event;
      if (g_strcmp0 (event->to_status, "approved") == 0)
        approve_event = event;
    }
  g_assert_nonnull (start_event);
  g_assert_null (start_event->note);
  g_assert_nonnull (approve_event);
  g_assert_cmpstr (approve_event->note, ==, "mulai\nbaris dua");
  {
    g_autofree char *reason = NULL;

    g_assert_true (desk_store_get_check_override (store, 1, &reason, NULL));
    g_assert_cmpstr (reason, ==, "Kantor berita minta apa adanya");
  }

  /* Four files, each with the approved text and the disclosure. */
  {
    g_autoptr(GDir) exported = g_dir_open (export_dir, 0, NULL);
    const char *name;
    guint n = 0;

    g_assert_nonnull (exported);
    while ((name = g_dir_read_name (exported)) != NULL)
      {
        g_autofree char *path = g_build_filename (export_dir, name, NULL);
        g_autofree char *contents = NULL;

        g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
        g_assert_nonnull (strstr (contents, "Disunting dengan papan ketik."));
        n++;
      }
    g_assert_cmpuint (n, ==, 4);
  }
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *seed = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  if (!desk_test_app_can_run ())
    {
      printf ("1..0 # SKIP needs a display and xdotool (run under xvfb-run)\n");
      return 0;
    }

  dir = g_dir_make_tmp ("copydesk-keys-XXXXXX", &error);
  g_assert_no_error (error);
  db_path = g_build_filename (dir, "desk.db", NULL);
  export_dir = g_build_filename (dir, "exported", NULL);
  g_setenv ("COPYDESK_EXPORT_DIR", export_dir, TRUE);
  seed = g_test_build_filename (G_TEST_DIST, "fixtures", "seaprwire-id-moskow-konfirmasi.txt", NULL);
  {
    g_autoptr(DeskStore) store = desk_store_open (db_path, &error);
    g_autoptr(DeskImportItem) item = NULL;
    g_autoptr(DeskParsedRelease) other = desk_parse_release_text ("Gempa di Cianjur\nWarga diminta tenang.", NULL);

    g_assert_no_error (error);
    item = desk_import_file (store, seed, "Ed");
    g_assert_cmpint (item->release_id, ==, 1);
    g_assert_cmpint (desk_store_add_release (store, other, NULL, "Ed", NULL, &error), ==, 2);
  }

  g_test_add_func ("/ui/keyboard/review-flow-with-keys-only", test_review_flow_with_keys_only);
  status = g_test_run ();

  desk_test_remove_tree (dir);
  return status;
}
