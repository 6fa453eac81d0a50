/* desk-feed.h — subscribed feeds: fetching them and the feeds source
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "desk-source.h"
#include "desk-store.h"

G_BEGIN_DECLS

/* Redirects followed before a fetch gives up. */
#define DESK_FEED_MAX_REDIRECTS 5
/* Seconds a feed may keep us waiting for a connection or a read. */
#define DESK_FEED_DEFAULT_TIMEOUT 30
/* A feed that keeps failing is tried at most this far apart. */
#define DESK_FEED_MAX_BACKOFF (6 * 60 * 60)

typedef struct {
  gint64  id;
  char   *url;
  char   *name;
  gint64  last_fetched_at;  /* µs since the epoch of the last answer; 0: never */
  char   *last_error;       /* NULL: the last fetch went well */
  guint   failures;         /* in a row */
  gint64  next_fetch_at;    /* µs since the epoch */
} DeskFeedInfo;

void          desk_feed_info_free (DeskFeedInfo *info);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DeskFeedInfo, desk_feed_info_free)

gint64        desk_feed_add       (DeskStore         *store,
                                   const char        *url,
                                   const char        *name,
                                   GError           **error);
gboolean      desk_feed_remove    (DeskStore         *store,
                                   const char        *name_or_url,
                                   GError           **error);
GPtrArray    *desk_feed_list      (DeskStore         *store,
                                   GError           **error);
DeskFeedInfo *desk_feed_find      (DeskStore         *store,
                                   const char        *name_or_url,
                                   GError           **error);

/* Fetches one feed now (conditional GET, gzip, at most
 * DESK_FEED_MAX_REDIRECTS redirects, @timeout seconds per wait; 0: the
 * default) and ingests its items; records the answer, or the error and
 * when to try again (@interval seconds after a success, doubling after
 * each failure). */
gboolean      desk_feed_fetch     (DeskStore         *store,
                                   gint64             feed_id,
                                   guint              interval,
                                   guint              timeout,
                                   DeskIngestCounts  *counts,
                                   GCancellable      *cancellable,
                                   GError           **error);

/* The feed refresh interval, in seconds, from the settings (15 minutes
 * where they are not installed). */
guint         desk_feed_get_refresh_interval (void);

/* All subscribed feeds of a desk as one source: a poll fetches the feeds
 * that are due. */
#define DESK_TYPE_FEEDS_SOURCE (desk_feeds_source_get_type ())
G_DECLARE_FINAL_TYPE (DeskFeedsSource, desk_feeds_source, DESK, FEEDS_SOURCE, GObject)

DeskIngestSource *desk_feeds_source_new (guint interval,
                                         guint timeout);

G_END_DECLS
