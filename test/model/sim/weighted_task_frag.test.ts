import { describe, expect, it } from 'vitest';
import { task_frag_siblings_differ } from '../../../model/sim/weighted_task_frag';

// task_frag_siblings_differ(off_bytes, copy, n, appends, merged): the n sibling copies of `copy` bytes
// start at off, off + copy, …; a page boundary is every multiple of 32768.
describe('task_frag_siblings_differ: when a weighted writer\'s siblings can hold another frag count (R-2.4, R-2.5)', () => {
  it('says no while the siblings\' copies stay inside one page', () => {
    // 1000 + 9 × 1000 = 10000 ≤ 32768: no boundary, every sibling copies one frag as the representative.
    expect(task_frag_siblings_differ(1000, 1000, 9, false, false)).toBe(false);
    expect(task_frag_siblings_differ(1000, 1000, 9, true, true)).toBe(false);
  });

  it('says yes when a boundary falls inside a sibling\'s copy (a straddle: two frags)', () => {
    // [32000, 33000) contains 32768.
    expect(task_frag_siblings_differ(32000, 1000, 1, false, false)).toBe(true);
    // 100,000 one-message writers of 1000 B: 32768 − 1000 = 31768 is no multiple of 1000.
    expect(task_frag_siblings_differ(1000, 1000, 99_999, false, false)).toBe(true);
  });

  it('says no when every boundary falls on the start of a fresh skb\'s copy', () => {
    // 512 B copies from 512: every copy starts at a multiple of 512, and 512 divides 32768, so each page
    // holds exactly 64 copies and no copy straddles (100,000 one-message writers of 512 B).
    expect(task_frag_siblings_differ(512, 512, 99_999, false, false)).toBe(false);
    // 1448 B copies: the first boundary is a start (29872 + 2 × 1448 = 32768), the next is not
    // (65536 − 29872 = 35664 = 24.6 × 1448): sibling 25 straddles.
    expect(task_frag_siblings_differ(29872, 1448, 30, false, false)).toBe(true);
    // the same with only three copies (end 34216 < 65536): one boundary, on a start
    expect(task_frag_siblings_differ(29872, 1448, 3, false, false)).toBe(false);
  });

  it('says yes when appending copies see a page change that not every connection\'s window holds', () => {
    // The representative appended without merging: a page change lay between its two copies, and a later
    // sibling's window (shifted by its place in the round) may miss it.
    expect(task_frag_siblings_differ(1000, 1000, 1, true, false)).toBe(true);
    // It merged, but a boundary (on a copy start, 512 | 32768) is reached among the siblings: the
    // siblings after it append on a new page (a new frag), the representative did not.
    expect(task_frag_siblings_differ(512, 512, 99_999, true, true)).toBe(true);
  });
});
