import { describe, expect, it } from 'vitest';
import type { SimContext } from '../../../model/sim/sim_context';
import { SocketTable } from '../../../model/sim/socket_table';
import { SkbPool } from '../../../model/sim/skb_pool';
import { tcp_rtt_estimator, tcp_set_rto, usecs_to_jiffies } from '../../../model/sim/tcp_rtt_estimator';

/** The few fields the estimator reads: HZ 250 (both profiles), one socket. */
function bare_ctx(): SimContext {
  return { p: { hz: 250 }, sock: new SocketTable(2), skb: new SkbPool(4), now_ns: 0 } as unknown as SimContext;
}

describe('tcp_rtt_estimator and tcp_set_rto (net/ipv4/tcp_input.c, R-5.14)', () => {
  it('rounds microseconds up to whole jiffies as usecs_to_jiffies does (HZ 250: 4 ms)', () => {
    const ctx = bare_ctx();
    expect(usecs_to_jiffies(ctx, 0)).toBe(0);
    expect(usecs_to_jiffies(ctx, 1)).toBe(1);
    expect(usecs_to_jiffies(ctx, 4000)).toBe(1);
    expect(usecs_to_jiffies(ctx, 4001)).toBe(2);
    expect(usecs_to_jiffies(ctx, 200000)).toBe(50);
  });

  it('starts a loopback socket at srtt_us 1, rttvar 200 ms and an RTO of 200 ms from a 0 µs handshake sample', () => {
    // First sample m = 0: srtt = 0 << 3 = 0 → max(1, 0) = 1; mdev = 0; rttvar = max(0, tcp_rto_min_us
    // 200000) = 200000; icsk_rto = usecs_to_jiffies((1 >> 3) + 200000) = 50 jiffies = 200 ms.
    const ctx = bare_ctx();
    tcp_rtt_estimator(ctx, 0, 0);
    tcp_set_rto(ctx, 0);
    expect(ctx.sock.srtt_us[0]).toBe(1);
    expect(ctx.sock.rttvar_us[0]).toBe(200000);
    expect(ctx.sock.rto_us[0]).toBe(200000);
  });

  it('moves srtt by 1/8 of a 40 ms delayed-ACK sample (srtt 5 ms) and keeps the RTO at 200 ms + srtt rounded up', () => {
    // srtt_us 1 (×8), sample m = 40000: m −= 1 >> 3 (0) → 40000; srtt_us = 1 + 40000 = 40001 (5000 µs);
    // mdev = 0 + (40000 − 0) = 40000 ≤ mdev_max 200000, so rttvar stays 200000 (snd_una 0 is not after
    // rtt_seq 0). RTO = usecs_to_jiffies(5000 + 200000) = ceil(51.25) = 52 jiffies = 208 ms.
    const ctx = bare_ctx();
    tcp_rtt_estimator(ctx, 0, 0);
    tcp_rtt_estimator(ctx, 0, 40000);
    tcp_set_rto(ctx, 0);
    expect(ctx.sock.srtt_us[0]).toBe(40001);
    expect(ctx.sock.srtt_us[0] >> 3).toBe(5000);
    expect(ctx.sock.mdev_us[0]).toBe(40000);
    expect(ctx.sock.rto_us[0]).toBe(208000);
  });
});
