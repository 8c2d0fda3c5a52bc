/**
 * Ratio nr_free_buffer_pages / RAM pages measured on the reference host: 24 GiB = 6291456 pages,
 * nr_free_buffer_pages 6141840 (data/profiles/linux-6.18.44-reference.json; tcp_mem on that host,
 * 287898 383865 575796, matches tcp_init_mem(6141840)). MemTotal there was 6170905 pages.
 */
export const reference_free_buffer_ratio = 6141840 / 6291456;

/**
 * Approximates the kernel's nr_free_buffer_pages() for a machine with `ram_bytes` of RAM.
 *
 * Kernel: mm/page_alloc.c `nr_free_buffer_pages()` = Σ over zones up to ZONE_NORMAL of
 * (managed_pages − high watermark); tcp_init_mem() divides it by 16.
 * Model: managed pages are RAM minus memmap (struct page, 64 B per 4 KiB page = 1.56%), the kernel image,
 * reserved and firmware ranges; the watermarks are another ~0.5%. Neither is knowable from the RAM size alone,
 * so the ratio measured on the reference host (0.9762) is applied. Expect ±1% on other machines (more with
 * crashkernel= or huge reservations): pass --tcp-mem with the host's real values when it matters.
 */
export function nr_free_buffer_pages_from_ram(ram_bytes: number, page_bytes = 4096): number {
  return Math.floor((ram_bytes / page_bytes) * reference_free_buffer_ratio);
}

/** Inverse of nr_free_buffer_pages_from_ram, for a profile that records only nr_free_buffer_pages. */
export function ram_bytes_from_nr_free_buffer_pages(pages: number, page_bytes = 4096): number {
  return Math.round(pages / reference_free_buffer_ratio) * page_bytes;
}
