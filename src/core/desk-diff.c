/* desk-diff.c — word-level differences between an original and its edited copy
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The review window recomputes the difference on every keystroke, so the
 * work is done in two levels, as Meld does.  First the paragraphs (lines)
 * are compared as whole hashed strings: paragraphs the editor did not touch
 * cost one hash each and are never cut into words.  Then, inside each block
 * of changed paragraphs, the words are compared.
 *
 * Words are ICU's word boundaries, so Thai, Lao, Khmer and Myanmar text is
 * cut by ICU's dictionaries; Han and kana are cut further into single
 * characters, because a dictionary's idea of a Chinese or Japanese word is
 * not stable while someone types, and a one-character edit should not
 * light up a four-character compound.  Runs of white space and punctuation
 * are tokens too, and every token is interned to an integer, so the
 * comparison itself never looks at text.
 *
 * Both levels use Myers' O(ND) algorithm in linear space (the "middle
 * snake" divide and conquer), after stripping the common prefix and suffix.
 * Its cost is bounded: a pathological pair (two unrelated 10,000-word texts)
 * falls back to "all of this block was replaced" rather than stalling the
 * window.
 *
 * A shortest edit script is not what a person wants to read: it happily
 * keeps a space or a "the" between two changed words.  So the result is
 * cleaned up semantically: an equality that is only white space and
 * punctuation, or one word, and shorter than the changes on both sides of
 * it, is folded into the change around it.  Highlights always cover whole
 * tokens; a change never starts inside a word. */

#include "desk-diff.h"
#include "desk-diff-private.h"

#include <string.h>
#include <unicode/ubrk.h>
#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/utf16.h>

/* How much middle-snake searching one block of paragraphs may do
 * (diagonals visited), some 50 ms on two unrelated 6,000-word texts;
 * beyond it the rest of that block counts as replaced whole.  The budget
 * is per block, so one rewritten paragraph cannot blunt the highlights of
 * the others; a small block never comes near it. */
#define SEARCH_BUDGET (G_GINT64_CONSTANT (1) << 24)

enum {
  TOKEN_WORD  = 1 << 0,   /* holds a letter or a digit */
  TOKEN_BREAK = 1 << 1,   /* a paragraph break: \n, \r, \r\n or U+2029 */
};

/* ------------------------------------------------------------------ */
/* Interning: equal strings get equal small integers.                  */

typedef struct
{
  const void *key;
  guint       len;    /* bytes */
  guint       hash;
  guint       id;
  guint       generation;   /* the slot is empty unless it is the table's */
} InternSlot;

/* Emptied by a new generation rather than by clearing its slots: a table
 * is emptied for every block of changed paragraphs, and clearing one sized
 * for the block's bytes cost 5% of a diff of 100,000 words. */
typedef struct
{
  InternSlot *slots;
  guint       mask;
  guint       n_ids;
  guint       generation;
} InternTable;

static void
intern_table_reset (InternTable *table,
                    guint        expected)
{
  guint size = 64;

  while (size < expected * 2 && size < (1u << 30))
    size <<= 1;
  if (table->slots == NULL || size > table->mask + 1)
    {
      g_free (table->slots);
      table->slots = g_new0 (InternSlot, size);
      table->mask = size - 1;
      table->generation = 0;
    }
  if (++table->generation == 0)
    {
      memset (table->slots, 0, (table->mask + 1) * sizeof (InternSlot));
      table->generation = 1;
    }
  table->n_ids = 0;
}

static void
intern_table_grow (InternTable *table)
{
  guint old_size = table->mask + 1;
  guint new_size = old_size * 2;
  InternSlot *slots = g_new0 (InternSlot, new_size);

  for (guint i = 0; i < old_size; i++)
    {
      const InternSlot *slot = &table->slots[i];
      guint j;

      if (slot->generation != table->generation)
        continue;
      for (j = slot->hash & (new_size - 1); slots[j].generation == table->generation; j = (j + 1) & (new_size - 1))
        ;
      slots[j] = *slot;
    }
  g_free (table->slots);
  table->slots = slots;
  table->mask = new_size - 1;
}

static guint
intern (InternTable *table,
        const void  *key,
        guint        len,
        guint        hash)
{
  guint i;

  if ((table->n_ids + 1) * 2 > table->mask + 1)
    intern_table_grow (table);

  for (i = hash & table->mask; ; i = (i + 1) & table->mask)
    {
      InternSlot *slot = &table->slots[i];

      if (slot->generation != table->generation)
        {
          slot->key = key;
          slot->len = len;
          slot->hash = hash;
          slot->id = table->n_ids++;
          slot->generation = table->generation;
          return slot->id;
        }
      if (slot->hash == hash && slot->len == len && memcmp (slot->key, key, len) == 0)
        return slot->id;
    }
}

static inline guint
hash_finish (guint64 h)
{
  h ^= h >> 33;
  h *= G_GUINT64_CONSTANT (0xff51afd7ed558ccd);
  h ^= h >> 33;
  return (guint) h;
}

/* Eight bytes a step: paragraphs are hashed whole, and that has to cost
 * less than looking at them. */
static guint
hash_bytes (const char *bytes,
            gsize       len)
{
  guint64 h = G_GUINT64_CONSTANT (0xcbf29ce484222325) ^ len;
  gsize i = 0;

  for (; i + 8 <= len; i += 8)
    {
      guint64 w;

      memcpy (&w, bytes + i, 8);
      h = (h ^ w) * G_GUINT64_CONSTANT (0x100000001b3);
      h ^= h >> 29;
    }
  for (; i < len; i++)
    h = (h ^ (guchar) bytes[i]) * G_GUINT64_CONSTANT (0x100000001b3);
  return hash_finish (h);
}

/* ------------------------------------------------------------------ */
/* Myers' difference algorithm on two sequences of integers.           */

typedef struct
{
  const guint *a;
  const guint *b;
  guint8      *a_changed;
  guint8      *b_changed;
  gint        *forward;     /* furthest x on each diagonal */
  gint        *backward;
  gsize        v_capacity;
  gint64       budget;
} Myers;

static void
myers_mark (guint8 *changed,
            gint    from,
            gint    to)
{
  if (to > from)
    memset (changed + from, 1, to - from);
}

/* Finds a point on a shortest edit path from a[a0..a1) to b[b0..b1) that
 * splits it into two halves of about equal cost (Myers 1986, 4b): paths
 * are grown from both corners at once until they overlap.  Both ranges are
 * non-empty and their first and last elements differ.  Returns FALSE when
 * the search budget ran out or no split point strictly inside was found. */
static gboolean
myers_split (Myers *m,
             gint   a0,
             gint   a1,
             gint   b0,
             gint   b1,
             gint  *split_a,
             gint  *split_b)
{
  const guint *a = m->a + a0;
  const guint *b = m->b + b0;
  /* Indices as wide as a pointer: no sign extension on every load. */
  const gssize n = a1 - a0;
  const gssize mm = b1 - b0;
  const gssize delta = n - mm;
  const gboolean odd = (delta & 1) != 0;
  const gssize max_d = (n + mm + 1) / 2;
  const gssize offset = max_d + 1;
  const gssize length = 2 * max_d + 3;
  gint *vf = m->forward;
  gint *vb = m->backward;
  const guint *ra = a + n - 1;
  const guint *rb = b + mm - 1;
  /* Diagonals that left the grid are not searched again. */
  gssize f_start = 0, f_end = 0, b_start = 0, b_end = 0;

  for (gssize i = 0; i < length; i++)
    vf[i] = vb[i] = -1;

  /* The loops below are the classic ones, written so that a diagonal
   * costs few instructions: most snakes end at once, and the search on a
   * block of rewritten paragraphs visits millions of diagonals.  On a
   * diagonal k, y is x - k, so "x < n && y < mm" is x < MIN (n, mm + k);
   * the diagonals just outside the ones a step visits hold -1, which
   * makes the first and the last take the only move they have (and the
   * path start at x = 0 when d is 0). */
  for (gssize d = 0; d <= max_d; d++)
    {
      m->budget -= 2 * (d + 1);
      if (m->budget < 0)
        return FALSE;

      vf[offset - d - 1] = vf[offset + d + 1] = -1;
      vb[offset - d - 1] = vb[offset + d + 1] = -1;
      for (gssize k = -d + f_start; k <= d - f_end; k += 2)
        {
          const gint *v = vf + offset + k;
          const guint *bk = b - k;
          const gssize limit = MIN (n, mm + k);
          gssize x = v[-1] < v[1] ? v[1] : v[-1] + 1;

          while (x < limit && a[x] == bk[x])
            x++;
          vf[offset + k] = (gint) x;

          if (x > n)
            f_end += 2;
          else if (x - k > mm)
            f_start += 2;
          else if (odd)
            {
              gssize kb = offset + delta - k;

              if (kb >= 0 && kb < length && vb[kb] != -1 && vb[kb] <= n
                  && x >= n - vb[kb])
                {
                  gssize y = x - k;

                  if ((x == 0 && y == 0) || (x == n && y == mm))
                    return FALSE;
                  *split_a = a0 + (gint) x;
                  *split_b = b0 + (gint) y;
                  return TRUE;
                }
            }
        }

      /* The same from the far corner, walking the sequences backwards:
       * ra[-x] is a[n - x - 1], and rb[k - x] is b[mm - y - 1]. */
      for (gssize k = -d + b_start; k <= d - b_end; k += 2)
        {
          const gint *v = vb + offset + k;
          const guint *rbk = rb + k;
          const gssize limit = MIN (n, mm + k);
          gssize x = v[-1] < v[1] ? v[1] : v[-1] + 1;

          while (x < limit && ra[-x] == rbk[-x])
            x++;
          vb[offset + k] = (gint) x;

          if (x > n)
            b_end += 2;
          else if (x - k > mm)
            b_start += 2;
          else if (!odd)
            {
              gssize kf = offset + delta - k;

              if (kf >= 0 && kf < length && vf[kf] != -1 && vf[kf] <= n
                  && vf[kf] >= n - x)
                {
                  gssize sx = n - x, sy = mm - (x - k);

                  if ((sx == 0 && sy == 0) || (sx == n && sy == mm))
                    return FALSE;
                  *split_a = a0 + (gint) sx;
                  *split_b = b0 + (gint) sy;
                  return TRUE;
                }
            }
        }
    }

  return FALSE;
}

static void
myers_compare (Myers *m,
               gint   a0,
               gint   a1,
               gint   b0,
               gint   b1)
{
  gint split_a, split_b;

  while (a0 < a1 && b0 < b1 && m->a[a0] == m->b[b0])
    a0++, b0++;
  while (a0 < a1 && b0 < b1 && m->a[a1 - 1] == m->b[b1 - 1])
    a1--, b1--;

  if (a0 == a1 || b0 == b1 || !myers_split (m, a0, a1, b0, b1, &split_a, &split_b))
    {
      myers_mark (m->a_changed, a0, a1);
      myers_mark (m->b_changed, b0, b1);
      return;
    }

  myers_compare (m, a0, split_a, b0, split_b);
  myers_compare (m, split_a, a1, split_b, b1);
}

/* Marks in @a_changed and @b_changed (zeroed by the caller) the elements
 * that are not part of a longest common subsequence of @a and @b. */
static void
myers_diff (Myers       *m,
            const guint *a,
            guint        n,
            const guint *b,
            guint        mm,
            guint8      *a_changed,
            guint8      *b_changed)
{
  gsize need = (gsize) n + mm + 4;

  if (need > m->v_capacity)
    {
      g_free (m->forward);
      g_free (m->backward);
      m->forward = g_new (gint, need);
      m->backward = g_new (gint, need);
      m->v_capacity = need;
    }
  m->a = a;
  m->b = b;
  m->budget = SEARCH_BUDGET;
  m->a_changed = a_changed;
  m->b_changed = b_changed;
  myers_compare (m, 0, n, 0, mm);
}

/* myers_diff() for paragraphs.  A paragraph found in only one of the
 * texts is changed whatever else happens, so it is marked at once and
 * left out of the search, as xdiff (git's diff) does: edits scattered
 * through a long text make most paragraphs unique, and the search then
 * runs over the few left in common instead of costing their number times
 * the number of changes.  @a and @b are ids below @n_ids. */
static void
myers_diff_discarding (Myers       *m,
                       const guint *a,
                       guint        n,
                       const guint *b,
                       guint        mm,
                       guint        n_ids,
                       guint8      *a_changed,
                       guint8      *b_changed)
{
  g_autofree guint8 *seen = g_new0 (guint8, n_ids);   /* 1: in a, 2: in b */
  g_autofree guint *kept_a = g_new (guint, n + 1);
  g_autofree guint *kept_b = g_new (guint, mm + 1);
  g_autofree guint *at_a = g_new (guint, n + 1);
  g_autofree guint *at_b = g_new (guint, mm + 1);
  g_autofree guint8 *changed_a = NULL;
  g_autofree guint8 *changed_b = NULL;
  guint na = 0, nb = 0;

  for (guint i = 0; i < n; i++)
    seen[a[i]] |= 1;
  for (guint j = 0; j < mm; j++)
    seen[b[j]] |= 2;

  for (guint i = 0; i < n; i++)
    if (seen[a[i]] == 3)
      {
        kept_a[na] = a[i];
        at_a[na++] = i;
      }
    else
      a_changed[i] = 1;
  for (guint j = 0; j < mm; j++)
    if (seen[b[j]] == 3)
      {
        kept_b[nb] = b[j];
        at_b[nb++] = j;
      }
    else
      b_changed[j] = 1;

  if (na == n && nb == mm)
    {
      myers_diff (m, a, n, b, mm, a_changed, b_changed);
      return;
    }

  changed_a = g_new0 (guint8, na + 1);
  changed_b = g_new0 (guint8, nb + 1);
  myers_diff (m, kept_a, na, kept_b, nb, changed_a, changed_b);
  for (guint k = 0; k < na; k++)
    a_changed[at_a[k]] = changed_a[k];
  for (guint k = 0; k < nb; k++)
    b_changed[at_b[k]] = changed_b[k];
}

/* ------------------------------------------------------------------ */
/* Texts, paragraphs and tokens.                                      */

typedef struct
{
  const char *str;
  gsize       len;
  char       *owned;   /* the repaired copy of invalid UTF-8 */
} Text;

/* Well-formed UTF-8 as the Unicode Standard's table 3-7 has it, which is
 * what g_utf8_validate() accepts too (no surrogates, nothing above
 * U+10FFFF, no overlong forms; no NUL in @len).  GLib's walk was 6% of a
 * diff of Thai, whose every character is three bytes. */
static gboolean
utf8_validate_run (const guchar *p,
                   gsize         len)
{
  const guchar *end = p + len;

  while (p < end)
    {
      guchar c = *p;

      /* Runs of three-byte characters (Thai, Han, kana) two at a look,
       * eight bytes loaded: each a lead byte 1110 and four bits, then two bytes
       * of 10 and six bits, a lead E0 followed by A0 or more (not overlong), a lead
       * ED by 9F or less (not a surrogate). */
      while (end - p >= 8)
        {
          guint64 w, x;

          memcpy (&w, p, 8);
          if ((w & G_GUINT64_CONSTANT (0xC0C0F0C0C0F0)) != G_GUINT64_CONSTANT (0x8080E08080E0))
            break;
          /* The second byte's bit 0x20 is set from A0: each lead is
           * xored with E0 where it is clear and with ED where it is set,
           * and a zero is a lead that may not take that second byte. */
          x = (w & 0xFF0000FF) ^ 0xE00000E0 ^ (((w >> 13) & 0x01000001) * 0x0D);
          if ((x & 0xFF) == 0 || (x & 0xFF000000) == 0)
            return FALSE;
          p += 6;
        }
      /* And one at a look: four bytes loaded. */
      while (end - p >= 4)
        {
          guint32 w = (guint32) p[0] | (guint32) p[1] << 8 | (guint32) p[2] << 16;

          if ((w & 0xC0C0F0) != 0x8080E0)
            break;
          if ((p[0] == 0xE0 && p[1] < 0xA0) || (p[0] == 0xED && p[1] > 0x9F))
            return FALSE;
          p += 3;
        }
      if (p >= end)
        break;
      c = *p;
      if (c < 0x80)
        {
          if (c == 0)
            return FALSE;
          p++;
        }
      else if (c < 0xC2)
        return FALSE;
      else if (c < 0xE0)
        {
          if (end - p < 2 || (p[1] & 0xC0) != 0x80)
            return FALSE;
          p += 2;
        }
      else if (c < 0xF0)
        {
          if (end - p < 3 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80
              || (c == 0xE0 && p[1] < 0xA0) || (c == 0xED && p[1] > 0x9F))
            return FALSE;
          p += 3;
        }
      else if (c < 0xF5)
        {
          if (end - p < 4 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80
              || (p[3] & 0xC0) != 0x80
              || (c == 0xF0 && p[1] < 0x90) || (c == 0xF4 && p[1] > 0x8F))
            return FALSE;
          p += 4;
        }
      else
        return FALSE;
    }
  return TRUE;
}

/* UTF-8 validated where it is not plain ASCII: runs of ASCII are passed
 * over eight bytes a step.  GLib's walk costs nine instructions a byte,
 * 5% of a diff of 100,000 Indonesian words. */
static gboolean
utf8_validate (const char *str,
               gsize       len)
{
  const guint64 high = G_GUINT64_CONSTANT (0x8080808080808080);
  gsize i = 0;

  while (i < len)
    {
      gsize j;
      guint64 w;

      for (; i + 8 <= len; i += 8)
        {
          memcpy (&w, str + i, 8);
          if ((w & high) != 0)
            break;
        }
      if (i + 8 > len)
        return utf8_validate_run ((const guchar *) str + i, len - i);
      /* Up to the next eight bytes of ASCII, which start a character. */
      for (j = i + 8; j + 8 <= len; j += 8)
        {
          memcpy (&w, str + j, 8);
          if ((w & high) == 0)
            break;
        }
      if (j + 8 > len)
        j = len;
      if (!utf8_validate_run ((const guchar *) str + i, j - i))
        return FALSE;
      i = j;
    }
  return TRUE;
}

static void
text_init (Text       *text,
           const char *str)
{
  if (str == NULL)
    str = "";
  text->owned = NULL;
  text->len = strlen (str);
  if (!utf8_validate (str, text->len))
    {
      text->owned = g_utf8_make_valid (str, text->len);
      str = text->owned;
      text->len = strlen (str);
    }
  text->str = str;
}

static void
text_clear (Text *text)
{
  g_clear_pointer (&text->owned, g_free);
}

static gboolean
bytes_have_break (const char *bytes,
                  gsize       len)
{
  for (gsize i = 0; i < len; i++)
    {
      if (bytes[i] == '\n' || bytes[i] == '\r')
        return TRUE;
      if ((guchar) bytes[i] == 0xE2 && i + 2 < len
          && (guchar) bytes[i + 1] == 0x80 && (guchar) bytes[i + 2] == 0xA9)
        return TRUE;
    }
  return FALSE;
}

/* Characters in valid UTF-8: bytes that do not continue a sequence
 * (10 in the top two bits), eight at a step. */
static guint
count_chars (const char *bytes,
             gsize       len)
{
  gsize i = 0;
  guint continuations = 0;

  for (; i + 8 <= len; i += 8)
    {
      guint64 w;

      memcpy (&w, bytes + i, 8);
      /* One bit a continuation byte, at the bottom of each byte, summed
       * into the top byte. */
      w = (w & ~(w << 1) & G_GUINT64_CONSTANT (0x8080808080808080)) >> 7;
      continuations += (guint) ((w * G_GUINT64_CONSTANT (0x0101010101010101)) >> 56);
    }
  for (; i < len; i++)
    continuations += ((guchar) bytes[i] & 0xC0) == 0x80;
  return (guint) (len - continuations);
}

typedef struct
{
  guint byte_start, byte_end;
  guint char_start, char_end;
  guint has_break : 1;
} Line;

/* Cuts @text into lines (each with its \n) and interns them. */
static void
split_lines (const Text  *text,
             GArray      *lines,
             GArray      *ids,
             InternTable *table)
{
  const char *s = text->str;
  guint byte = 0, chars = 0;

  g_array_set_size (lines, 0);
  g_array_set_size (ids, 0);
  while (byte < text->len)
    {
      const char *nl = memchr (s + byte, '\n', text->len - byte);
      guint end = nl != NULL ? (guint) (nl - s) + 1 : (guint) text->len;
      Line line = { byte, end, chars, chars, FALSE };
      guint id;

      line.char_end += count_chars (s + byte, end - byte);
      line.has_break = nl != NULL || bytes_have_break (s + byte, end - byte);
      id = intern (table, s + byte, end - byte, hash_bytes (s + byte, end - byte));
      g_array_append_val (lines, line);
      g_array_append_val (ids, id);
      byte = end;
      chars = line.char_end;
    }
}

typedef struct
{
  GArray *units;       /* gunichar2: a piece of text in UTF-16, as ICU reads it */
  GArray *unit_chars;  /* guint: character offset of each unit in the piece, and of the end */
  GArray *unit_bytes;  /* guint: byte offset of each unit in the piece, and of the end */
  GArray *ids;         /* guint */
  GArray *bounds;      /* guint: absolute character offset of each token, and of the end */
  GArray *flags;       /* guint8 */
  guint   n;           /* tokens so far, while tokenizing */
} Tokens;

static void
tokens_init (Tokens *t)
{
  t->units = g_array_new (FALSE, FALSE, sizeof (gunichar2));
  t->unit_chars = g_array_new (FALSE, FALSE, sizeof (guint));
  t->unit_bytes = g_array_new (FALSE, FALSE, sizeof (guint));
  t->ids = g_array_new (FALSE, FALSE, sizeof (guint));
  t->bounds = g_array_new (FALSE, FALSE, sizeof (guint));
  t->flags = g_array_new (FALSE, FALSE, sizeof (guint8));
  t->n = 0;
}

static void
tokens_clear (Tokens *t)
{
  g_clear_pointer (&t->units, g_array_unref);
  g_clear_pointer (&t->unit_chars, g_array_unref);
  g_clear_pointer (&t->unit_bytes, g_array_unref);
  g_clear_pointer (&t->ids, g_array_unref);
  g_clear_pointer (&t->bounds, g_array_unref);
  g_clear_pointer (&t->flags, g_array_unref);
}

/* UTF-8 (valid) to UTF-16, keeping where each unit's character starts, in
 * characters and in bytes: a surrogate pair is two units but one
 * character. */
static void
decode_utf16 (const char *bytes,
              gsize       len,
              Tokens     *t)
{
  const guchar *start = (const guchar *) bytes;
  const guchar *p = start;
  const guchar *end = p + len;
  gunichar2 *u;
  guint *map, *at;
  guint n = 0, chars = 0;

  g_array_set_size (t->units, len + 1);
  g_array_set_size (t->unit_chars, len + 1);
  g_array_set_size (t->unit_bytes, len + 1);
  u = (gunichar2 *) (void *) t->units->data;
  map = (guint *) (void *) t->unit_chars->data;
  at = (guint *) (void *) t->unit_bytes->data;

  while (p < end)
    {
      gunichar c;

      at[n] = (guint) (p - start);
      if (*p < 0x80)
        {
          u[n] = *p++;
          map[n++] = chars++;
          continue;
        }
      /* Valid UTF-8, decoded here: GLib's call was 5% of a diff of Thai. */
      if (*p < 0xE0)
        {
          c = ((gunichar) (p[0] & 0x1F) << 6) | (p[1] & 0x3F);
          p += 2;
        }
      else if (*p < 0xF0)
        {
          c = ((gunichar) (p[0] & 0x0F) << 12) | ((gunichar) (p[1] & 0x3F) << 6) | (p[2] & 0x3F);
          p += 3;
        }
      else
        {
          c = ((gunichar) (p[0] & 0x07) << 18) | ((gunichar) (p[1] & 0x3F) << 12)
              | ((gunichar) (p[2] & 0x3F) << 6) | (p[3] & 0x3F);
          p += 4;
        }
      if (c >= 0x10000)
        {
          u[n] = (gunichar2) (0xD800 + ((c - 0x10000) >> 10));
          map[n++] = chars;
          at[n] = at[n - 1];
          u[n] = (gunichar2) (0xDC00 + ((c - 0x10000) & 0x3FF));
          map[n++] = chars++;
        }
      else
        {
          u[n] = (gunichar2) c;
          map[n++] = chars++;
        }
    }
  map[n] = chars;
  at[n] = (guint) len;
  g_array_set_size (t->units, n);
  g_array_set_size (t->unit_chars, n + 1);
  g_array_set_size (t->unit_bytes, n + 1);
}

static inline gboolean
is_ascii_alnum (UChar32 c)
{
  return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
}

static inline gboolean
is_mark (UChar32 c)
{
  return (U_GET_GC_MASK (c) & U_GC_M_MASK) != 0;
}

/* Han, hiragana and katakana letters: one token, one word each.  The
 * prolonged sound mark ー and the iteration marks belong to both kana
 * scripts only through Script_Extensions; the ideographic comma and full
 * stop do too, but they are punctuation, not letters. */
static gboolean
is_cjk_letter (UChar32 c)
{
  UErrorCode error = U_ZERO_ERROR;
  UScriptCode script;

  if (c < 0x2E80)
    return FALSE;
  if (!u_isalpha (c) && u_charType (c) != U_LETTER_NUMBER)
    return FALSE;
  script = uscript_getScript (c, &error);
  if (script == USCRIPT_HAN || script == USCRIPT_HIRAGANA || script == USCRIPT_KATAKANA)
    return TRUE;
  if (script == USCRIPT_COMMON || script == USCRIPT_INHERITED)
    return uscript_hasScript (c, USCRIPT_HIRAGANA)
           || uscript_hasScript (c, USCRIPT_KATAKANA)
           || uscript_hasScript (c, USCRIPT_HAN);
  return FALSE;
}

static guint8
unit_flags (const gunichar2 *u,
            gint             start,
            gint             end)
{
  guint8 flags = 0;
  gint i = start;

  if (u[start] == '\n' || u[start] == '\r' || u[start] == 0x2029)
    flags |= TOKEN_BREAK;
  /* A Thai consonant, as most of ICU's Thai words start. */
  if (u[start] >= 0x0E01 && u[start] <= 0x0E2E)
    return flags | TOKEN_WORD;
  while (i < end)
    {
      UChar32 c;

      U16_NEXT (u, i, end, c);
      if (c < 0x80 ? is_ascii_alnum (c) : (u_isalnum (c) || is_cjk_letter (c)))
        {
          flags |= TOKEN_WORD;
          break;
        }
    }
  return flags;
}

/* Tokens are interned by their UTF-8 bytes, whichever way they were cut.
 * The arrays were sized for the text beforehand (a token is at least one
 * byte). */
static inline void
push_token (Tokens      *t,
            InternTable *table,
            const char  *bytes,
            guint        len,
            guint        char_start,
            guint8       flags)
{
  guint n = t->n++;

  ((guint *) (void *) t->ids->data)[n] = table != NULL ? intern (table, bytes, len, hash_bytes (bytes, len)) : 0;
  ((guint *) (void *) t->bounds->data)[n] = char_start;
  ((guint8 *) t->flags->data)[n] = flags;
}

/* A token of units [start, end) of the piece decoded last. */
static void
add_token (Tokens      *t,
           InternTable *table,
           const char  *piece,
           guint        char_base,
           gint         start,
           gint         end,
           guint8       flags)
{
  const guint *at = (const guint *) (const void *) t->unit_bytes->data;

  push_token (t, table, piece + at[start], at[end] - at[start],
              char_base + g_array_index (t->unit_chars, guint, start), flags);
}

/* One ICU word segment holding Han or kana: a token for each such letter
 * (with any combining marks after it), and one for each run of anything
 * else in between. */
static void
add_cjk_tokens (Tokens      *t,
                InternTable *table,
                const char  *piece,
                guint        char_base,
                gint         start,
                gint         end)
{
  const gunichar2 *u = (const gunichar2 *) (const void *) t->units->data;
  gint token = start;
  gboolean token_is_cjk = FALSE;
  gint i = start;

  while (i < end)
    {
      gint here = i;
      UChar32 c;
      gboolean cjk;

      U16_NEXT (u, i, end, c);
      if (here > token && is_mark (c))
        continue;
      cjk = is_cjk_letter (c);
      if (here > token && (cjk || token_is_cjk))
        {
          add_token (t, table, piece, char_base, token, here,
                     token_is_cjk ? TOKEN_WORD : unit_flags (u, token, here));
          token = here;
        }
      token_is_cjk = cjk;
    }
  if (end > token)
    add_token (t, table, piece, char_base, token, end,
               token_is_cjk ? TOKEN_WORD : unit_flags (u, token, end));
}

/* The word break iterator is costly to open (its rules are loaded and
 * compiled once per process) and cheap to clone. */
static UBreakIterator *
word_breaker_new (void)
{
  static gsize template = 0;
  UErrorCode error = U_ZERO_ERROR;
  UBreakIterator *bi;

  if (g_once_init_enter (&template))
    {
      UBreakIterator *opened = ubrk_open (UBRK_WORD, "", NULL, 0, &error);

      if (U_FAILURE (error))
        {
          g_critical ("Cannot open ICU's word break iterator: %s", u_errorName (error));
          opened = NULL;
        }
      g_once_init_leave (&template, opened != NULL ? (gsize) opened : 1);
    }
  if (template == 1)
    return NULL;

  error = U_ZERO_ERROR;
  bi = ubrk_clone ((const UBreakIterator *) template, &error);
  if (U_FAILURE (error))
    return NULL;
  return bi;
}

/* Cuts @piece (valid UTF-8) by ICU's word boundaries, Han and kana further
 * into letters; returns the character offset of its end. */
static guint
tokenize_icu (UBreakIterator *bi,
              const char     *piece,
              gsize           len,
              guint           char_base,
              Tokens         *t,
              InternTable    *table)
{
  const gunichar2 *u;
  gint n_units;

  decode_utf16 (piece, len, t);
  u = (const gunichar2 *) (const void *) t->units->data;
  n_units = t->units->len;

  if (bi != NULL && n_units > 0)
    {
      UErrorCode error = U_ZERO_ERROR;
      gint start, end;

      ubrk_setText (bi, u, n_units, &error);
      if (U_FAILURE (error))
        bi = NULL;
      else
        for (start = ubrk_first (bi), end = ubrk_next (bi);
             end != UBRK_DONE;
             start = end, end = ubrk_next (bi))
          {
            gboolean cjk = FALSE;

            /* ICU's dictionary words for Han and kana (and any other
             * segment holding such a letter) are cut further. */
            for (gint i = start; i < end && !cjk; )
              {
                UChar32 c;

                U16_NEXT (u, i, end, c);
                cjk = c >= 0x2E80 && is_cjk_letter (c);
              }
            if (cjk)
              add_cjk_tokens (t, table, piece, char_base, start, end);
            else
              add_token (t, table, piece, char_base, start, end, unit_flags (u, start, end));
          }
    }
  if (bi == NULL)
    {
      /* Without ICU data, a token per character: crude, but whole. */
      for (gint i = 0; i < n_units; )
        {
          gint here = i;
          UChar32 c;

          U16_NEXT (u, i, n_units, c);
          (void) c;
          add_token (t, table, piece, char_base, here, i, unit_flags (u, here, i));
        }
    }
  return char_base + g_array_index (t->unit_chars, guint, n_units);
}

/* Plain text cut without ICU.  Most of a desk's copy is Latin letters,
 * digits, spaces and punctuation, or Han and kana, which are cut into
 * letters anyway; asking ICU costs a third of a diff of Indonesian, and
 * ICU's Chinese dictionary, whose words are then cut into letters, more
 * than half of a diff of Chinese.  Inside ASCII, the boundaries are the
 * rules of UAX #29 that ICU follows, for the word break classes below;
 * a test compares both ways on every short string of them and on mixed
 * texts. */
enum {
  PLAIN_OTHER,
  PLAIN_LETTER,       /* ALetter, and @ in ICU's rules */
  PLAIN_DIGIT,        /* Numeric */
  PLAIN_CONNECTOR,    /* ExtendNumLet: _ */
  PLAIN_SPACE,        /* WSegSpace */
  PLAIN_LF,
  PLAIN_CR,
  PLAIN_MID_NUM,      /* MidNum: , ; */
  PLAIN_MID_NUM_LET,  /* MidNumLet and Single_Quote: . ' (ICU takes the
                       * colon out of MidLetter, which leaves none in ASCII) */
  PLAIN_NEWLINE,      /* vertical tab and form feed: left to ICU */
};

/* PLAIN_OTHER is 0. */
static const guint8 plain_class[128] = {
  ['a' ... 'z'] = PLAIN_LETTER,
  ['A' ... 'Z'] = PLAIN_LETTER,
  ['@'] = PLAIN_LETTER,
  ['0' ... '9'] = PLAIN_DIGIT,
  ['_'] = PLAIN_CONNECTOR,
  [' '] = PLAIN_SPACE,
  ['\n'] = PLAIN_LF,
  ['\r'] = PLAIN_CR,
  [','] = PLAIN_MID_NUM,
  [';'] = PLAIN_MID_NUM,
  ['.'] = PLAIN_MID_NUM_LET,
  ['\''] = PLAIN_MID_NUM_LET,
  ['\v'] = PLAIN_NEWLINE,
  ['\f'] = PLAIN_NEWLINE,
};

static inline gboolean
plain_is_word_part (guint cls)
{
  return cls == PLAIN_LETTER || cls == PLAIN_DIGIT || cls == PLAIN_CONNECTOR;
}

/* Cuts @piece into tokens when it holds only ASCII, Han and kana letters;
 * returns FALSE, having added nothing, when it holds anything else. */
static gboolean
tokenize_plain (const char  *piece,
                gsize        len,
                guint       *chars,
                Tokens      *t,
                InternTable *table)
{
  const guchar *p = (const guchar *) piece;
  const guint n0 = t->n;
  guint at_char = *chars;
  gsize i = 0;

  while (i < len)
    {
      const gsize start = i;
      guint8 flags = 0;
      guint cls;

      if (p[i] >= 0x80)
        {
          const char *next = g_utf8_next_char (piece + i);
          gunichar c = g_utf8_get_char (piece + i);

          /* A letter of the CJK Unified Ideographs, or another Han or
           * kana letter; a combining mark after it is not plain. */
          if (!((c >= 0x4E00 && c <= 0x9FFF) || is_cjk_letter (c)))
            {
              t->n = n0;
              return FALSE;
            }
          i = next - piece;
          push_token (t, table, piece + start, i - start, at_char++, TOKEN_WORD);
          continue;
        }

      cls = plain_class[p[i]];
      if (plain_is_word_part (cls))
        {
          /* Letters, digits and connectors hold together (WB5, WB8–10,
           * WB13a–b); a middle letter between letters, or a middle
           * number between digits, joins them (WB6–7, WB11–12). */
          guint prev = cls;

          if (is_ascii_alnum (p[i]))
            flags = TOKEN_WORD;
          for (i++; i < len && p[i] < 0x80; )
            {
              guint next = plain_class[p[i]];

              if (plain_is_word_part (next))
                {
                  if (is_ascii_alnum (p[i]))
                    flags = TOKEN_WORD;
                  prev = next;
                  i++;
                  continue;
                }
              if (i + 1 < len && p[i + 1] < 0x80)
                {
                  guint after = plain_class[p[i + 1]];

                  if ((prev == PLAIN_LETTER && after == PLAIN_LETTER
                       && next == PLAIN_MID_NUM_LET)
                      || (prev == PLAIN_DIGIT && after == PLAIN_DIGIT
                          && (next == PLAIN_MID_NUM || next == PLAIN_MID_NUM_LET)))
                    {
                      if (is_ascii_alnum (p[i + 1]))
                        flags = TOKEN_WORD;
                      i += 2;
                      continue;
                    }
                }
              break;
            }
        }
      else if (cls == PLAIN_SPACE)
        {
          /* WB3d */
          while (i < len && p[i] == ' ')
            i++;
        }
      else if (cls == PLAIN_CR)
        {
          /* WB3 */
          i++;
          if (i < len && p[i] == '\n')
            i++;
          flags = TOKEN_BREAK;
        }
      else if (cls == PLAIN_LF)
        {
          i++;
          flags = TOKEN_BREAK;
        }
      else if (cls == PLAIN_NEWLINE)
        {
          t->n = n0;
          return FALSE;
        }
      else
        i++;
      push_token (t, table, piece + start, i - start, at_char, flags);
      at_char += i - start;
    }
  *chars = at_char;
  return TRUE;
}

/* Sizes @t's arrays for a cut of @len bytes (a token is at least one
 * byte) and empties it. */
static inline void
tokens_start (Tokens *t,
              gsize   len)
{
  g_array_set_size (t->ids, len + 1);
  g_array_set_size (t->bounds, len + 1);
  g_array_set_size (t->flags, len + 1);
  t->n = 0;
}

/* Ends @t's cut at the absolute character offset @end. */
static inline void
tokens_finish (Tokens *t,
               guint   end)
{
  ((guint *) (void *) t->bounds->data)[t->n] = end;
  g_array_set_size (t->ids, t->n);
  g_array_set_size (t->bounds, t->n + 1);
  g_array_set_size (t->flags, t->n);
}

/* Cuts @bytes (valid UTF-8) into tokens whose offsets start at @char_base;
 * interns them in @table when it is not NULL.  Each line is cut on its own
 * (a line break always ends a word); a plain line without ICU, any other
 * line by ICU.  With @reference, the whole text is cut by ICU, as the
 * tests compare. */
static void
tokenize (UBreakIterator *bi,
          const char     *bytes,
          gsize           len,
          guint           char_base,
          Tokens         *t,
          InternTable    *table,
          gboolean        reference)
{
  guint chars = char_base;

  tokens_start (t, len);
  if (reference || bi == NULL)
    chars = tokenize_icu (bi, bytes, len, char_base, t, table);
  else
    for (gsize at = 0; at < len; )
      {
        const char *nl = memchr (bytes + at, '\n', len - at);
        gsize end = nl != NULL ? (gsize) (nl - bytes) + 1 : len;

        if (!tokenize_plain (bytes + at, end - at, &chars, t, table))
          chars = tokenize_icu (bi, bytes + at, end - at, chars, t, table);
        at = end;
      }

  tokens_finish (t, chars);
}

/* ------------------------------------------------------------------ */
/* Building the spans.                                                 */

typedef struct
{
  guint    o0, o1;    /* token indices in the old block */
  guint    n0, n1;    /* and in the new one */
  gboolean equal;
} Run;

typedef struct
{
  Text            old_text, new_text;
  GArray         *spans;
  UBreakIterator *breaker;
  InternTable     table;
  Myers           myers;
  Tokens          old_tokens, new_tokens;
  GArray         *old_changed, *new_changed;   /* guint8 */
  GArray         *runs, *folded;              /* Run */
  gboolean        reference;                   /* every block cut by ICU whole */
} Differ;

static void
emit (Differ     *self,
      DeskDiffOp  op,
      guint       old_start,
      guint       old_end,
      guint       new_start,
      guint       new_end,
      gboolean    has_break)
{
  DeskDiffSpan span = { op, old_start, old_end, new_start, new_end, FALSE };

  if (old_start == old_end && new_start == new_end)
    return;
  if (self->spans->len > 0)
    {
      DeskDiffSpan *last = &g_array_index (self->spans, DeskDiffSpan, self->spans->len - 1);

      if (last->op == op)
        {
          last->old_end = old_end;
          last->new_end = new_end;
          if (op == DESK_DIFF_EQUAL)
            last->inside_paragraph = last->inside_paragraph && !has_break;
          return;
        }
    }
  span.inside_paragraph = op == DESK_DIFF_EQUAL && !has_break;
  g_array_append_val (self->spans, span);
}

#define TOKEN_BOUND(tokens, i) g_array_index ((tokens)->bounds, guint, (i))

static guint
run_old_chars (Differ    *self,
               const Run *run)
{
  return TOKEN_BOUND (&self->old_tokens, run->o1) - TOKEN_BOUND (&self->old_tokens, run->o0);
}

static guint
run_new_chars (Differ    *self,
               const Run *run)
{
  return TOKEN_BOUND (&self->new_tokens, run->n1) - TOKEN_BOUND (&self->new_tokens, run->n0);
}

static guint
run_change_size (Differ    *self,
                 const Run *run)
{
  return MAX (run_old_chars (self, run), run_new_chars (self, run));
}

/* An equality worth folding into the changes around it: no paragraph
 * break, at most one word, and shorter than the change on each side. */
static gboolean
is_foldable (Differ    *self,
             const Run *left,
             const Run *equal,
             const Run *right)
{
  const guint8 *flags = (const guint8 *) self->old_tokens.flags->data;
  guint size = run_old_chars (self, equal);
  guint words = 0;

  if (size >= run_change_size (self, left) || size >= run_change_size (self, right))
    return FALSE;
  for (guint i = equal->o0; i < equal->o1; i++)
    {
      if ((flags[i] & TOKEN_BREAK) != 0)
        return FALSE;
      if ((flags[i] & TOKEN_WORD) != 0 && ++words > 1)
        return FALSE;
    }
  return TRUE;
}

/* Where a lone insertion or deletion could stand in several places ("the
 * ␣big␣ cat": " big" or "big "), it is moved as far right as it can go, so
 * that it starts on the word rather than on the space before it.
 * Returns FALSE when a slide may have been stopped by the end of the
 * block's last run, which a longer last run might not have stopped (a
 * change on both sides never slides). */
static gboolean
slide_runs (Differ *self)
{
  Run *runs = (Run *) (void *) self->runs->data;
  const guint *old_ids = (const guint *) (const void *) self->old_tokens.ids->data;
  const guint *new_ids = (const guint *) (const void *) self->new_tokens.ids->data;
  gboolean whole = TRUE;

  for (guint r = 1; r + 1 < self->runs->len; r++)
    {
      Run *prev = &runs[r - 1], *run = &runs[r], *next = &runs[r + 1];

      if (run->equal || !prev->equal || !next->equal)
        continue;
      if (run->n0 == run->n1)
        {
          while (next->o1 - next->o0 > 1 && old_ids[run->o0] == old_ids[next->o0])
            {
              prev->o1++, prev->n1++;
              run->o0++, run->o1++;
              run->n0++, run->n1++;
              next->o0++, next->n0++;
            }
        }
      else if (run->o0 == run->o1)
        {
          while (next->n1 - next->n0 > 1 && new_ids[run->n0] == new_ids[next->n0])
            {
              prev->o1++, prev->n1++;
              run->o0++, run->o1++;
              run->n0++, run->n1++;
              next->o0++, next->n0++;
            }
        }
      if (r + 2 == self->runs->len && (run->n0 == run->n1 || run->o0 == run->o1)
          && next->o1 - next->o0 <= 1)
        whole = FALSE;
    }
  return whole;
}

/* The changed and equal runs of a block, from the marks Myers left. */
static void
collect_runs (Differ *self,
              guint   n_old,
              guint   n_new)
{
  const guint8 *oc = (const guint8 *) self->old_changed->data;
  const guint8 *nc = (const guint8 *) self->new_changed->data;
  guint i = 0, j = 0;

  g_array_set_size (self->runs, 0);
  while (i < n_old || j < n_new)
    {
      Run run = { i, i, j, j, FALSE };

      if (i < n_old && j < n_new && !oc[i] && !nc[j])
        {
          run.equal = TRUE;
          while (i < n_old && j < n_new && !oc[i] && !nc[j])
            i++, j++;
        }
      else
        {
          while (i < n_old && oc[i])
            i++;
          while (j < n_new && nc[j])
            j++;
          /* Unmatched leftovers cannot happen after Myers; if they did,
           * they are changes, never a loop without end. */
          if (i == run.o0 && j == run.n0)
            {
              if (i < n_old)
                i++;
              else
                j++;
            }
        }
      run.o1 = i;
      run.n1 = j;
      g_array_append_val (self->runs, run);
    }
}

/* Folds short equalities into the changes around them, re-checking the
 * equality before a change each time that change grows. */
static void
fold_runs (Differ *self)
{
  GArray *out = self->folded;

  g_array_set_size (out, 0);
  for (guint r = 0; r < self->runs->len; r++)
    {
      Run run = g_array_index (self->runs, Run, r);

      if (run.equal || out->len < 2)
        {
          g_array_append_val (out, run);
          continue;
        }
      g_array_append_val (out, run);
      while (out->len >= 3)
        {
          Run *right = &g_array_index (out, Run, out->len - 1);
          Run *equal = right - 1;
          Run *left = right - 2;

          if (right->equal || !equal->equal || left->equal
              || !is_foldable (self, left, equal, right))
            break;
          left->o1 = right->o1;
          left->n1 = right->n1;
          g_array_set_size (out, out->len - 2);
        }
    }
}

static void
append_equal (GArray *runs,
              guint   o0,
              guint   n0,
              guint   length)
{
  Run run = { o0, o0 + length, n0, n0 + length, TRUE };

  if (length == 0)
    return;
  if (runs->len > 0 && g_array_index (runs, Run, runs->len - 1).equal)
    {
      Run *last = &g_array_index (runs, Run, runs->len - 1);

      last->o1 = run.o1;
      last->n1 = run.n1;
      return;
    }
  g_array_append_val (runs, run);
}

/* Folding can leave a change that starts or ends alike on both sides:
 * deleting " dari" and "kedua " around a kept space becomes " dari kedua "
 * replaced by " ".  The common ends go back to the equalities beside it,
 * leaving the deletion of "dari kedua ". */
static void
trim_runs (Differ *self)
{
  const guint *old_ids = (const guint *) (const void *) self->old_tokens.ids->data;
  const guint *new_ids = (const guint *) (const void *) self->new_tokens.ids->data;
  GArray *out = self->runs;

  g_array_set_size (out, 0);
  for (guint r = 0; r < self->folded->len; r++)
    {
      Run run = g_array_index (self->folded, Run, r);
      guint prefix = 0, suffix = 0;

      if (run.equal)
        {
          append_equal (out, run.o0, run.n0, run.o1 - run.o0);
          continue;
        }
      while (run.o0 + prefix < run.o1 && run.n0 + prefix < run.n1
             && old_ids[run.o0 + prefix] == new_ids[run.n0 + prefix])
        prefix++;
      append_equal (out, run.o0, run.n0, prefix);
      run.o0 += prefix;
      run.n0 += prefix;
      while (run.o0 < run.o1 - suffix && run.n0 < run.n1 - suffix
             && old_ids[run.o1 - suffix - 1] == new_ids[run.n1 - suffix - 1])
        suffix++;
      run.o1 -= suffix;
      run.n1 -= suffix;
      if (run.o1 > run.o0 || run.n1 > run.n0)
        g_array_append_val (out, run);
      append_equal (out, run.o1, run.n1, suffix);
    }
}

/* Leaving out the ends two texts share before cutting them into tokens.
 * A cut is where a token surely starts in both texts: after a line break
 * (each line is cut on its own), or on a space after something else in a
 * line of ASCII in both texts (nothing joins a word to a space, and the
 * word rules look past a word's end only at a middle mark). */
static gboolean
is_ascii_span (const char *text,
               gsize       start,
               gsize       end)
{
  for (gsize i = start; i < end; i++)
    if ((guchar) text[i] >= 0x80 || text[i] == '\v' || text[i] == '\f')
      return FALSE;
  return TRUE;
}

static gsize
line_start (const char *text,
            gsize       at)
{
  while (at > 0 && text[at - 1] != '\n')
    at--;
  return at;
}

static gsize
line_end (const char *text,
          gsize       len,
          gsize       at)
{
  const char *nl = memchr (text + at, '\n', len - at);

  return nl != NULL ? (gsize) (nl - text) : len;
}

/* The head: up to the last cut but one before the first difference, so
 * that a whole token alike stays on the inside and the change next to it
 * slides and folds as before. */
static gsize
common_head (const char *a,
             gsize       a_len,
             const char *b,
             gsize       b_len,
             gsize       prefix)
{
  gsize start = 0;
  gboolean ascii = FALSE, known = FALSE, inner = FALSE;

  for (gsize c = prefix > 0 ? prefix - 1 : 0; c >= 1; c--)
    {
      if (!known || c < start)
        {
          start = line_start (a, c);
          ascii = is_ascii_span (a, start, line_end (a, a_len, c))
                  && is_ascii_span (b, start, line_end (b, b_len, c));
          known = TRUE;
        }
      /* In a line that is not ASCII, the only cut is the line's start:
       * the bytes before it are not looked at one by one (a Thai
       * paragraph's were 5% of its diff). */
      if (!ascii && c > start)
        {
          if (start == 0)
            break;
          c = start;
        }
      if (a[c - 1] == '\n' || (ascii && a[c] == ' ' && a[c - 1] != ' '))
        {
          if (inner)
            return c;
          inner = TRUE;
        }
    }
  return 0;
}

/* The tail, in bytes from the end: from the second cut after the last
 * difference (a cut needs the byte before it alike too). */
static gsize
common_tail (const char *a,
             gsize       a_len,
             const char *b,
             gsize       b_len,
             gsize       suffix)
{
  gsize end = 0;
  gboolean ascii = FALSE, known = FALSE, inner = FALSE;

  for (gsize e = suffix > 0 ? suffix - 1 : 0; e >= 1; e--)
    {
      gsize ca = a_len - e, cb = b_len - e;

      if (!known || ca > end)
        {
          end = line_end (a, a_len, ca);
          ascii = is_ascii_span (a, line_start (a, ca), end)
                  && is_ascii_span (b, line_start (b, cb), b_len - (a_len - end));
          known = TRUE;
        }
      /* Likewise the only cut is after the line's break. */
      if (!ascii && a[ca - 1] != '\n')
        {
          if (end >= a_len || a_len - end - 1 < 1)
            break;
          e = a_len - end - 1;
          ca = a_len - e;
          cb = b_len - e;
        }
      if (a[ca - 1] == '\n' || (ascii && a[ca] == ' ' && a[ca - 1] != ' '))
        {
          if (inner)
            return e;
          inner = TRUE;
        }
    }
  return 0;
}

static void
common_ends (const char *a,
             gsize       a_len,
             const char *b,
             gsize       b_len,
             gsize      *head,
             gsize      *tail)
{
  gsize shorter = MIN (a_len, b_len);
  gsize prefix = 0, suffix = 0;

  while (prefix + 8 <= shorter && memcmp (a + prefix, b + prefix, 8) == 0)
    prefix += 8;
  while (prefix < shorter && a[prefix] == b[prefix])
    prefix++;
  /* Not into the prefix: both ends stay apart in both texts. */
  while (suffix + 8 <= shorter - prefix && memcmp (a + a_len - suffix - 8, b + b_len - suffix - 8, 8) == 0)
    suffix += 8;
  while (suffix < shorter - prefix && a[a_len - suffix - 1] == b[b_len - suffix - 1])
    suffix++;
  *head = common_head (a, a_len, b, b_len, prefix);
  *tail = common_tail (a, a_len, b, b_len, suffix);
}

/* Two blocks that share almost no pair of a word and the word after next
 * were rewritten, not edited: Myers' search on them costs the square of their
 * length (D is about N) and finds only common words and spaces, which the
 * clean-up below folds back into the change; on 100,000 words with one
 * paragraph in ten rewritten it was two thirds of the diff.  They are
 * marked replaced whole at once, as git's cost limit makes them coarse.
 * Blocks of fewer than UNRELATED_MIN_WORDS words on a side are always
 * searched, so a short phrase rewritten around one kept word keeps it.
 * The pairs are counted, not the words: a newsroom's common words are in
 * any two paragraphs of one language.  And not neighbours but words one
 * apart: Chinese is cut into characters, and the neighbouring characters
 * of its common words were in any two paragraphs too (a rewritten
 * paragraph of Chinese was still searched, 75% of such a diff). */
#define UNRELATED_MIN_WORDS 16

static inline guint64
word_pair_key (guint first,
               guint second)
{
  return ((guint64) first << 32 | second) + 1;   /* never 0, the empty slot */
}

static gboolean
blocks_unrelated (const Tokens *old_tokens,
                  const Tokens *new_tokens)
{
  const guint *old_ids = (const guint *) (const void *) old_tokens->ids->data;
  const guint *new_ids = (const guint *) (const void *) new_tokens->ids->data;
  const guint8 *old_flags = (const guint8 *) old_tokens->flags->data;
  const guint8 *new_flags = (const guint8 *) new_tokens->flags->data;
  guint n_old_words = 0, n_new_words = 0, shared = 0, pairs = 0;
  guint64 *set;
  guint mask = 63, prev = G_MAXUINT, prev2 = G_MAXUINT;

  for (guint i = 0; i < old_tokens->ids->len; i++)
    n_old_words += (old_flags[i] & TOKEN_WORD) != 0;
  for (guint j = 0; j < new_tokens->ids->len; j++)
    n_new_words += (new_flags[j] & TOKEN_WORD) != 0;
  if (n_old_words < UNRELATED_MIN_WORDS || n_new_words < UNRELATED_MIN_WORDS)
    return FALSE;

  while (mask + 1 < n_old_words * 2)
    mask = mask * 2 + 1;
  set = g_new0 (guint64, mask + 1);
  for (guint i = 0; i < old_tokens->ids->len; i++)
    {
      guint64 key;
      guint at;

      if ((old_flags[i] & TOKEN_WORD) == 0)
        continue;
      if (prev2 != G_MAXUINT)
        {
          key = word_pair_key (prev2, old_ids[i]);
          for (at = hash_finish (key) & mask; set[at] != 0 && set[at] != key; at = (at + 1) & mask)
            ;
          set[at] = key;
        }
      prev2 = prev;
      prev = old_ids[i];
    }
  prev = prev2 = G_MAXUINT;
  for (guint j = 0; j < new_tokens->ids->len; j++)
    {
      if ((new_flags[j] & TOKEN_WORD) == 0)
        continue;
      if (prev2 != G_MAXUINT)
        {
          guint64 key = word_pair_key (prev2, new_ids[j]);
          guint at;

          for (at = hash_finish (key) & mask; set[at] != 0 && set[at] != key; at = (at + 1) & mask)
            ;
          shared += set[at] == key;
          pairs++;
        }
      prev2 = prev;
      prev = new_ids[j];
    }
  g_free (set);
  /* Fewer than one pair in five of the shorter side found in the other
   * (two unrelated paragraphs of 40 words drawn from 30 common ones share
   * about one in twenty by chance; one word in three replaced keeps one
   * in three). */
  return shared * 5 < MIN (pairs, n_old_words - 2);
}

/* A changed line of Thai or Lao, where ICU's dictionary cuts the words,
 * is most of the cost of its diff: ICU's engine walks the whole run of
 * letters, in the old line and again in the new one, though an edit
 * leaves most of the line as it was.  The engine's loop keeps nothing
 * from one word to the next but where it stands (ThaiBreakEngine::
 * divideUpDictionaryRange() fills its candidates afresh at each
 * position) and looks three words ahead.  So the new line's words are
 * the old line's up to a break WINDOW_MARGIN characters before the first
 * difference; from there ICU cuts the new line, to two margins into the
 * end both lines share, and where one of its breaks in the first of
 * those margins falls on one of the old line's (counted from the end),
 * the two cuts are in step and the old line's words are taken for the
 * rest.  A shared end shorter than two margins is cut to the line's end;
 * cuts that never come into step give up, and the whole line is cut.
 * Margins of 16 characters gave spans other than ICU's whole cut within
 * 20,000 random edits of Thai paragraphs, 24 did not; 48 leaves room for
 * words longer than the test's.  The Thai pair of bench-diff: 59.8 M
 * instructions before, 52.3 M after, the same output. */
#define WINDOW_MARGIN 48
#define WINDOW_MIN_CHARS (4 * WINDOW_MARGIN)

/* Thai (U+0E00–U+0E7F) or Lao (U+0E80–U+0EFF): E0 B8 to E0 BB. */
static gboolean
bytes_have_dictionary_script (const char *bytes,
                              gsize       len)
{
  const char *p = bytes, *end = bytes + len;

  while ((p = memchr (p, 0xE0, end - p)) != NULL && p + 1 < end)
    {
      if ((guchar) p[1] >= 0xB8 && (guchar) p[1] <= 0xBB)
        return TRUE;
      p++;
    }
  return FALSE;
}

/* The byte offset of the character @chars characters after @from. */
static gsize
skip_chars (const char *bytes,
            gsize       len,
            gsize       from,
            guint       chars)
{
  gsize at = from;

  while (chars > 0 && at < len)
    {
      at++;
      while (at < len && ((guchar) bytes[at] & 0xC0) == 0x80)
        at++;
      chars--;
    }
  return at;
}

/* A line of Thai or Lao against another line, long enough for windows,
 * and ICU to cut them. */
static inline gboolean
lines_fit_window (Differ     *self,
                  guint       n_old_lines,
                  const char *old_bytes,
                  gsize       old_len,
                  guint       n_new_lines,
                  const char *new_bytes,
                  gsize       new_len)
{
  return !self->reference && self->breaker != NULL && n_old_lines == 1 && n_new_lines == 1
         && old_len >= WINDOW_MIN_CHARS && new_len >= WINDOW_MIN_CHARS
         && bytes_have_dictionary_script (old_bytes, old_len)
         && memchr (old_bytes, '\n', old_len - 1) == NULL && memchr (new_bytes, '\n', new_len - 1) == NULL;
}

/* The start and the end two lines share, in bytes, each a whole number
 * of characters; the start is found first, and the end stops short of
 * it. */
static void
line_shared_ends (const char *old_bytes,
                  gsize       old_len,
                  const char *new_bytes,
                  gsize       new_len,
                  gsize      *out_prefix,
                  gsize      *out_suffix)
{
  gsize shorter = MIN (old_len, new_len), prefix = 0, suffix = 0;

  while (prefix + 8 <= shorter && memcmp (old_bytes + prefix, new_bytes + prefix, 8) == 0)
    prefix += 8;
  while (prefix < shorter && old_bytes[prefix] == new_bytes[prefix])
    prefix++;
  while (prefix > 0 && ((guchar) old_bytes[prefix] & 0xC0) == 0x80)
    prefix--;
  while (suffix + 8 <= shorter - prefix
         && memcmp (old_bytes + old_len - suffix - 8, new_bytes + new_len - suffix - 8, 8) == 0)
    suffix += 8;
  while (suffix < shorter - prefix && old_bytes[old_len - suffix - 1] == new_bytes[new_len - suffix - 1])
    suffix++;
  while (suffix > 0 && ((guchar) old_bytes[old_len - suffix] & 0xC0) == 0x80)
    suffix--;
  *out_prefix = prefix;
  *out_suffix = suffix;
}

/* Cuts the new line @new_bytes into self->new_tokens, given the old line
 * @old_bytes cut into self->old_tokens, where the lines fit a window;
 * returns FALSE, having cut nothing, where the edit leaves too little to
 * take from the old line. */
static gboolean
tokenize_new_in_window (Differ     *self,
                        const char *old_bytes,
                        gsize       old_len,
                        guint       old_base,
                        const char *new_bytes,
                        gsize       new_len,
                        guint       new_base)
{
  Tokens *ot = &self->old_tokens, *nt = &self->new_tokens;
  const guint *old_bounds = (const guint *) (const void *) ot->bounds->data;
  const guint n_old = ot->ids->len;
  gsize prefix, suffix, start_byte, window_end;
  guint old_chars, new_chars, prefix_chars, suffix_chars, first, s, k;
  gboolean to_end;
  guint *bounds;
  gint shift;

  line_shared_ends (old_bytes, old_len, new_bytes, new_len, &prefix, &suffix);
  old_chars = old_bounds[n_old] - old_base;
  new_chars = old_chars - count_chars (old_bytes, old_len) + count_chars (new_bytes, new_len);
  prefix_chars = count_chars (old_bytes, prefix);
  suffix_chars = count_chars (old_bytes + old_len - suffix, suffix);
  to_end = suffix_chars < 2 * WINDOW_MARGIN;

  /* The last of the old line's breaks a margin before the difference,
   * or the line's start. */
  s = 0;
  if (prefix_chars > WINDOW_MARGIN)
    for (s = n_old - 1; s > 0 && old_bounds[s] - old_base > prefix_chars - WINDOW_MARGIN; s--)
      ;
  if (s == 0 && to_end)
    return FALSE;

  g_array_set_size (nt->ids, new_len + 1);
  g_array_set_size (nt->bounds, new_len + 1);
  g_array_set_size (nt->flags, new_len + 1);
  memcpy (nt->ids->data, ot->ids->data, s * sizeof (guint));
  memcpy (nt->flags->data, ot->flags->data, s);
  bounds = (guint *) (void *) nt->bounds->data;
  for (guint i = 0; i < s; i++)
    bounds[i] = old_bounds[i] - old_base + new_base;
  nt->n = s;

  /* ICU from that break to two margins into the shared end, or to the
   * end of a line whose shared end is shorter. */
  start_byte = skip_chars (new_bytes, new_len, 0, old_bounds[s] - old_base);
  window_end = to_end ? new_len : skip_chars (new_bytes, new_len, new_len - suffix, 2 * WINDOW_MARGIN);
  tokenize_icu (self->breaker, new_bytes + start_byte, window_end - start_byte,
                new_base + old_bounds[s] - old_base, nt, &self->table);
  bounds = (guint *) (void *) nt->bounds->data;
  if (to_end)
    {
      bounds[nt->n] = new_base + new_chars;
      g_array_set_size (nt->ids, nt->n);
      g_array_set_size (nt->bounds, nt->n + 1);
      g_array_set_size (nt->flags, nt->n);
      return TRUE;
    }

  /* In step again: a break of the window in the shared end's first
   * margin that is a break of the old line too, counted from the end. */
  shift = (gint) new_chars - (gint) old_chars;
  first = new_chars - suffix_chars;
  k = s;
  for (guint j = s + 1; j < nt->n; j++)
    {
      guint at = bounds[j] - new_base;   /* in the new line */
      guint old_at;

      if (at < first)
        continue;
      if (at > first + WINDOW_MARGIN)
        break;
      old_at = (guint) ((gint) at - shift);
      while (k < n_old && old_bounds[k] - old_base < old_at)
        k++;
      if (k < n_old && old_bounds[k] - old_base == old_at)
        {
          const guint *old_ids = (const guint *) (const void *) ot->ids->data;
          const guint8 *old_flags = (const guint8 *) ot->flags->data;
          guint *ids = (guint *) (void *) nt->ids->data;
          guint8 *flags = (guint8 *) nt->flags->data;

          /* The rest is the old line's. */
          nt->n = j;
          for (; k < n_old; k++, nt->n++)
            {
              ids[nt->n] = old_ids[k];
              flags[nt->n] = old_flags[k];
              bounds[nt->n] = (guint) ((gint) (old_bounds[k] - old_base + new_base) + shift);
            }
          bounds[nt->n] = new_base + new_chars;
          g_array_set_size (nt->ids, nt->n);
          g_array_set_size (nt->bounds, nt->n + 1);
          g_array_set_size (nt->flags, nt->n);
          return TRUE;
        }
    }
  return FALSE;
}

/* Blocks whose shared start and end hold a quarter of the shorter were
 * edited, and are not asked whether they were rewritten: the check cost
 * 4% of a diff of Chinese, where every edited paragraph has enough words
 * to be asked.  Bytes alone decide, so the diff and its reference agree. */
static gboolean
blocks_share_a_quarter (const char *a,
                        gsize       a_len,
                        const char *b,
                        gsize       b_len)
{
  gsize shorter = MIN (a_len, b_len), prefix = 0, suffix = 0;

  while (prefix + 8 <= shorter && memcmp (a + prefix, b + prefix, 8) == 0)
    prefix += 8;
  while (prefix < shorter && a[prefix] == b[prefix])
    prefix++;
  while (suffix + 8 <= shorter - prefix && memcmp (a + a_len - suffix - 8, b + b_len - suffix - 8, 8) == 0)
    suffix += 8;
  while (suffix < shorter - prefix && a[a_len - suffix - 1] == b[b_len - suffix - 1])
    suffix++;
  return (prefix + suffix) * 4 >= shorter;
}

/* Where the line's shared end is long, the old line need not be cut
 * past it either.  Both lines are cut by ICU only to WINDOW_REACH +
 * WINDOW_MARGIN characters into the end they share (the new one from
 * the old one's break a margin before the difference, as above), and
 * where the two cuts have a break in common in the first WINDOW_REACH
 * characters of that end, a margin clear of where both cuts stop, both
 * whole cuts pass there and go on alike (the dictionary's loop keeps
 * nothing but its position): what follows is left out as a shared tail
 * of equal words.  That break is past the shared end's first character,
 * so that neither cut before it is the start of the other and Myers'
 * search stops short of the tail; a change that would slide into the
 * tail, or one left at the window's end, has the line cut again in full.
 * The Thai pair of bench-diff: 50.0 M instructions before, 45.0 M after,
 * the same output. */
#define WINDOW_REACH 16

/* Cuts both lines (that fit a window) into self->old_tokens and
 * self->new_tokens up to a break past which they are alike, and sets
 * @out_tail to the bytes left after it; returns FALSE, with the cuts to
 * be made again, where there is no such break. */
static gboolean
tokenize_pair_in_windows (Differ     *self,
                          const char *old_bytes,
                          gsize       old_len,
                          guint       old_base,
                          const char *new_bytes,
                          gsize       new_len,
                          guint       new_base,
                          gsize      *out_tail)
{
  Tokens *ot = &self->old_tokens, *nt = &self->new_tokens;
  const guint *old_bounds;
  gsize prefix, suffix, old_stop, new_stop, start_byte;
  guint old_chars, new_chars, prefix_chars, suffix_chars, old_first, new_first, n_old, s, k;
  guint *bounds;

  line_shared_ends (old_bytes, old_len, new_bytes, new_len, &prefix, &suffix);
  suffix_chars = count_chars (old_bytes + old_len - suffix, suffix);
  if (suffix_chars <= WINDOW_REACH + WINDOW_MARGIN)
    return FALSE;
  old_chars = count_chars (old_bytes, old_len);
  new_chars = count_chars (new_bytes, new_len);
  prefix_chars = count_chars (old_bytes, prefix);
  old_first = old_chars - suffix_chars;
  new_first = new_chars - suffix_chars;

  old_stop = skip_chars (old_bytes, old_len, old_len - suffix, WINDOW_REACH + WINDOW_MARGIN);
  tokens_start (ot, old_stop);
  tokenize_icu (self->breaker, old_bytes, old_stop, old_base, ot, &self->table);
  old_bounds = (const guint *) (const void *) ot->bounds->data;
  n_old = ot->n;
  if (n_old == 0)
    return FALSE;

  /* The last of the old line's breaks a margin before the difference,
   * or the line's start. */
  s = 0;
  if (prefix_chars > WINDOW_MARGIN)
    for (s = n_old - 1; s > 0 && old_bounds[s] - old_base > prefix_chars - WINDOW_MARGIN; s--)
      ;

  new_stop = skip_chars (new_bytes, new_len, new_len - suffix, WINDOW_REACH + WINDOW_MARGIN);
  tokens_start (nt, new_stop);
  memcpy (nt->ids->data, ot->ids->data, s * sizeof (guint));
  memcpy (nt->flags->data, ot->flags->data, s);
  bounds = (guint *) (void *) nt->bounds->data;
  for (guint i = 0; i < s; i++)
    bounds[i] = old_bounds[i] - old_base + new_base;
  nt->n = s;
  start_byte = skip_chars (new_bytes, new_len, 0, old_bounds[s] - old_base);
  tokenize_icu (self->breaker, new_bytes + start_byte, new_stop - start_byte,
                new_base + old_bounds[s] - old_base, nt, &self->table);
  bounds = (guint *) (void *) nt->bounds->data;

  k = s;
  for (guint j = s + 1; j < nt->n; j++)
    {
      guint at = bounds[j] - new_base;   /* in the new line */
      guint old_at;

      if (at <= new_first)
        continue;
      if (at > new_first + WINDOW_REACH)
        break;
      old_at = at - new_first + old_first;
      while (k < n_old && old_bounds[k] - old_base < old_at)
        k++;
      if (k < n_old && old_bounds[k] - old_base == old_at)
        {
          /* In step from here: the tail starts at the last break within
           * reach, leaving the equal words before it to slide along. */
          while (j + 1 < nt->n && k + 1 < n_old && bounds[j + 1] - new_base <= new_first + WINDOW_REACH
                 && bounds[j + 1] - new_base - new_first == old_bounds[k + 1] - old_base - old_first)
            j++, k++;
          at = bounds[j] - new_base;
          old_at = at - new_first + old_first;
          nt->n = j;
          tokens_finish (nt, new_base + at);
          ot->n = k;
          tokens_finish (ot, old_base + old_at);
          *out_tail = old_len - skip_chars (old_bytes, old_len, old_len - suffix, old_at - old_first);
          return TRUE;
        }
    }
  return FALSE;
}

static void
diff_block (Differ     *self,
            const Line *old_lines,
            guint       n_old_lines,
            const Line *new_lines,
            guint       n_new_lines)
{
  const char *old_bytes, *new_bytes;
  guint old_len, new_len;
  guint n_old, n_new;
  gsize head = 0, tail = 0, ends_head = 0, ends_tail = 0;
  guint head_chars;
  gboolean asked = FALSE, rewritten = FALSE, fits, windows, shares_a_quarter, whole;

  if (n_old_lines == 0 && n_new_lines == 0)
    return;
  if (n_old_lines == 0)
    {
      guint at = old_lines[0].char_start;

      emit (self, DESK_DIFF_INSERT, at, at,
            new_lines[0].char_start, new_lines[n_new_lines - 1].char_end, FALSE);
      return;
    }
  if (n_new_lines == 0)
    {
      guint at = new_lines[0].char_start;

      emit (self, DESK_DIFF_DELETE, old_lines[0].char_start, old_lines[n_old_lines - 1].char_end,
            at, at, FALSE);
      return;
    }

  old_bytes = self->old_text.str + old_lines[0].byte_start;
  old_len = old_lines[n_old_lines - 1].byte_end - old_lines[0].byte_start;
  new_bytes = self->new_text.str + new_lines[0].byte_start;
  new_len = new_lines[n_new_lines - 1].byte_end - new_lines[0].byte_start;

  /* The ends both share are not cut into tokens, unless the diff has to
   * be as ICU alone makes it; a change that slides to the end of what is
   * left is done again without leaving out the tail. */
  common_ends (old_bytes, old_len, new_bytes, new_len, &head, &tail);
  if (self->reference)
    {
      ends_head = head;
      ends_tail = tail;
      head = tail = 0;
    }
  /* An edited line that shares a quarter of its bytes is never taken as
   * rewritten, whatever its words: the question needs no whole cut. */
  fits = lines_fit_window (self, n_old_lines, old_bytes + head, old_len - head - tail,
                           n_new_lines, new_bytes + head, new_len - head - tail);
  windows = fits && head == 0 && tail == 0
            && blocks_share_a_quarter (old_bytes, old_len, new_bytes, new_len);
  shares_a_quarter = windows;
  head_chars = count_chars (old_bytes, head);
  for (;;)
    {
      intern_table_reset (&self->table, (old_len + new_len - 2 * head - 2 * tail) / 4);
      /* Whether the blocks were rewritten is asked once, of what lies
       * between their shared ends, in both ways of cutting: the reference
       * cuts that middle on its own for the question alone. */
      if (!asked && self->reference && !blocks_share_a_quarter (old_bytes, old_len, new_bytes, new_len))
        {
          Tokens old_middle, new_middle;

          tokens_init (&old_middle);
          tokens_init (&new_middle);
          tokenize (self->breaker, old_bytes + ends_head, old_len - ends_head - ends_tail, 0,
                    &old_middle, &self->table, TRUE);
          tokenize (self->breaker, new_bytes + ends_head, new_len - ends_head - ends_tail, 0,
                    &new_middle, &self->table, TRUE);
          rewritten = blocks_unrelated (&old_middle, &new_middle);
          tokens_clear (&old_middle);
          tokens_clear (&new_middle);
          asked = TRUE;
        }
      if (!windows || !tokenize_pair_in_windows (self, old_bytes, old_len, old_lines[0].char_start,
                                                 new_bytes, new_len, new_lines[0].char_start, &tail))
        {
          windows = FALSE;
          tokenize (self->breaker, old_bytes + head, old_len - head - tail, old_lines[0].char_start + head_chars,
                    &self->old_tokens, &self->table, self->reference);
          if (!fits || !tokenize_new_in_window (self, old_bytes + head, old_len - head - tail,
                                                old_lines[0].char_start + head_chars,
                                                new_bytes + head, new_len - head - tail,
                                                new_lines[0].char_start + head_chars))
            tokenize (self->breaker, new_bytes + head, new_len - head - tail, new_lines[0].char_start + head_chars,
                      &self->new_tokens, &self->table, self->reference);
        }
      n_old = self->old_tokens.ids->len;
      n_new = self->new_tokens.ids->len;

      g_array_set_size (self->old_changed, n_old);
      g_array_set_size (self->new_changed, n_new);
      if (n_old > 0)
        memset (self->old_changed->data, 0, n_old);
      if (n_new > 0)
        memset (self->new_changed->data, 0, n_new);
      if (!asked)
        {
          rewritten = !shares_a_quarter && !blocks_share_a_quarter (old_bytes, old_len, new_bytes, new_len)
                      && blocks_unrelated (&self->old_tokens, &self->new_tokens);
          asked = TRUE;
        }
      if (rewritten)
        {
          myers_mark ((guint8 *) self->old_changed->data, 0, n_old);
          myers_mark ((guint8 *) self->new_changed->data, 0, n_new);
        }
      else
        myers_diff (&self->myers,
                    (const guint *) (const void *) self->old_tokens.ids->data, n_old,
                    (const guint *) (const void *) self->new_tokens.ids->data, n_new,
                    (guint8 *) self->old_changed->data, (guint8 *) self->new_changed->data);

      collect_runs (self, n_old, n_new);
      whole = slide_runs (self);
      /* The windows end in words alike, as the whole line does. */
      if (windows && (self->runs->len == 0
                      || !g_array_index (self->runs, Run, self->runs->len - 1).equal))
        whole = FALSE;
      if (whole || tail == 0)
        break;
      tail = 0;
      if (!windows)
        fits = lines_fit_window (self, n_old_lines, old_bytes + head, old_len - head,
                                 n_new_lines, new_bytes + head, new_len - head);
      windows = FALSE;
    }
  fold_runs (self);
  trim_runs (self);

  if (head > 0)
    emit (self, DESK_DIFF_EQUAL, old_lines[0].char_start, old_lines[0].char_start + head_chars,
          new_lines[0].char_start, new_lines[0].char_start + head_chars, bytes_have_break (old_bytes, head));
  for (guint r = 0; r < self->runs->len; r++)
    {
      const Run *run = &g_array_index (self->runs, Run, r);
      guint os = TOKEN_BOUND (&self->old_tokens, run->o0);
      guint oe = TOKEN_BOUND (&self->old_tokens, run->o1);
      guint ns = TOKEN_BOUND (&self->new_tokens, run->n0);
      guint ne = TOKEN_BOUND (&self->new_tokens, run->n1);

      if (run->equal)
        {
          const guint8 *flags = (const guint8 *) self->old_tokens.flags->data;
          gboolean has_break = FALSE;

          for (guint i = run->o0; i < run->o1 && !has_break; i++)
            has_break = (flags[i] & TOKEN_BREAK) != 0;
          emit (self, DESK_DIFF_EQUAL, os, oe, ns, ne, has_break);
        }
      else
        {
          emit (self, DESK_DIFF_DELETE, os, oe, ns, ns, FALSE);
          emit (self, DESK_DIFF_INSERT, oe, oe, ns, ne, FALSE);
        }
    }

  if (tail > 0)
    {
      guint tail_chars = count_chars (old_bytes + old_len - tail, tail);
      guint old_end = old_lines[n_old_lines - 1].char_end;
      guint new_end = new_lines[n_new_lines - 1].char_end;

      emit (self, DESK_DIFF_EQUAL, old_end - tail_chars, old_end, new_end - tail_chars, new_end,
            bytes_have_break (old_bytes + old_len - tail, tail));
    }
}

/* As many paragraphs changed on each side, one after another: edits
 * scattered all through a text, the way a copy editor works.  Each
 * paragraph is compared with its counterpart alone, so the cost grows with
 * each paragraph's length times its own edits rather than with the whole
 * block's length times all of them (Myers' O(ND) on the block).  What
 * moved from one paragraph into the next shows as deleted there and
 * inserted here, which is where the editor put it. */
static void
diff_paired_lines (Differ     *self,
                   const Line *old_lines,
                   const Line *new_lines,
                   guint       n_lines)
{
  for (guint k = 0; k < n_lines; k++)
    diff_block (self, &old_lines[k], 1, &new_lines[k], 1);
}

static void
differ_run (Differ *self)
{
  g_autoptr(GArray) old_lines = g_array_new (FALSE, FALSE, sizeof (Line));
  g_autoptr(GArray) new_lines = g_array_new (FALSE, FALSE, sizeof (Line));
  g_autoptr(GArray) old_ids = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GArray) new_ids = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autofree guint8 *old_changed = NULL;
  g_autofree guint8 *new_changed = NULL;
  const Line *ol, *nl;
  guint n_old, n_new, i = 0, j = 0;

  intern_table_reset (&self->table, 256);
  split_lines (&self->old_text, old_lines, old_ids, &self->table);
  split_lines (&self->new_text, new_lines, new_ids, &self->table);
  n_old = old_lines->len;
  n_new = new_lines->len;
  ol = (const Line *) (const void *) old_lines->data;
  nl = (const Line *) (const void *) new_lines->data;

  old_changed = g_new0 (guint8, n_old + 1);
  new_changed = g_new0 (guint8, n_new + 1);
  myers_diff_discarding (&self->myers,
                         (const guint *) (const void *) old_ids->data, n_old,
                         (const guint *) (const void *) new_ids->data, n_new,
                         self->table.n_ids, old_changed, new_changed);

  while (i < n_old || j < n_new)
    {
      if (i < n_old && j < n_new && !old_changed[i] && !new_changed[j])
        {
          emit (self, DESK_DIFF_EQUAL, ol[i].char_start, ol[i].char_end,
                nl[j].char_start, nl[j].char_end, ol[i].has_break);
          i++, j++;
        }
      else
        {
          guint i0 = i, j0 = j;
          /* Where a block of lines is inserted or deleted whole, the other
           * text's position is the start of its next line (or its end). */
          Line old_at = { 0 }, new_at = { 0 };

          while (i < n_old && old_changed[i])
            i++;
          while (j < n_new && new_changed[j])
            j++;
          if (i == i0 && j == j0)
            {
              if (i < n_old)
                i++;
              else
                j++;
            }
          old_at.char_start = i0 < n_old ? ol[i0].char_start : (n_old > 0 ? ol[n_old - 1].char_end : 0);
          new_at.char_start = j0 < n_new ? nl[j0].char_start : (n_new > 0 ? nl[n_new - 1].char_end : 0);
          if (i - i0 > 1 && i - i0 == j - j0)
            diff_paired_lines (self, &ol[i0], &nl[j0], i - i0);
          else
            diff_block (self,
                        i > i0 ? &ol[i0] : &old_at, i - i0,
                        j > j0 ? &nl[j0] : &new_at, j - j0);
        }
    }
}

static GArray *
diff_words (const char *old_text,
            const char *new_text,
            gboolean    reference)
{
  Differ self = { 0 };
  guint old_chars, new_chars;

  self.reference = reference;
  self.spans = g_array_new (FALSE, FALSE, sizeof (DeskDiffSpan));
  text_init (&self.old_text, old_text);
  text_init (&self.new_text, new_text);

  /* The common cases while typing cost nothing beyond a comparison. */
  if (self.old_text.len == self.new_text.len
      && memcmp (self.old_text.str, self.new_text.str, self.old_text.len) == 0)
    {
      old_chars = g_utf8_strlen (self.old_text.str, self.old_text.len);
      emit (&self, DESK_DIFF_EQUAL, 0, old_chars, 0, old_chars,
            bytes_have_break (self.old_text.str, self.old_text.len));
    }
  else if (self.old_text.len == 0 || self.new_text.len == 0)
    {
      old_chars = g_utf8_strlen (self.old_text.str, self.old_text.len);
      new_chars = g_utf8_strlen (self.new_text.str, self.new_text.len);
      emit (&self, DESK_DIFF_DELETE, 0, old_chars, 0, 0, FALSE);
      emit (&self, DESK_DIFF_INSERT, old_chars, old_chars, 0, new_chars, FALSE);
    }
  else
    {
      self.breaker = word_breaker_new ();
      tokens_init (&self.old_tokens);
      tokens_init (&self.new_tokens);
      self.old_changed = g_array_new (FALSE, FALSE, sizeof (guint8));
      self.new_changed = g_array_new (FALSE, FALSE, sizeof (guint8));
      self.runs = g_array_new (FALSE, FALSE, sizeof (Run));
      self.folded = g_array_new (FALSE, FALSE, sizeof (Run));

      differ_run (&self);

      g_clear_pointer (&self.breaker, ubrk_close);
      g_free (self.table.slots);
      g_free (self.myers.forward);
      g_free (self.myers.backward);
      tokens_clear (&self.old_tokens);
      tokens_clear (&self.new_tokens);
      g_array_unref (self.old_changed);
      g_array_unref (self.new_changed);
      g_array_unref (self.runs);
      g_array_unref (self.folded);
    }

  text_clear (&self.old_text);
  text_clear (&self.new_text);
  return self.spans;
}

GArray *
desk_diff_words (const char *old_text,
                 const char *new_text)
{
  return diff_words (old_text, new_text, FALSE);
}

GArray *
_desk_diff_words_reference (const char *old_text,
                            const char *new_text)
{
  return diff_words (old_text, new_text, TRUE);
}

GArray *
desk_diff_chunks (GArray *spans)
{
  GArray *chunks = g_array_new (FALSE, FALSE, sizeof (DeskDiffChunk));
  DeskDiffChunk chunk = { 0 };
  gboolean open = FALSE;

  g_return_val_if_fail (spans != NULL, chunks);

  for (guint i = 0; i < spans->len; i++)
    {
      const DeskDiffSpan *span = &g_array_index (spans, DeskDiffSpan, i);

      if (span->op == DESK_DIFF_EQUAL)
        {
          /* A change in the same paragraph joins the open chunk. */
          if (open && !span->inside_paragraph)
            {
              g_array_append_val (chunks, chunk);
              open = FALSE;
            }
          continue;
        }
      if (!open)
        {
          chunk.old_start = span->old_start;
          chunk.new_start = span->new_start;
          open = TRUE;
        }
      chunk.old_end = span->old_end;
      chunk.new_end = span->new_end;
    }
  if (open)
    g_array_append_val (chunks, chunk);
  return chunks;
}

/* Characters are code points, as GtkTextBuffer counts them; a Thai
 * syllable with its vowel signs is several. */
static void
text_count (const char *text,
            gboolean    reference,
            guint      *out_words,
            guint      *out_chars)
{
  Text t;
  guint words = 0;

  text_init (&t, text);
  if (out_words != NULL)
    {
      UBreakIterator *breaker = word_breaker_new ();
      Tokens tokens;

      tokens_init (&tokens);
      tokenize (breaker, t.str, t.len, 0, &tokens, NULL, reference);
      for (guint i = 0; i < tokens.flags->len; i++)
        words += (g_array_index (tokens.flags, guint8, i) & TOKEN_WORD) != 0;
      tokens_clear (&tokens);
      g_clear_pointer (&breaker, ubrk_close);
      *out_words = words;
    }
  if (out_chars != NULL)
    *out_chars = g_utf8_strlen (t.str, t.len);
  text_clear (&t);
}

void
desk_text_count (const char *text,
                 guint      *out_words,
                 guint      *out_chars)
{
  text_count (text, FALSE, out_words, out_chars);
}

void
_desk_text_count_reference (const char *text,
                            guint      *out_words,
                            guint      *out_chars)
{
  text_count (text, TRUE, out_words, out_chars);
}

GArray *
_desk_diff_tokens (const char *text,
                   gboolean    reference)
{
  GArray *out = g_array_new (FALSE, FALSE, sizeof (DeskDiffToken));
  UBreakIterator *breaker = word_breaker_new ();
  Tokens tokens;
  Text t;

  text_init (&t, text);
  tokens_init (&tokens);
  tokenize (breaker, t.str, t.len, 0, &tokens, NULL, reference);
  for (guint i = 0; i < tokens.flags->len; i++)
    {
      guint8 flags = g_array_index (tokens.flags, guint8, i);
      DeskDiffToken token = {
        TOKEN_BOUND (&tokens, i), TOKEN_BOUND (&tokens, i + 1),
        (flags & TOKEN_WORD) != 0, (flags & TOKEN_BREAK) != 0,
      };

      g_array_append_val (out, token);
    }
  tokens_clear (&tokens);
  g_clear_pointer (&breaker, ubrk_close);
  text_clear (&t);
  return out;
}
