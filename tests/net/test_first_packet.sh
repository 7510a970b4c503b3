#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# test_first_packet.sh - the first packets to a just-added dest are
# forwarded, not dropped while xvsd resolves the dest's next-hop MAC: the
# first TCP connection needs no SYN retransmit (IPVS queues on the
# neighbour instead), and the first UDP datagram is answered.
source "$(dirname "$0")/lib.sh"

# t_add_unsettled PROTO_FLAG PORT - a service with both dests, with the
# director's neighbour cache empty, and no settling time.
t_add_unsettled() {
	lab_exec lvs ip neigh flush dev eth0
	lab_adm -A "$1" "$LAB_VIP:$2" -s rr
	lab_adm -a "$1" "$LAB_VIP:$2" -r "$(lab_rs_ip 0):$2" -g
	lab_adm -a "$1" "$LAB_VIP:$2" -r "$(lab_rs_ip 1):$2" -g
}

t_begin dr
t_add_unsettled -t 80
secs=$(lab_exec cl curl -s -o /dev/null -w '%{time_total}' --max-time 5 \
	"http://$LAB_VIP/" || echo 99)
t_check "first TCP connection after -a took ${secs}s (< 0.5 s: no SYN lost)" \
	awk -v s="$secs" 'BEGIN { exit !(s < 0.5) }'

t_add_unsettled -u "$LAB_UDP_PORT"
t_check "first UDP datagram after -a answered" \
	eval '[[ "$(lab_udp_names 1)" == web-0[12] ]]'
t_end
