import { summarize_run } from '../model/summary/run_summary';
import type { KernelProfile } from '../model/profile';
import type { Run } from '../model/run_output/run_output';
import type { Scenario } from '../model/scenario';
import { metrics_from_summary, type PointMetrics, type PointTask } from './point_row';
import { load_profile } from './profiles';

/** The simulator's entry point (model/sim, issue 3): pure and deterministic. */
export type SimulateFn = (
  scenario: Scenario,
  profile: KernelProfile,
  opts?: { on_progress?: (sim_ms: number, total_ms: number) => void },
) => { run: Run; events: number; peak_state_bytes: number };

/** Loads model/sim lazily so sweeps with other engines work before (or without) the simulator. */
export function load_simulator(): SimulateFn {
  let mod: { simulate?: SimulateFn };
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    mod = require('../model/sim') as { simulate?: SimulateFn };
  } catch (err) {
    throw new Error(`the simulator (model/sim) is not available in this build: ${(err as Error).message}`);
  }
  if (typeof mod.simulate !== 'function') throw new Error('model/sim does not export simulate()');
  return mod.simulate;
}

/** Analytic engine, loaded lazily too (model/plan). */
function analytic_metrics(task: PointTask, profile: KernelProfile): PointMetrics {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const plan = require('../model/plan') as typeof import('../model/plan');
  return plan.analytic_point_metrics(task.scenario, profile);
}

/**
 * Runs one sweep point: the simulator + summarize_run (engine "sim") or the analytic steady
 * state (engine "analytic"), or a plug-in module (tests). Deterministic for a given task.
 */
export async function run_point(task: PointTask): Promise<PointMetrics> {
  if (task.runner_module) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(task.runner_module) as { run_point: (t: PointTask) => PointMetrics | Promise<PointMetrics> };
    return mod.run_point(task);
  }
  const profile = load_profile(task.profile_id);
  if (task.engine === 'analytic') return analytic_metrics(task, profile);
  const simulate = load_simulator();
  const r = simulate(task.scenario, profile);
  return metrics_from_summary(summarize_run(r.run, { profile }), { events: r.events, peak_state_bytes: r.peak_state_bytes });
}
