/* desk-release-list.h — a queue of releases as a lazily loaded GListModel
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "desk-store.h"

G_BEGIN_DECLS

#define DESK_TYPE_RELEASE_LIST (desk_release_list_get_type ())

G_DECLARE_FINAL_TYPE (DeskReleaseList, desk_release_list, DESK, RELEASE_LIST, GObject)

DeskReleaseList *desk_release_list_new        (DeskStore       *store);
DeskReleaseList *desk_release_list_new_full   (DeskStore       *store,
                                               int              status,
                                               gboolean         lazy_count);
void             desk_release_list_set_status (DeskReleaseList *self,
                                               int              status);
int              desk_release_list_get_status (DeskReleaseList *self);
void             desk_release_list_set_queue  (DeskReleaseList *self,
                                               int              status,
                                               gboolean         sponsored_only);
void             desk_release_list_set_search (DeskReleaseList *self,
                                               const char      *search);
const char      *desk_release_list_get_search (DeskReleaseList *self);
void             desk_release_list_reload     (DeskReleaseList *self);
gboolean         desk_release_list_is_counting (DeskReleaseList *self);

G_END_DECLS
