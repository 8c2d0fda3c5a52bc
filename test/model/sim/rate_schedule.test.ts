import { describe, expect, it } from 'vitest';
import { EventHeap } from '../../../model/sim/event_heap';
import { EV_RATE_WAKE, RateSchedule } from '../../../model/sim/rate_schedule';
import type { GroupRuntime } from '../../../model/sim/group_runtime';

const EV_TIMER = 1;
const EV_OTHER = 2;

function group(n: number): GroupRuntime {
  return {
    g: { writer: { program: { kind: 'rate', size_bytes: 1, messages_per_s: 100, stagger: true } } },
    index: 0,
    writer_side: 1,
    first_conn: 0,
    n_conns: n,
    weight: 1,
    cc: 'cubic',
    stalls: [],
  } as unknown as GroupRuntime;
}

/**
 * Runs n timers (connection i wakes at t(i, k), k = 0 … steps − 1) until `until`. Each wake-up first
 * schedules the connection's next one, then queues an unrelated event 4 ns later (it lands on the same
 * nanosecond as another connection's wake-up, so ties are decided by sequence numbers). Returns what
 * popped, as "time:kind:conn". With `schedule` the timers go through a RateSchedule; without, each is a
 * heap event (what the simulator did before).
 */
function replay(n: number, t: (i: number, k: number) => number, steps: number, schedule: boolean, spilled: boolean[] = []): string[] {
  const heap = new EventHeap(4);
  const gr = group(n);
  const rs = schedule ? new RateSchedule(gr, heap, (_g, i, k) => t(i, k), EV_TIMER) : null;
  const step = new Array<number>(n).fill(0);
  const timer = (i: number, time: number) => {
    if (rs && rs.schedule(i, time)) return;
    heap.push(time, EV_TIMER, i, 1);
  };
  for (let i = 0; i < n; i++) timer(i, t(i, 0));
  rs?.queue_head();
  const out: string[] = [];
  while (heap.pop()) {
    const kind = heap.top_kind;
    const now = heap.top_time_ns;
    if (kind === EV_OTHER) {
      out.push(`${now}:other:${heap.top_a}`);
      continue;
    }
    const i = kind === EV_RATE_WAKE ? rs!.fire() : heap.top_a;
    out.push(`${now}:timer:${i}`);
    step[i]++;
    if (step[i] < steps) timer(i, t(i, step[i]));
    heap.push(now + 4, EV_OTHER, i);
    if (kind === EV_RATE_WAKE) rs!.queue_head();
  }
  if (rs) spilled.push(!rs.active);
  return out;
}

describe('RateSchedule', () => {
  it('pops rate-writer timers in the order one heap event per connection gives, ties included', () => {
    // 5 connections, period 10 ns, phases 2 ns apart: connection i wakes at 10k + 2i. Connection i's
    // "other" event at 10k + 2i + 4 ties with connection i + 2's wake-up; the wake-up was queued a
    // period earlier (smaller sequence number), so it runs first, in both queues.
    const t = (i: number, k: number) => 10 * k + 2 * i;
    const want = replay(5, t, 3, false);
    expect(want.slice(0, 5)).toEqual(['0:timer:0', '2:timer:1', '4:timer:2', '4:other:0', '6:timer:3']);
    const spilled: boolean[] = [];
    expect(replay(5, t, 3, true, spilled)).toEqual(want);
    expect(spilled).toEqual([false]);
    expect(want.length).toBe(30);
  });

  it('keeps the order when two connections share a wake-up time (equal phases)', () => {
    // phases 0, 0, 5, 5: ties between timers are decided by the order the timers were queued
    const t = (i: number, k: number) => 10 * k + 5 * (i >> 1);
    expect(replay(4, t, 4, true)).toEqual(replay(4, t, 4, false));
  });

  it('hands its timers to the heap with their sequence numbers when a time goes backwards round the ring', () => {
    // t(4, 1) = 11 comes before t(3, 1) = 16, so the ring would be out of order: the schedule spills
    // (every pending timer goes to the heap with the sequence number it kept) and the order stays exact.
    const t = (i: number, k: number) => (i === 4 && k === 1 ? 11 : 10 * k + 2 * i);
    const want = replay(5, t, 3, false);
    expect(want).toContain('11:timer:4');
    const spilled: boolean[] = [];
    expect(replay(5, t, 3, true, spilled)).toEqual(want);
    expect(spilled).toEqual([true]);
  });
});
