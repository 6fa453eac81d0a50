/* soak-publish.c — several copydesk-cli publishers, killed at random,
 * against one WordPress: exactly one post per release
 *
 * soak-publish [--processes N] [--releases M] [--seed S]
 *
 * An in-process SoupServer speaks enough of the WordPress REST API for
 * the publisher (users/me, posts by slug with status=any, create, update,
 * tags), drops the answer to some creations after making the post, and
 * counts posts per requested slug.  Half of M approved releases are
 * queued first.  N workers each run copydesk-cli processes in turn —
 * first "outbox --run", all at once over the queued jobs, then "publish
 * ID --target site" for their share of the releases, now and then
 * "outbox --run" again — on one database, while
 * a timer kills a running one with SIGKILL now and then; a killed worker
 * goes on with its next release.  At the end every release not yet
 * published is published again, and one "outbox --run" finishes the
 * rest.  Then there must be exactly one post for each release, and every
 * release published.  Prints the figures.
 *
 * Real processes, a real SQLite file and a real Secret Service (run it
 * under with-keyring.sh; without one it skips).
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <signal.h>
#include <string.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "desk-outbox.h"
#include "desk-test-util.h"

#define WP_USER     "soak"
#define WP_PASSWORD "soak PASS 1234 word 5678 abcd"

typedef struct {
  GPtrArray  *posts;        /* JsonObject: id, slug, wanted (the slug asked for) */
  GHashTable *per_slug;     /* wanted slug → count */
  gint64      next_id;
  guint       dropped;
  guint       requests;
  GRand      *rand;
  char       *base;
} Site;

typedef struct {
  guint         index;
  GSubprocess  *proc;
  GArray       *releases;   /* its share */
  guint         next;
  guint         runs;
  gboolean      finished;
} Worker;

static Site site;
static char *db_path;
static char *work_dir;
static char *cli;
static guint kills;
static guint spawned;
static Worker *workers;
static guint n_workers;

static void
reply (SoupServerMessage *msg,
       guint              status,
       JsonNode          *root)
{
  g_autofree char *text = json_to_string (root, FALSE);

  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, text, strlen (text));
}

static void
reply_object (SoupServerMessage *msg,
              guint              status,
              JsonObject        *object)
{
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);

  json_node_set_object (root, object);
  reply (msg, status, root);
}

static gboolean
authorized (SoupServerMessage *msg)
{
  const char *header = soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "Authorization");
  g_autofree char *expected = g_base64_encode ((const guchar *) WP_USER ":" WP_PASSWORD, strlen (WP_USER ":" WP_PASSWORD));

  return header != NULL && g_str_has_prefix (header, "Basic ") && g_str_equal (header + 6, expected);
}

static void
handle (SoupServer        *server,
        SoupServerMessage *msg,
        const char        *path,
        GHashTable        *query,
        gpointer           user_data)
{
  const char *method = soup_server_message_get_method (msg);
  const char *route = g_str_has_prefix (path, "/wp-json/") ? path + strlen ("/wp-json") : NULL;
  g_autoptr(JsonObject) answer = json_object_new ();

  site.requests++;
  if (route == NULL || !authorized (msg))
    {
      json_object_set_string_member (answer, "code", route == NULL ? "rest_no_route" : "rest_not_logged_in");
      json_object_set_string_member (answer, "message", "No.");
      reply_object (msg, route == NULL ? 404 : 401, answer);
      return;
    }
  if (g_str_equal (route, "/wp/v2/users/me"))
    {
      json_object_set_int_member (answer, "id", 1);
      reply_object (msg, 200, answer);
      return;
    }
  if (g_str_equal (route, "/wp/v2/tags"))
    {
      json_object_set_int_member (answer, "id", 1);
      reply_object (msg, 201, answer);
      return;
    }
  if (g_str_equal (route, "/wp/v2/posts") && g_str_equal (method, "GET"))
    {
      const char *slug = query != NULL ? g_hash_table_lookup (query, "slug") : NULL;
      g_autoptr(JsonArray) found = json_array_new ();
      g_autoptr(JsonNode) root = json_node_new (JSON_NODE_ARRAY);

      for (guint i = 0; i < site.posts->len; i++)
        if (g_strcmp0 (json_object_get_string_member (g_ptr_array_index (site.posts, i), "slug"), slug) == 0)
          json_array_add_object_element (found, json_object_ref (g_ptr_array_index (site.posts, i)));
      json_node_set_array (root, found);
      reply (msg, 200, root);
      return;
    }
  if (g_str_has_prefix (route, "/wp/v2/posts") && g_str_equal (method, "POST"))
    {
      g_autoptr(GBytes) body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonObject *request;
      JsonObject *post = NULL;

      if (!json_parser_load_from_data (parser, g_bytes_get_data (body, NULL), (gssize) g_bytes_get_size (body), NULL) ||
          !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
        {
          soup_server_message_set_status (msg, 400, NULL);
          return;
        }
      request = json_node_get_object (json_parser_get_root (parser));
      if (g_str_equal (route, "/wp/v2/posts"))
        {
          const char *wanted = json_object_get_string_member_with_default (request, "slug", "");
          guint count = GPOINTER_TO_UINT (g_hash_table_lookup (site.per_slug, wanted));
          g_autofree char *slug = count == 0 ? g_strdup (wanted) : g_strdup_printf ("%s-%u", wanted, count + 1);
          g_autofree char *link = NULL;

          post = json_object_new ();
          json_object_set_int_member (post, "id", site.next_id++);
          json_object_set_string_member (post, "slug", slug);
          json_object_set_string_member (post, "wanted", wanted);
          link = g_strdup_printf ("%s/?p=%" G_GINT64_FORMAT, site.base, json_object_get_int_member (post, "id"));
          json_object_set_string_member (post, "link", link);
          g_ptr_array_add (site.posts, post);
          g_hash_table_insert (site.per_slug, g_strdup (wanted), GUINT_TO_POINTER (count + 1));
        }
      else
        {
          gint64 id = g_ascii_strtoll (route + strlen ("/wp/v2/posts/"), NULL, 10);

          for (guint i = 0; i < site.posts->len && post == NULL; i++)
            if (json_object_get_int_member (g_ptr_array_index (site.posts, i), "id") == id)
              post = g_ptr_array_index (site.posts, i);
          if (post == NULL)
            {
              json_object_set_string_member (answer, "code", "rest_post_invalid_id");
              reply_object (msg, 404, answer);
              return;
            }
        }
      /* The post is made; one answer in five is lost. */
      if (g_rand_int_range (site.rand, 0, 5) == 0)
        {
          g_autoptr(GIOStream) stream = soup_server_message_steal_connection (msg);

          site.dropped++;
          g_io_stream_close (stream, NULL, NULL);
          return;
        }
      reply_object (msg, 201, post);
      return;
    }
  json_object_set_string_member (answer, "code", "rest_no_route");
  reply_object (msg, 404, answer);
}

/* ---- the publishers ------------------------------------------------------- */

static void spawn_next (Worker *worker);

static GSubprocess *
spawn (const char * const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  g_autofree char *name = g_strdup_printf ("stderr-%u.txt", spawned);
  g_autofree char *err_path = g_build_filename (work_dir, name, NULL);
  GSubprocess *proc;

  g_ptr_array_add (argv, cli);
  g_ptr_array_add (argv, "--database");
  g_ptr_array_add (argv, db_path);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);
  /* What each publisher said, to be read at the end. */
  g_subprocess_launcher_set_stderr_file_path (launcher, err_path);
  proc = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  spawned++;
  return proc;
}

static void
on_publisher_exit (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Worker *worker = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  g_clear_object (&worker->proc);
  spawn_next (worker);
}

static void
spawn_next (Worker *worker)
{
  if (worker->next >= worker->releases->len)
    {
      worker->finished = TRUE;
      return;
    }
  /* Every worker starts with the outbox that waits, all at once. */
  if (worker->runs++ == 0 || g_rand_int_range (site.rand, 0, 4) == 0)
    {
      const char *args[] = { "outbox", "--run", "--timeout", "2", NULL };

      worker->proc = spawn (args);
    }
  else
    {
      g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, g_array_index (worker->releases, gint64, worker->next));
      const char *args[] = { "publish", id, "--target", "site", "--timeout", "2", NULL };

      worker->proc = spawn (args);
      worker->next++;
    }
  g_subprocess_wait_async (worker->proc, NULL, on_publisher_exit, worker);
}

static gboolean
kill_one (gpointer data)
{
  guint *budget = data;
  Worker *worker = &workers[g_rand_int_range (site.rand, 0, (gint32) n_workers)];

  if (*budget > 0 && worker->proc != NULL && g_rand_int_range (site.rand, 0, 3) == 0)
    {
      g_subprocess_send_signal (worker->proc, SIGKILL);
      kills++;
      (*budget)--;
    }
  return G_SOURCE_CONTINUE;
}

static void
run_to_the_end (const char * const *args)
{
  g_autoptr(GSubprocess) proc = spawn (args);
  Worker waiter = { 0 };

  waiter.releases = g_array_new (FALSE, FALSE, sizeof (gint64));
  waiter.proc = g_object_ref (proc);
  g_subprocess_wait_async (proc, NULL, on_publisher_exit, &waiter);
  while (!waiter.finished)
    g_main_context_iteration (NULL, TRUE);
  g_array_unref (waiter.releases);
}

static guint opt_processes = 4;
static guint opt_releases = 50;
static guint opt_seed;

static void
test_every_release_ends_with_exactly_one_post (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupServer) server = NULL;
  g_autoptr(DeskStore) store = NULL;
  g_autoptr(JsonObject) settings = json_object_new ();
  g_autoptr(GArray) releases = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *dir = NULL;
  g_autoslist(GUri) uris = NULL;
  gint64 target, started;
  guint kill_budget, kill_source, duplicates = 0, missing = 0, unpublished = 0, warnings = 0;

  if (g_getenv ("COPYDESK_TEST_KEYRING") == NULL)
    {
      g_test_skip ("no Secret Service could be started (gnome-keyring in a D-Bus session)");
      return;
    }
  cli = g_strdup (g_getenv ("COPYDESK_CLI"));
  g_assert_nonnull (cli);

  site.posts = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  site.per_slug = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  site.next_id = 1;
  site.rand = opt_seed != 0 ? g_rand_new_with_seed (opt_seed) : g_rand_new ();
  server = soup_server_new (NULL, NULL);
  soup_server_add_handler (server, NULL, handle, NULL, NULL);
  soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  site.base = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));

  dir = g_dir_make_tmp ("copydesk-soak-XXXXXX", &error);
  g_assert_no_error (error);
  work_dir = dir;
  db_path = g_build_filename (dir, "desk.db", NULL);
  store = desk_store_open (db_path, &error);
  g_assert_no_error (error);
  json_object_set_string_member (settings, "url", site.base);
  json_object_set_string_member (settings, "user", WP_USER);
  target = desk_store_add_target (store, DESK_TARGET_WORDPRESS, "site", settings, &error);
  g_assert_no_error (error);
  g_assert_false (desk_test_set_secret (store, target, WP_PASSWORD));   /* in the keyring */
  for (guint i = 0; i < opt_releases; i++)
    {
      g_autofree char *headline = g_strdup_printf ("Soak story number %u", i);
      gint64 id = desk_test_add_approved (store, headline, "The harbour reopened on Monday, officials said.");

      g_array_append_val (releases, id);
      /* Half of them queued already, for every worker to compete for. */
      if (i % 2 == 0)
        {
          desk_store_publish (store, id, target, "Soak", &error);
          g_assert_no_error (error);
        }
    }

  /* The workers, each with its share, and the killer. */
  started = g_get_monotonic_time ();
  n_workers = opt_processes;
  workers = g_new0 (Worker, n_workers);
  for (guint w = 0; w < n_workers; w++)
    {
      workers[w].index = w;
      workers[w].releases = g_array_new (FALSE, FALSE, sizeof (gint64));
      for (guint i = w; i < releases->len; i += n_workers)
        g_array_append_val (workers[w].releases, g_array_index (releases, gint64, i));
      spawn_next (&workers[w]);
    }
  kill_budget = MAX (opt_releases / 5, 2);
  kill_source = g_timeout_add (120, kill_one, &kill_budget);
  for (gboolean all = FALSE; !all;)
    {
      g_main_context_iteration (NULL, TRUE);
      all = TRUE;
      for (guint w = 0; w < n_workers; w++)
        all = all && workers[w].finished;
    }
  g_source_remove (kill_source);

  /* Restart: what is not published yet is published again, then the
   * outbox is run to the end. */
  for (guint i = 0; i < releases->len; i++)
    {
      gint64 id = g_array_index (releases, gint64, i);
      g_autoptr(DeskRelease) release = desk_store_get_release (store, id, NULL);

      if (desk_release_get_status (release) != DESK_STATUS_PUBLISHED)
        {
          g_autofree char *arg = g_strdup_printf ("%" G_GINT64_FORMAT, id);
          const char *args[] = { "publish", arg, "--target", "site", NULL };

          run_to_the_end (args);
        }
    }
  {
    const char *args[] = { "outbox", "--run", NULL };

    run_to_the_end (args);
  }

  for (guint i = 0; i < releases->len; i++)
    {
      gint64 id = g_array_index (releases, gint64, i);
      g_autoptr(DeskRelease) release = desk_store_get_release (store, id, NULL);
      g_autoptr(GPtrArray) jobs = desk_store_list_jobs (store, id, NULL);
      const char *slug = jobs->len > 0 ? ((DeskOutboxJob *) g_ptr_array_index (jobs, 0))->slug : "";
      guint posts = GPOINTER_TO_UINT (g_hash_table_lookup (site.per_slug, slug));

      if (posts > 1)
        duplicates += posts - 1;
      if (posts == 0)
        missing++;
      if (desk_release_get_status (release) != DESK_STATUS_PUBLISHED)
        unpublished++;
    }

  /* No publisher failed to record a result, nor warned of anything. */
  for (guint i = 0; i < spawned; i++)
    {
      g_autofree char *name = g_strdup_printf ("stderr-%u.txt", i);
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *text = NULL;

      if (g_file_get_contents (path, &text, NULL, NULL) &&
          (strstr (text, "Could not record") != NULL || strstr (text, "WARNING") != NULL ||
           strstr (text, "CRITICAL") != NULL))
        {
          g_printerr ("%s", text);
          warnings++;
        }
    }

  g_print ("# %u processes, %u releases: %u publisher runs, %u killed with SIGKILL, %u answers dropped "
           "after the post was made, %u requests\n",
           opt_processes, opt_releases, spawned, kills, site.dropped, site.requests);
  g_print ("# posts: %u; releases with more than one post: %u extra posts; without a post: %u; "
           "not published: %u; publishers that warned: %u; %.1f s\n",
           site.posts->len, duplicates, missing, unpublished, warnings, (g_get_monotonic_time () - started) / 1e6);
  g_assert_cmpuint (duplicates, ==, 0);
  g_assert_cmpuint (missing, ==, 0);
  g_assert_cmpuint (unpublished, ==, 0);
  g_assert_cmpuint (warnings, ==, 0);
  g_assert_cmpuint (site.posts->len, ==, opt_releases);

  for (guint w = 0; w < n_workers; w++)
    g_array_unref (workers[w].releases);
  g_free (workers);
  g_clear_object (&store);
  desk_test_remove_tree (dir);
  g_free (db_path);
  g_free (cli);
  g_free (site.base);
  g_rand_free (site.rand);
  g_ptr_array_unref (site.posts);
  g_hash_table_unref (site.per_slug);
}

int
main (int    argc,
      char **argv)
{
  int processes = 4, releases = 50, seed = 0;
  const GOptionEntry entries[] = {
    { "processes", 0, 0, G_OPTION_ARG_INT, &processes, "Publishing processes at once", "N" },
    { "releases", 0, 0, G_OPTION_ARG_INT, &releases, "Approved releases to publish", "M" },
    { "seed", 0, 0, G_OPTION_ARG_INT, &seed, "Seed for the random faults and kills", "S" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;

  g_test_init (&argc, &argv, NULL);
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("soak-publish: %s\n", error->message);
      return 2;
    }
  opt_processes = (guint) CLAMP (processes, 1, 64);
  opt_releases = (guint) CLAMP (releases, 1, 100000);
  opt_seed = (guint) seed;
  g_test_add_func ("/publish/soak/every-release-ends-with-exactly-one-post", test_every_release_ends_with_exactly_one_post);
  return g_test_run ();
}
