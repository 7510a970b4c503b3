#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# nat_lib.sh - traffic checks shared by test_nat.sh and test_fnat.sh, for a
# TCP service on the VIP's port 80 with weights 3:1 and a one-dest service
# on port 5201 (iperf3). Sourced after lib.sh.

# t_nat_traffic MODE - new connections follow the weights, 100 MB from
# each server and 10 MB to one arrive byte-exact, wrk and iperf3 run
# clean, OutPkts counts the replies.
t_nat_traffic() {
	local mode=$1 big=$LAB_TMP/big100.bin sha_rs sha_cl out reqs errs i ratio

	t_http_balance "$(t_scale 200 2000)" " ($mode wrr 3:1)"
	ratio=$(awk -v a="$T_N0" -v b="$T_N1" 'BEGIN { if (b) printf "%.2f", a / b }')
	t_check "$mode: wrr ratio ${ratio:-inf} within 2.5..3.5" \
		awk -v r="${ratio:-0}" 'BEGIN { exit !(r >= 2.5 && r <= 3.5) }'

	# 100 MB from each server, through the return path.
	head -c 100M /dev/urandom >"$big"
	sha_rs=$(sha256sum "$big" | cut -d' ' -f1)
	for i in "${!LAB_RS_ROLES[@]}"; do
		cp "$big" "$LAB_TMP/${LAB_RS_ROLES[$i]}/www/big100.bin"
	done
	for i in 1 2; do
		rm -f "$LAB_TMP/dl100.bin"
		lab_exec cl curl -s --max-time 60 -o "$LAB_TMP/dl100.bin" \
			"http://$LAB_VIP/big100.bin" || true
		sha_cl=$(sha256sum "$LAB_TMP/dl100.bin" 2>/dev/null | cut -d' ' -f1)
		t_expect_eq "$mode: 100 MB download $i byte-exact (sha256)" "$sha_cl" "$sha_rs"
	done
	rm -f "$big" "$LAB_TMP/dl100.bin" "$LAB_TMP"/web*/www/big100.bin
	t_upload_check 10M " ($mode)"

	out=$(lab_exec cl timeout 20 wrk -t2 -c50 -d3s --timeout 2s \
		"http://$LAB_VIP/" 2>&1 || true)
	reqs=$(awk '/requests in/ { print $1 }' <<<"$out")
	errs=$(awk '/Socket errors|Non-2xx/ { print }' <<<"$out")
	t_expect_ge "$mode: wrk requests completed" "${reqs:-0}" 1000
	t_expect_eq "$mode: wrk socket errors and non-2xx" "${errs:-none}" none
	# The 2 s estimator ticked during wrk's 3 s: replies show in OutPPS.
	out=$(lab_adm -Ln --rate | awk '$1 == "TCP" && $2 == "'"$LAB_VIP"':80" { print $5 }')
	t_expect_ge "$mode: --rate OutPPS of the replies" "${out:-0}" 1

	lab_exec web1 iperf3 -s -D -p 5201 -1 --logfile "$LAB_TMP/iperf-web1.log"
	lab_exec web2 iperf3 -s -D -p 5201 -1 --logfile "$LAB_TMP/iperf-web2.log"
	out=$(lab_exec cl timeout 20 iperf3 -c "$LAB_VIP" -p 5201 -t 2 -J 2>&1 || true)
	t_check "$mode: iperf3 through the VIP completed" \
		grep -q '"bits_per_second"' <<<"$out"
	t_info "$mode: iperf3 $(awk -F: '/"bits_per_second"/ { v = $2 } END { printf "%.1f Gbit/s", v / 1e9 }' <<<"$out")"

	t_info "xvsadm -Ln --stats:"
	lab_adm -Ln --stats | sed 's/^/        /'
	out=$(lab_adm -Ln --stats --exact | awk '$1 == "TCP" && $2 == "'"$LAB_VIP"':80" { print $5 }')
	t_expect_ge "$mode: OutPkts counts the replies" "${out:-0}" 70000
}

