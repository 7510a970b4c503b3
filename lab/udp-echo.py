#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""udp-echo.py - the lab's UDP real server: answers every datagram with
"NAME\n" (NAME names the server), so a test can count which real server
answered.

It binds the wildcard address, yet must answer *from the address the
datagram was sent to*: in DR and TUN mode that is the VIP on lo, and a
client whose socket is connected to the VIP drops a reply from the real
server's own address. IP_PKTINFO gives the destination of each datagram,
and the same control message on sendmsg() selects the reply's source.
"""
import argparse
import socket
import struct

IP_PKTINFO = 8  # <linux/in.h>; Python's socket module lacks the constant


def serve(name: bytes, port: int) -> None:
    """Answer forever; the lab ends us with SIGTERM."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.IPPROTO_IP, IP_PKTINFO, 1)
    sock.bind(("0.0.0.0", port))
    cmsg_space = socket.CMSG_SPACE(12)  # struct in_pktinfo
    while True:
        _, anc, _, peer = sock.recvmsg(2048, cmsg_space)
        dst = None
        for level, ctype, data in anc:
            if level == socket.IPPROTO_IP and ctype == IP_PKTINFO:
                # struct in_pktinfo { int ifindex; in_addr spec_dst, addr; }
                dst = data[8:12]
        anc_out = []
        if dst is not None:
            anc_out = [(socket.IPPROTO_IP, IP_PKTINFO,
                        struct.pack("=i4s4s", 0, dst, b"\0" * 4))]
        try:
            sock.sendmsg([name + b"\n"], anc_out, 0, peer)
        except OSError:
            pass  # an unreachable peer must not end the server


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--name", required=True)
    ap.add_argument("--port", type=int, default=9000)
    args = ap.parse_args()
    serve(args.name.encode(), args.port)


if __name__ == "__main__":
    main()
