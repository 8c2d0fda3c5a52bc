import type { TopLevelSpec } from 'vega-lite';
import { chart_frame, default_width_px } from './chart_frame';
import { inline_values, type AxisScale, type ChartFrame, type ChartRow, type FieldOf, type ReferenceLine } from './chart_types';

export interface LineChartOptions<R extends ChartRow> extends ChartFrame {
  rows: readonly R[];
  x: FieldOf<R>;
  y: FieldOf<R>;
  x_title: string;
  y_title: string;
  /** One line per distinct value of this field (colour + legend). */
  series?: FieldOf<R>;
  series_title?: string;
  x_scale?: AxisScale;
  y_scale?: AxisScale;
  /** Draw a point at each data row as well as the line. */
  points?: boolean;
  /** Straight steps instead of straight segments (for staircase functions such as truesize). */
  step?: boolean;
  /** Horizontal reference lines (dashed, labelled). */
  reference_lines?: readonly ReferenceLine[];
}

/** Lines of y against a quantitative x, one per series, with optional dashed reference lines. */
export function line_chart<R extends ChartRow>(o: LineChartOptions<R>): TopLevelSpec {
  const scale = (s: AxisScale | undefined) => (s === 'log' ? { type: 'log' as const } : { zero: false });
  const encoding = {
    x: { field: o.x, type: 'quantitative' as const, title: o.x_title, scale: scale(o.x_scale) },
    y: { field: o.y, type: 'quantitative' as const, title: o.y_title, scale: o.y_scale === 'log' ? { type: 'log' as const } : {} },
    ...(o.series ? { color: { field: o.series, type: 'nominal' as const, sort: null, title: o.series_title ?? o.series } } : {}),
  };
  const layers: object[] = [
    {
      data: { values: inline_values(o.rows) },
      mark: { type: 'line' as const, point: o.points ?? false, interpolate: o.step ? ('step-after' as const) : ('linear' as const) },
      encoding,
    },
  ];
  const refs = o.reference_lines ?? [];
  if (refs.length > 0) {
    // Labels are staggered along the x axis so that close lines (e.g. tcp_mem[0..2] on a log axis) stay legible.
    const plot_width = o.width ?? default_width_px;
    const ref_values = refs.map((r, i) => ({ __ref_value: r.value, __ref_label: r.label, __ref_x: 4 + ((i % 3) * plot_width) / 3 }));
    layers.push({
      data: { values: ref_values },
      mark: { type: 'rule' as const, strokeDash: [4, 4], color: '#666' },
      encoding: { y: { field: '__ref_value', type: 'quantitative' as const } },
    });
    layers.push({
      data: { values: ref_values },
      mark: { type: 'text' as const, align: 'left' as const, baseline: 'bottom' as const, dy: -2, fontSize: 10, color: '#444' },
      encoding: {
        x: { field: '__ref_x', type: 'quantitative' as const, scale: null },
        y: { field: '__ref_value', type: 'quantitative' as const },
        text: { field: '__ref_label', type: 'nominal' as const },
      },
    });
  }
  return { ...chart_frame(o), layer: layers } as TopLevelSpec;
}
