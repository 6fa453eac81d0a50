/* desk-cleanup.c — the edited copy without the wire furniture
 *
 * A clean-up removes what the detector found and may remove — the wire
 * credit, the disclaimer, the sector line, the distributor's boilerplate —
 * and leaves every other byte as it was, so that the diff shows exactly
 * what went.  A paragraph goes with the line break that separated it from
 * the next one; end matter at the very end goes with the break before it,
 * so the copy ends where the story ends.
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "desk-cleanup.h"
#include "desk-settings.h"

typedef struct {
  gsize    start;
  gsize    end;
  gboolean paragraph;
} Cut;

static int
compare_cuts (gconstpointer a,
              gconstpointer b)
{
  const Cut *x = a;
  const Cut *y = b;

  if (x->start != y->start)
    return x->start < y->start ? -1 : 1;
  return x->end < y->end ? -1 : x->end > y->end;
}

static gboolean
is_blank_byte (char c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

void
desk_cleanup_free (DeskCleanup *cleanup)
{
  if (cleanup == NULL)
    return;
  g_free (cleanup->text);
  g_strfreev (cleanup->tags);
  g_free (cleanup);
}

/* Removes @detection's removable findings from @text, the text they were
 * found in, keeping the dateline. */
DeskCleanup *
desk_cleanup_apply (const char          *text,
                    const DeskDetection *detection)
{
  return desk_cleanup_apply_full (text, detection, DESK_CLEANUP_DEFAULT);
}

static gboolean
is_dash_at (const char *p)
{
  gunichar c = g_utf8_get_char (p);

  return c == '-' || (c >= 0x2010 && c <= 0x2015) || c == 0x2212;
}

/* The house's choice (the cleanup-keeps-dateline setting): keep the
 * dateline unless it says otherwise. */
DeskCleanupFlags
desk_cleanup_get_house_flags (void)
{
  g_autoptr(GSettings) settings = desk_settings_new_if_installed ("cleanup-keeps-dateline");

  if (settings != NULL && !g_settings_get_boolean (settings, "cleanup-keeps-dateline"))
    return DESK_CLEANUP_DROP_DATELINE;
  return DESK_CLEANUP_DEFAULT;
}

static guint
newlines_in (const char *text,
             gsize       start,
             gsize       end)
{
  guint n = 0;

  for (gsize i = start; i < end; i++)
    n += text[i] == '\n';
  return n;
}

/* Removes @detection's removable findings from @text; with
 * DESK_CLEANUP_DROP_DATELINE, the dateline before a credit and the dash
 * after it go too ("COLUMBUS, Ohio, April 8 /PRNewswire/ -- Acme" →
 * "Acme"). */
DeskCleanup *
desk_cleanup_apply_full (const char          *text,
                         const DeskDetection *detection,
                         DeskCleanupFlags     flags)
{
  g_autoptr(GArray) cuts = g_array_new (FALSE, FALSE, sizeof (Cut));
  DeskCleanup *cleanup = g_new0 (DeskCleanup, 1);
  gsize len = strlen (text);
  GString *out;
  gsize pos = 0;
  const char *chars_at = text;
  guint chars = 0;

  g_return_val_if_fail (detection != NULL, NULL);

  cleanup->tags = g_strdupv (detection->tags != NULL ? detection->tags : (GStrv) (const char *[]) { NULL });

  /* Character spans to bytes, in one walk: findings are in text order. */
  for (guint i = 0; i < detection->findings->len; i++)
    {
      const DeskFinding *f = g_ptr_array_index (detection->findings, i);
      Cut cut;

      if (!f->removable || f->start < chars)
        continue;
      /* The headline is never furniture (desk_choose_headline()). */
      if (detection->headline_end > detection->headline_start &&
          f->start < detection->headline_end && f->end > detection->headline_start)
        continue;
      chars_at = g_utf8_offset_to_pointer (chars_at, f->start - chars);
      chars = f->start;
      cut.start = (gsize) (chars_at - text);
      chars_at = g_utf8_offset_to_pointer (chars_at, f->end - chars);
      chars = f->end;
      cut.end = (gsize) (chars_at - text);
      if (cut.end > len)
        break;
      if ((flags & DESK_CLEANUP_DROP_DATELINE) && f->kind == DESK_FINDING_CREDIT)
        {
          while (cut.start > 0 && text[cut.start - 1] != '\n')
            cut.start--;
          while (cut.end < len && (text[cut.end] == ' ' || text[cut.end] == '\t' || is_dash_at (text + cut.end)))
            cut.end = (gsize) (g_utf8_next_char (text + cut.end) - text);
        }
      /* A credit alone on its line ("(ots)") goes as a paragraph does. */
      cut.paragraph = f->kind != DESK_FINDING_CREDIT ||
                      ((cut.start == 0 || text[cut.start - 1] == '\n') &&
                       (cut.end >= len || text[cut.end] == '\n'));
      g_array_append_val (cuts, cut);
      cleanup->n_removed++;
    }
  g_array_sort (cuts, compare_cuts);

  /* Whole paragraphs take a line break with them. */
  for (guint i = 0; i < cuts->len; i++)
    {
      Cut *cut = &g_array_index (cuts, Cut, i);
      gsize next;
      gsize before;

      if (!cut->paragraph)
        continue;

      /* A run of removed paragraphs, separated by white space only. */
      while (i + 1 < cuts->len)
        {
          Cut *following = &g_array_index (cuts, Cut, i + 1);
          gsize gap = cut->end;

          while (gap < following->start && is_blank_byte (text[gap]))
            gap++;
          if (!following->paragraph || gap != following->start)
            break;
          cut->end = following->end;
          g_array_remove_index (cuts, i + 1);
        }

      next = cut->end;
      before = cut->start;
      while (next < len && is_blank_byte (text[next]))
        next++;
      if (next < len && before >= 2 && text[before - 1] == '\n' && !is_blank_byte (text[before - 2]) &&
          newlines_in (text, cut->end, next) >= 2)
        {
          /* The last lines of a block before a blank line ("headline\n
           * sub-headline\n\nstory"): the line break before them goes, the
           * blank line after them stays between the paragraphs. */
          cut->start = before - 1;
        }
      else if (next < len)
        {
          /* Up to the line the next paragraph starts on, keeping its
           * indentation. */
          while (next > cut->end && text[next - 1] != '\n')
            next--;
          cut->end = next;
        }
      else
        {
          while (before > 0 && is_blank_byte (text[before - 1]))
            before--;
          cut->start = before > 0 ? before : cut->start;
        }
    }

  out = g_string_sized_new (len);
  for (guint i = 0; i < cuts->len; i++)
    {
      const Cut *cut = &g_array_index (cuts, Cut, i);

      if (cut->start < pos)
        {
          pos = MAX (pos, cut->end);
          continue;
        }
      g_string_append_len (out, text + pos, (gssize) (cut->start - pos));
      pos = cut->end;
    }
  if (pos < len)
    g_string_append_len (out, text + pos, (gssize) (len - pos));

  cleanup->text = g_string_free (out, FALSE);
  return cleanup;
}

/* Reads @text for the wire furniture and removes it. */
DeskCleanup *
desk_cleanup_text (DeskDetector *detector,
                   const char   *text,
                   const char   *language)
{
  g_autoptr(DeskDetection) detection = NULL;

  g_return_val_if_fail (DESK_IS_DETECTOR (detector), NULL);
  g_return_val_if_fail (text != NULL, NULL);

  detection = desk_detector_detect (detector, text, language);
  return desk_cleanup_apply_full (text, detection, desk_cleanup_get_house_flags ());
}
