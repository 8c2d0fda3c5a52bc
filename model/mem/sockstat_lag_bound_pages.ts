import type { KernelProfile } from '../profile/kernel_profile';

/**
 * Largest amount by which /proc/net/sockstat "mem" (and the global counter the pressure tests use) can lag the
 * true sum of socket pages.
 * Kernel: include/net/sock.h `sk_memory_allocated_add/sub`: each CPU holds a pending delta in
 * (−mem_pcpu_rsv, +mem_pcpu_rsv) pages before folding it into the global counter.
 * Model: nr_cpus × (mem_pcpu_rsv − 1); 2 CPUs, rsv 256 → 510 pages.
 */
export function sockstat_lag_bound_pages(p: KernelProfile): number {
  return p.nr_cpus * (p.sysctl.mem_pcpu_rsv - 1);
}
