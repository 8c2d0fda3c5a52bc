/**
 * Minimal CSV for numeric run tables: no quoting is needed because no field may contain
 * a comma, quote or newline (checked on write). Empty cell = null.
 */
export function to_csv(columns: readonly string[], rows: ReadonlyArray<Record<string, unknown>>): string {
  const out: string[] = [columns.join(',')];
  for (const row of rows) {
    const cells = columns.map((c) => {
      const v = row[c];
      if (v === null || v === undefined) return '';
      const s = String(v);
      if (/[,"\n\r]/.test(s)) throw new Error(`csv: column ${c} holds a value with a comma, quote or newline: ${JSON.stringify(s)}`);
      return s;
    });
    out.push(cells.join(','));
  }
  return out.join('\n') + '\n';
}

/** Parses CSV written by to_csv. Numeric-looking cells become numbers, empty cells null. */
export function parse_csv(text: string, where = 'csv'): { columns: string[]; rows: Record<string, string | number | null>[] } {
  const lines = text.split('\n').filter((l) => l.length > 0);
  if (lines.length === 0) throw new Error(`${where}: empty file (no header line)`);
  const columns = lines[0].split(',');
  const rows: Record<string, string | number | null>[] = [];
  for (let i = 1; i < lines.length; i++) {
    const cells = lines[i].split(',');
    if (cells.length !== columns.length) {
      throw new Error(`${where}: line ${i + 1} has ${cells.length} cells, the header has ${columns.length}`);
    }
    const row: Record<string, string | number | null> = {};
    for (let j = 0; j < columns.length; j++) {
      const c = cells[j];
      if (c === '') row[columns[j]] = null;
      else if (/^-?\d+(\.\d+)?(e[+-]?\d+)?$/i.test(c)) row[columns[j]] = Number(c);
      else row[columns[j]] = c;
    }
    rows.push(row);
  }
  return { columns, rows };
}
