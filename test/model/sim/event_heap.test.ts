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
});
