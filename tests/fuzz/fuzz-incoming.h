/* fuzz-incoming.h — what every item an e-mail or wire parser returns must be
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <string.h>

#include "desk-incoming.h"

/* Every string valid UTF-8, the urgency in range, and the release text
 * one the plain-text parser takes. */
static inline void
fuzz_check_incoming (GPtrArray    *items,
                     const GError *error)
{
  g_assert ((items == NULL) == (error != NULL));
  if (items == NULL)
    {
      g_assert (error->message != NULL && g_utf8_validate (error->message, -1, NULL));
      return;
    }
  g_assert (items->len > 0);
  for (guint i = 0; i < items->len; i++)
    {
      const DeskIncoming *item = g_ptr_array_index (items, i);
      g_autofree char *text = desk_incoming_dup_text (item);
      const char *strings[] = { item->kind, item->uid, item->headline, item->body, item->author,
                                item->language, item->copyright };

      g_assert (item->kind != NULL);
      for (guint s = 0; s < G_N_ELEMENTS (strings); s++)
        g_assert (strings[s] == NULL || g_utf8_validate (strings[s], -1, NULL));
      g_assert (item->urgency >= 0 && item->urgency <= 9);
      g_assert (text != NULL && g_utf8_validate (text, -1, NULL));
      if (*text != '\0')
        {
          g_autoptr(DeskParsedRelease) parsed = desk_incoming_parse (item, NULL);

          (void) parsed;
        }
    }
}
