/* desk-i18n.h — where the programs find their translations
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

void desk_i18n_init (void);

G_END_DECLS
