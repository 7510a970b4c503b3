#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# test_tun.sh - TUN mode (-i): the director encapsulates in IPIP towards real
# servers on another subnet, behind a router; xvs-rs decapsulates in XDP and
# the real servers answer the client directly from the VIP.
source "$(dirname "$0")/lib.sh"

t_begin tun
lab_service_add -t 80 wlc -i
t_http_balance "$(t_scale 100 1000)"
t_stats_conns_both TCP 80
# Full-sized segments in both directions, through the encapsulation.
t_download_start 4000000
t_download_check
t_upload_check 2M
t_end
