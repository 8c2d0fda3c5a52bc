import { describe, expect, it } from 'vitest';
import { get_builtin_profile } from '../../../model/profile';
import { nic_rx_skbs, rx_skb_truesize } from '../../../model/skb';

const ref = get_builtin_profile('6.18.44-reference');
const deb = get_builtin_profile('debian-6.1.192-amd64');

describe('receive truesize per link (R-3.3..R-3.10)', () => {
  it('on loopback and veth equals the sender skb truesize: 832 + payload on 6.18, 1280 + payload on 6.1 (R-3.3, R-3.6)', () => {
    expect(rx_skb_truesize(ref, { kind: 'loopback' }, 1)).toBe(833);
    expect(rx_skb_truesize(ref, { kind: 'veth' }, 1000)).toBe(1832);
    expect(rx_skb_truesize(deb, { kind: 'loopback' }, 1)).toBe(1281);
  });
  it('on loopback takes the sender truesize when given (a split or trimmed skb)', () => {
    expect(rx_skb_truesize(ref, { kind: 'loopback' }, 100, 5000)).toBe(5000);
  });
  it('costs one 2 KiB buffer + 256 per frame without GRO: 1 byte → 2304, 4 KiB pages → 4352 (R-3.7, R-3.11)', () => {
    expect(rx_skb_truesize(ref, { kind: 'nic', rx_buffer: 'page_frag_2k', gro: false }, 1)).toBe(2304);
    expect(rx_skb_truesize(ref, { kind: 'nic', rx_buffer: 'page_frag_4k', gro: false }, 1)).toBe(4352);
    // 3 frames of ≤ 1448 bytes, 3 skbs
    expect(rx_skb_truesize(ref, { kind: 'nic', rx_buffer: 'page_frag_2k', gro: false }, 3 * 1448)).toBe(3 * 2304);
  });
  it('merges frames with GRO into 2048·N + 256 (R-3.10)', () => {
    expect(rx_skb_truesize(ref, { kind: 'nic', rx_buffer: 'page_frag_2k', gro: true }, 10 * 1448)).toBe(2048 * 10 + 256);
  });
  it('starts a new GRO skb after 1 + 17 frames (head + MAX_SKB_FRAGS)', () => {
    const r = nic_rx_skbs(ref, { rx_buffer: 'page_frag_2k', gro: true }, 19 * 1448);
    expect(r).toEqual({ segments: 19, skbs: 2, truesize_bytes: 19 * 2048 + 2 * 256 });
  });
});
