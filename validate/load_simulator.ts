import type { KernelProfile } from '../model/profile/kernel_profile';
import type { Run } from '../model/run_output/run_output';
import type { Scenario } from '../model/scenario/scenario_schema';

/** The simulator's entry point (model/sim/index.ts `simulate`). */
export type SimulateFn = (
  scenario: Scenario,
  profile: KernelProfile,
  opts?: Record<string, unknown>,
) => { run: Run; events: number; peak_state_bytes: number };

/**
 * Loads model/sim lazily, so validate builds and its pure parts run before the simulator
 * exists in a checkout; throws a clear error when it is missing.
 */
export function load_simulator(): SimulateFn {
  let mod: { simulate?: unknown };
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    mod = require('../model/sim') as { simulate?: unknown };
  } catch (err) {
    throw new SimulatorMissingError(`the simulator (model/sim) could not be loaded: ${(err as Error).message.split('\n')[0]}`);
  }
  if (typeof mod.simulate !== 'function') throw new SimulatorMissingError('model/sim does not export simulate()');
  return mod.simulate as SimulateFn;
}

export class SimulatorMissingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SimulatorMissingError';
  }
}
