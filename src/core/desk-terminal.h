/* desk-terminal.h — text made safe to show in a terminal
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char *desk_terminal_escape (const char *text,
                            gssize      len,
                            gboolean    keep_newlines);

/* desk_terminal_escape() of @text, appended to @out. */
void  desk_terminal_append_escaped (GString    *out,
                                    const char *text,
                                    gboolean    keep_newlines);

G_END_DECLS
