/* desk-feed.c — subscribed feeds: fetching them and the feeds source
 *
 * A fetch asks only for what changed (If-None-Match with the ETag,
 * If-Modified-Since with the Last-Modified of the last answer), takes
 * gzip (libsoup's content decoder), follows a few redirects itself so
 * that a loop is named as one, and reads at most DESK_FEED_MAX_BYTES.
 * A feed that fails is tried again later and later (doubling, up to
 * DESK_FEED_MAX_BACKOFF), and says why in feeds.last_error.
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <inttypes.h>
#include <string.h>
#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>

#include "desk-error.h"
#include "desk-feed.h"
#include "desk-feed-parser.h"
#include "desk-settings.h"
#include "desk-store-private.h"

void
desk_feed_info_free (DeskFeedInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->url);
  g_free (info->name);
  g_free (info->last_error);
  g_free (info);
}

guint
desk_feed_get_refresh_interval (void)
{
  g_autoptr(GSettings) settings = desk_settings_new_if_installed ("feed-refresh-interval");

  if (settings == NULL)
    return 15 * 60;
  return g_settings_get_uint (settings, "feed-refresh-interval") * 60;
}

static gboolean
check_url (const char  *url,
           GError     **error)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  const char *scheme = uri != NULL ? g_uri_get_scheme (uri) : NULL;

  if (uri == NULL || scheme == NULL ||
      (g_ascii_strcasecmp (scheme, "http") != 0 && g_ascii_strcasecmp (scheme, "https") != 0) ||
      g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    {
      g_set_error (error, DESK_ERROR, DESK_ERROR_INVALID_INPUT,
                   _("“%s” is not a feed address: Copydesk reads feeds at http:// and https:// addresses"),
                   url);
      return FALSE;
    }
  return TRUE;
}

gint64
desk_feed_add (DeskStore   *store,
               const char  *url,
               const char  *name,
               GError     **error)
{
  g_auto(DeskStmt) stmt = NULL;
  g_autofree char *default_name = NULL;

  g_return_val_if_fail (DESK_IS_STORE (store), 0);
  g_return_val_if_fail (url != NULL, 0);

  if (!check_url (url, error))
    return 0;
  if (name == NULL || *name == '\0')
    {
      g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);

      name = default_name = g_strdup (g_uri_get_host (uri));
    }

  stmt = _desk_store_prepare (store,
                              "INSERT INTO feeds (url, name, created_at) VALUES (?, ?, ?)"
                              " ON CONFLICT DO NOTHING", error);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, url, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, name, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, g_get_real_time ());
  if (!_desk_store_step_done (store, stmt, _("Could not add the feed"), error))
    return 0;
  if (sqlite3_changes (_desk_store_get_db (store)) == 0)
    {
      g_set_error (error, DESK_ERROR, DESK_ERROR_DUPLICATE,
                   _("A feed named “%s” or at %s is already subscribed"), name, url);
      return 0;
    }
  return sqlite3_last_insert_rowid (_desk_store_get_db (store));
}

static DeskFeedInfo *
info_from_row (sqlite3_stmt *stmt)
{
  DeskFeedInfo *info = g_new0 (DeskFeedInfo, 1);

  info->id = sqlite3_column_int64 (stmt, 0);
  info->url = _desk_column_dup (stmt, 1);
  info->name = _desk_column_dup (stmt, 2);
  info->last_fetched_at = sqlite3_column_int64 (stmt, 3);
  info->last_error = _desk_column_dup (stmt, 4);
  info->failures = (guint) sqlite3_column_int (stmt, 5);
  info->next_fetch_at = sqlite3_column_int64 (stmt, 6);
  return info;
}

#define INFO_COLUMNS "id, url, name, last_fetched_at, last_error, failures, next_fetch_at"

GPtrArray *
desk_feed_list (DeskStore  *store,
                GError    **error)
{
  g_auto(DeskStmt) stmt = _desk_store_prepare (store, "SELECT " INFO_COLUMNS " FROM feeds ORDER BY name", error);
  GPtrArray *feeds;

  if (stmt == NULL)
    return NULL;
  feeds = g_ptr_array_new_with_free_func ((GDestroyNotify) desk_feed_info_free);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (feeds, info_from_row (stmt));
  return feeds;
}

DeskFeedInfo *
desk_feed_find (DeskStore   *store,
                const char  *name_or_url,
                GError     **error)
{
  g_auto(DeskStmt) stmt = _desk_store_prepare (store,
    "SELECT " INFO_COLUMNS " FROM feeds WHERE name = ?1 OR url = ?1 OR CAST (id AS TEXT) = ?1", error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, name_or_url, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    return info_from_row (stmt);
  g_set_error (error, DESK_ERROR, DESK_ERROR_NOT_FOUND, _("No feed is named “%s”"), name_or_url);
  return NULL;
}

/* Removes the subscription; the releases it brought stay. */
gboolean
desk_feed_remove (DeskStore   *store,
                  const char  *name_or_url,
                  GError     **error)
{
  g_autoptr(DeskFeedInfo) info = desk_feed_find (store, name_or_url, error);
  g_auto(DeskStmt) stmt = NULL;

  if (info == NULL)
    return FALSE;
  stmt = _desk_store_prepare (store, "DELETE FROM feeds WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, info->id);
  return _desk_store_step_done (store, stmt, _("Could not remove the feed"), error);
}

static gboolean
record_answer (DeskStore   *store,
               gint64       feed_id,
               const char  *etag,
               const char  *last_modified,
               guint        interval,
               GError     **error)
{
  g_auto(DeskStmt) stmt = _desk_store_prepare (store,
    "UPDATE feeds SET etag = coalesce (?, etag), last_modified = coalesce (?, last_modified),"
    " last_fetched_at = ?, last_error = NULL, failures = 0, next_fetch_at = ? WHERE id = ?", error);
  gint64 now = g_get_real_time ();

  if (stmt == NULL)
    return FALSE;
  _desk_bind_text (stmt, 1, etag, SQLITE_STATIC);
  _desk_bind_text (stmt, 2, last_modified, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, now);
  sqlite3_bind_int64 (stmt, 4, now + (gint64) interval * G_USEC_PER_SEC);
  sqlite3_bind_int64 (stmt, 5, feed_id);
  return _desk_store_step_done (store, stmt, _("Could not record the feed’s answer"), error);
}

static void
record_failure (DeskStore    *store,
                gint64        feed_id,
                guint         interval,
                const GError *failure)
{
  g_auto(DeskStmt) stmt = _desk_store_prepare (store,
    "UPDATE feeds SET last_error = ?, failures = failures + 1,"
    " next_fetch_at = ? + min (?, ? * (1 << min (failures, 16))) WHERE id = ?", NULL);

  if (stmt == NULL)
    return;
  sqlite3_bind_text (stmt, 1, failure->message, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, g_get_real_time ());
  sqlite3_bind_int64 (stmt, 3, (gint64) DESK_FEED_MAX_BACKOFF * G_USEC_PER_SEC);
  sqlite3_bind_int64 (stmt, 4, (gint64) MAX (interval, 60) * G_USEC_PER_SEC);
  sqlite3_bind_int64 (stmt, 5, feed_id);
  sqlite3_step (stmt);
}

static GBytes *
read_body (GInputStream  *stream,
           const char    *url,
           GCancellable  *cancellable,
           GError       **error)
{
  g_autoptr(GByteArray) body = g_byte_array_new ();
  guint8 buffer[64 * 1024];

  for (;;)
    {
      gssize n = g_input_stream_read (stream, buffer, sizeof buffer, cancellable, error);

      if (n < 0)
        {
          g_prefix_error (error, _("%s: the answer broke off: "), url);
          return NULL;
        }
      if (n == 0)
        break;
      if (body->len + (gsize) n > DESK_FEED_MAX_BYTES)
        {
          g_set_error (error, DESK_ERROR, DESK_ERROR_TOO_LARGE,
                       _("%s is larger than %d MB, the most Copydesk reads of a feed"),
                       url, DESK_FEED_MAX_BYTES / (1024 * 1024));
          return NULL;
        }
      g_byte_array_append (body, buffer, (guint) n);
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&body));
}

typedef struct {
  GBytes *body;            /* NULL: not modified */
  char   *etag;
  char   *last_modified;
  char   *url;             /* after redirects */
} Answer;

static void
answer_clear (Answer *answer)
{
  g_clear_pointer (&answer->body, g_bytes_unref);
  g_free (answer->etag);
  g_free (answer->last_modified);
  g_free (answer->url);
}

static gboolean
get (const char    *start_url,
     const char    *etag,
     const char    *last_modified,
     guint          timeout,
     Answer        *answer,
     GCancellable  *cancellable,
     GError       **error)
{
  g_autoptr(SoupSession) session = soup_session_new_with_options ("timeout", timeout,
                                                                   "user-agent", "Copydesk/" PACKAGE_VERSION " ",
                                                                   NULL);
  g_autoptr(GPtrArray) visited = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *url = g_strdup (start_url);

  for (guint redirects = 0;; redirects++)
    {
      g_autoptr(SoupMessage) message = soup_message_new (SOUP_METHOD_GET, url);
      g_autoptr(GInputStream) stream = NULL;
      g_autoptr(GError) local_error = NULL;
      SoupMessageHeaders *headers;
      guint status;

      if (message == NULL)
        {
          g_set_error (error, DESK_ERROR, DESK_ERROR_INVALID_INPUT, _("“%s” is not a feed address"), url);
          return FALSE;
        }
      g_ptr_array_add (visited, g_strdup (url));
      soup_message_add_flags (message, SOUP_MESSAGE_NO_REDIRECT);
      headers = soup_message_get_request_headers (message);
      soup_message_headers_append (headers, "Accept",
                                   "application/rss+xml, application/atom+xml, application/rdf+xml, "
                                   "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5");
      if (etag != NULL)
        soup_message_headers_append (headers, "If-None-Match", etag);
      if (last_modified != NULL)
        soup_message_headers_append (headers, "If-Modified-Since", last_modified);

      stream = soup_session_send (session, message, cancellable, &local_error);
      if (stream == NULL)
        {
          if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
            g_set_error (error, DESK_ERROR, DESK_ERROR_TEMPORARY,
                         _("%s did not answer within %u seconds"), url, timeout);
          else
            g_set_error (error, DESK_ERROR, DESK_ERROR_TEMPORARY,
                         _("%s could not be reached: %s"), url, local_error->message);
          return FALSE;
        }

      status = soup_message_get_status (message);
      headers = soup_message_get_response_headers (message);
      if (SOUP_STATUS_IS_REDIRECTION (status) && status != SOUP_STATUS_NOT_MODIFIED)
        {
          const char *location = soup_message_headers_get_one (headers, "Location");
          g_autofree char *next = location != NULL ? g_uri_resolve_relative (url, location, G_URI_FLAGS_NONE, NULL) : NULL;

          g_input_stream_close (stream, NULL, NULL);
          if (next == NULL)
            {
              g_set_error (error, DESK_ERROR, DESK_ERROR_FAILED,
                           _("%s redirects without saying where"), url);
              return FALSE;
            }
          for (guint i = 0; i < visited->len; i++)
            if (strcmp (g_ptr_array_index (visited, i), next) == 0)
              {
                g_set_error (error, DESK_ERROR, DESK_ERROR_FAILED,
                             _("%s redirects in a loop (back to %s)"), start_url, next);
                return FALSE;
              }
          if (redirects + 1 > DESK_FEED_MAX_REDIRECTS)
            {
              g_set_error (error, DESK_ERROR, DESK_ERROR_FAILED,
                           _("%s redirects more than %d times"), start_url, DESK_FEED_MAX_REDIRECTS);
              return FALSE;
            }
          g_free (url);
          url = g_steal_pointer (&next);
          continue;
        }

      answer->url = g_strdup (url);
      if (status == SOUP_STATUS_NOT_MODIFIED)
        return TRUE;
      if (!SOUP_STATUS_IS_SUCCESSFUL (status))
        {
          g_set_error (error, DESK_ERROR,
                       status >= 500 || status == 429 ? DESK_ERROR_TEMPORARY : DESK_ERROR_FAILED,
                       _("%s answered %u %s"), url, status,
                       soup_message_get_reason_phrase (message) != NULL
                       ? soup_message_get_reason_phrase (message) : "");
          return FALSE;
        }

      answer->body = read_body (stream, url, cancellable, error);
      if (answer->body == NULL)
        return FALSE;
      answer->etag = g_strdup (soup_message_headers_get_one (headers, "ETag"));
      answer->last_modified = g_strdup (soup_message_headers_get_one (headers, "Last-Modified"));
      return TRUE;
    }
}

gboolean
desk_feed_fetch (DeskStore         *store,
                 gint64             feed_id,
                 guint              interval,
                 guint              timeout,
                 DeskIngestCounts  *counts,
                 GCancellable      *cancellable,
                 GError           **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *name = NULL;
  g_autofree char *etag = NULL;
  g_autofree char *last_modified = NULL;
  Answer answer = { 0 };
  gboolean ok = FALSE;

  g_return_val_if_fail (DESK_IS_STORE (store), FALSE);

  {
    g_auto(DeskStmt) stmt = _desk_store_prepare (store,
      "SELECT url, name, etag, last_modified FROM feeds WHERE id = ?", error);

    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_int64 (stmt, 1, feed_id);
    if (sqlite3_step (stmt) != SQLITE_ROW)
      {
        g_set_error (error, DESK_ERROR, DESK_ERROR_NOT_FOUND, _("No feed has the number %" PRId64), feed_id);
        return FALSE;
      }
    url = _desk_column_dup (stmt, 0);
    name = _desk_column_dup (stmt, 1);
    etag = _desk_column_dup (stmt, 2);
    last_modified = _desk_column_dup (stmt, 3);
  }
  if (timeout == 0)
    timeout = DESK_FEED_DEFAULT_TIMEOUT;
  if (interval == 0)
    interval = desk_feed_get_refresh_interval ();

  if (get (url, etag, last_modified, timeout, &answer, cancellable, &local_error))
    {
      if (answer.body == NULL)
        ok = TRUE;   /* 304: nothing new */
      else
        {
          gsize len;
          const char *data = g_bytes_get_data (answer.body, &len);
          g_autoptr(DeskFeed) feed = desk_feed_parse (data, len, answer.url, &local_error);

          if (feed != NULL)
            {
              guint n = feed->items->len;
              g_autofree DeskSourceItem *items = g_new0 (DeskSourceItem, MAX (n, 1));
              g_autofree gint64 *ids = g_new0 (gint64, MAX (n, 1));
              g_autofree DeskIngestOutcome *outcomes = g_new0 (DeskIngestOutcome, MAX (n, 1));
              g_autoptr(GPtrArray) errors = g_ptr_array_new ();

              for (guint i = 0; i < n; i++)
                {
                  DeskFeedItem *fi = g_ptr_array_index (feed->items, i);

                  items[i].kind = DESK_SOURCE_KIND_FEED;
                  items[i].source_name = name;
                  items[i].uid = fi->guid;
                  items[i].link = fi->link;
                  items[i].headline = fi->title;
                  items[i].text = fi->text;
                  items[i].author = fi->author;
                  items[i].published_at = fi->published_at;
                }
              desk_source_ingest_items (store, items, n, NULL, ids, outcomes, errors);
              for (guint i = 0; i < n; i++)
                {
                  GError *e = g_ptr_array_index (errors, i);

                  if (e != NULL)
                    {
                      if (counts != NULL)
                        counts->failed_items++;
                      g_debug ("%s: %s", name, e->message);
                      g_error_free (e);
                    }
                  else if (counts != NULL && outcomes[i] == DESK_INGEST_NEW)
                    counts->new_items++;
                  else if (counts != NULL && outcomes[i] == DESK_INGEST_UPDATED)
                    counts->updated_items++;
                  else if (counts != NULL)
                    counts->seen_items++;
                }
              ok = TRUE;
            }
        }
    }

  if (ok)
    ok = record_answer (store, feed_id, answer.etag, answer.last_modified, interval, error);
  else
    {
      record_failure (store, feed_id, interval, local_error);
      g_set_error (error, local_error->domain, local_error->code,
                   _("Feed “%s”: %s"), name, local_error->message);
    }
  answer_clear (&answer);
  return ok;
}

/* ---- the feeds source ---------------------------------------------------- */

struct _DeskFeedsSource
{
  GObject parent_instance;

  guint   interval;   /* 0: from the settings at each poll */
  guint   timeout;
};

static void desk_feeds_source_iface_init (DeskIngestSourceInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (DeskFeedsSource, desk_feeds_source, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (DESK_TYPE_INGEST_SOURCE, desk_feeds_source_iface_init))

static char *
desk_feeds_source_dup_label (DeskIngestSource *source)
{
  return g_strdup (_("Feeds"));
}

/* Fetches every feed that is due; the feeds that failed are named in
 * one error, each with why. */
static gboolean
desk_feeds_source_poll (DeskIngestSource  *source,
                        DeskStore         *store,
                        DeskIngestCounts  *counts,
                        GCancellable      *cancellable,
                        GError           **error)
{
  DeskFeedsSource *self = DESK_FEEDS_SOURCE (source);
  g_autoptr(GPtrArray) feeds = desk_feed_list (store, error);
  g_autoptr(GString) failures = g_string_new (NULL);
  gint64 now = g_get_real_time ();

  if (feeds == NULL)
    return FALSE;
  for (guint i = 0; i < feeds->len && !g_cancellable_is_cancelled (cancellable); i++)
    {
      DeskFeedInfo *info = g_ptr_array_index (feeds, i);
      g_autoptr(GError) local_error = NULL;

      if (info->next_fetch_at > now)
        continue;
      if (!desk_feed_fetch (store, info->id, self->interval, self->timeout, counts, cancellable, &local_error))
        g_string_append_printf (failures, "%s%s", failures->len > 0 ? "\n" : "", local_error->message);
    }
  if (failures->len > 0)
    {
      g_set_error_literal (error, DESK_ERROR, DESK_ERROR_FAILED, failures->str);
      return FALSE;
    }
  return TRUE;
}

static guint
desk_feeds_source_get_interval (DeskIngestSource *source)
{
  /* Each feed keeps its own time (interval, backoff); this is how often
   * to look which are due. */
  return 60;
}

static void
desk_feeds_source_iface_init (DeskIngestSourceInterface *iface)
{
  iface->dup_label = desk_feeds_source_dup_label;
  iface->poll = desk_feeds_source_poll;
  iface->get_interval = desk_feeds_source_get_interval;
}

static void
desk_feeds_source_class_init (DeskFeedsSourceClass *klass)
{
}

static void
desk_feeds_source_init (DeskFeedsSource *self)
{
}

DeskIngestSource *
desk_feeds_source_new (guint interval,
                       guint timeout)
{
  DeskFeedsSource *self = g_object_new (DESK_TYPE_FEEDS_SOURCE, NULL);

  self->interval = interval;
  self->timeout = timeout;
  return DESK_INGEST_SOURCE (self);
}
