import type { KernelProfile } from '../profile/kernel_profile';
import type { Scenario } from '../scenario/scenario_schema';
import { plan_workload } from './plan_workload';

/**
 * Sweep metrics from the analytic steady state alone (sweep engine "analytic"): per-connection slab
 * and pages for both ends of every connection, null where only the simulator knows (transient peaks,
 * unread queues). Same column names as a simulated point (sweep/point_row.ts).
 * Kernel/Model: see plan_workload and socket_steady_state.
 */
export function analytic_point_metrics(scenario: Scenario, p: KernelProfile): Record<string, number | null> {
  const n = scenario.groups.reduce((a, g) => a + g.count, 0);
  const plan = plan_workload(p, scenario, { connections: n, side: 'both' });
  const exact_or_null = (v: number | null, method: string) => (method === 'analytic_exact' ? v : null);
  const per_side = (side: 'client' | 'server', which: 'steady' | 'peak'): number | null => {
    let total = 0;
    for (const g of plan.groups) {
      const i = g.sockets.findIndex((s) => s.side === side);
      const f = which === 'steady' ? g.socket_steady_pages[i] : g.socket_peak_pages[i];
      if (f.value === null || f.method !== 'analytic_exact') return null;
      total += g.connections * f.value;
    }
    return n > 0 ? total / n : null;
  };
  const steady = plan.totals.steady_pages;
  const peak = plan.totals.peak_pages;
  return {
    connections: n,
    end_pages_per_conn: exact_or_null(steady.value === null ? null : steady.value / n, steady.method),
    peak_pages_per_conn: exact_or_null(peak.value === null ? null : peak.value / n, peak.method),
    slab_bytes_per_conn: plan.totals.slab_bytes.value === null ? null : plan.totals.slab_bytes.value / n,
    server_end_pages: per_side('server', 'steady'),
    server_peak_pages: per_side('server', 'peak'),
    client_end_pages: per_side('client', 'steady'),
    client_peak_pages: per_side('client', 'peak'),
    sockets_pages_end: exact_or_null(steady.value, steady.method),
    sockets_pages_peak: exact_or_null(peak.value, peak.method),
  };
}
