import { describe, expect, it } from 'vitest';
import { interesting_kernel_lines, parse_progress_line, progress_line } from '../../vm/guest_job';

describe('guest progress lines', () => {
  it('round-trip through the console', () => {
    expect(parse_progress_line(`[  3.1] ${progress_line(2, 1500.4, 9000)}\r`)).toEqual({ repeat_index: 2, done_ms: 1500, total_ms: 9000 });
    expect(parse_progress_line('tcpmem-guest: kernel 6.1.0-56-amd64')).toBeNull();
  });
});

describe('interesting_kernel_lines', () => {
  it('keeps the R-6.13 out-of-memory message and drops unrelated boot noise', () => {
    const lines = ['[   16.8] reboot: Power down', '[  40.1] TCP: out of memory -- consider tuning tcp_mem', '[ 1.0] veth: loaded'];
    expect(interesting_kernel_lines(lines)).toEqual(['[  40.1] TCP: out of memory -- consider tuning tcp_mem']);
  });
});
