/* desk-release.h — one release as the store has it
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "desk-detector.h"
#include "desk-parser.h"
#include "desk-workflow.h"

G_BEGIN_DECLS

/* The editor's word on whether a release is sponsored: it wins over the
 * detector's verdict.  Stored by name. */
typedef enum {
  DESK_SPONSOR_DECISION_NONE,            /* the detector decides */
  DESK_SPONSOR_DECISION_SPONSORED,
  DESK_SPONSOR_DECISION_NOT_SPONSORED,
  DESK_SPONSOR_DECISION_THIRD_PARTY,     /* a press release, not paid */
} DeskSponsorDecision;

const char  *desk_sponsor_decision_to_string   (DeskSponsorDecision  decision);
const char  *desk_sponsor_decision_event       (DeskSponsorDecision  decision);
gboolean     desk_sponsor_decision_check_reason (DeskSponsorDecision  decision,
                                                 const char          *reason,
                                                 GError             **error);
gboolean     desk_sponsor_decision_from_string (const char          *name,
                                                DeskSponsorDecision *out_decision);

#define DESK_TYPE_RELEASE (desk_release_get_type ())

G_DECLARE_FINAL_TYPE (DeskRelease, desk_release, DESK, RELEASE, GObject)

gint64       desk_release_get_id                   (DeskRelease *self);
const char  *desk_release_get_headline             (DeskRelease *self);
const char  *desk_release_get_source               (DeskRelease *self);
const char  *desk_release_get_language             (DeskRelease *self);
DeskStatus   desk_release_get_status               (DeskRelease *self);
gint64       desk_release_get_received_at          (DeskRelease *self);
/* Sponsored or third-party, as the editor decided, else as the
 * detector found: what the badge and the Sponsored queue show. */
gboolean     desk_release_get_sponsored            (DeskRelease *self);
DeskVerdict  desk_release_get_verdict              (DeskRelease *self);
DeskVerdict  desk_release_get_effective_verdict    (DeskRelease *self);
double       desk_release_get_score                (DeskRelease *self);
DeskSponsorDecision desk_release_get_sponsor_decision (DeskRelease *self);

/* Set only on a release loaded whole (desk_store_get_release()), NULL or 0
 * on the rows of a list. */
const char  *desk_release_get_original             (DeskRelease *self);
const char  *desk_release_get_edited               (DeskRelease *self);
const char  *desk_release_get_original_headline    (DeskRelease *self);
const char  *desk_release_get_standfirst           (DeskRelease *self);
const char  *desk_release_get_wire                 (DeskRelease *self);
const char  *desk_release_get_source_uid           (DeskRelease *self);
const char  *desk_release_get_source_path          (DeskRelease *self);
const char  *desk_release_get_content_hash         (DeskRelease *self);
gint64       desk_release_get_updated_at           (DeskRelease *self);
gint64       desk_release_get_current_revision_id  (DeskRelease *self);
gint64       desk_release_get_approved_revision_id (DeskRelease *self);
const char  *desk_release_get_approved_sha256      (DeskRelease *self);
const char  *desk_release_get_sponsor_decision_reason (DeskRelease *self);
const char  *desk_release_get_sponsor_decided_by   (DeskRelease *self);
gint64       desk_release_get_sponsor_decided_at   (DeskRelease *self);
const char  *desk_release_get_rules_hash           (DeskRelease *self);
const char * const *desk_release_get_tags          (DeskRelease *self);
GArray      *desk_release_get_parts                (DeskRelease *self);

/* The copy as the editor has it now: the edited text, or the original
 * while nobody has edited it. */
const char  *desk_release_get_current_text         (DeskRelease *self);

/* For the store only. */
typedef struct {
  gint64      id;
  const char *headline;
  const char *source;
  const char *language;
  DeskStatus  status;
  gint64      received_at;
  gboolean    sponsored;
  DeskVerdict verdict;
  double      score;
  DeskSponsorDecision decision;
} DeskReleaseSummary;

/* The verdict a summary's release goes by: the editor's decision, else
 * the detector's (as desk_release_get_effective_verdict()). */
DeskVerdict  desk_release_summary_get_effective_verdict (const DeskReleaseSummary *summary);

/* The summary of a release already read whole; its strings stay the
 * release's. */
DeskReleaseSummary desk_release_get_summary (DeskRelease *self);

typedef struct {
  const char *original;
  const char *edited;
  const char *original_headline;
  const char *standfirst;
  const char *wire;
  const char *source_uid;
  const char *source_path;
  const char *content_hash;
  gint64      updated_at;
  gint64      current_revision_id;
  gint64      approved_revision_id;
  const char *approved_sha256;
  const char *decision_reason;
  const char *decided_by;
  gint64      decided_at;
  const char *rules_hash;
  GStrv       tags;    /* taken */
  GArray     *parts;   /* taken */
} DeskReleaseDetails;

DeskRelease *_desk_release_new       (const DeskReleaseSummary *summary);
void         _desk_release_set_details (DeskRelease              *self,
                                        DeskReleaseDetails       *details);

/* Revisions and events, as plain records. */
typedef struct {
  gint64  id;
  gint64  release_id;
  guint   number;
  char   *headline;
  char   *text;
  char   *sha256;
  char   *author;
  gint64  created_at;   /* µs since the epoch */
} DeskRevision;

typedef struct {
  gint64  id;
  gint64  release_id;
  char   *actor;
  char   *action;
  char   *from_status;  /* NULL when the status did not change */
  char   *to_status;
  char   *note;
  gint64  created_at;
} DeskEvent;

void desk_revision_free (DeskRevision *revision);
void desk_event_free    (DeskEvent    *event);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DeskRevision, desk_revision_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DeskEvent, desk_event_free)

/* Character offsets (what spans, parts and findings count in) turned into
 * byte positions in one text, walking from the last position asked for
 * rather than from the start: offsets asked for in order cost the text's
 * length once, not once each. */
typedef struct {
  const char *text;
  const char *at;
  const char *end;
  gsize       offset;
} DeskCharCursor;

void        desk_char_cursor_init (DeskCharCursor *cursor,
                                   const char     *text);
const char *desk_char_cursor_seek (DeskCharCursor *cursor,
                                   gsize           offset);

G_END_DECLS
