import type { KernelProfile } from '../profile/kernel_profile';
import { tcp_full_space } from './tcp_win_from_space';
import { tcp_max_wscale, tcp_rcv_wscale } from './tcp_rcv_wscale';

export interface InitialWindowInput {
  /** sk_rcvbuf at connect()/SYN time (tcp_rmem[1] unless SO_RCVBUF). */
  rcvbuf: number;
  /** mss offered to the window rounding: advmss, minus 12 when the peer's timestamps are already known
   * (the server's SYN-ACK: 65483 on lo), not on the client's SYN (65495 on lo). */
  mss: number;
  /** tp->window_clamp; 0 / absent = none (becomes 65535 << 14). With SO_RCVBUF it is tcp_full_space. */
  window_clamp?: number;
  /** tp->scaling_ratio (initial 128). */
  scaling_ratio?: number;
  /** Window scaling negotiated (net.ipv4.tcp_window_scaling). */
  wscale_ok?: boolean;
}

/**
 * Kernel: net/ipv4/tcp_output.c `tcp_select_initial_window()` called from `tcp_connect_init` /
 * `tcp_openreq_init_rwin` with space = tcp_full_space: space = min(window_clamp, space), rounded down to a
 * multiple of mss when larger; rcv_wnd = space ([6.1]: min(space, 65535), profile field
 * initial_rcv_wnd_u16_cap); rcv_wscale per `tcp_rcv_wscale`; window_clamp = min(65535 << wscale, clamp);
 * rcv_ssthresh = rcv_wnd. 6.18 lo, rcvbuf 131072: client rcv_wnd 65495, server 65483, wscale 10.
 * Model: no route initrwnd, tcp_workaround_signed_windows = 0.
 */
export function tcp_select_initial_window(
  p: KernelProfile,
  input: InitialWindowInput,
): { rcv_wnd: number; rcv_wscale: number; window_clamp: number; rcv_ssthresh: number } {
  const ratio = input.scaling_ratio ?? p.scaling_ratio_init;
  let clamp = input.window_clamp && input.window_clamp > 0 ? input.window_clamp : 65535 * 2 ** tcp_max_wscale;
  let space = Math.min(clamp, tcp_full_space(p, ratio, input.rcvbuf));
  if (space > input.mss) space = Math.floor(space / input.mss) * input.mss;
  const rcv_wnd = p.initial_rcv_wnd_u16_cap ? Math.min(space, 65535) : space;
  const rcv_wscale = input.wscale_ok === false ? 0 : tcp_rcv_wscale(p, space, clamp);
  clamp = Math.min(65535 * 2 ** rcv_wscale, clamp);
  return { rcv_wnd, rcv_wscale, window_clamp: clamp, rcv_ssthresh: rcv_wnd };
}
