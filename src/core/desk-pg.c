/* desk-pg.c — one connection to a team desk's PostgreSQL server
 *
 * libpq without blocking the window: the connection is made with
 * PQconnectStartParams()/PQconnectPoll() and each query sent with
 * PQsendQuery(Params)() on a non-blocking connection; a GSource watches
 * the socket on the main context the connection was created on, and
 * PQconsumeInput()/PQisBusy()/PQgetResult() read the replies as they come.
 * Queries queue up and run one after another (libpq runs one at a time).
 * NOTIFY messages become the "notification" signal.  When the server goes
 * away, every query waiting fails with DESK_PG_ERROR_LOST,
 * "connection-lost" is emitted, and the connection is made again after a
 * growing pause (a quarter second, doubling up to half a minute), LISTEN
 * included; "reconnected" says when.
 *
 * The CLI has no main loop to keep: desk_pg_connect(), desk_pg_query()
 * and desk_pg_exec() wait, with libpq's own blocking calls.
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "desk-pg.h"
#include "desk-redact.h"

G_DEFINE_QUARK (desk-pg-error-quark, desk_pg_error)

#define RECONNECT_FIRST_MS 250
#define RECONNECT_MAX_MS 30000

typedef enum {
  STATE_IDLE,           /* never connected, or closed */
  STATE_CONNECTING,
  STATE_READY,
  STATE_WAITING,        /* lost; a reconnection is due */
} State;

typedef struct {
  char     *sql;
  int       n_params;
  char    **params;     /* n_params entries, NULL ones for SQL NULL */
  PGresult *result;     /* the last result so far */
  PGresult *failure;    /* the first failed result */
  gboolean  internal;   /* LISTEN again after a reconnection */
} Query;

struct _DeskPg
{
  GObject       parent_instance;

  char         *address;
  char         *password;          /* for redaction only */
  char         *sslrootcert;       /* for messages: the root certificate named */
  char         *display_address;
  GMainContext *context;

  PGconn       *conn;
  State         state;
  gboolean      ever_connected;
  GTask        *connect_task;
  GSource      *socket_source;
  int           socket_fd;
  gpointer      socket_tag;
  GSource      *retry_source;
  guint         retry_ms;

  GQueue        queries;          /* of GTask, with a Query each */
  GTask        *current;          /* the one sent, or NULL */
  GPtrArray    *channels;         /* LISTEN, again after reconnecting */
};

G_DEFINE_FINAL_TYPE (DeskPg, desk_pg, G_TYPE_OBJECT)

enum {
  SIGNAL_NOTIFICATION,
  SIGNAL_CONNECTION_LOST,
  SIGNAL_RECONNECTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void start_connecting (DeskPg *self);
static void start_next_query (DeskPg *self);

static void
query_free (gpointer data)
{
  Query *query = data;

  g_free (query->sql);
  if (query->params != NULL)
    for (int i = 0; i < query->n_params; i++)
      g_free (query->params[i]);
  g_free (query->params);
  g_clear_pointer (&query->result, PQclear);
  g_clear_pointer (&query->failure, PQclear);
  g_free (query);
}

gboolean
desk_pg_is_address (const char *address)
{
  return address != NULL &&
         (g_str_has_prefix (address, "postgresql://") || g_str_has_prefix (address, "postgres://"));
}

char *
desk_pg_quote_ident (const char *name)
{
  GString *out = g_string_new ("\"");

  for (const char *p = name; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
  return g_string_free (out, FALSE);
}

/* ---- errors ------------------------------------------------------------- */

static char *
redacted (DeskPg     *self,
          const char *text)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (text != NULL ? text : ""));

  return desk_redact (trimmed, self->password);
}

/* libpq's report of a failed connection has a line for every address
 * the host name had ("connection to server at "localhost" (::1), port
 * 5432 failed: …"), most often saying the same thing.  What went wrong
 * with TLS is said in words; anything else is each distinct reason once,
 * without the lines' preambles. */
static char *
describe_connect_failure (DeskPg     *self,
                          const char *message)
{
  g_auto(GStrv) lines = g_strsplit (message, "\n", -1);
  g_autoptr(GPtrArray) reasons = g_ptr_array_new ();
  g_autoptr(GString) out = g_string_new (NULL);

  if (strstr (message, "certificate verify failed") != NULL)
    {
      if (self->sslrootcert != NULL)
        return g_strdup_printf (_("the server’s certificate is not signed by the root certificate in %s "
                                  "(sslrootcert), so it cannot be told from an impostor"), self->sslrootcert);
      return g_strdup (_("the server’s certificate is not signed by a root certificate this computer trusts, "
                         "so it cannot be told from an impostor"));
    }
  if (strstr (message, "does not match host name") != NULL)
    return g_strdup (_("the server’s certificate is made out to another host name than the address’s; "
                       "connect by the name on its certificate"));
  if (strstr (message, "root certificate file") != NULL && strstr (message, "does not exist") != NULL)
    {
      if (self->sslrootcert != NULL)
        return g_strdup_printf (_("the root certificate file %s (sslrootcert) does not exist"), self->sslrootcert);
      return g_strdup (_("sslmode asks to check the server’s certificate, but the address names no root "
                         "certificate (sslrootcert=…) and there is none in ~/.postgresql/root.crt"));
    }
  if (strstr (message, "server does not support SSL") != NULL)
    return g_strdup (_("the server does not offer TLS, which the address’s sslmode asks for"));

  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = g_strstrip (lines[i]);
      const char *failed = strstr (line, " failed: ");

      if (g_str_has_prefix (line, "connection to server") && failed != NULL)
        line += failed - line + strlen (" failed: ");
      if (*line == '\0' ||
          g_ptr_array_find_with_equal_func (reasons, line, g_str_equal, NULL))
        continue;
      g_ptr_array_add (reasons, line);
      g_string_append_printf (out, "%s%s", out->len > 0 ? "; " : "", line);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

void
desk_pg_set_conn_error (DeskPg  *self,
                        int      code,
                        GError **error)
{
  g_autofree char *message = redacted (self, self->conn != NULL ? PQerrorMessage (self->conn) : "");

  if (code == DESK_PG_ERROR_CONNECT)
    {
      char *described = describe_connect_failure (self, message);

      g_free (message);
      message = described;
    }

  if (code == DESK_PG_ERROR_CONNECT)
    g_set_error (error, DESK_PG_ERROR, code, _("Could not connect to the desk at %s: %s"),
                 self->display_address, message);
  else if (code == DESK_PG_ERROR_LOST)
    g_set_error (error, DESK_PG_ERROR, code, _("The connection to the desk at %s was lost: %s"),
                 self->display_address, *message != '\0' ? message : _("the server closed it"));
  else
    g_set_error (error, DESK_PG_ERROR, code, "%s: %s", self->display_address, message);
}

void
desk_pg_set_result_error (DeskPg         *self,
                          const PGresult *result,
                          GError        **error)
{
  const char *sqlstate = PQresultErrorField (result, PG_DIAG_SQLSTATE);
  const char *primary = PQresultErrorField (result, PG_DIAG_MESSAGE_PRIMARY);
  const char *detail = PQresultErrorField (result, PG_DIAG_MESSAGE_DETAIL);
  g_autofree char *message = NULL;
  int code = DESK_PG_ERROR_QUERY;

  if (primary == NULL)
    primary = PQresultErrorMessage (result);
  if (primary == NULL || *primary == '\0')
    primary = PQresStatus (PQresultStatus (result));
  message = redacted (self, primary);
  if (detail != NULL)
    {
      g_autofree char *more = redacted (self, detail);
      char *both = g_strdup_printf ("%s (%s)", message, more);

      g_free (message);
      message = both;
    }

  if (sqlstate != NULL && g_str_equal (sqlstate, "42501"))
    code = DESK_PG_ERROR_PERMISSION;
  else if (sqlstate != NULL && (g_str_has_prefix (sqlstate, "08") || g_str_has_prefix (sqlstate, "57P")))
    code = DESK_PG_ERROR_LOST;
  g_set_error (error, DESK_PG_ERROR, code, _("The desk at %s refused it: %s"),
               self->display_address, message);
}

static gboolean
result_failed (const PGresult *result)
{
  switch (PQresultStatus (result))
    {
    case PGRES_COMMAND_OK:
    case PGRES_TUPLES_OK:
    case PGRES_EMPTY_QUERY:
    case PGRES_COPY_IN:
    case PGRES_COPY_OUT:
      return FALSE;
    default:
      return TRUE;
    }
}

/* ---- the socket on the main context ------------------------------------- */

typedef gboolean (*SocketFunc) (GIOCondition condition,
                                gpointer     user_data);

typedef struct {
  GSource  source;
  gpointer tag;
} SocketSource;

static gboolean
socket_source_dispatch (GSource     *source,
                        GSourceFunc  callback,
                        gpointer     user_data)
{
  SocketSource *socket = (SocketSource *) source;

  return ((SocketFunc) (void (*) (void)) callback) (g_source_query_unix_fd (source, socket->tag), user_data);
}

static GSourceFuncs socket_source_funcs = { NULL, NULL, socket_source_dispatch, NULL, NULL, NULL };

static gboolean on_socket (GIOCondition  condition,
                           gpointer      user_data);

static void
unwatch_socket (DeskPg *self)
{
  if (self->socket_source != NULL)
    {
      g_source_destroy (self->socket_source);
      g_clear_pointer (&self->socket_source, g_source_unref);
    }
  self->socket_fd = -1;
}

static void
watch_socket (DeskPg       *self,
              GIOCondition  condition)
{
  int fd = self->conn != NULL ? PQsocket (self->conn) : -1;

  if (fd < 0)
    {
      unwatch_socket (self);
      return;
    }
  condition |= G_IO_ERR | G_IO_HUP;
  if (self->socket_source != NULL && fd == self->socket_fd)
    {
      g_source_modify_unix_fd (self->socket_source, self->socket_tag, condition);
      return;
    }
  unwatch_socket (self);
  self->socket_source = g_source_new (&socket_source_funcs, sizeof (SocketSource));
  self->socket_tag = g_source_add_unix_fd (self->socket_source, fd, condition);
  ((SocketSource *) self->socket_source)->tag = self->socket_tag;
  self->socket_fd = fd;
  g_source_set_static_name (self->socket_source, "[copydesk] PostgreSQL socket");
  g_source_set_callback (self->socket_source, (GSourceFunc) (void (*) (void)) on_socket, self, NULL);
  g_source_attach (self->socket_source, self->context);
}

/* ---- notifications, loss, reconnection ---------------------------------- */

static void
deliver_notifications (DeskPg *self)
{
  PGnotify *notify;

  while (self->conn != NULL && (notify = PQnotifies (self->conn)) != NULL)
    {
      g_autofree char *channel = g_strdup (notify->relname);
      g_autofree char *payload = g_strdup (notify->extra);

      PQfreemem (notify);
      g_signal_emit (self, signals[SIGNAL_NOTIFICATION], 0, channel, payload);
    }
}

static gboolean
on_retry (gpointer user_data)
{
  DeskPg *self = user_data;

  g_clear_pointer (&self->retry_source, g_source_unref);
  start_connecting (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_reconnect (DeskPg *self)
{
  self->state = STATE_WAITING;
  if (self->retry_source != NULL)
    return;
  self->retry_source = g_timeout_source_new (self->retry_ms);
  g_source_set_static_name (self->retry_source, "[copydesk] PostgreSQL reconnect");
  g_source_set_callback (self->retry_source, on_retry, self, NULL);
  g_source_attach (self->retry_source, self->context);
  self->retry_ms = MIN (self->retry_ms * 2, RECONNECT_MAX_MS);
}

/* The connection is gone: everything waiting fails, and it is made again. */
static void
connection_lost (DeskPg *self)
{
  g_autoptr(GError) error = NULL;
  GTask *task;

  desk_pg_set_conn_error (self, DESK_PG_ERROR_LOST, &error);
  unwatch_socket (self);
  g_clear_pointer (&self->conn, PQfinish);

  g_object_ref (self);
  if (self->current != NULL)
    {
      task = g_steal_pointer (&self->current);
      g_task_return_error (task, g_error_copy (error));
      g_object_unref (task);
    }
  while ((task = g_queue_pop_head (&self->queries)) != NULL)
    {
      g_task_return_error (task, g_error_copy (error));
      g_object_unref (task);
    }
  g_signal_emit (self, signals[SIGNAL_CONNECTION_LOST], 0, error);
  schedule_reconnect (self);
  g_object_unref (self);
}

static void
listen_again (DeskPg *self)
{
  g_autoptr(GString) sql = g_string_new (NULL);
  GTask *task;
  Query *query;

  if (self->channels->len == 0)
    return;
  for (guint i = 0; i < self->channels->len; i++)
    {
      g_autofree char *quoted = desk_pg_quote_ident (g_ptr_array_index (self->channels, i));

      g_string_append_printf (sql, "LISTEN %s;", quoted);
    }
  query = g_new0 (Query, 1);
  query->sql = g_string_free (g_steal_pointer (&sql), FALSE);
  query->internal = TRUE;
  task = g_task_new (self, NULL, NULL, NULL);
  g_task_set_task_data (task, query, query_free);
  /* Before anything the caller queued meanwhile. */
  g_queue_push_head (&self->queries, task);
}

static void
connected (DeskPg *self)
{
  gboolean again = self->ever_connected;

  self->state = STATE_READY;
  self->ever_connected = TRUE;
  self->retry_ms = RECONNECT_FIRST_MS;
  PQsetnonblocking (self->conn, 1);
  watch_socket (self, G_IO_IN);

  if (self->connect_task != NULL)
    {
      GTask *task = g_steal_pointer (&self->connect_task);

      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
    }
  if (again)
    {
      listen_again (self);
      g_signal_emit (self, signals[SIGNAL_RECONNECTED], 0);
    }
  start_next_query (self);
}

static void
connect_failed (DeskPg *self)
{
  g_autoptr(GError) error = NULL;
  GTask *task;

  desk_pg_set_conn_error (self, DESK_PG_ERROR_CONNECT, &error);
  unwatch_socket (self);
  g_clear_pointer (&self->conn, PQfinish);

  g_object_ref (self);
  /* Queries asked for while connecting fail now rather than wait for a
   * server that may stay away. */
  while ((task = g_queue_pop_head (&self->queries)) != NULL)
    {
      g_task_return_error (task, g_error_copy (error));
      g_object_unref (task);
    }

  if (self->connect_task != NULL)
    {
      task = g_steal_pointer (&self->connect_task);
      self->state = STATE_IDLE;
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
    }
  else
    /* A reconnection that failed: try again later. */
    schedule_reconnect (self);
  g_object_unref (self);
}

static void
poll_connection (DeskPg *self)
{
  switch (PQconnectPoll (self->conn))
    {
    case PGRES_POLLING_READING:
      watch_socket (self, G_IO_IN);
      break;
    case PGRES_POLLING_WRITING:
      watch_socket (self, G_IO_OUT);
      break;
    case PGRES_POLLING_OK:
      connected (self);
      break;
    case PGRES_POLLING_FAILED:
    default:
      connect_failed (self);
      break;
    }
}

static void
ignore_notice (void       *arg,
               const char *message)
{
  g_debug ("PostgreSQL: %s", message);
}

static PGconn *
start_conn (DeskPg *self,
            gboolean wait)
{
  const char * const keywords[] = { "dbname", "fallback_application_name", NULL };
  const char * const values[] = { self->address, "copydesk", NULL };
  PGconn *conn;

  conn = wait ? PQconnectdbParams (keywords, values, 1) : PQconnectStartParams (keywords, values, 1);
  if (conn != NULL)
    PQsetNoticeProcessor (conn, ignore_notice, NULL);
  return conn;
}

static void
start_connecting (DeskPg *self)
{
  self->state = STATE_CONNECTING;
  self->conn = start_conn (self, FALSE);
  if (self->conn == NULL || PQstatus (self->conn) == CONNECTION_BAD)
    {
      connect_failed (self);
      return;
    }
  /* PQconnectStart's contract: as if PQconnectPoll had said "writing". */
  watch_socket (self, G_IO_OUT);
}

/* ---- queries ------------------------------------------------------------ */

static void
finish_current (DeskPg *self)
{
  GTask *task = g_steal_pointer (&self->current);
  Query *query = g_task_get_task_data (task);

  if (query->failure != NULL)
    {
      GError *error = NULL;

      desk_pg_set_result_error (self, query->failure, &error);
      g_task_return_error (task, error);
    }
  else if (query->internal)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_pointer (task, g_steal_pointer (&query->result), (GDestroyNotify) PQclear);
  g_object_unref (task);
}

static void
flush_output (DeskPg *self)
{
  int rc = PQflush (self->conn);

  if (rc < 0)
    connection_lost (self);
  else
    watch_socket (self, rc > 0 ? G_IO_IN | G_IO_OUT : G_IO_IN);
}

static void
start_next_query (DeskPg *self)
{
  while (self->current == NULL && self->state == STATE_READY)
    {
      GTask *task = g_queue_pop_head (&self->queries);
      Query *query;
      int sent;

      if (task == NULL)
        return;
      if (g_task_return_error_if_cancelled (task))
        {
          g_object_unref (task);
          continue;
        }
      query = g_task_get_task_data (task);
      if (query->n_params == 0)
        sent = PQsendQuery (self->conn, query->sql);
      else
        sent = PQsendQueryParams (self->conn, query->sql, query->n_params, NULL,
                                  (const char * const *) query->params, NULL, NULL, 0);
      self->current = task;
      if (!sent)
        {
          if (PQstatus (self->conn) == CONNECTION_BAD)
            {
              connection_lost (self);
              return;
            }
          query->failure = PQmakeEmptyPGresult (self->conn, PGRES_FATAL_ERROR);
          finish_current (self);
          continue;
        }
      flush_output (self);
    }
}

static void
read_results (DeskPg *self)
{
  while (self->current != NULL && !PQisBusy (self->conn))
    {
      Query *query = g_task_get_task_data (self->current);
      PGresult *result = PQgetResult (self->conn);

      if (result == NULL)
        {
          finish_current (self);
          start_next_query (self);
          continue;
        }
      if (result_failed (result) && query->failure == NULL)
        query->failure = result;
      else
        {
          g_clear_pointer (&query->result, PQclear);
          query->result = result;
        }
    }
}

static gboolean
on_socket (GIOCondition  condition,
           gpointer      user_data)
{
  DeskPg *self = user_data;

  g_object_ref (self);
  if (self->state == STATE_CONNECTING)
    poll_connection (self);
  else if (self->state == STATE_READY)
    {
      if ((condition & G_IO_OUT) != 0)
        flush_output (self);
      if (self->state == STATE_READY && (condition & (G_IO_IN | G_IO_HUP | G_IO_ERR)) != 0)
        {
          if (!PQconsumeInput (self->conn) || PQstatus (self->conn) == CONNECTION_BAD)
            connection_lost (self);
          else
            {
              read_results (self);
              deliver_notifications (self);
              /* A server that ends our session says so in a result, then closes. */
              if (self->state == STATE_READY && PQstatus (self->conn) == CONNECTION_BAD)
                connection_lost (self);
            }
        }
    }
  g_object_unref (self);
  return G_SOURCE_CONTINUE;
}

/* ---- the API ------------------------------------------------------------ */

DeskPg *
desk_pg_new (const char *address)
{
  DeskPg *self;
  PQconninfoOption *options;

  g_return_val_if_fail (address != NULL, NULL);

  self = g_object_new (DESK_TYPE_PG, NULL);
  self->address = g_strdup (address);
  options = PQconninfoParse (address, NULL);
  if (options != NULL)
    {
      for (PQconninfoOption *option = options; option->keyword != NULL; option++)
        if (g_str_equal (option->keyword, "password") && option->val != NULL)
          self->password = g_strdup (option->val);
        else if (g_str_equal (option->keyword, "sslrootcert") && option->val != NULL)
          self->sslrootcert = g_strdup (option->val);
      PQconninfoFree (options);
    }
  self->display_address = desk_redact (address, self->password);
  return self;
}

const char *
desk_pg_get_display_address (DeskPg *self)
{
  g_return_val_if_fail (DESK_IS_PG (self), NULL);
  return self->display_address;
}

gboolean
desk_pg_is_connected (DeskPg *self)
{
  g_return_val_if_fail (DESK_IS_PG (self), FALSE);
  return self->state == STATE_READY;
}

PGconn *
desk_pg_get_conn (DeskPg *self)
{
  g_return_val_if_fail (DESK_IS_PG (self), NULL);
  return self->state == STATE_READY ? self->conn : NULL;
}

static gboolean
check_address (DeskPg  *self,
               GError **error)
{
  char *message = NULL;
  PQconninfoOption *options = PQconninfoParse (self->address, &message);

  if (options == NULL)
    {
      g_autofree char *why = redacted (self, message != NULL ? message : _("out of memory"));

      g_set_error (error, DESK_PG_ERROR, DESK_PG_ERROR_ADDRESS,
                   _("%s is not a PostgreSQL address: %s"), self->display_address, why);
      PQfreemem (message);
      return FALSE;
    }
  PQconninfoFree (options);
  return TRUE;
}

void
desk_pg_connect_async (DeskPg              *self,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;

  g_return_if_fail (DESK_IS_PG (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, desk_pg_connect_async);
  if (self->state != STATE_IDLE || self->connect_task != NULL)
    {
      g_task_return_new_error (task, DESK_PG_ERROR, DESK_PG_ERROR_BUSY,
                               _("The connection to %s is already made"), self->display_address);
      return;
    }
  if (!check_address (self, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  self->connect_task = g_steal_pointer (&task);
  start_connecting (self);
}

gboolean
desk_pg_connect_finish (DeskPg        *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static GTask *
queue_query (DeskPg              *self,
             const char          *sql,
             int                  n_params,
             const char * const  *params,
             GCancellable        *cancellable,
             GAsyncReadyCallback  callback,
             gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  Query *query = g_new0 (Query, 1);

  query->sql = g_strdup (sql);
  query->n_params = n_params;
  if (n_params > 0)
    {
      query->params = g_new0 (char *, n_params);
      for (int i = 0; i < n_params; i++)
        query->params[i] = g_strdup (params[i]);
    }
  g_task_set_task_data (task, query, query_free);
  return task;
}

void
desk_pg_query_async (DeskPg              *self,
                     const char          *sql,
                     int                  n_params,
                     const char * const  *params,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (DESK_IS_PG (self));
  g_return_if_fail (sql != NULL);

  task = queue_query (self, sql, n_params, params, cancellable, callback, user_data);
  g_task_set_source_tag (task, desk_pg_query_async);
  if (self->state == STATE_IDLE || self->state == STATE_WAITING)
    {
      g_task_return_new_error (task, DESK_PG_ERROR, self->state == STATE_IDLE ? DESK_PG_ERROR_CONNECT : DESK_PG_ERROR_LOST,
                               _("Not connected to the desk at %s"), self->display_address);
      g_object_unref (task);
      return;
    }
  g_queue_push_tail (&self->queries, task);
  start_next_query (self);
}

PGresult *
desk_pg_query_finish (DeskPg        *self,
                      GAsyncResult  *result,
                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
listen_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(PGresult) res = NULL;
  GError *error = NULL;

  res = desk_pg_query_finish (DESK_PG (source), result, &error);
  if (res == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
desk_pg_listen_async (DeskPg              *self,
                      const char          *channel,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  GTask *task;
  g_autofree char *quoted = NULL;
  g_autofree char *sql = NULL;

  g_return_if_fail (DESK_IS_PG (self));
  g_return_if_fail (channel != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, desk_pg_listen_async);
  if (!g_ptr_array_find_with_equal_func (self->channels, channel, g_str_equal, NULL))
    g_ptr_array_add (self->channels, g_strdup (channel));
  quoted = desk_pg_quote_ident (channel);
  sql = g_strdup_printf ("LISTEN %s", quoted);
  desk_pg_query_async (self, sql, 0, NULL, cancellable, listen_done, task);
}

gboolean
desk_pg_listen_finish (DeskPg        *self,
                       GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
desk_pg_connect (DeskPg  *self,
                 GError **error)
{
  g_return_val_if_fail (DESK_IS_PG (self), FALSE);

  if (self->state != STATE_IDLE)
    {
      g_set_error (error, DESK_PG_ERROR, DESK_PG_ERROR_BUSY,
                   _("The connection to %s is already made"), self->display_address);
      return FALSE;
    }
  if (!check_address (self, error))
    return FALSE;
  self->conn = start_conn (self, TRUE);
  if (self->conn == NULL || PQstatus (self->conn) != CONNECTION_OK)
    {
      desk_pg_set_conn_error (self, DESK_PG_ERROR_CONNECT, error);
      g_clear_pointer (&self->conn, PQfinish);
      return FALSE;
    }
  connected (self);
  return TRUE;
}

PGresult *
desk_pg_query (DeskPg              *self,
               const char          *sql,
               int                  n_params,
               const char * const  *params,
               GError             **error)
{
  PGresult *result;

  g_return_val_if_fail (DESK_IS_PG (self), NULL);
  g_return_val_if_fail (sql != NULL, NULL);

  if (self->state != STATE_READY)
    {
      g_set_error (error, DESK_PG_ERROR, self->state == STATE_WAITING ? DESK_PG_ERROR_LOST : DESK_PG_ERROR_CONNECT,
                   _("Not connected to the desk at %s"), self->display_address);
      return NULL;
    }
  if (self->current != NULL || !g_queue_is_empty (&self->queries))
    {
      g_set_error (error, DESK_PG_ERROR, DESK_PG_ERROR_BUSY,
                   _("The connection to %s is busy with another query"), self->display_address);
      return NULL;
    }

  /* PQexec* block whatever the mode; the mode is for sending COPY data. */
  PQsetnonblocking (self->conn, 0);
  if (n_params == 0)
    result = PQexec (self->conn, sql);
  else
    result = PQexecParams (self->conn, sql, n_params, NULL, params, NULL, NULL, 0);
  if (PQstatus (self->conn) == CONNECTION_BAD)
    {
      desk_pg_set_conn_error (self, DESK_PG_ERROR_LOST, error);
      g_clear_pointer (&result, PQclear);
      connection_lost (self);
      return NULL;
    }
  PQsetnonblocking (self->conn, 1);
  deliver_notifications (self);
  if (result == NULL)
    {
      desk_pg_set_conn_error (self, DESK_PG_ERROR_QUERY, error);
      return NULL;
    }
  if (result_failed (result))
    {
      desk_pg_set_result_error (self, result, error);
      PQclear (result);
      return NULL;
    }
  return result;
}

gboolean
desk_pg_exec (DeskPg      *self,
              const char  *sql,
              GError     **error)
{
  g_autoptr(PGresult) result = desk_pg_query (self, sql, 0, NULL, error);

  return result != NULL;
}

/* ---- GObject ------------------------------------------------------------ */

static void
desk_pg_dispose (GObject *object)
{
  DeskPg *self = DESK_PG (object);
  GTask *task;

  unwatch_socket (self);
  if (self->retry_source != NULL)
    {
      g_source_destroy (self->retry_source);
      g_clear_pointer (&self->retry_source, g_source_unref);
    }
  g_clear_pointer (&self->conn, PQfinish);
  self->state = STATE_IDLE;
  /* Tasks hold a reference to us, so none is left by now but our own. */
  g_clear_object (&self->current);
  while ((task = g_queue_pop_head (&self->queries)) != NULL)
    g_object_unref (task);
  g_clear_object (&self->connect_task);

  G_OBJECT_CLASS (desk_pg_parent_class)->dispose (object);
}

static void
desk_pg_finalize (GObject *object)
{
  DeskPg *self = DESK_PG (object);

  g_free (self->address);
  g_free (self->password);
  g_free (self->sslrootcert);
  g_free (self->display_address);
  g_ptr_array_unref (self->channels);
  g_main_context_unref (self->context);

  G_OBJECT_CLASS (desk_pg_parent_class)->finalize (object);
}

static void
desk_pg_class_init (DeskPgClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = desk_pg_dispose;
  object_class->finalize = desk_pg_finalize;

  /* DeskPg::notification: (channel, payload) of a NOTIFY. */
  signals[SIGNAL_NOTIFICATION] =
    g_signal_new ("notification", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
  /* DeskPg::connection-lost: (GError) why; a reconnection follows. */
  signals[SIGNAL_CONNECTION_LOST] =
    g_signal_new ("connection-lost", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
  /* DeskPg::reconnected: the connection is back, LISTEN included. */
  signals[SIGNAL_RECONNECTED] =
    g_signal_new ("reconnected", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
desk_pg_init (DeskPg *self)
{
  self->context = g_main_context_ref_thread_default ();
  self->socket_fd = -1;
  self->retry_ms = RECONNECT_FIRST_MS;
  self->channels = g_ptr_array_new_with_free_func (g_free);
  g_queue_init (&self->queries);
}
