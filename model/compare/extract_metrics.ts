import type { Run, SocketSample } from '../run_output/run_output';
import type { MetricName, Scenario } from '../scenario/scenario_schema';
import type { MetricSeries } from './comparison_types';

/** Per-socket metrics and the sockets.csv column each one reads (ss -tmi fields, section 7). */
export const socket_metric_columns = {
  skmem_r: 'r_bytes',
  skmem_rb: 'rb_bytes',
  skmem_t: 't_bytes',
  skmem_tb: 'tb_bytes',
  skmem_f: 'f_bytes',
  skmem_w: 'w_bytes',
  skmem_d: 'd_count',
  recv_q: 'recv_q_bytes',
  send_q: 'send_q_bytes',
  rcv_ssthresh: 'rcv_ssthresh_bytes',
  rcv_space: 'rcv_space_bytes',
  /** Receiver RTT estimate (tcpi_rcv_rtt, R-5.17): shown side by side, no scenario declares a tolerance (not judged). */
  rcv_rtt: 'rcv_rtt_ms',
  snd_wnd: 'snd_wnd_bytes',
  rcv_wnd: 'rcv_wnd_bytes',
  cwnd: 'cwnd_segs',
} as const satisfies Partial<Record<MetricName, keyof SocketSample>>;

type SocketMetric = keyof typeof socket_metric_columns;

function unit_of(column: string): string {
  if (column.endsWith('_bytes')) return 'bytes';
  if (column.endsWith('_segs')) return 'segs';
  if (column.endsWith('_ms')) return 'ms';
  return 'count';
}

/** Total connections the scenario opens (one client and one server socket each). */
export function connection_count(scenario: Scenario): number {
  return scenario.groups.reduce((a, g) => a + g.count, 0);
}

/** The side that reads in a group: the peer of the writer. */
export function reader_side(group: Scenario['groups'][number]): 'client' | 'server' {
  return group.writer.side === 'client' ? 'server' : 'client';
}

/** The one write size of a group's writer program, or null when writes have several sizes. */
export function single_write_size_bytes(group: Scenario['groups'][number]): number | null {
  const p = group.writer.program;
  if (p.kind === 'none') return null;
  if (p.kind === 'writes') {
    const sizes = new Set(p.steps.map((s) => s.size_bytes));
    return sizes.size === 1 ? p.steps[0].size_bytes : null;
  }
  return p.size_bytes;
}

/** Weighted mean of a column over socket rows (weight = identical sockets a row stands for). */
function weighted_mean(rows: SocketSample[], column: keyof SocketSample): number | null {
  let sum = 0;
  let weight = 0;
  for (const r of rows) {
    const v = r[column];
    if (typeof v !== 'number' || !Number.isFinite(v)) continue;
    const w = typeof r.weight === 'number' && r.weight > 0 ? r.weight : 1;
    sum += v * w;
    weight += w;
  }
  return weight === 0 ? null : sum / weight;
}

function weighted_sum(rows: SocketSample[], column: keyof SocketSample): number | null {
  let sum = 0;
  let seen = false;
  for (const r of rows) {
    const v = r[column];
    if (typeof v !== 'number' || !Number.isFinite(v)) continue;
    const w = typeof r.weight === 'number' && r.weight > 0 ? r.weight : 1;
    sum += v * w;
    seen = true;
  }
  return seen ? sum : null;
}

function finish(key: Omit<MetricSeries, 'end' | 'series'>, series: Array<[number, number | null]>): MetricSeries {
  const known = series.filter((p): p is [number, number] => p[1] !== null && Number.isFinite(p[1]));
  const last = series.length > 0 ? series[series.length - 1][1] : null;
  return { ...key, end: last, series: known };
}

/**
 * Every comparable quantity of a run, as end value and time series. Per-socket metrics are
 * weighted means over the non-listening sockets of one group and side at each sample;
 * global ones come from global.csv. Derived metrics:
 * - pages_per_connection = sockets_pages / connections (R-6.2: ceil((r+w+f)/4096) per socket);
 * - slab_per_connection = slab object delta / connections, per cache (section 1.3);
 * - sockstat_mem_pages = sockstat TCP mem − its value at the first sample (R-6.7: global, lagging);
 * - truesize_per_segment = reader r × write size / reader recv_q (charged bytes per written
 *   segment; only for groups with a single write size and queued data);
 * - autotune_rcvbuf = the reader's rb; drops = Σ d over all sockets;
 * - pressure_onset = first sample time with tcp_memory_pressure > 0.
 */
export function extract_metrics(run: Run, scenario: Scenario): MetricSeries[] {
  const out: MetricSeries[] = [];
  const by_time = new Map<number, SocketSample[]>();
  for (const s of run.sockets) {
    if (s.state === 'LISTEN') continue;
    const list = by_time.get(s.t_ms);
    if (list) list.push(s);
    else by_time.set(s.t_ms, [s]);
  }
  const times = [...by_time.keys()].sort((a, b) => a - b);

  for (const g of scenario.groups) {
    for (const side of ['client', 'server'] as const) {
      const rows_at = times.map((t) => [t, by_time.get(t)!.filter((s) => s.group === g.name && s.side === side)] as const);
      for (const metric of Object.keys(socket_metric_columns) as SocketMetric[]) {
        const column = socket_metric_columns[metric];
        out.push(
          finish(
            { metric, subject: `${g.name}/${side}`, unit: unit_of(column) },
            rows_at.map(([t, rows]) => [t, weighted_mean(rows, column)]),
          ),
        );
      }
      if (side === reader_side(g)) {
        out.push(
          finish(
            { metric: 'autotune_rcvbuf', subject: `${g.name}/${side}`, unit: 'bytes' },
            rows_at.map(([t, rows]) => [t, weighted_mean(rows, 'rb_bytes')]),
          ),
        );
        const size = single_write_size_bytes(g);
        if (size !== null) {
          out.push(
            finish(
              { metric: 'truesize_per_segment', subject: `${g.name}/${side}`, unit: 'bytes' },
              rows_at.map(([t, rows]) => {
                const r = weighted_mean(rows, 'r_bytes');
                const q = weighted_mean(rows, 'recv_q_bytes');
                return [t, r !== null && q !== null && q > 0 ? (r * size) / q : null];
              }),
            ),
          );
        }
      }
    }
  }
  out.push(
    finish(
      { metric: 'drops', subject: 'all', unit: 'count' },
      times.map((t) => [t, weighted_sum(by_time.get(t)!, 'd_count')]),
    ),
  );

  const conns = connection_count(scenario);
  const col = (name: string): Array<[number, number | null]> =>
    run.global.map((g) => [g.t_ms, g.values[name] ?? null]);
  const per_conn = (name: string): Array<[number, number | null]> =>
    col(name).map(([t, v]) => [t, v === null ? null : v / conns]);

  out.push(finish({ metric: 'pages_per_connection', subject: 'all', unit: 'pages/conn' }, per_conn('sockets_pages')));
  const mem = col('sockstat_tcp_mem_pages');
  const mem0 = mem.find(([, v]) => v !== null)?.[1] ?? null;
  out.push(
    finish(
      { metric: 'sockstat_mem_pages', subject: 'all (delta since first sample)', unit: 'pages' },
      mem.map(([t, v]) => [t, v === null || mem0 === null ? null : v - mem0]),
    ),
  );
  out.push(finish({ metric: 'memcg_tcp_usage', subject: 'all', unit: 'bytes' }, col('memcg_tcp_usage_bytes')));
  for (const c of run.meta.counters) {
    out.push(finish({ metric: 'counter_deltas', subject: c, unit: 'count' }, col(`counter_${c}_count`)));
  }
  for (const c of run.meta.slab_caches) {
    out.push(finish({ metric: 'slab_per_connection', subject: c, unit: 'objs/conn' }, per_conn(`slab_${c}_objs`)));
  }
  const pressure = run.global.find((g) => (g.values['tcp_memory_pressure'] ?? 0) > 0);
  const onset: MetricSeries = {
    metric: 'pressure_onset',
    subject: 'all',
    unit: 'ms',
    end: pressure ? pressure.t_ms : null,
    series: [],
  };
  out.push(onset);
  return out;
}
