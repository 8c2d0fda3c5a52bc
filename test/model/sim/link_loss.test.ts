import { describe, expect, it } from 'vitest';
import { link_drops_segment } from '../../../model/sim/link_loss';
import { Mulberry32 } from '../../../model/random/mulberry32';
import type { SimContext } from '../../../model/sim/sim_context';
import type { LossSpec } from '../../../model/scenario/scenario_schema';
import { one_group, run } from './helpers';

/** The two fields link_drops_segment reads. */
function ctx_with(seed: number): SimContext {
  return { loss_segments: new Float64Array(2), loss_rng: new Mulberry32(seed) } as unknown as SimContext;
}
function drops(spec: LossSpec, sender: number, n: number, seed = 1): number[] {
  const ctx = ctx_with(seed);
  const out: number[] = [];
  for (let i = 1; i <= n; i++) if (link_drops_segment(ctx, sender, spec)) out.push(i);
  return out;
}

describe('link loss (link_loss.ts)', () => {
  it('drops every n-th data segment of the chosen direction and none of the other', () => {
    // socket 0 is a client: its segments go to the server
    expect(drops({ kind: 'deterministic', direction: 'to_server', every_n: 3 }, 0, 10)).toEqual([3, 6, 9]);
    expect(drops({ kind: 'deterministic', direction: 'to_server', every_n: 3 }, 1, 10)).toEqual([]);
    expect(drops({ kind: 'deterministic', direction: 'to_client', at: [2, 5] }, 1, 10)).toEqual([2, 5]);
  });

  it('draws random drops from the seed: the same seed gives the same drops, another seed others', () => {
    const spec: LossSpec = { kind: 'random', direction: 'to_server', probability: 0.1 };
    const a = drops(spec, 0, 2000, 7);
    expect(drops(spec, 0, 2000, 7)).toEqual(a);
    expect(drops(spec, 0, 2000, 8)).not.toEqual(a);
    // Binomial(2000, 0.1): mean 200, sd 13.4; ±5 sd
    expect(a.length).toBeGreaterThan(133);
    expect(a.length).toBeLessThan(267);
  });

  it('counts retransmissions as data segments', () => {
    // 4 spaced 10-byte writes, every 3rd data segment to the server lost: #3 (write 3) is lost; write 4 (#4)
    // arrives out of order, its SACK makes RACK retransmit write 3 as #5, which gets through: Recv-Q 40,
    // one fast retransmit. (With every 2nd lost, #4 would be the retransmission and be lost too.)
    const res = run(
      one_group(
        { writer_sockopts: { tcp_nodelay: true }, writer: { program: { kind: 'writes', steps: [{ size_bytes: 10, count: 4, spacing_ms: 5 }] } } },
        { kernel: { loss: { kind: 'deterministic', direction: 'to_server', every_n: 3 } }, sampling: { interval_ms: 50, duration_ms: 50 } },
      ),
    );
    const g = res.run.global[res.run.global.length - 1].values;
    expect(g.counter_TCPFastRetrans_count).toBe(1);
    expect(g.counter_TCPOFOQueue_count).toBe(1);
    expect(res.run.sockets.find((x) => x.t_ms === 50 && x.side === 'server')!.recv_q_bytes).toBe(40);
  });
});
