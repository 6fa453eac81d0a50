/* desk-disclosure.c — the label sponsored copy goes out with
 *
 * The labels are a setting (disclosure-labels, language tag → label), so
 * a newsroom words them as its readers expect.  Export and publishing ask
 * for the label of the copy's language.
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <gio/gio.h>
#include <glib/gi18n-lib.h>

#include "desk-disclosure.h"
#include "desk-settings.h"

/* The settings' labels, or the built-in ones where the schema is not
 * installed. */
static GVariant *
load_labels (void)
{
  g_autoptr(GSettings) settings = desk_settings_new_if_installed ("disclosure-labels");

  if (settings == NULL)
    return desk_disclosure_dup_default_labels ();
  return g_settings_get_value (settings, "disclosure-labels");
}

/* The labels a desk has before anyone sets them: the same as the
 * schema's default (a test compares the two), so that copy run from an
 * uninstalled build, with no schema, is labelled as an installed one. */
static const struct {
  const char *tag;
  const char *label;
} default_labels[] = {
  { "en", "Sponsored content" },
  { "id", "Konten bersponsor" },
  { "ms", "Kandungan tajaan" },
  { "de", "Anzeige" },
  { "fr", "Contenu sponsorisé" },
  { "es", "Contenido patrocinado" },
  { "pt", "Conteúdo patrocinado" },
  { "it", "Contenuto sponsorizzato" },
  { "nl", "Gesponsorde inhoud" },
  { "ru", "На правах рекламы" },
  { "tr", "Sponsorlu içerik" },
  { "pl", "Artykuł sponsorowany" },
  { "ar", "محتوى مدعوم" },
  { "ja", "広告" },
  { "ko", "광고" },
  { "zh", "赞助内容" },
  { "zh-Hant", "贊助內容" },
  { "vi", "Nội dung được tài trợ" },
  { "th", "เนื้อหาที่ได้รับการสนับสนุน" },
};

/* The built-in labels as a dictionary, like the setting. */
GVariant *
desk_disclosure_dup_default_labels (void)
{
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a{ss}"));
  for (guint i = 0; i < G_N_ELEMENTS (default_labels); i++)
    g_variant_builder_add (&builder, "{ss}", default_labels[i].tag, default_labels[i].label);
  return g_variant_ref_sink (g_variant_builder_end (&builder));
}

static char *
lookup (GVariant   *labels,
        const char *tag)
{
  const char *label = NULL;

  if (labels != NULL && g_variant_lookup (labels, tag, "&s", &label) && *label != '\0')
    return g_strdup (label);
  return NULL;
}

/* The disclosure label for copy in @language (BCP-47): the setting for
 * the whole tag ("zh-Hant-TW"), else for shorter forms of it ("zh-Hant",
 * "zh"), else the English one, else "Sponsored content" in the user's
 * language.  Never NULL. */
char *
desk_disclosure_label_for_language (const char *language)
{
  g_autoptr(GVariant) labels = load_labels ();
  g_autofree char *tag = g_strdup (language != NULL ? language : "");
  char *label;

  g_strdelimit (tag, "_", '-');
  while (*tag != '\0')
    {
      char *dash;

      if ((label = lookup (labels, tag)) != NULL)
        return label;
      dash = strrchr (tag, '-');
      if (dash == NULL)
        break;
      *dash = '\0';
    }

  if ((label = lookup (labels, "en")) != NULL)
    return label;
  return g_strdup (_("Sponsored content"));
}
