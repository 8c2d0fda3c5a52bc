import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CaptureComparison } from '../model/compare/comparison_types';
import { package_root } from './package_root';
import { seed_claims_markdown, type SeedMeasurement } from './seed_claims';

/** docs/seed-claims/measurements-*.json, in name order, with their repository-relative paths. */
export function read_seed_measurements(root = package_root()): Array<{ file: string; m: SeedMeasurement }> {
  const dir = path.join(root, 'docs', 'seed-claims');
  const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => /^measurements-.*\.json$/.test(f)).sort() : [];
  return files.map((f) => ({
    file: path.posix.join('docs', 'seed-claims', f),
    m: JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as SeedMeasurement,
  }));
}

/** Writes docs/seed-claims.md from the measurements, the validated captures and the model. */
export function write_seed_claims(
  root = package_root(),
  captures: ReadonlyArray<{ dir: string; comparison: CaptureComparison }> = [],
): string {
  const out = path.join(root, 'docs', 'seed-claims.md');
  const tmp = `${out}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, seed_claims_markdown(read_seed_measurements(root), captures));
  fs.renameSync(tmp, out);
  return out;
}
