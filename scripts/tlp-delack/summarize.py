#!/usr/bin/env python3
"""Combines measure.py outputs into {"runs": [...], "summary": [...]}. For every tail loss probe that
repeated data the receiver already had (a client data segment whose end is at or below the highest end
sent before), the summary gives its time, the time and window of the server's next ACK, whether that
ACK came at once (< 1 ms), and the run's TcpExt deltas (DelayedACKs, TCPLossProbes, DelayedACKLost)."""
import datetime, json, sys

runs = [json.load(open(p)) for p in sys.argv[1:]]
summary = []
for d in runs:
    t0, cp = d['t_fill_ns'], d['client_port']
    pk = sorted((p for p in d['packets'] if cp in (p['sp'], p['dp'])), key=lambda p: p['t'])
    isn = {p['sp']: p['seq'] for p in pk if p['fl'] & 2}
    hi, dups = None, []
    for i, p in enumerate(pk):
        if p['sp'] != cp or p['len'] == 0:
            continue
        end = (p['seq'] - isn[cp] + p['len']) & 0xffffffff
        if hi is not None and end <= hi:
            ack = next((q for q in pk[i + 1:] if q['sp'] == 5555), None)
            dups.append({'probe_ms': round((p['t'] - t0) / 1e6, 3), 'probe_len': p['len'],
                         'next_ack_ms': round((ack['t'] - t0) / 1e6, 3) if ack else None,
                         'next_ack_win_field': ack['win'] if ack else None,
                         'acked_at_once': bool(ack and ack['t'] - p['t'] < 1_000_000)})
        hi = end if hi is None else max(hi, end)
    last = d['samples'][-1]['ns'] if d['samples'] else {}
    summary.append({'so_sndbuf': d['so_sndbuf'], 'so_rcvbuf': d['so_rcvbuf'], 'write_size': d['write_size'],
                    'writes': d['writes'], 'duplicate_probes': dups,
                    'DelayedACKs': last.get('DelayedACKs'), 'TCPLossProbes': last.get('TCPLossProbes'),
                    'DelayedACKLost': last.get('DelayedACKLost')})
print(json.dumps({'format': 'tcpmem-measurement/tlp-delack-1', 'kernel': runs[0]['kernel'] if runs else None,
                  'taken_on': datetime.date.today().isoformat(), 'script': 'scripts/tlp-delack/run_all.sh', 'summary': summary, 'runs': runs}))
