/* pg-cli.c — the real copydesk-cli, run beside a test's own PostgreSQL
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "pg-cli.h"

static void
on_cli_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  DeskPgCli *cli = user_data;
  g_autoptr(GError) error = NULL;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (source), result, &cli->out, &cli->err, &error);
  cli->done = TRUE;
}

void
desk_pg_cli_start (DeskPgCli  *cli,
                   const char *first,
                   ...)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                       G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  va_list ap;

  g_ptr_array_add (argv, (gpointer) g_getenv ("COPYDESK_CLI"));
  g_assert_nonnull (argv->pdata[0]);
  va_start (ap, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (argv, NULL);
  *cli = (DeskPgCli) { 0 };
  cli->process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (cli->process, NULL, NULL, on_cli_done, cli);
}

DeskTestRun
desk_pg_cli_finish (DeskPgCli *cli)
{
  DeskTestRun run = { 0 };

  while (!cli->done)
    g_main_context_iteration (NULL, TRUE);
  run.status = g_subprocess_get_if_exited (cli->process) ? g_subprocess_get_exit_status (cli->process) : -1;
  run.out = cli->out;
  run.err = cli->err;
  if (g_test_verbose ())
    g_printerr ("%s%s(exit %d)\n", run.out, run.err, run.status);
  g_clear_object (&cli->process);
  return run;
}

gint64
desk_pg_query_int (DeskPg     *pg,
                   const char *sql)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PGresult) result = desk_pg_query (pg, sql, 0, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpint (PQntuples (result), ==, 1);
  return g_ascii_strtoll (PQgetvalue (result, 0, 0), NULL, 10);
}
