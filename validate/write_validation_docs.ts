import * as fs from 'node:fs';
import * as path from 'node:path';
import type { KnownGap } from '../model/compare/known_gaps';
import { find_captures } from './find_captures';
import { load_known_gaps } from './load_known_gaps';
import { package_root } from './package_root';
import { write_report } from './render_report';
import { side_by_side_markdown } from './side_by_side';
import type { ValidatedCapture } from './validate_capture';
import { validate_paths } from './validate_paths';
import { write_seed_claims } from './write_seed_claims';

/**
 * Validates what `tcpmem validate data/captures/*` validates, run from the checkout root:
 * the same relative paths in the shell glob's order (entries without any capture below
 * them, such as an empty kernel directory, are left out as the command skips them).
 */
export function validate_committed_captures(root = package_root(), deps: Parameters<typeof validate_paths>[1] = {}): ValidatedCapture[] {
  const prev = process.cwd();
  process.chdir(root);
  try {
    const dir = path.join('data', 'captures');
    const entries = fs.existsSync(dir) ? fs.readdirSync(dir).filter((n) => !n.startsWith('.')).sort().map((n) => path.join(dir, n)) : [];
    const with_captures = entries.filter((e) => fs.statSync(e).isDirectory() && find_captures(e).length > 0);
    return with_captures.length > 0 ? validate_paths(with_captures, deps).results : [];
  } finally {
    process.chdir(prev);
  }
}

/**
 * `npm run docs:validation`: writes docs/validation.md (charts in docs/validation/) from
 * validate_committed_captures, then docs/seed-claims.md from the same results.
 */
export async function write_validation_docs(root = package_root()): Promise<string[]> {
  const results = validate_committed_captures(root);
  const file = path.join(root, 'docs', 'validation.md');
  await write_report(file, results, {
    title: 'Validation against the kernel',
    command: 'npm run docs:validation',
    preamble:
      'Every committed capture (data/captures) replayed in the simulator with its kernel\'s profile ' +
      '(matched from the capture\'s kernel release; the capture\'s sysctls written over it). ' +
      'The plain-text table at the end is what `tcpmem validate data/captures/*` prints.' +
      (results.length === 0 ? '\n\n**No captures are committed yet**, so there is nothing to validate.' : ''),
    extra_markdown: [side_by_side_markdown(results), known_gaps_markdown(load_known_gaps())].filter((x) => x !== '').join('\n\n'),
  });
  const seed = write_seed_claims(root, seed_claim_captures(results));
  return [file, seed];
}

/** The listed known gaps (data/known-gaps.json) as a Markdown section; empty when there are none. */
export function known_gaps_markdown(gaps: readonly KnownGap[]): string {
  if (gaps.length === 0) return '';
  const esc = (s: string): string => s.replace(/\|/g, '\\|');
  return [
    '## Known gaps (data/known-gaps.json)',
    '',
    'Misses of the model that are understood (or under investigation), listed in one place; their rows show "known gap", ' +
      'do not fail `tcpmem validate`, and their tests are expected failures.',
    '',
    '| scenario | metric | subject | kernel | reason |',
    '| --- | --- | --- | --- | --- |',
    ...gaps.map((g) => `| ${g.scenario} | ${g.metric} | ${g.subject ?? '(all)'} | ${g.kernel_release_prefix ?? '(all)'} | ${esc(g.reason)} |`),
  ].join('\n');
}

/** The validated captures as the seed-claims page cites them (directory as given, comparison). */
export function seed_claim_captures(results: readonly ValidatedCapture[]): Array<{ dir: string; comparison: ValidatedCapture['comparison'] }> {
  return results.map((v) => ({ dir: v.set.dir, comparison: v.comparison }));
}

if (require.main === module) {
  write_validation_docs().then(
    (files) => process.stdout.write(files.map((f) => `wrote ${f}\n`).join('')),
    (err: unknown) => {
      process.stderr.write(`docs:validation: ${(err as Error).message}\n`);
      process.exit(1);
    },
  );
}
