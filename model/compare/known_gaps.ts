import { z } from 'zod';
import { format_zod_error, InputError } from '../schema/format_zod_error';
import { metric_names } from '../scenario/scenario_schema';

/**
 * data/known-gaps.json: the one place where known misses of the model are listed. A listed
 * (scenario, metric[, subject][, kernel]) that is outside tolerance is shown as "known gap"
 * and does not fail `tcpmem validate`; its test is an expected failure (`it.fails`).
 */
export const known_gap_schema = z.strictObject({
  /** Scenario name (meta.scenario.name). */
  scenario: z.string().min(1),
  metric: z.enum(metric_names),
  /** Subject as shown in the table ("bulk/server", "TCPRcvCoalesce"); omitted = every subject. */
  subject: z.string().min(1).optional(),
  /** Kernel release prefix ("6.1." or "6.18.44-fc"); omitted = every kernel. */
  kernel_release_prefix: z.string().min(1).optional(),
  /** Why the model misses here (what it simplifies, which rule R-x.y). */
  reason: z.string().min(10),
});
export type KnownGap = z.infer<typeof known_gap_schema>;

export const known_gaps_file_schema = z.strictObject({
  format: z.literal('tcpmem-known-gaps/1'),
  gaps: z.array(known_gap_schema),
});

export function parse_known_gaps(value: unknown, where = 'data/known-gaps.json'): KnownGap[] {
  const r = known_gaps_file_schema.safeParse(value);
  if (!r.success) throw new InputError(format_zod_error(where, r.error));
  return r.data.gaps;
}

/** The listed gap that covers this row, if any (first match wins). */
export function find_known_gap(
  gaps: readonly KnownGap[],
  where: { scenario: string; metric: string; subject: string; kernel_release: string },
): KnownGap | null {
  for (const g of gaps) {
    if (g.scenario !== where.scenario || g.metric !== where.metric) continue;
    if (g.subject !== undefined && g.subject !== where.subject) continue;
    if (g.kernel_release_prefix !== undefined && !where.kernel_release.startsWith(g.kernel_release_prefix)) continue;
    return g;
  }
  return null;
}
