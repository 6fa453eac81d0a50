/* desk-incoming.c — items read from e-mail and wire formats, and HTML to text
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include "desk-incoming.h"

DeskIncoming *
desk_incoming_new (const char *kind)
{
  DeskIncoming *item = g_new0 (DeskIncoming, 1);

  item->kind = g_strdup (kind);
  return item;
}

void
desk_incoming_free (DeskIncoming *item)
{
  if (item == NULL)
    return;
  g_free (item->kind);
  g_free (item->uid);
  g_free (item->headline);
  g_free (item->body);
  g_free (item->author);
  g_free (item->language);
  g_free (item->copyright);
  g_clear_pointer (&item->embargo, g_date_time_unref);
  g_free (item);
}

/* The release as the plain-text parser reads it: the headline as its own
 * first paragraph, then the body. */
char *
desk_incoming_dup_text (const DeskIncoming *item)
{
  g_autofree char *headline = g_strstrip (g_strdup (item->headline != NULL ? item->headline : ""));
  g_autofree char *body = g_strstrip (g_strdup (item->body != NULL ? item->body : ""));

  /* A headline on several lines is still one paragraph. */
  g_strdelimit (headline, "\r\n\t", ' ');
  if (*headline == '\0')
    return g_steal_pointer (&body);
  if (*body == '\0')
    return g_steal_pointer (&headline);
  return g_strconcat (headline, "\n\n", body, NULL);
}

DeskParsedRelease *
desk_incoming_parse (const DeskIncoming  *item,
                     GError             **error)
{
  g_autofree char *text = desk_incoming_dup_text (item);
  DeskParsedRelease *parsed = desk_parse_release_text (text, error);

  if (parsed != NULL && item->language != NULL && *item->language != '\0' &&
      strlen (item->language) < 36 && g_utf8_validate (item->language, -1, NULL))
    {
      g_free (parsed->language);
      parsed->language = g_strdup (item->language);
    }
  return parsed;
}

char *
desk_incoming_dup_source_uid (const DeskIncoming *item)
{
  if (item->uid == NULL || *item->uid == '\0')
    return NULL;
  return g_strdup_printf ("%s:%s", item->kind, item->uid);
}

static gboolean
has_suffix (const char         *name,
            const char * const *suffixes)
{
  g_autofree char *lower = g_ascii_strdown (name, -1);

  for (guint i = 0; suffixes[i] != NULL; i++)
    if (g_str_has_suffix (lower, suffixes[i]))
      return TRUE;
  return FALSE;
}

gboolean
desk_incoming_is_mail_name (const char *name)
{
  static const char * const suffixes[] = { ".eml", ".mbox", NULL };

  return has_suffix (name, suffixes);
}

gboolean
desk_incoming_is_wire_name (const char *name)
{
  static const char * const suffixes[] = { ".json", ".ninjs", ".xml", ".newsml", NULL };

  return has_suffix (name, suffixes);
}

/* HTML to text. */

static gboolean
is_block (const char *name)
{
  static const char * const blocks[] = {
    "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd",
    "blockquote", "pre", "table", "tr", "section", "article", "header", "footer",
    "aside", "figure", "figcaption", "hr", "address", "body", "html", "main", "nav",
    NULL
  };

  return g_strv_contains (blocks, name);
}

static void
paragraph_break (GString *out)
{
  if (out->len == 0)
    return;
  while (out->len > 0 && (out->str[out->len - 1] == ' ' || out->str[out->len - 1] == '\n'))
    g_string_truncate (out, out->len - 1);
  if (out->len > 0)
    g_string_append (out, "\n\n");
}

static void
append_text (GString    *out,
             const char *text,
             gboolean    pre)
{
  if (pre)
    {
      g_string_append (out, text);
      return;
    }
  for (const char *p = text; *p != '\0'; p++)
    {
      gboolean space = *p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\f';

      if (space)
        {
          if (out->len > 0 && out->str[out->len - 1] != ' ' && out->str[out->len - 1] != '\n')
            g_string_append_c (out, ' ');
        }
      else
        g_string_append_c (out, *p);
    }
}

static void
walk (xmlNode *node,
      GString *out,
      gboolean pre,
      guint    depth)
{
  /* Deeper than any real page: the rest is read flat. */
  for (; node != NULL; node = node->next)
    {
      const char *name = (const char *) node->name;

      if (node->type == XML_TEXT_NODE || node->type == XML_CDATA_SECTION_NODE)
        {
          if (node->content != NULL)
            append_text (out, (const char *) node->content, pre);
          continue;
        }
      if (node->type != XML_ELEMENT_NODE || name == NULL)
        continue;
      if (g_ascii_strcasecmp (name, "script") == 0 || g_ascii_strcasecmp (name, "style") == 0 ||
          g_ascii_strcasecmp (name, "head") == 0 || g_ascii_strcasecmp (name, "title") == 0 ||
          g_ascii_strcasecmp (name, "template") == 0 || g_ascii_strcasecmp (name, "noscript") == 0)
        continue;
      if (g_ascii_strcasecmp (name, "br") == 0)
        {
          while (out->len > 0 && out->str[out->len - 1] == ' ')
            g_string_truncate (out, out->len - 1);
          g_string_append_c (out, '\n');
          continue;
        }
      if (is_block (name))
        paragraph_break (out);
      if (depth < 256)
        walk (node->children, out, pre || g_ascii_strcasecmp (name, "pre") == 0, depth + 1);
      if (is_block (name))
        paragraph_break (out);
    }
}

char *
desk_html_to_text (const char *html,
                   gssize      len)
{
  g_autoptr(GString) out = g_string_new (NULL);
  htmlDocPtr doc;

  if (len < 0)
    len = strlen (html);
  if (len == 0 || len > G_MAXINT)
    return g_strdup ("");

  doc = htmlReadMemory (html, (int) len, NULL, "UTF-8",
                        HTML_PARSE_RECOVER | HTML_PARSE_NONET | HTML_PARSE_NOERROR |
                        HTML_PARSE_NOWARNING | HTML_PARSE_NOBLANKS | HTML_PARSE_NOIMPLIED);
  if (doc == NULL)
    return g_strdup ("");
  walk (doc->children, out, FALSE, 0);
  xmlFreeDoc (doc);

  /* Lines trimmed, no more than one blank line in a row. */
  {
    g_auto(GStrv) lines = g_strsplit (out->str, "\n", -1);
    g_autoptr(GString) clean = g_string_new (NULL);
    guint blank = 0;

    for (guint i = 0; lines[i] != NULL; i++)
      {
        char *line = g_strstrip (lines[i]);

        if (*line == '\0')
          {
            blank++;
            continue;
          }
        if (clean->len > 0)
          g_string_append (clean, blank > 0 ? "\n\n" : "\n");
        g_string_append (clean, line);
        blank = 0;
      }
    return g_string_free (g_steal_pointer (&clean), FALSE);
  }
}
