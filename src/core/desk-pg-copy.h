/* desk-pg-copy.h — a whole desk from SQLite to PostgreSQL, and back
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Copies every table of the desk at @from into the desk at @to, one a
 * SQLite file and the other a PostgreSQL address (already prepared with
 * desk init), in one transaction on @to's side.  A @to that holds
 * releases, revisions, events, jobs or anything but its first target is
 * refused unless @force, which replaces what it holds.  Secrets are not
 * in a desk's tables and are not copied.  *@out_releases: how many
 * releases were copied. */
gboolean desk_pg_copy_desk (const char  *from,
                            const char  *to,
                            gboolean     force,
                            gint64      *out_releases,
                            GError     **error);

G_END_DECLS
