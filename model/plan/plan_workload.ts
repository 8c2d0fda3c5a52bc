import type { KernelProfile } from '../profile/kernel_profile';
import type { Scenario } from '../scenario/scenario_schema';
import { tcp_init_mem, tcp_mem_of, type TcpMemPages } from '../mem/tcp_init_mem';
import { pressure_region } from '../mem/pressure_region';
import { sockstat_lag_bound_pages } from '../mem/sockstat_lag_bound_pages';
import { first_known, weighted_sum } from './combine_figures';
import { nr_free_buffer_pages_from_ram, ram_bytes_from_nr_free_buffer_pages } from './nr_free_buffer_pages_from_ram';
import type { CrossingCounts, Figure, GroupPlan, PlanResult, PlanSide, SocketSteadyState } from './plan_types';
import { socket_steady_state } from './socket_steady_state';
import { plan_tuning } from './plan_tuning';

/** Per-socket pages of one group measured by simulating a small sample of it (from summarize_run). */
export interface GroupSample {
  sample_connections: number;
  end_pages: { client: number | null; server: number | null };
  peak_pages: { client: number | null; server: number | null };
}

export interface PlanOptions {
  connections: number;
  side: PlanSide;
  /** RAM of the planned machine; default: the profile's machine. */
  ram_bytes?: number | null;
  /** net.ipv4.tcp_mem to plan against; default: computed from ram_bytes or the profile's. */
  tcp_mem?: TcpMemPages | null;
  /** Round-trip time for window → throughput; default: the link's, else 10 ms. */
  rtt_ms?: number | null;
  /** Simulated samples by group name (the CLI runs the simulator; the model stays pure). */
  samples?: Record<string, GroupSample>;
}

export const default_rtt_ms = 10;
const page = 4096;

/** Splits n connections over groups by share (largest remainder), deterministic. */
export function split_connections(n: number, counts: readonly number[]): number[] {
  const total = counts.reduce((a, c) => a + c, 0);
  const exact = counts.map((c) => (n * c) / total);
  const out = exact.map(Math.floor);
  let left = n - out.reduce((a, c) => a + c, 0);
  const order = exact.map((e, i) => ({ i, frac: e - Math.floor(e) })).sort((a, b) => b.frac - a.frac || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) break;
    out[i]++;
    left--;
  }
  return out;
}

function crossing(threshold_pages: number, pages_per_connection: number | null): number | null {
  if (pages_per_connection === null || pages_per_connection <= 0) return null;
  return Math.floor(threshold_pages / pages_per_connection) + 1;
}

function crossings(tcp_mem: TcpMemPages, pages_per_connection: number | null): CrossingCounts {
  return { min: crossing(tcp_mem[0], pages_per_connection), pressure: crossing(tcp_mem[1], pages_per_connection), max: crossing(tcp_mem[2], pages_per_connection) };
}

function socket_figures(s: SocketSteadyState, sample: GroupSample | undefined): { steady: Figure; peak: Figure } {
  const sim = (v: number | null | undefined, what: string): Figure | null =>
    sample && v !== null && v !== undefined ? { value: v, method: 'simulation_sample', note: `${what} of a ${sample.sample_connections}-connection simulation` } : null;
  const is_exact = (f: Figure) => (f.method === 'analytic_exact' && f.value !== null ? f : null);
  // exact, else the simulated sample, else an estimate, else the bound
  const steady = first_known(is_exact(s.steady_pages), sim(sample?.end_pages[s.side], 'end'), s.steady_pages);
  const peak = first_known(is_exact(s.peak_pages), sim(sample?.peak_pages[s.side], 'peak'), s.peak_pages.value !== null ? s.peak_pages : null, s.bound_pages);
  return { steady, peak };
}

/**
 * Capacity plan for N connections of a workload: slab and buffer memory at steady state and at
 * peak, where sockstat mem falls against tcp_mem, the connection counts at which it crosses
 * tcp_mem[0..2], how many connections fit in RAM, and tunings that keep it out of pressure. Pure.
 *
 * Kernel: pages per socket; tcp_mem from RAM R-6.1 (tcp_init_mem); regions; sockstat lag R-6.6/6.7;
 * slab; buffer bounds.
 * Model: groups scale by their share of the workload's connections; per-socket figures are independent of N
 * (true below tcp_mem[0]; above it the kernel starts refusing growth, which only lowers the real figures); peaks
 * of different connections are simultaneous (worst case) except for staggered steady-rate writers with an
 * estimated peak, where min(1, rate × RTT) of them are at their peak at once (GroupPlan.peak_concurrency).
 */
export function plan_workload(p: KernelProfile, scenario: Scenario, opts: PlanOptions): PlanResult {
  const notes: string[] = [];
  const n = opts.connections;
  const sides: Array<'client' | 'server'> = opts.side === 'both' ? ['client', 'server'] : [opts.side];
  const counts = split_connections(n, scenario.groups.map((g) => g.count));

  let ram_bytes: number;
  let ram_source: 'flag' | 'profile';
  if (opts.ram_bytes) {
    ram_bytes = opts.ram_bytes;
    ram_source = 'flag';
  } else {
    ram_bytes = ram_bytes_from_nr_free_buffer_pages(p.nr_free_buffer_pages);
    ram_source = 'profile';
  }
  let tcp_mem: TcpMemPages;
  let tcp_mem_source: PlanResult['tcp_mem']['source'];
  let nr_free: number | null = null;
  if (opts.tcp_mem) {
    tcp_mem = opts.tcp_mem;
    tcp_mem_source = 'flag';
  } else if (opts.ram_bytes) {
    nr_free = nr_free_buffer_pages_from_ram(opts.ram_bytes);
    tcp_mem = tcp_init_mem(nr_free);
    tcp_mem_source = 'computed_from_ram';
  } else {
    tcp_mem = tcp_mem_of(p);
    tcp_mem_source = p.sysctl.tcp_mem ? 'profile_sysctl' : 'computed_from_profile';
    nr_free = p.sysctl.tcp_mem ? null : p.nr_free_buffer_pages;
  }
  if (scenario.kernel.sysctls['net.ipv4.tcp_mem'] !== undefined && !opts.tcp_mem) {
    notes.push('the workload sets net.ipv4.tcp_mem (VM-only sysctl); the plan uses --tcp-mem or the computed default instead');
  }

  const link = scenario.kernel.link;
  const rtt_ms = link.kind === 'nic' ? link.rtt_ms : scenario.kernel.netem_delay_ms > 0 ? 2 * scenario.kernel.netem_delay_ms : opts.rtt_ms ?? default_rtt_ms;
  if (link.kind !== 'nic' && scenario.kernel.netem_delay_ms === 0 && (opts.rtt_ms === null || opts.rtt_ms === undefined)) {
    notes.push(`the workload's link has no RTT; throughput figures assume ${default_rtt_ms} ms (set --rtt-ms)`);
  }

  const groups: GroupPlan[] = scenario.groups.map((g, i) => {
    const sockets = sides.map((side) => socket_steady_state(p, scenario, g, side));
    const sample = opts.samples?.[g.name];
    const figs = sockets.map((s) => socket_figures(s, sample));
    const prog = g.writer.program;
    const estimated = figs.some((f) => f.peak.method === 'analytic_estimate');
    const peak_concurrency = estimated && prog.kind === 'rate' && prog.stagger ? Math.min(1, prog.messages_per_s * (rtt_ms / 1000)) : 1;
    return {
      peak_concurrency,
      group: g.name,
      share: g.count / scenario.groups.reduce((a, x) => a + x.count, 0),
      connections: counts[i],
      sockets,
      slab_bytes: sockets.reduce((a, s) => a + s.slab_bytes, 0),
      steady_pages: weighted_sum(figs.map((f) => ({ weight: 1, figure: f.steady }))),
      peak_pages: weighted_sum(figs.map((f) => ({ weight: 1, figure: f.peak }))),
      socket_steady_pages: figs.map((f) => f.steady),
      socket_peak_pages: figs.map((f) => f.peak),
    };
  });

  const slab_total: Figure = { value: groups.reduce((a, g) => a + g.connections * g.slab_bytes, 0), method: 'analytic_exact' };
  const steady_pages = weighted_sum(groups.map((g) => ({ weight: g.connections, figure: g.steady_pages })));
  const peak_pages = weighted_sum(groups.map((g) => ({ weight: g.connections * g.peak_concurrency, figure: g.peak_pages })));
  const bytes = (f: Figure): Figure => ({ ...f, value: f.value === null ? null : f.value * page });
  const plus = (a: Figure, b: Figure): Figure => weighted_sum([{ weight: 1, figure: a }, { weight: 1, figure: b }]);
  const per_conn = (f: Figure): Figure => ({ ...f, value: f.value === null || n === 0 ? null : f.value / n });
  const steady_total = plus(slab_total, bytes(steady_pages));
  const peak_total = plus(slab_total, bytes(peak_pages));

  const region = (f: Figure) => (f.value === null ? null : pressure_region(f.value, tcp_mem));
  const per_conn_pages = (f: Figure) => (f.value === null || n === 0 ? null : f.value / n);
  const fit = (f: Figure) => {
    const v = per_conn(f).value;
    return v === null || v <= 0 ? null : Math.floor(ram_bytes / v);
  };

  const result: PlanResult = {
    workload: scenario.name,
    profile_id: p.id,
    connections: n,
    side: opts.side,
    ram: { bytes: ram_bytes, source: ram_source },
    tcp_mem: { pages: tcp_mem, source: tcp_mem_source, nr_free_buffer_pages: nr_free },
    rtt_ms,
    link: scenario.kernel.link,
    ip: scenario.kernel.ip,
    groups,
    totals: {
      slab_bytes: slab_total,
      steady_buffer_bytes: bytes(steady_pages),
      peak_buffer_bytes: bytes(peak_pages),
      steady_total_bytes: steady_total,
      peak_total_bytes: peak_total,
      steady_pages,
      peak_pages,
      per_connection_steady_bytes: per_conn(steady_total),
      per_connection_peak_bytes: per_conn(peak_total),
    },
    pressure: {
      steady_region: region(steady_pages),
      peak_region: region(peak_pages),
      sockstat_lag_pages: sockstat_lag_bound_pages(p),
      steady_crossings: crossings(tcp_mem, per_conn_pages(steady_pages)),
      peak_crossings: crossings(tcp_mem, per_conn_pages(peak_pages)),
    },
    fit: { in_ram_steady: fit(steady_total), in_ram_peak: fit(peak_total) },
    tuning: [],
    notes,
  };
  result.tuning = plan_tuning(p, result);
  return result;
}
