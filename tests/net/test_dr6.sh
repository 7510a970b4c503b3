#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# test_dr6.sh - DR mode (-g) over IPv6: the real servers hold the VIP
# 2001:db8::100 on lo and answer no neighbour solicitation for it, only the
# director does; new HTTP connections from the client through the VIP reach
# both real servers, which answer directly; the stats count them; a bulk
# upload arrives byte-exact.
source "$(dirname "$0")/lib.sh"

# nd_answers ARGS... - nd-probe.py from the client for the IPv6 VIP.
nd_answers() {
	lab_exec cl "$LAB_PY" "$LAB_DIR/nd-probe.py" --target "$LAB_VIP6" "$@"
}

t_begin dr
lvs_mac=$(lab_exec lvs cat /sys/class/net/eth0/address)
for i in "${!LAB_RS_ROLES[@]}"; do
	role=${LAB_RS_ROLES[$i]}
	# Waited for: on a loaded machine the address has been seen to show
	# up a moment after xvs-rs returned.
	t_check "${LAB_RS_NAMES[$i]}: xvs-rs put $LAB_VIP6/128 on lo" lab_wait_until 5 \
		eval 'lab_exec "$role" ip -6 addr show dev lo | grep -q "inet6 $LAB_VIP6/128 "'
done

# Who answers neighbour solicitations for the VIP. The bridge snoops MLD
# and would send the multicast NS to the director's port alone; a switch
# without snooping floods it to every real server, so do that here.
lab_exec sw ip link set br0 type bridge mcast_snooping 0
t_expect_eq "NS for $LAB_VIP6 (multicast): answered by the director only" \
	"$(nd_answers | tr '\n' ' ')" "$LAB_VIP6 $lvs_mac "
for i in "${!LAB_RS_ROLES[@]}"; do
	rip=$(lab_rs_ip6 "$i")
	# The probe works: the real server answers for its own address.
	t_expect_eq "NS to $rip for itself: answered" "$(lab_exec cl \
		"$LAB_PY" "$LAB_DIR/nd-probe.py" --target "$rip" --dst "$rip" |
		cut -d' ' -f1)" "$rip"
	t_expect_eq "NS to $rip for $LAB_VIP6: not answered" \
		"$(nd_answers --dst "$rip")" ""
done

LAB_AF=6
lab_service_add -t 80 rr -g
t_http_balance "$(t_scale 100 1000)" " over IPv6"
t_stats_conns_both TCP 80
t_upload_check 2M " over IPv6"
t_expect_eq "client's neighbour entry for $LAB_VIP6 is the director" \
	"$(lab_exec cl ip -6 neigh show "$LAB_VIP6" dev eth0 |
		awk '{ print $3 }')" "$lvs_mac"
t_end
