import { describe, expect, it } from 'vitest';
import type { SimContext } from '../../../model/sim/sim_context';
import { SocketTable } from '../../../model/sim/socket_table';
import { SkbPool } from '../../../model/sim/skb_pool';
import { tcp_rtt_estimator, tcp_set_rto } from '../../../model/sim/tcp_rtt_estimator';
import { tcp_loss_probe_timeout_jiffies } from '../../../model/sim/tcp_schedule_loss_probe';
import { DEB, last_global, last_row, one_group, run } from './helpers';

/**
 * A loopback sender after the handshake (srtt_us 1, icsk_rto 200 ms) with `packets_out` segments in
 * flight in one skb sent at t = 0, looked at `now_ms` later.
 */
function sender(packets_out: number, now_ms = 0, srtt_sample_us: number | null = null): SimContext {
  const ctx = { p: { hz: 250 }, sock: new SocketTable(2), skb: new SkbPool(4), now_ns: 0 } as unknown as SimContext;
  tcp_rtt_estimator(ctx, 0, 0);
  if (srtt_sample_us !== null) tcp_rtt_estimator(ctx, 0, srtt_sample_us);
  tcp_set_rto(ctx, 0);
  const skb = ctx.skb.alloc(0, packets_out, 832 + packets_out, 1, 0);
  ctx.skb.tstamp_ns[skb] = 0;
  ctx.sock.wq_head[0] = skb;
  ctx.sock.wq_send[0] = -1;
  ctx.sock.packets_out[0] = packets_out;
  ctx.now_ns = now_ms * 1e6;
  return ctx;
}

describe('tcp_schedule_loss_probe: the probe timeout (net/ipv4/tcp_output.c, R-5.14)', () => {
  it('is one jiffy (4 ms) on lo with two or more packets out', () => {
    // srtt_us = 1 (×8): timeout_us = (1 >> 2) + TCP_TIMEOUT_MIN_US = 0 + 2000; usecs_to_jiffies(2000) at
    // HZ 250 = ceil(0.5) = 1. RTO left: 0 + 200000 − 0 = 200000 µs = 50 jiffies; min(1, 50) = 1.
    expect(tcp_loss_probe_timeout_jiffies(sender(2), 0, false)).toBe(1);
    expect(tcp_loss_probe_timeout_jiffies(sender(14), 0, false)).toBe(1);
  });

  it('adds the 200 ms delayed-ACK allowance with one packet out, so it ends where the RTO would', () => {
    // packets_out 1: (1 >> 2) + tcp_rto_min_us 200000 → 50 jiffies; RTO left 200000 µs → 50; = 200 ms.
    // 10 ms after the head was sent the RTO is 190000 µs away → ceil(47.5) = 48 jiffies, the smaller.
    expect(tcp_loss_probe_timeout_jiffies(sender(1), 0, false)).toBe(50);
    expect(tcp_loss_probe_timeout_jiffies(sender(1, 10), 0, false)).toBe(48);
  });

  it('grows with srtt: 3 jiffies once a 40 ms delayed-ACK sample has made srtt 5 ms', () => {
    // srtt_us = 40001 (see tcp_rtt_estimator.test.ts): 40001 >> 2 = 10000 + 2000 = 12000 µs = 3 jiffies.
    expect(tcp_loss_probe_timeout_jiffies(sender(3, 0, 40000), 0, false)).toBe(3);
  });

  it('uses the full icsk_rto as the bound when an ACK re-arms it (advancing_rto)', () => {
    // packets_out 1, 10 ms after the send: 50 jiffies from the formula, min with icsk_rto 50 → 50
    // (the time already elapsed is not subtracted on this path).
    expect(tcp_loss_probe_timeout_jiffies(sender(1, 10), 0, true)).toBe(50);
  });
});

const nodelay = (steps: unknown[]) => ({
  writer_sockopts: { tcp_nodelay: true },
  writer: { program: { kind: 'writes', steps } },
});

describe('tail loss probes on loopback (tcp_send_loss_probe, R-5.14, R-5.15)', () => {
  // 30 back-to-back 1-byte NODELAY writes to a reader that never reads. The receiver quick-ACKs the
  // first 16 segments (budget min(65483 / (2 × 536), 16) = 16, R-5.15), each before the next write, so
  // the sender's RTT samples are 0 and srtt_us stays 1. Segments 17..30 are not ACKed (delayed ACK due at
  // 40 ms): 14 packets out, PTO = 1 jiffy → at t = 4 ms the probe fires. Nothing is unsent, so it
  // retransmits the last skb (seq 29, 1 byte): the receiver already has it, drops it (d = 1) and, in
  // quick-ACK mode again (tcp_enter_quickack_mode), ACKs all 30 bytes at once; the delayed ACK is
  // cancelled, so DelayedACKs stays 0.
  const sampling = { sampling: { interval_ms: 2, duration_ms: 60 } };
  it('retransmits the unacked tail after one jiffy; the receiver drops the duplicate and ACKs at once', () => {
    const r = run(one_group(nodelay([{ size_bytes: 1, count: 30 }]), sampling));
    const at = (t: number) => r.run.global.find((g) => g.t_ms === t)!.values;
    const d_at = (t: number) => r.run.sockets.find((x) => x.t_ms === t && x.side === 'server')!.d_count;
    expect(at(4).counter_TCPLossProbes_count).toBe(0);
    expect(d_at(4)).toBe(0);
    expect(at(6).counter_TCPLossProbes_count).toBe(1);
    expect(d_at(6)).toBe(1);
    expect(last_row(r, 'client').send_q_bytes).toBe(0);
    expect(last_global(r).counter_DelayedACKs_count).toBe(0);
    expect(last_global(r).counter_TCPLossProbes_count).toBe(1);
  });

  it('re-enters quick-ACK mode on the duplicate, so a later segment is ACKed at once, not after 40 ms', () => {
    // As above, then a 31st write 10 ms after the 30th (t = 10 ms). Without the quick-ACK refill the
    // budget would be spent and its ACK delayed (DelayedACKs 1); with it: quick = min(rcv_wnd / (2 ×
    // 536), 16) minus the one spent on the dup-ACK > 0, so the ACK goes at once.
    const r = run(one_group(nodelay([{ size_bytes: 1, count: 31, burst: 30, spacing_ms: 10 }]), sampling));
    expect(last_global(r).counter_TCPLossProbes_count).toBe(1);
    expect(last_global(r).counter_DelayedACKs_count).toBe(0);
    expect(last_row(r, 'server').d_count).toBe(1);
    expect(last_row(r, 'client').send_q_bytes).toBe(0);
  });

  it('sends no probe when every segment is ACKed in time (16 writes, all quick-ACKed)', () => {
    const r = run(one_group(nodelay([{ size_bytes: 1, count: 16 }]), sampling));
    expect(last_global(r).counter_TCPLossProbes_count).toBe(0);
    expect(last_global(r).counter_DelayedACKs_count).toBe(0);
    expect(last_row(r, 'server').d_count).toBe(0);
  });

  it('sends no probe for one delayed segment: the 40 ms delayed ACK beats the 200 ms PTO', () => {
    // 17 writes 10 ms apart: the 17th is the first not quick-ACKed, alone in flight (packets_out 1):
    // PTO = 200 ms (test above) > the receiver's 40 ms delayed ACK, which fires (DelayedACKs 1).
    const r = run(one_group(nodelay([{ size_bytes: 1, count: 17, spacing_ms: 10 }]), { sampling: { interval_ms: 100, duration_ms: 400 } }));
    expect(last_global(r).counter_TCPLossProbes_count).toBe(0);
    expect(last_global(r).counter_DelayedACKs_count).toBe(1);
    expect(last_row(r, 'server').d_count).toBe(0);
  });

  it('probes with new data when some is unsent (Debian 6.1: cubic keeps cwnd 10, R-2.18)', () => {
    // 6.1/cubic: cwnd stays 10 (never cwnd-limited while each segment is quick-ACKed), so after the 16
    // quick-ACKed writes segments 17..26 fill cwnd and writes 27..30 wait in one unsent 4-byte skb. At
    // 4 ms the probe finds a send head inside the window and sends it (tcp_write_xmit with push_one = 2
    // ignores cwnd): new data, no duplicate, d = 0; the receiver's ACK for all 30 bytes then waits for
    // the delayed-ACK timer at 40 ms (DelayedACKs 1).
    const r = run(one_group(nodelay([{ size_bytes: 1, count: 30 }]), sampling), DEB);
    const q_at = (t: number) => r.run.sockets.find((x) => x.t_ms === t && x.side === 'server')!.recv_q_bytes;
    expect(q_at(4)).toBe(26);
    expect(q_at(6)).toBe(30);
    expect(last_global(r).counter_TCPLossProbes_count).toBe(1);
    expect(last_global(r).counter_DelayedACKs_count).toBe(1);
    expect(last_row(r, 'server').d_count).toBe(0);
  });

  it('counts TCPLossProbes once per connection, weighted', () => {
    const r = run(one_group({ count: 5, ...nodelay([{ size_bytes: 1, count: 30 }]) }, sampling));
    expect(last_global(r).counter_TCPLossProbes_count).toBe(5);
  });
});
