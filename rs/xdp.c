// SPDX-License-Identifier: GPL-2.0
/*
 * xdp.c - load the decapsulator through its skeleton and attach it.
 *
 * The program is attached through netlink (bpf_xdp_attach), not as a
 * pinned bpf_link: the interface then holds the program, so it keeps
 * running after xvs-rs exits, with no bpffs needed. A bpf_link pinned in
 * bpffs would not survive `ip netns exec`, whose private mount namespace
 * (and so its own bpffs mount) goes away with the command. `down` finds
 * the program again by name on the interface.
 */
#include <errno.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/if_link.h>

#include "log.h"
#include "rs.h"
#include "xvs_rs.skel.h"

/* Open the program with id, and tell whether it is xvs_rs_decap. */
static int prog_open(__u32 id, int *ours)
{
	struct bpf_prog_info info;
	__u32 len = sizeof(info);
	int fd = bpf_prog_get_fd_by_id(id);

	if (fd < 0)
		return -errno;
	memset(&info, 0, sizeof(info));
	if (bpf_obj_get_info_by_fd(fd, &info, &len)) {
		int err = -errno;

		close(fd);
		return err;
	}
	*ours = !strcmp(info.name, XVS_RS_PROG_NAME);
	return fd;
}

/* The XDP_FLAGS_*_MODE for a query's attach_mode. */
static __u32 mode_flag(__u8 attach_mode)
{
	return attach_mode == XDP_ATTACHED_SKB ? XDP_FLAGS_SKB_MODE :
						 XDP_FLAGS_DRV_MODE;
}

static enum xvs_rs_xdp_mode mode_of(__u8 attach_mode)
{
	return attach_mode == XDP_ATTACHED_SKB ? XVS_RS_XDP_GENERIC :
						 XVS_RS_XDP_NATIVE;
}

/* Load the object, with the outer-daddr filter if locals are given. */
static struct xvs_rs *load(const __be32 *locals, unsigned int n_locals)
{
	struct xvs_rs *skel = xvs_rs__open();
	__u8 one = 1;
	unsigned int i;

	if (!skel)
		return NULL;
	skel->rodata->xvs_rs_check_daddr = n_locals > 0;
	if (xvs_rs__load(skel))
		goto err;
	for (i = 0; i < n_locals; i++)
		if (bpf_map_update_elem(bpf_map__fd(skel->maps.xvs_rs_local_v1),
					&locals[i], &one, BPF_ANY))
			goto err;
	return skel;
err:
	i = (unsigned int)errno;
	xvs_rs__destroy(skel);
	errno = (int)i;
	return NULL;
}

int xvs_rs_xdp_attach(int ifindex, enum xvs_rs_xdp_mode want,
		      const __be32 *locals, unsigned int n_locals,
		      enum xvs_rs_xdp_mode *got)
{
	LIBBPF_OPTS(bpf_xdp_query_opts, q);
	LIBBPF_OPTS(bpf_xdp_attach_opts, ao);
	struct xvs_rs *skel;
	int prog_fd, old_fd = -1, ours = 0, err;

	skel = load(locals, n_locals);
	if (!skel)
		return errno ? -errno : -EINVAL;
	prog_fd = bpf_program__fd(skel->progs.xvs_rs_decap);

	err = bpf_xdp_query(ifindex, 0, &q);
	if (err)
		goto out;
	if (q.prog_id) {
		old_fd = prog_open(q.prog_id, &ours);
		if (old_fd < 0) {
			err = old_fd;
			goto out;
		}
		if (!ours) {
			char name[IF_NAMESIZE] = "?";

			if_indextoname((unsigned int)ifindex, name);
			xvs_log_err("%s: another XDP program (id %u) is attached; "
				    "xvs-rs leaves it alone", name, q.prog_id);
			err = -EBUSY;
			goto out;
		}
		/* Ours from an earlier up: swap it atomically, same mode. */
		ao.old_prog_fd = old_fd;
		err = bpf_xdp_attach(ifindex, prog_fd,
				     XDP_FLAGS_REPLACE | mode_flag(q.attach_mode), &ao);
		if (!err)
			*got = mode_of(q.attach_mode);
		goto out;
	}

	err = -EOPNOTSUPP;
	if (want != XVS_RS_XDP_GENERIC) {
		err = bpf_xdp_attach(ifindex, prog_fd,
				     XDP_FLAGS_UPDATE_IF_NOEXIST | XDP_FLAGS_DRV_MODE, NULL);
		if (!err)
			*got = XVS_RS_XDP_NATIVE;
		else if (want == XVS_RS_XDP_AUTO)
			xvs_log_info("native XDP failed (%s), using generic",
				     strerror(-err));
	}
	if (err && want != XVS_RS_XDP_NATIVE) {
		err = bpf_xdp_attach(ifindex, prog_fd,
				     XDP_FLAGS_UPDATE_IF_NOEXIST | XDP_FLAGS_SKB_MODE, NULL);
		if (!err)
			*got = XVS_RS_XDP_GENERIC;
	}
out:
	if (old_fd >= 0)
		close(old_fd);
	/* The interface holds its own reference to the program. */
	xvs_rs__destroy(skel);
	return err;
}

int xvs_rs_xdp_detach(int ifindex)
{
	LIBBPF_OPTS(bpf_xdp_query_opts, q);
	LIBBPF_OPTS(bpf_xdp_attach_opts, ao);
	int fd, ours = 0, err;

	err = bpf_xdp_query(ifindex, 0, &q);
	if (err)
		return err;
	if (!q.prog_id)
		return 0;
	fd = prog_open(q.prog_id, &ours);
	if (fd < 0)
		return fd;
	if (!ours) {
		close(fd);
		return -EBUSY;
	}
	/* REPLACE with old_prog_fd: detach only if it is still ours. */
	ao.old_prog_fd = fd;
	err = bpf_xdp_detach(ifindex, XDP_FLAGS_REPLACE | mode_flag(q.attach_mode), &ao);
	close(fd);
	return err;
}

/* Sum the per-CPU counters of the stats map among the program's maps. */
static int read_counters(int prog_fd, struct xvs_rs_xdp_info *info)
{
	struct bpf_prog_info pinfo;
	__u32 ids[8], len = sizeof(pinfo), i, k;
	int ncpu = libbpf_num_possible_cpus();
	__u64 *vals;

	if (ncpu <= 0)
		return ncpu ? ncpu : -EINVAL;
	memset(&pinfo, 0, sizeof(pinfo));
	pinfo.nr_map_ids = sizeof(ids) / sizeof(ids[0]);
	pinfo.map_ids = (__u64)(unsigned long)ids;
	if (bpf_obj_get_info_by_fd(prog_fd, &pinfo, &len))
		return -errno;
	vals = calloc((size_t)ncpu, sizeof(*vals));
	if (!vals)
		return -ENOMEM;
	for (i = 0; i < pinfo.nr_map_ids && i < sizeof(ids) / sizeof(ids[0]); i++) {
		struct bpf_map_info minfo;
		__u32 mlen = sizeof(minfo);
		int fd = bpf_map_get_fd_by_id(ids[i]);

		if (fd < 0)
			continue;
		memset(&minfo, 0, sizeof(minfo));
		if (bpf_obj_get_info_by_fd(fd, &minfo, &mlen) ||
		    strcmp(minfo.name, XVS_RS_STATS_MAP_NAME)) {
			close(fd);
			continue;
		}
		for (k = 0; k < XVS_RS_CNT_MAX; k++) {
			info->counters[k] = 0;
			if (bpf_map_lookup_elem(fd, &k, vals))
				continue;
			for (int c = 0; c < ncpu; c++)
				info->counters[k] += vals[c];
		}
		info->have_counters = 1;
		close(fd);
	}
	free(vals);
	return 0;
}

int xvs_rs_xdp_query(int ifindex, struct xvs_rs_xdp_info *info)
{
	LIBBPF_OPTS(bpf_xdp_query_opts, q);
	int fd, err;

	memset(info, 0, sizeof(*info));
	err = bpf_xdp_query(ifindex, 0, &q);
	if (err)
		return err;
	if (!q.prog_id)
		return 0;
	info->prog_id = q.prog_id;
	info->mode = mode_of(q.attach_mode);
	fd = prog_open(q.prog_id, &info->ours);
	if (fd < 0)
		return fd;
	if (info->ours)
		err = read_counters(fd, info);
	close(fd);
	return err;
}
