/* SPDX-License-Identifier: GPL-2.0 */
/* genhash.h - xvs-genhash: keepalived's genhash, on the checkers' code. */
#ifndef XVS_CHECK_GENHASH_H
#define XVS_CHECK_GENHASH_H

/*
 * Run genhash with its options (argv[0] is the program name): fetch one
 * URL like HTTP_GET/SSL_GET and print the MD5 of its body, as `digest`
 * wants it. Returns the exit status: 0, 1 (fetch failed), 2 (usage).
 */
int xvs_genhash_main(int argc, char **argv);

#endif
