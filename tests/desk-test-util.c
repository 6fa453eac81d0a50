/* desk-test-util.c — what several test programs need
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "desk-parser.h"

#include "desk-check.h"
#include "desk-outbox.h"
#include "desk-test-util.h"

/* Removes a test's temporary folder and all in it, even files a test made
 * unreadable; links are removed, not followed. */
void
desk_test_remove_tree (const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  while (handle != NULL && (name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *child = g_build_filename (dir, name, NULL);

      if (!g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        g_chmod (child, 0700);
      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        desk_test_remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (dir);
}

void
desk_test_run_clear (DeskTestRun *run)
{
  g_free (run->out);
  g_free (run->err);
}

/* The first column of the first row of @sql, read with a connection of
 * its own (not the store's), or -1 when there is no row. */
gint64
desk_test_sql_int (const char *db_path,
                   const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 value = -1;

  g_assert_cmpint (sqlite3_open_v2 (db_path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  /* Another process may hold the file a moment (a writer, or one killed
   * whose WAL the next opener recovers): wait for it as the store does,
   * rather than read SQLITE_BUSY as a failure. */
  sqlite3_busy_timeout (db, 30000);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return value;
}

char *
desk_test_load_fixture (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fixtures", name, NULL);
  g_autoptr(GError) error = NULL;
  char *data = NULL;

  g_file_get_contents (path, &data, NULL, &error);
  g_assert_no_error (error);
  return data;
}

gint64
desk_test_add_text (DeskStore  *store,
                    const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskParsedRelease) parsed = desk_parse_release_text (text, &error);
  gint64 id;

  g_assert_no_error (error);
  id = desk_store_add_release (store, parsed, NULL, "Test Editor", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

gint64
desk_test_add_seed (DeskStore *store)
{
  g_autofree char *seed = desk_test_load_fixture ("seaprwire-id-moskow-konfirmasi.txt");

  return desk_test_add_text (store, seed);
}

/* DESK_TEST_LETTERHEAD_RELEASE, approved as received: its letterhead
 * and credit let go with a reason, as the check allows. */
gint64
desk_test_add_letterhead_approved (DeskStore *store)
{
  g_autoptr(GError) error = NULL;
  gint64 id = desk_test_add_text (store, DESK_TEST_LETTERHEAD_RELEASE);

  g_assert_true (desk_store_set_status (store, id, DESK_STATUS_IN_REVIEW, "Ana", NULL, &error));
  g_assert_no_error (error);
  g_assert_true (desk_move_release (store, id, DESK_STATUS_APPROVED, "Ana", NULL,
                                    "The ministry's letterhead runs as sent", &error));
  g_assert_no_error (error);
  return id;
}

/* How many times @needle stands in @haystack. */
guint
desk_test_count (const char *haystack,
                 const char *needle)
{
  guint n = 0;

  for (const char *p = strstr (haystack, needle); p != NULL; p = strstr (p + strlen (needle), needle))
    n++;
  return n;
}

/* @body holds the letterhead's three lines, in order, before the lead,
 * and never the headline: what the editor saw in the review view. */
void
desk_test_assert_letterhead_body (const char *body)
{
  const char *ministry = strstr (body, "KEMENTERIAN PERHUBUNGAN");
  const char *republic = strstr (body, "REPUBLIK INDONESIA");
  const char *notice = strstr (body, "SIARAN PERS NOMOR: 87/HMS/XII/2026");
  const char *lead = strstr (body, "JAKARTA, 3 Desember 2026");

  g_assert_nonnull (ministry);
  g_assert_nonnull (republic);
  g_assert_nonnull (notice);
  g_assert_nonnull (lead);
  g_assert_true (ministry < republic && republic < notice && notice < lead);
  g_assert_null (strstr (body, DESK_TEST_LETTERHEAD_HEADLINE));
}

void
desk_test_approve (DeskStore *store,
                   gint64     id)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (desk_store_set_status (store, id, DESK_STATUS_IN_REVIEW, "Ana", NULL, &error));
  g_assert_no_error (error);
  g_assert_true (desk_store_set_status (store, id, DESK_STATUS_APPROVED, "Ana", NULL, &error));
  g_assert_no_error (error);
}

/* A plain release, approved: headline, standfirst, body paragraphs. */
gint64
desk_test_add_approved (DeskStore  *store,
                        const char *headline,
                        const char *body)
{
  g_autofree char *text = g_strdup_printf ("%s\n%s\n", headline, body);
  gint64 id = desk_test_add_text (store, text);

  desk_test_approve (store, id);
  return id;
}

/* Keeps @secret for target @target_id of @store; TRUE when it is kept for
 * this process only (COPYDESK_SECRETS=memory, or no Secret Service). */
gboolean
desk_test_set_secret (DeskStore  *store,
                      gint64      target_id,
                      const char *secret)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskTarget) target = desk_store_get_target (store, target_id, &error);
  gboolean session_only = FALSE;

  g_assert_no_error (error);
  g_assert_true (desk_store_set_target_secret (store, target, secret, &session_only, &error));
  g_assert_no_error (error);
  return session_only;
}

void
desk_test_store_fixture_set_up (DeskTestStoreFixture *fixture,
                                gconstpointer         data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("copydesk-test-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "desk.db", NULL);
  fixture->store = desk_store_open (fixture->path, &error);
  g_assert_no_error (error);
}

void
desk_test_store_fixture_tear_down (DeskTestStoreFixture *fixture,
                                   gconstpointer         data)
{
  g_clear_object (&fixture->store);
  desk_test_remove_tree (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->dir);
}
