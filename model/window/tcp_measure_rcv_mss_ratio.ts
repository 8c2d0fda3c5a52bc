/**
 * Kernel: net/ipv4/tcp_input.c `tcp_measure_rcv_mss()` (6.18, R-3.12): when a segment with len ≥ rcv_mss and
 * len ≠ rcv_mss arrives, scaling_ratio = max(1, floor(skb.len × 256 / skb.truesize)).
 * lo 1000-byte segment (truesize 1832): 139; 32741: 249; 47616: 251.
 * Model: the len/rcv_mss gating is the caller's; the result is capped at 255 (the u8 field; unreachable since
 * truesize > len for every real skb).
 */
export function tcp_measure_rcv_mss_ratio(len: number, truesize: number): number {
  const val = Math.floor((len * 256) / truesize);
  return Math.min(255, Math.max(1, val));
}
