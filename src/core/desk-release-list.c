/* desk-release-list.c — a queue of releases as a lazily loaded GListModel
 *
 * Only the count is read up front; rows are read a page at a time when a
 * list view asks for them, and only a few pages are kept, so a queue of a
 * million releases costs what a screenful costs.
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "desk-release-list.h"
#include "desk-worker.h"

#define PAGE_SIZE 128
#define MAX_PAGES 16

/* With a lazy count the list first holds this many rows, a screenful or
 * two: GTK's list view makes a widget for each of up to 200 items before
 * its first frame, and the rest can come a moment later. */
#define FIRST_ROWS 40

typedef struct {
  guint      index;
  GPtrArray *rows;
} Page;

struct _DeskReleaseList
{
  GObject       parent_instance;

  DeskStore    *store;
  int           status;
  gboolean      sponsored_only;
  char         *search;
  guint         n_items;
  GQueue        pages;        /* of Page, most recently used first */

  gboolean      lazy_count;
  guint         generation;   /* which reload a background count is for */
  gboolean      count_pending;  /* that count has not arrived yet */
  GCancellable *counting;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (DeskReleaseList, desk_release_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static void
page_free (Page *page)
{
  g_ptr_array_unref (page->rows);
  g_free (page);
}

static void
drop_pages (DeskReleaseList *self)
{
  g_queue_clear_full (&self->pages, (GDestroyNotify) page_free);
}

static Page *load_page (DeskReleaseList *self,
                        guint            index);

/* ---- counting in the background ------------------------------------------ */

/* The count runs through desk_worker_run(), the core's one way of working
 * on a thread with a connection of its own to the desk. */
typedef struct {
  int       status;
  gboolean  sponsored_only;
  char     *search;
  guint     generation;
} CountJob;

static void
count_job_free (CountJob *job)
{
  g_free (job->search);
  g_free (job);
}

static gpointer
count_in_worker (DeskStore     *store,
                 gpointer       data,
                 GCancellable  *cancellable,
                 GError       **error)
{
  CountJob *job = data;
  DeskQuery query = DESK_QUERY_INIT;
  gint64 n;

  /* One scan: no point keeping its pages. */
  desk_store_set_cache_size (store, 512);
  query.status = job->status;
  query.sponsored_only = job->sponsored_only;
  query.search = job->search;
  n = desk_store_count_releases (store, &query, error);
  return n < 0 ? NULL : g_memdup2 (&n, sizeof n);
}

/* The count holds only a weak reference to the list: a list that is gone
 * (its window closed) cancels its count and wants no answer. */
static void
count_ready (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  GWeakRef *weak = user_data;
  g_autoptr(DeskReleaseList) self = g_weak_ref_get (weak);
  CountJob *job = desk_worker_get_data (result);
  g_autoptr(GError) error = NULL;
  g_autofree gint64 *count = desk_worker_finish (result, &error);
  guint old_n;

  g_weak_ref_clear (weak);
  g_free (weak);

  if (self == NULL || g_cancellable_is_cancelled (g_task_get_cancellable (G_TASK (result))))
    return;
  if (job->generation == self->generation)
    self->count_pending = FALSE;
  if (count == NULL)
    {
      g_warning ("Could not count the releases: %s", error->message);
      return;
    }
  if (job->generation != self->generation || *count <= (gint64) self->n_items)
    return;

  old_n = self->n_items;
  self->n_items = (guint) MIN (*count, G_MAXUINT);
  g_list_model_items_changed (G_LIST_MODEL (self), old_n, 0, self->n_items - old_n);
}

/* A count waiting for the main loop to be idle. */
typedef struct {
  DeskStore    *store;
  GCancellable *cancellable;
  CountJob     *job;
  GWeakRef     *weak;
} PendingCount;

static void
pending_count_free (PendingCount *pending)
{
  g_object_unref (pending->store);
  g_object_unref (pending->cancellable);
  /* Never started: nobody else will free them. */
  if (pending->job != NULL)
    count_job_free (pending->job);
  if (pending->weak != NULL)
    {
      g_weak_ref_clear (pending->weak);
      g_free (pending->weak);
    }
  g_free (pending);
}

static gboolean
start_count (gpointer user_data)
{
  PendingCount *pending = user_data;

  desk_worker_run (pending->store, NULL, pending->cancellable, count_in_worker,
                   g_steal_pointer (&pending->job), (GDestroyNotify) count_job_free, g_free,
                   count_ready, g_steal_pointer (&pending->weak));
  return G_SOURCE_REMOVE;
}

/* The first page is read at once and its first rows shown; if there are
 * more, they are counted on a thread, started once the main loop has
 * nothing more urgent to do (a window draws its first frame first), and
 * the list grows when the count arrives.  Counting a queue of a million
 * releases takes tens of milliseconds the first frame need not wait for. */
static guint
count_lazily (DeskReleaseList *self)
{
  Page *first = load_page (self, 0);
  PendingCount *pending;

  if (first->rows->len <= FIRST_ROWS)
    return first->rows->len;

  pending = g_new0 (PendingCount, 1);
  pending->store = g_object_ref (self->store);
  pending->cancellable = g_object_ref (self->counting);
  pending->job = g_new0 (CountJob, 1);
  pending->job->status = self->status;
  pending->job->sponsored_only = self->sponsored_only;
  pending->job->search = g_strdup (self->search);
  pending->job->generation = self->generation;
  pending->weak = g_new0 (GWeakRef, 1);
  g_weak_ref_init (pending->weak, self);
  g_idle_add_full (G_PRIORITY_LOW, start_count, pending, (GDestroyNotify) pending_count_free);
  self->count_pending = TRUE;
  return FIRST_ROWS;
}

static guint
count_items (DeskReleaseList *self)
{
  g_autoptr(GError) error = NULL;
  DeskQuery query = DESK_QUERY_INIT;
  gint64 n;

  query.status = self->status;
  query.sponsored_only = self->sponsored_only;
  query.search = self->search;
  n = desk_store_count_releases (self->store, &query, &error);
  if (n < 0)
    {
      g_warning ("Could not count the releases: %s", error->message);
      return 0;
    }
  return (guint) MIN (n, G_MAXUINT);
}

static Page *
load_page (DeskReleaseList *self,
           guint            index)
{
  g_autoptr(GError) error = NULL;
  DeskQuery query = DESK_QUERY_INIT;
  Page *page;
  GPtrArray *rows;

  for (GList *l = self->pages.head; l != NULL; l = l->next)
    {
      page = l->data;
      if (page->index == index)
        {
          g_queue_unlink (&self->pages, l);
          g_queue_push_head_link (&self->pages, l);
          return page;
        }
    }

  query.status = self->status;
  query.sponsored_only = self->sponsored_only;
  query.search = self->search;
  query.offset = index * PAGE_SIZE;
  query.limit = PAGE_SIZE;
  rows = desk_store_list_releases (self->store, &query, &error);
  if (rows == NULL)
    {
      g_warning ("Could not read the releases: %s", error->message);
      rows = g_ptr_array_new_with_free_func (g_object_unref);
    }

  page = g_new0 (Page, 1);
  page->index = index;
  page->rows = rows;
  g_queue_push_head (&self->pages, page);
  while (self->pages.length > MAX_PAGES)
    page_free (g_queue_pop_tail (&self->pages));

  return page;
}

static GType
desk_release_list_get_item_type (GListModel *model)
{
  return DESK_TYPE_RELEASE;
}

static guint
desk_release_list_get_n_items (GListModel *model)
{
  return DESK_RELEASE_LIST (model)->n_items;
}

static gpointer
desk_release_list_get_item (GListModel *model,
                            guint       position)
{
  DeskReleaseList *self = DESK_RELEASE_LIST (model);
  Page *page;
  guint in_page;

  if (position >= self->n_items)
    return NULL;

  page = load_page (self, position / PAGE_SIZE);
  in_page = position % PAGE_SIZE;
  if (in_page >= page->rows->len)
    return NULL;

  return g_object_ref (g_ptr_array_index (page->rows, in_page));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = desk_release_list_get_item_type;
  iface->get_n_items = desk_release_list_get_n_items;
  iface->get_item = desk_release_list_get_item;
}

static void
desk_release_list_finalize (GObject *object)
{
  DeskReleaseList *self = (DeskReleaseList *) object;

  drop_pages (self);
  if (self->counting != NULL)
    g_cancellable_cancel (self->counting);
  g_clear_object (&self->counting);
  g_clear_object (&self->store);
  g_free (self->search);

  G_OBJECT_CLASS (desk_release_list_parent_class)->finalize (object);
}

static void
desk_release_list_class_init (DeskReleaseListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = desk_release_list_finalize;
}

static void
desk_release_list_init (DeskReleaseList *self)
{
  self->status = -1;
  g_queue_init (&self->pages);
}

DeskReleaseList *
desk_release_list_new (DeskStore *store)
{
  return desk_release_list_new_full (store, -1, FALSE);
}

/* A list of the releases with @status (-1: all).  With @lazy_count the list
 * first holds its first page and grows when a background count of the rest
 * arrives on the main context; without, it counts at once. */
DeskReleaseList *
desk_release_list_new_full (DeskStore *store,
                            int        status,
                            gboolean   lazy_count)
{
  DeskReleaseList *self;

  g_return_val_if_fail (DESK_IS_STORE (store), NULL);

  self = g_object_new (DESK_TYPE_RELEASE_LIST, NULL);
  self->store = g_object_ref (store);
  self->status = status;
  self->lazy_count = lazy_count;
  self->counting = g_cancellable_new ();
  self->n_items = lazy_count ? count_lazily (self) : count_items (self);
  return self;
}

/* Reads the queue afresh, after an import or a change of status. */
void
desk_release_list_reload (DeskReleaseList *self)
{
  guint old_n;

  g_return_if_fail (DESK_IS_RELEASE_LIST (self));

  old_n = self->n_items;
  drop_pages (self);
  self->generation++;
  self->count_pending = FALSE;
  self->n_items = self->lazy_count ? count_lazily (self) : count_items (self);
  g_list_model_items_changed (G_LIST_MODEL (self), 0, old_n, self->n_items);
}

/* Shows the queue of @status (-1: every status), only the releases
 * flagged sponsored or third-party when @sponsored_only; reads it once. */
void
desk_release_list_set_queue (DeskReleaseList *self,
                             int              status,
                             gboolean         sponsored_only)
{
  g_return_if_fail (DESK_IS_RELEASE_LIST (self));

  sponsored_only = !!sponsored_only;
  if (self->status == status && self->sponsored_only == sponsored_only)
    return;
  self->status = status;
  self->sponsored_only = sponsored_only;
  desk_release_list_reload (self);
}

void
desk_release_list_set_status (DeskReleaseList *self,
                              int              status)
{
  g_return_if_fail (DESK_IS_RELEASE_LIST (self));

  desk_release_list_set_queue (self, status, self->sponsored_only);
}

int
desk_release_list_get_status (DeskReleaseList *self)
{
  g_return_val_if_fail (DESK_IS_RELEASE_LIST (self), -1);

  return self->status;
}

void
desk_release_list_set_search (DeskReleaseList *self,
                              const char      *search)
{
  g_return_if_fail (DESK_IS_RELEASE_LIST (self));

  if (search != NULL && *search == '\0')
    search = NULL;
  if (g_strcmp0 (self->search, search) == 0)
    return;
  g_free (self->search);
  self->search = g_strdup (search);
  desk_release_list_reload (self);
}

const char *
desk_release_list_get_search (DeskReleaseList *self)
{
  g_return_val_if_fail (DESK_IS_RELEASE_LIST (self), NULL);

  return self->search;
}

/* Whether the list holds only its first rows and grows (an items-changed
 * that appends) when the background count of the rest arrives. */
gboolean
desk_release_list_is_counting (DeskReleaseList *self)
{
  g_return_val_if_fail (DESK_IS_RELEASE_LIST (self), FALSE);

  return self->count_pending;
}
