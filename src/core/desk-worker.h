/* desk-worker.h — work on a thread with a store connection of its own
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "desk-store.h"

G_BEGIN_DECLS

/* Runs on the worker's thread with @store, a connection of its own to the
 * same desk; returns the result (freed with the result_free given to
 * desk_worker_run()) or NULL with @error set. */
typedef gpointer (*DeskWorkerFunc) (DeskStore     *store,
                                    gpointer       data,
                                    GCancellable  *cancellable,
                                    GError       **error);

void     desk_worker_run    (DeskStore           *store,
                             gpointer             source_object,
                             GCancellable        *cancellable,
                             DeskWorkerFunc       func,
                             gpointer             data,
                             GDestroyNotify       data_free,
                             GDestroyNotify       result_free,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data);
gpointer desk_worker_finish (GAsyncResult        *result,
                             GError             **error);
gpointer desk_worker_get_data (GAsyncResult      *result);

G_END_DECLS
