#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# test_metrics_kconf.sh - /metrics with a keepalived.conf: the VRRP
# instance's state, priority and MASTER transitions (xvs_vrrp_*), each
# real server's health-check verdict, duration and counts (xvs_check_*)
# with the backend labels and the checker's name; a real server whose
# nginx stops goes to xvs_check_up 0 and leaves node_ipvs_backend_*; with
# both down xvs_service_weight is 0 (what LVSVipDown watches); the Grafana
# dashboard names only metrics this scrape serves.
source "$(dirname "$0")/lib.sh"

MX_URL=http://$LAB_DIRECTOR_IP:9100/metrics
CONF=/tmp/${LAB_PREFIX}metrics.conf
CHECK=$T_DIR/metrics_check.py
PROM=/tmp/${LAB_PREFIX}metrics.prom

cat >"$CONF" <<CONF
vrrp_instance VI_1 {
 state MASTER
 interface eth0
 virtual_router_id 51
 priority 150
 advert_int 1
 unicast_src_ip $LAB_DIRECTOR_IP
 unicast_peer { 198.18.0.20 }
 virtual_ipaddress { 198.18.0.150/32 dev eth0 }
}
virtual_server $LAB_VIP 80 {
 delay_loop 1
 lb_algo rr
 lb_kind DR
 protocol TCP
 real_server 198.18.0.11 80 {
  weight 2
  TCP_CHECK {
   connect_timeout 1
   retry 0
  }
 }
 real_server 198.18.0.12 80 {
  weight 3
  HTTP_GET {
   url {
    path /
    status_code 200
   }
   connect_timeout 1
   retry 0
  }
 }
}
CONF

# has LINE - the last scrape (re-taken) has this exact line.
has() {
	lab_exec cl curl -s --max-time 3 -o "$PROM" "$MX_URL" || return 1
	grep -qxF -- "$1" "$PROM"
}

# expect_line DESC LINE - wait (5 s at most) for LINE in a scrape.
expect_line() {
	if lab_wait_until 5 has "$2"; then t_pass "$1"
	else
		t_fail "$1: no line '$2'"
		grep -E "^xvs_(check|vrrp)" "$PROM" | sed 's/^/        /' || true
	fi
}

BL='local_address="'$LAB_VIP'",local_port="80",remote_address="198.18.0.1'
t_begin dr -f "$CONF" --metrics "$LAB_DIRECTOR_IP:9100"
trap 'rm -f "$CONF" "$PROM"; t_cleanup' EXIT

expect_line "VRRP VI_1 is MASTER" 'xvs_vrrp_state{vrrp_instance="VI_1",state="MASTER"} 1'
t_check "VRRP VI_1 is not BACKUP" \
	grep -qxF 'xvs_vrrp_state{vrrp_instance="VI_1",state="BACKUP"} 0' "$PROM"
t_check "VRRP priority 150 on eth0, vrid 51" \
	grep -qxF 'xvs_vrrp_priority{vrrp_instance="VI_1",interface="eth0",vrid="51"} 150' "$PROM"
t_check "one transition to MASTER" \
	grep -qxF 'xvs_vrrp_became_master_total{vrrp_instance="VI_1"} 1' "$PROM"
expect_line "web-01 TCP_CHECK up" \
	"xvs_check_up{${BL}1\",remote_port=\"80\",proto=\"TCP\",local_mark=\"\",checker=\"TCP_CHECK\"} 1"
expect_line "web-02 HTTP_GET up" \
	"xvs_check_up{${BL}2\",remote_port=\"80\",proto=\"TCP\",local_mark=\"\",checker=\"HTTP_GET\"} 1"
t_check "check durations are numbers (seconds, below the 1 s timeout)" \
	eval 'awk '\''/^xvs_check_duration_seconds/ { n++; if (!($2 >= 0 && $2 < 1)) bad++ }
		END { exit !(n == 2 && !bad) }'\'' "$PROM"'
t_check "both weights served" eval 'grep -q "^node_ipvs_backend_weight{${BL}2.*} 3$" "$PROM" &&
	grep -q "^node_ipvs_backend_weight{${BL}1.*} 2$" "$PROM"'
t_check "promtool check metrics accepts the exposition" eval 'promtool check metrics <"$PROM"'
t_check "Grafana dashboard names only metrics served here" \
	"$LAB_PY" "$CHECK" dashboard "$T_DIR/../../deploy/grafana/xvs-dashboard.json" "$PROM"

# web-02's nginx stops: its check fails, it leaves the service.
lab_exec web2 nginx -q -c "$LAB_TMP/web2/nginx.conf" -s stop
expect_line "web-02 down: xvs_check_up 0" \
	"xvs_check_up{${BL}2\",remote_port=\"80\",proto=\"TCP\",local_mark=\"\",checker=\"HTTP_GET\"} 0"
t_check "web-02's failures counted" \
	eval 'awk '\''/^xvs_check_failures_total.*198.18.0.12/ { exit !($2 >= 1) }'\'' "$PROM"'
if lab_wait_until 5 eval '! has "$(grep -m1 "^node_ipvs_backend_weight{${BL}2" "$PROM")"'; then
	t_pass "web-02 left node_ipvs_backend_weight"
else
	t_fail "web-02 still in node_ipvs_backend_weight"
fi
t_check "web-01 still up" grep -q "^xvs_check_up{${BL}1.*} 1$" "$PROM"
SVC='local_address="'$LAB_VIP'",local_port="80",proto="TCP",local_mark=""'
t_check "xvs_service_weight: web-01's 2 left" grep -qxF "xvs_service_weight{$SVC} 2" "$PROM"

# web-01 too: the VIP has no real server left, which LVSVipDown sees as
# xvs_service_weight 0 (node_ipvs_backend_* has no series left at all).
lab_exec web1 nginx -q -c "$LAB_TMP/web1/nginx.conf" -s stop
expect_line "both down: xvs_service_weight 0" "xvs_service_weight{$SVC} 0"
t_check "no node_ipvs_backend_weight series left" \
	eval '! grep -q "^node_ipvs_backend_weight{" "$PROM"'
t_check "lvs_active_connections still lists the VIP" \
	grep -q "^lvs_active_connections{vip=\"$LAB_VIP\",port=\"80\",proto=\"tcp\"} " "$PROM"
t_end
