import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { render_table } from '../../validate/render_table';
import { seed_claims_markdown } from '../../validate/seed_claims';
import { read_seed_measurements } from '../../validate/write_seed_claims';
import { seed_claim_captures, validate_committed_captures } from '../../validate/write_validation_docs';
import { import_simulator } from './import_simulator';

const root = path.join(__dirname, '..', '..');

describe('generated docs are up to date (run `npm run docs:validation` when captures, scenarios or the model change)', async () => {
  const { simulate } = await import_simulator();
  let results: ReturnType<typeof validate_committed_captures> | null = null;
  let error: string | null = null;
  try {
    results = validate_committed_captures(root, simulate ? { simulate } : {});
  } catch (err) {
    error = (err as Error).message;
  }

  it('docs/validation.md shows exactly the table `tcpmem validate data/captures/*` prints now', () => {
    expect(error).toBeNull();
    const doc = fs.readFileSync(path.join(root, 'docs', 'validation.md'), 'utf8');
    expect(doc).toContain(['```', render_table(results!).trimEnd(), '```'].join('\n'));
  });

  it('docs/validation.md links only charts that exist in docs/validation/', () => {
    const doc = fs.readFileSync(path.join(root, 'docs', 'validation.md'), 'utf8');
    for (const m of doc.matchAll(/\]\((validation\/[^)]+\.svg)\)/g)) {
      expect(fs.existsSync(path.join(root, 'docs', m[1])), m[1]).toBe(true);
    }
  });

  it('docs/seed-claims.md is what the generator writes from the measurements, the captures and the model', () => {
    expect(error).toBeNull();
    const md = seed_claims_markdown(read_seed_measurements(root), seed_claim_captures(results!));
    expect(fs.readFileSync(path.join(root, 'docs', 'seed-claims.md'), 'utf8')).toBe(md);
  });
});
