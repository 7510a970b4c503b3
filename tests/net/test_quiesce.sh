#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# test_quiesce.sh - weight 0 quiesces a dest, as in IPVS: its established
# connections keep working, and new connections go elsewhere.
source "$(dirname "$0")/lib.sh"

t_begin dr
# Only web-01 takes new connections, so the long download lands there.
lab_service_add -t 80 wlc -g 1 0
t_download_start 500000
# Swap: quiesce web-01, open web-02.
lab_adm -e -t "$LAB_VIP:80" -r "$(lab_rs_ip 0):80" -g -w 0
lab_adm -e -t "$LAB_VIP:80" -r "$(lab_rs_ip 1):80" -g -w 1
n=$(t_scale 40 400)
out=$(lab_http_names "$n")
lab_tally <<<"$out"
t_expect_eq "new connections to quiesced ${LAB_RS_NAMES[0]}" \
	"$(lab_count "${LAB_RS_NAMES[0]}" <<<"$out")" 0
t_expect_eq "new connections to ${LAB_RS_NAMES[1]}" \
	"$(lab_count "${LAB_RS_NAMES[1]}" <<<"$out")" "$n"
t_check "long-lived download still running after the quiesce" \
	kill -0 "$T_DL_PID"
t_download_check
t_expect_eq "long-lived download was served by" "${LAB_RS_NAMES[$T_DL_RS]}" \
	"${LAB_RS_NAMES[0]}"
t_end
