import type { KernelProfile } from '../profile/kernel_profile';
import { sk_buff_aligned_bytes, skb_shared_info_aligned_bytes } from '../skb/skb_align';

/** TCP_INIT_CWND (include/net/tcp.h). */
export const tcp_init_cwnd = 10;

/** roundup_pow_of_two(x) for x ≥ 1. */
export function roundup_pow_of_two(x: number): number {
  let r = 1;
  while (r < x) r *= 2;
  return r;
}

export interface SndbufExpandInput {
  /** tp->mss_cache. */
  mss: number;
  /** snd_cwnd (10 at ESTABLISHED). */
  cwnd: number;
  /** Congestion control name; its sndbuf_expand() factor comes from the profile (unknown → 2). */
  cc: string;
  /** tp->rx_opt.mss_clamp (defaults to mss). */
  mss_clamp?: number;
  /** tp->reordering (net.ipv4.tcp_reordering, default 3). */
  reordering?: number;
  /** Current sk_sndbuf (default tcp_wmem[1]); the result never shrinks it. */
  sndbuf?: number;
}

/**
 * Kernel: net/ipv4/tcp_input.c `tcp_sndbuf_expand()` (R-2.18):
 * per_mss = roundup_pow_of_two(max(mss_clamp, mss_cache) + MAX_TCP_HEADER + SH) + SB;
 * nr_segs = max(TCP_INIT_CWND, cwnd, reordering + 1); sndbuf = max(sndbuf, min(factor × nr_segs × per_mss,
 * tcp_wmem[2])) with factor = ca_ops->sndbuf_expand() (BBR 3) else 2.
 * 6.18 lo BBR: 3 × 10 × 131328 = 3939840; veth 1448 BBR: 69120.
 * Model: exact; the callers' conditions (not locked, no pressure, below tcp_mem[0]) are the caller's job.
 */
export function tcp_sndbuf_expand(p: KernelProfile, input: SndbufExpandInput): number {
  const per_mss =
    roundup_pow_of_two(Math.max(input.mss_clamp ?? input.mss, input.mss) + p.struct.max_tcp_header_bytes + skb_shared_info_aligned_bytes(p)) +
    sk_buff_aligned_bytes(p);
  const nr_segs = Math.max(tcp_init_cwnd, input.cwnd, (input.reordering ?? 3) + 1);
  const factor = p.sndbuf_expand_factor[input.cc] ?? 2;
  const sndmem = factor * nr_segs * per_mss;
  return Math.max(input.sndbuf ?? p.sysctl.tcp_wmem[1], Math.min(sndmem, p.sysctl.tcp_wmem[2]));
}
