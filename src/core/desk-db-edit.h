/* desk-db-edit.h — the edited copy saved, cleaned up and the sponsor
 * decision recorded on a team desk
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "desk-db.h"
#include "desk-release.h"

G_BEGIN_DECLS

/* Saves @text (and @headline, or the current one if NULL) as a new
 * revision of release @release_id on a team desk, as
 * desk_store_save_revision() does on SQLite: nothing when neither
 * changed (*@out_number is 0), editing approved copy sends it back to
 * review, editing published copy starts a correction (a chief's only).
 *
 * The save is conditional on @base_number, the number of the revision
 * the edited copy was made from (0: the original): when another editor
 * saved a revision after it, nothing is written and the error is
 * DESK_ERROR_SAVED_MEANWHILE, naming who saved which revision and when.
 * The release's row is taken (SELECT … FOR UPDATE) before it is read,
 * so of two editors saving from one revision at once exactly one wins.
 * The author is the connection's session_user.  *@out_number is the new
 * revision's number. */
gboolean desk_db_save_revision          (DeskDb               *db,
                                         gint64                release_id,
                                         gint64                base_number,
                                         const char           *headline,
                                         const char           *text,
                                         gint64               *out_number,
                                         GError              **error);

/* The number of release @release_id's current revision (0: none yet). */
gboolean desk_db_get_current_revision   (DeskDb               *db,
                                         gint64                release_id,
                                         gint64               *out_number,
                                         GError              **error);

/* Saves a revision without the wire furniture, by desk_cleanup_text(),
 * with the sector names as tags and a "cleaned-up" event, in one
 * transaction, as desk_store_clean_up_release() does on SQLite (where
 * the boilerplate the issuer's earlier releases taught is removed too:
 * a team desk does not learn it yet).  *@out_number is 0 when there was
 * nothing to remove. */
gboolean desk_db_clean_up_release       (DeskDb               *db,
                                         gint64                release_id,
                                         gint64               *out_number,
                                         GError              **error);

/* Records the editor's decision on sponsored content, with its reason,
 * as desk_store_set_sponsor_decision() does on SQLite; the decider and
 * the event's actor are session_user. */
gboolean desk_db_set_sponsor_decision   (DeskDb               *db,
                                         gint64                release_id,
                                         DeskSponsorDecision   decision,
                                         const char           *reason,
                                         GError              **error);

G_END_DECLS
