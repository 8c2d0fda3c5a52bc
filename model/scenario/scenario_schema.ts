import { z } from 'zod';

/**
 * The scenario format: one JSON file describes a workload once, and drives both
 * `tcpmem capture` (the real kernel) and `tcpmem simulate` (the model). Documented in
 * data/README.md ("Scenario format"). Every object is strict: unknown fields are errors.
 */

const ms = z.number().min(0);
const size = z.number().int().min(0);

/** Per-network-namespace sysctls a scenario may set (never global ones). */
export const namespaced_sysctls = [
  'net.ipv4.tcp_rmem',
  'net.ipv4.tcp_wmem',
  'net.ipv4.tcp_congestion_control',
  'net.ipv4.tcp_autocorking',
  'net.ipv4.tcp_moderate_rcvbuf',
  'net.ipv4.tcp_adv_win_scale',
  'net.ipv4.tcp_app_win',
  'net.ipv4.tcp_notsent_lowat',
  'net.ipv4.tcp_limit_output_bytes',
  'net.ipv4.tcp_shrink_window',
  'net.ipv4.tcp_timestamps',
  'net.ipv4.tcp_window_scaling',
  'net.ipv4.tcp_sack',
  'net.ipv4.tcp_no_metrics_save',
  'net.ipv4.tcp_slow_start_after_idle',
] as const;

/** Sysctls only a virtual machine (issue 8) may set: they are global on the host. */
export const vm_only_sysctls = [
  'net.ipv4.tcp_mem',
  'net.core.rmem_max',
  'net.core.wmem_max',
  'net.core.rmem_default',
  'net.core.wmem_default',
  'net.core.mem_pcpu_rsv',
  'net.ipv4.tcp_max_orphans',
] as const;

const sysctl_value = z.union([z.string().min(1), z.number().int()]);

const link_schema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('loopback') }),
  z.strictObject({
    kind: z.literal('veth'),
    mtu: z.number().int().min(1280).max(65535).default(1500),
  }),
  z.strictObject({
    /** A physical NIC: simulation only (capture refuses it). */
    kind: z.literal('nic'),
    mtu: z.number().int().min(576).max(9216).default(1500),
    bandwidth_bits_per_s: z.number().positive(),
    rtt_ms: z.number().positive(),
    /** RX buffer model (R-3.7..3.10). */
    rx_buffer: z.enum(['page_frag_2k', 'page_frag_4k']),
    gro: z.boolean().default(true),
  }),
]);

/**
 * Packet loss on the link (issue 4): which data segments the receiving side drops before TCP sees them.
 * Only segments that carry payload are counted and dropped (pure ACKs, SYNs never), so the kernel capture
 * (nftables in the capture's namespace) and the simulator drop the same segments. A "segment" is one
 * transmitted skb as the receiver's IP layer sees it: on lo/veth a whole GSO skb;
 * retransmissions count too. The count runs per direction over all of the scenario's connections (the
 * nftables counter is one per rule), so deterministic loss is exact for scenarios with one connection.
 */
const loss_direction = z.enum(['to_server', 'to_client'], {
  error: 'direction must be "to_server" (segments the client sends) or "to_client" (segments the server sends)',
});
const loss_schema = z.discriminatedUnion(
  'kind',
  [
    z
      .strictObject({
        /** Drop fixed data segments: every `every_n`-th one, or the ones listed in `at` (1 = the first). */
        kind: z.literal('deterministic'),
        direction: loss_direction,
        every_n: z.number().int().min(2, 'every_n must be an integer ≥ 2 (every n-th data segment is dropped)').max(1_000_000).optional(),
        at: z.array(z.number().int().min(1, 'at: segment numbers start at 1')).min(1).max(64).optional(),
      })
      .refine((l) => (l.every_n === undefined) !== (l.at === undefined), {
        message: 'give exactly one of every_n (drop every n-th data segment) or at (drop the k-th data segments, e.g. [50])',
      }),
    z.strictObject({
      /** Drop each data segment with this probability (simulator: seeded from scenario.seed). */
      kind: z.literal('random'),
      direction: loss_direction,
      probability: z.number().gt(0, 'probability must be > 0').max(0.5, 'probability must be ≤ 0.5'),
    }),
  ],
  { error: 'kind must be "deterministic" or "random"' },
);

const memcg_schema = z.strictObject({
  /** memory.kmem.tcp.limit_in_bytes of the cgroup v1 child the capture creates. */
  tcp_limit_bytes: z.number().int().min(4096),
  /** Which processes the cgroup holds. */
  holds: z.enum(['writers', 'readers', 'both']),
});

const sockopts_schema = z.strictObject({
  so_rcvbuf: z.number().int().min(1).optional(),
  so_sndbuf: z.number().int().min(1).optional(),
  tcp_nodelay: z.boolean().optional(),
  tcp_notsent_lowat: z.number().int().min(1).optional(),
  tcp_congestion: z.string().min(1).optional(),
});

const write_step_schema = z.strictObject({
  size_bytes: z.number().int().min(1).max(16 * 1024 * 1024),
  /** How many writes of this size. */
  count: z.number().int().min(1).max(10_000_000).default(1),
  /** Pause between two writes of this step (0 = back to back). */
  spacing_ms: ms.default(0),
  /** Writes issued back to back before each pause. */
  burst: z.number().int().min(1).default(1),
});

const writer_program_schema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('none') }),
  z.strictObject({
    kind: z.literal('writes'),
    steps: z.array(write_step_schema).min(1),
    /** Repeat the list of steps this many times (1 = once). */
    repeat: z.number().int().min(1).default(1),
  }),
  z.strictObject({
    kind: z.literal('rate'),
    size_bytes: z.number().int().min(1).max(16 * 1024 * 1024),
    /** Messages per second per connection. */
    messages_per_s: z.number().positive(),
    /** Spread the connections' first messages evenly over one period (true) or start all at once. */
    stagger: z.boolean().default(true),
  }),
  z.strictObject({
    /** Write size_bytes at a time until the socket refuses (EAGAIN), then stop. */
    kind: z.literal('fill'),
    size_bytes: z.number().int().min(1).max(16 * 1024 * 1024),
  }),
]);

const writer_schema = z.strictObject({
  /** Which end writes: the connecting client or the accepted server socket. */
  side: z.enum(['client', 'server']).default('client'),
  /** Blocking writers sleep until space frees; non-blocking ones see EAGAIN and retry on EPOLLOUT. */
  blocking: z.boolean().default(false),
  start_ms: ms.default(0),
  stop_ms: ms.optional(),
  program: writer_program_schema,
});

const reader_schema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('never') }),
  z.strictObject({
    kind: z.literal('continuous'),
    start_ms: ms.default(0),
    /** Bytes per read() call. */
    read_bytes: z.number().int().min(1).max(16 * 1024 * 1024).default(65536),
    /** Intervals during which the reader stalls (reads nothing), then resumes. */
    stalls: z.array(z.strictObject({ from_ms: ms, to_ms: ms })).default([]),
  }),
  z.strictObject({
    kind: z.literal('periodic'),
    start_ms: ms.default(0),
    every_ms: z.number().positive(),
    /** At most this many bytes per period. */
    max_bytes: z.number().int().min(1),
    stalls: z.array(z.strictObject({ from_ms: ms, to_ms: ms })).default([]),
  }),
]);

export const metric_names = [
  'skmem_r',
  'skmem_rb',
  'skmem_t',
  'skmem_tb',
  'skmem_f',
  'skmem_w',
  'skmem_d',
  'recv_q',
  'send_q',
  'rcv_ssthresh',
  'rcv_space',
  'rcv_rtt',
  'snd_wnd',
  'rcv_wnd',
  'cwnd',
  'sockstat_mem_pages',
  'memcg_tcp_usage',
  'counter_deltas',
  'slab_per_connection',
  'pages_per_connection',
  'truesize_per_segment',
  'autotune_rcvbuf',
  'pressure_onset',
  'drops',
] as const;
export type MetricName = (typeof metric_names)[number];

const tolerance_schema = z.strictObject({
  /** Absolute tolerance, in the metric's unit. */
  abs: z.number().min(0).optional(),
  /** Relative tolerance (0.01 = 1%). */
  rel: z.number().min(0).max(10).optional(),
  /** Why this tolerance (required: data/README justifies each). */
  why: z.string().min(1),
});

const group_schema = z.strictObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'lowercase letters, digits, _ and - only'),
  count: z.number().int().min(1).max(50_000_000),
  epoll: z.boolean().default(true),
  /** Options set on the writing and on the reading socket (before connect/listen where relevant). */
  writer_sockopts: sockopts_schema.default({}),
  reader_sockopts: sockopts_schema.default({}),
  writer: writer_schema,
  reader: reader_schema,
});

export const scenario_schema = z.strictObject({
  format: z.literal('tcpmem-scenario/1'),
  name: z.string().regex(/^[a-z0-9][a-z0-9_.-]*$/, 'lowercase letters, digits, _ . and - only'),
  description: z.string().default(''),
  kernel: z.strictObject({
    sysctls: z.record(z.string(), sysctl_value).default({}),
    link: link_schema.default({ kind: 'loopback' }),
    ip: z.enum(['ipv4', 'ipv6']).default('ipv4'),
    memcg: memcg_schema.nullable().default(null),
    /** Added one-way delay on the link (netem): only inside a VM (issue 8). */
    netem_delay_ms: z.number().min(0).max(1000).default(0),
    /** Packet loss on the link (absent or null = none; no default, so scenarios without loss normalize as before); see loss_schema. */
    loss: loss_schema.nullable().optional(),
  }),
  groups: z.array(group_schema).min(1),
  sampling: z.strictObject({
    interval_ms: z.number().min(1),
    duration_ms: z.number().min(1),
    /** Time after the last connection is established before t=0 of the workload. */
    settle_ms: ms.default(200),
  }),
  /** Seed for the simulator's randomness (stagger jitter etc.). */
  seed: z.number().int().min(0).default(1),
  tolerances: z.partialRecord(z.enum(metric_names), tolerance_schema).default({}),
});

export type Scenario = z.infer<typeof scenario_schema>;
export type ScenarioInput = z.input<typeof scenario_schema>;
export type ConnectionGroup = Scenario['groups'][number];
export type WriterProgram = ConnectionGroup['writer']['program'];
export type ReaderProgram = ConnectionGroup['reader'];
export type LinkSpec = Scenario['kernel']['link'];
export type LossSpec = NonNullable<Scenario['kernel']['loss']>;
export type SockOpts = z.infer<typeof sockopts_schema>;
export type Tolerance = z.infer<typeof tolerance_schema>;
