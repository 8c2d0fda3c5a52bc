import type { KernelProfile } from '../profile/kernel_profile';
import { alloc_skb_truesize } from './alloc_skb_truesize';

/**
 * Truesize of an empty TCP transmit skb.
 *
 * Kernel: net/ipv4/tcp.c `tcp_stream_alloc_skb()` = alloc_skb_fclone(MAX_TCP_HEADER), truesize forced to
 * SKB_TRUESIZE(end offset). 6.18 reference (MTH 192, small head 576): 832; Debian 6.1 (MTH 320,
 * kmalloc-1k head): 1280.
 * Model: exact; the fclone slab object (512 bytes for two sk_buffs) is not what truesize counts.
 */
export function tcp_stream_alloc_skb_truesize(p: KernelProfile): number {
  return alloc_skb_truesize(p, p.struct.max_tcp_header_bytes);
}
