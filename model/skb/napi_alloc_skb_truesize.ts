import type { KernelProfile } from '../profile/kernel_profile';
import { sk_buff_aligned_bytes, skb_head_align, skb_with_overhead } from './skb_align';
import { alloc_skb_truesize } from './alloc_skb_truesize';

/**
 * Truesize of `napi_alloc_skb(len)` / `netdev_alloc_skb(len)` (copybreak and header-split drivers).
 *
 * Kernel: net/core/skbuff.c `napi_alloc_skb()`: len += NET_SKB_PAD (+ NET_IP_ALIGN = 0 on x86).
 * 6.18: len ≤ SKB_WITH_OVERHEAD(small head) (256) or len > SKB_WITH_OVERHEAD(PAGE) (3776) → `__alloc_skb`
 * (small head 832 / kmalloc, R-1.8/R-1.9); else a page-frag head of SKB_HEAD_ALIGN(len), truesize = that + SB.
 * [6.1] (no small-head cache): len ≤ SKB_WITH_OVERHEAD(1024) (704) → a 1 KiB page-frag slice, truesize 1280.
 * Model: ordinary GFP; the 6.1 1 KiB slice is chosen whenever the profile has no small-head cache.
 */
export function napi_alloc_skb_truesize(p: KernelProfile, len: number): number {
  const padded = len + p.struct.net_skb_pad_bytes;
  const sb = sk_buff_aligned_bytes(p);
  if (padded > skb_with_overhead(p, p.page_size_bytes)) return alloc_skb_truesize(p, padded);
  if (p.small_head_cache_bytes !== null) {
    if (padded <= skb_with_overhead(p, p.small_head_cache_bytes)) return alloc_skb_truesize(p, padded);
  } else if (padded <= skb_with_overhead(p, 1024)) {
    return 1024 + sb;
  }
  return skb_head_align(p, padded) + sb;
}
