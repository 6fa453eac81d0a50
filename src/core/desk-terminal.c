/* desk-terminal.c — text made safe to show in a terminal
 *
 * A headline or a file name comes from whoever wrote the release, and a
 * terminal obeys what it is sent: ESC ] 0 ; … BEL retitles the window,
 * ESC [ 2 J clears the screen, a right-to-left override makes a file
 * name read backwards.  What the CLI prints for people passes through
 * here; what it prints for programs (--json) does not, and stays exact.
 *
 * C0 controls and DEL are shown in caret notation (ESC as "^[", BEL as
 * "^G", DEL as "^?"), as less and cat -v do; C1 controls and the bidi
 * controls as "<U+202E>"; bytes that are not UTF-8 as U+FFFD.  Tabs are
 * kept, and line feeds when asked for.
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "desk-terminal.h"

static gboolean
is_bidi_control (gunichar c)
{
  return c == 0x061C ||                   /* ARABIC LETTER MARK */
         c == 0x200E || c == 0x200F ||    /* LRM, RLM */
         (c >= 0x202A && c <= 0x202E) ||  /* LRE, RLE, PDF, LRO, RLO */
         (c >= 0x2066 && c <= 0x2069);    /* LRI, RLI, FSI, PDI */
}

/* Whether @text may need escaping: a control byte, or the first byte of
 * a C1 control (0xC2), of U+061C (0xD8) or of a bidi control (0xE2), or
 * bytes that are not UTF-8.  Most text has none, and is copied as it is. */
static gboolean
may_need_escaping (const char *text,
                   gsize       len,
                   gboolean    keep_newlines)
{
  for (gsize i = 0; i < len; i++)
    {
      guchar b = (guchar) text[i];

      if ((b < 0x20 && b != '\t' && !(b == '\n' && keep_newlines)) ||
          b == 0x7F || b == 0xC2 || b == 0xD8 || b == 0xE2)
        return TRUE;
    }
  return !g_utf8_validate_len (text, len, NULL);
}

/* A copy of @text (@len bytes, or up to its NUL if @len is negative) that
 * a terminal shows as text and obeys nothing in. */
char *
desk_terminal_escape (const char *text,
                      gssize      len,
                      gboolean    keep_newlines)
{
  const char *p;
  const char *end;
  GString *out;

  if (text == NULL)
    return NULL;
  if (len < 0)
    len = (gssize) strlen (text);
  if (!may_need_escaping (text, (gsize) len, keep_newlines))
    return g_strndup (text, (gsize) len);

  out = g_string_sized_new ((gsize) len + 1);
  p = text;
  end = text + len;
  while (p < end)
    {
      const char *run = p;
      gunichar c;

      /* Printable ASCII, and the characters that merely share a lead
       * byte with the ones shown as codes, go out as one run, not one
       * append a character: a long text needs escaping as soon as it
       * holds one dash (U+2013 starts with 0xE2). */
      while (p < end)
        {
          guchar b = (guchar) *p;

          if (b >= 0x20 && b < 0x7F)
            p++;
          else if ((b == '\n' && keep_newlines) || b == '\t')
            p++;
          else if (b >= 0x80)
            {
              c = g_utf8_get_char_validated (p, end - p);
              if (c == (gunichar) -1 || c == (gunichar) -2 ||
                  (c >= 0x80 && c <= 0x9F) || is_bidi_control (c))
                break;
              p = g_utf8_next_char (p);
            }
          else
            break;
        }
      if (p > run)
        g_string_append_len (out, run, p - run);
      if (p >= end)
        break;

      c = g_utf8_get_char_validated (p, end - p);
      if (c == (gunichar) -1 || c == (gunichar) -2)
        {
          g_string_append_unichar (out, 0xFFFD);
          p++;
          continue;
        }

      if (c < 0x20)
        {
          g_string_append_c (out, '^');
          g_string_append_c (out, (char) (c + 0x40));
        }
      else if (c == 0x7F)
        g_string_append (out, "^?");
      else
        g_string_append_printf (out, "<U+%04X>", c);

      p = g_utf8_next_char (p);
    }

  return g_string_free (out, FALSE);
}

/* desk_terminal_escape() of @text appended to @out, without a copy of its
 * own when there is nothing to escape (a long listing, line by line). */
void
desk_terminal_append_escaped (GString    *out,
                              const char *text,
                              gboolean    keep_newlines)
{
  gsize len;

  if (text == NULL)
    return;
  len = strlen (text);
  if (!may_need_escaping (text, len, keep_newlines))
    g_string_append_len (out, text, (gssize) len);
  else
    {
      g_autofree char *escaped = desk_terminal_escape (text, (gssize) len, keep_newlines);

      g_string_append (out, escaped);
    }
}
