#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# test_check.sh - health checks with real nginx, from a keepalived.conf
# (xvsd -f): HTTP_GET with the digest xvs-genhash prints, TCP_CHECK,
# a wrong digest, inhibit_on_failure, MISC_CHECK with misc_dynamic and a
# hanging script killed at misc_timeout, and the sorry server.
#   - nginx stopped on web-01: its dest leaves within the configured time,
#     new requests all go to web-02, and no request fails after that;
#   - nginx restarted: the dest comes back;
#   - both down: the sorry server answers.
source "$(dirname "$0")/lib.sh"

SORRY_IP=198.18.0.13		# a second address of web-02 (see below)
DELAY_LOOP=1 CONNECT_TIMEOUT=1 RETRY=1 DELAY_BEFORE_RETRY=1
# keepalived's worst case from a failure to the verdict: the next check
# comes within delay_loop, then retry re-tries delay_before_retry apart,
# each failing at worst after connect_timeout.
DOWN_BOUND=$((DELAY_LOOP + CONNECT_TIMEOUT + RETRY * (DELAY_BEFORE_RETRY + CONNECT_TIMEOUT)))

web_conf() { echo "$LAB_TMP/${LAB_RS_ROLES[$1]}/nginx.conf"; }
nginx_stop() { lab_exec "${LAB_RS_ROLES[$1]}" nginx -c "$(web_conf "$1")" -s stop 2>/dev/null; }
nginx_start() { lab_exec "${LAB_RS_ROLES[$1]}" nginx -q -c "$(web_conf "$1")"; }
listed() { lab_dest_listed TCP "$LAB_VIP:$1" "$2:$1"; }
not_listed() { ! listed "$@"; }
# weight_of PORT RIP - the Weight column of RIP:PORT under VIP:PORT.
weight_of() {
	lab_adm -Ln | awk -v svc="TCP $LAB_VIP:$1" -v dst="$2:$1" '
		$1 == "TCP" { cur = $1 " " $2; next }
		$1 == "->" && cur == svc && $2 == dst { print $4; exit }'
}
weight_is() { [[ "$(weight_of "$1" "$2")" == "$3" ]]; }
now_ms() { date +%s%3N; }

# The config is written before the lab is up: the dr plan's addresses.
RS0=$(LAB_MODE=dr lab_rs_ip 0)
RS1=$(LAB_MODE=dr lab_rs_ip 1)
# The digests of the bodies nginx serves on "/" (lab.sh: "NAME\n").
d1=$(printf '%s\n' "${LAB_RS_NAMES[0]}" | md5sum | cut -d' ' -f1)
d2=$(printf '%s\n' "${LAB_RS_NAMES[1]}" | md5sum | cut -d' ' -f1)
dtls=$(printf 'tls-ok\n' | md5sum | cut -d' ' -f1)

timers="connect_timeout $CONNECT_TIMEOUT
			retry $RETRY
			delay_before_retry $DELAY_BEFORE_RETRY"
# Outside LAB_TMP, which lab_up empties; removed on exit below.
conf=/tmp/${LAB_PREFIX}check.conf
cat >"$conf" <<EOF
! health checks of test_check.sh
virtual_server $LAB_VIP 80 {
	delay_loop $DELAY_LOOP
	lb_algo rr
	lb_kind DR
	protocol TCP
	sorry_server $SORRY_IP 80
	real_server $RS0 80 {
		weight 1
		HTTP_GET {
			url {
				path /
				digest $d1
			}
			$timers
		}
	}
	real_server $RS1 80 {
		weight 1
		TCP_CHECK {
			$timers
		}
	}
}
# A wrong digest for web-01, the right one for web-02.
virtual_server $LAB_VIP 8080 {
	delay_loop $DELAY_LOOP
	lb_algo rr
	lb_kind DR
	protocol TCP
	real_server $RS0 8080 {
		HTTP_GET {
			connect_port 80
			url {
				path /
				digest 0123456789abcdef0123456789abcdef
			}
			$timers
		}
	}
	real_server $RS1 8080 {
		HTTP_GET {
			connect_port 80
			url {
				path /
				digest $d2
				status_code 200
			}
			$timers
		}
	}
}
# SSL_GET to an openssl s_server on web-01:443.
virtual_server $LAB_VIP 8443 {
	delay_loop $DELAY_LOOP
	lb_algo rr
	lb_kind DR
	protocol TCP
	real_server $RS0 8443 {
		SSL_GET {
			connect_port 443
			url {
				path /tls.txt
				digest $dtls
			}
			$timers
		}
	}
}
virtual_server $LAB_VIP 8081 {
	delay_loop $DELAY_LOOP
	lb_algo wrr
	lb_kind DR
	protocol TCP
	inhibit_on_failure
	real_server $RS0 8081 {
		weight 3
		TCP_CHECK {
			connect_port 80
			$timers
		}
	}
	real_server $RS1 8081 {
		weight 1
		MISC_CHECK {
			misc_path "exit 9"
			misc_dynamic
		}
	}
	real_server $SORRY_IP 8081 {
		weight 2
		MISC_CHECK {
			misc_path "sleep 60"
			misc_timeout 1
		}
	}
}
EOF

t_begin dr -f "$conf"
trap 'rc=$?; rm -f "$conf"; (exit $rc); t_cleanup' EXIT

# xvs-genhash from the director prints the digests the config uses.
t_expect_eq "xvs-genhash digest of web-01's /" \
	"$(lab_exec lvs "$XVS_BIN/xvs-genhash" -s "$(lab_rs_ip 0)" -p 80 -u /)" "$d1"
t_expect_eq "xvs-genhash digest of web-02's /" \
	"$(lab_exec lvs "$XVS_BIN/xvs-genhash" -s "$(lab_rs_ip 1)" -p 80 -u /)" "$d2"

# The sorry server: web-02 also answers on SORRY_IP; when both nginx are
# stopped, a Python server bound to the VIP on web-02 says "sorry".
lab_exec web2 ip addr add "$SORRY_IP/24" dev eth0
mkdir -p "$LAB_TMP/sorry"
echo sorry >"$LAB_TMP/sorry/index.html"

# A TLS server on web-01:443 for SSL_GET (self-signed: not verified, as
# keepalived does not verify either).
tls=$LAB_TMP/tls
mkdir -p "$tls"
echo tls-ok >"$tls/tls.txt"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
	-keyout "$tls/key.pem" -out "$tls/cert.pem" -days 1 -subj /CN=web-01 2>/dev/null
lab_exec web1 bash -c 'cd "$1" && exec openssl s_server -accept 443 -cert cert.pem \
	-key key.pem -WWW -quiet' _ "$tls" >/dev/null 2>&1 &

t_check "web-01 and web-02 in VIP:80" lab_wait_until 10 \
	eval 'listed 80 "$(lab_rs_ip 0)" && listed 80 "$(lab_rs_ip 1)"'
t_check "wrong digest: web-01 out of VIP:8080" lab_wait_until 10 \
	not_listed 8080 "$(lab_rs_ip 0)"
t_check "right digest and status: web-02 in VIP:8080" listed 8080 "$(lab_rs_ip 1)"
t_check "SSL_GET with the right digest: web-01 in VIP:8443" lab_wait_until 10 \
	listed 8443 "$RS0"
t_expect_eq "xvs-genhash -S digest of web-01's /tls.txt" \
	"$(lab_exec lvs "$XVS_BIN/xvs-genhash" -S -s "$RS0" -u /tls.txt)" "$dtls"
t_check "misc_dynamic exit 9: web-02 weight 7 in VIP:8081" lab_wait_until 10 \
	weight_is 8081 "$(lab_rs_ip 1)" 7
t_check "hanging MISC_CHECK killed at misc_timeout: inhibited to weight 0" \
	lab_wait_until 10 weight_is 8081 "$SORRY_IP" 0
# Scripts are xvsd's children: none may outlive misc_timeout (1 s) by
# much, and none may stay unreaped (a zombie).
stale=$({ ps -o etimes=,stat= --ppid "$LAB_XVSD_PID" || true; } |
	awk '$1 > 2 || $2 ~ /^Z/' | wc -l)
t_expect_eq "script children older than misc_timeout, or zombies" "$stale" 0
t_check "sorry server not in VIP:80 while quorum holds" not_listed 80 "$SORRY_IP"
sleep "$LAB_SETTLE_S"
t_http_balance 20 " (both checks up)"

# Steady client traffic while web-01 goes down: one request every 50 ms.
# A request may take up to 5 s: on a loaded machine a lost SYN costs a 1 s
# retransmission, which must not count as a failure of the checker.
traffic=$LAB_TMP/traffic.log
lab_exec cl bash -c '
	for ((i = 0; i < 160; i++)); do
		t=$(date +%s%3N)
		r=$(curl -s --max-time 5 -H "Connection: close" "http://$1/") || r=ERR
		echo "$t ${r:-ERR}"
		sleep 0.05
	done' _ "$LAB_VIP" >"$traffic" &
traffic_pid=$!
sleep 1

t_stop=$(now_ms)
nginx_stop 0
lab_wait_until 15 not_listed 80 "$(lab_rs_ip 0)" || true
t_gone=$(now_ms)
t_check "web-01 removed from VIP:80 after nginx stopped" not_listed 80 "$(lab_rs_ip 0)"
t_info "removed $((t_gone - t_stop)) ms after the stop (configured worst case ${DOWN_BOUND} s)"
t_check "removed within the configured time" \
	test $((t_gone - t_stop)) -le $((DOWN_BOUND * 1000 + 1000))
t_check "inhibit_on_failure: web-01 stays in VIP:8081 with weight 0" \
	lab_wait_until 5 weight_is 8081 "$(lab_rs_ip 0)" 0
wait "$traffic_pid" || true

# A reload keeps verdicts: web-01 (down) does not come back in, even for
# a moment, and web-02 stays.
kill -HUP "$LAB_XVSD_PID"
for _ in 1 2 3 4 5 6 7 8 9 10; do
	listed 80 "$RS0" && break
	sleep 0.1
done
t_check "SIGHUP: web-01 still out of VIP:80" not_listed 80 "$RS0"
t_check "SIGHUP: web-02 still in VIP:80" listed 80 "$RS1"

# Every request after the removal went to web-02; failures only before.
late() { awk -v t="$t_gone" -v r="$1" '$1 > t && $2 == r' "$traffic" | wc -l; }
late_fail=$(late ERR)
late_web1=$(late "${LAB_RS_NAMES[0]}")
late_web2=$(late "${LAB_RS_NAMES[1]}")
early_fail=$(awk -v t="$t_gone" '$1 <= t && $2 == "ERR"' "$traffic" | wc -l)
t_info "traffic: $(wc -l <"$traffic") requests; failed before the removal: $early_fail" \
	"(sent to web-01 after its nginx stopped); after it: web-02 $late_web2," \
	"web-01 $late_web1, failed $late_fail"
((late_fail)) && t_info "failed after the removal, ms after it:" \
	"$(awk -v t="$t_gone" '$1 > t && $2 == "ERR" { print $1 - t }' "$traffic" | xargs)"
t_expect_eq "requests failed after the removal" "$late_fail" 0
t_expect_eq "requests answered by web-01 after the removal" "$late_web1" 0
t_expect_ge "requests answered by web-02 after the removal" "$late_web2" 20
n=30
out=$(lab_http_names $n)
t_expect_eq "new requests all to web-02" "$(lab_count "${LAB_RS_NAMES[1]}" <<<"$out")" $n

nginx_start 0
t_check "nginx restarted: web-01 back in VIP:80" lab_wait_until 10 listed 80 "$(lab_rs_ip 0)"
t_check "web-01 back to weight 3 in VIP:8081" lab_wait_until 5 weight_is 8081 "$(lab_rs_ip 0)" 3
sleep "$LAB_SETTLE_S"
t_http_balance 20 " (web-01 back)"

# Both down: quorum (1) is lost, the sorry server replaces them.
nginx_stop 0
nginx_stop 1
lab_exec web2 "$LAB_PY" -m http.server 80 --bind "$LAB_VIP" \
	--directory "$LAB_TMP/sorry" >/dev/null 2>&1 &
t_check "both down: sorry server in VIP:80" lab_wait_until 15 listed 80 "$SORRY_IP"
t_check "both down: web-01 and web-02 out of VIP:80" \
	eval 'not_listed 80 "$(lab_rs_ip 0)" && not_listed 80 "$(lab_rs_ip 1)"'
sleep "$LAB_SETTLE_S"
out=$(lab_http_names 10)
t_expect_eq "both down: the sorry server answers" "$(lab_count sorry <<<"$out")" 10
t_check "xvsd survived" lab_xvsd_alive
t_end
