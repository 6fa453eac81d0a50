/* test-copies.c — one story from several wires is one row in its queue
 *
 * Copies of a story (desk-copies.c) are stored in a real temporary SQLite
 * store; the queues, their counts and a search are read back as the
 * window and copydesk-cli read them.
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>
#include <sqlite3.h>

#include "desk-check.h"
#include "desk-copies.h"
#include "desk-error.h"
#include "desk-store-private.h"
#include "desk-test-util.h"
#include "desk-workflow.h"

static const char body_en[] =
  "JAKARTA, 5 March 2026 – The port authority said on Thursday that the new container terminal "
  "at Tanjung Priok will open to ships in June, three months later than planned, after "
  "inspectors found cracks in two of its quay cranes.\n\n"
  "The terminal, built at a cost of 4.2 trillion rupiah, is meant to double the port's capacity "
  "for the largest container ships calling at Jakarta, the authority's director told reporters.\n\n"
  "Shipping lines had been told to expect the first calls in March. Two of them said they would "
  "keep routing their largest vessels through Singapore until the cranes were certified.";

static const char other_story[] =
  "Markets close for renovation\n\n"
  "SURABAYA – The city council voted on Wednesday to close three markets for renovation "
  "over the rainy season, moving some two thousand traders to temporary stalls in a "
  "stadium car park until the work is finished next year, officials said. Traders "
  "protested outside the council building before the vote.\n";

typedef struct {
  char      *dir;
  char      *path;
  DeskStore *store;
  gint64     a, other, b, c;   /* a, b and c: copies of one story */
} Fixture;

static gint64
add_from (DeskStore  *store,
          const char *text,
          const char *wire)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskParsedRelease) parsed = desk_parse_release_text (text, &error);
  DeskSource source = { wire };
  gint64 id;

  g_assert_no_error (error);
  id = desk_store_add_release (store, parsed, &source, "Test Editor", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

/* The story three times: from two wires, and sent again with one figure
 * corrected; another story between them. */
static void
add_copies (DeskStore *store,
            gint64    *a,
            gint64    *other,
            gint64    *b,
            gint64    *c)
{
  g_autofree char *first = g_strdup_printf ("Terminal opening delayed\n\n%s\n", body_en);
  g_autofree char *second = g_strdup_printf ("Port terminal to open in June\n\n%s\n\nAbout Wire B\nWire B sends news.\n", body_en);
  g_autofree char *corrected = NULL;
  g_autofree char *third = NULL;

  {
    g_auto(GStrv) parts = g_strsplit (body_en, "4.2 trillion", 2);

    corrected = g_strjoin ("4.3 trillion", parts[0], parts[1], NULL);
    third = g_strdup_printf ("Terminal opening delayed to June\n\n%s\n", corrected);
  }
  *a = add_from (store, first, "Wire A");
  *other = add_from (store, other_story, "Wire A");
  *b = add_from (store, second, "Wire B");
  *c = add_from (store, third, "Wire C");
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("copydesk-copies-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "desk.db", NULL);
  fixture->store = desk_store_open (fixture->path, &error);
  g_assert_no_error (error);
  add_copies (fixture->store, &fixture->a, &fixture->other, &fixture->b, &fixture->c);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->store);
  desk_test_remove_tree (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->dir);
}

/* The ids of the releases in a queue (-1: all), newest first. */
static char *
queue_ids (DeskStore *store,
           int        status)
{
  g_autoptr(GError) error = NULL;
  DeskQuery query = DESK_QUERY_INIT;
  g_autoptr(GPtrArray) rows = NULL;
  GString *ids = g_string_new (NULL);

  query.status = status;
  rows = desk_store_list_releases (store, &query, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < rows->len; i++)
    g_string_append_printf (ids, "%s%" G_GINT64_FORMAT, i > 0 ? " " : "",
                            desk_release_get_id (g_ptr_array_index (rows, i)));
  g_assert_cmpint (desk_store_count_releases (store, &query, &error), ==, rows->len);
  return g_string_free (ids, FALSE);
}

static char *
ids (gint64 first,
     gint64 second)
{
  return second != 0 ? g_strdup_printf ("%" G_GINT64_FORMAT " %" G_GINT64_FORMAT, first, second)
                     : g_strdup_printf ("%" G_GINT64_FORMAT, first);
}

static gint64
status_count (DeskStore  *store,
              DeskStatus  status)
{
  gint64 counts[DESK_N_STATUSES];
  g_autoptr(GError) error = NULL;

  g_assert_true (desk_store_count_by_status (store, counts, &error));
  g_assert_no_error (error);
  return counts[status];
}

static void
test_queue_shows_a_story_once (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) copies = NULL;
  g_autofree char *all = queue_ids (fixture->store, -1);
  g_autofree char *inbox = queue_ids (fixture->store, DESK_STATUS_NEW);
  g_autofree char *expected = ids (fixture->other, fixture->a);

  /* The first received stands for the story; its copies have no row. */
  g_assert_cmpint (desk_store_count_copies (fixture->store, fixture->a, NULL), ==, 3);
  g_assert_cmpstr (all, ==, expected);
  g_assert_cmpstr (inbox, ==, expected);
  g_assert_cmpint (status_count (fixture->store, DESK_STATUS_NEW), ==, 2);
  g_assert_cmpint (desk_store_get_story (fixture->store, fixture->b, NULL), ==, fixture->a);
  g_assert_cmpint (desk_store_get_story (fixture->store, fixture->c, NULL), ==, fixture->a);
  g_assert_cmpint (desk_store_get_story (fixture->store, fixture->a, NULL), ==, fixture->a);
  g_assert_cmpint (desk_store_get_story (fixture->store, fixture->other, NULL), ==, fixture->other);
  g_assert_cmpint (desk_store_get_story (fixture->store, 999, &error), ==, 0);
  g_assert_error (error, DESK_ERROR, DESK_ERROR_NOT_FOUND);
  g_clear_error (&error);

  copies = desk_store_list_copies (fixture->store, fixture->c, NULL);
  g_assert_cmpuint (copies->len, ==, 3);
  g_assert_true (((DeskCopy *) copies->pdata[0])->shown);
  g_assert_false (((DeskCopy *) copies->pdata[1])->shown);
  g_assert_false (((DeskCopy *) copies->pdata[2])->shown);

  /* A search still finds every copy. */
  {
    DeskQuery query = DESK_QUERY_INIT;
    g_autoptr(GPtrArray) found = NULL;

    query.search = "quay cranes";
    found = desk_store_list_releases (fixture->store, &query, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (found->len, ==, 3);
    g_assert_cmpint (desk_store_count_releases (fixture->store, &query, &error), ==, 3);
  }
}

/* The copy an editor works on stands for the story from then on. */
static void
test_the_copy_worked_on_stands_for_the_story (Fixture       *fixture,
                                              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *inbox = NULL;
  g_autofree char *in_review = NULL;
  g_autofree char *expected_in_review = ids (fixture->b, 0);
  g_autofree char *expected_inbox = ids (fixture->other, 0);
  gint64 revision = 0;

  g_assert_true (desk_store_set_status (fixture->store, fixture->b, DESK_STATUS_IN_REVIEW, "Ed", NULL, &error));
  g_assert_no_error (error);
  in_review = queue_ids (fixture->store, DESK_STATUS_IN_REVIEW);
  inbox = queue_ids (fixture->store, DESK_STATUS_NEW);
  g_assert_cmpstr (in_review, ==, expected_in_review);
  g_assert_cmpstr (inbox, ==, expected_inbox);
  g_assert_cmpint (status_count (fixture->store, DESK_STATUS_NEW), ==, 1);
  g_assert_cmpint (status_count (fixture->store, DESK_STATUS_IN_REVIEW), ==, 1);
  g_assert_cmpint (desk_store_get_story (fixture->store, fixture->a, NULL), ==, fixture->b);
  g_assert_cmpint (desk_store_get_story (fixture->store, fixture->c, NULL), ==, fixture->b);

  /* Rejecting a copy behind the story leaves the story as it is. */
  g_assert_true (desk_store_set_status (fixture->store, fixture->a, DESK_STATUS_REJECTED, "Ed", NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (desk_store_get_story (fixture->store, fixture->a, NULL), ==, fixture->b);
  g_assert_cmpint (status_count (fixture->store, DESK_STATUS_REJECTED), ==, 0);

  /* Editing a copy is working on it. */
  g_assert_true (desk_store_save_revision (fixture->store, fixture->c, NULL, "Edited words.", "Ed", &revision, &error));
  g_assert_no_error (error);
  g_assert_cmpint (revision, >, 0);
  g_assert_cmpint (desk_store_get_story (fixture->store, fixture->b, NULL), ==, fixture->c);
  g_clear_pointer (&inbox, g_free);
  g_clear_pointer (&in_review, g_free);
  inbox = queue_ids (fixture->store, DESK_STATUS_NEW);
  in_review = queue_ids (fixture->store, DESK_STATUS_IN_REVIEW);
  g_assert_cmpstr (in_review, ==, "");
  {
    g_autofree char *expected = ids (fixture->c, fixture->other);

    g_assert_cmpstr (inbox, ==, expected);
  }
}

/* Approving one copy sets the others aside; the story stays one row, in
 * Approved, and Rejected does not fill with its copies. */
static void
test_approving_sets_the_copies_aside (Fixture       *fixture,
                                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *approved = NULL;
  g_autofree char *expected = ids (fixture->c, 0);
  g_autoptr(GPtrArray) copies = NULL;

  g_assert_true (desk_store_set_status (fixture->store, fixture->c, DESK_STATUS_IN_REVIEW, "Ed", NULL, &error));
  g_assert_true (desk_move_release (fixture->store, fixture->c, DESK_STATUS_APPROVED, "Ed", NULL, NULL, &error));
  g_assert_no_error (error);

  approved = queue_ids (fixture->store, DESK_STATUS_APPROVED);
  g_assert_cmpstr (approved, ==, expected);
  g_assert_cmpint (status_count (fixture->store, DESK_STATUS_REJECTED), ==, 0);
  g_assert_cmpint (status_count (fixture->store, DESK_STATUS_NEW), ==, 1);
  copies = desk_store_list_copies (fixture->store, fixture->a, NULL);
  for (guint i = 0; i < copies->len; i++)
    {
      DeskCopy *copy = g_ptr_array_index (copies, i);
      g_autoptr(GPtrArray) events = NULL;

      if (copy->id == fixture->c)
        {
          g_assert_cmpint (copy->status, ==, DESK_STATUS_APPROVED);
          continue;
        }
      g_assert_cmpint (copy->status, ==, DESK_STATUS_REJECTED);
      events = desk_store_list_events (fixture->store, copy->id, NULL);
      g_assert_cmpstr (((DeskEvent *) events->pdata[events->len - 1])->action, ==, "set-aside");
    }

  /* An editor who then edits a copy set aside does not take the
   * approved story out of Approved. */
  g_assert_true (desk_store_save_revision (fixture->store, fixture->a, NULL, "Edited words.", "Ed", NULL, &error));
  g_assert_no_error (error);
  g_clear_pointer (&approved, g_free);
  approved = queue_ids (fixture->store, DESK_STATUS_APPROVED);
  g_assert_cmpstr (approved, ==, expected);
  g_assert_cmpint (desk_store_get_story (fixture->store, fixture->a, NULL), ==, fixture->a);
  g_assert_cmpint (desk_store_get_story (fixture->store, fixture->b, NULL), ==, fixture->a);
  g_assert_cmpint (status_count (fixture->store, DESK_STATUS_REJECTED), ==, 1);
}

static DeskStatus
status_of (DeskStore *store,
           gint64     id)
{
  g_autoptr(DeskRelease) release = desk_store_get_release (store, id, NULL);

  g_assert_nonnull (release);
  return desk_release_get_status (release);
}

/* Undoing the approval puts back the copies it set aside, each where it
 * was; a copy an editor had rejected before stays rejected. */
static void
test_undoing_the_approval_puts_the_copies_back (Fixture       *fixture,
                                                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) events = NULL;

  g_assert_true (desk_store_set_status (fixture->store, fixture->a, DESK_STATUS_IN_REVIEW, "Ed", NULL, &error));
  g_assert_true (desk_store_set_status (fixture->store, fixture->b, DESK_STATUS_REJECTED, "Ed", "a duplicate", &error));
  g_assert_true (desk_store_set_status (fixture->store, fixture->c, DESK_STATUS_IN_REVIEW, "Ed", NULL, &error));
  g_assert_true (desk_move_release (fixture->store, fixture->c, DESK_STATUS_APPROVED, "Ed", NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (status_of (fixture->store, fixture->a), ==, DESK_STATUS_REJECTED);

  g_assert_true (desk_undo_move (fixture->store, fixture->c, "Ed", &error));
  g_assert_no_error (error);
  g_assert_cmpint (status_of (fixture->store, fixture->c), ==, DESK_STATUS_IN_REVIEW);
  g_assert_cmpint (status_of (fixture->store, fixture->a), ==, DESK_STATUS_IN_REVIEW);
  g_assert_cmpint (status_of (fixture->store, fixture->b), ==, DESK_STATUS_REJECTED);
  g_assert_cmpint (status_of (fixture->store, fixture->other), ==, DESK_STATUS_NEW);
  events = desk_store_list_events (fixture->store, fixture->a, NULL);
  g_assert_cmpstr (((DeskEvent *) events->pdata[events->len - 1])->action, ==, "undo");

  /* Approved again, the copy is set aside again, and an undo of a move
   * that was not an approval touches no copy. */
  g_assert_true (desk_move_release (fixture->store, fixture->c, DESK_STATUS_APPROVED, "Ed", NULL, NULL, &error));
  g_assert_cmpint (status_of (fixture->store, fixture->a), ==, DESK_STATUS_REJECTED);
  g_assert_true (desk_undo_move (fixture->store, fixture->c, "Ed", &error));
  g_assert_cmpint (status_of (fixture->store, fixture->a), ==, DESK_STATUS_IN_REVIEW);
  g_assert_true (desk_store_set_status (fixture->store, fixture->c, DESK_STATUS_CHANGES_REQUESTED, "Ed", "check the figures", &error));
  g_assert_true (desk_undo_move (fixture->store, fixture->c, "Ed", &error));
  g_assert_no_error (error);
  g_assert_cmpint (status_of (fixture->store, fixture->a), ==, DESK_STATUS_IN_REVIEW);
  g_assert_cmpint (status_of (fixture->store, fixture->b), ==, DESK_STATUS_REJECTED);
}

/* A store from before: each group stored then gets one story, the copy an
 * editor took furthest. */
static void
test_migration_chooses_the_stories (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("copydesk-copies-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "old.db", NULL);
  gint64 a, other, b, c;

  {
    /* Schema 10, before copies were grouped: upgraded, they are grouped
     * (schema 11) and each group gets its story. */
    g_autoptr(DeskStore) old = desk_store_open_at_version (path, 10, &error);

    g_assert_no_error (error);
    add_copies (old, &a, &other, &b, &c);
    g_assert_true (desk_store_set_status (old, b, DESK_STATUS_IN_REVIEW, "Ed", NULL, &error));
    g_assert_no_error (error);
  }
  {
    g_autoptr(DeskStore) store = desk_store_open (path, &error);
    g_autofree char *all = NULL;
    g_autofree char *expected = NULL;

    g_assert_no_error (error);
    all = queue_ids (store, -1);
    expected = ids (b, other);
    g_assert_cmpstr (all, ==, expected);
    g_assert_cmpint (desk_store_get_story (store, a, NULL), ==, b);
    g_assert_cmpint (desk_store_get_story (store, c, NULL), ==, b);
    g_assert_cmpint (desk_store_get_story (store, other, NULL), ==, other);
  }
  desk_test_remove_tree (dir);
}

static int
count_schema_reads (unsigned  type G_GNUC_UNUSED,
                    void     *data,
                    void     *stmt G_GNUC_UNUSED,
                    void     *sql)
{
  if (strstr (sql, "user_version") != NULL)
    (*(guint *) data)++;
  return 0;
}

/* A store kept at an older schema (bench-copies' import without
 * grouping) is asked its schema once a batch, not twice a release: no
 * other process can migrate it while the batch holds the write lock. */
static void
test_old_schema_is_read_once_a_batch (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp (NULL, &error);
  g_autofree char *path = g_build_filename (dir, "old.db", NULL);
  g_autoptr(DeskStore) old = desk_store_open_at_version (path, 10, &error);
  guint reads = 0;

  g_assert_no_error (error);
  sqlite3_trace_v2 (_desk_store_get_db (old), SQLITE_TRACE_STMT, count_schema_reads, &reads);
  g_assert_true (desk_store_begin_batch (old, &error));
  for (guint i = 0; i < 4; i++)
    {
      g_autofree char *text = g_strdup_printf ("Story %u\n\n%s\n\nSent %u times.", i, body_en, i);

      add_from (old, text, "Wire A");
    }
  g_assert_true (desk_store_commit_batch (old, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (reads, ==, 1);
  /* Nothing grouped: the store has no place for it. */
  g_assert_cmpint (desk_store_get_schema_version (old), ==, 10);
  sqlite3_trace_v2 (_desk_store_get_db (old), 0, NULL, NULL);
  g_clear_object (&old);
  desk_test_remove_tree (dir);
}

/* Schema 15 made copy_bands anew, with other keys than schema 14's: a
 * store upgraded from 14 has its bands made again from the signatures,
 * or a copy sent after the upgrade would not find a story received
 * before it. */
static void
test_migration_makes_the_bands_again (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("copydesk-copies-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "old.db", NULL);
  g_autofree char *first = g_strdup_printf ("Terminal opening delayed\n\n%s\n", body_en);
  g_autofree char *second = g_strdup_printf ("Port terminal to open in June\n\n%s\n\nAbout Wire B\nWire B sends news.\n", body_en);
  gint64 a, other, b;

  {
    g_autoptr(DeskStore) old = desk_store_open_at_version (path, 14, &error);
    sqlite3 *db = NULL;

    g_assert_no_error (error);
    a = add_from (old, first, "Wire A");
    other = add_from (old, other_story, "Wire A");
    g_clear_object (&old);
    /* Schema 14's keys: 16 bands of 63 bits, none of them today's. */
    g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_exec (db, "UPDATE copy_bands SET band = band * 2 + 4611686018427387904",
                                   NULL, NULL, NULL), ==, SQLITE_OK);
    sqlite3_close (db);
  }
  {
    g_autoptr(DeskStore) store = desk_store_open (path, &error);

    g_assert_no_error (error);
    g_assert_cmpint (desk_store_get_schema_version (store), ==, DESK_STORE_SCHEMA_VERSION);
    b = add_from (store, second, "Wire B");
    g_assert_cmpint (desk_store_get_story (store, b, NULL), ==, a);
    g_assert_cmpint (desk_store_count_copies (store, a, NULL), ==, 2);
    g_assert_cmpint (desk_store_count_copies (store, other, NULL), ==, 1);
  }
  g_assert_cmpint (desk_test_sql_int (path, "SELECT count(*) FROM copy_bands WHERE band >= 2147483648"), ==, 0);
  desk_test_remove_tree (dir);
}

/* The queue and its count read the partial indexes, not the table: a
 * queue of a million releases costs what it did before. */
static void
test_queues_read_their_indexes (Fixture       *fixture,
                                gconstpointer  data)
{
  static const struct {
    const char *sql;
    const char *index;
  } plans[] = {
    { "SELECT r.id, r.headline, r.source, r.language, r.status, r.received_at, r.sponsored, r.verdict,"
      " r.score, r.decision FROM releases r WHERE r.copy_of IS NULL"
      " ORDER BY r.received_at DESC, r.id DESC LIMIT 50", "COVERING INDEX releases_listed" },
    { "SELECT r.id FROM releases r WHERE r.status = 'new' AND r.copy_of IS NULL"
      " ORDER BY r.received_at DESC, r.id DESC LIMIT 50", "INDEX releases_by_status" },
    { "SELECT count(*) FROM releases r WHERE r.status = 'new' AND r.copy_of IS NULL", "COVERING INDEX releases_by_status" },
    { "SELECT status, count(*) FROM releases WHERE copy_of IS NULL GROUP BY status", "COVERING INDEX releases_by_status" },
    { "SELECT r.id FROM releases r WHERE r.sponsored = 1 AND r.copy_of IS NULL"
      " ORDER BY r.received_at DESC, r.id DESC LIMIT 50", "releases_sponsored_queue" },
  };
  sqlite3 *db = NULL;

  sqlite3_open_v2 (fixture->path, &db, SQLITE_OPEN_READONLY, NULL);
  for (gsize i = 0; i < G_N_ELEMENTS (plans); i++)
    {
      sqlite3_stmt *stmt = NULL;
      g_autoptr(GString) plan = g_string_new (NULL);

      g_autofree char *explain = g_strconcat ("EXPLAIN QUERY PLAN ", plans[i].sql, NULL);

      g_assert_cmpint (sqlite3_prepare_v2 (db, explain, -1, &stmt, NULL), ==, SQLITE_OK);
      g_string_append_printf (plan, "%s: ", plans[i].sql);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        g_string_append_printf (plan, "%s\n", sqlite3_column_text (stmt, 3));
      sqlite3_finalize (stmt);
      g_test_message ("%s", plan->str);
      g_assert_nonnull (strstr (plan->str, plans[i].index));
      g_assert_null (strstr (plan->str, "TEMP B-TREE"));
    }
  sqlite3_close (db);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/copies/queue-shows-a-story-once", Fixture, NULL, fixture_set_up,
              test_queue_shows_a_story_once, fixture_tear_down);
  g_test_add ("/copies/the-copy-worked-on-stands-for-the-story", Fixture, NULL, fixture_set_up,
              test_the_copy_worked_on_stands_for_the_story, fixture_tear_down);
  g_test_add ("/copies/approving-one-sets-the-others-aside", Fixture, NULL, fixture_set_up,
              test_approving_sets_the_copies_aside, fixture_tear_down);
  g_test_add ("/copies/queues-read-their-indexes", Fixture, NULL, fixture_set_up,
              test_queues_read_their_indexes, fixture_tear_down);
  g_test_add ("/copies/undoing-the-approval-puts-the-copies-back", Fixture, NULL, fixture_set_up,
              test_undoing_the_approval_puts_the_copies_back, fixture_tear_down);
  g_test_add_func ("/copies/migration-chooses-the-stories", test_migration_chooses_the_stories);
  g_test_add_func ("/copies/migration-makes-the-bands-again", test_migration_makes_the_bands_again);
  g_test_add_func ("/copies/old-schema-is-read-once-a-batch", test_old_schema_is_read_once_a_batch);

  return g_test_run ();
}
