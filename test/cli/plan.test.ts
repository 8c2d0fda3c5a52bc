import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

// These run the built CLI (bin/tcpmem.js → dist/); `npm test` builds first.
const root = path.join(__dirname, '..', '..');
const bin = path.join(root, 'bin', 'tcpmem.js');
const built = fs.existsSync(path.join(root, 'dist', 'cli', 'commands', 'plan.js'));
const workloads = fs.readdirSync(path.join(root, 'data', 'workloads')).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5));

function run(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const c = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    c.stdout.on('data', (d) => (stdout += d));
    c.stderr.on('data', (d) => (stderr += d));
    c.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

describe.skipIf(!built)('tcpmem plan (CLI)', () => {
  it('has at least the six library workloads of the issue', () => {
    for (const w of ['websocket-push', 'http-keepalive-proxy', 'db-connection-pool', 'bulk-fast-reader', 'stalled-readers', 'mix']) {
      expect(workloads).toContain(w);
    }
  });

  it('prints a plan with its breakdown for every library workload at 100k, 1M and 10M connections', { timeout: 300_000 }, async () => {
    const jobs = workloads.flatMap((w) => ['100k', '1M', '10M'].map((n) => ({ w, n })));
    const results: Array<{ w: string; n: string; r: Awaited<ReturnType<typeof run>> }> = [];
    // two at a time: the machine has 2 cores
    for (let i = 0; i < jobs.length; i += 2) {
      const batch = jobs.slice(i, i + 2);
      results.push(...(await Promise.all(batch.map(async (j) => ({ ...j, r: await run(['plan', '--workload', j.w, '--connections', j.n, '--sample', '5']) })))));
    }
    for (const { w, n, r } of results) {
      expect(r.status, `${w} ${n}: ${r.stderr}`).toBe(0);
      const count = { '100k': '100,000', '1M': '1,000,000', '10M': '10,000,000' }[n];
      expect(r.stdout).toContain(`tcpmem plan: ${w} × ${count} connections`);
      expect(r.stdout).toMatch(/^ {2}slab {2,}/m);
      expect(r.stdout).toMatch(/^ {2}socket buffers {2,}/m);
      expect(r.stdout).toMatch(/^ {2}total kernel memory/m);
      expect(r.stdout).toMatch(/tcp_mem\[1\] \(pressure\) at/);
    }
  });

  it('prints JSON with every figure\'s method for scripts', () => {
    const r = spawnSync(process.execPath, [bin, 'plan', '--workload', 'one-unread-message', '--connections', '12M', '--ram', '64GiB', '--json', '--sample', '0'], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.connections).toBe(12_000_000);
    // --ram 64GiB → nr_free_buffer_pages ≈ 16378240 → limit 1023640 → tcp_mem 767730 1023640 1535460.
    expect(j.tcp_mem).toMatchObject({ pages: [767730, 1023640, 1535460], source: 'computed_from_ram' });
    // One unread 512-byte message per connection: 1 page each (832 + 512 B, R-3.3, R-6.2), exact.
    expect(j.totals.steady_pages).toEqual({ value: 12_000_000, method: 'analytic_exact' });
  });

  it('exits 2 naming the allowed values of a bad flag or workload', () => {
    const bad_workload = spawnSync(process.execPath, [bin, 'plan', '--workload', 'nope', '--connections', '10'], { encoding: 'utf8' });
    expect(bad_workload.status).toBe(2);
    expect(bad_workload.stderr).toMatch(/--workload: "nope" .*allowed: .*websocket-push/);
    const bad_side = spawnSync(process.execPath, [bin, 'plan', '--workload', 'idle', '--connections', '10', '--side', 'middle'], { encoding: 'utf8' });
    expect(bad_side.status).toBe(2);
    expect(bad_side.stderr).toMatch(/allowed: server, client, both/);
    const bad_n = spawnSync(process.execPath, [bin, 'plan', '--workload', 'idle', '--connections', 'lots'], { encoding: 'utf8' });
    expect(bad_n.status).toBe(2);
    expect(bad_n.stderr).toMatch(/not a connection count; write e\.g\. 100000, 100k, 1M/);
    const bad_mem = spawnSync(process.execPath, [bin, 'plan', '--workload', 'idle', '--connections', '10', '--tcp-mem', '3 2 1'], { encoding: 'utf8' });
    expect(bad_mem.status).toBe(2);
    expect(bad_mem.stderr).toMatch(/min <= pressure <= max/);
  });
});
