import type { KernelProfile } from '../profile/kernel_profile';
import { InputError } from '../schema/format_zod_error';

/** TCP_SKB_MIN_TRUESIZE = 2048 + SKB_DATA_ALIGN(sizeof(struct sk_buff)) (include/net/sock.h). */
export const tcp_skb_min_truesize_bytes = 2048 + 256;
/** SOCK_MIN_RCVBUF = TCP_SKB_MIN_TRUESIZE. */
export const sock_min_rcvbuf_bytes = tcp_skb_min_truesize_bytes;
/** SOCK_MIN_SNDBUF = 2 × TCP_SKB_MIN_TRUESIZE. */
export const sock_min_sndbuf_bytes = 2 * tcp_skb_min_truesize_bytes;
const int_max = 2 ** 31 - 1;

function check(val: number, what: string): void {
  if (!Number.isInteger(val) || val < 0) throw new InputError(`${what}: value must be a whole number >= 0, got ${val}`);
}

/**
 * Kernel: net/core/sock.c `__sock_set_rcvbuf()` via setsockopt(SO_RCVBUF):
 * val = min(val, rmem_max) (skipped for SO_RCVBUFFORCE), then min(val, INT_MAX/2), rcvbuf = max(2 × val,
 * SOCK_MIN_RCVBUF = 2304). Also sets SOCK_RCVBUF_LOCK (no DRS, no clamp growth).
 * Model: returns sk_rcvbuf in bytes; `force` models SO_RCVBUFFORCE.
 */
export function sock_set_rcvbuf(p: KernelProfile, val: number, force = false): number {
  check(val, 'SO_RCVBUF');
  const capped = Math.min(force ? val : Math.min(val, p.sysctl.rmem_max), Math.floor(int_max / 2));
  return Math.max(2 * capped, sock_min_rcvbuf_bytes);
}

/**
 * Kernel: net/core/sock.c `__sock_set_sndbuf()` via setsockopt(SO_SNDBUF):
 * sndbuf = max(2 × min(val, wmem_max, INT_MAX/2), SOCK_MIN_SNDBUF = 4608); sets SOCK_SNDBUF_LOCK.
 * Model: returns sk_sndbuf in bytes; `force` models SO_SNDBUFFORCE.
 */
export function sock_set_sndbuf(p: KernelProfile, val: number, force = false): number {
  check(val, 'SO_SNDBUF');
  const capped = Math.min(force ? val : Math.min(val, p.sysctl.wmem_max), Math.floor(int_max / 2));
  return Math.max(2 * capped, sock_min_sndbuf_bytes);
}
