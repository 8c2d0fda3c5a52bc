import { describe, expect, it } from 'vitest';
import { Cleanup } from '../../capture/cleanup';

describe('Cleanup', () => {
  it('runs the steps newest first, once', () => {
    const seen: string[] = [];
    const c = new Cleanup();
    c.add('a', () => seen.push('a'));
    c.add('b', () => seen.push('b'));
    expect(c.run_all()).toEqual([]);
    expect(c.run_all()).toEqual([]);
    expect(seen).toEqual(['b', 'a']);
  });

  it('keeps going after a failing step and reports it by name', () => {
    const seen: string[] = [];
    const c = new Cleanup();
    c.add('delete netns x', () => seen.push('first'));
    c.add('remove memcg y', () => {
      throw new Error('busy');
    });
    expect(c.run_all()).toEqual(['remove memcg y: busy']);
    expect(seen).toEqual(['first']);
  });
});
