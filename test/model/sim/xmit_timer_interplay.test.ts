import { describe, expect, it } from 'vitest';
import type { SimContext } from '../../../model/sim/sim_context';
import { SocketTable, F_REO, F_RTO, F_TLP } from '../../../model/sim/socket_table';
import { SkbPool, SKB_SACKED } from '../../../model/sim/skb_pool';
import { EventHeap } from '../../../model/sim/event_heap';
import { LossTable } from '../../../model/sim/loss_table';
import { sim_counters, C_FastRetrans, C_SackRecovery } from '../../../model/sim/counters';
import { tcp_rtt_estimator, tcp_set_rto } from '../../../model/sim/tcp_rtt_estimator';
import { tcp_schedule_loss_probe } from '../../../model/sim/tcp_schedule_loss_probe';
import { CA_RECOVERY, tcp_rack_mark_lost, tcp_rack_reo_timeout } from '../../../model/sim/tcp_rack';

/**
 * The socket's one retransmission timer shared by the RTO, the tail loss probe and RACK's reorder timer
 * (icsk_pending: ICSK_TIME_RETRANS / LOSS_PROBE / REO_TIMEOUT; net/ipv4/tcp_output.c tcp_schedule_loss_probe,
 * net/ipv4/tcp_input.c tcp_rearm_rto, net/ipv4/tcp_recovery.c tcp_rack_mark_lost / tcp_rack_reo_timeout; ).
 *
 * A loopback sender after the handshake (srtt_us 1, icsk_rto 200 ms, HZ 250: 1 jiffy = 4 ms) with two
 * one-segment skbs in flight: A (seq 0..1000, sent at 0 ms) and B (1000..2000, sent at 1 ms).
 */
function sender(): SimContext {
  const ctx = {
    p: { hz: 250 },
    sock: new SocketTable(2),
    skb: new SkbPool(8),
    heap: new EventHeap(16),
    loss: new LossTable(),
    link: { kind: 'loopback', one_way_ns: 0 },
    scenario: { kernel: {} },
    conn_weight: new Float64Array([1]),
    counters: new Float64Array(sim_counters.length),
    now_ns: 0,
  } as unknown as SimContext;
  tcp_rtt_estimator(ctx, 0, 0);
  tcp_set_rto(ctx, 0);
  const k = ctx.skb;
  const a = k.alloc(0, 1000, 1832, 1, 0);
  const b = k.alloc(1000, 1000, 1832, 1, 0);
  k.next[a] = b;
  k.pcount[a] = k.pcount[b] = 1;
  k.tstamp_ns[a] = 0;
  k.tstamp_ns[b] = 1e6;
  const sk = ctx.sock;
  sk.wq_head[0] = a;
  sk.wq_send[0] = -1;
  sk.wq_tail[0] = b;
  sk.packets_out[0] = 2;
  sk.snd_una[0] = 0;
  sk.snd_nxt[0] = 2000;
  sk.cwnd[0] = 10;
  return ctx;
}

/** B is SACKed at `now_ms` and RACK has taken its send time (1 ms) with an RTT of `rack_rtt_ms`. */
function sack_b(ctx: SimContext, now_ms: number, rack_rtt_ms: number): void {
  const L = ctx.loss;
  const x = L.ensure(ctx.sock, 0);
  const b = ctx.sock.wq_tail[0];
  ctx.skb.flags[b] |= SKB_SACKED;
  L.sacked_out[x] = 1;
  L.rack_mstamp_ns[x] = 1e6;
  L.rack_end_seq[x] = 2000;
  L.rack_rtt_ns[x] = rack_rtt_ms * 1e6;
  ctx.now_ns = now_ms * 1e6;
}

describe('one retransmission timer for RTO, loss probe and RACK reorder timeout (R-5.14)', () => {
  it('schedules a loss probe only in the Open state: not with SACKed skbs outstanding nor in Recovery', () => {
    // Open, 2 packets out: PTO = 1 jiffy (tcp_schedule_loss_probe.test.ts) → armed as LOSS_PROBE at 4 ms.
    const open = sender();
    expect(tcp_schedule_loss_probe(open, 0, false)).toBe(true);
    expect(open.sock.flags[0] & (F_RTO | F_TLP)).toBe(F_RTO | F_TLP);
    expect(open.sock.rto_due_ns[0]).toBe(4e6);
    // Disorder (the kernel's tcp_try_to_open: sacked_out > 0): no probe, the caller re-arms the RTO instead.
    const disorder = sender();
    sack_b(disorder, 1, 1);
    expect(tcp_schedule_loss_probe(disorder, 0, false)).toBe(false);
    // Recovery with nothing SACKed any more: still no probe.
    const recovery = sender();
    const x = recovery.loss.ensure(recovery.sock, 0);
    recovery.loss.ca_state[x] = CA_RECOVERY;
    expect(tcp_schedule_loss_probe(recovery, 0, false)).toBe(false);
  });

  it('lets RACK replace a pending loss probe by its reorder timer (tcp_rack_mark_lost)', () => {
    // The probe was armed at 0 ms for 4 ms. At 1.5 ms B is SACKed with rack.rtt = 3 ms; reo_wnd = min_rtt/4 =
    // 0 on lo. A, sent at 0 before B, has waited 1.5 ms of 3 → not lost yet, 1.5 ms to go:
    // usecs_to_jiffies(1500) = 1 + TCP_TIMEOUT_MIN 2 = 3 jiffies = 12 ms → due at 13.5 ms, kind REO_TIMEOUT.
    const ctx = sender();
    tcp_schedule_loss_probe(ctx, 0, false);
    sack_b(ctx, 1.5, 3);
    expect(tcp_rack_mark_lost(ctx, 0)).toBe(true);
    expect(ctx.sock.flags[0] & (F_RTO | F_TLP | F_REO)).toBe(F_RTO | F_REO);
    expect(ctx.sock.rto_due_ns[0]).toBe(13.5e6);
    expect(ctx.loss.lost_out[ctx.loss.slot(ctx.sock, 0)]).toBe(0);
  });

  it('marks the hole lost when the reorder timer fires, retransmits it and re-arms the RTO from the retransmission', () => {
    // At 13.5 ms A has waited 13.5 ms > rack.rtt 3 ms → lost (packets in flight 2 − 1 SACKed − 1 lost = 0
    // changed) → Recovery (TCPSackRecovery 1) and A is retransmitted (TCPFastRetrans 1). The head went out
    // again, but the REO timer is pending (tcp_xmit_retransmit_queue then leaves the timer alone), so
    // tcp_rack_reo_timeout re-arms: what is left of the head's RTO, counted from A's new send time 13.5 ms:
    // 200000 µs = 50 jiffies → due at 213.5 ms, kind RETRANS.
    const ctx = sender();
    sack_b(ctx, 1.5, 3);
    tcp_rack_mark_lost(ctx, 0);
    ctx.now_ns = 13.5e6;
    ctx.sock.flags[0] &= ~F_RTO; // the EV_RTO dispatch (simulate.ts) clears "armed" and keeps the kind
    tcp_rack_reo_timeout(ctx, 0);
    expect(ctx.counters[C_SackRecovery]).toBe(1);
    expect(ctx.counters[C_FastRetrans]).toBe(1);
    expect(ctx.sock.flags[0] & (F_RTO | F_TLP | F_REO)).toBe(F_RTO);
    expect(ctx.sock.rto_due_ns[0]).toBe(213.5e6);
  });

  it('re-arms the RTO for what is left of the head’s RTO when the reorder timer finds nothing lost', () => {
    // As above, but A was SACKed before the timer fired: nothing to mark, nothing to send. The head A was
    // sent at 0: tcp_rto_delta_us = 200000 − 13500 = 186500 µs → ceil(46.6) = 47 jiffies = 188 ms →
    // due at 201.5 ms (not 213.5: the reorder wait does not extend the RTO).
    const ctx = sender();
    sack_b(ctx, 1.5, 3);
    tcp_rack_mark_lost(ctx, 0);
    ctx.skb.flags[ctx.sock.wq_head[0]] |= SKB_SACKED;
    ctx.loss.sacked_out[ctx.loss.slot(ctx.sock, 0)] = 2;
    ctx.now_ns = 13.5e6;
    ctx.sock.flags[0] &= ~F_RTO;
    tcp_rack_reo_timeout(ctx, 0);
    expect(ctx.counters[C_FastRetrans]).toBe(0);
    expect(ctx.sock.flags[0] & (F_RTO | F_TLP | F_REO)).toBe(F_RTO);
    expect(ctx.sock.rto_due_ns[0]).toBe(201.5e6);
  });
});
