/* desk-language.c — which language a release is written in
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>
#include <textcat.h>
#include <unicode/uloc.h>
#include <unicode/ustring.h>

#include "desk-language.h"

#ifndef TEXTCAT_DATADIR
#define TEXTCAT_DATADIR "/usr/share/libexttextcat"
#endif

/* How a release is told:
 *
 * - Its letters are counted by script.  Kana, Hangul and Thai each belong
 *   to one of our languages, so they settle the question at once.
 * - Chinese is told Simplified or Traditional by the characters only one
 *   of the two writes.
 * - Indonesian and Malay, most of what this newsroom reads, are told by
 *   their words: the little words both use ("yang", "dengan", "untuk")
 *   make up a tenth or more of a text in either and next to nothing of a
 *   text in any other language, and the words the two standards choose
 *   differently tell which of the two.  textcat does no better (it takes
 *   Malay news for Indonesian) at ten times the cost.
 * - Anything else goes to libexttextcat, to a classifier holding only the
 *   languages written in that script: each model costs every release
 *   about a microsecond, and a Latin-script release need not be compared
 *   with Russian or Hindi.  When it answers Indonesian or Malay after all,
 *   the words decide between the two if they can.
 */

#define UNDETERMINED "und"

/* Scripts are counted, and Indonesian is told from Malay, over this much of
 * a release: enough to get past a headline, a dateline or an English wire
 * credit into the body, and a fixed cost however long the release is. */
#define SCAN_BYTES 2048

/* textcat sees at most this many characters of a release.  Each one adds
 * five n-grams to hash and rank, on top of what every call costs whatever
 * its length (textcat clears and walks a 64 KB table and sorts 400
 * n-grams): 65 µs a Latin-script release at 128 characters, 75 µs at 256.
 * On the UDHR texts that come with libexttextcat, Latin-script languages
 * stop gaining at about 200 characters.  Russian, which textcat takes for
 * Bulgarian, gains up to about 500, but at 30 µs more per call, and news
 * copy is easier than the UDHR. */
#define SAMPLE_CHARS 256

/* Less than this is a word or a headline: no script count or n-gram
 * profile can be trusted on it. */
#define MIN_WORDS          3
#define MIN_LETTERS        12
#define MIN_UNSPACED_CHARS 8

/* How many of a text's words, in per cent and at least, must be words
 * Indonesian and Malay share for the text to be in one of the two.  News
 * copy in either has 14 to 21 %, their UDHR 11 % and more.  The UDHR in
 * any other language libexttextcat has it in stays under 4 %, but for
 * Minangkabau, itself a Malayic language, at up to 12 %. */
#define MALAY_SHARED_PERCENT 10
#define MALAY_SHARED_MIN     6

/* Kana in at least this share of the CJK characters means Japanese: even
 * kanji-heavy Japanese needs kana for its grammar, and Chinese has none. */
#define KANA_PERCENT 10

/* GUnicodeScript values are below 200; one slot more is ours. */
#define N_SCRIPT_SLOTS 256

/* Not a script of GLib's: what kana and the kanji around it count as. */
#define SCRIPT_JAPANESE ((GUnicodeScript) (N_SCRIPT_SLOTS - 1))

#define HAN_FIRST 0x4E00
#define HAN_LAST  0x9FFF
#define HAN_WORDS ((HAN_LAST - HAN_FIRST + 1 + 63) / 64)

/* The models of one script, so that a release pays only for the languages
 * it could be written in.  A textcat handle compares every sample with
 * every model it holds, about a microsecond each. */
typedef struct
{
  GUnicodeScript  script;
  GPtrArray      *tags;        /* BCP-47, in the configuration's order */
  GString        *conf;        /* this script's lines, while loading */
  void           *textcat;     /* NULL when one tag is all there is */
  candidate_t    *candidates;
  GMutex          lock;        /* a textcat handle is not thread-safe */
} ScriptModels;

/* Built once, read-only afterwards but for the textcat handles. */
typedef struct
{
  GPtrArray  *scripts;         /* of ScriptModels */
  /* Characters only Simplified, or only Traditional, Chinese writes. */
  guint64     simplified[HAN_WORDS];
  guint64     traditional[HAN_WORDS];
  /* Words of Indonesian and Malay, to a MalayWord.  A word is looked up
   * only when its first and last letters are those of one of them. */
  GHashTable *malay_words;
  guint32     malay_word_ends[26];
  gboolean    knows_id_and_ms;
  /* English and German words no other Latin-script language we know
   * writes often, to a FunctionWord; see function_word_language(). */
  GHashTable *function_words;
  gboolean    knows_en_and_de;
} Detector;

typedef enum
{
  MALAY_WORD_MALAY = -1,
  MALAY_WORD_INDONESIAN = 1,
  MALAY_WORD_SHARED = 2,
} MalayWord;

/* What the words of a Latin-script release say about Indonesian and
 * Malay. */
typedef struct
{
  guint words;
  guint shared;     /* words both use, and no other language */
  guint affixed;    /* words with their affixes: -kan, -nya, meng-, meny- */
  int   score;      /* Indonesian words less Malay ones */
} MalayEvidence;

typedef struct
{
  guint letters[N_SCRIPT_SLOTS];
  guint words;
} ScriptTally;

/* Common characters the two Chinese scripts write differently.  Left out
 * are those Traditional also uses in another sense: 后 empress, 里 mile,
 * 台, 干, 只, 云, 周, 范 … */
static const char simplified_chars[] =
  "这们个为国说时会来对发经过动业实学开关长进现问题间东车门见产务与电场"
  "还没区计资应设将从网报万亿员总机术营书体称级际给达边华团该议认让论须"
  "项预领负责费购质联风无处两义乐头买卖价优传众亚极构条样标权欢气线组织"
  "统续维纪约观规视证语请读谈调贸银错阳险随难额马点党图围园圆广态战护据"
  "数断显济状独环画礼离种积稳简类红结绝继综罗职节药虽补装觉记许识诉词试"
  "话询详谁谢财货贵赛转软轻载输运选销闻队阶陆页顺顾频飞馆龙师热么";
static const char traditional_chars[] =
  "這們個為國說時會來對發經過動業實學開關長進現問題間東車門見產務與電場"
  "還沒區計資應設將從網報萬億員總機術營書體稱級際給達邊華團該議認讓論須"
  "項預領負責費購質聯風無處兩義樂頭買賣價優傳眾亞極構條樣標權歡氣線組織"
  "統續維紀約觀規視證語請讀談調貿銀錯陽險隨難額馬點黨圖圍園圓廣態戰護據"
  "數斷顯濟狀獨環畫禮離種積穩簡類紅結絕繼綜羅職節藥雖補裝覺記許識訴詞試"
  "話詢詳誰謝財貨貴賽轉軟輕載輸運選銷聞隊階陸頁順顧頻飛館龍師熱麼爲説衆"
  "週於裡臺後";

/* textcat's Indonesian and Malay fingerprints are too alike to settle the
 * question that matters most here; an editor would look at the words the
 * two standards spell or choose differently.  Only words the other side
 * does not also use in another sense are listed: "negeri" is a Malaysian
 * state but also Indonesia's "luar negeri", "pejabat" a Malaysian office
 * but an Indonesian official, "perusahaan" an Indonesian company but
 * Malaysia's industry, "percuma" free or in vain, "wang" money or Mr Wang,
 * "dasar" a policy or a basis. */
static const char * const indonesian_words[] = {
  "bahwa", "karena", "yaitu", "kantor", "uang", "bisa", "kebijakan",
  "resmi", "informasi", "pernyataan", "internasional", "aktivitas",
  "kualitas", "fasilitas", "universitas", "komunitas", "kapasitas",
  "identitas", "prioritas", "gratis", "proyek", "penelitian", "pasokan",
  "karyawan", "sekretaris", "ujar", "pers", "wisata", "inggris", "jepang",
  "prancis", "spanyol", "pemerintah", "mobil", "saja", "bahwasanya",
  "konfirmasi", "mengonfirmasi", "mengkonfirmasi", "dikonfirmasi",
};
static const char * const malaysian_words[] = {
  "bahawa", "kerana", "iaitu", "syarikat", "rasmi", "pelbagai", "maklumat",
  "antarabangsa", "aktiviti", "kualiti", "fasiliti", "universiti",
  "komuniti", "kapasiti", "identiti", "keutamaan", "projek",
  "penyelidikan", "bekalan", "kakitangan", "setiausaha", "akhbar",
  "pelancongan", "inggeris", "jepun", "perancis", "sepanyol", "sahaja",
  "selepas", "terjejas", "baharu", "sebarang", "menerusi", "manakala",
  "tempoh", "bahawasanya",
};

/* The commonest words Indonesian and Malay share, leaving out those other
 * languages use as often: "di" is Italian, "dan" Dutch, "para" Spanish. */
static const char * const shared_malay_words[] = {
  "yang", "dari", "untuk", "dengan", "ini", "itu", "dalam", "pada", "akan",
  "oleh", "juga", "tidak", "telah", "sebagai", "adalah", "kepada", "mereka",
  "kami", "lebih", "serta", "tersebut", "antara", "sudah", "hanya",
  "masih", "secara", "namun", "sejak", "hingga", "sehingga", "selama",
  "setelah", "bagi", "atau",
};

/* The script of a letter, COMMON for anything that is not part of a word.
 * Ranges first: g_unichar_get_script() searches a table for everything
 * above U+2000, and CJK text is nothing but such characters. */
static inline GUnicodeScript
letter_script (gunichar c)
{
  if (c < 0x80)
    return g_ascii_isalpha (c) ? G_UNICODE_SCRIPT_LATIN
                               : G_UNICODE_SCRIPT_COMMON;
  if (c >= HAN_FIRST && c <= HAN_LAST)
    return G_UNICODE_SCRIPT_HAN;
  if (c >= 0xAC00 && c <= 0xD7A3)
    return G_UNICODE_SCRIPT_HANGUL;
  if (c >= 0x3041 && c <= 0x30FA)
    return c <= 0x309F ? G_UNICODE_SCRIPT_HIRAGANA : G_UNICODE_SCRIPT_KATAKANA;
  if (c >= 0x3000 && c <= 0x303F)
    return G_UNICODE_SCRIPT_COMMON;  /* CJK punctuation */
  return g_unichar_get_script (c);
}

static inline gboolean
script_is_letter (GUnicodeScript script)
{
  return script != G_UNICODE_SCRIPT_COMMON &&
         script != G_UNICODE_SCRIPT_INHERITED &&
         script != G_UNICODE_SCRIPT_UNKNOWN &&
         script != G_UNICODE_SCRIPT_INVALID_CODE;
}

/* Scripts written without spaces between words. */
static gboolean
script_is_unspaced (GUnicodeScript script)
{
  switch ((int) script)
    {
    case G_UNICODE_SCRIPT_HAN:
    case SCRIPT_JAPANESE:
    case G_UNICODE_SCRIPT_THAI:
    case G_UNICODE_SCRIPT_LAO:
    case G_UNICODE_SCRIPT_KHMER:
    case G_UNICODE_SCRIPT_MYANMAR:
      return TRUE;
    default:
      return FALSE;
    }
}

/* @text must be valid UTF-8. */
static void
script_tally_add (ScriptTally *tally,
                  const char  *text,
                  gsize        len)
{
  const char *end = text + len;
  gboolean in_word = FALSE;

  for (const char *p = text; p < end; )
    {
      GUnicodeScript script;

      if ((guchar) *p < 0x80)
        {
          script = g_ascii_isalpha (*p) ? G_UNICODE_SCRIPT_LATIN
                                        : G_UNICODE_SCRIPT_COMMON;
          p++;
        }
      else
        {
          script = letter_script (g_utf8_get_char (p));
          p = g_utf8_next_char (p);
        }

      if (script_is_letter (script))
        {
          if ((guint) script < (guint) SCRIPT_JAPANESE)
            tally->letters[script]++;
          if (!in_word)
            tally->words++;
          in_word = TRUE;
        }
      else if (script != G_UNICODE_SCRIPT_INHERITED)
        {
          in_word = FALSE;
        }
    }
}

/* The script most of the text is in, and how many letters of it there are.
 * A CJK character weighs two letters, as it carries about what a short
 * word does: a Chinese release full of English brand names is Chinese.
 * Kanji count as Japanese when there is kana enough among them. */
static GUnicodeScript
script_tally_dominant (const ScriptTally *tally,
                       guint             *letters)
{
  guint kana = tally->letters[G_UNICODE_SCRIPT_HIRAGANA] +
               tally->letters[G_UNICODE_SCRIPT_KATAKANA];
  guint cjk = kana + tally->letters[G_UNICODE_SCRIPT_HAN];
  GUnicodeScript best = G_UNICODE_SCRIPT_COMMON;
  guint best_weight = 0;

  *letters = 0;
  for (guint s = 0; s < N_SCRIPT_SLOTS; s++)
    {
      guint weight = tally->letters[s];

      if (weight == 0 ||
          s == G_UNICODE_SCRIPT_HIRAGANA ||
          s == G_UNICODE_SCRIPT_KATAKANA ||
          s == G_UNICODE_SCRIPT_HAN)
        continue;
      if (s == G_UNICODE_SCRIPT_HANGUL)
        weight *= 2;
      if (weight > best_weight)
        {
          best = (GUnicodeScript) s;
          best_weight = weight;
          *letters = tally->letters[s];
        }
    }

  if (cjk > 0 && 2 * cjk > best_weight)
    {
      *letters = cjk;
      if (100 * kana >= KANA_PERCENT * cjk)
        return SCRIPT_JAPANESE;
      return G_UNICODE_SCRIPT_HAN;
    }

  return best;
}

/* The script a fingerprint file is written in, from its n-grams. */
static GUnicodeScript
model_script (const char *path)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  ScriptTally tally;
  guint letters;

  if (!g_file_get_contents (path, &contents, NULL, NULL) ||
      !g_utf8_validate (contents, -1, NULL))
    return G_UNICODE_SCRIPT_INVALID_CODE;

  memset (&tally, 0, sizeof tally);
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    script_tally_add (&tally, lines[i], strcspn (lines[i], " \t"));

  return script_tally_dominant (&tally, &letters);
}

/* Our configuration names languages in BCP-47 already; Debian's fpdb.conf
 * names them the way OpenOffice.org did ("en--utf8", "zh-CN-utf8",
 * "az-cyrillic-utf8", "sh--utf8"). */
static char *
tag_from_textcat_id (const char *id)
{
  static const struct { const char *id, *tag; } renamed[] = {
    { "zh-CN", "zh-Hans" },
    { "zh-TW", "zh-Hant" },
    { "az-cyrillic", "az-Cyrl" },
    { "sr", "sr-Cyrl" },
    { "sh", "sr-Latn" },
    { "ha-NG", "ha" },
  };
  g_autofree char *base = NULL;
  gsize len;

  if (!g_str_has_suffix (id, "utf8"))
    return g_strdup (id);

  len = strlen (id) - strlen ("utf8");
  while (len > 0 && id[len - 1] == '-')
    len--;
  base = g_strndup (id, len);

  for (guint i = 0; i < G_N_ELEMENTS (renamed); i++)
    if (g_str_equal (base, renamed[i].id))
      return g_strdup (renamed[i].tag);

  return g_steal_pointer (&base);
}

static char *
find_models_conf (const char *prefix)
{
  const char *env = g_getenv ("COPYDESK_LANGUAGE_MODELS");
  const char *installed[] = {
#ifdef PKGDATADIR
    PKGDATADIR "/language-models.conf",
#endif
#ifdef COPYDESK_SOURCE_DATADIR
    COPYDESK_SOURCE_DATADIR "/language-models.conf",
#endif
    NULL,
  };

  if (env != NULL && *env != '\0')
    {
      if (g_file_test (env, G_FILE_TEST_IS_REGULAR))
        return g_strdup (env);
      g_warning ("COPYDESK_LANGUAGE_MODELS is %s, which is not a file; "
                 "using the installed list of languages instead", env);
    }

  for (guint i = 0; installed[i] != NULL; i++)
    if (g_file_test (installed[i], G_FILE_TEST_IS_REGULAR))
      return g_strdup (installed[i]);

  /* Every language Debian has a fingerprint for: right, but slower. */
  return g_build_filename (prefix, "fpdb.conf", NULL);
}

static ScriptModels *
detector_models_for (Detector       *detector,
                     GUnicodeScript  script)
{
  for (guint i = 0; i < detector->scripts->len; i++)
    {
      ScriptModels *models = g_ptr_array_index (detector->scripts, i);

      if (models->script == script)
        return models;
    }

  return NULL;
}

/* textcat reads its configuration from a file only, and one handle per
 * script needs a file per script. */
static void *
textcat_new_for_conf (const char  *conf,
                      const char  *prefix,
                      GError     **error)
{
  g_autofree char *path = NULL;
  void *textcat;
  int fd;

  fd = g_file_open_tmp ("copydesk-textcat-XXXXXX.conf", &path, error);
  if (fd < 0)
    return NULL;
  if (!g_close (fd, error) ||
      !g_file_set_contents (path, conf, -1, error))
    {
      g_unlink (path);
      return NULL;
    }

  textcat = special_textcat_Init (path, prefix);
  g_unlink (path);

  if (textcat == NULL)
    g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED,
                 _("libexttextcat could not load its fingerprints from %s"),
                 prefix);

  return textcat;
}

/* Reads the configuration in textcat's format, a fingerprint file and a
 * name per line, and sorts the models by the script they are in. */
static gboolean
detector_load (Detector    *detector,
               const char  *conf_path,
               const char  *prefix,
               GError     **error)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;

  if (!g_file_get_contents (conf_path, &contents, NULL, error))
    return FALSE;

  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) tokens = NULL;
      g_autofree char *lm_path = NULL;
      g_autofree char *tag = NULL;
      const char *fields[2] = { NULL, NULL };
      guint n_fields = 0;
      ScriptModels *models;
      GUnicodeScript script;
      char *comment = strchr (lines[i], '#');

      if (comment != NULL)
        *comment = '\0';
      tokens = g_strsplit_set (lines[i], " \t\r", -1);
      for (guint t = 0; tokens[t] != NULL && n_fields < 2; t++)
        if (*tokens[t] != '\0')
          fields[n_fields++] = tokens[t];
      if (n_fields < 2)
        continue;

      lm_path = g_strconcat (prefix, fields[0], NULL);
      script = model_script (lm_path);
      if (script == G_UNICODE_SCRIPT_INVALID_CODE)
        {
          g_warning ("Language model %s (line %u of %s) cannot be read; "
                     "that language will not be recognised",
                     lm_path, i + 1, conf_path);
          continue;
        }

      models = detector_models_for (detector, script);
      if (models == NULL)
        {
          models = g_new0 (ScriptModels, 1);
          models->script = script;
          models->tags = g_ptr_array_new_with_free_func (g_free);
          models->conf = g_string_new (NULL);
          g_mutex_init (&models->lock);
          g_ptr_array_add (detector->scripts, models);
        }

      tag = tag_from_textcat_id (fields[1]);
      g_string_append_printf (models->conf, "%s %s\n", fields[0], tag);
      g_ptr_array_add (models->tags, g_steal_pointer (&tag));
    }

  for (guint i = 0; i < detector->scripts->len; i++)
    {
      ScriptModels *models = g_ptr_array_index (detector->scripts, i);
      g_autoptr(GError) local_error = NULL;

      if (models->tags->len > 1)
        {
          models->textcat = textcat_new_for_conf (models->conf->str, prefix,
                                                  &local_error);
          if (models->textcat != NULL)
            models->candidates =
              textcat_GetClassifyFullOutput (models->textcat);
          else
            {
              g_warning ("%s and %s will not be recognised: %s",
                         (char *) g_ptr_array_index (models->tags, 0),
                         (char *) g_ptr_array_index (models->tags, 1),
                         local_error->message);
              g_ptr_array_set_size (models->tags, 0);
            }
        }
      g_string_free (models->conf, TRUE);
      models->conf = NULL;
    }

  if (detector->scripts->len == 0)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT,
                   _("%s names no language model found in %s"),
                   conf_path, prefix);
      return FALSE;
    }

  return TRUE;
}

static void
detector_set_chars (guint64    *bits,
                    const char *chars)
{
  for (const char *p = chars; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      g_assert (c >= HAN_FIRST && c <= HAN_LAST);
      bits[(c - HAN_FIRST) / 64] |=
        G_GUINT64_CONSTANT (1) << ((c - HAN_FIRST) % 64);
    }
}

static void
detector_add_words (Detector           *detector,
                    const char * const *words,
                    gsize               n_words,
                    MalayWord           kind)
{
  for (gsize i = 0; i < n_words; i++)
    {
      const char *word = words[i];
      gsize last = strlen (word) - 1;

      g_hash_table_insert (detector->malay_words, (gpointer) word,
                           GINT_TO_POINTER (kind));
      detector->malay_word_ends[word[0] - 'a'] |= 1u << (word[last] - 'a');
    }
}

typedef enum
{
  FUNCTION_WORD_ENGLISH = 1,
  FUNCTION_WORD_GERMAN = 2,
} FunctionWord;

/* Frequent words of English and of German that are not frequent words of
 * any other Latin-script language in language-models.conf: "of", "to",
 * "is", "was", "for" (Dutch, Polish, Danish...) and "der", "den", "des",
 * "das", "mit", "wie", "werden" (Danish, Swedish, French, Portuguese,
 * Dutch) are left out on purpose. */
static const char * const english_function_words[] = {
  "the", "and", "that", "with", "which", "have", "from", "this", "were",
  "been", "would", "their", "they", "will", "has", "said", "its", "into",
};
static const char * const german_function_words[] = {
  "und", "nicht", "ist", "sich", "auch", "dass", "wird", "eine", "einer",
  "einen", "einem", "nach", "sind", "oder", "aber", "noch", "zum", "zur",
  "bei", "ich", "die", "vom", "wurde",
};

/* At least this many function words of one of the two languages, making
 * at least this share of the words, and four times as many as of the
 * other, tell the language without textcat. */
#define FUNCTION_WORDS_MIN      6
#define FUNCTION_WORDS_PERCENT  8

/* "en" or "de" when @text's ASCII words say so beyond doubt, else NULL
 * (and textcat decides, as before).  @others counts words of other
 * languages found already (Indonesian and Malay ones): a text mixing
 * languages is left to textcat. */
static const char *
function_word_language (Detector   *detector,
                        const char *text,
                        gsize       len,
                        guint       others)
{
  const char *end = text + len;
  char word[8];
  gsize n = 0;
  gboolean plain = TRUE;
  guint words = 0, english = 0, german = 0;

  for (const char *p = text; p <= end; p++)
    {
      char c = p < end ? *p : ' ';

      if (g_ascii_isalpha (c))
        {
          if (n < sizeof word - 1)
            word[n++] = (char) (c | 0x20);
          else
            plain = FALSE;
        }
      else if ((guchar) c >= 0x80)
        {
          plain = FALSE;
        }
      else if (n > 0)
        {
          words++;
          if (plain && n >= 3)
            {
              word[n] = '\0';
              switch (GPOINTER_TO_INT (g_hash_table_lookup (detector->function_words, word)))
                {
                case FUNCTION_WORD_ENGLISH:
                  english++;
                  break;
                case FUNCTION_WORD_GERMAN:
                  german++;
                  break;
                default:
                  break;
                }
            }
          n = 0;
          plain = TRUE;
        }
      else
        {
          plain = TRUE;
        }
    }

  if (english >= FUNCTION_WORDS_MIN && 100 * english >= FUNCTION_WORDS_PERCENT * words &&
      english >= 4 * (german + others))
    return "en";
  if (german >= FUNCTION_WORDS_MIN && 100 * german >= FUNCTION_WORDS_PERCENT * words &&
      german >= 4 * (english + others))
    return "de";
  return NULL;
}

static gpointer
detector_new (gpointer data G_GNUC_UNUSED)
{
  Detector *detector = g_new0 (Detector, 1);
  g_autoptr(GError) error = NULL;
  g_autofree char *prefix = NULL;
  g_autofree char *conf_path = NULL;
  const char *dir = g_getenv ("COPYDESK_TEXTCAT_DIR");
  ScriptModels *latin;

  if (dir == NULL || *dir == '\0')
    dir = TEXTCAT_DATADIR;
  /* textcat puts the prefix and a file name together as they are. */
  prefix = g_str_has_suffix (dir, G_DIR_SEPARATOR_S)
           ? g_strdup (dir)
           : g_strconcat (dir, G_DIR_SEPARATOR_S, NULL);

  detector_set_chars (detector->simplified, simplified_chars);
  detector_set_chars (detector->traditional, traditional_chars);

  detector->malay_words = g_hash_table_new (g_str_hash, g_str_equal);
  detector_add_words (detector, indonesian_words,
                      G_N_ELEMENTS (indonesian_words), MALAY_WORD_INDONESIAN);
  detector_add_words (detector, malaysian_words,
                      G_N_ELEMENTS (malaysian_words), MALAY_WORD_MALAY);
  detector_add_words (detector, shared_malay_words,
                      G_N_ELEMENTS (shared_malay_words), MALAY_WORD_SHARED);

  detector->function_words = g_hash_table_new (g_str_hash, g_str_equal);
  for (gsize i = 0; i < G_N_ELEMENTS (english_function_words); i++)
    g_hash_table_insert (detector->function_words, (gpointer) english_function_words[i],
                         GINT_TO_POINTER (FUNCTION_WORD_ENGLISH));
  for (gsize i = 0; i < G_N_ELEMENTS (german_function_words); i++)
    g_hash_table_insert (detector->function_words, (gpointer) german_function_words[i],
                         GINT_TO_POINTER (FUNCTION_WORD_GERMAN));

  detector->scripts = g_ptr_array_new ();
  conf_path = find_models_conf (prefix);
  if (!detector_load (detector, conf_path, prefix, &error))
    g_warning ("Languages cannot be told apart, every release will be "
               "of undetermined language: %s", error->message);

  latin = detector_models_for (detector, G_UNICODE_SCRIPT_LATIN);
  detector->knows_id_and_ms =
    latin != NULL &&
    g_ptr_array_find_with_equal_func (latin->tags, "id", g_str_equal, NULL) &&
    g_ptr_array_find_with_equal_func (latin->tags, "ms", g_str_equal, NULL);
  detector->knows_en_and_de =
    latin != NULL &&
    g_ptr_array_find_with_equal_func (latin->tags, "en", g_str_equal, NULL) &&
    g_ptr_array_find_with_equal_func (latin->tags, "de", g_str_equal, NULL);

  return detector;
}

static Detector *
detector_get (void)
{
  static GOnce once = G_ONCE_INIT;

  return g_once (&once, detector_new, NULL);
}

/* The letters of @script in @text, lower-cased, a space between words:
 * what textcat should weigh, without the punctuation, figures, URLs and
 * names in other scripts that only blur its n-grams.  At most SAMPLE_CHARS
 * characters into @sample, which holds 4 * SAMPLE_CHARS + 1 bytes. */
static gsize
sample_for_textcat (const char     *text,
                    gsize           len,
                    GUnicodeScript  script,
                    char           *sample)
{
  const char *end = text + len;
  gboolean in_word = FALSE;
  guint chars = 0;
  gsize n = 0;

  for (const char *p = text; p < end && chars < SAMPLE_CHARS; )
    {
      gunichar c;
      GUnicodeScript s;

      if ((guchar) *p < 0x80)
        {
          c = (guchar) *p++;
          s = g_ascii_isalpha (c) ? G_UNICODE_SCRIPT_LATIN
                                  : G_UNICODE_SCRIPT_COMMON;
        }
      else
        {
          c = g_utf8_get_char (p);
          p = g_utf8_next_char (p);
          s = letter_script (c);
        }

      if (s != script && !(s == G_UNICODE_SCRIPT_INHERITED && in_word))
        {
          in_word = FALSE;
          continue;
        }

      if (!in_word && n > 0)
        {
          sample[n++] = ' ';
          chars++;
        }
      if (c < 0x80)
        sample[n++] = (char) (c | 0x20);  /* an ASCII letter, lower-cased */
      else
        n += g_unichar_to_utf8 (g_unichar_tolower (c), sample + n);
      chars++;
      in_word = TRUE;
    }

  sample[n] = '\0';
  return n;
}

/* textcat's first choice for @text among @models, or NULL when it cannot
 * tell: more than five languages within its 3 % margin of the best. */
static const char *
textcat_best (ScriptModels   *models,
              const char     *text,
              gsize           len,
              GUnicodeScript  script)
{
  char sample[4 * SAMPLE_CHARS + 1];
  const char *best = NULL;
  gsize n;

  n = sample_for_textcat (text, len, script, sample);
  if (n == 0)
    return NULL;

  g_mutex_lock (&models->lock);
  /* Candidates come best first.  Their names belong to the handle, which
   * lives as long as the process. */
  if (textcat_ClassifyFull (models->textcat, sample, n, models->candidates) > 0)
    best = models->candidates[0].name;
  g_mutex_unlock (&models->lock);

  return best;
}

/* Counts the words of @text, those Indonesian and Malay share, and those
 * only one of them uses. */
static void
malay_evidence (Detector      *detector,
                const char    *text,
                gsize          len,
                MalayEvidence *evidence)
{
  const char *end = text + len;
  char word[16];
  gsize n = 0;
  gboolean plain = TRUE;

  memset (evidence, 0, sizeof *evidence);

  for (const char *p = text; p <= end; p++)
    {
      char c = p < end ? *p : ' ';

      if (g_ascii_isalpha (c))
        {
          if (n < sizeof word - 1)
            word[n++] = (char) (c | 0x20);
          else
            plain = FALSE;
        }
      else if ((guchar) c >= 0x80)
        {
          plain = FALSE;
        }
      else if (n > 0)
        {
          guint32 ends = detector->malay_word_ends[word[0] - 'a'];

          evidence->words++;
          if (plain && n >= 5 &&
              (memcmp (word + n - 3, "kan", 3) == 0 || memcmp (word + n - 3, "nya", 3) == 0 ||
               (n >= 6 && (memcmp (word, "meng", 4) == 0 || memcmp (word, "meny", 4) == 0))))
            evidence->affixed++;
          if (plain && n >= 3 && (ends >> (word[n - 1] - 'a')) & 1)
            {
              gpointer kind;

              word[n] = '\0';
              kind = g_hash_table_lookup (detector->malay_words, word);
              if (GPOINTER_TO_INT (kind) == MALAY_WORD_SHARED)
                evidence->shared++;
              else
                evidence->score += GPOINTER_TO_INT (kind);
            }
          n = 0;
          plain = TRUE;
        }
      else
        {
          plain = TRUE;
        }
    }
}

static gboolean
is_indonesian_or_malay (const MalayEvidence *evidence)
{
  return evidence->shared >= MALAY_SHARED_MIN &&
         100 * evidence->shared >= MALAY_SHARED_PERCENT * evidence->words;
}

static inline gboolean
han_bit (const guint64 *bits,
         gunichar       c)
{
  return (bits[(c - HAN_FIRST) / 64] >> ((c - HAN_FIRST) % 64)) & 1;
}

/* Simplified or Traditional Chinese, by the characters only one of them
 * writes; textcat decides when there are none, or as many of each. */
static const char *
chinese_variant (Detector   *detector,
                 const char *text,
                 gsize       len)
{
  const char *end = text + len;
  guint simplified = 0;
  guint traditional = 0;
  ScriptModels *models;
  const char *best = NULL;

  for (const char *p = text; p < end; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c < HAN_FIRST || c > HAN_LAST)
        continue;
      simplified += han_bit (detector->simplified, c);
      traditional += han_bit (detector->traditional, c);
    }

  if (simplified > traditional)
    return "zh-Hans";
  if (traditional > simplified)
    return "zh-Hant";

  models = detector_models_for (detector, G_UNICODE_SCRIPT_HAN);
  if (models != NULL && models->textcat != NULL)
    best = textcat_best (models, text, len, G_UNICODE_SCRIPT_HAN);
  if (best != NULL && g_str_has_prefix (best, "zh-"))
    return best;
  return "zh";
}

/* g_utf8_validate_len (@text, @len, NULL), with the ASCII between
 * characters past it read eight bytes at a time: GLib's byte at a time
 * was an eighth of the language step's instructions.  A run of bytes past
 * ASCII begins where a character does and ends before an ASCII byte,
 * which no character continues into: each run is valid when GLib finds
 * it so, and a NUL fails as it fails there. */
static gboolean
utf8_valid (const char *text,
            gsize       len)
{
  const guchar *p = (const guchar *) text;
  const guchar *end = p + len;

  while (p < end)
    {
      const guchar *run;

      while (end - p >= 8)
        {
          guint64 w;

          memcpy (&w, p, sizeof w);
          /* Past ASCII, or a NUL, somewhere in the eight bytes? */
          if ((w & G_GUINT64_CONSTANT (0x8080808080808080)) != 0 ||
              ((w - G_GUINT64_CONSTANT (0x0101010101010101)) & ~w & G_GUINT64_CONSTANT (0x8080808080808080)) != 0)
            break;
          p += 8;
        }
      while (p < end && *p != 0 && *p < 0x80)
        p++;
      if (p >= end)
        break;
      if (*p == 0)
        return FALSE;
      run = p;
      while (p < end && *p >= 0x80)
        p++;
      if (!g_utf8_validate_len ((const char *) run, (gsize) (p - run), NULL))
        return FALSE;
    }
  return TRUE;
}

/* @len, or less so as not to end in the middle of a character. */
static gsize
utf8_whole_chars (const char *text,
                  gsize       len)
{
  gsize lead = len;

  while (lead > 0 && len - lead < 3 &&
         ((guchar) text[lead - 1] & 0xC0) == 0x80)
    lead--;
  if (lead == 0 || (guchar) text[lead - 1] < 0xC0)
    return len;

  lead--;
  return lead + g_utf8_skip[(guchar) text[lead]] > len ? lead : len;
}

char *
desk_language_detect (const char *text,
                      gssize      len)
{
  g_autofree char *repaired = NULL;
  Detector *detector;
  ScriptModels *models;
  ScriptTally tally;
  GUnicodeScript script;
  MalayEvidence evidence = { 0, 0, 0 };
  const char *tag;
  guint letters;
  gsize scan;

  if (text == NULL)
    return g_strdup (UNDETERMINED);

  /* Only the beginning counts, so that a 200 KB release costs what a short
   * one does. */
  scan = len < 0 ? strnlen (text, SCAN_BYTES) : MIN ((gsize) len, SCAN_BYTES);
  scan = utf8_whole_chars (text, scan);

  /* A stray byte that is not UTF-8 (a feed that lies about its charset)
   * must not hide the rest of the release. */
  if (!utf8_valid (text, scan))
    {
      repaired = g_utf8_make_valid (text, scan);
      text = repaired;
      scan = strlen (repaired);
    }

  memset (&tally, 0, sizeof tally);
  script_tally_add (&tally, text, scan);
  script = script_tally_dominant (&tally, &letters);

  if (script_is_unspaced (script)
      ? letters < MIN_UNSPACED_CHARS
      : (tally.words < MIN_WORDS || letters < MIN_LETTERS))
    return g_strdup (UNDETERMINED);

  /* Without models nothing is told, so that a broken installation shows
   * as such rather than as a few languages that still work. */
  detector = detector_get ();
  if (detector->scripts->len == 0)
    return g_strdup (UNDETERMINED);

  /* Scripts only one of our languages is written in need no textcat. */
  switch ((int) script)
    {
    case SCRIPT_JAPANESE:
      return g_strdup ("ja");
    case G_UNICODE_SCRIPT_HANGUL:
      return g_strdup ("ko");
    case G_UNICODE_SCRIPT_THAI:
      return g_strdup ("th");
    default:
      break;
    }

  if (script == G_UNICODE_SCRIPT_HAN)
    return g_strdup (chinese_variant (detector, text, scan));

  models = detector_models_for (detector, script);
  if (models == NULL || models->tags->len == 0)
    return g_strdup (UNDETERMINED);
  if (models->textcat == NULL)
    return g_strdup (g_ptr_array_index (models->tags, 0));

  if (script == G_UNICODE_SCRIPT_LATIN)
    {
      malay_evidence (detector, text, scan, &evidence);
      if (detector->knows_id_and_ms &&
          is_indonesian_or_malay (&evidence) &&
          evidence.score != 0)
        return g_strdup (evidence.score > 0 ? "id" : "ms");

      /* English and German, the next most common on the desk, by their
       * function words: textcat costs a third of an English import. */
      if (detector->knows_en_and_de && !is_indonesian_or_malay (&evidence))
        {
          const char *told = function_word_language (detector, text, scan, evidence.shared);

          if (told != NULL)
            return g_strdup (told);
        }
    }

  tag = textcat_best (models, text, scan, script);
  /* textcat gives no answer on a short text that several languages could
   * have written (a ministry's statement of three sentences from a feed,
   * with few of the function words malay_evidence() counts): one in ten
   * of its words Indonesian or Malay by their function words or their
   * affixes ("mengumumkan", "kegiatannya") is one of them, Indonesian,
   * the desk's own, unless its words say Malay. */
  if (tag == NULL && script == G_UNICODE_SCRIPT_LATIN && detector->knows_id_and_ms &&
      evidence.shared + evidence.affixed >= 4 &&
      10 * (evidence.shared + evidence.affixed) >= evidence.words)
    return g_strdup (evidence.score < 0 ? "ms" : "id");
  if (tag == NULL)
    return g_strdup (UNDETERMINED);

  /* textcat's Indonesian and Malay are too alike to trust with the
   * choice between them. */
  if (script == G_UNICODE_SCRIPT_LATIN &&
      (g_str_equal (tag, "id") || g_str_equal (tag, "ms")) &&
      evidence.score != 0)
    tag = evidence.score > 0 ? "id" : "ms";

  return g_strdup (tag);
}

/* A language's name as an editor reads it, in the language of the user
 * interface: "Indonesian" (or "Indonesia" in Indonesian) for "id",
 * "Chinese (Simplified)" for "zh-Hans"; "Unknown language" for "und" or
 * nothing.  A code ICU does not know is shown as it is. */
char *
desk_language_get_display_name (const char *code)
{
  g_autofree char *display_locale = g_strdup (g_get_language_names ()[0]);
  g_autofree char *utf8 = NULL;
  char first[8] = { 0 };
  UChar name[128];
  UErrorCode status = U_ZERO_ERROR;
  char *end;
  int32_t len;

  if (code == NULL || *code == '\0' || g_str_equal (code, "und"))
    return g_strdup (_("Unknown language"));

  /* "id_ID.UTF-8" → "id_ID": the locale ICU names the language in. */
  if ((end = strpbrk (display_locale, ".@")) != NULL)
    *end = '\0';
  if (g_str_equal (display_locale, "C") || g_str_equal (display_locale, "POSIX"))
    {
      g_free (display_locale);
      display_locale = g_strdup ("en");
    }

  len = uloc_getDisplayName (code, display_locale, name, G_N_ELEMENTS (name), &status);
  if (U_FAILURE (status) || len <= 0)
    return g_strdup (code);
  utf8 = g_utf16_to_utf8 ((const gunichar2 *) name, len, NULL, NULL, NULL);
  if (utf8 == NULL || *utf8 == '\0')
    return g_strdup (code);
  /* ICU writes "indonesia" in Indonesian: a name starts with a capital. */
  g_unichar_to_utf8 (g_unichar_totitle (g_utf8_get_char (utf8)), first);
  return g_strconcat (first, g_utf8_next_char (utf8), NULL);
}
