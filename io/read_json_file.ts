import * as fs from 'node:fs';
import { InputError } from '../model/schema/format_zod_error';

/**
 * Reads and parses a JSON file a user handed us. A parse error becomes an InputError
 * `<label>: not valid JSON (…)`; whether a missing file is an error is the caller's call.
 */
export function read_json_file(file: string, label: string = file): unknown {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new InputError(`${label}: not valid JSON (${(err as Error).message})`);
  }
}
