#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# test_kconf.sh - xvsd runs the seed's keepalived.conf (addresses moved to
# the lab's 198.18.0.0/24): -t passes, the virtual server and its real
# servers appear with the configured scheduler, persistence and weights,
# and requests are answered. Then SIGHUP reloads: a config with only
# web-01 removes web-02; a long download through web-01 starts; a config
# adding web-02 back sends new connections to both while the download
# finishes byte-exact; a broken config is rejected with its file:line and
# the running config stays.
source "$(dirname "$0")/lib.sh"

SEED_CONF=$T_DIR/seed/keepalived.conf
CONF=/tmp/${LAB_PREFIX}keepalived.conf

# keepalived -t's contract on the seed and on a broken copy.
rc=0
"$XVS_BIN/xvsd" -t -f "$SEED_CONF" >/dev/null 2>&1 || rc=$?
t_expect_eq "xvsd -t on the seed's keepalived.conf: exit status" "$rc" 0
sed '/^virtual_server/,$ s/^}$//' "$SEED_CONF" >"$CONF"
rc=0
out=$("$XVS_BIN/xvsd" -t -f "$CONF" 2>&1) || rc=$?
t_expect_eq "xvsd -t on a copy with unclosed blocks: exit status" "$rc" 3
t_check "the error names the file and line" grep -q "$CONF:[0-9]*: .*not closed" <<<"$out"

# conf_one_vs NAME... - a DR rr virtual server on the VIP with these real
# servers (web1 web2), no persistence.
conf_one_vs() {
	local role i
	{
		echo "virtual_server $LAB_VIP 80 {"
		echo " lb_algo rr"
		echo " lb_kind DR"
		echo " protocol TCP"
		for role in "$@"; do
			for i in "${!LAB_RS_ROLES[@]}"; do
				[[ "${LAB_RS_ROLES[$i]}" == "$role" ]] || continue
				echo " real_server $(lab_rs_ip "$i") 80 {"
				echo "  weight 1"
				echo " }"
			done
		done
		echo "}"
	} >"$CONF"
}

# reload_and_wait DESC CMD... - SIGHUP xvsd, then wait until CMD holds.
reload_and_wait() {
	local desc=$1; shift
	kill -HUP "$LAB_XVSD_PID"
	if lab_wait_until 5 "$@"; then t_pass "$desc"; else t_fail "$desc"; fi
	sleep "$LAB_SETTLE_S"	# next hops of new dests, see lab_service_add
}

cp "$SEED_CONF" "$CONF"
t_begin dr -f "$CONF"
trap 'rm -f "$CONF"; t_cleanup' EXIT
sleep "$LAB_SETTLE_S"
listing=$(lab_adm -Ln)
t_info "xvsadm -Ln with the seed's config:"
sed 's/^/        /' <<<"$listing"
t_check "service $LAB_VIP:80 wlc persistent 50 mask 255.255.255.0" \
	grep -Eq "^TCP +$LAB_VIP:80 wlc persistent 50 mask 255.255.255.0" <<<"$listing"
for i in 0 1; do
	t_check "real server $(lab_rs_ip "$i"):80 Route weight 100" \
		grep -Eq -- "-> $(lab_rs_ip "$i"):80 +Route +100 " <<<"$listing"
done
n=$(t_scale 20 200)
out=$(lab_http_names "$n")
lab_tally <<<"$out"
t_expect_eq "all $n requests answered under the seed's config" \
	"$(grep -c '^web-0[12]$' <<<"$out")" "$n"

# Reload: web-01 only. web-02 leaves, the service loses its persistence.
conf_one_vs web1
reload_and_wait "reload with web-01 only: web-02 removed" \
	eval '! lab_dest_listed TCP "$LAB_VIP:80" "$(lab_rs_ip 1):80"'
t_check "reload changed the service to rr without persistence" \
	eval 'lab_adm -Ln | grep -Eq "^TCP +$LAB_VIP:80 rr *$"'
t_download_start 400000

# Reload: web-02 added. New connections reach both; the download stays.
conf_one_vs web1 web2
reload_and_wait "reload adding web-02: it is listed" \
	lab_dest_listed TCP "$LAB_VIP:80" "$(lab_rs_ip 1):80"
t_http_balance "$(t_scale 20 200)" " after the reload adding web-02"
t_download_check
t_expect_eq "the long download went through web-01" "$T_DL_RS" 0

# A broken config: rejected with file:line, the running config stays.
printf 'virtual_server %s 80 {\n lb_algo nosuch\n' "$LAB_VIP" >"$CONF"
kill -HUP "$LAB_XVSD_PID"
t_check "broken reload logged with its file:line" \
	lab_wait_until 5 grep -q "$CONF:[0-9]*: " "$LAB_TMP/xvsd.log"
t_check "broken reload rejected" \
	lab_wait_until 5 grep -q "reload rejected" "$LAB_TMP/xvsd.log"
t_check "both real servers still listed" eval \
	'lab_dest_listed TCP "$LAB_VIP:80" "$(lab_rs_ip 0):80" &&
	 lab_dest_listed TCP "$LAB_VIP:80" "$(lab_rs_ip 1):80"'
t_check "xvsd still runs" lab_xvsd_alive
t_end
