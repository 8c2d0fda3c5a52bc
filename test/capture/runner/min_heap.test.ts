import { describe, expect, it } from 'vitest';
import { MinHeap } from '../../../capture/runner/min_heap';

describe('MinHeap', () => {
  it('pops actions in time order whatever the push order', () => {
    const h = new MinHeap<string>();
    for (const [t, v] of [[5, 'e'], [1, 'a'], [3, 'c'], [2, 'b'], [4, 'd'], [0, 'z']] as const) h.push(t, v);
    const out: string[] = [];
    while (h.size > 0) out.push(h.pop()!.v);
    expect(out).toEqual(['z', 'a', 'b', 'c', 'd', 'e']);
  });

  it('reports Infinity as the next time when empty', () => {
    expect(new MinHeap<number>().peek_t()).toBe(Infinity);
  });
});
