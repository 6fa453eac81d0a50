/* desk-copies.c — one story from several wires: MinHash over the news text
 *
 * The news text is what the parser found between the headline and the end
 * matter, without the wire credit: the part distributors do not change.
 * Its words (case-folded letters and digits) form five-word shingles; each
 * shingle is hashed once, and the signature keeps the smallest hash in
 * each of 64 slices of the hash's range (one-permutation MinHash: one hash
 * a shingle, not 64).  Two signatures agree at a place with the
 * probability that the texts' shingle sets share an element there: the
 * share of agreeing places estimates their Jaccard similarity.
 *
 * Finding copies among many releases is locality-sensitive hashing: 11
 * bands of 3 places are each hashed into copy_bands; a new release looks
 * only at releases that share a band with it (a pair with similarity 0.6
 * shares one with probability 0.93, 0.7 with 0.99, a pair with 0.3 with
 * probability 0.26), and joins the group of the most alike one if their
 * signatures agree on at least COPY_THRESHOLD of the places.  A band none
 * of whose places the text reached says nothing and is not kept.
 *
 * What a release costs is a band's rows in copy_bands: they land at
 * random in its B-tree, and every batch rewrites each page they touch.
 * So the rows are few (11 bands, not the 16 of 4 places of schemas 11 to
 * 14, for as many copies found from similarity 0.6 up) and small (a band
 * is 31 bits, four bytes on the page: a key two releases share by chance
 * costs one signature compared, nothing more), all of a release's
 * look-ups are one statement and its bands one INSERT.  Each step is an
 * indexed look-up: the cost per release does not grow with the number of
 * releases, only with how much of copy_bands the page cache holds
 * (bench-copies measures it).
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <inttypes.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "desk-copies.h"
#include "desk-error.h"
#include "desk-store-private.h"

#define COPY_SHINGLE 5
#define COPY_BANDS DESK_COPY_BANDS
#define COPY_ROWS 3
G_STATIC_ASSERT (COPY_BANDS * COPY_ROWS <= DESK_COPY_HASHES);
#define COPY_THRESHOLD 0.6
/* A candidate this alike ends the search: no other would be a better group. */
#define COPY_PLAINLY 0.85
/* Releases a new one is compared with at most: a band shared by very many
 * releases (a boilerplate-only text) costs no more than this. */
#define COPY_MAX_CANDIDATES DESK_COPY_MAX_CANDIDATES
/* Fewer shingles than this and a text says too little to be a copy. */
#define COPY_MIN_SHINGLES 8

void
desk_copy_free (DeskCopy *copy)
{
  if (copy == NULL)
    return;
  g_free (copy->headline);
  g_free (copy->source);
  g_free (copy);
}

static inline guint64
splitmix64 (guint64 x)
{
  x += G_GUINT64_CONSTANT (0x9e3779b97f4a7c15);
  x = (x ^ (x >> 30)) * G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9);
  x = (x ^ (x >> 27)) * G_GUINT64_CONSTANT (0x94d049bb133111eb);
  return x ^ (x >> 31);
}

/* Whether the character at @offset belongs to the news text (a standfirst
 * or a paragraph, not a credit; the whole text when the parser found no
 * body), and in @next_change the offset after @offset where that may
 * change.  Asked only at those offsets: a release has a few dozen parts,
 * and a mask of its characters cost more than reading them. */
static gboolean
in_news_text (const DeskParsedRelease *parsed,
              gboolean                 whole,
              glong                    offset,
              glong                   *next_change)
{
  gboolean body = FALSE;
  gboolean credit = FALSE;
  glong next = G_MAXLONG;

  *next_change = G_MAXLONG;
  if (whole)
    return TRUE;
  for (guint i = 0; i < parsed->parts->len; i++)
    {
      const DeskPart *part = &g_array_index (parsed->parts, DeskPart, i);
      gboolean is_body = part->kind == DESK_PART_STANDFIRST || part->kind == DESK_PART_PARAGRAPH;

      if ((!is_body && part->kind != DESK_PART_CREDIT) || part->end <= part->start)
        continue;
      if (offset < (glong) part->start)
        next = MIN (next, (glong) part->start);
      else if (offset < (glong) part->end)
        {
          next = MIN (next, (glong) part->end);
          if (is_body)
            body = TRUE;
          else
            credit = TRUE;
        }
    }
  *next_change = next;
  return body && !credit;
}

/* Ends the word in @word (its FNV-1a hash) and, from the fifth word on,
 * keeps its shingle's hash in the signature.  @window holds the last
 * COPY_SHINGLE words, oldest first. */
static inline void
end_word (guint64  window[COPY_SHINGLE],
          guint   *words,
          guint   *shingles,
          guint64  word,
          guint32  signature[DESK_COPY_HASHES])
{
  guint64 shingle = 0;
  guint place;
  guint32 value;

  G_STATIC_ASSERT (COPY_SHINGLE == 5);
  window[0] = window[1];
  window[1] = window[2];
  window[2] = window[3];
  window[3] = window[4];
  window[4] = word;
  if (++*words < COPY_SHINGLE)
    return;
  for (guint w = 0; w < COPY_SHINGLE; w++)
    shingle = splitmix64 (shingle ^ window[w]);
  /* One permutation, its range cut into DESK_COPY_HASHES places: each
   * shingle touches one place. */
  place = (guint) (shingle >> 58);
  value = (guint32) shingle;
  if (value < signature[place])
    signature[place] = value;
  (*shingles)++;
}

/* The character at @p, valid UTF-8 of two bytes or more, and its length. */
static inline gunichar
decode (const guchar *p,
        guint        *len)
{
  if (p[0] < 0xE0)
    {
      *len = 2;
      return ((gunichar) (p[0] & 0x1F) << 6) | (p[1] & 0x3F);
    }
  if (p[0] < 0xF0)
    {
      *len = 3;
      return ((gunichar) (p[0] & 0x0F) << 12) | ((gunichar) (p[1] & 0x3F) << 6) | (p[2] & 0x3F);
    }
  *len = 4;
  return ((gunichar) (p[0] & 0x07) << 18) | ((gunichar) (p[1] & 0x3F) << 12) |
         ((gunichar) (p[2] & 0x3F) << 6) | (p[3] & 0x3F);
}

/* Each ASCII letter or digit, folded as g_ascii_tolower() does; 0 for
 * any other byte: one load a byte where two comparisons and a mask were
 * (a quarter of the signature's instructions). */
#define FOLD(c) [c] = c, [c - 'a' + 'A'] = c
static const guchar ascii_fold[256] = {
  FOLD ('a'), FOLD ('b'), FOLD ('c'), FOLD ('d'), FOLD ('e'), FOLD ('f'), FOLD ('g'),
  FOLD ('h'), FOLD ('i'), FOLD ('j'), FOLD ('k'), FOLD ('l'), FOLD ('m'), FOLD ('n'),
  FOLD ('o'), FOLD ('p'), FOLD ('q'), FOLD ('r'), FOLD ('s'), FOLD ('t'), FOLD ('u'),
  FOLD ('v'), FOLD ('w'), FOLD ('x'), FOLD ('y'), FOLD ('z'),
  ['0'] = '0', ['1'] = '1', ['2'] = '2', ['3'] = '3', ['4'] = '4',
  ['5'] = '5', ['6'] = '6', ['7'] = '7', ['8'] = '8', ['9'] = '9',
};
#undef FOLD

#define FNV_OFFSET G_GUINT64_CONSTANT (0xcbf29ce484222325)
#define FNV_PRIME G_GUINT64_CONSTANT (0x100000001b3)

/* The text is read once, byte by byte where it is ASCII (most of most
 * releases): a character is a letter of a word by a table's load, and
 * whether it is news text is asked only where a part begins or ends.
 * What it computes is what it did when each character was decoded and
 * looked up in a mask of the text (the signatures stores keep stay
 * valid; test-ingest-mail pins one, and the signatures and bands of
 * 2,000 releases of the bench corpus were compared byte for byte):
 * callgrind counted 257,000 instructions a release of that corpus then,
 * 159,000 with two comparisons a byte, 145,000 with the table, a fifth
 * of them the five mixes of each shingle's words. */
gboolean
desk_copies_signature (const DeskParsedRelease *parsed,
                       guint32                  signature[DESK_COPY_HASHES])
{
  const char *p = parsed->text;
  guint64 window[COPY_SHINGLE] = { 0 };
  guint words = 0;
  guint shingles = 0;
  glong offset = 0;
  glong next_change = 0;
  guint64 word = FNV_OFFSET;
  gboolean in_word = FALSE;
  gboolean whole = TRUE;
  gboolean news = FALSE;

  for (guint i = 0; i < DESK_COPY_HASHES; i++)
    signature[i] = G_MAXUINT32;
  if (p == NULL)
    return FALSE;

  /* A release the parser found no body in is compared whole. */
  for (guint i = 0; parsed->parts != NULL && i < parsed->parts->len && whole; i++)
    {
      DeskPartKind kind = g_array_index (parsed->parts, DeskPart, i).kind;

      whole = kind != DESK_PART_STANDFIRST && kind != DESK_PART_PARAGRAPH;
    }

  for (;;)
    {
      const guchar *u = (const guchar *) p;
      guchar byte = *u;
      gunichar folded = 0;
      gboolean letter;

      if (offset >= next_change)
        news = in_news_text (parsed, whole, offset, &next_change);

      if (byte < 0x80)
        {
          guchar lower = ascii_fold[byte];

          /* A run of ASCII letters inside the news text, most of the
           * text: hashed without the checks above, and without asking
           * at each byte whether the news text ends there.  It almost
           * never does inside a word; when it did, the run is hashed
           * again up to that place. */
          if (news && lower != 0)
            {
              const guchar *start = u;
              guint64 before = word;
              glong room = next_change - offset;

              do
                {
                  word = (word ^ lower) * FNV_PRIME;
                  u++;
                }
              while ((lower = ascii_fold[*u]) != 0);
              if (u - start > room)
                {
                  word = before;
                  for (u = start; u - start < room; u++)
                    word = (word ^ ascii_fold[*u]) * FNV_PRIME;
                }
              offset += u - start;
              in_word = TRUE;
              p = (const char *) u;
              continue;
            }
          letter = FALSE;
          p++;
        }
      else
        {
          guint len;
          gunichar c = decode (u, &len);

          /* The CJK ideographs of U+4E00–U+9FFF are letters, all of them,
           * with no case: no need to ask GLib's Unicode tables. */
          if (c >= 0x4E00 && c <= 0x9FFF)
            {
              letter = news;
              folded = c;
            }
          else
            {
              letter = news && g_unichar_isalnum (c);
              folded = letter ? g_unichar_tolower (c) : c;
            }
          p += len;
        }
      offset++;

      if (letter)
        {
          word = (word ^ folded) * FNV_PRIME;
          in_word = TRUE;
        }
      else if (in_word)
        {
          end_word (window, &words, &shingles, word, signature);
          word = FNV_OFFSET;
          in_word = FALSE;
        }
      if (byte == 0)
        break;
    }

  return shingles >= COPY_MIN_SHINGLES;
}

double
desk_copies_similarity (const guint32 *a,
                        const guint32 *b)
{
  guint same = 0;
  guint places = 0;

  /* A place neither text's shingles reached says nothing. */
  for (guint i = 0; i < DESK_COPY_HASHES; i++)
    if (a[i] != G_MAXUINT32 || b[i] != G_MAXUINT32)
      {
        places++;
        same += a[i] == b[i];
      }
  return places > 0 ? (double) same / places : 0;
}

/* The key of band @band of @signature, or -1 when none of its places was
 * reached (every short text would share it). */
static gint64
band_key (const guint32 *signature,
          guint          band)
{
  guint64 h = splitmix64 (band + 0x5bd1e995);
  gboolean reached = FALSE;

  for (guint r = 0; r < COPY_ROWS; r++)
    {
      guint32 place = signature[band * COPY_ROWS + r];

      reached |= place != G_MAXUINT32;
      h = splitmix64 (h ^ place);
    }
  return reached ? (gint64) (h >> 33) : -1;
}

static gboolean
index_copy (DeskStore               *self,
            gint64                   id,
            const DeskParsedRelease *parsed,
            gint64                  *out_group,
            GError                 **error);

/* The release that stands for group @group in the queues (its copy_of is
 * NULL), other than @id; 0 when there is none. */
static gint64
shown_copy (DeskStore  *self,
            gint64      group,
            gint64      id,
            GError    **error)
{
  g_auto(DeskStmt) stmt = _desk_store_prepare (self, DESK_COPY_SHOWN_SQL, error);
  int rc;

  if (stmt == NULL)
    return -1;
  sqlite3_bind_int64 (stmt, 1, group);
  sqlite3_bind_int64 (stmt, 2, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return sqlite3_column_int64 (stmt, 0);
  if (rc != SQLITE_DONE)
    {
      _desk_store_set_db_error (self, error, _("Could not look for copies of the release"));
      return -1;
    }
  return 0;
}

/* Indexes release @id (just stored, in the caller's transaction): its
 * signature, its bands, and the group it joins.  A copy of a story
 * already in the queues is not shown there on its own: copy_of names the
 * copy that stands for the story.  Only copies pay for that update (one
 * row, leaving the queue indexes); bench-copies measures it.  A store
 * kept at an older schema (desk_store_open_at_version()) has no index to
 * write. */
gboolean
_desk_store_index_copy (DeskStore               *self,
                        gint64                   id,
                        const DeskParsedRelease *parsed,
                        GError                 **error)
{
  gint64 group = id;
  gint64 story;

  if (!_desk_store_has_schema (self, 13)) /* copy_of came with schema 13 */
    return TRUE;
  if (!index_copy (self, id, parsed, &group, error))
    return FALSE;
  if (group == id)
    return TRUE;

  story = shown_copy (self, group, id, error);
  if (story < 0)
    return FALSE;
  if (story == 0)
    return TRUE;
  {
    g_auto(DeskStmt) stmt = _desk_store_prepare (self, "UPDATE releases SET copy_of = ? WHERE id = ?", error);

    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_int64 (stmt, 1, story);
    sqlite3_bind_int64 (stmt, 2, id);
    return _desk_store_step_done (self, stmt, _("Could not store the release’s signature"), error);
  }
}

/* The statements of a release's bands, made once: its look-ups (the
 * newest four releases of each band, band by band, in one statement; a
 * band bound to NULL finds nothing) and its rows (one INSERT; a NULL band
 * is a NOT NULL violation, which OR IGNORE skips like a key kept twice). */
static const char *
bands_sql (gboolean insert)
{
  static gsize sql[2];

  if (g_once_init_enter (&sql[insert]))
    {
      GString *out = g_string_new (insert ? "INSERT OR IGNORE INTO copy_bands (band, release_id) VALUES " : "");

      for (guint b = 0; b < COPY_BANDS; b++)
        {
          if (insert)
            g_string_append_printf (out, "%s(?%u, ?%u)", b > 0 ? ", " : "", b + 1, COPY_BANDS + 1);
          else
            /* Named, as PostgreSQL 15 wants a subquery named. */
            g_string_append_printf (out, "%sSELECT release_id FROM (SELECT release_id FROM copy_bands"
                                    " WHERE band = ?%u ORDER BY release_id DESC LIMIT 4) AS band%u",
                                    b > 0 ? " UNION ALL " : "", b + 1, b + 1);
        }
      g_once_init_leave (&sql[insert], (gsize) g_string_free (out, FALSE));
    }
  return (const char *) sql[insert];
}

static void
bind_bands (sqlite3_stmt *stmt,
            const gint64  keys[COPY_BANDS])
{
  for (guint b = 0; b < COPY_BANDS; b++)
    if (keys[b] >= 0)
      sqlite3_bind_int64 (stmt, b + 1, keys[b]);
    else
      sqlite3_bind_null (stmt, b + 1);
}

static gboolean
insert_bands (DeskStore     *self,
              gint64         id,
              const gint64   keys[COPY_BANDS],
              GError       **error)
{
  g_auto(DeskStmt) stmt = _desk_store_prepare (self, bands_sql (TRUE), error);

  if (stmt == NULL)
    return FALSE;
  bind_bands (stmt, keys);
  sqlite3_bind_int64 (stmt, COPY_BANDS + 1, id);
  return _desk_store_step_done (self, stmt, _("Could not store the release’s signature"), error);
}

const char *
desk_copy_finder_look_sql (void)
{
  return bands_sql (FALSE);
}

gboolean
desk_copy_finder_init (DeskCopyFinder          *finder,
                       gint64                   id,
                       const DeskParsedRelease *parsed)
{
  memset (finder, 0, sizeof *finder);
  finder->group = id;
  if (!desk_copies_signature (parsed, finder->signature))
    return FALSE;
  for (guint b = 0; b < COPY_BANDS; b++)
    {
      finder->keys[b] = band_key (finder->signature, b);
      finder->any_band |= finder->keys[b] >= 0;
    }
  return TRUE;
}

gboolean
desk_copy_finder_done (const DeskCopyFinder *finder)
{
  return finder->n_candidates >= COPY_MAX_CANDIDATES || finder->best >= COPY_PLAINLY;
}

gboolean
desk_copy_finder_take (DeskCopyFinder *finder,
                       gint64          candidate)
{
  /* A copy shares most of its bands with its original: the same
   * candidate comes back band after band. */
  for (guint c = 0; c < finder->n_candidates; c++)
    if (finder->candidates[c] == candidate)
      return FALSE;
  finder->candidates[finder->n_candidates++] = candidate;
  return TRUE;
}

void
desk_copy_finder_compare (DeskCopyFinder *finder,
                          gint64          group,
                          const guint32  *other)
{
  double similarity = desk_copies_similarity (finder->signature, other);

  if (similarity >= COPY_THRESHOLD && similarity > finder->best)
    {
      finder->best = similarity;
      finder->group = group;
    }
}

static gboolean
index_copy (DeskStore               *self,
            gint64                   id,
            const DeskParsedRelease *parsed,
            gint64                  *out_group,
            GError                 **error)
{
  DeskCopyFinder finder;
  const guint32 *signature = finder.signature;
  const gint64 *keys = finder.keys;

  *out_group = id;
  if (!desk_copy_finder_init (&finder, id, parsed))
    return TRUE;

  /* A few releases from each band, at most COPY_MAX_CANDIDATES in all,
   * until one is plainly a copy: each band is one index seek, however
   * many releases share it. */
  if (finder.any_band)
    {
      g_auto(DeskStmt) look = _desk_store_prepare (self, bands_sql (FALSE), error);
      int rc = SQLITE_DONE;

      if (look == NULL)
        return FALSE;
      bind_bands (look, keys);
      while (!desk_copy_finder_done (&finder) && (rc = sqlite3_step (look)) == SQLITE_ROW)
        {
          gint64 candidate = sqlite3_column_int64 (look, 0);

          if (!desk_copy_finder_take (&finder, candidate))
            continue;

          {
            g_auto(DeskStmt) stmt = _desk_store_prepare (self,
              "SELECT group_id, signature FROM copy_signatures WHERE release_id = ?", error);
            const guint32 *other;

            if (stmt == NULL)
              return FALSE;
            sqlite3_bind_int64 (stmt, 1, candidate);
            if (sqlite3_step (stmt) != SQLITE_ROW)
              continue;
            other = sqlite3_column_blob (stmt, 1);
            if (sqlite3_column_bytes (stmt, 1) != sizeof finder.signature || other == NULL)
              continue;
            desk_copy_finder_compare (&finder, sqlite3_column_int64 (stmt, 0), other);
          }
        }
      if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        {
          _desk_store_set_db_error (self, error, _("Could not look for copies of the release"));
          return FALSE;
        }
    }

  {
    g_auto(DeskStmt) stmt = _desk_store_prepare (self,
      "INSERT INTO copy_signatures (release_id, group_id, signature) VALUES (?, ?, ?)", error);

    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_int64 (stmt, 1, id);
    sqlite3_bind_int64 (stmt, 2, finder.group);
    sqlite3_bind_blob (stmt, 3, signature, sizeof finder.signature, SQLITE_STATIC);
    if (!_desk_store_step_done (self, stmt, _("Could not store the release’s signature"), error))
      return FALSE;
  }
  *out_group = finder.group;
  return !finder.any_band || insert_bands (self, id, keys, error);
}

/* Schema 15: the bands of every signature stored before, by the bands of
 * today (copy_bands was emptied by the migration's SQL); the groups stay
 * as they are. */
gboolean
_desk_store_index_existing_bands (DeskStore  *self,
                                  GError    **error)
{
  sqlite3_stmt *select = NULL;
  gboolean ok = TRUE;
  int rc = SQLITE_DONE;

  if (sqlite3_prepare_v2 (_desk_store_get_db (self), "SELECT release_id, signature FROM copy_signatures ORDER BY release_id",
                          -1, &select, NULL) != SQLITE_OK)
    {
      _desk_store_set_db_error (self, error, _("Could not upgrade the database"));
      return FALSE;
    }
  while (ok && (rc = sqlite3_step (select)) == SQLITE_ROW)
    {
      const guint32 *signature = sqlite3_column_blob (select, 1);
      gint64 keys[COPY_BANDS];
      gboolean any_band = FALSE;

      if (sqlite3_column_bytes (select, 1) != DESK_COPY_HASHES * sizeof (guint32) || signature == NULL)
        continue;
      for (guint b = 0; b < COPY_BANDS; b++)
        {
          keys[b] = band_key (signature, b);
          any_band |= keys[b] >= 0;
        }
      if (any_band)
        ok = insert_bands (self, sqlite3_column_int64 (select, 0), keys, error);
    }
  if (ok && rc != SQLITE_DONE)
    {
      _desk_store_set_db_error (self, error, _("Could not upgrade the database"));
      ok = FALSE;
    }
  sqlite3_finalize (select);
  return ok;
}

/* Schema migration: the releases stored before are indexed too, oldest
 * first, so each joins the group of an earlier copy. */
gboolean
_desk_store_index_existing_copies (DeskStore  *self,
                                   GError    **error)
{
  sqlite3_stmt *select = NULL;
  gboolean ok = TRUE;
  int rc;

  if (sqlite3_prepare_v2 (_desk_store_get_db (self), "SELECT id, original FROM releases ORDER BY id",
                          -1, &select, NULL) != SQLITE_OK)
    {
      _desk_store_set_db_error (self, error, _("Could not upgrade the database"));
      return FALSE;
    }
  while (ok && (rc = sqlite3_step (select)) == SQLITE_ROW)
    {
      g_autoptr(DeskParsedRelease) parsed =
        desk_parse_release_text ((const char *) sqlite3_column_text (select, 1), NULL);

      gint64 group;

      if (parsed != NULL)
        ok = index_copy (self, sqlite3_column_int64 (select, 0), parsed, &group, error);
    }
  sqlite3_finalize (select);
  return ok;
}

/* Called when an editor works on release @id (moves it on, or saves a
 * revision of it), in the caller's change: a copy the queues did not
 * show now stands for its story there, and the story's other copies,
 * the one shown before among them, stand behind it; but an approved or
 * published copy stays in its queue (an editor who opens a copy set
 * aside must not take the story out of Approved). */
gboolean
_desk_store_show_copy (DeskStore  *self,
                       gint64      id,
                       GError    **error)
{
  gboolean hidden = FALSE;

  if (desk_store_get_schema_version (self) < 13) /* copy_of came with schema 13 */
    return TRUE;
  {
    g_auto(DeskStmt) stmt = _desk_store_prepare (self,
      "SELECT copy_of IS NOT NULL FROM releases WHERE id = ?", error);

    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_int64 (stmt, 1, id);
    if (sqlite3_step (stmt) == SQLITE_ROW)
      hidden = sqlite3_column_int (stmt, 0) != 0;
  }
  if (!hidden)
    return TRUE;

  {
    g_auto(DeskStmt) stmt = _desk_store_prepare (self,
      "UPDATE releases SET copy_of = CASE WHEN id = ?1 THEN NULL"
      "   WHEN copy_of IS NULL AND status IN ('approved', 'published', 'corrected', 'withdrawn') THEN NULL"
      "   ELSE ?1 END"
      " WHERE id IN (SELECT release_id FROM copy_signatures WHERE group_id ="
      "   (SELECT group_id FROM copy_signatures WHERE release_id = ?1))", error);

    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_int64 (stmt, 1, id);
    return _desk_store_step_done (self, stmt, _("Could not change which copy stands for the story"), error);
  }
}

/* The release that stands for @release_id's story in the queues: itself,
 * unless it is a copy shown behind another; 0 on error. */
gint64
desk_store_get_story (DeskStore  *store,
                      gint64      release_id,
                      GError    **error)
{
  g_auto(DeskStmt) stmt = NULL;

  g_return_val_if_fail (DESK_IS_STORE (store), 0);

  stmt = _desk_store_prepare (store, "SELECT coalesce (copy_of, id) FROM releases WHERE id = ?", error);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_int64 (stmt, 1, release_id);
  switch (sqlite3_step (stmt))
    {
    case SQLITE_ROW:
      return sqlite3_column_int64 (stmt, 0);
    case SQLITE_DONE:
      g_set_error (error, DESK_ERROR, DESK_ERROR_NOT_FOUND, _("There is no release #%" PRId64), release_id);
      return 0;
    default:
      _desk_store_set_db_error (store, error, _("Could not read the release’s copies"));
      return 0;
    }
}

GPtrArray *
desk_store_list_copies (DeskStore  *store,
                        gint64      release_id,
                        GError    **error)
{
  g_autoptr(GPtrArray) copies = g_ptr_array_new_with_free_func ((GDestroyNotify) desk_copy_free);
  g_auto(DeskStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (DESK_IS_STORE (store), NULL);

  stmt = _desk_store_prepare (store, DESK_COPIES_LIST_SQL, error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, release_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      DeskCopy *copy = g_new0 (DeskCopy, 1);

      copy->id = sqlite3_column_int64 (stmt, 0);
      copy->headline = _desk_column_dup (stmt, 1);
      copy->source = _desk_column_dup (stmt, 2);
      desk_status_from_string ((const char *) sqlite3_column_text (stmt, 3), &copy->status);
      copy->received_at = sqlite3_column_int64 (stmt, 4);
      copy->shown = sqlite3_column_int (stmt, 5) != 0;
      g_ptr_array_add (copies, copy);
    }
  if (rc != SQLITE_DONE)
    {
      _desk_store_set_db_error (store, error, _("Could not read the release’s copies"));
      return NULL;
    }
  if (copies->len == 0)
    {
      g_set_error (error, DESK_ERROR, DESK_ERROR_NOT_FOUND, _("There is no release #%" PRId64), release_id);
      return NULL;
    }
  return g_steal_pointer (&copies);
}

gint64
desk_store_count_copies (DeskStore  *store,
                         gint64      release_id,
                         GError    **error)
{
  g_auto(DeskStmt) stmt = NULL;

  g_return_val_if_fail (DESK_IS_STORE (store), -1);

  stmt = _desk_store_prepare (store,
    "SELECT count (*) FROM copy_signatures"
    " WHERE group_id = (SELECT group_id FROM copy_signatures WHERE release_id = ?)", error);
  if (stmt == NULL)
    return -1;
  sqlite3_bind_int64 (stmt, 1, release_id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      _desk_store_set_db_error (store, error, _("Could not read the release’s copies"));
      return -1;
    }
  return MAX (sqlite3_column_int64 (stmt, 0), 1);
}

/* @kept_id's group with the store's transaction begun, to change its
 * other copies (*out_result 0); NULL with *out_result 0 when it has no
 * other copy, or -1 on error. */
static GPtrArray *
begin_group_change (DeskStore  *store,
                    gint64      kept_id,
                    gint64     *out_result,
                    GError    **error)
{
  g_autoptr(GPtrArray) copies = desk_store_list_copies (store, kept_id, error);

  *out_result = -1;
  if (copies == NULL)
    return NULL;
  if (copies->len < 2)
    {
      *out_result = 0;
      return NULL;
    }
  if (!_desk_store_begin (store, error))
    return NULL;
  *out_result = 0;
  return g_steal_pointer (&copies);
}

gint64
desk_store_set_aside_copies (DeskStore   *store,
                             gint64       kept_id,
                             const char  *actor,
                             GError     **error)
{
  g_autoptr(GPtrArray) copies = NULL;
  g_autofree char *default_actor = NULL;
  g_autofree char *note = NULL;
  gint64 set_aside = 0;

  g_return_val_if_fail (DESK_IS_STORE (store), -1);

  if (actor == NULL)
    actor = default_actor = desk_get_default_actor ();
  copies = begin_group_change (store, kept_id, &set_aside, error);
  if (copies == NULL)
    return set_aside;

  /* Translators: the note of the event that sets a copy aside */
  note = g_strdup_printf (_("a copy of #%" PRId64 ", which was approved"), kept_id);
  for (guint i = 0; i < copies->len; i++)
    {
      DeskCopy *copy = g_ptr_array_index (copies, i);
      DeskStatus from;
      gboolean moved = FALSE;

      if (copy->id == kept_id ||
          (copy->status != DESK_STATUS_NEW && copy->status != DESK_STATUS_IN_REVIEW &&
           copy->status != DESK_STATUS_CHANGES_REQUESTED))
        continue;
      if (!_desk_store_move_status (store, copy->id, DESK_STATUS_REJECTED, &from, &moved, error))
        goto failed;
      if (!moved)
        continue;
      if (!_desk_store_insert_event (store, copy->id, actor, "set-aside",
                                     desk_status_to_string (from),
                                     desk_status_to_string (DESK_STATUS_REJECTED), note, error))
        goto failed;
      set_aside++;
    }
  if (!_desk_store_commit (store, error))
    goto failed;
  return set_aside;

failed:
  _desk_store_rollback (store);
  return -1;
}

/* The id, action, from- and to-status of @release_id's last event. */
static gboolean
last_event (DeskStore  *store,
            gint64      release_id,
            gint64     *out_id,
            char      **out_action,
            char      **out_from,
            char      **out_to,
            GError    **error)
{
  g_auto(DeskStmt) stmt = _desk_store_prepare (store,
    "SELECT id, action, from_status, to_status FROM events WHERE release_id = ? ORDER BY id DESC LIMIT 1",
    error);

  *out_id = 0;
  *out_action = *out_from = *out_to = NULL;
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, release_id);
  switch (sqlite3_step (stmt))
    {
    case SQLITE_ROW:
      *out_id = sqlite3_column_int64 (stmt, 0);
      *out_action = _desk_column_dup (stmt, 1);
      *out_from = _desk_column_dup (stmt, 2);
      *out_to = _desk_column_dup (stmt, 3);
      return TRUE;
    case SQLITE_DONE:
      return TRUE;
    default:
      _desk_store_set_db_error (store, error, _("Could not read the release’s copies"));
      return FALSE;
    }
}

gint64
desk_store_restore_set_aside_copies (DeskStore   *store,
                                     gint64       kept_id,
                                     gint64       since_event,
                                     const char  *actor,
                                     GError     **error)
{
  g_autoptr(GPtrArray) copies = NULL;
  g_autofree char *default_actor = NULL;
  g_autofree char *note = NULL;
  gint64 restored = 0;

  g_return_val_if_fail (DESK_IS_STORE (store), -1);

  if (actor == NULL)
    actor = default_actor = desk_get_default_actor ();
  copies = begin_group_change (store, kept_id, &restored, error);
  if (copies == NULL)
    return restored;

  /* Translators: the note of the event that puts a set-aside copy back */
  note = g_strdup_printf (_("the approval of #%" PRId64 " was undone"), kept_id);
  for (guint i = 0; i < copies->len; i++)
    {
      DeskCopy *copy = g_ptr_array_index (copies, i);
      g_autofree char *action = NULL;
      g_autofree char *from_name = NULL;
      g_autofree char *to_name = NULL;
      gint64 event_id;
      DeskStatus back;
      gboolean moved = FALSE;

      if (copy->id == kept_id || copy->status != DESK_STATUS_REJECTED)
        continue;
      if (!last_event (store, copy->id, &event_id, &action, &from_name, &to_name, error))
        goto failed;
      /* Only what that approval set aside, untouched since: a copy an
       * editor rejected, or set aside by another approval, stays. */
      if (event_id <= since_event || g_strcmp0 (action, "set-aside") != 0 ||
          !desk_status_from_string (from_name, &back))
        continue;
      if (!_desk_store_put_back_status (store, copy->id, DESK_STATUS_REJECTED, back, &moved, error))
        goto failed;
      if (!moved)
        continue;
      if (!_desk_store_insert_event (store, copy->id, actor, "undo",
                                     desk_status_to_string (DESK_STATUS_REJECTED),
                                     desk_status_to_string (back), note, error))
        goto failed;
      restored++;
    }
  if (!_desk_store_commit (store, error))
    goto failed;
  return restored;

failed:
  _desk_store_rollback (store);
  return -1;
}

gboolean
desk_undo_move (DeskStore   *store,
                gint64       release_id,
                const char  *actor,
                GError     **error)
{
  g_autofree char *action = NULL;
  g_autofree char *from_name = NULL;
  g_autofree char *to_name = NULL;
  g_autoptr(GError) copies_error = NULL;
  gint64 event_id;

  g_return_val_if_fail (DESK_IS_STORE (store), FALSE);

  if (!last_event (store, release_id, &event_id, &action, &from_name, &to_name, error) ||
      !desk_store_undo_last_move (store, release_id, actor, error))
    return FALSE;
  /* The approval stands undone if this fails, as it was made if setting
   * the copies aside failed (desk-check.c): they wait for the editor. */
  if (g_strcmp0 (action, "status") == 0 &&
      g_strcmp0 (to_name, desk_status_to_string (DESK_STATUS_APPROVED)) == 0 &&
      desk_store_restore_set_aside_copies (store, release_id, event_id, actor, &copies_error) < 0)
    g_message ("Release %" G_GINT64_FORMAT ": its set-aside copies were not put back: %s",
               release_id, copies_error->message);
  return TRUE;
}
