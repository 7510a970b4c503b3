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

#endif
