#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# test_dr.sh - DR mode (-g): new HTTP connections through the VIP reach both
# real servers, which answer the client directly; the stats count them;
# a bulk upload arrives byte-exact.
source "$(dirname "$0")/lib.sh"

t_begin dr
lab_service_add -t 80 wlc -g
t_http_balance "$(t_scale 100 1000)"
t_stats_conns_both TCP 80
t_upload_check 2M
t_end
