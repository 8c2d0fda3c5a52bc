import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  RUN_FORMAT,
  counter_column,
  global_base_columns,
  slab_column,
  optional_socket_columns,
  socket_columns,
  type GlobalSample,
  type Run,
  type RunMeta,
  type SocketSample,
} from '../model/run_output/run_output';
import { parse_csv, to_csv } from '../model/run_output/csv';
import { InputError } from '../model/schema/format_zod_error';
import { read_json_file } from './read_json_file';

export type { Run } from '../model/run_output/run_output';

export function global_columns(meta: Pick<RunMeta, 'counters' | 'slab_caches'>): string[] {
  return [...global_base_columns, ...meta.counters.map(counter_column), ...meta.slab_caches.map(slab_column)];
}

/**
 * Writes a run directory atomically: everything goes to a sibling temp directory that is
 * renamed into place at the end, so an interrupted run never leaves a half-written capture.
 * An existing directory is replaced only when `overwrite` is set.
 */
export function write_run_dir(dir: string, run: Run, opts: { overwrite?: boolean } = {}): void {
  const abs = path.resolve(dir);
  if (fs.existsSync(abs)) {
    if (!opts.overwrite) throw new InputError(`--out ${dir}: already exists; pass --force to replace it`);
  }
  fs.mkdirSync(path.dirname(abs), { recursive: true });
  const tmp = `${abs}.tmp-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(tmp);
  try {
    fs.writeFileSync(path.join(tmp, 'meta.json'), JSON.stringify(run.meta, null, 2) + '\n');
    fs.writeFileSync(path.join(tmp, 'sockets.csv'), to_csv(socket_columns, run.sockets));
    const gcols = global_columns(run.meta);
    const grows = run.global.map((g) => ({ ...g.values, t_ms: g.t_ms }));
    fs.writeFileSync(path.join(tmp, 'global.csv'), to_csv(gcols, grows));
    if (fs.existsSync(abs)) fs.rmSync(abs, { recursive: true, force: true });
    fs.renameSync(tmp, abs);
  } catch (err) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
}

/** Reads a run directory; errors name the file and what is wrong with it. */
export function read_run_dir(dir: string): Run {
  const meta_path = path.join(dir, 'meta.json');
  if (!fs.existsSync(meta_path)) throw new InputError(`${dir}: not a run directory (no meta.json)`);
  const meta = read_json_file(meta_path) as RunMeta;
  if (meta.format !== RUN_FORMAT) {
    throw new InputError(`${meta_path}: format is ${JSON.stringify(meta.format)}; this tool reads "${RUN_FORMAT}"`);
  }
  const sockets_path = path.join(dir, 'sockets.csv');
  const global_path = path.join(dir, 'global.csv');
  for (const p of [sockets_path, global_path]) {
    if (!fs.existsSync(p)) throw new InputError(`${dir}: missing ${path.basename(p)}`);
  }
  const s = parse_csv(fs.readFileSync(sockets_path, 'utf8'), sockets_path);
  for (const c of socket_columns) {
    if (optional_socket_columns.includes(c)) continue;
    if (!s.columns.includes(c)) throw new InputError(`${sockets_path}: missing column ${c}`);
  }
  const absent = optional_socket_columns.filter((c) => !s.columns.includes(c));
  const sockets = s.rows.map((r) => ({ ...Object.fromEntries(absent.map((c) => [c, null])), ...r, group: String(r.group), side: r.side, state: String(r.state) }) as unknown as SocketSample);
  const g = parse_csv(fs.readFileSync(global_path, 'utf8'), global_path);
  const global: GlobalSample[] = g.rows.map((r) => {
    const values: Record<string, number | null> = {};
    for (const c of g.columns) if (c !== 't_ms') values[c] = r[c] === null ? null : Number(r[c]);
    return { t_ms: Number(r.t_ms), values };
  });
  return { meta, sockets, global };
}
