import type { KernelProfile } from '../profile/kernel_profile';

/** TCP_MAX_WSCALE (include/net/tcp.h). */
export const tcp_max_wscale = 14;

/** floor(log2(x)) for x ≥ 1 (the kernel's ilog2). */
export function ilog2(x: number): number {
  return x < 1 ? 0 : Math.floor(Math.log2(x));
}

/**
 * Kernel: net/ipv4/tcp_output.c `tcp_select_initial_window()`, wscale part:
 * space = min(window_clamp, max(space, tcp_rmem[2], rmem_max)); wscale = clamp(ilog2(space) − 15, 0, 14).
 * 6.18 ref: ilog2(32 MiB) − 15 = 10; Debian 6.1: ilog2(6 MiB) − 15 = 7.
 * Model: window_clamp defaults to the kernel's "no clamp" value 65535 << 14.
 */
export function tcp_rcv_wscale(p: KernelProfile, space: number, window_clamp: number = 65535 * 2 ** tcp_max_wscale): number {
  const s = Math.min(window_clamp, Math.max(space, p.sysctl.tcp_rmem[2], p.sysctl.rmem_max));
  return Math.min(tcp_max_wscale, Math.max(0, ilog2(s) - 15));
}
