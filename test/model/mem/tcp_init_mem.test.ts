import { describe, expect, it } from 'vitest';
import { get_builtin_profile } from '../../../model/profile';
import { tcp_init_mem, tcp_mem_of } from '../../../model/mem';

describe('tcp_mem defaults (R-6.1)', () => {
  it('computes limit = pages/16 and {limit/4×3, limit, 2×limit/4×3}: 6141840 pages → 287898 383865 575796', () => {
    // Hand: 6141840/16 = 383865; 383865/4 = 95966 (floor) × 3 = 287898; × 2 = 575796.
    // Measured: /proc/sys/net/ipv4/tcp_mem on the reference host reads 287898 383865 575796.
    expect(tcp_init_mem(6141840)).toEqual([287898, 383865, 575796]);
  });
  it('never goes below a limit of 128 pages', () => {
    expect(tcp_init_mem(100)).toEqual([96, 128, 192]);
  });
  it('uses the profile sysctl when it is recorded, else computes it', () => {
    const p = get_builtin_profile('6.18.44-reference');
    expect(tcp_mem_of(p)).toEqual([287898, 383865, 575796]);
    expect(tcp_mem_of({ ...p, sysctl: { ...p.sysctl, tcp_mem: [1, 2, 3] } })).toEqual([1, 2, 3]);
  });
});
