/* desk-detector.h — finds sponsored and third-party content, with evidence
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* What a release is, as the detector sees it.  The values are stored in
 * the database by name. */
typedef enum {
  DESK_VERDICT_NONE,
  DESK_VERDICT_THIRD_PARTY,   /* a press release or syndicated copy */
  DESK_VERDICT_SPONSORED,     /* paid content: a label or a paid disclaimer */
} DeskVerdict;

typedef enum {
  DESK_FINDING_DISCLAIMER = 1,
  DESK_FINDING_CREDIT,
  DESK_FINDING_BOILERPLATE,
  DESK_FINDING_LABEL,
  DESK_FINDING_SECTOR,
  DESK_FINDING_ANNOUNCEMENT,  /* the issuer's own announcement in the first
                               * paragraph: evidence, never removed */
} DeskFindingKind;

#define DESK_DETECTION_MAX_PRINTS 8

/* One piece of evidence.  Spans are in characters (code points) of the
 * text that was read, like DeskPart. */
typedef struct {
  DeskFindingKind kind;
  guint           start;
  guint           end;        /* exclusive */
  char           *rule;       /* the rule's id */
  char           *language;   /* the languages the rule is for, "*" for all */
  char           *evidence;   /* the text of the span */
  gboolean        removable;  /* the clean-up drops it */
} DeskFinding;

typedef struct {
  DeskVerdict  verdict;
  double       score;        /* the sum of the findings' weights */
  char        *wire;         /* the distributor named, or NULL */
  char        *rules_hash;   /* of the rules that decided */
  GPtrArray   *findings;     /* of DeskFinding, in text order; empty for NONE */
  GStrv        tags;         /* the sector line's names; never NULL */
  /* The headline's line (desk_choose_headline()), in characters: a
   * clean-up never removes it.  Both 0 when it is not known. */
  guint        headline_start;
  guint        headline_end;
  /* For the boilerplate the desk learns (desk-boilerplate.h): whose end
   * matter it is, and the prints of the story's first paragraph and of
   * the last paragraphs no rule read, with their spans in bytes.  Filled
   * only when a cue says the copy may be a release. */
  char        *issuer;
  gint64       lede_print;
  guint        n_prints;
  gint64       prints[DESK_DETECTION_MAX_PRINTS];
  gsize        print_starts[DESK_DETECTION_MAX_PRINTS];
  gsize        print_ends[DESK_DETECTION_MAX_PRINTS];
} DeskDetection;

/* A detector's rules are set up once (desk_detector_new(), then
 * desk_detector_add_rules_file()) before it is used; from then on any
 * number of threads may call desk_detector_detect() on it at once. */
#define DESK_TYPE_DETECTOR (desk_detector_get_type ())

G_DECLARE_FINAL_TYPE (DeskDetector, desk_detector, DESK, DETECTOR, GObject)

DeskDetector  *desk_detector_new                  (void);
DeskDetector  *desk_detector_get_default          (void);
char          *desk_detector_dup_user_rules_path  (void);

gboolean       desk_detector_add_rules_file       (DeskDetector  *self,
                                                   const char    *path,
                                                   GError       **error);
const char    *desk_detector_get_rules_hash       (DeskDetector  *self);
guint          desk_detector_get_n_rules          (DeskDetector  *self);
const GError  *desk_detector_get_user_rules_error (DeskDetector  *self);

DeskDetection *desk_detector_detect               (DeskDetector  *self,
                                                   const char    *text,
                                                   const char    *language);

const char    *desk_verdict_to_string             (DeskVerdict    verdict);
gboolean       desk_verdict_from_string           (const char    *name,
                                                   DeskVerdict   *out_verdict);
const char    *desk_finding_kind_to_string        (DeskFindingKind kind);
gboolean       desk_finding_kind_from_string      (const char    *name,
                                                   DeskFindingKind *out_kind);
char          *desk_detection_describe            (const DeskDetection *detection);

void           desk_finding_free                  (DeskFinding   *finding);
void           desk_detection_free                (DeskDetection *detection);
DeskDetection *desk_detection_copy                (const DeskDetection *detection);
gint64         desk_paragraph_print               (const char    *paragraph,
                                                   gsize          len);

/* Findings in one column: "kind:start:end:rule:languages" items split by
 * spaces.  For the store. */
char          *desk_findings_encode               (GPtrArray     *findings);
GPtrArray     *desk_findings_decode               (const char    *encoded,
                                                   const char    *text);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DeskFinding, desk_finding_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DeskDetection, desk_detection_free)

G_END_DECLS
