import type { TopLevelSpec } from 'vega-lite';
import type { ComparisonRow, MetricSeries } from '../model/compare/comparison_types';

/**
 * A vega-lite line chart of one metric over time: every measured repeat (solid) and the
 * simulator (dashed), with the tolerance noted in the title.
 */
export function measured_vs_simulated_spec(
  title: string,
  row: ComparisonRow,
  repeats: ReadonlyArray<MetricSeries | undefined>,
  simulated: MetricSeries | undefined,
): TopLevelSpec {
  const values: Array<{ t_ms: number; value: number; source: string }> = [];
  repeats.forEach((s, i) => {
    for (const [t, v] of s?.series ?? []) values.push({ t_ms: t, value: v, source: `measured r${i}` });
  });
  for (const [t, v] of simulated?.series ?? []) values.push({ t_ms: t, value: v, source: 'simulated' });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: { text: title, subtitle: `${row.metric} · ${row.subject} (${row.unit}) · result: ${row.verdict}` },
    width: 520,
    height: 220,
    data: { values },
    mark: { type: 'line', point: values.length <= 120 },
    encoding: {
      x: { field: 't_ms', type: 'quantitative', title: 'time since workload start (ms)' },
      y: { field: 'value', type: 'quantitative', title: `${row.metric} (${row.unit})`, scale: { zero: false } },
      color: { field: 'source', type: 'nominal', title: null },
      strokeDash: { condition: { test: "datum.source === 'simulated'", value: [6, 3] }, value: [1, 0] },
    },
  };
}
