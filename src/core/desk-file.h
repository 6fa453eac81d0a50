/* desk-file.h — reading the files an editor names, safely
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <sys/stat.h>
#include <glib.h>

G_BEGIN_DECLS

char       *desk_file_read_regular (const char  *path,
                                    gsize        max_bytes,
                                    gsize       *out_len,
                                    GError     **error);
char       *desk_file_read_fd      (int          fd,
                                    gsize        max_bytes,
                                    gsize       *out_len,
                                    GError     **error);
const char *desk_file_describe_mode (mode_t      mode);

G_END_DECLS
