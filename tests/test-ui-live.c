/* test-ui-live.c — the window follows what other processes write, and
 * backs the desk up, under Xvfb
 *
 * The other process is the real copydesk-cli (COPYDESK_CLI) on the same
 * database file.
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdio.h>
#include <string.h>
#include <glib/gstdio.h>
#include <adwaita.h>

#include "desk-test-ui.h"
#include "desk-test-util.h"
#include "desk-window.h"

typedef DeskTestWindowFixture Fixture;

/* Runs copydesk-cli on the fixture's database and waits for it. */
static DeskTestRun
run_cli_v (Fixture     *fixture,
           const char  *first,
           ...)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                       G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  const char *cli = g_getenv ("COPYDESK_CLI");
  DeskTestRun run = { 0 };
  va_list ap;

  g_assert_nonnull (cli);
  g_ptr_array_add (argv, (gpointer) cli);
  va_start (ap, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (argv, NULL);

  g_subprocess_launcher_setenv (launcher, "COPYDESK_DB", fixture->db_path, TRUE);
  g_subprocess_launcher_setenv (launcher, "COPYDESK_EDITOR", "Editor CLI", TRUE);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &run.out, &run.err, &error);
  g_assert_no_error (error);
  run.status = g_subprocess_get_exit_status (process);
  if (g_test_verbose ())
    g_printerr ("$ copydesk-cli %s…\n%s%s(exit %d)\n", first, run.out, run.err, run.status);
  return run;
}

#define run_cli(fixture, ...) run_cli_v (fixture, __VA_ARGS__, NULL)

static char *
write_file (Fixture    *fixture,
            const char *name,
            const char *text)
{
  char *path = g_build_filename (fixture->dir, name, NULL);

  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  return path;
}

static void
open_window (Fixture    *fixture,
             const char *shown)
{
  fixture->window = desk_window_new (NULL, fixture->store);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1400, 860);
  gtk_window_present (GTK_WINDOW (fixture->window));
  g_assert_true (desk_test_ui_wait_until_shown (GTK_WIDGET (fixture->window), shown));
}

/* Lets the main loop run until @flag is set, or gives up after a generous
 * number of turns (this bounds a hang; it measures nothing). */
static gboolean
wait_for (gboolean *flag)
{
  for (guint i = 0; i < 1000 && !*flag; i++)
    {
      while (g_main_context_iteration (NULL, FALSE))
        ;
      if (!*flag)
        g_usleep (10000);
    }
  return *flag;
}

/* The same, until @text is no longer on screen. */
static gboolean
wait_until_gone (GtkWidget  *widget,
                 const char *text)
{
  for (guint i = 0; i < 500; i++)
    {
      while (g_main_context_iteration (NULL, FALSE))
        ;
      if (!desk_test_ui_shows (widget, text))
        return TRUE;
      g_usleep (10000);
    }
  return FALSE;
}

static GtkWidget *
find_label (GtkWidget  *widget,
            const char *text)
{
  /* Only the sidebar's labels are in list box rows. */
  if (GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget) &&
      g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0 &&
      gtk_widget_get_ancestor (widget, GTK_TYPE_LIST_BOX_ROW) != NULL)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_label (child, text);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *find_widget (GtkWidget *widget,
                               GType      type);

/* The count the sidebar shows beside the queue @queue ("" for none). */
static const char *
queue_count (Fixture    *fixture,
             const char *queue)
{
  GtkWidget *name = find_label (GTK_WIDGET (fixture->window), queue);
  GtkWidget *count;

  g_assert_nonnull (name);
  count = gtk_widget_get_last_child (gtk_widget_get_parent (name));
  g_assert_true (GTK_IS_LABEL (count) && count != name);
  return gtk_label_get_text (GTK_LABEL (count));
}

static gboolean
wait_for_count (Fixture    *fixture,
                const char *queue,
                const char *count)
{
  for (guint i = 0; i < 500; i++)
    {
      while (g_main_context_iteration (NULL, FALSE))
        ;
      if (g_str_equal (queue_count (fixture, queue), count))
        return TRUE;
      g_usleep (10000);
    }
  g_printerr ("%s shows “%s”, not “%s”\n", queue, queue_count (fixture, queue), count);
  return FALSE;
}

static GtkWidget *
find_widget (GtkWidget *widget,
             GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, type);
      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The release selected in the list, 0 for none. */
static gint64
selected_id (Fixture *fixture)
{
  GtkWidget *list_view = find_widget (GTK_WIDGET (fixture->window), GTK_TYPE_LIST_VIEW);
  GtkSingleSelection *selection;
  DeskRelease *release;

  g_assert_nonnull (list_view);
  selection = GTK_SINGLE_SELECTION (gtk_list_view_get_model (GTK_LIST_VIEW (list_view)));
  release = gtk_single_selection_get_selected_item (selection);
  return release != NULL ? desk_release_get_id (release) : 0;
}

static char *
edited_text (Fixture *fixture)
{
  GtkTextBuffer *buffer = GTK_TEXT_BUFFER (desk_review_view_get_edited_buffer (desk_window_get_review_view (fixture->window)));
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, TRUE);
}

static gboolean
wait_for_edited_text (Fixture    *fixture,
                      const char *needle)
{
  for (guint i = 0; i < 500; i++)
    {
      g_autofree char *text = NULL;

      while (g_main_context_iteration (NULL, FALSE))
        ;
      text = edited_text (fixture);
      if (strstr (text, needle) != NULL)
        return TRUE;
      g_usleep (10000);
    }
  return FALSE;
}

static void
count_emission (gpointer  instance,
                guint    *counter)
{
  (*counter)++;
}

static const char harbour[] = "Harbour reopens after the storm\n\nThe port of Tanjung Priok reopened on Monday.\n";
static const char bridge[] = "Bridge repairs finished early\n\nThe Suramadu bridge carries traffic again.\n";

static void
test_release_imported_by_the_cli_appears_with_its_count (Fixture       *fixture,
                                                         gconstpointer  data)
{
  gint64 first = desk_test_add_text (fixture->store, harbour);
  g_autofree char *file = write_file (fixture, "rail.txt",
                                      "Airport rail line reopens\n\nThe new line carries passengers from Friday.\n");
  GtkWidget *search;

  open_window (fixture, "Harbour reopens after the storm");
  g_assert_true (wait_for_count (fixture, "Inbox", "1"));
  desk_window_select_position (fixture->window, 0);
  g_assert_cmpint (selected_id (fixture), ==, first);

  /* The editor is searching when the new release comes in. */
  search = find_widget (GTK_WIDGET (fixture->window), GTK_TYPE_SEARCH_ENTRY);
  gtk_editable_set_text (GTK_EDITABLE (search), "reopens");
  desk_test_ui_spin (300);
  g_assert_true (desk_test_ui_shows (GTK_WIDGET (fixture->window), "Harbour reopens after the storm"));

  {
    g_auto(DeskTestRun) run = run_cli (fixture, "import", file);
    g_assert_cmpint (run.status, ==, 0);
  }

  g_assert_true (desk_test_ui_wait_until_shown (GTK_WIDGET (fixture->window), "Airport rail line reopens"));
  g_assert_true (wait_for_count (fixture, "Inbox", "2"));
  g_assert_true (wait_for_count (fixture, "All", "2"));
  /* The editor's place: the same release selected and under review, the
   * search as typed. */
  g_assert_cmpint (selected_id (fixture), ==, first);
  g_assert_cmpint (desk_review_view_get_release_id (desk_window_get_review_view (fixture->window)), ==, first);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (search)), ==, "reopens");
  g_assert_true (desk_test_ui_shows (GTK_WIDGET (fixture->window), "Harbour reopens after the storm"));
}

static void
test_status_set_by_the_cli_moves_the_row_and_the_counts (Fixture       *fixture,
                                                         gconstpointer  data)
{
  gint64 harbour_id = desk_test_add_text (fixture->store, harbour);
  gint64 bridge_id = desk_test_add_text (fixture->store, bridge);
  g_autofree char *bridge_text = g_strdup_printf ("%" G_GINT64_FORMAT, bridge_id);

  open_window (fixture, "Bridge repairs finished early");
  g_assert_true (wait_for_count (fixture, "Inbox", "2"));
  desk_window_select_position (fixture->window, 1);
  g_assert_cmpint (selected_id (fixture), ==, harbour_id);

  {
    g_auto(DeskTestRun) run = run_cli (fixture, "set-status", bridge_text, "in_review");
    g_assert_cmpint (run.status, ==, 0);
  }

  g_assert_true (wait_until_gone (GTK_WIDGET (fixture->window), "Bridge repairs finished early"));
  g_assert_true (wait_for_count (fixture, "Inbox", "1"));
  g_assert_true (wait_for_count (fixture, "In Review", "1"));
  g_assert_cmpint (selected_id (fixture), ==, harbour_id);
  g_assert_cmpint (desk_review_view_get_release_id (desk_window_get_review_view (fixture->window)), ==, harbour_id);

  /* And the release under review, moved elsewhere, shows its new status. */
  {
    g_autofree char *harbour_text = g_strdup_printf ("%" G_GINT64_FORMAT, harbour_id);
    g_auto(DeskTestRun) run = run_cli (fixture, "set-status", harbour_text, "in_review");
    g_assert_cmpint (run.status, ==, 0);
  }
  g_assert_true (wait_for_count (fixture, "In Review", "2"));
  g_assert_true (wait_for_count (fixture, "Inbox", ""));
  g_assert_true (desk_test_ui_wait_until_shown (GTK_WIDGET (fixture->window), "In review"));
  g_assert_cmpint (desk_review_view_get_release_id (desk_window_get_review_view (fixture->window)), ==, harbour_id);
}

static void
test_copy_edited_by_the_cli_is_shown_when_the_editor_has_not_typed (Fixture       *fixture,
                                                                    gconstpointer  data)
{
  gint64 id = desk_test_add_text (fixture->store, harbour);
  g_autofree char *id_text = g_strdup_printf ("%" G_GINT64_FORMAT, id);
  g_autofree char *file = write_file (fixture, "edit.txt", "The port of Tanjung Priok reopened on Monday morning.\n");

  GtkTextBuffer *buffer;
  GtkTextIter cursor;

  open_window (fixture, "Harbour reopens after the storm");
  desk_window_select_position (fixture->window, 0);
  g_assert_true (wait_for_edited_text (fixture, "reopened on Monday."));
  buffer = GTK_TEXT_BUFFER (desk_review_view_get_edited_buffer (desk_window_get_review_view (fixture->window)));
  gtk_text_buffer_get_iter_at_offset (buffer, &cursor, 12);
  gtk_text_buffer_place_cursor (buffer, &cursor);

  {
    g_auto(DeskTestRun) run = run_cli (fixture, "edit", id_text, "--from-file", file);
    g_assert_cmpint (run.status, ==, 0);
  }
  g_assert_true (wait_for_edited_text (fixture, "reopened on Monday morning."));
  g_assert_cmpint (selected_id (fixture), ==, id);
  /* The cursor stays where the editor left it. */
  gtk_text_buffer_get_iter_at_mark (buffer, &cursor, gtk_text_buffer_get_insert (buffer));
  g_assert_cmpint (gtk_text_iter_get_offset (&cursor), ==, 12);
  g_assert_false (desk_review_view_has_unsaved_changes (desk_window_get_review_view (fixture->window)));
}

static void
test_unsaved_edits_are_kept_when_the_release_changes_elsewhere (Fixture       *fixture,
                                                                gconstpointer  data)
{
  gint64 id = desk_test_add_text (fixture->store, harbour);
  g_autofree char *id_text = g_strdup_printf ("%" G_GINT64_FORMAT, id);
  g_autofree char *file = write_file (fixture, "edit.txt", "The port reopened, says the CLI.\n");
  g_autofree char *toast = g_strdup_printf ("#%s was changed elsewhere. Your unsaved edits are kept; "
                                            "the other version is in its history.", id_text);
  DeskReviewView *view;
  g_autoptr(GPtrArray) revisions = NULL;
  g_autoptr(DeskRelease) stored = NULL;

  open_window (fixture, "Harbour reopens after the storm");
  desk_window_select_position (fixture->window, 0);
  view = desk_window_get_review_view (fixture->window);
  g_assert_true (wait_for_edited_text (fixture, "reopened on Monday."));

  /* Another process edits; before the window has looked, the editor types
   * (the main loop does not run while the CLI does). */
  {
    g_auto(DeskTestRun) run = run_cli (fixture, "edit", id_text, "--from-file", file);
    g_assert_cmpint (run.status, ==, 0);
  }
  {
    GtkTextBuffer *buffer = GTK_TEXT_BUFFER (desk_review_view_get_edited_buffer (view));
    GtkTextIter end;

    gtk_text_buffer_get_end_iter (buffer, &end);
    gtk_text_buffer_insert (buffer, &end, "Ships queue outside.\n", -1);
  }
  g_assert_true (desk_review_view_has_unsaved_changes (view));

  g_assert_true (desk_test_ui_wait_until_shown (GTK_WIDGET (fixture->window), toast));
  {
    g_autofree char *text = edited_text (fixture);

    g_assert_nonnull (strstr (text, "Ships queue outside."));
    g_assert_null (strstr (text, "says the CLI"));
  }

  /* The editor's copy is saved over the other, which stays in the history. */
  for (guint i = 0; i < 500 && desk_review_view_has_unsaved_changes (view); i++)
    desk_test_ui_spin (10);
  g_assert_false (desk_review_view_has_unsaved_changes (view));
  stored = desk_store_get_release (fixture->store, id, NULL);
  g_assert_nonnull (strstr (desk_release_get_current_text (stored), "Ships queue outside."));
  revisions = desk_store_list_revisions (fixture->store, id, NULL);
  g_assert_nonnull (revisions);
  {
    gboolean found = FALSE;

    for (guint i = 0; i < revisions->len; i++)
      {
        DeskRevision *revision = g_ptr_array_index (revisions, i);
        found |= strstr (revision->text, "says the CLI") != NULL;
      }
    g_assert_true (found);
  }
}

static void
test_own_writes_do_not_make_the_window_follow_itself (Fixture       *fixture,
                                                      gconstpointer  data)
{
  gint64 id = desk_test_add_text (fixture->store, harbour);
  g_autofree char *id_text = g_strdup_printf ("%" G_GINT64_FORMAT, id);
  g_autoptr(GError) error = NULL;
  guint followed = 0;

  open_window (fixture, "Harbour reopens after the storm");
  g_signal_connect (fixture->window, "followed", G_CALLBACK (count_emission), &followed);
  desk_window_select_position (fixture->window, 0);
  desk_test_ui_spin (100);

  /* The window's own move and the test's writes share its connection. */
  g_assert_true (desk_window_move_current (fixture->window, DESK_STATUS_IN_REVIEW, NULL, &error));
  g_assert_no_error (error);
  desk_test_add_text (fixture->store, bridge);
  desk_test_ui_spin (1000);   /* more than two looks */
  g_assert_cmpuint (followed, ==, 0);

  {
    g_auto(DeskTestRun) run = run_cli (fixture, "set-status", id_text, "approved");
    g_assert_cmpint (run.status, ==, 0);
  }
  g_assert_true (wait_for_count (fixture, "Approved", "1"));
  g_assert_cmpuint (followed, ==, 1);
  /* Following reads and never writes: it does not set itself off again. */
  desk_test_ui_spin (1000);
  g_assert_cmpuint (followed, ==, 1);
}

static void
test_list_stays_scrolled_where_it_was (Fixture       *fixture,
                                       gconstpointer  data)
{
  g_autofree char *file = write_file (fixture, "late.txt", "Late arrival from the wire\n\nIt came in last.\n");
  GtkWidget *list_view;
  GtkAdjustment *adjustment;
  guint followed = 0;
  double before;

  for (guint i = 0; i < 80; i++)
    {
      g_autofree char *text = g_strdup_printf ("Release number %u on the desk\n\nBody of release %u.\n", i, i);
      desk_test_add_text (fixture->store, text);
    }
  open_window (fixture, "Release number 79 on the desk");
  g_signal_connect (fixture->window, "followed", G_CALLBACK (count_emission), &followed);
  list_view = find_widget (GTK_WIDGET (fixture->window), GTK_TYPE_LIST_VIEW);
  adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (list_view));
  desk_test_ui_spin (200);
  gtk_adjustment_set_value (adjustment, 1000);
  desk_test_ui_spin (200);
  before = gtk_adjustment_get_value (adjustment);
  g_assert_cmpfloat (before, >, 500);

  {
    g_auto(DeskTestRun) run = run_cli (fixture, "import", file);
    g_assert_cmpint (run.status, ==, 0);
  }
  for (guint i = 0; i < 500 && followed == 0; i++)
    desk_test_ui_spin (10);
  g_assert_cmpuint (followed, ==, 1);
  desk_test_ui_spin (200);
  g_assert_cmpfloat_with_epsilon (gtk_adjustment_get_value (adjustment), before, 1.0);
}

typedef struct {
  gboolean  done;
  char     *path;
  char     *error;
} BackedUp;

static void
backed_up (DeskWindow *window,
           const char *path,
           const char *error,
           BackedUp   *result)
{
  result->done = TRUE;
  result->path = g_strdup (path);
  result->error = g_strdup (error);
}

static gboolean
menu_has_action (GMenuModel *menu,
                 const char *action)
{
  for (int i = 0; i < g_menu_model_get_n_items (menu); i++)
    {
      g_autofree char *name = NULL;
      g_autoptr(GMenuModel) section = g_menu_model_get_item_link (menu, i, G_MENU_LINK_SECTION);

      if (g_menu_model_get_item_attribute (menu, i, G_MENU_ATTRIBUTE_ACTION, "s", &name) &&
          g_strcmp0 (name, action) == 0)
        return TRUE;
      if (section != NULL && menu_has_action (section, action))
        return TRUE;
    }
  return FALSE;
}

/* Whether a menu button below @widget offers @action. */
static gboolean
some_menu_offers (GtkWidget  *widget,
                  const char *action)
{
  if (GTK_IS_MENU_BUTTON (widget) && gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (widget)) != NULL &&
      menu_has_action (gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (widget)), action))
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (some_menu_offers (child, action))
      return TRUE;
  return FALSE;
}

static void
test_back_up_action_writes_a_copy_and_says_where (Fixture       *fixture,
                                                  gconstpointer  data)
{
  g_autofree char *backup = g_build_filename (fixture->dir, "copy.db", NULL);
  g_autofree char *done = g_strdup_printf ("Desk backed up to %s", backup);
  g_autofree char *refused = g_strdup_printf ("The desk was not backed up: %s is the desk’s own database: "
                                              "a backup goes to another file", fixture->db_path);
  BackedUp result = { 0 };

  desk_test_add_text (fixture->store, harbour);
  desk_test_add_text (fixture->store, bridge);
  open_window (fixture, "Harbour reopens after the storm");
  g_signal_connect (fixture->window, "backed-up", G_CALLBACK (backed_up), &result);

  /* The main menu offers it. */
  g_assert_true (some_menu_offers (GTK_WIDGET (fixture->window), "win.back-up"));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.back-up-to", "s", backup));
  g_assert_true (wait_for (&result.done));
  g_assert_null (result.error);
  g_assert_cmpstr (result.path, ==, backup);
  g_assert_true (desk_test_ui_wait_until_shown (GTK_WIDGET (fixture->window), done));
  g_assert_cmpint (desk_test_sql_int (backup, "SELECT count(*) FROM releases"), ==, 2);
  g_clear_pointer (&result.path, g_free);

  /* Onto the desk's own database: refused, and the toast says why. */
  result.done = FALSE;
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.back-up-to", "s", fixture->db_path));
  g_assert_true (wait_for (&result.done));
  g_assert_nonnull (result.error);
  g_assert_true (desk_test_ui_wait_until_shown (GTK_WIDGET (fixture->window), refused));
  g_assert_cmpint (desk_test_sql_int (fixture->db_path, "SELECT count(*) FROM releases"), ==, 2);
  g_free (result.path);
  g_free (result.error);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_setenv ("COPYDESK_SECRETS", "memory", TRUE);

  if (!gtk_init_check ())
    {
      printf ("1..0 # SKIP no display (run under xvfb-run)\n");
      return 0;
    }
  adw_init ();

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, desk_test_window_fixture_set_up, func, desk_test_window_fixture_tear_down)

  ADD ("/ui/follow/release-imported-by-the-cli-appears-with-its-count",
       test_release_imported_by_the_cli_appears_with_its_count);
  ADD ("/ui/follow/status-set-by-the-cli-moves-the-row-and-the-counts",
       test_status_set_by_the_cli_moves_the_row_and_the_counts);
  ADD ("/ui/follow/copy-edited-elsewhere-is-shown-when-the-editor-has-not-typed",
       test_copy_edited_by_the_cli_is_shown_when_the_editor_has_not_typed);
  ADD ("/ui/follow/unsaved-edits-are-kept-and-the-editor-is-told",
       test_unsaved_edits_are_kept_when_the_release_changes_elsewhere);
  ADD ("/ui/follow/own-writes-do-not-set-it-off",
       test_own_writes_do_not_make_the_window_follow_itself);
  ADD ("/ui/follow/list-stays-scrolled-where-it-was", test_list_stays_scrolled_where_it_was);
  ADD ("/ui/backup/action-writes-a-copy-and-says-where",
       test_back_up_action_writes_a_copy_and_says_where);

#undef ADD

  return g_test_run ();
}
