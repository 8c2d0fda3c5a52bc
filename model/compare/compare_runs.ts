import type { Run } from '../run_output/run_output';
import type { CaptureComparison, ComparisonRow, MetricSeries } from './comparison_types';
import { extract_metrics } from './extract_metrics';
import { judge_metric, worst_sample_error } from './judge_metric';
import { find_known_gap, type KnownGap } from './known_gaps';

function key_of(m: { metric: string; subject: string }): string {
  return `${m.metric}\u0000${m.subject}`;
}

/**
 * Compares the measured repeats of one scenario (capture r0..rN) with one simulated run of
 * the same scenario. The scenario (and its tolerances) is taken from the first measured run's
 * meta. Every metric either side recorded becomes one row; rows keep the order of extraction
 * (per-socket metrics by group and side, then global, counters, slab caches).
 */
export function compare_runs(
  measured: readonly Run[],
  simulated: Run,
  opts: { known_gaps?: readonly KnownGap[]; profile_id?: string } = {},
): CaptureComparison {
  if (measured.length === 0) throw new Error('compare_runs: no measured run');
  const scenario = measured[0].meta.scenario;
  const per_repeat = measured.map((r) => new Map(extract_metrics(r, scenario).map((m) => [key_of(m), m])));
  const sim = new Map(extract_metrics(simulated, scenario).map((m) => [key_of(m), m]));

  const order: MetricSeries[] = [];
  const seen = new Set<string>();
  for (const source of [...per_repeat, sim]) {
    for (const [k, m] of source) {
      if (!seen.has(k)) {
        seen.add(k);
        order.push(m);
      }
    }
  }

  const rows: ComparisonRow[] = [];
  for (const m of order) {
    const k = key_of(m);
    const first = per_repeat[0].get(k);
    const s = sim.get(k);
    const { worst, aligned } =
      first && s ? worst_sample_error(first.series, s.series, scenario.sampling.interval_ms) : { worst: null, aligned: 0 };
    const gap = find_known_gap(opts.known_gaps ?? [], {
      scenario: scenario.name,
      metric: m.metric,
      subject: m.subject,
      kernel_release: measured[0].meta.kernel_release,
    });
    const row = judge_metric({
        key: { metric: m.metric, subject: m.subject, unit: m.unit },
        repeats: per_repeat.map((r) => r.get(k)?.end ?? null),
        simulated: s?.end ?? null,
        tolerance: scenario.tolerances[m.metric] ?? null,
        known_gap_reason: gap?.reason ?? null,
        worst_sample_error_abs: worst,
        aligned_samples: aligned,
        null_means: m.metric === 'pressure_onset' ? 'never under memory pressure' : undefined,
        not_modelled: s === undefined,
    });
    // A quantity neither side can observe (e.g. cwnd of a source without tcp_info) is left out.
    if (row.measured === null && row.simulated === null && row.verdict === 'missing') continue;
    rows.push(row);
  }
  return {
    scenario: scenario.name,
    kernel_release: measured[0].meta.kernel_release,
    profile_id: opts.profile_id ?? simulated.meta.profile_id ?? '(unknown)',
    source: measured[0].meta.source,
    repeat_count: measured.length,
    rows,
  };
}

/** Exit status of a validation: 1 when any row failed (known gaps do not count), else 0. */
export function comparison_exit_code(comparisons: readonly CaptureComparison[]): 0 | 1 {
  return comparisons.some((c) => c.rows.some((r) => r.verdict === 'fail')) ? 1 : 0;
}
