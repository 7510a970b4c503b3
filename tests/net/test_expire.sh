#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# test_expire.sh - xvsd expires idle connections by their state's timeout
# and gives the counts back: after --set shortens FIN_WAIT, finished
# connections leave -Lnc and InActConn returns to 0, while a new
# connection is counted again.
source "$(dirname "$0")/lib.sh"

# inact_total - the sum of InActConn over every dest in -Ln.
inact_total() {
	lab_adm -Ln | awk '$1 == "->" && $2 != "RemoteAddress:Port" { s += $6 } END { print s + 0 }'
}

# conn_entries - the number of -Lnc rows.
conn_entries() {
	lab_adm -Lnc | awk 'NR > 2' | wc -l
}

t_begin dr
lab_service_add -t 80 rr -g
lab_adm --set 0 2 0
t_expect_eq "--set changed only tcpfin" "$(lab_adm -L --timeout)" \
	"Timeout (tcp tcpfin udp): 900 2 300"

n=10
lab_http_names "$n" >/dev/null
t_expect_eq "finished connections listed in -Lnc" "$(conn_entries)" "$n"
t_expect_eq "finished connections are inactive" "$(inact_total)" "$n"
t_check "-Lnc shows them in FIN_WAIT" \
	eval 'lab_adm -Lnc | grep -q " FIN_WAIT "'

# FIN_WAIT now lasts 2 s; housekeeping runs each second.
t_check "entries expire within 6 s" lab_wait_until 6 eval '[[ $(conn_entries) == 0 ]]'
t_expect_eq "InActConn back to 0 after expiry" "$(inact_total)" 0

lab_http_names 1 >/dev/null
t_expect_eq "a new connection counts again" "$(inact_total)" 1
t_end
