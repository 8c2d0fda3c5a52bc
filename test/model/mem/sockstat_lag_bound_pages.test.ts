import { describe, expect, it } from 'vitest';
import { get_builtin_profile } from '../../../model/profile';
import { sockstat_lag_bound_pages } from '../../../model/mem';

describe('sockstat lag bound (R-6.6, R-6.7)', () => {
  it('is up to ±510 pages on a 2-CPU box with mem_pcpu_rsv 256', () => {
    expect(sockstat_lag_bound_pages(get_builtin_profile('6.18.44-reference'))).toBe(510);
  });
  it('grows with the CPU count', () => {
    const p = get_builtin_profile('6.18.44-reference');
    expect(sockstat_lag_bound_pages({ ...p, nr_cpus: 64 })).toBe(64 * 255);
  });
});
