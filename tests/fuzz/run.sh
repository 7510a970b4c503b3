#!/bin/bash
# run.sh [SECONDS] - run the keepalived.conf parser's libFuzzer target from
# tests/fuzz/corpus for SECONDS (default 60); fail on any crash, leak,
# sanitizer report or timeout. New inputs go to a scratch directory so the
# committed corpus stays as it is. Usage: make check-fuzz.
set -u
secs=${1:-60}
here=$(cd "$(dirname "$0")" && pwd)
bin=${FUZZ_BIN:-$here/../../build/fuzz/fuzz_kconf}
work=$(mktemp -d /tmp/xvs-fuzz-XXXXXX)
trap 'rm -rf "$work"' EXIT
log=$work/fuzz.log
mkdir "$work/new" "$work/cwd"
# An `include` in an input resolves against an empty directory.
cd "$work/cwd"
"$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -detect_leaks=1 \
	-max_len=65536 -print_final_stats=1 "$work/new" "$here/corpus" >"$log" 2>&1
rc=$?
grep -E "^stat::number_of_executed_runs|^stat::peak_rss_mb|cov:" "$log" | tail -3
if [ $rc -ne 0 ] || grep -qE "ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error:" "$log"; then
	echo "fuzz_kconf: FAILED (rc $rc)"
	grep -A30 -E "ERROR:|runtime error:" "$log" | head -60
	exit 1
fi
echo "fuzz_kconf: ${secs}s, no crash, leak or sanitizer report"
