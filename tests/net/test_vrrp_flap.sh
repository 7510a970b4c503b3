#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# test_vrrp_flap.sh - the seed's troubleshooting case 3 (VRRP flapping):
# a vrrp_script (weight -20, fall 3, rise 2, as the seed's check_lvs, at a
# short interval) that fails intermittently, never 3 times in a row, must
# not move the VIP; once it really fails (3 in a row) the master's
# priority drops below the backup's and the VIP moves; after 2 successes
# it comes back.
source "$(dirname "$0")/vrrp_lib.sh"

vt_begin
chk=$(vl_tmp lvs)/check.sh
mode=$(vl_tmp lvs)/check.mode
runs=$(vl_tmp lvs)/check.runs
# flaky: every third run succeeds (F F S F F S ...); down: always fails.
cat >"$chk" <<SH
#!/bin/sh
n=\$(( \$(cat $runs 2>/dev/null || echo 0) + 1 ))
echo \$n >$runs
case \$(cat $mode) in
up) exit 0 ;;
flaky) [ \$((n % 3)) -eq 0 ] ;;
*) exit 1 ;;
esac
SH
chmod +x "$chk"
echo up >"$mode"
top="vrrp_script check_lvs {
    script \"$chk\"
    interval 0.25
    weight -20
    fall 3
    rise 2
    timeout 1
}"
vl_start lvs xvsd "$(vl_conf lvs 100 MASTER "track_script { check_lvs }" "$top")"
vl_start bk xvsd "$(vl_conf bk 90 BACKUP)"
t_check "lvs-master becomes master" vl_wait_holder lvs 15
echo flaky >"$mode"
r0=$(cat "$runs")
fails0=$(grep -c "now returning failed" "$(vl_tmp lvs)/xvsd.log" || true)
# lvs-backup may have been master for a moment at startup (if its xvsd was
# up first); what counts is what happens from here on.
bk_notes=$(wc -l <"$(vl_tmp bk)/notify.log")
moves=0
for _ in $(seq 18); do		# 4.5 s of an intermittently failing check
	[[ "$(vl_holder)" == lvs ]] || moves=$((moves + 1))
	sleep 0.25
done
t_expect_ge "check ran while flaky" "$(($(cat "$runs") - r0))" 12
t_expect_eq "flaky check within fall: the VIP never moved" "$moves" 0
t_expect_eq "flaky check within fall: the script never counted as down" \
	"$(grep -c "now returning failed" "$(vl_tmp lvs)/xvsd.log" || true)" "$fails0"
t_expect_eq "flaky check within fall: priority still 100" "$(vl_status_field lvs Prio)" 100
t_check "lvs-backup never became master" \
	bash -c "! tail -n +$((bk_notes + 1)) $(vl_tmp bk)/notify.log | grep -q MASTER"
vt_expect_holder lvs "after the flaky check"

echo down >"$mode"
t_check "check really down (3 failures): priority 80" lab_wait_until 3 vl_field_is lvs Prio 80
t_check "priority 80 < 90: lvs-backup takes over" vl_wait_holder bk 6
vt_expect_holder bk "check down"
echo up >"$mode"
t_check "check up again (2 successes): lvs-master takes the VIP back" vl_wait_holder lvs 7
vt_expect_holder lvs "check up again"
t_end
