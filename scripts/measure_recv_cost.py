#!/usr/bin/env python3
"""Measures the recvmsg cost of a loopback TCP socket: ns per recv() call (1 byte) and per byte (64 KiB).

Run inside a private network namespace (never on the host stack), e.g.:
  ip netns add recvcost && ip netns exec recvcost sh -c "ip link set lo up && python3 scripts/measure_recv_cost.py"; ip netns del recvcost
The figures feed reader_cost.recvmsg_call_ns / recvmsg_copy_bytes_per_us of data/profiles/*.json.
"""
import socket, time
# loopback pair; sender fills, receiver reads 1-byte (per-call cost) and 64 KiB (copy cost) with MSG_DONTWAIT
ls = socket.socket(); ls.bind(('127.0.0.1', 0)); ls.listen(1)
c = socket.socket(); c.connect(ls.getsockname()); s, _ = ls.accept()
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 << 20)
c.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 8 << 20)
buf = bytearray(65536)
def fill(n):
    c.setblocking(False); sent = 0
    data = b'\0' * 65536
    while sent < n:
        try: sent += c.send(data[:min(65536, n - sent)])
        except BlockingIOError: break
    return sent
res = {}
for size in (1, 4096, 65536):
    best = None
    for rep in range(5):
        n = fill(4 << 20)
        calls = 0; got = 0
        t0 = time.perf_counter_ns()
        while got < n:
            try: k = s.recv_into(buf, size, socket.MSG_DONTWAIT)
            except BlockingIOError: break
            got += k; calls += 1
        t = time.perf_counter_ns() - t0
        per = t / calls
        best = per if best is None else min(best, per)
    res[size] = best
    print(f"recv size {size}: {best:.0f} ns per call")
b = (res[65536] - res[1]) / 65535
print(f"derived: per-call {res[1]:.0f} ns, per byte {b:.3f} ns ({1/b:.2f} GB/s)")
