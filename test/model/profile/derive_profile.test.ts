import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  derive_profile,
  get_builtin_profile,
  kmalloc_classes_from_slabinfo,
  max_header_from_config,
  max_tcp_header_from_small_head,
  parse_kernel_config,
  parse_kernel_version,
  type HostSnapshot,
} from '../../../model/profile';

/**
 * Fixtures: real files captured on the reference host on 2026-11-25 (test/model/profile/fixtures/host-6.18.44):
 * /proc/slabinfo, osrelease, the relevant /proc/config.gz lines, the /proc/sys values, and
 * /sys/kernel/slab/<cache>/{object_size,slab_size}.
 */
const dir = join(__dirname, 'fixtures/host-6.18.44');
const read = (f: string) => readFileSync(join(dir, f), 'utf8');
function snapshot(): HostSnapshot {
  const sysctl: Record<string, string> = {};
  for (const line of read('sysctl.tsv').trim().split('\n')) {
    const [k, ...v] = line.split('\t');
    sysctl[k] = v.join('\t');
  }
  const slab_sizes: HostSnapshot['slab_sizes'] = {};
  for (const line of read('slab_sizes.tsv').trim().split('\n')) {
    const [c, o, s] = line.split('\t');
    slab_sizes[c] = { object_size: Number(o), slab_size: Number(s) };
  }
  return { osrelease: read('osrelease.txt'), slabinfo: read('slabinfo.txt'), slab_sizes, sysctl, config: read('config-excerpt.txt'), nr_cpus: 2, meminfo: null };
}

describe('deriving a profile from the running kernel', () => {
  it('reproduces the shipped 6.18.44 reference profile from this host’s files (all but id, text, the tcp_mem form and the measured reader cost)', () => {
    const { profile } = derive_profile(snapshot(), { id: 'x' });
    const ref = get_builtin_profile('6.18.44-reference');
    // reader_cost is a timing measurement (scripts/measure_recv_cost.py and the streaming captures), not
    // something /proc or /sys can tell: a derived profile has none and its reads take no time
    const strip = (p: typeof ref) => ({ ...p, id: '', description: '', provenance: '', reader_cost: undefined, sysctl: { ...p.sysctl, tcp_mem: null } });
    expect(strip(profile)).toEqual(strip(ref));
    expect(profile.sysctl.tcp_mem).toEqual([287898, 383865, 575796]);
  });
  it('derives nr_free_buffer_pages as tcp_mem[1] × 16 = 6141840', () => {
    expect(derive_profile(snapshot()).profile.nr_free_buffer_pages).toBe(383865 * 16);
  });
  it('names the profile host-<release> unless told otherwise', () => {
    expect(derive_profile(snapshot()).profile.id).toBe('host-6.18.44-fc-v782');
  });
  it('derives MAX_TCP_HEADER 192 from the small head when the config is missing, and says so', () => {
    const r = derive_profile({ ...snapshot(), config: null });
    expect(r.profile.struct.max_tcp_header_bytes).toBe(192);
    expect(r.notes.join(' ')).toMatch(/from the 576-byte small-head cache/);
  });
  it('asks for --max-tcp-header when neither the config nor a small head tells it', () => {
    const s = snapshot();
    delete s.slab_sizes.skbuff_small_head;
    expect(() => derive_profile({ ...s, config: null })).toThrow(/--max-tcp-header \(320 for the Debian 6\.1/);
    expect(derive_profile({ ...s, config: null }, { max_tcp_header_bytes: 320 }).profile.struct.max_tcp_header_bytes).toBe(320);
  });
  it('names a missing slab cache', () => {
    const s = snapshot();
    delete s.slab_sizes.TCPv6;
    expect(() => derive_profile(s)).toThrow(/\/sys\/kernel\/slab\/TCPv6 is missing/);
  });
  it('falls back, with a note, for a sysctl older kernels lack', () => {
    const s = snapshot();
    delete s.sysctl['net/core/mem_pcpu_rsv'];
    const r = derive_profile(s);
    expect(r.profile.sysctl.mem_pcpu_rsv).toBe(256);
    expect(r.notes.join(' ')).toMatch(/mem_pcpu_rsv absent/);
  });
  it('picks the 6.1 algorithms for a 6.1 release', () => {
    const p = derive_profile({ ...snapshot(), osrelease: '6.1.0-56-amd64\n' }).profile;
    expect(p.window_algorithm).toBe('adv_win_scale');
    expect(p.drs_variant).toBe('rcvmem_6_1');
    expect(p.initial_rcv_wnd_u16_cap).toBe(true);
    expect(p.tsq_limit_always).toBe(false);
  });
});

describe('profile derivation helpers', () => {
  it('reads the kmalloc classes 8…8k from this host’s slabinfo, ignoring -cg/-rcl/dma variants', () => {
    expect(kmalloc_classes_from_slabinfo(read('slabinfo.txt'))).toEqual([8, 16, 32, 64, 96, 128, 192, 256, 512, 1024, 2048, 4096, 8192]);
  });
  it('computes MAX_HEADER 32 for this host’s config and 176 for a Debian-like one (section 0 table)', () => {
    expect(max_header_from_config(parse_kernel_config(read('config-excerpt.txt')))).toBe(32);
    expect(max_header_from_config(parse_kernel_config('CONFIG_WLAN=y\nCONFIG_MAC80211_MESH=y\nCONFIG_NET_IPIP=m\n'))).toBe(176);
  });
  it('finds MAX_TCP_HEADER 192 as the only value consistent with a 576-byte small head', () => {
    expect(max_tcp_header_from_small_head(576, 64, 320)).toEqual([192]);
  });
  it('reads the version triple and names an unreadable release', () => {
    expect(parse_kernel_version('6.18.44-fc-v782')).toEqual([6, 18, 44]);
    expect(() => parse_kernel_version('banana')).toThrow(/osrelease "banana"/);
  });
});
