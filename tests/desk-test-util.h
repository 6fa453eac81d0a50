/* desk-test-util.h — what several test programs need
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

void desk_test_remove_tree (const char *dir);

G_END_DECLS
