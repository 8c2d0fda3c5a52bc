#!/usr/bin/env python3
"""Receiver RTT estimate (tcpi_rcv_rtt) on one loopback stream: what sets it.

Run inside a private network namespace (scripts/rcv-rtt/run.sh creates and deletes it).
One connection on 127.0.0.1; a writer sends 64 KiB writes (as fast as possible or at a fixed
rate); a reader reads 64 KiB at a time (optionally sleeping between reads); a sampler thread in
the reader's process records TCP_INFO (rcv_rtt, rcv_space, rtt, cwnd) and SO_MEMINFO of the
receiving socket every ~5 ms for the duration. Prints one JSON object per configuration.

Usage: measure.py <name> <writer:thread|process> <cpus:one|two> <rate_per_s:0=max> <reader_sleep_us> [secs]
(env FASTREAD=1: the reader recv_into()s one reused buffer; env DRAIN=1: after each sleep the reader drains the queue with MSG_DONTWAIT reads until EAGAIN)
"""
import json, os, socket, struct, sys, threading, time

SO_MEMINFO = 55
name, wmode, cpus, rate, rsleep = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
secs = float(sys.argv[6]) if len(sys.argv) > 6 else 3.0
SIZE = 65536

def tcp_info(s):
    u = struct.unpack_from('8B24I', s.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 256))[8:]
    return dict(rtt_us=u[15], rttvar_us=u[16], cwnd=u[18], rcv_rtt_us=u[21], rcv_space=u[22],
                rcv_mss=u[3], rcv_ssthresh=u[14])

def meminfo(s):
    v = struct.unpack('9I', s.getsockopt(socket.SOL_SOCKET, SO_MEMINFO, 36))
    return dict(r=v[0], rb=v[1], t=v[2], tb=v[3], f=v[4], w=v[5], o=v[6], bl=v[7])

def pin(cpu):
    os.sched_setaffinity(0, {cpu})

ls = socket.socket(); ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
ls.bind(('127.0.0.1', 0)); ls.listen(1); port = ls.getsockname()[1]
stop_at = time.monotonic() + secs

def writer(cpu):
    pin(cpu)
    c = socket.create_connection(('127.0.0.1', port))
    buf = b'x' * SIZE
    t0 = time.monotonic(); n = 0
    while True:
        now = time.monotonic()
        if now >= stop_at: break
        if rate:
            due = t0 + n / rate
            if due > now: time.sleep(due - now); continue
        c.sendall(buf); n += 1
    snd = dict(tcp_info(c), **meminfo(c))
    return c, n, snd

pin(0)
wcpu = 0 if cpus == 'one' else 1
wres = {}
if wmode == 'process':
    pid = os.fork()
    if pid == 0:
        c, n, snd = writer(wcpu)
        c.close(); os._exit(0)
else:
    th = threading.Thread(target=lambda: wres.update(zip(('c', 'n', 'snd'), writer(wcpu))))
    th.start()
s, _ = ls.accept()
samples = []; done = False
def sampler():
    t0 = time.monotonic()
    while not done:
        samples.append(dict(t_ms=round((time.monotonic() - t0) * 1000, 1), **tcp_info(s), **meminfo(s)))
        time.sleep(0.005)
st = threading.Thread(target=sampler); st.start()
got = 0; nd = 0; drains = 0; t0 = time.monotonic()
DRAIN = os.environ.get('DRAIN') == '1'
FAST = os.environ.get('FASTREAD') == '1'  # recv_into one reused buffer (as the capture runner does)
rbuf = bytearray(SIZE)
while time.monotonic() < stop_at + 0.2:
    s.settimeout(0.2)
    try:
        if FAST:
            k = s.recv_into(rbuf, SIZE)
            d = k
        else:
            d = s.recv(SIZE)
    except socket.timeout:
        continue
    if not d: break
    got += d if FAST else len(d)
    if rsleep and DRAIN:
        # bursty reader (the capture runner's drain): sleep, then read 64 KiB at a time until EAGAIN
        time.sleep(rsleep / 1e6)
        s.settimeout(0)  # a socket with a timeout would poll on EAGAIN instead of returning
        while True:
            try:
                d = s.recv(SIZE, socket.MSG_DONTWAIT)
            except (BlockingIOError, socket.timeout):
                break
            if not d: break
            got += len(d); nd += len(d)
        drains += 1
    elif rsleep: time.sleep(rsleep / 1e6)
el = time.monotonic() - t0
done = True; st.join()
if wmode == 'process': os.waitpid(pid, 0)
else: th.join()
rr = [x['rcv_rtt_us'] for x in samples if x['rcv_rtt_us']]
rr.sort()
q = lambda p: rr[min(len(rr) - 1, int(p * len(rr)))] if rr else None
out = dict(name=name, writer=wmode, cpus=cpus, rate_per_s=rate, reader_sleep_us=rsleep, secs=secs,
           kernel=os.uname().release, drain_reader=DRAIN, recv_into_reused_buffer=FAST, mean_drain_bytes=round(nd / drains) if drains else None, read_bytes=got, read_MBps=round(got / el / 1e6, 1),
           rcv_rtt_us_p10=q(.1), rcv_rtt_us_p50=q(.5), rcv_rtt_us_p90=q(.9),
           rcv_space_max=max(x['rcv_space'] for x in samples), rb_max=max(x['rb'] for x in samples),
           r_max=max(x['r'] for x in samples), srtt_us_p50=sorted(x['rtt_us'] for x in samples)[len(samples)//2],
           end=samples[-1], samples=samples[::10])
print(json.dumps(out))
