/** One data row of a chart: a flat record of strings, numbers or booleans (vega-lite inline data). */
export type ChartRow = Record<string, string | number | boolean | null>;

/** Name of a field of row type R (so a misspelt field is a type error, not an empty chart). */
export type FieldOf<R extends ChartRow> = Extract<keyof R, string>;

/** Common options of every chart builder. */
export interface ChartFrame {
  /** Chart title, shown above the plot. */
  title: string;
  /** Plot width in pixels (default 480). */
  width?: number;
  /** Plot height in pixels (default 280). */
  height?: number;
}

/** Axis scale: linear, or logarithmic for quantities spanning decades (connection counts, bytes). */
export type AxisScale = 'linear' | 'log';

/** A horizontal reference line (e.g. tcp_mem[1] = pressure) drawn across a chart, with its label. */
export interface ReferenceLine {
  value: number;
  label: string;
}

/** Copies rows into vega-lite inline data (a fresh array: vega may annotate the objects it is given). */
export function inline_values<R extends ChartRow>(rows: readonly R[]): ChartRow[] {
  return rows.map((r) => ({ ...r }) as ChartRow);
}
