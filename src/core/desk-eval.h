/* desk-eval.h — measures the sponsor detector on a labelled folder
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "desk-detector.h"

G_BEGIN_DECLS

/* The figures for one language or one layout of the set. */
typedef struct {
  char      *name;
  guint      n_releases;
  guint      true_positives;
  guint      false_positives;
  guint      false_negatives;
  guint      cleanups_right;
  double     precision;
  double     recall;
  double     cleanup_accuracy;
} DeskEvalGroup;

typedef struct {
  guint      n_releases;
  guint      true_positives;    /* flagged, and should be */
  guint      false_positives;   /* flagged, and should not be */
  guint      false_negatives;   /* not flagged, and should be */
  guint      verdicts_right;    /* the exact verdict */
  guint      cleanups_right;    /* the clean-up removed exactly the end matter */
  double     precision;
  double     recall;
  double     verdict_accuracy;
  double     cleanup_accuracy;
  GPtrArray *misses;            /* of char *: "file: what went wrong" */
  GPtrArray *languages;         /* of DeskEvalGroup, by name */
  GPtrArray *layouts;           /* of DeskEvalGroup, by name */
} DeskEvalReport;

DeskEvalReport *desk_eval_run         (DeskDetector   *detector,
                                       const char     *dir,
                                       GError        **error);
void            desk_eval_report_free (DeskEvalReport *report);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DeskEvalReport, desk_eval_report_free)

G_END_DECLS
