import type { KernelProfile } from '../profile/kernel_profile';
import type { RunMeta } from '../run_output/run_output';

type SysctlFields = KernelProfile['sysctl'];

const triples = {
  'net.ipv4.tcp_rmem': 'tcp_rmem',
  'net.ipv4.tcp_wmem': 'tcp_wmem',
  'net.ipv4.tcp_mem': 'tcp_mem',
} as const;

const numbers = {
  'net.core.rmem_max': 'rmem_max',
  'net.core.wmem_max': 'wmem_max',
  'net.core.rmem_default': 'rmem_default',
  'net.core.wmem_default': 'wmem_default',
  'net.ipv4.tcp_adv_win_scale': 'tcp_adv_win_scale',
  'net.ipv4.tcp_app_win': 'tcp_app_win',
  'net.ipv4.tcp_limit_output_bytes': 'tcp_limit_output_bytes',
  'net.ipv4.tcp_notsent_lowat': 'tcp_notsent_lowat',
  'net.core.mem_pcpu_rsv': 'mem_pcpu_rsv',
  'net.ipv4.tcp_max_orphans': 'tcp_max_orphans',
} as const;

const flags = {
  'net.ipv4.tcp_moderate_rcvbuf': 'tcp_moderate_rcvbuf',
  'net.ipv4.tcp_autocorking': 'tcp_autocorking',
  'net.ipv4.tcp_shrink_window': 'tcp_shrink_window',
  'net.core.high_order_alloc_disable': 'high_order_alloc_disable',
} as const;

function ints(v: string | number): number[] {
  return String(v)
    .trim()
    .split(/\s+/)
    .map((x) => Number(x));
}

/**
 * The profile a run is replayed with: the matched profile, with every sysctl the run recorded
 * (meta.sysctls, read inside the capture's namespace) and then the scenario's own
 * kernel.sysctls written over the profile's defaults, and nr_cpus from the capture host
 * (bounds the sockstat lag, R-6.6). Unparseable values are left at the profile's value and
 * reported in `ignored`.
 */
export function profile_for_run(
  profile: KernelProfile,
  meta: Pick<RunMeta, 'sysctls' | 'scenario' | 'host'>,
): { profile: KernelProfile; applied: string[]; ignored: string[] } {
  const sysctl: SysctlFields = { ...profile.sysctl };
  const applied: string[] = [];
  const ignored: string[] = [];
  const all: Record<string, string | number> = { ...meta.sysctls, ...meta.scenario.kernel.sysctls };
  for (const [name, value] of Object.entries(all)) {
    if (name in triples) {
      const v = ints(value);
      if (v.length === 3 && v.every((x) => Number.isInteger(x) && x > 0)) {
        sysctl[triples[name as keyof typeof triples]] = [v[0], v[1], v[2]];
        applied.push(name);
      } else ignored.push(`${name}=${String(value)}`);
    } else if (name in numbers) {
      const v = ints(value);
      if (v.length === 1 && Number.isInteger(v[0])) {
        sysctl[numbers[name as keyof typeof numbers]] = v[0];
        applied.push(name);
      } else ignored.push(`${name}=${String(value)}`);
    } else if (name in flags) {
      const v = ints(value);
      if (v.length === 1 && (v[0] === 0 || v[0] === 1)) {
        sysctl[flags[name as keyof typeof flags]] = v[0];
        applied.push(name);
      } else ignored.push(`${name}=${String(value)}`);
    } else if (name === 'net.ipv4.tcp_congestion_control') {
      const v = String(value).trim();
      if (v.length > 0) {
        sysctl.tcp_congestion_control = v;
        applied.push(name);
      } else ignored.push(`${name}=${String(value)}`);
    }
  }
  const nr_cpus = meta.host && Number.isInteger(meta.host.cpus) && meta.host.cpus > 0 ? meta.host.cpus : profile.nr_cpus;
  return { profile: { ...profile, nr_cpus, sysctl }, applied, ignored };
}

/** "6.18.44-fc-v1147" → "6.18.44"; null when the release does not start with a version. */
function kernel_version_of(release: string): string | null {
  const m = /^(\d+)\.(\d+)(?:\.(\d+))?/.exec(release.trim());
  return m ? `${m[1]}.${m[2]}.${m[3] ?? 0}` : null;
}

/**
 * The profile for a run's kernel_release: the one measured on that exact release; else one measured on
 * another build of the same kernel version (x.y.z, e.g. 6.18.44-fc-v1147 → the profile of
 * 6.18.44-fc-v782: a rebuild of the same source with the same config keeps struct sizes and algorithms;
 * a build whose sizes differ shows up as misses in the comparison); else null.
 */
export function match_profile(profiles: readonly KernelProfile[], kernel_release: string): KernelProfile | null {
  const exact = profiles.find((p) => p.release === kernel_release);
  if (exact) return exact;
  const version = kernel_version_of(kernel_release);
  if (version === null) return null;
  return profiles.find((p) => kernel_version_of(p.release) === version) ?? null;
}
