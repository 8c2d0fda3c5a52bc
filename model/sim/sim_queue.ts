import { EventHeap } from './event_heap';
import type { ConnStore } from './conn_store';

/** What an event's `a` names (per kind, `event_a_modes` in sim_context.ts). */
export const EV_A_NONE = 0;
export const EV_A_SOCKET = 1;
export const EV_A_CONN = 2;

/**
 * The simulator's event queue: an EventHeap whose events name connections and sockets by their global
 * number, so a connection can go cold (conn_store.ts) while events for it are queued. Handlers push with
 * hot numbers (s = 2h + side, c = h) as before; `push` translates `a` by the kind's mode. The simulate
 * loop translates back when it dispatches (warming the connection if it is cold).
 * Kernel: none. Model: translation only; the order of events is EventHeap's.
 */
export class SimQueue extends EventHeap {
  constructor(
    capacity: number,
    private readonly store: ConnStore,
    private readonly a_modes: Uint8Array,
  ) {
    super(capacity);
  }

  override push(time_ns: number, kind: number, a: number, b = 0, c = 0): void {
    const m = this.a_modes[kind];
    if (m === EV_A_SOCKET) a = 2 * this.store.hot_global[a >> 1] + (a & 1);
    else if (m === EV_A_CONN) a = this.store.hot_global[a];
    super.push(time_ns, kind, a, b, c);
  }

  /** Queues an event whose `a` is already a global number. */
  push_global(time_ns: number, kind: number, a: number, b = 0, c = 0): void {
    super.push(time_ns, kind, a, b, c);
  }
}
