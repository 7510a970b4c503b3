#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# test_max_services.sh - xvsd --max-services sizes every map indexed by
# service id: with room for 4100, the service with id 4096 (past the
# default 4096) takes traffic, the table refuses a 4101st service, and a
# restart keeps the pinned size (asking for another size is refused).
source "$(dirname "$0")/lib.sh"

MAX=4100
t_begin dr --max-services "$MAX"

# 4096 services without dests fill ids 0..4095, so the VIP:80 service
# added next gets id 4096.
awk 'BEGIN { for (i = 0; i < 4096; i++) printf "-A -t 198.18.0.100:%d -s rr\n", 10000 + i }' |
	lab_adm -R
lab_service_add -t 80 wlc -g
t_http_balance 20 " (service id 4096)"

t_expect_eq "services listed" "$(lab_adm -Ln | grep -c '^TCP')" 4097
lab_adm -A -t "$LAB_VIP:81" -s rr
lab_adm -A -t "$LAB_VIP:82" -s rr
lab_adm -A -t "$LAB_VIP:83" -s rr
t_check "service $((MAX + 1)) refused" eval '! lab_adm -A -t "$LAB_VIP:84" -s rr 2>/dev/null'

lab_xvsd_stop TERM
t_check "restart asking for another size refused" eval '! lab_bpfexec lvs timeout 10 \
	"$XVS_BIN/xvsd" -n -l --interface eth0 --xdp-mode "$LAB_XDP_MODE" \
	--name "$LAB_XVSD_NAME" --max-services 5000 >>"$LAB_TMP/xvsd.log" 2>&1'
lab_xvsd_start
t_expect_eq "services after a restart without --max-services" \
	"$(lab_adm -Ln | grep -c '^TCP')" "$MAX"
t_http_balance 20 " (after the restart)"
t_end
