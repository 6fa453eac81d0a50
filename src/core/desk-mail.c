/* desk-mail.c — e-mail (.eml, mbox) to incoming items, through GMime
 *
 * A message becomes one item: its subject is the headline, its text
 * (text/plain preferred in a multipart/alternative, HTML made text through
 * libxml2's HTML parser otherwise) the body, its sender the author, its
 * Date the time it was sent and its Message-ID the item's own id.  GMime
 * decodes quoted-printable and base64 and converts every charset to UTF-8.
 * Attached .txt and .md files are releases of their own (a press office
 * often sends the release as an attachment under a short note), and so
 * are attached messages (.eml, message/rfc822), read the same way.
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <gmime/gmime.h>
#include <glib/gi18n-lib.h>

#include "desk-error.h"
#include "desk-incoming.h"

/* GMime 3.2 declares no cleanup functions of its own. */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeStream, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeParser, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeMessage, g_object_unref)

/* Attached messages inside attached messages: deeper than any press
 * office sends, and a crafted file stops here. */
#define MAX_NESTING 8

static void
ensure_gmime (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      g_mime_init ();
      g_once_init_leave (&done, 1);
    }
}

static char *
text_part_to_utf8 (GMimePart *part)
{
  if (GMIME_IS_TEXT_PART (part))
    {
      char *text = g_mime_text_part_get_text (GMIME_TEXT_PART (part));

      if (text != NULL && g_utf8_validate (text, -1, NULL))
        return text;
      g_free (text);
    }
  {
    GMimeDataWrapper *content = g_mime_part_get_content (part);
    g_autoptr(GMimeStream) stream = NULL;
    GByteArray *bytes;
    char *text;

    if (content == NULL)
      return NULL;
    stream = g_mime_stream_mem_new ();
    g_mime_data_wrapper_write_to_stream (content, stream);
    bytes = g_mime_stream_mem_get_byte_array (GMIME_STREAM_MEM (stream));
    if (bytes == NULL || bytes->len == 0)
      return g_strdup ("");
    text = g_strndup ((const char *) bytes->data, bytes->len);
    if (!g_utf8_validate (text, -1, NULL))
      {
        /* No charset said, not UTF-8: the e-mail default is Latin-1. */
        char *converted = g_convert (text, -1, "UTF-8", "ISO-8859-1", NULL, NULL, NULL);

        g_free (text);
        text = converted;
      }
    return text;
  }
}

static gboolean
part_is_type (GMimeObject *object,
              const char  *type,
              const char  *subtype)
{
  GMimeContentType *content_type = g_mime_object_get_content_type (object);

  return content_type != NULL && g_mime_content_type_is_type (content_type, type, subtype);
}

static const char *
attachment_name (GMimeObject *object)
{
  if (GMIME_IS_PART (object))
    return g_mime_part_get_filename (GMIME_PART (object));
  return g_mime_object_get_content_disposition_parameter (object, "filename");
}

static gboolean
is_release_attachment_name (const char *name)
{
  g_autofree char *lower = name != NULL ? g_ascii_strdown (name, -1) : NULL;

  return lower != NULL &&
         (g_str_has_suffix (lower, ".txt") || g_str_has_suffix (lower, ".md") ||
          g_str_has_suffix (lower, ".markdown"));
}

typedef struct {
  char      *plain;    /* the first text/plain body part */
  char      *html;     /* the first text/html body part */
  GPtrArray *attached; /* of DeskIncoming */
} Walk;

static void read_message (GMimeMessage *message,
                          GPtrArray    *items,
                          guint         depth);

static void
read_attached_bytes (const char *data,
                     gsize       len,
                     GPtrArray  *items,
                     guint       depth)
{
  g_autoptr(GMimeStream) stream = g_mime_stream_mem_new_with_buffer (data, len);
  g_autoptr(GMimeParser) parser = g_mime_parser_new_with_stream (stream);
  g_autoptr(GMimeMessage) message = g_mime_parser_construct_message (parser, NULL);

  if (message != NULL)
    read_message (message, items, depth);
}

static void
walk_part (GMimeObject *object,
           Walk        *walk,
           guint        depth,
           guint        nesting)
{
  if (nesting > 64)
    return;

  if (GMIME_IS_MESSAGE_PART (object))
    {
      GMimeMessage *inner = g_mime_message_part_get_message (GMIME_MESSAGE_PART (object));

      if (inner != NULL)
        read_message (inner, walk->attached, depth + 1);
      return;
    }

  if (GMIME_IS_MULTIPART (object))
    {
      GMimeMultipart *multipart = GMIME_MULTIPART (object);
      int count = g_mime_multipart_get_count (multipart);

      if (part_is_type (object, "multipart", "alternative"))
        {
          /* One of the alternatives: the plain text if there is one. */
          GMimeObject *chosen = NULL;

          for (int i = 0; i < count && chosen == NULL; i++)
            if (part_is_type (g_mime_multipart_get_part (multipart, i), "text", "plain"))
              chosen = g_mime_multipart_get_part (multipart, i);
          for (int i = count - 1; i >= 0 && chosen == NULL; i--)
            chosen = g_mime_multipart_get_part (multipart, i);
          if (chosen != NULL)
            walk_part (chosen, walk, depth, nesting + 1);
          return;
        }
      for (int i = 0; i < count; i++)
        walk_part (g_mime_multipart_get_part (multipart, i), walk, depth, nesting + 1);
      return;
    }

  if (!GMIME_IS_PART (object))
    return;

  {
    GMimePart *part = GMIME_PART (object);
    const char *name = attachment_name (object);
    g_autofree char *lower = name != NULL ? g_ascii_strdown (name, -1) : NULL;

    if (lower != NULL && g_str_has_suffix (lower, ".eml"))
      {
        GMimeDataWrapper *content = g_mime_part_get_content (part);
        g_autoptr(GMimeStream) stream = g_mime_stream_mem_new ();
        GByteArray *bytes;

        if (content == NULL)
          return;
        g_mime_data_wrapper_write_to_stream (content, stream);
        bytes = g_mime_stream_mem_get_byte_array (GMIME_STREAM_MEM (stream));
        if (bytes == NULL || bytes->len == 0)
          return;
        read_attached_bytes ((const char *) bytes->data, bytes->len, walk->attached, depth + 1);
        return;
      }

    if (is_release_attachment_name (name))
      {
        g_autofree char *text = text_part_to_utf8 (part);

        if (text != NULL && *g_strstrip (text) != '\0')
          {
            DeskIncoming *item = desk_incoming_new ("mail");

            item->body = g_steal_pointer (&text);
            g_ptr_array_add (walk->attached, item);
          }
        return;
      }

    if (g_mime_part_is_attachment (part))
      return;

    if (walk->plain == NULL && part_is_type (object, "text", "plain"))
      walk->plain = text_part_to_utf8 (part);
    else if (walk->html == NULL && part_is_type (object, "text", "html"))
      walk->html = text_part_to_utf8 (part);
  }
}

static char *
address_list_text (InternetAddressList *list)
{
  if (list == NULL || internet_address_list_length (list) == 0)
    return NULL;
  return internet_address_list_to_string (list, NULL, FALSE);
}

static void
read_message (GMimeMessage *message,
              GPtrArray    *items,
              guint         depth)
{
  g_autoptr(DeskIncoming) item = desk_incoming_new ("mail");
  g_autoptr(GPtrArray) attached = g_ptr_array_new_with_free_func ((GDestroyNotify) desk_incoming_free);
  Walk walk = { NULL, NULL, attached };
  GMimeObject *body;
  GDateTime *date;
  const char *id;
  guint attachment = 0;

  if (depth > MAX_NESTING)
    return;

  body = g_mime_message_get_mime_part (message);
  if (body != NULL)
    walk_part (body, &walk, depth, 0);

  item->headline = g_strdup (g_mime_message_get_subject (message));
  if (item->headline != NULL && !g_utf8_validate (item->headline, -1, NULL))
    g_clear_pointer (&item->headline, g_free);
  id = g_mime_message_get_message_id (message);
  if (id != NULL && *id != '\0' && g_utf8_validate (id, -1, NULL))
    item->uid = g_strdup_printf ("<%s>", id);
  item->author = address_list_text (g_mime_message_get_from (message));
  if (item->author != NULL && !g_utf8_validate (item->author, -1, NULL))
    g_clear_pointer (&item->author, g_free);
  date = g_mime_message_get_date (message);
  if (date != NULL)
    item->published_at = g_date_time_to_unix (date) * G_USEC_PER_SEC;

  if (walk.plain != NULL)
    item->body = g_steal_pointer (&walk.plain);
  else if (walk.html != NULL)
    item->body = desk_html_to_text (walk.html, -1);
  g_free (walk.plain);
  g_free (walk.html);

  /* An attachment is its own release, with the message's sender and date
   * and an id of its own beside the message's. */
  for (guint i = 0; i < attached->len; i++)
    {
      DeskIncoming *inner = g_ptr_array_index (attached, i);

      if (g_strcmp0 (inner->kind, "mail") == 0 && inner->uid == NULL && item->uid != NULL)
        inner->uid = g_strdup_printf ("%s#%u", item->uid, ++attachment);
      if (inner->author == NULL)
        inner->author = g_strdup (item->author);
      if (inner->published_at == 0)
        inner->published_at = item->published_at;
    }

  /* A covering note with nothing in it but the attachments is no release. */
  if (item->body != NULL && *g_strstrip (item->body) != '\0')
    g_ptr_array_add (items, g_steal_pointer (&item));
  else if (attached->len == 0 && item->headline != NULL && *g_strstrip (item->headline) != '\0')
    g_ptr_array_add (items, g_steal_pointer (&item));

  for (guint i = 0; i < attached->len; i++)
    g_ptr_array_add (items, g_ptr_array_steal_index (attached, i--));
}

GPtrArray *
desk_mail_parse (const char  *data,
                 gsize        len,
                 gboolean     mbox,
                 GError     **error)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) desk_incoming_free);
  g_autoptr(GMimeStream) stream = NULL;
  g_autoptr(GMimeParser) parser = NULL;
  guint messages = 0;

  ensure_gmime ();

  if (mbox && (len < 5 || memcmp (data, "From ", 5) != 0))
    {
      g_set_error (error, DESK_ERROR, DESK_ERROR_INVALID_INPUT,
                   _("not an mbox file: it does not start with a “From ” line"));
      return NULL;
    }

  stream = g_mime_stream_mem_new_with_buffer (data, len);
  parser = g_mime_parser_new_with_stream (stream);
  g_mime_parser_set_format (parser, mbox ? GMIME_FORMAT_MBOX : GMIME_FORMAT_MESSAGE);

  while (!g_mime_parser_eos (parser))
    {
      g_autoptr(GMimeMessage) message = g_mime_parser_construct_message (parser, NULL);

      if (message == NULL)
        break;
      messages++;
      /* Headers alone are not a message (a text file is read as one
       * header-less body by GMime). */
      if (!mbox && g_mime_object_get_header (GMIME_OBJECT (message), "From") == NULL &&
          g_mime_object_get_header (GMIME_OBJECT (message), "Subject") == NULL &&
          g_mime_object_get_header (GMIME_OBJECT (message), "Message-ID") == NULL)
        {
          g_set_error (error, DESK_ERROR, DESK_ERROR_INVALID_INPUT,
                       _("not an e-mail: it has no From, Subject or Message-ID header"));
          return NULL;
        }
      read_message (message, items, 0);
      if (!mbox)
        break;
    }

  if (messages == 0)
    {
      g_set_error (error, DESK_ERROR, DESK_ERROR_INVALID_INPUT,
                   mbox ? _("the mbox file holds no message") : _("not an e-mail: no message could be read"));
      return NULL;
    }
  if (items->len == 0)
    {
      g_set_error (error, DESK_ERROR, DESK_ERROR_INVALID_INPUT,
                   _("the e-mail has no text: no text part and no .txt, .md or .eml attachment"));
      return NULL;
    }
  return g_steal_pointer (&items);
}
