import type { Scenario } from '../scenario/scenario_schema';

/** A scenario with the fields that describe what was run: all but `tolerances` and `description`. */
function workload_of(s: Scenario): string {
  const { tolerances: _t, description: _d, ...rest } = s;
  return JSON.stringify(rest);
}

/**
 * Tolerances are a judgement on a workload, not part of it: when the scenario file a capture
 * was taken from now describes the same workload (everything but tolerances and description
 * equal), its current tolerances apply; otherwise the captured scenario's own tolerances do.
 */
export function current_tolerances(
  captured: Scenario,
  current: Scenario | null,
): { scenario: Scenario; source: 'scenario file' | 'capture' ; reason: string } {
  if (current === null) return { scenario: captured, source: 'capture', reason: 'scenario file not found' };
  if (current.name !== captured.name) {
    return { scenario: captured, source: 'capture', reason: `scenario file now names "${current.name}"` };
  }
  if (workload_of(current) !== workload_of(captured)) {
    return { scenario: captured, source: 'capture', reason: 'scenario file describes a different workload than was captured' };
  }
  return { scenario: { ...captured, tolerances: current.tolerances }, source: 'scenario file', reason: 'same workload' };
}
