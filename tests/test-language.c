/* test-language.c — which language a release is written in
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include <glib.h>

#include "desk-language.h"

typedef struct
{
  const char *name;
  const char *tag;
  const char *text;
} Sample;

/* The same news in most of them, so that what is told apart is the
 * language and not the subject. */
static const Sample samples[] = {
  { "indonesian", "id",
    "Pemerintah kota Surabaya meluncurkan program baru untuk membantu "
    "pelaku usaha kecil dan menengah. Program tersebut menyediakan "
    "pelatihan pemasaran digital serta akses permodalan dengan bunga "
    "rendah. Menurut wali kota, lebih dari lima ribu pengusaha telah "
    "mendaftar sejak pekan lalu." },
  { "malay", "ms",
    "Kerajaan negeri Selangor hari ini mengumumkan peruntukan sebanyak "
    "RM50 juta bagi membantu syarikat kecil yang terjejas akibat banjir. "
    "Menteri Besar berkata bantuan itu boleh dipohon mulai bulan hadapan "
    "melalui portal rasmi kerajaan negeri. Beliau menambah bahawa "
    "permohonan akan diproses dalam tempoh dua minggu." },
  { "english", "en",
    "The company announced on Tuesday that it will open a new research "
    "centre in Singapore next year. The facility is expected to employ "
    "around three hundred engineers and scientists working on battery "
    "technology. Executives said the investment reflects growing demand "
    "from customers across the region." },
  { "german", "de",
    "Das Unternehmen hat am Dienstag angekündigt, im kommenden Jahr ein "
    "neues Forschungszentrum in München zu eröffnen. Dort sollen rund "
    "dreihundert Ingenieure an der Entwicklung von Batterien arbeiten. Die "
    "Investition sei eine Antwort auf die wachsende Nachfrage der Kunden, "
    "sagte der Vorstandsvorsitzende." },
  { "french", "fr",
    "L'entreprise a annoncé mardi l'ouverture d'un nouveau centre de "
    "recherche à Lyon l'année prochaine. Le site devrait employer environ "
    "trois cents ingénieurs qui travailleront sur les batteries. Selon la "
    "direction, cet investissement répond à la demande croissante de ses "
    "clients en Europe." },
  { "spanish", "es",
    "La empresa anunció el martes que abrirá un nuevo centro de "
    "investigación en Madrid el próximo año. Las instalaciones darán "
    "empleo a unos trescientos ingenieros que trabajarán en el desarrollo "
    "de baterías. Según los directivos, la inversión responde a la "
    "creciente demanda de sus clientes en la región." },
  { "portuguese", "pt",
    "A empresa anunciou na terça-feira que vai abrir um novo centro de "
    "pesquisa em São Paulo no próximo ano. As instalações deverão empregar "
    "cerca de trezentos engenheiros que trabalharão no desenvolvimento de "
    "baterias. Segundo a diretoria, o investimento responde à crescente "
    "procura dos clientes na região." },
  { "italian", "it",
    "L'azienda ha annunciato martedì che il prossimo anno aprirà un nuovo "
    "centro di ricerca a Milano. La struttura dovrebbe impiegare circa "
    "trecento ingegneri che lavoreranno allo sviluppo delle batterie. "
    "Secondo i dirigenti, l'investimento risponde alla crescente domanda "
    "dei clienti nella regione." },
  { "dutch", "nl",
    "Het bedrijf maakte dinsdag bekend dat het volgend jaar een nieuw "
    "onderzoekscentrum in Eindhoven opent. Er zullen naar verwachting "
    "ongeveer driehonderd ingenieurs werken aan de ontwikkeling van "
    "batterijen. Volgens de directie is de investering een antwoord op de "
    "groeiende vraag van klanten in de regio." },
  { "turkish", "tr",
    "Şirket salı günü, gelecek yıl İstanbul'da yeni bir araştırma merkezi "
    "açacağını duyurdu. Merkezde yaklaşık üç yüz mühendisin batarya "
    "teknolojisi üzerinde çalışması bekleniyor. Yöneticiler, bu yatırımın "
    "bölgedeki müşterilerden gelen artan talebe bir yanıt olduğunu "
    "söyledi." },
  { "polish", "pl",
    "Spółka poinformowała we wtorek, że w przyszłym roku otworzy nowe "
    "centrum badawcze w Krakowie. Ma w nim pracować około trzystu "
    "inżynierów zajmujących się rozwojem technologii akumulatorów. Według "
    "zarządu inwestycja jest odpowiedzią na rosnący popyt ze strony "
    "klientów w regionie." },
  { "tagalog", "tl",
    "Inanunsyo ng kumpanya noong Martes na magbubukas ito ng bagong sentro "
    "ng pananaliksik sa Maynila sa susunod na taon. Inaasahang "
    "magtatrabaho rito ang humigit-kumulang tatlong daang inhinyero na "
    "gagawa ng mga bagong baterya. Ayon sa mga opisyal, ang pamumuhunan ay "
    "tugon sa lumalaking pangangailangan ng mga kostumer sa rehiyon." },
  { "vietnamese", "vi",
    "Công ty cho biết vào thứ Ba rằng họ sẽ mở một trung tâm nghiên cứu "
    "mới tại Thành phố Hồ Chí Minh vào năm tới. Trung tâm dự kiến sẽ tuyển "
    "dụng khoảng ba trăm kỹ sư làm việc trong lĩnh vực phát triển pin. Ban "
    "lãnh đạo cho biết khoản đầu tư này nhằm đáp ứng nhu cầu ngày càng "
    "tăng của khách hàng trong khu vực." },
  { "russian", "ru",
    "Компания объявила во вторник, что в следующем году откроет новый "
    "исследовательский центр в Новосибирске. Ожидается, что там будут "
    "работать около трёхсот инженеров, которые займутся разработкой "
    "аккумуляторов. По словам руководства, эти инвестиции отвечают "
    "растущему спросу со стороны клиентов." },
  { "ukrainian", "uk",
    "Компанія оголосила у вівторок, що наступного року відкриє новий "
    "дослідницький центр у Львові. Очікується, що там працюватимуть "
    "близько трьохсот інженерів, які займатимуться розробкою акумуляторів. "
    "За словами керівництва, ці інвестиції є відповіддю на зростаючий "
    "попит з боку клієнтів." },
  { "arabic", "ar",
    "أعلنت الشركة يوم الثلاثاء أنها ستفتتح مركزا جديدا للأبحاث في دبي "
    "العام المقبل. ومن المتوقع أن يعمل في المركز نحو ثلاثمائة مهندس في "
    "مجال تطوير البطاريات. وقال المدير التنفيذي إن هذا الاستثمار يأتي "
    "استجابة للطلب المتزايد من العملاء في المنطقة." },
  { "persian", "fa",
    "این شرکت روز سه‌شنبه اعلام کرد که سال آینده یک مرکز تحقیقاتی جدید در "
    "تهران افتتاح خواهد کرد. پیش‌بینی می‌شود حدود سیصد مهندس در این مرکز "
    "روی توسعه فناوری باتری کار کنند. مدیران شرکت گفتند این سرمایه‌گذاری "
    "پاسخی به تقاضای رو به رشد مشتریان در منطقه است." },
  { "chinese-simplified", "zh-Hans",
    "该公司周二宣布，将于明年在上海开设一个新的研究中心。预计该中心将"
    "雇用约三百名工程师，从事电池技术的开发。公司负责人表示，这项投资"
    "是为了满足该地区客户日益增长的需求。" },
  { "chinese-traditional", "zh-Hant",
    "該公司週二宣布，將於明年在台北開設一個新的研究中心。預計該中心將"
    "僱用約三百名工程師，從事電池技術的開發。公司負責人表示，這項投資"
    "是為了滿足該地區客戶日益增長的需求。" },
  { "japanese", "ja",
    "同社は火曜日、来年シンガポールに新しい研究センターを開設すると発"
    "表した。センターでは約三百人の技術者が電池技術の開発に取り組む予"
    "定だ。経営陣によると、この投資は地域の顧客からの需要の高まりに応"
    "えるものだという。" },
  { "korean", "ko",
    "회사는 화요일 내년에 서울에 새로운 연구 센터를 열 것이라고 발표했다. "
    "이 센터에서는 약 300명의 엔지니어가 배터리 기술 개발에 참여할 "
    "예정이다. 경영진은 이번 투자가 지역 고객들의 증가하는 수요에 부응하기 "
    "위한 것이라고 밝혔다." },
  { "thai", "th",
    "บริษัทประกาศเมื่อวันอังคารว่าจะเปิดศูนย์วิจัยแห่งใหม่ในกรุงเทพฯ "
    "ในปีหน้า "
    "คาดว่าศูนย์แห่งนี้จะจ้างวิศวกรประมาณสามร้อยคนเพื่อพัฒนาเทคโนโลยีแบตเตอรี่ "
    "ผู้บริหารกล่าวว่าการลงทุนครั้งนี้เป็นการตอบสนองความต้องการที่เพิ่มขึ้นของลูกค้าในภูมิภาค" },
};

/* Laid out as the wire sends it: headline, credit, body, disclaimer. */
static const char indonesian_release[] =
  "Jakarta bersiap menjadi tuan rumah forum energi Asia Tenggara\n"
  "(SeaPRwire) – Pertemuan tingkat menteri akan berlangsung di Jakarta "
  "pekan depan, menurut Kementerian Energi dan Sumber Daya Mineral\n"
  "Forum energi regional yang mempertemukan para menteri dari sepuluh "
  "negara Asia Tenggara akan digelar di Jakarta pada pekan depan, kata "
  "kementerian itu pada hari Senin. Pertemuan tersebut akan membahas kerja "
  "sama jaringan listrik lintas batas serta pendanaan proyek energi "
  "terbarukan.\n"
  "Menurut juru bicara kementerian, delegasi dari Malaysia, Thailand dan "
  "Vietnam telah mengonfirmasi kehadiran mereka. Forum ini juga akan "
  "dihadiri perwakilan lembaga keuangan internasional yang selama ini "
  "membiayai pembangunan pembangkit listrik tenaga surya di kawasan "
  "tersebut.\n"
  "“Kami berharap pertemuan ini menghasilkan kesepakatan yang nyata, bukan "
  "hanya pernyataan bersama,” ujar juru bicara itu kepada wartawan.\n"
  "Konten ini berasal dari pihak ketiga. SeaPRwire "
  "(https://www.seaprwire.com/) tidak bertanggung jawab atas isinya.";

/* Malaysian Malay, which textcat's fingerprints alone take for
 * Indonesian. */
static const char malay_release[] =
  "Syarikat tenaga tempatan umum pelaburan baharu di Johor\n"
  "KUALA LUMPUR – Sebuah syarikat tenaga tempatan hari ini mengumumkan "
  "pelaburan sebanyak RM2 bilion bagi membina ladang solar terapung di "
  "Johor. Menurut kenyataan syarikat itu, projek tersebut dijangka siap "
  "dalam tempoh tiga tahun dan akan membekalkan tenaga kepada lebih "
  "200,000 kediaman. Ketua pegawai eksekutif syarikat berkata bahawa "
  "pelaburan itu selaras dengan sasaran kerajaan untuk meningkatkan "
  "penggunaan tenaga boleh baharu.";

static const Sample *
find_sample (const char *tag)
{
  for (guint i = 0; i < G_N_ELEMENTS (samples); i++)
    if (g_str_equal (samples[i].tag, tag))
      return &samples[i];

  g_assert_not_reached ();
  return NULL;
}

static void
assert_language (const char *text,
                 gssize      len,
                 const char *expected)
{
  g_autofree char *tag = desk_language_detect (text, len);

  g_assert_cmpstr (tag, ==, expected);
}

static void
test_sample_is_told (gconstpointer data)
{
  const Sample *sample = data;

  assert_language (sample->text, -1, sample->tag);
  assert_language (sample->text, strlen (sample->text), sample->tag);
}

static void
test_release_with_wire_furniture_is_indonesian (void)
{
  assert_language (indonesian_release, -1, "id");
}

/* A feed's item of three sentences with few function words: textcat
 * cannot choose among the languages that could have written it, and the
 * affixes of its words tell.  A short text in another language stays
 * what it was. */
static void
test_short_statement_is_told_by_its_affixes (void)
{
  assert_language ("Kementerian umumkan program vaksinasi & imunisasi\n\n"
                   "JAKARTA – Kementerian Kesehatan hari ini mengumumkan program vaksinasi nasional.\n\n"
                   "Program ini dimulai pekan depan di 34 provinsi.\n\n"
                   "Narahubung: Biro Humas, humas@kemkes.example", -1, "id");
  assert_language ("The ministry announced a national vaccination programme today. "
                   "It starts next week in 34 provinces.", -1, "en");
}

static void
test_malaysian_release_is_malay (void)
{
  assert_language (malay_release, -1, "ms");
}

static void
test_nothing_to_read_is_undetermined (void)
{
  assert_language ("", -1, "und");
  assert_language ("", 0, "und");
  assert_language (find_sample ("en")->text, 0, "und");
  assert_language ("   \n\t  ", -1, "und");
}

static void
test_figures_and_punctuation_are_undetermined (void)
{
  assert_language ("12345 !!!", -1, "und");
  assert_language ("+62 21 555 0199 — 30/04/2025, 14:00 WIB (…) ***", -1,
                   "und");
}

static void
test_a_single_word_is_undetermined (void)
{
  assert_language ("Pengumuman", -1, "und");
  assert_language ("Announcement.", -1, "und");
  assert_language ("Пресс-релиз", -1, "und");
  assert_language ("新闻稿", -1, "und");
}

static void
test_long_release_is_told_by_its_beginning (void)
{
  g_autoptr(GString) text = g_string_new (indonesian_release);
  const char *english = find_sample ("en")->text;
  g_autofree char *tag = NULL;

  /* An Indonesian release followed by 200 KB of English: only a bounded
   * beginning is read, so it is Indonesian, however long the rest. */
  while (text->len < 200 * 1024)
    g_string_append (text, english);

  tag = desk_language_detect (text->str, text->len);
  g_assert_cmpstr (tag, ==, "id");
  g_clear_pointer (&tag, g_free);
  tag = desk_language_detect (text->str, -1);
  g_assert_cmpstr (tag, ==, "id");
}

static void
test_length_is_respected (void)
{
  const char *german = find_sample ("de")->text;
  const char *russian = find_sample ("ru")->text;
  g_autofree char *german_then_english =
    g_strconcat (german, " ", find_sample ("en")->text, NULL);
  g_autofree char *unterminated = NULL;
  g_autofree char *cut_short = NULL;
  gsize cut;

  assert_language (german_then_english, strlen (german), "de");

  /* A buffer with no NUL after it must not be read past its end. */
  unterminated = g_memdup2 (russian, strlen (russian));
  assert_language (unterminated, strlen (russian), "ru");

  /* Nor may a length that cuts the last letter in two. */
  cut = strlen (russian) - 2;
  g_assert_true (((guchar) russian[cut] & 0xC0) == 0x80);
  cut_short = g_memdup2 (russian, cut);
  assert_language (cut_short, cut, "ru");
}

static void
test_other_scripts_in_a_release_do_not_decide (void)
{
  g_autofree char *credit_then_chinese =
    g_strconcat ("(SeaPRwire) – Shanghai, Tuesday: ",
                 find_sample ("zh-Hans")->text, NULL);
  g_autofree char *english_then_japanese =
    g_strconcat ("Press release from Example Corp. ",
                 find_sample ("ja")->text, NULL);
  g_autofree char *russian_with_names =
    g_strconcat (find_sample ("ru")->text,
                 " Contact: Anna Smith, ExampleCorp Ltd.", NULL);

  assert_language (credit_then_chinese, -1, "zh-Hans");
  assert_language (english_then_japanese, -1, "ja");
  assert_language (russian_with_names, -1, "ru");
}

static void
test_bytes_that_are_not_utf8_do_not_hide_the_text (void)
{
  /* The French sample as a Latin-1 feed would send it. */
  g_autofree char *latin1 = g_convert (find_sample ("fr")->text, -1,
                                       "ISO-8859-1", "UTF-8",
                                       NULL, NULL, NULL);

  g_assert_nonnull (latin1);
  assert_language (latin1, -1, "fr");
}

/* A character cut short, a byte that is never UTF-8 or a NUL, where the
 * text is ASCII and where it is not: told as the same text made valid. */
static void
test_bytes_that_are_not_utf8_anywhere_are_repaired (void)
{
  static const char * const breaks[] = { "\xE3\x81", "\xFF", "\xC3", "\x80\x80", "\xF0\x9F\x98" };

  for (guint i = 0; i < G_N_ELEMENTS (samples); i++)
    {
      gsize len = strlen (samples[i].text);

      for (gsize at = 0; at < MIN (len, 400); at += 29)
        for (guint b = 0; b < G_N_ELEMENTS (breaks); b++)
          {
            g_autofree char *head = g_strndup (samples[i].text, at);
            g_autofree char *broken = g_strconcat (head, breaks[b], samples[i].text + at, NULL);
            g_autofree char *valid = g_utf8_make_valid (broken, -1);
            g_autofree char *told = desk_language_detect (broken, -1);
            g_autofree char *expected = desk_language_detect (valid, -1);
            g_autofree char *with_nul = g_strndup (broken, strlen (broken) + 1);
            g_autofree char *nul_told = NULL;

            g_assert_cmpstr (told, ==, expected);
            /* A NUL inside the length given ends nothing: it is repaired too. */
            memmove (with_nul + at + 1, with_nul + at, strlen (broken) - at);
            with_nul[at] = '\0';
            nul_told = desk_language_detect (with_nul, (gssize) strlen (broken) + 1);
            g_assert_nonnull (nul_told);
          }
    }
}

static gpointer
detect_all_samples (gpointer data G_GNUC_UNUSED)
{
  for (guint round = 0; round < 20; round++)
    for (guint i = 0; i < G_N_ELEMENTS (samples); i++)
      {
        g_autofree char *tag = desk_language_detect (samples[i].text, -1);

        if (!g_str_equal (tag, samples[i].tag))
          return g_strdup_printf ("%s came out as %s", samples[i].name, tag);
      }

  return NULL;
}

static void
test_threads_get_the_same_answers (void)
{
  GThread *threads[6];

  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("detect", detect_all_samples, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    {
      g_autofree char *failure = g_thread_join (threads[i]);

      g_assert_null (failure);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (samples); i++)
    {
      g_autofree char *path = g_strdup_printf ("/language/%s-is-%s",
                                               samples[i].name,
                                               samples[i].tag);

      g_test_add_data_func (path, &samples[i], test_sample_is_told);
    }

  g_test_add_func ("/language/release-with-wire-furniture-is-indonesian",
                   test_release_with_wire_furniture_is_indonesian);
  g_test_add_func ("/language/short-statement-is-told-by-its-affixes",
                   test_short_statement_is_told_by_its_affixes);
  g_test_add_func ("/language/malaysian-release-is-malay",
                   test_malaysian_release_is_malay);
  g_test_add_func ("/language/nothing-to-read-is-undetermined",
                   test_nothing_to_read_is_undetermined);
  g_test_add_func ("/language/figures-and-punctuation-are-undetermined",
                   test_figures_and_punctuation_are_undetermined);
  g_test_add_func ("/language/a-single-word-is-undetermined",
                   test_a_single_word_is_undetermined);
  g_test_add_func ("/language/long-release-is-told-by-its-beginning",
                   test_long_release_is_told_by_its_beginning);
  g_test_add_func ("/language/length-is-respected",
                   test_length_is_respected);
  g_test_add_func ("/language/other-scripts-in-a-release-do-not-decide",
                   test_other_scripts_in_a_release_do_not_decide);
  g_test_add_func ("/language/bytes-that-are-not-utf8-do-not-hide-the-text",
                   test_bytes_that_are_not_utf8_do_not_hide_the_text);
  g_test_add_func ("/language/bytes-that-are-not-utf8-anywhere-are-repaired",
                   test_bytes_that_are_not_utf8_anywhere_are_repaired);
  g_test_add_func ("/language/threads-get-the-same-answers",
                   test_threads_get_the_same_answers);

  return g_test_run ();
}
