// SPDX-License-Identifier: GPL-2.0
/*
 * xdp_bench.c - per-packet cost of the director's XDP program, measured
 * with BPF_PROG_TEST_RUN, as ratios to a MAC-swap XDP_TX program timed
 * the same way in the same run. No pass/fail: it prints figures.
 *
 * Variants are table entries (bench_fixed[], and bench_scheds[] x
 * bench_ndests[] for new connections): the empty program (harness cost),
 * MAC swap (the baseline), established DR and TUN flows, and a new
 * connection for every scheduler with 2, 100 and XVS_SVC_MAX_DESTS dests.
 *
 * Method (docs/bench.md, TESTING.md item 4):
 *  - "call" timing: repeat=1, one packet per bpf_prog_test_run_opts call,
 *    fresh input bytes every call, so programs that rewrite or encapsulate
 *    are timed on the packet they are meant for. The kernel's duration
 *    for one run includes a ktime read and bh disable/enable; the empty
 *    program's call time is that overhead plus its own dispatch, so
 *      gross(X) = call(X) - call(empty) + loop(empty)
 *    is X's cost as a repeat loop would report it (comparable to the
 *    ~10 ns MAC swap of TESTING.md), and net(X) = call(X) - call(empty)
 *    is what X adds to an empty program.
 *  - "loop" timing: repeat=N on one buffer, for the programs that give
 *    the same result when re-run on their own output (empty, MAC swap,
 *    DR established); a cross-check of the call method.
 *  - New connections: each call uses a new source port and the entry is
 *    deleted after the call (outside the timed region), so the table
 *    never fills and no LRU eviction is timed.
 *  - Variants are interleaved in chunks (A B C ... A B C ...) within a
 *    round, rounds are separated by idle time (the VM throttles after a
 *    minute of full CPU), and the reported figure is the median of the
 *    per-round values and ratios.
 *
 * Usage: xdp_bench [-r rounds] [-n calls] [-l loop_repeat] [-i idle_ms]
 *                  [-c cpu] [-o results.md]
 */
#include <errno.h>
#include <getopt.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/bpf.h>

#include "names.h"
#include "median.h"
#include "pkt.h"
#include "sched_tab.h"
#include "xvs/dp-t.h"
#include "xvs/persist.h"
#include "xvs_bench.skel.h"
#include "xvs_director.skel.h"

#define BENCH_CLIENT	"198.18.2.1"
#define BENCH_VIP	"198.18.0.100"
#define BENCH_DIRECTOR	"198.18.0.10"
#define BENCH_IFINDEX	1		/* lo: XDP_TX for dests on it */
#define BENCH_CHUNKS	10		/* interleaving chunks per round */
#define BENCH_ROUNDS_MAX 101
#define BENCH_PORT_BASE	1000		/* variant v's service is on port base + v */
#define BENCH_V_MAX	64
#define BENCH_PERSIST_S	300		/* -p timeout of the persistent rows */

enum bench_kind {
	BK_EMPTY,	/* xvs_bench_pass */
	BK_MACSWAP,	/* xvs_bench_macswap, the baseline */
	BK_EST,		/* director: an ACK of an established connection */
	BK_NEW,		/* director: a SYN with a fresh 5-tuple */
};

/* Persistence of a new-connection variant's service (-p, mask /32). */
enum bench_persist {
	BP_NONE,
	BP_TPL_HIT,	/* the client's template exists: it picks the dest */
	BP_TPL_MISS,	/* template deleted after each call: schedule + create it */
};

/*
 * One timed variant. A service of its own (scheduler, dests, forwarding
 * method, flags) is set up for every director variant.
 */
struct bench_variant {
	const char *label;	/* NULL: built from the fields */
	enum bench_kind kind;
	uint8_t sched;		/* enum xvs_sched */
	uint8_t fwd;		/* enum xvs_fwd */
	uint16_t n_dests;
	uint32_t svc_flags;	/* XVS_SVC_F_* */
	enum bench_persist persist;
};

/* The first rows: the two baselines, then the fixed director paths. */
static const struct bench_variant bench_fixed[] = {
	{ .label = "empty XDP_PASS program", .kind = BK_EMPTY },
	{ .label = "MAC-swap XDP_TX (baseline)", .kind = BK_MACSWAP },
	{ .label = "established DR flow", .kind = BK_EST, .sched = XVS_SCHED_RR,
	  .fwd = XVS_FWD_DR, .n_dests = 1 },
	{ .label = "established TUN flow", .kind = BK_EST, .sched = XVS_SCHED_RR,
	  .fwd = XVS_FWD_TUN, .n_dests = 1 },
	{ .label = "new conn TUN, wlc, 100 dests", .kind = BK_NEW, .sched = XVS_SCHED_WLC,
	  .fwd = XVS_FWD_TUN, .n_dests = 100 },
	{ .label = "new conn DR, wlc, 100 dests, -p, template hit", .kind = BK_NEW,
	  .sched = XVS_SCHED_WLC, .fwd = XVS_FWD_DR, .n_dests = 100, .persist = BP_TPL_HIT },
	{ .label = "new conn DR, wlc, 100 dests, -p, no template", .kind = BK_NEW,
	  .sched = XVS_SCHED_WLC, .fwd = XVS_FWD_DR, .n_dests = 100, .persist = BP_TPL_MISS },
};
#define V_EMPTY		0	/* indices of bench_fixed[] rows */
#define V_MACSWAP	1
#define V_DR_EST	2
#define V_TUN_EST	3

/* New DR connections: every scheduler with every dest count. */
static const uint8_t bench_scheds[] = {
	XVS_SCHED_RR, XVS_SCHED_WRR, XVS_SCHED_LC, XVS_SCHED_WLC, XVS_SCHED_SED,
	XVS_SCHED_NQ, XVS_SCHED_FO, XVS_SCHED_OVF, XVS_SCHED_SH, XVS_SCHED_DH,
	XVS_SCHED_MH, XVS_SCHED_TWOS, XVS_SCHED_LBLC, XVS_SCHED_LBLCR,
};
#define BENCH_N_SCHEDS	(sizeof(bench_scheds) / sizeof(bench_scheds[0]))
static const uint16_t bench_ndests[] = { 2, 100, XVS_SVC_MAX_DESTS };
#define BENCH_N_NDESTS	(sizeof(bench_ndests) / sizeof(bench_ndests[0]))
#define BENCH_N_FIXED	(sizeof(bench_fixed) / sizeof(bench_fixed[0]))
_Static_assert(BENCH_N_FIXED + BENCH_N_SCHEDS * BENCH_N_NDESTS <= BENCH_V_MAX,
	       "raise BENCH_V_MAX");

struct bench {
	struct xvs_director *dir;
	struct xvs_bench *base;
	int nv;
	struct bench_variant var[BENCH_V_MAX];
	char name[BENCH_V_MAX][64];
	int skip[BENCH_V_MAX];		/* not timed: the data plane lacks it */
	int prog_fd[BENCH_V_MAX];
	uint8_t pkt[BENCH_V_MAX][PKT_BUF_SIZE];
	size_t pkt_len[BENCH_V_MAX];
	uint32_t next_dest_id;		/* dest ids are allocated in order */
	uint16_t next_sport;		/* new-connection source ports */
	/* Per round: mean ns of one call, and ns of one loop iteration. */
	double call_ns[BENCH_ROUNDS_MAX][BENCH_V_MAX];
	double loop_ns[BENCH_ROUNDS_MAX][BENCH_V_MAX];
};

static int bench_fail(const char *what, int err)
{
	fprintf(stderr, "xdp_bench: %s: %s\n", what, strerror(err < 0 ? -err : err));
	return -1;
}

/* Fill b->var and b->name from the tables. */
static void bench_variants(struct bench *b)
{
	size_t i, s, d;

	for (i = 0; i < BENCH_N_FIXED; i++)
		b->var[b->nv++] = bench_fixed[i];
	for (s = 0; s < BENCH_N_SCHEDS; s++)
		for (d = 0; d < BENCH_N_NDESTS; d++)
			b->var[b->nv++] = (struct bench_variant){
				.kind = BK_NEW, .sched = bench_scheds[s],
				.fwd = XVS_FWD_DR, .n_dests = bench_ndests[d],
			};
	for (int v = 0; v < b->nv; v++) {
		const struct bench_variant *x = &b->var[v];

		if (x->label)
			snprintf(b->name[v], sizeof(b->name[v]), "%s", x->label);
		else
			snprintf(b->name[v], sizeof(b->name[v]), "new conn %s, %s, %u dests",
				 x->fwd == XVS_FWD_TUN ? "TUN" : "DR",
				 xvs_sched_name(x->sched), x->n_dests);
	}
}

/* A TCP segment client:sport -> VIP:dport, 10 bytes of payload. */
static size_t bench_tcp(uint8_t *buf, uint16_t sport, uint16_t dport, uint8_t flags)
{
	struct pkt_desc d = PKT_DESC_TCP4(BENCH_CLIENT, sport, BENCH_VIP, dport);

	d.ip.frag = PKT_IP_DF;
	d.l4.tcp_flags = flags;
	d.payload = "0123456789";
	d.payload_len = 10;
	return pkt_build(buf, PKT_BUF_SIZE, &d);
}

/*
 * A usable dest with id and weight: DR (or TUN) out of BENCH_IFINDEX, its
 * address 198.19.x.y from the id.
 */
static int bench_dest(struct bench *b, uint32_t id, uint32_t svc_id, uint8_t fwd,
		      int32_t weight)
{
	struct xvs_dest d;

	memset(&d, 0, sizeof(d));
	d.addr.ip4 = htonl(0xc6130000u + id);
	d.saddr.ip4 = pkt_ip4_addr(BENCH_DIRECTOR);
	d.port = htons(80);
	d.af = XVS_AF_INET;
	d.fwd = fwd;
	d.flags = XVS_DEST_F_VALID | XVS_DEST_F_AVAILABLE | XVS_DEST_F_NEIGH_OK;
	d.weight = weight;
	d.svc_id = svc_id;
	d.ifindex = BENCH_IFINDEX;
	d.mtu = 1500;
	d.dmac[0] = 0x02;
	d.dmac[4] = (uint8_t)(id >> 8);
	d.dmac[5] = (uint8_t)id;
	d.smac[0] = 0x02;
	d.smac[5] = 0x10;
	return bpf_map_update_elem(bpf_map__fd(b->dir->maps.xvs_dest_v1), &id, &d, BPF_ANY);
}

/*
 * The precomputed table of a table-driven scheduler (wrr, sh, dh, mh),
 * laid out by the same lib/sched_tab.c functions xvsd uses. Other
 * schedulers need none.
 */
static int bench_sched_tab(struct bench *b, uint32_t svc_id, uint8_t sched,
			   const struct xvs_svc_dests *sd, const int32_t *w)
{
	struct xvs_mh_dest md[XVS_SVC_MAX_DESTS];
	union xvs_addr addr[XVS_SVC_MAX_DESTS];
	struct xvs_sched_tab *tab;
	int32_t len = 0;
	int err = 0;

	if (sched != XVS_SCHED_WRR && sched != XVS_SCHED_SH && sched != XVS_SCHED_DH &&
	    sched != XVS_SCHED_MH)
		return 0;
	tab = calloc(1, sizeof(*tab));
	if (!tab)
		return -ENOMEM;
	if (sched == XVS_SCHED_WRR)
		len = (int32_t)xvs_wrr_table(w, sd->n_dests, tab->slot, XVS_SCHED_TAB_MAX);
	else if (sched == XVS_SCHED_SH)
		len = (int32_t)xvs_sh_table(w, sd->n_dests, tab->slot);
	else if (sched == XVS_SCHED_DH)
		len = (int32_t)xvs_dh_table(sd->n_dests, tab->slot);
	else {
		for (uint32_t i = 0; i < sd->n_dests; i++) {
			memset(&addr[i], 0, sizeof(addr[i]));
			addr[i].ip4 = htonl(0xc6130000u + sd->ids[i]);
			md[i] = (struct xvs_mh_dest){ addr[i].bytes, htons(80), w[i] };
		}
		len = xvs_mh_table(md, sd->n_dests, tab->slot);
	}
	if (len <= 0)
		err = len < 0 ? len : -EINVAL;
	tab->len = (uint32_t)len;
	if (!err && bpf_map_update_elem(bpf_map__fd(b->dir->maps.xvs_sched_tab_v1), &svc_id,
					tab, BPF_ANY))
		err = -errno;
	free(tab);
	return err;
}

/*
 * Variant v's service VIP:(BENCH_PORT_BASE + v)/tcp, id v, with n_dests
 * new dests of weights 1, 2, 3, 1, 2, 3, ...
 */
static int bench_svc(struct bench *b, int v)
{
	const struct bench_variant *x = &b->var[v];
	struct xvs_svc s = { .id = (uint32_t)v, .sched = x->sched, .flags = x->svc_flags };
	int32_t w[XVS_SVC_MAX_DESTS];
	struct xvs_svc_key k;
	struct xvs_svc_dests sd;
	uint32_t i, id = (uint32_t)v;
	int err;

	if (x->persist != BP_NONE) {
		s.flags |= XVS_SVC_F_PERSISTENT;
		s.timeout = BENCH_PERSIST_S;
		s.pmask_len = 32;
	}
	memset(&k, 0, sizeof(k));
	k.addr.ip4 = pkt_ip4_addr(BENCH_VIP);
	k.port = htons(BENCH_PORT_BASE + v);
	k.proto = IPPROTO_TCP;
	k.af = XVS_AF_INET;
	memset(&sd, 0, sizeof(sd));
	sd.n_dests = x->n_dests;
	for (i = 0; i < x->n_dests; i++) {
		sd.ids[i] = ++b->next_dest_id;
		w[i] = 1 + (int32_t)(i % 3);
		if (bench_dest(b, sd.ids[i], id, x->fwd, w[i]))
			return -errno;
	}
	if ((err = bench_sched_tab(b, id, x->sched, &sd, w)))
		return err;
	if (bpf_map_update_elem(bpf_map__fd(b->dir->maps.xvs_svc_dests_v1), &id, &sd, BPF_ANY) ||
	    bpf_map_update_elem(bpf_map__fd(b->dir->maps.xvs_svc_v1), &k, &s, BPF_ANY))
		return -errno;
	return 0;
}

/* One test run of prog on in; returns the kernel's duration in ns. */
static int bench_run(int prog_fd, const uint8_t *in, size_t len, uint32_t repeat,
		     uint32_t *duration, uint32_t *retval, uint8_t *out, uint32_t *out_len)
{
	struct xdp_md ctx = { .data_end = (uint32_t)len, .ingress_ifindex = BENCH_IFINDEX };
	LIBBPF_OPTS(bpf_test_run_opts, o,
		.data_in = in,
		.data_size_in = (uint32_t)len,
		.data_out = out,
		.data_size_out = out ? PKT_BUF_SIZE : 0,
		.ctx_in = &ctx,
		.ctx_size_in = sizeof(ctx),
		.repeat = repeat,
	);
	int err = bpf_prog_test_run_opts(prog_fd, &o);

	if (err)
		return -errno;
	*duration = o.duration;
	if (retval)
		*retval = o.retval;
	if (out_len)
		*out_len = o.data_size_out;
	return 0;
}

/*
 * Delete the connection the packet of v opened (not timed), and for
 * BP_TPL_MISS its persistence template.
 */
static void bench_conn_del(struct bench *b, int v)
{
	const uint8_t *iph = b->pkt[v] + PKT_ETH_HLEN;
	struct xvs_conn_key k, t;

	memset(&k, 0, sizeof(k));
	memcpy(&k.saddr.ip4, iph + 12, 4);
	memcpy(&k.daddr.ip4, iph + 16, 4);
	memcpy(&k.sport, iph + 20, 2);
	memcpy(&k.dport, iph + 22, 2);
	k.proto = IPPROTO_TCP;
	k.af = XVS_AF_INET;
	bpf_map_delete_elem(bpf_map__fd(b->dir->maps.xvs_conn_v1), &k);
	if (b->var[v].persist == BP_TPL_MISS) {
		memset(&t, 0, sizeof(t));
		xvs_tpl_key(&t, &k, 32, 0);
		bpf_map_delete_elem(bpf_map__fd(b->dir->maps.xvs_conn_v1), &t);
	}
}

/* Give variant v's packet a new source port (TCP checksum not needed). */
static void bench_new_sport(struct bench *b, int v)
{
	b->next_sport = b->next_sport >= 60000 ? 1024 : b->next_sport + 1;
	pkt_put16(b->pkt[v] + PKT_ETH_HLEN + 20, b->next_sport);
}

/*
 * One call of variant v with repeat=1, fresh input; a new connection is
 * deleted afterwards. out may be NULL.
 */
static int bench_one(struct bench *b, int v, uint32_t *dur, uint32_t *ret, uint8_t *out,
		     uint32_t *out_len)
{
	int is_new = b->var[v].kind == BK_NEW, err;

	if (is_new)
		bench_new_sport(b, v);
	err = bench_run(b->prog_fd[v], b->pkt[v], b->pkt_len[v], 1, dur, ret, out, out_len);
	if (is_new)
		bench_conn_del(b, v);
	return err;
}

/* n calls of variant v; adds the sum of durations to *sum. */
static int bench_calls(struct bench *b, int v, uint32_t n, double *sum)
{
	uint32_t i, dur;
	int err;

	for (i = 0; i < n; i++) {
		if ((err = bench_one(b, v, &dur, NULL, NULL, NULL)))
			return err;
		*sum += dur;
	}
	return 0;
}

/* Check each variant takes the path it is meant to time. */
static int bench_check(struct bench *b)
{
	uint8_t out[PKT_BUF_SIZE];
	uint32_t dur, ret, out_len, want_ret, want_len;
	int v, err;

	for (v = 0; v < b->nv; v++) {
		const struct bench_variant *x = &b->var[v];

		if ((err = bench_one(b, v, &dur, &ret, out, &out_len)))
			return bench_fail(b->name[v], err);
		want_ret = x->kind == BK_EMPTY ? XDP_PASS : XDP_TX;
		want_len = (uint32_t)b->pkt_len[v] +
			   (x->kind >= BK_EST && x->fwd == XVS_FWD_TUN ? 20 : 0);
		if (ret != want_ret || out_len != want_len) {
			fprintf(stderr, "xdp_bench: %s: verdict %u, %u bytes: wrong path%s\n",
				b->name[v], ret, out_len, x->label ? "" : ", not timed");
			if (x->label)
				return -1;
			b->skip[v] = 1;	/* a scheduler the data plane lacks */
		}
	}
	return 0;
}

/* Set the director's maps up and establish the established flows. */
static int bench_setup(struct bench *b)
{
	static const uint32_t to[XVS_TIMEOUT_MAX] = {
		2, 900, 120, 60, 120, 120, 10, 60, 30, 120, 120, 300,
	};
	uint8_t out[PKT_BUF_SIZE], syn[PKT_BUF_SIZE];
	uint32_t k, dur, ret, out_len;
	uint16_t port;
	size_t len;
	int err, v;

	for (k = 0; k < XVS_TIMEOUT_MAX; k++)
		if (bpf_map_update_elem(bpf_map__fd(b->dir->maps.xvs_timeouts_v1), &k,
					&to[k], BPF_ANY))
			return bench_fail("timeouts", errno);
	b->next_sport = 1024;
	for (v = 0; v < b->nv; v++) {
		enum bench_kind kind = b->var[v].kind;

		port = (uint16_t)(BENCH_PORT_BASE + v);
		b->pkt_len[v] = bench_tcp(b->pkt[v], kind == BK_NEW ? 1024 : 40000, port,
					  kind == BK_NEW ? PKT_TCP_SYN : PKT_TCP_ACK);
		if (kind < BK_EST)
			continue;
		if ((err = bench_svc(b, v)))
			return bench_fail(b->name[v], err);
		if (kind != BK_EST)
			continue;
		/* A SYN first: the ACKs then find an established connection. */
		len = bench_tcp(syn, 40000, port, PKT_TCP_SYN);
		err = bench_run(b->prog_fd[v], syn, len, 1, &dur, &ret, out, &out_len);
		if (err || ret != XDP_TX)
			return bench_fail("establishing a flow", err ? err : EPROTO);
	}
	return bench_check(b);
}

/* Load both objects without pinning. */
static int bench_load(struct bench *b)
{
	struct bpf_map *m;
	int err, v;

	b->base = xvs_bench__open_and_load();
	if (!b->base)
		return bench_fail("loading xvs_bench", errno);
	b->dir = xvs_director__open();
	if (!b->dir)
		return bench_fail("opening xvs_director", errno);
	bpf_object__for_each_map(m, b->dir->obj)
		if ((err = bpf_map__set_pin_path(m, NULL)))
			return bench_fail("unpinning", err);
	if ((err = bpf_map__set_max_entries(b->dir->maps.xvs_conn_v1, 1 << 16)) ||
	    (err = xvs_director__load(b->dir)))
		return bench_fail("loading xvs_director", err);
	for (v = 0; v < b->nv; v++)
		b->prog_fd[v] = bpf_program__fd(
			b->var[v].kind == BK_EMPTY ? b->base->progs.xvs_bench_pass :
			b->var[v].kind == BK_MACSWAP ? b->base->progs.xvs_bench_macswap :
			b->dir->progs.xvs_director);
	return 0;
}

/* Can v be timed with repeat > 1, i.e. is it idempotent on its output? */
static int bench_loopable(const struct bench *b, int v)
{
	const struct bench_variant *x = &b->var[v];

	return x->kind == BK_EMPTY || x->kind == BK_MACSWAP ||
	       (x->kind == BK_EST && x->fwd == XVS_FWD_DR);
}

/* One round: call timing interleaved in chunks, then loop timing. */
static int bench_round(struct bench *b, int r, uint32_t calls, uint32_t loop_repeat)
{
	double sum[BENCH_V_MAX] = { 0 };
	uint32_t chunk = calls / BENCH_CHUNKS ? calls / BENCH_CHUNKS : 1, dur;
	int c, v, err;

	for (c = 0; c < BENCH_CHUNKS; c++)
		for (v = 0; v < b->nv; v++)
			if (!b->skip[v] && (err = bench_calls(b, v, chunk, &sum[v])))
				return bench_fail(b->name[v], err);
	for (v = 0; v < b->nv; v++)
		b->call_ns[r][v] = sum[v] / ((double)chunk * BENCH_CHUNKS);
	for (v = 0; v < b->nv; v++) {
		b->loop_ns[r][v] = 0;
		if (!bench_loopable(b, v))
			continue;
		err = bench_run(b->prog_fd[v], b->pkt[v], b->pkt_len[v], loop_repeat,
				&dur, NULL, NULL, NULL);
		if (err)
			return bench_fail(b->name[v], err);
		b->loop_ns[r][v] = dur;
	}
	return 0;
}

/* Round r's gross ns/pkt of v: as a repeat loop would report it. */
static double bench_gross(const struct bench *b, int r, int v)
{
	return b->call_ns[r][v] - b->call_ns[r][V_EMPTY] + b->loop_ns[r][V_EMPTY];
}

/* The figures of one variant: medians over rounds. */
struct bench_fig {
	double gross, net, ratio_gross, loop, ratio_loop;
};

static struct bench_fig bench_figures(const struct bench *b, int v, int rounds)
{
	double g[BENCH_ROUNDS_MAX], n[BENCH_ROUNDS_MAX], rg[BENCH_ROUNDS_MAX],
	       l[BENCH_ROUNDS_MAX], rl[BENCH_ROUNDS_MAX];
	struct bench_fig f;
	int r;

	for (r = 0; r < rounds; r++) {
		g[r] = bench_gross(b, r, v);
		n[r] = b->call_ns[r][v] - b->call_ns[r][V_EMPTY];
		rg[r] = g[r] / bench_gross(b, r, V_MACSWAP);
		l[r] = b->loop_ns[r][v];
		rl[r] = l[r] / b->loop_ns[r][V_MACSWAP];
	}
	f.gross = median(g, rounds);
	f.net = median(n, rounds);
	f.ratio_gross = median(rg, rounds);
	f.loop = median(l, rounds);
	f.ratio_loop = median(rl, rounds);
	return f;
}

/* The variant with this scheduler and dest count among the new-DR rows. */
static int bench_find_new(const struct bench *b, uint8_t sched, uint16_t n_dests)
{
	for (int v = 0; v < b->nv; v++)
		if (b->var[v].kind == BK_NEW && b->var[v].fwd == XVS_FWD_DR &&
		    b->var[v].sched == sched && b->var[v].n_dests == n_dests && !b->var[v].label)
			return v;
	return -1;
}

/* Print the tables to f, as Markdown. */
static void bench_report(FILE *f, const struct bench *b, int rounds, uint32_t calls,
			 uint32_t loop_repeat, int cpu)
{
	double call_empty[BENCH_ROUNDS_MAX];
	size_t s, d;
	int v, r;

	for (r = 0; r < rounds; r++)
		call_empty[r] = b->call_ns[r][V_EMPTY];
	fprintf(f, "| variant | ns/pkt | x MAC-swap | net ns | loop ns | loop x MAC-swap |\n");
	fprintf(f, "|---|---:|---:|---:|---:|---:|\n");
	for (v = 0; v < b->nv; v++) {
		struct bench_fig fg;

		if (b->var[v].kind == BK_NEW && !b->var[v].label)
			continue;	/* in the scheduler table below */
		fg = bench_figures(b, v, rounds);
		fprintf(f, "| %s | %.1f | %.2f | %.1f | ", b->name[v], fg.gross,
			fg.ratio_gross, fg.net);
		if (fg.loop > 0)
			fprintf(f, "%.1f | %.2f |\n", fg.loop, fg.ratio_loop);
		else
			fprintf(f, "- | - |\n");
	}
	fprintf(f, "\nNew connection (a SYN with a fresh 5-tuple), DR, per scheduler: "
		"ns/pkt (x MAC-swap)\n\n| scheduler |");
	for (d = 0; d < BENCH_N_NDESTS; d++)
		fprintf(f, " %u dests |", bench_ndests[d]);
	fprintf(f, "\n|---|");
	for (d = 0; d < BENCH_N_NDESTS; d++)
		fprintf(f, "---:|");
	fprintf(f, "\n");
	for (s = 0; s < BENCH_N_SCHEDS; s++) {
		fprintf(f, "| %s |", xvs_sched_name(bench_scheds[s]));
		for (d = 0; d < BENCH_N_NDESTS; d++) {
			struct bench_fig fg;

			v = bench_find_new(b, bench_scheds[s], bench_ndests[d]);
			if (b->skip[v]) {
				fprintf(f, " not in the data plane |");
				continue;
			}
			fg = bench_figures(b, v, rounds);
			fprintf(f, " %.0f (%.1fx) |", fg.gross, fg.ratio_gross);
		}
		fprintf(f, "\n");
	}
	fprintf(f, "\nMedians of %d rounds; %u calls per variant per round (repeat=1), "
		"interleaved in %d chunks; loop columns: repeat=%u. "
		"Empty program, one call: %.1f ns (harness). CPU %d. "
		"%u dests is XVS_SVC_MAX_DESTS, the most one service takes.\n",
		rounds, calls, BENCH_CHUNKS, loop_repeat, median(call_empty, rounds), cpu,
		XVS_SVC_MAX_DESTS);
}

int main(int argc, char **argv)
{
	static struct bench b;
	const char *out_path = NULL;
	uint32_t calls = 10000, loop_repeat = 1000000, idle_ms = 1000;
	int rounds = 7, cpu = -1, opt, r, ret = 1;
	cpu_set_t set;

	while ((opt = getopt(argc, argv, "r:n:l:i:c:o:h")) != -1) {
		switch (opt) {
		case 'r': rounds = atoi(optarg); break;
		case 'n': calls = (uint32_t)strtoul(optarg, NULL, 0); break;
		case 'l': loop_repeat = (uint32_t)strtoul(optarg, NULL, 0); break;
		case 'i': idle_ms = (uint32_t)strtoul(optarg, NULL, 0); break;
		case 'c': cpu = atoi(optarg); break;
		case 'o': out_path = optarg; break;
		default:
			fprintf(stderr, "usage: %s [-r rounds] [-n calls] [-l loop_repeat] "
				"[-i idle_ms] [-c cpu] [-o results.md]\n", argv[0]);
			return opt == 'h' ? 0 : 2;
		}
	}
	if (rounds < 1 || rounds > BENCH_ROUNDS_MAX || !calls || !loop_repeat) {
		fprintf(stderr, "xdp_bench: rounds 1..%d, calls and repeat > 0\n",
			BENCH_ROUNDS_MAX);
		return 2;
	}
	/* One CPU: per-CPU maps and caches stay put between calls. */
	if (cpu < 0)
		cpu = (int)sysconf(_SC_NPROCESSORS_ONLN) - 1;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		fprintf(stderr, "xdp_bench: cannot pin to CPU %d: %s\n", cpu, strerror(errno));

	bench_variants(&b);
	if (bench_load(&b) || bench_setup(&b))
		goto out;
	for (r = 0; r < rounds; r++) {
		int wlc = bench_find_new(&b, XVS_SCHED_WLC, 100);

		if (r)
			usleep(idle_ms * 1000);
		if (bench_round(&b, r, calls, loop_repeat))
			goto out;
		fprintf(stderr, "round %d/%d: DR %.2fx TUN %.2fx new-wlc-100 %.2fx\n", r + 1,
			rounds, bench_gross(&b, r, V_DR_EST) / bench_gross(&b, r, V_MACSWAP),
			bench_gross(&b, r, V_TUN_EST) / bench_gross(&b, r, V_MACSWAP),
			bench_gross(&b, r, wlc) / bench_gross(&b, r, V_MACSWAP));
	}
	fflush(stderr);
	printf("\n");
	bench_report(stdout, &b, rounds, calls, loop_repeat, cpu);
	if (out_path) {
		FILE *f = fopen(out_path, "w");
		time_t now = time(NULL);
		char when[64];

		if (!f) {
			bench_fail(out_path, errno);
			goto out;
		}
		strftime(when, sizeof(when), "%Y-%m-%d %H:%M UTC", gmtime(&now));
		fprintf(f, "# XDP data-plane cost (bench/xdp_bench)\n\n"
			"Run %s. Method and meaning of each column: docs/bench.md.\n\n", when);
		bench_report(f, &b, rounds, calls, loop_repeat, cpu);
		fclose(f);
	}
	ret = 0;
out:
	xvs_director__destroy(b.dir);
	xvs_bench__destroy(b.base);
	return ret;
}
