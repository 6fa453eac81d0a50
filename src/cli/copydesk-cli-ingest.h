/* copydesk-cli-ingest.h — `copydesk-cli feed` and `copydesk-cli ingest`
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

int copydesk_cli_feed   (int    argc,
                         char **argv);
int copydesk_cli_ingest (int    argc,
                         char **argv);

#include "desk-store.h"

void copydesk_cli_print_embargo (DeskStore *store,
                                 gint64     release_id);
