/* desk-store-wire.h — what a wire item or e-mail states of itself
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "desk-store.h"

G_BEGIN_DECLS

typedef struct {
  int        urgency;     /* 1 to 9; 0: not stated */
  char      *copyright;   /* or NULL */
  GDateTime *embargo;     /* with the zone it was stated in, or NULL */
} DeskWireInfo;

gboolean desk_store_get_wire_info (DeskStore     *store,
                                   gint64         release_id,
                                   DeskWireInfo  *out_info,
                                   GError       **error);
void     desk_wire_info_clear     (DeskWireInfo  *info);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (DeskWireInfo, desk_wire_info_clear)

G_END_DECLS
