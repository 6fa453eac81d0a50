/* desk-detector.c — finds sponsored and third-party content, with evidence
 *
 * The rules are data (data/sponsor-rules.json in the core's GResource,
 * extended by a user file), and each one says not only what to look for but
 * where: a wire credit counts only in the dateline of the first paragraphs,
 * a label only as a line or a headline prefix of its own, a disclaimer or a
 * distributor's boilerplate only in the end matter, read back from the last
 * paragraph.  So a news story that merely mentions a press release, a wire
 * or the word "sponsored" in a sentence is not flagged.
 *
 * The rules are compiled once into a few combined regular expressions, one
 * for each place a rule looks, so a release costs a handful of matches
 * however many rules there are.  A detector never changes once built, and
 * GRegex matching is thread-safe: the importer detects on its reader thread.
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "copydesk-core-resources.h"
#include "desk-detector.h"
#include "desk-error.h"
#include "desk-parser.h"
#include "desk-regex-prefilter.h"
#include "desk-release.h"

/* Bump when the way rules are applied changes, so that stored verdicts are
 * recomputed as when the rules change. */
#define DETECTOR_ALGORITHM "2026-12-07.4"

/* A release is flagged from this score up. */
#define FLAG_THRESHOLD 1.0

#define SHIPPED_RULES "/io/github/copydesk/Copydesk/sponsor-rules.json"

/* Where a rule looks. */
typedef enum {
  WHERE_DATELINE,   /* a wire credit, at the start of one of the first paragraphs */
  WHERE_LABEL,      /* a line of its own, or a headline prefix */
  WHERE_FIELD,      /* "Sektor: …", a line in the end matter */
  WHERE_WITHIN,     /* anywhere in an end-matter paragraph */
  WHERE_START,      /* at the start of an end-matter paragraph */
  WHERE_HEADING,    /* a short heading that opens the end matter: "About Acme" */
  WHERE_NOTICE,     /* a line of its own above the story: "FOR IMMEDIATE
                     * RELEASE", "PRESS RELEASE GlobeNewswire", a time stamp */
  WHERE_LEDE,       /* in the story's first paragraph: "today announced" */
  N_WHERE
} Where;

static const char * const where_names[N_WHERE] = {
  "dateline", "label", "field", "within", "start", "heading", "notice", "lede",
};

typedef struct {
  char            *id;
  DeskFindingKind  kind;
  Where            where;
  GStrv            languages;       /* NULL: every language */
  char            *languages_text;  /* "*" or "id,ms" */
  char            *regex;           /* the pattern as a regular expression */
  gboolean         case_sensitive;
  double           weight;
  char            *wire;
  gboolean         sponsored;
} Rule;

/* One compiled regular expression and the rules it holds, each as a named
 * group. */
typedef struct {
  GRegex *regex;
  guint  *rules;    /* indices in DeskDetector.rules */
  int    *groups;   /* their group numbers */
  guint   n_rules;
  double  max_weight;
  DeskRegexPrefilter *prefilter;  /* lets every text through when some rule shows no literal */
  /* A combined matcher that runs over whole paragraphs narrows itself to
   * the rules whose literals the text holds (run_matcher()): */
  gboolean    narrows;
  GMutex      lock;
  GHashTable *narrowed;   /* of NarrowKey → Matcher: the subsets met */
} Matcher;

/* Which of a combined matcher's rules, a bit each in its order. */
#define NARROW_WORDS 4
typedef struct {
  guint64 bits[NARROW_WORDS];
} NarrowKey;

/* Subsets compiled at most per matcher: past that, the whole. */
#define NARROW_MAX 256

struct _DeskDetector
{
  GObject    parent_instance;

  GPtrArray *rules;                 /* of Rule */
  GPtrArray *matchers[N_WHERE];     /* of Matcher: all the rules for a
                                     * place first, then one for each
                                     * language-specific rule */
  char      *rules_hash;
  GError    *user_rules_error;
};

G_DEFINE_FINAL_TYPE (DeskDetector, desk_detector, G_TYPE_OBJECT)

static void
rule_free (Rule *rule)
{
  if (rule == NULL)
    return;
  g_free (rule->id);
  g_strfreev (rule->languages);
  g_free (rule->languages_text);
  g_free (rule->regex);
  g_free (rule->wire);
  g_free (rule);
}

static void
matcher_free (Matcher *matcher)
{
  g_clear_pointer (&matcher->regex, g_regex_unref);
  g_clear_pointer (&matcher->prefilter, desk_regex_prefilter_free);
  g_clear_pointer (&matcher->narrowed, g_hash_table_unref);
  g_mutex_clear (&matcher->lock);
  g_free (matcher->rules);
  g_free (matcher->groups);
  g_free (matcher);
}

static guint
narrow_key_hash (gconstpointer key)
{
  const NarrowKey *k = key;
  guint64 h = 0;

  for (guint i = 0; i < NARROW_WORDS; i++)
    h = (h ^ k->bits[i]) * G_GUINT64_CONSTANT (0x9E3779B97F4A7C15);
  return (guint) (h >> 32);
}

static gboolean
narrow_key_equal (gconstpointer a,
                  gconstpointer b)
{
  return memcmp (a, b, sizeof (NarrowKey)) == 0;
}

static void
desk_detector_finalize (GObject *object)
{
  DeskDetector *self = (DeskDetector *) object;

  g_clear_pointer (&self->rules, g_ptr_array_unref);
  for (guint w = 0; w < N_WHERE; w++)
    g_clear_pointer (&self->matchers[w], g_ptr_array_unref);
  g_free (self->rules_hash);
  g_clear_error (&self->user_rules_error);

  G_OBJECT_CLASS (desk_detector_parent_class)->finalize (object);
}

static void
desk_detector_class_init (DeskDetectorClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = desk_detector_finalize;
}

static void
desk_detector_init (DeskDetector *self)
{
  self->rules = g_ptr_array_new_with_free_func ((GDestroyNotify) rule_free);
}

/* ---- names ---------------------------------------------------------------- */

static const char * const verdict_names[] = { "none", "third_party", "sponsored" };
static const char * const kind_names[] = { NULL, "disclaimer", "credit", "boilerplate", "label", "sector", "announcement" };

const char *
desk_verdict_to_string (DeskVerdict verdict)
{
  g_return_val_if_fail (verdict <= DESK_VERDICT_SPONSORED, "none");
  return verdict_names[verdict];
}

gboolean
desk_verdict_from_string (const char  *name,
                          DeskVerdict *out_verdict)
{
  for (guint i = 0; i < G_N_ELEMENTS (verdict_names); i++)
    if (g_strcmp0 (name, verdict_names[i]) == 0)
      {
        *out_verdict = (DeskVerdict) i;
        return TRUE;
      }
  return FALSE;
}

const char *
desk_finding_kind_to_string (DeskFindingKind kind)
{
  if (kind < DESK_FINDING_DISCLAIMER || kind > DESK_FINDING_ANNOUNCEMENT)
    return "unknown";
  return kind_names[kind];
}

gboolean
desk_finding_kind_from_string (const char      *name,
                               DeskFindingKind *out_kind)
{
  for (guint i = DESK_FINDING_DISCLAIMER; i <= DESK_FINDING_ANNOUNCEMENT; i++)
    if (g_strcmp0 (name, kind_names[i]) == 0)
      {
        *out_kind = (DeskFindingKind) i;
        return TRUE;
      }
  return FALSE;
}

/* ---- findings ------------------------------------------------------------- */

void
desk_finding_free (DeskFinding *finding)
{
  if (finding == NULL)
    return;
  g_free (finding->rule);
  g_free (finding->language);
  g_free (finding->evidence);
  g_free (finding);
}

void
desk_detection_free (DeskDetection *detection)
{
  if (detection == NULL)
    return;
  g_free (detection->wire);
  g_free (detection->rules_hash);
  g_clear_pointer (&detection->findings, g_ptr_array_unref);
  g_strfreev (detection->tags);
  g_free (detection->issuer);
  g_free (detection);
}

DeskDetection *
desk_detection_copy (const DeskDetection *detection)
{
  DeskDetection *copy = g_memdup2 (detection, sizeof *detection);

  copy->wire = g_strdup (detection->wire);
  copy->rules_hash = g_strdup (detection->rules_hash);
  copy->tags = g_strdupv (detection->tags);
  copy->issuer = g_strdup (detection->issuer);
  copy->findings = g_ptr_array_new_with_free_func ((GDestroyNotify) desk_finding_free);
  for (guint i = 0; i < detection->findings->len; i++)
    {
      const DeskFinding *f = g_ptr_array_index (detection->findings, i);
      DeskFinding *c = g_memdup2 (f, sizeof *f);

      c->rule = g_strdup (f->rule);
      c->language = g_strdup (f->language);
      c->evidence = g_strdup (f->evidence);
      g_ptr_array_add (copy->findings, c);
    }
  return copy;
}

/* Paragraphs with fewer letters than this are too common to learn from
 * ("Contact:", "###"). */
#define PRINT_MIN_LETTERS 12

/* A paragraph's print: FNV-1a over its letters only, lower-cased (digits,
 * punctuation and spacing left out, so "founded in 2017, 6,500 outlets"
 * prints as "founded in 2018, 6,800 outlets" does); 0 when it has too few
 * letters, never 0 otherwise.  ASCII letters take a fast path: the print
 * is taken for a few paragraphs of most releases at import. */
gint64
desk_paragraph_print (const char *paragraph,
                      gsize       len)
{
  guint64 hash = 14695981039346656037ULL;
  guint letters = 0;
  const char *end = paragraph + len;

  for (const char *p = paragraph; p < end;)
    {
      guchar b = (guchar) *p;
      gunichar c;

      if (b < 0x80)
        {
          p++;
          if (!g_ascii_isalpha (b))
            continue;
          c = g_ascii_tolower (b);
        }
      else
        {
          c = g_utf8_get_char (p);
          p = g_utf8_next_char (p);
          if (!g_unichar_isalpha (c))
            continue;
          c = g_unichar_tolower (c);
        }
      for (guint shift = 0; shift < 32 && (shift == 0 || (c >> shift) != 0); shift += 8)
        {
          hash ^= (c >> shift) & 0xFF;
          hash *= 1099511628211ULL;
        }
      letters++;
    }
  if (letters < PRINT_MIN_LETTERS)
    return 0;
  return hash == 0 ? 1 : (gint64) hash;
}

char *
desk_findings_encode (GPtrArray *findings)
{
  GString *out = g_string_sized_new (findings->len * 40);

  for (guint i = 0; i < findings->len; i++)
    {
      const DeskFinding *f = g_ptr_array_index (findings, i);

      g_string_append_printf (out, "%s%s:%u:%u:%s:%s", i ? " " : "",
                              desk_finding_kind_to_string (f->kind), f->start, f->end,
                              f->rule, f->language != NULL ? f->language : "*");
    }
  return g_string_free (out, FALSE);
}

/* The findings of desk_findings_encode(), with their evidence taken from
 * @text (the text they were found in) when it is given. */
GPtrArray *
desk_findings_decode (const char *encoded,
                      const char *text)
{
  GPtrArray *findings = g_ptr_array_new_with_free_func ((GDestroyNotify) desk_finding_free);
  g_auto(GStrv) items = NULL;
  glong text_chars = text != NULL ? g_utf8_strlen (text, -1) : 0;
  /* Findings come in the order of the text: one walk along it, not one
   * from its start for each. */
  DeskCharCursor cursor;

  if (encoded == NULL || *encoded == '\0')
    return findings;
  if (text != NULL)
    desk_char_cursor_init (&cursor, text);

  items = g_strsplit (encoded, " ", -1);
  for (guint i = 0; items[i] != NULL; i++)
    {
      g_auto(GStrv) fields = g_strsplit (items[i], ":", 5);
      DeskFinding *f;
      DeskFindingKind kind;

      if (g_strv_length (fields) != 5 || !desk_finding_kind_from_string (fields[0], &kind))
        continue;

      f = g_new0 (DeskFinding, 1);
      f->kind = kind;
      f->start = (guint) g_ascii_strtoull (fields[1], NULL, 10);
      f->end = (guint) g_ascii_strtoull (fields[2], NULL, 10);
      f->rule = g_strdup (fields[3]);
      f->language = g_strdup (fields[4]);
      f->removable = kind != DESK_FINDING_LABEL && kind != DESK_FINDING_ANNOUNCEMENT;
      if (text != NULL && f->start <= f->end && (glong) f->end <= text_chars)
        {
          const char *start = desk_char_cursor_seek (&cursor, f->start);
          const char *end = desk_char_cursor_seek (&cursor, f->end);

          f->evidence = g_strndup (start, end - start);
        }
      g_ptr_array_add (findings, f);
    }
  return findings;
}

/* ---- loading rules --------------------------------------------------------- */

static gboolean
is_dash (gunichar c)
{
  return c == '-' || (c >= 0x2010 && c <= 0x2015) || c == 0x2212;
}

#define DASHES "[-\\x{2010}-\\x{2015}\\x{2212}]"

/* A literal pattern as a regular expression: white space matches any run
 * of white space, and any run of dashes any other ("–" is "--" is "—"), with
 * or without spaces around it. */
static char *
literal_to_regex (const char *literal)
{
  GString *out = g_string_new (NULL);
  const char *p = literal;
  gboolean pending_space = FALSE;

  while (*p != '\0')
    {
      gunichar c = g_utf8_get_char (p);
      const char *next = g_utf8_next_char (p);

      if (g_unichar_isspace (c))
        {
          pending_space = TRUE;
        }
      else if (is_dash (c))
        {
          while (*next != '\0' && (is_dash (g_utf8_get_char (next)) || g_unichar_isspace (g_utf8_get_char (next))))
            next = g_utf8_next_char (next);
          /* A leading dash takes no space before it: that space belongs to
           * the dateline, which a clean-up keeps. */
          if (out->len > 0)
            g_string_append (out, "\\s*");
          g_string_append (out, DASHES "{1,3}\\s*");
          pending_space = FALSE;
        }
      else
        {
          g_autofree char *escaped = g_regex_escape_string (p, (int) (next - p));

          if (pending_space && out->len > 0)
            g_string_append (out, "\\s+");
          pending_space = FALSE;
          g_string_append (out, escaped);
        }
      p = next;
    }
  return g_string_free (out, FALSE);
}

static gboolean
has_backreference (const char *regex)
{
  for (const char *p = regex; *p != '\0'; p++)
    {
      if (*p == '\\')
        {
          if (g_ascii_isdigit (p[1]) && p[1] != '0')
            return TRUE;
          if (p[1] == 'g' || p[1] == 'k')
            return TRUE;
          if (p[1] != '\0')
            p++;
        }
      else if (*p == '(' && (g_str_has_prefix (p, "(?P=") || g_str_has_prefix (p, "(?P>")))
        return TRUE;
    }
  return FALSE;
}

static Where
default_where (DeskFindingKind kind)
{
  switch (kind)
    {
    case DESK_FINDING_CREDIT: return WHERE_DATELINE;
    case DESK_FINDING_LABEL: return WHERE_LABEL;
    case DESK_FINDING_SECTOR: return WHERE_FIELD;
    case DESK_FINDING_ANNOUNCEMENT: return WHERE_LEDE;
    case DESK_FINDING_DISCLAIMER:
    case DESK_FINDING_BOILERPLATE:
    default:
      return WHERE_WITHIN;
    }
}

static gboolean
valid_id (const char *id)
{
  if (id == NULL || *id == '\0' || strlen (id) > 80)
    return FALSE;
  for (const char *p = id; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_' && *p != '.')
      return FALSE;
  return TRUE;
}

/* The string member @name of @object, or NULL when it is missing or not a
 * string: a user's file may hold anything. */
static const char *
get_string (JsonObject *object,
            const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gboolean
get_boolean (JsonObject *object,
             const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_BOOLEAN && json_node_get_boolean (node);
}

static gboolean
valid_language_tag (const char *tag)
{
  if (tag == NULL || *tag == '\0' || strlen (tag) > 35)
    return FALSE;
  for (const char *p = tag; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '*')
      return FALSE;
  return TRUE;
}

/* Reads one rule; NULL with the problem in @error (without the file name,
 * which the caller adds). */
static Rule *
rule_from_json (JsonObject  *object,
                GError     **error)
{
  g_autoptr(GError) regex_error = NULL;
  g_autoptr(GRegex) check = NULL;
  Rule *rule = g_new0 (Rule, 1);
  const char *kind = NULL;
  const char *pattern = NULL;
  const char *where = NULL;
  JsonNode *languages;
  JsonNode *weight;

  rule->id = g_strdup (get_string (object, "id"));
  if (!valid_id (rule->id))
    {
      g_set_error (error, DESK_ERROR, DESK_ERROR_INVALID_INPUT,
                   _("“id” must be a name of letters, digits, “-”, “_” or “.”"));
      goto failed;
    }

  kind = get_string (object, "kind");
  if (!desk_finding_kind_from_string (kind, &rule->kind))
    {
      g_set_error (error, DESK_ERROR, DESK_ERROR_INVALID_INPUT,
                   _("unknown “kind” “%s”; use disclaimer, credit, boilerplate, label, sector or announcement"),
                   kind != NULL ? kind : "");
      goto failed;
    }

  rule->where = default_where (rule->kind);
  if (json_object_has_member (object, "where"))
    {
      gboolean known = FALSE;

      where = get_string (object, "where");
      for (guint w = 0; w < N_WHERE && !known; w++)
        if (g_strcmp0 (where, where_names[w]) == 0)
          {
            rule->where = (Where) w;
            known = TRUE;
          }
      if (!known)
        {
          g_set_error (error, DESK_ERROR, DESK_ERROR_INVALID_INPUT,
                       _("unknown “where” “%s”; use dateline, label, field, within, start, heading, notice or lede"),
                       where != NULL ? where : "");
          goto failed;
        }
    }

  languages = json_object_get_member (object, "languages");
  if (languages != NULL && JSON_NODE_HOLDS_ARRAY (languages))
    {
      JsonArray *array = json_node_get_array (languages);
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
      gboolean every = FALSE;

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);
          const char *tag = JSON_NODE_HOLDS_VALUE (element) &&
                            json_node_get_value_type (element) == G_TYPE_STRING
                            ? json_node_get_string (element) : NULL;

          if (!valid_language_tag (tag))
            {
              g_set_error (error, DESK_ERROR, DESK_ERROR_INVALID_INPUT,
                           _("“languages” must hold language tags such as “en” or “zh-Hant”, or be “*”"));
              goto failed;
            }
          every |= g_str_equal (tag, "*");
          g_strv_builder_add (builder, tag);
        }
      rule->languages = g_strv_builder_end (builder);
      if (every || rule->languages[0] == NULL)
        g_clear_pointer (&rule->languages, g_strfreev);
    }
  else if (g_strcmp0 (get_string (object, "languages"), "*") != 0)
    {
      g_set_error (error, DESK_ERROR, DESK_ERROR_INVALID_INPUT,
                   _("“languages” must be a list of language tags, or “*” for every language"));
      goto failed;
    }
  rule->languages_text = rule->languages != NULL ? g_strjoinv (",", rule->languages) : g_strdup ("*");

  pattern = get_string (object, "pattern");
  if (pattern == NULL || *pattern == '\0')
    {
      g_set_error (error, DESK_ERROR, DESK_ERROR_INVALID_INPUT, _("“pattern” is missing or empty"));
      goto failed;
    }
  if (get_boolean (object, "regex"))
    rule->regex = g_strdup (pattern);
  else
    rule->regex = literal_to_regex (pattern);
  if (has_backreference (rule->regex))
    {
      g_set_error (error, DESK_ERROR, DESK_ERROR_INVALID_INPUT,
                   _("the pattern uses a back-reference, which rules cannot use"));
      goto failed;
    }
  check = g_regex_new (rule->regex, G_REGEX_CASELESS, 0, &regex_error);
  if (check == NULL)
    {
      g_set_error (error, DESK_ERROR, DESK_ERROR_INVALID_INPUT,
                   _("the pattern is not a valid regular expression: %s"), regex_error->message);
      goto failed;
    }
  if (g_regex_get_capture_count (check) > 0 && strstr (rule->regex, "(?<") != NULL)
    {
      g_set_error (error, DESK_ERROR, DESK_ERROR_INVALID_INPUT,
                   _("the pattern names a group, which rules cannot do"));
      goto failed;
    }

  rule->case_sensitive = get_boolean (object, "case_sensitive");

  weight = json_object_get_member (object, "weight");
  if (weight == NULL || !JSON_NODE_HOLDS_VALUE (weight) ||
      (json_node_get_value_type (weight) != G_TYPE_DOUBLE && json_node_get_value_type (weight) != G_TYPE_INT64))
    {
      g_set_error (error, DESK_ERROR, DESK_ERROR_INVALID_INPUT,
                   _("“weight” must be a number (1.0 flags a release on its own)"));
      goto failed;
    }
  rule->weight = json_node_get_double (weight);
  if (rule->weight < 0 || rule->weight > 100)
    {
      g_set_error (error, DESK_ERROR, DESK_ERROR_INVALID_INPUT,
                   _("“weight” must be between 0 and 100"));
      goto failed;
    }

  rule->wire = g_strdup (get_string (object, "wire"));

  if (json_object_has_member (object, "implies"))
    {
      const char *implies = get_string (object, "implies");

      if (g_strcmp0 (implies, "sponsored") == 0)
        rule->sponsored = TRUE;
      else if (g_strcmp0 (implies, "third_party") != 0)
        {
          g_set_error (error, DESK_ERROR, DESK_ERROR_INVALID_INPUT,
                       _("unknown “implies” “%s”; use sponsored or third_party"),
                       implies != NULL ? implies : "");
          goto failed;
        }
    }
  else
    rule->sponsored = rule->kind == DESK_FINDING_LABEL;

  return rule;

failed:
  rule_free (rule);
  return NULL;
}

/* Reads a rules file into @out (of Rule): all of it, or nothing and an
 * error naming @name and the problem. */
static gboolean
parse_rules (const char  *data,
             gssize       length,
             const char  *name,
             GPtrArray   *out,
             GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
  JsonNode *root;
  JsonNode *rules_node;
  JsonArray *rules;

  if (!json_parser_load_from_data (parser, data, length, &local_error))
    {
      g_set_error (error, DESK_ERROR, DESK_ERROR_INVALID_INPUT,
                   _("%s is not valid JSON: %s"), name, local_error->message);
      return FALSE;
    }

  root = json_parser_get_root (parser);
  rules_node = root != NULL && JSON_NODE_HOLDS_OBJECT (root)
               ? json_object_get_member (json_node_get_object (root), "rules") : NULL;
  if (rules_node == NULL || !JSON_NODE_HOLDS_ARRAY (rules_node))
    {
      g_set_error (error, DESK_ERROR, DESK_ERROR_INVALID_INPUT,
                   _("%s must hold an object with a “rules” list"), name);
      return FALSE;
    }

  rules = json_node_get_array (rules_node);
  for (guint i = 0; i < json_array_get_length (rules); i++)
    {
      JsonNode *node = json_array_get_element (rules, i);
      JsonObject *object = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      const char *id = object != NULL ? get_string (object, "id") : NULL;
      Rule *rule;

      if (object == NULL)
        {
          g_set_error (error, DESK_ERROR, DESK_ERROR_INVALID_INPUT,
                       _("%s: rule %u is not an object"), name, i + 1);
          return FALSE;
        }
      rule = rule_from_json (object, &local_error);
      if (rule == NULL)
        {
          g_set_error (error, DESK_ERROR, DESK_ERROR_INVALID_INPUT,
                       _("%s: rule %u (“%s”): %s"), name, i + 1, id != NULL ? id : "?",
                       local_error->message);
          return FALSE;
        }
      if (!g_hash_table_add (ids, rule->id))
        {
          g_set_error (error, DESK_ERROR, DESK_ERROR_INVALID_INPUT,
                       _("%s: rule %u: the id “%s” is used twice"), name, i + 1, rule->id);
          rule_free (rule);
          return FALSE;
        }
      g_ptr_array_add (out, rule);
    }

  return TRUE;
}

static int
compare_by_weight (gconstpointer a,
                   gconstpointer b,
                   gpointer      user_data)
{
  GPtrArray *rules = user_data;
  const Rule *ra = g_ptr_array_index (rules, *(const guint *) a);
  const Rule *rb = g_ptr_array_index (rules, *(const guint *) b);

  /* Heavier first: where two rules match at the same place, the
   * alternation takes the first. */
  if (ra->weight != rb->weight)
    return ra->weight > rb->weight ? -1 : 1;
  return (int) *(const guint *) a - (int) *(const guint *) b;
}

/* What a place adds around its rules' alternation. */
static void
wrap_for (Where        where,
          const char **before,
          const char **after)
{
  switch (where)
    {
    case WHERE_DATELINE:
      /* An optional dateline ("NEW YORK, March 3, 2025 ") that holds no end
       * of a sentence, then the credit. */
      *before = "^(?:[^\\n.!?。！？]|\\.(?=\\S|\\s+[^\\p{Lu}\\p{Lt}])){0,120}?(?:";
      *after = ")";
      break;
    case WHERE_LABEL:
      /* The label alone on its line, or before the headline after a
       * separator or a closing bracket, or "Sponsored by Acme". */
      /* "（广告）": Chinese and Japanese copy brackets it full-width. */
      /* "— Publicidad —": dashes around it too. */
      *before = "^[\\s\\[(（【「『<*_#|•·–—-]*(?:";
      *after = ")(?:[\\s\\])）】」』>*_|.!:：–—-]*$"
               "|\\s*[\\])】」』]\\s*(?=\\S)"
               "|\\s*[:：|｜]\\s*(?=\\S)"
               "|\\s+" DASHES "{1,2}\\s+(?=\\S)"
               "|\\s+(?:by|von|de|por|par|oleh|dari|da|door|od|от|with|mit|avec|con|com|dengan|met)\\s+[^.!?。\\n]{1,60}$)";
      break;
    case WHERE_FIELD:
      *before = "^(?:";
      *after = ")\\s*[:：]\\s*(?=\\S)";
      break;
    case WHERE_NOTICE:
      /* The notice alone on its line, or with a short tail that is not a
       * sentence: "PRESS RELEASE GlobeNewswire", "Published: 11 March". */
      *before = "^[\\s\\[(【「*_#|•·]*(?:";
      *after = ")(?:[\\s\\])】」*_|.!:：]*$"
               "|\\s*[:：|｜]?\\s+[^.!?。\\n]{1,48}$"
               "|\\s*[:：]\\s*[^.!?。\\n]{1,48}$"
               /* "Press Release No. 27/2026", "Nota à imprensa n.º 18/2026" */
               "|,?\\s+(?:No|Nr|Nº|nº|N°|n°|n\\.º|N\\.º|Nomor|Number|Número|Numéro)\\.?\\s*[\\w/.-]{1,24}$)";
      break;
    case WHERE_START:
      *before = "^[\\s*_]*(?:";
      *after = ")";
      break;
    case WHERE_WITHIN:
    case WHERE_HEADING:
    case WHERE_LEDE:
    default:
      *before = "(?:";
      *after = ")";
      break;
    }
}

static Matcher *
matcher_new (DeskDetector  *self,
             Where          where,
             const guint   *indices,
             guint          n,
             GError       **error)
{
  g_autoptr(GString) source = g_string_new (NULL);
  Matcher *matcher = g_new0 (Matcher, 1);
  const char *before;
  const char *after;

  wrap_for (where, &before, &after);
  g_string_append (source, before);
  for (guint i = 0; i < n; i++)
    {
      const Rule *rule = g_ptr_array_index (self->rules, indices[i]);

      g_string_append_printf (source, "%s(?<r%u>%s%s%s)", i ? "|" : "", i,
                              rule->case_sensitive ? "(?-i:" : "", rule->regex,
                              rule->case_sensitive ? ")" : "");
      matcher->max_weight = MAX (matcher->max_weight, rule->weight);
    }
  g_string_append (source, after);

  g_mutex_init (&matcher->lock);
  matcher->regex = g_regex_new (source->str, G_REGEX_CASELESS | G_REGEX_OPTIMIZE, 0, error);
  if (matcher->regex == NULL)
    {
      matcher_free (matcher);
      return NULL;
    }
  matcher->n_rules = n;
  matcher->rules = g_memdup2 (indices, sizeof (guint) * n);
  /* Only asked where PCRE would try every position (desk-regex-prefilter.c). */
  matcher->prefilter = desk_regex_prefilter_new ();
  for (guint i = 0; i < n; i++)
    {
      const Rule *rule = g_ptr_array_index (self->rules, indices[i]);

      /* A rule without literals lets every text through, yet the
       * prefilter still tells which of the others may match. */
      desk_regex_prefilter_add (matcher->prefilter, rule->regex);
    }
  matcher->groups = g_new (int, n);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *name = g_strdup_printf ("r%u", i);
      matcher->groups[i] = g_regex_get_string_number (matcher->regex, name);
    }
  return matcher;
}

/* Compiles the rules into matchers, and hashes them: the hash changes when
 * any rule that decides a verdict changes, and only then. */
static gboolean
compile_rules (DeskDetector  *self,
               GError       **error)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);

  g_checksum_update (checksum, (const guchar *) DETECTOR_ALGORITHM, -1);
  for (guint i = 0; i < self->rules->len; i++)
    {
      const Rule *rule = g_ptr_array_index (self->rules, i);
      g_autofree char *line = g_strdup_printf ("\n%s|%d|%d|%s|%s|%d|%g|%s|%d", rule->id, rule->kind,
                                               rule->where, rule->languages_text, rule->regex,
                                               rule->case_sensitive, rule->weight,
                                               rule->wire ? rule->wire : "", rule->sponsored);
      g_checksum_update (checksum, (const guchar *) line, -1);
    }

  for (guint w = 0; w < N_WHERE; w++)
    {
      g_autoptr(GArray) every = g_array_new (FALSE, FALSE, sizeof (guint));
      g_autoptr(GPtrArray) matchers = g_ptr_array_new_with_free_func ((GDestroyNotify) matcher_free);

      for (guint i = 0; i < self->rules->len; i++)
        {
          const Rule *rule = g_ptr_array_index (self->rules, i);

          if (rule->where == (Where) w)
            g_array_append_val (every, i);
        }
      g_array_sort_with_data (every, compare_by_weight, self->rules);

      if (every->len > 0)
        {
          Matcher *matcher = matcher_new (self, (Where) w, (guint *) every->data, every->len, error);
          if (matcher == NULL)
            return FALSE;
          /* Unanchored, they try every rule at every place of a paragraph
           * (bench-detect's within and lede: a fifth of an import's
           * instructions went to them, most to rules that could not
           * match there); a dateline's tries every credit after each of
           * up to 120 characters of a first line (5% of them). */
          matcher->narrows = (w == WHERE_WITHIN || w == WHERE_LEDE || w == WHERE_DATELINE) &&
                             every->len > 1 && every->len <= NARROW_WORDS * 64;
          g_ptr_array_add (matchers, matcher);
        }
      else
        g_ptr_array_add (matchers, NULL);

      /* For the rare paragraph where a rule for another language matches
       * first and may hide one for this language. */
      for (guint i = 0; i < self->rules->len; i++)
        {
          const Rule *rule = g_ptr_array_index (self->rules, i);
          Matcher *matcher;

          if (rule->where != (Where) w || rule->languages == NULL)
            continue;
          matcher = matcher_new (self, (Where) w, &i, 1, error);
          if (matcher == NULL)
            return FALSE;
          g_ptr_array_add (matchers, matcher);
        }

      g_clear_pointer (&self->matchers[w], g_ptr_array_unref);
      self->matchers[w] = g_steal_pointer (&matchers);
    }

  g_free (self->rules_hash);
  self->rules_hash = g_strdup (g_checksum_get_string (checksum));
  return TRUE;
}

/* Adds parsed rules: one with the id of a rule already there replaces it. */
static void
merge_rules (DeskDetector *self,
             GPtrArray    *rules)
{
  for (guint i = 0; i < rules->len; i++)
    {
      Rule *rule = g_ptr_array_index (rules, i);
      gboolean replaced = FALSE;

      for (guint j = 0; j < self->rules->len && !replaced; j++)
        {
          Rule *old = g_ptr_array_index (self->rules, j);

          if (g_str_equal (old->id, rule->id))
            {
              rule_free (old);
              self->rules->pdata[j] = rule;
              replaced = TRUE;
            }
        }
      if (!replaced)
        g_ptr_array_add (self->rules, rule);
      rules->pdata[i] = NULL;
    }
}

static gboolean
add_rules_data (DeskDetector  *self,
                const char    *data,
                gssize         length,
                const char    *name,
                GError       **error)
{
  g_autoptr(GPtrArray) parsed = g_ptr_array_new_with_free_func ((GDestroyNotify) rule_free);
  g_autoptr(GError) local_error = NULL;

  if (!parse_rules (data, length, name, parsed, error))
    return FALSE;
  merge_rules (self, parsed);
  if (!compile_rules (self, &local_error))
    {
      /* Every rule compiled on its own, so this is a limit of the
       * combined expression: say so rather than fail silently. */
      g_set_error (error, DESK_ERROR, DESK_ERROR_INVALID_INPUT,
                   _("%s: the rules could not be combined: %s"), name, local_error->message);
      return FALSE;
    }
  return TRUE;
}

/* A detector with the rules shipped with Copydesk. */
DeskDetector *
desk_detector_new (void)
{
  DeskDetector *self = g_object_new (DESK_TYPE_DETECTOR, NULL);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  gsize size = 0;
  const char *data;

  bytes = g_resource_lookup_data (copydesk_core_get_resource (), SHIPPED_RULES, 0, &error);
  if (bytes == NULL)
    g_error ("The shipped sponsor rules are missing: %s", error->message);
  data = g_bytes_get_data (bytes, &size);
  if (!add_rules_data (self, data, (gssize) size, "resource://" SHIPPED_RULES, &error))
    g_error ("The shipped sponsor rules are broken: %s", error->message);
  return self;
}

/* Adds the rules of the file at @path.  If the file cannot be used, the
 * detector keeps the rules it had, and @error names the file and says what
 * is wrong with it. */
gboolean
desk_detector_add_rules_file (DeskDetector  *self,
                              const char    *path,
                              GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *data = NULL;
  gsize length = 0;
  g_autoptr(GPtrArray) previous = NULL;

  g_return_val_if_fail (DESK_IS_DETECTOR (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (!g_file_get_contents (path, &data, &length, &local_error))
    {
      g_set_error (error, DESK_ERROR, DESK_ERROR_INVALID_INPUT,
                   _("The sponsor rules file %s cannot be read: %s"), path, local_error->message);
      return FALSE;
    }

  /* All or nothing: keep copies to go back to if the file's rules do not
   * combine with the others. */
  previous = g_ptr_array_new_with_free_func ((GDestroyNotify) rule_free);
  for (guint i = 0; i < self->rules->len; i++)
    {
      const Rule *rule = g_ptr_array_index (self->rules, i);
      Rule *copy = g_memdup2 (rule, sizeof *rule);

      copy->id = g_strdup (rule->id);
      copy->languages = g_strdupv (rule->languages);
      copy->languages_text = g_strdup (rule->languages_text);
      copy->regex = g_strdup (rule->regex);
      copy->wire = g_strdup (rule->wire);
      g_ptr_array_add (previous, copy);
    }

  if (!add_rules_data (self, data, (gssize) length, path, &local_error))
    {
      g_ptr_array_unref (self->rules);
      self->rules = g_steal_pointer (&previous);
      compile_rules (self, NULL);
      g_set_error (error, DESK_ERROR, DESK_ERROR_INVALID_INPUT,
                   _("The sponsor rules file %s was not used: %s"), path, local_error->message);
      return FALSE;
    }
  return TRUE;
}

/* $COPYDESK_SPONSOR_RULES, else copydesk/sponsor-rules.json in the user's
 * config folder; NULL when the variable is set but empty. */
char *
desk_detector_dup_user_rules_path (void)
{
  const char *env = g_getenv ("COPYDESK_SPONSOR_RULES");

  if (env != NULL)
    return *env != '\0' ? g_strdup (env) : NULL;
  return g_build_filename (g_get_user_config_dir (), "copydesk", "sponsor-rules.json", NULL);
}

/* The shipped rules and the user's, built once.  A user file that cannot
 * be used is reported (desk_detector_get_user_rules_error()), and the
 * shipped rules work without it. */
DeskDetector *
desk_detector_get_default (void)
{
  static DeskDetector *detector;

  if (g_once_init_enter (&detector))
    {
      DeskDetector *self = desk_detector_new ();
      g_autofree char *path = desk_detector_dup_user_rules_path ();

      if (path != NULL && g_file_test (path, G_FILE_TEST_EXISTS) &&
          !desk_detector_add_rules_file (self, path, &self->user_rules_error))
        g_warning ("%s", self->user_rules_error->message);
      g_once_init_leave (&detector, self);
    }
  return detector;
}

const char *
desk_detector_get_rules_hash (DeskDetector *self)
{
  g_return_val_if_fail (DESK_IS_DETECTOR (self), NULL);
  return self->rules_hash;
}

guint
desk_detector_get_n_rules (DeskDetector *self)
{
  g_return_val_if_fail (DESK_IS_DETECTOR (self), 0);
  return self->rules->len;
}

const GError *
desk_detector_get_user_rules_error (DeskDetector *self)
{
  g_return_val_if_fail (DESK_IS_DETECTOR (self), NULL);
  return self->user_rules_error;
}

/* ---- detecting ------------------------------------------------------------ */

static gboolean
rule_applies (const Rule *rule,
              const char *language)
{
  if (rule->languages == NULL || language == NULL || *language == '\0' ||
      g_str_equal (language, "und"))
    return TRUE;

  for (guint i = 0; rule->languages[i] != NULL; i++)
    {
      const char *tag = rule->languages[i];
      gsize n = strlen (tag);

      if (g_ascii_strncasecmp (language, tag, n) == 0 && (language[n] == '\0' || language[n] == '-'))
        return TRUE;
    }
  return FALSE;
}

typedef struct {
  const Rule *rule;
  gsize       start;     /* bytes: the match, or the whole paragraph */
  gsize       end;
  gsize       rule_start; /* where the rule's own pattern matched: after a dateline */
} Hit;

/* Runs @matcher over text[start, end), keeping in @out_hit the heaviest
 * match of a rule for @language (the first of equals).  TRUE if a rule for
 * another language matched where one for @language might have. */
static gboolean match_all (DeskDetector *self,
                           Matcher      *matcher,
                           Where         where,
                           const char   *text,
                           gsize         start,
                           gsize         end,
                           const char   *language,
                           Hit          *out_hit);

/* The matcher of @matcher's rules that @bits holds (in the same order),
 * compiled the first time a text asks for it; @matcher itself when there
 * are too many already. */
static Matcher *
narrowed_matcher (DeskDetector    *self,
                  Matcher         *matcher,
                  Where            where,
                  const NarrowKey *bits)
{
  Matcher *narrowed;

  g_mutex_lock (&matcher->lock);
  if (matcher->narrowed == NULL)
    matcher->narrowed = g_hash_table_new_full (narrow_key_hash, narrow_key_equal, g_free,
                                               (GDestroyNotify) matcher_free);
  narrowed = g_hash_table_lookup (matcher->narrowed, bits);
  if (narrowed == NULL && g_hash_table_size (matcher->narrowed) < NARROW_MAX)
    {
      guint indices[NARROW_WORDS * 64];
      guint n = 0;

      for (guint i = 0; i < matcher->n_rules; i++)
        if (bits->bits[i / 64] & (G_GUINT64_CONSTANT (1) << (i % 64)))
          indices[n++] = matcher->rules[i];
      narrowed = matcher_new (self, where, indices, n, NULL);
      if (narrowed != NULL)
        {
          /* Its text has been asked already. */
          g_clear_pointer (&narrowed->prefilter, desk_regex_prefilter_free);
          g_hash_table_insert (matcher->narrowed, g_memdup2 (bits, sizeof *bits), narrowed);
        }
    }
  g_mutex_unlock (&matcher->lock);
  return narrowed != NULL ? narrowed : matcher;
}

static gboolean
run_matcher (DeskDetector *self,
             Matcher      *matcher,
             Where         where,
             const char   *text,
             gsize         start,
             gsize         end,
             const char   *language,
             Hit          *out_hit)
{
  /* Only the rules whose literals the text holds: a rule that cannot
   * match anywhere in it takes no part in any match of the combined
   * expression, so the matches, their order and their rules are the
   * same; and where a narrowed matcher stops sooner (its heaviest rule is
   * lighter), no rule it left out could have made a heavier hit, nor
   * could the matchers find() tries after a shadowed one. */
  if (matcher->narrows)
    {
      NarrowKey bits;
      guint set = 0;

      if (desk_regex_prefilter_which (matcher->prefilter, text + start, end - start,
                                      bits.bits, NARROW_WORDS))
        {
          for (guint i = 0; i < NARROW_WORDS; i++)
            set += (guint) __builtin_popcountll (bits.bits[i]);
          if (set == 0)
            return FALSE;
          if (set < matcher->n_rules)
            matcher = narrowed_matcher (self, matcher, where, &bits);
          return match_all (self, matcher, where, text, start, end, language, out_hit);
        }
    }

  /* No literal that every match holds: nothing can match. */
  if (matcher->prefilter != NULL &&
      !desk_regex_prefilter_may_match (matcher->prefilter, text + start, end - start))
    return FALSE;
  return match_all (self, matcher, where, text, start, end, language, out_hit);
}

/* run_matcher() once the text may match. */
static gboolean
match_all (DeskDetector *self,
           Matcher      *matcher,
           Where         where,
           const char   *text,
           gsize         start,
           gsize         end,
           const char   *language,
           Hit          *out_hit)
{
  g_autoptr(GMatchInfo) info = NULL;
  gboolean shadowed = FALSE;

  g_regex_match_full (matcher->regex, text + start, (gssize) (end - start), 0, 0, &info, NULL);
  while (g_match_info_matches (info))
    {
      for (guint i = 0; i < matcher->n_rules; i++)
        {
          const Rule *rule = g_ptr_array_index (self->rules, matcher->rules[i]);
          int s = -1;
          int e = -1;

          if (!g_match_info_fetch_pos (info, matcher->groups[i], &s, &e) || s < 0)
            continue;
          if (!rule_applies (rule, language))
            shadowed = TRUE;
          else if (out_hit->rule == NULL || rule->weight > out_hit->rule->weight)
            {
              int ms = 0;
              int me = 0;

              g_match_info_fetch_pos (info, 0, &ms, &me);
              out_hit->rule = rule;
              out_hit->start = start + (gsize) ms;
              out_hit->end = start + (gsize) me;
              out_hit->rule_start = start + (gsize) s;
            }
          break;
        }
      /* Anchored places have one match at most. */
      if (where != WHERE_WITHIN || (out_hit->rule != NULL && out_hit->rule->weight >= matcher->max_weight))
        break;
      g_match_info_next (info, NULL);
    }
  return shadowed;
}

/* The best (heaviest, then first) match of the rules for @where in
 * text[start, end): one pass of the combined expression, as a rule rarely
 * matches where one for another language does too. */
static gboolean
find (DeskDetector *self,
      Where         where,
      const char   *text,
      gsize         start,
      gsize         end,
      const char   *language,
      Hit          *out_hit)
{
  GPtrArray *matchers = self->matchers[where];
  Matcher *combined = g_ptr_array_index (matchers, 0);

  out_hit->rule = NULL;
  if (combined == NULL)
    return FALSE;
  if (run_matcher (self, combined, where, text, start, end, language, out_hit))
    {
      for (guint m = 1; m < matchers->len; m++)
        {
          Matcher *matcher = g_ptr_array_index (matchers, m);
          const Rule *rule = g_ptr_array_index (self->rules, matcher->rules[0]);

          if (rule_applies (rule, language) &&
              (out_hit->rule == NULL || rule->weight > out_hit->rule->weight))
            run_matcher (self, matcher, where, text, start, end, language, out_hit);
        }
    }
  return out_hit->rule != NULL;
}

/* Characters in @len bytes of UTF-8: the bytes that do not continue a
 * sequence (far quicker than g_utf8_strlen(), which decodes each one). */
static guint
count_chars (const char *text,
             gsize       len)
{
  guint n = 0;

  for (gsize i = 0; i < len; i++)
    n += ((guchar) text[i] & 0xC0) != 0x80;
  return n;
}

/* The end of the first line of text[start, end). */
static gsize
first_line_end (const char *text,
                gsize       start,
                gsize       end)
{
  const char *nl = memchr (text + start, '\n', end - start);

  return nl != NULL ? (gsize) (nl - text) : end;
}

static gboolean
ends_a_sentence (const char *text,
                 gsize       start,
                 gsize       end)
{
  const char *last;
  gunichar c;

  if (end <= start)
    return FALSE;
  last = g_utf8_find_prev_char (text + start, text + end);
  if (last == NULL)
    return FALSE;
  c = g_utf8_get_char (last);
  return c == '.' || c == '!' || c == '?' || c == 0x3002 || c == 0xFF01 || c == 0xFF1F;
}

/* A line of a contact block: "Jane Doe", "Acme Inc.", "+1 555 0100"; not
 * a short sentence ("More to follow.").  A full stop ends a contact line
 * only after a capitalised abbreviation such as "Inc." or "Ltd.". */
static gboolean
is_contact_line (const char *text,
                 gsize       start,
                 gsize       end)
{
  const char *last_word;

  if (end - start > 80 || memchr (text + start, '\n', end - start) != NULL ||
      count_chars (text + start, end - start) > 60)
    return FALSE;
  if (!ends_a_sentence (text, start, end))
    return TRUE;
  if (text[end - 1] != '.')
    return FALSE;
  last_word = g_strrstr_len (text + start, (gssize) (end - start), " ");
  last_word = last_word != NULL ? last_word + 1 : text + start;
  if (text + end - last_word > 5 || !g_ascii_isupper (*last_word))
    return FALSE;
  /* "Dárkové balení stojí 1 290 Kč.", "… mit 3,5 Mio. Euro.": a sentence
   * that ends on a currency's abbreviation has words in lower case; a
   * company's name ("Harbor & Co. Ltd.") has one at most ("of"). */
  {
    guint lower_words = 0;

    for (const char *p = text + start; p < last_word; p = g_utf8_next_char (p))
      if ((p == text + start || p[-1] == ' ') && g_unichar_islower (g_utf8_get_char (p)))
        lower_words++;
    return lower_words < 3;
  }
}

/* A heading: a short line that is not a sentence ("About Acme",
 * "Media contact:"), not "Over time, foam and springs lose …". */
static gboolean
is_heading_line (const char *text,
                 gsize       start,
                 gsize       line_end)
{
  guint words = 1;

  if (line_end - start > 200 || count_chars (text + start, line_end - start) > 60)
    return FALSE;
  for (gsize i = start; i < line_end; i++)
    words += text[i] == ' ';
  /* "About Acme Corp." ends with a full stop and is still a heading;
   * "Giới thiệu về Công ty Cổ phần Sao Mai" has nine words. */
  return words <= 10 && (words <= 5 || !ends_a_sentence (text, start, line_end));
}

/* An about-paragraph on the issuer adds this much: a news story may end
 * on a sentence about the company too, so it is a zone cue more than
 * evidence. */
#define ISSUER_ABOUT_WEIGHT 0.3

/* An address in a contact block at the end: a news story may end on the
 * newsroom's address too. */
#define CONTACT_ADDRESS_WEIGHT 0.2

/* An about-paragraph and a contact block with an address together at the
 * end are the shape of a press release, whatever its language: the
 * about-paragraph weighs this much more. */
#define ABOUT_AND_CONTACT_WEIGHT 0.5

/* A message a press office sent, forwarded to the desk with a covering
 * note: the release it carries is the office's. */
#define FORWARDED_FROM_PRESS_WEIGHT 0.7

/* That message ending on the office's signature block with an address. */
#define FORWARDED_SIGNATURE_WEIGHT 0.3

/* A story's end marker found by its shape ("-selesai-"), as much as the
 * rule for "###" and "-30-" gives. */
#define END_MARKER_WEIGHT 0.3

/* The organisation's own social post embedded at the end of a page whose
 * story opens with its name. */
#define ISSUER_POST_WEIGHT 0.3

/* A release notice read by its words where no rule names it ("BASIN
 * AÇIKLAMASI"), as much as a named one gives. */
#define NOTICE_BY_WORDS_WEIGHT 1.0

/* A web page's trail of sections that passes through the organisation's
 * newsroom ("Inicio › Sala de prensa › Actualidad"): weighs as a
 * newsroom's section label does. */
#define NEWSROOM_TRAIL_WEIGHT 0.6

/* A page whose footer's copyright names the organisation its story opens
 * with is that organisation's own page: as much as a newsroom's section
 * label gives. */
#define OWN_PAGE_WEIGHT 0.6

/* A pitch's covering note signed by the person the release's contact
 * block names. */
#define PITCH_SIGNED_BY_CONTACT_WEIGHT 0.6

static gboolean
is_name_word (const char *word,
              gsize       len)
{
  static const char * const articles[] = {
    "The", "A", "An", "In", "On", "At", "For", "Die", "Der", "Das", "Le", "La", "Les",
    "El", "Los", "Las", "Il", "Lo", "Het", "De", "Een", "Ein", "Eine", "Un", "Une", "Una",
    "Uma", "O", "Os", "As", "This", "Today", "Hari", "Pada", "Dalam",
  };
  gunichar c = g_utf8_get_char (word);

  if (!(g_unichar_isupper (c) || g_unichar_istitle (c) || g_unichar_isdigit (c)))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (articles); i++)
    if (strlen (articles[i]) == len && strncmp (articles[i], word, len) == 0)
      return FALSE;
  return TRUE;
}

/* The length of an article and the space after it at @p ("Die ", "A "),
 * or 0. */
static gsize
article_length (const char *p,
                const char *end)
{
  static const char * const articles[] = {
    "The", "Die", "Der", "Das", "Le", "La", "Les", "El", "Los", "Las", "Il", "Lo",
    "Het", "De", "A", "O", "Os", "As",
  };

  for (guint i = 0; i < G_N_ELEMENTS (articles); i++)
    {
      gsize n = strlen (articles[i]);

      if ((gsize) (end - p) > n + 1 && strncmp (p, articles[i], n) == 0 && p[n] == ' ' &&
          g_unichar_isupper (g_utf8_get_char (p + n + 1)))
        return n + 1;
    }
  return 0;
}

/* Whether the full stop at @dot ends a short abbreviation of a dateline
 * ("TP. Hồ Chí Minh", "Dec. 3", "St. Louis"), not a sentence. */
static gboolean
after_abbreviation (const char *start,
                    const char *dot)
{
  const char *word = dot;

  while (word > start && word[-1] != ' ' && word[-1] != ',')
    word--;
  return dot - word >= 1 && dot - word <= 3 && g_ascii_isupper (*word) &&
         (dot[1] == ' ' || dot[1] == '\0');
}

/* The organisation the story's first paragraph opens with, after its
 * dateline and credit: "Harbourline Foods" of "COLUMBUS, Ohio … /PRNewswire/
 * -- Harbourline Foods, a producer …"; NULL when it opens otherwise or with
 * a single word (a place, a person's name, "Russia"). */
static char *
issuer_named (const char         *text,
              const DeskByteSpan *paragraph,
              gsize               after_credit)
{
  const char *p;
  const char *end;
  const char *name_start;
  const char *name_end = NULL;
  guint words = 0;

  if (paragraph == NULL)
    return NULL;
  p = text + MAX (paragraph->start, after_credit);
  end = text + paragraph->end;
  if (after_credit == 0)
    {
      /* After a dateline's dash, if there is one near the start. */
      for (const char *q = p; q < end && q < p + 160; q = g_utf8_next_char (q))
        if (is_dash (g_utf8_get_char (q)) && q > p && q[-1] == ' ')
          {
            p = q;
            break;
          }
        else if ((*q == '.' && !(q > p && g_ascii_isdigit (q[-1])) && !after_abbreviation (p, q)) ||
                 *q == '\n')
          break;   /* "Bremen, 3. Juni 2025 – " goes on past the day's dot */
    }
  while (p < end && (is_dash (g_utf8_get_char (p)) || g_unichar_isspace (g_utf8_get_char (p))))
    p = g_utf8_next_char (p);
  /* "Die Weserwerk Logistik GmbH nimmt …", "A Cerrado Agro anunciou …" */
  p += article_length (p, end);
  name_start = p;

  while (p < end && words < 6)
    {
      const char *w = p;

      while (p < end && *p != ' ' && *p != ',' && *p != '(' && *p != '\n')
        p = g_utf8_next_char (p);
      if (p == w || !is_name_word (w, (gsize) (p - w)) ||
          (words == 0 && (p - w) < 2))
        break;
      /* "Eastmere University's School of Law": the name ends at its
       * possessive. */
      if (p - w > 2 && (g_str_has_prefix (p - 2, "'s") ||
                        (p - w > 4 && g_str_has_prefix (p - 4, "\xe2\x80\x99s"))))
        {
          name_end = p - (p[-3] == '\'' || p[-2] == '\'' ? 2 : 4);
          words++;
          break;
        }
      name_end = p;
      words++;
      if (p < end && *p != ' ')
        break;
      p++;
    }
  if (words < 2)
    return NULL;
  return g_strndup (name_start, (gsize) (name_end - name_start));
}

/* "Acme Robotics is a …", "Acme Robotics (NYSE: ACME) ist ein …": an
 * about-paragraph on @issuer that has no heading. */
static gboolean
is_issuer_about (const char *text,
                 gsize       start,
                 gsize       end,
                 const char *issuer)
{
  static GRegex *verb;
  gsize n;
  g_autoptr(GMatchInfo) info = NULL;

  if (issuer == NULL)
    return FALSE;
  start += article_length (text + start, text + end);
  n = strlen (issuer);
  if (end - start <= n || strncmp (text + start, issuer, n) != 0)
    return FALSE;
  if (g_once_init_enter (&verb))
    g_once_init_leave (&verb, g_regex_new ("^(?:,?\\s+(?:Inc|Corp|Ltd|LLC|AG|GmbH|SE|plc|Tbk|Bhd|Oyj|AB|ASA)\\.?)?"
                                           "(?:\\s*\\([^)\\n]{1,40}\\))?,?\\s+"
                                           "(?:is|are|ist|adalah|ialah|merupakan|est|es|é|è|är|er|jest|je|является|là|は)\\s",
                                           G_REGEX_OPTIMIZE, 0, NULL));
  return g_regex_match_full (verb, text + start + n, (gssize) (end - start - n), 0, 0, &info, NULL);
}

/* Whether @c may stand next to a word that ends or starts there: no
 * letter or digit, or a Chinese, Japanese or Korean one, which have no
 * spaces between words. */
static gboolean
parts_words (gunichar c)
{
  return !g_unichar_isalnum (c) || c >= 0x2E80;
}

/* Whether @name (@len bytes) stands in text[start, end) as a word of
 * its own. */
static gboolean
names_in (const char *text,
          gsize       start,
          gsize       end,
          const char *name,
          gsize       len)
{
  const char *limit = text + end;

  for (const char *found = text + start; found + len <= limit; found++)
    if (*found == *name && memcmp (found, name, len) == 0 &&
        (found == text + start || parts_words (g_utf8_get_char (g_utf8_find_prev_char (text + start, found)))) &&
        (found + len == limit || parts_words (g_utf8_get_char (found + len))))
      return TRUE;
  return FALSE;
}

/* An about-paragraph by its form alone, with no heading and whatever the
 * issuer is called: "<Name> is a / ist ein / est une / è un / es una …"
 * or "<名>は、…企業です。", "<名>是一家…", where the name (or its first
 * words: "Caseificio Valbruna S.p.A." of "Caseificio Valbruna ha …") is
 * one the story's first paragraph, @lede, names.  Read only in the end
 * matter, read back from the end. */
static gboolean
is_about_by_form (const char         *text,
                  gsize               start,
                  gsize               end,
                  const DeskByteSpan *lede)
{
  static GRegex *latin;
  static GRegex *cjk;
  static const char * const pronouns[] = {
    "They", "These", "Those", "There", "Here", "What", "Which", "Dies", "Cela", "Ceci", "Esto",
    "Esta", "Este", "Isso", "Questo", "Questa", "Dit", "Deze", "Det", "Den", "Ini", "Itu",
  };
  g_autoptr(GMatchInfo) info = NULL;
  int name_start = -1;
  int name_end = -1;

  if (lede == NULL || end - start > 1200 || (start >= lede->start && start < lede->end))
    return FALSE;
  if (g_once_init_enter (&latin))
    g_once_init_leave (&latin, g_regex_new ("^(?:(?:The|Die|Der|Das|Le|La|Les|El|Los|Las|Il|Lo|Het|De|A|O|Os|As)\\s+)?"
                                            "(\\p{Lu}[\\p{L}\\p{N}&'’.-]*(?:\\s+(?:[\\p{Lu}\\p{N}][\\p{L}\\p{N}&'’.-]*|&|de|del|di|van|von|der|du|des|do|da|and|und|et|y|e"
                                            /* a common noun inside a name ("Univerzitná knižnica Považie") before a capital */
                                            "|\\p{Ll}[\\p{L}]*(?=\\s+\\p{Lu}))){0,6}?)"
                                            "(?:,?\\s+(?:Inc|Corp|Ltd|LLC|AG|GmbH|SE|SA|S\\.A|S\\.p\\.A|S\\.r\\.l|N\\.V|B\\.V|plc|Tbk|Bhd|Oyj|AB|ASA)\\.?)?"
                                            "(?:\\s*\\([^)\\n]{1,40}\\))?,?\\s+"
                                            "(?:(?:is|are) (?:a|an|the|one of|een|de|het)|ist (?:ein|eine|einer|der|die|das)|est (?:un|une|le|la|l['’])"
                                            "|è (?:un|una|uno|il|la|l['’])|es (?:un|una|uno|el|la)|é (?:um|uma|a|o)|är (?:en|ett)|er (?:en|et)"
                                            "|jest|je|jsou|este (?:un|o|cel|cea)|είναι|є|е|adalah|merupakan|ialah|là|является)[\\s'’]",
                                            G_REGEX_OPTIMIZE, 0, NULL));
  if (g_once_init_enter (&cjk))
    g_once_init_leave (&cjk, g_regex_new ("^([^\\s、，。,]{2,30}?)(?:は、|は|是一家|是一間|是一间|是一所|是一個|是一个|成立於|成立于|創立於|创立于|(?:은|는) )"
                                          "[^\\n]*(?:企業|会社|メーカー|法人|団体|機関|大学|公司|企业|企業|集團|集团|기업|회사|업체|기관)[^\\n]*"
                                          "(?:です。|である。|。|다\\.)$",
                                          G_REGEX_OPTIMIZE, 0, NULL));
  if (g_regex_match_full (latin, text + start, (gssize) (end - start), 0, 0, &info, NULL))
    g_match_info_fetch_pos (info, 1, &name_start, &name_end);
  else
    {
      g_clear_pointer (&info, g_match_info_free);
      if (g_regex_match_full (cjk, text + start, (gssize) (end - start), 0, 0, &info, NULL))
        g_match_info_fetch_pos (info, 1, &name_start, &name_end);
    }
  if (name_start < 0)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (pronouns); i++)
    if ((gsize) (name_end - name_start) == strlen (pronouns[i]) &&
        strncmp (text + start + name_start, pronouns[i], (gsize) (name_end - name_start)) == 0)
      return FALSE;

  /* The name, or its first words, in the story's first paragraph. */
  while (name_end - name_start >= 4)
    {
      const char *space;

      if (names_in (text, lede->start, lede->end, text + start + name_start, (gsize) (name_end - name_start)))
        return TRUE;
      space = g_strrstr_len (text + start + name_start, name_end - name_start, " ");
      if (space == NULL)
        break;
      name_end = (int) (space - (text + start));
    }
  return FALSE;
}

/* "---------- Forwarded message ---------", "Begin forwarded message:",
 * "-----Ursprüngliche Nachricht-----", Outlook's line of underscores: the
 * line a forwarded e-mail puts between its covering note and the message
 * it carries, which two header lines or more follow. */
static gboolean
is_forward_separator (const char *text,
                      gsize       start,
                      gsize       end)
{
  static GRegex *separator;

  if (end - start > 120)
    return FALSE;
  if (g_once_init_enter (&separator))
    g_once_init_leave (&separator, g_regex_new ("^\\s*(?:[-_=]{2,}\\s*(?:Forwarded message|Original message|Forwarded e-?mail|Ursprüngliche Nachricht|Weitergeleitete Nachricht"
                                                "|Message d'origine|Message transféré|Mensaje original|Mensaje reenviado|Messaggio originale|Messaggio inoltrato"
                                                "|Mensagem original|Mensagem encaminhada|Oorspronkelijk bericht|Doorgestuurd bericht|Ursprungligt meddelande"
                                                "|Vidarebefordrat meddelande|Pesan yang diteruskan|Pesan asli|Исходное сообщение|Пересылаемое сообщение"
                                                "|転送メッセージ|元のメッセージ|转发的邮件|原始邮件|轉寄的郵件|原始郵件|전달된 메시지|원본 메시지)\\s*[-_=]{2,}"
                                                "|(?:Begin forwarded message|Anfang der weitergeleiteten Nachricht|Début du message (?:réexpédié|transféré)"
                                                "|Inicio del mensaje reenviado|Início da mensagem (?:reencaminhada|encaminhada)|Inizio messaggio inoltrato"
                                                "|Begin doorgestuurd bericht)\\s*:?"
                                                /* any words between two rules, in any language */
                                                "|[-_=]{5,}\\s*\\p{L}[^\\n_=]{1,40}?\\s*[-_=]{5,}"
                                                /* Outlook's rule of underscores over "From:" */
                                                "|_{10,})\\s*$",
                                                G_REGEX_OPTIMIZE | G_REGEX_CASELESS, 0, NULL));
  return g_regex_match_full (separator, text + start, (gssize) (first_line_end (text, start, end) - start), 0, 0, NULL, NULL);
}

/* "From: …", "Betreff: …", "件名：…": a header line of a forwarded
 * message; *@press when it is the sender and a press office's
 * ("press@", "Presse Stadtwerke …", "Comunicación …"). */
/* "Fwd: Siaran Pers …", "WG: …", "ENC: …": the subject a forwarded
 * message arrived with, on the first line.  It is the item's headline as
 * the desk received it (the release it carries may have none of its
 * own), so a clean-up keeps it and an editor rewrites it. */
static gboolean
is_forwarded_subject (const char *text,
                      gsize       start,
                      gsize       end)
{
  static const char * const prefixes[] = {
    "Fwd:", "FWD:", "Fw:", "FW:", "WG:", "Wg:", "TR:", "Tr:", "RV:", "Rv:", "ENC:", "Enc:",
    "Doorst:", "VS:", "Vs:", "VB:", "Vb:", "PD:", "İlt:", "Пересл:", "FW\xef\xbc\x9a",
    "\xe8\xbd\xac\xe5\x8f\x91\xef\xbc\x9a", "\xe8\xbd\x89\xe5\xaf\x84\xef\xbc\x9a",
    "\xe8\xbb\xa2\xe9\x80\x81\xef\xbc\x9a", NULL
  };

  for (guint k = 0; prefixes[k] != NULL; k++)
    {
      gsize len = strlen (prefixes[k]);

      if (end - start > len && strncmp (text + start, prefixes[k], len) == 0)
        return TRUE;
    }
  return FALSE;
}

static gboolean
is_forward_header (const char *text,
                   gsize       start,
                   gsize       end,
                   gboolean   *press)
{
  static GRegex *header;
  static GRegex *press_sender;
  gsize line_end = first_line_end (text, start, end);

  if (g_once_init_enter (&header))
    g_once_init_leave (&header, g_regex_new ("^\\s*(?:From|To|Cc|Bcc|Date|Sent|Subject|Reply-To|Von|An|Gesendet|Datum|Betreff|Kopie|De|À|A|Para|Envoyé|Objet"
                                             "|Asunto|Enviado|Fecha|Assunto|Da|Inviato|Oggetto|Data|Van|Aan|Verzonden|Onderwerp|Från|Till|Skickat|Ämne"
                                             "|Dari|Kepada|Tanggal|Perihal|Subjek|От|Кому|Дата|Тема|差出人|宛先|送信日時|件名|发件人|收件人|发送时间|主题"
                                             "|寄件者|收件者|傳送時間|主旨|보낸 사람|받는 사람|날짜|제목)\\s*[:：]",
                                             G_REGEX_OPTIMIZE, 0, NULL));
  if (g_once_init_enter (&press_sender))
    g_once_init_leave (&press_sender, g_regex_new ("^\\s*(?:From|Von|De|Da|Van|Från|Dari|От|差出人|发件人|寄件者|보낸 사람)\\s*[:：].*"
                                                   "(?:press|presse|prensa|imprensa|stampa|\\bpers\\b|humas|komunikasi|comunica|communications|kommunikation|\\bpr@|\\bir@|広報|公关|公關|홍보)",
                                                   G_REGEX_OPTIMIZE | G_REGEX_CASELESS, 0, NULL));
  if (!g_regex_match_full (header, text + start, (gssize) (line_end - start), 0, 0, NULL, NULL))
    return FALSE;
  *press = *press || g_regex_match_full (press_sender, text + start, (gssize) (line_end - start), 0, 0, NULL, NULL);
  return TRUE;
}

/* "Hi desk,", "Selamat pagi, bersama ini …", "Liebe Kolleginnen und
 * Kollegen, anbei …": a covering note's greeting. */
static gboolean
opens_with_a_greeting (const char *text,
                       gsize       start,
                       gsize       end)
{
  static GRegex *greeting;

  if (end - start > 600)
    return FALSE;
  if (g_once_init_enter (&greeting))
    g_once_init_leave (&greeting, g_regex_new ("^\\s*(?:(?:Hi|Hello|Dear|Good (?:morning|afternoon|evening)|Liebe|Lieber|Hallo|Sehr geehrte|Guten (?:Morgen|Tag)"
                                               "|Bonjour|Bonsoir|Chers?|Chères?|Buenos días|Buenas(?: tardes| noches)?|Estimad[oa]s?|Hola|Olá|Bom dia|Boa tarde|Car[ie]|Gentili|Buongiorno"
                                               "|Beste|Goedemorgen|Goedemiddag|Hej|God (?:morgon|dag)|Dzień dobry|Szanown[iy]|Dobrý den|Здравствуйте|Добрый (?:день|вечер)|Уважаемые"
                                               "|Merhaba|Sayın|Değerli|Selamat (?:pagi|siang|sore|malam)|Yth\\.?|Kepada Yth|Salam|Xin chào|Kính gửi"
                                               "|Halo|Hai|Hey|Ciao|Salve|Ahoj|Witam|Привет|Kumusta|Magandang (?:umaga|hapon|gabi))\\b[^\\n]{0,80}?[,:!]"
                                               "|(?:各位|記者の皆様|お疲れ様です|안녕하세요|สวัสดี))",
                                               G_REGEX_OPTIMIZE | G_REGEX_CASELESS, 0, NULL));
  return g_regex_match_full (greeting, text + start, (gssize) (end - start), 0, 0, NULL, NULL);
}

/* A paragraph of the story rather than a line of furniture: a sentence
 * of some length, or a long paragraph. */
static gboolean
reads_as_prose (const char *text,
                gsize       start,
                gsize       end)
{
  guint chars = count_chars (text + start, end - start);

  /* A Chinese, Japanese or Korean character holds a word or a syllable:
   * count it twice, or a short sentence in those reads as a line. */
  guint thai = 0;

  for (gsize i = start; i < end; i++)
    {
      chars += (guchar) text[i] >= 0xE3 && (guchar) text[i] <= 0xED;
      thai += (guchar) text[i] == 0xE0 && i + 1 < end && ((guchar) text[i + 1] == 0xB8 || (guchar) text[i + 1] == 0xB9);
    }
  /* Thai ends no sentence with a mark: a long line of it is prose. */
  return chars >= 120 || (chars >= 40 && ends_a_sentence (text, start, end)) || thai >= 70;
}

/* The words of a heading without its ornaments: "■会社概要",
 * "【本件に関するお問い合わせ】", "** About Acme **", "— Contact —". */
static gboolean
is_ornament (gunichar c)
{
  static const gunichar ornaments[] = {
    ' ', '\t', '*', '#', '_', '|', '[', ']', '<', '>', '-', '=', '~',
    0x25A0, 0x25A1, 0x25AA, 0x25AB, 0x25CF, 0x25CB, 0x25C6, 0x25C7, 0x25CE, 0x25B6,
    0x25B7, 0x25BA, 0x25B8, 0x25BC, 0x25BD, 0x2605, 0x2606, 0x203B, 0x30FB, 0x2022,
    0x00B7, 0x3010, 0x3011, 0x3014, 0x3015, 0x300C, 0x300D, 0x300E, 0x300F, 0x3008,
    0x3009, 0x300A, 0x300B, 0x2013, 0x2014, 0x3000,
  };

  for (guint i = 0; i < G_N_ELEMENTS (ornaments); i++)
    if (ornaments[i] == c)
      return TRUE;
  return FALSE;
}

/* The words of a heading without its ornaments: "■会社概要",
 * "【本件に関するお問い合わせ】", "** About Acme **", "— Contact —". */
static void
strip_ornaments (const char *text,
                 gsize      *start,
                 gsize      *end)
{
  while (*start < *end && is_ornament (g_utf8_get_char (text + *start)))
    *start = g_utf8_next_char (text + *start) - text;
  while (*end > *start)
    {
      const char *c = g_utf8_find_prev_char (text + *start, text + *end);

      if (c == NULL || !is_ornament (g_utf8_get_char (c)))
        break;
      *end = c - text;
    }
}

/* An e-mail address, a web address or a telephone number (seven digits or
 * more) in text[start, end): what a contact block is made of, in any
 * language. */
static gboolean
holds_contact_address (const char *text,
                       gsize       start,
                       gsize       end)
{
  static GRegex *address;

  if (g_once_init_enter (&address))
    g_once_init_leave (&address, g_regex_new ("[\\w.+-]+@[\\w-]+(?:\\.[\\w-]+)+|(?:https?://|www\\.)\\S"
                                              "|(?<![\\d.])\\+?\\(?\\d{1,4}\\)?(?:[ ./-]?\\(?\\d{2,5}\\)?){2,5}(?![\\d.])",
                                              G_REGEX_OPTIMIZE, 0, NULL));
  return g_regex_match_full (address, text + start, (gssize) (end - start), 0, 0, NULL, NULL);
}

/* holds_contact_address() on a line of up to 160 bytes. */
static gboolean
has_contact_address (const char *text,
                     gsize       start,
                     gsize       end)
{
  return end - start <= 160 && holds_contact_address (text, start, end);
}

/* How a paragraph marks the end of a story, by its shape in any language:
 * "###", "-30-", "-selesai-", "-انتهى-", "– ENDE –" are END_MARKER_SURE;
 * a line of ornaments ("***", "* * *", which also part a feature's
 * sections), "（完）" or a lone capitalised word ("FINE", "ENDS") is
 * END_MARKER_LINE,
 * the end only when no prose follows it. */
typedef enum {
  END_MARKER_NONE,
  END_MARKER_LINE,
  END_MARKER_SURE,
} EndMarker;

static EndMarker
end_marker_shape (const char *text,
                  gsize       start,
                  gsize       end)
{
  const char *p = text + start;
  const char *stop = text + end;
  gunichar first;
  gunichar last;
  const char *last_at;
  guint letters = 0;
  guint upper = 0;
  guint ornaments = 0;
  guint hashes = 0;
  gboolean other = FALSE;

  if (end - start > 40 || memchr (p, '\n', end - start) != NULL || count_chars (p, end - start) > 20)
    return END_MARKER_NONE;
  first = g_utf8_get_char (p);
  last_at = g_utf8_find_prev_char (p, stop);
  if (last_at == NULL)
    return END_MARKER_NONE;
  last = g_utf8_get_char (last_at);
  for (const char *q = p; q < stop; q = g_utf8_next_char (q))
    {
      gunichar c = g_utf8_get_char (q);

      if (c == '#')
        hashes++;
      if (g_unichar_isalnum (c))
        {
          letters++;
          upper += g_unichar_isupper (c) || g_unichar_isdigit (c);
        }
      else if (is_ornament (c) || is_dash (c))
        ornaments += c != ' ';
      else
        other = TRUE;
    }
  /* A word wrapped in dashes or brackets: "-30-", "– ENDE –", "（完）". */
  if (letters > 0 && letters <= 12 && !other && is_dash (first) && is_dash (last))
    return END_MARKER_SURE;
  /* "（完）", "（おわり）"; "（记者 张三）" is a byline. */
  if (letters > 0 && letters <= 4 && first == 0xFF08 && last == 0xFF09 &&
      memchr (p, ' ', end - start) == NULL)
    return END_MARKER_LINE;
  if (letters == 0 && !other && hashes >= 3)
    return END_MARKER_SURE;
  if (letters == 0 && !other && ornaments >= 3)
    return END_MARKER_LINE;
  /* "FINE", "ENDS", "FIM": one short word in capitals. */
  if (letters >= 3 && letters <= 5 && upper == letters && ornaments == 0 && !other &&
      memchr (p, ' ', end - start) == NULL)
    return END_MARKER_LINE;
  return END_MARKER_NONE;
}

/* A line drawn across the page: ten or more of the same dash, underscore
 * or equals sign, and nothing else but spaces. */
static gboolean
is_rule_line (const char *text,
              gsize       start,
              gsize       end)
{
  gunichar first = 0;
  guint count = 0;

  if (end - start > 400)
    return FALSE;
  for (const char *q = text + start; q < text + end; q = g_utf8_next_char (q))
    {
      gunichar c = g_utf8_get_char (q);

      if (c == ' ' || c == '\t')
        continue;
      if (first == 0)
        first = c;
      if (c != first || !(is_dash (c) || c == '_' || c == '='))
        return FALSE;
      count++;
    }
  return count >= 10;
}

/* has_contact_address() on a line of up to 160 characters, which in Thai
 * or Chinese take three bytes each (counting them on every paragraph cost
 * bench-detect a tenth). */
static gboolean
has_contact_address_in_line (const char *text,
                             gsize       start,
                             gsize       end)
{
  if (end - start <= 160)
    return holds_contact_address (text, start, end);
  if (end - start > 480 || count_chars (text + start, end - start) > 160)
    return FALSE;
  return holds_contact_address (text, start, end);
}

/* A line of a contact block however long: one that holds an e-mail
 * address or a telephone number and ends no sentence ("Per informazioni:
 * Ufficio stampa …, tel. 035 555 0148, stampa@…"), never the story. */
static gboolean
is_top_contact_line (const char *text,
                     gsize       start,
                     gsize       end)
{
  return memchr (text + start, '\n', end - start) == NULL &&
         !ends_a_sentence (text, start, end) &&
         has_contact_address_in_line (text, start, end);
}

typedef struct {
  const Rule     *rule;       /* NULL: a finding by shape, named by @name */
  const char     *name;
  DeskFindingKind kind;
  gsize           start;
  gsize           end;
  double          weight;
} Mark;

static void
mark (Mark            *marks,
      guint            i,
      const Rule      *rule,
      DeskFindingKind  kind,
      gsize            start,
      gsize            end,
      double           weight)
{
  marks[i].rule = rule;
  marks[i].name = NULL;
  marks[i].kind = kind;
  marks[i].start = start;
  marks[i].end = end;
  marks[i].weight = weight;
}

/* The span a clean-up removes for a credit: with no dateline before it,
 * the credit and the space after it ("(SeaPRwire) – "); after a dateline,
 * the credit up to its last dash, which stays as the dateline's separator
 * ("NEW YORK, 3 March /PRNewswire/ -- Acme" → "NEW YORK, 3 March -- Acme").
 * A credit after a dateline that already ends with a dash keeps that
 * one ("Toronto--(Newsfile Corp. - 18 February) - Acme" →
 * "Toronto--Acme"), and one that ends its line goes whole
 * ("Bangkok--5 Mar--ThaiPR.net" → "Bangkok--5 Mar"). */
static void
credit_span (const char *text,
             gsize       paragraph_start,
             const Hit  *hit,
             gsize      *out_start,
             gsize      *out_end)
{
  gsize credit = hit->rule_start;
  gsize end = hit->end;

  if (credit == paragraph_start)
    {
      while (text[end] == ' ' || text[end] == '\t')
        end++;
      *out_start = credit;
      *out_end = end;
      return;
    }

  {
    const char *p = text + end;
    const char *dash_start;
    const char *before = text + credit;
    gboolean dash_before = FALSE;
    gboolean dash_after;

    while (p > text + credit && g_unichar_isspace (g_utf8_get_char (g_utf8_prev_char (p))))
      p = g_utf8_prev_char (p);
    dash_start = p;
    while (dash_start > text + credit && is_dash (g_utf8_get_char (g_utf8_prev_char (dash_start))))
      dash_start = g_utf8_prev_char (dash_start);
    dash_after = dash_start < p && dash_start > text + credit;

    /* A credit that ends its line goes whole. */
    {
      gsize after = end;

      while (text[after] == ' ' || text[after] == '\t')
        after++;
      if (text[after] == '\n' || text[after] == '\0')
        {
          *out_start = credit;
          *out_end = end;
          return;
        }
    }
    /* A credit that opens with a dash takes it, and leaves the one after
     * it as the separator: the rest of this function's logic applies. */
    if (!is_dash (g_utf8_get_char (text + credit)))
      {
        while (before > text + paragraph_start && (before[-1] == ' ' || before[-1] == '\t'))
          before--;
        dash_before = before > text + paragraph_start &&
                      is_dash (g_utf8_get_char (g_utf8_prev_char (before)));
      }

    if (dash_before)
      {
        while (text[end] == ' ' || text[end] == '\t')
          end++;
        *out_start = credit;
        *out_end = end;
        return;
      }
    if (dash_after)
      {
        *out_start = credit;
        *out_end = (gsize) (dash_start - text);
        return;
      }
  }

  while (text[end] == ' ' || text[end] == '\t')
    end++;
  *out_start = credit;
  *out_end = end;
}

/* A credit quoted in running text is not a dateline's: the text before it
 * holds a quotation mark, or reads as a sentence (more than four words in
 * lower case: "it carried a dateline in the familiar …"). */
static gboolean
credit_in_running_text (const char *text,
                        gsize       start,
                        gsize       credit)
{
  guint lower_words = 0;
  gboolean word_start = TRUE;

  for (const char *p = text + start; p < text + credit; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == '"' || c == 0x201C || c == 0x201D || c == 0x201E || c == 0x00AB ||
          c == 0x00BB || c == 0x300C || c == 0x300E)
        return TRUE;
      if (g_unichar_isspace (c))
        word_start = TRUE;
      else
        {
          if (word_start && g_unichar_islower (c))
            lower_words++;
          word_start = FALSE;
        }
    }
  return lower_words > 4;
}

static void
add_tags (GStrvBuilder *tags,
          const char   *text,
          gsize         start,
          gsize         end)
{
  g_autofree char *line = g_strndup (text + start, end - start);
  char *colon = strchr (line, ':');
  g_auto(GStrv) items = NULL;

  if (colon == NULL)
    colon = strstr (line, "：");
  if (colon == NULL)
    return;
  colon += *colon == ':' ? 1 : strlen ("：");
  items = g_regex_split_simple ("[,;、，；]", colon, 0, 0);
  for (guint i = 0; items[i] != NULL; i++)
    {
      char *item = g_strstrip (items[i]);

      if (*item != '\0')
        g_strv_builder_add (tags, item);
    }
}

/* A line of social networks, in any language and whatever invites the
 * reader to them ("Ikuti kami: Instagram @kota | X @kota", "Seguite la
 * Provincia su Facebook e Instagram: @provincia"): two networks' names or
 * more, or one with a handle, in a short line that ends no sentence.  Web
 * furniture at the end, no evidence of a release. */
static gboolean
is_network_line (const char *text,
                 gsize       start,
                 gsize       end)
{
  static GRegex *network;
  g_autoptr(GMatchInfo) info = NULL;
  guint networks = 0;
  gboolean handle = FALSE;

  if (end - start > 240 || end - start < 8 || memchr (text + start, '\n', end - start) != NULL ||
      text[end - 1] == '.')
    return FALSE;
  /* The cheap answer first: a handle, or a network's name, which all but
   * a few in Chinese and Korean hold in ASCII capitals. */
  {
    gboolean candidate = FALSE;

    for (gsize i = start; i < end && !candidate; i++)
      candidate = text[i] == '@' || g_ascii_isupper (text[i]) || (guchar) text[i] >= 0xD0;
    if (!candidate)
      return FALSE;
  }
  if (g_once_init_enter (&network))
    g_once_init_leave (&network, g_regex_new (
      "(?<![\\w@.])(?:Facebook|Instagram|Twitter|X(?=\\s*[:：]?\\s*[@|·•,/]|\\s*$)|LinkedIn|YouTube|TikTok|Telegram|WhatsApp"
      "|Threads|Bluesky|Masto[d]on|Pinterest|Reddit|VK|ВКонтакте|Одноклассники|Дзен|RuTube|LINE|KakaoTalk|카카오톡"
      "|Naver|네이버|Weibo|微博|微信|WeChat|Douyin|抖音|Xiaohongshu|小红书|Zalo)(?![\\w.])"
      "|(?<![\\w.])@[\\w.]{3,30}\\w",
      G_REGEX_OPTIMIZE, 0, NULL));
  if (!g_regex_match_full (network, text, (gssize) end, start, 0, &info, NULL))
    return FALSE;
  while (g_match_info_matches (info))
    {
      g_autofree char *word = g_match_info_fetch (info, 0);

      if (word[0] == '@')
        handle = TRUE;
      else
        networks++;
      g_match_info_next (info, NULL);
    }
  return networks >= 2 || (networks == 1 && handle);
}

/* A covering note's closing: a short line that ends on a comma ("Terima
 * kasih,", "Un caro saluto,", "Best,"), over the sender's name in the same
 * block or the next paragraph.  Returns how many paragraphs it takes (1
 * or 2), 0 when @p is none. */
static guint
sign_off_at (const char *text,
             GArray     *paragraphs,
             guint       p)
{
  const DeskByteSpan *span = &g_array_index (paragraphs, DeskByteSpan, p);
  gsize line_end = first_line_end (text, span->start, span->end);
  gsize name;
  gsize name_end;
  guint words = 1;
  guint taken = 1;

  if (line_end - span->start > 48 || line_end - span->start < 3 || text[line_end - 1] != ',')
    return 0;
  for (gsize i = span->start; i < line_end; i++)
    words += text[i] == ' ';
  if (words > 5)
    return 0;
  if (line_end < span->end)
    name = line_end + 1;
  else if (p + 1 < paragraphs->len)
    {
      name = g_array_index (paragraphs, DeskByteSpan, p + 1).start;
      span = &g_array_index (paragraphs, DeskByteSpan, p + 1);
      taken = 2;
    }
  else
    return 0;
  name_end = first_line_end (text, name, span->end);
  if (name_end <= name || name_end - name > 60 || ends_a_sentence (text, name, name_end))
    return 0;
  for (gsize i = name; i < name_end; i++)
    if (g_ascii_isdigit (text[i]) || text[i] == ':' || text[i] == '@')
      return 0;
  /* The name may have its own block under the closing: what follows it
   * there (a title, a telephone) is the signature too. */
  return taken;
}

static gboolean inside_a_quotation (const char *text,
                                    gsize       start,
                                    gsize       at);

#define P(i) (g_array_index (paragraphs, DeskByteSpan, (i)))

/* Reads back from paragraph @from - 1 for as long as each paragraph is end
 * matter: a disclaimer, a sector line, boilerplate, a label, or a line of a
 * contact block next to them.  Returns the first end-matter paragraph (or
 * @from). */
static guint
walk_back (DeskDetector *self,
           const char   *text,
           const char   *language,
           GArray       *paragraphs,
           Mark         *marks,
           guint         from,
           guint         first_credit,
           const char   *issuer,
           const DeskByteSpan *lede,
           gboolean     *any_tail,
           guint        *n_addresses)
{
  guint tail = from;
  guint pending = G_MAXUINT;   /* contact lines not yet next to end matter */
  guint lowest_pending = from;

  for (guint i = from; i > 1; i--)
    {
      guint p = i - 1;
      gsize line_end = first_line_end (text, P (p).start, P (p).end);
      gboolean heading_line = is_heading_line (text, P (p).start, line_end);
      gsize words_start = P (p).start;
      gsize words_end = line_end;
      Hit best = { NULL, 0, 0, 0 };
      Hit hit;
      gboolean key_address = FALSE;

      if (p <= first_credit)
        break;
      /* A label is disclosure, kept by a clean-up: the lines next to it
       * are not furniture because of it. */
      if (marks[p].kind == DESK_FINDING_LABEL)
        continue;
      strip_ornaments (text, &words_start, &words_end);

      if (find (self, WHERE_WITHIN, text, P (p).start, P (p).end, language, &hit))
        best = hit;
      if (find (self, WHERE_FIELD, text, P (p).start, line_end, language, &hit) &&
          line_end - P (p).start <= 300 && (best.rule == NULL || hit.rule->weight > best.rule->weight))
        best = hit;
      if (find (self, WHERE_START, text, words_start, P (p).end, language, &hit) &&
          (best.rule == NULL || hit.rule->weight > best.rule->weight))
        best = hit;
      /* "#CDCaldas #Futsal": a line of hashtags starts with what reads
       * as an ornament. */
      else if (words_start > P (p).start && text[P (p).start] == '#' &&
               find (self, WHERE_START, text, P (p).start, P (p).end, language, &hit) &&
               (best.rule == NULL || hit.rule->weight > best.rule->weight))
        best = hit;
      if (heading_line && words_start < words_end &&
          find (self, WHERE_HEADING, text, words_start, words_end, language, &hit) &&
          (best.rule == NULL || hit.rule->weight > best.rule->weight))
        best = hit;
      /* "Pressekontakt: Jana Koch, Telefon …", "Meer informatie: …": a
       * heading's words as the key of a line too long for a contact
       * line. */
      if (best.rule == NULL && !heading_line &&
          (P (p).end - P (p).start <= 300 || count_chars (text + P (p).start, MIN (P (p).end - P (p).start, 900)) <= 200))
        {
          const char *colon = NULL;

          for (const char *q = text + words_start; q < text + line_end && q < text + words_start + 48; q = g_utf8_next_char (q))
            if (*q == ':' || g_str_has_prefix (q, "\xef\xbc\x9a"))
              {
                colon = q;
                break;
              }
          if (colon != NULL && colon > text + words_start &&
              find (self, WHERE_HEADING, text, words_start, (gsize) (colon - text), language, &hit))
            {
              best = hit;
              /* Its address is evidence as a contact line's is. */
              key_address = has_contact_address_in_line (text, P (p).start, P (p).end) && *n_addresses < 2;
              *n_addresses += key_address;
            }
        }

      if (best.rule != NULL && best.rule->sponsored && best.rule->kind == DESK_FINDING_DISCLAIMER &&
          !inside_a_quotation (text, P (p).start, best.start))
        {
          /* A paid item's own disclosure ("Paid for by …", "Konten ini
           * merupakan kerja sama …") ships with it: a label, kept by a
           * clean-up wherever it stands, as at the top. */
          mark (marks, p, best.rule, DESK_FINDING_LABEL, P (p).start, P (p).end, best.rule->weight);
          continue;
        }
      if (best.rule != NULL)
        {
          mark (marks, p, best.rule, best.rule->kind, P (p).start, P (p).end,
                best.rule->weight + (key_address ? CONTACT_ADDRESS_WEIGHT : 0));
          tail = p;
          *any_tail = TRUE;
          pending = G_MAXUINT;
        }
      else if (is_issuer_about (text, P (p).start, P (p).end, issuer))
        {
          /* "Acme Robotics is a maker of …" with no heading above it. */
          mark (marks, p, NULL, DESK_FINDING_BOILERPLATE, P (p).start, P (p).end, ISSUER_ABOUT_WEIGHT);
          marks[p].name = "about-issuer";
          tail = p;
          *any_tail = TRUE;
          pending = G_MAXUINT;
        }
      else if (is_about_by_form (text, P (p).start, P (p).end, lede))
        {
          /* "Vertiflore est une jeune entreprise …", the name the story
           * opens with, whatever the issuer was read as. */
          mark (marks, p, NULL, DESK_FINDING_BOILERPLATE, P (p).start, P (p).end, ISSUER_ABOUT_WEIGHT);
          marks[p].name = "about-issuer";
          tail = p;
          *any_tail = TRUE;
          pending = G_MAXUINT;
        }
      else if ((p + 1 == from || marks[p + 1].kind != 0) && sign_off_at (text, paragraphs, p) == 1)
        {
          /* A signature at the end: the signer's office ending on a comma
           * over a name ("Il Procuratore della Repubblica," / a name). */
          mark (marks, p, NULL, DESK_FINDING_BOILERPLATE, P (p).start, P (p).end, 0);
          marks[p].name = "signature";
          tail = p;
          *any_tail = TRUE;
          pending = G_MAXUINT;
        }
      else if (is_network_line (text, P (p).start, P (p).end))
        {
          mark (marks, p, NULL, DESK_FINDING_BOILERPLATE, P (p).start, P (p).end, 0);
          marks[p].name = "network-line";
          tail = p;
          *any_tail = TRUE;
          pending = G_MAXUINT;
        }
      else if ((is_contact_line (text, P (p).start, P (p).end) ||
                (*any_tail && is_top_contact_line (text, P (p).start, P (p).end))) &&
               has_contact_address_in_line (text, P (p).start, P (p).end))
        {
          /* "Tel. +49 421 555 0180", "聯絡電話：02-5555-0123", "Ayşe Demir |
           * +90 232 …": an address in a line of a contact block, whatever
           * the words around it; the first two are evidence. */
          mark (marks, p, NULL, DESK_FINDING_BOILERPLATE, P (p).start, P (p).end,
                *n_addresses < 2 ? CONTACT_ADDRESS_WEIGHT : 0);
          marks[p].name = "contact-address";
          (*n_addresses)++;
          tail = p;
          *any_tail = TRUE;
          pending = G_MAXUINT;
        }
      else if (is_contact_line (text, P (p).start, P (p).end))
        {
          /* A contact line is end matter only next to end matter. */
          mark (marks, p, NULL, DESK_FINDING_BOILERPLATE, P (p).start, P (p).end, 0);
          if (*any_tail && pending == G_MAXUINT)
            tail = p;
          else
            {
              if (pending == G_MAXUINT)
                pending = i;
              lowest_pending = p;
            }
        }
      else
        break;
    }

  /* Contact lines with no end matter above them. */
  if (pending != G_MAXUINT)
    for (guint p = lowest_pending; p < pending; p++)
      if (marks[p].rule == NULL && marks[p].kind != DESK_FINDING_LABEL)
        marks[p].kind = 0;
  return tail;
}

/* A block of a text with blank lines between its paragraphs that still
 * holds lines, not hard-wrapped prose: a heading over its paragraph
 * ("О компании" and the company's description, "Media Contact" and a
 * name), or a contact block of short lines with an address. */
static gboolean
is_block_of_lines (const char         *text,
                   const DeskByteSpan *block)
{
  gsize first_end = first_line_end (text, block->start, block->end);
  guint first_chars;
  guint longest = 0;
  gboolean address = FALSE;

  if (first_end >= block->end)
    return FALSE;
  /* A signature over a line of social networks ("Press Office of …" over
   * "Follow us on Instagram @…"): lines, whatever their length. */
  {
    const char *last = g_utf8_find_prev_char (text + block->start, text + block->end);
    gsize last_start = block->end;

    while (last_start > first_end + 1 && text[last_start - 1] != '\n')
      last_start--;
    if (last != NULL && *last != '.' && block->end - block->start <= 400 &&
        !ends_a_sentence (text, block->start, first_end) &&
        is_network_line (text, last_start, block->end))
      return TRUE;
  }
  first_chars = count_chars (text + block->start, first_end - block->start);
  if (first_chars > 60)
    return FALSE;   /* hard-wrapped prose: the cheap answer first */
  for (gsize at = block->start; at < block->end;)
    {
      gsize end = first_line_end (text, at, block->end);

      longest = MAX (longest, count_chars (text + at, end - at));
      at = end + 1;
    }
  if (!ends_a_sentence (text, block->start, first_end) && first_chars * 4 < longest * 3)
    return TRUE;
  if (longest > 60)
    return FALSE;
  for (gsize at = block->start; at < block->end && !address;)
    {
      gsize end = first_line_end (text, at, block->end);

      address = has_contact_address (text, at, end);
      at = end + 1;
    }
  return address;
}

/* The paragraphs, with each block of lines read a line at a time. */
static GArray *
split_blocks_of_lines (const char *text,
                       GArray     *paragraphs)
{
  GArray *out = g_array_sized_new (FALSE, FALSE, sizeof (DeskByteSpan), paragraphs->len);

  for (guint i = 0; i < paragraphs->len; i++)
    {
      DeskByteSpan block = g_array_index (paragraphs, DeskByteSpan, i);

      if (i == 0 || !is_block_of_lines (text, &block))
        {
          g_array_append_val (out, block);
          continue;
        }
      for (gsize at = block.start; at < block.end;)
        {
          DeskByteSpan line = { at, first_line_end (text, at, block.end) };

          at = line.end + 1;
          while (line.start < line.end && g_ascii_isspace (text[line.start]))
            line.start++;
          while (line.end > line.start && g_ascii_isspace (text[line.end - 1]))
            line.end--;
          if (line.end > line.start)
            g_array_append_val (out, line);
        }
    }
  return out;
}

/* text[start, end) as one line a hard wrap may have cut: 55 to 100
 * characters, with no end of a sentence. */
static gboolean
is_wrapped_line (const char *text,
                 gsize       start,
                 gsize       end)
{
  guint chars;

  /* 55 to 100 characters hold 55 to 400 bytes: the cheap answer first. */
  if (end - start < 55 || end - start > 400 || memchr (text + start, '\n', end - start) != NULL)
    return FALSE;
  chars = count_chars (text + start, end - start);
  return chars >= 55 && chars <= 100 && !ends_a_sentence (text, start, end);
}

/* The paragraphs of text taken from a PDF, whose lines a hard wrap cut
 * ("Valdemora, 1 de diciembre de 2026. Un equipo de investigadores de
 * la" / "Escuela de Ingeniería …"), with each wrapped paragraph read as
 * one: a line with no end of a sentence runs on into the next line when
 * that one is no longer than a wrapped line and starts in lower case or
 * is as long.  Only text with four such
 * lines or more is read so; the headline never runs on. */
static GArray *
join_hard_wrapped (const char *text,
                   GArray     *paragraphs)
{
  GArray *out;
  guint wrapped = 0;

  for (guint i = 1; i < paragraphs->len && wrapped < 4; i++)
    {
      const DeskByteSpan *span = &g_array_index (paragraphs, DeskByteSpan, i);

      wrapped += is_wrapped_line (text, span->start, span->end);
    }
  if (wrapped < 4)
    return paragraphs;

  out = g_array_sized_new (FALSE, FALSE, sizeof (DeskByteSpan), paragraphs->len);
  for (guint i = 0; i < paragraphs->len; i++)
    {
      DeskByteSpan joined = g_array_index (paragraphs, DeskByteSpan, i);
      DeskByteSpan last = joined;

      while (i > 0 && i + 1 < paragraphs->len && is_wrapped_line (text, last.start, last.end))
        {
          const DeskByteSpan *next = &g_array_index (paragraphs, DeskByteSpan, i + 1);
          guint newlines = 0;
          guint next_chars;
          gunichar first;

          for (gsize at = last.end; at < next->start; at++)
            newlines += text[at] == '\n';
          if (newlines != 1 || memchr (text + next->start, '\n', next->end - next->start) != NULL)
            break;
          first = g_utf8_get_char (text + next->start);
          next_chars = count_chars (text + next->start, next->end - next->start);
          /* A one-line paragraph after a headline is no wrapped line. */
          if (next_chars > 100 || (!g_unichar_islower (first) && next_chars < 55))
            break;
          joined.end = next->end;
          last = *next;
          i++;
        }
      g_array_append_val (out, joined);
    }
  g_array_unref (paragraphs);
  return out;
}

/* Whether text[start, at) leaves a quotation open: a disclosure quoted
 * in a story ("a line reading "This is a paid press release"") is news. */
static gboolean
inside_a_quotation (const char *text,
                    gsize       start,
                    gsize       at)
{
  gboolean straight = FALSE;
  int depth = 0;

  for (const char *q = text + start; q < text + at; q = g_utf8_next_char (q))
    switch (g_utf8_get_char (q))
      {
      case '"':
        straight = !straight;
        break;
      case 0x201C: case 0x201E: case 0x00AB: case 0x300C: case 0x300E:
        depth++;
        break;
      case 0x201D: case 0x00BB: case 0x300D: case 0x300F:
        depth = MAX (depth - 1, 0);
        break;
      default:
        break;
      }
  return straight || depth > 0;
}

/* "發稿單位：交通部公路局": a short "key: value" line, not a headline with a
 * colon ("Norrvik Oyj : résultats …"), which has spaces around it. */
static gboolean
is_field_line (const char *text,
               gsize       start,
               gsize       end)
{
  const char *colon = NULL;

  if (count_chars (text + start, end - start) > 60 || ends_a_sentence (text, start, end))
    return FALSE;
  for (const char *q = text + start; q < text + end && q < text + start + 40; q = g_utf8_next_char (q))
    if (*q == ':' || g_str_has_prefix (q, "\xef\xbc\x9a"))
      {
        colon = q;
        break;
      }
  if (colon == NULL || colon == text + start || colon[-1] == ' ')
    return FALSE;
  /* "Q&A: How the new permits will work", "Soal Jawab: Program
   * Pertukaran …": a headline's topic and its words, not a key's short
   * value ("Nomor: 112/HM/2026", "Kontak: Rina Wijaya"). */
  {
    guint words = 0;

    for (const char *q = colon + 1; q < text + end; q++)
      words += *q == ' ' && q + 1 < text + end && q[1] != ' ';
    return words <= 4;
  }
}

/* "Kabar Pasar Pagi — Rabu, 2 Desember 2026" (desk_is_masthead_line()). */
static gboolean
is_masthead_line (const char *text,
                  gsize       start,
                  gsize       end)
{
  return desk_is_masthead_line (text + start, end - start);
}

/* A web page's trail of sections on a line of its own: two to six short
 * parts, spaced separators ("Home / Club news / Facilities", "Beranda / Berita",
 * "Inicio › Sala de prensa › Actualidad"), no sentence's mark.  Sets
 * @newsroom when a part is a newsroom's or a press office's section. */
static gboolean
is_breadcrumb_trail (const char *text,
                     gsize       start,
                     gsize       end,
                     gboolean   *newsroom)
{
  static GRegex *trail;
  static GRegex *press;
  g_auto(GStrv) parts = NULL;
  g_autofree char *line = NULL;

  *newsroom = FALSE;
  if (end - start > 160 || end - start < 6 || memchr (text + start, '\n', end - start) != NULL)
    return FALSE;
  /* The cheap answer first: a separator between spaces. */
  {
    gboolean separator = FALSE;

    for (gsize i = start + 1; i + 1 < end && !separator; i++)
      separator = text[i - 1] == ' ' &&
                  (text[i] == '/' || text[i] == '>' || (guchar) text[i] == 0xC2 || (guchar) text[i] == 0xE2);
    if (!separator)
      return FALSE;
  }
  if (g_once_init_enter (&trail))
    g_once_init_leave (&trail, g_regex_new (
      "^[^\\s.!?。:：|]{1,30}(?:\\s[^\\s.!?。:：|/>»›→]{1,30}){0,3}"
      "(?:\\s+[/>»›→]\\s+[^\\s.!?。:：|]{1,30}(?:\\s[^\\s.!?。:：|/>»›→]{1,30}){0,3}){1,5}\\s*$",
      G_REGEX_OPTIMIZE, 0, NULL));
  if (!g_regex_match_full (trail, text + start, (gssize) (end - start), 0, 0, NULL, NULL))
    return FALSE;
  if (g_once_init_enter (&press))
    g_once_init_leave (&press, g_regex_new (
      "^(?:newsroom|news ?room|media ?(?:centre|center|room|releases)|press ?(?:room|centre|center|office|releases?)"
      "|sala de (?:prensa|imprensa)|sala stampa|comunicati(?: stampa)?|salle de presse|espace presse|communiqués(?: de presse)?"
      "|notas de prensa|comunicados(?: de (?:prensa|imprensa))?|pressemitteilungen|pressebereich|presse|pers|perskamer|persberichten"
      "|pressrum|pressmeddelanden|biuro prasowe|komunikaty(?: prasowe)?|tiskové zprávy|siaran pers|ruang (?:media|pers)|pusat media"
      "|humas|basın odası|basın (?:açıklamaları|bültenleri)|duyurular|пресс-центр|пресс-релизы|пресс-служба|новости пресс-службы"
      "|報道発表|報道資料|プレスリリース|新闻中心|新聞中心|新闻发布|新聞發布|보도자료|ข่าวประชาสัมพันธ์|thông cáo báo chí)$",
      G_REGEX_OPTIMIZE | G_REGEX_CASELESS, 0, NULL));
  line = g_strndup (text + start, end - start);
  g_strdelimit (line, ">", '/');
  parts = g_regex_split_simple ("\\s+(?:/|»|›|→)\\s+", line, 0, 0);
  for (guint i = 0; parts[i] != NULL && !*newsroom; i++)
    *newsroom = g_regex_match (press, g_strstrip (parts[i]), 0, NULL);
  return TRUE;
}

/* A notice on a later line of a block of short lines under the headline:
 * an office's name, then its release's number and date ("Agencia de
 * Comunicación / Comunicado n.º 45 de 3 de marzo de 2026").  Four lines
 * at most are read, each short. */
static gboolean
notice_under_first_line (const char *text,
                         gsize       start,
                         gsize       first_end,
                         gsize       end)
{
  guint lines = 0;

  if (end - start > 400)
    return FALSE;
  /* The notice is the block's last line: a line under it would be the
   * headline, which is no top matter. */
  for (gsize at = first_end + 1; at < end && lines < 4; lines++)
    {
      gsize line_end = first_line_end (text, at, end);

      if (line_end >= end)
        return desk_is_notice_by_words (text + at, line_end - at);
      at = line_end + 1;
    }
  return FALSE;
}

/* A salutation by its shape: a short line of a few words that ends on a
 * comma, a colon or "!" ("Halo rekan media,", "Kära redaktion:"), as a
 * covering note under a forwarded message's headers opens. */
static gboolean
is_salutation (const char *text,
               gsize       start,
               gsize       end)
{
  gsize line_end = first_line_end (text, start, end);
  guint words = 1;
  char last;

  if (line_end - start > 48 || line_end - start < 3)
    return FALSE;
  last = text[line_end - 1];
  if (last != ',' && last != ':' && last != '!')
    return FALSE;
  for (gsize i = start; i < line_end; i++)
    {
      if (g_ascii_isdigit (text[i]) || text[i] == '@')
        return FALSE;
      words += text[i] == ' ';
    }
  return words <= 6;
}

/* The lines above the headline that are not it: a contact block of short
 * lines with an address over a release notice ("Contact: / Mark Ellison /
 * (503) 555-0134 / FOR IMMEDIATE RELEASE"), and date lines and "key:
 * value" lines over the headline.  The addresses of the contact block are
 * evidence as at the end. */
static void
mark_top_of_the_page (const char *text,
                      GArray     *paragraphs,
                      Mark       *marks,
                      guint       story_start)
{
  guint notice = G_MAXUINT;
  guint n_addresses = 0;

  for (guint i = 0; i < MIN (story_start, 9u) && notice == G_MAXUINT; i++)
    if (marks[i].rule != NULL && marks[i].rule->where == WHERE_NOTICE && marks[i].rule->weight > 0)
      notice = i;
  if (notice != G_MAXUINT && notice > 0)
    {
      gboolean block = TRUE;

      for (guint i = 0; i < notice && block; i++)
        block = marks[i].kind == 0 && is_contact_line (text, P (i).start, P (i).end);
      for (guint i = 0; i < notice && block; i++)
        n_addresses += has_contact_address (text, P (i).start, P (i).end);
      if (block && n_addresses > 0)
        for (guint i = 0; i < notice; i++)
          {
            gboolean address = has_contact_address (text, P (i).start, P (i).end);

            mark (marks, i, NULL, DESK_FINDING_BOILERPLATE, P (i).start, P (i).end,
                  address && n_addresses-- > 0 ? CONTACT_ADDRESS_WEIGHT : 0);
            marks[i].name = "top-contact";
          }
    }

  /* With no notice: the lines between the headline and the story, when
   * they are all lines of a contact block ("For more information,
   * contact:", a name, "Tel: … | Email: …") and one holds an address. */
  if (notice == G_MAXUINT && story_start >= 3 && story_start <= 8)
    {
      gboolean block = TRUE;

      n_addresses = 0;
      for (guint i = 1; i < story_start && block; i++)
        {
          /* "Trần Thu Hà, Phòng Truyền thông Công ty …" is longer than a
           * contact line at the end may be, and still no sentence. */
          block = marks[i].kind == 0 &&
                  (is_contact_line (text, P (i).start, P (i).end) ||
                   is_top_contact_line (text, P (i).start, P (i).end) ||
                   (memchr (text + P (i).start, '\n', P (i).end - P (i).start) == NULL &&
                    !reads_as_prose (text, P (i).start, P (i).end) &&
                    !ends_a_sentence (text, P (i).start, P (i).end)));
          n_addresses += block && has_contact_address (text, P (i).start, P (i).end);
        }
      if (block && n_addresses > 0)
        for (guint i = 1; i < story_start; i++)
          {
            gboolean address = has_contact_address (text, P (i).start, P (i).end);

            mark (marks, i, NULL, DESK_FINDING_BOILERPLATE, P (i).start, P (i).end,
                  address && n_addresses-- > 0 ? CONTACT_ADDRESS_WEIGHT : 0);
            marks[i].name = "top-contact";
          }
    }

  for (guint i = 0; i + 1 < story_start; i++)
    {
      gsize line_end = first_line_end (text, P (i).start, P (i).end);

      if (marks[i].kind != 0)
        continue;
      /* "The Morning Wire — Wednesday, December 2, 2026": a masthead, a
       * name and the issue's date, is the first line the item arrived
       * with, its headline as a forwarded message's subject is. */
      if (i == 0 && (is_masthead_line (text, P (i).start, line_end) ||
                     is_forwarded_subject (text, P (i).start, line_end)))
        break;
      if (desk_is_date_line (text + P (i).start, line_end - P (i).start) ||
          (is_field_line (text, P (i).start, line_end) && i + 2 < story_start &&
           (marks[i + 1].kind != 0 ||
            desk_is_date_line (text + P (i + 1).start, first_line_end (text, P (i + 1).start, P (i + 1).end) - P (i + 1).start) ||
            is_field_line (text, P (i + 1).start, first_line_end (text, P (i + 1).start, P (i + 1).end)))))
        {
          mark (marks, i, NULL, DESK_FINDING_BOILERPLATE, P (i).start, P (i).end, 0);
          marks[i].name = "time-stamp";
        }
      else if (i > 0 && marks[i - 1].kind != 0)
        {
          /* Under a notice or an office's name, the rest of a letterhead
           * in any script (a government, a ministry: short lines with no
           * digit) down to the date line over the headline. */
          guint date = G_MAXUINT;

          for (guint j = i; j < MIN (i + 4, story_start - 1) && date == G_MAXUINT; j++)
            {
              gsize end = first_line_end (text, P (j).start, P (j).end);

              if (j > i && desk_is_date_line (text + P (j).start, end - P (j).start))
                date = j;
              else if (end != P (j).end || count_chars (text + P (j).start, end - P (j).start) > 60 ||
                       ends_a_sentence (text, P (j).start, end) || marks[j].kind != 0)
                break;
              else
                {
                  gboolean digit = FALSE;

                  for (gsize k = P (j).start; k < end && !digit; k++)
                    digit = g_ascii_isdigit (text[k]);
                  if (digit)
                    break;
                }
            }
          if (date == G_MAXUINT)
            break;
          for (guint j = i; j <= date; j++)
            {
              mark (marks, j, NULL, DESK_FINDING_BOILERPLATE, P (j).start, P (j).end, 0);
              marks[j].name = j == date ? "time-stamp" : "letterhead";
            }
          i = date;
        }
      else
        break;
    }
}

/* "© 2026 Riverside Rowing Club. All rights reserved.", "Copyright ©
 * 2026 Acme": a page's footer, with the span of the name after the year. */
static gboolean
copyright_line (const char *text,
                gsize       start,
                gsize       end,
                gsize      *name_start,
                gsize      *name_end)
{
  static GRegex *copyright;
  g_autoptr(GMatchInfo) info = NULL;
  int s = -1;
  int e = -1;

  if (end - start > 300 || memchr (text + start, '\n', end - start) != NULL)
    return FALSE;
  if (g_once_init_enter (&copyright))
    g_once_init_leave (&copyright, g_regex_new (
      "^\\s*(?:Copyright\\s*)?(?:©|\\([Cc]\\)|Copyright)\\s*(?:\\d{4}(?:\\s*[-–]\\s*\\d{4})?)\\s*"
      "([^.|·•\\n]{2,60}?)\\s*(?:[.|·•]|$)",
      G_REGEX_OPTIMIZE, 0, NULL));
  if (!g_regex_match_full (copyright, text + start, (gssize) (end - start), 0, 0, &info, NULL) ||
      !g_match_info_fetch_pos (info, 1, &s, &e) || s < 0)
    return FALSE;
  *name_start = start + (gsize) s;
  *name_end = start + (gsize) e;
  return TRUE;
}

/* A block of links or names, not prose: a few lines of up to 100
 * characters, none ending on a full stop ("Related news" over three
 * headlines, "Official partners", a list parted by "·"). */
static gboolean
is_link_lines (const char *text,
               gsize       start,
               gsize       end)
{
  guint lines = 0;

  if (end - start > 800)
    return FALSE;
  for (gsize at = start; at < end; lines++)
    {
      gsize line_end = first_line_end (text, at, end);
      char last = line_end > at ? text[line_end - 1] : '.';

      if (lines >= 8 || count_chars (text + at, line_end - at) > 100 || last == '.' || last == '!' || last == '?' ||
          last == ',' || last == ';')
        return FALSE;
      at = line_end + 1;
    }
  return lines > 0;
}

/* Reads @text (a release as received, or edited copy) for sponsored and
 * third-party content.  @language (BCP-47) picks the language-specific
 * rules; NULL or "und" uses them all. */
DeskDetection *
desk_detector_detect (DeskDetector *self,
                      const char   *text,
                      const char   *language)
{
  g_autoptr(GArray) paragraphs = NULL;
  g_autoptr(GStrvBuilder) tags = g_strv_builder_new ();
  DeskDetection *detection = g_new0 (DeskDetection, 1);
  Mark *marks = NULL;
  double score = 0;
  double sponsored = 0;
  guint n;
  guint first_credit = G_MAXUINT;
  guint story_start;          /* the first paragraph of the story */
  g_autofree char *issuer = NULL;   /* the organisation the story opens with */
  guint headline = 0;
  guint tail = G_MAXUINT;     /* the first end-matter paragraph */
  gboolean any_tail = FALSE;
  guint n_addresses = 0;       /* contact addresses found at the end */
  guint end_marker = G_MAXUINT;   /* the paragraph that marks the story's end */
  guint forwarded = 0;         /* the first paragraph of a forwarded message */
  gboolean forwarded_press = FALSE;   /* sent by a press office */
  const DeskByteSpan *lede = NULL;   /* the story's first paragraph */
  gsize pitch_name = 0;        /* the name that signs a pitch's note */
  gsize pitch_name_end = 0;
  guint pitch_note = G_MAXUINT;   /* the note's first paragraph */

  g_return_val_if_fail (DESK_IS_DETECTOR (self), NULL);
  g_return_val_if_fail (text != NULL, NULL);

  detection->rules_hash = g_strdup (self->rules_hash);
  detection->findings = g_ptr_array_new_with_free_func ((GDestroyNotify) desk_finding_free);

  {
    g_autoptr(GArray) blocks = desk_split_release (text, strlen (text));

    paragraphs = join_hard_wrapped (text, split_blocks_of_lines (text, blocks));
  }
  n = paragraphs->len;
  marks = g_new0 (Mark, n + 1);

  /* A forwarded e-mail ("Hi desk, please find below …", then "----------
   * Forwarded message ---------" and its header lines): the covering note,
   * the separator and the headers are top matter, and the release is read
   * from the message it carries.  A covering note is short. */
  for (guint i = 0; i < MIN (n, 12u); i++)
    {
      gboolean press = FALSE;
      guint headers = 0;
      guint h;

      if (P (i).end - P (i).start > 600)
        break;
      if (!is_forward_separator (text, P (i).start, P (i).end))
        continue;
      /* The headers in the separator's own block of lines, or after it. */
      for (gsize at = first_line_end (text, P (i).start, P (i).end) + 1; at < P (i).end;)
        {
          gsize line_end = first_line_end (text, at, P (i).end);

          headers += is_forward_header (text, at, line_end, &press);
          at = line_end + 1;
        }
      for (h = i + 1; h < n && is_forward_header (text, P (h).start, P (h).end, &press); h++)
        headers++;
      if (headers < 2 || h + 1 >= n)
        break;
      /* The sender's own covering note under the headers ("Selamat pagi,
       * bersama ini …", "Liebe Kolleginnen und Kollegen, anbei …"): a
       * greeting opens it. */
      while (h + 2 < n && (opens_with_a_greeting (text, P (h).start, P (h).end) ||
                           is_salutation (text, P (h).start, P (h).end)))
        {
          h++;
          /* The note runs on to its closing and the sender's name. */
          for (guint k = h; k < MIN (h + 4, n); k++)
            {
              guint taken = sign_off_at (text, paragraphs, k);

              if (taken > 0 && k + taken + 1 < n)
                {
                  h = k + taken;
                  break;
                }
            }
        }
      for (guint j = 0; j < h; j++)
        {
          /* The subject the item arrived with: "Fwd: …", or a headline
           * alone above the separator, which no covering note is. */
          if (j == 0 && i > 0 &&
              (is_forwarded_subject (text, P (0).start, P (0).end) ||
               (i == 1 && memchr (text + P (0).start, '\n', P (0).end - P (0).start) == NULL &&
                !ends_a_sentence (text, P (0).start, P (0).end) &&
                !reads_as_prose (text, P (0).start, P (0).end) &&
                !opens_with_a_greeting (text, P (0).start, P (0).end))))
            continue;
          mark (marks, j, NULL, DESK_FINDING_BOILERPLATE, P (j).start, P (j).end,
                j == i && press ? FORWARDED_FROM_PRESS_WEIGHT : 0);
          marks[j].name = "forwarded-note";
        }
      forwarded = h;
      forwarded_press = press;
      break;
    }

  /* A pitch: a covering note addressed to the desk under the headline
   * ("Hi Tom,", then why the release may interest the reader), which
   * ends where the release's notice or the sender's closing stands.  The
   * note is top matter; the release is read from below it. */
  for (guint g = 1; forwarded == 0 && g < MIN (n, 3u); g++)
    {
      if (!opens_with_a_greeting (text, P (g).start, P (g).end))
        continue;
      for (guint k = g + 1; k < MIN (n, g + 5) && forwarded == 0; k++)
        {
          gsize line_end = first_line_end (text, P (k).start, P (k).end);
          guint taken = sign_off_at (text, paragraphs, k);
          Hit hit;

          if (taken > 0 && k + taken + 1 < n)
            {
              forwarded = k + taken;
              /* The sender's name, under the closing. */
              pitch_name = taken == 1 ? line_end + 1 : P (k + 1).start;
              pitch_name_end = first_line_end (text, pitch_name, taken == 1 ? P (k).end : P (k + 1).end);
              pitch_note = g;
            }
          else if (line_end == P (k).end &&
                   (desk_is_notice_by_words (text + P (k).start, line_end - P (k).start) ||
                    (find (self, WHERE_NOTICE, text, P (k).start, line_end, language, &hit) && hit.rule->weight > 0)))
            forwarded = k;
        }
      for (guint j = g; j < forwarded; j++)
        {
          mark (marks, j, NULL, DESK_FINDING_BOILERPLATE, P (j).start, P (j).end, 0);
          marks[j].name = "forwarded-note";
        }
      break;
    }

  /* The wire credit: in the dateline of the headline (edited copy has
   * none) or of one of the first paragraphs (EIN Presswire puts a
   * sub-headline, share links and a pull quote above it), never inside a
   * running sentence or a quotation. */
  for (guint i = forwarded; i < MIN (n, forwarded + 7) && first_credit == G_MAXUINT; i++)
    {
      Hit hit;
      gsize start;
      gsize end;

      if (!find (self, WHERE_DATELINE, text, P (i).start, first_line_end (text, P (i).start, P (i).end), language, &hit))
        continue;
      if (credit_in_running_text (text, P (i).start, hit.rule_start))
        continue;
      credit_span (text, P (i).start, &hit, &start, &end);
      mark (marks, i, hit.rule, DESK_FINDING_CREDIT, start, end, hit.rule->weight);
      first_credit = i;
    }

  /* Labels: a line of the first three paragraphs or of the last two. */
  for (guint i = 0; i < n; i++)
    {
      Hit hit;

      if (i >= 3 && i + 2 < n)
        continue;
      if (marks[i].rule != NULL || marks[i].kind != 0)
        continue;
      if (find (self, WHERE_LABEL, text, P (i).start, first_line_end (text, P (i).start, P (i).end), language, &hit))
        mark (marks, i, hit.rule, DESK_FINDING_LABEL, P (i).start,
              hit.end - hit.start > 0 ? hit.end : P (i).end, hit.rule->weight);
    }

  /* The top matter: what stands above the story, which starts at the
   * credit's dateline, else at the first paragraph that reads as prose.
   * Release notices ("FOR IMMEDIATE RELEASE", "SIARAN PERS"), site labels
   * and time stamps there are read by rule; the rest of it (a contact
   * block, a sub-headline, share links) goes with them in a clean-up. */
  story_start = first_credit;
  /* A forwarded message's story may start at once, with no headline of
   * its own above it (the subject is its headline). */
  if (story_start == G_MAXUINT && forwarded > 0 && forwarded < n &&
      reads_as_prose (text, P (forwarded).start, P (forwarded).end))
    story_start = forwarded;
  if (story_start == G_MAXUINT)
    for (guint i = forwarded + 1; i < MIN (n, forwarded + 10) && story_start == G_MAXUINT; i++)
      if (marks[i].kind == 0 && reads_as_prose (text, P (i).start, P (i).end) &&
          !is_top_contact_line (text, P (i).start, P (i).end) &&
          !notice_under_first_line (text, P (i).start, first_line_end (text, P (i).start, P (i).end), P (i).end))
        story_start = i;
  if (story_start == G_MAXUINT)
    story_start = MIN (n, forwarded + 1);
  for (guint i = 0; i < story_start; i++)
    {
      Hit hit;

      if (marks[i].kind != 0)
        continue;
      if (find (self, WHERE_NOTICE, text, P (i).start, first_line_end (text, P (i).start, P (i).end), language, &hit))
        mark (marks, i, hit.rule, hit.rule->kind, P (i).start, P (i).end, hit.rule->weight);
    }
  /* A release notice no rule names, read by its words in any language
   * ("BASIN AÇIKLAMASI", "KENYATAAN AKHBAR", "보도참고자료"), weighs as a
   * named one; a short label in capitals over a longer line ("NOTA
   * INFORMATIVA") is top matter.  Either way the headline is below it. */
  for (guint i = forwarded; i < MIN (story_start, forwarded + 3); i++)
    {
      gsize line_end = first_line_end (text, P (i).start, P (i).end);

      /* An office's name over the notice in one block ("Gabinete de
       * Prensa de …" over "NOTA DE PRENSA") weighs as the notice. */
      if (marks[i].rule != NULL && marks[i].rule->where == WHERE_NOTICE &&
          marks[i].weight < NOTICE_BY_WORDS_WEIGHT && i > forwarded &&
          notice_under_first_line (text, P (i).start, line_end, P (i).end))
        marks[i].weight = NOTICE_BY_WORDS_WEIGHT;
      if (marks[i].kind != 0)
        continue;
      if (desk_is_notice_by_words (text + P (i).start, line_end - P (i).start) ||
          (i > forwarded && notice_under_first_line (text, P (i).start, line_end, P (i).end)))
        {
          mark (marks, i, NULL, DESK_FINDING_BOILERPLATE, P (i).start, P (i).end, NOTICE_BY_WORDS_WEIGHT);
          marks[i].name = "notice-by-words";
        }
      else if (i == 0 && i + 1 < story_start && line_end == P (i).end &&
               desk_is_label_in_capitals (text + P (i).start, line_end - P (i).start,
                                          text + P (i + 1).start,
                                          first_line_end (text, P (i + 1).start, P (i + 1).end) - P (i + 1).start))
        {
          mark (marks, i, NULL, DESK_FINDING_BOILERPLATE, P (i).start, P (i).end, 0);
          marks[i].name = "label-in-capitals";
        }
    }

  /* A web page's trail of sections among the top lines: furniture, and
   * evidence when it passes through the newsroom. */
  for (guint i = forwarded; i < MIN (story_start, forwarded + 6); i++)
    {
      gboolean newsroom;

      if (marks[i].kind == 0 &&
          is_breadcrumb_trail (text, P (i).start, first_line_end (text, P (i).start, P (i).end), &newsroom))
        {
          mark (marks, i, NULL, DESK_FINDING_BOILERPLATE, P (i).start, P (i).end, newsroom ? NEWSROOM_TRAIL_WEIGHT : 0);
          marks[i].name = "breadcrumb-trail";
        }
    }

  /* Above the headline: a contact block over a release notice, and date
   * lines and "key: value" lines ("發稿單位：交通部公路局") over the
   * headline. */
  mark_top_of_the_page (text, paragraphs, marks, story_start);
  /* A press office's name heading that contact block ("Pressestelle der
   * Stadt …" over its address) signs the release as at the end. */
  for (guint i = 0; i < story_start; i++)
    {
      Hit hit;

      if (g_strcmp0 (marks[i].name, "top-contact") == 0 &&
          find (self, WHERE_START, text, P (i).start, P (i).end, language, &hit) &&
          g_str_equal (hit.rule->id, "boilerplate-press-office-signature"))
        {
          marks[i].weight += hit.rule->weight;
          break;
        }
    }

  /* Walking down the top lines while each is furniture: a company's name
   * alone over a longer line (PR Times puts it above the headline) or an
   * organisation's letterhead in capitals, under notices and time stamps
   * as well as first.  The first line that is
   * not furniture is the headline. */
  for (guint i = forwarded; i + 1 < MIN (story_start, forwarded + 8); i++)
    {
      gsize line_end = first_line_end (text, P (i).start, P (i).end);

      gsize next_end = first_line_end (text, P (i + 1).start, P (i + 1).end);

      if (marks[i].kind != 0)
        continue;
      if (line_end != P (i).end)
        break;
      if (desk_is_company_line (text + P (i).start, line_end - P (i).start,
                                text + P (i + 1).start, next_end - P (i + 1).start))
        marks[i].name = "company-line";
      else if (desk_is_letterhead (text + P (i).start, line_end - P (i).start,
                                   text + P (i + 1).start, next_end - P (i + 1).start))
        marks[i].name = "letterhead";
      else
        break;
      {
        const char *name = marks[i].name;

        mark (marks, i, NULL, DESK_FINDING_BOILERPLATE, P (i).start, P (i).end, 0);
        marks[i].name = name;
      }
    }

  /* The headline is the first line that is no label or notice. */
  while (headline + 1 < story_start && marks[headline].kind != 0)
    headline++;
  /* Under a letterhead in capitals, the short lines down to a release
   * notice are the letterhead's too (a prosecutor's office under its
   * court's name: "Procura della Repubblica di …" over "COMUNICATO
   * STAMPA"); the headline is under the notice. */
  if (headline > forwarded && g_strcmp0 (marks[headline - 1].name, "letterhead") == 0)
    {
      guint notice_at = G_MAXUINT;

      for (guint i = headline; i < MIN (headline + 3, story_start) && notice_at == G_MAXUINT; i++)
        {
          gsize line_end = first_line_end (text, P (i).start, P (i).end);

          if (marks[i].kind != 0 && marks[i].rule != NULL && marks[i].rule->where == WHERE_NOTICE &&
              marks[i].rule->weight > 0)
            notice_at = i;
          else if (marks[i].kind != 0 && g_strcmp0 (marks[i].name, "notice-by-words") == 0)
            notice_at = i;
          else if (marks[i].kind != 0 || P (i).end - P (i).start > 400)
            break;
          else
            {
              gboolean short_lines = TRUE;

              /* "PROCURA DELLA REPUBBLICA …" over "Ufficio del
               * Procuratore": each line short and no sentence. */
              for (gsize at = P (i).start; at < P (i).end && short_lines;)
                {
                  line_end = first_line_end (text, at, P (i).end);
                  short_lines = count_chars (text + at, line_end - at) <= 60 &&
                                !ends_a_sentence (text, at, line_end);
                  at = line_end + 1;
                }
              if (!short_lines)
                break;
            }
        }
      if (notice_at != G_MAXUINT && notice_at + 1 < story_start)
        {
          for (guint i = headline; i < notice_at; i++)
            {
              mark (marks, i, NULL, DESK_FINDING_BOILERPLATE, P (i).start, P (i).end, 0);
              marks[i].name = "letterhead";
            }
          headline = notice_at + 1;
        }
    }

  /* The headline the parser shows (desk_choose_headline()): a block above
   * it that no rule read (an institution's name over its address, a
   * site's name over its time stamp) is top matter, and the headline is
   * never furniture. */
  {
    DeskByteSpan lines[10];
    guint n_lines = 0;
    guint chosen;

    /* Only a headline with a line or more under it before the story
     * may give way: most copy is read without asking. */
    if (headline >= forwarded && headline + 1 < story_start)
      for (guint i = forwarded; i <= story_start && i < n && n_lines < G_N_ELEMENTS (lines); i++)
        lines[n_lines++] = (DeskByteSpan) { P (i).start, first_line_end (text, P (i).start, P (i).end) };
    chosen = n_lines > 0 ? forwarded + desk_choose_headline (text, lines, n_lines) : headline;
    if (chosen > headline && headline >= forwarded && chosen < story_start)
      {
        for (guint i = headline; i < chosen; i++)
          if (marks[i].kind == 0)
            {
              mark (marks, i, NULL, DESK_FINDING_BOILERPLATE, P (i).start, P (i).end, 0);
              marks[i].name = "above-headline";
            }
        headline = chosen;
      }
  }

  /* The issuer announcing in its own first paragraph: evidence, kept. */
  if (story_start < n && marks[story_start].kind == 0)
    {
      Hit hit;

      if (find (self, WHERE_LEDE, text, P (story_start).start, P (story_start).end, language, &hit))
        mark (marks, story_start, hit.rule, DESK_FINDING_ANNOUNCEMENT, hit.rule_start, hit.end, hit.rule->weight);
    }
  lede = story_start < n ? &P (story_start) : NULL;
  issuer = issuer_named (text, story_start < n ? &P (story_start) : NULL,
                         story_start < n && marks[story_start].kind == DESK_FINDING_CREDIT
                         ? marks[story_start].end : 0);

  /* The story's end marker ("###", "-30-", "-selesai-", "FINE") near the
   * end: what follows it is end matter whatever its words (a contact line
   * too long to read as one, an about-paragraph with no heading), and the
   * reading back starts above it.  A line of ornaments or a lone word in
   * capitals ends the story only when no prose follows it. */
  {
    guint marker = G_MAXUINT;

    for (guint i = MAX (story_start + 2, n > 8 ? n - 8 : 0); i < n && marker == G_MAXUINT; i++)
      {
        EndMarker shape = end_marker_shape (text, P (i).start, P (i).end);
        gboolean prose_after = FALSE;
        Hit hit;

        /* A rule drawn across the page over a note at the end
         * ("------" over "Note to editors, not for publication: …", in
         * one block of lines): the rule and the note under it are end
         * matter, as after "###". */
        if (shape == END_MARKER_NONE && i + 4 >= n && marks[i].kind == 0 && P (i).end - P (i).start <= 800)
          {
            gsize rule_end = first_line_end (text, P (i).start, P (i).end);
            gsize note = rule_end < P (i).end ? rule_end + 1 : i + 1 < n ? P (i + 1).start : 0;
            gsize note_end = rule_end < P (i).end ? first_line_end (text, note, P (i).end)
                             : i + 1 < n ? first_line_end (text, note, P (i + 1).end) : 0;

            /* The note opens with its key ("Till redaktionen, ej för
             * publicering:"), or a rule reads it already: the rule parts
             * no story's sections then. */
            if (note_end > note && is_rule_line (text, P (i).start, rule_end) &&
                ((note_end - note <= 120 && (text[note_end - 1] == ':' ||
                   (note_end - note >= 3 && memcmp (text + note_end - 3, "\xef\xbc\x9a", 3) == 0))) ||
                 (rule_end == P (i).end && marks[i + 1].kind != 0)))
              shape = END_MARKER_SURE;
          }

        /* A notice's closing formula ("Kamuoyuna saygıyla duyurulur.",
         * "Z poważaniem,") among the last three paragraphs ends the story
         * as "-30-" does: the signature under it is end matter. */
        if (shape == END_MARKER_NONE && i + 3 >= n && marks[i].kind == 0 &&
            find (self, WHERE_START, text, P (i).start, P (i).end, language, &hit) &&
            g_str_has_prefix (hit.rule->id, "closing-"))
          shape = END_MARKER_SURE;

        if (shape == END_MARKER_NONE || marks[i].kind == DESK_FINDING_LABEL)
          continue;
        for (guint j = i + 1; j < n && shape == END_MARKER_LINE && !prose_after; j++)
          prose_after = marks[j].kind == 0 && reads_as_prose (text, P (j).start, P (j).end);
        if (!prose_after)
          marker = i;
      }
    if (marker != G_MAXUINT)
      {
        Hit hit;

        if (marks[marker].kind == 0)
          {
            if (find (self, WHERE_START, text, P (marker).start, P (marker).end, language, &hit) &&
                hit.rule->kind == DESK_FINDING_BOILERPLATE)
              mark (marks, marker, hit.rule, hit.rule->kind, P (marker).start, P (marker).end, hit.rule->weight);
            else
              {
                /* "-selesai-", "-انتهى-" weigh as the rule's "-30-" does. */
                mark (marks, marker, NULL, DESK_FINDING_BOILERPLATE, P (marker).start, P (marker).end,
                      end_marker_shape (text, P (marker).start, P (marker).end) == END_MARKER_SURE
                      ? END_MARKER_WEIGHT : 0);
                marks[marker].name = "end-marker";
              }
          }
        /* Disclaimers and labels after it are read by their rules first. */
        walk_back (self, text, language, paragraphs, marks, n, marker, issuer, lede, &any_tail, &n_addresses);
        /* Headings there ("About Acme") weigh as they do anywhere. */
        for (guint j = marker + 1; j < n; j++)
          {
            gsize line_end = first_line_end (text, P (j).start, P (j).end);
            gsize words_start = P (j).start;
            gsize words_end = line_end;

            if (marks[j].kind != 0)
              continue;
            strip_ornaments (text, &words_start, &words_end);
            if (is_heading_line (text, P (j).start, line_end) && words_start < words_end &&
                find (self, WHERE_HEADING, text, words_start, words_end, language, &hit))
              mark (marks, j, hit.rule, hit.rule->kind, P (j).start, P (j).end, hit.rule->weight);
            else
              {
                mark (marks, j, NULL, DESK_FINDING_BOILERPLATE, P (j).start, P (j).end, 0);
                marks[j].name = "after-end-marker";
              }
          }
        end_marker = marker;
        tail = marker;
        any_tail = TRUE;
      }
  }

  /* A web page's footer on the last line, "© 2026 <name>. All rights
   * reserved.": the lists of links and partners above it ("Related
   * news" and its headlines) are the page's furniture, and the page is
   * the organisation's own when the name is the one its story opens
   * with. */
  if (end_marker == G_MAXUINT && lede != NULL && n > story_start + 3)
    {
      gsize name_start;
      gsize name_end;

      if (copyright_line (text, P (n - 1).start, P (n - 1).end, &name_start, &name_end))
        {
          guint first = n - 1;
          gboolean own = FALSE;

          while (name_end - name_start >= 4 && !own)
            {
              const char *space;

              own = names_in (text, lede->start, lede->end, text + name_start, name_end - name_start);
              space = g_strrstr_len (text + name_start, (gssize) (name_end - name_start), " ");
              if (space == NULL)
                break;
              name_end = (gsize) (space - text);
            }
          mark (marks, n - 1, NULL, DESK_FINDING_BOILERPLATE, P (n - 1).start, P (n - 1).end, own ? OWN_PAGE_WEIGHT : 0);
          marks[n - 1].name = "page-footer";
          while (first > story_start + 2 && marks[first - 1].kind == 0 &&
                 is_link_lines (text, P (first - 1).start, P (first - 1).end))
            {
              first--;
              mark (marks, first, NULL, DESK_FINDING_BOILERPLATE, P (first).start, P (first).end, 0);
              marks[first].name = "page-links";
            }
          end_marker = first;
          tail = first;
          any_tail = TRUE;
        }
    }

  /* The end matter, read back from the last paragraph; a heading such as
   * "About Acme" a little above it makes everything after it end matter
   * too (the company's about-paragraph), and the reading goes on above the
   * heading. */
  {
    guint from = end_marker != G_MAXUINT ? end_marker : n;
    guint lowest = n > 12 ? n - 12 : 1;

    for (;;)
      {
        guint heading = G_MAXUINT;

        tail = MIN (tail, walk_back (self, text, language, paragraphs, marks, from, story_start, issuer, lede, &any_tail, &n_addresses));
        /* Sections under headings (a conference call, non-GAAP measures,
         * "About …") stack up above the end matter: the search goes on
         * eight paragraphs above what is already end matter. */
        if (tail < n && tail > 9)
          lowest = MIN (lowest, tail - 8);
        for (guint i = MIN (tail, from); i > MAX (lowest, 1u); i--)
          {
            guint p = i - 1;
            gsize line_end = first_line_end (text, P (p).start, P (p).end);
            Hit hit;

            gsize words_start = P (p).start;
            gsize words_end = line_end;

            if (p <= story_start + 1)
              break;
            if (marks[p].kind != 0)
              break;
            strip_ornaments (text, &words_start, &words_end);
            if (!is_heading_line (text, P (p).start, line_end) || words_start >= words_end ||
                !find (self, WHERE_HEADING, text, words_start, words_end, language, &hit))
              continue;
            mark (marks, p, hit.rule, hit.rule->kind, P (p).start, P (p).end, hit.rule->weight);
            for (guint j = p + 1; j < MIN (tail, from); j++)
              mark (marks, j, hit.rule, hit.rule->kind, P (j).start, P (j).end, 0);
            heading = p;
            break;
          }
        if (heading == G_MAXUINT)
          break;
        tail = heading;
        from = heading;
        any_tail = TRUE;
      }
  }

  /* An about-paragraph and an address in the end matter, or in a contact
   * block on top, together. */
  if (tail < n)
    {
      guint about = G_MAXUINT;
      gboolean address = FALSE;

      for (guint i = tail; i < n; i++)
        {
          if (about == G_MAXUINT && marks[i].kind == DESK_FINDING_BOILERPLATE &&
              (g_strcmp0 (marks[i].name, "about-issuer") == 0 ||
               (marks[i].rule != NULL && g_str_has_prefix (marks[i].rule->id, "boilerplate-about"))))
            about = i;
          address = address || has_contact_address (text, P (i).start, P (i).end);
        }
      /* The contact block may stand above the story instead. */
      for (guint i = 1; i < story_start && !address; i++)
        address = g_strcmp0 (marks[i].name, "top-contact") == 0 &&
                  has_contact_address (text, P (i).start, P (i).end);
      if (about != G_MAXUINT && address)
        marks[about].weight += ABOUT_AND_CONTACT_WEIGHT;

      /* A press office's forwarded message that ends on its signature
       * block with an address: headers, note and signature together are
       * a release's, whatever the office calls itself. */
      if (forwarded_press && address)
        for (guint i = 0; i < forwarded; i++)
          if (g_strcmp0 (marks[i].name, "forwarded-note") == 0 && marks[i].weight > 0)
            {
              marks[i].weight += FORWARDED_SIGNATURE_WEIGHT;
              break;
            }
    }

  /* A pitch signed by the person the release's contact block names: the
   * note is the release's sender's, as a press office's forwarded
   * message is. */
  if (pitch_note != G_MAXUINT && tail < n && pitch_name_end - pitch_name >= 5)
    {
      g_autofree char *name = g_strndup (text + pitch_name, pitch_name_end - pitch_name);

      for (guint i = tail; i < n; i++)
        if (marks[i].kind != 0 && marks[i].kind != DESK_FINDING_LABEL &&
            g_strstr_len (text + P (i).start, (gssize) (P (i).end - P (i).start), name) != NULL)
          {
            marks[pitch_note].weight += PITCH_SIGNED_BY_CONTACT_WEIGHT;
            break;
          }
    }

  /* The organisation's own post embedded at the end ("Clube Desportivo
   * das Caldas (@cdcaldas) publicou no Instagram: …") on a page whose
   * story opens with its name: the page is its newsroom's. */
  for (guint i = tail; i < n && lede != NULL; i++)
    if (marks[i].rule != NULL && g_str_equal (marks[i].rule->id, "boilerplate-social-embed"))
      {
        const char *handle = g_strstr_len (text + P (i).start, (gssize) (P (i).end - P (i).start), " (@");

        if (handle != NULL && (gsize) (handle - text) > P (i).start &&
            names_in (text, lede->start, lede->end, text + P (i).start, (gsize) (handle - text) - P (i).start))
          {
            marks[i].weight = ISSUER_POST_WEIGHT;
            break;
          }
      }

  /* A paid-content disclosure inside the story ("Editor's note: this post
   * is sponsored by …"): a label, kept by a clean-up.  A disclosure is a
   * short paragraph that opens or closes a story: the first three and the
   * last three before the end matter, of 400 bytes at most, are read
   * (every paragraph, read through the rules found anywhere, made
   * bench-detect's detection 2.5 times as slow). */
  for (guint i = 1; i < MIN (tail, n); i++)
    {
      Hit hit;

      if ((i > story_start + 2 && i + 3 < MIN (tail, n)) || P (i).end - P (i).start > 400)
        continue;
      if (marks[i].kind != 0 && marks[i].kind != DESK_FINDING_ANNOUNCEMENT)
        continue;
      if (find (self, WHERE_WITHIN, text, P (i).start, P (i).end, language, &hit) &&
          hit.rule->sponsored && hit.rule->kind == DESK_FINDING_DISCLAIMER &&
          !inside_a_quotation (text, P (i).start, hit.start))
        mark (marks, i, hit.rule, DESK_FINDING_LABEL, P (i).start, P (i).end, hit.rule->weight);
    }

  for (guint i = 0; i < n; i++)
    {
      if (marks[i].kind == 0)
        continue;
      if (marks[i].kind == DESK_FINDING_SECTOR)
        add_tags (tags, text, P (i).start, first_line_end (text, P (i).start, P (i).end));
      score += marks[i].weight;
      if (marks[i].rule != NULL && marks[i].rule->sponsored)
        sponsored += marks[i].weight;
    }

  detection->score = score;
  if (sponsored >= FLAG_THRESHOLD)
    detection->verdict = DESK_VERDICT_SPONSORED;
  else if (score >= FLAG_THRESHOLD)
    detection->verdict = DESK_VERDICT_THIRD_PARTY;
  else
    detection->verdict = DESK_VERDICT_NONE;

  /* Weak cues alone (an "About" heading, a wire named once) are not
   * evidence: a news story has them too.  The lines under a paid item's
   * label (its sponsor's "a special publication of …") are its
   * disclosure, not a release's top matter. */
  if (detection->verdict == DESK_VERDICT_THIRD_PARTY)
    {
      for (guint i = headline + 1; i < story_start; i++)
        if (marks[i].kind == 0)
          {
            mark (marks, i, NULL, DESK_FINDING_BOILERPLATE, P (i).start, P (i).end, 0);
            marks[i].name = "top-matter";
          }
    }

  if (detection->verdict != DESK_VERDICT_NONE && headline < n && marks[headline].kind == 0)
    {
      detection->headline_start = count_chars (text, P (headline).start);
      detection->headline_end = detection->headline_start +
        count_chars (text + P (headline).start, first_line_end (text, P (headline).start, P (headline).end) - P (headline).start);
    }

  if (detection->verdict != DESK_VERDICT_NONE)
    {
      const char *chars_at = text;
      guint chars = 0;

      for (guint i = 0; i < n; i++)
        {
          DeskFinding *finding;
          const Rule *rule = marks[i].rule;

          if (marks[i].kind == 0)
            continue;

          finding = g_new0 (DeskFinding, 1);
          finding->kind = marks[i].kind;
          /* Spans only grow through the text: count characters once. */
          chars += count_chars (chars_at, (gsize) (text + marks[i].start - chars_at));
          finding->start = chars;
          chars += count_chars (text + marks[i].start, marks[i].end - marks[i].start);
          finding->end = chars;
          chars_at = text + marks[i].end;
          finding->rule = g_strdup (rule != NULL ? rule->id : marks[i].name != NULL ? marks[i].name : "contact-line");
          finding->language = g_strdup (rule != NULL ? rule->languages_text : "*");
          finding->evidence = g_strndup (text + marks[i].start, marks[i].end - marks[i].start);
          finding->removable = finding->kind != DESK_FINDING_LABEL &&
                               finding->kind != DESK_FINDING_ANNOUNCEMENT;
          g_ptr_array_add (detection->findings, finding);

          if (detection->wire == NULL && rule != NULL && rule->wire != NULL &&
              (finding->kind == DESK_FINDING_CREDIT || first_credit == G_MAXUINT))
            detection->wire = g_strdup (rule->wire);
        }
      if (first_credit != G_MAXUINT && marks[first_credit].rule->wire != NULL)
        {
          g_free (detection->wire);
          detection->wire = g_strdup (marks[first_credit].rule->wire);
        }
      detection->tags = g_strv_builder_end (tags);
    }
  else
    detection->tags = g_new0 (char *, 1);

  /* The prints the store learns boilerplate from: the story's first
   * paragraph, and the last paragraphs after it that no rule read, of copy
   * with a cue that it is a release and an issuer or a distributor. */
  {
    const char *whose = issuer != NULL ? issuer : detection->wire;

    if (whose != NULL && story_start < n &&
        (detection->verdict != DESK_VERDICT_NONE || detection->score >= 0.3))
      {
        detection->issuer = g_strdup (whose);
        detection->lede_print = desk_paragraph_print (text + P (story_start).start,
                                                      P (story_start).end - P (story_start).start);
        for (guint i = MAX (story_start + 1, n > DESK_DETECTION_MAX_PRINTS ? n - DESK_DETECTION_MAX_PRINTS : 0); i < n; i++)
          {
            gint64 print;

            if (marks[i].kind != 0 && marks[i].kind != DESK_FINDING_ANNOUNCEMENT)
              continue;
            print = desk_paragraph_print (text + P (i).start, P (i).end - P (i).start);
            if (print == 0)
              continue;
            detection->prints[detection->n_prints] = print;
            detection->print_starts[detection->n_prints] = P (i).start;
            detection->print_ends[detection->n_prints] = P (i).end;
            detection->n_prints++;
          }
      }
  }

  g_free (marks);
  return detection;
}

#undef P

/* "Third-party content: credit, disclaimer and boilerplate by SeaPRwire",
 * for a banner; NULL when nothing was found. */
char *
desk_detection_describe (const DeskDetection *detection)
{
  gboolean seen[DESK_FINDING_ANNOUNCEMENT + 1] = { FALSE };
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  g_autoptr(GString) what = g_string_new (NULL);
  const char *title;

  if (detection == NULL || detection->verdict == DESK_VERDICT_NONE)
    return NULL;

  for (guint i = 0; i < detection->findings->len; i++)
    {
      const DeskFinding *f = g_ptr_array_index (detection->findings, i);

      if (seen[f->kind])
        continue;
      seen[f->kind] = TRUE;
      switch (f->kind)
        {
        case DESK_FINDING_CREDIT: g_ptr_array_add (names, _("wire credit")); break;
        case DESK_FINDING_DISCLAIMER: g_ptr_array_add (names, _("disclaimer")); break;
        case DESK_FINDING_BOILERPLATE: g_ptr_array_add (names, _("boilerplate")); break;
        case DESK_FINDING_LABEL: g_ptr_array_add (names, _("label")); break;
        case DESK_FINDING_SECTOR: g_ptr_array_add (names, _("sector line")); break;
        case DESK_FINDING_ANNOUNCEMENT: g_ptr_array_add (names, _("announcement")); break;
        default: break;
        }
    }

  for (guint i = 0; i < names->len; i++)
    {
      if (i > 0)
        /* Translators: between the items of "credit, disclaimer and boilerplate" */
        g_string_append (what, i + 1 == names->len ? _(" and ") : _(", "));
      g_string_append (what, g_ptr_array_index (names, i));
    }

  title = detection->verdict == DESK_VERDICT_SPONSORED ? _("Sponsored content") : _("Third-party content");
  if (detection->wire != NULL)
    /* Translators: "Third-party content: disclaimer and boilerplate by SeaPRwire" */
    return g_strdup_printf (_("%s: %s by %s"), title, what->str, detection->wire);
  /* Translators: "Sponsored content: label" */
  return g_strdup_printf (_("%s: %s"), title, what->str);
}
