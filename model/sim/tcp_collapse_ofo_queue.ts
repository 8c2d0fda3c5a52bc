import type { SimContext } from './sim_context';
import { SKB_LINEAR } from './skb_pool';
import { tcp_win_from_space } from '../window/tcp_win_from_space';
import { alloc_skb_truesize } from '../skb/alloc_skb_truesize';
import { skb_max_order } from '../skb/skb_align';
import { sk_mem_uncharge } from './mem_pool';
import { C_RcvCollapsed } from './counters';

/**
 * Kernel: net/ipv4/tcp_input.c `tcp_collapse_ofo_queue`: walks the OFO queue range by range
 * (contiguous or overlapping skbs); a range is collapsed unless it is one skb shorter than
 * SKB_WITH_OVERHEAD(PAGE_SIZE) = 3776 bytes ("tiny"); once the tiny ranges left alone sum to more than
 * rcvbuf/8 of truesize it gives up. Each range goes through `tcp_collapse` (R-4.16, as on the receive queue):
 * skbs that are neither "bloated" (tcp_win_from_space(truesize) > len) nor followed by an overlapping one
 * are skipped; from the first that is, the range's bytes are copied into new linear skbs of up to 3776
 * bytes (truesize alloc_skb, charged without scheduling), each old skb freed once copied (TCPRcvCollapsed).
 * Model: SYN/FIN and unreadable frags do not occur.
 */
export function tcp_collapse_ofo_queue(ctx: SimContext, s: number): void {
  const sk = ctx.sock;
  const k = ctx.skb;
  const tiny_limit = skb_max_order(ctx.p, 0, 0);
  let before = -1;
  let skb = ctx.loss.ofo_head[ctx.loss.slot(ctx.sock, s)];
  let sum_tiny = 0;
  while (skb >= 0) {
    const head = skb;
    const start = k.seq[head];
    let end = start + k.len[head];
    let range_truesize = k.truesize[head];
    let last = head;
    let nx = k.next[head];
    while (nx >= 0 && k.seq[nx] <= end) {
      range_truesize += k.truesize[nx];
      end = Math.max(end, k.seq[nx] + k.len[nx]);
      last = nx;
      nx = k.next[nx];
    }
    if (range_truesize !== k.truesize[head] || end - start >= tiny_limit) {
      last = collapse_range(ctx, s, before, head, nx, start, end);
    } else {
      sum_tiny += range_truesize;
      if (sum_tiny > sk.rb[s] >> 3) return;
    }
    before = last;
    skb = nx;
  }
}

/** `tcp_collapse` over OFO skbs [head, stop) after `before`; returns the last skb of the range afterwards. */
function collapse_range(ctx: SimContext, s: number, before: number, head: number, stop: number, start: number, end: number): number {
  const sk = ctx.sock;
  const k = ctx.skb;
  const wgt = ctx.conn_weight[s >> 1];
  let prev = before;
  let cur = head;
  let st = start;
  // find the first skb worth collapsing
  while (cur !== stop) {
    const cur_end = k.seq[cur] + k.len[cur];
    const n = k.next[cur];
    if (st >= cur_end) {
      // no new bits (overlapped): tcp_collapse_one
      unlink(ctx, s, prev, cur);
      free_rx(ctx, s, cur);
      ctx.counters[C_RcvCollapsed] += wgt;
      cur = n;
      continue;
    }
    if (tcp_win_from_space(ctx.p, sk.ratio[s], k.truesize[cur]) > k.len[cur] || k.seq[cur] < st) break;
    if (n !== stop && n >= 0 && cur_end !== k.seq[n]) break;
    st = cur_end;
    prev = cur;
    cur = n;
  }
  if (cur === stop) return prev;
  // copy [st, end) into new linear skbs inserted after `prev`, freeing the old ones as they are consumed
  const chunk = skb_max_order(ctx.p, 0, 0);
  let tail = prev;
  let old = cur;
  while (st < end) {
    const copy = Math.min(chunk, end - st);
    const ts = alloc_skb_truesize(ctx.p, copy);
    const nskb = k.alloc(st, copy, ts, 0, SKB_LINEAR);
    sk.r[s] += ts;
    sk.f[s] -= ts;
    k.next[nskb] = old;
    if (tail >= 0) k.next[tail] = nskb;
    else ctx.loss.ofo_head[ctx.loss.slot(ctx.sock, s)] = nskb;
    tail = nskb;
    st += copy;
    while (old !== stop && old >= 0 && k.seq[old] + k.len[old] <= st) {
      const nx = k.next[old];
      k.next[tail] = nx;
      free_rx(ctx, s, old);
      ctx.counters[C_RcvCollapsed] += wgt;
      old = nx;
    }
  }
  if (k.next[tail] < 0) ctx.loss.ofo_tail[ctx.loss.slot(ctx.sock, s)] = tail;
  return tail;
}

function unlink(ctx: SimContext, s: number, prev: number, skb: number): void {
  const L = ctx.loss;
  const o = L.slot(ctx.sock, s);
  const nx = ctx.skb.next[skb];
  if (prev >= 0) ctx.skb.next[prev] = nx;
  else L.ofo_head[o] = nx;
  if (L.ofo_tail[o] === skb) L.ofo_tail[o] = prev;
}

function free_rx(ctx: SimContext, s: number, skb: number): void {
  const ts = ctx.skb.truesize[skb];
  ctx.skb.free(skb);
  ctx.sock.r[s] -= ts;
  sk_mem_uncharge(ctx, s, ts);
}
