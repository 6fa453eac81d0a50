/* test-ui-window.c — the review window on real widgets, under Xvfb
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdio.h>
#include <string.h>
#include <glib/gstdio.h>
#include <adwaita.h>

#include <libsoup/soup.h>

#include "desk-history-window.h"
#include "desk-error.h"
#include "desk-preferences.h"
#include "desk-source.h"
#include "desk-importer.h"
#include "desk-test-ui.h"
#include "desk-test-util.h"
#include "desk-window.h"

typedef DeskTestWindowFixture Fixture;

static char *
seed_path (void)
{
  return g_test_build_filename (G_TEST_DIST, "fixtures", "seaprwire-id-moskow-konfirmasi.txt", NULL);
}

static void
import_seed (Fixture *fixture)
{
  g_autofree char *seed = seed_path ();
  g_autoptr(DeskImportItem) item = desk_import_file (fixture->store, seed, "Ed");

  g_assert_cmpint (item->outcome, ==, DESK_IMPORT_IMPORTED);
}

/* Whether @action can be used now, as a button bound to it would show:
 * the action bar offers one move at a time, the others are in its menu,
 * so a probe button beside it asks. */
static gboolean
action_enabled (Fixture    *fixture,
                const char *action)
{
  GObject *next_step = gtk_widget_get_template_child (GTK_WIDGET (fixture->window), DESK_TYPE_WINDOW,
                                                      "next_step_button");
  GtkWidget *bar = gtk_widget_get_parent (GTK_WIDGET (next_step));
  GtkWidget *probe = gtk_button_new ();
  gboolean enabled;

  gtk_actionable_set_action_name (GTK_ACTIONABLE (probe), action);
  gtk_box_append (GTK_BOX (bar), probe);
  desk_test_ui_spin (20);
  enabled = gtk_widget_get_sensitive (probe);
  gtk_box_remove (GTK_BOX (bar), probe);
  return enabled;
}

static int window_height = 860;

static DeskReviewView *
open_window_on_seed (Fixture *fixture)
{
  import_seed (fixture);
  fixture->window = desk_window_new (NULL, fixture->store);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1400, window_height);
  gtk_window_present (GTK_WINDOW (fixture->window));
  g_assert_true (desk_test_ui_wait_until_shown (GTK_WIDGET (fixture->window), "Moskow konfirmasi pembicaraan baru Rusia-AS"));
  desk_window_select_position (fixture->window, 0);
  desk_test_ui_spin (50);
  return desk_window_get_review_view (fixture->window);
}

static char *
buffer_text (GtkSourceBuffer *buffer)
{
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (GTK_TEXT_BUFFER (buffer), &start, &end);
  return gtk_text_buffer_get_text (GTK_TEXT_BUFFER (buffer), &start, &end, TRUE);
}

/* The text of every range of @buffer that has tag @name, joined by "|". */
static char *
tagged_text (GtkSourceBuffer *buffer,
             const char      *name)
{
  GtkTextTag *tag = gtk_text_tag_table_lookup (gtk_text_buffer_get_tag_table (GTK_TEXT_BUFFER (buffer)), name);
  GString *out = g_string_new (NULL);
  GtkTextIter iter;

  gtk_text_buffer_get_start_iter (GTK_TEXT_BUFFER (buffer), &iter);
  while (!gtk_text_iter_is_end (&iter))
    {
      if (gtk_text_iter_starts_tag (&iter, tag) || (gtk_text_iter_is_start (&iter) && gtk_text_iter_has_tag (&iter, tag)))
        {
          GtkTextIter end = iter;
          g_autofree char *text = NULL;

          gtk_text_iter_forward_to_tag_toggle (&end, tag);
          text = gtk_text_iter_get_text (&iter, &end);
          g_string_append_printf (out, "%s%s", out->len ? "|" : "", text);
          iter = end;
        }
      else if (!gtk_text_iter_forward_to_tag_toggle (&iter, tag))
        break;
    }
  return g_string_free (out, FALSE);
}

/* The pre-publish check's dialog, once it is up. */
static AdwMessageDialog *
find_check_dialog (void)
{
  for (guint tries = 0; tries < 200; tries++)
    {
      GListModel *toplevels = gtk_window_get_toplevels ();

      for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
        {
          g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i);

          if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_visible (window) &&
              g_strcmp0 (gtk_widget_get_name (window), "pre-publish-check") == 0)
            return ADW_MESSAGE_DIALOG (window);
        }
      desk_test_ui_spin (10);
    }
  g_error ("the pre-publish check did not show");
}

/* Answers the pre-publish check as the editor would: "clean", or
 * "override" after typing @reason. */
static void
answer_check (const char *response,
              const char *reason)
{
  AdwMessageDialog *dialog = find_check_dialog ();

  if (reason != NULL)
    {
      GtkWidget *entry = adw_message_dialog_get_extra_child (dialog);

      g_assert_false (adw_message_dialog_get_response_enabled (dialog, "override"));
      gtk_editable_set_text (GTK_EDITABLE (entry), reason);
      g_assert_true (adw_message_dialog_get_response_enabled (dialog, "override"));
    }
  /* As a click does: the response, then the dialog goes. */
  adw_message_dialog_response (dialog, response);
  gtk_window_destroy (GTK_WINDOW (dialog));
  desk_test_ui_spin (50);
}

/* Replaces the first @old in the edited copy with @new, as typing would. */
static void
edit_word (DeskReviewView *view,
           const char     *old,
           const char     *new)
{
  GtkTextBuffer *buffer = GTK_TEXT_BUFFER (desk_review_view_get_edited_buffer (view));
  GtkTextIter start, match_start, match_end;

  gtk_text_buffer_get_start_iter (buffer, &start);
  g_assert_true (gtk_text_iter_forward_search (&start, old, 0, &match_start, &match_end, NULL));
  gtk_text_buffer_delete (buffer, &match_start, &match_end);
  gtk_text_buffer_insert (buffer, &match_start, new, -1);
}

static void
test_window_lists_the_imported_seed (Fixture       *fixture,
                                     gconstpointer  data)
{
  import_seed (fixture);
  fixture->window = desk_window_new (NULL, fixture->store);
  gtk_window_present (GTK_WINDOW (fixture->window));

  g_assert_true (desk_test_ui_wait_until_shown (GTK_WIDGET (fixture->window), "Moskow konfirmasi pembicaraan baru Rusia-AS"));
  g_assert_true (desk_test_ui_shows (GTK_WIDGET (fixture->window), "Inbox"));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (desk_window_get_releases (fixture->window))), ==, 1);
  /* The Inbox count arrives from a thread. */
  g_assert_true (desk_test_ui_wait_until_shown (GTK_WIDGET (fixture->window), "1"));
}

static void
imported (DeskWindow *window,
          guint       n,
          guint      *out)
{
  *out = n + 1;
}

static void
test_import_from_the_window_runs_off_the_main_thread (Fixture       *fixture,
                                                      gconstpointer  data)
{
  g_autofree char *seed = seed_path ();
  g_autofree char *missing = g_build_filename (fixture->dir, "missing.txt", NULL);
  const char *paths[] = { seed, missing, NULL };
  guint result = 0;

  fixture->window = desk_window_new (NULL, fixture->store);
  gtk_window_present (GTK_WINDOW (fixture->window));
  g_assert_true (desk_test_ui_wait_until_shown (GTK_WIDGET (fixture->window), "No Releases Yet"));
  g_assert_true (desk_test_ui_shows (GTK_WIDGET (fixture->window), "_Load Sample Releases") ||
                 desk_test_ui_shows (GTK_WIDGET (fixture->window), "Load Sample Releases"));

  g_signal_connect (fixture->window, "imported", G_CALLBACK (imported), &result);
  desk_window_import (fixture->window, paths);
  for (guint i = 0; i < 1000 && result == 0; i++)
    desk_test_ui_spin (10);
  g_assert_cmpuint (result, ==, 2);

  g_assert_true (desk_test_ui_wait_until_shown (GTK_WIDGET (fixture->window), "Moskow konfirmasi pembicaraan baru Rusia-AS"));
  /* The failure is listed where the editor can read it. */
  {
    GList *toplevels = gtk_window_list_toplevels ();
    gboolean listed = FALSE;

    for (GList *l = toplevels; l != NULL; l = l->next)
      if (ADW_IS_MESSAGE_DIALOG (l->data))
        {
          listed |= desk_test_ui_shows (l->data, "1 file was not imported");
          gtk_window_destroy (l->data);
        }
    g_list_free (toplevels);
    g_assert_true (listed);
  }
}

static void
test_selecting_a_release_fills_both_panes (Fixture       *fixture,
                                           gconstpointer  data)
{
  DeskReviewView *view = open_window_on_seed (fixture);
  g_autofree char *original = buffer_text (desk_review_view_get_original_buffer (view));
  g_autofree char *edited = buffer_text (desk_review_view_get_edited_buffer (view));
  g_autofree char *removed = tagged_text (desk_review_view_get_original_buffer (view), "removed");
  g_autofree char *end_matter = tagged_text (desk_review_view_get_original_buffer (view), "end-matter");
  g_autofree char *headline = desk_review_view_dup_headline (view);

  g_assert_cmpint (desk_review_view_get_release_id (view), ==, 1);
  g_assert_true (g_str_has_prefix (original, "Moskow konfirmasi pembicaraan baru Rusia-AS\n(SeaPRwire) –"));
  g_assert_cmpstr (edited, ==, original);
  g_assert_cmpstr (headline, ==, "Moskow konfirmasi pembicaraan baru Rusia-AS");
  g_assert_cmpstr (removed, ==, "");
  g_assert_cmpuint (desk_review_view_get_n_changes (view), ==, 0);
  /* The wire furniture is marked in the original. */
  g_assert_true (g_str_has_prefix (end_matter, "(SeaPRwire) – |Artikel ini disediakan"));
  g_assert_true (desk_test_ui_wait_until_shown (GTK_WIDGET (fixture->window), "Original"));
}

static void
test_editing_one_word_highlights_exactly_that_word (Fixture       *fixture,
                                                    gconstpointer  data)
{
  DeskReviewView *view = open_window_on_seed (fixture);
  g_autofree char *added = NULL;
  g_autofree char *removed = NULL;

  edit_word (view, "Istanbul, Turkiye", "Ankara, Turkiye");
  desk_review_view_update_diff (view);

  added = tagged_text (desk_review_view_get_edited_buffer (view), "added");
  removed = tagged_text (desk_review_view_get_original_buffer (view), "removed");
  g_assert_cmpstr (added, ==, "Ankara");
  g_assert_cmpstr (removed, ==, "Istanbul");
  g_assert_cmpuint (desk_review_view_get_n_changes (view), ==, 1);
}

static void
test_edits_are_saved_as_a_revision_after_a_pause (Fixture       *fixture,
                                                  gconstpointer  data)
{
  DeskReviewView *view = open_window_on_seed (fixture);
  g_autoptr(GPtrArray) revisions = NULL;

  edit_word (view, "Istanbul, Turkiye", "Ankara, Turkiye");
  g_assert_true (desk_review_view_has_unsaved_changes (view));
  desk_test_ui_spin (DESK_AUTOSAVE_DELAY_MS + 400);
  g_assert_false (desk_review_view_has_unsaved_changes (view));

  revisions = desk_store_list_revisions (fixture->store, 1, NULL);
  g_assert_cmpuint (revisions->len, ==, 1);
  g_assert_nonnull (strstr (((DeskRevision *) revisions->pdata[0])->text, "di Ankara, Turkiye"));
}

static GtkWidget *
find_list_view (GtkWidget *widget)
{
  if (GTK_IS_LIST_VIEW (widget))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_list_view (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The release the list shows selected, or 0. */
static gint64
selected_release_id (Fixture *fixture)
{
  GtkWidget *list_view = find_list_view (GTK_WIDGET (fixture->window));
  GtkSelectionModel *selection;

  g_assert_nonnull (list_view);
  selection = gtk_list_view_get_model (GTK_LIST_VIEW (list_view));
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (selection)); i++)
    if (gtk_selection_model_is_selected (selection, i))
      {
        g_autoptr(DeskRelease) release = g_list_model_get_item (G_LIST_MODEL (selection), i);

        return desk_release_get_id (release);
      }
  return 0;
}

static void
count_changes (GListModel *model,
               guint       position,
               guint       removed,
               guint       added,
               guint      *n)
{
  (*n)++;
}

/* Going to another release with edits not yet saved saves them, and the
 * list keeps the release now on screen selected (it used to jump back to
 * the one just saved). */
static void
test_switching_with_unsaved_edits_keeps_the_new_release_selected (Fixture       *fixture,
                                                                  gconstpointer  data)
{
  DeskReviewView *view = open_window_on_seed (fixture);
  gint64 other = desk_test_add_text (fixture->store, "Gempa di Cianjur\nWarga diminta tenang.\n");
  g_autoptr(GPtrArray) revisions = NULL;

  desk_window_reload (fixture->window);
  desk_test_ui_spin (50);
  /* Newest first: the seed is second now. */
  desk_window_select_position (fixture->window, 1);
  desk_test_ui_spin (50);
  g_assert_cmpint (desk_review_view_get_release_id (view), ==, 1);

  edit_word (view, "Istanbul, Turkiye", "Ankara, Turkiye");
  desk_window_select_position (fixture->window, 0);
  desk_test_ui_spin (100);

  revisions = desk_store_list_revisions (fixture->store, 1, NULL);
  g_assert_cmpuint (revisions->len, ==, 1);
  g_assert_cmpint (desk_review_view_get_release_id (view), ==, other);
  g_assert_cmpint (selected_release_id (fixture), ==, other);
}

/* An autosave that leaves status and headline as they were changes
 * nothing a queue shows: the list is not read again.  Saving approved
 * copy sends it back to review, and then the list follows. */
static void
test_autosave_reloads_the_list_only_when_the_listing_changes (Fixture       *fixture,
                                                              gconstpointer  data)
{
  DeskReviewView *view = open_window_on_seed (fixture);
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskRelease) release = NULL;
  guint n_changes = 0;

  desk_window_select_queue (fixture->window, -1);   /* All */
  desk_test_ui_spin (50);
  g_signal_connect (desk_window_get_releases (fixture->window), "items-changed",
                    G_CALLBACK (count_changes), &n_changes);

  edit_word (view, "Istanbul, Turkiye", "Ankara, Turkiye");
  desk_test_ui_spin (DESK_AUTOSAVE_DELAY_MS + 400);
  g_assert_false (desk_review_view_has_unsaved_changes (view));
  g_assert_cmpuint (n_changes, ==, 0);

  g_assert_true (desk_window_move_current (fixture->window, DESK_STATUS_IN_REVIEW, NULL, &error));
  g_assert_true (desk_window_move_current (fixture->window, DESK_STATUS_APPROVED, NULL, &error));
  g_assert_no_error (error);
  answer_check ("override", "The chief runs the wire copy as sent");
  desk_test_ui_spin (50);
  n_changes = 0;

  edit_word (view, "Ankara, Turkiye", "Izmir, Turkiye");
  desk_test_ui_spin (DESK_AUTOSAVE_DELAY_MS + 400);
  release = desk_store_get_release (fixture->store, 1, NULL);
  g_assert_cmpint (desk_release_get_status (release), ==, DESK_STATUS_IN_REVIEW);
  g_assert_cmpuint (n_changes, >, 0);
}

static void
test_approve_moves_the_release_and_only_allowed_moves_are_enabled (Fixture       *fixture,
                                                                   gconstpointer  data)
{
  DeskReviewView *view = open_window_on_seed (fixture);
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskRelease) release = NULL;

  /* New: review may start, or the release be rejected; nothing else. */
  g_assert_true (action_enabled (fixture, "win.start-review"));
  g_assert_true (action_enabled (fixture, "win.reject"));
  g_assert_false (action_enabled (fixture, "win.approve"));
  g_assert_false (action_enabled (fixture, "win.request-changes"));

  g_assert_true (desk_window_move_current (fixture->window, DESK_STATUS_IN_REVIEW, NULL, &error));
  g_assert_true (action_enabled (fixture, "win.approve"));
  g_assert_false (action_enabled (fixture, "win.start-review"));

  edit_word (view, "Istanbul, Turkiye", "Ankara, Turkiye");
  g_assert_true (desk_window_move_current (fixture->window, DESK_STATUS_APPROVED, "Siap", &error));
  g_assert_no_error (error);
  answer_check ("override", "Runs with its credit, the chief's call");

  release = desk_store_get_release (fixture->store, 1, NULL);
  g_assert_cmpint (desk_release_get_status (release), ==, DESK_STATUS_APPROVED);
  /* What was approved is what was on screen, edit included. */
  g_assert_nonnull (strstr (desk_release_get_edited (release), "di Ankara, Turkiye"));
  g_assert_false (action_enabled (fixture, "win.approve"));
  g_assert_false (action_enabled (fixture, "win.reject"));

  /* It left the Inbox and is in Approved. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (desk_window_get_releases (fixture->window))), ==, 0);
  desk_window_select_queue (fixture->window, DESK_STATUS_APPROVED);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (desk_window_get_releases (fixture->window))), ==, 1);
  g_assert_true (desk_test_ui_wait_until_shown (GTK_WIDGET (fixture->window), "Approved"));
}

static void
test_next_change_moves_the_cursor_to_each_change (Fixture       *fixture,
                                                  gconstpointer  data)
{
  DeskReviewView *view = open_window_on_seed (fixture);
  GtkTextBuffer *edited = GTK_TEXT_BUFFER (desk_review_view_get_edited_buffer (view));
  GtkTextIter cursor;
  g_autofree char *at_first = NULL;
  g_autofree char *at_second = NULL;

  edit_word (view, "Istanbul, Turkiye", "Ankara, Turkiye");
  edit_word (view, "Black Sea Grain Initiative", "Inisiatif Gandum Laut Hitam");
  desk_review_view_update_diff (view);
  g_assert_cmpuint (desk_review_view_get_n_changes (view), ==, 2);

  gtk_text_buffer_get_start_iter (edited, &cursor);
  gtk_text_buffer_place_cursor (edited, &cursor);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.next-change", NULL));
  gtk_text_buffer_get_iter_at_mark (edited, &cursor, gtk_text_buffer_get_insert (edited));
  {
    GtkTextIter end = cursor;
    gtk_text_iter_forward_chars (&end, 6);
    at_first = gtk_text_iter_get_text (&cursor, &end);
  }
  g_assert_cmpstr (at_first, ==, "Ankara");
  g_assert_true (desk_review_view_next_change (view, 1));
  gtk_text_buffer_get_iter_at_mark (edited, &cursor, gtk_text_buffer_get_insert (edited));
  {
    GtkTextIter end = cursor;
    gtk_text_iter_forward_chars (&end, 9);
    at_second = gtk_text_iter_get_text (&cursor, &end);
  }
  g_assert_cmpstr (at_second, ==, "Inisiatif");
  /* There is no third. */
  g_assert_false (desk_review_view_next_change (view, 1));
  g_assert_true (desk_review_view_next_change (view, -1));
  gtk_text_buffer_get_iter_at_mark (edited, &cursor, gtk_text_buffer_get_insert (edited));
  {
    GtkTextIter end = cursor;
    gtk_text_iter_forward_chars (&end, 6);
    g_free (at_second);
    at_second = gtk_text_iter_get_text (&cursor, &end);
  }
  g_assert_cmpstr (at_second, ==, "Ankara");
}

static void
test_history_lists_revisions_and_restores_one (Fixture       *fixture,
                                               gconstpointer  data)
{
  DeskReviewView *view = open_window_on_seed (fixture);
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskRelease) release = NULL;
  GtkWindow *history;
  g_autofree char *diff = NULL;
  GtkTextBuffer *buffer;

  edit_word (view, "Istanbul, Turkiye", "Ankara, Turkiye");
  g_assert_true (desk_review_view_save (view, &error));
  edit_word (view, "Ankara, Turkiye", "Izmir, Turkiye");
  g_assert_true (desk_review_view_save (view, &error));

  history = desk_history_window_new (GTK_WINDOW (fixture->window), fixture->store, 1);
  gtk_window_present (history);
  g_assert_cmpuint (desk_history_window_get_n_revisions (DESK_HISTORY_WINDOW (history)), ==, 2);
  g_assert_cmpuint (desk_history_window_get_n_events (DESK_HISTORY_WINDOW (history)), ==, 1);

  /* The first revision, against the original: Istanbul went, Ankara came. */
  desk_history_window_select_revision (DESK_HISTORY_WINDOW (history), 0);
  buffer = desk_history_window_get_diff_buffer (DESK_HISTORY_WINDOW (history));
  diff = tagged_text (GTK_SOURCE_BUFFER (buffer), "removed");
  g_assert_cmpstr (diff, ==, "Istanbul");
  g_free (diff);
  diff = tagged_text (GTK_SOURCE_BUFFER (buffer), "added");
  g_assert_cmpstr (diff, ==, "Ankara");

  /* Its colours follow the desktop into the dark style, as the panes do. */
  {
    GtkTextTag *removed = gtk_text_tag_table_lookup (gtk_text_buffer_get_tag_table (buffer), "removed");
    AdwStyleManager *manager = adw_style_manager_get_default ();
    g_autoptr(GdkRGBA) light = NULL;
    g_autoptr(GdkRGBA) dark = NULL;

    g_object_get (removed, "background-rgba", &light, NULL);
    adw_style_manager_set_color_scheme (manager, ADW_COLOR_SCHEME_FORCE_DARK);
    desk_test_ui_spin (20);
    g_object_get (removed, "background-rgba", &dark, NULL);
    adw_style_manager_set_color_scheme (manager, ADW_COLOR_SCHEME_DEFAULT);
    desk_test_ui_spin (20);
    g_assert_nonnull (light);
    g_assert_nonnull (dark);
    g_assert_false (gdk_rgba_equal (light, dark));
  }

  g_assert_true (desk_history_window_restore_selected (DESK_HISTORY_WINDOW (history), &error));
  g_assert_no_error (error);
  release = desk_store_get_release (fixture->store, 1, NULL);
  g_assert_nonnull (strstr (desk_release_get_edited (release), "di Ankara, Turkiye"));
  gtk_window_destroy (history);
}

static void
test_search_as_you_type_filters_the_list (Fixture       *fixture,
                                          gconstpointer  data)
{
  g_autoptr(DeskParsedRelease) other = desk_parse_release_text ("Gempa di Cianjur\nWarga diminta tenang.", NULL);
  DeskReleaseList *list;

  g_assert_cmpint (desk_store_add_release (fixture->store, other, NULL, "Ed", NULL, NULL), >, 0);
  open_window_on_seed (fixture);
  list = desk_window_get_releases (fixture->window);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 2);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.search", NULL));
  desk_release_list_set_search (list, "Cianj");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 1);
  g_assert_true (desk_test_ui_wait_until_shown (GTK_WIDGET (fixture->window), "Gempa di Cianjur"));
}

/* The seed is third-party content: the banner says so and why, each piece
 * of evidence is a click from its place in the original, and the release
 * is in the Sponsored queue with a badge. */
static void
test_third_party_release_shows_banner_and_evidence (Fixture       *fixture,
                                                    gconstpointer  data)
{
  DeskReviewView *view = open_window_on_seed (fixture);
  GtkTextBuffer *original = GTK_TEXT_BUFFER (desk_review_view_get_original_buffer (view));
  GtkWidget *banner = desk_window_get_sponsor_banner (fixture->window);
  g_autoptr(GPtrArray) findings = desk_store_list_findings (fixture->store, 1, NULL);
  GtkTextIter a, b;
  g_autofree char *selected = NULL;

  g_assert_true (gtk_revealer_get_reveal_child (GTK_REVEALER (banner)));
  g_assert_true (desk_test_ui_wait_until_shown (GTK_WIDGET (fixture->window),
                                   "Third-party content: wire credit, disclaimer, sector line and boilerplate by SeaPRwire"));
  g_assert_true (desk_test_ui_shows (GTK_WIDGET (fixture->window), "Third-party"));
  g_assert_cmpuint (findings->len, >=, 4);

  /* Each finding is highlighted in the original… */
  for (guint i = 0; i < findings->len; i++)
    {
      const DeskFinding *finding = g_ptr_array_index (findings, i);
      GtkTextTag *tag = gtk_text_tag_table_lookup (gtk_text_buffer_get_tag_table (original), "end-matter");

      gtk_text_buffer_get_iter_at_offset (original, &a, (int) finding->start);
      g_assert_true (gtk_text_iter_has_tag (&a, tag));
    }

  /* … and the evidence list jumps to it. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.evidence", NULL));
  desk_test_ui_spin (100);
  desk_review_view_reveal_original (view, ((DeskFinding *) findings->pdata[1])->start, ((DeskFinding *) findings->pdata[1])->end);
  g_assert_true (gtk_text_buffer_get_selection_bounds (original, &a, &b));
  selected = gtk_text_iter_get_text (&a, &b);
  g_assert_cmpstr (selected, ==, ((DeskFinding *) findings->pdata[1])->evidence);

  /* The Sponsored queue lists it. */
  desk_window_select_queue_sponsored (fixture->window);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (desk_window_get_releases (fixture->window))), ==, 1);
}

static void
test_editor_overrules_the_detector_with_a_reason (Fixture       *fixture,
                                                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskRelease) release = NULL;
  g_autoptr(GPtrArray) events = NULL;
  GtkWidget *banner;

  open_window_on_seed (fixture);
  banner = desk_window_get_sponsor_banner (fixture->window);
  g_assert_true (desk_window_decide_sponsored (fixture->window, DESK_SPONSOR_DECISION_NOT_SPONSORED,
                                               "Rilis resmi Kemenlu, kami verifikasi", &error));
  g_assert_no_error (error);
  /* The banner stays, as a quiet trace of who overruled and why. */
  g_assert_true (gtk_revealer_get_reveal_child (GTK_REVEALER (banner)));
  g_assert_true (gtk_widget_has_css_class (gtk_revealer_get_child (GTK_REVEALER (banner)), "cleared"));
  {
    GObject *label = gtk_widget_get_template_child (GTK_WIDGET (fixture->window), DESK_TYPE_WINDOW, "sponsor_label");
    const char *text = gtk_label_get_text (GTK_LABEL (label));

    g_assert_true (g_str_has_prefix (text, "Not sponsored — by "));
    g_assert_true (g_str_has_suffix (text, ": “Rilis resmi Kemenlu, kami verifikasi”"));
  }

  release = desk_store_get_release (fixture->store, 1, NULL);
  g_assert_cmpint (desk_release_get_effective_verdict (release), ==, DESK_VERDICT_NONE);
  g_assert_cmpint (desk_release_get_verdict (release), ==, DESK_VERDICT_THIRD_PARTY);
  events = desk_store_list_events (fixture->store, 1, NULL);
  g_assert_cmpstr (((DeskEvent *) events->pdata[events->len - 1])->note, ==, "Rilis resmi Kemenlu, kami verifikasi");

  /* And back: marked sponsored, the banner says who decided. */
  g_assert_true (desk_window_decide_sponsored (fixture->window, DESK_SPONSOR_DECISION_SPONSORED, "Ada bayaran", &error));
  g_assert_true (gtk_revealer_get_reveal_child (GTK_REVEALER (banner)));
}

static void
test_clean_up_removes_the_wire_furniture_and_the_diff_shows_it (Fixture       *fixture,
                                                                gconstpointer  data)
{
  DeskReviewView *view = open_window_on_seed (fixture);
  g_autoptr(GError) error = NULL;
  g_autofree char *edited = NULL;
  g_autofree char *removed = NULL;

  g_assert_true (desk_window_clean_up (fixture->window, &error));
  g_assert_no_error (error);

  edited = buffer_text (desk_review_view_get_edited_buffer (view));
  g_assert_true (g_str_has_prefix (edited, "Moskow konfirmasi pembicaraan baru Rusia-AS\nPutaran berikutnya akan berlangsung di Istanbul"));
  g_assert_true (g_str_has_suffix (g_strchomp (edited), "penyelesaian konflik Ukraina."));
  removed = tagged_text (desk_review_view_get_original_buffer (view), "removed");
  g_assert_true (g_str_has_prefix (removed, "(SeaPRwire) – |"));
  g_assert_nonnull (strstr (removed, "Artikel ini disediakan oleh penyedia konten pihak ketiga."));
  g_assert_nonnull (strstr (removed, "Sektor: Top Story, Daily News"));
}

/* Lets the outbox work until release 1's last job is @state (bounded). */
static void
wait_for_job_of (Fixture      *fixture,
                 gint64        release_id,
                 DeskJobState  state)
{
  for (guint i = 0; i < 1000; i++)
    {
      g_autoptr(GPtrArray) jobs = desk_store_list_jobs (fixture->store, release_id, NULL);

      if (jobs != NULL && jobs->len > 0 &&
          ((DeskOutboxJob *) jobs->pdata[jobs->len - 1])->state == state)
        {
          desk_test_ui_spin (50);
          return;
        }
      desk_test_ui_spin (10);
    }
  g_error ("the job never became %s", desk_job_state_to_string (state));
}

static void
wait_for_job (Fixture      *fixture,
              DeskJobState  state)
{
  wait_for_job_of (fixture, 1, state);
}

/* Approves the seed as it is on screen. */
static void
approve_seed (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;

  open_window_on_seed (fixture);
  g_assert_true (desk_window_move_current (fixture->window, DESK_STATUS_IN_REVIEW, NULL, &error));
  g_assert_true (desk_window_move_current (fixture->window, DESK_STATUS_APPROVED, NULL, &error));
  g_assert_no_error (error);
  answer_check ("clean", NULL);
}

/* What would ship is in view: the furniture in the edited copy is marked
 * there; approving it brings up the check, and its Clean Up removes the
 * furniture and approves; publishing copy that skipped the check (an
 * older approval) asks again, and a reason lets it go, recorded. */
static void
test_pre_publish_check_in_the_window (Fixture       *fixture,
                                      gconstpointer  data)
{
  DeskReviewView *view = open_window_on_seed (fixture);
  g_autoptr(DeskTarget) local = NULL;
  g_autoptr(DeskRelease) release = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *furniture = tagged_text (desk_review_view_get_edited_buffer (view), "furniture");
  g_autofree char *folder = g_build_filename (fixture->dir, "published", NULL);
  g_autofree char *reason = NULL;
  AdwMessageDialog *dialog;
  gint64 other;

  g_assert_cmpuint (desk_review_view_get_n_furniture (view), >=, 3);
  g_assert_true (g_str_has_prefix (furniture, "(SeaPRwire) –"));
  g_assert_nonnull (strstr (furniture, "Sektor: Top Story, Daily News"));

  g_assert_true (desk_window_move_current (fixture->window, DESK_STATUS_IN_REVIEW, NULL, &error));
  g_assert_true (desk_window_move_current (fixture->window, DESK_STATUS_APPROVED, NULL, &error));
  dialog = find_check_dialog ();
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "wire credit: “(SeaPRwire) –”"));
  release = desk_store_get_release (fixture->store, 1, NULL);
  g_assert_cmpint (desk_release_get_status (release), ==, DESK_STATUS_IN_REVIEW);
  g_clear_object (&release);
  answer_check ("clean", NULL);

  release = desk_store_get_release (fixture->store, 1, NULL);
  g_assert_cmpint (desk_release_get_status (release), ==, DESK_STATUS_APPROVED);
  g_assert_null (strstr (desk_release_get_edited (release), "SeaPRwire"));
  g_assert_cmpuint (desk_review_view_get_n_furniture (view), ==, 0);
  g_assert_false (desk_store_get_check_override (fixture->store, 1, NULL, NULL));

  /* A release approved before the check existed. */
  g_setenv ("COPYDESK_PUBLISH_DIR", folder, TRUE);
  other = desk_test_add_text (fixture->store,
                              "Harbour reopens\n"
                              "(SeaPRwire) – The harbour reopened on Monday, the port said.\n"
                              "Sector: Top Story, Daily News\n");
  desk_test_approve (fixture->store, other);
  desk_window_reload (fixture->window);
  desk_window_select_queue (fixture->window, DESK_STATUS_APPROVED);
  desk_test_ui_spin (50);
  desk_window_show_release (fixture->window, other);
  desk_test_ui_spin (50);
  local = desk_store_find_target (fixture->store, NULL, &error);
  g_assert_true (desk_window_publish_to (fixture->window, local->id, &error));
  g_assert_no_error (error);
  answer_check ("override", "The port's own release, run as sent");
  wait_for_job_of (fixture, other, DESK_JOB_DONE);
  g_assert_true (desk_store_get_check_override (fixture->store, other, &reason, NULL));
  g_assert_cmpstr (reason, ==, "The port's own release, run as sent");
  g_unsetenv ("COPYDESK_PUBLISH_DIR");
}

static void
test_publish_to_the_local_folder (Fixture       *fixture,
                                  gconstpointer  data)
{
  g_autofree char *folder = g_build_filename (fixture->dir, "published", NULL);
  g_autoptr(DeskTarget) local = NULL;
  g_autoptr(DeskRelease) release = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = NULL;
  guint files = 0;
  const char *name;

  g_setenv ("COPYDESK_PUBLISH_DIR", folder, TRUE);
  approve_seed (fixture);
  g_assert_true (action_enabled (fixture, "win.publish"));

  local = desk_store_find_target (fixture->store, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (desk_window_publish_to (fixture->window, local->id, &error));
  g_assert_no_error (error);
  wait_for_job (fixture, DESK_JOB_DONE);

  release = desk_store_get_release (fixture->store, 1, NULL);
  g_assert_cmpint (desk_release_get_status (release), ==, DESK_STATUS_PUBLISHED);
  g_assert_true (desk_test_ui_wait_until_shown (GTK_WIDGET (fixture->window), "Published to Local Folder"));
  g_assert_false (action_enabled (fixture, "win.publish"));
  /* History names the target in words too, not by its id. */
  {
    g_autoptr(GPtrArray) events = desk_store_list_events (fixture->store, 1, NULL);

    for (guint i = 0; i < events->len; i++)
      {
        const DeskEvent *event = g_ptr_array_index (events, i);

        if (g_str_equal (event->action, "publish-queued") || g_str_equal (event->action, "published"))
          g_assert_true (event->note != NULL && strstr (event->note, "Local Folder") != NULL);
      }
  }

  dir = g_dir_open (folder, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (folder, name, NULL);
      g_unlink (path);
      files++;
    }
  g_rmdir (folder);
  g_assert_cmpuint (files, ==, 1);
  g_unsetenv ("COPYDESK_PUBLISH_DIR");
}

typedef struct {
  guint answers;   /* how many requests were refused before it accepts */
  guint requests;
} Receiver;

static void
receive (SoupServer        *server,
         SoupServerMessage *message,
         const char        *path,
         GHashTable        *query,
         gpointer           user_data)
{
  Receiver *receiver = user_data;

  receiver->requests++;
  if (receiver->requests <= receiver->answers)
    soup_server_message_set_status (message, 400, NULL);
  else
    soup_server_message_set_status (message, 202, NULL);
  soup_server_message_set_response (message, "application/json", SOUP_MEMORY_STATIC, "{}", 2);
}

/* A target that refuses: the reason is shown with Retry, and Retry sends
 * it again once the receiver takes it. */
static void
test_failed_publish_offers_retry (Fixture       *fixture,
                                  gconstpointer  data)
{
  g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskTarget) webhook = NULL;
  g_autoptr(DeskRelease) release = NULL;
  g_autofree char *url = NULL;
  Receiver receiver = { 1, 0 };
  GSList *uris;

  soup_server_add_handler (server, "/hook", receive, &receiver, NULL);
  g_assert_true (soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  uris = soup_server_get_uris (server);
  url = g_strdup_printf ("http://127.0.0.1:%d/hook", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  g_assert_true (desk_preferences_add_target (fixture->store, DESK_TARGET_WEBHOOK, "newswire-hook", url,
                                              NULL, NULL, NULL, "s3cret", NULL, &error));
  g_assert_no_error (error);
  webhook = desk_store_find_target (fixture->store, "newswire-hook", &error);

  approve_seed (fixture);
  g_assert_true (desk_window_publish_to (fixture->window, webhook->id, &error));
  wait_for_job (fixture, DESK_JOB_FAILED);

  release = desk_store_get_release (fixture->store, 1, NULL);
  g_assert_cmpint (desk_release_get_status (release), ==, DESK_STATUS_APPROVED);
  g_assert_true (desk_test_ui_wait_until_shown (GTK_WIDGET (fixture->window), "_Retry") ||
                 desk_test_ui_shows (GTK_WIDGET (fixture->window), "Retry"));
  g_assert_cmpuint (receiver.requests, ==, 1);

  /* Retry, as the button does. */
  {
    GtkWidget *retry = NULL;
    GPtrArray *stack = g_ptr_array_new ();

    g_ptr_array_add (stack, fixture->window);
    while (stack->len > 0)
      {
        GtkWidget *widget = g_ptr_array_steal_index (stack, stack->len - 1);

        if (GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), "_Retry") == 0)
          retry = widget;
        for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
          g_ptr_array_add (stack, child);
      }
    g_ptr_array_unref (stack);
    g_assert_nonnull (retry);
    g_assert_true (gtk_widget_get_visible (retry));
    g_signal_emit_by_name (retry, "clicked");
  }
  wait_for_job (fixture, DESK_JOB_DONE);

  g_clear_object (&release);
  release = desk_store_get_release (fixture->store, 1, NULL);
  g_assert_cmpint (desk_release_get_status (release), ==, DESK_STATUS_PUBLISHED);
  g_assert_cmpuint (receiver.requests, ==, 2);
}

static gboolean
has_name (GtkWidget *widget)
{
  if (GTK_IS_BUTTON (widget) && gtk_button_get_label (GTK_BUTTON (widget)) != NULL)
    return TRUE;
  if (GTK_IS_MENU_BUTTON (widget) && gtk_menu_button_get_label (GTK_MENU_BUTTON (widget)) != NULL)
    return TRUE;
  return gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL) ||
         gtk_test_accessible_has_relation (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_RELATION_LABELLED_BY);
}

/* Controls an editor reaches with the keyboard or a screen reader: each
 * must say what it is. */
static void
assert_every_control_is_named (GtkWidget *widget,
                               GString   *unnamed)
{
  GtkWidget *parent = gtk_widget_get_parent (widget);
  gboolean inner = parent != NULL && (GTK_IS_MENU_BUTTON (parent) || GTK_IS_SEARCH_ENTRY (parent) ||
                                      GTK_IS_WINDOW_CONTROLS (parent));

  if (!inner &&
      (GTK_IS_BUTTON (widget) || GTK_IS_MENU_BUTTON (widget) || GTK_IS_SEARCH_ENTRY (widget) ||
       GTK_IS_ENTRY (widget) || GTK_IS_TEXT_VIEW (widget) || GTK_IS_LIST_VIEW (widget)) &&
      !has_name (widget))
    g_string_append_printf (unnamed, " %s(%s)", G_OBJECT_TYPE_NAME (widget),
                            gtk_widget_get_name (widget));

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    assert_every_control_is_named (child, unnamed);
}

static void
test_every_control_has_an_accessible_name (Fixture       *fixture,
                                           gconstpointer  data)
{
  g_autoptr(GString) unnamed = g_string_new (NULL);

  open_window_on_seed (fixture);
  assert_every_control_is_named (GTK_WIDGET (fixture->window), unnamed);
  g_assert_cmpstr (unnamed->str, ==, "");
}

/* Every shortcut the window answers to is listed in its shortcuts window
 * (Ctrl+?), with the same keys. */
static void
test_shortcuts_window_lists_every_shortcut (Fixture       *fixture,
                                            gconstpointer  data)
{
  g_autoptr(GtkBuilder) builder = gtk_builder_new_from_resource ("/io/github/copydesk/Copydesk/gtk/help-overlay.ui");
  g_autoptr(GHashTable) listed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GListModel) controllers = NULL;
  GObject *overlay = gtk_builder_get_object (builder, "help_overlay");
  g_autoptr(GPtrArray) stack = g_ptr_array_new ();
  guint checked = 0;

  g_assert_nonnull (overlay);
  g_ptr_array_add (stack, overlay);
  while (stack->len > 0)
    {
      GtkWidget *widget = g_ptr_array_steal_index (stack, stack->len - 1);

      if (GTK_IS_SHORTCUTS_SHORTCUT (widget))
        {
          g_autofree char *accelerator = NULL;
          g_auto(GStrv) accels = NULL;

          g_object_get (widget, "accelerator", &accelerator, NULL);
          accels = g_strsplit (accelerator != NULL ? accelerator : "", " ", -1);
          for (guint i = 0; accels[i] != NULL; i++)
            {
              guint key;
              GdkModifierType mods;

              if (gtk_accelerator_parse (accels[i], &key, &mods))
                g_hash_table_add (listed, gtk_accelerator_name (gdk_keyval_to_lower (key), mods));
            }
        }
      for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
        g_ptr_array_add (stack, child);
    }

  fixture->window = desk_window_new (NULL, fixture->store);
  controllers = gtk_widget_observe_controllers (GTK_WIDGET (fixture->window));
  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (g_strcmp0 (gtk_event_controller_get_name (controller), "desk-shortcuts") != 0)
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          GtkShortcutTrigger *trigger = gtk_shortcut_get_trigger (shortcut);
          g_autofree char *name = NULL;

          if (!GTK_IS_KEYVAL_TRIGGER (trigger) ||
              gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger)) == GDK_KEY_KP_Enter)
            continue;
          name = gtk_accelerator_name (gdk_keyval_to_lower (gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger))),
                                       gtk_keyval_trigger_get_modifiers (GTK_KEYVAL_TRIGGER (trigger)));
          if (!g_hash_table_contains (listed, name))
            g_error ("%s is not in the shortcuts window", name);
          checked++;
        }
    }
  g_assert_cmpuint (checked, >=, 12);
}

/* The first 29 characters of the paragraph at the top of @view. */
static const char *
top_words (GtkTextView *view)
{
  static char text[128];
  GtkTextIter top, end;
  g_autofree char *words = NULL;

  gtk_text_view_get_iter_at_location (view, &top, 0,
                                      (int) gtk_adjustment_get_value (gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (view))) + 4);
  gtk_text_iter_set_line_offset (&top, 0);
  end = top;
  gtk_text_iter_forward_chars (&end, 29);
  words = gtk_text_iter_get_text (&top, &end);
  g_strlcpy (text, words, sizeof text);
  return text;
}

/* Scrolling the edited copy brings the same paragraph to the top of the
 * original, though a long paragraph above it was cut. */
static void
test_panes_scroll_in_step_on_matching_text (Fixture       *fixture,
                                            gconstpointer  data)
{
  DeskReviewView *view;
  GtkTextBuffer *edited;
  GtkTextBuffer *original;
  GtkTextView *edited_view = NULL;
  GtkTextView *original_view = NULL;
  GtkTextIter start, match_start, match_end;

  /* A short window, so that the release scrolls. */
  window_height = 480;
  view = open_window_on_seed (fixture);
  window_height = 860;
  edited = GTK_TEXT_BUFFER (desk_review_view_get_edited_buffer (view));
  original = GTK_TEXT_BUFFER (desk_review_view_get_original_buffer (view));
  edit_word (view, "Kedua negara telah mengadakan beberapa putaran pertemuan tingkat tinggi sejak Presiden AS "
                   "Donald Trump menjabat pada bulan Januari.\n", "");
  desk_review_view_update_diff (view);
  desk_test_ui_spin (200);

  /* The two views, by their buffers. */
  {
    GPtrArray *stack = g_ptr_array_new ();

    g_ptr_array_add (stack, view);
    while (stack->len > 0)
      {
        GtkWidget *widget = g_ptr_array_steal_index (stack, stack->len - 1);

        if (GTK_IS_TEXT_VIEW (widget) && gtk_text_view_get_buffer (GTK_TEXT_VIEW (widget)) == edited)
          edited_view = GTK_TEXT_VIEW (widget);
        else if (GTK_IS_TEXT_VIEW (widget) && gtk_text_view_get_buffer (GTK_TEXT_VIEW (widget)) == original)
          original_view = GTK_TEXT_VIEW (widget);
        for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
          g_ptr_array_add (stack, child);
      }
    g_ptr_array_unref (stack);
  }
  g_assert_nonnull (edited_view);
  g_assert_nonnull (original_view);

  /* Put "Pembicaraan yang akan datang " at the top of the edited pane,
   * as scrolling there would. */
  gtk_text_buffer_get_start_iter (edited, &start);
  g_assert_true (gtk_text_iter_forward_search (&start, "Pembicaraan yang akan datang", 0, &match_start, &match_end, NULL));
  gtk_text_buffer_place_cursor (edited, &match_start);
  gtk_text_view_scroll_to_iter (edited_view, &match_start, 0.0, TRUE, 0.0, 0.0);
  desk_test_ui_spin (400);

  /* Both panes show that paragraph at their top. */
  g_assert_cmpstr (top_words (edited_view), ==, "Pembicaraan yang akan datang ");
  g_assert_cmpstr (top_words (original_view), ==, "Pembicaraan yang akan datang ");
}

/* The size the editor left the window at is the size it opens at. */
static void
test_window_size_is_saved_on_close_and_restored (Fixture       *fixture,
                                                 gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new ("io.github.copydesk.Copydesk");
  DeskWindow *window;
  int width = 0, height = 0;

  window = desk_window_new (NULL, fixture->store);
  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 720);
  gtk_window_present (GTK_WINDOW (window));
  desk_test_ui_spin (50);
  gtk_window_close (GTK_WINDOW (window));
  desk_test_ui_spin (20);

  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 1100);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 720);
  g_assert_false (g_settings_get_boolean (settings, "window-maximized"));

  fixture->window = desk_window_new (NULL, fixture->store);
  gtk_window_get_default_size (GTK_WINDOW (fixture->window), &width, &height);
  g_assert_cmpint (width, ==, 1100);
  g_assert_cmpint (height, ==, 720);

  g_settings_reset (settings, "window-width");
  g_settings_reset (settings, "window-height");
  g_settings_reset (settings, "window-maximized");
}

static GtkWidget *
find_widget (GtkWidget  *root,
             gboolean  (*match) (GtkWidget *widget, gconstpointer data),
             gconstpointer data)
{
  if (match (root, data))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, match, data);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
has_tooltip (GtkWidget     *widget,
             gconstpointer  data)
{
  return GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_widget_get_tooltip_text (widget), data) == 0;
}

static gboolean
is_row_titled (GtkWidget     *widget,
               gconstpointer  data)
{
  return ADW_IS_ACTION_ROW (widget) && g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), data) == 0;
}

static gboolean
is_entry_with_text (GtkWidget     *widget,
                    gconstpointer  data)
{
  return ADW_IS_ENTRY_ROW (widget) && g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (widget)), data) == 0;
}

/* Preferences edits a target in place: the dialog shows what it has, a
 * change keeps its id, an empty password field keeps its password, and
 * the core's one rule refuses what the command line refuses. */
static void
test_preferences_edit_a_target_in_place (Fixture       *fixture,
                                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskTarget) before = NULL;
  g_autoptr(DeskTarget) after = NULL;
  g_autofree char *secret = NULL;
  GtkWindow *preferences;
  GtkWidget *row, *edit, *url;
  AdwMessageDialog *dialog = NULL;
  GListModel *toplevels;

  g_assert_true (desk_preferences_add_target (fixture->store, DESK_TARGET_WORDPRESS, "site", "http://127.0.0.1:9/",
                                              "ed", "draft", NULL, "first pass", NULL, &error));
  g_assert_no_error (error);
  before = desk_store_find_target (fixture->store, "site", &error);

  preferences = desk_preferences_window_new (GTK_WINDOW (fixture->window), fixture->store);
  gtk_window_present (preferences);
  desk_test_ui_spin (50);
  row = find_widget (GTK_WIDGET (preferences), is_row_titled, "site");
  g_assert_nonnull (row);
  edit = find_widget (row, has_tooltip, "Edit This Target");
  g_assert_nonnull (edit);
  g_signal_emit_by_name (edit, "clicked");
  desk_test_ui_spin (50);

  toplevels = gtk_window_get_toplevels ();
  for (guint i = 0; i < g_list_model_get_n_items (toplevels) && dialog == NULL; i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) &&
          g_strcmp0 (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (window)), "Edit “site”") == 0)
        dialog = ADW_MESSAGE_DIALOG (window);
    }
  g_assert_nonnull (dialog);
  url = find_widget (GTK_WIDGET (dialog), is_entry_with_text, "http://127.0.0.1:9/");
  g_assert_nonnull (url);
  g_assert_nonnull (find_widget (GTK_WIDGET (dialog), is_entry_with_text, "ed"));
  gtk_editable_set_text (GTK_EDITABLE (url), "http://127.0.0.1:8/");
  adw_message_dialog_response (dialog, "save");
  desk_test_ui_spin (50);

  after = desk_store_find_target (fixture->store, "site", &error);
  g_assert_no_error (error);
  g_assert_cmpint (after->id, ==, before->id);
  g_assert_cmpstr (desk_target_get_setting (after, "url"), ==, "http://127.0.0.1:8/");
  secret = desk_store_dup_target_secret (fixture->store, after, &error);
  g_assert_cmpstr (secret, ==, "first pass");
  g_clear_pointer (&secret, g_free);

  g_assert_false (desk_preferences_edit_target (fixture->store, after->id, "example.org", "ed", "draft", NULL,
                                                NULL, NULL, &error));
  g_assert_error (error, DESK_ERROR, DESK_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  g_assert_true (desk_preferences_edit_target (fixture->store, after->id, "https://example.org", "ed", "publish", NULL,
                                               "second pass", NULL, &error));
  g_assert_no_error (error);
  secret = desk_store_dup_target_secret (fixture->store, after, &error);
  g_assert_cmpstr (secret, ==, "second pass");
  gtk_window_destroy (preferences);
}

/* Whether a label under @widget has @part in its text. */
static gboolean
shows_part (GtkWidget  *widget,
            const char *part)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget) &&
      strstr (gtk_label_get_text (GTK_LABEL (widget)), part) != NULL)
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (shows_part (child, part))
      return TRUE;
  return FALSE;
}

/* Two wires' copies of one story: each row says so, with the sources. */
static void
test_copies_of_one_story_say_so_in_the_list (Fixture       *fixture,
                                             gconstpointer  data)
{
  static const char body[] =
    "The port authority said on Thursday that the new container terminal will open to ships in June, "
    "three months later than planned, after inspectors found cracks in two of its quay cranes.\n\n"
    "Shipping lines had been told to expect the first calls in March and will keep routing their "
    "largest vessels through Singapore until the cranes are certified, two of them said.";
  g_autofree char *first = g_strdup_printf ("Terminal opening delayed\n\n%s\n", body);
  g_autofree char *second = g_strdup_printf ("Port terminal to open in June\n\n%s\n", body);
  g_autoptr(GError) error = NULL;
  DeskSource wire_a = { "Wire A" };
  DeskSource wire_b = { "Wire B" };
  g_autoptr(DeskParsedRelease) a = desk_parse_release_text (first, NULL);
  g_autoptr(DeskParsedRelease) b = desk_parse_release_text (second, NULL);
  gboolean shown = FALSE;

  g_assert_cmpint (desk_store_add_release (fixture->store, a, &wire_a, "Ed", NULL, &error), >, 0);
  g_assert_cmpint (desk_store_add_release (fixture->store, b, &wire_b, "Ed", NULL, &error), >, 0);
  fixture->window = desk_window_new (NULL, fixture->store);
  gtk_window_present (GTK_WINDOW (fixture->window));
  g_assert_true (desk_test_ui_wait_until_shown (GTK_WIDGET (fixture->window), "Terminal opening delayed"));
  for (guint i = 0; i < 100 && !shown; i++)
    {
      desk_test_ui_spin (10);
      shown = shows_part (GTK_WIDGET (fixture->window), "2 copies: Wire A, Wire B");
    }
  g_assert_true (shown);
}

/* ---- embargoes ------------------------------------------------------------ */

static void
collect_labels (GtkWidget  *widget,
                const char *text,
                guint      *n)
{
  if (gtk_widget_get_mapped (widget) && GTK_IS_LABEL (widget) &&
      g_str_equal (gtk_label_get_text (GTK_LABEL (widget)), text))
    (*n)++;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_labels (child, text, n);
}

static guint
count_shown (GtkWidget  *widget,
             const char *text)
{
  guint n = 0;

  collect_labels (widget, text, &n);
  return n;
}

static void
set_embargo_wib (DeskStore  *store,
                 gint64      id,
                 int         year)
{
  g_autoptr(GTimeZone) wib = g_time_zone_new_identifier ("+07:00");
  g_autoptr(GDateTime) when = g_date_time_new (wib, year, 3, 5, 10, 0, 0);
  g_autoptr(GError) error = NULL;

  g_assert_true (desk_source_set_embargo (store, id, when, "WIB", &error));
  g_assert_no_error (error);
}

/* A release under embargo says so in its row and in the review's header,
 * in the zone it was stated in; one whose embargo has passed does not. */
static void
test_embargo_shown_in_the_row_and_header (Fixture       *fixture,
                                          gconstpointer  data)
{
  gint64 future = desk_test_add_text (fixture->store, "Dam Opens Next Year\n\nMALANG - The dam opens in March.\n");
  gint64 past = desk_test_add_text (fixture->store, "Bridge Reopened\n\nSURABAYA - The bridge reopened.\n");
  gint64 held = desk_test_add_text (fixture->store, "Figures Held\n\nJAKARTA - The figures are held.\n");
  GtkWidget *window;

  set_embargo_wib (fixture->store, future, 2099);
  set_embargo_wib (fixture->store, past, 2001);
  g_assert_true (desk_source_set_hold (fixture->store, held, NULL));

  fixture->window = desk_window_new (NULL, fixture->store);
  window = GTK_WIDGET (fixture->window);
  gtk_window_set_default_size (GTK_WINDOW (window), 1400, window_height);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (desk_test_ui_wait_until_shown (window, "Dam Opens Next Year"));
  g_assert_true (desk_test_ui_wait_until_shown (window, "Embargoed until 10:00 WIB, 5 Mar"));
  /* only the one still under embargo: the past one would read the same */
  g_assert_cmpuint (count_shown (window, "Embargoed until 10:00 WIB, 5 Mar"), ==, 1);
  g_assert_cmpuint (count_shown (window, "Held for release"), ==, 1);

  /* Newest first: the held one, the past one, the future one. */
  {
    AdwWindowTitle *title = ADW_WINDOW_TITLE (gtk_widget_get_template_child (window, DESK_TYPE_WINDOW, "review_title"));

    desk_window_select_position (fixture->window, 2);
    desk_test_ui_spin (50);
    g_assert_cmpstr (adw_window_title_get_title (title), ==, "Dam Opens Next Year");
    g_assert_true (g_str_has_suffix (adw_window_title_get_subtitle (title), " · Embargoed until 10:00 WIB, 5 Mar"));
    desk_window_select_position (fixture->window, 1);
    desk_test_ui_spin (50);
    g_assert_cmpstr (adw_window_title_get_title (title), ==, "Bridge Reopened");
    g_assert_null (strstr (adw_window_title_get_subtitle (title), "Embargo"));
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  /* Secrets in memory: the window's tests need no keyring. */
  g_setenv ("COPYDESK_SECRETS", "memory", TRUE);

  if (!gtk_init_check ())
    {
      /* TAP: a plan of nothing, skipped; meson counts it as skipped. */
      printf ("1..0 # SKIP no display (run under xvfb-run)\n");
      return 0;
    }
  adw_init ();

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, desk_test_window_fixture_set_up, func, desk_test_window_fixture_tear_down)

  ADD ("/ui/window/lists-the-imported-seed", test_window_lists_the_imported_seed);
  ADD ("/ui/preferences/edit-a-target-in-place", test_preferences_edit_a_target_in_place);
  ADD ("/ui/window/switching-with-unsaved-edits-keeps-the-new-release-selected",
       test_switching_with_unsaved_edits_keeps_the_new_release_selected);
  ADD ("/ui/window/autosave-reloads-the-list-only-when-the-listing-changes",
       test_autosave_reloads_the_list_only_when_the_listing_changes);
  ADD ("/ui/window/import-runs-off-the-main-thread", test_import_from_the_window_runs_off_the_main_thread);
  ADD ("/ui/review/selecting-fills-both-panes", test_selecting_a_release_fills_both_panes);
  ADD ("/ui/review/one-word-edit-highlights-that-word", test_editing_one_word_highlights_exactly_that_word);
  ADD ("/ui/review/edits-are-saved-after-a-pause", test_edits_are_saved_as_a_revision_after_a_pause);
  ADD ("/ui/review/approve-and-allowed-moves", test_approve_moves_the_release_and_only_allowed_moves_are_enabled);
  ADD ("/ui/review/next-change-moves-the-cursor", test_next_change_moves_the_cursor_to_each_change);
  ADD ("/ui/review/history-lists-and-restores", test_history_lists_revisions_and_restores_one);
  ADD ("/ui/window/search-as-you-type", test_search_as_you_type_filters_the_list);
  ADD ("/ui/review/panes-scroll-in-step", test_panes_scroll_in_step_on_matching_text);
  ADD ("/ui/window/shortcuts-window-lists-every-shortcut", test_shortcuts_window_lists_every_shortcut);
  ADD ("/ui/sponsor/banner-evidence-badge-and-queue", test_third_party_release_shows_banner_and_evidence);
  ADD ("/ui/sponsor/editor-overrules-with-a-reason", test_editor_overrules_the_detector_with_a_reason);
  ADD ("/ui/sponsor/clean-up-removes-wire-furniture", test_clean_up_removes_the_wire_furniture_and_the_diff_shows_it);
  ADD ("/ui/a11y/every-control-has-a-name", test_every_control_has_an_accessible_name);
  ADD ("/ui/publish/to-the-local-folder", test_publish_to_the_local_folder);
  ADD ("/ui/publish/pre-publish-check-in-the-window", test_pre_publish_check_in_the_window);
  ADD ("/ui/publish/failure-offers-retry", test_failed_publish_offers_retry);
  ADD ("/ui/window/size-is-saved-on-close-and-restored", test_window_size_is_saved_on_close_and_restored);
  ADD ("/ui/window/copies-of-one-story-say-so", test_copies_of_one_story_say_so_in_the_list);
  ADD ("/ui/window/embargo-shown-in-the-row-and-header", test_embargo_shown_in_the_row_and_header);

#undef ADD

  return g_test_run ();
}
