import type { Scenario } from '../scenario/scenario_schema';

/**
 * The run layout shared by `tcpmem capture` (the kernel) and `tcpmem simulate` (the model),
 * so validation compares two outputs of one shape. A run directory holds:
 *   meta.json    RunMeta
 *   sockets.csv  one row per socket per sample (socket_columns); `weight` rows stand for
 *                that many identical sockets (always 1 in a capture)
 *   global.csv   one row per sample (global_columns + one column per counter / slab cache)
 * Units are in the column names (_bytes, _pages, _ms, _segs, _count).
 */
export const RUN_FORMAT = 'tcpmem-run/1';

export type RunSource = 'kernel' | 'vm' | 'simulator';

export interface RunMeta {
  format: typeof RUN_FORMAT;
  source: RunSource;
  /** The scenario as normalized by parse_scenario (defaults filled in). */
  scenario: Scenario;
  /** Path of the scenario file as given, for the record. */
  scenario_file: string | null;
  /** `uname -r` of the kernel that ran it (for the simulator: the profile's release). */
  kernel_release: string;
  /** Profile used (simulator) or matched (capture, when known). */
  profile_id: string | null;
  /** Every net.* sysctl read inside the namespace (capture) or implied by the profile (simulator). */
  sysctls: Record<string, string>;
  tool_version: string;
  host: { cpus: number; mem_total_bytes: number | null; machine: string | null };
  /** ISO time the run started (capture); null for the simulator, which reads no clock. */
  started_at: string | null;
  /** Wall time the run took, measured at the edge (null when unknown). */
  wall_ms: number | null;
  /** Which repetition of the same scenario this is (0-based). */
  repeat_index: number;
  /** Counter names recorded in global.csv as `counter_<Name>_count` (deltas since t=0). */
  counters: string[];
  /** Slab caches recorded in global.csv as `slab_<cache>_objs` (deltas since before setup). */
  slab_caches: string[];
  /** Free-form remarks (e.g. "sockstat mem is global: other services add noise"). */
  notes: string[];
  /** Simulator only: seed and event count. */
  sim?: { seed: number; events: number; socket_classes: number };
}

export const socket_columns = [
  't_ms',
  'group',
  'conn',
  'side',
  'state',
  'weight',
  'r_bytes',
  'rb_bytes',
  't_bytes',
  'tb_bytes',
  'f_bytes',
  'w_bytes',
  'o_bytes',
  'bl_bytes',
  'd_count',
  'recv_q_bytes',
  'send_q_bytes',
  'notsent_bytes',
  'rcv_space_bytes',
  'rcv_ssthresh_bytes',
  'snd_wnd_bytes',
  'rcv_wnd_bytes',
  'cwnd_segs',
  'mss_bytes',
  'advmss_bytes',
  'rcv_mss_bytes',
  'unacked_segs',
  'bytes_received',
  'bytes_acked',
  'bytes_written',
  'bytes_read',
  /** Receiver RTT estimate (tcpi_rcv_rtt, ms; ). Added after the first captures: optional, older runs read as null. */
  'rcv_rtt_ms',
] as const;
/**
 * Columns added to sockets.csv after tcpmem-run/1 was first written. Appending a nullable column
 * keeps the format version: a run without it still loads, with null in every row.
 */
export const optional_socket_columns: readonly SocketColumn[] = ['rcv_rtt_ms'];
export type SocketColumn = (typeof socket_columns)[number];

/** One socket at one sample. Numeric fields are null where the source did not show them. */
export type SocketSample = {
  t_ms: number;
  group: string;
  conn: number;
  side: 'client' | 'server';
  state: string;
  weight: number;
} & { [K in Exclude<SocketColumn, 't_ms' | 'group' | 'conn' | 'side' | 'state' | 'weight'>]: number | null };

export const global_base_columns = [
  't_ms',
  'sockstat_tcp_inuse_count',
  'sockstat_tcp_alloc_count',
  'sockstat_tcp_orphan_count',
  'sockstat_tcp_tw_count',
  'sockstat_tcp_mem_pages',
  /** Σ over the scenario's sockets of ceil((r+w+f)/4096): the pages they hold. */
  'sockets_pages',
  'memcg_tcp_usage_bytes',
  'memcg_tcp_limit_bytes',
  'memcg_tcp_failcnt_count',
  'memcg_tcp_max_usage_bytes',
  'tcp_memory_pressure',
] as const;

/** One sample of global state. Counter and slab columns are keyed by their column names. */
export interface GlobalSample {
  t_ms: number;
  values: Record<string, number | null>;
}

export function counter_column(name: string): string {
  return `counter_${name}_count`;
}
export function slab_column(cache: string): string {
  return `slab_${cache}_objs`;
}

/** The TcpExt counters every run records (names as in /proc/net/netstat). */
export const recorded_counters = [
  'TCPRcvCoalesce',
  'TCPBacklogCoalesce',
  'TCPBacklogDrop',
  'PruneCalled',
  'RcvPruned',
  'OfoPruned',
  'TCPRcvCollapsed',
  'TCPRcvQDrop',
  'TCPOFODrop',
  'TCPOFOQueue',
  'TCPZeroWindowDrop',
  'TCPWantZeroWindowAdv',
  'TCPToZeroWindowAdv',
  'TCPFromZeroWindowAdv',
  'TCPMemoryPressures',
  'TCPMemoryPressuresChrono',
  'TCPAbortOnMemory',
  'TCPWqueueTooBig',
  'DelayedACKs',
  'TCPAutoCorking',
  'TCPOrigDataSent',
  'TCPRetransFail',
  'TCPLossProbes',
  'TCPOFOMerge',
  'TCPSackRecovery',
  'TCPFastRetrans',
  'TCPLostRetransmit',
  'TCPSackShifted',
  'TCPSackMerged',
  'TCPTimeouts',
] as const;

/** Slab caches every capture records (names as in /proc/slabinfo). */
export const recorded_slab_caches = [
  'TCP',
  'TCPv6',
  'request_sock_TCP',
  'tw_sock_TCP',
  'sock_inode_cache',
  'filp',
  'dentry',
  'eventpoll_epi',
  'eventpoll_pwq',
  'skbuff_head_cache',
  'skbuff_fclone_cache',
  'skbuff_small_head',
  'kmalloc-1k',
  'kmalloc-2k',
  'kmalloc-4k',
  'kmalloc-8k',
] as const;

/** A run as held in memory: what capture and simulate produce, what validate reads. */
export interface Run {
  meta: RunMeta;
  sockets: SocketSample[];
  global: GlobalSample[];
}
