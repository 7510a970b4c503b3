/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dp.h - the director data plane from user space: load the XDP program
 * with its maps pinned under a directory, attach it to interfaces through
 * pinned bpf_links, and reach the maps.
 *
 * Everything is pinned, so the program, its links and its state outlive
 * the process: a new xvsd loads a fresh program against the same maps and
 * swaps it into the links atomically. Established connections never see
 * the restart.
 */
#ifndef XVS_DP_H
#define XVS_DP_H

#include <stdbool.h>
#include <stdint.h>

#include "xvs/dp-t.h"

#define XVS_PIN_ROOT "/sys/fs/bpf/xvs"

enum xvs_xdp_mode { XVS_XDP_NATIVE, XVS_XDP_GENERIC };

struct xvs_director;

struct xvs_dp {
	struct xvs_director *skel;
	char pin_dir[256];
	int svc_fd, svc_dests_fd, dest_fd, dest_conns_fd, sched_state_fd;
	int sched_tab_fd, conn_fd, svc_stats_fd, dest_stats_fd, timeouts_fd;
	int cnt_fd, laddr_fd, tx_ports_fd;
	struct xvs_dest_conns *dest_conns;	/* mmap of xvs_dest_conns_v1 */
	uint32_t conn_tab_size;
	uint32_t max_svcs;	/* service ids: 0 .. max_svcs - 1 */
	uint32_t max_dests;	/* dest ids: 1 .. max_dests - 1 */
	int ncpus;
};

/*
 * Map sizes chosen at load time (xvsd --conn-tab-bits, --max-services,
 * --max-dests). 0 means: the pinned map's size, or the default for a new
 * one. max_svcs and max_dests may only raise the defaults
 * XVS_MAX_SERVICES and XVS_MAX_DESTS.
 */
struct xvs_dp_size {
	unsigned int conn_tab_bits;	/* connection table of 2^bits */
	uint32_t max_svcs;		/* maps indexed by service id */
	uint32_t max_dests;		/* maps indexed by dest id */
};

/*
 * Load the director program with its maps pinned in pin_dir (created, and
 * bpffs mounted at /sys/fs/bpf if missing). Maps already pinned there are
 * reused. size sizes new maps (see struct xvs_dp_size); a pinned map of a
 * different size than asked is an error (-EEXIST), since resizing would
 * drop its contents; a size below the default is -EINVAL. Returns 0 or
 * -errno; on error dp holds nothing.
 */
int xvs_dp_open(struct xvs_dp *dp, const char *pin_dir, const struct xvs_dp_size *size);

/* Unmap and close everything; pinned objects stay. */
void xvs_dp_close(struct xvs_dp *dp);

/*
 * Attach the program to ifname. A link already pinned for ifname (from an
 * earlier xvsd) is updated in place to this program, atomically; otherwise
 * a new link is created (native mode falls back to generic) and pinned.
 * Returns 0 or -errno.
 */
int xvs_dp_attach(struct xvs_dp *dp, const char *ifname, enum xvs_xdp_mode mode);

/*
 * Detach from every interface and remove every pin under pin_dir, then the
 * directory. The state is gone afterwards. Returns 0 or -errno.
 */
int xvs_dp_cleanup(const char *pin_dir);

/* Mount bpffs at /sys/fs/bpf unless something is mounted there. */
int xvs_dp_mount_bpffs(void);

/* Sum a per-CPU xvs_stats entry of map fd at key into *out. */
int xvs_dp_read_stats(const struct xvs_dp *dp, int fd, uint32_t key,
		      struct xvs_stats *out);

/* Zero a per-CPU xvs_stats entry on every CPU. */
int xvs_dp_zero_stats(const struct xvs_dp *dp, int fd, uint32_t key);

/* Read the drop/pass counters, summed over CPUs, into out[XVS_CNT_MAX]. */
int xvs_dp_read_counters(const struct xvs_dp *dp, uint64_t *out);

#endif
