/* desk-review-view-private.h — what the review view's files share
 *
 * desk-review-view.c loads, diffs and saves; desk-review-scroll.c moves
 * between changes and scrolls the panes in step; desk-review-compare.c
 * walks the changes and takes them back or keeps them; desk-review-spelling.c
 * checks the edited copy's spelling.
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "desk-copy-view.h"
#include "desk-review-view.h"
#include "desk-spelling.h"

G_BEGIN_DECLS

typedef enum {
  DESK_COMPARE_DONE_NOTHING,
  DESK_COMPARE_DONE_TAKE_BACK,   /* undone by the edited buffer's undo */
  DESK_COMPARE_DONE_KEEP,        /* undone by forgetting the kept change */
} DeskCompareDone;

struct _DeskReviewView
{
  GtkWidget          parent_instance;

  DeskStore         *store;
  DeskRelease       *release;
  DeskDetection     *detection;   /* what the detector found in it */
  GArray            *spans;    /* DeskDiffSpan of original → edited, in buffer offsets */
  GArray            *chunks;   /* DeskDiffChunk, in buffer offsets */

  /* The bodies compared start here in each buffer: after the headline's
   * line, which the headline fields above the panes show instead. */
  guint              old_base;
  guint              new_base;

  guint              diff_source;
  guint              autosave_source;
  gboolean           loading;
  gboolean           dirty;
  gboolean           read_only;        /* another editor holds the release */
  gboolean           syncing_scroll;   /* both panes are being placed */
  GtkSourceView     *follower;         /* the pane following the other */
  guint              follow_source;

  AdwToastOverlay   *toast_overlay;
  GtkTextView       *headline;            /* wraps; see the headline fields */
  GtkTextView       *original_headline;
  GtkLabel          *headline_placeholder;
  GtkLabel          *original_headline_placeholder;
  gboolean           headline_composing;   /* an input method's text is unfinished */
  DeskCopyView      *original_view;
  DeskCopyView      *edited_view;
  GtkScrolledWindow *original_scroller;
  GtkScrolledWindow *edited_scroller;
  GtkLabel          *original_counts;
  GtkLabel          *edited_counts;
  GtkLabel          *save_state;
  GtkLabel          *change_label;
  GtkWidget         *original_map;
  GtkWidget         *edited_map;
  guint              maps_source;
  GtkLabel          *spelling_note;

  GtkTextTag        *removed_tag;
  GtkTextTag        *added_tag;
  GtkTextTag        *end_matter_tag;
  GtkTextTag        *furniture_tag;   /* in the edited copy: what would ship */
  GtkTextTag        *original_hidden_tag;   /* the headline's line */
  GtkTextTag        *edited_hidden_tag;
  GtkTextTag        *original_current_tag;  /* the change in hand */
  GtkTextTag        *edited_current_tag;
  GtkTextTag        *misspelled_tag;
  guint              n_furniture;

  /* Comparing: the change in hand (an index into chunks, or -1), the
   * changes the editor kept (their old and new words), and what the last
   * per-change action was, for Undo. */
  int                current_chunk;
  GHashTable        *kept;
  GPtrArray         *kept_order;
  gint64             kept_for_release;
  DeskCompareDone    last_done;
  AdwToast          *done_toast;
  gboolean           taking_back;

  /* Spelling: whether this release is checked, the checker for its
   * language (NULL when there is no dictionary), the checkers made so far
   * by language, and the word the context menu is about. */
  gboolean           check_spelling;
  DeskSpelling      *spelling;
  GHashTable        *spellers;
  guint              spelling_source;
  GMenu             *spelling_menu;
  GtkTextMark       *menu_word_start;
  GtkTextMark       *menu_word_end;

  /* Keeping the diff up to date as the editor types (desk-review-diff.c):
   * the part of the edited copy changed since the spans were made, in its
   * offsets now; how many characters the copy grew by since; whether only
   * a full diff will do; and the pass that marks furniture and counts. */
  gboolean           diff_dirty;
  guint              diff_dirty_start;
  guint              diff_dirty_end;
  gint64             diff_delta;
  gboolean           diff_needs_full;
  guint64            edit_serial;
  guint              marks_source;
  GCancellable      *marks_cancellable;

  /* Where the editor was, for the next load of the same release (see
   * desk_review_view_keep_place()). */
  gint64             kept_release_id;
  int                kept_cursor;
  double             kept_original_scroll;
  double             kept_edited_scroll;
  guint              place_source;
};

GtkSourceBuffer *_desk_review_view_original_buffer (DeskReviewView *self);
GtkSourceBuffer *_desk_review_view_edited_buffer   (DeskReviewView *self);
GtkTextBuffer   *_desk_review_view_headline_buffer (DeskReviewView *self);
void             _desk_review_view_tag_range       (GtkTextBuffer  *buffer,
                                                    GtkTextTag     *tag,
                                                    guint           start,
                                                    guint           end);
void             _desk_review_view_show_chunk      (DeskReviewView *self,
                                                    guint           index);
void             _desk_review_view_put_back_place  (DeskReviewView *self);
void             _desk_review_view_scroll_init     (DeskReviewView *self);

void             _desk_review_view_show_counts     (GtkLabel       *label,
                                                    guint           words,
                                                    guint           chars);

void     _desk_review_diff_init        (DeskReviewView *self);
gboolean _desk_review_diff_update      (DeskReviewView *self);
void     _desk_review_diff_reset       (DeskReviewView *self);
void     _desk_review_diff_queue_marks (DeskReviewView *self);
void     _desk_review_diff_dispose     (DeskReviewView *self);

void _desk_review_compare_class_init (GtkWidgetClass *widget_class);
void _desk_review_compare_init       (DeskReviewView *self);
void _desk_review_compare_load       (DeskReviewView *self);
void _desk_review_compare_update     (DeskReviewView *self);
void _desk_review_compare_scheme     (DeskReviewView *self,
                                      GtkSourceStyleScheme *scheme);
void _desk_review_compare_copy_changed (DeskReviewView *self);
void _desk_review_compare_dispose    (DeskReviewView *self);

void _desk_review_spelling_class_init (GtkWidgetClass *widget_class);
void _desk_review_spelling_init       (DeskReviewView *self);
void _desk_review_spelling_load       (DeskReviewView *self);
void _desk_review_spelling_queue      (DeskReviewView *self);
void _desk_review_spelling_dispose    (DeskReviewView *self);

G_END_DECLS
