import type { Command } from 'commander';

// PLACEHOLDER owned by the helper building `tcpmem capture`: replace this whole file.
export function register_capture(program: Command): void {
  program
    .command('capture')
    .description('(being built)')
    .action(() => {
      throw new Error('tcpmem capture is not built yet');
    });
}
