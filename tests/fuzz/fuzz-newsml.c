/* fuzz-newsml.c — the NewsML-G2 reader (libxml2, no DTD, no entities) on
 * any bytes
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

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
  g_autoptr(GPtrArray) items = desk_newsml_parse ((const char *) data, size, &error);

  fuzz_check_incoming (items, error);
  /* Nothing declared in a DOCTYPE is ever read. */
  if (items != NULL)
    g_assert (g_strstr_len ((const char *) data, size, "<!DOCTYPE") == NULL &&
              g_strstr_len ((const char *) data, size, "<!ENTITY") == NULL);
  return 0;
}
