#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bench/run.sh - run every benchmark and write its table under
# bench/results/ (docs/bench.md). Figures only: nothing here passes or
# fails on time. Needs root (BPF_PROG_TEST_RUN, namespaces) and a built
# tree ("make bench" builds, then runs this). About 15 minutes here.
#
#   bench/run.sh [xdp_bench options...]   e.g. -r 15 -n 50000
#   E2E_ROUNDS=5 E2E_SECONDS=8 SCALE_SERVICES=10000 SCALE_DESTS=10 \
#   VRRP_ROUNDS=5 bench/run.sh
set -euo pipefail
cd "$(dirname "$0")/.."

B=${B:-build}
for b in "$B/bench/xdp_bench" "$B/bench/nat_bench" "$B/bench/hk_bench" "$B/xvsd" "$B/xvsadm"; do
	if [[ ! -x $b ]]; then
		echo "bench/run.sh: $b missing: run 'make bench' first" >&2
		exit 1
	fi
done
if [[ $(id -u) -ne 0 ]]; then
	echo "bench/run.sh: needs root (BPF_PROG_TEST_RUN, namespaces)" >&2
	exit 1
fi

R=bench/results
mkdir -p "$R"
# Each step writes a temporary file first, so that an interrupted run
# keeps the last complete table.
trap 'rm -f "$R"/*.tmp' EXIT
header() { printf '# %s\n\nRun %s. Method: docs/bench.md.\n\n' "$1" "$(date -u '+%Y-%m-%d %H:%M UTC')"; }

echo "== XDP data plane, BPF_PROG_TEST_RUN (bench/xdp_bench)"
"$B/bench/xdp_bench" -o "$R/xdp.md.tmp" "$@"
mv "$R/xdp.md.tmp" "$R/xdp.md"

echo "== NAT and FULLNAT per packet, both directions (bench/nat_bench)"
"$B/bench/nat_bench" -o "$R/nat.md.tmp" >/dev/null
mv "$R/nat.md.tmp" "$R/nat.md"
cat "$R/nat.md"

echo "== 1M connection entries: map memory, housekeeping walk (bench/hk_bench)"
{
	header "Connection table with 1M entries (bench/hk_bench)"
	"$B/bench/hk_bench" -b 20 -n 1048576
} >"$R/housekeeping.md.tmp"
mv "$R/housekeeping.md.tmp" "$R/housekeeping.md"
cat "$R/housekeeping.md"

echo "== control plane at scale (bench/scale_bench.sh)"
{
	header "Control plane at scale (bench/scale_bench.sh)"
	B=$B ./bench/scale_bench.sh "${SCALE_SERVICES:-10000}" "${SCALE_DESTS:-10}"
} >"$R/scale.md.tmp"
mv "$R/scale.md.tmp" "$R/scale.md"
cat "$R/scale.md"

echo "== end to end: direct, xvs DR/TUN, HAProxy, nginx stream (bench/e2e.sh)"
./bench/e2e.sh "${E2E_ROUNDS:-3}" "${E2E_SECONDS:-4}"

# The other areas' benchmarks (docs/checks.md, docs/vrrp.md); each writes
# its own table under bench/results/.
echo "== health checking at scale (bench/check_scale.sh)"
./bench/check_scale.sh 1000 10 2
echo "== VRRP failover, xvsd pair vs keepalived pair (bench/vrrp_failover.sh)"
./bench/vrrp_failover.sh "${VRRP_ROUNDS:-3}"
echo "== tables in $R/"
