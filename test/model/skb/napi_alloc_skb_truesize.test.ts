import { describe, expect, it } from 'vitest';
import { get_builtin_profile } from '../../../model/profile';
import { napi_alloc_skb_truesize } from '../../../model/skb';

const ref = get_builtin_profile('6.18.44-reference');
const deb = get_builtin_profile('debian-6.1.192-amd64');

describe('napi_alloc_skb truesize (R-3.8)', () => {
  it('uses the small head (832) on 6.18 when len + 64 pad ≤ 256', () => {
    expect(napi_alloc_skb_truesize(ref, 128)).toBe(832);
    expect(napi_alloc_skb_truesize(ref, 192)).toBe(832);
  });
  it('uses a page-frag head of SKB_HEAD_ALIGN(len + 64) + 256 in between on 6.18', () => {
    // 193 + 64 = 257 → ALIGN 320 + 320 = 640 → 896
    expect(napi_alloc_skb_truesize(ref, 193)).toBe(896);
    // 1500 + 64 = 1564 → 1600 + 320 = 1920 → 2176
    expect(napi_alloc_skb_truesize(ref, 1500)).toBe(2176);
  });
  it('falls back to kmalloc above SKB_WITH_OVERHEAD(PAGE) = 3776', () => {
    // 3713 + 64 = 3777 → SKB_HEAD_ALIGN 4160 → kmalloc 8k → 8448
    expect(napi_alloc_skb_truesize(ref, 3713)).toBe(8448);
  });
  it('uses a 1 KiB slice (1280) on 6.1 up to len + 64 ≤ 704', () => {
    expect(napi_alloc_skb_truesize(deb, 64)).toBe(1280);
    expect(napi_alloc_skb_truesize(deb, 640)).toBe(1280);
    // 641 + 64 = 705 → ALIGN 768 + 320 = 1088 → 1344
    expect(napi_alloc_skb_truesize(deb, 641)).toBe(1344);
  });
});
