/* bench-util.c — the corpus every benchmark reads, and how they measure
 *
 * The corpus is what a South-East Asian copy desk receives: Indonesian
 * most, then English, German, Chinese, Thai and Japanese; syndicated
 * releases in the layouts of SeaPRwire, PR Newswire and Business Wire,
 * agency copy and plain press releases; from half a kilobyte to twenty.
 * The words are each language's common words with made-up names among
 * them (so the index grows as a real one does, and language detection and
 * the CJK/Thai tokenizer do the work they do on real copy).  One seed gives
 * the same corpus on every run.
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define _GNU_SOURCE
#include "bench-util.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <sched.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

typedef struct {
  const char         *tag;
  guint               share;      /* per cent of the mixed corpus */
  gboolean            unspaced;   /* zh, ja, th: words run together */
  const char         *full_stop;
  const char * const *words;
  const char * const *syllables;  /* for made-up names */
  const char         *about;      /* "About %s" */
  const char         *sector;
} Language;

static const char * const id_words[] = {
  "yang", "dan", "di", "ini", "dengan", "untuk", "dari", "dalam", "tidak", "akan", "pada", "juga",
  "itu", "ke", "oleh", "karena", "tersebut", "bisa", "ada", "mereka", "lebih", "tahun", "sudah",
  "saat", "kata", "menjadi", "kami", "telah", "sebagai", "masih", "hal", "harus", "pemerintah",
  "presiden", "menteri", "perusahaan", "pasar", "ekonomi", "negara", "kerja", "sama", "baru",
  "dapat", "setelah", "bahwa", "hingga", "seperti", "banyak", "sejumlah", "kebijakan", "rakyat",
  "investasi", "produk", "layanan", "pertumbuhan", "teknologi", "digital", "bank", "harga",
  "kenaikan", "penurunan", "laporan", "kuartal", "pendapatan", "masyarakat", "daerah", "kota",
  "program", "proyek", "pembangunan", "nasional", "internasional", "kerjasama", "mengatakan",
  "menurut", "tetapi", "namun", "selain", "antara", "kepada", "sekitar", "persen", "miliar",
  "rupiah", "diumumkan", "meluncurkan", "peningkatan", "industri", "energi", "pangan",
};
static const char * const en_words[] = {
  "the", "of", "and", "to", "in", "a", "is", "that", "for", "it", "as", "was", "with", "be", "by",
  "on", "not", "he", "this", "are", "or", "his", "from", "at", "which", "but", "have", "an",
  "had", "they", "you", "were", "their", "one", "all", "we", "can", "has", "there", "been",
  "if", "more", "when", "will", "would", "who", "so", "no", "company", "market", "growth",
  "customers", "announced", "today", "solutions", "global", "leading", "provider", "platform",
  "quarter", "revenue", "percent", "billion", "million", "industry", "technology", "services",
  "government", "minister", "said", "new", "year", "first", "people", "investment", "energy",
  "partnership", "expansion", "network", "region", "according", "report", "shares", "price",
  "demand", "supply", "data", "security", "financial", "results",
};
static const char * const de_words[] = {
  "der", "die", "und", "in", "den", "von", "zu", "das", "mit", "sich", "des", "auf", "für",
  "ist", "im", "dem", "nicht", "ein", "eine", "als", "auch", "es", "an", "werden", "aus", "er",
  "hat", "dass", "sie", "nach", "wird", "bei", "einer", "um", "am", "sind", "noch", "wie",
  "einem", "über", "einen", "so", "zum", "war", "haben", "nur", "oder", "aber", "vor", "zur",
  "bis", "mehr", "durch", "Unternehmen", "Markt", "Wachstum", "Kunden", "heute", "Lösungen",
  "weltweit", "führender", "Anbieter", "Quartal", "Umsatz", "Prozent", "Milliarden", "Millionen",
  "Industrie", "Technologie", "Regierung", "Minister", "sagte", "neue", "Jahr", "Menschen",
  "Investitionen", "Energie", "Partnerschaft", "Netzwerk", "Bericht", "Aktien", "Preis",
  "Nachfrage", "Sicherheit", "Ergebnisse", "Straße", "Größe",
};
static const char * const zh_words[] = {
  "的", "是", "在", "了", "和", "有", "我们", "公司", "市场", "发展", "中国", "经济", "政府",
  "企业", "技术", "服务", "产品", "客户", "合作", "投资", "增长", "全球", "领先", "提供",
  "宣布", "今天", "平台", "行业", "数据", "安全", "能源", "项目", "国际", "地区", "报告",
  "季度", "收入", "百分之", "亿元", "人民币", "表示", "根据", "但是", "同时", "以及", "通过",
  "进一步", "推动", "创新", "数字化", "金融", "银行", "价格", "需求", "供应", "消费者",
  "部长", "总统", "城市", "建设", "管理", "国家", "新闻", "发布会", "为了", "已经", "继续",
};
static const char * const ja_words[] = {
  "の", "に", "は", "を", "た", "が", "で", "て", "と", "し", "れ", "さ", "ある", "いる", "する",
  "から", "など", "として", "について", "本日", "発表", "会社", "株式会社", "市場", "成長",
  "顧客", "提供", "世界", "技術", "サービス", "製品", "事業", "開発", "投資", "政府", "経済",
  "日本", "東京", "四半期", "売上高", "億円", "パーセント", "プラットフォーム", "ソリューション",
  "データ", "セキュリティ", "エネルギー", "プロジェクト", "地域", "報告", "価格", "需要",
  "によると", "また", "さらに", "しかし", "新しい", "大きな", "取り組み", "推進", "強化",
};
static const char * const th_words[] = {
  "การ", "ที่", "และ", "ใน", "ของ", "เป็น", "ได้", "มี", "ให้", "ไม่", "จะ", "นี้", "กับ",
  "บริษัท", "ตลาด", "การเติบโต", "ลูกค้า", "ประกาศ", "วันนี้", "โซลูชัน", "ทั่วโลก", "ชั้นนำ",
  "ผู้ให้บริการ", "แพลตฟอร์ม", "ไตรมาส", "รายได้", "เปอร์เซ็นต์", "ล้าน", "พันล้าน", "อุตสาหกรรม",
  "เทคโนโลยี", "บริการ", "รัฐบาล", "รัฐมนตรี", "กล่าว", "ใหม่", "ปี", "ประชาชน", "การลงทุน",
  "พลังงาน", "ความร่วมมือ", "เครือข่าย", "ภูมิภาค", "ตาม", "รายงาน", "หุ้น", "ราคา", "ความต้องการ",
  "ข้อมูล", "ความปลอดภัย", "การเงิน", "ผลลัพธ์", "ประเทศไทย", "กรุงเทพ", "เศรษฐกิจ", "ธนาคาร",
  "นอกจากนี้", "อย่างไรก็ตาม", "โครงการ", "พัฒนา",
};

static const char * const latin_syllables[] = {
  "ka", "ta", "ri", "mu", "sa", "lo", "ne", "pi", "ba", "du", "ge", "jo", "wa", "ha", "ci", "ye",
  "ra", "pe", "tu", "mor", "sen", "van", "del", "kor",
};
static const char * const han_syllables[] = {
  "华", "泰", "恒", "安", "盛", "达", "鑫", "瑞", "博", "宏", "远", "通", "嘉", "丰", "科", "源",
};
static const char * const kana_syllables[] = {
  "ア", "カ", "サ", "タ", "ナ", "ハ", "マ", "ラ", "ワ", "キ", "シ", "ト", "ル", "ン", "ク", "ス",
};
static const char * const thai_syllables[] = {
  "สม", "ชัย", "ศรี", "วัฒ", "นา", "พร", "กิจ", "ธนา", "รัตน์", "สุข", "มงคล", "เจริญ",
};

#define WORDS(a) (a), G_N_ELEMENTS (a)

typedef struct {
  Language            language;
  gsize               n_words;
  gsize               n_syllables;
} LanguageEntry;

static const LanguageEntry languages[] = {
  { { "id", 40, FALSE, ".", id_words, latin_syllables, "Tentang %s", "Sektor: Bisnis, Keuangan" },
    G_N_ELEMENTS (id_words), G_N_ELEMENTS (latin_syllables) },
  { { "en", 20, FALSE, ".", en_words, latin_syllables, "About %s", "Sector: Business, Finance" },
    G_N_ELEMENTS (en_words), G_N_ELEMENTS (latin_syllables) },
  { { "zh", 14, TRUE, "。", zh_words, han_syllables, "关于%s", "行业：商业、金融" },
    G_N_ELEMENTS (zh_words), G_N_ELEMENTS (han_syllables) },
  { { "th", 10, TRUE, " ", th_words, thai_syllables, "เกี่ยวกับ %s", "ภาคธุรกิจ: การเงิน" },
    G_N_ELEMENTS (th_words), G_N_ELEMENTS (thai_syllables) },
  { { "ja", 8, TRUE, "。", ja_words, kana_syllables, "%sについて", "業種：ビジネス、金融" },
    G_N_ELEMENTS (ja_words), G_N_ELEMENTS (kana_syllables) },
  { { "de", 8, FALSE, ".", de_words, latin_syllables, "Über %s", "Branche: Wirtschaft, Finanzen" },
    G_N_ELEMENTS (de_words), G_N_ELEMENTS (latin_syllables) },
};

static const char * const layouts[] = { "seaprwire", "prnewswire", "businesswire", "agency", "plain" };

static const char * const cities[] = { "JAKARTA", "SINGAPORE", "BANGKOK", "TOKYO", "SHANGHAI", "FRANKFURT", "NEW YORK" };

const char *const *
bench_corpus_languages (void)
{
  static const char *tags[G_N_ELEMENTS (languages) + 1];

  for (guint i = 0; i < G_N_ELEMENTS (languages); i++)
    tags[i] = languages[i].language.tag;
  return tags;
}

static const LanguageEntry *
find_language (const char *tag)
{
  for (guint i = 0; i < G_N_ELEMENTS (languages); i++)
    if (g_str_equal (languages[i].language.tag, tag))
      return &languages[i];
  g_error ("the corpus has no language “%s”", tag);
  return NULL;
}

static const LanguageEntry *
pick_language (GRand *rand)
{
  guint r = (guint) g_rand_int_range (rand, 0, 100);

  for (guint i = 0; i < G_N_ELEMENTS (languages); i++)
    {
      if (r < languages[i].language.share)
        return &languages[i];
      r -= languages[i].language.share;
    }
  return &languages[0];
}

/* A made-up name: two to four syllables, capitalised in Latin script. */
static void
append_name (GString             *out,
             GRand               *rand,
             const LanguageEntry *entry)
{
  guint k = (guint) g_rand_int_range (rand, 2, 5);
  gsize start = out->len;

  for (guint s = 0; s < k; s++)
    g_string_append (out, entry->language.syllables[g_rand_int_range (rand, 0, entry->n_syllables)]);
  if (g_ascii_islower (out->str[start]))
    out->str[start] = g_ascii_toupper (out->str[start]);
}

const char *
bench_corpus_word (GRand      *rand,
                   const char *language)
{
  const LanguageEntry *entry = find_language (language);

  return entry->language.words[g_rand_int_range (rand, 0, entry->n_words)];
}

static void
append_sentence (GString             *out,
                 GRand               *rand,
                 const LanguageEntry *entry)
{
  guint n = (guint) g_rand_int_range (rand, 8, 23);
  const char *sep = entry->language.unspaced ? "" : " ";

  for (guint w = 0; w < n; w++)
    {
      if (w > 0)
        g_string_append (out, sep);
      if (g_rand_int_range (rand, 0, 100) < 8)
        append_name (out, rand, entry);
      else if (g_rand_int_range (rand, 0, 100) < 3)
        g_string_append_printf (out, "%u", (guint) g_rand_int_range (rand, 2, 9999));
      else
        g_string_append (out, entry->language.words[g_rand_int_range (rand, 0, entry->n_words)]);
    }
  g_string_append (out, entry->language.full_stop);
}

static void
append_paragraph (GString             *out,
                  GRand               *rand,
                  const LanguageEntry *entry)
{
  guint n = (guint) g_rand_int_range (rand, 2, 6);

  for (guint s = 0; s < n; s++)
    {
      if (s > 0 && !entry->language.unspaced)
        g_string_append_c (out, ' ');
      append_sentence (out, rand, entry);
    }
  g_string_append (out, "\n\n");
}

static char *
make_headline (GRand               *rand,
               const LanguageEntry *entry,
               guint                number)
{
  GString *headline = g_string_new (NULL);
  guint n = (guint) g_rand_int_range (rand, 5, 11);
  const char *sep = entry->language.unspaced ? "" : " ";

  for (guint w = 0; w < n; w++)
    {
      if (w > 0)
        g_string_append (headline, sep);
      if (w == 1)
        append_name (headline, rand, entry);
      else
        g_string_append (headline, entry->language.words[g_rand_int_range (rand, 0, entry->n_words)]);
    }
  g_string_append_printf (headline, " %u", number);
  return g_string_free (headline, FALSE);
}

static BenchRelease *
generate_one (GRand               *rand,
              const LanguageEntry *entry,
              guint                number)
{
  BenchRelease *release = g_new0 (BenchRelease, 1);
  /* Sizes spread evenly on a log scale from 0.5 to 20 KB: many short
   * releases, some long ones, as an inbox has them. */
  gsize size = (gsize) (512.0 * exp2 (g_rand_double_range (rand, 0.0, 5.32)));
  const char *layout = layouts[g_rand_int_range (rand, 0, G_N_ELEMENTS (layouts))];
  const char *city = cities[g_rand_int_range (rand, 0, G_N_ELEMENTS (cities))];
  GString *text = g_string_sized_new (size + 1024);
  GString *company = g_string_new (NULL);
  gsize body_end;

  append_name (company, rand, entry);
  release->language = entry->language.tag;
  release->layout = layout;
  release->headline = make_headline (rand, entry, number);

  if (g_str_equal (layout, "plain"))
    g_string_append (text, "FOR IMMEDIATE RELEASE\n\n");
  g_string_append_printf (text, "%s\n\n", release->headline);

  if (g_str_equal (layout, "seaprwire"))
    g_string_append_printf (text, "(SeaPRwire) – %s, 7 Des 2026 – ", city);
  else if (g_str_equal (layout, "prnewswire"))
    g_string_append_printf (text, "%s, Dec. 7, 2026 /PRNewswire/ -- ", city);
  else if (g_str_equal (layout, "businesswire"))
    g_string_append_printf (text, "%s--(BUSINESS WIRE)--", city);
  else if (g_str_equal (layout, "agency"))
    g_string_append_printf (text, "%s (Reuters) - ", city);

  body_end = size * 4 / 5;
  while (text->len < body_end)
    append_paragraph (text, rand, entry);
  g_string_append_printf (text, "Ref. %u-%s\n\n", number, release->language);

  if (g_str_equal (layout, "seaprwire") || g_str_equal (layout, "prnewswire") ||
      g_str_equal (layout, "businesswire"))
    {
      /* "About %s" in the release's language. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
      g_string_append_printf (text, entry->language.about, company->str);
#pragma GCC diagnostic pop
      g_string_append (text, "\n\n");
      append_paragraph (text, rand, entry);
    }
  if (g_str_equal (layout, "seaprwire"))
    {
      g_string_append_printf (text, "%s\n\n", entry->language.sector);
      g_string_append (text, "The article is provided by a third-party content provider. "
                             "SeaPRwire (https://www.seaprwire.com/) makes no warranties or "
                             "representations in connection with it.\n");
    }
  else if (g_str_equal (layout, "prnewswire"))
    g_string_append_printf (text, "SOURCE %s\n", company->str);
  else if (g_str_equal (layout, "businesswire"))
    g_string_append_printf (text, "Contacts\n%s\npress@%s.example\n+62 21 555 %04u\n",
                            company->str, company->str, number % 10000);
  else if (g_str_equal (layout, "plain"))
    g_string_append (text, "###\n");

  g_string_free (company, TRUE);
  release->len = text->len;
  release->text = g_string_free (text, FALSE);
  return release;
}

static void
bench_release_free (gpointer data)
{
  BenchRelease *release = data;

  g_free (release->headline);
  g_free (release->text);
  g_free (release);
}

GPtrArray *
bench_corpus_generate_from (guint       first,
                            guint       n,
                            guint32     seed,
                            const char *only_language)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  const LanguageEntry *only = only_language != NULL ? find_language (only_language) : NULL;
  GPtrArray *out = g_ptr_array_new_full (n, bench_release_free);

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (out, generate_one (rand, only != NULL ? only : pick_language (rand), first + i));
  return out;
}

GPtrArray *
bench_corpus_generate (guint       n,
                       guint32     seed,
                       const char *only_language)
{
  return bench_corpus_generate_from (0, n, seed, only_language);
}

char *
bench_corpus_words (GRand      *rand,
                    const char *language,
                    guint       n_words)
{
  const LanguageEntry *entry = find_language (language);
  GString *out = g_string_new (NULL);
  guint left_in_paragraph = 0;
  const char *sep = entry->language.unspaced ? "" : " ";

  for (guint i = 0; i < n_words; i++)
    {
      if (left_in_paragraph == 0)
        {
          if (i > 0)
            g_string_append (out, entry->language.full_stop[0] == '.' ? ".\n\n" : "。\n\n");
          left_in_paragraph = (guint) g_rand_int_range (rand, 20, 61);
        }
      else
        g_string_append (out, sep);
      if (g_rand_int_range (rand, 0, 100) < 8)
        append_name (out, rand, entry);
      else
        g_string_append (out, entry->language.words[g_rand_int_range (rand, 0, entry->n_words)]);
      left_in_paragraph--;
    }
  g_string_append (out, ".\n");
  return g_string_free (out, FALSE);
}

char *
bench_corpus_describe (GPtrArray *releases)
{
  GString *out = g_string_new (NULL);
  gsize total = 0;
  gsize smallest = G_MAXSIZE;
  gsize largest = 0;

  for (guint i = 0; i < releases->len; i++)
    {
      BenchRelease *release = releases->pdata[i];

      total += release->len;
      smallest = MIN (smallest, release->len);
      largest = MAX (largest, release->len);
    }
  g_string_append_printf (out, "%u releases, %.1f KB on average (%.1f–%.1f KB):",
                          releases->len, releases->len ? total / 1024.0 / releases->len : 0.0,
                          smallest / 1024.0, largest / 1024.0);
  for (guint l = 0; l < G_N_ELEMENTS (languages); l++)
    {
      guint count = 0;

      for (guint i = 0; i < releases->len; i++)
        if (((BenchRelease *) releases->pdata[i])->language == languages[l].language.tag)
          count++;
      if (count > 0)
        g_string_append_printf (out, " %s %u%%", languages[l].language.tag,
                                (guint) (100.0 * count / releases->len + 0.5));
    }
  g_string_append_printf (out, "; %u layouts", (guint) G_N_ELEMENTS (layouts));
  return g_string_free (out, FALSE);
}

/* ---- clocks and runs ------------------------------------------------------ */

static gint64
cpu_now_us (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return (gint64) usage.ru_utime.tv_sec * G_USEC_PER_SEC + usage.ru_utime.tv_usec +
         (gint64) usage.ru_stime.tv_sec * G_USEC_PER_SEC + usage.ru_stime.tv_usec;
}

void
bench_clock_start (BenchClock *clock)
{
  clock->wall_us = g_get_monotonic_time ();
  clock->cpu_us = cpu_now_us ();
}

void
bench_clock_stop (BenchClock *clock,
                  double     *wall_s,
                  double     *cpu_s)
{
  if (wall_s != NULL)
    *wall_s = (g_get_monotonic_time () - clock->wall_us) / 1e6;
  if (cpu_s != NULL)
    *cpu_s = (cpu_now_us () - clock->cpu_us) / 1e6;
}

void
bench_runs_init (BenchRuns *runs)
{
  runs->values = g_array_new (FALSE, FALSE, sizeof (double));
}

void
bench_runs_add (BenchRuns *runs,
                double     value)
{
  g_array_append_val (runs->values, value);
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return x < y ? -1 : x > y;
}

double
bench_runs_median (BenchRuns *runs)
{
  g_autoptr(GArray) sorted = g_array_copy (runs->values);
  guint n = sorted->len;

  g_assert (n > 0);
  g_array_sort (sorted, compare_doubles);
  if (n % 2 == 1)
    return g_array_index (sorted, double, n / 2);
  return (g_array_index (sorted, double, n / 2 - 1) + g_array_index (sorted, double, n / 2)) / 2;
}

double
bench_runs_min (BenchRuns *runs)
{
  double min = G_MAXDOUBLE;

  for (guint i = 0; i < runs->values->len; i++)
    min = MIN (min, g_array_index (runs->values, double, i));
  return min;
}

double
bench_runs_max (BenchRuns *runs)
{
  double max = -G_MAXDOUBLE;

  for (guint i = 0; i < runs->values->len; i++)
    max = MAX (max, g_array_index (runs->values, double, i));
  return max;
}

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
char *
bench_runs_format (BenchRuns  *runs,
                   const char *format)
{
  g_autofree char *median = g_strdup_printf (format, bench_runs_median (runs));
  g_autofree char *min = g_strdup_printf (format, bench_runs_min (runs));
  g_autofree char *max = g_strdup_printf (format, bench_runs_max (runs));

  return g_strdup_printf ("median %s (%s–%s, %u runs)", median, min, max, runs->values->len);
}
#pragma GCC diagnostic pop

void
bench_runs_clear (BenchRuns *runs)
{
  g_clear_pointer (&runs->values, g_array_unref);
}

/* ---- whole processes ------------------------------------------------------ */

/* The peak memory of @argv alone.  wait4() cannot say it: a process
 * spawned from this one starts with this one's high-water mark (Linux
 * keeps the larger of the two across exec), and a benchmark holding its
 * corpus is far larger than the program it measures.  GNU time, started
 * by us, starts the program from its own small process. */
static gsize
max_rss_of (const char * const *argv)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  int status = 0;

  g_ptr_array_add (args, (gpointer) "/usr/bin/time");
  g_ptr_array_add (args, (gpointer) "-f");
  g_ptr_array_add (args, (gpointer) "%M");
  for (guint i = 0; argv[i] != NULL; i++)
    g_ptr_array_add (args, (gpointer) argv[i]);
  g_ptr_array_add (args, NULL);
  if (!g_spawn_sync (NULL, (char **) args->pdata, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL,
                     NULL, &out, &status, &error))
    g_error ("/usr/bin/time (Debian package time): %s", error->message);
  if (!g_spawn_check_wait_status (status, &error))
    g_error ("%s: %s", argv[0], error->message);
  /* The figure is time's last line. */
  g_strchomp (out);
  return (gsize) g_ascii_strtoull (strrchr (out, '\n') ? strrchr (out, '\n') + 1 : out, NULL, 10);
}

void
bench_run_process (const char * const *argv,
                   const char         *stdout_path,
                   double             *wall_s,
                   double             *cpu_s,
                   gsize              *max_rss_kib)
{
  posix_spawn_file_actions_t actions;
  struct rusage usage;
  gint64 start;
  pid_t pid;
  int status;
  int rc;

  posix_spawn_file_actions_init (&actions);
  posix_spawn_file_actions_addopen (&actions, STDOUT_FILENO, stdout_path ? stdout_path : "/dev/null",
                                    O_WRONLY | O_CREAT | O_TRUNC, 0600);
  start = g_get_monotonic_time ();
  rc = posix_spawnp (&pid, argv[0], &actions, NULL, (char * const *) argv, environ);
  posix_spawn_file_actions_destroy (&actions);
  if (rc != 0)
    g_error ("could not run %s: %s", argv[0], g_strerror (rc));
  while (wait4 (pid, &status, 0, &usage) < 0)
    if (errno != EINTR)
      g_error ("wait4: %s", g_strerror (errno));
  if (wall_s != NULL)
    *wall_s = (g_get_monotonic_time () - start) / 1e6;
  if (cpu_s != NULL)
    *cpu_s = usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6 +
             usage.ru_stime.tv_sec + usage.ru_stime.tv_usec / 1e6;
  if (max_rss_kib != NULL)
    *max_rss_kib = max_rss_of (argv);
  /* git diff --no-index says 1 when the files differ. */
  if (!WIFEXITED (status) || (WEXITSTATUS (status) != 0 &&
                              !(WEXITSTATUS (status) == 1 && g_str_equal (argv[0], "git"))))
    g_error ("%s failed (status %d)", argv[0], status);
}

gboolean
bench_pin_to_one_core (void)
{
  cpu_set_t set;
  cpu_set_t mine;

  if (sched_getaffinity (0, sizeof mine, &mine) != 0)
    return FALSE;
  CPU_ZERO (&set);
  for (int cpu = CPU_SETSIZE - 1; cpu >= 0; cpu--)
    if (CPU_ISSET (cpu, &mine))
      {
        CPU_SET (cpu, &set);
        break;
      }
  return sched_setaffinity (0, sizeof set, &set) == 0;
}

const char *
bench_verdict (gboolean met)
{
  return met ? "target met" : "TARGET MISSED";
}

gsize
bench_max_rss_kib (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return (gsize) usage.ru_maxrss;
}
