/* desk-test-util.c — what several test programs need
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>

#include "desk-test-util.h"

/* Removes a test's temporary folder and all in it, even files a test made
 * unreadable; links are removed, not followed. */
void
desk_test_remove_tree (const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  while (handle != NULL && (name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *child = g_build_filename (dir, name, NULL);

      if (!g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        g_chmod (child, 0700);
      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        desk_test_remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (dir);
}
