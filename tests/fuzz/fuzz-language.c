/* fuzz-language.c — language identification on any bytes
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "desk-language.h"
#include "fuzz-common.h"

#include <string.h>

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  desk_fuzz_setup ();
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *valid = g_utf8_make_valid ((const char *) data, size);
  g_autofree char *raw = NULL;
  g_autofree char *tag = NULL;

  /* As the parser calls it: valid UTF-8 of a given length… */
  tag = desk_language_detect (valid, (gssize) strlen (valid));
  g_assert (tag != NULL && tag[0] != '\0');
  g_assert (g_utf8_validate (tag, -1, NULL));

  /* …and as its header allows: a NUL-terminated string. */
  raw = desk_fuzz_dup_text (data, size);
  if (g_utf8_validate (raw, -1, NULL))
    {
      g_autofree char *again = desk_language_detect (raw, -1);

      /* The same text is the same language, however it is passed. */
      g_assert (again != NULL);
      if (strcmp (raw, valid) == 0)
        g_assert_cmpstr (again, ==, tag);
    }
  return 0;
}
