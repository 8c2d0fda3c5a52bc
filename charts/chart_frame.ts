import type { ChartFrame } from './chart_types';

/** Default plot width in pixels. */
export const default_width_px = 480;
/** Default plot height in pixels. */
export const default_height_px = 280;

/**
 * Top-level keys every chart shares: title, size, white background, and a config that keeps
 * text legible in a notebook at 100 % zoom.
 */
export function chart_frame(frame: ChartFrame) {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: { text: frame.title, anchor: 'start' as const, fontSize: 14 },
    width: frame.width ?? default_width_px,
    height: frame.height ?? default_height_px,
    background: 'white',
    config: {
      axis: { labelFontSize: 11, titleFontSize: 12 },
      // No truncation: without a canvas vega estimates text at 0.8 em per character and would cut labels short.
      legend: { labelFontSize: 11, titleFontSize: 12, labelLimit: 0, titleLimit: 0 },
      view: { stroke: null },
    },
  };
}
