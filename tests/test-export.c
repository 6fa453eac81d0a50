/* test-export.c — approved copy as text, Markdown, HTML and ninjs files
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>
#include <sqlite3.h>
#include <json-glib/json-glib.h>

#include "desk-error.h"
#include "desk-export.h"
#include "desk-test-util.h"

typedef struct {
  char      *dir;
  char      *path;
  char      *out;
  DeskStore *store;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("copydesk-export-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "desk.db", NULL);
  fixture->out = g_build_filename (fixture->dir, "out", NULL);
  fixture->store = desk_store_open (fixture->path, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->store);
  desk_test_remove_tree (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->out);
  g_free (fixture->dir);
}

static char *
export_file (Fixture          *fixture,
             gint64            id,
             DeskExportFormat  format,
             char            **out_path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = desk_export_to_folder (fixture->store, id, format, fixture->out, &error);
  char *contents = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (path);
  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_utf8_validate (contents, -1, NULL));
  if (out_path != NULL)
    *out_path = g_steal_pointer (&path);
  return contents;
}

static char *
approved_text (DeskStore *store,
               gint64     id)
{
  g_autoptr(DeskRelease) release = desk_store_get_release (store, id, NULL);
  g_autoptr(DeskRevision) revision = desk_store_get_revision (store, desk_release_get_approved_revision_id (release), NULL);

  return g_strdup (revision->text);
}

static void
test_unapproved_copy_is_refused (Fixture       *fixture,
                                 gconstpointer  data)
{
  gint64 id = desk_test_add_seed (fixture->store);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = desk_export_to_folder (fixture->store, id, DESK_EXPORT_HTML, fixture->out, &error);

  g_assert_null (path);
  g_assert_error (error, DESK_ERROR, DESK_ERROR_NOT_APPROVED);
  g_assert_nonnull (strstr (error->message, "not approved"));
  g_assert_false (g_file_test (fixture->out, G_FILE_TEST_EXISTS));
  g_clear_error (&error);

  /* Edited after approval: back in review, and refused again. */
  desk_test_approve (fixture->store, id);
  g_assert_true (desk_store_save_revision (fixture->store, id, NULL, "Changed after approval.\n", "Ana", NULL, &error));
  g_assert_null (desk_approved_copy_load (fixture->store, id, &error));
  g_assert_error (error, DESK_ERROR, DESK_ERROR_NOT_APPROVED);
}

static void
test_text_that_differs_from_its_approval_is_refused (Fixture       *fixture,
                                                     gconstpointer  data)
{
  gint64 id = desk_test_add_approved (fixture->store, "Harbour reopens", "The harbour reopened on Monday.");
  g_autoptr(GError) error = NULL;
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (fixture->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "UPDATE revisions SET text = text || 'Smuggled in.'", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  g_assert_null (desk_approved_copy_load (fixture->store, id, &error));
  g_assert_error (error, DESK_ERROR, DESK_ERROR_NOT_AS_APPROVED);
  g_assert_nonnull (strstr (error->message, "SHA-256"));
}

static void
test_text_export_ends_with_the_approved_text_byte_for_byte (Fixture       *fixture,
                                                            gconstpointer  data)
{
  gint64 id = desk_test_add_approved (fixture->store, "Harbour reopens",
                                      "The harbour reopened on Monday.\n  Ships  queue   outside. \n");
  g_autofree char *approved = approved_text (fixture->store, id);
  g_autofree char *text = export_file (fixture, id, DESK_EXPORT_TEXT, NULL);
  g_autofree char *ninjs = export_file (fixture, id, DESK_EXPORT_NINJS, NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonArray *bodies;

  g_assert_true (g_str_has_suffix (text, approved));
  g_assert_true (g_str_has_prefix (text, "Harbour reopens\n"));

  json_parser_load_from_data (parser, ninjs, -1, &error);
  g_assert_no_error (error);
  bodies = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "bodies");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (bodies, 0), "contenttype"), ==, "text/plain");
  /* The body after the headline line, to the approved text's last byte:
   * ninjs carries the headline in headlines[], never twice. */
  g_assert_true (g_str_has_prefix (approved, "Harbour reopens\n"));
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (bodies, 0), "value"), ==,
                   approved + strlen ("Harbour reopens\n"));
}

static void
test_html_escapes_everything (Fixture       *fixture,
                              gconstpointer  data)
{
  gint64 id = desk_test_add_approved (fixture->store, "Tom & Jerry <script>alert(1)</script>",
                                      "Prices rose 5% <b>fast</b> & \"loud\".\n<script>alert('x')</script>");
  g_autofree char *html = export_file (fixture, id, DESK_EXPORT_HTML, NULL);

  g_assert_null (strstr (html, "<script"));
  g_assert_null (strstr (html, "<b>"));
  g_assert_nonnull (strstr (html, "<h1>Tom &amp; Jerry &lt;script&gt;alert(1)&lt;/script&gt;</h1>"));
  g_assert_nonnull (strstr (html, "<p>&lt;script&gt;alert(&apos;x&apos;)&lt;/script&gt;</p>"));
  g_assert_nonnull (strstr (html, "<p>Prices rose 5% &lt;b&gt;fast&lt;/b&gt; &amp; &quot;loud&quot;.</p>"));
  g_assert_nonnull (strstr (html, "<meta charset=\"utf-8\">"));
  /* The headline is not repeated as a paragraph. */
  g_assert_null (strstr (html, "<p>Tom"));
}

static void
test_markdown_escapes_what_it_would_read_as_markup (Fixture       *fixture,
                                                    gconstpointer  data)
{
  gint64 id = desk_test_add_approved (fixture->store, "# Not a *heading* [link](x)",
                                      "1. Not a list, and _not_ emphasis `code` <em>html</em>\n- nor a bullet\n> nor a quote");
  g_autofree char *md = export_file (fixture, id, DESK_EXPORT_MARKDOWN, NULL);

  g_assert_true (g_str_has_prefix (md, "# \\# Not a \\*heading\\* \\[link\\]\\(x\\)\n\n"));
  g_assert_nonnull (strstr (md, "\n1\\. Not a list, and \\_not\\_ emphasis \\`code\\` \\<em\\>html\\</em\\>\n"));
  g_assert_nonnull (strstr (md, "\n\\- nor a bullet\n"));
  g_assert_nonnull (strstr (md, "\n\\> nor a quote\n"));
}

static void
test_files_are_named_by_date_and_slug_and_never_clash (Fixture       *fixture,
                                                       gconstpointer  data)
{
  gint64 a = desk_test_add_approved (fixture->store, "Überraschung in Köln: Café öffnet!", "Erster Absatz.");
  gint64 b = desk_test_add_approved (fixture->store, "Überraschung in Köln: Café öffnet!", "Ein anderer Text.");
  gint64 c = desk_test_add_approved (fixture->store, "東京で新製品を発表", "本文。");
  g_autofree char *long_headline = g_strnfill (200, 'a');
  g_autofree char *pa = NULL, *pb = NULL, *pc = NULL, *again = NULL;
  g_autofree char *ta = export_file (fixture, a, DESK_EXPORT_HTML, &pa);
  g_autofree char *tb = export_file (fixture, b, DESK_EXPORT_HTML, &pb);
  g_autofree char *tc = export_file (fixture, c, DESK_EXPORT_HTML, &pc);
  g_autofree char *ta2 = export_file (fixture, a, DESK_EXPORT_HTML, &again);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");
  g_autofree char *name_a = g_path_get_basename (pa);
  g_autofree char *name_b = g_path_get_basename (pb);
  g_autofree char *name_c = g_path_get_basename (pc);
  g_autofree char *want_a = g_strdup_printf ("%s-uberraschung-in-koln-cafe-offnet.html", today);
  g_autofree char *want_b = g_strdup_printf ("%s-uberraschung-in-koln-cafe-offnet-2.html", today);
  g_autofree char *want_c = g_strdup_printf ("%s-release-%" G_GINT64_FORMAT ".html", today, c);
  g_autofree char *slug = desk_slug_from_headline (long_headline, DESK_SLUG_MAX);
  g_autofree char *words = desk_slug_from_headline ("Europe's  biggest -- harbour, again", 20);

  g_assert_cmpstr (name_a, ==, want_a);
  g_assert_cmpstr (name_b, ==, want_b);
  g_assert_cmpstr (name_c, ==, want_c);
  /* Exporting the same copy again finds its own file. */
  g_assert_cmpstr (again, ==, pa);
  g_assert_cmpuint (strlen (slug), ==, DESK_SLUG_MAX);
  g_assert_cmpstr (words, ==, "europes-biggest");
}

/* A headline in another script is named in Latin letters, as its readers
 * would spell it: the slug of the post and the file name of the export
 * say what the story is, not only its number. */
static void
test_slugs_are_transliterated_from_other_scripts (Fixture       *fixture,
                                                  gconstpointer  data)
{
  static const struct { const char *headline, *slug; } cases[] = {
    { "北京举行2026年新闻发布会", "bei-jing-ju-xing-2026-nian-xin-wen-fa-bu-hui" },
    { "比亚迪（BYD）发布新车型", "bi-ya-di-byd-fa-bu-xin-che-xing" },
    { "臺北市政府公告", "tai-bei-shi-zheng-fu-gong-gao" },
    { "삼성전자, 신제품 공개", "samseongjeonja-sinjepum-gong-gae" },
    { "Москва объявила новые меры", "moskva-obavila-novye-mery" },
    { "Ελλάδα: νέα μέτρα", "ellada-nea-metra" },
    { "Київ відкрив міст", "kiiv-vidkriv-mist" },
    /* ICU would read kanji as Chinese: a Japanese headline keeps only
     * what is Latin in it, and the number names the rest. */
    { "トヨタ、新型EVを発表", "ev" },
  };
  gint64 id = desk_test_add_approved (fixture->store, "北京举行新闻发布会", "正文。");
  g_autofree char *path = NULL;
  g_autofree char *text = export_file (fixture, id, DESK_EXPORT_TEXT, &path);
  g_autofree char *name = g_path_get_basename (path);

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *slug = desk_slug_from_headline (cases[i].headline, DESK_SLUG_MAX);

      g_assert_cmpstr (slug, ==, cases[i].slug);
    }
  g_assert_true (g_str_has_suffix (name, "-bei-jing-ju-xing-xin-wen-fa-bu-hui.txt"));
}

static void
test_seed_goes_out_with_its_disclosure (Fixture       *fixture,
                                        gconstpointer  data)
{
  gint64 id = desk_test_add_seed (fixture->store);
  g_autoptr(DeskApprovedCopy) copy = NULL;
  g_autofree char *html = NULL, *md = NULL, *txt = NULL, *ninjs = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *item;
  JsonArray *genres;
  JsonArray *descriptions;
  gboolean disclosed = FALSE;
  const char *label;

  desk_test_approve (fixture->store, id);
  copy = desk_approved_copy_load (fixture->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (copy->disclosure, ==, DESK_VERDICT_THIRD_PARTY);
  label = copy->disclosure_label;
  g_assert_cmpstr (label, ==, "Konten bersponsor");

  html = export_file (fixture, id, DESK_EXPORT_HTML, NULL);
  md = export_file (fixture, id, DESK_EXPORT_MARKDOWN, NULL);
  txt = export_file (fixture, id, DESK_EXPORT_TEXT, NULL);
  ninjs = export_file (fixture, id, DESK_EXPORT_NINJS, NULL);

  g_assert_nonnull (strstr (html, "<p class=\"disclosure\"><strong>Konten bersponsor</strong></p>\n<h1>Moskow"));
  g_assert_true (g_str_has_prefix (md, "**Konten bersponsor**\n\n# Moskow konfirmasi"));
  g_assert_true (g_str_has_prefix (txt, "Konten bersponsor\n\nMoskow konfirmasi"));

  json_parser_load_from_data (parser, ninjs, -1, &error);
  g_assert_no_error (error);
  item = json_node_get_object (json_parser_get_root (parser));
  genres = json_object_get_array_member (item, "genres");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (genres, 0), "uri"), ==,
                   DESK_GENRE_PRESS_RELEASE);
  descriptions = json_object_get_array_member (item, "descriptions");
  for (guint i = 0; i < json_array_get_length (descriptions); i++)
    if (g_strcmp0 (json_object_get_string_member (json_array_get_object_element (descriptions, i), "role"), "disclosure") == 0)
      disclosed = TRUE;
  g_assert_true (disclosed);
  g_assert_cmpstr (json_object_get_string_member (item, "language"), ==, "id");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (json_object_get_array_member (item, "infosources"), 0), "name"), ==, "SeaPRwire");

  /* The editor's decision wins: marked sponsored, it is Sponsored. */
  g_assert_true (desk_store_set_sponsor_decision (fixture->store, id, DESK_SPONSOR_DECISION_NOT_SPONSORED,
                                                  "Our own reporting", "Ana", &error));
  g_clear_pointer (&copy, desk_approved_copy_free);
  copy = desk_approved_copy_load (fixture->store, id, &error);
  g_assert_cmpint (copy->disclosure, ==, DESK_VERDICT_NONE);
  g_assert_null (copy->disclosure_label);
}

static void
test_editor_marked_sponsored_copy_has_the_sponsored_genre (Fixture       *fixture,
                                                           gconstpointer  data)
{
  gint64 id = desk_test_add_approved (fixture->store, "A fine watch", "Paid for by the maker.");
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskApprovedCopy) copy = NULL;
  g_autofree char *ninjs = NULL;

  g_assert_true (desk_store_set_sponsor_decision (fixture->store, id, DESK_SPONSOR_DECISION_SPONSORED,
                                                  "Advertiser paid", "Ana", &error));
  copy = desk_approved_copy_load (fixture->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (copy->disclosure, ==, DESK_VERDICT_SPONSORED);
  ninjs = desk_export_render (copy, DESK_EXPORT_NINJS);
  g_assert_nonnull (strstr (ninjs, DESK_GENRE_SPONSORED));
  g_assert_nonnull (strstr (ninjs, "Sponsored content"));
}

/* The list, the command line and the export follow one rule: the seed,
 * which the detector found to be third-party content, marked sponsored by
 * the editor is confirmed as third-party content everywhere. */
static void
test_third_party_copy_marked_sponsored_is_labelled_as_the_list_shows_it (Fixture       *fixture,
                                                                         gconstpointer  data)
{
  gint64 id = desk_test_add_seed (fixture->store);
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskRelease) release = NULL;
  g_autoptr(DeskApprovedCopy) copy = NULL;
  g_autofree char *ninjs = NULL;

  desk_test_approve (fixture->store, id);
  g_assert_true (desk_store_set_sponsor_decision (fixture->store, id, DESK_SPONSOR_DECISION_SPONSORED,
                                                  "Ada bayaran", "Ana", &error));
  g_assert_no_error (error);
  release = desk_store_get_release (fixture->store, id, &error);
  g_assert_no_error (error);
  copy = desk_approved_copy_load (fixture->store, id, &error);
  g_assert_no_error (error);

  g_assert_cmpint (desk_release_get_effective_verdict (release), ==, DESK_VERDICT_THIRD_PARTY);
  g_assert_cmpint (copy->disclosure, ==, desk_release_get_effective_verdict (release));
  g_assert_true (desk_release_get_sponsored (release));
  ninjs = desk_export_render (copy, DESK_EXPORT_NINJS);
  g_assert_nonnull (strstr (ninjs, DESK_GENRE_PRESS_RELEASE));
  g_assert_null (strstr (ninjs, DESK_GENRE_SPONSORED));
}

/* A release approved with its ministry letterhead above the headline
 * goes out as the editor saw it: the headline once, as the title, and
 * the letterhead in the body, in every format. */
static void
test_letterhead_goes_out_in_the_body_and_the_headline_once (Fixture       *fixture,
                                                             gconstpointer  data)
{
  gint64 id = desk_test_add_letterhead_approved (fixture->store);
  const char *headline = DESK_TEST_LETTERHEAD_HEADLINE;
  g_autofree char *text = export_file (fixture, id, DESK_EXPORT_TEXT, NULL);
  g_autofree char *markdown = export_file (fixture, id, DESK_EXPORT_MARKDOWN, NULL);
  g_autofree char *html = export_file (fixture, id, DESK_EXPORT_HTML, NULL);
  g_autofree char *ninjs = export_file (fixture, id, DESK_EXPORT_NINJS, NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonArray *bodies;

  g_assert_cmpuint (desk_test_count (text, headline), ==, 1);
  desk_test_assert_letterhead_body (strstr (text, headline) + strlen (headline));

  g_assert_cmpuint (desk_test_count (markdown, headline), ==, 1);
  g_assert_nonnull (strstr (markdown, "# Tarif kapal feri"));
  desk_test_assert_letterhead_body (strstr (markdown, headline) + strlen (headline));

  /* The page's title and its heading. */
  g_assert_cmpuint (desk_test_count (html, headline), ==, 2);
  g_assert_nonnull (strstr (html, "<h1>Tarif kapal feri"));
  desk_test_assert_letterhead_body (strstr (html, "</h1>"));

  g_assert_true (json_parser_load_from_data (parser, ninjs, -1, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (
                     json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "headlines"), 0),
                   "value"), ==, headline);
  bodies = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "bodies");
  g_assert_cmpuint (json_array_get_length (bodies), ==, 2);
  for (guint i = 0; i < json_array_get_length (bodies); i++)
    desk_test_assert_letterhead_body (json_object_get_string_member (json_array_get_object_element (bodies, i), "value"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/export/unapproved-copy-is-refused", test_unapproved_copy_is_refused);
  ADD ("/export/text-that-differs-from-its-approval-is-refused", test_text_that_differs_from_its_approval_is_refused);
  ADD ("/export/text-ends-with-the-approved-text-byte-for-byte", test_text_export_ends_with_the_approved_text_byte_for_byte);
  ADD ("/export/letterhead-goes-out-in-the-body-and-the-headline-once", test_letterhead_goes_out_in_the_body_and_the_headline_once);
  ADD ("/export/html-escapes-everything", test_html_escapes_everything);
  ADD ("/export/markdown-escapes-what-it-would-read-as-markup", test_markdown_escapes_what_it_would_read_as_markup);
  ADD ("/export/files-are-named-by-date-and-slug-and-never-clash", test_files_are_named_by_date_and_slug_and_never_clash);
  ADD ("/export/slugs-are-transliterated-from-other-scripts", test_slugs_are_transliterated_from_other_scripts);
  ADD ("/export/seed-goes-out-with-its-disclosure", test_seed_goes_out_with_its_disclosure);
  ADD ("/export/editor-marked-sponsored-copy-has-the-sponsored-genre", test_editor_marked_sponsored_copy_has_the_sponsored_genre);
  ADD ("/export/third-party-copy-marked-sponsored-is-labelled-as-the-list-shows-it",
       test_third_party_copy_marked_sponsored_is_labelled_as_the_list_shows_it);

#undef ADD

  return g_test_run ();
}
