/* desk-store-boilerplate.c — boilerplate the desk learns from an issuer's
 * earlier releases
 *
 * A distributor's or a company's end matter comes back, near-identical,
 * in release after release: the about-paragraph with this year's figures,
 * the contact block with another name.  The detector prints the last
 * paragraphs no rule read (and the story's first) while it reads a
 * release (DeskDetection's prints: a hash of their letters); the store
 * keeps, per issuer and print, how many releases carried it, and a
 * paragraph at the end that two or more earlier releases from the same
 * issuer carried is end matter, found as "learned-boilerplate-N".
 *
 * What it costs: no pass over the text (the detector prints paragraphs
 * it has already split), one lookup of the primary key per print and one
 * upsert per print, for releases with a cue and an issuer only.  The
 * first version (a separate split and print of the text, a VALUES query
 * with a correlated count over one row per release and print) doubled
 * import CPU; see the commit that brought it here for the figures.
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "desk-store-private.h"

#define LEARNED_RULE "learned-boilerplate-"
#define LEARNED_WEIGHT 0.5
#define MIN_SEEN 2

/* The schema that added boilerplate_prints (schema_12 in desk-store.c);
 * a store held at an older one (a test of the migrations) learns
 * nothing. */
#define PRINTS_SCHEMA_VERSION 14

static gboolean
has_prints (DeskStore *self)
{
  static GQuark quark;
  gpointer known;

  /* Asked once per store: the schema is settled when it opens. */
  if (quark == 0)
    quark = g_quark_from_static_string ("desk-store-has-prints");
  known = g_object_get_qdata (G_OBJECT (self), quark);
  if (known == NULL)
    {
      known = GINT_TO_POINTER (desk_store_get_schema_version (self) >= PRINTS_SCHEMA_VERSION ? 2 : 1);
      g_object_set_qdata (G_OBJECT (self), quark, known);
    }
  return GPOINTER_TO_INT (known) == 2;
}

/* The issuer as the store keys it: FNV-1a of its name, case-folded. */
static gint64
issuer_key (const char *issuer)
{
  g_autofree char *folded = g_utf8_casefold (issuer, -1);
  guint64 hash = 14695981039346656037ULL;

  for (const guchar *p = (const guchar *) folded; *p != '\0'; p++)
    {
      hash ^= *p;
      hash *= 1099511628211ULL;
    }
  return (gint64) hash;
}

/* How many stored releases from @issuer carried @print. */
static guint
seen_count (DeskStore *self,
            gint64     issuer,
            gint64     print)
{
  g_auto(DeskStmt) stmt = _desk_store_prepare (self,
    "SELECT seen FROM boilerplate_prints WHERE issuer = ? AND print = ?", NULL);

  if (stmt == NULL)
    return 0;
  sqlite3_bind_int64 (stmt, 1, issuer);
  sqlite3_bind_int64 (stmt, 2, print);
  return sqlite3_step (stmt) == SQLITE_ROW ? (guint) sqlite3_column_int (stmt, 0) : 0;
}

/* N of a "learned-boilerplate-N" finding: in how many earlier releases
 * from the issuer its paragraph was seen; 0 for any other finding. */
guint
desk_finding_get_seen_in (const DeskFinding *finding)
{
  if (finding->rule == NULL || !g_str_has_prefix (finding->rule, LEARNED_RULE))
    return 0;
  return (guint) g_ascii_strtoull (finding->rule + strlen (LEARNED_RULE), NULL, 10);
}

static int
compare_findings (gconstpointer a,
                  gconstpointer b)
{
  const DeskFinding *x = *(DeskFinding * const *) a;
  const DeskFinding *y = *(DeskFinding * const *) b;

  return x->start < y->start ? -1 : x->start > y->start;
}

/* @detection (of @text) with the paragraphs at its end that earlier
 * releases from the same issuer carried, as learned boilerplate: a run
 * from the last printed paragraph back.  @stored says @text is a stored
 * release's (its own prints are counted then).  NULL when there are none,
 * or the lookup failed: learning is a help, never a reason not to import. */
DeskDetection *
_desk_store_learn_boilerplate (DeskStore           *self,
                               const char          *text,
                               const DeskDetection *detection,
                               gboolean             stored)
{
  g_autoptr(DeskDetection) learned = NULL;
  g_autoptr(GPtrArray) added = NULL;
  guint own = stored ? 1 : 0;
  gint64 issuer;
  double weight = 0;

  if (detection->issuer == NULL || detection->n_prints == 0 || !has_prints (self))
    return NULL;
  issuer = issuer_key (detection->issuer);
  /* The same story sent again teaches nothing: its own paragraphs would
   * be taken for boilerplate. */
  if (detection->lede_print != 0 && seen_count (self, issuer, detection->lede_print) > own)
    return NULL;

  for (guint i = detection->n_prints; i > 0; i--)
    {
      guint seen = seen_count (self, issuer, detection->prints[i - 1]);
      gsize start = detection->print_starts[i - 1];
      gsize end = detection->print_ends[i - 1];
      DeskFinding *f;

      seen = seen > own ? seen - own : 0;
      if (seen < MIN_SEEN)
        break;
      if (added == NULL)
        added = g_ptr_array_new_with_free_func ((GDestroyNotify) desk_finding_free);
      f = g_new0 (DeskFinding, 1);
      f->kind = DESK_FINDING_BOILERPLATE;
      f->start = (guint) g_utf8_pointer_to_offset (text, text + start);
      f->end = f->start + (guint) g_utf8_pointer_to_offset (text + start, text + end);
      f->rule = g_strdup_printf (LEARNED_RULE "%u", seen);
      f->language = g_strdup ("*");
      f->evidence = g_strndup (text + start, end - start);
      f->removable = TRUE;
      g_ptr_array_add (added, f);
      weight += LEARNED_WEIGHT;
    }
  if (added == NULL)
    return NULL;

  learned = desk_detection_copy (detection);
  learned->score += weight;
  if (learned->verdict == DESK_VERDICT_NONE)
    {
      /* Repeated paragraphs alone are no evidence: a newsroom's own
       * stories repeat theirs too.  With another cue they are. */
      if (learned->score < 1.0)
        return NULL;
      learned->verdict = DESK_VERDICT_THIRD_PARTY;
    }
  g_ptr_array_extend_and_steal (learned->findings, g_steal_pointer (&added));
  g_ptr_array_sort (learned->findings, compare_findings);
  return g_steal_pointer (&learned);
}

/* Counts @detection's prints as one more release's, in the change that
 * stores it. */
gboolean
_desk_store_keep_boilerplate (DeskStore            *self,
                              const DeskDetection  *detection,
                              GError              **error)
{
  g_auto(DeskStmt) stmt = NULL;
  gint64 issuer;

  if (detection->issuer == NULL || (detection->n_prints == 0 && detection->lede_print == 0) ||
      !has_prints (self))
    return TRUE;
  stmt = _desk_store_prepare (self,
    "INSERT INTO boilerplate_prints (issuer, print, seen) VALUES (?, ?, 1)"
    " ON CONFLICT (issuer, print) DO UPDATE SET seen = seen + 1", error);
  if (stmt == NULL)
    return FALSE;
  issuer = issuer_key (detection->issuer);
  for (guint i = 0; i <= detection->n_prints; i++)
    {
      gint64 print = i < detection->n_prints ? detection->prints[i] : detection->lede_print;

      if (print == 0)
        continue;
      sqlite3_reset (stmt);
      sqlite3_bind_int64 (stmt, 1, issuer);
      sqlite3_bind_int64 (stmt, 2, print);
      if (!_desk_store_step_done (self, stmt, _("Could not store the release’s boilerplate prints"), error))
        return FALSE;
    }
  return TRUE;
}

/* The store's clean-up of @text (a stored release's edited copy, or its
 * original): what the detector finds, with the boilerplate earlier
 * releases from the same issuer taught, removed as the house wants. */
DeskCleanup *
_desk_store_clean_up_text (DeskStore  *self,
                           const char *text,
                           const char *language)
{
  g_autoptr(DeskDetection) detection = desk_detector_detect (desk_store_get_detector (self), text, language);
  g_autoptr(DeskDetection) learned = _desk_store_learn_boilerplate (self, text, detection, TRUE);

  return desk_cleanup_apply_full (text, learned != NULL ? learned : detection,
                                  desk_cleanup_get_house_flags ());
}
