#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/net/lib.sh - the frame every namespace test shares. A test sources
# this file, calls t_begin MODE (a fresh lab, xvsd and xvs-rs up), makes
# assertions with t_check/t_expect_*, and ends with t_end. Each assertion
# prints one "PASS: test: what" or "FAIL: test: what" line. The lab is torn
# down on any exit, including failures and signals.
#
# Knobs: XVS_LAB_PREFIX (run-all sets one per test), XVS_LONG=1 (bigger
# counts and durations for check-long), XVS_XDP_MODE (native|generic).

set -euo pipefail

T_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../../lab/lab.sh
source "$T_DIR/../../lab/lab.sh"

T_NAME=$(basename "$0" .sh)
T_FAILS=0
T_PASSES=0
T_LONG=${XVS_LONG:-0}

t_pass() { echo "PASS: $T_NAME: $*"; T_PASSES=$((T_PASSES + 1)); }
t_fail() { echo "FAIL: $T_NAME: $*"; T_FAILS=$((T_FAILS + 1)); }
t_info() { echo "      $*"; }

# t_check DESC CMD... - PASS when CMD succeeds, FAIL otherwise.
t_check() {
	local desc=$1; shift
	if "$@"; then t_pass "$desc"; else t_fail "$desc"; fi
}

# t_expect_eq DESC GOT WANT
t_expect_eq() {
	if [[ "$2" == "$3" ]]; then t_pass "$1 ($2)"
	else t_fail "$1: got '$2', want '$3'"; fi
}

# t_expect_ge DESC GOT MIN (integers; an empty GOT fails)
t_expect_ge() {
	if [[ "$2" =~ ^[0-9]+$ ]] && (($2 >= $3)); then t_pass "$1 ($2 >= $3)"
	else t_fail "$1: got '$2', want >= $3"; fi
}

# t_scale NORMAL LONG - pick a count or duration by XVS_LONG.
t_scale() { if ((T_LONG)); then echo "$2"; else echo "$1"; fi; }

# An unexpected failing command (set -e) is a failure of the test too;
# name it, so the log says more than "exit 1".
t_on_err() {
	t_fail "command failed (line $1, status $2): $3"
}

t_cleanup() {
	local rc=$?
	trap - ERR
	if ((T_FAILS)) || ((rc)); then
		t_info "xvsd log (last lines):"
		lab_xvsd_log_tail 25 | sed 's/^/        /'
	fi
	lab_down
	if ((rc == 0 && T_FAILS)); then rc=1; fi
	if ((rc == 0 && T_PASSES == 0)); then
		echo "FAIL: $T_NAME: no assertion ran"
		rc=1
	fi
	exit "$rc"
}

# t_begin MODE [XVSD_ARGS...] - build the lab in MODE, start xvsd on the
# director and xvs-rs on the real servers. Nothing is configured yet.
t_begin() {
	local mode=$1; shift
	set -E
	trap 't_on_err $LINENO $? "$BASH_COMMAND"' ERR
	trap t_cleanup EXIT
	trap 'exit 130' INT TERM HUP
	echo "---- $T_NAME ($mode, prefix $LAB_PREFIX)"
	lab_up "$mode"
	lab_xvsd_start "$@"
	lab_rs_up "$mode"
}

# t_end - the test's exit status: non-zero when any assertion failed.
t_end() { exit $((T_FAILS ? 1 : 0)); }

# t_http_balance COUNT [DESC] - COUNT new HTTP connections through the VIP;
# asserts that all were answered and that both real servers answered.
# Leaves the per-server counts in T_N0, T_N1.
t_http_balance() {
	local n=$1 desc=${2:-} out
	out=$(lab_http_names "$n")
	t_info "answers to $n requests$desc:"
	lab_tally <<<"$out"
	T_N0=$(lab_count "${LAB_RS_NAMES[0]}" <<<"$out")
	T_N1=$(lab_count "${LAB_RS_NAMES[1]}" <<<"$out")
	t_expect_eq "all $n requests answered$desc" "$((T_N0 + T_N1))" "$n"
	t_expect_ge "${LAB_RS_NAMES[0]} answered$desc" "$T_N0" 1
	t_expect_ge "${LAB_RS_NAMES[1]} answered$desc" "$T_N1" 1
}

# t_stats_conns_both PROTO PORT - "xvsadm -Ln --stats" counts connections
# on both dests of the VIP:PORT service (LAB_AF's VIP and addresses).
t_stats_conns_both() {
	local proto=$1 port=$2 i c rip
	t_info "xvsadm -Ln --stats:"
	lab_adm -Ln --stats | sed 's/^/        /'
	for i in "${!LAB_RS_NAMES[@]}"; do
		rip=$(lab_host "$(lab_rs_addr "$i")")
		c=$(lab_stat_conns "$proto" "$(lab_host "$(lab_vip)"):$port" \
			"$rip:$port")
		t_expect_ge "stats: conns on $rip:$port" "$c" 1
	done
}

# t_download_start RATE - a paced download of /big.bin through the VIP in
# the background (lab/slow-get.py, RATE bytes/s): a long-lived connection.
# Sets T_DL_PID and T_DL (path prefix: .body, .hdr, .rc). Waits until
# bytes flow.
t_download_start() {
	T_DL=$LAB_TMP/dl
	lab_exec cl bash -c '"$1" "$2" "$3" /big.bin "$4" "$5.body" "$5.hdr" 60
		echo $? >"$5.rc"' _ "$LAB_PY" "$LAB_DIR/slow-get.py" "$LAB_VIP" \
		"$1" "$T_DL" &
	T_DL_PID=$!
	if lab_wait_until 5 t_download_has_bytes; then
		t_pass "long-lived download started"
	else
		t_fail "long-lived download did not start"
	fi
}

t_download_has_bytes() { [[ -s "$T_DL.body" ]]; }

# t_download_check - wait for the download; assert it completed and is
# byte-exact against the file of the real server that sent it. Prints
# that server's index in T_DL_RS.
t_download_check() {
	local rs sha want i
	wait "$T_DL_PID" || true
	t_expect_eq "long-lived download: exit status" \
		"$(cat "$T_DL.rc" 2>/dev/null || echo none)" 0
	rs=$(awk -F': ' 'tolower($1) == "x-server" { gsub(/\r/, "", $2); print $2 }' \
		"$T_DL.hdr" 2>/dev/null)
	T_DL_RS=-1
	for i in "${!LAB_RS_NAMES[@]}"; do
		[[ "$rs" == "${LAB_RS_NAMES[$i]}" ]] && T_DL_RS=$i
	done
	if ((T_DL_RS < 0)); then
		t_fail "long-lived download: no X-Server header"
		return
	fi
	sha=$(sha256sum "$T_DL.body" | cut -d' ' -f1)
	want=$(lab_rs_big_sha "$T_DL_RS")
	t_expect_eq "long-lived download from $rs is byte-exact" "$sha" "$want"
}

# t_upload_check SIZE [DESC] - PUT a random file of SIZE through the VIP
# (bulk client-to-server traffic, full-sized segments through the director)
# and assert that the real server that answered stored it byte-exact.
t_upload_check() {
	local size=$1 desc=${2:-} src=$LAB_TMP/up.src name code rs i
	name="up-$RANDOM.bin"
	head -c "$size" /dev/urandom >"$src"
	code=$(lab_exec cl curl -s --max-time 20 -o /dev/null -D "$LAB_TMP/up.hdr" \
		-w '%{http_code}' -T "$src" \
		"http://$(lab_host "$(lab_vip)")/upload/$name") || true
	t_expect_eq "upload of $size$desc: HTTP status" "$code" 201
	rs=$(awk -F': ' 'tolower($1) == "x-server" { gsub(/\r/, "", $2); print $2 }' \
		"$LAB_TMP/up.hdr" 2>/dev/null)
	for i in "${!LAB_RS_NAMES[@]}"; do
		[[ "$rs" == "${LAB_RS_NAMES[$i]}" ]] || continue
		t_check "upload of $size$desc stored byte-exact on $rs" \
			cmp -s "$src" "$LAB_TMP/${LAB_RS_ROLES[$i]}/www/upload/$name"
		return
	done
	t_fail "upload of $size$desc: no X-Server header"
}
