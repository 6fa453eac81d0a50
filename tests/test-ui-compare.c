/* test-ui-compare.c — the review pane compared as in Meld, and spelling
 *
 * Real widgets under Xvfb, a real store in a temporary folder, real
 * enchant dictionaries (hunspell-id from Debian).
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdio.h>
#include <string.h>
#include <adwaita.h>

#include "desk-copy-view.h"
#include "desk-diff.h"
#include "desk-parser.h"
#include "desk-importer.h"
#include "desk-language.h"
#include "desk-spelling.h"
#include "desk-test-ui.h"
#include "desk-test-util.h"
#include "desk-window.h"

typedef DeskTestWindowFixture Fixture;

#define SEED_HEADLINE "Moskow konfirmasi pembicaraan baru Rusia-AS"

static void
import_seed (Fixture *fixture)
{
  g_autofree char *seed = g_test_build_filename (G_TEST_DIST, "fixtures", "seaprwire-id-moskow-konfirmasi.txt", NULL);
  g_autoptr(DeskImportItem) item = desk_import_file (fixture->store, seed, "Ed");

  g_assert_cmpint (item->outcome, ==, DESK_IMPORT_IMPORTED);
}

static DeskReviewView *
open_window (Fixture *fixture,
             int      width)
{
  fixture->window = desk_window_new (NULL, fixture->store);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), width, 860);
  gtk_window_present (GTK_WINDOW (fixture->window));
  /* The list fills from a thread. */
  while (g_list_model_get_n_items (G_LIST_MODEL (desk_window_get_releases (fixture->window))) == 0)
    desk_test_ui_spin (20);
  desk_window_select_position (fixture->window, 0);
  desk_test_ui_spin (200);
  return desk_window_get_review_view (fixture->window);
}

static char *
buffer_text (GtkTextBuffer *buffer)
{
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, TRUE);
}

static GtkTextBuffer *
edited_of (DeskReviewView *view)
{
  return GTK_TEXT_BUFFER (desk_review_view_get_edited_buffer (view));
}

/* The character offset of @needle in @buffer (it must be there). */
static guint
offset_of (GtkTextBuffer *buffer,
           const char    *needle)
{
  GtkTextIter start, match, match_end;

  gtk_text_buffer_get_start_iter (buffer, &start);
  g_assert_true (gtk_text_iter_forward_search (&start, needle, 0, &match, &match_end, NULL));
  return (guint) gtk_text_iter_get_offset (&match);
}

static void
replace (GtkTextBuffer *buffer,
         const char    *old,
         const char    *new)
{
  GtkTextIter start, match, match_end;

  gtk_text_buffer_get_start_iter (buffer, &start);
  g_assert_true (gtk_text_iter_forward_search (&start, old, 0, &match, &match_end, NULL));
  gtk_text_buffer_delete (buffer, &match, &match_end);
  gtk_text_buffer_insert (buffer, &match, new, -1);
}

static void
place_cursor (GtkTextBuffer *buffer,
              guint          offset)
{
  GtkTextIter iter;

  gtk_text_buffer_get_iter_at_offset (buffer, &iter, (int) offset);
  gtk_text_buffer_place_cursor (buffer, &iter);
}

/* The text of every range of @buffer that has tag @name, joined by "|". */
static char *
tagged_text (GtkTextBuffer *buffer,
             const char    *name)
{
  GtkTextTag *tag = gtk_text_tag_table_lookup (gtk_text_buffer_get_tag_table (buffer), name);
  GString *out = g_string_new (NULL);
  GtkTextIter iter;

  gtk_text_buffer_get_start_iter (buffer, &iter);
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

static void
collect (GtkWidget *widget,
         GType      type,
         GPtrArray *found)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    g_ptr_array_add (found, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect (child, type, found);
}

/* ---- comparing ------------------------------------------------------------ */

/* Both panes are as wide as each other, so they wrap alike and the same
 * paragraph stands at the same height. */
static void
test_panes_are_equally_wide (Fixture       *fixture,
                             gconstpointer  data)
{
  const int widths[] = { 1400, 1000 };

  import_seed (fixture);
  for (guint i = 0; i < G_N_ELEMENTS (widths); i++)
    {
      DeskReviewView *view = open_window (fixture, widths[i]);
      g_autoptr(GPtrArray) panes = g_ptr_array_new ();
      int a, b;

      collect (GTK_WIDGET (view), DESK_TYPE_COPY_VIEW, panes);
      g_assert_cmpuint (panes->len, ==, 2);
      a = gtk_widget_get_width (panes->pdata[0]);
      b = gtk_widget_get_width (panes->pdata[1]);
      g_test_message ("window %d px: panes %d and %d px", widths[i], a, b);
      g_assert_cmpint (a, >, 100);
      g_assert_cmpint (ABS (a - b), <=, 3);
      gtk_window_destroy (GTK_WINDOW (fixture->window));
      fixture->window = NULL;
      desk_test_ui_spin (50);
    }
}

/* A narrow review pane drops both overviews, never one. */
static void
test_narrow_pane_drops_both_overviews (Fixture       *fixture,
                                       gconstpointer  data)
{
  const struct { int width; gboolean maps; } cases[] = { { 600, FALSE }, { 1300, TRUE }, { 700, FALSE } };
  GtkWidget *window = gtk_window_new ();
  GtkWidget *view = g_object_new (DESK_TYPE_REVIEW_VIEW, NULL);
  g_autoptr(GPtrArray) panes = g_ptr_array_new ();
  g_autoptr(GPtrArray) maps = g_ptr_array_new ();

  gtk_window_set_child (GTK_WINDOW (window), view);
  collect (view, DESK_TYPE_COPY_VIEW, panes);
  collect (view, GTK_SOURCE_TYPE_MAP, maps);
  g_assert_cmpuint (panes->len, ==, 2);
  g_assert_cmpuint (maps->len, ==, 2);
  gtk_window_present (GTK_WINDOW (window));
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gtk_window_set_default_size (GTK_WINDOW (window), cases[i].width, 700);
      while (gtk_widget_get_width (view) != cases[i].width ||
             gtk_widget_get_visible (maps->pdata[0]) != cases[i].maps)
        desk_test_ui_spin (20);
      desk_test_ui_spin (50);
      g_assert_cmpint (gtk_widget_get_visible (maps->pdata[1]), ==, cases[i].maps);
      g_test_message ("%d px: panes %d and %d px", cases[i].width,
                      gtk_widget_get_width (panes->pdata[0]), gtk_widget_get_width (panes->pdata[1]));
      g_assert_cmpint (ABS (gtk_widget_get_width (panes->pdata[0]) - gtk_widget_get_width (panes->pdata[1])), <=, 3);
    }
  gtk_window_destroy (GTK_WINDOW (window));
}

/* The original headline is a field above the original; a new headline
 * written over the body's first line is not a change of the body. */
static void
test_headline_is_a_field_in_both_panes (Fixture       *fixture,
                                        gconstpointer  data)
{
  g_autoptr(DeskRelease) release = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GPtrArray) entries = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *original_headline_text = NULL;
  g_autofree char *headline_text = NULL;
  DeskReviewView *view;
  GtkTextView *original_headline = NULL;
  const char *body;

  import_seed (fixture);
  release = desk_store_get_release (fixture->store, 1, NULL);
  body = strchr (desk_release_get_original (release), '\n') + 1;
  text = g_strconcat ("Rusia dan AS bertemu lagi di Istanbul\n", body, NULL);
  g_assert_true (desk_store_save_revision (fixture->store, 1, "Rusia dan AS bertemu lagi di Istanbul",
                                           text, NULL, NULL, &error));
  g_assert_no_error (error);

  view = open_window (fixture, 1400);
  collect (GTK_WIDGET (view), GTK_TYPE_TEXT_VIEW, entries);
  for (guint i = 0; i < entries->len; i++)
    if (gtk_widget_has_css_class (entries->pdata[i], "original-headline"))
      original_headline = entries->pdata[i];
  g_assert_nonnull (original_headline);
  g_assert_false (gtk_text_view_get_editable (original_headline));
  original_headline_text = buffer_text (gtk_text_view_get_buffer (original_headline));
  g_assert_cmpstr (original_headline_text, ==, SEED_HEADLINE);
  g_assert_cmpstr (gtk_widget_get_tooltip_text (GTK_WIDGET (original_headline)), ==, SEED_HEADLINE);
  headline_text = desk_review_view_dup_headline (view);
  g_assert_cmpstr (headline_text, ==, "Rusia dan AS bertemu lagi di Istanbul");

  /* Each headline's line is hidden in its pane; the bodies are the same. */
  g_assert_cmpuint (desk_review_view_get_n_changes (view), ==, 0);
  g_assert_cmpstr (tagged_text (GTK_TEXT_BUFFER (desk_review_view_get_original_buffer (view)), "headline-line"),
                   ==, SEED_HEADLINE "\n");
  g_assert_cmpstr (tagged_text (edited_of (view), "headline-line"), ==, "Rusia dan AS bertemu lagi di Istanbul\n");
  g_assert_cmpstr (desk_review_view_get_change_text (view), ==, "No changes");
}

/* Under a letterhead the headline is not the first line: its own line is
 * hidden where the parser found it, the furniture above it stays in
 * view, and the headline is shown once, in its field. */
static void
test_headline_under_furniture_shows_once (Fixture       *fixture,
                                          gconstpointer  data)
{
  const char *text = "DINAS PERHUBUNGAN KOTA TIRTAMAS\n"
                     "Jl. Pelabuhan No. 4, Tirtamas, Telp. (0761) 555 0192\n"
                     "SIARAN PERS\n"
                     "Nomor: 051/HMS/III/2026\n"
                     "Bus Malam ke Pelabuhan Mulai Beroperasi Pekan Depan\n"
                     "TIRTAMAS – Dinas Perhubungan membuka rute bus malam dari terminal kota ke pelabuhan mulai Senin.\n"
                     "Bus berangkat setiap 30 menit sampai pukul 02.00.\n";
  g_autoptr(DeskParsedRelease) parsed = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *hidden = NULL;
  g_autofree char *edited_hidden = NULL;
  DeskReviewView *view;

  parsed = desk_parse_release_text (text, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (parsed->headline, ==, "Bus Malam ke Pelabuhan Mulai Beroperasi Pekan Depan");
  desk_store_add_release (fixture->store, parsed, NULL, "Test", NULL, &error);
  g_assert_no_error (error);

  view = open_window (fixture, 1400);
  hidden = tagged_text (GTK_TEXT_BUFFER (desk_review_view_get_original_buffer (view)), "headline-line");
  edited_hidden = tagged_text (edited_of (view), "headline-line");
  g_assert_cmpstr (hidden, ==, "Bus Malam ke Pelabuhan Mulai Beroperasi Pekan Depan\n");
  g_assert_cmpstr (edited_hidden, ==, "Bus Malam ke Pelabuhan Mulai Beroperasi Pekan Depan\n");
  g_assert_cmpuint (desk_review_view_get_n_changes (view), ==, 0);
}

/* ---- the headline fields ------------------------------------------------- */

/* 180 characters, as real headlines of regional government releases run. */
#define LONG_HEADLINE "Pemerintah Provinsi Kalimantan Timur Resmikan Jalur Bus Listrik Bandara " \
                      "Sepinggan–Balikpapan Baru yang Melayani 24 Jam Mulai Januari 2027 dengan " \
                      "Tarif Rp 5.000 untuk Penumpang Umum"
#define SHORT_HEADLINE "Bus listrik ke bandara mulai Januari"

static gint64
add_release_with_headline (Fixture    *fixture,
                           const char *headline)
{
  g_autofree char *text = g_strdup_printf ("%s\n\n"
                                           "BALIKPAPAN – Jalur bus listrik dari Bandara Sepinggan ke Balikpapan Baru "
                                           "diresmikan hari ini oleh gubernur.\n\n"
                                           "Bus berangkat setiap 15 menit, siang dan malam.\n", headline);
  g_autoptr(DeskParsedRelease) parsed = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id;

  parsed = desk_parse_release_text (text, &error);
  g_assert_no_error (error);
  id = desk_store_add_release (fixture->store, parsed, NULL, "Test", NULL, &error);
  g_assert_no_error (error);
  return id;
}

/* The edited headline's field (or the original's), found as an editor
 * sees it: the field of the headline's look in that pane. */
static GtkTextView *
headline_field (DeskReviewView *view,
                gboolean        original)
{
  g_autoptr(GPtrArray) views = g_ptr_array_new ();

  collect (GTK_WIDGET (view), GTK_TYPE_WIDGET, views);
  for (guint i = 0; i < views->len; i++)
    if (gtk_widget_has_css_class (views->pdata[i], "headline-entry") &&
        gtk_widget_has_css_class (views->pdata[i], "original-headline") == original)
      {
        g_assert_true (GTK_IS_TEXT_VIEW (views->pdata[i]));
        return views->pdata[i];
      }
  g_assert_not_reached ();
}

static void
count_paint (GdkFrameClock *clock,
             guint         *painted)
{
  (*painted)++;
}

/* Lets GTK lay out and draw @widget's window @frames times over: a text
 * view that wraps settles its height over a frame or two. */
static void
wait_frames (GtkWidget *widget,
             guint      frames)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);
  guint painted = 0;
  gulong handler;

  g_assert_nonnull (clock);
  handler = g_signal_connect (clock, "after-paint", G_CALLBACK (count_paint), &painted);
  while (painted < frames)
    {
      gtk_widget_queue_draw (widget);
      desk_test_ui_spin (10);
    }
  g_signal_handler_disconnect (clock, handler);
}

static char *
headline_text (GtkTextView *field)
{
  return buffer_text (gtk_text_view_get_buffer (field));
}

/* A headline of 180 characters wraps in both panes, whole, in a window
 * 1000 px wide; the panes' headlines stand as tall as each other, so the
 * bodies start at the same height. */
static void
test_long_headline_wraps_in_both_panes (Fixture       *fixture,
                                        gconstpointer  data)
{
  gint64 short_id, long_id;
  DeskReviewView *view;
  GtkTextView *edited, *original;
  g_autofree char *edited_text = NULL;
  g_autofree char *original_text = NULL;
  g_autofree char *saved = NULL;
  g_autoptr(GError) error = NULL;
  const char *unspaced[] = {
    "东加里曼丹省政府为巴厘巴板机场至新巴厘巴板的电动公交线路举行通车仪式自二零二七年一月起全天候运营票价五千印尼盾",
    "รัฐบาลจังหวัดกาลีมันตันตะวันออกเปิดเส้นทางรถบัสไฟฟ้าจากสนามบินเซปิงกันสู่บาลิกปาปันใหม่ให้บริการตลอดยี่สิบสี่ชั่วโมง",
  };
  int one_line;

  g_assert_cmpint (g_utf8_strlen (LONG_HEADLINE, -1), ==, 180);
  short_id = add_release_with_headline (fixture, SHORT_HEADLINE);
  long_id = add_release_with_headline (fixture, LONG_HEADLINE);

  view = open_window (fixture, 1000);
  edited = headline_field (view, FALSE);
  original = headline_field (view, TRUE);

  g_assert_true (desk_review_view_load (view, short_id, &error));
  g_assert_no_error (error);
  wait_frames (GTK_WIDGET (view), 5);
  one_line = gtk_widget_get_height (GTK_WIDGET (edited));
  g_test_message ("one line: %d px, field %d px wide", one_line, gtk_widget_get_width (GTK_WIDGET (edited)));
  g_assert_cmpint (one_line, >, 20);

  g_assert_true (desk_review_view_load (view, long_id, &error));
  g_assert_no_error (error);
  wait_frames (GTK_WIDGET (view), 5);
  g_test_message ("180 characters: %d px and %d px", gtk_widget_get_height (GTK_WIDGET (edited)),
                  gtk_widget_get_height (GTK_WIDGET (original)));
  g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (edited)) * 2, >, one_line * 3);
  g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (original)) * 2, >, one_line * 3);
  /* Both fit their pane: nothing runs off its edge. */
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (edited)), <, 500);
  edited_text = headline_text (edited);
  original_text = headline_text (original);
  g_assert_cmpstr (edited_text, ==, LONG_HEADLINE);
  g_assert_cmpstr (original_text, ==, LONG_HEADLINE);
  saved = desk_review_view_dup_headline (view);
  g_assert_cmpstr (saved, ==, LONG_HEADLINE);
  /* No placeholder over the text. */
  g_assert_false (gtk_widget_get_visible (gtk_widget_get_next_sibling (GTK_WIDGET (edited))));

  /* Chinese and Thai have no spaces between words: they wrap too (over
   * an original of one line, which would not make the row taller). */
  g_assert_true (desk_review_view_load (view, short_id, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (unspaced); i++)
    {
      gtk_text_buffer_set_text (desk_review_view_get_headline_buffer (view), unspaced[i], -1);
      wait_frames (GTK_WIDGET (view), 5);
      g_test_message ("%s: %d px", unspaced[i], gtk_widget_get_height (GTK_WIDGET (edited)));
      g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (edited)) * 2, >, one_line * 3);
    }
}

/* The edited headline written out long over a short original: the
 * original's field stands as tall, so the bodies still start level and
 * scroll in step. */
static void
test_headlines_stand_level_in_both_panes (Fixture       *fixture,
                                          gconstpointer  data)
{
  gint64 id;
  DeskReviewView *view;
  GtkTextView *edited, *original;
  g_autoptr(GPtrArray) copy_views = g_ptr_array_new ();
  GtkWidget *bodies[2];
  graphene_point_t top, tops[2];
  int one_line;

  id = add_release_with_headline (fixture, SHORT_HEADLINE);
  view = open_window (fixture, 1000);
  g_assert_cmpint (desk_review_view_get_release_id (view), ==, id);
  edited = headline_field (view, FALSE);
  original = headline_field (view, TRUE);
  collect (GTK_WIDGET (view), DESK_TYPE_COPY_VIEW, copy_views);
  g_assert_cmpuint (copy_views->len, ==, 2);
  for (guint i = 0; i < 2; i++)
    bodies[i] = gtk_widget_get_ancestor (copy_views->pdata[i], GTK_TYPE_SCROLLED_WINDOW);
  wait_frames (GTK_WIDGET (view), 5);
  one_line = gtk_widget_get_height (GTK_WIDGET (original));

  gtk_text_buffer_set_text (desk_review_view_get_headline_buffer (view), LONG_HEADLINE, -1);
  wait_frames (GTK_WIDGET (view), 5);
  g_test_message ("original %d px, edited %d px, one line %d px", gtk_widget_get_height (GTK_WIDGET (original)),
                  gtk_widget_get_height (GTK_WIDGET (edited)), one_line);
  g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (edited)) * 2, >, one_line * 3);
  g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (original)), ==, gtk_widget_get_height (GTK_WIDGET (edited)));

  /* The two bodies' tops, in the view. */
  top = GRAPHENE_POINT_INIT (0, 0);
  for (guint i = 0; i < 2; i++)
    g_assert_true (gtk_widget_compute_point (bodies[i], GTK_WIDGET (view), &top, &tops[i]));
  g_assert_cmpfloat (tops[0].y, ==, tops[1].y);
  g_assert_cmpfloat (tops[0].y, >, 2 * one_line);
}

/* Typed into, the headline is saved with the copy; Enter goes on to the
 * body and puts no line break in the headline. */
static void
test_headline_typed_is_saved_and_enter_goes_to_body (Fixture       *fixture,
                                                     gconstpointer  data)
{
  gint64 id;
  DeskReviewView *view;
  GtkTextView *edited;
  GtkTextIter end;
  g_autofree char *text = NULL;
  g_autoptr(DeskRelease) release = NULL;
  GtkWidget *focus;

  id = add_release_with_headline (fixture, LONG_HEADLINE);
  view = open_window (fixture, 1000);
  g_assert_cmpint (desk_review_view_get_release_id (view), ==, id);
  edited = headline_field (view, FALSE);

  desk_test_ui_focus_window (GTK_WINDOW (fixture->window));
  gtk_widget_grab_focus (GTK_WIDGET (edited));
  gtk_text_buffer_get_end_iter (gtk_text_view_get_buffer (edited), &end);
  gtk_text_buffer_place_cursor (gtk_text_view_get_buffer (edited), &end);
  desk_test_ui_spin (50);
  desk_test_ui_xdotool ("type", "--delay", "20", " Ini", NULL);
  /* Alt+Return is the view's Keep, as from the entry: nothing typed. */
  desk_test_ui_xdotool ("key", "alt+Return", NULL);
  g_assert_true (gtk_widget_has_focus (GTK_WIDGET (edited)));
  text = headline_text (edited);
  g_assert_cmpstr (text, ==, LONG_HEADLINE " Ini");
  g_clear_pointer (&text, g_free);
  desk_test_ui_xdotool ("key", "Return", NULL);

  focus = gtk_root_get_focus (GTK_ROOT (fixture->window));
  g_assert_true (GTK_IS_TEXT_VIEW (focus));
  g_assert_true (gtk_text_view_get_buffer (GTK_TEXT_VIEW (focus)) ==
                 GTK_TEXT_BUFFER (desk_review_view_get_edited_buffer (view)));
  text = headline_text (edited);
  g_assert_cmpstr (text, ==, LONG_HEADLINE " Ini");

  /* The pause saves it. */
  while (desk_review_view_has_unsaved_changes (view))
    desk_test_ui_spin (20);
  release = desk_store_get_release (fixture->store, id, NULL);
  g_assert_cmpstr (desk_release_get_headline (release), ==, LONG_HEADLINE " Ini");

  /* Ctrl+Z in the headline takes the typing back, and no further: the
   * headline as loaded is where its undo starts. */
  gtk_widget_grab_focus (GTK_WIDGET (edited));
  desk_test_ui_xdotool ("key", "--delay", "50", "ctrl+z", "ctrl+z", "ctrl+z", "ctrl+z", "ctrl+z", NULL);
  g_clear_pointer (&text, g_free);
  text = headline_text (edited);
  g_assert_cmpstr (text, ==, LONG_HEADLINE);
}

/* A line break pasted into the headline is a space: a headline is one
 * line. */
static void
test_headline_paste_makes_line_breaks_spaces (Fixture       *fixture,
                                              gconstpointer  data)
{
  const struct {
    const char *pasted;
    const char *headline;
  } cases[] = {
    { "a\nb", "a b" },
    { "Banjir\r\n\r\nBekasi\n", "Banjir Bekasi " },
    { "satu\u2028dua", "satu dua" },
    { "tanpa baris baru", "tanpa baris baru" },
  };
  DeskReviewView *view;
  GtkTextView *edited;
  GtkTextBuffer *buffer;

  add_release_with_headline (fixture, SHORT_HEADLINE);
  view = open_window (fixture, 1000);
  edited = headline_field (view, FALSE);
  buffer = gtk_text_view_get_buffer (edited);
  gtk_widget_grab_focus (GTK_WIDGET (edited));

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = NULL;
      g_autofree char *saved = NULL;

      gtk_text_buffer_set_text (buffer, "", -1);
      /* Empty, the field says what goes in it, as the entry's placeholder did. */
      g_assert_true (gtk_widget_get_visible (gtk_widget_get_next_sibling (GTK_WIDGET (edited))));
      gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (edited)), cases[i].pasted);
      g_signal_emit_by_name (edited, "paste-clipboard");
      while (gtk_text_buffer_get_char_count (buffer) == 0)
        desk_test_ui_spin (10);
      text = headline_text (edited);
      g_assert_cmpstr (text, ==, cases[i].headline);
      g_assert_false (gtk_widget_get_visible (gtk_widget_get_next_sibling (GTK_WIDGET (edited))));
      saved = desk_review_view_dup_headline (view);
      g_assert_cmpstr (saved, ==, cases[i].headline);
    }
}

/* Text taken out leaves a marker in the edited pane where it was; text put
 * in leaves one in the original; a replaced word leaves none. */
static void
test_gap_markers_stand_where_text_went (Fixture       *fixture,
                                        gconstpointer  data)
{
  DeskReviewView *view;
  GtkTextBuffer *edited;
  GtkTextBuffer *original;
  GArray *gaps;

  import_seed (fixture);
  view = open_window (fixture, 1400);
  edited = edited_of (view);
  original = GTK_TEXT_BUFFER (desk_review_view_get_original_buffer (view));
  g_assert_null (desk_review_view_get_gaps (view, FALSE) != NULL && desk_review_view_get_gaps (view, FALSE)->len > 0
                 ? (gpointer) "gaps" : NULL);

  replace (edited, "Istanbul, Turkiye dalam beberapa hari mendatang,", "Istanbul, Turkiye,");
  replace (edited, "tingkat tinggi sejak", "tingkat tinggi yang penting sejak");
  replace (edited, "dipimpin oleh duta besar", "dipimpin oleh dubes");
  desk_review_view_update_diff (view);

  gaps = desk_review_view_get_gaps (view, FALSE);
  g_assert_nonnull (gaps);
  g_assert_cmpuint (gaps->len, ==, 1);
  g_assert_cmpuint (g_array_index (gaps, guint, 0), ==, offset_of (edited, "Turkiye,") + strlen ("Turkiye"));

  gaps = desk_review_view_get_gaps (view, TRUE);
  g_assert_nonnull (gaps);
  g_assert_cmpuint (gaps->len, ==, 1);
  /* Between the two words the insertion went between. */
  g_assert_cmpuint (g_array_index (gaps, guint, 0), >=, offset_of (original, "tinggi sejak") + strlen ("tinggi"));
  g_assert_cmpuint (g_array_index (gaps, guint, 0), <=, offset_of (original, "tinggi sejak") + strlen ("tinggi "));
}

/* Change N of M follows the cursor; Take Back puts the original's words
 * back and Ctrl+Z (the buffer's undo) or the toast's Undo takes the edit
 * again; Keep marks a change kept and goes on, and Undo forgets it. */
static void
test_take_back_and_keep_with_undo (Fixture       *fixture,
                                   gconstpointer  data)
{
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *undone = NULL;
  g_autofree char *original_text = NULL;
  DeskReviewView *view;
  GtkTextBuffer *edited;
  GtkEventController *keys = NULL;
  g_autoptr(GListModel) controllers = NULL;
  GtkWidget *edited_view;
  gboolean handled = FALSE;

  import_seed (fixture);
  view = open_window (fixture, 1400);
  edited = edited_of (view);
  original_text = buffer_text (GTK_TEXT_BUFFER (desk_review_view_get_original_buffer (view)));

  replace (edited, "Istanbul, Turkiye", "Ankara, Turkiye");
  replace (edited, "tingkat tinggi sejak", "tingkat tinggi yang penting sejak");
  replace (edited, "dipimpin oleh duta besar", "dipimpin oleh dubes");
  desk_review_view_update_diff (view);
  g_assert_cmpuint (desk_review_view_get_n_changes (view), ==, 3);

  place_cursor (edited, 0);
  g_assert_cmpstr (desk_review_view_get_change_text (view), ==, "3 changes");
  g_assert_true (desk_review_view_next_change (view, 1));
  g_assert_cmpuint (desk_review_view_get_current_change (view), ==, 1);
  g_assert_cmpstr (desk_review_view_get_change_text (view), ==, "Change 1 of 3");
  g_assert_cmpstr (tagged_text (edited, "current-change"), !=, "");
  g_assert_nonnull (strstr (tagged_text (edited, "current-change"), "Ankara"));
  g_assert_nonnull (strstr (tagged_text (GTK_TEXT_BUFFER (desk_review_view_get_original_buffer (view)), "current-change"),
                            "Istanbul, Turkiye"));

  /* Keep: the next change is in hand; going back shows the first kept. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "review.keep", NULL));
  g_assert_cmpstr (desk_review_view_get_change_text (view), ==, "Change 2 of 3");
  g_assert_true (desk_review_view_next_change (view, -1));
  g_assert_cmpstr (desk_review_view_get_change_text (view), ==, "Change 1 of 3, kept");
  /* The toast's Undo forgets the keep. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "review.undo-change", NULL));
  g_assert_cmpstr (desk_review_view_get_change_text (view), ==, "Change 1 of 3");

  /* Keep again, and Ctrl+Z in the edited copy forgets it too. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "review.keep", NULL));
  g_assert_true (desk_review_view_next_change (view, -1));
  g_assert_cmpstr (desk_review_view_get_change_text (view), ==, "Change 1 of 3, kept");
  {
    g_autoptr(GPtrArray) panes = g_ptr_array_new ();

    collect (GTK_WIDGET (view), DESK_TYPE_COPY_VIEW, panes);
    edited_view = panes->pdata[1];
    g_assert_true (gtk_text_view_get_buffer (GTK_TEXT_VIEW (edited_view)) == edited);
  }
  controllers = gtk_widget_observe_controllers (edited_view);
  for (guint i = 0; i < g_list_model_get_n_items (controllers) && keys == NULL; i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_EVENT_CONTROLLER_KEY (controller) &&
          gtk_event_controller_get_propagation_phase (controller) == GTK_PHASE_CAPTURE)
        keys = controller;
    }
  g_assert_nonnull (keys);
  g_signal_emit_by_name (keys, "key-pressed", GDK_KEY_z, 0, GDK_CONTROL_MASK, &handled);
  g_assert_true (handled);
  g_assert_cmpstr (desk_review_view_get_change_text (view), ==, "Change 1 of 3");

  /* Take back the second change: the original's words, as one undo step. */
  before = buffer_text (edited);
  g_assert_true (desk_review_view_next_change (view, 1));
  g_assert_cmpstr (desk_review_view_get_change_text (view), ==, "Change 2 of 3");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "review.take-back", NULL));
  after = buffer_text (edited);
  g_assert_nonnull (strstr (after, "tingkat tinggi sejak"));
  g_assert_null (strstr (after, "yang penting"));
  g_assert_cmpuint (desk_review_view_get_n_changes (view), ==, 2);

  /* Ctrl+Z is the buffer's undo: the edit is back, whole. */
  g_signal_emit_by_name (keys, "key-pressed", GDK_KEY_z, 0, GDK_CONTROL_MASK, &handled);
  g_assert_false (handled);
  g_assert_true (gtk_widget_activate_action (edited_view, "text.undo", NULL));
  undone = buffer_text (edited);
  g_assert_cmpstr (undone, ==, before);
  desk_review_view_update_diff (view);
  g_assert_cmpuint (desk_review_view_get_n_changes (view), ==, 3);

  /* Take back again, and the toast's Undo brings the edit back. */
  place_cursor (edited, offset_of (edited, "yang penting"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "review.take-back", NULL));
  g_assert_cmpuint (desk_review_view_get_n_changes (view), ==, 2);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "review.undo-change", NULL));
  g_free (undone);
  undone = buffer_text (edited);
  g_assert_cmpstr (undone, ==, before);

  /* Taking every change back gives the original, byte for byte. */
  while (desk_review_view_get_n_changes (view) > 0)
    {
      place_cursor (edited, 0);
      g_assert_true (desk_review_view_next_change (view, 1));
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "review.take-back", NULL));
    }
  g_free (after);
  after = buffer_text (edited);
  g_assert_cmpstr (after, ==, original_text);
}

/* ---- spelling ------------------------------------------------------------- */

static gboolean
have_indonesian_dictionary (void)
{
  g_autoptr(DeskSpelling) spelling = desk_spelling_new ("id", NULL);

  if (spelling == NULL)
    g_test_skip ("no Indonesian dictionary (hunspell-id) is installed");
  return spelling != NULL;
}

static gboolean
menu_offers (GMenuModel *menu,
             const char *action,
             const char *target)
{
  for (int i = 0; i < g_menu_model_get_n_items (menu); i++)
    {
      g_autoptr(GMenuModel) section = g_menu_model_get_item_link (menu, i, G_MENU_LINK_SECTION);
      g_autofree char *name = NULL;
      g_autoptr(GVariant) value = NULL;

      if (section != NULL && menu_offers (section, action, target))
        return TRUE;
      if (!g_menu_model_get_item_attribute (menu, i, G_MENU_ATTRIBUTE_ACTION, "s", &name) ||
          !g_str_equal (name, action))
        continue;
      value = g_menu_model_get_item_attribute_value (menu, i, G_MENU_ATTRIBUTE_TARGET, G_VARIANT_TYPE_STRING);
      if (target == NULL || (value != NULL && g_str_equal (g_variant_get_string (value, NULL), target)))
        return TRUE;
    }
  return FALSE;
}

/* A misspelled Indonesian word is underlined, the menu suggests the
 * right one, and choosing it corrects the copy. */
static void
test_spelling_underlines_and_suggests (Fixture       *fixture,
                                       gconstpointer  data)
{
  DeskReviewView *view;
  GtkTextBuffer *edited;
  g_autofree char *underlined = NULL;
  g_autofree char *text = NULL;

  if (!have_indonesian_dictionary ())
    return;
  import_seed (fixture);
  view = open_window (fixture, 1400);
  edited = edited_of (view);
  g_assert_true (desk_review_view_get_check_spelling (view));

  replace (edited, "misi diplomatik kedua", "misi diplomatk kedua");
  desk_review_view_update_diff (view);
  desk_review_view_check_spelling_now (view);
  underlined = tagged_text (edited, "misspelled");
  g_test_message ("underlined: %s", underlined);
  g_assert_nonnull (strstr (underlined, "diplomatk"));
  /* Names inside a sentence are not the dictionary's business. */
  g_assert_null (strstr (underlined, "Istanbul"));
  g_assert_null (strstr (underlined, "SeaPRwire"));

  /* A word spelled right has nothing to offer. */
  place_cursor (edited, offset_of (edited, "kedua negara") + 2);
  desk_review_view_prepare_spelling_menu (view);
  g_assert_cmpint (g_menu_model_get_n_items (desk_review_view_get_spelling_menu (view)), ==, 0);

  place_cursor (edited, offset_of (edited, "diplomatk") + 3);
  desk_review_view_prepare_spelling_menu (view);
  g_assert_true (menu_offers (desk_review_view_get_spelling_menu (view), "review.spelling-replace", "diplomatik"));
  g_assert_true (menu_offers (desk_review_view_get_spelling_menu (view), "review.spelling-add", NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "review.spelling-replace", "s", "diplomatik"));
  text = buffer_text (edited);
  g_assert_nonnull (strstr (text, "misi diplomatik kedua"));
  g_free (underlined);
  underlined = tagged_text (edited, "misspelled");
  g_assert_null (strstr (underlined, "diplomat"));
}

/* A word added to the desk's dictionary is not underlined again, in this
 * window or the next one, and is in the store. */
static void
test_add_to_dictionary_persists (Fixture       *fixture,
                                 gconstpointer  data)
{
  DeskReviewView *view;
  GtkTextBuffer *edited;
  g_autofree char *underlined = NULL;
  g_auto(GStrv) words = NULL;

  if (!have_indonesian_dictionary ())
    return;
  import_seed (fixture);
  view = open_window (fixture, 1400);
  edited = edited_of (view);
  replace (edited, "kedua negara akan terus berlanjut", "kedua negara akan terus berlanjut gotongroyongisasi");
  desk_review_view_update_diff (view);
  desk_review_view_check_spelling_now (view);
  underlined = tagged_text (edited, "misspelled");
  g_assert_nonnull (strstr (underlined, "gotongroyongisasi"));

  place_cursor (edited, offset_of (edited, "gotongroyongisasi") + 1);
  desk_review_view_prepare_spelling_menu (view);
  g_assert_true (menu_offers (desk_review_view_get_spelling_menu (view), "review.spelling-add", NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "review.spelling-add", NULL));
  g_free (underlined);
  underlined = tagged_text (edited, "misspelled");
  g_assert_null (strstr (underlined, "gotongroyongisasi"));

  words = desk_store_list_dictionary_words (fixture->store, "id", NULL);
  g_assert_nonnull (words);
  g_assert_true (g_strv_contains ((const char * const *) words, "gotongroyongisasi"));

  /* A new window on the same store (the copy saved first). */
  g_assert_true (desk_review_view_save (view, NULL));
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  fixture->window = NULL;
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(DeskStore) again = desk_store_open (fixture->db_path, &error);

    g_assert_no_error (error);
    g_clear_object (&fixture->store);
    fixture->store = g_steal_pointer (&again);
  }
  view = open_window (fixture, 1400);
  edited = edited_of (view);
  g_assert_nonnull (strstr (buffer_text (edited), "gotongroyongisasi"));
  desk_review_view_check_spelling_now (view);
  g_free (underlined);
  underlined = tagged_text (edited, "misspelled");
  g_assert_null (strstr (underlined, "gotongroyongisasi"));
}

/* Turning spelling off removes the underlines, and the release remembers
 * it; on again, they are back. */
static void
test_spelling_off_per_release (Fixture       *fixture,
                               gconstpointer  data)
{
  DeskReviewView *view;
  GtkTextBuffer *edited;
  g_autofree char *underlined = NULL;

  if (!have_indonesian_dictionary ())
    return;
  import_seed (fixture);
  view = open_window (fixture, 1400);
  edited = edited_of (view);
  replace (edited, "misi diplomatik kedua", "misi diplomatk kedua");
  desk_review_view_update_diff (view);
  desk_review_view_check_spelling_now (view);
  underlined = tagged_text (edited, "misspelled");
  g_assert_cmpstr (underlined, !=, "");

  /* The toggle button is bound to the action. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "review.check-spelling", NULL));
  g_assert_false (desk_review_view_get_check_spelling (view));
  g_free (underlined);
  underlined = tagged_text (edited, "misspelled");
  g_assert_cmpstr (underlined, ==, "");
  g_assert_false (desk_store_get_spelling_checked (fixture->store, 1));

  /* Loaded again, it stays off. */
  g_assert_true (desk_review_view_load (view, 1, NULL));
  g_assert_false (desk_review_view_get_check_spelling (view));
  desk_review_view_check_spelling_now (view);
  g_free (underlined);
  underlined = tagged_text (edited, "misspelled");
  g_assert_cmpstr (underlined, ==, "");

  desk_review_view_set_check_spelling (view, TRUE);
  g_assert_true (desk_store_get_spelling_checked (fixture->store, 1));
  g_free (underlined);
  underlined = tagged_text (edited, "misspelled");
  g_assert_nonnull (strstr (underlined, "diplomatk"));
}

/* A release of a megabyte: only the paragraphs in view (and a margin)
 * are checked, so the work does not grow with the release.  The times
 * are reported, not judged. */
static void
test_large_release_checks_what_is_in_view (Fixture       *fixture,
                                           gconstpointer  data)
{
  g_autofree char *seed = desk_test_load_fixture ("seaprwire-id-moskow-konfirmasi.txt");
  g_autoptr(GString) text = g_string_new ("Rilis besar untuk pemeriksaan ejaan\n");
  g_autoptr(DeskSpelling) spelling = NULL;
  g_autoptr(GArray) everywhere = NULL;
  g_autofree char *underlined = NULL;
  DeskReviewView *view;
  guint paragraphs = 0;
  guint in_view;
  gint64 t0;
  double load_ms, check_ms, whole_ms;
  gint64 id;

  if (!have_indonesian_dictionary ())
    return;
  /* The seed's body again and again, one word misspelled in each. */
  {
    g_autoptr(GString) body = g_string_new (strchr (seed, '\n') + 1);

    g_string_replace (body, "misi diplomatik", "misi diplomatk", 0);
    while (text->len < 1024 * 1024)
      {
        g_string_append (text, body->str);
        paragraphs++;
      }
  }

  {
    g_autofree char *path = g_build_filename (fixture->dir, "besar.txt", NULL);
    g_autoptr(DeskImportItem) item = NULL;

    g_assert_true (g_file_set_contents (path, text->str, (gssize) text->len, NULL));
    item = desk_import_file (fixture->store, path, "Ed");
    g_assert_cmpint (item->outcome, ==, DESK_IMPORT_IMPORTED);
    id = item->release_id;
  }

  view = open_window (fixture, 1400);
  t0 = g_get_monotonic_time ();
  g_assert_true (desk_review_view_load (view, id, NULL));
  load_ms = (g_get_monotonic_time () - t0) / 1000.0;
  g_test_message ("language: %s", desk_release_get_language (desk_review_view_get_release (view)));
  g_assert_true (desk_review_view_get_check_spelling (view));
  desk_test_ui_spin (100);

  t0 = g_get_monotonic_time ();
  in_view = desk_review_view_check_spelling_now (view);
  check_ms = (g_get_monotonic_time () - t0) / 1000.0;

  spelling = desk_spelling_new ("id", NULL);
  t0 = g_get_monotonic_time ();
  everywhere = desk_spelling_check (spelling, text->str, -1);
  whole_ms = (g_get_monotonic_time () - t0) / 1000.0;

  g_test_message ("%u bytes, %u copies of the seed: load %.1f ms; check in view %.1f ms (%u words); "
                  "the whole text would take %.1f ms (%u words)",
                  (guint) text->len, paragraphs, load_ms, check_ms, in_view, whole_ms, everywhere->len);
  underlined = tagged_text (edited_of (view), "misspelled");
  g_assert_cmpuint (in_view, >, 0);
  g_assert_nonnull (strstr (underlined, "diplomatk"));
  g_assert_cmpuint (everywhere->len, >=, paragraphs);
  g_assert_cmpuint (in_view, <, 200);

  /* Scrolled to the end, the words there are checked. */
  {
    GtkTextBuffer *edited = edited_of (view);
    GtkTextIter end;
    g_autoptr(GPtrArray) panes = g_ptr_array_new ();

    collect (GTK_WIDGET (view), DESK_TYPE_COPY_VIEW, panes);
    gtk_text_buffer_get_end_iter (edited, &end);
    gtk_text_buffer_place_cursor (edited, &end);
    gtk_text_view_scroll_to_iter (GTK_TEXT_VIEW (panes->pdata[1]), &end, 0.0, TRUE, 0.0, 1.0);
    desk_test_ui_spin (300);
    gtk_text_buffer_get_end_iter (edited, &end);
    gtk_text_iter_backward_lines (&end, 30);
    g_assert_true (gtk_text_iter_forward_to_tag_toggle (&end, gtk_text_tag_table_lookup (gtk_text_buffer_get_tag_table (edited), "misspelled")));
    g_assert_cmpint (gtk_text_iter_get_line (&end), >, gtk_text_buffer_get_line_count (edited) - 200);
  }
}

/* A release in a language without a dictionary says so, and spelling is
 * off. */
static void
test_no_dictionary_says_so (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskImportItem) item = NULL;
  g_autofree char *path = g_build_filename (fixture->dir, "kisswahili.txt", NULL);
  g_autoptr(DeskRelease) release = NULL;
  g_autofree char *key = NULL;
  g_autofree char *name = NULL;
  g_autofree char *note = NULL;
  DeskReviewView *view;

  g_assert_true (g_file_set_contents (path,
                                      "Rais azindua mradi mpya wa maji\n"
                                      "Rais amezindua mradi mpya wa maji safi katika mkoa wa Dodoma leo, "
                                      "akisema kwamba wananchi wengi watapata maji safi na salama.\n", -1, &error));
  item = desk_import_file (fixture->store, path, "Ed");
  g_assert_cmpint (item->outcome, ==, DESK_IMPORT_IMPORTED);
  release = desk_store_get_release (fixture->store, 1, NULL);
  g_test_message ("language: %s", desk_release_get_language (release));
  {
    g_autoptr(DeskSpelling) spelling = desk_spelling_new (desk_release_get_language (release), NULL);

    if (spelling != NULL)
      {
        g_test_skip ("a dictionary for this language is installed");
        return;
      }
  }
  key = desk_spelling_language_key (desk_release_get_language (release));
  /* The language by its name, as the list says it, not its code. */
  name = desk_language_get_display_name (desk_release_get_language (release));
  g_assert_cmpstr (name, !=, desk_release_get_language (release));
  note = key == NULL ? g_strdup ("Spelling is off: the release’s language is not known")
                     : g_strdup_printf ("Spelling is off: no dictionary for “%s” is installed", name);
  view = open_window (fixture, 1400);
  g_assert_false (desk_review_view_get_check_spelling (view));
  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (view), "review.check-spelling", NULL) &&
                  desk_review_view_get_check_spelling (view));
  g_assert_true (desk_test_ui_wait_until_shown (GTK_WIDGET (fixture->window), note));
}

/* ---- typing: only the edited paragraphs are compared again ---- */

/* Asserts that the spans and highlights the view holds after its
 * incremental updates are exactly those of a full diff of the copy. */
static void
assert_same_as_full_diff (DeskReviewView *view,
                          const char     *what)
{
  GtkTextBuffer *edited = edited_of (view);
  GtkTextBuffer *original = GTK_TEXT_BUFFER (desk_review_view_get_original_buffer (view));
  g_autoptr(GArray) incremental = g_array_copy (desk_review_view_get_spans (view));
  g_autofree char *added = tagged_text (edited, "added");
  g_autofree char *removed = tagged_text (original, "removed");
  g_autofree char *full_added = NULL;
  g_autofree char *full_removed = NULL;
  GArray *full;

  desk_review_view_update_diff (view);
  full = desk_review_view_get_spans (view);
  full_added = tagged_text (edited, "added");
  full_removed = tagged_text (original, "removed");

  if (incremental->len != full->len ||
      memcmp (incremental->data, full->data, full->len * sizeof (DeskDiffSpan)) != 0)
    {
      for (guint i = 0; i < MAX (incremental->len, full->len); i++)
        {
          const DeskDiffSpan *a = i < incremental->len ? &g_array_index (incremental, DeskDiffSpan, i) : NULL;
          const DeskDiffSpan *b = i < full->len ? &g_array_index (full, DeskDiffSpan, i) : NULL;

          if (a == NULL || b == NULL || memcmp (a, b, sizeof *a) != 0)
            {
              g_test_message ("%s: span %u: incremental %d %u-%u %u-%u %d, full %d %u-%u %u-%u %d", what, i,
                              a ? (int) a->op : -1, a ? a->old_start : 0, a ? a->old_end : 0,
                              a ? a->new_start : 0, a ? a->new_end : 0, a ? a->inside_paragraph : 0,
                              b ? (int) b->op : -1, b ? b->old_start : 0, b ? b->old_end : 0,
                              b ? b->new_start : 0, b ? b->new_end : 0, b ? b->inside_paragraph : 0);
              break;
            }
        }
      g_error ("%s: the spans after typing differ from a full diff's", what);
    }
  g_assert_cmpstr (added, ==, full_added);
  g_assert_cmpstr (removed, ==, full_removed);
}

/* Types @text at @offset one character at a time, as the keyboard does,
 * with the keystroke's diff after each. */
static void
type_at_checking (DeskReviewView *view,
                  guint           offset,
                  const char     *text,
                  gboolean        paragraph_only)
{
  GtkTextBuffer *edited = edited_of (view);

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      GtkTextIter at;

      gtk_text_buffer_get_iter_at_offset (edited, &at, (int) offset++);
      gtk_text_buffer_insert_interactive (edited, &at, p, (int) (g_utf8_next_char (p) - p), TRUE);
      desk_review_view_flush_diff (view);
      /* Only the paragraph was compared: the furniture waits for a pause. */
      if (paragraph_only)
        g_assert_true (desk_review_view_is_marking (view));
    }
}

static void
type_at (DeskReviewView *view,
         guint           offset,
         const char     *text)
{
  type_at_checking (view, offset, text, TRUE);
}

/* Backspace @n times before @offset. */
static void
backspace_at (DeskReviewView *view,
              guint           offset,
              guint           n)
{
  GtkTextBuffer *edited = edited_of (view);

  for (guint i = 0; i < n; i++, offset--)
    {
      GtkTextIter a, b;

      gtk_text_buffer_get_iter_at_offset (edited, &a, (int) offset - 1);
      gtk_text_buffer_get_iter_at_offset (edited, &b, (int) offset);
      gtk_text_buffer_delete_interactive (edited, &a, &b, TRUE);
      desk_review_view_flush_diff (view);
    }
}

static void
test_typing_rediffs_paragraphs_as_a_full_diff_would (Fixture       *fixture,
                                                     gconstpointer  data)
{
  DeskReviewView *view;
  GtkTextBuffer *edited;
  g_autofree char *furniture = NULL;
  g_autofree char *full_furniture = NULL;
  guint before, after;
  guint at;

  import_seed (fixture);
  view = open_window (fixture, 1400);
  edited = edited_of (view);

  /* The pause: the furniture marks and counters follow, from a thread,
   * as the full pass marks them.  Taking the sector line out unmarks it. */
  before = desk_review_view_get_n_furniture (view);
  furniture = tagged_text (edited, "furniture");
  g_assert_nonnull (strstr (furniture, "Sektor: Top Story"));
  g_clear_pointer (&furniture, g_free);
  at = offset_of (edited, "Sektor: Top Story, Daily News") + strlen ("Sektor: Top Story, Daily News");
  backspace_at (view, at, strlen ("Sektor: Top Story, Daily News"));
  g_assert_true (desk_review_view_is_marking (view));
  while (desk_review_view_is_marking (view))
    desk_test_ui_spin (20);
  after = desk_review_view_get_n_furniture (view);
  furniture = tagged_text (edited, "furniture");
  g_assert_cmpuint (after, <, before);
  g_assert_null (strstr (furniture, "Sektor: Top Story"));
  desk_review_view_update_diff (view);
  g_assert_cmpuint (desk_review_view_get_n_furniture (view), ==, after);
  full_furniture = tagged_text (edited, "furniture");
  g_assert_cmpstr (furniture, ==, full_furniture);

  /* A word typed into a paragraph, then taken out again. */
  at = offset_of (edited, "tingkat tinggi sejak") + strlen ("tingkat");
  type_at (view, at, " sangat");
  assert_same_as_full_diff (view, "a word typed");
  backspace_at (view, at + strlen (" sangat"), strlen (" sangat"));
  assert_same_as_full_diff (view, "the word taken out");

  /* Words of the original deleted, a letter at a time. */
  at = offset_of (edited, "dipimpin oleh duta besar") + strlen ("dipimpin oleh duta besar");
  backspace_at (view, at, strlen ("duta besar"));
  type_at (view, at - strlen ("duta besar"), "dubes");
  assert_same_as_full_diff (view, "a phrase replaced");

  /* A new paragraph between two, and two paragraphs joined into one. */
  at = offset_of (edited, "Pembicaraan yang akan datang");
  type_at (view, at, "Paragraf baru yang ditulis editor.\n");
  assert_same_as_full_diff (view, "a paragraph added");
  at = offset_of (edited, "Pembicaraan yang akan datang");
  backspace_at (view, at, 1);
  assert_same_as_full_diff (view, "two paragraphs joined");
  type_at (view, at - 1, "\n");
  assert_same_as_full_diff (view, "split again");

  /* Two places edited before one diff, far apart. */
  replace (edited, "Rencana untuk pertemuan baru", "Rencana pertemuan baru itu");
  replace (edited, "Bulan lalu, delegasi", "Bulan lalu, para delegasi");
  desk_review_view_flush_diff (view);
  assert_same_as_full_diff (view, "two places at once");

  /* The last paragraph, at the very end. */
  type_at (view, (guint) gtk_text_buffer_get_char_count (edited), "\nCatatan redaksi.");
  assert_same_as_full_diff (view, "typed at the end");

}

/* Random keystrokes all over a long release: after each, the spans are a
 * full diff's. */
static void
test_random_typing_matches_full_diff (Fixture       *fixture,
                                      gconstpointer  data)
{
  static const char *syllables[] = { "ba", "ka", "ma", "ri", "su", "to", "ne", "la", "pe", "di", "ra", "ngan",
                                     "ja", "wi", "kar", "ta", "mu", "se" };
  static char words[400][16];
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261207);
  g_autoptr(GString) text = g_string_new ("Rapat kota membahas anggaran baru\n\n");
  g_autoptr(DeskParsedRelease) parsed = NULL;
  g_autoptr(GError) error = NULL;
  DeskReviewView *view;
  GtkTextBuffer *edited;

  /* Copy's words: many, so that paragraphs are unique, as in real copy;
   * common ones among them. */
  for (guint w = 0; w < G_N_ELEMENTS (words); w++)
    {
      guint n = w < 20 ? 1 : (guint) g_rand_int_range (rand, 2, 4);

      words[w][0] = '\0';
      for (guint k = 0; k < n; k++)
        g_strlcat (words[w], syllables[g_rand_int_range (rand, 0, G_N_ELEMENTS (syllables))], sizeof words[w]);
    }
  for (guint p = 0; p < 120; p++)
    {
      guint n = (guint) g_rand_int_range (rand, 8, 40);

      for (guint w = 0; w < n; w++)
        g_string_append_printf (text, "%s%s", w > 0 ? " " : "", words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))]);
      g_string_append (text, p % 7 == 3 ? "\n\n" : ".\n");
    }
  parsed = desk_parse_release_text (text->str, &error);
  g_assert_no_error (error);
  desk_store_add_release (fixture->store, parsed, NULL, "Test", NULL, &error);
  g_assert_no_error (error);

  view = open_window (fixture, 1400);
  edited = edited_of (view);
  for (guint step = 0; step < 300; step++)
    {
      guint n = (guint) gtk_text_buffer_get_char_count (edited);
      guint at = (guint) g_rand_int_range (rand, 60, (gint32) n);
      g_autofree char *what = g_strdup_printf ("keystroke %u", step);

      switch (g_rand_int_range (rand, 0, 4))
        {
        case 0:
          type_at_checking (view, at, words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))], FALSE);
          break;
        case 1:
          type_at_checking (view, at, g_rand_boolean (rand) ? "\n" : " ", FALSE);
          break;
        default:
          backspace_at (view, at, (guint) g_rand_int_range (rand, 1, 12));
          break;
        }
      if (step % 10 == 9)
        assert_same_as_full_diff (view, what);
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

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, desk_test_window_fixture_set_up, func, desk_test_window_fixture_tear_down)

  ADD ("/ui/compare/panes-are-equally-wide", test_panes_are_equally_wide);
  ADD ("/ui/compare/narrow-pane-drops-both-overviews", test_narrow_pane_drops_both_overviews);
  ADD ("/ui/compare/headline-is-a-field-in-both-panes", test_headline_is_a_field_in_both_panes);
  ADD ("/ui/compare/headline-under-furniture-shows-once", test_headline_under_furniture_shows_once);
  ADD ("/ui/compare/long-headline-wraps-in-both-panes", test_long_headline_wraps_in_both_panes);
  ADD ("/ui/compare/headlines-stand-level-in-both-panes", test_headlines_stand_level_in_both_panes);
  ADD ("/ui/compare/headline-typed-is-saved-and-enter-goes-to-body", test_headline_typed_is_saved_and_enter_goes_to_body);
  ADD ("/ui/compare/headline-paste-makes-line-breaks-spaces", test_headline_paste_makes_line_breaks_spaces);
  ADD ("/ui/compare/gap-markers-stand-where-text-went", test_gap_markers_stand_where_text_went);
  ADD ("/ui/compare/take-back-and-keep-with-undo", test_take_back_and_keep_with_undo);
  ADD ("/ui/compare/typing-rediffs-paragraphs-as-a-full-diff-would", test_typing_rediffs_paragraphs_as_a_full_diff_would);
  ADD ("/ui/compare/random-typing-matches-full-diff", test_random_typing_matches_full_diff);
  ADD ("/ui/spelling/underlines-and-suggests", test_spelling_underlines_and_suggests);
  ADD ("/ui/spelling/add-to-dictionary-persists", test_add_to_dictionary_persists);
  ADD ("/ui/spelling/off-per-release", test_spelling_off_per_release);
  ADD ("/ui/spelling/no-dictionary-says-so", test_no_dictionary_says_so);
  ADD ("/ui/spelling/large-release-checks-what-is-in-view", test_large_release_checks_what_is_in_view);

  return g_test_run ();
}
