import { describe, expect, it } from 'vitest';
import type { ComparisonRow } from '../../model/compare/comparison_types';
import { side_by_side_markdown } from '../../validate/side_by_side';
import type { ValidatedCapture } from '../../validate/validate_capture';

function row(metric: ComparisonRow['metric'], measured: number, simulated: number, judged: boolean): ComparisonRow {
  return {
    metric, subject: 'g/server', unit: 'bytes', measured, simulated, error_abs: simulated - measured, error_rel: null,
    worst_sample_error_abs: null, aligned_samples: 0, repeats: [measured], spread: 0,
    tolerance: judged ? { why: 'exact' } : null, allowed_abs: judged ? 0 : null,
    verdict: judged ? (measured === simulated ? 'pass' : 'fail') : 'not_judged', note: null,
  };
}
function capture(kernel: string, rows: ComparisonRow[]): ValidatedCapture {
  return { set: { dir: kernel, run_dirs: [] }, comparison: { scenario: 's', kernel_release: kernel, profile_id: 'p', source: 'kernel', repeat_count: 1, rows } } as unknown as ValidatedCapture;
}

describe('side_by_side_markdown', () => {
  it('puts the judged rows of one scenario on two kernels next to each other', () => {
    // 6.1 lo 1-byte charge 1281, 6.18: 833.
    const md = side_by_side_markdown([
      capture('6.1.0-56-amd64', [row('skmem_r', 1281, 1281, true), row('skmem_t', 0, 0, false)]),
      capture('6.18.44-fc-v782', [row('skmem_r', 833, 832, true), row('skmem_t', 0, 0, false)]),
    ]);
    expect(md).toContain('### s: 6.1.0-56-amd64 vs 6.18.44-fc-v782');
    expect(md).toContain('| skmem_r | g/server | 1281 | 1281 | pass | 833 | 832 | FAIL |');
    expect(md).not.toContain('skmem_t');
  });

  it('is empty when no scenario was captured on two kernels', () => {
    expect(side_by_side_markdown([capture('6.18.44-fc-v782', [row('skmem_r', 833, 833, true)])])).toBe('');
  });
});
