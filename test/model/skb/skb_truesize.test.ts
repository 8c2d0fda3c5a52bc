import { describe, expect, it } from 'vitest';
import { get_builtin_profile } from '../../../model/profile';
import { skb_truesize } from '../../../model/skb';

describe('SKB_TRUESIZE (R-1.4)', () => {
  it('adds 576 bytes (SB 256 + SH 320) to the linear size', () => {
    const p = get_builtin_profile('6.18.44-reference');
    expect(skb_truesize(p, 0)).toBe(576);
    expect(skb_truesize(p, 256)).toBe(832);
    expect(skb_truesize(p, 704)).toBe(1280);
  });
});
