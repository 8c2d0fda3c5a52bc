import * as fs from 'node:fs';
import * as path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { EnvironmentError } from '../cli/main';
import { write_run_dir } from '../io/run_dir';
import type { Run } from '../model/run_output';
import { parse_scenario, type Scenario } from '../model/scenario';
import { InputError } from '../model/schema/format_zod_error';
import { boot_vm } from './boot_vm';
import { parse_progress_line } from './guest_job';
import { vm_kind_names, vm_kinds } from './vm_kinds';

export interface RunVmCaptureOptions {
  scenario: Scenario;
  scenario_file: string | null;
  out: string;
  vm: string;
  repeat: number;
  force: boolean;
  on_progress?: (done_ms: number, total_ms: number) => void;
  /** Console lines of the guest (kernel messages, runner output), for debugging. */
  on_console_line?: (line: string) => void;
}

/** Boot budget under TCG (kernel + 45 MB initramfs unpack + module load): 28-60 s measured on a loaded host, 3x margin. */
export const BOOT_BUDGET_MS = 180_000;
/** Wall time per scenario millisecond under TCG (the runners fall seconds behind on a loaded host). */
export const TCG_WALL_FACTOR = 4;
/** Wall time per sample under TCG: each spawns ip netns exec + ss/nstat; 3-5 s measured on a loaded host. */
export const TCG_SAMPLE_MS = 6_000;

/** Congestion-control modules a scenario names (tcp_<name>); built-in ones are skipped later. */
export function scenario_modules(s: Scenario): string[] {
  const names = new Set<string>();
  const cc = s.kernel.sysctls['net.ipv4.tcp_congestion_control'];
  if (typeof cc === 'string') names.add(cc);
  for (const g of s.groups) {
    for (const o of [g.writer_sockopts, g.reader_sockopts]) if (o.tcp_congestion) names.add(o.tcp_congestion);
  }
  return [...names].map((n) => `tcp_${n}`);
}

/** Where repeat i goes: <out> itself for a single run, <out>/r<i> with --repeat (as the live capture). */
export function run_dirs(out: string, repeat: number): string[] {
  return repeat === 1 ? [out] : Array.from({ length: repeat }, (_, i) => path.join(out, `r${i}`));
}

export function vm_timeout_ms(s: Scenario, repeat: number): number {
  const conns = s.groups.reduce((a, g) => a + g.count, 0);
  const samples = Math.floor(s.sampling.duration_ms / s.sampling.interval_ms) + 1;
  const per_run = (s.sampling.settle_ms + s.sampling.duration_ms) * TCG_WALL_FACTOR + samples * TCG_SAMPLE_MS + 60_000 + conns * 50;
  return BOOT_BUDGET_MS + repeat * per_run;
}

/**
 * `tcpmem capture --vm <name>`: boots the named VM once, runs the scenario `repeat` times
 * inside it with the same capture code as on the host (source 'vm', global sysctls such as
 * net.ipv4.tcp_mem allowed), and writes ordinary run directories.
 */
export async function run_vm_capture(opts: RunVmCaptureOptions): Promise<void> {
  const kind = vm_kinds[opts.vm];
  if (!kind) throw new InputError(`--vm ${opts.vm}: unknown virtual machine; allowed: ${vm_kind_names().join(', ')}`);
  if (!Number.isInteger(opts.repeat) || opts.repeat < 1) throw new InputError(`--repeat ${opts.repeat}: must be a whole number >= 1`);
  const scenario = parse_scenario(opts.scenario, 'vm');
  const dirs = run_dirs(opts.out, opts.repeat);
  if (!opts.force) for (const d of dirs) if (fs.existsSync(d)) throw new InputError(`--out ${d}: already exists; pass --force to replace it`);

  const per_run_ms = scenario.sampling.settle_ms + scenario.sampling.duration_ms;
  const total_ms = per_run_ms * opts.repeat;
  const res = await boot_vm(
    kind,
    { mode: 'capture', vm: kind.name, scenario, scenario_file: opts.scenario_file, repeat: opts.repeat, profile_id: kind.profile_id },
    {
      timeout_ms: vm_timeout_ms(scenario, opts.repeat),
      extra_modules: scenario_modules(scenario),
      on_console_line: (line) => {
        opts.on_console_line?.(line);
        const p = parse_progress_line(line);
        if (p && opts.on_progress) opts.on_progress(Math.min(total_ms, p.repeat_index * per_run_ms + p.done_ms), total_ms);
      },
    },
  );
  const err = res.blocks.find((b) => b.kind === 'error');
  if (err) {
    const e = JSON.parse(gunzipSync(err.payload).toString('utf8')) as { name: string; message: string };
    const msg = `inside the ${kind.name} VM: ${e.message}`;
    if (e.name === 'InputError') throw new InputError(msg);
    throw new EnvironmentError(msg);
  }
  const runs = res.blocks.filter((b) => b.kind === 'run').map((b) => JSON.parse(gunzipSync(b.payload).toString('utf8')) as Run);
  if (runs.length !== opts.repeat) {
    throw new EnvironmentError(
      `the ${kind.name} VM returned ${runs.length} of ${opts.repeat} runs; last console lines:\n  ${res.console_tail.slice(-15).join('\n  ')}`,
    );
  }
  for (const [i, run] of runs.entries()) {
    if (!run.meta.kernel_release.startsWith(kind.kernel_release.split('-')[0].split('.').slice(0, 2).join('.'))) {
      throw new EnvironmentError(`the ${kind.name} VM booted kernel ${run.meta.kernel_release}, expected ${kind.kernel_release}`);
    }
    run.meta.source = 'vm';
    run.meta.scenario_file = opts.scenario_file;
    run.meta.notes.push(
      `Captured in a QEMU guest (${kind.name}: ${kind.kernel_package} ${res.kernel_package_version}, ${kind.cpus} vCPUs, ${kind.memory_mib} MiB, TCG software emulation): ` +
        'the guest runs 10-50x slower than hardware, so timing-dependent values (RTT on lo/veth, ACK timing, autotuning rounds) differ from a native run; byte accounting does not.',
    );
    write_run_dir(dirs[i], run, { overwrite: opts.force });
  }
}
