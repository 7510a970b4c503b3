// SPDX-License-Identifier: GPL-2.0
/* dp.c - load, pin and attach the director data plane, see dp.h. */
#include <dirent.h>
#include <errno.h>
#include <linux/if_link.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "dp.h"
#include "log.h"
#include "xvs_director.skel.h"

#ifndef BPF_FS_MAGIC
#define BPF_FS_MAGIC 0xcafe4a11
#endif

int xvs_dp_mount_bpffs(void)
{
	struct statfs st;

	if (statfs("/sys/fs/bpf", &st) == 0 && st.f_type == BPF_FS_MAGIC)
		return 0;
	mkdir("/sys/fs/bpf", 0700);
	if (mount("bpf", "/sys/fs/bpf", "bpf", 0, "mode=0700") < 0)
		return -errno;
	return 0;
}

/* mkdir -p for a path under /sys/fs/bpf. */
static int mkdir_p(const char *path)
{
	char buf[256];

	if (strlen(path) >= sizeof(buf))
		return -ENAMETOOLONG;
	strcpy(buf, path);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0700) < 0 && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(buf, 0700) < 0 && errno != EEXIST)
		return -errno;
	return 0;
}

/*
 * Decide the size of the pinned map name: the pinned map's when one
 * exists (asking for another, want != 0, is -EEXIST: resizing would drop
 * its contents), else want, or dflt when want is 0.
 */
static int map_entries(const char *pin_dir, const char *name, uint32_t want,
		       uint32_t dflt, uint32_t *entries)
{
	struct bpf_map_info info = {};
	uint32_t len = sizeof(info);
	char path[320];
	int fd, err;

	snprintf(path, sizeof(path), "%s/%s", pin_dir, name);
	fd = bpf_obj_get(path);
	if (fd < 0) {
		*entries = want ? want : dflt;
		return 0;
	}
	err = bpf_obj_get_info_by_fd(fd, &info, &len);
	close(fd);
	if (err)
		return -errno;
	if (want && info.max_entries != want) {
		xvs_log_err("the pinned %s in %s has %u entries, not %u; resizing would "
			    "drop its contents (run xvsd --cleanup first)",
			    name, pin_dir, info.max_entries, want);
		return -EEXIST;
	}
	*entries = info.max_entries;
	return 0;
}

/* The three sizes chosen at load time, into dp (see struct xvs_dp_size). */
static int dp_sizes(struct xvs_dp *dp, const struct xvs_dp_size *size)
{
	uint32_t conn = size->conn_tab_bits ? 1u << size->conn_tab_bits : 0;
	int err;

	if ((size->max_svcs && size->max_svcs < XVS_MAX_SERVICES) ||
	    (size->max_dests && size->max_dests < XVS_MAX_DESTS))
		return -EINVAL;
	err = map_entries(dp->pin_dir, "xvs_conn_v1", conn, 1u << XVS_CONN_TAB_BITS_DEFAULT,
			  &dp->conn_tab_size);
	if (!err)
		err = map_entries(dp->pin_dir, "xvs_svc_v1", size->max_svcs, XVS_MAX_SERVICES,
				  &dp->max_svcs);
	if (!err)
		err = map_entries(dp->pin_dir, "xvs_dest_v1", size->max_dests, XVS_MAX_DESTS,
				  &dp->max_dests);
	return err;
}

/*
 * Size the maps before load: the connection table, and every map indexed
 * by service id (declared with XVS_MAX_SERVICES entries) or by dest id
 * (XVS_MAX_DESTS), dp-t.h's rule.
 */
static int dp_resize(struct xvs_dp *dp)
{
	struct bpf_map *m;
	int err = 0;

	bpf_object__for_each_map(m, dp->skel->obj) {
		uint32_t n = bpf_map__max_entries(m);

		if (m == dp->skel->maps.xvs_conn_v1)
			err = bpf_map__set_max_entries(m, dp->conn_tab_size);
		else if (n == XVS_MAX_SERVICES)
			err = bpf_map__set_max_entries(m, dp->max_svcs);
		else if (n == XVS_MAX_DESTS)
			err = bpf_map__set_max_entries(m, dp->max_dests);
		if (err)
			return err;
	}
	return 0;
}

/* Default IPVS timeouts (ip_vs_proto_tcp.c, ip_vs_proto_udp.c), seconds. */
static const uint32_t default_timeouts[XVS_TIMEOUT_MAX] = {
	[XVS_TCP_NONE] = 2,	    [XVS_TCP_ESTABLISHED] = 900,
	[XVS_TCP_SYN_SENT] = 120,   [XVS_TCP_SYN_RECV] = 60,
	[XVS_TCP_FIN_WAIT] = 120,   [XVS_TCP_TIME_WAIT] = 120,
	[XVS_TCP_CLOSE] = 10,	    [XVS_TCP_CLOSE_WAIT] = 60,
	[XVS_TCP_LAST_ACK] = 30,    [XVS_TCP_LISTEN] = 120,
	[XVS_TCP_SYNACK] = 120,	    [XVS_TIMEOUT_UDP] = 300,
};

/* Fill the timeouts map with IPVS's defaults if it is fresh (all zero). */
static int init_timeouts(struct xvs_dp *dp)
{
	uint32_t k = XVS_TCP_ESTABLISHED, v = 0;

	if (bpf_map_lookup_elem(dp->timeouts_fd, &k, &v))
		return -errno;
	if (v)
		return 0;	/* reused: keep what --set configured */
	for (k = 0; k < XVS_TIMEOUT_MAX; k++)
		if (bpf_map_update_elem(dp->timeouts_fd, &k, &default_timeouts[k], BPF_ANY))
			return -errno;
	return 0;
}

static void collect_fds(struct xvs_dp *dp)
{
	struct xvs_director *s = dp->skel;

	dp->svc_fd = bpf_map__fd(s->maps.xvs_svc_v1);
	dp->svc_dests_fd = bpf_map__fd(s->maps.xvs_svc_dests_v1);
	dp->dest_fd = bpf_map__fd(s->maps.xvs_dest_v1);
	dp->dest_conns_fd = bpf_map__fd(s->maps.xvs_dest_conns_v1);
	dp->sched_state_fd = bpf_map__fd(s->maps.xvs_sched_state_v1);
	dp->sched_tab_fd = bpf_map__fd(s->maps.xvs_sched_tab_v1);
	dp->conn_fd = bpf_map__fd(s->maps.xvs_conn_v1);
	dp->svc_stats_fd = bpf_map__fd(s->maps.xvs_svc_stats_v1);
	dp->dest_stats_fd = bpf_map__fd(s->maps.xvs_dest_stats_v1);
	dp->timeouts_fd = bpf_map__fd(s->maps.xvs_timeouts_v1);
	dp->cnt_fd = bpf_map__fd(s->maps.xvs_cnt_v1);
	dp->laddr_fd = bpf_map__fd(s->maps.xvs_laddr_v1);
	dp->tx_ports_fd = bpf_map__fd(s->maps.xvs_tx_ports_v1);
}

int xvs_dp_open(struct xvs_dp *dp, const char *pin_dir, const struct xvs_dp_size *size)
{
	LIBBPF_OPTS(bpf_object_open_opts, opts, .pin_root_path = pin_dir);
	int err;

	memset(dp, 0, sizeof(*dp));
	if (strlen(pin_dir) >= sizeof(dp->pin_dir))
		return -ENAMETOOLONG;
	strcpy(dp->pin_dir, pin_dir);
	err = xvs_dp_mount_bpffs();
	if (err) {
		xvs_log_err("cannot mount bpffs at /sys/fs/bpf: %s", strerror(-err));
		return err;
	}
	err = mkdir_p(pin_dir);
	if (err) {
		xvs_log_err("cannot create %s: %s", pin_dir, strerror(-err));
		return err;
	}
	err = dp_sizes(dp, size);
	if (err)
		return err;
	dp->ncpus = libbpf_num_possible_cpus();
	if (dp->ncpus <= 0)
		return dp->ncpus ? dp->ncpus : -EINVAL;

	dp->skel = xvs_director__open_opts(&opts);
	if (!dp->skel)
		return -errno;
	err = dp_resize(dp);
	if (!err)
		err = xvs_director__load(dp->skel);
	if (err) {
		xvs_log_err("cannot load the director program (pins in %s): %s",
			    pin_dir, strerror(-err));
		goto err;
	}
	collect_fds(dp);
	dp->dest_conns = mmap(NULL, (size_t)dp->max_dests * sizeof(*dp->dest_conns),
			      PROT_READ | PROT_WRITE, MAP_SHARED,
			      dp->dest_conns_fd, 0);
	if (dp->dest_conns == MAP_FAILED) {
		err = -errno;
		dp->dest_conns = NULL;
		goto err;
	}
	err = init_timeouts(dp);
	if (err)
		goto err;
	return 0;
err:
	xvs_dp_close(dp);
	return err;
}

void xvs_dp_close(struct xvs_dp *dp)
{
	if (dp->dest_conns)
		munmap(dp->dest_conns, (size_t)dp->max_dests * sizeof(*dp->dest_conns));
	dp->dest_conns = NULL;
	if (dp->skel)
		xvs_director__destroy(dp->skel);
	dp->skel = NULL;
}

/* Create an XDP link for prog on ifindex in the given mode. fd or -errno. */
static int link_create(int prog_fd, int ifindex, enum xvs_xdp_mode mode)
{
	LIBBPF_OPTS(bpf_link_create_opts, opts);
	int fd;

	if (mode == XVS_XDP_NATIVE) {
		opts.flags = XDP_FLAGS_DRV_MODE;
		fd = bpf_link_create(prog_fd, ifindex, BPF_XDP, &opts);
		if (fd >= 0)
			return fd;
		xvs_log_warn("native XDP unavailable on ifindex %d (%s); using generic",
			     ifindex, strerror(errno));
	}
	opts.flags = XDP_FLAGS_SKB_MODE;
	fd = bpf_link_create(prog_fd, ifindex, BPF_XDP, &opts);
	return fd < 0 ? -errno : fd;
}

/*
 * Tell the data plane the interface's MAC (bpf/lib/host.h), so that it
 * leaves frames for other hosts to the kernel. Done before the program is
 * attached there. An interface without an Ethernet address, or past the
 * table's end, is not filtered: the data plane then handles every frame.
 */
static void set_iface_mac(struct xvs_dp *dp, const char *ifname, int ifindex)
{
	struct xvs_iface_mac *tab = dp->skel->bss->xvs_iface_macs;
	struct ifreq ifr = {};
	int fd, slot = -1;

	/* Its own slot if it has one (attached again), else the first free. */
	for (int i = XVS_MAX_IFACES - 1; i >= 0; i--)
		if (!tab[i].ifindex)
			slot = i;
	for (int i = 0; i < XVS_MAX_IFACES; i++)
		if (tab[i].ifindex == (uint32_t)ifindex)
			slot = i;
	if (slot < 0) {
		xvs_log_warn("%s: more than %d interfaces; frames for other hosts are not "
			     "filtered here", ifname, XVS_MAX_IFACES);
		return;
	}
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	if (!ioctl(fd, SIOCGIFHWADDR, &ifr) && ifr.ifr_hwaddr.sa_family == ARPHRD_ETHER) {
		memcpy(tab[slot].mac, ifr.ifr_hwaddr.sa_data, sizeof(tab[slot].mac));
		tab[slot].ifindex = (uint32_t)ifindex;
	}
	close(fd);
}

int xvs_dp_attach(struct xvs_dp *dp, const char *ifname, enum xvs_xdp_mode mode)
{
	int prog_fd = bpf_program__fd(dp->skel->progs.xvs_director);
	int ifindex = (int)if_nametoindex(ifname);
	char dir[300], path[320];
	int fd, err;

	if (!ifindex) {
		xvs_log_err("no interface named %s", ifname);
		return -ENODEV;
	}
	set_iface_mac(dp, ifname, ifindex);
	/* NAT and FULLNAT redirect between the attached interfaces through
	 * this devmap; without the entry they fall back to bpf_redirect. */
	if (bpf_map_update_elem(dp->tx_ports_fd, &ifindex, &ifindex, BPF_ANY))
		xvs_log_warn("%s: not in the redirect devmap: %s", ifname, strerror(errno));
	snprintf(dir, sizeof(dir), "%s/links", dp->pin_dir);
	err = mkdir_p(dir);
	if (err)
		return err;
	snprintf(path, sizeof(path), "%s/%s", dir, ifname);
	fd = bpf_obj_get(path);
	if (fd >= 0) {
		/* Swap the running program for ours: no packet is missed. */
		err = bpf_link_update(fd, prog_fd, NULL) ? -errno : 0;
		close(fd);
		if (!err) {
			xvs_log_info("took over the XDP link on %s", ifname);
			return 0;
		}
		xvs_log_warn("cannot update the pinned link on %s (%s); re-attaching",
			     ifname, strerror(-err));
		unlink(path);
	}
	fd = link_create(prog_fd, ifindex, mode);
	if (fd < 0) {
		xvs_log_err("cannot attach XDP to %s: %s", ifname, strerror(-fd));
		return fd;
	}
	err = bpf_obj_pin(fd, path) ? -errno : 0;
	close(fd);
	if (err)
		xvs_log_err("cannot pin the XDP link of %s at %s: %s", ifname, path,
			    strerror(-err));
	else
		xvs_log_info("attached to %s", ifname);
	return err;
}

/* Remove every file in dir, then dir. Missing dir is fine. */
static int remove_pins(const char *dir)
{
	char path[600];
	struct dirent *e;
	DIR *d = opendir(dir);

	if (!d)
		return errno == ENOENT ? 0 : -errno;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (unlink(path) < 0 && errno == EISDIR)
			remove_pins(path);
	}
	closedir(d);
	return rmdir(dir) < 0 ? -errno : 0;
}

int xvs_dp_cleanup(const char *pin_dir)
{
	char links[300];
	int err;

	err = xvs_dp_mount_bpffs();
	if (err)
		return err;
	/* Links first: unpinning the last reference detaches XDP. */
	snprintf(links, sizeof(links), "%s/links", pin_dir);
	err = remove_pins(links);
	if (err)
		return err;
	return remove_pins(pin_dir);
}

int xvs_dp_read_stats(const struct xvs_dp *dp, int fd, uint32_t key,
		      struct xvs_stats *out)
{
	struct xvs_stats *v = calloc((size_t)dp->ncpus, sizeof(*v));

	memset(out, 0, sizeof(*out));
	if (!v)
		return -ENOMEM;
	if (bpf_map_lookup_elem(fd, &key, v)) {
		free(v);
		return -errno;
	}
	for (int i = 0; i < dp->ncpus; i++) {
		out->conns += v[i].conns;
		out->inpkts += v[i].inpkts;
		out->outpkts += v[i].outpkts;
		out->inbytes += v[i].inbytes;
		out->outbytes += v[i].outbytes;
	}
	free(v);
	return 0;
}

int xvs_dp_zero_stats(const struct xvs_dp *dp, int fd, uint32_t key)
{
	struct xvs_stats *v = calloc((size_t)dp->ncpus, sizeof(*v));
	int err;

	if (!v)
		return -ENOMEM;
	err = bpf_map_update_elem(fd, &key, v, BPF_ANY) ? -errno : 0;
	free(v);
	return err;
}

int xvs_dp_read_counters(const struct xvs_dp *dp, uint64_t *out)
{
	uint64_t *v = calloc((size_t)dp->ncpus, sizeof(*v));

	if (!v)
		return -ENOMEM;
	for (uint32_t k = 0; k < XVS_CNT_MAX; k++) {
		out[k] = 0;
		if (bpf_map_lookup_elem(dp->cnt_fd, &k, v))
			continue;
		for (int i = 0; i < dp->ncpus; i++)
			out[k] += v[i];
	}
	free(v);
	return 0;
}
