/* desk-cleanup.h — the edited copy without the wire furniture
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "desk-detector.h"

G_BEGIN_DECLS

typedef struct {
  char  *text;        /* the cleaned copy */
  GStrv  tags;        /* the sector line's names; never NULL */
  guint  n_removed;   /* how many findings it removed */
} DeskCleanup;

typedef enum {
  DESK_CLEANUP_DEFAULT       = 0,
  DESK_CLEANUP_DROP_DATELINE = 1 << 0,  /* the dateline goes with the credit */
} DeskCleanupFlags;

DeskCleanup *desk_cleanup_apply (const char          *text,
                                 const DeskDetection *detection);
DeskCleanup *desk_cleanup_apply_full (const char          *text,
                                      const DeskDetection *detection,
                                      DeskCleanupFlags     flags);
DeskCleanupFlags desk_cleanup_get_house_flags (void);
DeskCleanup *desk_cleanup_text  (DeskDetector        *detector,
                                 const char          *text,
                                 const char          *language);
void         desk_cleanup_free  (DeskCleanup         *cleanup);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DeskCleanup, desk_cleanup_free)

G_END_DECLS
