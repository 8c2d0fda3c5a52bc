import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Command } from 'commander';
import { SingleBar } from 'cli-progress';
import { parse_scenario, type Scenario } from '../../model/scenario';
import { InputError } from '../../model/schema/format_zod_error';
import { integer_in } from '../option_parsers';
import { read_json_file } from '../../io/read_json_file';

interface CaptureFlags {
  out: string;
  repeat: number;
  force?: boolean;
  vm?: string;
}

function read_scenario(file: string, target: 'capture' | 'vm'): Scenario {
  if (!fs.existsSync(file)) throw new InputError(`${file}: no such scenario file`);
  const value = read_json_file(file);
  return parse_scenario(value, target, file);
}

/** A progress bar on stderr for captures longer than ~1 s, only when stderr is a terminal. */
function progress(total_ms: number, label: string): { update: (done_ms: number, total: number) => void; stop: () => void } {
  if (!process.stderr.isTTY || total_ms < 1000) return { update: () => undefined, stop: () => undefined };
  const bar = new SingleBar({ stream: process.stderr, format: `${label} [{bar}] {value}/{total} ms`, hideCursor: true });
  bar.start(total_ms, 0);
  return { update: (d, t) => bar.update(Math.min(d, t)), stop: () => bar.stop() };
}

/**
 * `tcpmem capture <scenario.json> --out <dir> [--repeat N] [--force] [--vm <name>]`: runs the
 * scenario on the running kernel (or in a VM) and writes run directories (io/run_dir.ts);
 * with --repeat N they go to <dir>/r0 … r(N-1).
 */
export function register_capture(program: Command): void {
  program
    .command('capture')
    .description('Run a scenario on the real kernel inside private network namespaces and record what it did (needs root).')
    .argument('<scenario>', 'scenario file (JSON, format tcpmem-scenario/1; see data/README.md)')
    .requiredOption('--out <dir>', 'run directory to write (with --repeat: its r0, r1, … subdirectories)')
    .option('--repeat <n>', 'how many times to run the scenario (1 to 20)', integer_in(1, 20), 1)
    .option('--force', 'replace existing run directories')
    .option('--vm <name>', 'run inside the named virtual machine instead of on this host')
    .action(async (file: string, flags: CaptureFlags) => {
      const scenario = read_scenario(file, flags.vm ? 'vm' : 'capture');
      const dirs = flags.repeat === 1 ? [flags.out] : Array.from({ length: flags.repeat }, (_, i) => path.join(flags.out, `r${i}`));
      if (!flags.force) {
        for (const d of dirs) if (fs.existsSync(d)) throw new InputError(`--out ${d}: already exists; pass --force to replace it`);
      }
      const total = scenario.sampling.settle_ms + scenario.sampling.duration_ms;
      if (flags.vm) {
        const bar = progress(total * flags.repeat, `capture ${scenario.name} (vm ${flags.vm})`);
        try {
          // Dynamic import through a variable: the VM engineer owns vm/; capture builds without it.
          const vm_module = '../../vm';
          const vm = (await import(vm_module)) as {
            run_vm_capture: (o: Record<string, unknown>) => Promise<unknown>;
          };
          await vm.run_vm_capture({ scenario, scenario_file: file, out: flags.out, vm: flags.vm, repeat: flags.repeat, force: !!flags.force, on_progress: bar.update });
        } finally {
          bar.stop();
        }
        return;
      }
      const { run_capture } = await import('../../capture/run_capture');
      const { write_run_dir } = await import('../../io/run_dir');
      for (const [i, dir] of dirs.entries()) {
        const bar = progress(scenario.sampling.duration_ms, `capture ${scenario.name}${flags.repeat > 1 ? ` r${i}` : ''}`);
        let run;
        try {
          run = await run_capture({ scenario, scenario_file: file, repeat_index: i, source: 'kernel', allow_global_sysctls: false, on_progress: bar.update });
        } finally {
          bar.stop();
        }
        write_run_dir(dir, run, { overwrite: !!flags.force });
        process.stderr.write(`tcpmem: wrote ${dir} (${run.sockets.length} socket rows, ${run.global.length} samples, ${(run.meta.wall_ms ?? 0) / 1000} s)\n`);
      }
    });
}
