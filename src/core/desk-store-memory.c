/* desk-store-memory.c — where SQLite's page cache and its big blocks live
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
 * 9 to 15.  Lines beyond the region come from malloc() as before.  Where
 * the kernel gives no huge pages (transparent_hugepage "never") none of
 * this is done: SQLite keeps its own ways.
 *
 * The same goes for the big buffers FTS5 builds while it runs a query:
 * the last word of a Latin search is a prefix, and FTS5 merges the lists
 * of every word it begins into one buffer, grown by doubling to a
 * megabyte or more; malloc() maps each such block afresh and unmaps it
 * when it is freed, so every search faulted it in again, 4 KiB at a time
 * ("pertumbuhan" at 200,000 releases: 517 faults, 11 ms of its 11.3 ms
 * of CPU even when every page of the store was cached).  SQLite's blocks
 * of 128 KiB or more are therefore mapped here, in whole huge pages
 * (2 MiB), advised as the page cache is; smaller ones come from SQLite's
 * own allocator as before.
 *
 * SQLite takes these settings only before it first initializes itself in the
 * process; if anything used it earlier (a test's own connection), it says
 * SQLITE_MISUSE and the page cache stays where it was: slower, never
 * wrong. */

#include "config.h"

#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sqlite3.h>
#include <glib.h>

#include "desk-store-private.h"

/* 4 MiB: about 930 lines of 4 KiB pages, half as many again as the first
 * page of a search at 200,000 releases reads (642 at most).  SQLite
 * writes a word into every line when it is given the region, so all of it
 * is resident from the first connection on: 4 MiB more for every process
 * that opens a store (copydesk-cli list: 20.5 MiB at its peak instead of
 * 16.2). */
#define POOL_SIZE (4u << 20)
#define HUGE_PAGE (2u << 20)

/* Every block SQLite asks for carries this header, to tell a mapped block
 * from one of the default allocator and to know its size; 16 bytes keep
 * the block aligned as malloc()'s are. */
typedef struct
{
  guint64 size;     /* what SQLite may use */
  guint64 mapped;   /* the mapping's length; 0 for a malloc()ed block */
} BlockHeader;

#define LARGE_BLOCK (128u << 10)

static sqlite3_mem_methods default_methods;

static void *
block_malloc (int n)
{
  BlockHeader *header;

  if (n <= 0)
    return NULL;
  if ((guint64) n >= LARGE_BLOCK)
    {
      guint64 mapped = ((guint64) n + sizeof (BlockHeader) + HUGE_PAGE - 1) & ~(guint64) (HUGE_PAGE - 1);

      header = mmap (NULL, mapped, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
      if (header == MAP_FAILED)
        return NULL;
#ifdef MADV_HUGEPAGE
      madvise (header, mapped, MADV_HUGEPAGE);
#endif
      header->mapped = mapped;
    }
  else
    {
      header = default_methods.xMalloc (n + (int) sizeof (BlockHeader));
      if (header == NULL)
        return NULL;
      header->mapped = 0;
    }
  header->size = (guint64) n;
  return header + 1;
}

static void
block_free (void *p)
{
  BlockHeader *header;

  if (p == NULL)
    return;
  header = (BlockHeader *) p - 1;
  if (header->mapped != 0)
    munmap (header, header->mapped);
  else
    default_methods.xFree (header);
}

static int
block_size (void *p)
{
  return p != NULL ? (int) ((BlockHeader *) p - 1)->size : 0;
}

/* SQLite asks only for a size that xRoundup() returned. */
static int
block_roundup (int n)
{
  return (n + 7) & ~7;
}

static void *
block_realloc (void *p,
               int   n)
{
  BlockHeader *header = (BlockHeader *) p - 1;
  void *moved;

  /* A mapped block that still holds @n (FTS5 doubles its buffers within
   * the huge pages already there), or a small one staying small. */
  if (header->mapped != 0 && (guint64) n >= LARGE_BLOCK &&
      (guint64) n + sizeof (BlockHeader) <= header->mapped)
    {
      header->size = (guint64) n;
      return p;
    }
  if (header->mapped == 0 && (guint64) n < LARGE_BLOCK)
    {
      header = default_methods.xRealloc (header, n + (int) sizeof (BlockHeader));
      if (header == NULL)
        return NULL;
      header->size = (guint64) n;
      return header + 1;
    }

  moved = block_malloc (n);
  if (moved == NULL)
    return NULL;
  memcpy (moved, p, MIN (header->size, (guint64) n));
  block_free (p);
  return moved;
}

static int
block_init (void *data)
{
  return default_methods.xInit (default_methods.pAppData);
}

static void
block_shutdown (void *data)
{
  default_methods.xShutdown (default_methods.pAppData);
}

static void
setup_allocator (void)
{
  static const sqlite3_mem_methods methods = {
    block_malloc, block_free, block_realloc, block_size, block_roundup,
    block_init, block_shutdown, NULL,
  };

  if (sqlite3_config (SQLITE_CONFIG_GETMALLOC, &default_methods) == SQLITE_OK &&
      default_methods.xMalloc != NULL)
    sqlite3_config (SQLITE_CONFIG_MALLOC, &methods);
}

/* Whether the kernel gives huge pages to memory advised for them.
 * Without them, the region would cost a fault for each of its 4 KiB
 * pages at once, and mapping every big block would lose what malloc()
 * keeps between queries: then SQLite keeps its own ways. */
static gboolean
huge_pages_advisable (void)
{
  g_autofree char *enabled = NULL;

  if (!g_file_get_contents ("/sys/kernel/mm/transparent_hugepage/enabled", &enabled, NULL, NULL))
    return FALSE;
  return strstr (enabled, "[always]") != NULL || strstr (enabled, "[madvise]") != NULL;
}

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
    {
      gsize set_up = 0;

      if (huge_pages_advisable ())
        {
          setup_allocator ();
          set_up = setup_page_cache ();
        }
      g_once_init_leave (&done, set_up + 1);
    }
}
