#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bench/vrrp_failover.sh - failover time of the director pair as a client
# sees it: an xvsd pair and a keepalived pair (Debian's 2.2), same lab,
# same config (the seed's VI_1: unicast, PASS, advert_int 1, priorities
# 100/90), rounds interleaved (xvsd, keepalived, xvsd, ...). Each round
# starts the pair, waits for the master, then crashes it (daemon KILLed,
# link down, at a random point of the advert interval) while the client
# requests http://VIP/ every 20 ms, and
# records the milliseconds until the backup answers. A clean stop
# (SIGTERM: priority 0) is timed the same way. Prints a markdown table
# (bench/results/vrrp.md); figures only, no pass/fail.
#
#   bench/vrrp_failover.sh [ROUNDS]     (default 5; about 25 s per round)
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-5}
OUT=${VRRP_BENCH_OUT:-bench/results/vrrp.md}
export XVS_LAB_PREFIX=${XVS_LAB_PREFIX:-vb$$-}
source lab/lab.sh
source lab/vrrp-lab.sh
trap vl_down_quiet EXIT

# round KIND EVENT - one measurement: EVENT is crash or stop.
round() {
	local kind=$1 ev=$2 ms
	vl_start lvs "$kind" "$(vl_conf lvs 100 MASTER)"
	vl_start bk "$kind" "$(vl_conf bk 90 BACKUP)"
	if ! vl_wait_holder lvs 15; then
		echo "none"
	elif [[ $ev == crash ]]; then
		# A crash comes at any point of the advert interval: a random
		# phase, or every round would crash just after the first advert.
		sleep "0.$((RANDOM % 10))"
		ms=$(vl_client_failover vl_crash lvs)
		echo "$ms"
	else
		ms=$(vl_client_failover vl_stop lvs TERM)
		echo "$ms"
	fi
	vl_stop lvs KILL
	vl_stop bk TERM
	vl_revive lvs
	ip -n "$(lab_ns bk)" addr del "$LAB_VIP/24" dev eth0 2>/dev/null || true
}

# median - of the numbers on stdin, one a line; "none" (no failover seen
# within 20 s, or a pair that did not come up) is left out.
median() { grep -E '^[0-9]+$' | sort -n | awk '{ a[NR] = $1 } END { if (NR) print a[int((NR + 1) / 2)]; else print "-" }'; }

vl_up
declare -A res=()
for ((r = 1; r <= ROUNDS; r++)); do
	for kind in xvsd keepalived; do
		for ev in crash stop; do
			ms=$(round "$kind" "$ev")
			echo "round $r: $kind $ev: $ms ms" >&2
			res[$kind.$ev]+="$ms "
		done
	done
done

# The same crash with the seed's real servers behind the pair: the client's
# requests cross the xvs data plane of whichever director holds the VIP
# (DR, rr over web-01 and web-02). keepalived cannot take part: this
# kernel has no IPVS.
vl_down
VL_RS=1
vl_up
for ((r = 1; r <= ROUNDS; r++)); do
	ms=$(round xvsd crash)
	echo "round $r: xvsd + DR real servers crash: $ms ms" >&2
	res[xvsd-dr.crash]+="$ms "
done

{
	echo "# VRRP failover seen by a client ($ROUNDS rounds, $(date -u +%F))"
	echo
	echo "advert_int 1 s, priorities 100/90 (skew 0.65 s): RFC timing is"
	echo "3 x 1 s + 0.65 s = 3.65 s after the last advert for a crash (so 2.65"
	echo "to 3.65 s after a crash at a random point of the interval), and the"
	echo "skew (0.65 s) after a priority 0 advert for a clean stop; the client"
	echo "polls every 20 ms with a 0.3 s timeout, and needs the new master's"
	echo "gratuitous ARP. \"none\": no failover seen (or no pair) in that round."
	echo
	echo "| pair | event | median ms | all rounds (ms) |"
	echo "|---|---|---:|---|"
	for kind in xvsd keepalived; do
		for ev in crash stop; do
			echo "| $kind | $ev | $(tr ' ' '\n' <<<"${res[$kind.$ev]}" | grep -v '^$' | median) | ${res[$kind.$ev]}|"
		done
	done
	echo "| xvsd, DR to web-01/web-02 through the VIP | crash | $(tr ' ' '\n' <<<"${res[xvsd-dr.crash]}" | grep -v '^$' | median) | ${res[xvsd-dr.crash]}|"
} | tee "$OUT"
