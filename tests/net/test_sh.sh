#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# test_sh.sh - sh sends each client address to the dest of its bucket,
# hash_32(address, 8) in a table of weights 1,1 (even buckets web-01, odd
# web-02); with web-01 quiesced and sh-fallback, everything to web-02.
source "$(dirname "$0")/lib.sh"

# The lab's clients, in lab_http_names' order: 198.18.0.200 + i % extra.
sh_expected() {
	local n=$1 i ip h
	for ((i = 0; i < n; i++)); do
		ip=$(((198 << 24) | (18 << 16) | (200 + i % LAB_EXTRA_CLIENTS)))
		h=$((((ip * 0x61C88647) & 0xffffffff) >> 24))
		echo "${LAB_RS_NAMES[$((h % 2))]}"
	done
}

t_begin dr
lab_service_add -t 80 sh -g 1 1
n=$(t_scale 60 600)
out=$(lab_http_names "$n")
lab_tally <<<"$out"
want=$(sh_expected "$n")
t_check "every client went to its bucket's dest" test "$out" = "$want"
t_expect_ge "${LAB_RS_NAMES[0]} answered" "$(lab_count "${LAB_RS_NAMES[0]}" <<<"$out")" 1
t_expect_ge "${LAB_RS_NAMES[1]} answered" "$(lab_count "${LAB_RS_NAMES[1]}" <<<"$out")" 1

lab_adm -e -t "$LAB_VIP:80" -r "$(lab_rs_ip 0):80" -g -w 0
lab_adm -E -t "$LAB_VIP:80" -s sh -b sh-fallback
out=$(lab_http_names "$n")
lab_tally <<<"$out"
t_expect_eq "sh-fallback: new connections to ${LAB_RS_NAMES[1]}" \
	"$(lab_count "${LAB_RS_NAMES[1]}" <<<"$out")" "$n"
t_end
