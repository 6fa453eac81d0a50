/* desk-wire.c — wire formats to incoming items: IPTC ninjs and NewsML-G2
 *
 * ninjs 1.x names its fields headline, body_text, body_html (body_xhtml in
 * 1.0) and byline; 2.x has headlines and bodies arrays with roles, and
 * "by".  Both have uri, language, urgency, embargoed and copyrightnotice.
 * json-glib reads them.
 *
 * NewsML-G2 is read by libxml2 with the network off and no entity
 * expanded; a file that declares a DOCTYPE at all is refused before its
 * declarations are read, which is what turns away external entities (XXE)
 * and entity bombs ("billion laughs") alike: no NewsML-G2 item needs one.
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <json-glib/json-glib.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <glib/gi18n-lib.h>

#include "desk-error.h"
#include "desk-incoming.h"

/* ninjs */

static const char *
member_string (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* The "value" of the entry of @array with role @role, or of the first. */
static const char *
value_by_role (JsonObject  *object,
               const char  *array_name,
               const char  *role,
               const char **out_type)
{
  JsonNode *node = json_object_get_member (object, array_name);
  JsonArray *array;
  JsonObject *chosen = NULL;

  if (out_type != NULL)
    *out_type = NULL;
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return NULL;
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *entry = json_array_get_element (array, i);
      JsonObject *entry_object;

      if (!JSON_NODE_HOLDS_OBJECT (entry))
        continue;
      entry_object = json_node_get_object (entry);
      if (member_string (entry_object, "value") == NULL)
        continue;
      if (chosen == NULL)
        chosen = entry_object;
      if (role != NULL && g_strcmp0 (member_string (entry_object, "role"), role) == 0)
        {
          chosen = entry_object;
          break;
        }
    }
  if (chosen == NULL)
    return NULL;
  if (out_type != NULL)
    *out_type = member_string (chosen, "contenttype");
  return member_string (chosen, "value");
}

static int
read_urgency (JsonObject *object)
{
  JsonNode *node = json_object_get_member (object, "urgency");

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return 0;
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    {
      gint64 value = json_node_get_int (node);

      return value >= 1 && value <= 9 ? (int) value : 0;
    }
  return 0;
}

static GDateTime *
read_time (const char *text)
{
  if (text == NULL || *text == '\0')
    return NULL;
  /* ISO 8601 with its zone; a bare time is read as UTC, as ninjs says. */
  {
    g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();

    return g_date_time_new_from_iso8601 (text, utc);
  }
}

/* A copy of @text that is valid UTF-8: JSON's \u escapes can spell lone
 * surrogates, which json-glib passes on as bytes no UTF-8 reader takes. */
static char *
dup_valid (const char *text)
{
  return text != NULL ? g_utf8_make_valid (text, -1) : NULL;
}

static DeskIncoming *
ninjs_item (JsonObject  *object,
            GError     **error)
{
  g_autoptr(DeskIncoming) item = desk_incoming_new ("ninjs");
  const char *headline;
  const char *body;
  const char *type = NULL;
  const char *embargoed;
  const char *when;
  gboolean html = FALSE;

  headline = member_string (object, "headline");
  if (headline == NULL)
    headline = value_by_role (object, "headlines", "main", NULL);

  body = member_string (object, "body_text");
  if (body == NULL && (body = member_string (object, "body_html")) != NULL)
    html = TRUE;
  if (body == NULL && (body = member_string (object, "body_xhtml")) != NULL)
    html = TRUE;
  if (body == NULL)
    {
      /* 2.x: the plain text body if there is one, else the HTML one. */
      body = value_by_role (object, "bodies", "text", &type);
      if (body != NULL && type != NULL && strstr (type, "html") != NULL)
        {
          const char *plain = NULL;
          JsonNode *node = json_object_get_member (object, "bodies");
          JsonArray *array = JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;

          for (guint i = 0; array != NULL && i < json_array_get_length (array) && plain == NULL; i++)
            {
              JsonNode *entry = json_array_get_element (array, i);

              if (JSON_NODE_HOLDS_OBJECT (entry) &&
                  g_strcmp0 (member_string (json_node_get_object (entry), "contenttype"), "text/plain") == 0)
                plain = member_string (json_node_get_object (entry), "value");
            }
          if (plain != NULL)
            body = plain;
          else
            html = TRUE;
        }
    }

  if ((headline == NULL || *headline == '\0') && (body == NULL || *body == '\0'))
    {
      g_set_error (error, DESK_ERROR, DESK_ERROR_INVALID_INPUT,
                   _("the ninjs item has neither a headline nor a body"));
      return NULL;
    }

  item->headline = dup_valid (headline);
  if (html)
    {
      g_autofree char *valid = dup_valid (body);

      item->body = desk_html_to_text (valid, -1);
    }
  else
    item->body = dup_valid (body);
  item->uid = dup_valid (member_string (object, "uri"));
  item->language = dup_valid (member_string (object, "language"));
  item->copyright = dup_valid (member_string (object, "copyrightnotice"));
  if (item->copyright != NULL && *item->copyright == '\0')
    g_clear_pointer (&item->copyright, g_free);
  item->author = dup_valid (member_string (object, "byline"));
  if (item->author == NULL)
    {
      JsonNode *by = json_object_get_member (object, "by");

      if (by != NULL && JSON_NODE_HOLDS_VALUE (by) && json_node_get_value_type (by) == G_TYPE_STRING)
        item->author = dup_valid (json_node_get_string (by));
    }
  item->urgency = read_urgency (object);

  embargoed = member_string (object, "embargoed");
  if (embargoed != NULL)
    {
      item->embargo = read_time (embargoed);
      if (item->embargo == NULL)
        {
          g_autofree char *quoted = dup_valid (embargoed);

          g_set_error (error, DESK_ERROR, DESK_ERROR_INVALID_INPUT,
                       _("the ninjs item’s embargo “%s” is not an ISO 8601 time"), quoted);
          return NULL;
        }
    }
  when = member_string (object, "versioncreated");
  if (when == NULL)
    when = member_string (object, "firstcreated");
  {
    g_autoptr(GDateTime) created = read_time (when);

    if (created != NULL)
      item->published_at = g_date_time_to_unix (created) * G_USEC_PER_SEC;
  }
  return g_steal_pointer (&item);
}

/* ninjs nests a few levels; json-glib's parser recurses once per level
 * and runs out of stack on a file of [[[[… long before any other limit. */
#define NINJS_MAX_DEPTH 64

/* How deep @data's arrays and objects nest, strings aside; stops counting
 * past NINJS_MAX_DEPTH. */
static guint
json_depth (const char *data,
            gsize       len)
{
  guint depth = 0, deepest = 0;
  gboolean in_string = FALSE;

  for (gsize i = 0; i < len && deepest <= NINJS_MAX_DEPTH; i++)
    {
      char c = data[i];

      if (in_string)
        {
          if (c == '\\')
            i++;
          else if (c == '"')
            in_string = FALSE;
        }
      else if (c == '"')
        in_string = TRUE;
      else if (c == '[' || c == '{')
        {
          /* Not MAX (deepest, ++depth): the macro counts twice. */
          depth++;
          deepest = MAX (deepest, depth);
        }
      else if ((c == ']' || c == '}') && depth > 0)
        depth--;
    }
  return deepest;
}

GPtrArray *
desk_ninjs_parse (const char  *data,
                  gsize        len,
                  GError     **error)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) desk_incoming_free);
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) json_error = NULL;
  JsonNode *root;
  JsonArray *array = NULL;

  if (json_depth (data, len) > NINJS_MAX_DEPTH)
    {
      g_set_error (error, DESK_ERROR, DESK_ERROR_INVALID_INPUT,
                   _("not ninjs: its JSON nests more than %d levels deep"), NINJS_MAX_DEPTH);
      return NULL;
    }
  if (len > G_MAXSSIZE || !json_parser_load_from_data (parser, data, (gssize) len, &json_error))
    {
      /* json-glib quotes the bytes it stopped at: they need not be UTF-8. */
      g_autofree char *reason = g_utf8_make_valid (json_error != NULL ? json_error->message : "", -1);

      g_set_error (error, DESK_ERROR, DESK_ERROR_INVALID_INPUT, _("not valid JSON: %s"), reason);
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root != NULL && JSON_NODE_HOLDS_ARRAY (root))
    array = json_node_get_array (root);
  else if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
    {
      JsonObject *object = json_node_get_object (root);
      JsonNode *list = json_object_get_member (object, "items");

      if (list != NULL && JSON_NODE_HOLDS_ARRAY (list) && member_string (object, "uri") == NULL)
        array = json_node_get_array (list);
      else
        {
          DeskIncoming *item;

          if (member_string (object, "uri") == NULL && member_string (object, "headline") == NULL &&
              json_object_get_member (object, "headlines") == NULL)
            {
              g_set_error (error, DESK_ERROR, DESK_ERROR_INVALID_INPUT,
                           _("not a ninjs item: it has no uri and no headline"));
              return NULL;
            }
          item = ninjs_item (object, error);
          if (item == NULL)
            return NULL;
          g_ptr_array_add (items, item);
          return g_steal_pointer (&items);
        }
    }
  else
    {
      g_set_error (error, DESK_ERROR, DESK_ERROR_INVALID_INPUT,
                   _("not a ninjs item: the JSON is neither an object nor a list"));
      return NULL;
    }

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      g_autoptr(GError) item_error = NULL;
      DeskIncoming *item;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_set_error (error, DESK_ERROR, DESK_ERROR_INVALID_INPUT,
                       _("ninjs item %u is not a JSON object"), i + 1);
          return NULL;
        }
      item = ninjs_item (json_node_get_object (node), &item_error);
      if (item == NULL)
        {
          g_set_error (error, DESK_ERROR, DESK_ERROR_INVALID_INPUT,
                       _("ninjs item %u: %s"), i + 1, item_error->message);
          return NULL;
        }
      g_ptr_array_add (items, item);
    }
  if (items->len == 0)
    {
      g_set_error (error, DESK_ERROR, DESK_ERROR_INVALID_INPUT, _("the ninjs list holds no item"));
      return NULL;
    }
  return g_steal_pointer (&items);
}

/* NewsML-G2 */

typedef struct {
  gboolean doctype;
} Guard;

static void
refuse_internal_subset (void          *ctx,
                        const xmlChar *name,
                        const xmlChar *external_id,
                        const xmlChar *system_id)
{
  xmlParserCtxtPtr ctxt = ctx;
  Guard *guard = ctxt->_private;

  guard->doctype = TRUE;
  xmlStopParser (ctxt);
}

static void
refuse_entity_decl (void          *ctx,
                    const xmlChar *name,
                    int            type,
                    const xmlChar *public_id,
                    const xmlChar *system_id,
                    xmlChar       *content)
{
  refuse_internal_subset (ctx, name, public_id, system_id);
}

static gboolean
is_element (xmlNode    *node,
            const char *name)
{
  return node != NULL && node->type == XML_ELEMENT_NODE && g_strcmp0 ((const char *) node->name, name) == 0;
}

static xmlNode *
child (xmlNode    *parent,
       const char *name)
{
  for (xmlNode *node = parent != NULL ? parent->children : NULL; node != NULL; node = node->next)
    if (is_element (node, name))
      return node;
  return NULL;
}

static xmlNode *
descendant (xmlNode    *parent,
            const char *name,
            guint       depth)
{
  if (depth > 64)
    return NULL;
  for (xmlNode *node = parent != NULL ? parent->children : NULL; node != NULL; node = node->next)
    {
      xmlNode *found;

      if (is_element (node, name))
        return node;
      if ((found = descendant (node, name, depth + 1)) != NULL)
        return found;
    }
  return NULL;
}

static char *
node_text (xmlNode *node)
{
  xmlChar *content;
  char *text;

  if (node == NULL)
    return NULL;
  content = xmlNodeGetContent (node);
  text = g_strstrip (g_strdup ((const char *) content));
  xmlFree (content);
  if (*text == '\0')
    g_clear_pointer (&text, g_free);
  return text;
}

static char *
node_attribute (xmlNode    *node,
                const char *name)
{
  xmlChar *value;
  char *text;

  if (node == NULL)
    return NULL;
  value = xmlGetProp (node, (const xmlChar *) name);
  text = value != NULL ? g_strdup ((const char *) value) : NULL;
  xmlFree (value);
  return text;
}

/* The markup under @node, as text: one paragraph per block. */
static char *
markup_text (xmlNode *node)
{
  g_autoptr(GString) markup = g_string_new (NULL);
  xmlBufferPtr buffer = xmlBufferCreate ();

  for (xmlNode *n = node->children; n != NULL; n = n->next)
    xmlNodeDump (buffer, node->doc, n, 0, 0);
  g_string_append_len (markup, (const char *) xmlBufferContent (buffer), xmlBufferLength (buffer));
  xmlBufferFree (buffer);
  return desk_html_to_text (markup->str, markup->len);
}

static DeskIncoming *
newsml_item (xmlNode     *news_item,
             GError     **error)
{
  g_autoptr(DeskIncoming) item = desk_incoming_new ("newsml");
  xmlNode *item_meta = child (news_item, "itemMeta");
  xmlNode *content_meta = child (news_item, "contentMeta");
  xmlNode *content_set = child (news_item, "contentSet");
  xmlNode *rights = child (news_item, "rightsInfo");
  g_autofree char *urgency = node_text (child (content_meta, "urgency"));
  g_autofree char *embargoed = node_text (child (item_meta, "embargoed"));
  g_autofree char *created = node_text (child (item_meta, "versionCreated"));
  xmlNode *language = child (content_meta, "language");
  xmlNode *body_node = NULL;

  item->uid = node_attribute (news_item, "guid");
  item->headline = node_text (child (content_meta, "headline"));
  item->author = node_text (child (content_meta, "by"));
  item->copyright = node_text (child (rights, "copyrightNotice"));
  item->language = language != NULL ? node_attribute (language, "tag") : NULL;
  if (item->language == NULL)
    {
      xmlChar *lang = xmlNodeGetLang (news_item);

      item->language = lang != NULL ? g_strdup ((const char *) lang) : NULL;
      xmlFree (lang);
    }
  if (urgency != NULL)
    {
      guint64 value = 0;

      if (g_ascii_string_to_unsigned (urgency, 10, 1, 9, &value, NULL))
        item->urgency = (int) value;
    }
  if (embargoed != NULL)
    {
      item->embargo = read_time (embargoed);
      if (item->embargo == NULL)
        {
          g_set_error (error, DESK_ERROR, DESK_ERROR_INVALID_INPUT,
                       _("the NewsML-G2 item’s embargo “%s” is not an ISO 8601 time"), embargoed);
          return NULL;
        }
    }
  {
    g_autoptr(GDateTime) when = read_time (created);

    if (when != NULL)
      item->published_at = g_date_time_to_unix (when) * G_USEC_PER_SEC;
  }

  /* The text: XHTML or NITF markup, or plain inline data. */
  for (xmlNode *n = content_set != NULL ? content_set->children : NULL; n != NULL && body_node == NULL; n = n->next)
    if (is_element (n, "inlineXML") || is_element (n, "inlineData"))
      body_node = n;
  if (is_element (body_node, "inlineXML"))
    {
      xmlNode *nitf_body = descendant (body_node, "body.content", 0);
      xmlNode *html_body = descendant (body_node, "body", 0);

      item->body = markup_text (nitf_body != NULL ? nitf_body : html_body != NULL ? html_body : body_node);
    }
  else if (body_node != NULL)
    {
      g_autofree char *type = node_attribute (body_node, "contenttype");

      item->body = node_text (body_node);
      if (item->body != NULL && type != NULL && strstr (type, "html") != NULL)
        {
          char *text = desk_html_to_text (item->body, -1);

          g_free (item->body);
          item->body = text;
        }
    }

  if (item->headline == NULL && (item->body == NULL || *item->body == '\0'))
    {
      g_set_error (error, DESK_ERROR, DESK_ERROR_INVALID_INPUT,
                   _("the NewsML-G2 item has neither a headline nor inline content"));
      return NULL;
    }
  return g_steal_pointer (&item);
}

GPtrArray *
desk_newsml_parse (const char  *data,
                   gsize        len,
                   GError     **error)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) desk_incoming_free);
  xmlParserCtxtPtr ctxt;
  xmlDocPtr doc;
  xmlNode *root;
  Guard guard = { FALSE };

  if (len > G_MAXINT)
    {
      g_set_error (error, DESK_ERROR, DESK_ERROR_TOO_LARGE, _("the file is too large"));
      return NULL;
    }

  ctxt = xmlNewParserCtxt ();
  if (ctxt == NULL)
    {
      g_set_error (error, DESK_ERROR, DESK_ERROR_FAILED, _("the XML parser could not start"));
      return NULL;
    }
  ctxt->_private = &guard;
  ctxt->sax->internalSubset = refuse_internal_subset;
  ctxt->sax->entityDecl = refuse_entity_decl;
  doc = xmlCtxtReadMemory (ctxt, data, (int) len, NULL, NULL,
                           XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_NOCDATA);
  if (guard.doctype)
    {
      g_set_error (error, DESK_ERROR, DESK_ERROR_INVALID_INPUT,
                   _("the XML declares a DOCTYPE (entities or an external DTD), which NewsML-G2 does not use: refused"));
      xmlFreeDoc (doc);
      xmlFreeParserCtxt (ctxt);
      return NULL;
    }
  if (doc == NULL || !ctxt->wellFormed)
    {
      xmlErrorPtr xml_error = xmlCtxtGetLastError (ctxt);
      /* libxml2 quotes the bytes it stopped at: they need not be UTF-8. */
      g_autofree char *reason = xml_error != NULL && xml_error->message != NULL
                                ? g_strstrip (g_utf8_make_valid (xml_error->message, -1)) : g_strdup ("");

      if (xml_error != NULL)
        g_set_error (error, DESK_ERROR, DESK_ERROR_INVALID_INPUT,
                     _("not well-formed XML (line %d): %s"), xml_error->line, reason);
      else
        g_set_error (error, DESK_ERROR, DESK_ERROR_INVALID_INPUT, _("not well-formed XML"));
      xmlFreeDoc (doc);
      xmlFreeParserCtxt (ctxt);
      return NULL;
    }
  xmlFreeParserCtxt (ctxt);

  root = xmlDocGetRootElement (doc);
  if (is_element (root, "newsItem"))
    {
      DeskIncoming *item = newsml_item (root, error);

      if (item != NULL)
        g_ptr_array_add (items, item);
    }
  else if (is_element (root, "newsMessage"))
    {
      xmlNode *set = child (root, "itemSet");

      for (xmlNode *n = set != NULL ? set->children : NULL; n != NULL; n = n->next)
        if (is_element (n, "newsItem"))
          {
            DeskIncoming *item = newsml_item (n, error);

            if (item == NULL)
              break;
            g_ptr_array_add (items, item);
          }
      if (items->len == 0 && error != NULL && *error == NULL)
        g_set_error (error, DESK_ERROR, DESK_ERROR_INVALID_INPUT,
                     _("the NewsML-G2 newsMessage holds no newsItem"));
    }
  else
    g_set_error (error, DESK_ERROR, DESK_ERROR_INVALID_INPUT,
                 _("not a NewsML-G2 item: the root element is <%s>, not <newsItem> or <newsMessage>"),
                 root != NULL ? (const char *) root->name : "");
  xmlFreeDoc (doc);

  if (error != NULL && *error != NULL)
    return NULL;
  if (items->len == 0)
    {
      g_set_error (error, DESK_ERROR, DESK_ERROR_INVALID_INPUT, _("the file holds no NewsML-G2 item"));
      return NULL;
    }
  return g_steal_pointer (&items);
}
