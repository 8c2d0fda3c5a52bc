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

  // with the 6.1 empty-skb truesize 1280 (MAX_TCP_HEADER 320 → kmalloc-1k head, R-1.10): each
  // queued skb costs one 1280-byte head plus its payload; a skb holds at most 17 frags, so 30 segments
  // need at least 2 skbs. When every segment finds the tail uncloned (quick ACKs processed in time,
  // ) that minimum is reached: 1281 + 16 = 1297 and 1281 + 12 = 1293, r = 2590 (6.18: 833+16 + 833+12
  // = 1694). A segment that finds the tail still cloned starts a new skb: +1280 each. So on 6.1,
  // r − payload is a multiple of 1280 (never of 832 alone), at least 2 × 1280.
  const heads = (group: string, payload: number) =>
    runs.flatMap((run) => last_server(run, group)).map((s) => ((s.r_bytes ?? 0) - payload) / 1280);

  it('charges whole 1280-byte heads plus the payload for 30 spaced 1-byte NODELAY writes (R-1.10, R-4.10)', () => {
    const h = heads('w1', 30);
    for (const x of h) {
      expect(Number.isInteger(x)).toBe(true);
      expect(x).toBeGreaterThanOrEqual(2);
    }
    expect(h).toContain(2); // the minimal pattern, r = 2590, occurs
  });

  it('charges whole 1280-byte heads plus the payload for 30 spaced 1000-byte writes', () => {
    const h = heads('w1000', 30_000);
    for (const x of h) {
      expect(Number.isInteger(x)).toBe(true);
      expect(x).toBeGreaterThanOrEqual(2);
    }
    expect(h).toContain(2); // r = 32560
  });
});

const pressure = path.join(dir, 'vm-tcp-mem-pressure');
describe.skipIf(!fs.existsSync(pressure))('vm-tcp-mem-pressure on Debian 6.1 (global tcp_mem 256 512 768)', () => {
  const runs = fs.readdirSync(pressure).filter((d) => /^r\d+$/.test(d)).map((d) => read_run_dir(path.join(pressure, d)));
  const v = (g: { values: Record<string, number | null> }, k: string) => g.values[k] ?? 0;

  it('ran with the low tcp_mem set inside the guest', () => {
    for (const run of runs) expect(run.meta.sysctls['net.ipv4.tcp_mem']).toBe('256 512 768');
  });

  it('enters memory pressure once the pool passes tcp_mem[1] (R-6.4 step 4, R-6.11)', () => {
    for (const run of runs) {
      const over = run.global.find((g) => v(g, 'sockets_pages') > 512);
      expect(over, 'some sample above tcp_mem[1]').toBeDefined();
      expect(v(over!, 'tcp_memory_pressure')).toBe(1);
      expect(v(over!, 'counter_TCPMemoryPressures_count')).toBeGreaterThanOrEqual(1);
    }
  });

  it('refuses receive memory above tcp_mem[2], so segments are dropped (R-6.4 step 5, R-4.12)', () => {
    for (const run of runs) expect(v(run.global[run.global.length - 1], 'counter_TCPRcvQDrop_count')).toBeGreaterThan(0);
  });

  it('leaves pressure after the readers drain, adding its duration to TCPMemoryPressuresChrono (R-6.10, R-6.11)', () => {
    for (const run of runs) {
      const last = run.global[run.global.length - 1];
      expect(v(last, 'sockets_pages')).toBe(0);
      expect(v(last, 'tcp_memory_pressure')).toBe(0);
      expect(v(last, 'counter_TCPMemoryPressuresChrono_count')).toBeGreaterThan(0);
    }
  });
});

const oom = path.join(dir, 'vm-tcp-mem-oom');
describe.skipIf(!fs.existsSync(oom))('vm-tcp-mem-oom on Debian 6.1 (global tcp_mem 64 128 192)', () => {
  it('logs "TCP: out of memory -- consider tuning tcp_mem" when the stuffed clients are closed (R-6.13)', () => {
    for (const d of fs.readdirSync(oom).filter((x) => /^r\d+$/.test(x))) {
      const run = read_run_dir(path.join(oom, d));
      expect(run.meta.notes.some((n) => n.startsWith('dmesg:') && n.includes('TCP: out of memory -- consider tuning tcp_mem'))).toBe(true);
    }
  });
});
