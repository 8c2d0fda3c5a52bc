import { describe, it, expect } from 'vitest';
import { format_bytes, format_int } from '../../../notebooks/lib';

describe('format_bytes', () => {
  it('picks the binary unit that keeps the number below 1024', () => {
    expect(format_bytes(832)).toBe('832 B');
    // 3392 / 1024 = 3.3125 → three significant digits
    expect(format_bytes(3392)).toBe('3.31 KiB');
    expect(format_bytes(64 * 1024 ** 3)).toBe('64 GiB');
  });

  it('keeps the sign of a negative difference', () => {
    expect(format_bytes(-4096)).toBe('-4 KiB');
  });
});

describe('format_int', () => {
  it('rounds and groups thousands', () => {
    expect(format_int(383869.4)).toBe('383,869');
  });
});
