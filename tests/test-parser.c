/* test-parser.c — the structure of incoming plain-text releases
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "desk-error.h"
#include "desk-parser.h"

static char *
load_seed (gsize *out_len)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fixtures", "seaprwire-id-moskow-konfirmasi.txt", NULL);
  g_autoptr(GError) error = NULL;
  char *data = NULL;

  g_assert_true (g_file_get_contents (path, &data, out_len, &error));
  g_assert_no_error (error);
  return data;
}

/* The text of the @nth part of @kind (0-based), or NULL. */
static char *
part_text (const DeskParsedRelease *parsed,
           DeskPartKind             kind,
           guint                    nth)
{
  for (guint i = 0; i < parsed->parts->len; i++)
    {
      const DeskPart *part = &g_array_index (parsed->parts, DeskPart, i);

      if (part->kind == kind && nth-- == 0)
        {
          const char *start = g_utf8_offset_to_pointer (parsed->text, part->start);
          const char *end = g_utf8_offset_to_pointer (parsed->text, part->end);
          return g_strndup (start, end - start);
        }
    }
  return NULL;
}

static guint
count_parts (const DeskParsedRelease *parsed,
             DeskPartKind             kind)
{
  guint n = 0;

  for (guint i = 0; i < parsed->parts->len; i++)
    if (g_array_index (parsed->parts, DeskPart, i).kind == kind)
      n++;
  return n;
}

static void
assert_seed_structure (const DeskParsedRelease *parsed)
{
  g_autofree char *headline = part_text (parsed, DESK_PART_HEADLINE, 0);
  g_autofree char *credit = part_text (parsed, DESK_PART_CREDIT, 0);
  g_autofree char *standfirst = part_text (parsed, DESK_PART_STANDFIRST, 0);
  g_autofree char *first = part_text (parsed, DESK_PART_PARAGRAPH, 0);
  g_autofree char *last = part_text (parsed, DESK_PART_PARAGRAPH, 9);
  g_autofree char *disclaimer = part_text (parsed, DESK_PART_DISCLAIMER, 0);
  g_autofree char *sector = part_text (parsed, DESK_PART_SECTOR, 0);
  g_autofree char *about = part_text (parsed, DESK_PART_ABOUT, 0);

  g_assert_cmpstr (parsed->headline, ==, "Moskow konfirmasi pembicaraan baru Rusia-AS");
  g_assert_cmpstr (headline, ==, parsed->headline);
  g_assert_cmpstr (parsed->wire, ==, "SeaPRwire");
  g_assert_cmpstr (credit, ==, "(SeaPRwire) – ");
  g_assert_true (g_str_has_prefix (standfirst, "(SeaPRwire) – Putaran berikutnya"));
  g_assert_cmpstr (parsed->standfirst, ==,
                   "Putaran berikutnya akan berlangsung di Istanbul dalam beberapa hari mendatang, "
                   "menurut Kementerian Luar Negeri Rusia");

  g_assert_cmpuint (count_parts (parsed, DESK_PART_PARAGRAPH), ==, 10);
  g_assert_true (g_str_has_prefix (first, "Putaran berikutnya dari pembicaraan Rusia-AS"));
  g_assert_true (g_str_has_prefix (last, "Bulan lalu, delegasi"));
  g_assert_true (g_str_has_suffix (last, "penyelesaian konflik Ukraina."));

  g_assert_cmpuint (count_parts (parsed, DESK_PART_DISCLAIMER), ==, 1);
  g_assert_true (g_str_has_prefix (disclaimer, "Artikel ini disediakan oleh penyedia konten pihak ketiga."));
  g_assert_cmpstr (sector, ==, "Sektor: Top Story, Daily News");
  g_assert_true (g_str_has_prefix (about, "SeaPRwire menyediakan distribusi siaran pers"));
  g_assert_true (g_str_has_suffix (about, "Portugis dan bahasa lainnya."));

  g_assert_cmpuint (g_strv_length (parsed->tags), ==, 2);
  g_assert_cmpstr (parsed->tags[0], ==, "Top Story");
  g_assert_cmpstr (parsed->tags[1], ==, "Daily News");
  g_assert_cmpstr (parsed->language, ==, "id");
  g_assert_cmpuint (strlen (parsed->content_hash), ==, 64);
}

static void
test_seed_release_is_read_into_its_parts (void)
{
  g_autoptr(GError) error = NULL;
  gsize len;
  g_autofree char *data = load_seed (&len);
  g_autoptr(DeskParsedRelease) parsed = desk_parse_release (data, len, "seed.txt", &error);

  g_assert_no_error (error);
  assert_seed_structure (parsed);
  /* The original is kept as received. */
  g_assert_cmpstr (parsed->text, ==, data);
}

static void
test_parts_are_in_text_order_and_within_it (void)
{
  gsize len;
  g_autofree char *data = load_seed (&len);
  g_autoptr(DeskParsedRelease) parsed = desk_parse_release (data, len, "seed.txt", NULL);
  glong n_chars = g_utf8_strlen (parsed->text, -1);
  guint last_start = 0;

  for (guint i = 0; i < parsed->parts->len; i++)
    {
      const DeskPart *part = &g_array_index (parsed->parts, DeskPart, i);

      g_assert_cmpuint (part->start, <, part->end);
      g_assert_cmpuint (part->end, <=, (guint) n_chars);
      g_assert_cmpuint (part->start, >=, last_start);
      last_start = part->start;
    }
  /* Headline, standfirst, credit, 10 paragraphs, 3 pieces of end matter. */
  g_assert_cmpuint (parsed->parts->len, ==, 16);
}

static char *
replace_all (const char *text,
             const char *from,
             const char *to)
{
  g_auto(GStrv) pieces = g_strsplit (text, from, -1);
  return g_strjoinv (to, pieces);
}

static void
test_crlf_release_reads_like_lf (void)
{
  gsize len;
  g_autofree char *data = load_seed (&len);
  g_autofree char *crlf = replace_all (data, "\n", "\r\n");
  g_autoptr(DeskParsedRelease) lf = desk_parse_release (data, len, "a.txt", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskParsedRelease) parsed = desk_parse_release (crlf, strlen (crlf), "b.txt", &error);

  g_assert_no_error (error);
  assert_seed_structure (parsed);
  g_assert_null (strchr (parsed->text, '\r'));
  g_assert_cmpstr (parsed->content_hash, ==, lf->content_hash);
}

static void
test_bom_is_not_part_of_the_headline (void)
{
  gsize len;
  g_autofree char *data = load_seed (&len);
  g_autofree char *bom = g_strconcat ("\xEF\xBB\xBF", data, NULL);
  g_autoptr(DeskParsedRelease) plain = desk_parse_release (data, len, "a.txt", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskParsedRelease) parsed = desk_parse_release (bom, strlen (bom), "b.txt", &error);

  g_assert_no_error (error);
  assert_seed_structure (parsed);
  g_assert_cmpstr (parsed->content_hash, ==, plain->content_hash);
}

static void
test_release_without_end_matter_keeps_every_paragraph (void)
{
  gsize len;
  g_autofree char *data = load_seed (&len);
  char *cut = strstr (data, "Artikel ini disediakan");
  g_autoptr(DeskParsedRelease) parsed = NULL;
  g_autofree char *last = NULL;

  *cut = '\0';
  parsed = desk_parse_release_text (data, NULL);
  g_assert_nonnull (parsed);
  g_assert_cmpuint (count_parts (parsed, DESK_PART_PARAGRAPH), ==, 10);
  g_assert_cmpuint (count_parts (parsed, DESK_PART_DISCLAIMER), ==, 0);
  g_assert_cmpuint (count_parts (parsed, DESK_PART_SECTOR), ==, 0);
  g_assert_cmpuint (count_parts (parsed, DESK_PART_ABOUT), ==, 0);
  g_assert_cmpuint (g_strv_length (parsed->tags), ==, 0);
  last = part_text (parsed, DESK_PART_PARAGRAPH, 9);
  g_assert_true (g_str_has_suffix (last, "penyelesaian konflik Ukraina."));
  g_assert_cmpstr (parsed->wire, ==, "SeaPRwire");
}

static void
test_headline_only_release (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskParsedRelease) parsed = desk_parse_release_text ("\n  Judul saja tanpa isi  \n\n", &error);

  g_assert_no_error (error);
  g_assert_cmpstr (parsed->headline, ==, "Judul saja tanpa isi");
  g_assert_null (parsed->standfirst);
  g_assert_null (parsed->wire);
  g_assert_cmpuint (parsed->parts->len, ==, 1);
  g_assert_cmpint (g_array_index (parsed->parts, DeskPart, 0).kind, ==, DESK_PART_HEADLINE);
  g_assert_cmpuint (g_array_index (parsed->parts, DeskPart, 0).start, ==, 3);
}

static void
test_markdown_release_with_blank_line_paragraphs (void)
{
  const char *md =
    "# Acme opens a plant in Surabaya\n"
    "\n"
    "SURABAYA, Indonesia, March 3, 2025 /PRNewswire/ -- Acme Corp opened\n"
    "its first plant in East Java today.\n"
    "\n"
    "The plant employs 400 people and\n"
    "makes bicycle parts for export.\n"
    "\n"
    "\"We are proud,\" said the chief executive.\n"
    "\n"
    "About Acme\n"
    "\n"
    "Acme Corp makes bicycle parts in six countries.\n"
    "\n"
    "Sectors: Manufacturing; Transport\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskParsedRelease) parsed = desk_parse_release (md, strlen (md), "acme.md", &error);
  g_autofree char *credit = NULL;
  g_autofree char *second = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (parsed->headline, ==, "Acme opens a plant in Surabaya");
  g_assert_cmpstr (parsed->wire, ==, "PRNewswire");
  credit = part_text (parsed, DESK_PART_CREDIT, 0);
  /* The credit goes, the dateline stays. */
  g_assert_cmpstr (credit, ==, "/PRNewswire/ -- ");
  g_assert_true (g_str_has_prefix (parsed->standfirst, "SURABAYA, Indonesia, March 3, 2025 Acme Corp opened\nits first plant"));
  g_assert_cmpuint (count_parts (parsed, DESK_PART_PARAGRAPH), ==, 2);
  second = part_text (parsed, DESK_PART_PARAGRAPH, 1);
  g_assert_cmpstr (second, ==, "\"We are proud,\" said the chief executive.");
  g_assert_cmpuint (count_parts (parsed, DESK_PART_ABOUT), ==, 2);
  g_assert_cmpuint (count_parts (parsed, DESK_PART_SECTOR), ==, 1);
  g_assert_cmpstr (parsed->tags[0], ==, "Manufacturing");
  g_assert_cmpstr (parsed->tags[1], ==, "Transport");
  g_assert_cmpstr (parsed->language, ==, "en");
}

static void
test_news_without_a_credit_has_no_wire (void)
{
  const char *text =
    "Banjir melanda Jakarta Utara\n"
    "Ratusan rumah terendam setelah hujan deras semalam.\n"
    "Sektor energi juga terganggu: listrik padam di tiga kecamatan.\n"
    "Warga mengungsi ke masjid dan sekolah terdekat.\n";
  g_autoptr(DeskParsedRelease) parsed = desk_parse_release_text (text, NULL);

  g_assert_null (parsed->wire);
  g_assert_cmpuint (count_parts (parsed, DESK_PART_CREDIT), ==, 0);
  /* "Sektor energi …:" in the body is a sentence, not a sector line. */
  g_assert_cmpuint (count_parts (parsed, DESK_PART_SECTOR), ==, 0);
  g_assert_cmpuint (count_parts (parsed, DESK_PART_PARAGRAPH), ==, 2);
  g_assert_cmpstr (parsed->language, ==, "id");
}

static void
assert_refused (const char *data,
                gsize       len,
                const char *expected_message)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskParsedRelease) parsed = desk_parse_release (data, len, "x.txt", &error);

  g_assert_null (parsed);
  g_assert_error (error, DESK_ERROR, DESK_ERROR_INVALID_INPUT);
  g_assert_cmpstr (error->message, ==, expected_message);
}

static void
test_bad_input_is_refused_with_the_reason (void)
{
  assert_refused ("", 0, "the file is empty");
  assert_refused ("\xEF\xBB\xBF", 3, "the file is empty");
  assert_refused (" \n\t\n  \n", 7, "the file holds only white space");
  assert_refused ("Head\0line\n", 10, "the file is binary, not text");
  /* UTF-16 cut in the middle of a character cannot be read as UTF-16. */
  assert_refused ("\xFF\xFEH\0e", 5, "the file is UTF-16; save it as UTF-8");
  /* "é" and then 0x81, which is no character in Windows-1252 either, on
   * the third line, at byte 23. */
  assert_refused ("Headline\nStandfirst\nCaf\xE9\x81 opens\n", strlen ("Headline\nStandfirst\nCaf\xE9\x81 opens\n"),
                  "line 3 is not valid UTF-8 (byte offset 23)");
}

/* Files an editor gets from older Windows programs are read, and say what
 * they were read as: UTF-16 with its byte order mark, and Western text in
 * Windows-1252.  Text in another legacy encoding (Chinese in GBK, Russian
 * in Windows-1251) is not taken for Windows-1252 and misread: it is
 * refused, with the line. */
static void
test_windows_files_are_read (void)
{
  static const char cp1252[] = "Caf\xE9 \x93ouvert\x94 \x96 Bj\xF6rk\n\nPARIS \x96 Le caf\xE9 de la gare rouvre ses portes lundi, annonce la mairie.\n";
  static const char utf16le[] = "\xFF\xFEH\0e\0a\0d\0\n\0\n\0B\0\xF6\0d\0y\0\n\0";
  static const char utf16be[] = "\xFE\xFF\0H\0e\0a\0d\0\n\0\n\0B\0\xF6\0d\0y\0\n";
  static const char gbk[] = "\xD6\xD0\xB9\xFA\xD2\xF8\xD0\xD0\xD0\xFB\xB2\xBC\n\n\xD6\xD0\xB9\xFA\xD2\xF8\xD0\xD0\n";
  static const char cp1251[] = "\xCC\xEE\xF1\xEA\xE2\xE0 \xEE\xE1\xFA\xFF\xE2\xE8\xEB\xE0\n\n\xD2\xE5\xEA\xF1\xF2.\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskParsedRelease) western = desk_parse_release (cp1252, sizeof cp1252 - 1, "a.txt", &error);
  g_autoptr(DeskParsedRelease) le = NULL, be = NULL, utf8 = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (western->headline, ==, "Café “ouvert” – Björk");
  g_assert_cmpstr (western->read_as, ==, "Windows-1252");
  g_assert_true (g_str_has_suffix (western->text, "Le café de la gare rouvre ses portes lundi, annonce la mairie.\n"));

  le = desk_parse_release (utf16le, sizeof utf16le - 1, "b.txt", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (le->text, ==, "Head\n\nBödy\n");
  g_assert_cmpstr (le->read_as, ==, "UTF-16");
  be = desk_parse_release (utf16be, sizeof utf16be - 1, "c.txt", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (be->text, ==, "Head\n\nBödy\n");

  /* UTF-8 is read as it is, and says nothing. */
  utf8 = desk_parse_release ("Head\n\nBody.\n", 12, "d.txt", &error);
  g_assert_no_error (error);
  g_assert_null (utf8->read_as);

  assert_refused (gbk, sizeof gbk - 1, "line 1 is not valid UTF-8 (byte offset 0)");
  assert_refused (cp1251, sizeof cp1251 - 1, "line 1 is not valid UTF-8 (byte offset 0)");
}

/* A file saved twice by an editor that adds a byte order mark each time:
 * neither mark is kept, so the stored text reads back the same.  Found by
 * fuzz-parser: the second mark was kept in the text, and the upgrade's
 * second reading skipped it, shifting every part by one character. */
static void
test_every_leading_bom_is_skipped (void)
{
  gsize len;
  g_autofree char *data = load_seed (&len);
  g_autofree char *boms = g_strconcat ("\xEF\xBB\xBF\xEF\xBB\xBF", data, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskParsedRelease) parsed = desk_parse_release (boms, strlen (boms), "b.txt", &error);
  g_autoptr(DeskParsedRelease) again = NULL;

  g_assert_no_error (error);
  assert_seed_structure (parsed);
  g_assert_cmpstr (parsed->text, ==, data);

  again = desk_parse_release_text (parsed->text, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (again->parts->len, ==, parsed->parts->len);
  g_assert_true (memcmp (again->parts->data, parsed->parts->data,
                         parsed->parts->len * sizeof (DeskPart)) == 0);
}

/* The store keeps the parsed text (LF line ends) as the original and
 * parses it again when it upgrades a database: a file with CR LF line
 * ends is judged as its LF text would be, and what the parser took once,
 * it takes again, part for part.  Found by fuzz-parser: a CR LF file with
 * a control character in every 19 bytes of its LF text passed the binary
 * check, and its stored LF text did not. */
static void
test_crlf_text_is_judged_as_its_stored_text (void)
{
  /* Lines of 19 and of 20 bytes with LF, each with one control character
   * (5% of the text is the most a text may have). */
  const char *lines[] = { "abcdefghijklmnopq\x01", "abcdefghijklmnopqr\x01" };

  for (guint i = 0; i < G_N_ELEMENTS (lines); i++)
    {
      g_autoptr(DeskParsedRelease) crlf = NULL;
      g_autoptr(DeskParsedRelease) lf = NULL;
      g_autoptr(DeskParsedRelease) again = NULL;
      g_autoptr(GString) crlf_text = g_string_new (NULL);
      g_autofree char *lf_text = NULL;

      for (guint n = 0; n < 8; n++)
        g_string_append_printf (crlf_text, "%s\r\n%s", lines[i], n % 3 == 0 ? "\r\n" : "");
      lf_text = replace_all (crlf_text->str, "\r\n", "\n");

      crlf = desk_parse_release (crlf_text->str, crlf_text->len, "x.txt", NULL);
      lf = desk_parse_release (lf_text, strlen (lf_text), "x.txt", NULL);
      g_assert_true ((crlf == NULL) == (lf == NULL));
      g_assert_true ((crlf != NULL) == (i == 1));
      if (crlf == NULL)
        continue;

      g_assert_cmpstr (crlf->text, ==, lf_text);
      again = desk_parse_release_text (crlf->text, NULL);
      g_assert_nonnull (again);
      g_assert_cmpstr (again->text, ==, crlf->text);
      g_assert_cmpuint (again->parts->len, ==, crlf->parts->len);
      g_assert_true (memcmp (again->parts->data, crlf->parts->data,
                             crlf->parts->len * sizeof (DeskPart)) == 0);
    }
}

static void
test_content_hash_ignores_white_space_only (void)
{
  g_autofree char *a = desk_content_hash ("Moskow  konfirmasi\npembicaraan ");
  g_autofree char *b = desk_content_hash ("Moskow konfirmasi pembicaraan");
  g_autofree char *c = desk_content_hash ("Moskow konfirmasi pembicaraan baru");
  g_autofree char *nfd = desk_content_hash ("Tu\xCC\x88rkiye");
  g_autofree char *nfc = desk_content_hash ("T\xC3\xBCrkiye");

  g_assert_cmpstr (a, ==, b);
  g_assert_cmpstr (b, !=, c);
  g_assert_cmpstr (nfd, ==, nfc);
}

/* The headline under a letterhead of several lines, a site's name over
 * its time stamp, or a page's trail: desk_choose_headline() takes the line
 * after the last furniture; a news page's headline over its byline and
 * time stamp, and a headline of its own over notices, stay. */
static void
test_headline_is_chosen_under_a_letterhead_block (void)
{
  const struct {
    const char *text;
    const char *headline;
  } cases[] = {
    { "Harbour Council\nTown Hall, Mill Street, Kelmouth KM1 2QR\nMEDIA STATEMENT\nRef: HC/MS/2026/031\n"
      "Ferry timetable to change from April\nThe council will run the ferry every 40 minutes from 6 April.\n",
      "Ferry timetable to change from April" },
    { "Northgate Polytechnic\nNewsroom › Research\nPublished 2 March 2026 · 4 min read\n"
      "Students build a tide gauge from old phones\nThe gauge sends readings every minute.\n",
      "Students build a tide gauge from old phones" },
    { "市政府 新闻办公室\n新闻稿\n2026年3月2日\n本市公交车票价四月起下调两成\n市政府2日宣布，全市公交车票价自4月1日起下调两成。\n",
      "本市公交车票价四月起下调两成" },
    { "Ministry denies hospital closure\nBy Ana Ruiz\nUpdated 3 March 2026, 10:02\n"
      "A deck that runs on without a full stop at its end\nThe ministry said on Tuesday the hospital stays open.\n",
      "Ministry denies hospital closure" },
    { "Central Bank of Aravia Keeps Its Policy Rate Unchanged at 5.25 Percent\nPRESS RELEASE\n"
      "Monetary Policy Statement No. 7/2026\nThe committee decided on Tuesday to keep the rate.\n",
      "Central Bank of Aravia Keeps Its Policy Rate Unchanged at 5.25 Percent" },
    { "Kabar Pasar Pagi — Rabu, 2 Desember 2026\nRingkasan harian bisnis\nHarga pakan turun lagi.\n",
      "Kabar Pasar Pagi — Rabu, 2 Desember 2026" },
    { "Notícias fornecidas por\nVentos do Sul Energia S.A.\n12 fev, 2026, 09:00 BRT\n"
      "Ventos do Sul liga parque eólico de 180 MW no Ceará\nFORTALEZA, 12 de fevereiro de 2026 – A empresa ligou hoje o parque.\n",
      "Ventos do Sul liga parque eólico de 180 MW no Ceará" },
    { "Wire Desk\nMedia release from: Coastal Councils Alliance\n12 Feb 2026 10:30 AM AEDT\nMEDIA RELEASE\n"
      "Councils agree to share one beach patrol roster\nSix councils will share lifeguards from next summer.\n",
      "Councils agree to share one beach patrol roster" },
    { "Urząd Gminy Borowiec\nBiuro Prasowe\nKomunikat prasowy\nBorowiec, 12 lutego 2026 r.\n"
      "Nowy przystanek autobusowy przy szkole w Borowcu\nGmina zbuduje przystanek do końca maja.\n",
      "Nowy przystanek autobusowy przy szkole w Borowcu" },
    { "February 12, 2026 06:00 ET | Source: Redfern Metals Inc.\nFollow\n"
      "Redfern Metals Starts Drilling at Its Second Copper Target\nVANCOUVER, Feb. 12, 2026 -- Redfern Metals began drilling.\n",
      "Redfern Metals Starts Drilling at Its Second Copper Target" },
    { "PAHAYAG SA MEDIA\nIka-12 ng Pebrero 2026\n"
      "Kooperatiba ng mga magsasaka, nagbukas ng bagong bodega sa Tarlac\nTARLAC — Binuksan ngayong Huwebes ang bodega.\n",
      "Kooperatiba ng mga magsasaka, nagbukas ng bagong bodega sa Tarlac" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(DeskParsedRelease) parsed = desk_parse_release_text (cases[i].text, &error);
      g_autofree char *headline = NULL;

      g_assert_no_error (error);
      g_assert_cmpstr (parsed->headline, ==, cases[i].headline);
      headline = part_text (parsed, DESK_PART_HEADLINE, 0);
      g_assert_cmpstr (headline, ==, cases[i].headline);
    }
}

static void
test_label_line_is_never_the_headline (void)
{
  const char *texts[] = {
    "Sponsored content\nWhy Sleep Experts Recommend a New Mattress\nMost people wait too long.\n",
    "FOR IMMEDIATE RELEASE\n\nWhy Sleep Experts Recommend a New Mattress\n\nMost people wait too long.\n",
    "Anzeige\nPublireportage\nWhy Sleep Experts Recommend a New Mattress\nMost people wait too long.\n",
  };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(DeskParsedRelease) parsed = desk_parse_release_text (texts[i], &error);
      g_autofree char *headline = NULL;

      g_assert_no_error (error);
      g_assert_cmpstr (parsed->headline, ==, "Why Sleep Experts Recommend a New Mattress");
      headline = part_text (parsed, DESK_PART_HEADLINE, 0);
      g_assert_cmpstr (headline, ==, parsed->headline);
      g_assert_cmpstr (parsed->standfirst, ==, "Most people wait too long.");
    }

  /* A label with nothing under it is all there is. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(DeskParsedRelease) parsed = desk_parse_release_text ("Advertorial\n", &error);

    g_assert_no_error (error);
    g_assert_cmpstr (parsed->headline, ==, "Advertorial");
  }
}

/* A release notice no label list names, read by its words in any
 * language, or a short label in capitals over a longer line, is not the
 * headline either; a headline about the press, or one in capitals over
 * its sub-headline's words in capitals too, still is. */
static void
test_notice_by_its_words_or_capitals_is_never_the_headline (void)
{
  const struct { const char *text; const char *headline; } cases[] = {
    { "BASIN AÇIKLAMASI\nLiman işletmesi yeni vinçlerini teslim aldı\nİzmir Limanı dört yeni vinç aldı.\n",
      "Liman işletmesi yeni vinçlerini teslim aldı" },
    { "Presseinfo\nStadtwerke Lindau bauen Fernwärme aus\nDie Stadtwerke bauen aus.\n",
      "Stadtwerke Lindau bauen Fernwärme aus" },
    { "보도참고자료\n해양수산부, 겨울철 어선 안전점검 실시\n해양수산부는 점검을 실시한다.\n",
      "해양수산부, 겨울철 어선 안전점검 실시" },
    { "NOTA INFORMATIVA\nEl puerto de Vigo estrena una terminal de cruceros\nLa terminal abre hoy.\n",
      "El puerto de Vigo estrena una terminal de cruceros" },
    { "MEDIA ALERT\nCity opens new ferry terminal on Friday\nThe terminal opens at 9am.\n",
      "City opens new ferry terminal on Friday" },
    { "แถลงข่าว\nกรุงเทพมหานครเปิดสวนสาธารณะแห่งใหม่\nสวนเปิดให้บริการทุกวัน\n",
      "กรุงเทพมหานครเปิดสวนสาธารณะแห่งใหม่" },
    { "بيان إعلامي\nافتتاح مستشفى جديد في المدينة\nافتتح المستشفى اليوم.\n",
      "افتتاح مستشفى جديد في المدينة" },
    { "Press freedom under threat\nReporters say the new law silences them.\n",
      "Press freedom under threat" },
    { "Media\nBroadcaster cuts 200 jobs\nThe cuts were announced on Monday.\n",
      "Media" },
    { "La media\nIl reddito delle famiglie cresce del 2 per cento\nLo dice l'Istat.\n",
      "La media" },
    { "HARBOUR CITY WINS\nA LATE GOAL SETTLES THE DERBY\nThe home side won 1-0.\n",
      "HARBOUR CITY WINS" },
    /* Several lines of furniture in a row: notices of several words, a
     * time stamp with seconds, a company's name line. */
    { "KENYATAAN AKHBAR\nUNTUK SIARAN SEGERA\nKolej baharu dibuka di Miri\nKolej itu dibuka hari ini.\n",
      "Kolej baharu dibuka di Miri" },
    { "PARA SA AGARANG PAGLALATHALA\nBagong tulay sa Iloilo, bukas na\nBinuksan ang tulay ngayong Lunes.\n",
      "Bagong tulay sa Iloilo, bukas na" },
    { "新聞稿\n即時發佈\n港鐵新站下月啟用\n新站將於下月啟用。\n",
      "港鐵新站下月啟用" },
    { "Zur sofortigen Veröffentlichung\nStadtbibliothek öffnet sonntags\nAb Januar ist sonntags geöffnet.\n",
      "Stadtbibliothek öffnet sonntags" },
    { "PRESSEMEDDELELSE\n3. december 2026 07:30:00 CET\nHavnen i Aarhus får ny kaj\nKajen åbner i 2028.\n",
      "Havnen i Aarhus får ny kaj" },
    { "プレスリリース\n2026年12月3日\n株式会社サクラ精機\n新型の小型ドローンを発売　農薬散布を自動化\n当社は本日発表しました。\n",
      "新型の小型ドローンを発売　農薬散布を自動化" },
    { "PT Sinar Abadi Tbk\nSinar Abadi Buka Pabrik Baru di Karawang\nPabrik itu mulai beroperasi hari ini.\n",
      "Sinar Abadi Buka Pabrik Baru di Karawang" },
    { "TRIBUNAL SUPERIOR DE JUSTICIA DE ASTURIAS\nGABINETE DE COMUNICACIÓN\nEl TSJ estrena sede en Gijón\nLa sede abre el lunes.\n",
      "El TSJ estrena sede en Gijón" },
    { "KEMENTERIAN KERJA RAYA\nJambatan baharu siap awal\nJambatan itu dibuka hari ini.\n",
      "Jambatan baharu siap awal" },
    { "DINAS PENDIDIKAN KOTA BATUAJI\nBIDANG HUBUNGAN MASYARAKAT\nSIARAN PERS NOMOR: 12/HMS/XII/2026\nSekolah baru dibuka di Batuaji\nSekolah itu dibuka hari ini.\n",
      "Sekolah baru dibuka di Batuaji" },
    { "MEDIA RELEASE No. 87/2026\nHarbour ferry fares frozen for 2027\nFares stay at $4.\n",
      "Harbour ferry fares frozen for 2027" },
    { "MINISTRY DENIES HOSPITAL CLOSURE\nWELLINGTON, Dec 3 – The health ministry on Thursday denied reports that it plans to close the ward.\n",
      "MINISTRY DENIES HOSPITAL CLOSURE" },
    { "Immediate release of detained reporters demanded\nEditors wrote to the ministry.\n",
      "Immediate release of detained reporters demanded" },
    { "BANJIR LAGI\nKOTA BHARU, 3 Dis – Lebih 2,000 penduduk dipindahkan.\n",
      "BANJIR LAGI" },
    { "BANJIR LAGI\nKOTA BHARU, 3 Dis – Lebih 2,000 penduduk di tiga daerah di Kelantan dipindahkan ke pusat"
      " pemindahan sementara semalam selepas hujan lebat berterusan sejak Selasa.\n",
      "BANJIR LAGI" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(DeskParsedRelease) parsed = desk_parse_release_text (cases[i].text, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (parsed->headline, ==, cases[i].headline);
    }
}

/* A release whose story the parser reads as a headline and a dateline
 * (an "About …" line right under them makes the rest end matter) takes
 * its language from its paragraphs, not from those few words. */
static void
test_language_of_a_short_story_comes_from_its_paragraphs (void)
{
  const char *text =
    "Saimaa ferry resumes service\n"
    "Lappeenranta, 2.12.2026\n"
    "About the ferry\n"
    "The ferry between Lappeenranta and Savonlinna will run again from Monday after its engine was repaired, "
    "the operator said, and tickets can be bought on board or online.\n"
    "The crossing takes four hours.\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskParsedRelease) parsed = desk_parse_release_text (text, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (parsed->language, ==, "en");
}

/* The content hash as it was first written (GChecksum over the text with
 * every run of g_unichar_isspace() or U+FEFF made one space, NFC where a
 * character combines): stores keep these hashes, so a faster one must
 * give exactly the same. */
static char *
reference_content_hash (const char *text)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  gboolean compose = FALSE;
  g_autofree char *nfc = NULL;
  const char *p;
  GString *folded = g_string_new (NULL);
  gboolean pending_space = FALSE;

  for (p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if ((guchar) *p >= 0xCC && (g_unichar_combining_class (c) != 0 || (c >= 0x1100 && c <= 0x11FF)))
        compose = TRUE;
    }
  p = compose ? (nfc = g_utf8_normalize (text, -1, G_NORMALIZE_NFC)) : text;
  for (; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if ((guchar) *p < 0x80 ? g_ascii_isspace (*p) : (g_unichar_isspace (c) || c == 0xFEFF))
        pending_space = folded->len > 0;
      else
        {
          if (pending_space)
            g_string_append_c (folded, ' ');
          pending_space = FALSE;
          g_string_append_len (folded, p, g_utf8_next_char (p) - p);
        }
    }
  g_checksum_update (checksum, (const guchar *) folded->str, folded->len);
  g_string_free (folded, TRUE);
  return g_strdup (g_checksum_get_string (checksum));
}

static void
test_content_hash_same_as_first_written (void)
{
  static const char * const texts[] = {
    "", " ", "\t\v\f\r\n", "Moskow  konfirmasi\npembicaraan ",
    "Tu\xCC\x88rkiye", "\xEF\xBB\xBF" "BOM\xEF\xBB\xBF" " inside", "北京\xE3\x80\x80市场  合作",
    "ภาษาไทย ที่ มี วรรณยุกต์ กับ สระ", "ｶﾞ か\xE3\x82\x99 は\xE3\x82\x9A", "\xE1\x84\x80\xE1\x85\xA1 jamo",
    "a\xC2\x85" "b\xC2\xA0" "c\xE2\x80\x8B" "d\xE2\x80\xAF" "e\xE2\x81\x9F" "f\xE1\x9A\x80" "g\xE2\x80\xA8" "h",
    /* Thai marks in order (U+0E38 then U+0E48), and out of it, which NFC
     * reorders; beside characters NFC changes (U+212B, U+2000, U+F900) or
     * may (a Hangul syllable, U+A66F). */
    "\xE0\xB8\x81\xE0\xB8\xB8\xE0\xB9\x88 \xE2\x80\x9C\xE0\xB8\x97\xE2\x80\x9D",
    "\xE0\xB8\x81\xE0\xB9\x88\xE0\xB8\xB8", "\xE0\xB8\x81\xE0\xB8\xB8\xE0\xB9\x88 \xE2\x84\xAB",
    "\xE0\xB8\x81\xE0\xB8\xB8 \xE2\x80\x80", "\xE0\xB8\x81\xE0\xB8\xB8 \xEF\xA4\x80",
    "\xE0\xB8\x81\xE0\xB8\xB8 \xEA\xB0\x80\xE1\x86\xA8", "\xE0\xB8\x81\xE0\xB8\xB8 a\xEA\x99\xAF\xCC\x81",
  };
  char buffer[32];

  for (gsize i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autofree char *expected = reference_content_hash (texts[i]);
      g_autofree char *hash = desk_content_hash (texts[i]);

      if (g_strcmp0 (hash, expected) != 0)
        g_error ("“%s” is hashed differently", texts[i]);
    }

  /* Every character, alone, between words and in a run of white space. */
  for (gunichar c = 1; c <= 0x10FFFF; c++)
    {
      char ch[8];
      int n;

      if (c >= 0xD800 && c <= 0xDFFF)
        continue;
      n = g_unichar_to_utf8 (c, ch);
      ch[n] = '\0';
      g_snprintf (buffer, sizeof buffer, "w%s x %s%s\ny%s", ch, ch, ch, ch);
      {
        g_autofree char *expected = reference_content_hash (buffer);
        g_autofree char *hash = desk_content_hash (buffer);

        if (g_strcmp0 (hash, expected) != 0)
          g_error ("U+%04X is hashed differently", c);
      }
      /* Beside Thai marks in order, which alone need no normalising. */
      g_snprintf (buffer, sizeof buffer, "\xE0\xB8\x81\xE0\xB8\xB8\xE0\xB9\x88%s \xE0\xB8\x81%s", ch, ch);
      {
        g_autofree char *expected = reference_content_hash (buffer);
        g_autofree char *hash = desk_content_hash (buffer);

        if (g_strcmp0 (hash, expected) != 0)
          g_error ("U+%04X beside Thai marks is hashed differently", c);
      }
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/parser/seed/is-read-into-its-parts", test_seed_release_is_read_into_its_parts);
  g_test_add_func ("/parser/seed/parts-are-in-order-and-within-the-text", test_parts_are_in_text_order_and_within_it);
  g_test_add_func ("/parser/crlf-reads-like-lf", test_crlf_release_reads_like_lf);
  g_test_add_func ("/parser/bom-is-not-part-of-the-headline", test_bom_is_not_part_of_the_headline);
  g_test_add_func ("/parser/every-leading-bom-is-skipped", test_every_leading_bom_is_skipped);
  g_test_add_func ("/parser/no-end-matter-keeps-every-paragraph", test_release_without_end_matter_keeps_every_paragraph);
  g_test_add_func ("/parser/headline-only", test_headline_only_release);
  g_test_add_func ("/parser/label-line-is-never-the-headline", test_label_line_is_never_the_headline);
  g_test_add_func ("/parser/headline-is-chosen-under-a-letterhead-block", test_headline_is_chosen_under_a_letterhead_block);
  g_test_add_func ("/parser/language-of-a-short-story-comes-from-its-paragraphs",
                   test_language_of_a_short_story_comes_from_its_paragraphs);
  g_test_add_func ("/parser/notice-by-its-words-or-capitals-is-never-the-headline",
                   test_notice_by_its_words_or_capitals_is_never_the_headline);
  g_test_add_func ("/parser/markdown-with-blank-line-paragraphs", test_markdown_release_with_blank_line_paragraphs);
  g_test_add_func ("/parser/news-without-credit-has-no-wire", test_news_without_a_credit_has_no_wire);
  g_test_add_func ("/parser/bad-input-is-refused-with-the-reason", test_bad_input_is_refused_with_the_reason);
  g_test_add_func ("/parser/windows-files-are-read", test_windows_files_are_read);
  g_test_add_func ("/parser/content-hash-ignores-white-space-only", test_content_hash_ignores_white_space_only);
  g_test_add_func ("/parser/content-hash-same-as-first-written", test_content_hash_same_as_first_written);
  g_test_add_func ("/parser/crlf-text-is-judged-as-its-stored-text", test_crlf_text_is_judged_as_its_stored_text);

  return g_test_run ();
}
