/* test-ui-copies.c — one story from several wires in the window, under Xvfb
 *
 * Real widgets on a real temporary store; keys are real X key events
 * (xdotool) delivered to the windows this process shows.
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdio.h>
#include <string.h>
#include <adwaita.h>

#include "desk-copies-window.h"
#include "desk-history-window.h"
#include "desk-test-ui.h"
#include "desk-test-util.h"
#include "desk-window.h"
#include "desk-window-private.h"

typedef DeskTestWindowFixture Fixture;

static const char body[] =
  "JAKARTA, 5 March 2026 – The port authority said on Thursday that the new container terminal "
  "at Tanjung Priok will open to ships in June, three months later than planned, after "
  "inspectors found cracks in two of its quay cranes.\n\n"
  "The terminal, built at a cost of 4.2 trillion rupiah, is meant to double the port's capacity "
  "for the largest container ships calling at Jakarta, the authority's director told reporters.\n\n"
  "Shipping lines had been told to expect the first calls in March. Two of them said they would "
  "keep routing their largest vessels through Singapore until the cranes were certified.";

typedef struct {
  gint64 a, other, b, c;
} Story;

static gint64
add_from (Fixture    *fixture,
          const char *text,
          const char *wire)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskParsedRelease) parsed = desk_parse_release_text (text, &error);
  DeskSource source = { wire };
  gint64 id = desk_store_add_release (fixture->store, parsed, &source, "Ed", NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

static void
add_story (Fixture *fixture,
           Story   *story)
{
  g_autofree char *first = g_strdup_printf ("Terminal opening delayed\n\n%s\n", body);
  g_autofree char *second = g_strdup_printf ("Port terminal to open in June\n\n%s\n", body);
  g_autofree char *corrected = NULL;
  g_autofree char *third = NULL;

  {
    g_auto(GStrv) parts = g_strsplit (body, "4.2 trillion", 2);

    corrected = g_strjoin ("4.3 trillion", parts[0], parts[1], NULL);
    third = g_strdup_printf ("Terminal opening delayed\n\n%s\n", corrected);
  }
  story->a = add_from (fixture, first, "Wire A");
  story->other = add_from (fixture, "Markets close for renovation\n\n"
                           "SURABAYA – The city council voted on Wednesday to close three markets for "
                           "renovation over the rainy season, moving some two thousand traders to temporary "
                           "stalls in a stadium car park until the work is finished next year.\n", "Wire A");
  story->b = add_from (fixture, second, "Wire B");
  story->c = add_from (fixture, third, "Wire C");
}

static void
open_window (Fixture *fixture)
{
  fixture->window = desk_window_new (NULL, fixture->store);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1400, 800);
  gtk_window_present (GTK_WINDOW (fixture->window));
  desk_test_ui_spin (300);
}

/* Whether a label under @widget has @part in its text, waiting a while
 * for the list to draw it. */
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

static gboolean
wait_until_part_shown (GtkWidget  *widget,
                       const char *part)
{
  for (guint i = 0; i < 100; i++)
    {
      if (shows_part (widget, part))
        return TRUE;
      desk_test_ui_spin (10);
    }
  return FALSE;
}

static DeskCopiesWindow *
find_copies_window (void)
{
  g_autoptr(GListModel) toplevels = gtk_window_get_toplevels ();

  g_object_ref (toplevels);
  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (DESK_IS_COPIES_WINDOW (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return DESK_COPIES_WINDOW (window);
    }
  return NULL;
}

static char *
tagged (GtkTextBuffer *buffer,
        const char    *tag_name)
{
  GtkTextTag *tag = gtk_text_tag_table_lookup (gtk_text_buffer_get_tag_table (buffer), tag_name);
  GString *out = g_string_new (NULL);
  GtkTextIter iter;

  gtk_text_buffer_get_start_iter (buffer, &iter);
  do
    {
      GtkTextIter end = iter;

      if (gtk_text_iter_starts_tag (&iter, tag) && gtk_text_iter_forward_to_tag_toggle (&end, tag))
        {
          g_autofree char *words = gtk_text_iter_get_text (&iter, &end);

          g_string_append_printf (out, "[%s]", words);
        }
    }
  while (gtk_text_iter_forward_to_tag_toggle (&iter, tag));
  return g_string_free (out, FALSE);
}

/* The queue holds the story once, its row says "3 copies" with the
 * wires; the review's header opens the copies side by side with
 * Ctrl+Shift+C, the copy on the left is picked, Escape goes back. */
static void
test_one_row_a_story_and_its_copies_side_by_side (Fixture       *fixture,
                                                  gconstpointer  data)
{
  Story story;
  DeskCopiesWindow *copies;
  GtkListView *list;
  g_autofree char *removed = NULL;
  g_autofree char *added = NULL;

  add_story (fixture, &story);
  open_window (fixture);
  g_assert_true (desk_test_ui_wait_until_shown (GTK_WIDGET (fixture->window), "Terminal opening delayed"));
  g_assert_true (wait_until_part_shown (GTK_WIDGET (fixture->window), "3 copies: Wire A, Wire B, Wire C"));
  list = _desk_window_get_list_view (fixture->window);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (gtk_list_view_get_model (list))), ==, 2);
  /* The Inbox counts stories (counted off the main thread). */
  for (guint i = 0; i < 200 && *gtk_label_get_text (fixture->window->queue_counts[0]) == '\0'; i++)
    desk_test_ui_spin (10);
  g_assert_cmpstr (gtk_label_get_text (fixture->window->queue_counts[0]), ==, "2");

  desk_window_show_release (fixture->window, story.a);
  desk_test_ui_spin (100);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (fixture->window->copies_button)));
  g_assert_cmpstr (gtk_button_get_label (fixture->window->copies_button), ==, "3 Copies");

  desk_test_ui_focus_window (GTK_WINDOW (fixture->window));
  desk_test_ui_xdotool ("key", "ctrl+shift+c", NULL);
  for (guint i = 0; i < 100 && (copies = find_copies_window ()) == NULL; i++)
    desk_test_ui_spin (10);
  g_assert_nonnull (copies);
  g_object_add_weak_pointer (G_OBJECT (copies), (gpointer *) &copies);
  g_assert_cmpuint (desk_copies_window_get_n_copies (copies), ==, 3);
  /* The release under review on the right, the next copy on the left;
   * the keyboard on the list that picks it. */
  g_assert_cmpint (desk_copies_window_get_right (copies), ==, story.a);
  g_assert_cmpint (desk_copies_window_get_left (copies), ==, story.b);
  {
    GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (copies));

    g_assert_nonnull (focus);
    g_assert_true (GTK_IS_DROP_DOWN (focus) || GTK_IS_DROP_DOWN (gtk_widget_get_ancestor (focus, GTK_TYPE_DROP_DOWN)));
  }
  removed = tagged (desk_copies_window_get_buffer (copies, TRUE), "removed");
  added = tagged (desk_copies_window_get_buffer (copies, FALSE), "added");
  g_assert_cmpstr (removed, ==, "[Port terminal to open in June]");
  g_assert_cmpstr (added, ==, "[Terminal opening delayed]");
  g_assert_cmpuint (desk_copies_window_get_n_changes (copies), ==, 1);

  /* Another copy on the left: the corrected figure is the difference. */
  g_assert_true (desk_copies_window_set_left (copies, story.c));
  g_clear_pointer (&removed, g_free);
  g_clear_pointer (&added, g_free);
  removed = tagged (desk_copies_window_get_buffer (copies, TRUE), "removed");
  added = tagged (desk_copies_window_get_buffer (copies, FALSE), "added");
  g_assert_nonnull (strstr (removed, "4.3"));
  g_assert_nonnull (strstr (added, "4.2"));
  g_assert_null (strstr (removed, "Terminal"));

  desk_test_ui_focus_window (GTK_WINDOW (copies));
  desk_test_ui_xdotool ("key", "Escape", NULL);
  for (guint i = 0; i < 100 && copies != NULL; i++)
    desk_test_ui_spin (10);
  g_assert_null (copies);

  /* A release with no copies has no such button. */
  desk_window_show_release (fixture->window, story.other);
  desk_test_ui_spin (100);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (fixture->window->copies_button)));
}

/* Approving one copy sets the others aside: the toast says so, the
 * story stays one row (in Approved), and a set-aside copy's history says
 * why in words. */
static void
test_approving_one_copy_says_the_others_were_set_aside (Fixture       *fixture,
                                                        gconstpointer  data)
{
  static const DeskWindowMove approve = {
    "win.approve", DESK_STATUS_APPROVED, "Approve", "Approve", "Approved",
  };
  g_autoptr(GError) error = NULL;
  Story story;
  GtkWindow *history;

  add_story (fixture, &story);
  g_assert_true (desk_store_set_status (fixture->store, story.a, DESK_STATUS_IN_REVIEW, "Ed", NULL, &error));
  g_assert_no_error (error);
  open_window (fixture);
  desk_window_show_release (fixture->window, story.a);
  desk_test_ui_spin (100);

  _desk_window_do_move (fixture->window, &approve, story.a, NULL, NULL);
  g_assert_true (desk_test_ui_wait_until_shown (GTK_WIDGET (fixture->window), "Approved; 2 copies set aside"));
  /* Approved counts the story once; Rejected does not fill with the
   * copies set aside. */
  for (guint i = 0; i < 200 && g_strcmp0 (gtk_label_get_text (fixture->window->queue_counts[3]), "1") != 0; i++)
    desk_test_ui_spin (10);
  g_assert_cmpstr (gtk_label_get_text (fixture->window->queue_counts[3]), ==, "1");
  g_assert_cmpstr (gtk_label_get_text (fixture->window->queue_counts[5]), ==, "");

  history = desk_history_window_new (GTK_WINDOW (fixture->window), fixture->store, story.b);
  gtk_window_present (history);
  g_assert_true (desk_test_ui_wait_until_shown (GTK_WIDGET (history), "Set aside: another copy of the story was approved"));
  gtk_window_destroy (history);

  /* The toast's Undo takes the approval back, and the copies with it. */
  g_assert_true (desk_test_ui_click_button (GTK_WIDGET (fixture->window), "_Undo"));
  for (guint i = 0; i < 200 && g_strcmp0 (gtk_label_get_text (fixture->window->queue_counts[3]), "") != 0; i++)
    desk_test_ui_spin (10);
  g_assert_cmpstr (gtk_label_get_text (fixture->window->queue_counts[3]), ==, "");
  {
    g_autoptr(DeskRelease) a = desk_store_get_release (fixture->store, story.a, NULL);
    g_autoptr(DeskRelease) b = desk_store_get_release (fixture->store, story.b, NULL);

    g_assert_cmpint (desk_release_get_status (a), ==, DESK_STATUS_IN_REVIEW);
    g_assert_cmpint (desk_release_get_status (b), ==, DESK_STATUS_NEW);
  }
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

  g_test_add ("/ui/copies/one-row-a-story-and-its-copies-side-by-side", Fixture, NULL,
              desk_test_window_fixture_set_up, test_one_row_a_story_and_its_copies_side_by_side,
              desk_test_window_fixture_tear_down);
  g_test_add ("/ui/copies/approving-one-says-the-others-were-set-aside", Fixture, NULL,
              desk_test_window_fixture_set_up, test_approving_one_copy_says_the_others_were_set_aside,
              desk_test_window_fixture_tear_down);

  return g_test_run ();
}
