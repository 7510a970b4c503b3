#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# test_lab.sh - the lab itself, without xvs: every mode's topology carries
# plain traffic from the client to each real server (lab_up checks HTTP
# and UDP), and the DR return path (reply from the VIP on lo) works when
# the client's ARP entry for the VIP is pinned to a real server.
source "$(dirname "$0")/lib.sh"

trap t_cleanup EXIT
for mode in dr tun nat; do
	t_check "lab up $mode: client reaches every real server" lab_up "$mode"
	lab_down
done

lab_up dr
lab_exec web1 ip addr add "$LAB_VIP/32" dev lo
lab_exec web1 sysctl -qw net.ipv4.conf.all.arp_ignore=1 \
	net.ipv4.conf.all.arp_announce=2
mac=$(lab_exec web1 cat /sys/class/net/eth0/address)
lab_exec cl ip neigh replace "$LAB_VIP" lladdr "$mac" dev eth0
t_expect_eq "DR return path: HTTP answer from the VIP" \
	"$(lab_exec cl curl -s --max-time 3 "http://$LAB_VIP/")" "${LAB_RS_NAMES[0]}"
t_expect_eq "DR return path: UDP answer from the VIP" \
	"$(lab_udp_names 1)" "${LAB_RS_NAMES[0]}"
t_end
