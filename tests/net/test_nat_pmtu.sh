#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# test_nat_pmtu.sh - path MTU discovery through NAT: the director's
# client-side link drops to MTU 1400 under a running service. Full-sized
# replies from the real servers no longer fit; the director answers them
# with "fragmentation needed" (XDP cannot fragment), the servers lower
# their path MTU, and a 4 MB download still arrives byte-exact.
source "$(dirname "$0")/lib.sh"

t_begin nat
lab_service_add -t 80 rr -m 1 1
t_download_start 4000000
t_download_check
lab_exec lvs ip link set eth0 mtu 1400
lab_exec sw ip link set p-lvs mtu 1400
t_download_start 4000000
t_download_check
for i in 0 1; do
	pmtu=$(lab_exec "${LAB_RS_ROLES[$i]}" ip route get "$LAB_CLIENT_IP" |
		grep -o 'mtu [0-9]*' || true)
	t_info "${LAB_RS_NAMES[$i]}'s route to the client: ${pmtu:-no cached mtu}"
	[[ "$i" == "$T_DL_RS" ]] &&
		t_expect_eq "the server that sent learned the path MTU" "$pmtu" "mtu 1400"
done
t_end
