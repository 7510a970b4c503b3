#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bench/scale_bench.sh - the control plane at scale: the time to load
# SERVICES services of DESTS dests each into xvsd (one "xvsadm -R" of a
# generated ipvsadm-save file), the time of "xvsadm -Ln" over them, and
# xvsd's memory afterwards. Figures only (docs/bench.md).
#
#   bench/scale_bench.sh [SERVICES] [DESTS]     defaults 10000 x 10
#
# xvsd runs in a namespace of its own on one end of a veth pair whose both
# ends are in it, ARP off (NOARP: every real server's next hop resolves at
# once, and nothing leaves the namespace), started with --max-services and
# --max-dests large enough.
set -euo pipefail
cd "$(dirname "$0")/.."

SERVICES=${1:-10000}
DESTS=${2:-10}
B=${B:-build}
NAME=xvsscale$$
NS=$NAME
CTL=/run/xvs/$NAME.sock
TMP=$(mktemp -d /tmp/$NAME.XXXXXX)
XVSD_PID=""

cleanup() {
	[[ -n $XVSD_PID ]] && kill "$XVSD_PID" 2>/dev/null && wait "$XVSD_PID" 2>/dev/null
	nsenter --net="/run/netns/$NS" "$B/xvsd" --name "$NAME" --cleanup >/dev/null 2>&1
	ip netns del "$NS" 2>/dev/null
	rm -rf "$TMP" "$CTL"
	return 0
}
trap cleanup EXIT

ip netns add "$NS"
ip -n "$NS" link set lo up
ip -n "$NS" link add eth0 type veth peer name eth1
ip -n "$NS" link set eth0 arp off up
ip -n "$NS" link set eth1 up
ip -n "$NS" addr add 198.18.0.10/15 dev eth0

# Services on VIPs 198.19.x.y port 80, each with the same DESTS real
# servers 198.18.1.1.. (a dest is per service, as in IPVS).
awk -v n="$SERVICES" -v d="$DESTS" 'BEGIN {
	for (i = 0; i < n; i++) {
		vip = sprintf("198.19.%d.%d:80", int(i / 250), i % 250 + 1)
		printf "-A -t %s -s wlc\n", vip
		for (j = 0; j < d; j++)
			printf "-a -t %s -r 198.18.%d.%d:80 -g -w 1\n", vip, 1 + int(j / 250), j % 250 + 1
	}
}' >"$TMP/rules"

max_svcs=$((SERVICES > 4096 ? SERVICES : 4096))
max_dests=$((SERVICES * DESTS + 1 > 65536 ? SERVICES * DESTS + 1 : 65536))
nsenter --net="/run/netns/$NS" "$B/xvsd" -n -l --name "$NAME" --interface eth0 \
	--xdp-mode generic --max-services "$max_svcs" --max-dests "$max_dests" \
	>"$TMP/xvsd.log" 2>&1 &
XVSD_PID=$!
adm() { nsenter --net="/run/netns/$NS" env XVS_CTL="$CTL" "$B/xvsadm" "$@"; }
for _ in $(seq 100); do
	adm -Ln >/dev/null 2>&1 && break
	kill -0 "$XVSD_PID" 2>/dev/null || { cat "$TMP/xvsd.log" >&2; exit 1; }
	sleep 0.1
done

ms() { date +%s%N | awk '{ printf "%.0f", $1 / 1e6 }'; }
t0=$(ms)
adm -R <"$TMP/rules"
t1=$(ms)
adm -Ln >"$TMP/list"
t2=$(ms)
lines=$(wc -l <"$TMP/list")
want=$((3 + SERVICES * (DESTS + 1)))
if ((lines != want)); then
	echo "scale_bench: -Ln printed $lines lines, expected $want" >&2
	exit 1
fi
rss=$(awk '/^VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$XVSD_PID/status")

echo "| services | dests each | load (xvsadm -R) | per dest | xvsadm -Ln | xvsd RSS |"
echo "|---:|---:|---:|---:|---:|---:|"
printf '| %d | %d | %.2f s | %.0f us | %.2f s | %d MiB |\n' "$SERVICES" "$DESTS" \
	"$(awk -v a="$t0" -v b="$t1" 'BEGIN { print (b - a) / 1000 }')" \
	"$(awk -v a="$t0" -v b="$t1" -v n=$((SERVICES * DESTS)) 'BEGIN { print (b - a) * 1000 / n }')" \
	"$(awk -v a="$t1" -v b="$t2" 'BEGIN { print (b - a) / 1000 }')" "$rss"
