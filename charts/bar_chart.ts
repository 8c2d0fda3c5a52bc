import type { TopLevelSpec } from 'vega-lite';
import { chart_frame } from './chart_frame';
import { inline_values, type AxisScale, type ChartFrame, type ChartRow, type FieldOf } from './chart_types';

export interface BarChartOptions<R extends ChartRow> extends ChartFrame {
  rows: readonly R[];
  /** Category field (one bar per distinct value, in row order). */
  category: FieldOf<R>;
  /** Numeric field giving the bar length. */
  value: FieldOf<R>;
  category_title?: string;
  value_title: string;
  /** Optional field colouring the bars (e.g. kernel profile). */
  color?: FieldOf<R>;
  /** Optional field for side-by-side bars within a category (grouped bars, e.g. one per profile). */
  group?: FieldOf<R>;
  /** Draw bars horizontally (categories on the y axis); default true, easier to read with long labels. */
  horizontal?: boolean;
  /** Write each bar's value at its end. */
  label_values?: boolean;
  /** Fixed colours for known values of the colour (or group) field, e.g. { pass: 'green', fail: 'red' }. */
  colors?: Record<string, string>;
  /** Value axis scale: log for values spanning decades (bars then start at the smallest value's decade). */
  value_scale?: AxisScale;
}

/** A (grouped) bar chart: one bar per category, optionally split by `group` and coloured by `color`. */
export function bar_chart<R extends ChartRow>(o: BarChartOptions<R>): TopLevelSpec {
  const horizontal = o.horizontal ?? true;
  const cat = {
    field: o.category,
    type: 'nominal' as const,
    sort: null,
    title: o.category_title ?? o.category,
    axis: { labelLimit: 0 },
  };
  const val = {
    field: o.value,
    type: 'quantitative' as const,
    title: o.value_title,
    // A log axis has no zero: bars must not stack from 0 (vega-lite would drop them).
    ...(o.value_scale === 'log' ? { scale: { type: 'log' as const, domainMin: log_floor(o.rows.map((r) => r[o.value])) }, stack: null } : {}),
  };
  const offset = o.group ? { [horizontal ? 'yOffset' : 'xOffset']: { field: o.group, type: 'nominal' as const } } : {};
  const color_field = o.color ?? o.group;
  const scale = o.colors ? { scale: { domain: Object.keys(o.colors), range: Object.values(o.colors) } } : {};
  const color = color_field ? { color: { field: color_field, type: 'nominal' as const, ...scale } } : {};
  const encoding = horizontal ? { y: cat, x: val, ...offset, ...color } : { x: cat, y: val, ...offset, ...color };
  const bar = { mark: { type: 'bar' as const }, encoding };
  const layers: object[] = [bar];
  if (o.label_values) {
    layers.push({
      mark: horizontal
        ? { type: 'text' as const, align: 'left' as const, dx: 3, fontSize: 10 }
        : { type: 'text' as const, baseline: 'bottom' as const, dy: -2, fontSize: 10 },
      encoding: { ...encoding, text: { field: o.value, type: 'quantitative' as const, format: ',' } },
    });
  }
  return {
    ...chart_frame(o),
    data: { values: inline_values(o.rows) },
    layer: layers,
  } as TopLevelSpec;
}

/** The power of ten at or below the smallest positive number among values (1 when there is none). */
function log_floor(values: readonly unknown[]): number {
  const positive = values.filter((v): v is number => typeof v === 'number' && v > 0);
  return positive.length ? 10 ** Math.floor(Math.log10(Math.min(...positive))) : 1;
}
