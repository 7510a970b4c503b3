#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""udp-probe.py - the lab's UDP client: sends COUNT datagrams to DST:PORT,
each from a fresh socket (a new source port, so a new flow for the load
balancer), or with --flow all from one socket (one flow), and prints one
line per datagram: the reply's text, or "TIMEOUT". The socket is connected, so a reply from any address other than
DST (a real server answering from its own address) is not accepted.
"""
import argparse
import socket


def ask(sock: socket.socket) -> str:
    """One request/reply on a connected socket; the reply's first line."""
    sock.send(b"ping\n")
    try:
        data = sock.recv(2048)
    except (socket.timeout, ConnectionRefusedError):
        return "TIMEOUT"
    return data.decode(errors="replace").strip() or "EMPTY"


def connect(dst: str, port: int, timeout: float, src: str) -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.settimeout(timeout)
    sock.bind((src, 0))
    sock.connect((dst, port))
    return sock


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--dst", required=True)
    ap.add_argument("--port", type=int, default=9000)
    ap.add_argument("--count", type=int, default=1)
    ap.add_argument("--timeout", type=float, default=1.0)
    ap.add_argument("--src", default="0.0.0.0")
    ap.add_argument("--flow", action="store_true",
                    help="send every datagram from one socket")
    args = ap.parse_args()
    count = min(args.count, 100000)
    if args.flow:
        with connect(args.dst, args.port, args.timeout, args.src) as sock:
            for _ in range(count):
                print(ask(sock), flush=True)
        return
    for _ in range(count):
        with connect(args.dst, args.port, args.timeout, args.src) as sock:
            print(ask(sock), flush=True)


if __name__ == "__main__":
    main()
