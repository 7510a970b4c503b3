#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""conc-get.py - N HTTP connections open at the same time.

usage: conc-get.py HOST PORT N [MAX_S]

Opens N TCP connections to HOST:PORT (non-blocking, all at once), waits
until every one is established, so that all N are open together, then sends
"GET /" on each and reads each answer to the end. Prints one line:
"ok=A reset=B failed=C open=D", where open is the most connections that
were established at the same moment. Exits 0 only when all N answered 200.
Bounded: gives up after MAX_S seconds (default 30).
"""
import errno
import selectors
import socket
import sys
import time


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    host, port, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    deadline = time.monotonic() + (float(sys.argv[4]) if len(sys.argv) > 4 else 30.0)
    sel = selectors.DefaultSelector()
    state = {}          # socket -> "connecting" | "open" | "reading"
    data = {}
    ok = reset = failed = 0

    for _ in range(n):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setblocking(False)
        err = s.connect_ex((host, port))
        if err not in (0, errno.EINPROGRESS):
            failed += 1
            s.close()
            continue
        state[s] = "connecting"
        data[s] = b""
        sel.register(s, selectors.EVENT_WRITE)

    def done(s, how):
        nonlocal ok, reset, failed
        sel.unregister(s)
        s.close()
        del state[s]
        if how == "ok":
            ok += 1
        elif how == "reset":
            reset += 1
        else:
            failed += 1

    # Phase 1: every connection established before any request is sent.
    while any(v == "connecting" for v in state.values()) and time.monotonic() < deadline:
        for key, _ in sel.select(timeout=0.5):
            s = key.fileobj
            err = s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
            if err:
                done(s, "reset" if err == errno.ECONNRESET else "failed")
            else:
                state[s] = "open"
                sel.modify(s, selectors.EVENT_READ)
    opened = sum(1 for v in state.values() if v == "open")
    for s in [s for s, v in state.items() if v == "connecting"]:
        done(s, "failed")

    # Phase 2: the requests, then the answers (Connection: close).
    for s in list(state):
        try:
            s.send(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            state[s] = "reading"
        except ConnectionResetError:
            done(s, "reset")
        except OSError:
            done(s, "failed")
    while state and time.monotonic() < deadline:
        for key, _ in sel.select(timeout=0.5):
            s = key.fileobj
            try:
                chunk = s.recv(4096)
            except ConnectionResetError:
                done(s, "reset")
                continue
            except OSError:
                done(s, "failed")
                continue
            if chunk:
                data[s] += chunk
            else:
                done(s, "ok" if data[s].startswith(b"HTTP/1.1 200") else "failed")
    for s in list(state):
        done(s, "failed")
    print(f"ok={ok} reset={reset} failed={failed} open={opened}")
    sys.exit(0 if ok == n else 1)


if __name__ == "__main__":
    main()
