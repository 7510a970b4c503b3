#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# lab.sh - the xvs namespace lab: the seed's LVS topology built from network
# namespaces, veth pairs and a bridge, with real servers running nginx and a
# UDP responder.
#
# Two ways to use it:
#   source lab/lab.sh; lab_up dr; ...; lab_down     (tests, demo)
#   lab/lab.sh up dr|tun|nat|fnat  /  lab/lab.sh down    (by hand, see lab_main)
#
# Every namespace is named "$LAB_PREFIX<role>", and LAB_PREFIX comes from
# XVS_LAB_PREFIX, so two runs never collide. Only 198.18.0.0/15 and
# 2001:db8::/32 are used, and only inside our namespaces; the root
# namespace's addresses, routes and sysctls are never touched.
#
# IP plan (the seed's 10.0.0.X is 198.18.0.X here):
#   client      198.18.0.1/24, plus 198.18.0.200-.219 (extra sources)
#   lvs-master  198.18.0.10/24, VIP 198.18.0.100/32 on eth0 (answers ARP)
#   dr:   web-01 198.18.0.11, web-02 198.18.0.12, all on bridge br0;
#         dr is dual-stack: client 2001:db8::1/64, lvs-master
#         2001:db8::10/64 with the VIP 2001:db8::100/128 on eth0, web-01
#         2001:db8::11, web-02 2001:db8::12 (DAD off, usable at once)
#   tun:  web-01 198.18.1.11, web-02 198.18.1.12 on br1, behind the router
#         (198.18.0.254 / 198.18.1.254); the director and the client route
#         198.18.1.0/24 via 198.18.0.254
#   nat:  web-01 198.18.1.11, web-02 198.18.1.12 on br1, the director's
#         eth1 198.18.1.10 is their default gateway (forwarding on):
#         two-armed, the director redirects between eth0 and eth1
#   fnat: web-01 198.18.1.11, web-02 198.18.1.12 on br1 behind the router,
#         as in tun, their default route via the router, nothing of the
#         director's; the director is one-armed on eth0 with the FULLNAT
#         local addresses 198.18.0.50 and .51 (LAB_LIPS), forwarding on
#
# All bridges live in one "switch" namespace (sw); every host has eth0 on
# br0, and its bridge port is named p-<role>.

# ---------------------------------------------------------------------------
# Configuration
# ---------------------------------------------------------------------------

LAB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
XVS_ROOT=${XVS_ROOT:-$(dirname "$LAB_DIR")}
XVS_BIN=${XVS_BIN:-$XVS_ROOT/build}
LAB_PY=/usr/bin/python3		# Debian's python3 (TESTING.md)

# A sourced lab gets a per-process prefix; the CLI a fixed default so that
# "up" and a later "down" agree. Callers may always set XVS_LAB_PREFIX.
if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
	LAB_PREFIX=${XVS_LAB_PREFIX:-xvslab-}
else
	LAB_PREFIX=${XVS_LAB_PREFIX:-xvs$$-}
fi
# xvsd instance name: pin dir /sys/fs/bpf/xvs/NAME, socket /run/xvs/NAME.sock
LAB_XVSD_NAME=${LAB_PREFIX%-}
LAB_CTL=/run/xvs/$LAB_XVSD_NAME.sock
LAB_TMP=/tmp/${LAB_PREFIX}lab	# nginx dirs, logs, pid files of this run
LAB_XDP_MODE=${XVS_XDP_MODE:-native}

LAB_VIP=198.18.0.100
LAB_CLIENT_IP=198.18.0.1
LAB_DIRECTOR_IP=198.18.0.10
LAB_VIP6=2001:db8::100		# dr mode only, like every IPv6 address here
LAB_CLIENT_IP6=2001:db8::1
LAB_DIRECTOR_IP6=2001:db8::10
LAB_HTTP_PORT=80
LAB_UDP_PORT=9000
LAB_EXTRA_CLIENTS=20		# 198.18.0.200 .. 198.18.0.219
LAB_LIPS=(198.18.0.50 198.18.0.51)	# fnat: the director's local addresses
LAB_RS_NAMES=(web-01 web-02)	# body of "/" and the UDP reply
LAB_RS_ROLES=(web1 web2)	# namespace roles
LAB_ALL_ROLES=(cl lvs web1 web2 rtr sw)
LAB_BIG_SIZE=${LAB_BIG_SIZE:-4M}	# /big.bin, for long-lived downloads
# MTU behind the client in tun mode (see lab_topo_base); 1500 makes the
# director answer full-sized packets with ICMP "fragmentation needed".
LAB_TUN_MTU=${XVS_LAB_TUN_MTU:-1600}

LAB_SETTLE_S=${XVS_LAB_SETTLE_S:-1.2}	# see lab_service_add
LAB_MODE=""			# set by lab_up
LAB_AF=4			# 6: the service helpers below use the IPv6 VIP
LAB_XVSD_PID=""

# ---------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------

lab_log() { echo "lab: $*" >&2; }
lab_die() { echo "lab: error: $*" >&2; return 1; }

# lab_ns ROLE - the full namespace name of a role.
lab_ns() { echo "${LAB_PREFIX}$1"; }

# lab_exec ROLE CMD... - run a command inside a role's namespace.
lab_exec() {
	local role=$1; shift
	ip netns exec "$(lab_ns "$role")" "$@"
}

# lab_bpfexec ROLE CMD... - like lab_exec, but enter only the network
# namespace. "ip netns exec" also unshares the mount namespace and remounts
# /sys, which hides /sys/fs/bpf: a bpffs mounted or pinned there would die
# with the process, and a restarted xvsd (or --cleanup) could not find its
# pins. nsenter --net keeps the host's mount namespace, where bpffs lives.
lab_bpfexec() {
	local role=$1; shift
	nsenter --net="/run/netns/$(lab_ns "$role")" "$@"
}

# lab_rs_ip IDX - address of real server IDX (0-based) in the current mode.
lab_rs_ip() {
	case "$LAB_MODE" in
	dr) echo "198.18.0.1$(($1 + 1))" ;;
	*) echo "198.18.1.1$(($1 + 1))" ;;
	esac
}

# lab_rs_ip6 IDX - IPv6 address of real server IDX (dr mode only).
lab_rs_ip6() { echo "2001:db8::1$(($1 + 1))"; }

# lab_vip, lab_rs_addr IDX - the VIP and real server IDX's address in the
# family LAB_AF; lab_host ADDR - ADDR as URLs and xvsadm write it
# ("[2001:db8::100]" for IPv6), to which ":PORT" can be appended.
lab_vip() { if ((LAB_AF == 6)); then echo "$LAB_VIP6"; else echo "$LAB_VIP"; fi; }
lab_rs_addr() {
	if ((LAB_AF == 6)); then lab_rs_ip6 "$1"; else lab_rs_ip "$1"; fi
}
lab_host() { if [[ "$1" == *:* ]]; then echo "[$1]"; else echo "$1"; fi; }

# lab_wait_until TIMEOUT_S CMD... - poll CMD every 0.1 s until it succeeds.
# Returns 1 when TIMEOUT_S passes first.
lab_wait_until() {
	local deadline=$((SECONDS + $1)); shift
	until "$@" >/dev/null 2>&1; do
		((SECONDS < deadline)) || return 1
		sleep 0.1
	done
}

lab_require() {
	local t
	[[ $(id -u) -eq 0 ]] || lab_die "must run as root" || return 1
	for t in ip ethtool nsenter curl nginx clang gcc "$LAB_PY"; do
		command -v "$t" >/dev/null || lab_die "missing tool: $t" || return 1
	done
}

# lab_bpffs_ensure - mount bpffs at /sys/fs/bpf when missing, as systemd
# does at boot (TESTING.md 7). Doing it here, once, before any xvsd starts,
# avoids two concurrent xvsd instances stacking two bpffs mounts.
lab_bpffs_ensure() {
	mountpoint -q /sys/fs/bpf || mount -t bpf bpf /sys/fs/bpf
}

# ---------------------------------------------------------------------------
# Topology
# ---------------------------------------------------------------------------

# lab_link ROLE IF BRIDGE [MTU] - a veth from ROLE's IF to a port of BRIDGE
# in the switch namespace. Both ends are created directly inside their
# namespaces, so nothing ever appears in the root namespace.
lab_link() {
	local role=$1 ifname=$2 br=$3 mtu=${4:-1500}
	local port="p-$role"

	[[ "$ifname" == eth0 ]] || port="p-$role-$ifname"
	ip -n "$(lab_ns "$role")" link add "$ifname" mtu "$mtu" type veth \
		peer name "$port" netns "$(lab_ns sw)" mtu "$mtu"
	ip -n "$(lab_ns sw)" link set "$port" master "$br" up
	# GRO stays off (the veth default) on the bridge ports, on purpose.
	# TESTING.md 1 suggests GRO on the peer of an XDP_TX veth, but GRO on
	# the port the client's segments enter merges them, and the bridge
	# re-segments towards the director with partial checksums again: the
	# XDP_TXed copies reach the real server with bad TCP checksums
	# (TcpInCsumErrors, uploads stall). Director-facing ports get an
	# XDP_PASS program instead, see lab_xdp_pass.
	# TESTING.md 2: packets sent over veth carry partial checksums that
	# turn wrong once XDP rewrites them; make every sender fill them in.
	lab_exec "$role" ethtool -K "$ifname" tx off >/dev/null
	ip -n "$(lab_ns "$role")" link set "$ifname" up
}

# lab_xdp_pass PORT - attach an XDP_PASS program to bridge port PORT, the
# peer of a director interface. The director XDP_TXes frames back out of
# its veth; they land in the peer's XDP ring, and the peer's NAPI is only
# kicked when the peer has an XDP program of its own. TESTING.md 1 says
# GRO is enough: on this kernel it is not (veth_xdp_flush skips peers
# without a program), and the frames wait until an unrelated packet comes.
lab_xdp_pass() {
	local obj=$LAB_TMP/xdp-pass.o
	if [[ ! -f "$obj" ]]; then
		clang -O2 -target bpf -I"/usr/include/$(gcc -dumpmachine)" \
			-c "$LAB_DIR/xdp-pass.bpf.c" -o "$obj" ||
			lab_die "cannot build $LAB_DIR/xdp-pass.bpf.c" || return 1
	fi
	lab_exec sw ip link set dev "$1" xdpdrv obj "$obj" sec xdp
}

# lab_topo_base - namespaces, the bridge(s), client and director on br0.
lab_topo_base() {
	local role i br

	for role in "${LAB_ALL_ROLES[@]}"; do
		[[ "$role" == rtr && "$LAB_MODE" != tun && "$LAB_MODE" != fnat ]] && continue
		ip netns add "$(lab_ns "$role")"
		ip -n "$(lab_ns "$role")" link set lo up
		# No IPv6 DAD on the links created below: their link-local
		# addresses are usable at once, and the kernel sends neighbour
		# solicitations (it needs a non-tentative link-local for them).
		lab_exec "$role" sysctl -qw net.ipv6.conf.all.accept_dad=0 \
			net.ipv6.conf.default.accept_dad=0
	done
	for br in br0 br1; do
		[[ "$br" == br1 && "$LAB_MODE" == dr ]] && continue
		# STP off and no forward delay: ports forward at once.
		ip -n "$(lab_ns sw)" link add "$br" type bridge stp_state 0 \
			forward_delay 0
		ip -n "$(lab_ns sw)" link set "$br" up
	done

	# In tun mode the director's IPIP encapsulation adds 20 bytes to a
	# full-sized client packet. Like a data centre fabric with a larger
	# MTU, the links behind the client carry 1600 so that the outer packet
	# fits; the client keeps 1500, so its packets (and MSS) stay normal.
	local under_mtu=1500
	[[ "$LAB_MODE" == tun ]] && under_mtu=$LAB_TUN_MTU

	lab_link cl eth0 br0
	ip -n "$(lab_ns cl)" addr add "$LAB_CLIENT_IP/24" dev eth0
	for ((i = 0; i < LAB_EXTRA_CLIENTS; i++)); do
		ip -n "$(lab_ns cl)" addr add "198.18.0.$((200 + i))/24" dev eth0
	done
	[[ "$LAB_MODE" == dr ]] &&
		ip -n "$(lab_ns cl)" addr add "$LAB_CLIENT_IP6/64" dev eth0 nodad

	lab_link lvs eth0 br0 "$under_mtu"
	ip -n "$(lab_ns lvs)" addr add "$LAB_DIRECTOR_IP/24" dev eth0
	# The VIP on the director's eth0 makes it answer ARP for the VIP, as
	# keepalived's virtual_ipaddress does in the seed.
	ip -n "$(lab_ns lvs)" addr add "$LAB_VIP/32" dev eth0
	if [[ "$LAB_MODE" == dr ]]; then
		# Likewise the IPv6 VIP: the director answers NS for it.
		ip -n "$(lab_ns lvs)" addr add "$LAB_DIRECTOR_IP6/64" dev eth0 nodad
		ip -n "$(lab_ns lvs)" addr add "$LAB_VIP6/128" dev eth0 nodad
	fi
	lab_xdp_pass p-lvs
}

# lab_topo_rs IDX BRIDGE GATEWAY MTU - real server IDX on BRIDGE.
lab_topo_rs() {
	local idx=$1 br=$2 gw=$3 mtu=$4 role=${LAB_RS_ROLES[$1]}

	lab_link "$role" eth0 "$br" "$mtu"
	ip -n "$(lab_ns "$role")" addr add "$(lab_rs_ip "$idx")/24" dev eth0
	[[ "$LAB_MODE" == dr ]] && ip -n "$(lab_ns "$role")" addr add \
		"$(lab_rs_ip6 "$idx")/64" dev eth0 nodad
	[[ -n "$gw" ]] && ip -n "$(lab_ns "$role")" route add default via "$gw"
	return 0
}

# lab_topo_dr - the seed's DR segment: everyone on br0.
lab_topo_dr() {
	lab_topo_rs 0 br0 "" 1500
	lab_topo_rs 1 br0 "" 1500
}

# lab_topo_tun - real servers on 198.18.1.0/24 behind a router.
lab_topo_tun() {
	lab_topo_router "$LAB_TUN_MTU" lvs cl
	lab_topo_rs 0 br1 198.18.1.254 "$LAB_TUN_MTU"
	lab_topo_rs 1 br1 198.18.1.254 "$LAB_TUN_MTU"
}

# lab_topo_router - the router between br0 (198.18.0.254) and br1
# (198.18.1.254) with MTU, and the route to 198.18.1.0/24 via it for the
# roles given.
lab_topo_router() {
	local mtu=$1 role; shift
	lab_link rtr eth0 br0 "$mtu"
	lab_link rtr eth1 br1 "$mtu"
	ip -n "$(lab_ns rtr)" addr add 198.18.0.254/24 dev eth0
	ip -n "$(lab_ns rtr)" addr add 198.18.1.254/24 dev eth1
	lab_exec rtr sysctl -qw net.ipv4.ip_forward=1
	# Replies come from the VIP (198.18.0.100) but arrive on eth1: a
	# strict reverse-path filter would drop them.
	lab_exec rtr sysctl -qw net.ipv4.conf.all.rp_filter=0 \
		net.ipv4.conf.eth1.rp_filter=0
	for role in "$@"; do
		ip -n "$(lab_ns "$role")" route add 198.18.1.0/24 via 198.18.0.254
	done
}

# lab_topo_fnat - FULLNAT: real servers behind the router route nothing
# special; the director reaches them one-armed and owns the local
# addresses their replies go to.
lab_topo_fnat() {
	local lip
	lab_topo_router 1500 lvs cl
	for lip in "${LAB_LIPS[@]}"; do
		ip -n "$(lab_ns lvs)" addr add "$lip/24" dev eth0
	done
	# FULLNAT routes replies with bpf_fib_lookup: forwarding on eth0.
	# accept_local: see lab_topo_nat.
	lab_exec lvs sysctl -qw net.ipv4.ip_forward=1 net.ipv4.conf.eth0.forwarding=1 \
		net.ipv4.conf.eth0.accept_local=1
	lab_topo_rs 0 br1 198.18.1.254 1500
	lab_topo_rs 1 br1 198.18.1.254 1500
}

# lab_topo_nat - real servers on 198.18.1.0/24 behind the director itself.
lab_topo_nat() {
	lab_link lvs eth1 br1
	lab_xdp_pass p-lvs-eth1
	ip -n "$(lab_ns lvs)" addr add 198.18.1.10/24 dev eth1
	# NAT (and TESTING.md 5's FIB lookup) need forwarding on the director.
	# accept_local: a reply to a client whose MAC the director does not
	# know yet goes through the kernel, translated, from the VIP (docs/nat.md).
	lab_exec lvs sysctl -qw net.ipv4.ip_forward=1 \
		net.ipv4.conf.eth0.forwarding=1 net.ipv4.conf.eth1.forwarding=1 \
		net.ipv4.conf.eth1.accept_local=1
	ip -n "$(lab_ns cl)" route add 198.18.1.0/24 via "$LAB_DIRECTOR_IP"
	lab_topo_rs 0 br1 198.18.1.10 1500
	lab_topo_rs 1 br1 198.18.1.10 1500
}

# ---------------------------------------------------------------------------
# Servers on the real servers
# ---------------------------------------------------------------------------

# lab_nginx_conf NAME DIR - an nginx config whose every path is in DIR.
# "/" answers "NAME\n"; /big.bin is a per-server random file for long
# downloads; every answer carries an X-Server header naming the server.
lab_nginx_conf() {
	local name=$1 d=$2
	cat <<EOF
user root;
worker_processes 1;
pid $d/nginx.pid;
error_log $d/error.log warn;
events { worker_connections 1024; }
http {
	access_log off;
	client_body_temp_path $d/tmp/body;
	proxy_temp_path $d/tmp/proxy;
	fastcgi_temp_path $d/tmp/fastcgi;
	uwsgi_temp_path $d/tmp/uwsgi;
	scgi_temp_path $d/tmp/scgi;
	default_type application/octet-stream;
	keepalive_requests 100000;
	server {
		listen $LAB_HTTP_PORT default_server;
		listen [::]:$LAB_HTTP_PORT default_server;
		root $d/www;
		add_header X-Server $name always;
		location = / {
			default_type text/plain;
			return 200 "$name\n";
		}
		# PUT /upload/FILE stores FILE: bulk client-to-server traffic
		# whose result can be compared byte for byte.
		location /upload/ {
			dav_methods PUT;
			create_full_put_path on;
			client_max_body_size 64m;
		}
	}
}
EOF
}

# lab_servers_start IDX - nginx and the UDP responder on real server IDX.
lab_servers_start() {
	local idx=$1 name=${LAB_RS_NAMES[$1]} role=${LAB_RS_ROLES[$1]}
	local d="$LAB_TMP/$role"

	mkdir -p "$d/tmp" "$d/www/upload"
	head -c "$LAB_BIG_SIZE" /dev/urandom >"$d/www/big.bin"
	lab_nginx_conf "$name" "$d" >"$d/nginx.conf"
	lab_exec "$role" nginx -q -c "$d/nginx.conf"
	lab_exec "$role" "$LAB_PY" "$LAB_DIR/udp-echo.py" --name "$name" \
		--port "$LAB_UDP_PORT" >"$d/udp.log" 2>&1 &
}

# lab_rs_big_sha IDX - sha256 of real server IDX's /big.bin.
lab_rs_big_sha() {
	sha256sum "$LAB_TMP/${LAB_RS_ROLES[$1]}/www/big.bin" | cut -d' ' -f1
}

# lab_check_direct - plain traffic from the client straight to each real
# server (no xvs involved): proves the topology before blaming xvs.
lab_check_direct() {
	local i ip body
	for i in "${!LAB_RS_NAMES[@]}"; do
		ip=$(lab_rs_ip "$i")
		lab_wait_until 5 lab_exec cl curl -s --max-time 1 "http://$ip/" ||
			lab_die "client cannot reach $ip:80" || return 1
		body=$(lab_exec cl curl -s --max-time 2 "http://$ip/")
		[[ "$body" == "${LAB_RS_NAMES[$i]}" ]] ||
			lab_die "$ip:80 answered '$body'" || return 1
		body=$(lab_exec cl "$LAB_PY" "$LAB_DIR/udp-probe.py" \
			--dst "$ip" --port "$LAB_UDP_PORT" --count 1)
		[[ "$body" == "${LAB_RS_NAMES[$i]}" ]] ||
			lab_die "$ip:$LAB_UDP_PORT (udp) answered '$body'" || return 1
		[[ "$LAB_MODE" == dr ]] || continue
		ip=$(lab_rs_ip6 "$i")
		body=$(lab_exec cl curl -s -6 --max-time 2 "http://[$ip]/")
		[[ "$body" == "${LAB_RS_NAMES[$i]}" ]] ||
			lab_die "[$ip]:80 answered '$body'" || return 1
	done
}

# The root namespace must never route lab addresses: its default route
# leads off the machine, so a command run there by mistake would send
# 198.18.0.0/15 or 2001:db8::/32 traffic out. While any lab is up, the
# root namespace blackholes both ranges. The routes carry their own metric
# so that lab_down removes only ours, and only when no other lab is left.
# "|| true": a missing route is fine, and must not trip a caller's ERR trap.
LAB_GUARD_METRIC=4198
lab_guard_root_up() {
	ip route replace blackhole 198.18.0.0/15 metric $LAB_GUARD_METRIC 2>/dev/null || true
	ip -6 route replace blackhole 2001:db8::/32 metric $LAB_GUARD_METRIC 2>/dev/null || true
	return 0
}

lab_guard_root_down() {
	local ns
	for ns in /run/netns/*-lvs; do
		[[ -e "$ns" && "$ns" != "/run/netns/$(lab_ns lvs)" ]] && return 0
	done
	ip route del blackhole 198.18.0.0/15 metric $LAB_GUARD_METRIC 2>/dev/null || true
	ip -6 route del blackhole 2001:db8::/32 metric $LAB_GUARD_METRIC 2>/dev/null || true
	return 0
}

# lab_up MODE - build the whole lab (dr, tun or nat) and start the servers.
# xvsd and xvs-rs are separate steps (lab_xvsd_start, lab_rs_up).
lab_up() {
	LAB_MODE=$1
	case "$LAB_MODE" in
	dr | tun | nat | fnat) ;;
	*) lab_die "unknown mode '$LAB_MODE' (dr|tun|nat|fnat)"; return 1 ;;
	esac
	lab_require || return 1
	lab_down_quiet
	lab_guard_root_up
	mkdir -p "$LAB_TMP"
	echo "$LAB_MODE" >"$LAB_TMP/mode"
	lab_log "up $LAB_MODE (prefix $LAB_PREFIX)"
	lab_topo_base
	"lab_topo_$LAB_MODE"
	lab_servers_start 0
	lab_servers_start 1
	lab_check_direct
}

# ---------------------------------------------------------------------------
# xvsd, xvsadm, xvs-rs
# ---------------------------------------------------------------------------

# lab_xvsd_start [ARGS...] - start xvsd in the director namespace on eth0
# (and eth1 in nat mode), wait until its control socket answers. The pid is
# in LAB_XVSD_PID and $LAB_TMP/xvsd.pid; the log in $LAB_TMP/xvsd.log.
lab_xvsd_start() {
	local ifs=(--interface eth0)

	[[ -x "$XVS_BIN/xvsd" ]] || lab_die "$XVS_BIN/xvsd not built" || return 1
	[[ "$LAB_MODE" == nat ]] && ifs+=(--interface eth1)
	lab_bpffs_ensure
	# nsenter itself, not the lab_bpfexec function: a backgrounded
	# function runs in a subshell, and $! would be that shell, not xvsd.
	# nsenter execs xvsd, so $! is xvsd's pid.
	nsenter --net="/run/netns/$(lab_ns lvs)" "$XVS_BIN/xvsd" -n -l \
		"${ifs[@]}" --xdp-mode "$LAB_XDP_MODE" --name "$LAB_XVSD_NAME" \
		"$@" >>"$LAB_TMP/xvsd.log" 2>&1 &
	LAB_XVSD_PID=$!
	echo "$LAB_XVSD_PID" >"$LAB_TMP/xvsd.pid"
	if ! lab_wait_until 10 lab_xvsd_ready; then
		lab_log "xvsd did not become ready; its log:"
		tail -n 30 "$LAB_TMP/xvsd.log" >&2
		return 1
	fi
}

lab_xvsd_ready() {
	kill -0 "$LAB_XVSD_PID" 2>/dev/null || return 2
	[[ -S "$LAB_CTL" ]] && lab_adm -Ln >/dev/null 2>&1
}

# lab_xvsd_alive - true while the xvsd we started runs.
lab_xvsd_alive() { [[ -n "$LAB_XVSD_PID" ]] && kill -0 "$LAB_XVSD_PID" 2>/dev/null; }

# lab_xvsd_stop [SIGNAL] - stop our xvsd (TERM by default) and wait for it.
# XDP and the pinned state stay; that is the point of a restart.
lab_xvsd_stop() {
	local sig=${1:-TERM} pid=${LAB_XVSD_PID:-}

	[[ -z "$pid" && -f "$LAB_TMP/xvsd.pid" ]] && pid=$(<"$LAB_TMP/xvsd.pid")
	[[ -n "$pid" ]] || return 0
	kill -"$sig" "$pid" 2>/dev/null || true
	lab_wait_until 5 lab_pid_gone "$pid" || kill -KILL "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	LAB_XVSD_PID=""
	rm -f "$LAB_TMP/xvsd.pid"
}

lab_pid_gone() { ! kill -0 "$1" 2>/dev/null; }

# lab_xvsd_log_tail [N] - the last N lines of the xvsd log, for failures.
lab_xvsd_log_tail() { tail -n "${1:-20}" "$LAB_TMP/xvsd.log" 2>/dev/null || true; }

# lab_adm ARGS... - xvsadm against this lab's xvsd.
lab_adm() {
	lab_exec lvs env XVS_CTL="$LAB_CTL" timeout 10 "$XVS_BIN/xvsadm" "$@"
}

# lab_rs_state_dir ROLE - xvs-rs keeps what "up" changed in a state file
# named after the device; every real server here has an eth0, and the
# filesystem is shared, so each needs its own directory.
lab_rs_state_dir() { echo "$LAB_TMP/$1/rs-state"; }

# lab_rs_up [dr|tun] - xvs-rs up on every real server: the VIP on lo (in dr
# mode the IPv6 VIP too), ARP suppression, and for tun the XDP IPIP
# decapsulator on eth0.
lab_rs_up() {
	local mode=${1:-$LAB_MODE} role vips=(--vip "$LAB_VIP")
	# NAT and FULLNAT real servers need nothing: no VIP, no ARP rules.
	[[ "$mode" == nat || "$mode" == fnat ]] && return 0
	[[ -x "$XVS_BIN/xvs-rs" ]] || lab_die "$XVS_BIN/xvs-rs not built" || return 1
	[[ "$mode" == dr && "$LAB_MODE" == dr ]] && vips+=(--vip "$LAB_VIP6")
	for role in "${LAB_RS_ROLES[@]}"; do
		lab_bpfexec "$role" "$XVS_BIN/xvs-rs" up "${vips[@]}" \
			--mode "$mode" --dev eth0 \
			--state-dir "$(lab_rs_state_dir "$role")" ||
			lab_die "xvs-rs up failed on $role" || return 1
	done
}

# lab_service_add PROTO_FLAG PORT SCHED FWD_FLAG [W1 [W2]] - one service on
# the VIP with both real servers, e.g. lab_service_add -t 80 wlc -g 1 1.
# With LAB_AF=6, on the IPv6 VIP and the real servers' IPv6 addresses.
# Then waits LAB_SETTLE_S: xvsd marks a new dest's next hop resolved only
# on its next 1 s housekeeping tick, and until then the data plane drops
# packets to it (XVS_CNT_DROP_NO_NEIGH), which costs the first TCP
# connection a 1 s SYN retransmit and loses the first UDP datagram.
# test_first_packet.sh checks exactly that; the other tests settle first.
lab_service_add() {
	local pf=$1 port=$2 sched=$3 fwd=$4 i rip rc vip
	local w=("${5:-1}" "${6:-1}")

	vip=$(lab_host "$(lab_vip)")
	lab_adm -A "$pf" "$vip:$port" -s "$sched" ||
		lab_die "xvsadm -A $pf $vip:$port -s $sched failed" || return 1
	for i in "${!LAB_RS_NAMES[@]}"; do
		rip=$(lab_host "$(lab_rs_addr "$i")")
		# Exit 124: xvsadm timed out, xvsd did not answer.
		lab_adm -a "$pf" "$vip:$port" -r "$rip:$port" "$fwd" \
			-w "${w[$i]}" || {
			rc=$?
			lab_die "xvsadm -a $pf $vip:$port -r $rip:$port" \
				"$fwd -w ${w[$i]} failed (exit $rc)"
			return 1
		}
	done
	sleep "$LAB_SETTLE_S"
}

# lab_stat_conns PROTO VIP:PORT RIP:PORT - the Conns column of a dest in
# "xvsadm -Ln --stats" (ipvsadm's format), or nothing when it is absent.
lab_stat_conns() {
	lab_adm -Ln --stats | awk -v svc="$1 $2" -v dst="$3" '
		$1 ~ /^(TCP|UDP|SCTP|FWM)$/ { cur = $1 " " $2; next }
		$1 == "->" && cur == svc && $2 == dst { print $3; exit }'
}

# lab_dest_listed PROTO VIP:PORT RIP:PORT - true when "xvsadm -Ln" lists it.
lab_dest_listed() {
	lab_adm -Ln | awk -v svc="$1 $2" -v dst="$3" '
		$1 ~ /^(TCP|UDP|SCTP|FWM)$/ { cur = $1 " " $2; next }
		$1 == "->" && cur == svc && $2 == dst { found = 1 }
		END { exit !found }'
}

# ---------------------------------------------------------------------------
# Client traffic
# ---------------------------------------------------------------------------

# lab_http_names COUNT [URL] - COUNT sequential new connections from the
# client (sources spread over the extra client addresses), one body line per
# answer, "ERR" for a failed request. Bounded: each curl has --max-time, and
# after 5 failures in a row the rest count as ERR without being tried, so a
# dead data plane fails a test in seconds, not COUNT x 3 s. With LAB_AF=6
# every request comes from the client's one IPv6 address (a new source port
# each time) to the IPv6 VIP.
lab_http_names() {
	local n=$1 url=${2:-http://$(lab_host "$(lab_vip)")/}
	lab_exec cl bash -c '
		n=$1 url=$2 extra=$3 af=$4 bad=0 src=()
		for ((i = 0; i < n; i++)); do
			if ((bad >= 5)); then echo ERR; continue; fi
			src=(-6)
			((af == 4)) && src=(--interface 198.18.0.$((200 + i % extra)))
			if curl -s --max-time 3 "${src[@]}" \
				-H "Connection: close" "$url"; then
				bad=0
			else
				echo ERR
				bad=$((bad + 1))
			fi
		done' _ "$n" "$url" "$LAB_EXTRA_CLIENTS" "$LAB_AF"
}

# lab_udp_names COUNT [PORT] - COUNT datagrams to the VIP, each from a new
# socket (a new source port, so a new xvs connection); one line per answer.
lab_udp_names() {
	lab_exec cl "$LAB_PY" "$LAB_DIR/udp-probe.py" --dst "$LAB_VIP" \
		--port "${2:-$LAB_UDP_PORT}" --count "$1"
}

# lab_count NAME <<<LINES - how many input lines equal NAME.
lab_count() { grep -cx -- "$1" || true; }

# lab_tally <<<LINES - "NAME COUNT" per distinct line, for humans.
lab_tally() { sort | uniq -c | awk '{ printf "  %-8s %s\n", $2, $1 }'; }

# ---------------------------------------------------------------------------
# Teardown
# ---------------------------------------------------------------------------

# lab_kill_ns ROLE - end every process inside our namespace ROLE (only
# processes we started live there), TERM first, KILL after 2 s.
lab_kill_ns() {
	local ns pids
	ns=$(lab_ns "$1")
	pids=$(ip netns pids "$ns" 2>/dev/null | tr '\n' ' ') || true
	[[ -n "${pids// /}" ]] || return 0
	# shellcheck disable=SC2086
	kill -TERM $pids 2>/dev/null || true
	for _ in $(seq 20); do
		pids=$(ip netns pids "$ns" 2>/dev/null | tr '\n' ' ') || true
		[[ -n "${pids// /}" ]] || return 0
		sleep 0.1
	done
	# shellcheck disable=SC2086
	kill -KILL $pids 2>/dev/null || true
}

lab_ns_exists() { [[ -e "/run/netns/$(lab_ns "$1")" ]]; }

# lab_down - remove everything this prefix created. Idempotent, never
# fails, safe to call from an EXIT trap at any stage of lab_up.
lab_down() {
	local role errexit=0
	[[ $- == *e* ]] && errexit=1
	set +e
	lab_xvsd_stop TERM
	# xvsd leaves XDP and its pins in place on exit, by design.
	if lab_ns_exists lvs && [[ -x "$XVS_BIN/xvsd" ]]; then
		lab_bpfexec lvs timeout 10 "$XVS_BIN/xvsd" \
			--name "$LAB_XVSD_NAME" --cleanup >/dev/null 2>&1
	fi
	for role in "${LAB_RS_ROLES[@]}"; do
		lab_ns_exists "$role" && [[ -x "$XVS_BIN/xvs-rs" ]] &&
			lab_bpfexec "$role" timeout 10 "$XVS_BIN/xvs-rs" down \
				--dev eth0 --state-dir "$(lab_rs_state_dir "$role")" \
				>/dev/null 2>&1
	done
	for role in "${LAB_ALL_ROLES[@]}"; do
		lab_ns_exists "$role" || continue
		lab_kill_ns "$role"
		ip netns del "$(lab_ns "$role")" 2>/dev/null
	done
	# Belt and braces, if --cleanup could not run: our pins, our socket.
	[[ -d "/sys/fs/bpf/xvs/$LAB_XVSD_NAME" ]] &&
		rm -rf "/sys/fs/bpf/xvs/$LAB_XVSD_NAME"
	rm -f "$LAB_CTL"
	rm -rf "$LAB_TMP"
	lab_guard_root_down
	((errexit)) && set -e
	return 0
}

# lab_down_quiet - lab_down for leftovers of a crashed run with our prefix.
lab_down_quiet() { lab_down >/dev/null 2>&1; }

# ---------------------------------------------------------------------------
# CLI
# ---------------------------------------------------------------------------

lab_usage() {
	cat <<EOF
usage: lab/lab.sh up dr|tun|nat|fnat build the lab, start nginx + UDP responders
       lab/lab.sh xvsd [ARGS]      start xvsd on the director (background)
       lab/lab.sh rs-up            xvs-rs up on the real servers
       lab/lab.sh adm ARGS         xvsadm against the lab's xvsd
       lab/lab.sh exec ROLE CMD    run CMD in cl|lvs|web1|web2|rtr|sw
       lab/lab.sh down             tear everything down
Prefix: XVS_LAB_PREFIX (default "xvslab-"), now "$LAB_PREFIX".
EOF
}

lab_main() {
	set -euo pipefail
	local cmd=${1:-}
	[[ $# -gt 0 ]] && shift
	# Commands after "up" run in a new process: recover the mode.
	[[ -f "$LAB_TMP/mode" ]] && LAB_MODE=$(<"$LAB_TMP/mode")
	case "$cmd" in
	up)
		[[ $# -eq 1 ]] || { lab_usage; return 2; }
		# On failure, leave nothing half-built behind.
		trap 'lab_down' ERR
		lab_up "$1"
		trap - ERR
		lab_log "ready: client $LAB_CLIENT_IP, VIP $LAB_VIP;" \
			"try: lab/lab.sh exec cl curl http://$(lab_rs_ip 0)/"
		;;
	xvsd)
		# Detach so that this CLI returns; "down" stops it.
		lab_xvsd_start "$@"
		lab_log "xvsd $LAB_XVSD_NAME pid $LAB_XVSD_PID, log $LAB_TMP/xvsd.log"
		disown "$LAB_XVSD_PID"
		;;
	rs-up) lab_rs_up ;;
	adm) lab_adm "$@" ;;
	exec) lab_exec "$@" ;;
	down) lab_down ;;
	*) lab_usage; [[ "$cmd" == -h || "$cmd" == help ]] ;;
	esac
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
	lab_main "$@"
fi
