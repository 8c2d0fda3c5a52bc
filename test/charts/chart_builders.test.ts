import { describe, it, expect } from 'vitest';
import { bar_chart, heatmap_chart, line_chart, measured_vs_simulated_chart, render_svg, stacked_bar_chart } from '../../charts';

/** Items drawn in the first mark group of a role, e.g. ('rect', 'mark') → bars. */
function mark_items(svg: string, mark: string): number {
  const groups = [...svg.matchAll(new RegExp(`<g class="mark-${mark} role-mark[^"]*"[^>]*>(.*?)</g>`, 'gs'))];
  return groups.reduce((n, g) => n + (g[1].match(/<(path|line|text|rect) /g) ?? []).length, 0);
}

describe('bar_chart', () => {
  it('draws one bar per row, grouped bars included, and labels each with its value', async () => {
    const rows = [
      { k: 'tcp_sock', v: 2368, p: '6.18' },
      { k: 'tcp_sock', v: 2304, p: '6.1' },
      { k: 'filp', v: 192, p: '6.18' },
    ];
    const svg = await render_svg(bar_chart({ title: 'bars', rows, category: 'k', value: 'v', value_title: 'bytes', group: 'p', label_values: true }));
    expect(mark_items(svg, 'rect')).toBe(3);
    expect(svg).toMatch(/>2,368<\/text>/);
  });

  it('keeps bars visible on a log axis by starting it at the decade below the smallest value', () => {
    const spec = bar_chart({ title: 'log', rows: [{ k: 'a', v: 340 }, { k: 'b', v: 5e6 }], category: 'k', value: 'v', value_title: 'v', value_scale: 'log' });
    const layer = (spec as { layer: { encoding: { x: { scale: { type: string; domainMin: number } } } }[] }).layer[0];
    expect(layer.encoding.x.scale).toEqual({ type: 'log', domainMin: 100 });
  });
});

describe('stacked_bar_chart', () => {
  it('stacks the parts of each bar and writes the bar total', async () => {
    const rows = [
      { conn: 'idle', part: 'TCP', bytes: 2368 },
      { conn: 'idle', part: 'filp', bytes: 192 },
      { conn: 'busy', part: 'TCP', bytes: 2368 },
      { conn: 'busy', part: 'buffers', bytes: 4096 },
    ];
    const svg = await render_svg(stacked_bar_chart({ title: 's', rows, bar: 'conn', part: 'part', value: 'bytes', value_title: 'bytes', label_totals: true }));
    expect(mark_items(svg, 'rect')).toBe(4);
    // 2368 + 192 = 2560 and 2368 + 4096 = 6464
    expect(svg).toMatch(/>2,560<\/text>/);
    expect(svg).toMatch(/>6,464<\/text>/);
  });
});

describe('line_chart', () => {
  it('draws one line per series and a labelled dashed rule per reference line', async () => {
    const rows = [1, 2, 3].flatMap((x) => [{ x, y: 832 + x, s: '6.18' }, { x, y: 1280 + x, s: '6.1' }]);
    const svg = await render_svg(line_chart({ title: 'l', rows, x: 'x', y: 'y', series: 's', x_title: 'x', y_title: 'y',
      reference_lines: [{ value: 4096, label: 'one page' }] }));
    expect(mark_items(svg, 'line')).toBe(2);
    expect(svg).toMatch(/<g class="mark-rule role-mark[^"]*"[^>]*><line [^>]*stroke-dasharray="4,4"/);
    expect(svg).toContain('>one page</text>');
  });
});

describe('heatmap_chart', () => {
  it('draws one cell per row with its value written in it', async () => {
    const rows = [1, 10].flatMap((size) => ['0 ms', '100 ms'].map((lag) => ({ size, lag, kib: size * (lag === '0 ms' ? 1 : 9) })));
    const svg = await render_svg(heatmap_chart({ title: 'h', rows, x: 'size', y: 'lag', value: 'kib', x_title: 's', y_title: 'l', value_title: 'KiB' }));
    expect(mark_items(svg, 'rect')).toBe(4);
    expect(svg).toMatch(/>90<\/text>/);
  });
});

describe('measured_vs_simulated_chart', () => {
  it('puts both axes on one domain that covers every point, so the y = x diagonal is the exact-prediction line', () => {
    const spec = measured_vs_simulated_chart({ title: 'm', rows: [{ m: 100, s: 120 }, { m: 5000, s: 4000 }], measured: 'm', simulated: 's', axis_title: 'r bytes' });
    const layers = (spec as { layer: { encoding: { x: { scale: { domain: number[] } }; y: { scale: { domain: number[] } } } }[] }).layer;
    const [lo, hi] = layers[0].encoding.x.scale.domain;
    expect(lo).toBeLessThanOrEqual(100);
    expect(hi).toBeGreaterThanOrEqual(5000);
    for (const l of layers) {
      expect(l.encoding.x.scale.domain).toEqual([lo, hi]);
      expect(l.encoding.y.scale.domain).toEqual([lo, hi]);
    }
  });

  it('renders one point per row', async () => {
    const svg = await render_svg(measured_vs_simulated_chart({ title: 'm', rows: [{ m: 1, s: 2 }, { m: 3, s: 3 }, { m: 5, s: 4 }], measured: 'm', simulated: 's', axis_title: 'x' }));
    expect(mark_items(svg, 'symbol')).toBe(3);
  });
});

describe('fixed colours', () => {
  it('maps the given category values to the given colours, in bar and scatter charts', async () => {
    const colors = { pass: '#2ca02c', fail: '#d62728' };
    const bars = await render_svg(bar_chart({ title: 'c', rows: [{ k: 'a', v: 1, verdict: 'fail' }], category: 'k', value: 'v', value_title: 'v', color: 'verdict', colors }));
    expect(bars).toMatch(/<g class="mark-rect role-mark[^"]*"[^>]*><path [^>]*fill="#d62728"/);
    const points = await render_svg(measured_vs_simulated_chart({ title: 'c', rows: [{ m: 1, s: 1, verdict: 'pass' }], measured: 'm', simulated: 's', color: 'verdict', colors, axis_title: 'x' }));
    expect(points).toMatch(/<g class="mark-symbol role-mark[^"]*"[^>]*><path [^>]*fill="#2ca02c"/);
  });
});
