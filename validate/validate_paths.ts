import type { KnownGap } from '../model/compare/known_gaps';
import type { KernelProfile } from '../model/profile/kernel_profile';
import { find_all_captures } from './find_captures';
import { load_known_gaps } from './load_known_gaps';
import { load_profiles } from './load_profiles';
import { load_simulator, type SimulateFn } from './load_simulator';
import { validate_capture, type ValidatedCapture } from './validate_capture';

/**
 * Validates every capture below the given paths (`tcpmem validate <dir>…`). Dependencies
 * default to the real profiles, simulator and data/known-gaps.json; tests may pass their own.
 */
export function validate_paths(
  paths: readonly string[],
  deps: { profiles?: readonly KernelProfile[]; simulate?: SimulateFn; known_gaps?: readonly KnownGap[] } = {},
): { results: ValidatedCapture[]; skipped: string[] } {
  const { sets, skipped } = find_all_captures(paths);
  const profiles = deps.profiles ?? load_profiles();
  const known_gaps = deps.known_gaps ?? load_known_gaps();
  // Loaded on first use, so input errors (unknown kernel, bad capture) are reported even without a simulator.
  let loaded = deps.simulate;
  const simulate: SimulateFn = (scenario, profile, opts) => (loaded ??= load_simulator())(scenario, profile, opts);
  const results: ValidatedCapture[] = [];
  for (const set of sets) results.push(validate_capture(set, { profiles, simulate, known_gaps }));
  return { results, skipped };
}

/** The `--json` document: one entry per capture, every row with its numbers and verdict. */
export function validation_json(results: readonly ValidatedCapture[]): unknown {
  return {
    format: 'tcpmem-validation/1',
    exit_code: results.some((v) => v.comparison.rows.some((r) => r.verdict === 'fail')) ? 1 : 0,
    captures: results.map((v) => ({
      dir: v.set.dir,
      run_dirs: v.set.run_dirs,
      sysctls_applied: v.sysctls_applied,
      sysctls_ignored: v.sysctls_ignored,
      ...v.comparison,
    })),
  };
}
