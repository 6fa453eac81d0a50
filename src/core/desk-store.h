/* desk-store.h — the SQLite store of releases, revisions and events
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "desk-detector.h"
#include "desk-parser.h"
#include "desk-release.h"
#include "desk-workflow.h"
#include "desk-db-locks.h"

G_BEGIN_DECLS

#define DESK_STORE_SCHEMA_VERSION 15

#define DESK_TYPE_STORE (desk_store_get_type ())

G_DECLARE_FINAL_TYPE (DeskStore, desk_store, DESK, STORE, GObject)

/* Where a release came from. */
typedef struct {
  const char *source;       /* the wire or feed; NULL: the parsed credit */
  const char *source_uid;   /* the sender's own id, if it has one */
  const char *source_path;  /* the file it was read from */
  gint64      received_at;  /* µs since the epoch; 0: now */
  const char *kind;         /* a DESK_SOURCE_KIND_* (desk-source.h); NULL: a file */
  const char *name;         /* which feed, mailbox or folder; or NULL */
  /* What a wire item (ninjs, NewsML-G2) or e-mail states of itself. */
  int         urgency;      /* 1 (most urgent) to 9; 0: not stated */
  const char *copyright;    /* or NULL */
  GDateTime  *embargo;      /* or NULL */
} DeskSource;

/* Which releases a list shows. */
typedef struct {
  int         status;       /* a DeskStatus, or -1 for all */
  const char *search;       /* what the editor typed, or NULL */
  guint       offset;
  guint       limit;        /* 0: no limit */
  gboolean    sponsored_only; /* the Sponsored queue */
} DeskQuery;

#define DESK_QUERY_INIT { -1, NULL, 0, 0, FALSE }

char        *desk_store_dup_default_path    (void);

DeskStore   *desk_store_open                (const char         *path,
                                             GError            **error);
DeskStore   *desk_store_open_at_version     (const char         *path,
                                             int                 version,
                                             GError            **error);
const char  *desk_store_get_path            (DeskStore          *self);
void         desk_store_set_cache_size      (DeskStore          *self,
                                             guint               kib);
int          desk_store_get_schema_version  (DeskStore          *self);

gboolean     desk_store_begin_batch         (DeskStore          *self,
                                             GError            **error);
gboolean     desk_store_commit_batch        (DeskStore          *self,
                                             GError            **error);

gint64       desk_store_add_release         (DeskStore          *self,
                                             const DeskParsedRelease *parsed,
                                             const DeskSource   *source,
                                             const char         *actor,
                                             gint64             *out_existing_id,
                                             GError            **error);
DeskRelease *desk_store_get_release         (DeskStore          *self,
                                             gint64              id,
                                             GError            **error);
GPtrArray   *desk_store_list_releases       (DeskStore          *self,
                                             const DeskQuery    *query,
                                             GError            **error);
/* Called with each release desk_store_list_releases() would return, in the
 * same order, as it is read, as a summary valid during the call only and
 * with no DeskRelease made for it: the whole queue costs the memory of one
 * row.  FALSE from @func stops early (and is no error). */
typedef gboolean (*DeskSummaryFunc) (const DeskReleaseSummary *summary,
                                     gpointer                  user_data);
gboolean     desk_store_foreach_summary     (DeskStore          *self,
                                             const DeskQuery    *query,
                                             DeskSummaryFunc     func,
                                             gpointer            user_data,
                                             GError            **error);
gint64       desk_store_count_releases      (DeskStore          *self,
                                             const DeskQuery    *query,
                                             GError            **error);
gboolean     desk_store_count_by_status     (DeskStore          *self,
                                             gint64              counts[DESK_N_STATUSES],
                                             GError            **error);

gboolean     desk_store_save_revision       (DeskStore          *self,
                                             gint64              release_id,
                                             const char         *headline,
                                             const char         *text,
                                             const char         *author,
                                             gint64             *out_revision_id,
                                             GError            **error);
GPtrArray   *desk_store_list_revisions      (DeskStore          *self,
                                             gint64              release_id,
                                             GError            **error);
DeskRevision *desk_store_get_revision       (DeskStore          *self,
                                             gint64              revision_id,
                                             GError            **error);

gboolean     desk_store_set_status          (DeskStore          *self,
                                             gint64              release_id,
                                             DeskStatus          to,
                                             const char         *actor,
                                             const char         *note,
                                             GError            **error);
/* The event that records an editor going past the pre-publish check. */
#define DESK_EVENT_CHECK_OVERRIDDEN "check-overridden"

gboolean     desk_store_set_status_overriding (DeskStore        *self,
                                             gint64              release_id,
                                             DeskStatus          to,
                                             const char         *actor,
                                             const char         *note,
                                             const char         *override_reason,
                                             GError            **error);
gboolean     desk_store_record_check_override (DeskStore        *self,
                                             gint64              release_id,
                                             const char         *actor,
                                             const char         *reason,
                                             GError            **error);
gboolean     desk_store_get_check_override (DeskStore          *self,
                                             gint64              release_id,
                                             char              **out_reason,
                                             GError            **error);
gboolean     desk_store_undo_last_move      (DeskStore          *self,
                                             gint64              release_id,
                                             const char         *actor,
                                             GError            **error);
GPtrArray   *desk_store_list_events         (DeskStore          *self,
                                             gint64              release_id,
                                             GError            **error);
gint64       desk_store_get_approved_at     (DeskStore          *self,
                                             gint64              release_id,
                                             GError            **error);

/* Sponsored and third-party content. */
DeskDetector *desk_store_get_detector       (DeskStore          *self);
void         desk_store_set_detector        (DeskStore          *self,
                                             DeskDetector       *detector);
gint64       desk_store_add_detected_release (DeskStore         *self,
                                             const DeskParsedRelease *parsed,
                                             const DeskDetection *detection,
                                             const DeskSource   *source,
                                             const char         *actor,
                                             gint64             *out_existing_id,
                                             GError            **error);
GPtrArray   *desk_store_list_findings       (DeskStore          *self,
                                             gint64              release_id,
                                             GError            **error);
guint        desk_finding_get_seen_in       (const DeskFinding  *finding);
DeskDetection *desk_store_get_detection     (DeskStore          *self,
                                             gint64              release_id,
                                             GError            **error);
gint64       desk_store_count_stale         (DeskStore          *self,
                                             GError            **error);
int          desk_store_redetect_stale      (DeskStore          *self,
                                             guint               max,
                                             GCancellable       *cancellable,
                                             GError            **error);
gboolean     desk_store_mark_all_stale      (DeskStore          *self,
                                             GError            **error);
gboolean     desk_store_redetect_release    (DeskStore          *self,
                                             gint64              release_id,
                                             GError            **error);
gboolean     desk_store_set_sponsor_decision (DeskStore         *self,
                                             gint64              release_id,
                                             DeskSponsorDecision decision,
                                             const char         *reason,
                                             const char         *actor,
                                             GError            **error);
gboolean     desk_store_clean_up_release    (DeskStore          *self,
                                             gint64              release_id,
                                             const char         *author,
                                             gint64             *out_revision_id,
                                             GError            **error);

/* Following other processes, and a copy of the desk while it is in use
 * (desk-store-backup.c). */
typedef void (*DeskBackupProgress) (guint    copied_pages,
                                    guint    total_pages,
                                    gpointer user_data);

gint64       desk_store_get_data_version    (DeskStore          *self);
gboolean     desk_store_backup              (DeskStore          *self,
                                             const char         *dest_path,
                                             DeskBackupProgress  progress,
                                             gpointer            progress_data,
                                             GCancellable       *cancellable,
                                             GError            **error);

/* Whether the store is a team desk on PostgreSQL (its path an address),
 * where what desk-store-team.c lists does not run yet. */
gboolean     desk_store_is_team_desk        (DeskStore          *self);
/* On a team desk, the server process of the store's own connection (what
 * a notification of its own writes names); 0 elsewhere or when there is
 * no connection now. */
int          desk_store_get_backend_pid     (DeskStore          *self);
/* Soft locks on a team desk (desk-db-locks.h), on the store's own
 * connection, the one its saves are made on, so that a save sees the
 * lock as its own.  On SQLite they succeed at once and nobody holds
 * anything (*@out_lock NULL).  They wait for the server, as the store's
 * other reads on a team desk do. */
gboolean     desk_store_lock_take           (DeskStore          *self,
                                             gint64              release_id,
                                             gboolean            take_over,
                                             DeskLock          **out_lock,
                                             GError            **error);
gboolean     desk_store_lock_get            (DeskStore          *self,
                                             gint64              release_id,
                                             DeskLock          **out_lock,
                                             GError            **error);
gboolean     desk_store_lock_release        (DeskStore          *self,
                                             gint64              release_id,
                                             GError            **error);
/* Who works on this desk: on a team desk the login role (session_user),
 * else desk_get_default_actor(). */
char        *desk_store_dup_actor           (DeskStore          *self,
                                             GError            **error);
/* Who is working: the editor name from settings, else the user's real name. */
char        *desk_get_default_actor         (void);

/* Spelling (desk-store-spelling.c): the desk's dictionary, and whether a
 * release's spelling is checked. */
gboolean     desk_store_add_dictionary_word   (DeskStore   *self,
                                               const char  *language,
                                               const char  *word,
                                               const char  *added_by,
                                               GError     **error);
GStrv        desk_store_list_dictionary_words (DeskStore   *self,
                                               const char  *language,
                                               GError     **error);
gboolean     desk_store_get_spelling_checked  (DeskStore   *self,
                                               gint64       release_id);
gboolean     desk_store_set_spelling_checked  (DeskStore   *self,
                                               gint64       release_id,
                                               gboolean     checked,
                                               GError     **error);

G_END_DECLS
