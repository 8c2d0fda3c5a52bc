import * as path from 'node:path';
import { Option, type Command } from 'commander';
import { SingleBar, Presets } from 'cli-progress';
import { integer_in } from '../option_parsers';
import { InputError } from '../../model/schema/format_zod_error';
import { tool_version } from '../tool_version';
import { default_workers, load_sweep, merge_sweeps, parse_shard, run_sweep, CSV, JOURNAL } from '../../sweep';

interface SweepFlags {
  out?: string;
  workers?: number;
  shard?: string;
  force?: boolean;
  progress: boolean;
  runner?: string;
}

/** A progress bar with ETA on stderr (a line every 2 s when stderr is not a terminal). */
function progress_bar(enabled: boolean): { update: (done: number, total: number) => void; stop: () => void } {
  if (!enabled) return { update: () => undefined, stop: () => undefined };
  const bar = new SingleBar(
    {
      format: 'sweep [{bar}] {percentage}% | {value}/{total} points | {rate} points/s | ETA {eta_formatted}',
      stream: process.stderr,
      noTTYOutput: true,
      notTTYSchedule: 2000,
      etaBuffer: 50,
      hideCursor: true,
    },
    Presets.shades_classic,
  );
  let started = false;
  let t0 = 0;
  let first = 0;
  return {
    update(done, total) {
      if (!started) {
        bar.start(total, done, { rate: '0.0' });
        started = true;
        t0 = Date.now();
        first = done;
        return;
      }
      const secs = (Date.now() - t0) / 1000;
      bar.update(done, { rate: secs > 0 ? ((done - first) / secs).toFixed(1) : '0.0' });
    },
    stop() {
      if (started) bar.stop();
    },
  };
}

export function register_sweep(program: Command): void {
  const sweep = program
    .command('sweep')
    .description('Run a sweep file (grid or list over scenario parameters) through the simulator on worker threads; resumable and shardable. `tcpmem sweep merge` joins shards.')
    .argument('[sweep.json]', 'the sweep file (format tcpmem-sweep/1, see docs/planning.md)')
    .option('--out <dir>', 'output directory (points.csv, points.jsonl, manifest.json); default: sweep-out/<name>[-shard-i-of-n]')
    .option('--workers <n>', 'worker threads (default: one per core)', integer_in(1, 256))
    .option('--shard <i/n>', 'run only points with index ≡ i (mod n), i from 0 to n-1 (for array jobs)')
    .option('--force', 'discard results of a different sweep found in --out')
    .option('--no-progress', 'no progress bar')
    .enablePositionalOptions()
    .addHelpText('after', '\nAn interrupted sweep resumes when run again with the same --out: finished points are kept, the rest run.')
    .action(async (file: string | undefined, flags: SweepFlags) => {
      if (!file) {
        sweep.help({ error: true });
        return;
      }
      const expanded = load_sweep(file);
      const shard = flags.shard ? parse_shard(flags.shard) : null;
      const out = flags.out ?? path.join('sweep-out', shard ? `${expanded.name}-shard-${shard.i}-of-${shard.n}` : expanded.name);
      const bar = progress_bar(flags.progress);
      const controller = new AbortController();
      const stop = () => controller.abort();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      try {
        const r = await run_sweep(expanded, {
          out,
          shard,
          workers: flags.workers ?? default_workers(),
          force: flags.force,
          tool_version: tool_version(),
          runner_module: flags.runner ? path.resolve(flags.runner) : undefined,
          on_progress: bar.update,
          signal: controller.signal,
        });
        bar.stop();
        const where = `${path.join(out, CSV)} and ${path.join(out, JOURNAL)}`;
        if (r.interrupted) {
          process.stderr.write(`tcpmem sweep: interrupted after ${r.resumed + r.ran} of ${r.total} points; rerun the same command to resume (${where})\n`);
          process.exitCode = 130;
        } else {
          process.stderr.write(`tcpmem sweep: ${r.total} points${shard ? ` (shard ${shard.i}/${shard.n} of ${expanded.points.length})` : ''} done: ${r.ran} run now, ${r.resumed} resumed → ${where}\n`);
        }
      } finally {
        bar.stop();
        process.removeListener('SIGINT', stop);
        process.removeListener('SIGTERM', stop);
      }
    });
  // Hidden: a CommonJS module exporting run_point(task), used by the tests instead of the simulator.
  sweep.addOption(new Option('--runner <module>', 'test hook').hideHelp());

  sweep
    .command('merge')
    .description('Join the output directories of the shards of one sweep (identical rows to an unsharded run).')
    .argument('<dirs...>', 'shard output directories')
    .option('--out <dir>', 'merged output directory (required)')
    .option('--allow-partial', 'write the merge even if some points are missing')
    .option('--force', 'replace a non-empty --out')
    .action((dirs: string[], flags: { out?: string; allowPartial?: boolean; force?: boolean }) => {
      // The root command does not use positional options, so `--out`/`--force` after `merge` may land on `sweep`.
      const parent = sweep.opts<{ out?: string; force?: boolean }>();
      const out = flags.out ?? parent.out;
      if (!out) throw new InputError('sweep merge: --out <dir> is required (the merged output directory)');
      const r = merge_sweeps(out, dirs, { allow_partial: flags.allowPartial, force: flags.force ?? parent.force, tool_version: tool_version() });
      process.stderr.write(`tcpmem sweep merge: ${r.points} points from ${dirs.length} directories${r.missing > 0 ? ` (${r.missing} missing)` : ''} → ${out}\n`);
    });
}
