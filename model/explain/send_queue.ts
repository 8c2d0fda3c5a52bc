import type { KernelProfile } from '../profile/kernel_profile';
import { tx_skb_truesize } from '../skb/tx_skb_truesize';

export interface SendQueue {
  skbs: number;
  truesize_bytes: number;
  last_skb_truesize_bytes: number;
}

/**
 * The usual size_goal of a bulk sender: as many mss as fit a 64 KiB GSO skb, at least one mss.
 * Kernel: net/ipv4/tcp.c `tcp_xmit_size_goal()`: gso_segs × mss bounded by half the peer's largest window.
 * Model: the peer has offered ≥ 128 KiB (so the half-window bound does not bite): lo 65483, veth/NIC 45 × 1448.
 */
export function tcp_xmit_size_goal_bulk(mss_bytes: number): number {
  return Math.max(1, Math.floor((65536 - 1) / mss_bytes)) * mss_bytes;
}

/**
 * Write-queue or retransmit-queue truesize of `bytes` written in bulk.
 * Kernel: each skb costs tcp_stream_alloc_skb truesize + payload; sk_wmem_queued counts both the
 * unsent write queue and the sent-unacked rtx queue.
 * Model: skbs of size_goal bytes (the last one partial), no splits or trims.
 */
export function send_queue_truesize(p: KernelProfile, bytes: number, size_goal: number): SendQueue {
  if (bytes <= 0) return { skbs: 0, truesize_bytes: 0, last_skb_truesize_bytes: 0 };
  const skbs = Math.ceil(bytes / size_goal);
  const last = bytes - (skbs - 1) * size_goal;
  return { skbs, truesize_bytes: skbs * tx_skb_truesize(p, 0) + bytes, last_skb_truesize_bytes: tx_skb_truesize(p, last) };
}
