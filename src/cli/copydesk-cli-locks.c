/* copydesk-cli-locks.c — soft locks on a team desk from a terminal
 *
 *   lock ID [--take-over]   takes release ID's lock and holds it until the
 *                           process is stopped (SIGTERM, SIGINT); says so
 *                           in one line when taken, and in another when
 *                           someone takes it over
 *   locks [--json]          the locks held: release, headline, editor, since
 *
 * A lock lives with the connection that took it (desk-db-locks.h): this
 * process's, so that kill -9 frees it too.
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <glib-unix.h>
#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "copydesk-cli-common.h"
#include "copydesk-cli-locks.h"
#include "desk-db-locks.h"

typedef struct {
  GMainLoop *loop;
  DeskDb    *db;
  gint64     release_id;
  int        status;
  gboolean   listen_pending;
  gboolean   stopped;
  guint      check_source;
} Holding;

static void check_still_ours (Holding *holding);

static gboolean
check_once (gpointer user_data)
{
  Holding *holding = user_data;

  holding->check_source = 0;
  if (!holding->stopped)
    check_still_ours (holding);
  return G_SOURCE_REMOVE;
}

static gboolean
on_stop (gpointer user_data)
{
  Holding *holding = user_data;

  holding->stopped = TRUE;
  g_main_loop_quit (holding->loop);
  return G_SOURCE_CONTINUE;
}

static void
on_listening (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Holding *holding = user_data;
  g_autoptr(GError) error = NULL;

  holding->listen_pending = FALSE;
  if (!desk_pg_listen_finish (DESK_PG (source), result, &error))
    {
      if (!holding->stopped)
        g_printerr ("copydesk-cli: %s\n", error->message);
      holding->status = EXIT_FAILED;
      holding->stopped = TRUE;
      g_main_loop_quit (holding->loop);
      return;
    }
  /* A take-over between taking the lock and listening was not heard:
   * asked once the connection is done with LISTEN. */
  if (!holding->stopped)
    holding->check_source = g_idle_add (check_once, holding);
}

/* Someone changed a lock: if it is ours and no longer ours, say who
 * took it over, and stop. */
static void
on_notification (DeskPg     *pg,
                 const char *channel,
                 const char *payload,
                 gpointer    user_data)
{
  Holding *holding = user_data;
  gint64 id;

  if (g_strcmp0 (channel, DESK_DB_LOCK_CHANNEL) != 0 || payload == NULL ||
      !g_ascii_string_to_signed (payload, 10, 1, G_MAXINT64, &id, NULL) || id != holding->release_id)
    return;
  check_still_ours (holding);
}

static void
check_still_ours (Holding *holding)
{
  g_autoptr(DeskLock) lock = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *when = NULL;
  gint64 id = holding->release_id;

  if (!desk_db_lock_get (holding->db, id, &lock, &error))
    {
      g_printerr ("copydesk-cli: %s\n", error->message);
      return;
    }
  if (lock == NULL || lock->mine)
    return;
  when = desk_lock_format_time (lock->since);
  g_print (_("%s took over release #%" PRId64 " at %s\n"), lock->holder, id, when);
  holding->status = EXIT_FAILED;
  holding->stopped = TRUE;
  g_main_loop_quit (holding->loop);
}

static void
on_connection_lost (DeskPg       *pg,
                    const GError *error,
                    gpointer      user_data)
{
  Holding *holding = user_data;

  g_printerr (_("copydesk-cli: the connection to the desk was lost, and the lock on release #%" PRId64 " with it: %s\n"),
              holding->release_id, error != NULL ? error->message : "");
  holding->status = EXIT_FAILED;
  holding->stopped = TRUE;
  g_main_loop_quit (holding->loop);
}

int
copydesk_cli_lock (int    argc,
                   char **argv)
{
  gboolean take_over = FALSE;
  const GOptionEntry entries[] = {
    { "take-over", 0, 0, G_OPTION_ARG_NONE, &take_over, N_("Take the lock from the editor who holds it (they are told)"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context =
    command_context (_("ID"),
                     _("On a team desk: take a release’s lock for editing and hold it until this command is stopped."),
                     entries);
  g_autoptr(DeskDb) db = NULL;
  g_autoptr(DeskLock) lock = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autofree char *when = NULL;
  Holding holding = { 0 };
  guint term, interrupt;
  DeskPg *pg;
  gint64 id;

  if (!parse_options (context, &argc, &argv))
    return EXIT_USAGE;
  if (argc != 2 || !parse_id (argv[1], &id))
    return usage_error (context, _("name one release by its number"));
  if (!open_team_desk (&db))
    return EXIT_FAILED;
  if (db == NULL)
    {
      g_print (_("#%" PRId64 ": a SQLite desk has one editor at a time and takes no locks\n"), id);
      return EXIT_OK;
    }

  /* Stopped from the moment the line below says the lock is held, it
   * lets the lock go. */
  loop = g_main_loop_new (NULL, FALSE);
  holding.loop = loop;
  term = g_unix_signal_add (SIGTERM, on_stop, &holding);
  interrupt = g_unix_signal_add (SIGINT, on_stop, &holding);
  if (!desk_db_lock_take (db, id, take_over, &lock, &error))
    {
      g_source_remove (term);
      g_source_remove (interrupt);
      return command_failed (error);
    }
  when = desk_lock_format_time (lock->since);
  g_print (_("#%" PRId64 ": locked for editing by %s since %s\n"), id, lock->holder, when);
  fflush (stdout);

  pg = desk_db_get_pg (db);
  holding.db = db;
  holding.release_id = id;
  holding.status = EXIT_OK;
  g_signal_connect (pg, "notification", G_CALLBACK (on_notification), &holding);
  g_signal_connect (pg, "connection-lost", G_CALLBACK (on_connection_lost), &holding);
  holding.listen_pending = TRUE;
  desk_pg_listen_async (pg, DESK_DB_LOCK_CHANNEL, NULL, on_listening, &holding);
  if (!holding.stopped)
    g_main_loop_run (loop);
  /* The connection takes one query at a time: LISTEN's first. */
  while (holding.listen_pending)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (term);
  g_source_remove (interrupt);
  g_clear_handle_id (&holding.check_source, g_source_remove);
  g_signal_handlers_disconnect_by_data (pg, &holding);

  if (desk_pg_is_connected (pg) && !desk_db_lock_release (db, id, &error))
    return command_failed (error);
  return holding.status;
}

int
copydesk_cli_locks (int    argc,
                    char **argv)
{
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context =
    command_context (NULL, _("List the releases being edited under a lock: release, headline, editor, since."), entries);
  g_autoptr(DeskDb) db = NULL;
  g_autoptr(GPtrArray) locks = NULL;
  g_autoptr(GError) error = NULL;

  if (!parse_options (context, &argc, &argv))
    return EXIT_USAGE;
  if (argc != 1)
    return usage_error (context, _("locks takes no arguments"));
  if (!open_team_desk (&db))
    return EXIT_FAILED;
  if (db != NULL && (locks = desk_db_lock_list (db, &error)) == NULL)
    return command_failed (error);
  if (locks == NULL)
    locks = g_ptr_array_new ();

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonGenerator) generator = json_generator_new ();
      g_autoptr(JsonNode) root = NULL;
      g_autofree char *text = NULL;

      json_builder_begin_array (builder);
      for (guint i = 0; i < locks->len; i++)
        {
          DeskLock *lock = g_ptr_array_index (locks, i);
          g_autoptr(GDateTime) at = g_date_time_new_from_unix_utc (lock->since / G_USEC_PER_SEC);
          g_autofree char *iso = at != NULL ? g_date_time_format_iso8601 (at) : NULL;

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "release");
          json_builder_add_int_value (builder, lock->release_id);
          json_builder_set_member_name (builder, "headline");
          json_builder_add_string_value (builder, lock->headline);
          json_builder_set_member_name (builder, "editor");
          json_builder_add_string_value (builder, lock->holder);
          json_builder_set_member_name (builder, "since");
          json_builder_add_string_value (builder, iso);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      root = json_builder_get_root (builder);
      json_generator_set_root (generator, root);
      json_generator_set_pretty (generator, TRUE);
      text = json_generator_to_data (generator, NULL);
      fputs (text, stdout);
      fputc ('\n', stdout);
      return EXIT_OK;
    }

  if (locks->len == 0)
    {
      g_print (_("no release is locked for editing\n"));
      return EXIT_OK;
    }
  for (guint i = 0; i < locks->len; i++)
    {
      DeskLock *lock = g_ptr_array_index (locks, i);
      g_autofree char *when = desk_lock_format_time (lock->since);

      /* Translators: release, headline, editor, since */
      g_print (_("#%" PRId64 "\t%s\t%s\tsince %s\n"), lock->release_id, lock->headline, lock->holder, when);
    }
  return EXIT_OK;
}
