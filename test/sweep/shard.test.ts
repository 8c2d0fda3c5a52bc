import { describe, expect, it } from 'vitest';
import { in_shard, parse_shard } from '../../sweep/shard';

describe('shards', () => {
  it('parse i/n with a 0-based i', () => {
    expect(parse_shard('0/4')).toEqual({ i: 0, n: 4 });
    expect(parse_shard(' 3 / 4 ')).toEqual({ i: 3, n: 4 });
  });

  it('reject an i outside 0..n-1 and say so', () => {
    expect(() => parse_shard('4/4')).toThrow(/allowed: 0 to 3 \(i is 0-based\)/);
    expect(() => parse_shard('1of4')).toThrow(/not i\/n/);
    expect(() => parse_shard('0/0')).toThrow(/allowed: 1 to 100000/);
  });

  it('partition the points: every index is in exactly one shard', () => {
    for (const n of [1, 2, 3, 7]) {
      for (let index = 0; index < 50; index++) {
        const owners = Array.from({ length: n }, (_, i) => i).filter((i) => in_shard(index, { i, n }));
        expect(owners).toHaveLength(1);
      }
    }
    expect(in_shard(5, null)).toBe(true);
  });
});
