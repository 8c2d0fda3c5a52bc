import type { Command } from 'commander';

// PLACEHOLDER owned by the helper building `tcpmem plan`: replace this whole file.
export function register_plan(program: Command): void {
  program
    .command('plan')
    .description('(being built)')
    .action(() => {
      throw new Error('tcpmem plan is not built yet');
    });
}
