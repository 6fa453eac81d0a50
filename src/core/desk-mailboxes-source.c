/* desk-mailboxes-source.c — the desk's IMAP mailboxes as one ingest source
 *
 * The ingest service (the window's, and `copydesk-cli ingest --watch`)
 * fetches each mailbox of the desk when it is due: its own interval
 * (`mailbox add --interval`, 300 s unless given) after its last fetch,
 * as mailboxes.last_fetched_at records it for every process that shares
 * the store, so a window and a watcher running together do not both
 * fetch each time.  When they do fetch at once, each message is still
 * taken once: desk_mailbox_fetch() stores a message's releases with the
 * record that it was taken (UIDVALIDITY, UID) in one transaction, and a
 * message taken by the other is a duplicate by its Message-ID.
 *
 * Mailboxes added or removed while the service runs are seen at the next
 * look.  The mailboxes that failed are named in one error, each with
 * why; the service says it once, until it changes or they work again.
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "desk-error.h"
#include "desk-mailbox.h"
#include "desk-mailboxes-source.h"

/* How often to look which mailboxes are due, at most. */
#define LOOK_EVERY_S 60

struct _DeskMailboxesSource
{
  GObject parent_instance;

  guint       next_look;   /* seconds, from the last poll */
  GHashTable *failing;     /* mailbox id → the GError its last fetch here failed with */
};

static void desk_mailboxes_source_iface_init (DeskIngestSourceInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (DeskMailboxesSource, desk_mailboxes_source, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (DESK_TYPE_INGEST_SOURCE, desk_mailboxes_source_iface_init))

static char *
desk_mailboxes_source_dup_label (DeskIngestSource *source)
{
  return g_strdup (_("Mailboxes"));
}

static gint64
due_at (const DeskMailbox *mailbox)
{
  guint interval = mailbox->interval > 0 ? mailbox->interval : 300;

  return mailbox->last_fetched_at + (gint64) interval * G_USEC_PER_SEC;
}

static gboolean
desk_mailboxes_source_poll (DeskIngestSource  *source,
                            DeskStore         *store,
                            DeskIngestCounts  *counts,
                            GCancellable      *cancellable,
                            GError           **error)
{
  DeskMailboxesSource *self = DESK_MAILBOXES_SOURCE (source);
  g_autoptr(GPtrArray) mailboxes = desk_store_list_mailboxes (store, error);
  g_autoptr(GString) failures = g_string_new (NULL);
  gint64 soonest = G_MAXINT64;

  self->next_look = LOOK_EVERY_S;
  if (mailboxes == NULL)
    return FALSE;

  for (guint i = 0; i < mailboxes->len && !g_cancellable_is_cancelled (cancellable); i++)
    {
      DeskMailbox *mailbox = g_ptr_array_index (mailboxes, i);
      g_autoptr(GError) local_error = NULL;
      DeskMailboxCounts fetched = { 0 };
      const GError *why;

      if (due_at (mailbox) > g_get_real_time ())
        soonest = MIN (soonest, due_at (mailbox));
      else
        {
          if (desk_mailbox_fetch (store, mailbox, NULL, &fetched, cancellable, &local_error))
            g_hash_table_remove (self->failing, &mailbox->id);
          else if (!g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            {
              const GError *before = g_hash_table_lookup (self->failing, &mailbox->id);

              /* Failing the same way again is the same failure, though
               * libcurl words it anew ("… after 3 ms"): the first words
               * stay, so that it is told once. */
              if (before == NULL || before->domain != local_error->domain || before->code != local_error->code)
                g_hash_table_replace (self->failing, g_memdup2 (&mailbox->id, sizeof mailbox->id),
                                      g_steal_pointer (&local_error));
            }
          counts->new_items += fetched.releases;
          counts->seen_items += fetched.duplicates;
          counts->failed_items += fetched.failed;
          soonest = MIN (soonest, g_get_real_time () + (gint64) (mailbox->interval > 0 ? mailbox->interval : 300) * G_USEC_PER_SEC);
        }
      /* A mailbox that failed and is not due yet is failing still: the
       * error stays the same until it works or fails differently. */
      why = g_hash_table_lookup (self->failing, &mailbox->id);
      if (why != NULL)
        g_string_append_printf (failures, "%s%s", failures->len > 0 ? "\n" : "", why->message);
    }

  if (soonest != G_MAXINT64)
    {
      gint64 wait = (soonest - g_get_real_time () + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC;

      self->next_look = (guint) CLAMP (wait, 1, LOOK_EVERY_S);
    }
  if (failures->len > 0)
    {
      g_set_error_literal (error, DESK_ERROR, DESK_ERROR_FAILED, failures->str);
      return FALSE;
    }
  return TRUE;
}

static guint
desk_mailboxes_source_get_interval (DeskIngestSource *source)
{
  return DESK_MAILBOXES_SOURCE (source)->next_look;
}

static void
desk_mailboxes_source_iface_init (DeskIngestSourceInterface *iface)
{
  iface->dup_label = desk_mailboxes_source_dup_label;
  iface->poll = desk_mailboxes_source_poll;
  iface->get_interval = desk_mailboxes_source_get_interval;
}

static void
desk_mailboxes_source_finalize (GObject *object)
{
  DeskMailboxesSource *self = DESK_MAILBOXES_SOURCE (object);

  g_hash_table_unref (self->failing);
  G_OBJECT_CLASS (desk_mailboxes_source_parent_class)->finalize (object);
}

static void
desk_mailboxes_source_class_init (DeskMailboxesSourceClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = desk_mailboxes_source_finalize;
}

static void
desk_mailboxes_source_init (DeskMailboxesSource *self)
{
  self->next_look = LOOK_EVERY_S;
  self->failing = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, (GDestroyNotify) g_error_free);
}

DeskIngestSource *
desk_mailboxes_source_new (void)
{
  return g_object_new (DESK_TYPE_MAILBOXES_SOURCE, NULL);
}
