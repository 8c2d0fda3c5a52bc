import type { SimContext } from './sim_context';
import { weighted_frag_decision } from './weighted_task_frag';
import { SKB_CLONED, SKB_LINEAR } from './skb_pool';
import { C_RcvCoalesce } from './counters';

/**
 * Tries to merge an arriving in-order segment into the receive-queue tail. Returns the truesize
 * delta charged (≥ 0), or -1 when it could not be merged.
 *
 * Kernel: net/ipv4/tcp_input.c `tcp_try_coalesce` → net/core/skbuff.c `skb_try_coalesce`
 * (R-4.1..4.8): the tail must not be cloned (R-4.2; on lo/veth it stays cloned until the sender frees
 * its original on ACK, R-4.9); bytes fitting the tail's tailroom are copied (delta 0, R-4.4, only for
 * linear collapsed skbs); a frag-only segment moves its frags if the total stays ≤ 17 (delta = its
 * truesize − SKB_TRUESIZE(end) = payload on lo/veth, R-4.7); a segment with a page-frag head (NIC
 * build_skb) needs < 17 frags and costs its truesize − sizeof(sk_buff).
 * Model: `from_linear_head` marks the NIC case.
 */
export function tcp_try_coalesce(
  ctx: SimContext,
  s: number,
  len: number,
  truesize: number,
  nr_frags: number,
  from_linear_head: boolean,
): number {
  const sk = ctx.sock;
  const k = ctx.skb;
  const to = sk.rq_tail[s];
  if (to < 0) return -1;
  if (k.seq[to] + k.len[to] !== sk.rcv_nxt[s]) return -1;
  return skb_try_coalesce(ctx, s, to, len, truesize, nr_frags, from_linear_head);
}

/**
 * The merge itself, into any queued skb `to` whose end the segment continues (the receive-queue tail
 * above, the OFO tail in tcp_ooo_try_coalesce, R-4.1). Charges the delta to r and f and counts
 * TCPRcvCoalesce; returns the delta, or -1.
 */
export function skb_try_coalesce(
  ctx: SimContext,
  s: number,
  to: number,
  len: number,
  truesize: number,
  nr_frags: number,
  from_linear_head: boolean,
): number {
  const sk = ctx.sock;
  const k = ctx.skb;
  if (k.flags[to] & SKB_CLONED) return -1;
  let delta: number;
  if (k.flags[to] & SKB_LINEAR && len <= k.truesize[to] - ctx.skb_overhead_bytes - k.len[to]) {
    delta = 0;
  } else if (from_linear_head) {
    weighted_frag_decision(ctx, s);
    if (k.nr_frags[to] + nr_frags >= ctx.p.struct.max_skb_frags) return -1;
    delta = truesize - ctx.sk_buff_bytes;
    k.nr_frags[to] += nr_frags + 1;
  } else {
    weighted_frag_decision(ctx, s);
    if (k.nr_frags[to] + nr_frags > ctx.p.struct.max_skb_frags) return -1;
    delta = truesize - ctx.tx_base_truesize;
    k.nr_frags[to] += nr_frags;
  }
  k.len[to] += len;
  k.truesize[to] += delta;
  sk.r[s] += delta;
  sk.f[s] -= delta;
  ctx.counters[C_RcvCoalesce] += ctx.conn_weight[s >> 1];
  return delta;
}
