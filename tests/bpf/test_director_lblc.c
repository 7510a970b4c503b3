// SPDX-License-Identifier: GPL-2.0
/*
 * test_director_lblc.c - the locality schedulers lblc and lblcr of
 * bpf/xvs_director.bpf.c (bpf/lib/lblc.h) under BPF_PROG_TEST_RUN.
 *
 * Runs the sequences of tests/unit/lblc_seq.h, whose picks the reference
 * models of tests/unit/test_lblc_ref.c make: before each new connection,
 * SETUP writes the dests' counts, weights, OVERLOAD flags and the
 * service's list as xvsd and earlier traffic would have left them; CHECK
 * sends a SYN and reads the dest it went to, and for lblcr the address's
 * set in xvs_lblcr_v1 (stored oldest first).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <cmocka.h>

#include "helpers.h"
#include "../unit/lblc_seq.h"

#define SVC	1

static const uint32_t ids3[SEQ_NDEST] = { 1, 2, 3 };

/* SETUP: the dests and the service's list as step s describes them. */
static void apply_step(const struct ref_step *s)
{
	uint32_t list[SEQ_NDEST], n = 0;

	for (int i = 0; i < SEQ_NDEST; i++) {
		struct xvs_dest d = xt_dest_dr(ids3[i], SVC, s->weight[i]);
		struct xvs_dest_conns c = {
			.active = s->act[i], .inactive = s->inact[i],
			.overload = (uint32_t)s->overload[i],
		};

		if (s->in_svc[i])
			list[n++] = ids3[i];
		else
			d.flags &= ~XVS_DEST_F_AVAILABLE;
		xt_dest_put(ids3[i], &d);
		assert_int_equal(bpf_map_update_elem(xt_fd(xt_skel->maps.xvs_dest_conns_v1),
						     &ids3[i], &c, BPF_ANY), 0);
	}
	xt_svc_dests(SVC, list, n);
}

static struct xvs_lblc_key vip_key(void)
{
	struct xvs_lblc_key k;

	memset(&k, 0, sizeof(k));
	k.daddr.ip4 = pkt_ip4_addr(XT_VIP);
	k.svc_id = SVC;
	k.af = XVS_AF_INET;
	return k;
}

/* One step: SETUP, then a SYN from a new port; the dest id it went to. */
static uint32_t run_step(const struct ref_step *s, uint16_t sport)
{
	apply_step(s);
	return xt_syn_dest(sport);
}

static void test_lblc_sequence(void **st)
{
	struct xvs_lblc_key k = vip_key();
	struct xvs_lblc_entry en;

	(void)st;
	xt_svc_add(XT_VIP, XT_VPORT, IPPROTO_TCP, SVC, XVS_SCHED_LBLC, ids3, SEQ_NDEST);
	for (size_t i = 0; i < sizeof(lblc_seq) / sizeof(lblc_seq[0]); i++) {
		uint32_t got = run_step(&lblc_seq[i], (uint16_t)(2000 + i));

		if (got != ids3[lblc_seq[i].want])
			fprintf(stderr, "lblc step %zu (%s): got dest %u\n", i,
				lblc_seq[i].what, got);
		assert_int_equal(got, ids3[lblc_seq[i].want]);
		/* The cache names the dest last scheduled by wlc, or kept. */
		assert_int_equal(bpf_map_lookup_elem(xt_fd(xt_skel->maps.xvs_lblc_v1), &k, &en), 0);
		assert_int_equal(en.dest_id, got);
	}
}

/* Make the address's set look unchanged for a day and an hour. */
static void age_set(void)
{
	struct xvs_lblc_key k = vip_key();
	struct xvs_lblcr_entry en;
	struct timespec ts;
	uint64_t now;

	clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
	now = (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
	assert_int_equal(bpf_map_lookup_elem(xt_fd(xt_skel->maps.xvs_lblcr_v1), &k, &en), 0);
	en.lastmod_ns = now - 25ull * 3600 * 1000000000ull;	/* mod 2^64 */
	assert_int_equal(bpf_map_update_elem(xt_fd(xt_skel->maps.xvs_lblcr_v1), &k, &en,
					     BPF_EXIST), 0);
}

/* CHECK: the set is want (newest first, SEQ_NONE-ended). */
static void expect_set(const int *want)
{
	struct xvs_lblc_key k = vip_key();
	struct xvs_lblcr_entry en;
	uint32_t n = 0;

	assert_int_equal(bpf_map_lookup_elem(xt_fd(xt_skel->maps.xvs_lblcr_v1), &k, &en), 0);
	while (want[n] != SEQ_NONE)
		n++;
	assert_int_equal(en.n, n);
	for (uint32_t i = 0; i < n; i++)
		assert_int_equal(en.ids[n - 1 - i], ids3[want[i]]);
}

static void test_lblcr_sequence(void **st)
{
	(void)st;
	xt_svc_add(XT_VIP, XT_VPORT, IPPROTO_TCP, SVC, XVS_SCHED_LBLCR, ids3, SEQ_NDEST);
	for (size_t i = 0; i < sizeof(lblcr_seq) / sizeof(lblcr_seq[0]); i++) {
		const struct ref_step *s = &lblcr_seq[i];
		uint32_t got;

		if (s->age_set)
			age_set();
		got = run_step(s, (uint16_t)(3000 + i));
		if (got != ids3[s->want])
			fprintf(stderr, "lblcr step %zu (%s): got dest %u\n", i, s->what, got);
		assert_int_equal(got, ids3[s->want]);
		expect_set(s->want_set);
	}
}

/* Nothing eligible: ICMP port unreachable, and no cache entry is made. */
static void test_no_dest(void **st)
{
	static const uint32_t none[] = { 1 };
	struct xvs_lblc_key k = vip_key();
	struct xvs_lblcr_entry en;
	struct xvs_dest d = xt_dest_dr(1, SVC, 0);

	(void)st;
	xt_dest_put(1, &d);
	xt_svc_add(XT_VIP, XT_VPORT, IPPROTO_TCP, SVC, XVS_SCHED_LBLCR, none, 1);
	assert_int_equal(xt_syn_from(XT_CLIENT, 4000), 0);
	assert_int_equal(bpf_map_lookup_elem(xt_fd(xt_skel->maps.xvs_lblcr_v1), &k, &en), -ENOENT);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, xt_setup, xt_teardown)
	const struct CMUnitTest tests[] = {
		T(test_lblc_sequence),
		T(test_lblcr_sequence),
		T(test_no_dest),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
