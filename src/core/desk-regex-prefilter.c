/* desk-regex-prefilter.c — literals a regular expression cannot match without
 *
 * The sponsor detector's combined expressions were a third of an import's
 * instructions (callgrind, 1,000 releases of the mixed corpus), most of it
 * PCRE trying forty caseless alternatives at every position of paragraphs
 * where none of them could match.  A prefilter answers "can it match
 * here?" first, from literals every match must hold: "PR Newswire|
 * prnewswire\.com" cannot match a paragraph holding neither "pr newswire"
 * nor "prnewswire.com", whatever the case.  It only ever says no where the
 * expression finds nothing, so results stay the same; where it cannot
 * tell (an expression with no literal it can be sure of), it says yes.
 *
 * The literals are read from the expression's own text: at each level a
 * branch's longest run of plain characters, or a group it cannot do
 * without, whose branches each give theirs.  Anything not understood (an
 * option setting, a \Q, a back-reference, a verb) gives no literals.
 * Case: the expressions are caseless, so the literals and the text are
 * both folded a character at a time to the lower case of the upper case
 * (ASCII by a table, the rest by GLib), which gives every set of
 * characters PCRE takes for one another in a caseless match ("σ", "ς",
 * "Σ"; "k", "K" and the Kelvin sign) one form.
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "desk-regex-prefilter.h"

/* A literal is found by its first two bytes. */
#define MIN_LITERAL 2

struct _DeskRegexPrefilter
{
  guint8     pairs[65536 / 8];  /* folded first two bytes of a literal */
  guint8     triples[65536 / 8]; /* a hash of its first three */
  guint8     short_pairs[65536 / 8]; /* literals of two bytes */
  GPtrArray *literals;          /* folded, of char */
  guint16   *keys;              /* each literal's first two bytes, sorted */
  gboolean   sorted;
  gboolean   always;            /* an expression without literals */
  guint      n_added;           /* expressions added */
  guint64    always_bits[4];    /* the first 256 of them that show no literals */
  GHashTable *owner_of;         /* literal (its string) → 1 + the expression it came from */
  guint     *owners;            /* each sorted literal's expression */
};

static inline guint8
fold (guint8 b)
{
  return (b >= 'A' && b <= 'Z') ? (guint8) (b + ('a' - 'A')) : b;
}

/* Appends @text[0, @length) folded to @out (at most 2 × @length bytes:
 * no character's folded form is more than half again as long).  Bytes
 * that are not UTF-8 are kept: PCRE matches nothing in such a text. */
static gsize
fold_text (const char *text,
           gsize       length,
           char       *out)
{
  const guint8 *p = (const guint8 *) text;
  const guint8 *end = p + length;
  char *o = out;

  while (p < end)
    {
      if (*p < 0x80)
        *o++ = (char) fold (*p++);
      else if (p + 2 < end && (p[1] & 0xC0) == 0x80 && (p[2] & 0xC0) == 0x80 &&
               ((*p >= 0xE3 && *p <= 0xE9) ||
                (*p == 0xEA && p[1] >= 0xB0) || *p == 0xEB || *p == 0xEC ||
                (*p == 0xED && p[1] < 0xA0) ||
                (*p == 0xE0 && (p[1] == 0xB8 || p[1] == 0xB9))))
        {
          /* Kana and Han (U+3000 to U+9FFF), Hangul syllables (U+AC00 to
           * U+D7FF) and Thai: no case. */
          *o++ = (char) *p++;
          *o++ = (char) *p++;
          *o++ = (char) *p++;
        }
      else
        {
          gunichar c = g_utf8_get_char_validated ((const char *) p, end - p);

          if (c == (gunichar) -1 || c == (gunichar) -2)
            *o++ = (char) *p++;
          else
            {
              p = (const guint8 *) g_utf8_next_char (p);
              o += g_unichar_to_utf8 (g_unichar_tolower (g_unichar_toupper (c)), o);
            }
        }
    }
  return (gsize) (o - out);
}

/* ---- reading an expression ------------------------------------------------ */

typedef struct {
  const char *p;
  gboolean    unknown;   /* something not understood: no literals */
} Scan;

static GPtrArray *scan_alternation (Scan *s);

static gsize
min_length (GPtrArray *set)
{
  gsize n = G_MAXSIZE;

  for (guint i = 0; i < set->len; i++)
    n = MIN (n, strlen (set->pdata[i]));
  return n;
}

/* Keeps in *best the more selective of two sets: the longer shortest
 * literal (up to eight bytes), then the fewer literals. */
static void
consider (GPtrArray **best,
          GPtrArray  *candidate)
{
  gsize a;
  gsize b;

  if (candidate == NULL)
    return;
  if (min_length (candidate) < MIN_LITERAL)
    {
      g_ptr_array_unref (candidate);
      return;
    }
  if (*best == NULL)
    {
      *best = candidate;
      return;
    }
  a = MIN (min_length (*best), 8);
  b = MIN (min_length (candidate), 8);
  if (b > a || (b == a && candidate->len < (*best)->len))
    {
      g_ptr_array_unref (*best);
      *best = candidate;
    }
  else
    g_ptr_array_unref (candidate);
}

static void
flush (GString    *run,
       GPtrArray **best)
{
  if (run->len > 0)
    {
      GPtrArray *set = g_ptr_array_new_with_free_func (g_free);

      g_ptr_array_add (set, g_strndup (run->str, run->len));
      consider (best, set);
      g_string_truncate (run, 0);
    }
}

/* Is there a quantifier at @p?  "{" opens one only as "{n}", "{n,}" or
 * "{n,m}" (PCRE2 10.42): anything else is a literal brace. */
static gboolean
is_quantifier (const char *p)
{
  const char *q = p + 1;

  if (*p == '?' || *p == '*' || *p == '+')
    return TRUE;
  /* "{,m}" too, which later PCRE2 reads as "{0,m}": taken for optional,
   * it only leaves out literals. */
  if (*p != '{' || !(g_ascii_isdigit (*q) || (*q == ',' && g_ascii_isdigit (q[1]))))
    return FALSE;
  while (g_ascii_isdigit (*q))
    q++;
  if (*q == ',')
    for (q++; g_ascii_isdigit (*q); q++)
      ;
  return *q == '}';
}

/* Skips a quantifier at s->p, if any.  TRUE if it lets what it follows be
 * left out ("?", "*", "{0,…}"). */
static gboolean
skip_quantifier (Scan *s)
{
  gboolean optional;

  if (!is_quantifier (s->p))
    return FALSE;
  optional = *s->p == '?' || *s->p == '*' ||
             (*s->p == '{' && (s->p[1] == '0' || s->p[1] == ','));
  if (*s->p == '{')
    s->p = strchr (s->p, '}') + 1;
  else
    s->p++;
  /* Lazy or possessive. */
  if (*s->p == '?' || *s->p == '+')
    s->p++;
  return optional;
}

static void
skip_class (Scan *s)
{
  s->p++;   /* '[' */
  if (*s->p == '^')
    s->p++;
  if (*s->p == ']')
    s->p++;
  while (*s->p != '\0' && *s->p != ']')
    {
      if (*s->p == '\\' && s->p[1] != '\0')
        s->p += 2;
      else if (*s->p == '[' && s->p[1] == ':')
        {
          const char *end = strstr (s->p + 2, ":]");
          s->p = end != NULL ? end + 2 : s->p + 1;
        }
      else
        s->p++;
    }
  if (*s->p == ']')
    s->p++;
  else
    s->unknown = TRUE;
}

/* Escapes of a class or an assertion that take nothing after them. */
static gboolean
is_simple_escape (char c)
{
  return c != '\0' && strchr ("sSdDwWbBhHvVRNntrfeaAzZGKX", c) != NULL;
}

static GPtrArray *
scan_branch (Scan *s)
{
  g_autoptr(GString) run = g_string_new (NULL);
  GPtrArray *best = NULL;

  while (!s->unknown && *s->p != '\0' && *s->p != '|' && *s->p != ')')
    {
      const char *c = s->p;

      if (*c == '(')
        {
          gboolean assertion = FALSE;
          GPtrArray *inner;

          flush (run, &best);
          if (c[1] == '*')
            {
              s->unknown = TRUE;
              break;
            }
          if (c[1] == '?')
            {
              if (c[2] == ':' || c[2] == '>')
                s->p = c + 3;
              else if (c[2] == '=' || c[2] == '!')
                {
                  assertion = TRUE;
                  s->p = c + 3;
                }
              else if (c[2] == '<' && (c[3] == '=' || c[3] == '!'))
                {
                  assertion = TRUE;
                  s->p = c + 4;
                }
              else if (c[2] == '<' || (c[2] == 'P' && c[3] == '<'))
                {
                  const char *end = strchr (c, '>');

                  if (end == NULL)
                    {
                      s->unknown = TRUE;
                      break;
                    }
                  s->p = end + 1;
                }
              else
                {
                  /* Option settings, comments, conditions, recursion. */
                  s->unknown = TRUE;
                  break;
                }
            }
          else
            s->p = c + 1;

          inner = scan_alternation (s);
          if (*s->p != ')')
            {
              s->unknown = TRUE;
              g_clear_pointer (&inner, g_ptr_array_unref);
              break;
            }
          s->p++;
          if (skip_quantifier (s) || assertion)
            g_clear_pointer (&inner, g_ptr_array_unref);
          consider (&best, inner);
        }
      else if (*c == '[')
        {
          flush (run, &best);
          skip_class (s);
          skip_quantifier (s);
        }
      else if (*c == '.' || *c == '^' || *c == '$')
        {
          flush (run, &best);
          s->p++;
          skip_quantifier (s);
        }
      else if (is_quantifier (c))
        {
          /* A quantifier after something already left out of the run. */
          flush (run, &best);
          skip_quantifier (s);
        }
      else
        {
          const char *ch;
          const char *next;

          if (*c == '\\')
            {
              if (g_ascii_isalnum (c[1]))
                {
                  flush (run, &best);
                  if (is_simple_escape (c[1]))
                    s->p = c + 2;
                  else if ((c[1] == 'p' || c[1] == 'P') && c[2] == '{' && strchr (c, '}') != NULL)
                    s->p = strchr (c, '}') + 1;
                  else if ((c[1] == 'p' || c[1] == 'P') && g_ascii_isalpha (c[2]))
                    s->p = c + 3;
                  else
                    {
                      /* \Q, \x, back-references, \c…: not read. */
                      s->unknown = TRUE;
                      break;
                    }
                  skip_quantifier (s);
                  continue;
                }
              if (c[1] == '\0')
                {
                  s->unknown = TRUE;
                  break;
                }
              ch = c + 1;
            }
          else
            ch = c;

          if ((guchar) *ch >= 0x80)
            {
              gunichar u = g_utf8_get_char_validated (ch, -1);

              if (u == (gunichar) -1 || u == (gunichar) -2)
                {
                  s->unknown = TRUE;
                  break;
                }
            }
          next = g_utf8_next_char (ch);
          s->p = next;

          if (*s->p == '?' || *s->p == '*' ||
              (*s->p == '{' && (s->p[1] == '0' || s->p[1] == ',') && is_quantifier (s->p)))
            {
              /* May be left out. */
              flush (run, &best);
              skip_quantifier (s);
            }
          else
            {
              char folded[8];
              gsize n = fold_text (ch, (gsize) (next - ch), folded);

              g_string_append_len (run, folded, (gssize) n);
              if (*s->p == '+' || (*s->p == '{' && is_quantifier (s->p)))
                {
                  /* Repeated: what follows does not follow it at once. */
                  flush (run, &best);
                  skip_quantifier (s);
                }
            }
        }
    }
  flush (run, &best);
  if (s->unknown)
    g_clear_pointer (&best, g_ptr_array_unref);
  return best;
}

/* Branches up to a ')' or the end: each must give literals, and the set
 * is all of them. */
static GPtrArray *
scan_alternation (Scan *s)
{
  GPtrArray *all = NULL;
  gboolean every = TRUE;

  for (;;)
    {
      GPtrArray *branch = scan_branch (s);

      if (branch == NULL)
        every = FALSE;
      else if (every)
        {
          if (all == NULL)
            all = g_ptr_array_new_with_free_func (g_free);
          for (guint i = 0; i < branch->len; i++)
            g_ptr_array_add (all, g_strdup (branch->pdata[i]));
        }
      g_clear_pointer (&branch, g_ptr_array_unref);
      if (s->unknown || *s->p != '|')
        break;
      s->p++;
    }
  if (!every || s->unknown)
    g_clear_pointer (&all, g_ptr_array_unref);
  return all;
}

/**
 * desk_regex_required_literals:
 * @regex: a PCRE expression, matched caselessly
 *
 * Literals, folded to ASCII lower case, one of which every match of @regex
 * holds; NULL if the expression does not show them.
 */
GPtrArray *
desk_regex_required_literals (const char *regex)
{
  Scan s = { regex, FALSE };
  GPtrArray *set;

  g_return_val_if_fail (regex != NULL, NULL);

  set = scan_alternation (&s);
  if (set != NULL && (s.unknown || *s.p != '\0' || min_length (set) < MIN_LITERAL))
    g_clear_pointer (&set, g_ptr_array_unref);
  return set;
}

/* ---- the prefilter -------------------------------------------------------- */

DeskRegexPrefilter *
desk_regex_prefilter_new (void)
{
  DeskRegexPrefilter *prefilter = g_new0 (DeskRegexPrefilter, 1);

  prefilter->literals = g_ptr_array_new_with_free_func (g_free);
  prefilter->owner_of = g_hash_table_new (NULL, NULL);
  return prefilter;
}

void
desk_regex_prefilter_free (DeskRegexPrefilter *prefilter)
{
  if (prefilter == NULL)
    return;
  g_ptr_array_unref (prefilter->literals);
  g_hash_table_unref (prefilter->owner_of);
  g_free (prefilter->keys);
  g_free (prefilter->owners);
  g_free (prefilter);
}

static inline guint16
key_of (const char *bytes)
{
  return (guint16) (fold ((guint8) bytes[0]) << 8 | fold ((guint8) bytes[1]));
}

static inline guint16
triple_of (const guint8 *bytes)
{
  return (guint16) ((bytes[0] << 8 | bytes[1]) ^ (bytes[2] * 0x9E37u));
}

static inline void
set_pair (guint8  *bits,
          guint16  key)
{
  bits[key >> 3] |= (guint8) (1u << (key & 7));
}

static inline gboolean
has_pair (const guint8 *bits,
          guint16       key)
{
  return (bits[key >> 3] & (1u << (key & 7))) != 0;
}

static void prepare (DeskRegexPrefilter *prefilter);

/**
 * desk_regex_prefilter_add:
 *
 * Adds an expression, one of several in an alternation the prefilter
 * stands in front of.  FALSE if it shows no literals: the prefilter then
 * lets every text through.
 */
gboolean
desk_regex_prefilter_add (DeskRegexPrefilter *prefilter,
                          const char         *regex)
{
  g_autoptr(GPtrArray) set = desk_regex_required_literals (regex);
  guint owner = prefilter->n_added++;

  if (set == NULL)
    {
      prefilter->always = TRUE;
      if (owner < 256)
        prefilter->always_bits[owner / 64] |= G_GUINT64_CONSTANT (1) << (owner % 64);
      return FALSE;
    }
  for (guint i = 0; i < set->len; i++)
    {
      const char *literal = set->pdata[i];
      char *copy = g_strdup (literal);

      set_pair (prefilter->pairs, key_of (literal));
      if (literal[2] == '\0')
        set_pair (prefilter->short_pairs, key_of (literal));
      else
        set_pair (prefilter->triples, triple_of ((const guint8 *) literal));
      g_ptr_array_add (prefilter->literals, copy);
      g_hash_table_insert (prefilter->owner_of, copy, GUINT_TO_POINTER (owner + 1));
    }
  prepare (prefilter);
  return TRUE;
}

static int
compare_literals (gconstpointer a,
                  gconstpointer b)
{
  const char *la = *(const char * const *) a;
  const char *lb = *(const char * const *) b;

  return (int) key_of (la) - (int) key_of (lb);
}

static void
prepare (DeskRegexPrefilter *prefilter)
{
  g_ptr_array_sort (prefilter->literals, compare_literals);
  g_free (prefilter->keys);
  prefilter->keys = g_new (guint16, MAX (prefilter->literals->len, 1));
  g_free (prefilter->owners);
  prefilter->owners = g_new (guint, MAX (prefilter->literals->len, 1));
  for (guint i = 0; i < prefilter->literals->len; i++)
    {
      prefilter->keys[i] = key_of (prefilter->literals->pdata[i]);
      prefilter->owners[i] = GPOINTER_TO_UINT (g_hash_table_lookup (prefilter->owner_of,
                                                                    prefilter->literals->pdata[i])) - 1;
    }
  prefilter->sorted = TRUE;
}

/**
 * desk_regex_prefilter_may_match:
 *
 * FALSE only if none of the expressions added can match anywhere in
 * @text: it holds none of their literals in any case.  Safe from any
 * thread once the expressions are added.
 */
gboolean
desk_regex_prefilter_may_match (const DeskRegexPrefilter *prefilter,
                                const char               *text,
                                gsize                     length)
{
  char small[2048];
  g_autofree char *large = NULL;
  const guint8 *bytes;
  gsize n;

  if (prefilter->always || !prefilter->sorted)
    return TRUE;
  if (length < 2)
    return FALSE;

  if (length * 2 <= sizeof small)
    bytes = (const guint8 *) small;
  else
    bytes = (const guint8 *) (large = g_malloc (length * 2));
  n = fold_text (text, length, (char *) bytes);

  for (gsize i = 0; i + 1 < n; i++)
    {
      guint16 key = (guint16) (bytes[i] << 8 | bytes[i + 1]);
      guint lo = 0;
      guint hi = prefilter->literals->len;

      if (!has_pair (prefilter->pairs, key))
        continue;
      if (has_pair (prefilter->short_pairs, key))
        return TRUE;
      if (i + 2 >= n || !has_pair (prefilter->triples, triple_of (bytes + i)))
        continue;

      /* The first literal with this key. */
      while (lo < hi)
        {
          guint mid = (lo + hi) / 2;

          if (prefilter->keys[mid] < key)
            lo = mid + 1;
          else
            hi = mid;
        }
      for (; lo < prefilter->literals->len && prefilter->keys[lo] == key; lo++)
        {
          const char *literal = prefilter->literals->pdata[lo];
          gsize len = strlen (literal);

          if (len <= n - i && memcmp (literal, bytes + i, len) == 0)
            return TRUE;
        }
    }
  return FALSE;
}

/**
 * desk_regex_prefilter_which:
 * @owners: (out caller-allocates): a bit for each expression, in the
 *   order they were added, @n_words × 64 of them
 *
 * Which of the expressions added may match somewhere in @text: the bit of
 * an expression is left clear only if it cannot (@text holds none of its
 * literals in any case); an expression without literals always may.
 * FALSE when the prefilter cannot tell (more than @n_words × 64
 * expressions, or more than 256); then @owners says nothing.  Safe from
 * any thread once the expressions are added.
 */
gboolean
desk_regex_prefilter_which (const DeskRegexPrefilter *prefilter,
                            const char               *text,
                            gsize                     length,
                            guint64                  *owners,
                            guint                     n_words)
{
  char small[2048];
  g_autofree char *large = NULL;
  const guint8 *bytes;
  gsize n;

  if (prefilter->n_added > n_words * 64 || prefilter->n_added > 256)
    return FALSE;
  memset (owners, 0, n_words * sizeof (guint64));
  memcpy (owners, prefilter->always_bits, MIN (n_words, 4u) * sizeof (guint64));
  if (length < 2 || !prefilter->sorted)
    return TRUE;

  if (length * 2 <= sizeof small)
    bytes = (const guint8 *) small;
  else
    bytes = (const guint8 *) (large = g_malloc (length * 2));
  n = fold_text (text, length, (char *) bytes);

  /* As desk_regex_prefilter_may_match(), reading on past the first
   * literal found. */
  for (gsize i = 0; i + 1 < n; i++)
    {
      guint16 key = (guint16) (bytes[i] << 8 | bytes[i + 1]);
      guint lo = 0;
      guint hi = prefilter->literals->len;

      if (!has_pair (prefilter->pairs, key))
        continue;
      if (!has_pair (prefilter->short_pairs, key) &&
          (i + 2 >= n || !has_pair (prefilter->triples, triple_of (bytes + i))))
        continue;

      while (lo < hi)
        {
          guint mid = (lo + hi) / 2;

          if (prefilter->keys[mid] < key)
            lo = mid + 1;
          else
            hi = mid;
        }
      for (; lo < prefilter->literals->len && prefilter->keys[lo] == key; lo++)
        {
          const char *literal = prefilter->literals->pdata[lo];
          gsize len = strlen (literal);
          guint owner = prefilter->owners[lo];

          if ((owners[owner / 64] & (G_GUINT64_CONSTANT (1) << (owner % 64))) == 0 &&
              len <= n - i && memcmp (literal, bytes + i, len) == 0)
            owners[owner / 64] |= G_GUINT64_CONSTANT (1) << (owner % 64);
        }
    }
  return TRUE;
}
