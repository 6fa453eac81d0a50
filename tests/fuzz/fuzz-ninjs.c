/* fuzz-ninjs.c — the ninjs reader (json-glib) on any bytes
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "desk-incoming.h"
#include "fuzz-common.h"
#include "fuzz-incoming.h"

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  desk_fuzz_setup ();
  return 0;
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = desk_ninjs_parse ((const char *) data, size, &error);

  fuzz_check_incoming (items, error);
  return 0;
}
