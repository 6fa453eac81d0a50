/* test-cli.c — copydesk-cli end to end on a temporary database
 *
 * Runs the built binary as a script or cron job would, and checks what it
 * prints and its exit status.
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <sqlite3.h>

#include "desk-terminal.h"
#include "desk-outbox.h"
#include "desk-test-util.h"

typedef struct {
  char *dir;
  char *db;
  char *seed;
  char *schema_dir;   /* GSETTINGS_SCHEMA_DIR for the CLI, when set */
  const char *bus;   /* DBUS_SESSION_BUS_ADDRESS for the CLI, if set */
  const char * const *as_user;  /* a command that runs the CLI as another user, if set */
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("copydesk-cli-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->db = g_build_filename (fixture->dir, "desk.db", NULL);
  fixture->seed = g_test_build_filename (G_TEST_DIST, "fixtures", "seaprwire-id-moskow-konfirmasi.txt", NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  desk_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->db);
  g_free (fixture->seed);
  g_free (fixture->schema_dir);
}

/* Runs copydesk-cli with @args (NULL-terminated); the database is the
 * fixture's through COPYDESK_DB unless @args name one. */
static DeskTestRun
run_cli_env (Fixture     *fixture,
             const char  *stdin_text,
             const char  *first,
             ...)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                       G_SUBPROCESS_FLAGS_STDERR_PIPE |
                                                                       G_SUBPROCESS_FLAGS_STDIN_PIPE);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  const char *cli = g_getenv ("COPYDESK_CLI");
  DeskTestRun run = { 0 };
  va_list ap;

  g_assert_nonnull (cli);
  for (guint i = 0; fixture->as_user != NULL && fixture->as_user[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) fixture->as_user[i]);
  g_ptr_array_add (argv, (gpointer) cli);
  va_start (ap, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (argv, NULL);

  g_subprocess_launcher_setenv (launcher, "COPYDESK_DB", fixture->db, TRUE);
  g_subprocess_launcher_setenv (launcher, "COPYDESK_EDITOR", "Editor CLI", TRUE);
  if (fixture->bus != NULL)
    g_subprocess_launcher_setenv (launcher, "DBUS_SESSION_BUS_ADDRESS", fixture->bus, TRUE);
  if (fixture->schema_dir != NULL)
    g_subprocess_launcher_setenv (launcher, "GSETTINGS_SCHEMA_DIR", fixture->schema_dir, TRUE);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, stdin_text, NULL, &run.out, &run.err, &error);
  g_assert_no_error (error);
  run.status = g_subprocess_get_exit_status (process);
  if (g_test_verbose ())
    g_printerr ("$ copydesk-cli %s…\n%s%s(exit %d)\n", first, run.out, run.err, run.status);
  return run;
}

#define run_cli(fixture, ...) run_cli_env (fixture, NULL, __VA_ARGS__, NULL)

static JsonNode *
parse_json (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

static void
test_version_and_usage_errors (Fixture       *fixture,
                               gconstpointer  data)
{
  g_auto(DeskTestRun) version = run_cli (fixture, "--version");
  g_auto(DeskTestRun) nothing = run_cli_env (fixture, NULL, NULL);
  g_auto(DeskTestRun) unknown = run_cli (fixture, "frobnicate");
  g_auto(DeskTestRun) bad_option = run_cli (fixture, "list", "--colour");
  g_auto(DeskTestRun) bad_status = run_cli (fixture, "list", "--status", "pending");
  g_auto(DeskTestRun) no_files = run_cli (fixture, "import");
  g_auto(DeskTestRun) bad_id = run_cli (fixture, "show", "abc");
  g_auto(DeskTestRun) help = run_cli (fixture, "--help");

  g_assert_cmpint (version.status, ==, 0);
  g_assert_true (g_str_has_prefix (version.out, "copydesk-cli 0."));
  g_assert_cmpint (nothing.status, ==, 2);
  g_assert_nonnull (strstr (nothing.err, "Usage: copydesk-cli COMMAND"));
  g_assert_cmpint (unknown.status, ==, 2);
  g_assert_nonnull (strstr (unknown.err, "unknown command “frobnicate”"));
  g_assert_cmpint (bad_option.status, ==, 2);
  g_assert_nonnull (strstr (bad_option.err, "--colour"));
  g_assert_cmpint (bad_status.status, ==, 2);
  g_assert_nonnull (strstr (bad_status.err, "unknown status “pending”"));
  g_assert_cmpint (no_files.status, ==, 2);
  g_assert_cmpint (bad_id.status, ==, 2);
  g_assert_cmpint (help.status, ==, 0);
  g_assert_nonnull (strstr (help.out, "set-status"));
  /* Usage errors touch no database. */
  g_assert_false (g_file_test (fixture->db, G_FILE_TEST_EXISTS));
}

static void
test_import_list_show_edit_and_move_a_release (Fixture       *fixture,
                                               gconstpointer  data)
{
  g_autofree char *edited_path = g_build_filename (fixture->dir, "edited.txt", NULL);
  g_autoptr(JsonNode) list_json = NULL;
  g_autoptr(JsonNode) show_json = NULL;
  JsonObject *release;
  JsonArray *events;

  {
    g_auto(DeskTestRun) run = run_cli (fixture, "import", fixture->seed);
    g_assert_cmpint (run.status, ==, 0);
    g_assert_cmpstr (run.out, ==, "imported 1, duplicates 0, failed 0\n");
  }
  {
    g_auto(DeskTestRun) run = run_cli (fixture, "import", fixture->seed);
    g_autofree char *expected = g_strdup_printf ("imported 0, duplicates 1, failed 0\n"
                                                 "duplicate: %s: already in the queue as #1\n", fixture->seed);
    g_assert_cmpint (run.status, ==, 0);
    g_assert_cmpstr (run.out, ==, expected);
  }
  {
    g_auto(DeskTestRun) run = run_cli (fixture, "list");
    g_assert_cmpint (run.status, ==, 0);
    g_assert_nonnull (strstr (run.out, "Moskow konfirmasi pembicaraan baru Rusia-AS"));
    g_assert_nonnull (strstr (run.out, "SeaPRwire"));
    g_assert_nonnull (strstr (run.out, " new "));
  }
  {
    g_auto(DeskTestRun) run = run_cli (fixture, "list", "--json");
    JsonArray *array;

    g_assert_cmpint (run.status, ==, 0);
    list_json = parse_json (run.out);
    array = json_node_get_array (list_json);
    g_assert_cmpuint (json_array_get_length (array), ==, 1);
    release = json_array_get_object_element (array, 0);
    g_assert_cmpint (json_object_get_int_member (release, "id"), ==, 1);
    g_assert_cmpstr (json_object_get_string_member (release, "status"), ==, "new");
    g_assert_cmpstr (json_object_get_string_member (release, "language"), ==, "id");
  }
  {
    g_auto(DeskTestRun) found = run_cli (fixture, "list", "--search", "Istanbul");
    g_auto(DeskTestRun) missing = run_cli (fixture, "list", "--search", "Jakarta");
    g_auto(DeskTestRun) approved = run_cli (fixture, "list", "--status", "approved");

    g_assert_nonnull (strstr (found.out, "Moskow"));
    g_assert_cmpstr (missing.out, ==, "");
    g_assert_cmpstr (approved.out, ==, "");
  }

  g_assert_true (g_file_set_contents (edited_path, "Putaran berikutnya akan berlangsung di Istanbul.\n", -1, NULL));
  {
    g_auto(DeskTestRun) run = run_cli (fixture, "edit", "1", "--from-file", edited_path);
    g_auto(DeskTestRun) again = run_cli (fixture, "edit", "1", "--from-file", edited_path);

    g_assert_cmpint (run.status, ==, 0);
    g_assert_nonnull (strstr (run.out, "saved revision 1"));
    g_assert_cmpint (again.status, ==, 0);
    g_assert_nonnull (strstr (again.out, "no change"));
  }
  {
    /* Edited copy is checked as imports are: the file, the line and the
     * byte are named, and nothing is saved. */
    g_autofree char *latin1_path = g_build_filename (fixture->dir, "edited-latin1.txt", NULL);
    g_autofree char *expected = NULL;

    g_assert_true (g_file_set_contents (latin1_path, "Putaran berikutnya\nberlangsung di K\xf6ln.\n", -1, NULL));
    {
      g_auto(DeskTestRun) run = run_cli (fixture, "edit", "1", "--from-file", latin1_path);
      g_auto(DeskTestRun) again = run_cli (fixture, "edit", "1", "--from-file", edited_path);

      expected = g_strdup_printf ("%s: line 2 is not valid UTF-8 (byte offset 35)", latin1_path);
      g_assert_cmpint (run.status, !=, 0);
      g_assert_nonnull (strstr (run.err, expected));
      g_assert_nonnull (strstr (again.out, "no change"));
    }
  }
  {
    g_auto(DeskTestRun) run = run_cli (fixture, "set-status", "1", "in_review", "--note", "Mulai sunting");
    g_assert_cmpint (run.status, ==, 0);
    g_assert_cmpstr (run.out, ==, "#1: new → in_review\n");
  }
  {
    g_auto(DeskTestRun) run = run_cli (fixture, "set-status", "1", "published");
    g_assert_cmpint (run.status, ==, 1);
    g_assert_nonnull (strstr (run.err, "in_review"));
    g_assert_nonnull (strstr (run.err, "published"));
  }
  {
    g_auto(DeskTestRun) run = run_cli (fixture, "set-status", "#1", "approved");
    g_assert_cmpint (run.status, ==, 0);
  }
  {
    g_auto(DeskTestRun) run = run_cli (fixture, "show", "1", "--json");
    JsonObject *revision;

    g_assert_cmpint (run.status, ==, 0);
    show_json = parse_json (run.out);
    release = json_node_get_object (show_json);
    g_assert_cmpstr (json_object_get_string_member (release, "status"), ==, "approved");
    g_assert_cmpstr (json_object_get_string_member (release, "wire"), ==, "SeaPRwire");
    g_assert_cmpstr (json_object_get_string_member (release, "edited"), ==,
                     "Putaran berikutnya akan berlangsung di Istanbul.\n");
    g_assert_true (g_str_has_prefix (json_object_get_string_member (release, "original"), "Moskow konfirmasi"));
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (release, "tags")), ==, 2);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (release, "parts")), ==, 16);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (release, "revisions")), ==, 1);
    revision = json_array_get_object_element (json_object_get_array_member (release, "revisions"), 0);
    g_assert_cmpstr (json_object_get_string_member (revision, "author"), ==, "Editor CLI");
    g_assert_cmpstr (json_object_get_string_member (release, "approved_sha256"), ==,
                     json_object_get_string_member (revision, "sha256"));
    events = json_object_get_array_member (release, "events");
    g_assert_cmpuint (json_array_get_length (events), ==, 3);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (events, 1), "note"), ==, "Mulai sunting");
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (events, 2), "actor"), ==, "Editor CLI");
  }
  {
    g_auto(DeskTestRun) run = run_cli (fixture, "show", "1");
    g_assert_cmpint (run.status, ==, 0);
    g_assert_nonnull (strstr (run.out, "Wire credit: SeaPRwire"));
    g_assert_nonnull (strstr (run.out, "Tags:        Top Story, Daily News"));
    g_assert_nonnull (strstr (run.out, "disclaimer"));
    g_assert_nonnull (strstr (run.out, "in_review → approved"));
  }
  {
    g_auto(DeskTestRun) run = run_cli (fixture, "show", "99");
    g_assert_cmpint (run.status, ==, 1);
    g_assert_nonnull (strstr (run.err, "There is no release #99"));
  }
  {
    /* Editing approved copy sends it back to review. */
    g_auto(DeskTestRun) run = run_cli_env (fixture, "Teks baru dari stdin.\n", "edit", "1", "--from-file", "-", NULL);
    g_auto(DeskTestRun) list = run_cli (fixture, "list", "--status", "in_review");

    g_assert_cmpint (run.status, ==, 0);
    g_assert_nonnull (strstr (list.out, "Moskow"));
  }
}

static void
test_import_of_bad_files_reports_each_and_exits_1 (Fixture       *fixture,
                                                   gconstpointer  data)
{
  g_autofree char *folder = g_build_filename (fixture->dir, "inbox", NULL);
  g_autofree char *good = g_build_filename (folder, "good.txt", NULL);
  g_autofree char *empty = g_build_filename (folder, "empty.txt", NULL);
  g_autofree char *latin1 = g_build_filename (folder, "latin1.txt", NULL);
  g_autofree char *windows = g_build_filename (folder, "windows.txt", NULL);
  g_autofree char *missing = g_build_filename (fixture->dir, "missing.txt", NULL);
  g_auto(DeskTestRun) run = { 0 };

  g_mkdir (folder, 0700);
  g_assert_true (g_file_set_contents (good, "Gempa di Cianjur\nWarga diminta tenang.\n", -1, NULL));
  g_assert_true (g_file_set_contents (empty, "", 0, NULL));
  /* 0x81 is no letter in Windows-1252 either: the file is refused, not
   * read as that (desk_parse_release()). */
  g_assert_true (g_file_set_contents (latin1, "Judul\nCaf\xE9\x81\n", -1, NULL));
  /* Saved by an older Windows program: read, and the editor told so. */
  g_assert_true (g_file_set_contents (windows, "Kafe \x93Senja\x94 dibuka\nCaf\xE9 baru di Bandung.\n", -1, NULL));

  run = run_cli (fixture, "import", folder, missing);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_true (g_str_has_prefix (run.out, "imported 2, duplicates 0, failed 3\n"));
  {
    g_autofree char *line = g_strdup_printf ("converted: %s: read as Windows-1252\n", windows);
    g_assert_nonnull (strstr (run.out, line));
  }
  {
    g_autofree char *line = g_strdup_printf ("failed: %s: the file is empty\n", empty);
    g_assert_nonnull (strstr (run.out, line));
  }
  {
    g_autofree char *line = g_strdup_printf ("failed: %s: line 2 is not valid UTF-8 (byte offset 9)\n", latin1);
    g_assert_nonnull (strstr (run.out, line));
  }
  {
    g_autofree char *line = g_strdup_printf ("failed: %s: cannot be read: No such file or directory\n", missing);
    g_assert_nonnull (strstr (run.out, line));
  }
  {
    g_auto(DeskTestRun) list = run_cli (fixture, "list");
    g_assert_nonnull (strstr (list.out, "Gempa di Cianjur"));
    g_assert_nonnull (strstr (list.out, "Kafe “Senja” dibuka"));
  }
}

static void
test_database_option_wins_over_the_environment (Fixture       *fixture,
                                                gconstpointer  data)
{
  g_autofree char *other = g_build_filename (fixture->dir, "other.db", NULL);
  g_auto(DeskTestRun) import = run_cli (fixture, "import", "--database", other, fixture->seed);
  g_auto(DeskTestRun) in_env_db = run_cli (fixture, "list");
  g_auto(DeskTestRun) in_other = run_cli (fixture, "list", "-d", other);

  /* As the usage says, before the command too. */
  g_autofree char *other_eq = g_strconcat ("--database=", other, NULL);
  g_auto(DeskTestRun) before = run_cli (fixture, "--database", other, "--editor", "Ana", "list");
  g_auto(DeskTestRun) before_eq = run_cli (fixture, other_eq, "list");

  g_assert_cmpint (import.status, ==, 0);
  g_assert_true (g_file_test (other, G_FILE_TEST_EXISTS));
  g_assert_cmpstr (in_env_db.out, ==, "");
  g_assert_nonnull (strstr (in_other.out, "Moskow"));
  g_assert_cmpint (before.status, ==, 0);
  g_assert_cmpstr (before.out, ==, in_other.out);
  g_assert_cmpstr (before_eq.out, ==, in_other.out);
}

static void
test_unwritable_database_is_an_error_not_a_crash (Fixture       *fixture,
                                                  gconstpointer  data)
{
  g_autofree char *blocker = g_build_filename (fixture->dir, "plain-file", NULL);
  g_autofree char *db = g_build_filename (blocker, "desk.db", NULL);
  g_auto(DeskTestRun) run = { 0 };

  g_assert_true (g_file_set_contents (blocker, "x", -1, NULL));
  run = run_cli (fixture, "list", "--database", db);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, blocker));
}

/* ---- sponsored content ------------------------------------------------------- */

static void
test_clean_writes_a_revision_and_show_lists_findings (Fixture       *fixture,
                                                      gconstpointer  data)
{
  g_autoptr(JsonNode) show_json = NULL;
  JsonObject *release;
  JsonArray *findings;
  const char *edited;

  {
    g_auto(DeskTestRun) run = run_cli (fixture, "import", fixture->seed);
    g_assert_cmpint (run.status, ==, 0);
  }
  {
    g_auto(DeskTestRun) run = run_cli (fixture, "list", "--sponsored");
    g_assert_cmpint (run.status, ==, 0);
    g_assert_nonnull (strstr (run.out, "[third-party] Moskow konfirmasi"));
  }
  {
    g_auto(DeskTestRun) run = run_cli (fixture, "show", "1");
    g_assert_cmpint (run.status, ==, 0);
    g_assert_nonnull (strstr (run.out, "Sponsored:   yes (detector: third_party"));
    g_assert_nonnull (strstr (run.out, "credit-seaprwire"));
  }
  {
    g_auto(DeskTestRun) run = run_cli (fixture, "clean", "1");
    g_assert_cmpint (run.status, ==, 0);
    g_assert_cmpstr (run.out, ==, "#1: cleaned up, saved revision 1\n");
  }
  {
    g_auto(DeskTestRun) run = run_cli (fixture, "clean", "1");
    g_assert_cmpint (run.status, ==, 0);
    g_assert_cmpstr (run.out, ==, "#1: nothing to clean up, no new revision\n");
  }
  {
    g_auto(DeskTestRun) run = run_cli (fixture, "clean", "7");
    g_assert_cmpint (run.status, ==, 1);
    g_assert_nonnull (strstr (run.err, "There is no release #7"));
  }
  {
    g_auto(DeskTestRun) run = run_cli (fixture, "show", "1", "--json");
    g_assert_cmpint (run.status, ==, 0);
    show_json = parse_json (run.out);
  }

  release = json_node_get_object (show_json);
  edited = json_object_get_string_member (release, "edited");
  g_assert_true (g_str_has_prefix (edited, "Moskow konfirmasi pembicaraan baru Rusia-AS\n"
                                           "Putaran berikutnya akan berlangsung di Istanbul"));
  g_assert_true (g_str_has_suffix (edited, "penyelesaian konflik Ukraina."));
  g_assert_cmpstr (json_object_get_string_member (release, "verdict"), ==, "third_party");
  findings = json_object_get_array_member (release, "findings");
  g_assert_cmpuint (json_array_get_length (findings), ==, 4);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (findings, 0), "evidence"),
                   ==, "(SeaPRwire) – ");

  {
    g_auto(DeskTestRun) run = run_cli (fixture, "detect");
    g_assert_cmpint (run.status, ==, 0);
    g_assert_cmpstr (run.out, ==, "read 0 releases again\n");
  }
  {
    g_auto(DeskTestRun) run = run_cli (fixture, "detect", "--all");
    g_assert_cmpint (run.status, ==, 0);
    g_assert_cmpstr (run.out, ==, "read 1 release again\n");
  }
  {
    g_auto(DeskTestRun) run = run_cli (fixture, "detect", "1");
    g_assert_cmpint (run.status, ==, 0);
    g_assert_nonnull (strstr (run.out, "#1: third_party"));
    g_assert_nonnull (strstr (run.out, "by SeaPRwire"));
  }
}

static void
test_eval_prints_precision_recall_and_clean_up_accuracy (Fixture       *fixture,
                                                         gconstpointer  data)
{
  g_autofree char *eval_dir = g_test_build_filename (G_TEST_DIST, "eval", NULL);
  g_autofree char *small_dir = g_build_filename (fixture->dir, "small", NULL);
  g_autofree char *manifest = g_build_filename (small_dir, "manifest.json", NULL);
  g_autofree char *news = g_build_filename (small_dir, "news.txt", NULL);
  g_autofree char *seed_copy = g_build_filename (small_dir, "seed.txt", NULL);
  g_autofree char *seed = NULL;

  {
    g_auto(DeskTestRun) run = run_cli (fixture, "eval", eval_dir, "--json");
    g_autoptr(JsonNode) report = NULL;
    JsonObject *object;

    g_assert_cmpint (run.status, ==, 0);
    report = parse_json (run.out);
    object = json_node_get_object (report);
    g_assert_cmpint (json_object_get_int_member (object, "releases"), >=, 30);
    g_assert_cmpfloat (json_object_get_double_member (object, "precision"), ==, 1.0);
    g_assert_cmpfloat (json_object_get_double_member (object, "recall"), >=, 0.95);
    g_assert_cmpfloat (json_object_get_double_member (object, "cleanup_accuracy"), >=, 0.95);
  }

  /* A small set with one wrong label: the miss is named. */
  g_mkdir (small_dir, 0700);
  g_file_get_contents (fixture->seed, &seed, NULL, NULL);
  g_file_set_contents (seed_copy, seed, -1, NULL);
  g_file_set_contents (news, "Council approves cycle lanes\nThe council voted for cycle lanes.\n", -1, NULL);
  g_file_set_contents (manifest,
                       "{ \"releases\": ["
                       "  { \"file\": \"seed.txt\", \"verdict\": \"third_party\", \"credit\": \"(SeaPRwire) – \","
                       "    \"end_matter\": [ \"Sektor: Top Story, Daily News\" ] },"
                       "  { \"file\": \"news.txt\", \"verdict\": \"sponsored\" } ] }", -1, NULL);
  {
    g_auto(DeskTestRun) run = run_cli (fixture, "eval", small_dir);

    g_assert_cmpint (run.status, ==, 0);
    g_assert_nonnull (strstr (run.out, "precision:         1.000 (1 of 1 flagged should be)"));
    g_assert_nonnull (strstr (run.out, "recall:            0.500 (1 of 2 that should be are flagged)"));
    g_assert_nonnull (strstr (run.out, "clean-up accuracy: 0.500 (1 of 2)"));
    g_assert_nonnull (strstr (run.out, "miss: news.txt: expected sponsored, found none"));
    g_assert_nonnull (strstr (run.out, "miss: seed.txt: the clean-up differs"));
    /* Figures per language and per layout, and the zone left in. */
    g_assert_nonnull (strstr (run.out, "per language:"));
    g_assert_nonnull (strstr (run.out, "per layout:"));
    g_assert_nonnull (strstr (run.out, "unlabelled                   2 releases  precision 1.00  recall 0.50  clean-up 0.50"));
    g_assert_nonnull (strstr (run.out, "(disclaimer-third-party-id)"));
  }
  {
    g_auto(DeskTestRun) run = run_cli (fixture, "eval", fixture->dir);
    g_assert_cmpint (run.status, ==, 1);
    g_assert_nonnull (strstr (run.err, "manifest.json cannot be read"));
  }
}

static void
test_export_target_publish_and_outbox (Fixture       *fixture,
                                       gconstpointer  data)
{
  g_autofree char *out = g_build_filename (fixture->dir, "out", NULL);
  g_autofree char *folder = g_build_filename (fixture->dir, "site", NULL);

  {
    g_auto(DeskTestRun) run = run_cli (fixture, "import", fixture->seed);
    g_assert_cmpint (run.status, ==, 0);
  }
  {
    g_auto(DeskTestRun) unapproved = run_cli (fixture, "export", "1", "--format", "html", "--to", out);
    g_auto(DeskTestRun) no_folder = run_cli (fixture, "export", "1");
    g_auto(DeskTestRun) bad_format = run_cli (fixture, "export", "1", "--format", "docx", "--to", out);
    g_assert_cmpint (unapproved.status, ==, 1);
    g_assert_nonnull (strstr (unapproved.err, "#1: Release #1 is New, not approved"));
    g_assert_cmpint (no_folder.status, ==, 2);
    g_assert_cmpint (bad_format.status, ==, 2);
    g_assert_nonnull (strstr (bad_format.err, "unknown format “docx”"));
  }
  {
    g_auto(DeskTestRun) review = run_cli (fixture, "set-status", "1", "in_review");
    /* The seed still carries its wire furniture: the pre-publish check
     * stops it until it is cleaned up or let go with a reason. */
    g_auto(DeskTestRun) stopped = run_cli (fixture, "set-status", "1", "approved");
    g_auto(DeskTestRun) approve = run_cli (fixture, "set-status", "1", "approved",
                                           "--override", "Runs as the wire sent it");
    g_auto(DeskTestRun) run = run_cli (fixture, "export", "--status", "approved", "--format", "md", "--to", out);
    g_autofree char *path = NULL;
    g_autofree char *md = NULL;

    g_assert_cmpint (stopped.status, ==, 1);
    g_assert_nonnull (strstr (stopped.err, "wire credit “(SeaPRwire) –”"));
    g_assert_nonnull (strstr (stopped.err, "copydesk-cli clean 1"));
    g_assert_nonnull (strstr (stopped.err, "--override REASON"));
    g_assert_cmpint (approve.status, ==, 0);
    g_assert_cmpint (run.status, ==, 0);
    g_assert_true (g_str_has_prefix (run.out, "#1: "));
    path = g_strndup (run.out + 4, strlen (run.out) - 5);
    g_assert_true (g_str_has_suffix (path, "-moskow-konfirmasi-pembicaraan-baru-rusia-as.md"));
    g_assert_true (g_file_get_contents (path, &md, NULL, NULL));
    g_assert_true (g_str_has_prefix (md, "**Konten bersponsor**\n\n# Moskow konfirmasi"));
  }
  {
    g_auto(DeskTestRun) no_secret = run_cli (fixture, "target", "add", "wordpress", "site", "--url", "http://127.0.0.1:9", "--user", "ed");
    g_auto(DeskTestRun) add = run_cli (fixture, "target", "add", "local-folder", "site", "--folder", folder, "--format", "ninjs");
    g_auto(DeskTestRun) again = run_cli (fixture, "target", "add", "local-folder", "site");
    g_auto(DeskTestRun) list = run_cli (fixture, "target", "list");
    g_assert_cmpint (no_secret.status, ==, 2);
    g_assert_nonnull (strstr (no_secret.err, "--secret-file"));
    g_assert_cmpint (add.status, ==, 0);
    g_assert_cmpint (again.status, ==, 1);
    g_assert_nonnull (strstr (again.err, "already a target named “site”"));
    g_assert_nonnull (strstr (list.out, "local            local-folder  (default folder)\n"));
    g_assert_nonnull (strstr (list.out, "site             local-folder  "));
  }
  {
    g_auto(DeskTestRun) run = run_cli (fixture, "publish", "1", "--target", "site");
    g_auto(DeskTestRun) twice = run_cli (fixture, "publish", "1", "--target", "site");
    g_auto(DeskTestRun) outbox = run_cli (fixture, "outbox", "--json");
    g_auto(DeskTestRun) show = run_cli (fixture, "show", "1", "--json");
    g_auto(DeskTestRun) remove = run_cli (fixture, "target", "remove", "site");
    g_autoptr(JsonNode) jobs = NULL;
    JsonObject *job;

    g_assert_cmpint (run.status, ==, 0);
    g_assert_nonnull (strstr (run.out, "#1: published to site: file://"));
    g_assert_cmpint (twice.status, ==, 1);
    g_assert_nonnull (strstr (twice.err, "already published"));
    jobs = parse_json (outbox.out);
    g_assert_cmpuint (json_array_get_length (json_node_get_array (jobs)), ==, 1);
    job = json_array_get_object_element (json_node_get_array (jobs), 0);
    g_assert_cmpstr (json_object_get_string_member (job, "state"), ==, "done");
    g_assert_cmpint (json_object_get_int_member (job, "attempts"), ==, 1);
    g_assert_true (g_str_has_suffix (json_object_get_string_member (job, "remote_id"), ".json"));
    g_assert_nonnull (strstr (show.out, "\"status\" : \"published\""));
    g_assert_cmpint (remove.status, ==, 0);
  }
}

static void
test_target_is_not_added_without_a_secret_service (Fixture       *fixture,
                                                   gconstpointer  data)
{
  g_autofree char *bus = g_strdup_printf ("unix:path=%s/no-bus", fixture->dir);
  g_auto(DeskTestRun) add = { 0 };
  g_auto(DeskTestRun) list = { 0 };

  fixture->bus = bus;
  add = run_cli_env (fixture, "s3cret\n", "target", "add", "webhook", "hook", "--url", "http://127.0.0.1:9/hook",
                     "--secret-file", "-", NULL);
  list = run_cli (fixture, "target", "list");
  g_assert_cmpint (add.status, ==, 1);
  g_assert_nonnull (strstr (add.err, "no Secret Service is running"));
  g_assert_null (strstr (add.err, "s3cret"));
  g_assert_null (strstr (list.out, "hook"));
}

/* Runs copydesk-cli with its standard input read from the file @stdin_path. */
static DeskTestRun
run_cli_stdin_file (Fixture    *fixture,
                    const char *stdin_path,
                    const char *first,
                    ...)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                       G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  DeskTestRun run = { 0 };
  va_list ap;

  g_ptr_array_add (argv, (gpointer) g_getenv ("COPYDESK_CLI"));
  va_start (ap, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (argv, NULL);

  g_subprocess_launcher_setenv (launcher, "COPYDESK_DB", fixture->db, TRUE);
  g_subprocess_launcher_set_stdin_file_path (launcher, stdin_path);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &run.out, &run.err, &error);
  g_assert_no_error (error);
  run.status = g_subprocess_get_exit_status (process);
  return run;
}

/* edit --from-file used to wait for ever on a named pipe and read
 * /dev/zero until memory ran out: it reads only regular files, as the
 * importer does, and a stream no further than the size cap. */
static void
test_edit_from_file_refuses_pipes_and_devices_by_name (Fixture       *fixture,
                                                       gconstpointer  data)
{
  g_autofree char *fifo = g_build_filename (fixture->dir, "pipe.txt", NULL);
  g_autofree char *expected = NULL;

  {
    g_auto(DeskTestRun) run = run_cli (fixture, "import", fixture->seed);
    g_assert_cmpint (run.status, ==, 0);
  }
  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  {
    g_auto(DeskTestRun) run = run_cli (fixture, "edit", "1", "--from-file", fifo);
    expected = g_strdup_printf ("copydesk-cli: %s: a named pipe, not a file\n", fifo);
    g_assert_cmpint (run.status, ==, 1);
    g_assert_cmpstr (run.err, ==, expected);
  }
  {
    g_auto(DeskTestRun) run = run_cli (fixture, "edit", "1", "--from-file", "/dev/zero");
    g_assert_cmpint (run.status, ==, 1);
    g_assert_cmpstr (run.err, ==, "copydesk-cli: /dev/zero: a device, not a file\n");
  }
  {
    g_auto(DeskTestRun) run = run_cli (fixture, "edit", "1", "--from-file", fixture->dir);
    g_assert_cmpint (run.status, ==, 1);
    g_assert_nonnull (strstr (run.err, ": a folder, not a file"));
  }
  {
    g_auto(DeskTestRun) run = run_cli_stdin_file (fixture, "/dev/zero", "edit", "1", "--from-file", "-", NULL);
    g_assert_cmpint (run.status, ==, 1);
    g_assert_cmpstr (run.err, ==, "copydesk-cli: -: the file is larger than 10 MB, the most Copydesk reads\n");
  }
  g_assert_cmpint (desk_test_sql_int (fixture->db, "SELECT count(*) FROM revisions"), ==, 0);
}

/* Starts eight `copydesk-cli list` on @db at once, as a cron job and a
 * terminal might, and checks that each succeeds and that the store ends
 * at the latest schema, upgraded once. */
static void
assert_eight_processes_open_at_once (const char *db,
                                     const char *reference)
{
  const char *cli = g_getenv ("COPYDESK_CLI");
  const char *argv[] = { cli, "--database", db, "list", NULL };
  GSubprocess *processes[8];

  for (guint i = 0; i < G_N_ELEMENTS (processes); i++)
    {
      g_autoptr(GError) error = NULL;

      processes[i] = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
      g_assert_no_error (error);
    }
  for (guint i = 0; i < G_N_ELEMENTS (processes); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;

      g_subprocess_communicate_utf8 (processes[i], NULL, NULL, &out, &err, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (err, ==, "");
      g_assert_cmpint (g_subprocess_get_exit_status (processes[i]), ==, 0);
      g_object_unref (processes[i]);
    }

  g_assert_cmpint (desk_test_sql_int (db, "PRAGMA user_version"), ==, DESK_STORE_SCHEMA_VERSION);
  g_assert_cmpint (desk_test_sql_int (db, "SELECT count(*) FROM targets WHERE name = 'local'"), ==, 1);
  /* The same tables, indexes and columns as a store made in one go. */
  g_assert_cmpint (desk_test_sql_int (db, "SELECT count(*) FROM sqlite_master"), ==,
                   desk_test_sql_int (reference, "SELECT count(*) FROM sqlite_master"));
  g_assert_cmpint (desk_test_sql_int (db, "SELECT count(*) FROM pragma_table_info('releases')"), ==,
                   desk_test_sql_int (reference, "SELECT count(*) FROM pragma_table_info('releases')"));
}

/* Two processes opening a new store at once: one used to fail with
 * "table releases already exists", having read the schema version before
 * it held the write lock.  The same for each older schema. */
static void
test_eight_processes_opening_a_new_or_older_store_at_once_all_succeed (Fixture       *fixture,
                                                                      gconstpointer  data)
{
  g_autofree char *fresh = g_build_filename (fixture->dir, "new.db", NULL);
  g_autofree char *fixture_db = g_build_filename (fixture->dir, "schema-1-fixture.db", NULL);
  g_autofree char *sql = desk_test_load_fixture ("schema-1.sql");
  g_autofree char *reference = g_build_filename (fixture->dir, "reference.db", NULL);
  sqlite3 *db = NULL;

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(DeskStore) store = desk_store_open (reference, &error);

    g_assert_no_error (error);
  }
  assert_eight_processes_open_at_once (fresh, reference);

  g_assert_cmpint (sqlite3_open (fixture_db, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  assert_eight_processes_open_at_once (fixture_db, reference);
  g_assert_cmpint (desk_test_sql_int (fixture_db, "SELECT count(*) FROM releases"), ==, 2);
  g_assert_cmpint (desk_test_sql_int (fixture_db, "SELECT count(*) FROM releases WHERE structure = ''"), ==, 0);

  for (int version = 1; version < DESK_STORE_SCHEMA_VERSION; version++)
    {
      g_autofree char *name = g_strdup_printf ("schema-%d.db", version);
      g_autofree char *path = g_build_filename (fixture->dir, name, NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(DeskStore) old = desk_store_open_at_version (path, version, &error);

      g_assert_no_error (error);
      g_clear_object (&old);
      g_assert_cmpint (desk_test_sql_int (path, "PRAGMA user_version"), ==, version);
      assert_eight_processes_open_at_once (path, reference);
    }
}

/* A headline or file name carrying terminal escapes (retitle the window,
 * clear the screen, reverse the text) used to reach the terminal raw:
 * list, show and the messages now show them as text, and --json keeps
 * them exact. */
static void
test_terminal_output_shows_control_characters_as_text (Fixture       *fixture,
                                                       gconstpointer  data)
{
  const char *headline = "H \033]0;pwned\007 \033[2J \342\200\256x \302\233y \177z";
  const char *shown = "H ^[]0;pwned^G ^[[2J <U+202E>x <U+009B>y ^?z";
  g_autofree char *bad_name = g_build_filename (fixture->dir, "bad\033[2J.txt", NULL);
  g_autoptr(JsonNode) list_json = NULL;
  g_autoptr(JsonNode) show_json = NULL;

  {
    g_auto(DeskTestRun) run = run_cli (fixture, "import", fixture->seed);
    g_assert_cmpint (run.status, ==, 0);
  }
  {
    g_auto(DeskTestRun) run = run_cli (fixture, "edit", "1", "--headline", headline);
    g_assert_cmpint (run.status, ==, 0);
  }
  {
    g_auto(DeskTestRun) run = run_cli (fixture, "list");
    g_assert_cmpint (run.status, ==, 0);
    g_assert_nonnull (strstr (run.out, shown));
    g_assert_null (strchr (run.out, '\033'));
    g_assert_null (strstr (run.out, "\342\200\256"));
  }
  {
    g_auto(DeskTestRun) run = run_cli (fixture, "show", "1");
    g_autofree char *first_line = g_strdup_printf ("#1  %s\n", shown);
    g_assert_cmpint (run.status, ==, 0);
    g_assert_true (g_str_has_prefix (run.out, first_line));
    g_assert_null (strchr (run.out, '\033'));
    g_assert_null (strchr (run.out, '\007'));
    /* The copy keeps its lines. */
    g_assert_nonnull (strstr (run.out, "\nOriginal:\n"));
  }
  {
    g_auto(DeskTestRun) run = run_cli (fixture, "list", "--json");
    list_json = parse_json (run.out);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (json_node_get_array (list_json), 0),
                                                    "headline"), ==, headline);
  }
  {
    g_auto(DeskTestRun) run = run_cli (fixture, "show", "1", "--json");
    show_json = parse_json (run.out);
    g_assert_cmpstr (json_object_get_string_member (json_node_get_object (show_json), "headline"), ==, headline);
  }

  /* File names in the import's report and in error messages. */
  g_file_set_contents (bad_name, "", 0, NULL);
  {
    g_auto(DeskTestRun) run = run_cli (fixture, "import", bad_name);
    g_assert_cmpint (run.status, ==, 1);
    g_assert_nonnull (strstr (run.out, "bad^[[2J.txt: the file is empty"));
    g_assert_null (strchr (run.out, '\033'));
  }
  {
    g_auto(DeskTestRun) run = run_cli (fixture, "edit", "1", "--from-file", bad_name);
    g_assert_cmpint (run.status, ==, 1);
    g_assert_nonnull (strstr (run.err, "bad^[[2J.txt: the file is empty"));
    g_assert_null (strchr (run.err, '\033'));
  }
}

static void
test_terminal_escape_covers_c0_c1_del_bidi_and_bad_utf8 (void)
{
  struct {
    const char *in;
    gboolean    keep_newlines;
    const char *out;
  } cases[] = {
    { "plain é 中文 ok", FALSE, "plain é 中文 ok" },
    { "a\tb\nc", TRUE, "a\tb\nc" },
    { "a\nb\rc", FALSE, "a^Jb^Mc" },
    { "\001\033\037\177", FALSE, "^A^[^_^?" },
    { "\302\200\302\237", FALSE, "<U+0080><U+009F>" },
    { "\342\200\256\342\201\246\342\200\217\330\234", FALSE, "<U+202E><U+2066><U+200F><U+061C>" },
    { "caf\351!", FALSE, "caf\357\277\275!" },
    /* Runs of plain text around what is shown as codes, a dash sharing
     * its lead byte with the bidi controls. */
    { "JAKARTA \342\200\223 rilis\342\200\256 x\ty\nz\342\200\223", TRUE,
      "JAKARTA \342\200\223 rilis<U+202E> x\ty\nz\342\200\223" },
    { "\342\200\223\033]0;x\007\342\200", FALSE, "\342\200\223^[]0;x^G\357\277\275\357\277\275" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = desk_terminal_escape (cases[i].in, -1, cases[i].keep_newlines);
      g_autoptr(GString) appended = g_string_new ("> ");

      g_assert_cmpstr (out, ==, cases[i].out);
      desk_terminal_append_escaped (appended, cases[i].in, cases[i].keep_newlines);
      g_assert_cmpstr (appended->str + 2, ==, cases[i].out);
    }
}

/* Overwrites page @page of the SQLite file at @path (closed, with its WAL
 * checkpointed) with bytes that are not a b-tree page. */
static void
damage_page (const char *path,
             gint64      page)
{
  g_autofree char *garbage = g_malloc (4096);
  FILE *file;

  for (guint i = 0; i < 4096; i++)
    garbage[i] = (char) (0x5a ^ (i * 31));
  file = fopen (path, "r+b");
  g_assert_nonnull (file);
  g_assert_cmpint (fseek (file, (long) ((page - 1) * 4096), SEEK_SET), ==, 0);
  g_assert_cmpuint (fwrite (garbage, 1, 4096, file), ==, 4096);
  fclose (file);
}

/* check names what is wrong with the file and with the search index,
 * rebuilds the index with --repair, and does all that while another
 * process (the window) has the store open. */
static void
test_check_finds_a_wrong_index_and_a_damaged_file (Fixture       *fixture,
                                                   gconstpointer  data)
{
  g_autoptr(DeskStore) window = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *ok_database = g_strdup_printf ("database %s: ok\n", fixture->db);
  sqlite3 *db = NULL;
  gint64 root;

  {
    g_auto(DeskTestRun) run = run_cli (fixture, "import", fixture->seed);
    g_assert_cmpint (run.status, ==, 0);
  }
  window = desk_store_open (fixture->db, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 40; i++)
    {
      g_autofree char *text = g_strdup_printf ("Berita nomor %u\n\nIsi berita %u tentang pasar.\n", i, i);
      desk_test_add_text (window, text);
    }
  {
    g_auto(DeskTestRun) run = run_cli (fixture, "check");
    g_autofree char *expected = g_strconcat (ok_database, "search index: ok\n", NULL);
    g_assert_cmpint (run.status, ==, 0);
    g_assert_cmpstr (run.out, ==, expected);
  }

  /* A headline changed behind the index's back. */
  g_assert_cmpint (sqlite3_open (fixture->db, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "UPDATE releases SET headline = 'Diubah diam-diam' WHERE id = 1", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  {
    g_auto(DeskTestRun) run = run_cli (fixture, "check");
    g_assert_cmpint (run.status, ==, 1);
    g_assert_true (g_str_has_prefix (run.out, ok_database));
    g_assert_nonnull (strstr (run.out, "search index: does not match the releases\n"));
    g_assert_nonnull (strstr (run.out, "check --repair"));
  }
  {
    g_auto(DeskTestRun) run = run_cli (fixture, "check", "--repair");
    g_autofree char *expected = g_strconcat (ok_database, "search index: rebuilt from the releases\n"
                                             "search index: ok\n", NULL);
    g_assert_cmpint (run.status, ==, 0);
    g_assert_cmpstr (run.out, ==, expected);
  }
  {
    g_auto(DeskTestRun) run = run_cli (fixture, "list", "--search", "diam-diam");
    g_assert_cmpint (run.status, ==, 0);
    g_assert_nonnull (strstr (run.out, "Diubah diam-diam"));
  }

  /* The index's structure record damaged: FTS5 can then neither search
   * nor rebuild, and imports stop; --repair empties the index and
   * rebuilds it. */
  g_assert_cmpint (sqlite3_open (fixture->db, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "UPDATE releases_fts_data SET block = x'ffffffffffffffffffffffff' WHERE id = 10",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  {
    g_auto(DeskTestRun) run = run_cli (fixture, "list", "--search", "diam-diam");
    g_assert_cmpint (run.status, ==, 1);
    g_assert_nonnull (strstr (run.err, "“copydesk-cli check --repair” rebuilds it"));
  }
  {
    g_auto(DeskTestRun) run = run_cli (fixture, "check");
    g_assert_cmpint (run.status, ==, 1);
    g_assert_nonnull (strstr (run.out, "search index: "));
  }
  {
    g_auto(DeskTestRun) run = run_cli (fixture, "check", "--repair");
    g_assert_cmpint (run.status, ==, 0);
    g_assert_nonnull (strstr (run.out, "search index: rebuilt from the releases\nsearch index: ok\n"));
  }
  {
    g_auto(DeskTestRun) run = run_cli (fixture, "list", "--search", "diam-diam");
    g_assert_cmpint (run.status, ==, 0);
    g_assert_nonnull (strstr (run.out, "Diubah diam-diam"));
  }

  /* Random bytes in a page of an index of the releases. */
  g_clear_object (&window);
  root = desk_test_sql_int (fixture->db, "SELECT rootpage FROM sqlite_master WHERE name = 'releases_by_status'");
  g_assert_cmpint (root, >, 1);
  damage_page (fixture->db, root);
  {
    g_auto(DeskTestRun) run = run_cli (fixture, "check");
    g_autofree char *damaged = g_strdup_printf ("database %s: damaged: ", fixture->db);
    g_assert_cmpint (run.status, ==, 1);
    g_assert_true (g_str_has_prefix (run.out, damaged));
  }
}

/* Runs the CLI as an ordinary user when the tests run as root, whom
 * permissions do not stop; NULL when that cannot be done here. */
static const char * const *
ordinary_user_prefix (void)
{
  static const char * const setpriv[] = { "setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--", NULL };
  static const char * const none[] = { NULL };
  g_autofree char *found = NULL;

  if (getuid () != 0)
    return none;
  found = g_find_program_in_path ("setpriv");
  return found != NULL ? setpriv : NULL;
}

/* A store in a folder the user may not write: SQLite cannot make its
 * journal there.  list used to fail without saying why; reading now
 * works, and each write names the folder as the cause. */
static void
test_read_only_folder_is_read_and_named_as_the_cause (Fixture       *fixture,
                                                      gconstpointer  data)
{
  g_autofree char *folder = g_build_filename (fixture->dir, "arsip", NULL);
  g_autofree char *db = g_build_filename (folder, "desk.db", NULL);
  g_autofree char *fresh = g_build_filename (folder, "baru.db", NULL);
  g_autofree char *release = g_build_filename (fixture->dir, "baru.txt", NULL);
  g_autofree char *cause = g_strdup_printf ("the folder %s must be writable for SQLite’s journal", folder);
  const char * const *as_user = ordinary_user_prefix ();

  if (as_user == NULL)
    {
      g_test_skip ("running as root without setpriv: permissions cannot be tested");
      return;
    }

  g_mkdir (folder, 0755);
  {
    g_auto(DeskTestRun) run = run_cli (fixture, "import", "--database", db, fixture->seed);
    g_assert_cmpint (run.status, ==, 0);
  }
  g_assert_true (g_file_set_contents (release, "Judul baru\n\nIsi berita baru.\n", -1, NULL));
  g_chmod (release, 0644);
  g_chmod (db, 0644);
  g_chmod (folder, 0555);
  g_chmod (fixture->dir, 0755);
  fixture->as_user = as_user;

  {
    g_auto(DeskTestRun) run = run_cli (fixture, "list", "--database", db);
    g_assert_cmpstr (run.err, ==, "");
    g_assert_cmpint (run.status, ==, 0);
    g_assert_nonnull (strstr (run.out, "Moskow konfirmasi"));
  }
  {
    g_auto(DeskTestRun) run = run_cli (fixture, "show", "1", "--database", db);
    g_assert_cmpint (run.status, ==, 0);
  }
  {
    g_auto(DeskTestRun) run = run_cli (fixture, "set-status", "1", "in_review", "--database", db);
    g_assert_cmpint (run.status, ==, 1);
    g_assert_nonnull (strstr (run.err, db));
    g_assert_nonnull (strstr (run.err, cause));
  }
  {
    g_auto(DeskTestRun) run = run_cli (fixture, "import", "--database", db, release);
    g_assert_cmpint (run.status, ==, 1);
    g_assert_nonnull (strstr (run.out, cause));
    g_assert_nonnull (strstr (run.out, "stopped: "));
  }
  {
    g_auto(DeskTestRun) run = run_cli (fixture, "list", "--database", fresh);
    g_assert_cmpint (run.status, ==, 1);
    g_assert_nonnull (strstr (run.err, fresh));
    g_assert_nonnull (strstr (run.err, cause));
  }

  fixture->as_user = NULL;
  g_chmod (folder, 0755);
  g_assert_cmpint (desk_test_sql_int (db, "SELECT count(*) FROM releases"), ==, 1);
  g_assert_cmpint (desk_test_sql_int (db, "SELECT count(*) FROM events"), ==, 1);
}

/* A damaged file: random bytes in a page used to let imports add to it
 * and exit 0.  The import now checks the whole file first and stops,
 * naming it; a damaged first page or a file cut short is refused at
 * open. */
static void
test_damaged_file_is_named_and_not_written (Fixture       *fixture,
                                            gconstpointer  data)
{
  g_autofree char *release = g_build_filename (fixture->dir, "baru.txt", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *damaged = g_strdup_printf ("%s is damaged", fixture->db);
  gint64 root;

  {
    g_autoptr(DeskStore) store = desk_store_open (fixture->db, &error);

    g_assert_no_error (error);
    for (guint i = 0; i < 40; i++)
      {
        g_autofree char *text = g_strdup_printf ("Berita nomor %u\n\nIsi berita %u tentang pasar.\n", i, i);
        desk_test_add_text (store, text);
      }
  }
  g_assert_true (g_file_set_contents (release, "Judul baru\n\nIsi berita baru.\n", -1, NULL));
  root = desk_test_sql_int (fixture->db, "SELECT rootpage FROM sqlite_master WHERE name = 'outbox'");
  damage_page (fixture->db, root);

  {
    g_auto(DeskTestRun) run = run_cli (fixture, "import", release);
    g_assert_cmpint (run.status, ==, 1);
    g_assert_nonnull (strstr (run.out, damaged));
    g_assert_nonnull (strstr (run.out, "\n0 stored, 1 not tried\n"));
  }
  g_assert_cmpint (desk_test_sql_int (fixture->db, "SELECT max(id) FROM releases"), ==, 40);

  /* The schema on the first page. */
  {
    FILE *file = fopen (fixture->db, "r+b");

    g_assert_nonnull (file);
    g_assert_cmpint (fseek (file, 100, SEEK_SET), ==, 0);
    g_assert_cmpuint (fwrite ("\xff\xff\xff\xff\xff\xff\xff\xff", 1, 8, file), ==, 8);
    fclose (file);
  }
  {
    g_auto(DeskTestRun) run = run_cli (fixture, "import", release);
    g_assert_cmpint (run.status, ==, 1);
    g_assert_nonnull (strstr (run.err, fixture->db));
    g_assert_nonnull (strstr (run.err, "damaged"));
  }

  /* Cut short in the middle of a page. */
  g_assert_cmpint (truncate (fixture->db, 4096 * 3 + 100), ==, 0);
  {
    g_auto(DeskTestRun) run = run_cli (fixture, "list");
    g_autofree char *expected = g_strdup_printf ("copydesk-cli: Could not open %s: the file is damaged or cut short "
                                                 "(12388 bytes, pages of 4096)\n", fixture->db);
    g_assert_cmpint (run.status, ==, 1);
    g_assert_cmpstr (run.err, ==, expected);
  }
}

/* The editor's verdict, a new headline, the pre-publish check and its
 * clean-up, and publishing from a build whose settings schema is not
 * installed (as README runs it): Indonesian copy goes out labelled in
 * Indonesian, under the new headline, without its furniture. */
static void
test_decide_headline_check_and_publish_without_a_schema (Fixture       *fixture,
                                                         gconstpointer  data)
{
  g_autofree char *folder = g_build_filename (fixture->dir, "published", NULL);
  g_autofree char *html = NULL;
  g_autofree char *html_path = NULL;

  g_setenv ("COPYDESK_PUBLISH_DIR", folder, TRUE);
  {
    g_auto(DeskTestRun) import = run_cli (fixture, "import", fixture->seed);
    g_auto(DeskTestRun) no_reason = run_cli (fixture, "decide", "1", "third-party");
    g_auto(DeskTestRun) bad = run_cli (fixture, "decide", "1", "paid", "--reason", "x");
    g_auto(DeskTestRun) decide = run_cli (fixture, "decide", "1", "third-party", "--reason", "The distributor's release, not paid");
    g_auto(DeskTestRun) show = run_cli (fixture, "show", "1", "--json");

    g_assert_cmpint (import.status, ==, 0);
    g_assert_cmpint (no_reason.status, ==, 2);
    g_assert_nonnull (strstr (no_reason.err, "--reason"));
    g_assert_cmpint (bad.status, ==, 2);
    g_assert_nonnull (strstr (bad.err, "unknown verdict “paid”"));
    g_assert_cmpint (decide.status, ==, 0);
    g_assert_cmpstr (decide.out, ==, "#1: now third_party (the editor’s verdict)\n");
    g_assert_nonnull (strstr (show.out, "\"sponsor_decision\" : \"third_party\""));
    g_assert_nonnull (strstr (show.out, "marked-third-party"));
  }
  {
    g_auto(DeskTestRun) headline = run_cli (fixture, "edit", "1", "--headline", "Rusia dan AS bertemu lagi di Istanbul");
    g_auto(DeskTestRun) review = run_cli (fixture, "set-status", "1", "in_review");
    g_auto(DeskTestRun) stopped = run_cli (fixture, "set-status", "1", "approved");
    g_auto(DeskTestRun) clean = run_cli (fixture, "clean", "1");
    g_auto(DeskTestRun) approve = run_cli (fixture, "set-status", "1", "approved");

    g_assert_cmpint (headline.status, ==, 0);
    g_assert_cmpstr (headline.out, ==, "#1: saved revision 1\n");
    g_assert_cmpint (review.status, ==, 0);
    g_assert_cmpint (stopped.status, ==, 1);
    g_assert_nonnull (strstr (stopped.err, "pre-publish check"));
    g_assert_cmpint (clean.status, ==, 0);
    g_assert_cmpint (approve.status, ==, 0);
  }

  fixture->schema_dir = g_build_filename (fixture->dir, "no-schemas", NULL);
  g_assert_cmpint (g_mkdir (fixture->schema_dir, 0700), ==, 0);
  {
    g_auto(DeskTestRun) publish = run_cli (fixture, "publish", "1");

    g_assert_cmpint (publish.status, ==, 0);
    g_assert_true (g_str_has_prefix (publish.out, "#1: published to local: file://"));
    html_path = g_filename_from_uri (strstr (publish.out, "file://"), NULL, NULL);
    g_strchomp (html_path);
  }
  g_assert_true (g_file_get_contents (html_path, &html, NULL, NULL));
  g_assert_nonnull (strstr (html, "<p class=\"disclosure\"><strong>Konten bersponsor</strong></p>"));
  g_assert_nonnull (strstr (html, "<h1>Rusia dan AS bertemu lagi di Istanbul</h1>"));
  g_assert_null (strstr (html, "Moskow konfirmasi pembicaraan baru"));   /* the old headline, not a paragraph */
  g_assert_null (strstr (html, "SeaPRwire"));
  g_assert_nonnull (strstr (html, "<p>Putaran berikutnya akan berlangsung di Istanbul"));
  g_unsetenv ("COPYDESK_PUBLISH_DIR");
}

/* Opening a second store on the same file in one process (the window
 * and its counting thread do) must leave the first one's locks alone:
 * the header check at open once opened and closed the file with a
 * descriptor of its own, which dropped them, so a CLI that then closed
 * thought itself the last user, removed the WAL, and the window saw
 * nothing more. */
static void
test_a_second_store_in_the_process_keeps_the_first_one_following (Fixture       *fixture,
                                                                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskStore) window = NULL;
  g_autoptr(GPtrArray) releases = NULL;
  DeskQuery query = DESK_QUERY_INIT;

  {
    g_auto(DeskTestRun) run = run_cli (fixture, "import", fixture->seed);
    g_assert_cmpint (run.status, ==, 0);
  }
  window = desk_store_open (fixture->db, &error);
  g_assert_no_error (error);
  releases = desk_store_list_releases (window, &query, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (releases->len, ==, 1);
  g_clear_pointer (&releases, g_ptr_array_unref);

  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(DeskStore) counter = desk_store_open (fixture->db, &error);

      g_assert_no_error (error);
    }

  {
    g_auto(DeskTestRun) run = run_cli (fixture, "set-status", "1", "in_review");
    g_assert_cmpint (run.status, ==, 0);
  }
  g_assert_true (g_file_test (fixture->db, G_FILE_TEST_EXISTS));
  {
    g_autofree char *wal = g_strconcat (fixture->db, "-wal", NULL);
    g_assert_true (g_file_test (wal, G_FILE_TEST_EXISTS));
  }
  query.status = DESK_STATUS_IN_REVIEW;
  releases = desk_store_list_releases (window, &query, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (releases->len, ==, 1);
}

/* A full disk, for real: a small tmpfs mounted in a mount namespace of
 * the CLI's own (unshare -rm: no root needed where user namespaces are
 * allowed).  The import stops at the first release that does not fit,
 * names the database and counts what was stored and what was not tried,
 * where it used to try every remaining file. */
static void
test_full_disk_stops_the_import_with_the_counts (Fixture       *fixture,
                                                 gconstpointer  data)
{
  g_autofree char *inbox = g_build_filename (fixture->dir, "inbox", NULL);
  g_autofree char *mount_point = g_build_filename (fixture->dir, "disk", NULL);
  g_autofree char *unshare = g_find_program_in_path ("unshare");
  g_autofree char *stopped = NULL;
  const char *script = "mount -t tmpfs -o size=600k tmpfs \"$1\" || exit 77; "
                       "exec \"$2\" --database \"$1/desk.db\" import \"$3\"";
  const char *shell_argv[] = { "unshare", "-rm", "sh", "-c", script, "sh", NULL, NULL, NULL, NULL };
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  unsigned stored = 0, not_tried = 0;
  const char *line;

  g_mkdir (inbox, 0700);
  g_mkdir (mount_point, 0700);
  for (guint i = 0; i < 200; i++)
    {
      g_autofree char *name = g_strdup_printf ("%03u.txt", i);
      g_autofree char *path = g_build_filename (inbox, name, NULL);
      g_autoptr(GString) text = g_string_new (NULL);

      g_string_append_printf (text, "Berita nomor %u\n\n", i);
      for (guint j = 0; j < 200; j++)
        g_string_append_printf (text, "Kalimat %u dari berita %u tentang harga beras. ", j, i);
      g_assert_true (g_file_set_contents (path, text->str, (gssize) text->len, NULL));
    }

  if (unshare == NULL)
    {
      g_test_skip ("no unshare to mount a small disk with");
      return;
    }
  shell_argv[6] = mount_point;
  shell_argv[7] = g_getenv ("COPYDESK_CLI");
  shell_argv[8] = inbox;
  process = g_subprocess_newv (shell_argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  if (g_subprocess_get_exit_status (process) == 77 || g_str_has_prefix (err, "unshare:"))
    {
      g_test_skip ("user and mount namespaces are not allowed here");
      return;
    }

  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 1);
  stopped = g_strdup_printf ("\nstopped: the disk that holds %s/desk.db is full\n", mount_point);
  g_assert_nonnull (strstr (out, stopped));
  line = strstr (out, stopped) + strlen (stopped);
  g_assert_cmpint (sscanf (line, "%u stored, %u not tried", &stored, &not_tried), ==, 2);
  g_assert_cmpuint (stored, >, 0);
  /* One release found the disk full, and was the only one to fail. */
  g_assert_cmpuint (stored + 1 + not_tried, ==, 200);
  g_assert_true (g_str_has_prefix (out, "imported "));
  {
    g_autofree char *counts = g_strdup_printf ("imported %u, duplicates 0, failed 1\n", stored);
    g_assert_true (g_str_has_prefix (out, counts));
  }
}

static void
test_target_edit_changes_a_target_in_place (Fixture       *fixture,
                                            gconstpointer  data)
{
  g_autofree char *first = g_build_filename (fixture->dir, "first", NULL);
  g_autofree char *second = g_build_filename (fixture->dir, "second", NULL);
  gint64 id;

  {
    g_auto(DeskTestRun) add = run_cli (fixture, "target", "add", "local-folder", "site", "--folder", first);
    g_assert_cmpint (add.status, ==, 0);
  }
  id = desk_test_sql_int (fixture->db, "SELECT id FROM targets WHERE name = 'site'");
  {
    g_auto(DeskTestRun) edit = run_cli (fixture, "target", "edit", "site", "--folder", second, "--name", "desk");
    g_auto(DeskTestRun) list = run_cli (fixture, "target", "list");
    g_assert_cmpint (edit.status, ==, 0);
    g_assert_cmpstr (edit.out, ==, "target desk changed\n");
    g_assert_nonnull (strstr (list.out, "desk             local-folder  "));
    g_assert_nonnull (strstr (list.out, second));
    g_assert_null (strstr (list.out, "site"));
    g_assert_cmpint (desk_test_sql_int (fixture->db, "SELECT id FROM targets WHERE name = 'desk'"), ==, id);
  }
  {
    /* The options every command takes may come before "target" too. */
    g_auto(DeskTestRun) list = run_cli (fixture, "--database", fixture->db, "target", "list");
    g_assert_cmpint (list.status, ==, 0);
    g_assert_nonnull (strstr (list.out, "desk             local-folder  "));
  }
  {
    /* The core's one rule, with the file and the problem named. */
    g_auto(DeskTestRun) bad_format = run_cli (fixture, "target", "edit", "desk", "--format", "docx");
    g_auto(DeskTestRun) no_target = run_cli (fixture, "target", "edit", "nowhere", "--folder", first);
    g_auto(DeskTestRun) no_secret = run_cli (fixture, "target", "edit", "desk", "--secret-file", "-");
    g_auto(DeskTestRun) nothing = run_cli (fixture, "target", "edit", "desk");
    g_auto(DeskTestRun) bad_url = run_cli (fixture, "target", "add", "webhook", "hook", "--url", "ftp://example.org", "--secret-file", fixture->seed);
    g_assert_cmpint (bad_format.status, ==, 2);
    g_assert_nonnull (strstr (bad_format.err, "not “docx”"));
    g_assert_cmpint (no_target.status, ==, 1);
    g_assert_nonnull (strstr (no_target.err, "no target named “nowhere”"));
    g_assert_cmpint (no_secret.status, ==, 2);
    g_assert_cmpint (nothing.status, ==, 2);
    g_assert_cmpint (bad_url.status, ==, 2);
    g_assert_nonnull (strstr (bad_url.err, "“ftp://example.org” is not an http:// or https:// address"));
  }
  {
    /* Removed and added again: the same target, with its history. */
    g_auto(DeskTestRun) remove = run_cli (fixture, "target", "remove", "desk");
    g_auto(DeskTestRun) gone = run_cli (fixture, "target", "list");
    g_auto(DeskTestRun) add = run_cli (fixture, "target", "add", "local-folder", "desk");
    g_assert_cmpint (remove.status, ==, 0);
    g_assert_null (strstr (gone.out, "desk"));
    g_assert_cmpint (add.status, ==, 0);
    g_assert_cmpint (desk_test_sql_int (fixture->db, "SELECT id FROM targets WHERE name = 'desk'"), ==, id);
  }
}

/* A job another publisher holds: outbox --run and publish say so, and
 * with --timeout stop waiting. */
static void
test_outbox_run_says_what_it_waits_for (Fixture       *fixture,
                                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskStore) store = desk_store_open (fixture->db, &error);
  gint64 id, job;

  g_assert_no_error (error);
  id = desk_test_add_approved (store, "Harbour reopens", "The harbour reopened on Monday.");
  job = desk_store_publish (store, id, 1, "Ana", &error);
  g_assert_no_error (error);
  g_assert_true (desk_store_job_begin_attempt (store, job, "another-machine",
                                               g_get_real_time () + (gint64) 3600 * G_USEC_PER_SEC, NULL, &error));
  g_clear_object (&store);
  {
    g_auto(DeskTestRun) run = run_cli (fixture, "outbox", "--run", "--timeout", "1");
    g_auto(DeskTestRun) publish = run_cli (fixture, "publish", "1", "--timeout", "1");
    g_auto(DeskTestRun) no_run = run_cli (fixture, "outbox", "--timeout", "1");

    g_assert_cmpint (run.status, ==, 1);
    g_assert_nonnull (strstr (run.err, "waiting for job #1: another publisher holds it until "));
    g_assert_nonnull (strstr (run.err, "Stopped after waiting 1 s"));
    g_assert_cmpint (publish.status, ==, 1);
    g_assert_nonnull (strstr (publish.err, "waiting for job #1: another publisher holds it until "));
    g_assert_cmpint (no_run.status, ==, 2);
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/cli/version-and-usage-errors", test_version_and_usage_errors);
  ADD ("/cli/import-list-show-edit-and-move", test_import_list_show_edit_and_move_a_release);
  ADD ("/cli/bad-files-are-reported-and-exit-1", test_import_of_bad_files_reports_each_and_exits_1);
  ADD ("/cli/database-option-wins-over-environment", test_database_option_wins_over_the_environment);
  ADD ("/cli/unwritable-database-is-an-error", test_unwritable_database_is_an_error_not_a_crash);
  ADD ("/cli/clean-writes-a-revision-and-show-lists-findings", test_clean_writes_a_revision_and_show_lists_findings);
  ADD ("/cli/eval-prints-precision-recall-and-clean-up-accuracy", test_eval_prints_precision_recall_and_clean_up_accuracy);
  ADD ("/cli/export-target-publish-and-outbox", test_export_target_publish_and_outbox);
  ADD ("/cli/target-is-not-added-without-a-secret-service", test_target_is_not_added_without_a_secret_service);
  ADD ("/cli/edit-from-file-refuses-pipes-and-devices-by-name", test_edit_from_file_refuses_pipes_and_devices_by_name);
  ADD ("/cli/terminal-output-shows-control-characters-as-text", test_terminal_output_shows_control_characters_as_text);
  g_test_add_func ("/cli/terminal-escape-covers-c0-c1-del-bidi-and-bad-utf8", test_terminal_escape_covers_c0_c1_del_bidi_and_bad_utf8);
  ADD ("/cli/check-finds-a-wrong-index-and-a-damaged-file", test_check_finds_a_wrong_index_and_a_damaged_file);
  ADD ("/cli/read-only-folder-is-read-and-named-as-the-cause", test_read_only_folder_is_read_and_named_as_the_cause);
  ADD ("/cli/damaged-file-is-named-and-not-written", test_damaged_file_is_named_and_not_written);
  ADD ("/cli/a-second-store-in-the-process-keeps-the-first-one-following",
       test_a_second_store_in_the_process_keeps_the_first_one_following);
  ADD ("/cli/full-disk-stops-the-import-with-the-counts", test_full_disk_stops_the_import_with_the_counts);
  ADD ("/cli/eight-processes-opening-a-new-or-older-store-at-once-all-succeed",
       test_eight_processes_opening_a_new_or_older_store_at_once_all_succeed);
  ADD ("/cli/decide-headline-check-and-publish-without-a-schema", test_decide_headline_check_and_publish_without_a_schema);
  ADD ("/cli/target-edit-changes-a-target-in-place", test_target_edit_changes_a_target_in_place);
  ADD ("/cli/outbox-run-says-what-it-waits-for", test_outbox_run_says_what_it_waits_for);

#undef ADD

  return g_test_run ();
}
