/* desk-feed-parser.h — RSS 2.0, RSS 1.0 and Atom 1.0 read into items
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Feeds larger than this are refused rather than read. */
#define DESK_FEED_MAX_BYTES (64 * 1024 * 1024)

typedef enum {
  DESK_FEED_FORMAT_RSS2,
  DESK_FEED_FORMAT_RSS1,
  DESK_FEED_FORMAT_ATOM,
} DeskFeedFormat;

typedef struct {
  char   *guid;          /* guid, rdf:about or Atom id; NULL if none */
  char   *link;
  char   *title;         /* plain text */
  char   *text;          /* the content as plain text */
  char   *author;
  gint64  published_at;  /* µs since the epoch; 0: not stated or not readable */
} DeskFeedItem;

typedef struct {
  DeskFeedFormat  format;
  char           *title;
  GPtrArray      *items;   /* of DeskFeedItem, in the feed's order */
} DeskFeed;

DeskFeed *desk_feed_parse       (const char  *data,
                                 gsize        len,
                                 const char  *name,
                                 GError     **error);
char     *desk_feed_html_to_text (const char *html,
                                  gsize       len);
void      desk_feed_free        (DeskFeed    *feed);
void      desk_feed_item_free   (DeskFeedItem *item);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DeskFeed, desk_feed_free)

G_END_DECLS
