/* pg-harness.c — a real PostgreSQL 15 of a test's own
 *
 * initdb and pg_ctl in a temporary folder; the server listens on a Unix
 * socket in that folder only (listen_addresses ''), so no two runs, and
 * no server left behind by one, ever stand in each other's way.
 * PostgreSQL refuses to run as root: under root the server's programs
 * run as "nobody" (setpriv), in a folder given to it, and the test,
 * being root, still reaches the socket.  Authentication is "trust": the
 * tests are about rights, which the server checks whoever logs in.
 *
 * A guard process, in a session of its own, holds the read end of a pipe
 * whose write end only the test process holds: when the test ends, by
 * any means, kill -9 included, the guard reads end-of-file, stops the
 * server ("immediate") and removes the folder.
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <pwd.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <glib-unix.h>
#include <libpq-fe.h>

#include "desk-test-util.h"
#include "pg-harness.h"

#define PORT "5432"
#define SUPERUSER "desk_admin"

struct _DeskPgHarness
{
  char     *bindir;
  char     *dir;
  char     *data;
  GPtrArray *as_user;   /* the setpriv prefix, or empty */
  int       guard_fd;   /* our end of the guard's pipe */
  char     *port;
};

static GPtrArray *
command (DeskPgHarness *harness,
         const char    *program,
         ...)
{
  GPtrArray *argv = g_ptr_array_new_with_free_func (g_free);
  const char *arg;
  va_list args;

  for (guint i = 0; i < harness->as_user->len; i++)
    g_ptr_array_add (argv, g_strdup (g_ptr_array_index (harness->as_user, i)));
  g_ptr_array_add (argv, g_build_filename (harness->bindir, program, NULL));
  va_start (args, program);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, g_strdup (arg));
  va_end (args);
  g_ptr_array_add (argv, NULL);
  return argv;
}

static void
run_or_fail (DeskPgHarness *harness,
             GPtrArray     *argv,
             const char    *what)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = 0;

  if (!g_spawn_sync (harness->dir, (char **) argv->pdata, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                     &out, &err, &status, &error) ||
      !g_spawn_check_wait_status (status, &error))
    {
      g_autofree char *log_path = g_build_filename (harness->dir, "server.log", NULL);
      g_autofree char *log = NULL;

      g_file_get_contents (log_path, &log, NULL, NULL);
      g_error ("PostgreSQL test server: %s failed: %s\n%s%s%s", what, error->message,
               out != NULL ? out : "", err != NULL ? err : "", log != NULL ? log : "");
    }
  g_ptr_array_unref (argv);
}

/* Servers of test processes that died with their guard too: stopped and
 * removed, so that a stale one never piles up. */
static void
sweep_stale (DeskPgHarness *harness)
{
  g_autoptr(GDir) tmp = g_dir_open (g_get_tmp_dir (), 0, NULL);
  const char *name;

  while (tmp != NULL && (name = g_dir_read_name (tmp)) != NULL)
    {
      g_autofree char *dir = NULL;
      g_autofree char *owner_path = NULL;
      g_autofree char *owner = NULL;
      pid_t pid;

      if (!g_str_has_prefix (name, "copydesk-pg-"))
        continue;
      dir = g_build_filename (g_get_tmp_dir (), name, NULL);
      owner_path = g_build_filename (dir, "owner", NULL);
      if (!g_file_get_contents (owner_path, &owner, NULL, NULL))
        continue;
      pid = (pid_t) g_ascii_strtoll (owner, NULL, 10);
      if (pid <= 0 || kill (pid, 0) == 0 || errno != ESRCH)
        continue;
      {
        g_autofree char *data = g_build_filename (dir, "data", NULL);
        g_autofree char *pg_ctl = g_build_filename (harness->bindir, "pg_ctl", NULL);
        g_autoptr(GPtrArray) argv = g_ptr_array_new ();

        for (guint i = 0; i < harness->as_user->len; i++)
          g_ptr_array_add (argv, g_ptr_array_index (harness->as_user, i));
        g_ptr_array_add (argv, pg_ctl);
        g_ptr_array_add (argv, (char *) "stop");
        g_ptr_array_add (argv, (char *) "-D");
        g_ptr_array_add (argv, data);
        g_ptr_array_add (argv, (char *) "-m");
        g_ptr_array_add (argv, (char *) "immediate");
        g_ptr_array_add (argv, NULL);
        g_spawn_sync ("/", (char **) argv->pdata, NULL,
                      G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                      NULL, NULL, NULL, NULL);
        desk_test_remove_tree (dir);
      }
    }
}

static void
guard_setup (gpointer user_data)
{
  setsid ();
}

static void
start_guard (DeskPgHarness *harness)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) script = g_string_new ("read _; ");
  g_autofree char *pg_ctl = g_build_filename (harness->bindir, "pg_ctl", NULL);
  const char *argv[] = { "/bin/sh", "-c", NULL, NULL };
  int fds[2];

  for (guint i = 0; i < harness->as_user->len; i++)
    {
      g_autofree char *quoted = g_shell_quote (g_ptr_array_index (harness->as_user, i));

      g_string_append_printf (script, "%s ", quoted);
    }
  {
    g_autofree char *quoted_ctl = g_shell_quote (pg_ctl);
    g_autofree char *quoted_data = g_shell_quote (harness->data);
    g_autofree char *quoted_dir = g_shell_quote (harness->dir);

    g_string_append_printf (script, "%s stop -D %s -m immediate >/dev/null 2>&1; rm -rf %s",
                            quoted_ctl, quoted_data, quoted_dir);
  }
  argv[2] = script->str;

  g_assert_true (g_unix_open_pipe (fds, FD_CLOEXEC, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_async_with_pipes_and_fds ("/", argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                                                   guard_setup, NULL, fds[0], -1, -1, NULL, NULL, 0,
                                                   NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  close (fds[0]);
  harness->guard_fd = fds[1];
}

DeskPgHarness *
desk_pg_harness_start (void)
{
  return desk_pg_harness_start_full (NULL, 0);
}

DeskPgHarness *
desk_pg_harness_start_full (const char *extra_options,
                            guint       port)
{
  static const char * const pg_env[] = {
    "PGHOST", "PGHOSTADDR", "PGPORT", "PGUSER", "PGDATABASE", "PGPASSWORD",
    "PGPASSFILE", "PGSERVICE", "PGSERVICEFILE", "PGSSLMODE", "PGOPTIONS", "PGDATA",
  };
  DeskPgHarness *harness = g_new0 (DeskPgHarness, 1);
  g_autoptr(GError) error = NULL;
  g_autofree char *owner_path = NULL;
  g_autofree char *owner = NULL;
  g_autofree char *log = NULL;
  g_autofree char *options = NULL;
  g_autofree char *quoted_dir = NULL;
  const char *bindir = g_getenv ("COPYDESK_PG_BINDIR");

  for (guint i = 0; i < G_N_ELEMENTS (pg_env); i++)
    g_unsetenv (pg_env[i]);

  harness->bindir = g_strdup (bindir != NULL && *bindir != '\0' ? bindir : "/usr/lib/postgresql/15/bin");
  harness->as_user = g_ptr_array_new_with_free_func (g_free);
  harness->guard_fd = -1;
  harness->port = port > 0 ? g_strdup_printf ("%u", port) : g_strdup (PORT);
  if (geteuid () == 0)
    {
      struct passwd *nobody = getpwnam ("nobody");

      g_assert_nonnull (nobody);
      g_ptr_array_add (harness->as_user, g_strdup ("setpriv"));
      g_ptr_array_add (harness->as_user, g_strdup_printf ("--reuid=%u", (guint) nobody->pw_uid));
      g_ptr_array_add (harness->as_user, g_strdup_printf ("--regid=%u", (guint) nobody->pw_gid));
      g_ptr_array_add (harness->as_user, g_strdup ("--clear-groups"));
      g_ptr_array_add (harness->as_user, g_strdup ("--"));
    }

  sweep_stale (harness);

  harness->dir = g_dir_make_tmp ("copydesk-pg-XXXXXX", &error);
  g_assert_no_error (error);
  harness->data = g_build_filename (harness->dir, "data", NULL);
  owner_path = g_build_filename (harness->dir, "owner", NULL);
  owner = g_strdup_printf ("%d\n", (int) getpid ());
  g_assert_true (g_file_set_contents (owner_path, owner, -1, NULL));
  if (geteuid () == 0)
    {
      struct passwd *nobody = getpwnam ("nobody");

      g_assert_cmpint (chown (harness->dir, nobody->pw_uid, nobody->pw_gid), ==, 0);
    }

  start_guard (harness);

  run_or_fail (harness, command (harness, "initdb", "-D", harness->data, "-U", SUPERUSER, "-A", "trust",
                                 "--no-locale", "-E", "UTF8", "--no-sync", "--no-instructions", NULL),
               "initdb");
  log = g_build_filename (harness->dir, "server.log", NULL);
  quoted_dir = g_shell_quote (harness->dir);
  options = g_strdup_printf ("-c listen_addresses='' -k %s -p %s -c fsync=off"
                             " -c synchronous_commit=off -c full_page_writes=off %s", quoted_dir, harness->port,
                             extra_options != NULL ? extra_options : "");
  run_or_fail (harness, command (harness, "pg_ctl", "start", "-w", "-t", "3600", "-s", "-D", harness->data,
                                 "-l", log, "-o", options, NULL),
               "pg_ctl start");
  return harness;
}

void
desk_pg_harness_stop (DeskPgHarness *harness)
{
  if (harness == NULL)
    return;
  run_or_fail (harness, command (harness, "pg_ctl", "stop", "-w", "-t", "3600", "-s", "-D", harness->data,
                                 "-m", "fast", NULL),
               "pg_ctl stop");
  desk_test_remove_tree (harness->dir);
  /* The guard finds nothing left to do. */
  close (harness->guard_fd);
  g_ptr_array_unref (harness->as_user);
  g_free (harness->bindir);
  g_free (harness->dir);
  g_free (harness->data);
  g_free (harness->port);
  g_free (harness);
}

const char *
desk_pg_harness_get_superuser (DeskPgHarness *harness)
{
  return SUPERUSER;
}

const char *
desk_pg_harness_get_port (DeskPgHarness *harness)
{
  return harness->port;
}

const char *
desk_pg_harness_get_dir (DeskPgHarness *harness)
{
  return harness->dir;
}

char *
desk_pg_harness_address (DeskPgHarness *harness,
                         const char    *database,
                         const char    *user)
{
  g_autofree char *host = g_uri_escape_string (harness->dir, NULL, FALSE);

  return g_strdup_printf ("postgresql://%s@/%s?host=%s&port=%s",
                          user != NULL ? user : SUPERUSER, database, host, harness->port);
}

void
desk_pg_harness_sql (DeskPgHarness *harness,
                     const char    *database,
                     const char    *sql)
{
  g_autofree char *address = desk_pg_harness_address (harness, database, NULL);
  PGconn *conn = PQconnectdb (address);
  PGresult *result;

  if (PQstatus (conn) != CONNECTION_OK)
    g_error ("PostgreSQL test server: %s: %s", address, PQerrorMessage (conn));
  result = PQexec (conn, sql);
  if (PQresultStatus (result) != PGRES_COMMAND_OK && PQresultStatus (result) != PGRES_TUPLES_OK)
    g_error ("PostgreSQL test server: %s: %s", sql, PQresultErrorMessage (result));
  PQclear (result);
  PQfinish (conn);
}

char *
desk_pg_harness_create_database (DeskPgHarness *harness,
                                 const char    *name)
{
  g_autofree char *sql = g_strdup_printf ("CREATE DATABASE %s", name);

  desk_pg_harness_sql (harness, "postgres", sql);
  return desk_pg_harness_address (harness, name, NULL);
}
