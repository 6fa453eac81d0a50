/* desk-publisher.h — sends the outbox's jobs, each exactly once
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include <json-glib/json-glib.h>

#include "desk-export.h"
#include "desk-outbox.h"
#include "desk-store.h"

G_BEGIN_DECLS

/* Requests in flight, each on a kept-alive connection of its own to its
 * host: with 8 rather than 4, more replies come back in one turn of the
 * main loop and share its one transaction. */
#define DESK_PUBLISHER_MAX_CONCURRENT 8
#define DESK_PUBLISHER_TIMEOUT        30    /* seconds */
#define DESK_PUBLISHER_MAX_ATTEMPTS   8

#define DESK_TYPE_PUBLISHER (desk_publisher_get_type ())

G_DECLARE_FINAL_TYPE (DeskPublisher, desk_publisher, DESK, PUBLISHER, GObject)

DeskPublisher *desk_publisher_new                (DeskStore            *store);
void           desk_publisher_set_timeout        (DeskPublisher        *self,
                                                  guint                 seconds);
void           desk_publisher_set_backoff        (DeskPublisher        *self,
                                                  guint                 first_ms,
                                                  guint                 max_ms,
                                                  guint                 max_attempts);

void           desk_publisher_set_max_wait       (DeskPublisher        *self,
                                                  guint                 seconds);
char          *desk_publisher_dup_waiting_text   (gint64                job_id,
                                                  gint64                until,
                                                  gboolean              held);

void           desk_publisher_run_async          (DeskPublisher        *self,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
gboolean       desk_publisher_run_finish         (DeskPublisher        *self,
                                                  GAsyncResult         *result,
                                                  GError              **error);
gboolean       desk_publisher_run_sync           (DeskPublisher        *self,
                                                  GCancellable         *cancellable,
                                                  GError              **error);

JsonNode      *desk_publisher_wordpress_post     (const DeskApprovedCopy *copy,
                                                  const DeskTarget     *target,
                                                  const char           *slug,
                                                  GArray               *tag_ids);

G_END_DECLS
