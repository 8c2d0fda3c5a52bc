import { describe, expect, it } from 'vitest';
import { get_builtin_profile } from '../../../model/profile';
import { skb_data_align, skb_head_align, skb_max_order, skb_with_overhead, sk_buff_aligned_bytes, skb_shared_info_aligned_bytes } from '../../../model/skb';

const ref = get_builtin_profile('6.18.44-reference');
const deb = get_builtin_profile('debian-6.1.192-amd64');

describe('skb size macros (R-1.1..R-1.5)', () => {
  it('SKB_DATA_ALIGN rounds up to the 64-byte cache line (R-1.1)', () => {
    expect(skb_data_align(ref, 0)).toBe(0);
    expect(skb_data_align(ref, 1)).toBe(64);
    expect(skb_data_align(ref, 192)).toBe(192);
    expect(skb_data_align(ref, 193)).toBe(256);
  });
  it('SB is 256 and SH is 320 on both profiles, whatever the sk_buff struct size (section 0 notation)', () => {
    // sizeof(sk_buff) 224 (ref) / 232 (Debian) both align to 256; skb_shared_info 320 is already aligned.
    for (const p of [ref, deb]) {
      expect(sk_buff_aligned_bytes(p)).toBe(256);
      expect(skb_shared_info_aligned_bytes(p)).toBe(320);
    }
  });
  it('SKB_HEAD_ALIGN adds the aligned shared info (R-1.2): MTH 192 needs 512, MTH 320 needs 640', () => {
    expect(skb_head_align(ref, 192)).toBe(512);
    expect(skb_head_align(deb, 320)).toBe(640);
  });
  it('SKB_WITH_OVERHEAD and SKB_MAX_ORDER(0,0) give 3776 usable bytes in a 4 KiB page (R-1.3, R-1.5)', () => {
    expect(skb_with_overhead(ref, 4096)).toBe(3776);
    expect(skb_max_order(ref, 0, 0)).toBe(3776);
    expect(skb_max_order(ref, 0, 1)).toBe(8192 - 320);
  });
});
