#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# test_fnat_pmtu.sh - path MTU discovery through FULLNAT: the router between
# the director and the real servers drops its MTU to 1400 under a running
# service. Its "fragmentation needed" goes to the director's local address,
# about LIP:lport -> RS:80; the director translates it into an error from
# the VIP about client:cport -> VIP:80, so the client lowers its path MTU
# and a 2 MB upload still arrives byte-exact.
source "$(dirname "$0")/lib.sh"

t_begin fnat
lab_service_add -t 80 rr --fullnat 1 1
for lip in "${LAB_LIPS[@]}"; do lab_adm -P -t "$LAB_VIP:80" -z "$lip"; done
t_upload_check 1M " before the MTU shrinks"
lab_exec rtr ip link set eth1 mtu 1400
t_upload_check 2M " after the router's MTU shrank to 1400"
pmtu=$(lab_exec cl ip route get "$LAB_VIP" | grep -o 'mtu [0-9]*' || true)
t_info "client route to the VIP: ${pmtu:-no cached mtu}"
t_expect_eq "client learned the path MTU to the VIP" "$pmtu" "mtu 1400"
t_end
