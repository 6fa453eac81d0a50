/* desk-disclosure.h — the label sponsored copy goes out with
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char     *desk_disclosure_label_for_language (const char *language);
GVariant *desk_disclosure_dup_default_labels  (void);

G_END_DECLS
