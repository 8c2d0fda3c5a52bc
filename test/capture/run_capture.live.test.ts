import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MEMCG_V1_ROOT, is_alive, list_netns, run_capture } from '../../capture';
import { runner_script } from '../../capture/runner_process';
import { parse_scenario, type ScenarioInput } from '../../model/scenario';

/**
 * Live captures on this kernel, in private namespaces. Skipped (with the reason printed) when
 * not root, without `ip netns`, or before `npx tsc -p tsconfig.build.json` built the runner.
 */
function skip_reason(): string | null {
  if (process.getuid?.() !== 0) return 'not root';
  if (spawnSync('ip', ['netns', 'list']).status !== 0) return 'no `ip netns` support';
  if (!fs.existsSync(runner_script())) return `runner not built (${runner_script()})`;
  return null;
}
const reason = skip_reason();
if (reason) console.warn(`skipping live capture tests: ${reason}`);
const has_memcg = fs.existsSync(path.join(MEMCG_V1_ROOT, 'memory.kmem.tcp.limit_in_bytes'));

function scenario(extra: Partial<ScenarioInput> = {}) {
  return parse_scenario(
    {
      format: 'tcpmem-scenario/1',
      name: 'live-test',
      kernel: {},
      groups: [
        {
          name: 'unread',
          count: 4,
          writer_sockopts: { tcp_nodelay: true },
          writer: { program: { kind: 'writes', steps: [{ size_bytes: 1000, count: 3, spacing_ms: 20 }] } },
          reader: { kind: 'never' },
        },
      ],
      sampling: { interval_ms: 300, duration_ms: 600, settle_ms: 100 },
      ...extra,
    },
    'capture',
  );
}

function expect_nothing_left(info: { namespaces: string[]; memcg_dir: string | null; runner_pids: number[] }) {
  const ns = list_netns();
  for (const n of info.namespaces) expect(ns).not.toContain(n);
  if (info.memcg_dir !== null) expect(fs.existsSync(info.memcg_dir)).toBe(false);
  for (const pid of info.runner_pids) expect(is_alive(pid)).toBe(false);
}

describe.skipIf(reason !== null)('run_capture on the live kernel', () => {
  it('records every socket of the scenario and removes namespace and runners afterwards', async () => {
    let info: { namespaces: string[]; memcg_dir: string | null; runner_pids: number[] } | null = null;
    const run = await run_capture({ scenario: scenario(), scenario_file: null, repeat_index: 0, source: 'kernel', allow_global_sysctls: false, on_setup: (i) => (info = i) });
    expect(info).not.toBeNull();
    expect(info!.namespaces).toHaveLength(1);
    expect(info!.runner_pids.length).toBeGreaterThanOrEqual(2);
    expect_nothing_left(info!);

    expect(run.global.map((g) => g.t_ms)[0]).toBe(0);
    expect(run.global).toHaveLength(3);
    const last_t = run.global[2].t_ms;
    const last = run.sockets.filter((s) => s.t_ms === last_t);
    expect(last).toHaveLength(8); // 4 connections × 2 sides
    for (const s of last) {
      expect((s.r_bytes! + s.f_bytes! + s.w_bytes!) % 4096).toBe(0);
      expect(s.rb_bytes).toBe(131072); // tcp_rmem[1] by default
    }
    for (const s of last.filter((x) => x.side === 'server')) {
      // The reader never reads: every byte written (3 × 1000) sits in its receive queue.
      expect(s.recv_q_bytes).toBe(3000);
      // Each queued byte costs at least itself; 3 skbs cost at most 3 × (832 + 1000).
      expect(s.r_bytes!).toBeGreaterThanOrEqual(3000);
      expect(s.r_bytes!).toBeLessThanOrEqual(3 * 1832);
    }
    expect(run.meta.kernel_release).toBe(os.release());
    expect(run.meta.sysctls['net.ipv4.tcp_rmem']).toMatch(/^\d+ \d+ \d+$/);
    expect(run.meta.scenario.name).toBe('live-test');
  });

  it.skipIf(!has_memcg)('removes namespace, memory cgroup and runners after a forced failure mid-run', async () => {
    let info: { namespaces: string[]; memcg_dir: string | null; runner_pids: number[] } | null = null;
    const s = scenario({ kernel: { memcg: { tcp_limit_bytes: 1 << 20, holds: 'readers' } } });
    await expect(
      run_capture({ scenario: s, scenario_file: null, repeat_index: 0, source: 'kernel', allow_global_sysctls: false, on_setup: (i) => (info = i), fail_after_ms: 250 }),
    ).rejects.toThrow(/forced failure/);
    expect(info).not.toBeNull();
    expect(info!.memcg_dir).not.toBeNull();
    expect_nothing_left(info!);
  });

  it.skipIf(!has_memcg)('cleans up when the CLI is interrupted with SIGINT mid-capture', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tcpmem-sigint-'));
    const file = path.join(dir, 's.json');
    const s = { ...scenario({ kernel: { memcg: { tcp_limit_bytes: 1 << 20, holds: 'both' } } }), sampling: { interval_ms: 500, duration_ms: 20_000, settle_ms: 100 } };
    fs.writeFileSync(file, JSON.stringify(s));
    const out = path.join(dir, 'out');
    const child = spawn(process.execPath, [path.join(__dirname, '..', '..', 'bin', 'tcpmem.js'), 'capture', file, '--out', out], { stdio: 'ignore' });
    const tag = `-${child.pid}-0`;
    const deadline = Date.now() + 30_000;
    let runners: number[] = [];
    while (Date.now() < deadline) {
      runners = children_of(child.pid!);
      if (list_netns().some((n) => n.includes(tag)) && runners.length >= 2) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(list_netns().some((n) => n.includes(tag))).toBe(true);
    await new Promise((r) => setTimeout(r, 500));
    runners = children_of(child.pid!);
    const code = await new Promise<number | null>((resolve) => {
      child.on('exit', (c) => resolve(c));
      child.kill('SIGINT');
    });
    expect(code).toBe(130);
    expect(list_netns().filter((n) => n.includes(tag))).toEqual([]);
    expect(fs.readdirSync(MEMCG_V1_ROOT).filter((n) => n.includes(tag))).toEqual([]);
    for (const pid of runners) expect(is_alive(pid)).toBe(false);
    expect(fs.existsSync(out)).toBe(false);
    fs.rmSync(dir, { recursive: true });
  });
});

/** Live children of a process (its runners, which replace `ip netns exec` in place). */
function children_of(ppid: number): number[] {
  const out: number[] = [];
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[1]) === ppid && is_alive(Number(d))) out.push(Number(d));
    } catch {
      /* gone */
    }
  }
  return out;
}
