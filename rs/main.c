// SPDX-License-Identifier: GPL-2.0
/* main.c - xvs-rs entry point: parse, then run the command (see rs.h). */
#include <stdio.h>

#include "log.h"
#include "rs.h"

int main(int argc, char **argv)
{
	static struct xvs_rs_opts o;
	char err[256];

	xvs_log_init("xvs-rs", false, XVS_LOG_INFO);
	if (xvs_rs_args_parse(argc, argv, &o, err, sizeof(err))) {
		fprintf(stderr, "xvs-rs: %s\n", err);
		fprintf(stderr, "Try 'xvs-rs help'.\n");
		return 2;
	}
	if (o.cmd == XVS_RS_CMD_HELP) {
		xvs_rs_usage(stdout);
		return 0;
	}
	return xvs_rs_run(&o);
}
