/* test-ingest.c — feeds, the watched folder, the ingest service, embargoes
 *
 * Feeds are served by a SoupServer on its own thread, written for these
 * tests the way real feeds are (RSS 2.0, RSS 1.0, Atom, and their
 * failures: malformed XML, XXE, billion laughs, 304, gzip, redirect loops,
 * a server that never answers).  Concurrency is tested with real
 * copydesk-cli processes, killed with SIGKILL.
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "desk-date.h"
#include "desk-error.h"
#include "desk-export.h"
#include "desk-feed.h"
#include "desk-feed-parser.h"
#include "desk-folder-source.h"
#include "desk-ingest.h"
#include "desk-outbox.h"
#include "desk-source.h"
#include "desk-store-private.h"
#include "desk-test-util.h"

/* ---- the feed server ----------------------------------------------------- */

typedef struct {
  GThread      *thread;
  GMainContext *context;
  GMainLoop    *loop;
  SoupServer   *server;
  char         *base;
  GMutex        lock;
  GCond         ready;
  gboolean      started;
  /* what it serves */
  GHashTable   *bodies;         /* path → GBytes */
  guint         requests;
  guint         not_modified;   /* answers 304 */
  gboolean      gzip;
  GPtrArray    *hung;           /* messages paused for ever */
} FeedServer;

static void
handle (SoupServer        *server,
        SoupServerMessage *msg,
        const char        *path,
        GHashTable        *query,
        gpointer           data)
{
  FeedServer *fs = data;
  SoupMessageHeaders *request = soup_server_message_get_request_headers (msg);
  SoupMessageHeaders *response = soup_server_message_get_response_headers (msg);
  GBytes *body;

  g_mutex_lock (&fs->lock);
  fs->requests++;
  g_mutex_unlock (&fs->lock);

  if (g_str_equal (path, "/hang"))
    {
      /* Takes the request and never answers. */
      soup_server_message_pause (msg);
      g_ptr_array_add (fs->hung, g_object_ref (msg));
      return;
    }
  if (g_str_equal (path, "/loop-a") || g_str_equal (path, "/loop-b"))
    {
      soup_server_message_set_redirect (msg, 302, g_str_equal (path, "/loop-a") ? "/loop-b" : "/loop-a");
      return;
    }
  if (g_str_has_prefix (path, "/chain/"))
    {
      int n = atoi (path + 7);
      g_autofree char *next = n > 0 ? g_strdup_printf ("/chain/%d", n - 1) : g_strdup ("/rss2");

      soup_server_message_set_redirect (msg, 301, next);
      return;
    }

  body = g_hash_table_lookup (fs->bodies, path);
  if (body == NULL)
    {
      soup_server_message_set_status (msg, 404, NULL);
      return;
    }

  {
    g_autofree char *etag = g_strdup_printf ("\"%s-%zu\"", path + 1, g_bytes_get_size (body));
    const char *if_none_match = soup_message_headers_get_one (request, "If-None-Match");

    soup_message_headers_replace (response, "ETag", etag);
    soup_message_headers_replace (response, "Last-Modified", "Thu, 05 Mar 2026 03:00:00 GMT");
    if (g_strcmp0 (if_none_match, etag) == 0)
      {
        g_mutex_lock (&fs->lock);
        fs->not_modified++;
        g_mutex_unlock (&fs->lock);
        soup_server_message_set_status (msg, 304, NULL);
        return;
      }
  }

  soup_server_message_set_status (msg, 200, NULL);
  if (fs->gzip)
    {
      g_autoptr(GZlibCompressor) compressor = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, -1);
      g_autoptr(GInputStream) plain = g_memory_input_stream_new_from_bytes (body);
      g_autoptr(GInputStream) zipped = g_converter_input_stream_new (plain, G_CONVERTER (compressor));
      g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
      g_autoptr(GBytes) compressed = NULL;

      g_output_stream_splice (out, zipped, G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE | G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET,
                              NULL, NULL);
      compressed = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
      soup_message_headers_replace (response, "Content-Encoding", "gzip");
      soup_server_message_set_response (msg, "application/rss+xml",
                                        SOUP_MEMORY_COPY, g_bytes_get_data (compressed, NULL),
                                        g_bytes_get_size (compressed));
      return;
    }
  soup_server_message_set_response (msg, "application/rss+xml", SOUP_MEMORY_COPY,
                                    g_bytes_get_data (body, NULL), g_bytes_get_size (body));
}

static gpointer
server_thread (gpointer data)
{
  FeedServer *fs = data;
  g_autoptr(GError) error = NULL;
  GSList *uris;

  g_main_context_push_thread_default (fs->context);
  fs->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (fs->server, NULL, handle, fs, NULL);
  g_assert_true (soup_server_listen_local (fs->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  g_assert_no_error (error);
  uris = soup_server_get_uris (fs->server);
  fs->base = g_uri_to_string_partial (uris->data, G_URI_HIDE_PASSWORD);
  if (g_str_has_suffix (fs->base, "/"))
    fs->base[strlen (fs->base) - 1] = '\0';
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  g_mutex_lock (&fs->lock);
  fs->started = TRUE;
  g_cond_signal (&fs->ready);
  g_mutex_unlock (&fs->lock);

  g_main_loop_run (fs->loop);
  g_ptr_array_set_size (fs->hung, 0);
  soup_server_disconnect (fs->server);
  g_clear_object (&fs->server);
  g_main_context_pop_thread_default (fs->context);
  return NULL;
}

static FeedServer *
feed_server_new (void)
{
  FeedServer *fs = g_new0 (FeedServer, 1);

  g_mutex_init (&fs->lock);
  g_cond_init (&fs->ready);
  fs->bodies = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_bytes_unref);
  fs->hung = g_ptr_array_new_with_free_func (g_object_unref);
  fs->context = g_main_context_new ();
  fs->loop = g_main_loop_new (fs->context, FALSE);
  fs->thread = g_thread_new ("feed-server", server_thread, fs);
  g_mutex_lock (&fs->lock);
  while (!fs->started)
    g_cond_wait (&fs->ready, &fs->lock);
  g_mutex_unlock (&fs->lock);
  return fs;
}

static void
feed_server_serve (FeedServer *fs,
                   const char *path,
                   const char *body,
                   gssize      len)
{
  g_mutex_lock (&fs->lock);
  g_hash_table_replace (fs->bodies, g_strdup (path),
                        g_bytes_new (body, len < 0 ? strlen (body) : (gsize) len));
  g_mutex_unlock (&fs->lock);
}

static char *
feed_server_url (FeedServer *fs,
                 const char *path)
{
  return g_strconcat (fs->base, path, NULL);
}

static gboolean
quit_loop (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

static void
feed_server_free (FeedServer *fs)
{
  g_main_context_invoke (fs->context, quit_loop, fs->loop);
  g_thread_join (fs->thread);
  g_main_loop_unref (fs->loop);
  g_main_context_unref (fs->context);
  g_hash_table_unref (fs->bodies);
  g_ptr_array_unref (fs->hung);
  g_free (fs->base);
  g_mutex_clear (&fs->lock);
  g_cond_clear (&fs->ready);
  g_free (fs);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FeedServer, feed_server_free)

/* ---- the feeds ----------------------------------------------------------- */

static const char rss2[] =
  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
  "<rss version=\"2.0\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\""
  " xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n"
  "<channel><title>Antara Wire</title><link>https://wire.example/</link>\n"
  "<item><title>Bank Indonesia Raises Rate &amp; Holds Outlook</title>\n"
  "<link>https://wire.example/a</link><guid isPermaLink=\"false\">wire-a</guid>\n"
  "<pubDate>Thu, 5 Mar 2026 10:00:00 +0700</pubDate><dc:creator>Ana Putri</dc:creator>\n"
  "<content:encoded><![CDATA[<p>JAKARTA &ndash; Bank Indonesia raised its policy rate on Thursday.</p>"
  "<script>track()</script><p>The bank said inflation<br>had eased.</p>]]></content:encoded></item>\n"
  "<item><title>Port Opens Second Terminal</title>\n"
  "<link>https://wire.example/b</link><guid>wire-b</guid>\n"
  "<pubDate>05 Mar 26 11:30 WIB</pubDate>\n"
  "<description>&lt;p&gt;SURABAYA - The port opened its second container terminal.&lt;/p&gt;</description></item>\n"
  "</channel></rss>\n";

static const char rss1[] =
  "<?xml version=\"1.0\"?>\n"
  "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" xmlns=\"http://purl.org/rss/1.0/\""
  " xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n"
  "<channel rdf:about=\"https://old.example/\"><title>Old Wire</title></channel>\n"
  "<item rdf:about=\"https://old.example/1\"><title>Rail Line Extended</title>"
  "<link>https://old.example/1</link><dc:date>2026-03-05T09:15:00+01:00</dc:date>"
  "<description>BERLIN - The rail line was extended to the airport.</description></item>\n"
  "</rdf:RDF>\n";

static const char atom[] =
  "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
  "<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>Atom Desk</title><id>urn:atom-desk</id>\n"
  "<entry><title type=\"html\">Solar Farm &lt;em&gt;Opens&lt;/em&gt;</title><id>urn:uuid:1</id>"
  "<link rel=\"alternate\" href=\"https://atom.example/solar\"/><updated>2026-03-05T10:00:00Z</updated>"
  "<author><name>Budi</name></author>"
  "<content type=\"xhtml\"><div xmlns=\"http://www.w3.org/1999/xhtml\"><p>BALI - A solar farm opened.</p>"
  "<p>It powers ten thousand homes.</p></div></content></entry>\n"
  "</feed>\n";

static const char xxe[] =
  "<?xml version=\"1.0\"?>\n"
  "<!DOCTYPE rss [<!ENTITY secret SYSTEM \"file:///etc/passwd\">]>\n"
  "<rss version=\"2.0\"><channel><title>x</title><item><title>&secret;</title>"
  "<description>leak</description></item></channel></rss>\n";

static const char laughs[] =
  "<?xml version=\"1.0\"?>\n"
  "<!DOCTYPE rss [\n"
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
  "<rss version=\"2.0\"><channel><title>&lol9;</title></channel></rss>\n";

/* A feed of @n items, each with a paragraph that makes it unlike the others. */
static char *
make_feed (guint       n,
           guint       paragraph_bytes,
           const char *variant)
{
  GString *out = g_string_new ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\"><channel><title>Big</title>\n");
  g_autoptr(GString) filler = g_string_new (NULL);

  while (filler->len < paragraph_bytes)
    g_string_append (filler, "The ministry said the programme would continue through the year. ");
  for (guint i = 0; i < n; i++)
    g_string_append_printf (out,
                            "<item><title>Item %u of the wire %s</title><guid>item-%u</guid>"
                            "<link>https://big.example/%u</link><pubDate>Thu, 05 Mar 2026 10:%02u:00 GMT</pubDate>"
                            "<description>&lt;p&gt;JAKARTA - Story number %u %s.&lt;/p&gt;&lt;p&gt;%s&lt;/p&gt;</description></item>\n",
                            i, variant, i, i, i % 60, i, variant, filler->str);
  g_string_append (out, "</channel></rss>\n");
  return g_string_free (out, FALSE);
}

/* ---- fixtures ------------------------------------------------------------ */

typedef struct {
  char       *dir;
  char       *path;
  DeskStore  *store;
  FeedServer *server;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("copydesk-ingest-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "desk.db", NULL);
  f->store = desk_store_open (f->path, &error);
  g_assert_no_error (error);
  f->server = feed_server_new ();
  feed_server_serve (f->server, "/rss2", rss2, -1);
  feed_server_serve (f->server, "/rss1", rss1, -1);
  feed_server_serve (f->server, "/atom", atom, -1);
  feed_server_serve (f->server, "/xxe", xxe, -1);
  feed_server_serve (f->server, "/laughs", laughs, -1);
  feed_server_serve (f->server, "/broken", "<rss version=\"2.0\"><channel><item><title>x</channel></rss>", -1);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->store);
  feed_server_free (f->server);
  desk_test_remove_tree (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

static gint64
add_feed (Fixture    *f,
          const char *path,
          const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *url = feed_server_url (f->server, path);
  gint64 id = desk_feed_add (f->store, url, name, &error);

  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

static gint64
count (Fixture    *f,
       const char *sql)
{
  return desk_test_sql_int (f->path, sql);
}

/* ---- dates and embargoes ------------------------------------------------- */

static void
assert_date (const char *text,
             const char *expected_utc)
{
  g_autoptr(GDateTime) when = desk_date_parse (text, NULL, FALSE, NULL);
  g_autofree char *iso = NULL;

  if (when == NULL)
    g_error ("“%s” was not read as a date", text);
  {
    g_autoptr(GDateTime) utc = g_date_time_to_utc (when);

    iso = g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");
  }
  g_assert_cmpstr (iso, ==, expected_utc);
}

static void
test_dates_as_feeds_write_them (void)
{
  /* RFC 822 and its variants */
  assert_date ("Thu, 05 Mar 2026 10:00:00 +0700", "2026-03-05T03:00:00Z");
  assert_date ("Thu, 5 Mar 2026 10:00:00 GMT", "2026-03-05T10:00:00Z");
  assert_date ("5 Mar 2026 10:00 EST", "2026-03-05T15:00:00Z");
  assert_date ("Thu, 05 Mar 26 10:00:00 WIB", "2026-03-05T03:00:00Z");
  assert_date ("Mon, 05 Mar 2026 10:00:00 +07:00", "2026-03-05T03:00:00Z");   /* wrong weekday */
  assert_date ("Thu, 05 March 2026 10:00:00 UTC+7", "2026-03-05T03:00:00Z");
  assert_date ("Thu, 05 Mar 2026 10:00:00", "2026-03-05T10:00:00Z");          /* no zone */
  /* ISO 8601, W3C-DTF */
  assert_date ("2026-03-05T10:00:00Z", "2026-03-05T10:00:00Z");
  assert_date ("2026-03-05T10:00:00.123+07:00", "2026-03-05T03:00:00Z");
  assert_date ("2026-03-05 10:00:00", "2026-03-05T10:00:00Z");
  assert_date ("2026-03-05", "2026-03-05T00:00:00Z");
  assert_date ("March 5, 2026 2:30 PM PST", "2026-03-05T22:30:00Z");

  g_assert_null (desk_date_parse ("tomorrow", NULL, FALSE, NULL));
  g_assert_null (desk_date_parse ("", NULL, FALSE, NULL));
}

static void
assert_embargo (const char *text,
                const char *expected_utc,
                const char *expected_zone)
{
  g_autoptr(GTimeZone) utc_zone = g_time_zone_new_utc ();
  g_autofree char *zone = NULL;
  gboolean hold = FALSE;
  g_autoptr(GDateTime) when = desk_source_find_embargo (text, utc_zone, &zone, &hold);
  g_autoptr(GDateTime) utc = NULL;
  g_autofree char *iso = NULL;

  if (when == NULL)
    g_error ("no embargo read in “%s”", text);
  /* Where one is read, the quick look at the words says there may be. */
  g_assert_true (desk_source_may_find_embargo (text));
  utc = g_date_time_to_utc (when);
  iso = g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");
  g_assert_cmpstr (iso, ==, expected_utc);
  g_assert_cmpstr (zone, ==, expected_zone);
  g_assert_false (hold);
}

static void
test_embargoes_read_from_the_top (void)
{
  g_autoptr(GTimeZone) utc_zone = g_time_zone_new_utc ();
  gboolean hold = FALSE;

  assert_embargo ("Central Bank Meets\n\nEMBARGOED UNTIL 10:00 WIB 5 March 2026\n\nJAKARTA - ...",
                  "2026-03-05T03:00:00Z", "WIB");
  assert_embargo ("Sperrfrist: 5. März 2026, 10:00 Uhr MEZ\n\nBERLIN - ...", "2026-03-05T09:00:00Z", "MEZ");
  assert_embargo ("HOLD FOR RELEASE UNTIL 6:00 a.m. EST, March 5, 2026\n\nNEW YORK - ...",
                  "2026-03-05T11:00:00Z", "EST");
  assert_embargo ("Embargoed until:\n05.03.2026 08:30 CET\n\nText", "2026-03-05T07:30:00Z", "CET");
  assert_embargo ("*** Embargo: 2026-03-05T10:00:00+07:00 ***\n\nText", "2026-03-05T03:00:00Z", "+07:00");

  /* A hold without a time holds it until an editor lifts it. */
  g_assert_null (desk_source_find_embargo ("HOLD FOR RELEASE\n\nBody", utc_zone, NULL, &hold));
  g_assert_true (hold);
  g_assert_true (desk_source_may_find_embargo ("HOLD FOR RELEASE\n\nBody"));
  /* Any case, the long s for an s as PCRE reads it caselessly. */
  g_assert_true (desk_source_may_find_embargo ("\xC5\xBFperrfri\xC5\xBFt: 5. März 2026"));
  g_assert_true (desk_source_may_find_embargo ("Headline\n\nNoT FoR PuBlIcAtIoN before"));
  /* A release without any of the words is not searched at all. */
  g_assert_false (desk_source_may_find_embargo ("Central Bank Meets\n\nJAKARTA \xE2\x80\x93 The bank met today, "
                                                "not under the embargo\n\n(Reuters) \xE2\x80\x9CHold\xE2\x80\x9D"));
  /* A line may start after a NEL or U+2028, or with a no-break space. */
  g_assert_true (desk_source_may_find_embargo ("Headline\xC2\x85" "Embargo: 5 March 2026"));
  g_assert_true (desk_source_may_find_embargo ("Headline\xE2\x80\xA8" "Embargo: 5 March 2026"));
  g_assert_true (desk_source_may_find_embargo ("Headline\n\xC2\xA0" "Embargo: 5 March 2026"));
  /* Lines that open with Chinese or Thai letters are not searched; a
   * line opened by an ideographic space or a bracket past ASCII still is,
   * and so is one after them. */
  g_assert_false (desk_source_may_find_embargo ("\xE5\xA4\xAE\xE8\xA1\x8C\xE4\xBC\x9A\xE8\xAE\xAE\n\n"
                                                "\xE9\x9B\x85\xE5\x8A\xA0\xE8\xBE\xBE Embargo"));
  g_assert_false (desk_source_may_find_embargo ("\xE0\xB8\x98\xE0\xB8\x99\xE0\xB8\xB2\xE0\xB8\x84\xE0\xB8\xB2\xE0\xB8\xA3"));
  g_assert_true (desk_source_may_find_embargo ("\xE5\xA4\xAE\xE8\xA1\x8C\n\xE3\x80\x80" "EMBARGOED UNTIL 5 March 2026"));
  g_assert_true (desk_source_may_find_embargo ("\xE5\xA4\xAE\xE8\xA1\x8C\n\xE3\x80\x8C" "Embargo: 5 March 2026"));
  g_assert_true (desk_source_may_find_embargo ("\xE5\xA4\xAE\xE8\xA1\x8C\n\nEMBARGOED UNTIL 5 March 2026"));
  assert_embargo ("\xE5\xA4\xAE\xE8\xA1\x8C\n\xE3\x80\x80" "EMBARGOED UNTIL 10:00 WIB 5 March 2026\n\n\xE9\x9B\x85",
                  "2026-03-05T03:00:00Z", "WIB");
  /* Words in the story are not an embargo. */
  g_assert_null (desk_source_find_embargo ("Headline\n\nThe minister said the embargo until 2027 would hurt.",
                                           utc_zone, NULL, &hold));
  g_assert_false (hold);

  /* Bytes that are not UTF-8 at the top (a file in a legacy code page)
   * neither stop the reading nor send the matcher past the text's end. */
  assert_embargo ("\xfc\xff\xfe Wire\n\nEMBARGOED UNTIL 10:00 WIB 5 March 2026 \xff\n\nJAKARTA - ...",
                  "2026-03-05T03:00:00Z", "WIB");
  g_assert_null (desk_source_find_embargo ("\xfc<\xff\xff\xff\xff\xff\xff\xff\xff#", utc_zone, NULL, &hold));
}

/* ---- parsing ------------------------------------------------------------- */

static void
test_rss2_items_read_with_html_as_text (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskFeed) feed = desk_feed_parse (rss2, strlen (rss2), "rss2", &error);
  DeskFeedItem *a, *b;

  g_assert_no_error (error);
  g_assert_cmpint (feed->format, ==, DESK_FEED_FORMAT_RSS2);
  g_assert_cmpstr (feed->title, ==, "Antara Wire");
  g_assert_cmpuint (feed->items->len, ==, 2);
  a = g_ptr_array_index (feed->items, 0);
  g_assert_cmpstr (a->title, ==, "Bank Indonesia Raises Rate & Holds Outlook");
  g_assert_cmpstr (a->guid, ==, "wire-a");
  g_assert_cmpstr (a->link, ==, "https://wire.example/a");
  g_assert_cmpstr (a->author, ==, "Ana Putri");
  g_assert_cmpstr (a->text, ==, "JAKARTA – Bank Indonesia raised its policy rate on Thursday.\n\n"
                                "The bank said inflation\nhad eased.");
  g_assert_cmpint (a->published_at, ==, G_GINT64_CONSTANT (1772679600) * G_USEC_PER_SEC);
  b = g_ptr_array_index (feed->items, 1);
  g_assert_cmpstr (b->text, ==, "SURABAYA - The port opened its second container terminal.");
  g_assert_cmpint (b->published_at, ==, G_GINT64_CONSTANT (1772685000) * G_USEC_PER_SEC);
}

static void
test_rss1_and_atom_items_read (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskFeed) one = desk_feed_parse (rss1, strlen (rss1), "rss1", &error);
  g_autoptr(DeskFeed) at = NULL;
  DeskFeedItem *item;

  g_assert_no_error (error);
  g_assert_cmpint (one->format, ==, DESK_FEED_FORMAT_RSS1);
  g_assert_cmpstr (one->title, ==, "Old Wire");
  g_assert_cmpuint (one->items->len, ==, 1);
  item = g_ptr_array_index (one->items, 0);
  g_assert_cmpstr (item->guid, ==, "https://old.example/1");
  g_assert_cmpstr (item->title, ==, "Rail Line Extended");
  g_assert_cmpint (item->published_at, ==, G_GINT64_CONSTANT (1772698500) * G_USEC_PER_SEC);

  at = desk_feed_parse (atom, strlen (atom), "atom", &error);
  g_assert_no_error (error);
  g_assert_cmpint (at->format, ==, DESK_FEED_FORMAT_ATOM);
  item = g_ptr_array_index (at->items, 0);
  g_assert_cmpstr (item->title, ==, "Solar Farm Opens");
  g_assert_cmpstr (item->guid, ==, "urn:uuid:1");
  g_assert_cmpstr (item->link, ==, "https://atom.example/solar");
  g_assert_cmpstr (item->author, ==, "Budi");
  g_assert_cmpstr (item->text, ==, "BALI - A solar farm opened.\n\nIt powers ten thousand homes.");
}

/* Found by fuzz-feed: plain Atom text is tidied as HTML text is. */
static void
test_atom_plain_text_tidied (void)
{
  static const char feed[] =
    "<feed xmlns=\"http://www.w3.org/2005/Atom\"><entry><id>x</id><title>T</title>"
    "<content type=\"text\">First paragraph.   \n\n\n\n  Second paragraph.\n\n</content></entry></feed>";
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskFeed) parsed = desk_feed_parse (feed, strlen (feed), "atom", &error);

  g_assert_no_error (error);
  g_assert_cmpstr (((DeskFeedItem *) g_ptr_array_index (parsed->items, 0))->text, ==,
                   "First paragraph.\n\nSecond paragraph.");
}

static void
test_malformed_and_hostile_xml_refused (void)
{
  g_autoptr(GError) error = NULL;
  const char *broken = "<rss version=\"2.0\"><channel><item><title>x</channel></rss>";
  DeskFeed *feed;

  feed = desk_feed_parse (broken, strlen (broken), "https://x.example/broken", &error);
  g_assert_null (feed);
  g_assert_error (error, DESK_ERROR, DESK_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "https://x.example/broken is not well-formed XML: line 1"));
  g_clear_error (&error);

  feed = desk_feed_parse (xxe, strlen (xxe), "xxe.xml", &error);
  g_assert_null (feed);
  g_assert_error (error, DESK_ERROR, DESK_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "xxe.xml declares XML entities"));
  g_clear_error (&error);

  feed = desk_feed_parse (laughs, strlen (laughs), "laughs.xml", &error);
  g_assert_null (feed);
  g_assert_nonnull (strstr (error->message, "laughs.xml declares XML entities"));
  g_clear_error (&error);

  feed = desk_feed_parse ("<html><body>hi</body></html>", 28, "page", &error);
  g_assert_null (feed);
  g_assert_error (error, DESK_ERROR, DESK_ERROR_UNSUPPORTED_TYPE);
  g_assert_nonnull (strstr (error->message, "root element is <html>"));
}

/* Thousands of items, read ahead of the store on a thread of their own and
 * stored in batches: each item's outcome, release and error land in its
 * own place, in order; one without text fails alone; one seen before by
 * its id, and one by its content, are seen, not stored again. */
static void
test_many_items_each_in_its_place (Fixture       *f,
                                   gconstpointer  data)
{
  enum { N = 3000, NO_TEXT = 7, SAME_UID = 1500, SAME_TEXT = 2000 };
  g_autofree DeskSourceItem *items = g_new0 (DeskSourceItem, N);
  g_autofree gint64 *ids = g_new0 (gint64, N);
  g_autofree DeskIngestOutcome *outcomes = g_new0 (DeskIngestOutcome, N);
  g_autoptr(GPtrArray) errors = g_ptr_array_new ();
  g_autoptr(GPtrArray) strings = g_ptr_array_new_with_free_func (g_free);
  gint64 last = 0;
  guint failed;

  for (guint i = 0; i < N; i++)
    {
      char *uid = g_strdup_printf ("item-%u", i == SAME_UID ? 3 : i);
      char *link = g_strdup_printf ("https://example.org/item/%u", i == SAME_UID ? 3 : i);
      guint t = i == SAME_UID ? 3 : i == SAME_TEXT ? 10 : i;
      char *text = g_strdup_printf ("Perusahaan %u melaporkan hasil kuartal ketiga\n\n"
                                    "JAKARTA – Perusahaan nomor %u mengumumkan hari ini bahwa "
                                    "pendapatannya naik %u persen dibandingkan tahun lalu.\n\n"
                                    "Direktur utama mengatakan pertumbuhan itu datang dari pasar ekspor.\n",
                                    t, t, t % 97);

      g_ptr_array_add (strings, uid);
      g_ptr_array_add (strings, link);
      g_ptr_array_add (strings, text);
      items[i].kind = DESK_SOURCE_KIND_FEED;
      items[i].source_name = "Many";
      items[i].uid = uid;
      items[i].link = link;
      items[i].text = i == NO_TEXT ? NULL : text;
    }

  failed = desk_source_ingest_items (f->store, items, N, "tester", ids, outcomes, errors);
  g_assert_cmpuint (failed, ==, 1);
  g_assert_cmpuint (errors->len, ==, N);
  for (guint i = 0; i < N; i++)
    {
      GError *error = g_ptr_array_index (errors, i);

      if (i == NO_TEXT)
        {
          g_assert_nonnull (error);
          g_assert_true (strstr (error->message, "https://example.org/item/7") != NULL);
          g_assert_cmpint (ids[i], ==, 0);
          continue;
        }
      g_assert_no_error (error);
      if (i == SAME_UID || i == SAME_TEXT)
        {
          g_assert_cmpint (outcomes[i], ==, DESK_INGEST_SEEN);
          g_assert_cmpint (ids[i], ==, ids[i == SAME_UID ? 3 : 10]);
          continue;
        }
      /* New releases are numbered in the order the items came. */
      g_assert_cmpint (outcomes[i], ==, DESK_INGEST_NEW);
      g_assert_cmpint (ids[i], >, last);
      last = ids[i];
    }
  g_assert_cmpint (count (f, "SELECT count(*) FROM releases"), ==, N - 3);
  g_assert_cmpint (count (f, "SELECT count(*) FROM releases WHERE source_kind = 'feed' AND source = 'Many'"), ==, N - 3);
  g_assert_cmpint (count (f, "SELECT count(DISTINCT release_id) FROM source_items"), ==, N - 3);
  g_assert_cmpint (count (f, "SELECT count(*) FROM source_items WHERE key = 'uid:item-2000'"), ==, 1);
  g_error_free (g_ptr_array_index (errors, NO_TEXT));
}

/* ---- fetching ------------------------------------------------------------ */

static void
test_feed_items_stored_once_with_their_source (Fixture       *f,
                                               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 id = add_feed (f, "/rss2", "Antara");
  DeskIngestCounts counts = { 0 };

  g_assert_true (desk_feed_fetch (f->store, id, 900, 5, &counts, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (counts.new_items, ==, 2);
  g_assert_cmpint (count (f, "SELECT count(*) FROM releases WHERE source_kind = 'feed' AND source_name = 'Antara'"
                             " AND source = 'Antara'"), ==, 2);
  g_assert_cmpint (count (f, "SELECT count(*) FROM releases WHERE headline = 'Bank Indonesia Raises Rate & Holds Outlook'"), ==, 1);

  /* The server says 304 now: nothing read, nothing stored. */
  memset (&counts, 0, sizeof counts);
  g_assert_true (desk_feed_fetch (f->store, id, 900, 5, &counts, NULL, &error));
  g_assert_cmpuint (f->server->not_modified, ==, 1);
  g_assert_cmpuint (counts.new_items, ==, 0);
  g_assert_cmpint (count (f, "SELECT count(*) FROM releases"), ==, 2);

  /* A second feed carrying the same item (another URL): seen by content. */
  feed_server_serve (f->server, "/rss2-copy", rss2, -1);
  {
    gint64 copy = add_feed (f, "/rss2-copy", "Mirror");

    memset (&counts, 0, sizeof counts);
    g_assert_true (desk_feed_fetch (f->store, copy, 900, 5, &counts, NULL, &error));
    g_assert_cmpuint (counts.new_items, ==, 0);
    g_assert_cmpuint (counts.seen_items, ==, 2);
    g_assert_cmpint (count (f, "SELECT count(*) FROM releases"), ==, 2);
  }
}

static void
test_updated_item_becomes_a_revision (Fixture       *f,
                                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 id = add_feed (f, "/rss2", "Antara");
  g_autofree char *changed = NULL;
  DeskIngestCounts counts = { 0 };

  g_assert_true (desk_feed_fetch (f->store, id, 900, 5, &counts, NULL, &error));
  {
    g_auto(GStrv) parts = g_strsplit (rss2, "had eased.", 2);

    changed = g_strjoinv ("had eased to 2.1 percent.", parts);
  }
  feed_server_serve (f->server, "/rss2", changed, -1);
  memset (&counts, 0, sizeof counts);
  g_assert_true (desk_feed_fetch (f->store, id, 900, 5, &counts, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (counts.updated_items, ==, 1);
  g_assert_cmpuint (counts.new_items, ==, 0);
  g_assert_cmpint (count (f, "SELECT count(*) FROM releases"), ==, 2);
  g_assert_cmpint (count (f, "SELECT count(*) FROM revisions r JOIN releases s ON s.id = r.release_id"
                             " WHERE r.text LIKE '%2.1 percent%' AND s.source_uid IS NULL"), ==, 1);
}

/* An item sent again with its lines run otherwise is the same words: seen,
 * not a revision (its hash is its release's content hash); sent again
 * unchanged after it was kept with a hash of another kind (the SHA-256 of
 * its exact text, before), it makes no revision either. */
static void
test_rewrapped_item_is_seen (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 id = add_feed (f, "/rss2", "Antara");
  g_autofree char *rewrapped = NULL;
  DeskIngestCounts counts = { 0 };

  g_assert_true (desk_feed_fetch (f->store, id, 900, 5, &counts, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (counts.new_items, ==, 2);
  {
    g_auto(GStrv) parts = g_strsplit (rss2, "had eased.", 2);

    rewrapped = g_strjoinv ("had<br>eased.", parts);
  }
  feed_server_serve (f->server, "/rss2", rewrapped, -1);
  memset (&counts, 0, sizeof counts);
  g_assert_true (desk_feed_fetch (f->store, id, 900, 5, &counts, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (counts.seen_items, ==, 2);
  g_assert_cmpuint (counts.updated_items, ==, 0);
  g_assert_cmpint (count (f, "SELECT count(*) FROM revisions"), ==, 0);

  {
    sqlite3 *db = NULL;

    g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_exec (db, "UPDATE source_items SET item_hash = 'a hash of before';"
                                   "UPDATE feeds SET etag = NULL, last_modified = NULL", NULL, NULL, NULL), ==, SQLITE_OK);
    sqlite3_close (db);
  }
  feed_server_serve (f->server, "/rss2", rss2, -1);
  memset (&counts, 0, sizeof counts);
  g_assert_true (desk_feed_fetch (f->store, id, 900, 5, &counts, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (counts.seen_items, ==, 2);
  g_assert_cmpint (count (f, "SELECT count(*) FROM revisions"), ==, 0);
}

static void
test_rss1_atom_gzip_and_one_redirect (Fixture       *f,
                                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  DeskIngestCounts counts = { 0 };

  f->server->gzip = TRUE;
  g_assert_true (desk_feed_fetch (f->store, add_feed (f, "/rss1", "Old"), 900, 5, &counts, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (desk_feed_fetch (f->store, add_feed (f, "/atom", "Atom"), 900, 5, &counts, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (desk_feed_fetch (f->store, add_feed (f, "/chain/2", "Moved"), 900, 5, &counts, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (counts.new_items, ==, 4);
  g_assert_cmpint (count (f, "SELECT count(*) FROM releases WHERE headline = 'Solar Farm Opens'"), ==, 1);
}

static void
assert_fetch_fails (Fixture    *f,
                    const char *path,
                    const char *expected)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_strdup_printf ("feed%s", path);
  gint64 id = add_feed (f, path, name);
  g_autoptr(DeskFeedInfo) info = NULL;
  gint64 before = g_get_real_time ();

  g_assert_false (desk_feed_fetch (f->store, id, 900, 1, NULL, NULL, &error));
  g_assert_nonnull (error);
  if (strstr (error->message, expected) == NULL)
    g_error ("“%s” does not say “%s”", error->message, expected);
  /* Named once, with the feed, and kept for the window and the list. */
  g_assert_nonnull (strstr (error->message, name));
  info = desk_feed_find (f->store, name, NULL);
  g_assert_nonnull (info->last_error);
  g_assert_nonnull (strstr (info->last_error, expected));
  g_assert_cmpuint (info->failures, ==, 1);
  g_assert_cmpint (info->next_fetch_at, >, before);
}

static void
test_failing_feeds_say_which_and_why (Fixture       *f,
                                      gconstpointer  data)
{
  assert_fetch_fails (f, "/broken", "not well-formed XML");
  assert_fetch_fails (f, "/xxe", "declares XML entities");
  assert_fetch_fails (f, "/laughs", "declares XML entities");
  assert_fetch_fails (f, "/loop-a", "redirects in a loop");
  assert_fetch_fails (f, "/chain/9", "redirects more than 5 times");
  assert_fetch_fails (f, "/missing", "answered 404");
  /* A server that takes the request and never answers: the fetch gives
   * up after its timeout, whatever the server does. */
  assert_fetch_fails (f, "/hang", "did not answer within 1 seconds");
  g_assert_cmpint (count (f, "SELECT count(*) FROM releases"), ==, 0);
}

static void
test_failing_feed_backs_off (Fixture       *f,
                             gconstpointer  data)
{
  gint64 id = add_feed (f, "/missing", "Gone");
  gint64 gaps[3];

  for (guint i = 0; i < G_N_ELEMENTS (gaps); i++)
    {
      g_autoptr(DeskFeedInfo) info = NULL;
      gint64 before = g_get_real_time ();

      g_assert_false (desk_feed_fetch (f->store, id, 60, 1, NULL, NULL, NULL));
      info = desk_feed_find (f->store, "Gone", NULL);
      gaps[i] = info->next_fetch_at - before;
    }
  /* Each failure waits about twice as long as the one before. */
  g_assert_cmpint (gaps[1], >, gaps[0] * 3 / 2);
  g_assert_cmpint (gaps[2], >, gaps[1] * 3 / 2);
}

static void
test_fifty_megabyte_feed (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *big = make_feed (2500, 20 * 1024, "");
  DeskIngestCounts counts = { 0 };

  g_assert_cmpuint (strlen (big), >, 50 * 1000 * 1000);
  feed_server_serve (f->server, "/big", big, -1);
  g_assert_true (desk_feed_fetch (f->store, add_feed (f, "/big", "Big"), 900, 30, &counts, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (counts.new_items, ==, 2500);
  g_assert_cmpint (count (f, "SELECT count(*) FROM releases"), ==, 2500);
}

/* ---- embargoes in the outbox --------------------------------------------- */

static void
test_embargoed_release_waits_in_the_outbox (Fixture       *f,
                                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) later = g_date_time_add_hours (now, 5);
  g_autoptr(GTimeZone) wib = g_time_zone_new_identifier ("+07:00");
  g_autoptr(GDateTime) later_wib = g_date_time_to_timezone (later, wib);
  g_autofree char *stamp = g_date_time_format (later_wib, "%H:%M WIB %d %B %Y");
  g_autofree char *text = g_strdup_printf ("Minister Opens Dam\n\nEMBARGOED UNTIL %s\n\n"
                                           "MALANG - The minister opened the dam on Monday.\n", stamp);
  DeskSourceItem item = { DESK_SOURCE_KIND_FOLDER, "/inbox", NULL, NULL, NULL, text, NULL, NULL, 0, NULL };
  g_autoptr(DeskOutboxJob) job = NULL;
  g_autoptr(GDateTime) embargo = NULL;
  g_autofree char *zone = NULL;
  g_autoptr(DeskApprovedCopy) copy = NULL;
  g_autofree char *ninjs = NULL;
  gint64 id, job_id;

  id = desk_source_ingest_item (f->store, &item, "Ana", NULL, &error);
  g_assert_no_error (error);
  g_assert_true (desk_source_get_embargo (f->store, id, &embargo, &zone, &error));
  g_assert_cmpstr (zone, ==, "WIB");
  g_assert_cmpint (g_date_time_get_utc_offset (embargo), ==, 7 * G_TIME_SPAN_HOUR);
  g_assert_cmpint (g_date_time_to_unix (embargo) / 60, ==, g_date_time_to_unix (later) / 60);

  /* `show` says it, in the zone it was stated in. */
  {
    g_autofree char *id_text = g_strdup_printf ("%" G_GINT64_FORMAT, id);
    const char *argv[] = { g_getenv ("COPYDESK_CLI"), "show", id_text, "--database", f->path, NULL };
    g_autofree char *out = NULL;
    int status;

    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                                 &out, NULL, &status, &error));
    g_assert_true (g_spawn_check_wait_status (status, NULL));
    g_assert_nonnull (strstr (out, "Embargo:     "));
    g_assert_nonnull (strstr (out, " WIB (UTC+07:00)"));
  }

  /* Approval is allowed. */
  desk_test_approve (f->store, id);
  copy = desk_approved_copy_load (f->store, id, &error);
  g_assert_no_error (error);
  ninjs = desk_export_render (copy, DESK_EXPORT_NINJS);
  g_assert_nonnull (strstr (ninjs, "\"embargoed\" : \""));
  g_assert_nonnull (strstr (ninjs, "+07:00\""));

  /* Publishing waits for the embargo. */
  job_id = desk_store_publish (f->store, id, 1, "Ana", &error);
  g_assert_no_error (error);
  job = desk_store_get_job (f->store, job_id, &error);
  g_assert_cmpint (job->next_try_at / G_USEC_PER_SEC, ==, g_date_time_to_unix (embargo));
  g_assert_false (desk_store_job_begin_attempt (f->store, job_id, "me", g_get_real_time () + G_USEC_PER_SEC,
                                                NULL, &error));
  g_clear_error (&error);

  /* Even a job made due by hand does not go before the embargo. */
  {
    g_autofree char *sql = g_strdup_printf ("UPDATE outbox SET next_try_at = 0 WHERE id = %" G_GINT64_FORMAT, job_id);

    g_assert_cmpint (sqlite3_exec (_desk_store_get_db (f->store), sql, NULL, NULL, NULL), ==, SQLITE_OK);
  }
  g_assert_false (desk_store_job_begin_attempt (f->store, job_id, "me", g_get_real_time () + G_USEC_PER_SEC,
                                                NULL, &error));
  g_clear_error (&error);

  /* Lifted: it goes at once. */
  g_assert_true (desk_source_set_embargo (f->store, id, NULL, NULL, &error));
  g_assert_true (desk_store_job_begin_attempt (f->store, job_id, "me", g_get_real_time () + G_USEC_PER_SEC,
                                               NULL, &error));
  g_assert_no_error (error);
}

/* ---- the watched folder -------------------------------------------------- */

typedef struct {
  char  *path;
  guint  chunks;
} SlowWriter;

static gpointer
write_slowly (gpointer data)
{
  SlowWriter *writer = data;
  FILE *out = fopen (writer->path, "w");

  g_assert_nonnull (out);
  fprintf (out, "Slowly Written Release\n\nJAKARTA - ");
  for (guint i = 0; i < writer->chunks; i++)
    {
      fprintf (out, "Part %u of the story arrives. ", i);
      fflush (out);
      g_usleep (G_USEC_PER_SEC / 10);
    }
  fprintf (out, "The end.\n");
  fclose (out);
  return NULL;
}

static void
on_ingested (DeskIngest *ingest,
             const char *label,
             guint       new_items,
             guint       updated_items,
             guint       failed_items,
             guint      *total)
{
  *total += new_items;
}

static void
test_folder_file_written_slowly_read_whole (Fixture       *f,
                                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *inbox = g_build_filename (f->dir, "inbox", NULL);
  g_autoptr(DeskIngest) ingest = desk_ingest_new (f->path);
  g_autoptr(DeskIngestSource) source = NULL;
  SlowWriter writer = { NULL, 15 };
  GThread *thread;
  guint total = 0;

  g_assert_cmpint (g_mkdir (inbox, 0700), ==, 0);
  writer.path = g_build_filename (inbox, "slow.txt", NULL);
  source = desk_folder_source_new (inbox);
  g_assert_true (desk_folder_source_watch (DESK_FOLDER_SOURCE (source), &error));
  desk_ingest_add_source (ingest, source);
  g_signal_connect (ingest, "ingested", G_CALLBACK (on_ingested), &total);
  desk_ingest_start (ingest);

  thread = g_thread_new ("writer", write_slowly, &writer);
  while (total < 1)
    g_main_context_iteration (NULL, TRUE);
  g_thread_join (thread);
  desk_ingest_stop (ingest);

  g_assert_cmpint (count (f, "SELECT count(*) FROM releases"), ==, 1);
  {
    g_autoptr(DeskStore) store = desk_store_open (f->path, &error);
    g_autoptr(GPtrArray) releases = desk_store_list_releases (store, NULL, &error);
    DeskRelease *release = g_ptr_array_index (releases, 0);
    g_autoptr(DeskRelease) full = desk_store_get_release (store, desk_release_get_id (release), &error);

    g_assert_true (g_str_has_suffix (desk_release_get_original (full), "Part 14 of the story arrives. The end.\n"));
  }
  g_assert_cmpint (count (f, "SELECT count(*) FROM releases WHERE source_kind = 'folder'"), ==, 1);
  g_free (writer.path);
}

static void
test_folder_file_read_once_across_restarts (Fixture       *f,
                                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *inbox = g_build_filename (f->dir, "inbox", NULL);
  g_autofree char *file = g_build_filename (inbox, "a.txt", NULL);
  g_autofree char *mail = g_build_filename (inbox, "b.doc", NULL);

  g_assert_cmpint (g_mkdir (inbox, 0700), ==, 0);
  g_assert_true (g_file_set_contents (file, "Dam Opens\n\nMALANG - The dam opened.\n", -1, &error));
  g_assert_true (g_file_set_contents (mail, "not a release\n", -1, &error));
  {
    /* As a scan at start finds it: written a while ago. */
    g_autoptr(GFile) gfile = g_file_new_for_path (file);
    g_autoptr(GFile) gmail = g_file_new_for_path (mail);
    guint64 past = (guint64) (g_get_real_time () / G_USEC_PER_SEC - 60);

    g_file_set_attribute_uint64 (gfile, G_FILE_ATTRIBUTE_TIME_MODIFIED, past, 0, NULL, &error);
    g_assert_no_error (error);
    g_file_set_attribute_uint64 (gmail, G_FILE_ATTRIBUTE_TIME_MODIFIED, past, 0, NULL, &error);
    g_assert_no_error (error);
  }

  for (guint run = 0; run < 2; run++)
    {
      g_autoptr(DeskIngestSource) source = desk_folder_source_new (inbox);
      DeskIngestCounts counts = { 0 };

      g_assert_true (desk_ingest_source_poll (source, f->store, &counts, NULL, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (counts.new_items, ==, run == 0 ? 1 : 0);
      /* the file that is not a release is noted once, not at every look */
      g_assert_cmpuint (counts.failed_items, ==, run == 0 ? 1 : 0);
    }
  g_assert_cmpint (count (f, "SELECT count(*) FROM releases"), ==, 1);
  g_assert_cmpint (count (f, "SELECT count(*) FROM seen_files WHERE note LIKE 'not a release file%'"), ==, 1);
}

/* ---- processes ----------------------------------------------------------- */

static void
write_inbox (const char *inbox,
             guint       n)
{
  guint64 past = (guint64) (g_get_real_time () / G_USEC_PER_SEC - 60);

  g_assert_cmpint (g_mkdir_with_parents (inbox, 0700), ==, 0);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *name = g_strdup_printf ("%s/release-%04u.txt", inbox, i);
      g_autofree char *text = g_strdup_printf ("Release Number %u\n\nJAKARTA - This is release %u of the inbox, "
                                               "with a sentence of its own: %u.\n", i, i, i * 7919);
      g_autoptr(GFile) file = g_file_new_for_path (name);

      g_assert_true (g_file_set_contents (name, text, -1, NULL));
      g_file_set_attribute_uint64 (file, G_FILE_ATTRIBUTE_TIME_MODIFIED, past, 0, NULL, NULL);
    }
}

/* A CLI the test started ends with the test, even one that failed an
 * assertion before it could stop it. */
static void
stop_with_parent (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

static GPid
spawn_cli (const char * const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  GPid pid;

  g_ptr_array_add (argv, (gpointer) g_getenv ("COPYDESK_CLI"));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  g_assert_true (g_spawn_async (NULL, (char **) argv->pdata, NULL,
                                G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                                stop_with_parent, NULL, &pid, &error));
  g_assert_no_error (error);
  return pid;
}

static int
wait_for (GPid pid)
{
  int status = 0;

  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_spawn_close_pid (pid);
  return status;
}

static void
test_kill_during_ingest_loses_and_doubles_nothing (Fixture       *f,
                                                   gconstpointer  data)
{
  g_autofree char *inbox = g_build_filename (f->dir, "inbox", NULL);
  const char *args[] = { "ingest", "--no-feeds", "--folder", inbox, "--database", f->path, NULL };
  const guint n = 400;

  g_clear_object (&f->store);
  write_inbox (inbox, n);

  /* Killed at random moments, then run to the end. */
  for (guint round = 0; round < 6; round++)
    {
      GPid pid = spawn_cli (args);

      g_usleep (g_random_int_range (50, 600) * 1000);
      kill (pid, SIGKILL);
      wait_for (pid);
    }
  g_assert_true (WIFEXITED (wait_for (spawn_cli (args))));

  g_assert_cmpint (count (f, "SELECT count(*) FROM releases"), ==, n);
  g_assert_cmpint (count (f, "SELECT count(DISTINCT content_hash) FROM releases"), ==, n);
  g_assert_cmpint (count (f, "SELECT count(*) FROM seen_files"), ==, n);
  g_assert_cmpint (count (f, "SELECT count(*) FROM pragma_integrity_check WHERE integrity_check = 'ok'"), ==, 1);
}

static void
test_two_processes_ingest_each_item_once (Fixture       *f,
                                          gconstpointer  data)
{
  g_autofree char *inbox = g_build_filename (f->dir, "inbox", NULL);
  g_autofree char *big = make_feed (300, 600, "twice");
  const char *folder_args[] = { "ingest", "--no-feeds", "--folder", inbox, "--database", f->path, NULL };
  const char *feed_args[] = { "feed", "fetch", "--database", f->path, NULL };
  GPid pids[4];

  add_feed (f, "/twice", "Twice");
  feed_server_serve (f->server, "/twice", big, -1);
  g_clear_object (&f->store);
  write_inbox (inbox, 300);

  pids[0] = spawn_cli (folder_args);
  pids[1] = spawn_cli (feed_args);
  pids[2] = spawn_cli (folder_args);
  pids[3] = spawn_cli (feed_args);
  for (guint i = 0; i < G_N_ELEMENTS (pids); i++)
    {
      int status = wait_for (pids[i]);

      g_assert_true (WIFEXITED (status));
      g_assert_cmpint (WEXITSTATUS (status), ==, 0);
    }
  g_assert_cmpint (count (f, "SELECT count(*) FROM releases WHERE source_kind = 'folder'"), ==, 300);
  g_assert_cmpint (count (f, "SELECT count(*) FROM releases WHERE source_kind = 'feed'"), ==, 300);
  g_assert_cmpint (count (f, "SELECT count(*) FROM releases"), ==, 600);
}

static void
test_watch_stops_on_sigterm (Fixture       *f,
                             gconstpointer  data)
{
  g_autofree char *inbox = g_build_filename (f->dir, "inbox", NULL);
  const char *args[] = { "ingest", "--watch", "--no-feeds", "--folder", inbox, "--database", f->path, NULL };
  GPid pid;
  int status;

  g_clear_object (&f->store);
  write_inbox (inbox, 50);
  pid = spawn_cli (args);
  /* Wait until it has read the folder, then stop it. */
  while (desk_test_sql_int (f->path, "SELECT count(*) FROM seen_files") < 50)
    g_usleep (G_USEC_PER_SEC / 20);
  kill (pid, SIGTERM);
  status = wait_for (pid);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);
  g_assert_cmpint (count (f, "SELECT count(*) FROM releases"), ==, 50);
}

static void
test_cli_manages_feeds (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *url = feed_server_url (f->server, "/rss2");
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int status;
  const char *cli = g_getenv ("COPYDESK_CLI");

  g_clear_object (&f->store);
  {
    const char *argv[] = { cli, "feed", "add", url, "--name", "Antara", "--database", f->path, NULL };

    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, 0, NULL, NULL, &out, &err, &status, &error));
    g_assert_true (g_spawn_check_wait_status (status, NULL));
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
  }
  {
    const char *argv[] = { cli, "feed", "add", "ftp://x.example/feed", "--database", f->path, NULL };

    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, 0, NULL, NULL, &out, &err, &status, &error));
    g_assert_false (g_spawn_check_wait_status (status, NULL));
    g_assert_nonnull (strstr (err, "“ftp://x.example/feed” is not a feed address"));
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
  }
  {
    const char *argv[] = { cli, "feed", "fetch", "Antara", "--database", f->path, NULL };

    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, 0, NULL, NULL, &out, &err, &status, &error));
    g_assert_true (g_spawn_check_wait_status (status, NULL));
    g_assert_nonnull (strstr (out, "Antara: 2 new"));
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
  }
  {
    const char *argv[] = { cli, "feed", "list", "--database", f->path, NULL };

    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, 0, NULL, NULL, &out, &err, &status, &error));
    g_assert_true (g_spawn_check_wait_status (status, NULL));
    g_assert_nonnull (strstr (out, "Antara"));
    g_assert_nonnull (strstr (out, url));
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
  }
  {
    const char *argv[] = { cli, "feed", "remove", "Antara", "--database", f->path, NULL };

    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, 0, NULL, NULL, &out, &err, &status, &error));
    g_assert_true (g_spawn_check_wait_status (status, NULL));
  }
  g_assert_cmpint (count (f, "SELECT count(*) FROM feeds"), ==, 0);
  g_assert_cmpint (count (f, "SELECT count(*) FROM releases"), ==, 2);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ingest/dates/as-feeds-write-them", test_dates_as_feeds_write_them);
  g_test_add_func ("/ingest/embargo/read-from-the-top", test_embargoes_read_from_the_top);
  g_test_add_func ("/ingest/feed/rss2-items-read-with-html-as-text", test_rss2_items_read_with_html_as_text);
  g_test_add_func ("/ingest/feed/rss1-and-atom-items-read", test_rss1_and_atom_items_read);
  g_test_add_func ("/ingest/feed/atom-plain-text-tidied", test_atom_plain_text_tidied);
  g_test_add_func ("/ingest/feed/malformed-and-hostile-xml-refused", test_malformed_and_hostile_xml_refused);
#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/ingest/items/many-each-in-its-place", test_many_items_each_in_its_place);
  ADD ("/ingest/fetch/items-stored-once-with-their-source", test_feed_items_stored_once_with_their_source);
  ADD ("/ingest/fetch/updated-item-becomes-a-revision", test_updated_item_becomes_a_revision);
  ADD ("/ingest/fetch/rewrapped-item-is-seen", test_rewrapped_item_is_seen);
  ADD ("/ingest/fetch/rss1-atom-gzip-and-one-redirect", test_rss1_atom_gzip_and_one_redirect);
  ADD ("/ingest/fetch/failing-feeds-say-which-and-why", test_failing_feeds_say_which_and_why);
  ADD ("/ingest/fetch/failing-feed-backs-off", test_failing_feed_backs_off);
  ADD ("/ingest/fetch/fifty-megabyte-feed", test_fifty_megabyte_feed);
  ADD ("/ingest/embargo/release-waits-in-the-outbox", test_embargoed_release_waits_in_the_outbox);
  ADD ("/ingest/folder/file-written-slowly-read-whole", test_folder_file_written_slowly_read_whole);
  ADD ("/ingest/folder/file-read-once-across-restarts", test_folder_file_read_once_across_restarts);
  ADD ("/ingest/process/kill-during-ingest-loses-and-doubles-nothing", test_kill_during_ingest_loses_and_doubles_nothing);
  ADD ("/ingest/process/two-processes-ingest-each-item-once", test_two_processes_ingest_each_item_once);
  ADD ("/ingest/process/watch-stops-on-sigterm", test_watch_stops_on_sigterm);
  ADD ("/ingest/cli/manages-feeds", test_cli_manages_feeds);
#undef ADD

  return g_test_run ();
}
