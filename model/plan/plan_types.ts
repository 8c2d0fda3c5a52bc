import type { TcpMemPages } from '../mem/tcp_init_mem';
import type { PressureRegion } from '../mem/pressure_region';
import type { SlabObjects } from '../slab/connection_slab_objects';
import type { LinkSpec } from '../scenario/scenario_schema';

/**
 * Where a number in a plan comes from:
 * - analytic_exact: closed form from the kernel rules, exact for this state (idle slab, idle buffers,
 *   one unread message);
 * - analytic_estimate: closed form under a stated assumption (e.g. one message in flight at a time when the
 *   reader keeps up and messages are spaced by more than an RTT) — not exact, not a bound;
 * - analytic_bound: an upper bound from the window/buffer limits (r ≤ rcvbuf + one skb, w ≤ sndbuf + one skb);
 * - simulation_sample: the simulator run on a small sample of the group, scaled per connection;
 * - not_available: neither applies (no simulator in this build, or the workload has no bound).
 */
export type FigureMethod = 'analytic_exact' | 'analytic_estimate' | 'analytic_bound' | 'simulation_sample' | 'not_available';

export interface Figure {
  value: number | null;
  method: FigureMethod;
  note?: string;
}

/** Which sockets of each connection live on the planned host. */
export type PlanSide = 'server' | 'client' | 'both';

/** What the host's socket of a group does with data. */
export type SocketRole = 'idle' | 'receiver' | 'sender';

/** Steady state of one socket of one group on one side (per socket). */
export interface SocketSteadyState {
  side: 'client' | 'server';
  role: SocketRole;
  slab: SlabObjects[];
  slab_bytes: number;
  /** Pages charged to tcp_mem at an idle instant once the workload is running. */
  steady_pages: Figure;
  /** Largest pages the socket holds over the workload. */
  peak_pages: Figure;
  /** Upper bound on pages from rcvbuf / sndbuf (null when the socket never holds data). */
  bound_pages: Figure;
  /** Receive / send buffer limits that bound it (bytes). */
  rcvbuf_bytes: number;
  rcvbuf_max_bytes: number;
  rcvbuf_locked: boolean;
  sndbuf_bytes: number;
  sndbuf_max_bytes: number;
  sndbuf_locked: boolean;
  /** Truesize one message costs on this socket (receiver: RX skb, sender: TX skb), null when idle. */
  message_truesize_bytes: number | null;
  /** Payload of that message (largest write), null when idle. */
  message_payload_bytes: number | null;
  notes: string[];
}

export interface GroupPlan {
  group: string;
  /** Share of the workload's connections (count / Σ count). */
  share: number;
  connections: number;
  sockets: SocketSteadyState[];
  /** Per connection (the planned side(s)). */
  slab_bytes: number;
  steady_pages: Figure;
  peak_pages: Figure;
  /** Per socket, parallel to `sockets`: the figures used (exact, else simulated, else bound). */
  socket_steady_pages: Figure[];
  socket_peak_pages: Figure[];
  /**
   * Fraction of the group's connections at their peak at the same moment: 1, except for staggered
   * steady-rate writers with an estimated peak, where it is min(1, messages_per_s × RTT) (each message
   * stays queued about one RTT, until it is ACKed / read).
   */
  peak_concurrency: number;
}

export interface CrossingCounts {
  /** Connections at which the pages exceed tcp_mem[0], [1] (pressure), [2] ("TCP: out of memory"); null = never. */
  min: number | null;
  pressure: number | null;
  max: number | null;
}

export interface TuningOption {
  /** What to set, e.g. `net.ipv4.tcp_mem = "a b c"` or `SO_RCVBUF = 8192 on the reading sockets`. */
  setting: string;
  /** Why this value (the arithmetic). */
  derivation: string;
  /** Receive window it leaves (bytes), null when unchanged. */
  window_bytes: number | null;
  /** window / RTT, bits per second, null when unchanged. */
  throughput_bits_per_s: number | null;
  /** Other costs (RAM that may be pinned, ...). */
  cost: string;
  feasible: boolean;
}

export interface PlanResult {
  workload: string;
  profile_id: string;
  connections: number;
  side: PlanSide;
  ram: { bytes: number; source: 'flag' | 'profile' };
  tcp_mem: { pages: TcpMemPages; source: 'flag' | 'computed_from_ram' | 'profile_sysctl' | 'computed_from_profile'; nr_free_buffer_pages: number | null };
  rtt_ms: number;
  link: LinkSpec;
  ip: 'ipv4' | 'ipv6';
  groups: GroupPlan[];
  totals: {
    slab_bytes: Figure;
    steady_buffer_bytes: Figure;
    peak_buffer_bytes: Figure;
    steady_total_bytes: Figure;
    peak_total_bytes: Figure;
    steady_pages: Figure;
    peak_pages: Figure;
    per_connection_steady_bytes: Figure;
    per_connection_peak_bytes: Figure;
  };
  pressure: {
    steady_region: PressureRegion | null;
    peak_region: PressureRegion | null;
    /** sockstat mem can lag the true sum by this many pages (R-6.6/6.7). */
    sockstat_lag_pages: number;
    steady_crossings: CrossingCounts;
    peak_crossings: CrossingCounts;
  };
  fit: {
    /** Connections whose slab + steady buffers fit in the RAM budget. */
    in_ram_steady: number | null;
    in_ram_peak: number | null;
  };
  tuning: TuningOption[];
  notes: string[];
}
