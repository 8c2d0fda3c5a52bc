import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { compare_runs } from '../../model/compare/compare_runs';
import type { CaptureComparison } from '../../model/compare/comparison_types';
import { match_profile, profile_for_run } from '../../model/compare/profile_for_run';
import type { Run } from '../../model/run_output/run_output';
import { parse_scenario } from '../../model/scenario/parse_scenario';
import type { Scenario } from '../../model/scenario/scenario_schema';
import { load_known_gaps } from '../../validate/load_known_gaps';
import { load_profiles } from '../../validate/load_profiles';
import { import_simulator } from '../validate/import_simulator';
import { unknown_kernel_message } from '../../validate/validate_capture';
import { fmt_number, fmt_tolerance } from '../../validate/format_cells';

/**
 * Live check: when the tests run as root on Linux with `ip netns` (CI does), capture
 * data/scenarios/ci-live-smoke.json on the running kernel (inside a private network
 * namespace, via capture/run_capture.ts) and validate it at once, so a kernel change on the
 * CI machine shows up as a failure. Otherwise every test is skipped and the title says why.
 */
const root = path.join(__dirname, '..', '..');
const scenario_file = path.join(root, 'data', 'scenarios', 'ci-live-smoke.json');

function why_not_live(): string | null {
  if (process.platform !== 'linux') return `not Linux (platform ${process.platform})`;
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return 'not root (live captures need network namespaces)';
  try {
    execFileSync('ip', ['netns', 'list'], { stdio: 'ignore', timeout: 5000 });
  } catch {
    return 'no `ip netns` (iproute2 with network-namespace support is needed)';
  }
  if (!fs.existsSync(scenario_file)) return `no ${path.relative(root, scenario_file)} yet`;
  const exists = (stem: string): boolean => ['.ts', '.js'].some((ext) => fs.existsSync(path.join(root, `${stem}${ext}`)));
  if (!exists('capture/run_capture')) return 'capture/run_capture.ts is not built yet';
  if (!exists('model/sim/index')) return 'the simulator (model/sim/index.ts) is not built yet';
  return null;
}

type RunCapture = (opts: {
  scenario: Scenario;
  scenario_file: string;
  repeat_index: number;
  source: 'kernel';
  allow_global_sysctls: boolean;
}) => Run | Promise<Run>;

const skip_reason = why_not_live();

describe('live capture of ci-live-smoke on the running kernel validates against the simulator', () => {
  if (skip_reason !== null) {
    console.warn(`live_validate: skipped: ${skip_reason}`);
    it.skip(`skipped: ${skip_reason}`, () => {});
    return;
  }
  const scenario = parse_scenario(JSON.parse(fs.readFileSync(scenario_file, 'utf8')), 'capture', scenario_file);
  let comparison: CaptureComparison | null = null;

  beforeAll(async () => {
    const { run_capture } = (await import('../../capture/run_capture')) as unknown as { run_capture: RunCapture };
    const { simulate, error } = await import_simulator();
    if (!simulate) throw new Error(error ?? 'simulator missing');
    const measured = await run_capture({ scenario, scenario_file, repeat_index: 0, source: 'kernel', allow_global_sysctls: false });
    const profiles = load_profiles();
    const base = match_profile(profiles, measured.meta.kernel_release);
    if (!base) throw new Error(unknown_kernel_message('live capture', measured.meta.kernel_release, profiles));
    const { profile } = profile_for_run(base, measured.meta);
    const { run: simulated } = simulate(scenario, profile);
    comparison = compare_runs([{ ...measured, meta: { ...measured.meta, scenario } }], simulated, {
      known_gaps: load_known_gaps(),
      profile_id: base.id,
    });
  }, 660_000);

  it('captures the scenario, replays it in the simulator and finds no judged metric outside its tolerance', () => {
    expect(comparison).not.toBeNull();
    const failed = comparison!.rows.filter((r) => r.verdict === 'fail');
    expect(failed.map((r) => `${r.metric} ${r.subject}: measured ${fmt_number(r.measured)}, simulated ${fmt_number(r.simulated)}`)).toEqual([]);
  });
  const judged = Object.keys(scenario.tolerances);
  if (judged.length === 0) {
    it.skip(`per-metric checks skipped: ${path.relative(root, scenario_file)} declares no tolerances, so no metric is judged`, () => {});
  }
  for (const metric of judged) {
    it(`every ${metric} row is within ${fmt_tolerance(scenario.tolerances[metric as keyof typeof scenario.tolerances] ?? null)} (known gaps excepted)`, () => {
      expect(comparison).not.toBeNull();
      const rows = comparison!.rows.filter((r) => r.metric === metric);
      expect(rows.length, `no ${metric} row in the comparison`).toBeGreaterThan(0);
      const failed = rows.filter((r) => r.verdict === 'fail');
      expect(
        failed.map((r) => `${r.subject}: measured ${fmt_number(r.measured)}, simulated ${fmt_number(r.simulated)}${r.note ? ` (${r.note})` : ''}`),
      ).toEqual([]);
    });
  }
});
