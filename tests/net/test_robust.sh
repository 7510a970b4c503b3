#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# test_robust.sh - malformed control requests and malformed packets do not
# kill xvsd or stall it, and the service still works afterwards.
source "$(dirname "$0")/lib.sh"

t_begin dr
lab_service_add -t 80 wlc -g

t_info "control socket fuzz:"
lab_exec lvs "$LAB_PY" "$LAB_DIR/ctl-fuzz.py" burst "$LAB_CTL" |
	sed 's/^/        /'
t_check "xvsd alive after control fuzz" lab_xvsd_alive

# One client stalled mid-header must not block everybody else.
lab_exec lvs "$LAB_PY" "$LAB_DIR/ctl-fuzz.py" hold "$LAB_CTL" 8 &
hold_pid=$!
sleep 0.3
t_check "xvsadm -Ln answers while another client stalls" lab_adm -Ln
kill "$hold_pid" 2>/dev/null || true
wait "$hold_pid" 2>/dev/null || true

mac=$(lab_exec lvs cat /sys/class/net/eth0/address)
lab_exec cl "$LAB_PY" "$LAB_DIR/pkt-fuzz.py" eth0 "$mac" \
	"$LAB_CLIENT_IP" "$LAB_VIP" "$(t_scale 20 500)"
t_check "xvsd alive after packet fuzz" lab_xvsd_alive
t_check "service still configured" \
	lab_dest_listed TCP "$LAB_VIP:80" "$(lab_rs_ip 1):80"
t_http_balance 40 " (after fuzz)"
t_end
