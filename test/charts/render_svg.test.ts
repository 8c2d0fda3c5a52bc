import { describe, it, expect } from 'vitest';
import { render_svg, type TopLevelSpec } from '../../charts';

const bar_spec: TopLevelSpec = {
  data: { values: [{ object: 'TCP', bytes: 2368 }, { object: 'filp', bytes: 192 }] },
  mark: 'bar',
  encoding: {
    x: { field: 'object', type: 'nominal' },
    y: { field: 'bytes', type: 'quantitative' },
  },
  width: 200,
  height: 100,
};

describe('render_svg', () => {
  it('renders a vega-lite bar chart to a standalone SVG document', async () => {
    const svg = await render_svg(bar_spec);
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('xmlns="http://www.w3.org/2000/svg"');
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
  });

  it('draws one bar mark per data row', async () => {
    const svg = await render_svg(bar_spec);
    // vega's SVG renderer emits each rect mark item as a <path> inside a group classed "mark-rect".
    const rect_group = svg.match(/<g class="mark-rect role-mark[^"]*"[^>]*>(.*?)<\/g>/s);
    expect(rect_group).not.toBeNull();
    expect((rect_group![1].match(/<path /g) ?? []).length).toBe(2);
  });

  it('writes axis labels as SVG text so any viewer can show them without a bundled font', async () => {
    const svg = await render_svg(bar_spec);
    expect(svg).toMatch(/<text[^>]*>TCP<\/text>/);
    expect(svg).toMatch(/<text[^>]*>filp<\/text>/);
  });

  it('refuses to load data from a URL so rendering stays offline', async () => {
    const spec: TopLevelSpec = { ...bar_spec, data: { url: 'https://example.invalid/data.json' } };
    await expect(render_svg(spec)).rejects.toThrow(/inline data only/);
  });

  it('rejects a spec that vega-lite cannot compile, saying that vega-lite could not compile it', async () => {
    const bad = { data: { values: [] }, mark: 'no-such-mark' } as unknown as TopLevelSpec;
    await expect(render_svg(bad)).rejects.toThrow(/^render_svg: vega-lite could not compile the spec/);
  });
});
