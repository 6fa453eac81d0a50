/* desk-store-check.h — is the store whole, and can its index be rebuilt
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "desk-store.h"

G_BEGIN_DECLS

typedef struct {
  GPtrArray *database;      /* of char *: what SQLite's integrity check found */
  GPtrArray *search_index;  /* of char *: what FTS5's integrity check found */
  gboolean   index_rebuilt; /* the search index was rebuilt (and checked again) */
  gboolean   index_unchecked; /* the store can only be read, so the index was not checked */
} DeskStoreCheck;

gboolean        desk_store_verify      (DeskStore       *self,
                                        GError         **error);
DeskStoreCheck *desk_store_check       (DeskStore       *self,
                                        gboolean         repair_index,
                                        GError         **error);
gboolean        desk_store_check_is_ok (const DeskStoreCheck *check);
void            desk_store_check_free  (DeskStoreCheck  *check);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DeskStoreCheck, desk_store_check_free)

G_END_DECLS
