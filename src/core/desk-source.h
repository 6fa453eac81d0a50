/* desk-source.h — where releases come from by themselves
 *
 * Each kind of source (the watched folder, a feed, an e-mail file or
 * mailbox, a ninjs or NewsML-G2 file) is one file behind this small
 * interface; adding a kind is adding a file.  A source does two things:
 *
 * - it turns what it reads into DeskSourceItems and hands each one to
 *   desk_source_ingest_item(), which is the importer's path (parse,
 *   language, detection, store, search) plus the source's columns: its
 *   kind, its name, the item's own id and its embargo.  That function is
 *   the one place that decides whether an item is new, seen before (by its
 *   own id, its link or its content) or an update of one seen before (a
 *   new revision of the same release, never a second release).  It stores
 *   the item and the record that it was seen in one transaction, so two
 *   processes ingesting the same item store it once, and a process killed
 *   in the middle leaves the item stored whole or not at all.
 *
 * - as a DeskIngestSource, it brings in what is new when polled
 *   (desk-ingest.c runs every source of a desk on one worker thread, for
 *   `copydesk-cli ingest --watch` and for the window alike).  A source
 *   that fails as a whole (a feed that does not answer, a folder that is
 *   gone) says so once, by returning FALSE with an error naming it.
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "desk-store.h"
#include "desk-db.h"

G_BEGIN_DECLS

/* The kinds, as stored in releases.source_kind. */
#define DESK_SOURCE_KIND_FILE   "file"    /* imported by an editor */
#define DESK_SOURCE_KIND_FOLDER "folder"  /* the watched inbox folder */
#define DESK_SOURCE_KIND_FEED   "feed"    /* RSS or Atom */
#define DESK_SOURCE_KIND_MAIL   "mail"    /* .eml, mbox, maildir, IMAP */
#define DESK_SOURCE_KIND_NINJS  "ninjs"
#define DESK_SOURCE_KIND_NEWSML "newsml"

/* One item as a source read it.  Only @kind, @source_name and @text are
 * required; the strings belong to the caller. */
typedef struct {
  const char *kind;          /* DESK_SOURCE_KIND_* */
  const char *source_name;   /* the feed's or mailbox's name, the folder */
  const char *uid;           /* the source's own id: guid, Message-ID, ninjs uri; or NULL */
  const char *link;          /* where the item lives on the web, or NULL */
  const char *headline;      /* NULL: the parser finds it in @text */
  const char *text;          /* the release as plain UTF-8 text */
  const char *author;        /* the sender or author, or NULL */
  const char *path;          /* the file it was read from, or NULL */
  gint64      published_at;  /* µs since the epoch; 0: now */
  GDateTime  *embargo;       /* the embargo the source states (ninjs, NewsML-G2
                              * `embargoed`), with its zone; NULL: the text is
                              * read for one ("EMBARGOED UNTIL …") */
} DeskSourceItem;

typedef enum {
  DESK_INGEST_NEW,       /* a new release */
  DESK_INGEST_SEEN,      /* seen before: nothing stored */
  DESK_INGEST_UPDATED,   /* a new revision of the release seen before */
} DeskIngestOutcome;

gint64   desk_source_ingest_item (DeskStore            *store,
                                  const DeskSourceItem *item,
                                  const char           *actor,
                                  DeskIngestOutcome    *out_outcome,
                                  GError              **error);

/* Many items of one source in one transaction (a feed of 10,000 items):
 * all stored with their seen-records, or, if one fails, each on its own.
 * @out_ids and @out_outcomes have @n_items places; an item that failed
 * has id 0 and its error in @out_errors (a GPtrArray of GError or NULL,
 * @n_items long).  Returns how many failed. */
guint    desk_source_ingest_items (DeskStore            *store,
                                   const DeskSourceItem *items,
                                   guint                 n_items,
                                   const char           *actor,
                                   gint64               *out_ids,
                                   DeskIngestOutcome    *out_outcomes,
                                   GPtrArray            *out_errors);

/* Reads an embargo written in the top of a release ("EMBARGOED UNTIL
 * 10:00 WIB 5 March 2026", "Sperrfrist: 5. März 2026, 10:00 Uhr MEZ",
 * "HOLD FOR RELEASE UNTIL …"); a time without a zone is in @default_zone.
 * "HOLD FOR RELEASE" without a time holds it until an editor lifts the
 * hold: *@out_hold.  @out_zone_name: the zone as written. */
gboolean   desk_source_may_find_embargo (const char *text);
GDateTime *desk_source_find_embargo (const char   *text,
                                     GTimeZone    *default_zone,
                                     char        **out_zone_name,
                                     gboolean     *out_hold);

/* The embargo of a release: the time (with the zone it was stated in)
 * before which it may not be published.  NULL clears it. */
gboolean desk_source_set_embargo (DeskStore            *store,
                                  gint64                release_id,
                                  GDateTime            *embargo,
                                  const char           *zone_name,
                                  GError              **error);
/* Held until an editor lifts it: no time at all. */
gboolean desk_source_set_hold    (DeskStore            *store,
                                  gint64                release_id,
                                  GError              **error);
/* FALSE with no error: no embargo.  *@out_embargo NULL with TRUE: a hold. */
gboolean desk_source_get_embargo (DeskStore            *store,
                                  gint64                release_id,
                                  GDateTime           **out_embargo,
                                  char                **out_zone_name,
                                  GError              **error);
/* When a release may be published, µs since the epoch: 0 if it may now,
 * G_MAXINT64 if it is held. */
gint64   desk_source_embargo_lifts_at (DeskStore       *store,
                                       gint64           release_id);

/* "Embargoed until 10:00 WIB, 5 Mar" while the embargo holds, "Held for
 * release" while held; NULL when it may be published. */
char    *desk_source_describe_embargo (DeskStore       *store,
                                       gint64           release_id);

/* What one poll of a source brought in. */
typedef struct {
  guint new_items;
  guint seen_items;
  guint updated_items;
  guint failed_items;   /* items that could not be read: the source goes on */
} DeskIngestCounts;

#define DESK_TYPE_INGEST_SOURCE (desk_ingest_source_get_type ())

G_DECLARE_INTERFACE (DeskIngestSource, desk_ingest_source, DESK, INGEST_SOURCE, GObject)

struct _DeskIngestSourceInterface
{
  GTypeInterface parent_iface;

  /* What an editor calls it in a message: "feed “Antara”", "folder ~/Inbox". */
  char     *(*dup_label) (DeskIngestSource  *self);

  /* Brings in everything new, each item through desk_source_ingest_item().
   * Runs on a worker thread with a store of its own; stops between items
   * once @cancellable is cancelled.  FALSE with @error: the source as a
   * whole failed, and @error says which and why. */
  gboolean  (*poll)      (DeskIngestSource  *self,
                          DeskStore         *store,
                          DeskIngestCounts  *counts,
                          GCancellable      *cancellable,
                          GError           **error);

  /* The same on a team desk (@db, on PostgreSQL); NULL: the source
   * does not run there yet. */
  gboolean  (*poll_db)   (DeskIngestSource  *self,
                          DeskDb            *db,
                          DeskIngestCounts  *counts,
                          GCancellable      *cancellable,
                          GError           **error);

  /* Seconds until the next poll (a feed's interval and backoff); 0: only
   * when the source emits ::wake (a folder monitor saw a file close). */
  guint     (*get_interval) (DeskIngestSource *self);
};

char     *desk_ingest_source_dup_label    (DeskIngestSource  *self);
gboolean  desk_ingest_source_poll         (DeskIngestSource  *self,
                                           DeskStore         *store,
                                           DeskIngestCounts  *counts,
                                           GCancellable      *cancellable,
                                           GError           **error);
/* Whether @self runs on a team desk, and its poll there. */
gboolean  desk_ingest_source_runs_on_db   (DeskIngestSource  *self);
gboolean  desk_ingest_source_poll_db      (DeskIngestSource  *self,
                                           DeskDb            *db,
                                           DeskIngestCounts  *counts,
                                           GCancellable      *cancellable,
                                           GError           **error);
guint     desk_ingest_source_get_interval (DeskIngestSource  *self);
/* Asks the service to poll @self soon (emits ::wake; any thread). */
void      desk_ingest_source_wake         (DeskIngestSource  *self);

G_END_DECLS
