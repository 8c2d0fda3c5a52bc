#!/usr/bin/env python3
"""Prints a measure.py JSON as a timeline: packets (ms from the first write) and counter/TCP_INFO changes."""
import json, sys

d = json.load(open(sys.argv[1]))
t0 = d['t_fill_ns']
cp = d['client_port']
pk = [p for p in d['packets'] if cp in (p['sp'], p['dp'])]
isn = {}
for p in pk:
    if p['fl'] & 2:
        isn[p['sp']] = p['seq']
ev = []
for p in pk:
    c2s = p['sp'] == cp
    a, b = (cp, 5555) if c2s else (5555, cp)
    seq = (p['seq'] - isn.get(a, 0)) & 0xffffffff
    ack = (p['ack'] - isn.get(b, 0)) & 0xffffffff
    fl = ''.join(ch for bit, ch in ((2, 'S'), (16, '.'), (8, 'P'), (1, 'F'), (4, 'R')) if p['fl'] & bit)
    sack = ' sack' + str([((x - isn.get(a if not c2s else b, 0)) & 0xffffffff, (y - isn.get(b if c2s else a, 0)) & 0xffffffff) for x, y in p['sack']]) if p['sack'] else ''
    ev.append((p['t'], f"{'C>S' if c2s else 'S>C'} seq {seq} len {p['len']} ack {ack} win {p['win']} {fl} tsval {p['tsval']} tsecr {p['tsecr']}{sack}"))
prev = {}
for s in d['samples']:
    ch = []
    for side in ('c', 's'):
        for k in ('rto_us', 'ato_us', 'unacked', 'probes', 'backoff', 'rtt_us', 'rttvar_us', 'ca_state'):
            v = s[side][k]
            if prev.get(side + k) != v:
                ch.append(f'{side}.{k}={v}')
                prev[side + k] = v
    for k, v in s['ns'].items():
        if prev.get(k) != v:
            ch.append(f'{k}={v}')
            prev[k] = v
    for k in ('w', 'd'):
        v = s['cm'][k] if k == 'w' else s['sm'][k]
        if prev.get('m' + k) != v:
            ch.append(f"{'c' if k == 'w' else 's'}.{k}={v}")
            prev['m' + k] = v
    if ch:
        ev.append((s['t'], '   sample: ' + ' '.join(ch)))
ev.sort(key=lambda e: e[0])
print(f"written {d['written']} in {d['writes']} writes, eagain at {(d['t_eagain_ns'] - t0) / 1e6:.3f} ms")
for t, txt in ev:
    print(f'{(t - t0) / 1e6:9.3f} {txt}')
