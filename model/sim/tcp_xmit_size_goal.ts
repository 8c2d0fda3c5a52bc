import type { SimContext } from './sim_context';

/**
 * Kernel: include/net/tcp.h `tcp_bound_to_half_wnd`: packets are bounded by half the largest
 * window the peer ever advertised (max_window), floor 68 − header.
 * Model: exact (tcp_header_len 32 with timestamps).
 */
export function tcp_bound_to_half_wnd(max_window: number, pktsize: number): number {
  const cutoff = max_window > 536 ? max_window >> 1 : max_window;
  if (cutoff && pktsize > cutoff) return Math.max(cutoff, 68 - 32);
  return pktsize;
}

/**
 * Kernel: net/ipv4/tcp_output.c `tcp_sync_mss` / `tcp_current_mss`: mss_cache = min(mtu mss
 * minus options, bound_to_half_wnd(max_window)).
 * Model: no PMTU changes, no SACK blocks.
 */
export function tcp_current_mss(ctx: SimContext, s: number): number {
  return tcp_bound_to_half_wnd(ctx.sock.max_window[s], ctx.link.mss_bytes);
}

/**
 * Kernel: net/ipv4/tcp.c `tcp_xmit_size_goal`: gso_segs × mss with
 * gso_segs = bound_to_half_wnd(sk_gso_max_size) / mss, never below one mss.
 * Model: gso_max_segs not limiting (65535); recomputed each time instead of cached in tp->gso_segs, which is
 * the same value: the kernel refreshes its cache exactly when new_size_goal leaves [segs × mss, (segs + 1) × mss),
 * i.e. when floor(new_size_goal / mss) changes (checked against 6.18 tcp.c). A tail longer than size_goal gets
 * nothing more (`int copy = size_goal − skb->len` < 0 in 6.18; no signedness bug there).
 */
export function tcp_xmit_size_goal(ctx: SimContext, s: number, mss_now: number): number {
  const new_size_goal = tcp_bound_to_half_wnd(ctx.sock.max_window[s], ctx.link.gso_max_size_bytes);
  const segs = Math.min(Math.floor(new_size_goal / mss_now), 65535);
  return Math.max(segs * mss_now, mss_now);
}

/** sysctl net.ipv4.tcp_min_tso_segs default; BBR's `bbr_min_tso_segs` is also 2 above 1.2 Mbit/s. */
const TCP_MIN_TSO_SEGS = 2;

/**
 * Kernel: net/ipv4/tcp_output.c `tcp_tso_segs` / `tcp_tso_autosize`: how many mss one TSO skb may
 * carry per tcp_write_xmit round: bytes = min(pacing_rate >> pacing_shift + sk_gso_max_size >> (min_rtt >>
 * tcp_tso_rtt_log), sk_gso_max_size); segs = max(bytes / mss, min_tso_segs), at most gso_max_segs.
 * Model: on lo/veth min_rtt is a few µs, so the shift is 0 and bytes = sk_gso_max_size exactly; pacing is not
 * modelled, so a NIC link uses the same value (an upper bound there). On loopback (mss ≥ 32 KiB) this is 2.
 */
export function tcp_tso_segs(ctx: SimContext, mss_now: number): number {
  return Math.min(Math.max(Math.floor(ctx.link.gso_max_size_bytes / mss_now), TCP_MIN_TSO_SEGS), 65535);
}
