/* SPDX-License-Identifier: GPL-2.0 */
/*
 * config.h - keepalived.conf in xvsd: `-t` (test and exit, with
 * keepalived -t's exit codes) and loading for the start and for SIGHUP.
 */
#ifndef XVSD_CONFIG_H
#define XVSD_CONFIG_H

#include <stdbool.h>

#include "kconf.h"

/* Test path like keepalived -t: diagnostics on stderr; returns 0, 3, 4 or 5. */
int xvsd_config_test(const char *path);

/*
 * Load path for running. At start a config with errors still runs, with
 * what is valid (as keepalived does); on reload any error rejects it, so
 * that the running config stays in force. Returns NULL (logged) when
 * the config cannot be used.
 */
struct xvs_kconf *xvsd_config_load(const char *path, bool reload);

#endif
