import type { Command } from 'commander';

// PLACEHOLDER owned by the helper building `tcpmem validate`: replace this whole file.
export function register_validate(program: Command): void {
  program
    .command('validate')
    .description('(being built)')
    .action(() => {
      throw new Error('tcpmem validate is not built yet');
    });
}
