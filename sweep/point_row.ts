import { recorded_counters } from '../model/run_output/run_output';
import type { RunSummary } from '../model/summary/run_summary';
import type { Scenario } from '../model/scenario';
import type { SweepEngine } from './sweep_schema';

/** Metric columns every sweep row has, in CSV order (null where the engine does not produce it). */
export const metric_columns = [
  'connections',
  'end_pages_per_conn',
  'peak_pages_per_conn',
  'max_pages_per_conn',
  'end_r_bytes_per_conn',
  'end_w_bytes_per_conn',
  'end_f_bytes_per_conn',
  'max_r_bytes_per_conn',
  'max_w_bytes_per_conn',
  'max_f_bytes_per_conn',
  'server_end_pages',
  'server_peak_pages',
  'client_end_pages',
  'client_peak_pages',
  'slab_bytes_per_conn',
  'sockets_pages_end',
  'sockets_pages_peak',
  'sockstat_mem_pages_end',
  'sockstat_mem_pages_peak',
  'drops',
  'sim_events',
  'sim_peak_state_bytes',
  ...recorded_counters.map((c) => `counter_${c}`),
] as const;
export type MetricColumn = (typeof metric_columns)[number];
export type PointMetrics = Partial<Record<MetricColumn, number | null>>;

/** The work one point needs: what the worker receives. */
export interface PointTask {
  index: number;
  id: string;
  engine: SweepEngine;
  profile_id: string;
  scenario: Scenario;
  /** Tests and plug-ins: a CommonJS module exporting `run_point(task)` used instead of the engine. */
  runner_module?: string;
}

/** One finished point: a line of points.jsonl and a row of points.csv. */
export interface PointRow {
  index: number;
  id: string;
  profile: string;
  params: Record<string, unknown>;
  metrics: Record<MetricColumn, number | null>;
  /** The exact scenario the point ran. */
  scenario: Scenario;
}

/** Flattens a run summary into the metric columns (pages per connection, per side, counters...). */
export function metrics_from_summary(s: RunSummary, sim?: { events: number; peak_state_bytes: number }): PointMetrics {
  const m: PointMetrics = {
    connections: s.connections,
    end_pages_per_conn: s.end.per_connection.pages,
    peak_pages_per_conn: s.peak.per_connection.pages,
    max_pages_per_conn: s.peak_per_connection.pages,
    end_r_bytes_per_conn: s.end.per_connection.r_bytes,
    end_w_bytes_per_conn: s.end.per_connection.w_bytes,
    end_f_bytes_per_conn: s.end.per_connection.f_bytes,
    max_r_bytes_per_conn: s.peak_per_connection.r_bytes,
    max_w_bytes_per_conn: s.peak_per_connection.w_bytes,
    max_f_bytes_per_conn: s.peak_per_connection.f_bytes,
    server_end_pages: s.end.by_side.server?.pages ?? null,
    server_peak_pages: s.peak.by_side.server?.pages ?? null,
    client_end_pages: s.end.by_side.client?.pages ?? null,
    client_peak_pages: s.peak.by_side.client?.pages ?? null,
    slab_bytes_per_conn: s.slab.bytes_per_connection,
    sockets_pages_end: s.end.sockets_pages,
    sockets_pages_peak: s.peak.sockets_pages,
    sockstat_mem_pages_end: s.sockstat_mem_pages.end,
    sockstat_mem_pages_peak: s.sockstat_mem_pages.peak,
    drops: s.drops,
    sim_events: sim?.events ?? null,
    sim_peak_state_bytes: sim?.peak_state_bytes ?? null,
  };
  for (const c of recorded_counters) m[`counter_${c}`] = s.counter_deltas[c] ?? null;
  return m;
}

/** Every metric column present (missing ones null), in column order, numbers only. */
export function complete_metrics(m: PointMetrics, where: string): Record<MetricColumn, number | null> {
  const out = {} as Record<MetricColumn, number | null>;
  for (const c of metric_columns) {
    const v = m[c];
    if (v !== undefined && v !== null && (typeof v !== 'number' || !Number.isFinite(v))) {
      throw new Error(`${where}: metric ${c} is ${JSON.stringify(v)}, not a finite number`);
    }
    out[c] = v ?? null;
  }
  return out;
}
