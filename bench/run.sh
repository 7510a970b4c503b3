#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bench/run.sh - run the benchmarks and write their tables under
# bench/results/. Figures only: nothing here passes or fails on time
# (docs/bench.md). Needs root (BPF_PROG_TEST_RUN) and a built tree
# ("make bench" builds, then runs this).
#
#   bench/run.sh [xdp_bench options...]   e.g. -r 15 -n 50000
set -euo pipefail
cd "$(dirname "$0")/.."

B=${B:-build}
bin=$B/bench/xdp_bench
for b in "$bin" "$B/bench/hk_bench"; do
	if [[ ! -x $b ]]; then
		echo "bench/run.sh: $b missing: run 'make bench' first" >&2
		exit 1
	fi
done
if [[ $(id -u) -ne 0 ]]; then
	echo "bench/run.sh: BPF_PROG_TEST_RUN needs root" >&2
	exit 1
fi

mkdir -p bench/results
# Write to a temporary file, so that an interrupted run keeps the last
# complete table.
tmp=bench/results/xdp.md.tmp
trap 'rm -f "$tmp"' EXIT
echo "== XDP data plane, BPF_PROG_TEST_RUN (bench/xdp_bench)"
"$bin" -o "$tmp" "$@"
mv "$tmp" bench/results/xdp.md
echo "== written to bench/results/xdp.md"

echo "== housekeeping walk over a full connection table (bench/hk_bench)"
"$B/bench/hk_bench" | tee bench/results/housekeeping.md

echo "== end to end: wrk direct vs through xvs DR (bench/e2e.sh)"
./bench/e2e.sh
