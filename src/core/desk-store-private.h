/* desk-store-private.h — the store's internals the outbox shares
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <sqlite3.h>

#include "desk-cleanup.h"
#include "desk-db.h"
#include "desk-store.h"

G_BEGIN_DECLS

sqlite3      *_desk_store_get_db       (DeskStore   *self);
/* desk-store-memory.c: before the process's first connection. */
void          _desk_store_setup_memory (void);
sqlite3_stmt *_desk_store_prepare      (DeskStore   *self,
                                        const char  *sql,
                                        GError     **error);
void          _desk_store_set_db_error (DeskStore   *self,
                                        GError     **error,
                                        const char  *what);
gboolean      _desk_store_step_done    (DeskStore     *self,
                                        sqlite3_stmt  *stmt,
                                        const char    *what,
                                        GError       **error);
gboolean      _desk_store_begin        (DeskStore   *self,
                                        GError     **error);
gboolean      _desk_store_commit       (DeskStore   *self,
                                        GError     **error);
void          _desk_store_rollback     (DeskStore   *self);
gboolean      _desk_store_insert_event (DeskStore   *self,
                                        gint64       release_id,
                                        const char  *actor,
                                        const char  *action,
                                        const char  *from_status,
                                        const char  *to_status,
                                        const char  *note,
                                        GError     **error);
gboolean      _desk_store_put_back_status (DeskStore *self,
                                           gint64     release_id,
                                           DeskStatus from,
                                           DeskStatus to,
                                           gboolean  *out_moved,
                                           GError   **error);
gboolean      _desk_store_move_status  (DeskStore   *self,
                                        gint64       release_id,
                                        DeskStatus   to,
                                        DeskStatus  *out_from,
                                        gboolean    *out_moved,
                                        GError     **error);

/* desk-copies.c and desk-store-wire.c: written in the transaction that
 * stores a release. */
gboolean      _desk_store_has_schema   (DeskStore               *self,
                                        int                      version);
gboolean      _desk_store_index_copy   (DeskStore               *self,
                                        gint64                   id,
                                        const DeskParsedRelease *parsed,
                                        GError                 **error);
gboolean      _desk_store_index_existing_copies (DeskStore  *self,
                                                 GError    **error);
gboolean      _desk_store_index_existing_bands (DeskStore  *self,
                                                GError    **error);
/* desk-copies.c: an editor works on release @id (a move or a revision):
 * if it is a copy not shown in the queues, it now stands for its story. */
gboolean      _desk_store_show_copy    (DeskStore               *self,
                                        gint64                   id,
                                        GError                 **error);
gboolean      _desk_store_add_wire_info (DeskStore        *self,
                                         gint64            id,
                                         const DeskSource *source,
                                         const char       *text,
                                         GError          **error);

/* desk-store-boilerplate.c: boilerplate learned from an issuer's earlier
 * releases. */
DeskDetection *_desk_store_learn_boilerplate (DeskStore           *self,
                                              const char          *text,
                                              const DeskDetection *detection,
                                              gboolean             stored);
gboolean       _desk_store_keep_boilerplate  (DeskStore            *self,
                                              const DeskDetection  *detection,
                                              GError              **error);
DeskCleanup   *_desk_store_clean_up_text     (DeskStore           *self,
                                              const char          *text,
                                              const char          *language);

/* A release's parts as releases.structure holds them. */
GArray       *_desk_store_decode_structure (const char *structure);
char         *_desk_store_encode_structure (GArray     *parts);

/* A cached statement, reset when it goes out of scope so that no read
 * snapshot stays open behind the caller's back. */
typedef sqlite3_stmt *DeskStmt;
static inline void
_desk_stmt_reset (sqlite3_stmt *stmt)
{
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
}
G_DEFINE_AUTO_CLEANUP_FREE_FUNC (DeskStmt, _desk_stmt_reset, NULL)

/* Binds @text to parameter @index, or NULL if @text is NULL.  @lifetime
 * is SQLITE_STATIC only if @text outlives every sqlite3_step() of the
 * binding (SQLite keeps the pointer), else SQLITE_TRANSIENT (SQLite
 * copies the text). */
static inline void
_desk_bind_text (sqlite3_stmt            *stmt,
                 int                      index,
                 const char              *text,
                 sqlite3_destructor_type  lifetime)
{
  if (text != NULL)
    sqlite3_bind_text (stmt, index, text, -1, lifetime);
  else
    sqlite3_bind_null (stmt, index);
}

/* A copy of the text in @column of the current row, or NULL. */
static inline char *
_desk_column_dup (sqlite3_stmt *stmt,
                  int           column)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

/* desk-store-team.c: a store on a team desk sends its calls to a DeskDb. */
DeskDb       *_desk_store_get_team     (DeskStore   *self);
void          _desk_store_set_team     (DeskStore   *self,
                                        DeskDb      *team);
gboolean      _desk_store_team_open    (DeskStore   *self,
                                        GError     **error);
DeskDb       *_desk_store_team_db      (DeskStore   *self,
                                        GError     **error);
gboolean      _desk_store_team_lost    (DeskStore   *self);
gboolean      _desk_store_team_unsupported (GError **error);
DeskRelease  *_desk_store_team_get_release      (DeskStore *self, gint64 id, GError **error);
GPtrArray    *_desk_store_team_list_releases    (DeskStore *self, const DeskQuery *query, GError **error);
gint64        _desk_store_team_count_releases   (DeskStore *self, const DeskQuery *query, GError **error);
gboolean      _desk_store_team_count_by_status  (DeskStore *self, gint64 counts[DESK_N_STATUSES], GError **error);
GPtrArray    *_desk_store_team_list_revisions   (DeskStore *self, gint64 release_id, GError **error);
GPtrArray    *_desk_store_team_list_events      (DeskStore *self, gint64 release_id, GError **error);
GPtrArray    *_desk_store_team_list_findings    (DeskStore *self, gint64 release_id, GError **error);
DeskDetection *_desk_store_team_get_detection   (DeskStore *self, gint64 release_id, GError **error);
gboolean      _desk_store_team_save_revision    (DeskStore *self, gint64 release_id, const char *headline,
                                                 const char *text, gint64 *out_revision_id, GError **error);
gboolean      _desk_store_team_clean_up_release (DeskStore *self, gint64 release_id,
                                                 gint64 *out_revision_id, GError **error);
gboolean      _desk_store_team_set_sponsor_decision (DeskStore *self, gint64 release_id,
                                                     DeskSponsorDecision decision, const char *reason,
                                                     GError **error);
gboolean      _desk_store_team_move_release     (DeskStore *self, gint64 release_id, DeskStatus to,
                                                 const char *note, const char *override_reason,
                                                 GError **error);

G_END_DECLS
