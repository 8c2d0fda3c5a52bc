import { describe, expect, it } from 'vitest';
import { EventHeap } from '../../../model/sim/event_heap';

describe('EventHeap', () => {
  it('pops events in time order and equal times in insertion order', () => {
    const h = new EventHeap(2);
    h.push(30, 1, 0);
    h.push(10, 1, 1);
    h.push(20, 1, 2);
    h.push(10, 1, 3);
    h.push(10, 1, 4);
    const got: number[] = [];
    while (h.pop()) got.push(h.top_a);
    expect(got).toEqual([1, 3, 4, 2, 0]);
  });

  it('grows past its initial capacity without losing events', () => {
    const h = new EventHeap(4);
    for (let i = 0; i < 1000; i++) h.push((i * 7919) % 1000, 2, i, i * 0.5, 5000 - i);
    let prev = -1;
    let n = 0;
    while (h.pop()) {
      expect(h.top_time_ns).toBeGreaterThanOrEqual(prev);
      expect(h.top_b).toBe(h.top_a * 0.5);
      expect(h.top_c).toBe(5000 - h.top_a);
      prev = h.top_time_ns;
      n++;
    }
    expect(n).toBe(1000);
  });

  it('runs events queued for the instant being processed after the earlier ones of that instant', () => {
    // pop (10, a=0) first; then queue two events at 10 (they join the FIFO of the current instant) and one
    // at 5 (in the past): by (time, sequence) the order is 5, then the heap's (10, a=1) queued before them,
    // then the two new ones in the order queued, then 20.
    const h = new EventHeap(4);
    h.push(10, 1, 0);
    h.push(10, 1, 1);
    h.push(20, 1, 2);
    h.pop();
    expect(h.top_a).toBe(0);
    h.push(10, 3, 3, 7.5, -4);
    h.push(10, 1, 4);
    h.push(5, 1, 5);
    const got: number[] = [];
    while (h.pop()) got.push(h.top_a);
    expect(got).toEqual([5, 1, 3, 4, 2]);
  });

  it('pops pushes interleaved with pops in the order of a sorted list of (time, sequence)', () => {
    // reference: a plain array kept sorted by (time, sequence); times drawn from a small range so that
    // many events share an instant, and a third of the pushes are due at the instant just popped
    const h = new EventHeap(4);
    const ref: { t: number; seq: number; a: number }[] = [];
    let seq = 0;
    let x = 12345;
    const rnd = () => (x = (x * 1103515245 + 12345) % 2147483648) / 2147483648;
    let now = 0;
    const got: number[] = [];
    const want: number[] = [];
    for (let step = 0; step < 5000; step++) {
      if (rnd() < 0.55 || ref.length === 0) {
        const t = rnd() < 0.33 ? now : now + Math.floor(rnd() * 50);
        const kind = 1 + Math.floor(rnd() * 8);
        h.push(t, kind, seq, seq * 0.25, 1000 - seq);
        ref.push({ t, seq, a: seq });
        seq++;
      } else {
        ref.sort((p, q) => p.t - q.t || p.seq - q.seq);
        const e = ref.shift()!;
        want.push(e.a);
        expect(h.pop()).toBe(true);
        got.push(h.top_a);
        expect(h.top_time_ns).toBe(e.t);
        expect(h.top_b).toBe(e.a * 0.25);
        expect(h.top_c).toBe(1000 - e.a);
        now = h.top_time_ns;
      }
    }
    expect(got).toEqual(want);
  });
});
