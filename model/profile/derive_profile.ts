import { InputError } from '../schema/format_zod_error';
import { tcp_init_mem } from '../mem/tcp_init_mem';
import { extra_slab_names, parse_kernel_profile, slab_cache_names, slab_names, type KernelProfile, type SlabName } from './kernel_profile';

/**
 * What `tcpmem profile --from-host` reads, as strings and numbers (io/host_profile.ts does the reading), so that
 * the derivation is pure and testable on real snippets.
 */
export interface HostSnapshot {
  /** /proc/sys/kernel/osrelease (uname -r). */
  osrelease: string;
  /** /proc/slabinfo (for the kmalloc size classes). */
  slabinfo: string;
  /** /sys/kernel/slab/<cache>/{object_size,slab_size} for the caches in `slab_cache_names`. */
  slab_sizes: Record<string, { object_size: number; slab_size: number }>;
  /** /proc/sys/<key> contents by key, e.g. 'net/ipv4/tcp_rmem' → '4096\t131072\t33554432'. */
  sysctl: Record<string, string>;
  /** Decompressed /proc/config.gz, or null when the kernel does not expose it. */
  config: string | null;
  /** Online CPUs (nproc). */
  nr_cpus: number;
  /** /proc/meminfo, used only when tcp_mem cannot be read. */
  meminfo: string | null;
}

export interface DeriveOptions {
  id?: string;
  /** MAX_TCP_HEADER when neither the config nor a small-head cache tells it (else an error says to pass it). */
  max_tcp_header_bytes?: number;
  /** Date for the provenance text (the caller's clock; the model reads none). */
  taken_on?: string;
}

/** Every cache the derivation looks at (required ones, optional extras, the small-head cache). */
export const host_slab_caches_read: string[] = [...Object.values(slab_cache_names), ...extra_slab_names, 'skbuff_small_head'];

/** The sysctls read, as /proc/sys paths; the ones marked optional fall back to a stated default. */
export const host_sysctl_keys = {
  tcp_rmem: 'net/ipv4/tcp_rmem',
  tcp_wmem: 'net/ipv4/tcp_wmem',
  tcp_mem: 'net/ipv4/tcp_mem',
  rmem_max: 'net/core/rmem_max',
  wmem_max: 'net/core/wmem_max',
  rmem_default: 'net/core/rmem_default',
  wmem_default: 'net/core/wmem_default',
  tcp_adv_win_scale: 'net/ipv4/tcp_adv_win_scale',
  tcp_app_win: 'net/ipv4/tcp_app_win',
  tcp_moderate_rcvbuf: 'net/ipv4/tcp_moderate_rcvbuf',
  tcp_autocorking: 'net/ipv4/tcp_autocorking',
  tcp_shrink_window: 'net/ipv4/tcp_shrink_window',
  tcp_congestion_control: 'net/ipv4/tcp_congestion_control',
  tcp_limit_output_bytes: 'net/ipv4/tcp_limit_output_bytes',
  tcp_notsent_lowat: 'net/ipv4/tcp_notsent_lowat',
  mem_pcpu_rsv: 'net/core/mem_pcpu_rsv',
  tcp_max_orphans: 'net/ipv4/tcp_max_orphans',
  high_order_alloc_disable: 'net/core/high_order_alloc_disable',
} as const;
type SysctlField = keyof typeof host_sysctl_keys;
/** Defaults for sysctls an older kernel lacks (value, why). */
const sysctl_fallbacks: Partial<Record<SysctlField, [number, string]>> = {
  tcp_shrink_window: [0, 'tcp_shrink_window absent (pre-6.5 kernel): 0, the old behaviour'],
  mem_pcpu_rsv: [256, 'net.core.mem_pcpu_rsv absent: 256 pages (SK_MEMORY_PCPU_RESERVE, R-6.6)'],
  high_order_alloc_disable: [0, 'high_order_alloc_disable absent: 0'],
  tcp_autocorking: [1, 'tcp_autocorking absent: 1'],
};

/** Parses "6.18.44-fc-v782" → [6, 18, 44]. */
export function parse_kernel_version(release: string): [number, number, number] {
  const m = /^(\d+)\.(\d+)(?:\.(\d+))?/.exec(release.trim());
  if (!m) throw new InputError(`cannot read a kernel version from osrelease "${release.trim()}" (expected e.g. 6.18.44-...)`);
  return [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)];
}
const at_least = (v: [number, number, number], major: number, minor: number) => v[0] > major || (v[0] === major && v[1] >= minor);

/** CONFIG_X=value lines of a .config ("# CONFIG_X is not set" and absent lines are both "not set"). */
export function parse_kernel_config(text: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const line of text.split('\n')) {
    const r = /^(CONFIG_[A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (r) m.set(r[1], r[2].replace(/^"(.*)"$/, '$1'));
  }
  return m;
}

/** kmalloc-<n> classes present in /proc/slabinfo (plain kmalloc caches, not -cg/-rcl/dma variants), ascending. */
export function kmalloc_classes_from_slabinfo(slabinfo: string): number[] {
  const out = new Set<number>();
  for (const line of slabinfo.split('\n')) {
    const r = /^kmalloc-(\d+)(k?)\s/.exec(line);
    if (r) out.add(Number(r[1]) * (r[2] === 'k' ? 1024 : 1));
  }
  return [...out].sort((a, b) => a - b);
}

/**
 * MAX_TCP_HEADER = L1_CACHE_ALIGN(128 + MAX_HEADER) with MAX_HEADER = LL_MAX_HEADER (+48 when any IP tunnel is
 * built), LL_MAX_HEADER 128 (HYPERV_NET, or WLAN/AX25 with MAC80211_MESH), 96 (WLAN/AX25), else 32
 * (include/linux/netdevice.h, include/net/tcp.h; section 0 table).
 */
export function max_header_from_config(cfg: Map<string, string>): number {
  const on = (k: string) => cfg.get(k) === 'y' || cfg.get(k) === 'm';
  let ll = 32;
  if (on('CONFIG_HYPERV_NET')) ll = 128;
  else if (on('CONFIG_WLAN') || on('CONFIG_AX25')) ll = on('CONFIG_MAC80211_MESH') ? 128 : 96;
  const tunnels = ['CONFIG_NET_IPIP', 'CONFIG_NET_IPGRE', 'CONFIG_IPV6_SIT', 'CONFIG_IPV6_TUNNEL'].some(on);
  return ll + (tunnels ? 48 : 0);
}

/**
 * MAX_TCP_HEADER values consistent with a small-head cache of `small_head` bytes (R-1.8): SKB_SMALL_HEAD_SIZE =
 * SKB_HEAD_ALIGN(max(MTH, MAX_HEADER + 128 + 64)), +64 if a power of two. Tries MAX_HEADER 16…512 in steps of 16.
 */
export function max_tcp_header_from_small_head(small_head: number, smp_cache: number, sh: number): number[] {
  const align = (x: number) => Math.ceil(x / smp_cache) * smp_cache;
  const found = new Set<number>();
  for (let mh = 16; mh <= 512; mh += 16) {
    const mth = align(128 + mh);
    let size = align(Math.max(mth, mh + 128 + 64)) + sh;
    if ((size & (size - 1)) === 0) size += smp_cache;
    if (size === small_head) found.add(mth);
  }
  return [...found].sort((a, b) => a - b);
}

function numbers(text: string, what: string): number[] {
  const xs = text.trim().split(/\s+/).map(Number);
  if (xs.length === 0 || xs.some((x) => !Number.isFinite(x))) throw new InputError(`cannot read ${what}: "${text.trim()}"`);
  return xs;
}

/**
 * Builds a kernel profile from what the running kernel exposes.
 *
 * Read: slab object sizes and strides (/sys/kernel/slab), kmalloc classes (/proc/slabinfo), sysctls, release,
 * CPUs, HZ / default CC / MAX_SKB_FRAGS / MAX_HEADER inputs (/proc/config.gz when present).
 * Derived: nr_free_buffer_pages = tcp_mem[1] × 16 (what tcp_init_mem used, R-6.1); sizeof(skb_shared_info) =
 * 48 + 16 × MAX_SKB_FRAGS; MAX_TCP_HEADER from the config, else from the small-head size, else the
 * max_tcp_header_bytes option; the algorithm fields from the version (section 8: scaling_ratio since 6.6, 50% since
 * 6.11, 64 KiB initial-window cap until 6.10, DRS rcvbuf_grow / TSQ limit always since 6.16; ICSK_ACK_NOMEM and
 * global-only pressure fairness assumed from 6.10 — approximate boundaries, stated in the provenance).
 * Throws an InputError naming the first thing it cannot read.
 */
export function derive_profile(h: HostSnapshot, opt: DeriveOptions = {}): { profile: KernelProfile; notes: string[] } {
  const notes: string[] = [];
  const release = h.osrelease.trim();
  const v = parse_kernel_version(release);
  const cfg = h.config === null ? null : parse_kernel_config(h.config);
  if (cfg === null) notes.push('/proc/config.gz not available: HZ 250, MAX_SKB_FRAGS 17, 64-byte cache lines assumed');

  const size = (cache: string) => {
    const s = h.slab_sizes[cache];
    if (!s) throw new InputError(`/sys/kernel/slab/${cache} is missing: cannot size the ${cache} cache (needed by the model)`);
    return { object_size_bytes: s.object_size, stride_bytes: s.slab_size };
  };
  const slab = Object.fromEntries(slab_names.map((n) => [n, size(slab_cache_names[n])])) as KernelProfile['slab'];
  const slab_extra: NonNullable<KernelProfile['slab_extra']> = {};
  for (const n of extra_slab_names) if (h.slab_sizes[n]) slab_extra[n] = size(n);

  const sysctl_num = (f: SysctlField): number => {
    const text = h.sysctl[host_sysctl_keys[f]];
    if (text === undefined) {
      const fb = sysctl_fallbacks[f];
      if (!fb) throw new InputError(`/proc/sys/${host_sysctl_keys[f]} could not be read`);
      notes.push(fb[1]);
      return fb[0];
    }
    return numbers(text, `/proc/sys/${host_sysctl_keys[f]}`)[0];
  };
  const triple = (f: 'tcp_rmem' | 'tcp_wmem' | 'tcp_mem'): [number, number, number] | null => {
    const text = h.sysctl[host_sysctl_keys[f]];
    if (text === undefined) return null;
    const xs = numbers(text, `/proc/sys/${host_sysctl_keys[f]}`);
    if (xs.length !== 3) throw new InputError(`/proc/sys/${host_sysctl_keys[f]} should hold 3 numbers, got "${text.trim()}"`);
    return [xs[0], xs[1], xs[2]];
  };
  const tcp_rmem = triple('tcp_rmem');
  const tcp_wmem = triple('tcp_wmem');
  if (!tcp_rmem || !tcp_wmem) throw new InputError('/proc/sys/net/ipv4/tcp_rmem and tcp_wmem could not be read');
  const tcp_mem = triple('tcp_mem');

  let nr_free_buffer_pages: number;
  if (tcp_mem) {
    nr_free_buffer_pages = tcp_mem[1] * 16;
    const back = tcp_init_mem(nr_free_buffer_pages);
    if (back[0] !== tcp_mem[0] || back[2] !== tcp_mem[2]) notes.push(`tcp_mem ${tcp_mem.join(' ')} was set by hand (not tcp_init_mem's); kept as the sysctl`);
  } else {
    const m = h.meminfo ? /MemTotal:\s+(\d+) kB/.exec(h.meminfo) : null;
    if (!m) throw new InputError('neither /proc/sys/net/ipv4/tcp_mem nor /proc/meminfo MemTotal could be read');
    nr_free_buffer_pages = Math.floor((Number(m[1]) * 1024) / 4096);
    notes.push('tcp_mem unreadable: nr_free_buffer_pages approximated by MemTotal pages');
  }

  const smp_cache_bytes = cfg?.get('CONFIG_X86_L1_CACHE_SHIFT') ? 2 ** Number(cfg.get('CONFIG_X86_L1_CACHE_SHIFT')) : 64;
  const max_skb_frags = cfg?.get('CONFIG_MAX_SKB_FRAGS') ? Number(cfg.get('CONFIG_MAX_SKB_FRAGS')) : 17;
  const skb_shared_info_bytes = 48 + 16 * max_skb_frags;
  const sh = Math.ceil(skb_shared_info_bytes / smp_cache_bytes) * smp_cache_bytes;
  const small_head_cache_bytes = h.slab_sizes.skbuff_small_head?.object_size ?? null;

  let max_header_bytes: number;
  let max_tcp_header_bytes: number;
  if (cfg) {
    max_header_bytes = max_header_from_config(cfg);
    max_tcp_header_bytes = Math.ceil((128 + max_header_bytes) / smp_cache_bytes) * smp_cache_bytes;
    notes.push(`MAX_TCP_HEADER ${max_tcp_header_bytes} from the config (MAX_HEADER ${max_header_bytes})`);
  } else if (small_head_cache_bytes !== null) {
    const c = max_tcp_header_from_small_head(small_head_cache_bytes, smp_cache_bytes, sh);
    if (c.length === 0) throw new InputError(`skbuff_small_head object size ${small_head_cache_bytes} fits no MAX_TCP_HEADER; pass --max-tcp-header`);
    max_tcp_header_bytes = opt.max_tcp_header_bytes ?? c[0];
    max_header_bytes = max_tcp_header_bytes - 128;
    notes.push(`MAX_TCP_HEADER ${max_tcp_header_bytes} derived from the ${small_head_cache_bytes}-byte small-head cache (candidates ${c.join(', ')})`);
  } else if (opt.max_tcp_header_bytes !== undefined) {
    max_tcp_header_bytes = opt.max_tcp_header_bytes;
    max_header_bytes = max_tcp_header_bytes - 128;
    notes.push(`MAX_TCP_HEADER ${max_tcp_header_bytes} given with --max-tcp-header`);
  } else {
    throw new InputError('MAX_TCP_HEADER cannot be read (no /proc/config.gz, no skbuff_small_head cache): pass --max-tcp-header (320 for the Debian 6.1 amd64 config)');
  }

  const kmalloc = kmalloc_classes_from_slabinfo(h.slabinfo);
  if (kmalloc.length === 0) throw new InputError('/proc/slabinfo lists no kmalloc-<n> caches (is it readable? it needs root)');

  const cc = h.sysctl[host_sysctl_keys.tcp_congestion_control]?.trim();
  if (!cc) throw new InputError('/proc/sys/net/ipv4/tcp_congestion_control could not be read');
  const hz = cfg?.get('CONFIG_HZ') ? Number(cfg.get('CONFIG_HZ')) : 250;

  const profile = parse_kernel_profile(
    {
      id: opt.id ?? `host-${release}`,
      release,
      description: `Derived from the running kernel ${release} (${h.nr_cpus} CPUs) by tcpmem profile --from-host.`,
      provenance: [
        `Read from the running host${opt.taken_on ? ` on ${opt.taken_on}` : ''}: /sys/kernel/slab sizes, /proc/slabinfo kmalloc classes, /proc/sys sysctls, osrelease${cfg ? ', /proc/config.gz' : ''}.`,
        'nr_free_buffer_pages = tcp_mem[1] × 16; algorithm fields from the kernel version (ICSK_ACK_NOMEM and global-only fairness assumed from 6.10: approximate).',
        ...notes,
      ].join(' '),
      page_size_bytes: 4096,
      hz,
      nr_cpus: h.nr_cpus,
      nr_free_buffer_pages,
      struct: {
        sk_buff_bytes: slab.skbuff_head_cache.object_size_bytes,
        skb_shared_info_bytes,
        smp_cache_bytes,
        max_header_bytes,
        max_tcp_header_bytes,
        max_skb_frags,
        net_skb_pad_bytes: Math.max(32, smp_cache_bytes),
      },
      small_head_cache_bytes,
      kmalloc_classes_bytes: kmalloc,
      slab,
      sysctl: {
        tcp_rmem,
        tcp_wmem,
        tcp_mem,
        rmem_max: sysctl_num('rmem_max'),
        wmem_max: sysctl_num('wmem_max'),
        rmem_default: sysctl_num('rmem_default'),
        wmem_default: sysctl_num('wmem_default'),
        tcp_adv_win_scale: sysctl_num('tcp_adv_win_scale'),
        tcp_app_win: sysctl_num('tcp_app_win'),
        tcp_moderate_rcvbuf: sysctl_num('tcp_moderate_rcvbuf'),
        tcp_autocorking: sysctl_num('tcp_autocorking'),
        tcp_shrink_window: sysctl_num('tcp_shrink_window'),
        tcp_congestion_control: cc,
        tcp_limit_output_bytes: sysctl_num('tcp_limit_output_bytes'),
        tcp_notsent_lowat: sysctl_num('tcp_notsent_lowat'),
        mem_pcpu_rsv: sysctl_num('mem_pcpu_rsv'),
        tcp_max_orphans: sysctl_num('tcp_max_orphans'),
        high_order_alloc_disable: sysctl_num('high_order_alloc_disable'),
      },
      window_algorithm: at_least(v, 6, 6) ? 'scaling_ratio' : 'adv_win_scale',
      scaling_ratio_init: at_least(v, 6, 11) ? 128 : 64,
      drs_variant: at_least(v, 6, 16) ? 'rcvbuf_grow_6_18' : 'rcvmem_6_1',
      // tcp_rcv_rtt_update latches the minimum and 0 ms TS samples are dropped since 6.16 (May 2025 series)
      rcv_rtt_variant: at_least(v, 6, 16) ? 'min_latch_6_16' : 'ewma_6_1',
      ack_nomem_zero_window: at_least(v, 6, 10),
      pressure_fairness: at_least(v, 6, 10) ? 'global' : 'any',
      tsq_limit_always: at_least(v, 6, 16),
      // tcp_write_xmit grows the send head from the next skb since 6.10 (tcp_grow_skb, 8ee602c63520)
      tcp_grow_skb: at_least(v, 6, 10),
      sndbuf_expand_factor: { bbr: 3, cubic: 2, reno: 2 },
      // tcp_add_backlog limit (R-4.11): 2 × rcvbuf + sndbuf / 2 since 6.10 (ec00ed472bdb), rcvbuf + sndbuf before
      backlog_limit: at_least(v, 6, 10) ? { rcvbuf_times: 2, sndbuf_times: 0.5, headroom_bytes: 65536 } : { rcvbuf_times: 1, sndbuf_times: 1, headroom_bytes: 65536 },
      ...(at_least(v, 6, 10) ? {} : { initial_rcv_wnd_u16_cap: true }),
      ...(at_least(v, 6, 17) ? { tcp_sequence_rejects_beyond_window: true } : {}),
      ...(Object.keys(slab_extra).length > 0 ? { slab_extra } : {}),
    },
    `profile derived from ${release}`,
  );
  return { profile, notes };
}
