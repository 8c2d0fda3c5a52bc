import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ComparisonRow } from '../../model/compare/comparison_types';
import { find_captures, type CaptureSet } from '../../validate/find_captures';
import { load_known_gaps } from '../../validate/load_known_gaps';
import { load_profiles } from '../../validate/load_profiles';
import { import_simulator } from './import_simulator';
import { validate_capture, type ValidatedCapture } from '../../validate/validate_capture';
import { fmt_number, fmt_tolerance } from '../../validate/format_cells';

/**
 * Every committed capture (data/captures/**) is replayed in the simulator on every test run:
 * one test per (capture, metric, subject) with a declared tolerance. Rows listed in
 * data/known-gaps.json are expected failures (`it.fails`) carrying the listed reason; if the
 * model starts to match, the expected failure fails and the gap entry must be removed.
 * Metrics without a tolerance are listed as skipped tests ("not judged").
 */
const root = path.join(__dirname, '..', '..');
const captures_dir = path.join(root, 'data', 'captures');
const sets: CaptureSet[] = fs.existsSync(captures_dir) ? find_captures(captures_dir, 4) : [];

function inside_band(row: ComparisonRow): void {
  if (row.measured === null && row.simulated === null) {
    // Only metrics where "no value" is an observation get here (pressure_onset: never under pressure on both sides).
    expect(row.note, `${row.metric} ${row.subject}`).toMatch(/^both: /);
    expect(row.verdict).toBe('pass');
    return;
  }
  expect(row.simulated, `${row.metric} ${row.subject}: ${row.note ?? 'no simulated value'}`).not.toBeNull();
  expect(row.measured, `${row.metric} ${row.subject}: ${row.note ?? 'no measured value'}`).not.toBeNull();
  const known = row.repeats.filter((v): v is number => v !== null);
  const allowed = row.allowed_abs ?? 0;
  const lo = Math.min(...known) - allowed;
  const hi = Math.max(...known) + allowed;
  const slack = 1e-9 * Math.max(1, Math.abs(lo), Math.abs(hi));
  expect(row.simulated!, `simulated ${row.simulated} vs measured repeats [${known.join(', ')}] ± ${allowed}`).toBeGreaterThanOrEqual(lo - slack);
  expect(row.simulated!, `simulated ${row.simulated} vs measured repeats [${known.join(', ')}] ± ${allowed}`).toBeLessThanOrEqual(hi + slack);
}

describe('committed captures validate against the simulator', async () => {
  if (sets.length === 0) {
    it.skip('no committed captures under data/captures yet', () => {});
    return;
  }
  const { simulate, error: load_error } = await import_simulator();
  if (!simulate) {
    it('the simulator can be loaded to replay the committed captures', () => {
      expect.fail(load_error ?? 'simulator missing');
    });
    return;
  }
  const profiles = load_profiles();
  const known_gaps = load_known_gaps();
  for (const set of sets) {
    const name = path.relative(root, set.dir);
    let v: ValidatedCapture | null = null;
    let error: string | null = null;
    try {
      v = validate_capture(set, { profiles, simulate: simulate!, known_gaps });
    } catch (err) {
      error = (err as Error).message;
    }
    describe(name, () => {
      if (!v) {
        it('can be replayed in the simulator', () => {
          expect.fail(error ?? 'unknown error');
        });
        return;
      }
      const not_judged = v.comparison.rows.filter((r) => r.tolerance === null);
      if (not_judged.length > 0) {
        const metrics = [...new Set(not_judged.map((r) => r.metric))].join(', ');
        it.skip(`${not_judged.length} rows are not judged: the scenario declares no tolerance for ${metrics}`, () => {});
      }
      const missing = v.comparison.rows.filter((r) => r.tolerance !== null && r.verdict === 'missing');
      if (missing.length > 0) {
        it.skip(`${missing.length} judged rows have no value on one side: ${missing.map((r) => `${r.metric} ${r.subject} (${r.note})`).join('; ')}`, () => {});
      }
      for (const row of v.comparison.rows) {
        if (row.tolerance === null || row.verdict === 'missing') continue;
        const what = `simulated ${row.metric} of ${row.subject} (${fmt_number(row.simulated)} ${row.unit})`;
        const band = `within ${fmt_tolerance(row.tolerance)} of the measured ${fmt_number(row.measured)}`;
        if (row.verdict === 'known_gap' || row.verdict === 'gap_closed') {
          const reason = row.note ?? '';
          it.fails(`${what} is ${band} — expected failure, known gap: ${reason}`, () => inside_band(row));
        } else {
          it(`${what} is ${band}`, () => inside_band(row));
        }
      }
    });
  }
});

describe('data/known-gaps.json', () => {
  it('parses and names for each gap a scenario that exists in data/scenarios or data/captures', () => {
    const gaps = load_known_gaps();
    const scenario_dir = path.join(root, 'data', 'scenarios');
    const names = new Set<string>();
    if (fs.existsSync(scenario_dir)) {
      for (const f of fs.readdirSync(scenario_dir).filter((x) => x.endsWith('.json'))) {
        try {
          names.add(String((JSON.parse(fs.readFileSync(path.join(scenario_dir, f), 'utf8')) as { name?: string }).name));
        } catch {
          // a broken scenario file is reported by the scenario tests
        }
      }
    }
    for (const s of sets) {
      try {
        names.add(String((JSON.parse(fs.readFileSync(path.join(s.run_dirs[0], 'meta.json'), 'utf8')) as { scenario?: { name?: string } }).scenario?.name));
      } catch {
        // reported by the capture's own test
      }
    }
    for (const g of gaps) expect(names, `known gap for unknown scenario ${g.scenario}`).toContain(g.scenario);
  });
});
