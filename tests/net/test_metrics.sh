#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# test_metrics.sh - xvsd --metrics: /metrics scraped from the client under
# real traffic (DR; TCP over IPv4 and IPv6, UDP). Checks that every
# node_ipvs metric and label set is there with values equal to
# "xvsadm -Ln" and "xvsadm -Ln --stats --exact", the seed's lvs_* with
# their labels, "xvsadm -Ln --json" against the same listings, a drop and
# passes by reason, promtool accepts the exposition and the rules file
# (test_metrics_kconf.sh checks the dashboard); and that bad requests
# (wrong path or method, a body, huge headers, garbage, too many
# connections) get proper HTTP errors while the data plane and xvsd's
# event loop carry on.
source "$(dirname "$0")/lib.sh"

MX_PORT=9100
MX_URL=http://$LAB_DIRECTOR_IP:$MX_PORT
CHECK=$T_DIR/metrics_check.py
DEPLOY=$T_DIR/../../deploy

# scrape FILE [PATH] - the body of a GET from the client; prints the status.
scrape() {
	lab_exec cl curl -s --max-time 5 -o "$1" -w '%{http_code}' "$MX_URL${2:-/metrics}" ||
		echo "curl-failed"
}

# check_py ARGS... - metrics_check.py, its lines shown; status of the check.
check_py() {
	local out rc=0
	out=$("$LAB_PY" "$CHECK" "$@" 2>&1) || rc=$?
	sed 's/^/        /' <<<"$out"
	return "$rc"
}

# status METHOD PATH [CURL ARGS...] - the HTTP status of one request.
status() {
	local m=$1 p=$2; shift 2
	lab_exec cl curl -s --max-time 5 -o /dev/null -w '%{http_code}' -X "$m" "$@" \
		"$MX_URL$p" || true
}

t_begin dr --metrics "$LAB_DIRECTOR_IP:$MX_PORT"
lab_service_add -t 80 wlc -g 3 1
lab_service_add -u "$LAB_UDP_PORT" rr -g
LAB_AF=6 lab_service_add -t 80 rr -g

# --- under traffic: scrapes answer, parse, and counters only grow --------
lab_http_names "$(t_scale 200 2000)" >/dev/null &
load=$!
prev=0
for i in 1 2 3 4; do
	code=$(scrape "$LAB_TMP/busy$i.prom")
	t_expect_eq "scrape $i during traffic: HTTP status" "$code" 200
	t_check "scrape $i during traffic: promtool check metrics" \
		eval 'promtool check metrics <"$LAB_TMP/busy$i.prom"'
	conns=$(awk '$1 == "node_ipvs_connections_total" { print $2 }' "$LAB_TMP/busy$i.prom")
	t_expect_ge "scrape $i: node_ipvs_connections_total does not go back" "$conns" "$prev"
	prev=$conns
	sleep 1.1
done
wait "$load"
lab_udp_names 20 >/dev/null
LAB_AF=6 lab_http_names 20 >/dev/null
# One idle connection held open: ActiveConn 1 that stays put.
lab_exec cl "$LAB_PY" -c 'import socket, time
s = socket.create_connection(("'"$LAB_VIP"'", 80)); time.sleep(40)' &
idle=$!

# --- quiet: the scrape equals xvsadm --------------------------------------
# The text is rendered at most once per 1 s tick: read xvsadm, scrape, read
# xvsadm again, until both reads agree (nothing moved in between).
same=0
for try in 1 2 3 4 5 6; do
	sleep 1.2
	lab_adm -Ln >"$LAB_TMP/ln1"; lab_adm -Ln --stats --exact >"$LAB_TMP/st1"
	code=$(scrape "$LAB_TMP/quiet.prom")
	lab_adm -Ln --json >"$LAB_TMP/json"
	lab_adm -Ln >"$LAB_TMP/ln2"; lab_adm -Ln --stats --exact >"$LAB_TMP/st2"
	if cmp -s "$LAB_TMP/ln1" "$LAB_TMP/ln2" && cmp -s "$LAB_TMP/st1" "$LAB_TMP/st2" &&
		grep -q "Route *[0-9]* *1 " "$LAB_TMP/ln1"; then
		same=1
		break
	fi
done
t_expect_eq "xvsadm steady around a scrape (tries: $try)" "$same" 1
t_expect_eq "quiet scrape: HTTP status" "$code" 200
t_info "xvsadm -Ln --stats --exact:"
sed 's/^/        /' "$LAB_TMP/st1"
t_check "every node_ipvs metric and label set, values as xvsadm" \
	check_py compare "$LAB_TMP/quiet.prom" "$LAB_TMP/ln1" "$LAB_TMP/st1"
t_check "xvsadm -Ln --json lists the same services, dests and counters" \
	check_py json "$LAB_TMP/json" "$LAB_TMP/ln1" "$LAB_TMP/st1"
t_check "promtool check metrics accepts the exposition" \
	eval 'promtool check metrics <"$LAB_TMP/quiet.prom"'
kill "$idle" 2>/dev/null || true

# --- data-plane counters: a SYN to a service without dests is dropped -----
# sample FILE SERIES - the value of one series in a scrape.
sample() { awk -v s="$2" '$1 == s { print $2 }' "$1"; }
lab_adm -A -t "$LAB_VIP:81" -s rr
lab_exec cl curl -s --max-time 1 "http://$LAB_VIP:81/" >/dev/null || true
sleep 1.1	# the next tick renders anew
scrape "$LAB_TMP/drops.prom" >/dev/null
t_expect_ge 'xvs_dp_drops_total{reason="no_dest"}: the SYN to a service without dests' \
	"$(sample "$LAB_TMP/drops.prom" 'xvs_dp_drops_total{reason="no_dest"}')" 1
# Every scrape is itself traffic to the director's own address.
t_expect_ge 'xvs_dp_passes_total{reason="no_service"} grew with the scrapes' \
	"$(sample "$LAB_TMP/drops.prom" 'xvs_dp_passes_total{reason="no_service"}')" \
	"$(($(sample "$LAB_TMP/busy1.prom" 'xvs_dp_passes_total{reason="no_service"}') + 10))"

# --- the deploy files -------------------------------------------------------
t_check "promtool check rules deploy/prometheus/xvs-rules.yml" \
	promtool check rules "$DEPLOY/prometheus/xvs-rules.yml"
t_check "promtool test rules: the alerts fire on the series they should" \
	promtool test rules "$DEPLOY/prometheus/xvs-rules.test.yml"

# --- bad input --------------------------------------------------------------
t_expect_eq "GET / -> 404" "$(status GET /)" 404
t_expect_eq "GET /metricsx -> 404" "$(status GET /metricsx)" 404
t_expect_eq "GET /metrics/ -> 404" "$(status GET /metrics/)" 404
t_expect_eq "POST /metrics -> 405" "$(status POST /metrics -d x=1)" 405
t_expect_eq "DELETE /metrics -> 405" "$(status DELETE /metrics)" 405
t_expect_eq "GET /metrics with a body -> 413" "$(status GET /metrics -d body)" 413
big=$(head -c 20000 /dev/zero | tr '\0' a)
t_expect_eq "GET with a 20 kB header -> 431" "$(status GET /metrics -H "X-Big: $big")" 431
t_expect_eq "GET of a 20 kB URL -> 414" "$(status GET "/metrics?$big")" 414
t_expect_eq "HEAD /metrics -> 200" \
	"$(lab_exec cl curl -s -I --max-time 5 -o /dev/null -w '%{http_code}' "$MX_URL/metrics")" 200
# raw REQUEST - the status line of the answer to REQUEST (printf escapes).
raw() {
	lab_exec cl "$LAB_PY" "$CHECK" raw "$LAB_DIRECTOR_IP" "$MX_PORT" \
		"$(printf '%b' "$1" | od -An -tx1 | tr -d ' \n')"
}
t_expect_eq "a header line without a colon -> 400" \
	"$(raw 'GET /metrics HTTP/1.1\r\nno colon here\r\n\r\n')" "HTTP/1.1 400 Bad Request"
t_expect_eq "HTTP/9.9 -> 505" \
	"$(raw 'GET /metrics HTTP/9.9\r\nHost: x\r\n\r\n')" "HTTP/1.1 505 HTTP Version Not Supported"
t_expect_eq "an HTTP/1.0 request -> 200" "$(raw 'GET /metrics HTTP/1.0\r\n\r\n')" "HTTP/1.1 200 OK"

# Many scrapers at once: each gets an answer (200, or 503 past the soft limit).
lab_exec cl bash -c 'for i in $(seq 40); do
	curl -s --max-time 5 -o /dev/null -w "%{http_code}\n" "$1/metrics" & done; wait' \
	_ "$MX_URL" >"$LAB_TMP/par.txt"
t_expect_eq "40 parallel scrapes: every one answered 200 or 503" \
	"$(grep -cE '^(200|503)$' "$LAB_TMP/par.txt")" 40

# Idle connections past the soft limit (32): a request gets 503 + Retry-After;
# past the hard limit (64) xvsd accepts no more: they wait in the listen
# queue (Recv-Q of the listening socket) until a slot frees.
lab_exec cl "$LAB_PY" "$CHECK" hold "$LAB_DIRECTOR_IP" "$MX_PORT" 40 8 >"$LAB_TMP/hold1" &
h1=$!
lab_wait_until 5 grep -q held "$LAB_TMP/hold1"
hdr=$(lab_exec cl curl -s -i --max-time 5 "$MX_URL/metrics" | tr -d '\r')
t_expect_eq "40 idle connections held: a scrape gets 503" \
	"$(head -n1 <<<"$hdr")" "HTTP/1.1 503 Service Unavailable"
t_check "the 503 says Retry-After" grep -qx "Retry-After: 1" <<<"$hdr"
lab_exec cl "$LAB_PY" "$CHECK" hold "$LAB_DIRECTOR_IP" "$MX_PORT" 40 4 >"$LAB_TMP/hold2" &
h2=$!
lab_wait_until 5 grep -q held "$LAB_TMP/hold2"
queued=$(lab_exec lvs ss -Hltn "sport = :$MX_PORT" | awk '{ print $2 }')
t_expect_ge "80 idle connections: those past 64 not accepted (listen queue)" "$queued" 16
# Meanwhile the event loop and the data plane are unaffected.
t_check "xvsd's control socket answers while the endpoint is full" lab_adm -Ln
out=$(lab_http_names 10)
t_expect_eq "HTTP through the VIP while the endpoint is full" \
	"$(grep -c web- <<<"$out")" 10
wait "$h1" "$h2"
ok=0
for i in 1 2 3 4 5; do
	[[ "$(status GET /metrics)" == 200 ]] && { ok=1; break; }
	sleep 1
done
t_expect_eq "connections released: scrapes answer 200 again" "$ok" 1
scrape "$LAB_TMP/after.prom" >/dev/null
for code in 404 405 413 503; do
	n=$(awk -v c="$code" -F'[ "]' '$1 == "xvs_metrics_http_responses_total{code=" && $2 == c { print $4 }' \
		"$LAB_TMP/after.prom")
	t_expect_ge "xvs_metrics_http_responses_total{code=\"$code\"} counted" "${n:-}" 1
done
t_check "xvsd still running" lab_xvsd_alive
t_end
