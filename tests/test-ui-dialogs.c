/* test-ui-dialogs.c — every dialog comes from its .ui file and closes
 * with Escape, under Xvfb
 *
 * Each dialog is opened the way the editor opens it, on a real temporary
 * store; its widgets are checked to be the template's (GtkBuilder gives
 * each object of a .ui file the id it has there), and Escape is a real X
 * key event (xdotool) sent to it.
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdio.h>
#include <string.h>
#include <adwaita.h>

#include "desk-dialogs.h"
#include "desk-importer.h"
#include "desk-preferences.h"
#include "desk-test-ui.h"
#include "desk-test-util.h"
#include "desk-window.h"

typedef DeskTestWindowFixture Fixture;

static void
open_window (Fixture *fixture)
{
  fixture->window = desk_window_new (NULL, fixture->store);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1400, 800);
  gtk_window_present (GTK_WINDOW (fixture->window));
  desk_test_ui_spin (300);
}

/* The visible dialog GTK shows named @name (its widget name), or with
 * @heading, once it is up. */
static AdwMessageDialog *
find_dialog (const char *name,
             const char *heading)
{
  for (guint tries = 0; tries < 300; tries++)
    {
      GListModel *toplevels = gtk_window_get_toplevels ();

      for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
        {
          g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i);

          if (!ADW_IS_MESSAGE_DIALOG (window) || !gtk_widget_get_visible (window))
            continue;
          if ((name != NULL && g_strcmp0 (gtk_widget_get_name (window), name) == 0) ||
              (heading != NULL && g_strcmp0 (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (window)), heading) == 0))
            return ADW_MESSAGE_DIALOG (window);
        }
      desk_test_ui_spin (10);
    }
  g_error ("no dialog %s showed", name != NULL ? name : heading);
}

/* Whether @object is the one with @id in a .ui file. */
static gboolean
from_ui_file (gpointer    object,
              const char *id)
{
  const char *built = GTK_IS_BUILDABLE (object) ? gtk_buildable_get_buildable_id (GTK_BUILDABLE (object)) : NULL;

  if (g_strcmp0 (built, id) != 0)
    g_printerr ("%s: built as “%s”, not “%s”\n", G_OBJECT_TYPE_NAME (object), built ? built : "(not built)", id);
  return g_strcmp0 (built, id) == 0;
}

/* Gives @window the keyboard, as a click on it would, and presses Escape;
 * then whether it has gone. */
static gboolean
escape_closes (GtkWindow *window)
{
  GtkWindow *watched = window;

  g_object_add_weak_pointer (G_OBJECT (watched), (gpointer *) &watched);
  /* A title the test can find it by: xdotool finds X windows by name. */
  gtk_window_set_title (window, "dialog under test");
  desk_test_ui_spin (50);
  desk_test_ui_xdotool ("search", "--sync", "--onlyvisible", "--name", "^dialog under test$", "windowfocus", "--sync", NULL);
  desk_test_ui_xdotool ("key", "Escape", NULL);
  for (guint i = 0; i < 200 && watched != NULL && gtk_widget_get_visible (GTK_WIDGET (watched)); i++)
    desk_test_ui_spin (10);
  if (watched == NULL)
    return TRUE;
  g_object_remove_weak_pointer (G_OBJECT (watched), (gpointer *) &watched);
  return !gtk_widget_get_visible (GTK_WIDGET (watched));
}

/* Whether an action row under @widget is titled @title. */
static gboolean
has_row_titled (GtkWidget  *widget,
                const char *title)
{
  if (ADW_IS_ACTION_ROW (widget) && g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), title) == 0)
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    if (has_row_titled (child, title))
      return TRUE;
  return FALSE;
}

static void
test_preferences (Fixture       *fixture,
                  gconstpointer  data)
{
  GtkWindow *preferences;
  GObject *targets, *feeds, *subscribe;

  open_window (fixture);
  preferences = desk_preferences_window_new (GTK_WINDOW (fixture->window), fixture->store);
  gtk_window_present (preferences);
  desk_test_ui_spin (100);

  targets = gtk_widget_get_template_child (GTK_WIDGET (preferences), DESK_TYPE_PREFERENCES_WINDOW, "targets_group");
  feeds = gtk_widget_get_template_child (GTK_WIDGET (preferences), DESK_TYPE_PREFERENCES_WINDOW, "feeds_group");
  subscribe = gtk_widget_get_template_child (GTK_WIDGET (preferences), DESK_TYPE_PREFERENCES_WINDOW, "subscribe_button");
  g_assert_true (from_ui_file (targets, "targets_group"));
  g_assert_true (from_ui_file (feeds, "feeds_group"));
  g_assert_true (from_ui_file (subscribe, "subscribe_button"));
  g_assert_true (gtk_widget_is_ancestor (GTK_WIDGET (targets), GTK_WIDGET (preferences)));
  /* The store's default target is listed in the template's group. */
  g_assert_cmpuint (desk_preferences_window_get_n_targets (DESK_PREFERENCES_WINDOW (preferences)), ==, 1);
  /* By its name in words, as the window says it, not its id. */
  g_assert_true (has_row_titled (GTK_WIDGET (targets), "Local Folder"));
  g_assert_false (has_row_titled (GTK_WIDGET (targets), "local"));
  g_assert_true (escape_closes (preferences));
}

/* A target's dialog, from Preferences' "Local Folder" row: Escape
 * cancels, and no target is added. */
static void
test_target_dialog (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GPtrArray) targets = NULL;
  GtkWindow *preferences;
  GObject *add_folder;
  AdwMessageDialog *dialog;
  GtkWidget *fields;

  open_window (fixture);
  preferences = desk_preferences_window_new (GTK_WINDOW (fixture->window), fixture->store);
  gtk_window_present (preferences);
  desk_test_ui_spin (100);
  add_folder = gtk_widget_get_template_child (GTK_WIDGET (preferences), DESK_TYPE_PREFERENCES_WINDOW, "add_folder_row");
  g_signal_emit_by_name (add_folder, "activated");

  dialog = find_dialog (NULL, "Add a Local Folder");
  fields = adw_message_dialog_get_extra_child (dialog);
  g_assert_true (from_ui_file (dialog, "dialog"));
  g_assert_true (from_ui_file (fields, "fields"));
  /* A folder has a name and a folder, no address or password. */
  for (GtkWidget *row = gtk_widget_get_first_child (fields); row != NULL; row = gtk_widget_get_next_sibling (row))
    {
      const char *id = gtk_buildable_get_buildable_id (GTK_BUILDABLE (row));

      g_assert_cmpint (gtk_widget_get_visible (row), ==, g_strcmp0 (id, "name") == 0 || g_strcmp0 (id, "folder") == 0);
    }
  g_assert_true (escape_closes (GTK_WINDOW (dialog)));

  targets = desk_store_list_targets (fixture->store, NULL);
  g_assert_cmpuint (targets->len, ==, 1);
  gtk_window_destroy (preferences);
}

static void
import_seed (Fixture *fixture)
{
  g_autofree char *seed = g_test_build_filename (G_TEST_DIST, "fixtures", "seaprwire-id-moskow-konfirmasi.txt", NULL);
  g_autoptr(DeskImportItem) item = desk_import_file (fixture->store, seed, "Ed");

  g_assert_cmpint (item->outcome, ==, DESK_IMPORT_IMPORTED);
}

/* The pre-publish check, as approving the sponsored seed brings it up:
 * Escape cancels, and the release stays in review. */
static void
test_check_dialog (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskRelease) release = NULL;
  AdwMessageDialog *dialog;

  import_seed (fixture);
  open_window (fixture);
  desk_window_show_release (fixture->window, 1);
  desk_test_ui_spin (50);
  g_assert_true (desk_window_move_current (fixture->window, DESK_STATUS_IN_REVIEW, NULL, &error));
  g_assert_true (desk_window_move_current (fixture->window, DESK_STATUS_APPROVED, NULL, &error));
  g_assert_no_error (error);

  dialog = find_dialog ("pre-publish-check", NULL);
  g_assert_true (from_ui_file (dialog, "dialog"));
  g_assert_true (from_ui_file (adw_message_dialog_get_extra_child (dialog), "reason"));
  g_assert_cmpstr (adw_message_dialog_get_response_label (dialog, "override"), ==, "_Approve Anyway");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "(SeaPRwire)"));
  /* The template's callback: a reason lets it go. */
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "override"));
  gtk_editable_set_text (GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog)), "As sent");
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "override"));
  g_assert_true (escape_closes (GTK_WINDOW (dialog)));

  release = desk_store_get_release (fixture->store, 1, NULL);
  g_assert_cmpint (desk_release_get_status (release), ==, DESK_STATUS_IN_REVIEW);
}

/* Publish Where?, with two targets: one response a target, by the name
 * the editor gave it; Escape publishes nothing. */
static void
test_publish_dialog (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) jobs = NULL;
  g_autoptr(DeskTarget) archive = NULL;
  g_autofree char *folder = g_build_filename (fixture->dir, "archive", NULL);
  g_autofree char *response = NULL;
  AdwMessageDialog *dialog;
  gint64 id;

  id = desk_test_add_text (fixture->store, "Harbour reopens\n\nThe harbour reopened on Monday, the port said.\n");
  desk_test_approve (fixture->store, id);
  g_assert_true (desk_preferences_add_target (fixture->store, DESK_TARGET_LOCAL_FOLDER, "Archive", NULL, NULL,
                                              NULL, folder, NULL, NULL, &error));
  g_assert_no_error (error);
  archive = desk_store_find_target (fixture->store, "Archive", &error);
  open_window (fixture);
  desk_window_select_queue (fixture->window, DESK_STATUS_APPROVED);
  desk_window_show_release (fixture->window, id);
  desk_test_ui_spin (50);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.publish", NULL));

  dialog = find_dialog ("publish-where", NULL);
  g_assert_true (from_ui_file (dialog, "dialog"));
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Publish Where?");
  response = g_strdup_printf ("%" G_GINT64_FORMAT, archive->id);
  g_assert_cmpstr (adw_message_dialog_get_response_label (dialog, response), ==, "Archive");
  g_assert_true (escape_closes (GTK_WINDOW (dialog)));

  jobs = desk_store_list_jobs (fixture->store, id, NULL);
  g_assert_cmpuint (jobs->len, ==, 0);
}

static void
imported (DeskWindow *window,
          guint       n,
          gboolean   *done)
{
  *done = TRUE;
}

/* What an import could not take, each file with its reason. */
static void
test_import_failures_dialog (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autofree char *missing = g_build_filename (fixture->dir, "missing.txt", NULL);
  const char *paths[] = { missing, NULL };
  gboolean done = FALSE;
  AdwMessageDialog *dialog;
  GtkWidget *scroller;
  GtkWidget *label;

  open_window (fixture);
  g_signal_connect (fixture->window, "imported", G_CALLBACK (imported), &done);
  desk_window_import (fixture->window, paths);
  for (guint i = 0; i < 1000 && !done; i++)
    desk_test_ui_spin (10);
  g_assert_true (done);

  dialog = find_dialog ("import-failures", NULL);
  g_assert_true (from_ui_file (dialog, "dialog"));
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "1 file was not imported");
  scroller = adw_message_dialog_get_extra_child (dialog);
  label = gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scroller));
  if (GTK_IS_VIEWPORT (label))
    label = gtk_viewport_get_child (GTK_VIEWPORT (label));
  g_assert_true (from_ui_file (label, "failures"));
  g_assert_true (g_str_has_prefix (gtk_label_get_text (GTK_LABEL (label)), missing));
  /* The dialog says it; no toast of nothing imported beside it. */
  desk_test_ui_spin (300);
  g_assert_false (desk_test_ui_shows (GTK_WIDGET (fixture->window), "Imported 0 releases"));
  g_assert_true (escape_closes (GTK_WINDOW (dialog)));
}

/* A file saved by an older Windows program is imported, and the toast
 * says which encoding it was read from. */
static void
test_import_toast_names_a_converted_file (Fixture       *fixture,
                                          gconstpointer  data)
{
  g_autofree char *windows = g_build_filename (fixture->dir, "windows.txt", NULL);
  const char *paths[] = { windows, NULL };
  gboolean done = FALSE;

  g_assert_true (g_file_set_contents (windows, "Kafe \x93Senja\x94 dibuka\nCaf\xE9 baru di Bandung.\n", -1, NULL));
  open_window (fixture);
  g_signal_connect (fixture->window, "imported", G_CALLBACK (imported), &done);
  desk_window_import (fixture->window, paths);
  for (guint i = 0; i < 1000 && !done; i++)
    desk_test_ui_spin (10);
  g_assert_true (done);
  desk_test_ui_spin (300);
  g_assert_true (desk_test_ui_shows (GTK_WIDGET (fixture->window), "Imported 1 release; 1 of them read as Windows-1252"));
}

/* Why something was not done, over the window. */
static void
test_error_dialog (Fixture       *fixture,
                   gconstpointer  data)
{
  AdwMessageDialog *dialog;

  open_window (fixture);
  dialog = desk_error_dialog_present (GTK_WINDOW (fixture->window), "The copy was not exported",
                                      "Could not create the folder /nowhere: Permission denied");
  desk_test_ui_spin (50);
  g_assert_true (from_ui_file (dialog, "dialog"));
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == GTK_WINDOW (fixture->window));
  g_assert_cmpstr (adw_message_dialog_get_body (dialog), ==, "Could not create the folder /nowhere: Permission denied");
  g_assert_true (escape_closes (GTK_WINDOW (dialog)));
}

/* The note dialog of a move (desk-note-dialog.ui): Escape cancels the
 * move. */
static void
test_note_dialog (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(DeskRelease) release = NULL;
  AdwMessageDialog *dialog;

  import_seed (fixture);
  open_window (fixture);
  desk_window_show_release (fixture->window, 1);
  desk_test_ui_spin (50);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.reject", NULL));

  dialog = find_dialog (NULL, "Reject This Release?");
  g_assert_true (from_ui_file (dialog, "dialog"));
  g_assert_true (escape_closes (GTK_WINDOW (dialog)));
  release = desk_store_get_release (fixture->store, 1, NULL);
  g_assert_cmpint (desk_release_get_status (release), ==, DESK_STATUS_NEW);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_setenv ("COPYDESK_SECRETS", "memory", TRUE);

  if (!gtk_init_check () || g_find_program_in_path ("xdotool") == NULL)
    {
      printf ("1..0 # SKIP needs a display and desk_test_ui_xdotool (run under xvfb-run)\n");
      return 0;
    }
  adw_init ();

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, desk_test_window_fixture_set_up, func, desk_test_window_fixture_tear_down)

  ADD ("/ui/dialogs/preferences-from-its-template-closes-with-escape", test_preferences);
  ADD ("/ui/dialogs/target-dialog-from-its-file-closes-with-escape", test_target_dialog);
  ADD ("/ui/dialogs/pre-publish-check-from-its-file-closes-with-escape", test_check_dialog);
  ADD ("/ui/dialogs/publish-where-from-its-file-closes-with-escape", test_publish_dialog);
  ADD ("/ui/dialogs/import-failures-from-its-file-closes-with-escape", test_import_failures_dialog);
  ADD ("/ui/dialogs/import-toast-names-a-converted-file", test_import_toast_names_a_converted_file);
  ADD ("/ui/dialogs/error-dialog-from-its-file-closes-with-escape", test_error_dialog);
  ADD ("/ui/dialogs/note-dialog-from-its-file-closes-with-escape", test_note_dialog);

#undef ADD

  return g_test_run ();
}
