/* bench-publish.c — publishing 1,000 approved releases to a webhook
 *
 * A webhook receiver (a SoupServer on a thread of its own) takes the jobs
 * of the outbox (releases of the mixed corpus, bench-util.c), sent by the
 * publisher with its bounded concurrency; then the same payloads go to it
 * with curl: one curl process posting them all over one kept-alive
 * connection (the fastest a script can do), and one process after another,
 * as a shell loop would send them (the first 100).  The publisher and
 * curl with keep-alive run five rounds each (the publisher to a target of
 * its own each round): medians of the rates, with min–max, and the wall
 * and CPU times.  The receiver's thread keeps a CPU clock of its own, so
 * that its work is counted the same on both sides: the publisher's CPU
 * time is this process's less the receiver's, curl's is curl's, and the
 * receiver's for each beside them.  The store's write-ahead log is
 * checkpointed before each round, so that no round pays for the set-up's
 * writes.  Prints the rates and their ratios
 * (target: at least curl's keep-alive rate).  Passes or fails on running,
 * never on time.
 *
 * Then, when the loopback WordPress rig (/work/shared/tools/wordpress-rig,
 * http://127.0.0.1:8089; its credentials.env, or WP_URL, WP_USER and
 * WP_APP_PASSWORD) answers, 50 releases are published to it as drafts by
 * the publisher and the same number posted by one curl process over one
 * kept-alive connection; both sets are deleted afterwards.  When it does
 * not answer, that part says so and is skipped.
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <locale.h>
#include <pthread.h>
#include <string.h>
#include <time.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <sqlite3.h>

#include "desk-outbox.h"
#include "desk-publisher.h"
#include "desk-secrets.h"
#include "desk-store.h"
#include "bench-util.h"
#include "desk-test-util.h"

#define N_RELEASES n_releases
#define N_WORDPRESS 50
/* A process a post costs the same for each: its rate from the first 100. */
#define ONE_BY_ONE  100
#define SECRET     "bench-secret"
#define WP_RIG_CREDENTIALS "/var/lib/wordpress-rig/credentials.env"

typedef struct {
  GMutex        lock;
  GCond         cond;
  guint         port;
  GMainContext *context;
  GMainLoop    *loop;
  guint         received;
  guint         bad;
  clockid_t     cpu_clock;   /* the receiver thread's own CPU time */
} Receiver;

/* The CPU time the receiver's thread has used, in seconds. */
static double
receiver_cpu_s (Receiver *receiver)
{
  struct timespec now;

  if (clock_gettime (receiver->cpu_clock, &now) != 0)
    return 0;
  return now.tv_sec + now.tv_nsec / 1e9;
}

static void
handle_hook (SoupServer        *server,
             SoupServerMessage *msg,
             const char        *path,
             GHashTable        *query,
             gpointer           user_data)
{
  Receiver *receiver = user_data;
  g_autoptr(GBytes) body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  g_autoptr(GBytes) key = g_bytes_new_static (SECRET, strlen (SECRET));
  g_autofree char *hmac = g_compute_hmac_for_bytes (G_CHECKSUM_SHA256, key, body);
  g_autofree char *expected = g_strconcat ("sha256=", hmac, NULL);
  const char *signature = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                        "X-Copydesk-Signature");

  g_mutex_lock (&receiver->lock);
  receiver->received++;
  if (g_strcmp0 (signature, expected) != 0)
    receiver->bad++;
  g_mutex_unlock (&receiver->lock);
  soup_server_message_set_status (msg, 201, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, "{}", 2);
}

static gpointer
receiver_thread (gpointer data)
{
  Receiver *receiver = data;
  g_autoptr(SoupServer) server = NULL;
  g_autoslist(GUri) uris = NULL;
  g_autoptr(GError) error = NULL;

  g_main_context_push_thread_default (receiver->context);
  server = soup_server_new (NULL, NULL);
  soup_server_add_handler (server, "/hook", handle_hook, receiver, NULL);
  soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);

  g_mutex_lock (&receiver->lock);
  if (pthread_getcpuclockid (pthread_self (), &receiver->cpu_clock) != 0)
    receiver->cpu_clock = CLOCK_THREAD_CPUTIME_ID;
  receiver->port = (guint) g_uri_get_port (uris->data);
  g_cond_signal (&receiver->cond);
  g_mutex_unlock (&receiver->lock);

  g_main_loop_run (receiver->loop);
  soup_server_disconnect (server);
  g_main_context_pop_thread_default (receiver->context);
  return NULL;
}

/* Writes the store's write-ahead log back into the file, from a
 * connection of its own (the store's is idle between rounds). */
static void
checkpoint (const char *path)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 30000);
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

/* ---- the WordPress rig ----------------------------------------------------- */

/* WP_URL, WP_USER and WP_APP_PASSWORD from the environment, else from the
 * rig's credentials.env (KEY=value lines, the value maybe quoted). */
static char *
rig_value (GHashTable *file,
           const char *key)
{
  const char *value = g_getenv (key);

  if (value == NULL && file != NULL)
    value = g_hash_table_lookup (file, key);
  return value != NULL && *value != '\0' ? g_strdup (value) : NULL;
}

static GHashTable *
read_rig_credentials (void)
{
  const char *path = g_getenv ("COPYDESK_BENCH_WP_CREDENTIALS");
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  GHashTable *values;

  if (!g_file_get_contents (path != NULL ? path : WP_RIG_CREDENTIALS, &text, NULL, NULL))
    return NULL;
  values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = g_strstrip (lines[i]);
      char *eq = strchr (line, '=');
      g_autofree char *value = NULL;
      gsize len;

      if (g_str_has_prefix (line, "export "))
        line += strlen ("export ");
      eq = strchr (line, '=');
      if (*line == '#' || eq == NULL)
        continue;
      *eq = '\0';
      value = g_strdup (eq + 1);
      len = strlen (value);
      if (len >= 2 && (value[0] == '\'' || value[0] == '"') && value[len - 1] == value[0])
        {
          value[len - 1] = '\0';
          memmove (value, value + 1, len - 1);
        }
      g_hash_table_insert (values, g_strdup (g_strstrip (line)), g_steal_pointer (&value));
    }
  return values;
}

static gboolean
rig_answers (const char *url)
{
  g_autoptr(SoupSession) session = soup_session_new_with_options ("timeout", 5, NULL);
  g_autofree char *index = g_strconcat (url, "/wp-json/", NULL);
  g_autoptr(SoupMessage) message = soup_message_new ("GET", index);
  g_autoptr(GBytes) body = NULL;

  if (message == NULL)
    return FALSE;
  body = soup_session_send_and_read (session, message, NULL, NULL);
  return body != NULL && soup_message_get_status (message) == SOUP_STATUS_OK;
}

/* Runs curl on a config of its own (one process, one kept-alive
 * connection); the seconds it took. */
static double
run_curl_config (const char *curl,
                 const char *config_path,
                 GString    *config)
{
  g_autoptr(GError) error = NULL;
  const char *args[] = { curl, "-K", config_path, NULL };
  gint64 started;
  int status = -1;

  g_file_set_contents (config_path, config->str, config->len, &error);
  g_assert_no_error (error);
  started = g_get_monotonic_time ();
  if (!g_spawn_sync (NULL, (char **) args, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, NULL, &status, NULL) ||
      !g_spawn_check_wait_status (status, NULL))
    g_print ("# curl -K %s did not finish cleanly\n", config_path);
  return (g_get_monotonic_time () - started) / 1e6;
}

static void
bench_wordpress (DeskStore  *store,
                 const char *dir,
                 const char *curl)
{
  g_autoptr(GHashTable) file = read_rig_credentials ();
  g_autofree char *url = rig_value (file, "WP_URL");
  g_autofree char *user = rig_value (file, "WP_USER");
  g_autofree char *password = rig_value (file, "WP_APP_PASSWORD");
  g_autoptr(JsonObject) settings = json_object_new ();
  g_autoptr(DeskPublisher) publisher = NULL;
  g_autoptr(GPtrArray) corpus = NULL;
  g_autoptr(GPtrArray) jobs = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GString) config = g_string_new (NULL);
  g_autoptr(GString) cleanup = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *config_path = g_build_filename (dir, "wp-curl.conf", NULL);
  g_autofree char *cleanup_path = g_build_filename (dir, "wp-cleanup.conf", NULL);
  g_autofree char *user_password = NULL;
  gint64 target, started;
  double publish_s, curl_s;
  guint done = 0, curl_made = 0;

  if (url == NULL || user == NULL || password == NULL || !rig_answers (url))
    {
      g_print ("# WordPress rig: %s does not answer (or has no credentials): skipped\n",
               url != NULL ? url : "http://127.0.0.1:8089");
      return;
    }
  while (g_str_has_suffix (url, "/"))
    url[strlen (url) - 1] = '\0';
  user_password = g_strdup_printf ("%s:%s", user, password);

  json_object_set_string_member (settings, "url", url);
  json_object_set_string_member (settings, "user", user);
  target = desk_store_add_target (store, DESK_TARGET_WORDPRESS, "rig", settings, &error);
  g_assert_no_error (error);
  {
    g_autoptr(DeskTarget) rig = desk_store_get_target (store, target, NULL);

    desk_store_set_target_secret (store, rig, password, NULL, NULL);
  }

  corpus = bench_corpus_generate (N_WORDPRESS, BENCH_SEED + 1, NULL);
  for (guint i = 0; i < N_WORDPRESS; i++)
    {
      const char *text = ((BenchRelease *) g_ptr_array_index (corpus, i))->text;
      g_autoptr(DeskParsedRelease) parsed = desk_parse_release_text (text, &error);
      gint64 id = desk_store_add_release (store, parsed, NULL, "Bench", NULL, &error);

      g_assert_no_error (error);
      desk_store_set_status (store, id, DESK_STATUS_IN_REVIEW, "Bench", NULL, &error);
      desk_store_set_status (store, id, DESK_STATUS_APPROVED, "Bench", NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpint (desk_store_publish (store, id, target, "Bench", &error), >, 0);
      g_assert_no_error (error);
      g_array_append_val (ids, id);
    }

  publisher = desk_publisher_new (store);
  started = g_get_monotonic_time ();
  desk_publisher_run_sync (publisher, NULL, &error);
  publish_s = (g_get_monotonic_time () - started) / 1e6;
  if (error != NULL)
    g_print ("# WordPress rig: the publisher stopped: %s\n", error->message);

  jobs = desk_store_list_jobs (store, 0, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < jobs->len; i++)
    {
      DeskOutboxJob *job = g_ptr_array_index (jobs, i);

      if (job->target_id != target)
        continue;
      if (job->state == DESK_JOB_DONE)
        done++;
      if (job->remote_id != NULL)
        g_string_append_printf (cleanup, "%surl = \"%s/wp-json/wp/v2/posts/%s?force=true\"\nrequest = \"DELETE\"\n"
                                "user = \"%s\"\nsilent\noutput = \"/dev/null\"\n",
                                cleanup->len > 0 ? "next\n" : "", url, job->remote_id, user_password);
    }
  g_print ("# WordPress rig: publisher %u of %u posts in %.2f s: %.1f posts/s (%u at a time)\n",
           done, N_WORDPRESS, publish_s, done / publish_s, DESK_PUBLISHER_MAX_CONCURRENT);

  if (curl != NULL)
    {
      /* The same releases as drafts of their own, one curl process over
       * one kept-alive connection. */
      for (guint i = 0; i < N_WORDPRESS; i++)
        {
          const char *text = ((BenchRelease *) g_ptr_array_index (corpus, i))->text;
          g_autoptr(JsonBuilder) builder = json_builder_new ();
          g_autoptr(JsonNode) root = NULL;
          g_autofree char *body = NULL;
          g_autofree char *slug = g_strdup_printf ("copydesk-bench-curl-%u-%" G_GINT64_FORMAT, i, g_get_real_time ());
          g_autofree char *name = g_strdup_printf ("wp-payload-%u.json", i);
          g_autofree char *path = g_build_filename (dir, name, NULL);
          g_autofree char *out_name = g_strdup_printf ("wp-answer-%u.json", i);
          g_autofree char *out_path = g_build_filename (dir, out_name, NULL);
          const char *eol = strchr (text, '\n');
          g_autofree char *title = g_strndup (text, eol != NULL ? (gsize) (eol - text) : strlen (text));

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "title");
          json_builder_add_string_value (builder, title);
          json_builder_set_member_name (builder, "content");
          json_builder_add_string_value (builder, eol != NULL ? eol + 1 : "");
          json_builder_set_member_name (builder, "status");
          json_builder_add_string_value (builder, "draft");
          json_builder_set_member_name (builder, "slug");
          json_builder_add_string_value (builder, slug);
          json_builder_end_object (builder);
          root = json_builder_get_root (builder);
          body = json_to_string (root, FALSE);
          g_file_set_contents (path, body, -1, &error);
          g_assert_no_error (error);
          g_string_append_printf (config,
                                  "%surl = \"%s/wp-json/wp/v2/posts\"\nrequest = \"POST\"\nsilent\n"
                                  "user = \"%s\"\noutput = \"%s\"\n"
                                  "header = \"Content-Type: application/json\"\n"
                                  "data-binary = \"@%s\"\n",
                                  i > 0 ? "next\n" : "", url, user_password, out_path, path);
        }
      curl_s = run_curl_config (curl, config_path, config);
      for (guint i = 0; i < N_WORDPRESS; i++)
        {
          g_autofree char *out_name = g_strdup_printf ("wp-answer-%u.json", i);
          g_autofree char *out_path = g_build_filename (dir, out_name, NULL);
          g_autoptr(JsonParser) parser = json_parser_new ();
          JsonNode *answer;

          if (!json_parser_load_from_file (parser, out_path, NULL))
            continue;
          answer = json_parser_get_root (parser);
          if (JSON_NODE_HOLDS_OBJECT (answer) && json_object_has_member (json_node_get_object (answer), "id"))
            {
              curl_made++;
              g_string_append_printf (cleanup, "%surl = \"%s/wp-json/wp/v2/posts/%" G_GINT64_FORMAT "?force=true\"\n"
                                      "request = \"DELETE\"\nuser = \"%s\"\nsilent\noutput = \"/dev/null\"\n",
                                      cleanup->len > 0 ? "next\n" : "", url,
                                      json_object_get_int_member (json_node_get_object (answer), "id"), user_password);
            }
        }
      g_print ("# WordPress rig: curl, one process, keep-alive: %u of %u posts in %.2f s: %.1f posts/s\n",
               curl_made, N_WORDPRESS, curl_s, curl_made / curl_s);
      g_print ("# WordPress rig: publisher %.2fx curl's keep-alive rate (target: at least 1x): %s\n",
               (done / publish_s) / (curl_made / curl_s),
               bench_verdict ((done / publish_s) >= (curl_made / curl_s)));
    }

  /* Nothing of the benchmark stays on the site. */
  if (curl != NULL && cleanup->len > 0)
    run_curl_config (curl, cleanup_path, cleanup);
  explicit_bzero (user_password, strlen (user_password));
}

static gboolean
quit_loop (gpointer loop)
{
  g_main_loop_quit (loop);
  return G_SOURCE_REMOVE;
}

/* COPYDESK_BENCH_PUBLISH_RELEASES sets another number (a quick run),
 * COPYDESK_BENCH_PUBLISH_ROUNDS another number of rounds (medians of 5
 * by default). */
static guint n_releases = 1000;
static guint n_rounds = 5;

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *db = NULL;
  g_autofree char *url = NULL;
  g_autoptr(DeskStore) store = NULL;
  g_autoptr(DeskPublisher) publisher = NULL;
  g_autoptr(JsonObject) settings = json_object_new ();
  g_autoptr(GPtrArray) jobs = NULL;
  g_autoptr(GPtrArray) corpus = NULL;
  g_autofree char *curl = g_find_program_in_path ("curl");
  Receiver receiver = { 0 };
  GThread *thread;
  gint64 target;
  gint64 started;
  g_autoptr(GArray) release_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  BenchRuns publish_rate, publish_wall, publish_cpu, publish_receiver_cpu;
  double curl_s = 0;
  BenchClock clock;
  gboolean all_done = TRUE;
  guint curl_ok = 0;

  if (g_getenv ("COPYDESK_BENCH_PUBLISH_RELEASES") != NULL)
    n_releases = MAX (1, (guint) g_ascii_strtoull (g_getenv ("COPYDESK_BENCH_PUBLISH_RELEASES"), NULL, 10));
  if (g_getenv ("COPYDESK_BENCH_PUBLISH_ROUNDS") != NULL)
    n_rounds = MAX (1, (guint) g_ascii_strtoull (g_getenv ("COPYDESK_BENCH_PUBLISH_ROUNDS"), NULL, 10));
  bench_runs_init (&publish_rate);
  bench_runs_init (&publish_wall);
  bench_runs_init (&publish_cpu);
  bench_runs_init (&publish_receiver_cpu);
  g_setenv ("COPYDESK_SECRETS", "memory", TRUE);
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  setlocale (LC_ALL, "");   /* "–" in the ranges printed */

  g_print ("1..1\n");

  g_mutex_init (&receiver.lock);
  g_cond_init (&receiver.cond);
  receiver.context = g_main_context_new ();
  receiver.loop = g_main_loop_new (receiver.context, FALSE);
  thread = g_thread_new ("receiver", receiver_thread, &receiver);
  g_mutex_lock (&receiver.lock);
  while (receiver.port == 0)
    g_cond_wait (&receiver.cond, &receiver.lock);
  g_mutex_unlock (&receiver.lock);
  url = g_strdup_printf ("http://127.0.0.1:%u/hook", receiver.port);

  dir = g_dir_make_tmp ("copydesk-bench-publish-XXXXXX", &error);
  g_assert_no_error (error);
  db = g_build_filename (dir, "desk.db", NULL);
  store = desk_store_open (db, &error);
  g_assert_no_error (error);

  corpus = bench_corpus_generate (N_RELEASES, BENCH_SEED, NULL);
  started = g_get_monotonic_time ();
  for (guint i = 0; i < N_RELEASES; i++)
    {
      const char *text = ((BenchRelease *) g_ptr_array_index (corpus, i))->text;
      g_autoptr(DeskParsedRelease) parsed = desk_parse_release_text (text, &error);
      gint64 id = desk_store_add_release (store, parsed, NULL, "Bench", NULL, &error);

      g_assert_no_error (error);
      desk_store_set_status (store, id, DESK_STATUS_IN_REVIEW, "Bench", NULL, &error);
      desk_store_set_status (store, id, DESK_STATUS_APPROVED, "Bench", NULL, &error);
      g_assert_no_error (error);
      g_array_append_val (release_ids, id);
    }
  g_print ("# set-up: %u releases imported and approved in %.2f s\n", N_RELEASES,
           (g_get_monotonic_time () - started) / 1e6);

  /* Each round publishes every release to a webhook target of its own
   * (the same receiver): copy published to one target may still go to
   * another, so the releases are imported once. */
  publisher = desk_publisher_new (store);
  for (guint round = 0; round < n_rounds; round++)
    {
      g_autofree char *name = g_strdup_printf ("bench-%u", round);
      g_autoptr(GPtrArray) round_jobs = NULL;
      double wall_s, cpu_s, receiver_s;
      guint round_done = 0;

      json_object_set_string_member (settings, "url", url);
      target = desk_store_add_target (store, DESK_TARGET_WEBHOOK, name, settings, &error);
      g_assert_no_error (error);
      {
        g_autoptr(DeskTarget) bench_target = desk_store_get_target (store, target, NULL);

        desk_store_set_target_secret (store, bench_target, SECRET, NULL, NULL);
      }
      for (guint i = 0; i < N_RELEASES; i++)
        {
          g_assert_cmpint (desk_store_publish (store, g_array_index (release_ids, gint64, i), target, "Bench", &error), >, 0);
          g_assert_no_error (error);
        }

      /* The write-ahead log the set-up and the queueing left is written
       * back first: that checkpoint is theirs, not the run's.  The run's
       * own writes bring on the checkpoints they bring on. */
      checkpoint (db);
      receiver_s = receiver_cpu_s (&receiver);
      bench_clock_start (&clock);
      desk_publisher_run_sync (publisher, NULL, &error);
      g_assert_no_error (error);
      bench_clock_stop (&clock, &wall_s, &cpu_s);
      receiver_s = receiver_cpu_s (&receiver) - receiver_s;

      round_jobs = desk_store_list_jobs (store, 0, &error);
      g_assert_no_error (error);
      for (guint i = 0; i < round_jobs->len; i++)
        {
          DeskOutboxJob *job = g_ptr_array_index (round_jobs, i);

          if (job->target_id == target && job->state == DESK_JOB_DONE)
            round_done++;
        }
      if (round_done != N_RELEASES)
        all_done = FALSE;
      bench_runs_add (&publish_rate, round_done / wall_s);
      bench_runs_add (&publish_wall, wall_s);
      bench_runs_add (&publish_cpu, cpu_s - receiver_s);
      bench_runs_add (&publish_receiver_cpu, receiver_s);
      if (round == 0)
        {
          g_autoptr(GPtrArray) all = g_steal_pointer (&round_jobs);

          jobs = g_ptr_array_new_with_free_func ((GDestroyNotify) desk_outbox_job_free);
          for (guint i = 0; i < all->len; i++)
            if (((DeskOutboxJob *) g_ptr_array_index (all, i))->target_id == target)
              g_ptr_array_add (jobs, g_ptr_array_steal_index (all, i--));
        }
    }
  {
    g_autofree char *rate = bench_runs_format (&publish_rate, "%.0f");
    g_autofree char *wall = bench_runs_format (&publish_wall, "%.2f");
    g_autofree char *cpu = bench_runs_format (&publish_cpu, "%.2f");
    g_autofree char *receiver_cpu = bench_runs_format (&publish_receiver_cpu, "%.2f");

    g_print ("# publisher: %u jobs a round, %u at a time: %s jobs/s; wall %s s; CPU %s s; "
             "the receiver's CPU meanwhile %s s\n",
             N_RELEASES, DESK_PUBLISHER_MAX_CONCURRENT, rate, wall, cpu, receiver_cpu);
  }

  if (curl != NULL)
    {
      g_autofree char *config_path = g_build_filename (dir, "curl.conf", NULL);
      g_autoptr(GString) config = g_string_new (NULL);
      const char *args[] = { curl, "-K", config_path, NULL };
      BenchRuns curl_rate, curl_wall, curl_cpu, curl_receiver_cpu;

      bench_runs_init (&curl_rate);
      bench_runs_init (&curl_wall);
      bench_runs_init (&curl_cpu);
      bench_runs_init (&curl_receiver_cpu);
      /* One process, one connection: every post a section of its config,
       * its payload a file of its own. */
      for (guint i = 0; i < jobs->len; i++)
        {
          DeskOutboxJob *job = g_ptr_array_index (jobs, i);
          g_autofree char *hmac = g_compute_hmac_for_data (G_CHECKSUM_SHA256, (const guchar *) SECRET, strlen (SECRET),
                                                           (const guchar *) job->payload, strlen (job->payload));
          g_autofree char *name = g_strdup_printf ("payload-%u.json", i);
          g_autofree char *path = g_build_filename (dir, name, NULL);

          g_file_set_contents (path, job->payload, -1, &error);
          g_assert_no_error (error);
          g_string_append_printf (config,
                                  "%surl = \"%s\"\nrequest = \"POST\"\nsilent\nfail\noutput = \"/dev/null\"\n"
                                  "header = \"Content-Type: application/json\"\n"
                                  "header = \"X-Copydesk-Signature: sha256=%s\"\n"
                                  "header = \"Idempotency-Key: %s\"\n"
                                  "data-binary = \"@%s\"\n",
                                  i > 0 ? "next\n" : "", url, hmac, job->idempotency_key, path);
        }
      g_file_set_contents (config_path, config->str, config->len, &error);
      g_assert_no_error (error);
      for (guint round = 0; round < n_rounds; round++)
        {
          double wall_s, cpu_s;
          double receiver_s = receiver_cpu_s (&receiver);

          bench_run_process (args, NULL, &wall_s, &cpu_s, NULL);
          bench_runs_add (&curl_rate, jobs->len / wall_s);
          bench_runs_add (&curl_wall, wall_s);
          bench_runs_add (&curl_cpu, cpu_s);
          bench_runs_add (&curl_receiver_cpu, receiver_cpu_s (&receiver) - receiver_s);
        }
      {
        g_autofree char *rate = bench_runs_format (&curl_rate, "%.0f");
        g_autofree char *wall = bench_runs_format (&curl_wall, "%.2f");
        g_autofree char *cpu = bench_runs_format (&curl_cpu, "%.2f");
        g_autofree char *receiver_cpu = bench_runs_format (&curl_receiver_cpu, "%.2f");

        g_print ("# curl, one process, keep-alive: %u posts: %s posts/s; wall %s s; CPU %s s; "
                 "the receiver's CPU meanwhile %s s\n",
                 jobs->len, rate, wall, cpu, receiver_cpu);
        g_print ("# CPU: publisher %.2fx curl's, medians, the receiver's apart on both sides\n",
                 bench_runs_median (&publish_cpu) / bench_runs_median (&curl_cpu));
      }
      g_print ("# ratio: publisher %.2fx curl's keep-alive rate, medians (target: at least 1x): %s\n",
               bench_runs_median (&publish_rate) / bench_runs_median (&curl_rate),
               bench_verdict (bench_runs_median (&publish_rate) >= bench_runs_median (&curl_rate)));
      bench_runs_clear (&curl_rate);
      bench_runs_clear (&curl_wall);
      bench_runs_clear (&curl_cpu);
      bench_runs_clear (&curl_receiver_cpu);
    }

  if (curl != NULL)
    {
      g_autofree char *payload_path = g_build_filename (dir, "payload.json", NULL);

      started = g_get_monotonic_time ();
      for (guint i = 0; i < MIN (jobs->len, ONE_BY_ONE); i++)
        {
          DeskOutboxJob *job = g_ptr_array_index (jobs, i);
          g_autofree char *hmac = g_compute_hmac_for_data (G_CHECKSUM_SHA256, (const guchar *) SECRET, strlen (SECRET),
                                                           (const guchar *) job->payload, strlen (job->payload));
          g_autofree char *signature = g_strconcat ("X-Copydesk-Signature: sha256=", hmac, NULL);
          g_autofree char *key = g_strconcat ("Idempotency-Key: ", job->idempotency_key, NULL);
          g_autofree char *data = g_strconcat ("@", payload_path, NULL);
          const char *args[] = { curl, "-s", "-f", "-o", "/dev/null", "-X", "POST",
                                 "-H", "Content-Type: application/json", "-H", signature, "-H", key,
                                 "--data-binary", data, url, NULL };
          int status = -1;

          /* Writing the file is part of what a script does for each post. */
          g_file_set_contents (payload_path, job->payload, -1, &error);
          g_assert_no_error (error);
          if (g_spawn_sync (NULL, (char **) args, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, NULL, &status, NULL) &&
              g_spawn_check_wait_status (status, NULL))
            curl_ok++;
        }
      curl_s = (g_get_monotonic_time () - started) / 1e6;
      g_print ("# curl one by one: %u of %u posts in %.2f s: %.0f posts/s\n",
               curl_ok, MIN (jobs->len, ONE_BY_ONE), curl_s, curl_ok / curl_s);
      g_print ("# ratio: publisher %.1fx curl's rate one process a post (target: at least 3x): %s\n",
               bench_runs_median (&publish_rate) / (curl_ok / curl_s),
               bench_verdict (bench_runs_median (&publish_rate) >= 3 * (curl_ok / curl_s)));
    }
  else
    g_print ("# curl is not installed: no comparison\n");

  bench_wordpress (store, dir, curl);

  g_mutex_lock (&receiver.lock);
  /* curl sends the payloads again, with the same keys. */
  g_print ("# receiver: %u posts, %u with a bad signature\n", receiver.received, receiver.bad);
  g_mutex_unlock (&receiver.lock);
  g_print ("%s 1 - every job published\n", all_done && receiver.bad == 0 ? "ok" : "not ok");

  g_main_context_invoke (receiver.context, quit_loop, receiver.loop);
  g_thread_join (thread);
  g_main_loop_unref (receiver.loop);
  g_main_context_unref (receiver.context);
  g_clear_object (&publisher);
  g_clear_object (&store);
  desk_test_remove_tree (dir);
  bench_runs_clear (&publish_rate);
  bench_runs_clear (&publish_wall);
  bench_runs_clear (&publish_cpu);
  bench_runs_clear (&publish_receiver_cpu);
  return all_done ? 0 : 1;
}
