import type { KernelProfile } from '../profile/kernel_profile';
import { InputError } from '../schema/format_zod_error';

/**
 * Kernel: mm/slab_common.c `kmalloc_size_roundup(n)`: the smallest SLUB kmalloc class that holds n;
 * above the largest class (KMALLOC_MAX_CACHE_SIZE, 8 KiB) the page allocator is used and the size becomes
 * PAGE_SIZE << get_order(n).
 * Model: the class list comes from the profile (kmalloc_classes_bytes); n ≤ 0 is refused.
 */
export function kmalloc_size_roundup(p: KernelProfile, n: number): number {
  if (!Number.isFinite(n) || n <= 0) throw new InputError(`kmalloc_size_roundup: size must be > 0 bytes, got ${n}`);
  for (const c of p.kmalloc_classes_bytes) if (n <= c) return c;
  const pages = Math.ceil(n / p.page_size_bytes);
  let order = 0;
  while (2 ** order < pages) order++;
  return p.page_size_bytes * 2 ** order;
}
