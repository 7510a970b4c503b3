#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# test_restart.sh - XDP and the pinned connection table outlive xvsd, like
# IPVS state outlives keepalived: a long-lived TCP connection keeps flowing
# while xvsd is down and after it restarts with the same --name, and
# completes byte-exact; the configuration is still there afterwards.
source "$(dirname "$0")/lib.sh"

t_begin dr
lab_service_add -t 80 wlc -g
t_download_start 500k
lab_xvsd_stop TERM
t_pass "xvsd stopped (SIGTERM) mid-download"
# The download must keep moving while no daemon runs.
size1=$(stat -c %s "$T_DL.body")
sleep 1
size2=$(stat -c %s "$T_DL.body")
t_expect_ge "bytes received while xvsd was down" "$((size2 - size1))" 1
lab_xvsd_start
t_pass "xvsd restarted with the same --name"
t_check "service still listed after the restart" \
	lab_dest_listed TCP "$LAB_VIP:80" "$(lab_rs_ip 0):80"
t_download_check
t_http_balance 20 " (after restart)"
t_end
