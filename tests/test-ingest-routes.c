/* test-ingest-routes.c — every source through the one importer; the
 * embargo kept once
 *
 * Files dropped into a watched folder (and a maildir's new/) are read as
 * `copydesk-cli import` reads them: text, Markdown, e-mail, mbox, ninjs,
 * NewsML-G2.  A release's embargo lives in releases.embargo_at alone:
 * stated by a ninjs item or written at the top of a text, approved, its
 * publish job waits for it and its exports carry it; a store of schema 11
 * has its wire embargoes moved across.
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "desk-export.h"
#include "desk-folder-source.h"
#include "desk-importer.h"
#include "desk-mailbox.h"
#include "desk-mailboxes-source.h"
#include "desk-outbox.h"
#include "desk-source.h"
#include "desk-store-wire.h"
#include "desk-test-util.h"

typedef struct {
  char      *dir;
  char      *path;
  DeskStore *store;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("copydesk-routes-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "desk.db", NULL);
  f->store = desk_store_open (f->path, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->store);
  desk_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->path);
}

static gint64
count (Fixture    *f,
       const char *sql)
{
  return desk_test_sql_int (f->path, sql);
}

/* Written a minute ago, as a scan at start finds a file that is whole. */
static void
write_old_file (const char *path,
                const char *text)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  guint64 past = (guint64) (g_get_real_time () / G_USEC_PER_SEC - 60);

  g_assert_true (g_file_set_contents (path, text, -1, &error));
  g_file_set_attribute_uint64 (file, G_FILE_ATTRIBUTE_TIME_MODIFIED, past, 0, NULL, &error);
  g_assert_no_error (error);
}

static char *
future_embargo_iso (int hours)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) later = g_date_time_add_hours (now, hours);
  g_autoptr(GTimeZone) wib = g_time_zone_new_identifier ("+07:00");
  g_autoptr(GDateTime) later_wib = g_date_time_to_timezone (later, wib);

  return g_date_time_format (later_wib, "%Y-%m-%dT%H:%M:00+07:00");
}

static char *
ninjs_item (const char *uri,
            const char *embargoed)
{
  return g_strdup_printf ("{\n"
                          "  \"uri\": \"%s\",\n"
                          "  \"type\": \"text\",\n"
                          "  \"language\": \"en\",\n"
                          "  \"urgency\": 3,\n"
                          "  \"embargoed\": \"%s\",\n"
                          "  \"copyrightnotice\": \"Copyright 2026 Test Wire\",\n"
                          "  \"headline\": \"Terminal opening delayed\",\n"
                          "  \"body_html\": \"<p>JAKARTA – The port authority said the terminal %s opens in June.</p>"
                          "<p>Shipping lines were told.</p>\"\n"
                          "}\n", uri, embargoed, uri);
}

static const char newsml[] =
  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
  "<newsItem xmlns=\"http://iptc.org/std/nar/2006-10-01/\" guid=\"urn:test:newsml:bridge\"\n"
  "          version=\"1\" standard=\"NewsML-G2\" standardversion=\"2.29\" xml:lang=\"en\">\n"
  "  <itemMeta><itemClass qcode=\"ninat:text\"/><versionCreated>2026-03-05T01:30:00Z</versionCreated></itemMeta>\n"
  "  <contentMeta><headline>Bridge reopens after repairs</headline><language tag=\"en\"/></contentMeta>\n"
  "  <contentSet><inlineXML contenttype=\"application/nitf+xml\">\n"
  "    <nitf xmlns=\"http://iptc.org/std/NITF/2006-10-18/\"><body><body.content>\n"
  "    <p>SURABAYA – The city bridge reopened on Tuesday after six weeks of repairs.</p>\n"
  "    </body.content></body></nitf></inlineXML></contentSet>\n"
  "</newsItem>\n";

static char *
mail_message (const char *id,
              const char *subject,
              const char *body)
{
  return g_strdup_printf ("From: Press Office <press@port.example>\n"
                          "Subject: %s\n"
                          "Message-ID: <%s@port.example>\n"
                          "Date: Thu, 05 Mar 2026 09:00:00 +0700\n"
                          "MIME-Version: 1.0\n"
                          "Content-Type: text/plain; charset=ISO-8859-1\n"
                          "Content-Transfer-Encoding: quoted-printable\n"
                          "\n"
                          "%s\n", subject, id, body);
}

/* Each format `import` reads, dropped into the watched folder, becomes
 * its releases, once, across restarts; what is not a release is noted
 * once with the reason. */
static void
test_folder_reads_every_import_format (Fixture       *f,
                                       gconstpointer  data)
{
  g_autofree char *inbox = g_build_filename (f->dir, "inbox", NULL);
  g_autofree char *embargoed = future_embargo_iso (5);
  g_autofree char *ninjs = ninjs_item ("urn:test:ninjs:terminal", embargoed);
  g_autofree char *eml = mail_message ("eml-1", "Ferry timetable changes",
                                       "MERAK =96 The ferry leaves at six from Monday, the caf=E9 on deck opens at five.");
  g_autofree char *first = mail_message ("mbox-1", "Harbour dredging starts",
                                         "TANJUNG PRIOK =96 Dredging of the east basin starts next week.");
  g_autofree char *second = mail_message ("mbox-2", "Harbour lights replaced",
                                          "TANJUNG PRIOK =96 Every light on the breakwater will be replaced.");
  g_autofree char *mbox = g_strdup_printf ("From press@port.example Thu Mar  5 09:00:00 2026\n%s\n"
                                           "From press@port.example Thu Mar  5 09:05:00 2026\n%s\n", first, second);
  struct { const char *name; const char *text; } files[] = {
    { "a.txt", "Dam Opens\n\nMALANG - The dam opened on Monday, the governor said.\n" },
    { "b.md", "# Market Moves\n\nBANDUNG - The old market moves to the station square in May.\n" },
    { "c.eml", eml },
    { "d.mbox", mbox },
    { "e.json", ninjs },
    { "f.xml", newsml },
    { "g.pdf", "%PDF-1.4 not a release" },
  };
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir (inbox, 0700), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = g_build_filename (inbox, files[i].name, NULL);

      write_old_file (path, files[i].text);
    }

  for (guint run = 0; run < 2; run++)
    {
      g_autoptr(DeskIngestSource) source = desk_folder_source_new (inbox);
      DeskIngestCounts counts = { 0 };

      g_assert_true (desk_ingest_source_poll (source, f->store, &counts, NULL, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (counts.new_items, ==, run == 0 ? 7 : 0);
      g_assert_cmpuint (counts.failed_items, ==, run == 0 ? 1 : 0);
    }

  g_assert_cmpint (count (f, "SELECT count(*) FROM releases"), ==, 7);
  g_assert_cmpint (count (f, "SELECT count(*) FROM releases WHERE source_kind = 'folder'"), ==, 7);
  /* As import reads them: the sender's own ids, the e-mail decoded. */
  g_assert_cmpint (count (f, "SELECT count(*) FROM releases WHERE source_uid = 'mail:<eml-1@port.example>'"), ==, 1);
  g_assert_cmpint (count (f, "SELECT count(*) FROM releases WHERE source_uid LIKE 'mail:<mbox-_@port.example>'"), ==, 2);
  g_assert_cmpint (count (f, "SELECT count(*) FROM releases WHERE source_uid = 'ninjs:urn:test:ninjs:terminal'"), ==, 1);
  g_assert_cmpint (count (f, "SELECT count(*) FROM releases WHERE source_uid = 'newsml:urn:test:newsml:bridge'"), ==, 1);
  g_assert_cmpint (count (f, "SELECT count(*) FROM releases WHERE original LIKE '%café on deck%'"), ==, 1);
  g_assert_cmpint (count (f, "SELECT count(*) FROM releases WHERE headline = 'Market Moves'"), ==, 1);
  /* The ninjs item's embargo, its urgency and copyright. */
  g_assert_cmpint (count (f, "SELECT count(*) FROM releases WHERE embargo_at IS NOT NULL"), ==, 1);
  g_assert_cmpint (count (f, "SELECT urgency FROM release_wire"), ==, 3);
  /* Each file noted once: seven files, the PDF with why. */
  g_assert_cmpint (count (f, "SELECT count(*) FROM seen_files"), ==, 7);
  g_assert_cmpint (count (f, "SELECT count(*) FROM seen_files WHERE note LIKE 'not a release file%' AND path LIKE '%g.pdf'"), ==, 1);

  /* The same file imported by an editor is a duplicate, not a second release. */
  {
    g_autofree char *path = g_build_filename (inbox, "c.eml", NULL);
    g_autoptr(DeskImportItem) item = desk_import_file (f->store, path, "Ana");

    g_assert_cmpint (item->outcome, ==, DESK_IMPORT_DUPLICATE);
  }
}

/* A maildir dropped as the inbox folder: the messages a delivery agent
 * moved into new/ (names without a suffix) are e-mails. */
static void
test_folder_reads_a_maildir (Fixture       *f,
                             gconstpointer  data)
{
  g_autofree char *maildir = g_build_filename (f->dir, "Maildir", NULL);
  g_autoptr(GError) error = NULL;
  static const char * const subdirs[] = { "new", "cur", "tmp" };

  for (guint i = 0; i < G_N_ELEMENTS (subdirs); i++)
    {
      g_autofree char *sub = g_build_filename (maildir, subdirs[i], NULL);

      g_assert_cmpint (g_mkdir_with_parents (sub, 0700), ==, 0);
    }
  for (guint i = 1; i <= 3; i++)
    {
      g_autofree char *id = g_strdup_printf ("maildir-%u", i);
      g_autofree char *subject = g_strdup_printf ("Pier %u reopens", i);
      g_autofree char *body = g_strdup_printf ("SEMARANG =96 Pier %u reopens to fishing boats on Friday, after %u weeks.",
                                               i, i * 3);
      g_autofree char *message = mail_message (id, subject, body);
      g_autofree char *name = g_strdup_printf ("17090000%u.M%uP42.desk.example", i, i);
      g_autofree char *path = g_build_filename (maildir, "new", name, NULL);

      write_old_file (path, message);
    }
  /* A message still being delivered, in tmp/, is not read. */
  {
    g_autofree char *tmp = g_build_filename (maildir, "tmp", "1709000009.M9P42.desk.example", NULL);

    write_old_file (tmp, "From: x@y\nSubject: half\n");
  }

  for (guint run = 0; run < 2; run++)
    {
      g_autoptr(DeskIngestSource) source = desk_folder_source_new (maildir);
      DeskIngestCounts counts = { 0 };

      g_assert_true (desk_ingest_source_poll (source, f->store, &counts, NULL, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (counts.new_items, ==, run == 0 ? 3 : 0);
      g_assert_cmpuint (counts.failed_items, ==, 0);
    }
  g_assert_cmpint (count (f, "SELECT count(*) FROM releases WHERE source_uid LIKE 'mail:<maildir-_@port.example>'"), ==, 3);
  g_assert_cmpint (count (f, "SELECT count(*) FROM releases WHERE headline = 'Pier 2 reopens'"), ==, 1);
  g_assert_cmpint (count (f, "SELECT count(*) FROM seen_files"), ==, 3);
}

/* ---- the embargo, kept once ---------------------------------------------- */

static void
assert_job_waits_for (DeskStore *store,
                      gint64     release_id,
                      GDateTime *embargo)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskOutboxJob) job = NULL;
  gint64 job_id;

  job_id = desk_store_publish (store, release_id, 1, "Ana", &error);
  g_assert_no_error (error);
  job = desk_store_get_job (store, job_id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (job->next_try_at / G_USEC_PER_SEC, ==, g_date_time_to_unix (embargo));
  g_assert_false (desk_store_job_begin_attempt (store, job_id, "me", g_get_real_time () + G_USEC_PER_SEC,
                                                NULL, &error));
  g_clear_error (&error);
}

/* An embargoed ninjs item, imported as an editor imports it: the embargo
 * is the release's, in its zone; it may be approved; its publish job
 * waits until the time; its ninjs and HTML exports carry it. */
static void
test_ninjs_embargo_held_and_exported (Fixture       *f,
                                      gconstpointer  data)
{
  g_autofree char *embargoed = future_embargo_iso (5);
  g_autofree char *ninjs = ninjs_item ("urn:test:ninjs:held", embargoed);
  g_autofree char *path = g_build_filename (f->dir, "held.json", NULL);
  g_autoptr(DeskImportItem) item = NULL;
  g_autoptr(GDateTime) stated = g_date_time_new_from_iso8601 (embargoed, NULL);
  g_autoptr(GDateTime) embargo = NULL;
  g_autoptr(DeskApprovedCopy) copy = NULL;
  g_auto(DeskWireInfo) info = { 0 };
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (path, ninjs, -1, &error));
  item = desk_import_file (f->store, path, "Ana");
  g_assert_cmpint (item->outcome, ==, DESK_IMPORT_IMPORTED);

  g_assert_true (desk_source_get_embargo (f->store, item->release_id, &embargo, NULL, &error));
  g_assert_nonnull (embargo);
  g_assert_cmpint (g_date_time_to_unix (embargo), ==, g_date_time_to_unix (stated));
  g_assert_cmpint (g_date_time_get_utc_offset (embargo), ==, 7 * G_TIME_SPAN_HOUR);
  /* The wire's details read it from the same place. */
  g_assert_true (desk_store_get_wire_info (f->store, item->release_id, &info, &error));
  g_assert_cmpint (info.urgency, ==, 3);
  g_assert_nonnull (info.embargo);
  g_assert_cmpint (g_date_time_to_unix (info.embargo), ==, g_date_time_to_unix (stated));
  /* and nowhere else */
  g_assert_cmpint (count (f, "SELECT count(*) FROM pragma_table_info('release_wire') WHERE name LIKE 'embargo%'"), ==, 0);

  desk_test_approve (f->store, item->release_id);
  copy = desk_approved_copy_load (f->store, item->release_id, &error);
  g_assert_no_error (error);
  out = desk_export_render (copy, DESK_EXPORT_NINJS);
  {
    g_autofree char *member = g_strdup_printf ("\"embargoed\" : \"%s\"", embargoed);

    g_assert_nonnull (strstr (out, member));
  }
  g_clear_pointer (&out, g_free);
  out = desk_export_render (copy, DESK_EXPORT_HTML);
  g_assert_nonnull (strstr (out, "<meta name=\"embargoed\" content=\""));

  assert_job_waits_for (f->store, item->release_id, embargo);
}

/* "EMBARGOED UNTIL …" at the top of a text file imported by an editor
 * holds it as the watched folder's copy of it would be held. */
static void
test_text_embargo_read_by_import (Fixture       *f,
                                  gconstpointer  data)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) later = g_date_time_add_hours (now, 3);
  g_autoptr(GTimeZone) wib = g_time_zone_new_identifier ("+07:00");
  g_autoptr(GDateTime) later_wib = g_date_time_to_timezone (later, wib);
  g_autofree char *stamp = g_date_time_format (later_wib, "%H:%M WIB %d %B %Y");
  g_autofree char *text = g_strdup_printf ("Minister Opens Dam\n\nEMBARGOED UNTIL %s\n\n"
                                           "MALANG - The minister opened the dam on Monday.\n", stamp);
  g_autofree char *path = g_build_filename (f->dir, "dam.txt", NULL);
  g_autofree char *held_path = g_build_filename (f->dir, "held.txt", NULL);
  g_autoptr(DeskImportItem) item = NULL;
  g_autoptr(DeskImportItem) held = NULL;
  g_autoptr(GDateTime) embargo = NULL;
  g_autofree char *zone = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (path, text, -1, &error));
  item = desk_import_file (f->store, path, "Ana");
  g_assert_cmpint (item->outcome, ==, DESK_IMPORT_IMPORTED);
  g_assert_true (desk_source_get_embargo (f->store, item->release_id, &embargo, &zone, &error));
  g_assert_cmpstr (zone, ==, "WIB");
  g_assert_cmpint (g_date_time_to_unix (embargo) / 60, ==, g_date_time_to_unix (later) / 60);
  desk_test_approve (f->store, item->release_id);
  assert_job_waits_for (f->store, item->release_id, embargo);

  /* HOLD FOR RELEASE without a time: held until an editor lifts it. */
  g_assert_true (g_file_set_contents (held_path, "Quarterly Figures\n\nHOLD FOR RELEASE\n\n"
                                      "JAKARTA - The bank's figures are out.\n", -1, &error));
  held = desk_import_file (f->store, held_path, "Ana");
  g_assert_cmpint (held->outcome, ==, DESK_IMPORT_IMPORTED);
  g_assert_cmpint (desk_source_embargo_lifts_at (f->store, held->release_id), ==, G_MAXINT64);
}

/* A store of schema 11 kept a wire item's embargo in release_wire; the
 * migration moves any that the release lacks across, with its offset. */
static void
test_migration_moves_wire_embargo (Fixture       *f,
                                   gconstpointer  data)
{
  g_autofree char *old_path = g_build_filename (f->dir, "old.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) embargo = NULL;
  g_autofree char *zone = NULL;
  gint64 moved, kept, utc;

  {
    g_autoptr(DeskStore) old = desk_store_open_at_version (old_path, 11, &error);
    sqlite3 *db;

    g_assert_no_error (error);
    moved = desk_test_add_text (old, "Terminal Delayed\n\nJAKARTA - The terminal opens in June.\n");
    kept = desk_test_add_text (old, "Bridge Reopens\n\nSURABAYA - The bridge reopened on Tuesday.\n");
    utc = desk_test_add_text (old, "Rates Held\n\nLONDON - The bank held its rates.\n");
    g_assert_cmpint (sqlite3_open (old_path, &db), ==, SQLITE_OK);
    {
      g_autofree char *sql = g_strdup_printf (
        "INSERT INTO release_wire (release_id, urgency, embargo_at, embargo_text) VALUES"
        " (%" G_GINT64_FORMAT ", 3, 1772679600000000, '2026-03-05T10:00:00+07:00'),"
        " (%" G_GINT64_FORMAT ", NULL, 1772679600000000, '2026-03-05T10:00:00+07:00'),"
        " (%" G_GINT64_FORMAT ", NULL, 1772704800000000, '2026-03-05T10:00:00Z');"
        "UPDATE releases SET embargo_at = 1772690400000000, embargo_offset = 3600, embargo_zone = 'MEZ'"
        " WHERE id = %" G_GINT64_FORMAT ";",
        moved, kept, utc, kept);

      g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
    }
    sqlite3_close (db);
  }

  {
    g_autoptr(DeskStore) store = desk_store_open (old_path, &error);

    g_assert_no_error (error);
    g_assert_cmpint (desk_store_get_schema_version (store), ==, DESK_STORE_SCHEMA_VERSION);

    g_assert_true (desk_source_get_embargo (store, moved, &embargo, &zone, &error));
    g_assert_cmpint (g_date_time_to_unix (embargo), ==, 1772679600);
    g_assert_cmpint (g_date_time_get_utc_offset (embargo), ==, 7 * G_TIME_SPAN_HOUR);
    g_assert_cmpstr (zone, ==, "+07:00");
    g_clear_pointer (&embargo, g_date_time_unref);
    g_clear_pointer (&zone, g_free);

    /* The release's own embargo wins over the wire's copy. */
    g_assert_true (desk_source_get_embargo (store, kept, &embargo, &zone, &error));
    g_assert_cmpint (g_date_time_to_unix (embargo), ==, 1772690400);
    g_assert_cmpstr (zone, ==, "MEZ");
    g_clear_pointer (&embargo, g_date_time_unref);
    g_clear_pointer (&zone, g_free);

    g_assert_true (desk_source_get_embargo (store, utc, &embargo, &zone, &error));
    g_assert_cmpint (g_date_time_get_utc_offset (embargo), ==, 0);
    g_clear_pointer (&embargo, g_date_time_unref);
    g_clear_pointer (&zone, g_free);
  }
  g_assert_cmpint (desk_test_sql_int (old_path, "SELECT urgency FROM release_wire WHERE release_id = 1"), ==, 3);
  g_assert_cmpint (desk_test_sql_int (old_path, "SELECT count(*) FROM pragma_table_info('release_wire')"
                                                " WHERE name LIKE 'embargo%'"), ==, 0);
}

/* ---- mailboxes ------------------------------------------------------------ */

static int
closed_port (void)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  g_assert_true (g_socket_bind (socket, any, FALSE, NULL));
  bound = g_socket_get_local_address (socket, NULL);
  /* closed when it goes: nothing listens there */
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

/* A mailbox whose server does not answer fails each time it is due, in
 * the same words, so that the ingest service tells it once; a mailbox
 * that is not due is not fetched, and is still failing. */
static void
test_mailbox_failing_in_the_same_words (Fixture       *f,
                                        gconstpointer  data)
{
  g_autofree char *url = g_strdup_printf ("imaps://127.0.0.1:%d/INBOX", closed_port ());
  g_autoptr(DeskIngestSource) source = desk_mailboxes_source_new ();
  g_autoptr(DeskMailbox) mailbox = NULL;
  g_autofree char *first = NULL;
  g_autoptr(GError) error = NULL;
  gboolean session_only = FALSE;

  g_setenv ("COPYDESK_SECRETS", "memory", TRUE);
  g_assert_cmpint (desk_store_add_mailbox (f->store, "Dead", url, "desk", NULL, 600, &error), >, 0);
  mailbox = desk_store_get_mailbox (f->store, "Dead", &error);
  g_assert_true (desk_store_set_mailbox_password (f->store, mailbox, "pw", &session_only, &error));
  g_assert_no_error (error);

  for (guint poll = 0; poll < 4; poll++)
    {
      DeskIngestCounts counts = { 0 };
      gint64 fetched_before = count (f, "SELECT coalesce (last_fetched_at, 0) FROM mailboxes");

      /* Due again at the second and fourth look, not at the third. */
      if (poll == 1 || poll == 3)
        {
          sqlite3 *db = NULL;

          g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
          g_assert_cmpint (sqlite3_exec (db, "UPDATE mailboxes SET last_fetched_at = 0", NULL, NULL, NULL), ==, SQLITE_OK);
          sqlite3_close (db);
          fetched_before = 0;
        }
      g_assert_false (desk_ingest_source_poll (source, f->store, &counts, NULL, &error));
      g_assert_nonnull (strstr (error->message, "Mailbox “Dead”"));
      if (first == NULL)
        first = g_strdup (error->message);
      g_assert_cmpstr (error->message, ==, first);
      g_clear_error (&error);
      if (poll == 2)
        g_assert_cmpint (count (f, "SELECT last_fetched_at FROM mailboxes"), ==, fetched_before);
      else
        g_assert_cmpint (count (f, "SELECT last_fetched_at FROM mailboxes"), >, fetched_before);
    }
  g_assert_null (strstr (first, "pw"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/routes/folder/reads-every-import-format", test_folder_reads_every_import_format);
  ADD ("/routes/folder/reads-a-maildir", test_folder_reads_a_maildir);
  ADD ("/routes/embargo/ninjs-embargo-held-and-exported", test_ninjs_embargo_held_and_exported);
  ADD ("/routes/embargo/text-embargo-read-by-import", test_text_embargo_read_by_import);
  ADD ("/routes/embargo/migration-moves-wire-embargo", test_migration_moves_wire_embargo);
  ADD ("/routes/mailbox/failing-in-the-same-words", test_mailbox_failing_in_the_same_words);
#undef ADD

  return g_test_run ();
}
