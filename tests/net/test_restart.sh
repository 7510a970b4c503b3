#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# test_restart.sh - XDP and the pinned connection table outlive xvsd, like
# IPVS state outlives keepalived: a long-lived TCP connection keeps flowing
# while xvsd is down, through a graceful stop (TERM) and a crash (KILL),
# each followed by a restart with the same --name, and completes
# byte-exact; the configuration is still there afterwards.
source "$(dirname "$0")/lib.sh"

# t_restart_with SIGNAL - stop xvsd with SIGNAL mid-download, check that the
# download moves while no daemon runs, start xvsd again.
t_restart_with() {
	local size1 size2
	lab_xvsd_stop "$1"
	t_pass "xvsd stopped (SIG$1) mid-download"
	# In 2 s at 300 KB/s slow-get reads about 600 KB, far more than its
	# small receive buffer (64 KB) holds: most of it crossed the director
	# while xvsd was down.
	size1=$(stat -c %s "$T_DL.body")
	sleep 2
	size2=$(stat -c %s "$T_DL.body")
	t_expect_ge "bytes received while xvsd was down (SIG$1)" \
		"$((size2 - size1))" 262144
	lab_xvsd_start
	t_pass "xvsd restarted with the same --name (after SIG$1)"
	t_check "service still listed after the restart (SIG$1)" \
		lab_dest_listed TCP "$LAB_VIP:80" "$(lab_rs_ip 0):80"
}

t_begin dr
lab_service_add -t 80 wlc -g
# 300 KB/s: the 4 MB download lasts about 13 s, longer than two restarts
# take even on a loaded machine.
t_download_start 300000
t_restart_with TERM
t_restart_with KILL
t_check "download still running after both restarts" kill -0 "$T_DL_PID"
t_download_check
t_http_balance 20 " (after the restarts)"
t_end
