/* desk-date.h — dates as feeds and press releases really write them
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

GDateTime *desk_date_parse       (const char  *text,
                                  GTimeZone   *default_zone,
                                  gboolean     need_time,
                                  char       **out_zone_name);
GTimeZone *desk_date_zone_named  (const char  *name);

G_END_DECLS
