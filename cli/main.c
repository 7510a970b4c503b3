// SPDX-License-Identifier: GPL-2.0
/* main.c - xvsadm, the ipvsadm-compatible CLI of xvs; see cli.h. */
#include "cli.h"

int main(int argc, char **argv)
{
	if (xvs_cli_is_laddr(argc, argv))
		return xvs_cli_laddr_main(argc, argv);
	return xvs_cli_main(argc, argv);
}
