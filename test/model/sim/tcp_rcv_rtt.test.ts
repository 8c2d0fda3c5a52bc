import { describe, expect, it } from 'vitest';
import type { SimContext } from '../../../model/sim/sim_context';
import { SocketTable } from '../../../model/sim/socket_table';
import { SkbPool } from '../../../model/sim/skb_pool';
import { tcp_rcv_rtt_measure, tcp_rcv_rtt_measure_ts, tcp_rcv_rtt_update } from '../../../model/sim/tcp_rcv_rtt';
import { tcp_rcv_space_adjust } from '../../../model/sim/tcp_rcv_space_adjust';
import { get_builtin_profile } from '../../../model/profile/builtin_profiles';

/** One receiving socket (0) on a builtin profile; time in ms of simulated time. */
function bare_ctx(profile_id: string, now_ms: number): SimContext {
  const p = get_builtin_profile(profile_id);
  return { p, sock: new SocketTable(2), skb: new SkbPool(4), now_ms, now_ns: now_ms * 1e6 } as unknown as SimContext;
}

describe('tcp_rcv_rtt_update (net/ipv4/tcp_input.c, R-5.17)', () => {
  it('on 6.18 takes the first sample, smooths a larger one by 1/8 and latches a smaller one at once', () => {
    // est8 = 0 → 20 ms: 20000 << 3 = 160000. 30 ms is larger: 160000 − (160000 >> 3) + 30000 = 170000
    // (21250 µs). 5 ms is smaller: 5000 << 3 = 40000 replaces it (6.16 "always seek for minimal rtt").
    const ctx = bare_ctx('6.18.44-reference', 0);
    tcp_rcv_rtt_update(ctx, 0, 20000);
    expect(ctx.sock.rcv_rtt_est_us[0]).toBe(160000);
    tcp_rcv_rtt_update(ctx, 0, 30000);
    expect(ctx.sock.rcv_rtt_est_us[0]).toBe(170000);
    tcp_rcv_rtt_update(ctx, 0, 5000);
    expect(ctx.sock.rcv_rtt_est_us[0]).toBe(40000);
  });

  it('on 6.1 smooths a smaller sample by 1/8 too', () => {
    // 160000 − 20000 + 5000 = 145000 (18125 µs)
    const ctx = bare_ctx('debian-6.1.192-amd64', 0);
    tcp_rcv_rtt_update(ctx, 0, 20000);
    tcp_rcv_rtt_update(ctx, 0, 5000);
    expect(ctx.sock.rcv_rtt_est_us[0]).toBe(145000);
  });
});

describe('tcp_rcv_rtt_measure_ts (net/ipv4/tcp_input.c, R-5.17)', () => {
  it('samples now − TSecr once per new TSecr, only for an skb of at least rcv_mss', () => {
    // rcv_mss 1000. At 57 ms a 500-byte skb echoing 40: too short, but 40 becomes rcv_rtt_last_tsecr.
    // A full skb with the same TSecr 40: no sample. A full skb echoing 45 at 57 ms: 12 ms → est8 96000.
    const ctx = bare_ctx('6.18.44-reference', 57.4);
    ctx.sock.rcv_mss[0] = 1000;
    tcp_rcv_rtt_measure_ts(ctx, 0, 500, 40);
    expect(ctx.sock.rcv_rtt_est_us[0]).toBe(0);
    tcp_rcv_rtt_measure_ts(ctx, 0, 1000, 40);
    expect(ctx.sock.rcv_rtt_est_us[0]).toBe(0);
    tcp_rcv_rtt_measure_ts(ctx, 0, 1000, 45);
    expect(ctx.sock.rcv_rtt_est_us[0]).toBe(12000 * 8);
  });

  it('counts a sample within the same millisecond as 1 ms', () => {
    // floor(57.4) − 57 = 0 → 1 ms (6.1's rule; on 6.18 the model's stand-in for the next tick-straddling sample)
    const ctx = bare_ctx('6.18.44-reference', 57.4);
    ctx.sock.rcv_mss[0] = 1000;
    tcp_rcv_rtt_measure_ts(ctx, 0, 1000, 57);
    expect(ctx.sock.rcv_rtt_est_us[0]).toBe(8000);
  });
});

describe('tcp_rcv_rtt_measure: the per-window sample (net/ipv4/tcp_input.c, R-5.17)', () => {
  it('times one window of data and only ever lowers the estimate', () => {
    // At 1 ms (1000 µs): start; seq = rcv_nxt 10000 + rcv_wnd 50000 = 60000. At 3 ms rcv_nxt 59999 < 60000:
    // wait. At 4.5 ms rcv_nxt 60000: sample 3500 µs → first estimate 28000 (×8); restart at 60000 + 50000.
    // At 20 ms rcv_nxt 110000: 15500 µs is larger → ignored (win_dep); restart. At 20.2 ms rcv_nxt 160000:
    // 200 µs → latched, est8 1600 — on 6.1 as on 6.18.
    for (const id of ['6.18.44-reference', 'debian-6.1.192-amd64']) {
      const ctx = bare_ctx(id, 1) as { now_ns: number; sock: SocketTable } & SimContext;
      const sk = ctx.sock;
      sk.rcv_wnd[0] = 50000;
      sk.rcv_nxt[0] = 10000;
      tcp_rcv_rtt_measure(ctx, 0);
      expect(sk.rcv_rtt_est_seq[0]).toBe(60000);
      ctx.now_ns = 3e6;
      sk.rcv_nxt[0] = 59999;
      tcp_rcv_rtt_measure(ctx, 0);
      expect(sk.rcv_rtt_est_us[0]).toBe(0);
      ctx.now_ns = 4.5e6;
      sk.rcv_nxt[0] = 60000;
      tcp_rcv_rtt_measure(ctx, 0);
      expect(sk.rcv_rtt_est_us[0]).toBe(28000);
      ctx.now_ns = 20e6;
      sk.rcv_nxt[0] = 110000;
      tcp_rcv_rtt_measure(ctx, 0);
      expect(sk.rcv_rtt_est_us[0]).toBe(28000);
      ctx.now_ns = 20.2e6;
      sk.rcv_nxt[0] = 160000;
      tcp_rcv_rtt_measure(ctx, 0);
      expect(sk.rcv_rtt_est_us[0]).toBe(1600);
    }
  });
});

describe('tcp_rcv_space_adjust paced by the receiver RTT estimate (R-5.17)', () => {
  it('waits one estimated RTT, then grows rcvbuf from what was read minus what is still queued (6.18)', () => {
    // est 10 ms (est8 80000); last round at 100 ms; rcvq_space 100000; rb 131072; ratio 128 (win = space/2).
    // At 105 ms: 5 ms < 10 ms → nothing. At 110 ms: copied = (copied_seq 300000 − rcvq_seq 0) − (rcv_nxt
    // 350000 − 300000) = 250000 > 100000: rcvwin = 2·250000 = 500000; grow = 500000·150000/100000 = 750000;
    // rcvwin += 2·750000 → 2000000; rcvbuf = min(2000000·256/128 = 4000000, tcp_rmem[2]) = 4000000;
    // window_clamp = 4000000·128/256 = 2000000; rcvq_space = 250000, rcvq_seq = 300000, rcvq_time = 110.
    const ctx = bare_ctx('6.18.44-reference', 105);
    const sk = ctx.sock;
    sk.rcv_rtt_est_us[0] = 80000;
    sk.rcvq_time_ms[0] = 100;
    sk.rcvq_space[0] = 100000;
    sk.rb[0] = 131072;
    sk.ratio[0] = 128;
    sk.copied_seq[0] = 300000;
    sk.rcv_nxt[0] = 350000;
    tcp_rcv_space_adjust(ctx, 0);
    expect(sk.rb[0]).toBe(131072);
    expect(sk.rcvq_time_ms[0]).toBe(100);
    (ctx as { now_ms: number }).now_ms = 110;
    tcp_rcv_space_adjust(ctx, 0);
    expect(sk.rb[0]).toBe(4000000);
    expect(sk.window_clamp[0]).toBe(2000000);
    expect(sk.rcvq_space[0]).toBe(250000);
    expect(sk.rcvq_seq[0]).toBe(300000);
    expect(sk.rcvq_time_ms[0]).toBe(110);
  });

  it('does not run before the receiver has an RTT estimate', () => {
    const ctx = bare_ctx('6.18.44-reference', 1000);
    ctx.sock.rcvq_space[0] = 100000;
    ctx.sock.rb[0] = 131072;
    ctx.sock.copied_seq[0] = 300000;
    ctx.sock.rcv_nxt[0] = 300000;
    tcp_rcv_space_adjust(ctx, 0);
    expect(ctx.sock.rb[0]).toBe(131072);
    expect(ctx.sock.rcvq_seq[0]).toBe(0);
  });
});
