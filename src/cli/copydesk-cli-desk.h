/* copydesk-cli-desk.h — `copydesk-cli desk`: a team desk on PostgreSQL
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

int copydesk_cli_desk (int    argc,
                       char **argv);
