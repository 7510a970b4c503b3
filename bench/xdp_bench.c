// SPDX-License-Identifier: GPL-2.0
/*
 * xdp_bench.c - per-packet cost of the director's XDP program, measured
 * with BPF_PROG_TEST_RUN, as ratios to a MAC-swap XDP_TX program timed
 * the same way in the same run. No pass/fail: it prints figures.
 *
 * Variants: the empty program (harness cost), MAC swap (the baseline),
 * and the director on an established DR flow, an established TUN flow,
 * a new connection scheduled by wlc over 100 dests, and a new connection
 * scheduled by rr over 2 dests.
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

#include "pkt.h"
#include "xvs/dp-t.h"
#include "xvs_bench.skel.h"
#include "xvs_director.skel.h"

#define BENCH_CLIENT	"198.18.2.1"
#define BENCH_VIP	"198.18.0.100"
#define BENCH_DIRECTOR	"198.18.0.10"
#define BENCH_IFINDEX	1		/* lo: XDP_TX for dests on it */
#define BENCH_CHUNKS	10		/* interleaving chunks per round */
#define BENCH_ROUNDS_MAX 101
#define BENCH_WLC_DESTS	100

/* Services: port -> (id, scheduler, dests). */
#define PORT_DR		80
#define PORT_TUN	81
#define PORT_WLC	82
#define PORT_RR		83
#define PORT_WLC2	84

enum bench_variant {
	V_EMPTY,
	V_MACSWAP,
	V_DR_EST,
	V_TUN_EST,
	V_NEW_WLC,
	V_NEW_WLC2,
	V_NEW_RR,
	V_MAX,
};

static const char *const bench_names[V_MAX] = {
	[V_EMPTY] = "empty XDP_PASS program",
	[V_MACSWAP] = "MAC-swap XDP_TX (baseline)",
	[V_DR_EST] = "director, established DR flow",
	[V_TUN_EST] = "director, established TUN flow",
	[V_NEW_WLC] = "director, new conn, wlc, 100 dests",
	[V_NEW_WLC2] = "director, new conn, wlc, 2 dests",
	[V_NEW_RR] = "director, new conn, rr, 2 dests",
};

/* The director's expected verdict per variant, checked before timing. */
static const int bench_verdict[V_MAX] = {
	[V_EMPTY] = XDP_PASS, [V_MACSWAP] = XDP_TX, [V_DR_EST] = XDP_TX,
	[V_TUN_EST] = XDP_TX, [V_NEW_WLC] = XDP_TX, [V_NEW_WLC2] = XDP_TX,
	[V_NEW_RR] = XDP_TX,
};

struct bench {
	struct xvs_director *dir;
	struct xvs_bench *base;
	int prog_fd[V_MAX];
	uint8_t pkt[V_MAX][PKT_BUF_SIZE];
	size_t pkt_len[V_MAX];
	uint16_t next_sport;		/* new-connection source ports */
	/* Per round: mean ns of one call, and ns of one loop iteration. */
	double call_ns[BENCH_ROUNDS_MAX][V_MAX];
	double loop_ns[BENCH_ROUNDS_MAX][V_MAX];
};

static int bench_fail(const char *what, int err)
{
	fprintf(stderr, "xdp_bench: %s: %s\n", what, strerror(err < 0 ? -err : err));
	return -1;
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

/* A usable dest with id: DR (or TUN) out of BENCH_IFINDEX. */
static int bench_dest(struct bench *b, uint32_t id, uint32_t svc_id, uint8_t fwd)
{
	struct xvs_dest d;

	memset(&d, 0, sizeof(d));
	d.addr.ip4 = htonl(0xc6120100u + (id & 0xff));	/* 198.18.1.x */
	d.saddr.ip4 = pkt_ip4_addr(BENCH_DIRECTOR);
	d.af = XVS_AF_INET;
	d.fwd = fwd;
	d.flags = XVS_DEST_F_VALID | XVS_DEST_F_AVAILABLE | XVS_DEST_F_NEIGH_OK;
	d.weight = 1;
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

/* A service VIP:port/tcp with id, scheduler and dests first..first+n-1. */
static int bench_svc(struct bench *b, uint16_t port, uint32_t id, uint8_t sched,
		     uint32_t first, uint32_t n, uint8_t fwd)
{
	struct xvs_svc_key k;
	struct xvs_svc s = { .id = id, .sched = sched };
	struct xvs_svc_dests sd;
	uint32_t i;

	memset(&k, 0, sizeof(k));
	k.addr.ip4 = pkt_ip4_addr(BENCH_VIP);
	k.port = htons(port);
	k.proto = IPPROTO_TCP;
	k.af = XVS_AF_INET;
	memset(&sd, 0, sizeof(sd));
	sd.n_dests = n;
	for (i = 0; i < n; i++) {
		sd.ids[i] = first + i;
		if (bench_dest(b, first + i, id, fwd))
			return -errno;
	}
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

/* Is variant v a new-connection one (new port each call, entry deleted)? */
static int bench_is_new(int v)
{
	return v == V_NEW_WLC || v == V_NEW_WLC2 || v == V_NEW_RR;
}

/* Delete the connection the packet of v opened (not timed). */
static void bench_conn_del(struct bench *b, int v)
{
	const uint8_t *iph = b->pkt[v] + PKT_ETH_HLEN;
	struct xvs_conn_key k;

	memset(&k, 0, sizeof(k));
	memcpy(&k.saddr.ip4, iph + 12, 4);
	memcpy(&k.daddr.ip4, iph + 16, 4);
	memcpy(&k.sport, iph + 20, 2);
	memcpy(&k.dport, iph + 22, 2);
	k.proto = IPPROTO_TCP;
	k.af = XVS_AF_INET;
	bpf_map_delete_elem(bpf_map__fd(b->dir->maps.xvs_conn_v1), &k);
}

/* Give variant v's packet a new source port (TCP checksum not needed). */
static void bench_new_sport(struct bench *b, int v)
{
	b->next_sport = b->next_sport >= 60000 ? 1024 : b->next_sport + 1;
	pkt_put16(b->pkt[v] + PKT_ETH_HLEN + 20, b->next_sport);
}

/* n calls of variant v with repeat=1; returns the sum of durations. */
static int bench_calls(struct bench *b, int v, uint32_t n, double *sum)
{
	uint32_t i, dur;
	int err;

	for (i = 0; i < n; i++) {
		if (bench_is_new(v))
			bench_new_sport(b, v);
		err = bench_run(b->prog_fd[v], b->pkt[v], b->pkt_len[v], 1, &dur,
				NULL, NULL, NULL);
		if (err)
			return err;
		if (bench_is_new(v))
			bench_conn_del(b, v);
		*sum += dur;
	}
	return 0;
}

/* Check each variant takes the path it is meant to time. */
static int bench_check(struct bench *b)
{
	uint8_t out[PKT_BUF_SIZE];
	uint32_t dur, ret, out_len;
	int v, err;

	for (v = 0; v < V_MAX; v++) {
		if (bench_is_new(v))
			bench_new_sport(b, v);
		err = bench_run(b->prog_fd[v], b->pkt[v], b->pkt_len[v], 1, &dur, &ret,
				out, &out_len);
		if (err)
			return bench_fail(bench_names[v], err);
		if (bench_is_new(v))
			bench_conn_del(b, v);
		if ((int)ret != bench_verdict[v] ||
		    out_len != b->pkt_len[v] + (v == V_TUN_EST ? 20 : 0)) {
			fprintf(stderr, "xdp_bench: %s: verdict %u, %u bytes: wrong path\n",
				bench_names[v], ret, out_len);
			return -1;
		}
	}
	return 0;
}

/* Set the director's maps up and establish the DR and TUN flows. */
static int bench_setup(struct bench *b)
{
	static const uint32_t to[XVS_TIMEOUT_MAX] = {
		2, 900, 120, 60, 120, 120, 10, 60, 30, 120, 120, 300,
	};
	uint8_t out[PKT_BUF_SIZE], syn[PKT_BUF_SIZE];
	uint32_t k, dur, ret, out_len;
	size_t len;
	int err, v;

	for (k = 0; k < XVS_TIMEOUT_MAX; k++)
		if (bpf_map_update_elem(bpf_map__fd(b->dir->maps.xvs_timeouts_v1), &k,
					&to[k], BPF_ANY))
			return bench_fail("timeouts", errno);
	if ((err = bench_svc(b, PORT_DR, 1, XVS_SCHED_RR, 1, 1, XVS_FWD_DR)) ||
	    (err = bench_svc(b, PORT_TUN, 2, XVS_SCHED_RR, 2, 1, XVS_FWD_TUN)) ||
	    (err = bench_svc(b, PORT_WLC, 3, XVS_SCHED_WLC, 100, BENCH_WLC_DESTS,
			     XVS_FWD_DR)) ||
	    (err = bench_svc(b, PORT_RR, 4, XVS_SCHED_RR, 300, 2, XVS_FWD_DR)) ||
	    (err = bench_svc(b, PORT_WLC2, 5, XVS_SCHED_WLC, 400, 2, XVS_FWD_DR)))
		return bench_fail("services", err);

	b->pkt_len[V_EMPTY] = bench_tcp(b->pkt[V_EMPTY], 40000, PORT_DR, PKT_TCP_ACK);
	b->pkt_len[V_MACSWAP] = bench_tcp(b->pkt[V_MACSWAP], 40000, PORT_DR, PKT_TCP_ACK);
	b->pkt_len[V_DR_EST] = bench_tcp(b->pkt[V_DR_EST], 40000, PORT_DR, PKT_TCP_ACK);
	b->pkt_len[V_TUN_EST] = bench_tcp(b->pkt[V_TUN_EST], 40001, PORT_TUN, PKT_TCP_ACK);
	b->pkt_len[V_NEW_WLC] = bench_tcp(b->pkt[V_NEW_WLC], 1024, PORT_WLC, PKT_TCP_SYN);
	b->pkt_len[V_NEW_WLC2] = bench_tcp(b->pkt[V_NEW_WLC2], 1024, PORT_WLC2, PKT_TCP_SYN);
	b->pkt_len[V_NEW_RR] = bench_tcp(b->pkt[V_NEW_RR], 1024, PORT_RR, PKT_TCP_SYN);
	b->next_sport = 1024;

	/* SYN then ACK: the established flows are ESTABLISHED. */
	for (v = V_DR_EST; v <= V_TUN_EST; v++) {
		uint16_t sport = pkt_get16(b->pkt[v] + PKT_ETH_HLEN + 20);
		uint16_t dport = pkt_get16(b->pkt[v] + PKT_ETH_HLEN + 22);

		len = bench_tcp(syn, sport, dport, PKT_TCP_SYN);
		err = bench_run(b->prog_fd[V_DR_EST], syn, len, 1, &dur, &ret, out, &out_len);
		if (err || ret != XDP_TX)
			return bench_fail("establishing a flow", err ? err : EPROTO);
	}
	return bench_check(b);
}

/* Load both objects without pinning. */
static int bench_load(struct bench *b)
{
	struct bpf_map *m;
	int err;

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
	b->prog_fd[V_EMPTY] = bpf_program__fd(b->base->progs.xvs_bench_pass);
	b->prog_fd[V_MACSWAP] = bpf_program__fd(b->base->progs.xvs_bench_macswap);
	b->prog_fd[V_DR_EST] = bpf_program__fd(b->dir->progs.xvs_director);
	b->prog_fd[V_TUN_EST] = b->prog_fd[V_DR_EST];
	b->prog_fd[V_NEW_WLC] = b->prog_fd[V_DR_EST];
	b->prog_fd[V_NEW_WLC2] = b->prog_fd[V_DR_EST];
	b->prog_fd[V_NEW_RR] = b->prog_fd[V_DR_EST];
	return 0;
}

/* One round: call timing interleaved in chunks, then loop timing. */
static int bench_round(struct bench *b, int r, uint32_t calls, uint32_t loop_repeat)
{
	double sum[V_MAX] = { 0 };
	uint32_t chunk = calls / BENCH_CHUNKS ? calls / BENCH_CHUNKS : 1, dur;
	int c, v, err;

	for (c = 0; c < BENCH_CHUNKS; c++)
		for (v = 0; v < V_MAX; v++)
			if ((err = bench_calls(b, v, chunk, &sum[v])))
				return bench_fail(bench_names[v], err);
	for (v = 0; v < V_MAX; v++)
		b->call_ns[r][v] = sum[v] / ((double)chunk * BENCH_CHUNKS);
	/* Loop timing for the variants that are idempotent on their output. */
	for (v = 0; v < V_MAX; v++) {
		b->loop_ns[r][v] = 0;
		if (v != V_EMPTY && v != V_MACSWAP && v != V_DR_EST)
			continue;
		err = bench_run(b->prog_fd[v], b->pkt[v], b->pkt_len[v], loop_repeat,
				&dur, NULL, NULL, NULL);
		if (err)
			return bench_fail(bench_names[v], err);
		b->loop_ns[r][v] = dur;
	}
	return 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median(double *v, int n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* The figures of one variant: medians over rounds. */
struct bench_fig {
	double gross, net, ratio_gross, loop, ratio_loop;
};

static struct bench_fig bench_figures(struct bench *b, int v, int rounds)
{
	double g[BENCH_ROUNDS_MAX], n[BENCH_ROUNDS_MAX], rg[BENCH_ROUNDS_MAX],
	       l[BENCH_ROUNDS_MAX], rl[BENCH_ROUNDS_MAX];
	struct bench_fig f;
	int r;

	for (r = 0; r < rounds; r++) {
		double *c = b->call_ns[r], le = b->loop_ns[r][V_EMPTY];
		double gv = c[v] - c[V_EMPTY] + le;
		double gm = c[V_MACSWAP] - c[V_EMPTY] + le;

		g[r] = gv;
		n[r] = c[v] - c[V_EMPTY];
		rg[r] = gv / gm;
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

/* Print the table to f, as Markdown. */
static void bench_report(FILE *f, struct bench *b, int rounds, uint32_t calls,
			 uint32_t loop_repeat, int cpu)
{
	double call_empty[BENCH_ROUNDS_MAX];
	int v, r;

	for (r = 0; r < rounds; r++)
		call_empty[r] = b->call_ns[r][V_EMPTY];
	fprintf(f, "| variant | ns/pkt | x MAC-swap | net ns | loop ns | loop x MAC-swap |\n");
	fprintf(f, "|---|---:|---:|---:|---:|---:|\n");
	for (v = 0; v < V_MAX; v++) {
		struct bench_fig fg = bench_figures(b, v, rounds);

		fprintf(f, "| %s | %.1f | %.2f | %.1f | ", bench_names[v], fg.gross,
			fg.ratio_gross, fg.net);
		if (fg.loop > 0)
			fprintf(f, "%.1f | %.2f |\n", fg.loop, fg.ratio_loop);
		else
			fprintf(f, "- | - |\n");
	}
	fprintf(f, "\nMedians of %d rounds; %u calls per variant per round (repeat=1), "
		"interleaved in %d chunks; loop columns: repeat=%u. "
		"Empty program, one call: %.1f ns (harness). CPU %d.\n",
		rounds, calls, BENCH_CHUNKS, loop_repeat, median(call_empty, rounds), cpu);
}

int main(int argc, char **argv)
{
	static struct bench b;
	const char *out_path = NULL;
	uint32_t calls = 20000, loop_repeat = 1000000, idle_ms = 1000;
	int rounds = 9, cpu = -1, opt, r, ret = 1;
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

	if (bench_load(&b) || bench_setup(&b))
		goto out;
	for (r = 0; r < rounds; r++) {
		if (r)
			usleep(idle_ms * 1000);
		if (bench_round(&b, r, calls, loop_repeat))
			goto out;
		fprintf(stderr, "round %d/%d: DR %.2fx TUN %.2fx new-wlc %.2fx\n", r + 1,
			rounds,
			(b.call_ns[r][V_DR_EST] - b.call_ns[r][V_EMPTY] + b.loop_ns[r][V_EMPTY]) /
			(b.call_ns[r][V_MACSWAP] - b.call_ns[r][V_EMPTY] + b.loop_ns[r][V_EMPTY]),
			(b.call_ns[r][V_TUN_EST] - b.call_ns[r][V_EMPTY] + b.loop_ns[r][V_EMPTY]) /
			(b.call_ns[r][V_MACSWAP] - b.call_ns[r][V_EMPTY] + b.loop_ns[r][V_EMPTY]),
			(b.call_ns[r][V_NEW_WLC] - b.call_ns[r][V_EMPTY] + b.loop_ns[r][V_EMPTY]) /
			(b.call_ns[r][V_MACSWAP] - b.call_ns[r][V_EMPTY] + b.loop_ns[r][V_EMPTY]));
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
