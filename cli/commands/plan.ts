import * as fs from 'node:fs';
import * as path from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { byte_size, integer_in, number_in, one_of } from '../option_parsers';
import { builtin_profile_ids, get_builtin_profile } from '../../model/profile';
import { parse_scenario, type Scenario } from '../../model/scenario';
import { InputError } from '../../model/schema/format_zod_error';
import { summarize_run } from '../../model/summary';
import {
  group_sample_from_summary,
  plan_workload,
  render_plan_text,
  sample_scenario,
  type GroupSample,
  type PlanSide,
} from '../../model/plan';
import { load_simulator } from '../../sweep/point_runner';
import { read_json_file } from '../../io/read_json_file';

/** data/workloads next to the package (dist/cli/commands → ../../../data; cli/commands → ../../data). */
export function workloads_dir(): string {
  for (const d of [path.join(__dirname, '..', '..', '..', 'data', 'workloads'), path.join(__dirname, '..', '..', 'data', 'workloads')]) {
    if (fs.existsSync(d)) return d;
  }
  return path.join(__dirname, '..', '..', '..', 'data', 'workloads');
}

export function workload_names(): string[] {
  const d = workloads_dir();
  return fs.existsSync(d) ? fs.readdirSync(d).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5)).sort() : [];
}

/** A library workload by name, or a scenario file; errors name --workload and the allowed names. */
export function load_workload(arg: string): Scenario {
  const is_file = arg.endsWith('.json') || arg.includes('/');
  const file = is_file ? arg : path.join(workloads_dir(), `${arg}.json`);
  if (!fs.existsSync(file)) {
    throw new InputError(`--workload: "${arg}" is neither a library workload nor a file; allowed: ${workload_names().join(', ')}, or a path to a scenario .json`);
  }
  const raw = read_json_file(file, `--workload ${file}`);
  return parse_scenario(raw, 'simulate', `--workload ${file}`);
}

/** A connection count: 12000000, 12_000_000, 100k, 1M, 12M, 1.5M. */
export function connection_count(v: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kKmMgG]?)\s*$/.exec(v.replace(/_/g, ''));
  if (!m) throw new InvalidArgumentError(`"${v}" is not a connection count; write e.g. 100000, 100k, 1M, 12M (allowed: 1 to 1000000000)`);
  const mult = { '': 1, k: 1e3, m: 1e6, g: 1e9 }[m[2].toLowerCase()] ?? 1;
  const n = Math.round(Number(m[1]) * mult);
  if (n < 1 || n > 1e9) throw new InvalidArgumentError(`${n} is out of range; allowed: 1 to 1000000000`);
  return n;
}

/** net.ipv4.tcp_mem as "min pressure max" pages. */
export function tcp_mem_triple(v: string): [number, number, number] {
  const parts = v.trim().split(/[\s,]+/);
  if (parts.length !== 3 || parts.some((x) => !/^\d+$/.test(x))) {
    throw new InvalidArgumentError(`"${v}" is not three page counts; write e.g. "287898 383865 575796" (min pressure max, in 4 KiB pages)`);
  }
  const t = parts.map(Number) as [number, number, number];
  if (!(t[0] >= 1 && t[0] <= t[1] && t[1] <= t[2])) throw new InvalidArgumentError(`"${v}": need 1 <= min <= pressure <= max`);
  return t;
}

interface PlanFlags {
  workload: string;
  connections: number;
  ram?: number;
  tcpMem?: [number, number, number];
  profile: string;
  side: PlanSide;
  rttMs?: number;
  sample: number;
  json?: boolean;
}

/** Simulates a small sample of each group whose peak or steady state is not exact (the edge: wall clock). */
function simulate_samples(p: ReturnType<typeof get_builtin_profile>, scenario: Scenario, sample: number): { samples: Record<string, GroupSample>; note: string } {
  if (sample === 0) return { samples: {}, note: 'simulation disabled (--sample 0): peaks are analytic estimates or bounds' };
  let simulate;
  try {
    simulate = load_simulator();
  } catch (err) {
    return { samples: {}, note: `simulator not available (${(err as Error).message}); peaks are analytic estimates or bounds` };
  }
  const samples: Record<string, GroupSample> = {};
  const t0 = Date.now();
  const done: string[] = [];
  for (const g of scenario.groups) {
    if (g.writer.program.kind === 'none') continue; // idle: exact, nothing to simulate
    const s = sample_scenario(scenario, g.name, sample);
    const r = simulate(s, p);
    samples[g.name] = group_sample_from_summary(summarize_run(r.run, { profile: p }));
    done.push(`${g.name} (${s.groups[0].count} connections, ${s.sampling.duration_ms / 1000} s)`);
  }
  return {
    samples,
    note: done.length > 0 ? `simulated samples: ${done.join(', ')} in ${Date.now() - t0} ms; used where no exact analytic figure exists` : 'no group needed simulation (all figures exact)',
  };
}

export function register_plan(program: Command): void {
  program
    .command('plan')
    .description('Kernel memory for N connections of a workload: slab and buffers at steady state and peak, tcp_mem crossings, RAM fit, tunings.')
    .requiredOption('--workload <name|file.json>', `a library workload (${workload_names().join(', ')}) or a scenario file`)
    .requiredOption('--connections <N>', 'connections to plan for (e.g. 100k, 1M, 12M)', connection_count)
    .option('--ram <size>', 'RAM of the machine (e.g. 64GiB); tcp_mem is computed from it as the kernel does (R-6.1)', byte_size(64 * 1024 ** 2, 1024 ** 5))
    .option('--tcp-mem <"min pressure max">', 'net.ipv4.tcp_mem in pages (overrides the computed one)', tcp_mem_triple)
    .option('--profile <id>', `kernel profile (${builtin_profile_ids().join(', ')})`, one_of(builtin_profile_ids()), builtin_profile_ids()[0])
    .option('--side <side>', 'which socket of each connection is on the planned host: server, client, both', one_of(['server', 'client', 'both'] as const), 'server')
    .option('--rtt-ms <ms>', 'round-trip time for window → throughput (default: the link\'s, else 10)', number_in(0.001, 100_000))
    .option('--sample <n>', 'connections per group to simulate for peaks (0 = analytic only)', integer_in(0, 10_000), 20)
    .option('--json', 'print the plan as JSON')
    .action((flags: PlanFlags) => {
      const t0 = Date.now();
      const p = get_builtin_profile(flags.profile);
      const scenario = load_workload(flags.workload);
      const { samples, note } = simulate_samples(p, scenario, flags.sample);
      const plan = plan_workload(p, scenario, {
        connections: flags.connections,
        side: flags.side,
        ram_bytes: flags.ram ?? null,
        tcp_mem: flags.tcpMem ?? null,
        rtt_ms: flags.rttMs ?? null,
        samples,
      });
      const elapsed_ms = Date.now() - t0;
      if (flags.json) process.stdout.write(JSON.stringify({ ...plan, simulation: note, elapsed_ms }, null, 2) + '\n');
      else process.stdout.write(render_plan_text(plan, { elapsed_ms, simulation: note }));
    });
}
