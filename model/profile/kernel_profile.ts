import { z } from 'zod';
import { format_zod_error, InputError } from '../schema/format_zod_error';

/**
 * A kernel profile: everything that differs between kernels and builds and that changes
 * the numbers (linux-tcp-memory.md sections 0, 1 and 8). Profiles are data
 * (data/profiles/*.json); model code reads fields, it never branches on a version string.
 */

const bytes = z.number().int().min(0);
const positive = z.number().int().min(1);
const triple = z.tuple([positive, positive, positive]);

const slab_object = z.strictObject({
  /** struct size (BTF / object_size). */
  object_size_bytes: positive,
  /** Per-object stride in the slab (/proc/slabinfo objsize, /sys/kernel/slab/X/slab_size). */
  stride_bytes: positive,
});

export const slab_names = [
  'tcp_sock',
  'tcp6_sock',
  'request_sock_tcp',
  'request_sock_tcp6',
  'tw_sock_tcp',
  'tw_sock_tcp6',
  'sock_inode_cache',
  'filp',
  'dentry',
  'eventpoll_epi',
  'eventpoll_pwq',
  'tcp_bind_bucket',
  'tcp_bind2_bucket',
  'skbuff_head_cache',
  'skbuff_fclone_cache',
] as const;
export type SlabName = (typeof slab_names)[number];

/** The kernel's cache name for each profile slab (/proc/slabinfo, /sys/kernel/slab/<name>). */
export const slab_cache_names: Record<SlabName, string> = {
  tcp_sock: 'TCP',
  tcp6_sock: 'TCPv6',
  request_sock_tcp: 'request_sock_TCP',
  request_sock_tcp6: 'request_sock_TCPv6',
  tw_sock_tcp: 'tw_sock_TCP',
  tw_sock_tcp6: 'tw_sock_TCPv6',
  sock_inode_cache: 'sock_inode_cache',
  filp: 'filp',
  dentry: 'dentry',
  eventpoll_epi: 'eventpoll_epi',
  eventpoll_pwq: 'eventpoll_pwq',
  tcp_bind_bucket: 'tcp_bind_bucket',
  tcp_bind2_bucket: 'tcp_bind2_bucket',
  skbuff_head_cache: 'skbuff_head_cache',
  skbuff_fclone_cache: 'skbuff_fclone_cache',
};

/** Per-socket caches beyond the R-1.3 table, found by measurement (docs/model.md); absent = not counted. */
export const extra_slab_names = ['lsm_inode_cache', 'lsm_file_cache', 'ep_head'] as const;
export type ExtraSlabName = (typeof extra_slab_names)[number];

export const kernel_profile_schema = z.strictObject({
  /** Short id used on the command line (`--profile 6.18.44-reference`). */
  id: z.string().min(1),
  /** `uname -r` of the kernel the profile describes. */
  release: z.string().min(1),
  description: z.string(),
  /** How the numbers were obtained (measured on a host, derived from a .config, ...). */
  provenance: z.string(),
  page_size_bytes: z.literal(4096),
  hz: positive,
  /** CPUs of the machine the profile was taken on: bounds the per-CPU reserve lag (R-6.6). */
  nr_cpus: positive,
  /** RAM of the machine the profile was taken on, used for default tcp_mem (R-6.1). */
  nr_free_buffer_pages: positive,
  struct: z.strictObject({
    sk_buff_bytes: positive,
    skb_shared_info_bytes: positive,
    smp_cache_bytes: positive,
    /** MAX_HEADER = LL_MAX_HEADER (+48 with tunnels). */
    max_header_bytes: positive,
    /** MAX_TCP_HEADER = L1_CACHE_ALIGN(128 + MAX_HEADER). */
    max_tcp_header_bytes: positive,
    max_skb_frags: positive,
    net_skb_pad_bytes: positive,
  }),
  /** skbuff_small_head object size; null where the cache does not exist (6.1). R-1.8. */
  small_head_cache_bytes: positive.nullable(),
  /** SLUB kmalloc size classes, ascending; above the largest the page allocator is used (R-1.9). */
  kmalloc_classes_bytes: z.array(positive).min(1),
  slab: z.strictObject(
    Object.fromEntries(slab_names.map((n) => [n, slab_object])) as Record<SlabName, typeof slab_object>,
  ),
  sysctl: z.strictObject({
    tcp_rmem: triple,
    tcp_wmem: triple,
    /** null: computed from nr_free_buffer_pages as tcp_init_mem() does (R-6.1). */
    tcp_mem: triple.nullable(),
    rmem_max: positive,
    wmem_max: positive,
    rmem_default: positive,
    wmem_default: positive,
    tcp_adv_win_scale: z.number().int().min(-31).max(31),
    tcp_app_win: z.number().int().min(0).max(31),
    tcp_moderate_rcvbuf: z.union([z.literal(0), z.literal(1)]),
    tcp_autocorking: z.union([z.literal(0), z.literal(1)]),
    tcp_shrink_window: z.union([z.literal(0), z.literal(1)]),
    tcp_congestion_control: z.string().min(1),
    tcp_limit_output_bytes: positive,
    tcp_notsent_lowat: positive,
    mem_pcpu_rsv: positive,
    tcp_max_orphans: positive,
    high_order_alloc_disable: z.union([z.literal(0), z.literal(1)]),
  }),
  /** How free space becomes a window: 6.6+ learns scaling_ratio; 6.1 uses tcp_adv_win_scale (R-5.5, R-5.6). */
  window_algorithm: z.enum(['scaling_ratio', 'adv_win_scale']),
  /** Initial tp->scaling_ratio (R-3.12): 128 (50%) since 6.11. */
  scaling_ratio_init: z.number().int().min(1).max(255),
  /** Receive-buffer autotuning variant (R-5.17 vs R-5.18). */
  drs_variant: z.enum(['rcvbuf_grow_6_18', 'rcvmem_6_1']),
  /**
   * Receiver RTT estimate from timestamps, which paces DRS (tcp_rcv_rtt_update / tcp_rcv_rtt_measure_ts,
   * R-5.17): 6.16+ latches a smaller sample at once and drops 0 ms samples; 6.1 smooths every sample by 1/8
   * and counts 0 ms as 1 ms.
   */
  rcv_rtt_variant: z.enum(['min_latch_6_16', 'ewma_6_1']),
  /** ICSK_ACK_NOMEM: advertise a zero window when memory cannot be scheduled (R-4.15). */
  ack_nomem_zero_window: z.boolean(),
  /**
   * 6.17+ `tcp_sequence` (R-5.14): a segment ending beyond the receive window is dropped before
   * tcp_data_queue (TcpExtBeyondWindow, not TCPZeroWindowDrop) unless the receive queue is empty.
   * Absent = false (older kernels: only seq beyond the window is rejected there).
   */
  tcp_sequence_rejects_beyond_window: z.boolean().optional(),
  /**
   * 6.10+ `tcp_write_xmit` → `tcp_grow_skb` (commit 8ee602c63520): the send head takes payload from the next
   * unsent skb up to min(cwnd quota, tcp_tso_segs) × mss, freeing a next skb it empties (R-2.1, R-2.12).
   * Absent = false.
   */
  tcp_grow_skb: z.boolean().optional(),
  /** Pressure fairness test (R-6.4 step 7/8): global pressure only (6.18) or any pressure (6.1). */
  pressure_fairness: z.enum(['global', 'any']),
  /** Whether tcp_limit_output_bytes always caps TSQ (6.16+) or only for unpaced sockets (R-2.16). */
  tsq_limit_always: z.boolean(),
  /** sndbuf_expand() factor per congestion control (R-2.18); unknown names use 2. */
  sndbuf_expand_factor: z.record(z.string(), positive),
  /**
   * Optional per-socket caches: LSM blobs (security/security.c lsm_inode_cache per inode, lsm_file_cache per file,
   * present when CONFIG_SECURITY has LSMs with blobs) and ep_head (fs/eventpoll.c epitems_head, one per file the
   * first time it joins an epoll set). Absent entries are not counted.
   */
  slab_extra: z
    .strictObject(Object.fromEntries(extra_slab_names.map((n) => [n, slab_object.optional()])) as Record<ExtraSlabName, z.ZodOptional<typeof slab_object>>)
    .optional(),
  /** [6.1]: tcp_select_initial_window caps the initial rcv_wnd at 65535 (removed in 6.10; R-5.7). Absent = false. */
  initial_rcv_wnd_u16_cap: z.boolean().optional(),
  /**
   * tcp_add_backlog's limit (R-4.11): r + bl may reach rcvbuf × rcvbuf_times + sndbuf × sndbuf_times + 64 KiB
   * before a segment is dropped (TCPBacklogDrop). 6.10+ (commit ec00ed472bdb): 2 and 0.5; before: 1 and 1.
   * Absent = the 6.10+ values.
   */
  backlog_limit: z
    .strictObject({ rcvbuf_times: z.number().min(0), sndbuf_times: z.number().min(0), headroom_bytes: bytes })
    .optional(),
  /**
   * How long a reading task takes per recv() call (the simulator's continuous and periodic readers, R-4.11).
   * `recvmsg_call_ns` + bytes / `recvmsg_copy_bytes_per_us` is the time recvmsg holds the socket (lock_sock:
   * arrivals go to the backlog meanwhile); bytes / `reader_bytes_per_us[link]` is the whole cycle of one read in
   * the reading task (kernel and user space, at least the hold): the next read starts no earlier. Data, measured:
   * see `provenance`. Absent = reads take no time (the socket is never owned by the reader).
   */
  reader_cost: z
    .strictObject({
      recvmsg_call_ns: z.number().min(0),
      recvmsg_copy_bytes_per_us: z.number().positive(),
      reader_bytes_per_us: z.strictObject({
        loopback: z.number().positive(),
        veth: z.number().positive(),
        /** Absent = the loopback figure. */
        nic: z.number().positive().optional(),
      }),
      provenance: z.string(),
    })
    .optional(),
});

export type KernelProfile = z.infer<typeof kernel_profile_schema>;

/** Validates a parsed JSON value as a kernel profile; throws an InputError naming each bad field. */
export function parse_kernel_profile(value: unknown, where = 'kernel profile'): KernelProfile {
  const r = kernel_profile_schema.safeParse(value);
  if (!r.success) throw new InputError(format_zod_error(where, r.error));
  const p = r.data;
  const cls = p.kmalloc_classes_bytes;
  for (let i = 1; i < cls.length; i++) {
    if (cls[i] <= cls[i - 1]) {
      throw new InputError(`${where} is invalid:\n  - kmalloc_classes_bytes[${i}]: must be larger than the one before (${cls[i - 1]}), got ${cls[i]}`);
    }
  }
  for (const key of ['tcp_rmem', 'tcp_wmem'] as const) {
    const [a, b, c] = p.sysctl[key];
    if (!(a <= b && b <= c)) {
      throw new InputError(`${where} is invalid:\n  - sysctl.${key}: must be min <= default <= max, got ${a} ${b} ${c}`);
    }
  }
  return p;
}
