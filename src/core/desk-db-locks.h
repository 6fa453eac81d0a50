/* desk-db-locks.h — soft locks on a team desk: who is editing a release
 *
 * Opening a release for editing takes its lock; others see who holds it
 * and since when, and their copy is read-only until they take it over.
 * A lock belongs to the DeskDb's connection: it is held while that
 * connection lives, and freed by the server when it dies (a session
 * advisory lock; kill -9 included), so keep one DeskDb open for as long
 * as the release is edited.  Every change of a lock (taken, taken over,
 * released) is a NOTIFY on DESK_DB_LOCK_CHANNEL whose payload is the
 * release id: a window LISTENs there (desk_pg_listen_async()) and asks
 * desk_db_lock_get() again.  A lock freed by a connection that died is
 * not told: a window learns it when it asks.
 *
 * On a SQLite desk (one editor per machine) there are no locks: taking,
 * checking and releasing succeed at once and nobody holds anything.
 *
 * Every function waits for the server: call it from the CLI or a worker
 * thread (desk_worker_run()), never from the window's main loop; the
 * DeskDb is not to be used by two threads at once.
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "desk-db.h"

G_BEGIN_DECLS

#define DESK_DB_LOCK_CHANNEL "copydesk_lock"

typedef struct {
  gint64    release_id;
  char     *holder;      /* the holder's login role */
  gint64    since;       /* µs since the epoch, by the server's clock */
  gboolean  mine;        /* held by this DeskDb's connection */
  char     *headline;    /* the release's, in desk_db_lock_list() only */
} DeskLock;

void       desk_lock_free          (DeskLock     *lock);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DeskLock, desk_lock_free)

/* Takes release @release_id's lock for this connection (again, if it
 * holds it: nothing changes).  When another connection holds it, fails
 * with DESK_ERROR_LOCKED naming the holder and since when, unless
 * @take_over: then the lock is this connection's, and the old holder's
 * next save is refused.  *@out_lock (may be NULL) is the lock as it is
 * after the call, held by us or by the other; NULL on SQLite. */
gboolean   desk_db_lock_take       (DeskDb       *db,
                                    gint64        release_id,
                                    gboolean      take_over,
                                    DeskLock    **out_lock,
                                    GError      **error);

/* Who holds release @release_id's lock: *@out_lock is NULL when nobody
 * does (always on SQLite).  FALSE only when the server cannot be asked. */
gboolean   desk_db_lock_get        (DeskDb       *db,
                                    gint64        release_id,
                                    DeskLock    **out_lock,
                                    GError      **error);

/* Lets release @release_id's lock go, if this connection holds it;
 * nothing happens if not (a lock taken over from us included, whose
 * advisory lock is dropped too). */
gboolean   desk_db_lock_release    (DeskDb       *db,
                                    gint64        release_id,
                                    GError      **error);

/* Every lock held on the desk, with its release's headline, oldest
 * first (DeskLock, free with desk_lock_free()); empty on SQLite. */
GPtrArray *desk_db_lock_list       (DeskDb       *db,
                                    GError      **error);

/* For a save in the transaction under way: fails with DESK_ERROR_LOCKED
 * when another connection holds release @release_id's lock ("Budi took
 * over this release at 10:45" when it was ours), and keeps the lock's
 * row from changing until the transaction ends.  Succeeds when nobody
 * holds it, or we do; at once on SQLite. */
gboolean   desk_db_lock_check_save (DeskDb       *db,
                                    gint64        release_id,
                                    GError      **error);

/* "Sari is editing release #12 since 10:42" (the date too when not
 * today): for a read-only banner or a refusal. */
char      *desk_lock_describe      (const DeskLock *lock);
/* The time of @since as the messages say it: "10:42", or
 * "2026-12-07 10:42" when not today. */
char      *desk_lock_format_time   (gint64        since);

G_END_DECLS
