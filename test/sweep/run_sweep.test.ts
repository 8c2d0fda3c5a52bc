import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { expand_sweep } from '../../sweep/expand_sweep';
import { sweep_schema } from '../../sweep/sweep_schema';
import { run_sweep } from '../../sweep/run_sweep';
import { merge_sweeps } from '../../sweep/merge_sweeps';
import { read_journal, CSV, JOURNAL } from '../../sweep/results_store';
import type { PointMetrics, PointTask } from '../../sweep/point_row';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const fake = require('./fixtures/fake_runner.js') as { run_point: (t: PointTask) => PointMetrics };
const fake_module = path.join(__dirname, 'fixtures', 'fake_runner.js');
const built = fs.existsSync(path.join(__dirname, '..', '..', 'dist', 'sweep', 'worker.js'));

const base = {
  format: 'tcpmem-scenario/1',
  name: 'base',
  kernel: {},
  groups: [{ name: 'g', count: 2, writer: { program: { kind: 'writes', steps: [{ size_bytes: 100 }] } }, reader: { kind: 'never' } }],
  sampling: { interval_ms: 100, duration_ms: 200 },
};
const profiles = ['6.18.44-reference', 'debian-6.1.192-amd64'];
// 2 × 6 × 5 = 60 points
const sweep = expand_sweep(
  sweep_schema.parse({
    format: 'tcpmem-sweep/1',
    name: 'resume-test',
    base,
    grid: { profile: profiles, 'groups[g].writer.program.steps[0].size_bytes': [1, 100, 1000, 4000, 8000, 16000], 'groups[g].count': [1, 2, 3, 4, 5] },
  }),
  base,
  profiles,
);

const made: string[] = [];
afterAll(() => {
  for (const d of made) fs.rmSync(d, { recursive: true, force: true });
});
const tmp = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'tcpmem-run-sweep-'));
  made.push(d);
  return d;
};
const runner = async (t: PointTask) => fake.run_point(t);
const files = (dir: string) => [fs.readFileSync(path.join(dir, JOURNAL), 'utf8'), fs.readFileSync(path.join(dir, CSV), 'utf8')];

describe('run_sweep', () => {
  it('writes one row per point, sorted by index, in both outputs', async () => {
    const out = path.join(tmp(), 'o');
    const r = await run_sweep(sweep, { out, shard: null, workers: 1, runner, tool_version: 't' });
    expect(r).toEqual({ total: 60, resumed: 0, ran: 60, interrupted: false });
    const rows = read_journal(out).rows;
    expect(rows.map((x) => x.index)).toEqual(Array.from({ length: 60 }, (_, i) => i));
    // 1 header + 60 rows
    expect(files(out)[1].trim().split('\n')).toHaveLength(61);
    // The row holds the exact scenario of the point.
    expect(rows[7].scenario.groups[0].count).toBe(sweep.points[7].scenario.groups[0].count);
  });

  it('resumes an interrupted sweep without redoing points, giving identical files', async () => {
    const whole = path.join(tmp(), 'whole');
    await run_sweep(sweep, { out: whole, shard: null, workers: 1, runner, tool_version: 't' });

    const out = path.join(tmp(), 'cut');
    const ac = new AbortController();
    let seen = 0;
    const first = await run_sweep(sweep, {
      out, shard: null, workers: 1, tool_version: 't', signal: ac.signal,
      runner: async (t) => {
        if (++seen === 25) ac.abort();
        return fake.run_point(t);
      },
    });
    expect(first.interrupted).toBe(true);
    expect(first.resumed + first.ran).toBe(25);
    // A kill in the middle of a write leaves a cut line: it must be dropped, not kept.
    fs.appendFileSync(path.join(out, JOURNAL), '{"index":59,"id":"half');

    const ran: number[] = [];
    const second = await run_sweep(sweep, { out, shard: null, workers: 1, tool_version: 't', runner: async (t) => (ran.push(t.index), fake.run_point(t)) });
    expect(second).toEqual({ total: 60, resumed: 25, ran: 35, interrupted: false });
    expect(new Set(ran).size).toBe(35);
    expect(files(out)).toEqual(files(whole));
  });

  it('refuses an output directory of another sweep unless forced', async () => {
    const out = path.join(tmp(), 'o');
    await run_sweep(sweep, { out, shard: null, workers: 1, runner, tool_version: 't' });
    const other = { ...sweep, sweep_hash: 'different', points: sweep.points.slice(0, 3) };
    await expect(run_sweep(other, { out, shard: null, workers: 1, runner, tool_version: 't' })).rejects.toThrow(/holds results of another sweep.*--force/);
    const r = await run_sweep(other, { out, shard: null, workers: 1, runner, tool_version: 't', force: true });
    expect(r.ran).toBe(3);
  });

  it('shards and merges to the same rows as an unsharded run', async () => {
    const d = tmp();
    await run_sweep(sweep, { out: path.join(d, 'whole'), shard: null, workers: 1, runner, tool_version: 't' });
    const shard_dirs = [0, 1, 2].map((i) => path.join(d, `s${i}`));
    for (const [i, dir] of shard_dirs.entries()) {
      const r = await run_sweep(sweep, { out: dir, shard: { i, n: 3 }, workers: 1, runner, tool_version: 't' });
      expect(r.total).toBe(20);
    }
    expect(() => merge_sweeps(path.join(d, 'partial'), shard_dirs.slice(0, 2), { tool_version: 't' })).toThrow(/20 of 60 points are missing \(first: 2, 5, 8/);
    merge_sweeps(path.join(d, 'merged'), shard_dirs, { tool_version: 't' });
    expect(files(path.join(d, 'merged'))).toEqual(files(path.join(d, 'whole')));
  });

  it('refuses to merge shards of different sweeps', async () => {
    const d = tmp();
    await run_sweep(sweep, { out: path.join(d, 'a'), shard: { i: 0, n: 2 }, workers: 1, runner, tool_version: 't' });
    const other = { ...sweep, sweep_hash: 'other' };
    await run_sweep(other, { out: path.join(d, 'b'), shard: { i: 1, n: 2 }, workers: 1, runner, tool_version: 't' });
    expect(() => merge_sweeps(path.join(d, 'm'), [path.join(d, 'a'), path.join(d, 'b')], { tool_version: 't' })).toThrow(/only shards of one sweep/);
  });

  it('stops at a failing point, keeping the rows already written', async () => {
    const out = path.join(tmp(), 'o');
    await expect(
      run_sweep(sweep, { out, shard: null, workers: 1, tool_version: 't', runner: async (t) => { if (t.index === 10) throw new Error('boom'); return fake.run_point(t); } }),
    ).rejects.toThrow(/sweep point 10 .*boom/);
    expect(read_journal(out).rows).toHaveLength(10);
  });

  it.skipIf(!built)('gives the same rows on a pool of 2 worker threads as in one thread', async () => {
    const d = tmp();
    await run_sweep(sweep, { out: path.join(d, 'one'), shard: null, workers: 1, runner, tool_version: 't' });
    await run_sweep(sweep, { out: path.join(d, 'pool'), shard: null, workers: 2, runner_module: fake_module, tool_version: 't' });
    expect(files(path.join(d, 'pool'))).toEqual(files(path.join(d, 'one')));
  });
});
