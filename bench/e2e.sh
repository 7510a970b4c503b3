#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bench/e2e.sh - end to end through the lab, every load balancer in one
# run: the same client, the same two real servers (nginx, iperf3), and
#   direct   straight to web-01 (the ceiling: no director on the path)
#   xdp-min  a second director running lab/xdp-dr-min.bpf.c, the least an
#            XDP DR forwarder does (MAC rewrite to web-01, XDP_TX): the
#            floor for what the lab's extra hop costs any XDP DR director
#   xvs-dr   xvs, DR, wlc over both servers (VIP 198.18.0.100)
#   xvs-tun  xvs, TUN, wlc over both servers (VIP 198.18.0.101)
#   xvs-fnat xvs, FULLNAT, wlc over both servers (VIP 198.18.0.103, local
#            address 198.18.0.50: the replies come back through xvs)
#   haproxy  HAProxy in TCP mode on the director, leastconn
#   nginx    nginx stream on the director, least_conn
# For each: wrk req/s, p50 and p99 with a new connection per request at
# several concurrencies and with keep-alive, iperf3 throughput, and the
# director's CPU per 100k connections (method in docs/bench.md). Paths
# alternate within each round (A B C A B C ...) with a pause between runs;
# tables give medians. Figures only: nothing passes or fails here.
#
#   bench/e2e.sh [ROUNDS] [SECONDS]      defaults 3 rounds of 4 s per run
#
# Writes bench/results/e2e.md, e2e-concurrency.dat and, with gnuplot,
# e2e-concurrency.png (bench/plot.gp).
set -euo pipefail
cd "$(dirname "$0")/.."

ROUNDS=${1:-3}
DUR=${2:-4}
CONCS=(8 32 128)	# wrk -c for the new-connection sweep
CPU_CONC=32		# the run whose CPU figures are reported
RES=bench/results
VIP_TUN=198.18.0.101
VIP_MIN=198.18.0.102	# xdp-min's VIP, on its own director 198.18.0.20
VIP_FNAT=198.18.0.103
LIP=198.18.0.50		# FULLNAT local address, on the director's eth0
DIRECTOR=198.18.0.10
PORT_NGINX=8080		# nginx stream on the director (haproxy has 80)
IPERF_PORT=5201
IPERF_PORT_NGINX=5202
export XVS_LAB_PREFIX=xvsb$$-
# shellcheck source=lab/lab.sh
source lab/lab.sh

for t in wrk iperf3 haproxy bpftool; do
	command -v "$t" >/dev/null || { echo "bench/e2e.sh: missing $t (scripts/install-deps.sh)" >&2; exit 1; }
done
STREAM_MOD=/usr/lib/nginx/modules/ngx_stream_module.so
[[ -f $STREAM_MOD ]] || { echo "bench/e2e.sh: missing $STREAM_MOD (libnginx-mod-stream)" >&2; exit 1; }

# The XDP program's own run time comes from the kernel's BPF statistics,
# off by default; switch them on for this run and restore the setting.
BPF_STATS_WAS=$(sysctl -n kernel.bpf_stats_enabled)
cleanup() {
	lab_down >/dev/null 2>&1
	sysctl -qw kernel.bpf_stats_enabled="$BPF_STATS_WAS"
}
trap cleanup EXIT
sysctl -qw kernel.bpf_stats_enabled=1

LAB_ALL_ROLES+=(xdpmin)	# created and removed with the lab's namespaces
lab_up dr >/dev/null
D=$LAB_TMP/bench
mkdir -p "$D"

# The xdp-min director: its VIP to web-01's MAC, nothing else.
lab_link xdpmin eth0 br0
ip -n "$(lab_ns xdpmin)" addr add 198.18.0.20/24 dev eth0
ip -n "$(lab_ns xdpmin)" addr add "$VIP_MIN/32" dev eth0
lab_xdp_pass p-xdpmin
rs_mac=$(ip -n "$(lab_ns web1)" link show eth0 | awk '/link\/ether/ { gsub(":", ",0x", $2); print "0x" $2 }')
clang -O2 -target bpf -I"/usr/include/$(gcc -dumpmachine)" \
	-DVIP="$(printf '0x%02x%02x%02x%02x' ${VIP_MIN//./ })" -DRS_MAC="$rs_mac" \
	-c lab/xdp-dr-min.bpf.c -o "$D/xdp-dr-min.o"
lab_exec xdpmin ip link set dev eth0 xdpdrv obj "$D/xdp-dr-min.o" sec xdp

# TUN adds 20 bytes: like lab_topo_tun, the links behind the client carry
# 1600, so full-sized client segments still fit after encapsulation. Set
# before xvsd resolves the dests' next hops (their MTU comes from here).
for role in lvs web1 web2; do
	ip -n "$(lab_ns "$role")" link set eth0 mtu 1600
	ip -n "$(lab_ns sw)" link set "p-$role" mtu 1600
done
ip -n "$(lab_ns lvs)" addr add "$VIP_TUN/32" dev eth0
ip -n "$(lab_ns lvs)" addr add "$VIP_FNAT/32" dev eth0
ip -n "$(lab_ns lvs)" addr add "$LIP/32" dev eth0
# FULLNAT routes replies with bpf_fib_lookup (forwarding on), and the
# first replies before a neighbour is known go through the kernel with
# the VIP as source (accept_local); docs/nat.md.
lab_exec lvs sysctl -qw net.ipv4.ip_forward=1 net.ipv4.conf.eth0.forwarding=1 \
	net.ipv4.conf.all.accept_local=1 net.ipv4.conf.eth0.accept_local=1

lab_xvsd_start
# The real servers take both VIPs; tun mode is DR's setup plus the IPIP
# decapsulator, so one server answers both the DR and the TUN service.
for role in "${LAB_RS_ROLES[@]}"; do
	lab_bpfexec "$role" "$XVS_BIN/xvs-rs" up --vip "$LAB_VIP" --vip "$VIP_TUN" --vip "$VIP_MIN" \
		--mode tun --dev eth0 --state-dir "$(lab_rs_state_dir "$role")" >/dev/null
	lab_exec "$role" iperf3 -s -D -p "$IPERF_PORT" --logfile "$D/iperf-$role.log"
done
for vf in "$LAB_VIP:-g" "$VIP_TUN:-i"; do
	vip=${vf%%:*} fwd=${vf#*:}
	lab_adm -A -t "$vip:80" -s wlc
	# iperf3's control and data connections must reach the same server.
	lab_adm -A -t "$vip:$IPERF_PORT" -s sh
	for i in 0 1; do
		lab_adm -a -t "$vip:80" -r "$(lab_rs_ip $i):80" "$fwd"
		lab_adm -a -t "$vip:$IPERF_PORT" -r "$(lab_rs_ip $i):$IPERF_PORT" "$fwd"
	done
done
for port in 80 "$IPERF_PORT"; do
	lab_adm -A -t "$VIP_FNAT:$port" -s "$([[ $port == 80 ]] && echo wlc || echo sh)"
	for i in 0 1; do
		lab_adm -a -t "$VIP_FNAT:$port" -r "$(lab_rs_ip $i):$port" --fullnat
	done
	lab_adm -P -t "$VIP_FNAT:$port" -z "$LIP"
done

cat >"$D/haproxy.cfg" <<EOF
global
	maxconn 8000
	pidfile $D/haproxy.pid
defaults
	mode tcp
	timeout connect 2s
	timeout client 30s
	timeout server 30s
listen web
	bind $DIRECTOR:80
	balance leastconn
	server web1 $(lab_rs_ip 0):80
	server web2 $(lab_rs_ip 1):80
listen iperf
	bind $DIRECTOR:$IPERF_PORT
	balance source
	server web1 $(lab_rs_ip 0):$IPERF_PORT
	server web2 $(lab_rs_ip 1):$IPERF_PORT
EOF
cat >"$D/nginx.conf" <<EOF
load_module $STREAM_MOD;
user root;
worker_processes auto;
pid $D/nginx.pid;
error_log $D/nginx-error.log warn;
events { worker_connections 8000; }
stream {
	upstream web { least_conn; server $(lab_rs_ip 0):80; server $(lab_rs_ip 1):80; }
	upstream iperf { hash \$remote_addr; server $(lab_rs_ip 0):$IPERF_PORT; server $(lab_rs_ip 1):$IPERF_PORT; }
	server { listen $DIRECTOR:$PORT_NGINX reuseport; proxy_pass web; }
	server { listen $DIRECTOR:$IPERF_PORT_NGINX; proxy_pass iperf; }
}
EOF
lab_exec lvs haproxy -D -f "$D/haproxy.cfg"
lab_exec lvs nginx -q -c "$D/nginx.conf"
# Many client ports: the whole ephemeral range, so a run does not wrap
# onto 4-tuples the servers still hold in TIME_WAIT.
lab_exec cl sysctl -qw net.ipv4.ip_local_port_range="1024 65535"
sleep "$LAB_SETTLE_S"

# path name -> "http URL|iperf3 host|iperf3 port"
declare -A PATHS=(
	[direct]="http://$(lab_rs_ip 0)/|$(lab_rs_ip 0)|$IPERF_PORT"
	[xdp-min]="http://$VIP_MIN/|$VIP_MIN|$IPERF_PORT"
	[xvs-dr]="http://$LAB_VIP/|$LAB_VIP|$IPERF_PORT"
	[xvs-tun]="http://$VIP_TUN/|$VIP_TUN|$IPERF_PORT"
	[xvs-fnat]="http://$VIP_FNAT/|$VIP_FNAT|$IPERF_PORT"
	[haproxy]="http://$DIRECTOR/|$DIRECTOR|$IPERF_PORT"
	[nginx]="http://$DIRECTOR:$PORT_NGINX/|$DIRECTOR|$IPERF_PORT_NGINX"
)
ORDER=(direct xdp-min xvs-dr xvs-tun xvs-fnat haproxy nginx)

# Every path must answer before anything is timed.
for p in "${ORDER[@]}"; do
	IFS='|' read -r url _ _ <<<"${PATHS[$p]}"
	lab_wait_until 5 lab_exec cl curl -sf --max-time 1 "$url" ||
		{ echo "bench/e2e.sh: $p ($url) does not answer" >&2; exit 1; }
done

# ---- CPU accounting ------------------------------------------------------

# "busy softirq" jiffies from /proc/stat, summed over CPUs.
cpu_stat() { awk '$1 == "cpu" { print $2 + $3 + $4 + $7 + $8 + $9, $8 }' /proc/stat; }

# CPU ns of both directors' XDP programs, xvs's and xdp-min's (kernel
# BPF statistics); only one of them sees traffic in any run.
xdp_id() { ip -n "$(lab_ns "$1")" -d link show eth0 | awk '/prog\/xdp/ { for (i = 1; i < NF; i++) if ($i == "id") { print $(i + 1); exit } }'; }
XDP_IDS="$(xdp_id lvs) $(xdp_id xdpmin)"
xdp_ns() {
	local id t=0 v
	for id in $XDP_IDS; do
		v=$(bpftool prog show id "$id" 2>/dev/null |
			awk '{ for (i = 1; i < NF; i++) if ($i == "run_time_ns") print $(i + 1) }')
		t=$((t + ${v:-0}))
	done
	echo "$t"
}

# utime + stime, in clock ticks, of every haproxy or nginx process on the
# director.
proxy_ticks() {
	local pid t=0 v
	for pid in $(ip netns pids "$(lab_ns lvs)"); do
		case "$(cat "/proc/$pid/comm" 2>/dev/null)" in
		haproxy | nginx) ;;
		*) continue ;;
		esac
		v=$(awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$pid/stat" 2>/dev/null) || continue
		t=$((t + ${v:-0}))
	done
	echo "$t"
}
HZ=$(getconf CLK_TCK)

# ---- one run of each kind ----------------------------------------------

# run_wrk PATH CONC MODE - one bounded wrk run; prints
# "req/s p50_ms p99_ms requests busy_ms softirq_ms xdp_ms proxy_ms".
run_wrk() {
	local url conc=$2 mode=$3 hdr=() out b0 s0 b1 s1 x0 x1 p0 p1
	IFS='|' read -r url _ _ <<<"${PATHS[$1]}"
	[[ $mode == close ]] && hdr=(-H "Connection: close")
	read -r b0 s0 < <(cpu_stat); x0=$(xdp_ns); p0=$(proxy_ticks)
	out=$(lab_exec cl timeout $((DUR + 20)) wrk -t2 -c"$conc" -d"${DUR}s" \
		--timeout 2s --latency "${hdr[@]}" "$url")
	read -r b1 s1 < <(cpu_stat); x1=$(xdp_ns); p1=$(proxy_ticks)
	awk -v busy=$(((b1 - b0) * 1000 / HZ)) -v sirq=$(((s1 - s0) * 1000 / HZ)) \
	    -v xdp=$(((x1 - x0) / 1000000)) -v prx=$(((p1 - p0) * 1000 / HZ)) '
	     /requests in/ { n = $1 } /Requests\/sec/ { r = $2 }
	     $1 == "50%" { p50 = $2 } $1 == "99%" { p99 = $2 }
	     function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; return v * 1000 }
	     END { printf "%.0f %.2f %.2f %d %d %d %d %d\n", r, ms(p50), ms(p99), n, busy, sirq, xdp, prx }' <<<"$out"
}

# run_iperf PATH - one bounded iperf3 upload run; prints Gbit/s.
run_iperf() {
	local host port
	IFS='|' read -r _ host port <<<"${PATHS[$1]}"
	lab_exec cl timeout $((DUR + 20)) iperf3 -c "$host" -p "$port" -t "$DUR" -J 2>/dev/null |
		awk -F'[:,]' '/"sum_received"/ { s = 1 } s && /"bits_per_second"/ { printf "%.2f\n", $2 / 1e9; exit }' |
		grep . || echo 0
}

# median of the numbers on stdin
median() { sort -n | awk '{ v[NR] = $1 } END { if (!NR) print "-"; else print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

declare -A res
for ((r = 1; r <= ROUNDS; r++)); do
	for c in "${CONCS[@]}"; do
		for p in "${ORDER[@]}"; do
			res[$p.close.$c]+="$(run_wrk "$p" "$c" close)"$'\n'
			sleep 1	# let the CPU and TIME_WAIT settle between runs
		done
	done
	for p in "${ORDER[@]}"; do
		res[$p.keepalive]+="$(run_wrk "$p" "$CPU_CONC" keepalive)"$'\n'
		sleep 1
	done
	for p in "${ORDER[@]}"; do
		res[$p.iperf]+="$(run_iperf "$p")"$'\n'
		sleep 1
	done
	echo "round $r/$ROUNDS done" >&2
done

# col KEY N - median of column N of the runs under KEY
col() { awk -v n="$2" 'NF { print $n }' <<<"${res[$1]}" | median; }

# per100k KEY - per-connection figures of the CPU run, scaled to 100k
# connections, per round, then medians: "busy softirq xdp proxy" in ms.
per100k() {
	awk 'NF && $4 > 0 { printf "%.0f %.0f %.0f %.0f\n", $5 * 1e5 / $4, $6 * 1e5 / $4, $7 * 1e5 / $4, $8 * 1e5 / $4 }' \
		<<<"${res[$1]}"
}
declare -A cpu
for p in "${ORDER[@]}"; do
	rows=$(per100k "$p.close.$CPU_CONC")
	for i in 1 2 3 4; do
		cpu[$p.$i]=$(awk -v n=$i '{ print $n }' <<<"$rows" | median)
	done
done

{
	echo "# End to end through the lab (bench/e2e.sh)"
	echo
	echo "Run $(date -u '+%Y-%m-%d %H:%M UTC') on $(nproc) vCPUs ($(uname -r)); the client, both real servers and the director share them. wrk -t2, ${DUR} s per run; medians of $ROUNDS rounds in which the paths alternate. Method: docs/bench.md."
	echo
	echo "| path | new conn req/s (c=$CPU_CONC) | p50 ms | p99 ms | keep-alive req/s | p50 ms | p99 ms | iperf3 Gbit/s | director CPU ms / 100k conns | system busy ms / 100k conns |"
	echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
	for p in "${ORDER[@]}"; do
		k=$p.close.$CPU_CONC
		case $p in
		direct) dcpu=0 ;;
		xvs-* | xdp-min) dcpu="${cpu[$p.3]} (XDP)" ;;
		*) dcpu="$(awk -v a="${cpu[$p.4]}" -v s="${cpu[$p.2]}" -v d="${cpu[direct.2]}" \
			'BEGIN { x = s - d; if (x < 0) x = 0; printf "%.0f", a + x }') (process + softirq)" ;;
		esac
		printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$p" \
			"$(col "$k" 1)" "$(col "$k" 2)" "$(col "$k" 3)" \
			"$(col "$p.keepalive" 1)" "$(col "$p.keepalive" 2)" "$(col "$p.keepalive" 3)" \
			"$(median <<<"${res[$p.iperf]}")" "$dcpu" "${cpu[$p.1]}"
	done
	echo
	echo "New-connection req/s by concurrency (wrk -c), medians:"
	echo
	printf '| path |'; printf ' c=%s |' "${CONCS[@]}"; echo
	printf '|---|'; printf -- '---:|%.0s' "${CONCS[@]}"; echo
	for p in "${ORDER[@]}"; do
		printf '| %s |' "$p"
		for c in "${CONCS[@]}"; do printf ' %s |' "$(col "$p.close.$c" 1)"; done
		echo
	done
} >"$RES/e2e.md.tmp"
{
	echo "# concurrency ${ORDER[*]}"
	for c in "${CONCS[@]}"; do
		printf '%s' "$c"
		for p in "${ORDER[@]}"; do printf ' %s' "$(col "$p.close.$c" 1)"; done
		echo
	done
} >"$RES/e2e-concurrency.dat"
mv "$RES/e2e.md.tmp" "$RES/e2e.md"
if command -v gnuplot >/dev/null; then
	gnuplot -e "datafile='$RES/e2e-concurrency.dat'; outfile='$RES/e2e-concurrency.png'" \
		bench/plot.gp
fi
cat "$RES/e2e.md"
