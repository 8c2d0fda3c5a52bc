import type { Run, SocketSample } from '../run_output/run_output';
import type { KernelProfile } from '../profile/kernel_profile';

/**
 * Per-socket buffer figures of one side (client or server) at one sample, averaged over
 * that side's sockets (weights count as that many sockets).
 */
export interface SideFigures {
  /** Weighted number of sockets of this side in the sample. */
  sockets: number;
  /** Mean ss `r` (sk_rmem_alloc, R-3.1), `w` (sk_wmem_queued, R-2.10), `f` (sk_forward_alloc, R-6.2), `t`. */
  r_bytes: number;
  w_bytes: number;
  f_bytes: number;
  t_bytes: number;
  /** Mean pages charged to tcp_mem per socket: ceil((r + w + f) / 4096). */
  pages: number;
}

/** Figures of one sample, per connection (a connection = one client and one server socket). */
export interface SampleFigures {
  t_ms: number;
  /** Sums over both sides divided by the connection count. */
  per_connection: { r_bytes: number; w_bytes: number; f_bytes: number; t_bytes: number; pages: number };
  by_side: { client: SideFigures | null; server: SideFigures | null };
  /** Σ over the run's sockets of ceil((r+w+f)/4096): the pages they hold. */
  sockets_pages: number;
  /** /proc/net/sockstat TCP mem at this sample (global, lagging: R-6.6/6.7); null when not recorded. */
  sockstat_mem_pages: number | null;
}

export interface SlabFigures {
  /** Objects per connection by cache (end-of-run slab deltas / connections); empty when the run has none. */
  objects_per_connection: Record<string, number>;
  /** Bytes per connection (objects × the profile's stride); null without a profile or slab data. */
  bytes_per_connection: number | null;
}

/** What summarize_run says about a run: end-of-run and peak per-connection figures by component. */
export interface RunSummary {
  scenario: string;
  source: Run['meta']['source'];
  profile_id: string | null;
  repeat_index: number;
  /** Σ groups[].count of the scenario. */
  connections: number;
  samples: number;
  /** The last sample. */
  end: SampleFigures;
  /** The sample with the most pages held by the run's sockets (first one on ties). */
  peak: SampleFigures;
  /** Largest per-connection value of each component over all samples (each may come from a different sample). */
  peak_per_connection: { r_bytes: number; w_bytes: number; f_bytes: number; t_bytes: number; pages: number };
  /** Largest mean pages per socket of each side over the samples (null when the side was never sampled). */
  peak_by_side: { client: number | null; server: number | null };
  slab: SlabFigures;
  /** sockstat TCP mem pages at the end and its largest value (null when not recorded). */
  sockstat_mem_pages: { end: number | null; peak: number | null };
  /** TcpExt counters at the last sample (they are recorded as deltas since t = 0). */
  counter_deltas: Record<string, number>;
  /** Σ ss `d` over the sockets at the last sample. */
  drops: number;
}

/** Map from /proc/slabinfo cache names to the profile's slab table. */
const slab_cache_to_profile: Record<string, keyof KernelProfile['slab']> = {
  TCP: 'tcp_sock',
  TCPv6: 'tcp6_sock',
  request_sock_TCP: 'request_sock_tcp',
  request_sock_TCPv6: 'request_sock_tcp6',
  tw_sock_TCP: 'tw_sock_tcp',
  tw_sock_TCPv6: 'tw_sock_tcp6',
  sock_inode_cache: 'sock_inode_cache',
  filp: 'filp',
  dentry: 'dentry',
  eventpoll_epi: 'eventpoll_epi',
  eventpoll_pwq: 'eventpoll_pwq',
  skbuff_head_cache: 'skbuff_head_cache',
  skbuff_fclone_cache: 'skbuff_fclone_cache',
};

/** Bytes per object of a /proc/slabinfo cache under a profile; null when the profile does not know it. */
export function slab_cache_stride_bytes(p: KernelProfile, cache: string): number | null {
  const key = slab_cache_to_profile[cache];
  if (key) return p.slab[key].stride_bytes;
  const direct = (p.slab as Record<string, { stride_bytes: number } | undefined>)[cache];
  if (direct) return direct.stride_bytes;
  if (cache === 'skbuff_small_head') return p.small_head_cache_bytes;
  const m = /^kmalloc-(\d+)(k?)$/.exec(cache);
  if (m) return Number(m[1]) * (m[2] === 'k' ? 1024 : 1);
  return null;
}

/** Pages a socket holds in tcp_mem: ceil((r + w + f) / 4096). Nulls count as 0. */
export function socket_pages(s: Pick<SocketSample, 'r_bytes' | 'w_bytes' | 'f_bytes'>, page_bytes = 4096): number {
  const total = (s.r_bytes ?? 0) + (s.w_bytes ?? 0) + (s.f_bytes ?? 0);
  return Math.ceil(total / page_bytes);
}

function side_figures(rows: readonly SocketSample[]): SideFigures | null {
  let n = 0;
  const sum = { r: 0, w: 0, f: 0, t: 0, pages: 0 };
  for (const s of rows) {
    const k = s.weight;
    n += k;
    sum.r += k * (s.r_bytes ?? 0);
    sum.w += k * (s.w_bytes ?? 0);
    sum.f += k * (s.f_bytes ?? 0);
    sum.t += k * (s.t_bytes ?? 0);
    sum.pages += k * socket_pages(s);
  }
  if (n === 0) return null;
  return { sockets: n, r_bytes: sum.r / n, w_bytes: sum.w / n, f_bytes: sum.f / n, t_bytes: sum.t / n, pages: sum.pages / n };
}

function sample_figures(t_ms: number, rows: readonly SocketSample[], connections: number, sockstat: number | null): SampleFigures {
  const client = side_figures(rows.filter((s) => s.side === 'client'));
  const server = side_figures(rows.filter((s) => s.side === 'server'));
  const total = (f: SideFigures | null, k: keyof Omit<SideFigures, 'sockets'>) => (f ? f[k] * f.sockets : 0);
  const per = (k: keyof Omit<SideFigures, 'sockets'>) => (connections > 0 ? (total(client, k) + total(server, k)) / connections : 0);
  return {
    t_ms,
    per_connection: { r_bytes: per('r_bytes'), w_bytes: per('w_bytes'), f_bytes: per('f_bytes'), t_bytes: per('t_bytes'), pages: per('pages') },
    by_side: { client, server },
    sockets_pages: total(client, 'pages') + total(server, 'pages'),
    sockstat_mem_pages: sockstat,
  };
}

/**
 * Summarizes a run (capture or simulation) into the figures plan, sweep and validation use:
 * end-of-run and peak per-connection buffers by component (r, w, f, pages), slab objects and
 * bytes per connection, sockstat mem, counter deltas and drops. Pure.
 *
 * Kernel: the components are the ss -m skmem fields (section 7), pages per socket are
 * ceil((r + w + f)/4096); sockstat mem is the lagging global counter.
 * Model: a "connection" is one client/server pair; per-connection figures divide sums over both
 * sides by Σ groups[].count. Slab bytes need a profile for the strides (R-1.3 table). With `group`, only that
 * group's sockets and connections count; global figures (sockstat, counters, slab deltas) stay run-wide, so
 * slab per connection is then divided by the whole run's connections.
 */
export function summarize_run(run: Run, opts: { profile?: KernelProfile; group?: string } = {}): RunSummary {
  const groups = opts.group === undefined ? run.meta.scenario.groups : run.meta.scenario.groups.filter((g) => g.name === opts.group);
  if (opts.group !== undefined && groups.length === 0) {
    throw new Error(`summarize_run: no group "${opts.group}" in ${run.meta.scenario.name}; groups: ${run.meta.scenario.groups.map((g) => g.name).join(', ')}`);
  }
  const connections = groups.reduce((a, g) => a + g.count, 0);
  const by_t = new Map<number, SocketSample[]>();
  for (const s of run.sockets) {
    if (opts.group !== undefined && s.group !== opts.group) continue;
    const list = by_t.get(s.t_ms);
    if (list) list.push(s);
    else by_t.set(s.t_ms, [s]);
  }
  const sockstat_at = new Map<number, number | null>();
  for (const g of run.global) sockstat_at.set(g.t_ms, g.values.sockstat_tcp_mem_pages ?? null);
  const times = [...new Set([...by_t.keys(), ...run.global.map((g) => g.t_ms)])].sort((a, b) => a - b);
  if (times.length === 0) throw new Error(`summarize_run: run of ${run.meta.scenario.name} has no samples`);

  const figures = times.map((t) => sample_figures(t, by_t.get(t) ?? [], connections, sockstat_at.get(t) ?? null));
  const end = figures[figures.length - 1];
  let peak = figures[0];
  for (const f of figures) if (f.sockets_pages > peak.sockets_pages) peak = f;
  const peak_per_connection = { r_bytes: 0, w_bytes: 0, f_bytes: 0, t_bytes: 0, pages: 0 };
  for (const f of figures) {
    for (const k of Object.keys(peak_per_connection) as (keyof typeof peak_per_connection)[]) {
      peak_per_connection[k] = Math.max(peak_per_connection[k], f.per_connection[k]);
    }
  }

  const peak_by_side: RunSummary['peak_by_side'] = { client: null, server: null };
  for (const f of figures) {
    for (const side of ['client', 'server'] as const) {
      const v = f.by_side[side]?.pages;
      if (v !== undefined) peak_by_side[side] = Math.max(peak_by_side[side] ?? 0, v);
    }
  }

  const last_global = run.global.length > 0 ? run.global[run.global.length - 1] : null;
  const objects_per_connection: Record<string, number> = {};
  let slab_bytes: number | null = null;
  const run_connections = run.meta.scenario.groups.reduce((a, g) => a + g.count, 0);
  if (last_global && run_connections > 0) {
    let bytes = 0;
    let known = true;
    for (const cache of run.meta.slab_caches) {
      const v = last_global.values[`slab_${cache}_objs`];
      if (v === null || v === undefined) continue;
      objects_per_connection[cache] = v / run_connections;
      const stride = opts.profile ? slab_cache_stride_bytes(opts.profile, cache) : null;
      if (stride === null) known = false;
      else bytes += (v / run_connections) * stride;
    }
    if (opts.profile && known && Object.keys(objects_per_connection).length > 0) slab_bytes = bytes;
  }

  const counter_deltas: Record<string, number> = {};
  if (last_global) {
    for (const c of run.meta.counters) {
      const v = last_global.values[`counter_${c}_count`];
      if (v !== null && v !== undefined) counter_deltas[c] = v;
    }
  }
  const sockstat_values = run.global.map((g) => g.values.sockstat_tcp_mem_pages).filter((v): v is number => typeof v === 'number');
  const end_rows = by_t.get(end.t_ms) ?? [];
  return {
    scenario: run.meta.scenario.name,
    source: run.meta.source,
    profile_id: run.meta.profile_id,
    repeat_index: run.meta.repeat_index,
    connections,
    samples: times.length,
    end,
    peak,
    peak_per_connection,
    peak_by_side,
    slab: { objects_per_connection, bytes_per_connection: slab_bytes },
    sockstat_mem_pages: {
      end: end.sockstat_mem_pages,
      peak: sockstat_values.length > 0 ? sockstat_values.reduce((a, b) => Math.max(a, b)) : null,
    },
    counter_deltas,
    drops: end_rows.reduce((a, s) => a + s.weight * (s.d_count ?? 0), 0),
  };
}
