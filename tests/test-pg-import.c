/* test-pg-import.c — copydesk-cli import on a team desk
 *
 * A real PostgreSQL 15 (pg-harness.c) and the real copydesk-cli: a folder
 * of releases in several languages, Chinese and Thai among them, and one
 * file that is not UTF-8, imported by an editor's role; each release found
 * by a search, imported again as duplicates, and read as the same
 * import reads it into a SQLite desk (headline, language, verdict, score,
 * findings, structure).  Then three importers of one folder at once,
 * held by an uncommitted row of the test's own at a file in the middle,
 * one of them killed with SIGKILL there: every release stored once and
 * whole.
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <signal.h>
#include <string.h>
#include <sqlite3.h>
#include <glib/gstdio.h>

#include "desk-db.h"
#include "desk-db-releases.h"
#include "desk-parser.h"
#include "desk-pg.h"
#include "desk-pg-search.h"
#include "desk-test-util.h"
#include "pg-cli.h"
#include "pg-harness.h"

#define N_IMPORTERS 3
#define N_GENERATED 24
#define HELD_FILE 10     /* the importers wait at this generated file */

static DeskPgHarness *server;

/* Releases in eight languages, as the desk receives them. */
static const char * const releases[][2] = {
  { "eval", "prnewswire-zh-meitongshe.txt" },
  { "eval-real", "nowire-th-kiaw-kap.txt" },
  { "fixtures", "seaprwire-id-moskow-konfirmasi.txt" },
  { "eval", "news-fr-greve.txt" },
  { "eval", "news-es-lluvias.txt" },
  { "eval", "gwanggo-ko-bohum.txt" },
  { "eval", "reklama-ru-kursy.txt" },
  { "eval-real", "neg-ar-news-rayaa.txt" },
};

static char *
query_value (DeskPg     *pg,
             const char *sql)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PGresult) result = desk_pg_query (pg, sql, 0, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpint (PQntuples (result), ==, 1);
  return g_strdup (PQgetvalue (result, 0, 0));
}

static void
make_roles (void)
{
  desk_pg_harness_sql (server, "postgres",
                       "DO $$ BEGIN"
                       " IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'ana') THEN CREATE ROLE ana LOGIN IN ROLE copydesk_editor; END IF;"
                       " IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'budi') THEN CREATE ROLE budi LOGIN IN ROLE copydesk_chief; END IF;"
                       " END $$");
}

/* A new team desk; its superuser's address. */
static char *
new_desk (const char *name)
{
  char *address = desk_pg_harness_create_database (server, name);
  g_auto(DeskTestRun) init = DESK_PG_RUN_CLI ("desk", "init", address);

  g_assert_cmpint (init.status, ==, 0);
  make_roles ();
  return address;
}

static void
write_file (const char *dir,
            const char *name,
            const char *text,
            gssize      len)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (dir, name, NULL);

  g_file_set_contents (path, text, len, &error);
  g_assert_no_error (error);
}

/* What the detector and the parser made of each release, one line per
 * release in the order of its content hash: the same SELECT on either
 * engine. */
#define READING_SQL "SELECT content_hash, headline, language, verdict, sponsored, sponsor_findings, structure," \
  " source, coalesce (wire, ''), coalesce (standfirst, ''), round (score * 1000)," \
  " (SELECT count(*) FROM release_tags t WHERE t.release_id = r.id)" \
  " FROM releases r ORDER BY content_hash"

static char *
pg_readings (DeskPg *pg)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PGresult) result = desk_pg_query (pg, READING_SQL, 0, NULL, &error);
  GString *out = g_string_new (NULL);

  g_assert_no_error (error);
  for (int r = 0; r < PQntuples (result); r++)
    {
      for (int c = 0; c < PQnfields (result); c++)
        g_string_append_printf (out, "%s|", PQgetvalue (result, r, c));
      g_string_append_c (out, '\n');
    }
  return g_string_free (out, FALSE);
}

static char *
sqlite_readings (const char *path)
{
  GString *out = g_string_new (NULL);
  sqlite3_stmt *stmt = NULL;
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, READING_SQL, -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      for (int c = 0; c < sqlite3_column_count (stmt); c++)
        {
          /* round () gives a REAL on SQLite, a whole number here. */
          if (sqlite3_column_type (stmt, c) == SQLITE_FLOAT)
            g_string_append_printf (out, "%" G_GINT64_FORMAT "|", (gint64) sqlite3_column_double (stmt, c));
          else
            g_string_append_printf (out, "%s|", (const char *) sqlite3_column_text (stmt, c));
        }
      g_string_append_c (out, '\n');
    }
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return g_string_free (out, FALSE);
}

/* Two releases of a press office in one mailbox file, and the first
 * sent again with the same Message-ID: a duplicate by the sender's id. */
#define MESSAGE(id, subject, body) \
  "From press@harbour.example Mon Mar  2 09:00:00 2026\n" \
  "From: Harbour Press Office <press@harbour.example>\n" \
  "To: desk@news.example\n" \
  "Subject: " subject "\n" \
  "Message-ID: <" id "@harbour.example>\n" \
  "Date: Mon, 2 Mar 2026 09:00:00 +0100\n" \
  "Content-Type: text/plain; charset=utf-8\n" \
  "\n" body "\n"
#define MBOX \
  MESSAGE ("ferry-1", "Harbour opens a new ferry terminal", \
           "The harbour opened a new ferry terminal on Monday, two months ahead of plan, its director said.\n") \
  MESSAGE ("crane-2", "Harbour buys two electric cranes", \
           "The harbour has bought two electric cranes that will be in use from June, its director said.\n") \
  MESSAGE ("ferry-1", "Harbour opens a new ferry terminal", \
           "The harbour opened its new ferry terminal on Monday, two months ahead of plan, its director said.\n")
#define N_MAILED 2

/* A release saved by an older Windows program. */
#define GREVE_1252 \
  "Gr\xe8ve des cheminots \xe0 Lyon\n\n" \
  "LYON \x96 Les cheminots de la r\xe9gion sont en gr\xe8ve depuis lundi matin, a annonc\xe9 leur " \
  "syndicat dans un communiqu\xe9.\n\nLe trafic reste tr\xe8s perturb\xe9 jusqu'\xe0 mercredi.\n"

static void
test_import_a_folder_of_several_languages (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp (NULL, &error);
  g_autofree char *folder = g_build_filename (dir, "releases", NULL);
  g_autofree char *broken = g_build_filename (folder, "broken.txt", NULL);
  g_autofree char *sqlite_path = g_build_filename (dir, "desk.db", NULL);
  g_autofree char *admin_address = new_desk ("import_languages");
  g_autofree char *editor = desk_pg_harness_address (server, "import_languages", "ana");
  g_autofree char *chief = desk_pg_harness_address (server, "import_languages", "budi");
  g_autofree char *summary = NULL;
  g_autofree char *failed_line = NULL;
  g_autofree char *converted_line = NULL;
  g_autoptr(DeskPg) admin = desk_pg_new (admin_address);
  const guint n = G_N_ELEMENTS (releases) + N_MAILED + 1;

  g_assert_no_error (error);
  g_assert_cmpint (g_mkdir (folder, 0700), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (releases); i++)
    {
      g_autofree char *source = g_test_build_filename (G_TEST_DIST, releases[i][0], releases[i][1], NULL);
      g_autofree char *text = NULL;
      gsize len = 0;

      g_file_get_contents (source, &text, &len, &error);
      g_assert_no_error (error);
      write_file (folder, releases[i][1], text, (gssize) len);
    }
  /* Bytes that are neither UTF-8 nor Windows-1252. */
  write_file (folder, "broken.txt", "Headline\n\n\x81\x8d is not text\n", -1);
  write_file (folder, "greve-1252.txt", GREVE_1252, -1);
  write_file (folder, "office.mbox", MBOX, -1);
  g_assert_true (desk_pg_connect (admin, &error));
  g_assert_no_error (error);

  /* --editor names nobody on a team desk, and nothing is imported. */
  {
    g_auto(DeskTestRun) named = DESK_PG_RUN_CLI ("import", "--database", editor, "--editor", "someone", folder);

    g_assert_cmpint (named.status, ==, 2);
    g_assert_nonnull (strstr (named.err, "--editor is not taken"));
    g_assert_cmpint (desk_pg_query_int (admin, "SELECT count(*) FROM releases"), ==, 0);
  }

  /* An editor imports: every good file goes in, the bad one is named
   * with its problem. */
  summary = g_strdup_printf ("imported %u, duplicates 1, failed 1\n", n);
  failed_line = g_strdup_printf ("failed: %s: line 3 is not valid UTF-8", broken);
  {
    g_auto(DeskTestRun) import = DESK_PG_RUN_CLI ("import", "--database", editor, folder);

    g_assert_cmpint (import.status, ==, 1);
    g_assert_true (g_str_has_prefix (import.out, summary));
    g_assert_nonnull (strstr (import.out, failed_line));
    converted_line = g_strdup_printf ("converted: %s/greve-1252.txt: read as Windows-1252\n", folder);
    g_assert_nonnull (strstr (import.out, converted_line));
    g_assert_cmpint (desk_pg_query_int (admin, "SELECT count(*) FROM releases"), ==, n);
    /* Eight languages, and the mailed releases' English. */
    g_assert_cmpint (desk_pg_query_int (admin, "SELECT count(DISTINCT language) FROM releases"), ==, G_N_ELEMENTS (releases) + 1);
    g_assert_cmpint (desk_pg_query_int (admin, "SELECT count(*) FROM releases WHERE source_uid IS NOT NULL"
                                       " AND source_path LIKE '/%office.mbox'"), ==, N_MAILED);
    /* Each release with its event, by the role that logged in, and its
     * search document. */
    g_assert_cmpint (desk_pg_query_int (admin, "SELECT count(*) FROM events WHERE action = 'imported' AND actor = 'ana'"
                                       " AND to_status = 'new'"), ==, n);
    g_assert_cmpint (desk_pg_query_int (admin, "SELECT count(*) FROM releases WHERE search = ''::tsvector"
                                       " OR status <> 'new' OR source_kind <> 'file'"), ==, 0);
    g_assert_cmpint (desk_pg_query_int (admin, "SELECT count(*) FROM releases WHERE source_path LIKE '/%broken.txt'"), ==, 0);
  }

  /* A search finds the Chinese and the Thai release by one of their
   * words, on the desk and through the CLI. */
  {
    g_autoptr(GArray) chinese = desk_pg_search_ids (admin, "超声", 0, &error);
    g_autoptr(GArray) thai = NULL;
    g_autofree char *chinese_id = query_value (admin, "SELECT id FROM releases WHERE language LIKE 'zh%'");
    g_autofree char *thai_id = query_value (admin, "SELECT id FROM releases WHERE language = 'th'");
    g_auto(DeskTestRun) listed = DESK_PG_RUN_CLI ("list", "--database", editor, "--search", "ชลบุรี");

    g_assert_no_error (error);
    g_assert_cmpuint (chinese->len, ==, 1);
    g_assert_cmpint (g_array_index (chinese, gint64, 0), ==, g_ascii_strtoll (chinese_id, NULL, 10));
    thai = desk_pg_search_ids (admin, "ชลบุรี", 0, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (thai->len, ==, 1);
    g_assert_cmpint (g_array_index (thai, gint64, 0), ==, g_ascii_strtoll (thai_id, NULL, 10));
    g_assert_cmpint (listed.status, ==, 0);
    g_assert_nonnull (strstr (listed.out, "สยามฟู้ดส์"));
    /* One line: the Thai release alone. */
    g_assert_true (strchr (listed.out, '\n') == strrchr (listed.out, '\n'));
  }

  /* Again, by a chief: duplicates, each naming the release it repeats. */
  {
    g_autofree char *again_summary = g_strdup_printf ("imported 0, duplicates %u, failed 1\n", n + 1);
    g_autofree char *chinese_id = query_value (admin, "SELECT id FROM releases WHERE language LIKE 'zh%'");
    g_autofree char *chinese_line = g_strdup_printf ("duplicate: %s/%s: already in the queue as #%s\n",
                                                     folder, releases[0][1], chinese_id);
    g_auto(DeskTestRun) again = DESK_PG_RUN_CLI ("import", "--database", chief, folder);

    g_assert_cmpint (again.status, ==, 1);
    g_assert_true (g_str_has_prefix (again.out, again_summary));
    g_assert_nonnull (strstr (again.out, chinese_line));
    g_assert_nonnull (strstr (again.out, failed_line));
    g_assert_cmpint (desk_pg_query_int (admin, "SELECT count(*) FROM releases"), ==, n);
    g_assert_cmpint (desk_pg_query_int (admin, "SELECT count(*) FROM events"), ==, n);
  }

  /* The SQLite desk's import of the same folder reads each release the
   * same: verdict, score, findings, structure, language, headline. */
  {
    g_auto(DeskTestRun) lite = DESK_PG_RUN_CLI ("import", "--database", sqlite_path, folder);
    g_autofree char *on_pg = pg_readings (admin);
    g_autofree char *on_sqlite = NULL;

    g_assert_cmpint (lite.status, ==, 1);
    g_assert_true (g_str_has_prefix (lite.out, summary));
    on_sqlite = sqlite_readings (sqlite_path);
    g_assert_cmpstr (on_pg, ==, on_sqlite);
    /* Findings were found, and a sponsored verdict among them. */
    g_assert_cmpint (desk_pg_query_int (admin, "SELECT count(*) FROM releases WHERE sponsor_findings <> ''"), >, 0);
    g_assert_cmpint (desk_pg_query_int (admin, "SELECT count(*) FROM releases WHERE verdict <> 'none'"), >, 0);
  }

  desk_test_remove_tree (dir);
}

static char *
generated_release (guint i)
{
  return g_strdup_printf ("Harbour authority opens berth number %u\n\n"
                          "The harbour authority opened berth number %u on Monday, %u days ahead of "
                          "its plan, its director said.\n\n"
                          "Ships of up to %u metres may now use it.\n",
                          i + 1, i + 1, i + 3, 100 + i);
}

/* How many of the desk's server processes for role ana wait for a lock. */
static gint64
importers_waiting (DeskPg *pg)
{
  return desk_pg_query_int (pg, "SELECT count(*) FROM pg_stat_activity WHERE usename = 'ana' AND wait_event_type = 'Lock'");
}

static void
test_three_importers_one_killed_store_each_release_once (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp (NULL, &error);
  g_autofree char *admin_address = new_desk ("import_race");
  g_autofree char *editor = desk_pg_harness_address (server, "import_race", "ana");
  g_autoptr(DeskPg) admin = desk_pg_new (admin_address);
  g_autoptr(DeskPg) holder = desk_pg_new (admin_address);
  g_autoptr(DeskParsedRelease) held = NULL;
  DeskPgCli importers[N_IMPORTERS];
  guint imported = 0;

  g_assert_no_error (error);
  for (guint i = 0; i < N_GENERATED; i++)
    {
      g_autofree char *name = g_strdup_printf ("release-%02u.txt", i);
      g_autofree char *text = generated_release (i);

      write_file (dir, name, text, -1);
      if (i == HELD_FILE)
        {
          held = desk_parse_release (text, strlen (text), name, &error);
          g_assert_no_error (error);
        }
    }
  g_assert_true (desk_pg_connect (admin, &error));
  g_assert_true (desk_pg_connect (holder, &error));
  g_assert_no_error (error);

  /* A row with the held file's content, written and not committed: an
   * importer that reaches that file waits to learn whether it stays. */
  {
    const char *params[] = { held->content_hash };
    g_autoptr(PGresult) begun = desk_pg_query (holder, "BEGIN", 0, NULL, &error);
    g_autoptr(PGresult) row = NULL;

    g_assert_no_error (error);
    row = desk_pg_query (holder, "INSERT INTO releases (received_at, content_hash, original, original_headline,"
                                 " headline, updated_at) VALUES (0, $1, 'held', 'held', 'held', 0)",
                         1, params, &error);
    g_assert_no_error (error);
  }

  for (guint i = 0; i < N_IMPORTERS; i++)
    desk_pg_cli_start (&importers[i], "import", "--database", editor, dir, NULL);
  /* All three at the held file, each in the transaction of that file,
   * with every file before it stored. */
  while (importers_waiting (admin) < N_IMPORTERS)
    {
      for (guint i = 0; i < N_IMPORTERS; i++)
        g_assert_false (importers[i].done);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (G_USEC_PER_SEC / 50);
    }
  g_assert_cmpint (desk_pg_query_int (admin, "SELECT count(*) FROM releases"), ==, HELD_FILE);

  g_subprocess_force_exit (importers[0].process);
  {
    g_auto(DeskTestRun) killed = desk_pg_cli_finish (&importers[0]);

    g_assert_cmpint (killed.status, ==, -1);
  }
  /* The held row goes: the file is the importers' again. */
  {
    g_autoptr(PGresult) rolled_back = desk_pg_query (holder, "ROLLBACK", 0, NULL, &error);

    g_assert_no_error (error);
  }
  for (guint i = 1; i < N_IMPORTERS; i++)
    {
      g_auto(DeskTestRun) run = desk_pg_cli_finish (&importers[i]);
      guint n_imported = 0, n_duplicates = 0, n_failed = 1;

      g_assert_cmpint (run.status, ==, 0);
      g_assert_cmpint (sscanf (run.out, "imported %u, duplicates %u, failed %u",
                               &n_imported, &n_duplicates, &n_failed), ==, 3);
      g_assert_cmpuint (n_failed, ==, 0);
      g_assert_cmpuint (n_imported + n_duplicates, ==, N_GENERATED);
      imported += n_imported;
    }

  /* Every release once, and whole: its event, its search document. */
  g_assert_cmpint (desk_pg_query_int (admin, "SELECT count(*) FROM releases"), ==, N_GENERATED);
  g_assert_cmpint (desk_pg_query_int (admin, "SELECT count(DISTINCT content_hash) FROM releases"), ==, N_GENERATED);
  g_assert_cmpint (desk_pg_query_int (admin, "SELECT count(*) FROM releases WHERE headline = 'held'"), ==, 0);
  g_assert_cmpint (desk_pg_query_int (admin, "SELECT count(*) FROM releases r WHERE"
                                     " (SELECT count(*) FROM events e WHERE e.release_id = r.id"
                                     "  AND e.action = 'imported') <> 1 OR r.search = ''::tsvector"), ==, 0);
  g_assert_cmpint (desk_pg_query_int (admin, "SELECT count(*) FROM events"), ==, N_GENERATED);
  /* The two that lived stored the held file and every one after it. */
  g_assert_cmpuint (imported, >=, N_GENERATED - HELD_FILE);
  g_assert_cmpuint (imported, <=, N_GENERATED);
  {
    g_autoptr(GArray) found = desk_pg_search_ids (admin, "berth", 0, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (found->len, ==, N_GENERATED);
  }
  desk_test_remove_tree (dir);
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  server = desk_pg_harness_start ();
  g_test_add_func ("/pg-import/folder-of-several-languages", test_import_a_folder_of_several_languages);
  g_test_add_func ("/pg-import/three-importers-one-killed", test_three_importers_one_killed_store_each_release_once);
  status = g_test_run ();
  desk_pg_harness_stop (server);
  return status;
}
