/* test-ingest-mail.c — e-mail, ninjs and NewsML-G2 into releases; copies grouped
 *
 * The e-mails, ninjs and NewsML-G2 items here are written for the tests
 * (the charsets' bytes made by iconv, the encodings by GLib), read by the
 * real parsers and imported into a real temporary SQLite store.
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>
#include <glib/gstdio.h>

#include "desk-check.h"
#include "desk-copies.h"
#include "desk-error.h"
#include "desk-importer.h"
#include "desk-incoming.h"
#include "desk-store-wire.h"
#include "desk-test-util.h"
#include "desk-workflow.h"

static const char body_en[] =
  "JAKARTA, 5 March 2026 – The port authority said on Thursday that the new container terminal "
  "at Tanjung Priok will open to ships in June, three months later than planned, after "
  "inspectors found cracks in two of its quay cranes.\n\n"
  "The terminal, built at a cost of 4.2 trillion rupiah, is meant to double the port's capacity "
  "for the largest container ships calling at Jakarta, the authority's director told reporters.\n\n"
  "Shipping lines had been told to expect the first calls in March. Two of them said they would "
  "keep routing their largest vessels through Singapore until the cranes were certified.";

static GPtrArray *
parse_mail (const char *data,
            gboolean    mbox)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *items = desk_mail_parse (data, strlen (data), mbox, &error);

  g_assert_no_error (error);
  g_assert_nonnull (items);
  return items;
}

static char *
base64_of (const char *bytes,
           gsize       len)
{
  g_autofree char *flat = g_base64_encode ((const guchar *) bytes, len);
  GString *wrapped = g_string_new (NULL);

  gsize total = strlen (flat);

  for (gsize i = 0; i < total; i += 76)
    {
      g_string_append_len (wrapped, flat + i, MIN (76, total - i));
      g_string_append (wrapped, "\n");
    }
  return g_string_free (wrapped, FALSE);
}

static void
test_multipart_alternative_quoted_printable (void)
{
  /* The plain part quoted-printable (soft line breaks, =E2=80=93 for the
   * en dash), the subject in RFC 2047 encoded words. */
  static const char mail[] =
    "From: Press Office <press@port.example>\n"
    "To: desk@paper.example\n"
    "Subject: =?UTF-8?Q?Terminal_opening_delayed_=E2=80=93_cranes?=\n"
    "Date: Thu, 05 Mar 2026 09:12:00 +0700\n"
    "Message-ID: <alt-1@port.example>\n"
    "MIME-Version: 1.0\n"
    "Content-Type: multipart/alternative; boundary=\"b1\"\n"
    "\n"
    "--b1\n"
    "Content-Type: text/plain; charset=UTF-8\n"
    "Content-Transfer-Encoding: quoted-printable\n"
    "\n"
    "JAKARTA, 5 March 2026 =E2=80=93 The port authority said on Thursday that th=\n"
    "e new container terminal will open in June.\n"
    "\n"
    "Shipping lines had been told to expect the first calls in March.\n"
    "--b1\n"
    "Content-Type: text/html; charset=UTF-8\n"
    "\n"
    "<p>HTML version that must not be chosen</p>\n"
    "--b1--\n";
  g_autoptr(GPtrArray) items = parse_mail (mail, FALSE);
  DeskIncoming *item;

  g_assert_cmpuint (items->len, ==, 1);
  item = g_ptr_array_index (items, 0);
  g_assert_cmpstr (item->kind, ==, "mail");
  g_assert_cmpstr (item->headline, ==, "Terminal opening delayed – cranes");
  g_assert_cmpstr (item->uid, ==, "<alt-1@port.example>");
  g_assert_nonnull (strstr (item->author, "press@port.example"));
  g_assert_nonnull (strstr (item->body, "JAKARTA, 5 March 2026 – The port authority said on Thursday that the new container"));
  g_assert_null (strstr (item->body, "HTML version"));
  g_assert_cmpint (item->published_at, ==, G_GINT64_CONSTANT (1772676720) * G_USEC_PER_SEC);
}

static void
test_html_only (void)
{
  static const char mail[] =
    "From: news@wire.example\n"
    "Subject: Cranes\n"
    "Message-ID: <html-1@wire.example>\n"
    "Content-Type: text/html; charset=UTF-8\n"
    "\n"
    "<html><head><title>t</title><style>p{color:red}</style></head><body>"
    "<h1>Ignored heading?</h1><p>First&nbsp;paragraph with <b>bold</b> words.</p>"
    "<script>alert('x')</script><p>Second<br>line &amp; more.</p></body></html>\n";
  g_autoptr(GPtrArray) items = parse_mail (mail, FALSE);
  DeskIncoming *item = g_ptr_array_index (items, 0);

  g_assert_cmpstr (item->body, ==, "Ignored heading?\n\nFirst\u00a0paragraph with bold words.\n\nSecond\nline & more.");
}

/* A single-part message in @charset, base64-encoded. */
static char *
charset_mail (const char *charset,
              const char *subject_utf8,
              const char *body_utf8)
{
  g_autoptr(GError) error = NULL;
  gsize len = 0;
  g_autofree char *bytes = g_convert (body_utf8, -1, charset, "UTF-8", NULL, &len, &error);
  g_autofree char *subject_bytes = g_convert (subject_utf8, -1, charset, "UTF-8", NULL, NULL, &error);
  g_autofree char *subject_b64 = NULL;
  g_autofree char *body_b64 = NULL;

  g_assert_no_error (error);
  subject_b64 = g_base64_encode ((const guchar *) subject_bytes, strlen (subject_bytes));
  body_b64 = base64_of (bytes, len);
  return g_strdup_printf ("From: desk@wire.example\n"
                          "Subject: =?%s?B?%s?=\n"
                          "Message-ID: <%s@wire.example>\n"
                          "MIME-Version: 1.0\n"
                          "Content-Type: text/plain; charset=%s\n"
                          "Content-Transfer-Encoding: base64\n"
                          "\n%s",
                          charset, subject_b64, charset, charset, body_b64);
}

static void
test_charsets_base64 (void)
{
  static const struct {
    const char *charset;
    const char *subject;
    const char *body;
  } cases[] = {
    { "ISO-8859-1", "Kräne verzögern Eröffnung", "Die Hafenbehörde sagte am Donnerstag, das Terminal öffne erst im Juni. Größere Schiffe fahren über Singapur." },
    { "GB2312", "雅加达港新码头推迟开放", "雅加达港务局星期四表示，丹戎不碌港新集装箱码头将于六月开放，比原计划晚三个月。" },
    { "Shift_JIS", "ジャカルタ港の新ターミナル開業延期", "ジャカルタ港湾局は木曜日、新しいコンテナターミナルの開業が六月になると発表した。" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *mail = charset_mail (cases[i].charset, cases[i].subject, cases[i].body);
      g_autoptr(GPtrArray) items = parse_mail (mail, FALSE);
      DeskIncoming *item = g_ptr_array_index (items, 0);

      g_test_message ("%s", cases[i].charset);
      g_assert_cmpstr (item->headline, ==, cases[i].subject);
      g_assert_cmpstr (g_strstrip (item->body), ==, cases[i].body);
    }
}

static void
test_attachments (void)
{
  g_autofree char *attached_b64 = base64_of (body_en, strlen (body_en));
  g_autofree char *mail = g_strdup_printf (
    "From: Press Office <press@port.example>\n"
    "Subject: Release attached\n"
    "Message-ID: <att-1@port.example>\n"
    "MIME-Version: 1.0\n"
    "Content-Type: multipart/mixed; boundary=\"m\"\n"
    "\n"
    "--m\n"
    "Content-Type: text/plain; charset=UTF-8\n"
    "\n"
    "\n"
    "--m\n"
    "Content-Type: application/octet-stream\n"
    "Content-Disposition: attachment; filename=\"release.txt\"\n"
    "Content-Transfer-Encoding: base64\n"
    "\n%s"
    "--m\n"
    "Content-Type: image/png\n"
    "Content-Disposition: attachment; filename=\"logo.png\"\n"
    "Content-Transfer-Encoding: base64\n"
    "\n"
    "iVBORw0KGgo=\n"
    "--m\n"
    "Content-Type: message/rfc822\n"
    "Content-Disposition: attachment; filename=\"forwarded.eml\"\n"
    "\n"
    "From: other@wire.example\n"
    "Subject: Forwarded release\n"
    "Message-ID: <inner-1@wire.example>\n"
    "Content-Type: text/plain; charset=ISO-8859-1\n"
    "Content-Transfer-Encoding: quoted-printable\n"
    "\n"
    "Caf=E9 owners in the old town welcome the delay.\n"
    "--m--\n", attached_b64);
  g_autoptr(GPtrArray) items = parse_mail (mail, FALSE);
  DeskIncoming *txt, *inner;

  /* The empty covering note is no release; the .txt and the forwarded
   * message are, the image is not. */
  g_assert_cmpuint (items->len, ==, 2);
  txt = g_ptr_array_index (items, 0);
  inner = g_ptr_array_index (items, 1);
  g_assert_cmpstr (g_strstrip (txt->body), ==, body_en);
  g_assert_cmpstr (txt->uid, ==, "<att-1@port.example>#1");
  g_assert_nonnull (strstr (txt->author, "press@port.example"));
  g_assert_cmpstr (inner->headline, ==, "Forwarded release");
  g_assert_cmpstr (inner->uid, ==, "<inner-1@wire.example>");
  g_assert_cmpstr (g_strstrip (inner->body), ==, "Café owners in the old town welcome the delay.");
}

static const char mbox[] =
  "From press@port.example Thu Mar  5 09:12:00 2026\n"
  "From: press@port.example\n"
  "Subject: First\n"
  "Message-ID: <m1@port.example>\n"
  "\n"
  "The first message's body.\n"
  ">From the archive, a quoted From line.\n"
  "\n"
  "From press@port.example Thu Mar  5 10:12:00 2026\n"
  "From: press@port.example\n"
  "Subject: Second\n"
  "Message-ID: <m2@port.example>\n"
  "\n"
  "The second message's body.\n"
  "\n"
  "From press@port.example Thu Mar  5 11:12:00 2026\n"
  "From: press@port.example\n"
  "Subject: Third\n"
  "Message-ID: <m3@port.example>\n"
  "\n"
  "The third message's body.\n";

static void
test_mbox (void)
{
  g_autoptr(GPtrArray) items = parse_mail (mbox, TRUE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) none = NULL;

  g_assert_cmpuint (items->len, ==, 3);
  g_assert_cmpstr (((DeskIncoming *) items->pdata[0])->headline, ==, "First");
  g_assert_nonnull (strstr (((DeskIncoming *) items->pdata[0])->body, "From the archive"));
  g_assert_cmpstr (((DeskIncoming *) items->pdata[2])->uid, ==, "<m3@port.example>");

  none = desk_mail_parse ("just some text\n", 15, TRUE, &error);
  g_assert_null (none);
  g_assert_error (error, DESK_ERROR, DESK_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  none = desk_mail_parse ("just some text\n", 15, FALSE, &error);
  g_assert_null (none);
  g_assert_error (error, DESK_ERROR, DESK_ERROR_INVALID_INPUT);
}

/* ninjs */

static const char ninjs_1[] =
  "{\n"
  "  \"uri\": \"urn:test:ninjs1:terminal\",\n"
  "  \"type\": \"text\",\n"
  "  \"versioncreated\": \"2026-03-05T02:00:00Z\",\n"
  "  \"embargoed\": \"2026-03-05T10:00:00+07:00\",\n"
  "  \"urgency\": 3,\n"
  "  \"language\": \"en\",\n"
  "  \"byline\": \"Desk Reporter\",\n"
  "  \"copyrightnotice\": \"Copyright 2026 Test Wire\",\n"
  "  \"headline\": \"Terminal opening delayed\",\n"
  "  \"body_html\": \"<p>JAKARTA – The port authority said the terminal opens in June.</p><p>Shipping lines were told.</p>\"\n"
  "}\n";

static const char ninjs_2[] =
  "{\n"
  "  \"uri\": \"urn:test:ninjs2:terminal\",\n"
  "  \"type\": \"text\",\n"
  "  \"language\": \"de\",\n"
  "  \"urgency\": 5,\n"
  "  \"copyrightnotice\": \"Copyright 2026, Testagentur\",\n"
  "  \"embargoed\": \"2026-03-05T10:00:00+01:00\",\n"
  "  \"headlines\": [ { \"role\": \"sub\", \"value\": \"Unterzeile\" },\n"
  "                   { \"role\": \"main\", \"value\": \"Terminal öffnet später\" } ],\n"
  "  \"bodies\": [ { \"role\": \"html\", \"contenttype\": \"text/html\", \"value\": \"<p>Nicht diese.</p>\" },\n"
  "                { \"contenttype\": \"text/plain\", \"value\": \"Die Hafenbehörde sagte, das Terminal öffne im Juni.\" } ],\n"
  "  \"by\": \"Redaktion\"\n"
  "}\n";

static void
test_ninjs (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) one = desk_ninjs_parse (ninjs_1, strlen (ninjs_1), &error);
  g_autoptr(GPtrArray) two = NULL;
  g_autoptr(GPtrArray) bad = NULL;
  DeskIncoming *item;
  g_autofree char *embargo = NULL;

  g_assert_no_error (error);
  item = g_ptr_array_index (one, 0);
  g_assert_cmpstr (item->kind, ==, "ninjs");
  g_assert_cmpstr (item->uid, ==, "urn:test:ninjs1:terminal");
  g_assert_cmpstr (item->headline, ==, "Terminal opening delayed");
  g_assert_cmpstr (item->body, ==, "JAKARTA – The port authority said the terminal opens in June.\n\nShipping lines were told.");
  g_assert_cmpstr (item->language, ==, "en");
  g_assert_cmpint (item->urgency, ==, 3);
  g_assert_cmpstr (item->copyright, ==, "Copyright 2026 Test Wire");
  g_assert_cmpstr (item->author, ==, "Desk Reporter");
  embargo = g_date_time_format_iso8601 (item->embargo);
  g_assert_cmpstr (embargo, ==, "2026-03-05T10:00:00+07");
  g_assert_cmpint (g_date_time_get_utc_offset (item->embargo), ==, 7 * G_TIME_SPAN_HOUR);

  two = desk_ninjs_parse (ninjs_2, strlen (ninjs_2), &error);
  g_assert_no_error (error);
  item = g_ptr_array_index (two, 0);
  g_assert_cmpstr (item->headline, ==, "Terminal öffnet später");
  g_assert_cmpstr (item->body, ==, "Die Hafenbehörde sagte, das Terminal öffne im Juni.");
  g_assert_cmpstr (item->language, ==, "de");
  g_assert_cmpint (item->urgency, ==, 5);
  g_assert_cmpstr (item->author, ==, "Redaktion");
  g_assert_cmpint (g_date_time_get_utc_offset (item->embargo), ==, G_TIME_SPAN_HOUR);

  bad = desk_ninjs_parse ("{\"uri\": \"x\", \"headline\": \"h\", \"embargoed\": \"tomorrow\"}", 54, &error);
  g_assert_null (bad);
  g_assert_error (error, DESK_ERROR, DESK_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "tomorrow"));
  g_clear_error (&error);
  bad = desk_ninjs_parse ("{\"uri\": ", 8, &error);
  g_assert_null (bad);
  g_assert_error (error, DESK_ERROR, DESK_ERROR_INVALID_INPUT);
}

/* NewsML-G2 */

static const char newsml[] =
  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
  "<newsItem xmlns=\"http://iptc.org/std/nar/2006-10-01/\" guid=\"urn:test:newsml:terminal\"\n"
  "          version=\"1\" standard=\"NewsML-G2\" standardversion=\"2.29\" xml:lang=\"en\">\n"
  "  <catalogRef href=\"http://www.iptc.org/std/catalog/catalog.IPTC-G2-Standards_38.xml\"/>\n"
  "  <rightsInfo><copyrightHolder uri=\"http://wire.example\"/>\n"
  "    <copyrightNotice>Copyright 2026 Test Wire. All rights reserved.</copyrightNotice></rightsInfo>\n"
  "  <itemMeta>\n"
  "    <itemClass qcode=\"ninat:text\"/>\n"
  "    <provider qcode=\"nprov:TEST\"/>\n"
  "    <versionCreated>2026-03-05T01:30:00Z</versionCreated>\n"
  "    <embargoed>2026-03-05T10:00:00+07:00</embargoed>\n"
  "    <pubStatus qcode=\"stat:usable\"/>\n"
  "  </itemMeta>\n"
  "  <contentMeta>\n"
  "    <urgency>2</urgency>\n"
  "    <headline>Terminal opening delayed to June</headline>\n"
  "    <by>Desk Reporter</by>\n"
  "    <language tag=\"en-GB\"/>\n"
  "  </contentMeta>\n"
  "  <contentSet>\n"
  "    <inlineXML contenttype=\"application/nitf+xml\">\n"
  "      <nitf xmlns=\"http://iptc.org/std/NITF/2006-10-18/\"><body><body.head><hedline><hl1>NITF head</hl1></hedline></body.head>\n"
  "      <body.content><p>JAKARTA – The port authority said the terminal opens in June.</p>\n"
  "      <p>Shipping lines were told &amp; agreed.</p></body.content></body></nitf>\n"
  "    </inlineXML>\n"
  "  </contentSet>\n"
  "</newsItem>\n";

static void
test_newsml (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = desk_newsml_parse (newsml, strlen (newsml), &error);
  DeskIncoming *item;

  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 1);
  item = g_ptr_array_index (items, 0);
  g_assert_cmpstr (item->kind, ==, "newsml");
  g_assert_cmpstr (item->uid, ==, "urn:test:newsml:terminal");
  g_assert_cmpstr (item->headline, ==, "Terminal opening delayed to June");
  g_assert_cmpstr (item->body, ==, "JAKARTA – The port authority said the terminal opens in June.\n\nShipping lines were told & agreed.");
  g_assert_cmpstr (item->language, ==, "en-GB");
  g_assert_cmpint (item->urgency, ==, 2);
  g_assert_cmpstr (item->copyright, ==, "Copyright 2026 Test Wire. All rights reserved.");
  g_assert_cmpstr (item->author, ==, "Desk Reporter");
  g_assert_cmpint (g_date_time_get_utc_offset (item->embargo), ==, 7 * G_TIME_SPAN_HOUR);
  g_assert_cmpint (item->published_at, ==, G_GINT64_CONSTANT (1772674200) * G_USEC_PER_SEC);
}

static void
test_newsml_refuses_entities (void)
{
  g_autofree char *secret_path = g_build_filename (g_get_tmp_dir (), "copydesk-xxe-secret.txt", NULL);
  g_autofree char *xxe = NULL;
  static const char laughs[] =
    "<?xml version=\"1.0\"?>\n"
    "<!DOCTYPE newsItem [\n"
    " <!ENTITY lol \"lol\">\n"
    " <!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
    " <!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">\n"
    " <!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\n"
    " <!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">\n"
    " <!ENTITY lol5 \"&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;\">\n"
    " <!ENTITY lol6 \"&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;\">\n"
    " <!ENTITY lol7 \"&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;\">\n"
    " <!ENTITY lol8 \"&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;\">\n"
    " <!ENTITY lol9 \"&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;\">\n"
    "]>\n"
    "<newsItem guid=\"x\"><contentMeta><headline>&lol9;</headline></contentMeta></newsItem>\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = NULL;

  g_assert_true (g_file_set_contents (secret_path, "TOP-SECRET-CONTENT", -1, NULL));
  xxe = g_strdup_printf ("<?xml version=\"1.0\"?>\n"
                         "<!DOCTYPE newsItem [ <!ENTITY xxe SYSTEM \"file://%s\"> ]>\n"
                         "<newsItem guid=\"x\"><contentMeta><headline>&xxe;</headline></contentMeta></newsItem>\n",
                         secret_path);

  items = desk_newsml_parse (xxe, strlen (xxe), &error);
  g_assert_null (items);
  g_assert_error (error, DESK_ERROR, DESK_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "DOCTYPE"));
  g_assert_null (strstr (error->message, "TOP-SECRET"));
  g_clear_error (&error);

  items = desk_newsml_parse (laughs, strlen (laughs), &error);
  g_assert_null (items);
  g_assert_error (error, DESK_ERROR, DESK_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "DOCTYPE"));
  g_clear_error (&error);

  items = desk_newsml_parse ("<newsItem><contentMeta>", 23, &error);
  g_assert_null (items);
  g_assert_error (error, DESK_ERROR, DESK_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "well-formed"));
  g_clear_error (&error);

  items = desk_newsml_parse ("<rss/>", 6, &error);
  g_assert_null (items);
  g_assert_nonnull (strstr (error->message, "<rss>"));
  g_remove (secret_path);
}

/* Through the importer, into a real store. */

typedef struct {
  char      *dir;
  DeskStore *store;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *db = NULL;

  fixture->dir = g_dir_make_tmp ("copydesk-ingest-mail-XXXXXX", &error);
  g_assert_no_error (error);
  db = g_build_filename (fixture->dir, "desk.db", NULL);
  fixture->store = desk_store_open (db, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->store);
  desk_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
}

static char *
write_file (Fixture    *fixture,
            const char *name,
            const char *contents)
{
  char *path = g_build_filename (fixture->dir, name, NULL);

  g_assert_true (g_file_set_contents (path, contents, -1, NULL));
  return path;
}

static void
test_import_files (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *mbox_path = write_file (fixture, "press.mbox", mbox);
  g_autofree char *ninjs_path = write_file (fixture, "item.json", ninjs_1);
  g_autofree char *newsml_path = write_file (fixture, "item.xml", newsml);
  g_autofree char *bad_path = write_file (fixture, "bomb.xml", "<?xml version=\"1.0\"?><!DOCTYPE a [<!ENTITY a \"b\">]><a>&a;</a>");
  const char *paths[] = { mbox_path, ninjs_path, newsml_path, bad_path, NULL };
  g_autoptr(DeskImportReport) report = desk_import_paths (fixture->store, paths, "Ed", NULL, NULL, NULL);
  g_autoptr(DeskImportReport) again = NULL;
  g_auto(DeskWireInfo) info = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskRelease) release = NULL;
  DeskImportItem *failed;
  g_autofree char *embargo = NULL;

  g_assert_cmpuint (report->imported, ==, 5);
  g_assert_cmpuint (report->failed, ==, 1);
  failed = g_ptr_array_index (report->items, 5);
  g_assert_cmpstr (failed->path, ==, bad_path);
  g_assert_nonnull (strstr (failed->message, "DOCTYPE"));

  /* The ninjs item: its language, urgency, copyright and embargo kept. */
  release = desk_store_get_release (fixture->store, ((DeskImportItem *) report->items->pdata[3])->release_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (desk_release_get_headline (release), ==, "Terminal opening delayed");
  g_assert_cmpstr (desk_release_get_language (release), ==, "en");
  g_assert_true (desk_store_get_wire_info (fixture->store, desk_release_get_id (release), &info, &error));
  g_assert_cmpint (info.urgency, ==, 3);
  g_assert_cmpstr (info.copyright, ==, "Copyright 2026 Test Wire");
  embargo = g_date_time_format_iso8601 (info.embargo);
  g_assert_cmpstr (embargo, ==, "2026-03-05T10:00:00+07");

  /* The same files again: each message and item is the release it was. */
  again = desk_import_paths (fixture->store, paths, "Ed", NULL, NULL, NULL);
  g_assert_cmpuint (again->imported, ==, 0);
  g_assert_cmpuint (again->duplicates, ==, 5);
  /* Releases, not stories (the queue counts two copies once). */
  g_assert_cmpint (desk_test_sql_int (desk_store_get_path (fixture->store), "SELECT count(*) FROM releases"), ==, 5);

  /* One at a time, through desk_import_file(), the same. */
  {
    g_autoptr(DeskImportItem) item = desk_import_file (fixture->store, mbox_path, "Ed");

    g_assert_cmpint (item->outcome, ==, DESK_IMPORT_DUPLICATE);
  }
}

/* One story from several wires. */

static char *
wire_copy (const char *credit,
           const char *about,
           const char *body)
{
  return g_strdup_printf ("Terminal opening delayed to June\n\n"
                          "%s%s\n\n"
                          "%s\n", credit, body, about);
}

static void
test_copies_grouped (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *a = wire_copy ("(SeaPRwire) – ", "About SeaPRwire\nSeaPRwire provides press release distribution to clients worldwide in many languages.", body_en);
  g_autofree char *b = wire_copy ("(PRNewswire) – ", "About PR Newswire\nPR Newswire is the leading distributor of news releases to newsrooms and websites everywhere.", body_en);
  g_autofree char *changed_body = NULL;
  g_autofree char *c = NULL;
  g_autofree char *other = wire_copy ("", "", "SURABAYA – The city council voted on Wednesday to close three markets for renovation "
                                     "over the rainy season, moving some two thousand traders to temporary stalls in a "
                                     "stadium car park until the work is finished next year, officials said. Traders "
                                     "protested outside the council building before the vote.");
  gint64 id_a, id_b, id_c, id_other;
  g_autoptr(GPtrArray) copies = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskRelease) release_b = NULL;
  g_autoptr(DeskRelease) release_c = NULL;

  {
    /* Re-sent with a small change: one figure corrected. */
    g_auto(GStrv) parts = g_strsplit (body_en, "4.2 trillion", 2);

    changed_body = g_strjoin ("4.3 trillion", parts[0], parts[1], NULL);
    c = wire_copy ("", "", changed_body);
  }

  id_a = desk_test_add_text (fixture->store, a);
  id_other = desk_test_add_text (fixture->store, other);
  id_b = desk_test_add_text (fixture->store, b);
  id_c = desk_test_add_text (fixture->store, c);

  g_assert_cmpint (desk_store_count_copies (fixture->store, id_a, NULL), ==, 3);
  g_assert_cmpint (desk_store_count_copies (fixture->store, id_c, NULL), ==, 3);
  g_assert_cmpint (desk_store_count_copies (fixture->store, id_other, NULL), ==, 1);
  copies = desk_store_list_copies (fixture->store, id_b, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (copies->len, ==, 3);
  g_assert_cmpint (((DeskCopy *) copies->pdata[0])->id, ==, id_a);
  g_assert_cmpint (((DeskCopy *) copies->pdata[1])->id, ==, id_b);
  g_assert_cmpint (((DeskCopy *) copies->pdata[2])->id, ==, id_c);
  g_assert_cmpstr (((DeskCopy *) copies->pdata[0])->source, ==, "SeaPRwire");

  /* Approving one (as the window and copydesk-cli do) sets the others
   * aside, each with an event. */
  g_assert_true (desk_store_set_status (fixture->store, id_a, DESK_STATUS_IN_REVIEW, "Ed", NULL, &error));
  g_assert_true (desk_move_release (fixture->store, id_a, DESK_STATUS_APPROVED, "Ed", NULL,
                                    "the credit stays in this test", &error));
  g_assert_no_error (error);
  release_b = desk_store_get_release (fixture->store, id_b, NULL);
  release_c = desk_store_get_release (fixture->store, id_c, NULL);
  g_assert_cmpint (desk_release_get_status (release_b), ==, DESK_STATUS_REJECTED);
  g_assert_cmpint (desk_release_get_status (release_c), ==, DESK_STATUS_REJECTED);
  {
    g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM events WHERE action = 'set-aside' AND release_id IN (%" G_GINT64_FORMAT ", %" G_GINT64_FORMAT ")", id_b, id_c);

    g_assert_cmpint (desk_test_sql_int (desk_store_get_path (fixture->store), sql), ==, 2);
  }
  /* Set aside once: nothing more to do the second time. */
  g_assert_cmpint (desk_store_set_aside_copies (fixture->store, id_a, "Ed", NULL), ==, 0);
}

/* copydesk-cli copies: the group, and two copies compared word by word. */
static void
test_cli_compares_copies (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autofree char *a = g_strdup_printf ("Terminal opening delayed\n\n%s\n", body_en);
  g_autofree char *changed = NULL;
  g_autofree char *b = NULL;
  g_autofree char *id_a = NULL, *id_b = NULL, *id_other = NULL;
  g_autofree char *out = NULL, *err = NULL;
  const char *cli = g_getenv ("COPYDESK_CLI");
  g_autoptr(GError) error = NULL;
  int status = 0;

  {
    g_auto(GStrv) parts = g_strsplit (body_en, "in June", 2);

    changed = g_strjoin ("in July", parts[0], parts[1], NULL);
    b = g_strdup_printf ("Port terminal to open later\n\n%s\n", changed);
  }
  id_a = g_strdup_printf ("%" G_GINT64_FORMAT, desk_test_add_text (fixture->store, a));
  id_other = g_strdup_printf ("%" G_GINT64_FORMAT, desk_test_add_text (fixture->store,
    "Markets close\n\nThe city council voted on Wednesday to close three markets for renovation over the "
    "rainy season, moving some two thousand traders to temporary stalls in a stadium car park.\n"));
  id_b = g_strdup_printf ("%" G_GINT64_FORMAT, desk_test_add_text (fixture->store, b));
  g_clear_object (&fixture->store);

  {
    const char *argv[] = { cli, "--database", NULL, "copies", id_b, id_a, NULL };
    g_autofree char *db = g_build_filename (fixture->dir, "desk.db", NULL);

    argv[2] = db;
    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status, &error));
    g_assert_no_error (error);
    g_assert_true (g_spawn_check_wait_status (status, NULL));
    g_assert_nonnull (strstr (out, "[-Port terminal to open later-]{+Terminal opening delayed+}"));
    g_assert_true (strstr (out, "will open to ships [-in July-]{+in June+}") != NULL ||
                   strstr (out, "will open to ships in [-July-]{+June+}") != NULL);
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);

    /* A release that is not a copy is not compared. */
    argv[5] = id_other;
    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status, &error));
    g_assert_false (g_spawn_check_wait_status (status, NULL));
    g_assert_nonnull (strstr (err, "is not a copy"));
  }
}

/* A store from before the copies index: releases added at the older
 * schema are indexed by the migration, oldest first. */
static void
test_migration_indexes_existing_releases (Fixture       *fixture,
                                          gconstpointer  data)
{
  g_autofree char *db = g_build_filename (fixture->dir, "old.db", NULL);
  g_autofree char *a = g_strdup_printf ("Terminal opening delayed\n\n%s\n", body_en);
  g_autofree char *b = g_strdup_printf ("Port terminal to open later\n\n%s\n", body_en);
  g_autoptr(GError) error = NULL;
  gint64 id_a, id_b;

  {
    /* schema 10: before the copies index of schema 11 */
    g_autoptr(DeskStore) old = desk_store_open_at_version (db, 10, &error);

    g_assert_no_error (error);
    id_a = desk_test_add_text (old, a);
    id_b = desk_test_add_text (old, b);
  }
  {
    g_autoptr(DeskStore) store = desk_store_open (db, &error);

    g_assert_no_error (error);
    g_assert_cmpint (desk_store_count_copies (store, id_a, NULL), ==, 2);
    g_assert_cmpint (desk_store_count_copies (store, id_b, NULL), ==, 2);
  }
}

/* The signature reads CJK ideographs as letters without case, without
 * asking GLib: that must be what GLib says of every one of them, or the
 * signatures stores keep would no longer match new ones. */
static void
test_signature_reads_ideographs_as_glib_does (void)
{
  for (gunichar c = 0x4E00; c <= 0x9FFF; c++)
    {
      g_assert_true (g_unichar_isalnum (c));
      g_assert_cmpuint (g_unichar_tolower (c), ==, c);
    }
}

/* A signature stored by an earlier version stays comparable with the
 * ones made now: the words, the news text (a credit, the about-paragraph
 * and the headline left out), ASCII and other letters, ideographs and
 * each place of the signature are what the first version made of this
 * text.  Reading the text faster must not change one of them. */
static void
test_signature_is_the_one_stores_keep (void)
{
  static const char text[] =
    "Ministry Confirms Talks\n\n"
    "JAKARTA, 5 March 2026 (SeaPRwire) – The Ministry of Trade confirmed on Thursday that TALKS with 12 partners "
    "would resume in Bogor next week, officials said.\n\n"
    "Die Gespräche über Zölle für Kaffee und Kakao beginnen am Montag; Ärzte und Ökonomen begrüßten das.\n\n"
    "中国商务部表示，双方将在下周继续就关税问题进行磋商，并希望尽快达成协议。日本の代表団も参加する予定です。\n\n"
    "Пресс-служба министерства сообщила, что переговоры пройдут в закрытом режиме.\n\n"
    "About the Ministry\n\nThe Ministry of Trade is responsible for trade policy.\n";
  static const guint32 expected[DESK_COPY_HASHES] = {
    0xfee2a724, 0xffffffff, 0xe160f741, 0xc00dc990, 0xffffffff, 0x385216e3,
    0x3d6f8859, 0xffffffff, 0x11bc0d69, 0xd807170b, 0xffffffff, 0xffffffff,
    0x2489c377, 0x13973bae, 0xffffffff, 0xffffffff, 0x3e5d6338, 0xffffffff,
    0xffffffff, 0x1b2a1ac0, 0x3eda2585, 0x3f6ccba1, 0xffffffff, 0x7a897b45,
    0x310b03f1, 0x0a4799aa, 0x60e500ec, 0x49c90959, 0x05b28b5a, 0xffffffff,
    0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xa988eaac, 0xba94e890,
    0xbd8c8416, 0x4b9b004f, 0xcb4221cb, 0xffffffff, 0xffffffff, 0x36edbb7a,
    0xffffffff, 0xf288bc0d, 0x157cc78d, 0xffffffff, 0xffffffff, 0xffffffff,
    0xffffffff, 0xffffffff, 0x4d492153, 0xaefd2a4e, 0x2c88bd29, 0xffffffff,
    0xc53a418a, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff,
    0xffffffff, 0xffffffff, 0xffffffff, 0xef3b89f1
  };
  g_autoptr(DeskParsedRelease) parsed = desk_parse_release_text (text, NULL);
  guint32 signature[DESK_COPY_HASHES];

  g_assert_nonnull (parsed);
  g_assert_true (desk_copies_signature (parsed, signature));
  for (guint i = 0; i < DESK_COPY_HASHES; i++)
    g_assert_cmphex (signature[i], ==, expected[i]);
}

static void
test_signature_similarity (void)
{
  g_autoptr(DeskParsedRelease) a = desk_parse_release_text (body_en, NULL);
  g_autofree char *longer = g_strconcat (body_en, "\n\nA fourth paragraph was added in the second version of the release, saying more.", NULL);
  g_autoptr(DeskParsedRelease) b = desk_parse_release_text (longer, NULL);
  g_autoptr(DeskParsedRelease) tiny = desk_parse_release_text ("Short\n\nToo short to say.", NULL);
  guint32 sa[DESK_COPY_HASHES], sb[DESK_COPY_HASHES], st[DESK_COPY_HASHES];

  g_assert_true (desk_copies_signature (a, sa));
  g_assert_true (desk_copies_signature (b, sb));
  g_assert_false (desk_copies_signature (tiny, st));
  g_assert_cmpfloat (desk_copies_similarity (sa, sa), ==, 1.0);
  g_assert_cmpfloat (desk_copies_similarity (sa, sb), >=, 0.6);
}

/* What the fuzzers found: an empty attachment, and parsers' messages that
 * quote bytes that are not UTF-8. */
static void
test_fuzzer_findings (void)
{
  static const char empty_attachment[] =
    "From: a@b.example\nSubject: Empty\nContent-Type: multipart/mixed; boundary=m\n\n"
    "--m\nContent-Type: application/octet-stream\nContent-Disposition: attachment; filename=e.txt\n\n"
    "--m--\n";
  static const char bad_json[] = "{\"uri\": \"\xff\xfe";
  static const char bad_xml[] = "<newsItem>\xff\xfe</newsItem";
  static const char lone_surrogate[] =
    "{\"uri\": \"a\", \"headline\": \"Banjir \\ud800 Bekasi\", \"body_html\": \"<p>Air \\udc00 naik</p>\", "
    "\"byline\": \"\\udfff Antara\"}";
  static const char bad_embargo[] = "{\"uri\": \"a\", \"headline\": \"x\", \"embargoed\": \"\\ud800\"}";
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = desk_mail_parse (empty_attachment, strlen (empty_attachment), FALSE, &error);

  /* The subject alone: the empty attachment is no release. */
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 1);
  g_assert_cmpstr (((DeskIncoming *) items->pdata[0])->headline, ==, "Empty");
  g_clear_pointer (&items, g_ptr_array_unref);

  items = desk_ninjs_parse (bad_json, strlen (bad_json), &error);
  g_assert_null (items);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  g_clear_error (&error);

  items = desk_newsml_parse (bad_xml, strlen (bad_xml), &error);
  g_assert_null (items);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  g_clear_error (&error);

  /* JSON's \u escapes can spell a lone surrogate; json-glib passes it on
   * as bytes that are not UTF-8.  The item keeps its text around it. */
  items = desk_ninjs_parse (lone_surrogate, strlen (lone_surrogate), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 1);
  {
    const DeskIncoming *item = items->pdata[0];

    g_assert_true (g_utf8_validate (item->headline, -1, NULL));
    g_assert_true (g_str_has_prefix (item->headline, "Banjir"));
    g_assert_true (g_str_has_suffix (item->headline, "Bekasi"));
    g_assert_true (g_utf8_validate (item->body, -1, NULL));
    g_assert_true (g_utf8_validate (item->author, -1, NULL));
  }
  g_clear_pointer (&items, g_ptr_array_unref);

  items = desk_ninjs_parse (bad_embargo, strlen (bad_embargo), &error);
  g_assert_null (items);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
}

/* A file of [[[[… a few hundred thousand deep ran json-glib's parser out
 * of stack (a crash of the whole import); it is refused by its depth. */
static void
test_deeply_nested_json_is_refused (void)
{
  g_autofree char *deep = g_strnfill (200000, '[');
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = desk_ninjs_parse (deep, strlen (deep), &error);

  g_assert_null (items);
  g_assert_error (error, DESK_ERROR, DESK_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "64 levels"));
}

/* A wire's file of many items, each nesting a few levels as ninjs does,
 * is read whole: the depth is how deep it nests, not how many objects it
 * holds (a file of 40 items was refused as "more than 64 levels deep"). */
static void
test_many_items_are_not_deep (void)
{
  g_autoptr(GString) json = g_string_new ("[");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = NULL;

  for (guint i = 0; i < 200; i++)
    g_string_append_printf (json, "%s{\"uri\": \"urn:test:%u\", \"headline\": \"Item %u\","
                            " \"body_text\": \"Text %u.\", \"subject\": [{\"name\": \"a\"}, {\"name\": \"b\"}]}",
                            i > 0 ? ", " : "", i, i, i);
  g_string_append_c (json, ']');
  items = desk_ninjs_parse (json->str, json->len, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 200);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/mail/multipart-alternative-quoted-printable", test_multipart_alternative_quoted_printable);
  g_test_add_func ("/mail/html-only", test_html_only);
  g_test_add_func ("/mail/charsets-base64", test_charsets_base64);
  g_test_add_func ("/mail/attachments", test_attachments);
  g_test_add_func ("/mail/mbox", test_mbox);
  g_test_add_func ("/wire/ninjs", test_ninjs);
  g_test_add_func ("/wire/newsml", test_newsml);
  g_test_add_func ("/wire/newsml-refuses-entities", test_newsml_refuses_entities);
  g_test_add_func ("/wire/fuzzer-findings", test_fuzzer_findings);
  g_test_add ("/import/mail-and-wire-files", Fixture, NULL, fixture_set_up, test_import_files, fixture_tear_down);
  g_test_add_func ("/copies/signature", test_signature_similarity);
  g_test_add_func ("/copies/signature-reads-ideographs-as-glib-does", test_signature_reads_ideographs_as_glib_does);
  g_test_add_func ("/copies/signature-is-the-one-stores-keep", test_signature_is_the_one_stores_keep);
  g_test_add_func ("/ninjs/deeply-nested-json-is-refused", test_deeply_nested_json_is_refused);
  g_test_add_func ("/ninjs/many-items-are-not-deep", test_many_items_are_not_deep);
  g_test_add ("/copies/grouped", Fixture, NULL, fixture_set_up, test_copies_grouped, fixture_tear_down);
  g_test_add ("/copies/migration-indexes-existing", Fixture, NULL, fixture_set_up, test_migration_indexes_existing_releases, fixture_tear_down);
  g_test_add ("/copies/cli-compares-two", Fixture, NULL, fixture_set_up, test_cli_compares_copies, fixture_tear_down);

  return g_test_run ();
}
