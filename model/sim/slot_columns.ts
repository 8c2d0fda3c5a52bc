import type { Num } from './conn_store';

/*
 * Copy, hash and compare of one slot of the hot arrays against another (conn_store.ts): a socket
 * column holds slot h at 2h and 2h + 1, a program-state column at h. One function per element type, so
 * each loop stays monomorphic (a move is ~85 element copies and as many compares).
 * Kernel: none (simulator storage).
 */
/** Columns of one element type (so each loop below is monomorphic). */
export interface Cols {
  f64: Float64Array[];
  i32: Int32Array[];
  u8: Uint8Array[];
  other: Num[];
  /** Program state (one value per connection, not per socket). */
  conn: Num[];
}

// copy slot s to slot d (socket columns: index 2·slot and 2·slot + 1; connection columns: slot)
export function copy2_f64(c: Float64Array[], d: number, s: number): void {
  for (let j = 0; j < c.length; j++) {
    const x = c[j];
    x[d] = x[s];
    x[d + 1] = x[s + 1];
  }
}
export function copy2_i32(c: Int32Array[], d: number, s: number): void {
  for (let j = 0; j < c.length; j++) {
    const x = c[j];
    x[d] = x[s];
    x[d + 1] = x[s + 1];
  }
}
export function copy2_u8(c: Uint8Array[], d: number, s: number): void {
  for (let j = 0; j < c.length; j++) {
    const x = c[j];
    x[d] = x[s];
    x[d + 1] = x[s + 1];
  }
}
export function copy2_any(c: Num[], d: number, s: number): void {
  for (let j = 0; j < c.length; j++) {
    const x = c[j];
    x[d] = x[s];
    x[d + 1] = x[s + 1];
  }
}
export function copy1_any(c: Num[], d: number, s: number): void {
  for (let j = 0; j < c.length; j++) {
    const x = c[j];
    x[d] = x[s];
  }
}

const MIX = 0x9e3779b1;
export function hash2_f64(h: number, c: Float64Array[], i: number): number {
  for (let j = 0; j < c.length; j++) {
    const a = c[j][i];
    const b = c[j][i + 1];
    h = Math.imul(h ^ (a | 0), MIX) ^ ((a / 4294967296) | 0);
    h = Math.imul(h ^ (b | 0), MIX) ^ ((b / 4294967296) | 0);
  }
  return h;
}
export function hash1_any(h: number, c: Num[], i: number): number {
  for (let j = 0; j < c.length; j++) h = Math.imul(h ^ (c[j][i] | 0), MIX);
  return h;
}

/** Float64 equality that tells −0 from +0 (a template must give back exactly what it took). */
export function eq2_f64(c: Float64Array[], a: number, b: number): boolean {
  for (let j = 0; j < c.length; j++) {
    const x = c[j];
    const x0 = x[a];
    const x1 = x[a + 1];
    const y0 = x[b];
    const y1 = x[b + 1];
    if (x0 !== y0 || x1 !== y1) return false;
    if ((x0 === 0 && 1 / x0 !== 1 / y0) || (x1 === 0 && 1 / x1 !== 1 / y1)) return false;
  }
  return true;
}
export function eq2_i32(c: Int32Array[], a: number, b: number): boolean {
  for (let j = 0; j < c.length; j++) {
    const x = c[j];
    if (x[a] !== x[b] || x[a + 1] !== x[b + 1]) return false;
  }
  return true;
}
export function eq2_u8(c: Uint8Array[], a: number, b: number): boolean {
  for (let j = 0; j < c.length; j++) {
    const x = c[j];
    if (x[a] !== x[b] || x[a + 1] !== x[b + 1]) return false;
  }
  return true;
}
export function eq_any(c: Num[], a: number, b: number, n: number): boolean {
  for (let j = 0; j < c.length; j++) {
    const x = c[j];
    for (let k = 0; k < n; k++) {
      const u = x[a + k];
      const v = x[b + k];
      if (u !== v || (u === 0 && 1 / u !== 1 / v)) return false;
    }
  }
  return true;
}
