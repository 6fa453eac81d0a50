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

/* A ministry's release with a letterhead of three lines above its
 * headline, and a wire credit the check finds. */
#define DESK_TEST_LETTERHEAD_HEADLINE "Tarif kapal feri dibekukan hingga akhir 2027"
#define DESK_TEST_LETTERHEAD_RELEASE \
  "KEMENTERIAN PERHUBUNGAN\n" \
  "REPUBLIK INDONESIA\n" \
  "SIARAN PERS NOMOR: 87/HMS/XII/2026\n" \
  DESK_TEST_LETTERHEAD_HEADLINE "\n" \
  "JAKARTA, 3 Desember 2026 (SeaPRwire) – Kementerian Perhubungan membekukan tarif kapal feri antarpulau hingga akhir 2027.\n" \
  "\n" \
  "Menteri mengatakan pembekuan itu berlaku di semua lintasan yang dilayani kapal milik negara.\n"

gint64 desk_test_add_text      (DeskStore  *store,
                                const char *text);
gint64 desk_test_add_seed      (DeskStore  *store);
gint64 desk_test_add_letterhead_approved (DeskStore *store);
guint  desk_test_count         (const char *haystack,
                                const char *needle);
void   desk_test_assert_letterhead_body (const char *body);
void   desk_test_approve       (DeskStore  *store,
                                gint64      id);
gint64 desk_test_add_approved  (DeskStore  *store,
                                const char *headline,
                                const char *body);
gboolean desk_test_set_secret  (DeskStore  *store,
                                gint64      target_id,
                                const char *secret);

G_END_DECLS
