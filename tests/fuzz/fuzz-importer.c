/* fuzz-importer.c — any bytes as a release file, imported into a real
 * SQLite store
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "desk-importer.h"
#include "desk-parser.h"
#include "desk-store.h"
#include "fuzz-common.h"

#include <glib/gstdio.h>
#include <string.h>

/* A fresh store every so many inputs keeps each import as fast as the
 * first: duplicates are still found within a round. */
#define INPUTS_PER_STORE 2000

/* The kinds of file the importer reads, told apart by their names: the
 * first byte of an input picks one.  Add each new kind here. */
static const char * const file_names[] = { "release.txt", "release.md", "release.eml", "release.mbox",
                                           "release.json", "release.xml" };

/* From this one on, the kinds that hold several releases (e-mail, wire). */
#define FIRST_INCOMING_KIND 2

static DeskStore *store;
static guint n_inputs;
static char *tmp_dir, *db_path, *file_paths[G_N_ELEMENTS (file_names)];

static void
remove_store (void)
{
  g_autofree char *wal = g_strconcat (db_path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (db_path, "-shm", NULL);

  g_clear_object (&store);
  g_unlink (db_path);
  g_unlink (wal);
  g_unlink (shm);
}

static void
open_store (void)
{
  g_autoptr(GError) error = NULL;

  remove_store ();
  store = desk_store_open (db_path, &error);
  if (store == NULL)
    g_error ("%s", error->message);
}

static void
clean_up (void)
{
  remove_store ();
  for (guint i = 0; i < G_N_ELEMENTS (file_paths); i++)
    g_unlink (file_paths[i]);
  g_rmdir (tmp_dir);
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  desk_fuzz_setup ();
  tmp_dir = desk_fuzz_make_tmp_dir ();
  db_path = g_build_filename (tmp_dir, "fuzz.db", NULL);
  for (guint i = 0; i < G_N_ELEMENTS (file_names); i++)
    file_paths[i] = g_build_filename (tmp_dir, file_names[i], NULL);
  open_store ();
  atexit (clean_up);
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskImportItem) item = NULL;
  g_autoptr(DeskParsedRelease) parsed = NULL;
  g_autoptr(DeskRelease) release = NULL;
  guint kind = size > 0 ? data[0] % G_N_ELEMENTS (file_names) : 0;
  const char *file_path = file_paths[kind];

  if (++n_inputs % INPUTS_PER_STORE == 0)
    open_store ();

  if (!g_file_set_contents (file_path, (const char *) data, (gssize) size, &error))
    g_error ("%s", error->message);

  item = desk_import_file (store, file_path, "fuzz");
  g_assert (item != NULL);
  g_assert_cmpstr (item->path, ==, file_path);

  if (kind >= FIRST_INCOMING_KIND)
    {
      /* E-mail and wire files: a refusal says why; an import is a
       * release that reads back, and the same file again is no new one. */
      g_autoptr(DeskImportItem) again = NULL;

      g_assert (item->message == NULL || g_utf8_validate (item->message, -1, NULL));
      if (item->outcome == DESK_IMPORT_FAILED)
        {
          g_assert (item->message != NULL && item->message[0] != '\0');
          return 0;
        }
      release = desk_store_get_release (store, item->release_id, &error);
      if (release == NULL)
        g_error ("Release %" G_GINT64_FORMAT " was imported but cannot be read: %s",
                 item->release_id, error->message);
      again = desk_import_file (store, file_path, "fuzz");
      g_assert_cmpint (again->outcome, ==, DESK_IMPORT_DUPLICATE);
      return 0;
    }

  /* The importer takes exactly what the parser takes. */
  parsed = desk_parse_release ((const char *) data, size, file_names[kind], NULL);
  if (item->outcome == DESK_IMPORT_FAILED)
    {
      /* A refusal says why, in a sentence; nothing is stored. */
      g_assert (item->message != NULL && item->message[0] != '\0');
      g_assert (g_utf8_validate (item->message, -1, NULL));
      g_assert (parsed == NULL);
      return 0;
    }
  g_assert (parsed != NULL);
  g_assert_cmpint (item->release_id, >, 0);

  /* What is stored is what was read. */
  release = desk_store_get_release (store, item->release_id, &error);
  if (release == NULL)
    g_error ("Release %" G_GINT64_FORMAT " was imported but cannot be read: %s",
             item->release_id, error->message);
  if (item->outcome == DESK_IMPORT_IMPORTED)
    {
      g_autoptr(DeskImportItem) again = NULL;

      g_assert_cmpstr (desk_release_get_original (release), ==, parsed->text);
      g_assert_cmpstr (desk_release_get_content_hash (release), ==, parsed->content_hash);

      /* The same file a second time is that release, not a new one. */
      again = desk_import_file (store, file_path, "fuzz");
      g_assert_cmpint (again->outcome, ==, DESK_IMPORT_DUPLICATE);
      g_assert_cmpint (again->release_id, ==, item->release_id);
    }
  return 0;
}
