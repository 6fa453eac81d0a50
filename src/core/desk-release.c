/* desk-release.c — one release as the store has it
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "desk-error.h"
#include "desk-release.h"

struct _DeskRelease
{
  GObject     parent_instance;

  gint64      id;
  char       *headline;
  char       *source;
  char       *language;
  DeskStatus  status;
  gint64      received_at;
  gboolean    sponsored;
  DeskVerdict verdict;
  double      score;
  DeskSponsorDecision sponsor_decision;

  char       *original;
  char       *edited;
  char       *original_headline;
  char       *standfirst;
  char       *wire;
  char       *source_uid;
  char       *source_path;
  char       *content_hash;
  gint64      updated_at;
  gint64      current_revision_id;
  gint64      approved_revision_id;
  char       *approved_sha256;
  char       *sponsor_decision_reason;
  char       *sponsor_decided_by;
  gint64      sponsor_decided_at;
  char       *rules_hash;
  GStrv       tags;
  GArray     *parts;
};

G_DEFINE_FINAL_TYPE (DeskRelease, desk_release, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_HEADLINE,
  PROP_SOURCE,
  PROP_LANGUAGE,
  PROP_STATUS,
  PROP_RECEIVED_AT,
  PROP_SPONSORED,
  PROP_VERDICT,
  PROP_SCORE,
  PROP_SPONSOR_DECISION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
desk_release_finalize (GObject *object)
{
  DeskRelease *self = (DeskRelease *) object;

  g_free (self->headline);
  g_free (self->source);
  g_free (self->language);
  g_free (self->original);
  g_free (self->edited);
  g_free (self->original_headline);
  g_free (self->standfirst);
  g_free (self->wire);
  g_free (self->source_uid);
  g_free (self->source_path);
  g_free (self->content_hash);
  g_free (self->approved_sha256);
  g_free (self->sponsor_decision_reason);
  g_free (self->sponsor_decided_by);
  g_free (self->rules_hash);
  g_strfreev (self->tags);
  g_clear_pointer (&self->parts, g_array_unref);

  G_OBJECT_CLASS (desk_release_parent_class)->finalize (object);
}

static void
desk_release_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  DeskRelease *self = DESK_RELEASE (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;
    case PROP_HEADLINE:
      g_value_set_string (value, self->headline);
      break;
    case PROP_SOURCE:
      g_value_set_string (value, self->source);
      break;
    case PROP_LANGUAGE:
      g_value_set_string (value, self->language);
      break;
    case PROP_STATUS:
      g_value_set_string (value, desk_status_to_string (self->status));
      break;
    case PROP_RECEIVED_AT:
      g_value_set_int64 (value, self->received_at);
      break;
    case PROP_SPONSORED:
      g_value_set_boolean (value, self->sponsored);
      break;
    case PROP_VERDICT:
      g_value_set_string (value, desk_verdict_to_string (self->verdict));
      break;
    case PROP_SCORE:
      g_value_set_double (value, self->score);
      break;
    case PROP_SPONSOR_DECISION:
      g_value_set_string (value, desk_sponsor_decision_to_string (self->sponsor_decision));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
desk_release_class_init (DeskReleaseClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = desk_release_finalize;
  object_class->get_property = desk_release_get_property;

  properties[PROP_ID] =
    g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_HEADLINE] =
    g_param_spec_string ("headline", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_SOURCE] =
    g_param_spec_string ("source", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_LANGUAGE] =
    g_param_spec_string ("language", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATUS] =
    g_param_spec_string ("status", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_RECEIVED_AT] =
    g_param_spec_int64 ("received-at", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_SPONSORED] =
    g_param_spec_boolean ("sponsored", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  properties[PROP_VERDICT] =
    g_param_spec_string ("verdict", NULL, NULL, "none",
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_SCORE] =
    g_param_spec_double ("score", NULL, NULL, 0, G_MAXDOUBLE, 0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_SPONSOR_DECISION] =
    g_param_spec_string ("sponsor-decision", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
desk_release_init (DeskRelease *self)
{
}

DeskRelease *
_desk_release_new (const DeskReleaseSummary *summary)
{
  DeskRelease *self = g_object_new (DESK_TYPE_RELEASE, NULL);

  self->id = summary->id;
  self->headline = g_strdup (summary->headline);
  self->source = g_strdup (summary->source);
  self->language = g_strdup (summary->language);
  self->status = summary->status;
  self->received_at = summary->received_at;
  self->sponsored = summary->sponsored;
  self->verdict = summary->verdict;
  self->score = summary->score;
  self->sponsor_decision = summary->decision;

  return self;
}

void
_desk_release_set_details (DeskRelease        *self,
                           DeskReleaseDetails *details)
{
  self->original = g_strdup (details->original);
  self->edited = g_strdup (details->edited);
  self->original_headline = g_strdup (details->original_headline);
  self->standfirst = g_strdup (details->standfirst);
  self->wire = g_strdup (details->wire);
  self->source_uid = g_strdup (details->source_uid);
  self->source_path = g_strdup (details->source_path);
  self->content_hash = g_strdup (details->content_hash);
  self->updated_at = details->updated_at;
  self->current_revision_id = details->current_revision_id;
  self->approved_revision_id = details->approved_revision_id;
  self->approved_sha256 = g_strdup (details->approved_sha256);
  self->sponsor_decision_reason = g_strdup (details->decision_reason);
  self->sponsor_decided_by = g_strdup (details->decided_by);
  self->sponsor_decided_at = details->decided_at;
  self->rules_hash = g_strdup (details->rules_hash);
  self->tags = g_steal_pointer (&details->tags);
  self->parts = g_steal_pointer (&details->parts);
}

#define GETTER(type, name) \
  type desk_release_get_##name (DeskRelease *self) \
  { \
    g_return_val_if_fail (DESK_IS_RELEASE (self), 0); \
    return self->name; \
  }

GETTER (gint64, id)
GETTER (const char *, headline)
GETTER (const char *, source)
GETTER (const char *, language)
GETTER (DeskStatus, status)
GETTER (gint64, received_at)
GETTER (gboolean, sponsored)
GETTER (const char *, original)
GETTER (const char *, edited)
GETTER (const char *, original_headline)
GETTER (const char *, standfirst)
GETTER (const char *, wire)
GETTER (const char *, source_uid)
GETTER (const char *, source_path)
GETTER (const char *, content_hash)
GETTER (gint64, updated_at)
GETTER (gint64, current_revision_id)
GETTER (gint64, approved_revision_id)
GETTER (const char *, approved_sha256)
GETTER (GArray *, parts)
GETTER (DeskVerdict, verdict)
GETTER (double, score)
GETTER (DeskSponsorDecision, sponsor_decision)
GETTER (const char *, sponsor_decision_reason)
GETTER (const char *, sponsor_decided_by)
GETTER (gint64, sponsor_decided_at)
GETTER (const char *, rules_hash)

#undef GETTER

const char * const *
desk_release_get_tags (DeskRelease *self)
{
  static const char * const none[] = { NULL };

  g_return_val_if_fail (DESK_IS_RELEASE (self), NULL);

  return self->tags != NULL ? (const char * const *) self->tags : none;
}

const char *
desk_release_get_current_text (DeskRelease *self)
{
  g_return_val_if_fail (DESK_IS_RELEASE (self), NULL);

  return self->edited != NULL ? self->edited : self->original;
}

static const char * const decision_names[] = { NULL, "sponsored", "not_sponsored", "third_party" };

/* NULL for DESK_SPONSOR_DECISION_NONE, as the store keeps it. */
const char *
desk_sponsor_decision_to_string (DeskSponsorDecision decision)
{
  g_return_val_if_fail (decision <= DESK_SPONSOR_DECISION_THIRD_PARTY, NULL);
  return decision_names[decision];
}

/* The event a decision is recorded by, on either desk. */
const char *
desk_sponsor_decision_event (DeskSponsorDecision decision)
{
  switch (decision)
    {
    case DESK_SPONSOR_DECISION_SPONSORED: return "marked-sponsored";
    case DESK_SPONSOR_DECISION_NOT_SPONSORED: return "marked-not-sponsored";
    case DESK_SPONSOR_DECISION_THIRD_PARTY: return "marked-third-party";
    case DESK_SPONSOR_DECISION_NONE:
    default: return "sponsor-decision-cleared";
    }
}

/* A decision other than none needs a reason that is not blank (@reason
 * trimmed): FALSE, having said so, when it has none. */
gboolean
desk_sponsor_decision_check_reason (DeskSponsorDecision   decision,
                                    const char           *reason,
                                    GError              **error)
{
  if (decision != DESK_SPONSOR_DECISION_NONE && *reason == '\0')
    {
      g_set_error (error, DESK_ERROR, DESK_ERROR_INVALID_INPUT,
                   _("Say why: a decision on sponsored content needs a reason"));
      return FALSE;
    }
  return TRUE;
}

gboolean
desk_sponsor_decision_from_string (const char          *name,
                                   DeskSponsorDecision *out_decision)
{
  for (guint i = 1; i < G_N_ELEMENTS (decision_names); i++)
    if (g_strcmp0 (name, decision_names[i]) == 0)
      {
        *out_decision = (DeskSponsorDecision) i;
        return TRUE;
      }
  if (name == NULL || *name == '\0' || g_str_equal (name, "none"))
    {
      *out_decision = DESK_SPONSOR_DECISION_NONE;
      return TRUE;
    }
  return FALSE;
}

void
desk_revision_free (DeskRevision *revision)
{
  if (revision == NULL)
    return;
  g_free (revision->headline);
  g_free (revision->text);
  g_free (revision->sha256);
  g_free (revision->author);
  g_free (revision);
}

void
desk_event_free (DeskEvent *event)
{
  if (event == NULL)
    return;
  g_free (event->actor);
  g_free (event->action);
  g_free (event->from_status);
  g_free (event->to_status);
  g_free (event->note);
  g_free (event);
}

/* What the desk treats the release as, and what its copy is labelled as:
 * the editor's decision, else the detector's verdict.  An editor marking a
 * release the detector found to be third-party content as sponsored
 * confirms it as third-party content; any other release marked sponsored
 * is sponsored, whatever the detector thought. */
DeskVerdict
desk_release_get_effective_verdict (DeskRelease *self)
{
  g_return_val_if_fail (DESK_IS_RELEASE (self), DESK_VERDICT_NONE);

  switch (self->sponsor_decision)
    {
    case DESK_SPONSOR_DECISION_SPONSORED:
      return self->verdict == DESK_VERDICT_THIRD_PARTY
             ? DESK_VERDICT_THIRD_PARTY : DESK_VERDICT_SPONSORED;
    case DESK_SPONSOR_DECISION_NOT_SPONSORED:
      return DESK_VERDICT_NONE;
    case DESK_SPONSOR_DECISION_THIRD_PARTY:
      return DESK_VERDICT_THIRD_PARTY;
    case DESK_SPONSOR_DECISION_NONE:
    default:
      return self->verdict;
    }
}

void
desk_char_cursor_init (DeskCharCursor *cursor,
                       const char     *text)
{
  cursor->text = text;
  cursor->at = text;
  cursor->end = text + strlen (text);
  cursor->offset = 0;
}

/* The byte where character @offset starts, or the end of the text when it
 * has fewer characters.  Backwards, it walks back from where it is or
 * starts again from the start, whichever is nearer. */
const char *
desk_char_cursor_seek (DeskCharCursor *cursor,
                       gsize           offset)
{
  if (offset < cursor->offset && offset < cursor->offset - offset)
    {
      cursor->at = cursor->text;
      cursor->offset = 0;
    }
  while (cursor->offset > offset)
    {
      cursor->at = g_utf8_prev_char (cursor->at);
      cursor->offset--;
    }
  while (cursor->offset < offset && cursor->at < cursor->end)
    {
      cursor->at = g_utf8_next_char (cursor->at);
      cursor->offset++;
    }
  /* A character cut short at the very end of the text. */
  if (cursor->at > cursor->end)
    cursor->at = cursor->end;
  return cursor->at;
}

DeskReleaseSummary
desk_release_get_summary (DeskRelease *self)
{
  DeskReleaseSummary summary = {
    .id = desk_release_get_id (self),
    .headline = desk_release_get_headline (self),
    .source = desk_release_get_source (self),
    .language = desk_release_get_language (self),
    .status = desk_release_get_status (self),
    .received_at = desk_release_get_received_at (self),
    .sponsored = desk_release_get_sponsored (self),
    .verdict = desk_release_get_verdict (self),
    .score = desk_release_get_score (self),
    .decision = desk_release_get_sponsor_decision (self),
  };

  return summary;
}

DeskVerdict
desk_release_summary_get_effective_verdict (const DeskReleaseSummary *summary)
{
  switch (summary->decision)
    {
    case DESK_SPONSOR_DECISION_SPONSORED:
      return summary->verdict == DESK_VERDICT_THIRD_PARTY
             ? DESK_VERDICT_THIRD_PARTY : DESK_VERDICT_SPONSORED;
    case DESK_SPONSOR_DECISION_NOT_SPONSORED:
      return DESK_VERDICT_NONE;
    case DESK_SPONSOR_DECISION_THIRD_PARTY:
      return DESK_VERDICT_THIRD_PARTY;
    case DESK_SPONSOR_DECISION_NONE:
    default:
      return summary->verdict;
    }
}
