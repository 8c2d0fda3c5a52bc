#!/usr/bin/env python3
"""Measures receive-queue truesize (ss skmem r) for N writes of S bytes to a receiver that never reads, on IPv4
loopback in a private network namespace, to check `tcpmem explain --unread-bytes/--segment-bytes/--coalescing`
(R-4.9, R-4.10). Needs root. Creates tcpmem-h1-coal-<pid>, deletes it on exit (also on failure).

  python3 scripts/rx-coalescing/measure.py > data/measurements/rx-coalescing-2026-11-25.json
"""
import json, os, re, socket, subprocess, sys, time, datetime

CASES = [  # (writes, bytes per write, spacing seconds)
    (5, 1, 0.005), (20, 1, 0), (40, 1, 0), (100, 1, 0), (20, 1, 0.005), (40, 1, 0.005), (100, 1, 0.001),
    (100, 1, 0.01), (100, 1, 0.05), (20, 1000, 0.005), (40, 1000, 0), (40, 1000, 0.01),
]
REPEAT = 3


def child():
    out = []
    for n, seg, sp in CASES:
        for rep in range(REPEAT):
            l = socket.socket(); l.bind(('127.0.0.1', 0)); l.listen(); port = l.getsockname()[1]
            c = socket.socket(); c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            c.connect(('127.0.0.1', port)); s, _ = l.accept()
            for _ in range(n):
                c.send(b'x' * seg)
                if sp: time.sleep(sp)
            time.sleep(0.3)
            ss = subprocess.run(['ss', '-tmnH', 'state', 'established', 'sport', '=', str(port)], capture_output=True, text=True).stdout
            r = int(re.search(r'skmem:\(r(\d+)', ss).group(1))
            out.append({'writes': n, 'write_bytes': seg, 'spacing_ms': sp * 1000, 'repetition': rep, 'skmem_r': r})
            c.close(); s.close(); l.close()
    return out


if __name__ == '__main__':
    if len(sys.argv) > 1 and sys.argv[1] == '--child':
        print(json.dumps(child())); sys.exit(0)
    ns = f'tcpmem-h1-coal-{os.getpid()}'
    subprocess.run(['ip', 'netns', 'add', ns], check=True)
    try:
        subprocess.run(['ip', '-n', ns, 'link', 'set', 'lo', 'up'], check=True)
        res = subprocess.run(['ip', 'netns', 'exec', ns, sys.executable, __file__, '--child'], capture_output=True, text=True, timeout=300, check=True)
        runs = json.loads(res.stdout)
    finally:
        subprocess.run(['ip', 'netns', 'del', ns])
    print(json.dumps({
        'date': datetime.datetime.now(datetime.timezone.utc).isoformat(),
        'kernel': open('/proc/sys/kernel/osrelease').read().strip(),
        'method': 'scripts/rx-coalescing/measure.py: fresh netns, IPv4 loopback pair per run, client TCP_NODELAY sends `writes` '
                  'writes of `write_bytes` with `spacing_ms` sleeps between them (0 = back to back), server never reads; 300 ms later '
                  'ss -tmn skmem r (receive queue truesize) of the server socket.',
        'runs': runs,
    }, indent=2))
