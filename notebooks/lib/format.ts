/** Formatting for numbers in notebook prose and tables. */

/** 2368 → "2,368". */
export function format_int(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/**
 * Bytes with a binary unit chosen so the number is in [1, 1024): 3392 → "3.31 KiB",
 * 17179869184 → "16 GiB". Three significant digits; exact integers keep no decimals.
 */
export function format_bytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = Math.abs(n);
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  const sign = n < 0 ? '-' : '';
  const text = u === 0 || Number.isInteger(v) ? String(Math.round(v)) : String(Number(v.toPrecision(3)));
  return `${sign}${text} ${units[u]}`;
}
