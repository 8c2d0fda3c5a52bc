import type { KernelProfile } from '../profile/kernel_profile';

/** Rounds x up to a multiple of a power-of-two alignment. */
function align_up(x: number, a: number): number {
  return Math.ceil(x / a) * a;
}

/**
 * Kernel: include/linux/skbuff.h `SKB_DATA_ALIGN(x)` = ALIGN(x, SMP_CACHE_BYTES).
 * Model: exact.
 */
export function skb_data_align(p: KernelProfile, x: number): number {
  return align_up(x, p.struct.smp_cache_bytes);
}

/** SKB_DATA_ALIGN(sizeof(struct skb_shared_info)) — "SH" in linux-tcp-memory.md (320). */
export function skb_shared_info_aligned_bytes(p: KernelProfile): number {
  return skb_data_align(p, p.struct.skb_shared_info_bytes);
}

/** SKB_DATA_ALIGN(sizeof(struct sk_buff)) — "SB" in linux-tcp-memory.md (256). */
export function sk_buff_aligned_bytes(p: KernelProfile): number {
  return skb_data_align(p, p.struct.sk_buff_bytes);
}

/**
 * Kernel: include/linux/skbuff.h `SKB_HEAD_ALIGN(x)` = SKB_DATA_ALIGN(x) + SKB_DATA_ALIGN(sizeof(skb_shared_info))
 * bytes a linear head needs to hold x bytes plus the shared info.
 * Model: exact.
 */
export function skb_head_align(p: KernelProfile, x: number): number {
  return skb_data_align(p, x) + skb_shared_info_aligned_bytes(p);
}

/**
 * Kernel: include/linux/skbuff.h `SKB_WITH_OVERHEAD(x)` = x − SH: usable linear bytes in an
 * allocation of x bytes.
 * Model: exact.
 */
export function skb_with_overhead(p: KernelProfile, x: number): number {
  return x - skb_shared_info_aligned_bytes(p);
}

/**
 * Kernel: include/linux/skbuff.h `SKB_MAX_ORDER(X, order)` = SKB_WITH_OVERHEAD((PAGE_SIZE << order) − X);
 * SKB_MAX_ORDER(0, 0) = 3776 on 4 KiB pages.
 * Model: exact.
 */
export function skb_max_order(p: KernelProfile, x: number, order: number): number {
  return skb_with_overhead(p, p.page_size_bytes * 2 ** order - x);
}
