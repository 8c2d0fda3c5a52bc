/** RFC 4180 CSV: fields with a comma, quote or newline are quoted, quotes doubled. Objects become JSON. */
export function csv_cell(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'object' ? JSON.stringify(v) : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csv_line(cells: readonly unknown[]): string {
  return cells.map(csv_cell).join(',') + '\n';
}
