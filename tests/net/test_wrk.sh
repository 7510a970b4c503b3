#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# test_wrk.sh - a short wrk keep-alive run through the VIP: many requests on
# persistent connections, and not one socket error or non-2xx answer.
source "$(dirname "$0")/lib.sh"

t_begin dr
lab_service_add -t 80 wlc -g
dur=$(t_scale 3 30)
out=$(lab_exec cl timeout $((dur + 15)) wrk -t2 -c16 -d"${dur}s" --timeout 2s \
	"http://$LAB_VIP/")
sed 's/^/        /' <<<"$out"
reqs=$(awk '/requests in/ { print $1 }' <<<"$out")
t_expect_ge "wrk requests completed" "${reqs:-0}" 100
t_check "no socket errors" eval '! grep -q "Socket errors" <<<"$out"'
t_check "no non-2xx answers" eval '! grep -q "Non-2xx" <<<"$out"'
t_stats_conns_both TCP 80
t_end
