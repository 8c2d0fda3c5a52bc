/** Page size the socket memory accounting works in (PAGE_SIZE on x86_64). */
export const sk_mem_page_bytes = 4096;

/**
 * Pages a socket holds in the global tcp_memory_allocated pool.
 * Kernel: include/net/sock.h accounting invariant: every charge and uncharge is whole pages and
 * sk_forward_alloc is the prepaid remainder, so pages = (f + r + w) / 4096.
 * Model: rounds up, so a state that is not page-aligned (e.g. a hand-made one) is charged as the kernel would
 * have had to charge it: ceil((r + w + f) / 4096).
 */
export function sk_mem_pages(rmem_alloc_bytes: number, wmem_queued_bytes: number, forward_alloc_bytes: number): number {
  return Math.ceil((rmem_alloc_bytes + wmem_queued_bytes + forward_alloc_bytes) / sk_mem_page_bytes);
}
