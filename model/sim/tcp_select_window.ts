import type { SimContext } from './sim_context';
import { F_ACK_NOMEM } from './socket_table';
import { tcp_win_from_space } from '../window/tcp_win_from_space';
import { tcp_under_memory_pressure } from './mem_pool';
import { C_FromZeroWindowAdv, C_ToZeroWindowAdv, C_WantZeroWindowAdv } from './counters';

/** Kernel: include/net/tcp.h `tcp_space`: win_from_space(rcvbuf − backlog − rmem_alloc); may be negative. */
export function tcp_space(ctx: SimContext, s: number): number {
  const sk = ctx.sock;
  return tcp_win_from_space(ctx.p, sk.ratio[s], sk.rb[s] - sk.r[s]);
}

/** Kernel: include/net/tcp.h `tcp_full_space`. */
export function tcp_full_space(ctx: SimContext, s: number): number {
  return tcp_win_from_space(ctx.p, ctx.sock.ratio[s], ctx.sock.rb[s]);
}

/** Kernel: include/net/tcp.h `tcp_receive_window`: what remains of the last offer. */
export function tcp_receive_window(ctx: SimContext, s: number): number {
  const sk = ctx.sock;
  return Math.max(0, sk.rcv_wup[s] + sk.rcv_wnd[s] - sk.rcv_nxt[s]);
}

/**
 * Kernel: net/ipv4/tcp_input.c `tcp_adjust_rcv_ssthresh`: under pressure,
 * rcv_ssthresh = min(rcv_ssthresh, 4 × advmss). Model: no SO_RESERVE_MEM.
 */
export function tcp_adjust_rcv_ssthresh(ctx: SimContext, s: number): void {
  const sk = ctx.sock;
  sk.rcv_ssthresh[s] = Math.min(sk.rcv_ssthresh[s], 4 * ctx.link.advmss_bytes);
}

/**
 * Kernel: net/ipv4/tcp_output.c `__tcp_select_window` (R-5.10..5.12), tcp_shrink_window = 0 path.
 * Model: exact for the window-scaling case; the unscaled branch (wscale 0) rounds to mss as the kernel does.
 */
export function __tcp_select_window(ctx: SimContext, s: number): number {
  const sk = ctx.sock;
  let mss = sk.rcv_mss[s];
  let free_space = tcp_space(ctx, s);
  const allowed_space = tcp_full_space(ctx, s);
  const full_space = Math.min(sk.window_clamp[s], allowed_space);
  const wscale = sk.rcv_wscale[s];
  if (mss > full_space) {
    mss = full_space;
    if (mss <= 0) return 0;
  }
  if (free_space < full_space >> 1) {
    sk.quick[s] = 0;
    if (tcp_under_memory_pressure(ctx, s)) tcp_adjust_rcv_ssthresh(ctx, s);
    free_space = Math.floor(free_space / (1 << wscale)) * (1 << wscale);
    if (free_space < allowed_space >> 4 || free_space < mss) return 0;
  }
  if (free_space > sk.rcv_ssthresh[s]) free_space = sk.rcv_ssthresh[s];
  if (wscale) {
    return Math.ceil(free_space / (1 << wscale)) * (1 << wscale);
  }
  let window = sk.rcv_wnd[s];
  if (window <= free_space - mss || window > free_space) window = Math.floor(free_space / mss) * mss;
  else if (mss === full_space && free_space > window + (full_space >> 1)) window = free_space;
  return window;
}

/**
 * The window field of an outgoing ACK, scaled back to bytes (what the peer will use as snd_wnd).
 * Kernel: net/ipv4/tcp_output.c `tcp_select_window`: zero on ICSK_ACK_NOMEM (6.18, stored in
 * rcv_wnd, early return: not counted as TCPToZeroWindowAdv); never
 * shrink the offered right edge (TCPWantZeroWindowAdv when the wish was 0); rcv_wnd/rcv_wup updated;
 * TCPToZeroWindowAdv / TCPFromZeroWindowAdv counted.
 * Model: exact (tcp_shrink_window = 0 assumed).
 */
export function tcp_select_window(ctx: SimContext, s: number): number {
  const sk = ctx.sock;
  const wgt = ctx.conn_weight[s >> 1];
  const old_win = sk.rcv_wnd[s];
  const wscale = sk.rcv_wscale[s];
  if (sk.flags[s] & F_ACK_NOMEM) {
    // "tcp: correct handling of extreme memory squeeze": rcv_wnd/rcv_wup are stored and the function
    // returns 0 before the To/FromZeroWindowAdv accounting, so a NOMEM zero window is not counted
    sk.rcv_wnd[s] = 0;
    sk.rcv_wup[s] = sk.rcv_nxt[s];
    return 0;
  }
  const cur_win = tcp_receive_window(ctx, s);
  let new_win = __tcp_select_window(ctx, s);
  if (new_win < cur_win) {
    if (new_win === 0) ctx.counters[C_WantZeroWindowAdv] += wgt;
    new_win = Math.ceil(cur_win / (1 << wscale)) * (1 << wscale);
  }
  sk.rcv_wnd[s] = new_win;
  sk.rcv_wup[s] = sk.rcv_nxt[s];
  const field = Math.min(new_win, 65535 * 2 ** wscale) >> wscale;
  if (field === 0) {
    if (old_win) ctx.counters[C_ToZeroWindowAdv] += wgt;
  } else if (old_win === 0) {
    ctx.counters[C_FromZeroWindowAdv] += wgt;
  }
  return field << wscale;
}
