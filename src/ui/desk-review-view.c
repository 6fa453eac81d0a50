/* desk-review-view.c — the original beside the edited copy
 *
 * The original is read-only; the edited copy is the editor's.  Every word
 * that differs is highlighted in both panes, recomputed shortly after each
 * keystroke (the diff of a long release takes well under a millisecond, so
 * it runs on the main thread without stalling typing).  The panes scroll in
 * step, anchored on the text they share, and the copy is saved as a
 * revision whenever the editor pauses, switches release or quits.
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <adwaita.h>

#include "desk-check.h"
#include "desk-diff.h"
#include "desk-review-view.h"

#define DIFF_DELAY_MS 60

struct _DeskReviewView
{
  GtkWidget          parent_instance;

  DeskStore         *store;
  DeskRelease       *release;
  DeskDetection     *detection;   /* what the detector found in it */
  GArray            *spans;    /* DeskDiffSpan of original → edited */
  GArray            *chunks;   /* DeskDiffChunk */

  guint              diff_source;
  guint              autosave_source;
  gboolean           loading;
  gboolean           dirty;
  gboolean           syncing_scroll;   /* both panes are being placed */
  GtkSourceView     *follower;         /* the pane following the other */
  guint              follow_source;

  GtkEntry          *headline;
  GtkSourceView     *original_view;
  GtkSourceView     *edited_view;
  GtkScrolledWindow *original_scroller;
  GtkScrolledWindow *edited_scroller;
  GtkLabel          *original_counts;
  GtkLabel          *edited_counts;
  GtkLabel          *save_state;

  GtkTextTag        *removed_tag;
  GtkTextTag        *added_tag;
  GtkTextTag        *end_matter_tag;
  GtkTextTag        *furniture_tag;   /* in the edited copy: what would ship */
  guint              n_furniture;

  /* Where the editor was, for the next load of the same release (see
   * desk_review_view_keep_place()). */
  gint64             kept_release_id;
  int                kept_cursor;
  double             kept_original_scroll;
  double             kept_edited_scroll;
  guint              place_source;
};

G_DEFINE_FINAL_TYPE (DeskReviewView, desk_review_view, GTK_TYPE_WIDGET)

enum {
  SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static GtkSourceBuffer *
original_buffer (DeskReviewView *self)
{
  return GTK_SOURCE_BUFFER (gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->original_view)));
}

static GtkSourceBuffer *
edited_buffer (DeskReviewView *self)
{
  return GTK_SOURCE_BUFFER (gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->edited_view)));
}

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
}

/* ---- the diff ------------------------------------------------------------ */

static void
tag_range (GtkTextBuffer *buffer,
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

static void
update_counts (GtkLabel   *label,
               const char *text)
{
  g_autofree char *words_text = NULL;
  g_autofree char *chars_text = NULL;
  g_autofree char *markup = NULL;
  guint words = 0;
  guint chars = 0;

  desk_text_count (text, &words, &chars);
  words_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u word", "%u words", words), words);
  chars_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u character", "%u characters", chars), chars);
  markup = g_strdup_printf ("%s · %s", words_text, chars_text);
  gtk_label_set_text (label, markup);
}

/* The wire furniture the pre-publish check finds in the edited copy,
 * marked as in the original: what would ship is in view. */
static void
mark_furniture (DeskReviewView *self,
                const char     *text)
{
  GtkTextBuffer *edited = GTK_TEXT_BUFFER (edited_buffer (self));
  g_autoptr(DeskCheck) check = NULL;
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (edited, &start, &end);
  gtk_text_buffer_remove_tag (edited, self->furniture_tag, &start, &end);
  self->n_furniture = 0;
  if (self->release == NULL || self->store == NULL)
    return;

  check = desk_check_copy (desk_store_get_detector (self->store),
                           gtk_editable_get_text (GTK_EDITABLE (self->headline)),
                           text, desk_release_get_language (self->release));
  for (guint i = 0; i < check->problems->len; i++)
    {
      const DeskCheckProblem *problem = g_ptr_array_index (check->problems, i);

      if (problem->kind != DESK_CHECK_FURNITURE)
        continue;
      tag_range (edited, self->furniture_tag, problem->start, problem->end);
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

  g_clear_handle_id (&self->diff_source, g_source_remove);

  g_clear_pointer (&self->spans, g_array_unref);
  g_clear_pointer (&self->chunks, g_array_unref);
  self->spans = desk_diff_words (old_text, new_text);
  self->chunks = desk_diff_chunks (self->spans);

  gtk_text_buffer_get_bounds (original, &start, &end);
  gtk_text_buffer_remove_tag (original, self->removed_tag, &start, &end);
  gtk_text_buffer_get_bounds (edited, &start, &end);
  gtk_text_buffer_remove_tag (edited, self->added_tag, &start, &end);

  for (guint i = 0; i < self->spans->len; i++)
    {
      const DeskDiffSpan *span = &g_array_index (self->spans, DeskDiffSpan, i);

      if (span->op == DESK_DIFF_DELETE)
        tag_range (original, self->removed_tag, span->old_start, span->old_end);
      else if (span->op == DESK_DIFF_INSERT)
        tag_range (edited, self->added_tag, span->new_start, span->new_end);
    }

  mark_furniture (self, new_text);
  update_counts (self->edited_counts, new_text);
}

static gboolean
diff_timeout (gpointer user_data)
{
  DeskReviewView *self = user_data;

  self->diff_source = 0;
  desk_review_view_update_diff (self);
  return G_SOURCE_REMOVE;
}

guint
desk_review_view_get_n_changes (DeskReviewView *self)
{
  g_return_val_if_fail (DESK_IS_REVIEW_VIEW (self), 0);

  return self->chunks != NULL ? self->chunks->len : 0;
}

/* Where @offset in one text lies in the other, through the spans. */
static guint
map_offset (GArray  *spans,
            guint    offset,
            gboolean from_old)
{
  for (guint i = 0; spans != NULL && i < spans->len; i++)
    {
      const DeskDiffSpan *span = &g_array_index (spans, DeskDiffSpan, i);
      guint start = from_old ? span->old_start : span->new_start;
      guint end = from_old ? span->old_end : span->new_end;

      if (offset < end || (offset == end && i + 1 == spans->len))
        {
          if (span->op == DESK_DIFF_EQUAL)
            return (from_old ? span->new_start : span->old_start) + (offset - start);
          return from_old ? span->new_start : span->old_start;
        }
    }
  return offset;
}

static void
scroll_to_offset (GtkSourceView *view,
                  guint          offset)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (view));
  GtkTextIter iter;

  gtk_text_buffer_get_iter_at_offset (buffer, &iter, (int) offset);
  gtk_text_view_scroll_to_iter (GTK_TEXT_VIEW (view), &iter, 0.0, TRUE, 0.0, 0.25);
}

/* Alt+Down / Alt+Up: the next or previous changed chunk after the cursor in
 * the edited copy; both panes scroll to it. */
gboolean
desk_review_view_next_change (DeskReviewView *self,
                              int             direction)
{
  GtkTextBuffer *edited = GTK_TEXT_BUFFER (edited_buffer (self));
  GtkTextIter cursor;
  guint offset;
  const DeskDiffChunk *target = NULL;

  g_return_val_if_fail (DESK_IS_REVIEW_VIEW (self), FALSE);

  if (self->diff_source != 0)
    desk_review_view_update_diff (self);
  if (self->chunks == NULL || self->chunks->len == 0)
    return FALSE;

  gtk_text_buffer_get_iter_at_mark (edited, &cursor, gtk_text_buffer_get_insert (edited));
  offset = (guint) gtk_text_iter_get_offset (&cursor);

  if (direction > 0)
    {
      for (guint i = 0; i < self->chunks->len && target == NULL; i++)
        {
          const DeskDiffChunk *chunk = &g_array_index (self->chunks, DeskDiffChunk, i);
          if (chunk->new_start > offset)
            target = chunk;
        }
    }
  else
    {
      for (guint i = self->chunks->len; i > 0 && target == NULL; i--)
        {
          const DeskDiffChunk *chunk = &g_array_index (self->chunks, DeskDiffChunk, i - 1);
          if (chunk->new_start < offset)
            target = chunk;
        }
    }

  if (target == NULL)
    {
      gtk_widget_error_bell (GTK_WIDGET (self));
      return FALSE;
    }

  {
    GtkTextIter iter;

    gtk_text_buffer_get_iter_at_offset (edited, &iter, (int) target->new_start);
    gtk_text_buffer_place_cursor (edited, &iter);
  }
  self->syncing_scroll = TRUE;
  scroll_to_offset (self->edited_view, target->new_start);
  scroll_to_offset (self->original_view, target->old_start);
  self->syncing_scroll = FALSE;
  return TRUE;
}

/* ---- scrolling in step --------------------------------------------------- */

static gboolean
end_follow (gpointer user_data)
{
  DeskReviewView *self = user_data;

  self->follower = NULL;
  self->follow_source = 0;
  return G_SOURCE_REMOVE;
}

/* Brings the text at the top of @from_view to the top of @to_view.  The
 * other view's lines may not be laid out yet, so it is scrolled with
 * scroll_to_iter(), which lays them out first; its own scrolling, which
 * follows, is not echoed back. */
static void
sync_scroll (DeskReviewView *self,
             GtkSourceView  *from_view,
             GtkSourceView  *to_view,
             gboolean        from_old)
{
  GtkAdjustment *from_adj = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (from_view));
  GtkTextBuffer *to_buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (to_view));
  GtkTextIter top, other;
  guint offset;

  if (self->loading || self->follower == from_view || self->syncing_scroll)
    return;

  gtk_text_view_get_iter_at_location (GTK_TEXT_VIEW (from_view), &top, 0,
                                      (int) gtk_adjustment_get_value (from_adj));
  offset = map_offset (self->spans, (guint) gtk_text_iter_get_offset (&top), from_old);
  gtk_text_buffer_get_iter_at_offset (to_buffer, &other, (int) offset);

  self->follower = to_view;
  g_clear_handle_id (&self->follow_source, g_source_remove);
  self->follow_source = g_timeout_add (100, end_follow, self);
  gtk_text_view_scroll_to_iter (GTK_TEXT_VIEW (to_view), &other, 0.0, TRUE, 0.0, 0.0);
}

static void
original_scrolled (GtkAdjustment  *adjustment,
                   DeskReviewView *self)
{
  sync_scroll (self, self->original_view, self->edited_view, TRUE);
}

static void
edited_scrolled (GtkAdjustment  *adjustment,
                 DeskReviewView *self)
{
  sync_scroll (self, self->edited_view, self->original_view, FALSE);
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

/* Saves the copy as a revision if it changed since it was loaded or last
 * saved.  Emits ::saved when a revision was written. */
gboolean
desk_review_view_save (DeskReviewView  *self,
                       GError         **error)
{
  g_autofree char *text = NULL;
  g_autoptr(DeskRelease) reloaded = NULL;
  gint64 revision_id = 0;
  gboolean listing_changed;
  gint64 id;

  g_return_val_if_fail (DESK_IS_REVIEW_VIEW (self), FALSE);

  g_clear_handle_id (&self->autosave_source, g_source_remove);
  if (!self->dirty || self->release == NULL || self->store == NULL)
    return TRUE;

  id = desk_release_get_id (self->release);
  text = buffer_text (edited_buffer (self));
  if (!desk_store_save_revision (self->store, id,
                                 gtk_editable_get_text (GTK_EDITABLE (self->headline)),
                                 text, NULL, &revision_id, error))
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

  g_clear_handle_id (&self->autosave_source, g_source_remove);
  self->autosave_source = g_timeout_add (DESK_AUTOSAVE_DELAY_MS, autosave_timeout, self);

  if (self->diff_source == 0)
    self->diff_source = g_timeout_add (DIFF_DELAY_MS, diff_timeout, self);
}

/* ---- loading ------------------------------------------------------------- */

static void
set_buffer_text (GtkSourceBuffer *buffer,
                 const char      *text)
{
  gtk_text_buffer_begin_irreversible_action (GTK_TEXT_BUFFER (buffer));
  gtk_text_buffer_set_text (GTK_TEXT_BUFFER (buffer), text != NULL ? text : "", -1);
  gtk_text_buffer_end_irreversible_action (GTK_TEXT_BUFFER (buffer));
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
        tag_range (original, self->end_matter_tag, part->start, part->end);
    }
  for (guint i = 0; findings != NULL && i < findings->len; i++)
    {
      const DeskFinding *finding = g_ptr_array_index (findings, i);

      tag_range (original, self->end_matter_tag, finding->start, finding->end);
    }
}

/* Shows characters @start to @end of the original, selected, as the
 * evidence list's "jump to it" does. */
void
desk_review_view_reveal_original (DeskReviewView *self,
                                  guint           start,
                                  guint           end)
{
  GtkTextBuffer *original;
  GtkTextIter a, b;

  g_return_if_fail (DESK_IS_REVIEW_VIEW (self));

  original = GTK_TEXT_BUFFER (original_buffer (self));
  gtk_text_buffer_get_iter_at_offset (original, &a, (int) start);
  gtk_text_buffer_get_iter_at_offset (original, &b, (int) end);
  gtk_text_buffer_select_range (original, &b, &a);
  gtk_text_view_scroll_to_iter (GTK_TEXT_VIEW (self->original_view), &a, 0.0, TRUE, 0.0, 0.3);
}

/* The panes go back to where they were once the new text is laid out. */
static gboolean
put_back_scroll (gpointer user_data)
{
  DeskReviewView *self = user_data;

  self->place_source = 0;
  self->syncing_scroll = TRUE;
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->edited_scroller), self->kept_edited_scroll);
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->original_scroller), self->kept_original_scroll);
  self->syncing_scroll = FALSE;
  return G_SOURCE_REMOVE;
}

static void
put_back_place (DeskReviewView *self)
{
  GtkTextBuffer *edited = GTK_TEXT_BUFFER (edited_buffer (self));
  GtkTextIter cursor;

  gtk_text_buffer_get_iter_at_offset (edited, &cursor, self->kept_cursor);
  gtk_text_buffer_place_cursor (edited, &cursor);
  g_clear_handle_id (&self->place_source, g_source_remove);
  self->place_source = g_idle_add_full (GDK_PRIORITY_REDRAW + 10, put_back_scroll, self, NULL);
}

/* The next desk_review_view_load() of the release on screen (it changed in
 * the store, under another editor's hand) keeps the editor's place: the
 * cursor in the edited copy and where both panes are scrolled to. */
void
desk_review_view_keep_place (DeskReviewView *self)
{
  GtkTextBuffer *edited;
  GtkTextIter cursor;

  g_return_if_fail (DESK_IS_REVIEW_VIEW (self));

  if (self->release == NULL)
    return;
  edited = GTK_TEXT_BUFFER (edited_buffer (self));
  gtk_text_buffer_get_iter_at_mark (edited, &cursor, gtk_text_buffer_get_insert (edited));
  self->kept_release_id = desk_release_get_id (self->release);
  self->kept_cursor = gtk_text_iter_get_offset (&cursor);
  self->kept_original_scroll = gtk_adjustment_get_value (gtk_scrolled_window_get_vadjustment (self->original_scroller));
  self->kept_edited_scroll = gtk_adjustment_get_value (gtk_scrolled_window_get_vadjustment (self->edited_scroller));
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
  gtk_editable_set_text (GTK_EDITABLE (self->headline), desk_release_get_headline (release));
  set_buffer_text (original_buffer (self), desk_release_get_original (release));
  set_buffer_text (edited_buffer (self), desk_release_get_current_text (release));
  mark_end_matter (self);
  gtk_text_buffer_get_start_iter (GTK_TEXT_BUFFER (edited_buffer (self)), &start);
  gtk_text_buffer_place_cursor (GTK_TEXT_BUFFER (edited_buffer (self)), &start);
  self->dirty = FALSE;
  self->loading = FALSE;
  set_save_state (self, NULL);

  update_counts (self->original_counts, desk_release_get_original (release));
  desk_review_view_update_diff (self);
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->original_scroller), 0);
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->edited_scroller), 0);
  if (self->kept_release_id == release_id)
    put_back_place (self);
  self->kept_release_id = 0;
  return TRUE;
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

static void
desk_review_view_class_init (DeskReviewViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = desk_review_view_dispose;

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
  g_type_ensure (GTK_SOURCE_TYPE_MAP);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/copydesk/Copydesk/desk-review-view.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_bind_template_child (widget_class, DeskReviewView, headline);
  gtk_widget_class_bind_template_child (widget_class, DeskReviewView, original_view);
  gtk_widget_class_bind_template_child (widget_class, DeskReviewView, edited_view);
  gtk_widget_class_bind_template_child (widget_class, DeskReviewView, original_scroller);
  gtk_widget_class_bind_template_child (widget_class, DeskReviewView, edited_scroller);
  gtk_widget_class_bind_template_child (widget_class, DeskReviewView, original_counts);
  gtk_widget_class_bind_template_child (widget_class, DeskReviewView, edited_counts);
  gtk_widget_class_bind_template_child (widget_class, DeskReviewView, save_state);
}

static void
desk_review_view_init (DeskReviewView *self)
{
  GtkTextBuffer *original;
  GtkTextBuffer *edited;

  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_orientable_set_orientation (GTK_ORIENTABLE (gtk_widget_get_layout_manager (GTK_WIDGET (self))),
                                  GTK_ORIENTATION_VERTICAL);

  original = GTK_TEXT_BUFFER (original_buffer (self));
  edited = GTK_TEXT_BUFFER (edited_buffer (self));
  self->end_matter_tag = gtk_text_buffer_create_tag (original, "end-matter", NULL);
  self->removed_tag = gtk_text_buffer_create_tag (original, "removed", NULL);
  self->added_tag = gtk_text_buffer_create_tag (edited, "added", NULL);
  self->furniture_tag = gtk_text_buffer_create_tag (edited, "furniture", NULL);
  gtk_source_buffer_set_highlight_matching_brackets (original_buffer (self), FALSE);
  gtk_source_buffer_set_highlight_matching_brackets (edited_buffer (self), FALSE);

  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (update_scheme), self, G_CONNECT_SWAPPED);
  update_scheme (self);

  g_signal_connect_object (edited, "changed", G_CALLBACK (copy_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->headline, "changed", G_CALLBACK (copy_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (gtk_scrolled_window_get_vadjustment (self->original_scroller), "value-changed",
                           G_CALLBACK (original_scrolled), self, 0);
  g_signal_connect_object (gtk_scrolled_window_get_vadjustment (self->edited_scroller), "value-changed",
                           G_CALLBACK (edited_scrolled), self, 0);
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

GtkEditable *
desk_review_view_get_headline (DeskReviewView *self)
{
  return GTK_EDITABLE (self->headline);
}
