import { describe, expect, it } from 'vitest';
import { last_row, one_group, run } from './helpers';

const push = (count: number, stagger: boolean) =>
  one_group(
    {
      count,
      writer: { program: { kind: 'rate', size_bytes: 512, messages_per_s: 10, stagger } },
      reader: { kind: 'never' },
    },
    { sampling: { interval_ms: 250, duration_ms: 1000 } },
  );

describe('simulate: determinism and weighting', () => {
  it('gives byte-identical runs for the same scenario', () => {
    const a = run(push(50, true));
    const b = run(push(50, true));
    expect(JSON.stringify(a.run)).toBe(JSON.stringify(b.run));
    expect(a.events).toBe(b.events);
  });

  it('simulates a group whose connections are identical once, as one row of weight count', () => {
    // Unstaggered: every connection gets the same writes at the same times → one simulated
    // connection (meta.sim.socket_classes 1) whose rows carry weight 1000, with the very numbers of a
    // lone connection.
    const many = run(push(1000, false));
    const one = run(push(1, false));
    expect(many.run.meta.sim?.socket_classes).toBe(1);
    const m = last_row(many, 'server');
    const o = last_row(one, 'server');
    expect(m.weight).toBe(1000);
    expect({ ...m, weight: 1 }).toEqual(o);
  });

  it('simulates staggered writers one by one and merges only rows that are identical', () => {
    // 10 messages/s staggered over the 100 ms period: connection i writes at 2i + 100k ms. A sample
    // shows the state before the events of its own instant. At t = 250: connections with 2i + 200 < 250
    // (i < 25) have 3 messages (1536 B), the 25 others 2 (1024 B); weights sum to 50 in 2 rows.
    const r = run(push(50, true));
    expect(r.run.meta.sim?.socket_classes).toBe(50);
    const servers = r.run.sockets.filter((x) => x.t_ms === 250 && x.side === 'server');
    expect(servers.reduce((a, x) => a + x.weight, 0)).toBe(50);
    const by_q = new Map<number, number>();
    for (const x of servers) by_q.set(x.recv_q_bytes as number, (by_q.get(x.recv_q_bytes as number) ?? 0) + x.weight);
    expect(Object.fromEntries(by_q)).toEqual({ 1024: 25, 1536: 25 });
    expect(servers.length).toBe(2);
  });
});
