import * as fs from 'node:fs';
import * as path from 'node:path';
import { package_root } from './package_root';
import { seed_claims_markdown, type SeedMeasurement } from './seed_claims';

/** Writes docs/seed-claims.md from docs/seed-claims/measurements-*.json and the model. */
export function write_seed_claims(root = package_root()): string {
  const dir = path.join(root, 'docs', 'seed-claims');
  const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => /^measurements-.*\.json$/.test(f)).sort() : [];
  const measurements = files.map((f) => ({
    file: path.posix.join('docs', 'seed-claims', f),
    m: JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as SeedMeasurement,
  }));
  const out = path.join(root, 'docs', 'seed-claims.md');
  const tmp = `${out}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, seed_claims_markdown(measurements));
  fs.renameSync(tmp, out);
  return out;
}
