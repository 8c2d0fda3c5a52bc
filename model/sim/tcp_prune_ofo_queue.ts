import type { SimContext } from './sim_context';
import { tcp_under_memory_pressure } from './mem_pool';
import { tcp_drop_queued_skb } from './tcp_data_queue_ofo';
import { C_OfoPruned } from './counters';
import { tcp_has_ofo } from './tcp_packets_in_flight';

/**
 * Drops OFO skbs from the highest sequence down to make room for an incoming skb starting at `in_seq`;
 * returns true when it dropped anything.
 *
 * Kernel: net/ipv4/tcp_input.c `tcp_prune_ofo_queue`: from `ooo_last_skb` backwards, stop at an
 * skb the incoming one would land after (in_seq > its seq); free at least rcvbuf/8 of truesize per round
 * (each `tcp_drop_reason`: sk_drops), then stop when the incoming skb can be ingested (r ≤ rcvbuf) and the
 * socket is not under pressure; OfoPruned once; `tcp_sack_reset`.
 * Model: the SACK reset needs no state (the sender reads SACK blocks from the OFO queue, tcp_sacktag.ts);
 * the sender's skbs already marked SACKed stay so until an RTO forgets them (tcp_clear_loss_state), where
 * the kernel's tcp_check_sack_reneging would give the receiver max(RTT/2, 10 ms) first.
 */
export function tcp_prune_ofo_queue(ctx: SimContext, s: number, in_seq: number): boolean {
  const sk = ctx.sock;
  const k = ctx.skb;
  if (!tcp_has_ofo(ctx, s)) return false;
  const L = ctx.loss;
  const o = L.slot(ctx.sock, s);
  let goal = sk.rb[s] >> 3;
  let pruned = false;
  for (;;) {
    const last = L.ofo_tail[o];
    if (last < 0 || in_seq > k.seq[last]) break;
    // the list is singly linked: find the skb before the last one
    let prev = -1;
    for (let x = L.ofo_head[o]; x !== last; x = k.next[x]) prev = x;
    if (prev >= 0) k.next[prev] = -1;
    else L.ofo_head[o] = -1;
    L.ofo_tail[o] = prev;
    goal -= k.truesize[last];
    sk.d[s] += 1;
    tcp_drop_queued_skb(ctx, s, last);
    pruned = true;
    if (prev < 0 || goal <= 0) {
      if (sk.r[s] <= sk.rb[s] && !tcp_under_memory_pressure(ctx, s)) break;
      goal = sk.rb[s] >> 3;
    }
  }
  if (pruned) ctx.counters[C_OfoPruned] += ctx.conn_weight[s >> 1];
  return pruned;
}
