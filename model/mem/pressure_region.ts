import type { TcpMemPages } from './tcp_init_mem';

export type PressureRegion = 'below_min' | 'above_min' | 'pressure' | 'over_max';
export const pressure_regions: readonly PressureRegion[] = ['below_min', 'above_min', 'pressure', 'over_max'];

/**
 * Where a global page count falls against tcp_mem.
 * Kernel: net/core/sock.c `__sk_mem_raise_allocated()`: ≤ tcp_mem[0] → grant and leave pressure
 * ('below_min'); > tcp_mem[1] → enter memory pressure ('pressure'); > tcp_mem[2] → suppress except the minimum
 * guarantees ('over_max'); in between, no pressure is entered but an existing one is not left ('above_min').
 * Model: the region of the count itself; the hysteresis of the pressure flag is the simulator's.
 */
export function pressure_region(pages: number, tcp_mem: TcpMemPages): PressureRegion {
  if (pages <= tcp_mem[0]) return 'below_min';
  if (pages <= tcp_mem[1]) return 'above_min';
  if (pages <= tcp_mem[2]) return 'pressure';
  return 'over_max';
}
