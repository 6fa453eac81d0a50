/* bench-util.h — what every benchmark shares: the corpus, the statistics,
 * the clocks and whole processes
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The seed every benchmark's corpus starts from, so that two runs (and two
 * machines) measure the same texts. */
#define BENCH_SEED 20261207

typedef struct {
  const char *language;   /* what the generator wrote: id, en, de, zh, th, ja */
  const char *layout;     /* which wire layout: seaprwire, prnewswire, ... */
  char       *headline;
  char       *text;       /* the whole file as it arrives, headline first */
  gsize       len;
} BenchRelease;

/* @n releases: Indonesian, English, German, Chinese, Thai and Japanese in
 * the shares of a South-East Asian desk, in five wire layouts, 0.5 to
 * 20 KB.  @only_language limits them to one language; NULL mixes them. */
GPtrArray  *bench_corpus_generate        (guint        n,
                                          guint32      seed,
                                          const char  *only_language);
/* The same corpus from release @first on: releases @first to @first + @n
 * - 1 of a corpus generated in chunks (each chunk its own seed). */
GPtrArray  *bench_corpus_generate_from   (guint        first,
                                          guint        n,
                                          guint32      seed,
                                          const char  *only_language);
/* One long text of about @n_words words of @language in paragraphs of 20
 * to 60 words, for the diff. */
char       *bench_corpus_words           (GRand       *rand,
                                          const char  *language,
                                          guint        n_words);
const char *const *bench_corpus_languages (void);
/* A word of @language from the generator's vocabulary. */
const char *bench_corpus_word            (GRand       *rand,
                                          const char  *language);
char       *bench_corpus_describe        (GPtrArray   *releases);

/* Clocks: wall and CPU (user + system, every thread) of this process. */
typedef struct {
  gint64 wall_us;
  gint64 cpu_us;
} BenchClock;

void        bench_clock_start            (BenchClock  *clock);
/* Seconds since bench_clock_start(), wall and CPU. */
void        bench_clock_stop             (BenchClock  *clock,
                                          double      *wall_s,
                                          double      *cpu_s);

/* Runs are kept and summed up as median, min and max. */
typedef struct {
  GArray *values;
} BenchRuns;

void        bench_runs_init              (BenchRuns   *runs);
void        bench_runs_add               (BenchRuns   *runs,
                                          double       value);
double      bench_runs_median            (BenchRuns   *runs);
double      bench_runs_min               (BenchRuns   *runs);
double      bench_runs_max               (BenchRuns   *runs);
/* "median 1.23 (1.20–1.31, 5 runs)" with @format for each figure. */
char       *bench_runs_format            (BenchRuns   *runs,
                                          const char  *format);
void        bench_runs_clear             (BenchRuns   *runs);

/* Runs @argv as a whole process with stdout to @stdout_path (NULL: to
 * /dev/null) and waits for it; its wall time and CPU time (its own, every
 * thread).  When @max_rss_kib is asked for, runs it once more under GNU
 * time for its peak resident memory.  Exit status 0 or g_error(). */
void        bench_run_process            (const char * const *argv,
                                          const char  *stdout_path,
                                          double      *wall_s,
                                          double      *cpu_s,
                                          gsize       *max_rss_kib);

/* Binds this process (and what it starts) to one CPU, so that wall time
 * is what one core does; FALSE when it cannot. */
gboolean    bench_pin_to_one_core        (void);

/* "target met" or "TARGET MISSED". */
const char *bench_verdict                (gboolean     met);

/* The current peak resident memory of this process, in KiB. */
gsize       bench_max_rss_kib            (void);

G_END_DECLS
