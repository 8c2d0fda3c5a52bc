import { describe, expect, it } from 'vitest';
import { get_builtin_profile } from '../../../model/profile';
import { tcp_collapse_skb_truesize } from '../../../model/skb';

const p = get_builtin_profile('6.18.44-reference');

describe('tcp_collapse output truesize (R-4.16)', () => {
  it('puts 3776 bytes in each kmalloc-4k skb of truesize 4352', () => {
    expect(tcp_collapse_skb_truesize(p, 3776)).toBe(4352);
    expect(tcp_collapse_skb_truesize(p, 2 * 3776)).toBe(2 * 4352);
  });
  it('makes the last skb smaller: ≤ 256 bytes → 832', () => {
    expect(tcp_collapse_skb_truesize(p, 3776 + 100)).toBe(4352 + 832);
  });
  it('makes nothing out of nothing', () => {
    expect(tcp_collapse_skb_truesize(p, 0)).toBe(0);
  });
});
