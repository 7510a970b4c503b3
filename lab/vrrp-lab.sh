#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vrrp-lab.sh - the seed's director pair for VRRP tests and benchmarks:
# lvs-master (198.18.0.10, namespace role "lvs") and lvs-backup
# (198.18.0.20, role "bk") on one bridge with a client (198.18.0.1), the
# VIP 198.18.0.100. Each director runs either xvsd or Debian's keepalived
# with the seed's vrrp_instance VI_1 (unicast, PASS auth) and a tiny HTTP
# responder on port 80 that answers with its own name, so a client
# request through the VIP says which director holds it.
#
# With VL_RS=1 the lab also has the seed's real servers web-01/web-02
# (198.18.0.11/.12, nginx, xvs-rs with the VIP on lo), and each director's
# config gets the seed's DR virtual_server: a client request through the
# VIP then crosses whichever director holds it, xvs's data plane, to a real
# server.
#
# Source it after lab/lab.sh (tests/net/lib.sh does). Teardown is vl_down.

VL_ROLES=(lvs bk)
declare -A VL_IP=([lvs]=198.18.0.10 [bk]=198.18.0.20)
declare -A VL_PEER=([lvs]=198.18.0.20 [bk]=198.18.0.10)
declare -A VL_DAEMON=()		# role -> xvsd | keepalived, while running
declare -A VL_PID=()
VL_RS=${VL_RS:-0}

vl_tmp() { echo "$LAB_TMP/$1"; }
vl_xvsd_name() { echo "${LAB_PREFIX}$1" | tr -c 'a-zA-Z0-9_.\n-' _; }
vl_ctl() { echo "/run/xvs/$(vl_xvsd_name "$1").sock"; }

# vl_up - namespaces, bridge, addresses, HTTP responders. No daemon yet.
vl_up() {
	local role
	LAB_MODE=dr
	lab_require || return 1
	vl_down_quiet
	LAB_ALL_ROLES=(cl lvs bk sw)	# vl_up_rs adds the real servers
	lab_guard_root_up
	mkdir -p "$LAB_TMP"
	for role in "${LAB_ALL_ROLES[@]}"; do
		ip netns add "$(lab_ns "$role")"
		ip -n "$(lab_ns "$role")" link set lo up
	done
	ip -n "$(lab_ns sw)" link add br0 type bridge stp_state 0 forward_delay 0
	ip -n "$(lab_ns sw)" link set br0 up
	lab_link cl eth0 br0
	ip -n "$(lab_ns cl)" addr add "$LAB_CLIENT_IP/24" dev eth0
	for role in "${VL_ROLES[@]}"; do
		lab_link "$role" eth0 br0
		ip -n "$(lab_ns "$role")" addr add "${VL_IP[$role]}/24" dev eth0
		mkdir -p "$(vl_tmp "$role")/www"
		echo "$role" >"$(vl_tmp "$role")/www/index.html"
		# The responder answers on every address, the VIP included.
		lab_exec "$role" "$LAB_PY" -m http.server 80 --bind 0.0.0.0 \
			--directory "$(vl_tmp "$role")/www" >/dev/null 2>&1 &
	done
	lab_wait_until 5 lab_exec cl curl -sf --max-time 1 "http://${VL_IP[bk]}/" ||
		lab_die "responders did not start" || return 1
	((VL_RS)) && vl_up_rs
	return 0
}

# vl_up_rs - the real servers, and XDP_PASS on the directors' bridge ports
# (lab_xdp_pass: the data plane XDP_TXes out of the directors' veths).
vl_up_rs() {
	local i role
	for i in 0 1; do
		role=${LAB_RS_ROLES[$i]}
		LAB_ALL_ROLES+=("$role")
		ip netns add "$(lab_ns "$role")"
		ip -n "$(lab_ns "$role")" link set lo up
		lab_topo_rs "$i" br0 "" 1500
		lab_servers_start "$i"
	done
	lab_xdp_pass p-lvs
	lab_xdp_pass p-bk
	# Static switch entries for the directors' MACs, as a real switch's
	# learnt ones that outlive a crash: a bridge flushes a port's entries
	# when it goes down and then floods frames for that MAC to every
	# port. (Before e5447c9 the backup's XDP program forwarded such
	# frames whatever their destination MAC, and the "failover" took
	# 185 ms; now they go to its kernel, which drops them.)
	for role in "${VL_ROLES[@]}"; do
		lab_exec sw bridge fdb replace "$(vl_mac "$role")" dev "p-$role" \
			master static
	done
	lab_rs_up dr
}

# vl_conf ROLE PRIO STATE [EXTRA_INSTANCE_LINES [EXTRA_TOP]] - the seed's
# VI_1 for ROLE on the lab's addresses; the path of the file on stdout.
vl_conf() {
	local role=$1 prio=$2 state=$3 extra=${4:-} top=${5:-} f
	f="$(vl_tmp "$role")/keepalived.conf"
	cat >"$f" <<-EOF
	! the seed's director config, 10.0.0.X -> 198.18.0.X
	global_defs {
	    router_id LVS_$role
	}
	$top
	vrrp_instance VI_1 {
	    state $state
	    interface eth0
	    virtual_router_id 51
	    priority $prio
	    advert_int 1
	    authentication {
	        auth_type PASS
	        auth_pass YourStrongPass
	    }
	    unicast_src_ip ${VL_IP[$role]}
	    unicast_peer { ${VL_PEER[$role]} }
	    virtual_ipaddress {
	        $LAB_VIP/24 dev eth0 label eth0:1
	    }
	    notify "$(vl_tmp "$role")/notify.sh"
	    $extra
	}
	EOF
	((VL_RS)) && cat >>"$f" <<-EOF
	virtual_server $LAB_VIP 80 {
	    delay_loop 6
	    lb_algo rr
	    lb_kind DR
	    protocol TCP
	    real_server $(lab_rs_ip 0) 80 {
	        weight 1
	    }
	    real_server $(lab_rs_ip 1) 80 {
	        weight 1
	    }
	}
	EOF
	# keepalived's notify arguments: GROUP|INSTANCE NAME STATE PRIORITY.
	printf '#!/bin/sh\necho "$@" >>%s\n' "$(vl_tmp "$role")/notify.log" \
		>"$(vl_tmp "$role")/notify.sh"
	chmod +x "$(vl_tmp "$role")/notify.sh"
	echo "$f"
}

# vl_start ROLE xvsd|keepalived CONF - start a daemon on ROLE with CONF.
vl_start() {
	local role=$1 kind=$2 conf=$3 log
	log="$(vl_tmp "$role")/$kind.log"
	if [[ "$kind" == xvsd ]]; then
		# Afresh, without an earlier run's pins: VRRP tests are not about
		# the data plane outliving xvsd (test_restart.sh is).
		vl_xvsd_cleanup "$role"
		lab_bpffs_ensure
		nsenter --net="/run/netns/$(lab_ns "$role")" "$XVS_BIN/xvsd" -n -l -D \
			-f "$conf" --interface eth0 --xdp-mode generic --conn-tab-bits 12 \
			--name "$(vl_xvsd_name "$role")" >>"$log" 2>&1 &
	else
		nsenter --net="/run/netns/$(lab_ns "$role")" keepalived -n -l -P \
			-f "$conf" -p "$(vl_tmp "$role")/ka.pid" \
			-r "$(vl_tmp "$role")/ka-vrrp.pid" >>"$log" 2>&1 &
	fi
	VL_PID[$role]=$!
	VL_DAEMON[$role]=$kind
	# Not a job: bash would report its KILL (a crash, on purpose) as noise.
	disown "$!"
}

# vl_stop ROLE [SIGNAL] - stop ROLE's daemon (TERM by default), wait for it.
vl_stop() {
	local role=$1 sig=${2:-TERM} pid=${VL_PID[$1]:-}
	[[ -n "$pid" ]] || return 0
	kill -"$sig" "$pid" 2>/dev/null || true
	lab_wait_until 5 lab_pid_gone "$pid" || kill -KILL "$pid" 2>/dev/null || true
	# keepalived's VRRP child outlives a KILLed parent for a moment.
	[[ "${VL_DAEMON[$role]}" == keepalived && "$sig" == KILL ]] &&
		vl_kill_ka_children "$role"
	VL_PID[$role]=""
}

# SIGKILL of keepalived's parent leaves its VRRP child; a crashed node
# loses both, so kill the child too (only ours: its pid file).
vl_kill_ka_children() {
	local f pid
	for f in "$(vl_tmp "$1")/ka-vrrp.pid"; do
		[[ -f "$f" ]] && pid=$(<"$f") && kill -KILL "$pid" 2>/dev/null
	done
	return 0
}

# vl_crash ROLE - the node dies: its daemon is KILLed and its link goes
# down at once. (A KILLed daemon alone leaves the VIP on a live interface,
# which still answers; a crashed machine does not.)
vl_crash() {
	ip -n "$(lab_ns "$1")" link set eth0 down
	vl_stop "$1" KILL
}

# vl_revive ROLE - the node boots again: no VIP left over, link up.
vl_revive() {
	ip -n "$(lab_ns "$1")" addr del "$LAB_VIP/24" dev eth0 2>/dev/null || true
	ip -n "$(lab_ns "$1")" link set eth0 up
}

# vl_has_vip ROLE - ROLE has the VIP on eth0, and eth0 is up (a crashed
# node's address is no one's).
vl_has_vip() { vl_has_addr "$1" "$LAB_VIP"; }

# vl_has_addr ROLE ADDR - ADDR is on ROLE's eth0, which is up. (No "| grep
# -q": under pipefail, ip's SIGPIPE when grep stops early fails the test.)
vl_has_addr() {
	[[ "$(ip -n "$(lab_ns "$1")" -4 addr show dev eth0 up)" == *"inet $2/"* ]]
}

# vl_holder - the roles holding the VIP, space separated ("" for none).
vl_holder() {
	local role out=()
	for role in "${VL_ROLES[@]}"; do vl_has_vip "$role" && out+=("$role"); done
	echo "${out[*]}"
}

vl_mac() { ip -n "$(lab_ns "$1")" -br link show dev eth0 | awk '{ print $3 }'; }

vl_client_vip_mac() {
	ip -n "$(lab_ns cl)" neigh show "$LAB_VIP" dev eth0 | awk '/lladdr/ { print $3 }'
}

vl_client_vip_resolved() { [[ -n "$(vl_client_vip_mac)" ]]; }

# vl_arp_owner - which role's MAC answers the client's ARP for the VIP now:
# the client forgets its entry, sends a datagram to the VIP (which makes
# its kernel ARP for it) and reads the answer from its neighbour table.
vl_arp_owner() {
	local mac role
	ip -n "$(lab_ns cl)" neigh flush dev eth0 >/dev/null 2>&1 || true
	lab_exec cl bash -c "echo x >/dev/udp/$LAB_VIP/9" 2>/dev/null || true
	lab_wait_until 2 vl_client_vip_resolved || true
	mac=$(vl_client_vip_mac)
	for role in "${VL_ROLES[@]}"; do
		[[ -n "$mac" && "$mac" == "$(vl_mac "$role")" ]] && { echo "$role"; return; }
	done
	echo "none"
}

# vl_answer - who answers an HTTP request to the VIP ("none" on failure).
vl_answer() {
	lab_exec cl curl -s --max-time 0.3 "http://$LAB_VIP/" 2>/dev/null || echo none
}

# vl_wait_holder ROLE TIMEOUT - until ROLE alone holds the VIP.
vl_wait_holder() {
	local deadline=$((SECONDS + $2))
	until [[ "$(vl_holder)" == "$1" ]]; do
		((SECONDS < deadline)) || return 1
		sleep 0.1
	done
}

# vl_status ROLE - xvsd --status of ROLE's xvsd.
vl_status() {
	lab_exec "$1" timeout 5 "$XVS_BIN/xvsd" --status --ctl "$(vl_ctl "$1")"
}

# vl_status_field ROLE COLUMN - one column of VI_1's status line
# (State, Prio, Master, RxAdv, TxAdv, Drops...). Waits up to 10 s for an
# xvsd that is still starting (its control socket not yet there).
vl_status_field() {
	local out
	lab_wait_until 10 vl_status "$1" || true
	out=$(vl_status "$1") || return 1
	awk -v col="$2" 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
		$1 == "VI_1" { print $c[col] }' <<<"$out"
}

# vl_field_is ROLE COLUMN VALUE - that column has that value now.
vl_field_is() { [[ "$(vl_status_field "$1" "$2")" == "$3" ]]; }

# vl_client_failover KILL_CMD... - a client polls the VIP every 20 ms
# (bounded: at most 20 s); KILL_CMD runs once answers flow; prints the
# milliseconds from the kill to the first answer from the other director
# (the failover time seen by the client), or "none". With VL_RS=1 the
# answers come from the real servers, whichever director forwards them:
# then it is the first answer at all after a crash (a crashed master
# answers nothing).
vl_client_failover() {
	local before t0 t1 ans i
	before=$(vl_answer)
	((VL_RS)) && before=none
	t0=$(date +%s%N)
	"$@"
	for ((i = 0; i < 1000; i++)); do
		ans=$(vl_answer)
		if [[ "$ans" != none && "$ans" != "$before" ]]; then
			t1=$(date +%s%N)
			echo $(((t1 - t0) / 1000000))
			return 0
		fi
		(( $(date +%s%N) - t0 < 20000000000 )) || break
		sleep 0.02
	done
	echo none
}

# vl_xvsd_cleanup ROLE - detach and unpin ROLE's xvsd data plane.
vl_xvsd_cleanup() {
	[[ -e "/run/netns/$(lab_ns "$1")" ]] &&
		lab_bpfexec "$1" timeout 10 "$XVS_BIN/xvsd" \
			--name "$(vl_xvsd_name "$1")" --cleanup >/dev/null 2>&1
	rm -rf "/sys/fs/bpf/xvs/$(vl_xvsd_name "$1")" "$(vl_ctl "$1")"
	return 0
}

# vl_down - stop both daemons, remove xvsd pins, then the lab itself.
vl_down() {
	local role
	for role in "${VL_ROLES[@]}"; do
		vl_stop "$role" TERM
		vl_xvsd_cleanup "$role"
	done
	LAB_ALL_ROLES=(cl lvs bk sw "${LAB_RS_ROLES[@]}")
	lab_down
}

vl_down_quiet() { vl_down >/dev/null 2>&1; }
