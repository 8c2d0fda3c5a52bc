import { describe, it, expect } from 'vitest';
import { markdown, progress, show, table, tslab_or_null } from '../../../notebooks/lib';

describe('display helpers outside a tslab kernel', () => {
  it('detects that no tslab kernel is running', () => {
    expect(tslab_or_null()).toBeNull();
  });

  it('show returns the rendered SVG instead of displaying it', async () => {
    const svg = await show({
      data: { values: [{ x: 1, y: 2 }] },
      mark: 'point',
      encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' } },
    });
    expect(svg).toMatch(/^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  });

  it('table returns Markdown', () => {
    expect(table([{ a: 1 }])).toBe('| a |\n| ---: |\n| 1 |');
  });

  it('markdown returns its text', () => {
    expect(markdown('**3.3 KiB**')).toBe('**3.3 KiB**');
  });
});

describe('progress', () => {
  it('counts steps, never past the total, and draws a 20-character bar', () => {
    const p = progress(4, 'sweep');
    expect(p.line).toBe('sweep [....................] 0/4');
    p.tick();
    expect(p.line).toBe('sweep [#####...............] 1/4');
    p.tick(10);
    expect(p.count).toBe(4);
    p.done('12 runs');
    expect(p.line).toBe('sweep [####################] 4/4 — 12 runs');
  });

  it('rejects a total that is not a positive whole number, naming it', () => {
    expect(() => progress(0, 'x')).toThrow(/total must be a whole number >= 1, got 0/);
  });
});
