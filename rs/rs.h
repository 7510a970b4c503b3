/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rs.h - xvs-rs, the real-server tool: puts VIPs on lo, sets the ARP and
 * rp_filter sysctls DR and TUN need, attaches the XDP IPIP decapsulator,
 * and undoes all of it. Functions return 0 or -errno unless noted.
 */
#ifndef XVS_RS_H
#define XVS_RS_H

#include <stddef.h>
#include <stdio.h>

#include "rs-t.h"

/* args.c */

/*
 * Parse argv (argv[0] the program, argv[1] the command) into *o. Checks
 * everything that does not need the system (syntax, addresses, combinations).
 * Returns 0, or -EINVAL with a one-line message in err.
 */
int xvs_rs_args_parse(int argc, char **argv, struct xvs_rs_opts *o,
		      char *err, size_t errlen);

/* Print the usage text to f. */
void xvs_rs_usage(FILE *f);

/* "dr", "tun" or "unset". */
const char *xvs_rs_mode_name(enum xvs_rs_mode mode);

/* "auto", "native" or "generic". */
const char *xvs_rs_xdp_mode_name(enum xvs_rs_xdp_mode mode);

/* sysctl.c */

/*
 * Fill out (room for max) with the sysctls mode needs and their wanted
 * values: the seed's lvs-rs ARP settings, plus rp_filter=0 on all, lo and
 * dev for TUN. Returns how many, or -E2BIG / -EINVAL (TUN without dev).
 */
int xvs_rs_sysctls_wanted(enum xvs_rs_mode mode, const char *dev,
			  struct xvs_rs_saved_sysctl *out, unsigned int max);

/* Read the integer sysctl key (e.g. "net/ipv4/conf/lo/arp_ignore") under root. */
int xvs_rs_sysctl_get(const char *root, const char *key, int *val);

/* Write the integer sysctl key under root. */
int xvs_rs_sysctl_set(const char *root, const char *key, int val);

/* state.c */

/* "<dir>/<dev or default>.state" into buf. Returns 0 or -ENAMETOOLONG. */
int xvs_rs_state_path(const char *dir, const char *dev, char *buf, size_t len);

/* Write st as text to f. Returns 0 or -EIO. */
int xvs_rs_state_write(FILE *f, const struct xvs_rs_state *st);

/*
 * Read a state written by xvs_rs_state_write from f into *st. Returns 0,
 * or -EINVAL with the offending line number in err.
 */
int xvs_rs_state_read(FILE *f, struct xvs_rs_state *st, char *err, size_t errlen);

/* Save st to path atomically (temporary file, then rename), mode 0600. */
int xvs_rs_state_save(const char *path, const struct xvs_rs_state *st);

/* Load path into *st. Returns 0, -ENOENT if there is none, or -EINVAL. */
int xvs_rs_state_load(const char *path, struct xvs_rs_state *st);

/*
 * Record key's original value unless it is already recorded (a second
 * `up` must not overwrite the first one's originals). Returns 0 or -E2BIG.
 */
int xvs_rs_state_add_sysctl(struct xvs_rs_state *st, const char *key, int value);

/* The saved entry for key, or NULL. */
struct xvs_rs_saved_sysctl *xvs_rs_state_find_sysctl(struct xvs_rs_state *st,
						     const char *key);

/* The entry for VIP (af, addr), or NULL. */
struct xvs_rs_vip *xvs_rs_state_find_vip(struct xvs_rs_state *st, __u8 af,
					 const union xvs_addr *addr);

/* Append a VIP unless present. Returns 0 or -E2BIG. */
int xvs_rs_state_add_vip(struct xvs_rs_state *st, const struct xvs_rs_vip *vip);

/* nl.c: addresses through rtnetlink (libmnl). */

/* Add af/addr as /32 or /128, scope global, on ifindex. -EEXIST if there. */
int xvs_rs_nl_addr_add(int ifindex, __u8 af, const union xvs_addr *addr);

/* Remove af/addr (/32 or /128) from ifindex. -EADDRNOTAVAIL if absent. */
int xvs_rs_nl_addr_del(int ifindex, __u8 af, const union xvs_addr *addr);

/* 1 if af/addr is on ifindex (any prefix length), 0 if not, or -errno. */
int xvs_rs_nl_addr_present(int ifindex, __u8 af, const union xvs_addr *addr);

/* xdp.c */

/*
 * Load bpf/xvs_rs.bpf.o and attach it to ifindex through netlink, so that
 * it stays when xvs-rs exits. n_locals > 0 turns on the outer-daddr
 * filter with those addresses. An xvs_rs_decap already there is replaced
 * atomically; any other XDP program gives -EBUSY. AUTO tries native and
 * falls back to generic. *got is the mode used.
 */
int xvs_rs_xdp_attach(int ifindex, enum xvs_rs_xdp_mode want,
		      const __be32 *locals, unsigned int n_locals,
		      enum xvs_rs_xdp_mode *got);

/*
 * Detach xvs_rs_decap from ifindex. 0 if it is gone (or was never there),
 * -EBUSY if another program is attached (it is left alone).
 */
int xvs_rs_xdp_detach(int ifindex);

/* Describe the XDP program on ifindex, with our counters if it is ours. */
int xvs_rs_xdp_query(int ifindex, struct xvs_rs_xdp_info *info);

/* cmd.c */

/* `up`: returns the process exit status. */
int xvs_rs_do_up(const struct xvs_rs_opts *o);

/* `down`: returns the process exit status. */
int xvs_rs_do_down(const struct xvs_rs_opts *o);

/* Run the command in o; returns the process exit status. */
int xvs_rs_run(const struct xvs_rs_opts *o);

/* report.c */

/* `status`: returns the process exit status. */
int xvs_rs_do_status(const struct xvs_rs_opts *o);

/* `doctor`: prints one OK/FAIL line a check; 1 if any failed, else 0. */
int xvs_rs_do_doctor(const struct xvs_rs_opts *o);

#endif /* XVS_RS_H */
