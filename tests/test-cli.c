/* test-cli.c — copydesk-cli end to end on a temporary database
 *
 * Runs the built binary as a script or cron job would, and checks what it
 * prints and its exit status.
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "desk-test-util.h"

typedef struct {
  char *dir;
  char *db;
  char *seed;
  const char *bus;   /* DBUS_SESSION_BUS_ADDRESS for the CLI, if set */
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
  g_autofree char *missing = g_build_filename (fixture->dir, "missing.txt", NULL);
  g_auto(DeskTestRun) run = { 0 };

  g_mkdir (folder, 0700);
  g_assert_true (g_file_set_contents (good, "Gempa di Cianjur\nWarga diminta tenang.\n", -1, NULL));
  g_assert_true (g_file_set_contents (empty, "", 0, NULL));
  g_assert_true (g_file_set_contents (latin1, "Judul\nCaf\xE9\n", -1, NULL));

  run = run_cli (fixture, "import", folder, missing);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_true (g_str_has_prefix (run.out, "imported 1, duplicates 0, failed 3\n"));
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
    g_auto(DeskTestRun) approve = run_cli (fixture, "set-status", "1", "approved");
    g_auto(DeskTestRun) run = run_cli (fixture, "export", "--status", "approved", "--format", "md", "--to", out);
    g_autofree char *path = NULL;
    g_autofree char *md = NULL;

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

#undef ADD

  return g_test_run ();
}
