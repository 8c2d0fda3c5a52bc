import type { EventHeap } from './event_heap';
import type { GroupRuntime } from './group_runtime';

/** Event kind of a rate schedule's next wake-up (a = the group index). Kept high: kinds are < 16. */
export const EV_RATE_WAKE = 15;

/**
 * The timers of a group's `rate` writers as one event source instead of one heap slot per connection.
 *
 * A rate writer wakes at first_ms(i) + k × period (i = its index in the group, k = its step; programs.ts
 * `writer_wake`), and first_ms(i) = start_ms + i × period / count is non-decreasing in i and below
 * start_ms + period. So the pending wake-ups of a group, connection i at step k for i ≥ head and at k + 1
 * for i < head, are sorted by time when read from `head` round the ring; a wake-up that fires schedules
 * its connection's next one, which is the new last element. One heap event stands for the head.
 *
 * The order of events must not change: ties in time are broken by the sequence number a heap push would
 * have given. So when a writer schedules its next wake-up, the queue's next sequence number is taken
 * (`EventHeap.reserve_seq`, exactly where the push used to be) and kept in `seq[i]`; the head's event is
 * queued with `push_seq(time, seq[head])`. Sequence numbers grow round the ring, as the times do, so the
 * head is the earliest (time, seq) of the group. Should a computed time ever go backwards round the
 * ring (floating-point rounding with a huge count; not seen), the schedule hands every pending wake-up
 * to the heap with its own sequence number and stops (`spill`): the order stays exact either way.
 *
 * Kernel: none (event-queue machinery).
 * Model: 8 bytes per connection (the kept sequence number) instead of a 36-byte heap slot.
 */
export class RateSchedule {
  /** Sequence number of connection i's pending wake-up, −1 when it has none. */
  readonly seq: Float64Array;
  /** Ring position of the earliest pending wake-up, and the step (k) of the positions from head on. */
  private head = 0;
  private k_head = 0;
  private pending = 0;
  /** Time (ns) of the last wake-up appended round the ring. */
  private last_ns = -Infinity;
  /** False once the schedule has handed its wake-ups to the heap. */
  active = true;
  /** The writer's period in ms (1000 / messages_per_s), as programs.ts computes it. */
  readonly period_ms: number;

  constructor(
    readonly gr: GroupRuntime,
    private readonly heap: EventHeap,
    private readonly time_ns: (gr: GroupRuntime, i: number, k: number) => number,
    private readonly spill_kind: number,
  ) {
    const prog = gr.g.writer.program;
    if (prog.kind !== 'rate') throw new Error('RateSchedule: not a rate writer');
    this.period_ms = 1000 / prog.messages_per_s;
    this.seq = new Float64Array(gr.n_conns).fill(-1);
  }

  bytes(): number {
    return this.seq.byteLength;
  }

  /**
   * Connection i (index in the group) schedules its wake-up at time_ns: it takes a sequence number now.
   * Called for step 0 at the start, in connection order, and from a firing wake-up for its next step.
   * Returns false when the schedule is not active (any more): the caller pushes to the heap. A time that
   * differs from the ring's own computation also spills (defensive: they are the same formula).
   */
  schedule(i: number, time_ns: number): boolean {
    if (!this.active) return false;
    // the step of position i: from head on it is k_head, before head (already fired this round) one more
    const k = i >= this.head ? this.k_head : this.k_head + 1;
    if (time_ns < this.last_ns || time_ns !== this.time_ns(this.gr, i, k)) {
      this.spill();
      return false;
    }
    this.last_ns = time_ns;
    this.seq[i] = this.heap.reserve_seq();
    this.pending++;
    return true;
  }

  /** Queues the head's event (after the start, and after each firing). */
  queue_head(): void {
    if (!this.active || this.pending === 0) return;
    const n = this.seq.length;
    while (this.seq[this.head] < 0) this.advance(n);
    this.heap.push_seq(this.time_ns(this.gr, this.head, this.k_head), this.seq[this.head], EV_RATE_WAKE, this.gr.index);
  }

  /** The head fires: returns its index in the group and consumes it (its writer then reschedules). */
  fire(): number {
    const i = this.head;
    this.seq[i] = -1;
    this.pending--;
    this.advance(this.seq.length);
    return i;
  }

  private advance(n: number): void {
    if (++this.head === n) {
      this.head = 0;
      this.k_head++;
    }
  }

  /** Hands every pending wake-up to the heap, with its time and kept sequence number, and stops. */
  private spill(): void {
    const n = this.seq.length;
    for (let j = 0; j < n; j++) {
      const s = this.seq[j];
      if (s < 0) continue;
      const k = j >= this.head ? this.k_head : this.k_head + 1;
      this.heap.push_seq(this.time_ns(this.gr, j, k), s, this.spill_kind, this.gr.first_conn + j, 1);
      this.seq[j] = -1;
    }
    this.pending = 0;
    this.active = false;
  }
}
