import type { SimContext } from './sim_context';
import { SKB_CLONED, SKB_LINEAR, SKB_NIC_HEAD } from './skb_pool';
import { F_ACK_NOW } from './socket_table';
import { sk_mem_uncharge } from './mem_pool';
import { tcp_try_rmem_schedule } from './tcp_prune_queue';
import { skb_try_coalesce } from './tcp_try_coalesce';
import { tcp_grow_window } from './tcp_event_data_recv';
import { tcp_receive_window } from './tcp_select_window';
import { tcp_ack_snd_check, tcp_send_ack } from './tcp_send_ack';
import { C_OFODrop, C_OFOMerge, C_OFOQueue } from './counters';
import { tcp_rcvbuf_grow } from './tcp_rcv_space_adjust';
import { F_RCVBUF_LOCK } from './socket_table';

/**
 * Links a lo/veth receive skb with the sender's original: it stays cloned, and cannot be
 * coalesced into, until the sender frees the original (on the cumulative ACK; SACKed originals stay, R-4.9).
 */
export function link_rx_clone(ctx: SimContext, rx: number, tx_skb: number): void {
  const k = ctx.skb;
  if (tx_skb < 0) return;
  const old = k.peer[tx_skb];
  if (old >= 0) k.peer[old] = -1;
  k.flags[rx] |= SKB_CLONED;
  k.peer[rx] = tx_skb;
  k.peer[tx_skb] = rx;
}

/** Drops one queued OFO/receive skb that a caller has already unlinked: r and f give its truesize back (sock_rfree, R-3.2). */
export function tcp_drop_queued_skb(ctx: SimContext, s: number, skb: number): void {
  const ts = ctx.skb.truesize[skb];
  ctx.skb.free(skb);
  ctx.sock.r[s] -= ts;
  sk_mem_uncharge(ctx, s, ts);
}

/**
 * A segment beyond rcv_nxt (a hole before it) arriving at socket s; returns false when it was dropped for
 * lack of window or memory (true also for a duplicate of queued data).
 *
 * Kernel: net/ipv4/tcp_input.c `tcp_data_queue` (out of window: seq ≥ rcv_nxt + window → drop and
 * quick-ACK) → `tcp_data_queue_ofo`: `tcp_try_rmem_schedule` (R-4.12; failure → TCPOFODrop, sk_drops,
 * no ACK); TCPOFOQueue; `tcp_ooo_try_coalesce` into the last OFO skb when the segment continues it (R-4.1,
 * the same rules as in order: never into a clone, R-4.2); otherwise insert by sequence: a segment covered
 * by a queued one is dropped (TCPOFOMerge, sk_drops, a D-SACK), queued ones it covers are dropped
 * (TCPOFOMerge); SACK flows grow rcv_ssthresh (`tcp_grow_window`, R-5.9); `skb_condense` and
 * `skb_set_owner_r`: r += truesize. The ACK goes out at once while the OFO queue is not empty
 * (`__tcp_ack_snd_check`, R-5.15), carrying SACK blocks (the sender reads them, tcp_sacktag.ts).
 * Model: the OFO queue is a list sorted by seq (the kernel's rbtree, same order); partly overlapping
 * segments are queued whole (the kernel keeps them too); skb_condense changes nothing for the skbs modelled
 * (lo/veth clones keep their truesize; a NIC build_skb head without frags is already SKB_TRUESIZE(end)).
 */
export function tcp_data_queue_ofo(
  ctx: SimContext,
  s: number,
  seq: number,
  len: number,
  truesize: number,
  nr_frags: number,
  tx_skb: number,
  linear_head: boolean,
  payload_truesize: number,
): boolean {
  const r = tcp_data_queue_ofo_insert(ctx, s, seq, len, truesize, nr_frags, tx_skb, linear_head, payload_truesize);
  // end: 6.16+ provisions the OFO span (tcp_rcvbuf_grow with the current space, R-5.17); not after an OFO drop
  const sk = ctx.sock;
  if (r !== OFO_DROPPED && ctx.p.drs_variant === 'rcvbuf_grow_6_18' && ctx.p.sysctl.tcp_moderate_rcvbuf === 1 && !(sk.flags[s] & F_RCVBUF_LOCK)) {
    tcp_rcvbuf_grow(ctx, s, sk.rcvq_space[s]);
  }
  if (r === OFO_QUEUED) tcp_ack_snd_check(ctx, s);
  return r !== OFO_DROPPED;
}

const OFO_QUEUED = 0;
const OFO_DUPLICATE = 1;
const OFO_DROPPED = 2;

function tcp_data_queue_ofo_insert(
  ctx: SimContext,
  s: number,
  seq: number,
  len: number,
  truesize: number,
  nr_frags: number,
  tx_skb: number,
  linear_head: boolean,
  payload_truesize: number,
): number {
  const L = ctx.loss;
  const x = L.ensure(ctx.sock, s);
  const sk = ctx.sock;
  const k = ctx.skb;
  const wgt = ctx.conn_weight[s >> 1];
  const end = seq + len;
  const rwin = tcp_receive_window(ctx, s);
  if (seq >= sk.rcv_nxt[s] + rwin || (ctx.p.tcp_sequence_rejects_beyond_window && end > sk.rcv_nxt[s] + rwin && sk.rq_head[s] >= 0)) {
    // out of window (tcp_data_queue) or, 6.17+, ending beyond it with a non-empty queue (tcp_sequence)
    sk.d[s] += 1;
    sk.flags[s] |= F_ACK_NOW;
    tcp_send_ack(ctx, s);
    return OFO_DROPPED;
  }
  if (!tcp_try_rmem_schedule(ctx, s, truesize, seq)) {
    ctx.counters[C_OFODrop] += wgt;
    sk.d[s] += 1;
    return OFO_DROPPED;
  }
  ctx.counters[C_OFOQueue] += wgt;
  sk.flags[s] |= F_ACK_NOW;
  const tail = L.ofo_tail[x];
  if (tail >= 0 && k.seq[tail] + k.len[tail] === seq) {
    // tcp_ooo_try_coalesce into the last OFO skb (the owned segment's truesize was scheduled above)
    if (skb_try_coalesce(ctx, s, tail, len, truesize, nr_frags, linear_head) >= 0) {
      tcp_grow_window(ctx, s, len, payload_truesize);
      return OFO_QUEUED;
    }
  }
  // find the insertion point: after `prev`, dropping what the new skb covers, or dropping the new skb
  let prev = -1;
  let cur = L.ofo_head[x];
  if (tail >= 0 && seq >= k.seq[tail] + k.len[tail]) {
    prev = tail;
    cur = -1;
  }
  while (cur >= 0 && k.seq[cur] < seq) {
    if (k.seq[cur] + k.len[cur] >= end) {
      // covered by a queued skb: a duplicate (TCPOFOMerge, D-SACK, dropped)
      ctx.counters[C_OFOMerge] += wgt;
      sk.d[s] += 1;
      tcp_ack_snd_check(ctx, s);
      return OFO_DUPLICATE;
    }
    prev = cur;
    cur = k.next[cur];
  }
  if (cur >= 0 && k.seq[cur] === seq && k.seq[cur] + k.len[cur] >= end) {
    ctx.counters[C_OFOMerge] += wgt;
    sk.d[s] += 1;
    tcp_ack_snd_check(ctx, s);
    return OFO_DUPLICATE;
  }
  // merge_right: queued skbs the new one covers entirely are dropped
  while (cur >= 0 && k.seq[cur] + k.len[cur] <= end) {
    const nx = k.next[cur];
    tcp_drop_queued_skb(ctx, s, cur);
    ctx.counters[C_OFOMerge] += wgt;
    sk.d[s] += 1;
    cur = nx;
  }
  const skb = k.alloc(seq, len, truesize, nr_frags, linear_head ? SKB_NIC_HEAD : 0);
  link_rx_clone(ctx, skb, tx_skb);
  k.next[skb] = cur;
  if (prev >= 0) k.next[prev] = skb;
  else L.ofo_head[x] = skb;
  if (cur < 0) L.ofo_tail[x] = skb;
  tcp_grow_window(ctx, s, len, payload_truesize);
  sk.r[s] += truesize;
  sk.f[s] -= truesize;
  return OFO_QUEUED;
}

/**
 * After in-order data advanced rcv_nxt: moves the OFO skbs the hole no longer separates to the receive queue.
 *
 * Kernel: net/ipv4/tcp_input.c `tcp_ofo_queue`: an OFO skb wholly below rcv_nxt is dropped (sk_drops);
 * otherwise it is unlinked and, when it starts exactly at rcv_nxt, `tcp_try_coalesce` into the receive-queue
 * tail (R-4.1..4.8; a linear skb built by tcp_collapse_ofo_queue has a kmalloc head, so it can only be copied
 * into the tail's tailroom, R-4.4, R-4.6: on success the delta is charged and the moved skb freed, so r changes by delta −
 * truesize, TCPRcvCoalesce); else it is appended (r unchanged: it was charged when it entered the OFO queue).
 * rcv_nxt = its end. The caller sets ICSK_ACK_NOW when the queue empties (RFC 5681 4.2).
 */
export function tcp_ofo_queue(ctx: SimContext, s: number): void {
  const L = ctx.loss;
  const x = L.slot(ctx.sock, s);
  const sk = ctx.sock;
  const k = ctx.skb;
  let skb = L.ofo_head[x];
  while (skb >= 0 && k.seq[skb] <= sk.rcv_nxt[s]) {
    const nx = k.next[skb];
    L.ofo_head[x] = nx;
    if (nx < 0) L.ofo_tail[x] = -1;
    const end = k.seq[skb] + k.len[skb];
    if (end <= sk.rcv_nxt[s]) {
      sk.d[s] += 1;
      tcp_drop_queued_skb(ctx, s, skb);
      skb = nx;
      continue;
    }
    const tail = sk.rq_tail[s];
    let eaten = false;
    if (tail >= 0 && k.seq[skb] === sk.rcv_nxt[s] && k.seq[tail] + k.len[tail] === sk.rcv_nxt[s]) {
      if (k.flags[skb] & SKB_LINEAR) {
        // a collapsed OFO skb has a kmalloc head (skb_head_is_locked): only a copy into the tail's tailroom
        eaten = k.flags[tail] & SKB_LINEAR && k.len[skb] <= k.truesize[tail] - ctx.skb_overhead_bytes - k.len[tail]
          ? skb_try_coalesce(ctx, s, tail, k.len[skb], k.truesize[skb], 0, false) >= 0
          : false;
      } else {
        eaten = skb_try_coalesce(ctx, s, tail, k.len[skb], k.truesize[skb], k.nr_frags[skb], (k.flags[skb] & SKB_NIC_HEAD) !== 0) >= 0;
      }
    }
    sk.rcv_nxt[s] = end;
    if (eaten) {
      tcp_drop_queued_skb(ctx, s, skb);
    } else {
      k.next[skb] = -1;
      if (tail >= 0) k.next[tail] = skb;
      else sk.rq_head[s] = skb;
      sk.rq_tail[s] = skb;
    }
    skb = nx;
  }
}
