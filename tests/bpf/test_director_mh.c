// SPDX-License-Identifier: GPL-2.0
/*
 * test_director_mh.c - the mh and twos schedulers of
 * bpf/xvs_director.bpf.c under BPF_PROG_TEST_RUN.
 *
 * mh: SETUP installs the Maglev table that xvsd would (lib/sched_tab.c);
 * CHECK sends SYNs from many client addresses and compares the dest each
 * went to (its next-hop MAC ends in its id) with table[slot] for the slot
 * an independent copy of the flow hash computes, and with
 * ip_vs_mh_get_fallback()'s rehashing walk.
 *
 * twos draws at random, so most of its checks are properties that hold
 * for every draw: a weight-0 or overloaded dest is never picked, a single
 * eligible dest always is. The one statistical check (an idle dest beats
 * a loaded one) has a bound many standard deviations from its mean.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "helpers.h"
#include "sched_tab.h"

#define SVC	1
#define DA	1
#define DB	2
#define DC	3
#define NCLIENTS 300

static const uint32_t ids3[] = { DA, DB, DC };
static uint16_t slots[XVS_SCHED_MH_SIZE];

/* The flow hash as docs/datapath.md states it: murmur3's fmix32 over
 * key + initval * 0x9E3779B9, then the slot (h * M) >> 32. */
static uint32_t ref_slot(uint32_t key, uint32_t initval)
{
	uint32_t h = key + initval * 0x9E3779B9u;

	h ^= h >> 16;
	h *= 0x85EBCA6Bu;
	h ^= h >> 13;
	h *= 0xC2B2AE35u;
	h ^= h >> 16;
	return (uint32_t)(((uint64_t)h * XVS_SCHED_MH_SIZE) >> 32);
}

/* SETUP: VIP:80/tcp with sched and flags, dests ids3[0..n) of weights w
 * and, for mh, the table xvsd would build into slots. */
static void setup_svc(uint8_t sched, uint32_t flags, const int32_t *w, uint32_t n)
{
	struct xvs_svc_key k = xt_svc_key4(XT_VIP, XT_VPORT, IPPROTO_TCP);
	struct xvs_svc svc = { .id = SVC, .sched = sched, .flags = flags };
	struct xvs_dest d[3];
	struct xvs_mh_dest md[3];

	xt_dests_dr(SVC, ids3, w, n);
	xt_svc_dests(SVC, ids3, n);
	if (sched == XVS_SCHED_MH) {
		for (uint32_t i = 0; i < n; i++) {
			d[i] = xt_dest_get(ids3[i]);
			md[i].addr = d[i].addr.bytes;
			md[i].port = d[i].port;
			md[i].weight = w[i];
		}
		assert_int_equal(xvs_mh_table(md, n, slots), XVS_SCHED_MH_SIZE);
		xt_sched_tab(SVC, slots, XVS_SCHED_MH_SIZE);
	}
	assert_int_equal(bpf_map_update_elem(xt_fd(xt_skel->maps.xvs_svc_v1),
					     &k, &svc, BPF_ANY), 0);
}

static uint32_t client_key(int i)
{
	char a[32];

	return ntohl(pkt_ip4_addr(xt_client_addr(i, a, sizeof(a))));
}

/* Every client goes to table[slot(addr)], whatever its port. */
static void test_mh_slots(void **st)
{
	static const int32_t w[] = { 3, 1, 2 };
	int seen[4] = { 0 };
	char a[32];

	(void)st;
	setup_svc(XVS_SCHED_MH, 0, w, 3);
	for (int i = 0; i < NCLIENTS; i++) {
		uint32_t want = ids3[slots[ref_slot(client_key(i), 0)]];

		xt_client_addr(i, a, sizeof(a));
		assert_int_equal(xt_syn_from(a, 1000), want);
		assert_int_equal(xt_syn_from(a, 2000), want);
		seen[want]++;
	}
	assert_true(seen[DA] > seen[DB] && seen[DB] > 0 && seen[DC] > 0);
}

/* mh-port: the source port is added to the address before hashing. */
static void test_mh_port(void **st)
{
	static const int32_t w[] = { 1, 1, 1 };
	int differ = 0;
	char a[32];

	(void)st;
	setup_svc(XVS_SCHED_MH, XVS_SVC_F_SCHED2, w, 3);
	for (int i = 0; i < 40; i++) {
		uint32_t key = client_key(i);

		xt_client_addr(i, a, sizeof(a));
		for (uint16_t port = 5000; port < 5005; port++) {
			uint32_t want = ids3[slots[ref_slot(key + port, 0)]];

			assert_int_equal(xt_syn_from(a, port), want);
			differ += want != ids3[slots[ref_slot(key, 0)]];
		}
	}
	assert_true(differ > 0);
}

/* Without mh-fallback, an unavailable slot's dest gives no dest; a
 * weight-0 dest has no slot at all. */
static void test_mh_unavailable(void **st)
{
	static const int32_t w[] = { 1, 0, 1 };
	int none = 0;
	char a[32];

	(void)st;
	setup_svc(XVS_SCHED_MH, 0, w, 3);
	for (int c = 0; c < XVS_SCHED_MH_SIZE; c++)
		assert_true(ids3[slots[c]] != DB);
	xt_dest_overload(DC, 1);
	for (int i = 0; i < NCLIENTS; i++) {
		uint32_t want = ids3[slots[ref_slot(client_key(i), 0)]] == DA ? DA : 0;

		assert_int_equal(xt_syn_from(xt_client_addr(i, a, sizeof(a)), 1000), want);
		none += !want;
	}
	assert_true(none > 0);
}

/* ip_vs_mh_get_fallback(): the slot's dest if available, else for k =
 * 0..M-1 the slot of the key rehashed with (k + ihash) % M, the first
 * available. */
static uint32_t ref_fallback(const int *avail, uint32_t key)
{
	uint32_t ihash = ref_slot(key, 0);

	if (avail[slots[ihash]])
		return ids3[slots[ihash]];
	for (uint32_t k = 0; k < XVS_SCHED_MH_SIZE; k++) {
		uint32_t c = ref_slot(key, (k + ihash) % XVS_SCHED_MH_SIZE);

		if (avail[slots[c]])
			return ids3[slots[c]];
	}
	return 0;
}

static void test_mh_fallback(void **st)
{
	static const int32_t w[] = { 1, 1, 2 };
	int avail[3] = { 1, 0, 1 };
	int moved = 0;
	char a[32];

	(void)st;
	setup_svc(XVS_SCHED_MH, XVS_SVC_F_SCHED1, w, 3);
	xt_dest_overload(DB, 1);
	for (int i = 0; i < NCLIENTS; i++) {
		uint32_t key = client_key(i);
		uint32_t want = ref_fallback(avail, key);

		assert_int_equal(xt_syn_from(xt_client_addr(i, a, sizeof(a)), 1000), want);
		assert_true(want == DA || want == DC);
		moved += ids3[slots[ref_slot(key, 0)]] == DB;
	}
	assert_true(moved > 0);
	/* DC overloaded too: everything falls back to DA. */
	xt_dest_overload(DC, 1);
	for (int i = 0; i < 50; i++)
		assert_int_equal(xt_syn_from(xt_client_addr(i, a, sizeof(a)), 1001), DA);
	/* Nothing available: no dest, after the M tries. */
	xt_dest_overload(DA, 1);
	assert_int_equal(xt_syn_from(xt_client_addr(0, a, sizeof(a)), 1002), 0);
}

/* No positive weight: an empty table (len 0) gives no dest. */
static void test_mh_empty(void **st)
{
	(void)st;
	xt_expect_empty_table(SVC, XVS_SCHED_MH);
}

/* twos: weight 0 and overloaded dests are never picked; one eligible
 * dest is always picked; none eligible gives no dest. */
static void test_twos_eligible(void **st)
{
	static const int32_t w[] = { 5, 0, 5 };
	int seen[4] = { 0 };
	char a[32];

	(void)st;
	setup_svc(XVS_SCHED_TWOS, 0, w, 3);
	for (int i = 0; i < 200; i++) {
		uint32_t got = xt_syn_from(xt_client_addr(i, a, sizeof(a)), 1000);

		assert_true(got == DA || got == DC);
		seen[got]++;
	}
	/* Both eligible ones are reachable: each draw lands on DA with
	 * probability 6/11; 200 SYNs all on one side has probability
	 * below 1e-50. */
	assert_true(seen[DA] > 0 && seen[DC] > 0);
	xt_dest_overload(DA, 1);
	for (int i = 0; i < 100; i++)
		assert_int_equal(xt_syn_from(xt_client_addr(i, a, sizeof(a)), 1001), DC);
	xt_dest_overload(DC, 1);
	assert_int_equal(xt_syn_from(xt_client_addr(0, a, sizeof(a)), 1002), 0);
}

/*
 * twos prefers the less loaded of its two picks. DA carries 10000
 * active connections (overhead 2560000), DB none; equal weights. DA is
 * chosen only when both draws land on it (w2 * oh1 > w1 * oh2 otherwise
 * switches to DB, or the first pick is DB already), probability
 * (2/3)^2 = 4/9 per SYN with draws over 0..2 (0 and 1 fall on DA). The
 * SYNs themselves add to DB's count (and DA's when it wins), so the test
 * keeps DA's load far above. Bound: of 300 SYNs DB gets at least 100
 * (expectation 167, sd 8.6: the bound is 7.7 sd below).
 */
static void test_twos_prefers_idle(void **st)
{
	static const int32_t w[] = { 1, 1 };
	int seen[4] = { 0 };
	char a[32];

	(void)st;
	setup_svc(XVS_SCHED_TWOS, 0, w, 2);
	xt_dest_conns_set(DA, 10000, 0);
	for (int i = 0; i < 300; i++)
		seen[xt_syn_from(xt_client_addr(i, a, sizeof(a)), 1000)]++;
	assert_int_equal(seen[DA] + seen[DB], 300);
	assert_true(seen[DB] >= 100);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, xt_setup, xt_teardown)
	const struct CMUnitTest tests[] = {
		T(test_mh_slots),
		T(test_mh_port),
		T(test_mh_unavailable),
		T(test_mh_fallback),
		T(test_mh_empty),
		T(test_twos_eligible),
		T(test_twos_prefers_idle),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
