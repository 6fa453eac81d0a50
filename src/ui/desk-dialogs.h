/* desk-dialogs.h — dialogs made from the .ui files in the resource
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

GtkBuilder       *desk_builder_new_from_resource (const char *name,
                                                  const char *first_callback_name,
                                                  ...);
AdwMessageDialog *desk_error_dialog_present      (GtkWindow  *parent,
                                                  const char *heading,
                                                  const char *message);

G_END_DECLS
