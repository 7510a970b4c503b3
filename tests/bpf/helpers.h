/* SPDX-License-Identifier: GPL-2.0 */
/*
 * helpers.h - test fixture for bpf/xvs_director.bpf.c under
 * BPF_PROG_TEST_RUN.
 *
 * xt_load() opens the skeleton, clears every map's pin path (so that a
 * test never reads or writes xvsd's pinned maps under /sys/fs/bpf),
 * shrinks the connection table and loads it. The xt_* setters then
 * populate the maps as xvsd would (services, dest lists, dests, wrr
 * tables, timeouts) and the getters read back connections, per-dest
 * counts, traffic statistics and drop-reason counters, per-CPU values
 * summed. Every helper asserts on failure, so a test reads as a list of
 * SETUP and CHECK steps.
 *
 * Include after <cmocka.h> and its prerequisites.
 */
#ifndef XVS_TESTS_HELPERS_H
#define XVS_TESTS_HELPERS_H

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/bpf.h>

#include "pkt.h"
#include "expect.h"
#include "xvs/dp-t.h"
#include "xvs_director.skel.h"

#define XT_CONN_MAX	4096	/* connection table size in tests */
#define XT_IFINDEX	1	/* lo: a real ifindex for ctx_in */

/* Addresses from the lab's plan (TESTING.md). */
#define XT_CLIENT	"198.18.2.1"
#define XT_VIP		"198.18.0.100"
#define XT_DIRECTOR	"198.18.0.10"
#define XT_VPORT	80

/* The director's egress MAC; a dest's next hop is 02:00:00:00:01:<id>. */
#define XT_SMAC		{ 0x02, 0x00, 0x00, 0x00, 0x00, 0x10 }

/* IPVS's default timeouts (ip_vs_proto_tcp.c, ip_vs_proto_udp.c), s. */
static const uint32_t xt_timeouts[XVS_TIMEOUT_MAX] = {
	[XVS_TCP_NONE] = 2,
	[XVS_TCP_ESTABLISHED] = 15 * 60,
	[XVS_TCP_SYN_SENT] = 2 * 60,
	[XVS_TCP_SYN_RECV] = 1 * 60,
	[XVS_TCP_FIN_WAIT] = 2 * 60,
	[XVS_TCP_TIME_WAIT] = 2 * 60,
	[XVS_TCP_CLOSE] = 10,
	[XVS_TCP_CLOSE_WAIT] = 60,
	[XVS_TCP_LAST_ACK] = 30,
	[XVS_TCP_LISTEN] = 2 * 60,
	[XVS_TCP_SYNACK] = 120,
	[XVS_TIMEOUT_UDP] = 5 * 60,
};

/* The skeleton under test; one fresh load per test (xt_setup). */
static struct xvs_director *xt_skel;

static inline int xt_fd(const struct bpf_map *m)
{
	return bpf_map__fd(m);
}

/*
 * Open and load the director without pinning: every map's pin path is
 * cleared before load, so nothing under /sys/fs/bpf is touched. The
 * connection table is sized XT_CONN_MAX (conn_max if not 0) and the
 * timeouts map gets IPVS's defaults. Returns the skeleton, or NULL with
 * a message on stderr; the caller destroys it.
 */
static inline struct xvs_director *xt_load(uint32_t conn_max)
{
	struct xvs_director *s;
	struct bpf_map *m;
	uint32_t k;
	int err;

	s = xvs_director__open();
	if (!s) {
		fprintf(stderr, "xvs_director__open: %s\n", strerror(errno));
		return NULL;
	}
	bpf_object__for_each_map(m, s->obj) {
		err = bpf_map__set_pin_path(m, NULL);
		if (err)
			goto err;
	}
	err = bpf_map__set_max_entries(s->maps.xvs_conn_v1,
				       conn_max ? conn_max : XT_CONN_MAX);
	if (err)
		goto err;
	err = xvs_director__load(s);
	if (err)
		goto err;
	for (k = 0; k < XVS_TIMEOUT_MAX; k++) {
		err = bpf_map_update_elem(xt_fd(s->maps.xvs_timeouts_v1), &k,
					  &xt_timeouts[k], BPF_ANY);
		if (err)
			goto err;
	}
	return s;
err:
	fprintf(stderr, "cannot load xvs_director: %s\n", strerror(-err));
	xvs_director__destroy(s);
	return NULL;
}

/* cmocka fixtures: a fresh program and fresh maps for every test. */
static inline int xt_setup(void **st)
{
	(void)st;
	xt_skel = xt_load(0);
	return xt_skel ? 0 : -1;
}

static inline int xt_teardown(void **st)
{
	(void)st;
	xvs_director__destroy(xt_skel);
	xt_skel = NULL;
	return 0;
}

/*
 * Run the director once on in (len bytes) as received on ifindex;
 * returns the XDP verdict and fills out (PKT_BUF_SIZE bytes) and
 * *out_len with the frame as the program left it.
 */
static inline int xt_run_if(const uint8_t *in, size_t len, uint8_t *out,
			    size_t *out_len, uint32_t ifindex)
{
	struct xdp_md ctx = {
		.data_end = (uint32_t)len,
		.ingress_ifindex = ifindex,
	};
	LIBBPF_OPTS(bpf_test_run_opts, o,
		.data_in = in,
		.data_size_in = (uint32_t)len,
		.data_out = out,
		.data_size_out = PKT_BUF_SIZE,
		.ctx_in = &ctx,
		.ctx_size_in = sizeof(ctx),
		.repeat = 1,
	);

	assert_int_equal(bpf_prog_test_run_opts(
		bpf_program__fd(xt_skel->progs.xvs_director), &o), 0);
	*out_len = o.data_size_out;
	return (int)o.retval;
}

static inline int xt_run(const uint8_t *in, size_t len, uint8_t *out,
			 size_t *out_len)
{
	return xt_run_if(in, len, out, out_len, XT_IFINDEX);
}


/* ---- services, dests, scheduler tables ---- */

/* Set service svc_id's schedulable dest list to ids[0..n). */
static inline void xt_svc_dests(uint32_t svc_id, const uint32_t *ids, uint32_t n)
{
	struct xvs_svc_dests sd;

	memset(&sd, 0, sizeof(sd));
	sd.n_dests = n;
	if (n)
		memcpy(sd.ids, ids, n * sizeof(ids[0]));
	assert_int_equal(bpf_map_update_elem(xt_fd(xt_skel->maps.xvs_svc_dests_v1),
					     &svc_id, &sd, BPF_ANY), 0);
}

/* The service key for an IPv4 (vip, port, proto). */
static inline struct xvs_svc_key xt_svc_key4(const char *vip, uint16_t port,
					     uint8_t proto)
{
	struct xvs_svc_key k;

	memset(&k, 0, sizeof(k));
	k.addr.ip4 = pkt_ip4_addr(vip);
	k.port = htons(port);
	k.proto = proto;
	k.af = XVS_AF_INET;
	return k;
}

/* Add service key as svc_id with scheduler sched and dests ids[0..n). */
static inline void xt_svc_add_key(const struct xvs_svc_key *k, uint32_t svc_id,
				  uint8_t sched, const uint32_t *ids, uint32_t n)
{
	struct xvs_svc svc = { .id = svc_id, .sched = sched };

	assert_int_equal(bpf_map_update_elem(xt_fd(xt_skel->maps.xvs_svc_v1),
					     k, &svc, BPF_ANY), 0);
	xt_svc_dests(svc_id, ids, n);
}

static inline void xt_svc_add(const char *vip, uint16_t port, uint8_t proto,
			      uint32_t svc_id, uint8_t sched,
			      const uint32_t *ids, uint32_t n)
{
	struct xvs_svc_key k = xt_svc_key4(vip, port, proto);

	xt_svc_add_key(&k, svc_id, sched, ids, n);
}

/*
 * A DR dest with id, for svc_id, weight w: usable (VALID, AVAILABLE,
 * NEIGH_OK), out of XT_IFINDEX (so XDP_TX), MTU 1500, address
 * 198.18.0.<10 + id>, next hop 02:00:00:00:01:<id>.
 */
static inline struct xvs_dest xt_dest_dr(uint32_t id, uint32_t svc_id, int32_t w)
{
	struct xvs_dest d;
	static const uint8_t smac[6] = XT_SMAC;
	char a[32];

	memset(&d, 0, sizeof(d));
	snprintf(a, sizeof(a), "198.18.0.%u", 10 + id);
	d.addr.ip4 = pkt_ip4_addr(a);
	d.saddr.ip4 = pkt_ip4_addr(XT_DIRECTOR);
	d.port = htons(XT_VPORT);
	d.af = XVS_AF_INET;
	d.fwd = XVS_FWD_DR;
	d.flags = XVS_DEST_F_VALID | XVS_DEST_F_AVAILABLE | XVS_DEST_F_NEIGH_OK;
	d.weight = w;
	d.svc_id = svc_id;
	d.ifindex = XT_IFINDEX;
	d.mtu = 1500;
	d.dmac[0] = 0x02;
	d.dmac[4] = 0x01;
	d.dmac[5] = (uint8_t)id;
	memcpy(d.smac, smac, 6);
	return d;
}

static inline void xt_dest_put(uint32_t id, const struct xvs_dest *d)
{
	assert_int_equal(bpf_map_update_elem(xt_fd(xt_skel->maps.xvs_dest_v1),
					     &id, d, BPF_ANY), 0);
}

static inline struct xvs_dest xt_dest_get(uint32_t id)
{
	struct xvs_dest d;

	assert_int_equal(bpf_map_lookup_elem(xt_fd(xt_skel->maps.xvs_dest_v1),
					     &id, &d), 0);
	return d;
}

/* Add DR dests ids[0..n) with weights w[0..n) to svc_id. */
static inline void xt_dests_dr(uint32_t svc_id, const uint32_t *ids,
			       const int32_t *w, uint32_t n)
{
	uint32_t i;

	for (i = 0; i < n; i++) {
		struct xvs_dest d = xt_dest_dr(ids[i], svc_id, w ? w[i] : 1);

		xt_dest_put(ids[i], &d);
	}
}

/* Install a wrr/sh/mh table of n slots for svc_id. */
static inline void xt_sched_tab(uint32_t svc_id, const uint16_t *slots, uint32_t n)
{
	struct xvs_sched_tab *t = calloc(1, sizeof(*t));

	assert_non_null(t);
	t->len = n;
	memcpy(t->slot, slots, n * sizeof(slots[0]));
	assert_int_equal(bpf_map_update_elem(xt_fd(xt_skel->maps.xvs_sched_tab_v1),
					     &svc_id, t, BPF_ANY), 0);
	free(t);
}

/* ---- read back ---- */

static inline struct xvs_dest_conns xt_dest_conns(uint32_t id)
{
	struct xvs_dest_conns c;

	assert_int_equal(bpf_map_lookup_elem(xt_fd(xt_skel->maps.xvs_dest_conns_v1),
					     &id, &c), 0);
	return c;
}

static inline void xt_dest_conns_set(uint32_t id, int32_t active, int32_t inactive)
{
	struct xvs_dest_conns c = { .active = active, .inactive = inactive };

	assert_int_equal(bpf_map_update_elem(xt_fd(xt_skel->maps.xvs_dest_conns_v1),
					     &id, &c, BPF_ANY), 0);
}

/* Set or clear a dest's OVERLOAD (-x reached), keeping its counts. */
static inline void xt_dest_overload(uint32_t id, uint32_t on)
{
	struct xvs_dest_conns c = xt_dest_conns(id);

	c.overload = on;
	assert_int_equal(bpf_map_update_elem(xt_fd(xt_skel->maps.xvs_dest_conns_v1),
					     &id, &c, BPF_ANY), 0);
}

/* Assert a dest's ActiveConn/InActConn. */
#define xt_expect_conns(id, act, inact) do {				\
	struct xvs_dest_conns c_ = xt_dest_conns(id);			\
	assert_int_equal(c_.active, (act));				\
	assert_int_equal(c_.inactive, (inact));				\
} while (0)

/* A per-CPU xvs_stats entry of map m at id, summed over CPUs. */
static inline struct xvs_stats xt_stats(const struct bpf_map *m, uint32_t id)
{
	int ncpu = libbpf_num_possible_cpus(), i;
	struct xvs_stats v[ncpu], sum;

	memset(&sum, 0, sizeof(sum));
	assert_int_equal(bpf_map_lookup_elem(xt_fd(m), &id, v), 0);
	for (i = 0; i < ncpu; i++) {
		sum.conns += v[i].conns;
		sum.inpkts += v[i].inpkts;
		sum.outpkts += v[i].outpkts;
		sum.inbytes += v[i].inbytes;
		sum.outbytes += v[i].outbytes;
	}
	return sum;
}

/* Assert the service's and the dest's conns/inpkts/inbytes. */
#define xt_expect_stats(svc_id, dest_id, nconns, npkts, nbytes) do {	\
	struct xvs_stats s_ = xt_stats(xt_skel->maps.xvs_svc_stats_v1, svc_id); \
	struct xvs_stats d_ = xt_stats(xt_skel->maps.xvs_dest_stats_v1, dest_id); \
	assert_int_equal(s_.conns, (nconns));				\
	assert_int_equal(s_.inpkts, (npkts));				\
	assert_int_equal(s_.inbytes, (nbytes));				\
	assert_int_equal(d_.conns, (nconns));				\
	assert_int_equal(d_.inpkts, (npkts));				\
	assert_int_equal(d_.inbytes, (nbytes));				\
	assert_int_equal(s_.outpkts + d_.outpkts, 0);			\
} while (0)

/* Drop/pass reason counter k, summed over CPUs. */
static inline uint64_t xt_cnt(uint32_t k)
{
	int ncpu = libbpf_num_possible_cpus(), i;
	uint64_t v[ncpu], sum = 0;

	assert_int_equal(bpf_map_lookup_elem(xt_fd(xt_skel->maps.xvs_cnt_v1), &k, v), 0);
	for (i = 0; i < ncpu; i++)
		sum += v[i];
	return sum;
}

/* All reason counters, for a before/after comparison. */
struct xt_cnts {
	uint64_t v[XVS_CNT_MAX];
};

static inline struct xt_cnts xt_cnts_snap(void)
{
	struct xt_cnts c;
	uint32_t k;

	for (k = 0; k < XVS_CNT_MAX; k++)
		c.v[k] = xt_cnt(k);
	return c;
}

/*
 * Assert that, since snap, counter k moved by n and every other counter
 * stayed (k = XVS_CNT_MAX: none moved).
 */
static inline void xt_expect_cnt_delta(const struct xt_cnts *snap, uint32_t k,
				       uint64_t n)
{
	uint32_t i;

	for (i = 0; i < XVS_CNT_MAX; i++) {
		uint64_t now = xt_cnt(i);

		if (now - snap->v[i] != (i == k ? n : 0))
			fprintf(stderr, "counter %u: %llu -> %llu\n", i,
				(unsigned long long)snap->v[i],
				(unsigned long long)now);
		assert_int_equal(now - snap->v[i], i == k ? n : 0);
	}
}

/* The IPv4 forward connection key. Ports in host order. */
static inline struct xvs_conn_key xt_conn_key4(const char *saddr, uint16_t sport,
					       const char *daddr, uint16_t dport,
					       uint8_t proto)
{
	struct xvs_conn_key k;

	memset(&k, 0, sizeof(k));
	k.saddr.ip4 = pkt_ip4_addr(saddr);
	k.daddr.ip4 = pkt_ip4_addr(daddr);
	k.sport = htons(sport);
	k.dport = htons(dport);
	k.proto = proto;
	k.af = XVS_AF_INET;
	k.kind = XVS_CONN_KIND_IN;
	return k;
}

/* Look a connection up; 0, or -ENOENT. */
static inline int xt_conn_get(const struct xvs_conn_key *k, struct xvs_conn *c)
{
	return bpf_map_lookup_elem(xt_fd(xt_skel->maps.xvs_conn_v1), k, c) ? -errno : 0;
}

/* The client's TCP connection to the VIP from sport. */
static inline struct xvs_conn xt_tcp_conn(uint16_t sport)
{
	struct xvs_conn_key k = xt_conn_key4(XT_CLIENT, sport, XT_VIP, XT_VPORT,
					     IPPROTO_TCP);
	struct xvs_conn c;

	assert_int_equal(xt_conn_get(&k, &c), 0);
	return c;
}

/*
 * A TCP segment client:sport -> VIP:80 with flags and payload_len bytes
 * of payload (at most 1400), optionally VLAN-tagged; returns its length.
 */
static inline size_t xt_tcp4(uint8_t *buf, uint16_t sport, uint8_t flags,
			     size_t payload_len, bool vlan)
{
	static uint8_t payload[1400];
	struct pkt_desc d = PKT_DESC_TCP4(XT_CLIENT, sport, XT_VIP, XT_VPORT);
	size_t i, len;

	for (i = 0; i < sizeof(payload); i++)
		payload[i] = (uint8_t)(i * 7 + 1);
	d.eth.vlan = vlan;
	d.eth.vlan_tci = 42;
	d.ip.id = 0x1234;
	d.ip.frag = PKT_IP_DF;
	d.l4.tcp_flags = flags;
	d.l4.seq = 1000;
	d.l4.ack = flags & PKT_TCP_ACK ? 5000 : 0;
	d.payload = payload;
	d.payload_len = payload_len <= sizeof(payload) ? payload_len : sizeof(payload);
	len = pkt_build(buf, PKT_BUF_SIZE, &d);
	assert_true(len > 0);
	return len;
}

/*
 * Run in and expect DR to dest d: verdict XDP_TX (XDP_REDIRECT when d
 * leaves by another interface), and exactly the input with the
 * destination MAC d->dmac and source MAC d->smac.
 */
static inline void xt_expect_dr(const uint8_t *in, size_t len,
				const struct xvs_dest *d)
{
	uint8_t out[PKT_BUF_SIZE], want[PKT_BUF_SIZE];
	size_t out_len;

	memcpy(want, in, len);
	memcpy(want, d->dmac, 6);
	memcpy(want + 6, d->smac, 6);
	assert_int_equal(xt_run(in, len, out, &out_len),
			 d->ifindex == XT_IFINDEX ? XDP_TX : XDP_REDIRECT);
	expect_bytes(out, out_len, want, len);
}

/* Run in and expect it handed to the kernel byte for byte. */
static inline void xt_expect_pass_untouched(const uint8_t *in, size_t len)
{
	uint8_t out[PKT_BUF_SIZE];
	size_t out_len;

	assert_int_equal(xt_run(in, len, out, &out_len), XDP_PASS);
	expect_bytes(out, out_len, in, len);
}

/* The dest id the connection from sport went to, after one SYN. */
static inline uint32_t xt_syn_dest(uint16_t sport)
{
	uint8_t in[PKT_BUF_SIZE], out[PKT_BUF_SIZE];
	size_t len = xt_tcp4(in, sport, PKT_TCP_SYN, 0, false), out_len;
	int v = xt_run(in, len, out, &out_len);

	uint32_t id;

	assert_true(v == XDP_TX || v == XDP_REDIRECT);
	id = xt_tcp_conn(sport).dest_id;
	/* The frame went where the entry says: the next hop's MAC. */
	assert_int_equal(out[5], (uint8_t)id);
	return id;
}

/*
 * Client address number i as text in buf: distinct addresses in
 * 198.19.0.0/16 (the benchmarking range) for hash-spread tests.
 */
static inline const char *xt_client_addr(int i, char *buf, size_t len)
{
	snprintf(buf, len, "198.19.%d.%d", i / 250, i % 250 + 1);
	return buf;
}

/*
 * A SYN saddr:sport -> VIP:80; the dest id it went to (the low byte of
 * the next hop's MAC, as the fixtures assign them), or 0 when the answer
 * was ICMP port unreachable (no dest).
 */
static inline uint32_t xt_syn_from(const char *saddr, uint16_t sport)
{
	uint8_t in[PKT_BUF_SIZE], out[PKT_BUF_SIZE];
	struct pkt_desc d = PKT_DESC_TCP4(saddr, sport, XT_VIP, XT_VPORT);
	size_t len, out_len;
	int v;

	d.l4.tcp_flags = PKT_TCP_SYN;
	len = pkt_build(in, PKT_BUF_SIZE, &d);
	assert_true(len > 0);
	v = xt_run(in, len, out, &out_len);
	assert_int_equal(v, XDP_TX);
	if (out[PKT_ETH_HLEN + 9] == IPPROTO_ICMP)
		return 0;
	return out[5];
}

/*
 * A table-driven service svc_id (sh, dh, mh) with no dests and an empty table
 * (len 0), as xvsd lays out one without a positive weight: a SYN to it
 * gets no dest.
 */
static inline void xt_expect_empty_table(uint32_t svc_id, uint8_t sched)
{
	struct xvs_svc_key k = xt_svc_key4(XT_VIP, XT_VPORT, IPPROTO_TCP);
	struct xvs_svc svc = { .id = svc_id, .sched = sched,
			       .flags = XVS_SVC_F_SCHED1 };
	uint16_t none = 0;

	xt_svc_dests(svc_id, NULL, 0);
	xt_sched_tab(svc_id, &none, 0);
	assert_int_equal(bpf_map_update_elem(xt_fd(xt_skel->maps.xvs_svc_v1),
					     &k, &svc, BPF_ANY), 0);
	assert_int_equal(xt_syn_from(XT_CLIENT, 1000), 0);
}

#endif /* XVS_TESTS_HELPERS_H */
