/* desk-review-diff.c — the review view's diff, kept up to date as the editor types
 *
 * A keystroke changes one paragraph; diffing the whole release again for
 * it, and running the detector over the whole copy to mark its furniture,
 * cost a 1 MB release far more than a frame.  So the view keeps the part
 * of the edited copy typed in since its spans were made (in the copy's
 * offsets now, and how many characters it grew by), and on the diff's
 * timer only that part is compared again:
 *
 *  - the part is widened to whole paragraphs, and further until the
 *    paragraph before it and the one after it were equal, whole, in the
 *    last spans: those anchor the part in the original, through the equal
 *    span each lies in;
 *  - the paragraphs of the original between the anchors are compared with
 *    those of the copy by desk_diff_words(), as a full diff compares a
 *    block of changed paragraphs, and the result is spliced into the old
 *    spans, the later ones shifted by the growth;
 *  - only the highlights inside the part are taken off and put back.
 *
 * Anything else (an edit in the headline's line or the headline field, a
 * part that would be half the copy, spans that no longer fit) falls back to
 * desk_review_view_update_diff(), the full diff.  The furniture marks and
 * the counters need the whole copy: they are worked out in a thread once
 * the editor pauses, and dropped if the copy changed meanwhile.
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "desk-check.h"
#include "desk-diff.h"
#include "desk-review-view-private.h"

/* The longest part (both sides, in characters) compared on its own:
 * some twenty paragraphs. */
#define MAX_PART_CHARS 16384

/* How long the editor pauses before the furniture and counters follow. */
#define MARKS_DELAY_MS 300

/* ---- where the editor typed ---------------------------------------------- */

static void
grow_dirty (DeskReviewView *self,
            guint           start,
            guint           end)
{
  if (!self->diff_dirty)
    {
      self->diff_dirty = TRUE;
      self->diff_dirty_start = start;
      self->diff_dirty_end = end;
      return;
    }
  self->diff_dirty_start = MIN (self->diff_dirty_start, start);
  self->diff_dirty_end = MAX (self->diff_dirty_end, end);
}

static void
text_inserted (DeskReviewView *self,
               GtkTextIter    *location,
               const char     *text,
               int             len)
{
  guint chars = (guint) g_utf8_strlen (text, len);
  guint end = (guint) gtk_text_iter_get_offset (location);   /* after the insertion */
  guint start = end - chars;

  if (self->loading)
    return;
  self->edit_serial++;
  /* What was dirty after the insertion point moved with it. */
  if (self->diff_dirty && self->diff_dirty_end >= start)
    {
      if (self->diff_dirty_start > start)
        self->diff_dirty_start += chars;
      self->diff_dirty_end += chars;
    }
  grow_dirty (self, start, end);
  self->diff_delta += (gint64) chars;
}

static guint
offset_after_delete (guint at,
                     guint start,
                     guint end)
{
  if (at <= start)
    return at;
  if (at >= end)
    return at - (end - start);
  return start;
}

static void
range_deleted (DeskReviewView *self,
               GtkTextIter    *start_iter,
               GtkTextIter    *end_iter)
{
  guint start = (guint) gtk_text_iter_get_offset (start_iter);
  guint end = (guint) gtk_text_iter_get_offset (end_iter);

  if (self->loading)
    return;
  self->edit_serial++;
  if (end < start)
    {
      guint swap = start;

      start = end;
      end = swap;
    }
  if (self->diff_dirty)
    {
      self->diff_dirty_start = offset_after_delete (self->diff_dirty_start, start, end);
      self->diff_dirty_end = offset_after_delete (self->diff_dirty_end, start, end);
    }
  grow_dirty (self, start, start);
  self->diff_delta -= (gint64) (end - start);
}

static void
headline_changed (DeskReviewView *self)
{
  /* Which line is hidden, and so where the bodies start, may change. */
  if (!self->loading)
    self->diff_needs_full = TRUE;
}

void
_desk_review_diff_init (DeskReviewView *self)
{
  GtkTextBuffer *edited = GTK_TEXT_BUFFER (_desk_review_view_edited_buffer (self));

  g_signal_connect_object (edited, "insert-text", G_CALLBACK (text_inserted), self,
                           G_CONNECT_SWAPPED | G_CONNECT_AFTER);
  /* Before the default handler: the range is still there to measure. */
  g_signal_connect_object (edited, "delete-range", G_CALLBACK (range_deleted), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (_desk_review_view_headline_buffer (self), "changed",
                           G_CALLBACK (headline_changed), self, G_CONNECT_SWAPPED);
}

/* The spans were just made from the whole copy. */
void
_desk_review_diff_reset (DeskReviewView *self)
{
  self->diff_dirty = FALSE;
  self->diff_dirty_start = self->diff_dirty_end = 0;
  self->diff_delta = 0;
  self->diff_needs_full = FALSE;
  g_clear_handle_id (&self->marks_source, g_source_remove);
  g_cancellable_cancel (self->marks_cancellable);
  g_clear_object (&self->marks_cancellable);
}

/* ---- the part to compare again ------------------------------------------- */

/* The index of the span the character run [@from, @to) of the edited copy
 * lies in whole, when that span is EQUAL; else -1.  Spans are in order of
 * their new offsets; the last one starting at or before @from is the one. */
static int
equal_span_over (GArray *spans,
                 guint   from,
                 guint   to)
{
  guint lo = 0, hi = spans->len;
  const DeskDiffSpan *span;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (g_array_index (spans, DeskDiffSpan, mid).new_start <= from)
        lo = mid + 1;
      else
        hi = mid;
    }
  if (lo == 0)
    return -1;
  span = &g_array_index (spans, DeskDiffSpan, lo - 1);
  if (span->op != DESK_DIFF_EQUAL || span->new_start > from || span->new_end < to)
    return -1;
  return (int) lo - 1;
}

static guint
line_start_before (GtkTextBuffer *buffer,
                   guint          offset)
{
  GtkTextIter iter;

  gtk_text_buffer_get_iter_at_offset (buffer, &iter, (int) offset);
  if (offset == 0)
    return 0;
  gtk_text_iter_backward_char (&iter);
  if (gtk_text_iter_get_char (&iter) == '\n')
    return offset;
  while (gtk_text_iter_backward_char (&iter))
    if (gtk_text_iter_get_char (&iter) == '\n')
      return (guint) gtk_text_iter_get_offset (&iter) + 1;
  return 0;
}

/* The offset after the '\n' that ends the line @offset is in, or the end. */
static guint
line_end_after (GtkTextBuffer *buffer,
                guint          offset)
{
  GtkTextIter iter;

  gtk_text_buffer_get_iter_at_offset (buffer, &iter, (int) offset);
  while (!gtk_text_iter_is_end (&iter))
    {
      gboolean newline = gtk_text_iter_get_char (&iter) == '\n';

      gtk_text_iter_forward_char (&iter);
      if (newline)
        break;
    }
  return (guint) gtk_text_iter_get_offset (&iter);
}

static char *
buffer_slice (GtkTextBuffer *buffer,
              guint          start,
              guint          end)
{
  GtkTextIter a, b;

  gtk_text_buffer_get_iter_at_offset (buffer, &a, (int) start);
  gtk_text_buffer_get_iter_at_offset (buffer, &b, (int) end);
  return gtk_text_buffer_get_text (buffer, &a, &b, TRUE);
}

static gboolean
has_paragraph_break (const char *text)
{
  return strchr (text, '\n') != NULL || strchr (text, '\r') != NULL || strstr (text, "\u2029") != NULL;
}

/* Appends @span to @spans as the full diff's emit() would: a span of the
 * same kind as the last one lengthens it. */
static void
append_span (GArray             *spans,
             const DeskDiffSpan *span)
{
  if (span->old_start == span->old_end && span->new_start == span->new_end)
    return;
  if (spans->len > 0)
    {
      DeskDiffSpan *last = &g_array_index (spans, DeskDiffSpan, spans->len - 1);

      if (last->op == span->op)
        {
          last->old_end = span->old_end;
          last->new_end = span->new_end;
          last->inside_paragraph = last->inside_paragraph && span->inside_paragraph;
          return;
        }
    }
  g_array_append_val (spans, *span);
}

/* Compares again only the paragraphs typed in since the spans were made.
 * FALSE when that cannot be done (then the full diff must run); nothing is
 * changed then. */
gboolean
_desk_review_diff_update (DeskReviewView *self)
{
  GtkTextBuffer *original = GTK_TEXT_BUFFER (_desk_review_view_original_buffer (self));
  GtkTextBuffer *edited = GTK_TEXT_BUFFER (_desk_review_view_edited_buffer (self));
  GArray *spans = self->spans;
  guint n_new = (guint) gtk_text_buffer_get_char_count (edited);
  guint n_old = (guint) gtk_text_buffer_get_char_count (original);
  gint64 delta = self->diff_delta;
  guint prev_end, body_min, first_line_end;
  guint ns, ne, os, oe, ne_prev;
  int start_span = -1, end_span = -1;
  g_autofree char *old_part = NULL;
  g_autofree char *new_part = NULL;
  g_autoptr(GArray) part_spans = NULL;
  GArray *result;

  if (self->diff_needs_full || self->release == NULL || spans == NULL || spans->len == 0)
    return FALSE;
  if (!self->diff_dirty)
    return TRUE;   /* typed and undone, or nothing */

  prev_end = (guint) ((gint64) n_new - delta);
  if ((gint64) n_new - delta < 0
      || g_array_index (spans, DeskDiffSpan, spans->len - 1).new_end != prev_end
      || g_array_index (spans, DeskDiffSpan, spans->len - 1).old_end != n_old
      || self->diff_dirty_end > n_new || self->diff_dirty_start > self->diff_dirty_end)
    return FALSE;

  /* The headline's line (and, when it is not hidden, the first line, which
   * may become the headline's) decides where the bodies start. */
  first_line_end = line_end_after (edited, 0);
  body_min = MAX (self->new_base, first_line_end);
  if (self->diff_dirty_start <= body_min)
    return FALSE;

  /* Back to a paragraph before the edit that was equal, whole, and a
   * paragraph of the original too. */
  ns = line_start_before (edited, self->diff_dirty_start);
  while (TRUE)
    {
      guint ls;

      if (ns <= self->new_base)
        {
          ns = self->new_base;
          os = self->old_base;
          break;
        }
      ls = line_start_before (edited, ns - 1);
      /* A line in both texts: with the break before it equal too. */
      if (ns - ls >= 2 && (start_span = equal_span_over (spans, ls > self->new_base ? ls - 1 : ls, ns)) >= 0)
        {
          const DeskDiffSpan *span = &g_array_index (spans, DeskDiffSpan, start_span);

          os = span->old_start + (ns - span->new_start);
          break;
        }
      ns = ls;
    }

  /* On to a paragraph after it that was equal, whole (in the offsets the
   * spans have: before the growth). */
  /* Past the line the edit ends in, even when the edit ends in a line
   * break: a break typed in makes a line start the spans never had. */
  ne = line_end_after (edited, self->diff_dirty_end);
  while (TRUE)
    {
      guint le;

      if (ne >= n_new)
        {
          ne = n_new;
          ne_prev = prev_end;
          oe = n_old;
          break;
        }
      le = line_end_after (edited, ne);
      if ((gint64) ne - delta >= 0)
        {
          guint ne_p = (guint) ((gint64) ne - delta);
          guint le_p = (guint) ((gint64) le - delta);

          if (le - ne >= 2 && ne_p > 0 && (end_span = equal_span_over (spans, ne_p - 1, le_p)) >= 0)
            {
              const DeskDiffSpan *span = &g_array_index (spans, DeskDiffSpan, end_span);

              ne_prev = ne_p;
              oe = span->old_start + (ne_p - span->new_start);
              break;
            }
        }
      ne = le;
    }

  if (ns > ne || os > oe || (start_span >= 0 && end_span >= 0 && end_span < start_span))
    return FALSE;
  /* A part of half the copy is no cheaper than the whole.  And a long
   * part, many paragraphs changed around the edit, is better compared
   * as the full diff does: its paragraphs may be matched differently
   * there (repeated paragraphs, such as empty ones, are ties that the
   * whole text breaks its own way). */
  if ((guint64) (ne - ns) + (oe - os) > ((guint64) n_new + n_old) / 2
      || (ne - ns) + (oe - os) > MAX_PART_CHARS)
    return FALSE;

  old_part = buffer_slice (original, os, oe);
  new_part = buffer_slice (edited, ns, ne);
  part_spans = desk_diff_words (old_part, new_part);

  /* Spans before the part, the part's, and those after it, shifted. */
  result = g_array_sized_new (FALSE, FALSE, sizeof (DeskDiffSpan), spans->len + part_spans->len);
  if (start_span >= 0)
    {
      DeskDiffSpan cut = g_array_index (spans, DeskDiffSpan, start_span);

      g_array_append_vals (result, spans->data, (guint) start_span);
      cut.old_end = os;
      cut.new_end = ns;
      /* It ends with the anchor paragraph's line break. */
      cut.inside_paragraph = FALSE;
      append_span (result, &cut);
    }
  for (guint i = 0; i < part_spans->len; i++)
    {
      DeskDiffSpan span = g_array_index (part_spans, DeskDiffSpan, i);

      span.old_start += os;
      span.old_end += os;
      span.new_start += ns;
      span.new_end += ns;
      append_span (result, &span);
    }
  if (end_span >= 0)
    {
      DeskDiffSpan cut = g_array_index (spans, DeskDiffSpan, end_span);

      cut.old_start = oe;
      cut.new_start = ne_prev;
      if (!cut.inside_paragraph)
        {
          /* Its text now starts with the anchor paragraph: a break in it
           * is one in the span, unless the anchor is the last line. */
          g_autofree char *rest = NULL;
          guint anchor_end = line_end_after (edited, ne);

          if (anchor_end < n_new)
            cut.inside_paragraph = FALSE;
          else
            {
              rest = buffer_slice (edited, ne, anchor_end);
              cut.inside_paragraph = !has_paragraph_break (rest);
            }
        }
      for (guint i = (guint) end_span; i < spans->len; i++)
        {
          DeskDiffSpan span = i == (guint) end_span ? cut : g_array_index (spans, DeskDiffSpan, i);

          span.new_start = (guint) ((gint64) span.new_start + delta);
          span.new_end = (guint) ((gint64) span.new_end + delta);
          append_span (result, &span);
        }
    }

  /* The highlights inside the part, again. */
  {
    GtkTextIter a, b;

    gtk_text_buffer_get_iter_at_offset (original, &a, (int) os);
    gtk_text_buffer_get_iter_at_offset (original, &b, (int) oe);
    gtk_text_buffer_remove_tag (original, self->removed_tag, &a, &b);
    gtk_text_buffer_get_iter_at_offset (edited, &a, (int) ns);
    gtk_text_buffer_get_iter_at_offset (edited, &b, (int) ne);
    gtk_text_buffer_remove_tag (edited, self->added_tag, &a, &b);
  }
  for (guint i = 0; i < part_spans->len; i++)
    {
      const DeskDiffSpan *span = &g_array_index (part_spans, DeskDiffSpan, i);

      if (span->op == DESK_DIFF_DELETE)
        _desk_review_view_tag_range (original, self->removed_tag, os + span->old_start, os + span->old_end);
      else if (span->op == DESK_DIFF_INSERT)
        _desk_review_view_tag_range (edited, self->added_tag, ns + span->new_start, ns + span->new_end);
    }

  g_array_unref (self->spans);
  self->spans = result;
  g_clear_pointer (&self->chunks, g_array_unref);
  self->chunks = desk_diff_chunks (self->spans);

  self->diff_dirty = FALSE;
  self->diff_dirty_start = self->diff_dirty_end = 0;
  self->diff_delta = 0;
  return TRUE;
}

/* ---- furniture and counters, once the editor pauses ---------------------- */

typedef struct
{
  DeskDetector *detector;
  char         *headline;
  char         *text;
  char         *language;
  guint64       serial;
  GArray       *furniture;   /* guint pairs: start, end */
  guint         words;
  guint         chars;
} MarksWork;

static void
marks_work_free (gpointer data)
{
  MarksWork *work = data;

  g_clear_object (&work->detector);
  g_free (work->headline);
  g_free (work->text);
  g_free (work->language);
  g_clear_pointer (&work->furniture, g_array_unref);
  g_free (work);
}

static void
marks_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  MarksWork *work = task_data;
  g_autoptr(DeskCheck) check = NULL;

  work->furniture = g_array_new (FALSE, FALSE, sizeof (guint));
  if (work->detector != NULL)
    {
      check = desk_check_copy (work->detector, work->headline, work->text, work->language);
      for (guint i = 0; i < check->problems->len; i++)
        {
          const DeskCheckProblem *problem = g_ptr_array_index (check->problems, i);

          if (problem->kind != DESK_CHECK_FURNITURE)
            continue;
          g_array_append_val (work->furniture, problem->start);
          g_array_append_val (work->furniture, problem->end);
        }
    }
  if (!g_cancellable_is_cancelled (cancellable))
    desk_text_count (work->text, &work->words, &work->chars);
  g_task_return_boolean (task, TRUE);
}

static void
marks_done (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  DeskReviewView *self = DESK_REVIEW_VIEW (source);
  MarksWork *work = g_task_get_task_data (G_TASK (result));
  GtkTextBuffer *edited;
  GtkTextIter start, end;

  GCancellable *cancellable = g_task_get_cancellable (G_TASK (result));

  if (!g_task_propagate_boolean (G_TASK (result), NULL) || g_cancellable_is_cancelled (cancellable))
    return;
  if (cancellable == self->marks_cancellable)
    g_clear_object (&self->marks_cancellable);
  /* Typed in meanwhile: the next pause brings the next pass. */
  if (work->serial != self->edit_serial)
    return;

  edited = GTK_TEXT_BUFFER (_desk_review_view_edited_buffer (self));
  gtk_text_buffer_get_bounds (edited, &start, &end);
  gtk_text_buffer_remove_tag (edited, self->furniture_tag, &start, &end);
  self->n_furniture = 0;
  for (guint i = 0; i + 1 < work->furniture->len; i += 2)
    {
      _desk_review_view_tag_range (edited, self->furniture_tag,
                                   g_array_index (work->furniture, guint, i),
                                   g_array_index (work->furniture, guint, i + 1));
      self->n_furniture++;
    }
  _desk_review_view_show_counts (self->edited_counts, work->words, work->chars);
}

static gboolean
marks_timeout (gpointer user_data)
{
  DeskReviewView *self = user_data;
  GtkTextBuffer *edited = GTK_TEXT_BUFFER (_desk_review_view_edited_buffer (self));
  g_autoptr(GTask) task = NULL;
  MarksWork *work;
  GtkTextIter start, end;

  self->marks_source = 0;
  if (self->release == NULL || self->store == NULL)
    return G_SOURCE_REMOVE;

  g_cancellable_cancel (self->marks_cancellable);
  g_clear_object (&self->marks_cancellable);
  self->marks_cancellable = g_cancellable_new ();

  work = g_new0 (MarksWork, 1);
  work->detector = g_object_ref (desk_store_get_detector (self->store));
  work->headline = desk_review_view_dup_headline (self);
  gtk_text_buffer_get_bounds (edited, &start, &end);
  work->text = gtk_text_buffer_get_text (edited, &start, &end, TRUE);
  work->language = g_strdup (desk_release_get_language (self->release));
  work->serial = self->edit_serial;

  task = g_task_new (self, self->marks_cancellable, marks_done, NULL);
  g_task_set_source_tag (task, marks_timeout);
  g_task_set_task_data (task, work, marks_work_free);
  g_task_run_in_thread (task, marks_thread);
  return G_SOURCE_REMOVE;
}

/* The furniture marks and counters follow the copy once the editor
 * pauses, worked out in a thread. */
void
_desk_review_diff_queue_marks (DeskReviewView *self)
{
  g_clear_handle_id (&self->marks_source, g_source_remove);
  self->marks_source = g_timeout_add (MARKS_DELAY_MS, marks_timeout, self);
}

/* Whether the furniture marks and counters are still to follow the copy
 * (tests wait for them). */
gboolean
desk_review_view_is_marking (DeskReviewView *self)
{
  g_return_val_if_fail (DESK_IS_REVIEW_VIEW (self), FALSE);

  return self->marks_source != 0 || self->marks_cancellable != NULL;
}

void
_desk_review_diff_dispose (DeskReviewView *self)
{
  g_clear_handle_id (&self->marks_source, g_source_remove);
  g_cancellable_cancel (self->marks_cancellable);
  g_clear_object (&self->marks_cancellable);
}
