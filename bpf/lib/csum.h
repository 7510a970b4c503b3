/* SPDX-License-Identifier: GPL-2.0 */
/* csum.h - Internet checksum helpers (RFC 1071, RFC 1624). */
#ifndef XVS_BPF_CSUM_H
#define XVS_BPF_CSUM_H

#include <linux/types.h>
#include <bpf/bpf_helpers.h>

/* Fold a 32-bit one's-complement sum into 16 bits and complement it. */
static __always_inline __u16 xvs_csum_fold(__u32 sum)
{
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (__u16)~sum;
}

/*
 * Checksum of a 20-byte IPv4 header without options (its check field
 * must be zero). Unrolled: ten 16-bit words, no loop for the verifier.
 */
static __always_inline __u16 xvs_csum_iph20(const void *iph)
{
	const __u16 *w = iph;
	__u32 sum = 0;

#pragma unroll
	for (int i = 0; i < 10; i++)
		sum += w[i];
	return xvs_csum_fold(sum);
}

/*
 * RFC 1624 eqn. 3: update checksum *check for a 32-bit field changing from
 * from to to (network order in, network order out).
 */
static __always_inline void xvs_csum_replace4(__sum16 *check, __be32 from, __be32 to)
{
	__u32 sum = (__u16)~*check;

	sum += (__u16)~(from & 0xffff) + (__u16)~(from >> 16);
	sum += (to & 0xffff) + (to >> 16);
	*check = xvs_csum_fold(sum);
}

/* The same for a 16-bit field. */
static __always_inline void xvs_csum_replace2(__sum16 *check, __be16 from, __be16 to)
{
	__u32 sum = (__u16)~*check;

	sum += (__u16)~from + to;
	*check = xvs_csum_fold(sum);
}

#endif
