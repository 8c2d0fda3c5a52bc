import * as fs from 'node:fs';
import * as path from 'node:path';
import { InputError } from '../model/schema/format_zod_error';

/** One capture to validate: a run directory, or a scenario directory with repeats r0..rN. */
export interface CaptureSet {
  /** The directory as named on the command line (or found below it). */
  dir: string;
  /** Run directories (meta.json inside), repeats in order r0, r1, … */
  run_dirs: string[];
}

function is_run_dir(dir: string): boolean {
  return fs.existsSync(path.join(dir, 'meta.json'));
}

function repeat_number(name: string): number {
  const m = /^r(\d+)$/.exec(name);
  return m ? Number(m[1]) : Number.POSITIVE_INFINITY;
}

/**
 * Resolves a command-line path to capture sets: a run directory is one set of one repeat;
 * a directory whose subdirectories are runs (r0..rN) is one set with those repeats; any
 * other directory is searched one level further (data/captures/debian-6.1/<scenario>/r*),
 * up to `depth` levels. Temp directories of interrupted writes (`*.tmp-*`) are skipped.
 */
export function find_captures(p: string, depth = 3): CaptureSet[] {
  if (!fs.existsSync(p)) throw new InputError(`${p}: no such capture directory`);
  if (!fs.statSync(p).isDirectory()) throw new InputError(`${p}: not a directory (give a run directory with meta.json, or a scenario directory with r0..rN)`);
  if (is_run_dir(p)) return [{ dir: p, run_dirs: [p] }];
  const subs = fs
    .readdirSync(p, { withFileTypes: true })
    .filter((d) => d.isDirectory() && !d.name.includes('.tmp-'))
    .map((d) => d.name)
    .sort((a, b) => repeat_number(a) - repeat_number(b) || a.localeCompare(b));
  const runs = subs.filter((s) => is_run_dir(path.join(p, s)));
  const out: CaptureSet[] = [];
  if (runs.length > 0) out.push({ dir: p, run_dirs: runs.map((s) => path.join(p, s)) });
  if (depth > 0) {
    for (const s of subs) {
      if (runs.includes(s)) continue;
      out.push(...find_captures(path.join(p, s), depth - 1));
    }
  }
  return out;
}

/**
 * find_captures over several paths. Plain files (e.g. a README matched by `data/captures/*`)
 * and directories with no capture below them are skipped and returned in `skipped` with the
 * reason; when nothing at all is found that is an input error.
 */
export function find_all_captures(paths: readonly string[]): { sets: CaptureSet[]; skipped: string[] } {
  const out: CaptureSet[] = [];
  const skipped: string[] = [];
  for (const p of paths) {
    if (fs.existsSync(p) && !fs.statSync(p).isDirectory()) {
      skipped.push(`${p}: not a directory`);
      continue;
    }
    const found = find_captures(p);
    if (found.length === 0) skipped.push(`${p}: no capture below it`);
    out.push(...found);
  }
  if (out.length === 0) {
    throw new InputError(
      `${paths.join(' ')}: no capture found (a run directory holds meta.json, sockets.csv, global.csv; a scenario directory holds r0..rN)`,
    );
  }
  return { sets: out, skipped };
}
