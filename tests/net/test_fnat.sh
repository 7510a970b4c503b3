#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# test_fnat.sh - FULLNAT (--fullnat) through the one-armed fnat lab: the
# real servers sit behind a router and route nothing special; the director
# rewrites client:cport -> VIP:vport into LIP:lport -> RS:rport and the
# replies back. The same traffic checks as NAT, then: the TOA option
# (kind 254) reaches the server with the client's address, 1000
# connections open at once hit no local-port collision and no reset, and
# with the local addresses gone new connections are refused while an
# established one completes.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/nat_lib.sh"

# t_fnat_laddrs CMD - -P (add) or -Q (delete) every lab local address.
t_fnat_laddrs() {
	local lip svc
	for svc in 80 5201; do
		for lip in "${LAB_LIPS[@]}"; do
			lab_adm "$1" -t "$LAB_VIP:$svc" -z "$lip"
		done
	done
}

t_begin fnat
lab_service_add -t 80 wrr --fullnat 3 1
lab_adm -A -t "$LAB_VIP:5201" -s rr
lab_adm -a -t "$LAB_VIP:5201" -r "$(lab_rs_ip 0):5201" --fullnat
t_fnat_laddrs -P
lab_adm --toa on -t "$LAB_VIP:80"
t_expect_eq "xvsadm -Ln shows FullNat" "$(lab_adm -Ln | grep -c ' FullNat ')" 3
t_expect_eq "xvsadm -G lists the local addresses" \
	"$(lab_adm -G -t "$LAB_VIP:80" | awk '$1 == "->" && $2 ~ /^198/ { print $2 }' | xargs)" \
	"${LAB_LIPS[*]}"
t_nat_traffic fnat

# TOA: the server sees option 254 carrying the client's port and address.
lab_exec web1 timeout 10 tcpdump -i eth0 -n -c 8 -w "$LAB_TMP/toa.pcap" \
	'tcp port 80' >/dev/null 2>&1 &
dump=$!
sleep 1
for i in 1 2 3 4; do lab_exec cl curl -s --max-time 2 -o /dev/null "http://$LAB_VIP/" || true; done
wait "$dump" || true
toa=$(tcpdump -r "$LAB_TMP/toa.pcap" -n -x 2>/dev/null | tr -d ' \n' |
	grep -o "fe08[0-9a-f]\{4\}c6120001" | head -1 || true)
t_check "TOA (fe 08 port 198.18.0.1) reached the real server" test -n "$toa"

# 1000 connections open at the same time: every one answered.
out=$(lab_exec cl bash -c "ulimit -n 4096; $LAB_PY $LAB_DIR/conc-get.py $LAB_VIP 80 1000 30" || true)
t_info "1000 concurrent: $out"
t_expect_eq "1000 concurrent connections, all answered, none reset" \
	"$out" "ok=1000 reset=0 failed=0 open=1000"

# No local address left: new connections are refused, established go on.
t_download_start 400000
t_fnat_laddrs -Q
code=$(lab_exec cl curl -s --max-time 2 -o /dev/null -w '%{http_code}' "http://$LAB_VIP/" || true)
t_expect_eq "no local address: a new connection is refused" "$code" 000
t_download_check
t_end
