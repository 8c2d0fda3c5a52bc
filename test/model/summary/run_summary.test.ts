import { describe, expect, it } from 'vitest';
import { summarize_run, socket_pages, slab_cache_stride_bytes } from '../../../model/summary';
import { get_builtin_profile } from '../../../model/profile';
import { parse_scenario } from '../../../model/scenario';
import type { Run, SocketSample } from '../../../model/run_output';

const p = get_builtin_profile('6.18.44-reference');

const scenario = parse_scenario(
  {
    format: 'tcpmem-scenario/1',
    name: 'hand-made',
    kernel: {},
    groups: [
      { name: 'a', count: 2, writer: { program: { kind: 'none' } }, reader: { kind: 'never' } },
      { name: 'b', count: 1, writer: { program: { kind: 'none' } }, reader: { kind: 'never' } },
    ],
    sampling: { interval_ms: 100, duration_ms: 200 },
  },
  'simulate',
);

function sock(t_ms: number, group: string, conn: number, side: 'client' | 'server', r: number, w: number, f: number, weight = 1, d = 0): SocketSample {
  const nulls = Object.fromEntries(
    ['t_bytes', 'rb_bytes', 'tb_bytes', 'o_bytes', 'bl_bytes', 'recv_q_bytes', 'send_q_bytes', 'notsent_bytes', 'rcv_space_bytes', 'rcv_ssthresh_bytes', 'snd_wnd_bytes', 'rcv_wnd_bytes', 'cwnd_segs', 'mss_bytes', 'advmss_bytes', 'rcv_mss_bytes', 'unacked_segs', 'bytes_received', 'bytes_acked', 'bytes_written', 'bytes_read'].map((k) => [k, null]),
  );
  return { ...nulls, t_ms, group, conn, side, state: 'ESTAB', weight, r_bytes: r, w_bytes: w, f_bytes: f, d_count: d } as SocketSample;
}

// Three connections (a: 2, b: 1), two samples. Hand-derived expectations are next to each assertion.
const run: Run = {
  meta: {
    format: 'tcpmem-run/1',
    source: 'kernel',
    scenario,
    scenario_file: null,
    kernel_release: 'test',
    profile_id: null,
    sysctls: {},
    tool_version: 'test',
    host: { cpus: 2, mem_total_bytes: null, machine: null },
    started_at: null,
    wall_ms: null,
    repeat_index: 0,
    counters: ['TCPRcvCoalesce'],
    slab_caches: ['TCP', 'filp'],
    notes: [],
  },
  sockets: [
    // t=0: server sockets of group a hold one unread 512-byte message each: r = 832 + 512 = 1344, f = 4096 − 1344 = 2752.
    sock(0, 'a', 0, 'server', 1344, 0, 2752, 2),
    sock(0, 'a', 0, 'client', 0, 0, 0, 2),
    sock(0, 'b', 0, 'server', 0, 0, 0),
    sock(0, 'b', 0, 'client', 0, 1344, 2752),
    // t=100: group a's servers got a second message (r = 2688, f = 1408: still 1 page); b's client is acked (all 0).
    sock(100, 'a', 0, 'server', 2688, 0, 1408, 2, 1),
    sock(100, 'a', 0, 'client', 0, 0, 0, 2),
    sock(100, 'b', 0, 'server', 0, 0, 0),
    sock(100, 'b', 0, 'client', 0, 0, 0),
  ],
  global: [
    { t_ms: 0, values: { sockstat_tcp_mem_pages: 3, counter_TCPRcvCoalesce_count: 0, slab_TCP_objs: 6, slab_filp_objs: 6 } },
    { t_ms: 100, values: { sockstat_tcp_mem_pages: 2, counter_TCPRcvCoalesce_count: 2, slab_TCP_objs: 6, slab_filp_objs: 6 } },
  ],
};

describe('summarize_run', () => {
  it('counts pages per socket as ceil((r + w + f) / 4096) (R-6.2)', () => {
    expect(socket_pages({ r_bytes: 1344, w_bytes: 0, f_bytes: 2752 })).toBe(1);
    expect(socket_pages({ r_bytes: 4097, w_bytes: 0, f_bytes: 0 })).toBe(2);
    expect(socket_pages({ r_bytes: null, w_bytes: null, f_bytes: null })).toBe(0);
  });

  it('divides both sides by the connection count of the scenario', () => {
    const s = summarize_run(run);
    expect(s.connections).toBe(3);
    // t=0: pages = 2 (a servers, weight 2) + 1 (b client) = 3 → 1 per connection.
    expect(s.peak.t_ms).toBe(0);
    expect(s.peak.sockets_pages).toBe(3);
    expect(s.peak.per_connection.pages).toBe(1);
    // t=100 (end): 2 pages / 3 connections; r = 2 × 2688 / 3 = 1792.
    expect(s.end.t_ms).toBe(100);
    expect(s.end.per_connection.pages).toBeCloseTo(2 / 3, 12);
    expect(s.end.per_connection.r_bytes).toBe(1792);
  });

  it('gives per-side means weighted by the rows\' weights', () => {
    const s = summarize_run(run);
    // t=0 servers: (2 × 1 page + 1 × 0) / 3 sockets; clients: (0 + 1) / 3.
    expect(s.peak.by_side.server?.sockets).toBe(3);
    expect(s.peak.by_side.server?.pages).toBeCloseTo(2 / 3, 12);
    expect(s.peak.by_side.client?.pages).toBeCloseTo(1 / 3, 12);
    expect(s.peak_by_side.server).toBeCloseTo(2 / 3, 12);
  });

  it('takes each component\'s largest per-connection value over the samples', () => {
    const s = summarize_run(run);
    expect(s.peak_per_connection.r_bytes).toBe(1792); // t=100
    expect(s.peak_per_connection.w_bytes).toBe(448); // t=0: 1344 / 3
  });

  it('reports counters, sockstat and drops of the last sample', () => {
    const s = summarize_run(run);
    expect(s.counter_deltas).toEqual({ TCPRcvCoalesce: 2 });
    expect(s.sockstat_mem_pages).toEqual({ end: 2, peak: 3 });
    expect(s.drops).toBe(2); // d = 1 on a row of weight 2
  });

  it('turns slab deltas into objects and bytes per connection with the profile strides (R-1.3)', () => {
    const s = summarize_run(run, { profile: p });
    expect(s.slab.objects_per_connection).toEqual({ TCP: 2, filp: 2 });
    // TCP stride 2368, filp 192 on the 6.18 reference (R-1.3 table): 2 × 2368 + 2 × 192 = 5120.
    expect(s.slab.bytes_per_connection).toBe(5120);
    expect(summarize_run(run).slab.bytes_per_connection).toBeNull();
  });

  it('restricts sockets and connections to one group when asked', () => {
    const s = summarize_run(run, { group: 'a' });
    expect(s.connections).toBe(2);
    expect(s.end.by_side.server?.pages).toBe(1);
    expect(s.end.per_connection.pages).toBe(1);
    expect(() => summarize_run(run, { group: 'zzz' })).toThrow(/groups: a, b/);
  });

  it('knows the kmalloc and small-head strides by name', () => {
    expect(slab_cache_stride_bytes(p, 'kmalloc-2k')).toBe(2048);
    expect(slab_cache_stride_bytes(p, 'skbuff_small_head')).toBe(576);
    expect(slab_cache_stride_bytes(get_builtin_profile('debian-6.1.192-amd64'), 'skbuff_small_head')).toBeNull();
  });
});
