import { describe, expect, it } from 'vitest';
import { pressure_region } from '../../../model/mem';

const tcp_mem = [287898, 383865, 575796] as const;

describe('pressure regions (R-6.4)', () => {
  it('is below_min up to and including tcp_mem[0]', () => {
    expect(pressure_region(0, tcp_mem)).toBe('below_min');
    expect(pressure_region(287898, tcp_mem)).toBe('below_min');
  });
  it('is above_min up to and including tcp_mem[1] (pressure is entered only above it)', () => {
    expect(pressure_region(287899, tcp_mem)).toBe('above_min');
    expect(pressure_region(383865, tcp_mem)).toBe('above_min');
  });
  it('is pressure above tcp_mem[1] up to tcp_mem[2], over_max beyond', () => {
    expect(pressure_region(383866, tcp_mem)).toBe('pressure');
    expect(pressure_region(575796, tcp_mem)).toBe('pressure');
    expect(pressure_region(575797, tcp_mem)).toBe('over_max');
  });
});
