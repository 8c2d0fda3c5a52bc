import { sk_mem_page_bytes } from './sk_mem_pages';

export interface SkMemState {
  /** sk_forward_alloc (ss `f`). */
  forward_alloc_bytes: number;
}

/**
 * Kernel: include/net/sock.h `sk_wmem_schedule` / `sk_rmem_schedule` → net/core/sock.c `__sk_mem_schedule()`
 * size ≤ f → nothing to charge; else amt = ceil((size − f) / 4096) pages and f += amt × 4096.
 * Model: returns what a *granted* schedule does; whether the pool grants it is `__sk_mem_raise_allocated`
 * (R-6.4, pressure_region + caller's minimum guarantees). The caller then charges size (f −= size, R-6.8).
 */
export function sk_mem_schedule(state: SkMemState, size: number): { amt_pages: number; forward_alloc_bytes: number } {
  if (size <= state.forward_alloc_bytes) return { amt_pages: 0, forward_alloc_bytes: state.forward_alloc_bytes };
  const amt_pages = Math.ceil((size - state.forward_alloc_bytes) / sk_mem_page_bytes);
  return { amt_pages, forward_alloc_bytes: state.forward_alloc_bytes + amt_pages * sk_mem_page_bytes };
}

/**
 * Kernel: include/net/sock.h `sk_mem_reclaim()`: reclaimable = f − unused reserved (SO_RESERVE_MEM);
 * if ≥ 4096, floor(reclaimable / 4096) pages go back to the pool and f keeps the remainder (6.0+: no 1 MiB
 * threshold).
 * Model: exact.
 */
export function sk_mem_reclaim(
  forward_alloc_bytes: number,
  unused_reserved_bytes = 0,
): { pages_returned: number; forward_alloc_bytes: number } {
  const reclaimable = forward_alloc_bytes - unused_reserved_bytes;
  if (reclaimable < sk_mem_page_bytes) return { pages_returned: 0, forward_alloc_bytes };
  const pages_returned = Math.floor(reclaimable / sk_mem_page_bytes);
  return { pages_returned, forward_alloc_bytes: forward_alloc_bytes - pages_returned * sk_mem_page_bytes };
}
