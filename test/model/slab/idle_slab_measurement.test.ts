import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { get_builtin_profile } from '../../../model/profile';
import { connection_slab_objects, slab_bytes_per_connection } from '../../../model/slab';

/**
 * Checks the model's idle per-pair slab figure against the measurement committed in
 * data/measurements/idle-slab-2026-11-25.json (method in the file and in docs/model.md: 18 runs, fresh netns
 * each, 2000 and 4000 IPv4 loopback pairs, modes raw (no epoll), raw-epoll and net (both epoll), /proc/slabinfo
 * active_objs × objsize deltas).
 *
 * Corrections applied to the raw deltas, both visible in the file:
 * - Something on the host lists /proc/<pid>/fd now and then: in those runs proc_inode_cache grows by ~2 per pair
 *   and dentry and lsm_inode_cache by the same extra count. Those objects belong to /proc, not to the sockets, so
 *   proc_inode_cache's delta is taken off dentry and lsm_inode_cache.
 * - Merged caches appear under their root's name: eventpoll_epi holds tcp_bind_bucket + tcp_bind2_bucket + epitem
 *   (:A-0000128); anon_vma_chain holds eventpoll_pwq (:A-0000064).
 */
interface Delta { objsize: number; d_active_objs: number; d_active_bytes: number }
interface Run { pairs: number; mode: 'raw' | 'raw-epoll' | 'net'; deltas: Record<string, Delta> }
const file = JSON.parse(readFileSync(join(__dirname, '../../../data/measurements/idle-slab-2026-11-25.json'), 'utf8')) as { runs: Run[] };

const p = get_builtin_profile('6.18.44-reference');
const pair = (epoll: boolean) => ({ state: 'established' as const, side: 'pair' as const, epoll, ip: 'ipv4' as const });

/** slabinfo line name for each model cache (merged caches under their root). */
const slabinfo_name: Record<string, string> = {
  TCP: 'TCP',
  sock_inode_cache: 'sock_inode_cache',
  filp: 'filp',
  dentry: 'dentry',
  lsm_inode_cache: 'lsm_inode_cache',
  lsm_file_cache: 'lsm_file_cache',
  ep_head: 'ep_head',
  tcp_bind_bucket: 'eventpoll_epi',
  tcp_bind2_bucket: 'eventpoll_epi',
  eventpoll_epi: 'eventpoll_epi',
  eventpoll_pwq: 'anon_vma_chain',
};
const socket_lines = [...new Set(Object.values(slabinfo_name))];

function objs(r: Run, line: string): number {
  const raw = r.deltas[line]?.d_active_objs ?? 0;
  const proc = r.deltas.proc_inode_cache?.d_active_objs ?? 0;
  return line === 'dentry' || line === 'lsm_inode_cache' ? raw - proc : raw;
}
const bytes_per_pair = (r: Run) => socket_lines.reduce((s, l) => s + objs(r, l) * (r.deltas[l]?.objsize ?? 0), 0) / r.pairs;
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const sd = (xs: number[]) => Math.sqrt(xs.reduce((s, x) => s + (x - mean(xs)) ** 2, 0) / (xs.length - 1));
const runs_of = (epoll: boolean) => file.runs.filter((r) => (r.mode === 'raw') !== epoll);
const modes = ['raw', 'raw-epoll', 'net'] as const;
const residuals = modes.flatMap((m) => {
  const xs = file.runs.filter((r) => r.mode === m).map(bytes_per_pair);
  return xs.map((x) => x - mean(xs));
});
const pooled_sd = Math.sqrt(residuals.reduce((s, x) => s + x * x, 0) / (residuals.length - modes.length));
/** 2 × the pooled run-to-run SD of the IPv4 per-pair bytes (see below): ≈ 135 B. */
const tolerance = 2 * pooled_sd;

describe('idle per-pair slab cost: model vs measurement on the reference host (2026-11-25)', () => {
  it('has 18 runs: 2000 and 4000 pairs, 3 modes, 3 repetitions', () => {
    expect(file.runs.length).toBe(18);
  });

  for (const epoll of [false, true]) {
    it(`counts the objects the kernel allocates per pair, cache by cache (${epoll ? 'with' : 'without'} epoll)`, () => {
      // Expected: the model's objects per pair, summed per slabinfo line. Measured: mean objects per pair,
      // rounded (SLUB's per-CPU slabs blur each count by a few hundredths, see docs/model.md).
      const model = new Map<string, number>();
      for (const o of connection_slab_objects(p, pair(epoll))) {
        const line = slabinfo_name[o.cache];
        model.set(line, (model.get(line) ?? 0) + o.objects);
      }
      for (const line of socket_lines) {
        const measured = mean(runs_of(epoll).map((r) => objs(r, line) / r.pairs));
        expect({ line, objects: Math.round(measured) }).toEqual({ line, objects: model.get(line) ?? 0 });
      }
    });
  }

  // Tolerance: twice the pooled run-to-run standard deviation of the per-pair bytes over all 18 runs (each mode
  // around its own mean). This is the measured noise (SLUB per-CPU slabs counted as full, other tenants' slab
  // traffic); it is ≈ 1.7% of the figure. The model sits ~1% above the mean because SLUB undercounts: TCP reads
  // 1.98 objects per pair on average though every pair is exactly two tcp_socks.

  for (const mode of modes) {
    const epoll = mode !== 'raw';
    it(`puts the model's idle bytes per pair within 2 pooled SD of the ${mode} runs' mean`, () => {
      const measured = mean(file.runs.filter((r) => r.mode === mode).map(bytes_per_pair));
      const model = slab_bytes_per_connection(p, pair(epoll));
      expect(Math.abs(model - measured)).toBeLessThanOrEqual(tolerance);
    });
  }

  it('sees a pooled spread below 2% of the figure (else the measurement is too noisy to test against)', () => {
    expect(tolerance).toBeLessThan(0.02 * slab_bytes_per_connection(p, pair(false)));
  });

  // Known miss: kmalloc-192/-128/-256 grow by ~100 B per pair in every run (kmalloc-192 ≈ 0.25–0.45 objects per
  // pair), independent of epoll and of N. The model does not know what allocates them, so it counts 0.
  it.fails('accounts for the ~100 B/pair of kmalloc-* growth seen in every run (not identified yet)', () => {
    const km = file.runs.map((r) => Object.entries(r.deltas).filter(([k]) => k.startsWith('kmalloc')).reduce((s, [, d]) => s + d.d_active_bytes, 0) / r.pairs);
    const model_kmalloc = connection_slab_objects(p, pair(false)).filter((o) => o.cache.startsWith('kmalloc')).reduce((s, o) => s + o.bytes, 0) / 1;
    expect(Math.abs(model_kmalloc - mean(km))).toBeLessThanOrEqual(2 * sd(km));
  });
});

/**
 * IPv6 (data/measurements/idle-slab-ipv6-2026-11-25.json, 8 runs, raw and raw-epoll, 2000/4000 pairs). While it
 * ran, another tenant opened and closed thousands of IPv4 sockets (the TCP line moves by ±1.0 per pair), which also
 * moved the shared caches (sock_inode_cache, filp, dentry, the 128-byte merged cache). Only TCPv6 is clean, so only
 * the socket itself is checked.
 */
describe('idle IPv6 pair: TCPv6 objects, model vs measurement (2026-11-25)', () => {
  const v6 = JSON.parse(readFileSync(join(__dirname, '../../../data/measurements/idle-slab-ipv6-2026-11-25.json'), 'utf8')) as { runs: Run[] };
  it('counts two TCPv6 socks (2 × 2496 bytes) per pair', () => {
    const model = connection_slab_objects(p, { state: 'established', side: 'pair', epoll: false, ip: 'ipv6' }).find((o) => o.cache === 'TCPv6');
    expect(model).toEqual({ cache: 'TCPv6', slab: 'tcp6_sock', objects: 2, bytes: 4992 });
    const per_pair = v6.runs.map((r) => r.deltas.TCPv6.d_active_objs / r.pairs);
    expect(Math.round(mean(per_pair))).toBe(2);
    // Bytes: within the IPv4 data set's tolerance (2 × pooled SD, computed above from independent runs). A first
    // version of this test bounded every run at 1.5% below 2 objects, picked without a reason; one run read 1.9695.
    const bytes = mean(v6.runs.map((r) => r.deltas.TCPv6.d_active_bytes / r.pairs));
    expect(Math.abs(model!.bytes - bytes)).toBeLessThanOrEqual(tolerance);
  });
});
