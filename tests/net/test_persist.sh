#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# test_persist.sh - persistence and one-packet scheduling under real
# traffic, DR:
#  - -p on VIP:80 with rr: each client address keeps its real server across
#    new connections (rr alone would alternate), the clients spread over
#    both, -Lnc lists one template per client (source port 0, state
#    ASSURED once a connection it controls got established) and
#    --persistent-conn counts them in PersistConn; quiescing a real server
#    (weight 0) keeps its persistent clients on it;
#  - a port-0 persistent service (-t VIP:0 -p): a client's connections to
#    port 80 and to another port go to the same real server;
#  - -o on a UDP service: datagrams of one flow (one socket) are scheduled
#    one by one, so rr spreads them over both real servers, and no
#    connection entry stays;
#  - ipvsadm-save / ipvsadm-restore (scripts/, installed by make install)
#    round-trip a persistent service.
source "$(dirname "$0")/lib.sh"

# persist_add PROTO_FLAG PORT SCHED OPTS... - a service on the VIP with
# both real servers (port PORT), extra service options OPTS.
persist_add() {
	local pf=$1 port=$2 sched=$3 i; shift 3
	lab_adm -A "$pf" "$LAB_VIP:$port" -s "$sched" "$@"
	for i in "${!LAB_RS_NAMES[@]}"; do
		lab_adm -a "$pf" "$LAB_VIP:$port" -r "$(lab_rs_ip "$i"):$port" -g
	done
	sleep "$LAB_SETTLE_S"
}

t_begin dr

# ---- -p: each client sticks to one real server across connections.
persist_add -t 80 rr -p 120
clients=$LAB_EXTRA_CLIENTS
out=$(lab_http_names $((clients * 3)))
lab_tally <<<"$out"
mapfile -t names <<<"$out"
same=0
for ((i = 0; i < clients; i++)); do
	[[ "${names[i]}" != ERR && "${names[i]}" == "${names[i + clients]}" &&
		"${names[i]}" == "${names[i + 2 * clients]}" ]] && same=$((same + 1))
done
t_expect_eq "every client kept its real server for 3 connections" "$same" "$clients"
t_expect_ge "${LAB_RS_NAMES[0]} got clients" "$(lab_count "${LAB_RS_NAMES[0]}" <<<"$out")" 3
t_expect_ge "${LAB_RS_NAMES[1]} got clients" "$(lab_count "${LAB_RS_NAMES[1]}" <<<"$out")" 3

conns=$(lab_adm -Lnc)
t_info "xvsadm -Lnc (templates):"
grep -E ' (NONE|ASSURED) ' <<<"$conns" | head -4 | sed 's/^/        /'
tpl=$(grep -cE "^TCP +[0-9]+:[0-9]+ +ASSURED +198\.18\.0\.2[0-9]+:0 +$LAB_VIP:80 " <<<"$conns" || true)
t_expect_eq "-Lnc: one ASSURED template per client" "$tpl" "$clients"
pc=$(lab_adm -Ln --persistent-conn | awk '$1 == "->" { s += $4 } END { print s + 0 }')
t_expect_eq "--persistent-conn: PersistConn sums to the templates" "$pc" "$clients"
lab_adm -Ln --persistent-conn | sed 's/^/        /'

# Weight 0 (quiescent) does not break persistence (expire_quiescent_template
# off, IPVS's default): every client stays where it was.
lab_adm -e -t "$LAB_VIP:80" -r "$(lab_rs_ip 0):80" -g -w 0
again=$(lab_http_names "$clients")
kept=0
mapfile -t now <<<"$again"
for ((i = 0; i < clients; i++)); do
	[[ "${now[i]}" == "${names[i]}" ]] && kept=$((kept + 1))
done
t_expect_eq "quiescent ${LAB_RS_NAMES[0]}: every client kept its real server" "$kept" "$clients"
lab_adm -e -t "$LAB_VIP:80" -r "$(lab_rs_ip 0):80" -g -w 1

# ---- ipvsadm-save / ipvsadm-restore as make install puts them, next to
# the ipvsadm symlink: a save, a clear, a restore and a second save agree,
# persistence included.
sbin=$LAB_TMP/sbin
mkdir -p "$sbin"
ln -sf "$XVS_BIN/xvsadm" "$sbin/xvsadm"
ln -sf xvsadm "$sbin/ipvsadm"
install -m 0755 "$XVS_ROOT/scripts/ipvsadm-save" "$XVS_ROOT/scripts/ipvsadm-restore" "$sbin/"
saved=$(lab_exec lvs env XVS_CTL="$LAB_CTL" "$sbin/ipvsadm-save" -n)
t_info "ipvsadm-save -n:"
sed 's/^/        /' <<<"$saved"
t_check "ipvsadm-save keeps -p" grep -q -- "^-A -t $LAB_VIP:80 -s rr -p 120" <<<"$saved"
lab_adm -C
lab_exec lvs env XVS_CTL="$LAB_CTL" "$sbin/ipvsadm-restore" <<<"$saved"
again=$(lab_exec lvs env XVS_CTL="$LAB_CTL" "$sbin/ipvsadm-save" -n)
t_check "ipvsadm-restore, then ipvsadm-save: the same table" test "$saved" = "$again"
t_check "ipvsadm-save rejects other options" \
	eval '! lab_exec lvs env XVS_CTL="$LAB_CTL" "$sbin/ipvsadm-save" -x >/dev/null 2>&1'
lab_adm -D -t "$LAB_VIP:80"

# ---- port 0: one template for every port of the VIP.
persist_add -t 0 rr -p 120
out=$(lab_http_names "$clients")
lab_tally <<<"$out"
t_expect_eq "port 0: all $clients HTTP requests answered" \
	"$(($(lab_count "${LAB_RS_NAMES[0]}" <<<"$out") + $(lab_count "${LAB_RS_NAMES[1]}" <<<"$out")))" "$clients"
# A connection to another port of the VIP (nothing listens there: the
# real server refuses it, but the SYN went through the director).
for ((i = 0; i < clients; i++)); do
	lab_exec cl curl -s --max-time 2 --interface "198.18.0.$((200 + i))" \
		"http://$LAB_VIP:$LAB_UDP_PORT/" >/dev/null 2>&1 || true
done
conns=$(lab_adm -Lnc)
agree=0
mapfile -t names <<<"$out"
for ((i = 0; i < clients; i++)); do
	c="198.18.0.$((200 + i))"
	d=$(awk -v c="$c:" -v v="$LAB_VIP:$LAB_UDP_PORT" \
		'index($4, c) == 1 && $5 == v { split($6, a, ":"); print a[1]; exit }' <<<"$conns")
	want=$(lab_rs_ip "$([[ "${names[i]}" == "${LAB_RS_NAMES[0]}" ]] && echo 0 || echo 1)")
	[[ "$d" == "$want" ]] && agree=$((agree + 1))
done
t_expect_eq "port 0: port $LAB_UDP_PORT went where port 80 went, per client" "$agree" "$clients"
tpl=$(grep -cE "^TCP +[0-9]+:[0-9]+ +[A-Z]+ +198\.18\.0\.2[0-9]+:0 +$LAB_VIP:0 +198\.18\.0\.1[12]:0$" <<<"$conns" || true)
t_expect_eq "port 0: -Lnc lists one vport-0 template per client" "$tpl" "$clients"
lab_adm -D -t "$LAB_VIP:0"

# ---- -o: one UDP flow, scheduled datagram by datagram.
persist_add -u "$LAB_UDP_PORT" rr -o
n=$(t_scale 20 200)
out=$(lab_exec cl "$LAB_PY" "$LAB_DIR/udp-probe.py" --dst "$LAB_VIP" \
	--port "$LAB_UDP_PORT" --count "$n" --flow)
lab_tally <<<"$out"
n0=$(lab_count "${LAB_RS_NAMES[0]}" <<<"$out")
n1=$(lab_count "${LAB_RS_NAMES[1]}" <<<"$out")
t_expect_eq "-o: all $n datagrams of one flow answered" "$((n0 + n1))" "$n"
t_expect_ge "-o: ${LAB_RS_NAMES[0]} got datagrams of the flow" "$n0" $((n / 2 - 1))
t_expect_ge "-o: ${LAB_RS_NAMES[1]} got datagrams of the flow" "$n1" $((n / 2 - 1))
udp=$(lab_adm -Lnc | grep -c '^UDP' || true)
t_expect_eq "-o: no UDP connection entry stays" "$udp" 0
c=$(lab_stat_conns UDP "$LAB_VIP:$LAB_UDP_PORT" "$(lab_rs_ip 0):$LAB_UDP_PORT")
t_expect_ge "-o: each datagram counts as a connection" "$c" $((n / 2 - 1))
t_end
