/* fuzz-mail.c — the e-mail reader (GMime) on any bytes, as .eml and mbox
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
  for (guint mbox = 0; mbox < 2; mbox++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) items = desk_mail_parse ((const char *) data, size, mbox, &error);

      fuzz_check_incoming (items, error);
    }
  return 0;
}
