#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# test_nat.sh - NAT (-m) through the two-armed lab: real servers route via
# the director, which DNATs the client's packets and SNATs the replies back
# to VIP:port in XDP (redirecting between its two interfaces). New
# connections follow the weights, a 100 MB download and a 10 MB upload
# arrive byte-exact, wrk and iperf3 run clean, replies are counted
# (OutPkts), and xvsd says clearly when forwarding or accept_local is off.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/nat_lib.sh"

t_begin nat
lab_exec lvs sysctl -qw net.ipv4.ip_forward=1
lab_service_add -t 80 wrr -m 3 1
lab_adm -A -t "$LAB_VIP:5201" -s rr
lab_adm -a -t "$LAB_VIP:5201" -r "$(lab_rs_ip 0):5201" -m
t_expect_eq "xvsadm -Ln shows Masq" "$(lab_adm -Ln | grep -c ' Masq ')" 3
t_nat_traffic nat

# Forwarding off: xvsd says so, and names the sysctl.
lab_exec lvs sysctl -qw net.ipv4.ip_forward=0
lab_adm -e -t "$LAB_VIP:80" -r "$(lab_rs_ip 0):80" -m -w 3
t_check "xvsd says forwarding is off" \
	grep -q "needs IP forwarding, but net.ipv4.ip_forward is 0" "$LAB_TMP/xvsd.log"
lab_exec lvs sysctl -qw net.ipv4.ip_forward=1

# accept_local off where the replies arrive: xvsd warns, naming it.
lab_exec lvs sysctl -qw net.ipv4.conf.eth1.accept_local=0
lab_adm -e -t "$LAB_VIP:80" -r "$(lab_rs_ip 0):80" -m -w 3
t_check "xvsd warns that accept_local is off on eth1" \
	grep -q "net.ipv4.conf.eth1.accept_local is 0" "$LAB_TMP/xvsd.log"
t_end
