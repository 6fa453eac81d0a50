/* desk-review-view.h — the original beside the edited copy
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtksourceview/gtksource.h>

#include "desk-store.h"

G_BEGIN_DECLS

#define DESK_TYPE_REVIEW_VIEW (desk_review_view_get_type ())

G_DECLARE_FINAL_TYPE (DeskReviewView, desk_review_view, DESK, REVIEW_VIEW, GtkWidget)

/* How long the editor may pause before the copy is saved. */
#define DESK_AUTOSAVE_DELAY_MS 800

void             desk_review_view_set_store           (DeskReviewView *self,
                                                       DeskStore      *store);
gboolean         desk_review_view_load                (DeskReviewView *self,
                                                       gint64          release_id,
                                                       GError        **error);
void             desk_review_view_keep_place          (DeskReviewView *self);
gint64           desk_review_view_get_release_id      (DeskReviewView *self);
DeskRelease     *desk_review_view_get_release         (DeskReviewView *self);
DeskDetection   *desk_review_view_get_detection       (DeskReviewView *self);
gboolean         desk_review_view_save                (DeskReviewView *self,
                                                       GError        **error);
gboolean         desk_review_view_has_unsaved_changes (DeskReviewView *self);
void             desk_review_view_set_read_only       (DeskReviewView *self,
                                                       gboolean        read_only);
gboolean         desk_review_view_get_read_only       (DeskReviewView *self);
void             desk_review_view_update_diff         (DeskReviewView *self);
void             desk_review_view_flush_diff          (DeskReviewView *self);
GArray          *desk_review_view_get_spans           (DeskReviewView *self);
gboolean         desk_review_view_is_marking          (DeskReviewView *self);
gboolean         desk_review_view_next_change         (DeskReviewView *self,
                                                       int             direction);
guint            desk_review_view_get_n_changes       (DeskReviewView *self);
guint            desk_review_view_get_n_furniture     (DeskReviewView *self);
void             desk_review_view_focus_edited        (DeskReviewView *self);
void             desk_review_view_reveal_original     (DeskReviewView *self,
                                                       guint           start,
                                                       guint           end);

/* Comparing, change by change (desk-review-compare.c). */
guint            desk_review_view_get_current_change  (DeskReviewView *self);
const char      *desk_review_view_get_change_text     (DeskReviewView *self);
GArray          *desk_review_view_get_gaps            (DeskReviewView *self,
                                                       gboolean        in_original);

/* Spelling (desk-review-spelling.c). */
gboolean         desk_review_view_get_check_spelling  (DeskReviewView *self);
void             desk_review_view_set_check_spelling  (DeskReviewView *self,
                                                       gboolean        check);
guint            desk_review_view_check_spelling_now  (DeskReviewView *self);
GMenuModel      *desk_review_view_get_spelling_menu   (DeskReviewView *self);
void             desk_review_view_prepare_spelling_menu (DeskReviewView *self);

GtkSourceBuffer *desk_review_view_get_original_buffer (DeskReviewView *self);
GtkSourceBuffer *desk_review_view_get_edited_buffer   (DeskReviewView *self);
GtkTextBuffer   *desk_review_view_get_headline_buffer (DeskReviewView *self);
char            *desk_review_view_dup_headline        (DeskReviewView *self);

void             desk_copy_scheme_apply               (GtkSourceBuffer *buffer,
                                                       GtkTextTag      *removed,
                                                       GtkTextTag      *added,
                                                       GtkTextTag      *end_matter);

G_END_DECLS
