/* desk-date.c — dates as feeds and press releases really write them
 *
 * Feeds promise RFC 822 (RSS 2.0) or ISO 8601 (Atom, RSS 1.0's dc:date)
 * and write whatever their software does: a weekday or none, two-digit
 * years, no seconds, zones as offsets ("+0700", "+07:00", "UTC+7") or as
 * abbreviations ("GMT", "WIB", "EST"), or no zone at all.  Press releases
 * write embargoes in words ("10:00 WIB 5 March 2026", "5. März 2026,
 * 10:00 Uhr MEZ", "Maret 5, 2026 10.00").  One tolerant reader of tokens
 * handles all of them: ISO 8601 through GLib first, then words and
 * numbers in any order.  A date without a zone is in @default_zone.
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "desk-date.h"

typedef struct {
  const char *name;
  int         minutes;   /* east of UTC */
} Zone;

/* The zones press releases and feeds name, mostly those of the desks
 * Copydesk is used at (Indonesia's WIB, WITA, WIT) and the wires'. */
static const Zone zones[] = {
  { "UT", 0 }, { "UTC", 0 }, { "GMT", 0 }, { "Z", 0 },
  { "WIB", 7 * 60 }, { "WITA", 8 * 60 }, { "WIT", 9 * 60 },
  { "CET", 60 }, { "MEZ", 60 }, { "CEST", 120 }, { "MESZ", 120 },
  { "BST", 60 }, { "WET", 0 }, { "WEST", 60 }, { "EET", 120 }, { "EEST", 180 },
  { "EST", -5 * 60 }, { "EDT", -4 * 60 }, { "CST", -6 * 60 }, { "CDT", -5 * 60 },
  { "MST", -7 * 60 }, { "MDT", -6 * 60 }, { "PST", -8 * 60 }, { "PDT", -7 * 60 },
  { "JST", 9 * 60 }, { "KST", 9 * 60 }, { "SGT", 8 * 60 }, { "HKT", 8 * 60 },
  { "MYT", 8 * 60 }, { "PHT", 8 * 60 }, { "ICT", 7 * 60 }, { "IST", 5 * 60 + 30 },
  { "AEST", 10 * 60 }, { "AEDT", 11 * 60 }, { "NZST", 12 * 60 }, { "NZDT", 13 * 60 },
};

typedef struct {
  const char *prefix;   /* enough letters to know the month */
  int         month;
} MonthName;

/* English, German and Indonesian, the languages of the desk's copy. */
static const MonthName months[] = {
  { "jan", 1 }, { "feb", 2 }, { "peb", 2 }, { "mar", 3 }, { "mär", 3 }, { "maer", 3 },
  { "apr", 4 }, { "may", 5 }, { "mai", 5 }, { "mei", 5 }, { "jun", 6 }, { "jul", 7 },
  { "aug", 8 }, { "agu", 8 }, { "agt", 8 }, { "sep", 9 }, { "oct", 10 }, { "okt", 10 },
  { "nov", 11 }, { "dec", 12 }, { "dez", 12 }, { "des", 12 },
};

static int
month_from_word (const char *lower)
{
  for (gsize i = 0; i < G_N_ELEMENTS (months); i++)
    if (g_str_has_prefix (lower, months[i].prefix))
      return months[i].month;
  return 0;
}

static gboolean
zone_minutes (const char *word,
              int        *out_minutes)
{
  for (gsize i = 0; i < G_N_ELEMENTS (zones); i++)
    if (g_ascii_strcasecmp (word, zones[i].name) == 0)
      {
        *out_minutes = zones[i].minutes;
        return TRUE;
      }
  return FALSE;
}

static GTimeZone *
zone_at_offset (int minutes)
{
  g_autofree char *id = g_strdup_printf ("%c%02d:%02d", minutes < 0 ? '-' : '+',
                                         ABS (minutes) / 60, ABS (minutes) % 60);
  return g_time_zone_new_identifier (id);
}

/* A zone named as the copy names it ("WIB", "+0700", "UTC+7"), or NULL. */
GTimeZone *
desk_date_zone_named (const char *name)
{
  int minutes;

  if (name == NULL)
    return NULL;
  if (zone_minutes (name, &minutes))
    return zone_at_offset (minutes);
  return g_time_zone_new_identifier (name);
}

/* Reads a signed offset "+0700", "+07:00", "+7", "-05" at @p. */
static gboolean
read_offset (const char  *p,
             int         *out_minutes,
             const char **out_end)
{
  int sign = *p == '-' ? -1 : 1;
  int hours = 0, minutes = 0, digits = 0;
  const char *q = p + 1;

  if (*p != '+' && *p != '-')
    return FALSE;
  while (g_ascii_isdigit (*q) && digits < 4)
    {
      q++;
      digits++;
    }
  if (digits == 0)
    return FALSE;
  if (digits <= 2)
    {
      hours = atoi (p + 1);
      if (*q == ':' && g_ascii_isdigit (q[1]) && g_ascii_isdigit (q[2]))
        {
          minutes = (q[1] - '0') * 10 + (q[2] - '0');
          q += 3;
        }
    }
  else if (digits == 4)
    {
      hours = (p[1] - '0') * 10 + (p[2] - '0');
      minutes = (p[3] - '0') * 10 + (p[4] - '0');
    }
  else
    return FALSE;
  if (hours > 14 || minutes > 59)
    return FALSE;
  *out_minutes = sign * (hours * 60 + minutes);
  *out_end = q;
  return TRUE;
}

static GDateTime *
parse_iso8601 (const char *text,
               GTimeZone  *default_zone)
{
  g_autofree char *copy = g_strstrip (g_strdup (text));
  gsize len = strlen (copy);

  if (len < 10 || !g_ascii_isdigit (copy[0]) || copy[4] != '-' || copy[7] != '-')
    return NULL;
  if (len == 10)
    {
      g_autofree char *midnight = g_strconcat (copy, "T00:00:00", NULL);
      return g_date_time_new_from_iso8601 (midnight, default_zone);
    }
  if (copy[10] == ' ')
    copy[10] = 'T';
  /* "2026-03-05T10:00:00 +0700": GLib takes the offset only when it
   * follows at once. */
  {
    char *space = strchr (copy + 10, ' ');

    if (space != NULL)
      memmove (space, space + 1, strlen (space));
  }
  return g_date_time_new_from_iso8601 (copy, default_zone);
}

/* Reads @text as a date and time.  @need_time: a date without a time is
 * not enough (an embargo names the hour); otherwise it is midnight.  A
 * date without a zone is in @default_zone (UTC if NULL).  @out_zone_name,
 * if not NULL, gets the zone as written ("WIB", "+07:00"), or NULL. */
GDateTime *
desk_date_parse (const char  *text,
                 GTimeZone   *default_zone,
                 gboolean     need_time,
                 char       **out_zone_name)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GTimeZone) zone = NULL;
  g_autofree char *zone_name = NULL;
  int year = -1, month = 0, day = 0, hour = -1, minute = 0, second = 0;
  int pm = -1;   /* -1: neither am nor pm written */
  const char *p;
  GDateTime *result;

  if (out_zone_name != NULL)
    *out_zone_name = NULL;
  if (text == NULL)
    return NULL;
  if (default_zone == NULL)
    default_zone = utc;

  result = parse_iso8601 (text, default_zone);
  if (result != NULL)
    {
      if (out_zone_name != NULL)
        *out_zone_name = g_strdup (g_date_time_get_timezone_abbreviation (result));
      return result;
    }

  p = text;
  while (*p != '\0')
    {
      if (g_ascii_isdigit (*p))
        {
          int n[3] = { 0 }, parts = 0, width[3] = { 0 };
          char sep = 0;

          for (;;)
            {
              while (g_ascii_isdigit (*p) && width[parts] < 5)
                {
                  n[parts] = n[parts] * 10 + (*p - '0');
                  width[parts]++;
                  p++;
                }
              parts++;
              if (parts < 3 && (*p == ':' || *p == '.' || *p == '-' || *p == '/') &&
                  g_ascii_isdigit (p[1]) && (sep == 0 || sep == *p))
                {
                  sep = *p;
                  p++;
                  continue;
                }
              break;
            }
          while (g_ascii_isdigit (*p))
            p++;

          if (parts == 3 && sep == ':')
            {
              hour = n[0];
              minute = n[1];
              second = n[2];
            }
          else if (parts == 3 && width[0] == 4)
            {
              year = n[0];
              month = n[1];
              day = n[2];
            }
          else if (parts == 3)
            {
              /* 05.03.2026, 05/03/2026: day first, as the copy's readers
               * write it, unless that cannot be. */
              day = n[0];
              month = n[1];
              if (month > 12 && day <= 12)
                {
                  day = n[1];
                  month = n[0];
                }
              year = width[2] == 2 ? 2000 + n[2] : n[2];
            }
          else if (parts == 2 && (sep == ':' || sep == '.') && n[0] <= 24 && n[1] <= 59 && width[1] == 2)
            {
              hour = n[0];
              minute = n[1];
            }
          else if (parts == 1)
            {
              if (width[0] == 4 && hour < 0 && year >= 0 && day > 0 && month > 0 &&
                  n[0] < 2400 && n[0] % 100 < 60)
                {
                  /* "5 Mar 2026 1000": a time without its colon */
                  hour = n[0] / 100;
                  minute = n[0] % 100;
                }
              else if (width[0] == 4 && year < 0)
                year = n[0];
              else if (n[0] >= 1 && n[0] <= 31 && day == 0)
                day = n[0];
              else if (width[0] == 2 && year < 0 && day > 0)
                year = n[0] < 70 ? 2000 + n[0] : 1900 + n[0];
            }
          if (*p == '.' && !g_ascii_isdigit (p[1]))
            p++;   /* "5. März" */
          continue;
        }

      if ((*p == '+' || *p == '-') && g_ascii_isdigit (p[1]) && hour >= 0)
        {
          int minutes;
          const char *end;

          if (read_offset (p, &minutes, &end))
            {
              g_clear_pointer (&zone, g_time_zone_unref);
              zone = zone_at_offset (minutes);
              g_free (zone_name);
              zone_name = g_strndup (p, end - p);
              p = end;
              continue;
            }
        }

      if (g_ascii_isalpha (*p) || (guchar) *p >= 0x80)
        {
          const char *start = p;
          g_autofree char *word = NULL;
          g_autofree char *lower = NULL;
          int minutes;
          int m;

          while (g_ascii_isalpha (*p) || (guchar) *p >= 0x80)
            p++;
          word = g_strndup (start, p - start);
          lower = g_utf8_strdown (word, -1);

          if (zone_minutes (word, &minutes) && (g_ascii_isupper (word[0]) || strlen (word) > 1))
            {
              g_clear_pointer (&zone, g_time_zone_unref);
              g_free (zone_name);
              zone_name = g_strdup (word);
              /* "UTC+7", "GMT+07:00" */
              if ((*p == '+' || *p == '-') && g_ascii_isdigit (p[1]))
                {
                  int extra;
                  const char *end;

                  if (read_offset (p, &extra, &end))
                    {
                      minutes += extra;
                      g_free (zone_name);
                      zone_name = g_strndup (start, end - start);
                      p = end;
                    }
                }
              zone = zone_at_offset (minutes);
            }
          else if (strcmp (lower, "am") == 0 || strcmp (lower, "a") == 0)
            pm = 0;
          else if (strcmp (lower, "pm") == 0 || strcmp (lower, "p") == 0)
            pm = 1;
          else if (strlen (lower) >= 3 && (m = month_from_word (lower)) != 0 && month == 0)
            month = m;
          continue;
        }

      p++;
    }

  if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31)
    return NULL;
  if (hour < 0)
    {
      if (need_time)
        return NULL;
      hour = 0;
    }
  if (pm == 1 && hour < 12)
    hour += 12;
  else if (pm == 0 && hour == 12)
    hour = 0;
  if (hour == 24 && minute == 0)
    {
      /* "24:00" is the end of the day: GDateTime wants the next one. */
      g_autoptr(GDateTime) end_of_day = g_date_time_new (zone != NULL ? zone : default_zone,
                                                         year, month, day, 23, 0, 0);

      result = end_of_day != NULL ? g_date_time_add_hours (end_of_day, 1) : NULL;
    }
  else
    result = g_date_time_new (zone != NULL ? zone : default_zone,
                              year, month, day, hour, minute, second > 59 ? 59 : second);

  if (result != NULL && out_zone_name != NULL)
    *out_zone_name = g_steal_pointer (&zone_name);
  return result;
}
