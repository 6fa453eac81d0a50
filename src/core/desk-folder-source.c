/* desk-folder-source.c — the watched inbox folder
 *
 * A file is read once it is complete: a process was seen closing it after
 * writing (GFileMonitor's CHANGES_DONE_HINT, inotify's IN_CLOSE_WRITE), or
 * it has not changed for DESK_FOLDER_STABLE_USEC (a scan at start, a
 * folder over the network); a file that changes while it is read is left
 * for the next look.  Each file is read once across restarts: seen_files
 * keeps its path, size and mtime, written after the release is stored, so
 * that a process killed between the two reads the file again and finds
 * its release already there (by content) rather than storing it twice.
 * On a team desk (PostgreSQL) the record and the releases are written in
 * one transaction instead, the record claimed there by the same statement
 * (desk_db_ingest_file()): processes on several machines share no lock
 * but the server's.
 * A file is read as `copydesk-cli import` reads it, by the importer's
 * reader and parsers (text, Markdown, e-mail, mbox, ninjs, NewsML-G2);
 * a maildir's new/ is a folder of e-mails, whose files have no suffix.
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "desk-db-import.h"
#include "desk-error.h"
#include "desk-file.h"
#include "desk-folder-source.h"
#include "desk-importer.h"
#include "desk-store-private.h"

struct _DeskFolderSource
{
  GObject       parent_instance;

  char         *path;
  GFileMonitor *monitor;
  GFileMonitor *maildir_monitor;
  GMutex        lock;
  GHashTable   *closed;     /* paths seen closed after writing since their last change */
  gboolean      pending;    /* the last look left files that were still being written */
};

static void desk_folder_source_iface_init (DeskIngestSourceInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (DeskFolderSource, desk_folder_source, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (DESK_TYPE_INGEST_SOURCE, desk_folder_source_iface_init))

/* Names that editors' tools and browsers use while a file is on its way. */
static gboolean
is_partial (const char *name)
{
  return name[0] == '.' || g_str_has_suffix (name, "~") || g_str_has_suffix (name, ".part") ||
         g_str_has_suffix (name, ".tmp") || g_str_has_suffix (name, ".crdownload") ||
         g_str_has_suffix (name, ".swp");
}

static gboolean
is_maildir (const char *path)
{
  g_autofree char *cur = g_build_filename (path, "cur", NULL);
  g_autofree char *new_dir = g_build_filename (path, "new", NULL);

  return g_file_test (cur, G_FILE_TEST_IS_DIR) && g_file_test (new_dir, G_FILE_TEST_IS_DIR);
}

/* The desk a poll brings files into: a SQLite store, or a team desk. */
typedef struct {
  DeskStore *store;
  DeskDb    *db;
} Desk;

static gboolean
already_seen (const Desk *desk,
              const char *path,
              gint64      size,
              gint64      mtime)
{
  g_auto(DeskStmt) stmt = NULL;

  if (desk->db != NULL)
    return desk_db_seen_file (desk->db, path, size, mtime, NULL);
  stmt = _desk_store_prepare (desk->store, DESK_SEEN_FILE_LOOKUP_SQL, NULL);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, path, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, size);
  sqlite3_bind_int64 (stmt, 3, mtime);
  return sqlite3_step (stmt) == SQLITE_ROW;
}

static void
record_seen (DeskStore  *store,
             const char *path,
             gint64      size,
             gint64      mtime,
             gint64      release_id,
             const char *note)
{
  g_auto(DeskStmt) stmt = _desk_store_prepare (store, DESK_SEEN_FILE_RECORD_SQL, NULL);

  if (stmt == NULL)
    return;
  sqlite3_bind_text (stmt, 1, path, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, size);
  sqlite3_bind_int64 (stmt, 3, mtime);
  if (release_id > 0)
    sqlite3_bind_int64 (stmt, 4, release_id);
  _desk_bind_text (stmt, 5, note, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 6, g_get_real_time ());
  sqlite3_step (stmt);
}

static gint64
mtime_of (const struct stat *st)
{
  return (gint64) st->st_mtim.tv_sec * G_USEC_PER_SEC + st->st_mtim.tv_nsec / 1000;
}

/* Reads one complete file into the desk, through the importer's reader
 * and parsers (desk_import_source_file(): text, Markdown, e-mail, mbox,
 * ninjs, NewsML-G2; a maildir's files as e-mails), as `copydesk-cli
 * import` reads it; FALSE if it was still being written after all, or
 * with @error when the team desk failed. */
static gboolean
ingest_file (DeskFolderSource  *self,
             const Desk        *desk,
             const char        *file,
             gboolean           in_maildir,
             struct stat       *st,
             DeskIngestCounts  *counts,
             GError           **out_error)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autofree char *data = NULL;
  g_autofree char *note = NULL;
  gint64 release_id = 0;
  gsize len = 0;
  struct stat after;

  data = desk_file_read_regular (file, DESK_IMPORT_MAX_BYTES, &len, &error);
  if (data == NULL)
    note = g_strdup (error->message);
  else if (g_stat (file, &after) != 0 || after.st_size != st->st_size || mtime_of (&after) != mtime_of (st))
    return FALSE;   /* changed while read: not complete after all */
  if (desk->db != NULL)
    /* The release and the record that the file was seen, in one
     * transaction on the server (desk-db-import.c). */
    return desk_db_ingest_file (desk->db, file, data, len, note, in_maildir, st->st_size, mtime_of (st),
                                DESK_SOURCE_KIND_FOLDER, self->path, counts, out_error);
  if (data != NULL)
    {
      DeskStore *store = desk->store;

      items = desk_import_source_file (store, file, data, len, in_maildir,
                                       DESK_SOURCE_KIND_FOLDER, self->path, NULL);
      for (guint i = 0; i < items->len; i++)
        {
          DeskImportItem *item = g_ptr_array_index (items, i);

          if (item->outcome == DESK_IMPORT_IMPORTED)
            counts->new_items++;
          else if (item->outcome == DESK_IMPORT_DUPLICATE)
            counts->seen_items++;   /* stored before, perhaps by a process killed before it noted the file */
          else if (note == NULL)
            note = g_strdup (item->message != NULL ? item->message : _("could not be stored"));
          if (release_id == 0 && item->release_id > 0)
            release_id = item->release_id;
        }
    }

  if (note != NULL)
    {
      counts->failed_items++;
      g_message (_("%s: not read: %s"), file, note);
    }
  record_seen (desk->store, file, st->st_size, mtime_of (st), release_id, note);
  return TRUE;
}

/* GPtrArray hands a sort the places of its strings, not the strings:
 * g_strcmp0 there compared addresses, and a folder was read in no order. */
static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static gboolean
look_in (DeskFolderSource  *self,
         const Desk        *desk,
         const char        *dir_path,
         gboolean           in_maildir,
         DeskIngestCounts  *counts,
         GCancellable      *cancellable,
         GError           **error)
{
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, error);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  gint64 now = g_get_real_time ();
  const char *name;

  if (dir == NULL)
    {
      g_prefix_error (error, _("The inbox folder %s cannot be read: "), dir_path);
      return FALSE;
    }
  while ((name = g_dir_read_name (dir)) != NULL)
    if (!is_partial (name))
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);

  for (guint i = 0; i < names->len && !g_cancellable_is_cancelled (cancellable); i++)
    {
      g_autofree char *file = g_build_filename (dir_path, g_ptr_array_index (names, i), NULL);
      struct stat st;
      gboolean closed;

      if (g_stat (file, &st) != 0 || !S_ISREG (st.st_mode))
        continue;
      if (already_seen (desk, file, st.st_size, mtime_of (&st)))
        continue;

      g_mutex_lock (&self->lock);
      closed = g_hash_table_contains (self->closed, file);
      g_mutex_unlock (&self->lock);
      if (!closed && now - mtime_of (&st) < DESK_FOLDER_STABLE_USEC)
        {
          self->pending = TRUE;
          continue;
        }
      if (!ingest_file (self, desk, file, in_maildir, &st, counts, error))
        {
          if (error != NULL && *error != NULL)
            return FALSE;   /* the team desk failed: every file would */
          self->pending = TRUE;
        }
    }
  return TRUE;
}

static char *
desk_folder_source_dup_label (DeskIngestSource *source)
{
  DeskFolderSource *self = DESK_FOLDER_SOURCE (source);

  return g_strdup_printf (_("Inbox folder %s"), self->path);
}

static gboolean
poll_desk (DeskFolderSource  *self,
           const Desk        *desk,
           DeskIngestCounts  *counts,
           GCancellable      *cancellable,
           GError           **error)
{
  self->pending = FALSE;
  if (!look_in (self, desk, self->path, FALSE, counts, cancellable, error))
    return FALSE;
  if (is_maildir (self->path))
    {
      g_autofree char *new_dir = g_build_filename (self->path, "new", NULL);

      return look_in (self, desk, new_dir, TRUE, counts, cancellable, error);
    }
  return TRUE;
}

static gboolean
desk_folder_source_poll (DeskIngestSource  *source,
                         DeskStore         *store,
                         DeskIngestCounts  *counts,
                         GCancellable      *cancellable,
                         GError           **error)
{
  Desk desk = { store, NULL };

  return poll_desk (DESK_FOLDER_SOURCE (source), &desk, counts, cancellable, error);
}

static gboolean
desk_folder_source_poll_db (DeskIngestSource  *source,
                            DeskDb            *db,
                            DeskIngestCounts  *counts,
                            GCancellable      *cancellable,
                            GError           **error)
{
  Desk desk = { NULL, db };

  return poll_desk (DESK_FOLDER_SOURCE (source), &desk, counts, cancellable, error);
}

static guint
desk_folder_source_get_interval (DeskIngestSource *source)
{
  DeskFolderSource *self = DESK_FOLDER_SOURCE (source);

  /* Files still being written are looked at again soon; without a
   * monitor, the folder is looked at every few seconds. */
  if (self->pending)
    return 1;
  return self->monitor != NULL ? 0 : 5;
}

static void
desk_folder_source_iface_init (DeskIngestSourceInterface *iface)
{
  iface->dup_label = desk_folder_source_dup_label;
  iface->poll = desk_folder_source_poll;
  iface->poll_db = desk_folder_source_poll_db;
  iface->get_interval = desk_folder_source_get_interval;
}

static void
desk_folder_source_dispose (GObject *object)
{
  DeskFolderSource *self = DESK_FOLDER_SOURCE (object);

  if (self->monitor != NULL)
    g_file_monitor_cancel (self->monitor);
  if (self->maildir_monitor != NULL)
    g_file_monitor_cancel (self->maildir_monitor);
  g_clear_object (&self->monitor);
  g_clear_object (&self->maildir_monitor);
  G_OBJECT_CLASS (desk_folder_source_parent_class)->dispose (object);
}

static void
desk_folder_source_finalize (GObject *object)
{
  DeskFolderSource *self = DESK_FOLDER_SOURCE (object);

  g_free (self->path);
  g_hash_table_unref (self->closed);
  g_mutex_clear (&self->lock);
  G_OBJECT_CLASS (desk_folder_source_parent_class)->finalize (object);
}

static void
desk_folder_source_class_init (DeskFolderSourceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = desk_folder_source_dispose;
  object_class->finalize = desk_folder_source_finalize;
}

static void
desk_folder_source_init (DeskFolderSource *self)
{
  g_mutex_init (&self->lock);
  self->closed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

DeskIngestSource *
desk_folder_source_new (const char *path)
{
  DeskFolderSource *self = g_object_new (DESK_TYPE_FOLDER_SOURCE, NULL);

  self->path = g_canonicalize_filename (path, NULL);
  return DESK_INGEST_SOURCE (self);
}

const char *
desk_folder_source_get_path (DeskFolderSource *self)
{
  g_return_val_if_fail (DESK_IS_FOLDER_SOURCE (self), NULL);
  return self->path;
}

static void
on_changed (GFileMonitor      *monitor,
            GFile             *file,
            GFile             *other,
            GFileMonitorEvent  event,
            DeskFolderSource  *self)
{
  g_autofree char *path = g_file_get_path (file);

  if (path == NULL)
    return;
  switch ((int) event)
    {
    case G_FILE_MONITOR_EVENT_CHANGES_DONE_HINT:
    case G_FILE_MONITOR_EVENT_MOVED_IN:
    case G_FILE_MONITOR_EVENT_RENAMED:
      {
        g_autofree char *target = event == G_FILE_MONITOR_EVENT_RENAMED && other != NULL
                                  ? g_file_get_path (other) : g_strdup (path);

        g_mutex_lock (&self->lock);
        g_hash_table_add (self->closed, g_steal_pointer (&target));
        g_mutex_unlock (&self->lock);
        desk_ingest_source_wake (DESK_INGEST_SOURCE (self));
      }
      break;
    case G_FILE_MONITOR_EVENT_CREATED:
    case G_FILE_MONITOR_EVENT_CHANGED:
      g_mutex_lock (&self->lock);
      g_hash_table_remove (self->closed, path);
      g_mutex_unlock (&self->lock);
      break;
    default:
      break;
    }
}

static GFileMonitor *
monitor_dir (DeskFolderSource  *self,
             const char        *path,
             GError           **error)
{
  g_autoptr(GFile) dir = g_file_new_for_path (path);
  GFileMonitor *monitor = g_file_monitor_directory (dir, G_FILE_MONITOR_WATCH_MOVES, NULL, error);

  if (monitor == NULL)
    {
      g_prefix_error (error, _("The inbox folder %s cannot be watched: "), path);
      return NULL;
    }
  g_signal_connect_object (monitor, "changed", G_CALLBACK (on_changed), self, 0);
  return monitor;
}

gboolean
desk_folder_source_watch (DeskFolderSource  *self,
                          GError           **error)
{
  g_return_val_if_fail (DESK_IS_FOLDER_SOURCE (self), FALSE);

  if (!g_file_test (self->path, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, DESK_ERROR, DESK_ERROR_NOT_FOUND,
                   _("The inbox folder %s does not exist"), self->path);
      return FALSE;
    }
  if (self->monitor == NULL)
    {
      self->monitor = monitor_dir (self, self->path, error);
      if (self->monitor == NULL)
        return FALSE;
    }
  if (self->maildir_monitor == NULL && is_maildir (self->path))
    {
      g_autofree char *new_dir = g_build_filename (self->path, "new", NULL);

      self->maildir_monitor = monitor_dir (self, new_dir, error);
      if (self->maildir_monitor == NULL)
        return FALSE;
    }
  return TRUE;
}
