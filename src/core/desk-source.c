/* desk-source.c — one path from any source into the store
 *
 * Every source ends here: the item is parsed, its language found and the
 * sponsor detector run, exactly as for a file an editor imports, and then
 * stored with the record that its source has seen it, in one transaction.
 * Whether an item is new is decided inside that transaction, under
 * SQLite's write lock (BEGIN IMMEDIATE): a second process that reads the
 * same item waits, then finds the record and stores nothing.
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "desk-date.h"
#include "desk-error.h"
#include "desk-parser.h"
#include "desk-source.h"
#include "desk-store-private.h"

G_DEFINE_INTERFACE (DeskIngestSource, desk_ingest_source, G_TYPE_OBJECT)

enum {
  WAKE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
desk_ingest_source_default_init (DeskIngestSourceInterface *iface)
{
  /* The source has something to bring in now (emitted on any thread). */
  signals[WAKE] = g_signal_new ("wake", G_TYPE_FROM_INTERFACE (iface), G_SIGNAL_RUN_LAST,
                                0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

char *
desk_ingest_source_dup_label (DeskIngestSource *self)
{
  g_return_val_if_fail (DESK_IS_INGEST_SOURCE (self), NULL);
  return DESK_INGEST_SOURCE_GET_IFACE (self)->dup_label (self);
}

gboolean
desk_ingest_source_poll (DeskIngestSource  *self,
                         DeskStore         *store,
                         DeskIngestCounts  *counts,
                         GCancellable      *cancellable,
                         GError           **error)
{
  g_return_val_if_fail (DESK_IS_INGEST_SOURCE (self), FALSE);
  return DESK_INGEST_SOURCE_GET_IFACE (self)->poll (self, store, counts, cancellable, error);
}

gboolean
desk_ingest_source_runs_on_db (DeskIngestSource *self)
{
  g_return_val_if_fail (DESK_IS_INGEST_SOURCE (self), FALSE);
  return DESK_INGEST_SOURCE_GET_IFACE (self)->poll_db != NULL;
}

gboolean
desk_ingest_source_poll_db (DeskIngestSource  *self,
                            DeskDb            *db,
                            DeskIngestCounts  *counts,
                            GCancellable      *cancellable,
                            GError           **error)
{
  DeskIngestSourceInterface *iface;

  g_return_val_if_fail (DESK_IS_INGEST_SOURCE (self), FALSE);
  iface = DESK_INGEST_SOURCE_GET_IFACE (self);
  if (iface->poll_db == NULL)
    {
      g_autofree char *label = desk_ingest_source_dup_label (self);

      g_set_error (error, DESK_ERROR, DESK_ERROR_FAILED,
                   _("%s does not run on a team desk (PostgreSQL) yet"), label);
      return FALSE;
    }
  return iface->poll_db (self, db, counts, cancellable, error);
}

guint
desk_ingest_source_get_interval (DeskIngestSource *self)
{
  DeskIngestSourceInterface *iface;

  g_return_val_if_fail (DESK_IS_INGEST_SOURCE (self), 0);
  iface = DESK_INGEST_SOURCE_GET_IFACE (self);
  return iface->get_interval != NULL ? iface->get_interval (self) : 0;
}

void
desk_ingest_source_wake (DeskIngestSource *self)
{
  g_return_if_fail (DESK_IS_INGEST_SOURCE (self));
  g_signal_emit (self, signals[WAKE], 0);
}

/* ---- embargoes ----------------------------------------------------------- */

/* Only the top of a release states an embargo; lower down the words are
 * somebody's story. */
#define EMBARGO_HEAD_CHARS 2000

/* The words that open a line with an embargo. */
#define EMBARGO_TRIGGER "^[\\s*_#>\\[(]*" \
  "(embargo(?:ed)?(?:\\s+(?:until|till|to|hingga|sampai))?" \
  "|under\\s+embargo\\s+until" \
  "|sperrfrist(?:\\s+bis)?" \
  "|(hold\\s+for\\s+release)(?:\\s+(?:until|till))?" \
  "|not\\s+for\\s+(?:publication|release|broadcast)\\s+(?:before|until)" \
  "|dilarang\\s+(?:terbit|tayang)\\s+sebelum)"

/* Does a word that opens an embargo line start at @p?  TRUE too where
 * the bytes are not ASCII: PCRE reads "ſ" for an "s" in a caseless match,
 * and so on. */
static gboolean
may_open_embargo (const guchar *p,
                  const guchar *end)
{
  static const char * const words[] = { "embargo", "under", "sperrfrist", "hold", "not", "dilarang" };

  for (guint w = 0; w < G_N_ELEMENTS (words); w++)
    {
      const char *word = words[w];
      gsize i = 0;

      for (; word[i] != '\0' && p + i < end; i++)
        if (p[i] >= 0x80)
          return TRUE;
        else if (g_ascii_tolower (p[i]) != word[i])
          break;
      if (word[i] == '\0')
        return TRUE;
      if (p + i >= end && i > 0)
        return TRUE;   /* cut off at the end of the head */
    }
  return FALSE;
}

/* FALSE only when the top of @text cannot hold a line that
 * desk_source_find_embargo() reads: no line of it opens with one of the
 * words that open one, in any case.  Most releases have none, and need
 * neither the search (56 M instructions for 1,000 releases of the mixed
 * corpus, callgrind) nor the local time zone (which GLib reads from
 * /etc/localtime again each time it is asked: three system calls a
 * release).  A line that opens with a letter past ASCII (Chinese, Thai)
 * is not one; the long s where a line's words may start, and any
 * character that may end a line other than LF, CR, VT and FF, is taken
 * for a yes. */
/* The bytes that end a line, or may begin a character that does (NEL,
 * U+2028, U+2029): 1; every other byte 0. */
static const guint8 may_end_line[256] = {
  ['\n'] = 1, ['\r'] = 1, ['\v'] = 1, ['\f'] = 1, [0xC2] = 1, [0xE2] = 1,
};

gboolean
desk_source_may_find_embargo (const char *text)
{
  const guchar *p;
  const guchar *end;
  gboolean line_start = TRUE;

  if (text == NULL)
    return FALSE;
  /* A few bytes past the head desk_source_find_embargo() reads: more
   * text can only say yes more often. */
  p = (const guchar *) text;
  end = p + strnlen (text, EMBARGO_HEAD_CHARS);
  for (; p < end; p++)
    {
      guchar c;

      /* Inside a line only what may end it counts: passed over a table's
       * load a byte (each byte asked four questions was most of this
       * function's instructions). */
      if (!line_start)
        {
          while (p < end && !may_end_line[*p])
            p++;
          if (p >= end)
            break;
        }
      c = *p;
      if (c == '\n' || c == '\r' || c == '\v' || c == '\f')
        line_start = TRUE;
      else if ((c == 0xC2 && (p + 1 >= end || p[1] == 0x85)) ||
               (c == 0xE2 && (p + 2 >= end || (p[1] == 0x80 && (p[2] == 0xA8 || p[2] == 0xA9)))))
        return TRUE;   /* NEL, U+2028 or U+2029 may end a line */
      else if (!line_start)
        continue;
      else if (c == ' ' || c == '\t' || c == '*' || c == '_' || c == '#' || c == '>' || c == '[' || c == '(')
        continue;
      else if (c >= 0x80)
        {
          gunichar ch = g_utf8_get_char_validated ((const char *) p, (gssize) (end - p));

          /* The long s is an "s" to a caseless PCRE.  A letter, digit
           * or mark past ASCII opens no line the search reads (a Chinese
           * or Thai line: a third of the mixed corpus went to the search
           * for nothing); anything else (a space as \s reads it, a mark
           * of punctuation, a byte that is not UTF-8) is passed over as
           * the spaces are. */
          if (ch == 0x017F)
            return TRUE;
          if (ch < 0x80 || ch >= 0x110000)
            continue;
          if (g_unichar_isalnum (ch) || g_unichar_ismark (ch))
            line_start = FALSE;
          p += g_utf8_skip[c] - 1;
        }
      else if (may_open_embargo (p, end))
        return TRUE;
      else
        line_start = FALSE;
    }
  return FALSE;
}

GDateTime *
desk_source_find_embargo (const char  *text,
                          GTimeZone   *default_zone,
                          char       **out_zone_name,
                          gboolean    *out_hold)
{
  static GRegex *trigger;
  g_autoptr(GMatchInfo) match = NULL;
  g_autofree char *head = NULL;
  gsize len;

  if (out_zone_name != NULL)
    *out_zone_name = NULL;
  if (out_hold != NULL)
    *out_hold = FALSE;
  if (text == NULL)
    return NULL;

  if (g_once_init_enter (&trigger))
    {
      GRegex *regex = g_regex_new (EMBARGO_TRIGGER "\\b[\\s:\\-–—]*(.*)$",
                                   G_REGEX_CASELESS | G_REGEX_MULTILINE | G_REGEX_OPTIMIZE, 0, NULL);
      g_once_init_leave (&trigger, regex);
    }

  len = strlen (text);
  if (len > EMBARGO_HEAD_CHARS)
    {
      const char *end = g_utf8_find_prev_char (text, text + EMBARGO_HEAD_CHARS);

      len = end != NULL ? (gsize) (end - text) : 0;
    }
  head = g_strndup (text, len);
  /* GRegex reads its subject as UTF-8 without checking it (PCRE2's JIT
   * walks past the end of a string cut inside a character), so bytes
   * that are not UTF-8 are made so before the match. */
  if (!g_utf8_validate (head, -1, NULL))
    {
      char *valid = g_utf8_make_valid (head, -1);

      g_free (head);
      head = valid;
    }

  if (g_regex_match (trigger, head, 0, &match))
    {
      g_autofree char *hold = g_match_info_fetch (match, 2);
      g_autofree char *rest = g_match_info_fetch (match, 3);
      gint end = 0;
      GDateTime *when;

      when = desk_date_parse (rest, default_zone, TRUE, out_zone_name);
      if (when == NULL)
        {
          /* "EMBARGOED UNTIL:" with the time on the next line */
          g_match_info_fetch_pos (match, 0, NULL, &end);
          if (head[end] == '\n')
            {
              const char *next = head + end + 1;
              const char *nl = strchr (next, '\n');
              g_autofree char *line = nl != NULL ? g_strndup (next, nl - next) : g_strdup (next);

              when = desk_date_parse (line, default_zone, TRUE, out_zone_name);
            }
        }
      if (when == NULL && hold != NULL && *hold != '\0' && out_hold != NULL)
        *out_hold = TRUE;
      return when;
    }
  return NULL;
}

/* Jobs already queued for the release wait for its new embargo, or go
 * now that it is lifted. */
static gboolean
reschedule_jobs (DeskStore  *store,
                 gint64      release_id,
                 GError    **error)
{
  g_auto(DeskStmt) stmt = _desk_store_prepare (store,
    "UPDATE outbox SET next_try_at = max (?2, coalesce ((SELECT embargo_at FROM releases WHERE id = ?1), 0))"
    " WHERE release_id = ?1 AND state = 'pending'", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, release_id);
  sqlite3_bind_int64 (stmt, 2, g_get_real_time ());
  return _desk_store_step_done (store, stmt, _("Could not store the embargo"), error);
}

gboolean
desk_source_set_embargo (DeskStore   *store,
                         gint64       release_id,
                         GDateTime   *embargo,
                         const char  *zone_name,
                         GError     **error)
{
  g_auto(DeskStmt) stmt = NULL;
  g_autofree char *abbreviation = NULL;

  g_return_val_if_fail (DESK_IS_STORE (store), FALSE);

  stmt = _desk_store_prepare (store,
                              "UPDATE releases SET embargo_at = ?, embargo_offset = ?, embargo_zone = ?,"
                              " updated_at = ? WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  if (embargo != NULL)
    {
      if (zone_name == NULL)
        zone_name = abbreviation = g_strdup (g_date_time_get_timezone_abbreviation (embargo));
      sqlite3_bind_int64 (stmt, 1, g_date_time_to_unix (embargo) * G_USEC_PER_SEC);
      sqlite3_bind_int64 (stmt, 2, g_date_time_get_utc_offset (embargo) / G_USEC_PER_SEC);
      sqlite3_bind_text (stmt, 3, zone_name, -1, SQLITE_TRANSIENT);
    }
  sqlite3_bind_int64 (stmt, 4, g_get_real_time ());
  sqlite3_bind_int64 (stmt, 5, release_id);
  return _desk_store_step_done (store, stmt, _("Could not store the embargo"), error) &&
         reschedule_jobs (store, release_id, error);
}

gboolean
desk_source_set_hold (DeskStore  *store,
                      gint64      release_id,
                      GError    **error)
{
  g_auto(DeskStmt) stmt = NULL;

  g_return_val_if_fail (DESK_IS_STORE (store), FALSE);

  stmt = _desk_store_prepare (store,
                              "UPDATE releases SET embargo_at = ?, embargo_offset = 0, embargo_zone = NULL,"
                              " updated_at = ? WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, G_MAXINT64);
  sqlite3_bind_int64 (stmt, 2, g_get_real_time ());
  sqlite3_bind_int64 (stmt, 3, release_id);
  return _desk_store_step_done (store, stmt, _("Could not store the embargo"), error) &&
         reschedule_jobs (store, release_id, error);
}

gboolean
desk_source_get_embargo (DeskStore   *store,
                         gint64       release_id,
                         GDateTime  **out_embargo,
                         char       **out_zone_name,
                         GError     **error)
{
  g_auto(DeskStmt) stmt = NULL;
  gint64 at;
  int offset;

  g_return_val_if_fail (DESK_IS_STORE (store), FALSE);

  *out_embargo = NULL;
  if (out_zone_name != NULL)
    *out_zone_name = NULL;
  stmt = _desk_store_prepare (store,
                              "SELECT embargo_at, embargo_offset, embargo_zone FROM releases"
                              " WHERE id = ? AND embargo_at IS NOT NULL", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, release_id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return FALSE;

  at = sqlite3_column_int64 (stmt, 0);
  offset = sqlite3_column_int (stmt, 1);
  if (out_zone_name != NULL)
    *out_zone_name = _desk_column_dup (stmt, 2);
  if (at != G_MAXINT64)
    {
      g_autoptr(GTimeZone) zone = g_time_zone_new_offset (offset);
      g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (at / G_USEC_PER_SEC);

      *out_embargo = g_date_time_to_timezone (utc, zone);
    }
  return TRUE;
}

gint64
desk_source_embargo_lifts_at (DeskStore *store,
                              gint64     release_id)
{
  g_auto(DeskStmt) stmt = _desk_store_prepare (store,
                                               "SELECT embargo_at FROM releases WHERE id = ?", NULL);

  if (stmt == NULL)
    return 0;
  sqlite3_bind_int64 (stmt, 1, release_id);
  if (sqlite3_step (stmt) != SQLITE_ROW || sqlite3_column_type (stmt, 0) == SQLITE_NULL)
    return 0;
  return sqlite3_column_int64 (stmt, 0);
}

/* "Embargoed until 10:00 WIB, 5 Mar", in the zone it was stated in and
 * the editor's language, for a release whose embargo has not ended;
 * "Held for release" for one held until an editor lifts it; NULL for one
 * that may be published now (no embargo, or one that has passed). */
char *
desk_source_describe_embargo (DeskStore *store,
                              gint64     release_id)
{
  g_autoptr(GDateTime) embargo = NULL;
  g_autofree char *zone = NULL;
  g_autofree char *clock = NULL;
  g_autofree char *day = NULL;

  g_return_val_if_fail (DESK_IS_STORE (store), NULL);

  if (!desk_source_get_embargo (store, release_id, &embargo, &zone, NULL))
    return NULL;
  if (embargo == NULL)
    return g_strdup (_("Held for release"));
  if (g_date_time_to_unix (embargo) * G_USEC_PER_SEC <= g_get_real_time ())
    return NULL;
  if (zone == NULL || *zone == '\0')
    {
      g_free (zone);
      zone = g_date_time_format (embargo, "UTC%:z");
    }
  clock = g_date_time_format (embargo, "%H:%M");
  /* Translators: the day of an embargo: "5 Mar" (strftime: %-d the day, %b the month) */
  day = g_date_time_format (embargo, C_("embargo day", "%-d %b"));
  /* Translators: "Embargoed until 10:00 WIB, 5 Mar": the time, its zone, the day */
  return g_strdup_printf (_("Embargoed until %s %s, %s"), clock, zone, day);
}

/* ---- ingesting ----------------------------------------------------------- */

typedef struct {
  const DeskSourceItem *item;
  DeskParsedRelease    *parsed;
  DeskDetection        *detection;
  char                 *keys[3];   /* NULL-terminated, uid first */
} Prepared;

static void
prepared_clear (Prepared *p)
{
  desk_parsed_release_free (p->parsed);
  desk_detection_free (p->detection);
  for (guint i = 0; i < G_N_ELEMENTS (p->keys); i++)
    g_free (p->keys[i]);
}

static gboolean
prepare_item (DeskDetector         *detector,
              const DeskSourceItem *item,
              Prepared             *p,
              GError              **error)
{
  g_autofree char *data = NULL;
  const char *name;
  guint k = 0;

  memset (p, 0, sizeof *p);
  p->item = item;

  if (item->kind == NULL || item->source_name == NULL || item->text == NULL)
    {
      g_set_error (error, DESK_ERROR, DESK_ERROR_INVALID_INPUT, _("an item without a source or text"));
      return FALSE;
    }

  /* The headline a source gives is the release's first line, as in a
   * file, unless the text begins with it already. */
  if (item->headline != NULL && *item->headline != '\0' &&
      !g_str_has_prefix (item->text, item->headline))
    data = g_strconcat (item->headline, "\n\n", item->text, NULL);
  else
    data = g_strdup (item->text);

  name = item->path != NULL ? item->path : item->link != NULL ? item->link : item->source_name;
  p->parsed = desk_parse_release (data, strlen (data), name, error);
  if (p->parsed == NULL)
    return FALSE;
  p->detection = desk_detector_detect (detector, p->parsed->text, p->parsed->language);

  if (item->uid != NULL && *item->uid != '\0')
    p->keys[k++] = g_strconcat ("uid:", item->uid, NULL);
  if (item->link != NULL && *item->link != '\0')
    p->keys[k++] = g_strconcat ("link:", item->link, NULL);
  p->keys[k] = NULL;
  return TRUE;
}

/* Records that the source has seen the item as release @release_id.
 * @new_keys: find_seen() found none of its keys, in this transaction, so
 * each is a plain INSERT.  An upsert (or an UPDATE of release_id, which
 * its foreign key guards) opens a statement journal, and SQLite 3.40's
 * FTS5 writes out its pending index at every such savepoint: inside a
 * feed's batch that was one index segment (and its merging) per item, 18%
 * of a feed's instructions, where a plain INSERT leaves the index to be
 * written once, at the commit. */
static gboolean
record_keys (DeskStore      *store,
             const Prepared *p,
             gint64          release_id,
             gboolean        new_keys,
             GError        **error)
{
  /* By content, an item is found in releases.content_hash. */
  for (guint i = 0; p->keys[i] != NULL; i++)
    {
      g_auto(DeskStmt) stmt = _desk_store_prepare (store, new_keys
        ? "INSERT INTO source_items (kind, source_name, key, release_id, item_hash, seen_at)"
          " VALUES (?, ?, ?, ?, ?, ?)"
        : "INSERT INTO source_items (kind, source_name, key, release_id, item_hash, seen_at)"
          " VALUES (?, ?, ?, ?, ?, ?)"
          " ON CONFLICT (kind, source_name, key) DO UPDATE SET item_hash = excluded.item_hash,"
          "   release_id = excluded.release_id, seen_at = excluded.seen_at", error);

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, p->item->kind, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, p->item->source_name, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, p->keys[i], -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 4, release_id);
      sqlite3_bind_text (stmt, 5, p->parsed->content_hash, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 6, g_get_real_time ());
      if (!_desk_store_step_done (store, stmt, _("Could not record what the source has seen"), error))
        return FALSE;
    }
  return TRUE;
}

/* The release this source made of the item before, by its own id or its
 * link, and the item's hash then; 0 if none. */
static gint64
find_seen (DeskStore      *store,
           const Prepared *p,
           char          **out_item_hash,
           GError        **error)
{
  for (guint i = 0; p->keys[i] != NULL; i++)
    {
      g_auto(DeskStmt) stmt = _desk_store_prepare (store,
        "SELECT release_id, item_hash FROM source_items WHERE kind = ? AND source_name = ? AND key = ?",
        error);

      if (stmt == NULL)
        return -1;
      sqlite3_bind_text (stmt, 1, p->item->kind, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, p->item->source_name, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, p->keys[i], -1, SQLITE_STATIC);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        {
          *out_item_hash = _desk_column_dup (stmt, 1);
          return sqlite3_column_int64 (stmt, 0);
        }
    }
  return 0;
}

/* Stores one prepared item inside the open batch.  FALSE: the batch is
 * rolled back. */
static gboolean
ingest_in_batch (DeskStore         *store,
                 const Prepared    *p,
                 const char        *actor,
                 gint64            *out_id,
                 DeskIngestOutcome *out_outcome,
                 GError           **error)
{
  g_autofree char *seen_hash = NULL;
  g_autoptr(GError) local_error = NULL;
  gint64 existing = 0;
  gint64 id;

  id = find_seen (store, p, &seen_hash, error);
  if (id < 0)
    return FALSE;

  if (id > 0)
    {
      *out_id = id;
      /* The item's hash is its release's content hash, made by the
       * parser already: the same words in the same order are the same
       * item, however its lines run.  (A SHA-256 of its exact text of its
       * own was 7% of a feed's instructions.  An item kept with one of
       * those and sent again unchanged makes no revision either: the
       * text is the release's.) */
      if (g_strcmp0 (seen_hash, p->parsed->content_hash) == 0)
        *out_outcome = DESK_INGEST_SEEN;
      else
        {
          gint64 revision_id = 0;

          /* The same item, changed: a new revision of its release. */
          if (!desk_store_save_revision (store, id, p->parsed->headline, p->parsed->text,
                                         actor, &revision_id, error))
            return FALSE;
          *out_outcome = revision_id != 0 ? DESK_INGEST_UPDATED : DESK_INGEST_SEEN;
        }
      return record_keys (store, p, id, FALSE, error);
    }

  {
    const DeskSourceItem *item = p->item;
    gboolean named = g_strcmp0 (item->kind, DESK_SOURCE_KIND_FOLDER) != 0;
    /* Arrival orders the queue: a date the source claims in the future
     * is taken as now. */
    gint64 received_at = MIN (item->published_at, g_get_real_time ());
    DeskSource source = { named ? item->source_name : NULL, NULL, item->path,
                          received_at > 0 ? received_at : 0, item->kind, item->source_name };

    /* The embargo the item states, else the one its text states, is
     * stored with the release (desk-store-wire.c). */
    source.embargo = item->embargo;

    id = desk_store_add_detected_release (store, p->parsed, p->detection, &source,
                                          actor, &existing, &local_error);
  }
  if (id <= 0 && g_error_matches (local_error, DESK_ERROR, DESK_ERROR_DUPLICATE))
    {
      /* The same text came another way (a file, another feed): seen. */
      *out_id = existing;
      *out_outcome = DESK_INGEST_SEEN;
      return record_keys (store, p, existing, TRUE, error);
    }
  if (id <= 0)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  *out_id = id;
  *out_outcome = DESK_INGEST_NEW;
  return record_keys (store, p, id, TRUE, error);
}

static void
abort_batch (DeskStore *store)
{
  /* A change begun and rolled back inside the batch rolls the batch back. */
  if (_desk_store_begin (store, NULL))
    _desk_store_rollback (store);
  desk_store_commit_batch (store, NULL);
}

/* A batch is committed at most this many items or this long after it
 * began, as the importer does: FTS5 takes a few large commits far better
 * than one per item, and a long one would keep every other writer (the
 * window's autosave) waiting.  One transaction for a whole feed of 10,000
 * items took 18 s to store where batches of half a second took 3. */
#define BATCH_MAX_ITEMS 5000
#define BATCH_MAX_USEC (G_USEC_PER_SEC / 2)

static void
fail_item (GPtrArray *out_errors,
           guint      i,
           GError    *error)
{
  if (out_errors != NULL)
    out_errors->pdata[i] = error;
  else
    g_clear_error (&error);
}

/* Items are read (parsed, their language found, the detector run) on a
 * thread of their own, ahead of the thread that stores, as the importer
 * reads files: on two cores a feed then takes about as long as its
 * database writes, where reading every item first and storing after took
 * twice as long as importing the same items as files (bench-ingest).  The
 * reader stays at most READ_AHEAD items ahead. */
#define READ_AHEAD 2048

typedef struct {
  guint     index;     /* in the items; G_MAXUINT marks the end */
  gboolean  ready;     /* prepared, else failed with error */
  Prepared  prepared;
  GError   *error;
} ReadItem;

/* Items read are handed over READ_BATCH at a time, as the importer hands
 * over files (desk-importer.c): one at a time, each woke the other
 * thread with a futex call. */
#define READ_BATCH 16

typedef struct {
  const DeskSourceItem *items;
  guint                 n_items;
  DeskDetector         *detector;
  GAsyncQueue          *results;   /* of GPtrArray of ReadItem */
  GMutex                lock;
  GCond                 cond;
  guint                 ahead;
  GPtrArray            *taken;     /* the batch the storing thread is on */
  guint                 next;      /* its next item */
} ItemReader;

static void
read_item (DeskDetector         *detector,
           const DeskSourceItem *item,
           guint                 index,
           ReadItem             *out)
{
  out->index = index;
  out->error = NULL;
  out->ready = prepare_item (detector, item, &out->prepared, &out->error);
  if (!out->ready)
    g_prefix_error (&out->error, "%s: ", item->path != NULL ? item->path
                                         : item->link != NULL ? item->link
                                         : item->uid != NULL ? item->uid : item->source_name);
}

static gpointer
item_reader_thread (gpointer data)
{
  ItemReader *reader = data;
  GPtrArray *batch = g_ptr_array_sized_new (READ_BATCH);
  ReadItem *end;

  for (guint i = 0; i < reader->n_items; i++)
    {
      ReadItem *result = g_new0 (ReadItem, 1);

      g_mutex_lock (&reader->lock);
      while (reader->ahead >= READ_AHEAD)
        g_cond_wait (&reader->cond, &reader->lock);
      reader->ahead++;
      g_mutex_unlock (&reader->lock);

      read_item (reader->detector, &reader->items[i], i, result);
      g_ptr_array_add (batch, result);
      if (batch->len >= READ_BATCH)
        {
          g_async_queue_push (reader->results, batch);
          batch = g_ptr_array_sized_new (READ_BATCH);
        }
    }

  end = g_new0 (ReadItem, 1);
  end->index = G_MAXUINT;
  g_ptr_array_add (batch, end);
  g_async_queue_push (reader->results, batch);
  return NULL;
}

static ReadItem *
item_reader_next (ItemReader *reader)
{
  ReadItem *result;

  if (reader->taken == NULL || reader->next >= reader->taken->len)
    {
      g_clear_pointer (&reader->taken, g_ptr_array_unref);
      reader->taken = g_async_queue_pop (reader->results);
      reader->next = 0;
    }
  result = g_ptr_array_index (reader->taken, reader->next++);
  if (result->index == G_MAXUINT)
    return result;

  g_mutex_lock (&reader->lock);
  /* The reader waits only when it is READ_AHEAD ahead. */
  if (reader->ahead-- >= READ_AHEAD)
    g_cond_signal (&reader->cond);
  g_mutex_unlock (&reader->lock);
  return result;
}

/* Stores the read items of @batch in one transaction; if one of them
 * fails, the transaction is rolled back and each is stored on its own,
 * whole or not at all.  Returns how many failed. */
static guint
store_batch (DeskStore         *store,
             GArray            *batch,
             const char        *actor,
             gint64            *out_ids,
             DeskIngestOutcome *out_outcomes,
             GPtrArray         *out_errors)
{
  gboolean batched = FALSE;
  guint failed = 0;

  for (guint k = 0; k < batch->len; k++)
    {
      ReadItem *r = &g_array_index (batch, ReadItem, k);

      out_ids[r->index] = 0;
      out_outcomes[r->index] = DESK_INGEST_SEEN;
      if (!r->ready)
        {
          fail_item (out_errors, r->index, g_steal_pointer (&r->error));
          failed++;
        }
    }

  if (batch->len > 1 && desk_store_begin_batch (store, NULL))
    {
      batched = TRUE;
      for (guint k = 0; k < batch->len && batched; k++)
        {
          ReadItem *r = &g_array_index (batch, ReadItem, k);

          if (r->ready && !ingest_in_batch (store, &r->prepared, actor, &out_ids[r->index],
                                            &out_outcomes[r->index], NULL))
            {
              abort_batch (store);
              batched = FALSE;
            }
        }
      if (batched && !desk_store_commit_batch (store, NULL))
        batched = FALSE;
    }

  if (!batched)
    for (guint k = 0; k < batch->len; k++)
      {
        ReadItem *r = &g_array_index (batch, ReadItem, k);
        guint i = r->index;
        GError *error = NULL;

        if (!r->ready)
          continue;
        out_ids[i] = 0;
        out_outcomes[i] = DESK_INGEST_SEEN;
        if (!desk_store_begin_batch (store, &error))
          ;
        else if (!ingest_in_batch (store, &r->prepared, actor, &out_ids[i], &out_outcomes[i], &error))
          abort_batch (store);
        else if (desk_store_commit_batch (store, &error))
          continue;
        out_ids[i] = 0;
        fail_item (out_errors, i, error);
        failed++;
      }
  return failed;
}

static void
read_item_clear (ReadItem *r)
{
  prepared_clear (&r->prepared);
  g_clear_error (&r->error);
}

guint
desk_source_ingest_items (DeskStore            *store,
                          const DeskSourceItem *items,
                          guint                 n_items,
                          const char           *actor,
                          gint64               *out_ids,
                          DeskIngestOutcome    *out_outcomes,
                          GPtrArray            *out_errors)
{
  g_autofree char *default_actor = NULL;
  g_autoptr(GArray) batch = g_array_new (FALSE, FALSE, sizeof (ReadItem));
  DeskDetector *detector;
  ItemReader reader = { 0 };
  GThread *thread;
  gint64 batch_started;
  guint failed = 0;

  g_return_val_if_fail (DESK_IS_STORE (store), n_items);

  if (actor == NULL)
    actor = default_actor = desk_get_default_actor ();
  if (out_errors != NULL)
    g_ptr_array_set_size (out_errors, n_items);
  g_array_set_clear_func (batch, (GDestroyNotify) read_item_clear);
  detector = desk_store_get_detector (store);

  /* One item (a file from the watched folder) is read where it is stored. */
  if (n_items == 1)
    {
      ReadItem one;

      read_item (detector, &items[0], 0, &one);
      g_array_append_val (batch, one);
      return store_batch (store, batch, actor, out_ids, out_outcomes, out_errors);
    }

  reader.items = items;
  reader.n_items = n_items;
  reader.detector = detector;
  reader.results = g_async_queue_new ();
  g_mutex_init (&reader.lock);
  g_cond_init (&reader.cond);
  thread = g_thread_new ("copydesk-ingest-reader", item_reader_thread, &reader);

  /* Stored in batches of as many items as half a second brings. */
  batch_started = g_get_monotonic_time ();
  for (;;)
    {
      g_autofree ReadItem *result = item_reader_next (&reader);

      if (result->index == G_MAXUINT)
        break;
      g_array_append_val (batch, *result);
      if (batch->len >= BATCH_MAX_ITEMS || g_get_monotonic_time () - batch_started >= BATCH_MAX_USEC)
        {
          failed += store_batch (store, batch, actor, out_ids, out_outcomes, out_errors);
          g_array_set_size (batch, 0);
          batch_started = g_get_monotonic_time ();
        }
    }
  if (batch->len > 0)
    failed += store_batch (store, batch, actor, out_ids, out_outcomes, out_errors);

  g_thread_join (thread);
  g_clear_pointer (&reader.taken, g_ptr_array_unref);
  g_async_queue_unref (reader.results);
  g_mutex_clear (&reader.lock);
  g_cond_clear (&reader.cond);
  return failed;
}

/* Brings one item in; returns its release (new, seen before or updated),
 * or 0 with @error. */
gint64
desk_source_ingest_item (DeskStore            *store,
                         const DeskSourceItem *item,
                         const char           *actor,
                         DeskIngestOutcome    *out_outcome,
                         GError              **error)
{
  g_autoptr(GPtrArray) errors = g_ptr_array_new ();
  DeskIngestOutcome outcome = DESK_INGEST_SEEN;
  gint64 id = 0;

  if (desk_source_ingest_items (store, item, 1, actor, &id, &outcome, errors) > 0)
    {
      GError *e = g_ptr_array_index (errors, 0);

      if (e != NULL)
        g_propagate_error (error, e);
      else
        g_set_error (error, DESK_ERROR, DESK_ERROR_FAILED, _("could not be stored"));
      return 0;
    }
  if (out_outcome != NULL)
    *out_outcome = outcome;
  return id;
}
