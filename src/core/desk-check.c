/* desk-check.c — the pre-publish check: what may be approved and go out
 *
 * One rule for the window and the CLI.  Before copy is approved, and again
 * before it is queued for publishing, the detector reads the copy as it
 * would ship.  Wire furniture still in it (the credit, a disclaimer, the
 * sector line, the distributor's boilerplate: whatever Clean Up removes)
 * stops it until it is cleaned up or an editor lets it go with a reason,
 * recorded as an event; an empty body, or an empty headline or one longer
 * than the desk's limit, stops it whatever the reason.  Sponsored and
 * third-party copy always goes out with its disclosure label, which
 * desk_approved_copy_load() adds in the copy's language.
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <inttypes.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "desk-check.h"
#include "desk-copies.h"
#include "desk-error.h"
#include "desk-outbox.h"
#include "desk-parser.h"
#include "desk-settings.h"
#include "desk-store-private.h"

static void
problem_free (DeskCheckProblem *problem)
{
  g_free (problem->message);
  g_free (problem->evidence);
  g_free (problem);
}

void
desk_check_free (DeskCheck *check)
{
  if (check == NULL)
    return;
  g_ptr_array_unref (check->problems);
  g_free (check);
}

/* The longest headline the desk takes, in characters. */
guint
desk_check_get_headline_max (void)
{
  g_autoptr(GSettings) settings = desk_settings_new_if_installed ("headline-max-length");
  guint max = settings != NULL ? g_settings_get_uint (settings, "headline-max-length") : 0;

  return max > 0 ? max : DESK_HEADLINE_MAX_DEFAULT;
}

static const char *
furniture_name (DeskFindingKind kind)
{
  switch (kind)
    {
    case DESK_FINDING_CREDIT: return _("wire credit");
    case DESK_FINDING_DISCLAIMER: return _("disclaimer");
    case DESK_FINDING_SECTOR: return _("sector line");
    case DESK_FINDING_BOILERPLATE: return _("boilerplate");
    case DESK_FINDING_LABEL: return _("label");
    default: return _("wire furniture");
    }
}

static void
add_problem (DeskCheck     *check,
             DeskCheckKind  kind,
             char          *message,
             const char    *evidence,
             guint          start,
             guint          end)
{
  DeskCheckProblem *problem = g_new0 (DeskCheckProblem, 1);

  problem->kind = kind;
  problem->message = message;
  problem->evidence = g_strdup (evidence);
  problem->start = start;
  problem->end = end;
  g_ptr_array_add (check->problems, problem);
  if (kind == DESK_CHECK_FURNITURE)
    check->n_furniture++;
  else
    check->n_refusals++;
}

static gboolean
is_blank (const char *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    if (!g_unichar_isspace (g_utf8_get_char (p)))
      return FALSE;
  return TRUE;
}

/* Checks @headline and @text (the copy as it would ship, in @language). */
DeskCheck *
desk_check_copy (DeskDetector *detector,
                 const char   *headline,
                 const char   *text,
                 const char   *language)
{
  DeskCheck *check = g_new0 (DeskCheck, 1);
  g_autoptr(DeskDetection) detection = NULL;
  guint max = desk_check_get_headline_max ();
  glong headline_len;
  g_autofree char *body = NULL;
  gsize line_start = 0;
  gsize line_end = 0;
  glong headline_start = -1;
  glong headline_end = -1;

  check->problems = g_ptr_array_new_with_free_func ((GDestroyNotify) problem_free);
  headline = headline != NULL ? headline : "";
  text = text != NULL ? text : "";

  headline_len = g_utf8_strlen (headline, -1);
  if (is_blank (headline))
    add_problem (check, DESK_CHECK_EMPTY_HEADLINE, g_strdup (_("The headline is empty")), NULL, 0, 0);
  else if ((gulong) headline_len > max)
    add_problem (check, DESK_CHECK_LONG_HEADLINE,
                 g_strdup_printf (_("The headline has %ld characters; the desk takes at most %u"),
                                  headline_len, max),
                 NULL, 0, 0);
  /* The body and the headline's own line as the review view shows
   * them (desk_find_headline_line()), furniture above it or not. */
  if (desk_find_headline_line (text, headline, NULL, &line_start, &line_end))
    {
      headline_start = g_utf8_strlen (text, (gssize) line_start);
      headline_end = g_utf8_strlen (text, (gssize) line_end);
    }
  body = g_strdup_printf ("%.*s%s", (int) line_start, text, text + line_end);
  if (is_blank (body))
    add_problem (check, DESK_CHECK_EMPTY_BODY, g_strdup (_("The copy has no body")), NULL, 0, 0);

  detection = desk_detector_detect (detector != NULL ? detector : desk_detector_get_default (), text, language);
  for (guint i = 0; detection != NULL && i < detection->findings->len; i++)
    {
      const DeskFinding *finding = g_ptr_array_index (detection->findings, i);

      /* What Clean Up would remove is what must not go out unseen. */
      if (!finding->removable)
        continue;
      /* The headline is the editor's, never furniture, even where the
       * detector reads the lines above the story otherwise. */
      if ((glong) finding->start < headline_end && (glong) finding->end > headline_start)
        continue;
      add_problem (check, DESK_CHECK_FURNITURE,
                   g_strdup (furniture_name (finding->kind)),
                   finding->evidence, finding->start, finding->end);
    }
  return check;
}

/* Checks release @release_id's copy: its headline and current text. */
DeskCheck *
desk_check_release (DeskStore  *store,
                    gint64      release_id,
                    GError    **error)
{
  g_autoptr(DeskRelease) release = desk_store_get_release (store, release_id, error);

  if (release == NULL)
    return NULL;
  return desk_check_copy (desk_store_get_detector (store),
                          desk_release_get_headline (release),
                          desk_release_get_current_text (release),
                          desk_release_get_language (release));
}

gboolean
desk_check_passes (const DeskCheck *check)
{
  return check->problems->len == 0;
}

/* One line for the editor: "wire credit “(SeaPRwire) –”, disclaimer,
 * sector line" for furniture; each refusal as a sentence. */
char *
desk_check_describe (const DeskCheck *check)
{
  GString *out = g_string_new (NULL);
  GString *furniture = g_string_new (NULL);

  for (guint i = 0; i < check->problems->len; i++)
    {
      const DeskCheckProblem *problem = g_ptr_array_index (check->problems, i);

      if (problem->kind != DESK_CHECK_FURNITURE)
        {
          g_string_append_printf (out, "%s%s", out->len > 0 ? "; " : "", problem->message);
          continue;
        }
      if (furniture->len > 0)
        g_string_append (furniture, ", ");
      if (problem->evidence != NULL && g_utf8_strlen (problem->evidence, -1) <= 40)
        {
          g_autofree char *evidence = g_strstrip (g_strdup (problem->evidence));

          /* TRANSLATORS: a piece of wire furniture and its text */
          g_string_append_printf (furniture, _("%s “%s”"), problem->message, evidence);
        }
      else
        g_string_append (furniture, problem->message);
    }

  if (furniture->len > 0)
    {
      g_autofree char *sentence = g_strdup_printf (_("The copy still carries wire furniture: %s"), furniture->str);

      g_string_prepend (out, out->len > 0 ? "; " : "");
      g_string_prepend (out, sentence);
    }
  g_string_free (furniture, TRUE);
  return g_string_free (out, FALSE);
}

/* Refuses with an error that says why: what no reason lets through, or
 * the furniture that needs a reason.  FALSE when the check stops the
 * copy. */
gboolean
desk_check_allows (const DeskCheck *check,
                   gint64           release_id,
                   gboolean         overridden,
                   GError         **error)
{
  g_autofree char *description = NULL;

  if (desk_check_passes (check) || (check->n_refusals == 0 && overridden))
    return TRUE;

  description = desk_check_describe (check);
  if (check->n_refusals > 0)
    g_set_error (error, DESK_ERROR, DESK_ERROR_CHECK_REFUSED,
                 _("Release #%" PRId64 " cannot go out: %s"), release_id, description);
  else
    g_set_error (error, DESK_ERROR, DESK_ERROR_CHECK_NEEDS_OVERRIDE,
                 _("Release #%" PRId64 " did not pass the pre-publish check. %s. "
                   "Clean it up, or let it go with a reason"),
                 release_id, description);
  return FALSE;
}

gboolean
desk_check_has_reason (const char *reason)
{
  return reason != NULL && !is_blank (reason);
}

/* One story from several wires: approving one copy sets the others
 * aside, each with an event (desk-copies.c).  The approval stands if that
 * fails; the copies then wait for the editor, as before. */
static void
set_aside_copies (DeskStore  *store,
                  gint64      release_id,
                  const char *actor)
{
  g_autoptr(GError) error = NULL;

  if (desk_store_set_aside_copies (store, release_id, actor, &error) < 0)
    g_message ("Release %" G_GINT64_FORMAT ": its copies were not set aside: %s", release_id, error->message);
}

/* Moves release @release_id to @to, as desk_store_set_status() does;
 * approval first passes the pre-publish check, or goes past its
 * furniture with @override_reason, recorded with the approval. */
gboolean
desk_move_release (DeskStore   *store,
                   gint64       release_id,
                   DeskStatus   to,
                   const char  *actor,
                   const char  *note,
                   const char  *override_reason,
                   GError     **error)
{
  g_autoptr(DeskCheck) check = NULL;
  g_autofree char *reason = NULL;

  g_return_val_if_fail (DESK_IS_STORE (store), FALSE);

  /* A team desk moves on its server, as its CLI does: the role first,
   * the same check, a conditional update by session_user. */
  if (desk_store_is_team_desk (store))
    return _desk_store_team_move_release (store, release_id, to, note, override_reason, error);
  if (to != DESK_STATUS_APPROVED)
    return desk_store_set_status (store, release_id, to, actor, note, error);

  check = desk_check_release (store, release_id, error);
  if (check == NULL)
    return FALSE;
  if (!desk_check_allows (check, release_id, desk_check_has_reason (override_reason), error))
    return FALSE;
  if (check->n_furniture > 0)
    reason = g_strstrip (g_strdup (override_reason));
  if (!desk_store_set_status_overriding (store, release_id, to, actor, note, reason, error))
    return FALSE;
  set_aside_copies (store, release_id, actor);
  return TRUE;
}

/* Queues release @release_id for @target_id, as desk_store_publish()
 * does, once its approved copy passes the pre-publish check: furniture in
 * it needs an override recorded with its approval, or @override_reason
 * now. */
gint64
desk_publish_release (DeskStore   *store,
                      gint64       release_id,
                      gint64       target_id,
                      const char  *actor,
                      const char  *override_reason,
                      GError     **error)
{
  g_autoptr(DeskCheck) check = NULL;
  g_autoptr(GError) local_error = NULL;
  gboolean overridden;

  g_return_val_if_fail (DESK_IS_STORE (store), 0);

  {
    g_autoptr(DeskRelease) release = desk_store_get_release (store, release_id, error);

    if (release == NULL)
      return 0;
    /* Copy that is not approved: the outbox says so. */
    if (!desk_status_has_approved_copy (desk_release_get_status (release)))
      return desk_store_publish (store, release_id, target_id, actor, error);
    check = desk_check_copy (desk_store_get_detector (store),
                             desk_release_get_headline (release),
                             desk_release_get_current_text (release),
                             desk_release_get_language (release));
  }

  overridden = desk_check_has_reason (override_reason) ||
               desk_store_get_check_override (store, release_id, NULL, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return 0;
    }
  if (!desk_check_allows (check, release_id, overridden, error))
    return 0;

  if (check->n_furniture > 0 && desk_check_has_reason (override_reason) &&
      !desk_store_get_check_override (store, release_id, NULL, NULL))
    {
      g_autofree char *reason = g_strstrip (g_strdup (override_reason));

      if (!desk_store_record_check_override (store, release_id, actor, reason, error))
        return 0;
    }
  return desk_store_publish (store, release_id, target_id, actor, error);
}
