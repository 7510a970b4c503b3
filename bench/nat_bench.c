// SPDX-License-Identifier: GPL-2.0
/*
 * nat_bench.c - per-packet cost of established NAT and FULLNAT flows in
 * both directions (client -> server, and the reply), with an established
 * DR flow of the same setup for reference, as ratios to the MAC-swap
 * XDP_TX program timed the same way in the same run. No pass/fail.
 *
 * The method is xdp_bench's (docs/bench.md): "call" timing, repeat=1 with
 * the same input bytes on every call (the kernel copies them, so a
 * rewriting program always sees the packet it is meant for), variants
 * interleaved in chunks within a round, rounds separated by idle time,
 * medians of the per-round figures;
 *   gross(X) = call(X) - call(empty) + loop(empty)
 * is X's cost as a repeat loop would report it.
 *
 * The return path routes with bpf_fib_lookup, so the program runs in a
 * private network namespace with the two arms of tests/bpf/nat_env.h
 * (client side xa, server side xb); every forwarded packet is redirected
 * between them (XDP_REDIRECT through the devmap), as in a two-armed
 * director.
 *
 * Usage: nat_bench [-r rounds] [-n calls] [-i idle_ms] [-o results.md]
 */
#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/bpf.h>

#include "nat_env.h"
#include "median.h"
#include "pkt.h"
#include "xvs/dp-t.h"
#include "xvs_bench.skel.h"
#include "xvs_director.skel.h"

#define NB_CLIENT	"198.18.2.1"
#define NB_VIP		"198.18.0.100"
#define NB_LIP		"198.18.1.200"
#define NB_ROUNDS_MAX	51
#define NB_CHUNKS	10
#define NB_LOOP		100000

enum { V_EMPTY, V_MACSWAP, V_DR_IN, V_NAT_IN, V_NAT_OUT, V_FNAT_IN, V_FNAT_OUT, NV };

static const char *const nb_names[NV] = {
	"empty XDP_PASS program",
	"MAC-swap XDP_TX (baseline)",
	"established DR flow, redirected to the other arm",
	"established NAT flow, client -> server",
	"established NAT flow, server -> client (reply)",
	"established FULLNAT flow, client -> server",
	"established FULLNAT flow, server -> client (reply)",
};

struct nb {
	struct xvs_director *dir;
	struct xvs_bench *base;
	int prog_fd[NV];
	uint32_t ifindex[NV];
	uint8_t pkt[NV][PKT_BUF_SIZE];
	size_t len[NV];
	double call_ns[NB_ROUNDS_MAX][NV];
	double loop_empty[NB_ROUNDS_MAX];
};

static int nb_fail(const char *what, int err)
{
	fprintf(stderr, "nat_bench: %s: %s\n", what, strerror(err < 0 ? -err : err));
	return -1;
}

/* A TCP segment saddr:sport -> daddr:dport with 10 bytes of payload. */
static size_t nb_tcp(uint8_t *buf, const char *s, uint16_t sp, const char *d, uint16_t dp,
		     uint8_t flags)
{
	struct pkt_desc p = PKT_DESC_TCP4(s, sp, d, dp);

	p.ip.frag = PKT_IP_DF;
	p.l4.tcp_flags = flags;
	p.payload = "0123456789";
	p.payload_len = 10;
	return pkt_build(buf, PKT_BUF_SIZE, &p);
}

static int nb_run(int fd, const uint8_t *in, size_t len, uint32_t ifindex, uint32_t repeat,
		  uint32_t *dur, uint32_t *ret)
{
	struct xdp_md ctx = { .data_end = (uint32_t)len, .ingress_ifindex = ifindex };
	uint8_t out[PKT_BUF_SIZE];
	LIBBPF_OPTS(bpf_test_run_opts, o,
		.data_in = in, .data_size_in = (uint32_t)len,
		.data_out = out, .data_size_out = sizeof(out),
		.ctx_in = &ctx, .ctx_size_in = sizeof(ctx), .repeat = repeat);

	if (bpf_prog_test_run_opts(fd, &o))
		return -errno;
	*dur = o.duration;
	if (ret)
		*ret = o.retval;
	return 0;
}

/* Service VIP:port -> 198.18.1.11:rport by fwd as dest id (also the service id). */
static int nb_service(struct nb *b, uint32_t id, uint16_t port, uint16_t rport, uint8_t fwd)
{
	static const uint8_t rs[6] = XN_MAC_RS, xb[6] = XN_MAC_XB;
	struct xvs_svc s = { .id = id, .sched = XVS_SCHED_RR };
	struct xvs_svc_dests sd = { .n_dests = 1, .ids = { id } };
	struct xvs_svc_key k;
	struct xvs_dest d;

	memset(&d, 0, sizeof(d));
	d.addr.ip4 = pkt_ip4_addr(XN_RS);
	d.port = htons(rport);
	d.af = XVS_AF_INET;
	d.fwd = fwd;
	d.flags = XVS_DEST_F_VALID | XVS_DEST_F_AVAILABLE | XVS_DEST_F_NEIGH_OK;
	d.weight = 1;
	d.svc_id = id;
	d.ifindex = xn_if_b;
	d.mtu = 1500;
	memcpy(d.dmac, rs, 6);
	memcpy(d.smac, xb, 6);
	memset(&k, 0, sizeof(k));
	k.addr.ip4 = pkt_ip4_addr(NB_VIP);
	k.port = htons(port);
	k.proto = IPPROTO_TCP;
	k.af = XVS_AF_INET;
	if (bpf_map_update_elem(bpf_map__fd(b->dir->maps.xvs_dest_v1), &id, &d, BPF_ANY) ||
	    bpf_map_update_elem(bpf_map__fd(b->dir->maps.xvs_svc_dests_v1), &id, &sd, BPF_ANY) ||
	    bpf_map_update_elem(bpf_map__fd(b->dir->maps.xvs_svc_v1), &k, &s, BPF_ANY))
		return -errno;
	return 0;
}

/* Open the flow client:cport -> VIP:port with a SYN; the FULLNAT lport. */
static int nb_open(struct nb *b, uint16_t cport, uint16_t port, uint16_t *lport)
{
	uint8_t syn[PKT_BUF_SIZE];
	size_t len = nb_tcp(syn, NB_CLIENT, cport, NB_VIP, port, PKT_TCP_SYN);
	struct xvs_conn_key k;
	struct xvs_conn c;
	uint32_t dur, ret;
	int err = nb_run(b->prog_fd[V_NAT_IN], syn, len, xn_if_a, 1, &dur, &ret);

	if (err || ret != XDP_REDIRECT)
		return err ? err : -EPROTO;
	memset(&k, 0, sizeof(k));
	k.saddr.ip4 = pkt_ip4_addr(NB_CLIENT);
	k.daddr.ip4 = pkt_ip4_addr(NB_VIP);
	k.sport = htons(cport);
	k.dport = htons(port);
	k.proto = IPPROTO_TCP;
	k.af = XVS_AF_INET;
	if (bpf_map_lookup_elem(bpf_map__fd(b->dir->maps.xvs_conn_v1), &k, &c))
		return -errno;
	*lport = ntohs(c.nat_sport);
	return 0;
}

static int nb_setup(struct nb *b)
{
	static const uint32_t to[XVS_TIMEOUT_MAX] = {
		2, 900, 120, 60, 120, 120, 10, 60, 30, 120, 120, 300,
	};
	struct xvs_laddrs la = { .n = 1 };
	struct bpf_map *m;
	uint32_t k, ifs[2] = { xn_if_a, xn_if_b }, fn = 2, dur, ret;
	uint16_t lport, unused;
	char lport_s[8];
	int err, v;

	b->base = xvs_bench__open_and_load();
	b->dir = xvs_director__open();
	if (!b->base || !b->dir)
		return nb_fail("loading", errno);
	bpf_object__for_each_map(m, b->dir->obj)
		if ((err = bpf_map__set_pin_path(m, NULL)))
			return nb_fail("unpinning", err);
	if ((err = bpf_map__set_max_entries(b->dir->maps.xvs_conn_v1, 1 << 12)) ||
	    (err = xvs_director__load(b->dir)))
		return nb_fail("loading xvs_director", err);
	for (k = 0; k < XVS_TIMEOUT_MAX; k++)
		bpf_map_update_elem(bpf_map__fd(b->dir->maps.xvs_timeouts_v1), &k, &to[k], BPF_ANY);
	for (k = 0; k < 2; k++)
		if (bpf_map_update_elem(bpf_map__fd(b->dir->maps.xvs_tx_ports_v1), &ifs[k],
					&ifs[k], BPF_ANY))
			return nb_fail("devmap", errno);
	la.addrs[0].ip4 = pkt_ip4_addr(NB_LIP);
	if (bpf_map_update_elem(bpf_map__fd(b->dir->maps.xvs_laddr_v1), &fn, &la, BPF_ANY))
		return nb_fail("local addresses", errno);
	for (v = 0; v < NV; v++) {
		b->prog_fd[v] = bpf_program__fd(v == V_EMPTY ? b->base->progs.xvs_bench_pass :
						v == V_MACSWAP ? b->base->progs.xvs_bench_macswap :
						b->dir->progs.xvs_director);
		b->ifindex[v] = v == V_NAT_OUT || v == V_FNAT_OUT ? xn_if_b : xn_if_a;
	}
	if ((err = nb_service(b, 1, 80, 8080, XVS_FWD_NAT)) ||
	    (err = nb_service(b, 2, 81, 8081, XVS_FWD_FULLNAT)) ||
	    (err = nb_service(b, 3, 82, 82, XVS_FWD_DR)) ||
	    (err = nb_open(b, 40000, 80, &unused)) || (err = nb_open(b, 40001, 81, &lport)) ||
	    (err = nb_open(b, 40002, 82, &unused)))
		return nb_fail("setting the flows up", err);
	snprintf(lport_s, sizeof(lport_s), "%u", lport);
	b->len[V_EMPTY] = b->len[V_MACSWAP] =
		nb_tcp(b->pkt[V_EMPTY], NB_CLIENT, 40000, NB_VIP, 80, PKT_TCP_ACK);
	memcpy(b->pkt[V_MACSWAP], b->pkt[V_EMPTY], b->len[V_EMPTY]);
	b->len[V_DR_IN] = nb_tcp(b->pkt[V_DR_IN], NB_CLIENT, 40002, NB_VIP, 82, PKT_TCP_ACK);
	b->len[V_NAT_IN] = nb_tcp(b->pkt[V_NAT_IN], NB_CLIENT, 40000, NB_VIP, 80, PKT_TCP_ACK);
	b->len[V_NAT_OUT] = nb_tcp(b->pkt[V_NAT_OUT], XN_RS, 8080, NB_CLIENT, 40000,
				   PKT_TCP_ACK | PKT_TCP_SYN);
	b->len[V_FNAT_IN] = nb_tcp(b->pkt[V_FNAT_IN], NB_CLIENT, 40001, NB_VIP, 81, PKT_TCP_ACK);
	b->len[V_FNAT_OUT] = nb_tcp(b->pkt[V_FNAT_OUT], XN_RS, 8081, NB_LIP, lport,
				    PKT_TCP_ACK | PKT_TCP_SYN);
	/* Each variant takes the path it is meant to time. */
	for (v = 0; v < NV; v++) {
		uint32_t want = v == V_EMPTY ? XDP_PASS : v == V_MACSWAP ? XDP_TX : XDP_REDIRECT;

		if ((err = nb_run(b->prog_fd[v], b->pkt[v], b->len[v], b->ifindex[v], 1, &dur,
				  &ret)))
			return nb_fail(nb_names[v], err);
		if (ret != want) {
			fprintf(stderr, "nat_bench: %s: verdict %u, want %u\n", nb_names[v], ret,
				want);
			return -1;
		}
	}
	/* The replies above were SYN-ACKs (the handshake); time plain ACKs. */
	nb_tcp(b->pkt[V_NAT_OUT], XN_RS, 8080, NB_CLIENT, 40000, PKT_TCP_ACK);
	nb_tcp(b->pkt[V_FNAT_OUT], XN_RS, 8081, NB_LIP, lport, PKT_TCP_ACK);
	return 0;
}

static int nb_round(struct nb *b, int r, uint32_t calls)
{
	double sum[NV] = { 0 };
	uint32_t chunk = calls / NB_CHUNKS ? calls / NB_CHUNKS : 1, dur;
	int err;

	for (int c = 0; c < NB_CHUNKS; c++)
		for (int v = 0; v < NV; v++)
			for (uint32_t i = 0; i < chunk; i++) {
				if ((err = nb_run(b->prog_fd[v], b->pkt[v], b->len[v],
						  b->ifindex[v], 1, &dur, NULL)))
					return nb_fail(nb_names[v], err);
				sum[v] += dur;
			}
	for (int v = 0; v < NV; v++)
		b->call_ns[r][v] = sum[v] / ((double)chunk * NB_CHUNKS);
	if ((err = nb_run(b->prog_fd[V_EMPTY], b->pkt[V_EMPTY], b->len[V_EMPTY], xn_if_a,
			  NB_LOOP, &dur, NULL)))
		return nb_fail("empty loop", err);
	b->loop_empty[r] = dur;
	return 0;
}

static double nb_gross(const struct nb *b, int r, int v)
{
	return b->call_ns[r][v] - b->call_ns[r][V_EMPTY] + b->loop_empty[r];
}

static void nb_report(FILE *f, const struct nb *b, int rounds, uint32_t calls)
{
	time_t now = time(NULL);
	char when[64];

	strftime(when, sizeof(when), "%Y-%m-%d %H:%M UTC", gmtime(&now));
	fprintf(f, "# NAT and FULLNAT per-packet cost (bench/nat_bench)\n\n"
		"%s; %d rounds of %u calls per variant, medians of per-round figures.\n\n"
		"| path | ns/pkt | x MAC-swap |\n|---|---:|---:|\n", when, rounds, calls);
	for (int v = V_MACSWAP; v < NV; v++) {
		double g[NB_ROUNDS_MAX], ratio[NB_ROUNDS_MAX];

		for (int r = 0; r < rounds; r++) {
			g[r] = nb_gross(b, r, v);
			ratio[r] = g[r] / nb_gross(b, r, V_MACSWAP);
		}
		fprintf(f, "| %s | %.1f | %.2f |\n", nb_names[v], median(g, rounds),
			median(ratio, rounds));
	}
}

int main(int argc, char **argv)
{
	static struct nb b;
	const char *out_path = NULL;
	uint32_t calls = 20000, idle_ms = 300;
	int rounds = 7, opt;

	while ((opt = getopt(argc, argv, "r:n:i:o:")) != -1) {
		switch (opt) {
		case 'r': rounds = atoi(optarg); break;
		case 'n': calls = (uint32_t)strtoul(optarg, NULL, 10); break;
		case 'i': idle_ms = (uint32_t)strtoul(optarg, NULL, 10); break;
		case 'o': out_path = optarg; break;
		default:
			fprintf(stderr, "usage: %s [-r rounds] [-n calls] [-i idle_ms] [-o file]\n",
				argv[0]);
			return 2;
		}
	}
	if (rounds < 1 || rounds > NB_ROUNDS_MAX || calls < 1)
		return nb_fail("bad -r or -n", EINVAL);
	if (xn_netns_setup() || nb_setup(&b))
		return 1;
	for (int r = 0; r < rounds; r++) {
		if (nb_round(&b, r, calls))
			return 1;
		usleep(idle_ms * 1000);
	}
	nb_report(stdout, &b, rounds, calls);
	if (out_path) {
		FILE *f = fopen(out_path, "w");

		if (!f)
			return nb_fail(out_path, errno);
		nb_report(f, &b, rounds, calls);
		fclose(f);
	}
	return 0;
}
