/* desk-review-view.c — the original beside the edited copy
 *
 * The original is read-only; the edited copy is the editor's.  Every word
 * that differs is highlighted in both panes, recomputed shortly after each
 * keystroke for the paragraphs typed in only (desk-review-diff.c: on a 1 MB
 * release that is under a millisecond, so it runs on the main thread
 * without stalling typing).  The panes scroll in
 * step, anchored on the text they share, and the copy is saved as a
 * revision whenever the editor pauses, switches release or quits.
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>
#include <adwaita.h>

#include "desk-check.h"
#include "desk-diff.h"
#include "desk-parser.h"
#include "desk-review-view-private.h"

#define DIFF_DELAY_MS 60

G_DEFINE_FINAL_TYPE (DeskReviewView, desk_review_view, GTK_TYPE_WIDGET)

enum {
  SAVED,
  N_SIGNALS
};

enum {
  PROP_0,
  PROP_CHECK_SPELLING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static guint signals[N_SIGNALS];

GtkSourceBuffer *
_desk_review_view_original_buffer (DeskReviewView *self)
{
  return GTK_SOURCE_BUFFER (gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->original_view)));
}

GtkSourceBuffer *
_desk_review_view_edited_buffer (DeskReviewView *self)
{
  return GTK_SOURCE_BUFFER (gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->edited_view)));
}

GtkTextBuffer *
_desk_review_view_headline_buffer (DeskReviewView *self)
{
  return gtk_text_view_get_buffer (self->headline);
}

#define original_buffer _desk_review_view_original_buffer
#define edited_buffer _desk_review_view_edited_buffer

static char *
buffer_text (GtkSourceBuffer *buffer)
{
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (GTK_TEXT_BUFFER (buffer), &start, &end);
  return gtk_text_buffer_get_text (GTK_TEXT_BUFFER (buffer), &start, &end, TRUE);
}

/* ---- colours ------------------------------------------------------------- */

static void
apply_style (GtkSourceStyleScheme *scheme,
             const char           *style_id,
             GtkTextTag           *tag)
{
  GtkSourceStyle *style = tag != NULL ? gtk_source_style_scheme_get_style (scheme, style_id) : NULL;

  if (style != NULL)
    gtk_source_style_apply (style, tag);
}

/* Gives @buffer Copydesk's scheme for the style in use (light or dark),
 * and the tags for removed words, added words and end matter (any may be
 * NULL) their colours from it.  Call it again on AdwStyleManager's
 * notify::dark. */
void
desk_copy_scheme_apply (GtkSourceBuffer *buffer,
                        GtkTextTag      *removed,
                        GtkTextTag      *added,
                        GtkTextTag      *end_matter)
{
  AdwStyleManager *manager = adw_style_manager_get_default ();
  GtkSourceStyleSchemeManager *schemes = gtk_source_style_scheme_manager_get_default ();
  GtkSourceStyleScheme *scheme =
    gtk_source_style_scheme_manager_get_scheme (schemes, adw_style_manager_get_dark (manager)
                                                         ? "copydesk-dark" : "copydesk-light");

  if (scheme == NULL)
    return;

  gtk_source_buffer_set_style_scheme (buffer, scheme);
  apply_style (scheme, "copydesk:removed-word", removed);
  apply_style (scheme, "copydesk:added-word", added);
  apply_style (scheme, "copydesk:end-matter", end_matter);
}

static void
update_scheme (DeskReviewView *self)
{
  desk_copy_scheme_apply (original_buffer (self), self->removed_tag, NULL, self->end_matter_tag);
  desk_copy_scheme_apply (edited_buffer (self), NULL, self->added_tag, self->furniture_tag);
  _desk_review_compare_scheme (self, gtk_source_buffer_get_style_scheme (edited_buffer (self)));
}

/* ---- the diff ------------------------------------------------------------ */

void
_desk_review_view_tag_range (GtkTextBuffer *buffer,
                             GtkTextTag    *tag,
                             guint          start,
                             guint          end)
{
  GtkTextIter a, b;

  if (start >= end)
    return;
  gtk_text_buffer_get_iter_at_offset (buffer, &a, (int) start);
  gtk_text_buffer_get_iter_at_offset (buffer, &b, (int) end);
  gtk_text_buffer_apply_tag (buffer, tag, &a, &b);
}

void
_desk_review_view_show_counts (GtkLabel *label,
                               guint     words,
                               guint     chars)
{
  g_autofree char *words_text = NULL;
  g_autofree char *chars_text = NULL;
  g_autofree char *markup = NULL;

  words_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u word", "%u words", words), words);
  chars_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u character", "%u characters", chars), chars);
  markup = g_strdup_printf ("%s · %s", words_text, chars_text);
  gtk_label_set_text (label, markup);
}

static void
update_counts (GtkLabel   *label,
               const char *text)
{
  guint words = 0;
  guint chars = 0;

  desk_text_count (text, &words, &chars);
  _desk_review_view_show_counts (label, words, chars);
}

/* The wire furniture the pre-publish check finds in the edited copy,
 * marked as in the original: what would ship is in view. */
static void
mark_furniture (DeskReviewView *self,
                const char     *text)
{
  GtkTextBuffer *edited = GTK_TEXT_BUFFER (edited_buffer (self));
  g_autoptr(DeskCheck) check = NULL;
  g_autofree char *headline = NULL;
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (edited, &start, &end);
  gtk_text_buffer_remove_tag (edited, self->furniture_tag, &start, &end);
  self->n_furniture = 0;
  if (self->release == NULL || self->store == NULL)
    return;

  headline = desk_review_view_dup_headline (self);
  check = desk_check_copy (desk_store_get_detector (self->store), headline,
                           text, desk_release_get_language (self->release));
  for (guint i = 0; i < check->problems->len; i++)
    {
      const DeskCheckProblem *problem = g_ptr_array_index (check->problems, i);

      if (problem->kind != DESK_CHECK_FURNITURE)
        continue;
      _desk_review_view_tag_range (edited, self->furniture_tag, problem->start, problem->end);
      self->n_furniture++;
    }
}

/* How many pieces of wire furniture are marked in the edited copy. */
guint
desk_review_view_get_n_furniture (DeskReviewView *self)
{
  g_return_val_if_fail (DESK_IS_REVIEW_VIEW (self), 0);

  return self->n_furniture;
}

/* Where the headline's own line lies in @text, in characters with the
 * line breaks after it (desk_find_headline_line(), which export and
 * publishing ask too). */
static gboolean
headline_line (const char *text,
               const char *headline,
               const char *original_headline,
               guint      *out_start,
               guint      *out_end)
{
  gsize start = 0;
  gsize end = 0;

  if (!desk_find_headline_line (text, headline, original_headline, &start, &end))
    return FALSE;
  *out_start = (guint) g_utf8_strlen (text, (gssize) start);
  *out_end = (guint) g_utf8_strlen (text, (gssize) end);
  return TRUE;
}

/* Hides the headline's line in @buffer (the field above the pane shows
 * the headline) and returns where the body starts: after the headline
 * when it is the first line, else at the top, with the furniture above
 * the headline left in view. */
static guint
hide_headline_line (GtkTextBuffer *buffer,
                    GtkTextTag    *hidden,
                    const char    *text,
                    const char    *headline,
                    const char    *original_headline)
{
  guint start = 0;
  guint end = 0;
  GtkTextIter first, last;

  gtk_text_buffer_get_bounds (buffer, &first, &last);
  gtk_text_buffer_remove_tag (buffer, hidden, &first, &last);
  if (!headline_line (text, headline, original_headline, &start, &end))
    return 0;
  _desk_review_view_tag_range (buffer, hidden, start, end);
  return start == 0 ? end : 0;
}

/* Shifts spans of the bodies to offsets in the buffers. */
static void
shift_spans (GArray *spans,
             guint   old_base,
             guint   new_base)
{
  for (guint i = 0; i < spans->len; i++)
    {
      DeskDiffSpan *span = &g_array_index (spans, DeskDiffSpan, i);

      span->old_start += old_base;
      span->old_end += old_base;
      span->new_start += new_base;
      span->new_end += new_base;
    }
}

void
desk_review_view_update_diff (DeskReviewView *self)
{
  GtkTextBuffer *original = GTK_TEXT_BUFFER (original_buffer (self));
  GtkTextBuffer *edited = GTK_TEXT_BUFFER (edited_buffer (self));
  g_autofree char *new_text = buffer_text (edited_buffer (self));
  const char *old_text;
  GtkTextIter start, end;

  g_return_if_fail (DESK_IS_REVIEW_VIEW (self));

  /* The original is read-only: the release's own text, as loaded. */
  old_text = self->release != NULL ? desk_release_get_original (self->release) : "";
  if (old_text == NULL)
    old_text = "";

  g_clear_handle_id (&self->diff_source, g_source_remove);

  /* Bodies are compared: a headline changed in its field is not read as
   * a change of the body's first paragraph. */
  if (self->release != NULL)
    {
      const char *original_headline = desk_release_get_original_headline (self->release);
      g_autofree char *headline = desk_review_view_dup_headline (self);

      self->old_base = hide_headline_line (original, self->original_hidden_tag, old_text,
                                           original_headline, NULL);
      self->new_base = hide_headline_line (edited, self->edited_hidden_tag, new_text,
                                           headline, original_headline);
    }
  else
    self->old_base = self->new_base = 0;

  g_clear_pointer (&self->spans, g_array_unref);
  g_clear_pointer (&self->chunks, g_array_unref);
  self->spans = desk_diff_words (g_utf8_offset_to_pointer (old_text, self->old_base),
                                 g_utf8_offset_to_pointer (new_text, self->new_base));
  shift_spans (self->spans, self->old_base, self->new_base);
  self->chunks = desk_diff_chunks (self->spans);

  gtk_text_buffer_get_bounds (original, &start, &end);
  gtk_text_buffer_remove_tag (original, self->removed_tag, &start, &end);
  gtk_text_buffer_get_bounds (edited, &start, &end);
  gtk_text_buffer_remove_tag (edited, self->added_tag, &start, &end);

  for (guint i = 0; i < self->spans->len; i++)
    {
      const DeskDiffSpan *span = &g_array_index (self->spans, DeskDiffSpan, i);

      if (span->op == DESK_DIFF_DELETE)
        _desk_review_view_tag_range (original, self->removed_tag, span->old_start, span->old_end);
      else if (span->op == DESK_DIFF_INSERT)
        _desk_review_view_tag_range (edited, self->added_tag, span->new_start, span->new_end);
    }

  mark_furniture (self, new_text);
  update_counts (self->edited_counts, new_text);
  _desk_review_diff_reset (self);
  _desk_review_compare_update (self);
  _desk_review_spelling_queue (self);
}

/* What a keystroke's timer does, at once: the paragraphs typed in since
 * the last diff are compared again (desk-review-diff.c), or everything
 * when that cannot be done; the furniture marks and counters follow when
 * the editor pauses. */
void
desk_review_view_flush_diff (DeskReviewView *self)
{
  g_return_if_fail (DESK_IS_REVIEW_VIEW (self));

  g_clear_handle_id (&self->diff_source, g_source_remove);
  if (!_desk_review_diff_update (self))
    {
      desk_review_view_update_diff (self);
      return;
    }
  _desk_review_compare_update (self);
  _desk_review_spelling_queue (self);
  _desk_review_diff_queue_marks (self);
}

static gboolean
diff_timeout (gpointer user_data)
{
  DeskReviewView *self = user_data;

  self->diff_source = 0;
  desk_review_view_flush_diff (self);
  return G_SOURCE_REMOVE;
}

/* The differences on screen (DeskDiffSpan in buffer offsets), for tests. */
GArray *
desk_review_view_get_spans (DeskReviewView *self)
{
  g_return_val_if_fail (DESK_IS_REVIEW_VIEW (self), NULL);

  return self->spans;
}

guint
desk_review_view_get_n_changes (DeskReviewView *self)
{
  g_return_val_if_fail (DESK_IS_REVIEW_VIEW (self), 0);

  return self->chunks != NULL ? self->chunks->len : 0;
}

/* ---- saving -------------------------------------------------------------- */

static void
set_save_state (DeskReviewView *self,
                const char     *text)
{
  gtk_label_set_text (self->save_state, text != NULL ? text : "");
}

gboolean
desk_review_view_has_unsaved_changes (DeskReviewView *self)
{
  g_return_val_if_fail (DESK_IS_REVIEW_VIEW (self), FALSE);

  return self->dirty;
}

/* Another editor holds the release (a team desk's soft lock): the copy
 * stays on screen, selectable to copy, and is neither edited nor saved,
 * so that the editor's unsaved text is not lost when the release was
 * taken over, nor saved over the holder's. */
void
desk_review_view_set_read_only (DeskReviewView *self,
                                gboolean        read_only)
{
  g_return_if_fail (DESK_IS_REVIEW_VIEW (self));

  self->read_only = read_only;
  gtk_text_view_set_editable (GTK_TEXT_VIEW (self->edited_view), !read_only);
  gtk_text_view_set_editable (self->headline, !read_only);
  _desk_review_compare_update (self);
  if (read_only)
    {
      g_clear_handle_id (&self->autosave_source, g_source_remove);
      set_save_state (self, self->dirty ? _("Not saved") : NULL);
    }
  /* Editable again, unsaved text is saved at the editor's next change,
   * not at once over what the other editor saved meanwhile. */
}

gboolean
desk_review_view_get_read_only (DeskReviewView *self)
{
  g_return_val_if_fail (DESK_IS_REVIEW_VIEW (self), FALSE);

  return self->read_only;
}

/* Saves the copy as a revision if it changed since it was loaded or last
 * saved.  Emits ::saved when a revision was written. */
gboolean
desk_review_view_save (DeskReviewView  *self,
                       GError         **error)
{
  g_autofree char *text = NULL;
  g_autofree char *headline = NULL;
  g_autoptr(DeskRelease) reloaded = NULL;
  gint64 revision_id = 0;
  gboolean listing_changed;
  gint64 id;

  g_return_val_if_fail (DESK_IS_REVIEW_VIEW (self), FALSE);

  g_clear_handle_id (&self->autosave_source, g_source_remove);
  if (!self->dirty || self->release == NULL || self->store == NULL || self->read_only)
    return TRUE;

  id = desk_release_get_id (self->release);
  text = buffer_text (edited_buffer (self));
  headline = desk_review_view_dup_headline (self);
  if (!desk_store_save_revision (self->store, id, headline, text, NULL, &revision_id, error))
    {
      set_save_state (self, _("Not saved"));
      return FALSE;
    }

  self->dirty = FALSE;
  set_save_state (self, _("Saved"));
  if (revision_id == 0)
    return TRUE;

  /* Saving may have moved the release (approved copy goes back to review)
   * or renamed it: then the queue shows it differently. */
  reloaded = desk_store_get_release (self->store, id, NULL);
  if (reloaded == NULL)
    return TRUE;
  listing_changed = desk_release_get_status (reloaded) != desk_release_get_status (self->release) ||
                    g_strcmp0 (desk_release_get_headline (reloaded), desk_release_get_headline (self->release)) != 0;
  g_set_object (&self->release, reloaded);

  g_signal_emit (self, signals[SAVED], 0, revision_id, listing_changed);
  return TRUE;
}

static gboolean
autosave_timeout (gpointer user_data)
{
  DeskReviewView *self = user_data;
  g_autoptr(GError) error = NULL;

  self->autosave_source = 0;
  if (!desk_review_view_save (self, &error))
    g_warning ("Could not save the edited copy: %s", error->message);
  return G_SOURCE_REMOVE;
}

static void
copy_changed (DeskReviewView *self)
{
  if (self->loading || self->release == NULL)
    return;

  self->dirty = TRUE;
  set_save_state (self, _("Editing…"));
  _desk_review_compare_copy_changed (self);

  g_clear_handle_id (&self->autosave_source, g_source_remove);
  self->autosave_source = g_timeout_add (DESK_AUTOSAVE_DELAY_MS, autosave_timeout, self);

  if (self->diff_source == 0)
    self->diff_source = g_timeout_add (DIFF_DELAY_MS, diff_timeout, self);
}

/* ---- loading ------------------------------------------------------------- */

static void
set_buffer_text (GtkTextBuffer *buffer,
                 const char    *text)
{
  gtk_text_buffer_begin_irreversible_action (buffer);
  gtk_text_buffer_set_text (buffer, text != NULL ? text : "", -1);
  gtk_text_buffer_end_irreversible_action (buffer);
}

/* The wire furniture the parser found, and every finding of the
 * sponsored-content detector, marked in the original. */
static void
mark_end_matter (DeskReviewView *self)
{
  GtkTextBuffer *original = GTK_TEXT_BUFFER (original_buffer (self));
  GArray *parts = desk_release_get_parts (self->release);
  GPtrArray *findings = self->detection != NULL ? self->detection->findings : NULL;

  for (guint i = 0; parts != NULL && i < parts->len; i++)
    {
      const DeskPart *part = &g_array_index (parts, DeskPart, i);

      if (desk_part_kind_is_end_matter (part->kind) || part->kind == DESK_PART_CREDIT)
        _desk_review_view_tag_range (original, self->end_matter_tag, part->start, part->end);
    }
  for (guint i = 0; findings != NULL && i < findings->len; i++)
    {
      const DeskFinding *finding = g_ptr_array_index (findings, i);

      _desk_review_view_tag_range (original, self->end_matter_tag, finding->start, finding->end);
    }
}


/* Shows release @release_id, saving the copy on screen first. */
gboolean
desk_review_view_load (DeskReviewView  *self,
                       gint64           release_id,
                       GError         **error)
{
  g_autoptr(DeskRelease) release = NULL;
  GtkTextIter start;

  g_return_val_if_fail (DESK_IS_REVIEW_VIEW (self), FALSE);
  g_return_val_if_fail (self->store != NULL, FALSE);

  if (!desk_review_view_save (self, error))
    return FALSE;

  release = desk_store_get_release (self->store, release_id, error);
  if (release == NULL)
    return FALSE;

  self->loading = TRUE;
  g_set_object (&self->release, release);
  g_clear_pointer (&self->detection, desk_detection_free);
  self->detection = desk_store_get_detection (self->store, release_id, NULL);
  set_buffer_text (_desk_review_view_headline_buffer (self), desk_release_get_headline (release));
  set_buffer_text (gtk_text_view_get_buffer (self->original_headline),
                   desk_release_get_original_headline (release));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->original_headline),
                               desk_release_get_original_headline (release));
  set_buffer_text (GTK_TEXT_BUFFER (original_buffer (self)), desk_release_get_original (release));
  set_buffer_text (GTK_TEXT_BUFFER (edited_buffer (self)), desk_release_get_current_text (release));
  mark_end_matter (self);
  self->dirty = FALSE;
  self->loading = FALSE;
  set_save_state (self, NULL);

  update_counts (self->original_counts, desk_release_get_original (release));
  _desk_review_compare_load (self);
  _desk_review_spelling_load (self);
  desk_review_view_update_diff (self);
  /* The cursor starts at the body, past the headline's hidden line. */
  gtk_text_buffer_get_iter_at_offset (GTK_TEXT_BUFFER (edited_buffer (self)), &start, (int) self->new_base);
  gtk_text_buffer_place_cursor (GTK_TEXT_BUFFER (edited_buffer (self)), &start);
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->original_scroller), 0);
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->edited_scroller), 0);
  if (self->kept_release_id == release_id)
    _desk_review_view_put_back_place (self);
  self->kept_release_id = 0;
  return TRUE;
}

/* ---- the headline fields ------------------------------------------------- */

/* A headline is one line that wraps: Enter goes on to the body and a line
 * break that comes in (pasted, dropped, typed by an input method) becomes
 * a space, each run of them one space.  The field is a text view because
 * GTK 4.8's entries never wrap: a headline of 150 characters ran off the
 * pane's edge. */
static void
headline_text_inserted (GtkTextBuffer *buffer,
                        GtkTextIter   *location,
                        const char    *text,
                        int            len,
                        gpointer       user_data)
{
  g_autoptr(GString) one_line = NULL;
  const char *end = text + (len >= 0 ? (gsize) len : strlen (text));
  gboolean in_break = FALSE;

  for (const char *p = text; p < end; p = g_utf8_next_char (p))
    {
      GUnicodeBreakType type = g_unichar_break_type (g_utf8_get_char (p));
      gboolean line_break = type == G_UNICODE_BREAK_MANDATORY || type == G_UNICODE_BREAK_CARRIAGE_RETURN ||
                            type == G_UNICODE_BREAK_LINE_FEED || type == G_UNICODE_BREAK_NEXT_LINE;

      if (one_line == NULL && !line_break)
        continue;
      if (one_line == NULL)
        one_line = g_string_new_len (text, p - text);
      if (line_break && !in_break)
        g_string_append_c (one_line, ' ');
      else if (!line_break)
        g_string_append_len (one_line, p, g_utf8_next_char (p) - p);
      in_break = line_break;
    }
  if (one_line == NULL)
    return;

  /* In place of this insertion, which is stopped: @location is kept valid
   * by the one made instead. */
  g_signal_stop_emission_by_name (buffer, "insert-text");
  gtk_text_buffer_insert (buffer, location, one_line->str, (int) one_line->len);
}

static void
headline_buffer_changed (GtkTextBuffer *buffer,
                         GtkWidget     *placeholder)
{
  gtk_widget_set_visible (placeholder, gtk_text_buffer_get_char_count (buffer) == 0);
}

static void
headline_preedit_changed (GtkTextView    *field,
                          const char     *preedit,
                          DeskReviewView *self)
{
  self->headline_composing = preedit != NULL && *preedit != '\0';
}

/* Enter (Shift+Enter too) goes to the body; with Alt or Ctrl it is the
 * view's shortcut (Alt+Return keeps a change), as it was from the entry.
 * While an input method composes (pinyin, kana), Enter is its own. */
static gboolean
headline_key_pressed (GtkEventControllerKey *controller,
                      guint                  keyval,
                      guint                  keycode,
                      GdkModifierType        state,
                      DeskReviewView        *self)
{
  if (keyval != GDK_KEY_Return && keyval != GDK_KEY_KP_Enter && keyval != GDK_KEY_ISO_Enter)
    return FALSE;
  if (self->headline_composing &&
      gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (controller)) == GTK_WIDGET (self->headline))
    return FALSE;

  if ((state & (GDK_CONTROL_MASK | GDK_ALT_MASK)) != 0)
    gtk_event_controller_key_forward (controller, GTK_WIDGET (self));
  else if (gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (controller)) == GTK_WIDGET (self->headline))
    desk_review_view_focus_edited (self);
  else
    gtk_widget_grab_focus (GTK_WIDGET (self->original_view));
  return TRUE;
}

static void
headline_field_init (DeskReviewView *self,
                     GtkTextView    *field,
                     GtkLabel       *placeholder)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (field);
  GtkEventController *keys = gtk_event_controller_key_new ();

  g_signal_connect (buffer, "insert-text", G_CALLBACK (headline_text_inserted), NULL);
  g_signal_connect_object (buffer, "changed", G_CALLBACK (headline_buffer_changed), placeholder, 0);

  /* Before the text view's own keys, which would put in a line break. */
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect_object (keys, "key-pressed", G_CALLBACK (headline_key_pressed), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (field), keys);
  g_signal_connect_object (field, "preedit-changed", G_CALLBACK (headline_preedit_changed), self, 0);
}

/* ---- the widget ---------------------------------------------------------- */

static void
desk_review_view_dispose (GObject *object)
{
  DeskReviewView *self = DESK_REVIEW_VIEW (object);

  if (self->dirty)
    {
      g_autoptr(GError) error = NULL;

      if (!desk_review_view_save (self, &error))
        g_warning ("Could not save the edited copy: %s", error->message);
    }

  g_clear_handle_id (&self->diff_source, g_source_remove);
  g_clear_handle_id (&self->autosave_source, g_source_remove);
  g_clear_handle_id (&self->follow_source, g_source_remove);
  g_clear_handle_id (&self->place_source, g_source_remove);
  g_clear_handle_id (&self->maps_source, g_source_remove);
  _desk_review_compare_dispose (self);
  _desk_review_spelling_dispose (self);
  _desk_review_diff_dispose (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), DESK_TYPE_REVIEW_VIEW);
  {
    GtkWidget *child;

    while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
      gtk_widget_unparent (child);
  }
  g_clear_object (&self->release);
  g_clear_pointer (&self->detection, desk_detection_free);
  g_clear_object (&self->store);
  g_clear_pointer (&self->spans, g_array_unref);
  g_clear_pointer (&self->chunks, g_array_unref);

  G_OBJECT_CLASS (desk_review_view_parent_class)->dispose (object);
}

/* The overviews take ~80 px each: below this width both go, so the
 * panes keep their text and stay as wide as each other. */
#define MAPS_MIN_WIDTH 900

static gboolean
show_maps (gpointer user_data)
{
  DeskReviewView *self = user_data;
  gboolean wanted = gtk_widget_get_width (GTK_WIDGET (self)) >= MAPS_MIN_WIDTH;

  self->maps_source = 0;
  gtk_widget_set_visible (self->original_map, wanted);
  gtk_widget_set_visible (self->edited_map, wanted);
  return G_SOURCE_REMOVE;
}

/* One child, the toast overlay, fills the view. */
static GtkSizeRequestMode
desk_review_view_get_request_mode (GtkWidget *widget)
{
  return gtk_widget_get_request_mode (GTK_WIDGET (DESK_REVIEW_VIEW (widget)->toast_overlay));
}

static void
desk_review_view_measure (GtkWidget      *widget,
                          GtkOrientation  orientation,
                          int             for_size,
                          int            *minimum,
                          int            *natural,
                          int            *minimum_baseline,
                          int            *natural_baseline)
{
  gtk_widget_measure (GTK_WIDGET (DESK_REVIEW_VIEW (widget)->toast_overlay), orientation, for_size,
                      minimum, natural, minimum_baseline, natural_baseline);
}

static void
desk_review_view_size_allocate (GtkWidget *widget,
                                int        width,
                                int        height,
                                int        baseline)
{
  DeskReviewView *self = DESK_REVIEW_VIEW (widget);
  gboolean wanted = width >= MAPS_MIN_WIDTH;

  gtk_widget_allocate (GTK_WIDGET (self->toast_overlay), width, height, baseline, NULL);

  /* Not while allocating: the next turn of the main loop. */
  if (wanted != gtk_widget_get_visible (self->edited_map) && self->maps_source == 0)
    self->maps_source = g_idle_add (show_maps, self);
}

static void
desk_review_view_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  DeskReviewView *self = DESK_REVIEW_VIEW (object);

  switch (prop_id)
    {
    case PROP_CHECK_SPELLING:
      g_value_set_boolean (value, desk_review_view_get_check_spelling (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
desk_review_view_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  DeskReviewView *self = DESK_REVIEW_VIEW (object);

  switch (prop_id)
    {
    case PROP_CHECK_SPELLING:
      desk_review_view_set_check_spelling (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
desk_review_view_class_init (DeskReviewViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = desk_review_view_dispose;
  object_class->get_property = desk_review_view_get_property;
  object_class->set_property = desk_review_view_set_property;
  widget_class->get_request_mode = desk_review_view_get_request_mode;
  widget_class->measure = desk_review_view_measure;
  widget_class->size_allocate = desk_review_view_size_allocate;

  /* Whether the edited copy's spelling is checked: stored per release. */
  properties[PROP_CHECK_SPELLING] =
    g_param_spec_boolean ("check-spelling", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* Emitted with the new revision's id when the copy was saved, and
   * whether the release now shows differently in a queue (its status or
   * its headline changed). */
  signals[SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                 0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_INT64, G_TYPE_BOOLEAN);

  /* Our schemes (light and dark), installed or in the source tree.
   * (GtkSourceView 5.6 lists schemes in resources but cannot load them.) */
  gtk_source_init ();
  {
    g_autofree char *installed = g_build_filename (PKGDATADIR, "styles", NULL);
    g_autofree char *source = g_build_filename (COPYDESK_SOURCE_DATADIR, "styles", NULL);

    gtk_source_style_scheme_manager_append_search_path (gtk_source_style_scheme_manager_get_default (),
                                                        g_file_test (installed, G_FILE_TEST_IS_DIR) ? installed : source);
  }
  g_type_ensure (GTK_SOURCE_TYPE_VIEW);
  g_type_ensure (DESK_TYPE_COPY_VIEW);
  g_type_ensure (GTK_SOURCE_TYPE_MAP);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/copydesk/Copydesk/desk-review-view.ui");
  gtk_widget_class_bind_template_child (widget_class, DeskReviewView, headline);
  gtk_widget_class_bind_template_child (widget_class, DeskReviewView, original_view);
  gtk_widget_class_bind_template_child (widget_class, DeskReviewView, edited_view);
  gtk_widget_class_bind_template_child (widget_class, DeskReviewView, original_scroller);
  gtk_widget_class_bind_template_child (widget_class, DeskReviewView, edited_scroller);
  gtk_widget_class_bind_template_child (widget_class, DeskReviewView, original_counts);
  gtk_widget_class_bind_template_child (widget_class, DeskReviewView, edited_counts);
  gtk_widget_class_bind_template_child (widget_class, DeskReviewView, save_state);
  gtk_widget_class_bind_template_child (widget_class, DeskReviewView, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, DeskReviewView, original_headline);
  gtk_widget_class_bind_template_child (widget_class, DeskReviewView, headline_placeholder);
  gtk_widget_class_bind_template_child (widget_class, DeskReviewView, original_headline_placeholder);
  gtk_widget_class_bind_template_child (widget_class, DeskReviewView, change_label);
  gtk_widget_class_bind_template_child (widget_class, DeskReviewView, original_map);
  gtk_widget_class_bind_template_child (widget_class, DeskReviewView, edited_map);
  gtk_widget_class_bind_template_child (widget_class, DeskReviewView, spelling_note);

  _desk_review_compare_class_init (widget_class);
  _desk_review_spelling_class_init (widget_class);
}

static void
desk_review_view_init (DeskReviewView *self)
{
  GtkTextBuffer *original;
  GtkTextBuffer *edited;

  gtk_widget_init_template (GTK_WIDGET (self));

  original = GTK_TEXT_BUFFER (original_buffer (self));
  edited = GTK_TEXT_BUFFER (edited_buffer (self));
  self->end_matter_tag = gtk_text_buffer_create_tag (original, "end-matter", NULL);
  self->removed_tag = gtk_text_buffer_create_tag (original, "removed", NULL);
  self->added_tag = gtk_text_buffer_create_tag (edited, "added", NULL);
  self->furniture_tag = gtk_text_buffer_create_tag (edited, "furniture", NULL);
  self->original_hidden_tag = gtk_text_buffer_create_tag (original, "headline-line", "invisible", TRUE, NULL);
  self->edited_hidden_tag = gtk_text_buffer_create_tag (edited, "headline-line", "invisible", TRUE, NULL);
  gtk_source_buffer_set_highlight_matching_brackets (original_buffer (self), FALSE);
  gtk_source_buffer_set_highlight_matching_brackets (edited_buffer (self), FALSE);

  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (update_scheme), self, G_CONNECT_SWAPPED);
  update_scheme (self);

  g_signal_connect_object (edited, "changed", G_CALLBACK (copy_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (_desk_review_view_headline_buffer (self), "changed",
                           G_CALLBACK (copy_changed), self, G_CONNECT_SWAPPED);
  headline_field_init (self, self->headline, self->headline_placeholder);
  headline_field_init (self, self->original_headline, self->original_headline_placeholder);
  _desk_review_view_scroll_init (self);
  _desk_review_diff_init (self);

  _desk_review_compare_init (self);
  _desk_review_spelling_init (self);
}

void
desk_review_view_set_store (DeskReviewView *self,
                            DeskStore      *store)
{
  g_return_if_fail (DESK_IS_REVIEW_VIEW (self));

  g_set_object (&self->store, store);
}

gint64
desk_review_view_get_release_id (DeskReviewView *self)
{
  g_return_val_if_fail (DESK_IS_REVIEW_VIEW (self), 0);

  return self->release != NULL ? desk_release_get_id (self->release) : 0;
}

/* What the detector found in the release on screen, as stored when it
 * was loaded; NULL when none is. */
DeskDetection *
desk_review_view_get_detection (DeskReviewView *self)
{
  g_return_val_if_fail (DESK_IS_REVIEW_VIEW (self), NULL);

  return self->detection;
}

DeskRelease *
desk_review_view_get_release (DeskReviewView *self)
{
  g_return_val_if_fail (DESK_IS_REVIEW_VIEW (self), NULL);

  return self->release;
}

void
desk_review_view_focus_edited (DeskReviewView *self)
{
  g_return_if_fail (DESK_IS_REVIEW_VIEW (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->edited_view));
}

GtkSourceBuffer *
desk_review_view_get_original_buffer (DeskReviewView *self)
{
  return original_buffer (self);
}

GtkSourceBuffer *
desk_review_view_get_edited_buffer (DeskReviewView *self)
{
  return edited_buffer (self);
}

/* The edited headline's text: the field holds it, and the fields are
 * where tests and callers change it. */
GtkTextBuffer *
desk_review_view_get_headline_buffer (DeskReviewView *self)
{
  g_return_val_if_fail (DESK_IS_REVIEW_VIEW (self), NULL);

  return _desk_review_view_headline_buffer (self);
}

/* The edited headline as it would be saved. */
char *
desk_review_view_dup_headline (DeskReviewView *self)
{
  GtkTextIter start, end;

  g_return_val_if_fail (DESK_IS_REVIEW_VIEW (self), NULL);

  gtk_text_buffer_get_bounds (_desk_review_view_headline_buffer (self), &start, &end);
  return gtk_text_buffer_get_text (_desk_review_view_headline_buffer (self), &start, &end, FALSE);
}
