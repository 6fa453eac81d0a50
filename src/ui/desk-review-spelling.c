/* desk-review-spelling.c — the edited copy's spelling, underlined
 *
 * The edited copy is checked in the release's language with enchant
 * (desk-spelling.c): misspelled words are underlined, and the context
 * menu offers the dictionary's suggestions and "Add to the Desk's
 * Dictionary" (kept in the store, for every editor of the desk).  Only
 * the paragraphs in view are checked, again after each pause in typing
 * and each scroll, so a release of a megabyte costs what a screenful
 * costs.  Whether a release is checked is stored with it.
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "desk-language.h"
#include "desk-review-view-private.h"

/* Lines checked above and below the ones in view, so a short scroll
 * shows words already checked. */
#define SPELLING_MARGIN_LINES 20
#define SPELLING_MAX_SUGGESTIONS 6

static void
clear_underlines (DeskReviewView *self)
{
  GtkTextBuffer *edited = GTK_TEXT_BUFFER (_desk_review_view_edited_buffer (self));
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (edited, &start, &end);
  gtk_text_buffer_remove_tag (edited, self->misspelled_tag, &start, &end);
}

/* The lines of the edited copy in view, and a margin around them. */
static void
range_in_view (DeskReviewView *self,
               GtkTextIter    *start,
               GtkTextIter    *end)
{
  GtkTextView *view = GTK_TEXT_VIEW (self->edited_view);
  GdkRectangle visible;

  gtk_text_view_get_visible_rect (view, &visible);
  gtk_text_view_get_line_at_y (view, start, visible.y, NULL);
  gtk_text_view_get_line_at_y (view, end, visible.y + MAX (visible.height, 1), NULL);
  if (visible.height <= 1)
    gtk_text_iter_forward_lines (end, SPELLING_MARGIN_LINES * 3);
  gtk_text_iter_backward_lines (start, SPELLING_MARGIN_LINES);
  gtk_text_iter_forward_lines (end, SPELLING_MARGIN_LINES);
  gtk_text_iter_set_line_offset (start, 0);
  if (!gtk_text_iter_ends_line (end))
    gtk_text_iter_forward_to_line_end (end);
}

/* Checks the paragraphs in view; returns how many words are underlined. */
static guint
check_in_view (DeskReviewView *self)
{
  GtkTextBuffer *edited = GTK_TEXT_BUFFER (_desk_review_view_edited_buffer (self));
  g_autoptr(GArray) misspelled = NULL;
  g_autofree char *text = NULL;
  GtkTextIter start, end;
  guint base;

  clear_underlines (self);
  if (!self->check_spelling || self->spelling == NULL || self->release == NULL)
    return 0;

  range_in_view (self, &start, &end);
  if (gtk_text_iter_get_offset (&start) < (int) self->new_base)
    gtk_text_buffer_get_iter_at_offset (edited, &start, (int) self->new_base);
  if (gtk_text_iter_compare (&start, &end) >= 0)
    return 0;
  base = (guint) gtk_text_iter_get_offset (&start);
  text = gtk_text_buffer_get_text (edited, &start, &end, TRUE);
  misspelled = desk_spelling_check (self->spelling, text, -1);
  for (guint i = 0; i < misspelled->len; i++)
    {
      const DeskSpellingRange *range = &g_array_index (misspelled, DeskSpellingRange, i);

      _desk_review_view_tag_range (edited, self->misspelled_tag, base + range->start, base + range->end);
    }
  return misspelled->len;
}

static gboolean
spelling_idle (gpointer user_data)
{
  DeskReviewView *self = user_data;

  self->spelling_source = 0;
  check_in_view (self);
  return G_SOURCE_REMOVE;
}

void
_desk_review_spelling_queue (DeskReviewView *self)
{
  if (self->spelling_source == 0 && self->spelling_menu != NULL)
    self->spelling_source = g_idle_add_full (GDK_PRIORITY_REDRAW + 20, spelling_idle, self, NULL);
}

/* Checks the paragraphs in view now (tests and benchmarks). */
guint
desk_review_view_check_spelling_now (DeskReviewView *self)
{
  g_return_val_if_fail (DESK_IS_REVIEW_VIEW (self), 0);

  g_clear_handle_id (&self->spelling_source, g_source_remove);
  return check_in_view (self);
}

/* ---- the context menu ----------------------------------------------------- */

static char *
menu_word (DeskReviewView *self)
{
  GtkTextBuffer *edited = GTK_TEXT_BUFFER (_desk_review_view_edited_buffer (self));
  GtkTextIter a, b;

  gtk_text_buffer_get_iter_at_mark (edited, &a, self->menu_word_start);
  gtk_text_buffer_get_iter_at_mark (edited, &b, self->menu_word_end);
  return gtk_text_iter_equal (&a, &b) ? NULL : gtk_text_buffer_get_text (edited, &a, &b, TRUE);
}

/* Fills the context menu for the word at @iter: the dictionary's
 * suggestions and "Add to the Desk's Dictionary" when it is underlined,
 * nothing otherwise. */
static void
prepare_menu (DeskReviewView    *self,
              const GtkTextIter *iter)
{
  GtkTextBuffer *edited = GTK_TEXT_BUFFER (_desk_review_view_edited_buffer (self));
  g_autoptr(GMenu) suggestions = NULL;
  g_autoptr(GMenu) add = NULL;
  g_autofree char *word = NULL;
  g_autofree char *add_label = NULL;
  g_auto(GStrv) suggested = NULL;
  GtkTextIter start = *iter, end = *iter;

  g_menu_remove_all (self->spelling_menu);
  if (self->spelling == NULL || !self->check_spelling)
    return;
  if (!gtk_text_iter_has_tag (&start, self->misspelled_tag))
    {
      /* The cursor may stand just after the word. */
      if (!gtk_text_iter_backward_char (&start) || !gtk_text_iter_has_tag (&start, self->misspelled_tag))
        return;
      end = start;
    }
  if (!gtk_text_iter_starts_tag (&start, self->misspelled_tag))
    gtk_text_iter_backward_to_tag_toggle (&start, self->misspelled_tag);
  gtk_text_iter_forward_to_tag_toggle (&end, self->misspelled_tag);
  gtk_text_buffer_move_mark (edited, self->menu_word_start, &start);
  gtk_text_buffer_move_mark (edited, self->menu_word_end, &end);
  word = gtk_text_buffer_get_text (edited, &start, &end, TRUE);

  suggestions = g_menu_new ();
  suggested = desk_spelling_suggest (self->spelling, word);
  for (guint i = 0; suggested[i] != NULL && i < SPELLING_MAX_SUGGESTIONS; i++)
    {
      g_autoptr(GMenuItem) item = g_menu_item_new (suggested[i], NULL);

      g_menu_item_set_action_and_target_value (item, "review.spelling-replace", g_variant_new_string (suggested[i]));
      g_menu_append_item (suggestions, item);
    }
  if (suggested[0] == NULL)
    {
      g_autoptr(GMenuItem) item = g_menu_item_new (_("No Suggestions"), "review.spelling-none");

      g_menu_append_item (suggestions, item);
    }
  g_menu_append_section (self->spelling_menu, NULL, G_MENU_MODEL (suggestions));

  add = g_menu_new ();
  /* TRANSLATORS: %s is the word, as the editor wrote it */
  add_label = g_strdup_printf (_("_Add “%s” to the Desk’s Dictionary"), word);
  g_menu_append (add, add_label, "review.spelling-add");
  g_menu_append_section (self->spelling_menu, NULL, G_MENU_MODEL (add));
}

/* Fills the context menu for the word at the cursor: what Shift+F10 and
 * the Menu key show.  (Suggestions are asked for only when a menu is
 * about to open: enchant takes a while over them.) */
void
desk_review_view_prepare_spelling_menu (DeskReviewView *self)
{
  GtkTextBuffer *edited;
  GtkTextIter cursor;

  g_return_if_fail (DESK_IS_REVIEW_VIEW (self));

  edited = GTK_TEXT_BUFFER (_desk_review_view_edited_buffer (self));
  gtk_text_buffer_get_iter_at_mark (edited, &cursor, gtk_text_buffer_get_insert (edited));
  prepare_menu (self, &cursor);
}

static gboolean
menu_key_pressed (GtkWidget *widget,
                  GVariant  *args,
                  gpointer   user_data)
{
  desk_review_view_prepare_spelling_menu (user_data);
  /* Not handled: the text view opens its menu, with ours in it. */
  return FALSE;
}

/* A right click prepares the menu for the word clicked, wherever the
 * cursor is. */
static void
secondary_pressed (GtkGestureClick *gesture,
                   int              n_press,
                   double           x,
                   double           y,
                   DeskReviewView  *self)
{
  GtkTextView *view = GTK_TEXT_VIEW (self->edited_view);
  GtkTextIter iter;
  int bx, by;

  gtk_text_view_window_to_buffer_coords (view, GTK_TEXT_WINDOW_WIDGET, (int) x, (int) y, &bx, &by);
  if (gtk_text_view_get_iter_at_location (view, &iter, bx, by))
    prepare_menu (self, &iter);
}

static void
replace_activated (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  DeskReviewView *self = DESK_REVIEW_VIEW (widget);
  GtkTextBuffer *edited = GTK_TEXT_BUFFER (_desk_review_view_edited_buffer (self));
  GtkTextIter a, b;

  gtk_text_buffer_get_iter_at_mark (edited, &a, self->menu_word_start);
  gtk_text_buffer_get_iter_at_mark (edited, &b, self->menu_word_end);
  if (gtk_text_iter_equal (&a, &b))
    return;
  gtk_text_buffer_begin_user_action (edited);
  gtk_text_buffer_delete (edited, &a, &b);
  gtk_text_buffer_insert (edited, &a, g_variant_get_string (parameter, NULL), -1);
  gtk_text_buffer_end_user_action (edited);
  gtk_text_buffer_place_cursor (edited, &a);
  check_in_view (self);
}

static void
add_activated (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  DeskReviewView *self = DESK_REVIEW_VIEW (widget);
  g_autofree char *word = menu_word (self);
  g_autoptr(GError) error = NULL;

  if (word == NULL || self->spelling == NULL || self->store == NULL)
    return;
  if (!desk_store_add_dictionary_word (self->store, desk_spelling_get_language (self->spelling),
                                       word, NULL, &error))
    {
      adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (error->message));
      return;
    }
  desk_spelling_accept (self->spelling, word);
  check_in_view (self);
  g_menu_remove_all (self->spelling_menu);
}

/* ---- on and off ----------------------------------------------------------- */

gboolean
desk_review_view_get_check_spelling (DeskReviewView *self)
{
  g_return_val_if_fail (DESK_IS_REVIEW_VIEW (self), FALSE);

  return self->check_spelling;
}

/* Turns spelling on or off in the release on screen, and remembers it
 * with the release. */
void
desk_review_view_set_check_spelling (DeskReviewView *self,
                                     gboolean        check)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (DESK_IS_REVIEW_VIEW (self));

  check = check != FALSE;
  if (self->check_spelling == check)
    return;
  self->check_spelling = check;
  /* A team desk does not keep it yet: the check holds for this window. */
  if (self->release != NULL && self->store != NULL && !desk_store_is_team_desk (self->store) &&
      !desk_store_set_spelling_checked (self->store, desk_release_get_id (self->release), check, &error))
    adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (error->message));
  check_in_view (self);
  g_menu_remove_all (self->spelling_menu);
  g_object_notify (G_OBJECT (self), "check-spelling");
}

/* The checker for the release's language, made once per language, with
 * the desk's words; NULL, and the note says why, when there is no
 * dictionary. */
void
_desk_review_spelling_load (DeskReviewView *self)
{
  g_autofree char *key = desk_spelling_language_key (desk_release_get_language (self->release));
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) words = NULL;
  DeskSpelling *spelling = NULL;
  gboolean known;

  known = g_hash_table_lookup_extended (self->spellers, key != NULL ? key : "", NULL, (gpointer *) &spelling);
  if (!known)
    {
      spelling = desk_spelling_new (desk_release_get_language (self->release), &error);
      g_hash_table_insert (self->spellers, g_strdup (key != NULL ? key : ""), spelling);
    }
  g_set_object (&self->spelling, spelling);

  if (spelling != NULL)
    {
      words = desk_store_list_dictionary_words (self->store, desk_spelling_get_language (spelling), NULL);
      for (guint i = 0; words != NULL && words[i] != NULL; i++)
        desk_spelling_accept (spelling, words[i]);
      gtk_widget_set_visible (GTK_WIDGET (self->spelling_note), FALSE);
    }
  else
    {
      const char *language = desk_release_get_language (self->release);
      g_autofree char *note = NULL;

      if (key == NULL)
        note = g_strdup (_("Spelling is off: the release’s language is not known"));
      else
        {
          /* The language's name in the UI's language, as the list says it. */
          g_autofree char *name = desk_language_get_display_name (language);

          /* TRANSLATORS: %s is a language's name, such as "German" */
          note = g_strdup_printf (_("Spelling is off: no dictionary for “%s” is installed"), name);
        }
      gtk_label_set_text (self->spelling_note, note);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->spelling_note), note);
      gtk_widget_set_visible (GTK_WIDGET (self->spelling_note), TRUE);
    }
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "review.check-spelling", spelling != NULL);

  self->check_spelling = spelling != NULL && !desk_store_is_team_desk (self->store) &&
                         desk_store_get_spelling_checked (self->store, desk_release_get_id (self->release));
  g_object_notify (G_OBJECT (self), "check-spelling");
  g_menu_remove_all (self->spelling_menu);
  clear_underlines (self);
  _desk_review_spelling_queue (self);
}

/* The menu the edited pane adds to its context menu. */
GMenuModel *
desk_review_view_get_spelling_menu (DeskReviewView *self)
{
  g_return_val_if_fail (DESK_IS_REVIEW_VIEW (self), NULL);

  return G_MENU_MODEL (self->spelling_menu);
}

static void
edited_scrolled (DeskReviewView *self)
{
  _desk_review_spelling_queue (self);
}

void
_desk_review_spelling_dispose (DeskReviewView *self)
{
  g_clear_handle_id (&self->spelling_source, g_source_remove);
  g_clear_object (&self->spelling);
  g_clear_pointer (&self->spellers, g_hash_table_unref);
  g_clear_object (&self->spelling_menu);
}

static void
unref_speller (gpointer speller)
{
  if (speller != NULL)
    g_object_unref (speller);
}

static void
nothing_activated (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
}

void
_desk_review_spelling_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "review.spelling-replace", "s", replace_activated);
  gtk_widget_class_install_action (widget_class, "review.spelling-add", NULL, add_activated);
  gtk_widget_class_install_action (widget_class, "review.spelling-none", NULL, nothing_activated);
  gtk_widget_class_install_property_action (widget_class, "review.check-spelling", "check-spelling");
}

void
_desk_review_spelling_init (DeskReviewView *self)
{
  GtkTextBuffer *edited = GTK_TEXT_BUFFER (_desk_review_view_edited_buffer (self));
  GtkGesture *click = gtk_gesture_click_new ();
  GtkTextIter start;

  self->misspelled_tag = gtk_text_buffer_create_tag (edited, "misspelled",
                                                     "underline", PANGO_UNDERLINE_ERROR,
                                                     NULL);
  self->spellers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, unref_speller);
  self->spelling_menu = g_menu_new ();
  gtk_text_buffer_get_start_iter (edited, &start);
  self->menu_word_start = gtk_text_buffer_create_mark (edited, NULL, &start, TRUE);
  self->menu_word_end = gtk_text_buffer_create_mark (edited, NULL, &start, FALSE);
  gtk_text_view_set_extra_menu (GTK_TEXT_VIEW (self->edited_view), G_MENU_MODEL (self->spelling_menu));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "review.spelling-none", FALSE);

  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_SECONDARY);
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (click), GTK_PHASE_CAPTURE);
  g_signal_connect_object (click, "pressed", G_CALLBACK (secondary_pressed), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (self->edited_view), GTK_EVENT_CONTROLLER (click));
  {
    GtkEventController *keys = gtk_shortcut_controller_new ();

    gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
    gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (keys),
                                          gtk_shortcut_new (gtk_alternative_trigger_new (gtk_keyval_trigger_new (GDK_KEY_F10, GDK_SHIFT_MASK),
                                                                                         gtk_keyval_trigger_new (GDK_KEY_Menu, 0)),
                                                            gtk_callback_action_new (menu_key_pressed, self, NULL)));
    gtk_widget_add_controller (GTK_WIDGET (self->edited_view), keys);
  }
  g_signal_connect_object (gtk_scrolled_window_get_vadjustment (self->edited_scroller), "value-changed",
                           G_CALLBACK (edited_scrolled), self, G_CONNECT_SWAPPED);
}
