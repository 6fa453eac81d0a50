/* fuzz-common.c — what the libFuzzer harnesses share
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "fuzz-common.h"

#include <errno.h>
#include <locale.h>
#include <stdlib.h>
#include <unistd.h>
#include <string.h>
#include <glib/gstdio.h>

/* GLib's writer ends a fatal message (g_error(), and here criticals and
 * warnings) with SIGTRAP, which libFuzzer does not catch: the run would
 * end without the input that caused it.  abort() it is, which libFuzzer
 * reports. */
static GLogWriterOutput
write_log (GLogLevelFlags   log_level,
           const GLogField *fields,
           gsize            n_fields,
           gpointer         user_data)
{
  if (log_level & (G_LOG_FLAG_FATAL | G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    {
      g_log_writer_standard_streams (log_level, fields, n_fields, user_data);
      abort ();
    }
  return g_log_writer_default (log_level, fields, n_fields, user_data);
}

/* The harness runs as a test does (tests/meson.build): the shipped rules
 * and language models, settings in memory, secrets in memory, and never
 * the tester's own database.  Set here rather than by meson so that a
 * harness run by hand, for hours, behaves the same. */
void
desk_fuzz_setup (void)
{
  g_setenv ("COPYDESK_LANGUAGE_MODELS", FUZZ_LANGUAGE_MODELS, TRUE);
  g_setenv ("GSETTINGS_SCHEMA_DIR", FUZZ_SCHEMA_DIR, TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_setenv ("COPYDESK_SPONSOR_RULES", "", TRUE);
  g_setenv ("COPYDESK_SECRETS", "memory", TRUE);
  g_setenv ("COPYDESK_DB", "", TRUE);
  g_setenv ("COPYDESK_EDITOR", "fuzz", TRUE);
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  setlocale (LC_ALL, "");

  /* A critical is a broken precondition inside the core: as much a bug
   * as a crash, so it ends the run with the input that caused it. */
  g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  g_log_set_writer_func (write_log, NULL, NULL);
}

/* The input as a NUL-terminated string (cut at its first NUL, as the
 * core's string functions would read it). */
char *
desk_fuzz_dup_text (const uint8_t *data,
                    size_t         size)
{
  return g_strndup ((const char *) data, size);
}

/* A folder for this process's files; callers delete what they put there.
 * In memory (/dev/shm) when there is such a place: a real SQLite file
 * still, but the importer harness runs nine times as many inputs a
 * second there as on the disk, where every import waits for fsync. */
char *
desk_fuzz_make_tmp_dir (void)
{
  g_autofree char *dir = NULL;

  if (g_file_test ("/dev/shm", G_FILE_TEST_IS_DIR) && g_access ("/dev/shm", W_OK) == 0)
    dir = g_build_filename ("/dev/shm", "copydesk-fuzz-XXXXXX", NULL);
  else
    dir = g_build_filename (g_get_tmp_dir (), "copydesk-fuzz-XXXXXX", NULL);

  if (g_mkdtemp (dir) == NULL)
    g_error ("Could not make a temporary folder %s: %s", dir, g_strerror (errno));
  return g_steal_pointer (&dir);
}
