/* fuzz-fts-query.c — whatever an editor types, searched through the
 * store, on a real SQLite file that holds the evaluation releases
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "desk-fts.h"
#include "desk-importer.h"
#include "desk-store.h"
#include "fuzz-common.h"

#include <glib/gstdio.h>
#include <string.h>

static DeskStore *store;
static char *tmp_dir, *db_path;

static void
remove_store (void)
{
  g_autofree char *wal = g_strconcat (db_path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (db_path, "-shm", NULL);

  g_clear_object (&store);
  g_unlink (db_path);
  g_unlink (wal);
  g_unlink (shm);
  g_rmdir (tmp_dir);
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskImportReport) report = NULL;
  const char *paths[] = { FUZZ_EVAL_DIR, FUZZ_FIXTURES_DIR, NULL };

  desk_fuzz_setup ();
  tmp_dir = desk_fuzz_make_tmp_dir ();
  db_path = g_build_filename (tmp_dir, "fuzz.db", NULL);
  store = desk_store_open (db_path, &error);
  if (store == NULL)
    g_error ("%s", error->message);
  atexit (remove_store);

  report = desk_import_paths (store, paths, "fuzz", NULL, NULL, NULL);
  g_assert_cmpuint (report->imported, >, 30);
  return 0;
}

static void
search (const char *text,
        int         status,
        gboolean    sponsored_only)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) releases = NULL;
  DeskQuery query = DESK_QUERY_INIT;
  gint64 count;

  query.search = text;
  query.status = status;
  query.sponsored_only = sponsored_only;

  /* Never a syntax error, whatever was typed. */
  releases = desk_store_list_releases (store, &query, &error);
  if (releases == NULL)
    g_error ("Searching for “%s” failed: %s", text, error->message);
  count = desk_store_count_releases (store, &query, &error);
  if (count < 0)
    g_error ("Counting “%s” failed: %s", text, error->message);

  /* The count the window shows is the number of rows it lists. */
  g_assert_cmpint (count, ==, (gint64) releases->len);

  /* A page of the list is that part of the whole list. */
  if (releases->len > 2)
    {
      g_autoptr(GPtrArray) page = NULL;

      query.offset = 1;
      query.limit = 1;
      page = desk_store_list_releases (store, &query, &error);
      g_assert (page != NULL && page->len == 1);
      g_assert_cmpint (desk_release_get_id (g_ptr_array_index (page, 0)), ==,
                       desk_release_get_id (g_ptr_array_index (releases, 1)));
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = desk_fuzz_dup_text (data, size);

  search (text, -1, FALSE);
  search (text, DESK_STATUS_NEW, FALSE);
  search (text, -1, TRUE);
  return 0;
}
