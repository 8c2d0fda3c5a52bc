import type { Tolerance } from '../scenario/scenario_schema';
import type { ComparisonRow, MetricKey, Verdict } from './comparison_types';

/** Relative slack for floating-point rounding only (never a modelling tolerance). */
const FLOAT_EPSILON = 1e-9;

/**
 * Allowed |error| around the measured range: the larger of the declared absolute and
 * relative (× |measured|) tolerances; a tolerance with neither means exact.
 */
export function allowed_error(tolerance: Tolerance, measured: number): number {
  return Math.max(tolerance.abs ?? 0, (tolerance.rel ?? 0) * Math.abs(measured));
}

/** Pairs samples whose times differ by at most half the sampling interval; returns the largest |sim − meas|. */
export function worst_sample_error(
  measured: Array<[number, number]>,
  simulated: Array<[number, number]>,
  interval_ms: number,
): { worst: number | null; aligned: number } {
  let worst: number | null = null;
  let aligned = 0;
  let j = 0;
  for (const [t, m] of measured) {
    while (j + 1 < simulated.length && Math.abs(simulated[j + 1][0] - t) <= Math.abs(simulated[j][0] - t)) j++;
    if (simulated.length === 0 || Math.abs(simulated[j][0] - t) > interval_ms / 2) continue;
    const e = Math.abs(simulated[j][1] - m);
    aligned++;
    if (worst === null || e > worst) worst = e;
  }
  return { worst, aligned };
}

export interface JudgeInput {
  key: MetricKey;
  /** End value of each measured repeat. */
  repeats: Array<number | null>;
  simulated: number | null;
  tolerance: Tolerance | null;
  /** Reason from data/known-gaps.json when this row is a listed gap. */
  known_gap_reason: string | null;
  worst_sample_error_abs: number | null;
  aligned_samples: number;
  /** For metrics where "no value" is itself an observation (pressure_onset: never). */
  null_means?: string;
  /**
   * The simulator does not model this quantity at all (e.g. a counter absent from its
   * meta.counters), as opposed to modelling it and producing no value: reported as missing.
   */
  not_modelled?: boolean;
}

/**
 * Judges one metric. The simulated value passes when it lies inside the measured repeats'
 * range widened by the allowed error on each side: [min − allowed, max + allowed]. With one
 * repeat (or deterministic metrics, spread 0) this is |sim − measured| ≤ allowed. Only the
 * end-of-run value is judged; the worst aligned-sample error is reported next to it.
 */
export function judge_metric(input: JudgeInput): ComparisonRow {
  const known = input.repeats.filter((v): v is number => v !== null && Number.isFinite(v));
  const measured = known.length > 0 ? known.reduce((a, b) => a + b, 0) / known.length : null;
  const spread = known.length > 0 ? Math.max(...known) - Math.min(...known) : null;
  const sim = input.simulated !== null && Number.isFinite(input.simulated) ? input.simulated : null;
  const base = {
    ...input.key,
    measured,
    simulated: sim,
    error_abs: measured !== null && sim !== null ? sim - measured : null,
    error_rel: measured !== null && sim !== null && measured !== 0 ? (sim - measured) / Math.abs(measured) : null,
    worst_sample_error_abs: input.worst_sample_error_abs,
    aligned_samples: input.aligned_samples,
    repeats: input.repeats,
    spread,
    tolerance: input.tolerance,
  };
  const row = (verdict: Verdict, allowed_abs: number | null, note: string | null): ComparisonRow => ({
    ...base,
    allowed_abs,
    verdict,
    note,
  });

  if (measured === null || sim === null) {
    if (measured === null && sim === null) {
      if (input.null_means !== undefined) {
        return input.tolerance ? row('pass', 0, `both: ${input.null_means}`) : row('not_judged', null, `both: ${input.null_means}`);
      }
      return row('missing', null, 'neither the capture nor the simulator recorded it');
    }
    if (sim === null && input.not_modelled) {
      return row('missing', null, 'not modelled by the simulator (absent from its run\'s meta); reported, not judged');
    }
    const which = measured === null ? 'the capture' : 'the simulator';
    const note = input.null_means !== undefined ? `${which}: ${input.null_means}` : `${which} did not record it`;
    // Nothing measured (e.g. a slab cache the kernel merges, a field ss does not print): the model cannot be judged.
    if (!input.tolerance || (measured === null && input.null_means === undefined)) return row('missing', null, note);
    if (input.known_gap_reason) return row('known_gap', null, `${input.known_gap_reason} (${note})`);
    return row('fail', null, note);
  }
  if (!input.tolerance) {
    return row('not_judged', null, input.known_gap_reason ? `no tolerance declared; listed gap: ${input.known_gap_reason}` : 'no tolerance declared in the scenario');
  }
  const allowed = allowed_error(input.tolerance, measured);
  const lo = Math.min(...known) - allowed;
  const hi = Math.max(...known) + allowed;
  const slack = FLOAT_EPSILON * Math.max(1, Math.abs(lo), Math.abs(hi));
  const inside = sim >= lo - slack && sim <= hi + slack;
  if (input.known_gap_reason) {
    return inside
      ? row('gap_closed', allowed, `listed as a known gap but now inside tolerance: remove it from data/known-gaps.json (${input.known_gap_reason})`)
      : row('known_gap', allowed, input.known_gap_reason);
  }
  return row(inside ? 'pass' : 'fail', allowed, null);
}
