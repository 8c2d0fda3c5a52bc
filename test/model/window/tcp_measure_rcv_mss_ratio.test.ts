import { describe, expect, it } from 'vitest';
import { tcp_measure_rcv_mss_ratio } from '../../../model/window';

describe('scaling_ratio from len/truesize (R-3.12)', () => {
  it('matches the reference examples: 1000 → 139, 32741 → 249, 47616 → 251 on lo (truesize 832 + len)', () => {
    expect(tcp_measure_rcv_mss_ratio(1000, 1832)).toBe(139);
    expect(tcp_measure_rcv_mss_ratio(32741, 32741 + 832)).toBe(249);
    expect(tcp_measure_rcv_mss_ratio(47616, 47616 + 832)).toBe(251);
  });
  it('never returns 0', () => {
    expect(tcp_measure_rcv_mss_ratio(1, 4352)).toBe(1);
  });
});
