/* desk-feed-parser.c — RSS 2.0, RSS 1.0 and Atom 1.0 read into items
 *
 * A feed is untrusted input from the network.  libxml2 reads it with the
 * network off (XML_PARSE_NONET), no external DTD loaded and no entity
 * substituted; a document that declares entities at all is refused before
 * any of them is used, which closes XXE (entities that read files) and
 * billion laughs (entities that expand without end) with one clear error.
 * Content is HTML in most feeds: libxml2's HTML parser reads it, and the
 * walk below keeps its text with paragraph breaks where blocks end.
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/tree.h>

#include "desk-date.h"
#include "desk-error.h"
#include "desk-feed-parser.h"

#define NS_ATOM    "http://www.w3.org/2005/Atom"
#define NS_RSS1    "http://purl.org/rss/1.0/"
#define NS_RDF     "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
#define NS_DC      "http://purl.org/dc/elements/1.1/"
#define NS_CONTENT "http://purl.org/rss/1.0/modules/content/"

void
desk_feed_item_free (DeskFeedItem *item)
{
  if (item == NULL)
    return;
  g_free (item->guid);
  g_free (item->link);
  g_free (item->title);
  g_free (item->text);
  g_free (item->author);
  g_free (item);
}

void
desk_feed_free (DeskFeed *feed)
{
  if (feed == NULL)
    return;
  g_free (feed->title);
  g_clear_pointer (&feed->items, g_ptr_array_unref);
  g_free (feed);
}

static void
ignore_error (void       *data,
              const char *format,
              ...)
{
}

/* libxml2 itself prints what it finds wrong (a feed's broken encoding)
 * on standard error; the errors that matter come back as GErrors.  Its
 * error handler is the calling thread's own. */
static void
init_libxml (void)
{
  static gsize done;

  if (g_once_init_enter (&done))
    {
      xmlInitParser ();
      g_once_init_leave (&done, 1);
    }
  xmlSetGenericErrorFunc (NULL, ignore_error);
}

/* ---- HTML to text -------------------------------------------------------- */

static gboolean
name_is (const xmlNode *node,
         const char    *name)
{
  return node->name != NULL && g_ascii_strcasecmp ((const char *) node->name, name) == 0;
}

static gboolean
is_skipped (const xmlNode *node)
{
  static const char * const skipped[] = { "script", "style", "head", "noscript", "iframe", "template", "svg" };

  for (gsize i = 0; i < G_N_ELEMENTS (skipped); i++)
    if (name_is (node, skipped[i]))
      return TRUE;
  return FALSE;
}

static gboolean
is_block (const xmlNode *node)
{
  static const char * const blocks[] = {
    "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd",
    "tr", "table", "blockquote", "pre", "section", "article", "header", "footer",
    "figure", "figcaption", "hr", "address", "aside", "main", "nav",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (blocks); i++)
    if (name_is (node, blocks[i]))
      return TRUE;
  return FALSE;
}

static void
paragraph_break (GString *out)
{
  while (out->len > 0 && out->str[out->len - 1] == ' ')
    g_string_truncate (out, out->len - 1);
  if (out->len == 0)
    return;
  if (out->str[out->len - 1] != '\n')
    g_string_append_c (out, '\n');
  if (out->len < 2 || out->str[out->len - 2] != '\n')
    g_string_append_c (out, '\n');
}

static void
append_text (GString    *out,
             const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    {
      if (g_ascii_isspace (*p))
        {
          if (out->len > 0 && out->str[out->len - 1] != ' ' && out->str[out->len - 1] != '\n')
            g_string_append_c (out, ' ');
        }
      else if ((guchar) p[0] == 0xC2 && (guchar) p[1] == 0xA0)
        {
          /* a no-break space between words is a space in plain copy */
          if (out->len > 0 && out->str[out->len - 1] != ' ' && out->str[out->len - 1] != '\n')
            g_string_append_c (out, ' ');
          p++;
        }
      else
        g_string_append_c (out, *p);
    }
}

/* Depth is bounded: hostile HTML nests without end. */
#define MAX_DEPTH 256

static void
walk (const xmlNode *node,
      GString       *out,
      guint          depth)
{
  if (depth > MAX_DEPTH)
    return;
  for (const xmlNode *n = node; n != NULL; n = n->next)
    {
      if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE)
        {
          if (n->content != NULL)
            append_text (out, (const char *) n->content);
        }
      else if (n->type == XML_ELEMENT_NODE && !is_skipped (n))
        {
          if (name_is (n, "br"))
            {
              while (out->len > 0 && out->str[out->len - 1] == ' ')
                g_string_truncate (out, out->len - 1);
              g_string_append_c (out, '\n');
            }
          else if (is_block (n))
            {
              paragraph_break (out);
              walk (n->children, out, depth + 1);
              paragraph_break (out);
            }
          else
            walk (n->children, out, depth + 1);
        }
    }
}

static char *
finish_text (GString *out)
{
  g_autoptr(GString) clean = g_string_sized_new (out->len);
  guint newlines = 0;

  /* No spaces at line ends, no more than one empty line in a row. */
  for (gsize i = 0; i < out->len; i++)
    {
      char c = out->str[i];

      if (c == '\n')
        {
          while (clean->len > 0 && clean->str[clean->len - 1] == ' ')
            g_string_truncate (clean, clean->len - 1);
          if (++newlines <= 2 && clean->len > 0)
            g_string_append_c (clean, '\n');
          continue;
        }
      if (c == ' ' && (clean->len == 0 || clean->str[clean->len - 1] == '\n'))
        continue;
      newlines = 0;
      g_string_append_c (clean, c);
    }
  while (clean->len > 0 && g_ascii_isspace (clean->str[clean->len - 1]))
    g_string_truncate (clean, clean->len - 1);
  g_string_free (out, TRUE);
  return g_string_free (g_steal_pointer (&clean), FALSE);
}

/* The text of an HTML fragment, with a paragraph break where a block
 * ends; the markup, scripts and styles go. */
char *
desk_feed_html_to_text (const char *html,
                        gsize       len)
{
  GString *out = g_string_new (NULL);
  htmlDocPtr doc;

  init_libxml ();
  if (len == 0)
    return g_strdup ("");
  if (len > G_MAXINT)
    len = G_MAXINT;
  doc = htmlReadMemory (html, (int) len, NULL, "UTF-8",
                        HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                        HTML_PARSE_RECOVER | HTML_PARSE_NOIMPLIED);
  if (doc != NULL)
    {
      walk (doc->children, out, 0);
      xmlFreeDoc (doc);
    }
  return finish_text (out);
}

/* ---- feeds --------------------------------------------------------------- */

static gboolean
in_ns (const xmlNode *node,
       const char    *href)
{
  if (href == NULL)
    return node->ns == NULL;
  return node->ns != NULL && node->ns->href != NULL && strcmp ((const char *) node->ns->href, href) == 0;
}

static gboolean
element (const xmlNode *node,
         const char    *href,
         const char    *name)
{
  return node->type == XML_ELEMENT_NODE && strcmp ((const char *) node->name, name) == 0 && in_ns (node, href);
}

static char *
node_text (const xmlNode *node)
{
  xmlChar *content = xmlNodeGetContent (node);
  char *text = g_strstrip (g_strdup (content != NULL ? (const char *) content : ""));

  xmlFree (content);
  return text;
}

/* A title or author written with markup or entities in it, as plain text. */
static char *
node_plain_text (const xmlNode *node)
{
  g_autofree char *text = node_text (node);

  if (strchr (text, '<') != NULL || strchr (text, '&') != NULL)
    return desk_feed_html_to_text (text, strlen (text));
  /* Tabs and line ends made spaces, as g_strdelimit() would, without a
   * strchr() of the three for every byte (2.4% of a feed's ingest). */
  for (char *p = text; *p != '\0'; p++)
    if (*p == '\t' || *p == '\r' || *p == '\n')
      *p = ' ';
  return g_steal_pointer (&text);
}

static gint64
read_date (const xmlNode *node)
{
  g_autofree char *text = node_text (node);
  g_autoptr(GDateTime) when = desk_date_parse (text, NULL, FALSE, NULL);

  return when != NULL ? g_date_time_to_unix (when) * G_USEC_PER_SEC : 0;
}

static void
replace (char **field,
         char  *value)
{
  if (value != NULL && *value == '\0')
    g_clear_pointer (&value, g_free);
  if (value == NULL)
    return;
  g_free (*field);
  *field = value;
}

/* Atom's text constructs: text, html or xhtml. */
static char *
atom_text (const xmlNode *node)
{
  g_autofree xmlChar *type = xmlGetProp (node, (const xmlChar *) "type");

  if (type != NULL && strcmp ((const char *) type, "xhtml") == 0)
    {
      GString *out = g_string_new (NULL);

      walk (node->children, out, 0);
      return finish_text (out);
    }
  if (type != NULL && (strcmp ((const char *) type, "html") == 0 ||
                       strcmp ((const char *) type, "text/html") == 0))
    {
      g_autofree char *html = node_text (node);

      return desk_feed_html_to_text (html, strlen (html));
    }
  /* Plain text, with its line ends kept and tidied as HTML's are. */
  {
    g_autofree char *text = node_text (node);

    return finish_text (g_string_new (text));
  }
}

static DeskFeedItem *
read_rss_item (const xmlNode *item_node,
               const char    *ns)
{
  DeskFeedItem *item = g_new0 (DeskFeedItem, 1);
  g_autofree char *description = NULL;
  g_autofree char *encoded = NULL;
  g_autofree xmlChar *about = xmlGetNsProp (item_node, (const xmlChar *) "about", (const xmlChar *) NS_RDF);

  if (about != NULL)
    item->guid = g_strdup ((const char *) about);

  for (const xmlNode *n = item_node->children; n != NULL; n = n->next)
    {
      if (n->type != XML_ELEMENT_NODE)
        continue;
      if (element (n, ns, "title"))
        replace (&item->title, node_plain_text (n));
      else if (element (n, ns, "link"))
        replace (&item->link, node_text (n));
      else if (element (n, ns, "guid") || element (n, NS_DC, "identifier"))
        replace (&item->guid, node_text (n));
      else if (element (n, ns, "description"))
        replace (&description, node_text (n));
      else if (element (n, NS_CONTENT, "encoded"))
        replace (&encoded, node_text (n));
      else if (element (n, ns, "pubDate") || (element (n, NS_DC, "date") && item->published_at == 0))
        item->published_at = read_date (n);
      else if (element (n, ns, "author") || element (n, NS_DC, "creator"))
        replace (&item->author, node_plain_text (n));
      else if (element (n, ns, "source") && item->author == NULL)
        replace (&item->author, node_plain_text (n));
    }

  {
    const char *html = encoded != NULL ? encoded : description;

    item->text = html != NULL ? desk_feed_html_to_text (html, strlen (html)) : g_strdup ("");
  }
  return item;
}

static DeskFeedItem *
read_atom_entry (const xmlNode *entry)
{
  DeskFeedItem *item = g_new0 (DeskFeedItem, 1);
  g_autofree char *content = NULL;
  g_autofree char *summary = NULL;
  gint64 updated = 0;

  for (const xmlNode *n = entry->children; n != NULL; n = n->next)
    {
      if (n->type != XML_ELEMENT_NODE || !in_ns (n, NS_ATOM))
        continue;
      if (element (n, NS_ATOM, "title"))
        {
          g_autofree char *title = atom_text (n);

          replace (&item->title, g_strdup (g_strdelimit (title, "\n", ' ')));
        }
      else if (element (n, NS_ATOM, "id"))
        replace (&item->guid, node_text (n));
      else if (element (n, NS_ATOM, "link"))
        {
          g_autofree xmlChar *rel = xmlGetProp (n, (const xmlChar *) "rel");
          g_autofree xmlChar *href = xmlGetProp (n, (const xmlChar *) "href");

          if (href != NULL && (rel == NULL || strcmp ((const char *) rel, "alternate") == 0))
            replace (&item->link, g_strstrip (g_strdup ((const char *) href)));
        }
      else if (element (n, NS_ATOM, "content"))
        replace (&content, atom_text (n));
      else if (element (n, NS_ATOM, "summary"))
        replace (&summary, atom_text (n));
      else if (element (n, NS_ATOM, "published"))
        item->published_at = read_date (n);
      else if (element (n, NS_ATOM, "updated"))
        updated = read_date (n);
      else if (element (n, NS_ATOM, "author") && item->author == NULL)
        for (const xmlNode *a = n->children; a != NULL; a = a->next)
          if (element (a, NS_ATOM, "name"))
            replace (&item->author, node_plain_text (a));
    }

  if (item->published_at == 0)
    item->published_at = updated;
  item->text = g_strdup (content != NULL ? content : summary != NULL ? summary : "");
  return item;
}

typedef struct {
  gboolean declares_entities;
} Guard;

static void
refuse_entity (void          *ctx,
               const xmlChar *name,
               int            type,
               const xmlChar *public_id,
               const xmlChar *system_id,
               xmlChar       *content)
{
  xmlParserCtxtPtr ctxt = ctx;
  Guard *guard = ctxt->_private;

  guard->declares_entities = TRUE;
  xmlStopParser (ctxt);
}

/* Reads a feed.  @name says where it came from in errors (its URL or
 * file).  Refuses what is not RSS or Atom, what is not well-formed XML
 * and what declares entities, saying which and where. */
DeskFeed *
desk_feed_parse (const char  *data,
                 gsize        len,
                 const char  *name,
                 GError     **error)
{
  g_autoptr(DeskFeed) feed = NULL;
  xmlParserCtxtPtr ctxt;
  xmlDocPtr doc;
  xmlNode *root;
  Guard guard = { FALSE };

  init_libxml ();

  if (len > DESK_FEED_MAX_BYTES)
    {
      g_set_error (error, DESK_ERROR, DESK_ERROR_TOO_LARGE,
                   _("%s is %.1f MB; Copydesk reads feeds of up to %d MB"),
                   name, len / (1024.0 * 1024.0), DESK_FEED_MAX_BYTES / (1024 * 1024));
      return NULL;
    }

  ctxt = xmlCreateMemoryParserCtxt (data, (int) len);
  if (ctxt == NULL)
    {
      g_set_error (error, DESK_ERROR, DESK_ERROR_INVALID_INPUT, _("%s is empty"), name);
      return NULL;
    }
  xmlCtxtUseOptions (ctxt, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
                           XML_PARSE_NOCDATA);
  ctxt->_private = &guard;
  ctxt->sax->entityDecl = refuse_entity;
  ctxt->replaceEntities = 0;
  ctxt->loadsubset = 0;

  xmlParseDocument (ctxt);
  doc = ctxt->myDoc;
  ctxt->myDoc = NULL;

  if (guard.declares_entities)
    {
      g_set_error (error, DESK_ERROR, DESK_ERROR_INVALID_INPUT,
                   _("%s declares XML entities, which Copydesk refuses: they can read files "
                     "or expand without end (XXE, “billion laughs”)"), name);
      xmlFreeDoc (doc);
      xmlFreeParserCtxt (ctxt);
      return NULL;
    }
  if (!ctxt->wellFormed || doc == NULL)
    {
      const xmlError *xml_error = xmlCtxtGetLastError (ctxt);
      g_autofree char *message = g_strstrip (g_strdup (xml_error != NULL && xml_error->message != NULL
                                                       ? xml_error->message : _("unreadable")));

      g_set_error (error, DESK_ERROR, DESK_ERROR_INVALID_INPUT,
                   _("%s is not well-formed XML: line %d: %s"),
                   name, xml_error != NULL ? xml_error->line : 0, message);
      xmlFreeDoc (doc);
      xmlFreeParserCtxt (ctxt);
      return NULL;
    }
  xmlFreeParserCtxt (ctxt);

  feed = g_new0 (DeskFeed, 1);
  feed->items = g_ptr_array_new_with_free_func ((GDestroyNotify) desk_feed_item_free);
  root = xmlDocGetRootElement (doc);

  if (root != NULL && element (root, NULL, "rss"))
    {
      feed->format = DESK_FEED_FORMAT_RSS2;
      for (xmlNode *channel = root->children; channel != NULL; channel = channel->next)
        if (element (channel, NULL, "channel"))
          for (xmlNode *n = channel->children; n != NULL; n = n->next)
            {
              if (element (n, NULL, "title") && feed->title == NULL)
                feed->title = node_plain_text (n);
              else if (element (n, NULL, "item"))
                g_ptr_array_add (feed->items, read_rss_item (n, NULL));
            }
    }
  else if (root != NULL && element (root, NS_RDF, "RDF"))
    {
      feed->format = DESK_FEED_FORMAT_RSS1;
      for (xmlNode *n = root->children; n != NULL; n = n->next)
        {
          if (element (n, NS_RSS1, "channel"))
            {
              for (xmlNode *c = n->children; c != NULL; c = c->next)
                if (element (c, NS_RSS1, "title") && feed->title == NULL)
                  feed->title = node_plain_text (c);
            }
          else if (element (n, NS_RSS1, "item"))
            g_ptr_array_add (feed->items, read_rss_item (n, NS_RSS1));
        }
    }
  else if (root != NULL && element (root, NS_ATOM, "feed"))
    {
      feed->format = DESK_FEED_FORMAT_ATOM;
      for (xmlNode *n = root->children; n != NULL; n = n->next)
        {
          if (element (n, NS_ATOM, "title") && feed->title == NULL)
            feed->title = atom_text (n);
          else if (element (n, NS_ATOM, "entry"))
            g_ptr_array_add (feed->items, read_atom_entry (n));
        }
    }
  else
    {
      g_set_error (error, DESK_ERROR, DESK_ERROR_UNSUPPORTED_TYPE,
                   _("%s is not an RSS or Atom feed (its root element is <%s>)"),
                   name, root != NULL ? (const char *) root->name : "");
      xmlFreeDoc (doc);
      return NULL;
    }

  xmlFreeDoc (doc);
  return g_steal_pointer (&feed);
}
