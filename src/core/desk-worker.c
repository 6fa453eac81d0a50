/* desk-worker.c — work on a thread with a store connection of its own
 *
 * A count of a million releases, a re-detection or an import must not
 * hold the window: each runs on a thread of GIO's pool with its own
 * connection to the desk (a connection is not shared between threads),
 * opened there from the desk's address, and answers on the caller's main
 * context.  This is that pattern, written once.
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "desk-worker.h"

typedef struct {
  char           *address;
  DeskWorkerFunc  func;
  gpointer        data;
  GDestroyNotify  data_free;
  GDestroyNotify  result_free;
} Work;

static void
work_free (Work *work)
{
  if (work->data_free != NULL)
    work->data_free (work->data);
  g_free (work->address);
  g_free (work);
}

static void
run_work (GTask        *task,
          Work         *work,
          GCancellable *cancellable)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskStore) store = NULL;
  gpointer result;

  store = desk_store_open (work->address, &error);
  if (store == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  result = work->func (store, work->data, cancellable, &error);
  if (result == NULL)
    {
      if (error == NULL)
        g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_FAILED, "the worker gave no answer");
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_pointer (task, result, work->result_free);
}

static void
worker_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  g_autoptr(GMainContext) context = NULL;

  if (g_task_return_error_if_cancelled (task))
    return;
  /* A team desk's connection watches its socket on the thread's default
   * context: this thread's own, never the window's, which would read
   * the socket while this thread waits on it. */
  context = g_main_context_new ();
  g_main_context_push_thread_default (context);
  run_work (task, task_data, cancellable);
  g_main_context_pop_thread_default (context);
}

/* Runs @func on a thread with a connection of its own to @store's desk;
 * @callback gets the result through desk_worker_finish() on the main
 * context of the caller.  @data is handed to @func and freed with
 * @data_free when the work is done. */
void
desk_worker_run (DeskStore           *store,
                 gpointer             source_object,
                 GCancellable        *cancellable,
                 DeskWorkerFunc       func,
                 gpointer             data,
                 GDestroyNotify       data_free,
                 GDestroyNotify       result_free,
                 GAsyncReadyCallback  callback,
                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Work *work;

  g_return_if_fail (DESK_IS_STORE (store));
  g_return_if_fail (func != NULL);

  work = g_new0 (Work, 1);
  work->address = g_strdup (desk_store_get_path (store));
  work->func = func;
  work->data = data;
  work->data_free = data_free;
  work->result_free = result_free;

  task = g_task_new (source_object, cancellable, callback, user_data);
  g_task_set_source_tag (task, desk_worker_run);
  g_task_set_task_data (task, work, (GDestroyNotify) work_free);
  g_task_run_in_thread (task, worker_thread);
}

gpointer
desk_worker_finish (GAsyncResult  *result,
                    GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* The data given to desk_worker_run(), for the callback. */
gpointer
desk_worker_get_data (GAsyncResult *result)
{
  Work *work = g_task_get_task_data (G_TASK (result));

  return work->data;
}
