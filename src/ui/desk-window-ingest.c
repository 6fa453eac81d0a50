/* desk-window-ingest.c — the window runs the desk's sources while it is open
 *
 * The same ingest service as `copydesk-cli ingest --watch` (desk-ingest.c),
 * on its own thread and its own connection to the store: what it stores
 * reaches the list the way any other process's writes do (desk-window-
 * live.c).  The window says what came in, and a source that fails says
 * which and why once, in a toast that stays, not once per item or per try.
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "desk-ingest.h"
#include "desk-window-private.h"

struct _DeskWindowIngest
{
  DeskWindow *window;       /* owns this */
  DeskIngest *ingest;
  GHashTable *failures;     /* label → the AdwToast that says why */
};

static void
on_ingested (DeskIngest       *ingest,
             const char       *label,
             guint             new_items,
             guint             updated_items,
             guint             failed_items,
             DeskWindowIngest *self)
{
  g_autofree char *message = NULL;

  if (new_items > 0 && updated_items > 0)
    message = g_strdup_printf (_("%s: %u new, %u updated"), label, new_items, updated_items);
  else if (new_items > 0)
    message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s: %u new release", "%s: %u new releases", new_items),
                               label, new_items);
  else if (updated_items > 0)
    message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s: %u release updated", "%s: %u releases updated",
                                            updated_items), label, updated_items);
  else
    message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s: %u file could not be read", "%s: %u files could not be read",
                                            failed_items), label, failed_items);
  adw_toast_overlay_add_toast (_desk_window_get_toasts (self->window), adw_toast_new (message));
  _desk_window_reload_list (self->window);
  _desk_window_refresh_counts (self->window);
}

static void
forget_toast (AdwToast         *toast,
              DeskWindowIngest *self)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->failures);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (value == toast)
      g_hash_table_iter_remove (&iter);
}

static void
on_source_failed (DeskIngest       *ingest,
                  const char       *label,
                  const char       *message,
                  DeskWindowIngest *self)
{
  AdwToast *toast = g_hash_table_lookup (self->failures, label);
  g_autofree char *title = g_strdup_printf (_("%s: %s"), label, message);

  if (toast != NULL)
    adw_toast_dismiss (toast);
  toast = adw_toast_new (title);
  adw_toast_set_timeout (toast, 0);
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  g_hash_table_replace (self->failures, g_strdup (label), toast);
  g_signal_connect (toast, "dismissed", G_CALLBACK (forget_toast), self);
  adw_toast_overlay_add_toast (_desk_window_get_toasts (self->window), toast);
}

static void
on_source_recovered (DeskIngest       *ingest,
                     const char       *label,
                     DeskWindowIngest *self)
{
  AdwToast *toast = g_hash_table_lookup (self->failures, label);

  if (toast != NULL)
    adw_toast_dismiss (toast);
}

DeskWindowIngest *
_desk_window_ingest_new (DeskWindow *window)
{
  DeskWindowIngest *self = g_new0 (DeskWindowIngest, 1);
  g_autoptr(GError) error = NULL;

  self->window = window;
  self->failures = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->ingest = desk_ingest_new (desk_store_get_path (_desk_window_get_store (window)));
  g_signal_connect (self->ingest, "ingested", G_CALLBACK (on_ingested), self);
  g_signal_connect (self->ingest, "source-failed", G_CALLBACK (on_source_failed), self);
  g_signal_connect (self->ingest, "source-recovered", G_CALLBACK (on_source_recovered), self);
  if (!desk_ingest_add_default_sources (self->ingest, NULL, &error))
    {
      /* The feeds still run; the folder that cannot be watched says why. */
      AdwToast *toast = adw_toast_new (error->message);

      adw_toast_set_timeout (toast, 0);
      adw_toast_overlay_add_toast (_desk_window_get_toasts (window), toast);
    }
  desk_ingest_start (self->ingest);
  return self;
}

void
_desk_window_ingest_free (DeskWindowIngest *self)
{
  GHashTableIter iter;
  gpointer value;

  if (self == NULL)
    return;
  g_signal_handlers_disconnect_by_data (self->ingest, self);
  desk_ingest_stop (self->ingest);
  g_clear_object (&self->ingest);
  g_hash_table_iter_init (&iter, self->failures);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_signal_handlers_disconnect_by_data (value, self);
  g_hash_table_unref (self->failures);
  g_free (self);
}
