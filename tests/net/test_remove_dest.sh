#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# test_remove_dest.sh - a dest removed with -d gets no new connections and
# is no longer listed.
source "$(dirname "$0")/lib.sh"

t_begin dr
lab_service_add -t 80 rr -g
t_http_balance 20 " (before -d)"
lab_adm -d -t "$LAB_VIP:80" -r "$(lab_rs_ip 1):80"
t_check "-Ln no longer lists $(lab_rs_ip 1):80" \
	eval '! lab_dest_listed TCP "$LAB_VIP:80" "$(lab_rs_ip 1):80"'
n=$(t_scale 50 500)
out=$(lab_http_names "$n")
lab_tally <<<"$out"
t_expect_eq "new connections to removed ${LAB_RS_NAMES[1]}" \
	"$(lab_count "${LAB_RS_NAMES[1]}" <<<"$out")" 0
t_expect_eq "new connections to ${LAB_RS_NAMES[0]}" \
	"$(lab_count "${LAB_RS_NAMES[0]}" <<<"$out")" "$n"
t_end
