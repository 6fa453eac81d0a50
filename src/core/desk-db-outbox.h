/* desk-db-outbox.h — publishing on a team desk: the outbox on PostgreSQL,
 * taken with FOR UPDATE SKIP LOCKED
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "desk-db.h"
#include "desk-export.h"
#include "desk-outbox.h"

G_BEGIN_DECLS

/* Queues release @release_id for the target named @target_name on a
 * team desk, as desk_publish_release() does on a SQLite desk: only a
 * chief may (said in words before anything else runs, and enforced by
 * the server's grants), only approved copy, exactly as approved, past
 * the pre-publish check (@override_reason past its furniture).  Copy
 * already waiting for that target gives the waiting job.  Webhooks and
 * the local folder publish from a team desk; WordPress does not yet.
 * Returns the job's id, or 0 with @error set. */
gint64         desk_db_queue_release (DeskDb       *db,
                                      gint64        release_id,
                                      const char   *target_name,
                                      const char   *override_reason,
                                      GError      **error);

/* Sends the team desk's due jobs until none is left waiting: each taken
 * with SELECT … FOR UPDATE SKIP LOCKED in a transaction held while it is
 * sent, so that any number of publishers on any number of machines never
 * send one job at once, and a publisher that dies (kill -9 included)
 * gives its job back whole.  @timeout: seconds for each answer (0: the
 * publisher's default).  Secrets come from this machine's Secret
 * Service.  FALSE only when the desk itself failed or the role may not
 * publish; a job that fails is recorded as failed. */
gboolean       desk_db_run_outbox    (DeskDb       *db,
                                      guint         timeout,
                                      GError      **error);

DeskOutboxJob *desk_db_get_job       (DeskDb       *db,
                                      gint64        job_id,
                                      GError      **error);
/* Every job, oldest first, as desk_store_list_jobs (store, 0, …). */
GPtrArray     *desk_db_list_jobs     (DeskDb       *db,
                                      GError      **error);

/* The approved copy of @release_id, exactly as approved, read from the
 * team desk and checked as desk_approved_copy_load() checks it on a
 * SQLite desk: what the publisher sends and export writes. */
DeskApprovedCopy *desk_db_load_approved_copy (DeskDb   *db,
                                              gint64    release_id,
                                              GError  **error);

G_END_DECLS
