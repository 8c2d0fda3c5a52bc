import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// These run the built CLI (bin/tcpmem.js → dist/); `npm test` builds first. The points run through a
// deterministic stand-in for the simulator (test/sweep/fixtures/fake_runner.js, hidden --runner flag), so the
// tests exercise the sweep machinery (pool, journal, resume, shards, merge) and not the simulator's speed.
const root = path.join(__dirname, '..', '..');
const bin = path.join(root, 'bin', 'tcpmem.js');
const runner = path.join(root, 'test', 'sweep', 'fixtures', 'fake_runner.js');
const built = fs.existsSync(path.join(root, 'dist', 'cli', 'commands', 'sweep.js')) && fs.existsSync(path.join(root, 'dist', 'sweep', 'worker.js'));

const base = {
  format: 'tcpmem-scenario/1',
  name: 'cli-sweep',
  kernel: {},
  groups: [{ name: 'g', count: 2, writer: { program: { kind: 'writes', steps: [{ size_bytes: 100 }] } }, reader: { kind: 'never' } }],
  sampling: { interval_ms: 100, duration_ms: 200 },
};
// 2 × 10 × 12 = 240 points
const sweep_file = {
  format: 'tcpmem-sweep/1',
  name: 'cli-sweep',
  base,
  grid: {
    profile: ['6.18.44-reference', 'debian-6.1.192-amd64'],
    'groups[g].count': [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
    'groups[g].writer.program.steps[0].size_bytes': [1, 10, 100, 500, 1000, 1500, 2000, 4000, 8000, 12000, 16000, 20000],
  },
};

const made: string[] = [];
afterAll(() => {
  for (const d of made) fs.rmSync(d, { recursive: true, force: true });
});

function setup(): { dir: string; file: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tcpmem-cli-sweep-'));
  made.push(dir);
  const file = path.join(dir, 'sweep.json');
  fs.writeFileSync(file, JSON.stringify(sweep_file));
  return { dir, file };
}

function tcpmem(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 120_000, env: { ...process.env, ...env } });
}

const outputs = (dir: string) => ['points.jsonl', 'points.csv'].map((f) => fs.readFileSync(path.join(dir, f), 'utf8'));
const lines = (f: string) => (fs.existsSync(f) ? fs.readFileSync(f, 'utf8').split('\n').length - 1 : 0);

describe.skipIf(!built)('tcpmem sweep (CLI)', () => {
  it('runs a 240-point sweep with a progress line and writes one row per point', () => {
    const { dir, file } = setup();
    const out = path.join(dir, 'out');
    const r = tcpmem(['sweep', file, '--out', out, '--workers', '2', '--runner', runner]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/\d+\/240 points .*ETA/);
    expect(r.stderr).toMatch(/240 points done: 240 run now, 0 resumed/);
    expect(lines(path.join(out, 'points.csv'))).toBe(241);
    expect(lines(path.join(out, 'points.jsonl'))).toBe(240);
  });

  it('resumes after being killed mid-run and ends with rows identical to an uninterrupted run', async () => {
    const { dir, file } = setup();
    const whole = path.join(dir, 'whole');
    expect(tcpmem(['sweep', file, '--out', whole, '--workers', '2', '--runner', runner, '--no-progress']).status).toBe(0);

    const out = path.join(dir, 'killed');
    const child = spawn(process.execPath, [bin, 'sweep', file, '--out', out, '--workers', '2', '--runner', runner, '--no-progress'], {
      env: { ...process.env, TCPMEM_TEST_RUNNER_DELAY_MS: '25' },
      stdio: 'ignore',
    });
    const journal = path.join(out, 'points.jsonl');
    const t0 = Date.now();
    while (lines(journal) < 40 && Date.now() - t0 < 60_000) await new Promise((res) => setTimeout(res, 20));
    child.kill('SIGKILL');
    await new Promise((res) => child.once('exit', res));
    const kept = lines(journal);
    expect(kept).toBeGreaterThanOrEqual(40);
    expect(kept).toBeLessThan(240);

    const r = tcpmem(['sweep', file, '--out', out, '--workers', '2', '--runner', runner, '--no-progress']);
    expect(r.status, r.stderr).toBe(0);
    const m = /done: (\d+) run now, (\d+) resumed/.exec(r.stderr);
    expect(m).not.toBeNull();
    expect(Number(m![1]) + Number(m![2])).toBe(240);
    expect(Number(m![2])).toBeGreaterThanOrEqual(40);
    expect(outputs(out)).toEqual(outputs(whole));
  });

  it('runs three shards that merge into the rows of the unsharded run', () => {
    const { dir, file } = setup();
    const whole = path.join(dir, 'whole');
    expect(tcpmem(['sweep', file, '--out', whole, '--runner', runner, '--no-progress']).status).toBe(0);
    const shards = [0, 1, 2].map((i) => path.join(dir, `shard-${i}`));
    for (const [i, s] of shards.entries()) {
      const r = tcpmem(['sweep', file, '--out', s, '--shard', `${i}/3`, '--workers', '1', '--runner', runner, '--no-progress']);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr).toMatch(/80 points \(shard \d\/3 of 240\)/);
    }
    const merged = path.join(dir, 'merged');
    const r = tcpmem(['sweep', 'merge', ...shards, '--out', merged]);
    expect(r.status, r.stderr).toBe(0);
    expect(outputs(merged)).toEqual(outputs(whole));
  });

  it('exits 2 and names the field of a bad sweep file, writing nothing', () => {
    const { dir } = setup();
    const bad = path.join(dir, 'bad.json');
    fs.writeFileSync(bad, JSON.stringify({ ...sweep_file, grid: { 'groups[g].count': [1, -3] } }));
    const out = path.join(dir, 'never');
    const r = tcpmem(['sweep', bad, '--out', out, '--runner', runner]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/sweep point 1 \(groups\[g\]\.count=-3\)[\s\S]*groups\[0\]\.count/);
    expect(fs.existsSync(out)).toBe(false);
  });

  it('exits 2 for a bad --shard and names the allowed range', () => {
    const { dir, file } = setup();
    const r = tcpmem(['sweep', file, '--out', path.join(dir, 'x'), '--shard', '3/3', '--runner', runner]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--shard: i = 3 is out of range for n = 3; allowed: 0 to 2/);
  });
});
