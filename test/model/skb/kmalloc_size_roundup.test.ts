import { describe, expect, it } from 'vitest';
import { get_builtin_profile } from '../../../model/profile';
import { kmalloc_size_roundup } from '../../../model/skb';

const p = get_builtin_profile('6.18.44-reference');

describe('kmalloc_size_roundup (R-1.9)', () => {
  it('picks the smallest SLUB class that holds the size', () => {
    expect(kmalloc_size_roundup(p, 1)).toBe(8);
    expect(kmalloc_size_roundup(p, 65)).toBe(96);
    expect(kmalloc_size_roundup(p, 640)).toBe(1024);
    expect(kmalloc_size_roundup(p, 4096)).toBe(4096);
    expect(kmalloc_size_roundup(p, 8192)).toBe(8192);
  });
  it('rounds sizes above 8 KiB up to a power-of-two number of pages (page allocator, get_order)', () => {
    expect(kmalloc_size_roundup(p, 8193)).toBe(16384);
    expect(kmalloc_size_roundup(p, 16384)).toBe(16384);
    expect(kmalloc_size_roundup(p, 16385)).toBe(32768);
    expect(kmalloc_size_roundup(p, 65536 + 320)).toBe(131072);
  });
  it('refuses a size of zero', () => {
    expect(() => kmalloc_size_roundup(p, 0)).toThrow(/must be > 0/);
  });
});
