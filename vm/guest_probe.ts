import * as fs from 'node:fs';
import * as os from 'node:os';
import { btf_struct_sizes } from './btf_struct_size';

/**
 * Runs inside the guest: everything the kernel profile needs, read from the booted kernel
 * (/proc/sys, /sys/kernel/slab, /proc/slabinfo, /sys/kernel/btf/vmlinux, /proc/zoneinfo).
 */
export const PROBE_SLAB_CACHES = [
  'TCP', 'TCPv6', 'request_sock_TCP', 'request_sock_TCPv6', 'tw_sock_TCP', 'tw_sock_TCPv6',
  'sock_inode_cache', 'filp', 'dentry', 'eventpoll_epi', 'eventpoll_pwq', 'tcp_bind_bucket',
  'tcp_bind2_bucket', 'skbuff_head_cache', 'skbuff_fclone_cache', 'skbuff_small_head',
];
export const PROBE_STRUCTS = [
  'sk_buff', 'skb_shared_info', 'sk_buff_fclones', 'tcp_sock', 'tcp6_sock', 'tcp_request_sock',
  'tcp6_request_sock', 'tcp_timewait_sock', 'socket_alloc', 'file', 'dentry', 'epitem', 'eppoll_entry',
  'inet_bind_bucket', 'inet_bind2_bucket',
];

function read(p: string): string | null {
  try {
    return fs.readFileSync(p, 'utf8').trim();
  } catch {
    return null;
  }
}

function sysctl_dir(dir: string, prefix: string, out: Record<string, string>): void {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return;
  }
  for (const n of names) {
    const p = `${dir}/${n}`;
    let st: fs.Stats;
    try {
      st = fs.statSync(p);
    } catch {
      continue;
    }
    if (st.isDirectory()) continue;
    const v = read(p);
    if (v !== null) out[`${prefix}.${n}`] = v.replace(/\s+/g, ' ');
  }
}

export function probe_guest(): Record<string, unknown> {
  const slab: Record<string, Record<string, string | null>> = {};
  for (const c of PROBE_SLAB_CACHES) {
    const d = `/sys/kernel/slab/${c}`;
    let alias: string | null = null;
    try {
      alias = fs.lstatSync(d).isSymbolicLink() ? fs.readlinkSync(d) : null;
    } catch {
      slab[c] = { exists: null };
      continue;
    }
    slab[c] = {
      exists: 'yes',
      alias,
      object_size: read(`${d}/object_size`),
      slab_size: read(`${d}/slab_size`),
      objs_per_slab: read(`${d}/objs_per_slab`),
      order: read(`${d}/order`),
      aliases: read(`${d}/aliases`),
    };
  }
  let structs: Record<string, number | null> = {};
  try {
    structs = btf_struct_sizes(fs.readFileSync('/sys/kernel/btf/vmlinux'), PROBE_STRUCTS);
  } catch (err) {
    structs = { error: null, [`error: ${(err as Error).message}`]: null };
  }
  const sysctls: Record<string, string> = {};
  sysctl_dir('/proc/sys/net/ipv4', 'net.ipv4', sysctls);
  sysctl_dir('/proc/sys/net/core', 'net.core', sysctls);
  const kmalloc = (read('/proc/slabinfo') ?? '')
    .split('\n')
    .map((l) => l.split(/\s+/))
    .filter((f) => /^kmalloc-\d+k?$/.test(f[0]))
    .map((f) => ({ name: f[0], objsize: Number(f[3]) }));
  return {
    release: read('/proc/sys/kernel/osrelease'),
    version: read('/proc/version'),
    nr_cpus: os.cpus().length,
    hz_config: null,
    slab,
    structs,
    kmalloc,
    sysctls,
    zoneinfo: read('/proc/zoneinfo'),
    meminfo: read('/proc/meminfo'),
    slabinfo: read('/proc/slabinfo'),
    cmdline: read('/proc/cmdline'),
    modules: read('/proc/modules'),
    cgroups: read('/proc/cgroups'),
    memcg_v1_tcp: fs.existsSync('/sys/fs/cgroup/memory/memory.kmem.tcp.limit_in_bytes'),
  };
}
