import type { Command } from 'commander';

// PLACEHOLDER owned by the helper building `tcpmem sweep`: replace this whole file.
export function register_sweep(program: Command): void {
  program
    .command('sweep')
    .description('(being built)')
    .action(() => {
      throw new Error('tcpmem sweep is not built yet');
    });
}
