import type { KernelProfile } from '../profile/kernel_profile';
import { sk_buff_aligned_bytes, skb_shared_info_aligned_bytes } from './skb_align';

/**
 * Kernel: include/linux/skbuff.h `SKB_TRUESIZE(x)` = x + SKB_DATA_ALIGN(sizeof(sk_buff)) +
 * SKB_DATA_ALIGN(sizeof(skb_shared_info)): truesize of an skb whose linear area (end offset) is x and
 * which has no frags. x + 576 on both reference profiles.
 * Model: exact.
 */
export function skb_truesize(p: KernelProfile, x: number): number {
  return x + sk_buff_aligned_bytes(p) + skb_shared_info_aligned_bytes(p);
}
