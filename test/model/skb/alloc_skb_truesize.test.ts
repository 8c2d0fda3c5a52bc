import { describe, expect, it } from 'vitest';
import { get_builtin_profile } from '../../../model/profile';
import { alloc_skb_head_bytes, alloc_skb_truesize } from '../../../model/skb';

const ref = get_builtin_profile('6.18.44-reference');
const deb = get_builtin_profile('debian-6.1.192-amd64');

describe('alloc_skb truesize (R-1.6..R-1.10)', () => {
  // The table in linux-tcp-memory.md section 1.2, both ends of every row.
  const table: Array<[number, number, number]> = [
    [0, 256, 832],
    [257, 704, 1280],
    [705, 1728, 2304],
    [1729, 3776, 4352],
    [3777, 7872, 8448],
    [7873, 16064, 16640],
  ];
  for (const [lo, hi, truesize] of table) {
    it(`gives ${truesize} for linear sizes ${lo}…${hi} on the 6.18 reference`, () => {
      expect(alloc_skb_truesize(ref, lo)).toBe(truesize);
      expect(alloc_skb_truesize(ref, hi)).toBe(truesize);
    });
  }
  it('uses the 576-byte small-head cache on 6.18 for heads up to 256 bytes (R-1.8)', () => {
    expect(alloc_skb_head_bytes(ref, 192)).toBe(576);
  });
  it('goes through kmalloc-1k on 6.1, which has no small-head cache (R-1.10: MTH 320 → 640 → 1 KiB → 1280)', () => {
    expect(alloc_skb_head_bytes(deb, 320)).toBe(1024);
    expect(alloc_skb_truesize(deb, 320)).toBe(1280);
    expect(alloc_skb_truesize(deb, 0)).toBe(768); // SKB_HEAD_ALIGN(0) = 320 → kmalloc-512 → 512 + SB 256
  });
});
