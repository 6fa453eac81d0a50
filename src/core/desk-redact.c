/* desk-redact.c — credentials out of messages that are stored or shown
 *
 * A server's error message may quote what it was sent: the Authorization
 * header, a password in a query or a form, the token it expected.  Every
 * message from a target that is stored (outbox.last_error, events) or
 * shown (standard error, the window) goes through desk_redact() first.
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "desk-redact.h"

typedef struct {
  const char *pattern;
  const char *replacement;
} Rule;

/* In order: a rule's replacement is never matched by a later one. */
static const Rule rules[] = {
  /* Authorization: Basic …, Proxy-Authorization: Bearer …, any scheme. */
  { "((?:proxy-)?authorization\"?\\s*[:=]\\s*\"?)(?:(?:basic|bearer|digest|token|negotiate|ntlm|hmac)\\s+)?[^\\s\",;]+",
    "\\1" DESK_REDACTED },
  /* The schemes on their own, as a message may quote only the value. */
  { "\\b(basic|bearer|digest|token)(\\s+)[A-Za-z0-9+/=._~-]{8,}", "\\1\\2" DESK_REDACTED },
  /* password=…, "password": "…", token: … in queries, forms and JSON. */
  { "((?:password|passwd|pwd|pass|secret|token|access_token|refresh_token|api_key|apikey|"
    "client_secret|application_password|app_password)\"?\\s*[:=]\\s*\"?)[^\\s\"&,;}]+",
    "\\1" DESK_REDACTED },
  /* user:password@ in an address. */
  { "(\\b[a-z][a-z0-9+.-]*://[^/\\s:@]+:)[^/\\s@]+@", "\\1" DESK_REDACTED "@" },
  /* A WordPress application password: six groups of four letters and
   * digits, with or without spaces. */
  { "\\b[A-Za-z0-9]{4}(?: [A-Za-z0-9]{4}){5}\\b", DESK_REDACTED },
  { "\\b(?=[A-Za-z0-9]{24}\\b)(?=[A-Za-z]*[0-9])(?=[0-9]*[A-Za-z])[A-Za-z0-9]{24}\\b", DESK_REDACTED },
};

static GRegex *
get_rule (guint index)
{
  static GRegex *compiled[G_N_ELEMENTS (rules)];

  if (g_once_init_enter (&compiled[index]))
    {
      g_autoptr(GError) error = NULL;
      GRegex *regex = g_regex_new (rules[index].pattern, G_REGEX_CASELESS | G_REGEX_OPTIMIZE, 0, &error);

      if (regex == NULL)
        g_error ("desk-redact: rule %u: %s", index, error->message);
      g_once_init_leave (&compiled[index], regex);
    }
  return compiled[index];
}

static char *
replace_all (const char *text,
             const char *needle,
             const char *with)
{
  g_auto(GStrv) parts = g_strsplit (text, needle, -1);

  return g_strjoinv (with, parts);
}

/* @text without credentials: Authorization header values (Basic, Bearer,
 * any scheme), password=, token=, "secret": …, user:password@ in
 * addresses, anything shaped like a WordPress application password, and
 * @secret itself (the target's own, if known; also base64-encoded, as in
 * a Basic header) wherever it appears verbatim.  NULL for NULL. */
char *
desk_redact (const char *text,
             const char *secret)
{
  g_autofree char *out = NULL;

  if (text == NULL)
    return NULL;
  out = g_utf8_make_valid (text, -1);

  if (secret != NULL && strlen (secret) >= 4)
    {
      g_autofree char *encoded = g_base64_encode ((const guchar *) secret, strlen (secret));
      g_autofree char *spaceless = NULL;
      char *next = replace_all (out, secret, DESK_REDACTED);

      g_free (out);
      out = next;
      next = replace_all (out, encoded, DESK_REDACTED);
      g_free (out);
      out = next;
      /* WordPress shows application passwords with spaces and takes them without. */
      spaceless = replace_all (secret, " ", "");
      if (strlen (spaceless) >= 4 && !g_str_equal (spaceless, secret))
        {
          next = replace_all (out, spaceless, DESK_REDACTED);
          g_free (out);
          out = next;
        }
    }

  for (guint i = 0; i < G_N_ELEMENTS (rules); i++)
    {
      char *next = g_regex_replace (get_rule (i), out, -1, 0, rules[i].replacement, 0, NULL);

      if (next != NULL)
        {
          g_free (out);
          out = next;
        }
    }
  return g_steal_pointer (&out);
}
