/* test-mailbox.c — IMAP mailboxes against a real Dovecot
 *
 * Each test starts its own Dovecot (dovecot-imapd) on loopback with a
 * temporary configuration: IMAPS only, a certificate made by openssl for
 * the test, one user with a static password and a maildir the test
 * delivers mail into by writing files to new/, as a delivery agent does.
 * Run as root, Dovecot's login and mail processes run as its own
 * unprivileged users (dovenull, dovecot); run as anyone else, as that
 * user.  The password is kept in a real Secret Service (gnome-keyring in
 * the test's own D-Bus session, see with-keyring.sh); the tests that need
 * copydesk-cli to find it in another process skip without one.
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <errno.h>
#include <pwd.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <glib/gstdio.h>
#include <gio/gio.h>
#include <sqlite3.h>

#include "desk-error.h"
#include "desk-mailbox.h"
#include "desk-test-util.h"

#define PASSWORD "s3cret-imap-pw"

typedef struct {
  char        *dir;
  char        *db;
  char        *cert;
  char        *maildir;
  int          port;
  GSubprocess *dovecot;
  uid_t        mail_uid;
  gid_t        mail_gid;
  guint        delivered;
} Fixture;

static int
free_port (void)
{
  struct sockaddr_in address = { 0 };
  socklen_t len = sizeof address;
  int fd = socket (AF_INET, SOCK_STREAM, 0);
  int port;

  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  g_assert_cmpint (bind (fd, (struct sockaddr *) &address, sizeof address), ==, 0);
  g_assert_cmpint (getsockname (fd, (struct sockaddr *) &address, &len), ==, 0);
  port = ntohs (address.sin_port);
  close (fd);
  return port;
}

static void
run_quietly (const char * const *argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                                      G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error);

  g_assert_no_error (error);
  g_assert_true (g_subprocess_wait_check (process, NULL, &error));
}

static void
chown_tree (const char *path,
            uid_t       uid,
            gid_t       gid)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  g_assert_cmpint (chown (path, uid, gid), ==, 0);
  if (!g_file_test (path, G_FILE_TEST_IS_DIR))
    return;
  dir = g_dir_open (path, 0, NULL);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      chown_tree (child, uid, gid);
    }
}

static void
stop_with_parent (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  g_autofree char *conf_path = NULL;
  g_autofree char *conf = NULL;
  g_autofree char *home = NULL;
  g_autofree char *homes = NULL;
  g_autofree char *openssl = g_find_program_in_path ("openssl");
  const char *login_user, *internal_user;
  gboolean root = getuid () == 0;

  if (!g_file_test ("/usr/sbin/dovecot", G_FILE_TEST_IS_EXECUTABLE) || openssl == NULL)
    {
      g_test_skip ("dovecot-imapd or openssl is not installed");
      return;
    }

  fixture->dir = g_dir_make_tmp ("copydesk-imap-XXXXXX", &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (fixture->dir, 0755), ==, 0);
  fixture->db = g_build_filename (fixture->dir, "desk.db", NULL);
  fixture->cert = g_build_filename (fixture->dir, "cert.pem", NULL);
  key = g_build_filename (fixture->dir, "key.pem", NULL);
  homes = g_build_filename (fixture->dir, "home", NULL);
  home = g_build_filename (homes, "desk", NULL);
  fixture->maildir = g_build_filename (home, "Maildir", NULL);
  for (guint i = 0; i < 3; i++)
    {
      static const char * const subdirs[] = { "new", "cur", "tmp" };
      g_autofree char *sub = g_build_filename (fixture->maildir, subdirs[i], NULL);

      g_assert_cmpint (g_mkdir_with_parents (sub, 0755), ==, 0);
    }
  {
    g_autofree char *run = g_build_filename (fixture->dir, "run", NULL);

    g_assert_cmpint (g_mkdir_with_parents (run, 0755), ==, 0);
  }

  {
    const char *argv[] = { "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key,
                           "-out", fixture->cert, "-days", "2", "-subj", "/CN=127.0.0.1",
                           "-addext", "subjectAltName=IP:127.0.0.1", NULL };

    run_quietly (argv);
  }

  if (root)
    {
      struct passwd *mail = getpwnam ("dovecot");

      g_assert_nonnull (mail);
      g_assert_nonnull (getpwnam ("dovenull"));
      fixture->mail_uid = mail->pw_uid;
      fixture->mail_gid = mail->pw_gid;
      login_user = "dovenull";
      internal_user = "dovecot";
      chown_tree (homes, fixture->mail_uid, fixture->mail_gid);
    }
  else
    {
      fixture->mail_uid = getuid ();
      fixture->mail_gid = getgid ();
      login_user = internal_user = g_get_user_name ();
    }

  fixture->port = free_port ();
  conf = g_strdup_printf ("base_dir = %1$s/run\n"
                          "state_dir = %1$s/run/state\n"
                          "log_path = %1$s/dovecot.log\n"
                          "instance_name = copydesk-test-%2$d\n"
                          "protocols = imap\n"
                          "listen = 127.0.0.1\n"
                          "ssl = required\n"
                          "ssl_cert = <%3$s\n"
                          "ssl_key = <%4$s\n"
                          "disable_plaintext_auth = yes\n"
                          "auth_mechanisms = plain\n"
                          "default_login_user = %5$s\n"
                          "default_internal_user = %6$s\n"
                          "first_valid_uid = 1\n"
                          "mail_location = maildir:%1$s/home/%%u/Maildir\n"
                          "passdb {\n  driver = static\n  args = password=" PASSWORD "\n}\n"
                          "userdb {\n  driver = static\n  args = uid=%7$u gid=%8$u home=%1$s/home/%%u\n}\n"
                          "service imap-login {\n"
                          "  inet_listener imap {\n    port = 0\n  }\n"
                          "  inet_listener imaps {\n    address = 127.0.0.1\n    port = %2$d\n  }\n"
                          "  chroot =\n"
                          "}\n"
                          "service anvil {\n  chroot =\n}\n",
                          fixture->dir, fixture->port, fixture->cert, key, login_user, internal_user,
                          (guint) fixture->mail_uid, (guint) fixture->mail_gid);
  conf_path = g_build_filename (fixture->dir, "dovecot.conf", NULL);
  g_assert_true (g_file_set_contents (conf_path, conf, -1, NULL));

  {
    const char *argv[] = { "/usr/sbin/dovecot", "-F", "-c", conf_path, NULL };
    g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);

    /* Dovecot goes when the test does, however it ends. */
    g_subprocess_launcher_set_child_setup (launcher, stop_with_parent, NULL, NULL);
    fixture->dovecot = g_subprocess_launcher_spawnv (launcher, argv, &error);
    g_assert_no_error (error);
  }

  /* Ready when it accepts a connection (or gone, which fails the test). */
  for (;;)
    {
      g_autoptr(GSocketClient) client = g_socket_client_new ();
      g_autoptr(GSocketConnection) connection =
        g_socket_client_connect_to_host (client, "127.0.0.1", fixture->port, NULL, NULL);

      if (connection != NULL)
        break;
      /* The identifier goes when the process has ended. */
      g_assert_nonnull (g_subprocess_get_identifier (fixture->dovecot));
      g_usleep (G_USEC_PER_SEC / 20);
    }
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  if (fixture->dovecot != NULL)
    {
      g_subprocess_send_signal (fixture->dovecot, SIGTERM);
      g_subprocess_wait (fixture->dovecot, NULL, NULL);
      g_clear_object (&fixture->dovecot);
    }
  if (fixture->dir != NULL)
    desk_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->db);
  g_free (fixture->cert);
  g_free (fixture->maildir);
}

/* Delivers a message as a delivery agent does: written in tmp/, moved
 * into new/. */
static void
deliver (Fixture    *fixture,
         const char *message)
{
  g_autofree char *name = g_strdup_printf ("%" G_GINT64_FORMAT ".M%uP%d.test", g_get_real_time () / G_USEC_PER_SEC,
                                           ++fixture->delivered, (int) getpid ());
  g_autofree char *tmp = g_build_filename (fixture->maildir, "tmp", name, NULL);
  g_autofree char *dest = g_build_filename (fixture->maildir, "new", name, NULL);

  g_assert_true (g_file_set_contents (tmp, message, -1, NULL));
  g_assert_cmpint (chown (tmp, fixture->mail_uid, fixture->mail_gid), ==, 0);
  g_assert_cmpint (g_chmod (tmp, 0644), ==, 0);
  g_assert_cmpint (g_rename (tmp, dest), ==, 0);
}

static char *
numbered_message (guint n)
{
  return g_strdup_printf ("From: Press Office <press@port.example>\n"
                          "Subject: Release number %u\n"
                          "Message-ID: <release-%u@port.example>\n"
                          "Date: Thu, 05 Mar 2026 09:%02u:00 +0700\n"
                          "MIME-Version: 1.0\n"
                          "Content-Type: text/plain; charset=ISO-8859-1\n"
                          "Content-Transfer-Encoding: quoted-printable\n"
                          "\n"
                          "JAKARTA =96 Release %u says the caf=E9 on pier %u opens in June, and that\n"
                          "traders from market %u will move there for the season.\n",
                          n, n, n % 60, n, n * 7, n * 13);
}

static char *
mailbox_url (Fixture *fixture)
{
  return g_strdup_printf ("imaps://127.0.0.1:%d/INBOX", fixture->port);
}

/* Runs copydesk-cli with @args on the fixture's store. */
static GSubprocess *
spawn_cli (Fixture            *fixture,
           const char * const *args,
           GSubprocessFlags    flags)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (flags);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  GSubprocess *process;

  g_ptr_array_add (argv, (char *) g_getenv ("COPYDESK_CLI"));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);
  g_subprocess_launcher_setenv (launcher, "COPYDESK_DB", fixture->db, TRUE);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  return process;
}

static void
run_cli (Fixture            *fixture,
         const char * const *args,
         const char         *input,
         DeskTestRun        *run)
{
  g_autoptr(GSubprocess) process = spawn_cli (fixture, args, G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                              G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GError) error = NULL;

  g_subprocess_communicate_utf8 (process, input, NULL, &run->out, &run->err, &error);
  g_assert_no_error (error);
  run->status = g_subprocess_get_exit_status (process);
}

static gboolean
file_contains (const char *path,
               const char *needle)
{
  g_autofree char *data = NULL;
  gsize len = 0;

  if (!g_file_get_contents (path, &data, &len, NULL))
    return FALSE;
  return g_strstr_len (data, len, needle) != NULL;
}

static void
add_mailbox_with_cli (Fixture *fixture)
{
  g_autofree char *url = mailbox_url (fixture);
  const char *add[] = { "mailbox", "add", "Press", url, "--user", "desk", "--password-file", "-",
                        "--ca-file", fixture->cert, NULL };
  g_auto(DeskTestRun) run = { 0 };

  run_cli (fixture, add, PASSWORD "\n", &run);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "mailbox Press added"));
}

static void
test_fetch_each_message_once (Fixture       *fixture,
                              gconstpointer  data)
{
  const char *fetch[] = { "mailbox", "fetch", "Press", NULL };
  const char *list[] = { "mailbox", "list", NULL };
  g_autofree char *first = numbered_message (1);
  g_autofree char *second = numbered_message (2);
  g_autofree char *third = numbered_message (3);
  g_autofree char *wal = NULL;

  if (g_test_failed () || fixture->dovecot == NULL)
    return;
  if (g_getenv ("COPYDESK_TEST_KEYRING") == NULL)
    {
      g_test_skip ("no Secret Service: copydesk-cli could not find the password in another process");
      return;
    }

  add_mailbox_with_cli (fixture);
  deliver (fixture, first);
  deliver (fixture, second);

  {
    g_auto(DeskTestRun) run = { 0 };

    run_cli (fixture, fetch, NULL, &run);
    g_assert_cmpstr (run.err, ==, "");
    g_assert_cmpint (run.status, ==, 0);
    g_assert_nonnull (strstr (run.out, "mailbox Press: 2 new messages, 2 releases"));
  }
  {
    g_auto(DeskTestRun) run = { 0 };

    run_cli (fixture, fetch, NULL, &run);
    g_assert_cmpint (run.status, ==, 0);
    g_assert_nonnull (strstr (run.out, "mailbox Press: 0 new messages, 0 releases"));
  }
  deliver (fixture, third);
  {
    g_auto(DeskTestRun) run = { 0 };

    run_cli (fixture, fetch, NULL, &run);
    g_assert_cmpint (run.status, ==, 0);
    g_assert_nonnull (strstr (run.out, "mailbox Press: 1 new messages, 1 releases"));
  }
  {
    g_auto(DeskTestRun) run = { 0 };

    run_cli (fixture, list, NULL, &run);
    g_assert_cmpint (run.status, ==, 0);
    g_assert_nonnull (strstr (run.out, "Press"));
    g_assert_null (strstr (run.out, PASSWORD));
  }

  g_assert_cmpint (desk_test_sql_int (fixture->db, "SELECT count(*) FROM releases"), ==, 3);
  g_assert_cmpint (desk_test_sql_int (fixture->db, "SELECT count(*) FROM releases WHERE original LIKE '%café on pier 14%'"), ==, 1);
  g_assert_cmpint (desk_test_sql_int (fixture->db, "SELECT count(*) FROM releases WHERE source_uid = 'mail:<release-2@port.example>'"), ==, 1);
  g_assert_cmpint (desk_test_sql_int (fixture->db, "SELECT count(*) FROM mailbox_seen"), ==, 3);
  /* The password is in the keyring only. */
  wal = g_strconcat (fixture->db, "-wal", NULL);
  g_assert_false (file_contains (fixture->db, PASSWORD));
  g_assert_false (file_contains (wal, PASSWORD));
}

static void
test_wrong_password (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(DeskStore) store = NULL;
  g_autoptr(DeskMailbox) mailbox = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  DeskMailboxCounts counts = { 0 };
  gboolean session_only = FALSE;

  if (g_test_failed () || fixture->dovecot == NULL)
    return;
  if (g_getenv ("COPYDESK_TEST_KEYRING") == NULL)
    g_setenv ("COPYDESK_SECRETS", "memory", TRUE);

  url = mailbox_url (fixture);
  store = desk_store_open (fixture->db, &error);
  g_assert_no_error (error);
  g_assert_cmpint (desk_store_add_mailbox (store, "Wrong", url, "desk", fixture->cert, 60, &error), >, 0);
  mailbox = desk_store_get_mailbox (store, "Wrong", &error);
  g_assert_no_error (error);

  /* No password yet: said, without asking the server. */
  g_assert_false (desk_mailbox_fetch (store, mailbox, "Ed", &counts, NULL, &error));
  g_assert_nonnull (strstr (error->message, "Wrong"));
  g_clear_error (&error);

  g_assert_true (desk_store_set_mailbox_password (store, mailbox, "not-the-password", &session_only, &error));
  g_assert_false (desk_mailbox_fetch (store, mailbox, "Ed", &counts, NULL, &error));
  g_assert_error (error, DESK_ERROR, DESK_ERROR_REJECTED);
  g_assert_nonnull (strstr (error->message, "Wrong"));
  g_assert_null (strstr (error->message, "not-the-password"));
  g_clear_error (&error);

  /* Without the test's certificate, the server is not trusted. */
  {
    g_autoptr(DeskMailbox) untrusted = NULL;

    g_assert_cmpint (desk_store_add_mailbox (store, "Untrusted", url, "desk", NULL, 60, &error), >, 0);
    untrusted = desk_store_get_mailbox (store, "Untrusted", &error);
    g_assert_true (desk_store_set_mailbox_password (store, untrusted, PASSWORD, &session_only, &error));
    g_assert_false (desk_mailbox_fetch (store, untrusted, "Ed", &counts, NULL, &error));
    g_assert_error (error, DESK_ERROR, DESK_ERROR_REJECTED);
    g_clear_error (&error);
  }

  /* Bad addresses are refused when added. */
  g_assert_cmpint (desk_store_add_mailbox (store, "Http", "https://127.0.0.1/INBOX", "desk", NULL, 60, &error), ==, 0);
  g_assert_error (error, DESK_ERROR, DESK_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  g_assert_cmpint (desk_store_add_mailbox (store, "Creds", "imaps://desk:pw@127.0.0.1/INBOX", "desk", NULL, 60, &error), ==, 0);
  g_assert_error (error, DESK_ERROR, DESK_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  g_assert_cmpint (desk_test_sql_int (fixture->db, "SELECT count(*) FROM releases"), ==, 0);
}

/* How many messages the store has taken, while another process writes
 * it: -1 while that process holds it (creating or upgrading it). */
static gint64
messages_taken (const char *db_path)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 value = -1;

  if (sqlite3_open_v2 (db_path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK)
    {
      sqlite3_busy_timeout (db, 100);
      if (sqlite3_prepare_v2 (db, "SELECT count(*) FROM mailbox_seen", -1, &stmt, NULL) == SQLITE_OK &&
          sqlite3_step (stmt) == SQLITE_ROW)
        value = sqlite3_column_int64 (stmt, 0);
    }
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return value;
}

/* copydesk-cli mailbox fetch killed with SIGKILL at random moments, again
 * and again, then run to the end: every message is a release once. */
static void
test_kill_during_fetch (Fixture       *fixture,
                        gconstpointer  data)
{
  const char *fetch[] = { "mailbox", "fetch", "Press", NULL };
  const guint n_messages = 60;
  g_autoptr(GRand) rand = g_rand_new ();
  guint killed = 0;

  if (g_test_failed () || fixture->dovecot == NULL)
    return;
  if (g_getenv ("COPYDESK_TEST_KEYRING") == NULL)
    {
      g_test_skip ("no Secret Service: copydesk-cli could not find the password in another process");
      return;
    }

  add_mailbox_with_cli (fixture);
  for (guint i = 1; i <= n_messages; i++)
    {
      g_autofree char *message = numbered_message (i);

      deliver (fixture, message);
    }

  for (guint round = 0; round < 12; round++)
    {
      g_autoptr(GSubprocess) process = spawn_cli (fixture, fetch, G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                                  G_SUBPROCESS_FLAGS_STDERR_SILENCE);

      gint64 before = messages_taken (fixture->db);

      /* Killed while it takes messages: once it has taken one more (or
       * ended), a moment later. */
      while (g_subprocess_get_identifier (process) != NULL &&
             messages_taken (fixture->db) <= before)
        g_usleep (2000);
      g_usleep (g_rand_int_range (rand, 0, 20) * 1000);
      if (g_subprocess_get_identifier (process) != NULL)
        {
          g_subprocess_force_exit (process);
          killed++;
        }
      g_subprocess_wait (process, NULL, NULL);
    }
  g_test_message ("killed %u of 12 fetches; %" G_GINT64_FORMAT " of %u messages taken by then", killed,
                  desk_test_sql_int (fixture->db, "SELECT count(*) FROM mailbox_seen"), n_messages);

  {
    g_auto(DeskTestRun) run = { 0 };

    run_cli (fixture, fetch, NULL, &run);
    g_assert_cmpint (run.status, ==, 0);
  }

  g_assert_cmpint (desk_test_sql_int (fixture->db, "SELECT count(*) FROM releases"), ==, n_messages);
  g_assert_cmpint (desk_test_sql_int (fixture->db, "SELECT count(DISTINCT source_uid) FROM releases"), ==, n_messages);
  g_assert_cmpint (desk_test_sql_int (fixture->db, "SELECT count(*) FROM mailbox_seen"), ==, n_messages);
  g_assert_cmpint (desk_test_sql_int (fixture->db, "SELECT count(*) FROM mailbox_seen WHERE releases <> 1"), ==, 0);
  g_assert_cmpint (desk_test_sql_int (fixture->db, "SELECT count(*) FROM events WHERE action = 'imported'"), ==, n_messages);
}

/* ---- the ingest service fetches on the interval ------------------------ */

static void
add_mailbox_every_second (Fixture    *fixture,
                          const char *name,
                          const char *password)
{
  g_autofree char *url = mailbox_url (fixture);
  g_autofree char *input = g_strconcat (password, "\n", NULL);
  const char *add[] = { "mailbox", "add", name, url, "--user", "desk", "--password-file", "-",
                        "--ca-file", fixture->cert, "--interval", "1", NULL };
  g_auto(DeskTestRun) run = { 0 };

  run_cli (fixture, add, input, &run);
  g_assert_cmpint (run.status, ==, 0);
}

/* `copydesk-cli ingest --watch` twice at once, as a window and the
 * service would run side by side, one of them killed with SIGKILL while
 * it takes messages and started again, mail arriving all the while: each
 * message becomes one release, fetched on the mailbox's interval. */
static void
test_watchers_fetch_on_the_interval (Fixture       *fixture,
                                     gconstpointer  data)
{
  const char *watch[] = { "ingest", "--watch", NULL };
  const guint n_first = 30, n_later = 20;
  g_autoptr(GRand) rand = g_rand_new ();
  g_autoptr(GSubprocess) steady = NULL;
  guint killed = 0;

  if (g_test_failed () || fixture->dovecot == NULL)
    return;
  if (g_getenv ("COPYDESK_TEST_KEYRING") == NULL)
    {
      g_test_skip ("no Secret Service: copydesk-cli could not find the password in another process");
      return;
    }

  add_mailbox_every_second (fixture, "Press", PASSWORD);
  for (guint i = 1; i <= n_first; i++)
    {
      g_autofree char *message = numbered_message (i);

      deliver (fixture, message);
    }

  steady = spawn_cli (fixture, watch, G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  for (guint round = 0, delivered = n_first; round < 4; round++)
    {
      g_autoptr(GSubprocess) doomed = spawn_cli (fixture, watch, G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                                 G_SUBPROCESS_FLAGS_STDERR_SILENCE);
      gint64 before = messages_taken (fixture->db);

      /* More mail while they run: taken at a later interval. */
      if (round == 2)
        for (guint i = n_first + 1; i <= n_first + n_later; i++)
          {
            g_autofree char *message = numbered_message (i);

            deliver (fixture, message);
            delivered++;
          }
      /* Until the watchers take more, while there is more to take: a
       * round that found everything delivered so far taken already (the
       * first fetch can take all thirty before the second round) waited
       * for mail that was not yet sent, for ever. */
      while (messages_taken (fixture->db) <= before && before < (gint64) delivered)
        g_usleep (2000);
      g_usleep (g_rand_int_range (rand, 0, 20) * 1000);
      g_subprocess_force_exit (doomed);
      g_subprocess_wait (doomed, NULL, NULL);
      killed++;
    }

  /* The one left running takes the rest on its interval. */
  while (messages_taken (fixture->db) < (gint64) (n_first + n_later))
    g_usleep (G_USEC_PER_SEC / 20);
  g_subprocess_send_signal (steady, SIGTERM);
  g_subprocess_wait (steady, NULL, NULL);
  g_assert_true (g_subprocess_get_if_exited (steady));
  g_assert_cmpint (g_subprocess_get_exit_status (steady), ==, 0);
  g_test_message ("%u watchers killed", killed);

  g_assert_cmpint (desk_test_sql_int (fixture->db, "SELECT count(*) FROM releases"), ==, n_first + n_later);
  g_assert_cmpint (desk_test_sql_int (fixture->db, "SELECT count(DISTINCT source_uid) FROM releases"), ==, n_first + n_later);
  g_assert_cmpint (desk_test_sql_int (fixture->db, "SELECT count(*) FROM releases"
                                                   " WHERE source_kind = 'mail' AND source_name = 'Press'"), ==, n_first + n_later);
  g_assert_cmpint (desk_test_sql_int (fixture->db, "SELECT count(*) FROM mailbox_seen"), ==, n_first + n_later);
  g_assert_cmpint (desk_test_sql_int (fixture->db, "SELECT count(*) FROM mailbox_seen WHERE releases <> 1"), ==, 0);
  g_assert_cmpint (desk_test_sql_int (fixture->db, "SELECT count(*) FROM events WHERE action = 'imported'"), ==, n_first + n_later);
}

static guint
count_in (const char *text,
          const char *needle)
{
  guint n = 0;

  for (const char *at = strstr (text, needle); at != NULL; at = strstr (at + 1, needle))
    n++;
  return n;
}

/* A mailbox that refuses the password is named with why once, not at
 * every interval, while a good one goes on being fetched. */
static void
test_failing_mailbox_said_once (Fixture       *fixture,
                                gconstpointer  data)
{
  const char *watch[] = { "ingest", "--watch", NULL };
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  gint64 last = 0;
  guint fetches = 0;

  if (g_test_failed () || fixture->dovecot == NULL)
    return;
  if (g_getenv ("COPYDESK_TEST_KEYRING") == NULL)
    {
      g_test_skip ("no Secret Service: copydesk-cli could not find the password in another process");
      return;
    }

  add_mailbox_every_second (fixture, "Wrong", "not-the-password");
  add_mailbox_every_second (fixture, "Press", PASSWORD);
  process = spawn_cli (fixture, watch, G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);

  /* Until the failing mailbox has been tried four times, one message
   * arriving at the good one meanwhile. */
  while (fetches < 4)
    {
      gint64 at = desk_test_sql_int (fixture->db, "SELECT coalesce (last_fetched_at, 0) FROM mailboxes WHERE name = 'Wrong'");

      if (at != last)
        {
          last = at;
          fetches++;
          if (fetches == 2)
            {
              g_autofree char *message = numbered_message (1);

              deliver (fixture, message);
            }
        }
      g_usleep (G_USEC_PER_SEC / 20);
    }
  while (desk_test_sql_int (fixture->db, "SELECT count(*) FROM releases") < 1)
    g_usleep (G_USEC_PER_SEC / 20);
  g_subprocess_send_signal (process, SIGTERM);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);

  g_assert_cmpuint (count_in (err, "Mailbox “Wrong”: the server refused the user name or password"), ==, 1);
  g_assert_null (strstr (err, "Press"));
  g_assert_null (strstr (err, "not-the-password"));
  g_assert_null (strstr (out, "not-the-password"));
  g_assert_nonnull (strstr (out, "Mailboxes: 1 new"));
  g_assert_cmpint (desk_test_sql_int (fixture->db, "SELECT count(*) FROM releases WHERE source_name = 'Press'"), ==, 1);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/mailbox/fetch-each-message-once", Fixture, NULL, fixture_set_up, test_fetch_each_message_once, fixture_tear_down);
  g_test_add ("/mailbox/wrong-password-and-untrusted-server", Fixture, NULL, fixture_set_up, test_wrong_password, fixture_tear_down);
  g_test_add ("/mailbox/kill-9-during-fetch", Fixture, NULL, fixture_set_up, test_kill_during_fetch, fixture_tear_down);
  g_test_add ("/mailbox/watchers-fetch-on-the-interval", Fixture, NULL, fixture_set_up, test_watchers_fetch_on_the_interval, fixture_tear_down);
  g_test_add ("/mailbox/failing-mailbox-said-once", Fixture, NULL, fixture_set_up, test_failing_mailbox_said_once, fixture_tear_down);

  return g_test_run ();
}
