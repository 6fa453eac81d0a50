/* desk-language.h — which language a release is written in
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Returns the BCP-47 tag of the language @text (of @len bytes, or -1 for
 * NUL-terminated) is written in: "id", "en", "zh-Hans", "ja", "th", …, or
 * "und" when it cannot be told. Thread-safe. */
char *desk_language_detect (const char *text,
                            gssize      len);

char *desk_language_get_display_name (const char *code);

G_END_DECLS
