#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# test_vrrp_sync.sh - vrrp_sync_group, track_interface and the notify_*
# scripts on an xvsd pair: two instances (VI_1 with the VIP, VI_2 with a
# second address) in one group on each director. When lvs-master's
# tracked link goes down, VI_2 goes to FAULT and the group takes VI_1
# with it: lvs-backup holds both addresses, notify_fault and the group's
# notify run. When the link comes back, both return to lvs-master.
source "$(dirname "$0")/vrrp_lib.sh"

VIP2=198.18.0.101

# conf ROLE PRIO - the two grouped instances for ROLE.
conf() {
	local role=$1 prio=$2 d f
	d=$(vl_tmp "$role")
	f=$d/sync.conf
	vl_conf "$role" "$prio" BACKUP >/dev/null	# notify.sh, notify.log
	cat >"$f" <<-EOF2
	vrrp_sync_group G1 {
	    group { VI_1 VI_2 }
	    notify "$d/notify.sh"
	}
	vrrp_instance VI_1 {
	    interface eth0
	    virtual_router_id 51
	    priority $prio
	    advert_int 1
	    unicast_src_ip ${VL_IP[$role]}
	    unicast_peer { ${VL_PEER[$role]} }
	    virtual_ipaddress { $LAB_VIP/24 dev eth0 }
	    notify_fault "$d/notify.sh fault-script VI_1"
	    notify "$d/notify.sh"
	}
	vrrp_instance VI_2 {
	    interface eth0
	    virtual_router_id 52
	    priority $prio
	    advert_int 1
	    unicast_src_ip ${VL_IP[$role]}
	    unicast_peer { ${VL_PEER[$role]} }
	    virtual_ipaddress { $VIP2/24 dev eth0 }
	    track_interface { trk0 }
	    notify_master "$d/notify.sh master-script VI_2"
	    notify "$d/notify.sh"
	}
	EOF2
	echo "$f"
}

has2() { vl_has_addr "$1" "$VIP2"; }
holds_both() { [[ "$(vl_holder)" == "$1" ]] && has2 "$1" && ! has2 "$2"; }
notified() { grep -qx -- "$2" "$(vl_tmp "$1")/notify.log"; }

vt_begin
for role in lvs bk; do
	# The tracked link: a veth pair of its own inside each director.
	ip -n "$(lab_ns "$role")" link add trk0 type veth peer name trk1
	ip -n "$(lab_ns "$role")" link set trk0 up
	ip -n "$(lab_ns "$role")" link set trk1 up
done
vl_start lvs xvsd "$(conf lvs 100)"
vl_start bk xvsd "$(conf bk 90)"
t_check "lvs-master holds both addresses" lab_wait_until 15 holds_both lvs bk
t_check "notify_master of VI_2 ran" lab_wait_until 2 notified lvs "master-script VI_2"
t_check "group notify: GROUP G1 MASTER" lab_wait_until 2 notified lvs "GROUP G1 MASTER 0"

ip -n "$(lab_ns lvs)" link set trk1 down	# trk0 loses its carrier
t_check "tracked link down: lvs-backup holds both addresses" \
	lab_wait_until 5 holds_both bk lvs
t_expect_eq "VI_1 (not tracking the link) follows its group to FAULT" \
	"$(vl_status lvs | awk '$1 == "VI_1" { print $4 }')" FAULT
t_check "notify_fault of VI_1 ran" notified lvs "fault-script VI_1"
t_check "notify: INSTANCE VI_2 FAULT" notified lvs "INSTANCE VI_2 FAULT 100"
t_check "group notify: GROUP G1 FAULT" notified lvs "GROUP G1 FAULT 0"
vt_expect_holder bk "tracked link down"

ip -n "$(lab_ns lvs)" link set trk1 up
t_check "tracked link up: both addresses back on lvs-master" \
	lab_wait_until 8 holds_both lvs bk
vt_expect_holder lvs "tracked link up"
t_end
