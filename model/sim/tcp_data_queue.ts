import type { SimContext } from './sim_context';
import { EV_READ } from './sim_context';
import { F_ACK_NOMEM, F_ACK_NOW, F_READ_QUEUED } from './socket_table';
import { sk_forced_mem_schedule } from './mem_pool';
import { tcp_try_rmem_schedule } from './tcp_prune_queue';
import { tcp_try_coalesce } from './tcp_try_coalesce';
import { tcp_event_data_recv, tcp_incr_quickack } from './tcp_event_data_recv';
import { tcp_receive_window } from './tcp_select_window';
import { tcp_ack_snd_check, tcp_send_ack } from './tcp_send_ack';
import { reader_wants_data } from './programs';
import { C_RcvQDrop, C_ZeroWindowDrop } from './counters';
import { link_rx_clone, tcp_data_queue_ofo, tcp_ofo_queue } from './tcp_data_queue_ofo';
import { tcp_has_ofo } from './tcp_packets_in_flight';

/**
 * One in-order segment (or GRO skb) arriving at socket s.
 * `tx_skb` ≥ 0: a lo/veth clone of the sender's skb (same truesize, R-3.3; cloned while the original
 * waits for its ACK, R-3.4). `linear_head`: NIC build_skb skb.
 *
 * Kernel: net/ipv4/tcp_input.c `tcp_sequence` (6.17+, profile tcp_sequence_rejects_beyond_window: end
 * beyond the window with a non-empty receive queue → drop before tcp_data_queue, R-5.14), then
 * `tcp_data_queue`: zero window → TCPZeroWindowDrop; beyond the
 * right edge → drop; `tcp_try_rmem_schedule` (R-4.12..4.15) and on failure ICSK_ACK_NOMEM
 * (6.18), TCPRcvQDrop if the queue is not empty, else forced accept; `tcp_queue_rcv` (coalesce, R-4.x,
 * or append, R-3.1); `tcp_event_data_recv`; then the ACK decision.
 * A segment beyond rcv_nxt goes to the OFO queue (tcp_data_queue_ofo.ts); one that overlaps rcv_nxt is
 * queued whole (not coalesced: its seq is not the tail's end); in-order data that reaches OFO skbs moves
 * them to the receive queue (`tcp_ofo_queue`) and ACKs at once.
 * Model: a duplicate wholly below rcv_nxt is dropped and answered (sk_drops, D-SACK not modelled).
 */
export function tcp_data_queue(
  ctx: SimContext,
  s: number,
  seq: number,
  len: number,
  truesize: number,
  nr_frags: number,
  tx_skb: number,
  linear_head: boolean,
  seg_len: number,
): boolean {
  const sk = ctx.sock;
  const k = ctx.skb;
  const wgt = ctx.conn_weight[s >> 1];
  if (seq > sk.rcv_nxt[s]) {
    const payload_ts = tx_skb >= 0 ? truesize - ctx.tx_base_truesize : truesize;
    return tcp_data_queue_ofo(ctx, s, seq, len, truesize, nr_frags, tx_skb, linear_head, payload_ts);
  }
  if (seq + len <= sk.rcv_nxt[s]) {
    // a retransmission of what we already have (a TLP, RACK or RTO duplicate). Old data: tcp_data_queue →
    // DelayedACKLost, tcp_dsack_set, tcp_enter_quickack_mode(TCP_MAX_QUICKACKS), inet_csk_schedule_ack,
    // drop; then tcp_rcv_established → tcp_ack_snd_check. No ACK is forced:
    // __tcp_ack_snd_check tests "more than one rcv_mss unacked and the window would not shrink" before
    // quick-ACK mode, and that test runs __tcp_select_window, which zeroes the quick-ACK credits when free
    // space < full space / 2. So a duplicate that meets a nearly full receive buffer (the fill
    // scenarios' tail loss probe) leaves the pending delayed ACK to fire on its timer (it carries the D-SACK
    // and counts DelayedACKs); one that meets a roomy buffer is ACKed at once. Measured: scripts/tlp-delack,
    // data/measurements/tlp-delack-2026-12-04.json. With a non-empty OFO queue the kernel's not-now branch
    // sends at once too (dup_ack_counter < TCP_FASTRETRANS_THRESH; the compressed-SACK timer after that is
    // not modelled), so the model ACKs at once there as before.
    sk.d[s] += 1;
    tcp_incr_quickack(ctx, s);
    const x = sk.loss_slot[s];
    if (x >= 0 && ctx.loss.ofo_head[x] >= 0) tcp_send_ack(ctx, s);
    else tcp_ack_snd_check(ctx, s);
    return false;
  }
  const rwin = tcp_receive_window(ctx, s);
  if (ctx.p.tcp_sequence_rejects_beyond_window && seq + len > sk.rcv_nxt[s] + rwin && sk.rq_head[s] >= 0) {
    // 6.17+ tcp_validate_incoming → tcp_sequence: end beyond the window with a non-empty receive
    // queue → dropped (BeyondWindow, not TCPZeroWindowDrop) and answered by tcp_send_dupack.
    // This is what a retransmission into a NOMEM zero window meets (memcg-pressure: 0 ZeroWindowDrop).
    sk.d[s] += 1;
    tcp_send_ack(ctx, s);
    return false;
  }
  if (rwin === 0 || seq + len > sk.rcv_wup[s] + sk.rcv_wnd[s]) {
    if (rwin === 0) ctx.counters[C_ZeroWindowDrop] += wgt;
    sk.d[s] += 1;
    tcp_incr_quickack(ctx, s);
    tcp_send_ack(ctx, s);
    return false;
  }
  if (!tcp_try_rmem_schedule(ctx, s, truesize, seq)) {
    if (ctx.p.ack_nomem_zero_window) sk.flags[s] |= F_ACK_NOMEM;
    sk.flags[s] |= F_ACK_NOW;
    if (sk.rq_head[s] >= 0) {
      ctx.counters[C_RcvQDrop] += wgt;
      sk.d[s] += 1;
      tcp_send_ack(ctx, s);
      return false;
    }
    sk_forced_mem_schedule(ctx, s, truesize);
  }
  // tcp_queue_rcv
  const delta = seq === sk.rcv_nxt[s] ? tcp_try_coalesce(ctx, s, len, truesize, nr_frags, linear_head) : -1;
  if (delta < 0) {
    const skb = k.alloc(seq, len, truesize, nr_frags, 0);
    link_rx_clone(ctx, skb, tx_skb);
    if (sk.rq_tail[s] >= 0) k.next[sk.rq_tail[s]] = skb;
    else sk.rq_head[s] = skb;
    sk.rq_tail[s] = skb;
    sk.r[s] += truesize;
    sk.f[s] -= truesize;
  }
  sk.rcv_nxt[s] = seq + len;
  const payload_truesize = tx_skb >= 0 ? truesize - ctx.tx_base_truesize : truesize;
  tcp_event_data_recv(ctx, s, len, seg_len, truesize, payload_truesize);
  if (tcp_has_ofo(ctx, s)) {
    // gap filled (partly or wholly): move what follows and ACK at once (RFC 5681 4.2 / OFO not empty)
    tcp_ofo_queue(ctx, s);
    sk.flags[s] |= F_ACK_NOW;
  }
  tcp_ack_snd_check(ctx, s);
  // sk_data_ready: wake the reader (it runs after this softirq work)
  if (!(sk.flags[s] & F_READ_QUEUED) && reader_wants_data(ctx, s)) {
    sk.flags[s] |= F_READ_QUEUED;
    ctx.heap.push(ctx.now_ns, EV_READ, s, 0);
  }
  return true;
}
