/* bench-publish.c — publishing 1,000 approved releases to a webhook
 *
 * A webhook receiver (a SoupServer on a thread of its own) takes the jobs
 * of the outbox (releases of the mixed corpus, bench-util.c), sent by the
 * publisher with its bounded concurrency; then the same payloads go to it
 * with curl: one curl process posting them all over one kept-alive
 * connection (the fastest a script can do), and one process after another,
 * as a shell loop would send them.  Wall time.  Prints the rates and their
 * ratios (target: at least curl's keep-alive rate).  Passes or fails on
 * running, never on time.
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "desk-outbox.h"
#include "desk-publisher.h"
#include "desk-secrets.h"
#include "desk-store.h"
#include "bench-util.h"
#include "desk-test-util.h"

#define N_RELEASES 1000
#define SECRET     "bench-secret"

typedef struct {
  GMutex        lock;
  GCond         cond;
  guint         port;
  GMainContext *context;
  GMainLoop    *loop;
  guint         received;
  guint         bad;
} Receiver;

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
  receiver->port = (guint) g_uri_get_port (uris->data);
  g_cond_signal (&receiver->cond);
  g_mutex_unlock (&receiver->lock);

  g_main_loop_run (receiver->loop);
  soup_server_disconnect (server);
  g_main_context_pop_thread_default (receiver->context);
  return NULL;
}

static gboolean
quit_loop (gpointer loop)
{
  g_main_loop_quit (loop);
  return G_SOURCE_REMOVE;
}

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
  double publish_s, curl_s = 0;
  guint done = 0;
  guint curl_ok = 0;

  g_setenv ("COPYDESK_SECRETS", "memory", TRUE);
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);

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

  json_object_set_string_member (settings, "url", url);
  target = desk_store_add_target (store, DESK_TARGET_WEBHOOK, "bench", settings, &error);
  g_assert_no_error (error);
  {
    g_autoptr(DeskTarget) bench_target = desk_store_get_target (store, target, NULL);

    desk_store_set_target_secret (store, bench_target, SECRET, NULL, NULL);
  }

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
      g_assert_cmpint (desk_store_publish (store, id, target, "Bench", &error), >, 0);
      g_assert_no_error (error);
    }
  g_print ("# set-up: %u releases imported, approved and queued in %.2f s\n", N_RELEASES,
           (g_get_monotonic_time () - started) / 1e6);

  publisher = desk_publisher_new (store);
  started = g_get_monotonic_time ();
  desk_publisher_run_sync (publisher, NULL, &error);
  g_assert_no_error (error);
  publish_s = (g_get_monotonic_time () - started) / 1e6;

  jobs = desk_store_list_jobs (store, 0, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < jobs->len; i++)
    if (((DeskOutboxJob *) g_ptr_array_index (jobs, i))->state == DESK_JOB_DONE)
      done++;
  g_print ("# publisher: %u of %u jobs done in %.2f s: %.0f jobs/s (%u at a time)\n",
           done, jobs->len, publish_s, done / publish_s, DESK_PUBLISHER_MAX_CONCURRENT);

  if (curl != NULL)
    {
      g_autofree char *config_path = g_build_filename (dir, "curl.conf", NULL);
      g_autoptr(GString) config = g_string_new (NULL);
      const char *args[] = { curl, "-K", config_path, NULL };
      double keep_alive_s;
      int status = -1;

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
      started = g_get_monotonic_time ();
      if (!g_spawn_sync (NULL, (char **) args, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, NULL, &status, NULL) ||
          !g_spawn_check_wait_status (status, NULL))
        g_error ("curl -K %s failed", config_path);
      keep_alive_s = (g_get_monotonic_time () - started) / 1e6;
      g_print ("# curl, one process, keep-alive: %u posts in %.2f s: %.0f posts/s\n",
               jobs->len, keep_alive_s, jobs->len / keep_alive_s);
      g_print ("# ratio: publisher %.2fx curl's keep-alive rate (target: at least 1x): %s\n",
               (done / publish_s) / (jobs->len / keep_alive_s),
               bench_verdict ((done / publish_s) >= (jobs->len / keep_alive_s)));
    }

  if (curl != NULL)
    {
      g_autofree char *payload_path = g_build_filename (dir, "payload.json", NULL);

      started = g_get_monotonic_time ();
      for (guint i = 0; i < jobs->len; i++)
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
               curl_ok, jobs->len, curl_s, curl_ok / curl_s);
      g_print ("# ratio: publisher %.1fx curl's rate one process a post (target: at least 3x): %s\n",
               (done / publish_s) / (curl_ok / curl_s),
               bench_verdict ((done / publish_s) >= 3 * (curl_ok / curl_s)));
    }
  else
    g_print ("# curl is not installed: no comparison\n");

  g_mutex_lock (&receiver.lock);
  /* curl sends every payload twice more, with the same keys. */
  g_print ("# receiver: %u posts, %u with a bad signature\n", receiver.received, receiver.bad);
  g_mutex_unlock (&receiver.lock);
  g_print ("%s 1 - every job published\n", done == N_RELEASES && receiver.bad == 0 ? "ok" : "not ok");

  g_main_context_invoke (receiver.context, quit_loop, receiver.loop);
  g_thread_join (thread);
  g_main_loop_unref (receiver.loop);
  g_main_context_unref (receiver.context);
  g_clear_object (&publisher);
  g_clear_object (&store);
  desk_test_remove_tree (dir);
  return done == N_RELEASES ? 0 : 1;
}
