/* desk-importer.c — reads release files into the store
 *
 * Every file is checked before anything is stored (size, text, UTF-8) and
 * stored in a transaction of its own, so a bad file in a batch costs only
 * itself: the good ones go in, the bad ones are reported with their path
 * and the reason.
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "desk-error.h"
#include "desk-file.h"
#include "desk-importer.h"
#include "desk-incoming.h"
#include "desk-parser.h"
#include "desk-store-check.h"

static const char * const importable_suffixes[] = {
  ".txt", ".text", ".md", ".markdown",
  ".eml", ".mbox",                       /* desk_incoming_is_mail_name() */
  ".json", ".ninjs", ".xml", ".newsml",  /* desk_incoming_is_wire_name() */
};

/* The file name endings the importer reads (".txt", …), lower case: the
 * window's file chooser offers exactly these.  Free with g_strfreev(). */
GStrv
desk_import_dup_suffixes (void)
{
  GStrv suffixes = g_new0 (char *, G_N_ELEMENTS (importable_suffixes) + 1);

  for (gsize i = 0; i < G_N_ELEMENTS (importable_suffixes); i++)
    suffixes[i] = g_strdup (importable_suffixes[i]);
  return suffixes;
}

void
desk_import_item_free (DeskImportItem *item)
{
  if (item == NULL)
    return;
  g_free (item->path);
  g_free (item->message);
  g_free (item);
}

void
desk_import_report_free (DeskImportReport *report)
{
  if (report == NULL)
    return;
  g_clear_pointer (&report->items, g_ptr_array_unref);
  g_free (report->stopped);
  g_free (report);
}

static DeskImportItem *
item_new (const char        *path,
          DeskImportOutcome  outcome,
          gint64             release_id,
          char              *message)
{
  DeskImportItem *item = g_new0 (DeskImportItem, 1);

  item->path = g_strdup (path);
  item->outcome = outcome;
  item->release_id = release_id;
  item->message = message;
  return item;
}

static gboolean
has_importable_suffix (const char *path)
{
  g_autofree char *lower = g_ascii_strdown (path, -1);
  g_autofree char *base = g_path_get_basename (lower);

  /* A file without any extension is given a chance as plain text. */
  if (strchr (base, '.') == NULL)
    return TRUE;

  /* E-mail (.eml, .mbox) and wire formats (ninjs, NewsML-G2). */
  if (desk_incoming_is_mail_name (base) || desk_incoming_is_wire_name (base))
    return TRUE;

  for (gsize i = 0; i < G_N_ELEMENTS (importable_suffixes); i++)
    if (g_str_has_suffix (base, importable_suffixes[i]))
      return TRUE;
  return FALSE;
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* A folder is known by its device and inode, whatever the path it was
 * reached by. */
typedef struct {
  dev_t dev;
  ino_t ino;
} FolderId;

static guint
folder_id_hash (gconstpointer key)
{
  const FolderId *id = key;

  return (guint) id->ino ^ ((guint) id->dev << 16);
}

static gboolean
folder_id_equal (gconstpointer a,
                 gconstpointer b)
{
  const FolderId *x = a;
  const FolderId *y = b;

  return x->dev == y->dev && x->ino == y->ino;
}

typedef struct {
  GPtrArray  *files;
  GPtrArray  *failures;
  GHashTable *visited;   /* FolderId → the path it was first read by */
} Walk;

static void
walk_failure (Walk       *walk,
              const char *path,
              char       *message)
{
  g_ptr_array_add (walk->failures, item_new (path, DESK_IMPORT_FAILED, 0, message));
}

static void walk_path (Walk       *walk,
                       const char *path,
                       gboolean    top);

/* Reads each folder once: a link back to a folder already read (a loop,
 * as "ln -s . x" makes, or a second way into the same folder) is
 * reported once, as the link it is, and not followed. */
static void
walk_dir (Walk          *walk,
          const char    *dir_path,
          const GStatBuf *st)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GPtrArray) names = NULL;
  FolderId key = { st->st_dev, st->st_ino };
  const char *first;
  const char *name;

  if ((first = g_hash_table_lookup (walk->visited, &key)) != NULL)
    {
      walk_failure (walk, dir_path,
                    g_strdup_printf (_("a link to the folder %s, which is imported already; not followed"), first));
      return;
    }
  g_hash_table_insert (walk->visited, g_memdup2 (&key, sizeof key), g_strdup (dir_path));

  dir = g_dir_open (dir_path, 0, &error);
  if (dir == NULL)
    {
      walk_failure (walk, dir_path,
                    g_strdup_printf (_("the folder cannot be read: %s"), error->message));
      return;
    }

  names = g_ptr_array_new_with_free_func (g_free);
  while ((name = g_dir_read_name (dir)) != NULL)
    if (name[0] != '.')
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);

  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *child = g_build_filename (dir_path, g_ptr_array_index (names, i), NULL);

      walk_path (walk, child, FALSE);
    }
}

/* Looks at @path without opening it (a named pipe would block): folders
 * are walked, files collected, anything else reported. */
static void
walk_path (Walk       *walk,
           const char *path,
           gboolean    top)
{
  GStatBuf st;
  const char *kind;

  if (g_stat (path, &st) != 0)
    {
      int saved_errno = errno;

      /* Named on the command line, it is read (and its error told) with
       * the other files, in order. */
      if (top)
        g_ptr_array_add (walk->files, g_strdup (path));
      else if (saved_errno == ELOOP)
        walk_failure (walk, path, g_strdup (_("a link that leads back to itself")));
      else if (saved_errno == ENOENT && g_lstat (path, &st) == 0)
        walk_failure (walk, path, g_strdup (_("a link to something that is not there")));
      else
        walk_failure (walk, path, g_strdup_printf (_("cannot be read: %s"), g_strerror (saved_errno)));
      return;
    }

  if (S_ISDIR (st.st_mode))
    walk_dir (walk, path, &st);
  else if (!top && !has_importable_suffix (path))
    walk_failure (walk, path,
                  g_strdup (_("not a release file: Copydesk imports .txt, .md, .eml, .mbox, ninjs .json and NewsML-G2 .xml files")));
  else if (!top && (kind = desk_file_describe_mode (st.st_mode)) != NULL)
    walk_failure (walk, path, g_strdup (kind));
  else
    g_ptr_array_add (walk->files, g_strdup (path));
}

/* Expands folders (recursively, hidden files skipped, in name order, each
 * folder once however many links lead to it) into the files to import.
 * Anything that cannot be imported at all is added to @failures as a
 * DeskImportItem. */
GPtrArray *
desk_import_collect_files (const char * const *paths,
                           GPtrArray          *failures)
{
  g_autoptr(GHashTable) visited = g_hash_table_new_full (folder_id_hash, folder_id_equal, g_free, g_free);
  Walk walk = { g_ptr_array_new_with_free_func (g_free), failures, visited };

  for (guint i = 0; paths[i] != NULL; i++)
    walk_path (&walk, paths[i], TRUE);

  return walk.files;
}

/* A batch of imports is committed together: FTS5 writes its index out at
 * every commit, and takes a few large ones far better than one per file.
 * It is kept short, so the window's autosave never waits long. */
#define BATCH_MAX_FILES 5000
#define BATCH_MAX_USEC (G_USEC_PER_SEC / 2)

typedef struct {
  char              *path;
  DeskParsedRelease *parsed;
  DeskDetection     *detection;
  DeskImportItem    *item;    /* in the report */
  DeskIncoming      *incoming; /* what an e-mail or wire file said of it, or NULL */
  const char        *kind;     /* the source that found the file (desk-source.h), or NULL */
  const char        *name;
  const char        *cwd;      /* the folder a relative path is in, or NULL: the current one */
} Pending;

static void
pending_clear (Pending *pending)
{
  g_free (pending->path);
  desk_parsed_release_free (pending->parsed);
  desk_detection_free (pending->detection);
  desk_incoming_free (pending->incoming);
}

static gboolean
is_incoming_name (const char *path)
{
  return desk_incoming_is_mail_name (path) || desk_incoming_is_wire_name (path);
}

/* Reads an e-mail or wire file (one file, several releases) into Pending
 * entries without their report items, detected with @detector when it is
 * not NULL.  NULL with the failure in @out_item when nothing in it can be
 * imported. */
static GArray *parse_incoming (const char      *path,
                               const char      *data,
                               gsize            len,
                               gboolean         as_mail,
                               DeskDetector    *detector,
                               DeskImportItem **out_item);

static GArray *
read_incoming (const char      *path,
               DeskDetector    *detector,
               DeskImportItem **out_item)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  gsize len = 0;

  *out_item = NULL;
  data = desk_file_read_regular (path, DESK_IMPORT_MAX_BYTES, &len, &error);
  if (data == NULL)
    {
      *out_item = item_new (path, DESK_IMPORT_FAILED, 0, g_strdup (error->message));
      return NULL;
    }
  return parse_incoming (path, data, len, FALSE, detector, out_item);
}

/* The releases of an e-mail or wire file already read, by its suffix;
 * @as_mail: one e-mail whatever its name (a maildir's files have none). */
static GArray *
parse_incoming (const char      *path,
                const char      *data,
                gsize            len,
                gboolean         as_mail,
                DeskDetector    *detector,
                DeskImportItem **out_item)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *lower = g_ascii_strdown (path, -1);
  g_autoptr(GPtrArray) items = NULL;
  GArray *entries;

  *out_item = NULL;
  if (as_mail)
    items = desk_mail_parse (data, len, FALSE, &error);
  else if (desk_incoming_is_mail_name (lower))
    items = desk_mail_parse (data, len, g_str_has_suffix (lower, ".mbox"), &error);
  else if (g_str_has_suffix (lower, ".xml") || g_str_has_suffix (lower, ".newsml"))
    items = desk_newsml_parse (data, len, &error);
  else
    items = desk_ninjs_parse (data, len, &error);
  if (items == NULL)
    {
      *out_item = item_new (path, DESK_IMPORT_FAILED, 0, g_strdup (error->message));
      return NULL;
    }

  entries = g_array_new (FALSE, TRUE, sizeof (Pending));
  for (guint i = 0; i < items->len; i++)
    {
      DeskIncoming *incoming = g_ptr_array_index (items, i);
      DeskParsedRelease *parsed = desk_incoming_parse (incoming, NULL);
      Pending entry = { 0 };

      if (parsed == NULL)
        continue;
      entry.path = g_strdup (path);
      entry.parsed = parsed;
      if (detector != NULL)
        entry.detection = desk_detector_detect (detector, parsed->text, parsed->language);
      entry.incoming = g_ptr_array_steal_index (items, i--);
      g_array_append_val (entries, entry);
    }
  if (entries->len == 0)
    {
      g_array_unref (entries);
      *out_item = item_new (path, DESK_IMPORT_FAILED, 0,
                            g_strdup (_("nothing in the file has text to import")));
      return NULL;
    }
  return entries;
}

/* Reads and parses @path: NULL with the failure in @out_item when it
 * cannot be imported. */
static DeskParsedRelease *
read_and_parse (const char      *path,
                DeskImportItem **out_item)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  DeskParsedRelease *parsed;
  gsize len = 0;

  *out_item = NULL;
  if (!has_importable_suffix (path))
    {
      *out_item = item_new (path, DESK_IMPORT_FAILED, 0,
                            g_strdup (_("not a release file: Copydesk imports .txt, .md, .eml, .mbox, ninjs .json and NewsML-G2 .xml files")));
      return NULL;
    }

  data = desk_file_read_regular (path, DESK_IMPORT_MAX_BYTES, &len, &error);
  if (data == NULL)
    {
      *out_item = item_new (path, DESK_IMPORT_FAILED, 0, g_strdup (error->message));
      return NULL;
    }

  parsed = desk_parse_release (data, len, path, &error);
  if (parsed == NULL)
    *out_item = item_new (path, DESK_IMPORT_FAILED, 0, g_strdup (error->message));
  return parsed;
}

/* An imported file that was not UTF-8 says what it was read as, so that
 * an editor who sees odd letters knows where to look. */
static void
note_encoding (DeskImportItem          *item,
               const DeskParsedRelease *parsed)
{
  if (item->outcome == DESK_IMPORT_IMPORTED && parsed != NULL && parsed->read_as != NULL)
    {
      g_free (item->message);
      item->message = g_strdup_printf (_("read as %s"), parsed->read_as);
    }
}

static void
set_outcome (DeskImportItem *item,
             gint64          id,
             gint64          existing,
             const GError   *error)
{
  g_clear_pointer (&item->message, g_free);
  if (id > 0)
    {
      item->outcome = DESK_IMPORT_IMPORTED;
      item->release_id = id;
    }
  else if (g_error_matches (error, DESK_ERROR, DESK_ERROR_DUPLICATE))
    {
      item->outcome = DESK_IMPORT_DUPLICATE;
      item->release_id = existing;
      item->message = g_strdup (error->message);
    }
  else
    {
      item->outcome = DESK_IMPORT_FAILED;
      item->release_id = 0;
      item->message = g_strdup (error != NULL ? error->message : _("could not be stored"));
    }
}

static gint64
store_one (DeskStore         *store,
           const Pending     *pending,
           const char        *actor,
           gint64            *out_existing,
           GError           **error)
{
  g_autofree char *absolute = g_canonicalize_filename (pending->path, pending->cwd);
  g_autofree char *uid = NULL;
  DeskSource source = { NULL, NULL, absolute, 0, pending->kind, pending->name };

  if (pending->incoming != NULL)
    {
      /* The sender's own id, by kind: a Message-ID and a ninjs uri never
       * meet. */
      source.source_uid = uid = desk_incoming_dup_source_uid (pending->incoming);
      source.urgency = pending->incoming->urgency;
      source.copyright = pending->incoming->copyright;
      source.embargo = pending->incoming->embargo;
    }

  return desk_store_add_detected_release (store, pending->parsed, pending->detection,
                                          &source, actor, out_existing, error);
}

/* An e-mail or wire file holding several releases, each stored in a
 * transaction of its own: the item says what happened to the first one
 * imported (or the first duplicate), and how many there were. */
static DeskImportItem *
import_incoming_file (DeskStore  *store,
                      const char *path,
                      const char *actor)
{
  DeskImportItem *item = NULL;
  g_autoptr(GArray) entries = read_incoming (path, NULL, &item);
  DeskImportItem *first = NULL;

  if (entries == NULL)
    return item;

  for (guint i = 0; i < entries->len; i++)
    {
      g_autoptr(GError) error = NULL;
      Pending *p = &g_array_index (entries, Pending, i);
      g_autoptr(DeskImportItem) one = item_new (path, DESK_IMPORT_FAILED, 0, NULL);
      gint64 existing = 0;
      gint64 id = store_one (store, p, actor, &existing, &error);

      set_outcome (one, id, existing, error);
      if (first == NULL || (first->outcome != DESK_IMPORT_IMPORTED && one->outcome == DESK_IMPORT_IMPORTED))
        {
          desk_import_item_free (first);
          first = g_steal_pointer (&one);
        }
      pending_clear (p);
    }
  return first;
}

/* Imports one file in a transaction of its own: returns what happened to
 * it, never NULL. */
DeskImportItem *
desk_import_file (DeskStore  *store,
                  const char *path,
                  const char *actor)
{
  g_autoptr(GError) error = NULL;
  DeskImportItem *item = NULL;
  Pending pending = { 0 };
  gint64 existing = 0;
  gint64 id;

  g_return_val_if_fail (DESK_IS_STORE (store), NULL);
  g_return_val_if_fail (path != NULL, NULL);

  if (is_incoming_name (path))
    return import_incoming_file (store, path, actor);

  pending.parsed = read_and_parse (path, &item);
  if (pending.parsed == NULL)
    return item;

  pending.path = g_strdup (path);
  item = item_new (path, DESK_IMPORT_FAILED, 0, NULL);
  id = store_one (store, &pending, actor, &existing, &error);
  set_outcome (item, id, existing, error);
  note_encoding (item, pending.parsed);
  pending_clear (&pending);
  return item;
}

void
desk_import_release_free (DeskImportRelease *release)
{
  if (release == NULL)
    return;
  desk_parsed_release_free (release->parsed);
  desk_detection_free (release->detection);
  g_free (release->source_path);
  g_free (release->source_uid);
  desk_incoming_free (release->incoming);
  g_free (release);
}

static GPtrArray *releases_of (const char     *path,
                               GArray         *entries,
                               DeskImportItem *failure,
                               char          **out_failure);

/* Reads @path as desk_import_file() reads it, each release detected with
 * @detector: a GPtrArray of DeskImportRelease (an e-mail or wire file may
 * hold several), or NULL with why in *@out_failure.  The source of each
 * is what store_one() would give the store. */
GPtrArray *
desk_import_read_file (const char    *path,
                       DeskDetector  *detector,
                       char         **out_failure)
{
  g_autoptr(GArray) entries = NULL;
  DeskImportItem *failure = NULL;

  g_return_val_if_fail (path != NULL && DESK_IS_DETECTOR (detector), NULL);

  *out_failure = NULL;
  if (is_incoming_name (path))
    entries = read_incoming (path, detector, &failure);
  else
    {
      DeskParsedRelease *parsed = read_and_parse (path, &failure);

      if (parsed != NULL)
        {
          Pending one = { 0 };

          one.parsed = parsed;
          one.detection = desk_detector_detect (detector, parsed->text, parsed->language);
          entries = g_array_new (FALSE, TRUE, sizeof (Pending));
          g_array_append_val (entries, one);
        }
    }
  return releases_of (path, entries, failure, out_failure);
}

/* The entries of @path as DeskImportRelease, each with its source; or
 * NULL with @failure's message in *@out_failure. */
static GPtrArray *
releases_of (const char     *path,
             GArray         *entries,
             DeskImportItem *failure,
             char          **out_failure)
{
  g_autoptr(GPtrArray) releases = NULL;
  g_autofree char *absolute = NULL;

  if (entries == NULL)
    {
      *out_failure = g_steal_pointer (&failure->message);
      desk_import_item_free (failure);
      return NULL;
    }

  absolute = g_canonicalize_filename (path, NULL);
  releases = g_ptr_array_new_with_free_func ((GDestroyNotify) desk_import_release_free);
  for (guint i = 0; i < entries->len; i++)
    {
      Pending *p = &g_array_index (entries, Pending, i);
      DeskImportRelease *release = g_new0 (DeskImportRelease, 1);

      release->parsed = g_steal_pointer (&p->parsed);
      release->detection = g_steal_pointer (&p->detection);
      release->incoming = g_steal_pointer (&p->incoming);
      release->source_path = g_strdup (absolute);
      release->source.source_path = release->source_path;
      if (release->incoming != NULL)
        {
          release->source_uid = desk_incoming_dup_source_uid (release->incoming);
          release->source.source_uid = release->source_uid;
          release->source.urgency = release->incoming->urgency;
          release->source.copyright = release->incoming->copyright;
          release->source.embargo = release->incoming->embargo;
        }
      pending_clear (p);
      g_ptr_array_add (releases, release);
    }
  return g_steal_pointer (&releases);
}

/* A failure of the whole store rather than of one release: every file
 * after it would fail the same way, so the import stops there. */
static gboolean
is_store_failure (const GError *error)
{
  return g_error_matches (error, DESK_ERROR, DESK_ERROR_DISK_FULL) ||
         g_error_matches (error, DESK_ERROR, DESK_ERROR_DAMAGED) ||
         g_error_matches (error, DESK_ERROR, DESK_ERROR_READ_ONLY);
}

/* Stores the parsed releases in one batch; if any of them fails, the batch
 * is rolled back and they are stored one at a time, each whole or not at
 * all.  A failure of the whole store (a full disk) stops it: that release
 * failed, the ones after it are not tried, and the error is returned. */
static GError *
store_pending (DeskStore  *store,
               GArray     *pending,
               const char *actor)
{
  gboolean batched = pending->len > 1 && desk_store_begin_batch (store, NULL);

  if (batched)
    {
      g_autoptr(GError) commit_error = NULL;
      gboolean failed = FALSE;

      for (guint i = 0; i < pending->len && !failed; i++)
        {
          Pending *p = &g_array_index (pending, Pending, i);
          g_autoptr(GError) error = NULL;
          gint64 existing = 0;
          gint64 id = store_one (store, p, actor, &existing, &error);

          failed = id <= 0 && !g_error_matches (error, DESK_ERROR, DESK_ERROR_DUPLICATE);
          set_outcome (p->item, id, existing, error);
          note_encoding (p->item, p->parsed);
        }

      if (desk_store_commit_batch (store, &commit_error))
        return NULL;
    }

  for (guint i = 0; i < pending->len; i++)
    {
      Pending *p = &g_array_index (pending, Pending, i);
      g_autoptr(GError) error = NULL;
      gint64 existing = 0;
      gint64 id = store_one (store, p, actor, &existing, &error);

      set_outcome (p->item, id, existing, error);
      note_encoding (p->item, p->parsed);
      if (is_store_failure (error))
        {
          for (guint j = i + 1; j < pending->len; j++)
            {
              DeskImportItem *item = g_array_index (pending, Pending, j).item;

              item->outcome = DESK_IMPORT_NOT_TRIED;
              g_clear_pointer (&item->message, g_free);
            }
          return g_steal_pointer (&error);
        }
    }
  return NULL;
}

static void
count_outcomes (DeskImportReport *report)
{
  report->imported = report->duplicates = report->failed = 0;
  report->not_tried = 0;
  for (guint i = 0; i < report->items->len; i++)
    {
      DeskImportItem *item = g_ptr_array_index (report->items, i);

      if (item->outcome == DESK_IMPORT_IMPORTED)
        report->imported++;
      else if (item->outcome == DESK_IMPORT_DUPLICATE)
        report->duplicates++;
      else if (item->outcome == DESK_IMPORT_NOT_TRIED)
        report->not_tried++;
      else
        report->failed++;
    }
}

/* Reading and parsing run on a thread of their own, ahead of the thread
 * that stores: on two cores an import takes about as long as the database
 * writes alone.  The reader stays at most READ_AHEAD files ahead: enough
 * to go on reading while a batch commits (an FTS5 flush of most of a
 * second), a few megabytes of parsed copy. */
#define READ_AHEAD 2048

typedef struct {
  guint              index;    /* in files; G_MAXUINT marks the end */
  DeskParsedRelease *parsed;
  DeskDetection     *detection;
  DeskImportItem    *failure;
  GArray            *entries;  /* of Pending: an e-mail or wire file's releases */
} ReadResult;

/* Results are handed over READ_BATCH at a time: one at a time, each woke
 * the other thread (a futex call on each side for every file; perf put
 * futex wake-ups at 2.7% of an import's CPU).  Fewer than READ_AHEAD, so
 * the reader never waits on results it has not handed over. */
#define READ_BATCH 16

typedef struct {
  GPtrArray    *files;
  DeskDetector *detector;
  GAsyncQueue  *results;   /* of GPtrArray of ReadResult */
  GCancellable *cancellable;
  GMutex        lock;
  GCond         cond;
  guint         ahead;
  gboolean      stop;
  GPtrArray    *taken;     /* the batch the storing thread is on */
  guint         next;      /* its next result */
} Reader;

static void
reader_hand_over (Reader     *reader,
                  GPtrArray **batch)
{
  if ((*batch)->len > 0)
    g_async_queue_push (reader->results, g_steal_pointer (batch));
  else
    g_clear_pointer (batch, g_ptr_array_unref);
  *batch = g_ptr_array_sized_new (READ_BATCH);
}

static gpointer
reader_thread (gpointer data)
{
  Reader *reader = data;
  GPtrArray *batch = g_ptr_array_sized_new (READ_BATCH);

  for (guint i = 0; i < reader->files->len; i++)
    {
      ReadResult *result;
      gboolean stop;

      g_mutex_lock (&reader->lock);
      while (reader->ahead >= READ_AHEAD && !reader->stop)
        g_cond_wait (&reader->cond, &reader->lock);
      stop = reader->stop;
      reader->ahead++;
      g_mutex_unlock (&reader->lock);

      if (stop || g_cancellable_is_cancelled (reader->cancellable))
        break;

      /* A stop is seen between batches: at most READ_BATCH files read
       * for nothing. */
      if (batch->len >= READ_BATCH)
        reader_hand_over (reader, &batch);

      result = g_new0 (ReadResult, 1);
      result->index = i;
      if (is_incoming_name (g_ptr_array_index (reader->files, i)))
        {
          result->entries = read_incoming (g_ptr_array_index (reader->files, i), reader->detector,
                                           &result->failure);
          g_ptr_array_add (batch, result);
          continue;
        }
      result->parsed = read_and_parse (g_ptr_array_index (reader->files, i), &result->failure);
      /* The sponsor detector runs here too, beside the thread that
       * stores: on two cores it costs the import nothing. */
      if (result->parsed != NULL)
        result->detection = desk_detector_detect (reader->detector, result->parsed->text,
                                                  result->parsed->language);
      g_ptr_array_add (batch, result);
    }

  {
    ReadResult *end = g_new0 (ReadResult, 1);

    end->index = G_MAXUINT;
    g_ptr_array_add (batch, end);
    g_async_queue_push (reader->results, batch);
  }
  return NULL;
}

static ReadResult *
reader_next (Reader *reader)
{
  ReadResult *result;

  if (reader->taken == NULL || reader->next >= reader->taken->len)
    {
      g_clear_pointer (&reader->taken, g_ptr_array_unref);
      reader->taken = g_async_queue_pop (reader->results);
      reader->next = 0;
    }
  result = g_ptr_array_index (reader->taken, reader->next++);
  if (result->index == G_MAXUINT)
    return result;

  g_mutex_lock (&reader->lock);
  /* The reader waits only when it is READ_AHEAD ahead. */
  if (reader->ahead-- >= READ_AHEAD)
    g_cond_signal (&reader->cond);
  g_mutex_unlock (&reader->lock);
  return result;
}

static void
reader_stop (Reader *reader)
{
  g_mutex_lock (&reader->lock);
  reader->stop = TRUE;
  g_cond_signal (&reader->cond);
  g_mutex_unlock (&reader->lock);
}

/* Imports files and folders.  Each file is stored whole or not at all, and
 * a bad one never stops the others. */
DeskImportReport *
desk_import_paths (DeskStore          *store,
                   const char * const *paths,
                   const char         *actor,
                   GCancellable       *cancellable,
                   DeskImportProgress  progress,
                   gpointer            user_data)
{
  DeskImportReport *report = g_new0 (DeskImportReport, 1);
  g_autoptr(GPtrArray) failures = g_ptr_array_new ();
  g_autoptr(GPtrArray) files = NULL;
  g_autoptr(GArray) pending = g_array_new (FALSE, FALSE, sizeof (Pending));
  g_autofree char *default_actor = NULL;
  /* Asked once: GLib asks the system for it (a stat of "." and of $PWD)
   * at each relative path it makes absolute, two system calls a file. */
  g_autofree char *cwd = g_get_current_dir ();
  gint64 batch_started = g_get_monotonic_time ();
  Reader reader = { 0 };
  GThread *thread;
  guint received = 0;
  guint unread = 0;

  g_return_val_if_fail (DESK_IS_STORE (store), NULL);
  g_return_val_if_fail (paths != NULL, NULL);

  g_array_set_clear_func (pending, (GDestroyNotify) pending_clear);
  if (actor == NULL)
    actor = default_actor = desk_get_default_actor ();

  report->items = g_ptr_array_new_with_free_func ((GDestroyNotify) desk_import_item_free);
  files = desk_import_collect_files (paths, failures);

  for (guint i = 0; i < failures->len; i++)
    g_ptr_array_add (report->items, g_ptr_array_index (failures, i));

  reader.files = files;
  reader.detector = desk_store_get_detector (store);
  reader.results = g_async_queue_new ();
  reader.cancellable = cancellable;
  g_mutex_init (&reader.lock);
  g_cond_init (&reader.cond);
  thread = g_thread_new ("copydesk-import-reader", reader_thread, &reader);

  /* Nothing is added to a damaged file; the check of the whole file runs
   * while the reader reads the first files. */
  {
    g_autoptr(GError) error = NULL;

    if (!desk_store_verify (store, &error))
      {
        report->stopped = g_strdup (error->message);
        reader_stop (&reader);
      }
  }

  for (;;)
    {
      g_autofree ReadResult *result = reader_next (&reader);
      const char *path;
      DeskImportItem *item = result->failure;

      if (result->index == G_MAXUINT)
        break;
      received++;

      path = g_ptr_array_index (files, result->index);
      if (g_cancellable_is_cancelled (cancellable) || report->stopped != NULL)
        {
          if (report->stopped != NULL)
            unread++;
          /* Let the reader finish the file it is on, and drop what it read. */
          reader_stop (&reader);
          desk_parsed_release_free (result->parsed);
          desk_detection_free (result->detection);
          desk_import_item_free (item);
          if (result->entries != NULL)
            {
              g_array_set_clear_func (result->entries, (GDestroyNotify) pending_clear);
              g_array_unref (result->entries);
            }
          continue;
        }

      if (result->entries != NULL)
        {
          /* One report item per release the file held, stored below. */
          for (guint e = 0; e < result->entries->len; e++)
            {
              Pending p = g_array_index (result->entries, Pending, e);

              p.cwd = cwd;
              p.item = item_new (path, DESK_IMPORT_FAILED, 0, NULL);
              g_array_append_val (pending, p);
              g_ptr_array_add (report->items, p.item);
            }
          g_array_unref (result->entries);
          item = NULL;
        }
      else if (result->parsed != NULL)
        {
          Pending p = { g_strdup (path), result->parsed, result->detection, NULL, NULL };

          p.cwd = cwd;

          /* Stored below; failed until then. */
          item = item_new (path, DESK_IMPORT_FAILED, 0, NULL);
          p.item = item;
          g_array_append_val (pending, p);
        }
      if (item != NULL)
        g_ptr_array_add (report->items, item);

      if (pending->len >= BATCH_MAX_FILES ||
          (pending->len > 0 && g_get_monotonic_time () - batch_started >= BATCH_MAX_USEC))
        {
          g_autoptr(GError) stop = store_pending (store, pending, actor);

          g_array_set_size (pending, 0);
          batch_started = g_get_monotonic_time ();
          if (stop != NULL)
            {
              report->stopped = g_strdup (stop->message);
              reader_stop (&reader);
            }
        }

      if (progress != NULL)
        progress (result->index + 1, files->len, user_data);
    }

  g_thread_join (thread);
  g_clear_pointer (&reader.taken, g_ptr_array_unref);
  g_async_queue_unref (reader.results);
  g_mutex_clear (&reader.lock);
  g_cond_clear (&reader.cond);

  {
    g_autoptr(GError) stop = store_pending (store, pending, actor);

    if (stop != NULL)
      report->stopped = g_strdup (stop->message);
  }
  count_outcomes (report);
  /* Files the reader had not reached, or had read but not handed over. */
  if (report->stopped != NULL)
    report->not_tried += files->len - received + unread;
  return report;
}

/* The releases of a file a source found and read, by its suffix, or as
 * one e-mail when @as_mail (a maildir's new/, whose files have no
 * suffix); detected with @detector when it is not NULL.  NULL with the
 * failure in @out_item when nothing in it can be imported. */
static GArray *
parse_source_data (const char      *path,
                   const char      *data,
                   gsize            len,
                   gboolean         as_mail,
                   DeskDetector    *detector,
                   DeskImportItem **out_item)
{
  g_autoptr(GError) error = NULL;
  DeskParsedRelease *parsed;
  GArray *entries;
  Pending one = { 0 };

  *out_item = NULL;
  if (as_mail || is_incoming_name (path))
    return parse_incoming (path, data, len, as_mail, detector, out_item);
  if (!has_importable_suffix (path))
    {
      *out_item = item_new (path, DESK_IMPORT_FAILED, 0,
                            g_strdup (_("not a release file: Copydesk imports .txt, .md, .eml, .mbox, ninjs .json and NewsML-G2 .xml files")));
      return NULL;
    }
  parsed = desk_parse_release (data, len, path, &error);
  if (parsed == NULL)
    {
      *out_item = item_new (path, DESK_IMPORT_FAILED, 0, g_strdup (error->message));
      return NULL;
    }
  entries = g_array_new (FALSE, TRUE, sizeof (Pending));
  one.path = g_strdup (path);
  one.parsed = parsed;
  if (detector != NULL)
    one.detection = desk_detector_detect (detector, parsed->text, parsed->language);
  g_array_append_val (entries, one);
  return entries;
}

GPtrArray *
desk_import_read_data (const char    *path,
                       const char    *data,
                       gsize          len,
                       gboolean       as_mail,
                       DeskDetector  *detector,
                       char         **out_failure)
{
  DeskImportItem *failure = NULL;
  g_autoptr(GArray) entries = NULL;

  g_return_val_if_fail (path != NULL && data != NULL && DESK_IS_DETECTOR (detector), NULL);

  *out_failure = NULL;
  entries = parse_source_data (path, data, len, as_mail, detector, &failure);
  return releases_of (path, entries, failure, out_failure);
}

/* Stores the releases of a file a source found and read (the watched
 * folder: desk-folder-source.c), parsed as `import` parses it: by its
 * suffix, or as one e-mail when @as_mail (a maildir's new/, whose files
 * have no suffix).  Each release in a transaction of its own, carrying
 * @kind and @name as its source.  Returns one DeskImportItem for each
 * release the file held, or the one failure; never NULL or empty. */
GPtrArray *
desk_import_source_file (DeskStore  *store,
                         const char *path,
                         const char *data,
                         gsize       len,
                         gboolean    as_mail,
                         const char *kind,
                         const char *name,
                         const char *actor)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) desk_import_item_free);
  g_autofree char *default_actor = NULL;
  g_autoptr(GArray) entries = NULL;
  DeskImportItem *failure = NULL;

  g_return_val_if_fail (DESK_IS_STORE (store), NULL);
  g_return_val_if_fail (path != NULL && data != NULL, NULL);

  if (actor == NULL)
    actor = default_actor = desk_get_default_actor ();

  entries = parse_source_data (path, data, len, as_mail, NULL, &failure);
  if (entries == NULL)
    {
      g_ptr_array_add (items, failure);
      return g_steal_pointer (&items);
    }

  for (guint i = 0; i < entries->len; i++)
    {
      g_autoptr(GError) error = NULL;
      Pending *p = &g_array_index (entries, Pending, i);
      DeskImportItem *item = item_new (path, DESK_IMPORT_FAILED, 0, NULL);
      gint64 existing = 0;
      gint64 id;

      p->kind = kind;
      p->name = name;
      id = store_one (store, p, actor, &existing, &error);
      set_outcome (item, id, existing, error);
      g_ptr_array_add (items, item);
      pending_clear (p);
    }
  return g_steal_pointer (&items);
}
