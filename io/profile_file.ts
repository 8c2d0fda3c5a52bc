import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parse_kernel_profile, type KernelProfile } from '../model/profile/kernel_profile';
import { InputError } from '../model/schema/format_zod_error';

/** Reads and validates a profile JSON file; errors name the file and the bad field. */
export function read_profile_file(path: string): KernelProfile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new InputError(`cannot read profile file ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new InputError(`profile file ${path} is not JSON: ${(err as Error).message}`);
  }
  return parse_kernel_profile(value, `profile file ${path}`);
}

/** Writes a profile as JSON atomically (temp file + rename): nothing half-written is left behind. */
export function write_profile_file(path: string, p: KernelProfile): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, JSON.stringify(p, null, 2) + '\n');
  renameSync(tmp, path);
}
