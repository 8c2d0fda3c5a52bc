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
 * now + ato; if one is already armed the earlier deadline wins, and if that one is due within ato/4
 * (2 jiffies = 8 ms for ato 40 ms) the ACK goes out at once instead ("delack timer is about to expire").
 * The timeout: ato is never below TCP_ATO_MIN (tcp_event_data_recv: ato/2 + TCP_ATO_MIN/2 or ato/2 + m
 * with m > TCP_ATO_MIN/2; tcp_delack_timer_handler doubles it, tcp_enter_quickack_mode resets it), and
 * when ato > TCP_DELACK_MIN it is clamped to max(usecs_to_jiffies(srtt), TCP_DELACK_MIN) of the
 * receiver. A receiver that sends no data keeps its handshake srtt (µs on lo/veth), so the timeout is
 * TCP_ATO_MIN = TCP_DELACK_MIN = 40 ms whatever the ato inflation did.
 * Model: the timeout is always TCP_ATO_MIN (ato itself is not kept); this is exact while the receiver's
 * srtt ≤ 40 ms (no ping-pong traffic in the scenarios validated); timers run for whole jiffies from now.
 */
export function tcp_send_delayed_ack(ctx: SimContext, s: number): void {
  const sk = ctx.sock;
  const ato_ns = Math.round(tcp_ato_min_ms(ctx) * 1e6);
  if (sk.flags[s] & F_DELACK) {
    const jiffy_ns = 1e9 / ctx.p.hz;
    const ato_quarter_ns = (Math.floor(ato_ns / jiffy_ns + 1e-9) >> 2) * jiffy_ns;
    if (sk.delack_due_ns[s] <= ctx.now_ns + ato_quarter_ns) tcp_send_ack(ctx, s);
    return;
  }
  sk.flags[s] |= F_DELACK;
  const due = ctx.now_ns + ato_ns;
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
