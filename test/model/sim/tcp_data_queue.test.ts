import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { last_global, last_row, one_group, run } from './helpers';

/**
 * A retransmission of data the receiver already has (the tail loss probe's duplicate): tcp_data_queue →
 * DelayedACKLost, tcp_enter_quickack_mode, inet_csk_schedule_ack, drop (d++), then tcp_ack_snd_check
 * (R-5.14, R-5.15). __tcp_ack_snd_check tests "more than one rcv_mss unacked and the window would not
 * shrink" before quick-ACK mode, and that test runs __tcp_select_window, which zeroes the quick-ACK
 * credits when free space < full space / 2 (R-5.10). Measured on 6.18.44 (scripts/tlp-delack,
 * data/measurements/tlp-delack-2026-12-04.json): the fills' duplicates get no ACK of their own and the
 * delayed ACK fires ~40 ms after the data; the ci-live-smoke duplicate is ACKed within 0.03 ms.
 */

const fill = (size_bytes: number, extra: Record<string, unknown> = {}) =>
  one_group({ epoll: true, writer: { side: 'client', program: { kind: 'fill', size_bytes } }, ...extra }, {
    sampling: { interval_ms: 2, duration_ms: 60 },
  });

describe('an old-data duplicate at the receiver (tcp_data_queue → tcp_ack_snd_check, R-5.14, R-5.15)', () => {
  it('leaves the pending delayed ACK alone when the receive buffer is more than half full', () => {
    // fill-default shape on lo (6.18): the first segment is quick-ACKed (budget rcv_wnd / (2 × rcv_mss) = 1),
    // the rest of the first flight (≈ 80 KB more) is not: it leaves less than half of rcvbuf 131072 free,
    // so __tcp_select_window zeroes quick and the ACK is delayed to 40 ms. With ≥ 2 packets out the PTO
    // is 1 jiffy: at 4 ms the probe repeats the last skb (nothing unsent fits the window); the receiver
    // drops it (d = 1) and, buffer still more than half full, schedules no ACK of its own. So nothing is
    // ACKed at 6 ms (TCPLossProbes 1, DelayedACKs 0) and the delayed ACK at 40 ms counts DelayedACKs 1.
    const r = run(fill(65536));
    const g = (t: number) => r.run.global.find((x) => x.t_ms === t)!.values;
    const server_d = (t: number) => r.run.sockets.find((x) => x.t_ms === t && x.side === 'server')!.d_count;
    expect(g(6).counter_TCPLossProbes_count).toBe(1);
    expect(server_d(6)).toBe(1);
    expect(g(6).counter_DelayedACKs_count).toBe(0);
    expect(g(38).counter_DelayedACKs_count).toBe(0);
    expect(g(42).counter_DelayedACKs_count).toBe(1);
    expect(last_global(r).counter_TCPLossProbes_count).toBe(1);
  });

  it('is ACKed at once when the receive buffer has room (30 one-byte segments)', () => {
    // 30 × 1 byte: 30 bytes of payload leave free space ≫ full space / 2, so quick stays > 0 after
    // tcp_enter_quickack_mode and the duplicate is ACKed at once; the delayed ACK is cancelled
    // (DelayedACKs 0, as the ci-live-smoke captures count).
    const r = run(
      one_group(
        { writer_sockopts: { tcp_nodelay: true }, writer: { program: { kind: 'writes', steps: [{ size_bytes: 1, count: 30 }] } } },
        { sampling: { interval_ms: 2, duration_ms: 60 } },
      ),
    );
    expect(last_global(r).counter_TCPLossProbes_count).toBe(1);
    expect(last_row(r, 'server').d_count).toBe(1);
    expect(last_global(r).counter_DelayedACKs_count).toBe(0);
  });
});

interface Summary {
  so_sndbuf: number;
  so_rcvbuf: number;
  write_size: number;
  duplicate_probes: { acked_at_once: boolean }[];
  DelayedACKs: number;
  TCPLossProbes: number;
}

const measured = (
  JSON.parse(readFileSync(join(__dirname, '../../../data/measurements/tlp-delack-2026-12-04.json'), 'utf8')) as {
    summary: Summary[];
  }
).summary;

describe('one fill connection per shape against the kernel trace (data/measurements/tlp-delack-2026-12-04.json)', () => {
  // Expected values are the kernel's per-connection TcpExt deltas over 2.5 s (one connection per netns).
  for (const m of measured.filter((x) => x.write_size === 16384 || x.write_size === 65536)) {
    it(`SO_SNDBUF ${m.so_sndbuf || 'default'}, SO_RCVBUF ${m.so_rcvbuf || 'default'}, ${m.write_size}-byte writes: DelayedACKs ${m.DelayedACKs}, TCPLossProbes ${m.TCPLossProbes}`, () => {
      const r = run(
        one_group(
          {
            epoll: true,
            ...(m.so_sndbuf ? { writer_sockopts: { so_sndbuf: m.so_sndbuf } } : {}),
            ...(m.so_rcvbuf ? { reader_sockopts: { so_rcvbuf: m.so_rcvbuf } } : {}),
            writer: { side: 'client', program: { kind: 'fill', size_bytes: m.write_size } },
          },
          { sampling: { interval_ms: 250, duration_ms: 2500 } },
        ),
      );
      expect(m.duplicate_probes.every((p) => !p.acked_at_once)).toBe(true);
      expect(last_global(r).counter_DelayedACKs_count).toBe(m.DelayedACKs);
      expect(last_global(r).counter_TCPLossProbes_count).toBe(m.TCPLossProbes);
    });
  }
});
