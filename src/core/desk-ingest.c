/* desk-ingest.c — the ingest service: every source of a desk, running
 *
 * One worker thread, with a store connection of its own, polls each
 * source when it is due (its interval) or when it wakes (a folder monitor
 * saw a file closed).  `copydesk-cli ingest --watch` and the window run
 * the same service; two of them at once store each item once, because
 * desk_source_ingest_item() decides inside the write transaction.  On a
 * team desk (a "postgresql://" address) the worker holds a DeskDb and
 * runs the sources that run there (desk_ingest_source_poll_db()).  What
 * happens is told on the main context the service was started in: what
 * came in, and a source that fails, once, until it works again.
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "desk-feed.h"
#include "desk-folder-source.h"
#include "desk-ingest.h"
#include "desk-mailboxes-source.h"
#include "desk-pg-schema.h"
#include "desk-settings.h"

typedef struct {
  DeskIngestSource *source;
  gint64            due;          /* monotonic µs; G_MAXINT64: only when woken */
  gboolean          woken;
  char             *last_error;   /* the worker's own */
} Entry;

struct _DeskIngest
{
  GObject       parent_instance;

  char         *store_path;
  GPtrArray    *entries;
  GMainContext *context;
  GThread      *thread;
  GCancellable *cancellable;
  GMutex        lock;
  GCond         cond;
  gboolean      stopping;
};

G_DEFINE_FINAL_TYPE (DeskIngest, desk_ingest, G_TYPE_OBJECT)

enum {
  INGESTED,
  SOURCE_FAILED,
  SOURCE_RECOVERED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
entry_free (Entry *entry)
{
  g_signal_handlers_disconnect_by_data (entry->source, entry);
  g_object_unref (entry->source);
  g_free (entry->last_error);
  g_free (entry);
}

typedef struct {
  DeskIngest *self;
  guint       signal;
  char       *label;
  char       *message;
  DeskIngestCounts counts;
} Report;

static void
report_free (Report *report)
{
  g_object_unref (report->self);
  g_free (report->label);
  g_free (report->message);
  g_free (report);
}

static gboolean
emit_report (gpointer data)
{
  Report *report = data;

  if (report->signal == INGESTED)
    g_signal_emit (report->self, signals[INGESTED], 0, report->label,
                   report->counts.new_items, report->counts.updated_items, report->counts.failed_items);
  else if (report->signal == SOURCE_FAILED)
    g_signal_emit (report->self, signals[SOURCE_FAILED], 0, report->label, report->message);
  else
    g_signal_emit (report->self, signals[SOURCE_RECOVERED], 0, report->label);
  return G_SOURCE_REMOVE;
}

static void
tell (DeskIngest             *self,
      guint                   signal,
      DeskIngestSource       *source,
      const char             *message,
      const DeskIngestCounts *counts)
{
  Report *report = g_new0 (Report, 1);

  report->self = g_object_ref (self);
  report->signal = signal;
  report->label = desk_ingest_source_dup_label (source);
  report->message = g_strdup (message);
  if (counts != NULL)
    report->counts = *counts;
  g_main_context_invoke_full (self->context, G_PRIORITY_DEFAULT, emit_report, report,
                              (GDestroyNotify) report_free);
}

static Entry *
next_due (DeskIngest *self)
{
  for (;;)
    {
      gint64 now = g_get_monotonic_time ();
      gint64 soonest = G_MAXINT64;

      if (self->stopping)
        return NULL;
      for (guint i = 0; i < self->entries->len; i++)
        {
          Entry *entry = g_ptr_array_index (self->entries, i);

          if (entry->woken || entry->due <= now)
            return entry;
          soonest = MIN (soonest, entry->due);
        }
      if (soonest == G_MAXINT64)
        g_cond_wait (&self->cond, &self->lock);
      else
        g_cond_wait_until (&self->cond, &self->lock, soonest);
    }
}

static gpointer
worker (gpointer data)
{
  DeskIngest *self = data;
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskStore) store = NULL;
  g_autoptr(DeskDb) db = NULL;

  /* A team desk's connection watches its socket on the thread-default
   * context: this thread's own, never run, for it waits on every query
   * itself.  On the service's context the main loop would read the
   * answers this thread waits for, and it would wait for ever. */
  g_main_context_push_thread_default (context);

  /* A team desk's address, or a SQLite file's path. */
  if (!desk_pg_is_address (self->store_path))
    store = desk_store_open (self->store_path, &error);
  else if ((db = desk_db_open (self->store_path, &error)) != NULL &&
           !desk_pg_schema_check (desk_db_get_pg (db), &error))
    g_clear_object (&db);

  if (store == NULL && db == NULL)
    {
      g_mutex_lock (&self->lock);
      if (self->entries->len > 0)
        tell (self, SOURCE_FAILED, ((Entry *) g_ptr_array_index (self->entries, 0))->source,
              error->message, NULL);
      g_mutex_unlock (&self->lock);
      g_main_context_pop_thread_default (context);
      return NULL;
    }

  for (;;)
    {
      g_autoptr(GError) poll_error = NULL;
      DeskIngestCounts counts = { 0 };
      DeskIngestSource *source;
      Entry *entry;
      gboolean ok;
      guint interval;

      g_mutex_lock (&self->lock);
      entry = next_due (self);
      if (entry != NULL)
        entry->woken = FALSE;
      g_mutex_unlock (&self->lock);
      if (entry == NULL)
        break;

      source = entry->source;
      ok = store != NULL ? desk_ingest_source_poll (source, store, &counts, self->cancellable, &poll_error)
                         : desk_ingest_source_poll_db (source, db, &counts, self->cancellable, &poll_error);
      interval = desk_ingest_source_get_interval (source);

      g_mutex_lock (&self->lock);
      entry->due = interval > 0 ? g_get_monotonic_time () + (gint64) interval * G_USEC_PER_SEC : G_MAXINT64;
      g_mutex_unlock (&self->lock);

      if (counts.new_items > 0 || counts.updated_items > 0 || counts.failed_items > 0)
        tell (self, INGESTED, source, NULL, &counts);
      if (!ok && g_strcmp0 (entry->last_error, poll_error->message) != 0)
        {
          g_free (entry->last_error);
          entry->last_error = g_strdup (poll_error->message);
          tell (self, SOURCE_FAILED, source, poll_error->message, NULL);
        }
      else if (ok && entry->last_error != NULL)
        {
          g_clear_pointer (&entry->last_error, g_free);
          tell (self, SOURCE_RECOVERED, source, NULL, NULL);
        }
    }
  g_clear_object (&db);
  g_main_context_pop_thread_default (context);
  return NULL;
}

static void
on_wake (DeskIngestSource *source,
         Entry            *entry)
{
  DeskIngest *self = g_object_get_data (G_OBJECT (source), "desk-ingest");

  if (self == NULL)
    return;
  g_mutex_lock (&self->lock);
  entry->woken = TRUE;
  g_cond_signal (&self->cond);
  g_mutex_unlock (&self->lock);
}

void
desk_ingest_add_source (DeskIngest       *self,
                        DeskIngestSource *source)
{
  Entry *entry;

  g_return_if_fail (DESK_IS_INGEST (self));
  g_return_if_fail (self->thread == NULL);

  entry = g_new0 (Entry, 1);
  entry->source = g_object_ref (source);
  g_object_set_data (G_OBJECT (source), "desk-ingest", self);
  g_signal_connect (source, "wake", G_CALLBACK (on_wake), entry);
  g_ptr_array_add (self->entries, entry);
}

gboolean
desk_ingest_add_default_sources (DeskIngest  *self,
                                 const char  *folder,
                                 GError     **error)
{
  g_autofree char *configured = NULL;
  g_autoptr(DeskIngestSource) feeds = desk_feeds_source_new (0, 0);
  g_autoptr(DeskIngestSource) mailboxes = desk_mailboxes_source_new ();

  desk_ingest_add_source (self, feeds);
  desk_ingest_add_source (self, mailboxes);
  if (folder == NULL)
    {
      g_autoptr(GSettings) settings = desk_settings_new_if_installed ("inbox-folder");

      if (settings != NULL)
        configured = g_settings_get_string (settings, "inbox-folder");
      if (configured != NULL && *configured != '\0')
        folder = configured;
    }
  if (folder != NULL)
    {
      g_autoptr(DeskIngestSource) inbox = desk_folder_source_new (folder);

      if (!desk_folder_source_watch (DESK_FOLDER_SOURCE (inbox), error))
        return FALSE;
      desk_ingest_add_source (self, inbox);
    }
  return TRUE;
}

void
desk_ingest_start (DeskIngest *self)
{
  g_return_if_fail (DESK_IS_INGEST (self));
  g_return_if_fail (self->thread == NULL);

  g_clear_pointer (&self->context, g_main_context_unref);
  self->context = g_main_context_ref_thread_default ();
  self->stopping = FALSE;
  g_cancellable_reset (self->cancellable);
  for (guint i = 0; i < self->entries->len; i++)
    ((Entry *) g_ptr_array_index (self->entries, i))->due = 0;
  self->thread = g_thread_new ("copydesk-ingest", worker, self);
}

void
desk_ingest_stop (DeskIngest *self)
{
  g_return_if_fail (DESK_IS_INGEST (self));

  if (self->thread == NULL)
    return;
  g_mutex_lock (&self->lock);
  self->stopping = TRUE;
  g_cond_signal (&self->cond);
  g_mutex_unlock (&self->lock);
  g_cancellable_cancel (self->cancellable);
  g_thread_join (g_steal_pointer (&self->thread));
}

void
desk_ingest_wake_all (DeskIngest *self)
{
  g_return_if_fail (DESK_IS_INGEST (self));

  g_mutex_lock (&self->lock);
  for (guint i = 0; i < self->entries->len; i++)
    ((Entry *) g_ptr_array_index (self->entries, i))->woken = TRUE;
  g_cond_signal (&self->cond);
  g_mutex_unlock (&self->lock);
}

static void
desk_ingest_dispose (GObject *object)
{
  DeskIngest *self = DESK_INGEST (object);

  desk_ingest_stop (self);
  for (guint i = 0; i < self->entries->len; i++)
    g_object_set_data (G_OBJECT (((Entry *) g_ptr_array_index (self->entries, i))->source),
                       "desk-ingest", NULL);
  g_ptr_array_set_size (self->entries, 0);
  G_OBJECT_CLASS (desk_ingest_parent_class)->dispose (object);
}

static void
desk_ingest_finalize (GObject *object)
{
  DeskIngest *self = DESK_INGEST (object);

  g_ptr_array_unref (self->entries);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_object (&self->cancellable);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->cond);
  g_free (self->store_path);
  G_OBJECT_CLASS (desk_ingest_parent_class)->finalize (object);
}

static void
desk_ingest_class_init (DeskIngestClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = desk_ingest_dispose;
  object_class->finalize = desk_ingest_finalize;

  signals[INGESTED] = g_signal_new ("ingested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL, G_TYPE_NONE, 4,
                                    G_TYPE_STRING, G_TYPE_UINT, G_TYPE_UINT, G_TYPE_UINT);
  signals[SOURCE_FAILED] = g_signal_new ("source-failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                         0, NULL, NULL, NULL, G_TYPE_NONE, 2,
                                         G_TYPE_STRING, G_TYPE_STRING);
  signals[SOURCE_RECOVERED] = g_signal_new ("source-recovered", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                            0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
desk_ingest_init (DeskIngest *self)
{
  self->entries = g_ptr_array_new_with_free_func ((GDestroyNotify) entry_free);
  self->cancellable = g_cancellable_new ();
  g_mutex_init (&self->lock);
  g_cond_init (&self->cond);
}

DeskIngest *
desk_ingest_new (const char *store_path)
{
  DeskIngest *self = g_object_new (DESK_TYPE_INGEST, NULL);

  self->store_path = g_strdup (store_path);
  return self;
}
