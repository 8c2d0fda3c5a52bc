import type { SimContext } from './sim_context';
import { weighted_frag_decision } from './weighted_task_frag';
import { SKB_CLONED } from './skb_pool';
import { tcp_data_queue } from './tcp_data_queue';
import { tcp_rcv_rtt_measure_ts } from './tcp_rcv_rtt';
import { tcp_ack } from './tcp_ack';
import { tcp_send_ack } from './tcp_send_ack';
import { alloc_skb_truesize } from '../skb/alloc_skb_truesize';
import { C_BacklogCoalesce, C_BacklogDrop } from './counters';

/** SkbPool.flags of a backlog entry (beside SKB_CLONED): what arrived. */
const BL_DATA = 16;
const BL_ACK = 32;
const BL_ZWP = 64;
/** Data entry: a NIC skb whose head is a page frag, coalesced by stealing the head. */
const BL_LINEAR_HEAD = 128;

/** Kernel: include/net/sock.h `sock_owned_by_user` — a task holds the socket (lock_sock, R-4.11). */
export function sock_owned_by_user(ctx: SimContext, s: number): boolean {
  return ctx.sock.owned[s] !== 0;
}

/** Kernel: net/core/sock.c `lock_sock`: the calling task owns the socket until release_sock. */
export function lock_sock(ctx: SimContext, s: number): void {
  ctx.sock.owned[s] = 1;
}

/**
 * Kernel: net/ipv4/tcp_ipv4.c `tcp_add_backlog` limit: 6.10+ 2 × rcvbuf + sndbuf / 2 + 64 KiB; 6.1
 * rcvbuf + sndbuf + 64 KiB (profile `backlog_limit`).
 */
export function tcp_backlog_limit_bytes(ctx: SimContext, s: number): number {
  const lim = ctx.p.backlog_limit ?? { rcvbuf_times: 2, sndbuf_times: 0.5, headroom_bytes: 65536 };
  const sk = ctx.sock;
  return Math.floor(sk.rb[s] * lim.rcvbuf_times) + Math.floor(sk.tb[s] * lim.sndbuf_times) + lim.headroom_bytes;
}

/** Appends pool entry `e` to s's backlog (`__sk_add_backlog`). */
function __sk_add_backlog(ctx: SimContext, s: number, e: number): void {
  const sk = ctx.sock;
  if (sk.bl_tail[s] >= 0) ctx.skb.next[sk.bl_tail[s]] = e;
  else sk.bl_head[s] = e;
  sk.bl_tail[s] = e;
}

/**
 * Kernel: include/net/sock.h `sk_add_backlog`: refused (TCPBacklogDrop) when bl + r exceeds the
 * limit — the arriving skb itself is not counted; otherwise queued and bl += truesize.
 */
function sk_add_backlog(ctx: SimContext, s: number, e: number): boolean {
  const sk = ctx.sock;
  const k = ctx.skb;
  if (sk.bl[s] + sk.r[s] > tcp_backlog_limit_bytes(ctx, s)) {
    k.peer[e] = -1;
    k.free(e);
    ctx.counters[C_BacklogDrop] += ctx.conn_weight[s >> 1];
    sk.d[s] += 1;
    return false;
  }
  __sk_add_backlog(ctx, s, e);
  sk.bl[s] += k.truesize[e];
  return true;
}

/**
 * A data segment (or GRO skb) arriving at an owned socket goes to its backlog.
 * Kernel: net/ipv4/tcp_ipv4.c `tcp_add_backlog`: `skb_condense` (no change here: lo/veth skbs are
 * clones with frags, NIC GRO skbs carry more frag bytes than their head's tailroom), then coalescing with the
 * backlog tail when the headers match exactly (contiguous sequence, same TCP options: the model takes "same
 * timestamp" as "arrived in the same millisecond") through `skb_try_coalesce`: the tail must not be cloned
 * on lo/veth it always is, the sender's original waits for the ACK this segment has not produced
 * yet), frag limits and truesize delta as in; bl += delta, TCPBacklogCoalesce. Else
 * `sk_add_backlog` (limit, TCPBacklogDrop).
 * Model: the entry keeps what `tcp_data_queue` needs at release_sock: seq, len, truesize, nr_frags, the lo/veth
 * sender skb (`peer`, without the back link: the clone link is made when the segment is queued) and the
 * arrival millisecond (`pcount`).
 */
export function tcp_add_backlog_data(
  ctx: SimContext,
  s: number,
  seq: number,
  len: number,
  truesize: number,
  nr_frags: number,
  tx_skb: number,
  linear_head: boolean,
  tsecr_ms: number,
): void {
  const sk = ctx.sock;
  const k = ctx.skb;
  const now_ms = Math.floor(ctx.now_ms);
  const tail = sk.bl_tail[s];
  if (
    tail >= 0 &&
    k.flags[tail] & BL_DATA &&
    !(k.flags[tail] & SKB_CLONED) &&
    k.pcount[tail] === now_ms &&
    k.tsecr_ms[tail] === tsecr_ms &&
    k.seq[tail] + k.len[tail] === seq
  ) {
    let delta = -1;
    weighted_frag_decision(ctx, s);
    if (linear_head) {
      if (k.nr_frags[tail] + nr_frags < ctx.p.struct.max_skb_frags) {
        delta = truesize - ctx.sk_buff_bytes;
        k.nr_frags[tail] += nr_frags + 1;
      }
    } else if (k.nr_frags[tail] + nr_frags <= ctx.p.struct.max_skb_frags) {
      delta = truesize - ctx.tx_base_truesize;
      k.nr_frags[tail] += nr_frags;
    }
    if (delta >= 0) {
      k.len[tail] += len;
      k.truesize[tail] += delta;
      sk.bl[s] += delta;
      ctx.counters[C_BacklogCoalesce] += ctx.conn_weight[s >> 1];
      return;
    }
  }
  const e = k.alloc(seq, len, truesize, nr_frags, BL_DATA | (linear_head ? BL_LINEAR_HEAD : 0) | (tx_skb >= 0 ? SKB_CLONED : 0));
  k.peer[e] = tx_skb;
  k.pcount[e] = now_ms;
  k.tsecr_ms[e] = tsecr_ms;
  sk_add_backlog(ctx, s, e);
}

/**
 * An ACK (no data) arriving at an owned socket.
 * Kernel: `tcp_add_backlog`: a pure ACK behind a pure ACK with the same options coalesces (zero
 * payload fits the tailroom: delta 0, R-4.4); the tail takes the newer ack_seq and window. Otherwise queued
 * with the truesize of tcp_send_ack's skb (alloc_skb(MAX_TCP_HEADER)).
 */
export function tcp_add_backlog_ack(ctx: SimContext, s: number, ack_seq: number, win: number): void {
  const sk = ctx.sock;
  const k = ctx.skb;
  const now_ms = Math.floor(ctx.now_ms);
  const tail = sk.bl_tail[s];
  if (tail >= 0 && k.flags[tail] & BL_ACK && k.pcount[tail] === now_ms) {
    if (ack_seq >= k.seq[tail]) {
      k.seq[tail] = ack_seq;
      k.len[tail] = win;
    }
    ctx.counters[C_BacklogCoalesce] += ctx.conn_weight[s >> 1];
    return;
  }
  const e = k.alloc(ack_seq, win, alloc_skb_truesize(ctx.p, ctx.p.struct.max_tcp_header_bytes), 0, BL_ACK);
  k.pcount[e] = now_ms;
  sk_add_backlog(ctx, s, e);
}

/** A zero-window probe (an old sequence number) arriving at an owned socket: queued like an ACK skb. */
export function tcp_add_backlog_zwp(ctx: SimContext, s: number): void {
  const k = ctx.skb;
  const e = k.alloc(0, 0, alloc_skb_truesize(ctx.p, ctx.p.struct.max_tcp_header_bytes), 0, BL_ZWP);
  k.pcount[e] = -1;
  sk_add_backlog(ctx, s, e);
}

/** A zero-window probe processed by the receiver: dropped (sk_drops) and answered with a duplicate ACK. */
export function tcp_rcv_zero_window_probe(ctx: SimContext, s: number): void {
  ctx.sock.d[s] += 1;
  tcp_send_ack(ctx, s);
}

/**
 * Kernel: net/core/sock.c `__release_sock` (via `release_sock`, and `__sk_flush_backlog`): the backlog is
 * processed in arrival order through `sk_backlog_rcv` → tcp_v4_do_rcv (data → tcp_data_queue, ACK →
 * tcp_ack, probe → duplicate ACK); sk_backlog.len is reset to 0 only when the backlog is empty.
 * Model: processing takes no simulated time, so nothing can arrive while it runs; the socket stays owned
 * until the caller releases it.
 */
export function __release_sock(ctx: SimContext, s: number): void {
  const sk = ctx.sock;
  const k = ctx.skb;
  let e = sk.bl_head[s];
  sk.bl_head[s] = -1;
  sk.bl_tail[s] = -1;
  while (e >= 0) {
    const next = k.next[e];
    const fl = k.flags[e];
    const seq = k.seq[e];
    const len = k.len[e];
    const truesize = k.truesize[e];
    const nr_frags = k.nr_frags[e];
    const tx = k.peer[e];
    const tsecr_ms = k.tsecr_ms[e];
    // the entry is not the receive skb: drop it without touching the sender's clone link
    k.peer[e] = -1;
    k.free(e);
    if (fl & BL_DATA) {
      // tcp_v4_do_rcv → tcp_rcv_established → tcp_data_queue (queued for the reader, no prequeue since 4.14)
      const linear = (fl & BL_LINEAR_HEAD) !== 0;
      const seg_len = linear && nr_frags > 0 ? ctx.link.mss_bytes : len;
      if (seq === sk.rcv_nxt[s]) tcp_rcv_rtt_measure_ts(ctx, s, len, tsecr_ms);
      tcp_data_queue(ctx, s, seq, len, truesize, nr_frags, tx, linear, seg_len);
    } else if (fl & BL_ACK) {
      tcp_ack(ctx, s, seq, len);
    } else {
      tcp_rcv_zero_window_probe(ctx, s);
    }
    e = next;
  }
  sk.bl[s] = 0;
}

/** Kernel: net/core/sock.c `release_sock`: process the backlog, then the socket is no longer owned. */
export function release_sock(ctx: SimContext, s: number): void {
  if (ctx.sock.bl_head[s] >= 0) __release_sock(ctx, s);
  ctx.sock.bl[s] = 0;
  ctx.sock.owned[s] = 0;
}

/**
 * Kernel: net/ipv4/tcp_ipv4.c `tcp_v4_rcv`: a segment for a socket owned by a task goes to the backlog
 * (`tcp_add_backlog`), otherwise it is processed at once (`tcp_v4_do_rcv` → tcp_data_queue). Returns false
 * when the segment was dropped on the direct path (the caller stops delivering the rest of a NIC burst).
 */
export function tcp_v4_rcv_data(
  ctx: SimContext,
  s: number,
  seq: number,
  len: number,
  truesize: number,
  nr_frags: number,
  tx_skb: number,
  linear_head: boolean,
  seg_len: number,
  tsecr_ms: number,
): boolean {
  if (ctx.sock.owned[s] !== 0) {
    tcp_add_backlog_data(ctx, s, seq, len, truesize, nr_frags, tx_skb, linear_head, tsecr_ms);
    return true;
  }
  // tcp_rcv_established: the RTT sample is taken before tcp_data_queue, for in-order data
  if (seq === ctx.sock.rcv_nxt[s]) tcp_rcv_rtt_measure_ts(ctx, s, len, tsecr_ms);
  return tcp_data_queue(ctx, s, seq, len, truesize, nr_frags, tx_skb, linear_head, seg_len);
}
