import type { Command } from 'commander';

// PLACEHOLDER owned by the helper building `tcpmem explain`: replace this whole file.
export function register_explain(program: Command): void {
  program
    .command('explain')
    .description('(being built)')
    .action(() => {
      throw new Error('tcpmem explain is not built yet');
    });
}
