import type { TopLevelSpec } from 'vega-lite';
import { chart_frame } from './chart_frame';
import { inline_values, type ChartFrame, type ChartRow, type FieldOf } from './chart_types';

export interface HeatmapChartOptions<R extends ChartRow> extends ChartFrame {
  rows: readonly R[];
  /** Column field (ordinal: cells in row order of first appearance). */
  x: FieldOf<R>;
  /** Row field (ordinal). */
  y: FieldOf<R>;
  /** Numeric field giving the cell colour. */
  value: FieldOf<R>;
  x_title: string;
  y_title: string;
  value_title: string;
  /** Colour scale: log for values spanning decades. */
  value_scale?: 'linear' | 'log';
  /** Write each cell's value (d3-format string, default ",.0f"). */
  label_format?: string | null;
}

/** A grid of coloured cells, value by (x, y), with each cell's number written in it. */
export function heatmap_chart<R extends ChartRow>(o: HeatmapChartOptions<R>): TopLevelSpec {
  const x = { field: o.x, type: 'ordinal' as const, sort: null, title: o.x_title };
  const y = { field: o.y, type: 'ordinal' as const, sort: null, title: o.y_title };
  const layers: object[] = [
    {
      mark: { type: 'rect' as const },
      encoding: {
        x,
        y,
        color: {
          field: o.value,
          type: 'quantitative' as const,
          title: o.value_title,
          scale: { scheme: 'oranges', ...(o.value_scale === 'log' ? { type: 'log' as const } : {}) },
        },
      },
    },
  ];
  if (o.label_format !== null) {
    layers.push({
      mark: { type: 'text' as const, fontSize: 10 },
      encoding: { x, y, text: { field: o.value, type: 'quantitative' as const, format: o.label_format ?? ',.0f' } },
    });
  }
  return { ...chart_frame(o), data: { values: inline_values(o.rows) }, layer: layers } as TopLevelSpec;
}
