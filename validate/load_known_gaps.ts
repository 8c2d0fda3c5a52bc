import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse_known_gaps, type KnownGap } from '../model/compare/known_gaps';
import { InputError } from '../model/schema/format_zod_error';
import { package_root } from './package_root';
import { read_json_file } from '../io/read_json_file';

export function known_gaps_path(): string {
  return path.join(package_root(), 'data', 'known-gaps.json');
}

/** Reads data/known-gaps.json (absent file = no gaps). */
export function load_known_gaps(file = known_gaps_path()): KnownGap[] {
  if (!fs.existsSync(file)) return [];
  const value = read_json_file(file);
  return parse_known_gaps(value, file);
}
