import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { read_run_dir } from '../../io/run_dir';
import { parse_kernel_profile } from '../../model/profile/kernel_profile';
import { project_root } from '../../vm/project_files';

/**
 * The committed Debian 6.1 material (data/captures/debian-6.1, taken with the VM rig) against
 * hand derivations from linux-tcp-memory.md, and the 6.1 profile against the probe it was
 * filled from.
 */
const root = project_root(__dirname);
const dir = path.join(root, 'data/captures/debian-6.1');

describe('the Debian 6.1 profile', () => {
  const probe = JSON.parse(fs.readFileSync(path.join(dir, 'probe-6.1.0-56-amd64.json'), 'utf8')) as {
    release: string;
    slab: Record<string, { slab_size: string | null }>;
    structs: Record<string, number | null>;
    sysctls: Record<string, string>;
  };
  const profile = parse_kernel_profile(JSON.parse(fs.readFileSync(path.join(root, 'data/profiles/debian-6.1.192-amd64.json'), 'utf8')));

  it('describes the kernel the probe booted', () => {
    expect(profile.release).toBe(probe.release);
  });

  it('uses the slab strides and struct sizes measured in the guest', () => {
    const pairs: Array<[keyof typeof profile.slab, string, string]> = [
      ['tcp_sock', 'TCP', 'tcp_sock'],
      ['tcp6_sock', 'TCPv6', 'tcp6_sock'],
      ['request_sock_tcp', 'request_sock_TCP', 'tcp_request_sock'],
      ['tw_sock_tcp', 'tw_sock_TCP', 'tcp_timewait_sock'],
      ['sock_inode_cache', 'sock_inode_cache', 'socket_alloc'],
      ['filp', 'filp', 'file'],
      ['skbuff_head_cache', 'skbuff_head_cache', 'sk_buff'],
      ['skbuff_fclone_cache', 'skbuff_fclone_cache', 'sk_buff_fclones'],
    ];
    for (const [key, cache, struct] of pairs) {
      expect(profile.slab[key].stride_bytes, key).toBe(Number(probe.slab[cache].slab_size));
      expect(profile.slab[key].object_size_bytes, key).toBe(probe.structs[struct]);
    }
    expect(profile.struct.sk_buff_bytes).toBe(probe.structs.sk_buff);
    expect(profile.struct.skb_shared_info_bytes).toBe(probe.structs.skb_shared_info);
    expect(probe.slab.skbuff_small_head.slab_size ?? null).toBeNull(); // no small-head cache on 6.1
    expect(profile.small_head_cache_bytes).toBeNull();
  });

  it('reproduces the guest default tcp_mem from nr_free_buffer_pages (R-6.1)', () => {
    // limit = nr_free_buffer_pages / 16; tcp_mem = {limit/4*3, limit, 2*(limit/4*3)}
    const limit = Math.max(Math.floor(profile.nr_free_buffer_pages / 16), 128);
    const lo = Math.floor(limit / 4) * 3;
    expect(`${lo} ${limit} ${2 * lo}`).toBe(probe.sysctls['net.ipv4.tcp_mem'].split(/\s+/).join(' '));
  });

  it('uses the sysctl defaults the guest showed', () => {
    expect(profile.sysctl.tcp_rmem.join(' ')).toBe(probe.sysctls['net.ipv4.tcp_rmem'].split(/\s+/).join(' '));
    expect(profile.sysctl.tcp_wmem.join(' ')).toBe(probe.sysctls['net.ipv4.tcp_wmem'].split(/\s+/).join(' '));
    expect(profile.sysctl.tcp_congestion_control).toBe(probe.sysctls['net.ipv4.tcp_congestion_control']);
    expect(profile.sysctl.tcp_limit_output_bytes).toBe(Number(probe.sysctls['net.ipv4.tcp_limit_output_bytes']));
    expect(profile.sysctl.tcp_max_orphans).toBe(Number(probe.sysctls['net.ipv4.tcp_max_orphans']));
  });
});

const spaced = path.join(dir, 'small-writes-nodelay-spaced');
describe.skipIf(!fs.existsSync(spaced))('small-writes-nodelay-spaced on Debian 6.1', () => {
  const runs = fs.readdirSync(spaced).filter((d) => /^r\d+$/.test(d)).map((d) => read_run_dir(path.join(spaced, d)));
  const last_server = (run: ReturnType<typeof read_run_dir>, group: string) => {
    const t = Math.max(...run.sockets.map((s) => s.t_ms));
    return run.sockets.filter((s) => s.t_ms === t && s.group === group && s.side === 'server');
  };

  it('was captured on the 6.1 kernel in the VM', () => {
    for (const run of runs) {
      expect(run.meta.source).toBe('vm');
      expect(run.meta.kernel_release).toBe('6.1.0-56-amd64');
    }
  });

  it('queues 30 spaced 1-byte NODELAY writes as two skbs of 1280 + 17 and 1280 + 13 bytes (R-1.10, R-4.10)', () => {
    // with the 6.1 empty-skb truesize 1280 (MAX_TCP_HEADER 320 → kmalloc-1k head, R-1.10):
    // the first skb 1281, then +1 for each of 16 quick-ACKed segments (17 frags) = 1297; a new skb 1281,
    // and the remaining 12 bytes coalesce into it = 1293. Total 2590 (the 6.18 host: 833+16 + 833+12 = 1694).
    for (const run of runs) for (const s of last_server(run, 'w1')) expect(s.r_bytes).toBe(2590);
  });

  it('queues 30 spaced 1000-byte writes as two skbs (2 x 1280 overhead + 30000 payload)', () => {
    // Same structure: 2 skb heads of 1280 plus the 30 x 1000 payload bytes in frags = 32560.
    for (const run of runs) for (const s of last_server(run, 'w1000')) expect(s.r_bytes).toBe(32_560);
  });
});
