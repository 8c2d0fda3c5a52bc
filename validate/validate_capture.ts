import * as fs from 'node:fs';
import * as path from 'node:path';
import { compare_runs } from '../model/compare/compare_runs';
import { current_tolerances } from '../model/compare/current_tolerances';
import type { CaptureComparison } from '../model/compare/comparison_types';
import type { KnownGap } from '../model/compare/known_gaps';
import { match_profile, profile_for_run } from '../model/compare/profile_for_run';
import type { KernelProfile } from '../model/profile/kernel_profile';
import type { Run } from '../model/run_output/run_output';
import { parse_scenario } from '../model/scenario/parse_scenario';
import type { Scenario } from '../model/scenario/scenario_schema';
import { InputError } from '../model/schema/format_zod_error';
import { read_run_dir } from '../io/run_dir';
import type { CaptureSet } from './find_captures';
import type { SimulateFn } from './load_simulator';
import { package_root } from './package_root';

export interface ValidatedCapture {
  set: CaptureSet;
  measured: Run[];
  simulated: Run;
  /** The scenario as captured (defaults filled in), with the tolerances that were applied. */
  scenario: Scenario;
  /** Where the tolerances came from: the current scenario file (same workload) or the capture's meta. */
  tolerances_from: string;
  comparison: CaptureComparison;
  /** Sysctls written over the profile, and those that could not be parsed. */
  sysctls_applied: string[];
  sysctls_ignored: string[];
}

/**
 * The scenario file a capture names (meta.scenario_file, relative to the checkout root), parsed;
 * null when it is absent or no longer valid (the captured scenario then stands alone).
 */
function read_current_scenario(file: string | null, target: 'vm' | 'simulate'): Scenario | null {
  if (!file) return null;
  const abs = path.isAbsolute(file) ? file : path.join(package_root(), file);
  try {
    return parse_scenario(JSON.parse(fs.readFileSync(abs, 'utf8')), target, file);
  } catch {
    return null;
  }
}

/** The message for a capture from a kernel no profile describes. */
export function unknown_kernel_message(dir: string, release: string, profiles: readonly KernelProfile[]): string {
  return (
    `${dir}: captured on kernel ${release}, which no profile describes ` +
    `(known: ${profiles.map((p) => `${p.id} = ${p.release}`).join(', ') || 'none'}). ` +
    `Derive one on that kernel with \`tcpmem profile --from-host\`, save it under data/profiles/, and run validate again.`
  );
}

/**
 * Validates one capture set: reads its repeats, matches the profile from the capture's
 * kernel_release, writes the capture's sysctls over it, replays the scenario in the
 * simulator, and compares.
 */
export function validate_capture(
  set: CaptureSet,
  deps: { profiles: readonly KernelProfile[]; simulate: SimulateFn; known_gaps: readonly KnownGap[] },
): ValidatedCapture {
  const measured = set.run_dirs.map((d) => read_run_dir(d));
  const first = measured[0].meta;
  for (const [i, r] of measured.entries()) {
    if (r.meta.source === 'simulator') {
      throw new InputError(`${set.run_dirs[i]}: meta.source is "simulator"; validate compares captures (source "kernel" or "vm") with the model`);
    }
    if (r.meta.scenario?.name !== first.scenario?.name || r.meta.kernel_release !== first.kernel_release) {
      throw new InputError(
        `${set.dir}: repeats disagree (${set.run_dirs[0]}: ${first.scenario?.name} on ${first.kernel_release}; ` +
          `${set.run_dirs[i]}: ${r.meta.scenario?.name} on ${r.meta.kernel_release}); a scenario directory holds repeats of one scenario on one kernel`,
      );
    }
  }
  // A VM capture may set global sysctls (tcp_mem, rmem_max, …): parse it with the VM's rules.
  const captured_scenario = parse_scenario(first.scenario, first.source === 'vm' ? 'vm' : 'simulate', `${set.run_dirs[0]}/meta.json scenario`);
  const current = read_current_scenario(first.scenario_file, first.source === 'vm' ? 'vm' : 'simulate');
  const judged = current_tolerances(captured_scenario, current);
  const scenario = judged.scenario;
  const base = match_profile(deps.profiles, first.kernel_release);
  if (!base) throw new InputError(unknown_kernel_message(set.dir, first.kernel_release, deps.profiles));
  const { profile, applied, ignored } = profile_for_run(base, first);
  let simulated: Run;
  try {
    simulated = deps.simulate(scenario, profile).run;
  } catch (err) {
    if (err instanceof InputError) throw new InputError(`${set.dir}: the simulator refused scenario ${scenario.name}: ${err.message}`);
    throw new Error(`${set.dir}: the simulator failed while replaying scenario ${scenario.name} with profile ${profile.id}: ${(err as Error).message}`, { cause: err });
  }
  const comparison = compare_runs(
    measured.map((r) => ({ ...r, meta: { ...r.meta, scenario } })),
    simulated,
    { known_gaps: deps.known_gaps, profile_id: base.id },
  );
  return {
    set,
    measured,
    simulated,
    scenario,
    tolerances_from: judged.source === 'scenario file' ? `${first.scenario_file}` : `capture meta (${judged.reason})`,
    comparison,
    sysctls_applied: applied,
    sysctls_ignored: ignored,
  };
}
