// SPDX-License-Identifier: GPL-2.0
/*
 * test_director_hash.c - the sh and dh schedulers of
 * bpf/xvs_director.bpf.c under BPF_PROG_TEST_RUN.
 *
 * SETUP installs the 256-bucket table that xvsd would (lib/sched_tab.c)
 * and the service's -b flags; CHECK sends SYNs from many client
 * addresses and compares the dest each went to (its next-hop MAC ends in
 * its id) with the bucket an independent reference computes: the
 * kernel's hash_32(ntohl(addr) [+ ntohs(sport)], 8), as ip_vs_sh.c and
 * ip_vs_dh.c hash, and ip_vs_sh_get_fallback()'s walk.
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
#define NCLIENTS 200

static const uint32_t ids3[] = { DA, DB, DC };

/* include/linux/hash.h: hash_32(val, 8). */
static uint32_t ref_hash(uint32_t val)
{
	return (uint32_t)(val * 0x61C88647u) >> (32 - XVS_SCHED_HASH_BITS);
}

/* SETUP: VIP:80/tcp with sched, flags and dests ids (weights w), and the
 * table xvsd would build for them in slots. */
static void setup_hash(uint8_t sched, uint32_t flags, const int32_t *w,
		       uint32_t n, uint16_t *slots)
{
	struct xvs_svc_key k = xt_svc_key4(XT_VIP, XT_VPORT, IPPROTO_TCP);
	struct xvs_svc svc = { .id = SVC, .sched = sched, .flags = flags };
	uint32_t len;

	xt_dests_dr(SVC, ids3, w, n);
	xt_svc_dests(SVC, ids3, n);
	len = sched == XVS_SCHED_SH ? xvs_sh_table(w, n, slots) : xvs_dh_table(n, slots);
	assert_int_equal(len, XVS_SCHED_HASH_SIZE);
	xt_sched_tab(SVC, slots, len);
	assert_int_equal(bpf_map_update_elem(xt_fd(xt_skel->maps.xvs_svc_v1),
					     &k, &svc, BPF_ANY), 0);
}

/* Every client goes to the dest of bucket hash(addr); the same address
 * from another port, to the same dest. */
static void test_sh_buckets(void **st)
{
	static const int32_t w[] = { 3, 1, 2 };
	uint16_t slots[XVS_SCHED_HASH_SIZE];
	int seen[4] = { 0 };
	char a[32];

	(void)st;
	setup_hash(XVS_SCHED_SH, 0, w, 3, slots);
	for (int i = 0; i < NCLIENTS; i++) {
		uint32_t b = ref_hash(ntohl(pkt_ip4_addr(xt_client_addr(i, a, sizeof(a)))));
		uint32_t want = ids3[slots[b]];

		assert_int_equal(xt_syn_from(a, 1000), want);
		assert_int_equal(xt_syn_from(a, 2000), want);
		assert_int_equal(xt_syn_from(a, 3000), want);
		seen[want]++;
	}
	/* Weights 3:1:2 over 256 buckets: every dest gets some clients. */
	assert_true(seen[DA] > 0 && seen[DB] > 0 && seen[DC] > 0);
}

/* sh-port: the source port is added to the address before hashing. */
static void test_sh_port(void **st)
{
	static const int32_t w[] = { 1, 1, 1 };
	uint16_t slots[XVS_SCHED_HASH_SIZE];
	int differ = 0;
	char a[32];

	(void)st;
	setup_hash(XVS_SCHED_SH, XVS_SVC_F_SCHED2, w, 3, slots);
	for (int i = 0; i < 40; i++) {
		uint32_t addr = ntohl(pkt_ip4_addr(xt_client_addr(i, a, sizeof(a))));

		for (uint16_t port = 5000; port < 5005; port++) {
			uint32_t want = ids3[slots[ref_hash(addr + port)]];

			assert_int_equal(xt_syn_from(a, port), want);
			differ += want != ids3[slots[ref_hash(addr)]];
		}
	}
	assert_true(differ > 0);
}

/* An unavailable bucket (weight 0, overloaded) gives no dest. */
static void test_sh_unavailable(void **st)
{
	static const int32_t w[] = { 1, 0, 1 };
	uint16_t slots[XVS_SCHED_HASH_SIZE];
	int none = 0;
	char a[32];

	(void)st;
	setup_hash(XVS_SCHED_SH, 0, w, 3, slots);
	xt_dest_overload(DC, 1);
	for (int i = 0; i < NCLIENTS; i++) {
		uint32_t b = ref_hash(ntohl(pkt_ip4_addr(xt_client_addr(i, a, sizeof(a)))));
		uint32_t want = ids3[slots[b]] == DA ? DA : 0;

		assert_int_equal(xt_syn_from(a, 1000), want);
		none += !want;
	}
	assert_true(none > 0);
}

/*
 * sh-fallback, after ip_vs_sh_get_fallback(): the bucket's dest if it is
 * available, else buckets (roffset + ihash) & 255 with roffset =
 * (k + ihash) % 256, for k = 0..255, the first available.
 */
static uint32_t ref_fallback(const uint16_t *slots, const int *avail, uint32_t ihash)
{
	if (avail[slots[ihash]])
		return ids3[slots[ihash]];
	for (uint32_t k = 0; k < XVS_SCHED_HASH_SIZE; k++) {
		uint32_t roffset = (k + ihash) % XVS_SCHED_HASH_SIZE;
		uint32_t b = (roffset + ihash) & (XVS_SCHED_HASH_SIZE - 1);

		if (avail[slots[b]])
			return ids3[slots[b]];
	}
	return 0;
}

static void test_sh_fallback(void **st)
{
	static const int32_t w[] = { 1, 0, 2 };
	uint16_t slots[XVS_SCHED_HASH_SIZE];
	int avail[3] = { 1, 0, 1 };
	int moved = 0;
	char a[32];

	(void)st;
	setup_hash(XVS_SCHED_SH, XVS_SVC_F_SCHED1, w, 3, slots);
	for (int i = 0; i < NCLIENTS; i++) {
		uint32_t b = ref_hash(ntohl(pkt_ip4_addr(xt_client_addr(i, a, sizeof(a)))));
		uint32_t want = ref_fallback(slots, avail, b);

		assert_int_equal(xt_syn_from(a, 1000), want);
		assert_true(want == DA || want == DC);
		moved += ids3[slots[b]] == DB;
	}
	assert_true(moved > 0);
	/* DC overloaded too: everything falls back to DA. */
	xt_dest_overload(DC, 1);
	avail[2] = 0;
	for (int i = 0; i < 50; i++)
		assert_int_equal(xt_syn_from(xt_client_addr(i, a, sizeof(a)), 1001), DA);
	/* Nothing available: no dest, after the 256 tries. */
	xt_dest_overload(DA, 1);
	assert_int_equal(xt_syn_from(xt_client_addr(0, a, sizeof(a)), 1002), 0);
}

/* dh hashes the destination (the VIP): every client goes to one dest,
 * the one of bucket hash(VIP); a weight 0 there gives no dest. */
static void test_dh(void **st)
{
	static const int32_t w[] = { 1, 1, 1 };
	uint16_t slots[XVS_SCHED_HASH_SIZE];
	uint32_t want;
	char a[32];

	(void)st;
	setup_hash(XVS_SCHED_DH, 0, w, 3, slots);
	want = ids3[slots[ref_hash(ntohl(pkt_ip4_addr(XT_VIP)))]];
	for (int i = 0; i < 50; i++)
		assert_int_equal(xt_syn_from(xt_client_addr(i, a, sizeof(a)), 1000), want);
	/* dh has no fallback, whatever the flags. */
	setup_hash(XVS_SCHED_DH, XVS_SVC_F_SCHED1, w, 3, slots);
	xt_dest_overload(want, 1);
	assert_int_equal(xt_syn_from(xt_client_addr(0, a, sizeof(a)), 1001), 0);
}

/* No dests: an empty table (len 0) gives no dest. */
static void test_hash_empty(void **st)
{
	(void)st;
	xt_expect_empty_table(SVC, XVS_SCHED_SH);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, xt_setup, xt_teardown)
	const struct CMUnitTest tests[] = {
		T(test_sh_buckets),
		T(test_sh_port),
		T(test_sh_unavailable),
		T(test_sh_fallback),
		T(test_dh),
		T(test_hash_empty),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
