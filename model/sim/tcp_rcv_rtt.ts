import type { SimContext } from './sim_context';

/**
 * The receiver's RTT estimate from TCP timestamps, which paces DRS (tcp_rcv_space_adjust runs at most once
 * per estimate, R-5.17, R-5.18).
 *
 * Kernel: net/ipv4/tcp_input.c `tcp_rcv_rtt_update`; the estimate is kept × 8 in µs (tp->rcv_rtt_est.rtt_us).
 * A per-window sample (`win_dep`, tcp_rcv_rtt_measure) only ever sets or lowers it. A timestamp sample
 * (win_dep = 0), by profile `rcv_rtt_variant`:
 * - 'min_latch_6_16' (6.16+, "tcp: always seek for minimal rtt in tcp_rcv_rtt_update()"): the first sample,
 *   or one below the estimate, replaces it at once; a larger one moves it by 1/8
 *   (est8 = est8 − est8/8 + sample);
 * - 'ewma_6_1': the first sample sets it, every later one moves it by 1/8.
 */
export function tcp_rcv_rtt_update(ctx: SimContext, s: number, sample_us: number, win_dep = false): void {
  const sk = ctx.sock;
  const old = sk.rcv_rtt_est_us[s];
  const m = sample_us * 8;
  if (old === 0 || ((win_dep || ctx.p.rcv_rtt_variant === 'min_latch_6_16') && m < old)) sk.rcv_rtt_est_us[s] = m;
  else if (!win_dep) sk.rcv_rtt_est_us[s] = old - (old >> 3) + sample_us;
}

/**
 * The per-window sample, taken on every in-order data segment whatever the timestamps: the time from one
 * measurement point until rcv_nxt passes the right edge offered then (rcv_nxt + rcv_wnd), i.e. how long one
 * window's worth took to arrive; it can only lower the estimate.
 * Kernel: net/ipv4/tcp_input.c `tcp_rcv_rtt_measure` (from `tcp_event_data_recv`): time == 0 → start;
 * before(rcv_nxt, seq) → wait; else sample = now − time in µs (0 → 1), win_dep = 1; restart at rcv_nxt + rcv_wnd.
 * Model: µs of simulated time (tcp_mstamp).
 */
export function tcp_rcv_rtt_measure(ctx: SimContext, s: number): void {
  const sk = ctx.sock;
  const now_us = Math.floor(ctx.now_ns / 1000);
  if (sk.rcv_rtt_est_time_us[s] !== 0) {
    if (sk.rcv_nxt[s] < sk.rcv_rtt_est_seq[s]) return;
    tcp_rcv_rtt_update(ctx, s, Math.max(1, now_us - sk.rcv_rtt_est_time_us[s]), true);
  }
  sk.rcv_rtt_est_seq[s] = sk.rcv_nxt[s] + sk.rcv_wnd[s];
  sk.rcv_rtt_est_time_us[s] = now_us;
}

/**
 * One data segment's RTT sample: now (ms clock) − the TSecr it carries, i.e. the time since this socket sent
 * the ACK whose TSval the sender echoed. On a loaded host that includes every delay between the ACK and the
 * processing of the data it released (the sender's queueing, the receiver's backlog), not only the wire.
 * Kernel: net/ipv4/tcp_input.c `tcp_rcv_rtt_measure_ts` → `tcp_rtt_tsopt_us`: only the first segment with a
 * new TSecr (rcv_rtt_last_tsecr) and only if the skb holds at least rcv_mss; a sample of 0 ms counts as 1 ms
 * on 6.1 and is dropped on 6.16+ ("tcp: remove zero TCP TS samples for autotuning").
 * Model: `tsecr_ms` is the sender's ts_recent when it transmitted the segment; the ms clock is the
 * simulated time (both ends share it, the TS offsets cancel). A 0 ms sample counts as 1 ms on both variants
 * (see the comment in the body: the kernel's next tick-straddling sample).
 */
export function tcp_rcv_rtt_measure_ts(ctx: SimContext, s: number, skb_len: number, tsecr_ms: number): void {
  const sk = ctx.sock;
  if (tsecr_ms === sk.rcv_rtt_last_tsecr_ms[s]) return;
  sk.rcv_rtt_last_tsecr_ms[s] = tsecr_ms;
  if (skb_len < sk.rcv_mss[s]) return;
  let delta_ms = Math.floor(ctx.now_ms) - tsecr_ms;
  if (delta_ms < 0) return;
  // 6.1 counts 0 ms as 1 ms. 6.16+ drops it, but there the real delay is > 0 (µs on lo/veth) and the next
  // sample that straddles a ms tick gives 1 ms, which the minimum latch keeps; the model's instants have no
  // sub-ms spread (an ACK and the data it releases share one instant), so its 0 stands for that 1 ms.
  if (delta_ms === 0) delta_ms = 1;
  tcp_rcv_rtt_update(ctx, s, delta_ms * 1000);
}

/**
 * An ACK from the peer: its TSval becomes ts_recent, echoed as TSecr by what this socket sends next.
 * Kernel: net/ipv4/tcp_input.c `tcp_store_ts_recent` (via `tcp_replace_ts_recent` or the fast path: a pure
 * ACK at rcv_wup passes the RFC 7323 check).
 * Model: the ACK's TSval is the ms in which the peer sent it (it arrives one_way_ns later); taken when the
 * ACK arrives, also when it waits in the backlog (only a reading socket is ever owned, and in the scenarios
 * validated the reader does not send data); data segments do not update ts_recent (their seq is beyond
 * rcv_wup while an ACK is pending, so mostly they would not either).
 */
export function tcp_store_ts_recent(ctx: SimContext, s: number): void {
  ctx.sock.ts_recent_ms[s] = Math.floor((ctx.now_ns - ctx.link.one_way_ns) / 1e6);
}
