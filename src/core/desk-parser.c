/* desk-parser.c — reads the structure of an incoming plain-text release
 *
 * A syndicated release is a headline, a standfirst that often opens with
 * the wire's credit ("(SeaPRwire) –"), body paragraphs, and end matter the
 * newsroom must not run as its own: a third-party disclaimer, a sector line
 * and the distributor's about-paragraph.  The parser records where each of
 * these lies, as character spans of the text as received, so the window can
 * highlight them and the clean-up can strip them without touching the rest.
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <inttypes.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "desk-error.h"
#include "desk-language.h"
#include "desk-parser.h"
#include "desk-sha256.h"

typedef struct {
  gsize start;   /* bytes */
  gsize end;
} Span;

/* Phrases that mark a paragraph as a third-party disclaimer, matched
 * case-insensitively.  The sponsored-content detector has the full,
 * data-driven rule set; these are the ones the importer needs to find where
 * the story ends. */
static const char * const disclaimer_phrases[] = {
  "disediakan oleh penyedia konten pihak ketiga",
  "penyedia konten pihak ketiga",
  "tidak memberikan jaminan atau pernyataan",
  "provided by a third-party content provider",
  "third-party content provider",
  "third party content provider",
  "makes no warranties or representations",
  "this is a paid press release",
  "solely responsible for the content of this announcement",
  "für den inhalt der mitteilung ist",
  "legal disclaimer",
  "disediakan oleh penyedia konten",
  "dipersembahkan oleh",
};

static const char * const sector_labels[] = {
  "sektor", "sectors", "sector", "kategori", "categories", "category",
  "industri", "industry", "industries", "branche",
};

static const char * const about_openers[] = {
  "about ", "tentang ", "über ", "a propos de ", "à propos de ", "acerca de ",
  "sobre ", "o ",
};

const char *
desk_part_kind_to_string (DeskPartKind kind)
{
  switch (kind)
    {
    case DESK_PART_HEADLINE: return "headline";
    case DESK_PART_STANDFIRST: return "standfirst";
    case DESK_PART_CREDIT: return "credit";
    case DESK_PART_PARAGRAPH: return "paragraph";
    case DESK_PART_DISCLAIMER: return "disclaimer";
    case DESK_PART_SECTOR: return "sector";
    case DESK_PART_ABOUT: return "about";
    default: return "unknown";
    }
}

gboolean
desk_part_kind_is_end_matter (DeskPartKind kind)
{
  return kind == DESK_PART_DISCLAIMER ||
         kind == DESK_PART_SECTOR ||
         kind == DESK_PART_ABOUT;
}

void
desk_parsed_release_free (DeskParsedRelease *parsed)
{
  if (parsed == NULL)
    return;

  g_free (parsed->text);
  g_free (parsed->headline);
  g_free (parsed->standfirst);
  g_free (parsed->wire);
  g_free (parsed->language);
  g_free (parsed->content_hash);
  g_strfreev (parsed->tags);
  g_clear_pointer (&parsed->parts, g_array_unref);
  g_free (parsed);
}

/* Is @c a starter that NFC leaves as it is, whatever stands around it?
 * Only the few blocks Thai copy mixes with its own letters are listed
 * (punctuation, currency, full-width forms); U+2000 and U+2001 are not,
 * nor the letterlike symbols (U+212B becomes U+00C5). */
static inline gboolean
is_stable_starter (gunichar c)
{
  return (c >= 0x2010 && c <= 0x2027) || (c >= 0x2030 && c <= 0x205E) ||
         (c >= 0x20A0 && c <= 0x20BF) || (c >= 0x3000 && c <= 0x3029) ||
         (c >= 0xFF00 && c <= 0xFFEF);
}

/* Does @text need NFC normalisation before hashing?  Only where it holds
 * combining marks or conjoining jamo: precomposed text (nearly every
 * release) is hashed as it is, which is much cheaper.
 *
 * Thai (and Lao) copy is full of combining marks, yet NFC leaves it as it
 * is: none of its marks composes, so NFC only puts a run of marks in the
 * order of their combining classes.  Marks of those blocks already in
 * that order are no reason to normalise, when every other character is
 * one NFC is known to leave alone; g_utf8_normalize() on Thai copy was
 * 4% of an import's instructions (callgrind, 1,000 releases of the mixed
 * corpus) and gave back the same bytes. */
static gboolean
needs_composition (const char *text)
{
  guint last_class = 0;      /* of the Thai or Lao mark just before, or 0 */
  gboolean thai_marks = FALSE;
  gboolean unsure = FALSE;   /* a character NFC might change */

  for (const guchar *p = (const guchar *) text; *p != '\0'; p++)
    {
      gunichar c;
      guint combining;

      if (*p < 0x80)
        {
          /* A run of ASCII at once. */
          while ((guchar) (p[1] - 1) < 0x7F)
            p++;
          last_class = 0;
          continue;
        }
      /* Below U+0300, and U+4000–U+DFFF (CJK ideographs, Hangul
       * syllables: all starters, none a conjoining jamo), nothing
       * combines: Chinese copy is read without decoding it. */
      if (*p < 0xCC || (*p >= 0xE4 && *p <= 0xED))
        {
          if (*p < 0xC0)
            continue;   /* inside a character */
          /* Only ideographs are known to stay as they are. */
          if (*p >= 0xE4 && !(*p >= 0xE5 && *p <= 0xE9) && !(*p == 0xE4 && p[1] >= 0xB8))
            unsure = TRUE;
          last_class = 0;
          continue;
        }
      c = g_utf8_get_char ((const char *) p);
      combining = (guint) g_unichar_combining_class (c);
      if (c >= 0x0E00 && c <= 0x0EFF)
        {
          if (combining != 0 && combining < last_class)
            return TRUE;   /* marks out of order: NFC reorders them */
          thai_marks |= combining != 0;
          last_class = combining;
          continue;
        }
      if (combining != 0 || (c >= 0x1100 && c <= 0x11FF))
        return TRUE;
      if (!is_stable_starter (c))
        unsure = TRUE;
      last_class = 0;
    }
  return thai_marks && unsure;
}

/* The length of the white space character at @p, or 0: exactly the
 * characters the hash always took for space (g_ascii_isspace() in ASCII,
 * g_unichar_isspace() beyond: Unicode's Zs, Zl and Zp) and U+FEFF, read from their UTF-8 bytes rather
 * than decoded one by one (decoding every character of Chinese, Japanese
 * or Thai copy cost more than hashing it).  @p is valid UTF-8, so no
 * pattern below can start inside another character. */
static inline gsize
space_length (const guchar *p)
{
  switch (p[0])
    {
    case ' ': case '\t': case '\n': case '\f': case '\r':   /* not \v, as g_ascii_isspace() */
      return 1;
    case 0xC2:   /* U+00A0 */
      return p[1] == 0xA0 ? 2 : 0;
    case 0xE1:   /* U+1680 */
      return p[1] == 0x9A && p[2] == 0x80 ? 3 : 0;
    case 0xE2:   /* U+2000–U+200A, U+2028, U+2029, U+202F; U+205F */
      if (p[1] == 0x80)
        return (p[2] >= 0x80 && p[2] <= 0x8A) || p[2] == 0xA8 || p[2] == 0xA9 || p[2] == 0xAF ? 3 : 0;
      return p[1] == 0x81 && p[2] == 0x9F ? 3 : 0;
    case 0xE3:   /* U+3000 */
      return p[1] == 0x80 && p[2] == 0x80 ? 3 : 0;
    case 0xEF:   /* U+FEFF */
      return p[1] == 0xBB && p[2] == 0xBF ? 3 : 0;
    default:
      return 0;
    }
}

/* Bytes that may start white space (space_length()) or end the text: 1;
 * every other byte 0. */
static const guint8 hash_byte_kind[256] = {
  [0] = 1, [' '] = 1, ['\t'] = 1, ['\n'] = 1, ['\f'] = 1, ['\r'] = 1,
  [0xC2] = 1, [0xE1] = 1, [0xE2] = 1, [0xE3] = 1, [0xEF] = 1,
};

/* Dedup key: the same words in the same order are the same release, however
 * the lines were wrapped or the file was encoded. */
char *
desk_content_hash (const char *text)
{
  g_autofree char *nfc = needs_composition (text) ? g_utf8_normalize (text, -1, G_NORMALIZE_NFC) : NULL;
  const guchar *p = (const guchar *) (nfc != NULL ? nfc : text);
  g_autofree guchar *folded = g_malloc (strlen ((const char *) p) + 1);
  gsize n = 0;
  gboolean pending_space = FALSE;

  /* Every run of white space between words counts as one space, and none
   * at either end. */
  while (*p != '\0')
    {
      gsize len = space_length (p);

      if (len > 0)
        {
          pending_space = n > 0;
          p += len;
          continue;
        }
      if (pending_space)
        folded[n++] = ' ';
      pending_space = FALSE;
      /* The bytes up to the next white space, as they are: a run of bytes
       * that start no white space copied at once (a byte at a time, each
       * asked space_length(), was a third of the hash's instructions). */
      folded[n++] = *p++;
      for (;;)
        {
          const guchar *run = p;

          while (hash_byte_kind[*p] == 0)
            p++;
          memcpy (folded + n, run, (gsize) (p - run));
          n += (gsize) (p - run);
          if (*p == '\0' || space_length (p) != 0)
            break;
          folded[n++] = *p++;   /* the lead byte of a character that is not a space */
        }
    }

  return desk_sha256_hex (folded, n);
}

static gboolean
is_blank (const char *s,
          gsize       len)
{
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isspace (s[i]))
      return FALSE;
  return TRUE;
}

/* Trims ASCII white space and no-break spaces off both ends of @span. */
static Span
span_trim (const char *text,
           Span        span)
{
  while (span.start < span.end)
    {
      if (g_ascii_isspace (text[span.start]))
        span.start++;
      else if (span.end - span.start >= 2 &&
               (guchar) text[span.start] == 0xC2 && (guchar) text[span.start + 1] == 0xA0)
        span.start += 2;
      else
        break;
    }
  while (span.end > span.start)
    {
      if (g_ascii_isspace (text[span.end - 1]))
        span.end--;
      else if (span.end - span.start >= 2 &&
               (guchar) text[span.end - 2] == 0xC2 && (guchar) text[span.end - 1] == 0xA0)
        span.end -= 2;
      else
        break;
    }
  return span;
}

/* Paragraphs are blank-line separated blocks when the text has blank lines
 * (hard-wrapped wire copy, Markdown), else one a line (the seed's form). */
static GArray *
split_paragraphs (const char *text,
                  gsize       from,
                  gsize       len)
{
  GArray *paragraphs = g_array_new (FALSE, FALSE, sizeof (Span));
  gboolean blank_lines = FALSE;
  gsize pos = from;
  Span block = { G_MAXSIZE, 0 };

  /* A blank line between two non-blank ones? */
  {
    gboolean seen_text = FALSE;
    gboolean seen_blank_after_text = FALSE;

    for (gsize p = from; p < len && !blank_lines;)
      {
        const char *nl = memchr (text + p, '\n', len - p);
        gsize end = nl != NULL ? (gsize) (nl - text) : len;

        if (is_blank (text + p, end - p))
          seen_blank_after_text = seen_text;
        else if (seen_blank_after_text)
          blank_lines = TRUE;
        else
          seen_text = TRUE;
        p = end + 1;
      }
  }

  while (pos < len)
    {
      const char *nl = memchr (text + pos, '\n', len - pos);
      gsize end = nl != NULL ? (gsize) (nl - text) : len;
      gboolean blank = is_blank (text + pos, end - pos);

      if (!blank)
        {
          if (!blank_lines)
            {
              Span line = span_trim (text, (Span) { pos, end });
              g_array_append_val (paragraphs, line);
            }
          else
            {
              if (block.start == G_MAXSIZE)
                block.start = pos;
              block.end = end;
            }
        }
      else if (blank_lines && block.start != G_MAXSIZE)
        {
          Span trimmed = span_trim (text, block);
          g_array_append_val (paragraphs, trimmed);
          block.start = G_MAXSIZE;
        }
      pos = end + 1;
    }

  if (blank_lines && block.start != G_MAXSIZE)
    {
      Span trimmed = span_trim (text, block);
      g_array_append_val (paragraphs, trimmed);
    }

  return paragraphs;
}

static char *
span_dup (const char *text,
          Span        span)
{
  return g_strndup (text + span.start, span.end - span.start);
}

static gboolean
contains_casefold (const char         *haystack_folded,
                   const char * const *needles,
                   gsize               n_needles)
{
  for (gsize i = 0; i < n_needles; i++)
    if (strstr (haystack_folded, needles[i]) != NULL)
      return TRUE;
  return FALSE;
}

/* "Sektor: Top Story, Daily News" → TRUE, and the items as tags. */
static gboolean
parse_sector_line (const char  *paragraph,
                   GStrv       *out_tags)
{
  const char *colon = strchr (paragraph, ':');
  g_autofree char *label = NULL;
  g_autofree char *label_folded = NULL;
  gboolean known = FALSE;

  if (colon == NULL || strchr (paragraph, '\n') != NULL || colon - paragraph > 20)
    return FALSE;

  label = g_strstrip (g_strndup (paragraph, colon - paragraph));
  label_folded = g_utf8_casefold (label, -1);
  for (gsize i = 0; i < G_N_ELEMENTS (sector_labels) && !known; i++)
    known = g_str_equal (label_folded, sector_labels[i]);
  if (!known)
    return FALSE;

  if (out_tags != NULL)
    {
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
      g_auto(GStrv) items = g_regex_split_simple ("[,;]", colon + 1, 0, 0);

      for (guint i = 0; items[i] != NULL; i++)
        {
          char *item = g_strstrip (items[i]);
          if (*item != '\0')
            g_strv_builder_add (builder, item);
        }
      *out_tags = g_strv_builder_end (builder);
    }

  return TRUE;
}

static gboolean
is_about_heading (const char *folded)
{
  guint words = 1;

  if (strlen (folded) > 100)
    return FALSE;
  for (const char *p = folded; *p; p++)
    if (*p == ' ')
      words++;
  if (words > 10)
    return FALSE;

  for (gsize i = 0; i < G_N_ELEMENTS (about_openers); i++)
    if (g_str_has_prefix (folded, about_openers[i]) && strlen (about_openers[i]) > 2)
      return TRUE;
  return FALSE;
}

static GRegex *
credit_regex (void)
{
  static GRegex *regex;

  if (g_once_init_enter (&regex))
    {
      /* An optional dateline ("JAKARTA, 5 Maret 2025"), then the wire in
       * parentheses or slashes, then a dash: "(SeaPRwire) –",
       * "/PRNewswire/ --", "--(BUSINESS WIRE)--", "- (JCN Newswire) -".
       * The credit is what a clean-up removes; the dateline stays. */
      GRegex *r = g_regex_new (
          "^(?:[\\p{Lu}][^\\n()/]{0,60}?,[^\\n()/]{0,40}?\\s+)?"
          "(?<credit>(?:-\\s*)?"
          "(?:--\\((?<w1>[^()\\n]{2,40})\\)--"
          "|\\((?<w2>[^()\\n]{2,40})\\)\\s*[-–—]{1,2}"
          "|/(?<w3>[^/\\n]{2,40})/\\s*[-–—]{1,2})"
          "\\s*)",
          G_REGEX_OPTIMIZE, 0, NULL);
      g_assert (r != NULL);
      g_once_init_leave (&regex, r);
    }

  return regex;
}

/* Finds the wire credit at the start of @standfirst: returns the wire's
 * name and where the credit lies, in bytes. */
static char *
match_credit (const char *standfirst,
              gsize      *out_start,
              gsize      *out_end)
{
  g_autoptr(GMatchInfo) match = NULL;
  const char *groups[] = { "w1", "w2", "w3" };
  int start = 0;
  int end = 0;

  if (!g_regex_match (credit_regex (), standfirst, 0, &match))
    return NULL;

  g_match_info_fetch_named_pos (match, "credit", &start, &end);
  for (gsize i = 0; i < G_N_ELEMENTS (groups); i++)
    {
      g_autofree char *wire = g_match_info_fetch_named (match, groups[i]);

      if (wire != NULL && *g_strstrip (wire) != '\0')
        {
          *out_start = (gsize) start;
          *out_end = (gsize) end;
          return g_steal_pointer (&wire);
        }
    }

  return NULL;
}

/* The first @head_len bytes of @head, then @tail. */
static char *
join_around (const char *head,
                        gsize       head_len,
                        const char *tail)
{
  GString *out = g_string_new_len (head, (gssize) head_len);

  g_string_append (out, tail);
  return g_string_free (out, FALSE);
}

static void
add_part (GArray       *parts,
          DeskPartKind  kind,
          Span          span)
{
  /* Bytes for now; turned into characters once all parts are known. */
  DeskPart part = { kind, (guint) span.start, (guint) span.end };
  g_array_append_val (parts, part);
}

static int
compare_parts (gconstpointer a,
               gconstpointer b)
{
  const DeskPart *pa = a;
  const DeskPart *pb = b;

  if (pa->start != pb->start)
    return pa->start < pb->start ? -1 : 1;
  /* An enclosing part (the standfirst) before the one inside it (the credit). */
  if (pa->end != pb->end)
    return pa->end > pb->end ? -1 : 1;
  return (int) pa->kind - (int) pb->kind;
}

static int
compare_guint (gconstpointer a,
               gconstpointer b)
{
  guint x = *(const guint *) a;
  guint y = *(const guint *) b;

  return x < y ? -1 : x > y;
}

/* The characters in text[from, to): the bytes that do not continue a UTF-8
 * sequence, counted eight at a time (a byte at a time, the walk below was
 * 2% of an import's instructions). */
static guint
count_chars_between (const char *text,
                     gsize       from,
                     gsize       to)
{
  guint continuing = 0;
  gsize pos = from;

  if (to <= from)
    return 0;
  for (; pos + 8 <= to; pos += 8)
    {
      guint64 word;

      memcpy (&word, text + pos, 8);
      /* Bit 7 set and bit 6 clear: a continuation byte. */
      continuing += (guint) __builtin_popcountll (word & ~(word << 1) & G_GUINT64_CONSTANT (0x8080808080808080));
    }
  for (; pos < to; pos++)
    continuing += ((guchar) text[pos] & 0xC0) == 0x80;
  return (guint) (to - from) - continuing;
}

/* Turns the parts' byte offsets into character offsets with one walk over
 * the text, however many parts there are. */
static void
parts_bytes_to_chars (const char *text,
                      GArray     *parts)
{
  g_autoptr(GArray) bytes = g_array_sized_new (FALSE, FALSE, sizeof (guint), parts->len * 2);
  g_autoptr(GArray) chars = NULL;
  gsize text_len = strlen (text);
  gsize pos = 0;
  guint n_chars = 0;

  for (guint i = 0; i < parts->len; i++)
    {
      DeskPart *part = &g_array_index (parts, DeskPart, i);
      g_array_append_val (bytes, part->start);
      g_array_append_val (bytes, part->end);
    }
  g_array_sort (bytes, compare_guint);

  /* Characters are the bytes that do not continue a UTF-8 sequence. */
  chars = g_array_sized_new (FALSE, FALSE, sizeof (guint), bytes->len);
  for (guint i = 0; i < bytes->len; i++)
    {
      gsize target = MIN ((gsize) g_array_index (bytes, guint, i), text_len);

      n_chars += count_chars_between (text, pos, target);
      pos = MAX (pos, target);
      g_array_append_val (chars, n_chars);
    }

  for (guint i = 0; i < parts->len; i++)
    {
      DeskPart *part = &g_array_index (parts, DeskPart, i);
      guint index;

      g_array_binary_search (bytes, &part->start, compare_guint, &index);
      part->start = g_array_index (chars, guint, index);
      g_array_binary_search (bytes, &part->end, compare_guint, &index);
      part->end = g_array_index (chars, guint, index);
    }
}

/* A line that labels paid content or announces a press release, alone:
 * the words the sponsor rules' labels and notices hold most often. */
static gboolean
is_label_line (const char *line,
               gsize       len)
{
  static GRegex *label;

  if (g_once_init_enter (&label))
    g_once_init_leave (&label, g_regex_new ("^[\\s\\[(*_#|]*(?:Sponsored(?: content| post| story)?|Paid (?:post|content|partnership)"
                                            "|Advertorial|Advertisement|Partner content|Promoted(?: content)?|Brand(?:ed)? content"
                                            "|Anzeige|Werbung|Publireportage|Gesponserter (?:Beitrag|Inhalt)"
                                            "|Contenu (?:sponsorisé|partenaire)|Publi-?reportage|Contenido patrocinado"
                                            "|Conteúdo patrocinado|Informe publicitário|Contenuto sponsorizzato"
                                            "|Informazione pubblicitaria|Advertentie|Gesponsord|Annons|Komerční sdělení"
                                            "|Artykuł sponsorowany|Reklam|Реклама|На правах рекламы|Konten bersponsor"
                                            "|Artikel bersponsor|Kandungan tajaan|Iklan|Nội dung được tài trợ|Quảng cáo"
                                            "|บทความโฆษณา|محتوى مدعوم|広告|記事広告|PR|광고|赞助内容|贊助內容|广告|廣告"
                                            "|FOR IMMEDIATE RELEASE|(?:PRESS|NEWS|MEDIA) RELEASE|PRESSEMITTEILUNG"
                                            "|COMMUNIQUÉ DE PRESSE|NOTA DE PRENSA|COMUNICATO STAMPA|SIARAN PERS"
                                            "|PERSBERICHT|TISKOVÁ ZPRÁVA|BASIN BÜLTENİ|보도자료|プレスリリース|新闻稿|新聞稿"
                                            "|THÔNG CÁO BÁO CHÍ|ข่าวประชาสัมพันธ์|สำหรับเผยแพร่ทันที|بيان صحفي|Пресс-релиз"
                                            "|COMUNICADO DE PRENSA|COMUNICADO DE IMPRENSA|INFORMACJA PRASOWA)"
                                            "[\\s\\])*_|.:]*$", G_REGEX_OPTIMIZE, 0, NULL));
  return g_regex_match_full (label, line, (gssize) len, 0, 0, NULL, NULL);
}

/* A date line of its own, with or without a place or a key before it and a
 * time after it: "Paris, le 12 mai 2025", "2025.05.12", "發布日期：2025年4月22日",
 * "Hà Nội, ngày 15 tháng 5 năm 2025", "June 2, 2025 8:00 AM EDT".  Releases
 * put one above the headline or under it; it is never the headline.  The
 * month is any word, so the shape holds in every language. */
gboolean
desk_is_date_line (const char *line,
                   gsize       len)
{
  static GRegex *date;

  if (len > 120)
    return FALSE;
  if (g_once_init_enter (&date))
    g_once_init_leave (&date, g_regex_new (
      "^\\s*(?:[^\\d\\n,，、،:：.!?。]{1,40}(?:[,，、،]|\\s*[:：])\\s*)?"
      "(?:(?:le|ngày|am|el|den|il|on|du|vom|dnia)\\s+)?"
      /* a place or a weekday with no comma: "Praha 5. března 2026" */
      "(?:\\p{L}[\\p{L}\\p{M}]{1,14}\\s+)?"
      "(?:(?:令和|平成|昭和|民國|民国)?\\s*\\d{1,4}\\s*[年년]\\s*\\d{1,2}\\s*[月월]\\s*\\d{1,2}\\s*[日일]"
      "|\\d{4}[./-]\\d{1,2}[./-]\\d{1,2}\\.?"
      "|\\d{1,2}[./-]\\d{1,2}[./-]\\d{4}"
      "|\\d{1,2}\\.?\\s+(?:de\\s+)?\\p{L}[\\p{L}\\p{M}]{2,11}\\.?,?\\s+(?:de\\s+)?\\d{4}"
      "|\\p{L}[\\p{L}\\p{M}]{2,11}\\.?\\s+\\d{1,2},?\\s+\\d{4}"
      "|\\d{1,2}\\s+tháng\\s+\\d{1,2}\\s+năm\\s+\\d{4}"
      /* "Ika-5 ng Marso 2026" */
      "|(?:[Ii]ka-)?\\d{1,2}\\s+ng\\s+\\p{L}{3,11}\\s+\\d{4})"
      "(?:\\s*(?:г\\.|года|роки|yılı|r\\.))?"
      "(?:\\s*[,，]?\\s*\\d{1,2}(?:[:.h時시]\\s*\\d{2}(?::\\d{2})?\\s*[分분]?)?"
      "(?:\\s*(?:[AaPp]\\.?[Mm]\\.?|Uhr|h|[A-Z]{1,4}T|JST|KST|WIB|WITA|WIT|UTC|GMT|ICT|IST))*"
      /* a time's word for the half of the day in any language ("पूर्वाह्न", "अपराह्न") */
      "(?:(?<=\\d\\d)\\s+\\p{L}[\\p{L}\\p{M}]{1,11})?)?"
      "\\s*$",
      G_REGEX_OPTIMIZE, 0, NULL));
  return g_regex_match_full (date, line, (gssize) len, 0, 0, NULL, NULL);
}

/* "For immediate release" in any language, in its own words: a short
 * line with a word for now ("UNTUK SIARAN SERTA-MERTA", "PARA SA AGARANG
 * PAGLALATHALA", "Zur sofortigen Veröffentlichung", "即時發佈") and a word
 * for giving out.  A headline that holds both ("Immediate release of
 * hostages demanded") has more words, and some in lower case. */
static gboolean
is_immediate_notice (const char *line,
                     gsize       len)
{
  static GRegex *immediate;
  guint words = 1;
  guint chars = 0;
  gboolean lower = FALSE;
  gboolean spaced = FALSE;

  if (len > 80)
    return FALSE;
  if (g_once_init_enter (&immediate))
    g_once_init_leave (&immediate, g_regex_new (
      "^[\\s\\[(【「■●◆*_#|-]*"
      "(?=[^\\n]*?(?:(?<!\\w)(?:immediate|imm[ée]diat\\w*|inmediat\\w*|imediat\\w*|sofortig\\w*|serta-merta|segera"
      "|agarang|onmiddellijk\\w*|omedelbar\\w*|natychmiast\\w*|okamžit\\w*|hemen|ngay)(?!\\w)|即時|即时|立即|즉시))"
      "(?=[^\\n]*?(?:(?<!\\w)(?:release|diffusion|difusi[óo]n|divulga[çc][ãa]o|publica\\w*|pubblicazione|publikac\\w*"
      "|ver[öo]ffentlich\\w*|siaran|paglalathala|publicatie|publicering|yayın\\w*|công bố|distribution|distribuci[óo]n"
      "|penerbitan|disiarkan)(?!\\w)|發佈|發布|发布|發放|发放|發表|发表|보도|배포))"
      "[^\\n.!?。,，0-9]+$",
      G_REGEX_OPTIMIZE | G_REGEX_CASELESS, 0, NULL));
  if (!g_regex_match_full (immediate, line, (gssize) len, 0, 0, NULL, NULL))
    return FALSE;
  for (const char *p = line; p < line + len; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      chars++;
      if (c == ' ')
        {
          words++;
          spaced = TRUE;
        }
      lower |= g_unichar_islower (c);
    }
  /* "即時發佈", "供即時發佈": a notice without spaces is a few characters. */
  if (!spaced)
    return chars <= 10;
  return words <= 4 || (!lower && words <= 6);
}

/* A notice with its number ("SIARAN PERS NOMOR: 045/HMS/XII/2026",
 * "MEDIA RELEASE No. 87/2026", "RILIS NOMOR: …"): a notice's words, then
 * a word for number and an identifier holding a digit. */
static gboolean
is_numbered_notice (const char *line,
                    gsize       len)
{
  static GRegex *number_word;
  static GRegex *alone;
  g_autoptr(GMatchInfo) at = NULL;
  int end = 0;

  if (len > 96)
    return FALSE;
  if (g_once_init_enter (&number_word))
    g_once_init_leave (&number_word, g_regex_new (
      "\\s+(?:NOMOR|NO|NR|NRO|NUMBER|NÚMERO|NUMÉRO|NUMERO|N\\.?º|N°|NUM|N(?=\\.\\s*\\d))(?!\\w)\\.?\\s*[:：.]?\\s*[\\w./-]*\\d[\\w./-]*"
      /* and its date: "Comunicado n.º 45 de 3 de marzo de 2026" */
      "(?:,?\\s+(?:del|de|du|vom|von|of|dated|z dnia|ze dne|tanggal|tgl\\.?|от|van|den)\\s+[^\\n]{0,24}\\d[^\\n]{0,24})?\\s*$",
      G_REGEX_OPTIMIZE | G_REGEX_CASELESS, 0, NULL));
  if (g_once_init_enter (&alone))
    g_once_init_leave (&alone, g_regex_new (
      "^[\\s\\[(*_#|]*(?:rilis|release|communiqué|comunicado|comunicato|komunikat|bulletin|notice|statement|advisory)\\s*$",
      G_REGEX_OPTIMIZE | G_REGEX_CASELESS, 0, NULL));
  if (!g_regex_match_full (number_word, line, (gssize) len, 0, 0, &at, NULL) ||
      !g_match_info_fetch_pos (at, 0, &end, NULL) || end <= 0)
    return FALSE;
  /* The words before the number: a notice, or "Rilis", "Release" alone. */
  return g_regex_match_full (alone, line, end, 0, 0, NULL, NULL) ||
         is_label_line (line, (gsize) end) ||
         desk_is_notice_by_words (line, (gsize) end);
}
/* A release notice by its words, in any language, where no rule names
 * it: a short line made only of the words notices are made of ("BASIN
 * AÇIKLAMASI", "KENYATAAN AKHBAR", "Presseinfo", "Media Information",
 * "보도참고자료"), one of them the press's or the media's.  "Press freedom
 * under threat" holds other words; "Media" alone is a section. */
gboolean
desk_is_notice_by_words (const char *line,
                         gsize       len)
{
  static GRegex *words;
  static GRegex *unspaced;
  static GRegex *noun;
  g_autoptr(GMatchInfo) info = NULL;
  guint n_words = 1;
  guint chars;

  if (len > 80)
    return FALSE;
  if (g_once_init_enter (&words))
    g_once_init_leave (&words, g_regex_new (
      "^[\\s\\[(【「*_#|•·-]*"
      "(?=[^\\n]*?(?<!\\w)(?:press\\w*|presse\\w*|pers|persbericht|prensa|imprensa|stampa|prasow\\w*|tiskov\\w*|tla[čc]ov\\w*|sajtó\\w*|bas[ıi]n"
      "|medi(?:a|en|enmitteilung|eninformation|os|as)\\w*|akhbar|wartawan|пресс\\S*|сми|медиа|báo chí|प्रेस|मीडिया|pres[ăa]|صحفي|إعلامي|للصحافة|للإعلام)(?!\\w))"
      "(?:(?:press\\w*|presse\\w*|pers|persbericht|prensa|imprensa|stampa|prasow\\w*|tiskov\\w*|tla[čc]ov\\w*|sajtó\\w*|bas[ıi]n"
      "|medi(?:a|en|enmitteilung|eninformation|os|as)\\w*|akhbar|wartawan|пресс\\S*|сми|медиа|báo chí|प्रेस|मीडिया|pres[ăa]|صحفي|إعلامي|للصحافة|للإعلام"
      "|release|releases|statement|information|informations|info|note|notice|advisory|announcement|bulletin|kit|dossier"
      "|communiqu\\w*|comunica\\w*|mitteilung|meldung|informac\\w*|informace|informativa|nota|notatka|komunikat\\w*"
      "|zpráva|správa|prohlášení|oznámení|a[çc][ıi]klamas[ıi]|a[çc][ıi]klama|b[iİ]ld[iİ]r[iİ]\\w*|bülten\\w*|duyuru\\w*|siaran|rilis|kenyataan|keterangan|pernyataan"
      "|tiedote|meddelande|melding|bericht|релиз|сообщение|заявление|информация|विज्ञप्ति|वक्तव्य|thông cáo|thông báo|bayan[ıi]|alert|بيان|خبر|تصريح"
      "|de|da|do|di|du|des|à|a|al|ao|la|el|the|for|to|para|dla|pro|för|til|voor|für|zur|ke|kepada|untuk|della|для)"
      "(?!\\w)[\\s/–—-]*){1,5}"
      "[\\s\\])】」*_|.:：]*$",
      G_REGEX_OPTIMIZE | G_REGEX_CASELESS, 0, NULL));
  if (g_once_init_enter (&unspaced))
    g_once_init_leave (&unspaced, g_regex_new (
      "^[\\s\\[(【「■●◆*_#|]*(?=\\S*(?:報道|プレス|新闻|新聞|媒体|媒體|보도|언론|ข่าว))"
      "(?=\\S*(?:発表|リリース|資料|资料|稿|公报|公報|通告|자료|แจก|แถลง|ประชาสัมพันธ์|各位))\\S{2,14}?[\\s\\])】」■●◆*_|.:：]*$",
      G_REGEX_OPTIMIZE, 0, NULL));
  if (g_regex_match_full (unspaced, line, (gssize) len, 0, 0, NULL, NULL))
    return TRUE;
  if (is_immediate_notice (line, len))
    return TRUE;
  if (is_numbered_notice (line, len))
    return TRUE;
  if (!g_regex_match_full (words, line, (gssize) len, 0, 0, &info, NULL))
    return FALSE;
  for (gsize i = 0; i < len; i++)
    n_words += line[i] == ' ';
  chars = (guint) g_utf8_strlen (line, (gssize) len);
  /* "Presse" or "PRESS" alone is no notice; "Pressemitteilung",
   * "PRESSINFORMATION" hold two words in one. */
  if (n_words < 2)
    return chars >= 10;
  /* Words of a notice, not "La media" (the average): one says what is
   * given out. */
  if (g_once_init_enter (&noun))
    g_once_init_leave (&noun, g_regex_new (
      "(?<!\\w)(?:release|releases|statement|information|informations|info|note|notice|advisory|announcement|bulletin|kit|dossier"
      "|communiqu\\w*|comunica\\w*|mitteilung|meldung|informac\\w*|informace|informativa|nota|notatka|komunikat\\w*"
      "|zpráva|správa|prohlášení|oznámení|a[çc][ıi]klamas[ıi]|a[çc][ıi]klama|b[iİ]ld[iİ]r[iİ]\\w*|bülten\\w*|duyuru\\w*|siaran|rilis|kenyataan|keterangan|pernyataan"
      "|tiedote|meddelande|melding|bericht|релиз|сообщение|заявление|информация|विज्ञप्ति|वक्तव्य|thông cáo|thông báo|bayan[ıi]|alert|بيان|خبر|تصريح)(?!\\w)",
      G_REGEX_OPTIMIZE | G_REGEX_CASELESS, 0, NULL));
  return g_regex_match_full (noun, line, (gssize) len, 0, 0, NULL, NULL);
}

/* The line under a label that may be the headline: not a story's first
 * sentence ("KOTA BHARU, 3 Dis – Lebih 2,000 penduduk dipindahkan."),
 * which is long or ends on a full stop; the short line in capitals over
 * it ("BANJIR LAGI") is then the headline itself. */
static gboolean
is_headline_shaped (const char *line,
                    gsize       len)
{
  const char *last;

  while (len > 0 && g_ascii_isspace (line[len - 1]))
    len--;
  if (len == 0 || g_utf8_strlen (line, (gssize) len) > 200)
    return FALSE;
  last = g_utf8_find_prev_char (line, line + len);
  return last != NULL && *last != '.' && g_utf8_get_char (last) != 0x3002;
}

/* An organisation's letterhead in capitals over the headline or over
 * other furniture ("TRIBUNAL SUPERIOR DE JUSTICIA DE …", "KEMENTERIAN
 * …", "GABINETE DE COMUNICACIÓN"): no lower case, digit or sentence's
 * mark, led by a word for a public body or its office, over a line that
 * is no story's first sentence.  "MINISTRY DENIES HOSPITAL CLOSURE" over
 * its story stays the headline. */
gboolean
desk_is_letterhead (const char *line,
                    gsize       len,
                    const char *next,
                    gsize       next_len)
{
  static GRegex *letterhead;
  guint words = 1;

  if (len > 96 || next == NULL || next_len == 0 || !is_headline_shaped (next, next_len))
    return FALSE;
  if (g_once_init_enter (&letterhead))
    g_once_init_leave (&letterhead, g_regex_new (
      "^(?:MINIST\\p{Lu}*|BUNDESMINISTERIUM|KEMENTERIAN|KEMENTRIAN|JABATAN|MAHKAMAH|DEPARTMENT|OFFICE|GOVERNMENT"
      "|PEMERINTAH|TRIBUNAL|TRIBUNALE|COURT|COUR|SUPREME|HIGH COURT|CORTE|JUZGADO|AUDIENCIA|AYUNTAMIENTO|CONSEJERÍA|GOBIERNO"
      "|PARQUET|PROCURA|FISCALÍA|STAATSANWALTSCHAFT|PROKURATURA|SĄD|SOUD|RECHTBANK|GERECHTSHOF|OPENBAAR MINISTERIE|KEJAKSAAN|PENGADILAN"
      "|GABINETE|PRÉFECTURE|KAGAWARAN|TANGGAPAN|PAMAHALAANG|DINAS|KEPOLISIAN|POLIS|POLICE|MINISTERSTWO|URZĄD"
      "|MINISTERSTVO|LANDGERICHT|OBERLANDESGERICHT|AMTSGERICHT|BUNDESGERICHTSHOF|STAATSKANZLEI|SENATSVERWALTUNG"
      "|BIDANG|BAGIAN|BIRO|DIVISI|HUMAS|HUBUNGAN MASYARAKAT|PRESS OFFICE|PUBLIC AFFAIRS|COMMUNICATIONS)"
      "(?!\\p{L})[^\\p{Ll}\\d.!?。,:;]*$",
      G_REGEX_OPTIMIZE, 0, NULL));
  if (!g_regex_match_full (letterhead, line, (gssize) len, 0, 0, NULL, NULL))
    return FALSE;
  for (gsize i = 0; i < len; i++)
    words += line[i] == ' ';
  return words >= 2 && words <= 10;
}

/* A company's name alone on a line above a longer one, as PR Times and
 * issuers put it over the headline ("株式会社ミナト製作所", "PT Sinar Abadi
 * Tbk", "Harwick Instruments Ltd"): a name that starts or ends on a
 * company's suffix, with no digit or sentence's mark, under a line of
 * twice its length or more that is no date. */
static gboolean
is_company_name (const char *line,
                 gsize       len)
{
  static GRegex *company;

  if (len > 80)
    return FALSE;
  if (g_once_init_enter (&company))
    g_once_init_leave (&company, g_regex_new (
      "^(?=[^\\n0-9!?:：。、！？]+$)"
      "(?:(?:株式会社|有限会社|合同会社|PT|CV)\\s*\\S[^\\n]*"
      "|[^\\n]*?\\S\\s*(?:株式会社|有限会社|合同会社|股份有限公司|有限公司|集团|集團|주식회사|㈜"
      "|(?<!\\w)(?:Ltd|Limited|GmbH|AG|Inc|Corp|Corporation|Tbk|Bhd|Berhad|plc|PLC|LLC|Pte|SE|SA|S\\.A|SpA|S\\.p\\.A|AB|ASA|A/S|Oy|Oyj"
      "|B\\.V|N\\.V|K\\.K|Co\\., Ltd|Sdn Bhd|JSC|Pty Ltd|Public Company Limited)\\.?(?:\\s*\\(publ\\))?))"
      "\\s*$",
      G_REGEX_OPTIMIZE, 0, NULL));
  return g_regex_match_full (company, line, (gssize) len, 0, 0, NULL, NULL);
}

gboolean
desk_is_company_line (const char *line,
                      gsize       len,
                      const char *next,
                      gsize       next_len)
{
  guint chars;
  guint next_chars;

  if (next == NULL || next_len == 0 || next_len > 600 || !is_company_name (line, len))
    return FALSE;
  chars = (guint) g_utf8_strlen (line, (gssize) len);
  next_chars = (guint) g_utf8_strlen (next, (gssize) next_len);
  return chars <= 48 && next_chars >= chars + chars / 2 &&
         !desk_is_date_line (next, next_len) && is_headline_shaped (next, next_len) &&
         !is_company_name (next, next_len);
}

/* A short line in capitals above a longer line in mixed case: a label
 * over the headline ("NOTA INFORMATIVA", "MEDIENSERVICE", a newsroom's
 * section), not the headline itself, which is the line below. */
gboolean
desk_is_label_in_capitals (const char *line,
                           gsize       len,
                           const char *next,
                           gsize       next_len)
{
  guint upper = 0;
  guint lower = 0;
  guint words = 1;
  guint chars = 0;
  guint next_chars = 0;
  guint next_lower = 0;

  if (len > 96 || next == NULL || next_len == 0 || next_len > 600)
    return FALSE;
  for (const char *p = line; p < line + len; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      chars++;
      if (g_unichar_isdigit (c) || c == '.' || c == '!' || c == '?' || c == ',')
        return FALSE;
      words += c == ' ';
      upper += g_unichar_isupper (c);
      lower += g_unichar_islower (c);
    }
  if (lower > 0 || upper < 4 || words > 3 || chars > 32)
    return FALSE;
  for (const char *p = next; p < next + next_len; p = g_utf8_next_char (p))
    {
      next_chars++;
      next_lower += g_unichar_islower (g_utf8_get_char (p));
    }
  return next_lower * 2 > next_chars && next_chars * 2 >= chars * 3 &&
         !desk_is_date_line (next, next_len) && is_headline_shaped (next, next_len);
}

/* A line of share buttons or of the networks a page links to ("Share
 * this article", "Bagikan:", "Facebook | X | WhatsApp"): a few words,
 * led by a word for sharing or made of networks' names only. */
static gboolean
is_share_line (const char *line,
               gsize       len)
{
  static GRegex *share;

  if (len > 80)
    return FALSE;
  if (g_once_init_enter (&share))
    g_once_init_leave (&share, g_regex_new (
      "^[\\s\\[(*_#|•·-]*(?:(?:follow|ikuti|seguir|suivre|folgen|segui|volg|share|bagikan|kongsi|compartir|compartilhar|partager|teilen|condividi|deel|dela|del|sdílet|udostępnij"
      "|поделиться|paylaş|chia sẻ|แชร์|シェア|分享|공유)(?:\\s+\\S+){0,3}\\s*[:：]?"
      "|(?:facebook|twitter|x|whatsapp|telegram|linkedin|line|email|e-mail|copy link|print)"
      "(?:\\s*[|·•,/]\\s*(?:facebook|twitter|x|whatsapp|telegram|linkedin|line|email|e-mail|copy link|print)){1,7})"
      "[\\s\\])*_|:]*$",
      G_REGEX_OPTIMIZE | G_REGEX_CASELESS, 0, NULL));
  return g_regex_match_full (share, line, (gssize) len, 0, 0, NULL, NULL);
}

/* Who gave the release out, on a line of its own over the headline
 * ("News provided by", "Notícias fornecidas por", "Media release from:
 * Murray Basin Water Alliance"). */
static gboolean
is_source_line (const char *line,
                gsize       len)
{
  static GRegex *source;

  if (len > 120)
    return FALSE;
  if (g_once_init_enter (&source))
    g_once_init_leave (&source, g_regex_new (
      "^[^\\n.!?。]{0,40}?(?:(?<!\\w)provided by|fornecid[ao]s? por|proporcionad[ao]s? por|fourni(?:e|es|s)? par"
      "|bereitgestellt von|disediakan oleh|(?<!\\w)from\\s*[:：])\\s*[^\\n!?。]{0,60}$",
      G_REGEX_OPTIMIZE | G_REGEX_CASELESS, 0, NULL));
  return g_regex_match_full (source, line, (gssize) len, 0, 0, NULL, NULL);
}

/* A line that files the release under a number ("Nomor: 118/SP/III/2026",
 * "No: R/47/III/2026", "Ref: PKA/MS/2026/014", "Справа № 917/2231/25",
 * "第12号"): a key of a word or two, then one identifier that holds a
 * digit and nothing after it. */
static gboolean
is_number_line (const char *line,
                gsize       len)
{
  static GRegex *number;

  if (len > 72)
    return FALSE;
  if (g_once_init_enter (&number))
    g_once_init_leave (&number, g_regex_new (
      "^[\\s\\[(]*(?:\\p{L}[\\p{L}.]{0,14}\\s?){1,2}(?:[:：№#]|\\s*№|\\.(?=\\s*\\S*\\d))\\s*[:：]?\\s*№?\\s*[\\w./()-]*\\d[\\w./()-]*[\\s\\])]*$"
      "|^第[^\\s。]{1,20}号$|^\\d{1,4}/[\\w./-]+$",
      G_REGEX_OPTIMIZE, 0, NULL));
  return g_regex_match_full (number, line, (gssize) len, 0, 0, NULL, NULL);
}

/* A trail of a site's sections ("Ekonomi › Bisnis", "Home / News /
 * Police"): short parts between spaced separators, no sentence's mark. */
static gboolean
is_section_trail (const char *line,
                  gsize       len)
{
  static GRegex *trail;

  if (len > 160)
    return FALSE;
  if (g_once_init_enter (&trail))
    g_once_init_leave (&trail, g_regex_new (
      "^[^\\s.!?。:：|]{1,30}(?:\\s[^\\s.!?。:：|/>»›→]{1,30}){0,3}"
      "(?:\\s+[/>»›→|]\\s+[^\\s.!?。:：|]{1,30}(?:\\s[^\\s.!?。:：|/>»›→]{1,30}){0,3}){1,5}\\s*$",
      G_REGEX_OPTIMIZE, 0, NULL));
  return g_regex_match_full (trail, line, (gssize) len, 0, 0, NULL, NULL);
}

/* A byline ("By Ana Ruiz", "Penulis: Dewi | Editor: Bambang", "Posted by
 * Humas", "文／生活頻道"), or with @stamps too a page's time stamp with
 * words around the date ("Published 4 March 2026 · 3 min read"): the
 * page's, not the story's. */
static gboolean
is_byline (const char *line,
           gsize       len,
           gboolean    stamps)
{
  static GRegex *byline;
  static GRegex *stamp;

  if (len > 120)
    return FALSE;
  if (g_once_init_enter (&byline))
    g_once_init_leave (&byline, g_regex_new (
      "^[\\s\\[(*_]*(?:(?:by|oleh|von|par|por|di|door|av|від|от|autor|penulis|reporter|wartawan|editor|redaksi|redaktur"
      "|posted by|written by|diposting oleh|ditulis oleh|publicado por|publié par)[\\s:：]+\\p{Lu}[^\\n.!?。]{0,80}"
      "|(?:文|記者|记者|撰文|採訪)\\s*[／/:：][^\\n。]{1,40})\\s*$",
      G_REGEX_OPTIMIZE | G_REGEX_CASELESS, 0, NULL));
  if (g_regex_match_full (byline, line, (gssize) len, 0, 0, NULL, NULL))
    return TRUE;
  if (!stamps)
    return FALSE;
  if (g_once_init_enter (&stamp))
    g_once_init_leave (&stamp, g_regex_new (
      "^[\\s\\[(*_]*(?:published|posted|updated|diperbarui|dipublikasikan|diterbitkan|publicado|actualizado|publié|mis à jour|veröffentlicht"
      "|aktualisiert|pubblicato|aggiornato|gepubliceerd|bijgewerkt|publicerad|uppdaterad|opublikowano|опубликовано|обновлено)"
      "(?:\\s+(?:on|at|pada|le|el|am|il|op|den|em))?[\\s:：]+[^\\n!?。]*\\d[^\\n!?。]*$",
      G_REGEX_OPTIMIZE | G_REGEX_CASELESS, 0, NULL));
  return g_regex_match_full (stamp, line, (gssize) len, 0, 0, NULL, NULL);
}

/* A line that names an organisation or gives its address, not a
 * headline: six words at most (a script without spaces, 24 characters),
 * or digits with two commas or a bar ("Jl. Merdeka No. 8 | Telp. …"),
 * which sets @address. */
static gboolean
is_name_or_address (const char *line,
                    gsize       len,
                    gboolean   *address)
{
  guint words = 1;
  guint commas = 0;
  gboolean digit = FALSE;
  gboolean bar = FALSE;

  for (gsize i = 0; i < len; i++)
    {
      words += line[i] == ' ' && i + 1 < len && line[i + 1] != ' ';
      commas += line[i] == ',';
      digit |= g_ascii_isdigit (line[i]);
      bar |= line[i] == '|';
    }
  *address = digit && (commas >= 2 || bar);
  if (*address)
    return TRUE;
  if (words == 1)
    return g_utf8_strlen (line, (gssize) len) <= 24;
  return words <= 6 && g_utf8_strlen (line, (gssize) len) <= 60;
}

/* A newsletter's masthead, its name and the date ("Kabar Pasar
 * Pagi — Rabu, 2 Desember 2026"): a date line whose date follows a name
 * of two words or more and a spaced dash or bar.  It is the headline the
 * item arrived with. */
gboolean
desk_is_masthead_line (const char *line,
                       gsize       len)
{
  static const char * const separators[] = { " \xe2\x80\x94 ", " \xe2\x80\x93 ", " | ", " - ", NULL };

  if (!desk_is_date_line (line, len))
    return FALSE;
  for (guint k = 0; separators[k] != NULL; k++)
    {
      const char *at = g_strstr_len (line, (gssize) len, separators[k]);

      if (at != NULL && memchr (line, ' ', (gsize) (at - line)) != NULL)
        {
          for (const char *q = line; q < at; q++)
            if (g_ascii_isdigit (*q))
              return FALSE;
          return TRUE;
        }
    }
  return FALSE;
}

/* A contact's or a table's line above the headline: "担当：防災企画係
 * 山田（電話 045-555-0131）", "Media contact: … press@acme.example",
 * "배포일시 2026. 3. 9. | 담당부서 연구정책과": a key and a colon near the
 * start with an address or a telephone number, or short cells parted by
 * bars, one of them with a digit. */
static gboolean
is_contact_or_table_line (const char *line,
                          gsize       len)
{
  guint digits = 0;
  guint cells = 1;
  guint words_in_cell = 1;
  gboolean long_cell = FALSE;
  gboolean at = FALSE;
  const char *colon = NULL;

  if (len > 200)
    return FALSE;
  for (const char *p = line; p < line + len; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      digits += g_unichar_isdigit (c);
      at |= c == '@';
      if ((c == ':' || c == 0xFF1A) && colon == NULL && p - line <= 40)
        colon = p;
      if (c == '|' && p > line && p[-1] == ' ')
        {
          cells++;
          words_in_cell = 0;
        }
      else if (c == ' ' && p + 1 < line + len && p[1] != ' ' && p[1] != '|')
        long_cell |= ++words_in_cell > 6;
    }
  if (cells >= 2 && !long_cell && digits > 0)
    return TRUE;
  return colon != NULL && colon > line && (at || digits >= 6);
}

/* Furniture that stands above the headline, by its shape alone: a label
 * or a release notice, a date or a time stamp, a number, a trail of a
 * site's sections, share buttons, a byline; with @next (the line under
 * it), a company's name, a letterhead in capitals, and (@first) a short
 * label in capitals. */
static gboolean
is_top_furniture (const char *line,
                  gsize       len,
                  const char *next,
                  gsize       next_len,
                  gboolean    first)
{
  return is_label_line (line, len) ||
         desk_is_date_line (line, len) ||
         desk_is_notice_by_words (line, len) ||
         is_number_line (line, len) ||
         is_section_trail (line, len) ||
         is_share_line (line, len) ||
         is_source_line (line, len) ||
         is_byline (line, len, TRUE) ||
         is_contact_or_table_line (line, len) ||
         (next != NULL &&
          (desk_is_company_line (line, len, next, next_len) ||
           desk_is_letterhead (line, len, next, next_len) ||
           (first && desk_is_label_in_capitals (line, len, next, next_len))));
}

/* A line that may stand above the story: shaped like a headline, or a
 * company's name that ends on its suffix's full stop ("Acme S.A."). */
static gboolean
may_stand_above_story (const char *line,
                       gsize       len)
{
  return is_headline_shaped (line, len) || is_company_name (line, len);
}

/* Where the headline's own line lies in @text, in bytes, with the line
 * breaks after it: the first of the first lines that is @headline or
 * @original_headline (spaces aside), wherever it stands.  The parser
 * took the headline from that line (desk_choose_headline()), so
 * furniture may stand above it; a headline changed in review leaves the
 * received one in the text.  The review view hides this line, and
 * export, publishing and the check drop it, so that what ships is what
 * the editor saw: the headline once, in its field. */
gboolean
desk_find_headline_line (const char *text,
                         const char *headline,
                         const char *original_headline,
                         gsize      *out_start,
                         gsize      *out_end)
{
  g_autofree char *a = g_strstrip (g_strdup (headline != NULL ? headline : ""));
  g_autofree char *b = g_strstrip (g_strdup (original_headline != NULL ? original_headline : ""));
  const char *line = text != NULL ? text : "";

  for (guint n = 0; n < 12 && *line != '\0'; n++)
    {
      const char *eol = strchr (line, '\n');
      g_autofree char *first = g_strndup (line, eol != NULL ? (gsize) (eol - line) : strlen (line));

      g_strstrip (first);
      if (*first != '\0' && (g_str_equal (first, a) || g_str_equal (first, b)))
        {
          *out_start = (gsize) (line - text);
          if (eol == NULL)
            eol = line + strlen (line);
          while (*eol == '\n' || *eol == '\r')
            eol++;
          *out_end = (gsize) (eol - text);
          return TRUE;
        }
      if (eol == NULL)
        break;
      line = eol + 1;
    }
  return FALSE;
}

/* @text without the headline's own line (desk_find_headline_line()):
 * the body as the review view shows it, furniture above the headline
 * included. */
char *
desk_dup_body (const char *text,
               const char *headline,
               const char *original_headline)
{
  gsize start = 0;
  gsize end = 0;

  text = text != NULL ? text : "";
  if (!desk_find_headline_line (text, headline, original_headline, &start, &end))
    return g_strdup (text);
  {
    GString *body = g_string_new_len (text, (gssize) start);

    g_string_append (body, text + end);
    return g_string_free (body, FALSE);
  }
}

/* Which of the first lines of a release is its headline: the parser,
 * the detector's top zone and so the clean-up and the window all ask
 * this one function, so that everything above the headline is top
 * matter and the headline is never furniture.  @lines are the first
 * lines of the release's first paragraphs, in order (ten are plenty).
 *
 * The furniture a page or a release puts above its headline is read
 * first: labels, notices, time stamps, numbers, trails, share buttons,
 * bylines, company names and letterheads.  A block of such lines may
 * hold a line no shape names (an institution's name over its address
 * and its notice, a site's name over its time stamp): when a line of
 * furniture stands under it and a line shaped like a headline under
 * that, before the story, the headline is the line after the last
 * furniture, and the whole block above it is top matter.  A byline
 * there says it is a news page, whose headline stands above it. */
guint
desk_choose_headline (const char         *text,
                      const DeskByteSpan *lines,
                      guint               n_lines)
{
#define L(i) (text + lines[i].start), (lines[i].end - lines[i].start)
  guint headline = 0;
  guint last = G_MAXUINT;

  if (n_lines == 0 || desk_is_masthead_line (L (0)))
    return 0;
  /* Furniture line by line, each over a line that may be the headline;
   * a label gives way to whatever is under it. */
  while (headline + 1 < n_lines)
    {
      if (!is_label_line (L (headline)) &&
          (!may_stand_above_story (L (headline + 1)) ||
           !is_top_furniture (L (headline), L (headline + 1), headline == 0)))
        break;
      headline++;
    }

  /* The last furniture of the lines that may still be top matter. */
  for (guint i = headline + 1; i + 1 < n_lines; i++)
    {
      if (is_byline (L (i), FALSE))
        return headline;
      /* A date line may end on a full stop ("Borowiec, 12 lutego 2026 r."). */
      if (desk_is_date_line (L (i)) || is_top_furniture (L (i), L (i + 1), FALSE))
        last = i;
      else if (!may_stand_above_story (L (i)))
        break;
    }
  if (last != G_MAXUINT && last + 1 < n_lines &&
      is_headline_shaped (L (last + 1)) &&
      !is_top_furniture (L (last + 1), last + 2 < n_lines ? text + lines[last + 2].start : NULL,
                         last + 2 < n_lines ? lines[last + 2].end - lines[last + 2].start : 0, FALSE))
    {
      guint longest = 0;
      gboolean names = TRUE;
      gboolean address = FALSE;

      /* The lines no shape named are names or addresses ("Eastbrook
       * University", "Harbour House, Quay Road, Kelmouth KM1 2QR"),
       * each shorter than the headline under them: a headline of its
       * own over notices ("Central Bank Keeps Rate Unchanged" over
       * "PRESS RELEASE" and a statement's number) stays the headline. */
      for (guint i = headline; i < last && names; i++)
        {
          if (is_top_furniture (L (i), L (i + 1), FALSE))
            continue;
          names = is_name_or_address (L (i), &address);
          if (!address)
            longest = MAX (longest, (guint) g_utf8_strlen (L (i)));
        }
      if (names && (guint) g_utf8_strlen (L (last + 1)) > longest)
        headline = last + 1;
    }
  return headline;
#undef L
}

static char *
strip_markdown_heading (char *headline)
{
  char *p = headline;

  while (*p == '#')
    p++;
  if (p != headline)
    memmove (headline, p, strlen (p) + 1);
  return g_strstrip (headline);
}

/* The headline line, then the paragraphs, as trimmed byte spans (of
 * DeskByteSpan): the same split the parser makes, for the sponsor
 * detector, which reads edited copy too. */
GArray *
desk_split_release (const char *text,
                    gsize       len)
{
  GArray *spans;
  gsize pos = 0;

  G_STATIC_ASSERT (sizeof (Span) == sizeof (DeskByteSpan));

  while (pos < len)
    {
      const char *nl = memchr (text + pos, '\n', len - pos);
      gsize end = nl != NULL ? (gsize) (nl - text) : len;

      if (!is_blank (text + pos, end - pos))
        {
          Span headline = span_trim (text, (Span) { pos, end });
          GArray *rest = split_paragraphs (text, end, len);

          spans = g_array_sized_new (FALSE, FALSE, sizeof (DeskByteSpan), rest->len + 1);
          g_array_append_val (spans, headline);
          g_array_append_vals (spans, rest->data, rest->len);
          g_array_unref (rest);
          return spans;
        }
      pos = end + 1;
    }

  return g_array_new (FALSE, FALSE, sizeof (DeskByteSpan));
}

/* Parses text that is already known to be valid UTF-8 with LF line ends. */
static DeskParsedRelease *
parse_text (char       *text,
            gboolean    markdown,
            GError    **error)
{
  g_autoptr(DeskParsedRelease) parsed = g_new0 (DeskParsedRelease, 1);
  g_autoptr(GArray) paragraphs = NULL;
  g_autoptr(GString) story = NULL;
  gsize len = strlen (text);
  gsize pos = 0;
  Span headline = { 0, 0 };
  guint first_end_matter;
  guint first_body = 1;
  GStrv tags = NULL;

  parsed->text = text;
  parsed->parts = g_array_new (FALSE, FALSE, sizeof (DeskPart));

  /* The headline is the first non-blank line. */
  while (pos < len)
    {
      const char *nl = memchr (text + pos, '\n', len - pos);
      gsize end = nl != NULL ? (gsize) (nl - text) : len;

      if (!is_blank (text + pos, end - pos))
        {
          headline = span_trim (text, (Span) { pos, end });
          pos = end;
          break;
        }
      pos = end + 1;
    }

  if (headline.end == headline.start)
    {
      g_set_error (error, DESK_ERROR, DESK_ERROR_INVALID_INPUT,
                   _("the file holds only white space"));
      return NULL;
    }

  /* The headline among the first lines (desk_choose_headline()): what
   * stands above it is top matter, never the headline. */
  {
    DeskByteSpan lines[10];
    guint n_lines = 0;
    guint chosen;

    lines[n_lines++] = (DeskByteSpan) { headline.start, headline.end };
    for (gsize at = pos; at < len && n_lines < G_N_ELEMENTS (lines);)
      {
        const char *nl = memchr (text + at, '\n', len - at);
        gsize end = nl != NULL ? (gsize) (nl - text) : len;

        if (!is_blank (text + at, end - at))
          {
            Span line = span_trim (text, (Span) { at, end });
            lines[n_lines++] = (DeskByteSpan) { line.start, line.end };
          }
        at = end + 1;
      }
    chosen = desk_choose_headline (text, lines, n_lines);
    headline = (Span) { lines[chosen].start, lines[chosen].end };
    pos = MAX (pos, headline.end);
  }

  parsed->headline = span_dup (text, headline);
  if (markdown)
    strip_markdown_heading (parsed->headline);
  add_part (parsed->parts, DESK_PART_HEADLINE, headline);

  paragraphs = split_paragraphs (text, MIN (pos, len), len);

  if (paragraphs->len > 0)
    {
      Span standfirst = g_array_index (paragraphs, Span, 0);
      g_autofree char *standfirst_text = span_dup (text, standfirst);
      gsize credit_start = 0;
      gsize credit_end = 0;
      char *wire = match_credit (standfirst_text, &credit_start, &credit_end);

      add_part (parsed->parts, DESK_PART_STANDFIRST, standfirst);
      if (wire != NULL)
        {
          add_part (parsed->parts, DESK_PART_CREDIT,
                    (Span) { standfirst.start + credit_start, standfirst.start + credit_end });
          parsed->wire = wire;
          parsed->standfirst = join_around (standfirst_text, credit_start, standfirst_text + credit_end);
        }
      else
        {
          parsed->standfirst = g_steal_pointer (&standfirst_text);
        }
    }

  /* End matter: walk back from the last paragraph while paragraphs are
   * disclaimers, sector lines or about-paragraphs.  An "About X" heading
   * makes everything after it end matter too. */
  first_end_matter = paragraphs->len;
  {
    guint about_heading = paragraphs->len;
    g_autofree char *wire_folded = parsed->wire ? g_utf8_casefold (parsed->wire, -1) : NULL;

    for (guint i = paragraphs->len; i > first_body; i--)
      {
        Span span = g_array_index (paragraphs, Span, i - 1);
        g_autofree char *para = NULL;
        g_autofree char *folded = NULL;

        /* A heading is a short line; most paragraphs need no closer look. */
        if (span.end - span.start > 100)
          continue;
        para = span_dup (text, span);
        folded = g_utf8_casefold (para, -1);
        if (is_about_heading (folded))
          about_heading = i - 1;
      }

    for (guint i = paragraphs->len; i > first_body; i--)
      {
        Span span = g_array_index (paragraphs, Span, i - 1);
        g_autofree char *para = span_dup (text, span);
        g_autofree char *folded = g_utf8_casefold (para, -1);
        GStrv sector_tags = NULL;
        DeskPartKind kind;

        if (parse_sector_line (para, &sector_tags))
          {
            kind = DESK_PART_SECTOR;
            if (tags == NULL)
              tags = sector_tags;
            else
              g_strfreev (sector_tags);
          }
        else if (contains_casefold (folded, disclaimer_phrases, G_N_ELEMENTS (disclaimer_phrases)))
          kind = DESK_PART_DISCLAIMER;
        else if (i - 1 >= about_heading)
          kind = DESK_PART_ABOUT;
        else if (wire_folded != NULL && g_str_has_prefix (folded, wire_folded) &&
                 i - 1 > first_body)
          kind = DESK_PART_ABOUT;
        else
          break;

        add_part (parsed->parts, kind, span);
        first_end_matter = i - 1;
      }
  }

  for (guint i = first_body; i < first_end_matter; i++)
    add_part (parsed->parts, DESK_PART_PARAGRAPH, g_array_index (paragraphs, Span, i));

  parsed->tags = tags != NULL ? tags : g_new0 (char *, 1);

  /* The story without its end matter tells its language best. */
  story = g_string_new (parsed->headline);
  if (parsed->standfirst != NULL)
    g_string_append_printf (story, "\n%s", parsed->standfirst);
  for (guint i = first_body; i < first_end_matter && story->len < 4096; i++)
    {
      Span span = g_array_index (paragraphs, Span, i);
      g_string_append_c (story, '\n');
      g_string_append_len (story, text + span.start, span.end - span.start);
    }
  /* A story of a line or two (a short headline over a dateline, the rest
   * read as end matter after an early "About …" line) is too short to
   * tell its language, and a guess on a few words is often wrong: the
   * paragraphs of the whole release tell it then. */
  if (story->len < strlen (parsed->headline) + 200)
    {
      g_string_truncate (story, 0);
      for (guint i = 0; i < paragraphs->len && story->len < 4096; i++)
        {
          Span span = g_array_index (paragraphs, Span, i);
          g_string_append_len (story, text + span.start, span.end - span.start);
          g_string_append_c (story, '\n');
        }
      g_string_append (story, parsed->headline);
    }
  parsed->language = desk_language_detect (story->str, story->len);

  g_array_sort (parsed->parts, compare_parts);
  parts_bytes_to_chars (text, parsed->parts);
  parsed->content_hash = desk_content_hash (text);

  return g_steal_pointer (&parsed);
}

/* 1-based line of byte @offset. */
static guint
line_of_offset (const char *data,
                gsize       offset)
{
  guint line = 1;

  for (gsize i = 0; i < offset; i++)
    if (data[i] == '\n')
      line++;
  return line;
}

static char *
normalise_line_ends (const char *data,
                     gsize       len)
{
  char *out = g_malloc (len + 1);
  const char *cr = memchr (data, '\r', len);
  gsize o = 0;
  gsize i;

  /* Most files have no CR at all: up to the first, copied at once. */
  o = i = cr != NULL ? (gsize) (cr - data) : len;
  memcpy (out, data, o);
  for (; i < len; i++)
    {
      if (data[i] == '\r')
        {
          out[o++] = '\n';
          if (i + 1 < len && data[i + 1] == '\n')
            i++;
        }
      else
        out[o++] = data[i];
    }
  out[o] = '\0';
  return out;
}

static gboolean
looks_binary (const char *data,
              gsize       len)
{
  gsize controls = 0;
  gsize n = 0;

  if (memchr (data, '\0', len) != NULL)
    return TRUE;

  /* Bytes are counted as normalise_line_ends() keeps them, CR LF as one,
   * so that the text the store keeps passes this check when it is read
   * again (fuzz-parser found a CR LF file that did not). */
  for (gsize i = 0; i < len && n < 8192; i++)
    {
      guchar c = (guchar) data[i];

      if (G_LIKELY (c >= 0x20))
        {
          n++;
          continue;
        }
      if (c == '\r' && i + 1 < len && data[i + 1] == '\n')
        continue;
      n++;
      if (c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f')
        controls++;
    }
  return controls * 20 > n;
}

/* Checks that raw file contents are text Copydesk can read: not UTF-16,
 * not empty, not binary, valid UTF-8 (naming the line and byte offset of
 * the first bad byte).  @out_skip is set to the length of a UTF-8 byte
 * order mark to skip.  Messages name the problem, not the file, which the
 * caller knows. */
gboolean
desk_check_text (const char  *data,
                 gsize        len,
                 gsize       *out_skip,
                 GError     **error)
{
  const char *bad = NULL;
  gsize skip = 0;

  if (len >= 2 && (((guchar) data[0] == 0xFF && (guchar) data[1] == 0xFE) ||
                   ((guchar) data[0] == 0xFE && (guchar) data[1] == 0xFF)))
    {
      g_set_error (error, DESK_ERROR, DESK_ERROR_INVALID_INPUT,
                   _("the file is UTF-16; save it as UTF-8"));
      return FALSE;
    }

  /* Every byte order mark at the start, so that the text the store keeps
   * never starts with one that a second reading would skip (shifting
   * every part by a character; fuzz-parser found it). */
  while (len - skip >= 3 && memcmp (data + skip, "\xEF\xBB\xBF", 3) == 0)
    skip += 3;

  if (len - skip == 0)
    {
      g_set_error (error, DESK_ERROR, DESK_ERROR_INVALID_INPUT, _("the file is empty"));
      return FALSE;
    }

  if (looks_binary (data + skip, len - skip))
    {
      g_set_error (error, DESK_ERROR, DESK_ERROR_INVALID_INPUT,
                   _("the file is binary, not text"));
      return FALSE;
    }

  if (!g_utf8_validate_len (data + skip, len - skip, &bad))
    {
      gsize offset = (gsize) (bad - data);

      g_set_error (error, DESK_ERROR, DESK_ERROR_INVALID_INPUT,
                   _("line %u is not valid UTF-8 (byte offset %zu)"),
                   line_of_offset (data, offset), offset);
      return FALSE;
    }

  if (out_skip != NULL)
    *out_skip = skip;
  return TRUE;
}

/* @data in UTF-8 when it is not, but is certainly text in another
 * encoding an editor's files come in, else NULL:
 * - UTF-16 with its byte order mark (Windows' "Unicode" text files);
 * - Windows-1252 (Western European text saved by older Windows programs):
 *   only where every byte is defined there, no NUL, and the bytes above
 *   ASCII stand alone or in pairs among ASCII letters, as accented letters
 *   and curly quotes do.  Chinese, Japanese, Korean, Cyrillic or Greek text
 *   in their own legacy encodings comes in long runs of such bytes, and is
 *   left to desk_check_text() to refuse with the line it stops at. */
static char *
dup_as_utf8 (const char  *data,
             gsize        len,
             gsize       *out_len,
             const char **out_encoding)
{
  const guchar *bytes = (const guchar *) data;
  gsize high = 0, run = 0;

  if (len >= 2 && ((bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF)))
    {
      char *text = g_convert (data + 2, len - 2, "UTF-8",
                              bytes[0] == 0xFF ? "UTF-16LE" : "UTF-16BE", NULL, out_len, NULL);

      if (text != NULL && !g_utf8_validate_len (text, *out_len, NULL))
        g_clear_pointer (&text, g_free);
      *out_encoding = "UTF-16";
      return text;
    }

  if (g_utf8_validate_len (data, len, NULL))
    return NULL;
  for (gsize i = 0; i < len; i++)
    {
      if (bytes[i] == 0)
        return NULL;
      if (bytes[i] < 0x80)
        {
          run = 0;
          continue;
        }
      high++;
      if (++run > 2)
        return NULL;
    }
  /* Accents are a few letters in a hundred even in French or Portuguese. */
  if (high * 8 > len)
    return NULL;
  *out_encoding = "Windows-1252";
  return g_convert (data, len, "UTF-8", "WINDOWS-1252", NULL, out_len, NULL);
}

/* Checks raw file contents (desk_check_text()) and parses them, read as
 * UTF-8, or from UTF-16 or Windows-1252 (dup_as_utf8()).
 * @display_name (a file name) tells Markdown from plain text. */
DeskParsedRelease *
desk_parse_release (const char  *data,
                    gsize        len,
                    const char  *display_name,
                    GError     **error)
{
  gsize skip = 0, converted_len = 0;
  gboolean markdown;
  const char *encoding = NULL;
  g_autofree char *converted = dup_as_utf8 (data, len, &converted_len, &encoding);
  DeskParsedRelease *parsed;

  if (converted != NULL)
    {
      data = converted;
      len = converted_len;
    }
  if (!desk_check_text (data, len, &skip, error))
    return NULL;

  markdown = display_name != NULL &&
             (g_str_has_suffix (display_name, ".md") || g_str_has_suffix (display_name, ".markdown"));

  parsed = parse_text (normalise_line_ends (data + skip, len - skip), markdown, error);
  if (parsed != NULL && converted != NULL)
    parsed->read_as = encoding;
  return parsed;
}

DeskParsedRelease *
desk_parse_release_text (const char  *text,
                         GError     **error)
{
  g_return_val_if_fail (text != NULL, NULL);

  return desk_parse_release (text, strlen (text), NULL, error);
}
