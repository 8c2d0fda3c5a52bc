import type { Tolerance } from '../model/scenario/scenario_schema';
import type { ComparisonRow, Verdict } from '../model/compare/comparison_types';

/** A number for a table cell: integers as they are, others to 4 significant digits. */
export function fmt_number(v: number | null): string {
  if (v === null) return '—';
  if (Number.isInteger(v)) return String(v);
  const a = Math.abs(v);
  if (a >= 1000) return v.toFixed(1);
  return Number(v.toPrecision(4)).toString();
}

export function fmt_rel(v: number | null): string {
  if (v === null) return '—';
  return `${(v * 100).toFixed(Math.abs(v) < 0.1 ? 2 : 1)}%`;
}

export function fmt_tolerance(t: Tolerance | null): string {
  if (!t) return 'none declared';
  const parts: string[] = [];
  if (t.abs !== undefined) parts.push(`±${fmt_number(t.abs)}`);
  if (t.rel !== undefined) parts.push(`±${fmt_rel(t.rel)}`);
  return parts.length === 0 ? 'exact' : parts.join(' or ');
}

export const verdict_label: Record<Verdict, string> = {
  pass: 'pass',
  fail: 'FAIL',
  known_gap: 'known gap',
  gap_closed: 'gap closed?',
  not_judged: 'not judged',
  missing: 'missing',
};

export const table_header = ['metric', 'subject', 'measured', 'simulated', 'error', 'error %', 'worst sample', 'tolerance', 'spread', 'result'];

export function row_cells(r: ComparisonRow): string[] {
  return [
    r.metric,
    r.subject,
    fmt_number(r.measured),
    fmt_number(r.simulated),
    fmt_number(r.error_abs),
    fmt_rel(r.error_rel),
    r.aligned_samples > 0 ? `${fmt_number(r.worst_sample_error_abs)} (${r.aligned_samples})` : '—',
    fmt_tolerance(r.tolerance),
    r.repeats.length > 1 ? fmt_number(r.spread) : '1 run',
    verdict_label[r.verdict],
  ];
}

export function count_verdicts(rows: readonly ComparisonRow[]): Record<Verdict, number> {
  const c: Record<Verdict, number> = { pass: 0, fail: 0, known_gap: 0, gap_closed: 0, not_judged: 0, missing: 0 };
  for (const r of rows) c[r.verdict]++;
  return c;
}
