/* copydesk-cli.c — the copy desk from a terminal
 *
 * The same core as the window: a behaviour tested through the CLI is the
 * behaviour the window has.  Exit status: 0 when all went well, 1 when some
 * input failed, 2 for a usage error.
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "copydesk-cli-common.h"
#include "copydesk-cli-ingest.h"
#include "copydesk-cli-desk.h"
#include "copydesk-cli-locks.h"
#include "desk-check.h"
#include "desk-copies.h"
#include "desk-db-edit.h"
#include "desk-db-locks.h"
#include "desk-db-import.h"
#include "desk-db-outbox.h"
#include "desk-db-releases.h"
#include "desk-db-targets.h"
#include "desk-diff.h"
#include "desk-detector.h"
#include "desk-error.h"
#include "desk-i18n.h"
#include "desk-eval.h"
#include "desk-export.h"
#include "desk-file.h"
#include "desk-importer.h"
#include "desk-mailbox.h"
#include "desk-outbox.h"
#include "desk-pg-schema.h"
#include "desk-publisher.h"
#include "desk-secrets.h"
#include "desk-store.h"
#include "desk-store-check.h"
#include "desk-terminal.h"

char *opt_database;
char *opt_editor;

static const GOptionEntry common_entries[] = {
  { "database", 'd', 0, G_OPTION_ARG_FILENAME, &opt_database,
    N_("Use the database at PATH, or the team desk at a postgresql:// address (default: $COPYDESK_DB, else the user data folder)"), N_("PATH") },
  { "editor", 0, 0, G_OPTION_ARG_STRING, &opt_editor,
    N_("Record NAME as the editor who acts (default: the editor name in settings)"), N_("NAME") },
  { NULL }
};

typedef struct {
  const char *name;
  const char *parameters;
  const char *summary;
  int       (*run) (int argc, char **argv);
} Command;

int
usage_error (GOptionContext *context,
             const char     *message)
{
  g_autofree char *help = context != NULL ? g_option_context_get_help (context, TRUE, NULL) : NULL;

  g_printerr ("copydesk-cli: %s\n", message);
  if (help != NULL)
    g_printerr ("\n%s", help);
  return EXIT_USAGE;
}

GOptionContext *
command_context (const char         *parameters,
                 const char         *summary,
                 const GOptionEntry *entries)
{
  GOptionContext *context = g_option_context_new (parameters);

  g_option_context_set_summary (context, summary);
  g_option_context_add_main_entries (context, common_entries, GETTEXT_PACKAGE);
  if (entries != NULL)
    g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  return context;
}

/* Parses a command's options; FALSE (after saying why) on a usage error. */
gboolean
parse_options (GOptionContext *context,
               int            *argc,
               char         ***argv)
{
  g_autoptr(GError) error = NULL;

  if (!g_option_context_parse (context, argc, argv, &error))
    {
      usage_error (context, error->message);
      return FALSE;
    }
  return TRUE;
}

/* The desk's address: --database, else COPYDESK_DB, else the default
 * file. */
char *
dup_database_address (void)
{
  return opt_database != NULL ? g_strdup (opt_database) : desk_store_dup_default_path ();
}

/* A team desk (a "postgresql://" address) is read and moved through a
 * DeskDb by the commands ported to it so far: import, list, show, edit,
 * clean, decide, set-status, export, publish, outbox, target (and
 * desk).  *@out_db is NULL for a SQLite desk, which those commands
 * keep opening as a DeskStore.  FALSE, after saying why, when the team
 * desk cannot be opened. */
gboolean
open_team_desk (DeskDb **out_db)
{
  g_autofree char *address = dup_database_address ();
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskDb) db = NULL;

  *out_db = NULL;
  if (!desk_pg_is_address (address))
    return TRUE;
  db = desk_db_open (address, &error);
  if (db == NULL || !desk_pg_schema_check (desk_db_get_pg (db), &error))
    {
      g_printerr ("copydesk-cli: %s\n", error->message);
      return FALSE;
    }
  *out_db = g_steal_pointer (&db);
  return TRUE;
}

DeskStore *
open_store (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *address = dup_database_address ();
  DeskStore *store;

  if (desk_pg_is_address (address))
    {
      const char *command = g_get_prgname ();

      if (command != NULL && g_str_has_prefix (command, "copydesk-cli "))
        command += strlen ("copydesk-cli ");
      g_printerr (_("copydesk-cli: “%s” does not run on a team desk (PostgreSQL) yet; "
                    "import, ingest --folder, list, show, copies, edit, clean, decide, set-status, export, publish, outbox, desk and target do\n"), command != NULL ? command : "");
      return NULL;
    }

  store = desk_store_open (opt_database, &error);

  if (store == NULL)
    g_printerr ("copydesk-cli: %s\n", error->message);
  return store;
}

/* Says @error's message as every command does, and gives the exit status
 * for it. */
int
command_failed (const GError *error)
{
  g_printerr ("copydesk-cli: %s\n", error->message);
  return EXIT_FAILED;
}

gboolean
parse_id (const char *text,
          gint64     *out_id)
{
  guint64 value;

  if (text != NULL && text[0] == '#')
    text++;
  if (text == NULL || !g_ascii_string_to_unsigned (text, 10, 1, G_MAXINT64, &value, NULL))
    return FALSE;
  *out_id = (gint64) value;
  return TRUE;
}

/* Local time, as a listing shows it.  (localtime_r, not GDateTime: GLib
 * looks the time zone up on disk again for every row of a long list.) */
static char *
format_time (gint64 usec)
{
  time_t seconds = (time_t) (usec / G_USEC_PER_SEC);
  struct tm tm;
  char text[32];

  if (localtime_r (&seconds, &tm) == NULL ||
      strftime (text, sizeof text, "%Y-%m-%d %H:%M", &tm) == 0)
    return g_strdup ("?");
  return g_strdup (text);
}

static char *
format_time_iso (gint64 usec)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (usec / G_USEC_PER_SEC);

  return utc != NULL ? g_date_time_format_iso8601 (utc) : NULL;
}

static void
print_json (JsonBuilder *builder)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  g_autofree char *text = NULL;

  json_generator_set_pretty (generator, TRUE);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, NULL);
  /* Exact, for programs: not through the print handler that escapes. */
  fputs (text, stdout);
  fputs ("\n", stdout);
}

static void
add_string (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static void
add_time (JsonBuilder *builder,
          const char  *name,
          gint64       usec)
{
  g_autofree char *iso = usec > 0 ? format_time_iso (usec) : NULL;

  add_string (builder, name, iso);
}

static void
add_int (JsonBuilder *builder,
         const char  *name,
         gint64       value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_int_value (builder, value);
}

static void
add_summary_members (JsonBuilder *builder,
                     DeskRelease *release)
{
  add_int (builder, "id", desk_release_get_id (release));
  add_string (builder, "headline", desk_release_get_headline (release));
  add_string (builder, "status", desk_status_to_string (desk_release_get_status (release)));
  add_string (builder, "source", desk_release_get_source (release));
  add_string (builder, "language", desk_release_get_language (release));
  add_time (builder, "received_at", desk_release_get_received_at (release));
  json_builder_set_member_name (builder, "sponsored");
  json_builder_add_boolean_value (builder, desk_release_get_sponsored (release));
  add_string (builder, "verdict", desk_verdict_to_string (desk_release_get_effective_verdict (release)));
  json_builder_set_member_name (builder, "score");
  json_builder_add_double_value (builder, desk_release_get_score (release));
  add_string (builder, "sponsor_decision", desk_sponsor_decision_to_string (desk_release_get_sponsor_decision (release)));
}

/* The first @n characters of @text, and "…" if there was more. */
static char *
excerpt (const char *text,
         glong       n)
{
  if (text == NULL)
    return g_strdup ("");
  if (g_utf8_strlen (text, -1) <= n)
    return g_strdup (text);
  {
    g_autofree char *head = g_utf8_substring (text, 0, n);
    return g_strconcat (head, "…", NULL);
  }
}

/* ---- import -------------------------------------------------------------- */

static int
command_import (int    argc,
                char **argv)
{
  g_autoptr(GOptionContext) context = command_context (_("FILE|FOLDER…"),
                                                       _("Import press releases (.txt, .md) into the queue."),
                                                       NULL);
  g_autoptr(DeskStore) store = NULL;
  g_autoptr(DeskDb) db = NULL;
  g_autoptr(DeskImportReport) report = NULL;

  if (!parse_options (context, &argc, &argv))
    return EXIT_USAGE;
  if (argc < 2)
    return usage_error (context, _("name at least one file or folder to import"));

  if (!open_team_desk (&db))
    return EXIT_FAILED;
  if (db != NULL)
    {
      /* The server records who logged in. */
      if (opt_editor != NULL)
        return usage_error (context, _("on a team desk the editor is the role that logs in; "
                                       "--editor is not taken"));
      report = desk_db_import_paths (db, (const char * const *) argv + 1);
    }
  else
    {
      store = open_store ();
      if (store == NULL)
        return EXIT_FAILED;
      report = desk_import_paths (store, (const char * const *) argv + 1, opt_editor, NULL, NULL, NULL);
    }

  g_print (_("imported %u, duplicates %u, failed %u"), report->imported, report->duplicates, report->failed);
  g_print ("\n");
  for (guint i = 0; i < report->items->len; i++)
    {
      DeskImportItem *item = g_ptr_array_index (report->items, i);

      if (item->outcome == DESK_IMPORT_FAILED)
        g_print (_("failed: %s: %s\n"), item->path, item->message);
      else if (item->outcome == DESK_IMPORT_DUPLICATE)
        g_print (_("duplicate: %s: %s\n"), item->path, item->message);
      else if (item->outcome == DESK_IMPORT_IMPORTED && item->message != NULL)
        g_print (_("converted: %s: %s\n"), item->path, item->message);
    }
  if (report->stopped != NULL)
    {
      g_print (_("stopped: %s\n"), report->stopped);
      g_print (_("%u stored, %u not tried\n"), report->imported, report->not_tried);
    }

  return report->failed > 0 || report->stopped != NULL ? EXIT_FAILED : EXIT_OK;
}

/* ---- list ---------------------------------------------------------------- */

/* One line of `list`, as the rows come.  Times are shown to the minute,
 * and a queue comes in runs of releases received in the same one: each
 * minute is formatted once.  The line is put together in one buffer kept
 * for the whole list (columns padded as printf's "%-17s" pads, by bytes)
 * and written at once. */
typedef struct {
  gint64   minute;
  char    *when;
  GString *line;
  /* Translated once: gettext's look-up, locks and all, was 6% of a
   * long list's CPU when asked for every row. */
  const char *sponsored;
  const char *third_party;
} ListLineState;

static void
append_padded (GString    *line,
               const char *text,
               gsize       width)
{
  gsize start = line->len;

  g_string_append (line, text);
  while (line->len - start < width)
    g_string_append_c (line, ' ');
}

#define LIST_LINE_STATE_INIT { 0, NULL, g_string_sized_new (256), _("[sponsored] "), _("[third-party] ") }

static void
list_line_state_clear (ListLineState *state)
{
  g_free (state->when);
  g_string_free (state->line, TRUE);
}

static gboolean
print_list_line (const DeskReleaseSummary *release,
                 gpointer                  user_data)
{
  ListLineState *state = user_data;
  DeskVerdict verdict = desk_release_summary_get_effective_verdict (release);
  char id[32];

  if (state->when == NULL || release->received_at / (60 * G_USEC_PER_SEC) != state->minute)
    {
      g_free (state->when);
      state->when = format_time (release->received_at);
      state->minute = release->received_at / (60 * G_USEC_PER_SEC);
    }

  g_string_truncate (state->line, 0);
  g_snprintf (id, sizeof id, "%6" G_GINT64_FORMAT "  ", release->id);
  g_string_append (state->line, id);
  append_padded (state->line, desk_status_to_string (release->status), 17);
  g_string_append (state->line, "  ");
  append_padded (state->line, release->language, 7);
  g_string_append (state->line, "  ");
  g_string_append (state->line, state->when);
  g_string_append (state->line, "  ");
  {
    gsize start = state->line->len;

    desk_terminal_append_escaped (state->line, release->source, FALSE);
    while (state->line->len - start < 12)
      g_string_append_c (state->line, ' ');
  }
  g_string_append (state->line, "  ");
  if (verdict == DESK_VERDICT_SPONSORED)
    g_string_append (state->line, state->sponsored);
  else if (verdict == DESK_VERDICT_THIRD_PARTY)
    g_string_append (state->line, state->third_party);
  desk_terminal_append_escaped (state->line, release->headline, FALSE);
  g_string_append_c (state->line, '\n');
  fwrite (state->line->str, 1, state->line->len, stdout);
  return TRUE;
}

static void
print_releases_json (GPtrArray *releases)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_array (builder);
  for (guint i = 0; i < releases->len; i++)
    {
      json_builder_begin_object (builder);
      add_summary_members (builder, g_ptr_array_index (releases, i));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  print_json (builder);
}

/* list on a team desk: the rows come from the server whole (libpq's
 * way, desk_db_list_releases()), and are printed as on a SQLite desk. */
static int
list_team_desk (DeskDb          *db,
                const DeskQuery *query,
                gboolean         json)
{
  g_autoptr(GPtrArray) releases = NULL;
  g_autoptr(GError) error = NULL;

  releases = desk_db_list_releases (db, query, &error);
  if (releases == NULL)
    return command_failed (error);
  if (json)
    {
      print_releases_json (releases);
      return EXIT_OK;
    }

  {
    ListLineState state = LIST_LINE_STATE_INIT;

    for (guint i = 0; i < releases->len; i++)
      {
        DeskReleaseSummary summary = desk_release_get_summary (g_ptr_array_index (releases, i));

        print_list_line (&summary, &state);
      }
    list_line_state_clear (&state);
  }
  return EXIT_OK;
}

static int
command_list (int    argc,
              char **argv)
{
  g_autofree char *status_name = NULL;
  g_autofree char *search = NULL;
  gboolean json = FALSE;
  gboolean sponsored = FALSE;
  int limit = 0;
  const GOptionEntry entries[] = {
    { "status", 's', 0, G_OPTION_ARG_STRING, &status_name, N_("Only releases with STATUS"), N_("STATUS") },
    { "search", 'q', 0, G_OPTION_ARG_STRING, &search, N_("Only releases matching the words QUERY, best first"), N_("QUERY") },
    { "limit", 'n', 0, G_OPTION_ARG_INT, &limit, N_("At most N releases"), N_("N") },
    { "sponsored", 0, 0, G_OPTION_ARG_NONE, &sponsored, N_("Only sponsored and third-party releases (the Sponsored queue)"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = command_context (NULL, _("List the releases in the queue, newest first."), entries);
  g_autoptr(DeskStore) store = NULL;
  g_autoptr(DeskDb) db = NULL;
  g_autoptr(GPtrArray) releases = NULL;
  g_autoptr(GError) error = NULL;
  DeskQuery query = DESK_QUERY_INIT;

  if (!parse_options (context, &argc, &argv))
    return EXIT_USAGE;
  if (argc > 1)
    return usage_error (context, _("list takes no arguments"));
  if (limit < 0)
    return usage_error (context, _("--limit must be 0 or more"));
  if (status_name != NULL)
    {
      DeskStatus status;

      if (!desk_status_from_string (status_name, &status))
        {
          g_autofree char *message = g_strdup_printf (_("unknown status “%s”"), status_name);
          return usage_error (context, message);
        }
      query.status = (int) status;
    }
  query.search = search;
  query.limit = (guint) limit;
  query.sponsored_only = sponsored;

  if (!open_team_desk (&db))
    return EXIT_FAILED;
  if (db != NULL)
    return list_team_desk (db, &query, json);

  store = open_store ();
  if (store == NULL)
    return EXIT_FAILED;

  /* Lines go out as the rows are read: the first at once, and the whole
   * queue in the memory of one release.  The rows are read once, in the
   * order they lie in their index: keeping the pages read would only
   * grow the process with the queue (up to the 32 MB page cache). */
  if (!json)
    {
      ListLineState state = LIST_LINE_STATE_INIT;
      gboolean ok;

      if (search == NULL)
        desk_store_set_cache_size (store, 512);
      ok = desk_store_foreach_summary (store, &query, print_list_line, &state, &error);

      list_line_state_clear (&state);
      if (!ok)
        {
          fflush (stdout);
          g_printerr ("copydesk-cli: %s\n", error->message);
          return EXIT_FAILED;
        }
      return EXIT_OK;
    }

  releases = desk_store_list_releases (store, &query, &error);
  if (releases == NULL)
    return command_failed (error);

  print_releases_json (releases);
  return EXIT_OK;
}

/* ---- show ---------------------------------------------------------------- */

static void
show_json (DeskRelease *release,
           GPtrArray   *findings,
           GPtrArray   *revisions,
           GPtrArray   *events)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  const char * const *tags = desk_release_get_tags (release);
  GArray *parts = desk_release_get_parts (release);

  json_builder_begin_object (builder);
  add_summary_members (builder, release);
  add_string (builder, "original_headline", desk_release_get_original_headline (release));
  add_string (builder, "standfirst", desk_release_get_standfirst (release));
  add_string (builder, "wire", desk_release_get_wire (release));
  add_string (builder, "source_uid", desk_release_get_source_uid (release));
  add_string (builder, "source_path", desk_release_get_source_path (release));
  add_string (builder, "content_hash", desk_release_get_content_hash (release));
  add_time (builder, "updated_at", desk_release_get_updated_at (release));
  add_string (builder, "original", desk_release_get_original (release));
  add_string (builder, "edited", desk_release_get_edited (release));
  json_builder_set_member_name (builder, "approved_revision_id");
  if (desk_release_get_approved_revision_id (release) > 0)
    json_builder_add_int_value (builder, desk_release_get_approved_revision_id (release));
  else
    json_builder_add_null_value (builder);
  add_string (builder, "approved_sha256", desk_release_get_approved_sha256 (release));

  json_builder_set_member_name (builder, "tags");
  json_builder_begin_array (builder);
  for (guint i = 0; tags[i] != NULL; i++)
    json_builder_add_string_value (builder, tags[i]);
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "parts");
  json_builder_begin_array (builder);
  for (guint i = 0; i < parts->len; i++)
    {
      const DeskPart *part = &g_array_index (parts, DeskPart, i);

      json_builder_begin_object (builder);
      add_string (builder, "kind", desk_part_kind_to_string (part->kind));
      add_int (builder, "start", part->start);
      add_int (builder, "end", part->end);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  add_string (builder, "sponsor_decision_reason", desk_release_get_sponsor_decision_reason (release));
  add_string (builder, "sponsor_decided_by", desk_release_get_sponsor_decided_by (release));
  json_builder_set_member_name (builder, "findings");
  json_builder_begin_array (builder);
  for (guint i = 0; i < findings->len; i++)
    {
      const DeskFinding *finding = g_ptr_array_index (findings, i);

      json_builder_begin_object (builder);
      add_string (builder, "kind", desk_finding_kind_to_string (finding->kind));
      add_string (builder, "rule", finding->rule);
      add_string (builder, "language", finding->language);
      add_int (builder, "start", finding->start);
      add_int (builder, "end", finding->end);
      add_string (builder, "evidence", finding->evidence);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "revisions");
  json_builder_begin_array (builder);
  for (guint i = 0; i < revisions->len; i++)
    {
      const DeskRevision *revision = g_ptr_array_index (revisions, i);

      json_builder_begin_object (builder);
      add_int (builder, "id", revision->id);
      add_int (builder, "number", revision->number);
      add_string (builder, "author", revision->author);
      add_time (builder, "created_at", revision->created_at);
      add_string (builder, "sha256", revision->sha256);
      add_string (builder, "headline", revision->headline);
      add_string (builder, "text", revision->text);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "events");
  json_builder_begin_array (builder);
  for (guint i = 0; i < events->len; i++)
    {
      const DeskEvent *event = g_ptr_array_index (events, i);

      json_builder_begin_object (builder);
      add_int (builder, "id", event->id);
      add_string (builder, "actor", event->actor);
      add_string (builder, "action", event->action);
      add_string (builder, "from_status", event->from_status);
      add_string (builder, "to_status", event->to_status);
      add_string (builder, "note", event->note);
      add_time (builder, "created_at", event->created_at);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_end_object (builder);
  print_json (builder);
}

static void
show_text (DeskRelease *release,
           GPtrArray   *findings,
           GPtrArray   *revisions,
           GPtrArray   *events)
{
  g_autofree char *received = format_time (desk_release_get_received_at (release));
  g_autofree char *tags = g_strjoinv (", ", (char **) desk_release_get_tags (release));
  GArray *parts = desk_release_get_parts (release);
  const char *original = desk_release_get_original (release);
  DeskCharCursor cursor;

  g_print ("#%" G_GINT64_FORMAT "  %s\n", desk_release_get_id (release), desk_release_get_headline (release));
  g_print (_("Status:      %s\n"), desk_status_to_string (desk_release_get_status (release)));
  g_print (_("Source:      %s\n"), desk_release_get_source (release));
  g_print (_("Wire credit: %s\n"), desk_release_get_wire (release) ? desk_release_get_wire (release) : "—");
  g_print (_("Language:    %s\n"), desk_release_get_language (release));
  g_print (_("Received:    %s\n"), received);
  g_print (_("File:        %s\n"), desk_release_get_source_path (release) ? desk_release_get_source_path (release) : "—");
  g_print (_("Sponsored:   %s (detector: %s, score %.2f)\n"),
           desk_release_get_sponsored (release) ? _("yes") : _("no"),
           desk_verdict_to_string (desk_release_get_effective_verdict (release)),
           desk_release_get_score (release));
  if (desk_release_get_sponsor_decision (release) != DESK_SPONSOR_DECISION_NONE)
    g_print (_("Decision:    %s by %s: “%s”\n"),
             desk_sponsor_decision_to_string (desk_release_get_sponsor_decision (release)),
             desk_release_get_sponsor_decided_by (release),
             desk_release_get_sponsor_decision_reason (release));
  g_print (_("Tags:        %s\n"), *tags ? tags : "—");
  g_print (_("Content:     sha256:%s\n"), desk_release_get_content_hash (release));
  if (desk_release_get_approved_revision_id (release) > 0)
    g_print (_("Approved:    revision id %" PRId64 ", sha256:%s\n"),
             desk_release_get_approved_revision_id (release),
             desk_release_get_approved_sha256 (release));
  if (desk_release_get_standfirst (release) != NULL)
    g_print (_("Standfirst:  %s\n"), desk_release_get_standfirst (release));

  g_print ("\n%s\n", _("Structure:"));
  /* One walk along the text for all the parts: a 1 MB release has
   * thousands of them. */
  desk_char_cursor_init (&cursor, original);
  for (guint i = 0; i < parts->len; i++)
    {
      const DeskPart *part = &g_array_index (parts, DeskPart, i);
      const char *start = desk_char_cursor_seek (&cursor, part->start);
      const char *part_end = desk_char_cursor_seek (&cursor, part->end);
      const char *end = part_end;
      g_autofree char *excerpt = g_strndup (start, MIN ((gsize) (end - start), 60));

      if (!g_utf8_validate (excerpt, -1, (const char **) &end))
        excerpt[end - excerpt] = '\0';
      g_print ("  %-10s %5u–%-5u  %s%s\n", desk_part_kind_to_string (part->kind), part->start, part->end,
               excerpt, (gsize) (part_end - start) > 60 ? "…" : "");
    }

  if (findings->len > 0)
    {
      g_print ("\n%s\n", _("Findings:"));
      for (guint i = 0; i < findings->len; i++)
        {
          const DeskFinding *finding = g_ptr_array_index (findings, i);
          g_autofree char *evidence = excerpt (finding->evidence, 60);

          g_print ("  %-11s %5u–%-5u  %-32s %s\n", desk_finding_kind_to_string (finding->kind),
                   finding->start, finding->end, finding->rule, evidence);
        }
    }

  g_print ("\n%s\n", _("Original:"));
  g_print ("%s\n", original);
  if (desk_release_get_edited (release) != NULL)
    {
      g_print ("\n%s\n", _("Edited:"));
      g_print ("%s\n", desk_release_get_edited (release));
    }

  g_print ("\n%s\n", _("Revisions:"));
  if (revisions->len == 0)
    g_print ("  %s\n", _("none"));
  for (guint i = 0; i < revisions->len; i++)
    {
      const DeskRevision *revision = g_ptr_array_index (revisions, i);
      g_autofree char *when = format_time (revision->created_at);

      g_print ("  %u  %s  %s  sha256:%.12s…\n", revision->number, when, revision->author, revision->sha256);
    }

  g_print ("\n%s\n", _("Events:"));
  for (guint i = 0; i < events->len; i++)
    {
      const DeskEvent *event = g_ptr_array_index (events, i);
      g_autofree char *when = format_time (event->created_at);

      g_print ("  %s  %s  %s", when, event->actor, event->action);
      if (event->to_status != NULL)
        g_print ("  %s → %s", event->from_status ? event->from_status : "—", event->to_status);
      if (event->note != NULL)
        g_print ("  “%s”", event->note);
      g_print ("\n");
    }
}

static int
command_show (int    argc,
              char **argv)
{
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = command_context (_("ID"), _("Show a release with its revisions and events."), entries);
  g_autoptr(DeskStore) store = NULL;
  g_autoptr(DeskDb) db = NULL;
  g_autoptr(DeskRelease) release = NULL;
  g_autoptr(GPtrArray) revisions = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GPtrArray) findings = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id;

  if (!parse_options (context, &argc, &argv))
    return EXIT_USAGE;
  if (argc != 2 || !parse_id (argv[1], &id))
    return usage_error (context, _("name one release by its number"));

  if (!open_team_desk (&db))
    return EXIT_FAILED;
  if (db != NULL)
    {
      if ((release = desk_db_get_release (db, id, &error)) == NULL ||
          (findings = desk_db_list_findings (db, id, &error)) == NULL ||
          (revisions = desk_db_list_revisions (db, id, &error)) == NULL ||
          (events = desk_db_list_events (db, id, &error)) == NULL)
        return command_failed (error);
      if (json)
        show_json (release, findings, revisions, events);
      else
        show_text (release, findings, revisions, events);
      return EXIT_OK;
    }

  store = open_store ();
  if (store == NULL)
    return EXIT_FAILED;

  if ((release = desk_store_get_release (store, id, &error)) == NULL ||
      (findings = desk_store_list_findings (store, id, &error)) == NULL ||
      (revisions = desk_store_list_revisions (store, id, &error)) == NULL ||
      (events = desk_store_list_events (store, id, &error)) == NULL)
    return command_failed (error);

  if (json)
    show_json (release, findings, revisions, events);
  else
    {
      show_text (release, findings, revisions, events);
      copydesk_cli_print_embargo (store, id);
    }
  return EXIT_OK;
}

/* ---- edit ---------------------------------------------------------------- */

static char *
read_text_file (const char  *path,
                GError     **error)
{
  g_autofree char *data = NULL;
  gsize skip = 0;
  gsize len = 0;

  /* The importer's own checks: a regular file (or standard input) of at
   * most the importer's size, read without blocking on a named pipe. */
  if (g_strcmp0 (path, "-") == 0)
    data = desk_file_read_fd (STDIN_FILENO, DESK_IMPORT_MAX_BYTES, &len, error);
  else
    data = desk_file_read_regular (path, DESK_IMPORT_MAX_BYTES, &len, error);
  if (data == NULL)
    {
      g_prefix_error (error, "%s: ", path);
      return NULL;
    }

  if (!desk_check_text (data, len, &skip, error))
    {
      g_prefix_error (error, "%s: ", path);
      return NULL;
    }
  if (skip > 0)
    memmove (data, data + skip, len - skip + 1);
  return g_steal_pointer (&data);
}

static int
command_edit (int    argc,
              char **argv)
{
  g_autofree char *from_file = NULL;
  g_autofree char *headline = NULL;
  gint64 base = -1;
  gboolean take_over = FALSE;
  const GOptionEntry entries[] = {
    { "from-file", 'f', 0, G_OPTION_ARG_FILENAME, &from_file, N_("Read the edited copy from FILE (- for standard input)"), N_("FILE") },
    { "headline", 0, 0, G_OPTION_ARG_STRING, &headline, N_("Set the headline to TEXT"), N_("TEXT") },
    { "revision", 0, 0, G_OPTION_ARG_INT64, &base, N_("On a team desk: the revision the edited copy was made from (0: the original); "
                                                      "the copy is not saved if another editor saved one after it"), N_("N") },
    { "take-over", 0, 0, G_OPTION_ARG_NONE, &take_over, N_("On a team desk: save even when another editor holds the release’s lock, "
                                                           "taking it over from them (they are told)"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = command_context (_("ID"), _("Save a new revision of a release’s edited copy."), entries);
  g_autoptr(DeskStore) store = NULL;
  g_autoptr(DeskDb) db = NULL;
  g_autoptr(DeskRelease) release = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  gint64 revision_id = 0;
  gint64 id;

  if (!parse_options (context, &argc, &argv))
    return EXIT_USAGE;
  if (argc != 2 || !parse_id (argv[1], &id))
    return usage_error (context, _("name one release by its number"));
  if (from_file == NULL && headline == NULL)
    return usage_error (context, _("give the edited copy with --from-file (or a new --headline)"));
  if (base < -1)
    return usage_error (context, _("--revision takes the number of a revision, or 0 for the original"));

  if (!open_team_desk (&db))
    return EXIT_FAILED;
  if (db != NULL)
    {
      gint64 number = 0;

      if (opt_editor != NULL)
        return usage_error (context, _("on a team desk the editor is the role that logs in; "
                                       "--editor is not taken"));
      /* Without --revision, the copy was made from the revision current
       * as the command starts. */
      if ((release = desk_db_get_release (db, id, &error)) == NULL ||
          (base < 0 && !desk_db_get_current_revision (db, id, &base, &error)))
        return command_failed (error);
      if (from_file != NULL)
        text = read_text_file (from_file, &error);
      else
        text = g_strdup (desk_release_get_current_text (release));
      if (text == NULL)
        return command_failed (error);
      /* The write is made under the release's soft lock: refused, naming
       * who holds it and since when, while another editor edits it. */
      if (!desk_db_lock_take (db, id, take_over, NULL, &error) ||
          !desk_db_save_revision (db, id, base, headline, text, &number, &error))
        return command_failed (error);
      if (!desk_db_lock_release (db, id, &error))
        return command_failed (error);
      if (number == 0)
        g_print (_("#%" PRId64 ": no change, no new revision\n"), id);
      else
        {
          g_autoptr(DeskRelease) after = desk_db_get_release (db, id, NULL);

          g_print (_("#%" PRId64 ": saved revision %u\n"), id, (guint) number);
          /* As on a SQLite desk: the status after a copy from a file. */
          if (after != NULL && from_file != NULL)
            g_print (_("#%" PRId64 ": status %s\n"), id, desk_status_to_string (desk_release_get_status (after)));
        }
      return EXIT_OK;
    }
  if (base >= 0)
    return usage_error (context, _("--revision is taken on a team desk only: a SQLite desk saves one editor’s copy at a time"));
  if (take_over)
    return usage_error (context, _("--take-over is taken on a team desk only: a SQLite desk has no locks"));

  store = open_store ();
  if (store == NULL)
    return EXIT_FAILED;

  if (from_file != NULL)
    text = read_text_file (from_file, &error);
  else if ((release = desk_store_get_release (store, id, &error)) != NULL)
    text = g_strdup (desk_release_get_current_text (release));

  if (text == NULL ||
      !desk_store_save_revision (store, id, headline, text, opt_editor, &revision_id, &error))
    return command_failed (error);

  if (revision_id == 0)
    g_print (_("#%" PRId64 ": no change, no new revision\n"), id);
  else
    {
      g_autoptr(DeskRevision) revision = desk_store_get_revision (store, revision_id, NULL);
      g_autoptr(DeskRelease) after = desk_store_get_release (store, id, NULL);

      g_print (_("#%" PRId64 ": saved revision %u\n"), id, revision ? revision->number : 0);
      if (after != NULL && release == NULL)
        g_print (_("#%" PRId64 ": status %s\n"), id, desk_status_to_string (desk_release_get_status (after)));
    }
  return EXIT_OK;
}

/* The error, and when the pre-publish check stopped the copy, what the
 * editor can do about it. */
static void
print_error_with_check_hint (gint64        id,
                             const GError *error)
{
  g_printerr ("copydesk-cli: #%" G_GINT64_FORMAT ": %s\n", id, error->message);
  if (!g_error_matches (error, DESK_ERROR, DESK_ERROR_CHECK_NEEDS_OVERRIDE))
    return;
  g_printerr (_("Run “copydesk-cli clean %" PRId64 "” to remove it, or give --override REASON.\n"), id);
}

/* ---- set-status ---------------------------------------------------------- */

static int
command_set_status (int    argc,
                    char **argv)
{
  g_autofree char *note = NULL;
  g_autofree char *override = NULL;
  const GOptionEntry entries[] = {
    { "note", 'm', 0, G_OPTION_ARG_STRING, &note, N_("Record TEXT with the decision"), N_("TEXT") },
    { "override", 0, 0, G_OPTION_ARG_STRING, &override, N_("Approve copy that still carries wire furniture, for REASON"), N_("REASON") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = command_context (_("ID STATUS"), NULL, entries);
  g_autoptr(DeskStore) store = NULL;
  g_autoptr(DeskDb) db = NULL;
  g_autoptr(DeskRelease) before = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) statuses = g_string_new (NULL);
  DeskStatus status;
  gint64 id;

  for (guint i = 0; i < DESK_N_STATUSES; i++)
    g_string_append_printf (statuses, "%s%s", i ? ", " : "", desk_status_to_string ((DeskStatus) i));
  {
    g_autofree char *summary = g_strdup_printf (_("Move a release to another status: %s."), statuses->str);
    g_option_context_set_summary (context, summary);
  }

  if (!parse_options (context, &argc, &argv))
    return EXIT_USAGE;
  if (argc != 3 || !parse_id (argv[1], &id))
    return usage_error (context, _("name one release by its number, and a status"));
  if (!desk_status_from_string (argv[2], &status))
    {
      g_autofree char *message = g_strdup_printf (_("unknown status “%s”"), argv[2]);
      return usage_error (context, message);
    }

  if (!open_team_desk (&db))
    return EXIT_FAILED;
  if (db != NULL)
    {
      DeskStatus from = DESK_STATUS_NEW;

      /* The server records who logged in; a name given here would be
       * recorded nowhere. */
      if (opt_editor != NULL)
        return usage_error (context, _("on a team desk the editor is the role that logs in; "
                                       "--editor is not taken"));
      if (!desk_db_move_release (db, id, status, note, override, &from, &error))
        {
          print_error_with_check_hint (id, error);
          return EXIT_FAILED;
        }
      g_print ("#%" G_GINT64_FORMAT ": %s → %s\n", id, desk_status_to_string (from), desk_status_to_string (status));
      return EXIT_OK;
    }

  store = open_store ();
  if (store == NULL)
    return EXIT_FAILED;

  if ((before = desk_store_get_release (store, id, &error)) == NULL ||
      !desk_move_release (store, id, status, opt_editor, note, override, &error))
    {
      print_error_with_check_hint (id, error);
      return EXIT_FAILED;
    }

  g_print ("#%" G_GINT64_FORMAT ": %s → %s\n", id,
           desk_status_to_string (desk_release_get_status (before)),
           desk_status_to_string (status));
  return EXIT_OK;
}

/* ---- clean ---------------------------------------------------------------- */

static int
command_clean (int    argc,
               char **argv)
{
  g_autoptr(GOptionContext) context = command_context (_("ID"),
                                                       _("Save a revision of the edited copy without the wire credit, the disclaimer, the sector line and the distributor’s boilerplate."),
                                                       NULL);
  g_autoptr(DeskStore) store = NULL;
  g_autoptr(DeskDb) db = NULL;
  g_autoptr(GError) error = NULL;
  gint64 revision_id = 0;
  gint64 id;

  if (!parse_options (context, &argc, &argv))
    return EXIT_USAGE;
  if (argc != 2 || !parse_id (argv[1], &id))
    return usage_error (context, _("name one release by its number"));

  if (!open_team_desk (&db))
    return EXIT_FAILED;
  if (db != NULL)
    {
      gint64 number = 0;

      if (opt_editor != NULL)
        return usage_error (context, _("on a team desk the editor is the role that logs in; "
                                       "--editor is not taken"));
      if (!desk_db_clean_up_release (db, id, &number, &error))
        {
          g_printerr ("copydesk-cli: #%" G_GINT64_FORMAT ": %s\n", id, error->message);
          return EXIT_FAILED;
        }
      if (number == 0)
        g_print (_("#%" PRId64 ": nothing to clean up, no new revision\n"), id);
      else
        g_print (_("#%" PRId64 ": cleaned up, saved revision %u\n"), id, (guint) number);
      return EXIT_OK;
    }

  store = open_store ();
  if (store == NULL)
    return EXIT_FAILED;

  if (!desk_store_clean_up_release (store, id, opt_editor, &revision_id, &error))
    {
      g_printerr ("copydesk-cli: #%" G_GINT64_FORMAT ": %s\n", id, error->message);
      return EXIT_FAILED;
    }

  if (revision_id == 0)
    g_print (_("#%" PRId64 ": nothing to clean up, no new revision\n"), id);
  else
    {
      g_autoptr(DeskRevision) revision = desk_store_get_revision (store, revision_id, NULL);

      g_print (_("#%" PRId64 ": cleaned up, saved revision %u\n"), id, revision ? revision->number : 0);
    }
  return EXIT_OK;
}

/* ---- decide --------------------------------------------------------------- */

static int
command_decide (int    argc,
                char **argv)
{
  g_autofree char *reason = NULL;
  const GOptionEntry entries[] = {
    { "reason", 'm', 0, G_OPTION_ARG_STRING, &reason, N_("Why: recorded with the decision (required)"), N_("TEXT") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = command_context (_("ID sponsored|third-party|not-sponsored|detector"),
                                                       _("Record the editor’s verdict on sponsored content, which wins over the detector’s; “detector” gives the decision back to the detector."),
                                                       entries);
  g_autoptr(DeskStore) store = NULL;
  g_autoptr(DeskDb) db = NULL;
  g_autoptr(DeskRelease) release = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  DeskSponsorDecision decision;
  gint64 id;

  if (!parse_options (context, &argc, &argv))
    return EXIT_USAGE;
  if (argc != 3 || !parse_id (argv[1], &id))
    return usage_error (context, _("name one release by its number, and a verdict"));
  name = g_strdelimit (g_strdup (argv[2]), "-", '_');
  if (g_str_equal (name, "detector"))
    decision = DESK_SPONSOR_DECISION_NONE;
  else if (g_str_equal (name, "none") || !desk_sponsor_decision_from_string (name, &decision))
    {
      g_autofree char *message = g_strdup_printf (_("unknown verdict “%s”: sponsored, third-party, not-sponsored or detector"), argv[2]);
      return usage_error (context, message);
    }
  if (decision != DESK_SPONSOR_DECISION_NONE && (reason == NULL || *g_strstrip (reason) == '\0'))
    return usage_error (context, _("say why with --reason TEXT"));

  if (!open_team_desk (&db))
    return EXIT_FAILED;
  if (db != NULL)
    {
      if (opt_editor != NULL)
        return usage_error (context, _("on a team desk the editor is the role that logs in; "
                                       "--editor is not taken"));
      if (!desk_db_set_sponsor_decision (db, id, decision, reason, &error) ||
          (release = desk_db_get_release (db, id, &error)) == NULL)
        {
          g_printerr ("copydesk-cli: #%" G_GINT64_FORMAT ": %s\n", id, error->message);
          return EXIT_FAILED;
        }
    }
  else if ((store = open_store ()) == NULL)
    return EXIT_FAILED;
  else if (!desk_store_set_sponsor_decision (store, id, decision, reason, opt_editor, &error) ||
      (release = desk_store_get_release (store, id, &error)) == NULL)
    {
      g_printerr ("copydesk-cli: #%" G_GINT64_FORMAT ": %s\n", id, error->message);
      return EXIT_FAILED;
    }
  g_print (_("#%" PRId64 ": now %s (%s)\n"), id,
           desk_verdict_to_string (desk_release_get_effective_verdict (release)),
           decision == DESK_SPONSOR_DECISION_NONE ? _("the detector’s verdict") : _("the editor’s verdict"));
  return EXIT_OK;
}

/* ---- detect --------------------------------------------------------------- */

static int
command_detect (int    argc,
                char **argv)
{
  gboolean all = FALSE;
  const GOptionEntry entries[] = {
    { "all", 0, 0, G_OPTION_ARG_NONE, &all, N_("Read every release again, not only those read with older rules"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = command_context (_("[ID]"),
                                                       _("Read releases again for sponsored and third-party content: one, those read with other rules (the default), or all."),
                                                       entries);
  g_autoptr(DeskStore) store = NULL;
  g_autoptr(GError) error = NULL;
  DeskDetector *detector;
  gint64 id = 0;
  guint done = 0;
  int n;

  if (!parse_options (context, &argc, &argv))
    return EXIT_USAGE;
  if (argc > 2 || (argc == 2 && !parse_id (argv[1], &id)))
    return usage_error (context, _("name one release by its number, or none"));
  if (id > 0 && all)
    return usage_error (context, _("give a release or --all, not both"));

  store = open_store ();
  if (store == NULL)
    return EXIT_FAILED;
  detector = desk_store_get_detector (store);
  if (desk_detector_get_user_rules_error (detector) != NULL)
    g_printerr ("copydesk-cli: %s\n", desk_detector_get_user_rules_error (detector)->message);

  if (id > 0)
    {
      g_autoptr(DeskDetection) detection = NULL;
      g_autofree char *summary = NULL;

      if (!desk_store_redetect_release (store, id, &error) ||
          (detection = desk_store_get_detection (store, id, &error)) == NULL)
        {
          g_printerr ("copydesk-cli: #%" G_GINT64_FORMAT ": %s\n", id, error->message);
          return EXIT_FAILED;
        }
      summary = desk_detection_describe (detection);
      g_print ("#%" G_GINT64_FORMAT ": %s (%.2f)%s%s\n", id, desk_verdict_to_string (detection->verdict),
               detection->score, summary ? ": " : "", summary ? summary : "");
      for (guint i = 0; i < detection->findings->len; i++)
        {
          const DeskFinding *finding = g_ptr_array_index (detection->findings, i);
          g_autofree char *evidence = excerpt (finding->evidence, 60);

          g_print ("  %-11s %5u–%-5u  %-32s %s\n", desk_finding_kind_to_string (finding->kind),
                   finding->start, finding->end, finding->rule, evidence);
        }
      return EXIT_OK;
    }

  if (all && !desk_store_mark_all_stale (store, &error))
    return command_failed (error);

  while ((n = desk_store_redetect_stale (store, 500, NULL, &error)) > 0)
    done += (guint) n;
  if (n < 0)
    return command_failed (error);

  g_print (g_dngettext (GETTEXT_PACKAGE, "read %u release again\n", "read %u releases again\n", done), done);
  return EXIT_OK;
}

/* ---- eval ------------------------------------------------------------------ */

static void
add_eval_groups (JsonBuilder *builder,
                 const char  *name,
                 GPtrArray   *groups)
{
  json_builder_set_member_name (builder, name);
  json_builder_begin_object (builder);
  for (guint i = 0; i < groups->len; i++)
    {
      const DeskEvalGroup *group = g_ptr_array_index (groups, i);

      json_builder_set_member_name (builder, group->name);
      json_builder_begin_object (builder);
      add_int (builder, "releases", group->n_releases);
      json_builder_set_member_name (builder, "precision");
      json_builder_add_double_value (builder, group->precision);
      json_builder_set_member_name (builder, "recall");
      json_builder_add_double_value (builder, group->recall);
      json_builder_set_member_name (builder, "cleanup_accuracy");
      json_builder_add_double_value (builder, group->cleanup_accuracy);
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);
}

static void
print_eval_groups (const char *title,
                   GPtrArray  *groups)
{
  g_print ("%s\n", title);
  for (guint i = 0; i < groups->len; i++)
    {
      const DeskEvalGroup *group = g_ptr_array_index (groups, i);

      /* Translators: one row of the per-language or per-layout figures */
      g_print (_("  %-26s %3u releases  precision %.2f  recall %.2f  clean-up %.2f\n"),
               group->name, group->n_releases, group->precision, group->recall,
               group->cleanup_accuracy);
    }
}

static int
command_eval (int    argc,
              char **argv)
{
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = command_context (_("DIR"),
                                                       _("Measure the sponsor detector on a labelled folder (DIR/manifest.json lists each file’s expected verdict and end matter)."),
                                                       entries);
  g_autoptr(DeskEvalReport) report = NULL;
  g_autoptr(GError) error = NULL;
  DeskDetector *detector;

  if (!parse_options (context, &argc, &argv))
    return EXIT_USAGE;
  if (argc != 2)
    return usage_error (context, _("name the folder to evaluate"));

  detector = desk_detector_get_default ();
  if (desk_detector_get_user_rules_error (detector) != NULL)
    g_printerr ("copydesk-cli: %s\n", desk_detector_get_user_rules_error (detector)->message);
  report = desk_eval_run (detector, argv[1], &error);
  if (report == NULL)
    return command_failed (error);

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      add_int (builder, "releases", report->n_releases);
      json_builder_set_member_name (builder, "precision");
      json_builder_add_double_value (builder, report->precision);
      json_builder_set_member_name (builder, "recall");
      json_builder_add_double_value (builder, report->recall);
      json_builder_set_member_name (builder, "verdict_accuracy");
      json_builder_add_double_value (builder, report->verdict_accuracy);
      json_builder_set_member_name (builder, "cleanup_accuracy");
      json_builder_add_double_value (builder, report->cleanup_accuracy);
      add_eval_groups (builder, "languages", report->languages);
      add_eval_groups (builder, "layouts", report->layouts);
      json_builder_set_member_name (builder, "misses");
      json_builder_begin_array (builder);
      for (guint i = 0; i < report->misses->len; i++)
        json_builder_add_string_value (builder, g_ptr_array_index (report->misses, i));
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      print_json (builder);
    }
  else
    {
      g_print (_("releases:          %u\n"), report->n_releases);
      g_print (_("precision:         %.3f (%u of %u flagged should be)\n"), report->precision,
               report->true_positives, report->true_positives + report->false_positives);
      g_print (_("recall:            %.3f (%u of %u that should be are flagged)\n"), report->recall,
               report->true_positives, report->true_positives + report->false_negatives);
      g_print (_("verdict accuracy:  %.3f\n"), report->verdict_accuracy);
      g_print (_("clean-up accuracy: %.3f (%u of %u)\n"), report->cleanup_accuracy,
               report->cleanups_right, report->n_releases);
      print_eval_groups (_("per language:"), report->languages);
      print_eval_groups (_("per layout:"), report->layouts);
      for (guint i = 0; i < report->misses->len; i++)
        g_print (_("miss: %s\n"), (const char *) g_ptr_array_index (report->misses, i));
    }
  return EXIT_OK;
}

/* ---- export -------------------------------------------------------------- */

static int
command_export (int    argc,
                char **argv)
{
  g_autofree char *status_name = NULL;
  g_autofree char *format_name = NULL;
  g_autofree char *folder = NULL;
  const GOptionEntry entries[] = {
    { "status", 's', 0, G_OPTION_ARG_STRING, &status_name, N_("Every release with STATUS (approved, published or corrected)"), N_("STATUS") },
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format_name, N_("Write FORMAT: txt, md, html or ninjs (default: txt)"), N_("FORMAT") },
    { "to", 'o', 0, G_OPTION_ARG_FILENAME, &folder, N_("Write the files into DIR"), N_("DIR") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = command_context (_("[ID…]"),
                                                       _("Export approved copy, one file per release named YYYY-MM-DD-slug (the day of approval, UTC)."),
                                                       entries);
  g_autoptr(DeskStore) store = NULL;
  g_autoptr(DeskDb) db = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  DeskExportFormat format = DESK_EXPORT_TEXT;
  int status = EXIT_OK;

  if (!parse_options (context, &argc, &argv))
    return EXIT_USAGE;
  if (folder == NULL)
    return usage_error (context, _("say where to write the files with --to DIR"));
  if (format_name != NULL && !desk_export_format_from_string (format_name, &format))
    {
      g_autofree char *message = g_strdup_printf (_("unknown format “%s” (txt, md, html or ninjs)"), format_name);
      return usage_error (context, message);
    }
  if ((argc < 2) == (status_name == NULL))
    return usage_error (context, _("name releases by number, or all of one status with --status"));
  for (int i = 1; i < argc; i++)
    {
      gint64 id;

      if (!parse_id (argv[i], &id))
        {
          g_autofree char *message = g_strdup_printf (_("“%s” is not a release number"), argv[i]);
          return usage_error (context, message);
        }
      g_array_append_val (ids, id);
    }

  /* A team desk's approved copy is read from the server and written by
   * the same functions as a SQLite desk's: the same files. */
  if (!open_team_desk (&db))
    return EXIT_FAILED;
  if (db == NULL && (store = open_store ()) == NULL)
    return EXIT_FAILED;

  if (status_name != NULL)
    {
      DeskQuery query = DESK_QUERY_INIT;
      g_autoptr(GPtrArray) releases = NULL;
      g_autoptr(GError) error = NULL;
      DeskStatus wanted;

      if (!desk_status_from_string (status_name, &wanted))
        {
          g_autofree char *message = g_strdup_printf (_("unknown status “%s”"), status_name);
          return usage_error (context, message);
        }
      query.status = (int) wanted;
      releases = db != NULL ? desk_db_list_releases (db, &query, &error)
                            : desk_store_list_releases (store, &query, &error);
      if (releases == NULL)
        return command_failed (error);
      /* Oldest first, so that names taken twice number in order. */
      for (guint i = releases->len; i > 0; i--)
        {
          gint64 id = desk_release_get_id (g_ptr_array_index (releases, i - 1));
          g_array_append_val (ids, id);
        }
    }

  for (guint i = 0; i < ids->len; i++)
    {
      gint64 id = g_array_index (ids, gint64, i);
      g_autoptr(GError) error = NULL;
      g_autoptr(DeskApprovedCopy) copy = NULL;
      g_autofree char *path = NULL;

      if (db == NULL)
        path = desk_export_to_folder (store, id, format, folder, &error);
      else if ((copy = desk_db_load_approved_copy (db, id, &error)) != NULL)
        path = desk_export_copy_to_folder (copy, format, folder, &error);

      if (path == NULL)
        {
          g_printerr ("copydesk-cli: #%" G_GINT64_FORMAT ": %s\n", id, error->message);
          status = EXIT_FAILED;
          continue;
        }
      g_print ("#%" G_GINT64_FORMAT ": %s\n", id, path);
    }
  return status;
}

/* ---- targets ------------------------------------------------------------- */

/* Reads a secret from FILE, or standard input for "-": never from the
 * command line, where other users could read it in the process list. */
static char *
read_secret (const char  *path,
             GError     **error)
{
  g_autofree char *data = NULL;
  gsize len = 0;

  if (g_strcmp0 (path, "-") == 0)
    {
      char line[4096];

      if (fgets (line, sizeof line, stdin) == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, _("No secret on standard input"));
          return NULL;
        }
      data = g_strdup (line);
      explicit_bzero (line, sizeof line);
    }
  else if (!g_file_get_contents (path, &data, &len, error))
    return NULL;
  g_strchomp (data);
  if (*data == '\0')
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, _("The secret is empty"));
      return NULL;
    }
  return g_steal_pointer (&data);
}

static void
set_setting (JsonObject *settings,
             const char *name,
             const char *value)
{
  if (value != NULL)
    json_object_set_string_member (settings, name, value);
}

/* target add on a team desk: the row on the server (a chief's only), the
 * secret in this machine's Secret Service, as on SQLite. */
static int
team_target_add (DeskDb         *db,
                 DeskTargetKind  kind,
                 const char     *kind_name,
                 const char     *name,
                 JsonObject     *settings,
                 char           *secret)
{
  g_autoptr(DeskTarget) target = NULL;
  g_autoptr(GError) error = NULL;
  gboolean session_only = FALSE;
  gint64 id;

  id = desk_db_add_target (db, kind, name, settings, &error);
  if (id == 0 || (target = desk_db_find_target (db, name, &error)) == NULL)
    {
      if (secret != NULL)
        explicit_bzero (secret, strlen (secret));
      return command_failed (error);
    }
  if (secret != NULL)
    {
      desk_db_set_target_secret (db, target, secret, &session_only, NULL);
      explicit_bzero (secret, strlen (secret));
      if (session_only)
        {
          desk_db_clear_target_secret (db, target);
          desk_db_remove_target (db, id, NULL);
          g_printerr (_("copydesk-cli: no Secret Service is running, so the password could be kept only until "
                        "this command ends; the target was not added. Start a keyring (such as gnome-keyring) "
                        "and add it again.\n"));
          return EXIT_FAILED;
        }
    }
  g_print (_("target %s (%s) added\n"), name, kind_name);
  return EXIT_OK;
}

static int
target_add (int    argc,
            char **argv)
{
  g_autofree char *url = NULL, *user = NULL, *status = NULL, *category = NULL;
  g_autofree char *folder = NULL, *format = NULL, *api = NULL, *secret_file = NULL;
  const GOptionEntry entries[] = {
    { "url", 0, 0, G_OPTION_ARG_STRING, &url, N_("The site’s address (WordPress) or the URL to POST to (webhook)"), N_("URL") },
    { "user", 0, 0, G_OPTION_ARG_STRING, &user, N_("The WordPress user name"), N_("NAME") },
    { "status", 0, 0, G_OPTION_ARG_STRING, &status, N_("WordPress post status: draft, pending or publish (default: draft)"), N_("STATUS") },
    { "category", 0, 0, G_OPTION_ARG_STRING, &category, N_("WordPress category id for every post"), N_("ID") },
    { "api", 0, 0, G_OPTION_ARG_STRING, &api, N_("WordPress API form: wp-json or rest_route (default: found out)"), N_("FORM") },
    { "folder", 0, 0, G_OPTION_ARG_FILENAME, &folder, N_("The folder to write into (local-folder)"), N_("DIR") },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format, N_("The file format: txt, md, html or ninjs (local-folder; default: html)"), N_("FORMAT") },
    { "secret-file", 0, 0, G_OPTION_ARG_FILENAME, &secret_file, N_("Read the application password or shared secret from FILE (- for standard input)"), N_("FILE") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = command_context (_("KIND NAME"),
                                                       _("Add a publish target: local-folder, wordpress or webhook. Passwords go to the Secret Service, never to the database."),
                                                       entries);
  g_autoptr(DeskStore) store = NULL;
  g_autoptr(DeskDb) db = NULL;
  g_autoptr(JsonObject) settings = json_object_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *secret = NULL;
  g_autoptr(DeskTarget) target = NULL;
  DeskTargetKind kind;
  gboolean session_only = FALSE;
  gint64 id;

  if (!parse_options (context, &argc, &argv))
    return EXIT_USAGE;
  if (argc != 3 || !desk_target_kind_from_string (argv[1], &kind))
    return usage_error (context, _("name the kind (local-folder, wordpress or webhook) and a name"));
  if (kind != DESK_TARGET_LOCAL_FOLDER && secret_file != NULL)
    {
      secret = read_secret (secret_file, &error);
      if (secret == NULL)
        {
          g_printerr ("copydesk-cli: %s: %s\n", secret_file, error->message);
          return EXIT_FAILED;
        }
    }

  set_setting (settings, "url", url);
  set_setting (settings, "user", user);
  set_setting (settings, "status", status);
  set_setting (settings, "category", category);
  set_setting (settings, "api", api);
  set_setting (settings, "folder", folder);
  set_setting (settings, "format", format);
  /* The same rule as the window's. */
  if (!desk_target_check (kind, argv[2], settings, TRUE, secret, &error))
    {
      if (kind != DESK_TARGET_LOCAL_FOLDER && secret == NULL)
        return usage_error (context, kind == DESK_TARGET_WORDPRESS
                                     ? _("give the application password with --secret-file FILE (- reads standard input)")
                                     : _("give the shared secret with --secret-file FILE (- reads standard input)"));
      return usage_error (context, error->message);
    }

  if (!open_team_desk (&db))
    return EXIT_FAILED;
  if (db != NULL)
    return team_target_add (db, kind, argv[1], argv[2], settings, secret);

  store = open_store ();
  if (store == NULL)
    return EXIT_FAILED;
  id = desk_store_add_target (store, kind, argv[2], settings, &error);
  if (id == 0 || (target = desk_store_get_target (store, id, &error)) == NULL)
    return command_failed (error);
  if (secret != NULL)
    {
      desk_store_set_target_secret (store, target, secret, &session_only, NULL);
      explicit_bzero (secret, strlen (secret));
      if (session_only)
        {
          /* A command's session ends with it: the target would have no
           * password at the next one.  (The window keeps it while it runs.) */
          desk_store_clear_target_secret (store, target);
          desk_store_remove_target (store, id, NULL);
          g_printerr (_("copydesk-cli: no Secret Service is running, so the password could be kept only until "
                        "this command ends; the target was not added. Start a keyring (such as gnome-keyring) "
                        "and add it again.\n"));
          return EXIT_FAILED;
        }
    }
  g_print (_("target %s (%s) added\n"), argv[2], argv[1]);
  return EXIT_OK;
}

static int
target_list (int    argc,
             char **argv)
{
  g_autoptr(GOptionContext) context = command_context (NULL, _("List the publish targets."), NULL);
  g_autoptr(DeskStore) store = NULL;
  g_autoptr(DeskDb) db = NULL;
  g_autoptr(GPtrArray) targets = NULL;
  g_autoptr(GError) error = NULL;

  if (!parse_options (context, &argc, &argv))
    return EXIT_USAGE;
  if (!open_team_desk (&db))
    return EXIT_FAILED;
  if (db != NULL)
    targets = desk_db_list_targets (db, &error);
  else if ((store = open_store ()) == NULL)
    return EXIT_FAILED;
  else
    targets = desk_store_list_targets (store, &error);
  if (targets == NULL)
    return command_failed (error);
  for (guint i = 0; i < targets->len; i++)
    {
      DeskTarget *target = g_ptr_array_index (targets, i);
      const char *where = desk_target_get_setting (target, target->kind == DESK_TARGET_LOCAL_FOLDER ? "folder" : "url");

      g_print ("%-16s %-13s %s%s\n", target->name, desk_target_kind_to_string (target->kind),
               where != NULL ? where : _("(default folder)"), target->enabled ? "" : _(" (off)"));
    }
  return EXIT_OK;
}

static int
target_remove (int    argc,
               char **argv)
{
  g_autoptr(GOptionContext) context = command_context (_("NAME"), _("Remove a publish target and its password."), NULL);
  g_autoptr(DeskStore) store = NULL;
  g_autoptr(DeskDb) db = NULL;
  g_autoptr(DeskTarget) target = NULL;
  g_autoptr(GError) error = NULL;

  if (!parse_options (context, &argc, &argv))
    return EXIT_USAGE;
  if (argc != 2)
    return usage_error (context, _("name the target to remove"));
  if (!open_team_desk (&db))
    return EXIT_FAILED;
  if (db != NULL)
    {
      if ((target = desk_db_find_target (db, argv[1], &error)) == NULL ||
          !desk_db_remove_target (db, target->id, &error))
        return command_failed (error);
      if (target->kind != DESK_TARGET_LOCAL_FOLDER)
        desk_db_clear_target_secret (db, target);
      g_print (_("target %s removed\n"), argv[1]);
      return EXIT_OK;
    }
  store = open_store ();
  if (store == NULL)
    return EXIT_FAILED;
  if ((target = desk_store_find_target (store, argv[1], &error)) == NULL ||
      !desk_store_remove_target (store, target->id, &error))
    return command_failed (error);
  if (target->kind != DESK_TARGET_LOCAL_FOLDER)
    desk_store_clear_target_secret (store, target);
  g_print (_("target %s removed\n"), argv[1]);
  return EXIT_OK;
}

/* An option given as "" clears that setting. */
static void
change_setting (JsonObject *changes,
                const char *name,
                const char *value)
{
  if (value == NULL)
    return;
  if (*value == '\0')
    json_object_set_null_member (changes, name);
  else
    json_object_set_string_member (changes, name, value);
}

/* target edit on a team desk: the row on the server (a chief's only),
 * the secret in this machine's Secret Service, as on SQLite.  With only
 * --secret-file, nothing changes on the server: a chief on a second
 * machine stores there the secret of a target added elsewhere. */
static int
team_target_edit (GOptionContext *context,
                  DeskDb         *db,
                  const char     *old_name,
                  const char     *new_name,
                  JsonObject     *changes,
                  const char     *secret_file)
{
  g_autoptr(DeskTarget) target = NULL;
  g_autoptr(DeskTarget) changed = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *secret = NULL;
  gboolean session_only = FALSE;

  if ((target = desk_db_find_target (db, old_name, &error)) == NULL)
    return command_failed (error);
  if (secret_file != NULL && target->kind == DESK_TARGET_LOCAL_FOLDER)
    return usage_error (context, _("a local folder has no password"));
  if (secret_file != NULL && (secret = read_secret (secret_file, &error)) == NULL)
    {
      g_printerr ("copydesk-cli: %s: %s\n", secret_file, error->message);
      return EXIT_FAILED;
    }
  if (!desk_db_edit_target (db, target->id, new_name, changes, &error))
    {
      if (secret != NULL)
        explicit_bzero (secret, strlen (secret));
      g_printerr ("copydesk-cli: %s\n", error->message);
      return g_error_matches (error, DESK_ERROR, DESK_ERROR_INVALID_INPUT) ? EXIT_USAGE : EXIT_FAILED;
    }
  if (secret != NULL)
    {
      g_autoptr(GError) secret_error = NULL;
      gboolean stored;

      changed = desk_db_find_target (db, new_name != NULL ? new_name : old_name, NULL);
      stored = desk_db_set_target_secret (db, changed != NULL ? changed : target, secret, &session_only, &secret_error);
      explicit_bzero (secret, strlen (secret));
      if (!stored)
        return command_failed (secret_error);
      if (session_only)
        {
          g_printerr (_("copydesk-cli: no Secret Service is running, so the password could not be changed. "
                        "Start a keyring (such as gnome-keyring) and try again.\n"));
          return EXIT_FAILED;
        }
    }
  g_print (_("target %s changed\n"), new_name != NULL ? new_name : old_name);
  return EXIT_OK;
}

static int
target_edit (int    argc,
             char **argv)
{
  g_autofree char *url = NULL, *user = NULL, *status = NULL, *category = NULL, *name = NULL;
  g_autofree char *folder = NULL, *format = NULL, *api = NULL, *secret_file = NULL;
  const GOptionEntry entries[] = {
    { "url", 0, 0, G_OPTION_ARG_STRING, &url, N_("The site’s address (WordPress) or the URL to POST to (webhook)"), N_("URL") },
    { "user", 0, 0, G_OPTION_ARG_STRING, &user, N_("The WordPress user name"), N_("NAME") },
    { "status", 0, 0, G_OPTION_ARG_STRING, &status, N_("WordPress post status: draft, pending or publish (default: draft)"), N_("STATUS") },
    { "category", 0, 0, G_OPTION_ARG_STRING, &category, N_("WordPress category id for every post"), N_("ID") },
    { "api", 0, 0, G_OPTION_ARG_STRING, &api, N_("WordPress API form: wp-json or rest_route (default: found out)"), N_("FORM") },
    { "folder", 0, 0, G_OPTION_ARG_FILENAME, &folder, N_("The folder to write into (local-folder)"), N_("DIR") },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format, N_("The file format: txt, md, html or ninjs (local-folder; default: html)"), N_("FORMAT") },
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, N_("Rename the target to NEW"), N_("NEW") },
    { "secret-file", 0, 0, G_OPTION_ARG_FILENAME, &secret_file, N_("Read the application password or shared secret from FILE (- for standard input)"), N_("FILE") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = command_context (_("NAME"),
                                                       _("Change a publish target in place: what it published stays its own, and is updated, not posted again. An option given as \"\" clears that setting."),
                                                       entries);
  g_autoptr(DeskStore) store = NULL;
  g_autoptr(DeskDb) db = NULL;
  g_autoptr(DeskTarget) target = NULL;
  g_autoptr(DeskTarget) changed = NULL;
  g_autoptr(JsonObject) changes = json_object_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *secret = NULL;
  gboolean session_only = FALSE;

  if (!parse_options (context, &argc, &argv))
    return EXIT_USAGE;
  if (argc != 2)
    return usage_error (context, _("name the target to change"));

  change_setting (changes, "url", url);
  change_setting (changes, "user", user);
  change_setting (changes, "status", status);
  change_setting (changes, "category", category);
  change_setting (changes, "api", api);
  change_setting (changes, "folder", folder);
  change_setting (changes, "format", format);
  if (json_object_get_size (changes) == 0 && name == NULL && secret_file == NULL)
    return usage_error (context, _("say what to change"));

  if (!open_team_desk (&db))
    return EXIT_FAILED;
  if (db != NULL)
    return team_target_edit (context, db, argv[1], name, changes, secret_file);
  store = open_store ();
  if (store == NULL)
    return EXIT_FAILED;
  target = desk_store_find_target (store, argv[1], &error);
  if (target == NULL)
    return command_failed (error);
  if (secret_file != NULL && target->kind == DESK_TARGET_LOCAL_FOLDER)
    return usage_error (context, _("a local folder has no password"));
  if (secret_file != NULL && (secret = read_secret (secret_file, &error)) == NULL)
    {
      g_printerr ("copydesk-cli: %s: %s\n", secret_file, error->message);
      return EXIT_FAILED;
    }

  if (!desk_store_edit_target (store, target->id, name, changes, &error))
    {
      g_printerr ("copydesk-cli: %s\n", error->message);
      return g_error_matches (error, DESK_ERROR, DESK_ERROR_INVALID_INPUT) ? EXIT_USAGE : EXIT_FAILED;
    }
  if (secret != NULL)
    {
      changed = desk_store_get_target (store, target->id, NULL);
      desk_store_set_target_secret (store, changed != NULL ? changed : target, secret, &session_only, NULL);
      explicit_bzero (secret, strlen (secret));
      if (session_only)
        {
          g_printerr (_("copydesk-cli: no Secret Service is running, so the password could not be changed. "
                        "Start a keyring (such as gnome-keyring) and try again.\n"));
          return EXIT_FAILED;
        }
    }
  g_print (_("target %s changed\n"), name != NULL ? name : argv[1]);
  return EXIT_OK;
}

static void move_command_first (int    argc,
                                char **argv);

static int
command_target (int    argc,
                char **argv)
{
  /* "target --database D add …": the subcommand first, as for commands. */
  move_command_first (argc, argv);
  if (argc >= 2 && g_str_equal (argv[1], "add"))
    return target_add (argc - 1, argv + 1);
  if (argc >= 2 && g_str_equal (argv[1], "list"))
    return target_list (argc - 1, argv + 1);
  if (argc >= 2 && g_str_equal (argv[1], "remove"))
    return target_remove (argc - 1, argv + 1);
  if (argc >= 2 && g_str_equal (argv[1], "edit"))
    return target_edit (argc - 1, argv + 1);
  return usage_error (NULL, _("target add|edit|list|remove"));
}

/* ---- publish and the outbox ----------------------------------------------- */

static void
on_publisher_waiting (DeskPublisher *publisher,
                      gint64         job_id,
                      gint64         until,
                      gboolean       held,
                      gpointer       user_data)
{
  g_autofree char *text = desk_publisher_dup_waiting_text (job_id, until, held);

  g_printerr ("copydesk-cli: %s\n", text);
}

/* A publisher that says what it waits for, and with --timeout SECONDS
 * waits at most that long for each answer and for jobs it cannot take. */
static DeskPublisher *
new_publisher (DeskStore *store,
               int        timeout)
{
  DeskPublisher *publisher = desk_publisher_new (store);

  if (timeout > 0)
    {
      desk_publisher_set_timeout (publisher, (guint) timeout);
      desk_publisher_set_max_wait (publisher, (guint) timeout);
    }
  g_signal_connect (publisher, "waiting", G_CALLBACK (on_publisher_waiting), NULL);
  return publisher;
}

static int
command_publish (int    argc,
                 char **argv)
{
  g_autofree char *target_name = NULL;
  g_autofree char *override = NULL;
  int timeout = 0;
  const GOptionEntry entries[] = {
    { "target", 't', 0, G_OPTION_ARG_STRING, &target_name, N_("Publish to the target NAME (default: local, the local folder)"), N_("NAME") },
    { "override", 0, 0, G_OPTION_ARG_STRING, &override, N_("Publish copy that still carries wire furniture, for REASON"), N_("REASON") },
    { "timeout", 0, 0, G_OPTION_ARG_INT, &timeout, N_("Wait at most SECONDS for each answer, and for jobs another publisher holds or that wait to be tried again (default: 30 for an answer, as long as jobs wait)"), N_("SECONDS") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = command_context (_("ID"),
                                                       _("Publish approved copy, and wait until its job is done or has failed; jobs left waiting in the outbox go too."),
                                                       entries);
  g_autoptr(DeskStore) store = NULL;
  g_autoptr(DeskDb) db = NULL;
  g_autoptr(DeskTarget) target = NULL;
  g_autoptr(DeskPublisher) publisher = NULL;
  g_autoptr(DeskOutboxJob) job = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id;
  gint64 job_id;

  if (!parse_options (context, &argc, &argv))
    return EXIT_USAGE;
  if (argc != 2 || !parse_id (argv[1], &id))
    return usage_error (context, _("name one release by its number"));

  if (!open_team_desk (&db))
    return EXIT_FAILED;
  if (db != NULL)
    {
      if (opt_editor != NULL)
        return usage_error (context, _("on a team desk the editor is the role that logs in; "
                                       "--editor is not taken"));
      if (timeout < 0)
        return usage_error (context, _("--timeout is a number of seconds"));
      if ((job_id = desk_db_queue_release (db, id, target_name, override, &error)) == 0)
        {
          print_error_with_check_hint (id, error);
          return EXIT_FAILED;
        }
      if (!desk_db_run_outbox (db, (guint) timeout, &error) ||
          (job = desk_db_get_job (db, job_id, &error)) == NULL)
        return command_failed (error);
      if (job->state != DESK_JOB_DONE)
        {
          g_printerr (_("copydesk-cli: #%" PRId64 ": not published to %s: %s\n"), id, job->target_name,
                      job->last_error != NULL ? job->last_error : desk_job_state_to_string (job->state));
          return EXIT_FAILED;
        }
      g_print (_("#%" PRId64 ": published to %s: %s\n"), id, job->target_name,
               job->remote_url != NULL ? job->remote_url : job->remote_id);
      return EXIT_OK;
    }

  store = open_store ();
  if (store == NULL)
    return EXIT_FAILED;
  if ((target = desk_store_find_target (store, target_name != NULL ? target_name : DESK_DEFAULT_TARGET_NAME, &error)) == NULL ||
      (job_id = desk_publish_release (store, id, target->id, opt_editor, override, &error)) == 0)
    {
      print_error_with_check_hint (id, error);
      return EXIT_FAILED;
    }

  if (timeout < 0)
    return usage_error (context, _("--timeout is a number of seconds"));
  publisher = new_publisher (store, timeout);
  if (!desk_publisher_run_sync (publisher, NULL, &error))
    return command_failed (error);

  job = desk_store_get_job (store, job_id, &error);
  if (job == NULL)
    return command_failed (error);
  if (job->state != DESK_JOB_DONE)
    {
      g_printerr (_("copydesk-cli: #%" PRId64 ": not published to %s: %s\n"), id, target->name,
                  job->last_error != NULL ? job->last_error : desk_job_state_to_string (job->state));
      return EXIT_FAILED;
    }
  g_print (_("#%" PRId64 ": published to %s: %s\n"), id, target->name,
           job->remote_url != NULL ? job->remote_url : job->remote_id);
  return EXIT_OK;
}

static int
command_outbox (int    argc,
                char **argv)
{
  gboolean json = FALSE;
  gboolean run = FALSE;
  int timeout = 0;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { "run", 0, 0, G_OPTION_ARG_NONE, &run, N_("Send the jobs waiting first, until each is done or has failed"), NULL },
    { "timeout", 0, 0, G_OPTION_ARG_INT, &timeout, N_("With --run: wait at most SECONDS for each answer, and for jobs another publisher holds or that wait to be tried again"), N_("SECONDS") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = command_context (NULL, _("List the publish jobs, with their state, attempts and errors."), entries);
  g_autoptr(DeskStore) store = NULL;
  g_autoptr(DeskDb) db = NULL;
  g_autoptr(GPtrArray) jobs = NULL;
  g_autoptr(GError) error = NULL;

  if (!parse_options (context, &argc, &argv))
    return EXIT_USAGE;
  if (timeout < 0 || (timeout > 0 && !run))
    return usage_error (context, _("--timeout SECONDS goes with --run"));
  if (!open_team_desk (&db))
    return EXIT_FAILED;
  if (db != NULL)
    {
      if (run && !desk_db_run_outbox (db, (guint) timeout, &error))
        return command_failed (error);
      jobs = desk_db_list_jobs (db, &error);
    }
  else if ((store = open_store ()) == NULL)
    return EXIT_FAILED;
  else if (run)
    {
      g_autoptr(DeskPublisher) publisher = new_publisher (store, timeout);

      if (!desk_publisher_run_sync (publisher, NULL, &error))
        return command_failed (error);
    }
  if (store != NULL)
    jobs = desk_store_list_jobs (store, 0, &error);
  if (jobs == NULL)
    return command_failed (error);

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_array (builder);
      for (guint i = 0; i < jobs->len; i++)
        {
          DeskOutboxJob *job = g_ptr_array_index (jobs, i);

          json_builder_begin_object (builder);
          add_int (builder, "id", job->id);
          add_int (builder, "release", job->release_id);
          add_string (builder, "target", job->target_name);
          add_string (builder, "state", desk_job_state_to_string (job->state));
          add_int (builder, "attempts", job->attempts);
          add_string (builder, "slug", job->slug);
          add_string (builder, "idempotency_key", job->idempotency_key);
          add_string (builder, "remote_id", job->remote_id);
          add_string (builder, "remote_url", job->remote_url);
          add_string (builder, "error", job->last_error);
          add_time (builder, "next_try_at", job->state <= DESK_JOB_SENDING ? job->next_try_at : 0);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      print_json (builder);
      return EXIT_OK;
    }

  for (guint i = 0; i < jobs->len; i++)
    {
      DeskOutboxJob *job = g_ptr_array_index (jobs, i);

      g_print ("job %-5" G_GINT64_FORMAT " #%-5" G_GINT64_FORMAT " %-14s %-8s %s %u  %s\n",
               job->id, job->release_id, job->target_name, desk_job_state_to_string (job->state),
               _("attempts"), job->attempts,
               job->state == DESK_JOB_DONE ? (job->remote_url != NULL ? job->remote_url : job->remote_id)
               : job->last_error != NULL ? job->last_error : "");
    }
  return EXIT_OK;
}

/* ---- backup --------------------------------------------------------------- */

static int
command_backup (int    argc,
                char **argv)
{
  g_autoptr(GOptionContext) context = command_context (_("FILE"),
                                                       _("Copy the whole desk to FILE, safely while the window or an import is using it. An earlier backup at FILE is replaced; any other file, and the desk’s own database, never are."),
                                                       NULL);
  g_autoptr(DeskStore) store = NULL;
  g_autoptr(GError) error = NULL;

  if (!parse_options (context, &argc, &argv))
    return EXIT_USAGE;
  if (argc != 2 || *argv[1] == '\0')
    return usage_error (context, _("name one file to write the backup to"));

  store = open_store ();
  if (store == NULL)
    return EXIT_FAILED;

  if (!desk_store_backup (store, argv[1], NULL, NULL, NULL, &error))
    return command_failed (error);
  g_print (_("backed up %s to %s\n"), desk_store_get_path (store), argv[1]);
  return EXIT_OK;
}

/* ---- mailboxes ----------------------------------------------------------- */

static int
mailbox_add (int    argc,
             char **argv)
{
  g_autofree char *user = NULL, *password_file = NULL, *ca_file = NULL;
  int interval = 300;
  const GOptionEntry entries[] = {
    { "user", 0, 0, G_OPTION_ARG_STRING, &user, N_("The user name on the mail server"), N_("NAME") },
    { "password-file", 0, 0, G_OPTION_ARG_FILENAME, &password_file, N_("Read the password from FILE (- for standard input)"), N_("FILE") },
    { "ca-file", 0, 0, G_OPTION_ARG_FILENAME, &ca_file, N_("Trust the server certificate’s authority in FILE as well"), N_("FILE") },
    { "interval", 0, 0, G_OPTION_ARG_INT, &interval, N_("Look for new mail every SECONDS (default: 300)"), N_("SECONDS") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = command_context (_("NAME URL"),
                                                       _("Add an IMAP mailbox folder (imaps://server/INBOX) whose mail becomes releases. The password goes to the Secret Service, never to the database."),
                                                       entries);
  g_autoptr(DeskStore) store = NULL;
  g_autoptr(DeskMailbox) mailbox = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *password = NULL;
  gboolean session_only = FALSE;

  if (!parse_options (context, &argc, &argv))
    return EXIT_USAGE;
  if (argc != 3)
    return usage_error (context, _("name the mailbox and give its address"));
  if (user == NULL)
    return usage_error (context, _("give the user name with --user NAME"));
  if (password_file == NULL)
    return usage_error (context, _("give the password with --password-file FILE (- reads standard input)"));
  if (interval <= 0)
    return usage_error (context, _("the interval is a number of seconds above 0"));
  password = read_secret (password_file, &error);
  if (password == NULL)
    {
      g_printerr ("copydesk-cli: %s: %s\n", password_file, error->message);
      return EXIT_FAILED;
    }

  store = open_store ();
  if (store == NULL)
    return EXIT_FAILED;
  if (desk_store_add_mailbox (store, argv[1], argv[2], user, ca_file, (guint) interval, &error) == 0 ||
      (mailbox = desk_store_get_mailbox (store, argv[1], &error)) == NULL)
    {
      explicit_bzero (password, strlen (password));
      g_printerr ("copydesk-cli: %s\n", error->message);
      return EXIT_FAILED;
    }
  if (!desk_store_set_mailbox_password (store, mailbox, password, &session_only, &error) || session_only)
    {
      explicit_bzero (password, strlen (password));
      desk_store_remove_mailbox (store, argv[1], NULL);
      if (error != NULL)
        g_printerr ("copydesk-cli: %s\n", error->message);
      else
        g_printerr (_("copydesk-cli: no Secret Service is running, so the password could be kept only until "
                      "this command ends; the mailbox was not added. Start a keyring (such as gnome-keyring) "
                      "and add it again.\n"));
      return EXIT_FAILED;
    }
  explicit_bzero (password, strlen (password));
  g_print (_("mailbox %s added\n"), argv[1]);
  return EXIT_OK;
}

static int
mailbox_list (int    argc,
              char **argv)
{
  g_autoptr(GOptionContext) context = command_context (NULL, _("List the IMAP mailboxes."), NULL);
  g_autoptr(DeskStore) store = NULL;
  g_autoptr(GPtrArray) mailboxes = NULL;
  g_autoptr(GError) error = NULL;

  if (!parse_options (context, &argc, &argv))
    return EXIT_USAGE;
  store = open_store ();
  if (store == NULL)
    return EXIT_FAILED;
  mailboxes = desk_store_list_mailboxes (store, &error);
  if (mailboxes == NULL)
    return command_failed (error);
  for (guint i = 0; i < mailboxes->len; i++)
    {
      DeskMailbox *mailbox = g_ptr_array_index (mailboxes, i);

      g_print ("%-16s %s %s\n", mailbox->name, mailbox->url, mailbox->username);
      if (mailbox->last_error != NULL)
        g_print ("  %s\n", mailbox->last_error);
    }
  return EXIT_OK;
}

static int
mailbox_remove (int    argc,
                char **argv)
{
  g_autoptr(GOptionContext) context = command_context (_("NAME"), _("Remove an IMAP mailbox and its password."), NULL);
  g_autoptr(DeskStore) store = NULL;
  g_autoptr(GError) error = NULL;

  if (!parse_options (context, &argc, &argv))
    return EXIT_USAGE;
  if (argc != 2)
    return usage_error (context, _("name the mailbox to remove"));
  store = open_store ();
  if (store == NULL)
    return EXIT_FAILED;
  if (!desk_store_remove_mailbox (store, argv[1], &error))
    return command_failed (error);
  g_print (_("mailbox %s removed\n"), argv[1]);
  return EXIT_OK;
}

static int
mailbox_fetch (int    argc,
               char **argv)
{
  g_autoptr(GOptionContext) context = command_context (_("[NAME]"), _("Fetch the new mail of one IMAP mailbox, or of all."), NULL);
  g_autoptr(DeskStore) store = NULL;
  g_autoptr(GPtrArray) mailboxes = NULL;
  g_autoptr(GError) error = NULL;
  int status = EXIT_OK;

  if (!parse_options (context, &argc, &argv))
    return EXIT_USAGE;
  if (argc > 2)
    return usage_error (context, _("name one mailbox, or none for all"));
  store = open_store ();
  if (store == NULL)
    return EXIT_FAILED;
  if (argc == 2)
    {
      DeskMailbox *mailbox = desk_store_get_mailbox (store, argv[1], &error);

      if (mailbox == NULL)
        return command_failed (error);
      mailboxes = g_ptr_array_new_with_free_func ((GDestroyNotify) desk_mailbox_free);
      g_ptr_array_add (mailboxes, mailbox);
    }
  else if ((mailboxes = desk_store_list_mailboxes (store, &error)) == NULL)
    return command_failed (error);

  for (guint i = 0; i < mailboxes->len; i++)
    {
      DeskMailbox *mailbox = g_ptr_array_index (mailboxes, i);
      DeskMailboxCounts counts = { 0 };
      g_autoptr(GError) fetch_error = NULL;

      if (!desk_mailbox_fetch (store, mailbox, opt_editor, &counts, NULL, &fetch_error))
        {
          g_printerr ("copydesk-cli: %s\n", fetch_error->message);
          status = EXIT_FAILED;
        }
      /* Translators: "mailbox Press: 3 new messages, 4 releases, 1 already in the queue, 0 without text" */
      g_print (_("mailbox %s: %u new messages, %u releases, %u already in the queue, %u without text\n"),
               mailbox->name, counts.messages, counts.releases, counts.duplicates, counts.failed);
    }
  return status;
}

static int
command_mailbox (int    argc,
                 char **argv)
{
  move_command_first (argc, argv);
  if (argc >= 2 && g_str_equal (argv[1], "add"))
    return mailbox_add (argc - 1, argv + 1);
  if (argc >= 2 && g_str_equal (argv[1], "list"))
    return mailbox_list (argc - 1, argv + 1);
  if (argc >= 2 && g_str_equal (argv[1], "remove"))
    return mailbox_remove (argc - 1, argv + 1);
  if (argc >= 2 && g_str_equal (argv[1], "fetch"))
    return mailbox_fetch (argc - 1, argv + 1);
  return usage_error (NULL, _("mailbox add|list|remove|fetch"));
}

/* ---- copies of one story ---------------------------------------------------- */

/* @text's characters [start, end). */
static void
print_chars (GString    *out,
             const char *text,
             guint       start,
             guint       end)
{
  const char *from = g_utf8_offset_to_pointer (text, start);
  const char *to = g_utf8_offset_to_pointer (from, end - start);

  g_string_append_len (out, from, to - from);
}

static int
command_copies (int    argc,
                char **argv)
{
  g_autoptr(GOptionContext) context = command_context (_("ID [OTHER]"),
                                                       _("List the copies of a release’s story that came from other wires, or show how copy OTHER differs from it, word by word ([-removed-] {+added+})."),
                                                       NULL);
  g_autoptr(DeskStore) store = NULL;
  g_autoptr(DeskDb) db = NULL;
  g_autoptr(GPtrArray) copies = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id, other = 0;

  if (!parse_options (context, &argc, &argv))
    return EXIT_USAGE;
  if (argc < 2 || argc > 3 || !parse_id (argv[1], &id) || (argc == 3 && !parse_id (argv[2], &other)))
    return usage_error (context, _("give a release id, and another to compare it with"));
  if (!open_team_desk (&db) || (db == NULL && (store = open_store ()) == NULL))
    return EXIT_FAILED;
  copies = db != NULL ? desk_db_list_copies (db, id, &error) : desk_store_list_copies (store, id, &error);
  if (copies == NULL)
    return command_failed (error);

  if (other == 0)
    {
      for (guint i = 0; i < copies->len; i++)
        {
          DeskCopy *copy = g_ptr_array_index (copies, i);

          g_print ("#%" G_GINT64_FORMAT "\t%s\t%s\t%s\n", copy->id, desk_status_to_string (copy->status),
                   copy->source != NULL && *copy->source != '\0' ? copy->source : "-",
                   copy->headline != NULL ? copy->headline : "");
        }
      return EXIT_OK;
    }

  {
    gboolean found = FALSE;
    g_autoptr(DeskRelease) a = NULL;
    g_autoptr(DeskRelease) b = NULL;
    g_autoptr(GArray) spans = NULL;
    g_autoptr(GString) out = g_string_new (NULL);

    for (guint i = 0; i < copies->len && !found; i++)
      found = ((DeskCopy *) g_ptr_array_index (copies, i))->id == other && other != id;
    if (!found)
      {
        g_printerr (_("copydesk-cli: #%" PRId64 " is not a copy of #%" PRId64 "’s story\n"), other, id);
        return EXIT_FAILED;
      }
    if (db != NULL)
      {
        if ((a = desk_db_get_release (db, id, &error)) == NULL ||
            (b = desk_db_get_release (db, other, &error)) == NULL)
          return command_failed (error);
      }
    else if ((a = desk_store_get_release (store, id, &error)) == NULL ||
             (b = desk_store_get_release (store, other, &error)) == NULL)
      return command_failed (error);
    /* The word diff the review uses, of the two originals as received. */
    spans = desk_diff_words (desk_release_get_original (a), desk_release_get_original (b));
    for (guint i = 0; i < spans->len; i++)
      {
        const DeskDiffSpan *span = &g_array_index (spans, DeskDiffSpan, i);

        if (span->op == DESK_DIFF_EQUAL)
          print_chars (out, desk_release_get_original (a), span->old_start, span->old_end);
        else if (span->op == DESK_DIFF_DELETE)
          {
            g_string_append (out, "[-");
            print_chars (out, desk_release_get_original (a), span->old_start, span->old_end);
            g_string_append (out, "-]");
          }
        else
          {
            g_string_append (out, "{+");
            print_chars (out, desk_release_get_original (b), span->new_start, span->new_end);
            g_string_append (out, "+}");
          }
      }
    g_print ("%s\n", out->str);
  }
  return EXIT_OK;
}

/* ---- check ---------------------------------------------------------------- */

static int
command_check (int    argc,
               char **argv)
{
  gboolean repair = FALSE;
  const GOptionEntry entries[] = {
    { "repair", 0, 0, G_OPTION_ARG_NONE, &repair, N_("Rebuild the search index from the releases if it is wrong"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = command_context (NULL,
                                                       _("Check the database file and its search index; safe while the window has the store open."),
                                                       entries);
  g_autoptr(DeskStore) store = NULL;
  g_autoptr(DeskStoreCheck) check = NULL;
  g_autoptr(GError) error = NULL;
  const char *path;

  if (!parse_options (context, &argc, &argv))
    return EXIT_USAGE;
  if (argc > 1)
    return usage_error (context, _("check takes no arguments"));

  store = open_store ();
  if (store == NULL)
    return EXIT_FAILED;
  path = desk_store_get_path (store);

  check = desk_store_check (store, repair, &error);
  if (check == NULL)
    return command_failed (error);

  if (check->database->len == 0)
    g_print (_("database %s: ok\n"), path);
  for (guint i = 0; i < check->database->len; i++)
    g_print (_("database %s: damaged: %s\n"), path, (const char *) g_ptr_array_index (check->database, i));
  if (check->index_rebuilt)
    g_print (_("search index: rebuilt from the releases\n"));
  if (check->search_index->len == 0)
    g_print (_("search index: ok\n"));
  for (guint i = 0; i < check->search_index->len; i++)
    g_print (_("search index: %s\n"), (const char *) g_ptr_array_index (check->search_index, i));
  if (check->search_index->len > 0 && !repair && !check->index_unchecked)
    g_print (_("“copydesk-cli check --repair” rebuilds the search index from the releases.\n"));

  return desk_store_check_is_ok (check) ? EXIT_OK : EXIT_FAILED;
}

/* ---- main ---------------------------------------------------------------- */

static const Command commands[] = {
  { "import", N_("FILE|FOLDER…"), N_("Import press releases into the queue"), command_import },
  { "list", N_("[--status S] [--search Q] [--json]"), N_("List releases, newest first"), command_list },
  { "show", N_("ID [--json]"), N_("Show a release with its revisions and events"), command_show },
  { "edit", N_("ID --from-file F|--headline T"), N_("Save a new revision of the edited copy"), command_edit },
  { "set-status", N_("ID STATUS [--note T] [--override R]"), N_("Move a release to another status"), command_set_status },
  { "clean", N_("ID"), N_("Save a revision without the wire furniture"), command_clean },
  { "decide", N_("ID VERDICT --reason TEXT"), N_("Record the editor’s verdict: sponsored, third-party or not"), command_decide },
  { "detect", N_("[ID|--all]"), N_("Read releases again for sponsored content"), command_detect },
  { "eval", N_("DIR [--json]"), N_("Measure the sponsor detector on a labelled folder"), command_eval },
  { "export", N_("ID…|--status S --to DIR [--format F]"), N_("Write approved copy as txt, md, html or ninjs files"), command_export },
  { "target", N_("add|edit|list|remove …"), N_("Set up where approved copy is published"), command_target },
  { "publish", N_("ID [--target NAME] [--override R]"), N_("Publish approved copy and wait for the job"), command_publish },
  { "outbox", N_("[--run [--timeout S]] [--json]"), N_("List publish jobs with their state and errors"), command_outbox },
  { "backup", N_("FILE"), N_("Copy the desk to FILE, safely while it is in use"), command_backup },
  { "mailbox", N_("add|list|remove|fetch …"), N_("Take releases from IMAP mailboxes"), command_mailbox },
  { "copies", N_("ID [OTHER]"), N_("List a story’s copies from other wires, or compare two"), command_copies },
  { "check", N_("[--repair]"), N_("Check the database and its search index"), command_check },
  { "ingest", N_("[--folder DIR] [--watch]"), N_("Bring in releases from the inbox folder and feeds"), copydesk_cli_ingest },
  { "feed", N_("add|list|remove|fetch …"), N_("Subscribe to RSS and Atom feeds"), copydesk_cli_feed },
  { "lock", N_("ID [--take-over]"), N_("Hold a release’s lock on a team desk until stopped"), copydesk_cli_lock },
  { "locks", N_("[--json]"), N_("List the releases being edited under a lock on a team desk"), copydesk_cli_locks },
  { "desk", N_("init ADDRESS | copy FROM TO"), N_("Prepare a team desk on PostgreSQL, or copy a desk to or from one"), copydesk_cli_desk },
};

static void
print_usage (FILE *out)
{
  fprintf (out, "%s\n\n", _("Usage: copydesk-cli COMMAND [OPTIONS…]"));
  fprintf (out, "%s\n", _("Commands:"));
  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (out, "  %-11s %-36s %s\n", commands[i].name, _(commands[i].parameters), _(commands[i].summary));
  fprintf (out, "\n%s\n", _("Options for every command: --database PATH, --editor NAME. “copydesk-cli COMMAND --help” tells more."));
  fprintf (out, "%s\n", _("Other options: --version, --help"));
}

/* The options every command takes may also come before the command, as
 * in "copydesk-cli --database D list": they are moved after it, where the
 * command's own option parser reads them. */
static void
move_command_first (int    argc,
                    char **argv)
{
  int at = 1;
  char *command;

  while (at < argc)
    {
      if (g_str_equal (argv[at], "--database") || g_str_equal (argv[at], "-d") ||
          g_str_equal (argv[at], "--editor"))
        at += 2;
      else if (g_str_has_prefix (argv[at], "--database=") || g_str_has_prefix (argv[at], "--editor="))
        at += 1;
      else
        break;
    }
  if (at == 1 || at >= argc)
    return;

  command = argv[at];
  memmove (argv + 2, argv + 1, (gsize) (at - 1) * sizeof (char *));
  argv[1] = command;
}

/* What the CLI prints for people quotes headlines, file names and the
 * copy itself, written by anyone: a terminal must show their control
 * characters, not obey them.  (JSON is written past these.) */
static void
print_escaped (FILE       *out,
               const char *text)
{
  g_autofree char *safe = desk_terminal_escape (text, -1, TRUE);

  fputs (safe, out);
}

static void
print_to_stdout (const char *text)
{
  print_escaped (stdout, text);
}

static void
print_to_stderr (const char *text)
{
  print_escaped (stderr, text);
}

int
main (int    argc,
      char **argv)
{
  int status = EXIT_USAGE;

  desk_i18n_init ();
  g_set_print_handler (print_to_stdout);
  g_set_printerr_handler (print_to_stderr);
  move_command_first (argc, argv);

  if (argc < 2)
    {
      print_usage (stderr);
      return EXIT_USAGE;
    }

  if (g_str_equal (argv[1], "--version") || g_str_equal (argv[1], "version"))
    {
      g_print ("copydesk-cli %s\n", PACKAGE_VERSION);
      return EXIT_OK;
    }

  if (g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h") || g_str_equal (argv[1], "help"))
    {
      print_usage (stdout);
      return EXIT_OK;
    }

  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      if (g_str_equal (argv[1], commands[i].name))
        {
          g_autofree char *prgname = g_strdup_printf ("copydesk-cli %s", commands[i].name);

          g_set_prgname (prgname);
          status = commands[i].run (argc - 1, argv + 1);
          g_clear_pointer (&opt_database, g_free);
          g_clear_pointer (&opt_editor, g_free);
          return status;
        }
    }

  g_printerr (_("copydesk-cli: unknown command “%s”\n\n"), argv[1]);
  print_usage (stderr);
  return EXIT_USAGE;
}
