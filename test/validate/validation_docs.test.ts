import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { render_table } from '../../validate/render_table';
import { validate_committed_captures } from '../../validate/write_validation_docs';
import { import_simulator } from './import_simulator';

const root = path.join(__dirname, '..', '..');

describe('docs/validation.md', async () => {
  const { simulate } = await import_simulator();
  it('shows exactly the table `tcpmem validate data/captures/*` prints now (run `npm run docs:validation` when it changes)', () => {
    const doc = fs.readFileSync(path.join(root, 'docs', 'validation.md'), 'utf8');
    const table = render_table(validate_committed_captures(root, simulate ? { simulate } : {})).trimEnd();
    expect(doc).toContain(['```', table, '```'].join('\n'));
  });

  it('links only charts that exist in docs/validation/', () => {
    const doc = fs.readFileSync(path.join(root, 'docs', 'validation.md'), 'utf8');
    for (const m of doc.matchAll(/\]\((validation\/[^)]+\.svg)\)/g)) {
      expect(fs.existsSync(path.join(root, 'docs', m[1])), m[1]).toBe(true);
    }
  });
});
