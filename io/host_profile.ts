import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import {
  builtin_profiles,
  derive_profile,
  get_builtin_profile,
  host_slab_caches_read,
  host_sysctl_keys,
  type DeriveOptions,
  type HostSnapshot,
} from '../model/profile';
import type { KernelProfile } from '../model/profile/kernel_profile';
import { InputError } from '../model/schema/format_zod_error';
import { read_profile_file } from './profile_file';
import { match_profile } from '../model/compare/profile_for_run';

function read_or_null(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

/**
 * Reads what derive_profile needs from the running kernel. `root` lets tests point at a fake tree.
 * Throws an InputError when /proc/slabinfo (root only) or the osrelease cannot be read.
 */
export function read_host_snapshot(root = '/'): HostSnapshot {
  const osrelease = read_or_null(join(root, 'proc/sys/kernel/osrelease'));
  if (osrelease === null) throw new InputError(`cannot read ${join(root, 'proc/sys/kernel/osrelease')}: not a Linux host?`);
  const slabinfo = read_or_null(join(root, 'proc/slabinfo'));
  if (slabinfo === null) throw new InputError(`cannot read ${join(root, 'proc/slabinfo')} (it needs root)`);
  const slab_sizes: HostSnapshot['slab_sizes'] = {};
  for (const cache of host_slab_caches_read) {
    const o = read_or_null(join(root, 'sys/kernel/slab', cache, 'object_size'));
    const s = read_or_null(join(root, 'sys/kernel/slab', cache, 'slab_size'));
    if (o !== null && s !== null) slab_sizes[cache] = { object_size: Number(o.trim()), slab_size: Number(s.trim()) };
  }
  const sysctl: Record<string, string> = {};
  for (const key of Object.values(host_sysctl_keys)) {
    const t = read_or_null(join(root, 'proc/sys', key));
    if (t !== null) sysctl[key] = t;
  }
  let config: string | null = null;
  const gz = join(root, 'proc/config.gz');
  if (existsSync(gz)) {
    try {
      config = gunzipSync(readFileSync(gz)).toString('utf8');
    } catch {
      config = null;
    }
  }
  return { osrelease, slabinfo, slab_sizes, sysctl, config, nr_cpus: availableParallelism(), meminfo: read_or_null(join(root, 'proc/meminfo')) };
}

/** derive_profile on the running host; the date goes into the provenance. */
export function read_host_profile(opt: DeriveOptions = {}, root = '/'): { profile: KernelProfile; notes: string[] } {
  return derive_profile(read_host_snapshot(root), { taken_on: new Date().toISOString().slice(0, 10), ...opt });
}

export interface ResolvedProfile {
  profile: KernelProfile;
  /** How it was chosen, for the output ("builtin", "file x.json", "host (matches builtin ...)", ...). */
  source: string;
}

/**
 * The profile a command should use for `--profile <spec>`: a builtin id, a path to a .json profile, or "host".
 * Without a spec: the running host's — the builtin measured on its release (or on another build of the same kernel
 * version, match_profile), else derived on the fly — and the
 * 6.18.44 reference when the host cannot be read.
 */
export function resolve_profile(spec: string | undefined, root = '/'): ResolvedProfile {
  if (spec === undefined || spec === 'host') {
    try {
      const host = read_host_profile({}, root).profile;
      const match = match_profile(builtin_profiles, host.release);
      if (match) {
        const how = match.release === host.release ? 'matches' : `same kernel version as ${match.release}: uses`;
        return { profile: match, source: `host ${host.release} (${how} builtin ${match.id})` };
      }
      return { profile: host, source: `host ${host.release} (derived now from /proc and /sys)` };
    } catch (err) {
      if (spec === 'host') throw err;
      const p = builtin_profiles[0];
      return { profile: p, source: `builtin ${p.id} (host not readable: ${(err as Error).message.split('\n')[0]})` };
    }
  }
  if (spec.endsWith('.json') || spec.includes('/')) return { profile: read_profile_file(spec), source: `file ${spec}` };
  return { profile: get_builtin_profile(spec), source: `builtin ${spec}` };
}
