/** A table cell value. */
export type Cell = string | number | boolean | null | undefined;

/** One column of a table: which field, its heading, and how to print it. */
export interface Column<R> {
  key: Extract<keyof R, string>;
  title?: string;
  /** Formats a cell; default: integers with thousands separators, other numbers to 3 significant digits. */
  format?: (value: R[Extract<keyof R, string>], row: R) => string;
  /** Column alignment; default right for numbers, left otherwise. */
  align?: 'left' | 'right';
}

/** A column given either as a field name or as a full Column. */
export type ColumnSpec<R> = Extract<keyof R, string> | Column<R>;

/** Default cell formatting: 2368 → "2,368"; 0.6667 → "0.667"; null/undefined → "–". */
export function format_cell(v: Cell): string {
  if (v === null || v === undefined) return '–';
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return String(v);
    if (Number.isInteger(v)) return v.toLocaleString('en-US');
    return Number(v.toPrecision(3)).toLocaleString('en-US', { maximumFractionDigits: 6 });
  }
  return String(v);
}

interface ResolvedColumn<R> {
  key: Extract<keyof R, string>;
  title: string;
  text: (row: R) => string;
  right: boolean;
}

function resolve_columns<R extends object>(rows: readonly R[], columns?: readonly ColumnSpec<R>[]): ResolvedColumn<R>[] {
  const specs: ColumnSpec<R>[] = columns
    ? [...columns]
    : (Object.keys(rows[0] ?? {}) as Extract<keyof R, string>[]);
  return specs.map((s) => {
    const c: Column<R> = typeof s === 'string' ? { key: s } : s;
    const first = rows.find((r) => r[c.key] !== null && r[c.key] !== undefined);
    return {
      key: c.key,
      title: c.title ?? c.key,
      text: (row: R) => (c.format ? c.format(row[c.key], row) : format_cell(row[c.key] as Cell)),
      right: c.align ? c.align === 'right' : typeof first?.[c.key] === 'number',
    };
  });
}

function escape_markdown(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function escape_html(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A GitHub-flavoured Markdown table of rows (columns default to the keys of the first row). */
export function markdown_table<R extends object>(rows: readonly R[], columns?: readonly ColumnSpec<R>[]): string {
  const cols = resolve_columns(rows, columns);
  const head = `| ${cols.map((c) => escape_markdown(c.title)).join(' | ')} |`;
  const rule = `| ${cols.map((c) => (c.right ? '---:' : ':---')).join(' | ')} |`;
  const body = rows.map((r) => `| ${cols.map((c) => escape_markdown(c.text(r))).join(' | ')} |`);
  return [head, rule, ...body].join('\n');
}

/** An HTML table of rows (same columns and formatting as markdown_table). */
export function html_table<R extends object>(rows: readonly R[], columns?: readonly ColumnSpec<R>[]): string {
  const cols = resolve_columns(rows, columns);
  const align = (c: ResolvedColumn<R>) => ` style="text-align:${c.right ? 'right' : 'left'}"`;
  const head = `<tr>${cols.map((c) => `<th${align(c)}>${escape_html(c.title)}</th>`).join('')}</tr>`;
  const body = rows.map((r) => `<tr>${cols.map((c) => `<td${align(c)}>${escape_html(c.text(r))}</td>`).join('')}</tr>`);
  return `<table>\n<thead>${head}</thead>\n<tbody>\n${body.join('\n')}\n</tbody>\n</table>`;
}
