/* desk-db-import.c — release files imported into a team desk
 *
 * A file is read, parsed and detected by the importer's own code
 * (desk_import_read_file()), and its releases written as the SQLite
 * store writes them (desk_store_add_detected_release()): the release
 * with its verdict, findings and structure, its tags, what a wire item
 * states of itself, its embargo and an "imported" event, with the search
 * document desk copy writes (desk-pg-search.c) in place of the FTS5 row.
 *
 * Whether a release is on the desk already is asked of the server's
 * unique indexes (content_hash, source_uid) by INSERT … ON CONFLICT DO
 * NOTHING, never by a read before the write: an importer that meets a
 * row another one has written and not yet committed waits for that
 * transaction, and then finds the row (a duplicate) or, when it rolled
 * back or its process died, stores the release itself.  So importers on
 * any number of machines store each release once.
 *
 * Copies of one story are grouped as on SQLite, by the same decision
 * (desk-copies.c's DeskCopyFinder).  Not done here yet, as on SQLite: the
 * boilerplate an issuer's earlier releases carried is not learned (the
 * detector's own findings are stored).
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <inttypes.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "desk-copies.h"
#include "desk-db-import.h"
#include "desk-db-releases.h"
#include "desk-error.h"
#include "desk-folder-source.h"
#include "desk-pg-search.h"
#include "desk-source.h"
#include "desk-store-private.h"

typedef struct {
  char   *rules_hash;
  gint64  rules_version;
} Importer;

static void
importer_free (Importer *importer)
{
  g_free (importer->rules_hash);
  g_free (importer);
}

/* The number of the rules with @hash, added if new, in a statement of
 * its own: the row is never removed, and an import that waited on
 * another's lock on it for the length of a file would serialise them. */
static gint64
rules_version (DeskDb      *db,
               Importer    *importer,
               const char  *hash,
               GError     **error)
{
  gint64 id = 0;

  if (importer->rules_hash != NULL && g_str_equal (importer->rules_hash, hash))
    return importer->rules_version;

  {
    g_autoptr(DeskDbStmt) stmt = desk_db_prepare (db,
      "INSERT INTO sponsor_rules (hash) VALUES (?) ON CONFLICT (hash) DO NOTHING", error);

    if (stmt == NULL)
      return 0;
    desk_db_bind_text (stmt, 1, hash);
    if (!desk_db_step_done (stmt, NULL, error))
      return 0;
  }
  {
    g_autoptr(DeskDbStmt) stmt = desk_db_prepare (db, "SELECT id FROM sponsor_rules WHERE hash = ?", error);

    if (stmt == NULL)
      return 0;
    desk_db_bind_text (stmt, 1, hash);
    if (desk_db_step (stmt, error) == DESK_DB_ROW)
      id = desk_db_column_int64 (stmt, 0);
  }
  if (id > 0)
    {
      g_free (importer->rules_hash);
      importer->rules_hash = g_strdup (hash);
      importer->rules_version = id;
    }
  return id;
}

/* The id of the release with this content or source uid, or 0. */
static gint64
find_existing (DeskDb      *db,
               const char  *content_hash,
               const char  *source_uid,
               GError     **error)
{
  g_autoptr(DeskDbStmt) stmt = desk_db_prepare (db,
    "SELECT id FROM releases WHERE content_hash = ?1"
    " UNION ALL SELECT id FROM releases WHERE source_uid = ?2 LIMIT 1", error);

  if (stmt == NULL)
    return 0;
  desk_db_bind_text (stmt, 1, content_hash);
  desk_db_bind_text (stmt, 2, source_uid);
  if (desk_db_step (stmt, error) == DESK_DB_ROW)
    return desk_db_column_int64 (stmt, 0);
  return 0;
}

/* The embargo columns, as desk-store-wire.c's add_embargo() sets them:
 * as the sender states it, else as the top of the text says it. */
static void
find_embargo (const DeskImportRelease *release,
              gint64                  *out_at,
              gint64                  *out_offset,
              char                   **out_zone)
{
  g_autoptr(GDateTime) found = NULL;
  GDateTime *embargo = release->source.embargo;
  g_autofree char *zone = NULL;
  gboolean hold = FALSE;

  *out_at = 0;
  *out_offset = 0;
  *out_zone = NULL;
  if (embargo == NULL)
    {
      g_autoptr(GTimeZone) local = g_time_zone_new_local ();

      embargo = found = desk_source_find_embargo (release->parsed->text, local, &zone, &hold);
    }
  if (embargo != NULL)
    {
      *out_at = g_date_time_to_unix (embargo) * G_USEC_PER_SEC;
      *out_offset = g_date_time_get_utc_offset (embargo) / G_USEC_PER_SEC;
      *out_zone = zone != NULL ? g_steal_pointer (&zone)
                               : g_strdup (g_date_time_get_timezone_abbreviation (embargo));
    }
  else if (hold)
    *out_at = G_MAXINT64;
}

/* A signature as PostgreSQL reads a bytea written as text: "\x" and
 * its bytes in hex, the bytes SQLite keeps in its blob. */
static char *
signature_to_bytea (const guint32 *signature)
{
  const guchar *bytes = (const guchar *) signature;
  GString *out = g_string_sized_new (2 + DESK_COPY_HASHES * sizeof (guint32) * 2);

  g_string_append (out, "\\x");
  for (gsize i = 0; i < DESK_COPY_HASHES * sizeof (guint32); i++)
    g_string_append_printf (out, "%02x", bytes[i]);
  return g_string_free (out, FALSE);
}

static gboolean
signature_from_bytea (const char *text,
                      guint32    *signature)
{
  guchar *bytes = (guchar *) signature;

  if (text == NULL || strlen (text) != 2 + DESK_COPY_HASHES * sizeof (guint32) * 2 ||
      text[0] != '\\' || text[1] != 'x')
    return FALSE;
  for (gsize i = 0; i < DESK_COPY_HASHES * sizeof (guint32); i++)
    {
      int high = g_ascii_xdigit_value (text[2 + 2 * i]);
      int low = g_ascii_xdigit_value (text[3 + 2 * i]);

      if (high < 0 || low < 0)
        return FALSE;
      bytes[i] = (guchar) (high << 4 | low);
    }
  return TRUE;
}

/* Indexes release @id, just stored in the transaction under way, as
 * _desk_store_index_copy() does on SQLite, by the same decision
 * (DeskCopyFinder): its signature, its bands, the group it joins, and
 * when that group is shown in the queues already, copy_of. */
static gboolean
index_copy (DeskDb                   *db,
            gint64                    id,
            const DeskParsedRelease  *parsed,
            GError                  **error)
{
  DeskCopyFinder finder;
  g_autofree char *bytea = NULL;

  if (!desk_copy_finder_init (&finder, id, parsed))
    return TRUE;
  if (finder.any_band)
    {
      g_autoptr(DeskDbStmt) look = desk_db_prepare (db, desk_copy_finder_look_sql (), error);
      DeskDbStep step = DESK_DB_DONE;

      if (look == NULL)
        return FALSE;
      for (guint b = 0; b < DESK_COPY_BANDS; b++)
        if (finder.keys[b] >= 0)
          desk_db_bind_int64 (look, b + 1, finder.keys[b]);
        else
          desk_db_bind_null (look, b + 1);
      while (!desk_copy_finder_done (&finder) && (step = desk_db_step (look, error)) == DESK_DB_ROW)
        {
          g_autoptr(DeskDbStmt) stmt = NULL;
          gint64 candidate = desk_db_column_int64 (look, 0);
          guint32 other[DESK_COPY_HASHES];

          if (!desk_copy_finder_take (&finder, candidate))
            continue;
          stmt = desk_db_prepare (db, "SELECT group_id, signature FROM copy_signatures WHERE release_id = ?", error);
          if (stmt == NULL)
            return FALSE;
          desk_db_bind_int64 (stmt, 1, candidate);
          if (desk_db_step (stmt, error) == DESK_DB_ROW &&
              signature_from_bytea (desk_db_column_text (stmt, 1), other))
            desk_copy_finder_compare (&finder, desk_db_column_int64 (stmt, 0), other);
        }
      if (step == DESK_DB_ERROR)
        return FALSE;
    }

  bytea = signature_to_bytea (finder.signature);
  {
    g_autoptr(DeskDbStmt) stmt = desk_db_prepare (db,
      "INSERT INTO copy_signatures (release_id, group_id, signature) VALUES (?, ?, ?)", error);

    if (stmt == NULL)
      return FALSE;
    desk_db_bind_int64 (stmt, 1, id);
    desk_db_bind_int64 (stmt, 2, finder.group);
    desk_db_bind_text (stmt, 3, bytea);
    if (!desk_db_step_done (stmt, NULL, error))
      return FALSE;
  }
  for (guint b = 0; b < DESK_COPY_BANDS; b++)
    {
      g_autoptr(DeskDbStmt) stmt = NULL;

      if (finder.keys[b] < 0)
        continue;
      stmt = desk_db_prepare (db, "INSERT INTO copy_bands (band, release_id) VALUES (?, ?) ON CONFLICT DO NOTHING", error);
      if (stmt == NULL)
        return FALSE;
      desk_db_bind_int64 (stmt, 1, finder.keys[b]);
      desk_db_bind_int64 (stmt, 2, id);
      if (!desk_db_step_done (stmt, NULL, error))
        return FALSE;
    }

  if (finder.group != id)
    {
      g_autoptr(DeskDbStmt) shown = desk_db_prepare (db, DESK_COPY_SHOWN_SQL, error);
      gint64 story = 0;
      DeskDbStep step;

      if (shown == NULL)
        return FALSE;
      desk_db_bind_int64 (shown, 1, finder.group);
      desk_db_bind_int64 (shown, 2, id);
      step = desk_db_step (shown, error);
      if (step == DESK_DB_ERROR)
        return FALSE;
      if (step == DESK_DB_ROW)
        story = desk_db_column_int64 (shown, 0);
      if (story > 0)
        {
          g_autoptr(DeskDbStmt) stmt = desk_db_prepare (db, "UPDATE releases SET copy_of = ? WHERE id = ?", error);

          if (stmt == NULL)
            return FALSE;
          desk_db_bind_int64 (stmt, 1, story);
          desk_db_bind_int64 (stmt, 2, id);
          if (!desk_db_step_done (stmt, NULL, error))
            return FALSE;
        }
    }
  return TRUE;
}

/* Stores one release in the transaction under way: its id, or 0 with
 * DESK_ERROR_DUPLICATE and *@out_existing when the desk has it. */
static gint64
insert_release (DeskDb                  *db,
                const DeskImportRelease *release,
                gint64                   version,
                gint64                  *out_existing,
                GError                 **error)
{
  const DeskParsedRelease *parsed = release->parsed;
  const DeskDetection *detection = release->detection;
  g_autofree char *findings = desk_findings_encode (detection->findings);
  g_autofree char *structure = _desk_store_encode_structure (parsed->parts);
  g_autofree char *document = desk_pg_search_document (parsed->headline, parsed->text, NULL);
  g_autofree char *zone = NULL;
  /* The wire: as the sender says, else the distributor the detector
   * found, else the credit as the parser read it (desk-store.c). */
  const char *source_name = release->source.source != NULL ? release->source.source
                            : detection->wire != NULL ? detection->wire
                            : parsed->wire != NULL ? parsed->wire : "";
  gint64 now = g_get_real_time ();
  gint64 embargo_at, embargo_offset;
  gint64 id = 0;

  *out_existing = 0;
  find_embargo (release, &embargo_at, &embargo_offset, &zone);
  {
    g_autoptr(DeskDbStmt) stmt = desk_db_prepare (db,
      "INSERT INTO releases (source, source_uid, source_path, received_at, content_hash,"
      " original, original_headline, headline, language, status, updated_at, standfirst, wire,"
      " structure, verdict, score, sponsor_findings, rules_version, sponsored, source_kind,"
      " embargo_at, embargo_offset, embargo_zone, search, source_name)"
      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7, ?8, 'new', ?4, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,"
      " ?21, ?17, ?18, ?19, ?20::tsvector, ?22)"
      " ON CONFLICT DO NOTHING RETURNING id", error);

    if (stmt == NULL)
      return 0;
    desk_db_bind_text (stmt, 1, source_name);
    desk_db_bind_text (stmt, 2, release->source.source_uid);
    desk_db_bind_text (stmt, 3, release->source.source_path);
    desk_db_bind_int64 (stmt, 4, now);
    desk_db_bind_text (stmt, 5, parsed->content_hash);
    desk_db_bind_text (stmt, 6, parsed->text);
    desk_db_bind_text (stmt, 7, parsed->headline);
    desk_db_bind_text (stmt, 8, parsed->language != NULL ? parsed->language : "und");
    desk_db_bind_text (stmt, 9, parsed->standfirst);
    desk_db_bind_text (stmt, 10, parsed->wire);
    desk_db_bind_text (stmt, 11, structure);
    desk_db_bind_text (stmt, 12, desk_verdict_to_string (detection->verdict));
    desk_db_bind_double (stmt, 13, detection->score);
    desk_db_bind_text (stmt, 14, findings);
    desk_db_bind_int64 (stmt, 15, version);
    desk_db_bind_int64 (stmt, 16, detection->verdict != DESK_VERDICT_NONE);
    if (embargo_at != 0)
      {
        desk_db_bind_int64 (stmt, 17, embargo_at);
        desk_db_bind_int64 (stmt, 18, embargo_offset);
      }
    else
      {
        desk_db_bind_null (stmt, 17);
        desk_db_bind_null (stmt, 18);
      }
    desk_db_bind_text (stmt, 19, zone);
    desk_db_bind_text (stmt, 20, document);
    /* Which source found it (a watched folder), as on SQLite. */
    desk_db_bind_text (stmt, 21, release->source.kind != NULL ? release->source.kind : "file");
    desk_db_bind_text (stmt, 22, release->source.name);
    if (!desk_db_step_done (stmt, &id, error))
      return 0;
  }

  if (id == 0)
    {
      g_autoptr(GError) local_error = NULL;

      *out_existing = find_existing (db, parsed->content_hash, release->source.source_uid, &local_error);
      if (local_error != NULL)
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_set_error (error, DESK_ERROR, DESK_ERROR_DUPLICATE,
                     _("already in the queue as #%" PRId64), *out_existing);
      return 0;
    }

  if (!index_copy (db, id, parsed, error))
    return 0;

  for (guint i = 0; parsed->tags != NULL && parsed->tags[i] != NULL; i++)
    {
      g_autoptr(DeskDbStmt) stmt = desk_db_prepare (db,
        "INSERT INTO release_tags (release_id, position, tag) VALUES (?, ?, ?)", error);

      if (stmt == NULL)
        return 0;
      desk_db_bind_int64 (stmt, 1, id);
      desk_db_bind_int64 (stmt, 2, i);
      desk_db_bind_text (stmt, 3, parsed->tags[i]);
      if (!desk_db_step_done (stmt, NULL, error))
        return 0;
    }

  if (release->source.urgency != 0 || release->source.copyright != NULL)
    {
      g_autoptr(DeskDbStmt) stmt = desk_db_prepare (db,
        "INSERT INTO release_wire (release_id, urgency, copyright) VALUES (?, ?, ?)", error);

      if (stmt == NULL)
        return 0;
      desk_db_bind_int64 (stmt, 1, id);
      if (release->source.urgency > 0)
        desk_db_bind_int64 (stmt, 2, release->source.urgency);
      else
        desk_db_bind_null (stmt, 2);
      desk_db_bind_text (stmt, 3, release->source.copyright);
      if (!desk_db_step_done (stmt, NULL, error))
        return 0;
    }

  if (!desk_db_insert_event (db, id, NULL, "imported", NULL, "new", release->source.source_path, error))
    return 0;
  return id;
}

static DeskImportItem *
item_new (const char        *path,
          DeskImportOutcome  outcome,
          char              *message)
{
  DeskImportItem *item = g_new0 (DeskImportItem, 1);

  item->path = g_strdup (path);
  item->outcome = outcome;
  item->message = message;
  return item;
}

/* Whether the desk itself failed (the connection lost), rather than one
 * file: every file after it would fail the same way. */
static gboolean
is_desk_failure (DeskDb       *db,
                 const GError *error)
{
  return g_error_matches (error, DESK_PG_ERROR, DESK_PG_ERROR_LOST) ||
         g_error_matches (error, DESK_PG_ERROR, DESK_PG_ERROR_CONNECT) ||
         !desk_pg_is_connected (desk_db_get_pg (db));
}

/* Imports the releases of one file in one transaction, adding an item
 * to @report for each.  FALSE, with @error, when the desk failed. */
static gboolean
import_file (DeskDb            *db,
             Importer          *importer,
             DeskDetector      *detector,
             const char        *path,
             DeskImportReport  *report,
             GError           **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GPtrArray) releases = NULL;
  g_autofree char *failure = NULL;
  guint first = report->items->len;
  gboolean stored = TRUE;

  releases = desk_import_read_file (path, detector, &failure);
  if (releases == NULL)
    {
      g_ptr_array_add (report->items, item_new (path, DESK_IMPORT_FAILED, g_steal_pointer (&failure)));
      return TRUE;
    }

  for (guint i = 0; i < releases->len; i++)
    g_ptr_array_add (report->items, item_new (path, DESK_IMPORT_FAILED, NULL));

  /* The rules' number before the transaction (see rules_version()); one
   * detector read every release of the file. */
  stored = rules_version (db, importer, ((DeskImportRelease *) g_ptr_array_index (releases, 0))->detection->rules_hash,
                          &local_error) > 0;
  stored = stored && desk_db_begin (db, &local_error);
  for (guint i = 0; stored && i < releases->len; i++)
    {
      const DeskImportRelease *release = g_ptr_array_index (releases, i);
      DeskImportItem *item = g_ptr_array_index (report->items, first + i);
      g_autoptr(GError) release_error = NULL;
      gint64 existing = 0;
      gint64 id = insert_release (db, release, importer->rules_version, &existing, &release_error);

      if (id > 0)
        {
          item->outcome = DESK_IMPORT_IMPORTED;
          item->release_id = id;
        }
      else if (g_error_matches (release_error, DESK_ERROR, DESK_ERROR_DUPLICATE))
        {
          item->outcome = DESK_IMPORT_DUPLICATE;
          item->release_id = existing;
          item->message = g_strdup (release_error->message);
        }
      else
        {
          g_propagate_error (&local_error, g_steal_pointer (&release_error));
          stored = FALSE;
        }
    }
  if (stored)
    stored = desk_db_commit (db, &local_error);
  else if (desk_pg_is_connected (desk_db_get_pg (db)))
    desk_db_rollback (db);

  if (stored)
    {
      /* A file that was not UTF-8 says what it was read as, as the
       * SQLite import says it. */
      for (guint i = 0; i < releases->len; i++)
        {
          const DeskImportRelease *release = g_ptr_array_index (releases, i);
          DeskImportItem *item = g_ptr_array_index (report->items, first + i);

          if (item->outcome == DESK_IMPORT_IMPORTED && release->parsed->read_as != NULL)
            item->message = g_strdup_printf (_("read as %s"), release->parsed->read_as);
        }
      return TRUE;
    }

  /* Nothing of the file was kept. */
  for (guint i = first; i < report->items->len; i++)
    {
      DeskImportItem *item = g_ptr_array_index (report->items, i);

      item->outcome = DESK_IMPORT_FAILED;
      item->release_id = 0;
      g_free (item->message);
      item->message = g_strdup (local_error != NULL ? local_error->message : _("could not be stored"));
    }
  if (local_error != NULL && is_desk_failure (db, local_error))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

DeskImportReport *
desk_db_import_paths (DeskDb             *db,
                      const char * const *paths)
{
  DeskImportReport *report = g_new0 (DeskImportReport, 1);
  g_autoptr(GPtrArray) failures = g_ptr_array_new ();
  g_autoptr(GPtrArray) files = NULL;
  DeskDetector *detector = desk_detector_get_default ();
  Importer importer = { 0 };
  guint done = 0;

  g_return_val_if_fail (DESK_IS_DB (db), NULL);
  g_return_val_if_fail (paths != NULL, NULL);

  report->items = g_ptr_array_new_with_free_func ((GDestroyNotify) desk_import_item_free);
  files = desk_import_collect_files (paths, failures);
  for (guint i = 0; i < failures->len; i++)
    g_ptr_array_add (report->items, g_ptr_array_index (failures, i));

  for (; done < files->len; done++)
    {
      g_autoptr(GError) error = NULL;

      if (!import_file (db, &importer, detector, g_ptr_array_index (files, done), report, &error))
        {
          report->stopped = g_strdup (error->message);
          done++;
          break;
        }
    }
  report->not_tried = files->len - done;

  for (guint i = 0; i < report->items->len; i++)
    {
      DeskImportItem *item = g_ptr_array_index (report->items, i);

      if (item->outcome == DESK_IMPORT_IMPORTED)
        report->imported++;
      else if (item->outcome == DESK_IMPORT_DUPLICATE)
        report->duplicates++;
      else
        report->failed++;
    }
  g_free (importer.rules_hash);
  return report;
}

/* Claims, in the transaction under way, the record that the folder has
 * seen the file, by the statement the SQLite folder source writes it
 * with (desk-folder-source.h).  FALSE without @error: another process
 * claimed it first, and has committed it. */
static gboolean
claim_seen_file (DeskDb      *db,
                 const char  *path,
                 gint64       size,
                 gint64       mtime,
                 gint64       release_id,
                 const char  *note,
                 GError     **error)
{
  g_autoptr(DeskDbStmt) stmt = desk_db_prepare (db, DESK_SEEN_FILE_RECORD_SQL, error);

  if (stmt == NULL)
    return FALSE;
  desk_db_bind_text (stmt, 1, path);
  desk_db_bind_int64 (stmt, 2, size);
  desk_db_bind_int64 (stmt, 3, mtime);
  if (release_id > 0)
    desk_db_bind_int64 (stmt, 4, release_id);
  else
    desk_db_bind_null (stmt, 4);
  desk_db_bind_text (stmt, 5, note);
  desk_db_bind_int64 (stmt, 6, g_get_real_time ());
  if (!desk_db_step_done (stmt, NULL, error))
    return FALSE;
  return desk_db_stmt_changes (stmt) == 1;
}

gboolean
desk_db_seen_file (DeskDb      *db,
                   const char  *path,
                   gint64       size,
                   gint64       mtime,
                   GError     **error)
{
  g_autoptr(DeskDbStmt) stmt = NULL;

  g_return_val_if_fail (DESK_IS_DB (db), FALSE);

  stmt = desk_db_prepare (db, DESK_SEEN_FILE_LOOKUP_SQL, error);
  if (stmt == NULL)
    return FALSE;
  desk_db_bind_text (stmt, 1, path);
  desk_db_bind_int64 (stmt, 2, size);
  desk_db_bind_int64 (stmt, 3, mtime);
  return desk_db_step (stmt, error) == DESK_DB_ROW;
}

/* One try at the file: its releases (none when it is not a release
 * file) and the claim on it, in one transaction.  FALSE with @error:
 * nothing was kept. */
static gboolean
ingest_file_once (DeskDb            *db,
                  Importer          *importer,
                  GPtrArray         *releases,
                  const char        *path,
                  gint64             size,
                  gint64             mtime,
                  const char        *note,
                  DeskIngestCounts  *counts,
                  GError           **error)
{
  DeskIngestCounts found = { 0 };
  gint64 first_id = 0;
  gboolean claimed;

  if (releases != NULL && releases->len > 0 &&
      rules_version (db, importer, ((DeskImportRelease *) g_ptr_array_index (releases, 0))->detection->rules_hash,
                     error) == 0)
    return FALSE;
  if (!desk_db_begin (db, error))
    return FALSE;
  for (guint i = 0; releases != NULL && i < releases->len; i++)
    {
      const DeskImportRelease *release = g_ptr_array_index (releases, i);
      g_autoptr(GError) release_error = NULL;
      gint64 existing = 0;
      gint64 id = insert_release (db, release, importer->rules_version, &existing, &release_error);

      if (id > 0)
        found.new_items++;
      else if (g_error_matches (release_error, DESK_ERROR, DESK_ERROR_DUPLICATE))
        {
          /* Stored before, perhaps by a process killed before it
           * claimed the file, or sent another way. */
          found.seen_items++;
          id = existing;
        }
      else
        {
          g_propagate_error (error, g_steal_pointer (&release_error));
          goto failed;
        }
      if (first_id == 0)
        first_id = id;
    }

  /* Last, so that a process that waits here for another's claim has
   * read nothing it must undo: the server's lock on the row decides. */
  {
    g_autoptr(GError) claim_error = NULL;

    claimed = claim_seen_file (db, path, size, mtime, first_id, note, &claim_error);
    if (claim_error != NULL)
      {
        g_propagate_error (error, g_steal_pointer (&claim_error));
        goto failed;
      }
  }
  if (!claimed)
    {
      /* Another process brought the file in while this one read it. */
      desk_db_rollback (db);
      counts->seen_items++;
      return TRUE;
    }
  if (!desk_db_commit (db, error))
    return FALSE;
  counts->new_items += found.new_items;
  counts->seen_items += found.seen_items;
  if (note != NULL)
    {
      counts->failed_items++;
      g_message (_("%s: not read: %s"), path, note);
    }
  return TRUE;

failed:
  if (desk_pg_is_connected (desk_db_get_pg (db)))
    desk_db_rollback (db);
  return FALSE;
}

gboolean
desk_db_ingest_file (DeskDb            *db,
                     const char        *path,
                     const char        *data,
                     gsize              len,
                     const char        *unread,
                     gboolean           as_mail,
                     gint64             size,
                     gint64             mtime,
                     const char        *kind,
                     const char        *name,
                     DeskIngestCounts  *counts,
                     GError           **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GPtrArray) releases = NULL;
  g_autofree char *note = NULL;
  Importer *importer;
  gboolean ok;

  g_return_val_if_fail (DESK_IS_DB (db), FALSE);
  g_return_val_if_fail (path != NULL && counts != NULL, FALSE);

  /* The rules' number is kept with the connection from file to file, as
   * an import keeps it: asked again for every file, it was two more
   * round trips a file. */
  importer = g_object_get_data (G_OBJECT (db), "copydesk-importer");
  if (importer == NULL)
    {
      importer = g_new0 (Importer, 1);
      g_object_set_data_full (G_OBJECT (db), "copydesk-importer", importer, (GDestroyNotify) importer_free);
    }

  if (data == NULL)
    note = g_strdup (unread != NULL ? unread : _("could not be read"));
  else
    releases = desk_import_read_data (path, data, len, as_mail, desk_detector_get_default (), &note);
  for (guint i = 0; releases != NULL && i < releases->len; i++)
    {
      DeskImportRelease *release = g_ptr_array_index (releases, i);

      release->source.kind = kind;
      release->source.name = name;
    }

  ok = ingest_file_once (db, importer, releases, path, size, mtime, note, counts, &local_error);
  if (!ok && !is_desk_failure (db, local_error))
    {
      /* A release the desk refused: the file is noted with why, as on
       * SQLite, and not tried again. */
      g_clear_pointer (&note, g_free);
      note = g_strdup (local_error->message);
      g_clear_error (&local_error);
      ok = ingest_file_once (db, importer, NULL, path, size, mtime, note, counts, &local_error);
    }
  if (!ok)
    g_propagate_error (error, g_steal_pointer (&local_error));
  return ok;
}
