#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# test_mh.sh - mh sends each client address to one dest, the same on
# every connection; a weight-0 dest has no slot in the table, so its
# clients go to the other; twos never picks a weight-0 dest and places
# every connection.
source "$(dirname "$0")/lib.sh"

t_begin dr
lab_service_add -t 80 mh -g 1 1
n=$(t_scale 60 600)
out=$(lab_http_names "$n")
lab_tally <<<"$out"
t_expect_eq "every connection answered" \
	"$(($(lab_count "${LAB_RS_NAMES[0]}" <<<"$out") + \
	    $(lab_count "${LAB_RS_NAMES[1]}" <<<"$out")))" "$n"
again=$(lab_http_names "$n")
t_check "each client went to the same dest again" test "$out" = "$again"

lab_adm -e -t "$LAB_VIP:80" -r "$(lab_rs_ip 0):80" -g -w 0
out=$(lab_http_names "$n")
lab_tally <<<"$out"
t_expect_eq "weight 0: new connections to ${LAB_RS_NAMES[1]}" \
	"$(lab_count "${LAB_RS_NAMES[1]}" <<<"$out")" "$n"

lab_adm -E -t "$LAB_VIP:80" -s twos
out=$(lab_http_names "$n")
lab_tally <<<"$out"
t_expect_eq "twos, weight 0: new connections to ${LAB_RS_NAMES[1]}" \
	"$(lab_count "${LAB_RS_NAMES[1]}" <<<"$out")" "$n"
lab_adm -e -t "$LAB_VIP:80" -r "$(lab_rs_ip 0):80" -g -w 1
out=$(lab_http_names "$n")
lab_tally <<<"$out"
t_expect_eq "twos: every connection answered" \
	"$(($(lab_count "${LAB_RS_NAMES[0]}" <<<"$out") + \
	    $(lab_count "${LAB_RS_NAMES[1]}" <<<"$out")))" "$n"
t_end
