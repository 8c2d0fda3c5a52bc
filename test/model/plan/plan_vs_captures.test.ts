import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { read_run_dir } from '../../../io/run_dir';
import { get_builtin_profile } from '../../../model/profile';
import { summarize_run } from '../../../model/summary';
import { plan_workload, socket_steady_state } from '../../../model/plan';
import type { Scenario } from '../../../model/scenario';

// Plan's exact figures (idle slab and buffers, one unread message) against the committed kernel captures
// (data/captures/<name>/r0..r2, taken on the 6.18.44 reference host with `tcpmem capture`). Tolerances are the
// ones each capture's scenario declares (data/scenarios/*.json → tolerances, justified in data/README.md).
const captures = path.join(__dirname, '..', '..', '..', 'data', 'captures');
const p = get_builtin_profile('6.18.44-reference');
const repeats = (name: string) => ['r0', 'r1', 'r2'].map((r) => path.join(captures, name, r)).filter((d) => fs.existsSync(path.join(d, 'meta.json')));
const have = (name: string) => repeats(name).length > 0;

describe.skipIf(!have('unread-message'))('plan vs capture: one unread message', () => {
  const runs = repeats('unread-message').map(read_run_dir);
  const scenario: Scenario = runs[0].meta.scenario;

  for (const g of scenario.groups) {
    it(`holds the measured pages and r for group ${g.name} in every repeat (tolerance abs 0)`, () => {
      const planned = socket_steady_state(p, scenario, g, 'server');
      expect(planned.steady_pages.method).toBe('analytic_exact');
      for (const run of runs) {
        const s = summarize_run(run, { group: g.name });
        expect(s.end.by_side.server?.pages).toBe(planned.steady_pages.value);
        expect(s.end.by_side.server?.r_bytes).toBe(planned.message_truesize_bytes);
        expect(s.end.by_side.client?.pages).toBe(0); // the sender's skb was ACKed and freed
      }
    });
  }

  it('gives the measured buffer total for the whole capture', () => {
    const plan = plan_workload(p, scenario, { connections: scenario.groups.reduce((a, g) => a + g.count, 0), side: 'both' });
    for (const run of runs) {
      const s = summarize_run(run);
      expect(s.end.sockets_pages).toBe(plan.totals.steady_pages.value);
    }
  });
});

/** Plan's slab objects per connection pair, in /proc/slabinfo cache names (eventpoll_epi is merged with the bind buckets, R-1.3). */
function planned_objects(scenario: Scenario): Record<string, number> {
  const plan = plan_workload(p, scenario, { connections: scenario.groups[0].count, side: 'both' });
  const out: Record<string, number> = {};
  for (const s of plan.groups[0].sockets) {
    for (const o of s.slab) {
      const cache = o.cache === 'tcp_bind_bucket' || o.cache === 'tcp_bind2_bucket' ? 'eventpoll_epi' : o.cache;
      out[cache] = (out[cache] ?? 0) + o.objects;
    }
  }
  return out;
}

for (const name of ['idle-pairs-1000-epoll', 'idle-pairs-4000-epoll', 'idle-pairs-1000-noepoll']) {
  describe.skipIf(!have(name))(`plan vs capture: ${name}`, () => {
    const runs = repeats(name).map(read_run_dir);
    const scenario = runs[0].meta.scenario;
    const tol = scenario.tolerances.slab_per_connection;
    const planned = planned_objects(scenario);
    const measured = (cache: string) => {
      const v = runs.map((r) => summarize_run(r).slab.objects_per_connection[cache] ?? 0);
      return v.reduce((a, b) => a + b, 0) / v.length;
    };
    const allowed = (m: number) => Math.max(tol?.abs ?? 0, (tol?.rel ?? 0) * Math.abs(m));

    it('holds no buffer pages on either socket', () => {
      for (const run of runs) {
        const s = summarize_run(run);
        expect(s.end.sockets_pages).toBe(0);
        expect(s.peak.sockets_pages).toBe(0);
      }
    });

    // Known misses, kept visible (values of the captures committed at 15:05 UTC; captures are still being retaken):
    // without epoll the merged 128-byte cache (tcp_bind_bucket + tcp_bind2_bucket of the client, R-1.3) grows
    // 1.78 per pair on average over r0..r2 (1.79, 1.63, 1.91); the plan counts 2, outside the 10% tolerance.
    // Reported to the slab model's owner; not loosened here.
    const known_misses: Record<string, Record<string, string>> = {
      'idle-pairs-1000-noepoll': { eventpoll_epi: 'measured 1.78, planned 2' },
    };
    const known_miss = (cache: string) => known_misses[name]?.[cache];
    for (const cache of ['TCP', 'sock_inode_cache', 'filp', 'eventpoll_epi']) {
      const test = known_miss(cache) ? it.fails : it;
      test(`counts ${cache} objects per connection within the scenario's slab tolerance${known_miss(cache) ? ` (${known_miss(cache)})` : ''}`, () => {
        const m = measured(cache);
        expect(Math.abs((planned[cache] ?? 0) - m)).toBeLessThanOrEqual(allowed(m));
      });
    }

    // Known miss, kept visible: the captures show ≈4 dentries per pair, the plan counts 2 (one per socket fd).
    // linux-tcp-memory.md R-1.3 attributes the extra ≈2 to something listing /proc/<pid>/fd during the capture
    // (proc_inode_cache grows ≈2 per pair too), i.e. not a cost of the socket itself. Not fixed: a server that
    // nobody inspects through /proc has 1 dentry per socket.
    it.fails('counts dentry objects per connection within the slab tolerance (capture shows ≈4, plan 2: /proc fd listing, R-1.3)', () => {
      const m = measured('dentry');
      expect(Math.abs((planned.dentry ?? 0) - m)).toBeLessThanOrEqual(allowed(m));
    });
  });
}

describe.skipIf(!have('streaming-veth'))('plan vs capture: a continuously read 320 MB/s stream (streaming-veth)', () => {
  // Known miss, kept visible: the kernel's server socket peaks at ≈2300 pages (r ≈ 9 MB at a 250 ms sample: the
  // reader lags on the loaded host), the simulated sample behind plan's peak shows 0 pages at every sample (its
  // reader drains the queue instantly). Within the scenario's skmem_r tolerance (rel 0.5) this fails by far;
  // reported to the simulator's owner.
  const runs = repeats('streaming-veth').map(read_run_dir);
  const scenario = runs[0].meta.scenario;
  const measured_peak = runs.map((r) => summarize_run(r).peak_by_side.server ?? 0).reduce((a, b) => a + b, 0) / runs.length;

  it.fails('peaks at the measured server pages within rel 0.5 (simulated sample shows 0, kernel ≈2300)', async () => {
    const { simulate } = await import('../../../model/sim');
    const { group_sample_from_summary, sample_scenario } = await import('../../../model/plan');
    const g = scenario.groups[0];
    const sim = simulate(sample_scenario(scenario, g.name, g.count), p);
    const sample = group_sample_from_summary(summarize_run(sim.run));
    const plan = plan_workload(p, scenario, { connections: g.count, side: 'server', samples: { [g.name]: sample } });
    const planned_peak = plan.groups[0].socket_peak_pages[0].value ?? 0;
    expect(Math.abs(planned_peak - measured_peak)).toBeLessThanOrEqual(0.5 * measured_peak);
  });
});
