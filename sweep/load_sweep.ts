import * as fs from 'node:fs';
import * as path from 'node:path';
import { format_zod_error, InputError } from '../model/schema/format_zod_error';
import { expand_sweep, type ExpandedSweep } from './expand_sweep';
import { sweep_schema } from './sweep_schema';
import { profile_ids } from './profiles';
import { read_json_file } from '../io/read_json_file';

function read_json(file: string, what: string): unknown {
  if (!fs.existsSync(file)) throw new InputError(`${what} ${file}: no such file`);
  return read_json_file(file, `${what} ${file}`);
}

/** Reads, validates and expands a sweep file; `base` paths are relative to the sweep file. */
export function load_sweep(file: string): ExpandedSweep {
  const raw = read_json(file, 'sweep file');
  const r = sweep_schema.safeParse(raw);
  if (!r.success) throw new InputError(format_zod_error(`sweep file ${file}`, r.error));
  const sweep = r.data;
  const base = typeof sweep.base === 'string' ? read_json(path.resolve(path.dirname(file), sweep.base), 'sweep base scenario (field "base")') : sweep.base;
  return expand_sweep(sweep, base, profile_ids());
}
