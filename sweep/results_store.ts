import * as fs from 'node:fs';
import * as path from 'node:path';
import { InputError } from '../model/schema/format_zod_error';
import { metric_columns, type PointRow } from './point_row';
import { csv_line } from './csv_out';
import type { Shard } from './shard';
import { read_json_file } from '../io/read_json_file';

/**
 * A sweep's output directory:
 *   manifest.json  which sweep (hash), which shard, the parameter columns
 *   points.jsonl   one PointRow per line; while running, the journal in completion order;
 *                  at the end (and on interruption) rewritten sorted by point index
 *   points.csv     index, id, profile, parameter columns, metric columns; written atomically
 *                  from the journal, so it never holds a half-written row
 */
export const SWEEP_OUT_FORMAT = 'tcpmem-sweep-out/1';

export interface SweepManifest {
  format: typeof SWEEP_OUT_FORMAT;
  name: string;
  sweep_hash: string;
  engine: string;
  parameters: string[];
  /** Points of the whole sweep. */
  total_points: number;
  /** null: the whole sweep (or a merge of all shards). */
  shard: Shard | null;
  /** Points this directory is responsible for. */
  shard_points: number;
  tool_version: string;
}

export const MANIFEST = 'manifest.json';
export const JOURNAL = 'points.jsonl';
export const CSV = 'points.csv';

function write_atomic(file: string, text: string): void {
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}

export function read_manifest(dir: string): SweepManifest {
  const p = path.join(dir, MANIFEST);
  if (!fs.existsSync(p)) throw new InputError(`${dir}: not a sweep output directory (no ${MANIFEST})`);
  const m = read_json_file(p) as SweepManifest;
  if (m.format !== SWEEP_OUT_FORMAT) throw new InputError(`${p}: format is ${JSON.stringify(m.format)}; this tool reads "${SWEEP_OUT_FORMAT}"`);
  return m;
}

/**
 * Reads the journal, keeping only complete lines (a line cut by a kill has no newline or does
 * not parse and is dropped). Returns the rows and whether anything was dropped.
 */
export function read_journal(dir: string): { rows: PointRow[]; dropped_bytes: number } {
  const p = path.join(dir, JOURNAL);
  if (!fs.existsSync(p)) return { rows: [], dropped_bytes: 0 };
  const text = fs.readFileSync(p, 'utf8');
  const rows: PointRow[] = [];
  let pos = 0;
  let dropped = 0;
  while (pos < text.length) {
    const nl = text.indexOf('\n', pos);
    if (nl < 0) {
      dropped += text.length - pos;
      break;
    }
    const line = text.slice(pos, nl);
    pos = nl + 1;
    if (line.trim() === '') continue;
    try {
      const r = JSON.parse(line) as PointRow;
      if (typeof r.index === 'number' && typeof r.id === 'string' && r.metrics) rows.push(r);
      else dropped += line.length + 1;
    } catch {
      dropped += line.length + 1;
    }
  }
  return { rows, dropped_bytes: dropped };
}

/** The CSV text of rows (sorted by index) with the given parameter columns. */
export function rows_to_csv(all_parameters: readonly string[], rows: readonly PointRow[]): string {
  // `profile` has its own column already.
  const parameters = all_parameters.filter((k) => k !== 'profile');
  let out = csv_line(['index', 'id', 'profile', ...parameters, ...metric_columns]);
  for (const r of rows) {
    out += csv_line([r.index, r.id, r.profile, ...parameters.map((k) => r.params[k]), ...metric_columns.map((c) => r.metrics[c])]);
  }
  return out;
}

/** Rewrites points.jsonl (sorted by index) and points.csv atomically from rows. */
export function write_sorted(dir: string, parameters: readonly string[], rows: readonly PointRow[]): void {
  const sorted = [...rows].sort((a, b) => a.index - b.index);
  write_atomic(path.join(dir, JOURNAL), sorted.map((r) => JSON.stringify(r) + '\n').join(''));
  write_atomic(path.join(dir, CSV), rows_to_csv(parameters, sorted));
}

/** An open output directory: finished ids, and an append-only journal for new rows. */
export class ResultsStore {
  private readonly rows = new Map<string, PointRow>();
  private fd: number | null = null;

  private constructor(
    readonly dir: string,
    readonly manifest: SweepManifest,
  ) {}

  /**
   * Opens (or creates) `dir` for this sweep and shard. An existing directory of the same sweep
   * and shard is resumed: its complete rows count as done. A directory of a different sweep is
   * refused unless `force` (then emptied).
   */
  static open(dir: string, manifest: SweepManifest, valid_ids: ReadonlyMap<string, number>, opts: { force?: boolean } = {}): ResultsStore {
    const store = new ResultsStore(dir, manifest);
    if (fs.existsSync(dir)) {
      const has_manifest = fs.existsSync(path.join(dir, MANIFEST));
      const entries = fs.readdirSync(dir);
      if (!has_manifest && entries.length > 0 && !opts.force) {
        throw new InputError(`--out ${dir}: exists and is not a sweep output directory; choose another --out or pass --force`);
      }
      if (has_manifest) {
        const old = read_manifest(dir);
        const same = old.sweep_hash === manifest.sweep_hash && JSON.stringify(old.shard) === JSON.stringify(manifest.shard);
        if (!same && !opts.force) {
          const why = old.sweep_hash !== manifest.sweep_hash ? `another sweep (hash ${old.sweep_hash}, this one ${manifest.sweep_hash})` : `shard ${old.shard ? `${old.shard.i}/${old.shard.n}` : 'all'}`;
          throw new InputError(`--out ${dir}: holds results of ${why}; choose another --out, or pass --force to discard them`);
        }
        if (same) {
          const { rows } = read_journal(dir);
          for (const r of rows) if (valid_ids.get(r.id) === r.index) store.rows.set(r.id, r);
        }
      }
      if (opts.force && (!has_manifest || store.rows.size === 0)) {
        for (const e of entries) fs.rmSync(path.join(dir, e), { recursive: true, force: true });
      }
    }
    fs.mkdirSync(dir, { recursive: true });
    write_atomic(path.join(dir, MANIFEST), JSON.stringify(manifest, null, 2) + '\n');
    // Drop any cut-off line and rows of other sweeps before appending.
    write_sorted(dir, manifest.parameters, [...store.rows.values()]);
    store.fd = fs.openSync(path.join(dir, JOURNAL), 'a');
    return store;
  }

  has(id: string): boolean {
    return this.rows.has(id);
  }

  get done(): number {
    return this.rows.size;
  }

  /** Appends one row as one write of one complete line. */
  append(row: PointRow): void {
    if (this.fd === null) throw new Error('results store is closed');
    fs.writeSync(this.fd, JSON.stringify(row) + '\n');
    this.rows.set(row.id, row);
  }

  /** Closes the journal and rewrites both files sorted by index. */
  close(): void {
    if (this.fd !== null) fs.closeSync(this.fd);
    this.fd = null;
    write_sorted(this.dir, this.manifest.parameters, [...this.rows.values()]);
  }
}
