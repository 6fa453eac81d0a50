/* test-store.c — the SQLite store: schema, revisions, workflow, dedup, search
 *
 * Every test works on a real SQLite file in a temporary folder.
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "desk-test-util.h"
#include "desk-error.h"
#include "desk-release-list.h"
#include "desk-store.h"

typedef DeskTestStoreFixture Fixture;

/* ---- schema -------------------------------------------------------------- */

static void
test_new_database_has_the_latest_schema_in_wal_mode (Fixture       *fixture,
                                                     gconstpointer  data)
{
  g_assert_cmpint (desk_store_get_schema_version (fixture->store), ==, DESK_STORE_SCHEMA_VERSION);
  g_assert_cmpint (desk_test_sql_int (fixture->path, "PRAGMA user_version"), ==, DESK_STORE_SCHEMA_VERSION);
  g_assert_cmpint (desk_test_sql_int (fixture->path, "SELECT count(*) FROM sqlite_master WHERE name = 'releases_fts'"), ==, 1);
  g_assert_cmpint (desk_test_sql_int (fixture->path, "SELECT count(*) FROM sqlite_master WHERE name IN"
                                           " ('releases', 'revisions', 'events', 'release_tags',"
                                           "  'releases_sponsored_queue')"), ==, 5);
  /* Schema 4 keeps findings in a column of releases. */
  g_assert_cmpint (desk_test_sql_int (fixture->path, "SELECT count(*) FROM sqlite_master WHERE name = 'findings'"), ==, 0);
  {
    sqlite3 *db = NULL;
    sqlite3_stmt *stmt = NULL;

    sqlite3_open (fixture->path, &db);
    sqlite3_prepare_v2 (db, "PRAGMA journal_mode", -1, &stmt, NULL);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "wal");
    sqlite3_finalize (stmt);
    sqlite3_close (db);
  }
}

static void
test_foreign_keys_are_enforced (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  /* A revision of a release that does not exist is refused by SQLite. */
  g_assert_false (desk_store_save_revision (fixture->store, 4242, NULL, "text", "Ed", NULL, &error));
  g_assert_error (error, DESK_ERROR, DESK_ERROR_NOT_FOUND);
}

/* Loads tests/fixtures/schema-1.sql: a database as the first schema wrote
 * it, with two releases, a revision and events. */
static void
write_schema_1_database (const char *path)
{
  g_autofree char *sql = desk_test_load_fixture ("schema-1.sql");
  sqlite3 *db = NULL;
  char *message = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  sqlite3_exec (db, sql, NULL, NULL, &message);
  g_assert_null (message);
  sqlite3_close (db);
  g_assert_cmpint (desk_test_sql_int (path, "PRAGMA user_version"), ==, 1);
}

static void
test_schema_1_database_opens_with_the_latest_code (Fixture       *fixture,
                                                   gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "old.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskStore) store = NULL;
  g_autoptr(DeskRelease) seed = NULL;
  g_autoptr(GPtrArray) revisions = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GPtrArray) found = NULL;
  DeskQuery query = DESK_QUERY_INIT;
  gboolean has_disclaimer = FALSE;
  GArray *parts;

  write_schema_1_database (path);

  store = desk_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (desk_store_get_schema_version (store), ==, DESK_STORE_SCHEMA_VERSION);

  /* The rows are all there, unchanged. */
  g_assert_cmpint (desk_store_count_releases (store, NULL, NULL), ==, 2);
  seed = desk_store_get_release (store, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (desk_release_get_headline (seed), ==, "Moskow konfirmasi pembicaraan baru Rusia-AS (disunting)");
  g_assert_cmpint (desk_release_get_status (seed), ==, DESK_STATUS_IN_REVIEW);
  g_assert_true (g_str_has_prefix (desk_release_get_edited (seed), "Putaran berikutnya"));
  revisions = desk_store_list_revisions (store, 1, &error);
  g_assert_cmpuint (revisions->len, ==, 1);
  events = desk_store_list_events (store, 1, &error);
  g_assert_cmpuint (events->len, ==, 2);

  /* Schema 2 read the structure of the releases already stored. */
  g_assert_cmpstr (desk_release_get_wire (seed), ==, "SeaPRwire");
  g_assert_cmpstr (desk_release_get_tags (seed)[0], ==, "Top Story");
  parts = desk_release_get_parts (seed);
  for (guint i = 0; i < parts->len; i++)
    has_disclaimer |= g_array_index (parts, DeskPart, i).kind == DESK_PART_DISCLAIMER;
  g_assert_true (has_disclaimer);

  /* Schema 3 indexed them: old words, edited words and Chinese are found. */
  query.search = "Istanbul";
  found = desk_store_list_releases (store, &query, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 1);
  g_clear_pointer (&found, g_ptr_array_unref);

  query.search = "disunting";
  found = desk_store_list_releases (store, &query, &error);
  g_assert_cmpuint (found->len, ==, 1);
  g_clear_pointer (&found, g_ptr_array_unref);

  query.search = "新能源";
  found = desk_store_list_releases (store, &query, &error);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_cmpint (desk_release_get_id (g_ptr_array_index (found, 0)), ==, 2);

  /* Schema 4 read them for sponsored content: the seed is third-party. */
  g_clear_object (&seed);
  seed = desk_store_get_release (store, 1, &error);
  g_assert_cmpint (desk_release_get_verdict (seed), ==, DESK_VERDICT_THIRD_PARTY);
  g_assert_true (desk_release_get_sponsored (seed));
  {
    g_autoptr(DeskRelease) byd = desk_store_get_release (store, 2, &error);
    g_autoptr(GPtrArray) findings = desk_store_list_findings (store, 1, &error);

    g_assert_cmpint (desk_release_get_verdict (byd), ==, DESK_VERDICT_NONE);
    g_assert_cmpuint (findings->len, ==, 4);
    g_assert_cmpint (desk_store_count_stale (store, &error), ==, 0);
  }

  /* And it takes new work. */
  g_assert_true (desk_store_set_status (store, 1, DESK_STATUS_APPROVED, "Ed", NULL, &error));
  g_assert_no_error (error);
}

static void
test_database_from_a_newer_copydesk_is_refused_untouched (Fixture       *fixture,
                                                          gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "future.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskStore) store = NULL;
  sqlite3 *db = NULL;

  sqlite3_open (path, &db);
  sqlite3_exec (db, "CREATE TABLE x (y); PRAGMA user_version = 99;", NULL, NULL, NULL);
  sqlite3_close (db);

  store = desk_store_open (path, &error);
  g_assert_null (store);
  g_assert_error (error, DESK_ERROR, DESK_ERROR_SCHEMA_TOO_NEW);
  g_assert_nonnull (strstr (error->message, path));
  g_assert_cmpint (desk_test_sql_int (path, "PRAGMA user_version"), ==, 99);
  g_assert_cmpint (desk_test_sql_int (path, "SELECT count(*) FROM sqlite_master WHERE name = 'releases'"), ==, 0);
}

/* Schema 5 adds the outbox and the targets, with the local folder. */
static void
test_schema_4_database_gains_the_outbox_and_the_local_target (Fixture       *fixture,
                                                              gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "v4.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskStore) old = desk_store_open_at_version (path, 4, &error);
  g_autoptr(DeskStore) store = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (desk_test_sql_int (path, "SELECT count(*) FROM sqlite_master WHERE name = 'outbox'"), ==, 0);
  g_clear_object (&old);

  store = desk_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (desk_store_get_schema_version (store), ==, DESK_STORE_SCHEMA_VERSION);
  g_assert_cmpint (desk_test_sql_int (path, "SELECT count(*) FROM outbox"), ==, 0);
  g_assert_cmpint (desk_test_sql_int (path, "SELECT count(*) FROM targets WHERE kind = 'local-folder' AND name = 'local'"), ==, 1);
}

/* A mistyped team desk's address ("postgressql://", "postgresql:/") is
 * refused with what an address looks like, and makes no folder or file:
 * before, it became a new, empty desk under ./postgressql:/ and an import
 * went there. */
static void
test_mistyped_address_is_refused (void)
{
  static const char * const addresses[] = {
    "postgressql://boss:Sekr3t@127.0.0.1:55432/desk",
    "postgresql:/boss@127.0.0.1/desk",
    "https://desk.example/desk",
  };
  g_autofree char *dir = g_dir_make_tmp ("copydesk-test-address-XXXXXX", NULL);
  g_autofree char *cwd = g_get_current_dir ();

  g_assert_cmpint (g_chdir (dir), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (addresses); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(DeskStore) store = desk_store_open (addresses[i], &error);
      g_autoptr(GDir) listing = g_dir_open (".", 0, NULL);

      g_assert_null (store);
      g_assert_error (error, DESK_ERROR, DESK_ERROR_UNSUPPORTED_TYPE);
      g_assert_nonnull (strstr (error->message, "begins with postgresql://"));
      g_assert_null (strstr (error->message, "Sekr3t"));
      g_assert_null (g_dir_read_name (listing));
    }
  /* A path with a colon in it is still a path. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(DeskStore) store = desk_store_open ("desk: 2026.db", &error);

    g_assert_no_error (error);
    g_assert_nonnull (store);
  }
  g_assert_cmpint (g_chdir (cwd), ==, 0);
  desk_test_remove_tree (dir);
}

static void
test_default_path_follows_copydesk_db (void)
{
  g_autofree char *saved = g_strdup (g_getenv ("COPYDESK_DB"));
  g_autofree char *from_env = NULL;
  g_autofree char *fallback = NULL;

  g_setenv ("COPYDESK_DB", "/tmp/elsewhere.db", TRUE);
  from_env = desk_store_dup_default_path ();
  g_assert_cmpstr (from_env, ==, "/tmp/elsewhere.db");

  g_unsetenv ("COPYDESK_DB");
  fallback = desk_store_dup_default_path ();
  g_assert_true (g_str_has_prefix (fallback, g_get_user_data_dir ()));
  g_assert_true (g_str_has_suffix (fallback, "/copydesk/copydesk.db"));

  if (saved != NULL)
    g_setenv ("COPYDESK_DB", saved, TRUE);
}

/* ---- releases and dedup -------------------------------------------------- */

static void
test_release_is_stored_with_its_structure (Fixture       *fixture,
                                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 id = desk_test_add_seed (fixture->store);
  g_autoptr(DeskRelease) release = desk_store_get_release (fixture->store, id, &error);
  g_autoptr(GPtrArray) events = desk_store_list_events (fixture->store, id, &error);
  const DeskEvent *imported;

  g_assert_no_error (error);
  g_assert_cmpstr (desk_release_get_headline (release), ==, "Moskow konfirmasi pembicaraan baru Rusia-AS");
  g_assert_cmpstr (desk_release_get_source (release), ==, "SeaPRwire");
  g_assert_cmpstr (desk_release_get_language (release), ==, "id");
  g_assert_cmpint (desk_release_get_status (release), ==, DESK_STATUS_NEW);
  g_assert_null (desk_release_get_edited (release));
  g_assert_cmpstr (desk_release_get_current_text (release), ==, desk_release_get_original (release));
  g_assert_cmpuint (desk_release_get_parts (release)->len, ==, 16);
  g_assert_cmpuint (g_strv_length ((char **) desk_release_get_tags (release)), ==, 2);
  g_assert_cmpint (desk_release_get_received_at (release), >, 0);

  g_assert_cmpuint (events->len, ==, 1);
  imported = g_ptr_array_index (events, 0);
  g_assert_cmpstr (imported->action, ==, "imported");
  g_assert_cmpstr (imported->actor, ==, "Test Editor");
  g_assert_cmpstr (imported->to_status, ==, "new");
}

/* The approval time is that of the last move to approved in the audit
 * trail, and 0 for copy never approved. */
static void
test_approval_time_is_the_last_move_to_approved (Fixture       *fixture,
                                                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 id = desk_test_add_seed (fixture->store);
  g_autoptr(GPtrArray) events = NULL;
  gint64 last = 0;

  g_assert_cmpint (desk_store_get_approved_at (fixture->store, id, &error), ==, 0);
  g_assert_no_error (error);

  desk_test_approve (fixture->store, id);
  g_assert_true (desk_store_set_status (fixture->store, id, DESK_STATUS_IN_REVIEW, "Ana", NULL, &error));
  g_assert_true (desk_store_set_status (fixture->store, id, DESK_STATUS_APPROVED, "Ana", NULL, &error));
  g_assert_no_error (error);

  events = desk_store_list_events (fixture->store, id, &error);
  for (guint i = 0; i < events->len; i++)
    {
      const DeskEvent *event = g_ptr_array_index (events, i);

      if (g_strcmp0 (event->to_status, "approved") == 0)
        last = event->created_at;
    }
  g_assert_cmpint (last, >, 0);
  g_assert_cmpint (desk_store_get_approved_at (fixture->store, id, &error), ==, last);
  g_assert_no_error (error);
}

static void
test_same_release_twice_is_one_row (Fixture       *fixture,
                                    gconstpointer  data)
{
  g_autofree char *seed = desk_test_load_fixture ("seaprwire-id-moskow-konfirmasi.txt");
  g_autofree char *rewrapped = g_strdelimit (g_strdup (seed), "\n", ' ');
  g_autoptr(GError) error = NULL;
  gint64 first = desk_test_add_text (fixture->store, seed);
  g_autoptr(DeskParsedRelease) again = desk_parse_release_text (rewrapped, NULL);
  gint64 existing = 0;

  /* The same words, wrapped differently: the same release. */
  g_assert_cmpint (desk_store_add_release (fixture->store, again, NULL, "Ed", &existing, &error), ==, 0);
  g_assert_error (error, DESK_ERROR, DESK_ERROR_DUPLICATE);
  g_assert_cmpint (existing, ==, first);
  {
    g_autofree char *expected = g_strdup_printf ("already in the queue as #%" G_GINT64_FORMAT, first);
    g_assert_cmpstr (error->message, ==, expected);
  }
  g_assert_cmpint (desk_store_count_releases (fixture->store, NULL, NULL), ==, 1);
}

static void
test_same_source_uid_is_one_row (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskParsedRelease) first = desk_parse_release_text ("Harga beras naik\nBeras naik 5 persen.", NULL);
  g_autoptr(DeskParsedRelease) update = desk_parse_release_text ("Harga beras naik lagi\nBeras naik 7 persen.", NULL);
  DeskSource source = { "Antara", "urn:antara:2025:123", NULL, 0 };
  gint64 existing = 0;
  gint64 id;

  id = desk_store_add_release (fixture->store, first, &source, "Ed", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (desk_store_add_release (fixture->store, update, &source, "Ed", &existing, &error), ==, 0);
  g_assert_error (error, DESK_ERROR, DESK_ERROR_DUPLICATE);
  g_assert_cmpint (existing, ==, id);
}

/* ---- revisions ----------------------------------------------------------- */

static void
test_revision_is_saved_only_when_the_text_changed (Fixture       *fixture,
                                                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 id = desk_test_add_seed (fixture->store);
  g_autoptr(DeskRelease) before = desk_store_get_release (fixture->store, id, NULL);
  g_autofree char *edited = g_strconcat (desk_release_get_original (before), "\nTambahan.", NULL);
  g_autoptr(DeskRelease) after = NULL;
  g_autoptr(GPtrArray) revisions = NULL;
  gint64 revision_id = -1;

  /* Saving the text as it is makes no revision. */
  g_assert_true (desk_store_save_revision (fixture->store, id, NULL, desk_release_get_original (before),
                                           "Ed", &revision_id, &error));
  g_assert_no_error (error);
  g_assert_cmpint (revision_id, ==, 0);

  g_assert_true (desk_store_save_revision (fixture->store, id, NULL, edited, "Ed", &revision_id, &error));
  g_assert_cmpint (revision_id, >, 0);
  /* The same text again: still one revision. */
  g_assert_true (desk_store_save_revision (fixture->store, id, NULL, edited, "Ed", &revision_id, &error));
  g_assert_cmpint (revision_id, ==, 0);
  /* A new headline alone is a change. */
  g_assert_true (desk_store_save_revision (fixture->store, id, "Moskow dan Washington bertemu lagi", edited,
                                           "Ana", &revision_id, &error));
  g_assert_cmpint (revision_id, >, 0);

  revisions = desk_store_list_revisions (fixture->store, id, &error);
  g_assert_cmpuint (revisions->len, ==, 2);
  g_assert_cmpuint (((DeskRevision *) revisions->pdata[0])->number, ==, 1);
  g_assert_cmpuint (((DeskRevision *) revisions->pdata[1])->number, ==, 2);
  g_assert_cmpstr (((DeskRevision *) revisions->pdata[1])->author, ==, "Ana");
  {
    g_autofree char *sha256 = g_compute_checksum_for_string (G_CHECKSUM_SHA256, edited, -1);
    g_assert_cmpstr (((DeskRevision *) revisions->pdata[1])->sha256, ==, sha256);
  }

  /* The original is never modified. */
  after = desk_store_get_release (fixture->store, id, NULL);
  g_assert_cmpstr (desk_release_get_original (after), ==, desk_release_get_original (before));
  g_assert_cmpstr (desk_release_get_original_headline (after), ==, "Moskow konfirmasi pembicaraan baru Rusia-AS");
  g_assert_cmpstr (desk_release_get_headline (after), ==, "Moskow dan Washington bertemu lagi");
  g_assert_cmpstr (desk_release_get_edited (after), ==, edited);
  g_assert_cmpint (desk_release_get_current_revision_id (after), ==, revision_id);
}

static void
test_invalid_utf8_edit_is_refused (Fixture       *fixture,
                                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 id = desk_test_add_seed (fixture->store);

  g_assert_false (desk_store_save_revision (fixture->store, id, NULL, "Caf\xE9", "Ed", NULL, &error));
  g_assert_error (error, DESK_ERROR, DESK_ERROR_INVALID_INPUT);
  {
    g_autoptr(GPtrArray) revisions = desk_store_list_revisions (fixture->store, id, NULL);
    g_assert_cmpuint (revisions->len, ==, 0);
  }
}

/* ---- workflow ------------------------------------------------------------ */

static void
test_every_move_writes_an_event_with_actor_and_note (Fixture       *fixture,
                                                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 id = desk_test_add_seed (fixture->store);
  g_autoptr(GPtrArray) events = NULL;
  const DeskEvent *event;

  g_assert_true (desk_store_set_status (fixture->store, id, DESK_STATUS_IN_REVIEW, "Ana", NULL, &error));
  g_assert_true (desk_store_set_status (fixture->store, id, DESK_STATUS_CHANGES_REQUESTED, "Budi",
                                        "Cek kutipan RIA Novosti", &error));
  g_assert_no_error (error);

  events = desk_store_list_events (fixture->store, id, &error);
  g_assert_cmpuint (events->len, ==, 3);
  event = g_ptr_array_index (events, 2);
  g_assert_cmpstr (event->actor, ==, "Budi");
  g_assert_cmpstr (event->action, ==, "status");
  g_assert_cmpstr (event->from_status, ==, "in_review");
  g_assert_cmpstr (event->to_status, ==, "changes_requested");
  g_assert_cmpstr (event->note, ==, "Cek kutipan RIA Novosti");
  g_assert_cmpint (event->created_at, >, 0);
  g_assert_null (((DeskEvent *) g_ptr_array_index (events, 1))->note);
}

static void
test_illegal_move_is_refused_and_changes_nothing (Fixture       *fixture,
                                                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 id = desk_test_add_seed (fixture->store);
  g_autoptr(DeskRelease) release = NULL;
  g_autoptr(GPtrArray) events = NULL;

  g_assert_false (desk_store_set_status (fixture->store, id, DESK_STATUS_PUBLISHED, "Ana", NULL, &error));
  g_assert_error (error, DESK_ERROR, DESK_ERROR_ILLEGAL_TRANSITION);
  g_assert_nonnull (strstr (error->message, "new"));
  g_assert_nonnull (strstr (error->message, "published"));

  release = desk_store_get_release (fixture->store, id, NULL);
  g_assert_cmpint (desk_release_get_status (release), ==, DESK_STATUS_NEW);
  events = desk_store_list_events (fixture->store, id, NULL);
  g_assert_cmpuint (events->len, ==, 1);
}

static void
test_every_allowed_move_works_through_the_store (Fixture       *fixture,
                                                 gconstpointer  data)
{
  /* A path through the workflow that takes every allowed move once. */
  static const DeskStatus path[] = {
    DESK_STATUS_REJECTED, DESK_STATUS_IN_REVIEW, DESK_STATUS_CHANGES_REQUESTED,
    DESK_STATUS_REJECTED, DESK_STATUS_IN_REVIEW, DESK_STATUS_CHANGES_REQUESTED,
    DESK_STATUS_IN_REVIEW, DESK_STATUS_REJECTED, DESK_STATUS_IN_REVIEW,
    DESK_STATUS_APPROVED, DESK_STATUS_IN_REVIEW, DESK_STATUS_APPROVED,
    DESK_STATUS_PUBLISHED, DESK_STATUS_CORRECTED, DESK_STATUS_APPROVED,
    DESK_STATUS_PUBLISHED, DESK_STATUS_WITHDRAWN,
  };
  gboolean taken[DESK_N_STATUSES][DESK_N_STATUSES] = { { FALSE } };
  gint64 id = desk_test_add_seed (fixture->store);
  gint64 other = desk_test_add_text (fixture->store, "Kabar lain\nIsi kabar lain.");
  DeskStatus from = DESK_STATUS_NEW;
  guint n_allowed = 0;
  guint n_taken = 0;

  for (gsize i = 0; i < G_N_ELEMENTS (path); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_true (desk_store_set_status (fixture->store, id, path[i], "Ed", NULL, &error));
      g_assert_no_error (error);
      taken[from][path[i]] = TRUE;
      from = path[i];
    }

  /* new → in_review, and corrected → withdrawn, on a second release. */
  g_assert_true (desk_store_set_status (fixture->store, other, DESK_STATUS_IN_REVIEW, "Ed", NULL, NULL));
  taken[DESK_STATUS_NEW][DESK_STATUS_IN_REVIEW] = TRUE;
  g_assert_true (desk_store_set_status (fixture->store, other, DESK_STATUS_APPROVED, "Ed", NULL, NULL));
  g_assert_true (desk_store_set_status (fixture->store, other, DESK_STATUS_PUBLISHED, "Ed", NULL, NULL));
  g_assert_true (desk_store_set_status (fixture->store, other, DESK_STATUS_CORRECTED, "Ed", NULL, NULL));
  g_assert_true (desk_store_set_status (fixture->store, other, DESK_STATUS_WITHDRAWN, "Ed", NULL, NULL));
  taken[DESK_STATUS_CORRECTED][DESK_STATUS_WITHDRAWN] = TRUE;

  for (guint a = 0; a < DESK_N_STATUSES; a++)
    for (guint b = 0; b < DESK_N_STATUSES; b++)
      {
        n_allowed += desk_workflow_can_move (a, b);
        n_taken += taken[a][b];
        if (taken[a][b])
          g_assert_true (desk_workflow_can_move (a, b));
      }
  g_assert_cmpuint (n_taken, ==, n_allowed);

  /* Withdrawn is the end: nothing moves on from it. */
  for (guint to = 0; to < DESK_N_STATUSES; to++)
    g_assert_false (desk_store_set_status (fixture->store, id, to, "Ed", NULL, NULL));
}

static void
test_approval_names_the_exact_revision (Fixture       *fixture,
                                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 id = desk_test_add_seed (fixture->store);
  g_autoptr(DeskRelease) release = NULL;
  g_autoptr(DeskRevision) approved = NULL;
  gint64 revision_id = 0;

  g_assert_true (desk_store_set_status (fixture->store, id, DESK_STATUS_IN_REVIEW, "Ana", NULL, &error));
  g_assert_true (desk_store_save_revision (fixture->store, id, NULL, "Teks yang disunting.", "Ana", &revision_id, &error));
  g_assert_true (desk_store_set_status (fixture->store, id, DESK_STATUS_APPROVED, "Budi", "Siap tayang", &error));
  g_assert_no_error (error);

  release = desk_store_get_release (fixture->store, id, NULL);
  g_assert_cmpint (desk_release_get_approved_revision_id (release), ==, revision_id);
  {
    g_autofree char *sha256 = g_compute_checksum_for_string (G_CHECKSUM_SHA256, "Teks yang disunting.", -1);
    g_assert_cmpstr (desk_release_get_approved_sha256 (release), ==, sha256);
  }
  approved = desk_store_get_revision (fixture->store, revision_id, NULL);
  g_assert_cmpstr (approved->text, ==, "Teks yang disunting.");
}

static void
test_approving_unedited_copy_makes_its_first_revision (Fixture       *fixture,
                                                       gconstpointer  data)
{
  gint64 id = desk_test_add_seed (fixture->store);
  g_autoptr(DeskRelease) release = NULL;
  g_autoptr(GPtrArray) revisions = NULL;

  g_assert_true (desk_store_set_status (fixture->store, id, DESK_STATUS_IN_REVIEW, "Ana", NULL, NULL));
  g_assert_true (desk_store_set_status (fixture->store, id, DESK_STATUS_APPROVED, "Ana", NULL, NULL));

  release = desk_store_get_release (fixture->store, id, NULL);
  revisions = desk_store_list_revisions (fixture->store, id, NULL);
  g_assert_cmpuint (revisions->len, ==, 1);
  g_assert_cmpstr (((DeskRevision *) revisions->pdata[0])->text, ==, desk_release_get_original (release));
  g_assert_cmpint (desk_release_get_approved_revision_id (release), ==, ((DeskRevision *) revisions->pdata[0])->id);
  g_assert_cmpstr (desk_release_get_approved_sha256 (release), ==, ((DeskRevision *) revisions->pdata[0])->sha256);
}

static void
test_editing_approved_copy_sends_it_back_to_review (Fixture       *fixture,
                                                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 id = desk_test_add_seed (fixture->store);
  g_autoptr(DeskRelease) release = NULL;
  g_autoptr(GPtrArray) events = NULL;
  const DeskEvent *last;

  g_assert_true (desk_store_set_status (fixture->store, id, DESK_STATUS_IN_REVIEW, "Ana", NULL, NULL));
  g_assert_true (desk_store_set_status (fixture->store, id, DESK_STATUS_APPROVED, "Ana", NULL, NULL));
  g_assert_true (desk_store_save_revision (fixture->store, id, NULL, "Diubah setelah disetujui.", "Citra", NULL, &error));
  g_assert_no_error (error);

  release = desk_store_get_release (fixture->store, id, NULL);
  g_assert_cmpint (desk_release_get_status (release), ==, DESK_STATUS_IN_REVIEW);
  g_assert_cmpint (desk_release_get_approved_revision_id (release), ==, 0);
  g_assert_null (desk_release_get_approved_sha256 (release));

  events = desk_store_list_events (fixture->store, id, NULL);
  last = g_ptr_array_index (events, events->len - 1);
  g_assert_cmpstr (last->action, ==, "edited");
  g_assert_cmpstr (last->actor, ==, "Citra");
  g_assert_cmpstr (last->from_status, ==, "approved");
  g_assert_cmpstr (last->to_status, ==, "in_review");
}

static void
test_editing_published_copy_starts_a_correction (Fixture       *fixture,
                                                 gconstpointer  data)
{
  gint64 id = desk_test_add_seed (fixture->store);
  g_autoptr(DeskRelease) release = NULL;

  g_assert_true (desk_store_set_status (fixture->store, id, DESK_STATUS_IN_REVIEW, "Ana", NULL, NULL));
  g_assert_true (desk_store_set_status (fixture->store, id, DESK_STATUS_APPROVED, "Ana", NULL, NULL));
  g_assert_true (desk_store_set_status (fixture->store, id, DESK_STATUS_PUBLISHED, "Ana", NULL, NULL));
  g_assert_true (desk_store_save_revision (fixture->store, id, NULL, "Ralat: tanggal salah.", "Ana", NULL, NULL));

  release = desk_store_get_release (fixture->store, id, NULL);
  g_assert_cmpint (desk_release_get_status (release), ==, DESK_STATUS_CORRECTED);
  /* The published revision stays named until the correction is approved. */
  g_assert_cmpint (desk_release_get_approved_revision_id (release), >, 0);
}

static void
test_actor_comes_from_settings_else_the_real_name (void)
{
  g_autoptr(GSettings) settings = g_settings_new ("io.github.copydesk.Copydesk");
  g_autofree char *from_settings = NULL;
  g_autofree char *fallback = NULL;

  g_settings_set_string (settings, "editor-name", "Dewi Lestari");
  from_settings = desk_get_default_actor ();
  g_assert_cmpstr (from_settings, ==, "Dewi Lestari");

  g_settings_set_string (settings, "editor-name", "");
  fallback = desk_get_default_actor ();
  g_assert_cmpstr (fallback, !=, "");
  g_assert_true (g_str_equal (fallback, g_get_real_name ()) || g_str_equal (fallback, g_get_user_name ()));
}

/* ---- search and lists ---------------------------------------------------- */

static guint
search_count (DeskStore  *store,
              const char *words)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) found = NULL;
  DeskQuery query = DESK_QUERY_INIT;

  query.search = words;
  found = desk_store_list_releases (store, &query, &error);
  g_assert_no_error (error);
  g_assert_cmpint (desk_store_count_releases (store, &query, NULL), ==, found->len);
  return found->len;
}

static void
test_search_finds_words_in_latin_cjk_and_thai_copy (Fixture       *fixture,
                                                    gconstpointer  data)
{
  desk_test_add_seed (fixture->store);
  desk_test_add_text (fixture->store, "Solar farm opens in Nevada\nThe plant will power 40,000 homes, the utility said.");
  desk_test_add_text (fixture->store, "比亚迪发布新能源汽车\n比亚迪今天在深圳发布了一款新能源汽车。");
  desk_test_add_text (fixture->store, "トヨタが新型車を発表\nトヨタ自動車は東京で新型の電気自動車を発表した。");
  desk_test_add_text (fixture->store, "ประเทศไทยเปิดสนามบินใหม่\nรัฐบาลไทยเปิดสนามบินแห่งใหม่ที่เชียงใหม่วันนี้");

  g_assert_cmpuint (search_count (fixture->store, "Istanbul"), ==, 1);
  g_assert_cmpuint (search_count (fixture->store, "kementerian luar"), ==, 1);
  g_assert_cmpuint (search_count (fixture->store, "Nevada"), ==, 1);
  g_assert_cmpuint (search_count (fixture->store, "utility"), ==, 1);
  g_assert_cmpuint (search_count (fixture->store, "util"), ==, 1);  /* as typed: a prefix */
  g_assert_cmpuint (search_count (fixture->store, "新能源"), ==, 1);
  g_assert_cmpuint (search_count (fixture->store, "深圳"), ==, 1);
  g_assert_cmpuint (search_count (fixture->store, "北京"), ==, 0);
  g_assert_cmpuint (search_count (fixture->store, "東京"), ==, 1);
  g_assert_cmpuint (search_count (fixture->store, "発表"), ==, 1);
  g_assert_cmpuint (search_count (fixture->store, "สนามบิน"), ==, 1);
  g_assert_cmpuint (search_count (fixture->store, "เชียงใหม่"), ==, 1);
  g_assert_cmpuint (search_count (fixture->store, "Bangkok"), ==, 0);
  g_assert_cmpuint (search_count (fixture->store, "\"(*"), ==, 0);
  g_assert_cmpuint (search_count (fixture->store, "   "), ==, 0);
}

static void
test_search_finds_edited_text_and_ranks_headlines_first (Fixture       *fixture,
                                                         gconstpointer  data)
{
  g_autoptr(GPtrArray) found = NULL;
  DeskQuery query = DESK_QUERY_INIT;
  gint64 body_only = desk_test_add_text (fixture->store, "Harga cabai turun\nPasokan dari Garut membaik, kata pedagang.");
  gint64 in_headline = desk_test_add_text (fixture->store, "Garut panen raya\nPetani menanam lebih banyak tahun ini.");
  gint64 edited = desk_test_add_text (fixture->store, "Kereta cepat diuji\nUji coba berjalan lancar.");

  g_assert_true (desk_store_save_revision (fixture->store, edited, NULL, "Uji coba di Purwakarta berjalan lancar.", "Ed", NULL, NULL));
  g_assert_cmpuint (search_count (fixture->store, "Purwakarta"), ==, 1);
  /* Replaced words are no longer found in the edited copy … */
  g_assert_true (desk_store_save_revision (fixture->store, edited, NULL, "Uji coba di Cikampek berjalan lancar.", "Ed", NULL, NULL));
  g_assert_cmpuint (search_count (fixture->store, "Purwakarta"), ==, 0);

  query.search = "garut";
  found = desk_store_list_releases (fixture->store, &query, NULL);
  g_assert_cmpuint (found->len, ==, 2);
  g_assert_cmpint (desk_release_get_id (found->pdata[0]), ==, in_headline);
  g_assert_cmpint (desk_release_get_id (found->pdata[1]), ==, body_only);
}

/* Past the ranked window of the newest 1,000 matches, older matches follow
 * newest first: every match is reachable, page by page, exactly once. */
static void
test_search_pages_reach_every_match_once (Fixture       *fixture,
                                          gconstpointer  data)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr(GPtrArray) first_page = NULL;
  g_autoptr(GPtrArray) in_review = NULL;
  DeskQuery query = DESK_QUERY_INIT;
  gint64 *ids = g_new0 (gint64, 1101);
  gint64 old_headline_match;
  gboolean found_old = FALSE;

  old_headline_match = desk_test_add_text (fixture->store, "Istanbul menjadi tuan rumah\nPertemuan pertama.");
  ids[0] = old_headline_match;
  g_assert_true (desk_store_begin_batch (fixture->store, NULL));
  for (guint i = 1; i <= 1100; i++)
    {
      g_autofree char *text = g_strdup_printf ("Rilis %u\nDelegasi bertemu di Istanbul, hari ke-%u.", i, i);
      g_autoptr(DeskParsedRelease) parsed = desk_parse_release_text (text, NULL);

      ids[i] = desk_store_add_release (fixture->store, parsed, NULL, "Ed", NULL, NULL);
      g_assert_cmpint (ids[i], >, 0);
    }
  g_assert_true (desk_store_commit_batch (fixture->store, NULL));
  g_assert_true (desk_store_set_status (fixture->store, ids[5], DESK_STATUS_IN_REVIEW, "Ed", NULL, NULL));

  query.search = "istanbul";
  g_assert_cmpint (desk_store_count_releases (fixture->store, &query, NULL), ==, 1101);

  query.limit = 64;
  for (query.offset = 0; query.offset < 1200; query.offset += query.limit)
    {
      g_autoptr(GPtrArray) page = desk_store_list_releases (fixture->store, &query, NULL);

      g_assert_cmpuint (page->len, ==, MIN (64, 1101 - MIN (query.offset, 1101)));
      for (guint i = 0; i < page->len; i++)
        {
          gint64 id = desk_release_get_id (page->pdata[i]);
          g_assert_false (g_hash_table_contains (seen, &id));
          g_hash_table_add (seen, &ids[0] + (id - old_headline_match));
          found_old |= id == old_headline_match;
        }
    }
  g_assert_cmpuint (g_hash_table_size (seen), ==, 1101);
  g_assert_true (found_old);

  /* The oldest match, outside the ranked window, comes last. */
  query.offset = 1100;
  query.limit = 1;
  first_page = desk_store_list_releases (fixture->store, &query, NULL);
  g_assert_cmpint (desk_release_get_id (first_page->pdata[0]), ==, old_headline_match);

  query.offset = 0;
  query.limit = 0;
  query.status = DESK_STATUS_IN_REVIEW;
  in_review = desk_store_list_releases (fixture->store, &query, NULL);
  g_assert_cmpuint (in_review->len, ==, 1);
  g_assert_cmpint (desk_release_get_id (in_review->pdata[0]), ==, ids[5]);
  g_free (ids);
}

static void
test_undo_takes_back_the_last_move_only (Fixture       *fixture,
                                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 id = desk_test_add_seed (fixture->store);
  g_autoptr(DeskRelease) release = NULL;
  g_autoptr(GPtrArray) events = NULL;

  /* new → in_review, undone: back to new, which the table alone would
   * not allow. */
  g_assert_true (desk_store_set_status (fixture->store, id, DESK_STATUS_IN_REVIEW, "Ana", NULL, &error));
  g_assert_true (desk_store_undo_last_move (fixture->store, id, "Ana", &error));
  g_assert_no_error (error);
  release = desk_store_get_release (fixture->store, id, NULL);
  g_assert_cmpint (desk_release_get_status (release), ==, DESK_STATUS_NEW);
  events = desk_store_list_events (fixture->store, id, NULL);
  g_assert_cmpstr (((DeskEvent *) events->pdata[events->len - 1])->action, ==, "undo");

  /* The undo is not a move itself: nothing more to undo. */
  g_assert_false (desk_store_undo_last_move (fixture->store, id, "Ana", &error));
  g_assert_error (error, DESK_ERROR, DESK_ERROR_ILLEGAL_TRANSITION);
  g_clear_error (&error);

  /* Approval undone clears what was approved. */
  g_assert_true (desk_store_set_status (fixture->store, id, DESK_STATUS_IN_REVIEW, "Ana", NULL, NULL));
  g_assert_true (desk_store_set_status (fixture->store, id, DESK_STATUS_APPROVED, "Ana", NULL, NULL));
  g_assert_true (desk_store_undo_last_move (fixture->store, id, "Ana", &error));
  g_clear_object (&release);
  release = desk_store_get_release (fixture->store, id, NULL);
  g_assert_cmpint (desk_release_get_status (release), ==, DESK_STATUS_IN_REVIEW);
  g_assert_cmpint (desk_release_get_approved_revision_id (release), ==, 0);

  /* An edit after a move means the move can no longer be undone. */
  g_assert_true (desk_store_set_status (fixture->store, id, DESK_STATUS_APPROVED, "Ana", NULL, NULL));
  g_assert_true (desk_store_save_revision (fixture->store, id, NULL, "Teks baru.", "Ana", NULL, NULL));
  g_assert_false (desk_store_undo_last_move (fixture->store, id, "Ana", &error));
  g_assert_error (error, DESK_ERROR, DESK_ERROR_ILLEGAL_TRANSITION);
}

static void
test_list_is_newest_first_and_filters_by_status (Fixture       *fixture,
                                                 gconstpointer  data)
{
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) in_review = NULL;
  gint64 counts[DESK_N_STATUSES];
  DeskQuery query = DESK_QUERY_INIT;
  gint64 a = desk_test_add_text (fixture->store, "Satu\nIsi satu.");
  gint64 b = desk_test_add_text (fixture->store, "Dua\nIsi dua.");
  gint64 c = desk_test_add_text (fixture->store, "Tiga\nIsi tiga.");

  g_assert_true (desk_store_set_status (fixture->store, b, DESK_STATUS_IN_REVIEW, "Ed", NULL, NULL));

  all = desk_store_list_releases (fixture->store, NULL, NULL);
  g_assert_cmpuint (all->len, ==, 3);
  g_assert_cmpint (desk_release_get_id (all->pdata[0]), ==, c);
  g_assert_cmpint (desk_release_get_id (all->pdata[2]), ==, a);

  query.status = DESK_STATUS_IN_REVIEW;
  in_review = desk_store_list_releases (fixture->store, &query, NULL);
  g_assert_cmpuint (in_review->len, ==, 1);
  g_assert_cmpint (desk_release_get_id (in_review->pdata[0]), ==, b);

  g_assert_true (desk_store_count_by_status (fixture->store, counts, NULL));
  g_assert_cmpint (counts[DESK_STATUS_NEW], ==, 2);
  g_assert_cmpint (counts[DESK_STATUS_IN_REVIEW], ==, 1);
  g_assert_cmpint (counts[DESK_STATUS_APPROVED], ==, 0);
}

typedef struct {
  GArray *ids;
  guint   stop_after;
} Collected;

static gboolean
collect_id (const DeskReleaseSummary *summary,
            gpointer                  user_data)
{
  Collected *collected = user_data;
  gint64 id = summary->id;

  g_array_append_val (collected->ids, id);
  return collected->stop_after == 0 || collected->ids->len < collected->stop_after;
}

static void
assert_same_ids (GPtrArray *releases,
                 GArray    *ids)
{
  g_assert_cmpuint (releases->len, ==, ids->len);
  for (guint i = 0; i < releases->len; i++)
    g_assert_cmpint (desk_release_get_id (releases->pdata[i]), ==, g_array_index (ids, gint64, i));
}

/* The streamed queue is the listed queue, row for row, filtered alike, and
 * stops where its reader says. */
static void
test_foreach_release_streams_the_list_in_its_order (Fixture       *fixture,
                                                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) in_review = NULL;
  DeskQuery query = DESK_QUERY_INIT;
  Collected collected = { g_array_new (FALSE, FALSE, sizeof (gint64)), 0 };

  for (guint i = 0; i < 12; i++)
    {
      g_autofree char *text = g_strdup_printf ("Rilis %u\nIsi rilis nomor %u.", i, i);
      gint64 id = desk_test_add_text (fixture->store, text);

      if (i % 3 == 0)
        g_assert_true (desk_store_set_status (fixture->store, id, DESK_STATUS_IN_REVIEW, "Ed", NULL, NULL));
    }

  all = desk_store_list_releases (fixture->store, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (desk_store_foreach_summary (fixture->store, NULL, collect_id, &collected, &error));
  g_assert_no_error (error);
  assert_same_ids (all, collected.ids);

  query.status = DESK_STATUS_IN_REVIEW;
  in_review = desk_store_list_releases (fixture->store, &query, &error);
  g_array_set_size (collected.ids, 0);
  g_assert_true (desk_store_foreach_summary (fixture->store, &query, collect_id, &collected, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (collected.ids->len, ==, 4);
  assert_same_ids (in_review, collected.ids);

  g_array_set_size (collected.ids, 0);
  collected.stop_after = 3;
  g_assert_true (desk_store_foreach_summary (fixture->store, NULL, collect_id, &collected, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (collected.ids->len, ==, 3);
  g_assert_cmpint (g_array_index (collected.ids, gint64, 2), ==, desk_release_get_id (all->pdata[2]));

  g_array_unref (collected.ids);
}

static gboolean
collect_summary (const DeskReleaseSummary *summary,
                 gpointer                  user_data)
{
  GPtrArray *rows = user_data;

  /* Strings are the store's until the call returns: a copy of each. */
  g_ptr_array_add (rows, g_strdup_printf ("%" G_GINT64_FORMAT "|%s|%s|%s|%d|%" G_GINT64_FORMAT "|%d|%d",
                                          summary->id, summary->headline, summary->source,
                                          summary->language, summary->status, summary->received_at,
                                          summary->sponsored,
                                          desk_release_summary_get_effective_verdict (summary)));
  return rows->len < 5;
}

static char *
release_as_row (DeskRelease *release)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT "|%s|%s|%s|%d|%" G_GINT64_FORMAT "|%d|%d",
                          desk_release_get_id (release), desk_release_get_headline (release),
                          desk_release_get_source (release), desk_release_get_language (release),
                          desk_release_get_status (release), desk_release_get_received_at (release),
                          desk_release_get_sponsored (release),
                          desk_release_get_effective_verdict (release));
}

/* Summaries are the listed releases, field for field, in their order,
 * searched or filtered alike, up to where the reader stops. */
static void
test_foreach_summary_is_the_list_without_objects (Fixture       *fixture,
                                                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  DeskQuery queries[3] = { DESK_QUERY_INIT, DESK_QUERY_INIT, DESK_QUERY_INIT };

  desk_test_add_seed (fixture->store);
  for (guint i = 0; i < 8; i++)
    {
      g_autofree char *text = g_strdup_printf ("Rilis banjir %u\nIsi rilis nomor %u.", i, i);
      gint64 id = desk_test_add_text (fixture->store, text);

      if (i % 3 == 0)
        g_assert_true (desk_store_set_status (fixture->store, id, DESK_STATUS_IN_REVIEW, "Ed", NULL, NULL));
    }
  queries[1].status = DESK_STATUS_IN_REVIEW;
  queries[2].search = "banjir";

  for (guint q = 0; q < G_N_ELEMENTS (queries); q++)
    {
      g_autoptr(GPtrArray) listed = desk_store_list_releases (fixture->store, &queries[q], &error);
      g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_free);

      g_assert_no_error (error);
      g_assert_true (desk_store_foreach_summary (fixture->store, &queries[q], collect_summary, rows, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (rows->len, ==, MIN (listed->len, 5));
      g_assert_cmpuint (rows->len, >, 0);
      for (guint i = 0; i < rows->len; i++)
        {
          g_autofree char *expected = release_as_row (listed->pdata[i]);

          g_assert_cmpstr (rows->pdata[i], ==, expected);
        }
    }
}

/* The queue is listed from one index, without reading a release's text:
 * the columns later schemas added sit behind the text in each row. */
static void
test_list_reads_an_index_not_the_texts (Fixture       *fixture,
                                        gconstpointer  data)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  g_autoptr(GString) plan = g_string_new (NULL);

  desk_test_add_seed (fixture->store);
  sqlite3_open_v2 (fixture->path, &db, SQLITE_OPEN_READONLY, NULL);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "EXPLAIN QUERY PLAN SELECT r.id, r.headline, r.source, r.language,"
                                       " r.status, r.received_at, r.sponsored, r.verdict, r.score, r.decision"
                                       " FROM releases r WHERE r.copy_of IS NULL"
                                       " ORDER BY r.received_at DESC, r.id DESC LIMIT -1 OFFSET 0",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_string_append_printf (plan, "%s\n", sqlite3_column_text (stmt, 3));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  g_assert_nonnull (strstr (plan->str, "COVERING INDEX releases_listed"));
  g_assert_null (strstr (plan->str, "TEMP B-TREE"));
}

static void
count_items_changed (GListModel *model,
                     guint       position,
                     guint       removed,
                     guint       added,
                     guint      *counter)
{
  g_assert_cmpuint (position, ==, 0);
  (*counter)++;
}

static void
count_items_changed_at_end (GListModel *model,
                            guint       position,
                            guint       removed,
                            guint       added,
                            guint      *counter)
{
  g_assert_cmpuint (position, ==, 40);
  g_assert_cmpuint (removed, ==, 0);
  g_assert_cmpuint (added, ==, 300 - 40);
  (*counter)++;
}

static void
test_release_list_model_reads_pages_lazily (Fixture       *fixture,
                                            gconstpointer  data)
{
  g_autoptr(DeskReleaseList) list = NULL;
  g_autoptr(DeskRelease) first = NULL;
  g_autoptr(DeskRelease) last = NULL;
  guint changed = 0;

  for (guint i = 0; i < 300; i++)
    {
      g_autofree char *text = g_strdup_printf ("Kabar nomor %u\nIsi kabar nomor %u.", i, i);
      desk_test_add_text (fixture->store, text);
    }

  list = desk_release_list_new (fixture->store);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 300);
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (list)) == DESK_TYPE_RELEASE);
  first = g_list_model_get_item (G_LIST_MODEL (list), 0);
  last = g_list_model_get_item (G_LIST_MODEL (list), 299);
  g_assert_cmpstr (desk_release_get_headline (first), ==, "Kabar nomor 299");
  g_assert_cmpstr (desk_release_get_headline (last), ==, "Kabar nomor 0");
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (list), 300));

  g_signal_connect (list, "items-changed", G_CALLBACK (count_items_changed), &changed);
  desk_release_list_set_search (list, "299");
  g_assert_cmpuint (changed, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 1);
  desk_release_list_set_search (list, NULL);
  desk_release_list_set_status (list, DESK_STATUS_APPROVED);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 0);

  /* Another status and the sponsored filter at once: one reading. */
  changed = 0;
  desk_release_list_set_queue (list, -1, TRUE);
  g_assert_cmpuint (changed, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 0);
  desk_release_list_set_queue (list, -1, FALSE);
  g_assert_cmpuint (changed, ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 300);
}

static void
test_release_list_counts_a_long_queue_in_the_background (Fixture       *fixture,
                                                         gconstpointer  data)
{
  g_autoptr(DeskReleaseList) list = NULL;
  guint changed = 0;

  g_assert_true (desk_store_begin_batch (fixture->store, NULL));
  for (guint i = 0; i < 300; i++)
    {
      g_autofree char *text = g_strdup_printf ("Kabar nomor %u\nIsi kabar nomor %u.", i, i);
      g_autoptr(DeskParsedRelease) parsed = desk_parse_release_text (text, NULL);

      g_assert_cmpint (desk_store_add_release (fixture->store, parsed, NULL, "Ed", NULL, NULL), >, 0);
    }
  g_assert_true (desk_store_commit_batch (fixture->store, NULL));

  /* At once: the first rows; the rest once the count comes back. */
  list = desk_release_list_new_full (fixture->store, -1, TRUE);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 40);
  g_signal_connect (list, "items-changed", G_CALLBACK (count_items_changed_at_end), &changed);
  while (changed == 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 300);

  /* A short queue needs no count at all. */
  g_signal_handlers_disconnect_by_func (list, count_items_changed_at_end, &changed);
  desk_release_list_set_search (list, "299");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 1);
}

/* ---- sponsored and third-party content ---------------------------------- */

static const char plain_news[] =
  "Council approves cycle lanes\n"
  "The city council voted on Thursday to build protected cycle lanes along the high street.\n"
  "Work is due to start in September and last about four months.";

static void
test_verdict_and_findings_are_stored_with_the_release (Fixture       *fixture,
                                                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 seed_id = desk_test_add_seed (fixture->store);
  gint64 news_id = desk_test_add_text (fixture->store, plain_news);
  g_autoptr(DeskRelease) seed = desk_store_get_release (fixture->store, seed_id, &error);
  g_autoptr(DeskRelease) news = desk_store_get_release (fixture->store, news_id, &error);
  g_autoptr(GPtrArray) findings = desk_store_list_findings (fixture->store, seed_id, &error);
  g_autoptr(GPtrArray) none = desk_store_list_findings (fixture->store, news_id, &error);
  g_autoptr(DeskDetection) detection = desk_store_get_detection (fixture->store, seed_id, &error);
  g_autofree char *banner = desk_detection_describe (detection);
  const DeskFinding *credit;

  g_assert_no_error (error);
  g_assert_cmpint (desk_release_get_verdict (seed), ==, DESK_VERDICT_THIRD_PARTY);
  g_assert_cmpfloat (desk_release_get_score (seed), >=, 1.0);
  g_assert_true (desk_release_get_sponsored (seed));
  g_assert_cmpint (desk_release_get_sponsor_decision (seed), ==, DESK_SPONSOR_DECISION_NONE);
  g_assert_cmpstr (desk_release_get_rules_hash (seed), ==,
                   desk_detector_get_rules_hash (desk_store_get_detector (fixture->store)));

  g_assert_cmpuint (findings->len, ==, 4);
  credit = g_ptr_array_index (findings, 0);
  g_assert_cmpint (credit->kind, ==, DESK_FINDING_CREDIT);
  g_assert_cmpuint (credit->start, ==, 44);
  g_assert_cmpstr (credit->evidence, ==, "(SeaPRwire) – ");
  g_assert_cmpstr (banner, ==, "Third-party content: wire credit, disclaimer, sector line and boilerplate by SeaPRwire");

  g_assert_cmpint (desk_release_get_verdict (news), ==, DESK_VERDICT_NONE);
  g_assert_false (desk_release_get_sponsored (news));
  g_assert_cmpuint (none->len, ==, 0);
}

static void
test_editor_decision_wins_is_an_event_and_survives_redetection (Fixture       *fixture,
                                                                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 seed_id = desk_test_add_seed (fixture->store);
  gint64 news_id = desk_test_add_text (fixture->store, plain_news);
  g_autoptr(GPtrArray) events = NULL;
  const DeskEvent *last;

  /* A reason is required. */
  g_assert_false (desk_store_set_sponsor_decision (fixture->store, seed_id, DESK_SPONSOR_DECISION_NOT_SPONSORED,
                                                   "  ", "Ed", &error));
  g_assert_error (error, DESK_ERROR, DESK_ERROR_INVALID_INPUT);
  g_clear_error (&error);

  g_assert_true (desk_store_set_sponsor_decision (fixture->store, seed_id, DESK_SPONSOR_DECISION_NOT_SPONSORED,
                                                  "Our own translation of a wire story", "Ed", &error));
  g_assert_true (desk_store_set_sponsor_decision (fixture->store, news_id, DESK_SPONSOR_DECISION_SPONSORED,
                                                  "The council paid for the piece", "Ed", &error));
  g_assert_no_error (error);

  events = desk_store_list_events (fixture->store, seed_id, &error);
  last = g_ptr_array_index (events, events->len - 1);
  g_assert_cmpstr (last->action, ==, "marked-not-sponsored");
  g_assert_cmpstr (last->actor, ==, "Ed");
  g_assert_cmpstr (last->note, ==, "Our own translation of a wire story");

  /* Read everything again: the verdicts stay the detector's, the flags the
   * editor's. */
  g_assert_true (desk_store_mark_all_stale (fixture->store, &error));
  g_assert_cmpint (desk_store_count_stale (fixture->store, &error), ==, 2);
  g_assert_cmpint (desk_store_redetect_stale (fixture->store, 10, NULL, &error), ==, 2);
  g_assert_true (desk_store_redetect_release (fixture->store, seed_id, &error));
  g_assert_no_error (error);

  {
    g_autoptr(DeskRelease) seed = desk_store_get_release (fixture->store, seed_id, &error);
    g_autoptr(DeskRelease) news = desk_store_get_release (fixture->store, news_id, &error);

    g_assert_cmpint (desk_release_get_verdict (seed), ==, DESK_VERDICT_THIRD_PARTY);
    g_assert_false (desk_release_get_sponsored (seed));
    g_assert_cmpint (desk_release_get_sponsor_decision (seed), ==, DESK_SPONSOR_DECISION_NOT_SPONSORED);
    g_assert_cmpstr (desk_release_get_sponsor_decision_reason (seed), ==, "Our own translation of a wire story");
    g_assert_cmpstr (desk_release_get_sponsor_decided_by (seed), ==, "Ed");
    g_assert_cmpint (desk_release_get_sponsor_decided_at (seed), >, 0);

    g_assert_cmpint (desk_release_get_verdict (news), ==, DESK_VERDICT_NONE);
    g_assert_true (desk_release_get_sponsored (news));
  }

  /* Cleared, the detector decides again. */
  g_assert_true (desk_store_set_sponsor_decision (fixture->store, seed_id, DESK_SPONSOR_DECISION_NONE,
                                                  NULL, "Ed", &error));
  g_assert_no_error (error);
  {
    g_autoptr(DeskRelease) seed = desk_store_get_release (fixture->store, seed_id, &error);

    g_assert_true (desk_release_get_sponsored (seed));
    g_assert_null (desk_release_get_sponsor_decision_reason (seed));
  }

  g_assert_false (desk_store_set_sponsor_decision (fixture->store, 4242, DESK_SPONSOR_DECISION_SPONSORED,
                                                   "x", "Ed", &error));
  g_assert_error (error, DESK_ERROR, DESK_ERROR_NOT_FOUND);
}

static void
test_rules_change_makes_releases_stale_and_they_are_read_again (Fixture       *fixture,
                                                                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  const char *dutch = "Nieuwe fietsbrug geopend\n"
                      "De gemeente heeft een nieuwe fietsbrug over de rivier geopend.\n"
                      "Dit artikel is aangeleverd door een externe partij.";
  gint64 seed_id = desk_test_add_seed (fixture->store);
  gint64 dutch_id = desk_test_add_text (fixture->store, dutch);
  g_autofree char *dir = g_build_filename (fixture->dir, "config", NULL);
  g_autofree char *rules = g_build_filename (dir, "sponsor-rules.json", NULL);
  g_autoptr(DeskDetector) detector = desk_detector_new ();

  g_assert_cmpint (desk_store_count_stale (fixture->store, &error), ==, 0);
  g_assert_cmpint (desk_store_redetect_stale (fixture->store, 10, NULL, &error), ==, 0);

  g_mkdir (dir, 0700);
  g_file_set_contents (rules,
                       "{ \"rules\": [ { \"id\": \"disclaimer-partner-nl\", \"kind\": \"disclaimer\","
                       " \"languages\": \"*\", \"pattern\": \"aangeleverd door een externe partij\","
                       " \"weight\": 1.0 } ] }", -1, &error);
  g_assert_true (desk_detector_add_rules_file (detector, rules, &error));
  g_assert_no_error (error);
  desk_store_set_detector (fixture->store, detector);

  /* Every release was read with the old rules; a batch at a time. */
  g_assert_cmpint (desk_store_count_stale (fixture->store, &error), ==, 2);
  g_assert_cmpint (desk_store_redetect_stale (fixture->store, 1, NULL, &error), ==, 1);
  g_assert_cmpint (desk_store_count_stale (fixture->store, &error), ==, 1);
  g_assert_cmpint (desk_store_redetect_stale (fixture->store, 1, NULL, &error), ==, 1);
  g_assert_cmpint (desk_store_redetect_stale (fixture->store, 1, NULL, &error), ==, 0);
  g_assert_no_error (error);

  {
    g_autoptr(DeskRelease) seed = desk_store_get_release (fixture->store, seed_id, &error);
    g_autoptr(DeskRelease) partner = desk_store_get_release (fixture->store, dutch_id, &error);
    g_autoptr(GPtrArray) findings = desk_store_list_findings (fixture->store, dutch_id, &error);

    g_assert_cmpint (desk_release_get_verdict (seed), ==, DESK_VERDICT_THIRD_PARTY);
    g_assert_cmpint (desk_release_get_verdict (partner), ==, DESK_VERDICT_THIRD_PARTY);
    g_assert_true (desk_release_get_sponsored (partner));
    g_assert_cmpuint (findings->len, ==, 1);
    g_assert_cmpstr (((DeskFinding *) g_ptr_array_index (findings, 0))->rule, ==, "disclaimer-partner-nl");
  }

  g_unlink (rules);
  g_rmdir (dir);
}

static void
test_sponsored_queue_lists_flagged_releases_from_its_index (Fixture       *fixture,
                                                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  DeskQuery query = DESK_QUERY_INIT;
  gint64 seed_id = desk_test_add_seed (fixture->store);
  g_autoptr(GPtrArray) queue = NULL;
  g_autoptr(GPtrArray) found = NULL;

  desk_test_add_text (fixture->store, plain_news);
  query.sponsored_only = TRUE;
  queue = desk_store_list_releases (fixture->store, &query, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (queue->len, ==, 1);
  g_assert_cmpint (desk_release_get_id (g_ptr_array_index (queue, 0)), ==, seed_id);
  g_assert_cmpint (desk_store_count_releases (fixture->store, &query, &error), ==, 1);

  query.status = DESK_STATUS_NEW;
  g_assert_cmpint (desk_store_count_releases (fixture->store, &query, &error), ==, 1);
  query.status = DESK_STATUS_APPROVED;
  g_assert_cmpint (desk_store_count_releases (fixture->store, &query, &error), ==, 0);

  /* Searching the queue finds only what is in it. */
  query.status = -1;
  query.search = "Istanbul";
  found = desk_store_list_releases (fixture->store, &query, &error);
  g_assert_cmpuint (found->len, ==, 1);
  g_clear_pointer (&found, g_ptr_array_unref);
  query.search = "cycle";
  found = desk_store_list_releases (fixture->store, &query, &error);
  g_assert_cmpuint (found->len, ==, 0);
  g_assert_cmpint (desk_store_count_releases (fixture->store, &query, &error), ==, 0);

  /* The queue is read from its partial index, not by scanning the table. */
  {
    sqlite3 *db = NULL;
    sqlite3_stmt *stmt = NULL;
    g_autoptr(GString) plan = g_string_new (NULL);

    sqlite3_open_v2 (fixture->path, &db, SQLITE_OPEN_READONLY, NULL);
    sqlite3_prepare_v2 (db, "EXPLAIN QUERY PLAN SELECT id FROM releases r WHERE r.sponsored = 1 AND r.copy_of IS NULL"
                            " ORDER BY r.received_at DESC, r.id DESC LIMIT 50", -1, &stmt, NULL);
    while (sqlite3_step (stmt) == SQLITE_ROW)
      g_string_append_printf (plan, "%s\n", sqlite3_column_text (stmt, 3));
    sqlite3_finalize (stmt);
    sqlite3_close (db);
    g_assert_nonnull (strstr (plan->str, "releases_sponsored_queue"));
    g_assert_null (strstr (plan->str, "TEMP B-TREE"));
  }
}

static void
test_clean_up_writes_a_revision_without_the_furniture (Fixture       *fixture,
                                                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 seed_id = desk_test_add_seed (fixture->store);
  gint64 news_id = desk_test_add_text (fixture->store, plain_news);
  gint64 revision_id = 0;
  g_autoptr(DeskRevision) revision = NULL;
  g_autoptr(DeskRelease) seed = NULL;
  g_autoptr(GPtrArray) events = NULL;

  g_assert_true (desk_store_clean_up_release (fixture->store, seed_id, "Ed", &revision_id, &error));
  g_assert_no_error (error);
  g_assert_cmpint (revision_id, >, 0);

  revision = desk_store_get_revision (fixture->store, revision_id, &error);
  g_assert_cmpstr (revision->headline, ==, "Moskow konfirmasi pembicaraan baru Rusia-AS");
  /* The headline line stays; the body begins with the standfirst, its
   * credit gone. */
  g_assert_true (g_str_has_prefix (revision->text, "Moskow konfirmasi pembicaraan baru Rusia-AS\n"
                                                   "Putaran berikutnya akan berlangsung di Istanbul"));
  g_assert_true (g_str_has_suffix (revision->text, "…penyelesaian konflik Ukraina.") ||
                 g_str_has_suffix (revision->text, "menuju penyelesaian konflik Ukraina."));
  g_assert_null (strstr (revision->text, "SeaPRwire"));
  g_assert_null (strstr (revision->text, "Sektor"));

  seed = desk_store_get_release (fixture->store, seed_id, &error);
  g_assert_cmpstr (desk_release_get_edited (seed), ==, revision->text);
  g_assert_cmpstr (desk_release_get_tags (seed)[0], ==, "Top Story");
  g_assert_cmpstr (desk_release_get_tags (seed)[1], ==, "Daily News");
  g_assert_null (desk_release_get_tags (seed)[2]);
  /* The original is never touched, so its findings still hold. */
  g_assert_true (g_str_has_prefix (desk_release_get_original (seed), "Moskow konfirmasi"));

  events = desk_store_list_events (fixture->store, seed_id, &error);
  g_assert_cmpstr (((DeskEvent *) g_ptr_array_index (events, events->len - 1))->action, ==, "cleaned-up");

  /* Clean copy, and a story without furniture: nothing to do. */
  g_assert_true (desk_store_clean_up_release (fixture->store, seed_id, "Ed", &revision_id, &error));
  g_assert_cmpint (revision_id, ==, 0);
  g_assert_true (desk_store_clean_up_release (fixture->store, news_id, "Ed", &revision_id, &error));
  g_assert_cmpint (revision_id, ==, 0);
  g_assert_no_error (error);
}

/* The list names the distributor the detector found, by its own name,
 * even where the parser found no credit (a dateline in Chinese). */
static void
test_source_is_the_distributor_the_detector_found (Fixture       *fixture,
                                                   gconstpointer  data)
{
  gint64 id = desk_test_add_text (fixture->store,
                        "新能源电池企业在合肥投产第二座工厂\n"
                        "合肥2026年11月20日 /美通社/ -- 一家新能源电池企业今天宣布，其位于合肥的第二座工厂正式投产。\n"
                        "新工厂主要生产用于电动客车和储能电站的磷酸铁锂电池。\n");
  g_autoptr(DeskRelease) release = desk_store_get_release (fixture->store, id, NULL);

  g_assert_null (desk_release_get_wire (release));
  g_assert_cmpstr (desk_release_get_source (release), ==, "PR Newswire");
}

/* Whether this kernel gives huge pages where they are advised: the store
 * sets up its page-cache region and mapped blocks only then. */
static gboolean
huge_pages_advisable (void)
{
  g_autofree char *enabled = NULL;

  if (!g_file_get_contents ("/sys/kernel/mm/transparent_hugepage/enabled", &enabled, NULL, NULL))
    return FALSE;
  return strstr (enabled, "[always]") != NULL || strstr (enabled, "[madvise]") != NULL;
}

/* The first search of a process reads its pages into SQLite's page cache;
 * those lines come from the region desk-store-memory.c gives SQLite (which
 * the kernel may back with huge pages), not each from malloc(): on the
 * desk's virtual machines faulting in a fresh 4 KiB page for each line was
 * most of what the first query cost.  Run in a process of its own, whose
 * first connection is the store's. */
static void
test_first_search_reads_into_the_store_page_cache (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *dir = g_dir_make_tmp (NULL, &error);
      g_autofree char *path = NULL;
      g_autoptr(DeskStore) store = NULL;
      g_autoptr(GPtrArray) found = NULL;
      DeskQuery query = DESK_QUERY_INIT;
      sqlite3_int64 used = 0, highwater = 0, line = 0, line_highwater = 0;

      g_assert_no_error (error);
      path = g_build_filename (dir, "copydesk.db", NULL);
      store = desk_store_open (path, &error);
      g_assert_no_error (error);
      desk_test_add_seed (store);
      desk_test_add_text (store, "ประเทศไทยเปิดสนามบินใหม่\nรัฐบาลไทยเปิดสนามบินแห่งใหม่ที่เชียงใหม่วันนี้");
      query.search = "สนามบิน";
      found = desk_store_list_releases (store, &query, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (found->len, ==, 1);

      g_assert_cmpint (sqlite3_status64 (SQLITE_STATUS_PAGECACHE_USED, &used, &highwater, FALSE), ==, SQLITE_OK);
      g_assert_cmpint (sqlite3_status64 (SQLITE_STATUS_PAGECACHE_SIZE, &line, &line_highwater, FALSE), ==, SQLITE_OK);
      /* Lines in use, each from the region and big enough for a page. */
      g_assert_cmpint (used, >, 0);
      g_assert_cmpint (line_highwater, >=, 4096);

      g_clear_object (&store);
      desk_test_remove_tree (dir);
      return;
    }

  if (!huge_pages_advisable ())
    {
      g_test_skip ("this kernel gives no transparent huge pages");
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

/* The mapping of /proc/self/maps that holds @p, or FALSE. */
static gboolean
find_mapping (gconstpointer  p,
              guint64       *out_start,
              guint64       *out_end)
{
  g_autofree char *maps = NULL;
  g_auto(GStrv) lines = NULL;

  g_assert_true (g_file_get_contents ("/proc/self/maps", &maps, NULL, NULL));
  lines = g_strsplit (maps, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      guint64 start = g_ascii_strtoull (lines[i], NULL, 16);
      const char *dash = strchr (lines[i], '-');
      guint64 end = dash != NULL ? g_ascii_strtoull (dash + 1, NULL, 16) : 0;

      if ((guint64) (guintptr) p >= start && (guint64) (guintptr) p < end)
        {
          *out_start = start;
          *out_end = end;
          return TRUE;
        }
    }
  return FALSE;
}

/* SQLite's big blocks (FTS5's buffers for a prefix) are mapped in whole
 * huge pages of 2 MiB, each in a mapping of its own, and keep their bytes
 * as they grow and shrink; small ones are SQLite's allocator's as before.
 * Run in a process of its own, whose first connection is the store's. */
static void
test_sqlite_big_blocks_are_mapped_in_huge_pages (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *dir = g_dir_make_tmp (NULL, &error);
      g_autofree char *path = NULL;
      g_autoptr(DeskStore) store = NULL;
      guint64 start = 0, end = 0;
      guint8 *block, *small;

      g_assert_no_error (error);
      path = g_build_filename (dir, "copydesk.db", NULL);
      store = desk_store_open (path, &error);
      g_assert_no_error (error);

      block = sqlite3_malloc (300 * 1024);
      g_assert_nonnull (block);
      g_assert_cmpint (sqlite3_msize (block), ==, 300 * 1024);
      memset (block, 0x5a, 300 * 1024);
      g_assert_true (find_mapping (block, &start, &end));
      g_assert_cmpuint ((end - start) % (2u << 20), ==, 0);
      g_assert_cmpuint ((guint64) (guintptr) block - start, <=, 64);

      /* Grown past its huge page, it moves with its bytes. */
      block = sqlite3_realloc (block, 3 * 1024 * 1024);
      g_assert_nonnull (block);
      g_assert_cmpint (sqlite3_msize (block), ==, 3 * 1024 * 1024);
      for (guint i = 0; i < 300 * 1024; i++)
        g_assert_cmpuint (block[i], ==, 0x5a);
      g_assert_true (find_mapping (block, &start, &end));
      g_assert_cmpuint (end - start, ==, 4u << 20);

      /* Shrunk small, it keeps its first bytes. */
      small = sqlite3_realloc (block, 100);
      g_assert_nonnull (small);
      g_assert_cmpint (sqlite3_msize (small), >=, 100);
      for (guint i = 0; i < 100; i++)
        g_assert_cmpuint (small[i], ==, 0x5a);
      sqlite3_free (small);

      g_clear_object (&store);
      desk_test_remove_tree (dir);
      return;
    }

  if (!huge_pages_advisable ())
    {
      g_test_skip ("this kernel gives no transparent huge pages");
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, desk_test_store_fixture_set_up, func, desk_test_store_fixture_tear_down)

  ADD ("/store/schema/new-database-is-latest-in-wal-mode", test_new_database_has_the_latest_schema_in_wal_mode);
  ADD ("/store/schema/foreign-keys-are-enforced", test_foreign_keys_are_enforced);
  ADD ("/store/schema/schema-1-database-opens-with-latest-code", test_schema_1_database_opens_with_the_latest_code);
  ADD ("/store/schema/newer-database-is-refused-untouched", test_database_from_a_newer_copydesk_is_refused_untouched);
  ADD ("/store/schema/schema-4-database-gains-outbox-and-local-target", test_schema_4_database_gains_the_outbox_and_the_local_target);
  g_test_add_func ("/store/default-path-follows-COPYDESK_DB", test_default_path_follows_copydesk_db);
  g_test_add_func ("/store/mistyped-team-desk-address-is-refused", test_mistyped_address_is_refused);
  ADD ("/store/release/is-stored-with-its-structure", test_release_is_stored_with_its_structure);
  ADD ("/store/dedup/same-content-is-one-row", test_same_release_twice_is_one_row);
  ADD ("/store/dedup/same-source-uid-is-one-row", test_same_source_uid_is_one_row);
  ADD ("/store/revision/saved-only-when-text-changed", test_revision_is_saved_only_when_the_text_changed);
  ADD ("/store/revision/invalid-utf8-is-refused", test_invalid_utf8_edit_is_refused);
  ADD ("/store/workflow/every-move-writes-an-event", test_every_move_writes_an_event_with_actor_and_note);
  ADD ("/store/workflow/illegal-move-changes-nothing", test_illegal_move_is_refused_and_changes_nothing);
  ADD ("/store/workflow/every-allowed-move-works", test_every_allowed_move_works_through_the_store);
  ADD ("/store/workflow/approval-names-the-exact-revision", test_approval_names_the_exact_revision);
  ADD ("/store/workflow/approval-time-is-the-last-move-to-approved", test_approval_time_is_the_last_move_to_approved);
  ADD ("/store/workflow/approving-unedited-copy-makes-a-revision", test_approving_unedited_copy_makes_its_first_revision);
  ADD ("/store/workflow/editing-approved-copy-returns-it-to-review", test_editing_approved_copy_sends_it_back_to_review);
  ADD ("/store/workflow/editing-published-copy-starts-a-correction", test_editing_published_copy_starts_a_correction);
  g_test_add_func ("/store/actor/from-settings-else-real-name", test_actor_comes_from_settings_else_the_real_name);
  ADD ("/store/search/latin-cjk-and-thai", test_search_finds_words_in_latin_cjk_and_thai_copy);
  ADD ("/store/search/edited-text-and-headlines-first", test_search_finds_edited_text_and_ranks_headlines_first);
  ADD ("/store/search/pages-reach-every-match-once", test_search_pages_reach_every_match_once);
  g_test_add_func ("/store/search/first-search-reads-into-the-page-cache-region", test_first_search_reads_into_the_store_page_cache);
  g_test_add_func ("/store/search/sqlite-big-blocks-are-mapped-in-huge-pages", test_sqlite_big_blocks_are_mapped_in_huge_pages);
  ADD ("/store/workflow/undo-takes-back-the-last-move-only", test_undo_takes_back_the_last_move_only);
  ADD ("/store/list/newest-first-and-by-status", test_list_is_newest_first_and_filters_by_status);
  ADD ("/store/list/foreach-streams-the-list-in-its-order", test_foreach_release_streams_the_list_in_its_order);
  ADD ("/store/list/reads-an-index-not-the-texts", test_list_reads_an_index_not_the_texts);
  ADD ("/store/list/foreach-summary-is-the-list-without-objects", test_foreach_summary_is_the_list_without_objects);
  ADD ("/store/list/model-reads-pages-lazily", test_release_list_model_reads_pages_lazily);
  ADD ("/store/list/long-queue-is-counted-in-the-background", test_release_list_counts_a_long_queue_in_the_background);
  ADD ("/store/sponsor/verdict-and-findings-stored-with-the-release", test_verdict_and_findings_are_stored_with_the_release);
  ADD ("/store/sponsor/decision-wins-is-an-event-and-survives-redetection", test_editor_decision_wins_is_an_event_and_survives_redetection);
  ADD ("/store/sponsor/rules-change-makes-releases-stale", test_rules_change_makes_releases_stale_and_they_are_read_again);
  ADD ("/store/sponsor/queue-lists-flagged-releases-from-its-index", test_sponsored_queue_lists_flagged_releases_from_its_index);
  ADD ("/store/sponsor/source-is-the-distributor-found", test_source_is_the_distributor_the_detector_found);
  ADD ("/store/sponsor/clean-up-writes-a-revision", test_clean_up_writes_a_revision_without_the_furniture);

#undef ADD

  return g_test_run ();
}
