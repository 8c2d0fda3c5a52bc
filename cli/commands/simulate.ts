import type { Command } from 'commander';

// PLACEHOLDER owned by the helper building `tcpmem simulate`: replace this whole file.
export function register_simulate(program: Command): void {
  program
    .command('simulate')
    .description('(being built)')
    .action(() => {
      throw new Error('tcpmem simulate is not built yet');
    });
}
