import * as fs from 'node:fs';
import { InputError } from '../model/schema/format_zod_error';
import { canonical_json } from './canonical_json';
import type { PointRow } from './point_row';
import { read_journal, read_manifest, write_sorted, MANIFEST, SWEEP_OUT_FORMAT, type SweepManifest } from './results_store';
import * as path from 'node:path';

/**
 * Joins shard output directories of one sweep into `out`. All inputs must come from the same
 * sweep (same hash); a point found in two shards must have identical rows; every point of the
 * sweep must be present unless allow_partial.
 */
export function merge_sweeps(out: string, dirs: readonly string[], opts: { allow_partial?: boolean; force?: boolean; tool_version: string }): { points: number; missing: number } {
  if (dirs.length === 0) throw new InputError('sweep merge: give at least one shard directory');
  const manifests = dirs.map((d) => read_manifest(d));
  const first = manifests[0];
  for (const [i, m] of manifests.entries()) {
    if (m.sweep_hash !== first.sweep_hash) {
      throw new InputError(`sweep merge: ${dirs[i]} holds sweep ${m.name} (hash ${m.sweep_hash}), ${dirs[0]} holds ${first.name} (hash ${first.sweep_hash}); only shards of one sweep can be merged`);
    }
  }
  const rows = new Map<string, PointRow>();
  for (const d of dirs) {
    for (const r of read_journal(d).rows) {
      const prev = rows.get(r.id);
      if (prev && canonical_json(prev) !== canonical_json(r)) {
        throw new InputError(`sweep merge: point ${r.index} (${r.id}) differs between shards (${d} and an earlier one); rerun that point`);
      }
      rows.set(r.id, r);
    }
  }
  const missing = first.total_points - rows.size;
  if (missing > 0 && !opts.allow_partial) {
    const have = new Set([...rows.values()].map((r) => r.index));
    const absent: number[] = [];
    for (let i = 0; i < first.total_points && absent.length < 10; i++) if (!have.has(i)) absent.push(i);
    throw new InputError(`sweep merge: ${missing} of ${first.total_points} points are missing (first: ${absent.join(', ')}); run or resume the missing shards, or pass --allow-partial`);
  }
  if (fs.existsSync(out) && fs.readdirSync(out).length > 0 && !opts.force) {
    throw new InputError(`--out ${out}: already exists and is not empty; choose another --out or pass --force`);
  }
  fs.mkdirSync(out, { recursive: true });
  const manifest: SweepManifest = { ...first, format: SWEEP_OUT_FORMAT, shard: null, shard_points: first.total_points, tool_version: opts.tool_version };
  fs.writeFileSync(path.join(out, MANIFEST), JSON.stringify(manifest, null, 2) + '\n');
  write_sorted(out, first.parameters, [...rows.values()]);
  return { points: rows.size, missing };
}
