/* desk-importer.h — reads release files into the store
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "desk-detector.h"
#include "desk-incoming.h"
#include "desk-store.h"

G_BEGIN_DECLS

/* Files larger than this are refused rather than read. */
#define DESK_IMPORT_MAX_BYTES (10 * 1024 * 1024)

typedef enum {
  DESK_IMPORT_IMPORTED,
  DESK_IMPORT_DUPLICATE,
  DESK_IMPORT_FAILED,
  DESK_IMPORT_NOT_TRIED,   /* the import stopped before it (see stopped) */
} DeskImportOutcome;

typedef struct {
  char              *path;
  DeskImportOutcome  outcome;
  gint64             release_id;  /* the new one, or the one it duplicates */
  char              *message;     /* why it failed, or which release it duplicates */
} DeskImportItem;

typedef struct {
  guint      imported;
  guint      duplicates;
  guint      failed;
  guint      not_tried; /* files left when the import stopped */
  char      *stopped;   /* why the import stopped early (a full disk), or NULL */
  GPtrArray *items;   /* of DeskImportItem, in the order the files were read */
} DeskImportReport;

/* One release of a file, read, parsed and detected as `import` reads
 * it, and where it came from (@source's strings are the entry's own):
 * for a desk that is not a DeskStore (desk-db-import.c). */
typedef struct {
  DeskParsedRelease *parsed;
  DeskDetection     *detection;
  DeskSource         source;
  char              *source_path;
  char              *source_uid;
  DeskIncoming      *incoming;   /* an e-mail's or wire item's own, or NULL */
} DeskImportRelease;

typedef void (*DeskImportProgress) (guint    done,
                                    guint    total,
                                    gpointer user_data);

GStrv             desk_import_dup_suffixes  (void);
GPtrArray        *desk_import_collect_files (const char * const *paths,
                                             GPtrArray          *failures);
DeskImportItem   *desk_import_file          (DeskStore          *store,
                                             const char         *path,
                                             const char         *actor);
DeskImportReport *desk_import_paths         (DeskStore          *store,
                                             const char * const *paths,
                                             const char         *actor,
                                             GCancellable       *cancellable,
                                             DeskImportProgress  progress,
                                             gpointer            user_data);
GPtrArray        *desk_import_read_file     (const char         *path,
                                             DeskDetector       *detector,
                                             char              **out_failure);
/* The same, of a file already read (@data, @len), parsed as
 * desk_import_source_file() parses it: one e-mail when @as_mail. */
GPtrArray        *desk_import_read_data     (const char         *path,
                                             const char         *data,
                                             gsize               len,
                                             gboolean            as_mail,
                                             DeskDetector       *detector,
                                             char              **out_failure);
GPtrArray        *desk_import_source_file   (DeskStore          *store,
                                             const char         *path,
                                             const char         *data,
                                             gsize               len,
                                             gboolean            as_mail,
                                             const char         *kind,
                                             const char         *name,
                                             const char         *actor);

void              desk_import_item_free     (DeskImportItem     *item);
void              desk_import_report_free   (DeskImportReport   *report);
void              desk_import_release_free  (DeskImportRelease  *release);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DeskImportItem, desk_import_item_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DeskImportReport, desk_import_report_free)

G_END_DECLS
