import type { KernelProfile } from '../profile/kernel_profile';
import { InputError } from '../schema/format_zod_error';
import { sk_buff_aligned_bytes } from './skb_align';
import { tx_skb_truesize } from './tx_skb_truesize';

/** RX buffer sizes of page-fragment NIC drivers. */
export const nic_rx_buffer_bytes = { page_frag_2k: 2048, page_frag_4k: 4096 } as const;
export type NicRxBuffer = keyof typeof nic_rx_buffer_bytes;

/**
 * The link a segment arrived on, as far as the receive truesize is concerned. Structurally compatible with the
 * scenario's `link` (model/scenario), whose extra fields are ignored.
 */
export type RxLink =
  | { kind: 'loopback' }
  | { kind: 'veth' }
  | { kind: 'nic'; rx_buffer: NicRxBuffer; gro: boolean; mss_bytes?: number };

/** GRO stops merging when the merged length would reach gro_max_size. */
export const gro_max_size_bytes = 65536;

/**
 * How a NIC delivers payload_bytes: segments of mss, one RX buffer each, merged by GRO into skbs of up to
 * 1 + MAX_SKB_FRAGS segments and < gro_max_size bytes.
 */
export function nic_rx_skbs(
  p: KernelProfile,
  link: { rx_buffer: NicRxBuffer; gro: boolean; mss_bytes?: number },
  payload_bytes: number,
): { segments: number; skbs: number; truesize_bytes: number } {
  const mss = link.mss_bytes ?? 1448;
  const segments = Math.ceil(payload_bytes / mss);
  const per_skb = link.gro ? Math.max(1, Math.min(1 + p.struct.max_skb_frags, Math.floor((gro_max_size_bytes - 1) / mss))) : 1;
  const skbs = Math.ceil(segments / per_skb);
  return { segments, skbs, truesize_bytes: segments * nic_rx_buffer_bytes[link.rx_buffer] + skbs * sk_buff_aligned_bytes(p) };
}

/**
 * Receiver truesize of payload_bytes delivered in one write-sized unit.
 *
 * Kernel:
 * - loopback (drivers/net/loopback.c) and veth (drivers/net/veth.c): the receiver queues the sender's clone,
 *   same truesize: tx_truesize if given, else one unsplit TX skb (832 + payload on 6.18 ref).
 * - NIC with page-frag RX: `napi_build_skb(buf, frag_size)` truesize = frag_size + SB per frame; with GRO
 *   each further frame's head is stolen as a frag and adds frag_size, i.e. ≈ 2048·N + 256 for N frames in
 *   2 KiB buffers. Without GRO each frame is its own skb.
 * Model: NIC frames carry mss_bytes (default 1448) of payload each, one buffer per frame; the GRO segment limit is
 * 1 + MAX_SKB_FRAGS (head + frags) and gro_max_size counts payload only. Returns the sum over all skbs.
 */
export function rx_skb_truesize(p: KernelProfile, link: RxLink, payload_bytes: number, tx_truesize?: number): number {
  if (!Number.isInteger(payload_bytes) || payload_bytes < 0) {
    throw new InputError(`rx_skb_truesize: payload_bytes must be a whole number >= 0, got ${payload_bytes}`);
  }
  switch (link.kind) {
    case 'loopback':
    case 'veth':
      return tx_truesize ?? tx_skb_truesize(p, payload_bytes);
    case 'nic':
      return nic_rx_skbs(p, link, payload_bytes).truesize_bytes;
  }
}
