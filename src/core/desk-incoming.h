/* desk-incoming.h — items read from e-mail and wire formats
 *
 * The e-mail reader (desk-mail.c) and the wire-format readers
 * (desk-wire.c: ninjs, NewsML-G2) are pure functions from bytes to
 * DeskIncoming items: they touch no store, so the importer, the IMAP
 * mailbox and the fuzz harnesses call them alike.  Each item carries what
 * its source says about it: its own id, headline, body as plain text,
 * sender, language, urgency, copyright and embargo.
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "desk-parser.h"

G_BEGIN_DECLS

typedef struct {
  char      *kind;          /* "mail", "ninjs", "newsml" (as desk-source.h spells them) */
  char      *uid;           /* Message-ID, ninjs uri, NewsML-G2 guid; or NULL */
  char      *headline;      /* or NULL: the parser finds it in @body */
  char      *body;          /* plain UTF-8 text */
  char      *author;        /* the sender or byline, or NULL */
  char      *language;      /* BCP-47 as the source states it, or NULL */
  char      *copyright;     /* or NULL */
  int        urgency;       /* 1 (most urgent) to 9; 0 when not stated */
  gint64     published_at;  /* µs since the epoch; 0 when not stated */
  GDateTime *embargo;       /* with the zone it was stated in, or NULL */
} DeskIncoming;

DeskIncoming *desk_incoming_new           (const char         *kind);
void          desk_incoming_free          (DeskIncoming       *item);
char         *desk_incoming_dup_text      (const DeskIncoming *item);

/* The release @item becomes: the plain-text parser's reading of its
 * text, with the language the sender states, when it names one. */
DeskParsedRelease *desk_incoming_parse     (const DeskIncoming *item,
                                            GError            **error);
/* The store's source id of @item: its kind and its own id ("mail:<id@host>"),
 * or NULL when it has none. */
char         *desk_incoming_dup_source_uid (const DeskIncoming *item);

/* The file suffixes the readers below accept, for the importer's list. */
gboolean      desk_incoming_is_mail_name  (const char         *name);
gboolean      desk_incoming_is_wire_name  (const char         *name);

/* HTML (a fragment or a document) to plain text: one paragraph per block,
 * scripts, styles and comments dropped.  Never reads the network. */
char         *desk_html_to_text           (const char         *html,
                                           gssize              len);

/* .eml (one message) or mbox (many): an item per message with a body,
 * and one per .txt/.md/.eml attachment.  NULL with @error when nothing in
 * @data is an e-mail. */
GPtrArray    *desk_mail_parse             (const char         *data,
                                           gsize               len,
                                           gboolean            mbox,
                                           GError            **error);

/* ninjs 1.x or 2.x JSON: one item, or several in an "items" array or a
 * top-level array. */
GPtrArray    *desk_ninjs_parse            (const char         *data,
                                           gsize               len,
                                           GError            **error);

/* NewsML-G2: a newsItem, or the newsItems of a newsMessage.  Files with a
 * DOCTYPE (external entities, entity expansion) are refused. */
GPtrArray    *desk_newsml_parse           (const char         *data,
                                           gsize               len,
                                           GError            **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DeskIncoming, desk_incoming_free)

G_END_DECLS
