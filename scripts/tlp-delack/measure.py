#!/usr/bin/env python3
"""Packet-level trace of one fill-until-EAGAIN loopback connection (run it inside a private network
namespace: scripts/tlp-delack/run.sh does that).

Why: on the fill captures the kernel counts one more DelayedACKs per tail loss probe than the model
(data/known-gaps.json). This script shows when the kernel's delayed ACK, the probe and the probe's ACK
happen, and what srtt/rto/ato the kernel had.

How: a sniffer process reads every packet on lo (AF_PACKET, kernel timestamps SO_TIMESTAMPNS, outgoing
copies only) and records seq/ack/flags/window/payload length/TSval/TSecr. The main process opens one
connection (optional SO_SNDBUF on the client before connect, SO_RCVBUF on the listener before listen),
waits SETTLE_S, writes WRITE_SIZE bytes non-blocking until EAGAIN (like capture/runner fill), then for
OBSERVE_S samples every ~1 ms TCP_INFO of both sockets (rto, ato, unacked, probes, backoff, rtt, rttvar)
and /proc/net/netstat (TcpExt, this namespace only). Prints one JSON object.

usage: measure.py SNDBUF|0 RCVBUF|0 WRITE_SIZE [OBSERVE_S [COUNT SPACING_MS]]
With COUNT and SPACING_MS: instead of the fill, COUNT blocking TCP_NODELAY writes of WRITE_SIZE bytes,
SPACING_MS apart (the ci-live-smoke shape), sampled in between.
"""
import json, os, socket, struct, subprocess, sys, time

SO_MEMINFO = 55
SO_TIMESTAMPNS = 35
PORT = 5555
SETTLE_S = 0.3
NETSTAT_KEYS = ('DelayedACKs', 'DelayedACKLocked', 'DelayedACKLost', 'TCPLossProbes', 'TCPLossProbeRecovery',
                'TCPACKSkippedSeq', 'TCPACKSkippedSynRecv', 'TCPDSACKRecv', 'TCPDSACKOldSent', 'TCPRcvQDrop',
                'TCPZeroWindowDrop', 'TCPWinProbe', 'TCPToZeroWindowAdv', 'TCPFromZeroWindowAdv',
                'TCPWantZeroWindowAdv', 'TCPPureAcks', 'TCPHPAcks', 'TCPHPHits', 'TCPTimeouts',
                'TCPSpuriousRTOs', 'TCPDSACKIgnoredNoUndo', 'TCPDSACKRecvSegs', 'PruneCalled', 'RcvPruned',
                'TCPRcvCollapsed', 'TCPBacklogCoalesce', 'TCPOFOQueue', 'TCPDelivered')


def sniff(out_path):
    """AF_PACKET sniffer on lo: one JSON line per outgoing TCP segment."""
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x0003))
    s.bind(('lo', 0))
    s.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 << 20)
    with open(out_path, 'w', buffering=1) as f:
        print('ready', file=f)
        while True:
            data, anc, _flags, addr = s.recvmsg(160, 256)
            if addr[2] != socket.PACKET_OUTGOING:
                continue
            ts = None
            for lvl, typ, d in anc:
                if lvl == socket.SOL_SOCKET and typ == SO_TIMESTAMPNS:
                    sec, nsec = struct.unpack('qq', d[:16])
                    ts = sec * 1_000_000_000 + nsec
            ip = data[14:]
            if len(ip) < 20 or ip[9] != 6:
                continue
            ihl = (ip[0] & 15) * 4
            tot = struct.unpack('!H', ip[2:4])[0]
            tcp = ip[ihl:]
            sport, dport, seq, ack, off_fl, win = struct.unpack('!HHIIHH', tcp[:16])
            doff = (off_fl >> 12) * 4
            fl = off_fl & 0x3f
            tsval = tsecr = None
            sack = []
            o = 20
            while o < doff and o < len(tcp):
                kind = tcp[o]
                if kind == 0:
                    break
                if kind == 1:
                    o += 1
                    continue
                ln = tcp[o + 1]
                if kind == 8:
                    tsval, tsecr = struct.unpack('!II', tcp[o + 2:o + 10])
                if kind == 5:
                    for i in range(o + 2, o + ln, 8):
                        sack.append(struct.unpack('!II', tcp[i:i + 8]))
                o += max(ln, 2)
            f.write(json.dumps({'t': ts, 'sp': sport, 'dp': dport, 'seq': seq, 'ack': ack, 'fl': fl,
                                'win': win, 'len': tot - ihl - doff, 'tsval': tsval, 'tsecr': tsecr,
                                'sack': sack}) + '\n')


def meminfo(s):
    v = struct.unpack('9I', s.getsockopt(socket.SOL_SOCKET, SO_MEMINFO, 36))
    return dict(zip(['r', 'rb', 't', 'tb', 'f', 'w', 'o', 'bl', 'd'], v))


def tcp_info(s):
    b = s.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 256)
    u8 = struct.unpack_from('8B', b)
    u = struct.unpack_from('24I', b, 8)
    return {'ca_state': u8[1], 'retransmits': u8[2], 'probes': u8[3], 'backoff': u8[4],
            'rto_us': u[0], 'ato_us': u[1], 'snd_mss': u[2], 'rcv_mss': u[3], 'unacked': u[4],
            'retrans': u[7], 'rtt_us': u[15], 'rttvar_us': u[16], 'cwnd': u[18], 'rcv_space': u[22]}


def netstat():
    with open('/proc/net/netstat') as f:
        lines = f.read().split('\n')
    for i in range(0, len(lines) - 1, 2):
        if lines[i].startswith('TcpExt:'):
            k = lines[i].split()[1:]
            v = [int(x) for x in lines[i + 1].split()[1:]]
            d = dict(zip(k, v))
            return {key: d.get(key, 0) for key in NETSTAT_KEYS}
    return {}


def main():
    sndbuf, rcvbuf, write_size = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    observe_s = float(sys.argv[4]) if len(sys.argv) > 4 else 2.5
    count = int(sys.argv[5]) if len(sys.argv) > 5 else 0
    spacing_s = float(sys.argv[6]) / 1000 if len(sys.argv) > 6 else 0
    pcap = f'/tmp/tcpmem-e-sniff-{os.getpid()}.jsonl'
    sn = subprocess.Popen([sys.executable, __file__, '--sniff', pcap])
    try:
        while not (os.path.exists(pcap) and open(pcap).read(5) == 'ready'):
            time.sleep(0.01)
        srv = socket.socket()
        srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if rcvbuf:
            srv.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
        srv.bind(('127.0.0.1', PORT))
        srv.listen(1)
        c = socket.socket()
        if sndbuf:
            c.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, sndbuf)
        t0 = time.time_ns()
        c.connect(('127.0.0.1', PORT))
        a, _ = srv.accept()
        time.sleep(SETTLE_S)
        ns0 = netstat()
        buf = b'\0' * write_size
        total, writes = 0, 0
        t_fill = time.time_ns()
        if count:
            c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            next_write = time.monotonic()
        else:
            c.setblocking(False)
            while True:
                try:
                    total += c.send(buf)
                    writes += 1
                except BlockingIOError:
                    break
        t_eagain = time.time_ns()
        samples, prev = [], None
        end = time.monotonic() + observe_s
        while time.monotonic() < end:
            if count and writes < count and time.monotonic() >= next_write:
                total += c.send(buf)
                writes += 1
                next_write += spacing_s
            row = {'t': time.time_ns(), 'c': tcp_info(c), 's': tcp_info(a), 'cm': meminfo(c), 'sm': meminfo(a),
                   'ns': {k: v - ns0[k] for k, v in netstat().items()}}
            key = json.dumps([row['c'], row['s'], row['cm'], row['sm'], row['ns']])
            if key != prev:  # keep only samples in which something changed
                samples.append(row)
            prev = key
            time.sleep(0.001)
        time.sleep(0.05)
    finally:
        sn.terminate()
        sn.wait()
    pkts = []
    with open(pcap) as f:
        for line in f:
            if line.startswith('{'):
                pkts.append(json.loads(line))
    os.unlink(pcap)
    print(json.dumps({'kernel': os.uname().release, 'so_sndbuf': sndbuf, 'so_rcvbuf': rcvbuf,
                      'write_size': write_size, 'written': total, 'writes': writes,
                      'client_port': c.getsockname()[1], 't_connect_ns': t0, 't_fill_ns': t_fill,
                      't_eagain_ns': t_eagain, 'samples': samples, 'packets': pkts}))


if __name__ == '__main__':
    if len(sys.argv) > 2 and sys.argv[1] == '--sniff':
        sniff(sys.argv[2])
    else:
        main()
