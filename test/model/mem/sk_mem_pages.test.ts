import { describe, expect, it } from 'vitest';
import { sk_mem_pages } from '../../../model/mem';

describe('pages a socket holds (R-6.2)', () => {
  it('is (r + w + f) / 4096 for a page-aligned state', () => {
    // One 833-byte skb received on lo: r 833, f 4096 − 833 = 3263 → 1 page.
    expect(sk_mem_pages(833, 0, 3263)).toBe(1);
    expect(sk_mem_pages(0, 0, 0)).toBe(0);
  });
  it('rounds a state that is not page-aligned up', () => {
    expect(sk_mem_pages(833, 833, 0)).toBe(1);
    expect(sk_mem_pages(4097, 0, 0)).toBe(2);
  });
});
