/**
 * `npm run bench` (node dist/bench/main.js): simulator throughput, scale and state size, measured in one
 * run and written to bench/results.json. Timing happens here, at the edge; nothing under model/ reads
 * a clock. Each figure says what it measured; targets are from issue 4.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse_scenario } from '../model/scenario/parse_scenario';
import { get_builtin_profile } from '../model/profile/builtin_profiles';
import { parse_sim_scenario, simulate } from '../model/sim';
import type { KernelProfile } from '../model/profile/kernel_profile';
import { push_server_input, segments_input } from './bench_scenarios';

interface Figure {
  name: string;
  value: number;
  unit: string;
  target: string;
  met: boolean | null;
  detail: string;
}

function now_ms(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/** CPU time (user + system) this process has used, ms: on a loaded machine a fairer per-core measure than wall. */
function cpu_ms(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

function push_scenario(connections: number, duration_ms: number, stagger: boolean) {
  return parse_scenario(
    push_server_input(connections, duration_ms, stagger, 'push server: each connection receives one 512-byte message per minute, read at once'),
    'simulate',
  );
}

/** Figure 1 and 2: the push server (1M connections, 60 simulated seconds). */
function bench_push(p: KernelProfile, connections: number): Figure[] {
  const s = push_scenario(connections, 60_000, true);
  if (global.gc) global.gc();
  const rss0 = process.memoryUsage().rss;
  let peak_rss = rss0;
  const t0 = now_ms();
  const c0 = cpu_ms();
  const r = simulate(s, p, {
    socket_rows: false,
    on_progress: () => {
      peak_rss = Math.max(peak_rss, process.memoryUsage().rss);
    },
  });
  const wall = now_ms() - t0;
  const cpu = cpu_ms() - c0;
  peak_rss = Math.max(peak_rss, process.memoryUsage().rss);
  const speed = 60_000 / wall;
  return [
    {
      name: 'push_server_speed_vs_real_time',
      value: round(speed, 1),
      unit: '× real time',
      target: '≥ 10× on one core',
      met: speed >= 10,
      detail: `${connections} connections, 512 B/min each, 60 simulated s in ${Math.round(wall)} ms wall (${Math.round(cpu)} ms CPU: ${round(60_000 / cpu, 1)}× per CPU-second); ${r.events} events`,
    },
    {
      name: 'push_server_events_per_s',
      value: Math.round(r.events / (wall / 1000)),
      unit: 'events/s',
      target: '≥ 3,000,000 segment events/s per core with 1M connections pending',
      met: r.events / (wall / 1000) >= 3e6,
      detail: `all event kinds (write, segment delivery, ACK, read, timers) with ${connections} connections each holding a pending timer; includes setup and sampling; ${Math.round(r.events / (cpu / 1000))} per CPU-second`,
    },
    {
      name: 'push_server_peak_rss_bytes',
      value: peak_rss,
      unit: 'bytes',
      target: '< 4 GB',
      met: peak_rss < 4e9,
      detail: `process RSS (node + simulator), sampled at progress callbacks; simulator arrays ${r.peak_state_bytes} bytes`,
    },
  ];
}

/** Figure 3: segment events per second with 1M connections pending (busy phase only). */
function bench_segments(p: KernelProfile, connections: number): Figure {
  // every connection sends 1 message per second for 3 simulated seconds: ~3M writes, each a segment
  // delivery and an ACK; the heap holds one pending writer timer per connection throughout
  const s = parse_scenario(segments_input(connections), 'simulate');
  const t0 = now_ms();
  const c0 = cpu_ms();
  const r = simulate(s, p, { socket_rows: false });
  const wall = now_ms() - t0;
  const cpu = cpu_ms() - c0;
  const rate = r.events / (wall / 1000);
  return {
    name: 'segment_events_per_s_1m_pending',
    value: Math.round(rate),
    unit: 'events/s',
    target: '≥ 3,000,000 per core',
    met: rate >= 3e6,
    detail: `${connections} connections pending, ${r.events} events in ${Math.round(wall)} ms wall, ${Math.round(cpu)} ms CPU (${Math.round(r.events / (cpu / 1000))} per CPU-second) (setup included)`,
  };
}

/** Figure 4: simulator state per mostly idle connection (weighting off, so every connection is held). */
function bench_state(p: KernelProfile, connections: number): Figure {
  const s = push_scenario(connections, 1000, true);
  const r = simulate(s, p, { socket_rows: false, allow_weighting: false });
  const per = r.peak_state_bytes / connections;
  return {
    name: 'state_bytes_per_idle_connection',
    value: round(per, 1),
    unit: 'bytes',
    target: '≤ 256',
    met: per <= 256,
    detail: `every typed array the simulator holds (cold rows, templates, hot pool and template index at capacity, group numbers, rate-writer schedule, event queue, skb pool), at its peak / ${connections} connections`,
  };
}

/** Figure 5: committed captures vs simulating the same scenario. */
function bench_captures(p_default: KernelProfile): Figure[] {
  const root = path.join(__dirname, '..', '..', 'data', 'captures');
  const out: Figure[] = [];
  if (!fs.existsSync(root)) return out;
  const metas: string[] = [];
  const walk = (d: string, depth: number) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const f = path.join(d, e.name);
      if (e.isDirectory() && depth < 4) walk(f, depth + 1);
      else if (e.name === 'meta.json') metas.push(f);
    }
  };
  walk(root, 0);
  const by_scenario = new Map<string, { capture_ms: number; sim_ms: number; profile: string }[]>();
  for (const m of metas.sort()) {
    let meta: { scenario?: unknown; wall_ms?: number | null; profile_id?: string | null; source?: string };
    try {
      meta = JSON.parse(fs.readFileSync(m, 'utf8'));
    } catch {
      continue;
    }
    if (meta.source === 'simulator' || !meta.wall_ms || !meta.scenario) continue;
    let p = p_default;
    try {
      if (meta.profile_id) p = get_builtin_profile(meta.profile_id);
    } catch {
      p = p_default;
    }
    let wall: number;
    try {
      const s = parse_sim_scenario(meta.scenario, m);
      const t0 = now_ms();
      simulate(s, p, {});
      wall = now_ms() - t0;
    } catch (err) {
      process.stdout.write(`capture ${m}: not simulated (${(err as Error).message.split('\n')[0]})\n`);
      continue;
    }
    const key = path.relative(root, path.dirname(path.dirname(m)));
    const list = by_scenario.get(key) ?? [];
    list.push({ capture_ms: meta.wall_ms, sim_ms: wall, profile: p.id });
    by_scenario.set(key, list);
  }
  for (const [key, list] of by_scenario) {
    const ratios = list.map((x) => x.capture_ms / x.sim_ms).sort((a, b) => a - b);
    const median = ratios[Math.floor(ratios.length / 2)];
    out.push({
      name: `capture_vs_sim_wall:${key}`,
      value: round(median, 1),
      unit: '× (capture wall / simulate wall, median of repeats)',
      target: 'report',
      met: null,
      detail: `${list.length} repeats; capture ${list.map((x) => Math.round(x.capture_ms)).join('/')} ms, simulate ${list.map((x) => round(x.sim_ms, 1)).join('/')} ms (profile ${list[0].profile})`,
    });
  }
  return out;
}

function round(x: number, d: number): number {
  const k = 10 ** d;
  return Math.round(x * k) / k;
}

async function main(): Promise<void> {
  const p = get_builtin_profile('6.18.44-reference');
  const n = Number(process.env.TCPMEM_BENCH_CONNECTIONS ?? 1_000_000);
  const figures: Figure[] = [];
  const log = (f: Figure) => {
    figures.push(f);
    const met = f.met === null ? '' : f.met ? '  (target met)' : '  (target NOT met)';
    process.stdout.write(`${f.name}: ${f.value} ${f.unit}  [target ${f.target}]${met}\n    ${f.detail}\n`);
  };
  for (const f of bench_push(p, n)) log(f);
  log(bench_segments(p, n));
  log(bench_state(p, n));
  for (const f of bench_captures(p)) log(f);

  let sweep: unknown = null;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require('./sweep_bench') as { run_sweep_bench?: () => unknown };
    if (typeof mod.run_sweep_bench !== 'function') throw new Error('bench/sweep_bench does not export run_sweep_bench()');
    sweep = await mod.run_sweep_bench();
    for (const f of sweep as { name: string; value: number; unit: string; note?: string }[]) {
      process.stdout.write(`${f.name}: ${f.value.toFixed(2)} ${f.unit}${f.note ? `\n    ${f.note}` : ''}\n`);
    }
  } catch (err) {
    const why = (err as Error).message.split('\n')[0];
    process.stdout.write(`sweep bench skipped: ${why}\n`);
    sweep = { skipped: why };
  }

  process.stdout.write(`load average during the run: ${os.loadavg().map((x) => x.toFixed(1)).join(' ')} (other work on the machine slows every figure)\n`);
  const machine = {
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cpus: os.cpus().length,
    mem_total_bytes: os.totalmem(),
    node: process.version,
    kernel: os.release(),
    loadavg_at_end: os.loadavg().map((x) => Math.round(x * 10) / 10),
  };
  const file = path.join(__dirname, '..', '..', 'bench', 'results.json');
  fs.writeFileSync(file, JSON.stringify({ measured_on: machine, connections: n, figures, sweep }, null, 2) + '\n');
  process.stdout.write(`machine: ${machine.cpu}, ${machine.cpus} CPUs, ${Math.round(machine.mem_total_bytes / 2 ** 30)} GiB, node ${machine.node}\nwrote ${file}\n`);
}

main().catch((err) => {
  process.stderr.write(`bench failed: ${(err as Error).stack ?? err}\n`);
  process.exitCode = 1;
});
