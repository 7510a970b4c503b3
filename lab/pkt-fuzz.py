#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""pkt-fuzz.py - send malformed frames to the director's MAC, as raw
Ethernet through AF_PACKET (no hping3 or scapy needed).

usage: pkt-fuzz.py DEV DST_MAC SRC_IP VIP [ROUNDS]

Each round sends every crafted case once (truncated and lying IPv4
headers, bad IHL, TCP/UDP headers cut short, TCP data offsets past the end,
IP options, fragments, ICMP errors quoting garbage, IPIP with a broken inner
header, truncated IPv6, VLAN tags, runt frames) plus random bytes. Prints a
count. The verdict is whether the director still forwards afterwards.
"""
import random
import socket
import struct
import sys

ETH_P_IP = 0x0800
ETH_P_IPV6 = 0x86DD
ETH_P_8021Q = 0x8100
ETH_P_ARP = 0x0806


def csum(data: bytes) -> int:
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def ipv4(src, dst, proto, payload, ihl=5, tot=None, frag=0, opts=b"",
         fix_csum=True):
    """An IPv4 header that may lie about its IHL and total length."""
    tot = 20 + len(opts) + len(payload) if tot is None else tot
    h = struct.pack("!BBHHHBBH4s4s", (4 << 4) | (ihl & 0xF), 0, tot & 0xFFFF,
                    0x1234, frag, 64, proto, 0, socket.inet_aton(src),
                    socket.inet_aton(dst)) + opts
    if fix_csum:
        h = h[:10] + struct.pack("!H", csum(h)) + h[12:]
    return h + payload


def tcp(sport, dport, flags=0x02, doff=5, extra=b""):
    return struct.pack("!HHIIBBHHH", sport, dport, 1, 0, (doff & 0xF) << 4,
                       flags, 65535, 0, 0) + extra


def udp(sport, dport, payload=b"x", length=None):
    length = 8 + len(payload) if length is None else length
    return struct.pack("!HHHH", sport, dport, length & 0xFFFF, 0) + payload


def cases(src, vip, rnd):
    sp = rnd.randrange(1024, 65535)
    syn = tcp(sp, 80)
    good_inner = ipv4(vip, src, 6, tcp(80, sp, 0x12))
    yield "no-ip-payload", ETH_P_IP, b""
    yield "ip-10-bytes", ETH_P_IP, ipv4(src, vip, 6, syn)[:10]
    yield "ip-ihl-3", ETH_P_IP, ipv4(src, vip, 6, syn, ihl=3)
    yield "ip-ihl-15-short", ETH_P_IP, ipv4(src, vip, 6, syn, ihl=15)
    yield "ip-tot-too-big", ETH_P_IP, ipv4(src, vip, 6, syn, tot=1500)
    yield "ip-tot-too-small", ETH_P_IP, ipv4(src, vip, 6, syn, tot=21)
    yield "ip-bad-csum", ETH_P_IP, ipv4(src, vip, 6, syn, fix_csum=False)
    yield "ip-version-6-in-v4", ETH_P_IP, b"\x65" + ipv4(src, vip, 6, syn)[1:]
    yield "tcp-4-bytes", ETH_P_IP, ipv4(src, vip, 6, syn[:4])
    yield "tcp-doff-15", ETH_P_IP, ipv4(src, vip, 6, tcp(sp, 80, doff=15))
    yield "tcp-doff-2", ETH_P_IP, ipv4(src, vip, 6, tcp(sp, 80, doff=2))
    yield "tcp-all-flags", ETH_P_IP, ipv4(src, vip, 6, tcp(sp, 80, 0xFF))
    yield "tcp-no-flags", ETH_P_IP, ipv4(src, vip, 6, tcp(sp, 80, 0))
    yield "tcp-ip-options", ETH_P_IP, ipv4(src, vip, 6, syn, ihl=6,
                                           opts=b"\x01\x01\x01\x00")
    yield "tcp-opt-len-0", ETH_P_IP, ipv4(src, vip, 6, tcp(
        sp, 80, doff=6, extra=b"\x02\x00\x00\x00"))
    yield "frag-first", ETH_P_IP, ipv4(src, vip, 6, syn, frag=0x2000)
    yield "frag-middle", ETH_P_IP, ipv4(src, vip, 6, syn, frag=0x2000 | 100)
    yield "frag-last", ETH_P_IP, ipv4(src, vip, 6, syn[:8], frag=7)
    yield "udp-2-bytes", ETH_P_IP, ipv4(src, vip, 17, b"\0\1")
    yield "udp-len-lies", ETH_P_IP, ipv4(src, vip, 17, udp(sp, 9000,
                                                           length=9000))
    yield "udp-len-0", ETH_P_IP, ipv4(src, vip, 17, udp(sp, 9000, length=0))
    yield "icmp-2-bytes", ETH_P_IP, ipv4(src, vip, 1, b"\x03\x04")
    yield "icmp-err-garbage", ETH_P_IP, ipv4(
        src, vip, 1, b"\x03\x04\0\0\0\0\x05\xdc" + bytes(12))
    yield "icmp-err-quote", ETH_P_IP, ipv4(
        src, vip, 1, b"\x03\x04\0\0\0\0\x05\xdc" + good_inner[:24])
    yield "ipip-short-inner", ETH_P_IP, ipv4(src, vip, 4, b"\x45\0\0")
    yield "ipip-inner-syn", ETH_P_IP, ipv4(src, vip, 4,
                                           ipv4(src, vip, 6, syn))
    yield "ipv6-8-bytes", ETH_P_IPV6, b"\x60" + bytes(7)
    yield "ipv6-hdr-only", ETH_P_IPV6, b"\x60" + bytes(3) + \
        struct.pack("!HBB", 100, 6, 64) + bytes(32)
    yield "ipv6-ext-loop", ETH_P_IPV6, b"\x60" + bytes(3) + \
        struct.pack("!HBB", 16, 0, 64) + bytes(32) + b"\0\xff" + bytes(14)
    yield "vlan-ip", ETH_P_8021Q, struct.pack("!HH", 5, ETH_P_IP) + \
        ipv4(src, vip, 6, syn)
    yield "vlan-truncated", ETH_P_8021Q, b"\0"
    yield "qinq", ETH_P_8021Q, struct.pack("!HH", 5, ETH_P_8021Q) * 10
    yield "arp-short", ETH_P_ARP, b"\0\1\x08\0"
    yield "random", rnd.choice([ETH_P_IP, ETH_P_IPV6, ETH_P_8021Q]), \
        bytes(rnd.getrandbits(8) for _ in range(rnd.randrange(0, 200)))


def main():
    if len(sys.argv) < 5:
        sys.exit(__doc__)
    dev, dmac, src, vip = sys.argv[1:5]
    rounds = min(int(sys.argv[5]) if len(sys.argv) > 5 else 10, 1000)
    dst = bytes.fromhex(dmac.replace(":", ""))
    rnd = random.Random(4321)
    sent = 0
    with socket.socket(socket.AF_PACKET, socket.SOCK_RAW) as sock:
        sock.bind((dev, 0))
        smac = sock.getsockname()[4]
        for _ in range(rounds):
            for _, etype, payload in cases(src, vip, rnd):
                frame = dst + smac + struct.pack("!H", etype) + payload
                try:
                    sock.send(frame)
                    sent += 1
                except OSError:
                    pass  # runts below the minimum are fine to skip
            # A runt frame with no ethertype at all.
            try:
                sock.send(dst + smac[:3])
                sent += 1
            except OSError:
                pass
    print("pkt-fuzz: sent %d frames" % sent)


if __name__ == "__main__":
    main()
