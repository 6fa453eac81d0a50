/* desk-ingest.h — the ingest service: every source of a desk, running
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "desk-source.h"

G_BEGIN_DECLS

#define DESK_TYPE_INGEST (desk_ingest_get_type ())
G_DECLARE_FINAL_TYPE (DeskIngest, desk_ingest, DESK, INGEST, GObject)

/* Signals, emitted in the main context the service was started in:
 * ::ingested (label, new, updated, failed) after a poll that brought
 * something in; ::source-failed (label, message) once when a source
 * starts failing or fails differently; ::source-recovered (label) when
 * it works again. */

DeskIngest *desk_ingest_new           (const char        *store_path);
void        desk_ingest_add_source    (DeskIngest        *self,
                                       DeskIngestSource  *source);
/* The sources a desk runs: the feeds, the IMAP mailboxes, and the inbox
 * folder of the settings (or @folder). */
gboolean    desk_ingest_add_default_sources (DeskIngest  *self,
                                             const char  *folder,
                                             GError     **error);
void        desk_ingest_start         (DeskIngest        *self);
/* Stops after the item in hand; returns once the worker has stopped. */
void        desk_ingest_stop          (DeskIngest        *self);
/* Asks every source to look now. */
void        desk_ingest_wake_all      (DeskIngest        *self);

G_END_DECLS
