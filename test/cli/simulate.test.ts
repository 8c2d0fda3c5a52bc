import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { read_run_dir } from '../../io/run_dir';

/**
 * Runs the built CLI (bin/tcpmem.js → dist/, as `npm test` builds first): cli/commands/index.ts loads
 * subcommands with require(), which only resolves compiled files.
 */
const bin = path.join(__dirname, '..', '..', 'bin', 'tcpmem.js');

let dir: string;
let out: string[];
let err: string[];

async function main(argv: string[]): Promise<number> {
  const r = spawnSync(process.execPath, [bin, ...argv.slice(2)], { encoding: 'utf8', timeout: 60_000 });
  out.push(r.stdout);
  err.push(r.stderr);
  return r.status ?? -1;
}

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tcpmem-sim-cli-'));
  out = [];
  err = [];
});

afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function scenario_file(value: unknown): string {
  const f = path.join(dir, 'scenario.json');
  fs.writeFileSync(f, JSON.stringify(value));
  return f;
}

const ok_scenario = {
  format: 'tcpmem-scenario/1',
  name: 'cli-unit',
  groups: [
    {
      name: 'g',
      count: 3,
      writer_sockopts: { tcp_nodelay: true },
      writer: { program: { kind: 'writes', steps: [{ size_bytes: 1, count: 1 }] } },
      reader: { kind: 'never' },
    },
  ],
  kernel: {},
  sampling: { interval_ms: 100, duration_ms: 200 },
};

describe('tcpmem simulate', () => {
  it('writes a run directory a capture reader can read, with source simulator', async () => {
    const run_dir = path.join(dir, 'run');
    const code = await main(['node', 'tcpmem', 'simulate', scenario_file(ok_scenario), '--out', run_dir, '--profile', '6.18.44-reference']);
    expect(code).toBe(0);
    const run = read_run_dir(run_dir);
    expect(run.meta.source).toBe('simulator');
    expect(run.meta.started_at).toBeNull();
    expect(run.meta.profile_id).toBe('6.18.44-reference');
    expect(run.global.map((g) => g.t_ms)).toEqual([0, 100, 200]);
    // one 1-byte write per connection: the server holds 833 bytes, rows weighted 3
    const srv = run.sockets.filter((s) => s.t_ms === 200 && s.side === 'server');
    expect(srv.map((s) => [s.r_bytes, s.weight])).toEqual([[833, 3]]);
  });

  it('prints a JSON summary with --json', async () => {
    const code = await main(['node', 'tcpmem', 'simulate', scenario_file(ok_scenario), '--out', path.join(dir, 'r'), '--json', '--profile', 'debian-6.1.192-amd64']);
    expect(code).toBe(0);
    const summary = JSON.parse(out.join(''));
    expect(summary.profile).toBe('debian-6.1.192-amd64');
    expect(summary.connections).toBe(3);
    expect(summary.samples).toBe(3);
    expect(typeof summary.events).toBe('number');
  });

  it('refuses an existing --out without --force and replaces it with --force', async () => {
    const run_dir = path.join(dir, 'run');
    fs.mkdirSync(run_dir);
    const f = scenario_file(ok_scenario);
    expect(await main(['node', 'tcpmem', 'simulate', f, '--out', run_dir, '--profile', '6.18.44-reference'])).toBe(2);
    expect(err.join('')).toMatch(/already exists; pass --force/);
    expect(await main(['node', 'tcpmem', 'simulate', f, '--out', run_dir, '--force', '--profile', '6.18.44-reference'])).toBe(0);
    expect(fs.existsSync(path.join(run_dir, 'meta.json'))).toBe(true);
  });

  it('names the bad field of an invalid scenario, exits 2 and writes nothing', async () => {
    const bad = { ...ok_scenario, groups: [{ ...ok_scenario.groups[0], count: 0 }] };
    const run_dir = path.join(dir, 'run');
    const code = await main(['node', 'tcpmem', 'simulate', scenario_file(bad), '--out', run_dir, '--profile', '6.18.44-reference']);
    expect(code).toBe(2);
    expect(err.join('')).toMatch(/groups\[0\]\.count|groups\.0\.count/);
    expect(fs.existsSync(run_dir)).toBe(false);
  });

  it('names the unknown profile and lists the known ids', async () => {
    const code = await main(['node', 'tcpmem', 'simulate', scenario_file(ok_scenario), '--out', path.join(dir, 'x'), '--profile', 'nope']);
    expect(code).toBe(2);
    expect(err.join('')).toMatch(/unknown kernel profile "nope"; known ids: .*6\.18\.44-reference/);
  });
});
