import { render_svg, type TopLevelSpec } from '../../charts';
import { html_table, markdown_table, type ColumnSpec } from './table';
import { tslab_or_null } from './tslab_display';

/**
 * Renders a vega-lite chart to SVG and shows it in the notebook (tslab `display.svg`), so the saved
 * .ipynb carries the picture. Outside a tslab kernel it returns the SVG text instead.
 */
export async function show(spec: TopLevelSpec): Promise<string | undefined> {
  const svg = await render_svg(spec);
  const tslab = tslab_or_null();
  if (!tslab) return svg;
  tslab.display.svg(svg);
  return undefined;
}

/**
 * Shows rows as a table (HTML in the notebook, which code hosts render too). Outside a tslab kernel it
 * returns the table as Markdown. Columns default to the keys of the first row.
 */
export function table<R extends object>(rows: readonly R[], columns?: readonly ColumnSpec<R>[]): string | undefined {
  const tslab = tslab_or_null();
  if (!tslab) return markdown_table(rows, columns);
  tslab.display.html(html_table(rows, columns));
  return undefined;
}

/**
 * Shows Markdown computed in a cell (prose with the numbers just derived). Outside tslab it returns it.
 */
export function markdown(text: string): string | undefined {
  const tslab = tslab_or_null();
  if (!tslab) return text;
  tslab.display.markdown(text);
  return undefined;
}

/** A live progress line for long runs (one updatable display entry). */
export interface Progress {
  /** Marks `n` (default 1) more steps done and redraws at most ~20 times over the whole run. */
  tick(n?: number): void;
  /** Marks the run complete, with an optional closing note. */
  done(note?: string): void;
  /** Steps done so far. */
  readonly count: number;
  /** The current progress line text. */
  readonly line: string;
}

/**
 * Progress for a run of `total` steps, shown with tslab's updatable display (`tslab.newDisplay()`),
 * so the cell shows one line that advances rather than a scroll of messages. Outside tslab nothing is
 * shown; `line` still reports the state.
 */
export function progress(total: number, label: string): Progress {
  if (!Number.isInteger(total) || total < 1) throw new Error(`progress: total must be a whole number >= 1, got ${total}`);
  const tslab = tslab_or_null();
  const entry = tslab?.newDisplay();
  const every = Math.max(1, Math.ceil(total / 20));
  let count = 0;
  let line = render_line(label, 0, total);
  const draw = () => entry?.text(line);
  draw();
  return {
    tick(n = 1) {
      const before = count;
      count = Math.min(total, count + n);
      line = render_line(label, count, total);
      if (Math.floor(count / every) !== Math.floor(before / every) || count === total) draw();
    },
    done(note?: string) {
      count = total;
      line = render_line(label, total, total) + (note ? ` — ${note}` : '');
      draw();
    },
    get count() {
      return count;
    },
    get line() {
      return line;
    },
  };
}

function render_line(label: string, count: number, total: number): string {
  const width = 20;
  const filled = Math.round((count / total) * width);
  return `${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${count}/${total}`;
}

