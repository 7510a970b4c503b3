#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# test_tun_pmtu.sh - TUN mode over a 1500-byte underlay: a full-sized client
# packet no longer fits once encapsulated, so the director answers it with
# ICMP "fragmentation needed" (XDP cannot fragment). The client lowers its
# path MTU to the VIP and the upload still completes byte-exact.
source "$(dirname "$0")/lib.sh"

export XVS_LAB_TUN_MTU=1500
LAB_TUN_MTU=1500
t_begin tun
lab_service_add -t 80 wlc -i
t_upload_check 1M " over a 1500 underlay"
pmtu=$(lab_exec cl ip route get "$LAB_VIP" | grep -o 'mtu [0-9]*' || true)
t_info "client route to the VIP: ${pmtu:-no cached mtu}"
t_expect_eq "client learned the path MTU to the VIP" "$pmtu" "mtu 1480"
t_end
