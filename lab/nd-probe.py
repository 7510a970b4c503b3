#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""nd-probe.py - sends one IPv6 neighbour solicitation for TARGET out of DEV
and prints one line per neighbour advertisement for TARGET that arrives
within TIMEOUT: "SOURCE-ADDRESS TARGET-LINK-LAYER-ADDRESS". Without --dst
the solicitation goes to TARGET's solicited-node multicast group, as address
resolution does; with --dst to that unicast address, as a reachability probe
does, which shows what one host answers for TARGET. Prints nothing when no
one answers.
"""
import argparse
import ipaddress
import select
import socket
import struct
import time

ND_NS, ND_NA = 135, 136
OPT_SLLA, OPT_TLLA = 1, 2


def solicited_node(target: ipaddress.IPv6Address) -> str:
    """ff02::1:ffXX:XXXX for TARGET (RFC 4291 2.7.1)."""
    low = target.packed[13:]
    return str(ipaddress.IPv6Address(
        bytes.fromhex("ff02" + "00" * 9 + "01ff") + low))


def mac_of(dev: str) -> bytes:
    with open(f"/sys/class/net/{dev}/address") as f:
        return bytes.fromhex(f.read().strip().replace(":", ""))


def tlla(opts: bytes) -> str:
    """The target link-layer address option of an NA, or "-"."""
    while len(opts) >= 8:
        kind, units = opts[0], opts[1]
        if units == 0:
            break
        if kind == OPT_TLLA and units * 8 >= 8:
            return opts[2:8].hex(":")
        opts = opts[units * 8:]
    return "-"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--target", required=True)
    ap.add_argument("--dst", help="unicast destination (default: multicast)")
    ap.add_argument("--dev", default="eth0")
    ap.add_argument("--timeout", type=float, default=1.0)
    args = ap.parse_args()

    target = ipaddress.IPv6Address(args.target)
    dst = args.dst or solicited_node(target)
    ifindex = socket.if_nametoindex(args.dev)
    sock = socket.socket(socket.AF_INET6, socket.SOCK_RAW,
                         socket.IPPROTO_ICMPV6)
    # RFC 4861 7.1.1: ND messages carry hop limit 255. The kernel fills
    # in the ICMPv6 checksum of a raw ICMPv6 socket.
    sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_UNICAST_HOPS, 255)
    sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_HOPS, 255)
    sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_IF, ifindex)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE,
                    args.dev.encode())
    ns = struct.pack("!BBHI", ND_NS, 0, 0, 0) + target.packed + \
        bytes([OPT_SLLA, 1]) + mac_of(args.dev)
    sock.sendto(ns, (dst, 0, 0, ifindex))

    deadline = time.monotonic() + args.timeout
    while True:
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([sock], [], [], left)[0]:
            break
        data, addr = sock.recvfrom(2048)
        if len(data) < 24 or data[0] != ND_NA:
            continue
        if ipaddress.IPv6Address(data[8:24]) != target:
            continue
        print(addr[0], tlla(data[24:]), flush=True)


if __name__ == "__main__":
    main()
