/* desk-check.h — the pre-publish check: what may be approved and go out
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "desk-detector.h"
#include "desk-store.h"

G_BEGIN_DECLS

/* A headline longer than this many characters is refused, unless the
 * desk's settings say otherwise (headline-max-length). */
#define DESK_HEADLINE_MAX_DEFAULT 200

typedef enum {
  DESK_CHECK_FURNITURE,      /* wire furniture still in the copy: an override may let it go */
  DESK_CHECK_EMPTY_BODY,     /* refused */
  DESK_CHECK_EMPTY_HEADLINE, /* refused */
  DESK_CHECK_LONG_HEADLINE,  /* refused */
} DeskCheckKind;

typedef struct {
  DeskCheckKind  kind;
  char          *message;   /* in the editor's words */
  char          *evidence;  /* the furniture's text, or NULL */
  guint          start;     /* characters of the copy, for furniture */
  guint          end;
} DeskCheckProblem;

typedef struct {
  GPtrArray *problems;       /* of DeskCheckProblem, furniture in text order */
  guint      n_furniture;
  guint      n_refusals;     /* problems no override lets through */
} DeskCheck;

DeskCheck  *desk_check_copy             (DeskDetector *detector,
                                         const char   *headline,
                                         const char   *text,
                                         const char   *language);
DeskCheck  *desk_check_release          (DeskStore    *store,
                                         gint64        release_id,
                                         GError      **error);
gboolean    desk_check_passes           (const DeskCheck *check);
/* Whether @check lets release @release_id's copy be approved or go out
 * (with an override when @overridden); if not, an error that says why. */
/* Whether @reason (an override's) says anything: not NULL, not blank. */
gboolean    desk_check_has_reason       (const char   *reason);
gboolean    desk_check_allows           (const DeskCheck *check,
                                         gint64           release_id,
                                         gboolean         overridden,
                                         GError         **error);
char       *desk_check_describe         (const DeskCheck *check);
void        desk_check_free             (DeskCheck    *check);
guint       desk_check_get_headline_max (void);

gboolean    desk_move_release           (DeskStore    *store,
                                         gint64        release_id,
                                         DeskStatus    to,
                                         const char   *actor,
                                         const char   *note,
                                         const char   *override_reason,
                                         GError      **error);
gint64      desk_publish_release        (DeskStore    *store,
                                         gint64        release_id,
                                         gint64        target_id,
                                         const char   *actor,
                                         const char   *override_reason,
                                         GError      **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DeskCheck, desk_check_free)

G_END_DECLS
