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

#define PAGE_SIZE 128
#define MAX_PAGES 16

typedef struct {
  guint      index;
  GPtrArray *rows;
} Page;

struct _DeskReleaseList
{
  GObject    parent_instance;

  DeskStore *store;
  int        status;
  char      *search;
  guint      n_items;
  GQueue     pages;   /* of Page, most recently used first */
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

static guint
count_items (DeskReleaseList *self)
{
  g_autoptr(GError) error = NULL;
  DeskQuery query = DESK_QUERY_INIT;
  gint64 n;

  query.status = self->status;
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
  DeskReleaseList *self;

  g_return_val_if_fail (DESK_IS_STORE (store), NULL);

  self = g_object_new (DESK_TYPE_RELEASE_LIST, NULL);
  self->store = g_object_ref (store);
  self->n_items = count_items (self);
  return self;
}

DeskStore *
desk_release_list_get_store (DeskReleaseList *self)
{
  g_return_val_if_fail (DESK_IS_RELEASE_LIST (self), NULL);

  return self->store;
}

/* Reads the queue afresh, after an import or a change of status. */
void
desk_release_list_reload (DeskReleaseList *self)
{
  guint old_n;

  g_return_if_fail (DESK_IS_RELEASE_LIST (self));

  old_n = self->n_items;
  drop_pages (self);
  self->n_items = count_items (self);
  g_list_model_items_changed (G_LIST_MODEL (self), 0, old_n, self->n_items);
}

void
desk_release_list_set_status (DeskReleaseList *self,
                              int              status)
{
  g_return_if_fail (DESK_IS_RELEASE_LIST (self));

  if (self->status == status)
    return;
  self->status = status;
  desk_release_list_reload (self);
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
