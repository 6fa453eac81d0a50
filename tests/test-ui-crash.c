/* test-ui-crash.c — an edit survives kill -9, and quitting saves
 *
 * Runs the real app under Xvfb, types into the edited copy with xdotool as
 * an editor would with the keyboard, kills the process outright, and reads
 * the database it leaves behind.
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

static char *
edited_text (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskStore) store = desk_store_open (db_path, &error);
  g_autoptr(DeskRelease) release = NULL;

  g_assert_no_error (error);
  release = desk_store_get_release (store, 1, &error);
  g_assert_no_error (error);
  return g_strdup (desk_release_get_current_text (release));
}

static void
test_edit_survives_kill_9 (void)
{
  const char *args[] = { "--release", "1", NULL };
  g_autoptr(GSubprocess) app = desk_test_app_start (db_path, args);
  g_autofree char *text = NULL;

  /* To the edited copy, to its end, and type. */
  desk_test_app_xdotool ("key", "--delay", "50", "ctrl+e", "ctrl+End", NULL);
  desk_test_app_xdotool ("type", "--delay", "20", " Catatan redaksi", NULL);
  desk_test_app_settle (2000);   /* past the autosave pause */

  g_subprocess_force_exit (app);
  g_subprocess_wait (app, NULL, NULL);
  g_assert_false (g_subprocess_get_successful (app));

  text = edited_text ();
  g_assert_true (g_str_has_suffix (text, " Catatan redaksi"));
}

static void
test_quitting_saves_the_last_keystrokes (void)
{
  const char *args[] = { "--release", "1", NULL };
  g_autoptr(GSubprocess) app = desk_test_app_start (db_path, args);
  g_autofree char *text = NULL;

  /* Type and quit at once, well before the autosave pause. */
  desk_test_app_xdotool ("key", "--delay", "50", "ctrl+e", "ctrl+End", NULL);
  desk_test_app_xdotool ("type", "--delay", "20", " selesai", NULL);
  desk_test_app_xdotool ("key", "ctrl+q", NULL);
  g_subprocess_wait (app, NULL, NULL);
  g_assert_true (g_subprocess_get_successful (app));

  text = edited_text ();
  g_assert_true (g_str_has_suffix (text, " Catatan redaksi selesai"));
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

  dir = g_dir_make_tmp ("copydesk-crash-XXXXXX", &error);
  g_assert_no_error (error);
  db_path = g_build_filename (dir, "desk.db", NULL);
  seed = g_test_build_filename (G_TEST_DIST, "fixtures", "seaprwire-id-moskow-konfirmasi.txt", NULL);
  {
    g_autoptr(DeskStore) store = desk_store_open (db_path, &error);
    g_autoptr(DeskImportItem) item = NULL;

    g_assert_no_error (error);
    item = desk_import_file (store, seed, "Ed");
    g_assert_cmpint (item->outcome, ==, DESK_IMPORT_IMPORTED);
  }

  g_test_add_func ("/ui/crash/edit-survives-kill-9", test_edit_survives_kill_9);
  g_test_add_func ("/ui/crash/quitting-saves-the-last-keystrokes", test_quitting_saves_the_last_keystrokes);
  status = g_test_run ();

  desk_test_remove_tree (dir);
  return status;
}
