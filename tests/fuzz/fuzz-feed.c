/* fuzz-feed.c — the feed parser, HTML to text, dates and embargoes on any bytes
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "desk-date.h"
#include "desk-feed-parser.h"
#include "desk-source.h"
#include "fuzz-common.h"

#include <string.h>

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  desk_fuzz_setup ();
  return 0;
}

static void
check_text (const char *text)
{
  g_assert (text == NULL || g_utf8_validate (text, -1, NULL));
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskFeed) feed = desk_feed_parse ((const char *) data, size, "fuzz.xml", &error);
  g_autofree char *text = desk_fuzz_dup_text (data, size);

  /* Either a feed or an error that names the input, never both or neither. */
  g_assert ((feed == NULL) != (error == NULL));
  if (feed == NULL)
    g_assert (strstr (error->message, "fuzz.xml") != NULL);
  else
    {
      check_text (feed->title);
      for (guint i = 0; i < feed->items->len; i++)
        {
          DeskFeedItem *item = g_ptr_array_index (feed->items, i);

          g_assert (item->text != NULL);
          check_text (item->title);
          check_text (item->text);
          check_text (item->guid);
          check_text (item->link);
          check_text (item->author);
          /* What the walk writes has no spaces at line ends and no run of
           * more than one empty line. */
          g_assert (strstr (item->text, " \n") == NULL);
          g_assert (strstr (item->text, "\n\n\n") == NULL);
        }
    }

  /* The same bytes as an HTML fragment, a date and the top of a release. */
  {
    g_autofree char *plain = desk_feed_html_to_text ((const char *) data, size);
    g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
    g_autoptr(GDateTime) when = desk_date_parse (text, utc, FALSE, NULL);
    g_autofree char *zone = NULL;
    gboolean hold = FALSE;
    g_autoptr(GDateTime) embargo = desk_source_find_embargo (text, utc, &zone, &hold);

    g_assert (plain != NULL);
    g_assert (embargo == NULL || !hold);
    check_text (zone);
  }
  return 0;
}
