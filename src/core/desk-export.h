/* desk-export.h — approved copy as files: text, Markdown, HTML, ninjs
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "desk-store.h"

G_BEGIN_DECLS

typedef enum {
  DESK_EXPORT_TEXT,
  DESK_EXPORT_MARKDOWN,
  DESK_EXPORT_HTML,
  DESK_EXPORT_NINJS,
} DeskExportFormat;

#define DESK_N_EXPORT_FORMATS (DESK_EXPORT_NINJS + 1)

/* IPTC genres for sponsored and third-party copy. */
#define DESK_GENRE_SPONSORED     "http://cv.iptc.org/newscodes/genre/Sponsored"
#define DESK_GENRE_PRESS_RELEASE "http://cv.iptc.org/newscodes/genre/Press_Release"

/* Longest slug made from a headline, in bytes. */
#define DESK_SLUG_MAX 60

/* A release's approved copy, exactly as approved: what export and
 * publishing send out, and nothing else. */
typedef struct {
  gint64       release_id;
  DeskStatus   status;
  char        *headline;        /* the approved revision's */
  char        *original_headline; /* as received: the body never repeats it either */
  char        *text;            /* the approved revision's text, byte for byte */
  char        *sha256;          /* its SHA-256, as the release names it */
  guint        revision_number;
  char        *standfirst;      /* the approved text's, or NULL */
  char        *language;
  char        *wire;            /* or NULL */
  char        *content_hash;    /* of the original: the release's identity */
  GStrv        tags;            /* never NULL */
  DeskVerdict  disclosure;      /* NONE, or what the copy must be labelled as */
  char        *disclosure_label; /* NULL when disclosure is NONE */
  gint64       approved_at;     /* µs since the epoch */
  gint64       received_at;
  char        *embargoed;       /* ISO 8601 with the zone it was stated in, or NULL */
} DeskApprovedCopy;

gboolean          desk_export_format_from_string    (const char       *name,
                                                     DeskExportFormat *out_format);
const char       *desk_export_format_get_extension  (DeskExportFormat  format);

char             *desk_approved_copy_dup_sha256     (DeskStore        *store,
                                                     gint64            release_id,
                                                     GError          **error);
DeskApprovedCopy *desk_approved_copy_load           (DeskStore        *store,
                                                     gint64            release_id,
                                                     GError          **error);
DeskApprovedCopy *desk_approved_copy_new            (DeskRelease      *release,
                                                     const DeskRevision *revision,
                                                     gint64            approved_at,
                                                     const char       *embargoed,
                                                     GError          **error);
void              desk_approved_copy_free           (DeskApprovedCopy *copy);

char             *desk_slug_from_headline           (const char       *headline,
                                                     gsize             max_len);
char             *desk_approved_copy_dup_slug       (const DeskApprovedCopy *copy);
char             *desk_approved_copy_dup_file_stem  (const DeskApprovedCopy *copy);

char             *desk_export_render                (const DeskApprovedCopy *copy,
                                                     DeskExportFormat  format);
char             *desk_export_render_html_body      (const DeskApprovedCopy *copy);
char             *desk_approved_copy_dup_body       (const DeskApprovedCopy *copy);
char             *desk_html_escape                  (const char       *text);

char             *desk_export_to_folder             (DeskStore        *store,
                                                     gint64            release_id,
                                                     DeskExportFormat  format,
                                                     const char       *folder,
                                                     GError          **error);
char             *desk_export_default_folder        (void);
char             *desk_export_copy_to_folder        (const DeskApprovedCopy *copy,
                                                     DeskExportFormat  format,
                                                     const char       *folder,
                                                     GError          **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DeskApprovedCopy, desk_approved_copy_free)

G_END_DECLS
