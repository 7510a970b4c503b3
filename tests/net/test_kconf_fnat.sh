#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# test_kconf_fnat.sh - a FULLNAT virtual server from keepalived.conf, as
# Alibaba's LVS-FULLNAT keepalived writes it: lb_kind FNAT with
# laddr_group_name naming a local_address_group whose entry is a range in
# the last octet. xvsd gives the service those local addresses (xvsadm -G)
# and TOA, both real servers answer, and the real servers see connections
# from a local address. A reload that keeps the group leaves the
# pool alone while a download runs through it.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/nat_lib.sh"

CONF=/tmp/${LAB_PREFIX}keepalived-fnat.conf
first=${LAB_LIPS[0]}
last_octet=${LAB_LIPS[-1]##*.}

{
	echo "local_address_group laddr_lab {"
	echo " $first-$last_octet"
	echo "}"
	echo "virtual_server $LAB_VIP 80 {"
	echo " lb_algo rr"
	echo " lb_kind FNAT"
	echo " protocol TCP"
	echo " laddr_group_name laddr_lab"
	for i in 0 1; do
		echo " real_server $(lab_rs_ip "$i") 80 {"
		echo "  weight 1"
		echo " }"
	done
	echo "}"
} >"$CONF"

rc=0
"$XVS_BIN/xvsd" -t -f "$CONF" >/dev/null 2>&1 || rc=$?
t_expect_eq "xvsd -t on the FULLNAT config: exit status" "$rc" 0

t_begin fnat -f "$CONF"
trap 'rm -f "$CONF"; t_cleanup' EXIT
sleep "$LAB_SETTLE_S"
t_expect_eq "xvsadm -Ln shows both real servers as FullNat" \
	"$(lab_adm -Ln | grep -c ' FullNat ')" 2
t_expect_eq "the service's local addresses are the group's range" \
	"$(lab_adm -G -t "$LAB_VIP:80" | awk '$1 == "->" && $2 ~ /^198/ { print $2 }' | xargs)" \
	"${LAB_LIPS[*]}"
t_http_balance 40

t_download_start 400000
# The download's connection, seen from the real servers: its peer is a
# local address, never the client.
peers=$(for role in web1 web2; do
	lab_exec "$role" ss -Htn state established '( sport = :80 )'
done | awk '{ sub(/:[0-9]+$/, "", $4); print $4 }' | sort -u | xargs)
t_info "peers of the real servers: $peers"
is_lip=0
for lip in "${LAB_LIPS[@]}"; do [[ "$peers" == "$lip" ]] && is_lip=1; done
t_expect_eq "the real server's only peer is a local address ($peers)" "$is_lip" 1
kill -HUP "$LAB_XVSD_PID"
sleep 1
t_expect_eq "after a reload the pool is unchanged" \
	"$(lab_adm -G -t "$LAB_VIP:80" | awk '$1 == "->" && $2 ~ /^198/ { print $2 }' | xargs)" \
	"${LAB_LIPS[*]}"
t_download_check
t_end
