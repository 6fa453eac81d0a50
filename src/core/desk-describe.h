/* desk-describe.h — what the desk keeps, said in an editor's words
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "desk-release.h"

G_BEGIN_DECLS

char       *desk_event_describe          (const DeskEvent *event);
const char *desk_target_get_display_name (const char      *name);

G_END_DECLS
