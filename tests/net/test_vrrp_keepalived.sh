#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# test_vrrp_keepalived.sh - xvsd in one VRRP group with Debian's keepalived
# (the seed's VI_1: unicast, PASS auth), each side as master and as backup.
# At every step: which node holds the VIP, answers ARP and HTTP for it.
# Then the same over multicast. The master crashes with a client polling the VIP; the failover time the
# client sees is printed (bench/vrrp_failover.sh compares it with a
# keepalived pair).
source "$(dirname "$0")/vrrp_lib.sh"

command -v keepalived >/dev/null || { echo "FAIL: keepalived not installed"; exit 1; }

# mixed_pair MASTER_KIND BACKUP_KIND - lvs-master (priority 100) runs the
# first, lvs-backup (90) the second.
mixed_pair() {
	local mk=$1 bk=$2 ms
	vl_start lvs "$mk" "$(vl_conf lvs 100 MASTER)"
	vl_start bk "$bk" "$(vl_conf bk 90 BACKUP)"
	t_check "$mk master + $bk backup: $mk becomes master" vl_wait_holder lvs 15
	vt_expect_holder lvs "$mk master + $bk backup"
	if [[ $bk == xvsd ]]; then
		t_expect_eq "xvsd backup: state" "$(vl_status_field bk State)" BACKUP
		# An xvsd that came up after the master hears it within a second.
		t_check "xvsd backup: sees keepalived master" \
			lab_wait_until 3 vl_field_is bk Master 198.18.0.10
	else
		t_expect_eq "xvsd master: state" "$(vl_status_field lvs State)" MASTER
	fi

	ms=$(vl_client_failover vl_crash lvs)
	t_info "client-side failover, $mk master crashed, $bk took over: $ms ms"
	t_check "$bk took over from crashed $mk (client saw it)" test "$ms" != none
	vt_expect_holder bk "$mk crashed"

	vl_revive lvs
	vl_start lvs "$mk" "$(vl_conf lvs 100 MASTER)"
	t_check "$mk back: preempts $bk" vl_wait_holder lvs 15
	vt_expect_holder lvs "$mk back"
	vl_stop lvs TERM
	vl_stop bk TERM
}

# multicast_pair - the same VI_1 without unicast_src_ip/unicast_peer:
# adverts to 224.0.0.18 with TTL 255. keepalived is master, xvsd backup
# follows it, and takes over within the skew when keepalived stops
# (priority 0).
multicast_pair() {
	local f role ms
	for role in lvs bk; do
		f=$(vl_conf "$role" $([[ $role == lvs ]] && echo "100 MASTER" || echo "90 BACKUP"))
		sed -i '/unicast_src_ip\|unicast_peer/d' "$f"
		[[ $role == lvs ]] && vl_start lvs keepalived "$f" || vl_start bk xvsd "$f"
	done
	t_check "multicast: keepalived becomes master" vl_wait_holder lvs 15
	vt_expect_holder lvs "multicast, keepalived master"
	t_check "multicast: xvsd backup sees keepalived master" \
		lab_wait_until 3 vl_field_is bk Master 198.18.0.10
	ms=$(vl_client_failover vl_stop lvs TERM)
	t_info "client-side failover, keepalived stopped (priority 0, multicast): $ms ms"
	vt_expect_holder bk "multicast, keepalived stopped"
	vl_stop bk TERM
}

vt_begin
mixed_pair xvsd keepalived
mixed_pair keepalived xvsd
multicast_pair
t_end
