/* test-publish.c — the outbox and the publisher against in-process servers
 *
 * A SoupServer in this process answers as WordPress 6.1 does (both URL
 * forms, application passwords where a wrong one is anonymous, JSON errors
 * {code, message, data: {status}}, slug look-up with status=any, tags by
 * id, term_exists) and can be told to fail: 500, hang past the timeout
 * after creating the post, drop the connection after creating it, 401,
 * 404 for a deleted post.  Every fault sequence must end with exactly one
 * post per approved release.  Another server is a webhook receiver that
 * checks the signature and deduplicates by idempotency key.
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <signal.h>
#include <string.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "desk-error.h"
#include "desk-export.h"
#include "desk-outbox.h"
#include "desk-publisher.h"
#include "desk-redact.h"
#include "desk-secrets.h"
#include "desk-sha256.h"
#include "desk-test-util.h"
#include <sqlite3.h>

#define WP_USER     "editor"
#define WP_PASSWORD "abcd EFGH 1234 ijkl MNOP 5678"
#define HOOK_SECRET "s3cret-shared-key-for-the-hook"

typedef enum {
  FAULT_NONE,
  FAULT_500,
  FAULT_HANG_AFTER_CREATE,
  FAULT_DROP_AFTER_CREATE,
  FAULT_401,
  FAULT_400,
  FAULT_403_QUOTING_AUTHORIZATION,
} Fault;

typedef struct {
  SoupServer *server;
  char       *base;
  GPtrArray  *posts;          /* of JsonObject */
  GPtrArray  *tags;           /* of names; id = index + 1 */
  GQueue      faults;         /* for POST …/posts, in order */
  GPtrArray  *hung;           /* paused messages */
  gint64      next_id;
  gboolean    only_rest_route;
  guint       requests;
  guint       pretty_requests;
  guint       find_failures;  /* slug look-ups to refuse … */
  guint       find_status;    /* … with this status */
  /* The webhook receiver. */
  GHashTable *deliveries;     /* idempotency key → body */
  GHashTable *hook_peers;     /* the client ports deliveries came from */
  gboolean    hook_slow;      /* answer each delivery 30 ms late */
  guint       hook_open;      /* deliveries being answered */
  guint       hook_most_open;
  guint       hook_hold;      /* hold answers until this many are open (0: none) */
  GPtrArray  *hook_held;      /* the held deliveries' messages */
  guint       hook_hold_timeout;
  guint       hook_requests;
  guint       bad_signatures;
  GSubprocess *victim;        /* killed with SIGKILL … */
  guint       kill_at;        /* … when this delivery arrives (0: none) */
} FakeSite;

typedef struct {
  char      *dir;
  char      *path;
  DeskStore *store;
  FakeSite   site;
} Fixture;

/* ---- the fake WordPress ---------------------------------------------------- */

static void
reply_json (SoupServerMessage *msg,
            guint              status,
            JsonNode          *root)
{
  g_autofree char *text = json_to_string (root, FALSE);

  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json; charset=UTF-8", SOUP_MEMORY_COPY, text, strlen (text));
}

static void
reply_error (SoupServerMessage *msg,
             guint              status,
             const char        *code,
             const char        *message,
             gint64             term_id)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "code");
  json_builder_add_string_value (builder, code);
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, message);
  json_builder_set_member_name (builder, "data");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "status");
  json_builder_add_int_value (builder, status);
  if (term_id > 0)
    {
      json_builder_set_member_name (builder, "term_id");
      json_builder_add_int_value (builder, term_id);
    }
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  reply_json (msg, status, root);
}

static gboolean
authorized (SoupServerMessage *msg)
{
  const char *header = soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "Authorization");
  g_autofree char *expected = NULL;
  g_autofree char *encoded = NULL;

  expected = g_strdup_printf ("%s:%s", WP_USER, WP_PASSWORD);
  encoded = g_base64_encode ((const guchar *) expected, strlen (expected));
  return header != NULL && g_str_has_prefix (header, "Basic ") && g_str_equal (header + 6, encoded);
}

static JsonObject *
request_object (SoupServerMessage *msg)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
  g_autoptr(JsonParser) parser = json_parser_new ();

  if (!json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL), (gssize) g_bytes_get_size (bytes), NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return NULL;
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static JsonObject *
find_post (FakeSite *site,
           gint64    id)
{
  for (guint i = 0; i < site->posts->len; i++)
    {
      JsonObject *post = g_ptr_array_index (site->posts, i);

      if (json_object_get_int_member (post, "id") == id)
        return post;
    }
  return NULL;
}

static void
copy_fields (JsonObject *post,
             JsonObject *request)
{
  const char *fields[] = { "title", "content", "excerpt", "status" };

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    if (json_object_has_member (request, fields[i]))
      json_object_set_string_member (post, fields[i], json_object_get_string_member (request, fields[i]));
  if (json_object_has_member (request, "tags"))
    json_object_set_array_member (post, "tags", json_array_ref (json_object_get_array_member (request, "tags")));
}

static void
reply_post (SoupServerMessage *msg,
            guint              status,
            JsonObject        *post)
{
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);

  json_node_set_object (root, post);
  reply_json (msg, status, root);
}

static void
drop_connection (SoupServerMessage *msg)
{
  g_autoptr(GIOStream) stream = soup_server_message_steal_connection (msg);

  g_io_stream_close (stream, NULL, NULL);
}

static void
handle_posts (FakeSite          *site,
              SoupServerMessage *msg,
              const char        *method,
              const char        *rest,
              GHashTable        *query)
{
  if (g_str_equal (method, "GET") && *rest == '\0')
    {
      const char *slug = query != NULL ? g_hash_table_lookup (query, "slug") : NULL;
      const char *status = query != NULL ? g_hash_table_lookup (query, "status") : NULL;
      g_autoptr(JsonArray) found = json_array_new ();
      g_autoptr(JsonNode) root = json_node_new (JSON_NODE_ARRAY);

      if (status != NULL && !authorized (msg))
        {
          reply_error (msg, 400, "rest_invalid_param", "Invalid parameter(s): status", 0);
          return;
        }
      if (slug != NULL && site->find_failures > 0)
        {
          site->find_failures--;
          reply_error (msg, site->find_status, "rest_forbidden", "Sorry, you are not allowed to do that.", 0);
          return;
        }
      for (guint i = 0; i < site->posts->len; i++)
        {
          JsonObject *post = g_ptr_array_index (site->posts, i);
          const char *post_status = json_object_get_string_member (post, "status");

          if (slug != NULL && !g_str_equal (slug, json_object_get_string_member (post, "slug")))
            continue;
          if (g_str_equal (post_status, "trash") || (g_strcmp0 (status, "any") != 0 && !g_str_equal (post_status, "publish")))
            continue;
          json_array_add_object_element (found, json_object_ref (post));
        }
      json_node_set_array (root, found);
      reply_json (msg, 200, root);
      return;
    }

  if (g_str_equal (method, "POST"))
    {
      g_autoptr(JsonObject) request = request_object (msg);
      Fault fault = GPOINTER_TO_INT (g_queue_pop_head (&site->faults));
      JsonObject *post;

      if (!authorized (msg))
        {
          reply_error (msg, 401, *rest == '\0' ? "rest_cannot_create" : "rest_cannot_edit",
                       "Sorry, you are not allowed to create posts as this user.", 0);
          return;
        }
      if (request == NULL)
        {
          reply_error (msg, 400, "rest_invalid_json", "Invalid JSON body passed.", 0);
          return;
        }
      switch (fault)
        {
        case FAULT_500:
          reply_error (msg, 500, "internal_server_error", "There has been a critical error on this website.", 0);
          return;
        case FAULT_401:
          reply_error (msg, 401, "incorrect_password", "The provided password is an invalid application password.", 0);
          return;
        case FAULT_400:
          reply_error (msg, 400, "rest_invalid_param", "Invalid parameter(s): status", 0);
          return;
        case FAULT_403_QUOTING_AUTHORIZATION:
          {
            /* As a misconfigured security plugin does: it quotes what it got. */
            g_autofree char *said = g_strdup_printf ("Forbidden for Authorization: %s (password=%s)",
                                                     soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                                                   "Authorization"),
                                                     WP_PASSWORD);

            reply_error (msg, 403, "rest_forbidden", said, 0);
            return;
          }
        default:
          break;
        }

      if (*rest == '\0')
        {
          const char *slug = json_object_get_string_member_with_default (request, "slug", "");
          g_autofree char *unique = g_strdup (slug);
          g_autofree char *link = NULL;

          for (guint n = 2; *unique != '\0'; n++)
            {
              gboolean taken = FALSE;

              for (guint i = 0; i < site->posts->len; i++)
                if (g_str_equal (json_object_get_string_member (g_ptr_array_index (site->posts, i), "slug"), unique))
                  taken = TRUE;
              if (!taken)
                break;
              g_free (unique);
              unique = g_strdup_printf ("%s-%u", slug, n);
            }
          post = json_object_new ();
          json_object_set_int_member (post, "id", site->next_id++);
          json_object_set_string_member (post, "slug", unique);
          json_object_set_string_member (post, "status", "draft");
          link = g_strdup_printf ("%s/?p=%" G_GINT64_FORMAT, site->base, json_object_get_int_member (post, "id"));
          json_object_set_string_member (post, "link", link);
          copy_fields (post, request);
          g_ptr_array_add (site->posts, post);
        }
      else
        {
          post = find_post (site, g_ascii_strtoll (rest + 1, NULL, 10));
          if (post == NULL)
            {
              reply_error (msg, 404, "rest_post_invalid_id", "Invalid post ID.", 0);
              return;
            }
          copy_fields (post, request);
        }

      switch (fault)
        {
        case FAULT_HANG_AFTER_CREATE:
          soup_server_message_pause (msg);
          g_ptr_array_add (site->hung, g_object_ref (msg));
          return;
        case FAULT_DROP_AFTER_CREATE:
          drop_connection (msg);
          return;
        default:
          reply_post (msg, *rest == '\0' ? 201 : 200, post);
          return;
        }
    }

  reply_error (msg, 404, "rest_no_route", "No route was found matching the URL and request method.", 0);
}

static void
handle_tags (FakeSite          *site,
             SoupServerMessage *msg)
{
  g_autoptr(JsonObject) request = request_object (msg);
  g_autoptr(JsonObject) tag = json_object_new ();
  const char *name;

  if (!authorized (msg))
    {
      reply_error (msg, 401, "rest_cannot_create", "Sorry, you are not allowed to create terms in this taxonomy.", 0);
      return;
    }
  if (request == NULL || !json_object_has_member (request, "name"))
    {
      reply_error (msg, 400, "rest_missing_callback_param", "Missing parameter(s): name", 0);
      return;
    }
  name = json_object_get_string_member (request, "name");
  for (guint i = 0; i < site->tags->len; i++)
    if (g_str_equal (g_ptr_array_index (site->tags, i), name))
      {
        reply_error (msg, 400, "term_exists", "A term with the name provided already exists in this taxonomy.", i + 1);
        return;
      }
  g_ptr_array_add (site->tags, g_strdup (name));
  json_object_set_int_member (tag, "id", site->tags->len);
  json_object_set_string_member (tag, "name", name);
  reply_post (msg, 201, tag);
}

static void
handle_wordpress (SoupServer        *server,
                  SoupServerMessage *msg,
                  const char        *path,
                  GHashTable        *query,
                  gpointer           user_data)
{
  FakeSite *site = user_data;
  const char *method = soup_server_message_get_method (msg);
  const char *route = NULL;

  site->requests++;
  if (g_str_has_prefix (path, "/wp-json/") && !site->only_rest_route)
    {
      route = path + strlen ("/wp-json");
      site->pretty_requests++;
    }
  else if (g_str_equal (path, "/") && query != NULL)
    route = g_hash_table_lookup (query, "rest_route");

  if (route == NULL)
    {
      soup_server_message_set_status (msg, 404, NULL);
      soup_server_message_set_response (msg, "text/html", SOUP_MEMORY_STATIC, "<html>Not found</html>", 22);
      return;
    }

  if (g_str_equal (route, "/wp/v2/users/me"))
    {
      g_autoptr(JsonObject) me = json_object_new ();

      if (!authorized (msg))
        {
          reply_error (msg, 401, "rest_not_logged_in", "You are not currently logged in.", 0);
          return;
        }
      json_object_set_int_member (me, "id", 1);
      json_object_set_string_member (me, "name", WP_USER);
      reply_post (msg, 200, me);
    }
  else if (g_str_has_prefix (route, "/wp/v2/posts"))
    handle_posts (site, msg, method, route + strlen ("/wp/v2/posts"), query);
  else if (g_str_equal (route, "/wp/v2/tags") && g_str_equal (method, "POST"))
    handle_tags (site, msg);
  else
    reply_error (msg, 404, "rest_no_route", "No route was found matching the URL and request method.", 0);
}

/* ---- the fake webhook receiver ---------------------------------------------- */

typedef struct {
  FakeSite          *site;
  SoupServerMessage *msg;
} SlowAnswer;

static gboolean
answer_late (gpointer data)
{
  SlowAnswer *slow = data;

  slow->site->hook_open--;
  soup_server_message_unpause (slow->msg);
  g_object_unref (slow->msg);
  g_free (slow);
  return G_SOURCE_REMOVE;
}

/* Answers every held delivery, and holds no more. */
static gboolean
release_held (gpointer data)
{
  FakeSite *site = data;

  site->hook_hold = 0;
  site->hook_hold_timeout = 0;
  for (guint i = 0; i < site->hook_held->len; i++)
    {
      site->hook_open--;
      soup_server_message_unpause (g_ptr_array_index (site->hook_held, i));
    }
  g_ptr_array_set_size (site->hook_held, 0);
  return G_SOURCE_REMOVE;
}

static void
handle_hook (SoupServer        *server,
             SoupServerMessage *msg,
             const char        *path,
             GHashTable        *query,
             gpointer           user_data)
{
  FakeSite *site = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  g_autoptr(GBytes) body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  const char *signature = soup_message_headers_get_one (headers, "X-Copydesk-Signature");
  const char *key = soup_message_headers_get_one (headers, "Idempotency-Key");
  g_autoptr(GBytes) secret = g_bytes_new_static (HOOK_SECRET, strlen (HOOK_SECRET));
  g_autofree char *hmac = g_compute_hmac_for_bytes (G_CHECKSUM_SHA256, secret, body);
  g_autofree char *expected = g_strconcat ("sha256=", hmac, NULL);
  g_autofree char *answer = NULL;
  Fault fault = GPOINTER_TO_INT (g_queue_pop_head (&site->faults));
  gboolean seen;

  site->hook_requests++;
  if (site->victim != NULL && site->hook_requests == site->kill_at)
    {
      /* The publisher dies with deliveries answered and not yet
       * recorded, and others on their way. */
      g_subprocess_send_signal (site->victim, SIGKILL);
      site->kill_at = 0;
    }
  {
    GSocketAddress *peer = soup_server_message_get_remote_address (msg);

    if (G_IS_INET_SOCKET_ADDRESS (peer))
      g_hash_table_add (site->hook_peers,
                        GUINT_TO_POINTER (g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (peer))));
  }
  if (g_strcmp0 (signature, expected) != 0)
    {
      site->bad_signatures++;
      soup_server_message_set_status (msg, 401, NULL);
      return;
    }
  if (key == NULL)
    {
      soup_server_message_set_status (msg, 400, NULL);
      return;
    }
  if (fault == FAULT_500)
    {
      soup_server_message_set_status (msg, 503, NULL);
      return;
    }

  seen = g_hash_table_contains (site->deliveries, key);
  if (!seen)
    g_hash_table_insert (site->deliveries, g_strdup (key), g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body)));
  if (fault == FAULT_DROP_AFTER_CREATE)
    {
      drop_connection (msg);
      return;
    }
  answer = g_strdup_printf ("{\"id\":\"%s\",\"url\":\"%s/items/%s\"}", key, site->base, key);
  soup_server_message_set_status (msg, seen ? 200 : 201, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, answer, strlen (answer));
  if (site->hook_hold > 0)
    {
      /* Held until as many deliveries are open as asked for, however
       * slowly they come; if no more come for seconds (a publisher that
       * sends fewer at once), the ones held are answered anyway, so the
       * count shows it rather than the test hanging. */
      soup_server_message_pause (msg);
      g_ptr_array_add (site->hook_held, g_object_ref (msg));
      site->hook_open++;
      site->hook_most_open = MAX (site->hook_most_open, site->hook_open);
      g_clear_handle_id (&site->hook_hold_timeout, g_source_remove);
      if (site->hook_open >= site->hook_hold)
        release_held (site);
      else
        site->hook_hold_timeout = g_timeout_add_seconds (5, release_held, site);
    }
  else if (site->hook_slow)
    {
      SlowAnswer *slow = g_new0 (SlowAnswer, 1);

      slow->site = site;
      slow->msg = g_object_ref (msg);
      soup_server_message_pause (msg);
      site->hook_open++;
      site->hook_most_open = MAX (site->hook_most_open, site->hook_open);
      g_timeout_add (30, answer_late, slow);
    }
}

/* ---- fixture ------------------------------------------------------------- */

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  FakeSite *site = &fixture->site;
  g_autoptr(GError) error = NULL;
  g_autoslist(GUri) uris = NULL;

  fixture->dir = g_dir_make_tmp ("copydesk-publish-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "desk.db", NULL);
  fixture->store = desk_store_open (fixture->path, &error);
  g_assert_no_error (error);

  site->posts = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  site->tags = g_ptr_array_new_with_free_func (g_free);
  site->hung = g_ptr_array_new_with_free_func (g_object_unref);
  site->deliveries = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  site->hook_held = g_ptr_array_new_with_free_func (g_object_unref);
  site->hook_peers = g_hash_table_new (g_direct_hash, g_direct_equal);
  site->next_id = 100;
  g_queue_init (&site->faults);
  site->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (site->server, "/hook", handle_hook, site, NULL);
  soup_server_add_handler (site->server, NULL, handle_wordpress, site, NULL);
  soup_server_listen_local (site->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (site->server);
  site->base = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  FakeSite *site = &fixture->site;

  for (guint i = 0; i < site->hung->len; i++)
    {
      soup_server_message_set_status (g_ptr_array_index (site->hung, i), 500, NULL);
      soup_server_message_unpause (g_ptr_array_index (site->hung, i));
    }
  while (g_main_context_iteration (NULL, FALSE))
    ;
  soup_server_disconnect (site->server);
  g_clear_object (&site->server);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_ptr_array_unref (site->hung);
  g_ptr_array_unref (site->posts);
  g_ptr_array_unref (site->tags);
  g_hash_table_unref (site->deliveries);
  g_clear_handle_id (&site->hook_hold_timeout, g_source_remove);
  g_ptr_array_unref (site->hook_held);
  g_hash_table_unref (site->hook_peers);
  g_queue_clear (&site->faults);
  g_free (site->base);

  g_clear_object (&fixture->store);
  desk_test_remove_tree (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->dir);
}

static void
add_faults (FakeSite *site,
            ...)
{
  va_list ap;
  int fault;

  va_start (ap, site);
  while ((fault = va_arg (ap, int)) >= 0)
    g_queue_push_tail (&site->faults, GINT_TO_POINTER (fault));
  va_end (ap);
}

static gint64
add_wordpress_target (Fixture    *fixture,
                      const char *password,
                      const char *api)
{
  g_autoptr(JsonObject) settings = json_object_new ();
  g_autoptr(GError) error = NULL;
  gboolean session_only = FALSE;
  gint64 id;

  json_object_set_string_member (settings, "url", fixture->site.base);
  json_object_set_string_member (settings, "user", WP_USER);
  json_object_set_string_member (settings, "status", "publish");
  if (api != NULL)
    json_object_set_string_member (settings, "api", api);
  id = desk_store_add_target (fixture->store, DESK_TARGET_WORDPRESS, "site", settings, &error);
  g_assert_no_error (error);
  session_only = desk_test_set_secret (fixture->store, id, password);
  g_assert_true (session_only);   /* COPYDESK_SECRETS=memory */
  return id;
}

static gint64
add_webhook_target (Fixture *fixture)
{
  g_autoptr(JsonObject) settings = json_object_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *url = g_strdup_printf ("%s/hook", fixture->site.base);
  gint64 id;

  json_object_set_string_member (settings, "url", url);
  id = desk_store_add_target (fixture->store, DESK_TARGET_WEBHOOK, "hook", settings, &error);
  g_assert_no_error (error);
  desk_test_set_secret (fixture->store, id, HOOK_SECRET);
  return id;
}

static DeskPublisher *
new_publisher (DeskStore *store)
{
  DeskPublisher *publisher = desk_publisher_new (store);

  /* Long enough for a loaded CI machine, short for the hang tests. */
  desk_publisher_set_timeout (publisher, 2);
  desk_publisher_set_backoff (publisher, 5, 40, 8);
  return publisher;
}

static void
run_publisher (DeskStore *store)
{
  g_autoptr(DeskPublisher) publisher = new_publisher (store);
  g_autoptr(GError) error = NULL;

  g_assert_true (desk_publisher_run_sync (publisher, NULL, &error));
  g_assert_no_error (error);
}

static gint64
publish (Fixture *fixture,
         gint64   release_id,
         gint64   target_id)
{
  g_autoptr(GError) error = NULL;
  gint64 job = desk_store_publish (fixture->store, release_id, target_id, "Ana", &error);

  g_assert_no_error (error);
  g_assert_cmpint (job, >, 0);
  return job;
}

static guint
count_posts_with_slug (FakeSite   *site,
                       const char *slug)
{
  guint n = 0;

  for (guint i = 0; i < site->posts->len; i++)
    if (g_str_equal (json_object_get_string_member (g_ptr_array_index (site->posts, i), "slug"), slug))
      n++;
  return n;
}

static DeskOutboxJob *
get_job (Fixture *fixture,
         gint64   job_id)
{
  g_autoptr(GError) error = NULL;
  DeskOutboxJob *job = desk_store_get_job (fixture->store, job_id, &error);

  g_assert_no_error (error);
  return job;
}

static DeskStatus
status_of (DeskStore *store,
           gint64     release_id)
{
  g_autoptr(DeskRelease) release = desk_store_get_release (store, release_id, NULL);

  return desk_release_get_status (release);
}

/* Neither the database nor its write-ahead log holds @secret. */
static void
assert_file_lacks (const char *path,
                   const char *secret)
{
  const char *suffixes[] = { "", "-wal" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);
      g_autofree char *data = NULL;
      gsize len = 0;

      if (!g_file_get_contents (file, &data, &len, NULL))
        continue;
      g_assert_null (g_strstr_len (data, (gssize) len, secret));
    }
}

/* ---- tests --------------------------------------------------------------- */

static void
test_publishing_moves_to_published_only_on_success (Fixture       *fixture,
                                                    gconstpointer  data)
{
  gint64 target = add_wordpress_target (fixture, WP_PASSWORD, NULL);
  gint64 id = desk_test_add_seed (fixture->store);
  g_autoptr(DeskOutboxJob) job = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *post;
  JsonArray *tags;
  gint64 job_id;
  gboolean sponsored_tag = FALSE;

  /* Unapproved copy is refused; nothing is queued. */
  g_assert_cmpint (desk_store_publish (fixture->store, id, target, "Ana", &error), ==, 0);
  g_assert_error (error, DESK_ERROR, DESK_ERROR_NOT_APPROVED);
  g_clear_error (&error);

  desk_test_approve (fixture->store, id);
  g_ptr_array_add (fixture->site.tags, g_strdup ("Daily News"));   /* term_exists */
  job_id = publish (fixture, id, target);
  g_assert_cmpint (publish (fixture, id, target), ==, job_id);     /* queued once */
  g_assert_cmpint (status_of (fixture->store, id), ==, DESK_STATUS_APPROVED);

  run_publisher (fixture->store);

  job = get_job (fixture, job_id);
  g_assert_cmpstr (desk_job_state_to_string (job->state), ==, "done");
  g_assert_cmpuint (job->attempts, ==, 1);
  g_assert_cmpint (status_of (fixture->store, id), ==, DESK_STATUS_PUBLISHED);
  g_assert_cmpuint (fixture->site.posts->len, ==, 1);
  post = g_ptr_array_index (fixture->site.posts, 0);
  g_assert_cmpstr (json_object_get_string_member (post, "slug"), ==, job->slug);
  g_assert_cmpstr (json_object_get_string_member (post, "status"), ==, "publish");
  g_assert_cmpstr (json_object_get_string_member (post, "title"), ==, "Moskow konfirmasi pembicaraan baru Rusia-AS");
  g_assert_true (g_str_has_prefix (json_object_get_string_member (post, "content"),
                                   "<p class=\"disclosure\"><strong>Konten bersponsor</strong></p>\n<p>"));
  g_assert_nonnull (strstr (json_object_get_string_member (post, "excerpt"), "Putaran berikutnya"));
  g_assert_cmpstr (job->remote_id, ==, "100");
  g_assert_true (g_str_has_suffix (job->remote_url, "/?p=100"));

  tags = json_object_get_array_member (post, "tags");
  for (guint i = 0; i < json_array_get_length (tags); i++)
    {
      gint64 tag_id = json_array_get_int_element (tags, i);
      const char *name = g_ptr_array_index (fixture->site.tags, tag_id - 1);

      if (g_str_equal (name, "sponsored"))
        sponsored_tag = TRUE;
    }
  g_assert_true (sponsored_tag);
  g_assert_cmpuint (json_array_get_length (tags), ==, 3);   /* Top Story, Daily News, sponsored */
  g_assert_cmpuint (fixture->site.tags->len, ==, 3);

  /* Published copy still goes to another target, once. */
  {
    gint64 hook = add_webhook_target (fixture);
    gint64 hook_job = publish (fixture, id, hook);
    g_autoptr(DeskOutboxJob) done = NULL;

    g_assert_cmpint (desk_store_publish (fixture->store, id, target, "Ana", &error), ==, 0);
    g_assert_error (error, DESK_ERROR, DESK_ERROR_NOT_APPROVED);
    g_clear_error (&error);
    run_publisher (fixture->store);
    done = get_job (fixture, hook_job);
    g_assert_cmpint (done->state, ==, DESK_JOB_DONE);
    g_assert_cmpuint (g_hash_table_size (fixture->site.deliveries), ==, 1);
    g_assert_cmpint (status_of (fixture->store, id), ==, DESK_STATUS_PUBLISHED);
    g_assert_cmpuint (fixture->site.posts->len, ==, 1);
  }

  events = desk_store_list_events (fixture->store, id, NULL);
  /* The move to published came with the first success; the second is an
   * event without a move. */
  g_assert_cmpstr (((DeskEvent *) g_ptr_array_index (events, events->len - 1))->action, ==, "published");
  g_assert_null (((DeskEvent *) g_ptr_array_index (events, events->len - 1))->to_status);
  g_assert_cmpstr (((DeskEvent *) g_ptr_array_index (events, events->len - 3))->action, ==, "published");
  g_assert_cmpstr (((DeskEvent *) g_ptr_array_index (events, events->len - 3))->to_status, ==, "published");

  assert_file_lacks (fixture->path, "EFGH 1234");
}

static void
test_fault_sequences_end_with_one_post_per_release (Fixture       *fixture,
                                                    gconstpointer  data)
{
  static const int sequences[][5] = {
    { FAULT_500, FAULT_500, -1 },
    { FAULT_HANG_AFTER_CREATE, -1 },
    { FAULT_DROP_AFTER_CREATE, -1 },
    { FAULT_DROP_AFTER_CREATE, FAULT_500, FAULT_HANG_AFTER_CREATE, FAULT_DROP_AFTER_CREATE, -1 },
  };
  gint64 target = add_wordpress_target (fixture, WP_PASSWORD, NULL);

  for (guint s = 0; s < G_N_ELEMENTS (sequences); s++)
    {
      g_autofree char *a_headline = g_strdup_printf ("Harbour reopens, round %u", s);
      g_autofree char *b_headline = g_strdup_printf ("Bridge closes, round %u", s);
      gint64 a = desk_test_add_approved (fixture->store, a_headline, "The harbour reopened on Monday.");
      gint64 b = desk_test_add_approved (fixture->store, b_headline, "The bridge closed on Tuesday.");
      gint64 jobs[2];
      guint before = fixture->site.posts->len;
      guint attempts = 0;

      for (guint i = 0; i < 5 && sequences[s][i] >= 0; i++)
        g_queue_push_tail (&fixture->site.faults, GINT_TO_POINTER (sequences[s][i]));
      jobs[0] = publish (fixture, a, target);
      jobs[1] = publish (fixture, b, target);
      run_publisher (fixture->store);

      g_assert_cmpuint (fixture->site.posts->len, ==, before + 2);
      for (guint i = 0; i < 2; i++)
        {
          g_autoptr(DeskOutboxJob) job = get_job (fixture, jobs[i]);

          g_assert_cmpint (job->state, ==, DESK_JOB_DONE);
          g_assert_cmpuint (count_posts_with_slug (&fixture->site, job->slug), ==, 1);
          attempts += job->attempts;
        }
      /* Every sequence made at least one job try again. */
      g_assert_cmpuint (attempts, >, 2);
      g_test_message ("sequence %u: %u attempts", s, attempts);
      g_assert_cmpint (status_of (fixture->store, a), ==, DESK_STATUS_PUBLISHED);
      g_assert_cmpint (status_of (fixture->store, b), ==, DESK_STATUS_PUBLISHED);
      /* A lost answer is found by the look-up, not sent again, so a
       * fault queued for a later create may stay unused. */
      g_queue_clear (&fixture->site.faults);
    }
}

static void
test_wrong_password_fails_for_good_in_plain_words (Fixture       *fixture,
                                                   gconstpointer  data)
{
  gint64 target = add_wordpress_target (fixture, "wrong password 0000", NULL);
  gint64 id = desk_test_add_approved (fixture->store, "Harbour reopens", "The harbour reopened on Monday.");
  gint64 job_id = publish (fixture, id, target);
  g_autoptr(DeskOutboxJob) job = NULL;

  run_publisher (fixture->store);
  job = get_job (fixture, job_id);
  g_assert_cmpint (job->state, ==, DESK_JOB_FAILED);
  g_assert_cmpuint (job->attempts, ==, 1);
  g_assert_cmpstr (job->last_error, ==, "WordPress rejected the user name or application password");
  g_assert_cmpuint (fixture->site.posts->len, ==, 0);
  g_assert_cmpint (status_of (fixture->store, id), ==, DESK_STATUS_APPROVED);
  assert_file_lacks (fixture->path, "wrong password 0000");
}

static void
test_client_errors_fail_for_good_with_the_servers_message (Fixture       *fixture,
                                                           gconstpointer  data)
{
  gint64 target = add_wordpress_target (fixture, WP_PASSWORD, NULL);
  gint64 a = desk_test_add_approved (fixture->store, "Harbour reopens", "The harbour reopened on Monday.");
  gint64 b = desk_test_add_approved (fixture->store, "Bridge closes", "The bridge closed.");
  gint64 ja, jb;
  g_autoptr(DeskOutboxJob) job_a = NULL;
  g_autoptr(DeskOutboxJob) job_b = NULL;

  add_faults (&fixture->site, FAULT_400, -1);
  ja = publish (fixture, a, target);
  run_publisher (fixture->store);
  add_faults (&fixture->site, FAULT_401, -1);
  jb = publish (fixture, b, target);
  run_publisher (fixture->store);

  job_a = get_job (fixture, ja);
  job_b = get_job (fixture, jb);
  g_assert_cmpint (job_a->state, ==, DESK_JOB_FAILED);
  g_assert_cmpuint (job_a->attempts, ==, 1);
  g_assert_cmpstr (job_a->last_error, ==, "WordPress refused the post: Invalid parameter(s): status (HTTP 400)");
  g_assert_cmpstr (job_b->last_error, ==, "WordPress rejected the user name or application password");
  g_assert_cmpuint (fixture->site.posts->len, ==, 0);

  /* Retry, as the window offers: now it goes. */
  g_assert_true (desk_store_retry_job (fixture->store, ja, NULL));
  run_publisher (fixture->store);
  g_clear_pointer (&job_a, desk_outbox_job_free);
  job_a = get_job (fixture, ja);
  g_assert_cmpint (job_a->state, ==, DESK_JOB_DONE);
  g_assert_cmpuint (fixture->site.posts->len, ==, 1);
}

static void
test_site_serving_only_rest_route_works (Fixture       *fixture,
                                         gconstpointer  data)
{
  gint64 target = add_wordpress_target (fixture, WP_PASSWORD, NULL);
  gint64 id = desk_test_add_approved (fixture->store, "Harbour reopens", "The harbour reopened on Monday.");
  gint64 job_id;
  g_autoptr(DeskOutboxJob) job = NULL;

  fixture->site.only_rest_route = TRUE;
  job_id = publish (fixture, id, target);
  run_publisher (fixture->store);
  job = get_job (fixture, job_id);
  g_assert_cmpint (job->state, ==, DESK_JOB_DONE);
  g_assert_cmpuint (fixture->site.posts->len, ==, 1);
  g_assert_cmpuint (fixture->site.pretty_requests, ==, 0);
}

static void
test_corrected_release_updates_the_same_post (Fixture       *fixture,
                                              gconstpointer  data)
{
  gint64 target = add_wordpress_target (fixture, WP_PASSWORD, "rest_route");
  gint64 id = desk_test_add_approved (fixture->store, "Harbour reopens", "The harbour reopened on Monday.");
  g_autoptr(GError) error = NULL;
  JsonObject *post;

  publish (fixture, id, target);
  run_publisher (fixture->store);
  g_assert_cmpuint (fixture->site.posts->len, ==, 1);

  /* A correction: edited, approved again, published again. */
  g_assert_true (desk_store_save_revision (fixture->store, id, NULL, "The harbour reopened on Tuesday.\n", "Ana", NULL, &error));
  g_assert_cmpint (status_of (fixture->store, id), ==, DESK_STATUS_CORRECTED);
  g_assert_true (desk_store_set_status (fixture->store, id, DESK_STATUS_APPROVED, "Ana", NULL, &error));
  publish (fixture, id, target);
  run_publisher (fixture->store);
  g_assert_cmpuint (fixture->site.posts->len, ==, 1);
  post = g_ptr_array_index (fixture->site.posts, 0);
  g_assert_cmpstr (json_object_get_string_member (post, "content"), ==, "<p>The harbour reopened on Tuesday.</p>\n");
  g_assert_cmpint (status_of (fixture->store, id), ==, DESK_STATUS_PUBLISHED);

  /* The post is deleted on the site; the next correction makes it anew. */
  g_ptr_array_remove_index (fixture->site.posts, 0);
  g_assert_true (desk_store_save_revision (fixture->store, id, NULL, "The harbour reopened on Wednesday.\n", "Ana", NULL, &error));
  g_assert_true (desk_store_set_status (fixture->store, id, DESK_STATUS_APPROVED, "Ana", NULL, &error));
  publish (fixture, id, target);
  run_publisher (fixture->store);
  g_assert_cmpuint (fixture->site.posts->len, ==, 1);
  post = g_ptr_array_index (fixture->site.posts, 0);
  g_assert_cmpstr (json_object_get_string_member (post, "content"), ==, "<p>The harbour reopened on Wednesday.</p>\n");
}

static void
test_webhook_is_signed_and_delivered_once_by_its_key (Fixture       *fixture,
                                                      gconstpointer  data)
{
  gint64 target = add_webhook_target (fixture);
  gint64 id = desk_test_add_seed (fixture->store);
  gint64 job_id;
  g_autoptr(DeskOutboxJob) job = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  GHashTableIter iter;
  gpointer key, body;

  desk_test_approve (fixture->store, id);
  /* Answered 503, then received but the answer lost, then answered. */
  add_faults (&fixture->site, FAULT_500, FAULT_DROP_AFTER_CREATE, -1);
  job_id = publish (fixture, id, target);
  run_publisher (fixture->store);

  job = get_job (fixture, job_id);
  g_assert_cmpint (job->state, ==, DESK_JOB_DONE);
  g_assert_cmpuint (job->attempts, ==, 3);
  g_assert_cmpuint (fixture->site.hook_requests, ==, 3);
  g_assert_cmpuint (fixture->site.bad_signatures, ==, 0);
  g_assert_cmpuint (g_hash_table_size (fixture->site.deliveries), ==, 1);
  g_assert_true (g_hash_table_contains (fixture->site.deliveries, job->idempotency_key));
  g_assert_cmpstr (job->remote_id, ==, job->idempotency_key);

  g_hash_table_iter_init (&iter, fixture->site.deliveries);
  g_assert_true (g_hash_table_iter_next (&iter, &key, &body));
  g_assert_cmpstr (body, ==, job->payload);
  json_parser_load_from_data (parser, body, -1, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (body, DESK_GENRE_PRESS_RELEASE));
  assert_file_lacks (fixture->path, HOOK_SECRET);
}

/* Deliveries go over kept-alive connections, as many as are sent at a
 * time, not a new connection each: libsoup opens one for every POST
 * unless told that sending it again is safe, which a delivery's
 * idempotency key makes it. */
static void
test_webhook_deliveries_keep_connections_alive (Fixture       *fixture,
                                                gconstpointer  data)
{
  gint64 target = add_webhook_target (fixture);
  g_autoptr(GPtrArray) jobs = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < 24; i++)
    {
      g_autofree char *headline = g_strdup_printf ("Story number %u", i);

      publish (fixture, desk_test_add_approved (fixture->store, headline, "Body."), target);
    }
  run_publisher (fixture->store);

  jobs = desk_store_list_jobs (fixture->store, 0, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < jobs->len; i++)
    g_assert_cmpint (((DeskOutboxJob *) g_ptr_array_index (jobs, i))->state, ==, DESK_JOB_DONE);
  g_assert_cmpuint (fixture->site.hook_requests, ==, 24);
  g_assert_cmpuint (g_hash_table_size (fixture->site.hook_peers), <=, DESK_PUBLISHER_MAX_CONCURRENT);
}

/* A webhook's job carries its payload, so only the approval is checked
 * when it is sent, not the text hashed again: copy sent back to review,
 * an approval whose revision's SHA-256 is not the approved one and an
 * approval that names another release's revision still fail for good,
 * and nothing of them is delivered. */
static void
test_webhook_sends_only_copy_still_approved (Fixture       *fixture,
                                             gconstpointer  data)
{
  gint64 target = add_webhook_target (fixture);
  gint64 fine = desk_test_add_approved (fixture->store, "Still approved", "Body one.");
  gint64 reopened = desk_test_add_approved (fixture->store, "Sent back to review", "Body two.");
  gint64 other_hash = desk_test_add_approved (fixture->store, "Another hash", "Body three.");
  gint64 other_release = desk_test_add_approved (fixture->store, "Another release", "Body four.");
  gint64 jobs[4];
  g_autofree char *sql = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3 *db = NULL;

  jobs[0] = publish (fixture, fine, target);
  jobs[1] = publish (fixture, reopened, target);
  jobs[2] = publish (fixture, other_hash, target);
  jobs[3] = publish (fixture, other_release, target);
  desk_store_set_status (fixture->store, reopened, DESK_STATUS_IN_REVIEW, "Ana", "One more look", &error);
  g_assert_no_error (error);
  sql = g_strdup_printf ("UPDATE revisions SET sha256 = 'not-the-approved-one' WHERE release_id = %" G_GINT64_FORMAT ";"
                         "UPDATE releases SET approved_revision_id ="
                         " (SELECT approved_revision_id FROM releases WHERE id = %" G_GINT64_FORMAT ")"
                         " WHERE id = %" G_GINT64_FORMAT ";",
                         other_hash, fine, other_release);
  g_assert_cmpint (sqlite3_open (fixture->path, &db), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  run_publisher (fixture->store);

  g_assert_cmpuint (fixture->site.hook_requests, ==, 1);
  {
    g_autoptr(DeskOutboxJob) job = get_job (fixture, jobs[0]);

    g_assert_cmpint (job->state, ==, DESK_JOB_DONE);
    g_assert_true (g_hash_table_contains (fixture->site.deliveries, job->idempotency_key));
  }
  for (guint i = 1; i < G_N_ELEMENTS (jobs); i++)
    {
      g_autoptr(DeskOutboxJob) job = get_job (fixture, jobs[i]);

      g_assert_cmpint (job->state, ==, DESK_JOB_FAILED);
      g_assert_cmpuint (job->attempts, ==, 1);
      g_assert_nonnull (strstr (job->last_error, i == 1 ? "not approved" : "SHA-256 differs"));
    }
}

static void
test_wrong_webhook_secret_is_refused (Fixture       *fixture,
                                      gconstpointer  data)
{
  gint64 target = add_webhook_target (fixture);
  gint64 id = desk_test_add_approved (fixture->store, "Harbour reopens", "The harbour reopened on Monday.");
  gint64 job_id;
  g_autoptr(DeskOutboxJob) job = NULL;

  desk_test_set_secret (fixture->store, target, "not the shared key");
  job_id = publish (fixture, id, target);
  run_publisher (fixture->store);
  job = get_job (fixture, job_id);
  g_assert_cmpint (job->state, ==, DESK_JOB_FAILED);
  g_assert_cmpuint (fixture->site.bad_signatures, ==, 1);
  g_assert_null (strstr (job->last_error, "not the shared key"));
}

static void
test_jobs_survive_a_restart_and_complete_once (Fixture       *fixture,
                                               gconstpointer  data)
{
  gint64 target = add_webhook_target (fixture);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) jobs = NULL;
  gint64 ids[3];

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      g_autofree char *headline = g_strdup_printf ("Story number %u", i);

      ids[i] = desk_test_add_approved (fixture->store, headline, "Body.");
      publish (fixture, ids[i], target);
    }

  /* Quit with the jobs waiting, nothing sent. */
  g_clear_object (&fixture->store);
  g_assert_cmpuint (fixture->site.hook_requests, ==, 0);

  fixture->store = desk_store_open (fixture->path, &error);
  g_assert_no_error (error);
  run_publisher (fixture->store);
  run_publisher (fixture->store);   /* nothing left: sends nothing */

  jobs = desk_store_list_jobs (fixture->store, 0, &error);
  g_assert_cmpuint (jobs->len, ==, 3);
  for (guint i = 0; i < jobs->len; i++)
    {
      DeskOutboxJob *job = g_ptr_array_index (jobs, i);

      g_assert_cmpint (job->state, ==, DESK_JOB_DONE);
      g_assert_cmpuint (job->attempts, ==, 1);
      g_assert_cmpint (status_of (fixture->store, ids[i]), ==, DESK_STATUS_PUBLISHED);
    }
  g_assert_cmpuint (fixture->site.hook_requests, ==, 3);
  g_assert_cmpuint (g_hash_table_size (fixture->site.deliveries), ==, 3);
}

static void
test_no_more_jobs_in_flight_than_the_limit (Fixture       *fixture,
                                            gconstpointer  data)
{
  gint64 target = add_webhook_target (fixture);
  g_autoptr(GPtrArray) jobs = NULL;

  for (guint i = 0; i < 12; i++)
    {
      g_autofree char *headline = g_strdup_printf ("Story number %u", i);

      publish (fixture, desk_test_add_approved (fixture->store, headline, "Body."), target);
    }
  /* The first deliveries are held until the limit's worth are open at
   * once: however slow this machine, the count is the publisher's. */
  fixture->site.hook_hold = DESK_PUBLISHER_MAX_CONCURRENT;
  fixture->site.hook_slow = TRUE;
  run_publisher (fixture->store);

  jobs = desk_store_list_jobs (fixture->store, 0, NULL);
  for (guint i = 0; i < jobs->len; i++)
    g_assert_cmpint (((DeskOutboxJob *) g_ptr_array_index (jobs, i))->state, ==, DESK_JOB_DONE);
  g_assert_cmpuint (g_hash_table_size (fixture->site.deliveries), ==, 12);
  g_assert_cmpuint (fixture->site.hook_most_open, ==, DESK_PUBLISHER_MAX_CONCURRENT);
}

/* The results of one turn are written in one transaction: a result
 * whose attempt lost its lease is left out (and says so), the others are
 * recorded as each would be on its own.  Due jobs are taken by one lease,
 * as many as asked for, and none another publisher holds. */
static void
test_results_of_a_turn_are_written_together (Fixture       *fixture,
                                             gconstpointer  data)
{
  gint64 target = add_webhook_target (fixture);
  gint64 later = g_get_real_time () + 60 * G_USEC_PER_SEC;
  g_autoptr(GArray) first = NULL;
  g_autoptr(GArray) second = NULL;
  g_autoptr(GArray) taken_over = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskOutboxJob) done = NULL;
  g_autoptr(DeskOutboxJob) lost = NULL;
  g_autoptr(DeskOutboxJob) failed = NULL;
  g_autofree char *remote = NULL;
  DeskJobResult results[3] = { { 0 } };
  gint64 ids[3], jobs[3];

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      g_autofree char *headline = g_strdup_printf ("Story number %u", i);

      ids[i] = desk_test_add_approved (fixture->store, headline, "Body.");
      jobs[i] = publish (fixture, ids[i], target);
    }

  first = desk_store_job_claim_due (fixture->store, 2, "lease-a", later, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (first->len, ==, 2);
  g_assert_cmpint (g_array_index (first, DeskJobClaim, 0).job_id, ==, jobs[0]);
  g_assert_cmpint (g_array_index (first, DeskJobClaim, 1).job_id, ==, jobs[1]);
  g_assert_false (g_array_index (first, DeskJobClaim, 0).may_have_reached);
  second = desk_store_job_claim_due (fixture->store, 5, "lease-b", later, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (second->len, ==, 1);
  g_assert_cmpint (g_array_index (second, DeskJobClaim, 0).job_id, ==, jobs[2]);

  /* Job 2's lease runs out, and another publisher takes it: it may
   * have reached the target. */
  g_assert_cmpint (desk_test_sql_int (fixture->path, "SELECT count(*) FROM outbox WHERE lease_owner = 'lease-a'"), ==, 2);
  {
    sqlite3 *db;
    g_autofree char *sql = g_strdup_printf ("UPDATE outbox SET next_try_at = 0 WHERE id = %" G_GINT64_FORMAT, jobs[1]);

    g_assert_cmpint (sqlite3_open (fixture->path, &db), ==, SQLITE_OK);
    sqlite3_busy_timeout (db, 5000);
    g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
    sqlite3_close (db);
  }
  taken_over = desk_store_job_claim_due (fixture->store, 5, "lease-c", later, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (taken_over->len, ==, 1);
  g_assert_cmpint (g_array_index (taken_over, DeskJobClaim, 0).job_id, ==, jobs[1]);
  g_assert_true (g_array_index (taken_over, DeskJobClaim, 0).may_have_reached);

  results[0] = (DeskJobResult) { .job_id = jobs[0], .lease_owner = "lease-a", .state = DESK_JOB_DONE,
                                 .remote_id = "r0", .remote_url = "https://example.org/r0" };
  results[1] = (DeskJobResult) { .job_id = jobs[1], .lease_owner = "lease-a", .state = DESK_JOB_DONE,
                                 .remote_id = "r1", .remote_url = "https://example.org/r1" };
  results[2] = (DeskJobResult) { .job_id = jobs[2], .lease_owner = "lease-b", .state = DESK_JOB_FAILED,
                                 .message = "The webhook refused the post (HTTP 422)" };
  g_assert_true (desk_store_jobs_settle (fixture->store, results, G_N_ELEMENTS (results), &error));
  g_assert_no_error (error);
  g_assert_no_error (results[0].error);
  g_assert_error (results[1].error, DESK_ERROR, DESK_ERROR_LEASE_LOST);
  g_assert_no_error (results[2].error);
  g_clear_error (&results[1].error);

  g_assert_cmpint (status_of (fixture->store, ids[0]), ==, DESK_STATUS_PUBLISHED);
  g_assert_cmpint (status_of (fixture->store, ids[1]), ==, DESK_STATUS_APPROVED);
  g_assert_cmpint (status_of (fixture->store, ids[2]), ==, DESK_STATUS_APPROVED);
  done = get_job (fixture, jobs[0]);
  g_assert_cmpint (done->state, ==, DESK_JOB_DONE);
  lost = get_job (fixture, jobs[1]);
  g_assert_cmpint (lost->state, ==, DESK_JOB_SENDING);
  g_assert_cmpstr (lost->lease_owner, ==, "lease-c");
  /* Where the copy went is a fact about the target: kept all the same. */
  remote = desk_store_dup_remote_id (fixture->store, ids[1], target, NULL);
  g_assert_cmpstr (remote, ==, "r1");
  failed = get_job (fixture, jobs[2]);
  g_assert_cmpint (failed->state, ==, DESK_JOB_FAILED);
  g_assert_cmpint (desk_test_sql_int (fixture->path, "SELECT count(*) FROM events WHERE action = 'published'"), ==, 1);
  g_assert_cmpint (desk_test_sql_int (fixture->path, "SELECT count(*) FROM events WHERE action = 'publish-failed'"), ==, 1);
}

/* ---- publishers killed with SIGKILL ------------------------------------- */

#define CHILD_ENV "COPYDESK_TEST_PUBLISH_CHILD"

/* The child: a publisher of its own on the store at @path, as a second
 * window or a command line would be. */
static int
run_child_publisher (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskStore) store = desk_store_open (path, &error);
  g_autoptr(DeskTarget) target = NULL;
  g_autoptr(DeskPublisher) publisher = NULL;

  if (store == NULL || (target = desk_store_find_target (store, "hook", &error)) == NULL ||
      !desk_store_set_target_secret (store, target, HOOK_SECRET, NULL, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  publisher = desk_publisher_new (store);
  desk_publisher_set_timeout (publisher, 1);   /* leases of 3 s */
  desk_publisher_set_backoff (publisher, 5, 40, 8);
  if (!desk_publisher_run_sync (publisher, NULL, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  return 0;
}

static void
on_child_exited (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  *(gboolean *) user_data = TRUE;
}

/* Runs a child publisher to its end, or until the delivery numbered
 * @kill_at (counted over all children) arrives, which kills it. */
static void
run_child (Fixture *fixture,
           guint    kill_at)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_autoptr(GSubprocess) child = NULL;
  g_autofree char *self = NULL;
  g_autoptr(GError) error = NULL;
  gboolean exited = FALSE;

  g_subprocess_launcher_setenv (launcher, CHILD_ENV, fixture->path, TRUE);
  self = g_file_read_link ("/proc/self/exe", &error);
  g_assert_no_error (error);
  child = g_subprocess_launcher_spawn (launcher, &error, self, NULL);
  g_assert_no_error (error);
  fixture->site.victim = child;
  fixture->site.kill_at = kill_at;
  g_subprocess_wait_async (child, NULL, on_child_exited, &exited);
  while (!exited)
    g_main_context_iteration (NULL, TRUE);
  fixture->site.victim = NULL;
  fixture->site.kill_at = 0;
  if (kill_at == 0)
    g_assert_true (g_subprocess_get_successful (child));
  else
    g_assert_true (g_subprocess_get_if_signaled (child) && g_subprocess_get_term_sig (child) == SIGKILL);
}

/* Publishers in processes of their own are killed with SIGKILL while
 * deliveries are on their way and answered ones wait to be recorded
 * together; the next publisher takes the jobs up when their leases run
 * out and sends them again under the same keys.  Every release ends up
 * published once: one delivery per key, one "published" event each. */
static void
test_publishers_killed_mid_batch_post_nothing_twice (Fixture       *fixture,
                                                     gconstpointer  data)
{
  gint64 target = add_webhook_target (fixture);
  g_autoptr(GPtrArray) jobs = NULL;
  g_autoptr(GError) error = NULL;
  const guint n = 24;

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *headline = g_strdup_printf ("Story number %u", i);

      publish (fixture, desk_test_add_approved (fixture->store, headline, "Body."), target);
    }

  run_child (fixture, 6);
  run_child (fixture, fixture->site.hook_requests + 7);
  run_child (fixture, 0);
  g_assert_cmpuint (fixture->site.hook_requests, >, 6);

  jobs = desk_store_list_jobs (fixture->store, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (jobs->len, ==, n);
  for (guint i = 0; i < jobs->len; i++)
    {
      DeskOutboxJob *job = g_ptr_array_index (jobs, i);
      g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM events WHERE action = 'published'"
                                              " AND release_id = %" G_GINT64_FORMAT, job->release_id);

      g_assert_cmpint (job->state, ==, DESK_JOB_DONE);
      g_assert_cmpstr (job->remote_id, ==, job->idempotency_key);
      g_assert_cmpint (status_of (fixture->store, job->release_id), ==, DESK_STATUS_PUBLISHED);
      g_assert_cmpint (desk_test_sql_int (fixture->path, sql), ==, 1);
    }
  g_assert_cmpuint (g_hash_table_size (fixture->site.deliveries), ==, n);
  g_assert_cmpuint (fixture->site.bad_signatures, ==, 0);
}

static gboolean
cancel_soon (gpointer cancellable)
{
  g_cancellable_cancel (cancellable);
  return G_SOURCE_REMOVE;
}

/* Stopped while sending: the jobs stay leased, and the next run sends
 * them again under the same keys, once the lease is over. */
static void
test_stopped_run_leaves_jobs_to_finish_once (Fixture       *fixture,
                                             gconstpointer  data)
{
  gint64 target = add_webhook_target (fixture);
  g_autoptr(DeskPublisher) publisher = new_publisher (fixture->store);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GPtrArray) jobs = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *headline = g_strdup_printf ("Story number %u", i);

      publish (fixture, desk_test_add_approved (fixture->store, headline, "Body."), target);
    }
  fixture->site.hook_slow = TRUE;
  g_timeout_add (10, cancel_soon, cancellable);
  g_assert_false (desk_publisher_run_sync (publisher, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  jobs = desk_store_list_jobs (fixture->store, 0, NULL);
  for (guint i = 0; i < jobs->len; i++)
    g_assert_cmpint (((DeskOutboxJob *) g_ptr_array_index (jobs, i))->state, ==, DESK_JOB_SENDING);
  g_clear_pointer (&jobs, g_ptr_array_unref);

  fixture->site.hook_slow = FALSE;
  run_publisher (fixture->store);
  jobs = desk_store_list_jobs (fixture->store, 0, NULL);
  for (guint i = 0; i < jobs->len; i++)
    {
      DeskOutboxJob *job = g_ptr_array_index (jobs, i);

      g_assert_cmpint (job->state, ==, DESK_JOB_DONE);
      g_assert_cmpuint (job->attempts, ==, 2);
    }
  g_assert_cmpuint (g_hash_table_size (fixture->site.deliveries), ==, 2);
}

static void
test_local_folder_needs_no_set_up (Fixture       *fixture,
                                   gconstpointer  data)
{
  g_autofree char *folder = g_build_filename (fixture->dir, "published", NULL);
  g_autoptr(DeskTarget) local = NULL;
  g_autoptr(DeskOutboxJob) job = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *html = NULL;
  gint64 id = desk_test_add_approved (fixture->store, "Harbour <reopens>", "The harbour reopened on Monday.");
  gint64 job_id;

  g_setenv ("COPYDESK_PUBLISH_DIR", folder, TRUE);
  local = desk_store_find_target (fixture->store, DESK_DEFAULT_TARGET_NAME, &error);
  g_assert_no_error (error);
  g_assert_cmpint (local->kind, ==, DESK_TARGET_LOCAL_FOLDER);
  job_id = publish (fixture, id, local->id);
  run_publisher (fixture->store);
  job = get_job (fixture, job_id);
  g_assert_cmpint (job->state, ==, DESK_JOB_DONE);
  g_assert_true (g_str_has_prefix (job->remote_id, folder));
  g_assert_true (g_file_get_contents (job->remote_id, &html, NULL, NULL));
  g_assert_nonnull (strstr (html, "<h1>Harbour &lt;reopens&gt;</h1>"));
  g_assert_cmpint (status_of (fixture->store, id), ==, DESK_STATUS_PUBLISHED);
  g_unsetenv ("COPYDESK_PUBLISH_DIR");
}

static void
test_targets_are_listed_and_removed_without_secrets (Fixture       *fixture,
                                                     gconstpointer  data)
{
  gint64 target = add_wordpress_target (fixture, WP_PASSWORD, NULL);
  g_autoptr(GPtrArray) targets = desk_store_list_targets (fixture->store, NULL);
  g_autoptr(GError) error = NULL;
  gint64 id = desk_test_add_approved (fixture->store, "Harbour reopens", "Body.");

  g_assert_cmpuint (targets->len, ==, 2);
  g_assert_cmpstr (((DeskTarget *) g_ptr_array_index (targets, 0))->name, ==, "local");
  g_assert_cmpstr (desk_target_get_setting (g_ptr_array_index (targets, 1), "user"), ==, WP_USER);
  g_assert_null (desk_target_get_setting (g_ptr_array_index (targets, 1), "password"));

  /* Not while a job waits for it. */
  publish (fixture, id, target);
  g_assert_false (desk_store_remove_target (fixture->store, target, &error));
  g_assert_error (error, DESK_ERROR, DESK_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  run_publisher (fixture->store);
  g_assert_true (desk_store_remove_target (fixture->store, target, &error));
  g_assert_no_error (error);
  assert_file_lacks (fixture->path, "EFGH 1234");
}

/* A headline and a standfirst with markup in them reach WordPress as
 * text: every field it reads as HTML is escaped. */
static void
test_hostile_headline_and_standfirst_arrive_as_text (Fixture       *fixture,
                                                     gconstpointer  data)
{
  gint64 target = add_wordpress_target (fixture, WP_PASSWORD, NULL);
  gint64 id = desk_test_add_approved (fixture->store, "<script>alert(1)</script> & \"Q\" it's",
                                      "<b>Bold</b> claims & more, the standfirst says.\n"
                                      "The body <i>paragraph</i>.");
  JsonObject *post;

  publish (fixture, id, target);
  run_publisher (fixture->store);

  g_assert_cmpuint (fixture->site.posts->len, ==, 1);
  post = g_ptr_array_index (fixture->site.posts, 0);
  g_assert_cmpstr (json_object_get_string_member (post, "title"), ==,
                   "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Q&quot; it&#039;s");
  g_assert_cmpstr (json_object_get_string_member (post, "excerpt"), ==,
                   "&lt;b&gt;Bold&lt;/b&gt; claims &amp; more, the standfirst says.");
  g_assert_null (strstr (json_object_get_string_member (post, "content"), "<b>"));
  g_assert_null (strstr (json_object_get_string_member (post, "content"), "<i>"));
  g_assert_null (strstr (json_object_get_string_member (post, "content"), "<script>"));
}

/* Title, excerpt and body come from the approved revision: a headline
 * and a standfirst corrected in review go out corrected, and the old
 * headline at the top of the text is not a paragraph of the post. */
static void
test_everything_sent_comes_from_the_approved_revision (Fixture       *fixture,
                                                       gconstpointer  data)
{
  gint64 target = add_wordpress_target (fixture, WP_PASSWORD, NULL);
  gint64 id = desk_test_add_text (fixture->store,
                                  "Harbour reopens\n"
                                  "The harbour reopend on Munday, officals said.\n"
                                  "Ships queued outside overnight.\n");
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskOutboxJob) job = NULL;
  g_autofree char *ninjs = NULL;
  const char *content;
  JsonObject *post;
  gint64 job_id;

  g_assert_true (desk_store_save_revision (fixture->store, id, "Harbour reopens after the storm",
                                           "Harbour reopens\n"
                                           "The harbour reopened on Monday, officials said.\n"
                                           "Ships queued outside overnight.\n",
                                           "Ana", NULL, &error));
  g_assert_no_error (error);
  desk_test_approve (fixture->store, id);
  job_id = publish (fixture, id, target);
  run_publisher (fixture->store);

  job = get_job (fixture, job_id);
  g_assert_cmpstr (job->slug, ==, "harbour-reopens-after-the-storm-1");
  post = g_ptr_array_index (fixture->site.posts, 0);
  g_assert_cmpstr (json_object_get_string_member (post, "title"), ==, "Harbour reopens after the storm");
  g_assert_cmpstr (json_object_get_string_member (post, "excerpt"), ==,
                   "The harbour reopened on Monday, officials said.");
  content = json_object_get_string_member (post, "content");
  g_assert_true (g_str_has_prefix (content, "<p>The harbour reopened on Monday"));
  g_assert_null (strstr (content, "Harbour reopens<"));

  /* The ninjs the job carries says the same. */
  g_assert_nonnull (strstr (job->payload, "\"The harbour reopened on Monday, officials said.\""));
  g_assert_null (strstr (job->payload, "reopend"));
  g_assert_null (strstr (job->payload, "\"Harbour reopens\\n"));
}

/* A release approved with its ministry letterhead above the headline
 * (the check let go with a reason) is published as the editor saw it:
 * the headline once, as the title, the letterhead in the body. */
static void
test_letterhead_is_published_in_the_body_and_the_headline_once (Fixture       *fixture,
                                                                gconstpointer  data)
{
  g_autofree char *folder = g_build_filename (fixture->dir, "published", NULL);
  gint64 wordpress = add_wordpress_target (fixture, WP_PASSWORD, NULL);
  gint64 id = desk_test_add_letterhead_approved (fixture->store);
  g_autoptr(DeskTarget) local = NULL;
  g_autoptr(DeskOutboxJob) local_job = NULL;
  g_autoptr(DeskOutboxJob) wordpress_job = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *html = NULL;
  gint64 local_job_id;
  gint64 wordpress_job_id;
  JsonObject *post;

  g_setenv ("COPYDESK_PUBLISH_DIR", folder, TRUE);
  local = desk_store_find_target (fixture->store, DESK_DEFAULT_TARGET_NAME, &error);
  g_assert_no_error (error);
  local_job_id = publish (fixture, id, local->id);
  wordpress_job_id = publish (fixture, id, wordpress);
  run_publisher (fixture->store);

  local_job = get_job (fixture, local_job_id);
  g_assert_cmpint (local_job->state, ==, DESK_JOB_DONE);
  g_assert_true (g_file_get_contents (local_job->remote_id, &html, NULL, NULL));
  g_assert_nonnull (strstr (html, "<h1>" DESK_TEST_LETTERHEAD_HEADLINE "</h1>"));
  desk_test_assert_letterhead_body (strstr (html, "</h1>"));

  wordpress_job = get_job (fixture, wordpress_job_id);
  g_assert_cmpint (wordpress_job->state, ==, DESK_JOB_DONE);
  g_assert_cmpuint (fixture->site.posts->len, ==, 1);
  post = g_ptr_array_index (fixture->site.posts, 0);
  g_assert_cmpstr (json_object_get_string_member (post, "title"), ==, DESK_TEST_LETTERHEAD_HEADLINE);
  desk_test_assert_letterhead_body (json_object_get_string_member (post, "content"));

  /* The ninjs a webhook would carry says the same. */
  g_assert_cmpuint (desk_test_count (wordpress_job->payload, DESK_TEST_LETTERHEAD_HEADLINE), ==, 1);
  g_unsetenv ("COPYDESK_PUBLISH_DIR");
}

/* ---- exactly once across publishers --------------------------------------- */

static DeskStore *
open_second_connection (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  DeskStore *store = desk_store_open (fixture->path, &error);

  g_assert_no_error (error);
  return store;
}

/* Two publishers on one store (two connections to the file, as two
 * processes have): only one takes a job; the other neither lists it as
 * due nor records a result for it; when a lease runs out the job is taken
 * over, and the publisher that lost it can record nothing stale. */
static void
test_a_job_is_taken_by_one_lease_at_a_time (Fixture       *fixture,
                                            gconstpointer  data)
{
  g_autoptr(DeskStore) other = open_second_connection (fixture);
  gint64 target = add_webhook_target (fixture);
  gint64 id = desk_test_add_approved (fixture->store, "Harbour reopens", "Body.");
  gint64 job_id = publish (fixture, id, target);
  gint64 now = g_get_real_time ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) due = NULL;
  g_autoptr(DeskOutboxJob) job = NULL;
  g_autofree char *remote = NULL;
  gboolean may_have_reached = TRUE;

  g_assert_true (desk_store_job_begin_attempt (fixture->store, job_id, "first", now + (gint64) 3600 * G_USEC_PER_SEC,
                                               &may_have_reached, &error));
  g_assert_no_error (error);
  g_assert_false (may_have_reached);

  /* Held: the other publisher does not see it due, and cannot take it. */
  due = desk_store_list_due_jobs (other, g_get_real_time (), 10, &error);
  g_assert_cmpuint (due->len, ==, 0);
  g_assert_false (desk_store_job_begin_attempt (other, job_id, "second", now + (gint64) 3600 * G_USEC_PER_SEC, NULL, &error));
  g_assert_error (error, DESK_ERROR, DESK_ERROR_LEASE_LOST);
  g_clear_error (&error);
  /* Nor settle it without the lease. */
  g_assert_false (desk_store_job_complete (other, job_id, "second", "9", NULL, &error));
  g_assert_error (error, DESK_ERROR, DESK_ERROR_LEASE_LOST);
  g_clear_error (&error);
  g_assert_false (desk_store_job_fail (other, job_id, NULL, "no", &error));
  g_assert_error (error, DESK_ERROR, DESK_ERROR_LEASE_LOST);
  g_clear_error (&error);

  /* The first publisher hangs until its lease has run out (here: a lease
   * that ended already); the other takes the job over, and is told an
   * attempt came before. */
  g_assert_true (desk_store_job_renew_lease (fixture->store, job_id, "first", now - 1, &error));
  g_assert_true (desk_store_job_begin_attempt (other, job_id, "second", now + (gint64) 3600 * G_USEC_PER_SEC,
                                               &may_have_reached, &error));
  g_assert_no_error (error);
  g_assert_true (may_have_reached);

  /* The first one's late answer is not recorded over the second's. */
  g_assert_false (desk_store_job_retry_later (fixture->store, job_id, "first", now, "late", &error));
  g_assert_error (error, DESK_ERROR, DESK_ERROR_LEASE_LOST);
  g_clear_error (&error);
  g_assert_false (desk_store_job_complete (fixture->store, job_id, "first", "1", NULL, &error));
  g_assert_error (error, DESK_ERROR, DESK_ERROR_LEASE_LOST);
  g_clear_error (&error);
  g_assert_false (desk_store_job_renew_lease (fixture->store, job_id, "first", now + G_USEC_PER_SEC, &error));
  g_assert_error (error, DESK_ERROR, DESK_ERROR_LEASE_LOST);
  g_clear_error (&error);

  g_assert_true (desk_store_job_complete (other, job_id, "second", "2", "https://example.org/2", &error));
  g_assert_no_error (error);
  job = get_job (fixture, job_id);
  g_assert_cmpint (job->state, ==, DESK_JOB_DONE);
  g_assert_cmpuint (job->attempts, ==, 2);
  g_assert_cmpstr (job->remote_id, ==, "2");
  g_assert_null (job->lease_owner);
  remote = desk_store_dup_remote_id (fixture->store, id, target, NULL);
  g_assert_cmpstr (remote, ==, "2");
  /* Even settled by the other, it is a lease lost, not a missing job. */
  g_assert_false (desk_store_job_fail (fixture->store, job_id, "first", "late", &error));
  g_assert_error (error, DESK_ERROR, DESK_ERROR_LEASE_LOST);
  g_clear_error (&error);

  /* Settled: no one takes it again. */
  g_assert_false (desk_store_job_begin_attempt (fixture->store, job_id, "third", now, NULL, &error));
  g_assert_error (error, DESK_ERROR, DESK_ERROR_NOT_FOUND);
}

static void
on_first_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (desk_publisher_run_finish (DESK_PUBLISHER (source), result, &error));
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

/* Two publishers running over the same outbox at once send each job once
 * and record every result (issue 9: "Could not record job #46 as done"). */
static void
test_two_publishers_over_one_outbox_send_each_job_once (Fixture       *fixture,
                                                        gconstpointer  data)
{
  g_autoptr(DeskStore) other = open_second_connection (fixture);
  g_autoptr(DeskPublisher) first = NULL;
  g_autoptr(DeskPublisher) second = NULL;
  g_autoptr(GPtrArray) jobs = NULL;
  gint64 target = add_wordpress_target (fixture, WP_PASSWORD, NULL);
  gboolean first_done = FALSE, second_done = FALSE;

  for (guint i = 0; i < 12; i++)
    {
      g_autofree char *headline = g_strdup_printf ("Harbour story %u", i);

      publish (fixture, desk_test_add_approved (fixture->store, headline, "Body."), target);
    }
  first = new_publisher (fixture->store);
  second = new_publisher (other);
  /* Both on this main context, taking jobs in turn as answers come. */
  desk_publisher_run_async (first, NULL, on_first_done, &first_done);
  desk_publisher_run_async (second, NULL, on_first_done, &second_done);
  while (!first_done || !second_done)
    g_main_context_iteration (NULL, TRUE);

  jobs = desk_store_list_jobs (fixture->store, 0, NULL);
  for (guint i = 0; i < jobs->len; i++)
    {
      DeskOutboxJob *job = g_ptr_array_index (jobs, i);

      g_assert_cmpint (job->state, ==, DESK_JOB_DONE);
      g_assert_cmpuint (job->attempts, ==, 1);
      g_assert_cmpuint (count_posts_with_slug (&fixture->site, job->slug), ==, 1);
    }
  g_assert_cmpuint (fixture->site.posts->len, ==, 12);
}

/* A job that failed for good after its post was made, and one that gave
 * up after its attempts, leave the release's identity knowing that an
 * attempt may have reached the site: the next publish, a new job with no
 * attempts of its own, looks the post up and makes no second one. */
static void
test_publishing_again_after_a_failure_makes_no_second_post (Fixture       *fixture,
                                                            gconstpointer  data)
{
  gint64 target = add_wordpress_target (fixture, WP_PASSWORD, NULL);
  gint64 failed = desk_test_add_approved (fixture->store, "Harbour reopens", "Body.");
  gint64 gave_up = desk_test_add_approved (fixture->store, "Bridge closes", "Body.");
  g_autoptr(DeskOutboxJob) job = NULL;
  g_autoptr(DeskOutboxJob) again = NULL;
  gint64 job_id;

  /* The post is made, its answer lost; the look-up is refused (403). */
  add_faults (&fixture->site, FAULT_DROP_AFTER_CREATE, -1);
  fixture->site.find_failures = 1;
  fixture->site.find_status = 403;
  job_id = publish (fixture, failed, target);
  run_publisher (fixture->store);
  job = get_job (fixture, job_id);
  g_assert_cmpint (job->state, ==, DESK_JOB_FAILED);
  g_assert_cmpuint (fixture->site.posts->len, ==, 1);

  job_id = publish (fixture, failed, target);
  run_publisher (fixture->store);
  again = get_job (fixture, job_id);
  g_assert_cmpint (again->state, ==, DESK_JOB_DONE);
  g_assert_cmpuint (again->attempts, ==, 1);
  g_assert_cmpuint (fixture->site.posts->len, ==, 1);
  g_assert_cmpuint (count_posts_with_slug (&fixture->site, job->slug), ==, 1);
  g_assert_cmpint (status_of (fixture->store, failed), ==, DESK_STATUS_PUBLISHED);

  /* Made, answer lost, then every look-up fails (500) until it gives up. */
  g_clear_pointer (&job, desk_outbox_job_free);
  g_clear_pointer (&again, desk_outbox_job_free);
  add_faults (&fixture->site, FAULT_DROP_AFTER_CREATE, -1);
  fixture->site.find_failures = 7;
  fixture->site.find_status = 500;
  job_id = publish (fixture, gave_up, target);
  run_publisher (fixture->store);
  job = get_job (fixture, job_id);
  g_assert_cmpint (job->state, ==, DESK_JOB_FAILED);
  g_assert_nonnull (strstr (job->last_error, "Gave up after 8 attempts"));
  g_assert_cmpuint (fixture->site.posts->len, ==, 2);

  job_id = publish (fixture, gave_up, target);
  run_publisher (fixture->store);
  again = get_job (fixture, job_id);
  g_assert_cmpint (again->state, ==, DESK_JOB_DONE);
  g_assert_cmpuint (fixture->site.posts->len, ==, 2);
  g_assert_cmpuint (count_posts_with_slug (&fixture->site, job->slug), ==, 1);
}

/* Editing a target, or removing it and adding it again (once the only
 * way to change its password), keeps its identity: a correction updates
 * the post it made. */
static void
test_target_edited_or_added_again_updates_its_post (Fixture       *fixture,
                                                    gconstpointer  data)
{
  gint64 target = add_wordpress_target (fixture, WP_PASSWORD, NULL);
  gint64 id = desk_test_add_approved (fixture->store, "Harbour reopens", "The harbour reopened on Monday.");
  g_autoptr(JsonObject) settings = json_object_new ();
  g_autoptr(JsonObject) changes = json_object_new ();
  g_autoptr(GPtrArray) jobs = NULL;
  g_autoptr(GPtrArray) targets = NULL;
  g_autoptr(DeskTarget) edited = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *post;
  gint64 again;

  publish (fixture, id, target);
  run_publisher (fixture->store);
  g_assert_cmpuint (fixture->site.posts->len, ==, 1);

  /* Edited in place: same id, the new setting, and the post is updated. */
  json_object_set_string_member (changes, "status", "draft");
  g_assert_true (desk_store_edit_target (fixture->store, target, NULL, changes, &error));
  g_assert_no_error (error);
  edited = desk_store_get_target (fixture->store, target, NULL);
  g_assert_cmpstr (desk_target_get_setting (edited, "status"), ==, "draft");
  g_assert_true (desk_store_save_revision (fixture->store, id, NULL, "The harbour reopened on Tuesday.\n", "Ana", NULL, &error));
  g_assert_true (desk_store_set_status (fixture->store, id, DESK_STATUS_APPROVED, "Ana", NULL, &error));
  publish (fixture, id, target);
  run_publisher (fixture->store);
  g_assert_cmpuint (fixture->site.posts->len, ==, 1);

  /* A bad edit is refused by the same rule as an addition. */
  json_object_set_string_member (changes, "status", "live");
  g_assert_false (desk_store_edit_target (fixture->store, target, NULL, changes, &error));
  g_assert_error (error, DESK_ERROR, DESK_ERROR_INVALID_INPUT);
  g_clear_error (&error);

  /* Removed: not listed, but its jobs stay. */
  g_assert_true (desk_store_remove_target (fixture->store, target, &error));
  targets = desk_store_list_targets (fixture->store, NULL);
  g_assert_cmpuint (targets->len, ==, 1);
  jobs = desk_store_list_jobs (fixture->store, id, NULL);
  g_assert_cmpuint (jobs->len, ==, 2);

  /* Added again under its name: the same target. */
  json_object_set_string_member (settings, "url", fixture->site.base);
  json_object_set_string_member (settings, "user", WP_USER);
  again = desk_store_add_target (fixture->store, DESK_TARGET_WORDPRESS, "site", settings, &error);
  g_assert_no_error (error);
  g_assert_cmpint (again, ==, target);
  desk_test_set_secret (fixture->store, again, WP_PASSWORD);
  g_assert_true (desk_store_save_revision (fixture->store, id, NULL, "The harbour reopened on Wednesday.\n", "Ana", NULL, &error));
  g_assert_true (desk_store_set_status (fixture->store, id, DESK_STATUS_APPROVED, "Ana", NULL, &error));
  publish (fixture, id, again);
  run_publisher (fixture->store);
  g_assert_cmpuint (fixture->site.posts->len, ==, 1);
  post = g_ptr_array_index (fixture->site.posts, 0);
  g_assert_cmpstr (json_object_get_string_member (post, "content"), ==, "<p>The harbour reopened on Wednesday.</p>\n");

  /* Another kind under a removed target's name is refused. */
  g_assert_true (desk_store_remove_target (fixture->store, target, &error));
  g_assert_cmpint (desk_store_add_target (fixture->store, DESK_TARGET_WEBHOOK, "site", settings, &error), ==, 0);
  g_assert_error (error, DESK_ERROR, DESK_ERROR_DUPLICATE);
}

/* A server that quotes the Authorization header back in its error: the
 * message is stored and shown without it. */
static void
test_server_messages_are_stored_without_credentials (Fixture       *fixture,
                                                     gconstpointer  data)
{
  gint64 target = add_wordpress_target (fixture, WP_PASSWORD, NULL);
  gint64 id = desk_test_add_approved (fixture->store, "Harbour reopens", "Body.");
  g_autofree char *credentials = g_strdup_printf ("%s:%s", WP_USER, WP_PASSWORD);
  g_autofree char *encoded = g_base64_encode ((const guchar *) credentials, strlen (credentials));
  g_autoptr(DeskOutboxJob) job = NULL;
  g_autoptr(GPtrArray) events = NULL;
  gint64 job_id;

  add_faults (&fixture->site, FAULT_403_QUOTING_AUTHORIZATION, -1);
  job_id = publish (fixture, id, target);
  run_publisher (fixture->store);
  job = get_job (fixture, job_id);
  g_assert_cmpint (job->state, ==, DESK_JOB_FAILED);
  g_assert_nonnull (strstr (job->last_error, "Forbidden for Authorization: " DESK_REDACTED));
  g_assert_null (strstr (job->last_error, encoded));
  g_assert_null (strstr (job->last_error, "EFGH"));
  g_assert_null (strstr (job->last_error, "Basic"));
  events = desk_store_list_events (fixture->store, id, NULL);
  for (guint i = 0; i < events->len; i++)
    {
      const char *note = ((DeskEvent *) g_ptr_array_index (events, i))->note;

      g_assert_true (note == NULL || strstr (note, encoded) == NULL);
    }
  g_clear_object (&fixture->store);
  assert_file_lacks (fixture->path, encoded);
  assert_file_lacks (fixture->path, "EFGH 1234");
}

/* The webhook's signature is made by Nettle; receivers check it as GLib
 * (and every HMAC-SHA256) does: the same digest for keys shorter and
 * longer than SHA-256's block, for empty and long bodies. */
static void
test_signature_is_the_hmac_glib_computes (void)
{
  const char *keys[] = { "", "k", "bench-secret",
                         "a shared secret of more than sixty-four bytes, which HMAC hashes first",
                         NULL };
  const char *text = "{\"headline\": \"Caf\u00e9 \u5e02\u573a\"}";
  g_autoptr(GString) body = g_string_new (NULL);

  /* Every length to 200 bytes (around the 64-byte blocks), then longer. */
  for (guint n = 0; n < 20000; n += n < 200 ? 1 : 997)
    {
      while (body->len < n)
        g_string_append_c (body, text[body->len % strlen (text)]);
      for (guint i = 0; keys[i] != NULL; i++)
        {
          g_autofree char *expected = g_compute_hmac_for_data (G_CHECKSUM_SHA256,
                                                               (const guchar *) keys[i], strlen (keys[i]),
                                                               (const guchar *) body->str, body->len);
          g_autofree char *made = desk_hmac_sha256_hex (keys[i], strlen (keys[i]), body->str, body->len);
          g_autofree char *sum = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) body->str, body->len);
          g_autofree char *hashed = desk_sha256_hex (body->str, body->len);

          g_assert_cmpstr (made, ==, expected);
          g_assert_cmpstr (hashed, ==, sum);
        }
    }
}

static void
test_redact_takes_out_every_credential_shape (void)
{
  struct { const char *in; const char *secret; const char *out; } cases[] = {
    { "Authorization: Basic ZWRpdG9yOmFiY2Q= was refused", NULL, "Authorization: " DESK_REDACTED " was refused" },
    { "{\"authorization\":\"Bearer eyJhbGciOi.x.y\"}", NULL, "{\"authorization\":\"" DESK_REDACTED "\"}" },
    { "got Bearer abcdefghijklmnop", NULL, "got Bearer " DESK_REDACTED },
    { "bad login: user=ed&password=hunter22&x=1", NULL, "bad login: user=ed&password=" DESK_REDACTED "&x=1" },
    { "{\"token\": \"t0k3n-value\", \"ok\": false}", NULL, "{\"token\": \"" DESK_REDACTED "\", \"ok\": false}" },
    { "see https://ed:pw123@example.org/x", NULL, "see https://ed:" DESK_REDACTED "@example.org/x" },
    { "the app password abcd EFGH 1234 ijkl MNOP 5678 is wrong", NULL, "the app password " DESK_REDACTED " is wrong" },
    { "key was s3cret-shared-key-for-the-hook!", "s3cret-shared-key-for-the-hook", "key was " DESK_REDACTED "!" },
    { "Invalid parameter(s): status", NULL, "Invalid parameter(s): status" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = desk_redact (cases[i].in, cases[i].secret);

      g_assert_cmpstr (out, ==, cases[i].out);
    }
  g_assert_null (desk_redact (NULL, NULL));
}

/* Schema 6 moves where releases already are into their remote
 * identities, so that the first publish after the upgrade updates. */
static void
test_schema_5_remote_ids_become_remote_identities (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("copydesk-publish-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "v5.db", NULL);
  g_autoptr(DeskStore) old = desk_store_open_at_version (path, 5, &error);
  g_autoptr(DeskStore) store = NULL;
  g_autofree char *remote = NULL;
  g_autofree char *url = NULL;
  g_autofree char *none = NULL;
  gint64 done_id, failed_id;
  sqlite3 *db;

  g_assert_no_error (error);
  done_id = desk_test_add_approved (old, "Harbour reopens", "Body.");
  failed_id = desk_test_add_approved (old, "Bridge closes", "Body.");
  g_clear_object (&old);
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db,
    "INSERT INTO outbox (release_id, target_id, revision_id, sha256, slug, idempotency_key, payload, state,"
    " attempts, next_try_at, remote_id, remote_url, actor, created_at, updated_at) VALUES"
    " (1, 1, 1, 'a', 'harbour-reopens', 'k1', '{}', 'failed', 2, 0, NULL, NULL, 'Ana', 1, 1),"
    " (1, 1, 1, 'a', 'harbour-reopens', 'k1', '{}', 'done', 1, 0, '77', 'https://example.org/?p=77', 'Ana', 2, 2),"
    " (2, 1, 2, 'b', 'bridge-closes', 'k2', '{}', 'failed', 1, 0, NULL, NULL, 'Ana', 3, 3);",
    NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  store = desk_store_open (path, &error);
  g_assert_no_error (error);
  remote = desk_store_dup_remote_id (store, done_id, 1, &url);
  g_assert_cmpstr (remote, ==, "77");
  g_assert_cmpstr (url, ==, "https://example.org/?p=77");
  none = desk_store_dup_remote_id (store, failed_id, 1, NULL);
  g_assert_null (none);
  g_assert_cmpint (desk_test_sql_int (path, "SELECT attempted FROM remote_identities WHERE release_id = 2"), ==, 1);
  g_assert_cmpint (desk_test_sql_int (path, "SELECT count(*) FROM remote_identities"), ==, 2);
  g_assert_cmpint (desk_test_sql_int (path, "SELECT count(*) FROM store_info WHERE name = 'uuid' AND length (value) = 36"), ==, 1);
  g_clear_object (&store);
  desk_test_remove_tree (dir);
}

int
main (int    argc,
      char **argv)
{
  /* Secrets stay in this process: no keyring is touched by these tests. */
  g_setenv ("COPYDESK_SECRETS", "memory", TRUE);
  if (g_getenv (CHILD_ENV) != NULL)
    return run_child_publisher (g_getenv (CHILD_ENV));
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/publish/wordpress/moves-to-published-only-on-success", test_publishing_moves_to_published_only_on_success);
  ADD ("/publish/wordpress/fault-sequences-end-with-one-post-per-release", test_fault_sequences_end_with_one_post_per_release);
  ADD ("/publish/wordpress/wrong-password-fails-for-good-in-plain-words", test_wrong_password_fails_for_good_in_plain_words);
  ADD ("/publish/wordpress/client-errors-fail-for-good-with-the-servers-message", test_client_errors_fail_for_good_with_the_servers_message);
  ADD ("/publish/wordpress/site-serving-only-rest-route-works", test_site_serving_only_rest_route_works);
  ADD ("/publish/wordpress/corrected-release-updates-the-same-post", test_corrected_release_updates_the_same_post);
  ADD ("/publish/webhook/signed-and-delivered-once-by-its-key", test_webhook_is_signed_and_delivered_once_by_its_key);
  ADD ("/publish/webhook/wrong-secret-is-refused", test_wrong_webhook_secret_is_refused);
  ADD ("/publish/webhook/sends-only-copy-still-approved", test_webhook_sends_only_copy_still_approved);
  ADD ("/publish/webhook/deliveries-keep-connections-alive", test_webhook_deliveries_keep_connections_alive);
  ADD ("/publish/outbox/jobs-survive-a-restart-and-complete-once", test_jobs_survive_a_restart_and_complete_once);
  ADD ("/publish/outbox/no-more-jobs-in-flight-than-the-limit", test_no_more_jobs_in_flight_than_the_limit);
  ADD ("/publish/outbox/stopped-run-leaves-jobs-to-finish-once", test_stopped_run_leaves_jobs_to_finish_once);
  ADD ("/publish/local-folder/needs-no-set-up", test_local_folder_needs_no_set_up);
  ADD ("/publish/letterhead-is-published-in-the-body-and-the-headline-once", test_letterhead_is_published_in_the_body_and_the_headline_once);
  ADD ("/publish/targets/listed-and-removed-without-secrets", test_targets_are_listed_and_removed_without_secrets);
  ADD ("/publish/content/hostile-headline-and-standfirst-arrive-as-text", test_hostile_headline_and_standfirst_arrive_as_text);
  ADD ("/publish/content/everything-sent-comes-from-the-approved-revision", test_everything_sent_comes_from_the_approved_revision);
  ADD ("/publish/once/a-job-is-taken-by-one-lease-at-a-time", test_a_job_is_taken_by_one_lease_at_a_time);
  ADD ("/publish/once/results-of-a-turn-are-written-together", test_results_of_a_turn_are_written_together);
  ADD ("/publish/once/publishers-killed-mid-batch-post-nothing-twice", test_publishers_killed_mid_batch_post_nothing_twice);
  ADD ("/publish/once/two-publishers-over-one-outbox-send-each-job-once", test_two_publishers_over_one_outbox_send_each_job_once);
  ADD ("/publish/once/publishing-again-after-a-failure-makes-no-second-post", test_publishing_again_after_a_failure_makes_no_second_post);
  ADD ("/publish/once/target-edited-or-added-again-updates-its-post", test_target_edited_or_added_again_updates_its_post);
  ADD ("/publish/redact/server-messages-are-stored-without-credentials", test_server_messages_are_stored_without_credentials);
  g_test_add_func ("/publish/redact/takes-out-every-credential-shape", test_redact_takes_out_every_credential_shape);
  g_test_add_func ("/publish/webhook/signature-is-the-hmac-glib-computes", test_signature_is_the_hmac_glib_computes);
  g_test_add_func ("/publish/once/schema-5-remote-ids-become-remote-identities", test_schema_5_remote_ids_become_remote_identities);

#undef ADD

  return g_test_run ();
}
