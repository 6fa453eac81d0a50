/* desk-pg-copy.c — a whole desk from SQLite to PostgreSQL, and back
 *
 * Table by table, in an order that puts every row after the rows it
 * refers to, the columns both sides have (the source may have none the
 * other lacks: nothing stored is left behind without a word).  Into
 * PostgreSQL with COPY, computing each release's search document on the
 * way; out of it through a cursor, a thousand rows at a time, into
 * prepared INSERTs, and then FTS5's index rebuilt from the releases.  The
 * receiving side takes it all in one transaction: a copy that fails
 * leaves it as it was.
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>
#include <glib/gi18n-lib.h>

#include "desk-error.h"
#include "desk-pg-copy.h"
#include "desk-pg-schema.h"
#include "desk-pg-search.h"
#include "desk-store-private.h"

/* Referenced rows first. */
static const char * const tables[] = {
  "store_info", "sponsor_rules", "targets", "feeds", "mailboxes",
  "releases", "revisions", "events", "release_tags", "release_spelling",
  "release_wire", "copy_signatures", "copy_bands", "source_items",
  "seen_files", "outbox", "remote_identities", "mailbox_seen",
  "dictionary_words", "boilerplate_prints",
};

/* Tables with an identity id, moved past the ids copied. */
static const char * const identities[] = {
  "sponsor_rules", "targets", "feeds", "mailboxes", "releases",
  "revisions", "events", "outbox",
};

static gboolean
is_copied (const char *table)
{
  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    if (g_str_equal (tables[i], table))
      return TRUE;
  return FALSE;
}

/* ---- the SQLite side ---------------------------------------------------- */

static GPtrArray *
sqlite_columns (sqlite3    *db,
                const char *table)
{
  GPtrArray *columns = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *sql = g_strdup_printf ("PRAGMA table_info (\"%s\")", table);
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) == SQLITE_OK)
    while (sqlite3_step (stmt) == SQLITE_ROW)
      g_ptr_array_add (columns, g_strdup ((const char *) sqlite3_column_text (stmt, 1)));
  sqlite3_finalize (stmt);
  return columns;
}

/* Every table of the SQLite desk must be one the copy knows. */
static gboolean
check_sqlite_tables (sqlite3     *db,
                     const char  *path,
                     GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  gboolean ok = TRUE;

  if (sqlite3_prepare_v2 (db, "SELECT name FROM sqlite_schema WHERE type = 'table'"
                              " AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
                              " AND name NOT LIKE 'releases\\_fts%' ESCAPE '\\'", -1, &stmt, NULL) != SQLITE_OK)
    {
      g_set_error (error, DESK_ERROR, DESK_ERROR_DATABASE, "%s: %s", path, sqlite3_errmsg (db));
      return FALSE;
    }
  while (ok && sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *name = (const char *) sqlite3_column_text (stmt, 0);

      if (!is_copied (name))
        {
          g_set_error (error, DESK_ERROR, DESK_ERROR_UNSUPPORTED_TYPE,
                       _("%s has a table “%s” that a PostgreSQL desk does not have yet; nothing was copied"),
                       path, name);
          ok = FALSE;
        }
    }
  sqlite3_finalize (stmt);
  return ok;
}

static gint64
sqlite_int (sqlite3    *db,
            const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value = -1;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) == SQLITE_OK && sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return value;
}

/* What makes a desk not empty: anything but its first target and its own id. */
static char *
count_sql (void)
{
  GString *sql = g_string_new ("SELECT (SELECT count(*) FROM targets WHERE id <> 1 OR name <> 'local')");

  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    if (!g_str_equal (tables[i], "targets") && !g_str_equal (tables[i], "store_info") &&
        !g_str_equal (tables[i], "sponsor_rules"))
      g_string_append_printf (sql, " + (SELECT count(*) FROM %s)", tables[i]);
  return g_string_free (sql, FALSE);
}

/* ---- the PostgreSQL side ------------------------------------------------ */

static GPtrArray *
pg_columns (DeskPg      *pg,
            const char  *table,
            GError     **error)
{
  const char *params[] = { table };
  g_autoptr(PGresult) result = desk_pg_query (pg,
    "SELECT column_name FROM information_schema.columns"
    " WHERE table_schema = current_schema () AND table_name = $1 AND column_name <> 'search'"
    " ORDER BY ordinal_position", 1, params, error);
  GPtrArray *columns;

  if (result == NULL)
    return NULL;
  columns = g_ptr_array_new_with_free_func (g_free);
  for (int i = 0; i < PQntuples (result); i++)
    g_ptr_array_add (columns, g_strdup (PQgetvalue (result, i, 0)));
  return columns;
}

static gboolean
has_column (GPtrArray  *columns,
            const char *name)
{
  return g_ptr_array_find_with_equal_func (columns, name, g_str_equal, NULL);
}

/* @from's columns must all be in @to. */
static gboolean
check_columns (GPtrArray   *from,
               GPtrArray   *to,
               const char  *from_name,
               const char  *to_name,
               const char  *table,
               GError     **error)
{
  for (guint i = 0; i < from->len; i++)
    if (!has_column (to, g_ptr_array_index (from, i)))
      {
        g_set_error (error, DESK_ERROR, DESK_ERROR_UNSUPPORTED_TYPE,
                     _("%s keeps %s.%s, which %s does not have; nothing was copied"),
                     from_name, table, (const char *) g_ptr_array_index (from, i), to_name);
        return FALSE;
      }
  return TRUE;
}

static char *
column_list (GPtrArray *columns)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < columns->len; i++)
    {
      g_autofree char *quoted = desk_pg_quote_ident (g_ptr_array_index (columns, i));

      g_string_append_printf (out, "%s%s", i > 0 ? ", " : "", quoted);
    }
  return g_string_free (out, FALSE);
}

/* One value in COPY's text format. */
static void
append_copy_text (GString    *line,
                  const char *text,
                  gsize       len)
{
  for (gsize i = 0; i < len; i++)
    {
      char c = text[i];

      switch (c)
        {
        case '\\': g_string_append (line, "\\\\"); break;
        case '\t': g_string_append (line, "\\t"); break;
        case '\n': g_string_append (line, "\\n"); break;
        case '\r': g_string_append (line, "\\r"); break;
        default: g_string_append_c (line, c); break;
        }
    }
}

static void
append_copy_value (GString      *line,
                   sqlite3_stmt *stmt,
                   int           column)
{
  switch (sqlite3_column_type (stmt, column))
    {
    case SQLITE_NULL:
      g_string_append (line, "\\N");
      break;
    case SQLITE_INTEGER:
      g_string_append_printf (line, "%" G_GINT64_FORMAT, (gint64) sqlite3_column_int64 (stmt, column));
      break;
    case SQLITE_FLOAT:
      {
        char buffer[G_ASCII_DTOSTR_BUF_SIZE];

        g_string_append (line, g_ascii_dtostr (buffer, sizeof buffer, sqlite3_column_double (stmt, column)));
      }
      break;
    case SQLITE_BLOB:
      {
        const guchar *blob = sqlite3_column_blob (stmt, column);
        int len = sqlite3_column_bytes (stmt, column);

        g_string_append (line, "\\\\x");
        for (int i = 0; i < len; i++)
          g_string_append_printf (line, "%02x", blob[i]);
      }
      break;
    default:
      append_copy_text (line, (const char *) sqlite3_column_text (stmt, column),
                        (gsize) sqlite3_column_bytes (stmt, column));
      break;
    }
}

static gboolean
copy_failed (DeskPg   *pg,
             GError  **error)
{
  desk_pg_set_conn_error (pg, DESK_PG_ERROR_QUERY, error);
  return FALSE;
}

static gboolean
copy_table_to_pg (sqlite3     *db,
                  const char  *path,
                  DeskPg      *pg,
                  const char  *table,
                  gint64      *out_rows,
                  GError     **error)
{
  PGconn *conn = desk_pg_get_conn (pg);
  g_autoptr(GPtrArray) columns = sqlite_columns (db, table);
  g_autoptr(GPtrArray) target = pg_columns (pg, table, error);
  g_autofree char *list = NULL;
  g_autofree char *select = NULL;
  g_autofree char *copy = NULL;
  g_autoptr(GString) line = g_string_new (NULL);
  g_autoptr(PGresult) started = NULL;
  gboolean releases = g_str_equal (table, "releases");
  int headline = -1, original = -1, edited = -1;
  sqlite3_stmt *stmt = NULL;
  gboolean ok = TRUE;
  PGresult *result;
  gint64 rows = 0;

  if (target == NULL || !check_columns (columns, target, path, desk_pg_get_display_address (pg), table, error))
    return FALSE;
  list = column_list (columns);
  select = g_strdup_printf ("SELECT %s FROM %s", list, table);
  copy = g_strdup_printf ("COPY %s (%s%s) FROM STDIN", table, list, releases ? ", search" : "");
  for (guint i = 0; i < columns->len; i++)
    {
      const char *name = g_ptr_array_index (columns, i);

      if (g_str_equal (name, "headline"))
        headline = (int) i;
      else if (g_str_equal (name, "original"))
        original = (int) i;
      else if (g_str_equal (name, "edited"))
        edited = (int) i;
    }

  if (sqlite3_prepare_v2 (db, select, -1, &stmt, NULL) != SQLITE_OK)
    {
      g_set_error (error, DESK_ERROR, DESK_ERROR_DATABASE, "%s: %s", path, sqlite3_errmsg (db));
      return FALSE;
    }
  started = desk_pg_query (pg, copy, 0, NULL, error);
  if (started == NULL)
    {
      sqlite3_finalize (stmt);
      return FALSE;
    }

  while (ok && sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_string_truncate (line, 0);
      for (int i = 0; i < (int) columns->len; i++)
        {
          if (i > 0)
            g_string_append_c (line, '\t');
          append_copy_value (line, stmt, i);
        }
      if (releases)
        {
          g_autofree char *document =
            desk_pg_search_document (headline >= 0 ? (const char *) sqlite3_column_text (stmt, headline) : NULL,
                                     original >= 0 ? (const char *) sqlite3_column_text (stmt, original) : NULL,
                                     edited >= 0 ? (const char *) sqlite3_column_text (stmt, edited) : NULL);

          g_string_append_c (line, '\t');
          append_copy_text (line, document, strlen (document));
        }
      g_string_append_c (line, '\n');
      if (PQputCopyData (conn, line->str, (int) line->len) != 1)
        ok = copy_failed (pg, error);
      rows++;
    }
  sqlite3_finalize (stmt);

  if (PQputCopyEnd (conn, ok ? NULL : "the copy stopped") != 1 && ok)
    ok = copy_failed (pg, error);
  while ((result = PQgetResult (conn)) != NULL)
    {
      if (ok && PQresultStatus (result) != PGRES_COMMAND_OK)
        {
          desk_pg_set_result_error (pg, result, error);
          g_prefix_error (error, _("Copying %s: "), table);
          ok = FALSE;
        }
      PQclear (result);
    }
  if (out_rows != NULL)
    *out_rows = rows;
  return ok;
}

/* Copying into a team desk writes every table, and with @force empties
 * them first: what the role that prepared the desk (desk init) may do,
 * and no editor or chief.  Asked before anything is written, so that the
 * role is told in words, not by the first table the server refuses. */
static gboolean
check_may_copy_into (DeskPg    *pg,
                     gboolean   force,
                     GError   **error)
{
  g_autoptr(GString) sql = g_string_new ("SELECT session_user, pg_has_role (session_user, '" DESK_PG_ROLE_CHIEF "', 'MEMBER'),"
                                         " pg_has_role (session_user, '" DESK_PG_ROLE_EDITOR "', 'MEMBER'), true");
  g_autoptr(PGresult) result = NULL;
  const char *role;
  const char *what;

  /* The copy empties the tables even when they hold nothing yet; given
   * several privileges, has_table_privilege () asks for any of them. */
  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    g_string_append_printf (sql, " AND has_table_privilege ('%s', 'INSERT') AND has_table_privilege ('%s', 'TRUNCATE')",
                            tables[i], tables[i]);
  result = desk_pg_query (pg, sql->str, 0, NULL, error);
  if (result == NULL)
    return FALSE;
  if (g_str_equal (PQgetvalue (result, 0, 3), "t"))
    return TRUE;

  role = PQgetvalue (result, 0, 0);
  if (g_str_equal (PQgetvalue (result, 0, 1), "t"))
    what = _("a chief editor");
  else if (g_str_equal (PQgetvalue (result, 0, 2), "t"))
    what = _("an editor");
  else
    what = _("not a member of the desk’s roles");
  if (force)
    g_set_error (error, DESK_PG_ERROR, DESK_PG_ERROR_PERMISSION,
                 _("%s (%s) may not replace the whole desk at %s: --force empties every table of it first, "
                   "which only the role that prepared the desk (with “desk init”) may do; nothing was copied"),
                 role, what, desk_pg_get_display_address (pg));
  else
    g_set_error (error, DESK_PG_ERROR, DESK_PG_ERROR_PERMISSION,
                 _("%s (%s) may not copy a whole desk into %s: that writes every table, its outbox and "
                   "approvals included, which only the role that prepared the desk (with “desk init”) may do; "
                   "nothing was copied"),
                 role, what, desk_pg_get_display_address (pg));
  return FALSE;
}

static gboolean
sqlite_to_pg (const char  *path,
              const char  *address,
              gboolean     force,
              gint64      *out_releases,
              GError     **error)
{
  g_autoptr(DeskStore) store = NULL;
  g_autoptr(DeskPg) pg = desk_pg_new (address);
  g_autoptr(PGresult) count = NULL;
  g_autofree char *counting = count_sql ();
  sqlite3 *db;
  gboolean ok = TRUE;

  store = desk_store_open (path, error);
  if (store == NULL)
    return FALSE;
  db = _desk_store_get_db (store);
  if (!check_sqlite_tables (db, path, error) ||
      !desk_pg_connect (pg, error) ||
      !desk_pg_schema_check (pg, error) ||
      !check_may_copy_into (pg, force, error))
    return FALSE;

  /* The copy carries other people's revisions, events and decisions
   * over as they were: the server's signing trigger lets them through
   * for this transaction, and only because the role copying owns the
   * tables (check_may_copy_into() asked); anyone else signs as
   * themselves whatever they set. */
  if (!desk_pg_exec (pg, "BEGIN ISOLATION LEVEL SERIALIZABLE; SET LOCAL copydesk.copying = 'on'", error))
    return FALSE;
  count = desk_pg_query (pg, counting, 0, NULL, error);
  if (count == NULL)
    ok = FALSE;
  else if (!force && g_ascii_strtoll (PQgetvalue (count, 0, 0), NULL, 10) > 0)
    {
      g_set_error (error, DESK_ERROR, DESK_ERROR_DUPLICATE,
                   _("The desk at %s is not empty; give --force to replace what it holds"),
                   desk_pg_get_display_address (pg));
      ok = FALSE;
    }

  if (ok)
    {
      GString *truncate = g_string_new ("TRUNCATE ");

      for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
        g_string_append_printf (truncate, "%s%s", i > 0 ? ", " : "", tables[i]);
      g_string_append (truncate, " RESTART IDENTITY CASCADE");
      ok = desk_pg_exec (pg, truncate->str, error);
      g_string_free (truncate, TRUE);
    }

  /* One read snapshot of the whole file, while others may write to it. */
  if (ok && sqlite3_exec (db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
    {
      g_set_error (error, DESK_ERROR, DESK_ERROR_DATABASE, "%s: %s", path, sqlite3_errmsg (db));
      ok = FALSE;
    }
  PQsetnonblocking (desk_pg_get_conn (pg), 0);
  for (guint i = 0; ok && i < G_N_ELEMENTS (tables); i++)
    {
      gint64 rows = 0;

      ok = copy_table_to_pg (db, path, pg, tables[i], &rows, error);
      if (ok && g_str_equal (tables[i], "releases") && out_releases != NULL)
        *out_releases = rows;
    }
  sqlite3_exec (db, "COMMIT", NULL, NULL, NULL);
  if (desk_pg_get_conn (pg) != NULL)
    PQsetnonblocking (desk_pg_get_conn (pg), 1);

  for (guint i = 0; ok && i < G_N_ELEMENTS (identities); i++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT setval (pg_get_serial_sequence ('%s', 'id'),"
                                              " coalesce ((SELECT max (id) FROM %s), 0) + 1, false)",
                                              identities[i], identities[i]);

      ok = desk_pg_exec (pg, sql, error);
    }

  if (ok)
    ok = desk_pg_exec (pg, "COMMIT", error);
  else if (desk_pg_is_connected (pg))
    desk_pg_exec (pg, "ROLLBACK", NULL);
  return ok;
}

/* ---- PostgreSQL to SQLite ----------------------------------------------- */

#define OID_BOOL 16
#define OID_BYTEA 17
#define OID_INT8 20
#define OID_INT2 21
#define OID_INT4 23
#define OID_FLOAT4 700
#define OID_FLOAT8 701

static gboolean
sqlite_failed (sqlite3     *db,
               const char  *path,
               const char  *table,
               GError     **error)
{
  g_set_error (error, DESK_ERROR, DESK_ERROR_DATABASE, _("%s: could not write %s: %s"),
               path, table, sqlite3_errmsg (db));
  return FALSE;
}

static gboolean
copy_table_from_pg (DeskPg      *pg,
                    sqlite3     *db,
                    const char  *path,
                    const char  *table,
                    gint64      *out_rows,
                    GError     **error)
{
  g_autoptr(GPtrArray) columns = pg_columns (pg, table, error);
  g_autoptr(GPtrArray) target = sqlite_columns (db, table);
  g_autofree char *list = NULL;
  g_autofree char *declare = NULL;
  g_autoptr(GString) insert = NULL;
  sqlite3_stmt *stmt = NULL;
  gboolean ok = TRUE;
  gint64 rows = 0;

  if (columns == NULL || !check_columns (columns, target, desk_pg_get_display_address (pg), path, table, error))
    return FALSE;
  list = column_list (columns);
  insert = g_string_new (NULL);
  g_string_printf (insert, "INSERT INTO %s (%s) VALUES (", table, list);
  for (guint i = 0; i < columns->len; i++)
    g_string_append (insert, i > 0 ? ", ?" : "?");
  g_string_append_c (insert, ')');
  if (sqlite3_prepare_v2 (db, insert->str, -1, &stmt, NULL) != SQLITE_OK)
    return sqlite_failed (db, path, table, error);

  declare = g_strdup_printf ("DECLARE copy_rows NO SCROLL CURSOR FOR SELECT %s FROM %s", list, table);
  ok = desk_pg_exec (pg, declare, error);
  while (ok)
    {
      g_autoptr(PGresult) batch = desk_pg_query (pg, "FETCH 1000 FROM copy_rows", 0, NULL, error);
      int n;

      if (batch == NULL)
        {
          ok = FALSE;
          break;
        }
      n = PQntuples (batch);
      if (n == 0)
        break;
      for (int r = 0; ok && r < n; r++)
        {
          for (int c = 0; c < PQnfields (batch); c++)
            {
              const char *value = PQgetvalue (batch, r, c);

              if (PQgetisnull (batch, r, c))
                sqlite3_bind_null (stmt, c + 1);
              else switch (PQftype (batch, c))
                {
                case OID_INT2:
                case OID_INT4:
                case OID_INT8:
                  sqlite3_bind_int64 (stmt, c + 1, g_ascii_strtoll (value, NULL, 10));
                  break;
                case OID_BOOL:
                  sqlite3_bind_int (stmt, c + 1, value[0] == 't');
                  break;
                case OID_FLOAT4:
                case OID_FLOAT8:
                  sqlite3_bind_double (stmt, c + 1, g_ascii_strtod (value, NULL));
                  break;
                case OID_BYTEA:
                  {
                    size_t len = 0;
                    unsigned char *bytes = PQunescapeBytea ((const unsigned char *) value, &len);

                    sqlite3_bind_blob (stmt, c + 1, bytes, (int) len, SQLITE_TRANSIENT);
                    PQfreemem (bytes);
                  }
                  break;
                default:
                  sqlite3_bind_text (stmt, c + 1, value, PQgetlength (batch, r, c), SQLITE_STATIC);
                  break;
                }
            }
          if (sqlite3_step (stmt) != SQLITE_DONE)
            ok = sqlite_failed (db, path, table, error);
          sqlite3_reset (stmt);
          sqlite3_clear_bindings (stmt);
          rows++;
        }
    }
  sqlite3_finalize (stmt);
  if (desk_pg_is_connected (pg))
    desk_pg_exec (pg, "CLOSE copy_rows", ok ? error : NULL);
  if (out_rows != NULL)
    *out_rows = rows;
  return ok;
}

static gboolean
pg_to_sqlite (const char  *address,
              const char  *path,
              gboolean     force,
              gint64      *out_releases,
              GError     **error)
{
  g_autoptr(DeskPg) pg = desk_pg_new (address);
  g_autoptr(DeskStore) store = NULL;
  g_autofree char *counting = count_sql ();
  sqlite3 *db;
  gboolean ok = TRUE;

  if (!desk_pg_connect (pg, error) ||
      !desk_pg_schema_check (pg, error))
    return FALSE;
  store = desk_store_open (path, error);
  if (store == NULL)
    return FALSE;
  db = _desk_store_get_db (store);
  if (!check_sqlite_tables (db, path, error))
    return FALSE;

  if (!desk_pg_exec (pg, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", error))
    return FALSE;
  if (!_desk_store_begin (store, error))
    {
      desk_pg_exec (pg, "ROLLBACK", NULL);
      return FALSE;
    }

  if (!force && sqlite_int (db, counting) != 0)
    {
      g_set_error (error, DESK_ERROR, DESK_ERROR_DUPLICATE,
                   _("%s is not an empty desk; give --force to replace what it holds"), path);
      ok = FALSE;
    }
  for (guint i = G_N_ELEMENTS (tables); ok && i > 0; i--)
    {
      g_autofree char *sql = g_strdup_printf ("DELETE FROM %s", tables[i - 1]);

      if (sqlite3_exec (db, sql, NULL, NULL, NULL) != SQLITE_OK)
        ok = sqlite_failed (db, path, tables[i - 1], error);
    }
  for (guint i = 0; ok && i < G_N_ELEMENTS (tables); i++)
    {
      gint64 rows = 0;

      ok = copy_table_from_pg (pg, db, path, tables[i], &rows, error);
      if (ok && g_str_equal (tables[i], "releases") && out_releases != NULL)
        *out_releases = rows;
    }
  if (ok && sqlite3_exec (db, "INSERT INTO releases_fts (releases_fts) VALUES ('rebuild')", NULL, NULL, NULL) != SQLITE_OK)
    ok = sqlite_failed (db, path, "releases_fts", error);

  if (desk_pg_is_connected (pg))
    desk_pg_exec (pg, "ROLLBACK", NULL);
  if (ok)
    return _desk_store_commit (store, error);
  _desk_store_rollback (store);
  return FALSE;
}

gboolean
desk_pg_copy_desk (const char  *from,
                   const char  *to,
                   gboolean     force,
                   gint64      *out_releases,
                   GError     **error)
{
  g_return_val_if_fail (from != NULL && to != NULL, FALSE);

  if (out_releases != NULL)
    *out_releases = 0;
  if (!desk_pg_is_address (from) && desk_pg_is_address (to))
    return sqlite_to_pg (from, to, force, out_releases, error);
  if (desk_pg_is_address (from) && !desk_pg_is_address (to))
    return pg_to_sqlite (from, to, force, out_releases, error);

  g_set_error (error, DESK_ERROR, DESK_ERROR_INVALID_INPUT,
               _("A desk is copied from a SQLite file to a postgresql:// address or back; "
                 "for a copy of a SQLite desk use “copydesk-cli backup”"));
  return FALSE;
}
