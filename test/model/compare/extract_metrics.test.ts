import { describe, expect, it } from 'vitest';
import { extract_metrics } from '../../../model/compare/extract_metrics';
import { socket_row, synthetic_run, synthetic_scenario } from './synthetic_run';

const find = (ms: ReturnType<typeof extract_metrics>, metric: string, subject: string) =>
  ms.find((m) => m.metric === metric && m.subject === subject);

describe('extract_metrics', () => {
  it('averages a per-socket column over a group and side, weighting rows by the sockets they stand for', () => {
    // rows r=100 (weight 1) and r=200 (weight 3): (100 + 600) / 4 = 175.
    const sc = synthetic_scenario();
    const run = synthetic_run(
      sc,
      [
        socket_row({ t_ms: 0, side: 'server', r_bytes: 100, weight: 1 }),
        socket_row({ t_ms: 0, side: 'server', r_bytes: 200, weight: 3, conn: 1 }),
      ],
      [],
    );
    const r = find(extract_metrics(run, sc), 'skmem_r', 'g/server');
    expect(r?.end).toBe(175);
    expect(r?.series).toEqual([[0, 175]]);
  });

  it('leaves listening sockets out of the per-socket means', () => {
    const sc = synthetic_scenario();
    const run = synthetic_run(
      sc,
      [
        socket_row({ t_ms: 0, side: 'server', rb_bytes: 131072, state: 'LISTEN' }),
        socket_row({ t_ms: 0, side: 'server', rb_bytes: 4608 }),
      ],
      [],
    );
    expect(find(extract_metrics(run, sc), 'skmem_rb', 'g/server')?.end).toBe(4608);
  });

  it('derives the truesize charged per written segment from the reader\'s r and recv_q', () => {
    // 17 spaced 1-byte writes on lo → 833 + 16 × 1 = 849 bytes of r for 17 bytes queued;
    // per 1-byte segment: 849 × 1 / 17 = 49.94 bytes.
    const sc = synthetic_scenario();
    const run = synthetic_run(sc, [socket_row({ t_ms: 100, side: 'server', r_bytes: 849, recv_q_bytes: 17 })], []);
    expect(find(extract_metrics(run, sc), 'truesize_per_segment', 'g/server')?.end).toBeCloseTo(849 / 17, 12);
  });

  it('divides pages and slab objects by the scenario\'s connection count and takes sockstat mem as a delta', () => {
    // 2 connections: sockets_pages 6 → 3 pages/conn; slab TCP +4 objects → 2 per connection;
    // sockstat mem 1000 → 1010 pages: delta 10.
    const sc = synthetic_scenario();
    const run = synthetic_run(
      sc,
      [],
      [
        { t_ms: 0, values: { sockets_pages: 0, sockstat_tcp_mem_pages: 1000, slab_TCP_objs: 0, counter_TCPRcvCoalesce_count: 0 } },
        { t_ms: 100, values: { sockets_pages: 6, sockstat_tcp_mem_pages: 1010, slab_TCP_objs: 4, counter_TCPRcvCoalesce_count: 16 } },
      ],
      { counters: ['TCPRcvCoalesce'], slab_caches: ['TCP'] },
    );
    const ms = extract_metrics(run, sc);
    expect(find(ms, 'pages_per_connection', 'all')?.end).toBe(3);
    expect(find(ms, 'slab_per_connection', 'TCP')?.end).toBe(2);
    expect(find(ms, 'sockstat_mem_pages', 'all (delta since first sample)')?.end).toBe(10);
    expect(find(ms, 'counter_deltas', 'TCPRcvCoalesce')?.end).toBe(16);
  });

  it('finds the first sample under memory pressure as the onset', () => {
    const sc = synthetic_scenario();
    const run = synthetic_run(sc, [], [
      { t_ms: 0, values: { tcp_memory_pressure: 0 } },
      { t_ms: 100, values: { tcp_memory_pressure: 1 } },
      { t_ms: 200, values: { tcp_memory_pressure: 1 } },
    ]);
    expect(find(extract_metrics(run, sc), 'pressure_onset', 'all')?.end).toBe(100);
  });
});
