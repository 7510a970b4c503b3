/* SPDX-License-Identifier: GPL-2.0 */
/*
 * options.h - xvsd's command line: keepalived's short options (-n -l -D
 * -p -f -t), so units and init scripts written for keepalived work, plus
 * xvsd's long ones.
 */
#ifndef XVS_OPTIONS_H
#define XVS_OPTIONS_H

#include <stdbool.h>
#include <sys/socket.h>

#include "dp.h"

#define XVSD_MAX_IFACES 32
#define XVSD_DEFAULT_CONFIG "/etc/keepalived/keepalived.conf"	/* keepalived's, for -t */

struct xvsd_options {
	bool foreground;		/* -n */
	bool log_console;		/* -l */
	bool log_detail;		/* -D */
	const char *pidfile;		/* -p */
	const char *config_file;	/* -f, keepalived.conf; NULL = none */
	bool config_test;		/* -t: test the config and exit */
	const char *name;		/* --name: pins and socket */
	const char *ctl_path;		/* --ctl, default from --name */
	const char *ifaces[XVSD_MAX_IFACES];	/* --interface, repeatable */
	int n_ifaces;
	enum xvs_xdp_mode xdp_mode;	/* --xdp-mode */
	unsigned int conn_tab_bits;	/* --conn-tab-bits, 0 = keep/default */
	uint32_t max_svcs;		/* --max-services, 0 = keep/default */
	uint32_t max_dests;		/* --max-dests, 0 = keep/default */
	bool cleanup;			/* --cleanup */
	bool status;			/* --status: ask the running xvsd */
	const char *metrics;		/* --metrics ADDR:PORT, NULL = off */
	bool expire_quiescent;		/* --expire-quiescent-template */
	struct sockaddr_storage metrics_addr;	/* parsed --metrics */
	char pin_dir[200];		/* derived from name */
	char ctl_buf[108];		/* derived ctl path */
};

/*
 * Parse argv into o. Returns 0, 1 when usage or version was printed (exit
 * 0), or -1 after printing an error (exit non-zero).
 */
int xvsd_parse_options(int argc, char **argv, struct xvsd_options *o);

#endif
