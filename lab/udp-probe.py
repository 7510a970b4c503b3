#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""udp-probe.py - the lab's UDP client: sends COUNT datagrams to DST:PORT,
each from a fresh socket (a new source port, so a new flow for the load
balancer), and prints one line per datagram: the reply's text, or
"TIMEOUT". The socket is connected, so a reply from any address other than
DST (a real server answering from its own address) is not accepted.
"""
import argparse
import socket


def probe(dst: str, port: int, timeout: float, src: str) -> str:
    """One request/reply on a new socket; the reply's first line."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.settimeout(timeout)
        sock.bind((src, 0))
        sock.connect((dst, port))
        sock.send(b"ping\n")
        try:
            data = sock.recv(2048)
        except (socket.timeout, ConnectionRefusedError):
            return "TIMEOUT"
        return data.decode(errors="replace").strip() or "EMPTY"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--dst", required=True)
    ap.add_argument("--port", type=int, default=9000)
    ap.add_argument("--count", type=int, default=1)
    ap.add_argument("--timeout", type=float, default=1.0)
    ap.add_argument("--src", default="0.0.0.0")
    args = ap.parse_args()
    for _ in range(min(args.count, 100000)):
        print(probe(args.dst, args.port, args.timeout, args.src), flush=True)


if __name__ == "__main__":
    main()
