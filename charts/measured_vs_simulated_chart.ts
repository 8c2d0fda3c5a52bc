import type { TopLevelSpec } from 'vega-lite';
import { chart_frame } from './chart_frame';
import { inline_values, type AxisScale, type ChartFrame, type ChartRow, type FieldOf } from './chart_types';

export interface MeasuredVsSimulatedOptions<R extends ChartRow> extends ChartFrame {
  rows: readonly R[];
  measured: FieldOf<R>;
  simulated: FieldOf<R>;
  /** Colour by this field (e.g. metric or capture). */
  color?: FieldOf<R>;
  color_title?: string;
  /** Fixed colours for known values of the colour field, e.g. { pass: 'green', fail: 'red' }. */
  colors?: Record<string, string>;
  /** Shape by this field (e.g. kernel profile). */
  shape?: FieldOf<R>;
  axis_title: string;
  scale?: AxisScale;
}

/**
 * Measured (x) against simulated (y) with the y = x diagonal: points on the line are exact
 * predictions, above it the model over-predicts, below it under-predicts. Both axes share one domain.
 */
export function measured_vs_simulated_chart<R extends ChartRow>(o: MeasuredVsSimulatedOptions<R>): TopLevelSpec {
  const nums: number[] = [];
  for (const r of o.rows) {
    for (const v of [r[o.measured], r[o.simulated]]) if (typeof v === 'number' && Number.isFinite(v)) nums.push(v);
  }
  const positive = o.scale === 'log' ? nums.filter((v) => v > 0) : nums;
  const lo = positive.length ? Math.min(...positive) : 0;
  const hi = positive.length ? Math.max(...positive) : 1;
  const domain = o.scale === 'log' ? [lo / 1.5, hi * 1.5] : [Math.min(0, lo), hi * 1.05];
  const scale = { domain, ...(o.scale === 'log' ? { type: 'log' as const } : {}) };
  return {
    ...chart_frame({ width: 360, height: 360, ...o }),
    layer: [
      {
        data: { values: [{ __d: domain[0] }, { __d: domain[1] }] },
        mark: { type: 'line' as const, color: '#999', strokeDash: [4, 4] },
        encoding: {
          x: { field: '__d', type: 'quantitative' as const, scale, title: `measured ${o.axis_title}` },
          y: { field: '__d', type: 'quantitative' as const, scale, title: `simulated ${o.axis_title}` },
        },
      },
      {
        data: { values: inline_values(o.rows) },
        mark: { type: 'point' as const, filled: true, size: 60, opacity: 0.8 },
        encoding: {
          x: { field: o.measured, type: 'quantitative' as const, scale },
          y: { field: o.simulated, type: 'quantitative' as const, scale },
          ...(o.color
            ? {
                color: {
                  field: o.color,
                  type: 'nominal' as const,
                  title: o.color_title ?? o.color,
                  ...(o.colors ? { scale: { domain: Object.keys(o.colors), range: Object.values(o.colors) } } : {}),
                },
              }
            : {}),
          ...(o.shape ? { shape: { field: o.shape, type: 'nominal' as const } } : {}),
        },
      },
    ],
  } as TopLevelSpec;
}
