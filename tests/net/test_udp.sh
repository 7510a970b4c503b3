#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# test_udp.sh - a UDP service in DR mode: datagrams from many source ports
# reach both real servers, and the replies come from the VIP.
source "$(dirname "$0")/lib.sh"

t_begin dr
lab_service_add -u "$LAB_UDP_PORT" rr -g
n=$(t_scale 40 400)
out=$(lab_udp_names "$n")
lab_tally <<<"$out"
n0=$(lab_count "${LAB_RS_NAMES[0]}" <<<"$out")
n1=$(lab_count "${LAB_RS_NAMES[1]}" <<<"$out")
t_expect_eq "all $n datagrams answered from the VIP" "$((n0 + n1))" "$n"
t_expect_ge "${LAB_RS_NAMES[0]} answered" "$n0" 1
t_expect_ge "${LAB_RS_NAMES[1]} answered" "$n1" 1
t_stats_conns_both UDP "$LAB_UDP_PORT"
t_end
