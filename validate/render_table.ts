import type { ValidatedCapture } from './validate_capture';
import { count_verdicts, row_cells, table_header } from './format_cells';
import type { CaptureComparison } from '../model/compare/comparison_types';

function pad_table(rows: string[][]): string[] {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((c, i) => (i >= 2 && i <= 6 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd());
}

/**
 * The notes under a capture's table: every known gap, closed gap and failure with a note on
 * its own line; missing values grouped by metric and reason ("rcv_wnd (a/client, a/server): …").
 */
export function note_lines(c: CaptureComparison): string[] {
  const out: string[] = [];
  const grouped = new Map<string, string[]>();
  for (const r of c.rows) {
    if (r.verdict === 'known_gap' || r.verdict === 'gap_closed' || (r.verdict === 'fail' && r.note)) {
      out.push(`${r.verdict === 'fail' ? 'FAIL' : r.verdict === 'known_gap' ? 'known gap' : 'gap closed?'} ${r.metric} ${r.subject}: ${r.note}`);
    } else if (r.verdict === 'missing') {
      const k = `${r.metric}\u0000${r.note ?? ''}`;
      grouped.set(k, [...(grouped.get(k) ?? []), r.subject]);
    }
  }
  for (const [k, subjects] of grouped) {
    const [metric, note] = k.split('\u0000');
    out.push(`missing ${metric} (${subjects.join(', ')}): ${note}`);
  }
  return out;
}

/** One line summarizing a comparison's verdicts. */
export function summary_line(c: CaptureComparison): string {
  const n = count_verdicts(c.rows);
  return `${n.pass} pass, ${n.fail} fail, ${n.known_gap} known gap, ${n.gap_closed} gap closed, ${n.not_judged} not judged (no tolerance declared), ${n.missing} missing`;
}

/**
 * The plain-text validation table printed by `tcpmem validate`: one block per capture, with a
 * summary line, then the known gaps and missing values spelled out.
 */
export function render_table(results: readonly ValidatedCapture[]): string {
  const out: string[] = [];
  for (const v of results) {
    const c = v.comparison;
    out.push(
      `${v.set.dir}: scenario ${c.scenario}, kernel ${c.kernel_release} (${c.source}), profile ${c.profile_id}, ${c.repeat_count} repeat(s), tolerances from ${v.tolerances_from}`,
    );
    out.push(...pad_table([table_header, ...c.rows.map(row_cells)]).map((l) => `  ${l}`));
    out.push(`  ${summary_line(c)}`);
    out.push(...note_lines(c).map((l) => `  - ${l}`));
    if (v.sysctls_ignored.length > 0) out.push(`  - sysctls not applied to the profile (unparseable): ${v.sysctls_ignored.join(', ')}`);
    out.push('');
  }
  const failed = results.filter((v) => v.comparison.rows.some((r) => r.verdict === 'fail')).length;
  out.push(
    failed === 0
      ? `validate: ${results.length} capture(s), no metric outside its tolerance`
      : `validate: ${results.length} capture(s), ${failed} with metrics outside their tolerance`,
  );
  return out.join('\n') + '\n';
}
