import type { KernelProfile } from '../profile/kernel_profile';
import { alloc_skb_truesize } from './alloc_skb_truesize';
import { skb_max_order } from './skb_align';

/**
 * Total truesize of the new linear skbs `tcp_collapse()` builds to hold `bytes` of queued payload.
 *
 * Kernel: net/ipv4/tcp_input.c `tcp_collapse()`: copies the range into `alloc_skb(min(SKB_MAX_ORDER(0,0),
 * end − start))` skbs: each full one holds 3776 bytes in a kmalloc-4k head (truesize 4352), the last one is smaller
 * (e.g. ≤ 256 bytes → 832 on 6.18 ref).
 * Model: one contiguous range with no SYN/FIN and all of it worth collapsing.
 */
export function tcp_collapse_skb_truesize(p: KernelProfile, bytes: number): number {
  if (bytes <= 0) return 0;
  const chunk = skb_max_order(p, 0, 0);
  const full = Math.floor(bytes / chunk);
  const rest = bytes - full * chunk;
  return full * alloc_skb_truesize(p, chunk) + (rest > 0 ? alloc_skb_truesize(p, rest) : 0);
}
