import { describe, expect, it } from 'vitest';
import { allowed_error, judge_metric, worst_sample_error } from '../../../model/compare/judge_metric';
import type { JudgeInput } from '../../../model/compare/judge_metric';

function input(over: Partial<JudgeInput>): JudgeInput {
  return {
    key: { metric: 'skmem_r', subject: 'g/server', unit: 'bytes' },
    repeats: [832],
    simulated: 832,
    tolerance: { why: 'deterministic truesize (R-3.3)' },
    known_gap_reason: null,
    worst_sample_error_abs: null,
    aligned_samples: 0,
    ...over,
  };
}

describe('judge_metric', () => {
  it('passes an exact tolerance only when the simulated value equals the measured one', () => {
    // a 1-byte loopback segment is charged 832 + 1 = 833 on 6.18.
    expect(judge_metric(input({ repeats: [833], simulated: 833 })).verdict).toBe('pass');
    const miss = judge_metric(input({ repeats: [833], simulated: 834 }));
    expect(miss.verdict).toBe('fail');
    expect(miss.error_abs).toBe(1);
    expect(miss.error_rel).toBeCloseTo(1 / 833, 12);
  });

  it('allows the larger of the absolute and relative tolerance', () => {
    // 1% of 4096 = 40.96 > abs 10, so 4096 + 40 passes and 4096 + 41 fails.
    const tol = { abs: 10, rel: 0.01, why: 'sockstat lag' };
    expect(allowed_error(tol, 4096)).toBeCloseTo(40.96, 12);
    expect(judge_metric(input({ repeats: [4096], simulated: 4136, tolerance: tol })).verdict).toBe('pass');
    expect(judge_metric(input({ repeats: [4096], simulated: 4137, tolerance: tol })).verdict).toBe('fail');
  });

  it('judges against the range of the repeats widened by the tolerance, and reports the spread', () => {
    // repeats 100 and 120, abs 5 → band [95, 125]; mean 110, spread 20.
    const tol = { abs: 5, why: 'timing-dependent' };
    const ok = judge_metric(input({ repeats: [100, 120], simulated: 125, tolerance: tol }));
    expect(ok.verdict).toBe('pass');
    expect(ok.measured).toBe(110);
    expect(ok.spread).toBe(20);
    expect(judge_metric(input({ repeats: [100, 120], simulated: 126, tolerance: tol })).verdict).toBe('fail');
    expect(judge_metric(input({ repeats: [100, 120], simulated: 94, tolerance: tol })).verdict).toBe('fail');
  });

  it('reports a metric without a declared tolerance but does not judge it', () => {
    const r = judge_metric(input({ repeats: [1000], simulated: 5, tolerance: null }));
    expect(r.verdict).toBe('not_judged');
    expect(r.allowed_abs).toBeNull();
    expect(r.note).toMatch(/no tolerance declared/);
  });

  it('shows a listed gap that misses as a known gap, and flags a listed gap that now passes', () => {
    const gap = 'model ignores delayed-ACK timing (R-5.15)';
    const miss = judge_metric(input({ repeats: [833], simulated: 1665, known_gap_reason: gap }));
    expect(miss.verdict).toBe('known_gap');
    expect(miss.note).toBe(gap);
    expect(judge_metric(input({ repeats: [833], simulated: 833, known_gap_reason: gap })).verdict).toBe('gap_closed');
  });

  it('fails a judged metric the simulator did not produce, naming the side that is missing', () => {
    const r = judge_metric(input({ repeats: [833], simulated: null }));
    expect(r.verdict).toBe('fail');
    expect(r.note).toBe('the simulator did not record it');
  });

  it('treats "never under pressure" on both sides as agreement for pressure_onset', () => {
    const r = judge_metric(
      input({
        key: { metric: 'pressure_onset', subject: 'all', unit: 'ms' },
        repeats: [null],
        simulated: null,
        tolerance: { abs: 100, why: 'onset timing' },
        null_means: 'never under memory pressure',
      }),
    );
    expect(r.verdict).toBe('pass');
    expect(r.note).toBe('both: never under memory pressure');
  });
});

describe('worst_sample_error', () => {
  it('pairs samples within half an interval and returns the largest difference', () => {
    // (0,10)~(2,10): 0; (100,20)~(101,25): 5; (200,30) has no simulated sample within 50 ms.
    const r = worst_sample_error([[0, 10], [100, 20], [200, 30]], [[2, 10], [101, 25], [260, 30]], 100);
    expect(r).toEqual({ worst: 5, aligned: 2 });
  });

  it('reports no aligned samples when the series do not overlap', () => {
    expect(worst_sample_error([[0, 1]], [], 100)).toEqual({ worst: null, aligned: 0 });
  });
});

describe('judge_metric for quantities the simulator does not model', () => {
  it('reports a counter absent from the simulated run as missing, not as a failure', () => {
    const r = judge_metric(
      input({
        key: { metric: 'counter_deltas', subject: 'TCPLossProbes', unit: 'count' },
        repeats: [14],
        simulated: null,
        tolerance: { abs: 2, rel: 0.1, why: 'counts' },
        not_modelled: true,
      }),
    );
    expect(r.verdict).toBe('missing');
    expect(r.note).toMatch(/not modelled by the simulator/);
  });
});

describe('judge_metric when the capture has no value', () => {
  it('reports the row as missing rather than judging the model against nothing', () => {
    // eventpoll_pwq is merged into another slab cache on 6.18, so slabinfo has no line for it.
    const r = judge_metric(
      input({
        key: { metric: 'slab_per_connection', subject: 'eventpoll_pwq', unit: 'objs/conn' },
        repeats: [null, null],
        simulated: 2,
        tolerance: { rel: 0.05, why: 'slab noise' },
      }),
    );
    expect(r.verdict).toBe('missing');
    expect(r.note).toBe('the capture did not record it');
  });
});
