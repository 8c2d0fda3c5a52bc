import { createHash } from 'node:crypto';

/** JSON with object keys sorted at every level, so equal values always give equal text. */
export function canonical_json(value: unknown): string {
  return JSON.stringify(sort_keys(value));
}

function sort_keys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sort_keys);
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v as object).sort()) out[k] = sort_keys((v as Record<string, unknown>)[k]);
    return out;
  }
  return v;
}

/** First `hex` hex digits of the SHA-256 of the canonical JSON of value. */
export function hash_of(value: unknown, hex = 16): string {
  return createHash('sha256').update(canonical_json(value)).digest('hex').slice(0, hex);
}
