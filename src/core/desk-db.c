/* desk-db.c — SQL statements on either engine
 *
 * The same SQL text runs on a SQLite file and on a team desk's
 * PostgreSQL server where the two agree (SQLite 3.40 has RETURNING,
 * PostgreSQL has coalesce and CASE alike); placeholders are written "?"
 * or "?N" and become "$N" for libpq.  Statements are cached per
 * connection by their text: sqlite3_prepare_v2 once, or PQprepare once
 * under a name of our own, then executed with new parameters.
 *
 * On PostgreSQL every parameter goes as text and the server gives it
 * the type its place asks for, so that an int64 bound here compares with
 * a bigint column without a cast in the SQL.  A statement's rows come
 * whole with its first step (libpq's default): the slice of the store
 * that runs here reads a page, a release or its history at a time.
 *
 * Calls wait for the engine.  On PostgreSQL that is the network: the
 * window calls a DeskDb from a worker thread only (desk_worker_run()),
 * never from its main loop.
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>
#include <glib/gi18n-lib.h>

#include "desk-db.h"
#include "desk-error.h"
#include "desk-fts.h"

#define MAX_PARAMS 32

struct _DeskDbStmt
{
  DeskDb       *db;           /* not a reference: the cache's owner */
  char         *sql;
  gboolean      in_use;
  gboolean      cached;
  /* SQLite */
  sqlite3_stmt *lite;
  /* PostgreSQL */
  char         *name;
  int           n_params;
  char         *params[MAX_PARAMS];
  PGresult     *result;
  int           row;          /* the row the last step gave, or -1 */
  gint64        changes;
};

struct _DeskDb
{
  GObject        parent_instance;

  DeskDbDialect  dialect;
  char          *display_address;
  sqlite3       *lite;
  DeskPg        *pg;
  GHashTable    *statements;  /* SQL text → DeskDbStmt */
  guint          next_name;
};

G_DEFINE_FINAL_TYPE (DeskDb, desk_db, G_TYPE_OBJECT)

static void
stmt_free (DeskDbStmt *stmt)
{
  if (stmt->lite != NULL)
    sqlite3_finalize (stmt->lite);
  for (int i = 0; i < MAX_PARAMS; i++)
    g_free (stmt->params[i]);
  g_clear_pointer (&stmt->result, PQclear);
  g_free (stmt->name);
  g_free (stmt->sql);
  g_free (stmt);
}

static void
desk_db_finalize (GObject *object)
{
  DeskDb *self = DESK_DB (object);

  g_hash_table_unref (self->statements);
  if (self->lite != NULL)
    sqlite3_close_v2 (self->lite);
  g_clear_object (&self->pg);
  g_free (self->display_address);

  G_OBJECT_CLASS (desk_db_parent_class)->finalize (object);
}

static void
desk_db_class_init (DeskDbClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = desk_db_finalize;
}

static void
desk_db_init (DeskDb *self)
{
  self->statements = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) stmt_free);
}

static void
set_sqlite_error (DeskDb      *self,
                  GError     **error,
                  const char  *what)
{
  g_set_error (error, DESK_ERROR, DESK_ERROR_DATABASE, "%s: %s: %s",
               self->display_address, what, sqlite3_errmsg (self->lite));
}

DeskDb *
desk_db_new_for_pg (DeskPg *pg)
{
  DeskDb *self;

  g_return_val_if_fail (DESK_IS_PG (pg), NULL);

  self = g_object_new (DESK_TYPE_DB, NULL);
  self->dialect = DESK_DB_POSTGRESQL;
  self->pg = g_object_ref (pg);
  self->display_address = g_strdup (desk_pg_get_display_address (pg));
  return self;
}

DeskDb *
desk_db_open (const char  *address,
              GError     **error)
{
  g_autoptr(DeskDb) self = NULL;

  g_return_val_if_fail (address != NULL, NULL);

  if (desk_pg_is_address (address))
    {
      g_autoptr(DeskPg) pg = desk_pg_new (address);

      if (!desk_pg_connect (pg, error))
        return NULL;
      return desk_db_new_for_pg (pg);
    }

  self = g_object_new (DESK_TYPE_DB, NULL);
  self->dialect = DESK_DB_SQLITE;
  self->display_address = g_strdup (address);
  if (!g_file_test (address, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, DESK_ERROR, DESK_ERROR_NOT_FOUND, _("%s: there is no desk in this file"), address);
      return NULL;
    }
  if (sqlite3_open_v2 (address, &self->lite, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
    {
      set_sqlite_error (self, error, _("Could not open the database"));
      return NULL;
    }
  sqlite3_busy_timeout (self->lite, 5000);
  sqlite3_extended_result_codes (self->lite, 1);
  /* The search index's tokenizer, so that writes to releases keep it. */
  if (!desk_fts_register (self->lite, error) ||
      !desk_db_exec (self, "PRAGMA foreign_keys = ON", error))
    return NULL;
  return g_steal_pointer (&self);
}

DeskDbDialect
desk_db_get_dialect (DeskDb *self)
{
  g_return_val_if_fail (DESK_IS_DB (self), DESK_DB_SQLITE);
  return self->dialect;
}

const char *
desk_db_get_display_address (DeskDb *self)
{
  g_return_val_if_fail (DESK_IS_DB (self), NULL);
  return self->display_address;
}

DeskPg *
desk_db_get_pg (DeskDb *self)
{
  g_return_val_if_fail (DESK_IS_DB (self), NULL);
  return self->pg;
}

char *
desk_db_rewrite_placeholders (const char *sql)
{
  GString *out = g_string_sized_new (strlen (sql) + 16);
  int next = 1;
  char quote = 0;

  for (const char *p = sql; *p != '\0'; p++)
    {
      if (quote != 0)
        {
          g_string_append_c (out, *p);
          if (*p == quote)
            quote = 0;
          continue;
        }
      if (*p == '\'' || *p == '"')
        {
          quote = *p;
          g_string_append_c (out, *p);
          continue;
        }
      if (*p != '?')
        {
          g_string_append_c (out, *p);
          continue;
        }
      if (g_ascii_isdigit (p[1]))
        {
          char *end;
          long n = strtol (p + 1, &end, 10);

          g_string_append_printf (out, "$%ld", n);
          next = (int) n + 1;
          p = end - 1;
        }
      else
        g_string_append_printf (out, "$%d", next++);
    }
  return g_string_free (out, FALSE);
}

DeskDbStmt *
desk_db_prepare (DeskDb      *self,
                 const char  *sql,
                 GError     **error)
{
  DeskDbStmt *stmt;

  g_return_val_if_fail (DESK_IS_DB (self), NULL);
  g_return_val_if_fail (sql != NULL, NULL);

  stmt = g_hash_table_lookup (self->statements, sql);
  /* In use by a caller further up: a statement of its own, freed when
   * reset. */
  if (stmt != NULL && !stmt->in_use)
    {
      stmt->in_use = TRUE;
      return stmt;
    }

  {
    gboolean cached = stmt == NULL;

    stmt = g_new0 (DeskDbStmt, 1);
    stmt->db = self;
    stmt->sql = g_strdup (sql);
    stmt->row = -1;
    stmt->cached = cached;
  }

  if (self->dialect == DESK_DB_SQLITE)
    {
      if (sqlite3_prepare_v2 (self->lite, sql, -1, &stmt->lite, NULL) != SQLITE_OK)
        {
          set_sqlite_error (self, error, _("Could not prepare a statement"));
          stmt_free (stmt);
          return NULL;
        }
    }
  else
    {
      g_autofree char *text = desk_db_rewrite_placeholders (sql);
      g_autoptr(PGresult) result = NULL;
      PGconn *conn = desk_pg_get_conn (self->pg);

      if (conn == NULL)
        {
          g_set_error (error, DESK_PG_ERROR, DESK_PG_ERROR_LOST,
                       _("Not connected to the desk at %s"), self->display_address);
          stmt_free (stmt);
          return NULL;
        }
      stmt->name = g_strdup_printf ("copydesk_%u", self->next_name++);
      result = PQprepare (conn, stmt->name, text, 0, NULL);
      if (result == NULL || PQresultStatus (result) != PGRES_COMMAND_OK)
        {
          if (result == NULL)
            desk_pg_set_conn_error (self->pg, DESK_PG_ERROR_QUERY, error);
          else
            desk_pg_set_result_error (self->pg, result, error);
          stmt_free (stmt);
          return NULL;
        }
    }

  if (stmt->cached)
    g_hash_table_insert (self->statements, stmt->sql, stmt);
  stmt->in_use = TRUE;
  return stmt;
}

static void
set_param (DeskDbStmt *stmt,
           int         index,
           char       *value)
{
  g_return_if_fail (index >= 1 && index <= MAX_PARAMS);

  g_free (stmt->params[index - 1]);
  stmt->params[index - 1] = value;
  stmt->n_params = MAX (stmt->n_params, index);
}

void
desk_db_bind_text (DeskDbStmt *stmt,
                   int         index,
                   const char *value)
{
  if (value == NULL)
    desk_db_bind_null (stmt, index);
  else if (stmt->lite != NULL)
    sqlite3_bind_text (stmt->lite, index, value, -1, SQLITE_TRANSIENT);
  else
    set_param (stmt, index, g_strdup (value));
}

void
desk_db_bind_int64 (DeskDbStmt *stmt,
                    int         index,
                    gint64      value)
{
  if (stmt->lite != NULL)
    sqlite3_bind_int64 (stmt->lite, index, value);
  else
    set_param (stmt, index, g_strdup_printf ("%" G_GINT64_FORMAT, value));
}

void
desk_db_bind_double (DeskDbStmt *stmt,
                     int         index,
                     double      value)
{
  if (stmt->lite != NULL)
    sqlite3_bind_double (stmt->lite, index, value);
  else
    {
      char buffer[G_ASCII_DTOSTR_BUF_SIZE];

      set_param (stmt, index, g_strdup (g_ascii_dtostr (buffer, sizeof buffer, value)));
    }
}

void
desk_db_bind_null (DeskDbStmt *stmt,
                   int         index)
{
  if (stmt->lite != NULL)
    sqlite3_bind_null (stmt->lite, index);
  else
    set_param (stmt, index, NULL);
}

DeskDbStep
desk_db_step (DeskDbStmt  *stmt,
              GError     **error)
{
  DeskDb *self = stmt->db;

  if (stmt->lite != NULL)
    {
      int rc = sqlite3_step (stmt->lite);

      if (rc == SQLITE_ROW)
        return DESK_DB_ROW;
      if (rc == SQLITE_DONE)
        {
          stmt->changes = sqlite3_changes (self->lite);
          return DESK_DB_DONE;
        }
      set_sqlite_error (self, error, _("A statement failed"));
      return DESK_DB_ERROR;
    }

  if (stmt->result == NULL)
    {
      PGconn *conn = desk_pg_get_conn (self->pg);
      ExecStatusType status;

      if (conn == NULL)
        {
          g_set_error (error, DESK_PG_ERROR, DESK_PG_ERROR_LOST,
                       _("Not connected to the desk at %s"), self->display_address);
          return DESK_DB_ERROR;
        }
      stmt->result = PQexecPrepared (conn, stmt->name, stmt->n_params,
                                     (const char * const *) stmt->params, NULL, NULL, 0);
      if (stmt->result == NULL)
        {
          desk_pg_set_conn_error (self->pg, PQstatus (conn) == CONNECTION_BAD ? DESK_PG_ERROR_LOST : DESK_PG_ERROR_QUERY,
                                  error);
          return DESK_DB_ERROR;
        }
      status = PQresultStatus (stmt->result);
      if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK)
        {
          desk_pg_set_result_error (self->pg, stmt->result, error);
          g_clear_pointer (&stmt->result, PQclear);
          return DESK_DB_ERROR;
        }
      stmt->changes = g_ascii_strtoll (PQcmdTuples (stmt->result), NULL, 10);
      stmt->row = -1;
    }

  stmt->row++;
  if (stmt->row < PQntuples (stmt->result))
    return DESK_DB_ROW;
  stmt->row = PQntuples (stmt->result);
  return DESK_DB_DONE;
}

gboolean
desk_db_step_done (DeskDbStmt  *stmt,
                   gint64      *out_value,
                   GError     **error)
{
  DeskDbStep step = desk_db_step (stmt, error);

  if (step == DESK_DB_ERROR)
    return FALSE;
  if (out_value != NULL)
    *out_value = step == DESK_DB_ROW ? desk_db_column_int64 (stmt, 0) : 0;
  /* SQLite writes a RETURNING statement's rows as it steps them. */
  while (step == DESK_DB_ROW)
    if ((step = desk_db_step (stmt, error)) == DESK_DB_ERROR)
      return FALSE;
  return TRUE;
}

gint64
desk_db_stmt_changes (DeskDbStmt *stmt)
{
  return stmt->changes;
}

gboolean
desk_db_column_is_null (DeskDbStmt *stmt,
                        int         column)
{
  if (stmt->lite != NULL)
    return sqlite3_column_type (stmt->lite, column) == SQLITE_NULL;
  return PQgetisnull (stmt->result, stmt->row, column);
}

const char *
desk_db_column_text (DeskDbStmt *stmt,
                     int         column)
{
  if (stmt->lite != NULL)
    return (const char *) sqlite3_column_text (stmt->lite, column);
  if (PQgetisnull (stmt->result, stmt->row, column))
    return NULL;
  return PQgetvalue (stmt->result, stmt->row, column);
}

char *
desk_db_column_dup (DeskDbStmt *stmt,
                    int         column)
{
  return g_strdup (desk_db_column_text (stmt, column));
}

gint64
desk_db_column_int64 (DeskDbStmt *stmt,
                      int         column)
{
  const char *text;

  if (stmt->lite != NULL)
    return sqlite3_column_int64 (stmt->lite, column);
  text = desk_db_column_text (stmt, column);
  if (text == NULL)
    return 0;
  /* A boolean ("t"/"f") reads as SQLite's 1/0. */
  if (text[0] == 't' || text[0] == 'f')
    return text[0] == 't';
  return g_ascii_strtoll (text, NULL, 10);
}

double
desk_db_column_double (DeskDbStmt *stmt,
                       int         column)
{
  const char *text;

  if (stmt->lite != NULL)
    return sqlite3_column_double (stmt->lite, column);
  text = desk_db_column_text (stmt, column);
  return text != NULL ? g_ascii_strtod (text, NULL) : 0.0;
}

void
desk_db_stmt_reset (DeskDbStmt *stmt)
{
  if (stmt == NULL)
    return;
  if (!stmt->cached)
    {
      stmt_free (stmt);
      return;
    }
  if (stmt->lite != NULL)
    {
      sqlite3_reset (stmt->lite);
      sqlite3_clear_bindings (stmt->lite);
    }
  for (int i = 0; i < MAX_PARAMS; i++)
    g_clear_pointer (&stmt->params[i], g_free);
  stmt->n_params = 0;
  g_clear_pointer (&stmt->result, PQclear);
  stmt->row = -1;
  stmt->changes = 0;
  stmt->in_use = FALSE;
}

gboolean
desk_db_exec (DeskDb      *self,
              const char  *sql,
              GError     **error)
{
  g_return_val_if_fail (DESK_IS_DB (self), FALSE);

  if (self->dialect == DESK_DB_POSTGRESQL)
    return desk_pg_exec (self->pg, sql, error);
  if (sqlite3_exec (self->lite, sql, NULL, NULL, NULL) != SQLITE_OK)
    {
      set_sqlite_error (self, error, _("A statement failed"));
      return FALSE;
    }
  return TRUE;
}

gboolean
desk_db_begin (DeskDb  *self,
               GError **error)
{
  return desk_db_exec (self, self->dialect == DESK_DB_SQLITE ? "BEGIN IMMEDIATE" : "BEGIN", error);
}

gboolean
desk_db_commit (DeskDb  *self,
                GError **error)
{
  return desk_db_exec (self, "COMMIT", error);
}

void
desk_db_rollback (DeskDb *self)
{
  desk_db_exec (self, "ROLLBACK", NULL);
}
