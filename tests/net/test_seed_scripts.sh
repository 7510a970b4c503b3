#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# test_seed_scripts.sh - the seed's two ipvsadm scripts, unchanged
# (tests/net/seed/: check_ipvs.sh, the keepalived vrrp_script, and
# ipvs_metrics.sh, the node_exporter textfile collector), run on the director
# with xvsadm installed as "ipvsadm" (a symlink first in PATH), before and
# under real traffic through the VIP. Also an ipvsadm -S / -C / -R / -S round
# trip through that symlink.
#
# What the unchanged scripts really do on ipvsadm-format output (worked out
# by hand from ipvsadm 1.31's format, which xvsadm prints byte for byte):
#
# check_ipvs.sh sums awk's $5 over the lines of "ipvsadm -Ln --stats" that
# contain "->". Those are the "  -> RemoteAddress:Port" header ($5 empty,
# counts 0) and the real-server lines, whose fields are
#   $1 "->"  $2 RIP:PORT  $3 Conns  $4 InPkts  $5 OutPkts  $6 InBytes ...
# so the script sums OutPkts, not InPkts. In DR (and TUN) mode the real
# servers answer the client directly, so the director never sees a reply and
# OutPkts stays 0, with IPVS as with xvs: the check exits 1 (failure, in
# keepalived's terms "weight -20") before AND after traffic. Only a NAT
# director, which xvs does not do yet, has OutPkts > 0; a synthetic
# NAT-style listing below shows the script then exits 0.
#
# ipvs_metrics.sh feeds "ipvsadm -Ln --rate" to awk: "^TCP"/"^UDP" lines
# (the services) set proto and are skipped with "next"; every other line
# prints four metrics only when $4 contains ":". It never does: the version
# line's $4 is "1.2.1", the column header's "InPPS", "  -> RemoteAddress:Port"
# has no $4, and a real-server line is
#   $1 "->"  $2 RIP:PORT  $3 CPS  $4 InPPS  $5 OutPPS  $6 InBPS  $7 OutBPS
# ($4 a number; the address is $2). So the script writes an EMPTY ipvs.prom,
# exit status 0, however much traffic flows (asserted below with rates > 0).
# Its $5..$8 = in_pps/out_pps/in_cps/out_cps would not match ipvsadm's
# column order (CPS InPPS OutPPS InBPS OutBPS) either. A synthetic line with
# an address in $4 shows the (restored) printf lines themselves work.
#
# The scripts run with "bash FILE": in the seed, "#!/bin/bash" is the second
# line, after the "# /usr/local/bin/NAME" label.
source "$(dirname "$0")/lib.sh"

SEED=$T_DIR/seed
PROM_REL=node_exporter/textfile_collector/ipvs.prom
PROM_HOST=/var/lib/$PROM_REL

t_begin dr

# "Installed as ipvsadm": a directory first in PATH with the symlink.
S_BIN=$LAB_TMP/ipvsadm-bin
mkdir -p "$S_BIN"
ln -s "$XVS_BIN/xvsadm" "$S_BIN/ipvsadm"

# s_env BINDIR CMD... - CMD in the director namespace (as lab_adm reaches
# xvsadm), BINDIR first in PATH, XVS_CTL at this lab's xvsd.
s_env() {
	local bin=$1; shift
	lab_exec lvs env PATH="$bin:$PATH" XVS_CTL="$LAB_CTL" timeout 20 "$@"
}

# ipvsadm ARGS... - the symlink, as the scripts see it.
ipvsadm() { s_env "$S_BIN" ipvsadm "$@"; }

# s_check [BINDIR] - run check_ipvs.sh; print its exit status.
s_check() {
	local rc=0
	s_env "${1:-$S_BIN}" bash "$SEED/check_ipvs.sh" || rc=$?
	echo "$rc"
}

# s_metrics [BINDIR] - run ipvs_metrics.sh in a private mount namespace in
# which a fresh temp dir is bind-mounted over /var/lib (the script writes
# /var/lib/node_exporter/textfile_collector/ipvs.prom, which does not exist
# on the host; a bind mount needs an existing target, and /var/lib is the
# nearest one that surely does). The host's /var/lib is never written.
# Sets S_RC (exit status), S_PROM (the file, from the host's side), S_ERR.
s_metrics() {
	local root=$LAB_TMP/metrics-root
	rm -rf "$root"
	mkdir -p "$root/${PROM_REL%/*}"
	S_PROM=$root/$PROM_REL
	S_ERR=$LAB_TMP/metrics.err
	S_RC=0
	# shellcheck disable=SC2016 # expanded by the inner bash
	s_env "${1:-$S_BIN}" unshare -m --propagation private bash -c '
		mount --bind "$1" /var/lib || exit 97
		bash "$2"' _ "$root" "$SEED/ipvs_metrics.sh" 2>"$S_ERR" || S_RC=$?
}

# s_metrics_expect_empty WHEN - the script ran cleanly and wrote an empty file.
s_metrics_expect_empty() {
	t_expect_eq "ipvs_metrics.sh $1: exit status" "$S_RC" 0
	t_expect_eq "ipvs_metrics.sh $1: stderr" "$(cat "$S_ERR")" ""
	t_check "ipvs_metrics.sh $1: ipvs.prom written" test -f "$S_PROM"
	t_expect_eq "ipvs_metrics.sh $1: ipvs.prom size (no line matches \$4 ~ /:/)" \
		"$(stat -c %s "$S_PROM" 2>/dev/null)" 0
}

# s_col PROTO VIP:PORT [RIP:PORT] N - field N of a service (or dest) line of
# "ipvsadm -Ln $S_LIST" output on stdin.
s_col() {
	local svc="$1 $2" dst=$3 n=$4
	awk -v svc="$svc" -v dst="$dst" -v n="$n" '
		$1 ~ /^(TCP|UDP|SCTP|FWM)$/ { cur = $1 " " $2
			if (dst == "" && cur == svc) { print $n; exit } ; next }
		$1 == "->" && cur == svc && $2 == dst { print $n; exit }'
}

# s_show TEXT - TEXT indented under the previous t_info line.
s_show() { local l; while IFS= read -r l; do echo "        $l"; done <<<"$1"; }

host_prom_state() { stat -c '%i %s %Y' "$PROM_HOST" 2>/dev/null || echo absent; }
prom_before=$(host_prom_state)

lab_service_add -t 80 wlc -g
VIP=$LAB_VIP:80
RIP0=$(lab_rs_ip 0):80
RIP1=$(lab_rs_ip 1):80

# --- the symlink is what the scripts run ------------------------------------
t_expect_eq "ipvsadm in the scripts' PATH is the symlink" \
	"$(s_env "$S_BIN" bash -c 'command -v ipvsadm')" "$S_BIN/ipvsadm"
t_expect_eq "ipvsadm -v names itself ipvsadm" \
	"$(ipvsadm -v | awk '{ print $1, $2; exit }')" "ipvsadm v1.31"
stats=$(ipvsadm -Ln --stats)
t_info "ipvsadm -Ln --stats (fresh service):"
s_show "$stats"
# check_ipvs.sh hides ipvsadm's errors (2>/dev/null) and then fails: make
# sure its ipvsadm really answers, so exit 1 below is the script's verdict.
t_expect_eq "fresh service: listed with both dests, no conns" \
	"$(s_col TCP "$VIP" "" 3 <<<"$stats"),$(s_col TCP "$VIP" "$RIP0" 3 <<<"$stats"),$(s_col TCP "$VIP" "$RIP1" 3 <<<"$stats")" \
	"0,0,0"

# --- no traffic ----------------------------------------------------------------
t_expect_eq "check_ipvs.sh, no traffic: exit status" "$(s_check)" 1
s_metrics
s_metrics_expect_empty "no traffic"

# --- sustained traffic: new HTTP connections through the VIP -----------------
# Bounded in count and time; the estimator runs every 2 s, so measure after
# more than two ticks (5 s) while the load still runs.
load_s=$(t_scale 8 20)
# (timeout ends it with status 124: "|| true", or the ERR trap inherited by
# the background subshell would report it as a failure.)
# shellcheck disable=SC2016 # expanded by the inner bash
{ lab_exec cl timeout "$load_s" bash -c '
	for ((i = 0; i < 5000; i++)); do
		curl -s --max-time 2 -o /dev/null "http://$1/" || true
	done' _ "$LAB_VIP" || true; } &
load_pid=$!
sleep 5
rate=$(ipvsadm -Ln --rate --exact)
s_metrics
s_rc_under_load=$S_RC
ck_under_load=$(s_check)
wait "$load_pid" || true
t_info "ipvsadm -Ln --rate --exact (under load):"
s_show "$rate"
t_expect_ge "under load: service CPS" "$(s_col TCP "$VIP" "" 3 <<<"$rate")" 1
t_expect_ge "under load: service InPPS" "$(s_col TCP "$VIP" "" 4 <<<"$rate")" 1
t_expect_ge "under load: $RIP0 InPPS" "$(s_col TCP "$VIP" "$RIP0" 4 <<<"$rate")" 1
t_expect_ge "under load: $RIP1 InPPS" "$(s_col TCP "$VIP" "$RIP1" 4 <<<"$rate")" 1
t_expect_eq "under load: service OutPPS (DR: replies bypass the director)" \
	"$(s_col TCP "$VIP" "" 5 <<<"$rate")" 0
S_RC=$s_rc_under_load
s_metrics_expect_empty "under load, rates > 0"
t_expect_eq "check_ipvs.sh under load: exit status (sums OutPkts, 0 in DR)" \
	"$ck_under_load" 1

stats=$(ipvsadm -Ln --stats --exact)
t_info "ipvsadm -Ln --stats --exact (after the load):"
s_show "$stats"
for d in "$RIP0" "$RIP1"; do
	t_expect_ge "after the load: $d Conns" "$(s_col TCP "$VIP" "$d" 3 <<<"$stats")" 1
	t_expect_ge "after the load: $d InPkts" "$(s_col TCP "$VIP" "$d" 4 <<<"$stats")" 1
	t_expect_eq "after the load: $d OutPkts (check_ipvs.sh's \$5)" \
		"$(s_col TCP "$VIP" "$d" 5 <<<"$stats")" 0
done
t_expect_eq "check_ipvs.sh after the load: exit status" "$(s_check)" 1
s_metrics
s_metrics_expect_empty "after the load"

# --- synthetic listings: what the scripts need to say "ok" -------------------
# Not xvs output: a stub "ipvsadm" that prints a fixed text. A NAT director's
# listing (OutPkts > 0) passes check_ipvs.sh; a line with ADDR:PORT in $4
# makes ipvs_metrics.sh print its four metrics, one per line.
F_BIN=$LAB_TMP/fake-bin
mkdir -p "$F_BIN"
cat >"$LAB_TMP/fake-stats.txt" <<'EOF'
IP Virtual Server version 1.2.1 (size=4096)
Prot LocalAddress:Port               Conns   InPkts  OutPkts  InBytes OutBytes
  -> RemoteAddress:Port
TCP  198.18.0.100:80                     2       12       10      776     1364
  -> 198.18.1.11:80                      1        6        5      388      682
  -> 198.18.1.12:80                      1        6        5      388      682
EOF
printf 'TCP  198.18.0.100:80\n  -> a b 198.18.0.100:80 1 2 3 4\n' >"$LAB_TMP/fake-rate.txt"
cat >"$F_BIN/ipvsadm" <<EOF
#!/bin/bash
if [[ "\$*" == *--stats* ]]; then cat "$LAB_TMP/fake-stats.txt"
else cat "$LAB_TMP/fake-rate.txt"; fi
EOF
chmod 755 "$F_BIN/ipvsadm"
t_expect_eq "check_ipvs.sh, synthetic NAT listing (OutPkts 10): exit status" \
	"$(s_check "$F_BIN")" 0
s_metrics "$F_BIN"
t_expect_eq "ipvs_metrics.sh, synthetic \$4 = 198.18.0.100:80: exit status" "$S_RC" 0
t_expect_eq "ipvs_metrics.sh, synthetic \$4 = 198.18.0.100:80: ipvs.prom" \
	"$(cat "$S_PROM" 2>/dev/null)" \
	'lvs_rate_in_pps{vip="198.18.0.100",port="80",proto="tcp"} 1
lvs_rate_out_pps{vip="198.18.0.100",port="80",proto="tcp"} 2
lvs_rate_in_cps{vip="198.18.0.100",port="80",proto="tcp"} 3
lvs_rate_out_cps{vip="198.18.0.100",port="80",proto="tcp"} 4'

t_expect_eq "host's $PROM_HOST untouched" "$(host_prom_state)" "$prom_before"

# --- -S / -C / -R / -S through the symlink ----------------------------------
# s_expect_same DESC GOT WANT - multi-line texts: equal, or a diff.
s_expect_same() {
	if [[ "$2" == "$3" ]]; then t_pass "$1 ($(wc -l <<<"$2") lines)"
	else
		t_fail "$1"
		diff <(echo "$3") <(echo "$2") | sed 's/^/        /' || true
	fi
}

# -Ln modulo counters: real-server lines without ActiveConn/InActConn.
ln_shape() {
	awk '$1 == "->" && $2 != "RemoteAddress:Port" { print $1, $2, $3, $4; next }
		{ print }'
}
ln_before=$(ipvsadm -Ln)
save1=$(ipvsadm -S)
t_info "ipvsadm -S:"
s_show "$save1"
t_expect_eq "ipvsadm -S: one service and two dests saved" \
	"$(grep -c -e '^-A -t ' -e '^-a -t ' <<<"$save1")" 3
t_check "ipvsadm -C" ipvsadm -C
t_expect_eq "ipvsadm -S after -C: empty" "$(ipvsadm -S)" ""
t_expect_eq "ipvsadm -Ln after -C: headers only" "$(ipvsadm -Ln | wc -l)" 3
t_check "ipvsadm -R from the saved text" ipvsadm -R <<<"$save1"
save2=$(ipvsadm -S)
s_expect_same "ipvsadm -S after -R: identical to the first -S" "$save2" "$save1"
ln_after=$(ipvsadm -Ln)
t_info "ipvsadm -Ln before -C, after -R:"
s_show "$ln_before"
s_show "$ln_after"
s_expect_same "ipvsadm -Ln after -R: same as before, modulo counters" \
	"$(ln_shape <<<"$ln_after")" "$(ln_shape <<<"$ln_before")"
sleep "$LAB_SETTLE_S"
t_http_balance 20 " after -S/-C/-R"

t_end
