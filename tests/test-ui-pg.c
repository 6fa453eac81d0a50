/* test-ui-pg.c — the window on a team desk (PostgreSQL), under Xvfb
 *
 * A real PostgreSQL 15 of the test's own (pg-harness.c), prepared and
 * filled by the real copydesk-cli (COPYDESK_CLI); the window connects as
 * "ana", an editor, and the CLI plays "budi", a chief editor, on another
 * connection.
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <adwaita.h>

#include "desk-db.h"
#include "desk-test-ui.h"
#include "desk-test-util.h"
#include "desk-review-view.h"
#include "desk-window.h"
#include "pg-harness.h"

static DeskPgHarness *server;
static guint n_databases;

typedef struct {
  char       *dir;
  char       *database;
  char       *address;   /* the superuser's, who prepares the desk */
  char       *editor;    /* ana's */
  char       *chief;     /* budi's */
  DeskStore  *store;
  DeskWindow *window;
} Fixture;

static DeskTestRun
run_cli_v (const char *first,
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

  g_subprocess_launcher_unsetenv (launcher, "COPYDESK_DB");
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &run.out, &run.err, &error);
  g_assert_no_error (error);
  run.status = g_subprocess_get_exit_status (process);
  if (g_test_verbose () || run.status != 0)
    g_printerr ("$ copydesk-cli %s…\n%s%s(exit %d)\n", first, run.out, run.err, run.status);
  return run;
}

#define run_cli(...) run_cli_v (__VA_ARGS__, NULL)

static void
write_release (Fixture    *fixture,
               const char *name,
               const char *text)
{
  g_autofree char *folder = g_build_filename (fixture->dir, "in", NULL);
  g_autofree char *path = g_build_filename (folder, name, NULL);

  g_mkdir_with_parents (folder, 0700);
  g_assert_true (g_file_set_contents (path, text, -1, NULL));
}

/* A desk with two releases: #1 "Harbour reopens", #2 "Bridge closes". */
static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *folder = NULL;

  fixture->dir = g_dir_make_tmp (NULL, &error);
  g_assert_no_error (error);
  fixture->database = g_strdup_printf ("window_%u", ++n_databases);
  fixture->address = desk_pg_harness_create_database (server, fixture->database);
  fixture->editor = desk_pg_harness_address (server, fixture->database, "ana");
  fixture->chief = desk_pg_harness_address (server, fixture->database, "budi");

  {
    g_auto(DeskTestRun) init = run_cli ("desk", "init", fixture->address);
    g_assert_cmpint (init.status, ==, 0);
  }
  desk_pg_harness_sql (server, "postgres",
                       "DO $$ BEGIN"
                       " IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'ana') THEN"
                       "   CREATE ROLE ana LOGIN IN ROLE copydesk_editor; END IF;"
                       " IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'budi') THEN"
                       "   CREATE ROLE budi LOGIN IN ROLE copydesk_chief; END IF;"
                       " END $$");

  write_release (fixture, "1-harbour.txt",
                 "Harbour reopens\n\nThe harbour reopened on Monday after a week of repairs, the port said.\n");
  write_release (fixture, "2-bridge.txt",
                 "Bridge closes\n\nThe old bridge closes for a month from Friday, the city said.\n");
  folder = g_build_filename (fixture->dir, "in", "1-harbour.txt", NULL);
  {
    g_auto(DeskTestRun) import = run_cli ("import", "--database", fixture->chief, folder);
    g_assert_cmpint (import.status, ==, 0);
  }
  g_free (folder);
  folder = g_build_filename (fixture->dir, "in", "2-bridge.txt", NULL);
  {
    g_auto(DeskTestRun) import = run_cli ("import", "--database", fixture->chief, folder);
    g_assert_cmpint (import.status, ==, 0);
  }

  fixture->store = desk_store_open (fixture->editor, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  if (fixture->window != NULL)
    gtk_window_destroy (GTK_WINDOW (fixture->window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_clear_object (&fixture->store);
  desk_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->database);
  g_free (fixture->address);
  g_free (fixture->editor);
  g_free (fixture->chief);
}

/* One value the superuser reads from the desk. */
static char *
desk_value (Fixture    *fixture,
            const char *sql)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskDb) db = desk_db_open (fixture->address, &error);
  g_autoptr(DeskDbStmt) stmt = NULL;

  g_assert_no_error (error);
  stmt = desk_db_prepare (db, sql, &error);
  g_assert_no_error (error);
  if (desk_db_step (stmt, &error) != DESK_DB_ROW)
    return NULL;
  return desk_db_column_dup (stmt, 0);
}

static void
open_window (Fixture *fixture)
{
  fixture->window = desk_window_new (NULL, fixture->store);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1400, 860);
  gtk_window_present (GTK_WINDOW (fixture->window));
  g_assert_true (desk_test_ui_wait_until_shown (GTK_WIDGET (fixture->window), "Harbour reopens"));
}

/* Runs the main loop until @func holds, or gives up after a generous
 * number of turns (this bounds a hang; it measures nothing). */
static gboolean
wait_until (gboolean (*func) (Fixture *fixture),
            Fixture  *fixture)
{
  for (guint i = 0; i < 1500; i++)
    {
      while (g_main_context_iteration (NULL, FALSE))
        ;
      if (func (fixture))
        return TRUE;
      g_usleep (10000);
    }
  return FALSE;
}

static GtkWidget *
find_label (GtkWidget  *widget,
            const char *text)
{
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

/* The count the sidebar shows beside the queue @queue. */
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
inbox_counted (Fixture *fixture)
{
  return g_str_equal (queue_count (fixture, "Inbox"), "2");
}

static gboolean
approved_counted (Fixture *fixture)
{
  return g_str_equal (queue_count (fixture, "Approved"), "1");
}

static gboolean
open_release_approved (Fixture *fixture)
{
  DeskRelease *shown = desk_review_view_get_release (desk_window_get_review_view (fixture->window));

  return shown != NULL && desk_release_get_status (shown) == DESK_STATUS_APPROVED;
}

static gboolean
open_release_in_review (Fixture *fixture)
{
  DeskRelease *shown = desk_review_view_get_release (desk_window_get_review_view (fixture->window));

  return shown != NULL && desk_release_get_status (shown) == DESK_STATUS_IN_REVIEW;
}

static GtkWidget *
find_button_for_action (GtkWidget  *widget,
                        const char *action)
{
  if (GTK_IS_BUTTON (widget) &&
      g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), action) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button_for_action (child, action);
      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The body of the error dialog over the window, once it is up. */
static char *
error_dialog_body (void)
{
  for (guint tries = 0; tries < 300; tries++)
    {
      GListModel *toplevels = gtk_window_get_toplevels ();

      for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
        {
          g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i);

          if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_visible (window))
            {
              char *body = g_strdup (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (window)));

              gtk_window_destroy (GTK_WINDOW (window));
              return body;
            }
        }
      desk_test_ui_spin (10);
    }
  return NULL;
}

static void
show_first (Fixture *fixture)
{
  desk_window_show_release (fixture->window, 1);
  desk_test_ui_spin (50);
  g_assert_cmpint (desk_review_view_get_release_id (desk_window_get_review_view (fixture->window)), ==, 1);
}

static void
test_window_opens_a_team_desk_and_shows_its_releases (Fixture       *fixture,
                                                      gconstpointer  data)
{
  GtkWidget *import;
  DeskReviewView *review;
  GtkTextBuffer *buffer;
  GtkTextIter start, end;
  g_autofree char *text = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autofree char *actor = NULL;

  open_window (fixture);
  g_assert_true (desk_window_is_team_desk (fixture->window));
  g_assert_true (desk_test_ui_wait_until_shown (GTK_WIDGET (fixture->window), "Bridge closes"));
  g_assert_true (wait_until (inbox_counted, fixture));

  /* Both panes of a release. */
  show_first (fixture);
  review = desk_window_get_review_view (fixture->window);
  buffer = GTK_TEXT_BUFFER (desk_review_view_get_edited_buffer (review));
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, TRUE);
  g_assert_nonnull (strstr (text, "The harbour reopened on Monday"));

  /* History read from the server: the import by budi. */
  events = desk_store_list_events (fixture->store, 1, NULL);
  g_assert_nonnull (events);
  g_assert_cmpuint (events->len, >=, 1);

  /* What a team desk does not do from the window yet says so. */
  import = find_button_for_action (GTK_WIDGET (fixture->window), "win.import");
  g_assert_nonnull (import);
  g_assert_false (gtk_widget_is_sensitive (import));
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (import), "Not on a team desk yet"));

  /* The editor is the role logged in. */
  actor = desk_store_dup_actor (fixture->store, NULL);
  g_assert_cmpstr (actor, ==, "ana");
  g_assert_true (desk_test_ui_shows (GTK_WIDGET (fixture->window), "Team desk · ana"));
}

static void
test_search_on_a_team_desk_finds_a_release (Fixture       *fixture,
                                            gconstpointer  data)
{
  DeskQuery query = DESK_QUERY_INIT;
  g_autoptr(GPtrArray) found = NULL;

  open_window (fixture);
  query.search = "bridge";
  found = desk_store_list_releases (fixture->store, &query, NULL);
  g_assert_nonnull (found);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_cmpint (desk_store_count_releases (fixture->store, &query, NULL), ==, 1);
}

static void
test_edit_is_saved_as_a_revision_by_the_login_role (Fixture       *fixture,
                                                    gconstpointer  data)
{
  DeskReviewView *review;
  GtkTextBuffer *buffer;
  g_autoptr(GError) error = NULL;
  g_autofree char *author = NULL;
  g_autofree char *edited = NULL;

  open_window (fixture);
  show_first (fixture);
  review = desk_window_get_review_view (fixture->window);
  buffer = GTK_TEXT_BUFFER (desk_review_view_get_edited_buffer (review));
  gtk_text_buffer_set_text (buffer, "The harbour reopened on Monday, the port said.", -1);
  g_assert_true (desk_review_view_save (review, &error));
  g_assert_no_error (error);

  author = desk_value (fixture, "SELECT author FROM revisions WHERE release_id = 1 ORDER BY number DESC LIMIT 1");
  g_assert_cmpstr (author, ==, "ana");
  edited = desk_value (fixture, "SELECT edited FROM releases WHERE id = 1");
  g_assert_cmpstr (edited, ==, "The harbour reopened on Monday, the port said.");
}

static void
test_editor_approval_is_refused_in_words (Fixture       *fixture,
                                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *body = NULL;
  g_autofree char *status = NULL;

  open_window (fixture);
  show_first (fixture);
  g_assert_true (desk_window_move_current (fixture->window, DESK_STATUS_IN_REVIEW, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (wait_until (open_release_in_review, fixture));

  g_assert_true (desk_window_move_current (fixture->window, DESK_STATUS_APPROVED, NULL, &error));
  body = error_dialog_body ();
  g_assert_nonnull (body);
  g_assert_nonnull (strstr (body, "only a chief editor"));
  g_assert_nonnull (strstr (body, "ana may not do that"));
  status = desk_value (fixture, "SELECT status FROM releases WHERE id = 1");
  g_assert_cmpstr (status, ==, "in_review");
}

static void
test_approval_by_another_editor_shows_in_the_open_window (Fixture       *fixture,
                                                          gconstpointer  data)
{
  open_window (fixture);
  show_first (fixture);
  g_assert_cmpstr (queue_count (fixture, "Approved"), ==, "");

  {
    g_auto(DeskTestRun) review = run_cli ("set-status", "--database", fixture->chief, "1", "in_review");
    g_auto(DeskTestRun) approve = run_cli ("set-status", "--database", fixture->chief, "1", "approved");

    g_assert_cmpint (review.status, ==, 0);
    g_assert_cmpint (approve.status, ==, 0);
  }
  g_assert_true (wait_until (approved_counted, fixture));
  g_assert_true (wait_until (open_release_approved, fixture));
}

static void
test_window_whose_connection_was_terminated_resyncs (Fixture       *fixture,
                                                     gconstpointer  data)
{
  g_autofree char *terminate = NULL;

  open_window (fixture);
  show_first (fixture);

  /* Every connection of the window's role goes, as when the server
   * restarts; the chief's move is made while the window is away. */
  terminate = g_strdup_printf ("SELECT pg_terminate_backend (pid) FROM pg_stat_activity"
                               " WHERE usename = 'ana' AND datname = '%s'", fixture->database);
  desk_pg_harness_sql (server, "postgres", terminate);
  {
    g_auto(DeskTestRun) review = run_cli ("set-status", "--database", fixture->chief, "1", "in_review");
    g_auto(DeskTestRun) approve = run_cli ("set-status", "--database", fixture->chief, "1", "approved");

    g_assert_cmpint (approve.status, ==, 0);
  }
  g_assert_true (wait_until (approved_counted, fixture));
  g_assert_true (wait_until (open_release_approved, fixture));
}

static gboolean
copy_read_only (Fixture *fixture)
{
  return desk_review_view_get_read_only (desk_window_get_review_view (fixture->window));
}

static char *
edited_text (Fixture *fixture)
{
  GtkTextBuffer *buffer = GTK_TEXT_BUFFER (desk_review_view_get_edited_buffer (desk_window_get_review_view (fixture->window)));
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, TRUE);
}

static void
test_unsaved_edits_are_kept_when_another_editor_saves (Fixture       *fixture,
                                                       gconstpointer  data)
{
  g_autofree char *file = g_build_filename (fixture->dir, "edit.txt", NULL);
  DeskReviewView *view;
  g_autofree char *current = NULL;

  open_window (fixture);
  show_first (fixture);
  view = desk_window_get_review_view (fixture->window);
  g_assert_true (g_file_set_contents (file, "The port reopened, says the CLI.\n", -1, NULL));

  /* Budi takes the release over and saves a revision; before the window
   * has heard of it, ana types (the main loop does not run while the CLI
   * does). */
  {
    g_auto(DeskTestRun) run = run_cli ("edit", "--database", fixture->chief, "1", "--from-file", file, "--take-over");
    g_assert_cmpint (run.status, ==, 0);
  }
  {
    GtkTextBuffer *buffer = GTK_TEXT_BUFFER (desk_review_view_get_edited_buffer (view));
    GtkTextIter end;

    gtk_text_buffer_get_end_iter (buffer, &end);
    gtk_text_buffer_insert (buffer, &end, "Ships queue outside.\n", -1);
  }
  g_assert_true (desk_review_view_has_unsaved_changes (view));

  g_assert_true (desk_test_ui_wait_until_shown (GTK_WIDGET (fixture->window),
                                                "#1 was changed elsewhere. Your unsaved edits are kept; "
                                                "the other version is in its history."));
  {
    g_autofree char *text = edited_text (fixture);

    g_assert_nonnull (strstr (text, "Ships queue outside."));
    g_assert_null (strstr (text, "says the CLI"));
  }

  /* Taken over, the copy is read-only until ana takes the release back
   * (budi is gone: nobody to ask); then her copy is saved over the other
   * at her next change, and the other stays in the history. */
  g_assert_true (wait_until (copy_read_only, fixture));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.take-over", NULL));
  g_assert_false (desk_review_view_get_read_only (view));
  {
    GtkTextBuffer *buffer = GTK_TEXT_BUFFER (desk_review_view_get_edited_buffer (view));
    GtkTextIter end;

    gtk_text_buffer_get_end_iter (buffer, &end);
    gtk_text_buffer_insert (buffer, &end, "Tugs wait.\n", -1);
  }
  for (guint i = 0; i < 500 && desk_review_view_has_unsaved_changes (view); i++)
    desk_test_ui_spin (10);
  g_assert_false (desk_review_view_has_unsaved_changes (view));
  current = desk_value (fixture, "SELECT edited FROM releases WHERE id = 1");
  g_assert_nonnull (strstr (current, "Ships queue outside."));
  g_free (current);
  current = desk_value (fixture, "SELECT string_agg (author, ',' ORDER BY number) FROM revisions WHERE release_id = 1");
  g_assert_cmpstr (current, ==, "budi,ana");
}

/* A chief's window approves through the pre-publish check: wire
 * furniture in the copy stops the approval until it is cleaned up. */
static void
test_chief_approval_passes_the_pre_publish_check (Fixture       *fixture,
                                                  gconstpointer  data)
{
  g_autofree char *seed = g_build_filename (fixture->dir, "in", "3-seed.txt", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *status = NULL;
  g_autofree char *actor = NULL;
  GtkWidget *dialog = NULL;

  write_release (fixture, "3-seed.txt",
                 "Harbour works end\n\n"
                 "JAKARTA, 8 Desember 2026 (SeaPRwire) – The harbour works ended on Monday, the port said.\n\n"
                 "Sektor: Top Story, Daily News\n\n"
                 "SeaPRwire (https://www.seaprwire.com/) menyediakan distribusi siaran pers real-time.\n");
  {
    g_auto(DeskTestRun) import = run_cli ("import", "--database", fixture->chief, seed);
    g_assert_cmpint (import.status, ==, 0);
  }
  g_clear_object (&fixture->store);
  fixture->store = desk_store_open (fixture->chief, &error);
  g_assert_no_error (error);
  open_window (fixture);
  desk_window_show_release (fixture->window, 3);
  desk_test_ui_spin (50);
  g_assert_true (desk_window_move_current (fixture->window, DESK_STATUS_IN_REVIEW, NULL, &error));
  g_assert_true (wait_until (open_release_in_review, fixture));
  g_assert_true (desk_window_move_current (fixture->window, DESK_STATUS_APPROVED, NULL, &error));

  for (guint tries = 0; tries < 300 && dialog == NULL; tries++)
    {
      GListModel *toplevels = gtk_window_get_toplevels ();

      for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
        {
          g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i);

          if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_visible (window) &&
              g_strcmp0 (gtk_widget_get_name (window), "pre-publish-check") == 0)
            dialog = window;
        }
      desk_test_ui_spin (10);
    }
  g_assert_nonnull (dialog);
  g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)), "(SeaPRwire)"));
  status = desk_value (fixture, "SELECT status FROM releases WHERE id = 3");
  g_assert_cmpstr (status, ==, "in_review");

  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "clean");
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_assert_true (wait_until (open_release_approved, fixture));
  g_free (status);
  status = desk_value (fixture, "SELECT edited FROM releases WHERE id = 3");
  g_assert_null (strstr (status, "SeaPRwire"));
  actor = desk_value (fixture, "SELECT actor FROM events WHERE release_id = 3 AND to_status = 'approved'");
  g_assert_cmpstr (actor, ==, "budi");

  /* The next step, Publish, is not the window's on a team desk yet. */
  {
    GtkWidget *publish = find_button_for_action (GTK_WIDGET (fixture->window), "win.publish");

    desk_test_ui_spin (50);
    g_assert_nonnull (publish);
    g_assert_true (gtk_widget_get_visible (publish));
    g_assert_false (gtk_widget_is_sensitive (publish));
    g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (publish), "copydesk-cli publish"));
  }
}

/* Two chiefs on one release: the window's move, decided on what it
 * showed, loses to the CLI's made meanwhile, and says so as the CLI does. */
static void
test_lost_race_is_told_as_the_cli_tells_it (Fixture       *fixture,
                                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *body = NULL;
  g_autofree char *status = NULL;
  g_autofree char *citra = desk_pg_harness_address (server, fixture->database, "citra");

  desk_pg_harness_sql (server, "postgres",
                       "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'citra') THEN"
                       " CREATE ROLE citra LOGIN IN ROLE copydesk_chief; END IF; END $$");
  g_clear_object (&fixture->store);
  fixture->store = desk_store_open (citra, &error);
  g_assert_no_error (error);
  open_window (fixture);
  show_first (fixture);
  g_assert_true (desk_window_move_current (fixture->window, DESK_STATUS_IN_REVIEW, NULL, &error));
  g_assert_true (wait_until (open_release_in_review, fixture));

  /* Budi approves; the window has not heard of it when citra rejects
   * (the main loop does not run while the CLI does). */
  {
    g_auto(DeskTestRun) approve = run_cli ("set-status", "--database", fixture->chief, "1", "approved");
    g_assert_cmpint (approve.status, ==, 0);
  }
  g_assert_true (desk_window_move_current (fixture->window, DESK_STATUS_REJECTED, NULL, &error));
  body = error_dialog_body ();
  g_assert_nonnull (body);
  g_assert_nonnull (strstr (body, "Release #1 was moved to approved by budi first"));
  status = desk_value (fixture, "SELECT status FROM releases WHERE id = 1");
  g_assert_cmpstr (status, ==, "approved");
  g_assert_true (wait_until (open_release_approved, fixture));
}

static void
count_emission (gpointer  instance,
                guint    *count)
{
  (*count)++;
}

static void
test_own_writes_do_not_make_the_window_follow_itself (Fixture       *fixture,
                                                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  guint followed = 0;

  open_window (fixture);
  show_first (fixture);
  g_signal_connect (fixture->window, "followed", G_CALLBACK (count_emission), &followed);

  /* The window's own move and save, on its store's connection. */
  g_assert_true (desk_window_move_current (fixture->window, DESK_STATUS_IN_REVIEW, NULL, &error));
  g_assert_no_error (error);
  gtk_text_buffer_set_text (GTK_TEXT_BUFFER (desk_review_view_get_edited_buffer (desk_window_get_review_view (fixture->window))),
                            "The harbour reopened on Monday.", -1);
  g_assert_true (desk_review_view_save (desk_window_get_review_view (fixture->window), &error));
  desk_test_ui_spin (1000);
  g_assert_cmpuint (followed, ==, 0);

  /* Another editor's is followed, once. */
  {
    g_auto(DeskTestRun) run = run_cli ("set-status", "--database", fixture->chief, "2", "in_review");
    g_assert_cmpint (run.status, ==, 0);
  }
  for (guint i = 0; i < 500 && followed == 0; i++)
    desk_test_ui_spin (10);
  g_assert_cmpuint (followed, ==, 1);
  desk_test_ui_spin (1000);
  g_assert_cmpuint (followed, ==, 1);
}

/* The "database" setting names a team desk, as COPYDESK_DB does. */
static void
test_database_setting_names_a_team_desk (Fixture       *fixture,
                                         gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new ("io.github.copydesk.Copydesk");
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskStore) store = NULL;
  g_autofree char *actor = NULL;

  g_settings_set_string (settings, "database", fixture->editor);
  store = desk_store_open (NULL, &error);
  g_settings_reset (settings, "database");
  g_assert_no_error (error);
  g_assert_true (desk_store_is_team_desk (store));
  actor = desk_store_dup_actor (store, NULL);
  g_assert_cmpstr (actor, ==, "ana");
}

/* A desk that refuses connections is asked again after a pause, not by
 * every call the window makes meanwhile (each would wait for it). */
static void
test_reconnection_is_not_asked_for_at_every_call (Fixture       *fixture,
                                                  gconstpointer  data)
{
  g_autofree char *refuse = g_strdup_printf ("ALTER DATABASE %s ALLOW_CONNECTIONS false", fixture->database);
  g_autofree char *allow = g_strdup_printf ("ALTER DATABASE %s ALLOW_CONNECTIONS true", fixture->database);
  g_autofree char *terminate = g_strdup_printf ("SELECT pg_terminate_backend (pid) FROM pg_stat_activity"
                                                " WHERE usename = 'ana' AND datname = '%s'", fixture->database);
  g_autoptr(DeskRelease) release = NULL;
  g_autoptr(GError) error = NULL;

  release = desk_store_get_release (fixture->store, 1, &error);
  g_assert_no_error (error);
  g_clear_object (&release);

  desk_pg_harness_sql (server, "postgres", refuse);
  desk_pg_harness_sql (server, "postgres", terminate);
  release = desk_store_get_release (fixture->store, 1, &error);
  g_assert_null (release);
  g_assert_nonnull (error);
  g_assert_null (strstr (error->message, "trying again"));
  g_clear_error (&error);

  /* Back at once: the store does not ask until its pause is over. */
  desk_pg_harness_sql (server, "postgres", allow);
  release = desk_store_get_release (fixture->store, 1, &error);
  g_assert_null (release);
  g_assert_error (error, DESK_PG_ERROR, DESK_PG_ERROR_LOST);
  g_assert_nonnull (strstr (error->message, "trying again"));
  g_clear_error (&error);

  for (guint i = 0; i < 1000 && release == NULL; i++)
    {
      desk_test_ui_spin (10);
      release = desk_store_get_release (fixture->store, 1, NULL);
    }
  g_assert_nonnull (release);
}


/* ---- soft locks ------------------------------------------------------------- */

/* `copydesk-cli lock ID` as budi, held until it stops: its first line
 * read, so the lock is held when this returns. */
static GSubprocess *
hold_lock (Fixture          *fixture,
           const char       *id,
           GDataInputStream **out)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  GSubprocess *process;

  g_subprocess_launcher_unsetenv (launcher, "COPYDESK_DB");
  process = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("COPYDESK_CLI"),
                                         "lock", "--database", fixture->chief, id, NULL);
  g_assert_no_error (error);
  *out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  line = g_data_input_stream_read_line_utf8 (*out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (line, "locked for editing by budi"));
  return process;
}

/* A label in a revealer (a banner) whose text has @text in it. */
static GtkWidget *
find_banner_label (GtkWidget  *widget,
                   const char *text)
{
  if (GTK_IS_LABEL (widget) && strstr (gtk_label_get_text (GTK_LABEL (widget)), text) != NULL &&
      gtk_widget_get_ancestor (widget, GTK_TYPE_REVEALER) != NULL)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_banner_label (child, text);
      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The banner: the revealer around the label that names budi. */
static GtkWidget *
lock_banner (Fixture *fixture)
{
  GtkWidget *label = find_banner_label (GTK_WIDGET (fixture->window), "budi");

  return label != NULL ? gtk_widget_get_ancestor (label, GTK_TYPE_REVEALER) : NULL;
}

static gboolean
lock_banner_shown (Fixture *fixture)
{
  GtkWidget *banner = lock_banner (fixture);

  return banner != NULL && gtk_revealer_get_reveal_child (GTK_REVEALER (banner));
}

static gboolean
copy_editable (Fixture *fixture)
{
  return !desk_review_view_get_read_only (desk_window_get_review_view (fixture->window));
}

static void
test_release_another_editor_holds_opens_read_only (Fixture       *fixture,
                                                   gconstpointer  data)
{
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GSubprocess) holder = hold_lock (fixture, "1", &out);
  g_autoptr(GError) error = NULL;
  DeskReviewView *review;

  open_window (fixture);
  show_first (fixture);
  review = desk_window_get_review_view (fixture->window);
  g_assert_true (wait_until (lock_banner_shown, fixture));
  g_assert_nonnull (find_banner_label (GTK_WIDGET (fixture->window), "budi is editing since "));
  g_assert_true (desk_review_view_get_read_only (review));

  g_subprocess_force_exit (holder);
  g_subprocess_wait (holder, NULL, NULL);
}

static void
test_take_over_tells_the_holder_and_lets_the_window_save (Fixture       *fixture,
                                                          gconstpointer  data)
{
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GSubprocess) holder = hold_lock (fixture, "1", &out);
  g_autoptr(GError) error = NULL;
  g_autofree char *told = NULL;
  g_autofree char *author = NULL;
  DeskReviewView *review;
  GtkWidget *dialog = NULL;
  GtkTextBuffer *buffer;

  open_window (fixture);
  show_first (fixture);
  review = desk_window_get_review_view (fixture->window);
  g_assert_true (wait_until (lock_banner_shown, fixture));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.take-over", NULL));
  for (guint i = 0; i < 500 && dialog == NULL; i++)
    {
      GListModel *toplevels = gtk_window_get_toplevels ();

      desk_test_ui_spin (10);
      for (guint j = 0; j < g_list_model_get_n_items (toplevels); j++)
        {
          g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, j);

          if (ADW_IS_MESSAGE_DIALOG (window))
            dialog = window;
        }
    }
  g_assert_nonnull (dialog);
  g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)), "budi"));
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "take-over");
  /* Taken, before the CLI is asked what it was told (else it waits). */
  g_assert_false (desk_review_view_get_read_only (review));

  told = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (told);
  g_assert_nonnull (strstr (told, "ana took over release #1"));
  g_subprocess_wait (holder, NULL, NULL);

  buffer = GTK_TEXT_BUFFER (desk_review_view_get_edited_buffer (review));
  gtk_text_buffer_set_text (buffer, "The harbour reopened, ana says.", -1);
  g_assert_true (desk_review_view_save (review, &error));
  g_assert_no_error (error);
  author = desk_value (fixture, "SELECT author FROM revisions WHERE release_id = 1 ORDER BY number DESC LIMIT 1");
  g_assert_cmpstr (author, ==, "ana");
}

static void
test_window_editing_a_release_is_listed_by_the_cli (Fixture       *fixture,
                                                    gconstpointer  data)
{
  open_window (fixture);
  show_first (fixture);
  {
    g_auto(DeskTestRun) locks = run_cli ("locks", "--database", fixture->chief);

    g_assert_cmpint (locks.status, ==, 0);
    g_assert_nonnull (strstr (locks.out, "#1\tHarbour reopens\tana\tsince"));
  }
}

static void
test_take_over_by_the_cli_keeps_the_unsaved_copy_read_only (Fixture       *fixture,
                                                            gconstpointer  data)
{
  g_autofree char *file = g_build_filename (fixture->dir, "edit.txt", NULL);
  DeskReviewView *review;
  GtkTextBuffer *buffer;
  GtkTextIter end;

  open_window (fixture);
  show_first (fixture);
  review = desk_window_get_review_view (fixture->window);
  buffer = GTK_TEXT_BUFFER (desk_review_view_get_edited_buffer (review));
  gtk_text_buffer_get_end_iter (buffer, &end);
  gtk_text_buffer_insert (buffer, &end, "Ships queue outside.\n", -1);
  g_assert_true (g_file_set_contents (file, "The port reopened, says budi.\n", -1, NULL));
  {
    g_auto(DeskTestRun) run = run_cli ("edit", "--database", fixture->chief, "1", "--from-file", file, "--take-over");
    g_assert_cmpint (run.status, ==, 0);
  }
  g_assert_true (wait_until (lock_banner_shown, fixture));
  g_assert_nonnull (find_banner_label (GTK_WIDGET (fixture->window), "budi took over this release at "));
  g_assert_true (desk_review_view_get_read_only (review));
  /* The kept copy is not the editor's to change: Take Back does nothing. */
  gtk_text_buffer_get_end_iter (buffer, &end);
  gtk_text_iter_backward_chars (&end, 5);
  gtk_text_buffer_place_cursor (buffer, &end);
  desk_test_ui_spin (50);
  gtk_widget_activate_action (GTK_WIDGET (review), "review.take-back", NULL);
  desk_review_view_flush_diff (review);
  {
    g_autofree char *text = edited_text (fixture);

    g_assert_nonnull (strstr (text, "Ships queue outside."));
  }
}

static void
test_lock_of_a_killed_holder_is_freed_in_the_window (Fixture       *fixture,
                                                     gconstpointer  data)
{
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GSubprocess) holder = hold_lock (fixture, "1", &out);

  open_window (fixture);
  show_first (fixture);
  g_assert_true (wait_until (lock_banner_shown, fixture));
  g_subprocess_send_signal (holder, SIGKILL);
  g_subprocess_wait (holder, NULL, NULL);
  g_assert_true (wait_until (copy_editable, fixture));
  {
    g_auto(DeskTestRun) locks = run_cli ("locks", "--database", fixture->chief);

    g_assert_nonnull (strstr (locks.out, "\tana\t"));
  }
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  g_setenv ("COPYDESK_SECRETS", "memory", TRUE);

  if (!gtk_init_check ())
    {
      printf ("1..0 # SKIP no display (run under xvfb-run)\n");
      return 0;
    }
  adw_init ();
  server = desk_pg_harness_start ();

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/ui/pg/window-opens-a-team-desk-and-shows-its-releases",
       test_window_opens_a_team_desk_and_shows_its_releases);
  ADD ("/ui/pg/search-on-a-team-desk-finds-a-release", test_search_on_a_team_desk_finds_a_release);
  ADD ("/ui/pg/edit-is-saved-as-a-revision-by-the-login-role",
       test_edit_is_saved_as_a_revision_by_the_login_role);
  ADD ("/ui/pg/editor-approval-is-refused-in-words", test_editor_approval_is_refused_in_words);
  ADD ("/ui/pg/approval-by-another-editor-shows-in-the-open-window",
       test_approval_by_another_editor_shows_in_the_open_window);
  ADD ("/ui/pg/window-whose-connection-was-terminated-resyncs",
       test_window_whose_connection_was_terminated_resyncs);

  ADD ("/ui/pg/unsaved-edits-are-kept-when-another-editor-saves",
       test_unsaved_edits_are_kept_when_another_editor_saves);
  ADD ("/ui/pg/chief-approval-passes-the-pre-publish-check",
       test_chief_approval_passes_the_pre_publish_check);

  ADD ("/ui/pg/lost-race-is-told-as-the-cli-tells-it", test_lost_race_is_told_as_the_cli_tells_it);

  ADD ("/ui/pg/own-writes-do-not-make-the-window-follow-itself",
       test_own_writes_do_not_make_the_window_follow_itself);

  ADD ("/ui/pg/database-setting-names-a-team-desk", test_database_setting_names_a_team_desk);

  ADD ("/ui/pg/reconnection-is-not-asked-for-at-every-call", test_reconnection_is_not_asked_for_at_every_call);

  ADD ("/ui/pg/locks/release-another-editor-holds-opens-read-only",
       test_release_another_editor_holds_opens_read_only);
  ADD ("/ui/pg/locks/take-over-tells-the-holder-and-lets-the-window-save",
       test_take_over_tells_the_holder_and_lets_the_window_save);
  ADD ("/ui/pg/locks/window-editing-a-release-is-listed-by-the-cli",
       test_window_editing_a_release_is_listed_by_the_cli);
  ADD ("/ui/pg/locks/take-over-by-the-cli-keeps-the-unsaved-copy-read-only",
       test_take_over_by_the_cli_keeps_the_unsaved_copy_read_only);
  ADD ("/ui/pg/locks/lock-of-a-killed-holder-is-freed-in-the-window",
       test_lock_of_a_killed_holder_is_freed_in_the_window);

#undef ADD

  status = g_test_run ();
  desk_pg_harness_stop (server);
  return status;
}
