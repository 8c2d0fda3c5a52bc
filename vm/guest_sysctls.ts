import { vm_only_sysctls, type Scenario } from '../model/scenario';

/**
 * Global sysctls (net.ipv4.tcp_mem, net.core.rmem_max, ...) exist only in the initial network
 * namespace: on 6.1 /proc/sys/net/ipv4/tcp_mem is not even visible inside a netns, so
 * `ip netns exec <ns> sysctl -w net.ipv4.tcp_mem=...` fails. The guest therefore sets them
 * itself, in its initial namespace (it is the whole machine), before the capture starts, and
 * hands run_capture a scenario without them. Pure: the split and the /proc path.
 */
export function split_global_sysctls(s: Scenario): { globals: Array<[string, string]>; scenario: Scenario } {
  const globals: Array<[string, string]> = [];
  const rest: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(s.kernel.sysctls)) {
    if ((vm_only_sysctls as readonly string[]).includes(k)) globals.push([k, String(v)]);
    else rest[k] = v;
  }
  return { globals, scenario: { ...s, kernel: { ...s.kernel, sysctls: rest } } };
}

export function sysctl_proc_path(key: string): string {
  if (!/^[a-z0-9_]+(\.[a-z0-9_]+)+$/.test(key)) throw new RangeError(`bad sysctl name ${JSON.stringify(key)}`);
  return `/proc/sys/${key.replace(/\./g, '/')}`;
}

/** Whitespace-normalised value as /proc/sys prints it ("1024\t2048\t3072\n" → "1024 2048 3072"). */
export function normalise_sysctl_value(v: string): string {
  return v.trim().split(/\s+/).join(' ');
}
