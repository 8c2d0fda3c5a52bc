import type { SimContext } from './sim_context';
import { F_DELACK, F_PUSHED, F_PUSHED2 } from './socket_table';
import { sk_mem_uncharge } from './mem_pool';
import { tcp_rcv_space_adjust } from './tcp_rcv_space_adjust';
import { __tcp_select_window, tcp_receive_window } from './tcp_select_window';
import { tcp_send_ack } from './tcp_send_ack';

/**
 * Kernel: net/ipv4/tcp.c `__tcp_cleanup_rbuf`: after a read, ACK a pending delayed ACK when
 * more than one rcv_mss is unacked or small pushed segments were fully read; send a window update when
 * the new window is at least twice what remains of the offer.
 * Model: no ping-pong mode.
 */
export function tcp_cleanup_rbuf(ctx: SimContext, s: number, copied: number): void {
  const sk = ctx.sock;
  let time_to_ack = false;
  if (sk.flags[s] & F_DELACK) {
    if (
      sk.rcv_nxt[s] - sk.rcv_wup[s] > sk.rcv_mss[s] ||
      (copied > 0 && (sk.flags[s] & (F_PUSHED | F_PUSHED2)) !== 0 && sk.r[s] === 0)
    ) {
      time_to_ack = true;
    }
  }
  if (copied > 0 && !time_to_ack) {
    const rcv_window_now = tcp_receive_window(ctx, s);
    if (2 * rcv_window_now <= sk.window_clamp[s]) {
      const new_window = __tcp_select_window(ctx, s);
      if (new_window && new_window >= 2 * rcv_window_now) time_to_ack = true;
    }
  }
  if (time_to_ack) tcp_send_ack(ctx, s);
}

/**
 * One read() of at most `max` bytes; returns the bytes copied.
 * Kernel: net/ipv4/tcp.c `tcp_recvmsg_locked`: fully read skbs are freed (`sock_rfree`: r −=
 * truesize, uncharge and reclaim, R-6.9; a partly read skb keeps its whole truesize); then
 * `tcp_rcv_space_adjust` (DRS) and `__tcp_cleanup_rbuf`.
 */
export function tcp_recvmsg(ctx: SimContext, s: number, max: number): number {
  const sk = ctx.sock;
  const k = ctx.skb;
  let copied = 0;
  while (copied < max) {
    const skb = sk.rq_head[s];
    if (skb < 0) break;
    const offset = sk.copied_seq[s] - k.seq[skb];
    const avail = k.len[skb] - offset;
    const n = Math.min(avail, max - copied);
    sk.copied_seq[s] += n;
    copied += n;
    if (n === avail) {
      sk.rq_head[s] = k.next[skb];
      if (sk.rq_head[s] < 0) sk.rq_tail[s] = -1;
      const ts = k.truesize[skb];
      k.free(skb);
      sk.r[s] -= ts;
      sk_mem_uncharge(ctx, s, ts);
    }
  }
  tcp_rcv_space_adjust(ctx, s);
  tcp_cleanup_rbuf(ctx, s, copied);
  return copied;
}

/**
 * How long one recvmsg of `bytes` holds the socket (lock_sock … release_sock), in ns.
 * Kernel: net/ipv4/tcp.c `tcp_recvmsg`: lock_sock, `tcp_recvmsg_locked` copies to user space (skb_copy_datagram_msg),
 * release_sock; segments arriving meanwhile go to the backlog.
 * Model: a per-call cost plus a per-byte copy cost, profile data (`reader_cost`, measured: see its provenance);
 * 0 when the profile has none. Rounded up to whole ns so that a read always takes time.
 */
export function tcp_recvmsg_hold_ns(ctx: SimContext, bytes: number): number {
  const c = ctx.p.reader_cost;
  if (!c) return 0;
  return Math.ceil(c.recvmsg_call_ns + (bytes * 1000) / c.recvmsg_copy_bytes_per_us);
}

