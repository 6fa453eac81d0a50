/* desk-mailbox.h — IMAP mailboxes as a source of releases
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "desk-store.h"

G_BEGIN_DECLS

typedef struct {
  gint64  id;
  char   *name;
  char   *url;              /* imaps://host[:port]/FOLDER, or imap:// with STARTTLS */
  char   *username;
  char   *ca_file;          /* a CA certificate to trust besides the system's, or NULL */
  guint   interval;         /* seconds between fetches */
  gint64  last_fetched_at;  /* µs since the epoch; 0: never */
  char   *last_error;       /* or NULL */
} DeskMailbox;

typedef struct {
  guint messages;   /* new messages taken */
  guint releases;   /* releases they became */
  guint duplicates; /* releases already in the store */
  guint failed;     /* messages that held nothing to import */
} DeskMailboxCounts;

void         desk_mailbox_free            (DeskMailbox   *mailbox);

gint64       desk_store_add_mailbox       (DeskStore     *store,
                                           const char    *name,
                                           const char    *url,
                                           const char    *username,
                                           const char    *ca_file,
                                           guint          interval,
                                           GError       **error);
GPtrArray   *desk_store_list_mailboxes    (DeskStore     *store,
                                           GError       **error);
DeskMailbox *desk_store_get_mailbox       (DeskStore     *store,
                                           const char    *name,
                                           GError       **error);
gboolean     desk_store_remove_mailbox    (DeskStore     *store,
                                           const char    *name,
                                           GError       **error);

gboolean     desk_store_set_mailbox_password (DeskStore        *store,
                                              const DeskMailbox *mailbox,
                                              const char       *password,
                                              gboolean         *out_session_only,
                                              GError          **error);

/* Fetches the messages of @mailbox not taken before (by UIDVALIDITY and
 * UID), each stored with the record that it was taken in one
 * transaction.  The password comes from the Secret Service. */
gboolean     desk_mailbox_fetch           (DeskStore          *store,
                                           const DeskMailbox  *mailbox,
                                           const char         *actor,
                                           DeskMailboxCounts  *counts,
                                           GCancellable       *cancellable,
                                           GError            **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DeskMailbox, desk_mailbox_free)

G_END_DECLS
