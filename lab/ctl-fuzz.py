#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""ctl-fuzz.py - feed xvsd's control socket malformed requests.

Modes:
  burst PATH   every malformed case once (bad magic/version, unknown
               commands, wrong and huge lengths, truncated headers and
               payloads, random bytes, many quick connections); prints one
               line per case with what the server did. Exit status is 0:
               the verdict is whether xvsd still serves afterwards.
  hold PATH S  send half a header and keep the connection open S seconds,
               to check that one stalled client does not block the daemon.

The framing is include/xvs/ctl-t.h: struct xvs_ctl_hdr { u32 magic;
u16 version; u16 cmd; u32 len; s32 status; } followed by len bytes.
"""
import os
import random
import socket
import struct
import sys
import time

MAGIC = 0x31535658
VERSION = 1
HDR = struct.Struct("<IHHIi")
SVC_KEY_LEN = 24  # struct xvs_svc_key
TIMEOUT = 2.0


def hdr(cmd, length, magic=MAGIC, version=VERSION, status=0):
    return HDR.pack(magic, version, cmd, length & 0xFFFFFFFF, status)


def connect(path):
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.settimeout(TIMEOUT)
    sock.connect(path)
    return sock


def outcome(sock):
    """What the server did after our bytes: a reply status, close, or
    silence (it waits for more bytes, which is fine)."""
    try:
        data = sock.recv(HDR.size)
    except socket.timeout:
        return "waits"
    except OSError as e:
        return "reset (%s)" % e.strerror
    if not data:
        return "closed"
    if len(data) < HDR.size:
        return "short reply (%d bytes)" % len(data)
    magic, _, cmd, length, status = HDR.unpack(data)
    if magic != MAGIC:
        return "reply with bad magic 0x%x" % magic
    return "reply cmd=%d len=%d status=%d" % (cmd, length, status)


def case(path, name, payload, shut=False):
    try:
        sock = connect(path)
    except OSError as e:
        print("%-28s connect failed: %s" % (name, e.strerror), flush=True)
        return
    with sock:
        try:
            sock.sendall(payload)
            if shut:
                sock.shutdown(socket.SHUT_WR)
            res = outcome(sock)
        except OSError as e:
            res = "send failed (%s)" % e.strerror
    print("%-28s %s" % (name, res), flush=True)


def burst(path):
    rnd = random.Random(1234)  # reproducible garbage
    cases = [
        ("random-bytes", bytes(rnd.getrandbits(8) for _ in range(4096))),
        ("zeros", b"\0" * 64),
        ("bad-magic", hdr(1, 0, magic=0xDEADBEEF)),
        ("bad-version", hdr(1, 0, version=99)),
        ("cmd-0", hdr(0, 0)),
        ("cmd-9999", hdr(9999, 0)),
        ("cmd-max", hdr(0xFFFF, 0)),
        ("get-info-with-payload", hdr(1, 8) + b"\1" * 8),
        ("add-service-len-1", hdr(2, 1) + b"\x7f"),
        ("add-service-len-0", hdr(2, 0)),
        ("add-dest-short", hdr(6, 10) + b"\xff" * 10),
        ("del-service-garbage", hdr(4, SVC_KEY_LEN) + os.urandom(SVC_KEY_LEN)),
        ("get-services-garbage", hdr(9, SVC_KEY_LEN) + b"\xff" * SVC_KEY_LEN),
        ("set-timeout-garbage", hdr(11, 16) + b"\xff" * 16),
        ("len-huge", hdr(9, 0xFFFFFFFF)),
        ("len-over-max", hdr(2, (64 << 10) + 1) + b"\0" * 1024),
        ("negative-status", hdr(1, 0, status=-1)),
    ]
    for name, payload in cases:
        case(path, name, payload)
    # Truncations: the peer closes mid-header and mid-payload.
    case(path, "half-header-eof", hdr(1, 0)[:7], shut=True)
    case(path, "short-payload-eof", hdr(2, 200) + b"\0" * 20, shut=True)
    # Many requests back to back on one connection, some bad.
    case(path, "pipelined", (hdr(1, 0) + hdr(0, 0) + hdr(12, 0)) * 50)
    # Connection churn: open and drop, with and without a byte.
    for i in range(200):
        try:
            with connect(path) as sock:
                if i % 2:
                    sock.send(b"X")
        except OSError:
            pass
    print("%-28s done" % "connect-churn-200", flush=True)


def hold(path, seconds):
    with connect(path) as sock:
        sock.sendall(hdr(1, 0)[:6])
        time.sleep(min(seconds, 60))


def main():
    if len(sys.argv) >= 3 and sys.argv[1] == "burst":
        burst(sys.argv[2])
    elif len(sys.argv) >= 4 and sys.argv[1] == "hold":
        hold(sys.argv[2], float(sys.argv[3]))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
