#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bench/check_scale.sh - xvsd's CPU while it health-checks N real servers
# with TCP_CHECK (or HTTP_GET of "/") at delay_loop 1 (keepalived's
# warmup: checks spread over the loop), against the same xvsd and config
# without checkers, in the same run (A B A B ..., median of the rounds).
# Figures only.
#
#   bench/check_scale.sh [N] [SECONDS] [ROUNDS] [TCP_CHECK|HTTP_GET]
#                                              defaults 1000 20 2 TCP_CHECK
#
# Two namespaces joined by a veth pair: the director (xvsd, -f with N/250
# virtual servers of up to 250 real servers each; a service holds at most
# XVS_SVC_MAX_DESTS = 256 dests) and the servers (one nginx on 0.0.0.0:80,
# N addresses 198.18.64.0/18). The director reaches them through one
# gateway address, so the check traffic needs one neighbour entry, not N.
# Nothing runs in, or is routed from, the root namespace.
set -euo pipefail
cd "$(dirname "$0")/.."

N=${1:-1000}
SECS=${2:-20}
ROUNDS=${3:-2}
CHECK=${4:-TCP_CHECK}
B=${B:-build}
NAME=xvsck$$
NSD=${NAME}d
NSS=${NAME}s
CTL=/run/xvs/$NAME.sock
TMP=$(mktemp -d /tmp/$NAME.XXXXXX)
XVSD_PID=""
HZ=$(getconf CLK_TCK)

if ((N < 1 || N > 16000)); then
	echo "check_scale: N must be 1..16000" >&2
	exit 1
fi
case $CHECK in
TCP_CHECK) checker='TCP_CHECK { connect_timeout 3 }' ;;
HTTP_GET) checker='HTTP_GET { url { path / } connect_timeout 3 }' ;;
*) echo "check_scale: checker TCP_CHECK or HTTP_GET" >&2; exit 1 ;;
esac

xvsd_stop() {
	if [[ -n $XVSD_PID ]]; then
		kill "$XVSD_PID" 2>/dev/null || true
		wait "$XVSD_PID" 2>/dev/null || true
	fi
	XVSD_PID=""
	nsenter --net="/run/netns/$NSD" "$B/xvsd" --name "$NAME" --cleanup >/dev/null 2>&1 || true
}

cleanup() {
	xvsd_stop
	[[ -f $TMP/nginx.pid ]] && kill "$(cat "$TMP/nginx.pid")" 2>/dev/null
	ip netns del "$NSD" 2>/dev/null
	ip netns del "$NSS" 2>/dev/null
	rm -rf "$TMP" "$CTL"
	return 0
}
trap cleanup EXIT
trap 'exit 130' INT TERM

rs_addr() { echo "198.18.$((64 + $1 / 250)).$(($1 % 250 + 1))"; }

ip netns add "$NSD"
ip netns add "$NSS"
ip -n "$NSD" link set lo up
ip -n "$NSS" link set lo up
ip -n "$NSD" link add d0 type veth peer name s0 netns "$NSS"
ip -n "$NSD" addr add 198.18.63.1/24 dev d0
ip -n "$NSS" addr add 198.18.63.254/24 dev s0
ip -n "$NSD" link set d0 up
ip -n "$NSS" link set s0 up
ip -n "$NSD" route add 198.18.64.0/18 via 198.18.63.254 dev d0
for ((i = 0; i < N; i++)); do
	echo "addr add $(rs_addr $i)/32 dev s0"
done >"$TMP/addrs"
ip -n "$NSS" -batch "$TMP/addrs"

mkdir -p "$TMP/tmp"
cat >"$TMP/nginx.conf" <<EOF
user root;
worker_processes 1;
pid $TMP/nginx.pid;
error_log $TMP/nginx.err warn;
events { worker_connections 8192; }
http {
	access_log off;
	client_body_temp_path $TMP/tmp;
	proxy_temp_path $TMP/tmp;
	fastcgi_temp_path $TMP/tmp;
	uwsgi_temp_path $TMP/tmp;
	scgi_temp_path $TMP/tmp;
	server { listen 80 backlog=4096; return 200 "ok\n"; }
}
EOF
ip netns exec "$NSS" nginx -q -c "$TMP/nginx.conf"

# config WITH_CHECKS(0|1) - N real servers in virtual servers of 250.
config() {
	local i
	for ((i = 0; i < N; i++)); do
		if ((i % 250 == 0)); then
			((i)) && echo "}"
			echo "virtual_server 198.18.100.$((i / 250 + 1)) 80 {"
			printf '\tdelay_loop 1\n\twarmup 1\n\tlb_algo wlc\n\tlb_kind DR\n\tprotocol TCP\n'
		fi
		if (($1)); then
			printf '\treal_server %s 80 { %s }\n' "$(rs_addr $i)" "$checker"
		else
			printf '\treal_server %s 80 { weight 1 }\n' "$(rs_addr $i)"
		fi
	done
	echo "}"
}
config 1 >"$TMP/checks.conf"
config 0 >"$TMP/plain.conf"

adm() { nsenter --net="/run/netns/$NSD" env XVS_CTL="$CTL" timeout 10 "$B/xvsadm" "$@"; }
dests_up() { [[ $(adm -Ln 2>/dev/null | grep -c -- '->.*Route') -ge $N ]]; }
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$XVSD_PID/stat"; }
passive_opens() {
	ip netns exec "$NSS" awk '$1 == "Tcp:" && !h { for (i = 1; i <= NF; i++) c[$i] = i; h = 1; next }
		$1 == "Tcp:" { print $c["PassiveOpens"] }' /proc/net/snmp
}

# run CONF - one measurement: prints "cpu_percent checks_per_s".
run() {
	local t0 c0 p0 t1 c1 p1 i
	nsenter --net="/run/netns/$NSD" "$B/xvsd" -n -l --name "$NAME" --interface d0 \
		--xdp-mode generic -f "$TMP/$1" >>"$TMP/xvsd.log" 2>&1 &
	XVSD_PID=$!
	for ((i = 0; i < 300; i++)); do
		dests_up && break
		kill -0 "$XVSD_PID" 2>/dev/null || { tail "$TMP/xvsd.log" >&2; exit 1; }
		sleep 0.1
	done
	dests_up || { echo "check_scale: not all $N dests up" >&2; exit 1; }
	sleep 3		# past warmup: checks in their steady rhythm
	t0=$(date +%s%N) c0=$(cpu_ticks) p0=$(passive_opens)
	sleep "$SECS"
	t1=$(date +%s%N) c1=$(cpu_ticks) p1=$(passive_opens)
	# Still every dest up: no check failed under the load.
	dests_up || echo "check_scale: some dests went down during the run" >&2
	xvsd_stop
	awk -v c=$((c1 - c0)) -v hz="$HZ" -v p=$((p1 - p0)) -v ns=$((t1 - t0)) \
		'BEGIN { s = ns / 1e9; printf "%.2f %.0f\n", 100 * c / hz / s, p / s }'
}

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

echo "xvsd health checking $N real servers, $CHECK, delay_loop 1, $SECS s per run, $ROUNDS rounds"
echo
echo "| round | xvsd CPU with checks | without checkers | checks/s seen by the servers |"
echo "|---|---|---|---|"
: >"$TMP/with" ; : >"$TMP/without" ; : >"$TMP/rate"
for ((r = 1; r <= ROUNDS; r++)); do
	read -r cw rate < <(run checks.conf)
	sleep 2
	read -r cn _ < <(run plain.conf)
	sleep 2
	echo "$cw" >>"$TMP/with"
	echo "$cn" >>"$TMP/without"
	echo "$rate" >>"$TMP/rate"
	echo "| $r | $cw % | $cn % | $rate |"
done
mw=$(median <"$TMP/with")
mn=$(median <"$TMP/without")
mr=$(median <"$TMP/rate")
echo
echo "Median: xvsd $mw % of one CPU with $N ${CHECK}s at delay_loop 1 ($mr checks/s)," \
	"$mn % without checkers; checking costs $(awk -v a="$mw" -v b="$mn" 'BEGIN { printf "%.2f", a - b }') % of a CPU," \
	"$(awk -v a="$mw" -v b="$mn" -v r="$mr" 'BEGIN { printf "%.1f", (r > 0 ? (a - b) / 100 * 1e6 / r : 0) }') us of CPU per check."
