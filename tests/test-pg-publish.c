/* test-pg-publish.c — publishing on a team desk: three publishers, one
 * killed, exactly one delivery per release
 *
 * A real PostgreSQL 15 (pg-harness.c), a real webhook receiver (an
 * in-process SoupServer that checks each delivery's signature and, as a
 * webhook's receiver does, tells a delivery it already has by its
 * Idempotency-Key), the webhook's secret in a real Secret Service
 * (gnome-keyring, with-keyring.sh) that every publisher process finds
 * for itself, and three copydesk-cli publishers started at once against
 * the desk, of which one is killed with SIGKILL while its delivery is in
 * flight.  Only a chief may queue or publish: an editor is told so.
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <signal.h>
#include <string.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "desk-db.h"
#include "desk-db-outbox.h"
#include "desk-error.h"
#include "desk-outbox.h"
#include "desk-pg.h"
#include "desk-secrets.h"
#include "desk-store.h"
#include "desk-test-util.h"
#include "pg-harness.h"

#define SECRET "hook-Sekr3t-for-the-test"
#define N_RELEASES 9
#define N_PUBLISHERS 3

static DeskPgHarness *server;

typedef struct {
  SoupServer *server;
  char       *url;
  GHashTable *deliveries;     /* Idempotency-Key → release headline, each once */
  guint       requests;
  guint       repeats;        /* deliveries sent again, told by their key */
  guint       bad_signatures;
  gboolean    holding;        /* answers wait until released */
  GPtrArray  *held;           /* of SoupServerMessage */
} Receiver;

static void
on_delivery (SoupServer        *soup_server,
             SoupServerMessage *message,
             const char        *path,
             GHashTable        *query,
             gpointer           user_data)
{
  Receiver *receiver = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (message);
  SoupMessageBody *body = soup_server_message_get_request_body (message);
  const char *key = soup_message_headers_get_one (headers, "Idempotency-Key");
  const char *signature = soup_message_headers_get_one (headers, "X-Copydesk-Signature");
  g_autofree char *hmac = g_compute_hmac_for_data (G_CHECKSUM_SHA256, (const guchar *) SECRET, strlen (SECRET),
                                                   (const guchar *) body->data, (gsize) body->length);
  g_autofree char *expected = g_strconcat ("sha256=", hmac, NULL);
  g_autofree char *answer = NULL;
  gboolean known;

  receiver->requests++;
  if (key == NULL || g_strcmp0 (signature, expected) != 0)
    {
      receiver->bad_signatures++;
      soup_server_message_set_status (message, 401, NULL);
      return;
    }
  known = g_hash_table_contains (receiver->deliveries, key);
  if (known)
    receiver->repeats++;
  else
    g_hash_table_insert (receiver->deliveries, g_strdup (key), g_strndup (body->data, (gsize) body->length));
  answer = g_strdup_printf ("{\"id\": \"%s\", \"url\": \"https://news.example/%s\"}", key, key);
  soup_server_message_set_status (message, known ? 200 : 201, NULL);
  soup_server_message_set_response (message, "application/json", SOUP_MEMORY_COPY, answer, strlen (answer));
  if (receiver->holding)
    {
      soup_server_message_pause (message);
      g_ptr_array_add (receiver->held, g_object_ref (message));
    }
}

static void
receiver_start (Receiver *receiver)
{
  g_autoptr(GError) error = NULL;
  GSList *uris;

  receiver->server = soup_server_new (NULL, NULL);
  receiver->deliveries = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  receiver->held = g_ptr_array_new_with_free_func (g_object_unref);
  soup_server_add_handler (receiver->server, "/hook", on_delivery, receiver, NULL);
  g_assert_true (soup_server_listen_local (receiver->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  g_assert_no_error (error);
  uris = soup_server_get_uris (receiver->server);
  receiver->url = g_strdup_printf ("http://127.0.0.1:%d/hook", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
}

static void
receiver_release_held (Receiver *receiver)
{
  receiver->holding = FALSE;
  for (guint i = 0; i < receiver->held->len; i++)
    soup_server_message_unpause (g_ptr_array_index (receiver->held, i));
  g_ptr_array_set_size (receiver->held, 0);
}

static void
receiver_stop (Receiver *receiver)
{
  soup_server_disconnect (receiver->server);
  g_clear_object (&receiver->server);
  g_clear_pointer (&receiver->deliveries, g_hash_table_unref);
  g_clear_pointer (&receiver->held, g_ptr_array_unref);
  g_clear_pointer (&receiver->url, g_free);
}

static GSubprocess *
start_cli (const char *first,
           ...)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                       G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  GSubprocess *process;
  va_list ap;

  g_ptr_array_add (argv, (gpointer) g_getenv ("COPYDESK_CLI"));
  g_assert_nonnull (argv->pdata[0]);
  va_start (ap, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (argv, NULL);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  return process;
}

typedef struct {
  GSubprocess *process;
  gboolean     done;
  char        *out;
  char        *err;
} Publisher;

static void
on_publisher_done (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Publisher *publisher = user_data;
  g_autoptr(GError) error = NULL;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (source), result, &publisher->out, &publisher->err, &error);
  publisher->done = TRUE;
}

/* Runs the CLI to its end while the receiver answers. */
static DeskTestRun
run_cli (const char *a,
         const char *b,
         const char *c,
         const char *d,
         const char *e,
         const char *f)
{
  Publisher run = { 0 };
  DeskTestRun out = { 0 };

  run.process = start_cli (a, b, c, d, e, f, NULL);
  g_subprocess_communicate_utf8_async (run.process, NULL, NULL, on_publisher_done, &run);
  while (!run.done)
    g_main_context_iteration (NULL, TRUE);
  out.status = g_subprocess_get_if_exited (run.process) ? g_subprocess_get_exit_status (run.process) : -1;
  out.out = run.out;
  out.err = run.err;
  g_object_unref (run.process);
  return out;
}

static char *
query_value (DeskPg     *pg,
             const char *sql)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PGresult) result = desk_pg_query (pg, sql, 0, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpint (PQntuples (result), ==, 1);
  return g_strdup (PQgetvalue (result, 0, 0));
}

static void
make_roles (void)
{
  desk_pg_harness_sql (server, "postgres",
                       "DO $$ BEGIN"
                       " IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'ana') THEN CREATE ROLE ana LOGIN IN ROLE copydesk_editor; END IF;"
                       " IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'budi') THEN CREATE ROLE budi LOGIN IN ROLE copydesk_chief; END IF;"
                       " END $$");
}

/* publish on a team desk, as on SQLite: the job queued and sent, here to
 * the local folder (no secret), and published copy not queued again. */
static void
test_publish_sends_to_the_local_folder_once (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp (NULL, &error);
  g_autofree char *path = g_build_filename (dir, "desk.db", NULL);
  g_autofree char *folder = g_build_filename (dir, "published", NULL);
  g_autofree char *admin_address = NULL;
  g_autofree char *chief = NULL;

  g_assert_no_error (error);
  {
    g_autoptr(DeskStore) store = desk_store_open (path, &error);

    g_assert_no_error (error);
    g_assert_cmpint (desk_test_add_approved (store, "Ferry timetable changes in March",
                                             "\nThe ferry company will run two more crossings a day from March, "
                                             "its director said on Monday.\n"), ==, 1);
    /* A job for WordPress, queued on the SQLite desk without its
     * password: a team desk's publisher sends it too. */
    {
      g_autoptr(JsonObject) settings = json_object_new ();
      gint64 target_id;

      g_assert_cmpint (desk_test_add_approved (store, "Museum reopens its east wing",
                                               "\nThe city museum reopened its east wing on Sunday after two "
                                               "years of repairs, its curator said.\n"), ==, 2);
      json_object_set_string_member (settings, "url", "https://wp.example");
      json_object_set_string_member (settings, "user", "desk");
      target_id = desk_store_add_target (store, DESK_TARGET_WORDPRESS, "site", settings, &error);
      g_assert_no_error (error);
      g_assert_cmpint (desk_store_publish (store, 2, target_id, "budi", &error), >, 0);
      g_assert_no_error (error);
    }
  }
  admin_address = desk_pg_harness_create_database (server, "publish_local");
  {
    g_auto(DeskTestRun) init = run_cli ("desk", "init", admin_address, NULL, NULL, NULL);
    g_auto(DeskTestRun) copy = run_cli ("desk", "copy", path, admin_address, NULL, NULL);

    g_assert_cmpint (init.status, ==, 0);
    g_assert_cmpint (copy.status, ==, 0);
  }
  make_roles ();
  chief = desk_pg_harness_address (server, "publish_local", "budi");
  g_setenv ("COPYDESK_PUBLISH_DIR", folder, TRUE);
  {
    g_auto(DeskTestRun) first = run_cli ("publish", "--database", chief, "1", NULL, NULL);
    g_auto(DeskTestRun) again = run_cli ("publish", "--database", chief, "1", NULL, NULL);
    g_auto(DeskTestRun) outbox = run_cli ("outbox", "--database", chief, "--json", NULL, NULL);
    g_autoptr(GDir) published = g_dir_open (folder, 0, &error);
    const char *name;
    guint files = 0;

    g_assert_cmpint (first.status, ==, 0);
    g_assert_true (g_str_has_prefix (first.out, "#1: published to local: file://"));
    g_assert_nonnull (strstr (first.out, "ferry-timetable-changes-in-march"));
    g_assert_cmpint (again.status, ==, 1);
    g_assert_nonnull (strstr (again.err, "Release #1 is already published"));
    g_assert_cmpint (outbox.status, ==, 0);
    g_assert_nonnull (strstr (outbox.out, "\"state\" : \"done\""));
    /* The WordPress job goes too, and fails in words: its password is
     * on no machine's keyring here. */
    g_assert_nonnull (strstr (outbox.out, "\"state\" : \"failed\""));
    g_assert_nonnull (strstr (outbox.out, "The target has no password stored: add it again with its password"));
    g_assert_null (strstr (outbox.out, "\"state\" : \"pending\""));
    g_assert_no_error (error);
    while ((name = g_dir_read_name (published)) != NULL)
      {
        g_assert_true (g_str_has_suffix (name, "ferry-timetable-changes-in-march.html"));
        files++;
      }
    g_assert_cmpuint (files, ==, 1);
  }
  g_unsetenv ("COPYDESK_PUBLISH_DIR");
  desk_test_remove_tree (dir);
}

static void
test_three_publishers_one_killed_make_one_delivery_per_release (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *admin_address = NULL;
  g_autofree char *chief = NULL;
  g_autofree char *editor = NULL;
  g_autoptr(DeskPg) admin = NULL;
  Receiver receiver = { 0 };
  Publisher publishers[N_PUBLISHERS] = { { 0 } };
  gint64 job_ids[N_RELEASES];

  if (g_getenv ("COPYDESK_TEST_KEYRING") == NULL)
    {
      g_test_skip ("no Secret Service could be started (gnome-keyring in a D-Bus session)");
      return;
    }

  receiver_start (&receiver);
  dir = g_dir_make_tmp (NULL, &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, "desk.db", NULL);

  /* A SQLite desk of approved releases and a webhook, its secret in the
   * keyring, moved to the team desk as a newsroom would. */
  {
    g_autoptr(DeskStore) store = desk_store_open (path, &error);
    g_autoptr(JsonObject) settings = json_object_new ();
    gint64 target_id;

    g_assert_no_error (error);
    for (guint i = 0; i < N_RELEASES; i++)
      {
        g_autofree char *headline = g_strdup_printf ("Council approves budget number %u", i + 1);
        g_autofree char *body = g_strdup_printf ("\nThe city council approved budget number %u on Tuesday after a "
                                                 "debate of %u hours, the council's spokesperson said.\n",
                                                 i + 1, i + 2);

        g_assert_cmpint (desk_test_add_approved (store, headline, body), ==, i + 1);
      }
    json_object_set_string_member (settings, "url", receiver.url);
    target_id = desk_store_add_target (store, DESK_TARGET_WEBHOOK, "hook", settings, &error);
    g_assert_no_error (error);
    g_assert_false (desk_test_set_secret (store, target_id, SECRET));   /* in the keyring */
  }
  admin_address = desk_pg_harness_create_database (server, "publish");
  {
    g_auto(DeskTestRun) init = run_cli ("desk", "init", admin_address, NULL, NULL, NULL);
    g_auto(DeskTestRun) copy = run_cli ("desk", "copy", path, admin_address, NULL, NULL);

    g_assert_cmpint (init.status, ==, 0);
    g_assert_cmpint (copy.status, ==, 0);
  }
  make_roles ();
  chief = desk_pg_harness_address (server, "publish", "budi");
  editor = desk_pg_harness_address (server, "publish", "ana");
  admin = desk_pg_new (admin_address);
  g_assert_true (desk_pg_connect (admin, &error));

  /* An editor may neither queue nor send, and is told so first. */
  {
    g_auto(DeskTestRun) publish = run_cli ("publish", "--database", editor, "1", "--target", "hook");
    g_auto(DeskTestRun) outbox = run_cli ("outbox", "--run", "--database", editor, NULL, NULL);
    g_autofree char *jobs = query_value (admin, "SELECT count(*) FROM outbox");

    g_assert_cmpint (publish.status, ==, 1);
    g_assert_nonnull (strstr (publish.err, "ana may not publish on the desk at"));
    g_assert_nonnull (strstr (publish.err, "only a chief editor (role copydesk_chief) may queue or send"));
    g_assert_cmpint (outbox.status, ==, 1);
    g_assert_nonnull (strstr (outbox.err, "ana may not publish"));
    g_assert_null (strstr (outbox.err, "permission denied"));
    g_assert_cmpstr (jobs, ==, "0");
    g_assert_cmpuint (receiver.requests, ==, 0);
  }

  /* The chief queues every release; queueing one again gives its job. */
  {
    g_autoptr(DeskDb) db = desk_db_open (chief, &error);

    g_assert_no_error (error);
    for (guint i = 0; i < N_RELEASES; i++)
      {
        job_ids[i] = desk_db_queue_release (db, i + 1, "hook", NULL, &error);
        g_assert_no_error (error);
        g_assert_cmpint (job_ids[i], >, 0);
      }
    g_assert_cmpint (desk_db_queue_release (db, 1, "hook", NULL, &error), ==, job_ids[0]);
    g_assert_no_error (error);
  }

  /* Three publishers at once; each holds one job, its delivery arrived
   * and unanswered, when the first is killed. */
  receiver.holding = TRUE;
  for (guint i = 0; i < N_PUBLISHERS; i++)
    {
      publishers[i].process = start_cli ("outbox", "--run", "--database", chief, NULL);
      g_subprocess_communicate_utf8_async (publishers[i].process, NULL, NULL, on_publisher_done, &publishers[i]);
    }
  while (receiver.held->len < N_PUBLISHERS)
    g_main_context_iteration (NULL, TRUE);
  g_subprocess_force_exit (publishers[0].process);
  while (!publishers[0].done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (g_subprocess_get_if_signaled (publishers[0].process));
  g_assert_cmpint (g_subprocess_get_term_sig (publishers[0].process), ==, SIGKILL);
  receiver_release_held (&receiver);
  while (!publishers[1].done || !publishers[2].done)
    g_main_context_iteration (NULL, TRUE);

  for (guint i = 1; i < N_PUBLISHERS; i++)
    {
      if (g_test_verbose ())
        g_printerr ("publisher %u: %s%s\n", i, publishers[i].out, publishers[i].err);
      g_assert_true (g_subprocess_get_if_exited (publishers[i].process));
      g_assert_cmpint (g_subprocess_get_exit_status (publishers[i].process), ==, 0);
    }

  /* Exactly one delivery per release: the killed publisher's job was
   * sent again by another, and the receiver knew it by its key. */
  g_assert_cmpuint (receiver.bad_signatures, ==, 0);
  g_assert_cmpuint (g_hash_table_size (receiver.deliveries), ==, N_RELEASES);
  /* Sent twice: the killed publisher's job only.  Jobs taken without
   * their row's lock would be sent by several publishers at once. */
  g_assert_cmpuint (receiver.repeats, ==, 1);
  g_assert_cmpuint (receiver.requests, ==, N_RELEASES + receiver.repeats);
  {
    g_autofree char *jobs = query_value (admin, "SELECT string_agg (state || ' ' || (remote_id IS NOT NULL)::text, ','"
                                                " ORDER BY id) FROM outbox");
    g_autofree char *statuses = query_value (admin, "SELECT count(*) FROM releases WHERE status = 'published'");
    g_autofree char *published = query_value (admin,
      "SELECT count(*) FROM (SELECT release_id FROM events WHERE action = 'published'"
      " GROUP BY release_id HAVING count(*) = 1) once");
    g_autofree char *actors = query_value (admin,
      "SELECT string_agg (DISTINCT actor, ',') FROM events WHERE action IN ('publish-queued', 'published')");
    g_autofree char *keys = query_value (admin, "SELECT count(DISTINCT idempotency_key) FROM outbox");
    g_autoptr(GString) all_done = g_string_new (NULL);

    for (guint i = 0; i < N_RELEASES; i++)
      g_string_append_printf (all_done, "%sdone true", i > 0 ? "," : "");
    g_assert_cmpstr (jobs, ==, all_done->str);
    g_assert_cmpint (g_ascii_strtoll (statuses, NULL, 10), ==, N_RELEASES);
    g_assert_cmpint (g_ascii_strtoll (published, NULL, 10), ==, N_RELEASES);
    g_assert_cmpint (g_ascii_strtoll (keys, NULL, 10), ==, N_RELEASES);
    g_assert_cmpstr (actors, ==, "budi");
  }
  /* The secret is in the keyring only, never in the desk. */
  {
    g_autofree char *found = query_value (admin,
      "SELECT count(*) FROM outbox o, targets t, events e WHERE o.payload LIKE '%" SECRET "%'"
      " OR t.settings LIKE '%" SECRET "%' OR coalesce (e.note, '') LIKE '%" SECRET "%'");

    g_assert_cmpstr (found, ==, "0");
  }

  for (guint i = 0; i < N_PUBLISHERS; i++)
    {
      g_clear_object (&publishers[i].process);
      g_free (publishers[i].out);
      g_free (publishers[i].err);
    }
  receiver_stop (&receiver);
  desk_test_remove_tree (dir);
}

/* target add, list and remove on a team desk: a chief's only, the
 * secret in this machine's Secret Service; a release imported there,
 * approved and published to the webhook added there, signed with it. */
static DeskTestRun run_cli_argv (const char * const *args);

#define run_cli_args(...) run_cli_argv ((const char * const []) { __VA_ARGS__, NULL })

static void
test_targets_are_a_chiefs_and_their_secret_stays_in_the_keyring (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *secret_file = NULL;
  g_autofree char *release = NULL;
  g_autofree char *admin_address = NULL;
  g_autofree char *chief = NULL;
  g_autofree char *editor = NULL;
  g_autofree char *uuid = NULL;
  g_autofree char *hook_id = NULL;
  g_autoptr(DeskPg) admin = NULL;
  Receiver receiver = { 0 };

  if (g_getenv ("COPYDESK_TEST_KEYRING") == NULL)
    {
      g_test_skip ("no Secret Service could be started (gnome-keyring in a D-Bus session)");
      return;
    }

  receiver_start (&receiver);
  dir = g_dir_make_tmp (NULL, &error);
  g_assert_no_error (error);
  secret_file = g_build_filename (dir, "secret", NULL);
  release = g_build_filename (dir, "bridge.txt", NULL);
  g_file_set_contents (secret_file, SECRET "\n", -1, &error);
  g_assert_no_error (error);
  g_file_set_contents (release, "Harbour bridge reopens after repairs\n\n"
                                "The harbour bridge reopened to traffic on Friday after eight months of repairs, "
                                "the city's roads department said.\n", -1, &error);
  g_assert_no_error (error);
  admin_address = desk_pg_harness_create_database (server, "targets");
  {
    g_auto(DeskTestRun) init = run_cli ("desk", "init", admin_address, NULL, NULL, NULL);

    g_assert_cmpint (init.status, ==, 0);
  }
  make_roles ();
  chief = desk_pg_harness_address (server, "targets", "budi");
  editor = desk_pg_harness_address (server, "targets", "ana");
  admin = desk_pg_new (admin_address);
  g_assert_true (desk_pg_connect (admin, &error));
  uuid = query_value (admin, "SELECT value FROM store_info WHERE name = 'uuid'");

  /* An editor may not add one, and is told so; nothing is kept. */
  {
    g_auto(DeskTestRun) added = { 0 };
    g_autofree char *rows = NULL;
    Publisher run = { 0 };

    /* (run_cli takes six arguments; this needs ten.) */
    run.process = start_cli ("target", "add", "--database", editor, "webhook", "hook",
                             "--url", receiver.url, "--secret-file", secret_file, NULL);
    g_subprocess_communicate_utf8_async (run.process, NULL, NULL, on_publisher_done, &run);
    while (!run.done)
      g_main_context_iteration (NULL, TRUE);
    added.status = g_subprocess_get_exit_status (run.process);
    added.out = run.out;
    added.err = run.err;
    g_object_unref (run.process);
    rows = query_value (admin, "SELECT count(*) FROM targets WHERE name = 'hook'");

    g_assert_cmpint (added.status, ==, 1);
    g_assert_nonnull (strstr (added.err, "ana may not change the publish targets of the desk at"));
    g_assert_nonnull (strstr (added.err, "only a chief editor (role copydesk_chief) may add, change or remove them"));
    g_assert_null (strstr (added.err, SECRET));
    g_assert_cmpstr (rows, ==, "0");
  }

  /* A chief adds it; the secret goes to the keyring, not the desk. */
  {
    Publisher run = { 0 };
    g_autofree char *in_desk = NULL;
    g_autofree char *kept = NULL;

    run.process = start_cli ("target", "add", "--database", chief, "webhook", "hook",
                             "--url", receiver.url, "--secret-file", secret_file, NULL);
    g_subprocess_communicate_utf8_async (run.process, NULL, NULL, on_publisher_done, &run);
    while (!run.done)
      g_main_context_iteration (NULL, TRUE);
    g_assert_cmpint (g_subprocess_get_exit_status (run.process), ==, 0);
    g_assert_cmpstr (run.out, ==, "target hook (webhook) added\n");
    g_object_unref (run.process);
    g_free (run.out);
    g_free (run.err);
    hook_id = query_value (admin, "SELECT id FROM targets WHERE name = 'hook' AND kind = 'webhook' AND removed_at IS NULL");
    in_desk = query_value (admin, "SELECT count(*) FROM targets WHERE settings LIKE '%" SECRET "%'");
    g_assert_cmpstr (in_desk, ==, "0");
    kept = desk_secrets_lookup (uuid, g_ascii_strtoll (hook_id, NULL, 10), "webhook", NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (kept, ==, SECRET);
  }

  /* Anyone on the desk lists them. */
  {
    g_auto(DeskTestRun) list = run_cli ("target", "list", "--database", editor, NULL, NULL);

    g_assert_cmpint (list.status, ==, 0);
    g_assert_nonnull (strstr (list.out, "local "));
    g_assert_nonnull (strstr (list.out, "hook "));
    g_assert_nonnull (strstr (list.out, receiver.url));
  }

  /* Imported, approved and published there, signed with the secret. */
  {
    g_auto(DeskTestRun) import = run_cli ("import", "--database", editor, release, NULL, NULL);
    g_auto(DeskTestRun) review = run_cli ("set-status", "--database", editor, "1", "in_review", NULL);
    g_auto(DeskTestRun) approve = run_cli ("set-status", "--database", chief, "1", "approved", NULL);
    g_auto(DeskTestRun) publish = run_cli ("publish", "--database", chief, "1", "--target", "hook");

    g_assert_cmpint (import.status, ==, 0);
    g_assert_cmpstr (import.out, ==, "imported 1, duplicates 0, failed 0\n");
    g_assert_cmpint (review.status, ==, 0);
    g_assert_cmpint (approve.status, ==, 0);
    g_assert_cmpint (publish.status, ==, 0);
    g_assert_true (g_str_has_prefix (publish.out, "#1: published to hook: https://news.example/"));
    g_assert_cmpuint (receiver.bad_signatures, ==, 0);
    g_assert_cmpuint (g_hash_table_size (receiver.deliveries), ==, 1);
  }

  /* target edit: a chief's only.  On a second machine, whose keyring
   * has no secret for the target (this one's, emptied), a chief stores
   * its own with --secret-file, and nothing changes on the server; an
   * editor is told, and nothing is stored. */
  {
    g_autofree char *before = query_value (admin, "SELECT name || ' ' || settings FROM targets WHERE name = 'hook'");
    g_auto(DeskTestRun) settings_by_chief = { 0 };
    g_autofree char *local = NULL;
    g_autofree char *after = NULL;
    g_autofree char *kept = NULL;
    g_autofree char *second = g_build_filename (dir, "second.txt", NULL);
    g_auto(DeskTestRun) refused = { 0 };
    g_auto(DeskTestRun) stored = { 0 };
    g_auto(DeskTestRun) import = { 0 };
    g_auto(DeskTestRun) review = { 0 };
    g_auto(DeskTestRun) approve = { 0 };
    g_auto(DeskTestRun) publish = { 0 };

    desk_secrets_clear (uuid, g_ascii_strtoll (hook_id, NULL, 10), "webhook");
    refused = run_cli_args ("target", "edit", "--database", editor, "hook", "--secret-file", secret_file);
    g_assert_cmpint (refused.status, ==, 1);
    g_assert_nonnull (strstr (refused.err, "ana may not change the publish targets"));
    kept = desk_secrets_lookup (uuid, g_ascii_strtoll (hook_id, NULL, 10), "webhook", NULL, NULL);
    g_assert_null (kept);

    stored = run_cli_args ("target", "edit", "--database", chief, "hook", "--secret-file", secret_file);
    g_assert_cmpint (stored.status, ==, 0);
    g_assert_cmpstr (stored.out, ==, "target hook changed\n");
    kept = desk_secrets_lookup (uuid, g_ascii_strtoll (hook_id, NULL, 10), "webhook", NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (kept, ==, SECRET);
    after = query_value (admin, "SELECT name || ' ' || settings FROM targets WHERE name = 'hook'");
    g_assert_cmpstr (after, ==, before);

    /* Settings likewise. */
    {
      g_auto(DeskTestRun) by_editor = run_cli_args ("target", "edit", "--database", editor, "local", "--format", "md");
      g_autofree char *unchanged = query_value (admin, "SELECT settings FROM targets WHERE name = 'local'");

      g_assert_cmpint (by_editor.status, ==, 1);
      g_assert_nonnull (strstr (by_editor.err, "may add, change or remove them"));
      g_assert_null (strstr (unchanged, "\"md\""));
    }
    settings_by_chief = run_cli_args ("target", "edit", "--database", chief, "local", "--format", "md");
    g_assert_cmpint (settings_by_chief.status, ==, 0);
    local = query_value (admin, "SELECT settings FROM targets WHERE name = 'local'");
    g_assert_nonnull (strstr (local, "\"format\":\"md\""));

    /* The secret stored that way signs the next delivery. */
    g_file_set_contents (second, "School meals programme widened\n\n"
                                 "The school meals programme will reach forty more schools next term, "
                                 "the ministry said on Tuesday.\n", -1, &error);
    g_assert_no_error (error);
    import = run_cli ("import", "--database", editor, second, NULL, NULL);
    review = run_cli ("set-status", "--database", editor, "2", "in_review", NULL);
    approve = run_cli ("set-status", "--database", chief, "2", "approved", NULL);
    publish = run_cli ("publish", "--database", chief, "2", "--target", "hook");
    g_assert_cmpint (publish.status, ==, 0);
    g_assert_cmpuint (receiver.bad_signatures, ==, 0);
    g_assert_cmpuint (g_hash_table_size (receiver.deliveries), ==, 2);
  }

  /* An editor may not remove it; a chief does, and its secret goes. */
  {
    g_auto(DeskTestRun) refused = run_cli ("target", "remove", "--database", editor, "hook", NULL);
    g_auto(DeskTestRun) removed = { 0 };
    g_autofree char *kept = NULL;
    g_autofree char *rows = query_value (admin, "SELECT count(*) FROM targets WHERE name = 'hook' AND removed_at IS NULL");

    g_assert_cmpint (refused.status, ==, 1);
    g_assert_nonnull (strstr (refused.err, "ana may not change the publish targets"));
    g_assert_cmpstr (rows, ==, "1");
    removed = run_cli ("target", "remove", "--database", chief, "hook", NULL);
    g_assert_cmpint (removed.status, ==, 0);
    g_assert_cmpstr (removed.out, ==, "target hook removed\n");
    kept = desk_secrets_lookup (uuid, g_ascii_strtoll (hook_id, NULL, 10), "webhook", NULL, NULL);
    g_assert_null (kept);
  }
  {
    g_auto(DeskTestRun) list = run_cli ("target", "list", "--database", chief, NULL, NULL);
    /* Added again, it is the same target: what it published stays its own. */
    Publisher run = { 0 };
    g_autofree char *again_id = NULL;

    g_assert_cmpint (list.status, ==, 0);
    g_assert_null (strstr (list.out, "hook "));
    run.process = start_cli ("target", "add", "--database", chief, "webhook", "hook",
                             "--url", receiver.url, "--secret-file", secret_file, NULL);
    g_subprocess_communicate_utf8_async (run.process, NULL, NULL, on_publisher_done, &run);
    while (!run.done)
      g_main_context_iteration (NULL, TRUE);
    g_assert_cmpint (g_subprocess_get_exit_status (run.process), ==, 0);
    g_object_unref (run.process);
    g_free (run.out);
    g_free (run.err);
    again_id = query_value (admin, "SELECT id FROM targets WHERE name = 'hook' AND removed_at IS NULL");
    g_assert_cmpstr (again_id, ==, hook_id);
  }

  receiver_stop (&receiver);
  desk_test_remove_tree (dir);
}

/* ---- a WordPress site, as test-publish.c's answers: users/me, posts
 * by slug (status=any), posts made and updated, tags ---- */

#define WP_USER "desk"
#define WP_PASSWORD "abcd EFGH 1234 ijkl MNOP 5678"

typedef struct {
  SoupServer *server;
  char       *url;
  GPtrArray  *posts;      /* of JsonObject */
  guint       creates;
  gboolean    holding;    /* a post is made, its answer held */
  GPtrArray  *held;       /* of SoupServerMessage */
} Site;

static void
site_reply (SoupServerMessage *msg,
            guint              status,
            JsonNode          *root)
{
  g_autofree char *text = json_to_string (root, FALSE);

  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json; charset=UTF-8", SOUP_MEMORY_COPY, text, strlen (text));
}

static void
site_reply_object (SoupServerMessage *msg,
                   guint              status,
                   JsonObject        *object)
{
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);

  json_node_set_object (root, object);
  site_reply (msg, status, root);
}

static void
on_wordpress (SoupServer        *soup_server,
              SoupServerMessage *msg,
              const char        *path,
              GHashTable        *query,
              gpointer           user_data)
{
  Site *site = user_data;
  const char *method = soup_server_message_get_method (msg);
  const char *header = soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "Authorization");
  g_autofree char *credentials = g_strdup_printf ("%s:%s", WP_USER, WP_PASSWORD);
  g_autofree char *encoded = g_base64_encode ((const guchar *) credentials, strlen (credentials));
  g_autofree char *expected = g_strconcat ("Basic ", encoded, NULL);
  const char *route = g_str_has_prefix (path, "/wp-json") ? path + strlen ("/wp-json") : path;
  g_autoptr(JsonObject) request = NULL;

  if (g_strcmp0 (header, expected) != 0)
    {
      g_autoptr(JsonObject) error = json_object_new ();

      json_object_set_string_member (error, "code", "rest_not_logged_in");
      json_object_set_string_member (error, "message", "You are not currently logged in.");
      site_reply_object (msg, 401, error);
      return;
    }
  if (g_str_equal (method, "POST"))
    {
      SoupMessageBody *body = soup_server_message_get_request_body (msg);
      g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
      g_autoptr(JsonParser) parser = json_parser_new ();

      g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL),
                                                 (gssize) g_bytes_get_size (bytes), NULL));
      request = json_object_ref (json_node_get_object (json_parser_get_root (parser)));
    }

  if (g_str_equal (route, "/wp/v2/users/me"))
    {
      g_autoptr(JsonObject) me = json_object_new ();

      json_object_set_int_member (me, "id", 1);
      site_reply_object (msg, 200, me);
    }
  else if (g_str_equal (route, "/wp/v2/tags"))
    {
      g_autoptr(JsonObject) tag = json_object_new ();

      json_object_set_int_member (tag, "id", 7);
      site_reply_object (msg, 201, tag);
    }
  else if (g_str_equal (route, "/wp/v2/posts") && g_str_equal (method, "GET"))
    {
      const char *slug = query != NULL ? g_hash_table_lookup (query, "slug") : NULL;
      g_autoptr(JsonArray) found = json_array_new ();
      g_autoptr(JsonNode) root = json_node_new (JSON_NODE_ARRAY);

      for (guint i = 0; i < site->posts->len; i++)
        {
          JsonObject *post = g_ptr_array_index (site->posts, i);

          if (g_strcmp0 (json_object_get_string_member (post, "slug"), slug) == 0)
            json_array_add_object_element (found, json_object_ref (post));
        }
      json_node_set_array (root, found);
      site_reply (msg, 200, root);
    }
  else if (g_str_equal (route, "/wp/v2/posts"))
    {
      JsonObject *post = json_object_new ();
      gint64 id = (gint64) site->posts->len + 1;
      g_autofree char *link = g_strdup_printf ("https://news.example/?p=%" G_GINT64_FORMAT, id);

      json_object_set_int_member (post, "id", id);
      json_object_set_string_member (post, "slug", json_object_get_string_member (request, "slug"));
      json_object_set_string_member (post, "title", json_object_get_string_member (request, "title"));
      json_object_set_string_member (post, "status", json_object_get_string_member (request, "status"));
      json_object_set_string_member (post, "link", link);
      g_ptr_array_add (site->posts, post);
      site->creates++;
      site_reply_object (msg, 201, post);
      if (site->holding)
        {
          soup_server_message_pause (msg);
          g_ptr_array_add (site->held, g_object_ref (msg));
        }
    }
  else
    soup_server_message_set_status (msg, 404, NULL);
}

static void
site_start (Site *site)
{
  g_autoptr(GError) error = NULL;
  GSList *uris;

  site->server = soup_server_new (NULL, NULL);
  site->posts = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  site->held = g_ptr_array_new_with_free_func (g_object_unref);
  soup_server_add_handler (site->server, NULL, on_wordpress, site, NULL);
  g_assert_true (soup_server_listen_local (site->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  g_assert_no_error (error);
  uris = soup_server_get_uris (site->server);
  site->url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
}

static void
site_stop (Site *site)
{
  soup_server_disconnect (site->server);
  g_clear_object (&site->server);
  g_clear_pointer (&site->posts, g_ptr_array_unref);
  g_clear_pointer (&site->held, g_ptr_array_unref);
  g_clear_pointer (&site->url, g_free);
}

/* Runs the CLI with any number of arguments to its end, while the
 * servers of this process answer. */
static DeskTestRun
run_cli_argv (const char * const *args)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                       G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  Publisher run = { 0 };
  DeskTestRun out = { 0 };

  g_ptr_array_add (argv, (gpointer) g_getenv ("COPYDESK_CLI"));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  run.process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (run.process, NULL, NULL, on_publisher_done, &run);
  while (!run.done)
    g_main_context_iteration (NULL, TRUE);
  out.status = g_subprocess_get_if_exited (run.process) ? g_subprocess_get_exit_status (run.process) : -1;
  out.out = run.out;
  out.err = run.err;
  if (g_test_verbose ())
    g_printerr ("%s%s(exit %d)\n", out.out, out.err, out.status);
  g_object_unref (run.process);
  return out;
}

/* WordPress from a team desk: the target added there, two releases
 * imported and approved there; the publisher of the first is killed
 * after the site made its post and before the answer came, and the
 * next run finds that post by its slug instead of making a second. */
static void
test_wordpress_publishes_once_from_a_team_desk (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *secret_file = NULL;
  g_autofree char *releases = NULL;
  g_autofree char *admin_address = NULL;
  g_autofree char *chief = NULL;
  g_autoptr(DeskPg) admin = NULL;
  Publisher killed = { 0 };
  Site site = { 0 };

  if (g_getenv ("COPYDESK_TEST_KEYRING") == NULL)
    {
      g_test_skip ("no Secret Service could be started (gnome-keyring in a D-Bus session)");
      return;
    }

  site_start (&site);
  dir = g_dir_make_tmp (NULL, &error);
  g_assert_no_error (error);
  secret_file = g_build_filename (dir, "password", NULL);
  g_file_set_contents (secret_file, WP_PASSWORD "\n", -1, &error);
  g_assert_no_error (error);
  releases = g_build_filename (dir, "releases", NULL);
  g_assert_cmpint (g_mkdir (releases, 0700), ==, 0);
  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *path = g_strdup_printf ("%s/release-%u.txt", releases, i + 1);
      g_autofree char *text = g_strdup_printf ("Library extends its opening hours number %u\n\n"
                                               "The city library will open until ten at night from April, "
                                               "%u weeks earlier than planned, its director said.\n", i + 1, i + 4);

      g_file_set_contents (path, text, -1, &error);
      g_assert_no_error (error);
    }
  admin_address = desk_pg_harness_create_database (server, "wordpress");
  {
    g_auto(DeskTestRun) init = run_cli ("desk", "init", admin_address, NULL, NULL, NULL);

    g_assert_cmpint (init.status, ==, 0);
  }
  make_roles ();
  chief = desk_pg_harness_address (server, "wordpress", "budi");
  admin = desk_pg_new (admin_address);
  g_assert_true (desk_pg_connect (admin, &error));

  {
    const char * const add[] = { "target", "add", "--database", chief, "wordpress", "site", "--url", site.url,
                                 "--user", WP_USER, "--secret-file", secret_file, NULL };
    const char * const import[] = { "import", "--database", chief, releases, NULL };
    g_auto(DeskTestRun) added = run_cli_argv (add);
    g_auto(DeskTestRun) imported = run_cli_argv (import);

    g_assert_cmpint (added.status, ==, 0);
    g_assert_cmpint (imported.status, ==, 0);
    g_assert_cmpstr (imported.out, ==, "imported 2, duplicates 0, failed 0\n");
    for (guint id = 1; id <= 2; id++)
      {
        g_autofree char *number = g_strdup_printf ("%u", id);
        g_auto(DeskTestRun) review = run_cli ("set-status", "--database", chief, number, "in_review", NULL);
        g_auto(DeskTestRun) approve = run_cli ("set-status", "--database", chief, number, "approved", NULL);

        g_assert_cmpint (review.status, ==, 0);
        g_assert_cmpint (approve.status, ==, 0);
      }
  }

  /* The first publisher dies once the post is made, before its answer. */
  site.holding = TRUE;
  killed.process = start_cli ("publish", "--database", chief, "1", "--target", "site", NULL);
  g_subprocess_communicate_utf8_async (killed.process, NULL, NULL, on_publisher_done, &killed);
  while (site.held->len == 0)
    g_main_context_iteration (NULL, TRUE);
  g_subprocess_force_exit (killed.process);
  while (!killed.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (g_subprocess_get_if_signaled (killed.process));
  site.holding = FALSE;
  for (guint i = 0; i < site.held->len; i++)
    soup_server_message_unpause (g_ptr_array_index (site.held, i));
  g_ptr_array_set_size (site.held, 0);
  g_assert_cmpuint (site.creates, ==, 1);
  {
    g_autofree char *state = query_value (admin, "SELECT state FROM outbox WHERE release_id = 1");

    g_assert_cmpstr (state, ==, "pending");
  }

  /* The next run finds it; the second release gets its own post. */
  {
    const char * const outbox[] = { "outbox", "--run", "--database", chief, NULL };
    const char * const publish[] = { "publish", "--database", chief, "2", "--target", "site", NULL };
    g_auto(DeskTestRun) run = run_cli_argv (outbox);
    g_auto(DeskTestRun) second = run_cli_argv (publish);
    g_autofree char *first = query_value (admin, "SELECT state || ' ' || remote_id || ' ' || remote_url"
                                                 " FROM outbox WHERE release_id = 1");
    g_autofree char *statuses = query_value (admin, "SELECT string_agg (status, ',' ORDER BY id) FROM releases");

    g_assert_cmpint (run.status, ==, 0);
    g_assert_cmpint (second.status, ==, 0);
    g_assert_cmpstr (second.out, ==, "#2: published to site: https://news.example/?p=2\n");
    g_assert_cmpstr (first, ==, "done 1 https://news.example/?p=1");
    g_assert_cmpstr (statuses, ==, "published,published");
    g_assert_cmpuint (site.creates, ==, 2);
    g_assert_cmpuint (site.posts->len, ==, 2);
  }

  g_clear_object (&killed.process);
  g_free (killed.out);
  g_free (killed.err);
  site_stop (&site);
  desk_test_remove_tree (dir);
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  server = desk_pg_harness_start ();

  g_test_add_func ("/pg-publish/publish-sends-to-the-local-folder-once", test_publish_sends_to_the_local_folder_once);
  g_test_add_func ("/pg-publish/three-publishers-one-killed-make-one-delivery-per-release",
                   test_three_publishers_one_killed_make_one_delivery_per_release);
  g_test_add_func ("/pg-publish/wordpress-publishes-once-from-a-team-desk",
                   test_wordpress_publishes_once_from_a_team_desk);
  g_test_add_func ("/pg-publish/targets-are-a-chiefs-and-their-secret-stays-in-the-keyring",
                   test_targets_are_a_chiefs_and_their_secret_stays_in_the_keyring);

  status = g_test_run ();
  desk_pg_harness_stop (server);
  return status;
}
