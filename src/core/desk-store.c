/* desk-store.c — the SQLite store of releases, revisions and events
 *
 * One SQLite file per user profile, in WAL mode with foreign keys on.  The
 * schema grows by forward migrations, one transaction each, and its version
 * is PRAGMA user_version.  Every change that writes more than one row runs in
 * one transaction, so a crash never leaves a release half-stored.
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <inttypes.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "desk-cleanup.h"
#include "desk-error.h"
#include "desk-fts.h"
#include "desk-settings.h"
#include "desk-pg.h"
#include "desk-redact.h"
#include "desk-store.h"
#include "desk-store-private.h"
#include "desk-store-check.h"

struct _DeskStore
{
  GObject     parent_instance;

  char       *path;
  sqlite3    *db;
  GHashTable *statements;   /* static SQL string → sqlite3_stmt */
  gboolean    in_batch;       /* a batch transaction is open */
  gboolean    batch_aborted;  /* a change in it failed: it was rolled back */
  gboolean    in_change;      /* a change is open */
  DeskDetector *detector;     /* NULL: the default one */
  char       *rules_hash;     /* the last rules looked up, and their */
  gint64      rules_version;  /* number in sponsor_rules */
  char       *read_only;      /* why the store can only be read, or NULL */
  char       *damaged;        /* what SQLite found wrong with the file, or NULL */
  gboolean    verified;       /* a quick check of the whole file found nothing */
  int         least_version;  /* the schema is at least this (it never goes back) */
  int         locked_version; /* the schema read in the write transaction open now, or -1 */
};

G_DEFINE_FINAL_TYPE (DeskStore, desk_store, G_TYPE_OBJECT)

/* Why the database at @path cannot be written, in words a person can act
 * on: SQLite writes its journal (the -wal and -shm files) beside the
 * database, so the folder must be writable, not just the file. */
static char *
dup_read_only_reason (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);

  if (access (dir, W_OK) != 0)
    return g_strdup_printf (_("the folder %s must be writable for SQLite’s journal"), dir);
  if (access (path, W_OK) != 0)
    return g_strdup_printf (_("the file %s is read-only"), path);
  return NULL;
}

/* What SQLite said about the last failure on @db, in words that name the
 * database when the whole store is affected, and the code for it. */
static char *
dup_db_error_detail (sqlite3 *db,
                     int     *out_code)
{
  const char *path = sqlite3_db_filename (db, "main");

  /* The search index is built from the releases, and can be again. */
  if (sqlite3_extended_errcode (db) == SQLITE_CORRUPT_VTAB)
    {
      *out_code = DESK_ERROR_DAMAGED;
      return g_strdup_printf (_("the search index of %s is damaged; “copydesk-cli check --repair” rebuilds it"),
                              path);
    }

  switch (sqlite3_errcode (db) & 0xff)
    {
    case SQLITE_FULL:
      *out_code = DESK_ERROR_DISK_FULL;
      return g_strdup_printf (_("the disk that holds %s is full"), path);

    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      *out_code = DESK_ERROR_DAMAGED;
      return g_strdup_printf (_("%s is damaged (%s); “copydesk-cli check” tells more"),
                              path, sqlite3_errmsg (db));

    case SQLITE_READONLY:
    case SQLITE_CANTOPEN:
      {
        g_autofree char *reason = path != NULL ? dup_read_only_reason (path) : NULL;

        if (reason != NULL)
          {
            *out_code = DESK_ERROR_READ_ONLY;
            return g_strdup_printf (_("%s cannot be written: %s"), path, reason);
          }
      }
      break;

    default:
      break;
    }

  *out_code = DESK_ERROR_DATABASE;
  return g_strdup (sqlite3_errmsg (db));
}

/* Sets @error to @what (if not NULL) and what SQLite said.  A full disk,
 * a damaged file and a store that cannot be written are errors of the
 * whole store, not of one change: they get codes of their own (the
 * importer stops at the first) and name the database. */
static void
set_db_error (GError    **error,
              sqlite3    *db,
              const char *what)
{
  int code;
  g_autofree char *detail = dup_db_error_detail (db, &code);

  if (what == NULL)
    g_set_error_literal (error, DESK_ERROR, code, detail);
  else
    g_set_error (error, DESK_ERROR, code,
                 /* Translators: "could not save the release: database is locked" */
                 _("%s: %s"), what, detail);
}

/* Runs @stmt, which returns no rows; on failure sets @error to @what and
 * what SQLite said. */
static gboolean
step_done (DeskStore     *self,
           sqlite3_stmt  *stmt,
           const char    *what,
           GError       **error)
{
  if (sqlite3_step (stmt) == SQLITE_DONE)
    return TRUE;
  set_db_error (error, self->db, what);
  return FALSE;
}

static gboolean
exec_sql (DeskStore   *self,
          const char  *sql,
          GError     **error)
{
  char *message = NULL;

  if (sqlite3_exec (self->db, sql, NULL, NULL, &message) != SQLITE_OK)
    {
      int code = sqlite3_errcode (self->db) & 0xff;

      /* A commit that finds the disk full says so as a change would. */
      if (code == SQLITE_FULL || code == SQLITE_CORRUPT || code == SQLITE_NOTADB || code == SQLITE_READONLY)
        set_db_error (error, self->db, NULL);
      else
        g_set_error (error, DESK_ERROR, DESK_ERROR_DATABASE, "%s", message);
      sqlite3_free (message);
      return FALSE;
    }
  return TRUE;
}

static sqlite3_stmt *
prepare (DeskStore   *self,
         const char  *sql,
         GError     **error)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (self->statements, sql);

  if (stmt != NULL)
    return stmt;

  if (sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) != SQLITE_OK)
    {
      set_db_error (error, self->db, _("Could not prepare a query"));
      return NULL;
    }
  g_hash_table_insert (self->statements, (gpointer) sql, stmt);
  return stmt;
}

/* The store binds only strings that outlive the statement's step, so
 * SQLite need not copy them. */
#define bind_text(stmt, index, text) _desk_bind_text ((stmt), (index), (text), SQLITE_STATIC)

/* FALSE, with the reason, when nothing may be written to the store: it
 * can only be read, or its file is damaged (writing more into a damaged
 * file can spread the damage). */
static gboolean
check_writable (DeskStore  *self,
                GError    **error)
{
  if (self->damaged != NULL)
    {
      g_set_error (error, DESK_ERROR, DESK_ERROR_DAMAGED,
                   _("%s is damaged (%s), so nothing more is written to it; “copydesk-cli check” tells more"),
                   self->path, self->damaged);
      return FALSE;
    }
  if (self->read_only != NULL)
    {
      g_set_error (error, DESK_ERROR, DESK_ERROR_READ_ONLY,
                   _("Could not write to %s: %s"), self->path, self->read_only);
      return FALSE;
    }
  return TRUE;
}

/* Remembers that SQLite found the file damaged, if that is why the last
 * statement failed: no more is written to it. */
static void
note_damage (DeskStore *self)
{
  int code = sqlite3_errcode (self->db) & 0xff;

  /* A damaged search index is not a damaged file: it is rebuilt from the
   * releases (copydesk-cli check --repair), and writes go on meanwhile. */
  if (self->damaged == NULL && (code == SQLITE_CORRUPT || code == SQLITE_NOTADB) &&
      sqlite3_extended_errcode (self->db) != SQLITE_CORRUPT_VTAB)
    self->damaged = g_strdup (sqlite3_errmsg (self->db));
}

/* A change is all or nothing: a transaction of its own, or a part of the
 * batch transaction (see desk_store_begin_batch()).  FTS5 writes its index
 * out at every commit and at every savepoint, so a batch has no savepoint
 * per change: a change that fails in a batch rolls the whole batch back,
 * and the caller replays it a change at a time. */
static gboolean
begin (DeskStore  *self,
       GError    **error)
{
  g_assert (!self->in_change);

  if (!check_writable (self, error))
    return FALSE;

  if (!self->in_batch)
    {
      if (!exec_sql (self, "BEGIN IMMEDIATE", error))
        return FALSE;
      self->locked_version = -1;
    }
  self->in_change = TRUE;
  return TRUE;
}

static gboolean
commit (DeskStore  *self,
        GError    **error)
{
  if (!self->in_batch && !exec_sql (self, "COMMIT", error))
    return FALSE;
  self->in_change = FALSE;
  return TRUE;
}

/* Ends a change that wrote nothing. */
static void
abandon (DeskStore *self)
{
  if (!self->in_change)
    return;
  self->in_change = FALSE;
  if (!self->in_batch && !sqlite3_get_autocommit (self->db))
    exec_sql (self, "ROLLBACK", NULL);
}

/* Undoes a change that failed halfway. */
static void
rollback (DeskStore *self)
{
  /* The rules' number may have been added in what is undone. */
  g_clear_pointer (&self->rules_hash, g_free);
  note_damage (self);
  if (!self->in_change)
    return;
  self->in_change = FALSE;

  if (self->in_batch)
    {
      self->in_batch = FALSE;
      self->batch_aborted = TRUE;
    }
  /* SQLite may already have rolled back the whole transaction (a full
   * disk, say): then there is nothing left to undo. */
  if (!sqlite3_get_autocommit (self->db))
    exec_sql (self, "ROLLBACK", NULL);
}

/* Groups many changes (an import of many files) into one transaction, for
 * speed.  If one of them fails, the whole batch is rolled back, nothing of
 * it is stored, and desk_store_commit_batch() fails with
 * DESK_ERROR_BATCH_ABORTED: the caller then makes the changes again one at
 * a time, so that each succeeds or fails on its own. */
gboolean
desk_store_begin_batch (DeskStore  *self,
                        GError    **error)
{
  g_return_val_if_fail (DESK_IS_STORE (self), FALSE);
  g_return_val_if_fail (!self->in_batch && !self->in_change, FALSE);

  self->batch_aborted = FALSE;
  if (!check_writable (self, error) ||
      !exec_sql (self, "BEGIN IMMEDIATE", error))
    return FALSE;
  self->in_batch = TRUE;
  self->locked_version = -1;
  return TRUE;
}

gboolean
desk_store_commit_batch (DeskStore  *self,
                         GError    **error)
{
  g_return_val_if_fail (DESK_IS_STORE (self), FALSE);
  g_return_val_if_fail (!self->in_change, FALSE);

  if (self->batch_aborted)
    {
      self->batch_aborted = FALSE;
      g_set_error (error, DESK_ERROR, DESK_ERROR_BATCH_ABORTED,
                   _("A change failed, so the batch was rolled back"));
      return FALSE;
    }

  g_return_val_if_fail (self->in_batch, FALSE);
  self->in_batch = FALSE;
  if (sqlite3_get_autocommit (self->db))
    {
      g_clear_pointer (&self->rules_hash, g_free);
      g_set_error (error, DESK_ERROR, DESK_ERROR_BATCH_ABORTED,
                   _("The database rolled the batch back: %s"), sqlite3_errmsg (self->db));
      return FALSE;
    }
  if (!exec_sql (self, "COMMIT", error))
    {
      exec_sql (self, "ROLLBACK", NULL);
      g_clear_pointer (&self->rules_hash, g_free);
      if (error != NULL && *error != NULL)
        (*error)->code = DESK_ERROR_BATCH_ABORTED;
      return FALSE;
    }
  return TRUE;
}

static char *
sha256_hex (const char *text)
{
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, text, -1);
}

/* ---- schema ------------------------------------------------------------ */

static const char schema_1[] =
  "CREATE TABLE releases ("
  "  id INTEGER PRIMARY KEY,"
  "  source TEXT NOT NULL DEFAULT '',"
  "  source_uid TEXT,"
  "  source_path TEXT,"
  "  received_at INTEGER NOT NULL,"
  "  content_hash TEXT NOT NULL,"
  "  original TEXT NOT NULL,"
  "  original_headline TEXT NOT NULL,"
  "  headline TEXT NOT NULL,"
  "  edited TEXT,"
  "  language TEXT NOT NULL DEFAULT 'und',"
  "  status TEXT NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'in_review',"
  "    'changes_requested', 'approved', 'rejected', 'published', 'corrected',"
  "    'withdrawn')),"
  "  sponsored INTEGER NOT NULL DEFAULT 0,"
  "  current_revision_id INTEGER,"
  "  approved_revision_id INTEGER,"
  "  approved_sha256 TEXT,"
  "  updated_at INTEGER NOT NULL"
  ");"
  "CREATE UNIQUE INDEX releases_by_content ON releases (content_hash);"
  "CREATE UNIQUE INDEX releases_by_source_uid ON releases (source_uid)"
  "  WHERE source_uid IS NOT NULL;"
  "CREATE INDEX releases_by_received ON releases (received_at, id);"
  "CREATE INDEX releases_by_status ON releases (status, received_at, id);"
  "CREATE TABLE revisions ("
  "  id INTEGER PRIMARY KEY,"
  "  release_id INTEGER NOT NULL REFERENCES releases (id) ON DELETE CASCADE,"
  "  number INTEGER NOT NULL,"
  "  headline TEXT NOT NULL,"
  "  text TEXT NOT NULL,"
  "  sha256 TEXT NOT NULL,"
  "  author TEXT NOT NULL,"
  "  created_at INTEGER NOT NULL,"
  "  UNIQUE (release_id, number)"
  ");"
  "CREATE TABLE events ("
  "  id INTEGER PRIMARY KEY,"
  "  release_id INTEGER NOT NULL REFERENCES releases (id) ON DELETE CASCADE,"
  "  actor TEXT NOT NULL,"
  "  action TEXT NOT NULL,"
  "  from_status TEXT,"
  "  to_status TEXT,"
  "  note TEXT,"
  "  created_at INTEGER NOT NULL"
  ");"
  "CREATE INDEX events_by_release ON events (release_id, id);"
  "CREATE TABLE findings ("
  "  id INTEGER PRIMARY KEY,"
  "  release_id INTEGER NOT NULL REFERENCES releases (id) ON DELETE CASCADE,"
  "  rule TEXT NOT NULL,"
  "  kind TEXT NOT NULL,"
  "  span_start INTEGER NOT NULL,"
  "  span_end INTEGER NOT NULL,"
  "  language TEXT"
  ");"
  "CREATE INDEX findings_by_release ON findings (release_id);";

/* The parsed structure: where the credit, the body and the end matter lie
 * (in one column, "kind,start,end" triples: a table of parts cost the
 * import a sixth of its speed), and the tags from the sector line. */
static const char schema_2[] =
  "ALTER TABLE releases ADD COLUMN standfirst TEXT;"
  "ALTER TABLE releases ADD COLUMN wire TEXT;"
  "ALTER TABLE releases ADD COLUMN structure TEXT NOT NULL DEFAULT '';"
  "CREATE TABLE release_tags ("
  "  release_id INTEGER NOT NULL REFERENCES releases (id) ON DELETE CASCADE,"
  "  position INTEGER NOT NULL,"
  "  tag TEXT NOT NULL,"
  "  PRIMARY KEY (release_id, position)"
  ") WITHOUT ROWID;"
  "CREATE INDEX release_tags_by_tag ON release_tags (tag);";

/* Full-text search over headline, original and edited text.  The index
 * keeps no copy of the text (external content).  The store keeps it in step
 * itself rather than by triggers: a trigger makes every insert a statement
 * transaction, and FTS5 writes its whole pending index out at each one. */
static const char schema_3[] =
  "CREATE VIRTUAL TABLE releases_fts USING fts5 ("
  "  headline, original, edited,"
  "  content = 'releases', content_rowid = 'id',"
  "  tokenize = '" DESK_FTS_TOKENIZER "'"
  ");"
  "INSERT INTO releases_fts (releases_fts, rank) VALUES ('rank', 'bm25(10.0, 1.0, 1.0)');"
  "INSERT INTO releases_fts (releases_fts, rank) VALUES ('automerge', 16);"
  "INSERT INTO releases_fts (releases_fts, rank) VALUES ('hashsize', 8388608);"
  "INSERT INTO releases_fts (releases_fts) VALUES ('rebuild');";

/* Sponsored and third-party content: the detector's verdict, score and
 * findings, the rules that found them, and the editor's decision, which
 * wins.  releases.sponsored (schema 1) becomes the decision, else whether
 * the verdict is not 'none'.  The rules are a number into sponsor_rules,
 * which holds their hashes: a release read with other rules than the
 * loaded ones is stale and is read again, and the index that finds those
 * holds small integers rather than a 64-character hash per release.
 *
 * Findings live in one column, "kind:start:end:rule:languages" items, as
 * the structure does, not as rows of the findings table of schema 1: in a
 * measurement of 50,000 seed-like releases with four findings each, the
 * rows took the bare inserts from 1.46 s to 1.85 s, where the import has
 * little of its 1.5× budget left, for a list that is only ever read whole,
 * one release at a time.  The empty table goes, so that nobody writes to
 * it by mistake. */
static const char schema_4[] =
  "ALTER TABLE releases ADD COLUMN verdict TEXT NOT NULL DEFAULT 'none'"
  "  CHECK (verdict IN ('none', 'third_party', 'sponsored'));"
  "ALTER TABLE releases ADD COLUMN score REAL NOT NULL DEFAULT 0;"
  "ALTER TABLE releases ADD COLUMN sponsor_findings TEXT NOT NULL DEFAULT '';"
  "CREATE TABLE sponsor_rules ("
  "  id INTEGER PRIMARY KEY,"
  "  hash TEXT NOT NULL UNIQUE"
  ");"
  "ALTER TABLE releases ADD COLUMN rules_version INTEGER;"
  "ALTER TABLE releases ADD COLUMN decision TEXT"
  "  CHECK (decision IN ('sponsored', 'not_sponsored'));"
  "ALTER TABLE releases ADD COLUMN decision_reason TEXT;"
  "ALTER TABLE releases ADD COLUMN decided_by TEXT;"
  "ALTER TABLE releases ADD COLUMN decided_at INTEGER;"
  "DROP TABLE findings;"
  "CREATE INDEX releases_sponsored_queue ON releases (received_at, id) WHERE sponsored = 1;"
  "CREATE INDEX releases_by_rules_version ON releases (rules_version);";

/* Publishing: where copy goes (targets; the local folder is there from
 * the start, so publishing needs no set-up) and the outbox of jobs, one
 * row each, so that jobs survive quitting.  A job names the approved
 * revision and its SHA-256; its idempotency key is derived from them and
 * stays the same at every attempt.  remote_id and remote_url of the done
 * jobs tell where a release already is, so that a corrected release
 * updates the same post.  Settings hold no secrets: those are in the
 * Secret Service. */
static const char schema_5[] =
  "CREATE TABLE targets ("
  "  id INTEGER PRIMARY KEY,"
  "  kind TEXT NOT NULL CHECK (kind IN ('local-folder', 'wordpress', 'webhook')),"
  "  name TEXT NOT NULL UNIQUE,"
  "  settings TEXT NOT NULL DEFAULT '{}',"
  "  enabled INTEGER NOT NULL DEFAULT 1,"
  "  created_at INTEGER NOT NULL"
  ");"
  "INSERT INTO targets (kind, name, settings, enabled, created_at)"
  "  VALUES ('local-folder', 'local', '{}', 1, 0);"
  "CREATE TABLE outbox ("
  "  id INTEGER PRIMARY KEY,"
  "  release_id INTEGER NOT NULL REFERENCES releases (id) ON DELETE CASCADE,"
  "  target_id INTEGER NOT NULL REFERENCES targets (id) ON DELETE CASCADE,"
  "  revision_id INTEGER NOT NULL,"
  "  sha256 TEXT NOT NULL,"
  "  slug TEXT NOT NULL,"
  "  idempotency_key TEXT NOT NULL,"
  "  payload TEXT NOT NULL,"
  "  state TEXT NOT NULL DEFAULT 'pending'"
  "    CHECK (state IN ('pending', 'sending', 'done', 'failed')),"
  "  attempts INTEGER NOT NULL DEFAULT 0,"
  "  next_try_at INTEGER NOT NULL,"
  "  remote_id TEXT,"
  "  remote_url TEXT,"
  "  last_error TEXT,"
  "  actor TEXT NOT NULL,"
  "  created_at INTEGER NOT NULL,"
  "  updated_at INTEGER NOT NULL"
  ");"
  "CREATE INDEX outbox_due ON outbox (next_try_at, id) WHERE state IN ('pending', 'sending');"
  "CREATE INDEX outbox_by_release ON outbox (release_id, target_id, id);"
  "CREATE UNIQUE INDEX outbox_one_live_job ON outbox (release_id, target_id)"
  "  WHERE state IN ('pending', 'sending');";

static gboolean insert_tags (DeskStore               *self,
                             gint64                   release_id,
                             const DeskParsedRelease *parsed,
                             GError                 **error);

/* Appends @value in decimal to @out (what "%u" gives). */
static inline void
append_uint (GString *out,
             guint    value)
{
  char digits[16];
  gsize n = sizeof digits;

  do
    {
      digits[--n] = (char) ('0' + value % 10);
      value /= 10;
    }
  while (value != 0);
  g_string_append_len (out, digits + n, (gssize) (sizeof digits - n));
}

/* "kind,start,end" for each part, spaced.  Written out digit by digit:
 * g_string_append_printf() was 0.9% of an import's instructions (callgrind,
 * 1,000 releases of the mixed corpus), 2,000 instructions a part. */
static char *
encode_structure (GArray *parts)
{
  GString *out = g_string_sized_new (parts->len * 12);

  for (guint i = 0; i < parts->len; i++)
    {
      const DeskPart *part = &g_array_index (parts, DeskPart, i);

      if (i > 0)
        g_string_append_c (out, ' ');
      if ((int) part->kind < 0)
        {
          g_string_append_c (out, '-');
          append_uint (out, (guint) -(gint64) part->kind);
        }
      else
        append_uint (out, (guint) part->kind);
      g_string_append_c (out, ',');
      append_uint (out, part->start);
      g_string_append_c (out, ',');
      append_uint (out, part->end);
    }
  return g_string_free (out, FALSE);
}

static GArray *
decode_structure (const char *structure)
{
  GArray *parts = g_array_new (FALSE, FALSE, sizeof (DeskPart));
  const char *p = structure != NULL ? structure : "";

  while (*p != '\0')
    {
      char *end;
      DeskPart part;

      part.kind = (DeskPartKind) strtoul (p, &end, 10);
      if (*end != ',')
        break;
      part.start = (guint) strtoul (end + 1, &end, 10);
      if (*end != ',')
        break;
      part.end = (guint) strtoul (end + 1, &end, 10);
      g_array_append_val (parts, part);
      p = end;
      while (*p == ' ')
        p++;
    }
  return parts;
}

/* For the slice of the store that also runs on PostgreSQL (desk-db-releases.c). */
GArray *
_desk_store_decode_structure (const char *structure)
{
  return decode_structure (structure);
}

/* And the other way, for a team desk's import (desk-db-import.c). */
char *
_desk_store_encode_structure (GArray *parts)
{
  return encode_structure (parts);
}

/* Schema 2 stores the structure the parser finds: read it from every
 * release already in the store. */
static gboolean
migrate_2_parse_existing (DeskStore  *self,
                          GError    **error)
{
  sqlite3_stmt *select = NULL;
  sqlite3_stmt *update = NULL;
  gboolean ok = TRUE;
  int rc;

  if (sqlite3_prepare_v2 (self->db, "SELECT id, original FROM releases ORDER BY id", -1, &select, NULL) != SQLITE_OK ||
      sqlite3_prepare_v2 (self->db, "UPDATE releases SET standfirst = ?, wire = ?, structure = ? WHERE id = ?", -1, &update, NULL) != SQLITE_OK)
    {
      set_db_error (error, self->db, _("Could not upgrade the database"));
      ok = FALSE;
    }

  while (ok && (rc = sqlite3_step (select)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (select, 0);
      const char *original = (const char *) sqlite3_column_text (select, 1);
      g_autoptr(DeskParsedRelease) parsed = desk_parse_release_text (original, NULL);
      g_autofree char *structure = NULL;

      if (parsed == NULL)
        continue;

      structure = encode_structure (parsed->parts);

      bind_text (update, 1, parsed->standfirst);
      bind_text (update, 2, parsed->wire);
      bind_text (update, 3, structure);
      sqlite3_bind_int64 (update, 4, id);
      if (sqlite3_step (update) != SQLITE_DONE)
        {
          set_db_error (error, self->db, _("Could not upgrade the database"));
          ok = FALSE;
        }
      sqlite3_reset (update);

      if (ok)
        ok = insert_tags (self, id, parsed, error);
    }

  sqlite3_finalize (select);
  sqlite3_finalize (update);
  return ok;
}

/* The SQL for the effective `sponsored` flag: the editor's @decision,
 * else whether the detector's @verdict found anything.  Both are SQL
 * expressions (a column or a parameter), pasted in as they are. */
#define SPONSORED_FROM_DECISION(decision, verdict) \
  "CASE " decision " WHEN 'sponsored' THEN 1 WHEN 'third_party' THEN 1 WHEN 'not_sponsored' THEN 0" \
  " ELSE " verdict " <> 'none' END"

/* The number of the rules with @hash in sponsor_rules, added if new; 0 on
 * error. */
static gint64
rules_version (DeskStore   *self,
               const char  *hash,
               GError     **error)
{
  if (self->rules_hash != NULL && g_str_equal (self->rules_hash, hash))
    return self->rules_version;

  {
    g_auto(DeskStmt) stmt = prepare (self,
      "INSERT INTO sponsor_rules (hash) VALUES (?1)"
      " ON CONFLICT (hash) DO UPDATE SET hash = excluded.hash RETURNING id", error);

    if (stmt == NULL)
      return 0;
    bind_text (stmt, 1, hash);
    if (sqlite3_step (stmt) != SQLITE_ROW)
      {
        set_db_error (error, self->db, _("Could not store what the sponsor detector found"));
        return 0;
      }
    /* Remembered until a rollback, which may take the row with it. */
    g_free (self->rules_hash);
    self->rules_hash = g_strdup (hash);
    self->rules_version = sqlite3_column_int64 (stmt, 0);
    return self->rules_version;
  }
}

static gboolean
store_detection (DeskStore            *self,
                 gint64                id,
                 const DeskDetection  *detection,
                 GError              **error)
{
  g_auto(DeskStmt) stmt = prepare (self,
    "UPDATE releases SET verdict = ?1, score = ?2, sponsor_findings = ?3, rules_version = ?4,"
    " sponsored = " SPONSORED_FROM_DECISION ("decision", "?1") " WHERE id = ?5", error);
  g_autofree char *findings = NULL;
  gint64 version;

  if (stmt == NULL)
    return FALSE;
  version = rules_version (self, detection->rules_hash, error);
  if (version == 0)
    return FALSE;
  findings = desk_findings_encode (detection->findings);
  sqlite3_bind_text (stmt, 1, desk_verdict_to_string (detection->verdict), -1, SQLITE_STATIC);
  sqlite3_bind_double (stmt, 2, detection->score);
  bind_text (stmt, 3, findings);
  sqlite3_bind_int64 (stmt, 4, version);
  sqlite3_bind_int64 (stmt, 5, id);
  return step_done (self, stmt, _("Could not store what the sponsor detector found"), error);
}

/* Schema 4 stores verdicts: read every release already in the store. */
static gboolean
migrate_4_detect_existing (DeskStore  *self,
                           GError    **error)
{
  DeskDetector *detector = desk_store_get_detector (self);
  sqlite3_stmt *select = NULL;
  gboolean ok = TRUE;
  int rc;

  if (sqlite3_prepare_v2 (self->db, "SELECT id, original, language FROM releases ORDER BY id", -1, &select, NULL) != SQLITE_OK)
    {
      set_db_error (error, self->db, _("Could not upgrade the database"));
      return FALSE;
    }

  while (ok && (rc = sqlite3_step (select)) == SQLITE_ROW)
    {
      g_autoptr(DeskDetection) detection =
        desk_detector_detect (detector, (const char *) sqlite3_column_text (select, 1),
                              (const char *) sqlite3_column_text (select, 2));

      ok = store_detection (self, sqlite3_column_int64 (select, 0), detection, error);
    }

  sqlite3_finalize (select);
  return ok;
}

/* Schema 7: an editor may also decide that a release is third-party
 * copy (a press release) rather than paid content.  SQLite cannot alter
 * a CHECK constraint; widening one changes nothing stored, so the table's
 * definition is edited in place, as SQLite's documentation of ALTER TABLE
 * describes for such changes, and the schema cookie moved on. */
static gboolean
migrate_7_third_party_decision (DeskStore  *self,
                                GError    **error)
{
  static const char from[] = "CHECK (decision IN ('sponsored', 'not_sponsored'))";
  static const char to[] = "CHECK (decision IN ('sponsored', 'not_sponsored', 'third_party'))";
  g_autofree char *sql = NULL;
  g_autofree char *update = NULL;
  sqlite3_stmt *stmt = NULL;
  int cookie = 0;

  if (sqlite3_prepare_v2 (self->db, "SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'releases'",
                          -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    sql = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  if (sqlite3_prepare_v2 (self->db, "PRAGMA schema_version", -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    cookie = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);

  if (sql == NULL || strstr (sql, from) == NULL)
    {
      g_set_error (error, DESK_ERROR, DESK_ERROR_DATABASE,
                   _("The releases table does not have the shape Copydesk wrote"));
      return FALSE;
    }
  {
    g_auto(GStrv) parts = g_strsplit (sql, from, 2);

    g_free (sql);
    sql = g_strjoin (to, parts[0], parts[1], NULL);
  }

  stmt = NULL;
  if (!exec_sql (self, "PRAGMA writable_schema = ON", error))
    return FALSE;
  if (sqlite3_prepare_v2 (self->db, "UPDATE sqlite_schema SET sql = ? WHERE type = 'table' AND name = 'releases'",
                          -1, &stmt, NULL) != SQLITE_OK ||
      (sqlite3_bind_text (stmt, 1, sql, -1, SQLITE_STATIC), sqlite3_step (stmt)) != SQLITE_DONE)
    {
      set_db_error (error, self->db, _("Could not upgrade the releases table"));
      sqlite3_finalize (stmt);
      exec_sql (self, "PRAGMA writable_schema = OFF", NULL);
      return FALSE;
    }
  sqlite3_finalize (stmt);
  update = g_strdup_printf ("PRAGMA schema_version = %d", cookie + 1);
  return exec_sql (self, update, error) && exec_sql (self, "PRAGMA writable_schema = OFF", error);
}
/* Schema 6: publishing exactly once across processes (self-contained).
 * - outbox.lease_owner: the token of the publisher whose attempt holds a
 *   "sending" job until next_try_at; NULL when no attempt holds it.  An
 *   attempt takes a job with a compare-and-set, and every later write of
 *   the job names its token.
 * - remote_identities: one per release and target for its whole life,
 *   outliving jobs: the slug and idempotency key chosen when it was first
 *   queued, whether any attempt may have reached the target, and the
 *   remote id and URL as soon as they are known.  Filled from the jobs
 *   already there: the last done job's remote id, and "attempted" for any
 *   job that ever started.
 * - targets.removed_at: removing a target keeps it, its jobs and its
 *   identities; adding one of the same name again brings it back.
 * - store_info: the store's own UUID, which keys its secrets in the
 *   Secret Service. */
static const char schema_6[] =
  "ALTER TABLE outbox ADD COLUMN lease_owner TEXT;"
  "ALTER TABLE targets ADD COLUMN removed_at INTEGER;"
  "CREATE TABLE remote_identities ("
  "  release_id INTEGER NOT NULL REFERENCES releases (id) ON DELETE CASCADE,"
  "  target_id INTEGER NOT NULL REFERENCES targets (id),"
  "  slug TEXT NOT NULL,"
  "  idempotency_key TEXT NOT NULL,"
  "  attempted INTEGER NOT NULL DEFAULT 0,"
  "  remote_id TEXT,"
  "  remote_url TEXT,"
  "  created_at INTEGER NOT NULL,"
  "  updated_at INTEGER NOT NULL,"
  "  PRIMARY KEY (release_id, target_id)"
  ");"
  "INSERT INTO remote_identities (release_id, target_id, slug, idempotency_key, attempted,"
  "                               remote_id, remote_url, created_at, updated_at)"
  "  SELECT first.release_id, first.target_id, first.slug, first.idempotency_key,"
  "         EXISTS (SELECT 1 FROM outbox a WHERE a.release_id = first.release_id"
  "                 AND a.target_id = first.target_id AND a.attempts > 0),"
  "         done.remote_id, done.remote_url, first.created_at, first.updated_at"
  "  FROM outbox first"
  "  LEFT JOIN outbox done ON done.id = (SELECT max (d.id) FROM outbox d"
  "         WHERE d.release_id = first.release_id AND d.target_id = first.target_id"
  "         AND d.state = 'done' AND d.remote_id IS NOT NULL)"
  "  WHERE first.id = (SELECT min (f.id) FROM outbox f"
  "         WHERE f.release_id = first.release_id AND f.target_id = first.target_id);"
  "CREATE TABLE store_info ("
  "  name TEXT PRIMARY KEY,"
  "  value TEXT NOT NULL"
  ");"
  "INSERT INTO store_info (name, value) VALUES ('uuid', lower ("
  "  hex (randomblob (4)) || '-' || hex (randomblob (2)) || '-4' || substr (hex (randomblob (2)), 2) || '-' ||"
  "  substr ('89ab', 1 + (abs (random ()) % 4), 1) || substr (hex (randomblob (2)), 2) || '-' ||"
  "  hex (randomblob (6))));";

/* Schema 8: spelling (self-contained).
 * - dictionary_words: the desk's own dictionary, by language key ("id"):
 *   words an editor added, shared by everyone on the desk.
 * - release_spelling: whether spelling is checked in a release, for the
 *   releases where an editor turned it off or on; no row: checked. */
static const char schema_8[] =
  "CREATE TABLE dictionary_words ("
  "  language TEXT NOT NULL,"
  "  word TEXT NOT NULL,"
  "  added_by TEXT,"
  "  added_at INTEGER NOT NULL,"
  "  PRIMARY KEY (language, word)"
  ");"
  "CREATE TABLE release_spelling ("
  "  release_id INTEGER PRIMARY KEY REFERENCES releases (id) ON DELETE CASCADE,"
  "  checked INTEGER NOT NULL"
  ");";

/* Schema 9: the queue read without the texts.  Columns added to releases by later
 * schemas (status's neighbours verdict, score, decision) sit after the
 * original text in each row, so a list reading them walked every release's
 * text off the disk: 2.5 GB for 500,000 releases.  The list's columns, in
 * its order, in an index of their own, make `list` read the index alone.
 * It starts with received_at and id, so it takes the place of
 * releases_by_received. */
static const char schema_9[] =
  "CREATE INDEX releases_listed ON releases (received_at, id, status, sponsored, headline,"
  "  source, language, verdict, score, decision);"
  "DROP INDEX releases_by_received;";


/* Schema 10: releases that arrive by themselves (self-contained; see
 * desk-source.h).
 * - releases.source_kind and source_name: which kind of source brought a
 *   release and which one of them (the feed, the mailbox, the folder);
 *   the source's own id stays in source_uid.
 * - releases.embargo_at (µs since the epoch) and embargo_zone (the zone
 *   it was stated in, as an offset in seconds and the name written):
 *   publishing waits until then.
 * - source_items: what each source has seen, by the item's own id and
 *   its link ("uid:…", "link:…" keys), the release it became and the
 *   item's hash then (an item that changed is a new revision); by content
 *   an item is found in releases.content_hash.
 * - seen_files: the watched folder's files, by path, size and mtime, so
 *   a file is read once across restarts.
 * - feeds: subscriptions, with what conditional GET and backoff need. */
static const char schema_10[] =
  "ALTER TABLE releases ADD COLUMN source_kind TEXT NOT NULL DEFAULT 'file';"
  "ALTER TABLE releases ADD COLUMN source_name TEXT;"
  "ALTER TABLE releases ADD COLUMN embargo_at INTEGER;"
  "ALTER TABLE releases ADD COLUMN embargo_offset INTEGER;"
  "ALTER TABLE releases ADD COLUMN embargo_zone TEXT;"
  "CREATE INDEX releases_embargoed ON releases (embargo_at) WHERE embargo_at IS NOT NULL;"
  "CREATE TABLE source_items ("
  "  kind TEXT NOT NULL,"
  "  source_name TEXT NOT NULL,"
  "  key TEXT NOT NULL,"
  "  release_id INTEGER NOT NULL REFERENCES releases (id) ON DELETE CASCADE,"
  "  item_hash TEXT NOT NULL,"
  "  seen_at INTEGER NOT NULL,"
  "  PRIMARY KEY (kind, source_name, key)"
  ") WITHOUT ROWID;"
  "CREATE INDEX source_items_by_release ON source_items (release_id);"
  "CREATE TABLE seen_files ("
  "  path TEXT NOT NULL,"
  "  size INTEGER NOT NULL,"
  "  mtime INTEGER NOT NULL,"
  "  release_id INTEGER REFERENCES releases (id) ON DELETE SET NULL,"
  "  note TEXT,"
  "  seen_at INTEGER NOT NULL,"
  "  PRIMARY KEY (path, size, mtime)"
  ") WITHOUT ROWID;"
  "CREATE TABLE feeds ("
  "  id INTEGER PRIMARY KEY,"
  "  url TEXT NOT NULL UNIQUE,"
  "  name TEXT NOT NULL UNIQUE,"
  "  etag TEXT,"
  "  last_modified TEXT,"
  "  last_fetched_at INTEGER,"
  "  last_error TEXT,"
  "  failures INTEGER NOT NULL DEFAULT 0,"
  "  next_fetch_at INTEGER NOT NULL DEFAULT 0,"
  "  created_at INTEGER NOT NULL"
  ");";

/* Schema 11: e-mail, IMAP and wire formats; one story from several wires
 * (self-contained; see desk-copies.c, desk-store-wire.c, desk-mailbox.c).
 * - copy_signatures: each release's MinHash signature and the group of
 *   copies it belongs to (the id of the group's first release);
 *   copy_bands: the signature's bands, to find candidates by index.
 * - release_wire: urgency, copyright and embargo as a ninjs or NewsML-G2
 *   item states them.
 * - mailboxes: IMAP folders (no password: that is in the Secret Service),
 *   and mailbox_seen: each message by UIDVALIDITY and UID, written in the
 *   transaction that stores its releases, so a message is taken once. */
static const char schema_11[] =
  "CREATE TABLE copy_signatures ("
  "  release_id INTEGER PRIMARY KEY REFERENCES releases (id) ON DELETE CASCADE,"
  "  group_id INTEGER NOT NULL,"
  "  signature BLOB NOT NULL"
  ");"
  "CREATE INDEX copy_signatures_by_group ON copy_signatures (group_id);"
  "CREATE TABLE copy_bands ("
  "  band INTEGER NOT NULL,"
  "  release_id INTEGER NOT NULL,"
  "  PRIMARY KEY (band, release_id)"
  ") WITHOUT ROWID;"
  "CREATE TABLE release_wire ("
  "  release_id INTEGER PRIMARY KEY REFERENCES releases (id) ON DELETE CASCADE,"
  "  urgency INTEGER,"
  "  copyright TEXT,"
  "  embargo_at INTEGER,"
  "  embargo_text TEXT"
  ");"
  "CREATE TABLE mailboxes ("
  "  id INTEGER PRIMARY KEY,"
  "  name TEXT NOT NULL UNIQUE,"
  "  url TEXT NOT NULL,"
  "  username TEXT NOT NULL,"
  "  ca_file TEXT,"
  "  interval INTEGER NOT NULL DEFAULT 300,"
  "  last_fetched_at INTEGER,"
  "  last_error TEXT,"
  "  created_at INTEGER NOT NULL"
  ");"
  "CREATE TABLE mailbox_seen ("
  "  mailbox_id INTEGER NOT NULL REFERENCES mailboxes (id) ON DELETE CASCADE,"
  "  uidvalidity INTEGER NOT NULL,"
  "  uid INTEGER NOT NULL,"
  "  releases INTEGER NOT NULL,"
  "  note TEXT,"
  "  seen_at INTEGER NOT NULL,"
  "  PRIMARY KEY (mailbox_id, uidvalidity, uid)"
  ") WITHOUT ROWID;";

/* Schema 12: a release's embargo is kept in one place, releases.embargo_at
 * with its offset and zone name (self-contained; see desk-store-wire.c).
 * release_wire kept a second copy of a wire item's stated embargo; any
 * value there that the release lacks moves across, its offset read from
 * the ISO 8601 text it was kept as ("…+07:00", "…Z"), and the two columns
 * go. */
static const char schema_12[] =
  "UPDATE releases SET"
  "  embargo_at = w.embargo_at,"
  "  embargo_offset = CASE"
  "    WHEN w.embargo_text GLOB '*[+-][0-9][0-9]:[0-9][0-9]'"
  "      THEN (CASE substr (w.embargo_text, -6, 1) WHEN '-' THEN -1 ELSE 1 END)"
  "           * (CAST (substr (w.embargo_text, -5, 2) AS INTEGER) * 3600"
  "              + CAST (substr (w.embargo_text, -2, 2) AS INTEGER) * 60)"
  "    ELSE 0 END,"
  "  embargo_zone = CASE"
  "    WHEN w.embargo_text GLOB '*[+-][0-9][0-9]:[0-9][0-9]' THEN substr (w.embargo_text, -6)"
  "    ELSE 'UTC' END"
  " FROM release_wire w"
  " WHERE w.release_id = releases.id AND w.embargo_at IS NOT NULL AND releases.embargo_at IS NULL;"
  "ALTER TABLE release_wire DROP COLUMN embargo_at;"
  "ALTER TABLE release_wire DROP COLUMN embargo_text;";

/* Schema 13: one story, one row (self-contained; see desk-copies.c).
 * - releases.copy_of: for a copy the queues do not show, the id of the
 *   copy that stands for its story there (the first received, or the one
 *   an editor works on); NULL for a release shown in its queue.
 * - The queue indexes leave such copies out (partial, WHERE copy_of IS
 *   NULL), under their old names: a queue and its count read only its
 *   stories, and a copy costs the import no index entry more than before.
 *   copy_of (and sponsored) are columns of each, though their WHERE
 *   fixes them: SQLite 3.40 counts an index covering only when it holds
 *   every column the query names, and would list the Sponsored queue
 *   from releases_listed, reading every story, rather than from its own.
 *   Each group stored before gets its story. */
static const char schema_13[] =
  "ALTER TABLE releases ADD COLUMN copy_of INTEGER;"
  "DROP INDEX releases_listed;"
  "CREATE INDEX releases_listed ON releases (received_at, id, status, sponsored, headline,"
  "  source, language, verdict, score, decision, copy_of) WHERE copy_of IS NULL;"
  "DROP INDEX releases_by_status;"
  "CREATE INDEX releases_by_status ON releases (status, received_at, id, copy_of) WHERE copy_of IS NULL;"
  "DROP INDEX releases_sponsored_queue;"
  "CREATE INDEX releases_sponsored_queue ON releases (received_at, id, sponsored, copy_of)"
  "  WHERE sponsored = 1 AND copy_of IS NULL;"
  /* Each group stored before: the copy an editor took furthest stands
   * for it (published, approved, in review), else the first received. */
  "UPDATE releases SET copy_of = ("
  "  SELECT c2.release_id FROM copy_signatures c1"
  "  JOIN copy_signatures c2 ON c2.group_id = c1.group_id"
  "  JOIN releases r2 ON r2.id = c2.release_id"
  "  WHERE c1.release_id = releases.id"
  "  ORDER BY CASE r2.status WHEN 'published' THEN 0 WHEN 'corrected' THEN 0 WHEN 'withdrawn' THEN 0"
  "    WHEN 'approved' THEN 1 WHEN 'in_review' THEN 2 WHEN 'changes_requested' THEN 2"
  "    WHEN 'new' THEN 3 ELSE 4 END, r2.id LIMIT 1)"
  " WHERE id IN (SELECT release_id FROM copy_signatures WHERE group_id IN"
  "   (SELECT group_id FROM copy_signatures GROUP BY group_id HAVING count(*) > 1));"
  "UPDATE releases SET copy_of = NULL WHERE copy_of = id;";

/* Schema 14: boilerplate the desk learns (self-contained; see
 * desk-store-boilerplate.c).  How many releases from an issuer (a hash of
 * its name) carried a paragraph (a hash of its letters): one row per
 * issuer and print, its primary key the only index, so that a release
 * costs a lookup and an upsert per printed paragraph and no more. */
static const char schema_14[] =
  "CREATE TABLE boilerplate_prints ("
  "  issuer INTEGER NOT NULL,"
  "  print INTEGER NOT NULL,"
  "  seen INTEGER NOT NULL,"
  "  PRIMARY KEY (issuer, print)"
  ") WITHOUT ROWID;";

/* Schema 15: cheaper bands for finding copies (self-contained; see
 * desk-copies.c): fewer and smaller rows in copy_bands, made again from
 * the signatures kept in copy_signatures. */
static const char schema_15[] =
  "DELETE FROM copy_bands;";

typedef struct {
  const char *sql;
  gboolean  (*after) (DeskStore *self, GError **error);
} Migration;

static const Migration migrations[DESK_STORE_SCHEMA_VERSION] = {
  { schema_1, NULL },
  { schema_2, migrate_2_parse_existing },
  { schema_3, NULL },
  { schema_4, migrate_4_detect_existing },
  { schema_5, NULL },
  { schema_6, NULL },
  { "", migrate_7_third_party_decision },
  { schema_8, NULL },
  { schema_9, NULL },
  { schema_10, NULL },
  { schema_11, _desk_store_index_existing_copies },
  { schema_12, NULL },
  { schema_13, NULL },
  { schema_14, NULL },
  { schema_15, _desk_store_index_existing_bands },
};

static int
get_user_version (DeskStore *self)
{
  sqlite3_stmt *stmt = NULL;
  int version = -1;

  if (sqlite3_prepare_v2 (self->db, "PRAGMA user_version", -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    version = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  return version;
}

static gboolean
check_version (DeskStore  *self,
               int         version,
               GError    **error)
{
  if (version < 0)
    {
      set_db_error (error, self->db, _("Could not read the database’s schema version"));
      return FALSE;
    }

  if (version > DESK_STORE_SCHEMA_VERSION)
    {
      g_set_error (error, DESK_ERROR, DESK_ERROR_SCHEMA_TOO_NEW,
                   _("%s was written by a newer Copydesk (schema %d; this one knows up to %d)"),
                   self->path, version, DESK_STORE_SCHEMA_VERSION);
      return FALSE;
    }
  return TRUE;
}

/* Each step is a transaction that holds the write lock (BEGIN IMMEDIATE)
 * and reads the version again under it: two processes that open a new or
 * older store at once both see the version as it is when their turn
 * comes, so the second finds the work done rather than doing it again
 * ("table releases already exists"). */
static gboolean
migrate (DeskStore  *self,
         int         target,
         GError    **error)
{
  int version = get_user_version (self);

  if (!check_version (self, version, error))
    return FALSE;

  while (version < target)
    {
      const Migration *step;
      g_autofree char *bump = NULL;

      if (!begin (self, error))
        {
          g_prefix_error (error, _("Could not upgrade %s to schema %d: "), self->path, version + 1);
          return FALSE;
        }
      version = get_user_version (self);
      if (!check_version (self, version, error))
        {
          abandon (self);
          return FALSE;
        }
      if (version >= target)
        {
          abandon (self);
          break;
        }

      step = &migrations[version];
      bump = g_strdup_printf ("PRAGMA user_version = %d", version + 1);
      if (!exec_sql (self, step->sql, error) ||
          (step->after != NULL && !step->after (self, error)) ||
          !exec_sql (self, bump, error) ||
          !commit (self, error))
        {
          rollback (self);
          g_prefix_error (error, _("Could not upgrade %s to schema %d: "), self->path, version + 1);
          return FALSE;
        }
      version++;
    }

  return TRUE;
}

/* ---- opening ------------------------------------------------------------- */

static void
desk_store_finalize (GObject *object)
{
  DeskStore *self = (DeskStore *) object;

  g_clear_pointer (&self->statements, g_hash_table_unref);
  g_clear_object (&self->detector);
  g_free (self->rules_hash);
  g_free (self->read_only);
  g_free (self->damaged);
  if (self->db != NULL)
    sqlite3_close (self->db);
  g_free (self->path);

  G_OBJECT_CLASS (desk_store_parent_class)->finalize (object);
}

static void
desk_store_class_init (DeskStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = desk_store_finalize;
}

static void
finalize_statement (gpointer stmt)
{
  sqlite3_finalize (stmt);
}

static void
desk_store_init (DeskStore *self)
{
  self->statements = g_hash_table_new_full (NULL, NULL, NULL, finalize_statement);
  self->locked_version = -1;
}

/* COPYDESK_DB, else copydesk/copydesk.db in the user data dir. */
char *
desk_store_dup_default_path (void)
{
  const char *env = g_getenv ("COPYDESK_DB");

  if (env != NULL && *env != '\0')
    return g_strdup (env);

  return g_build_filename (g_get_user_data_dir (), "copydesk", "copydesk.db", NULL);
}

/* A cheap look at the file before SQLite trusts it: the header's magic,
 * page size and page count against the file's size.  (PRAGMA quick_check
 * reads every page: 0.9 s warm on a store of 20,000 releases, 195 MB,
 * where opening it and listing ten takes 0.04 s, so it is not run at
 * every open; see desk_store_verify().)
 *
 * The header is read through SQLite's own file handle: a second open()
 * and close() of the file would drop the POSIX locks that every other
 * connection of this process holds on it (the window and its counting
 * thread share a process).  It is read without a lock, so a header that
 * looks wrong may only have been caught while another process
 * checkpointed; the whole file is then checked before it is called
 * damaged. */
static gboolean
check_header (DeskStore  *self,
              GError    **error)
{
  sqlite3_file *file = NULL;
  sqlite3_int64 size = 0;
  guint8 header[100];
  guint64 page_size;
  guint64 page_count;

  if (sqlite3_file_control (self->db, "main", SQLITE_FCNTL_FILE_POINTER, &file) != SQLITE_OK ||
      file == NULL || file->pMethods == NULL ||
      file->pMethods->xFileSize (file, &size) != SQLITE_OK || size == 0)
    return TRUE;   /* a new store */

  if (file->pMethods->xRead (file, header, sizeof header, 0) != SQLITE_OK ||
      memcmp (header, "SQLite format 3", 16) != 0)
    {
      g_set_error (error, DESK_ERROR, DESK_ERROR_DAMAGED,
                   _("Could not open %s: it is not a Copydesk database (not an SQLite file), or its first page is damaged"),
                   self->path);
      return FALSE;
    }

  page_size = ((guint64) header[16] << 8) | header[17];
  if (page_size == 1)
    page_size = 65536;
  page_count = ((guint64) header[28] << 24) | ((guint64) header[29] << 16) | ((guint64) header[30] << 8) | header[31];
  if (page_size < 512 || (page_size & (page_size - 1)) != 0 ||
      (guint64) size % page_size != 0 ||
      /* The count is valid only when written by the same change as the
       * change counter (SQLite before 3.7.0 did not keep it). */
      (memcmp (header + 24, header + 92, 4) == 0 && page_count * page_size > (guint64) size))
    {
      if (desk_store_verify (self, NULL))
        return TRUE;
      g_set_error (error, DESK_ERROR, DESK_ERROR_DAMAGED,
                   _("Could not open %s: the file is damaged or cut short (%" PRIu64 " bytes, pages of %" PRIu64 ")"),
                   self->path, (guint64) size, page_size);
      return FALSE;
    }
  return TRUE;
}

/* Reads the schema, which SQLite otherwise reads at the first query: a
 * damaged schema page is found here, at open. */
static gboolean
check_schema (DeskStore  *self,
              GError    **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2 (self->db, "SELECT count(*) FROM sqlite_schema", -1, &stmt, NULL);

  if (rc == SQLITE_OK)
    rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      set_db_error (error, self->db, _("Could not read the database’s schema"));
      sqlite3_finalize (stmt);
      return FALSE;
    }
  sqlite3_finalize (stmt);
  return TRUE;
}

/* Switches the file to WAL.  On a new file that other processes open at
 * the same moment, SQLite can answer "database is locked" at once rather
 * than call the busy handler (seen about once in 20 runs of eight
 * processes opening a new store together), so the wait is done here, for
 * as long as the busy timeout would. */
static gboolean
set_wal_mode (DeskStore  *self,
              GError    **error)
{
  for (guint waited_ms = 0;; waited_ms += 10)
    {
      int rc = sqlite3_exec (self->db, "PRAGMA journal_mode = WAL", NULL, NULL, NULL);

      if (rc == SQLITE_OK)
        return TRUE;
      if ((rc & 0xff) != SQLITE_BUSY || waited_ms >= 5000)
        {
          set_db_error (error, self->db, _("Could not switch the database to WAL mode"));
          return FALSE;
        }
      g_usleep (10 * 1000);
    }
}

/* Opens the SQLite file.  A store whose folder is not writable can still
 * be read (list, show, check): SQLite cannot create its journal there, so
 * it is opened read-only, and every write says why it cannot be done. */
static gboolean
open_db (DeskStore   *self,
         const char  *dir,
         GError     **error)
{
  g_autofree char *shm = g_strconcat (self->path, "-shm", NULL);
  g_autofree char *uri = NULL;
  int rc;

  if (access (dir, W_OK) != 0)
    {
      self->read_only = g_strdup_printf (_("the folder %s must be writable for SQLite’s journal"), dir);
      if (access (self->path, R_OK) != 0)
        {
          g_set_error (error, DESK_ERROR, DESK_ERROR_READ_ONLY,
                       _("Could not open the database %s: %s"), self->path, self->read_only);
          return FALSE;
        }

      /* With its -shm file there, SQLite reads a WAL store read-only as it
       * is.  Without it, no process has the store open (a writer would
       * have made one, and it would need this folder writable): the file
       * is all there is, and "immutable" reads it without the journal. */
      if (g_file_test (shm, G_FILE_TEST_EXISTS))
        rc = sqlite3_open_v2 (self->path, &self->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL);
      else
        {
          g_autofree char *escaped = g_uri_escape_string (self->path, "/", FALSE);

          uri = g_strconcat ("file:", escaped, "?immutable=1", NULL);
          rc = sqlite3_open_v2 (uri, &self->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX, NULL);
        }
    }
  else
    rc = sqlite3_open_v2 (self->path, &self->db,
                          SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);

  if (rc != SQLITE_OK)
    {
      g_set_error (error, DESK_ERROR, DESK_ERROR_DATABASE,
                   _("Could not open the database %s: %s"), self->path,
                   self->db != NULL ? sqlite3_errmsg (self->db) : g_strerror (ENOMEM));
      return FALSE;
    }

  /* SQLite opens a file it may not write read-only, and says so only at
   * the first write. */
  if (self->read_only == NULL && sqlite3_db_readonly (self->db, "main") == 1)
    self->read_only = dup_read_only_reason (self->path);
  if (self->read_only == NULL && sqlite3_db_readonly (self->db, "main") == 1)
    self->read_only = g_strdup (_("the database is read-only"));
  return TRUE;
}

/* Whether @path starts as a URI does, with a scheme of two letters or
 * more and ":/" (one letter is a Windows drive). */
static gboolean
looks_like_an_address (const char *path)
{
  const char *p = path;

  if (!g_ascii_isalpha (*p))
    return FALSE;
  while (g_ascii_isalnum (*p) || *p == '+' || *p == '-' || *p == '.')
    p++;
  return p - path >= 2 && p[0] == ':' && p[1] == '/';
}

DeskStore *
desk_store_open_at_version (const char  *path,
                            int          version,
                            GError     **error)
{
  g_autoptr(DeskStore) self = g_object_new (DESK_TYPE_STORE, NULL);
  g_autofree char *dir = NULL;

  g_return_val_if_fail (version >= 1 && version <= DESK_STORE_SCHEMA_VERSION, NULL);

  self->path = path != NULL ? g_strdup (path) : desk_store_dup_default_path ();

  /* A team desk's address is no file name: not a folder "postgresql:". */
  if (desk_pg_is_address (self->path))
    {
      g_autofree char *shown = desk_redact (self->path, NULL);

      g_set_error (error, DESK_ERROR, DESK_ERROR_UNSUPPORTED_TYPE,
                   _("%s is a team desk on PostgreSQL, which the window does not open yet; "
                     "“copydesk-cli” works on it"), shown);
      return NULL;
    }

  /* "postgressql://…", "postgresql:/…", "http://…": an address with a
   * typo would otherwise become a new, empty desk in a folder named
   * after its scheme, and the editor would read and write there. */
  if (looks_like_an_address (self->path))
    {
      g_autofree char *shown = desk_redact (self->path, NULL);

      g_set_error (error, DESK_ERROR, DESK_ERROR_UNSUPPORTED_TYPE,
                   _("%s is not a desk: a team desk’s address begins with postgresql://, "
                     "and a desk on this computer is the path of its file"), shown);
      return NULL;
    }

  dir = g_path_get_dirname (self->path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   _("Could not create the folder %s: %s"), dir, g_strerror (saved_errno));
      return NULL;
    }

  _desk_store_setup_memory ();
  if (!open_db (self, dir, error))
    return NULL;

  sqlite3_extended_result_codes (self->db, TRUE);
  sqlite3_busy_timeout (self->db, 5000);

  if (!check_header (self, error) ||
      !desk_fts_register (self->db, error))
    return NULL;

  if ((self->read_only == NULL && !set_wal_mode (self, error)) ||
      !exec_sql (self,
                 self->read_only != NULL ? "PRAGMA foreign_keys = ON;"
                                           "PRAGMA cache_size = -32768;"
                 : "PRAGMA synchronous = NORMAL;"
                   "PRAGMA foreign_keys = ON;"
                   "PRAGMA cache_size = -32768;"
                   "PRAGMA wal_autocheckpoint = 8192;",
                 error) ||
      !check_schema (self, error))
    {
      g_prefix_error (error, _("Could not open the database %s: "), self->path);
      return NULL;
    }

  if (!migrate (self, version, error))
    return NULL;

  return g_steal_pointer (&self);
}

DeskStore *
desk_store_open (const char  *path,
                 GError     **error)
{
  return desk_store_open_at_version (path, DESK_STORE_SCHEMA_VERSION, error);
}

/* How much of the database this connection keeps in memory, in KiB. */
void
desk_store_set_cache_size (DeskStore *self,
                           guint      kib)
{
  g_autofree char *sql = NULL;

  g_return_if_fail (DESK_IS_STORE (self));

  sql = g_strdup_printf ("PRAGMA cache_size = -%u", kib);
  exec_sql (self, sql, NULL);
}

const char *
desk_store_get_path (DeskStore *self)
{
  g_return_val_if_fail (DESK_IS_STORE (self), NULL);

  return self->path;
}

int
desk_store_get_schema_version (DeskStore *self)
{
  g_return_val_if_fail (DESK_IS_STORE (self), -1);

  return get_user_version (self);
}

/* Is the store's schema @version or newer?  A schema only moves forward,
 * so once it is, it is asked of SQLite no more: an import asked it for
 * every release (a PRAGMA prepared, run and finalised each time).  A store
 * kept at an older schema (desk_store_open_at_version()) may be migrated
 * by another process at any time, but not while this one holds the write
 * lock: inside a change or a batch (BEGIN IMMEDIATE) the schema is read
 * once, not twice a release (bench-copies' store at schema 10 did). */
gboolean
_desk_store_has_schema (DeskStore *self,
                        int        version)
{
  gboolean locked = self->in_batch || self->in_change;
  int now;

  if (self->least_version >= version)
    return TRUE;
  if (locked && self->locked_version >= 0)
    return self->locked_version >= version;
  now = get_user_version (self);
  if (locked)
    self->locked_version = now;
  self->least_version = MAX (self->least_version, now);
  return self->least_version >= version;
}

/* ---- who is working ------------------------------------------------------ */

char *
desk_get_default_actor (void)
{
  g_autoptr(GSettings) settings = NULL;
  const char *env = g_getenv ("COPYDESK_EDITOR");
  const char *real_name;

  if (env != NULL && *env != '\0')
    return g_strdup (env);

  settings = desk_settings_new_if_installed ("editor-name");
  if (settings != NULL)
    {
      g_autofree char *name = g_settings_get_string (settings, "editor-name");

      if (name != NULL && *g_strstrip (name) != '\0')
        return g_steal_pointer (&name);
    }

  real_name = g_get_real_name ();
  if (real_name != NULL && *real_name != '\0' && g_strcmp0 (real_name, "Unknown") != 0)
    return g_strdup (real_name);

  return g_strdup (g_get_user_name ());
}

/* ---- the search index ---------------------------------------------------- */

static gboolean
fts_insert (DeskStore   *self,
            gint64       id,
            const char  *headline,
            const char  *original,
            const char  *edited,
            GError     **error)
{
  g_auto(DeskStmt) stmt = prepare (self,
    "INSERT INTO releases_fts (rowid, headline, original, edited) VALUES (?, ?, ?, ?)", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  bind_text (stmt, 2, headline);
  bind_text (stmt, 3, original);
  bind_text (stmt, 4, edited);
  return step_done (self, stmt, _("Could not index the release"), error);
}

/* Takes release @id out of the index, as it is stored now: call it before
 * changing the indexed columns, then fts_insert() the new ones. */
static gboolean
fts_delete (DeskStore   *self,
            gint64       id,
            GError     **error)
{
  g_auto(DeskStmt) stmt = prepare (self,
    "INSERT INTO releases_fts (releases_fts, rowid, headline, original, edited)"
    " SELECT 'delete', id, headline, original, edited FROM releases WHERE id = ?", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  return step_done (self, stmt, _("Could not index the release"), error);
}

/* ---- adding releases ----------------------------------------------------- */

static gboolean
insert_tags (DeskStore               *self,
             gint64                   release_id,
             const DeskParsedRelease *parsed,
             GError                 **error)
{
  sqlite3_stmt *tag_stmt = prepare (self, "INSERT INTO release_tags (release_id, position, tag) VALUES (?, ?, ?)", error);

  if (tag_stmt == NULL)
    return FALSE;

  for (guint i = 0; parsed->tags[i] != NULL; i++)
    {
      g_auto(DeskStmt) stmt = tag_stmt;

      sqlite3_bind_int64 (stmt, 1, release_id);
      sqlite3_bind_int (stmt, 2, (int) i);
      bind_text (stmt, 3, parsed->tags[i]);
      if (!step_done (self, stmt, _("Could not store the release’s tags"), error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
insert_event (DeskStore   *self,
              gint64       release_id,
              const char  *actor,
              const char  *action,
              const char  *from_status,
              const char  *to_status,
              const char  *note,
              GError     **error)
{
  g_auto(DeskStmt) stmt = prepare (self,
    "INSERT INTO events (release_id, actor, action, from_status, to_status, note, created_at)"
    " VALUES (?, ?, ?, ?, ?, ?, ?)", error);

  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, release_id);
  bind_text (stmt, 2, actor);
  bind_text (stmt, 3, action);
  bind_text (stmt, 4, from_status);
  bind_text (stmt, 5, to_status);
  bind_text (stmt, 6, note != NULL && *note != '\0' ? note : NULL);
  sqlite3_bind_int64 (stmt, 7, g_get_real_time ());
  return step_done (self, stmt, _("Could not record the event"), error);
}

/* The id of the release with this content or source uid, or 0. */
static gint64
find_existing (DeskStore   *self,
               const char  *content_hash,
               const char  *source_uid,
               GError     **error)
{
  {
    g_auto(DeskStmt) stmt = prepare (self, "SELECT id FROM releases WHERE content_hash = ?", error);

    if (stmt == NULL)
      return -1;
    bind_text (stmt, 1, content_hash);
    if (sqlite3_step (stmt) == SQLITE_ROW)
      return sqlite3_column_int64 (stmt, 0);
  }

  if (source_uid != NULL)
    {
      g_auto(DeskStmt) stmt = prepare (self, "SELECT id FROM releases WHERE source_uid = ?", error);

      if (stmt == NULL)
        return -1;
      bind_text (stmt, 1, source_uid);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        return sqlite3_column_int64 (stmt, 0);
    }

  return 0;
}

/* Stores a parsed release in one transaction and returns its id.  A release
 * already in the store (same content, or same source uid) is not stored
 * again: that fails with DESK_ERROR_DUPLICATE and @out_existing_id set.
 * The sponsor detector reads it first. */
gint64
desk_store_add_release (DeskStore               *self,
                        const DeskParsedRelease *parsed,
                        const DeskSource        *source,
                        const char              *actor,
                        gint64                  *out_existing_id,
                        GError                 **error)
{
  return desk_store_add_detected_release (self, parsed, NULL, source, actor, out_existing_id, error);
}

/* desk_store_add_release(), with what the store's detector found in
 * @parsed already (the importer detects on its reading thread), or NULL to
 * detect here.  The verdict and the findings are stored in the same
 * transaction as the release. */
gint64
desk_store_add_detected_release (DeskStore               *self,
                                 const DeskParsedRelease *parsed,
                                 const DeskDetection     *detection,
                                 const DeskSource        *source,
                                 const char              *actor,
                                 gint64                  *out_existing_id,
                                 GError                 **error)
{
  static const DeskSource no_source = { NULL, NULL, NULL, 0 };
  g_autofree char *default_actor = NULL;
  g_autoptr(DeskDetection) own_detection = NULL;
  g_autoptr(DeskDetection) learned = NULL;
  g_autofree char *findings = NULL;
  gint64 existing;
  gint64 now = g_get_real_time ();
  gint64 id;

  g_return_val_if_fail (DESK_IS_STORE (self), 0);
  g_return_val_if_fail (parsed != NULL, 0);

  if (source == NULL)
    source = &no_source;
  if (actor == NULL)
    actor = default_actor = desk_get_default_actor ();
  if (out_existing_id != NULL)
    *out_existing_id = 0;
  if (detection == NULL)
    detection = own_detection = desk_detector_detect (desk_store_get_detector (self),
                                                      parsed->text, parsed->language);
  /* End matter the issuer's earlier releases carried too. */
  learned = _desk_store_learn_boilerplate (self, parsed->text, detection, FALSE);
  if (learned != NULL)
    detection = learned;
  findings = desk_findings_encode (detection->findings);

  if (!begin (self, error))
    return 0;

  existing = find_existing (self, parsed->content_hash, source->source_uid, error);
  if (existing != 0)
    {
      abandon (self);
      if (existing > 0)
        {
          if (out_existing_id != NULL)
            *out_existing_id = existing;
          g_set_error (error, DESK_ERROR, DESK_ERROR_DUPLICATE,
                       _("already in the queue as #%" PRId64), existing);
        }
      return 0;
    }

  {
    /* A release from a source (desk-source.h) names its kind and source
     * in the row; a file keeps to the columns of every schema. */
    g_auto(DeskStmt) stmt = prepare (self, source->kind != NULL
      ? "INSERT INTO releases (source, source_uid, source_path, received_at, content_hash,"
        " original, original_headline, headline, language, status, updated_at, standfirst, wire,"
        " structure, verdict, score, sponsor_findings, rules_version, sponsored, source_kind, source_name)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'new', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
      : "INSERT INTO releases (source, source_uid, source_path, received_at, content_hash,"
        " original, original_headline, headline, language, status, updated_at, standfirst, wire,"
        " structure, verdict, score, sponsor_findings, rules_version, sponsored)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'new', ?, ?, ?, ?, ?, ?, ?, ?, ?)", error);
    g_autofree char *structure = encode_structure (parsed->parts);
    /* The wire: as the sender says, else the distributor the detector
     * found, by its own name ("PR Newswire" for "/美通社/" too), else the
     * credit as the parser read it. */
    const char *source_name = source->source != NULL ? source->source
                              : detection->wire != NULL ? detection->wire
                              : parsed->wire != NULL ? parsed->wire : "";
    gint64 version;

    if (stmt == NULL)
      goto failed;
    version = rules_version (self, detection->rules_hash, error);
    if (version == 0)
      goto failed;

    bind_text (stmt, 1, source_name);
    bind_text (stmt, 2, source->source_uid);
    bind_text (stmt, 3, source->source_path);
    sqlite3_bind_int64 (stmt, 4, source->received_at != 0 ? source->received_at : now);
    bind_text (stmt, 5, parsed->content_hash);
    bind_text (stmt, 6, parsed->text);
    bind_text (stmt, 7, parsed->headline);
    bind_text (stmt, 8, parsed->headline);
    bind_text (stmt, 9, parsed->language != NULL ? parsed->language : "und");
    sqlite3_bind_int64 (stmt, 10, now);
    bind_text (stmt, 11, parsed->standfirst);
    bind_text (stmt, 12, parsed->wire);
    bind_text (stmt, 13, structure);
    sqlite3_bind_text (stmt, 14, desk_verdict_to_string (detection->verdict), -1, SQLITE_STATIC);
    sqlite3_bind_double (stmt, 15, detection->score);
    bind_text (stmt, 16, findings);
    sqlite3_bind_int64 (stmt, 17, version);
    sqlite3_bind_int (stmt, 18, detection->verdict != DESK_VERDICT_NONE);
    if (source->kind != NULL)
      {
        bind_text (stmt, 19, source->kind);
        bind_text (stmt, 20, source->name);
      }

    if (!step_done (self, stmt, _("Could not store the release"), error))
      goto failed;
    id = sqlite3_last_insert_rowid (self->db);
  }

  if (!fts_insert (self, id, parsed->headline, parsed->text, NULL, error) ||
      !insert_tags (self, id, parsed, error) ||
      !_desk_store_index_copy (self, id, parsed, error) ||
      !_desk_store_add_wire_info (self, id, source, parsed->text, error) ||
      !_desk_store_keep_boilerplate (self, detection, error) ||
      !insert_event (self, id, actor, "imported", NULL, "new", source->source_path, error) ||
      !commit (self, error))
    goto failed;

  return id;

failed:
  rollback (self);
  return 0;
}

/* ---- reading releases ---------------------------------------------------- */

#define SUMMARY_COLUMNS "r.id, r.headline, r.source, r.language, r.status, r.received_at, r.sponsored," \
  " r.verdict, r.score, r.decision"

/* A row of SUMMARY_COLUMNS; its strings are the statement's, valid until
 * it steps on. */
static void
summary_from_row (sqlite3_stmt       *stmt,
                  DeskReleaseSummary *summary)
{
  *summary = (DeskReleaseSummary) {
    .id = sqlite3_column_int64 (stmt, 0),
    .headline = (const char *) sqlite3_column_text (stmt, 1),
    .source = (const char *) sqlite3_column_text (stmt, 2),
    .language = (const char *) sqlite3_column_text (stmt, 3),
    .status = DESK_STATUS_NEW,
    .received_at = sqlite3_column_int64 (stmt, 5),
    .sponsored = sqlite3_column_int (stmt, 6) != 0,
    .verdict = DESK_VERDICT_NONE,
    .score = sqlite3_column_double (stmt, 8),
    .decision = DESK_SPONSOR_DECISION_NONE,
  };

  desk_status_from_string ((const char *) sqlite3_column_text (stmt, 4), &summary->status);
  desk_verdict_from_string ((const char *) sqlite3_column_text (stmt, 7), &summary->verdict);
  desk_sponsor_decision_from_string ((const char *) sqlite3_column_text (stmt, 9), &summary->decision);
}

static DeskRelease *
release_from_summary_row (sqlite3_stmt *stmt)
{
  DeskReleaseSummary summary;

  summary_from_row (stmt, &summary);
  return _desk_release_new (&summary);
}

DeskRelease *
desk_store_get_release (DeskStore  *self,
                        gint64      id,
                        GError    **error)
{
  g_autoptr(DeskRelease) release = NULL;
  DeskReleaseDetails details = { 0 };
  g_autoptr(GStrvBuilder) tags = g_strv_builder_new ();

  g_return_val_if_fail (DESK_IS_STORE (self), NULL);

  {
    g_auto(DeskStmt) stmt = prepare (self,
      "SELECT " SUMMARY_COLUMNS ", r.original, r.edited, r.original_headline, r.standfirst,"
      " r.wire, r.source_uid, r.source_path, r.content_hash, r.updated_at,"
      " r.current_revision_id, r.approved_revision_id, r.approved_sha256, r.structure,"
      " r.decision_reason, r.decided_by, r.decided_at,"
      " (SELECT hash FROM sponsor_rules WHERE id = r.rules_version)"
      " FROM releases r WHERE r.id = ?", error);

    if (stmt == NULL)
      return NULL;

    sqlite3_bind_int64 (stmt, 1, id);
    switch (sqlite3_step (stmt))
      {
      case SQLITE_ROW:
        break;
      case SQLITE_DONE:
        g_set_error (error, DESK_ERROR, DESK_ERROR_NOT_FOUND,
                     _("There is no release #%" PRId64), id);
        return NULL;
      default:
        set_db_error (error, self->db, _("Could not read the release"));
        return NULL;
      }

    release = release_from_summary_row (stmt);
    details.original = (const char *) sqlite3_column_text (stmt, 10);
    details.edited = (const char *) sqlite3_column_text (stmt, 11);
    details.original_headline = (const char *) sqlite3_column_text (stmt, 12);
    details.standfirst = (const char *) sqlite3_column_text (stmt, 13);
    details.wire = (const char *) sqlite3_column_text (stmt, 14);
    details.source_uid = (const char *) sqlite3_column_text (stmt, 15);
    details.source_path = (const char *) sqlite3_column_text (stmt, 16);
    details.content_hash = (const char *) sqlite3_column_text (stmt, 17);
    details.updated_at = sqlite3_column_int64 (stmt, 18);
    details.current_revision_id = sqlite3_column_int64 (stmt, 19);
    details.approved_revision_id = sqlite3_column_int64 (stmt, 20);
    details.approved_sha256 = (const char *) sqlite3_column_text (stmt, 21);

    details.parts = decode_structure ((const char *) sqlite3_column_text (stmt, 22));
    details.decision_reason = (const char *) sqlite3_column_text (stmt, 23);
    details.decided_by = (const char *) sqlite3_column_text (stmt, 24);
    details.decided_at = sqlite3_column_int64 (stmt, 25);
    details.rules_hash = (const char *) sqlite3_column_text (stmt, 26);

    {
      g_auto(DeskStmt) tag_stmt = prepare (self,
        "SELECT tag FROM release_tags WHERE release_id = ? ORDER BY position", error);

      if (tag_stmt == NULL)
        {
          g_array_unref (details.parts);
          return NULL;
        }
      sqlite3_bind_int64 (tag_stmt, 1, id);
      while (sqlite3_step (tag_stmt) == SQLITE_ROW)
        g_strv_builder_add (tags, (const char *) sqlite3_column_text (tag_stmt, 0));
    }
    details.tags = g_strv_builder_end (tags);

    /* Copies the strings while the statement still holds them. */
    _desk_release_set_details (release, &details);
  }

  return g_steal_pointer (&release);
}

/* The list queries, by [count][search][status][sponsored]: static
 * strings, as prepare() caches statements by their SQL's address.  The
 * Sponsored queue (sponsored only, no status) reads the partial index
 * releases_sponsored_queue, so it costs what its own rows cost.  A queue
 * holds stories: a copy another copy stands for (copy_of, desk-copies.c)
 * is left out, by the queue indexes themselves; a search finds copies
 * too. */
#define FROM_SEARCH " FROM releases_fts JOIN releases r ON r.id = releases_fts.rowid WHERE releases_fts MATCH ?1"
#define LIST_ORDER " ORDER BY r.received_at DESC, r.id DESC LIMIT ?3 OFFSET ?4"

static const char * const list_sqls[2][2][2][2] = {
  {
    {
      {
        "SELECT " SUMMARY_COLUMNS " FROM releases r WHERE r.copy_of IS NULL" LIST_ORDER,
        "SELECT " SUMMARY_COLUMNS " FROM releases r WHERE r.sponsored = 1 AND r.copy_of IS NULL" LIST_ORDER,
      },
      {
        "SELECT " SUMMARY_COLUMNS " FROM releases r WHERE r.status = ?2 AND r.copy_of IS NULL" LIST_ORDER,
        "SELECT " SUMMARY_COLUMNS " FROM releases r WHERE r.status = ?2 AND r.sponsored = 1 AND r.copy_of IS NULL" LIST_ORDER,
      },
    },
    { { NULL, NULL }, { NULL, NULL } },  /* searches list through search_sql() */
  },
  {
    {
      {
        "SELECT count(*) FROM releases r WHERE r.copy_of IS NULL",
        "SELECT count(*) FROM releases r WHERE r.sponsored = 1 AND r.copy_of IS NULL",
      },
      {
        "SELECT count(*) FROM releases r WHERE r.status = ?2 AND r.copy_of IS NULL",
        "SELECT count(*) FROM releases r WHERE r.status = ?2 AND r.sponsored = 1 AND r.copy_of IS NULL",
      },
    },
    {
      {
        "SELECT count(*) FROM releases_fts WHERE releases_fts MATCH ?1",
        "SELECT count(*)" FROM_SEARCH " AND r.sponsored = 1",
      },
      {
        "SELECT count(*)" FROM_SEARCH " AND r.status = ?2",
        "SELECT count(*)" FROM_SEARCH " AND r.status = ?2 AND r.sponsored = 1",
      },
    },
  },
};

static const char *
list_sql (const DeskQuery *query,
          gboolean         count)
{
  return list_sqls[count ? 1 : 0][query->search != NULL][query->status >= 0][query->sponsored_only != FALSE];
}

/* Binds the query; FALSE when a search holds nothing to search for, in
 * which case nothing matches. */
static gboolean
bind_query (sqlite3_stmt    *stmt,
            const DeskQuery *query,
            char           **out_match)
{
  if (query->search != NULL)
    {
      *out_match = desk_fts_build_query (query->search);
      if (*out_match == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, *out_match, -1, SQLITE_STATIC);
    }
  if (query->status >= 0)
    sqlite3_bind_text (stmt, 2, desk_status_to_string ((DeskStatus) query->status), -1, SQLITE_STATIC);
  return TRUE;
}

/* Search results come in two tiers.  Ranking every match costs a few
 * microseconds a match, far too much for a word found in tens of thousands
 * of releases while the editor types; so the newest RANKED_WINDOW matches
 * are ranked (headline words weigh most), and older matches follow, newest
 * first.  FTS5 walks the index from the newest release down and stops
 * after the window, so the first page costs what the window costs, not
 * what every match would.  The window is read once, with its ranks, and
 * sorted here; the page's rows are then read by id.  The rank is
 * desk_rank() (desk-fts.c): BM25 without the words' rarity, which bm25()
 * would find by walking every release holding each word.
 * ?1 match, ?2 status, ?3 limit, ?4 offset, ?5 oldest ranked id. */
#define RANKED_WINDOW 1000
#define RANK_SQL DESK_FTS_RANK "(releases_fts, 10.0, 1.0, 1.0)"
#define WINDOW(filter) \
  "SELECT releases_fts.rowid, " RANK_SQL " FROM releases_fts" \
  " JOIN releases s ON s.id = releases_fts.rowid WHERE releases_fts MATCH ?1" filter \
  " ORDER BY releases_fts.rowid DESC LIMIT " G_STRINGIFY (RANKED_WINDOW)
#define WINDOW_ALL \
  "SELECT rowid, " RANK_SQL " FROM releases_fts WHERE releases_fts MATCH ?1" \
  " ORDER BY rowid DESC LIMIT " G_STRINGIFY (RANKED_WINDOW)
#define SEARCH_SQLS(window, filter) \
  { \
    window, \
    "SELECT " SUMMARY_COLUMNS FROM_SEARCH filter " AND releases_fts.rowid < ?5" \
    " ORDER BY releases_fts.rowid DESC LIMIT ?3 OFFSET ?4", \
  }

/* part 0: the window of ranked matches; 1: the older ones after it. */
static const char *
search_sql (const DeskQuery *query,
            int              part)
{
  static const char * const sql[2][2][2] = {
    {
      SEARCH_SQLS (WINDOW_ALL, ""),
      SEARCH_SQLS (WINDOW (" AND s.sponsored = 1"), " AND r.sponsored = 1"),
    },
    {
      SEARCH_SQLS (WINDOW (" AND s.status = ?2"), " AND r.status = ?2"),
      SEARCH_SQLS (WINDOW (" AND s.status = ?2 AND s.sponsored = 1"), " AND r.status = ?2 AND r.sponsored = 1"),
    },
  };

  return sql[query->status >= 0][query->sponsored_only != FALSE][part];
}

/* Runs one list query, adding its rows to @releases. */
static gboolean
collect_rows (DeskStore        *self,
              const char       *sql,
              const DeskQuery  *query,
              gint64            limit,
              gint64            offset,
              gint64            boundary,
              GPtrArray        *releases,
              GError          **error)
{
  g_auto(DeskStmt) stmt = prepare (self, sql, error);
  g_autofree char *match = NULL;
  int rc;

  if (stmt == NULL)
    return FALSE;
  if (!bind_query (stmt, query, &match))
    return TRUE;
  sqlite3_bind_int64 (stmt, 3, limit);
  sqlite3_bind_int64 (stmt, 4, offset);
  if (boundary > 0)
    sqlite3_bind_int64 (stmt, 5, boundary);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (releases, release_from_summary_row (stmt));

  if (rc != SQLITE_DONE)
    {
      set_db_error (error, self->db, _("Could not list the releases"));
      return FALSE;
    }
  return TRUE;
}

typedef struct
{
  gint64 id;
  double score;
} DeskRankedMatch;

/* Best first; of two as good, the newer. */
static int
compare_ranked (gconstpointer a,
                gconstpointer b)
{
  const DeskRankedMatch *x = a;
  const DeskRankedMatch *y = b;

  if (x->score != y->score)
    return x->score < y->score ? -1 : 1;
  return x->id > y->id ? -1 : x->id < y->id;
}

static gboolean
collect_search (DeskStore        *self,
                const DeskQuery  *query,
                GPtrArray        *releases,
                GError          **error)
{
  gint64 limit = query->limit > 0 ? (gint64) query->limit : G_MAXINT64;
  gint64 offset = query->offset;
  g_autoptr(GArray) window = g_array_sized_new (FALSE, FALSE, sizeof (DeskRankedMatch), 64);
  gint64 ranked;
  gint64 boundary = 0;

  {
    g_auto(DeskStmt) stmt = prepare (self, search_sql (query, 0), error);
    g_autofree char *match = NULL;
    int rc;

    if (stmt == NULL)
      return FALSE;
    if (!bind_query (stmt, query, &match))
      return TRUE;
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
      {
        DeskRankedMatch m = { sqlite3_column_int64 (stmt, 0), sqlite3_column_double (stmt, 1) };

        g_array_append_val (window, m);
        boundary = m.id;
      }
    if (rc != SQLITE_DONE)
      {
        set_db_error (error, self->db, _("Could not search the releases"));
        return FALSE;
      }
  }
  ranked = window->len;
  g_array_sort (window, compare_ranked);

  if (offset < ranked)
    {
      g_auto(DeskStmt) stmt = prepare (self, "SELECT " SUMMARY_COLUMNS " FROM releases r WHERE r.id = ?1", error);

      if (stmt == NULL)
        return FALSE;
      for (gint64 i = offset; i < ranked && (gint64) releases->len < limit; i++)
        {
          int rc;

          sqlite3_reset (stmt);
          sqlite3_bind_int64 (stmt, 1, g_array_index (window, DeskRankedMatch, i).id);
          rc = sqlite3_step (stmt);
          /* A release gone since the window was read is left out. */
          if (rc == SQLITE_ROW)
            g_ptr_array_add (releases, release_from_summary_row (stmt));
          else if (rc != SQLITE_DONE)
            {
              set_db_error (error, self->db, _("Could not list the releases"));
              return FALSE;
            }
        }
    }

  /* A full window means there may be older matches. */
  if (ranked == RANKED_WINDOW && (gint64) releases->len < limit &&
      !collect_rows (self, search_sql (query, 1), query,
                     limit - releases->len, MAX (offset - ranked, 0), boundary, releases, error))
    return FALSE;

  return TRUE;
}

/* The releases @query asks for, newest first (or, when searching, best
 * match first), as DeskRelease rows without their texts. */
GPtrArray *
desk_store_list_releases (DeskStore        *self,
                          const DeskQuery  *query,
                          GError          **error)
{
  static const DeskQuery all = DESK_QUERY_INIT;
  g_autoptr(GPtrArray) releases = g_ptr_array_new_with_free_func (g_object_unref);
  gboolean ok;

  g_return_val_if_fail (DESK_IS_STORE (self), NULL);

  if (query == NULL)
    query = &all;

  if (query->search != NULL)
    ok = collect_search (self, query, releases, error);
  else
    ok = collect_rows (self, list_sql (query, FALSE), query,
                       query->limit > 0 ? (gint64) query->limit : -1, query->offset, 0,
                       releases, error);

  return ok ? g_steal_pointer (&releases) : NULL;
}

gboolean
desk_store_foreach_summary (DeskStore        *self,
                            const DeskQuery  *query,
                            DeskSummaryFunc   func,
                            gpointer          user_data,
                            GError          **error)
{
  static const DeskQuery all = DESK_QUERY_INIT;
  g_autofree char *match = NULL;
  int rc;

  g_return_val_if_fail (DESK_IS_STORE (self), FALSE);
  g_return_val_if_fail (func != NULL, FALSE);

  if (query == NULL)
    query = &all;

  /* A search's pages are what it holds, as releases. */
  if (query->search != NULL)
    {
      g_autoptr(GPtrArray) releases = desk_store_list_releases (self, query, error);

      if (releases == NULL)
        return FALSE;
      for (guint i = 0; i < releases->len; i++)
        {
          DeskReleaseSummary summary = desk_release_get_summary (g_ptr_array_index (releases, i));

          if (!func (&summary, user_data))
            break;
        }
      return TRUE;
    }

  {
    /* One statement stepped along the listing index (releases_listed):
     * each row read, handed on and forgotten. */
    g_auto(DeskStmt) stmt = prepare (self, list_sql (query, FALSE), error);

    if (stmt == NULL)
      return FALSE;
    if (!bind_query (stmt, query, &match))
      return TRUE;
    sqlite3_bind_int64 (stmt, 3, query->limit > 0 ? (gint64) query->limit : -1);
    sqlite3_bind_int64 (stmt, 4, query->offset);

    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
      {
        DeskReleaseSummary summary;

        summary_from_row (stmt, &summary);
        if (!func (&summary, user_data))
          return TRUE;
      }
    if (rc != SQLITE_DONE)
      {
        set_db_error (error, self->db, _("Could not list the releases"));
        return FALSE;
      }
  }
  return TRUE;
}

gint64
desk_store_count_releases (DeskStore        *self,
                           const DeskQuery  *query,
                           GError          **error)
{
  static const DeskQuery all = DESK_QUERY_INIT;
  g_autofree char *match = NULL;

  g_return_val_if_fail (DESK_IS_STORE (self), -1);

  if (query == NULL)
    query = &all;

  {
    g_auto(DeskStmt) stmt = prepare (self, list_sql (query, TRUE), error);

    if (stmt == NULL)
      return -1;
    if (!bind_query (stmt, query, &match))
      return 0;
    if (sqlite3_step (stmt) != SQLITE_ROW)
      {
        set_db_error (error, self->db, _("Could not count the releases"));
        return -1;
      }
    return sqlite3_column_int64 (stmt, 0);
  }
}

gboolean
desk_store_count_by_status (DeskStore  *self,
                            gint64      counts[DESK_N_STATUSES],
                            GError    **error)
{
  g_auto(DeskStmt) stmt = prepare (self, "SELECT status, count(*) FROM releases WHERE copy_of IS NULL GROUP BY status", error);
  int rc;

  if (stmt == NULL)
    return FALSE;

  memset (counts, 0, sizeof (gint64) * DESK_N_STATUSES);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      DeskStatus status;

      if (desk_status_from_string ((const char *) sqlite3_column_text (stmt, 0), &status))
        counts[status] = sqlite3_column_int64 (stmt, 1);
    }
  if (rc != SQLITE_DONE)
    {
      set_db_error (error, self->db, _("Could not count the releases"));
      return FALSE;
    }
  return TRUE;
}

/* ---- revisions ----------------------------------------------------------- */

typedef struct {
  DeskStatus status;
  char      *headline;
  char      *text;        /* current: edited, else original */
  gint64     current_revision_id;
} CurrentState;

static void
current_state_clear (CurrentState *state)
{
  g_free (state->headline);
  g_free (state->text);
}

static gboolean
read_current_state (DeskStore     *self,
                    gint64         release_id,
                    CurrentState  *state,
                    GError       **error)
{
  g_auto(DeskStmt) stmt = prepare (self,
    "SELECT status, headline, coalesce (edited, original), coalesce (current_revision_id, 0)"
    " FROM releases WHERE id = ?", error);

  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, release_id);
  switch (sqlite3_step (stmt))
    {
    case SQLITE_ROW:
      break;
    case SQLITE_DONE:
      g_set_error (error, DESK_ERROR, DESK_ERROR_NOT_FOUND,
                   _("There is no release #%" PRId64), release_id);
      return FALSE;
    default:
      set_db_error (error, self->db, _("Could not read the release"));
      return FALSE;
    }

  state->status = DESK_STATUS_NEW;
  desk_status_from_string ((const char *) sqlite3_column_text (stmt, 0), &state->status);
  state->headline = _desk_column_dup (stmt, 1);
  state->text = _desk_column_dup (stmt, 2);
  state->current_revision_id = sqlite3_column_int64 (stmt, 3);
  return TRUE;
}

/* Inserts the next revision of @release_id and makes it current. */
static gint64
insert_revision (DeskStore   *self,
                 gint64       release_id,
                 const char  *headline,
                 const char  *text,
                 const char  *author,
                 char       **out_sha256,
                 GError     **error)
{
  g_autofree char *sha256 = sha256_hex (text);
  gint64 number = 1;
  gint64 revision_id;

  {
    g_auto(DeskStmt) stmt = prepare (self,
      "SELECT coalesce (max (number), 0) + 1 FROM revisions WHERE release_id = ?", error);

    if (stmt == NULL)
      return 0;
    sqlite3_bind_int64 (stmt, 1, release_id);
    if (sqlite3_step (stmt) == SQLITE_ROW)
      number = sqlite3_column_int64 (stmt, 0);
  }

  {
    g_auto(DeskStmt) stmt = prepare (self,
      "INSERT INTO revisions (release_id, number, headline, text, sha256, author, created_at)"
      " VALUES (?, ?, ?, ?, ?, ?, ?)", error);

    if (stmt == NULL)
      return 0;
    sqlite3_bind_int64 (stmt, 1, release_id);
    sqlite3_bind_int64 (stmt, 2, number);
    bind_text (stmt, 3, headline);
    bind_text (stmt, 4, text);
    bind_text (stmt, 5, sha256);
    bind_text (stmt, 6, author);
    sqlite3_bind_int64 (stmt, 7, g_get_real_time ());
    if (!step_done (self, stmt, _("Could not save the revision"), error))
      return 0;
    revision_id = sqlite3_last_insert_rowid (self->db);
  }

  if (!fts_delete (self, release_id, error))
    return 0;

  {
    g_auto(DeskStmt) stmt = prepare (self,
      "UPDATE releases SET headline = ?, edited = ?, current_revision_id = ?, updated_at = ?"
      " WHERE id = ?", error);

    if (stmt == NULL)
      return 0;
    bind_text (stmt, 1, headline);
    bind_text (stmt, 2, text);
    sqlite3_bind_int64 (stmt, 3, revision_id);
    sqlite3_bind_int64 (stmt, 4, g_get_real_time ());
    sqlite3_bind_int64 (stmt, 5, release_id);
    if (!step_done (self, stmt, _("Could not save the revision"), error))
      return 0;
  }

  {
    g_auto(DeskStmt) stmt = prepare (self, "SELECT original FROM releases WHERE id = ?", error);

    if (stmt == NULL)
      return 0;
    sqlite3_bind_int64 (stmt, 1, release_id);
    if (sqlite3_step (stmt) != SQLITE_ROW ||
        !fts_insert (self, release_id, headline, (const char *) sqlite3_column_text (stmt, 0), text, error))
      {
        if (error != NULL && *error == NULL)
          set_db_error (error, self->db, _("Could not index the release"));
        return 0;
      }
  }

  if (out_sha256 != NULL)
    *out_sha256 = g_steal_pointer (&sha256);
  return revision_id;
}

static gboolean
update_status (DeskStore   *self,
               gint64       release_id,
               DeskStatus   to,
               gint64       approved_revision_id,
               const char  *approved_sha256,
               GError     **error)
{
  g_auto(DeskStmt) stmt = prepare (self,
    "UPDATE releases SET status = ?2,"
    " approved_revision_id = CASE WHEN ?2 = 'approved' THEN ?3"
    "   WHEN ?2 IN ('in_review', 'changes_requested', 'rejected', 'new') THEN NULL"
    "   ELSE approved_revision_id END,"
    " approved_sha256 = CASE WHEN ?2 = 'approved' THEN ?4"
    "   WHEN ?2 IN ('in_review', 'changes_requested', 'rejected', 'new') THEN NULL"
    "   ELSE approved_sha256 END,"
    " updated_at = ?5 WHERE id = ?6", error);

  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 2, desk_status_to_string (to), -1, SQLITE_STATIC);
  if (approved_revision_id > 0)
    sqlite3_bind_int64 (stmt, 3, approved_revision_id);
  bind_text (stmt, 4, approved_sha256);
  sqlite3_bind_int64 (stmt, 5, g_get_real_time ());
  sqlite3_bind_int64 (stmt, 6, release_id);
  return step_done (self, stmt, _("Could not change the release’s status"), error);
}

/* Saves @text (and @headline, or the current one if NULL) as a new
 * revision of release @release_id inside the caller's change (see
 * begin()), unless neither changed: then *@out_revision_id is 0 and
 * nothing is written.  Editing approved copy sends it back to review, and
 * editing published copy starts a correction.  On failure the caller
 * rolls the change back. */
static gboolean
save_revision_in_change (DeskStore   *self,
                         gint64       release_id,
                         const char  *headline,
                         const char  *text,
                         const char  *author,
                         gint64      *out_revision_id,
                         GError     **error)
{
  CurrentState state = { 0 };
  gint64 revision_id;
  gboolean ok = FALSE;

  *out_revision_id = 0;
  if (!read_current_state (self, release_id, &state, error))
    return FALSE;

  if (headline == NULL)
    headline = state.headline;

  if (g_strcmp0 (headline, state.headline) == 0 && g_strcmp0 (text, state.text) == 0)
    {
      current_state_clear (&state);
      return TRUE;
    }

  revision_id = insert_revision (self, release_id, headline, text, author, NULL, error);
  if (revision_id == 0 || !_desk_store_show_copy (self, release_id, error))
    goto out;

  if (state.status == DESK_STATUS_APPROVED || state.status == DESK_STATUS_PUBLISHED)
    {
      DeskStatus to = state.status == DESK_STATUS_APPROVED ? DESK_STATUS_IN_REVIEW
                                                           : DESK_STATUS_CORRECTED;

      if (!update_status (self, release_id, to, 0, NULL, error) ||
          !insert_event (self, release_id, author, "edited",
                         desk_status_to_string (state.status), desk_status_to_string (to),
                         NULL, error))
        goto out;
    }

  *out_revision_id = revision_id;
  ok = TRUE;

out:
  current_state_clear (&state);
  return ok;
}

/* Saves the editor's copy of a release as a new revision, unless neither
 * the headline nor the text changed (then *@out_revision_id is 0).  The
 * original is never touched.  Editing approved copy sends it back to
 * review, and editing published copy starts a correction. */
gboolean
desk_store_save_revision (DeskStore   *self,
                          gint64       release_id,
                          const char  *headline,
                          const char  *text,
                          const char  *author,
                          gint64      *out_revision_id,
                          GError     **error)
{
  g_autofree char *default_author = NULL;
  gint64 revision_id = 0;
  const char *bad;

  g_return_val_if_fail (DESK_IS_STORE (self), FALSE);
  g_return_val_if_fail (text != NULL, FALSE);

  if (out_revision_id != NULL)
    *out_revision_id = 0;

  if (!g_utf8_validate (text, -1, &bad) || (headline != NULL && !g_utf8_validate (headline, -1, NULL)))
    {
      g_set_error (error, DESK_ERROR, DESK_ERROR_INVALID_INPUT,
                   _("The edited copy is not valid UTF-8 (byte offset %zu)"),
                   (gsize) (bad - text));
      return FALSE;
    }

  if (author == NULL)
    author = default_author = desk_get_default_actor ();

  if (!begin (self, error))
    return FALSE;
  if (!save_revision_in_change (self, release_id, headline, text, author, &revision_id, error))
    {
      rollback (self);
      return FALSE;
    }
  if (revision_id == 0)
    {
      abandon (self);
      return TRUE;
    }
  if (!commit (self, error))
    {
      rollback (self);
      return FALSE;
    }

  if (out_revision_id != NULL)
    *out_revision_id = revision_id;
  return TRUE;
}

static DeskRevision *
revision_from_row (sqlite3_stmt *stmt)
{
  DeskRevision *revision = g_new0 (DeskRevision, 1);

  revision->id = sqlite3_column_int64 (stmt, 0);
  revision->release_id = sqlite3_column_int64 (stmt, 1);
  revision->number = (guint) sqlite3_column_int (stmt, 2);
  revision->headline = _desk_column_dup (stmt, 3);
  revision->text = _desk_column_dup (stmt, 4);
  revision->sha256 = _desk_column_dup (stmt, 5);
  revision->author = _desk_column_dup (stmt, 6);
  revision->created_at = sqlite3_column_int64 (stmt, 7);
  return revision;
}

#define REVISION_COLUMNS "id, release_id, number, headline, text, sha256, author, created_at"

GPtrArray *
desk_store_list_revisions (DeskStore  *self,
                           gint64      release_id,
                           GError    **error)
{
  g_autoptr(GPtrArray) revisions = g_ptr_array_new_with_free_func ((GDestroyNotify) desk_revision_free);
  g_auto(DeskStmt) stmt = prepare (self,
    "SELECT " REVISION_COLUMNS " FROM revisions WHERE release_id = ? ORDER BY number", error);
  int rc;

  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, release_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (revisions, revision_from_row (stmt));
  if (rc != SQLITE_DONE)
    {
      set_db_error (error, self->db, _("Could not read the revisions"));
      return NULL;
    }
  return g_steal_pointer (&revisions);
}

DeskRevision *
desk_store_get_revision (DeskStore  *self,
                         gint64      revision_id,
                         GError    **error)
{
  g_auto(DeskStmt) stmt = prepare (self,
    "SELECT " REVISION_COLUMNS " FROM revisions WHERE id = ?", error);

  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, revision_id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      g_set_error (error, DESK_ERROR, DESK_ERROR_NOT_FOUND,
                   _("There is no revision #%" PRId64), revision_id);
      return NULL;
    }
  return revision_from_row (stmt);
}

/* ---- workflow ------------------------------------------------------------ */

/* Moves a release to @to if the workflow allows it, and records who did it.
 * Approval names the exact revision approved and its SHA-256: unedited
 * copy gets its first revision then, so that there is one to name. */
gboolean
desk_store_set_status (DeskStore   *self,
                       gint64       release_id,
                       DeskStatus   to,
                       const char  *actor,
                       const char  *note,
                       GError     **error)
{
  return desk_store_set_status_overriding (self, release_id, to, actor, note, NULL, error);
}

/* Like desk_store_set_status(), and when @override_reason is set, records
 * in the same change, just before the move, that the editor went past the
 * pre-publish check for that reason (see desk-check.c). */
gboolean
desk_store_set_status_overriding (DeskStore   *self,
                                  gint64       release_id,
                                  DeskStatus   to,
                                  const char  *actor,
                                  const char  *note,
                                  const char  *override_reason,
                                  GError     **error)
{
  g_autofree char *default_actor = NULL;
  g_autofree char *approved_sha256 = NULL;
  CurrentState state = { 0 };
  gint64 approved_revision_id = 0;

  g_return_val_if_fail (DESK_IS_STORE (self), FALSE);

  if (actor == NULL)
    actor = default_actor = desk_get_default_actor ();

  if (!begin (self, error))
    return FALSE;

  if (!read_current_state (self, release_id, &state, error) ||
      !desk_workflow_check_move (state.status, to, error))
    {
      current_state_clear (&state);
      abandon (self);
      return FALSE;
    }

  if (to == DESK_STATUS_APPROVED)
    {
      if (state.current_revision_id == 0)
        {
          approved_revision_id = insert_revision (self, release_id, state.headline, state.text,
                                                  actor, &approved_sha256, error);
          if (approved_revision_id == 0)
            goto failed;
        }
      else
        {
          approved_revision_id = state.current_revision_id;
          approved_sha256 = sha256_hex (state.text);
        }
    }

  if (override_reason != NULL &&
      !insert_event (self, release_id, actor, DESK_EVENT_CHECK_OVERRIDDEN, NULL, NULL, override_reason, error))
    goto failed;

  if (!update_status (self, release_id, to, approved_revision_id, approved_sha256, error) ||
      (to != DESK_STATUS_REJECTED && !_desk_store_show_copy (self, release_id, error)) ||
      !insert_event (self, release_id, actor, "status",
                     desk_status_to_string (state.status), desk_status_to_string (to),
                     note, error) ||
      !commit (self, error))
    goto failed;

  current_state_clear (&state);
  return TRUE;

failed:
  current_state_clear (&state);
  rollback (self);
  return FALSE;
}

/* Records that @actor went past the pre-publish check of release
 * @release_id's approved copy, for @reason. */
gboolean
desk_store_record_check_override (DeskStore   *self,
                                  gint64       release_id,
                                  const char  *actor,
                                  const char  *reason,
                                  GError     **error)
{
  g_autofree char *default_actor = NULL;

  g_return_val_if_fail (DESK_IS_STORE (self), FALSE);
  g_return_val_if_fail (reason != NULL && *reason != '\0', FALSE);

  if (actor == NULL)
    actor = default_actor = desk_get_default_actor ();
  return insert_event (self, release_id, actor, DESK_EVENT_CHECK_OVERRIDDEN, NULL, NULL, reason, error);
}

/* Whether the copy approved last was let past the pre-publish check: an
 * override recorded with that approval (the event just before it) or
 * after it.  Any edit since sends the copy back to review, and a new
 * approval needs its own override.  *@out_reason is the editor's reason. */
gboolean
desk_store_get_check_override (DeskStore  *self,
                               gint64      release_id,
                               char      **out_reason,
                               GError    **error)
{
  g_auto(DeskStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (DESK_IS_STORE (self), FALSE);

  if (out_reason != NULL)
    *out_reason = NULL;
  stmt = prepare (self,
    "WITH approval AS (SELECT max (id) AS id FROM events"
    "  WHERE release_id = ?1 AND action = 'status' AND to_status = 'approved')"
    " SELECT e.note FROM events e, approval a"
    " WHERE e.release_id = ?1 AND e.action = '" DESK_EVENT_CHECK_OVERRIDDEN "'"
    "  AND (e.id > a.id OR e.id = (SELECT max (id) FROM events WHERE release_id = ?1 AND id < a.id))"
    " ORDER BY e.id DESC LIMIT 1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, release_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      if (out_reason != NULL)
        *out_reason = _desk_column_dup (stmt, 0);
      return TRUE;
    }
  if (rc != SQLITE_DONE)
    set_db_error (error, self->db, _("Could not read the events"));
  return FALSE;
}

GPtrArray *
desk_store_list_events (DeskStore  *self,
                        gint64      release_id,
                        GError    **error)
{
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func ((GDestroyNotify) desk_event_free);
  g_auto(DeskStmt) stmt = prepare (self,
    "SELECT id, release_id, actor, action, from_status, to_status, note, created_at"
    " FROM events WHERE release_id = ? ORDER BY id", error);
  int rc;

  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, release_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      DeskEvent *event = g_new0 (DeskEvent, 1);

      event->id = sqlite3_column_int64 (stmt, 0);
      event->release_id = sqlite3_column_int64 (stmt, 1);
      event->actor = _desk_column_dup (stmt, 2);
      event->action = _desk_column_dup (stmt, 3);
      event->from_status = _desk_column_dup (stmt, 4);
      event->to_status = _desk_column_dup (stmt, 5);
      event->note = _desk_column_dup (stmt, 6);
      event->created_at = sqlite3_column_int64 (stmt, 7);
      g_ptr_array_add (events, event);
    }
  if (rc != SQLITE_DONE)
    {
      set_db_error (error, self->db, _("Could not read the events"));
      return NULL;
    }
  return g_steal_pointer (&events);
}

/* When release @release_id last moved to approved, from its audit trail
 * (µs since the epoch); 0 if it never did, -1 on error. */
gint64
desk_store_get_approved_at (DeskStore  *self,
                            gint64      release_id,
                            GError    **error)
{
  g_auto(DeskStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (DESK_IS_STORE (self), -1);

  stmt = prepare (self,
    "SELECT created_at FROM events WHERE release_id = ? AND to_status = 'approved'"
    " ORDER BY id DESC LIMIT 1", error);
  if (stmt == NULL)
    return -1;
  sqlite3_bind_int64 (stmt, 1, release_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return sqlite3_column_int64 (stmt, 0);
  if (rc != SQLITE_DONE)
    {
      set_db_error (error, self->db, _("Could not read the events"));
      return -1;
    }
  return 0;
}

/* Takes back the last move of a release, as the window's Undo does, if it
 * is still the last thing that happened to it and the release is still
 * where that move left it.  It may go where the table of moves would not
 * allow (back to "new"), because it restores what was; it never goes back
 * to approved, whose revision would have to be named again. */
gboolean
desk_store_undo_last_move (DeskStore   *self,
                           gint64       release_id,
                           const char  *actor,
                           GError     **error)
{
  g_autofree char *default_actor = NULL;
  g_autofree char *from_name = NULL;
  g_autofree char *to_name = NULL;
  g_autofree char *action = NULL;
  CurrentState state = { 0 };
  DeskStatus back;

  g_return_val_if_fail (DESK_IS_STORE (self), FALSE);

  if (actor == NULL)
    actor = default_actor = desk_get_default_actor ();

  if (!begin (self, error))
    return FALSE;

  if (!read_current_state (self, release_id, &state, error))
    {
      abandon (self);
      return FALSE;
    }

  {
    g_auto(DeskStmt) stmt = prepare (self,
      "SELECT action, from_status, to_status FROM events WHERE release_id = ? ORDER BY id DESC LIMIT 1", error);

    if (stmt == NULL)
      goto refused;
    sqlite3_bind_int64 (stmt, 1, release_id);
    if (sqlite3_step (stmt) == SQLITE_ROW)
      {
        action = _desk_column_dup (stmt, 0);
        from_name = _desk_column_dup (stmt, 1);
        to_name = _desk_column_dup (stmt, 2);
      }
  }

  if (g_strcmp0 (action, "status") != 0 ||
      g_strcmp0 (to_name, desk_status_to_string (state.status)) != 0 ||
      !desk_status_from_string (from_name, &back) ||
      back == DESK_STATUS_APPROVED)
    {
      g_set_error (error, DESK_ERROR, DESK_ERROR_ILLEGAL_TRANSITION,
                   _("The last move of release #%" PRId64 " can no longer be undone"), release_id);
      goto refused;
    }

  if (!update_status (self, release_id, back, 0, NULL, error) ||
      !insert_event (self, release_id, actor, "undo", to_name, from_name, NULL, error) ||
      !commit (self, error))
    {
      current_state_clear (&state);
      rollback (self);
      return FALSE;
    }

  current_state_clear (&state);
  return TRUE;

refused:
  current_state_clear (&state);
  abandon (self);
  return FALSE;
}

/* ---- sponsored and third-party content ------------------------------------ */

/* The detector the store reads releases with: the default one (the shipped
 * rules and the user's) unless another was set. */
DeskDetector *
desk_store_get_detector (DeskStore *self)
{
  g_return_val_if_fail (DESK_IS_STORE (self), NULL);

  return self->detector != NULL ? self->detector : desk_detector_get_default ();
}

/* Makes the store read releases with @detector (NULL: the default).
 * Releases read with other rules become stale: see
 * desk_store_redetect_stale(). */
void
desk_store_set_detector (DeskStore    *self,
                         DeskDetector *detector)
{
  g_return_if_fail (DESK_IS_STORE (self));
  g_return_if_fail (detector == NULL || DESK_IS_DETECTOR (detector));

  g_set_object (&self->detector, detector);
}

/* What the detector found in release @release_id, with the evidence (the
 * text of each span of the original), in text order. */
GPtrArray *
desk_store_list_findings (DeskStore  *self,
                          gint64      release_id,
                          GError    **error)
{
  g_auto(DeskStmt) stmt = prepare (self, "SELECT sponsor_findings, original FROM releases WHERE id = ?", error);

  g_return_val_if_fail (DESK_IS_STORE (self), NULL);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, release_id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      g_set_error (error, DESK_ERROR, DESK_ERROR_NOT_FOUND,
                   _("There is no release #%" PRId64), release_id);
      return NULL;
    }
  return desk_findings_decode ((const char *) sqlite3_column_text (stmt, 0),
                               (const char *) sqlite3_column_text (stmt, 1));
}

/* The stored verdict of @release_id as a DeskDetection, for a banner
 * (desk_detection_describe()) and the list of findings. */
DeskDetection *
desk_store_get_detection (DeskStore  *self,
                          gint64      release_id,
                          GError    **error)
{
  g_auto(DeskStmt) stmt = prepare (self,
    "SELECT verdict, score, sponsor_findings, original,"
    " (SELECT hash FROM sponsor_rules WHERE id = rules_version), wire"
    " FROM releases WHERE id = ?", error);
  DeskDetection *detection;

  g_return_val_if_fail (DESK_IS_STORE (self), NULL);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, release_id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      g_set_error (error, DESK_ERROR, DESK_ERROR_NOT_FOUND,
                   _("There is no release #%" PRId64), release_id);
      return NULL;
    }

  detection = g_new0 (DeskDetection, 1);
  desk_verdict_from_string ((const char *) sqlite3_column_text (stmt, 0), &detection->verdict);
  detection->score = sqlite3_column_double (stmt, 1);
  detection->findings = desk_findings_decode ((const char *) sqlite3_column_text (stmt, 2),
                                              (const char *) sqlite3_column_text (stmt, 3));
  detection->rules_hash = _desk_column_dup (stmt, 4);
  detection->wire = _desk_column_dup (stmt, 5);
  detection->tags = g_new0 (char *, 1);
  return detection;
}

/* Written so that the index on rules_version serves it. */
#define STALE_WHERE "rules_version IS NULL OR rules_version < ?1 OR rules_version > ?1"

/* The number of the store's detector's rules, or -1 (then every release
 * is stale) when they have not read any release yet. */
static gint64
current_rules_version (DeskStore  *self,
                       GError    **error)
{
  const char *hash = desk_detector_get_rules_hash (desk_store_get_detector (self));
  g_auto(DeskStmt) stmt = prepare (self, "SELECT id FROM sponsor_rules WHERE hash = ?", error);

  if (stmt == NULL)
    return 0;
  bind_text (stmt, 1, hash);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    return sqlite3_column_int64 (stmt, 0);
  return -1;
}

/* How many releases were read with rules other than the detector's. */
gint64
desk_store_count_stale (DeskStore  *self,
                        GError    **error)
{
  g_auto(DeskStmt) stmt = prepare (self, "SELECT count(*) FROM releases WHERE " STALE_WHERE, error);
  gint64 version;

  g_return_val_if_fail (DESK_IS_STORE (self), -1);

  if (stmt == NULL || (version = current_rules_version (self, error)) == 0)
    return -1;
  sqlite3_bind_int64 (stmt, 1, version);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      set_db_error (error, self->db, _("Could not count the releases"));
      return -1;
    }
  return sqlite3_column_int64 (stmt, 0);
}

typedef struct {
  gint64 id;
  char  *original;
  char  *language;
} StaleRelease;

static void
stale_release_clear (StaleRelease *stale)
{
  g_free (stale->original);
  g_free (stale->language);
}

/* Reads up to @max stale releases again with the store's detector, in one
 * transaction, and returns how many: call it until it returns 0 (the window
 * does, in the background, a batch at a time).  The editor's decisions
 * stay, and still win.  -1 on error. */
int
desk_store_redetect_stale (DeskStore     *self,
                           guint          max,
                           GCancellable  *cancellable,
                           GError       **error)
{
  g_autoptr(GArray) stale = g_array_new (FALSE, TRUE, sizeof (StaleRelease));
  DeskDetector *detector;
  g_autoptr(GPtrArray) detections = g_ptr_array_new_with_free_func ((GDestroyNotify) desk_detection_free);

  g_return_val_if_fail (DESK_IS_STORE (self), -1);
  g_return_val_if_fail (max > 0, -1);

  g_array_set_clear_func (stale, (GDestroyNotify) stale_release_clear);
  detector = desk_store_get_detector (self);

  {
    g_auto(DeskStmt) stmt = prepare (self,
      "SELECT id, original, language FROM releases WHERE " STALE_WHERE " ORDER BY id LIMIT ?2", error);
    int rc;

    gint64 version;

    if (stmt == NULL || (version = current_rules_version (self, error)) == 0)
      return -1;
    sqlite3_bind_int64 (stmt, 1, version);
    sqlite3_bind_int64 (stmt, 2, max);
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
      {
        StaleRelease one = { sqlite3_column_int64 (stmt, 0), _desk_column_dup (stmt, 1), _desk_column_dup (stmt, 2) };
        g_array_append_val (stale, one);
      }
    if (rc != SQLITE_DONE)
      {
        set_db_error (error, self->db, _("Could not read the releases"));
        return -1;
      }
  }

  /* Detect before taking the write lock: it is the slow part. */
  for (guint i = 0; i < stale->len; i++)
    {
      StaleRelease *one = &g_array_index (stale, StaleRelease, i);

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return -1;
      g_ptr_array_add (detections, desk_detector_detect (detector, one->original, one->language));
    }

  if (stale->len == 0)
    return 0;
  if (!begin (self, error))
    return -1;
  for (guint i = 0; i < stale->len; i++)
    if (!store_detection (self, g_array_index (stale, StaleRelease, i).id,
                          g_ptr_array_index (detections, i), error))
      {
        rollback (self);
        return -1;
      }
  if (!commit (self, error))
    {
      rollback (self);
      return -1;
    }
  return (int) stale->len;
}

/* Makes every release stale, so that desk_store_redetect_stale() reads
 * them all again (after a change of the detector itself). */
gboolean
desk_store_mark_all_stale (DeskStore  *self,
                           GError    **error)
{
  g_return_val_if_fail (DESK_IS_STORE (self), FALSE);

  if (!begin (self, error))
    return FALSE;
  if (!exec_sql (self, "UPDATE releases SET rules_version = NULL", error) || !commit (self, error))
    {
      rollback (self);
      return FALSE;
    }
  return TRUE;
}

/* Reads one release again with the store's detector. */
gboolean
desk_store_redetect_release (DeskStore  *self,
                             gint64      release_id,
                             GError    **error)
{
  g_autoptr(DeskDetection) detection = NULL;

  g_return_val_if_fail (DESK_IS_STORE (self), FALSE);

  {
    g_auto(DeskStmt) stmt = prepare (self, "SELECT original, language FROM releases WHERE id = ?", error);

    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_int64 (stmt, 1, release_id);
    if (sqlite3_step (stmt) != SQLITE_ROW)
      {
        g_set_error (error, DESK_ERROR, DESK_ERROR_NOT_FOUND,
                     _("There is no release #%" PRId64), release_id);
        return FALSE;
      }
    detection = desk_detector_detect (desk_store_get_detector (self),
                                      (const char *) sqlite3_column_text (stmt, 0),
                                      (const char *) sqlite3_column_text (stmt, 1));
  }

  if (!begin (self, error))
    return FALSE;
  if (!store_detection (self, release_id, detection, error) || !commit (self, error))
    {
      rollback (self);
      return FALSE;
    }
  return TRUE;
}

/* Records the editor's decision on release @release_id (sponsored, not
 * sponsored, or DESK_SPONSOR_DECISION_NONE to leave it to the detector
 * again), with the reason, as an event.  The decision wins over the
 * detector's verdict, now and after any re-detection. */
gboolean
desk_store_set_sponsor_decision (DeskStore            *self,
                                 gint64                release_id,
                                 DeskSponsorDecision   decision,
                                 const char           *reason,
                                 const char           *actor,
                                 GError              **error)
{
  g_autofree char *default_actor = NULL;
  g_autofree char *trimmed = g_strstrip (g_strdup (reason != NULL ? reason : ""));
  const char *action;

  g_return_val_if_fail (DESK_IS_STORE (self), FALSE);
  g_return_val_if_fail (decision <= DESK_SPONSOR_DECISION_THIRD_PARTY, FALSE);

  if (!desk_sponsor_decision_check_reason (decision, trimmed, error))
    return FALSE;
  if (actor == NULL)
    actor = default_actor = desk_get_default_actor ();

  action = desk_sponsor_decision_event (decision);

  if (!begin (self, error))
    return FALSE;

  {
    g_auto(DeskStmt) stmt = prepare (self,
      "UPDATE releases SET decision = ?2, decision_reason = ?3, decided_by = ?4, decided_at = ?5,"
      " sponsored = " SPONSORED_FROM_DECISION ("?2", "verdict") ", updated_at = ?6"
      " WHERE id = ?1", error);

    if (stmt == NULL)
      goto failed;
    sqlite3_bind_int64 (stmt, 1, release_id);
    bind_text (stmt, 2, desk_sponsor_decision_to_string (decision));
    bind_text (stmt, 3, decision != DESK_SPONSOR_DECISION_NONE ? trimmed : NULL);
    bind_text (stmt, 4, decision != DESK_SPONSOR_DECISION_NONE ? actor : NULL);
    if (decision != DESK_SPONSOR_DECISION_NONE)
      sqlite3_bind_int64 (stmt, 5, g_get_real_time ());
    sqlite3_bind_int64 (stmt, 6, g_get_real_time ());
    if (!step_done (self, stmt, _("Could not record the decision"), error))
      goto failed;
    if (sqlite3_changes (self->db) == 0)
      {
        g_set_error (error, DESK_ERROR, DESK_ERROR_NOT_FOUND,
                     _("There is no release #%" PRId64), release_id);
        goto failed;
      }
  }

  if (!insert_event (self, release_id, actor, action, NULL, NULL, trimmed, error) ||
      !commit (self, error))
    goto failed;
  return TRUE;

failed:
  rollback (self);
  return FALSE;
}


/* Saves a revision of the edited copy without the wire credit, the
 * disclaimer, the sector line and the distributor's boilerplate; every
 * other byte stays.  The sector names become tags.  *@out_revision_id is 0
 * when there was nothing to remove. */
gboolean
desk_store_clean_up_release (DeskStore  *self,
                             gint64      release_id,
                             const char *author,
                             gint64     *out_revision_id,
                             GError    **error)
{
  g_autoptr(DeskRelease) release = NULL;
  g_autoptr(DeskCleanup) cleanup = NULL;
  g_autofree char *default_author = NULL;
  g_autofree char *note = NULL;
  const char *edited;
  const char *body;
  gint64 revision_id = 0;

  g_return_val_if_fail (DESK_IS_STORE (self), FALSE);

  if (out_revision_id != NULL)
    *out_revision_id = 0;
  release = desk_store_get_release (self, release_id, error);
  if (release == NULL)
    return FALSE;
  if (author == NULL)
    author = default_author = desk_get_default_actor ();

  edited = desk_release_get_edited (release);
  cleanup = _desk_store_clean_up_text (self, edited != NULL ? edited : desk_release_get_original (release),
                                      desk_release_get_language (release));
  if (cleanup->n_removed == 0)
    return TRUE;
  /* The edited copy keeps its headline line, as the original has it: the
   * clean-up takes the wire furniture, nothing else. */
  body = cleanup->text;

  /* The revision, the tags and the event are one change. */
  if (!begin (self, error))
    return FALSE;
  if (!save_revision_in_change (self, release_id, NULL, body, author, &revision_id, error))
    goto failed;

  for (guint i = 0; cleanup->tags[i] != NULL; i++)
    {
      g_auto(DeskStmt) stmt = prepare (self,
        "INSERT INTO release_tags (release_id, position, tag)"
        " SELECT ?1, (SELECT coalesce (max (position), -1) + 1 FROM release_tags WHERE release_id = ?1), ?2"
        " WHERE NOT EXISTS (SELECT 1 FROM release_tags WHERE release_id = ?1 AND tag = ?2)", error);

      if (stmt == NULL)
        goto failed;
      sqlite3_bind_int64 (stmt, 1, release_id);
      bind_text (stmt, 2, cleanup->tags[i]);
      if (sqlite3_step (stmt) != SQLITE_DONE)
        {
          set_db_error (error, self->db, _("Could not store the release’s tags"));
          goto failed;
        }
    }

  note = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "removed %u piece of wire furniture",
                                       "removed %u pieces of wire furniture", cleanup->n_removed),
                          cleanup->n_removed);
  if (!insert_event (self, release_id, author, "cleaned-up", NULL, NULL, note, error) ||
      !commit (self, error))
    goto failed;

  if (out_revision_id != NULL)
    *out_revision_id = revision_id;
  return TRUE;

failed:
  rollback (self);
  return FALSE;
}

/* ---- for the outbox (desk-store-private.h) ------------------------------ */

sqlite3 *
_desk_store_get_db (DeskStore *self)
{
  return self->db;
}

sqlite3_stmt *
_desk_store_prepare (DeskStore   *self,
                     const char  *sql,
                     GError     **error)
{
  return prepare (self, sql, error);
}

void
_desk_store_set_db_error (DeskStore   *self,
                          GError     **error,
                          const char  *what)
{
  set_db_error (error, self->db, what);
}

gboolean
_desk_store_step_done (DeskStore     *self,
                       sqlite3_stmt  *stmt,
                       const char    *what,
                       GError       **error)
{
  return step_done (self, stmt, what, error);
}

gboolean
_desk_store_begin (DeskStore  *self,
                   GError    **error)
{
  return begin (self, error);
}

gboolean
_desk_store_commit (DeskStore  *self,
                    GError    **error)
{
  if (!commit (self, error))
    {
      rollback (self);
      return FALSE;
    }
  return TRUE;
}

void
_desk_store_rollback (DeskStore *self)
{
  rollback (self);
}

gboolean
_desk_store_insert_event (DeskStore   *self,
                          gint64       release_id,
                          const char  *actor,
                          const char  *action,
                          const char  *from_status,
                          const char  *to_status,
                          const char  *note,
                          GError     **error)
{
  return insert_event (self, release_id, actor, action, from_status, to_status, note, error);
}

/* Moves @release_id to @to inside an open change, if the workflow allows
 * it; the status stays as it is otherwise.  *@out_from is the status
 * before. */
gboolean
_desk_store_move_status (DeskStore   *self,
                         gint64       release_id,
                         DeskStatus   to,
                         DeskStatus  *out_from,
                         gboolean    *out_moved,
                         GError     **error)
{
  CurrentState state = { 0 };
  gboolean ok;

  *out_moved = FALSE;
  if (!read_current_state (self, release_id, &state, error))
    return FALSE;
  *out_from = state.status;
  current_state_clear (&state);
  if (!desk_workflow_can_move (*out_from, to))
    return TRUE;
  ok = update_status (self, release_id, to, 0, NULL, error);
  *out_moved = ok;
  return ok;
}

/* Puts release @release_id back to @to from @from, as an undo does (past
 * the workflow's rules: an undo goes back the way it came); *out_moved
 * says whether it was still in @from. */
gboolean
_desk_store_put_back_status (DeskStore   *self,
                             gint64       release_id,
                             DeskStatus   from,
                             DeskStatus   to,
                             gboolean    *out_moved,
                             GError     **error)
{
  CurrentState state = { 0 };
  gboolean ok = TRUE;

  *out_moved = FALSE;
  if (!read_current_state (self, release_id, &state, error))
    return FALSE;
  if (state.status == from)
    ok = *out_moved = update_status (self, release_id, to, 0, NULL, error);
  current_state_clear (&state);
  return ok;
}

/* ---- is the file whole --------------------------------------------------- */

/* Reads every page of the file once per store (PRAGMA quick_check), before
 * a bulk write: an import must not add to a file that is damaged where it
 * does not happen to write.  The result is kept: a later call costs
 * nothing.  0.9 s on a store of 20,000 releases (195 MB, in the page
 * cache), which the importer spends while its reader thread reads and
 * parses the first files on the other core.  A damaged file is refused
 * for every write after this, with what SQLite found.  A store larger than
 * VERIFY_MAX_BYTES is not read whole (a million releases would cost half a
 * minute before every import): there the header check on open and
 * SQLite's own check of every page it reads remain, and
 * `copydesk-cli check` reads the whole file on demand. */
#define VERIFY_MAX_BYTES (256 * 1024 * 1024)

gboolean
desk_store_verify (DeskStore  *self,
                   GError    **error)
{
  sqlite3_stmt *stmt = NULL;
  g_autofree char *finding = NULL;
  int rc;

  g_return_val_if_fail (DESK_IS_STORE (self), FALSE);

  if (self->verified)
    return TRUE;
  if (self->damaged != NULL)
    return check_writable (self, error);

  rc = sqlite3_prepare_v2 (self->db, "SELECT page_count * page_size FROM pragma_page_count, pragma_page_size",
                           -1, &stmt, NULL);
  if (rc == SQLITE_OK && sqlite3_step (stmt) == SQLITE_ROW &&
      sqlite3_column_int64 (stmt, 0) > VERIFY_MAX_BYTES)
    {
      sqlite3_finalize (stmt);
      self->verified = TRUE;
      return TRUE;
    }
  sqlite3_finalize (stmt);
  stmt = NULL;

  rc = sqlite3_prepare_v2 (self->db, "PRAGMA quick_check(1)", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW && g_strcmp0 ((const char *) sqlite3_column_text (stmt, 0), "ok") != 0)
    finding = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  else if (rc != SQLITE_ROW)
    {
      int code = sqlite3_errcode (self->db) & 0xff;

      if (code != SQLITE_CORRUPT && code != SQLITE_NOTADB)
        {
          set_db_error (error, self->db, _("Could not check the database"));
          sqlite3_finalize (stmt);
          return FALSE;
        }
      finding = g_strdup (sqlite3_errmsg (self->db));
    }
  sqlite3_finalize (stmt);

  if (finding != NULL)
    {
      /* "*** in database main ***\nPage 5: …": the page is the news. */
      if (g_str_has_prefix (finding, "*** ") && strchr (finding, '\n') != NULL)
        memmove (finding, strchr (finding, '\n') + 1, strlen (strchr (finding, '\n') + 1) + 1);
      g_strdelimit (finding, "\n", ' ');
      self->damaged = g_steal_pointer (&finding);
      return check_writable (self, error);
    }
  self->verified = TRUE;
  return TRUE;
}
