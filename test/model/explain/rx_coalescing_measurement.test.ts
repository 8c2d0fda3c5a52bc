import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { explain_connections, type CoalescingMode } from '../../../model/explain';
import { get_builtin_profile } from '../../../model/profile';

/**
 * `tcpmem explain --unread-bytes` against the kernel: data/measurements/rx-coalescing-2026-11-25.json holds ss skmem
 * r of a never-reading IPv4 loopback receiver after N TCP_NODELAY writes of S bytes, 3 runs per case (method in the
 * file; scripts/rx-coalescing/measure.py).
 */
interface Run { writes: number; write_bytes: number; spacing_ms: number; skmem_r: number }
const runs = (JSON.parse(readFileSync(join(__dirname, '../../../data/measurements/rx-coalescing-2026-11-25.json'), 'utf8')) as { runs: Run[] }).runs;
const p = get_builtin_profile('6.18.44-reference');
const model = (r: Run, coalescing: CoalescingMode) =>
  explain_connections(p, {
    connections: 1, state: 'established', side: 'server', link: 'loopback', ip: 'ipv4', epoll: false,
    unread_bytes: r.writes * r.write_bytes, segment_bytes: r.write_bytes, coalescing, unsent_bytes: 0, unacked_bytes: 0,
  }).per_connection.buffer_truesize_bytes;
const cases = (pred: (r: Run) => boolean) => runs.filter(pred);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

describe('receive-queue truesize of unread writes: model vs kernel (R-4.9, R-4.10)', () => {
  it('has 36 runs', () => expect(runs.length).toBe(36));

  it("matches 'all' for 1-byte writes 10 and 50 ms apart (median of 3 runs: 6 × 832 + 100 = 5092)", () => {
    for (const ms of [10, 50]) {
      const rs = cases((r) => r.writes === 100 && r.write_bytes === 1 && r.spacing_ms === ms);
      expect(median(rs.map((r) => r.skmem_r))).toBe(model(rs[0], 'all'));
    }
  });

  it("matches 'quickack' for a back-to-back burst of 20 one-byte writes (3 of 3 runs: 849 + 3 × 833 = 3348)", () => {
    for (const r of cases((r) => r.writes === 20 && r.write_bytes === 1 && r.spacing_ms === 0)) expect(r.skmem_r).toBe(model(r, 'quickack'));
  });

  it("brackets every run between 'all' (lower bound) and 'none' (upper bound)", () => {
    for (const r of runs) {
      expect(r.skmem_r).toBeGreaterThanOrEqual(model(r, 'all'));
      expect(r.skmem_r).toBeLessThanOrEqual(model(r, 'none'));
    }
  });

  // Known miss: longer back-to-back bursts. The kernel levels off at 19 skbs for 40 and 100 one-byte writes
  // because the cwnd-limited sender merges later writes into one unsent skb; 'quickack' predicts
  // 24 and 84 skbs. Modelling that needs the sender's cwnd and ACK timing (tcpmem simulate).
  it.fails("matches 'quickack' for back-to-back bursts of 40 and 100 one-byte writes", () => {
    for (const r of cases((r) => r.write_bytes === 1 && r.spacing_ms === 0 && r.writes > 20)) expect(r.skmem_r).toBe(model(r, 'quickack'));
  });
});
