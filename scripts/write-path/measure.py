#!/usr/bin/env python3
"""Per-write send-queue measurement on the running kernel (run it inside a private network namespace:
scripts/write-path/run.sh does that). One loopback connection, the client's SO_SNDBUF set before
connect, a server that never reads; the client writes WRITE_SIZE bytes non-blocking until EAGAIN and
records, after every write, SO_MEMINFO (skmem w, exact at the instant of the call) and TCP_INFO
(snd_mss = mss_cache, unacked). Then it probes 1/100/4096-byte writes, waits 300 ms (delayed ACK) and
records w again. Prints one JSON object.

Used to pin where the kernel starts a new send skb (each costs 832 B of w on 6.18, R-2.3) — see the
fill-sndbuf sndbuf65536 gap in data/known-gaps.json."""
import json, socket, struct, sys, time

SO_MEMINFO = 55
PORT = 5555

def meminfo(s):
    v = struct.unpack('9I', s.getsockopt(socket.SOL_SOCKET, SO_MEMINFO, 36))
    return dict(zip(['r', 'rb', 't', 'tb', 'f', 'w', 'o', 'bl', 'd'], v))

def tcp_info(s):
    u = struct.unpack_from('8B24I', s.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 256))
    return {'snd_mss': u[10], 'unacked': u[12]}

def main():
    sndbuf, write_size = int(sys.argv[1]), int(sys.argv[2])
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(('127.0.0.1', PORT))
    srv.listen(1)
    c = socket.socket()
    c.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, sndbuf)
    c.connect(('127.0.0.1', PORT))
    a, _ = srv.accept()
    time.sleep(0.2)
    c.setblocking(False)
    buf = b'\0' * write_size
    writes, total, prev_w = [], 0, 0
    while len(writes) < 100000:
        try:
            n = c.send(buf)
        except BlockingIOError:
            break
        total += n
        m = meminfo(c)
        writes.append({'i': len(writes) + 1, 'n': n, 'total': total, 'w': m['w'],
                       'new_skb_bytes': m['w'] - prev_w - n, **tcp_info(c)})
        prev_w = m['w']
    probes = {}
    for k in (1, 100, 4096):
        try:
            probes[str(k)] = c.send(b'\0' * k)
        except BlockingIOError:
            probes[str(k)] = 'EAGAIN'
    at_eagain = meminfo(c)
    time.sleep(0.3)
    print(json.dumps({'so_sndbuf': sndbuf, 'write_size': write_size, 'written': total,
                      'at_eagain': at_eagain, 'probes_after_eagain': probes,
                      'after_300ms': {'client': meminfo(c), 'server': meminfo(a)},
                      'writes': writes}))

main()
