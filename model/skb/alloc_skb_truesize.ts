import type { KernelProfile } from '../profile/kernel_profile';
import { sk_buff_aligned_bytes, skb_head_align } from './skb_align';
import { kmalloc_size_roundup } from './kmalloc_size_roundup';

/**
 * Bytes of the head allocation `__alloc_skb(size)` makes.
 *
 * Kernel: net/core/skbuff.c `kmalloc_reserve()` (R-1.7..R-1.10): obj = SKB_HEAD_ALIGN(size); if the
 * skbuff_small_head cache exists (6.3+) and obj ≤ its object size, the head is exactly that object;
 * otherwise kmalloc_size_roundup(obj). [6.1] has no small-head cache.
 * Model: ordinary GFP (no pfmemalloc / KMALLOC_NOT_NORMAL_BITS paths).
 */
export function alloc_skb_head_bytes(p: KernelProfile, size: number): number {
  const obj = skb_head_align(p, size);
  if (p.small_head_cache_bytes !== null && obj <= p.small_head_cache_bytes) return p.small_head_cache_bytes;
  return kmalloc_size_roundup(p, obj);
}

/**
 * Truesize of a fresh `alloc_skb(size)` with no frags.
 *
 * Kernel: net/core/skbuff.c `__alloc_skb()` → `__finalize_skb_around()` [6.1 `__build_skb_around()`]:
 * truesize = SKB_TRUESIZE(head − SH) = head + SB, head ..R-1.10.
 * 6.18 reference: 0…256 → 832, 257…704 → 1280, 705…1728 → 2304, 1729…3776 → 4352, … (table in section 1.2).
 * Model: exact for ordinary allocations.
 */
export function alloc_skb_truesize(p: KernelProfile, size: number): number {
  return alloc_skb_head_bytes(p, size) + sk_buff_aligned_bytes(p);
}
