/* test-ui-rooms.c — the window's layout at a desk's widths and a phone's,
 * its keyboard paths, its history and Clean Up's Undo, under Xvfb
 *
 * Real widgets on a real temporary store; keys are real X key events
 * (xdotool) delivered to the window this process shows.
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdio.h>
#include <string.h>
#include <adwaita.h>

#include "desk-check.h"
#include "desk-history-window.h"
#include "desk-importer.h"
#include "desk-test-ui.h"
#include "desk-test-util.h"
#include "desk-window.h"

typedef DeskTestWindowFixture Fixture;

static GtkWidget *
child (Fixture    *fixture,
       const char *name)
{
  GObject *object = gtk_widget_get_template_child (GTK_WIDGET (fixture->window), DESK_TYPE_WINDOW, name);

  g_assert_nonnull (object);
  return GTK_WIDGET (object);
}

static void
import_seed (Fixture *fixture)
{
  g_autofree char *seed = g_test_build_filename (G_TEST_DIST, "fixtures", "seaprwire-id-moskow-konfirmasi.txt", NULL);
  g_autoptr(DeskImportItem) item = desk_import_file (fixture->store, seed, "Ed");

  g_assert_cmpint (item->outcome, ==, DESK_IMPORT_IMPORTED);
}

static void
add_release (Fixture    *fixture,
             const char *text)
{
  g_autoptr(DeskParsedRelease) parsed = desk_parse_release_text (text, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (desk_store_add_release (fixture->store, parsed, NULL, "Ed", NULL, &error), >, 0);
  g_assert_no_error (error);
}

static void
open_window (Fixture *fixture,
             int      width)
{
  fixture->window = desk_window_new (NULL, fixture->store);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), width, 800);
  gtk_window_present (GTK_WINDOW (fixture->window));
  desk_test_ui_spin (300);
}

/* Whether the window is @width wide, as the screen counts it: its
 * content is a few pixels narrower than its default size (the frame). */
static gboolean
is_about (int width,
          int target)
{
  return width <= target && width >= target - 20;
}

/* Lets GTK run until @widget is @width pixels wide (a resize is a round
 * trip to the X server). */
static void
wait_for_width (GtkWidget *widget,
                int        width)
{
  for (guint i = 0; i < 500 && !is_about (gtk_widget_get_width (widget), width); i++)
    desk_test_ui_spin (10);
  desk_test_ui_spin (100);
}

static void
resize (Fixture *fixture,
        int      width)
{
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), width, 800);
  wait_for_width (GTK_WIDGET (fixture->window), width);
}

static gboolean
focus_is_in (GtkWidget *window,
             GtkWidget *ancestor)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (window));

  return focus != NULL && (focus == ancestor || gtk_widget_is_ancestor (focus, ancestor));
}

static gboolean
label_shows_whole (GtkWidget  *label,
                   const char *text)
{
  return gtk_widget_get_mapped (label) &&
         g_strcmp0 (gtk_label_get_text (GTK_LABEL (label)), text) == 0 &&
         !pango_layout_is_ellipsized (gtk_label_get_layout (GTK_LABEL (label)));
}

/* Whether @widget is inside the window's width, wholly. */
static gboolean
within_window (Fixture   *fixture,
               GtkWidget *widget)
{
  graphene_rect_t bounds;

  if (!gtk_widget_get_mapped (widget) ||
      !gtk_widget_compute_bounds (widget, GTK_WIDGET (fixture->window), &bounds))
    return FALSE;
  return bounds.origin.x >= 0 && bounds.origin.x + bounds.size.width <= gtk_widget_get_width (GTK_WIDGET (fixture->window));
}

static void
published (DeskWindow *window,
           gboolean   *done)
{
  *done = TRUE;
}

/* The sponsored seed, approved and published to the local folder: the
 * widest the action bar gets (two badges, "Published to …", Open). */
static void
test_layout_at_1400_1000_and_360 (Fixture       *fixture,
                                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  AdwLeaflet *leaflet;
  gboolean done = FALSE;

  g_autofree char *folder = g_build_filename (fixture->dir, "published", NULL);

  g_setenv ("COPYDESK_PUBLISH_DIR", folder, TRUE);
  import_seed (fixture);
  g_assert_true (desk_store_set_sponsor_decision (fixture->store, 1, DESK_SPONSOR_DECISION_SPONSORED,
                                                  "Berbayar", "Ed", &error));
  g_assert_true (desk_move_release (fixture->store, 1, DESK_STATUS_IN_REVIEW, "Ed", NULL, NULL, &error));
  g_assert_true (desk_move_release (fixture->store, 1, DESK_STATUS_APPROVED, "Ed", NULL, "as sent", &error));
  g_assert_no_error (error);

  open_window (fixture, 1400);
  leaflet = ADW_LEAFLET (child (fixture, "leaflet"));
  desk_window_show_release (fixture->window, 1);
  g_signal_connect (fixture->window, "published", G_CALLBACK (published), &done);
  g_assert_true (desk_window_publish_to (fixture->window, 1, &error) || error == NULL);
  /* The check stops furniture: go ahead as the editor would, with a reason. */
  if (!done && desk_publish_release (fixture->store, 1, 1, "Ed", "as sent", NULL) > 0)
    desk_window_reload (fixture->window);
  for (guint i = 0; i < 500 && !done; i++)
    desk_test_ui_spin (10);
  g_assert_true (done);
  desk_window_show_release (fixture->window, 1);
  desk_test_ui_spin (100);

  /* --release 1 selected its row (in the Published queue). */
  {
    GtkSingleSelection *selection = GTK_SINGLE_SELECTION (gtk_list_view_get_model (GTK_LIST_VIEW (child (fixture, "list_view"))));
    DeskRelease *selected = gtk_single_selection_get_selected_item (selection);

    g_assert_nonnull (selected);
    g_assert_cmpint (desk_release_get_id (selected), ==, 1);
  }

  /* 1400 and 1000: three panes side by side, the whole action bar readable. */
  for (guint i = 0; i < 2; i++)
    {
      int width = i == 0 ? 1400 : 1000;

      resize (fixture, width);
      g_assert_true (is_about (gtk_widget_get_width (GTK_WIDGET (fixture->window)), width));
      g_assert_false (adw_leaflet_get_folded (leaflet));
      g_assert_true (label_shows_whole (child (fixture, "publish_state"), "Published to Local Folder"));
      g_assert_true (label_shows_whole (child (fixture, "sponsor_badge"), "Third-party"));
      g_assert_true (within_window (fixture, child (fixture, "open_link_button")));
      g_assert_true (within_window (fixture, child (fixture, "release_menu_button")));
      g_assert_true (gtk_widget_get_mapped (child (fixture, "list_pane")));
      g_assert_true (gtk_widget_get_mapped (child (fixture, "review_pane")));
    }

  /* 360, a phone: one pane, the release, whose controls all fit. */
  resize (fixture, 360);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (fixture->window)), <=, 360);
  g_assert_true (is_about (gtk_widget_get_width (GTK_WIDGET (fixture->window)), 360));
  g_assert_true (adw_leaflet_get_folded (leaflet));
  g_assert_true (adw_leaflet_get_visible_child (leaflet) == child (fixture, "review_pane"));
  g_assert_true (within_window (fixture, child (fixture, "back_to_list")));
  g_assert_true (within_window (fixture, child (fixture, "release_menu_button")));
  g_assert_true (within_window (fixture, child (fixture, "evidence_button")));

  /* Back to the list, and to the queues: choosing the queue already
   * chosen shows its list again. */
  g_signal_emit_by_name (child (fixture, "back_to_list"), "clicked");
  desk_test_ui_spin (100);
  g_assert_true (adw_leaflet_get_visible_child (leaflet) == child (fixture, "list_pane"));
  g_signal_emit_by_name (child (fixture, "back_to_queues"), "clicked");
  desk_test_ui_spin (100);
  g_assert_true (adw_leaflet_get_visible_child (leaflet) != child (fixture, "list_pane"));
  {
    GtkListBox *queues = GTK_LIST_BOX (child (fixture, "queues"));
    GtkListBoxRow *row = gtk_list_box_get_selected_row (queues);

    g_assert_nonnull (row);
    g_signal_emit_by_name (queues, "row-activated", row);
  }
  desk_test_ui_spin (100);
  g_assert_true (adw_leaflet_get_visible_child (leaflet) == child (fixture, "list_pane"));

  /* And wide again: no fold left behind. */
  resize (fixture, 1000);
  g_assert_false (adw_leaflet_get_folded (leaflet));
  g_unsetenv ("COPYDESK_PUBLISH_DIR");
}

/* One next step in the action bar, as the release goes along. */
static void
test_one_next_step (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  GtkWidget *next;

  add_release (fixture, "Gempa di Cianjur\nWarga diminta tenang.");
  open_window (fixture, 1400);
  next = child (fixture, "next_step_button");
  desk_window_show_release (fixture->window, 1);
  desk_test_ui_spin (50);
  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (next)), ==, "win.start-review");
  g_assert_true (desk_window_move_current (fixture->window, DESK_STATUS_IN_REVIEW, NULL, &error));
  desk_test_ui_spin (50);
  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (next)), ==, "win.approve");
  g_assert_true (desk_window_move_current (fixture->window, DESK_STATUS_APPROVED, NULL, &error));
  desk_test_ui_spin (50);
  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (next)), ==, "win.publish");
  g_assert_no_error (error);
}

/* Ctrl+L, then Down, Down: the selection moves, the release follows
 * beside the list, and the keys stay in the list; Enter opens the copy,
 * Escape comes back. */
static void
test_arrow_keys_stay_in_the_list (Fixture       *fixture,
                                  gconstpointer  data)
{
  GtkWidget *list;
  DeskReviewView *review;
  GtkSingleSelection *selection;

  add_release (fixture, "Gempa di Cianjur\nWarga diminta tenang.");
  add_release (fixture, "Harga beras naik\nPasar induk ramai.");
  add_release (fixture, "Banjir di Bekasi\nRibuan rumah terendam.");
  open_window (fixture, 1400);
  desk_test_ui_focus_window (GTK_WINDOW (fixture->window));
  list = child (fixture, "list_view");
  review = desk_window_get_review_view (fixture->window);
  selection = GTK_SINGLE_SELECTION (gtk_list_view_get_model (GTK_LIST_VIEW (list)));

  desk_test_ui_xdotool ("key", "--delay", "100", "ctrl+l", "Down", NULL);
  g_assert_true (focus_is_in (GTK_WIDGET (fixture->window), list));
  desk_test_ui_xdotool ("key", "--delay", "100", "Down", NULL);
  g_assert_true (focus_is_in (GTK_WIDGET (fixture->window), list));
  g_assert_cmpuint (gtk_single_selection_get_selected (selection), >=, 1);
  g_assert_cmpint (desk_review_view_get_release_id (review), ==,
                   desk_release_get_id (gtk_single_selection_get_selected_item (selection)));
  desk_test_ui_xdotool ("key", "--delay", "100", "Down", NULL);
  g_assert_true (focus_is_in (GTK_WIDGET (fixture->window), list));
  g_assert_cmpuint (gtk_single_selection_get_selected (selection), ==, 2);
  g_assert_false (adw_leaflet_get_folded (ADW_LEAFLET (child (fixture, "leaflet"))));

  /* Enter: into the edited copy of that release; Escape: back. */
  desk_test_ui_xdotool ("key", "Return", NULL);
  g_assert_true (focus_is_in (GTK_WIDGET (fixture->window), GTK_WIDGET (review)));
  g_assert_true (GTK_IS_TEXT_VIEW (gtk_root_get_focus (GTK_ROOT (fixture->window))));
  g_assert_true (gtk_text_view_get_editable (GTK_TEXT_VIEW (gtk_root_get_focus (GTK_ROOT (fixture->window)))));
  desk_test_ui_xdotool ("key", "Escape", NULL);
  g_assert_true (focus_is_in (GTK_WIDGET (fixture->window), list));
  g_assert_cmpuint (gtk_single_selection_get_selected (selection), ==, 2);
}

/* Search: results start at the top; Down selects the first and goes to
 * it; Enter opens the first. */
static void
test_search_keys (Fixture       *fixture,
                  gconstpointer  data)
{
  GtkWidget *entry;
  GtkWidget *list;
  GtkAdjustment *adjustment;
  GtkSingleSelection *selection;
  DeskReviewView *review;

  for (guint i = 0; i < 60; i++)
    {
      g_autofree char *text = g_strdup_printf ("Rilis nomor %u tentang pelabuhan\nIsi rilis %u.", i, i);

      add_release (fixture, text);
    }
  open_window (fixture, 1400);
  desk_test_ui_focus_window (GTK_WINDOW (fixture->window));
  entry = child (fixture, "search_entry");
  list = child (fixture, "list_view");
  review = desk_window_get_review_view (fixture->window);
  selection = GTK_SINGLE_SELECTION (gtk_list_view_get_model (GTK_LIST_VIEW (list)));
  adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (child (fixture, "list_scroller")));

  /* Scrolled down the queue; a search starts again at the top. */
  desk_test_ui_spin (200);
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
  desk_test_ui_spin (50);
  g_assert_cmpfloat (gtk_adjustment_get_value (adjustment), >, 0);
  desk_test_ui_xdotool ("key", "ctrl+f", NULL);
  desk_test_ui_xdotool ("type", "--delay", "20", "pelabuhan", NULL);
  for (guint i = 0; i < 100 && g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (entry)), "pelabuhan") != 0; i++)
    desk_test_ui_spin (10);
  desk_test_ui_spin (300);   /* the search entry waits a moment before searching */
  g_assert_cmpfloat (gtk_adjustment_get_value (adjustment), ==, gtk_adjustment_get_lower (adjustment));

  desk_test_ui_xdotool ("key", "Down", NULL);
  g_assert_cmpuint (gtk_single_selection_get_selected (selection), ==, 0);
  g_assert_true (focus_is_in (GTK_WIDGET (fixture->window), list));
  g_assert_cmpint (desk_review_view_get_release_id (review), ==,
                   desk_release_get_id (gtk_single_selection_get_selected_item (selection)));

  /* Enter in the search field opens the first result. */
  desk_test_ui_xdotool ("key", "Down", "Down", NULL);
  g_assert_cmpuint (gtk_single_selection_get_selected (selection), ==, 2);
  desk_test_ui_xdotool ("key", "ctrl+f", "Return", NULL);
  g_assert_cmpuint (gtk_single_selection_get_selected (selection), ==, 0);
  g_assert_cmpint (desk_review_view_get_release_id (review), ==,
                   desk_release_get_id (gtk_single_selection_get_selected_item (selection)));
  g_assert_true (focus_is_in (GTK_WIDGET (fixture->window), GTK_WIDGET (review)));
}

static gboolean
list_box_row_title_is (GtkListBox *list,
                       int         index,
                       const char *title)
{
  GtkListBoxRow *row = gtk_list_box_get_row_at_index (list, index);

  if (row == NULL || g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), title) != 0)
    g_printerr ("row %d: “%s”, not “%s”\n", index,
                row != NULL ? adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)) : "(none)", title);
  return row != NULL && g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), title) == 0;
}

static void
find_list_boxes (GtkWidget *widget,
                 GPtrArray *found)
{
  if (GTK_IS_LIST_BOX (widget))
    g_ptr_array_add (found, widget);
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    find_list_boxes (c, found);
}

/* History: revisions and events newest first, events in words, the diff
 * said to be against the revision before; Escape and Ctrl+W close it. */
static void
test_history_order_words_and_keys (Fixture       *fixture,
                                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) lists = g_ptr_array_new ();
  GtkWindow *history;
  GtkListBox *revisions, *events;

  import_seed (fixture);
  g_assert_true (desk_store_save_revision (fixture->store, 1, NULL, "Teks pertama.", "Ed", NULL, &error));
  g_assert_true (desk_store_save_revision (fixture->store, 1, NULL, "Teks kedua.", "Ed", NULL, &error));
  g_assert_true (desk_store_set_sponsor_decision (fixture->store, 1, DESK_SPONSOR_DECISION_THIRD_PARTY,
                                                  "Distributor", "Ed", &error));
  g_assert_true (desk_move_release (fixture->store, 1, DESK_STATUS_IN_REVIEW, "Ed", NULL, NULL, &error));
  g_assert_true (desk_move_release (fixture->store, 1, DESK_STATUS_APPROVED, "Ed", "Siap", "as sent", &error));
  g_assert_no_error (error);
  open_window (fixture, 1400);
  desk_window_show_release (fixture->window, 1);

  history = desk_history_window_new (GTK_WINDOW (fixture->window), fixture->store, 1);
  g_object_add_weak_pointer (G_OBJECT (history), (gpointer *) &history);
  gtk_window_present (history);
  desk_test_ui_spin (300);
  find_list_boxes (GTK_WIDGET (history), lists);
  g_assert_cmpuint (lists->len, >=, 2);
  revisions = g_ptr_array_index (lists, 0);
  events = g_ptr_array_index (lists, 1);

  /* Newest first, both; the newest revision selected, against the one before. */
  g_assert_true (list_box_row_title_is (revisions, 0, "Revision 2"));
  g_assert_true (list_box_row_title_is (revisions, 1, "Revision 1"));
  g_assert_true (desk_test_ui_shows (GTK_WIDGET (history), "Revision 2, against revision 1"));
  g_assert_true (list_box_row_title_is (events, 0, "Approved"));
  g_assert_true (list_box_row_title_is (events, 1, "Review started"));
  g_assert_true (list_box_row_title_is (events, 2, "Marked third-party"));
  desk_history_window_select_revision (DESK_HISTORY_WINDOW (history), 0);
  desk_test_ui_spin (50);
  g_assert_true (desk_test_ui_shows (GTK_WIDGET (history), "Revision 1, against the original"));
  /* No raw ids anywhere. */
  g_assert_false (desk_test_ui_shows (GTK_WIDGET (history), "check-overridden"));
  g_assert_false (desk_test_ui_shows (GTK_WIDGET (history), "marked-third-party"));

  desk_test_ui_focus_window (history);
  desk_test_ui_xdotool ("key", "Escape", NULL);
  for (guint i = 0; i < 100 && history != NULL; i++)
    desk_test_ui_spin (10);
  g_assert_null (history);

  history = desk_history_window_new (GTK_WINDOW (fixture->window), fixture->store, 1);
  g_object_add_weak_pointer (G_OBJECT (history), (gpointer *) &history);
  gtk_window_present (history);
  desk_test_ui_spin (300);
  desk_test_ui_focus_window (history);
  desk_test_ui_xdotool ("key", "ctrl+w", NULL);
  for (guint i = 0; i < 100 && history != NULL; i++)
    desk_test_ui_spin (10);
  g_assert_null (history);
}

static char *
edited_text (Fixture *fixture)
{
  g_autoptr(DeskRelease) release = desk_store_get_release (fixture->store, 1, NULL);

  /* Never edited, the copy is the original. */
  return g_strdup (desk_release_get_edited (release) != NULL ? desk_release_get_edited (release)
                                                             : desk_release_get_original (release));
}

/* Clean Up, then Ctrl+Z: the copy as it was, as a new revision. */
static void
test_clean_up_undo (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *cleaned = NULL;
  g_autofree char *after = NULL;
  g_autoptr(GPtrArray) revisions = NULL;

  import_seed (fixture);
  open_window (fixture, 1400);
  desk_window_show_release (fixture->window, 1);
  desk_test_ui_focus_window (GTK_WINDOW (fixture->window));
  before = edited_text (fixture);

  g_assert_true (desk_window_clean_up (fixture->window, &error));
  g_assert_no_error (error);
  cleaned = edited_text (fixture);
  g_assert_cmpstr (cleaned, !=, before);
  g_assert_true (desk_test_ui_wait_until_shown (GTK_WIDGET (fixture->window), "Wire furniture removed"));

  /* Ctrl+Z undoes the clean-up, wherever the keys are (the desk's
   * shortcuts are caught before the focused widget). */
  desk_test_ui_xdotool ("key", "ctrl+z", NULL);
  after = edited_text (fixture);
  g_assert_cmpstr (after, ==, before);
  revisions = desk_store_list_revisions (fixture->store, 1, NULL);
  /* The clean-up's revision, and the one that undid it. */
  g_assert_cmpuint (revisions->len, ==, 2);

  /* Once: a second Ctrl+Z is the copy's own again, not another restore. */
  desk_test_ui_xdotool ("key", "ctrl+z", NULL);
  g_clear_pointer (&revisions, g_ptr_array_unref);
  revisions = desk_store_list_revisions (fixture->store, 1, NULL);
  g_assert_cmpuint (revisions->len, ==, 2);
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

  ADD ("/ui/rooms/layout-at-1400-1000-and-360", test_layout_at_1400_1000_and_360);
  ADD ("/ui/rooms/one-next-step", test_one_next_step);
  ADD ("/ui/rooms/arrow-keys-stay-in-the-list", test_arrow_keys_stay_in_the_list);
  ADD ("/ui/rooms/search-keys", test_search_keys);
  ADD ("/ui/rooms/history-order-words-and-keys", test_history_order_words_and_keys);
  ADD ("/ui/rooms/clean-up-undo", test_clean_up_undo);

#undef ADD

  return g_test_run ();
}
