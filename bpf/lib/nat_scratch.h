/* SPDX-License-Identifier: GPL-2.0 */
/* nat_scratch.h - per-CPU scratch space of the NAT/FULLNAT subprograms. */
#ifndef XVS_BPF_NAT_SCRATCH_H
#define XVS_BPF_NAT_SCRATCH_H

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#include "xvs/dp-t.h"

/* The addresses and ports a packet leaves with. */
struct xvs_nat_tuple {
	union xvs_addr saddr;
	union xvs_addr daddr;
	__be16 sport;
	__be16 dport;
};

/* The arguments of a new NAT/FULLNAT connection (nat.h). */
struct xvs_nat_new {
	__u64 now;
	__u64 update_flags;	/* BPF_NOEXIST, or BPF_ANY to reuse the IN key */
	__u32 dest_id;
	int verdict;		/* out */
	int created;		/* out */
};

/*
 * Per-CPU scratch space for the big temporaries of the subprograms
 * below: the director's own frame leaves them little of the 512-byte
 * stack. Program-private, so not pinned.
 */
struct xvs_nat_scratch {
	struct xvs_conn c;
	struct xvs_conn_out o;
	struct xvs_conn_key k;
	struct bpf_fib_lookup fib;
	struct xvs_nat_tuple t;
	struct xvs_nat_tuple t2;
	struct xvs_nat_new a;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct xvs_nat_scratch);
} xvs_nat_scratch SEC(".maps");

static __always_inline struct xvs_nat_scratch *xvs_nat_scratch_get(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&xvs_nat_scratch, &zero);
}

#endif
