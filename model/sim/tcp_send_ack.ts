import type { SimContext } from './sim_context';
import { EV_ACK, EV_DELACK } from './sim_context';
import { F_ACK_NOMEM, F_ACK_NOW, F_DELACK, F_PUSHED, F_PUSHED2 } from './socket_table';
import { tcp_select_window, __tcp_select_window } from './tcp_select_window';

/** TCP_ATO_MIN = HZ/25 (40 ms at HZ 250). */
export function tcp_ato_min_ms(ctx: SimContext): number {
  return Math.floor(ctx.p.hz / 25) * (1000 / ctx.p.hz);
}

/**
 * Kernel: net/ipv4/tcp_output.c `tcp_send_ack` → `tcp_event_ack_sent`: the window is chosen
 * (tcp_select_window), one quick-ACK credit is spent, the delayed-ACK timer and the pending flags are
 * cleared; the peer processes the ACK after the one-way delay (lo/veth: at once, after what is queued).
 */
export function tcp_send_ack(ctx: SimContext, s: number): void {
  const sk = ctx.sock;
  const win = tcp_select_window(ctx, s);
  if (sk.quick[s] > 0) sk.quick[s] -= 1;
  sk.flags[s] &= ~(F_DELACK | F_ACK_NOMEM | F_ACK_NOW | F_PUSHED | F_PUSHED2);
  ctx.heap.push(ctx.now_ns + ctx.link.one_way_ns, EV_ACK, s ^ 1, sk.rcv_nxt[s], win);
}

/**
 * Kernel: net/ipv4/tcp_output.c `tcp_send_delayed_ack`: arm the delayed-ACK timer at
 * now + ato unless one is already armed (the earlier deadline wins).
 * Model: ato stays at TCP_ATO_MIN (40 ms); the kernel's ato inflation after a missed delayed ACK and
 * its deflation on fast arrivals are not modelled.
 */
export function tcp_send_delayed_ack(ctx: SimContext, s: number): void {
  const sk = ctx.sock;
  if (sk.flags[s] & F_DELACK) return;
  sk.flags[s] |= F_DELACK;
  const due = ctx.now_ns + Math.round(tcp_ato_min_ms(ctx) * 1e6);
  sk.delack_due_ns[s] = due;
  ctx.heap.push(due, EV_DELACK, s, due);
}

/**
 * Kernel: net/ipv4/tcp_input.c `__tcp_ack_snd_check`: ACK now if more than one rcv_mss is
 * unacknowledged and the window would not shrink, or in quick-ACK mode, or ACK_NOW is pending;
 * otherwise schedule a delayed ACK.
 * Model: no ping-pong mode, SO_RCVLOWAT = 1, no OFO queue.
 */
export function tcp_ack_snd_check(ctx: SimContext, s: number): void {
  const sk = ctx.sock;
  if (
    (sk.rcv_nxt[s] - sk.rcv_wup[s] > sk.rcv_mss[s] &&
      (sk.rcv_nxt[s] - sk.copied_seq[s] < 1 || __tcp_select_window(ctx, s) >= sk.rcv_wnd[s])) ||
    sk.quick[s] > 0 ||
    (sk.flags[s] & F_ACK_NOW) !== 0
  ) {
    tcp_send_ack(ctx, s);
    return;
  }
  tcp_send_delayed_ack(ctx, s);
}
