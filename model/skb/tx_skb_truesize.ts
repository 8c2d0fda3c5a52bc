import type { KernelProfile } from '../profile/kernel_profile';
import { InputError } from '../schema/format_zod_error';
import { tcp_stream_alloc_skb_truesize } from './tcp_stream_alloc_skb_truesize';

/**
 * Truesize of a TCP transmit skb carrying payload_bytes copied by sendmsg.
 *
 * Kernel: net/ipv4/tcp.c `tcp_sendmsg_locked()` → `skb_copy_to_page_nocache()`: payload goes into page frags,
 * never the linear area, and truesize grows by the bytes copied, not by the page size:
 * truesize = tcp_stream_alloc_skb truesize + payload (832 + payload on 6.18 ref, 1280 + payload on 6.1).
 * Model: one unsplit skb (no tso_fragment/tcp_trim_head, R-2.10/R-2.12); the 32 KiB page-frag page itself is
 * unaccounted. MSG_ZEROCOPY is not modelled.
 */
export function tx_skb_truesize(p: KernelProfile, payload_bytes: number): number {
  if (!Number.isInteger(payload_bytes) || payload_bytes < 0) {
    throw new InputError(`tx_skb_truesize: payload_bytes must be a whole number >= 0, got ${payload_bytes}`);
  }
  return tcp_stream_alloc_skb_truesize(p) + payload_bytes;
}
