/* copydesk-cli-locks.h — `copydesk-cli lock` and `copydesk-cli locks`:
 * soft locks on a team desk
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

int copydesk_cli_lock  (int    argc,
                        char **argv);
int copydesk_cli_locks (int    argc,
                        char **argv);
