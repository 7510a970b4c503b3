#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# lab/demo.sh - "make demo": the seed's DR deployment in namespaces, with
# xvs in place of IPVS. Builds the lab, starts xvsd on lvs-master, adds the
# seed's virtual server 198.18.0.100:80 (wlc, DR) with web-01 and web-02,
# sends requests from the client through the VIP, shows who answered and
# "xvsadm -Ln --stats", and tears everything down. Exits non-zero unless
# both real servers answered every request between them.
set -euo pipefail

# shellcheck source=lab.sh
source "$(dirname "$0")/lab.sh"

REQUESTS=${XVS_DEMO_REQUESTS:-200}

trap lab_down EXIT
trap 'exit 130' INT TERM HUP

say() { printf '\n### %s\n' "$*"; }

say "lab: client $LAB_CLIENT_IP, lvs-master $LAB_DIRECTOR_IP (VIP $LAB_VIP)," \
	"web-01 $(LAB_MODE=dr lab_rs_ip 0), web-02 $(LAB_MODE=dr lab_rs_ip 1)"
lab_up dr
say "xvsd on lvs-master (eth0, $LAB_XDP_MODE XDP)"
lab_xvsd_start
say "xvs-rs up on web-01 and web-02 (VIP on lo, ARP suppression)"
lab_rs_up dr

say "xvsadm -A -t $LAB_VIP:80 -s wlc; -a ... -g -w 1 (x2)"
lab_service_add -t 80 wlc -g 1 1
lab_adm -Ln

say "$REQUESTS requests: curl http://$LAB_VIP/ from the client"
out=$(lab_http_names "$REQUESTS")
lab_tally <<<"$out"
n0=$(lab_count web-01 <<<"$out")
n1=$(lab_count web-02 <<<"$out")

say "xvsadm -Ln --stats"
lab_adm -Ln --stats

if ((n0 > 0 && n1 > 0 && n0 + n1 == REQUESTS)); then
	say "demo OK: web-01 $n0, web-02 $n1 of $REQUESTS"
else
	say "demo FAILED: web-01 $n0, web-02 $n1 of $REQUESTS"
	echo "xvsd log:"
	lab_xvsd_log_tail 30
	exit 1
fi
