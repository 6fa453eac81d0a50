/* copydesk-cli-ingest.c — `copydesk-cli feed` and `copydesk-cli ingest`
 *
 * Releases that arrive by themselves: subscriptions to feeds, the watched
 * inbox folder, and the service that runs them all until it is stopped
 * (SIGTERM or Ctrl+C: the item in hand is finished first).
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <glib/gi18n.h>
#include <glib-unix.h>
#include <json-glib/json-glib.h>

#include "copydesk-cli-common.h"
#include "copydesk-cli-ingest.h"
#include "desk-feed.h"
#include "desk-folder-source.h"
#include "desk-ingest.h"
#include "desk-mailboxes-source.h"
#include "desk-settings.h"
#include "desk-source.h"
#include "desk-store.h"

static char *
format_time (gint64 usec)
{
  time_t seconds = (time_t) (usec / G_USEC_PER_SEC);
  struct tm tm;
  char text[32];

  if (usec <= 0)
    return g_strdup (_("never"));
  if (localtime_r (&seconds, &tm) == NULL ||
      strftime (text, sizeof text, "%Y-%m-%d %H:%M", &tm) == 0)
    return g_strdup ("?");
  return g_strdup (text);
}

static void
print_counts (const char             *label,
              const DeskIngestCounts *counts)
{
  g_print (_("%s: %u new, %u updated, %u seen before, %u not read\n"), label,
           counts->new_items, counts->updated_items, counts->seen_items, counts->failed_items);
}

/* ---- feed ---------------------------------------------------------------- */

static int
feed_add (int    argc,
          char **argv)
{
  g_autofree char *name = NULL;
  const GOptionEntry entries[] = {
    { "name", 'n', 0, G_OPTION_ARG_STRING, &name, N_("Call the feed NAME (default: its site’s host name)"), N_("NAME") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = command_context (_("URL"), _("Subscribe to an RSS or Atom feed."), entries);
  g_autoptr(DeskStore) store = NULL;
  g_autoptr(GError) error = NULL;

  if (!parse_options (context, &argc, &argv))
    return EXIT_USAGE;
  if (argc != 2)
    return usage_error (context, _("name one feed address"));
  store = open_store ();
  if (store == NULL)
    return EXIT_FAILED;
  if (desk_feed_add (store, argv[1], name, &error) == 0)
    return command_failed (error);
  {
    g_autoptr(DeskFeedInfo) info = desk_feed_find (store, argv[1], NULL);

    g_print (_("feed %s added: %s\n"), info != NULL ? info->name : argv[1], argv[1]);
  }
  return EXIT_OK;
}

static int
feed_list (int    argc,
           char **argv)
{
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = command_context (NULL, _("List the subscribed feeds, when each was last read, and its last error."), entries);
  g_autoptr(DeskStore) store = NULL;
  g_autoptr(GPtrArray) feeds = NULL;
  g_autoptr(GError) error = NULL;

  if (!parse_options (context, &argc, &argv))
    return EXIT_USAGE;
  store = open_store ();
  if (store == NULL)
    return EXIT_FAILED;
  feeds = desk_feed_list (store, &error);
  if (feeds == NULL)
    return command_failed (error);

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonGenerator) generator = json_generator_new ();
      g_autoptr(JsonNode) root = NULL;
      g_autofree char *text = NULL;

      json_builder_begin_array (builder);
      for (guint i = 0; i < feeds->len; i++)
        {
          DeskFeedInfo *info = g_ptr_array_index (feeds, i);

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "name");
          json_builder_add_string_value (builder, info->name);
          json_builder_set_member_name (builder, "url");
          json_builder_add_string_value (builder, info->url);
          json_builder_set_member_name (builder, "last_fetched_at");
          if (info->last_fetched_at > 0)
            {
              g_autoptr(GDateTime) when = g_date_time_new_from_unix_utc (info->last_fetched_at / G_USEC_PER_SEC);
              g_autofree char *iso = g_date_time_format_iso8601 (when);

              json_builder_add_string_value (builder, iso);
            }
          else
            json_builder_add_null_value (builder);
          json_builder_set_member_name (builder, "last_error");
          if (info->last_error != NULL)
            json_builder_add_string_value (builder, info->last_error);
          else
            json_builder_add_null_value (builder);
          json_builder_set_member_name (builder, "failures");
          json_builder_add_int_value (builder, info->failures);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      root = json_builder_get_root (builder);
      json_generator_set_pretty (generator, TRUE);
      json_generator_set_root (generator, root);
      text = json_generator_to_data (generator, NULL);
      g_print ("%s\n", text);
      return EXIT_OK;
    }

  for (guint i = 0; i < feeds->len; i++)
    {
      DeskFeedInfo *info = g_ptr_array_index (feeds, i);
      g_autofree char *when = format_time (info->last_fetched_at);

      g_print ("%-20s %-16s %s\n", info->name, when, info->url);
      if (info->last_error != NULL)
        g_print ("  %s\n", info->last_error);
    }
  return EXIT_OK;
}

static int
feed_remove (int    argc,
             char **argv)
{
  g_autoptr(GOptionContext) context = command_context (_("NAME|URL"), _("Unsubscribe from a feed; the releases it brought stay."), NULL);
  g_autoptr(DeskStore) store = NULL;
  g_autoptr(GError) error = NULL;

  if (!parse_options (context, &argc, &argv))
    return EXIT_USAGE;
  if (argc != 2)
    return usage_error (context, _("name the feed to remove"));
  store = open_store ();
  if (store == NULL)
    return EXIT_FAILED;
  if (!desk_feed_remove (store, argv[1], &error))
    return command_failed (error);
  g_print (_("feed %s removed\n"), argv[1]);
  return EXIT_OK;
}

static int
feed_fetch (int    argc,
            char **argv)
{
  int timeout = 0;
  const GOptionEntry entries[] = {
    { "timeout", 0, 0, G_OPTION_ARG_INT, &timeout, N_("Wait at most SECONDS for the feed to answer (default: 30)"), N_("SECONDS") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = command_context (_("[NAME|URL…]"), _("Read feeds now, due or not (all of them if none is named)."), entries);
  g_autoptr(DeskStore) store = NULL;
  g_autoptr(GPtrArray) feeds = NULL;
  g_autoptr(GError) error = NULL;
  int status = EXIT_OK;

  if (!parse_options (context, &argc, &argv))
    return EXIT_USAGE;
  if (timeout < 0)
    return usage_error (context, _("--timeout takes a number of seconds"));
  store = open_store ();
  if (store == NULL)
    return EXIT_FAILED;

  if (argc > 1)
    {
      feeds = g_ptr_array_new_with_free_func ((GDestroyNotify) desk_feed_info_free);
      for (int i = 1; i < argc; i++)
        {
          DeskFeedInfo *info = desk_feed_find (store, argv[i], &error);

          if (info == NULL)
            return command_failed (error);
          g_ptr_array_add (feeds, info);
        }
    }
  else if ((feeds = desk_feed_list (store, &error)) == NULL)
    return command_failed (error);

  for (guint i = 0; i < feeds->len; i++)
    {
      DeskFeedInfo *info = g_ptr_array_index (feeds, i);
      g_autoptr(GError) fetch_error = NULL;
      DeskIngestCounts counts = { 0 };

      if (!desk_feed_fetch (store, info->id, 0, (guint) timeout, &counts, NULL, &fetch_error))
        {
          g_printerr ("copydesk-cli: %s\n", fetch_error->message);
          status = EXIT_FAILED;
          continue;
        }
      print_counts (info->name, &counts);
    }
  return status;
}

int
copydesk_cli_feed (int    argc,
                   char **argv)
{
  static const struct {
    const char *name;
    int       (*run) (int argc, char **argv);
  } subcommands[] = {
    { "add", feed_add },
    { "list", feed_list },
    { "remove", feed_remove },
    { "fetch", feed_fetch },
  };

  if (argc >= 2)
    for (gsize i = 0; i < G_N_ELEMENTS (subcommands); i++)
      if (g_str_equal (argv[1], subcommands[i].name))
        {
          int status;

          argv[1] = argv[0];
          status = subcommands[i].run (argc - 1, argv + 1);
          g_clear_pointer (&opt_database, g_free);
          g_clear_pointer (&opt_editor, g_free);
          return status;
        }

  g_printerr ("%s\n", _("Usage: copydesk-cli feed add URL [--name NAME] | list [--json] | remove NAME|URL | fetch [NAME|URL…]"));
  return EXIT_USAGE;
}

/* ---- show ---------------------------------------------------------------- */

/* The embargo line of `show`: the time as it was stated, in its zone. */
void
copydesk_cli_print_embargo (DeskStore *store,
                            gint64     release_id)
{
  g_autoptr(GDateTime) embargo = NULL;
  g_autofree char *zone = NULL;

  if (!desk_source_get_embargo (store, release_id, &embargo, &zone, NULL))
    return;
  if (embargo == NULL)
    g_print (_("Embargo:     held for release until an editor lifts it\n"));
  else
    {
      g_autofree char *when = g_date_time_format (embargo, "%Y-%m-%d %H:%M");
      g_autofree char *offset = g_date_time_format (embargo, "%:z");

      g_print (_("Embargo:     %s %s (UTC%s)\n"), when, zone != NULL ? zone : "", offset);
    }
}

/* ---- ingest -------------------------------------------------------------- */

typedef struct {
  GMainLoop *loop;
  int        status;
} Watch;

static gboolean
on_signal (gpointer data)
{
  Watch *watch = data;

  g_main_loop_quit (watch->loop);
  return G_SOURCE_CONTINUE;
}

static void
on_ingested (DeskIngest *ingest,
             const char *label,
             guint       new_items,
             guint       updated_items,
             guint       failed_items,
             Watch      *watch)
{
  g_print (_("%s: %u new, %u updated, %u not read\n"), label, new_items, updated_items, failed_items);
}

static void
on_source_failed (DeskIngest *ingest,
                  const char *label,
                  const char *message,
                  Watch      *watch)
{
  g_printerr ("copydesk-cli: %s\n", message);
}

static void
on_source_recovered (DeskIngest *ingest,
                     const char *label,
                     Watch      *watch)
{
  g_printerr (_("copydesk-cli: %s works again\n"), label);
}

/* One look at every source: the feeds that are due and the folder,
 * waiting for files still being written there. */
static int
ingest_once (DeskStore *store,
             DeskDb    *db,
             GPtrArray *sources)
{
  int status = EXIT_OK;

  for (guint i = 0; i < sources->len; i++)
    {
      DeskIngestSource *source = g_ptr_array_index (sources, i);
      g_autofree char *label = desk_ingest_source_dup_label (source);
      DeskIngestCounts counts = { 0 };
      gboolean ok;

      do
        {
          g_autoptr(GError) error = NULL;

          ok = db != NULL ? desk_ingest_source_poll_db (source, db, &counts, NULL, &error)
                          : desk_ingest_source_poll (source, store, &counts, NULL, &error);
          if (!ok)
            {
              g_printerr ("copydesk-cli: %s\n", error->message);
              status = EXIT_FAILED;
            }
          else if (DESK_IS_FOLDER_SOURCE (source) && desk_ingest_source_get_interval (source) == 1)
            g_usleep (G_USEC_PER_SEC / 5);   /* a file is still being written */
        }
      while (ok && DESK_IS_FOLDER_SOURCE (source) && desk_ingest_source_get_interval (source) == 1);
      if (counts.failed_items > 0)
        status = EXIT_FAILED;
      print_counts (label, &counts);
    }
  return status;
}

int
copydesk_cli_ingest (int    argc,
                     char **argv)
{
  g_autofree char *folder = NULL;
  gboolean watch = FALSE;
  gboolean no_feeds = FALSE;
  const GOptionEntry entries[] = {
    { "folder", 0, 0, G_OPTION_ARG_FILENAME, &folder, N_("Read the releases dropped into DIR (default: the inbox folder in settings)"), N_("DIR") },
    { "watch", 0, 0, G_OPTION_ARG_NONE, &watch, N_("Go on until stopped: read new files as they are closed, and feeds on their interval"), NULL },
    { "no-feeds", 0, 0, G_OPTION_ARG_NONE, &no_feeds, N_("Leave the feeds out"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = command_context (NULL,
                                                       _("Bring in releases from the inbox folder and the subscribed feeds: once, or with --watch until stopped (SIGTERM finishes the item in hand)."),
                                                       entries);
  g_autoptr(DeskStore) store = NULL;
  g_autoptr(DeskDb) db = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  if (!parse_options (context, &argc, &argv))
    goto usage;
  if (argc != 1)
    {
      usage_error (context, _("ingest takes no file names: use --folder DIR"));
      goto usage;
    }

  if (!open_team_desk (&db) || (db == NULL && (store = open_store ()) == NULL))
    {
      status = EXIT_FAILED;
      goto out;
    }
  if (db != NULL)
    {
      g_autoptr(GSettings) settings = NULL;

      /* The server records who logged in, as `import` says. */
      if (opt_editor != NULL)
        {
          usage_error (context, _("on a team desk the editor is the role that logs in; "
                                  "--editor is not taken"));
          goto usage;
        }
      /* Only the folder runs on a team desk so far. */
      if (folder == NULL && (settings = desk_settings_new_if_installed ("inbox-folder")) != NULL)
        {
          g_autofree char *configured = g_settings_get_string (settings, "inbox-folder");

          if (*configured != '\0')
            folder = g_steal_pointer (&configured);
        }
      if (folder == NULL)
        {
          usage_error (context, _("on a team desk (PostgreSQL), ingest reads a folder only: name it with --folder DIR"));
          goto usage;
        }
      if (!no_feeds)
        g_printerr ("%s\n", _("copydesk-cli: feeds and mailboxes do not run on a team desk yet: only the folder is read"));
    }

  if (!watch)
    {
      g_autoptr(GPtrArray) sources = g_ptr_array_new_with_free_func (g_object_unref);
      g_autoptr(GSettings) settings = NULL;
      g_autofree char *configured = NULL;

      if (!no_feeds && db == NULL)
        g_ptr_array_add (sources, desk_feeds_source_new (0, 0));
      if (db == NULL)
        g_ptr_array_add (sources, desk_mailboxes_source_new ());
      if (folder == NULL && (settings = desk_settings_new_if_installed ("inbox-folder")) != NULL)
        {
          configured = g_settings_get_string (settings, "inbox-folder");
          if (*configured != '\0')
            folder = g_strdup (configured);
        }
      if (folder != NULL)
        {
          if (!g_file_test (folder, G_FILE_TEST_IS_DIR))
            {
              g_printerr (_("copydesk-cli: the inbox folder %s does not exist\n"), folder);
              status = EXIT_FAILED;
              goto out;
            }
          g_ptr_array_add (sources, desk_folder_source_new (folder));
        }
      status = ingest_once (store, db, sources);
      goto out;
    }

  {
    g_autofree char *address = db != NULL ? dup_database_address () : g_strdup (desk_store_get_path (store));
    g_autoptr(DeskIngest) ingest = desk_ingest_new (address);
    Watch state = { g_main_loop_new (NULL, FALSE), EXIT_OK };
    guint term, interrupt;

    if (no_feeds || db != NULL)
      {
        if (folder == NULL)
          {
            usage_error (context, _("--no-feeds needs --folder DIR"));
            g_main_loop_unref (state.loop);
            goto usage;
          }
        {
          g_autoptr(DeskIngestSource) inbox = desk_folder_source_new (folder);

          if (!desk_folder_source_watch (DESK_FOLDER_SOURCE (inbox), &error))
            {
              g_printerr ("copydesk-cli: %s\n", error->message);
              g_main_loop_unref (state.loop);
              status = EXIT_FAILED;
              goto out;
            }
          desk_ingest_add_source (ingest, inbox);
        }
        if (db == NULL)
          {
            g_autoptr(DeskIngestSource) mailboxes = desk_mailboxes_source_new ();

            desk_ingest_add_source (ingest, mailboxes);
          }
      }
    else if (!desk_ingest_add_default_sources (ingest, folder, &error))
      {
        g_printerr ("copydesk-cli: %s\n", error->message);
        g_main_loop_unref (state.loop);
        status = EXIT_FAILED;
        goto out;
      }

    g_signal_connect (ingest, "ingested", G_CALLBACK (on_ingested), &state);
    g_signal_connect (ingest, "source-failed", G_CALLBACK (on_source_failed), &state);
    g_signal_connect (ingest, "source-recovered", G_CALLBACK (on_source_recovered), &state);
    term = g_unix_signal_add (SIGTERM, on_signal, &state);
    interrupt = g_unix_signal_add (SIGINT, on_signal, &state);

    /* The database is the worker's now: this connection closes. */
    g_clear_object (&store);
    g_clear_object (&db);
    desk_ingest_start (ingest);
    g_main_loop_run (state.loop);
    desk_ingest_stop (ingest);
    /* What the worker said last is printed before leaving. */
    while (g_main_context_iteration (NULL, FALSE))
      ;

    g_source_remove (term);
    g_source_remove (interrupt);
    g_main_loop_unref (state.loop);
    status = state.status;
  }

out:
  g_clear_pointer (&opt_database, g_free);
  g_clear_pointer (&opt_editor, g_free);
  return status;

usage:
  g_clear_pointer (&opt_database, g_free);
  g_clear_pointer (&opt_editor, g_free);
  return EXIT_USAGE;
}
