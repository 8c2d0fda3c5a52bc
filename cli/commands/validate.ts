import type { Command } from 'commander';
import { comparison_exit_code } from '../../model/compare/compare_runs';
import { render_table } from '../../validate/render_table';
import { write_report } from '../../validate/render_report';
import { validate_paths, validation_json } from '../../validate/validate_paths';
import { SimulatorMissingError } from '../../validate/load_simulator';
import { EnvironmentError } from '../main';

/**
 * `tcpmem validate <capture-dir>… [--json] [--report <file.md>]`: replays each capture's
 * scenario in the simulator with the capture's kernel profile and prints measured vs
 * simulated per metric. Exit 0 all judged metrics inside tolerance, 1 some outside,
 * 2 bad input (no capture, unknown kernel without profile), 3 simulator unavailable.
 */
export function register_validate(program: Command): void {
  program
    .command('validate')
    .description('Compare captures (kernel) with the simulator: measured, simulated, error, tolerance, pass/fail per metric')
    .argument('<capture-dir...>', 'run directories (meta.json inside) or scenario directories holding r0..rN repeats')
    .option('--json', 'print the comparison as JSON instead of a table')
    .option('--report <file.md>', 'also write a Markdown report with charts (SVG files in a directory named after the report)')
    .action(async (dirs: string[], opts: { json?: boolean; report?: string }) => {
      let out;
      try {
        out = validate_paths(dirs);
      } catch (err) {
        if (err instanceof SimulatorMissingError) throw new EnvironmentError(err.message);
        throw err;
      }
      for (const s of out.skipped) process.stderr.write(`tcpmem validate: skipped ${s}\n`);
      if (opts.report) {
        const { charts } = await write_report(opts.report, out.results, {
          command: `tcpmem validate ${dirs.join(' ')} --report ${opts.report}`,
        });
        process.stderr.write(`tcpmem validate: wrote ${opts.report} and ${charts.length} chart(s)\n`);
      }
      // bin/tcpmem.js calls process.exit() as soon as main() returns: wait until a large table
      // has been handed to the pipe, or it is cut at 64 KiB.
      const text = opts.json ? JSON.stringify(validation_json(out.results), null, 2) + '\n' : render_table(out.results);
      await new Promise<void>((resolve, reject) => process.stdout.write(text, (err) => (err ? reject(err) : resolve())));
      process.exitCode = comparison_exit_code(out.results.map((v) => v.comparison));
    });
}
