#!/usr/bin/env python3
"""Per-write receive-coalescing measurement on the running kernel (run it inside a private network
namespace: scripts/writer-lock/run.sh does that). One loopback connection, TCP_NODELAY client, a server
that never reads. The client writes COUNT writes of SIZE bytes back to back (blocking socket, as the
capture tool's writer) and, in mode "per-write", records after every write:
  - the receiver's SO_MEMINFO r (sk_get_meminfo takes no socket lock, so it does not perturb the
    receiver), and the delta of r: payload only = coalesced into the tail (R-4.7), 832 + payload = new skb;
  - the sender's TCP_INFO unacked (packets still out: ACKs not yet processed by the sender);
  - the namespace's TcpExt TCPRcvCoalesce / TCPBacklogCoalesce / DelayedACKs / TCPLossProbes
    (/proc/net/netstat, per network namespace).
Reading /proc/net/netstat takes tens of microseconds, so mode "per-write" spaces the writes a little;
mode "b2b" reads only the receiver's r after every write (about a microsecond) and the counters once at
the end; mode "bare" reads nothing until the end. Comparing the three shows how much the reading itself
perturbs the pattern. Prints one JSON object."""
import json, socket, struct, sys, time

SO_MEMINFO = 55
PORT = 5556
KEYS = ('TCPRcvCoalesce', 'TCPBacklogCoalesce', 'DelayedACKs', 'TCPLossProbes', 'TCPHPAcks', 'TCPPureAcks',
        'TCPHPHits', 'TCPBacklogDrop')

def meminfo(s):
    v = struct.unpack('9I', s.getsockopt(socket.SOL_SOCKET, SO_MEMINFO, 36))
    return dict(zip(['r', 'rb', 't', 'tb', 'f', 'w', 'o', 'bl', 'd'], v))

def unacked(s):
    u = struct.unpack_from('8B24I', s.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 256))
    return u[12]

def netstat():
    lines = open('/proc/net/netstat').read().split('\n')
    out = {}
    for i in range(0, len(lines) - 1, 2):
        names, vals = lines[i].split(), lines[i + 1].split()
        if names and names[0] == 'TcpExt:':
            d = dict(zip(names[1:], map(int, vals[1:])))
            out = {k: d.get(k, 0) for k in KEYS}
    return out

def diff(a, b):
    return {k: b[k] - a[k] for k in KEYS if b[k] != a[k]}

def pair(size, count, conns):
    """Mode "interleaved": CONNS connections, write k of every connection before write k+1 of any (as the
    capture runner's heap can order the same-time writes of a group), r of every receiver after every write."""
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(('127.0.0.1', PORT))
    srv.listen(conns)
    cs, ss = [], []
    for _ in range(conns):
        c = socket.socket()
        c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        c.connect(('127.0.0.1', PORT))
        cs.append(c)
        ss.append(srv.accept()[0])
    time.sleep(0.3)
    buf = b'\0' * size
    start = netstat()
    rs = [[0] * count for _ in range(conns)]
    for i in range(count):
        for j in range(conns):
            cs[j].send(buf)
            rs[j][i] = meminfo(ss[j])['r']
    end_now = netstat()
    out = []
    for j in range(conns):
        p, w = 0, []
        for i, r in enumerate(rs[j]):
            w.append({'i': i + 1, 'r': r, 'dr': r - p})
            p = r
        out.append({'conn': j, 'r_after_writes': rs[j][-1], 'unacked': unacked(cs[j]), 'writes': w})
    time.sleep(0.5)
    print(json.dumps({'size': size, 'count': count, 'mode': 'interleaved', 'conns': out,
                      'counters_writes': diff(start, end_now), 'counters_after_500ms': diff(start, netstat())}))

def main():
    size, count, mode = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    if mode == 'interleaved':
        return pair(size, count, int(sys.argv[4]))
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(('127.0.0.1', PORT))
    srv.listen(1)
    c = socket.socket()
    c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    c.connect(('127.0.0.1', PORT))
    a, _ = srv.accept()
    time.sleep(0.3)
    buf = b'\0' * size
    start = netstat()
    prev, prev_r, writes = start, 0, []
    rs = [0] * count
    for i in range(count):
        c.send(buf)
        if mode == 'per-write':
            r = meminfo(a)['r']
            ua = unacked(c)
            now = netstat()
            writes.append({'i': i + 1, 'r': r, 'dr': r - prev_r, 'unacked': ua, 'counters': diff(prev, now)})
            prev, prev_r = now, r
        elif mode == 'b2b':
            rs[i] = meminfo(a)['r']
    end_now = netstat()
    r_end = meminfo(a)['r']
    time.sleep(0.5)
    after = netstat()
    if mode == 'b2b':
        p = 0
        for i, r in enumerate(rs):
            writes.append({'i': i + 1, 'r': r, 'dr': r - p})
            p = r
    print(json.dumps({'size': size, 'count': count, 'mode': mode, 'r_after_writes': r_end,
                      'r_after_500ms': meminfo(a)['r'], 'counters_writes': diff(start, end_now),
                      'counters_after_500ms': diff(start, after), 'writes': writes}))

main()
