import type { SimContext } from './sim_context';
import { F_RCVBUF_LOCK } from './socket_table';
import { tcp_space_from_win, tcp_win_from_space } from '../window/tcp_win_from_space';
import { skb_truesize } from '../skb/skb_truesize';
import { tcp_has_ofo } from './tcp_packets_in_flight';

/**
 * Kernel: net/ipv4/tcp_input.c `tcp_rcvbuf_grow` (6.18, R-5.17): rcvwin = 2·copied +
 * 2·(2·copied)·(copied − old)/old; rcvbuf = min(space_from_win(rcvwin), tcp_rmem[2]), raised only, and
 * window_clamp follows. With an OFO queue the window also covers its span (ooo_last end − rcv_nxt; 6.16
 * "tcp: adjust rcvbuf in presence of reorders"), and tcp_data_queue_ofo calls it with the current space.
 */
export function tcp_rcvbuf_grow(ctx: SimContext, s: number, newval: number): void {
  const sk = ctx.sock;
  const oldval = sk.rcvq_space[s];
  sk.rcvq_space[s] = newval;
  let rcvwin = 2 * newval;
  const grow = Math.floor((rcvwin * (newval - oldval)) / oldval);
  rcvwin += 2 * grow;
  if (tcp_has_ofo(ctx, s)) {
    const last = ctx.loss.ofo_tail[ctx.loss.slot(ctx.sock, s)];
    rcvwin += ctx.skb.seq[last] + ctx.skb.len[last] - sk.rcv_nxt[s];
  }
  const rcvbuf = Math.min(tcp_space_from_win(ctx.p, sk.ratio[s], rcvwin), ctx.p.sysctl.tcp_rmem[2]);
  if (rcvbuf > sk.rb[s]) {
    sk.rb[s] = rcvbuf;
    sk.window_clamp[s] = tcp_win_from_space(ctx.p, sk.ratio[s], rcvbuf);
  }
}

/**
 * Kernel: 6.1 `tcp_rcv_space_adjust` body: rcvwin = 2·copied + 16·advmss plus the growth
 * term; rcvmem = SKB_TRUESIZE(advmss + MAX_TCP_HEADER) bumped by 128 until it holds an advmss window;
 * rcvbuf = min(rcvwin/advmss × rcvmem, tcp_rmem[2]).
 */
function tcp_rcvmem_grow_6_1(ctx: SimContext, s: number, copied: number): void {
  const sk = ctx.sock;
  const advmss = ctx.link.advmss_bytes;
  let rcvwin = 2 * copied + 16 * advmss;
  const grow = Math.floor((rcvwin * (copied - sk.rcvq_space[s])) / sk.rcvq_space[s]);
  rcvwin += 2 * grow;
  let rcvmem = skb_truesize(ctx.p, advmss + ctx.p.struct.max_tcp_header_bytes);
  while (tcp_win_from_space(ctx.p, sk.ratio[s], rcvmem) < advmss) rcvmem += 128;
  const rcvbuf = Math.min(Math.floor(rcvwin / advmss) * rcvmem, ctx.p.sysctl.tcp_rmem[2]);
  if (rcvbuf > sk.rb[s]) {
    sk.rb[s] = rcvbuf;
    sk.window_clamp[s] = tcp_win_from_space(ctx.p, sk.ratio[s], rcvbuf);
  }
}

/**
 * Receive-buffer autotuning after a read (DRS).
 * Kernel: net/ipv4/tcp_input.c `tcp_rcv_space_adjust` (R-5.17 for 6.18: copied excludes what is still
 * queued; for 6.1): at most once per receiver RTT; needs an RTT estimate; skipped when
 * tcp_moderate_rcvbuf = 0 or SO_RCVBUF is locked.
 * `time < rcv_rtt_est.rtt_us >> 3 || rtt_us == 0 → return`: the receiver's own estimate from timestamps
 * (tcp_rcv_rtt.ts), so on a loaded host the interval, and with it `copied`, grows with the queueing delay.
 * Model: times in ms of simulated time (the kernel's tcp_mstamp is µs).
 */
export function tcp_rcv_space_adjust(ctx: SimContext, s: number): void {
  const sk = ctx.sock;
  const rtt_us = sk.rcv_rtt_est_us[s] >> 3;
  if (rtt_us === 0 || (ctx.now_ms - sk.rcvq_time_ms[s]) * 1000 < rtt_us) return;
  let copied = sk.copied_seq[s] - sk.rcvq_seq[s];
  const grow_allowed = ctx.p.sysctl.tcp_moderate_rcvbuf === 1 && !(sk.flags[s] & F_RCVBUF_LOCK);
  if (ctx.p.drs_variant === 'rcvbuf_grow_6_18') {
    copied -= sk.rcv_nxt[s] - sk.copied_seq[s];
    if (copied > sk.rcvq_space[s] && grow_allowed) tcp_rcvbuf_grow(ctx, s, copied);
  } else if (copied > sk.rcvq_space[s]) {
    if (grow_allowed) tcp_rcvmem_grow_6_1(ctx, s, copied);
    sk.rcvq_space[s] = copied;
  }
  sk.rcvq_seq[s] = sk.copied_seq[s];
  sk.rcvq_time_ms[s] = ctx.now_ms;
}
