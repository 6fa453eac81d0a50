/* desk-window-private.h — the window's internals shared between its files
 *
 * The window is one widget written in several files, one concern each
 * (as GNOME Text Editor does): desk-window.c holds the list and the
 * release on screen, desk-window-queues.c the sidebar and its counts,
 * desk-window-actions.c the moves, the sponsor decisions and the other
 * actions, desk-window-publish.c publishing, the pre-publish check and
 * export, desk-window-import.c importing (with drag and drop),
 * desk-window-backup.c backups and desk-window-live.c following other
 * processes.
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "desk-publisher.h"
#include "desk-window.h"

G_BEGIN_DECLS

/* Inbox, In Review, Changes Requested, Approved, Published, Rejected,
 * Sponsored, All. */
#define DESK_WINDOW_N_QUEUES 8

typedef struct _DeskWindowFollow DeskWindowFollow;

/* A workflow move the window offers, and where it goes. */
typedef struct {
  const char *action;
  DeskStatus  to;
  const char *title;      /* dialog heading */
  const char *verb;       /* dialog button */
  const char *done;       /* toast */
} DeskWindowMove;

struct _DeskWindow
{
  AdwApplicationWindow  parent_instance;

  DeskStore            *store;
  DeskReleaseList      *releases;
  GtkSingleSelection   *selection;
  GtkLabel             *queue_counts[DESK_WINDOW_N_QUEUES];
  GCancellable         *cancellable;
  gboolean              restoring_selection;
  guint                 refresh_source;   /* a queue refresh asked for later */
  gboolean              importing;

  AdwToastOverlay      *toasts;
  AdwLeaflet           *leaflet;
  GtkWidget            *list_pane;
  GtkWidget            *review_pane;
  GtkListBox           *queues;
  GtkSearchEntry       *search_entry;
  GtkStack             *list_stack;
  GtkListView          *list_view;
  AdwStatusPage        *empty_page;
  GtkWidget            *samples_button;
  GtkWidget            *import_button;
  AdwWindowTitle       *desk_title;
  GMenu                *primary_menu;
  GMenu                *release_menu;
  gboolean              team_desk;        /* on PostgreSQL: some things are not there yet */
  GtkStack             *review_stack;
  AdwWindowTitle       *review_title;
  DeskReviewView       *review_view;
  GtkLabel             *status_label;
  GtkRevealer          *import_revealer;
  GtkLabel             *import_label;
  GtkProgressBar       *import_progress;
  GtkWidget            *back_to_queues;
  GtkWidget            *back_to_list;
  GtkRevealer          *sponsor_revealer;
  GtkLabel             *sponsor_label;
  GtkListBox           *evidence_list;
  GtkMenuButton        *evidence_button;
  GtkLabel             *sponsor_badge;
  GtkWidget            *sponsor_banner;
  GtkImage             *sponsor_icon;
  GtkWidget            *not_sponsored_button;
  GtkWidget            *next_step_button;
  GtkButton            *copies_button;    /* "3 copies": compares them */
  GtkWidget            *list_scroller;
  gboolean              list_key_moving;  /* the list's selection follows the keys */

  /* The copy as it was before the last Clean Up, while its Undo lasts. */
  gint64                clean_up_release;
  char                 *clean_up_headline;
  char                 *clean_up_text;
  AdwToast             *clean_up_toast;

  GSettings            *settings;     /* NULL when the schema is not installed */
  DeskPublisher        *publisher;
  gboolean              publishing;
  gboolean              publish_again;  /* jobs were queued during a run */
  GtkLabel             *publish_state;
  GtkWidget            *retry_button;
  GtkWidget            *open_link_button;

  GtkRevealer          *lock_revealer;    /* another editor holds the release */
  GtkLabel             *lock_label;
  GtkWidget            *take_over_button;
  gint64                locked_release;   /* the release whose lock this window holds */
  gint64                locked_since;     /* since when, by the server's clock */
  gboolean              taken_from_us;    /* the open release was taken over from us */
  gint64                shown_lock_release; /* the release the banner is about */
  DeskLock             *lock;             /* another editor's, on the open release */
  guint                 lock_poll_source; /* asks again while the banner shows */

  DeskWindowFollow     *follow;           /* other processes' changes */
  struct _DeskWindowIngest *ingest;       /* the desk's sources */
  gboolean              counting;         /* a count of the queues is running */
  gboolean              count_again;      /* and another is wanted after it */
};

/* desk-window-locks.c */
void             _desk_window_update_lock        (DeskWindow     *self);
void             _desk_window_lock_changed       (DeskWindow     *self,
                                                  gint64          release_id);
void             _desk_window_let_lock_go        (DeskWindow     *self);
void             _desk_window_class_init_locks   (GtkWidgetClass *widget_class);

/* desk-window.c */
DeskStore       *_desk_window_get_store          (DeskWindow     *self);
GtkListView     *_desk_window_get_list_view      (DeskWindow     *self);
AdwToastOverlay *_desk_window_get_toasts         (DeskWindow     *self);
GCancellable    *_desk_window_get_cancellable    (DeskWindow     *self);
void             _desk_window_reload_list        (DeskWindow     *self);
void             _desk_window_show_release       (DeskWindow     *self,
                                                  gint64          id);
void             _desk_window_release_changed    (DeskWindow     *self,
                                                  gint64          id);
void             _desk_window_refresh_queue      (DeskWindow     *self);
void             _desk_window_update_list_view   (DeskWindow     *self);
void             _desk_window_update_actions     (DeskWindow     *self);
void             _desk_window_show_error         (DeskWindow     *self,
                                                  const char     *heading,
                                                  const GError   *error);

/* desk-window-queues.c: the sidebar, its counts, re-detection */
void             _desk_window_class_init_queues  (GtkWidgetClass *widget_class);
void             _desk_window_build_queues       (DeskWindow     *self);
void             _desk_window_refresh_counts     (DeskWindow     *self);
void             _desk_window_refresh_counts_later (DeskWindow   *self);

gboolean         _desk_window_is_folded          (DeskWindow     *self);
void             _desk_window_show_list          (DeskWindow     *self);

/* desk-window-actions.c: moves, sponsor decisions, clean-up, shortcuts */
void             _desk_window_class_init_actions (GtkWidgetClass *widget_class);
void             _desk_window_add_shortcuts      (DeskWindow     *self);
void             _desk_window_update_sponsor_banner (DeskWindow  *self);
void             _desk_window_forget_clean_up    (DeskWindow     *self);
void             _desk_window_do_move            (DeskWindow     *self,
                                                  const DeskWindowMove *move,
                                                  gint64          release_id,
                                                  const char     *note,
                                                  const char     *override_reason);

/* desk-window-publish.c: publishing, the pre-publish check, export */
void             _desk_window_class_init_publish (GtkWidgetClass *widget_class);
void             _desk_window_update_publish_state (DeskWindow   *self);
void             _desk_window_run_publisher      (DeskWindow     *self);
void             _desk_window_present_check      (DeskWindow     *self,
                                                  const DeskWindowMove *move,
                                                  gint64          release_id,
                                                  gint64          target_id,
                                                  const char     *note);

/* desk-window-import.c: importing files, drag and drop */
void             _desk_window_class_init_import  (GtkWidgetClass *widget_class);
void             _desk_window_init_import        (DeskWindow     *self);

/* desk-window-backup.c */
void             _desk_window_class_init_backup  (GtkWidgetClass *widget_class);

/* desk-window-live.c: following what other processes write */
DeskWindowFollow *_desk_window_follow_new        (DeskWindow       *window);
void             _desk_window_follow_free        (DeskWindowFollow *follow);
void             _desk_window_class_init_follow  (GtkWidgetClass   *widget_class);

/* desk-window-ingest.c: the desk's sources, running while the window is open */
typedef struct _DeskWindowIngest DeskWindowIngest;

DeskWindowIngest *_desk_window_ingest_new        (DeskWindow       *window);
void             _desk_window_ingest_free        (DeskWindowIngest *ingest);
/* desk-window-copies.c: one story from several wires */
char            *_desk_window_describe_copies    (DeskWindow       *self,
                                                  gint64            release_id);
void             _desk_window_class_init_copies  (GtkWidgetClass   *widget_class);
void             _desk_window_update_copies      (DeskWindow       *self);
guint            _desk_window_count_waiting_copies (DeskWindow     *self,
                                                  gint64            release_id);

G_END_DECLS
