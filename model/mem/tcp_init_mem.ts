import type { KernelProfile } from '../profile/kernel_profile';

/** [min, pressure, max] in pages, as net.ipv4.tcp_mem. */
export type TcpMemPages = readonly [number, number, number];

/**
 * Kernel: net/ipv4/tcp.c `tcp_init_mem()`: limit = max(nr_free_buffer_pages / 16, 128);
 * tcp_mem = {limit / 4 × 3, limit, 2 × (limit / 4 × 3)} (integer divisions).
 * 6.18 ref host (nr_free_buffer_pages 6141840): 287898 383865 575796.
 * Model: exact.
 */
export function tcp_init_mem(nr_free_buffer_pages: number): TcpMemPages {
  const limit = Math.max(Math.floor(nr_free_buffer_pages / 16), 128);
  const low = Math.floor(limit / 4) * 3;
  return [low, limit, 2 * low];
}

/**
 * The tcp_mem thresholds a profile implies: its sysctl when recorded, else computed as the kernel does at boot.
 * Kernel: /proc/sys/net/ipv4/tcp_mem. Model: exact.
 */
export function tcp_mem_of(p: KernelProfile): TcpMemPages {
  return p.sysctl.tcp_mem ?? tcp_init_mem(p.nr_free_buffer_pages);
}
