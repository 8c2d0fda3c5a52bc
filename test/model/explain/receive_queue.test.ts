import { describe, expect, it } from 'vitest';
import { tcp_incr_quickack_budget } from '../../../model/explain';

describe('quick-ACK budget (R-5.15)', () => {
  it('is 16 on loopback for small segments (rcv_wnd 65536 / (2 × 536) = 61, capped at 16)', () => {
    expect(tcp_incr_quickack_budget(65536, 1, 65483)).toBe(16);
  });
  it('is 1 for 32 KiB segments (65536 / 65536) and 2 when the division gives 0', () => {
    expect(tcp_incr_quickack_budget(65536, 32768, 65483)).toBe(1);
    expect(tcp_incr_quickack_budget(1000, 65483, 65483)).toBe(2);
  });
});
