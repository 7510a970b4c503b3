#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""metrics_check.py - what test_metrics.sh checks about xvsd's /metrics.

  parse SCRAPE                      strict text-format parse; print the families
  compare SCRAPE LN STATS           SCRAPE against "xvsadm -Ln" and "-Ln --stats --exact"
  json LISTING LN STATS             "xvsadm -Ln --json" against "-Ln" and "-Ln --stats --exact"
  dashboard JSON SCRAPE             the dashboard loads and names only metrics the scrape has
  hold HOST PORT N SECONDS          hold N idle connections open; print how many the server closed
  raw HOST PORT HEXBYTES            send bytes, print the status line of the answer

Each check prints "ok: ..." or "bad: ..." lines and exits 1 on any bad one.
"""
import json
import re
import socket
import sys
import time

NAME = r'[a-zA-Z_:][a-zA-Z0-9_:]*'
LABEL = r'[a-zA-Z_][a-zA-Z0-9_]*'
VALUE = r'(?:[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?|NaN|[-+]Inf)'
SAMPLE = re.compile(r'^(' + NAME + r')(?:\{(.*)\})? (' + VALUE + r')$')
LABEL_PAIR = re.compile(r'(' + LABEL + r')="((?:[^"\\\n]|\\[\\"n])*)"(,|$)')

HELP_NODE = {
    'node_ipvs_connections_total': 'The total number of connections made.',
    'node_ipvs_incoming_packets_total': 'The total number of incoming packets.',
    'node_ipvs_outgoing_packets_total': 'The total number of outgoing packets.',
    'node_ipvs_incoming_bytes_total': 'The total amount of incoming data.',
    'node_ipvs_outgoing_bytes_total': 'The total amount of outgoing data.',
    'node_ipvs_backend_connections_active':
        'The current active connections by local and remote address.',
    'node_ipvs_backend_connections_inactive':
        'The current inactive connections by local and remote address.',
    'node_ipvs_backend_weight': 'The current backend weight by local and remote address.',
}
BACKEND_LABELS = ['local_address', 'local_port', 'remote_address', 'remote_port',
                  'proto', 'local_mark']
SEED_LABELS = ['vip', 'port', 'proto']

bad = 0


def ok(msg):
    print('ok: ' + msg)


def fail(msg):
    global bad
    bad += 1
    print('bad: ' + msg)


def parse_labels(text):
    """'a="x",b="y"' -> [(a, x), (b, y)], strictly; None if malformed."""
    out, pos = [], 0
    while pos < len(text):
        m = LABEL_PAIR.match(text, pos)
        if not m:
            return None
        out.append((m.group(1), m.group(2)))
        pos = m.end()
        if m.group(3) == '' and pos != len(text):
            return None
    return out


def parse(text):
    """families: name -> {type, help, samples: [(labels tuple, value)]}; strict."""
    fams, cur, seen = {}, None, set()
    if not text.endswith('\n'):
        fail('exposition does not end with a newline')
    for n, line in enumerate(text.split('\n')[:-1], 1):
        if line.startswith('# HELP '):
            name, _, help_ = line[7:].partition(' ')
            if name in fams:
                fail('line %d: family %s announced twice' % (n, name))
            fams[name] = {'help': help_, 'type': None, 'samples': []}
            cur = name
        elif line.startswith('# TYPE '):
            name, _, typ = line[7:].partition(' ')
            if name != cur or typ not in ('counter', 'gauge'):
                fail('line %d: TYPE %s %s out of place' % (n, name, typ))
            else:
                fams[name]['type'] = typ
        elif line.startswith('#') or not line:
            fail('line %d: unexpected %r' % (n, line))
        else:
            m = SAMPLE.match(line)
            labels = parse_labels(m.group(2)) if m and m.group(2) is not None else []
            if not m or labels is None:
                fail('line %d: malformed sample %r' % (n, line))
                continue
            if m.group(1) != cur or fams[cur]['type'] is None:
                fail('line %d: sample of %s outside its family' % (n, m.group(1)))
                continue
            key = (m.group(1), tuple(labels))
            if key in seen:
                fail('line %d: series repeated' % n)
            seen.add(key)
            fams[cur]['samples'].append((tuple(labels), float(m.group(3))))
    return fams


def read(path):
    with open(path) as f:
        return f.read()


def split_addr(s):
    """ipvsadm's 'a.b.c.d:port' or '[v6]:port' -> (addr, port)."""
    if s.startswith('['):
        a, _, p = s[1:].rpartition(']:')
        return a, p
    a, _, p = s.rpartition(':')
    return a, p


def ipvsadm_table(ln, stats):
    """(service, dest) rows from 'xvsadm -Ln' and 'xvsadm -Ln --stats --exact'."""
    svcs, cur = {}, None
    for line in ln.splitlines():
        f = line.split()
        if f and f[0] in ('TCP', 'UDP', 'SCTP'):
            cur = (f[0],) + split_addr(f[1])
            svcs[cur] = {'dests': {}, 'stats': None}
        elif f and f[0] == '->' and f[1] != 'RemoteAddress:Port' and cur:
            svcs[cur]['dests'][split_addr(f[1])] = {
                'weight': int(f[3]), 'active': int(f[4]), 'inactive': int(f[5])}
    for line in stats.splitlines():
        f = line.split()
        if f and f[0] in ('TCP', 'UDP', 'SCTP'):
            cur = (f[0],) + split_addr(f[1])
            svcs[cur]['stats'] = [int(x) for x in f[2:7]]
        elif f and f[0] == '->' and f[1] != 'RemoteAddress:Port' and cur:
            svcs[cur]['dests'][split_addr(f[1])]['stats'] = [int(x) for x in f[2:7]]
    return svcs


def series(fams, name):
    return {tuple(v for _, v in labels): value for labels, value in fams[name]['samples']} \
        if name in fams else None


def compare(scrape, ln, stats):
    fams = parse(read(scrape))
    svcs = ipvsadm_table(read(ln), read(stats))
    if not svcs:
        fail('xvsadm lists no service')
    for name, help_ in HELP_NODE.items():
        if name not in fams:
            fail('%s missing' % name)
            continue
        want_type = 'counter' if name.endswith('_total') else 'gauge'
        if fams[name]['type'] != want_type or fams[name]['help'] != help_:
            fail('%s: type %s help %r' % (name, fams[name]['type'], fams[name]['help']))
    # totals: the sum over services of Conns InPkts OutPkts InBytes OutBytes
    for i, name in enumerate(['node_ipvs_connections_total', 'node_ipvs_incoming_packets_total',
                              'node_ipvs_outgoing_packets_total', 'node_ipvs_incoming_bytes_total',
                              'node_ipvs_outgoing_bytes_total']):
        want = sum(s['stats'][i] for s in svcs.values())
        got = series(fams, name)
        if got != {(): want}:
            fail('%s = %s, xvsadm sums to %d' % (name, got, want))
        else:
            ok('%s = %d as xvsadm --stats' % (name, want))
    # backends: one series per (service, dest), the six labels in order
    per_dest = {
        'node_ipvs_backend_connections_active': lambda d: d['active'],
        'node_ipvs_backend_connections_inactive': lambda d: d['inactive'],
        'node_ipvs_backend_weight': lambda d: d['weight'],
        'xvs_backend_connections_total': lambda d: d['stats'][0],
        'xvs_backend_incoming_packets_total': lambda d: d['stats'][1],
        'xvs_backend_outgoing_packets_total': lambda d: d['stats'][2],
        'xvs_backend_incoming_bytes_total': lambda d: d['stats'][3],
        'xvs_backend_outgoing_bytes_total': lambda d: d['stats'][4],
    }
    for name, fn in per_dest.items():
        want = {}
        for (proto, vip, vport), s in svcs.items():
            for (rip, rport), d in s['dests'].items():
                want[(vip, vport, rip, rport, proto, '')] = fn(d)
        for labels, _ in fams.get(name, {'samples': []})['samples']:
            if [k for k, _ in labels] != BACKEND_LABELS:
                fail('%s: labels %s' % (name, [k for k, _ in labels]))
        got = series(fams, name)
        if got != want:
            fail('%s:\n  scrape %s\n  xvsadm %s' % (name, got, want))
        else:
            ok('%s: %d series as xvsadm (%s)' % (name, len(want), sorted(want.values())))
    # xvs_service_weight: the sum of each service's weights
    want = {(vip, vport, proto, ''): sum(d['weight'] for d in s['dests'].values())
            for (proto, vip, vport), s in svcs.items()}
    got = series(fams, 'xvs_service_weight')
    if got != want:
        fail('xvs_service_weight:\n  scrape %s\n  xvsadm %s' % (got, want))
    else:
        ok('xvs_service_weight: %d services as xvsadm (%s)' % (len(want), sorted(want.values())))
    # the seed's lvs_*: vip, port, lower-case proto; active = sum of ActiveConn
    for name in ['lvs_rate_in_pps', 'lvs_rate_out_pps', 'lvs_rate_in_cps', 'lvs_rate_out_cps',
                 'lvs_active_connections']:
        if name not in fams or fams[name]['type'] != 'gauge':
            fail('%s missing or not a gauge' % name)
            continue
        keys = {(vip, vport, proto.lower()) for proto, vip, vport in svcs}
        got = series(fams, name)
        if set(got) != keys or any([k for k, _ in l] != SEED_LABELS
                                   for l, _ in fams[name]['samples']):
            fail('%s: series %s, want %s' % (name, sorted(got), sorted(keys)))
            continue
        if name == 'lvs_active_connections':
            for (proto, vip, vport), s in svcs.items():
                want = sum(d['active'] for d in s['dests'].values())
                if got[(vip, vport, proto.lower())] != want:
                    fail('%s %s:%s = %s, want %d' % (name, vip, vport,
                                                    got[(vip, vport, proto.lower())], want))
        ok('%s: %d series with labels vip, port, proto' % (name, len(keys)))


def json_listing(path, ln, stats):
    """'xvsadm -Ln --json' holds what -Ln and -Ln --stats --exact print."""
    doc = json.loads(read(path))
    svcs = ipvsadm_table(read(ln), read(stats))
    got = {}
    for s in doc['services']:
        key = (s['protocol'], s['address'], str(s['port']))
        got[key] = {'stats': [s['stats'][k] for k in
                              ('conns', 'inpkts', 'outpkts', 'inbytes', 'outbytes')],
                    'dests': {(d['address'], str(d['port'])): {
                        'weight': d['weight'], 'active': d['active_conns'],
                        'inactive': d['inactive_conns'],
                        'stats': [d['stats'][k] for k in
                                  ('conns', 'inpkts', 'outpkts', 'inbytes', 'outbytes')]}
                        for d in s['dests']}}
    if got != svcs:
        fail('json listing:\n  json   %s\n  xvsadm %s' % (got, svcs))
    else:
        ok('json listing: %d services, %d dests as xvsadm -Ln --stats --exact' % (
            len(got), sum(len(v['dests']) for v in got.values())))


def dashboard(path, scrape):
    """Every metric the dashboard's queries name is in the scrape."""
    fams = parse(read(scrape))
    dash = json.loads(read(path))
    exprs = []

    def walk(o):
        if isinstance(o, dict):
            for k, v in o.items():
                if k in ('expr', 'query') and isinstance(v, str):
                    exprs.append(v)
                walk(v)
        elif isinstance(o, list):
            for v in o:
                walk(v)
    walk(dash)
    if not exprs:
        fail('dashboard has no queries')
    names = set()
    for e in exprs:
        names |= set(re.findall(r'\b((?:node_ipvs|lvs|xvs)_[a-zA-Z0-9_]+)', e))
    for n in sorted(names):
        if n in fams:
            ok('dashboard metric %s is served' % n)
        else:
            fail('dashboard names %s, which /metrics does not serve' % n)
    print('dashboard: %d panels, %d queries, %d metrics' % (
        len(dash.get('panels', [])), len(exprs), len(names)))


def hold(host, port, n, seconds):
    """Open n connections, send nothing; count those the server closes."""
    socks = []
    for _ in range(n):
        s = socket.create_connection((host, port), timeout=3)
        socks.append(s)
    time.sleep(0.5)
    closed = 0
    for s in socks:
        s.setblocking(False)
        try:
            if s.recv(1) == b'':
                closed += 1
        except BlockingIOError:
            pass
        except OSError:
            closed += 1
    print('held %d closed %d' % (n, closed), flush=True)
    time.sleep(seconds)
    for s in socks:
        s.close()


def raw(host, port, hexbytes):
    s = socket.create_connection((host, port), timeout=5)
    s.sendall(bytes.fromhex(hexbytes))
    data = b''
    try:
        while b'\r\n' not in data:
            chunk = s.recv(4096)
            if not chunk:
                break
            data += chunk
    except socket.timeout:
        pass
    s.close()
    print(data.split(b'\r\n')[0].decode(errors='replace') or 'CLOSED')


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == 'parse':
        fams = parse(read(args[0]))
        print('\n'.join(sorted(fams)))
    elif cmd == 'compare':
        compare(*args)
    elif cmd == 'json':
        json_listing(*args)
    elif cmd == 'dashboard':
        dashboard(*args)
    elif cmd == 'hold':
        hold(args[0], int(args[1]), int(args[2]), float(args[3]))
    elif cmd == 'raw':
        raw(args[0], int(args[1]), args[2])
    sys.exit(1 if bad else 0)


if __name__ == '__main__':
    main()
