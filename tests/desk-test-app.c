/* desk-test-app.c — running the real app under Xvfb, driven by xdotool
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "desk-test-app.h"

static gboolean
run_quiet (const char * const *argv)
{
  int status = 1;

  if (!g_spawn_sync (NULL, (char **) argv, NULL,
                     G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                     NULL, NULL, NULL, NULL, &status, NULL))
    return FALSE;
  return g_spawn_check_wait_status (status, NULL);
}

/* A display and xdotool: what driving the app needs. */
gboolean
desk_test_app_can_run (void)
{
  const char *version[] = { "xdotool", "version", NULL };

  return g_getenv ("DISPLAY") != NULL && run_quiet (version);
}

void
desk_test_app_xdotool (const char *first,
                       ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  va_list ap;

  g_ptr_array_add (argv, (gpointer) "xdotool");
  va_start (ap, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (argv, NULL);
  g_assert_true (run_quiet ((const char * const *) argv->pdata));
}

void
desk_test_app_settle (guint ms)
{
  g_usleep (ms * 1000);
}

/* Starts the built app on @db_path with extra arguments, waits (boundedly)
 * for its window and gives it the keyboard. */
GSubprocess *
desk_test_app_start (const char         *db_path,
                     const char * const *extra_args)
{
  g_autofree char *app = g_build_filename (g_getenv ("G_TEST_BUILDDIR"), "..", "src", "ui", "copydesk", NULL);
  const char *search[] = { "xdotool", "search", "--onlyvisible", "--name", "^Copydesk$", NULL };
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  GSubprocess *process;

  g_ptr_array_add (argv, app);
  g_ptr_array_add (argv, (gpointer) "--database");
  g_ptr_array_add (argv, (gpointer) db_path);
  for (guint i = 0; extra_args != NULL && extra_args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) extra_args[i]);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_newv ((const char * const *) argv->pdata, G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < 200 && !run_quiet (search); i++)
    g_usleep (50000);
  g_assert_true (run_quiet (search));
  desk_test_app_settle (800);
  desk_test_app_xdotool ("search", "--onlyvisible", "--name", "^Copydesk$", "windowfocus", "--sync", NULL);
  return process;
}
