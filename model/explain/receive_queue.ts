import type { KernelProfile } from '../profile/kernel_profile';
import { nic_rx_skbs, type RxLink } from '../skb/rx_skb_truesize';
import { sk_buff_aligned_bytes } from '../skb/skb_align';
import { tx_skb_truesize } from '../skb/tx_skb_truesize';

/** How received segments end up in skbs. */
export const coalescing_modes = ['all', 'quickack', 'none'] as const;
export type CoalescingMode = (typeof coalescing_modes)[number];

/** TCP_MAX_QUICKACKS (include/net/tcp.h). */
export const tcp_max_quickacks = 16;
/** TCP_MSS_DEFAULT: the initial icsk_ack.rcv_mss bound. */
const tcp_mss_default = 536;

/**
 * Quick-ACK budget at the first data segment.
 * Kernel: net/ipv4/tcp_input.c `tcp_incr_quickack()`: rcv_wnd / (2 × rcv_mss), 2 if that is 0, at most
 * TCP_MAX_QUICKACKS (16); rcv_mss has already been raised to min(len, advmss) by tcp_measure_rcv_mss.
 * Model: rcv_mss = max(536, min(segment, advmss)).
 */
export function tcp_incr_quickack_budget(rcv_wnd: number, segment_bytes: number, advmss: number): number {
  const rcv_mss = Math.max(tcp_mss_default, Math.min(segment_bytes, advmss));
  const q = Math.floor(rcv_wnd / (2 * rcv_mss));
  return Math.min(q === 0 ? 2 : q, tcp_max_quickacks);
}

export interface ReceiveQueue {
  segments: number;
  skbs: number;
  truesize_bytes: number;
  /** Truesize of the last skb queued (the one admits while r ≤ rcvbuf before adding it). */
  last_skb_truesize_bytes: number;
  assumption: string;
}

/**
 * Receive-queue truesize of `unread_bytes` the application has not read, arriving as writes of segment_bytes.
 *
 * Kernel: lo/veth deliver the sender's skb (truesize base + len, R-3.3/R-3.6); a segment coalesces into the queue
 * tail at payload cost only when the tail is no longer cloned, i.e. the sender has processed an ACK that freed the
 * original, and an skb holds at most MAX_SKB_FRAGS frags. NIC skbs are not clones:
 * coalescing steals their head as a frag and saves the 256-byte sk_buff, the buffer truesize stays.
 * Modes (measured on the reference host, data/measurements/rx-coalescing-2026-11-25.json):
 * - 'all' (default): every skb fills to MAX_SKB_FRAGS segments — writes ≥ 10 ms apart, where a delayed ACK or the
 *   sender's TLP probe frees the clone before the next write (100 × 1 B at 10/50 ms: 6 skbs in 5 of 6 runs); a
 *   lower bound in every run measured.
 * - 'quickack': the first skb absorbs the next quick-ACK-budget segments, later ones each take an skb —
 *   a back-to-back burst of ≤ ~20 writes (20 × 1 B: 4 skbs, 3 of 3 runs). Longer bursts cost less than this because
 *   the cwnd-limited sender merges writes (R-2.14: 40 or 100 × 1 B → 19 skbs).
 * - 'none': every segment its own skb (upper bound).
 * Model: one segment = one write sent alone, one frag (no page-frag boundary crossing), receiver never reads, no
 * prune/collapse (those are for `tcpmem simulate`).
 */
export function receive_queue_truesize(
  p: KernelProfile,
  rx: RxLink,
  unread_bytes: number,
  segment_bytes: number,
  mode: CoalescingMode,
  quickack_budget: number,
): ReceiveQueue {
  if (unread_bytes <= 0) return { segments: 0, skbs: 0, truesize_bytes: 0, last_skb_truesize_bytes: 0, assumption: 'nothing unread' };
  const n = Math.ceil(unread_bytes / segment_bytes);
  const last_len = unread_bytes - (n - 1) * segment_bytes;
  const frags = p.struct.max_skb_frags;
  const sb = sk_buff_aligned_bytes(p);
  // How many skbs the n segments end up in, and how many segments the first skb took.
  let skbs: number;
  if (mode === 'none') skbs = n;
  else if (mode === 'all') skbs = Math.ceil(n / frags);
  else {
    const first = Math.min(n, 1 + Math.min(quickack_budget, frags - 1));
    skbs = 1 + (n - first);
  }
  if (rx.kind === 'nic') {
    const per_seg = nic_rx_skbs(p, rx, segment_bytes);
    const last = nic_rx_skbs(p, rx, last_len);
    const sum = (n - 1) * per_seg.truesize_bytes + last.truesize_bytes;
    const uncoalesced_skbs = (n - 1) * per_seg.skbs + last.skbs;
    const saved = mode === 'none' ? 0 : Math.max(0, uncoalesced_skbs - skbs) * sb;
    return {
      segments: n,
      skbs: mode === 'none' ? uncoalesced_skbs : Math.min(skbs, uncoalesced_skbs),
      truesize_bytes: sum - saved,
      last_skb_truesize_bytes: last.truesize_bytes,
      assumption: `NIC ${rx.rx_buffer}${rx.gro ? ' + GRO' : ''}: one RX buffer per 1448-byte frame (R-3.7..3.10); coalescing '${mode}' saves ${sb} bytes per skb merged (R-4.6)`,
    };
  }
  const base = tx_skb_truesize(p, 0);
  const texts: Record<CoalescingMode, string> = {
    quickack: `first skb absorbs the next ${quickack_budget} segments (quick ACKs free the sender's clone, R-4.9/4.10), later segments ${base} + len each (delayed ACKs leave the tail cloned): a back-to-back burst`,
    none: `every segment its own skb, ${base} + len (no ACK freed the clone in time; upper bound)`,
    all: `every skb coalesces up to ${frags} segments, ${base} + payload per skb (writes ≥ 10 ms apart: an ACK or TLP probe frees the clone before the next write, R-4.9; lower bound)`,
  };
  return {
    segments: n,
    skbs,
    truesize_bytes: skbs * base + unread_bytes,
    last_skb_truesize_bytes: base + last_len,
    assumption: `${n} segment(s) of ≤ ${segment_bytes} bytes on ${rx.kind}: ${texts[mode]}`,
  };
}
