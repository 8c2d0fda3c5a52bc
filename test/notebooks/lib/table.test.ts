import { describe, it, expect } from 'vitest';
import { format_cell, html_table, markdown_table } from '../../../notebooks/lib';

const rows = [
  { object: 'TCP (tcp_sock)', bytes: 2368, share: 0.6981 },
  { object: 'a|b', bytes: 192, share: null },
];

describe('markdown_table', () => {
  it('prints a header, an alignment rule and one line per row, numbers right-aligned', () => {
    expect(markdown_table(rows)).toBe(
      [
        '| object | bytes | share |',
        '| :--- | ---: | ---: |',
        '| TCP (tcp_sock) | 2,368 | 0.698 |',
        '| a\\|b | 192 | – |',
      ].join('\n'),
    );
  });

  it('uses the given columns, titles and formatters in the given order', () => {
    const t = markdown_table(rows, [{ key: 'bytes', title: 'B', format: (v) => `${v} B` }, 'object']);
    expect(t.split('\n')[0]).toBe('| B | object |');
    expect(t.split('\n')[2]).toBe('| 2368 B | TCP (tcp_sock) |');
  });
});

describe('html_table', () => {
  it('escapes cell text and aligns numeric columns right', () => {
    const t = html_table([{ name: '<tcp_sock>', n: 1000 }]);
    expect(t).toContain('<td style="text-align:left">&lt;tcp_sock&gt;</td>');
    expect(t).toContain('<td style="text-align:right">1,000</td>');
  });
});

describe('format_cell', () => {
  it('writes integers with thousands separators and other numbers to three significant digits', () => {
    expect(format_cell(33554432)).toBe('33,554,432');
    expect(format_cell(2 / 3)).toBe('0.667');
    expect(format_cell(undefined)).toBe('–');
  });
});
