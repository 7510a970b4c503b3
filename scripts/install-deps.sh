#!/bin/sh
# Install the Debian 12 packages xvs needs to build, test and run its lab.
# Idempotent: does nothing when every package is already present.
set -eu

PKGS="make gcc clang llvm libbpf-dev libelf-dev zlib1g-dev bpftool libmnl-dev
libcmocka-dev pkg-config iproute2 ethtool curl wrk iperf3 nginx-light
python3 tcpdump procps util-linux kmod keepalived libmicrohttpd-dev prometheus haproxy
libnginx-mod-stream gnuplot-nox libssl-dev openssl"

missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "install-deps: missing packages:$missing (run as root to install)" >&2
	exit 1
fi
echo "install-deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing
