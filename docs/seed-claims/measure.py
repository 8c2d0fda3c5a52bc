#!/usr/bin/env python3
"""Seed-claim measurements on the running kernel (docs/seed-claims.md).

Run ONLY inside a private network namespace, e.g. via docs/seed-claims/measure.sh, which
creates `tcpmem-seed-<pid>`, runs this script in it and deletes the namespace afterwards.
Loopback only; at most 1000 connection pairs (2000 fds + listener); prints one JSON document.
Slab counts come from /proc/slabinfo, which is global: other processes on the host add noise,
so per-pair numbers are deltas over many pairs and are approximate (SLUB active_objs, R-1.3 note).
"""
import json, os, re, select, socket, subprocess, sys, time

PAIRS = int(os.environ.get('SEED_PAIRS', '1000'))
assert PAIRS <= 9900

def sysctl(name):
    try:
        with open('/proc/sys/' + name.replace('.', '/')) as f:
            return f.read().split()
    except FileNotFoundError:
        return ['(not visible in a child netns: global)']

def slabinfo():
    out = {}
    with open('/proc/slabinfo') as f:
        for line in f.readlines()[2:]:
            p = line.split()
            out[p[0]] = (int(p[1]), int(p[3]))  # active_objs, objsize (stride)
    return out

SK = re.compile(r'skmem:\(([^)]*)\)')
def ss(port_filter):
    """Sockets in this namespace matching an ss filter: state, recv_q, send_q, local, peer, skmem dict, info text."""
    txt = subprocess.run(['ss', '-tmniH', 'state', 'all', port_filter], capture_output=True, text=True, check=True).stdout
    socks, cur = [], None
    for line in txt.splitlines():
        if not line.startswith((' ', '\t')):
            p = line.split()
            cur = {'state': p[0], 'recv_q': int(p[1]), 'send_q': int(p[2]), 'local': p[3], 'peer': p[4], 'info': ''}
            socks.append(cur)
        elif cur is not None:
            cur['info'] += line.strip() + ' '
    for s in socks:
        m = SK.search(s['info'])
        s['skmem'] = {}
        if m:
            for item in m.group(1).split(','):
                k = re.match(r'([a-z]+)(\d+)', item)
                if k:
                    s['skmem'][k.group(1)] = int(k.group(2))
        w = re.search(r'rcv_ssthresh:(\d+)', s['info']); s['rcv_ssthresh'] = int(w.group(1)) if w else None
        w = re.search(r'rcv_space:(\d+)', s['info']); s['rcv_space'] = int(w.group(1)) if w else None
        w = re.search(r'snd_wnd:(\d+)', s['info']); s['snd_wnd'] = int(w.group(1)) if w else None
        w = re.search(r'rcv_wnd:(\d+)', s['info']); s['rcv_wnd'] = int(w.group(1)) if w else None
        del s['info']
    return socks

def pair(port, rcvbuf=None, nodelay=True):
    lst = socket.socket(); lst.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if rcvbuf: lst.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    lst.bind(('127.0.0.1', port)); lst.listen(16)
    c = socket.socket()
    if nodelay: c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    c.connect(('127.0.0.1', port)); s, _ = lst.accept(); lst.close()
    return c, s

def one(port, side):
    f = 'sport = :%d' % port if side == 'server' else 'dport = :%d' % port
    got = [x for x in ss(f) if x['state'] == 'ESTAB']
    return got[0] if got else None

res = {'kernel_release': os.uname().release, 'cpus': os.cpu_count(), 'sysctls': {}}
for n in ['net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem', 'net.ipv4.tcp_mem', 'net.core.rmem_max', 'net.core.wmem_max',
          'net.core.rmem_default', 'net.core.wmem_default', 'net.ipv4.tcp_congestion_control']:
    res['sysctls'][n] = ' '.join(sysctl(n))

# 1. Idle connections: slab objects per pair and skmem of idle sockets, at 10 and at PAIRS pairs.
lst = socket.socket(); lst.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
lst.bind(('127.0.0.1', 5001)); lst.listen(4096)
conns = []
def open_pairs(n):
    for _ in range(n):
        c = socket.socket(); c.connect(('127.0.0.1', 5001)); s, _ = lst.accept(); conns.append((c, s))
open_pairs(10); time.sleep(0.3)
few = [x for x in ss('sport = :5001') if x['state'] == 'ESTAB']
res['idle_10_server_skmem'] = sorted({json.dumps(x['skmem'], sort_keys=True) for x in few})
few_c = [x for x in ss('dport = :5001') if x['state'] == 'ESTAB']
res['idle_10_client_skmem'] = sorted({json.dumps(x['skmem'], sort_keys=True) for x in few_c})
slab_runs = []
for rep in range(3):
    for c, s in conns: c.close(); s.close()
    conns.clear(); time.sleep(0.5)
    before = slabinfo(); open_pairs(PAIRS); time.sleep(0.5); after = slabinfo()
    slab_runs.append({k: (after[k][0] - before[k][0]) / PAIRS for k in after if k in before})
    strides = {k: after[k][1] for k in after}
keys = ['TCP', 'sock_inode_cache', 'filp', 'dentry', 'skbuff_head_cache', 'skbuff_fclone_cache', 'kmalloc-64', 'kmalloc-128', 'kmalloc-192', 'kmalloc-256', 'kmalloc-512', 'kmalloc-32', ':A-0000128', 'tcp_bind_bucket', 'tcp_bind2_bucket', 'lsm_file_cache', 'pid', 'proc_inode_cache']
res['idle_slab_objs_per_pair'] = {k: [round(r.get(k, 0), 3) for r in slab_runs] for k in keys if any(k in r for r in slab_runs)}
res['slab_stride_bytes'] = {k: strides[k] for k in keys if k in strides}
many = [x for x in ss('sport = :5001') if x['state'] == 'ESTAB']
many_c = [x for x in ss('dport = :5001') if x['state'] == 'ESTAB']
res['idle_many_pairs'] = PAIRS
res['idle_many_server_skmem'] = sorted({json.dumps(x['skmem'], sort_keys=True) for x in many})
res['idle_many_client_skmem'] = sorted({json.dumps(x['skmem'], sort_keys=True) for x in many_c})
with open('/proc/net/sockstat') as f: res['sockstat_with_many_idle'] = f.read()
for c, s in conns: c.close(); s.close()
conns.clear(); lst.close()

# 2. Spaced 1-byte NODELAY writes into a receiver that never reads.
c, s = pair(5002)
seq = []
for i in range(40):
    c.send(b'x'); time.sleep(0.02)
    x = one(5002, 'server'); seq.append([x['recv_q'], x['skmem'].get('r')])
res['one_byte_spaced_server_recvq_r'] = seq
w = one(5002, 'client'); res['one_byte_spaced_client_skmem'] = w['skmem']
c.close(); s.close()

# 3. Back-to-back 1-byte writes (2000) into a silent receiver.
c, s = pair(5003)
for i in range(2000): c.send(b'x')
time.sleep(0.3)
x = one(5003, 'server'); res['one_byte_burst_2000_server'] = {'recv_q': x['recv_q'], 'skmem': x['skmem']}
c.close(); s.close()

# 4. Window bound: fill a silent receiver (default rcvbuf, and SO_RCVBUF 65536 → 131072 locked).
for name, rb, chunk in [('fill_1000B_default_rcvbuf', None, 1000), ('fill_64KiB_default_rcvbuf', None, 65536),
                        ('fill_1000B_so_rcvbuf_65536', 65536, 1000), ('fill_1B_default_rcvbuf', None, 1)]:
    port = 5004 + len(res)
    c, s = pair(port, rcvbuf=rb)
    c.setblocking(False)
    sent, writes, t0 = 0, 0, time.time()
    buf = b'y' * chunk
    while time.time() - t0 < 3 and writes < 300000:
        try:
            n = c.send(buf); sent += n; writes += 1
        except BlockingIOError:
            select.select([], [c], [], 0.2)
            try:
                n = c.send(buf); sent += n; writes += 1
            except BlockingIOError:
                break
    time.sleep(0.5)
    x = one(port, 'server'); y = one(port, 'client')
    res[name] = {'bytes_sent': sent, 'writes': writes, 'server': {k: x[k] for k in ('recv_q', 'skmem', 'rcv_ssthresh', 'rcv_space')},
                 'client': {k: y[k] for k in ('send_q', 'skmem', 'snd_wnd')}}
    c.close(); s.close()

with open('/proc/net/netstat') as f:
    lines = f.read().splitlines()
    hdr, val = lines[0].split()[1:], lines[1].split()[1:]
    res['netns_tcpext'] = {k: int(v) for k, v in zip(hdr, val) if k in ('TCPRcvCoalesce', 'PruneCalled', 'TCPRcvCollapsed', 'RcvPruned', 'TCPRcvQDrop', 'TCPBacklogCoalesce')}
print(json.dumps(res, indent=1))
