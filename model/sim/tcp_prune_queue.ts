import type { SimContext } from './sim_context';
import { SKB_LINEAR } from './skb_pool';
import { F_RCVBUF_LOCK } from './socket_table';
import { tcp_win_from_space } from '../window/tcp_win_from_space';
import { alloc_skb_truesize } from '../skb/alloc_skb_truesize';
import { skb_max_order } from '../skb/skb_align';
import { sk_mem_schedule, sk_mem_uncharge, tcp_under_memory_pressure } from './mem_pool';
import { tcp_adjust_rcv_ssthresh } from './tcp_select_window';
import { C_PruneCalled, C_RcvCollapsed, C_RcvPruned } from './counters';
import { tcp_prune_ofo_queue } from './tcp_prune_ofo_queue';
import { tcp_collapse_ofo_queue } from './tcp_collapse_ofo_queue';
import { tcp_has_ofo } from './tcp_packets_in_flight';

/**
 * Kernel: net/ipv4/tcp_input.c `tcp_clamp_window`: rcvbuf may grow to what is already queued
 * (up to tcp_rmem[2]) when not locked, not under pressure and tcp_memory_allocated < tcp_mem[0]; if
 * still r > rcvbuf, rcv_ssthresh = min(window_clamp, 2 × advmss).
 */
export function tcp_clamp_window(ctx: SimContext, s: number): void {
  const sk = ctx.sock;
  sk.quick[s] = 0;
  const rmem2 = ctx.p.sysctl.tcp_rmem[2];
  if (
    sk.rb[s] < rmem2 &&
    !(sk.flags[s] & F_RCVBUF_LOCK) &&
    !tcp_under_memory_pressure(ctx, s) &&
    ctx.mem.global_pages < ctx.mem.tcp_mem[0]
  ) {
    sk.rb[s] = Math.min(sk.r[s], rmem2);
  }
  if (sk.r[s] > sk.rb[s]) sk.rcv_ssthresh[s] = Math.min(sk.window_clamp[s], 2 * ctx.link.advmss_bytes);
}

/**
 * Kernel: net/ipv4/tcp_input.c `tcp_collapse` on the receive queue: from the first "bloated"
 * skb (win_from_space(truesize) > len) to rcv_nxt, the unread bytes are copied into new linear skbs of
 * up to SKB_MAX_ORDER(0,0) = 3776 bytes (kmalloc-4k head, truesize 4352; the last one smaller); each
 * old skb freed counts TCPRcvCollapsed.
 * Model: the partially read head skb is included in the range from copied_seq; no SYN/FIN, no OFO;
 * new skbs are charged and old ones freed in the kernel's interleaved order.
 */
export function tcp_collapse(ctx: SimContext, s: number): void {
  const sk = ctx.sock;
  const k = ctx.skb;
  const wgt = ctx.conn_weight[s >> 1];
  // find the first skb worth collapsing
  let prev = -1;
  let skb = sk.rq_head[s];
  while (skb >= 0) {
    if (tcp_win_from_space(ctx.p, sk.ratio[s], k.truesize[skb]) > k.len[skb] || k.seq[skb] < sk.copied_seq[s]) break;
    prev = skb;
    skb = k.next[skb];
  }
  if (skb < 0) return;
  const start = Math.max(k.seq[skb], sk.copied_seq[s]);
  const end = sk.rcv_nxt[s];
  // detach the old skbs [skb ...] from the queue; new linear skbs are appended as they are built
  if (prev >= 0) k.next[prev] = -1;
  else sk.rq_head[s] = -1;
  sk.rq_tail[s] = prev;
  let old = skb;
  let n_old = 0;
  const chunk = skb_max_order(ctx.p, 0, 0);
  let seq = start;
  while (seq < end) {
    // alloc_skb(copy) + skb_set_owner_r: charged without scheduling (f may dip below 0)
    const copy = Math.min(chunk, end - seq);
    const ts = alloc_skb_truesize(ctx.p, copy);
    const nskb = k.alloc(seq, copy, ts, 0, SKB_LINEAR);
    sk.r[s] += ts;
    sk.f[s] -= ts;
    if (sk.rq_tail[s] >= 0) k.next[sk.rq_tail[s]] = nskb;
    else sk.rq_head[s] = nskb;
    sk.rq_tail[s] = nskb;
    seq += copy;
    // tcp_collapse_one: old skbs fully copied are freed (sock_rfree → uncharge → reclaim)
    while (old >= 0 && k.seq[old] + k.len[old] <= seq) {
      const nx = k.next[old];
      const old_ts = k.truesize[old];
      k.free(old);
      n_old++;
      sk.r[s] -= old_ts;
      sk_mem_uncharge(ctx, s, old_ts);
      old = nx;
    }
  }
  ctx.counters[C_RcvCollapsed] += n_old * wgt;
}

/**
 * Kernel: net/ipv4/tcp_input.c `tcp_prune_queue`: PruneCalled; clamp the window (which may
 * simply raise rcvbuf to r); collapse; if r still exceeds rcvbuf, RcvPruned and fail.
 * The OFO queue is collapsed first (`tcp_collapse_ofo_queue`, R-4.17), and as the last resort
 * `tcp_prune_ofo_queue` drops OFO skbs above `in_seq`.
 * Returns true when the caller may queue after all.
 */
export function tcp_prune_queue(ctx: SimContext, s: number, in_seq = Infinity): boolean {
  const sk = ctx.sock;
  const wgt = ctx.conn_weight[s >> 1];
  ctx.counters[C_PruneCalled] += wgt;
  if (sk.r[s] === 0) return false;
  if (sk.r[s] > sk.rb[s]) tcp_clamp_window(ctx, s);
  else if (tcp_under_memory_pressure(ctx, s)) tcp_adjust_rcv_ssthresh(ctx, s);
  if (sk.r[s] <= sk.rb[s]) return true;
  if (tcp_has_ofo(ctx, s)) tcp_collapse_ofo_queue(ctx, s);
  tcp_collapse(ctx, s);
  if (sk.r[s] <= sk.rb[s]) return true;
  tcp_prune_ofo_queue(ctx, s, in_seq);
  if (sk.r[s] <= sk.rb[s]) return true;
  ctx.counters[C_RcvPruned] += wgt;
  return false;
}

/**
 * Kernel: net/ipv4/tcp_input.c `tcp_try_rmem_schedule`: ok if r ≤ rcvbuf and the
 * memory can be scheduled; else prune, then while scheduling still fails drop OFO skbs above `in_seq`
 * (tcp_prune_ofo_queue) until it succeeds or nothing is left.
 */
export function tcp_try_rmem_schedule(ctx: SimContext, s: number, size: number, in_seq = Infinity): boolean {
  const sk = ctx.sock;
  if (sk.r[s] <= sk.rb[s] && sk_mem_schedule(ctx, s, size, false)) return true;
  if (!tcp_prune_queue(ctx, s, in_seq)) return false;
  while (!sk_mem_schedule(ctx, s, size, false)) {
    if (!tcp_prune_ofo_queue(ctx, s, in_seq)) return false;
  }
  return true;
}
