#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""slow-get.py - a paced HTTP/1.1 GET: one long-lived TCP connection.

usage: slow-get.py HOST PATH RATE_BYTES_PER_S BODY_FILE HEADER_FILE [MAX_S]

Reads the answer at RATE bytes per second with a small receive buffer, so
the transfer really lasts size/RATE seconds on the wire (curl 7.88's
--limit-rate overshoots by orders of magnitude here). Writes the body to
BODY_FILE as it arrives (flushed, so its size shows progress) and the
response header to HEADER_FILE. Exits 0 when the whole Content-Length
arrived, 1 otherwise; gives up after MAX_S seconds (default 60).
"""
import socket
import sys
import time

CHUNK = 8192
RCVBUF = 32768  # the kernel doubles it; keeps the window small


def main():
    if len(sys.argv) < 6:
        sys.exit(__doc__)
    host, path, rate, body_path, hdr_path = sys.argv[1:6]
    rate = max(int(rate), CHUNK)
    max_s = float(sys.argv[6]) if len(sys.argv) > 6 else 60.0
    deadline = time.monotonic() + max_s

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    # Before connect(), so that the window scale is chosen small.
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, RCVBUF)
    sock.settimeout(10)
    sock.connect((host, 80))
    sock.sendall(("GET %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n"
                  % (path, host)).encode())

    buf = b""
    while b"\r\n\r\n" not in buf:
        data = sock.recv(CHUNK)
        if not data:
            sys.exit("slow-get: connection closed in the header")
        buf += data
    head, body = buf.split(b"\r\n\r\n", 1)
    with open(hdr_path, "wb") as f:
        f.write(head + b"\r\n")
    length = None
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    if length is None:
        sys.exit("slow-get: no Content-Length")

    got = len(body)
    start = time.monotonic()
    with open(body_path, "wb") as out:
        out.write(body)
        out.flush()
        while got < length and time.monotonic() < deadline:
            # Pace: never ahead of RATE since the body started.
            ahead = got / rate - (time.monotonic() - start)
            if ahead > 0:
                time.sleep(ahead)
            data = sock.recv(min(CHUNK, length - got))
            if not data:
                break
            out.write(data)
            out.flush()
            got += len(data)
    sock.close()
    if got != length:
        sys.exit("slow-get: got %d of %d bytes" % (got, length))


if __name__ == "__main__":
    main()
