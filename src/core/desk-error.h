/* desk-error.h — Copydesk's error domain
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define DESK_ERROR (desk_error_quark ())

typedef enum {
  DESK_ERROR_FAILED,
  DESK_ERROR_NOT_FOUND,
  DESK_ERROR_INVALID_INPUT,
  DESK_ERROR_TOO_LARGE,
  DESK_ERROR_UNSUPPORTED_TYPE,
  DESK_ERROR_ILLEGAL_TRANSITION,
  DESK_ERROR_DATABASE,
  DESK_ERROR_SCHEMA_TOO_NEW,
  DESK_ERROR_DUPLICATE,
  DESK_ERROR_BATCH_ABORTED,
  DESK_ERROR_NOT_APPROVED,      /* only approved copy goes out */
  DESK_ERROR_NOT_AS_APPROVED,   /* the text differs from what was approved */
  DESK_ERROR_DISCLOSURE,        /* flagged copy without its label */
  DESK_ERROR_REJECTED,          /* the target refused it for good (4xx) */
  DESK_ERROR_TEMPORARY,         /* worth another try later (5xx, timeout) */
  DESK_ERROR_CHECK_NEEDS_OVERRIDE, /* furniture in the copy: clean up, or a reason */
  DESK_ERROR_CHECK_REFUSED,     /* the pre-publish check stops it, whatever the reason */
  DESK_ERROR_LEASE_LOST,        /* another publisher holds the job now */
  DESK_ERROR_DISK_FULL,         /* the store's disk is full: nothing more fits */
  DESK_ERROR_DAMAGED,           /* the store's file is damaged: nothing more is written */
  DESK_ERROR_READ_ONLY,         /* the store can be read, not written */
  DESK_ERROR_MOVED_MEANWHILE,   /* another editor moved the release first */
  DESK_ERROR_SAVED_MEANWHILE,   /* another editor saved a revision after the one edited */
  DESK_ERROR_LOCKED,            /* another editor holds the release's soft lock */
} DeskError;

GQuark desk_error_quark (void);

G_END_DECLS
