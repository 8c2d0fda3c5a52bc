import type { MetricName, Tolerance } from '../scenario/scenario_schema';

/**
 * One compared quantity: a metric (named as in the scenario's `tolerances`) about one
 * subject (a group/side for per-socket metrics, a counter, a slab cache, or "all").
 */
export interface MetricKey {
  metric: MetricName;
  /** e.g. "bulk/server", "TCPRcvCoalesce", "TCP", "all". */
  subject: string;
  /** Unit of the values: bytes, pages, segs, count, objs/conn, ms. */
  unit: string;
}

/** A metric's values in one run: the value at the last sample and its time series. */
export interface MetricSeries extends MetricKey {
  /** Value at the last sample (null when the run never showed it). */
  end: number | null;
  /** [t_ms, value] for every sample where the value is known. */
  series: Array<[number, number]>;
}

/**
 * How a row was judged:
 * - pass / fail: a tolerance is declared and the simulated value is inside / outside the band;
 * - known_gap: outside the band, listed in data/known-gaps.json (does not fail the exit code);
 * - gap_closed: listed as a known gap but now inside the band (the gap entry should be removed);
 * - not_judged: no tolerance declared for this metric in the scenario;
 * - missing: the simulator does not model this quantity (e.g. a counter it does not count), or
 *   neither side produced it and no tolerance is declared.
 */
export type Verdict = 'pass' | 'fail' | 'known_gap' | 'gap_closed' | 'not_judged' | 'missing';

export interface ComparisonRow extends MetricKey {
  /** Mean over the measured repeats of the end value. */
  measured: number | null;
  simulated: number | null;
  /** simulated − measured. */
  error_abs: number | null;
  /** (simulated − measured) / |measured|; null when measured is 0 or unknown. */
  error_rel: number | null;
  /** Largest |simulated − measured| over the aligned samples (repeat r0), null without aligned samples. */
  worst_sample_error_abs: number | null;
  /** Aligned sample pairs behind worst_sample_error_abs. */
  aligned_samples: number;
  /** Measured end values of every repeat, in repeat order. */
  repeats: Array<number | null>;
  /** max − min of the measured repeats (0 for one repeat). */
  spread: number | null;
  tolerance: Tolerance | null;
  /** Allowed |error| outside the repeats' range: max(abs, rel × |measured|); null when not judged. */
  allowed_abs: number | null;
  verdict: Verdict;
  /** Why a known gap (from data/known-gaps.json), or why a row is missing. */
  note: string | null;
}

export interface CaptureComparison {
  /** Scenario name (meta.scenario.name). */
  scenario: string;
  kernel_release: string;
  profile_id: string;
  source: string;
  repeat_count: number;
  rows: ComparisonRow[];
}
