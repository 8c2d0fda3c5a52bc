import { Command, CommanderError } from 'commander';
import { InputError } from '../model/schema/format_zod_error';
import { tool_version } from './tool_version';
import { register_commands } from './commands';

/**
 * The `tcpmem` command. Returns the exit code: 0 success, 1 a check failed (e.g. validate
 * outside tolerance), 2 bad input (flags, files), 3 the environment cannot run it (no root...).
 */
export async function main(argv: string[]): Promise<number> {
  const program = new Command();
  program
    .name('tcpmem')
    .description('How much memory does the Linux kernel use per TCP connection? Model, capture, validate, plan.')
    .version(tool_version(), '-V, --version')
    .showHelpAfterError('(run with --help for the allowed flags)')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  await register_commands(program, argv);
  for (const c of program.commands) c.exitOverride().showHelpAfterError('(run with --help for the allowed flags)');
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return 0;
      return 2;
    }
    if (err instanceof InputError) {
      process.stderr.write(`tcpmem: ${err.message}\n`);
      return 2;
    }
    if (err instanceof EnvironmentError) {
      process.stderr.write(`tcpmem: ${err.message}\n`);
      return 3;
    }
    throw err;
  }
}

/** The machine cannot run this (not root, no namespaces, no qemu...): exit 3. */
export class EnvironmentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EnvironmentError';
  }
}
