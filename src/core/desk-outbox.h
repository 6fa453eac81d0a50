/* desk-outbox.h — publish targets and the outbox of publish jobs
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "desk-export.h"
#include "desk-store.h"

G_BEGIN_DECLS

typedef enum {
  DESK_TARGET_LOCAL_FOLDER,
  DESK_TARGET_WORDPRESS,
  DESK_TARGET_WEBHOOK,
} DeskTargetKind;

/* The default target, there from the start. */
#define DESK_DEFAULT_TARGET_NAME "local"

typedef struct {
  gint64          id;
  DeskTargetKind  kind;
  char           *name;
  JsonObject     *settings;   /* never a secret */
  gboolean        enabled;
  gboolean        removed;    /* kept for its history; not listed */
} DeskTarget;

typedef enum {
  DESK_JOB_PENDING,
  DESK_JOB_SENDING,   /* an attempt started: it may have reached the target */
  DESK_JOB_DONE,
  DESK_JOB_FAILED,
} DeskJobState;

typedef struct {
  gint64        id;
  gint64        release_id;
  gint64        target_id;
  gint64        revision_id;
  char         *target_name;
  char         *sha256;
  char         *slug;
  char         *idempotency_key;
  char         *payload;        /* the ninjs JSON, as queued */
  DeskJobState  state;
  guint         attempts;
  gint64        next_try_at;    /* µs since the epoch */
  char         *remote_id;
  char         *remote_url;
  char         *last_error;
  char         *actor;
  gint64        created_at;
  gint64        updated_at;
  char         *lease_owner;    /* the attempt holding a "sending" job, or NULL */
} DeskOutboxJob;

const char    *desk_target_kind_to_string   (DeskTargetKind  kind);
gboolean       desk_target_kind_from_string (const char     *name,
                                             DeskTargetKind *out_kind);
const char    *desk_job_state_to_string     (DeskJobState    state);
/* The state a stored name stands for; an unknown one is failed. */
DeskJobState   desk_job_state_from_string   (const char     *name);
/* The folder a local-folder @target writes to (its setting, else
 * $COPYDESK_PUBLISH_DIR, else Documents/Copydesk on this machine) and the
 * format it writes. */
char          *desk_target_dup_folder       (const DeskTarget *target,
                                             DeskExportFormat *out_format);
const char    *desk_target_get_setting      (const DeskTarget *target,
                                             const char     *name);
void           desk_target_free             (DeskTarget     *target);
void           desk_outbox_job_free         (DeskOutboxJob  *job);

char          *desk_target_settings_to_json (JsonObject     *settings);
gboolean       desk_target_store_secret     (const char       *desk_uuid,
                                             const DeskTarget *target,
                                             const char       *secret,
                                             gboolean         *out_session_only,
                                             GError          **error);
char          *desk_target_apply_changes    (DeskTarget     *target,
                                             const char     *new_name,
                                             JsonObject     *changes,
                                             GError        **error);
gboolean       desk_target_check            (DeskTargetKind  kind,
                                             const char     *name,
                                             JsonObject     *settings,
                                             gboolean        needs_secret,
                                             const char     *secret,
                                             GError        **error);

gint64         desk_store_add_target        (DeskStore      *store,
                                             DeskTargetKind  kind,
                                             const char     *name,
                                             JsonObject     *settings,
                                             GError        **error);
gboolean       desk_store_remove_target     (DeskStore      *store,
                                             gint64          target_id,
                                             GError        **error);
gboolean       desk_store_edit_target       (DeskStore      *store,
                                             gint64          target_id,
                                             const char     *new_name,
                                             JsonObject     *changes,
                                             GError        **error);
GPtrArray     *desk_store_list_targets      (DeskStore      *store,
                                             GError        **error);
DeskTarget    *desk_store_get_target        (DeskStore      *store,
                                             gint64          target_id,
                                             GError        **error);
DeskTarget    *desk_store_find_target       (DeskStore      *store,
                                             const char     *name,
                                             GError        **error);

gint64         desk_store_publish           (DeskStore      *store,
                                             gint64          release_id,
                                             gint64          target_id,
                                             const char     *actor,
                                             GError        **error);
GPtrArray     *desk_store_list_jobs         (DeskStore      *store,
                                             gint64          release_id,
                                             GError        **error);
DeskOutboxJob *desk_store_get_job           (DeskStore      *store,
                                             gint64          job_id,
                                             GError        **error);
GArray        *desk_store_list_due_jobs     (DeskStore      *store,
                                             gint64          now,
                                             guint           limit,
                                             GError        **error);
gint64         desk_store_get_next_try_at   (DeskStore      *store,
                                             GError        **error);
gboolean       desk_store_retry_job         (DeskStore      *store,
                                             gint64          job_id,
                                             GError        **error);
char          *desk_store_dup_remote_id     (DeskStore      *store,
                                             gint64          release_id,
                                             gint64          target_id,
                                             char          **out_url);
char          *desk_store_dup_approved_sha256 (DeskStore    *store,
                                               gint64        release_id,
                                               GError      **error);

DeskOutboxJob *desk_store_get_next_waiting  (DeskStore      *store,
                                             GError        **error);

/* Secrets, in the Secret Service, keyed by this store, the target and
 * its kind (see desk-secrets.h). */
char          *desk_store_dup_uuid          (DeskStore      *store,
                                             GError        **error);
gboolean       desk_store_set_target_secret (DeskStore      *store,
                                             const DeskTarget *target,
                                             const char     *secret,
                                             gboolean       *out_session_only,
                                             GError        **error);
char          *desk_store_dup_target_secret (DeskStore      *store,
                                             const DeskTarget *target,
                                             GError        **error);
void           desk_store_clear_target_secret (DeskStore    *store,
                                             const DeskTarget *target);

/* For the publisher.  An attempt holds its job by a lease: @lease_owner
 * is its token, and every later write names it. */
gboolean       desk_store_job_begin_attempt (DeskStore      *store,
                                             gint64          job_id,
                                             const char     *lease_owner,
                                             gint64          lease_until,
                                             gboolean       *out_may_have_reached,
                                             GError        **error);
gboolean       desk_store_job_renew_lease   (DeskStore      *store,
                                             gint64          job_id,
                                             const char     *lease_owner,
                                             gint64          lease_until,
                                             GError        **error);
gboolean       desk_store_job_record_remote (DeskStore      *store,
                                             gint64          job_id,
                                             const char     *remote_id,
                                             const char     *remote_url,
                                             GError        **error);
gboolean       desk_store_job_retry_later   (DeskStore      *store,
                                             gint64          job_id,
                                             const char     *lease_owner,
                                             gint64          next_try_at,
                                             const char     *message,
                                             GError        **error);
gboolean       desk_store_job_fail          (DeskStore      *store,
                                             gint64          job_id,
                                             const char     *lease_owner,
                                             const char     *message,
                                             GError        **error);
gboolean       desk_store_job_complete      (DeskStore      *store,
                                             gint64          job_id,
                                             const char     *lease_owner,
                                             const char     *remote_id,
                                             const char     *remote_url,
                                             GError        **error);

/* Many jobs at a time (desk_store_job_claim_due(),
 * desk_store_jobs_settle()). */
typedef struct {
  gint64        job_id;
  gboolean      may_have_reached;
} DeskJobClaim;

typedef struct {
  gint64        job_id;
  const char   *lease_owner;
  DeskJobState  state;        /* done, failed, or pending: tried again at next_try_at */
  const char   *remote_id;    /* done */
  const char   *remote_url;
  gint64        next_try_at;  /* pending */
  const char   *message;      /* failed or pending; stored redacted */
  GError       *error;        /* set when this result was not recorded */
} DeskJobResult;

GArray        *desk_store_job_claim_due     (DeskStore      *store,
                                             guint           limit,
                                             const char     *lease_owner,
                                             gint64          lease_until,
                                             GError        **error);
gboolean       desk_store_jobs_settle       (DeskStore      *store,
                                             DeskJobResult  *results,
                                             guint           n_results,
                                             GError        **error);
gboolean       desk_store_jobs_settle_and_claim (DeskStore  *store,
                                             DeskJobResult  *results,
                                             guint           n_results,
                                             guint           limit,
                                             const char     *lease_owner,
                                             gint64          lease_until,
                                             GArray        **out_claims,
                                             GError        **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DeskTarget, desk_target_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DeskOutboxJob, desk_outbox_job_free)

G_END_DECLS
