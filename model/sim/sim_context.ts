import type { KernelProfile } from '../profile/kernel_profile';
import type { Scenario } from '../scenario/scenario_schema';
import type { EventHeap } from './event_heap';
import { SkbPool } from './skb_pool';
import type { SocketTable } from './socket_table';
import type { MemPool } from './mem_pool';
import type { GroupRuntime } from './group_runtime';
import type { Mulberry32 } from '../random/mulberry32';
import type { LossTable } from './loss_table';
import { EV_RATE_WAKE, type RateSchedule } from './rate_schedule';
import type { ConnStore } from './conn_store';
import { EV_A_CONN, EV_A_NONE, EV_A_SOCKET, SimQueue } from './sim_queue';

/** Event kinds (EventHeap.kind). */
export const EV_WRITER = 1;
export const EV_DELIVER = 2;
export const EV_ACK = 3;
export const EV_DELACK = 4;
export const EV_PROBE = 5;
export const EV_READ = 6;
export const EV_ZWP = 7;
export const EV_RTO = 8;
/** (12 was EV_REO: RACK's reorder timer is now EV_RTO with F_REO, the one retransmission timer of the kernel.) */

/**
 * What `a` names per event kind: a socket (the default, also for kinds added later), a connection
 * (EV_WRITER) or neither (EV_RATE_WAKE: a group). The queue stores global numbers (sim_queue.ts).
 */
export const event_a_modes: Uint8Array = (() => {
  const m = new Uint8Array(16).fill(EV_A_SOCKET);
  m[EV_WRITER] = EV_A_CONN;
  m[EV_RATE_WAKE] = EV_A_NONE;
  return m;
})();

/** What differs per link kind (R-2.9, R-3.3..3.10). */
export interface LinkRuntime {
  kind: 'loopback' | 'veth' | 'nic';
  /** mss_cache from the MTU with timestamps before the half-window bound. */
  mss_bytes: number;
  /** tp->advmss after the handshake: the MSS option minus the timestamp option (lo 65483). */
  advmss_bytes: number;
  /** The MSS option sent in SYNs (lo 65495): the client's initial-window mss and the peer's mss_clamp. */
  syn_advmss_bytes: number;
  /** sk_gso_max_size: dev gso_max_size (65536) − (MAX_TCP_HEADER + 1). */
  gso_max_size_bytes: number;
  /** One-way propagation delay (0 on lo/veth: delivery in the same softirq). */
  one_way_ns: number;
  /** NIC only: serialization, bits per second; 0 = infinite. */
  bandwidth_bits_per_s: number;
  rx_buffer: 'page_frag_2k' | 'page_frag_4k' | null;
  gro: boolean;
  /** Retransmission timeout used for the persist timer and the quick-ACK refresh (ms). */
  rto_ms: number;
}

/** The whole mutable state of one run. */
export interface SimContext {
  p: KernelProfile;
  scenario: Scenario;
  link: LinkRuntime;
  /** Truesize of an empty TCP TX skb and SKB_TRUESIZE(0). */
  tx_base_truesize: number;
  skb_overhead_bytes: number;
  /** SKB_DATA_ALIGN(sizeof(struct sk_buff)) (256). */
  sk_buff_bytes: number;
  heap: EventHeap;
  skb: SkbPool;
  /**
   * The hot pool (conn_store.ts): sock and the per-connection arrays below are indexed by hot slot
   * (socket 2h + side, connection h); the store replaces them when the pool grows (between events).
   */
  sock: SocketTable;
  /** Hot and cold connections; global numbers, templates. */
  store: ConnStore;
  /** Simulated connections (each may stand for `weight` identical ones). */
  nconn: number;
  conn_group: Uint16Array;
  conn_weight: Float64Array;
  /** First connection index (within its group) this simulated connection stands for. */
  conn_index: Int32Array;
  groups: GroupRuntime[];
  /** Per group: the schedule of its rate writers' timers (rate_schedule.ts), null for other programs. */
  rate_schedules: (RateSchedule | null)[];
  /** Writer program state per connection. */
  wr_step: Int32Array;
  wr_left: Int32Array;
  wr_rep: Int32Array;
  wr_pending: Float64Array;
  wr_state: Uint8Array;
  mem: MemPool;
  counters: Float64Array;
  now_ns: number;
  now_ms: number;
  events: number;
  /** NIC: time the shared link is busy until, per direction (0 = client→server). */
  link_busy_ns: Float64Array;
  /**
   * The writing task's page frag per side (0 = the client runner, 1 = the server runner,
   * tcp_sendmsg.ts): bytes used of its 32 KiB page, and the number of that page (pages started so far).
   */
  task_frag_off: Int32Array;
  task_frag_page: Int32Array;
  /** True when some simulated connection stands for several (weight > 1). */
  weighted: boolean;
  /**
   * Per connection: the reading task is busy (inside recv() or between two calls) until this time. A time:
   * kept by a cold connection itself (conn_store.ts CONN_OWN_FIELDS).
   */
  rd_busy_until_ns: Float64Array;
  /** Link loss (link_loss.ts): data segments sent so far per direction (0 = to the server), and the PRNG of random loss. */
  loss_segments: Float64Array;
  loss_rng: Mulberry32 | null;
  /** OFO queues and SACK/RACK state of the sockets that needed them (loss_table.ts). */
  loss: LossTable;
}

/**
 * The run's arrays. The event queue starts with one slot per connection whose timers are not kept by a
 * rate schedule (`heap_connections`: writes/fill writers and periodic readers each keep one pending) plus
 * a sixteenth of the sockets for the timers in flight (delayed ACKs, RTO), so a million mostly idle
 * connections rarely grow it.
 */
export function make_core(n_sockets: number, heap_connections: number, store: ConnStore): { heap: SimQueue; skb: SkbPool } {
  return { heap: new SimQueue(heap_connections + Math.max(1024, n_sockets >> 4), store, event_a_modes), skb: new SkbPool(1024) };
}
