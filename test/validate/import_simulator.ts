import type { SimulateFn } from '../../validate/load_simulator';

/**
 * The simulator for tests. validate/load_simulator.ts require()s model/sim lazily, which works
 * for the compiled CLI but not for TypeScript sources under vitest, so tests import it here.
 */
export async function import_simulator(): Promise<{ simulate: SimulateFn | null; error: string | null }> {
  try {
    const mod = (await import('../../model/sim')) as { simulate?: unknown };
    if (typeof mod.simulate !== 'function') return { simulate: null, error: 'model/sim does not export simulate()' };
    return { simulate: mod.simulate as SimulateFn, error: null };
  } catch (err) {
    return { simulate: null, error: `the simulator (model/sim) could not be loaded: ${(err as Error).message.split('\n')[0]}` };
  }
}
