import type { KernelProfile } from '../profile/kernel_profile';
import { tcp_win_from_space } from './tcp_win_from_space';

/**
 * Kernel: net/ipv4/tcp_input.c `__tcp_grow_window`: the halving loop against tcp_rmem[2]
 * that decides whether a segment whose truesize is large for its length may still grow rcv_ssthresh.
 * Model: the same arithmetic, with the socket's fields passed in as plain numbers (no allocation on the
 * simulator's per-segment path). Returns 2 × rcv_mss or 0.
 */
export function __tcp_grow_window(
  p: KernelProfile,
  scaling_ratio: number,
  rcv_ssthresh_bytes: number,
  rcv_mss_bytes: number,
  skb_truesize_bytes: number,
  len_bytes: number,
): number {
  let truesize = tcp_win_from_space(p, scaling_ratio, skb_truesize_bytes) >> 1;
  let window = tcp_win_from_space(p, scaling_ratio, p.sysctl.tcp_rmem[2]) >> 1;
  while (rcv_ssthresh_bytes <= window) {
    if (truesize <= len_bytes) return 2 * rcv_mss_bytes;
    truesize >>= 1;
    window >>= 1;
  }
  return 0;
}
