#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# test_vrrp.sh - two xvsd directors with the seed's vrrp_instance VI_1
# (unicast, PASS auth, advert_int 1) on the lab's addresses: the priority
# 100 node becomes master and holds, ARPs and serves the VIP; forged and
# broken adverts are dropped, counted and change nothing; the backup takes
# over when the master crashes (failover time seen by a client printed),
# the master preempts when it comes back, and a master stopping cleanly
# hands over at once with priority 0; SIGHUP keeps the state. xvsd
# --status shows it all.
source "$(dirname "$0")/vrrp_lib.sh"

SEND=(lab_exec cl "$LAB_PY" "$LAB_DIR/vrrp-send.py")


vt_begin
vl_start lvs xvsd "$(vl_conf lvs 100 MASTER)"
vl_start bk xvsd "$(vl_conf bk 90 BACKUP)"
t_check "lvs-master becomes master within 15 s" vl_wait_holder lvs 15
vt_expect_holder lvs "both up"
t_expect_eq "status: lvs-master state" "$(vl_status_field lvs State)" MASTER
t_expect_eq "status: lvs-backup state" "$(vl_status_field bk State)" BACKUP
t_expect_eq "status: lvs-backup sees master" "$(vl_status_field bk Master)" 198.18.0.10
t_expect_eq "status: lvs-backup priority" "$(vl_status_field bk Prio)" 90
t_info "xvsd --status on lvs-backup:"
vl_status bk | sed 's/^/        /'

# Bad adverts at the backup, each claiming priority 254 from the master's
# address: if one were accepted as an advert, nothing would change (254 >
# 90 keeps it backup), so the test reads the counters; the last one is
# valid but from a stranger, which must not reset anything either.
"${SEND[@]}" 198.18.0.10 198.18.0.20 --bad-csum
"${SEND[@]}" 198.18.0.10 198.18.0.20 --vrid 52
"${SEND[@]}" 198.18.0.10 198.18.0.20 --auth WrongPas
"${SEND[@]}" 198.18.0.10 198.18.0.20 --truncate 14
"${SEND[@]}" 198.18.0.10 198.18.0.20 --int 2
"${SEND[@]}" 198.18.0.30 198.18.0.20
sleep 0.3
drops=$(vl_status_field bk Drops)
t_info "lvs-backup drops: $drops"
for want in checksum=1 vrid=1 auth=1 truncated=1 interval=1 peer=1; do
	t_check "bad advert counted: $want" grep -q "$want" <<<"$drops"
done
t_expect_eq "bad adverts: lvs-backup still BACKUP" "$(vl_status_field bk State)" BACKUP
vt_expect_holder lvs "after bad adverts"

# A stranger's forged priority 0 would make the backup take over within
# the skew (0.65 s) if it were believed.
"${SEND[@]}" 198.18.0.30 198.18.0.20 --prio 0 --count 3
sleep 1.5
t_expect_eq "forged release from a stranger ignored" "$(vl_holder)" lvs

# SIGHUP with a new priority: the master stays master (no notify, no
# move) and advertises it; a reload VRRP cannot run is rejected whole.
notes=$(wc -l <"$(vl_tmp lvs)/notify.log")
sed -i 's/priority 100/priority 120/' "$(vl_tmp lvs)/keepalived.conf"
kill -HUP "${VL_PID[lvs]}"
t_check "reload: lvs-backup hears priority 120" \
	lab_wait_until 3 vl_field_is bk MPrio 120
t_expect_eq "reload: lvs-master still master" "$(vl_status_field lvs State)" MASTER
t_expect_eq "reload: no state change notified" \
	"$(wc -l <"$(vl_tmp lvs)/notify.log")" "$notes"
sed -i 's/^\(\s*interface\) eth0/\1 nosuchif0/' "$(vl_tmp lvs)/keepalived.conf"
kill -HUP "${VL_PID[lvs]}"
t_check "broken reload rejected" lab_wait_until 3 \
	grep -q "reload: VRRP cannot run the new config" "$(vl_tmp lvs)/xvsd.log"
vt_expect_holder lvs "after the reloads"

ms=$(vl_client_failover vl_crash lvs)
t_info "client-side failover after lvs-master crashed: $ms ms"
t_check "lvs-backup took over (client saw it)" test "$ms" != none
vt_expect_holder bk "master crashed"
t_expect_eq "status: lvs-backup state" "$(vl_status_field bk State)" MASTER

vl_revive lvs
vl_start lvs xvsd "$(vl_conf lvs 100 MASTER)"
t_check "lvs-master preempts when back (priority 100 > 90)" vl_wait_holder lvs 15
vt_expect_holder lvs "master back"

ms=$(vl_client_failover vl_stop lvs TERM)
t_info "client-side failover after lvs-master stopped (priority 0): $ms ms"
t_check "clean stop hands over" test "$ms" != none
vt_expect_holder bk "master stopped"
t_check "notify on lvs-backup: keepalived's arguments" \
	grep -qx "INSTANCE VI_1 MASTER 90" "$(vl_tmp bk)/notify.log"
t_check "notify on lvs-master: STOP on shutdown" \
	grep -qx "INSTANCE VI_1 STOP 100" "$(vl_tmp lvs)/notify.log"
t_end
