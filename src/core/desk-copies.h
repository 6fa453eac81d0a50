/* desk-copies.h — one story from several wires
 *
 * The same release arrives from two distributors, or is sent again with a
 * small change.  Each release's news text (without headline, credit and
 * end matter) is reduced to a MinHash signature of its five-word
 * shingles when it is stored; releases whose signatures agree on most
 * places are copies of one story and share a group.  The queues show a
 * group once, as one of its copies (the first received, or the one an
 * editor works on), with the number of copies and their sources; a
 * search finds every copy.  Approving one copy sets the others aside.
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "desk-store.h"

G_BEGIN_DECLS

#define DESK_COPY_HASHES 64

typedef struct {
  gint64      id;
  char       *headline;
  char       *source;
  DeskStatus  status;
  gint64      received_at;
  gboolean    shown;        /* it stands for the story in the queues */
} DeskCopy;

void       desk_copy_free                (DeskCopy      *copy);

/* The signature of @parsed's news text; FALSE when it has too few words
 * to have one. */
gboolean   desk_copies_signature         (const DeskParsedRelease *parsed,
                                          guint32        signature[DESK_COPY_HASHES]);
/* How alike two signatures are: the estimated Jaccard similarity, 0 to 1. */
double     desk_copies_similarity        (const guint32 *a,
                                          const guint32 *b);

/* Every release of @release_id's group (itself included), oldest first;
 * one element when it has no copies. */
/* The group a new release joins, decided once for both desks: its
 * signature and band keys; then, for each release the look-up
 * (desk_copy_finder_look_sql(), bound to the keys, a NULL for a key
 * < 0) finds, until done, take it and, when taken, compare its stored
 * group and signature.  The group is the release's own id when no
 * copy is alike enough. */
#define DESK_COPY_BANDS 11
#define DESK_COPY_MAX_CANDIDATES 32

typedef struct {
  guint32  signature[DESK_COPY_HASHES];
  gint64   keys[DESK_COPY_BANDS];   /* < 0: a band none of whose places the text reached */
  gboolean any_band;
  gint64   candidates[DESK_COPY_MAX_CANDIDATES];
  guint    n_candidates;
  double   best;
  gint64   group;
} DeskCopyFinder;

/* The release that stands for group ?1 in the queues (its copy_of is
 * NULL), other than ?2: the one a new copy in the group is a copy of. */
#define DESK_COPY_SHOWN_SQL \
  "SELECT c.release_id FROM copy_signatures c JOIN releases r ON r.id = c.release_id" \
  " WHERE c.group_id = ?1 AND c.release_id != ?2 AND r.copy_of IS NULL LIMIT 1"

/* The copies of release ?1's story, itself among them, by id: id,
 * headline, source, status, received_at, and 1 for the one the queues
 * show; the same statement on both desks. */
#define DESK_COPIES_LIST_SQL \
  "SELECT r.id, r.headline, r.source, r.status, r.received_at, CASE WHEN r.copy_of IS NULL THEN 1 ELSE 0 END" \
  " FROM releases r" \
  " WHERE r.id = ?1 AND NOT EXISTS (SELECT 1 FROM copy_signatures WHERE release_id = ?1)" \
  " UNION ALL" \
  " SELECT r.id, r.headline, r.source, r.status, r.received_at, CASE WHEN r.copy_of IS NULL THEN 1 ELSE 0 END" \
  " FROM releases r JOIN copy_signatures c ON c.release_id = r.id" \
  " WHERE c.group_id = (SELECT group_id FROM copy_signatures WHERE release_id = ?1)" \
  " ORDER BY 1"

/* FALSE: the text says too little to be a copy; nothing to index. */
gboolean    desk_copy_finder_init     (DeskCopyFinder          *finder,
                                       gint64                   id,
                                       const DeskParsedRelease *parsed);
const char *desk_copy_finder_look_sql (void);
gboolean    desk_copy_finder_done     (const DeskCopyFinder    *finder);
/* FALSE: @candidate came before (from another band). */
gboolean    desk_copy_finder_take     (DeskCopyFinder          *finder,
                                       gint64                   candidate);
void        desk_copy_finder_compare  (DeskCopyFinder          *finder,
                                       gint64                   group,
                                       const guint32           *other);

GPtrArray *desk_store_list_copies        (DeskStore     *store,
                                          gint64         release_id,
                                          GError       **error);
/* The release that stands for @release_id's story in the queues (the
 * first received, or the copy an editor worked on): @release_id itself
 * when it has no copies or is that one; 0 on error. */
gint64     desk_store_get_story          (DeskStore     *store,
                                          gint64         release_id,
                                          GError       **error);
/* How many releases its group has (1: no copies); -1 on error. */
gint64     desk_store_count_copies       (DeskStore     *store,
                                          gint64         release_id,
                                          GError       **error);
/* Sets aside (rejects, with a "set-aside" event naming @kept_id) every
 * other copy of @kept_id that is still waiting for a decision.  Returns
 * how many were set aside, -1 on error. */
gint64     desk_store_set_aside_copies   (DeskStore     *store,
                                          gint64         kept_id,
                                          const char    *actor,
                                          GError       **error);

/* Puts back, each with an "undo" event, every copy of @kept_id that was
 * set aside after event @since_event (its approval) and has not moved
 * since: the undo of that approval.  Returns how many, -1 on error. */
gint64     desk_store_restore_set_aside_copies (DeskStore  *store,
                                                gint64      kept_id,
                                                gint64      since_event,
                                                const char *actor,
                                                GError    **error);

/* Undoes release @release_id's last move (desk_store_undo_last_move());
 * when that move was its approval, puts back the copies it set aside. */
gboolean   desk_undo_move                (DeskStore     *store,
                                          gint64         release_id,
                                          const char    *actor,
                                          GError       **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DeskCopy, desk_copy_free)

G_END_DECLS
