import type { Cleanup } from './cleanup';
import { run, run_sync } from './exec';
import { parse_sysctl_listing } from './parsers/parse_sysctl';

/** Writes one sysctl inside a namespace (`ip netns exec <ns> sysctl -w`). */
export async function set_sysctl(ns: string, key: string, value: string | number): Promise<void> {
  await run('ip', ['netns', 'exec', ns, 'sysctl', '-q', '-w', `${key}=${value}`]);
}

/**
 * Writes a global sysctl (only allowed inside a VM capture) in the initial namespace — global
 * sysctls such as net.ipv4.tcp_mem exist only there — and registers restoring its old value.
 * Never called for a host capture: run_capture refuses global sysctls there.
 */
export async function set_global_sysctl(key: string, value: string | number, cleanup: Cleanup): Promise<void> {
  const old = (await run('sysctl', ['-n', key])).trim().replace(/\s+/g, ' ');
  cleanup.add(`restore ${key}`, () => {
    if (run_sync('sysctl', ['-q', '-w', `${key}=${old}`]) === null) throw new Error(`could not restore ${key}=${old}`);
  });
  await run('sysctl', ['-q', '-w', `${key}=${value}`]);
}

/** Global sysctls that a namespace does not show; read (never written) in the initial namespace. */
const global_net_sysctls = ['net.ipv4.tcp_mem', 'net.core.rmem_max', 'net.core.wmem_max', 'net.core.rmem_default', 'net.core.wmem_default', 'net.core.mem_pcpu_rsv', 'net.ipv4.tcp_max_orphans'];

/** Every net.* sysctl as read inside the namespace, plus the global ones it cannot see. */
export async function read_net_sysctls(ns: string): Promise<Record<string, string>> {
  const text = await run('ip', ['netns', 'exec', ns, 'sh', '-c', "sysctl -a --pattern '^net\\.' 2>/dev/null || true"]);
  const out = parse_sysctl_listing(text);
  const host = parse_sysctl_listing(await run('sh', ['-c', `sysctl ${global_net_sysctls.join(' ')} 2>/dev/null || true`]));
  for (const [k, v] of Object.entries(host)) if (!(k in out)) out[k] = v;
  return out;
}
