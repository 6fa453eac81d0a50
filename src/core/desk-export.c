/* desk-export.c — approved copy as files: text, Markdown, HTML, ninjs
 *
 * Only approved copy goes out, and only as approved: the text is the
 * approved revision's, checked against the SHA-256 the approval recorded,
 * so that nothing edited afterwards slips through.  Sponsored and
 * third-party copy carries its disclosure label in every format.
 *
 * Files are named YYYY-MM-DD-slug.ext.  The date is the day the copy was
 * (last) approved, in UTC — the day the desk released it, which is the one
 * an editor looks for in a folder of exports; copy with no approval on
 * record (older databases) falls back to the day it was received.
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <inttypes.h>
#include <errno.h>
#include <string.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <unicode/utrans.h>

#include "desk-disclosure.h"
#include "desk-error.h"
#include "desk-export.h"
#include "desk-source.h"
#include "desk-parser.h"
#include "desk-sha256.h"

static const struct {
  const char *name;
  const char *extension;
} formats[DESK_N_EXPORT_FORMATS] = {
  [DESK_EXPORT_TEXT] = { "txt", "txt" },
  [DESK_EXPORT_MARKDOWN] = { "md", "md" },
  [DESK_EXPORT_HTML] = { "html", "html" },
  [DESK_EXPORT_NINJS] = { "ninjs", "json" },
};

gboolean
desk_export_format_from_string (const char       *name,
                                DeskExportFormat *out_format)
{
  for (guint i = 0; name != NULL && i < DESK_N_EXPORT_FORMATS; i++)
    if (g_ascii_strcasecmp (name, formats[i].name) == 0 ||
        g_ascii_strcasecmp (name, formats[i].extension) == 0)
      {
        *out_format = (DeskExportFormat) i;
        return TRUE;
      }
  if (name != NULL && (g_ascii_strcasecmp (name, "text") == 0 || g_ascii_strcasecmp (name, "markdown") == 0))
    {
      *out_format = name[0] == 't' || name[0] == 'T' ? DESK_EXPORT_TEXT : DESK_EXPORT_MARKDOWN;
      return TRUE;
    }
  return FALSE;
}

const char *
desk_export_format_get_extension (DeskExportFormat format)
{
  g_return_val_if_fail (format < DESK_N_EXPORT_FORMATS, NULL);

  return formats[format].extension;
}

/* ---- the approved copy --------------------------------------------------- */

void
desk_approved_copy_free (DeskApprovedCopy *copy)
{
  if (copy == NULL)
    return;
  g_free (copy->headline);
  g_free (copy->original_headline);
  g_free (copy->text);
  g_free (copy->sha256);
  g_free (copy->standfirst);
  g_free (copy->language);
  g_free (copy->wire);
  g_free (copy->content_hash);
  g_strfreev (copy->tags);
  g_free (copy->disclosure_label);
  g_free (copy->embargoed);
  g_free (copy);
}

/* The approved text without the headline's own line, as approved or as
 * received, wherever it stands (desk_dup_body()): unedited copy is
 * approved as received, headline first or under the furniture above
 * it; a headline changed in review leaves the old one in the text.
 * The body never repeats the headline, and keeps what stands above it,
 * exactly as the review view shows it. */
char *
desk_approved_copy_dup_body (const DeskApprovedCopy *copy)
{
  return desk_dup_body (copy->text, copy->headline, copy->original_headline);
}

/* The standfirst of the approved text, read as the parser reads a
 * release (credit left out): a corrected standfirst goes out corrected.
 * NULL when the approved text has none. */
static char *
approved_standfirst (const DeskApprovedCopy *copy)
{
  g_autofree char *body = desk_approved_copy_dup_body (copy);
  g_autofree char *text = g_strdup_printf ("%s\n%s", copy->headline != NULL ? copy->headline : "", body);
  g_autoptr(DeskParsedRelease) parsed = desk_parse_release_text (text, NULL);

  if (parsed == NULL || parsed->standfirst == NULL || *parsed->standfirst == '\0')
    return NULL;
  return g_strdup (parsed->standfirst);
}

/* The release @release_id and its approved revision, refusing copy that
 * is not approved (or published, or corrected after publication) and copy
 * whose approved text no longer matches the SHA-256 of its approval. */
static gboolean
load_approved (DeskStore     *store,
               gint64         release_id,
               DeskRelease  **out_release,
               DeskRevision **out_revision,
               GError       **error)
{
  g_autoptr(DeskRelease) release = NULL;
  g_autoptr(DeskRevision) revision = NULL;
  g_autofree char *computed = NULL;
  const char *approved_sha256;
  DeskStatus status;

  release = desk_store_get_release (store, release_id, error);
  if (release == NULL)
    return FALSE;

  status = desk_release_get_status (release);
  if (!desk_status_has_approved_copy (status))
    {
      g_set_error (error, DESK_ERROR, DESK_ERROR_NOT_APPROVED,
                   _("Release #%" PRId64 " is %s, not approved: only approved copy goes out"),
                   release_id, desk_status_get_label (status));
      return FALSE;
    }

  approved_sha256 = desk_release_get_approved_sha256 (release);
  if (desk_release_get_approved_revision_id (release) <= 0 || approved_sha256 == NULL)
    {
      g_set_error (error, DESK_ERROR, DESK_ERROR_NOT_APPROVED,
                   _("Release #%" PRId64 " names no approved revision: approve it again"),
                   release_id);
      return FALSE;
    }

  revision = desk_store_get_revision (store, desk_release_get_approved_revision_id (release), error);
  if (revision == NULL)
    return FALSE;

  computed = desk_sha256_hex (revision->text, strlen (revision->text));
  if (revision->release_id != release_id ||
      g_strcmp0 (computed, approved_sha256) != 0 ||
      g_strcmp0 (revision->sha256, approved_sha256) != 0)
    {
      g_set_error (error, DESK_ERROR, DESK_ERROR_NOT_AS_APPROVED,
                   _("The text of release #%" PRId64 " is not the text that was approved "
                     "(its SHA-256 differs): approve it again before it goes out"),
                   release_id);
      return FALSE;
    }
  *out_release = g_steal_pointer (&release);
  *out_revision = g_steal_pointer (&revision);
  return TRUE;
}

/* The SHA-256 of the approved copy of release @release_id, checked as
 * desk_approved_copy_load() checks it, without the rest of the copy: a
 * webhook's job carries its payload, and only needs to know that the
 * copy is still the one queued.  Reading the standfirst, the embargo
 * and the approval's time was a fifth of the publisher's work a
 * delivery. */
char *
desk_approved_copy_dup_sha256 (DeskStore  *store,
                               gint64      release_id,
                               GError    **error)
{
  g_autoptr(DeskRelease) release = NULL;
  g_autoptr(DeskRevision) revision = NULL;

  g_return_val_if_fail (DESK_IS_STORE (store), NULL);

  if (!load_approved (store, release_id, &release, &revision, error))
    return NULL;
  return g_strdup (desk_release_get_approved_sha256 (release));
}

/* The copy of @release's approved @revision, already checked. */
static DeskApprovedCopy *
fill_copy (DeskRelease         *release,
           const DeskRevision  *revision,
           gint64               approved_at,
           const char          *embargoed,
           GError             **error)
{
  g_autoptr(DeskApprovedCopy) copy = g_new0 (DeskApprovedCopy, 1);

  copy->release_id = desk_release_get_id (release);
  copy->status = desk_release_get_status (release);
  copy->headline = g_strdup (revision->headline);
  copy->text = g_strdup (revision->text);
  copy->sha256 = g_strdup (desk_release_get_approved_sha256 (release));
  copy->revision_number = revision->number;
  copy->original_headline = g_strdup (desk_release_get_original_headline (release));
  copy->standfirst = approved_standfirst (copy);
  copy->language = g_strdup (desk_release_get_language (release));
  copy->wire = g_strdup (desk_release_get_wire (release));
  copy->content_hash = g_strdup (desk_release_get_content_hash (release));
  copy->tags = g_strdupv ((char **) desk_release_get_tags (release));
  if (copy->tags == NULL)
    copy->tags = g_new0 (char *, 1);
  copy->received_at = desk_release_get_received_at (release);
  copy->embargoed = g_strdup (embargoed);
  copy->approved_at = approved_at > 0 ? approved_at : copy->received_at;

  copy->disclosure = desk_release_get_effective_verdict (release);
  if (copy->disclosure != DESK_VERDICT_NONE)
    {
      copy->disclosure_label = desk_disclosure_label_for_language (copy->language);
      if (copy->disclosure_label == NULL || *g_strstrip (copy->disclosure_label) == '\0')
        {
          g_set_error (error, DESK_ERROR, DESK_ERROR_DISCLOSURE,
                       _("Release #%" PRId64 " is flagged as sponsored but there is no "
                         "disclosure label for its language (%s): set one in Preferences"),
                       copy->release_id, copy->language);
          return NULL;
        }
    }
  return g_steal_pointer (&copy);
}

/* The approved copy of @release, its approved revision being @revision:
 * what desk_approved_copy_load() makes, for a team desk, which reads
 * both through a DeskDb (desk-db-outbox.c).  Refused as load_approved()
 * refuses them: copy that is not approved, and text whose SHA-256 is not
 * the approval's.  @approved_at: when it was last approved (0: as it was
 * received); @embargoed: ISO 8601 with its zone, or NULL. */
DeskApprovedCopy *
desk_approved_copy_new (DeskRelease         *release,
                        const DeskRevision  *revision,
                        gint64               approved_at,
                        const char          *embargoed,
                        GError             **error)
{
  g_autofree char *computed = NULL;
  gint64 release_id = desk_release_get_id (release);
  const char *approved_sha256 = desk_release_get_approved_sha256 (release);
  DeskStatus status = desk_release_get_status (release);

  if (!desk_status_has_approved_copy (status))
    {
      g_set_error (error, DESK_ERROR, DESK_ERROR_NOT_APPROVED,
                   _("Release #%" PRId64 " is %s, not approved: only approved copy goes out"),
                   release_id, desk_status_get_label (status));
      return NULL;
    }
  if (revision == NULL || approved_sha256 == NULL)
    {
      g_set_error (error, DESK_ERROR, DESK_ERROR_NOT_APPROVED,
                   _("Release #%" PRId64 " names no approved revision: approve it again"),
                   release_id);
      return NULL;
    }
  computed = g_compute_checksum_for_string (G_CHECKSUM_SHA256, revision->text, -1);
  if (revision->release_id != release_id ||
      g_strcmp0 (computed, approved_sha256) != 0 ||
      g_strcmp0 (revision->sha256, approved_sha256) != 0)
    {
      g_set_error (error, DESK_ERROR, DESK_ERROR_NOT_AS_APPROVED,
                   _("The text of release #%" PRId64 " is not the text that was approved "
                     "(its SHA-256 differs): approve it again before it goes out"),
                   release_id);
      return NULL;
    }

  return fill_copy (release, revision, approved_at, embargoed, error);
}

/* Loads the approved copy of release @release_id (see load_approved()). */
DeskApprovedCopy *
desk_approved_copy_load (DeskStore  *store,
                         gint64      release_id,
                         GError    **error)
{
  g_autoptr(DeskRelease) release = NULL;
  g_autoptr(DeskRevision) revision = NULL;
  g_autofree char *embargoed = NULL;

  g_return_val_if_fail (DESK_IS_STORE (store), NULL);

  if (!load_approved (store, release_id, &release, &revision, error))
    return NULL;
  {
    g_autoptr(GDateTime) embargo = NULL;

    if (desk_source_get_embargo (store, release_id, &embargo, NULL, NULL) && embargo != NULL)
      embargoed = g_date_time_format (embargo, "%Y-%m-%dT%H:%M:%S%:z");
  }
  /* When it was last approved; as it was received if the audit trail
   * does not say. */
  return fill_copy (release, revision, desk_store_get_approved_at (store, release_id, NULL), embargoed, error);
}

/* ---- names --------------------------------------------------------------- */

/* Is there a letter in @text that is neither ASCII nor Latin? */
static gboolean
has_non_latin_letters (const char *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c;

      if ((guchar) *p < 0x80)
        continue;
      c = g_utf8_get_char (p);
      if (g_unichar_isalpha (c) && g_unichar_get_script (c) != G_UNICODE_SCRIPT_LATIN)
        return TRUE;
    }
  return FALSE;
}

/* Does @text hold kana, and so read as Japanese? */
static gboolean
has_kana (const char *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      GUnicodeScript script;

      if ((guchar) *p < 0x80)
        continue;
      script = g_unichar_get_script (g_utf8_get_char (p));
      if (script == G_UNICODE_SCRIPT_HIRAGANA || script == G_UNICODE_SCRIPT_KATAKANA)
        return TRUE;
    }
  return FALSE;
}

/* @headline in Latin letters, by ICU's transliterators: Chinese as pinyin,
 * Korean, Thai, Cyrillic, Greek, Arabic, Devanagari and the rest by their
 * scripts' rules, without accents.  NULL when it has nothing to
 * transliterate, or is Japanese: ICU reads kanji as Chinese, and a
 * Japanese headline in pinyin would mislead more than a number.  One
 * transliterator serves the process (opening the Chinese rules takes a
 * quarter of a second), under a lock, as ICU's is not for two threads at
 * once. */
static char *
dup_transliterated (const char *headline)
{
  static GMutex lock;
  static UTransliterator *to_latin;
  static gboolean failed;
  g_autofree gunichar2 *utf16 = NULL;
  glong len = 0;
  int32_t limit, capacity;
  UErrorCode status = U_ZERO_ERROR;
  char *latin = NULL;
  GString *spaced;
  gboolean was_han = FALSE;

  if (!has_non_latin_letters (headline) || has_kana (headline))
    return NULL;
  /* Pinyin is written a syllable a word: "发布2026年" is "fa bu 2026 nian",
   * not "fa bu2026nian". */
  spaced = g_string_sized_new (strlen (headline) + 16);
  for (const char *p = headline; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      gboolean han = g_unichar_get_script (c) == G_UNICODE_SCRIPT_HAN;

      if (spaced->len > 0 && han != was_han && !g_unichar_isspace (c) && !g_unichar_ispunct (c) &&
          !g_ascii_isspace (spaced->str[spaced->len - 1]))
        g_string_append_c (spaced, ' ');
      g_string_append_unichar (spaced, c);
      was_han = han;
    }
  utf16 = g_utf8_to_utf16 (spaced->str, -1, NULL, &len, NULL);
  g_string_free (spaced, TRUE);
  if (utf16 == NULL)
    return NULL;
  /* Transliteration lengthens text (one ideograph, up to six letters). */
  capacity = (int32_t) MIN (len * 8 + 16, G_MAXINT32 / 2);
  utf16 = g_renew (gunichar2, utf16, capacity);

  g_mutex_lock (&lock);
  if (to_latin == NULL && !failed)
    {
      to_latin = utrans_openU (u"Any-Latin; Latin-ASCII", -1, UTRANS_FORWARD, NULL, 0, NULL, &status);
      failed = U_FAILURE (status);
      status = U_ZERO_ERROR;
    }
  if (to_latin != NULL)
    {
      int32_t text_len = (int32_t) len;

      limit = text_len;
      utrans_transUChars (to_latin, (UChar *) utf16, &text_len, capacity, 0, &limit, &status);
      if (U_SUCCESS (status))
        latin = g_utf16_to_utf8 (utf16, text_len, NULL, NULL, NULL);
    }
  g_mutex_unlock (&lock);
  return latin;
}

/* A lowercase ASCII slug of @headline: letters transliterated where
 * possible (accents dropped, other scripts by dup_transliterated()),
 * everything else a single hyphen, at most @max_len bytes, cut at a
 * hyphen where one is near.  "" when nothing of it can be written in
 * Latin letters. */
char *
desk_slug_from_headline (const char *headline,
                         gsize       max_len)
{
  g_autofree char *latin = dup_transliterated (headline != NULL ? headline : "");
  g_autofree char *ascii = g_str_to_ascii (latin != NULL ? latin : headline != NULL ? headline : "", "C");
  GString *slug = g_string_sized_new (max_len + 1);

  for (const char *p = ascii; *p != '\0'; p++)
    {
      if (g_ascii_isalnum (*p))
        g_string_append_c (slug, g_ascii_tolower (*p));
      else if (*p == '\'' || (*p == '"' && latin != NULL))
        continue;  /* "Europe's" → "europes"; "ob\"avila" → "obavila" */
      else if (slug->len > 0 && slug->str[slug->len - 1] != '-')
        g_string_append_c (slug, '-');
    }

  if (slug->len > max_len)
    {
      const char *cut = g_strrstr_len (slug->str, max_len + 1, "-");

      g_string_truncate (slug, cut != NULL && cut - slug->str > (gssize) max_len / 2
                               ? (gsize) (cut - slug->str) : max_len);
    }
  while (slug->len > 0 && slug->str[slug->len - 1] == '-')
    g_string_truncate (slug, slug->len - 1);
  return g_string_free (slug, FALSE);
}

/* The copy's slug for the web: the headline's and the release number, so
 * that it is the same at every attempt and differs between releases. */
char *
desk_approved_copy_dup_slug (const DeskApprovedCopy *copy)
{
  g_autofree char *slug = desk_slug_from_headline (copy->headline, DESK_SLUG_MAX);

  if (*slug == '\0')
    return g_strdup_printf ("release-%" G_GINT64_FORMAT, copy->release_id);
  return g_strdup_printf ("%s-%" G_GINT64_FORMAT, slug, copy->release_id);
}

/* "YYYY-MM-DD-slug", the date being the day of approval in UTC. */
char *
desk_approved_copy_dup_file_stem (const DeskApprovedCopy *copy)
{
  g_autoptr(GDateTime) when = g_date_time_new_from_unix_utc (copy->approved_at / G_USEC_PER_SEC);
  g_autofree char *date = when != NULL ? g_date_time_format (when, "%Y-%m-%d") : g_strdup ("0000-00-00");
  g_autofree char *slug = desk_slug_from_headline (copy->headline, DESK_SLUG_MAX);

  if (*slug == '\0')
    return g_strdup_printf ("%s-release-%" G_GINT64_FORMAT, date, copy->release_id);
  return g_strdup_printf ("%s-%s", date, slug);
}

/* ---- rendering ----------------------------------------------------------- */

/* The paragraphs of the body: its non-empty lines, trimmed. */
static GStrv
split_paragraphs (const DeskApprovedCopy *copy)
{
  g_autofree char *body = desk_approved_copy_dup_body (copy);
  g_auto(GStrv) lines = g_strsplit (body, "\n", -1);
  g_autoptr(GStrvBuilder) paragraphs = g_strv_builder_new ();

  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = g_strstrip (lines[i]);

      if (*line != '\0')
        g_strv_builder_add (paragraphs, line);
    }
  return g_strv_builder_end (paragraphs);
}

/* @text as HTML text: & < > " and ' as entities, so that a WordPress
 * field, which is read as HTML, shows exactly these characters. */
char *
desk_html_escape (const char *text)
{
  GString *out = g_string_sized_new (strlen (text != NULL ? text : "") + 16);

  for (const char *p = text != NULL ? text : ""; *p != '\0'; p++)
    switch (*p)
      {
      case '&': g_string_append (out, "&amp;"); break;
      case '<': g_string_append (out, "&lt;"); break;
      case '>': g_string_append (out, "&gt;"); break;
      case '"': g_string_append (out, "&quot;"); break;
      case '\'': g_string_append (out, "&#039;"); break;
      default: g_string_append_c (out, *p); break;
      }
  return g_string_free (out, FALSE);
}

static void
append_escaped_html (GString    *out,
                     const char *text)
{
  g_autofree char *escaped = g_markup_escape_text (text, -1);

  g_string_append (out, escaped);
}

/* The article's paragraphs as HTML, the disclosure first: the content of
 * a WordPress post and the text/html body of ninjs. */
char *
desk_export_render_html_body (const DeskApprovedCopy *copy)
{
  GString *out = g_string_new (NULL);
  g_auto(GStrv) paragraphs = split_paragraphs (copy);

  if (copy->disclosure_label != NULL)
    {
      g_string_append (out, "<p class=\"disclosure\"><strong>");
      append_escaped_html (out, copy->disclosure_label);
      g_string_append (out, "</strong></p>\n");
    }
  for (guint i = 0; paragraphs[i] != NULL; i++)
    {
      g_string_append (out, "<p>");
      append_escaped_html (out, paragraphs[i]);
      g_string_append (out, "</p>\n");
    }
  return g_string_free (out, FALSE);
}

static char *
render_html (const DeskApprovedCopy *copy)
{
  GString *out = g_string_new ("<!DOCTYPE html>\n<html lang=\"");
  g_auto(GStrv) paragraphs = split_paragraphs (copy);

  append_escaped_html (out, copy->language);
  g_string_append (out, "\">\n<head>\n<meta charset=\"utf-8\">\n<title>");
  append_escaped_html (out, copy->headline);
  g_string_append (out, "</title>\n");
  if (copy->embargoed != NULL)
    g_string_append_printf (out, "<meta name=\"embargoed\" content=\"%s\">\n", copy->embargoed);
  g_string_append (out, "</head>\n<body>\n<article>\n");
  if (copy->disclosure_label != NULL)
    {
      g_string_append (out, "<p class=\"disclosure\"><strong>");
      append_escaped_html (out, copy->disclosure_label);
      g_string_append (out, "</strong></p>\n");
    }
  g_string_append (out, "<h1>");
  append_escaped_html (out, copy->headline);
  g_string_append (out, "</h1>\n");
  for (guint i = 0; paragraphs[i] != NULL; i++)
    {
      g_string_append (out, "<p>");
      append_escaped_html (out, paragraphs[i]);
      g_string_append (out, "</p>\n");
    }
  g_string_append (out, "</article>\n</body>\n</html>\n");
  return g_string_free (out, FALSE);
}

/* Escapes what Markdown would otherwise read as markup: the punctuation
 * of emphasis, code, links, HTML and tables anywhere, and what opens a
 * heading, a list or a quote at the start of a line. */
static void
append_escaped_markdown (GString    *out,
                         const char *text)
{
  const char *p = text;

  /* "1. " or "1) " at the start would open an ordered list. */
  while (g_ascii_isdigit (*p))
    g_string_append_c (out, *p++);
  if (p != text && (*p == '.' || *p == ')'))
    {
      g_string_append_c (out, '\\');
      g_string_append_c (out, *p++);
    }
  else if (p == text && (*p == '#' || *p == '>' || *p == '+' || *p == '-' || *p == '='))
    {
      g_string_append_c (out, '\\');
      g_string_append_c (out, *p++);
    }

  for (; *p != '\0'; p++)
    {
      if (strchr ("\\`*_{}[]<>()#!|~&", *p) != NULL)
        g_string_append_c (out, '\\');
      g_string_append_c (out, *p);
    }
}

static char *
render_markdown (const DeskApprovedCopy *copy)
{
  GString *out = g_string_new (NULL);
  g_auto(GStrv) paragraphs = split_paragraphs (copy);

  if (copy->disclosure_label != NULL)
    {
      g_string_append (out, "**");
      append_escaped_markdown (out, copy->disclosure_label);
      g_string_append (out, "**\n\n");
    }
  g_string_append (out, "# ");
  append_escaped_markdown (out, copy->headline);
  g_string_append (out, "\n");
  for (guint i = 0; paragraphs[i] != NULL; i++)
    {
      g_string_append (out, "\n");
      append_escaped_markdown (out, paragraphs[i]);
      g_string_append (out, "\n");
    }
  return g_string_free (out, FALSE);
}

/* The label, the headline (unless the text opens with it) and then the
 * approved text itself, byte for byte, to the last byte of the file: all
 * of it, or all but the headline's own line when that is the received
 * headline or stands under furniture (desk_find_headline_line()). */
static char *
render_text (const DeskApprovedCopy *copy)
{
  GString *out = g_string_new (NULL);
  g_autofree char *body = desk_approved_copy_dup_body (copy);
  gsize start = 0;
  gsize end = 0;

  if (copy->disclosure_label != NULL)
    g_string_append_printf (out, "%s\n\n", copy->disclosure_label);
  if (desk_find_headline_line (copy->text, copy->headline, NULL, &start, &end) && start == 0)
    g_string_append (out, copy->text);
  else
    {
      /* No headline at the top, or the one it was received with. */
      g_string_append_printf (out, "%s\n\n", copy->headline);
      g_string_append (out, body);
    }
  return g_string_free (out, FALSE);
}

static char *
format_iso8601 (gint64 usec)
{
  g_autoptr(GDateTime) when = g_date_time_new_from_unix_utc (usec / G_USEC_PER_SEC);

  return when != NULL ? g_date_time_format (when, "%Y-%m-%dT%H:%M:%SZ") : g_strdup ("1970-01-01T00:00:00Z");
}

static void
add_member (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value);
}

/* One {role, contenttype?, value} object of an array. */
static void
add_role_value (JsonBuilder *builder,
                const char  *role,
                const char  *contenttype,
                const char  *value)
{
  json_builder_begin_object (builder);
  add_member (builder, "role", role);
  if (contenttype != NULL)
    add_member (builder, "contenttype", contenttype);
  add_member (builder, "value", value);
  json_builder_end_object (builder);
}

/* IPTC ninjs 2.1. */
static char *
render_ninjs (const DeskApprovedCopy *copy)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *uri = g_strdup_printf ("urn:copydesk:release:%s", copy->content_hash);
  g_autofree char *body = desk_approved_copy_dup_body (copy);
  g_autofree char *version = g_strdup_printf ("%u", copy->revision_number);
  g_autofree char *versioncreated = format_iso8601 (copy->approved_at);
  g_autofree char *html = desk_export_render_html_body (copy);
  char *text;

  json_builder_begin_object (builder);
  add_member (builder, "uri", uri);
  add_member (builder, "type", "text");
  add_member (builder, "version", version);
  add_member (builder, "versioncreated", versioncreated);
  add_member (builder, "language", copy->language);
  if (copy->embargoed != NULL)
    add_member (builder, "embargoed", copy->embargoed);

  json_builder_set_member_name (builder, "headlines");
  json_builder_begin_array (builder);
  add_role_value (builder, "main", NULL, copy->headline);
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "bodies");
  json_builder_begin_array (builder);
  add_role_value (builder, "main", "text/plain", body);
  add_role_value (builder, "main", "text/html", html);
  json_builder_end_array (builder);

  if (copy->standfirst != NULL || copy->disclosure_label != NULL)
    {
      json_builder_set_member_name (builder, "descriptions");
      json_builder_begin_array (builder);
      if (copy->standfirst != NULL)
        add_role_value (builder, "summary", "text/plain", copy->standfirst);
      if (copy->disclosure_label != NULL)
        add_role_value (builder, "disclosure", "text/plain", copy->disclosure_label);
      json_builder_end_array (builder);
    }

  if (copy->disclosure != DESK_VERDICT_NONE)
    {
      gboolean sponsored = copy->disclosure == DESK_VERDICT_SPONSORED;

      json_builder_set_member_name (builder, "genres");
      json_builder_begin_array (builder);
      json_builder_begin_object (builder);
      add_member (builder, "uri", sponsored ? DESK_GENRE_SPONSORED : DESK_GENRE_PRESS_RELEASE);
      add_member (builder, "name", sponsored ? "Sponsored" : "Press Release");
      json_builder_end_object (builder);
      json_builder_end_array (builder);
    }

  if (copy->tags[0] != NULL)
    {
      json_builder_set_member_name (builder, "subjects");
      json_builder_begin_array (builder);
      for (guint i = 0; copy->tags[i] != NULL; i++)
        {
          json_builder_begin_object (builder);
          add_member (builder, "name", copy->tags[i]);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
    }

  if (copy->wire != NULL)
    {
      json_builder_set_member_name (builder, "infosources");
      json_builder_begin_array (builder);
      json_builder_begin_object (builder);
      add_member (builder, "name", copy->wire);
      add_member (builder, "role", "originfo");
      json_builder_end_object (builder);
      json_builder_end_array (builder);
    }
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, NULL);
  return text;
}

/* The copy as a file of @format would hold it (UTF-8). */
char *
desk_export_render (const DeskApprovedCopy *copy,
                    DeskExportFormat        format)
{
  g_return_val_if_fail (copy != NULL, NULL);

  switch (format)
    {
    case DESK_EXPORT_TEXT: return render_text (copy);
    case DESK_EXPORT_MARKDOWN: return render_markdown (copy);
    case DESK_EXPORT_HTML: return render_html (copy);
    case DESK_EXPORT_NINJS: return render_ninjs (copy);
    default: g_return_val_if_reached (NULL);
    }
}

/* ---- files --------------------------------------------------------------- */

static gboolean
file_has_contents (const char *path,
                   const char *contents)
{
  g_autofree char *existing = NULL;
  gsize len = 0;

  return g_file_get_contents (path, &existing, &len, NULL) &&
         len == strlen (contents) && memcmp (existing, contents, len) == 0;
}

/* Writes the approved copy of @release_id into @folder (made if missing)
 * and returns the file's path, as desk_export_copy_to_folder() does. */
char *
desk_export_to_folder (DeskStore         *store,
                       gint64             release_id,
                       DeskExportFormat   format,
                       const char        *folder,
                       GError           **error)
{
  g_autoptr(DeskApprovedCopy) copy = NULL;

  g_return_val_if_fail (DESK_IS_STORE (store), NULL);
  g_return_val_if_fail (folder != NULL, NULL);

  copy = desk_approved_copy_load (store, release_id, error);
  if (copy == NULL)
    return NULL;
  return desk_export_copy_to_folder (copy, format, folder, error);
}

/* Writes @copy, already loaded, into @folder (made if missing) and returns
 * the file's path.  A name already taken by another file gets "-2",
 * "-3"…; exporting the same copy again finds its own file and leaves it
 * as it is. */
char *
desk_export_copy_to_folder (const DeskApprovedCopy  *copy,
                            DeskExportFormat         format,
                            const char              *folder,
                            GError                 **error)
{
  g_autofree char *contents = NULL;
  g_autofree char *stem = NULL;

  g_return_val_if_fail (copy != NULL, NULL);
  g_return_val_if_fail (folder != NULL, NULL);

  contents = desk_export_render (copy, format);
  stem = desk_approved_copy_dup_file_stem (copy);

  if (g_mkdir_with_parents (folder, 0755) != 0)
    {
      int saved_errno = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   _("Could not create the folder %s: %s"), folder, g_strerror (saved_errno));
      return NULL;
    }

  for (guint n = 1; n < 10000; n++)
    {
      g_autofree char *name = n == 1
        ? g_strdup_printf ("%s.%s", stem, desk_export_format_get_extension (format))
        : g_strdup_printf ("%s-%u.%s", stem, n, desk_export_format_get_extension (format));
      g_autofree char *path = g_build_filename (folder, name, NULL);

      if (g_file_test (path, G_FILE_TEST_EXISTS))
        {
          if (file_has_contents (path, contents))
            return g_steal_pointer (&path);
          continue;
        }
      if (!g_file_set_contents (path, contents, -1, error))
        return NULL;
      return g_steal_pointer (&path);
    }

  g_set_error (error, DESK_ERROR, DESK_ERROR_FAILED,
               _("Too many files named %s in %s"), stem, folder);
  return NULL;
}

/* Where approved copy goes when the editor names no folder: the window's
 * Export, and copydesk-cli export without --to.  COPYDESK_EXPORT_DIR, else
 * Documents/Copydesk, else Copydesk in the home folder. */
char *
desk_export_default_folder (void)
{
  const char *env = g_getenv ("COPYDESK_EXPORT_DIR");
  const char *documents = g_get_user_special_dir (G_USER_DIRECTORY_DOCUMENTS);

  if (env != NULL && *env != '\0')
    return g_strdup (env);
  return g_build_filename (documents != NULL ? documents : g_get_home_dir (), "Copydesk", NULL);
}
