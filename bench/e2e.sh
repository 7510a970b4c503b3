#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bench/e2e.sh - end-to-end HTTP through the lab: wrk from the client
# straight to web-01 (the ceiling: no director on the path) against wrk
# through the VIP with xvs in DR mode (wlc over web-01 and web-02), with a
# new connection per request and with keep-alive. Variants alternate
# (A B A B ...) with a pause between runs, and the table gives the median
# of each. Figures only: nothing passes or fails here (docs/bench.md).
#
#   bench/e2e.sh [ROUNDS] [SECONDS]      defaults 3 rounds of 5 s
set -euo pipefail
cd "$(dirname "$0")/.."

ROUNDS=${1:-3}
DUR=${2:-5}
OUT=bench/results/e2e.md
export XVS_LAB_PREFIX=xvsb$$-
# shellcheck source=../lab/lab.sh
source lab/lab.sh

trap 'lab_down >/dev/null 2>&1' EXIT
lab_up dr >/dev/null
lab_xvsd_start
lab_rs_up >/dev/null
lab_service_add -t 80 wlc -g

# run_wrk URL MODE - one bounded wrk run; prints "req/s p50_ms p99_ms".
run_wrk() {
	local url=$1 mode=$2 hdr=() out
	[[ $mode == close ]] && hdr=(-H "Connection: close")
	out=$(lab_exec cl timeout $((DUR + 20)) wrk -t2 -c32 -d"${DUR}s" \
		--timeout 2s --latency "${hdr[@]}" "$url")
	awk '/Requests\/sec/ { r = $2 }
	     $1 == "50%" { p50 = $2 } $1 == "99%" { p99 = $2 }
	     function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; return v * 1000 }
	     END { printf "%.0f %.2f %.2f\n", r, ms(p50), ms(p99) }' <<<"$out"
}

# median of the numbers on stdin
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

declare -A res
paths=("direct:http://$(lab_rs_ip 0)/" "xvs-dr:http://$LAB_VIP/")
for ((r = 1; r <= ROUNDS; r++)); do
	for mode in close keepalive; do
		for p in "${paths[@]}"; do
			name=${p%%:*}
			res[$name.$mode]+="$(run_wrk "${p#*:}" "$mode")"$'\n'
			sleep 2	# let TIME_WAIT and the CPU settle between runs
		done
	done
	echo "round $r/$ROUNDS done" >&2
done

{
	echo "# End-to-end HTTP through the lab (bench/e2e.sh)"
	echo
	echo "Run $(date -u '+%Y-%m-%d %H:%M UTC'); wrk -t2 -c32 -d${DUR}s from the client namespace; medians of $ROUNDS alternating runs. Same VM, same run."
	echo
	echo "| path | requests | req/s | p50 ms | p99 ms |"
	echo "|---|---|---:|---:|---:|"
	for mode in close keepalive; do
		for p in "${paths[@]}"; do
			name=${p%%:*}
			rows=${res[$name.$mode]}
			printf '| %s | %s | %s | %s | %s |\n' "$name" \
				"$([[ $mode == close ]] && echo "new connection each" || echo keep-alive)" \
				"$(awk 'NF { print $1 }' <<<"$rows" | median)" \
				"$(awk 'NF { print $2 }' <<<"$rows" | median)" \
				"$(awk 'NF { print $3 }' <<<"$rows" | median)"
		done
	done
} >"$OUT.tmp"
mv "$OUT.tmp" "$OUT"
cat "$OUT"
