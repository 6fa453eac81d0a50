/* desk-window-copies.c — the list says when a story came from several wires
 *
 * A release with copies (desk-copies.c) says so in its row: how many, and
 * from which sources, so that the editor sees one story where the list
 * holds its copies.
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "desk-copies.h"
#include "desk-window-private.h"

/* "3 copies: SeaPRwire, PR Newswire", or NULL when @release_id has no
 * copies. */
char *
_desk_window_describe_copies (DeskWindow *self,
                              gint64      release_id)
{
  DeskStore *store = _desk_window_get_store (self);
  g_autoptr(GPtrArray) copies = NULL;
  g_autoptr(GPtrArray) sources = NULL;
  g_autofree char *joined = NULL;

  if (store == NULL || desk_store_count_copies (store, release_id, NULL) < 2)
    return NULL;
  copies = desk_store_list_copies (store, release_id, NULL);
  if (copies == NULL || copies->len < 2)
    return NULL;

  sources = g_ptr_array_new ();
  for (guint i = 0; i < copies->len; i++)
    {
      DeskCopy *copy = g_ptr_array_index (copies, i);
      const char *source = copy->source != NULL && *copy->source != '\0' ? copy->source : _("No wire");
      gboolean seen = FALSE;

      for (guint j = 0; j < sources->len && !seen; j++)
        seen = g_str_equal (g_ptr_array_index (sources, j), source);
      if (!seen)
        g_ptr_array_add (sources, (gpointer) source);
    }
  g_ptr_array_add (sources, NULL);
  joined = g_strjoinv (", ", (char **) sources->pdata);
  /* Translators: "3 copies: SeaPRwire, PR Newswire" in a release's row */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u copy: %s", "%u copies: %s", copies->len),
                          copies->len, joined);
}
