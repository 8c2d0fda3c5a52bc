import type { Scenario } from '../scenario/scenario_schema';
import type { RunSummary } from '../summary/run_summary';
import type { GroupSample } from './plan_workload';

/**
 * The scenario of one group alone, scaled down to at most `sample` connections, for the simulator to run
 * as a representative sample (same programs, same kernel settings, same duration).
 * Model: sockets of one group are independent below tcp_mem[0], so a sample's per-socket figures hold for N.
 */
export function sample_scenario(scenario: Scenario, group: string, sample: number): Scenario {
  const g = scenario.groups.find((x) => x.name === group);
  if (!g) throw new Error(`sample_scenario: no group ${group}`);
  return { ...scenario, name: `${scenario.name}.${group}.sample`, groups: [{ ...g, count: Math.max(1, Math.min(g.count, sample)) }] };
}

/** Per-socket pages of each side at the end and at the peak sample of a simulated sample. */
export function group_sample_from_summary(s: RunSummary): GroupSample {
  return {
    sample_connections: s.connections,
    end_pages: { client: s.end.by_side.client?.pages ?? null, server: s.end.by_side.server?.pages ?? null },
    peak_pages: {
      client: max_side(s, 'client'),
      server: max_side(s, 'server'),
    },
  };
}

function max_side(s: RunSummary, side: 'client' | 'server'): number | null {
  return s.peak_by_side[side];
}
