import type { KernelProfile } from '../profile/kernel_profile';
import { tcp_full_space } from './tcp_win_from_space';
import { tcp_init_cwnd, tcp_sndbuf_expand } from './tcp_sndbuf_expand';

export interface InitBufferSpaceInput {
  rcvbuf: number;
  /** Post-handshake tp->advmss (65483 on lo with timestamps, 1448/1428 on veth). */
  advmss: number;
  rcv_wnd: number;
  rcv_ssthresh: number;
  window_clamp: number;
  scaling_ratio?: number;
  /** Current sk_sndbuf (tcp_wmem[1] by default). */
  sndbuf?: number;
  /** SO_SNDBUF set: no expansion. */
  sndbuf_locked?: boolean;
  /** tp->mss_cache for tcp_sndbuf_expand (defaults to advmss). */
  mss_cache?: number;
  cwnd?: number;
  /** Congestion control (profile default). */
  cc?: string;
}

/**
 * Kernel: net/ipv4/tcp_input.c `tcp_init_buffer_space()` at ESTABLISHED: tcp_sndbuf_expand unless
 * SO_SNDBUF locked; rcvq_space = min(rcv_ssthresh, rcv_wnd, 10 × advmss); maxwin = tcp_full_space; if
 * window_clamp ≥ maxwin → window_clamp = maxwin, minus maxwin >> tcp_app_win but not below 4 × advmss (when
 * maxwin > 4 × advmss); reserve one segment: if tcp_app_win and window_clamp > 2 × advmss and window_clamp + advmss
 * > maxwin → window_clamp = max(2 × advmss, maxwin − advmss); rcv_ssthresh = min(rcv_ssthresh, window_clamp).
 * lo: window_clamp 65536, rcv_ssthresh 65495/65483; veth IPv6: 64108.
 * Model: exact for the quantities returned.
 */
export function tcp_init_buffer_space(
  p: KernelProfile,
  input: InitBufferSpaceInput,
): { sndbuf: number; window_clamp: number; rcv_ssthresh: number; rcvq_space: number } {
  const ratio = input.scaling_ratio ?? p.scaling_ratio_init;
  const sndbuf0 = input.sndbuf ?? p.sysctl.tcp_wmem[1];
  const sndbuf = input.sndbuf_locked
    ? sndbuf0
    : tcp_sndbuf_expand(p, {
        mss: input.mss_cache ?? input.advmss,
        cwnd: input.cwnd ?? tcp_init_cwnd,
        cc: input.cc ?? p.sysctl.tcp_congestion_control,
        sndbuf: sndbuf0,
      });
  const rcvq_space = Math.min(input.rcv_ssthresh, input.rcv_wnd, tcp_init_cwnd * input.advmss);
  const maxwin = tcp_full_space(p, ratio, input.rcvbuf);
  const app_win = p.sysctl.tcp_app_win;
  let clamp = input.window_clamp;
  if (clamp >= maxwin) {
    clamp = maxwin;
    if (app_win && maxwin > 4 * input.advmss) clamp = Math.max(maxwin - Math.floor(maxwin / 2 ** app_win), 4 * input.advmss);
  }
  if (app_win && clamp > 2 * input.advmss && clamp + input.advmss > maxwin) clamp = Math.max(2 * input.advmss, maxwin - input.advmss);
  return { sndbuf, window_clamp: clamp, rcv_ssthresh: Math.min(input.rcv_ssthresh, clamp), rcvq_space };
}
