import type { Cleanup } from './cleanup';
import { run, run_sync } from './exec';
import { parse_sysctl_listing } from './parsers/parse_sysctl';

/** Writes one sysctl inside a namespace (`ip netns exec <ns> sysctl -w`). */
export async function set_sysctl(ns: string, key: string, value: string | number): Promise<void> {
  await run('ip', ['netns', 'exec', ns, 'sysctl', '-q', '-w', `${key}=${value}`]);
}

/**
 * Writes a global sysctl (only allowed inside a VM capture) and registers restoring its old
 * value. Never called for a host capture: run_capture refuses global sysctls there.
 */
export async function set_global_sysctl(ns: string, key: string, value: string | number, cleanup: Cleanup): Promise<void> {
  const old = (await run('ip', ['netns', 'exec', ns, 'sysctl', '-n', key])).trim().replace(/\s+/g, ' ');
  cleanup.add(`restore ${key}`, () => {
    if (run_sync('ip', ['netns', 'exec', ns, 'sysctl', '-q', '-w', `${key}=${old}`]) === null) throw new Error(`could not restore ${key}=${old}`);
  });
  await set_sysctl(ns, key, value);
}

/** Every net.* sysctl as read inside the namespace. */
export async function read_net_sysctls(ns: string): Promise<Record<string, string>> {
  const text = await run('ip', ['netns', 'exec', ns, 'sh', '-c', "sysctl -a --pattern '^net\\.' 2>/dev/null || true"]);
  return parse_sysctl_listing(text);
}
