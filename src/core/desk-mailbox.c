/* desk-mailbox.c — IMAP mailboxes as a source of releases, through libcurl
 *
 * A mailbox is a folder on an IMAP server (imaps://, or imap:// with
 * STARTTLS required: the password never crosses the network in clear),
 * with a user name; its password is in the Secret Service, keyed by the
 * store and the mailbox like a target's.  A fetch asks the folder's
 * UIDVALIDITY (STATUS), the UIDs above the highest one taken (UID SEARCH)
 * and then each new message (UID FETCH, with the UIDVALIDITY in the URL so
 * that a folder recreated in between is noticed), all through libcurl's
 * IMAP, on one connection.
 *
 * Each message is stored with the record that it was taken (mailbox_seen:
 * UIDVALIDITY and UID) in one transaction: a fetch killed at any moment
 * leaves a message taken whole or not at all, and the next fetch takes
 * what is left.  A message that holds nothing to import is recorded too,
 * with the reason, so that it is not fetched again.
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <curl/curl.h>
#include <glib/gi18n-lib.h>

#include "desk-error.h"
#include "desk-incoming.h"
#include "desk-mailbox.h"
#include "desk-outbox.h"
#include "desk-secrets.h"
#include "desk-source.h"
#include "desk-store-private.h"

#define SECRET_KIND "imap"
/* A message larger than this is recorded as refused, not stored. */
#define MAX_MESSAGE_BYTES (25 * 1024 * 1024)

void
desk_mailbox_free (DeskMailbox *mailbox)
{
  if (mailbox == NULL)
    return;
  g_free (mailbox->name);
  g_free (mailbox->url);
  g_free (mailbox->username);
  g_free (mailbox->ca_file);
  g_free (mailbox->last_error);
  g_free (mailbox);
}

/* The URL split into the server ("imaps://host:993/") and the folder's
 * path as written ("INBOX", "Press%20releases"). */
static gboolean
split_url (const char  *url,
           char       **out_server,
           char       **out_folder,
           GError     **error)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_ENCODED, NULL);
  const char *scheme;
  const char *path;

  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    {
      g_set_error (error, DESK_ERROR, DESK_ERROR_INVALID_INPUT,
                   _("“%s” is not a mailbox address: write imaps://server/folder"), url);
      return FALSE;
    }
  scheme = g_uri_get_scheme (uri);
  if (g_ascii_strcasecmp (scheme, "imaps") != 0 && g_ascii_strcasecmp (scheme, "imap") != 0)
    {
      g_set_error (error, DESK_ERROR, DESK_ERROR_INVALID_INPUT,
                   _("“%s” is not a mailbox address: it must start with imaps:// or imap://"), url);
      return FALSE;
    }
  if (g_uri_get_userinfo (uri) != NULL)
    {
      g_set_error (error, DESK_ERROR, DESK_ERROR_INVALID_INPUT,
                   _("A mailbox address must not hold a user name or password: give the user name on its own"));
      return FALSE;
    }
  path = g_uri_get_path (uri);
  while (*path == '/')
    path++;
  if (*path == '\0' || strchr (path, ';') != NULL || g_uri_get_query (uri) != NULL)
    {
      g_set_error (error, DESK_ERROR, DESK_ERROR_INVALID_INPUT,
                   _("“%s” names no folder: write imaps://server/INBOX or another folder"), url);
      return FALSE;
    }
  if (out_server != NULL)
    {
      int port = g_uri_get_port (uri);

      *out_server = port > 0
                    ? g_strdup_printf ("%s://%s:%d/", scheme, g_uri_get_host (uri), port)
                    : g_strdup_printf ("%s://%s/", scheme, g_uri_get_host (uri));
    }
  if (out_folder != NULL)
    *out_folder = g_strdup (path);
  return TRUE;
}

gint64
desk_store_add_mailbox (DeskStore   *store,
                        const char  *name,
                        const char  *url,
                        const char  *username,
                        const char  *ca_file,
                        guint        interval,
                        GError     **error)
{
  g_auto(DeskStmt) stmt = NULL;
  g_autofree char *trimmed = g_strstrip (g_strdup (name != NULL ? name : ""));

  g_return_val_if_fail (DESK_IS_STORE (store), 0);

  if (*trimmed == '\0' || username == NULL || *username == '\0')
    {
      g_set_error (error, DESK_ERROR, DESK_ERROR_INVALID_INPUT, _("A mailbox needs a name and a user name"));
      return 0;
    }
  if (!split_url (url, NULL, NULL, error))
    return 0;
  if (ca_file != NULL && !g_file_test (ca_file, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, DESK_ERROR, DESK_ERROR_INVALID_INPUT,
                   _("The certificate file %s does not exist"), ca_file);
      return 0;
    }

  stmt = _desk_store_prepare (store,
    "INSERT INTO mailboxes (name, url, username, ca_file, interval, created_at) VALUES (?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return 0;
  _desk_bind_text (stmt, 1, name, SQLITE_STATIC);
  _desk_bind_text (stmt, 2, url, SQLITE_STATIC);
  _desk_bind_text (stmt, 3, username, SQLITE_STATIC);
  _desk_bind_text (stmt, 4, ca_file, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 5, interval > 0 ? interval : 300);
  sqlite3_bind_int64 (stmt, 6, g_get_real_time ());
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      if (sqlite3_extended_errcode (_desk_store_get_db (store)) == SQLITE_CONSTRAINT_UNIQUE)
        g_set_error (error, DESK_ERROR, DESK_ERROR_DUPLICATE,
                     _("There is already a mailbox called “%s”"), name);
      else
        _desk_store_set_db_error (store, error, _("Could not add the mailbox"));
      return 0;
    }
  return sqlite3_last_insert_rowid (_desk_store_get_db (store));
}

#define MAILBOX_COLUMNS "id, name, url, username, ca_file, interval, last_fetched_at, last_error"

static DeskMailbox *
mailbox_from_row (sqlite3_stmt *stmt)
{
  DeskMailbox *mailbox = g_new0 (DeskMailbox, 1);

  mailbox->id = sqlite3_column_int64 (stmt, 0);
  mailbox->name = _desk_column_dup (stmt, 1);
  mailbox->url = _desk_column_dup (stmt, 2);
  mailbox->username = _desk_column_dup (stmt, 3);
  mailbox->ca_file = _desk_column_dup (stmt, 4);
  mailbox->interval = sqlite3_column_int (stmt, 5);
  mailbox->last_fetched_at = sqlite3_column_int64 (stmt, 6);
  mailbox->last_error = _desk_column_dup (stmt, 7);
  return mailbox;
}

GPtrArray *
desk_store_list_mailboxes (DeskStore  *store,
                           GError    **error)
{
  g_autoptr(GPtrArray) mailboxes = g_ptr_array_new_with_free_func ((GDestroyNotify) desk_mailbox_free);
  g_auto(DeskStmt) stmt = _desk_store_prepare (store, "SELECT " MAILBOX_COLUMNS " FROM mailboxes ORDER BY name", error);
  int rc;

  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (mailboxes, mailbox_from_row (stmt));
  if (rc != SQLITE_DONE)
    {
      _desk_store_set_db_error (store, error, _("Could not list the mailboxes"));
      return NULL;
    }
  return g_steal_pointer (&mailboxes);
}

DeskMailbox *
desk_store_get_mailbox (DeskStore   *store,
                        const char  *name,
                        GError     **error)
{
  g_auto(DeskStmt) stmt = _desk_store_prepare (store, "SELECT " MAILBOX_COLUMNS " FROM mailboxes WHERE name = ?", error);
  int rc;

  if (stmt == NULL)
    return NULL;
  _desk_bind_text (stmt, 1, name, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return mailbox_from_row (stmt);
  if (rc == SQLITE_DONE)
    g_set_error (error, DESK_ERROR, DESK_ERROR_NOT_FOUND, _("There is no mailbox called “%s”"), name);
  else
    _desk_store_set_db_error (store, error, _("Could not read the mailbox"));
  return NULL;
}

gboolean
desk_store_remove_mailbox (DeskStore   *store,
                           const char  *name,
                           GError     **error)
{
  g_autoptr(DeskMailbox) mailbox = desk_store_get_mailbox (store, name, error);
  g_autofree char *uuid = NULL;
  g_auto(DeskStmt) stmt = NULL;

  if (mailbox == NULL)
    return FALSE;
  stmt = _desk_store_prepare (store, "DELETE FROM mailboxes WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, mailbox->id);
  if (!_desk_store_step_done (store, stmt, _("Could not remove the mailbox"), error))
    return FALSE;
  uuid = desk_store_dup_uuid (store, NULL);
  if (uuid != NULL)
    desk_secrets_clear (uuid, mailbox->id, SECRET_KIND);
  return TRUE;
}

gboolean
desk_store_set_mailbox_password (DeskStore         *store,
                                 const DeskMailbox *mailbox,
                                 const char        *password,
                                 gboolean          *out_session_only,
                                 GError           **error)
{
  g_autofree char *uuid = desk_store_dup_uuid (store, error);
  g_autofree char *label = NULL;

  if (uuid == NULL)
    return FALSE;
  /* Translators: the label of a mailbox's password in the keyring */
  label = g_strdup_printf (_("Copydesk mailbox: %s"), mailbox->name);
  return desk_secrets_store (uuid, mailbox->id, SECRET_KIND, label, password, out_session_only, error);
}

/* libcurl */

typedef struct {
  GByteArray   *body;
  GCancellable *cancellable;
  gboolean      too_large;
} Transfer;

static size_t
write_body (char   *data,
            size_t  size,
            size_t  n,
            void   *user_data)
{
  Transfer *transfer = user_data;

  if (transfer->body->len + size * n > MAX_MESSAGE_BYTES)
    {
      transfer->too_large = TRUE;
      return 0;
    }
  g_byte_array_append (transfer->body, (const guint8 *) data, size * n);
  return size * n;
}

static int
progress (void       *user_data,
          curl_off_t  dltotal,
          curl_off_t  dlnow,
          curl_off_t  ultotal,
          curl_off_t  ulnow)
{
  Transfer *transfer = user_data;

  return g_cancellable_is_cancelled (transfer->cancellable) ? 1 : 0;
}

static CURL *
new_handle (void)
{
  static gsize initialised = 0;

  /* curl_global_init() is not thread-safe: once, before any handle. */
  if (g_once_init_enter (&initialised))
    {
      curl_global_init (CURL_GLOBAL_DEFAULT);
      g_once_init_leave (&initialised, 1);
    }
  return curl_easy_init ();
}

static CURL *
open_session (const DeskMailbox *mailbox,
              const char        *password,
              Transfer          *transfer,
              char              *error_buffer)
{
  CURL *curl = new_handle ();

  if (curl == NULL)
    return NULL;
  curl_easy_setopt (curl, CURLOPT_PROTOCOLS_STR, "imap,imaps");
  curl_easy_setopt (curl, CURLOPT_USERNAME, mailbox->username);
  curl_easy_setopt (curl, CURLOPT_PASSWORD, password);
  /* imap:// only with STARTTLS: never a password in clear. */
  curl_easy_setopt (curl, CURLOPT_USE_SSL, (long) CURLUSESSL_ALL);
  if (mailbox->ca_file != NULL)
    curl_easy_setopt (curl, CURLOPT_CAINFO, mailbox->ca_file);
  curl_easy_setopt (curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt (curl, CURLOPT_CONNECTTIMEOUT, 30L);
  /* A server that stops answering is given up after a minute. */
  curl_easy_setopt (curl, CURLOPT_LOW_SPEED_LIMIT, 1L);
  curl_easy_setopt (curl, CURLOPT_LOW_SPEED_TIME, 60L);
  curl_easy_setopt (curl, CURLOPT_WRITEFUNCTION, write_body);
  curl_easy_setopt (curl, CURLOPT_WRITEDATA, transfer);
  curl_easy_setopt (curl, CURLOPT_XFERINFOFUNCTION, progress);
  curl_easy_setopt (curl, CURLOPT_XFERINFODATA, transfer);
  curl_easy_setopt (curl, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt (curl, CURLOPT_ERRORBUFFER, error_buffer);
  return curl;
}

/* Runs one request on @curl; the untagged answers or the message in
 * transfer->body. */
static gboolean
run (CURL              *curl,
     const DeskMailbox *mailbox,
     const char        *url,
     const char        *command,
     Transfer          *transfer,
     const char        *error_buffer,
     GError           **error)
{
  CURLcode code;

  g_byte_array_set_size (transfer->body, 0);
  transfer->too_large = FALSE;
  curl_easy_setopt (curl, CURLOPT_URL, url);
  curl_easy_setopt (curl, CURLOPT_CUSTOMREQUEST, command);
  code = curl_easy_perform (curl);
  if (code == CURLE_OK)
    return TRUE;

  if (code == CURLE_ABORTED_BY_CALLBACK)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Fetching mailbox “%s” was stopped"), mailbox->name);
  else if (code == CURLE_LOGIN_DENIED)
    g_set_error (error, DESK_ERROR, DESK_ERROR_REJECTED,
                 _("Mailbox “%s”: the server refused the user name or password"), mailbox->name);
  else if (code == CURLE_USE_SSL_FAILED || code == CURLE_SSL_CONNECT_ERROR || code == CURLE_PEER_FAILED_VERIFICATION ||
           code == CURLE_SSL_CACERT_BADFILE)
    g_set_error (error, DESK_ERROR, DESK_ERROR_REJECTED,
                 _("Mailbox “%s”: no secure connection to the server: %s"), mailbox->name,
                 *error_buffer != '\0' ? error_buffer : curl_easy_strerror (code));
  else
    g_set_error (error, DESK_ERROR, DESK_ERROR_TEMPORARY,
                 _("Mailbox “%s”: %s"), mailbox->name,
                 *error_buffer != '\0' ? error_buffer : curl_easy_strerror (code));
  return FALSE;
}

static gboolean
read_number_after (const GByteArray *body,
                   const char       *word,
                   guint64          *out_value)
{
  g_autofree char *text = g_strndup ((const char *) body->data, body->len);
  g_autofree char *digits = NULL;
  const char *at = strstr (text, word);

  if (at == NULL)
    return FALSE;
  at += strlen (word);
  digits = g_strstrip (g_strndup (at, strspn (at, " 0123456789")));
  return g_ascii_string_to_unsigned (digits, 10, 1, G_MAXUINT32, out_value, NULL);
}

static gint64
highest_seen (DeskStore   *store,
              gint64       mailbox_id,
              guint64      uidvalidity,
              GError     **error)
{
  g_auto(DeskStmt) stmt = _desk_store_prepare (store,
    "SELECT coalesce (max (uid), 0) FROM mailbox_seen WHERE mailbox_id = ? AND uidvalidity = ?", error);

  if (stmt == NULL)
    return -1;
  sqlite3_bind_int64 (stmt, 1, mailbox_id);
  sqlite3_bind_int64 (stmt, 2, (gint64) uidvalidity);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      _desk_store_set_db_error (store, error, _("Could not read what the mailbox gave before"));
      return -1;
    }
  return sqlite3_column_int64 (stmt, 0);
}

static int
compare_uids (gconstpointer a,
              gconstpointer b)
{
  guint64 x = *(const guint64 *) a, y = *(const guint64 *) b;

  return x < y ? -1 : x > y;
}

/* Undoes the batch a message was being stored in. */
static void
abort_batch (DeskStore *store)
{
  sqlite3 *db = _desk_store_get_db (store);

  if (!sqlite3_get_autocommit (db))
    sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
  desk_store_commit_batch (store, NULL);
}

/* Stores the releases of one message and the record that it was taken,
 * in one transaction. */
static gboolean
take_message (DeskStore          *store,
              const DeskMailbox  *mailbox,
              guint64             uidvalidity,
              guint64             uid,
              const GByteArray   *message,
              gboolean            too_large,
              const char         *actor,
              DeskMailboxCounts  *counts,
              GError            **error)
{
  g_autoptr(GError) parse_error = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autofree char *note = NULL;
  guint releases = 0;

  if (too_large)
    note = g_strdup_printf (_("the message is larger than %d MB"), MAX_MESSAGE_BYTES / (1024 * 1024));
  else
    {
      items = desk_mail_parse ((const char *) message->data, message->len, FALSE, &parse_error);
      if (items == NULL)
        note = g_strdup (parse_error->message);
    }

  if (!desk_store_begin_batch (store, error))
    return FALSE;

  for (guint i = 0; items != NULL && i < items->len; i++)
    {
      DeskIncoming *item = g_ptr_array_index (items, i);
      g_autoptr(DeskParsedRelease) parsed = desk_incoming_parse (item, NULL);
      g_autofree char *source_uid = NULL;
      g_autoptr(GError) store_error = NULL;
      DeskSource source = { NULL };
      gint64 existing = 0;

      if (parsed == NULL)
        continue;
      source.source_uid = source_uid = desk_incoming_dup_source_uid (item);
      source.source_path = mailbox->url;
      /* The mailbox is the release's source, as a feed is an item's. */
      source.kind = DESK_SOURCE_KIND_MAIL;
      source.name = mailbox->name;
      if (desk_store_add_detected_release (store, parsed, NULL, &source, actor, &existing, &store_error) > 0)
        releases++;
      else if (g_error_matches (store_error, DESK_ERROR, DESK_ERROR_DUPLICATE))
        counts->duplicates++;
      else
        {
          abort_batch (store);
          g_propagate_error (error, g_steal_pointer (&store_error));
          return FALSE;
        }
    }

  {
    g_auto(DeskStmt) stmt = _desk_store_prepare (store,
      "INSERT INTO mailbox_seen (mailbox_id, uidvalidity, uid, releases, note, seen_at) VALUES (?, ?, ?, ?, ?, ?)",
      error);

    if (stmt == NULL)
      {
        abort_batch (store);
        return FALSE;
      }
    sqlite3_bind_int64 (stmt, 1, mailbox->id);
    sqlite3_bind_int64 (stmt, 2, (gint64) uidvalidity);
    sqlite3_bind_int64 (stmt, 3, (gint64) uid);
    sqlite3_bind_int (stmt, 4, releases);
    _desk_bind_text (stmt, 5, note, SQLITE_STATIC);
    sqlite3_bind_int64 (stmt, 6, g_get_real_time ());
    if (sqlite3_step (stmt) != SQLITE_DONE)
      {
        /* Another process took it first: its transaction holds it. */
        if (sqlite3_extended_errcode (_desk_store_get_db (store)) != SQLITE_CONSTRAINT_PRIMARYKEY)
          {
            _desk_store_set_db_error (store, error, _("Could not record the message as taken"));
            _desk_stmt_reset (stmt);
            abort_batch (store);
            return FALSE;
          }
      }
  }
  if (!desk_store_commit_batch (store, error))
    return FALSE;

  counts->messages++;
  counts->releases += releases;
  if (note != NULL)
    counts->failed++;
  return TRUE;
}

static void
record_fetch (DeskStore         *store,
              const DeskMailbox *mailbox,
              const GError      *error)
{
  g_auto(DeskStmt) stmt = _desk_store_prepare (store,
    "UPDATE mailboxes SET last_fetched_at = ?, last_error = ? WHERE id = ?", NULL);

  if (stmt == NULL)
    return;
  sqlite3_bind_int64 (stmt, 1, g_get_real_time ());
  _desk_bind_text (stmt, 2, error != NULL ? error->message : NULL, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, mailbox->id);
  _desk_store_step_done (store, stmt, "", NULL);
}

gboolean
desk_mailbox_fetch (DeskStore          *store,
                    const DeskMailbox  *mailbox,
                    const char         *actor,
                    DeskMailboxCounts  *counts,
                    GCancellable       *cancellable,
                    GError            **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *server = NULL;
  g_autofree char *folder = NULL;
  g_autofree char *uuid = NULL;
  g_autofree char *password = NULL;
  g_autofree char *default_actor = NULL;
  g_autoptr(GByteArray) body = g_byte_array_new ();
  g_autoptr(GArray) uids = g_array_new (FALSE, FALSE, sizeof (guint64));
  char error_buffer[CURL_ERROR_SIZE] = "";
  Transfer transfer = { body, cancellable, FALSE };
  DeskMailboxCounts ignored = { 0 };
  guint64 uidvalidity = 0;
  gint64 highest;
  CURL *curl = NULL;
  gboolean ok = FALSE;

  g_return_val_if_fail (DESK_IS_STORE (store), FALSE);

  if (counts == NULL)
    counts = &ignored;
  if (actor == NULL)
    actor = default_actor = desk_get_default_actor ();
  if (!split_url (mailbox->url, &server, &folder, &local_error))
    goto out;
  uuid = desk_store_dup_uuid (store, &local_error);
  if (uuid == NULL)
    goto out;
  password = desk_secrets_lookup (uuid, mailbox->id, SECRET_KIND, NULL, &local_error);
  if (password == NULL)
    {
      g_clear_error (&local_error);
      g_set_error (&local_error, DESK_ERROR, DESK_ERROR_INVALID_INPUT,
                   _("Mailbox “%s” has no password in the keyring: remove it and add it again with its password"),
                   mailbox->name);
      goto out;
    }

  curl = open_session (mailbox, password, &transfer, error_buffer);
  if (curl == NULL)
    {
      g_set_error (&local_error, DESK_ERROR, DESK_ERROR_FAILED, _("libcurl could not start"));
      goto out;
    }

  {
    g_autofree char *command = NULL;
    g_autofree char *decoded = g_uri_unescape_string (folder, NULL);

    if (decoded == NULL || strpbrk (decoded, "\"\\\r\n") != NULL)
      {
        g_set_error (&local_error, DESK_ERROR, DESK_ERROR_INVALID_INPUT,
                     _("Mailbox “%s”: the folder name cannot be used"), mailbox->name);
        goto out;
      }
    command = g_strdup_printf ("STATUS \"%s\" (UIDVALIDITY)", decoded);
    if (!run (curl, mailbox, server, command, &transfer, error_buffer, &local_error))
      goto out;
    if (!read_number_after (body, "UIDVALIDITY", &uidvalidity))
      {
        g_set_error (&local_error, DESK_ERROR, DESK_ERROR_FAILED,
                     _("Mailbox “%s”: the server did not say the folder’s UIDVALIDITY"), mailbox->name);
        goto out;
      }
  }

  highest = highest_seen (store, mailbox->id, uidvalidity, &local_error);
  if (highest < 0)
    goto out;

  {
    g_autofree char *url = g_strdup_printf ("%s%s", server, folder);
    g_autofree char *command = g_strdup_printf ("UID SEARCH UID %" G_GINT64_FORMAT ":*", highest + 1);
    g_autofree char *answer = NULL;
    g_auto(GStrv) lines = NULL;

    if (!run (curl, mailbox, url, command, &transfer, error_buffer, &local_error))
      goto out;
    answer = g_strndup ((const char *) body->data, body->len);
    lines = g_strsplit (answer, "\n", -1);
    for (guint l = 0; lines[l] != NULL; l++)
      {
        g_auto(GStrv) words = NULL;

        if (!g_str_has_prefix (lines[l], "* SEARCH"))
          continue;
        words = g_strsplit (g_strstrip (lines[l] + strlen ("* SEARCH")), " ", -1);
        for (guint w = 0; words[w] != NULL; w++)
          {
            guint64 uid;

            /* "n:*" answers with the last message even when it is older. */
            if (g_ascii_string_to_unsigned (words[w], 10, 1, G_MAXUINT32, &uid, NULL) && (gint64) uid > highest)
              g_array_append_val (uids, uid);
          }
      }
    g_array_sort (uids, compare_uids);
  }

  for (guint i = 0; i < uids->len; i++)
    {
      guint64 uid = g_array_index (uids, guint64, i);
      g_autofree char *url = g_strdup_printf ("%s%s;UIDVALIDITY=%" G_GUINT64_FORMAT "/;UID=%" G_GUINT64_FORMAT,
                                              server, folder, uidvalidity, uid);

      if (g_cancellable_set_error_if_cancelled (cancellable, &local_error))
        goto out;
      if (!run (curl, mailbox, url, NULL, &transfer, error_buffer, &local_error) && !transfer.too_large)
        goto out;
      g_clear_error (&local_error);
      if (!take_message (store, mailbox, uidvalidity, uid, body, transfer.too_large, actor, counts, &local_error))
        goto out;
    }
  ok = TRUE;

out:
  if (curl != NULL)
    curl_easy_cleanup (curl);
  if (password != NULL)
    memset (password, 0, strlen (password));
  record_fetch (store, mailbox, local_error);
  if (!ok)
    g_propagate_error (error, g_steal_pointer (&local_error));
  return ok;
}
