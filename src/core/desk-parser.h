/* desk-parser.h — reads the structure of an incoming plain-text release
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The parts of a release, as character (code point) spans of its text.
 * The values are stored in the database: append, never renumber. */
typedef enum {
  DESK_PART_HEADLINE = 1,
  DESK_PART_STANDFIRST = 2,   /* the second paragraph, credit included */
  DESK_PART_CREDIT = 3,       /* "(SeaPRwire) – " at the start of the standfirst */
  DESK_PART_PARAGRAPH = 4,    /* a paragraph of the body */
  DESK_PART_DISCLAIMER = 5,   /* a third-party disclaimer in the end matter */
  DESK_PART_SECTOR = 6,       /* "Sektor: Top Story, Daily News" */
  DESK_PART_ABOUT = 7,        /* the distributor's or issuer's about-paragraph */
} DeskPartKind;

typedef struct {
  DeskPartKind kind;
  guint        start;   /* in characters from the start of the text */
  guint        end;     /* exclusive */
} DeskPart;

typedef struct {
  char    *text;          /* the release as received: no BOM, LF line ends */
  char    *headline;
  char    *standfirst;    /* without the credit; NULL if there is none */
  char    *wire;          /* "SeaPRwire"; NULL if no credit was found */
  char    *language;      /* BCP-47, "und" if unknown */
  char    *content_hash;  /* SHA-256 (hex) of the whitespace-normalised text */
  GStrv    tags;          /* from the sector line; never NULL */
  GArray  *parts;         /* of DeskPart, in text order */
  const char *read_as;    /* "Windows-1252" or "UTF-16" when the file was
                           * not UTF-8 and was read from that; else NULL */
} DeskParsedRelease;

const char        *desk_part_kind_to_string (DeskPartKind kind);
gboolean           desk_part_kind_is_end_matter (DeskPartKind kind);

gboolean           desk_check_text          (const char  *data,
                                             gsize        len,
                                             gsize       *out_skip,
                                             GError     **error);
DeskParsedRelease *desk_parse_release       (const char  *data,
                                             gsize        len,
                                             const char  *display_name,
                                             GError     **error);
DeskParsedRelease *desk_parse_release_text  (const char  *text,
                                             GError     **error);
void               desk_parsed_release_free (DeskParsedRelease *parsed);

char              *desk_content_hash        (const char  *text);

/* A run of bytes of a text: [start, end). */
typedef struct {
  gsize start;
  gsize end;
} DeskByteSpan;

GArray            *desk_split_release       (const char  *text,
                                             gsize        len);
guint              desk_choose_headline     (const char         *text,
                                             const DeskByteSpan *lines,
                                             guint               n_lines);
gboolean           desk_find_headline_line  (const char  *text,
                                             const char  *headline,
                                             const char  *original_headline,
                                             gsize       *out_start,
                                             gsize       *out_end);
char              *desk_dup_body            (const char  *text,
                                             const char  *headline,
                                             const char  *original_headline);
gboolean           desk_is_date_line        (const char  *line,
                                             gsize        len);
gboolean           desk_is_masthead_line    (const char  *line,
                                             gsize        len);
gboolean           desk_is_notice_by_words  (const char  *line,
                                             gsize        len);
gboolean           desk_is_company_line     (const char  *line,
                                             gsize        len,
                                             const char  *next,
                                             gsize        next_len);
gboolean           desk_is_letterhead       (const char  *line,
                                             gsize        len,
                                             const char  *next,
                                             gsize        next_len);
gboolean           desk_is_label_in_capitals (const char *line,
                                              gsize       len,
                                              const char *next,
                                              gsize       next_len);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DeskParsedRelease, desk_parsed_release_free)

G_END_DECLS
