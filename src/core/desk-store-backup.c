/* desk-store-backup.c — a copy of the desk while it is in use, and
 * noticing what other processes changed
 *
 * The backup reads the store through a connection of its own, in one read
 * transaction held for the whole copy: in WAL mode a reader never blocks a
 * writer, so the window and a running import go on writing while the copy
 * is made, and the copy is the database as it was when the backup began
 * (SQLite's backup API would otherwise start again after every write by
 * another connection, and could never finish beside a busy import).  The
 * pages go in chunks to a temporary file beside the destination, which is
 * checked and only then renamed into place: a backup under its final name
 * is always whole.
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "desk-error.h"
#include "desk-fts.h"
#include "desk-store.h"
#include "desk-store-private.h"

/* Pages copied per step: 4 MiB with SQLite's 4 KiB pages, a few
 * milliseconds of copying between looks at the cancellable. */
#define PAGES_PER_STEP 1024

/* ---- what other processes changed ---------------------------------------- */

/* A number that changes whenever another connection (another process, or a
 * thread with a store of its own) commits a change to the database; this
 * store's own changes leave it as it was.  Reading it costs no disk read
 * when nothing changed (SQLite looks at the WAL index in shared memory):
 * 7–12 µs on a store of a million releases (bench-backup), so a window may
 * ask several times a second.  -1 if it cannot be read. */
gint64
desk_store_get_data_version (DeskStore *self)
{
  g_auto(DeskStmt) stmt = NULL;

  g_return_val_if_fail (DESK_IS_STORE (self), -1);

  stmt = _desk_store_prepare (self, "PRAGMA data_version", NULL);
  if (stmt == NULL || sqlite3_step (stmt) != SQLITE_ROW)
    return -1;
  return sqlite3_column_int64 (stmt, 0);
}

/* ---- backup ---------------------------------------------------------------- */

static gboolean
same_file (const char *a,
           const char *b)
{
  GStatBuf sa, sb;

  return g_stat (a, &sa) == 0 && g_stat (b, &sb) == 0 &&
         sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/* Whether @path starts as every SQLite database does. */
static gboolean
is_database (const char *path)
{
  static const char magic[16] = "SQLite format 3";
  char header[16];
  gboolean ok = FALSE;
  int fd = g_open (path, O_RDONLY | O_NONBLOCK | O_CLOEXEC, 0);

  if (fd < 0)
    return FALSE;
  ok = read (fd, header, sizeof header) == sizeof header && memcmp (header, magic, sizeof header) == 0;
  close (fd);
  return ok;
}

/* The backup must not land on the live database, nor on the files SQLite
 * keeps beside it, nor on something that is not a file. */
static gboolean
check_destination (DeskStore   *self,
                   const char  *dest_path,
                   GError     **error)
{
  const char *live = desk_store_get_path (self);
  static const char * const sidecars[] = { "", "-wal", "-shm", "-journal" };
  g_autofree char *dest_abs = g_canonicalize_filename (dest_path, NULL);
  GStatBuf st;

  for (gsize i = 0; i < G_N_ELEMENTS (sidecars); i++)
    {
      g_autofree char *live_file = g_strconcat (live, sidecars[i], NULL);
      g_autofree char *live_abs = g_canonicalize_filename (live_file, NULL);

      if (g_str_equal (dest_abs, live_abs) || same_file (dest_path, live_file))
        {
          g_set_error (error, DESK_ERROR, DESK_ERROR_INVALID_INPUT,
                       _("%s is the desk’s own database: a backup goes to another file"), dest_path);
          return FALSE;
        }
    }

  if (g_stat (dest_path, &st) == 0)
    {
      if (S_ISDIR (st.st_mode))
        {
          g_set_error (error, DESK_ERROR, DESK_ERROR_INVALID_INPUT,
                       _("%s is a folder: name the backup file to write"), dest_path);
          return FALSE;
        }
      if (!S_ISREG (st.st_mode))
        {
          g_set_error (error, DESK_ERROR, DESK_ERROR_INVALID_INPUT,
                       _("%s is not a regular file: a backup replaces only a file"), dest_path);
          return FALSE;
        }
      if (st.st_size > 0 && !is_database (dest_path))
        {
          g_set_error (error, DESK_ERROR, DESK_ERROR_INVALID_INPUT,
                       _("%s is there already and is not a database: a backup replaces only an earlier backup"),
                       dest_path);
          return FALSE;
        }
    }
  return TRUE;
}

static void
remove_temporary (const char *path)
{
  static const char * const sidecars[] = { "", "-journal", "-wal", "-shm" };

  for (gsize i = 0; i < G_N_ELEMENTS (sidecars); i++)
    {
      g_autofree char *file = g_strconcat (path, sidecars[i], NULL);
      g_unlink (file);
    }
}

static void
set_sqlite_error (GError     **error,
                  sqlite3     *db,
                  const char  *dest_path)
{
  g_set_error (error, DESK_ERROR, DESK_ERROR_DATABASE,
               _("Could not back up the desk to %s: %s"), dest_path,
               db != NULL ? sqlite3_errmsg (db) : g_strerror (ENOMEM));
}

/* Opens the copy afresh, as a restore would, and asks SQLite whether every
 * page of it holds together. */
static gboolean
check_copy (const char  *copy_path,
            const char  *dest_path,
            int          expected_version,
            GError     **error)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  g_autofree char *verdict = NULL;
  int version = -1;
  gboolean ok = FALSE;

  if (sqlite3_open_v2 (copy_path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
    {
      set_sqlite_error (error, db, dest_path);
      goto out;
    }
  if (!desk_fts_register (db, error))
    goto out;

  if (sqlite3_prepare_v2 (db, "PRAGMA quick_check", -1, &stmt, NULL) != SQLITE_OK ||
      sqlite3_step (stmt) != SQLITE_ROW)
    {
      set_sqlite_error (error, db, dest_path);
      goto out;
    }
  verdict = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  stmt = NULL;
  if (g_strcmp0 (verdict, "ok") != 0)
    {
      g_set_error (error, DESK_ERROR, DESK_ERROR_DATABASE,
                   _("The backup written to %s did not pass SQLite’s check: %s"), dest_path,
                   verdict != NULL ? verdict : "?");
      goto out;
    }

  if (sqlite3_prepare_v2 (db, "PRAGMA user_version", -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    version = sqlite3_column_int (stmt, 0);
  if (version != expected_version)
    {
      g_set_error (error, DESK_ERROR, DESK_ERROR_DATABASE,
                   _("The backup written to %s has schema %d, not %d as the desk has"),
                   dest_path, version, expected_version);
      goto out;
    }
  ok = TRUE;

out:
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return ok;
}

/* So that the rename survives a power cut as well as the pages do. */
static void
sync_folder (const char *dir)
{
  int fd = g_open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);

  if (fd >= 0)
    {
      fsync (fd);
      close (fd);
    }
}

/**
 * desk_store_backup:
 * @self: the store
 * @dest_path: the file to write; an earlier backup (any SQLite database
 *   but the store's own) is replaced, any other file is left alone
 * @progress: (nullable): told the pages copied and the total after each
 *   chunk, on the calling thread
 * @progress_data: for @progress
 * @cancellable: (nullable): stops the copy between chunks
 * @error: where a problem is told, naming the file
 *
 * Copies the whole database to @dest_path while other connections and
 * processes go on reading and writing it.  It uses only the store's path,
 * never its connection, so it may run on a thread of its own while the
 * store serves the main thread.  The copy is a single file (rollback
 * journal, no WAL beside it) that desk_store_open() opens as it is.
 *
 * Returns: TRUE when a checked copy is at @dest_path
 */
gboolean
desk_store_backup (DeskStore           *self,
                   const char          *dest_path,
                   DeskBackupProgress   progress,
                   gpointer             progress_data,
                   GCancellable        *cancellable,
                   GError             **error)
{
  g_autofree char *dir = NULL;
  g_autofree char *base = NULL;
  g_autofree char *temp_path = NULL;
  sqlite3 *source = NULL;
  sqlite3 *copy = NULL;
  sqlite3_backup *backup = NULL;
  sqlite3_stmt *stmt = NULL;
  gboolean reading = FALSE;
  gboolean ok = FALSE;
  int version = -1;
  int fd;
  int rc;

  g_return_val_if_fail (DESK_IS_STORE (self), FALSE);
  g_return_val_if_fail (dest_path != NULL, FALSE);

  if (desk_store_is_team_desk (self))
    return _desk_store_team_unsupported (error);
  if (!check_destination (self, dest_path, error))
    return FALSE;

  dir = g_path_get_dirname (dest_path);
  base = g_path_get_basename (dest_path);
  temp_path = g_strdup_printf ("%s%s.%s.XXXXXX", dir, G_DIR_SEPARATOR_S, base);
  fd = g_mkstemp_full (temp_path, O_RDWR | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   _("Could not write the backup in %s: %s"), dir, g_strerror (saved_errno));
      g_clear_pointer (&temp_path, g_free);
      return FALSE;
    }
  close (fd);

  /* The source: a connection of our own, in one read transaction. */
  if (sqlite3_open_v2 (desk_store_get_path (self), &source,
                       SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
    {
      g_set_error (error, DESK_ERROR, DESK_ERROR_DATABASE,
                   _("Could not read the database %s: %s"), desk_store_get_path (self),
                   source != NULL ? sqlite3_errmsg (source) : g_strerror (ENOMEM));
      goto out;
    }
  sqlite3_busy_timeout (source, 5000);
  if (sqlite3_exec (source, "BEGIN", NULL, NULL, NULL) != SQLITE_OK ||
      sqlite3_prepare_v2 (source, "PRAGMA user_version", -1, &stmt, NULL) != SQLITE_OK ||
      sqlite3_step (stmt) != SQLITE_ROW)
    {
      g_set_error (error, DESK_ERROR, DESK_ERROR_DATABASE,
                   _("Could not read the database %s: %s"), desk_store_get_path (self),
                   sqlite3_errmsg (source));
      goto out;
    }
  reading = TRUE;
  version = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  stmt = NULL;

  if (sqlite3_open_v2 (temp_path, &copy, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
    {
      set_sqlite_error (error, copy, dest_path);
      goto out;
    }
  sqlite3_exec (copy, "PRAGMA synchronous = FULL", NULL, NULL, NULL);

  backup = sqlite3_backup_init (copy, "main", source, "main");
  if (backup == NULL)
    {
      set_sqlite_error (error, copy, dest_path);
      goto out;
    }

  do
    {
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        goto out;
      rc = sqlite3_backup_step (backup, PAGES_PER_STEP);
      if (progress != NULL && (rc == SQLITE_OK || rc == SQLITE_DONE))
        {
          int total = sqlite3_backup_pagecount (backup);

          progress ((guint) (total - sqlite3_backup_remaining (backup)), (guint) total, progress_data);
        }
      if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
        sqlite3_sleep (20);
    }
  while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);

  rc = sqlite3_backup_finish (backup);
  backup = NULL;
  if (rc != SQLITE_OK)
    {
      set_sqlite_error (error, copy, dest_path);
      goto out;
    }

  sqlite3_exec (source, "COMMIT", NULL, NULL, NULL);
  reading = FALSE;

  /* The source's header says WAL: the copy becomes one self-contained
   * file, and desk_store_open() turns WAL on again when it is used. */
  if (sqlite3_exec (copy, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL) != SQLITE_OK)
    {
      set_sqlite_error (error, copy, dest_path);
      goto out;
    }
  if (sqlite3_close (copy) != SQLITE_OK)
    {
      set_sqlite_error (error, copy, dest_path);
      goto out;
    }
  copy = NULL;

  if (!check_copy (temp_path, dest_path, version, error))
    goto out;

  if (g_rename (temp_path, dest_path) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   _("Could not put the backup in place at %s: %s"), dest_path, g_strerror (saved_errno));
      goto out;
    }
  sync_folder (dir);
  ok = TRUE;

out:
  sqlite3_finalize (stmt);
  if (backup != NULL)
    sqlite3_backup_finish (backup);
  if (copy != NULL)
    sqlite3_close (copy);
  if (reading)
    sqlite3_exec (source, "ROLLBACK", NULL, NULL, NULL);
  if (source != NULL)
    sqlite3_close (source);
  /* After a failure, the partial copy; after the rename, nothing is left
   * under the temporary name but a journal, if SQLite kept one. */
  remove_temporary (temp_path);
  return ok;
}
