/* desk-test-util.h — what several test programs need
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "desk-store.h"

G_BEGIN_DECLS

/* A fresh store in a temporary folder of its own, removed afterwards. */
typedef struct {
  char      *dir;
  char      *path;
  DeskStore *store;
} DeskTestStoreFixture;

void   desk_test_store_fixture_set_up    (DeskTestStoreFixture *fixture,
                                          gconstpointer         data);
void   desk_test_store_fixture_tear_down (DeskTestStoreFixture *fixture,
                                          gconstpointer         data);

/* What a program run by a test printed, and its wait status. */
typedef struct {
  int   status;
  char *out;
  char *err;
} DeskTestRun;

void   desk_test_run_clear     (DeskTestRun *run);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (DeskTestRun, desk_test_run_clear)

void   desk_test_remove_tree   (const char *dir);
char  *desk_test_load_fixture  (const char *name);
gint64 desk_test_sql_int       (const char *db_path,
                                const char *sql);

gint64 desk_test_add_text      (DeskStore  *store,
                                const char *text);
gint64 desk_test_add_seed      (DeskStore  *store);
void   desk_test_approve       (DeskStore  *store,
                                gint64      id);
gint64 desk_test_add_approved  (DeskStore  *store,
                                const char *headline,
                                const char *body);
gboolean desk_test_set_secret  (DeskStore  *store,
                                gint64      target_id,
                                const char *secret);

G_END_DECLS
