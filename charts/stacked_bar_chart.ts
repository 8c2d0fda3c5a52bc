import type { TopLevelSpec } from 'vega-lite';
import { chart_frame } from './chart_frame';
import type { ChartFrame, ChartRow, FieldOf } from './chart_types';

export interface StackedBarChartOptions<R extends ChartRow> extends ChartFrame {
  rows: readonly R[];
  /** One bar per distinct value of this field (e.g. "6.18 idle", "6.1 carrying 64 KiB"), in row order. */
  bar: FieldOf<R>;
  /** The segments of each bar (e.g. slab object or buffer name), stacked in row order. */
  part: FieldOf<R>;
  /** Numeric size of each segment. */
  value: FieldOf<R>;
  bar_title?: string;
  part_title?: string;
  value_title: string;
  /** Write each bar's total at its end. */
  label_totals?: boolean;
}

/**
 * Horizontal stacked bars: what a whole is made of (bytes per connection by slab object and buffer).
 * Segment order follows the first appearance of each part in `rows`.
 */
export function stacked_bar_chart<R extends ChartRow>(o: StackedBarChartOptions<R>): TopLevelSpec {
  const parts: string[] = [];
  for (const r of o.rows) {
    const p = String(r[o.part]);
    if (!parts.includes(p)) parts.push(p);
  }
  const order_field = '__part_order';
  const values = o.rows.map((r) => ({ ...r, [order_field]: parts.indexOf(String(r[o.part])) }));
  const y = { field: o.bar, type: 'nominal' as const, sort: null, title: o.bar_title ?? o.bar, axis: { labelLimit: 0 } };
  const layers: object[] = [
    {
      mark: { type: 'bar' as const },
      encoding: {
        y,
        x: { field: o.value, type: 'quantitative' as const, stack: 'zero' as const, title: o.value_title },
        color: { field: o.part, type: 'nominal' as const, sort: parts, title: o.part_title ?? o.part },
        order: { field: order_field, type: 'quantitative' as const },
      },
    },
  ];
  if (o.label_totals) {
    layers.push({
      transform: [{ aggregate: [{ op: 'sum' as const, field: o.value, as: '__total' }], groupby: [o.bar] }],
      mark: { type: 'text' as const, align: 'left' as const, dx: 4, fontSize: 10 },
      encoding: {
        y,
        x: { field: '__total', type: 'quantitative' as const },
        text: { field: '__total', type: 'quantitative' as const, format: ',' },
      },
    });
  }
  return { ...chart_frame(o), data: { values }, layer: layers } as TopLevelSpec;
}
