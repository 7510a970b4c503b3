/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cli.h - xvsadm, the ipvsadm-compatible command line tool of xvs.
 *
 *   args.c   ipvsadm/popt argument syntax -> struct xvs_cli_req
 *   req.c    struct xvs_cli_req -> control payloads; -R line splitting
 *   reply.c  strict decoding of xvsd replies, ipvs_strerror() wording
 *   list.c   -L/-S/-c/--timeout output, pure (data + FILE *)
 *   json.c   -L --json output, pure (data + FILE *)
 *   cmd.c    one do_<cmd>() per command, talking to xvsd; -R
 *   usage.c  -h and -v text
 */
#ifndef XVS_CLI_H
#define XVS_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "cli-t.h"

/* Exit statuses, as ipvsadm's: fail() exits 2, a failed command -1. */
#define XVS_CLI_EXIT_FAIL	2
#define XVS_CLI_EXIT_CMD	255
#define XVS_CLI_EXIT_LIST	1

/* --- args.c --- */

/*
 * Parse one ipvsadm command line (argv[0] is the program) into *req and
 * run ipvsadm's consistency checks. Error text goes to err, worded as
 * ipvsadm words it. Returns 0, or the exit status ipvsadm would exit with
 * (XVS_CLI_EXIT_FAIL or XVS_CLI_EXIT_CMD). Nothing is allocated.
 */
int xvs_cli_parse(int argc, char **argv, struct xvs_cli_req *req, FILE *err);

/* --- req.c --- */

/*
 * Build the XVS_CTL_*_SERVICE payload from a parsed request. Returns 0,
 * -ENOENT for a scheduler xvs does not know or a --pe engine, or -EINVAL
 * for a netmask that is not a prefix.
 */
int xvs_cli_req_service(const struct xvs_cli_req *req, struct xvs_ctl_service *svc);

/* Build the XVS_CTL_*_DEST payload from a parsed request. */
void xvs_cli_req_dest(const struct xvs_cli_req *req, struct xvs_ctl_dest *dest);

/*
 * Split one -R input line into words, in place, as ipvsadm's
 * config_stream does: blanks separate words, a word "ipvsadm" (or
 * "xvsadm") is dropped, and (an xvs fix) a word starting with '#' ends the
 * line. argv[0] is set to argv0. Returns the word count including argv[0]
 * (at most max), so 1 means an empty line.
 */
int xvs_cli_split_line(char *line, char *argv0, char **argv, int max);

/* --- reply.c --- */

/*
 * Decode a GET_SERVICES reply into *t, checking every count against the
 * length: the reply must be exactly list + services + their dests.
 * Returns 0 (free with xvs_cli_table_free()), -EBADMSG or -ENOMEM.
 */
int xvs_cli_decode_services(const void *buf, uint32_t len, struct xvs_cli_table *t);

/* Free what xvs_cli_decode_services() allocated; t may be zeroed. */
void xvs_cli_table_free(struct xvs_cli_table *t);

/*
 * Check a GET_CONNS reply: exactly a list header and count entries.
 * Returns 0 and points *conns into buf, or -EBADMSG.
 */
int xvs_cli_decode_conns(const void *buf, uint32_t len,
			 const struct xvs_ctl_conn **conns, uint32_t *n);

/*
 * ipvsadm's message for error err (positive errno) from xvsd command cmd
 * (enum xvs_ctl_cmd), as libipvs's ipvs_strerror() words it; strerror()
 * for the rest. Returns a static string.
 */
const char *xvs_cli_strerror(int cmd, int err);

/* --- list.c --- */

/* One counter of --stats/--rate: 9 columns, K/M/G/T-scaled, or --exact. */
void xvs_cli_print_largenum(FILE *f, uint64_t n, unsigned int format);

/* The column headers of -L for format (nothing for -S). */
void xvs_cli_print_title(FILE *f, unsigned int format);

/*
 * One service and its real servers, as -L or -S (format) prints them.
 * Sorts s->dests in place unless XVS_CLI_FMT_NOSORT.
 */
void xvs_cli_print_service(FILE *f, struct xvs_cli_svc *s, unsigned int format);

/*
 * A whole table: the "IP Virtual Server version" line when info is not
 * NULL and this is not -S, the title, then every service, sorted in
 * place unless XVS_CLI_FMT_NOSORT.
 */
void xvs_cli_print_table(FILE *f, const struct xvs_ctl_info *info,
			 struct xvs_cli_table *t, unsigned int format);

/* -Lc: the connection entries, in the order given. */
void xvs_cli_print_conns(FILE *f, const struct xvs_ctl_conn *c, uint32_t n,
			 unsigned int format);

/* -L --timeout. */
void xvs_cli_print_timeout(FILE *f, const struct xvs_ctl_timeout *t);

/* ipvsadm's service order (fwmark, af, proto, addr, port; int arithmetic). */
int xvs_cli_cmp_services(const void *a, const void *b);

/* ipvsadm's real server order (addr, port; int arithmetic). */
int xvs_cli_cmp_dests(const void *a, const void *b);

/*
 * "addr:port" or "[addr]:port", names resolved unless XVS_CLI_FMT_NUMERIC,
 * cut to 59 characters as ipvsadm's 60-byte buffer cuts it. port is in
 * host order. Returns buf (at least 60 bytes).
 */
char *xvs_cli_addrport(int af, const union xvs_addr *addr, uint16_t port,
		       int proto, unsigned int format, char *buf);

/* --- json.c --- */

/*
 * -L --json: the services of t with their real servers, counters and
 * rates as one JSON object ({"version", "conn_tab_size" when info is not
 * NULL, "services": [...]}). Sorts t in place unless XVS_CLI_FMT_NOSORT.
 */
void xvs_cli_print_json(FILE *f, const struct xvs_ctl_info *info,
			struct xvs_cli_table *t, unsigned int format);

/* --- usage.c --- */

/* Remember argv[0]: invoked as "ipvsadm", xvsadm speaks as ipvsadm. */
void xvs_cli_set_progname(const char *argv0);

/* True when invoked as ipvsadm. */
bool xvs_cli_is_ipvsadm(void);

/* The -v line. */
void xvs_cli_version(FILE *f);

/* The -h text, with program as ipvsadm prints argv[0]. */
void xvs_cli_usage(FILE *f, const char *program);

/* --- cmd.c --- */

/*
 * Run one parsed request (argv is its command line, for -h and -R).
 * reading_stdin is set for lines of -R. Returns the exit status.
 */
int xvs_cli_run(struct xvs_cli_req *req, int argc, char **argv, bool reading_stdin);

/* The whole program: parse argv, run it, close. Returns the exit status. */
int xvs_cli_main(int argc, char **argv);

/* FULLNAT commands (laddr.c): -P/-Q/-G local addresses, --toa on|off. */
bool xvs_cli_is_laddr(int argc, char **argv);
int xvs_cli_laddr_main(int argc, char **argv);

#endif /* XVS_CLI_H */
