#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""vrrp-send.py - send one crafted VRRPv2 advert (IPv4, raw socket with our
own IP header) for the VRRP bad-input tests: a forged source, TTL, VRID,
priority, password, checksum or length. Run inside a lab namespace only.

usage: vrrp-send.py SRC DST [--vrid N] [--prio N] [--auth PASS] [--ttl N]
                    [--int S] [--bad-csum] [--truncate N] [--count N]
"""
import argparse
import importlib
import os
import socket
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
csum = importlib.import_module("pkt-fuzz").csum   # the lab's RFC 1071 sum


def advert(a):
    auth = a.auth.encode()[:8].ljust(8, b"\0") if a.auth else b"\0" * 8
    vip = socket.inet_aton(a.vip)
    body = struct.pack("!BBBBBBH", 0x21, a.vrid, a.prio, 1,
                       1 if a.auth else 0, a.int, 0) + vip + auth
    c = csum(body)
    if a.bad_csum:
        c ^= 0x0101
    body = body[:6] + struct.pack("!H", c) + body[8:]
    if a.truncate is not None:
        body = body[:a.truncate]
    return body


def ip_header(a, payload_len):
    # The kernel fills in the IP checksum and ID with IP_HDRINCL.
    return struct.pack("!BBHHHBBH4s4s", 0x45, 0xC0, 20 + payload_len, 0, 0,
                       a.ttl, 112, 0, socket.inet_aton(a.src),
                       socket.inet_aton(a.dst))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("src")
    p.add_argument("dst")
    p.add_argument("--vip", default="198.18.0.100")
    p.add_argument("--vrid", type=int, default=51)
    p.add_argument("--prio", type=int, default=254)
    p.add_argument("--auth", default="YourStro")
    p.add_argument("--ttl", type=int, default=255)
    p.add_argument("--int", type=int, default=1)
    p.add_argument("--bad-csum", action="store_true")
    p.add_argument("--truncate", type=int)
    p.add_argument("--count", type=int, default=1)
    a = p.parse_args()
    body = advert(a)
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
    s.setsockopt(socket.IPPROTO_IP, socket.IP_HDRINCL, 1)
    for _ in range(min(a.count, 100)):
        s.sendto(ip_header(a, len(body)) + body, (a.dst, 0))


if __name__ == "__main__":
    main()
