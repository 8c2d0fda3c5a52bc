import type { Command } from 'commander';

// PLACEHOLDER owned by the helper building `tcpmem profile`: replace this whole file.
export function register_profile(program: Command): void {
  program
    .command('profile')
    .description('(being built)')
    .action(() => {
      throw new Error('tcpmem profile is not built yet');
    });
}
