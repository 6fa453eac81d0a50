/* fuzz-common.h — what the libFuzzer harnesses share
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <glib.h>

G_BEGIN_DECLS

/* libFuzzer's entry points, which every harness defines. */
int   LLVMFuzzerInitialize    (int            *argc,
                               char         ***argv);
int   LLVMFuzzerTestOneInput  (const uint8_t  *data,
                               size_t          size);

void  desk_fuzz_setup         (void);
char *desk_fuzz_dup_text      (const uint8_t  *data,
                               size_t          size);
char *desk_fuzz_make_tmp_dir  (void);

G_END_DECLS
