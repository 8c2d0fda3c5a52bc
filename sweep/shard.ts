import { InputError } from '../model/schema/format_zod_error';

/** A deterministic slice of a sweep: points whose index ≡ i (mod n); i is 0-based. */
export interface Shard {
  i: number;
  n: number;
}

/** Parses `--shard i/n` (0 ≤ i < n). Errors say what is allowed. */
export function parse_shard(text: string): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (!m) throw new InputError(`--shard: "${text}" is not i/n; write e.g. 0/4 (i is 0-based: 0 to n-1)`);
  const i = Number(m[1]);
  const n = Number(m[2]);
  if (n < 1 || n > 100_000) throw new InputError(`--shard: n = ${n} is out of range; allowed: 1 to 100000`);
  if (i >= n) throw new InputError(`--shard: i = ${i} is out of range for n = ${n}; allowed: 0 to ${n - 1} (i is 0-based)`);
  return { i, n };
}

/** Round-robin by point index, so shards get similar mixes of cheap and expensive points. */
export function in_shard(index: number, shard: Shard | null): boolean {
  return shard === null || index % shard.n === shard.i;
}
