/* bench-backup.c — what following other processes and a backup cost on a
 * store of a million releases
 *
 *  - one look at PRAGMA data_version, as the window takes every 400 ms
 *    (target: under 50 µs, so an idle window costs nothing measurable);
 *  - what the window then reads when something did change: the first page
 *    of the Inbox, and the counts of every queue (on a thread);
 *  - a backup of the whole store, and the longest a writer in another
 *    connection waited for a commit meanwhile, beside the same writer
 *    alone (target: under 100 ms: the backup does not hold writers off;
 *    what remains is the disk, busy writing the copy).
 * Figures are printed; it fails only if something does not work.
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdio.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "desk-detector.h"
#include "desk-release-list.h"
#include "desk-store.h"

static void
fill (const char *path,
      guint       n)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskStore) store = desk_store_open (path, &error);
  g_autofree char *sql = NULL;
  const char *hash = desk_detector_get_rules_hash (desk_detector_get_default ());
  sqlite3 *db = NULL;
  char *message = NULL;

  g_assert_no_error (error);
  g_clear_object (&store);
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  sql = g_strdup_printf (
    "BEGIN;"
    "INSERT OR IGNORE INTO sponsor_rules (hash) VALUES ('%s');"
    "WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %u)"
    " INSERT INTO releases (source, received_at, content_hash, original, original_headline, headline,"
    "   language, status, updated_at, structure, rules_version)"
    " SELECT 'SeaPRwire', 1700000000000000 + i * 1000000, printf ('%%064x', i),"
    "   printf ('Rilis nomor %%d tentang pembicaraan Rusia-AS\nPutaran berikutnya akan berlangsung di Istanbul.\n"
    "Kedua negara telah mengadakan beberapa putaran pertemuan tingkat tinggi. Kode %%d.', i, i),"
    "   printf ('Rilis nomor %%d tentang pembicaraan Rusia-AS', i),"
    "   printf ('Rilis nomor %%d tentang pembicaraan Rusia-AS', i),"
    "   'id', CASE i %% 10 WHEN 0 THEN 'approved' WHEN 1 THEN 'in_review' WHEN 2 THEN 'published'"
    "     WHEN 3 THEN 'rejected' ELSE 'new' END, 1700000000000000 + i * 1000000, '1,0,44',"
    "   (SELECT id FROM sponsor_rules WHERE hash = '%s')"
    " FROM n;"
    "COMMIT;", hash, n, hash);
  sqlite3_exec (db, sql, NULL, NULL, &message);
  if (message != NULL)
    g_error ("%s", message);
  sqlite3_exec (db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL);
  sqlite3_close (db);
}

typedef struct {
  const char    *path;
  gint64         id;      /* a release in review */
  volatile gint  stop;
  gint64         max_wait_us;
  guint          commits;
} Writer;

/* Another connection moving releases back and forth, as an editor at
 * another window would, as fast as it can. */
static gpointer
writer_thread (gpointer data)
{
  Writer *writer = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskStore) store = desk_store_open (writer->path, &error);
  gint64 id = writer->id;

  g_assert_no_error (error);
  while (!g_atomic_int_get (&writer->stop))
    {
      gint64 start = g_get_monotonic_time ();
      DeskStatus to = writer->commits % 2 == 0 ? DESK_STATUS_CHANGES_REQUESTED : DESK_STATUS_IN_REVIEW;
      gint64 waited;

      if (!desk_store_set_status (store, id, to, "Bench", NULL, &error))
        g_error ("writer: %s", error->message);
      waited = g_get_monotonic_time () - start;
      writer->max_wait_us = MAX (writer->max_wait_us, waited);
      writer->commits++;
      g_usleep (2000);
    }
  return NULL;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static const char *
verdict (gboolean met)
{
  return met ? "met" : "NOT MET";
}

int
main (int    argc,
      char **argv)
{
  const char *n_env = g_getenv ("COPYDESK_BENCH_MILLION");
  guint million = n_env != NULL ? (guint) g_ascii_strtoull (n_env, NULL, 10) : 1000000;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *backup = NULL;
  g_autoptr(DeskStore) store = NULL;
  g_autoptr(DeskStore) other = NULL;
  double polls[21];
  gint64 t;

  g_test_init (&argc, &argv, NULL);
  dir = g_dir_make_tmp ("copydesk-bench-backup-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, "million.db", NULL);
  backup = g_build_filename (dir, "backup.db", NULL);

  t = g_get_monotonic_time ();
  fill (path, million);
  printf ("# filled a store of %u releases in %.1f s\n", million, (g_get_monotonic_time () - t) / 1e6);

  store = desk_store_open (path, &error);
  g_assert_no_error (error);
  other = desk_store_open (path, &error);
  g_assert_no_error (error);

  /* The idle window's look, 21 rounds of 10,000; the median round. */
  for (guint round = 0; round < G_N_ELEMENTS (polls); round++)
    {
      gint64 version = desk_store_get_data_version (store);

      t = g_get_monotonic_time ();
      for (guint i = 0; i < 10000; i++)
        g_assert_cmpint (desk_store_get_data_version (store), ==, version);
      polls[round] = (g_get_monotonic_time () - t) / 10000.0;
    }
  qsort (polls, G_N_ELEMENTS (polls), sizeof (double), compare_doubles);
  printf ("# one look at data_version with nothing changed, %u releases: %.2f µs (target < 50 µs): %s\n",
          million, polls[G_N_ELEMENTS (polls) / 2], verdict (polls[G_N_ELEMENTS (polls) / 2] < 50));

  /* And after another connection wrote. */
  {
    gint64 before = desk_store_get_data_version (store);
    double look_us;

    g_assert_true (desk_store_set_status (other, 5, DESK_STATUS_IN_REVIEW, "Bench", NULL, NULL));
    t = g_get_monotonic_time ();
    g_assert_cmpint (desk_store_get_data_version (store), !=, before);
    look_us = (double) (g_get_monotonic_time () - t);
    printf ("# one look at data_version after another connection wrote: %.0f µs\n", look_us);
  }

  /* What the window reads when something changed: the Inbox's first page
   * (on the main thread), the counts (on a thread of their own). */
  {
    g_autoptr(DeskReleaseList) inbox = desk_release_list_new_full (store, DESK_STATUS_NEW, TRUE);
    gint64 counts[DESK_N_STATUSES];
    DeskQuery sponsored = DESK_QUERY_INIT;

    t = g_get_monotonic_time ();
    desk_release_list_reload (inbox);
    printf ("# reading the Inbox's first page again: %.2f ms\n", (g_get_monotonic_time () - t) / 1000.0);

    t = g_get_monotonic_time ();
    g_assert_cmpint (desk_store_count_releases (other, &(DeskQuery) { DESK_STATUS_NEW, NULL, 0, 0, FALSE }, NULL), >, 0);
    printf ("# counting the Inbox for the list (off the main thread): %.0f ms\n", (g_get_monotonic_time () - t) / 1000.0);

    t = g_get_monotonic_time ();
    g_assert_true (desk_store_count_by_status (other, counts, NULL));
    sponsored.sponsored_only = TRUE;
    g_assert_cmpint (desk_store_count_releases (other, &sponsored, NULL), >=, 0);
    printf ("# counting every queue (off the main thread): %.0f ms\n", (g_get_monotonic_time () - t) / 1000.0);
  }

  /* The same writer alone for as long, then beside a backup. */
  {
    Writer writer = { path, 5, 0, 0, 0 };
    Writer alone = { path, 15, 0, 0, 0 };
    GThread *thread;
    GStatBuf st;
    gint64 took;
    guint before;

    g_assert_true (desk_store_set_status (other, 15, DESK_STATUS_IN_REVIEW, "Bench", NULL, NULL));
    thread = g_thread_new ("writer", writer_thread, &writer);
    g_usleep (100000);
    before = writer.commits;
    writer.max_wait_us = 0;
    t = g_get_monotonic_time ();
    g_assert_true (desk_store_backup (store, backup, NULL, NULL, NULL, &error));
    g_assert_no_error (error);
    took = g_get_monotonic_time () - t;
    g_atomic_int_set (&writer.stop, 1);
    g_thread_join (thread);
    g_assert_cmpint (g_stat (backup, &st), ==, 0);

    thread = g_thread_new ("writer", writer_thread, &alone);
    g_usleep (took);
    g_atomic_int_set (&alone.stop, 1);
    g_thread_join (thread);

    printf ("# backup of %u releases (%.0f MB): %.1f s, checked and in place\n",
            million, st.st_size / 1048576.0, took / 1e6);
    printf ("# meanwhile another connection committed %u changes, the longest wait %.1f ms;"
            " alone for as long: %u changes, the longest wait %.1f ms\n",
            writer.commits - before, writer.max_wait_us / 1000.0, alone.commits, alone.max_wait_us / 1000.0);
    printf ("# writers are not held off by the backup (longest wait < 100 ms): %s\n",
            verdict (writer.max_wait_us < 100000));
  }

  g_clear_object (&store);
  g_clear_object (&other);
  if (g_getenv ("COPYDESK_BENCH_KEEP") == NULL)
    {
      const char *files[] = { "million.db", "million.db-wal", "million.db-shm", "backup.db" };

      for (gsize i = 0; i < G_N_ELEMENTS (files); i++)
        {
          g_autofree char *file = g_build_filename (dir, files[i], NULL);
          g_unlink (file);
        }
      g_rmdir (dir);
    }
  else
    printf ("# stores kept in %s\n", dir);

  printf ("1..1\nok 1 /benchmark/backup\n");
  return 0;
}
