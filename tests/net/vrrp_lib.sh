#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/net/vrrp_lib.sh - the frame of the VRRP namespace tests: lib.sh's
# assertions on lab/vrrp-lab.sh's director pair instead of the one-director
# lab. A test sources this, calls vt_begin, and ends with t_end.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source=../../lab/vrrp-lab.sh
source "$T_DIR/../../lab/vrrp-lab.sh"

vt_cleanup() {
	local rc=$? role f
	trap - ERR
	if ((T_FAILS)) || ((rc)); then
		for role in "${VL_ROLES[@]}"; do
			for f in "$(vl_tmp "$role")"/*.log; do
				[[ -f "$f" ]] || continue
				t_info "$role: $(basename "$f") (last lines):"
				tail -n 15 "$f" | sed 's/^/        /'
			done
		done
	fi
	vl_down
	if ((rc == 0 && T_FAILS)); then rc=1; fi
	if ((rc == 0 && T_PASSES == 0)); then
		echo "FAIL: $T_NAME: no assertion ran"
		rc=1
	fi
	exit "$rc"
}

# vt_begin - the pair's lab, no daemon yet.
vt_begin() {
	set -E
	trap 't_on_err $LINENO $? "$BASH_COMMAND"' ERR
	trap vt_cleanup EXIT
	trap 'exit 130' INT TERM HUP
	echo "---- $T_NAME (vrrp pair, prefix $LAB_PREFIX)"
	vl_up
}

# vt_expect_holder ROLE DESC - ROLE alone has the VIP and answers ARP and
# HTTP for it.
vt_expect_holder() {
	t_expect_eq "$2: VIP held by" "$(vl_holder)" "$1"
	t_expect_eq "$2: ARP for the VIP answered by" "$(vl_arp_owner)" "$1"
	t_expect_eq "$2: HTTP to the VIP answered by" "$(vl_answer)" "$1"
}
