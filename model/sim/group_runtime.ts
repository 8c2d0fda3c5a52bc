import type { ConnectionGroup } from '../scenario/scenario_schema';

/**
 * What the event handlers need to know about a connection group, resolved once per run.
 * Model: the writer side is 0 (client) or 1 (server); the reader is the other socket.
 */
export interface GroupRuntime {
  g: ConnectionGroup;
  index: number;
  /** 0 = client writes, 1 = server writes. */
  writer_side: 0 | 1;
  /** Simulated connections [first, first + n) of the run belong to this group. */
  first_conn: number;
  n_conns: number;
  /** Each simulated connection stands for this many (1 unless the group is weighted). */
  weight: number;
  /** Congestion control of the writing socket. */
  cc: string;
  /** Reader stall intervals (ms), sorted. */
  stalls: { from_ms: number; to_ms: number }[];
}

/** Whether the reader of this group is stalled at time t (ms). */
export function reader_stalled(gr: GroupRuntime, t_ms: number): boolean {
  for (const st of gr.stalls) if (t_ms >= st.from_ms && t_ms < st.to_ms) return true;
  return false;
}

/**
 * The weighting rule (docs/simulator.md): all connections of a group receive the same inputs at the same
 * times unless the writer is a staggered rate program, whose connections start at different phases.
 * Such a group is simulated as one connection of weight `count` (the run is redone unweighted if global
 * memory ever leaves the region where identical sockets are treated identically, see WeightingBroken).
 */
export function group_is_uniform(g: ConnectionGroup): boolean {
  const w = g.writer.program;
  return !(w.kind === 'rate' && w.stagger && g.count > 1);
}
