import { describe, expect, it } from 'vitest';
import { compare_runs, comparison_exit_code } from '../../../model/compare/compare_runs';
import { socket_row, synthetic_run, synthetic_scenario } from './synthetic_run';

describe('compare_runs', () => {
  // the reader of 17 spaced 1-byte writes holds 849 bytes (6.18, lo).
  const sc = synthetic_scenario({
    tolerances: {
      skmem_r: { why: 'deterministic truesize on the same kernel (R-3.3)' },
      pages_per_connection: { rel: 0.01, why: 'whole pages per socket (R-6.2)' },
    },
  });
  const measured = (r: number) =>
    synthetic_run(sc, [socket_row({ t_ms: 0, side: 'server', r_bytes: 833 }), socket_row({ t_ms: 100, side: 'server', r_bytes: r })], [
      { t_ms: 0, values: { sockets_pages: 2 } },
      { t_ms: 100, values: { sockets_pages: 2 } },
    ]);

  it('passes when the simulator reproduces every judged metric and reports the rest as not judged', () => {
    const sim = { ...measured(849), meta: { ...measured(849).meta, source: 'simulator' as const } };
    const c = compare_runs([measured(849), measured(849), measured(849)], sim);
    const r = c.rows.find((x) => x.metric === 'skmem_r' && x.subject === 'g/server');
    expect(r).toMatchObject({ measured: 849, simulated: 849, spread: 0, verdict: 'pass', aligned_samples: 2, worst_sample_error_abs: 0 });
    expect(c.rows.find((x) => x.metric === 'pages_per_connection')?.verdict).toBe('pass');
    expect(c.repeat_count).toBe(3);
    expect(comparison_exit_code([c])).toBe(0);
  });

  it('fails the exit code when a judged metric misses, unless the miss is a listed known gap', () => {
    // Model predicting 1665 (two skbs of 832 + 1 payload byte) where the kernel coalesced to 849.
    const sim = measured(1665);
    const c = compare_runs([measured(849)], sim);
    expect(c.rows.find((x) => x.metric === 'skmem_r' && x.subject === 'g/server')?.verdict).toBe('fail');
    expect(comparison_exit_code([c])).toBe(1);

    const gap = { scenario: 'synthetic', metric: 'skmem_r' as const, subject: 'g/server', reason: 'clone rule timing (R-4.9) not modelled' };
    const with_gap = compare_runs([measured(849)], sim, { known_gaps: [gap] });
    expect(with_gap.rows.find((x) => x.metric === 'skmem_r' && x.subject === 'g/server')?.verdict).toBe('known_gap');
    expect(comparison_exit_code([with_gap])).toBe(0);
  });

  it('leaves out quantities neither side recorded', () => {
    const c = compare_runs([measured(849)], measured(849));
    expect(c.rows.some((x) => x.metric === 'cwnd')).toBe(false);
  });
});

describe('compare_runs with counters', () => {
  it('judges counters both runs record and reports those only the capture records as not modelled', () => {
    const sc = synthetic_scenario({ tolerances: { counter_deltas: { abs: 2, why: 'counter noise' } } });
    const g = (coalesce: number, probes: number | null) => [
      { t_ms: 0, values: { counter_TCPRcvCoalesce_count: 0, counter_TCPLossProbes_count: probes === null ? null : 0 } },
      { t_ms: 100, values: { counter_TCPRcvCoalesce_count: coalesce, counter_TCPLossProbes_count: probes } },
    ];
    const measured = synthetic_run(sc, [], g(16, 3), { counters: ['TCPRcvCoalesce', 'TCPLossProbes'] });
    const simulated = synthetic_run(sc, [], g(15, null), { source: 'simulator', counters: ['TCPRcvCoalesce'] });
    const c = compare_runs([measured], simulated);
    expect(c.rows.find((r) => r.subject === 'TCPRcvCoalesce')).toMatchObject({ measured: 16, simulated: 15, verdict: 'pass' });
    expect(c.rows.find((r) => r.subject === 'TCPLossProbes')).toMatchObject({ measured: 3, simulated: null, verdict: 'missing' });
    expect(comparison_exit_code([c])).toBe(0);
  });
});
