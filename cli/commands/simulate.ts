import * as fs from 'node:fs';
import type { Command } from 'commander';
import { SingleBar } from 'cli-progress';
import { InputError } from '../../model/schema/format_zod_error';
import { parse_sim_scenario, simulate } from '../../model/sim';
import { resolve_profile } from '../../io/host_profile';
import { write_run_dir } from '../../io/run_dir';
import { tool_version } from '../tool_version';
import { read_json_file } from '../../io/read_json_file';

interface SimulateFlags {
  out: string;
  profile?: string;
  json?: boolean;
  force?: boolean;
}

/** Reads and validates a scenario file; errors name the file and the fields. */
export function read_scenario_file(file: string) {
  if (!fs.existsSync(file)) throw new InputError(`${file}: no such scenario file`);
  const value = read_json_file(file);
  return parse_sim_scenario(value, file);
}

/**
 * `tcpmem simulate <scenario.json> --out <dir>`: runs the discrete simulator (model/sim) and writes the
 * run layout a capture writes (meta.json, sockets.csv, global.csv), atomically.
 */
export function register_simulate(program: Command): void {
  program
    .command('simulate')
    .description('Simulate a scenario on a kernel profile and write a run directory shaped like a capture')
    .argument('<scenario.json>', 'scenario file (format tcpmem-scenario/1)')
    .requiredOption('--out <dir>', 'run directory to write (meta.json, sockets.csv, global.csv)')
    .option('--profile <id|file>', 'kernel profile: a builtin id, a profile .json, or "host" (default: the running host\'s, else the 6.18.44 reference)')
    .option('--json', 'print a JSON summary on stdout')
    .option('--force', 'replace --out if it exists')
    .action((file: string, flags: SimulateFlags) => {
      const scenario = read_scenario_file(file);
      if (fs.existsSync(flags.out) && !flags.force) throw new InputError(`--out ${flags.out}: already exists; pass --force to replace it`);
      const { profile, source } = resolve_profile(flags.profile);
      const started = process.hrtime.bigint();
      let bar: SingleBar | null = null;
      const tty = process.stderr.isTTY === true;
      const result = simulate(scenario, profile, {
        tool_version: tool_version(),
        on_progress: (sim_ms, total_ms) => {
          if (!tty) return;
          const elapsed_ms = Number(process.hrtime.bigint() - started) / 1e6;
          if (!bar && elapsed_ms > 1000) {
            bar = new SingleBar({ stream: process.stderr, format: 'simulate [{bar}] {percentage}% | {value}/{total} simulated ms' });
            bar.start(Math.round(total_ms), 0);
          }
          bar?.update(Math.round(sim_ms));
        },
      });
      (bar as SingleBar | null)?.stop();
      const wall_ms = Number(process.hrtime.bigint() - started) / 1e6;
      result.run.meta.scenario_file = file;
      write_run_dir(flags.out, result.run, { overwrite: flags.force === true });
      const last = result.run.global[result.run.global.length - 1];
      const summary = {
        scenario: scenario.name,
        scenario_file: file,
        profile: profile.id,
        profile_source: source,
        out: flags.out,
        events: result.events,
        simulated_connections: result.run.meta.sim?.socket_classes ?? null,
        connections: scenario.groups.reduce((a, g) => a + g.count, 0),
        samples: result.run.global.length,
        socket_rows: result.run.sockets.length,
        simulated_ms: scenario.sampling.duration_ms,
        wall_ms: Math.round(wall_ms),
        speed_vs_real_time: Math.round((scenario.sampling.duration_ms / Math.max(wall_ms, 1e-3)) * 10) / 10,
        peak_state_bytes: result.peak_state_bytes,
        final: last ? last.values : null,
        notes: result.run.meta.notes,
      };
      if (flags.json) {
        process.stdout.write(JSON.stringify(summary, null, 2) + '\n');
      } else {
        process.stdout.write(
          `simulated ${scenario.name} on ${profile.id}: ${summary.connections} connections (${summary.simulated_connections} simulated), ` +
            `${result.events} events, ${summary.samples} samples in ${summary.wall_ms} ms → ${flags.out}\n`,
        );
      }
    });
}
