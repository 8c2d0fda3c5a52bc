import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse_known_gaps, type KnownGap } from '../model/compare/known_gaps';
import { InputError } from '../model/schema/format_zod_error';
import { package_root } from './package_root';

export function known_gaps_path(): string {
  return path.join(package_root(), 'data', 'known-gaps.json');
}

/** Reads data/known-gaps.json (absent file = no gaps). */
export function load_known_gaps(file = known_gaps_path()): KnownGap[] {
  if (!fs.existsSync(file)) return [];
  let value: unknown;
  try {
    value = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new InputError(`${file}: not valid JSON (${(err as Error).message})`);
  }
  return parse_known_gaps(value, file);
}
