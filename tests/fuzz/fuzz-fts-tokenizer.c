/* fuzz-fts-tokenizer.c — the "desk" FTS5 tokenizer on any text, in a
 * real in-memory SQLite database
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "desk-fts.h"
#include "fuzz-common.h"

#include <string.h>

static sqlite3 *db;
static sqlite3_stmt *insert, *match;

static void
exec (const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_autoptr(GError) error = NULL;

  desk_fuzz_setup ();
  g_assert (sqlite3_open (":memory:", &db) == SQLITE_OK);
  if (!desk_fts_register (db, &error))
    g_error ("%s", error->message);
  /* As the store makes its index: detail=full, several columns. */
  exec ("CREATE VIRTUAL TABLE t USING fts5 (headline, body, tokenize='" DESK_FTS_TOKENIZER "')");
  g_assert (sqlite3_prepare_v2 (db, "INSERT INTO t (rowid, headline, body) VALUES (1, ?1, ?1)",
                                -1, &insert, NULL) == SQLITE_OK);
  g_assert (sqlite3_prepare_v2 (db, "SELECT count(*) FROM t WHERE t MATCH ?1",
                                -1, &match, NULL) == SQLITE_OK);
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = desk_fuzz_dup_text (data, size);
  g_autofree char *query = NULL;
  int rc;

  exec ("DELETE FROM t");

  /* Any bytes, as SQLite would pass them to the tokenizer. */
  sqlite3_bind_text (insert, 1, (const char *) data, (int) size, SQLITE_STATIC);
  rc = sqlite3_step (insert);
  sqlite3_reset (insert);
  g_assert_cmpint (rc, ==, SQLITE_DONE);

  /* The index holds exactly what tokenizing the text again gives. */
  exec ("INSERT INTO t (t) VALUES ('integrity-check')");

  /* What an editor pastes from a release into the search field finds
   * that release. */
  if (!g_utf8_validate (text, -1, NULL))
    return 0;
  query = desk_fts_build_query (text);
  if (query == NULL)
    return 0;
  sqlite3_bind_text (match, 1, query, -1, SQLITE_STATIC);
  rc = sqlite3_step (match);
  if (rc != SQLITE_ROW)
    g_error ("The query %s for the text %s failed: %s", query, text, sqlite3_errmsg (db));
  if (sqlite3_column_int (match, 0) != 1)
    g_error ("The query %s does not find the text %s", query, text);
  sqlite3_reset (match);
  return 0;
}
