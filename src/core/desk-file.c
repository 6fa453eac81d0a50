/* desk-file.c — reading the files an editor names, safely
 *
 * The importer and `copydesk-cli edit --from-file` read what a person
 * points them at, and that may be a named pipe (which blocks an open()
 * until something writes to it), a device such as /dev/zero (which never
 * ends) or a folder.  Here the kind of file is looked at before anything
 * can block: stat() first, then open() with O_NONBLOCK and fstat() again
 * (the name may have been swapped in between), and no more than the cap
 * and one byte is ever read, whatever the file claims its size is.
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "desk-error.h"
#include "desk-file.h"

/* What a file of @mode is, when it is not a regular file: a phrase that
 * follows its name ("…: a named pipe, not a file"); NULL for a regular
 * file. */
const char *
desk_file_describe_mode (mode_t mode)
{
  if (S_ISREG (mode))
    return NULL;
  if (S_ISFIFO (mode))
    return _("a named pipe, not a file");
  if (S_ISCHR (mode) || S_ISBLK (mode))
    return _("a device, not a file");
  if (S_ISSOCK (mode))
    return _("a socket, not a file");
  if (S_ISDIR (mode))
    return _("a folder, not a file");
  return _("not a regular file");
}

static void
set_errno_error (GError **error,
                 int      saved_errno)
{
  g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
               _("cannot be read: %s"), g_strerror (saved_errno));
}

static void
set_too_large_error (GError **error,
                     gsize    max_bytes)
{
  g_set_error (error, DESK_ERROR, DESK_ERROR_TOO_LARGE,
               _("the file is larger than %d MB, the most Copydesk reads"),
               (int) (max_bytes / (1024 * 1024)));
}

/* Reads what @fd gives, up to @max_bytes: a larger input is refused after
 * reading @max_bytes + 1 bytes of it.  The result ends in a NUL byte that
 * @out_len does not count. */
char *
desk_file_read_fd (int      fd,
                   gsize    max_bytes,
                   gsize   *out_len,
                   GError **error)
{
  g_autoptr(GByteArray) data = g_byte_array_new ();
  gsize done = 0;

  g_return_val_if_fail (fd >= 0, NULL);
  g_return_val_if_fail (out_len != NULL, NULL);

  for (;;)
    {
      gsize want = MIN ((gsize) 65536, max_bytes + 1 - done);
      gssize n;

      g_byte_array_set_size (data, (guint) (done + want));
      n = read (fd, data->data + done, want);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          set_errno_error (error, errno);
          return NULL;
        }
      if (n == 0)
        break;
      done += (gsize) n;
      if (done > max_bytes)
        {
          set_too_large_error (error, max_bytes);
          return NULL;
        }
    }

  g_byte_array_set_size (data, (guint) done + 1);
  data->data[done] = '\0';
  *out_len = done;
  return (char *) g_byte_array_free (g_steal_pointer (&data), FALSE);
}

/* Reads the regular file at @path (links to one are followed) whole,
 * refusing what is not a regular file and what is larger than @max_bytes,
 * without ever blocking on a pipe or reading a device. */
char *
desk_file_read_regular (const char  *path,
                        gsize        max_bytes,
                        gsize       *out_len,
                        GError     **error)
{
  const char *kind;
  char *data;
  GStatBuf st;
  int fd;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (out_len != NULL, NULL);

  if (g_stat (path, &st) != 0)
    {
      set_errno_error (error, errno);
      return NULL;
    }
  if ((kind = desk_file_describe_mode (st.st_mode)) != NULL)
    {
      g_set_error_literal (error, DESK_ERROR, DESK_ERROR_INVALID_INPUT, kind);
      return NULL;
    }
  if (st.st_size > 0 && (guint64) st.st_size > max_bytes)
    {
      g_set_error (error, DESK_ERROR, DESK_ERROR_TOO_LARGE,
                   _("the file is %.1f MB; Copydesk imports releases of up to %d MB"),
                   st.st_size / (1024.0 * 1024.0), (int) (max_bytes / (1024 * 1024)));
      return NULL;
    }

  fd = g_open (path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK, 0);
  if (fd < 0)
    {
      set_errno_error (error, errno);
      return NULL;
    }
  if (fstat (fd, &st) != 0 || (kind = desk_file_describe_mode (st.st_mode)) != NULL)
    {
      if (kind != NULL)
        g_set_error_literal (error, DESK_ERROR, DESK_ERROR_INVALID_INPUT, kind);
      else
        set_errno_error (error, errno);
      close (fd);
      return NULL;
    }

  data = desk_file_read_fd (fd, max_bytes, out_len, error);
  close (fd);
  return data;
}
