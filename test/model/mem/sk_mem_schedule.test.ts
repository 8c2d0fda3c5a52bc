import { describe, expect, it } from 'vitest';
import { sk_mem_reclaim, sk_mem_schedule } from '../../../model/mem';

describe('forward-alloc scheduling and reclaim (R-6.3, R-6.9)', () => {
  it('charges nothing when forward_alloc covers the size', () => {
    expect(sk_mem_schedule({ forward_alloc_bytes: 3263 }, 833)).toEqual({ amt_pages: 0, forward_alloc_bytes: 3263 });
  });
  it('raises whole pages: 833 bytes from f = 0 → 1 page; 10000 from f = 100 → ceil(9900/4096) = 3 pages', () => {
    expect(sk_mem_schedule({ forward_alloc_bytes: 0 }, 833)).toEqual({ amt_pages: 1, forward_alloc_bytes: 4096 });
    expect(sk_mem_schedule({ forward_alloc_bytes: 100 }, 10000)).toEqual({ amt_pages: 3, forward_alloc_bytes: 100 + 3 * 4096 });
  });
  it('returns whole pages and keeps the remainder below 4096', () => {
    expect(sk_mem_reclaim(4095)).toEqual({ pages_returned: 0, forward_alloc_bytes: 4095 });
    expect(sk_mem_reclaim(10000)).toEqual({ pages_returned: 2, forward_alloc_bytes: 10000 - 8192 });
  });
  it('keeps SO_RESERVE_MEM bytes', () => {
    expect(sk_mem_reclaim(10000, 8192)).toEqual({ pages_returned: 0, forward_alloc_bytes: 10000 });
  });
});
