import type { Command } from 'commander';

type Register = (program: Command) => void;

/**
 * Every subcommand, one file each. Modules are loaded lazily: only the subcommand being run
 * is loaded (the others pull in the simulator, vega, piscina…), so `tcpmem explain`
 * starts fast. `tcpmem --help` (no subcommand) loads them all to list them.
 */
const commands: Record<string, () => Promise<Register>> = {
  explain: async () => (await import('./explain')).register_explain,
  profile: async () => (await import('./profile')).register_profile,
  capture: async () => (await import('./capture')).register_capture,
  simulate: async () => (await import('./simulate')).register_simulate,
  validate: async () => (await import('./validate')).register_validate,
  plan: async () => (await import('./plan')).register_plan,
  sweep: async () => (await import('./sweep')).register_sweep,
};

export const command_names = Object.keys(commands);

export async function register_commands(program: Command, argv: readonly string[] = []): Promise<void> {
  const first = argv.slice(2).find((a) => !a.startsWith('-'));
  if (first !== undefined && first in commands) {
    (await commands[first]())(program);
    return;
  }
  for (const name of command_names) (await commands[name]())(program);
}
