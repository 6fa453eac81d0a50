/* desk-store-memory.c — where SQLite's page cache lives in a process
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Why the page cache gets memory of its own: the first search of a
 * process reads 400 to 650 pages of the store (the newest thousand
 * matches' doclists, their sizes, the page's rows), and each page goes
 * into a page-cache line that SQLite has just taken from malloc().  On
 * this desk's machines (virtual ones) touching a new 4 KiB page of memory
 * for the first time costs about 20 µs: 558 pages read into fresh memory
 * took 16–18 ms of CPU, the same preads into one warm buffer 1.8 ms
 * (bench-search at 200,000 releases, Thai query: 24 ms for the first query
 * of a process against 7 ms for the same query again).  So the first
 * query paid mostly for faulting in the memory its pages were read into.
 *
 * Here the process gives SQLite, before it starts, one region for its
 * page-cache lines (SQLITE_CONFIG_PAGECACHE) that the kernel may back with
 * transparent huge pages (madvise, the default on Debian and most
 * distributions): one fault then brings in 2 MiB, 470 lines, for about
 * what one 4 KiB page costs, and 558 lines touched cost 0.4 ms instead of
 * 9 to 15.  Lines beyond the region come from malloc() as before; where the
 * kernel gives no huge pages the region is plain memory, touched as
 * malloc()'s would be.  Reserving it costs address space, not memory:
 * only the 2 MiB pieces a cache line falls in are ever resident.
 *
 * SQLite takes this setting only before it first initializes itself in the
 * process; if anything used it earlier (a test's own connection), it says
 * SQLITE_MISUSE and the page cache stays where it was: slower, never
 * wrong. */

#include "config.h"

#include <stdint.h>
#include <sys/mman.h>
#include <sqlite3.h>
#include <glib.h>

#include "desk-store-private.h"

/* 8 MiB: about 1,800 lines of 4 KiB pages, three times what the first
 * page of a search at 500,000 releases reads. */
#define POOL_SIZE (8u << 20)
#define HUGE_PAGE (2u << 20)

static gsize
setup_page_cache (void)
{
  int header = 0;
  gsize line;
  guint8 *region;
  guint8 *pool;

  if (sqlite3_config (SQLITE_CONFIG_PCACHE_HDRSZ, &header) != SQLITE_OK)
    return 0;
  /* A line holds a page of the store's size (4096, SQLite's default and
   * Copydesk's) and SQLite's header for it, rounded up to 8 bytes. */
  line = (4096 + (gsize) header + 7) & ~(gsize) 7;

  /* One huge page more than the pool, so that the pool can start on a
   * huge page's boundary. */
  region = mmap (NULL, POOL_SIZE + HUGE_PAGE, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (region == MAP_FAILED)
    return 0;
  pool = (guint8 *) (((uintptr_t) region + HUGE_PAGE - 1) & ~(uintptr_t) (HUGE_PAGE - 1));
#ifdef MADV_HUGEPAGE
  madvise (pool, POOL_SIZE, MADV_HUGEPAGE);
#endif

  if (sqlite3_config (SQLITE_CONFIG_PAGECACHE, pool, (int) line, (int) (POOL_SIZE / line)) != SQLITE_OK)
    {
      munmap (region, POOL_SIZE + HUGE_PAGE);
      return 0;
    }
  /* The region stays for the process's life: SQLite keeps it. */
  return 1;
}

/* Called before the first connection of the process is opened; the
 * first call does the work, once. */
void
_desk_store_setup_memory (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done))
    g_once_init_leave (&done, setup_page_cache () + 1);
}
