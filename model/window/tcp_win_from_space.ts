import type { KernelProfile } from '../profile/kernel_profile';

/** TCP_RMEM_TO_WIN_SCALE: scaling_ratio is a fraction of 256 (include/net/tcp.h). */
export const tcp_rmem_to_win_scale = 8;

/**
 * Kernel: include/net/tcp.h `tcp_win_from_space()`.
 * 6.18 (window_algorithm 'scaling_ratio', R-5.5): space × ratio >> 8 (s64 arithmetic: negative space floors).
 * [6.1] ('adv_win_scale', R-5.6): tcp_adv_win_scale ≤ 0 → space >> −scale, else space − (space >> scale).
 * Model: exact; scaling_ratio is ignored by the adv_win_scale algorithm.
 */
export function tcp_win_from_space(p: KernelProfile, scaling_ratio: number, space: number): number {
  if (p.window_algorithm === 'scaling_ratio') return Math.floor((space * scaling_ratio) / 2 ** tcp_rmem_to_win_scale);
  const s = p.sysctl.tcp_adv_win_scale;
  return s <= 0 ? Math.floor(space / 2 ** -s) : space - Math.floor(space / 2 ** s);
}

/**
 * Kernel: include/net/tcp.h `tcp_space_from_win()` (6.18, R-5.5): (win << 8) / ratio, truncating division.
 * Model: for the adv_win_scale algorithm ([6.1] has no such helper; its DRS uses rcvmem, R-5.18) the exact inverse
 * of rounded up: win × 2^s / (2^s − 1) for s > 0, win << −s for s ≤ 0.
 */
export function tcp_space_from_win(p: KernelProfile, scaling_ratio: number, win: number): number {
  if (p.window_algorithm === 'scaling_ratio') return Math.floor((win * 2 ** tcp_rmem_to_win_scale) / scaling_ratio);
  const s = p.sysctl.tcp_adv_win_scale;
  return s <= 0 ? win * 2 ** -s : Math.ceil((win * 2 ** s) / (2 ** s - 1));
}

/**
 * Kernel: include/net/tcp.h `tcp_full_space()` = tcp_win_from_space(sk_rcvbuf).
 * Model: exact.
 */
export function tcp_full_space(p: KernelProfile, scaling_ratio: number, rcvbuf_bytes: number): number {
  return tcp_win_from_space(p, scaling_ratio, rcvbuf_bytes);
}
