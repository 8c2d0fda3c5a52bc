import type { ValidatedCapture } from './validate_capture';
import { fmt_number, verdict_label } from './format_cells';

/**
 * Markdown tables comparing kernels for every scenario captured on more than one kernel
 * (e.g. 6.18.44 and Debian 6.1): one row per judged metric/subject with each kernel's
 * measured, simulated and result. Empty string when no scenario has two kernels.
 */
export function side_by_side_markdown(results: readonly ValidatedCapture[]): string {
  const by_scenario = new Map<string, ValidatedCapture[]>();
  for (const v of results) {
    const list = by_scenario.get(v.comparison.scenario) ?? [];
    list.push(v);
    by_scenario.set(v.comparison.scenario, list);
  }
  const out: string[] = [];
  for (const [scenario, list] of by_scenario) {
    const kernels = [...new Set(list.map((v) => v.comparison.kernel_release))];
    if (kernels.length < 2) continue;
    const per_kernel = kernels.map((k) => list.find((v) => v.comparison.kernel_release === k)!);
    const keys: string[] = [];
    // Judged rows only (a tolerance on at least one kernel): the full tables are above.
    for (const v of per_kernel) for (const r of v.comparison.rows) {
      const k = `${r.metric}|${r.subject}`;
      if (r.tolerance !== null && !keys.includes(k)) keys.push(k);
    }
    out.push(`### ${scenario}: ${kernels.join(' vs ')}`, '');
    const header = ['metric', 'subject', ...kernels.flatMap((k) => [`${k} measured`, `${k} simulated`, `${k} result`])];
    out.push(`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`);
    for (const k of keys) {
      const [metric, subject] = k.split('|');
      const cells = per_kernel.flatMap((v) => {
        const r = v.comparison.rows.find((x) => x.metric === metric && x.subject === subject);
        return r ? [fmt_number(r.measured), fmt_number(r.simulated), verdict_label[r.verdict]] : ['—', '—', '—'];
      });
      out.push(`| ${[metric, subject, ...cells].join(' | ')} |`);
    }
    out.push('');
  }
  return out.length === 0 ? '' : ['## Kernels side by side', '', ...out].join('\n');
}
