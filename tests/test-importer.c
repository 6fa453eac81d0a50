/* test-importer.c — importing files and folders, good and bad
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <glib/gstdio.h>
#include <gio/gunixsocketaddress.h>
#include <sqlite3.h>

#include "desk-test-util.h"
#include "desk-error.h"
#include "desk-file.h"
#include "desk-importer.h"
#include "desk-store-private.h"

typedef struct {
  char      *dir;
  char      *inbox;
  char      *db_path;
  DeskStore *store;
  char      *seed;
  gsize      seed_len;
} Fixture;

static void
write_file (const char *path,
            const char *data,
            gssize      len)
{
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, data, len, &error);
  g_assert_no_error (error);
}

static char *
inbox_path (Fixture    *fixture,
            const char *name)
{
  return g_build_filename (fixture->inbox, name, NULL);
}

static void
write_inbox_file (Fixture    *fixture,
                  const char *name,
                  const char *data,
                  gssize      len)
{
  g_autofree char *path = inbox_path (fixture, name);

  write_file (path, data, len);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *seed_path = g_test_build_filename (G_TEST_DIST, "fixtures", "seaprwire-id-moskow-konfirmasi.txt", NULL);

  fixture->dir = g_dir_make_tmp ("copydesk-import-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->inbox = g_build_filename (fixture->dir, "inbox", NULL);
  g_mkdir (fixture->inbox, 0700);
  fixture->db_path = g_build_filename (fixture->dir, "desk.db", NULL);
  fixture->store = desk_store_open (fixture->db_path, &error);
  g_assert_no_error (error);
  g_file_get_contents (seed_path, &fixture->seed, &fixture->seed_len, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->store);
  desk_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->inbox);
  g_free (fixture->db_path);
  g_free (fixture->seed);
}

static const DeskImportItem *
find_item (DeskImportReport *report,
           const char       *basename)
{
  for (guint i = 0; i < report->items->len; i++)
    {
      const DeskImportItem *item = g_ptr_array_index (report->items, i);
      g_autofree char *name = g_path_get_basename (item->path);

      if (g_str_equal (name, basename))
        return item;
    }
  g_error ("no report for %s", basename);
  return NULL;
}

static gint64
count_rows (Fixture    *fixture,
            const char *table)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM %s", table);

  return desk_test_sql_int (fixture->db_path, sql);
}

static void
test_seed_file_is_imported (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autofree char *path = inbox_path (fixture, "seed.txt");
  g_autoptr(DeskImportItem) item = NULL;
  g_autoptr(DeskRelease) release = NULL;
  g_autofree char *canonical = NULL;

  write_file (path, fixture->seed, (gssize) fixture->seed_len);
  item = desk_import_file (fixture->store, path, "Ed");
  g_assert_cmpint (item->outcome, ==, DESK_IMPORT_IMPORTED);
  g_assert_cmpint (item->release_id, >, 0);
  g_assert_null (item->message);

  release = desk_store_get_release (fixture->store, item->release_id, NULL);
  canonical = g_canonicalize_filename (path, NULL);
  g_assert_cmpstr (desk_release_get_source_path (release), ==, canonical);
  g_assert_cmpstr (desk_release_get_headline (release), ==, "Moskow konfirmasi pembicaraan baru Rusia-AS");
}

static void
test_second_import_reports_the_release_already_queued (Fixture       *fixture,
                                                       gconstpointer  data)
{
  g_autofree char *a = inbox_path (fixture, "a.txt");
  g_autofree char *b = inbox_path (fixture, "b-crlf.txt");
  g_auto(GStrv) lines = g_strsplit (fixture->seed, "\n", -1);
  g_autofree char *crlf = g_strjoinv ("\r\n", lines);
  g_autoptr(DeskImportItem) first = NULL;
  g_autoptr(DeskImportItem) second = NULL;
  g_autoptr(DeskImportItem) third = NULL;
  g_autofree char *expected = NULL;

  write_file (a, fixture->seed, (gssize) fixture->seed_len);
  write_file (b, crlf, -1);

  first = desk_import_file (fixture->store, a, "Ed");
  second = desk_import_file (fixture->store, a, "Ed");
  third = desk_import_file (fixture->store, b, "Ed");

  expected = g_strdup_printf ("already in the queue as #%" G_GINT64_FORMAT, first->release_id);
  g_assert_cmpint (second->outcome, ==, DESK_IMPORT_DUPLICATE);
  g_assert_cmpint (second->release_id, ==, first->release_id);
  g_assert_cmpstr (second->message, ==, expected);
  g_assert_cmpint (third->outcome, ==, DESK_IMPORT_DUPLICATE);
  g_assert_cmpint (count_rows (fixture, "releases"), ==, 1);
}

/* A folder as an editor's downloads look: good releases among bad files. */
static void
test_folder_of_mixed_files_imports_the_good_and_names_the_bad (Fixture       *fixture,
                                                               gconstpointer  data)
{
  g_autoptr(DeskImportReport) report = NULL;
  g_autofree char *sub = inbox_path (fixture, "minggu-lalu");
  g_autofree char *nested = g_build_filename (sub, "nested.md", NULL);
  g_autofree char *big = inbox_path (fixture, "huge.txt");
  g_autofree char *dangling = inbox_path (fixture, "gone.txt");
  g_autofree char *bad_utf8 = inbox_path (fixture, "latin1.txt");
  const char *paths[2] = { fixture->inbox, NULL };
  const DeskImportItem *item;
  int fd;

  write_inbox_file (fixture, "01-seed.txt", fixture->seed, (gssize) fixture->seed_len);
  write_inbox_file (fixture, "02-banjir.md", "# Banjir di Bekasi\n\nRibuan warga mengungsi.\n", -1);
  write_inbox_file (fixture, "empty.txt", "", 0);
  write_inbox_file (fixture, "photo.txt", "\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16);
  write_file (bad_utf8, "Judul\nKafe di Bandung menjual caf\xE9\x81 au lait.\n", -1);
  write_inbox_file (fixture, "brochure.pdf", "%PDF-1.4", -1);
  write_inbox_file (fixture, ".hidden.txt", "Hidden\nNot for import.", -1);
  g_mkdir (sub, 0700);
  write_file (nested, "Pasar saham menguat\n\nIHSG naik 1 persen.\n", -1);

  /* Over the 10 MB limit: a sparse file, refused before it is read. */
  fd = g_open (big, O_WRONLY | O_CREAT, 0600);
  g_assert_cmpint (ftruncate (fd, DESK_IMPORT_MAX_BYTES + 1), ==, 0);
  close (fd);

  g_assert_cmpint (symlink ("/nonexistent/copydesk/release.txt", dangling), ==, 0);

  report = desk_import_paths (fixture->store, paths, "Ed", NULL, NULL, NULL);

  g_assert_cmpuint (report->imported, ==, 3);
  g_assert_cmpuint (report->duplicates, ==, 0);
  g_assert_cmpuint (report->failed, ==, 6);
  g_assert_cmpuint (report->items->len, ==, 9);

  item = find_item (report, "empty.txt");
  g_assert_cmpint (item->outcome, ==, DESK_IMPORT_FAILED);
  g_assert_cmpstr (item->message, ==, "the file is empty");
  g_assert_true (g_str_has_prefix (item->path, fixture->inbox));

  item = find_item (report, "photo.txt");
  g_assert_cmpstr (item->message, ==, "the file is binary, not text");

  item = find_item (report, "latin1.txt");
  g_assert_cmpstr (item->message, ==, "line 2 is not valid UTF-8 (byte offset 33)");
  g_assert_cmpstr (item->path, ==, bad_utf8);

  item = find_item (report, "huge.txt");
  g_assert_cmpstr (item->message, ==, "the file is 10.0 MB; Copydesk imports releases of up to 10 MB");

  item = find_item (report, "brochure.pdf");
  g_assert_cmpstr (item->message, ==, "not a release file: Copydesk imports .txt, .md, .eml, .mbox, ninjs .json and NewsML-G2 .xml files");

  item = find_item (report, "gone.txt");
  g_assert_cmpstr (item->message, ==, "a link to something that is not there");

  g_assert_cmpint (find_item (report, "01-seed.txt")->outcome, ==, DESK_IMPORT_IMPORTED);
  g_assert_cmpint (find_item (report, "02-banjir.md")->outcome, ==, DESK_IMPORT_IMPORTED);
  g_assert_cmpint (find_item (report, "nested.md")->outcome, ==, DESK_IMPORT_IMPORTED);

  /* Only the good ones are stored, each whole. */
  g_assert_cmpint (count_rows (fixture, "releases"), ==, 3);
  g_assert_cmpint (count_rows (fixture, "events"), ==, 3);
}

static void
test_unreadable_paths_are_named_with_the_reason (Fixture       *fixture,
                                                 gconstpointer  data)
{
  g_autofree char *missing = inbox_path (fixture, "missing.txt");
  g_autofree char *file = inbox_path (fixture, "seed.txt");
  g_autofree char *under_file = g_build_filename (file, "inner.txt", NULL);
  g_autofree char *locked = inbox_path (fixture, "locked.txt");
  const char *paths[] = { missing, under_file, NULL };
  g_autoptr(DeskImportReport) report = NULL;

  write_file (file, fixture->seed, (gssize) fixture->seed_len);
  report = desk_import_paths (fixture->store, paths, "Ed", NULL, NULL, NULL);

  g_assert_cmpuint (report->failed, ==, 2);
  g_assert_cmpstr (((DeskImportItem *) report->items->pdata[0])->path, ==, missing);
  g_assert_cmpstr (((DeskImportItem *) report->items->pdata[0])->message, ==, "cannot be read: No such file or directory");
  g_assert_cmpstr (((DeskImportItem *) report->items->pdata[1])->path, ==, under_file);
  g_assert_cmpstr (((DeskImportItem *) report->items->pdata[1])->message, ==, "cannot be read: Not a directory");

  /* Permissions do not stop root, so this part needs an ordinary user. */
  write_file (locked, fixture->seed, (gssize) fixture->seed_len);
  g_chmod (locked, 0000);
  if (access (locked, R_OK) != 0)
    {
      g_autoptr(DeskImportItem) item = desk_import_file (fixture->store, locked, "Ed");

      g_assert_cmpint (item->outcome, ==, DESK_IMPORT_FAILED);
      g_assert_cmpstr (item->message, ==, "cannot be read: Permission denied");
    }
  g_assert_cmpint (count_rows (fixture, "releases"), ==, 0);
}

/* When storing fails halfway through a release, nothing of it remains and
 * the next file still goes in. */
static void
test_failure_mid_release_leaves_nothing_half_written (Fixture       *fixture,
                                                      gconstpointer  data)
{
  g_autofree char *boom = inbox_path (fixture, "a-boom.txt");
  g_autofree char *fine = inbox_path (fixture, "b-fine.txt");
  const char *paths[] = { boom, fine, NULL };
  g_autoptr(DeskImportReport) report = NULL;
  sqlite3 *db = NULL;

  /* The tags are written last: fail there, after the release row, its
   * structure and its FTS entry have gone in. */
  sqlite3_open (fixture->db_path, &db);
  g_assert_cmpint (sqlite3_exec (db,
                                 "CREATE TRIGGER fail_on_boom BEFORE INSERT ON release_tags"
                                 " WHEN new.tag = 'Boom' BEGIN SELECT raise (ABORT, 'disk full'); END;",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  write_file (boom, "Ledakan\nIsi berita.\nIsi kedua.\nSektor: Berita, Boom\n", -1);
  write_file (fine, "Tenang\nIsi berita tenang.\nSektor: Berita\n", -1);
  report = desk_import_paths (fixture->store, paths, "Ed", NULL, NULL, NULL);

  g_assert_cmpuint (report->imported, ==, 1);
  g_assert_cmpuint (report->failed, ==, 1);
  g_assert_nonnull (strstr (((DeskImportItem *) report->items->pdata[0])->message, "disk full"));

  g_assert_cmpint (count_rows (fixture, "releases"), ==, 1);
  g_assert_cmpint (count_rows (fixture, "release_tags WHERE release_id NOT IN (SELECT id FROM releases)"), ==, 0);
  g_assert_cmpint (count_rows (fixture, "release_tags"), ==, 1);
  g_assert_cmpint (count_rows (fixture, "events"), ==, 1);
  {
    DeskQuery query = DESK_QUERY_INIT;

    query.search = "Ledakan";
    g_assert_cmpint (desk_store_count_releases (fixture->store, &query, NULL), ==, 0);
    query.search = "tenang";
    g_assert_cmpint (desk_store_count_releases (fixture->store, &query, NULL), ==, 1);
  }
}

static void
progress_cb (guint    done,
             guint    total,
             gpointer user_data)
{
  GArray *calls = user_data;
  guint pair[2] = { done, total };

  g_array_append_vals (calls, pair, 2);
}

static void
test_import_reports_progress_and_stops_when_cancelled (Fixture       *fixture,
                                                       gconstpointer  data)
{
  const char *paths[2] = { fixture->inbox, NULL };
  g_autoptr(GArray) calls = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(DeskImportReport) report = NULL;
  g_autoptr(DeskImportReport) cancelled = NULL;

  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *name = g_strdup_printf ("%u.txt", i);
      g_autofree char *path = inbox_path (fixture, name);
      g_autofree char *text = g_strdup_printf ("Rilis %u\nIsi rilis %u.", i, i);

      write_file (path, text, -1);
    }

  report = desk_import_paths (fixture->store, paths, "Ed", NULL, progress_cb, calls);
  g_assert_cmpuint (report->imported, ==, 5);
  g_assert_cmpuint (calls->len, ==, 10);
  g_assert_cmpuint (g_array_index (calls, guint, 8), ==, 5);
  g_assert_cmpuint (g_array_index (calls, guint, 9), ==, 5);

  g_cancellable_cancel (cancellable);
  cancelled = desk_import_paths (fixture->store, paths, "Ed", cancellable, NULL, NULL);
  g_assert_cmpuint (cancelled->items->len, ==, 0);
}

/* Detection runs on the reading thread and is stored with each release,
 * the rules it used recorded, so nothing is left stale. */
static void
test_folder_import_stores_each_verdict (Fixture       *fixture,
                                        gconstpointer  data)
{
  g_autoptr(DeskImportReport) report = NULL;
  g_autoptr(GError) error = NULL;
  DeskQuery query = DESK_QUERY_INIT;
  const char *paths[2] = { fixture->inbox, NULL };
  g_autoptr(GPtrArray) queue = NULL;

  write_inbox_file (fixture, "01-seed.txt", fixture->seed, (gssize) fixture->seed_len);
  write_inbox_file (fixture, "02-banjir.txt", "Banjir di Bekasi\nRibuan warga mengungsi setelah hujan deras.\n", -1);
  write_inbox_file (fixture, "03-iklan.txt", "Konten Bersponsor: Rumah murah di Bekasi\nCicilan ringan tanpa uang muka.\n", -1);

  report = desk_import_paths (fixture->store, paths, "Ed", NULL, NULL, NULL);
  g_assert_cmpuint (report->imported, ==, 3);

  query.sponsored_only = TRUE;
  queue = desk_store_list_releases (fixture->store, &query, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (queue->len, ==, 2);
  for (guint i = 0; i < queue->len; i++)
    {
      DeskRelease *release = g_ptr_array_index (queue, i);

      if (g_str_has_prefix (desk_release_get_headline (release), "Moskow"))
        g_assert_cmpint (desk_release_get_verdict (release), ==, DESK_VERDICT_THIRD_PARTY);
      else
        g_assert_cmpint (desk_release_get_verdict (release), ==, DESK_VERDICT_SPONSORED);
    }
  g_assert_cmpint (desk_store_count_stale (fixture->store, &error), ==, 0);
}

/* Named pipes, devices, sockets and folders are refused by name, without
 * blocking on the pipe and without reading the device: an import of them
 * ends, where it used to wait for a writer for ever. */
static void
test_special_files_are_refused_by_kind_without_blocking (Fixture       *fixture,
                                                         gconstpointer  data)
{
  g_autofree char *fifo = inbox_path (fixture, "f.txt");
  g_autofree char *socket_path = inbox_path (fixture, "s.txt");
  g_autofree char *good = inbox_path (fixture, "good.txt");
  g_autoptr(GSocketAddress) address = g_unix_socket_address_new (socket_path);
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GError) error = NULL;
  const char *top[] = { fifo, "/dev/zero", fixture->inbox, NULL };
  g_autoptr(DeskImportReport) report = NULL;
  g_autofree char *text = NULL;
  gsize len = 0;

  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  socket = g_socket_new (G_SOCKET_FAMILY_UNIX, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_DEFAULT, &error);
  g_assert_no_error (error);
  g_socket_bind (socket, address, FALSE, &error);
  g_assert_no_error (error);
  write_file (good, "Pasar saham menguat\n\nIHSG naik 1 persen.\n", -1);

  report = desk_import_paths (fixture->store, top, "Ed", NULL, NULL, NULL);

  /* The pipe named itself, the device, then from the folder the pipe
   * and the socket (reported as the folder is walked) and the good file. */
  g_assert_cmpuint (report->imported, ==, 1);
  g_assert_cmpuint (report->failed, ==, 4);
  for (guint i = 0; i < report->items->len; i++)
    {
      const DeskImportItem *item = g_ptr_array_index (report->items, i);

      if (item->outcome == DESK_IMPORT_IMPORTED)
        g_assert_cmpstr (item->path, ==, good);
      else if (g_str_equal (item->path, "/dev/zero"))
        g_assert_cmpstr (item->message, ==, "a device, not a file");
      else if (g_str_has_suffix (item->path, "/f.txt"))
        g_assert_cmpstr (item->message, ==, "a named pipe, not a file");
      else
        {
          g_assert_cmpstr (item->path, ==, socket_path);
          g_assert_cmpstr (item->message, ==, "a socket, not a file");
        }
    }

  /* The one function the CLI's edit --from-file reads with, too. */
  text = desk_file_read_regular (fixture->inbox, 100, &len, &error);
  g_assert_error (error, DESK_ERROR, DESK_ERROR_INVALID_INPUT);
  g_assert_cmpstr (error->message, ==, "a folder, not a file");
  g_assert_null (text);
  g_clear_error (&error);

  /* A stream is read no further than the cap and one byte. */
  {
    int fd = g_open ("/dev/zero", O_RDONLY, 0);

    text = desk_file_read_fd (fd, 1000, &len, &error);
    close (fd);
    g_assert_error (error, DESK_ERROR, DESK_ERROR_TOO_LARGE);
    g_assert_null (text);
    g_clear_error (&error);
  }

  g_assert_cmpint (count_rows (fixture, "releases"), ==, 1);
}

/* "ln -s . x" inside a folder made the walk run for ever: each folder is
 * now read once, known by its device and inode, a link back to one is
 * reported once as itself, and links to files are followed. */
static void
test_folder_walk_reads_each_folder_once_and_names_each_loop (Fixture       *fixture,
                                                             gconstpointer  data)
{
  g_autofree char *sub = inbox_path (fixture, "sub");
  g_autofree char *nested = g_build_filename (sub, "b.txt", NULL);
  g_autofree char *up = g_build_filename (sub, "up", NULL);
  g_autofree char *self_x = inbox_path (fixture, "x");
  g_autofree char *self_y = inbox_path (fixture, "y");
  g_autofree char *file_link = inbox_path (fixture, "c.txt");
  g_autofree char *self_file = inbox_path (fixture, "self.txt");
  const char *paths[] = { fixture->inbox, NULL };
  g_autoptr(DeskImportReport) report = NULL;
  guint loops = 0;

  write_inbox_file (fixture, "a.txt", "H\n\nB\n", -1);
  g_mkdir (sub, 0700);
  write_file (nested, "Pasar saham menguat\n\nIHSG naik 1 persen.\n", -1);
  g_assert_cmpint (symlink (".", self_x), ==, 0);
  g_assert_cmpint (symlink (".", self_y), ==, 0);
  g_assert_cmpint (symlink ("..", up), ==, 0);
  g_assert_cmpint (symlink ("sub/b.txt", file_link), ==, 0);
  g_assert_cmpint (symlink ("self.txt", self_file), ==, 0);

  report = desk_import_paths (fixture->store, paths, "Ed", NULL, NULL, NULL);

  g_assert_cmpuint (report->imported, ==, 2);
  /* c.txt is followed to sub/b.txt, which then is in the queue already. */
  g_assert_cmpuint (report->duplicates, ==, 1);
  g_assert_cmpint (find_item (report, "c.txt")->outcome, ==, DESK_IMPORT_IMPORTED);
  g_assert_cmpint (find_item (report, "b.txt")->outcome, ==, DESK_IMPORT_DUPLICATE);
  g_assert_cmpstr (find_item (report, "self.txt")->message, ==, "a link that leads back to itself");
  for (guint i = 0; i < report->items->len; i++)
    {
      const DeskImportItem *item = g_ptr_array_index (report->items, i);

      if (item->outcome != DESK_IMPORT_FAILED || g_str_has_suffix (item->path, "self.txt"))
        continue;
      g_assert_true (g_str_equal (item->path, self_x) || g_str_equal (item->path, self_y) ||
                     g_str_equal (item->path, up));
      g_assert_true (g_str_has_prefix (item->message, "a link to the folder "));
      loops++;
    }
  g_assert_cmpuint (loops, ==, 3);
  g_assert_cmpuint (report->failed, ==, 4);
  g_assert_cmpuint (report->items->len, ==, 7);
  g_assert_cmpint (count_rows (fixture, "releases"), ==, 2);
}

/* A full disk used to be tried again for every remaining file, and the
 * message named no database: the import now stops at the first "full",
 * and says how many were stored and how many were not tried.  The disk
 * is made full with SQLite's own page limit. */
static void
test_full_disk_stops_the_import_and_counts_what_was_not_tried (Fixture       *fixture,
                                                               gconstpointer  data)
{
  const char *paths[] = { fixture->inbox, NULL };
  g_autoptr(DeskImportReport) report = NULL;
  g_autofree char *limit = NULL;
  sqlite3 *db = _desk_store_get_db (fixture->store);
  sqlite3_stmt *stmt = NULL;
  gint64 pages;
  guint full = 0;

  for (guint i = 0; i < 200; i++)
    {
      g_autofree char *name = g_strdup_printf ("%03u.txt", i);
      g_autoptr(GString) text = g_string_new (NULL);

      g_string_append_printf (text, "Berita nomor %u\n\n", i);
      for (guint j = 0; j < 200; j++)
        g_string_append_printf (text, "Kalimat %u dari berita %u tentang harga beras. ", j, i);
      write_inbox_file (fixture, name, text->str, (gssize) text->len);
    }

  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA page_count", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  pages = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  limit = g_strdup_printf ("PRAGMA max_page_count = %" G_GINT64_FORMAT, pages + 60);
  g_assert_cmpint (sqlite3_exec (db, limit, NULL, NULL, NULL), ==, SQLITE_OK);

  report = desk_import_paths (fixture->store, paths, "Ed", NULL, NULL, NULL);

  g_assert_nonnull (report->stopped);
  g_assert_nonnull (strstr (report->stopped, "is full"));
  g_assert_nonnull (strstr (report->stopped, "desk.db"));
  g_assert_cmpuint (report->imported, >, 0);
  g_assert_cmpuint (report->imported, <, 200);
  /* One release found the disk full; none after it was tried. */
  g_assert_cmpuint (report->failed, ==, 1);
  g_assert_cmpuint (report->imported + report->failed + report->not_tried, ==, 200);
  for (guint i = 0; i < report->items->len; i++)
    {
      const DeskImportItem *item = g_ptr_array_index (report->items, i);

      if (item->outcome == DESK_IMPORT_FAILED)
        {
          g_assert_nonnull (strstr (item->message, "is full"));
          full++;
        }
    }
  g_assert_cmpuint (full, ==, 1);

  /* What was stored is whole, and the store takes more once there is room. */
  g_assert_cmpint (count_rows (fixture, "releases"), ==, report->imported);
  g_assert_cmpint (count_rows (fixture, "events"), ==, report->imported);
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA max_page_count = 1073741823", NULL, NULL, NULL), ==, SQLITE_OK);
  {
    g_autoptr(DeskImportReport) again = desk_import_paths (fixture->store, paths, "Ed", NULL, NULL, NULL);

    g_assert_null (again->stopped);
    g_assert_cmpuint (again->imported + again->duplicates, ==, 200);
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/import/seed-file-is-imported", test_seed_file_is_imported);
  ADD ("/import/second-import-reports-the-queued-release", test_second_import_reports_the_release_already_queued);
  ADD ("/import/mixed-folder-imports-good-and-names-bad", test_folder_of_mixed_files_imports_the_good_and_names_the_bad);
  ADD ("/import/unreadable-paths-are-named-with-the-reason", test_unreadable_paths_are_named_with_the_reason);
  ADD ("/import/failure-mid-release-leaves-nothing-half-written", test_failure_mid_release_leaves_nothing_half_written);
  ADD ("/import/progress-and-cancellation", test_import_reports_progress_and_stops_when_cancelled);
  ADD ("/import/folder-import-stores-each-verdict", test_folder_import_stores_each_verdict);
  ADD ("/import/special-files-are-refused-by-kind-without-blocking", test_special_files_are_refused_by_kind_without_blocking);
  ADD ("/import/full-disk-stops-the-import-and-counts-what-was-not-tried", test_full_disk_stops_the_import_and_counts_what_was_not_tried);
  ADD ("/import/folder-walk-reads-each-folder-once-and-names-each-loop", test_folder_walk_reads_each_folder_once_and_names_each_loop);

#undef ADD

  return g_test_run ();
}
