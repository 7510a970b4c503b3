#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# test_persist_quiescent.sh - xvsd --expire-quiescent-template (IPVS's
# expire_quiescent_template sysctl): with -p and rr, each client sticks to
# a real server; once web-01 is quiesced (weight 0), its clients' templates
# no longer hold and their new connections go to web-02, while web-02's
# clients stay. (test_persist.sh checks the default: they stay on web-01.)
source "$(dirname "$0")/lib.sh"

t_begin dr --expire-quiescent-template
lab_adm -A -t "$LAB_VIP:80" -s rr -p 120
for i in "${!LAB_RS_NAMES[@]}"; do
	lab_adm -a -t "$LAB_VIP:80" -r "$(lab_rs_ip "$i"):80" -g
done
sleep "$LAB_SETTLE_S"
t_check "the option is xvsd's, not the service's: -S shows plain -p" \
	grep -q -- "^-A -t $LAB_VIP:80 -s rr -p 120\$" <<<"$(lab_adm -S -n)"

clients=$LAB_EXTRA_CLIENTS
out=$(lab_http_names "$clients")
lab_tally <<<"$out"
mapfile -t before <<<"$out"
lab_adm -e -t "$LAB_VIP:80" -r "$(lab_rs_ip 0):80" -g -w 0
out=$(lab_http_names "$clients")
lab_tally <<<"$out"
mapfile -t after <<<"$out"
moved=0 stayed=0 on_b=0
for ((i = 0; i < clients; i++)); do
	if [[ "${before[i]}" == "${LAB_RS_NAMES[0]}" ]]; then
		[[ "${after[i]}" == "${LAB_RS_NAMES[1]}" ]] && moved=$((moved + 1))
	else
		on_b=$((on_b + 1))
		[[ "${after[i]}" == "${before[i]}" ]] && stayed=$((stayed + 1))
	fi
done
t_expect_eq "${LAB_RS_NAMES[0]}'s clients moved to ${LAB_RS_NAMES[1]}" "$moved" "$((clients - on_b))"
t_expect_eq "${LAB_RS_NAMES[1]}'s clients stayed" "$stayed" "$on_b"
t_expect_ge "some clients had been on ${LAB_RS_NAMES[0]}" "$((clients - on_b))" 1
t_end
