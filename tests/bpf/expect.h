/* SPDX-License-Identifier: GPL-2.0 */
/*
 * expect.h - cmocka assertions on packet bytes, shared by the BPF tests.
 * Include after <cmocka.h> and pkt.h.
 */
#ifndef XVS_TEST_EXPECT_H
#define XVS_TEST_EXPECT_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* Check that out is exactly want; dump both on a mismatch. */
static inline void expect_bytes(const uint8_t *out, size_t out_len,
				const uint8_t *want, size_t want_len)
{
	if (out_len != want_len || memcmp(out, want, want_len)) {
		pkt_dump(stderr, "got  ", out, out_len);
		pkt_dump(stderr, "want ", want, want_len);
	}
	assert_int_equal(out_len, want_len);
	assert_memory_equal(out, want, want_len);
}

#endif
