/* desk-mailboxes-source.h — the desk's IMAP mailboxes as one ingest source
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "desk-source.h"

G_BEGIN_DECLS

#define DESK_TYPE_MAILBOXES_SOURCE (desk_mailboxes_source_get_type ())
G_DECLARE_FINAL_TYPE (DeskMailboxesSource, desk_mailboxes_source, DESK, MAILBOXES_SOURCE, GObject)

DeskIngestSource *desk_mailboxes_source_new (void);

G_END_DECLS
